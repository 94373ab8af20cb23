//! `echolab diff REFERENCE CAPTURE`: compare the wire behaviour of two echo-session captures
//! and draw the comparison side by side.
//!
//! Exit codes: 0 equivalent, 1 not equivalent, 2 bad input (a file that cannot be read or is
//! not a capture, a usage error).

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use comfy_table::{presets::UTF8_FULL_CONDENSED, Cell, Color, ContentArrangement, Table};

use crate::capture::diff::{self, Report, Row};
use crate::capture::flows::{Cutter, Flows};
use crate::capture::live::session::{self, CaptureOptions};
use crate::capture::record::LinkType;
use crate::view::diffreport::{json, lines, Lines};

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
    /// Compare the shape of the exchange (directions, number of segments or datagrams, each
    /// request echoed whole and alone), not the bytes typed.
    #[arg(long = "ignore-payload")]
    pub ignore_payload: bool,
    /// Print the verdict and the divergences as one JSON object (schema in the README).
    #[arg(long = "json")]
    pub json: bool,
}

/// Runs `echolab diff`.
/// diff(1)'s statuses: 0 equivalent, 1 not, 2 trouble.
pub fn run(args: DiffArgs) -> super::Result {
    let flows = if args.capture == Path::new("-") {
        load(&args.reference).and_then(|r| {
            let c = live(&r, args.port)?;
            Ok((r, c))
        })
    } else {
        // The two files are read and cut at the same time, on two threads.
        let (r, c) = rayon::join(|| load(&args.reference), || load(&args.capture));
        r.and_then(|r| Ok((r, c?)))
    };
    let (reference, capture) = flows.map_err(super::Failure::trouble)?;
    let options = diff::Options {
        ignore_payload: args.ignore_payload,
    };
    let report = diff::compare_with(&reference, &capture, options);
    let text = if args.json {
        json(&report, &args.reference, &args.capture)
    } else {
        render(&report, &args.reference, &args.capture)
    };
    let stdout = std::io::stdout();
    // A reader that went away (`| head`) does not change the verdict.
    let _ = stdout.lock().write_all(text.as_bytes());
    let equivalent = report.equivalent();
    // The process ends now: freeing every packet of both captures one by one would only
    // add time (a tenth of a diff of a million packets).
    std::mem::forget((reference, capture, report));
    if equivalent {
        Ok(super::Outcome::Success)
    } else {
        Ok(super::Outcome::Negative)
    }
}

/// A capture file's conversations, cut as it is read (checksums not verified: a comparison
/// does not look at them).
pub fn load(path: &Path) -> anyhow::Result<Flows> {
    let name = path.display();
    let mut reader = super::open_capture(path)?;
    let mut cutter = Cutter::without_checksums();
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
    let mut cutter = Cutter::without_checksums();
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

pub use crate::capture::diff::FULL_ROWS;

/// The side-by-side tables, one per conversation pair, a `note:` line per step not compared,
/// and the verdict line (always last). Reports over `FULL_ROWS` rows are drawn compact.
pub fn render(report: &Report, reference: &Path, capture: &Path) -> String {
    let rows: usize = report
        .sections
        .iter()
        .flat_map(|s| &s.rows)
        .map(Row::steps)
        .sum();
    let compact = rows > FULL_ROWS;
    let header = [
        "step".to_string(),
        format!("reference ({})", reference.display()),
        format!("this capture ({})", capture.display()),
        String::new(),
    ];
    let mut out = String::new();
    // The last table drawn and its lines: a capture of many conversations alike draws the
    // same table again and again, which is drawn once.
    let mut last: Option<(Lines, String)> = None;
    for (si, section) in report.sections.iter().enumerate() {
        out.push_str(&section.title);
        out.push('\n');
        if section.rows.is_empty() {
            continue;
        }
        let first = report
            .first
            .as_ref()
            .filter(|d| d.section == si)
            .map(|d| (d.row, d.reason.as_str()));
        let lines = lines(&section.rows, first, compact);
        if last.as_ref().is_none_or(|(l, _)| *l != lines) {
            let mut table = Table::new();
            table
                .load_preset(UTF8_FULL_CONDENSED)
                .set_content_arrangement(ContentArrangement::Disabled)
                .set_header(header.clone());
            for (at, line) in lines.iter().enumerate() {
                let mut cells: Vec<Cell> = line.iter().map(Cell::new).collect();
                if let Some(mark) = cells.pop() {
                    let red = lines.first_at == Some(at);
                    cells.push(if red { mark.fg(Color::Red) } else { mark });
                }
                table.add_row(cells);
            }
            last = Some((lines, table.to_string()));
        }
        if let Some((_, drawn)) = &last {
            out.push_str(drawn);
        }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capture::diff::{Divergence, Section};

    fn report(n: usize, differs_at: Option<usize>) -> Report {
        let rows = (0..n)
            .map(|i| Row {
                step: format!("segment {}", i + 4),
                reference: format!("client 1 B \"a\" (#{})", i + 4),
                candidate: format!("client 1 B \"a\" (#{})", i + 4),
                same: Some(i) != differs_at,
                note: None,
                run: None,
            })
            .collect();
        Report {
            sections: vec![Section {
                title: "TCP conversation 1".to_string(),
                rows,
            }],
            first: differs_at.map(|row| Divergence {
                section: 0,
                row,
                reason: "segment: differs".to_string(),
            }),
            notes: Vec::new(),
        }
    }

    fn draw(r: &Report) -> String {
        render(r, Path::new("a.pcap"), Path::new("b.pcap"))
    }

    #[test]
    fn a_session_sized_report_is_drawn_whole() {
        let text = draw(&report(FULL_ROWS, None));
        assert!(!text.contains("identical steps"), "{text}");
        assert_eq!(text.matches("segment ").count(), FULL_ROWS);
        assert!(text.ends_with("equivalent: same wire behaviour\n"));
    }

    #[test]
    fn a_huge_report_folds_identical_runs_around_the_divergence() {
        let text = draw(&report(FULL_ROWS + 1000, Some(1500)));
        assert!(text.contains("segment 4 … segment 1503"), "{text}");
        assert!(text.contains("1500 identical steps"), "{text}");
        assert!(
            text.contains("<- first divergence: segment: differs"),
            "{text}"
        );
        assert!(text.contains("segment 1505 … segment 3003"), "{text}");
        assert!(text.contains("1499 identical steps"), "{text}");
        assert!(text.lines().count() < 20, "{text}");
        assert!(
            text.ends_with("not equivalent: segment: differs\n"),
            "{text}"
        );
    }
}
