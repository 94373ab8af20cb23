//! `echolab dump` without `-r`: capture live, print like tcpdump, write pcap or pcapng.
//!
//! `echolab dump [-i IFACE] [-w FILE] [--pcapng] [-c N] [-s SNAPLEN] [-U] [-l] [--print]
//! [print flags] [EXPR]`, with tcpdump 4.99.3's meanings (`tcpdump.c` at tcpdump-4.99.3). With
//! no `-i` it captures on `lo`; with no `-i` and no expression it captures what the lab
//! watches, `port 4002`. `dump.rs` turns the flags into [`LiveDump`]; the capture loop is
//! `crate::capture::live::session`.
//!
//! What it says on stderr follows tcpdump, with `echolab dump` in place of the program name:
//! `echolab dump: verbose output suppressed, use -v[v]... for full protocol decode` then
//! `listening on lo, link-type EN10MB (Ethernet), snapshot length 262144 bytes` when printing
//! without `-v`, else `echolab dump: listening on …` on one line. When the capture ends
//! (Ctrl-C, SIGTERM, `-c N`, a closed stdout) it prints tcpdump's three statistics lines with
//! the kernel's figures and exits 0. Like tcpdump, a capture ended by a signal while printing
//! ends stdout with an empty line. A `-w` file that cannot take a frame or even its header
//! (a full disk, a closed pipe) ends the capture too: the statistics, then one error line,
//! exit 1 (tcpdump 4.99.3 ignores such write errors and exits 0; echolab does not lose frames
//! silently).
//!
//! The expression is compiled to classic BPF and attached to the socket; if the kernel refuses
//! the program, every frame is read and the same program runs in user space (said once on
//! stderr). On `-i any` the program is compiled for `LINUX_SLL2` and rewritten for the socket,
//! which sees packets without the cooked header, as libpcap does
//! (`capture::live::cooked_kernel_program`); a program libpcap cannot rewrite runs in user
//! space, silently as in libpcap, over the record with its cooked header, the packet's length
//! without that header standing for the length on the wire (as the kernel sees it).
//!
//! On `any`, tcpdump's `echolab dump: data link type LINUX_SLL2` comes first on stderr.
//!
//! `-D` lists the interfaces (`list_interfaces`).

use std::cell::RefCell;
use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use super::dump_write::{limit_reached, File, WriteOptions};
use crate::capture::filter::Program;
use crate::capture::live::session::{capture_filtered, stats_lines, CaptureOptions};
use crate::capture::live::{filter_len, list_devices, Capture, LiveError, Stats, ANY_INTERFACE};
use crate::capture::print::{PrintOptions, Printer};
use crate::capture::record::{LinkType, Record};

const PROG: &str = "echolab dump";

/// A live dump: the capture, the program it filters with, and its outputs.
#[derive(Debug, Clone)]
pub struct LiveDump {
    /// What to capture, with the kernel form of `program`.
    pub capture: CaptureOptions,
    /// The compiled expression, run in user space if the kernel refuses it.
    pub program: Program,
    /// The `-w` file.
    pub write: Option<WriteOptions>,
    /// Print the packets (no `-w`, or `--print`).
    pub print: Option<PrintOptions>,
    /// Flush stdout after each packet (`-U`, `-l`, a terminal).
    pub flush_each: bool,
    /// tcpdump's `-v` count (it chooses the start lines and the `Got N` counter).
    pub v: u8,
}

/// Why a running capture stopped writing.
enum Stop {
    /// stdout was closed or failed while printing.
    Print(io::Error),
    /// The `-w` file could not take its header or the next frame.
    File(io::Error),
}

/// Live `echolab dump`: capture until stopped, then the statistics. Errors are one line.
pub fn live_dump(mut dump: LiveDump) -> anyhow::Result<()> {
    // A program longer than the kernel takes is never offered to it.
    let mut result = match dump.capture.filter {
        Some(_) => run(&dump, false),
        None if dump.capture.live.interface == ANY_INTERFACE => return run(&dump, true),
        None => Err(LiveError::Filter(io::Error::other("program too long")).into()),
    };
    if let Err(e) = &result {
        let refused = e
            .chain()
            .any(|c| matches!(c.downcast_ref::<LiveError>(), Some(LiveError::Filter(_))));
        if refused {
            let _ = writeln!(
                io::stderr(),
                "{PROG}: warning: the kernel refused the filter program; filtering in user space"
            );
            dump.capture.filter = None;
            result = run(&dump, true);
        }
    }
    result
}

/// tcpdump's start lines (`tcpdump.c`, tcpdump-4.99.3, before `pcap_loop`).
fn start_text(dump: &LiveDump, listening: &str) -> String {
    if dump.v == 0 && dump.write.is_none() {
        format!(
            "{PROG}: verbose output suppressed, use -v[v]... for full protocol decode\n\
                 {listening}\n"
        )
    } else {
        format!("{PROG}: {listening}\n")
    }
}

