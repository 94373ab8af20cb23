//! `import`: tcpdump text output (`-x`, `-X`, `-XX` hex dumps, 4.1-era and 4.99 wording) back to
//! packets, and those packets to a pcap file.
//!
//! The text may be wrapped and re-indented, as when a trace was pasted into a document: the
//! reader works on whitespace-separated tokens, not on lines. A packet starts at a time of day
//! (`15:30:11.106833`, optionally after a `YYYY-MM-DD` date), its header text runs to the first
//! hex row (`0x0000:`), and each row holds up to eight groups of four hex digits followed by the
//! ASCII column. `<pre>`/`</pre>` tags and code-fence lines are ignored. Damaged hex (non-hex
//! digits, odd digit counts, rows that skip bytes) is recorded with its line and the byte stays
//! unknown: nothing is guessed. [`super::repair`] fills an unknown byte only where a checksum claim in
//! the text or the ASCII column proves its value.
//!
//! Must not import `crate::echo`, `crate::cli`, clap, tokio or comfy-table.

use std::fmt;
use std::io::{BufRead, Write};

use super::record::{LinkType, Timestamp};

/// Why a text cannot be read into packets.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("no packet found (no `HH:MM:SS.ffffff` time followed by a `0x0000:` hex row)")]
    NoPackets,
    #[error("line {line}: not UTF-8 text")]
    NotUtf8 { line: usize },
    #[error("cannot read line {line}: {source}")]
    Read {
        line: usize,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot write the pcap: {0}")]
    Pcap(#[from] super::pcap::PcapError),
}

/// What is wrong with the hex of one packet, by line of the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Damage {
    /// A group holds characters that are not hex digits (`felc`): its bad bytes stay unknown.
    NonHex {
        line: usize,
        group: String,
        offset: usize,
    },
    /// A group with an odd number of digits (`aea`): a digit was lost, both bytes stay unknown.
    OddDigits {
        line: usize,
        group: String,
        offset: usize,
    },
    /// A row starts past the bytes the rows before it held: bytes are missing.
    Gap {
        line: usize,
        offset: usize,
        have: usize,
    },
    /// A row starts before the end of the bytes already read (rows overlap or repeat).
    Overlap {
        line: usize,
        offset: usize,
        have: usize,
    },
}

impl fmt::Display for Damage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Damage::NonHex {
                line,
                group,
                offset,
            } => write!(
                f,
                "line {line}: hex group `{group}` at offset 0x{offset:04x} holds a non-hex digit"
            ),
            Damage::OddDigits {
                line,
                group,
                offset,
            } => write!(
                f,
                "line {line}: hex group `{group}` at offset 0x{offset:04x} has {} digits (4 expected)",
                group.len()
            ),
            Damage::Gap { line, offset, have } => write!(
                f,
                "line {line}: row 0x{offset:04x} follows only {have} bytes: {} bytes missing",
                offset - have
            ),
            Damage::Overlap { line, offset, have } => write!(
                f,
                "line {line}: row 0x{offset:04x} starts inside the {have} bytes already read"
            ),
        }
    }
}

/// One hex row as the text shows it.
#[derive(Debug, Clone)]
pub struct HexRow {
    /// 1-based line of the `0x....:` offset.
    pub line: usize,
    pub offset: usize,
    /// The groups as written.
    pub groups: Vec<String>,
    /// The ASCII column as written (its tokens joined without spaces), empty for `-x`.
    pub ascii: String,
}

/// One packet read from the text.
#[derive(Debug, Clone)]
pub struct TextPacket {
    /// 1-based line of the packet's time.
    pub line: usize,
    /// The time as written (`15:30:11.106833`).
    pub time: String,
    /// Seconds since midnight and nanoseconds, from `time`.
    pub day_secs: u32,
    pub nsec: u32,
    /// Digits after the second's point (6 or 9).
    pub frac_digits: usize,
    /// The header text after the time, whitespace collapsed to single spaces.
    pub header: String,
    pub rows: Vec<HexRow>,
    /// Bytes in order; `None` where the hex is unreadable or missing.
    pub bytes: Vec<Option<u8>>,
    pub damage: Vec<Damage>,
}

