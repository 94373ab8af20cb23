//! `echolab dump`: tcpdump's command line over echolab's printers.
//!
//! `echolab dump -r FILE [flags] [expression]` reads a pcap or pcapng file and prints every
//! packet that passes the filter exactly as tcpdump 4.99.3 does (`tcpdump.c` at
//! tcpdump-4.99.3 for the flags and the messages). Exit status (`cli/mod.rs`): 0 when the
//! whole file was printed (or stdout was closed early), 1 when the file, its link type, the
//! filter or the output failed, as tcpdump; 2 for a command line clap rejects.
//!
//! Without `-r` it captures live: `capture.rs` (README.md, "Live capture").

use std::io::{IsTerminal, Read, Write};
use std::path::PathBuf;

use anyhow::Context;

use super::capture::LiveDump;
use super::dump_write::{copy_records, WriteOptions};
use crate::capture::filter;
use crate::capture::live::session::CaptureOptions;
use crate::capture::live::{
    LiveOptions, StopFlag, DEFAULT_BUFFER_SIZE, DEFAULT_INTERFACE, DEFAULT_SNAPLEN, DEFAULT_USER,
};
use crate::capture::pcap::{link_type_error, Reader, MAXIMUM_SNAPLEN};
use crate::capture::print::{PrintOptions, Printer};
use crate::capture::record::LinkType;

/// The expression the lab's captures use when none is given (the report's `port 4002`).
pub const LAB_EXPRESSION: &str = "port 4002";

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
    /// ASCII dump of each packet; -AA: including the link header.
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
    #[arg(short = 'c', value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub count: Option<u64>,
    /// Snapshot length (0 means 262144); reading a file keeps the file's own, as tcpdump does.
    #[arg(short = 's', value_name = "SNAPLEN",
          value_parser = clap::value_parser!(u32).range(0..=i64::from(MAXIMUM_SNAPLEN)))]
    pub snaplen: Option<u32>,
    /// Time stamp precision: micro (default) or nano.
    #[arg(long = "time-stamp-precision", value_name = "PRECISION",
          value_parser = ["micro", "nano"])]
    pub precision: Option<String>,
    /// Nanosecond time stamps (--time-stamp-precision=nano).
    #[arg(long = "nano")]
    pub nano: bool,
    /// Microsecond time stamps (the default).
    #[arg(long = "micro")]
    pub micro: bool,
    /// Capture live on INTERFACE (default lo).
    #[arg(short = 'i', value_name = "INTERFACE")]
    pub interface: Option<String>,
    /// Write the raw packets to FILE (`-` for stdout) instead of printing them.
    #[arg(short = 'w', value_name = "FILE")]
    pub write: Option<PathBuf>,
    /// With -w, write pcapng instead of pcap.
    #[arg(long = "pcapng")]
    pub pcapng: bool,
    /// With -w, also print the packets.
    #[arg(long = "print")]
    pub print: bool,
    /// Flush the -w file (and the printout) after each packet.
    #[arg(short = 'U')]
    pub unbuffered: bool,
    /// Line-buffered output: each printed packet reaches stdout at once.
    #[arg(short = 'l')]
    pub line_buffered: bool,
    /// Don't put the interface into promiscuous mode.
    #[arg(short = 'p')]
    pub no_promisc: bool,
    /// Kernel buffer size in KiB (default 2048).
    #[arg(short = 'B', value_name = "KIB")]
    pub buffer_kib: Option<usize>,
    /// Deliver each frame as soon as it arrives (without the ring, which batches frames).
    #[arg(long = "immediate-mode")]
    pub immediate: bool,
    /// Once the capture and the -w file are open, give up root for USER (default nobody; root
    /// keeps it): no groups, no capabilities, no new privileges.
    #[arg(short = 'Z', long = "relinquish-privileges", value_name = "USER")]
    pub user: Option<String>,
    /// Filter expression (tcpdump's language).
    #[arg(value_name = "EXPRESSION")]
    pub expression: Vec<String>,
}

impl DumpArgs {
    fn nano(&self) -> bool {
        match self.precision.as_deref() {
            Some(p) => p == "nano",
            None => self.nano && !self.micro,
        }
    }

    pub(crate) fn print_options(&self) -> PrintOptions {
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
            nano: self.nano(),
            // localtime(3) honours TZ; the tz database says what it means.
            tz: Some(jiff::tz::TimeZone::system()),
        }
    }
}

/// Runs `echolab dump`. Every failure is tcpdump's status 1 (`error()` in `tcpdump.c`),
/// a closed stdout 0.
pub fn run(args: DumpArgs) -> super::Result {
    dump(&args)?;
    Ok(super::Outcome::Success)
}

