//! `echolab dump` without `-r`: capture live, print like tcpdump, write pcap or pcapng.
//!
//! `echolab dump [-i IFACE] [-w FILE] [--pcapng] [-c N] [-s SNAPLEN] [-U] [-l] [--print]
//! [print flags] [EXPR]`, with tcpdump 4.99.3's meanings (`tcpdump.c` at tcpdump-4.99.3). With
//! no `-i` it captures on `lo`; with no `-i` and no expression it captures what the lab
//! watches, `port 4002`.
//!
//! What it says on stderr follows tcpdump, with `echolab dump` in place of the program name:
//! `echolab dump: verbose output suppressed, use -v[v]... for full protocol decode` then
//! `listening on lo, link-type EN10MB (Ethernet), snapshot length 262144 bytes` when printing
//! without `-v`, else `echolab dump: listening on …` on one line. When the capture ends
//! (Ctrl-C, SIGTERM, `-c N`, a closed stdout) it prints tcpdump's three statistics lines with
//! the kernel's figures and exits 0. Like tcpdump, a capture ended by a signal while printing
//! ends stdout with an empty line.
//!
//! The expression is compiled to classic BPF and attached to the socket; if the kernel refuses
//! the program, every frame is read and the same program runs in user space (said once on
//! stderr).

use std::cell::RefCell;
use std::io::{self, IsTerminal, Write};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context;

use super::dump::DumpArgs;
use super::live::{capture_filtered, stats_lines, CaptureOptions};
use super::savefile::{Format, SaveFile};
use crate::capture::filter::{self, Program};
use crate::capture::live::{
    LiveError, LiveOptions, SockFilter, StopFlag, DEFAULT_BUFFER_SIZE, DEFAULT_INTERFACE,
    DEFAULT_SNAPLEN,
};
use crate::capture::names;
use crate::capture::print::{PrintOptions, Printer};
use crate::capture::record::{LinkType, Record};

const PROG: &str = "echolab dump";

/// The expression the lab's captures use when none is given (the report's `port 4002`).
pub const LAB_EXPRESSION: &str = "port 4002";

/// The kernel form of a compiled program.
pub fn sock_filter(prog: &Program) -> Vec<SockFilter> {
    prog.instructions()
        .iter()
        .map(|i| SockFilter::new(i.code, i.jt, i.jf, i.k))
        .collect()
}

/// Whether an error is the kernel refusing the filter program (the caller may then filter in
/// user space).
pub fn is_filter_refused(e: &anyhow::Error) -> bool {
    e.chain()
        .any(|c| matches!(c.downcast_ref::<LiveError>(), Some(LiveError::Filter(_))))
}

/// Why a running capture stopped writing.
enum Failure {
    /// stdout was closed or failed while printing.
    Print(io::Error),
    /// The `-w` file could not take the next frame.
    File(io::Error),
}

/// Live `echolab dump`: capture until stopped, then the statistics. Errors are one line.
pub fn live_dump(args: &DumpArgs, popts: PrintOptions) -> anyhow::Result<()> {
    let interface = args
        .interface
        .clone()
        .unwrap_or_else(|| DEFAULT_INTERFACE.to_string());
    let mut expr = args.expression.join(" ");
    if expr.trim().is_empty() && args.interface.is_none() {
        expr = LAB_EXPRESSION.to_string();
    }
    let snaplen = match args.snaplen {
        None | Some(0) => DEFAULT_SNAPLEN,
        Some(s) => s,
    };
    let prog = filter::compile(&expr, LinkType::Ethernet, snaplen)?;
    let mut opts = CaptureOptions {
        live: LiveOptions {
            interface,
            snaplen,
            promisc: !args.no_promisc,
            buffer_size: args
                .buffer_kib
                .map_or(DEFAULT_BUFFER_SIZE, |k| k.saturating_mul(1024)),
            // libpcap's immediate mode gives up the TPACKET_V3 ring, which batches frames.
            ring: !args.immediate,
            timeout_ms: read_timeout(args),
        },
        filter: Some(sock_filter(&prog)),
        count: args.count,
        stop: StopFlag::new(),
        stop_on_signals: true,
        drop_to_user: None,
    };
    let mut dump = LiveDump::new(args, popts);
    let mut result = dump.run(&opts, None);
    if let Err(e) = &result {
        if is_filter_refused(e) {
            let _ = writeln!(
                io::stderr(),
                "{PROG}: warning: the kernel refused the filter program; filtering in user space"
            );
            opts.filter = None;
            result = dump.run(&opts, Some(&prog));
        }
    }
    result
}

