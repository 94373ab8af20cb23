//! `echolab bench`: the load generator's command line.

use std::process::ExitCode;

/// Arguments of `echolab bench`.
#[derive(Debug, clap::Args)]
pub struct BenchArgs {
    /// Number of concurrent clients.
    #[arg(long, default_value_t = 1)]
    pub clients: usize,
}

pub fn run(args: BenchArgs) -> ExitCode {
    let _ = args;
    ExitCode::from(1)
}