impl TextPacket {
    /// The bytes up to the first unknown one.
    pub fn readable_prefix(&self) -> Vec<u8> {
        self.bytes.iter().map_while(|b| *b).collect()
    }

    /// Whether every byte is known.
    pub fn complete(&self) -> bool {
        self.bytes.iter().all(Option::is_some)
    }
}

/// Everything read from one text.
#[derive(Debug, Clone)]
pub struct Trace {
    pub packets: Vec<TextPacket>,
    /// Ethernet when the hex starts at an Ethernet header (`-XX`, `-xx`), raw IP otherwise.
    pub link: LinkType,
}

struct Tok {
    s: String,
    line: usize,
    /// Whitespace characters before the token on its line.
    gap: usize,
}

/// The tokens of one line (`line` is its 1-based number), appended to `out`.
fn line_tokens(raw: &str, line: usize, out: &mut Vec<Tok>) {
    if raw.trim_start().starts_with("```") {
        return;
    }
    let mut rest = raw;
    while !rest.is_empty() {
        let word_at = rest
            .find(|c: char| !c.is_whitespace())
            .unwrap_or(rest.len());
        let gap = rest[..word_at].chars().count();
        rest = &rest[word_at..];
        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let word = &rest[..end];
        rest = &rest[end..];
        // `<pre>` and `</pre>` may stick to a word; everything else is kept as written.
        let s = word.trim_start_matches("<pre>").trim_end_matches("</pre>");
        let s = s.trim_start_matches("</pre>").trim_end_matches("<pre>");
        if !s.is_empty() {
            out.push(Tok {
                s: s.to_string(),
                line,
                gap,
            });
        }
    }
}

/// `HH:MM:SS.ffffff` (or nine fraction digits) to (seconds of the day, nanoseconds, digits).
fn parse_time(s: &str) -> Option<(u32, u32, usize)> {
    let (hms, frac) = s.split_once('.')?;
    let mut it = hms.split(':');
    let (h, m, sec) = (it.next()?, it.next()?, it.next()?);
    if it.next().is_some() || !(frac.len() == 6 || frac.len() == 9) {
        return None;
    }
    let num = |x: &str, max: u32| -> Option<u32> {
        if x.is_empty() || x.len() > 2 || !x.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        x.parse().ok().filter(|v| *v < max)
    };
    let (h, m, sec) = (num(h, 24)?, num(m, 60)?, num(sec, 61)?);
    if !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let f: u32 = frac.parse().ok()?;
    let nsec = if frac.len() == 6 { f * 1000 } else { f };
    Some((h * 3600 + m * 60 + sec, nsec, frac.len()))
}

/// A row's offset `0x0010:`. tcpdump prints it with `%04x` (`hex_and_ascii_print_with_offset`
/// in `print-ascii.c` at tcpdump-4.99.3): four digits, more from 0x10000 on, never a leading
/// zero then.
fn parse_offset(s: &str) -> Option<usize> {
    let hex = s.strip_prefix("0x")?.strip_suffix(':')?;
    if hex.len() < 4 || hex.len() > 8 || (hex.len() > 4 && hex.starts_with('0')) || !is_hex(hex) {
        return None;
    }
    usize::from_str_radix(hex, 16).ok()
}

