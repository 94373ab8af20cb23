//! pcap and pcapng files: a streaming reader yielding `Record`s, and a pcap writer.
//!
//! The reader follows libpcap 1.10.3 (`sf-pcap.c`, `sf-pcapng.c`, `savefile.c`), the library
//! tcpdump 4.99.3 reads files with, so that echolab accepts, clamps and rejects exactly the
//! records tcpdump does and reports a damaged file with libpcap's words. Records are framed
//! here byte by byte (libpcap's messages need the counts of bytes wanted and read). The input
//! is read in large pieces (`window.rs`) and a pcap record's bytes are lent from there; one
//! block buffer serves pcapng: memory stays flat whatever the file's size. `writer.rs` is the
//! crate's one pcap/pcapng writer: no other module writes capture-file bytes; `rotate.rs`
//! spreads a dump over several of its files (`-C`, `-G`, `-W`, `-z`, names by `strftime.rs`).
//!
//! Must not import `crate::echo` or `crate::cli`.

use std::io::{self, Read, Write};

use super::record::{LinkType, Record, Stamp, Timestamp};

pub mod rotate;
pub mod strftime;
mod window;
pub mod writer;
use window::Window;
pub use writer::SaveFile;

/// libpcap's `MAXIMUM_SNAPLEN`: the largest capture length of the link types echolab reads.
pub const MAXIMUM_SNAPLEN: u32 = 262_144;

const MAGIC_USEC: u32 = 0xa1b2_c3d4;
const MAGIC_KUZNETZOV: u32 = 0xa1b2_cd34;
const MAGIC_NSEC: u32 = 0xa1b2_3c4d;
const NG_SHB: u32 = 0x0a0d_0d0a;
const NG_BYTE_ORDER: u32 = 0x1a2b_3c4d;
const NG_IDB: u32 = 1;
const NG_PB: u32 = 2;
const NG_SPB: u32 = 3;
const NG_EPB: u32 = 6;
/// libpcap's `INITIAL_MAX_BLOCKSIZE`.
const NG_MAX_BLOCK: u32 = 16 * 1024 * 1024;
/// libpcap's `BT_SHB_INSANE_MAX`.
const NG_SHB_MAX: u32 = 1024 * 1024;

/// A file that could not be read, in libpcap's words (tcpdump prints them after `tcpdump: `).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PcapError {
    /// Neither pcap nor pcapng.
    #[error("unknown file format")]
    UnknownFormat,
    /// The file ended inside a header or a record (`what`: "file header", "header", "captured").
    #[error("truncated dump file; tried to read {want} {what} bytes, only got {got}")]
    Truncated {
        what: &'static str,
        want: u64,
        got: u64,
    },
    /// The file ended inside a pcapng block.
    #[error("truncated pcapng dump file; tried to read {want} bytes, only got {got}")]
    TruncatedNg { want: u64, got: u64 },
    /// Anything else libpcap rejects, with its message.
    #[error("{0}")]
    Invalid(String),
    /// The operating system failed a read.
    #[error("error reading dump file: {0}")]
    Io(String),
}

impl From<io::Error> for PcapError {
    fn from(e: io::Error) -> PcapError {
        PcapError::Io(e.to_string())
    }
}

fn invalid(msg: impl Into<String>) -> PcapError {
    PcapError::Invalid(msg.into())
}

/// Reads until `buf` is full or the input ends; returns the number of bytes read.
fn read_full(src: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut got = 0;
    while let Some(rest) = buf.get_mut(got..) {
        if rest.is_empty() {
            break;
        }
        match src.read(rest) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(got)
}

/// Reads exactly `n` bytes into `buf` (resized; grown beyond its capacity only as data
/// arrives, so that a damaged length cannot make it allocate). Returns the number read,
/// which is less than `n` only at the end of the input.
fn read_vec(src: &mut impl Read, buf: &mut Vec<u8>, n: usize) -> io::Result<usize> {
    if n > buf.capacity() {
        buf.clear();
        return src.take(n as u64).read_to_end(buf);
    }
    // Within the capacity: no allocation, and only bytes beyond the last length are zeroed.
    buf.resize(n, 0);
    let got = read_full(src, buf)?;
    buf.truncate(got);
    Ok(got)
}

/// Discards `n` bytes; returns how many could be read.
fn skip(src: &mut impl Read, n: u64) -> io::Result<u64> {
    io::copy(&mut src.take(n), &mut io::sink())
}

/// A byte-order-aware reader of u16/u32 fields from a slice (short input reads as zero; the
/// callers check lengths first).
#[derive(Debug, Clone, Copy)]
struct Endian {
    swapped: bool,
}

impl Endian {
    fn u32(self, b: &[u8], at: usize) -> u32 {
        let a: [u8; 4] = b
            .get(at..at.saturating_add(4))
            .and_then(|s| s.try_into().ok())
            .unwrap_or([0; 4]);
        if self.swapped {
            u32::from_be_bytes(a)
        } else {
            u32::from_le_bytes(a)
        }
    }
    fn u16(self, b: &[u8], at: usize) -> u16 {
        let a: [u8; 2] = b
            .get(at..at.saturating_add(2))
            .and_then(|s| s.try_into().ok())
            .unwrap_or([0; 2]);
        if self.swapped {
            u16::from_be_bytes(a)
        } else {
            u16::from_le_bytes(a)
        }
    }
    fn u64(self, b: &[u8], at: usize) -> u64 {
        let lo = u64::from(self.u32(b, at));
        let hi = u64::from(self.u32(b, at + 4));
        if self.swapped {
            lo << 32 | hi
        } else {
            hi << 32 | lo
        }
    }
}

/// libpcap's `pcap_adjust_snapshot`: a zero or absurd snapshot length means the maximum.
fn adjust_snapshot(snaplen: u32) -> u32 {
    if snaplen == 0 || snaplen > i32::MAX as u32 {
        MAXIMUM_SNAPLEN
    } else {
        snaplen
    }
}

/// How a pcap file orders the two length fields of a record (libpcap's `lengths_swapped`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lengths {
    Normal,
    Swapped,
    MaybeSwapped,
}

