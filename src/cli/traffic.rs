//! The echo programs' built-in traffic dump: `--dump[=FILE]`, `--dump-flags "…"` and
//! `--pcap FILE` on echoServer and echoClient.
//!
//! This is where `echo` and `capture` meet (neither imports the other): a capture runs in its
//! own thread beside the session, with a kernel filter on the session's packets, printing
//! them tcpdump-style (`-nnvvXS` unless `--dump-flags` says otherwise) to stderr or a file
//! and writing them to a pcap file.
//!
//! The client knows its whole 4-tuple before its first packet (`echo::client::open` binds
//! first), so its capture is opened, filtered on exactly that conversation, before it
//! connects; after the session it waits for the TCP teardown (both FINs acknowledged, or a
//! reset; at most a grace time) so the last FIN/ACK is kept. The server captures everything
//! on its port from before it says it listens until it stops.
//!
//! Without capture privileges the session runs anyway; the program says once what the dump
//! needs.

use std::io::{self, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use anyhow::Context;
use clap::Parser;

use super::dump::DumpArgs;
use crate::capture::filter;
use crate::capture::live::session::{capture, CaptureOptions};
use crate::capture::live::{self, LiveOptions, StopFlag};
use crate::capture::pcap::writer::{Format, SaveFile};
use crate::capture::print::{PrintOptions, Printer};
use crate::capture::record::{LinkType, Record};
pub use crate::capture::traffic::Plan;
use crate::capture::traffic::Teardown;

/// The print flags of `--dump` unless `--dump-flags` gives others: the report's.
pub const DEFAULT_DUMP_FLAGS: &str = "-nnvvXS";

/// The traffic-dump options of echoServer and echoClient.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct TrafficArgs {
    /// Print the session's packets tcpdump-style on stderr, or into FILE.
    #[arg(long = "dump", value_name = "FILE", num_args = 0..=1, require_equals = true,
          default_missing_value = "-")]
    pub dump: Option<PathBuf>,
    /// tcpdump print flags for --dump (default -nnvvXS).
    #[arg(long = "dump-flags", value_name = "FLAGS", allow_hyphen_values = true)]
    pub dump_flags: Option<String>,
    /// Write the session's packets to FILE as pcap.
    #[arg(long = "pcap", value_name = "FILE")]
    pub pcap: Option<PathBuf>,
}

/// `--dump-flags` parsed as `echolab dump` parses its flags.
#[derive(Debug, Parser)]
#[command(no_binary_name = true, disable_help_flag = true)]
struct DumpFlags {
    #[command(flatten)]
    flags: DumpArgs,
}

impl TrafficArgs {
    /// Whether any capture is asked for.
    pub fn wanted(&self) -> bool {
        self.dump.is_some() || self.pcap.is_some()
    }

    /// The print options of `--dump` (a usage error for flags `echolab dump` refuses).
    pub fn print_options(&self) -> anyhow::Result<PrintOptions> {
        let text = self.dump_flags.as_deref().unwrap_or(DEFAULT_DUMP_FLAGS);
        let parsed = DumpFlags::try_parse_from(text.split_whitespace()).map_err(|e| {
            let msg = e.to_string();
            let first = msg
                .lines()
                .next()
                .unwrap_or("")
                .trim_start_matches("error: ");
            anyhow::anyhow!("--dump-flags '{text}': {first}")
        })?;
        if !parsed.flags.expression.is_empty() || parsed.flags.read.is_some() {
            anyhow::bail!("--dump-flags '{text}': print flags only (no file, no expression)");
        }
        Ok(parsed.flags.print_options())
    }
}

/// A capture running beside a session.
pub struct Traffic {
    prog: &'static str,
    stop: StopFlag,
    complete: Arc<AtomicBool>,
    thread: JoinHandle<anyhow::Result<()>>,
}

impl Traffic {
    /// Open the capture and start it; `None` (after one line on stderr saying why) when it
    /// cannot run, in which case the session goes on without it.
    pub fn start(prog: &'static str, args: &TrafficArgs, plan: Plan) -> Option<Traffic> {
        match Traffic::try_start(prog, args, plan) {
            Ok(t) => Some(t),
            Err(e) => {
                let _ = writeln!(
                    io::stderr(),
                    "{prog}: warning: no traffic dump: {e:#}; going on without it"
                );
                None
            }
        }
    }