fn is_hex(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Whether a token in a row's group position reads as a (possibly damaged) hex group.
fn group_like(s: &str, within_len: bool) -> bool {
    let alnum = s.bytes().all(|b| b.is_ascii_alphanumeric());
    match s.len() {
        4 | 2 => within_len && alnum,
        3 | 1 => within_len && is_hex(s),
        _ => false,
    }
}

/// The number of bytes the packet's own headers say it has, from its first bytes: the IP
/// header's length field (offsets from the `wire` views), plus the Ethernet header when the
/// bytes start with one carrying IPv4 or IPv6.
pub fn expected_len(bytes: &[Option<u8>]) -> Option<usize> {
    use super::wire::ethernet::{self, EtherType};
    use super::wire::{ipv4, ipv6};
    let b = |i: usize| bytes.get(i).copied().flatten();
    let be16 = |at: usize, r: std::ops::Range<usize>| {
        Some(usize::from(u16::from_be_bytes([
            b(at + r.start)?,
            b(at + r.start + 1)?,
        ])))
    };
    match b(0)? >> 4 {
        4 => be16(0, ipv4::field::LENGTH),
        6 => be16(0, ipv6::field::LENGTH).map(|l| l + ipv6::HEADER_LEN),
        _ => {
            let ethertype = u16::try_from(be16(0, ethernet::field::ETHERTYPE)?).ok()?;
            match EtherType::from(ethertype) {
                EtherType::Ipv4 => be16(ethernet::HEADER_LEN, ipv4::field::LENGTH),
                EtherType::Ipv6 => {
                    be16(ethernet::HEADER_LEN, ipv6::field::LENGTH).map(|l| l + ipv6::HEADER_LEN)
                }
                _ => None,
            }
            .map(|l| l + ethernet::HEADER_LEN)
        }
    }
}

/// Packets read one at a time from a tcpdump text, so memory holds one packet's text whatever
/// the size of the whole.
///
/// A packet's text runs from a time to the next time (or the end): its header words, then its
/// rows. Lines are read one at a time; a time ends the packet before it.
pub struct TextReader<R> {
    input: R,
    line: usize,
    buf: Vec<u8>,
    /// The tokens of the packet being read, from its time on.
    chunk: Vec<Tok>,
    /// Packets finished by the last line read.
    ready: std::collections::VecDeque<TextPacket>,
    done: bool,
    /// Read only the rows at offset 0 (all [`survey`] needs): the other rows are skipped.
    first_rows_only: bool,
}

impl<R: BufRead> TextReader<R> {
    pub fn new(input: R) -> TextReader<R> {
        TextReader {
            input,
            line: 0,
            buf: Vec::new(),
            chunk: Vec::new(),
            ready: std::collections::VecDeque::new(),
            done: false,
            first_rows_only: false,
        }
    }

    /// Read one line into the current chunk; false at the end of the input.
    fn read_line(&mut self) -> Result<bool, ImportError> {
        self.buf.clear();
        let line = self.line + 1;
        let n = self
            .input
            .read_until(b'\n', &mut self.buf)
            .map_err(|source| ImportError::Read { line, source })?;
        if n == 0 {
            return Ok(false);
        }
        self.line = line;
        let text = std::str::from_utf8(&self.buf).map_err(|_| ImportError::NotUtf8 { line })?;
        let text = text.strip_suffix('\n').unwrap_or(text);
        let text = text.strip_suffix('\r').unwrap_or(text);
        let mut toks = Vec::new();
        line_tokens(text, line, &mut toks);
        for t in toks {
            if parse_time(&t.s).is_some() {
                self.finish_chunk();
            }
            // Words before the first time belong to no packet.
            if !self.chunk.is_empty() || parse_time(&t.s).is_some() {
                self.chunk.push(t);
            }
        }
        Ok(true)
    }

    fn finish_chunk(&mut self) {
        let chunk = std::mem::take(&mut self.chunk);
        if let Some(p) = packet_of(&chunk, self.first_rows_only) {
            self.ready.push_back(p);
        }
    }
}

impl<R: BufRead> Iterator for TextReader<R> {
    type Item = Result<TextPacket, ImportError>;

    fn next(&mut self) -> Option<Self::Item> {
        while self.ready.is_empty() && !self.done {
            match self.read_line() {
                Ok(true) => {}
                Ok(false) => {
                    self.done = true;
                    self.finish_chunk();
                }
                Err(e) => {
                    self.done = true;
                    return Some(Err(e));
                }
            }
        }
        self.ready.pop_front().map(Ok)
    }
}

/// Read a whole tcpdump text into packets (a text held in memory; [`TextReader`] streams).
pub fn parse(text: &str) -> Result<Trace, ImportError> {
    let packets = TextReader::new(text.as_bytes()).collect::<Result<Vec<_>, _>>()?;
    if packets.is_empty() {
        return Err(ImportError::NoPackets);
    }
    let link = link_of(packets.iter().map(link_vote).sum());
    Ok(Trace { packets, link })
}

/// What the whole of a text says before any packet is written: the link type (by the votes of
/// all packets) and whether any time has nanoseconds. Read with a first pass of a
/// [`TextReader`], holding one packet at a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Survey {
    pub link: LinkType,
    pub nano: bool,
    pub packets: usize,
}