/// One capture; with `user_filter` the program runs in user space.
fn run(dump: &LiveDump, user_filter: bool) -> anyhow::Result<()> {
    let file: RefCell<Option<File>> = RefCell::new(None);
    let stop: RefCell<Option<Stop>> = RefCell::new(None);
    let stdout = io::stdout();
    let mut out = io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let mut text = String::with_capacity(1 << 12);
    let written = AtomicU64::new(0);
    let running = AtomicBool::new(true);
    let mut printer = dump.print.clone().map(crate::capture::names::printer);
    let opts = &dump.capture;
    let started = |cap: &Capture| -> anyhow::Result<()> {
        if cap.link() == LinkType::LinuxSll2 {
            // tcpdump.c asks for this link type on `any` and says so (`-y`'s line).
            let _ = writeln!(io::stderr(), "{PROG}: data link type LINUX_SLL2");
        }
        if let Some(w) = &dump.write {
            let dst = w.create()?;
            // A header that cannot be written ends the capture like a frame that cannot.
            match w.start(dst, cap.link(), cap.snaplen()) {
                Ok(f) => *file.borrow_mut() = Some(f),
                Err(e) => {
                    *stop.borrow_mut() = Some(Stop::File(e));
                    opts.stop.stop();
                }
            }
        }
        let _ = io::stderr().write_all(start_text(dump, &cap.listening_line()).as_bytes());
        Ok(())
    };
    let sink = |rec: &Record<'_>| -> anyhow::Result<()> {
        if stop.borrow().is_some() {
            return Ok(());
        }
        let print = printer.as_mut().map(|p| (p, &mut out, &mut text));
        if let Err(f) = write_one(rec, &mut file.borrow_mut(), print, dump.flush_each) {
            *stop.borrow_mut() = Some(f);
            opts.stop.stop();
            return Ok(());
        }
        // Only this thread writes the count: no locked add per frame.
        written.store(written.load(Ordering::Relaxed) + 1, Ordering::Relaxed);
        Ok(())
    };
    // A cooked header is not part of the packet's length (`-i any`).
    let keep = |rec: &Record<'_>| !user_filter || dump.program.matches(rec.data, filter_len(rec));
    let counting = dump.v > 0 && dump.write.is_some() && dump.print.is_none();
    let stats = std::thread::scope(|s| {
        if counting {
            s.spawn(|| report_progress(&written, &running));
        }
        let result = capture_filtered(opts, keep, started, sink);
        running.store(false, Ordering::SeqCst);
        result
    })?;
    let stop = stop.into_inner();
    finish(
        dump,
        stats,
        written.into_inner(),
        file.into_inner(),
        stop,
        out,
    )
}

/// Flush everything, print the statistics, then say what failed.
fn finish(
    dump: &LiveDump,
    mut stats: Stats,
    written: u64,
    file: Option<File>,
    mut stop: Option<Stop>,
    mut out: impl Write,
) -> anyhow::Result<()> {
    stats.captured = written;
    // `-G` with `-W`: the frame that found the last file done ends the dump, counted as
    // captured and not written, as tcpdump does; the line goes before the statistics.
    let limit = match &stop {
        Some(Stop::File(e)) => limit_reached(e),
        _ => None,
    };
    if let Some(text) = &limit {
        stats.captured += 1;
        let _ = io::stderr().write_all(text.as_bytes());
    }
    if let Some(mut f) = file {
        if let Err(e) = f.flush() {
            stop.get_or_insert(Stop::File(e));
        }
    }
    let by_count = dump.capture.count.is_some_and(|c| written >= c);
    if dump.print.is_some() && stop.is_none() && !by_count {
        // tcpdump ends an interrupted printout with a newline, in case a line was cut.
        let _ = out.write_all(b"\n");
    }
    if let Err(e) = out.flush() {
        stop.get_or_insert(Stop::Print(e));
    }
    let _ = io::stderr().write_all(stats_lines(&stats).as_bytes());
    match (stop, &dump.write) {
        (None, _) => Ok(()),
        (Some(Stop::File(_)), _) if limit.is_some() => Ok(()),
        (Some(Stop::Print(e)), _) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        (Some(Stop::Print(e)), _) => Err(anyhow::Error::new(e).context("writing to stdout")),
        (Some(Stop::File(e)), Some(w)) => Err(w.failed(&e)),
        (Some(Stop::File(e)), None) => Err(e.into()),
    }
}

/// tcpdump's `-v` with `-w` (and no `--print`): once a second, `Got N` and a carriage return
/// on stderr, the first time and whenever the count changed (`print_packets_captured` in
/// `tcpdump.c`, tcpdump-4.99.3).
fn report_progress(count: &AtomicU64, running: &AtomicBool) {
    let mut last: Option<u64> = None;
    let mut next = Instant::now() + Duration::from_secs(1);
    while running.load(Ordering::SeqCst) {
        std::thread::sleep(Duration::from_millis(20));
        if Instant::now() < next {
            continue;
        }
        next += Duration::from_secs(1);
        let n = count.load(Ordering::Relaxed);
        if last != Some(n) {
            let _ = write!(io::stderr(), "Got {n}\r");
            last = Some(n);
        }
    }
}

/// Write one frame to the file, then print it.
fn write_one(
    rec: &Record<'_>,
    file: &mut Option<File>,
    print: Option<(
        &mut Printer,
        &mut io::BufWriter<io::StdoutLock<'_>>,
        &mut String,
    )>,
    flush_each: bool,
) -> Result<(), Stop> {
    if let Some(f) = file.as_mut() {
        f.write(rec).map_err(Stop::File)?;
    }
    if let Some((printer, out, text)) = print {
        text.clear();
        printer.print(rec, text);
        out.write_all(text.as_bytes()).map_err(Stop::Print)?;
        if flush_each {
            out.flush().map_err(Stop::Print)?;
        }
    }
    Ok(())
}

/// `-D`: tcpdump's numbered list of the interfaces (`show_devices_and_exit` in `tcpdump.c` at
/// tcpdump-4.99.3), from `pcap_findalldevs`'s rules (`capture::live::list_devices`).
pub fn list_interfaces() -> super::Result {
    let mut text = String::new();
    for (i, dev) in list_devices().iter().enumerate() {
        text.push_str(&format!("{}.{}\n", i + 1, dev.line()));
    }
    io::stdout()
        .lock()
        .write_all(text.as_bytes())
        .map_err(|e| super::Failure::runtime(anyhow::Error::new(e)))?;
    Ok(super::Outcome::Success)
}
