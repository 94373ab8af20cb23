//! The one pcap/pcapng writer: frames go to a file as they come, in pcap (libpcap's savefile
//! format, what `tcpdump -w` writes) or pcapng, through one buffer that `-U` flushes after
//! each frame. `echolab dump -w`, `import`, `demo` and the echo programs' `--pcap` all write
//! through here.
//!
//! The formats are written byte by byte rather than through pcap-file's writers, so that the
//! buffer can be flushed per frame and an error (a full disk, a closed pipe) is seen at the
//! frame that caused it: every frame before it is in the file, whole.
//!
//! Must not import `crate::echo` or `crate::cli`.

use std::io::{self, Write};

use crate::capture::record::{LinkType, Record};

/// Which file format to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// pcap with microsecond (or, `nano`, nanosecond) timestamps, little-endian.
    Pcap { nano: bool },
    /// pcapng: one section, one interface with nanosecond timestamps.
    PcapNg,
}

/// A file being written frame by frame.
pub struct SaveFile<W: Write> {
    out: io::BufWriter<W>,
    format: Format,
    flush_each: bool,
    /// pcap fields in big-endian byte order (readers take either; pcapng is little-endian).
    big_endian: bool,
    /// Bytes written so far, header included (libpcap's `pcap_dump_ftell`).
    position: u64,
}

impl<W: Write> SaveFile<W> {
    /// Write the file header for frames of `link` cut at `snaplen`. `flush_each` is tcpdump's
    /// `-U`: each frame reaches the file as soon as it is written.
    pub fn create(
        dst: W,
        format: Format,
        link: LinkType,
        snaplen: u32,
        flush_each: bool,
    ) -> io::Result<SaveFile<W>> {
        SaveFile::create_ordered(dst, format, link, snaplen, flush_each, false)
    }

    /// `create`, with a pcap file's fields in big-endian byte order when `big_endian`.
    pub fn create_ordered(
        dst: W,
        format: Format,
        link: LinkType,
        snaplen: u32,
        flush_each: bool,
        big_endian: bool,
    ) -> io::Result<SaveFile<W>> {
        let mut f = SaveFile {
            out: io::BufWriter::with_capacity(1 << 16, dst),
            format,
            flush_each,
            big_endian,
            position: 0,
        };
        let header = match format {
            Format::Pcap { nano } => pcap_header(nano, link, snaplen, big_endian),
            Format::PcapNg => pcapng_header(link, snaplen),
        };
        f.out.write_all(&header)?;
        f.position = header.len() as u64;
        // The header reaches the file at once: a capture stopped before any frame still
        // leaves a valid file, as tcpdump's does.
        f.out.flush()?;
        Ok(f)
    }

    /// Append one frame.
    pub fn write(&mut self, rec: &Record<'_>) -> io::Result<()> {
        match self.format {
            Format::Pcap { nano } => self.write_pcap(rec, nano)?,
            Format::PcapNg => self.write_pcapng(rec)?,
        }
        if self.flush_each {
            self.out.flush()?;
        }
        Ok(())
    }

    /// How many bytes the file holds once flushed, header included (what `-C` compares).
    pub fn position(&self) -> u64 {
        self.position
    }

    /// Put every buffered byte into the file.
    pub fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }

    /// Flush, then hand back the destination.
    pub fn into_inner(self) -> io::Result<W> {
        self.out.into_inner().map_err(|e| e.into_error())
    }

    fn write_pcap(&mut self, rec: &Record<'_>, nano: bool) -> io::Result<()> {
        let frac = if nano {
            rec.ts.nsec
        } else {
            rec.ts.nsec / 1000
        };
        let mut h = [0u8; 16];
        let fields = [rec.ts.sec as u32, frac, rec.caplen(), rec.len];
        for (at, v) in fields.into_iter().enumerate() {
            let b = if self.big_endian {
                v.to_be_bytes()
            } else {
                v.to_le_bytes()
            };
            if let Some(d) = h.get_mut(at * 4..at * 4 + 4) {
                d.copy_from_slice(&b);
            }
        }
        self.out.write_all(&h)?;
        self.out.write_all(rec.data)?;
        self.position += 16 + rec.data.len() as u64;
        Ok(())
    }

    fn write_pcapng(&mut self, rec: &Record<'_>) -> io::Result<()> {
        let cap = rec.caplen();
        let padded = cap.div_ceil(4) * 4;
        let total = 32 + padded;
        let ts = u64::try_from(rec.ts.sec)
            .unwrap_or(0)
            .saturating_mul(1_000_000_000)
            .saturating_add(u64::from(rec.ts.nsec));
        let mut h = [0u8; 28];
        put(&mut h, 0, EPB);
        put(&mut h, 4, total);
        put(&mut h, 8, 0); // interface 0
        put(&mut h, 12, (ts >> 32) as u32);
        put(&mut h, 16, ts as u32);
        put(&mut h, 20, cap);
        put(&mut h, 24, rec.len);
        self.out.write_all(&h)?;
        self.out.write_all(rec.data)?;
        let pad = [0u8; 3];
        self.out
            .write_all(pad.get(..(padded - cap) as usize).unwrap_or(&[]))?;
        self.out.write_all(&total.to_le_bytes())?;
        self.position += u64::from(total);
        Ok(())
    }
}