/// Survey a text (see [`Survey`]); [`ImportError::NoPackets`] when it holds none.
pub fn survey<R: BufRead>(input: R) -> Result<Survey, ImportError> {
    let (mut votes, mut nano, mut packets) = (0i64, false, 0usize);
    let mut reader = TextReader::new(input);
    reader.first_rows_only = true;
    for p in reader {
        let p = p?;
        votes += link_vote(&p);
        nano |= p.frac_digits == 9;
        packets += 1;
    }
    if packets == 0 {
        return Err(ImportError::NoPackets);
    }
    Ok(Survey {
        link: link_of(votes),
        nano,
        packets,
    })
}

/// One packet from the tokens of its text, the first its time; `None` when it has no hex row.
/// With `first_rows_only`, only rows at offset 0 are read (the bytes a link vote needs).
fn packet_of(toks: &[Tok], first_rows_only: bool) -> Option<TextPacket> {
    let first = toks.first()?;
    let (day_secs, nsec, frac_digits) = parse_time(&first.s)?;
    let mut p = TextPacket {
        line: first.line,
        time: first.s.clone(),
        day_secs,
        nsec,
        frac_digits,
        header: String::new(),
        rows: Vec::new(),
        bytes: Vec::new(),
        damage: Vec::new(),
    };
    let mut i = 1;
    let mut words = Vec::new();
    while i < toks.len() && parse_offset(&toks[i].s).is_none() {
        words.push(toks[i].s.as_str());
        i += 1;
    }
    p.header = words.join(" ");
    // A row left out still makes this a packet.
    let mut skipped = false;
    // Words after a row that are not a row: the packet's text when a dump from 0x0000 follows
    // (the rows before were a payload dump within the text), else trailing noise.
    let mut after: Vec<&str> = Vec::new();
    while i < toks.len() {
        let Some(offset) = parse_offset(&toks[i].s) else {
            break;
        };
        if first_rows_only && offset != 0 {
            skipped = true;
            i += 1;
        } else {
            let text_before = offset == 0 && !p.rows.is_empty();
            i = read_row(toks, i, offset, &mut p);
            if text_before && !after.is_empty() {
                p.header = format!("{} {}", p.header, after.join(" "));
            }
        }
        after.clear();
        while i < toks.len() && parse_offset(&toks[i].s).is_none() {
            after.push(toks[i].s.as_str());
            i += 1;
        }
    }
    (!p.rows.is_empty() || skipped).then_some(p)
}

/// A packet's vote for Ethernet (+1: an Ethernet type, IPv4, IPv6, ARP or VLAN, at bytes
/// 12-13) or raw IP (-1: an IP version nibble, 4 or 6, first).
fn link_vote(p: &TextPacket) -> i64 {
    let b = |i: usize| p.bytes.get(i).copied().flatten();
    let ether = matches!(
        (b(12), b(13)),
        (Some(0x08), Some(0x00))
            | (Some(0x86), Some(0xdd))
            | (Some(0x08), Some(0x06))
            | (Some(0x81), Some(0x00))
    );
    let ip = matches!(b(0).map(|x| x >> 4), Some(4) | Some(6));
    i64::from(ether) - i64::from(ip)
}

/// Ethernet when more packets carry an Ethernet type than start with an IP version nibble;
/// raw IP otherwise.
fn link_of(votes: i64) -> LinkType {
    if votes > 0 {
        LinkType::Ethernet
    } else {
        LinkType::Raw
    }
}

