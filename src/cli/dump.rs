//! `echolab dump`: tcpdump's command line over echolab's printers.

use std::process::ExitCode;

/// Arguments of `echolab dump`.
#[derive(Debug, clap::Args)]
pub struct DumpArgs {
    /// Read packets from FILE (pcap or pcapng).
    #[arg(short = 'r')]
    pub read: Option<std::path::PathBuf>,
}

pub fn run(args: DumpArgs) -> ExitCode {
    let _ = args;
    ExitCode::from(1)
}
