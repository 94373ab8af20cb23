//! `echolab lab`: the lab's exercises, self-checking. `list` and `show N` print the
//! handout, `run N` plays exercise N on loopback and checks its capture, `check N FILE...`
//! checks a student's captures (or, for the typed-trace exercise, tcpdump texts).
//!
//! Exit codes: 0 every criterion holds (`list`, `show`: done); 1 a criterion fails, or `run`
//! could not play or capture; 2 a bad command line, an unknown exercise, the wrong number of
//! files, or a file that cannot be read.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;

use crate::capture::escape::escape_text;
use crate::capture::print::{PrintOptions, Printer};
use crate::demo::{self, Frame};
use crate::lab::{self, Exercise, Input, LabError, Material, Report};

use super::{term, Failure};

/// Arguments of `echolab lab`.
#[derive(Debug, clap::Args)]
pub struct LabArgs {
    #[command(subcommand)]
    pub command: LabCommand,
}

#[derive(Debug, clap::Subcommand)]
pub enum LabCommand {
    /// One line per exercise: its number and title.
    List,
    /// What to run, what to capture, and the questions of exercise N.
    Show {
        #[arg(value_name = "N")]
        number: u32,
    },
    /// Play exercise N on loopback (servers, client, capture; needs root or CAP_NET_RAW),
    /// then check its captures.
    Run {
        #[arg(value_name = "N")]
        number: u32,
        /// Also write each capture as DIR/exN.pcap (two captures: exN-1.pcap, exN-2.pcap).
        #[arg(short = 'w', long = "write", value_name = "DIR")]
        write: Option<PathBuf>,
        /// Print the check as one JSON object (schema in the README).
        #[arg(long)]
        json: bool,
    },
    /// Check captures (pcap or pcapng) against exercise N's criteria and answer its
    /// questions; exercise 8 takes tcpdump texts.
    Check {
        #[arg(value_name = "N")]
        number: u32,
        #[arg(value_name = "FILE", required = true)]
        files: Vec<PathBuf>,
        /// Print the check as one JSON object (schema in the README).
        #[arg(long)]
        json: bool,
    },
}

/// Runs `echolab lab`.
pub fn run(args: LabArgs) -> super::Result {
    match args.command {
        LabCommand::List => {
            let text: String = lab::EXERCISES
                .iter()
                .map(|e| format!("{}  {}\n", e.number, e.title))
                .collect();
            emit(&text)
        }
        LabCommand::Show { number } => {
            let ex = find(number)?;
            let mut text = format!("{}  {}\n\n", ex.number, ex.title);
            for line in ex.handout.lines() {
                text.push_str(&indented_wrap(line));
                text.push('\n');
            }
            emit(&text)
        }
        LabCommand::Check {
            number,
            files,
            json,
        } => {
            let ex = find(number)?;
            let materials = files
                .iter()
                .map(|f| read(ex, f))
                .collect::<anyhow::Result<Vec<_>>>()
                .map_err(Failure::usage)?;
            let report = lab::check(ex, &materials).map_err(Failure::usage)?;
            finish(&report, json, String::new())
        }
        LabCommand::Run {
            number,
            write,
            json,
        } => play(find(number)?, write.as_deref(), json),
    }
}

/// A line wrapped to the terminal, keeping its indentation (continuations indented more).
fn indented_wrap(line: &str) -> String {
    let body = line.trim_start();
    let lead = line.len() - body.len();
    // The indentation is held by no-break spaces while wrapping, so it counts towards the
    // width and stays with the first word.
    let held = format!("{}{body}", "\u{a0}".repeat(lead));
    let wrapped = term::wrap(&held, &" ".repeat(lead + 4));
    wrapped.replacen(&"\u{a0}".repeat(lead), &" ".repeat(lead), 1)
}

fn find(number: u32) -> super::Result<&'static Exercise> {
    lab::exercise(number).ok_or_else(|| Failure::usage(LabError::NoExercise(number)))
}

/// A file as the exercise takes it: a capture, or a tcpdump text.
fn read(ex: &Exercise, path: &Path) -> anyhow::Result<Material> {
    if ex.input == Input::Texts {
        let text = std::fs::read(path).map_err(|e| {
            let words = e.to_string();
            let words = words
                .split(" (os error")
                .next()
                .unwrap_or(&words)
                .to_string();
            anyhow::anyhow!("{}: {words}", path.display())
        })?;
        let text =
            String::from_utf8(text).with_context(|| format!("{}: not text", path.display()))?;
        return Ok(Material::Text {
            name: path.display().to_string(),
            text,
        });
    }
    let mut reader = super::open_capture(path)?;
    let mut frames = Vec::new();
    while let Some(r) = reader
        .next_record()
        .with_context(|| format!("{}", path.display()))?
    {
        frames.push(Frame {
            ts: r.ts,
            len: r.len,
            link: r.link,
            data: r.data.to_vec(),
        });
    }
    Ok(Material::Capture(frames))
}

