//! Command lines: clap arguments to options, one-line errors, exit codes.
//!
//! Exit codes: 0 success, 1 runtime error, 2 usage error.

pub mod bench;
pub mod capture;
pub mod demo;
pub mod diff;
pub mod dump;
pub mod echo_client;
pub mod echo_common;
pub mod echo_server;
pub mod import;
pub mod live;
pub mod savefile;
pub mod traffic;
pub mod verify;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// echolab: the network-course lab toolkit.
#[derive(Debug, Parser)]
#[command(name = "echolab", version, about, long_about = None)]
pub struct EcholabArgs {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Capture live (-i) or read a pcap/pcapng file (-r) and print exactly as tcpdump 4.99 does.
    Dump(dump::DumpArgs),
    /// Drive an echo server with verified load; report requests/s and latency.
    Bench(bench::BenchArgs),
    /// Rebuild packets from tcpdump text output (hex dumps) and write them to a pcap file.
    Import(import::ImportArgs),
    /// Check every claim of a tcpdump text against the bytes its hex dump shows.
    Verify(verify::VerifyArgs),
    /// Compare the wire behaviour of two echo-session captures (exit 0 equivalent, 1 not).
    Diff(diff::DiffArgs),
    /// Run the report's four echo sessions live and show their screens, traces and summaries.
    Demo(demo::DemoArgs),
}

/// `echolab`'s entry point.
pub fn echolab_main() -> ExitCode {
    let args = EcholabArgs::parse();
    match args.command {
        Command::Dump(a) => dump::run(a),
        Command::Bench(a) => bench::run(a),
        Command::Import(a) => import::run(a),
        Command::Verify(a) => verify::run(a),
        Command::Diff(a) => diff::run(a),
        Command::Demo(a) => demo::run(a),
    }
}

/// Print `prog: error: {err:#}` on one line to stderr.
pub fn report_error(prog: &str, err: &anyhow::Error) {
    eprintln!("{prog}: error: {err:#}");
}
