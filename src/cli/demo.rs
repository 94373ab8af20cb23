//! `echolab demo`: the report's Results section, live. Runs the four sessions of
//! `crate::demo` and prints, per session, the client's screen, the session's ladder
//! (`echolab flow`), the tcpdump-style trace (`-nnvvXS`) with `--hex`, and a summary table.
//!
//! Exit codes: 0 the sessions ran (captured or not), 1 a session or the servers failed.

use std::io::Write;

use anyhow::Context;
use comfy_table::presets::UTF8_FULL_CONDENSED;

use crate::capture::diff::{summarize, Summary};
use crate::capture::flows;
use crate::capture::print::{PrintOptions, Printer};
use crate::demo::{self, DemoRun, Frame, SessionRun};
use crate::view::ladder;

/// Arguments of `echolab demo`.
#[derive(Debug, clap::Args)]
pub struct DemoArgs {
    /// Also write each session's capture as DIR/<session>.pcap (tcp-line.pcap...), to compare
    /// with `echolab diff fixtures/sessions/<session>.pcap DIR/<session>.pcap`.
    #[arg(short = 'w', long = "write", value_name = "DIR")]
    pub write: Option<std::path::PathBuf>,
    /// Print the summary as one JSON object (schema in the README) instead of screens, traces
    /// and tables.
    #[arg(long)]
    pub json: bool,
    /// Also print each session's packets as `tcpdump -nnvvXS` does (hex and ASCII).
    #[arg(long = "hex")]
    pub hex: bool,
}

/// Runs `echolab demo`.
pub fn run(args: DemoArgs) -> super::Result {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("tokio runtime")?;
    let run = rt
        .block_on(demo::run())
        .context("starting the echo servers")?;
    if let Some(dir) = &args.write {
        write_all(dir, &run)?;
    }
    let text = if args.json {
        serde_json::to_string(&Json::from(&run)).context("JSON")? + "\n"
    } else {
        render(&run, args.hex)
    };
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
    if let Some(e) = &run.capture_error {
        let _ = writeln!(
            std::io::stderr(),
            "echolab demo: the sessions ran without their traces: {e}"
        );
    }
    if run.sessions.iter().any(|s| s.error.is_some()) {
        Ok(super::Outcome::Negative)
    } else {
        Ok(super::Outcome::Success)
    }
}

/// Each captured session as `dir/<name>.pcap`.
fn write_all(dir: &std::path::Path, run: &DemoRun) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("{}", dir.display()))?;
    for s in &run.sessions {
        if let Some(frames) = &s.frames {
            let path = dir.join(format!("{}.pcap", s.spec.name));
            demo::write_pcap(&path, frames).with_context(|| format!("{}", path.display()))?;
        }
    }
    Ok(())
}

/// `tcpdump -nnvvXS`'s options.
fn trace_options() -> PrintOptions {
    PrintOptions {
        n: 2,
        v: 2,
        xx: 1,
        s_abs: 1,
        tz: Some(jiff::tz::TimeZone::system()),
        ..PrintOptions::default()
    }
}

/// Every session: heading, screen, ladder, trace (with `hex`), summary.
pub fn render(run: &DemoRun, hex: bool) -> String {
    let captured = match run.capture_error {
        None => format!("; captured on lo, port {}", run.port),
        Some(_) => "; not captured".to_string(),
    };
    let mut out = format!(
        "echo servers (TCP and UDP) on 127.0.0.1:{}{captured}\n",
        run.port
    );
    for s in &run.sessions {
        out.push_str(&format!("\n=== {} ({})\n", s.spec.title, s.spec.name));
        out.push_str("--- client's screen\n");
        out.push_str(&s.screen);
        if !s.screen.ends_with('\n') {
            out.push('\n');
        }
        if let Some(e) = &s.error {
            out.push_str(&format!("echoClient: {e}\n"));
        }
        if let Some(frames) = &s.frames {
            out.push_str("--- ladder (echolab flow)\n");
            out.push_str(&ladder(frames));
            if hex {
                out.push_str("--- trace (tcpdump -nnvvXS)\n");
                out.push_str(&trace(frames));
            }
            out.push_str("--- summary\n");
            out.push_str(&summary(s, frames));
            out.push('\n');
        }
    }
    out
}

fn trace(frames: &[Frame]) -> String {
    let mut printer = Printer::new(trace_options());
    let mut text = String::new();
    for f in frames {
        printer.print(&f.record(), &mut text);
    }
    text
}

fn ladder(frames: &[Frame]) -> String {
    let ladders = ladder::ladders(frames.iter().map(Frame::record), ladder::Options::default());
    let look = ladder::text::Look {
        width: usize::from(super::term::width()),
        colour: super::term::colour(),
    };
    ladder::text::render(&ladders, &look)
}