fn dump(args: &DumpArgs) -> anyhow::Result<()> {
    if args.t > 5 {
        // tcpdump.c refuses more than five before opening anything.
        anyhow::bail!("only -t, -tt, -ttt, -tttt and -ttttt are supported");
    }
    let Some(path) = args.read.as_ref() else {
        return super::capture::live_dump(live_options(args)?);
    };
    let name = path.display();
    let file =
        std::fs::File::open(path).map_err(|e| anyhow::anyhow!("{name}: {}", os_message(&e)))?;
    let src = std::io::BufReader::with_capacity(1 << 17, file);
    let mut reader = Reader::with_precision(src, args.nano()).with_context(|| format!("{name}"))?;
    // A closed or full stderr must not stop the packets (eprintln! would panic).
    let mut said = reading_line(&name.to_string(), &reader) + "\n";
    if reader.link() == LinkType::LinuxSll2 {
        // tcpdump.c (tcpdump-4.99.3) says so for every LINUX_SLL2 file, without its name.
        said.push_str("Warning: interface names might be incorrect\n");
    }
    let _ = std::io::stderr().write_all(said.as_bytes());
    if let Some(e) = link_type_error(reader.linktype()) {
        anyhow::bail!(e);
    }
    let expr = args.expression.join(" ");
    let prog = filter::compile(&expr, reader.link(), reader.snaplen())?;
    if let Some(w) = write_options(args) {
        let print = args.print.then(|| args.print_options());
        let input = name.to_string();
        return copy_records(&mut reader, &input, &prog, args.count, &w, print);
    }
    let mut printer = crate::capture::names::printer(args.print_options());
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let result = print_all(&mut reader, &prog, &mut printer, args.count, &mut out);
    // Whatever was printed before a damaged record reaches stdout before the error line.
    let flushed = out.flush();
    match result {
        Err(Failure::Output(e)) => return Err(e.into()),
        Err(Failure::File(e)) => {
            flushed?;
            return Err(anyhow::Error::new(e).context(format!("{name}")));
        }
        Ok(()) => {}
    }
    flushed?;
    Ok(())
}

/// The `-w` file, if any.
fn write_options(args: &DumpArgs) -> Option<WriteOptions> {
    Some(WriteOptions {
        path: args.write.clone()?,
        pcapng: args.pcapng,
        nano: args.nano(),
        flush_each: args.unbuffered,
    })
}

/// The live dump the flags ask for.
fn live_options(args: &DumpArgs) -> anyhow::Result<LiveDump> {
    let mut expr = args.expression.join(" ");
    if expr.trim().is_empty() && args.interface.is_none() {
        expr = LAB_EXPRESSION.to_string();
    }
    let snaplen = args.snaplen.filter(|&s| s != 0).unwrap_or(DEFAULT_SNAPLEN);
    let program = filter::compile(&expr, LinkType::Ethernet, snaplen)?;
    let printing = args.write.is_none() || args.print;
    let terminal = std::io::stdout().is_terminal();
    // tcpdump's read timeout (`tcpdump.c` at tcpdump-4.99.3): 1000 ms, or 100 ms when it
    // prints to a terminal or with `-l`, so that lines show up soon after their packets.
    let fast = printing && (args.line_buffered || terminal);
    let timeout_ms = if fast { 100 } else { 1000 };
    let live = LiveOptions {
        interface: args.interface.clone().unwrap_or(DEFAULT_INTERFACE.into()),
        snaplen,
        promisc: !args.no_promisc,
        buffer_size: (args.buffer_kib.map(|k| k.saturating_mul(1024)))
            .unwrap_or(DEFAULT_BUFFER_SIZE),
        // libpcap's immediate mode gives up the TPACKET_V3 ring, which batches frames.
        ring: !args.immediate,
        timeout_ms,
    };
    Ok(LiveDump {
        capture: CaptureOptions {
            live,
            // `None` past the kernel's limit: `live_dump` then filters in user space.
            filter: program.sock_filter().ok(),
            count: args.count,
            stop: StopFlag::new(),
            stop_on_signals: true,
            drop_to_user: Some(args.user.clone().unwrap_or(DEFAULT_USER.into())),
        },
        program,
        write: write_options(args),
        print: printing.then(|| args.print_options()),
        flush_each: args.unbuffered || args.line_buffered || terminal,
        v: args.v,
    })
}

/// The system's message for an I/O error, as `strerror(3)` words it (without Rust's
/// ` (os error N)`).
fn os_message(e: &std::io::Error) -> String {
    let text = e.to_string();
    match text.rfind(" (os error ") {
        Some(at) => text.get(..at).unwrap_or(&text).to_string(),
        None => text,
    }
}

/// tcpdump's `reading from file F, link-type NAME (DESCRIPTION), snapshot length N`.
fn reading_line<R: Read>(name: &str, reader: &Reader<R>) -> String {
    // A DLT libpcap refuses (14, read as RAW elsewhere) has no name in its table either.
    let known = link_type_error(reader.linktype()).is_none();
    let link = match reader.link().names().filter(|_| known) {
        Some((n, d)) => format!("{n} ({d})"),
        None => reader.linktype().to_string(),
    };
    format!(
        "reading from file {name}, link-type {link}, snapshot length {}",
        reader.snaplen()
    )
}

enum Failure {
    File(crate::capture::pcap::PcapError),
    Output(std::io::Error),
}

/// Prints the records that pass `prog`, at most `count`; one text buffer serves every packet.
fn print_all<R: Read>(
    reader: &mut Reader<R>,
    prog: &filter::Program,
    printer: &mut Printer,
    count: Option<u64>,
    out: &mut impl Write,
) -> Result<(), Failure> {
    let mut text = String::with_capacity(1 << 12);
    let mut n = 0u64;
    while count.is_none_or(|c| n < c) {
        let Some(rec) = reader.next_record().map_err(Failure::File)? else {
            break;
        };
        if !prog.matches(rec.data, rec.len) {
            continue;
        }
        text.clear();
        printer.print(&rec, &mut text);
        out.write_all(text.as_bytes()).map_err(Failure::Output)?;
        n += 1;
    }
    Ok(())
}