    fn try_start(prog: &'static str, args: &TrafficArgs, plan: Plan) -> anyhow::Result<Traffic> {
        let popts = args.print_options()?;
        let prog_filter = filter::compile(&plan.expr, LinkType::Ethernet, 0)?;
        let opts = CaptureOptions {
            live: LiveOptions {
                interface: plan.interface.clone(),
                ..LiveOptions::default()
            },
            filter: Some(prog_filter.sock_filter()?),
            // Once the capture and its files are open, before a frame is read: no root, no
            // capability, for the whole process (the program has bound its socket by now).
            drop_to_user: Some(crate::capture::live::DEFAULT_USER.into()),
            ..CaptureOptions::default()
        };
        let args = args.clone();
        let stop = opts.stop.clone();
        let complete = Arc::new(AtomicBool::new(false));
        let done = complete.clone();
        let (ready_tx, ready_rx) = mpsc::channel();
        let thread = std::thread::spawn(move || {
            let mut teardown = plan.teardown.then(Teardown::default);
            // The files are created once the capture is open: none is left behind when it
            // cannot open.
            let outputs = std::cell::RefCell::new(None);
            let result: anyhow::Result<_> = capture(
                &opts,
                |_| {
                    *outputs.borrow_mut() = Some(Outputs::create(&args, popts, plan.crlf)?);
                    let _ = ready_tx.send(());
                    Ok(())
                },
                |rec| {
                    if let Some(o) = outputs.borrow_mut().as_mut() {
                        o.write(rec)?;
                    }
                    if teardown.as_mut().is_some_and(|t| t.see(rec.data)) {
                        done.store(true, Ordering::SeqCst);
                    }
                    Ok(())
                },
            );
            let flushed = outputs.borrow_mut().as_mut().map_or(Ok(()), Outputs::flush);
            result?;
            flushed
        });
        if ready_rx.recv().is_err() {
            return Err(match thread.join() {
                Ok(Err(e)) => e,
                _ => anyhow::anyhow!("the capture thread ended"),
            });
        }
        Ok(Traffic {
            prog,
            stop,
            complete,
            thread,
        })
    }

    /// End the capture once the teardown has been seen or `grace` has passed, after handing
    /// over every frame the kernel already holds; say once if the dump failed.
    pub fn finish(self, grace: Duration) {
        let deadline = Instant::now() + grace;
        while !self.complete.load(Ordering::SeqCst) && Instant::now() < deadline {
            if self.thread.is_finished() {
                break;
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        self.stop.stop();
        let result = match self.thread.join() {
            Ok(r) => r,
            Err(_) => Err(anyhow::anyhow!("the capture thread panicked")),
        };
        if let Err(e) = result {
            let _ = writeln!(io::stderr(), "{}: warning: traffic dump: {e:#}", self.prog);
        }
    }
}

/// Where the captured frames go.
struct Outputs {
    printer: Option<(Printer, Box<dyn Write + Send>, String)>,
    pcap: Option<(SaveFile<std::fs::File>, PathBuf)>,
    crlf: bool,
}

impl Outputs {
    fn create(args: &TrafficArgs, popts: PrintOptions, crlf: bool) -> anyhow::Result<Outputs> {
        let printer = match &args.dump {
            None => None,
            Some(path) => {
                let out: Box<dyn Write + Send> = if path.as_os_str() == "-" {
                    Box::new(io::stderr())
                } else {
                    let f = std::fs::File::create(path)
                        .with_context(|| format!("{}: cannot create", path.display()))?;
                    Box::new(io::BufWriter::new(f))
                };
                let printer = crate::capture::names::printer(popts);
                Some((printer, out, String::new()))
            }
        };
        let pcap = match &args.pcap {
            None => None,
            Some(path) => {
                let f = std::fs::File::create(path)
                    .with_context(|| format!("{}: cannot create", path.display()))?;
                let fmt = Format::Pcap { nano: false };
                let file =
                    SaveFile::create(f, fmt, LinkType::Ethernet, live::DEFAULT_SNAPLEN, false)
                        .with_context(|| format!("writing {}", path.display()))?;
                Some((file, path.clone()))
            }
        };
        Ok(Outputs {
            printer,
            pcap,
            crlf,
        })
    }

    fn write(&mut self, rec: &Record<'_>) -> anyhow::Result<()> {
        if let Some((file, path)) = &mut self.pcap {
            file.write(rec)
                .with_context(|| format!("writing {}", path.display()))?;
        }
        if let Some((printer, out, text)) = &mut self.printer {
            text.clear();
            printer.print(rec, text);
            if self.crlf {
                *text = text.replace('\n', "\r\n");
            }
            out.write_all(text.as_bytes())
                .and_then(|()| out.flush())
                .context("printing the dump")?;
        }
        Ok(())
    }

    fn flush(&mut self) -> anyhow::Result<()> {
        if let Some((file, path)) = &mut self.pcap {
            file.flush()
                .with_context(|| format!("writing {}", path.display()))?;
        }
        if let Some((_, out, _)) = &mut self.printer {
            out.flush().context("printing the dump")?;
        }
        Ok(())
    }
}
