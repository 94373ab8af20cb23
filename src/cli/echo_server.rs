//! The echoServer command line (the handout's Table 1).

use std::process::ExitCode;

/// `echoServer`'s entry point.
pub fn main() -> ExitCode {
    ExitCode::from(1)
}
