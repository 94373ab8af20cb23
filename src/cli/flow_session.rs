//! The echo programs' `--flow`: the session's ladder on stderr once it is over (after the
//! terminal is back to normal, so continuous mode's raw keypresses are never mixed with it).
//!
//! The programs' traffic capture (`cli::traffic`) writes the session's packets as pcap into a
//! temporary file that is unlinked at once and reached through `/proc/self/fd/N`: nothing is
//! left behind whatever happens, and the file can still be read back after the capture gave
//! up root for `nobody`. With `--pcap FILE` the ladder is read from that file instead.

use std::fs::File;
use std::io::{self, IsTerminal, Seek, Write};
use std::os::fd::AsRawFd;
use std::os::unix::fs::OpenOptionsExt;
use std::path::PathBuf;

use anyhow::Context;

use crate::capture::pcap::Reader;
use crate::cli::traffic::TrafficArgs;
use crate::view::ladder::text::{self, Look};
use crate::view::ladder::{Builder, Options};

/// Where a session's packets are kept for its ladder.
pub struct Recording {
    /// The unlinked temporary file, when the packets go there.
    file: Option<File>,
    /// The path the capture writes to.
    path: PathBuf,
}

impl Recording {
    /// Keep the packets of a capture run with `args` (`None` after a warning when no
    /// temporary file can be made: the session runs without its ladder).
    pub fn start(prog: &str, args: &TrafficArgs) -> Option<Recording> {
        if let Some(p) = &args.pcap {
            return Some(Recording {
                file: None,
                path: p.clone(),
            });
        }
        match temporary() {
            Ok(file) => {
                let path = PathBuf::from(format!("/proc/self/fd/{}", file.as_raw_fd()));
                Some(Recording {
                    file: Some(file),
                    path,
                })
            }
            Err(e) => {
                let _ = writeln!(io::stderr(), "{prog}: warning: no ladder: {e:#}");
                None
            }
        }
    }

    /// `args` writing the pcap where the ladder reads it.
    pub fn traffic(&self, args: &TrafficArgs) -> TrafficArgs {
        TrafficArgs {
            pcap: Some(self.path.clone()),
            ..args.clone()
        }
    }

    /// Draw the ladders of what was captured on stderr (said in one line if it fails).
    pub fn draw(self, prog: &str) {
        let look = stderr_look();
        match self.ladders(&look) {
            Ok(text) => {
                let _ = io::stderr().write_all(text.as_bytes());
            }
            Err(e) => {
                let _ = writeln!(io::stderr(), "{prog}: warning: no ladder: {e:#}");
            }
        }
    }

    fn ladders(self, look: &Look) -> anyhow::Result<String> {
        let mut file = match self.file {
            Some(f) => f,
            None => File::open(&self.path).with_context(|| format!("{}", self.path.display()))?,
        };
        file.rewind().context("the session's capture")?;
        let mut reader =
            Reader::new(io::BufReader::new(file)).context("reading the session's capture")?;
        let mut builder = Builder::new(Options::default());
        while let Some(rec) = reader
            .next_record()
            .context("reading the session's capture")?
        {
            builder.push(&rec);
        }
        Ok(text::render(&builder.finish(), look))
    }
}

/// A new file only this process can reach: created exclusively, then unlinked.
fn temporary() -> anyhow::Result<File> {
    let dir = std::env::temp_dir();
    let path = dir.join(format!("echolab-flow-{:016x}.pcap", rand::random::<u64>()));
    let file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&path)
        .with_context(|| format!("{}: cannot create", path.display()))?;
    std::fs::remove_file(&path).with_context(|| format!("{}: cannot remove", path.display()))?;
    Ok(file)
}

/// The width and colour of stderr: `COLUMNS`, else the terminal's when stderr is one, else
/// 100; colour only on a terminal without `NO_COLOR`.
fn stderr_look() -> Look {
    let tty = io::stderr().is_terminal();
    let width = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<u16>().ok())
        .filter(|&w| w > 0)
        .or_else(|| {
            tty.then(crossterm::terminal::size)
                .and_then(Result::ok)
                .map(|(w, _)| w)
                .filter(|&w| w > 0)
        })
        .unwrap_or(crate::cli::term::DEFAULT_WIDTH);
    Look {
        width: usize::from(width),
        colour: tty && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
    }
}
