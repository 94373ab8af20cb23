//! `echolab grade --reference REF SUBMISSION...`: compare many captures with one reference,
//! in parallel, each exactly as `echolab diff` compares two, and draw one line per file.
//!
//! Exit codes: 0 every submission equivalent, 1 any different or unreadable (its row says
//! why; the run goes on), 2 trouble: an unreadable reference, no capture among the
//! submissions, a usage error.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;
use comfy_table::{presets::UTF8_FULL_CONDENSED, Cell, Color};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;

use crate::capture::diff::Options;
use crate::capture::grade::{self, Grade, Verdict};

/// Arguments of `echolab grade`.
#[derive(Debug, clap::Args)]
pub struct GradeArgs {
    /// The reference capture (pcap or pcapng), e.g. a file of fixtures/sessions/.
    #[arg(long = "reference", value_name = "REF")]
    pub reference: PathBuf,
    /// Compare the shape of the exchange (directions, number of segments or datagrams, each
    /// request echoed whole and alone), not the bytes typed.
    #[arg(long = "ignore-payload")]
    pub ignore_payload: bool,
    /// Write CSV: the header `file,verdict,first_divergence`, then one row per file.
    #[arg(long = "csv", conflicts_with = "json")]
    pub csv: bool,
    /// Write a JSON array of objects with the fields `file`, `verdict`, `first_divergence`.
    #[arg(long = "json")]
    pub json: bool,
    /// Capture files, or folders searched recursively for `*.pcap` and `*.pcapng`.
    #[arg(value_name = "SUBMISSION", required = true)]
    pub submissions: Vec<PathBuf>,
}

/// Runs `echolab grade`.
pub fn run(args: GradeArgs) -> super::Result {
    let reference = super::diff::load(&args.reference).map_err(super::Failure::trouble)?;
    let files = submissions(&args.submissions).map_err(super::Failure::trouble)?;
    let options = Options {
        ignore_payload: args.ignore_payload,
    };
    let bar = progress(files.len());
    let grades: Vec<Grade> = files
        .par_iter()
        .map(|file| {
            let flows = super::diff::load(file).map_err(|e| format!("{e:#}"));
            let g = grade::grade(&reference, file.display().to_string(), flows, options);
            bar.inc(1);
            g
        })
        .collect();
    bar.finish_and_clear();
    let text = if args.csv {
        csv(&grades).map_err(super::Failure::runtime)?
    } else if args.json {
        let mut t = serde_json::to_string(&grades).map_err(super::Failure::runtime)?;
        t.push('\n');
        t
    } else {
        table(&grades)
    };
    // A reader that went away (`| head`) does not change the verdict.
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
    if grades.iter().all(|g| g.verdict == Verdict::Equivalent) {
        Ok(super::Outcome::Success)
    } else {
        Ok(super::Outcome::Negative)
    }
}

/// The capture files named: files as given, folders searched recursively for `*.pcap` and
/// `*.pcapng` (in name order).
pub fn submissions(paths: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            walk(p, &mut out)?;
        } else {
            out.push(p.clone());
        }
    }
    anyhow::ensure!(
        !out.is_empty(),
        "no *.pcap or *.pcapng file among the submissions"
    );
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> anyhow::Result<()> {
    let entries = std::fs::read_dir(dir).with_context(|| format!("{}", dir.display()))?;
    let mut paths: Vec<PathBuf> = entries
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()
        .with_context(|| format!("{}", dir.display()))?;
    paths.sort();
    for p in paths {
        let capture = matches!(
            p.extension().and_then(|e| e.to_str()),
            Some("pcap" | "pcapng")
        );
        if p.is_dir() {
            walk(&p, out)?;
        } else if capture {
            out.push(p);
        }
    }
    Ok(())
}

/// A progress bar on stderr, drawn only when stderr is a terminal.
fn progress(n: usize) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(n as u64), ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template("grading {bar:40} {pos}/{len} files") {
        bar.set_style(style);
    }
    bar.tick();
    bar
}

/// `--csv`: the header and one row per file, quoted where needed.
fn csv(grades: &[Grade]) -> anyhow::Result<String> {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    w.write_record(["file", "verdict", "first_divergence"])?;
    for g in grades {
        w.write_record([g.file.as_str(), g.verdict.name(), &g.first_divergence])?;
    }
    let bytes = w.into_inner().map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// The table for a terminal: one row per file, fitted to its width, the verdict coloured
/// only where colour is wanted; then a count of each verdict.
fn table(grades: &[Grade]) -> String {
    let mut t = super::term::table(UTF8_FULL_CONDENSED);
    t.set_header(["file", "verdict", "first divergence"]);
    for g in grades {
        let colour = match g.verdict {
            Verdict::Equivalent => Color::Green,
            Verdict::Different | Verdict::Error => Color::Red,
        };
        t.add_row([
            Cell::new(&g.file),
            Cell::new(g.verdict.name()).fg(colour),
            Cell::new(&g.first_divergence),
        ]);
    }
    let count = |v| grades.iter().filter(|g| g.verdict == v).count();
    format!(
        "{t}\n{} files: {} equivalent, {} different, {} unreadable\n",
        grades.len(),
        count(Verdict::Equivalent),
        count(Verdict::Different),
        count(Verdict::Error)
    )
}
