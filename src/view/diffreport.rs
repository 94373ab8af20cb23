//! The `diff` report as data for people: a section's rows as table lines, runs of identical
//! steps folded when the report is long, and the JSON object `diff --json` prints (schema in
//! the README). `cli::diff` draws the lines into a table.
//!
//! Must not import `crate::echo`, `crate::cli`, clap, tokio or comfy-table.

use std::path::Path;

use crate::capture::diff::{Report, Row};

/// `diff --json`: one object, the schema the README documents.
#[derive(Debug, serde::Serialize)]
pub struct JsonReport<'a> {
    /// `equivalent` or `different`.
    pub verdict: &'static str,
    pub reference: String,
    pub capture: String,
    /// The reason of the first divergence, `null` when equivalent.
    pub first_divergence: Option<&'a str>,
    /// Every step that differs, in order.
    pub divergences: Vec<JsonDivergence<'a>>,
    /// Steps not compared, and why.
    pub notes: &'a [String],
}

/// One step that differs.
#[derive(Debug, serde::Serialize)]
pub struct JsonDivergence<'a> {
    /// The conversation: `TCP conversation 1`.
    pub conversation: &'a str,
    pub step: &'a str,
    pub reference: &'a str,
    pub capture: &'a str,
    /// Why, in plain words: only for the first divergence.
    pub reason: Option<&'a str>,
}

/// The report as `diff --json` prints it (one line).
pub fn json(report: &Report, reference: &Path, capture: &Path) -> String {
    let mut divergences = Vec::new();
    for (si, section) in report.sections.iter().enumerate() {
        let conversation = section.title.split(':').next().unwrap_or_default();
        for (ri, row) in section.rows.iter().enumerate() {
            if row.same || row.note.is_some() {
                continue;
            }
            let reason = report
                .first
                .as_ref()
                .filter(|d| (d.section, d.row) == (si, ri))
                .map(|d| d.reason.as_str());
            divergences.push(JsonDivergence {
                conversation,
                step: &row.step,
                reference: &row.reference,
                capture: &row.candidate,
                reason,
            });
        }
    }
    let out = JsonReport {
        verdict: if report.equivalent() {
            "equivalent"
        } else {
            "different"
        },
        reference: reference.display().to_string(),
        capture: capture.display().to_string(),
        first_divergence: report.first.as_ref().map(|d| d.reason.as_str()),
        divergences,
        notes: &report.notes,
    };
    let mut text = serde_json::to_string(&out).unwrap_or_default();
    text.push('\n');
    text
}

/// Whether a row is a plain `=` row (equivalent, compared, not the first divergence), the
/// kind a compact report folds into runs.
fn plain(row: &Row, at: usize, first: Option<(usize, &str)>) -> bool {
    row.same && row.note.is_none() && first.is_none_or(|(r, _)| r != at)
}

/// A section's table lines, the cells' texts, and which line marks the first divergence (drawn
/// in red).
#[derive(Debug, PartialEq, Eq)]
pub struct Lines {
    lines: Vec<[String; 4]>,
    /// The line that marks the first divergence (drawn in red).
    pub first_at: Option<usize>,
}

impl Lines {
    pub fn iter(&self) -> std::slice::Iter<'_, [String; 4]> {
        self.lines.iter()
    }
}

/// A section's table rows; `compact` folds each run of two or more plain rows into one.
pub fn lines(rows: &[Row], first: Option<(usize, &str)>, compact: bool) -> Lines {
    let mut out = Vec::new();
    let mut first_at = None;
    let mut at = 0;
    while let Some(row) = rows.get(at) {
        // Counted only when folding: a full table must stay linear. A row may already stand
        // for a run of steps folded when the captures were compared.
        let (entries, run) = match compact {
            true => rows
                .get(at..)
                .unwrap_or_default()
                .iter()
                .enumerate()
                .take_while(|(k, r)| plain(r, at + k, first))
                .fold((0, 0), |(n, steps), (_, r)| (n + 1, steps + r.steps())),
            false => (0, 0),
        };
        if run > 1 {
            let last = rows.get(at + entries - 1).map_or("", Row::last_step);
            out.push([
                format!("{} … {last}", row.step),
                format!("{run} identical steps"),
                format!("{run} identical steps"),
                "=".to_string(),
            ]);
            at += entries;
            continue;
        }
        let mark = match (row.same, first.filter(|(r, _)| *r == at), &row.note) {
            (_, Some((_, reason)), _) => {
                first_at = Some(out.len());
                format!("<- first divergence: {reason}")
            }
            (_, None, Some(_)) => "not compared (see the note below)".to_string(),
            (true, None, None) => "=".to_string(),
            (false, None, None) => "differs".to_string(),
        };
        out.push([
            row.step.clone(),
            row.reference.clone(),
            row.candidate.clone(),
            mark,
        ]);
        at += 1;
    }
    Lines {
        lines: out,
        first_at,
    }
}
