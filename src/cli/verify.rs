//! `echolab verify`: check every claim of a tcpdump text against the bytes it shows.
//!
//! Exit codes: 0 every claim holds and no damage was found (text of protocols echolab does not
//! decode is reported as not checked); 1 otherwise; 2 unreadable input.
//!
//! The text is read twice (the link type first, then the packets), one packet at a time; the
//! report is drawn in tables of [`ROWS_PER_TABLE`] packets. Text from the input is escaped
//! before it is shown.

use std::collections::HashMap;
use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;
use comfy_table::{presets::UTF8_FULL, Table};

use crate::capture::escape::escape_text;
use crate::capture::verify::{Kind, PacketReport, Payloads, Verdict, Verifier};

/// Arguments of `echolab verify`.
#[derive(Debug, clap::Args)]
pub struct VerifyArgs {
    /// tcpdump text output with hex (`-X`, `-XX`, `-x`), as for `echolab import`.
    #[arg(value_name = "TEXT")]
    pub text: PathBuf,
    /// A client's screen listing to check against the payload bytes each way.
    #[arg(long, value_name = "FILE")]
    pub transcript: Option<PathBuf>,
    /// List every ASCII column that lost only '.' characters, instead of one line for all.
    #[arg(long)]
    pub all: bool,
    /// Print the report as one JSON object (schema in the README) instead of tables.
    #[arg(long)]
    pub json: bool,
}

/// Rows per table: the report is drawn in tables of this many packets, so memory holds one
/// table's rows whatever the size of the trace.
const ROWS_PER_TABLE: usize = 500;

/// diff(1)'s statuses: 0 every claim holds, 1 not, 2 trouble.
pub fn run(args: VerifyArgs) -> super::Result {
    let fail = |e: anyhow::Error, _: u8| Err(super::Failure::trouble(e));
    // The link type decides how every packet is read: a first pass finds it, the second
    // verifies, each holding one packet at a time.
    let (survey, packets) = match super::import::survey(&args.text)
        .and_then(|s| Ok((s, super::import::open_text(&args.text)?)))
    {
        Ok(x) => x,
        Err(e) => return fail(e, 2),
    };
    let screen = match &args.transcript {
        None => None,
        Some(p) => match std::fs::read_to_string(p).with_context(|| format!("{}", p.display())) {
            Ok(s) => Some(s),
            Err(e) => return fail(e, 2),
        },
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut verifier = Verifier::new(survey.link);
    let mut payloads = screen.as_ref().map(|_| Payloads::default());
    let mut counts: HashMap<Verdict, usize> = HashMap::new();
    let (mut total, mut checked) = (0usize, 0usize);
    let mut table = new_table();
    let mut written = Ok(());
    // ASCII columns that lost only '.' characters: rows, packets, the first packet's line.
    let mut dots_lost: (usize, usize, Option<usize>) = (0, 0, None);
    let mut json_packets = Vec::new();
    for p in packets {
        let p = match p.with_context(|| format!("{}", args.text.display())) {
            Ok(p) => p,
            Err(e) => return fail(e, 2),
        };
        let (r, fixed) = verifier.check(&p);
        if let Some(pays) = payloads.as_mut() {
            pays.push(&fixed, survey.link);
        }
        *counts.entry(r.verdict()).or_default() += 1;
        total += 1;
        checked += r.checked;
        let dots = r.findings.iter().filter(|f| f.kind == Kind::DotsLost);
        let n = dots.count();
        if n > 0 && !args.all {
            dots_lost.0 += n;
            dots_lost.1 += 1;
            dots_lost.2.get_or_insert(r.line);
        }
        if args.json {
            json_packets.push(JsonPacket::from(&r));
            continue;
        }
        add_row(&mut table, &r, args.all);
        if table.row_count() == ROWS_PER_TABLE {
            let t = std::mem::replace(&mut table, new_table());
            written = written.and_then(|()| writeln!(out, "{t}"));
        }
    }
    let count = |v: Verdict| counts.get(&v).copied().unwrap_or(0);
    let mut ok = count(Verdict::Holds) + count(Verdict::NotChecked) == total;
    let mut text = String::new();
    if table.row_count() > 0 {
        text.push_str(&format!("{table}\n"));
    }
    if let (rows, packets, Some(first)) = dots_lost {
        let line = format!(
            "damage: {rows} ASCII column row(s) in {packets} packet(s), the first at line {first}, \
             lost only '.' characters (--all lists them)"
        );
        text.push_str(&super::term::wrap(&line, "  "));
        text.push('\n');
    }
    let unchecked = match count(Verdict::NotChecked) {
        0 => String::new(),
        n => format!(", {n} not checked"),
    };
    let line = format!(
        "{total} packets: {} hold, {} damaged in transcription, {} fail{unchecked}; {checked} claims checked",
        count(Verdict::Holds),
        count(Verdict::Damaged),
        count(Verdict::Fails),
    );
    text.push_str(&super::term::wrap(&line, "  "));
    text.push('\n');
    let mut transcript_json = None;
    if let (Some(screen), Some(pays)) = (screen, payloads) {
        let found = pays.check(&screen);
        ok &= found.is_empty();
        transcript_json = Some(JsonTranscript {
            matches: found.is_empty(),
            findings: found.clone(),
        });
        if found.is_empty() {
            text.push_str("transcript: the screen matches the payload bytes each way\n");
        }
        for f in found {
            let line = format!("transcript: {}", escape_text(&f));
            text.push_str(&super::term::wrap(&line, "  "));
            text.push('\n');
        }
    }
    if args.json {
        let doc = Json {
            packets: json_packets,
            summary: JsonSummary {
                packets: total,
                hold: count(Verdict::Holds),
                damaged: count(Verdict::Damaged),
                fail: count(Verdict::Fails),
                not_checked: count(Verdict::NotChecked),
                claims_checked: checked,
            },
            transcript: transcript_json,
        };
        text = serde_json::to_string(&doc).unwrap_or_default() + "\n";
    }
    written = written
        .and_then(|()| out.write_all(text.as_bytes()))
        .and_then(|()| out.flush());
    if let Err(e) = written {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            return fail(anyhow::Error::new(e).context("writing to stdout"), 2);
        }
    }
    if ok {
        Ok(super::Outcome::Success)
    } else {
        Ok(super::Outcome::Negative)
    }
}