/// Read one row starting at token `i` (its offset); returns the index after the row.
fn read_row(toks: &[Tok], mut i: usize, offset: usize, p: &mut TextPacket) -> usize {
    let line = toks[i].line;
    i += 1;
    if offset == 0 && !p.rows.is_empty() {
        // A second dump from 0x0000: the first was part of the packet's text (tcpdump dumps
        // the payload of protocols it does not decode), the packet's own dump starts here.
        for r in std::mem::take(&mut p.rows) {
            p.header.push_str(&format!(
                " 0x{:04x}: {} {}",
                r.offset,
                r.groups.join(" "),
                r.ascii
            ));
        }
        p.header = p.header.split_whitespace().collect::<Vec<_>>().join(" ");
        p.bytes.clear();
        p.damage.clear();
    }
    let have = p.bytes.len();
    if offset > have {
        p.damage.push(Damage::Gap { line, offset, have });
        p.bytes.resize(offset, None);
    } else if offset < have {
        p.damage.push(Damage::Overlap { line, offset, have });
        p.bytes.truncate(offset);
    }
    let mut row = HexRow {
        line,
        offset,
        groups: Vec::new(),
        ascii: String::new(),
    };
    // tcpdump sets the ASCII column off by two spaces or more, the groups by one: when the line
    // kept its spacing, that decides where the groups end. Otherwise the packet's own length does.
    let same_line = |k: usize| toks.get(k).filter(|t| t.line == line);
    let spaced = (i + 1..toks.len()).map_while(same_line).any(|t| t.gap >= 2);
    let first = i;
    while i < toks.len() && toks[i].line == line && row.groups.len() < 8 {
        let s = toks[i].s.as_str();
        let within = expected_len(&p.bytes).is_none_or(|n| p.bytes.len() < n);
        if parse_offset(s).is_some() || parse_time(s).is_some() {
            break;
        }
        if spaced {
            if (i > first && toks[i].gap >= 2) || !group_like(s, true) {
                break;
            }
        } else if !group_like(s, within) {
            break;
        }
        push_group(p, line, s);
        row.groups.push(s.to_string());
        i += 1;
        if s.len() <= 2 {
            break;
        }
    }
    let mut ascii = String::new();
    while i < toks.len()
        && toks[i].line == line
        && parse_offset(&toks[i].s).is_none()
        && parse_time(&toks[i].s).is_none()
    {
        ascii.push_str(&toks[i].s);
        i += 1;
    }
    row.ascii = ascii;
    p.rows.push(row);
    i
}

fn push_group(p: &mut TextPacket, line: usize, s: &str) {
    let offset = p.bytes.len();
    if s.len() % 2 == 1 {
        p.damage.push(Damage::OddDigits {
            line,
            group: s.to_string(),
            offset,
        });
        // One lost digit: the group stood for (len + 1) / 2 bytes, none of them known.
        p.bytes
            .extend(std::iter::repeat_n(None, s.len().div_ceil(2)));
        return;
    }
    let mut bad = false;
    for pair in s.as_bytes().chunks(2) {
        let byte = std::str::from_utf8(pair)
            .ok()
            .filter(|t| is_hex(t))
            .and_then(|t| u8::from_str_radix(t, 16).ok());
        bad |= byte.is_none();
        p.bytes.push(byte);
    }
    if bad {
        p.damage.push(Damage::NonHex {
            line,
            group: s.to_string(),
            offset,
        });
    }
}

/// The character tcpdump shows for a byte in the ASCII column: the byte when `isgraph` (0x21 to
/// 0x7e; a space too prints `.`), else `.` (`print-ascii.c` at tcpdump-4.1.1 and at
/// tcpdump-4.99.3 alike).
pub fn ascii_of(b: u8) -> char {
    if b.is_ascii_graphic() {
        char::from(b)
    } else {
        '.'
    }
}

/// The number of bytes a row stands for.
pub fn row_len(row: &HexRow, total: usize) -> usize {
    let by_groups: usize = row.groups.iter().map(|g| g.len().div_ceil(2)).sum();
    by_groups.min(total.saturating_sub(row.offset))
}

/// Days since 1970-01-01 of a civil date (proleptic Gregorian).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = i64::from((m + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `YYYY-MM-DD` to days since the epoch.
pub fn parse_date(s: &str) -> Option<i64> {
    let mut it = s.split('-');
    let y: i64 = it.next()?.parse().ok().filter(|y| (0..=9999).contains(y))?;
    let m: u32 = it.next()?.parse().ok()?;
    let d: u32 = it.next()?.parse().ok()?;
    if it.next().is_some() || !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    Some(days_from_civil(y, m, d))
}

/// Timestamps from times of day: the day `day` (days since the epoch) plus each time of day; a
/// time more than twelve hours before the previous one is taken to be on the next day.
#[derive(Debug, Clone)]
pub struct Clock {
    day: i64,
    prev: Option<u32>,
}

impl Clock {
    pub fn new(day: i64) -> Clock {
        Clock { day, prev: None }
    }

