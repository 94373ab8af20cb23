//! The `-w` savefiles of a dump, one or a rotating series, as tcpdump 4.99.3 writes them
//! (`tcpdump.c`: `dump_packet_and_trunc`, `MakeFilename`, `compress_savefile`):
//!
//! - `-C`: before each frame, when the file already holds more than the size, it is closed
//!   and the next one opened: `out`, `out1`, `out2`, … or, with `-W N`, `out0` … `outN-1`
//!   (the number padded to the digits of N-1) and round again.
//! - `-G`: before each frame, when the wall clock is the period or more past the file's
//!   opening, the next file is opened, its name the `-w` name through `strftime` at that
//!   moment (numbered from 0 again when `-C` is on too); with `-W N` and no `-C`, the N-th
//!   rotation ends the dump instead ([`RotateError::Limit`]).
//! - `-z CMD`: each file closed by a rotation is handed to `CMD FILE`, started and not
//!   waited for (the last file is not).
//!
//! Each file is a whole savefile (its own header) written by `writer::SaveFile`. A name
//! `-` is standard output. Must not import `crate::echo` or `crate::cli`.

use std::ffi::{OsStr, OsString};
use std::io::{self, IsTerminal, Write};
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::os::unix::fs::FileTypeExt;
use std::process::{Child, Command};

use jiff::tz::TimeZone;

use super::strftime;
use super::writer::{Format, SaveFile};
use crate::capture::record::{LinkType, Record};

/// tcpdump's `PATH_MAX` limit on a file name.
const PATH_MAX: usize = 4096;

/// When to start a new file, and what to do with a closed one. All zero: one file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rotation {
    /// `-C`: the size in bytes (tcpdump's unit of 1,000,000 already applied); 0: none.
    pub size: u64,
    /// `-G`: the period in seconds; 0: none.
    pub seconds: u64,
    /// `-W`: how many files (0: no limit).
    pub files: u32,
    /// `-z`: the command run on each closed file.
    pub command: Option<OsString>,
    /// When the dump started (seconds since 1970): the first `-G` period's start.
    pub since: i64,
}

impl Rotation {
    /// Whether any file after the first is ever opened.
    pub fn is_on(&self) -> bool {
        self.size > 0 || self.seconds > 0
    }

    /// How many digits a file's number takes (`-W 10`: 1, `-W 11`: 2).
    fn digits(&self) -> usize {
        self.files
            .saturating_sub(1)
            .checked_ilog10()
            .map_or(0, |d| d as usize + 1)
    }

    /// The name of the `count`-th file of `-C`'s series (0 the first) in the `-G` period
    /// that began at `since`.
    pub fn name(&self, base: &OsStr, since: i64, count: u32) -> io::Result<OsString> {
        let mut name = if self.seconds > 0 {
            strftime::format(base.as_bytes(), since, &TimeZone::system())
        } else {
            base.as_bytes().to_vec()
        };
        let digits = if self.size > 0 { self.digits() } else { 0 };
        if count > 0 || digits > 0 {
            name.extend_from_slice(format!("{count:0digits$}").as_bytes());
            if name.len() > PATH_MAX {
                return Err(io::Error::other(RotateError::TooLong));
            }
        }
        Ok(OsString::from_vec(name))
    }
}

/// Why a rotating dump stops that is not the system's error on a write.
#[derive(Debug, thiserror::Error)]
pub enum RotateError {
    /// `-W` files were written under `-G` (a normal end, not a failure).
    #[error("Maximum file limit reached: {0}")]
    Limit(u32),
    /// `-C` with standard output a pipe, socket or terminal: its size cannot be known.
    #[error("ftell fails on output file")]
    Position,
    /// A name longer than the system takes.
    #[error("too many output files or filename is too long (> {PATH_MAX})")]
    TooLong,
    /// A file could not be created: its name and the system's words.
    #[error("{0}")]
    Create(String),
}

/// The `RotateError` an I/O error carries, if any.
pub fn rotate_error(e: &io::Error) -> Option<&RotateError> {
    e.get_ref().and_then(|inner| inner.downcast_ref())
}

/// A destination opened by name: the file, or standard output for `-`.
pub struct Opened {
    name: OsString,
    dst: Box<dyn Write>,
    /// Whether its size can be asked (not a pipe, socket or terminal).
    seekable: bool,
}

impl Opened {
    /// Create (or truncate) `name`; the error names it, with the system's words (as
    /// libpcap's `NAME: Permission denied`).
    pub fn create(name: OsString) -> io::Result<Opened> {
        if name.as_bytes() == b"-" {
            let seekable = std::fs::metadata("/proc/self/fd/1").is_ok_and(|m| {
                let t = m.file_type();
                !(t.is_fifo() || t.is_socket())
            }) && !io::stdout().is_terminal();
            return Ok(Opened {
                name,
                dst: Box::new(io::stdout()),
                seekable,
            });
        }
        match std::fs::File::create(&name) {
            Ok(f) => Ok(Opened {
                name,
                dst: Box::new(f),
                seekable: true,
            }),
            Err(e) => {
                let text = e.to_string();
                let words = text.split(" (os error").next().unwrap_or(&text);
                let shown = String::from_utf8_lossy(name.as_bytes());
                let text = format!("{shown}: {words}");
                Err(io::Error::new(e.kind(), RotateError::Create(text)))
            }
        }
    }
}

