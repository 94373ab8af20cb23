//! Command lines: clap arguments to library options, a library call, and one exit status
//! decided in one place (`exit`), as ripgrep's `crates/core/main.rs` does.
//!
//! Every command returns `Result<Outcome, Failure>`; `echolab_main` and the echo programs'
//! `main` hand it to [`exit`], which prints the one error line and picks the status:
//!
//! | command                 | 0                  | 1                                 | 2                         |
//! |-------------------------|--------------------|-----------------------------------|---------------------------|
//! | `dump`                  | done, or stdout closed | any failure tcpdump 4.99.3 exits 1 on: file, filter, link type, output, `-tttttt` | a flag clap rejects |
//! | `diff`                  | equivalent         | not equivalent                    | trouble: unreadable input, capture failed, usage |
//! | `grade`                 | all equivalent     | any different or unreadable       | trouble: unreadable reference, no capture, usage |
//! | `stats`                 | done, or stdout closed | file, filter or output failed | a flag clap rejects   |
//! | `verify`                | every claim holds  | a claim fails or is damaged       | trouble: unreadable input, output failed, usage |
//! | `import`                | every packet whole | written, some packets damaged; the output failed | unreadable input, usage |
//! | `bench`                 | every echo verified| an echo differed, failed or none came | usage (`--clients 0`)  |
//! | `graph`                 | SVG written        | file, filter, no TCP conversation (or none numbered N), output | a flag clap rejects |
//! | `demo`                  | every session ran  | a session or the setup failed     | usage                     |
//! | `lab`                   | every criterion holds | a criterion fails; `run` could not play or capture | usage, unknown exercise, file count, unreadable file |
//! | `echoServer`/`echoClient` | done             | runtime error                     | usage                     |
//!
//! A closed stdout (`| head`) is not a failure: exit 0, nothing said. A closed pipe behind
//! `dump -w -` is: the frames are lost, so it is said and the status is 1.

pub mod bench;
pub mod capture;
pub mod demo;
pub mod diff;
pub mod docs;
pub mod dump;
pub mod dump_write;
pub mod echo_client;
pub mod echo_common;
pub mod echo_server;
pub mod flow;
pub mod grade;
pub mod graph;
pub mod import;
pub mod lab;
pub mod stats;
pub mod term;
pub mod traffic;
pub mod verify;

use std::io::Write;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// echolab: the network-course lab toolkit.
#[derive(Debug, Parser)]
#[command(name = "echolab", version, about, long_about = None)]
pub struct EcholabArgs {
    #[command(subcommand)]
    pub command: Command,
}

// One value per run, parsed once: the size of `dump`'s many flags does not matter.
#[allow(clippy::large_enum_variant)]
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
    /// Grade captures against a reference, in parallel, as `diff` compares (exit 0 all
    /// equivalent, 1 not).
    Grade(grade::GradeArgs),
    /// Conversations, endpoints and protocol hierarchy of a capture, as tshark 4.0 counts them.
    Stats(stats::StatsArgs),
    /// Draw each conversation as a ladder: one column per endpoint, one arrow per packet.
    Flow(flow::FlowArgs),
    /// Draw a TCP conversation as an SVG chart: time-sequence (tcptrace), RTT, throughput,
    /// window.
    Graph(graph::GraphArgs),
    /// Run the report's four echo sessions live and show their screens, traces and summaries.
    Demo(demo::DemoArgs),
    /// The lab's exercises: list, show, run on loopback, check a capture against criteria.
    Lab(lab::LabArgs),
    /// Print a man page generated from the command line definitions, or write all of them
    /// into a folder (`--dir /usr/local/share/man/man1`).
    Man(docs::ManArgs),
    /// Print shell completions (bash, zsh, fish, elvish, powershell) for a program.
    Completions(docs::CompletionsArgs),
}

/// `echolab`'s entry point.
pub fn echolab_main() -> ExitCode {
    let args = EcholabArgs::parse();
    let (prog, result) = match args.command {
        Command::Dump(a) => ("echolab dump", dump::run(a)),
        Command::Bench(a) => ("echolab", bench::run(a)),
        Command::Import(a) => ("echolab import", import::run(a)),
        Command::Verify(a) => ("echolab verify", verify::run(a)),
        Command::Diff(a) => ("echolab diff", diff::run(a)),
        Command::Grade(a) => ("echolab grade", grade::run(a)),
        Command::Stats(a) => ("echolab stats", stats::run(a)),
        Command::Flow(a) => ("echolab flow", flow::run(a)),
        Command::Graph(a) => ("echolab graph", graph::run(a)),
        Command::Demo(a) => ("echolab demo", demo::run(a)),
        Command::Lab(a) => ("echolab lab", lab::run(a)),
        Command::Man(a) => ("echolab man", docs::man(a)),
        Command::Completions(a) => ("echolab completions", docs::completions(a)),
    };
    exit(prog, result)
}