#[derive(Debug)]
struct PcapState {
    file_nano: bool,
    hdr_size: usize,
    lengths: Lengths,
}

/// One pcapng interface: its time-stamp resolution (ticks per second) and offset.
#[derive(Debug, Clone, Copy)]
struct Iface {
    tsresol: u64,
    binary: bool,
    tsoffset: u64,
}

#[derive(Debug)]
struct NgState {
    ifaces: Vec<Iface>,
}

#[derive(Debug)]
enum Format {
    Pcap(PcapState),
    Ng(NgState),
}

/// Streams the records of a pcap or pcapng file, one at a time.
#[derive(Debug)]
pub struct Reader<R: Read> {
    src: Window<R>,
    format: Format,
    end: Endian,
    link: LinkType,
    dlt: u32,
    snaplen: u32,
    nano: bool,
    buf: Vec<u8>,
}

/// A record as read, before it is lent out.
struct Frame {
    ts: Timestamp,
    stamp: Stamp,
    caplen: usize,
    len: u32,
    start: usize,
    /// The bytes are in the input window (pcap), not in `buf` (pcapng blocks).
    in_window: bool,
}

impl<R: Read> Reader<R> {
    /// Opens a file for microsecond time stamps (tcpdump's default).
    pub fn new(src: R) -> Result<Reader<R>, PcapError> {
        Reader::with_precision(src, false)
    }

    /// Opens a file; `nano` asks for nanosecond time stamps (`--time-stamp-precision=nano`),
    /// which changes the rounding of pcapng time stamps as in libpcap.
    pub fn with_precision(src: R, nano: bool) -> Result<Reader<R>, PcapError> {
        let mut src = Window::new(src);
        let mut magic = [0u8; 4];
        let got = read_full(&mut src, &mut magic)?;
        if got < 4 {
            return Err(PcapError::Truncated {
                what: "file header",
                want: 4,
                got: got as u64,
            });
        }
        let le = u32::from_le_bytes(magic);
        if [MAGIC_USEC, MAGIC_KUZNETZOV, MAGIC_NSEC].contains(&le)
            || [MAGIC_USEC, MAGIC_KUZNETZOV, MAGIC_NSEC].contains(&le.swap_bytes())
        {
            Reader::open_pcap(src, le, nano)
        } else if le == NG_SHB {
            Reader::open_ng(src, nano)
        } else {
            Err(PcapError::UnknownFormat)
        }
    }

    fn open_pcap(mut src: Window<R>, le: u32, nano: bool) -> Result<Reader<R>, PcapError> {
        let swapped = ![MAGIC_USEC, MAGIC_KUZNETZOV, MAGIC_NSEC].contains(&le);
        let magic = if swapped { le.swap_bytes() } else { le };
        let end = Endian { swapped };
        let mut h = [0u8; 20];
        let got = read_full(&mut src, &mut h)?;
        if got < h.len() {
            return Err(PcapError::Truncated {
                what: "file header",
                want: 24,
                got: got as u64,
            });
        }
        let (major, minor) = (end.u16(&h, 0), end.u16(&h, 2));
        if major < 2 {
            return Err(invalid("archaic pcap savefile format"));
        }
        if !((major == 2 && minor <= 4) || (major == 543 && minor == 0)) {
            return Err(invalid(format!(
                "unsupported pcap savefile version {major}.{minor}"
            )));
        }
        let lengths = match (major, minor) {
            (2, 0..=2) | (543, _) => Lengths::Swapped,
            (2, 3) => Lengths::MaybeSwapped,
            _ => Lengths::Normal,
        };
        let dlt = end.u32(&h, 16) & 0x03ff_ffff;
        let state = PcapState {
            file_nano: magic == MAGIC_NSEC,
            hdr_size: if magic == MAGIC_KUZNETZOV { 24 } else { 16 },
            lengths,
        };
        Ok(Reader {
            src,
            format: Format::Pcap(state),
            end,
            link: LinkType::from_linktype(dlt),
            dlt,
            snaplen: adjust_snapshot(end.u32(&h, 12)),
            nano,
            buf: Vec::new(),
        })
    }