    /// The timestamp of the next packet.
    pub fn stamp(&mut self, p: &TextPacket) -> Timestamp {
        if self.prev.is_some_and(|q| p.day_secs + 43_200 < q) {
            self.day += 1;
        }
        self.prev = Some(p.day_secs);
        Timestamp {
            sec: self.day * 86_400 + i64::from(p.day_secs),
            nsec: p.nsec,
        }
    }
}

/// The timestamps of a trace (see [`Clock`]).
pub fn timestamps(trace: &Trace, day: i64) -> Vec<Timestamp> {
    let mut clock = Clock::new(day);
    trace.packets.iter().map(|p| clock.stamp(p)).collect()
}

/// The on-wire length of a packet: what its IP header says (plus the link header), or what the
/// hex holds when that is more (Ethernet padding) or the header is unreadable.
///
/// tcpdump says `truncated-ip - N bytes missing!` (`truncated-ip6 - N ...`) when the packet on
/// the wire was shorter than its IP header claims (`print-ip.c`, `print-ip6.c` at
/// tcpdump-4.99.3); the on-wire length is then the header's length less N.
pub fn wire_len(p: &TextPacket) -> usize {
    let missing = ["truncated-ip - ", "truncated-ip6 - "]
        .iter()
        .find_map(|m| {
            let rest = &p.header[p.header.find(m)? + m.len()..];
            rest.split(' ').next()?.parse::<usize>().ok()
        });
    match expected_len(&p.bytes) {
        Some(n) => n.saturating_sub(missing.unwrap_or(0)).max(p.bytes.len()),
        None => p.bytes.len(),
    }
}

/// Write the packets to a pcap: each record holds the packet's bytes up to its first unknown
/// byte (all of them when none is unknown) and the on-wire length of [`wire_len`].
pub fn write_pcap<W: Write>(trace: &Trace, day: i64, out: W) -> Result<(), ImportError> {
    let nano = trace.packets.iter().any(|p| p.frac_digits == 9);
    let mut w = PcapOut::new(out, trace.link, nano)?;
    let mut clock = Clock::new(day);
    for p in &trace.packets {
        w.write(p, clock.stamp(p))?;
    }
    w.finish()?;
    Ok(())
}

/// A pcap being written one packet at a time (see [`write_pcap`]), through the one pcap
/// writer: Ethernet or raw IP, big-endian as the pcaps `import` has always written
/// (fixtures/report/ holds them).
pub struct PcapOut<W: Write> {
    w: super::pcap::Writer<W>,
}

impl<W: Write> PcapOut<W> {
    /// Write the file header: Ethernet or raw IP, nanosecond times when `nano`.
    pub fn new(out: W, link: LinkType, nano: bool) -> Result<PcapOut<W>, ImportError> {
        let link = if link == LinkType::Ethernet {
            LinkType::Ethernet
        } else {
            LinkType::Raw
        };
        Ok(PcapOut {
            w: super::pcap::Writer::with_byte_order(out, link, 262_144, nano, true)?,
        })
    }

    /// Write one packet's record.
    pub fn write(&mut self, p: &TextPacket, ts: Timestamp) -> Result<(), ImportError> {
        let data = p.readable_prefix();
        let len = u32::try_from(wire_len(p)).unwrap_or(u32::MAX);
        self.w.write(ts, &data, len)?;
        Ok(())
    }

