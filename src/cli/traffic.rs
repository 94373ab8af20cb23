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
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use anyhow::Context;
use clap::Parser;

use super::capture::sock_filter;
use super::dump::DumpArgs;
use super::live::{capture, CaptureOptions};
use super::savefile::{Format, SaveFile};
use crate::capture::filter;
use crate::capture::live::{self, LiveOptions, StopFlag};
use crate::capture::print::{PrintOptions, Printer};
use crate::capture::record::{LinkType, Record};

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

/// What a capture beside a session watches.
#[derive(Debug, Clone)]
pub struct Plan {
    /// Interface to watch.
    pub interface: String,
    /// Filter expression (tcpdump's language).
    pub expr: String,
    /// Whether the capture may end early, once the TCP teardown has been seen.
    pub teardown: bool,
    /// End printed lines with `\r\n` (stderr is a terminal in raw mode).
    pub crlf: bool,
}

impl Plan {
    /// Exactly one conversation, both directions (`proto` is `tcp` or `udp`).
    pub fn conversation(proto: &str, local: SocketAddr, remote: SocketAddr) -> Plan {
        let (l, lp, r, rp) = (local.ip(), local.port(), remote.ip(), remote.port());
        Plan {
            interface: interface_for(local),
            expr: format!(
                "{proto} and ((src host {l} and src port {lp} and dst host {r} and dst port {rp}) \
                 or (src host {r} and src port {rp} and dst host {l} and dst port {lp}))"
            ),
            teardown: proto == "tcp",
            crlf: false,
        }
    }

    /// Every packet to or from a server's port (and address, unless it serves them all).
    pub fn server(proto: &str, addr: SocketAddr) -> Plan {
        let expr = if addr.ip().is_unspecified() {
            format!("{proto} and port {}", addr.port())
        } else {
            format!("{proto} and host {} and port {}", addr.ip(), addr.port())
        };
        Plan {
            interface: interface_for(addr),
            expr,
            teardown: false,
            crlf: false,
        }
    }
}