fn ms(ns: u64) -> String {
    format!("{:.3} ms", ns as f64 / 1e6)
}

fn verdict((ok, bad): (usize, usize)) -> String {
    match (ok, bad) {
        (0, 0) => "none".to_string(),
        (ok, 0) => format!("{ok} correct"),
        (ok, bad) => format!("{ok} correct, {bad} incorrect"),
    }
}

fn summary(s: &SessionRun, frames: &[Frame]) -> String {
    let flows = flows::conversations(frames.iter().map(Frame::record));
    let mut table = super::term::table(UTF8_FULL_CONDENSED);
    table.set_header(vec![
        "conversation",
        "packets",
        "bytes client→server / server→client",
        "round trip of each echo",
        "IP checksums",
        "TCP/UDP checksums",
    ]);
    for c in &flows.conversations {
        let Summary {
            packets,
            client_bytes,
            server_bytes,
            rtts_ns,
            ip_checksums,
            l4_checksums,
            ..
        } = summarize(c);
        let rtts: Vec<String> = rtts_ns
            .iter()
            .map(|r| r.map_or("no echo".to_string(), ms))
            .collect();
        table.add_row(vec![
            format!("{} > {}", c.client, c.server),
            packets.to_string(),
            format!("{client_bytes} / {server_bytes}"),
            rtts.join(", "),
            verdict(ip_checksums),
            verdict(l4_checksums),
        ]);
    }
    if flows.conversations.is_empty() {
        return format!("no packet of {} was captured\n", s.spec.name);
    }
    let mut text = table.to_string();
    text.push_str(
        "\n(on lo the kernel leaves TCP/UDP checksums to an offload that never runs, so tcpdump \
         calls them incorrect, as in the report)\n",
    );
    text
}

/// The `--json` document: per session its screen and error, and per conversation the
/// summary table's figures (its schema is in the README).
#[derive(Debug, serde::Serialize)]
pub struct Json {
    pub port: u16,
    pub captured: bool,
    pub capture_error: Option<String>,
    pub sessions: Vec<JsonSession>,
}

#[derive(Debug, serde::Serialize)]
pub struct JsonSession {
    pub name: &'static str,
    pub title: &'static str,
    pub screen: String,
    pub error: Option<String>,
    /// `None` when nothing was captured.
    pub conversations: Option<Vec<JsonConversation>>,
}

#[derive(Debug, serde::Serialize)]
pub struct JsonConversation {
    pub transport: &'static str,
    pub client: String,
    pub server: String,
    pub packets: usize,
    pub client_bytes: usize,
    pub server_bytes: usize,
    /// Milliseconds; `None` for a request with no full echo.
    pub rtts_ms: Vec<Option<f64>>,
    pub ip_checksums: JsonVerdicts,
    pub l4_checksums: JsonVerdicts,
}

#[derive(Debug, serde::Serialize)]
pub struct JsonVerdicts {
    pub correct: usize,
    pub incorrect: usize,
}

impl From<(usize, usize)> for JsonVerdicts {
    fn from((correct, incorrect): (usize, usize)) -> JsonVerdicts {
        JsonVerdicts { correct, incorrect }
    }
}

impl From<&DemoRun> for Json {
    fn from(run: &DemoRun) -> Json {
        let conv = |c: &flows::Conversation| {
            let s = summarize(c);
            JsonConversation {
                transport: match c.transport {
                    flows::Transport::Tcp => "tcp",
                    flows::Transport::Udp => "udp",
                },
                client: c.client.to_string(),
                server: c.server.to_string(),
                packets: s.packets,
                client_bytes: s.client_bytes,
                server_bytes: s.server_bytes,
                rtts_ms: s
                    .rtts_ns
                    .iter()
                    .map(|r| r.map(|ns| ns as f64 / 1e6))
                    .collect(),
                ip_checksums: s.ip_checksums.into(),
                l4_checksums: s.l4_checksums.into(),
            }
        };
        let session = |s: &SessionRun| JsonSession {
            name: s.spec.name,
            title: s.spec.title,
            screen: s.screen.clone(),
            error: s.error.clone(),
            conversations: s.frames.as_ref().map(|f| {
                flows::conversations(f.iter().map(Frame::record))
                    .conversations
                    .iter()
                    .map(conv)
                    .collect()
            }),
        };
        Json {
            port: run.port,
            captured: run.capture_error.is_none(),
            capture_error: run.capture_error.as_ref().map(|e| e.to_string()),
            sessions: run.sessions.iter().map(session).collect(),
        }
    }
}
