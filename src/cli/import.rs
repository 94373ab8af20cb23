//! `echolab import`: tcpdump text to a pcap file.
//!
//! Exit codes: 0 every packet read whole (or repaired with proof); 1 damaged hex left unrepaired
//! (the pcap is still written, each damaged packet cut before its first unknown byte, so no
//! guessed byte is ever written); 2 unreadable input (no file, not UTF-8, no packet in it).

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;

use crate::capture::import;

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
    /// Fill unreadable hex bytes where the ASCII column or a checksum claim proves the value.
    #[arg(long)]
    pub repair: bool,
}

/// Read and parse a text file; errors are "unreadable input" (exit 2).
pub fn read_trace(path: &std::path::Path) -> anyhow::Result<import::Trace> {
    let bytes = std::fs::read(path).with_context(|| format!("{}", path.display()))?;
    let text =
        String::from_utf8(bytes).with_context(|| format!("{}: not UTF-8 text", path.display()))?;
    import::parse(&text).with_context(|| format!("{}", path.display()))
}

/// 0 every packet written whole, 1 some damaged (or the pcap could not be written), 2 a bad
/// `--date` or an unreadable text.
pub fn run(args: ImportArgs) -> super::Result {
    let day = match args.date.as_deref().map(import::parse_date) {
        None => 0,
        Some(Some(d)) => d,
        Some(None) => {
            let date = args.date.unwrap_or_default();
            let e = anyhow::anyhow!("--date {date}: expected YYYY-MM-DD");
            return Err(super::Failure::usage(e));
        }
    };
    let mut trace = read_trace(&args.text).map_err(super::Failure::trouble)?;
    let stderr = std::io::stderr();
    let mut err = stderr.lock();
    let link = trace.link;
    let mut damaged = false;
    for p in &mut trace.packets {
        if args.repair {
            for r in import::repair(p, link) {
                let _ = writeln!(err, "echolab import: repaired: {r}");
            }
        }
        if !p.complete() {
            damaged = true;
            let kept = p.readable_prefix().len();
            for d in &p.damage {
                let _ = writeln!(
                    err,
                    "echolab import: damaged: {d}; the packet at line {} is written with its first {kept} bytes",
                    p.line
                );
            }
        }
    }
    let written = std::fs::File::create(&args.write)
        .with_context(|| format!("{}", args.write.display()))
        .and_then(|f| {
            import::write_pcap(&trace, day, std::io::BufWriter::new(f))
                .with_context(|| format!("{}", args.write.display()))
        });
    written?;
    if damaged {
        Ok(super::Outcome::Negative)
    } else {
        Ok(super::Outcome::Success)
    }
}
