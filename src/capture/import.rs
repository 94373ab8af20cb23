//! `import`: tcpdump text output (`-x`, `-X`, `-XX` hex dumps, 4.1-era and 4.99 wording) back to
//! packets, and those packets to a pcap file.
//!
//! The text may be wrapped and re-indented, as when a trace was pasted into a document: the
//! reader works on whitespace-separated tokens, not on lines. A packet starts at a time of day
//! (`15:30:11.106833`, optionally after a `YYYY-MM-DD` date), its header text runs to the first
//! hex row (`0x0000:`), and each row holds up to eight groups of four hex digits followed by the
//! ASCII column. `<pre>`/`</pre>` tags and code-fence lines are ignored. Damaged hex (non-hex
//! digits, odd digit counts, rows that skip bytes) is recorded with its line and the byte stays
//! unknown: nothing is guessed. [`repair`] fills an unknown byte only where a checksum claim in
//! the text or the ASCII column proves its value.
//!
//! Must not import `crate::echo`, `crate::cli`, clap, tokio or comfy-table.

use std::fmt;
use std::io::Write;

use super::record::{LinkType, Timestamp};

/// A text that holds no packet at all.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("no packet found (no `HH:MM:SS.ffffff` time followed by a `0x0000:` hex row)")]
    NoPackets,
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

struct Tok<'a> {
    s: &'a str,
    line: usize,
    /// Whitespace characters before the token on its line.
    gap: usize,
}

fn tokens(text: &str) -> Vec<Tok<'_>> {
    let mut out = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        if raw.trim_start().starts_with("```") {
            continue;
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
                    s,
                    line: i + 1,
                    gap,
                });
            }
        }
    }
    out
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

