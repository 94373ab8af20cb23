//! Grading many captures against one reference (`echolab grade`): each submission is cut
//! into conversations and compared exactly as `echolab diff` compares two captures, and
//! comes out as one line: its verdict and, when it differs, the first divergence.
//!
//! Pure functions over `Flows`. Must not import `crate::echo`, `crate::cli`, clap, tokio or
//! comfy-table.

use super::diff::{self, Options};
use super::flows::Flows;

/// A submission's verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// The same wire behaviour as the reference.
    Equivalent,
    /// Another wire behaviour.
    Different,
    /// The file could not be read as a capture.
    Error,
}

impl Verdict {
    pub fn name(self) -> &'static str {
        match self {
            Verdict::Equivalent => "equivalent",
            Verdict::Different => "different",
            Verdict::Error => "error",
        }
    }
}

/// One graded submission: what `--csv` writes as a row and `--json` as an object.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Grade {
    pub file: String,
    pub verdict: Verdict,
    /// The first divergence in plain words, or the one-line reason of an error; empty when
    /// equivalent.
    pub first_divergence: String,
}

/// Grade the capture `file` read as `submission` (or the error met reading it).
pub fn grade(
    reference: &Flows,
    file: String,
    submission: Result<Flows, String>,
    options: Options,
) -> Grade {
    match submission {
        Ok(flows) => {
            let report = diff::compare_with(reference, &flows, options);
            match report.first {
                None => Grade {
                    file,
                    verdict: Verdict::Equivalent,
                    first_divergence: String::new(),
                },
                Some(d) => Grade {
                    file,
                    verdict: Verdict::Different,
                    first_divergence: d.reason,
                },
            }
        }
        Err(reason) => Grade {
            file,
            verdict: Verdict::Error,
            first_divergence: reason,
        },
    }
}
