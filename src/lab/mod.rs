//! The lab's exercises, self-checking: each one says what to run and capture and what to
//! answer ([`Exercise`]), can be played end to end on loopback ([`run`]), and checks a
//! capture against its criteria ([`check`]), answering its questions from the packets.
//!
//! A check reads only what the wire shows (flags, sizes, which side sent what, which segment
//! echoes which), so it does not depend on the text typed, the ports, the initial sequence
//! numbers, the loopback address or the timing.
//!
//! With `demo`, the only library module that uses both `echo` and `capture`. Must not import
//! `crate::cli` or comfy-table.

mod catalogue;
mod check;
mod facts;
pub mod run;
mod shape;

pub use catalogue::{exercise, Exercise, Input, EXERCISES};
pub use check::check;

use serde::Serialize;

/// One criterion of an exercise, and what in the capture decided it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Criterion {
    /// What must hold, in a few words.
    pub criterion: String,
    pub pass: bool,
    /// Packet numbers (1-based, as `tcpdump -#` counts them), sizes, flags.
    pub evidence: String,
}

/// A question of the exercise, answered from the capture.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Answer {
    pub question: String,
    pub answer: String,
}

/// The check of one exercise.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    pub exercise: u8,
    pub title: &'static str,
    /// Every criterion holds.
    pub pass: bool,
    pub criteria: Vec<Criterion>,
    pub answers: Vec<Answer>,
}

impl Report {
    fn new(ex: &Exercise, criteria: Vec<Criterion>, answers: Vec<Answer>) -> Report {
        Report {
            exercise: ex.number,
            title: ex.title,
            pass: criteria.iter().all(|c| c.pass),
            criteria,
            answers,
        }
    }
}

/// What a check was handed.
#[derive(Debug, Clone)]
pub enum Material {
    /// The frames of a capture file.
    Capture(Vec<crate::demo::Frame>),
    /// A tcpdump text (a report's typed trace) and the name it goes by.
    Text { name: String, text: String },
}

/// Why a check could not be made: the input, not the exercise, is at fault.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LabError {
    #[error("no exercise {0}: `echolab lab list` shows them (1 to {max})", max = EXERCISES.len())]
    NoExercise(u32),
    #[error("exercise {number} takes {want}, got {got} file(s)")]
    Count {
        number: u8,
        want: &'static str,
        got: usize,
    },
    #[error("{0}")]
    Text(String),
}

fn criterion(criterion: &str, pass: bool, evidence: impl Into<String>) -> Criterion {
    Criterion {
        criterion: criterion.to_string(),
        pass,
        evidence: evidence.into(),
    }
}

fn answer(question: &str, answer: impl Into<String>) -> Answer {
    Answer {
        question: question.to_string(),
        answer: answer.into(),
    }
}