fn interface_for(addr: SocketAddr) -> String {
    live::interface_with_address(addr.ip()).unwrap_or_else(|| live::DEFAULT_INTERFACE.into())
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
            filter: Some(sock_filter(&prog_filter)),
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
            let result = capture(
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

/// Watches a TCP conversation for its end: each side's FIN acknowledged by the other, or a
/// reset.
#[derive(Debug, Default)]
struct Teardown {
    /// Per side (keyed by its address and port bytes): the sequence number just past its FIN.
    fins: Vec<(Vec<u8>, u32)>,
    /// Sides whose FIN has been acknowledged.
    acked: Vec<Vec<u8>>,
    reset: bool,
}

impl Teardown {
    /// Look at one Ethernet frame; true once the conversation is over.
    fn see(&mut self, frame: &[u8]) -> bool {
        if let Some(seg) = tcp_segment(frame) {
            if seg.flags & 0x04 != 0 {
                self.reset = true;
            }
            if seg.flags & 0x01 != 0 && !self.fins.iter().any(|(k, _)| *k == seg.src) {
                let end = seg.seq.wrapping_add(seg.payload).wrapping_add(1);
                self.fins.push((seg.src.clone(), end));
            }
            if seg.flags & 0x10 != 0 {
                for (side, end) in &self.fins {
                    if *side != seg.src && seg.ack == *end && !self.acked.contains(side) {
                        self.acked.push(side.clone());
                    }
                }
            }
        }
        self.reset || self.acked.len() >= 2
    }
}

/// The fields of a TCP segment the teardown needs.
struct Segment {
    src: Vec<u8>,
    seq: u32,
    ack: u32,
    flags: u8,
    payload: u32,
}

/// The TCP segment in an Ethernet frame carrying IPv4 or IPv6 (no extension headers), if any.
fn tcp_segment(frame: &[u8]) -> Option<Segment> {
    let ethertype = u16::from_be_bytes([*frame.get(12)?, *frame.get(13)?]);
    let ip = frame.get(14..)?;
    let (src_addr, tcp, ip_payload) = match ethertype {
        0x0800 => {
            let ihl = usize::from(ip.first()? & 0x0f) * 4;
            let total = usize::from(u16::from_be_bytes([*ip.get(2)?, *ip.get(3)?]));
            if *ip.get(9)? != 6 {
                return None;
            }
            (ip.get(12..16)?, ip.get(ihl..)?, total.checked_sub(ihl)?)
        }
        0x86dd => {
            if *ip.get(6)? != 6 {
                return None;
            }
            let plen = usize::from(u16::from_be_bytes([*ip.get(4)?, *ip.get(5)?]));
            (ip.get(8..24)?, ip.get(40..)?, plen)
        }
        _ => return None,
    };
    let be32 = |at: usize| -> Option<u32> {
        Some(u32::from_be_bytes(tcp.get(at..at + 4)?.try_into().ok()?))
    };
    let doff = usize::from(tcp.get(12)? >> 4) * 4;
    let mut src = src_addr.to_vec();
    src.extend_from_slice(tcp.get(0..2)?);
    Some(Segment {
        src,
        seq: be32(4)?,
        ack: be32(8)?,
        flags: *tcp.get(13)?,
        payload: u32::try_from(ip_payload.saturating_sub(doff)).unwrap_or(0),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An Ethernet + IPv4 + TCP frame (no options, no payload) from `src_port` to `dst_port`.
    fn segment(src_port: u16, dst_port: u16, seq: u32, ack: u32, flags: u8) -> Vec<u8> {
        let mut f = vec![0u8; 14];
        f[12..14].copy_from_slice(&[0x08, 0x00]);
        let mut ip = vec![
            0x45, 0, 0, 40, 0, 0, 0x40, 0, 64, 6, 0, 0, 127, 0, 0, 1, 127, 0, 0, 1,
        ];
        let mut tcp = vec![0u8; 20];
        tcp[0..2].copy_from_slice(&src_port.to_be_bytes());
        tcp[2..4].copy_from_slice(&dst_port.to_be_bytes());
        tcp[4..8].copy_from_slice(&seq.to_be_bytes());
        tcp[8..12].copy_from_slice(&ack.to_be_bytes());
        tcp[12] = 5 << 4;
        tcp[13] = flags;
        f.append(&mut ip);
        f.append(&mut tcp);
        f
    }

    #[test]
    fn teardown_ends_with_the_ack_of_the_second_fin() {
        let mut t = Teardown::default();
        assert!(!t.see(&segment(5000, 4002, 100, 7, 0x18)));
        assert!(!t.see(&segment(5000, 4002, 100, 7, 0x11))); // FIN, ACK
        assert!(!t.see(&segment(4002, 5000, 7, 101, 0x10))); // ACK of the first FIN
        assert!(!t.see(&segment(4002, 5000, 7, 101, 0x11))); // second FIN
        assert!(t.see(&segment(5000, 4002, 101, 8, 0x10))); // its ACK
    }

    #[test]
    fn teardown_ends_with_a_reset_and_survives_any_prefix() {
        let mut t = Teardown::default();
        assert!(t.see(&segment(5000, 4002, 1, 0, 0x04)));
        let frame = segment(5000, 4002, 1, 0, 0x11);
        for n in 0..frame.len() {
            let mut t = Teardown::default();
            assert!(!t.see(&frame[..n]));
        }
    }

    #[test]
    fn conversation_filter_compiles_for_both_families() {
        for (l, r) in [
            ("127.0.0.1:5000", "127.0.0.1:4002"),
            ("[::1]:5000", "[::1]:4002"),
        ] {
            let plan = Plan::conversation("tcp", l.parse().unwrap(), r.parse().unwrap());
            assert_eq!(plan.interface, "lo");
            filter::compile(&plan.expr, LinkType::Ethernet, 0).unwrap();
        }
    }
}
