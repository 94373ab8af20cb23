//! `echolab graph -r FILE --svg OUT [--kind tseq|rtt|throughput|window] [--conversation N]
//! [EXPRESSION]`: a TCP conversation of a capture as an SVG chart (`view::graph`).
//!
//! Exit codes: 0 written; 1 an unreadable file, a bad filter, no TCP conversation (or none
//! numbered N, or nothing of the kind to draw), a failed write; 2 a bad command line.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;

use crate::view::graph::{self, Kind, Reading};

/// Arguments of `echolab graph`.
#[derive(Debug, clap::Args)]
pub struct GraphArgs {
    /// The capture to read (pcap or pcapng).
    #[arg(short = 'r', value_name = "FILE")]
    pub file: PathBuf,
    /// Where to write the SVG (`-` for stdout).
    #[arg(long = "svg", value_name = "OUT")]
    pub svg: PathBuf,
    /// Which graph: the time-sequence graph, round-trip times, throughput over a sliding
    /// window, or the advertised window and bytes in flight.
    #[arg(long = "kind", value_enum, default_value_t = KindArg::Tseq)]
    pub kind: KindArg,
    #[command(flatten)]
    pub select: super::Selection,
}

/// `--kind`'s values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum KindArg {
    Tseq,
    Rtt,
    Throughput,
    Window,
}

impl From<KindArg> for Kind {
    fn from(k: KindArg) -> Kind {
        match k {
            KindArg::Tseq => Kind::Tseq,
            KindArg::Rtt => Kind::Rtt,
            KindArg::Throughput => Kind::Throughput,
            KindArg::Window => Kind::Window,
        }
    }
}

/// Runs `echolab graph`.
pub fn run(args: GraphArgs) -> super::Result {
    let name = args.file.display();
    let mut reader = super::open_capture(&args.file)?;
    let program = args.select.filter(reader.link(), reader.snaplen())?;
    let mut reading = Reading::default();
    while let Some(rec) = reader.next_record().with_context(|| format!("{name}"))? {
        if program
            .as_ref()
            .is_none_or(|p| p.matches(rec.data, rec.len))
        {
            reading.add(&rec);
        }
    }
    let asked = args
        .select
        .conversation
        .map(|n| usize::try_from(n).unwrap_or(usize::MAX));
    let drawn = graph::draw(&reading.finish(), args.kind.into(), asked)
        .with_context(|| format!("{name}"))?;
    if args.svg.as_os_str() == "-" {
        let mut out = std::io::stdout().lock();
        out.write_all(drawn.svg.as_bytes())
            .and_then(|()| out.flush())
            .context("stdout")?;
        return Ok(super::Outcome::Success);
    }
    std::fs::write(&args.svg, &drawn.svg)
        .with_context(|| format!("writing {}", args.svg.display()))?;
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "{}: conversation {}, {} marks, {} retransmissions",
        args.svg.display(),
        drawn.conversation,
        drawn.marks,
        drawn.retransmissions
    )
    .and_then(|()| out.flush())
    .context("stdout")?;
    Ok(super::Outcome::Success)
}
