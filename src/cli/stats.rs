//! `echolab stats -r FILE [--json] [EXPRESSION]`: conversations, endpoints and the protocol
//! hierarchy of a capture, with tshark 4.0's figures, as tables or as JSON.
//!
//! Exit codes: 0 done (or stdout closed), 1 an unreadable file, a bad filter, a failed
//! output, 2 a bad command line.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use comfy_table::{presets::UTF8_FULL_CONDENSED, Cell, CellAlignment, Color, ContentArrangement};
use serde::Serialize;

use crate::capture::filter;
use crate::capture::stats::{Conversation, Counts, Endpoint, Kind, Layer, Report, Stats};

/// Arguments of `echolab stats`.
#[derive(Debug, clap::Args)]
pub struct StatsArgs {
    /// The capture to read (pcap or pcapng).
    #[arg(short = 'r', value_name = "FILE")]
    pub file: PathBuf,
    /// Print one JSON object instead of tables.
    #[arg(long = "json")]
    pub json: bool,
    /// A tcpdump filter expression: only matching packets are counted.
    #[arg(
        value_name = "EXPRESSION",
        trailing_var_arg = true,
        allow_hyphen_values = true
    )]
    pub expression: Vec<String>,
}

/// Runs `echolab stats`.
pub fn run(args: StatsArgs) -> super::Result {
    let report = load(&args.file, &args.expression.join(" "))?;
    let text = if args.json {
        let mut s = serde_json::to_string(&Json::from(&report)).context("JSON")?;
        s.push('\n');
        s
    } else {
        render(&report, &Look::of_stdout())
    };
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .context("stdout")?;
    Ok(super::Outcome::Success)
}

/// The statistics of the records of `path` that `expr` accepts (all for an empty one).
pub fn load(path: &Path, expr: &str) -> anyhow::Result<Report> {
    let name = path.display();
    let mut reader = super::open_capture(path)?;
    let program = match expr.trim() {
        "" => None,
        e => Some(filter::compile(e, reader.link(), reader.snaplen())?),
    };
    let mut stats = Stats::new();
    while let Some(rec) = reader.next_record().with_context(|| format!("{name}"))? {
        if program
            .as_ref()
            .is_none_or(|p| p.matches(rec.data, rec.len))
        {
            stats.add(&rec);
        }
    }
    Ok(stats.finish())
}

/// How tables are drawn: their width and whether in colour.
#[derive(Debug, Clone, Copy)]
pub struct Look {
    pub width: u16,
    pub color: bool,
}

impl Look {
    /// `COLUMNS`, else the terminal's width, else 100; colour only on a terminal and never
    /// with `NO_COLOR` set (no-color.org).
    pub fn of_stdout() -> Look {
        Look {
            width: super::term::width(),
            color: super::term::colour(),
        }
    }
}