    /// The link type of the file (of its first interface for pcapng).
    pub fn link(&self) -> LinkType {
        self.link
    }

    /// The LINKTYPE_ number as found in the file.
    pub fn linktype(&self) -> u32 {
        self.dlt
    }

    /// The snapshot length (libpcap's `pcap_snapshot`).
    pub fn snaplen(&self) -> u32 {
        self.snaplen
    }

    /// The next record, `Ok(None)` at the end of the file.
    pub fn next_record(&mut self) -> Result<Option<Record<'_>>, PcapError> {
        Ok(self.next_stamped()?.map(|(rec, _)| rec))
    }

    /// `next_record` with the record's time stamp as libpcap gives it to tcpdump: in
    /// microseconds, or nanoseconds if asked for, with a damaged pcap record's fraction kept
    /// as read (sign-extended from 32 bits, then scaled without a check: `sf-pcap.c`).
    /// `Record::ts` holds the same instant normalized.
    pub fn next_stamped(&mut self) -> Result<Option<(Record<'_>, Stamp)>, PcapError> {
        let frame = match self.format {
            Format::Pcap(_) => self.next_pcap()?,
            Format::Ng(_) => self.next_ng()?,
        };
        Ok(frame.map(|f| {
            let range = f.start..f.start.saturating_add(f.caplen);
            let data = if f.in_window {
                self.src.get(range)
            } else {
                self.buf.get(range).unwrap_or(&[])
            };
            let rec = Record {
                ts: f.ts,
                len: f.len,
                link: self.link,
                data,
            };
            (rec, f.stamp)
        }))
    }

    /// Calls `f` with each record in turn until it returns `false`.
    pub fn for_each(&mut self, mut f: impl FnMut(&Record<'_>) -> bool) -> Result<(), PcapError> {
        while let Some(rec) = self.next_record()? {
            if !f(&rec) {
                break;
            }
        }
        Ok(())
    }

    fn next_pcap(&mut self) -> Result<Option<Frame>, PcapError> {
        let Format::Pcap(st) = &self.format else {
            return Ok(None);
        };
        let (hdr_size, lengths, file_nano) = (st.hdr_size, st.lengths, st.file_nano);
        // The header is lent from the window like the record; only its first 16 bytes are
        // read (the longer headers of some patched libpcaps add fields nothing prints).
        let got = self.src.fill(hdr_size)?;
        let lent = self.src.lend(got);
        let mut h = [0u8; 16];
        if let (Some(src), Some(dst)) = (self.src.get(lent).get(..16), h.get_mut(..16)) {
            dst.copy_from_slice(src);
        }
        if got == 0 {
            return Ok(None);
        }
        if got < hdr_size {
            return Err(PcapError::Truncated {
                what: "header",
                want: hdr_size as u64,
                got: got as u64,
            });
        }
        let e = self.end;
        // libpcap never checks the range of either field. A file in the host's byte order
        // gives them as signed 32-bit values (`bpf_int32`), a swapped one as unsigned
        // (`SWAPLONG`), and both are widened to `long` as such.
        let widen = |v: u32| {
            if e.swapped {
                i64::from(v)
            } else {
                i64::from(v as i32)
            }
        };
        let sec = widen(e.u32(&h, 0));
        let frac = widen(e.u32(&h, 4));
        let (mut caplen, mut len) = (e.u32(&h, 8), e.u32(&h, 12));
        if lengths == Lengths::Swapped || (lengths == Lengths::MaybeSwapped && caplen > len) {
            std::mem::swap(&mut caplen, &mut len);
        }
        let stamp = Stamp {
            sec,
            frac: match (file_nano, self.nano) {
                (false, true) => frac * 1000,
                (true, false) => frac / 1000,
                _ => frac,
            },
        };
        let ts = normalize(sec, if file_nano { frac } else { frac * 1000 });
        if caplen > MAXIMUM_SNAPLEN {
            return Err(invalid(if caplen > self.snaplen {
                format!(
                    "invalid packet capture length {caplen}, bigger than snaplen of {}",
                    self.snaplen
                )
            } else {
                format!("invalid packet capture length {caplen}, bigger than maximum of {MAXIMUM_SNAPLEN}")
            }));
        }
        let keep = caplen.min(self.snaplen);
        let got = self.src.fill(keep as usize)?;
        let data = self.src.lend(got);
        if got < keep as usize {
            return Err(PcapError::Truncated {
                what: "captured",
                want: u64::from(keep),
                got: got as u64,
            });
        }
        let mut in_window = true;
        if caplen > keep {
            // Skipping reads on: the kept bytes move out of the window first.
            self.buf.clear();
            self.buf.extend_from_slice(self.src.get(data.clone()));
            in_window = false;
            let rest = u64::from(caplen - keep);
            let skipped = skip(&mut self.src, rest)?;
            if skipped < rest {
                return Err(PcapError::Truncated {
                    what: "captured",
                    want: u64::from(caplen),
                    got: u64::from(keep) + skipped,
                });
            }
        }
        Ok(Some(Frame {
            ts,
            stamp,
            caplen: keep as usize,
            len,
            start: if in_window { data.start } else { 0 },
            in_window,
        }))
    }
}

