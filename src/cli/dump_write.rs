//! `echolab dump -w`: where the savefile goes and how (`-w FILE`, `--pcapng`, `-U`), and the
//! `-r IN -w OUT` copy. The bytes are written by `crate::capture::pcap::writer`.

use std::io::{self, Read, Write};
use std::path::PathBuf;

use anyhow::Context;

use crate::capture::filter::Program;
use crate::capture::pcap::writer::{Format, SaveFile};
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
}

/// The open `-w` file.
pub type File = SaveFile<Box<dyn Write>>;

impl WriteOptions {
    /// The file's name in messages.
    pub fn name(&self) -> String {
        self.path.display().to_string()
    }

    /// Create (or truncate) the file; nothing is written yet.
    pub fn create(&self) -> anyhow::Result<Box<dyn Write>> {
        if self.path.as_os_str() == "-" {
            return Ok(Box::new(io::stdout()));
        }
        let f = std::fs::File::create(&self.path)
            .with_context(|| format!("{}: cannot create", self.path.display()))?;
        Ok(Box::new(f))
    }

    /// Write the file header for frames of `link` cut at `snaplen`.
    pub fn start(&self, dst: Box<dyn Write>, link: LinkType, snaplen: u32) -> io::Result<File> {
        let format = if self.pcapng {
            Format::PcapNg
        } else {
            Format::Pcap { nano: self.nano }
        };
        SaveFile::create(dst, format, link, snaplen, self.flush_each)
    }

    /// The one line for a failed write: said as text, as a broken pipe here is an error (the
    /// frames are lost), not a reader that left.
    pub fn failed(&self, e: &io::Error) -> anyhow::Error {
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
        file.write(&rec).map_err(|e| write.failed(&e))?;
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