/// The savefiles of one dump: the one being written and what opens the next.
pub struct Savefiles {
    base: OsString,
    rotation: Rotation,
    format: Format,
    link: LinkType,
    snaplen: u32,
    flush_each: bool,
    /// `None` once closed for good (the limit reached, or the next file failed to open).
    file: Option<SaveFile<Box<dyn Write>>>,
    name: OsString,
    seekable: bool,
    /// tcpdump's `Cflag_count`, `Gflag_count` and `Gflag_time`.
    size_count: u32,
    time_count: u32,
    since: i64,
    /// `-z` commands started and not yet seen to end.
    children: Vec<Child>,
}

impl Savefiles {
    /// Write the header of the first file, `first`, named by `rotation.name(base, since, 0)`.
    pub fn start(
        base: OsString,
        rotation: Rotation,
        first: Opened,
        format: Format,
        link: LinkType,
        snaplen: u32,
        flush_each: bool,
    ) -> io::Result<Savefiles> {
        let file = SaveFile::create(first.dst, format, link, snaplen, flush_each)?;
        Ok(Savefiles {
            base,
            since: rotation.since,
            rotation,
            format,
            link,
            snaplen,
            flush_each,
            file: Some(file),
            name: first.name,
            seekable: first.seekable,
            size_count: 0,
            time_count: 0,
            children: Vec::new(),
        })
    }

    /// The name of the file being written.
    pub fn name(&self) -> &OsStr {
        &self.name
    }

    /// Append one frame, first opening the next file if a rotation is due.
    pub fn write(&mut self, rec: &Record<'_>) -> io::Result<()> {
        if self.rotation.seconds > 0 {
            let now = jiff::Timestamp::now().as_second();
            if now - self.since >= self.rotation.seconds as i64 {
                self.since = now;
                self.time_count += 1;
                self.close()?;
                let limit = self.rotation.files;
                if self.rotation.size == 0 && limit > 0 && self.time_count >= limit {
                    return Err(io::Error::other(RotateError::Limit(limit)));
                }
                self.size_count = 0;
                self.open_next()?;
            }
        }
        if self.rotation.size > 0 {
            if !self.seekable {
                return Err(io::Error::other(RotateError::Position));
            }
            if self.current()?.position() > self.rotation.size {
                self.close()?;
                self.size_count += 1;
                if self.rotation.files > 0 && self.size_count >= self.rotation.files {
                    self.size_count = 0;
                }
                self.open_next()?;
            }
        }
        self.current()?.write(rec)
    }

    /// Put every buffered byte into the file being written.
    pub fn flush(&mut self) -> io::Result<()> {
        match self.file.as_mut() {
            Some(f) => f.flush(),
            None => Ok(()),
        }
    }

    fn current(&mut self) -> io::Result<&mut SaveFile<Box<dyn Write>>> {
        self.file
            .as_mut()
            .ok_or_else(|| io::Error::other("the savefile is closed"))
    }

    /// Close the file being written and hand it to `-z`'s command.
    fn close(&mut self) -> io::Result<()> {
        if let Some(f) = self.file.take() {
            drop(f.into_inner()?);
        }
        if let Some(cmd) = &self.rotation.command {
            // Commands that ended are reaped here; the others run on, not waited for.
            self.children
                .retain_mut(|c| matches!(c.try_wait(), Ok(None)));
            match Command::new(cmd).arg(&self.name).spawn() {
                Ok(child) => self.children.push(child),
                Err(e) => {
                    let text = e.to_string();
                    let words = text.split(" (os error").next().unwrap_or(&text);
                    let _ = writeln!(
                        io::stderr(),
                        "compress_savefile: execlp({}, {}) failed: {words}",
                        cmd.to_string_lossy(),
                        self.name.to_string_lossy()
                    );
                }
            }
        }
        Ok(())
    }

    fn open_next(&mut self) -> io::Result<()> {
        self.name = self
            .rotation
            .name(&self.base, self.since, self.size_count)?;
        let next = Opened::create(self.name.clone())?;
        self.seekable = next.seekable;
        let file = SaveFile::create(
            next.dst,
            self.format,
            self.link,
            self.snaplen,
            self.flush_each,
        )?;
        self.file = Some(file);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_as_make_filename() {
        let base = OsStr::new("out");
        let size = |files| Rotation {
            size: 1,
            files,
            ..Rotation::default()
        };
        let name = |r: &Rotation, n| r.name(base, 0, n).unwrap().into_string().unwrap();
        assert_eq!(name(&size(0), 0), "out");
        assert_eq!(name(&size(0), 12), "out12");
        assert_eq!(name(&size(1), 0), "out");
        assert_eq!(name(&size(10), 3), "out3");
        assert_eq!(name(&size(11), 3), "out03");
        assert_eq!(name(&size(101), 7), "out007");
        let time = Rotation {
            seconds: 60,
            files: 100,
            ..Rotation::default()
        };
        assert_eq!(name(&time, 0), "out");
    }
}