impl<R: Read> Reader<R> {
    fn open_ng(mut src: Window<R>, nano: bool) -> Result<Reader<R>, PcapError> {
        let mut h = [0u8; 8];
        let got = read_full(&mut src, &mut h)?;
        if got < 8 {
            return Err(PcapError::UnknownFormat);
        }
        let bo = u32::from_le_bytes([h[4], h[5], h[6], h[7]]);
        let swapped = if bo == NG_BYTE_ORDER {
            false
        } else if bo.swap_bytes() == NG_BYTE_ORDER {
            true
        } else {
            return Err(PcapError::UnknownFormat);
        };
        let end = Endian { swapped };
        let total = end.u32(&h, 0);
        if !(28..=NG_SHB_MAX).contains(&total) {
            return Err(invalid(format!(
                "Section Header Block in pcapng dump file has invalid length 28 < _{total}_ < {NG_SHB_MAX} (BT_SHB_INSANE_MAX)"
            )));
        }
        let mut buf = Vec::new();
        let want = total as usize - 12;
        let got = read_vec(&mut src, &mut buf, want)?;
        if got < want {
            return Err(PcapError::TruncatedNg {
                want: want as u64,
                got: got as u64,
            });
        }
        let (major, minor) = (end.u16(&buf, 0), end.u16(&buf, 2));
        if !(major == 1 && (minor == 0 || minor == 2)) {
            return Err(invalid(format!(
                "unsupported pcapng savefile version {major}.{minor}"
            )));
        }
        let mut r = Reader {
            src,
            format: Format::Ng(NgState { ifaces: Vec::new() }),
            end,
            link: LinkType::Unknown(0),
            dlt: 0,
            snaplen: 0,
            nano,
            buf,
        };
        loop {
            let Some((btype, body)) = r.read_block()? else {
                return Err(invalid(
                    "the capture file has no Interface Description Blocks",
                ));
            };
            match btype {
                NG_IDB => {
                    let idb = r.buf.get(body.clone()).unwrap_or(&[]);
                    if idb.len() < 8 {
                        return Err(too_short(btype));
                    }
                    let dlt = u32::from(end.u16(idb, 0));
                    r.dlt = dlt;
                    r.link = LinkType::from_linktype(dlt);
                    r.snaplen = adjust_snapshot(end.u32(idb, 4));
                    r.add_interface(body)?;
                    return Ok(r);
                }
                NG_EPB | NG_SPB | NG_PB => return Err(invalid(
                    "the capture file has a packet block before any Interface Description Blocks",
                )),
                _ => {}
            }
        }
    }

    /// Reads one block into `buf`; returns its type and the range of its body.
    fn read_block(&mut self) -> Result<Option<(u32, std::ops::Range<usize>)>, PcapError> {
        let mut h = [0u8; 8];
        let got = read_full(&mut self.src, &mut h)?;
        if got == 0 {
            return Ok(None);
        }
        if got < 8 {
            return Err(PcapError::TruncatedNg {
                want: 8,
                got: got as u64,
            });
        }
        let (btype, total) = (self.end.u32(&h, 0), self.end.u32(&h, 4));
        if total < 12 {
            return Err(invalid(format!(
                "block in pcapng dump file has a length of {total} < 12"
            )));
        }
        if total % 4 != 0 {
            return Err(invalid(format!(
                "block in pcapng dump file has a length of {total} that is not a multiple of 4"
            )));
        }
        if total > NG_MAX_BLOCK {
            return Err(invalid(format!(
                "pcapng block size {total} > maximum {NG_MAX_BLOCK}"
            )));
        }
        let want = total as usize - 8;
        let got = read_vec(&mut self.src, &mut self.buf, want)?;
        if got < want {
            return Err(PcapError::TruncatedNg {
                want: want as u64,
                got: got as u64,
            });
        }
        if self.end.u32(&self.buf, want - 4) != total {
            return Err(invalid(
                "block total length in header and trailer don't match",
            ));
        }
        Ok(Some((btype, 0..want - 4)))
    }