/// What a command that ran to its end found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// All went well: exit 0.
    Success,
    /// The command's verdict is "no": `diff`'s "different", `verify`'s failed claim, `bench`'s
    /// failed echo, `import`'s damaged packet, `demo`'s failed session. Exit 1; the command
    /// has said why.
    Negative,
}

/// The kind of a failure, which alone decides the exit status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// A bad command line: exit 2.
    Usage,
    /// The work could not be done: exit 1.
    Runtime,
    /// diff(1)'s "trouble" for the commands that answer same/different: exit 2.
    Trouble,
}

/// A command's failure: its class and the error to print on one line.
#[derive(Debug)]
pub struct Failure {
    pub class: Class,
    pub error: anyhow::Error,
}

impl Failure {
    pub fn usage(error: impl Into<anyhow::Error>) -> Failure {
        Failure {
            class: Class::Usage,
            error: error.into(),
        }
    }

    pub fn runtime(error: impl Into<anyhow::Error>) -> Failure {
        Failure {
            class: Class::Runtime,
            error: error.into(),
        }
    }

    pub fn trouble(error: impl Into<anyhow::Error>) -> Failure {
        Failure {
            class: Class::Trouble,
            error: error.into(),
        }
    }
}

/// Any error, as a runtime failure (`?` in a command).
impl From<anyhow::Error> for Failure {
    fn from(e: anyhow::Error) -> Failure {
        Failure::runtime(e)
    }
}

/// What every command returns.
pub type Result<T = Outcome> = std::result::Result<T, Failure>;

/// The exit status of a class of failure.
pub fn status(class: Class) -> u8 {
    match class {
        Class::Runtime => 1,
        Class::Usage | Class::Trouble => 2,
    }
}

/// The one place a result becomes an exit status: `prog: error: {err:#}` on stderr for a
/// failure, nothing for stdout closed by its reader (ripgrep's broken-pipe rule).
pub fn exit(prog: &str, result: Result) -> ExitCode {
    match result {
        Ok(Outcome::Success) => ExitCode::SUCCESS,
        Ok(Outcome::Negative) => ExitCode::from(1),
        Err(f) if f.class == Class::Runtime && is_broken_pipe(&f.error) => ExitCode::SUCCESS,
        Err(f) => {
            report_error(prog, &f.error);
            ExitCode::from(status(f.class))
        }
    }
}

/// Whether a reader closing stdout caused the error.
pub fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// Print `prog: error: {err:#}` on one line to stderr (a closed stderr is not a reason to
/// panic).
pub fn report_error(prog: &str, err: &anyhow::Error) {
    let _ = writeln!(std::io::stderr(), "{prog}: error: {err:#}");
}

/// The arguments `echolab flow` and `echolab graph` pick what they draw with: a conversation
/// and a filter.
#[derive(Debug, clap::Args)]
pub struct Selection {
    /// Draw conversation N, numbered from 1 in the order their first packets appear in the
    /// capture (by default `flow` draws them all, `graph` the TCP conversation carrying the most
    /// data).
    #[arg(long = "conversation", value_name = "N",
          value_parser = clap::value_parser!(u64).range(1..))]
    pub conversation: Option<u64>,
    /// A tcpdump filter expression: only matching packets are drawn.
    #[arg(
        value_name = "EXPRESSION",
        trailing_var_arg = true,
        allow_hyphen_values = true
    )]
    pub expression: Vec<String>,
}

impl Selection {
    /// The filter expression, its words joined.
    pub fn expression(&self) -> String {
        self.expression.join(" ")
    }

    /// The filter compiled for a capture's link type and snapshot length; `None` without one.
    pub fn filter(
        &self,
        link: crate::capture::record::LinkType,
        snaplen: u32,
    ) -> anyhow::Result<Option<crate::capture::filter::Program>> {
        match self.expression().trim() {
            "" => Ok(None),
            e => Ok(Some(crate::capture::filter::compile(e, link, snaplen)?)),
        }
    }
}

/// Open a capture file for reading, with one-line errors naming it (`FILE: No such file or
/// directory`, libpcap's words for a damaged header).
pub fn open_capture(
    path: &std::path::Path,
) -> anyhow::Result<crate::capture::pcap::Reader<std::io::BufReader<std::fs::File>>> {
    use anyhow::Context;
    let name = path.display();
    let file = std::fs::File::open(path).map_err(|e| {
        let text = e.to_string();
        let words = text.split(" (os error").next().unwrap_or(&text).to_string();
        anyhow::anyhow!("{name}: {words}")
    })?;
    crate::capture::pcap::Reader::new(std::io::BufReader::with_capacity(1 << 17, file))
        .with_context(|| format!("{name}"))
}