fn new_table() -> Table {
    // Wrapped to the terminal's width (COLUMNS, the tty, else 100 columns), piped or not.
    let mut table = super::term::table(UTF8_FULL);
    table.set_header(vec!["line", "time", "packet", "verdict", "findings"]);
    table
}

/// One packet's row; every text taken from the input is escaped ([`escape_text`]).
/// ASCII columns that lost only '.' characters are left out unless `all`.
fn add_row(table: &mut Table, r: &PacketReport, all: bool) {
    let words: Vec<String> = r
        .findings
        .iter()
        .filter(|f| all || f.kind != Kind::DotsLost)
        .map(|f| {
            let text = escape_text(&f.text);
            match f.kind {
                Kind::Damage | Kind::DotsLost => format!("damage: {text}"),
                Kind::NotChecked => format!("not checked: {text}"),
                Kind::Disagree => format!("FAILS: {text}"),
                Kind::Holds => format!("holds: {text}"),
                Kind::Note => format!("note: {text}"),
            }
        })
        .collect();
    table.add_row(vec![
        r.line.to_string(),
        escape_text(&r.time),
        escape_text(&r.summary),
        r.verdict().to_string(),
        words.join("\n"),
    ]);
}

/// The `--json` document (its schema is in the README).
#[derive(Debug, serde::Serialize)]
struct Json {
    packets: Vec<JsonPacket>,
    summary: JsonSummary,
    /// `null` without `--transcript`.
    transcript: Option<JsonTranscript>,
}

#[derive(Debug, serde::Serialize)]
struct JsonPacket {
    line: usize,
    time: String,
    packet: String,
    verdict: &'static str,
    findings: Vec<JsonFinding>,
}

#[derive(Debug, serde::Serialize)]
struct JsonFinding {
    kind: &'static str,
    text: String,
}

#[derive(Debug, serde::Serialize)]
struct JsonSummary {
    packets: usize,
    hold: usize,
    damaged: usize,
    fail: usize,
    not_checked: usize,
    claims_checked: usize,
}

#[derive(Debug, serde::Serialize)]
struct JsonTranscript {
    matches: bool,
    findings: Vec<String>,
}

impl From<&PacketReport> for JsonPacket {
    fn from(r: &PacketReport) -> JsonPacket {
        let kind = |k: Kind| match k {
            Kind::Damage => "damage",
            Kind::DotsLost => "dots_lost",
            Kind::Disagree => "fails",
            Kind::Holds => "holds",
            Kind::Note => "note",
            Kind::NotChecked => "not_checked",
        };
        JsonPacket {
            line: r.line,
            time: r.time.clone(),
            packet: r.summary.clone(),
            verdict: r.verdict().as_str(),
            findings: r
                .findings
                .iter()
                .map(|f| JsonFinding {
                    kind: kind(f.kind),
                    text: f.text.clone(),
                })
                .collect(),
        }
    }
}
