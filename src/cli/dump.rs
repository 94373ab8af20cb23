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

use anyhow::Context;

use super::capture::LiveDump;
use super::dump_write::{copy_records, rotation, WriteOptions};
use crate::capture::filter;
use crate::capture::live::session::CaptureOptions;
use crate::capture::live::{
    kernel_program, link_of, Direction, LiveOptions, StopFlag, DEFAULT_BUFFER_SIZE,
    DEFAULT_INTERFACE, DEFAULT_SNAPLEN, DEFAULT_USER,
};
use crate::capture::names::FilterNames;
use crate::capture::pcap::rotate::Rotation;
use crate::capture::pcap::{link_type_error, Reader};
use crate::capture::print::Printer;
use crate::capture::record::LinkType;

#[path = "dump_args.rs"]
mod args;
pub use args::DumpArgs;

/// The expression the lab's captures use when none is given (the report's `port 4002`).
pub const LAB_EXPRESSION: &str = "port 4002";

/// Runs `echolab dump`. Every failure is tcpdump's status 1 (`error()` in `tcpdump.c`),
/// a closed stdout 0.
pub fn run(args: DumpArgs) -> super::Result {
    if args.list_interfaces {
        return super::capture::list_interfaces();
    }
    let direction = match args.direction.as_deref() {
        None => Direction::InOut,
        Some(name) => Direction::from_name(name).ok_or_else(|| {
            // tcpdump.c's words; a usage error here.
            super::Failure::usage(anyhow::anyhow!("unknown capture direction `{name}'"))
        })?,
    };
    dump(&args, direction)?;
    Ok(super::Outcome::Success)
}