    /// Records an Interface Description Block's time-stamp options (libpcap `add_interface`).
    fn add_interface(&mut self, body: std::ops::Range<usize>) -> Result<(), PcapError> {
        let e = self.end;
        let idb = self.buf.get(body).unwrap_or(&[]);
        let mut opts = idb.get(8..).unwrap_or(&[]);
        let mut iface = Iface {
            tsresol: 1_000_000,
            binary: false,
            tsoffset: 0,
        };
        let (mut saw_res, mut saw_off) = (false, false);
        while !opts.is_empty() {
            if opts.len() < 4 {
                return Err(too_short(NG_IDB));
            }
            let (code, len) = (e.u16(opts, 0), usize::from(e.u16(opts, 2)));
            let padded = (len + 3) & !3;
            let Some(value) = opts.get(4..4 + len) else {
                return Err(too_short(NG_IDB));
            };
            match code {
                0 if len != 0 => {
                    return Err(invalid(format!(
                        "Interface Description Block has opt_endofopt option with length {len} != 0"
                    )))
                }
                0 => break,
                9 => {
                    if len != 1 {
                        return Err(invalid(format!("Interface Description Block has if_tsresol option with length {len} != 1")));
                    }
                    if saw_res {
                        return Err(invalid(
                            "Interface Description Block has more than one if_tsresol option",
                        ));
                    }
                    saw_res = true;
                    let v = value.first().copied().unwrap_or(6);
                    if v & 0x80 != 0 {
                        let shift = v & 0x7f;
                        if shift > 63 {
                            return Err(invalid(format!("Interface Description Block if_tsresol option resolution 2^-{shift} is too high")));
                        }
                        iface.tsresol = 1u64 << shift;
                        iface.binary = true;
                    } else {
                        if v > 19 {
                            return Err(invalid(format!("Interface Description Block if_tsresol option resolution 10^-{v} is too high")));
                        }
                        iface.tsresol = 10u64.pow(u32::from(v));
                        iface.binary = false;
                    }
                }
                14 => {
                    if len != 8 {
                        return Err(invalid(format!("Interface Description Block has if_tsoffset option with length {len} != 8")));
                    }
                    if saw_off {
                        return Err(invalid(
                            "Interface Description Block has more than one if_tsoffset option",
                        ));
                    }
                    saw_off = true;
                    iface.tsoffset = e.u64(value, 0);
                }
                _ => {}
            }
            opts = opts.get(4 + padded..).unwrap_or(&[]);
        }
        let Format::Ng(st) = &mut self.format else {
            return Ok(());
        };
        if st.ifaces.len() >= 0x8000_0000 {
            return Err(invalid("more than 2147483648 interfaces in the file"));
        }
        st.ifaces.push(iface);
        Ok(())
    }

    fn next_ng(&mut self) -> Result<Option<Frame>, PcapError> {
        let e = self.end;
        loop {
            let Some((btype, body)) = self.read_block()? else {
                return Ok(None);
            };
            let b = self.buf.get(body.clone()).unwrap_or(&[]);
            let (iface, caplen, len, t, hdr) = match btype {
                NG_EPB => {
                    if b.len() < 20 {
                        return Err(too_short(btype));
                    }
                    let t = u64::from(e.u32(b, 4)) << 32 | u64::from(e.u32(b, 8));
                    (e.u32(b, 0), e.u32(b, 12), e.u32(b, 16), t, 20)
                }
                NG_PB => {
                    if b.len() < 20 {
                        return Err(too_short(btype));
                    }
                    let t = u64::from(e.u32(b, 4)) << 32 | u64::from(e.u32(b, 8));
                    (u32::from(e.u16(b, 0)), e.u32(b, 12), e.u32(b, 16), t, 20)
                }
                NG_SPB => {
                    if b.len() < 4 {
                        return Err(too_short(btype));
                    }
                    let len = e.u32(b, 0);
                    (0, len.min(self.snaplen), len, 0, 4)
                }
                NG_IDB => {
                    if b.len() < 8 {
                        return Err(too_short(btype));
                    }
                    let dlt = u32::from(e.u16(b, 0));
                    if dlt != self.dlt {
                        return Err(invalid(format!("an interface has a type {dlt} different from the type of the first interface")));
                    }
                    let snap = e.u32(b, 4);
                    if adjust_snapshot(snap) != self.snaplen {
                        return Err(invalid(format!("an interface has a snapshot length {snap} different from the snapshot length of the first interface")));
                    }
                    self.add_interface(body)?;
                    continue;
                }
                NG_SHB => {
                    if b.len() < 16 {
                        return Err(too_short(btype));
                    }
                    let (bo, major) = (e.u32(b, 0), e.u16(b, 4));
                    self.next_section(bo, major)?;
                    continue;
                }
                _ => continue,
            };
            return self.ng_frame(body.start + hdr, body.end, iface, caplen, len, t, btype);
        }
    }