/// tcpdump's read timeout (`tcpdump.c` at tcpdump-4.99.3): 1000 ms, or 100 ms when it prints
/// to a terminal or with `-l`, so that lines show up soon after their packets.
fn read_timeout(args: &DumpArgs) -> u32 {
    let printing = args.write.is_none() || args.print;
    if printing && (args.line_buffered || io::stdout().is_terminal()) {
        100
    } else {
        1000
    }
}

/// The outputs of one live dump.
struct LiveDump<'a> {
    args: &'a DumpArgs,
    printer: Printer,
    printing: bool,
    flush_each: bool,
}

impl<'a> LiveDump<'a> {
    fn new(args: &'a DumpArgs, popts: PrintOptions) -> LiveDump<'a> {
        let printing = args.write.is_none() || args.print;
        let flush_each = args.unbuffered || args.line_buffered || io::stdout().is_terminal();
        LiveDump {
            args,
            printer: names::printer(popts),
            printing,
            flush_each,
        }
    }
}

/// tcpdump's start lines (`tcpdump.c`, tcpdump-4.99.3, before `pcap_loop`).
fn start_text(args: &DumpArgs, listening: &str) -> String {
    if args.v == 0 && args.write.is_none() {
        format!(
            "{PROG}: verbose output suppressed, use -v[v]... for full protocol decode\n\
                 {listening}\n"
        )
    } else {
        format!("{PROG}: {listening}\n")
    }
}

/// The `-w` file, created once the capture is open.
fn open_file(
    args: &DumpArgs,
    nano: bool,
    link: LinkType,
    snaplen: u32,
) -> anyhow::Result<Option<SaveFile<Box<dyn Write>>>> {
    let Some(path) = &args.write else {
        return Ok(None);
    };
    let format = if args.pcapng {
        Format::PcapNg
    } else {
        Format::Pcap { nano }
    };
    let dst: Box<dyn Write> = if path.as_os_str() == "-" {
        Box::new(io::stdout())
    } else {
        Box::new(
            std::fs::File::create(path)
                .with_context(|| format!("{}: cannot create", path.display()))?,
        )
    };
    let file = SaveFile::create(dst, format, link, snaplen, args.unbuffered)
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(Some(file))
}

impl LiveDump<'_> {
    /// One capture; `user_filter` is the program run in user space when the kernel has none.
    fn run(&mut self, opts: &CaptureOptions, user_filter: Option<&Program>) -> anyhow::Result<()> {
        let file = RefCell::new(None);
        let failure: RefCell<Option<Failure>> = RefCell::new(None);
        let stdout = io::stdout();
        let mut out = io::BufWriter::with_capacity(1 << 16, stdout.lock());
        let mut text = String::with_capacity(1 << 12);
        let written = AtomicU64::new(0);
        let running = AtomicBool::new(true);
        let (printing, flush_each, args) = (self.printing, self.flush_each, self.args);
        let nano = self.printer.options().nano;
        let printer = &mut self.printer;
        let stats = {
            let started = |cap: &crate::capture::live::Capture| {
                *file.borrow_mut() = open_file(args, nano, cap.link(), cap.snaplen())?;
                let line = start_text(args, &cap.listening_line());
                let _ = io::stderr().write_all(line.as_bytes());
                Ok(())
            };
            let sink = |rec: &Record<'_>| {
                if failure.borrow().is_some() {
                    return Ok(());
                }
                if let Err(f) = write_one(
                    rec,
                    &mut file.borrow_mut(),
                    printing.then_some((&mut *printer, &mut out, &mut text)),
                    flush_each,
                ) {
                    *failure.borrow_mut() = Some(f);
                    opts.stop.stop();
                    return Ok(());
                }
                // Only this thread writes the count: no locked add per frame.
                written.store(written.load(Ordering::Relaxed) + 1, Ordering::Relaxed);
                Ok(())
            };
            let keep = |rec: &Record<'_>| user_filter.is_none_or(|p| p.matches(rec.data, rec.len));
            let counting = args.v > 0 && args.write.is_some() && !args.print;
            std::thread::scope(|s| {
                if counting {
                    s.spawn(|| report_progress(&written, &running));
                }
                let result = capture_filtered(opts, keep, started, sink);
                running.store(false, Ordering::SeqCst);
                result
            })?
        };
        self.finish(stats, written.into_inner(), file, failure.into_inner(), out)
    }

    /// Flush everything, print the statistics, then say what failed.
    fn finish(
        &self,
        mut stats: crate::capture::live::Stats,
        written: u64,
        file: RefCell<Option<SaveFile<Box<dyn Write>>>>,
        mut failure: Option<Failure>,
        mut out: impl Write,
    ) -> anyhow::Result<()> {
        stats.captured = written;
        if let Some(f) = file.borrow_mut().as_mut() {
            if let Err(e) = f.flush() {
                failure.get_or_insert(Failure::File(e));
            }
        }
        let by_count = self.args.count.is_some_and(|c| written >= c);
        if self.printing && failure.is_none() && !by_count {
            // tcpdump ends an interrupted printout with a newline, in case a line was cut.
            let _ = out.write_all(b"\n");
        }
        if let Err(e) = out.flush() {
            failure.get_or_insert(Failure::Print(e));
        }
        let _ = io::stderr().write_all(stats_lines(&stats).as_bytes());
        match failure {
            None => Ok(()),
            Some(Failure::Print(e)) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
            Some(Failure::Print(e)) => Err(anyhow::Error::new(e).context("writing to stdout")),
            Some(Failure::File(e)) => {
                let name = self
                    .args
                    .write
                    .as_ref()
                    .map(|p| p.display().to_string())
                    .unwrap_or_default();
                // Said as text: a broken pipe here is an error, not a reader that left.
                let msg = e.to_string();
                let msg = msg.split(" (os error").next().unwrap_or(&msg);
                Err(anyhow::anyhow!(
                    "writing {name}: {msg} (the frames before this error are in the file)"
                ))
            }
        }
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
    file: &mut Option<SaveFile<Box<dyn Write>>>,
    print: Option<(
        &mut Printer,
        &mut io::BufWriter<io::StdoutLock<'_>>,
        &mut String,
    )>,
    flush_each: bool,
) -> Result<(), Failure> {
    if let Some(f) = file.as_mut() {
        f.write(rec).map_err(Failure::File)?;
    }
    if let Some((printer, out, text)) = print {
        text.clear();
        printer.print(rec, text);
        out.write_all(text.as_bytes()).map_err(Failure::Print)?;
        if flush_each {
            out.flush().map_err(Failure::Print)?;
        }
    }
    Ok(())
}