fn dump(args: &DumpArgs, direction: Direction) -> anyhow::Result<()> {
    // tcpdump.c refuses bad -C, -G, -W values as it reads them, then more than five -t.
    let rotation = rotation(
        args.rotate_size.as_deref(),
        args.rotate_seconds.as_deref(),
        args.rotate_files.as_deref(),
        args.rotate_command.clone(),
    )?;
    if args.t > 5 {
        anyhow::bail!("only -t, -tt, -ttt, -tttt and -ttttt are supported");
    }
    args.check_packettype()?;
    let write = write_options(args, rotation);
    let Some(path) = args.read.as_ref() else {
        let expr = args.expression()?;
        if args.d > 0 {
            // tcpdump.c: without a device, the program of an Ethernet capture.
            if args.interface.is_none() {
                let _ = std::io::stderr().write_all(b"Warning: assuming Ethernet\n");
            }
            if live_link(args) == LinkType::LinuxSll2 {
                // tcpdump.c asks for cooked v2 on `any` and says so.
                let _ = std::io::stderr().write_all(b"echolab dump: data link type LINUX_SLL2\n");
            }
            let snaplen = args.snaplen.filter(|&s| s != 0).unwrap_or(DEFAULT_SNAPLEN);
            return show_program(&expr, live_link(args), snaplen, args.d);
        }
        return super::capture::live_dump(live_options(args, expr, write, direction)?);
    };
    let name = path.display();
    let src: Box<dyn Read> = if path.as_os_str() == "-" {
        Box::new(std::io::stdin())
    } else {
        let file =
            std::fs::File::open(path).map_err(|e| anyhow::anyhow!("{name}: {}", os_message(&e)))?;
        Box::new(file)
    };
    // The reader buffers its input itself.
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
    let expr = args.expression()?;
    if args.d > 0 {
        return show_program(&expr, reader.link(), reader.snaplen(), args.d);
    }
    let prog = filter::compile_with(&expr, reader.link(), reader.snaplen(), &FilterNames)?;
    if args.count_only {
        return count_packets(&mut reader, &prog, args.count, &name.to_string());
    }
    if let Some(w) = write {
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

/// The `-w` file(s), if any. Live, rotating files are created by the user the capture
/// becomes.
fn write_options(args: &DumpArgs, rotation: Rotation) -> Option<WriteOptions> {
    let live_user = args.user.clone().unwrap_or(DEFAULT_USER.into());
    Some(WriteOptions {
        path: args.write.clone()?,
        pcapng: args.pcapng,
        nano: args.nano(),
        flush_each: args.unbuffered,
        rotation,
        drop_to: args.read.is_none().then_some(live_user),
    })
}

/// `-d`, `-dd`, `-ddd`: the program `expr` compiles to, as tcpdump shows it.
fn show_program(expr: &str, link: LinkType, snaplen: u32, level: u8) -> anyhow::Result<()> {
    let prog = filter::compile_with(expr, link, snaplen, &FilterNames)?;
    let text = filter::image::dump(prog.instructions(), level);
    std::io::stdout().lock().write_all(text.as_bytes())?;
    Ok(())
}

/// `--count`: tcpdump's `N packets` on stdout for the records that pass `prog`.
fn count_packets<R: Read>(
    reader: &mut Reader<R>,
    prog: &filter::Program,
    count: Option<u64>,
    name: &str,
) -> anyhow::Result<()> {
    let mut n = 0u64;
    while count.is_none_or(|c| n < c) {
        let rec = reader.next_record().with_context(|| name.to_string())?;
        let Some(rec) = rec else { break };
        if prog.matches(rec.data, rec.len) {
            n += 1;
        }
    }
    let plural = if n == 1 { "" } else { "s" };
    std::io::stdout()
        .lock()
        .write_all(format!("{n} packet{plural}\n").as_bytes())?;
    Ok(())
}

/// The live dump the flags ask for.
fn live_options(
    args: &DumpArgs,
    mut expr: String,
    write: Option<WriteOptions>,
    direction: Direction,
) -> anyhow::Result<LiveDump> {
    if expr.trim().is_empty() && args.interface.is_none() {
        // Not tcpdump's habit (it captures everything): say so where the lab's default
        // applies.
        let _ = std::io::stderr().write_all(
            format!(
                "echolab dump: no expression given: capturing `{LAB_EXPRESSION}` on lo (give \
                 an expression or -i to choose)\n"
            )
            .as_bytes(),
        );
        expr = LAB_EXPRESSION.to_string();
    }
    let snaplen = args.snaplen.filter(|&s| s != 0).unwrap_or(DEFAULT_SNAPLEN);
    let link = live_link(args);
    let program = filter::compile_with(&expr, link, snaplen, &FilterNames)?;
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
        direction,
    };
    Ok(LiveDump {
        capture: CaptureOptions {
            live,
            // `None` past the kernel's limit, or on `any` for a program reading a header field
            // the kernel cannot give: `live_dump` then filters in user space.
            filter: (program.sock_filter().ok()).and_then(|p| kernel_program(link, p)),
            count: args.count,
            stop: StopFlag::new(),
            stop_on_signals: true,
            drop_to_user: Some(args.user.clone().unwrap_or(DEFAULT_USER.into())),
        },
        program,
        write,
        print: printing.then(|| args.print_options()),
        flush_each: args.unbuffered || args.line_buffered || terminal,
        v: args.v,
    })
}

/// The link type of the live capture the flags ask for: cooked v2 on `any`, else Ethernet.
fn live_link(args: &DumpArgs) -> LinkType {
    link_of(args.interface.as_deref().unwrap_or(DEFAULT_INTERFACE))
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

/// `BPF_RET | BPF_K`: return the constant.
const BPF_RET_K: u16 = 0x06;

/// Prints the records that pass `prog`, at most `count`; one text buffer serves every packet.
fn print_all<R: Read>(
    reader: &mut Reader<R>,
    prog: &filter::Program,
    printer: &mut Printer,
    count: Option<u64>,
    out: &mut impl Write,
) -> Result<(), Failure> {
    // Packets' text gathers here and goes out in blocks of about `BLOCK` bytes.
    const BLOCK: usize = 1 << 16;
    let mut text = String::with_capacity(BLOCK + (1 << 12));
    let mut n = 0u64;
    // No expression compiles to one `ret #snaplen`: no need to run it per packet.
    let everything = matches!(prog.instructions(), [only] if only.code == BPF_RET_K && only.k != 0);
    let read = loop {
        if count.is_some_and(|c| n >= c) {
            break Ok(());
        }
        let (rec, stamp) = match reader.next_stamped() {
            Ok(Some(next)) => next,
            Ok(None) => break Ok(()),
            Err(e) => break Err(Failure::File(e)),
        };
        if !everything && !prog.matches(rec.data, rec.len) {
            continue;
        }
        printer.print_stamped(&rec, stamp, &mut text);
        n += 1;
        if text.len() >= BLOCK {
            out.write_all(text.as_bytes()).map_err(Failure::Output)?;
            text.clear();
        }
    };
    // What was printed before a damaged record goes out before its error.
    out.write_all(text.as_bytes()).map_err(Failure::Output)?;
    read
}