    /// A new Section Header Block: same byte order, version 1, interfaces start again.
    fn next_section(&mut self, bo: u32, major: u16) -> Result<(), PcapError> {
        if bo == NG_BYTE_ORDER.swap_bytes() {
            return Err(invalid("the file has sections with different byte orders"));
        }
        if bo != NG_BYTE_ORDER {
            return Err(invalid(
                "the file has a section with a bad byte order magic field",
            ));
        }
        if major != 1 {
            return Err(invalid(format!(
                "unknown pcapng savefile major version number {major}"
            )));
        }
        if let Format::Ng(st) = &mut self.format {
            st.ifaces.clear();
        }
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    fn ng_frame(
        &self,
        start: usize,
        end: usize,
        iface: u32,
        caplen: u32,
        len: u32,
        t: u64,
        btype: u32,
    ) -> Result<Option<Frame>, PcapError> {
        let Format::Ng(st) = &self.format else {
            return Ok(None);
        };
        let Some(ifc) = st.ifaces.get(iface as usize) else {
            return Err(invalid(format!("a packet arrived on interface {iface}, but there's no Interface Description Block for that interface")));
        };
        if caplen > self.snaplen {
            return Err(invalid(format!(
                "invalid packet capture length {caplen}, bigger than snaplen of {}",
                self.snaplen
            )));
        }
        if (caplen as usize) > end.saturating_sub(start) {
            return Err(too_short(btype));
        }
        let user: u64 = if self.nano { 1_000_000_000 } else { 1_000_000 };
        let sec = (t / ifc.tsresol).wrapping_add(ifc.tsoffset);
        let mut frac = t % ifc.tsresol;
        if ifc.tsresol != user {
            if ifc.binary {
                frac = frac.wrapping_mul(user) / ifc.tsresol;
            } else if ifc.tsresol < user {
                frac = frac.wrapping_mul(user / ifc.tsresol);
            } else {
                frac /= ifc.tsresol / user;
            }
        }
        // libpcap stores the fraction in an int of the user's precision.
        let frac = frac as u32;
        let nsec = if self.nano {
            frac
        } else {
            frac.saturating_mul(1000)
        };
        Ok(Some(Frame {
            ts: Timestamp {
                sec: sec as i64,
                nsec,
            },
            stamp: Stamp {
                sec: sec as i64,
                frac: i64::from(frac),
            },
            caplen: caplen as usize,
            len,
            start,
            in_window: false,
        }))
    }
}

/// The instant `sec` seconds plus `ns` nanoseconds (of any sign or size), with the
/// nanoseconds brought into `0..1_000_000_000`.
fn normalize(sec: i64, ns: i64) -> Timestamp {
    Timestamp {
        sec: sec.wrapping_add(ns.div_euclid(1_000_000_000)),
        // rem_euclid of a positive divisor is in 0..1e9.
        nsec: ns.rem_euclid(1_000_000_000) as u32,
    }
}

fn too_short(btype: u32) -> PcapError {
    invalid(format!(
        "block of type {btype} in pcapng dump file is too short"
    ))
}

/// libpcap's refusal of a link type it cannot compile a filter for, even an empty one, which
/// tcpdump 4.99.3 prints and exits 1 on: `unknown data link type N (min 104, max 289)`
/// (`init_linktype` in libpcap 1.10.3's `gencode.c`: the DLTs it names, and the range it
/// passes through unexamined). `None` for a link type libpcap accepts.
pub fn link_type_error(dlt: u32) -> Option<String> {
    const KNOWN: [u32; 14] = [0, 1, 6, 7, 8, 9, 10, 11, 12, 15, 16, 19, 50, 51];
    const MATCHING: std::ops::RangeInclusive<u32> = 99..=289;
    if KNOWN.contains(&dlt) || MATCHING.contains(&dlt) {
        return None;
    }
    Some(format!("unknown data link type {dlt} (min 104, max 289)"))
}

/// Writes records to a pcap file (microsecond or nanosecond, little-endian): `writer`'s
/// `SaveFile` for callers that hold a time stamp and bytes rather than a `Record`.
pub struct Writer<W: Write> {
    inner: SaveFile<W>,
    link: LinkType,
}

impl<W: Write> Writer<W> {
    /// Starts a file of link type `link` with snapshot length `snaplen`.
    pub fn new(dst: W, link: LinkType, snaplen: u32, nano: bool) -> Result<Writer<W>, PcapError> {
        Writer::with_byte_order(dst, link, snaplen, nano, false)
    }

    /// `new`, with the fields in big-endian byte order when `big_endian`.
    pub fn with_byte_order(
        dst: W,
        link: LinkType,
        snaplen: u32,
        nano: bool,
        big_endian: bool,
    ) -> Result<Writer<W>, PcapError> {
        let format = writer::Format::Pcap { nano };
        let inner = SaveFile::create_ordered(dst, format, link, snaplen, false, big_endian)?;
        Ok(Writer { inner, link })
    }

    /// Appends one record: `data` captured, `len` on the wire.
    pub fn write(&mut self, ts: Timestamp, data: &[u8], len: u32) -> Result<(), PcapError> {
        let rec = Record {
            ts,
            len,
            link: self.link,
            data,
        };
        Ok(self.inner.write(&rec)?)
    }