/// Play the exercise, show what happened (screens, traces wrapped to the terminal), check it.
fn play(ex: &Exercise, write: Option<&Path>, json: bool) -> super::Result {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("tokio runtime")?;
    let played = rt
        .block_on(lab::run::run(ex))
        .with_context(|| format!("exercise {}", ex.number))?;
    let many = played.captures.len() > 1;
    let mut text = String::new();
    for (i, t) in played.captures.iter().enumerate() {
        let name = if many {
            format!("ex{}-{}.pcap", ex.number, i + 1)
        } else {
            format!("ex{}.pcap", ex.number)
        };
        if let Some(dir) = write {
            std::fs::create_dir_all(dir).with_context(|| format!("{}", dir.display()))?;
            let path = dir.join(&name);
            demo::write_pcap(&path, &t.frames).with_context(|| format!("{}", path.display()))?;
        }
        let what = match ex.input {
            Input::Captures(names) => names.get(i).copied().unwrap_or("capture"),
            Input::Texts => "capture",
        };
        let head = format!("=== {what} ({name}): sessions to {}", t.server);
        text.push_str(&term::wrap(&head, "    "));
        text.push('\n');
        for s in &t.sessions {
            text.push_str(&format!("--- {}: client's screen\n", s.name));
            // What the typist typed is raw (Enter is `\r`): escaped, and wrapped to the terminal.
            for line in s.screen.lines() {
                text.push_str(&term::wrap(&escape_text(line), ""));
                text.push('\n');
            }
            if let Some(e) = &s.error {
                let line = format!("echoClient: {}", escape_text(e));
                text.push_str(&term::wrap(&line, "  "));
                text.push('\n');
            }
        }
        text.push_str("--- trace (tcpdump -nnS -#, wrapped)\n");
        text.push_str(&trace(&t.frames));
        text.push('\n');
    }
    for m in &played.materials {
        if let Material::Text { name, .. } = m {
            let head = format!("=== {} (built in)", escape_text(name));
            text.push_str(&term::wrap(&head, "    "));
            text.push('\n');
        }
    }
    let report = lab::check(ex, &played.materials).map_err(Failure::runtime)?;
    if json {
        text.clear();
    }
    finish(&report, json, text)
}

fn trace(frames: &[Frame]) -> String {
    let mut printer = Printer::new(PrintOptions {
        n: 2,
        s_abs: 1,
        number: true,
        tz: Some(jiff::tz::TimeZone::system()),
        ..PrintOptions::default()
    });
    let mut text = String::new();
    for f in frames {
        printer.print(&f.record(), &mut text);
    }
    // tcpdump's lines, wrapped at spaces to the terminal's width.
    text.lines()
        .map(|l| term::wrap(l, "          ") + "\n")
        .collect()
}

/// Print the report after `text`; the status says whether every criterion held.
fn finish(report: &Report, json: bool, mut text: String) -> super::Result {
    if json {
        text.push_str(&serde_json::to_string(report).context("JSON")?);
        text.push('\n');
    } else {
        text.push_str(&render(report, term::colour()));
    }
    emit(&text)?;
    Ok(if report.pass {
        super::Outcome::Success
    } else {
        super::Outcome::Negative
    })
}

/// The report as text: one line per criterion (pass or fail, with its evidence), the
/// answers, and a verdict line; every line fits the terminal.
pub fn render(r: &Report, colour: bool) -> String {
    let mut out = format!("exercise {}: {}\n", r.exercise, r.title);
    for c in &r.criteria {
        let word = if c.pass { "PASS" } else { "FAIL" };
        let line = term::wrap(
            &format!("{word}  {}: {}", c.criterion, escape_text(&c.evidence)),
            "      ",
        );
        let painted = match (colour, c.pass) {
            (false, _) => line,
            (true, true) => format!("\x1b[32m{word}\x1b[0m{}", &line[4..]),
            (true, false) => format!("\x1b[31m{word}\x1b[0m{}", &line[4..]),
        };
        out.push_str(&painted);
        out.push('\n');
    }
    if !r.answers.is_empty() {
        out.push_str("answers:\n");
    }
    for a in &r.answers {
        let line = format!("- {}: {}", a.question, escape_text(&a.answer));
        out.push_str(&term::wrap(&line, "  "));
        out.push('\n');
    }
    let held = r.criteria.iter().filter(|c| c.pass).count();
    let verdict = if r.pass { "passed" } else { "failed" };
    out.push_str(&format!(
        "exercise {} {verdict}: {held} of {} criteria hold\n",
        r.exercise,
        r.criteria.len()
    ));
    out
}

/// Write to stdout; a reader that closed it is not an error (the exit policy's rule).
fn emit(text: &str) -> super::Result {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .context("writing to stdout")?;
    Ok(super::Outcome::Success)
}
