//! `echolab diff REFERENCE CAPTURE`: compare the wire behaviour of two echo-session captures
//! and draw the comparison side by side.
//!
//! Exit codes: 0 equivalent, 1 not equivalent, 2 bad input (a file that cannot be read or is
//! not a capture, a usage error).

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use comfy_table::{presets::UTF8_FULL_CONDENSED, Cell, Color, ContentArrangement, Table};

use crate::capture::diff::{self, Report};
use crate::capture::flows::{Cutter, Flows};
use crate::capture::live::session::{self, CaptureOptions};
use crate::capture::pcap::Reader;
use crate::capture::record::LinkType;

/// Arguments of `echolab diff`.
#[derive(Debug, clap::Args)]
pub struct DiffArgs {
    /// The reference capture (pcap or pcapng), e.g. a file of fixtures/sessions/.
    #[arg(value_name = "REFERENCE")]
    pub reference: PathBuf,
    /// The capture to check against it; `-` captures live on lo (root or CAP_NET_RAW) until
    /// Ctrl-C, the reference's server port unless --port says otherwise.
    #[arg(value_name = "CAPTURE")]
    pub capture: PathBuf,
    /// With `-`: the server port to capture.
    #[arg(long = "port", value_name = "PORT")]
    pub port: Option<u16>,
}

/// Runs `echolab diff`.
/// diff(1)'s statuses: 0 equivalent, 1 not, 2 trouble.
pub fn run(args: DiffArgs) -> super::Result {
    let flows = load(&args.reference).and_then(|r| {
        let c = if args.capture == Path::new("-") {
            live(&r, args.port)?
        } else {
            load(&args.capture)?
        };
        Ok((r, c))
    });
    let (reference, capture) = flows.map_err(super::Failure::trouble)?;
    let report = diff::compare(&reference, &capture);
    let text = render(&report, &args.reference, &args.capture);
    let stdout = std::io::stdout();
    // A reader that went away (`| head`) does not change the verdict.
    let _ = stdout.lock().write_all(text.as_bytes());
    if report.equivalent() {
        Ok(super::Outcome::Success)
    } else {
        Ok(super::Outcome::Negative)
    }
}

/// A capture file's conversations, cut as it is read.
pub fn load(path: &Path) -> anyhow::Result<Flows> {
    let name = path.display();
    let file = std::fs::File::open(path).map_err(|e| {
        let text = e.to_string();
        let words = text.split(" (os error").next().unwrap_or(&text).to_string();
        anyhow::anyhow!("{name}: {words}")
    })?;
    let mut reader = Reader::new(std::io::BufReader::with_capacity(1 << 17, file))
        .with_context(|| format!("{name}"))?;
    let mut cutter = Cutter::default();
    while let Some(rec) = reader.next_record().with_context(|| format!("{name}"))? {
        cutter.add(&rec);
    }
    Ok(cutter.finish())
}

/// Capture the server port on lo until SIGINT or SIGTERM, and cut it into conversations.
fn live(reference: &Flows, port: Option<u16>) -> anyhow::Result<Flows> {
    let port = match port {
        Some(p) => p,
        None => reference
            .conversations
            .first()
            .map(|c| c.server.port())
            .context(
                "the reference has no conversation to take the server port from; use --port",
            )?,
    };
    let prog =
        crate::capture::filter::compile(&format!("port {port}"), LinkType::Ethernet, 262_144)?;
    let filter = prog.sock_filter()?;
    let opts = CaptureOptions {
        filter: Some(filter),
        stop_on_signals: true,
        ..CaptureOptions::default()
    };
    let mut cutter = Cutter::default();
    session::capture::<anyhow::Error>(
        &opts,
        |cap| {
            let line = cap.listening_line();
            let _ = writeln!(std::io::stderr(), "{line}, port {port}; Ctrl-C compares");
            Ok(())
        },
        |rec| {
            cutter.add(rec);
            Ok(())
        },
    )?;
    Ok(cutter.finish())
}

/// The side-by-side tables, one per conversation pair, a `note:` line per step not compared,
/// and the verdict line (always last).
pub fn render(report: &Report, reference: &Path, capture: &Path) -> String {
    let mut out = String::new();
    for (si, section) in report.sections.iter().enumerate() {
        out.push_str(&section.title);
        out.push('\n');
        if section.rows.is_empty() {
            continue;
        }
        let mut table = Table::new();
        table
            .load_preset(UTF8_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Disabled)
            .set_header(vec![
                "step".to_string(),
                format!("reference ({})", reference.display()),
                format!("this capture ({})", capture.display()),
                String::new(),
            ]);
        for (ri, row) in section.rows.iter().enumerate() {
            let first = report
                .first
                .as_ref()
                .filter(|d| d.section == si && d.row == ri);
            let mark = match (row.same, first, &row.note) {
                (_, Some(d), _) => {
                    Cell::new(format!("<- first divergence: {}", d.reason)).fg(Color::Red)
                }
                (_, None, Some(_)) => Cell::new("not compared (see the note below)"),
                (true, None, None) => Cell::new("="),
                (false, None, None) => Cell::new("differs"),
            };
            table.add_row(vec![
                Cell::new(&row.step),
                Cell::new(&row.reference),
                Cell::new(&row.candidate),
                mark,
            ]);
        }
        out.push_str(&table.to_string());
        out.push('\n');
    }
    for note in &report.notes {
        out.push_str(&format!("note: {note}\n"));
    }
    match (&report.first, report.notes.len()) {
        (None, 0) => out.push_str("equivalent: same wire behaviour\n"),
        (None, n) => out.push_str(&format!(
            "equivalent: same wire behaviour as far as both captures go ({} not compared, \
             see the {} above)\n",
            if n == 1 { "1 step" } else { "some steps" },
            if n == 1 { "note" } else { "notes" },
        )),
        (Some(d), _) => out.push_str(&format!("not equivalent: {}\n", d.reason)),
    }
    out
}