/// `echolab dump -r IN -w OUT [expr]`: copy the records that pass `prog` (at most `-c`) into a
/// new file of the same link type and snap length, as `tcpdump -r IN -w OUT` does (with
/// `--print`, printing them too).
pub fn copy_records<R: std::io::Read>(
    reader: &mut crate::capture::pcap::Reader<R>,
    prog: &Program,
    args: &DumpArgs,
) -> anyhow::Result<()> {
    let mut file = open_file(
        args,
        args.print_options().nano,
        reader.link(),
        reader.snaplen(),
    )?
    .context("no -w file")?;
    let name = args
        .write
        .as_ref()
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    let mut printer = args.print.then(|| names::printer(args.print_options()));
    let stdout = io::stdout();
    let mut out = io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let mut text = String::new();
    let mut n = 0u64;
    let result = loop {
        if args.count.is_some_and(|c| n >= c) {
            break Ok(());
        }
        let rec = match reader.next_record() {
            Ok(Some(rec)) => rec,
            Ok(None) => break Ok(()),
            Err(e) => {
                let input = args.read.as_ref().map(|p| p.display().to_string());
                break Err(anyhow::Error::new(e).context(input.unwrap_or_default()));
            }
        };
        if !prog.matches(rec.data, rec.len) {
            continue;
        }
        file.write(&rec)
            .map_err(|e| anyhow::anyhow!("writing {name}: {e}"))?;
        if let Some(p) = printer.as_mut() {
            text.clear();
            p.print(&rec, &mut text);
            out.write_all(text.as_bytes())?;
        }
        n += 1;
    };
    file.flush()
        .map_err(|e| anyhow::anyhow!("writing {name}: {e}"))?;
    out.flush()?;
    result
}
