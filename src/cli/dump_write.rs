//! `echolab dump -w`: where the savefile goes and how (`-w FILE`, `--pcapng`, `-U`, the
//! rotation of `-C`, `-G`, `-W`, `-z` with tcpdump 4.99.3's checks of their values), and the
//! `-r IN -w OUT` copy. The bytes are written by `crate::capture::pcap::writer`, the files
//! opened and rotated by `crate::capture::pcap::rotate`.

use std::ffi::OsString;
use std::io::{self, Read, Write};
use std::path::PathBuf;

use crate::capture::filter::Program;
use crate::capture::live::{drop_privileges, LiveError};
use crate::capture::pcap::rotate::{rotate_error, Opened, RotateError, Rotation, Savefiles};
use crate::capture::pcap::writer::Format;
use crate::capture::pcap::Reader;
use crate::capture::print::PrintOptions;
use crate::capture::record::LinkType;

/// The `-w` file of a dump.
#[derive(Debug, Clone)]
pub struct WriteOptions {
    /// The file, `-` for stdout.
    pub path: PathBuf,
    /// `--pcapng` rather than pcap.
    pub pcapng: bool,
    /// Nanosecond pcap time stamps (`--time-stamp-precision=nano`).
    pub nano: bool,
    /// tcpdump's `-U`: each frame reaches the file at once.
    pub flush_each: bool,
    /// `-C`, `-G`, `-W`, `-z`.
    pub rotation: Rotation,
    /// The user a live capture becomes: with rotation, before its first file is created, so
    /// that every file is created by that user (tcpdump too, without `-C`/`-G`, opens its
    /// one file first and then gives up root).
    pub drop_to: Option<String>,
}

/// The open `-w` file (or series of files).
pub type File = Savefiles;

impl WriteOptions {
    /// The file's name in messages.
    pub fn name(&self) -> String {
        self.path.display().to_string()
    }

    /// Create (or truncate) the first file (`-` is stdout); nothing is written yet.
    pub fn create(&self) -> anyhow::Result<Opened> {
        if let Some(user) = self.drop_to.as_ref().filter(|_| self.rotation.is_on()) {
            drop_privileges(user).map_err(|source| LiveError::DropPrivileges {
                user: user.clone(),
                source,
            })?;
        }
        let name = self
            .rotation
            .name(self.path.as_os_str(), self.rotation.since, 0);
        let opened = name.and_then(Opened::create);
        opened.map_err(|e| match rotate_error(&e) {
            Some(r) => anyhow::anyhow!("{r}"),
            None => e.into(),
        })
    }

    /// Write the file header for frames of `link` cut at `snaplen`.
    pub fn start(&self, first: Opened, link: LinkType, snaplen: u32) -> io::Result<File> {
        let format = if self.pcapng {
            Format::PcapNg
        } else {
            Format::Pcap { nano: self.nano }
        };
        let base = self.path.clone().into_os_string();
        let rotation = self.rotation.clone();
        Savefiles::start(
            base,
            rotation,
            first,
            format,
            link,
            snaplen,
            self.flush_each,
        )
    }

    /// The one line for a failed write: said as text, as a broken pipe here is an error (the
    /// frames are lost), not a reader that left. A rotation's own failures (the next file
    /// cannot be created, `-C` on a pipe) are said in tcpdump's words.
    pub fn failed(&self, e: &io::Error) -> anyhow::Error {
        if let Some(r) = rotate_error(e) {
            return anyhow::anyhow!("{r}");
        }
        let msg = e.to_string();
        let msg = msg.split(" (os error").next().unwrap_or(&msg);
        anyhow::anyhow!(
            "writing {}: {msg} (the frames before this error are in the file)",
            self.name()
        )
    }
}

