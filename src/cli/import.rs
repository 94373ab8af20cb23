//! `echolab import`: tcpdump text to a pcap file.
//!
//! Exit codes: 0 every packet read whole (or repaired with proof); 1 damaged hex left unrepaired
//! (the pcap is still written, each damaged packet cut before its first unknown byte, so no
//! guessed byte is ever written); 2 unreadable input (no file, not UTF-8, no packet in it).

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;

use crate::capture::escape::escape_text;
use crate::capture::verify::digits;
use crate::capture::{import, repair};

/// Arguments of `echolab import`.
#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// tcpdump text output (`-x`, `-X` or `-XX` hex; 4.1-era or 4.99 wording; may be wrapped).
    #[arg(value_name = "TEXT")]
    pub text: PathBuf,
    /// The pcap file to write.
    #[arg(short = 'w', value_name = "OUT.pcap")]
    pub write: PathBuf,
    /// The day of the first packet (tcpdump prints only the time of day); default 1970-01-01.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<String>,
    /// Fill unreadable hex bytes, and correct mistyped digits, where the ASCII column or a
    /// checksum verdict of the text proves the value (each repair is printed with its proof).
    #[arg(long)]
    pub repair: bool,
}

/// Open a text file and survey it (a first pass, one packet at a time: see
/// [`import::survey`]); errors are "unreadable input" (exit 2).
pub fn survey(path: &std::path::Path) -> anyhow::Result<import::Survey> {
    let f = std::fs::File::open(path).with_context(|| format!("{}", path.display()))?;
    import::survey(std::io::BufReader::new(f)).with_context(|| format!("{}", path.display()))
}

/// The packets of a text file, read one at a time.
pub fn open_text(
    path: &std::path::Path,
) -> anyhow::Result<import::TextReader<std::io::BufReader<std::fs::File>>> {
    let f = std::fs::File::open(path).with_context(|| format!("{}", path.display()))?;
    Ok(import::TextReader::new(std::io::BufReader::new(f)))
}

/// 0 every packet written whole, 1 some damaged (or the pcap could not be written), 2 a bad
/// `--date` or an unreadable text.
pub fn run(args: ImportArgs) -> super::Result {
    let day = match args.date.as_deref().map(import::parse_date) {
        None => 0,
        Some(Some(d)) => d,
        Some(None) => {
            let e = anyhow::anyhow!(
                "--date {}: expected YYYY-MM-DD",
                escape_text(&args.date.unwrap_or_default())
            );
            return Err(super::Failure::usage(e));
        }
    };
    // The link type and time resolution go in the file header, before any packet: a first
    // pass finds them, the second writes, each holding one packet at a time.
    let (survey, packets) = match survey(&args.text).and_then(|s| Ok((s, open_text(&args.text)?))) {
        Ok(x) => x,
        Err(e) => return Err(super::Failure::trouble(e)),
    };
    let stderr = std::io::stderr();
    let mut err = stderr.lock();
    let mut damaged = false;
    let out = std::fs::File::create(&args.write)
        .with_context(|| format!("{}", args.write.display()))
        .and_then(|f| {
            import::PcapOut::new(std::io::BufWriter::new(f), survey.link, survey.nano)
                .with_context(|| format!("{}", args.write.display()))
        });
    let mut out = match out {
        Ok(o) => o,
        Err(e) => return Err(super::Failure::runtime(e)),
    };
    let mut clock = import::Clock::new(day);
    for p in packets {
        let mut p = match p.with_context(|| format!("{}", args.text.display())) {
            Ok(p) => p,
            Err(e) => return Err(super::Failure::trouble(e)),
        };
        if args.repair {
            for r in repair::repair(&mut p, survey.link) {
                let _ = writeln!(
                    err,
                    "echolab import: repaired: {}",
                    escape_text(&r.to_string())
                );
            }
            let (fixed, unproven) = digits::prove(&mut p, survey.link);
            for r in fixed {
                let _ = writeln!(
                    err,
                    "echolab import: corrected: {}",
                    escape_text(&r.to_string())
                );
            }
            for u in unproven {
                let _ = writeln!(
                    err,
                    "echolab import: not proven: {}",
                    escape_text(&u.to_string())
                );
            }
        }
        if !p.complete() {
            damaged = true;
            let kept = p.readable_prefix().len();
            for d in &p.damage {
                let _ = writeln!(
                    err,
                    "echolab import: damaged: {}; the packet at line {} is written with its first {kept} bytes",
                    escape_text(&d.to_string()),
                    p.line
                );
            }
        }
        let ts = clock.stamp(&p);
        out.write(&p, ts)
            .with_context(|| format!("{}", args.write.display()))?;
    }
    out.finish()
        .with_context(|| format!("{}", args.write.display()))?;
    if damaged {
        Ok(super::Outcome::Negative)
    } else {
        Ok(super::Outcome::Success)
    }
}