fn parse_offset(s: &str) -> Option<usize> {
    let hex = s.strip_prefix("0x")?.strip_suffix(':')?;
    if hex.len() != 4 {
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

/// The number of bytes the packet's own headers say it has, from its first bytes.
pub fn expected_len(bytes: &[Option<u8>]) -> Option<usize> {
    let b = |i: usize| bytes.get(i).copied().flatten();
    let be16 = |i: usize| Some(usize::from(b(i)?) << 8 | usize::from(b(i + 1)?));
    match b(0)? >> 4 {
        4 => be16(2),
        6 => be16(4).map(|l| l + 40),
        _ => match be16(12)? {
            0x0800 => be16(16).map(|l| l + 14),
            0x86dd => be16(18).map(|l| l + 54),
            _ => None,
        },
    }
}

/// Read a tcpdump text into packets.
pub fn parse(text: &str) -> Result<Trace, ImportError> {
    let toks = tokens(text);
    let mut packets: Vec<TextPacket> = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let Some((day_secs, nsec, frac_digits)) = parse_time(toks[i].s) else {
            i += 1;
            continue;
        };
        let mut p = TextPacket {
            line: toks[i].line,
            time: toks[i].s.to_string(),
            day_secs,
            nsec,
            frac_digits,
            header: String::new(),
            rows: Vec::new(),
            bytes: Vec::new(),
            damage: Vec::new(),
        };
        i += 1;
        let mut words = Vec::new();
        while i < toks.len() && parse_offset(toks[i].s).is_none() && parse_time(toks[i].s).is_none()
        {
            words.push(toks[i].s);
            i += 1;
        }
        p.header = words.join(" ");
        while i < toks.len() {
            let Some(offset) = parse_offset(toks[i].s) else {
                break;
            };
            i = read_row(&toks, i, offset, &mut p);
            // Words after a row that are neither a row nor a time end the packet's hex.
            while i < toks.len() && parse_offset(toks[i].s).is_none() {
                if parse_time(toks[i].s).is_some() {
                    break;
                }
                i += 1;
            }
            if i < toks.len() && parse_time(toks[i].s).is_some() {
                break;
            }
        }
        if !p.rows.is_empty() {
            packets.push(p);
        }
    }
    if packets.is_empty() {
        return Err(ImportError::NoPackets);
    }
    let link = link_of(&packets);
    Ok(Trace { packets, link })
}

/// Ethernet when more packets carry an Ethernet type (IPv4, IPv6, ARP, VLAN) at bytes 12-13
/// than start with an IP version nibble (4 or 6); raw IP otherwise.
fn link_of(packets: &[TextPacket]) -> LinkType {
    let mut votes = 0i64;
    for p in packets {
        let b = |i: usize| p.bytes.get(i).copied().flatten();
        let ether = matches!(
            (b(12), b(13)),
            (Some(0x08), Some(0x00))
                | (Some(0x86), Some(0xdd))
                | (Some(0x08), Some(0x06))
                | (Some(0x81), Some(0x00))
        );
        let ip = matches!(b(0).map(|x| x >> 4), Some(4) | Some(6));
        votes += i64::from(ether) - i64::from(ip);
    }
    if votes > 0 {
        LinkType::Ethernet
    } else {
        LinkType::Raw
    }
}

/// Read one row starting at token `i` (its offset); returns the index after the row.
fn read_row(toks: &[Tok<'_>], mut i: usize, offset: usize, p: &mut TextPacket) -> usize {
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
        let s = toks[i].s;
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
        && parse_offset(toks[i].s).is_none()
        && parse_time(toks[i].s).is_none()
    {
        ascii.push_str(toks[i].s);
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

/// One byte filled by [`repair`], with its proof.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repair {
    pub line: usize,
    pub offset: usize,
    pub value: u8,
    pub proof: String,
}

impl fmt::Display for Repair {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "line {}: byte 0x{:04x} set to {:02x}: {}",
            self.line, self.offset, self.value, self.proof
        )
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

/// Fill the unknown bytes of `p` that the text proves: a byte whose ASCII column character is
/// printable (in a row whose column has one character per byte, so positions are certain), or a
/// 16-bit word that is the only unknown one under a checksum whose result the text states. A
/// word is filled only when exactly one value fits the checksum and the word's readable digits.
pub fn repair(p: &mut TextPacket, link: LinkType) -> Vec<Repair> {
    let mut done = repair_from_ascii(p);
    loop {
        let more = super::verify::repair_from_checksums(p, link);
        if more.is_empty() {
            break;
        }
        done.extend(more);
    }
    done
}

fn repair_from_ascii(p: &mut TextPacket) -> Vec<Repair> {
    let mut done = Vec::new();
    for row in &p.rows {
        let n = row_len(row, p.bytes.len());
        let chars: Vec<char> = row.ascii.chars().collect();
        if chars.len() != n {
            continue;
        }
        for (k, c) in chars.iter().enumerate() {
            let at = row.offset + k;
            if p.bytes.get(at).copied().flatten().is_some() || *c == '.' {
                continue;
            }
            // The row's other known bytes must agree with the column for it to prove anything.
            let agrees = (0..n).all(|j| match p.bytes.get(row.offset + j).copied().flatten() {
                Some(b) => ascii_of(b) == chars[j],
                None => true,
            });
            if agrees && c.is_ascii_graphic() {
                if let Some(slot) = p.bytes.get_mut(at) {
                    *slot = Some(*c as u8);
                    done.push(Repair {
                        line: row.line,
                        offset: at,
                        value: *c as u8,
                        proof: format!("the ASCII column shows `{c}` at this position"),
                    });
                }
            }
        }
    }
    done
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

/// The timestamps of a trace: the day `day` (days since the epoch) plus each time of day; a
/// time more than twelve hours before the previous one is taken to be on the next day.
pub fn timestamps(trace: &Trace, day: i64) -> Vec<Timestamp> {
    let mut day = day;
    let mut prev: Option<u32> = None;
    trace
        .packets
        .iter()
        .map(|p| {
            if prev.is_some_and(|q| p.day_secs + 43_200 < q) {
                day += 1;
            }
            prev = Some(p.day_secs);
            Timestamp {
                sec: day * 86_400 + i64::from(p.day_secs),
                nsec: p.nsec,
            }
        })
        .collect()
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
    let link = if trace.link == LinkType::Ethernet {
        LinkType::Ethernet
    } else {
        LinkType::Raw
    };
    // Big-endian, as the pcaps `import` has always written (fixtures/report/ holds them).
    let mut w = super::pcap::Writer::with_byte_order(out, link, 262_144, nano, true)?;
    for (p, ts) in trace.packets.iter().zip(timestamps(trace, day)) {
        let data = p.readable_prefix();
        let len = u32::try_from(wire_len(p)).unwrap_or(u32::MAX);
        w.write(ts, &data, len)?;
    }
    w.into_inner()?;
    Ok(())
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

    #[test]
    fn wrapped_rows_and_damage() {
        let text = "12:00:00.000001 IP (tos 0x0, ttl 64, id 0, offset 0, flags [DF], proto UDP \
                    (17), length 29)\n 127.0.0.1.1 > 127.0.0.1.2: UDP, length 1\n\
                    0x0000: 4500 001d 0000 4000 4011 3cce 7f00 0001 E.....@.@.<.....\n\
                    0x0010: 7f00 0001 0001 0002 0009 felc 41 .....A\n";
        let t = parse(text).unwrap();
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
    fn checksum_claim_proves_a_word() {
        // 8708 0fa2 0009 w 41: pseudo-header 0xfe1c plus the known words sum to 0xd5d0; the
        // claim `122c` is in_cksum 0x2c12 byte-swapped, a total of ~0x2c12 = 0xd3ed, so
        // w = 0xd3ed + ~0xd5d0 = 0xd3ed + 0x2a2f = 0xfe1c.
        let text = format!(
            "{UDP_HDR}[bad udp cksum 122c!] UDP, length 1\n\
             0x0000: 4500 001d 0000 4000 4011 3cce 7f00 0001 E.....@.@.<.....\n\
             0x0010: 7f00 0001 8708 0fa2 0009 felc 41 .....A\n"
        );
        let mut t = parse(&text).unwrap();
        let link = t.link;
        let done = repair(&mut t.packets[0], link);
        assert_eq!(done.len(), 1, "{done:?}");
        assert_eq!(
            (done[0].line, done[0].offset, done[0].value),
            (4, 0x1b, 0x1c)
        );
        assert!(t.packets[0].complete());
        // A claim that does not fit the readable digits `fe?c` proves nothing.
        let wrong = text.replace("122c", "122d");
        let mut t = parse(&wrong).unwrap();
        assert!(repair(&mut t.packets[0], link).is_empty());
        assert!(!t.packets[0].complete());
    }

    #[test]
    fn ascii_column_proves_a_byte() {
        // `4x` at 0x001c: the column shows `A` there and agrees with every known byte.
        let text = format!(
            "{UDP_HDR}UDP, length 1\n\
             0x0000: 4500 001d 0000 4000 4011 3cce 7f00 0001 E.....@.@.<.....\n\
             0x0010: 7f00 0001 8708 0fa2 0009 fe1c 4x ............A\n"
        );
        let mut t = parse(&text).unwrap();
        let link = t.link;
        let done = repair(&mut t.packets[0], link);
        assert_eq!(done.len(), 1, "{done:?}");
        assert_eq!((done[0].offset, done[0].value), (0x1c, b'A'));
        // With a column a character short, positions are uncertain: no repair.
        let short = text.replace("............A", "...........A");
        let mut t = parse(&short).unwrap();
        assert!(repair(&mut t.packets[0], link).is_empty());
    }

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
    fn no_packets() {
        assert!(matches!(parse("hello\n"), Err(ImportError::NoPackets)));
    }

    proptest::proptest! {
        /// Any text built from tcpdump-like words parses, repairs, verifies and writes without
        /// panicking.
        #[test]
        fn never_panics(words in proptest::collection::vec(
            proptest::prop_oneof![
                proptest::strategy::Just("12:00:00.000001".to_string()),
                proptest::strategy::Just("0x0000:".to_string()),
                proptest::strategy::Just("0x0010:".to_string()),
                proptest::strategy::Just("IP".to_string()),
                proptest::strategy::Just("(tos 0x0, ttl 64, proto UDP (17), length 29)".to_string()),
                proptest::strategy::Just("[bad udp cksum 122c!]".to_string()),
                proptest::strategy::Just("cksum 0xfe29 (incorrect -> 0x1c8d),".to_string()),
                "[0-9a-fl]{1,5}",
                "[ -~]{0,6}",
                proptest::strategy::Just("\n".to_string()),
                proptest::strategy::Just("  ".to_string()),
            ],
            0..80,
        )) {
            let text = words.join(" ");
            if let Ok(mut t) = parse(&text) {
                let link = t.link;
                let _ = super::super::verify::verify(&t);
                for p in &mut t.packets {
                    let _ = repair(p, link);
                }
                let mut out = Vec::new();
                let _ = write_pcap(&t, 0, &mut out);
            }
        }
    }
}