    /// Flush what is buffered and hand back the output.
    pub fn finish(self) -> Result<W, ImportError> {
        Ok(self.w.into_inner()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(parse_date("2014-11-05"), Some(16_379));
        assert_eq!(parse_date("2014-13-05"), None);
    }

    /// A UDP datagram 1 > 2 of one byte, up to its last row.
    const UDP_1_2: &str = "12:00:00.000001 IP (tos 0x0, ttl 64, id 0, offset 0, flags [DF], \
                           proto UDP (17), length 29)\n 127.0.0.1.1 > 127.0.0.1.2: UDP, length 1\n\
                           0x0000: 4500 001d 0000 4000 4011 3cce 7f00 0001 E.....@.@.<.....\n";

    #[test]
    fn wrapped_rows_and_damage() {
        let text = format!("{UDP_1_2}0x0010: 7f00 0001 0001 0002 0009 felc 41 .....A\n");
        let t = parse(&text).unwrap();
        assert_eq!(t.link, LinkType::Raw);
        let p = &t.packets[0];
        assert_eq!(p.bytes.len(), 29);
        assert_eq!(p.bytes[26], Some(0xfe));
        assert_eq!(p.bytes[27], None);
        assert_eq!(
            p.damage,
            vec![Damage::NonHex {
                line: 4,
                group: "felc".into(),
                offset: 26
            }]
        );
        assert_eq!(p.rows[1].ascii, ".....A");
    }

    const UDP_HDR: &str = "12:00:00.000001 IP (tos 0x0, ttl 64, id 0, offset 0, flags [DF], \
                           proto UDP (17), length 29)\n 127.0.0.1.34568 > 127.0.0.1.4002: ";

    #[test]
    fn gaps_and_odd_digits() {
        let text = format!(
            "{UDP_HDR}UDP, length 1\n\
             0x0000: 4500 001d 0000 4000 4011 3cce 7f00 0001 E.....@.@.<.....\n\
             0x0012: 8708 0fa2 009 fe1c 41 .....A\n"
        );
        let t = parse(&text).unwrap();
        let p = &t.packets[0];
        assert_eq!(
            p.damage,
            vec![
                Damage::Gap {
                    line: 4,
                    offset: 0x12,
                    have: 0x10
                },
                Damage::OddDigits {
                    line: 4,
                    group: "009".into(),
                    offset: 0x16
                }
            ]
        );
        // 16 bytes, 2 missing, 4, 2 unknown (`009`), 3.
        assert_eq!(p.bytes.len(), 27);
        assert_eq!(p.readable_prefix().len(), 16);
    }

    #[test]
    fn offsets_past_0xffff_have_more_digits() {
        assert_eq!(parse_offset("0x0010:"), Some(0x10));
        assert_eq!(parse_offset("0xfff0:"), Some(0xfff0));
        assert_eq!(parse_offset("0x10000:"), Some(0x10000));
        assert_eq!(parse_offset("0x1fff0:"), Some(0x1fff0));
        // tcpdump's %04x never pads past four digits, nor prints three.
        assert_eq!(parse_offset("0x00010:"), None);
        assert_eq!(parse_offset("0x010:"), None);
        assert_eq!(parse_offset("0x1000g:"), None);
    }

    #[test]
    fn reader_streams_packets_across_and_within_lines() {
        let one = format!("{UDP_1_2}0x0010: 7f00 0001 0001 0002 0009 fe1c 41 .....A\n");
        // Noise before the first time; a second packet starting on the last row's line.
        let text = format!("notes\n{}{}", one.trim_end(), " ".to_string() + &one);
        let whole = parse(&text).unwrap();
        let streamed: Vec<TextPacket> = TextReader::new(text.as_bytes())
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(streamed.len(), 2);
        assert_eq!(whole.packets.len(), 2);
        for (a, b) in whole.packets.iter().zip(&streamed) {
            assert_eq!((a.line, &a.bytes, &a.header), (b.line, &b.bytes, &b.header));
        }
        assert_eq!(streamed[0].bytes.len(), 29);
        assert_eq!(streamed[1].line, 5);
        let s = survey(text.as_bytes()).unwrap();
        assert_eq!((s.link, s.nano, s.packets), (LinkType::Raw, false, 2));
        // A packet whose dump lost its first row is still one: survey counts it too.
        let cut = text
            .replacen("0x0000: 4500", "", 1)
            .replacen("0x0000:", "0x9999:", 1);
        assert_eq!(
            survey(cut.as_bytes()).unwrap().packets,
            parse(&cut).unwrap().packets.len()
        );
    }

    #[test]
    fn not_utf8_names_its_line() {
        let e = TextReader::new(&b"12:00:00.000001 IP\n\xff\n"[..])
            .find_map(Result::err)
            .unwrap();
        assert_eq!(e.to_string(), "line 2: not UTF-8 text");
        assert!(matches!(
            survey(&b"hello\n"[..]),
            Err(ImportError::NoPackets)
        ));
    }

    #[test]
    fn no_packets() {
        assert!(matches!(parse("hello\n"), Err(ImportError::NoPackets)));
    }
}
