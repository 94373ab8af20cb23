//! `echolab verify`: check every claim of a tcpdump text against the bytes it shows.
//!
//! Exit codes: 0 every claim holds and no damage was found; 1 otherwise; 2 unreadable input.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use anyhow::Context;
use comfy_table::{presets::UTF8_FULL, ContentArrangement, Table};

use crate::capture::verify::{self, Kind};

/// Arguments of `echolab verify`.
#[derive(Debug, clap::Args)]
pub struct VerifyArgs {
    /// tcpdump text output with hex (`-X`, `-XX`, `-x`), as for `echolab import`.
    #[arg(value_name = "TEXT")]
    pub text: PathBuf,
    /// A client's screen listing to check against the payload bytes each way.
    #[arg(long, value_name = "FILE")]
    pub transcript: Option<PathBuf>,
}

/// diff(1)'s statuses: 0 every claim holds, 1 not, 2 trouble.
pub fn run(args: VerifyArgs) -> super::Result {
    let trouble = super::Failure::trouble;
    let trace = super::import::read_trace(&args.text).map_err(trouble)?;
    let screen = match &args.transcript {
        None => None,
        Some(p) => Some(
            std::fs::read_to_string(p)
                .with_context(|| format!("{}", p.display()))
                .map_err(trouble)?,
        ),
    };
    let reports = verify::verify(&trace);
    let mut table = Table::new();
    table
        .load_preset(UTF8_FULL)
        // Wrapped to the terminal's width on a terminal; one finding per line when piped.
        .set_content_arrangement(if std::io::stdout().is_terminal() {
            ContentArrangement::Dynamic
        } else {
            ContentArrangement::Disabled
        })
        .set_header(vec!["line", "time", "packet", "verdict", "findings"]);
    for r in &reports {
        let words: Vec<String> = r
            .findings
            .iter()
            .map(|f| match f.kind {
                Kind::Damage => format!("damage: {}", f.text),
                Kind::Disagree => format!("FAILS: {}", f.text),
                Kind::Holds => format!("holds: {}", f.text),
                Kind::Note => format!("note: {}", f.text),
            })
            .collect();
        table.add_row(vec![
            r.line.to_string(),
            r.time.clone(),
            r.summary.clone(),
            r.verdict().to_string(),
            words.join("\n"),
        ]);
    }
    let count = |v: &str| reports.iter().filter(|r| r.verdict() == v).count();
    let mut ok = count("holds") == reports.len();
    let mut text = format!("{table}\n");
    text.push_str(&format!(
        "{} packets: {} hold, {} damaged in transcription, {} fail; {} claims checked\n",
        reports.len(),
        count("holds"),
        count("damaged"),
        count("fails"),
        reports.iter().map(|r| r.checked).sum::<usize>()
    ));
    if let Some(screen) = screen {
        let found = verify::check_transcript(&trace, &screen);
        ok &= found.is_empty();
        if found.is_empty() {
            text.push_str("transcript: the screen matches the payload bytes each way\n");
        }
        for f in found {
            text.push_str(&format!("transcript: {f}\n"));
        }
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if let Err(e) = out.write_all(text.as_bytes()) {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            return Err(trouble(anyhow::Error::new(e).context("writing to stdout")));
        }
    }
    if ok {
        Ok(super::Outcome::Success)
    } else {
        Ok(super::Outcome::Negative)
    }
}
