//! `echolab dump`: tcpdump's command line over echolab's printers.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;

use crate::capture::filter;
use crate::capture::pcap::Reader;
use crate::capture::print::{PrintOptions, Printer};

/// Arguments of `echolab dump`, with tcpdump's flags and meanings.
#[derive(Debug, clap::Args)]
pub struct DumpArgs {
    /// Read packets from FILE (pcap or pcapng).
    #[arg(short = 'r', value_name = "FILE")]
    pub read: Option<PathBuf>,
    /// Don't convert addresses to names; -nn: nor ports.
    #[arg(short = 'n', action = clap::ArgAction::Count)]
    pub n: u8,
    /// Verbose; -vv, -vvv: more.
    #[arg(short = 'v', action = clap::ArgAction::Count)]
    pub v: u8,
    /// Hex dump of each packet; -xx: including the link header.
    #[arg(short = 'x', action = clap::ArgAction::Count)]
    pub x: u8,
    /// Hex and ASCII dump; -XX: including the link header.
    #[arg(short = 'X', action = clap::ArgAction::Count)]
    pub xx: u8,
    /// ASCII dump of each packet.
    #[arg(short = 'A', action = clap::ArgAction::Count)]
    pub a: u8,
    /// Print the link-level header.
    #[arg(short = 'e', action = clap::ArgAction::Count)]
    pub e: u8,
    /// Absolute TCP sequence numbers.
    #[arg(short = 'S', action = clap::ArgAction::Count)]
    pub s_abs: u8,
    /// Timestamp format: -t none, -tt seconds, -ttt delta, -tttt date, -ttttt since first.
    #[arg(short = 't', action = clap::ArgAction::Count)]
    pub t: u8,
    /// Quiet: less protocol information.
    #[arg(short = 'q', action = clap::ArgAction::Count)]
    pub q: u8,
    /// Don't verify checksums.
    #[arg(short = 'K', action = clap::ArgAction::Count)]
    pub k: u8,
    /// Exit after N packets.
    #[arg(short = 'c', value_name = "N")]
    pub count: Option<u64>,
    /// Snapshot length.
    #[arg(short = 's', value_name = "SNAPLEN")]
    pub snaplen: Option<u32>,
    /// Filter expression (tcpdump's language).
    #[arg(trailing_var_arg = true, allow_hyphen_values = false)]
    pub expression: Vec<String>,
}

impl DumpArgs {
    fn print_options(&self) -> PrintOptions {
        PrintOptions {
            n: self.n,
            v: self.v,
            x: self.x,
            xx: self.xx,
            a: self.a,
            e: self.e,
            s_abs: self.s_abs,
            t: self.t,
            q: self.q,
            k: self.k,
            nano: false,
        }
    }
}

pub fn run(args: DumpArgs) -> ExitCode {
    match dump(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            if let Some(io) = e.downcast_ref::<std::io::Error>() {
                if io.kind() == std::io::ErrorKind::BrokenPipe {
                    return ExitCode::SUCCESS;
                }
            }
            super::report_error("echolab dump", &e);
            ExitCode::from(1)
        }
    }
}

fn dump(args: &DumpArgs) -> anyhow::Result<()> {
    let path = args
        .read
        .as_ref()
        .context("live capture is not available yet; use -r FILE")?;
    let file = std::fs::File::open(path).with_context(|| format!("{}", path.display()))?;
    let mut reader = Reader::new(std::io::BufReader::with_capacity(1 << 16, file))
        .with_context(|| format!("{}: not a pcap file", path.display()))?;
    let expr = args.expression.join(" ");
    let prog = filter::compile(&expr, reader.link(), reader.snaplen())?;
    let mut printer = Printer::new(args.print_options());
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let mut text = String::new();
    let mut n = 0u64;
    let mut io_err = None;
    reader.for_each(|rec| {
        if !prog.matches(rec.data, rec.len) {
            return true;
        }
        text.clear();
        printer.print(rec, &mut text);
        if let Err(e) = out.write_all(text.as_bytes()) {
            io_err = Some(e);
            return false;
        }
        n += 1;
        args.count.is_none_or(|c| n < c)
    })?;
    if let Some(e) = io_err {
        return Err(e.into());
    }
    out.flush()?;
    Ok(())
}