    /// Flushes and returns the destination.
    pub fn into_inner(self) -> Result<W, PcapError> {
        Ok(self.inner.into_inner()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(sec: i64, nsec: u32) -> Timestamp {
        Timestamp { sec, nsec }
    }

    /// A pcap file by hand: `big` byte order, `nano` magic, records `(sec, frac, caplen,
    /// len, data)`.
    fn pcap(big: bool, nano: bool, snaplen: u32, recs: &[(u32, u32, u32, u32, &[u8])]) -> Vec<u8> {
        let w32 = |v: u32| {
            if big {
                v.to_be_bytes()
            } else {
                v.to_le_bytes()
            }
        };
        let w16 = |v: u16| {
            if big {
                v.to_be_bytes()
            } else {
                v.to_le_bytes()
            }
        };
        let mut f = Vec::new();
        f.extend_from_slice(&w32(if nano { MAGIC_NSEC } else { MAGIC_USEC }));
        f.extend_from_slice(&w16(2));
        f.extend_from_slice(&w16(4));
        f.extend_from_slice(&[0; 8]);
        f.extend_from_slice(&w32(snaplen));
        f.extend_from_slice(&w32(1));
        for (s, frac, cap, len, data) in recs {
            for v in [*s, *frac, *cap, *len] {
                f.extend_from_slice(&w32(v));
            }
            f.extend_from_slice(data);
        }
        f
    }

    /// Time stamp, on-wire length and bytes of a record read.
    /// A fraction of a second past its unit is kept as libpcap reads it: signed from a file
    /// in the host's byte order, unsigned from a swapped one, scaled to the asked precision
    /// without a check; the record's `ts` is the same instant, normalized.
    #[test]
    fn damaged_fractions_are_kept_as_libpcap_reads_them() {
        let host_big = cfg!(target_endian = "big");
        let data: &[u8] = &[0; 20];
        for (big, nano, frac, want_frac, want_ts) in [
            (host_big, false, u32::MAX, -1, ts(99, 999_999_000)),
            (host_big, true, u32::MAX, -1000, ts(99, 999_999_000)),
            (
                !host_big,
                false,
                u32::MAX,
                4_294_967_295,
                ts(4_394, 967_295_000),
            ),
            (host_big, false, 1_000_000, 1_000_000, ts(101, 0)),
        ] {
            let file = pcap(big, false, 65535, &[(100, frac, 20, 20, data)]);
            let mut r = Reader::with_precision(&file[..], nano).unwrap();
            let (rec, stamp) = r.next_stamped().unwrap().unwrap();
            assert_eq!(
                stamp,
                Stamp {
                    sec: 100,
                    frac: want_frac
                },
                "{big} {nano} {frac}"
            );
            assert_eq!(rec.ts, want_ts, "{big} {nano} {frac}");
        }
        let file = pcap(
            !host_big,
            true,
            65535,
            &[(100, 1_500_000_000, 20, 20, data)],
        );
        let mut r = Reader::with_precision(&file[..], false).unwrap();
        let (rec, stamp) = r.next_stamped().unwrap().unwrap();
        assert_eq!(
            stamp,
            Stamp {
                sec: 100,
                frac: 1_500_000
            }
        );
        assert_eq!(rec.ts, ts(101, 500_000_000));
    }

    type Rec = (Timestamp, u32, Vec<u8>);

    fn all(file: &[u8], nano: bool) -> (Vec<Rec>, Option<PcapError>) {
        let mut r = match Reader::with_precision(file, nano) {
            Ok(r) => r,
            Err(e) => return (vec![], Some(e)),
        };
        let mut out = vec![];
        loop {
            match r.next_record() {
                Ok(Some(rec)) => out.push((rec.ts, rec.len, rec.data.to_vec())),
                Ok(None) => return (out, None),
                Err(e) => return (out, Some(e)),
            }
        }
    }

    #[test]
    fn link_types_libpcap_refuses() {
        for dlt in [0, 1, 12, 99, 104, 147, 276, 289] {
            assert_eq!(link_type_error(dlt), None, "{dlt}");
        }
        for dlt in [2, 5, 14, 98, 290, 4242] {
            assert!(link_type_error(dlt).is_some(), "{dlt}");
        }
        assert_eq!(
            link_type_error(4242).as_deref(),
            Some("unknown data link type 4242 (min 104, max 289)")
        );
    }

    #[test]
    fn writer_round_trip() {
        for nano in [false, true] {
            let mut w = Writer::new(Vec::new(), LinkType::Ethernet, 65535, nano).unwrap();
            w.write(ts(1_700_000_000, 123_456_789), b"abcdef", 60)
                .unwrap();
            let file = w.into_inner().unwrap();
            let (recs, err) = all(&file, nano);
            assert_eq!(err, None);
            let want = if nano { 123_456_789 } else { 123_456_000 };
            assert_eq!(
                recs,
                vec![(ts(1_700_000_000, want), 60, b"abcdef".to_vec())]
            );
        }
    }

    #[test]
    fn both_byte_orders_and_precisions() {
        for big in [false, true] {
            let f = pcap(big, true, 0, &[(5, 999_999_999, 2, 2, b"hi")]);
            let r = Reader::new(f.as_slice()).unwrap();
            assert_eq!(
                (r.snaplen(), r.link()),
                (MAXIMUM_SNAPLEN, LinkType::Ethernet)
            );
            // A pcap record keeps its nanoseconds; the printer chooses the digits.
            assert_eq!(all(&f, false).0[0].0, ts(5, 999_999_999));
            let f = pcap(big, false, 0, &[(5, 999_999, 2, 2, b"hi")]);
            assert_eq!(all(&f, true).0[0].0, ts(5, 999_999_000));
        }
    }

    #[test]
    fn records_longer_than_the_snapshot_are_cut() {
        let f = pcap(
            false,
            false,
            4,
            &[(1, 0, 6, 9, b"abcdef"), (2, 0, 2, 2, b"gh")],
        );
        let (recs, err) = all(&f, false);
        assert_eq!(err, None);
        assert_eq!(recs[0].2, b"abcd");
        assert_eq!(recs[0].1, 9);
        assert_eq!(recs[1].2, b"gh");
    }

    #[test]
    fn damage_is_reported_in_libpcap_words() {
        let f = pcap(false, false, 0, &[(1, 0, 6, 6, b"abcdef")]);
        // Cut anywhere but after the file header (an empty capture): an error.
        for cut in (0..f.len()).filter(|&c| c != 24) {
            let (recs, err) = all(&f[..cut], false);
            assert!(recs.is_empty());
            assert!(err.is_some(), "cut {cut}");
        }
        let (_, err) = all(&f[..f.len() - 1], false);
        assert_eq!(
            err.map(|e| e.to_string()).as_deref(),
            Some("truncated dump file; tried to read 6 captured bytes, only got 5")
        );
        let big = pcap(false, false, 0, &[(1, 0, 300_000, 300_000, b"")]);
        assert_eq!(
            all(&big, false).1.map(|e| e.to_string()).as_deref(),
            Some("invalid packet capture length 300000, bigger than snaplen of 262144")
        );
        assert_eq!(
            all(b"not a capture", false).1,
            Some(PcapError::UnknownFormat)
        );
    }

    /// A minimal pcapng: SHB, one IDB with `if_tsresol` = `res`, one EPB at tick `t`.
    fn pcapng(res: u8, t: u64) -> Vec<u8> {
        let block = |btype: u32, body: &[u8]| {
            let total = (12 + body.len()) as u32;
            let mut b = btype.to_le_bytes().to_vec();
            b.extend_from_slice(&total.to_le_bytes());
            b.extend_from_slice(body);
            b.extend_from_slice(&total.to_le_bytes());
            b
        };
        let mut shb = NG_BYTE_ORDER.to_le_bytes().to_vec();
        shb.extend_from_slice(&[1, 0, 0, 0]);
        shb.extend_from_slice(&u64::MAX.to_le_bytes());
        let mut idb = vec![1, 0, 0, 0, 0, 0, 0, 0, 9, 0, 1, 0, res, 0, 0, 0];
        idb.extend_from_slice(&[0; 4]);
        let mut epb = 0u32.to_le_bytes().to_vec();
        epb.extend_from_slice(&((t >> 32) as u32).to_le_bytes());
        epb.extend_from_slice(&(t as u32).to_le_bytes());
        epb.extend_from_slice(&4u32.to_le_bytes());
        epb.extend_from_slice(&4u32.to_le_bytes());
        epb.extend_from_slice(b"abcd");
        let mut f = block(NG_SHB, &shb);
        f.extend(block(NG_IDB, &idb));
        f.extend(block(NG_EPB, &epb));
        f
    }

    #[test]
    fn pcapng_resolutions() {
        // Nanosecond ticks, microsecond printing: the fraction is cut, not rounded.
        let f = pcapng(9, 1_700_000_000_123_456_789);
        assert_eq!(all(&f, false).0[0].0, ts(1_700_000_000, 123_456_000));
        assert_eq!(all(&f, true).0[0].0, ts(1_700_000_000, 123_456_789));
        // 2^-10 second ticks.
        let f = pcapng(0x80 | 10, (7 << 10) | 512);
        assert_eq!(all(&f, false).0[0].0, ts(7, 500_000_000));
        // Millisecond ticks scaled up.
        let f = pcapng(3, 7_250);
        assert_eq!(all(&f, true).0[0].0, ts(7, 250_000_000));
        // Cut anywhere but after the interface block (a capture without packets): an error.
        for cut in (0..f.len()).filter(|&c| c != 60) {
            assert!(all(&f[..cut], false).1.is_some(), "cut {cut}");
        }
    }
}