const EPB: u32 = 6;

fn put(buf: &mut [u8], at: usize, v: u32) {
    if let Some(d) = buf.get_mut(at..at + 4) {
        d.copy_from_slice(&v.to_le_bytes());
    }
}

/// libpcap's file header (`sf-pcap.c`): magic, version 2.4, zone and accuracy 0, snap length,
/// link type.
fn pcap_header(nano: bool, link: LinkType, snaplen: u32, big: bool) -> Vec<u8> {
    let magic: u32 = if nano { 0xa1b2_3c4d } else { 0xa1b2_c3d4 };
    let u32b = |v: u32| {
        if big {
            v.to_be_bytes()
        } else {
            v.to_le_bytes()
        }
    };
    let u16b = |v: u16| {
        if big {
            v.to_be_bytes()
        } else {
            v.to_le_bytes()
        }
    };
    let mut h = Vec::with_capacity(24);
    h.extend_from_slice(&u32b(magic));
    h.extend_from_slice(&u16b(2));
    h.extend_from_slice(&u16b(4));
    h.extend_from_slice(&[0; 8]);
    h.extend_from_slice(&u32b(snaplen));
    h.extend_from_slice(&u32b(link.linktype()));
    h
}

/// A section header block (version 1.0, length unknown) and one interface description block
/// whose `if_tsresol` option says timestamps are in nanoseconds.
fn pcapng_header(link: LinkType, snaplen: u32) -> Vec<u8> {
    let mut h = Vec::with_capacity(60);
    let u32le = |h: &mut Vec<u8>, v: u32| h.extend_from_slice(&v.to_le_bytes());
    // Section header block: type, length 28, byte-order magic, version, section length -1.
    u32le(&mut h, 0x0a0d_0d0a);
    u32le(&mut h, 28);
    u32le(&mut h, 0x1a2b_3c4d);
    h.extend_from_slice(&1u16.to_le_bytes());
    h.extend_from_slice(&0u16.to_le_bytes());
    h.extend_from_slice(&u64::MAX.to_le_bytes());
    u32le(&mut h, 28);
    // Interface description block: link type, reserved, snap length, if_tsresol = 9,
    // end of options.
    u32le(&mut h, 1);
    u32le(&mut h, 32);
    h.extend_from_slice(&(link.linktype() as u16).to_le_bytes());
    h.extend_from_slice(&0u16.to_le_bytes());
    u32le(&mut h, snaplen);
    h.extend_from_slice(&9u16.to_le_bytes());
    h.extend_from_slice(&1u16.to_le_bytes());
    h.extend_from_slice(&[9, 0, 0, 0]);
    u32le(&mut h, 0);
    u32le(&mut h, 32);
    h
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capture::pcap::Reader;
    use crate::capture::record::Timestamp;

    fn rec(data: &[u8], len: u32) -> Record<'_> {
        Record::ethernet(1_700_000_000, 123_456_789, data, len)
    }

    fn round_trip(format: Format, big: bool) -> Vec<(Timestamp, u32, Vec<u8>)> {
        let mut f =
            SaveFile::create_ordered(Vec::new(), format, LinkType::Ethernet, 96, false, big)
                .unwrap();
        f.write(&rec(&[1, 2, 3, 4, 5], 5)).unwrap();
        f.write(&rec(&[9; 8], 100)).unwrap();
        f.flush().unwrap();
        let position = f.position();
        let bytes = f.into_inner().unwrap();
        assert_eq!(position, bytes.len() as u64, "{format:?}");
        let mut r = Reader::with_precision(&bytes[..], true).unwrap();
        assert_eq!(r.link(), LinkType::Ethernet);
        assert_eq!(r.snaplen(), 96);
        let mut got = Vec::new();
        while let Some(rec) = r.next_record().unwrap() {
            got.push((rec.ts, rec.len, rec.data.to_vec()));
        }
        got
    }

    #[test]
    fn pcap_and_pcapng_read_back() {
        for (format, nsec, big) in [
            (Format::Pcap { nano: false }, 123_456_000, false),
            (Format::Pcap { nano: true }, 123_456_789, false),
            (Format::Pcap { nano: false }, 123_456_000, true),
            (Format::Pcap { nano: true }, 123_456_789, true),
            (Format::PcapNg, 123_456_789, false),
        ] {
            let got = round_trip(format, big);
            assert_eq!(got.len(), 2, "{format:?}");
            assert_eq!(got[0].0.nsec, nsec, "{format:?}");
            assert_eq!(got[0].2, vec![1, 2, 3, 4, 5]);
            assert_eq!((got[1].1, got[1].2.len()), (100, 8));
        }
    }
}
