//! The echoClient command line (the handout's Table 1).

use std::process::ExitCode;

/// `echoClient`'s entry point.
pub fn main() -> ExitCode {
    ExitCode::from(1)
}