fn table(look: &Look, header: &[&str]) -> comfy_table::Table {
    let mut t = comfy_table::Table::new();
    t.load_preset(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(look.width);
    if !look.color {
        t.force_no_tty();
    } else {
        t.enforce_styling();
    }
    let colour = if look.color {
        Color::Cyan
    } else {
        Color::Reset
    };
    t.set_header(header.iter().map(|h| Cell::new(h).fg(colour)));
    t
}

fn num(n: u64) -> Cell {
    Cell::new(n).set_alignment(CellAlignment::Right)
}

/// The tables: one per conversation kind that has rows, endpoints, the hierarchy.
pub fn render(report: &Report, look: &Look) -> String {
    let mut out = String::new();
    for kind in [Kind::Tcp, Kind::Udp, Kind::Ip, Kind::Ipv6] {
        let rows: Vec<&Conversation> = report
            .conversations
            .iter()
            .filter(|c| c.kind == kind)
            .collect();
        if rows.is_empty() {
            continue;
        }
        let head = [
            "A",
            "B",
            "A→B\nframes",
            "A→B\nbytes",
            "B→A\nframes",
            "B→A\nbytes",
            "frames",
            "bytes",
            "rel start",
            "duration",
        ];
        let mut t = table(look, &head);
        for c in rows {
            let total = c.total();
            t.add_row(vec![
                Cell::new(addr(c.kind, c.a)),
                Cell::new(addr(c.kind, c.b)),
                num(c.a_to_b.frames),
                num(c.a_to_b.bytes),
                num(c.b_to_a.frames),
                num(c.b_to_a.bytes),
                num(total.frames),
                num(total.bytes),
                Cell::new(format!("{:.9}", c.rel_start.secs())).set_alignment(CellAlignment::Right),
                Cell::new(format!("{:.4}", c.duration_secs())).set_alignment(CellAlignment::Right),
            ]);
        }
        out.push_str(&format!("{} conversations\n{t}\n\n", kind.title()));
    }
    if !report.endpoints.is_empty() {
        let head = [
            "endpoint",
            "frames",
            "bytes",
            "tx\nframes",
            "tx\nbytes",
            "rx\nframes",
            "rx\nbytes",
        ];
        let mut t = table(look, &head);
        for e in &report.endpoints {
            let total = e.total();
            t.add_row(vec![
                Cell::new(e.addr),
                num(total.frames),
                num(total.bytes),
                num(e.tx.frames),
                num(e.tx.bytes),
                num(e.rx.frames),
                num(e.rx.bytes),
            ]);
        }
        out.push_str(&format!("Endpoints\n{t}\n\n"));
    }
    let mut t = table(look, &["protocol", "frames", "bytes"]);
    for l in &report.hierarchy {
        let name = format!("{}{}", "  ".repeat(l.depth), l.proto);
        t.add_row(vec![
            Cell::new(name),
            num(l.counts.frames),
            num(l.counts.bytes),
        ]);
    }
    out.push_str(&format!("Protocol hierarchy\n{t}\n"));
    out
}

/// An endpoint as written: `addr` for IP conversations, `addr:port` or `[addr]:port`.
fn addr(kind: Kind, a: std::net::SocketAddr) -> String {
    match kind {
        Kind::Ip | Kind::Ipv6 => a.ip().to_string(),
        Kind::Tcp | Kind::Udp => a.to_string(),
    }
}

/// The `--json` document (its schema is in the README).
#[derive(Debug, Serialize)]
pub struct Json {
    pub conversations: Vec<JsonConversation>,
    pub endpoints: Vec<JsonEndpoint>,
    pub hierarchy: Vec<JsonLayer>,
}

#[derive(Debug, Serialize)]
pub struct JsonCounts {
    pub frames: u64,
    pub bytes: u64,
}

impl From<Counts> for JsonCounts {
    fn from(c: Counts) -> JsonCounts {
        JsonCounts {
            frames: c.frames,
            bytes: c.bytes,
        }
    }
}

#[derive(Debug, Serialize)]
pub struct JsonConversation {
    pub proto: &'static str,
    pub a: String,
    pub b: String,
    pub a_to_b: JsonCounts,
    pub b_to_a: JsonCounts,
    pub rel_start: f64,
    pub duration: f64,
}

#[derive(Debug, Serialize)]
pub struct JsonEndpoint {
    pub proto: &'static str,
    pub addr: String,
    pub tx: JsonCounts,
    pub rx: JsonCounts,
}

#[derive(Debug, Serialize)]
pub struct JsonLayer {
    pub depth: usize,
    pub proto: &'static str,
    pub frames: u64,
    pub bytes: u64,
}

impl From<&Report> for Json {
    fn from(r: &Report) -> Json {
        let conv = |c: &Conversation| JsonConversation {
            proto: c.kind.name(),
            a: addr(c.kind, c.a),
            b: addr(c.kind, c.b),
            a_to_b: c.a_to_b.into(),
            b_to_a: c.b_to_a.into(),
            rel_start: c.rel_start.secs(),
            duration: c.duration_secs(),
        };
        let end = |e: &Endpoint| JsonEndpoint {
            proto: e.kind.name(),
            addr: e.addr.to_string(),
            tx: e.tx.into(),
            rx: e.rx.into(),
        };
        let layer = |l: &Layer| JsonLayer {
            depth: l.depth,
            proto: l.proto,
            frames: l.counts.frames,
            bytes: l.counts.bytes,
        };
        Json {
            conversations: r.conversations.iter().map(conv).collect(),
            endpoints: r.endpoints.iter().map(end).collect(),
            hierarchy: r.hierarchy.iter().map(layer).collect(),
        }
    }
}