/// `echolab dump -r IN -w OUT [expr]`: copy the records that pass `prog` (at most `count`)
/// into a new file of the same link type and snap length, as `tcpdump -r IN -w OUT` does
/// (with `print`, printing them too).
pub fn copy_records<R: Read>(
    reader: &mut Reader<R>,
    input: &str,
    prog: &Program,
    count: Option<u64>,
    write: &WriteOptions,
    print: Option<PrintOptions>,
) -> anyhow::Result<()> {
    let dst = write.create()?;
    let mut file = write
        .start(dst, reader.link(), reader.snaplen())
        .map_err(|e| write.failed(&e))?;
    let mut printer = print.map(crate::capture::names::printer);
    let stdout = io::stdout();
    let mut out = io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let mut text = String::new();
    let mut n = 0u64;
    let result = loop {
        if count.is_some_and(|c| n >= c) {
            break Ok(());
        }
        let (rec, stamp) = match reader.next_stamped() {
            Ok(Some(rec)) => rec,
            Ok(None) => break Ok(()),
            Err(e) => break Err(anyhow::Error::new(e).context(input.to_string())),
        };
        if !prog.matches(rec.data, rec.len) {
            continue;
        }
        if let Err(e) = file.write(&rec) {
            if let Some(text) = limit_reached(&e) {
                // tcpdump's statistics of a savefile are its one line saying there are none.
                let text = text + "pcap_stats: Statistics aren't available from savefiles\n";
                let _ = io::stderr().write_all(text.as_bytes());
                break Ok(());
            }
            return Err(write.failed(&e));
        }
        if let Some(p) = printer.as_mut() {
            text.clear();
            p.print_stamped(&rec, stamp, &mut text);
            out.write_all(text.as_bytes())?;
        }
        n += 1;
    };
    file.flush().map_err(|e| write.failed(&e))?;
    out.flush()?;
    result
}

/// `Maximum file limit reached: N` and a newline when `e` says `-W` files were written under
/// `-G`: the dump ends there, a success (after this line tcpdump prints its statistics).
pub fn limit_reached(e: &io::Error) -> Option<String> {
    match rotate_error(e) {
        Some(r @ RotateError::Limit(_)) => Some(format!("{r}\n")),
        _ => None,
    }
}

/// The rotation `-C SIZE`, `-G SECONDS`, `-W N` and `-z CMD` ask for, their values read and
/// refused as tcpdump 4.99.3 does: `-C` a whole number of millions of bytes (`strtoll`, all
/// of it), `-G` and `-W` by `atoi` (digits up to the first other character; `-G x` is 0, no
/// rotation). `-W` without `-C` or `-G` changes nothing, as with tcpdump.
pub fn rotation(
    size: Option<&str>,
    seconds: Option<&str>,
    files: Option<&str>,
    command: Option<OsString>,
) -> anyhow::Result<Rotation> {
    let mut r = Rotation {
        command,
        since: jiff::Timestamp::now().as_second(),
        ..Rotation::default()
    };
    if let Some(text) = size {
        let n = c_strtoll(text).filter(|&n| n > 0);
        let n = n.ok_or_else(|| anyhow::anyhow!("invalid file size {text}"))?;
        if n > i64::MAX / 1_000_000 {
            anyhow::bail!("file size {text} is too large");
        }
        r.size = n.unsigned_abs() * 1_000_000;
    }
    if let Some(text) = seconds {
        let n = c_atoi(text);
        if n < 0 {
            anyhow::bail!("invalid number of seconds {text}");
        }
        r.seconds = u64::from(n.unsigned_abs());
    }
    if let Some(text) = files {
        let n = c_atoi(text);
        if n <= 0 {
            anyhow::bail!("invalid number of output files {text}");
        }
        r.files = n.unsigned_abs();
    }
    Ok(r)
}

/// C's leading white space, sign and digits of `text`: (negative, digits, the rest).
fn c_number(text: &str) -> (bool, &str, &str) {
    let t = text.trim_start_matches([' ', '\t', '\n', '\x0b', '\x0c', '\r']);
    let (negative, t) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let end = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    (negative, &t[..end], &t[end..])
}

/// `strtoll(text, &end, 10)` that must take all of `text`: `None` for no digits, anything
/// after them, or a value out of range.
fn c_strtoll(text: &str) -> Option<i64> {
    let (negative, digits, rest) = c_number(text);
    if digits.is_empty() || !rest.is_empty() {
        return None;
    }
    let n: i64 = digits.parse().ok()?;
    Some(if negative { -n } else { n })
}

/// glibc's `atoi`: `(int) strtol(text, NULL, 10)`, the value clamped to a `long` and then
/// cut to 32 bits.
fn c_atoi(text: &str) -> i32 {
    let (negative, digits, _) = c_number(text);
    let n = match digits.parse::<i64>() {
        Ok(v) if negative => -v,
        Ok(v) => v,
        Err(_) if digits.is_empty() => 0,
        Err(_) if negative => i64::MIN,
        Err(_) => i64::MAX,
    };
    n as i32
}
