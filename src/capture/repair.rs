//! Repairs: unknown bytes of an imported packet filled only where the text proves their value,
//! by the ASCII column or by a checksum claim of the header text.
//!
//! Sits on [`super::import`] (the packets) and [`super::claims`] (the header text's claims);
//! [`super::verify`] sits on top of it.
//!
//! Must not import `crate::echo`, `crate::cli`, clap, tokio or comfy-table.

use std::fmt;
use std::net::IpAddr;

use super::claims::{is_old_udp_verdict, parse_claims, Claim};
use super::import::{self, ascii_of, row_len, TextPacket};
use super::record::LinkType;
use super::wire::checksum;

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

/// Fill the unknown bytes of `p` that the text proves: a byte whose ASCII column character is
/// printable (in a row whose column has one character per byte, so positions are certain), or a
/// 16-bit word that is the only unknown one under a checksum whose result the text states. A
/// word is filled only when exactly one value fits the checksum and the word's readable digits.
pub fn repair(p: &mut TextPacket, link: LinkType) -> Vec<Repair> {
    let mut done = repair_from_ascii(p);
    loop {
        let more = repair_from_checksums(p, link);
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

/// The IP addresses, transport protocol and transport byte range of a packet, when readable.
#[derive(Debug, Clone, Copy)]
pub struct Layout {
    pub src: IpAddr,
    pub dst: IpAddr,
    pub proto: u8,
    /// The transport header's first byte and the end of the datagram its IP header states.
    pub start: usize,
    pub end: usize,
    /// The IP header's first byte and, for IPv4, its length (0 for IPv6).
    pub ip: usize,
    pub ihl: usize,
}

/// Whether the bytes `at + range` are all known.
fn known(bytes: &[Option<u8>], at: usize, range: std::ops::Range<usize>) -> bool {
    range
        .into_iter()
        .all(|i| bytes.get(at + i).is_some_and(Option::is_some))
}

/// Where a packet's IP header and transport are, read through the `wire` views. Only the
/// fields read must be known: the other bytes may be unknown (read as 0, never used).
pub fn layout(bytes: &[Option<u8>], link: LinkType) -> Option<Layout> {
    use super::wire::{ethernet, ipv4, ipv6};
    let ip = if link == LinkType::Ethernet {
        ethernet::HEADER_LEN
    } else {
        0
    };
    let filled: Vec<u8> = bytes.get(ip..)?.iter().map(|b| b.unwrap_or(0)).collect();
    if !known(bytes, ip, 0..1) {
        return None;
    }
    match filled.first()? >> 4 {
        4 => {
            use ipv4::field::{DST_ADDR, LENGTH, PROTOCOL, SRC_ADDR, VER_IHL};
            let needed = [
                VER_IHL..VER_IHL + 1,
                LENGTH,
                PROTOCOL..PROTOCOL + 1,
                SRC_ADDR,
                DST_ADDR,
            ];
            if !needed.into_iter().all(|r| known(bytes, ip, r)) {
                return None;
            }
            let p = ipv4::Packet::new_checked(&filled).ok()?;
            Some(Layout {
                src: IpAddr::V4(p.src_addr()),
                dst: IpAddr::V4(p.dst_addr()),
                proto: p.protocol(),
                start: ip + p.header_len(),
                end: ip + usize::from(p.total_len()),
                ip,
                ihl: p.header_len(),
            })
        }
        6 => {
            use ipv6::field::{DST_ADDR, LENGTH, NXT_HDR, SRC_ADDR};
            let needed = [LENGTH, NXT_HDR..NXT_HDR + 1, SRC_ADDR, DST_ADDR];
            if !needed.into_iter().all(|r| known(bytes, ip, r)) {
                return None;
            }
            let p = ipv6::Packet::new_checked(&filled).ok()?;
            Some(Layout {
                src: IpAddr::V6(p.src_addr()),
                dst: IpAddr::V6(p.dst_addr()),
                proto: p.next_header(),
                start: ip + ipv6::HEADER_LEN,
                end: ip + ipv6::HEADER_LEN + usize::from(p.payload_len()),
                ip,
                ihl: 0,
            })
        }
        _ => None,
    }
}

/// A checksum result a header text states, for [`repair_from_checksums`].
pub(crate) enum Target {
    /// The in_cksum result over everything, checksum field included.
    Result(u16),
    /// The value the field should hold (sum of everything but the field).
    Should(u16),
}

pub(crate) fn transport_target(claims: &[Claim], proto: u8) -> Option<(Target, Option<u16>)> {
    let hex = |s: &str| u16::from_str_radix(s.trim_start_matches("0x"), 16).ok();
    let c = claims
        .iter()
        .find(|c| (proto == 6 && c.key == "tcp.cksum") || (proto == 17 && c.key == "udp.cksum"))?;
    let v = c.value.as_str();
    if v == "[udp sum ok]" {
        return Some((Target::Result(0), None));
    }
    if is_old_udp_verdict(v) {
        let n = hex(v
            .trim_start_matches("[bad udp cksum ")
            .trim_end_matches("!]"))?;
        return Some((Target::Result(n.swap_bytes()), None));
    }
    if let Some(r) = v
        .strip_prefix("[bad udp cksum ")
        .and_then(|r| r.strip_suffix("!]"))
    {
        let (field, should) = r.split_once(" -> ")?;
        return Some((Target::Should(hex(should)?), hex(field)));
    }
    let (field_text, verdict) = v.split_once(' ')?;
    // tcpdump prints the field with four digits; a shorter one was damaged and proves nothing
    // of the field, but the verdict still stands.
    let field = if field_text.len() == 6 {
        Some(hex(field_text)?)
    } else {
        None
    };
    if verdict == "(correct)" {
        Some((Target::Result(0), field))
    } else {
        let should = verdict.strip_prefix("(incorrect -> ")?.strip_suffix(')')?;
        Some((Target::Should(hex(should)?), field))
    }
}

/// Fill the one unknown 16-bit word under a checksum the text states (see [`repair`]).
fn repair_from_checksums(p: &mut TextPacket, link: LinkType) -> Vec<Repair> {
    let claims = parse_claims(&p.header);
    let Some(lay) = layout(&p.bytes, link) else {
        return Vec::new();
    };
    let mut done = Vec::new();
    // Only a verbose text (`IP (tos ..., ttl ...)`) says whether the IP checksum was correct.
    let verbose = claims.iter().any(|c| c.key == "ip.ttl");
    if verbose && lay.ihl > 0 && !claims.iter().any(|c| c.key == "ip.bad-cksum") {
        let range = lay.ip..lay.ip + lay.ihl;
        let proof = "the text prints no `bad cksum` for the IP header, so its checksum was correct";
        done.extend(solve(
            p,
            range,
            0,
            Target::Result(0),
            None,
            usize::MAX,
            proof,
        ));
    }
    if !done.is_empty() {
        return done;
    }
    let field = match lay.proto {
        6 => 16,
        17 => 6,
        _ => return done,
    };
    let Some((target, field_val)) = transport_target(&claims, lay.proto) else {
        return done;
    };
    let len = u32::try_from(lay.end.saturating_sub(lay.start)).unwrap_or(0);
    let ph = checksum::pseudo_header_sum(lay.src, lay.dst, lay.proto, len);
    let claim = claims
        .iter()
        .find(|c| c.key == "tcp.cksum" || c.key == "udp.cksum")
        .map_or(String::new(), |c| c.value.clone());
    let proof = format!("the text's checksum claim `{claim}`");
    done.extend(solve(
        p,
        lay.start..lay.end,
        ph,
        target,
        field_val,
        field,
        &proof,
    ));
    done
}

/// Solve for the single unknown word in `range` given the stated checksum.
fn solve(
    p: &mut TextPacket,
    range: std::ops::Range<usize>,
    ph: u32,
    target: Target,
    field_val: Option<u16>,
    field: usize,
    proof: &str,
) -> Vec<Repair> {
    let Some(bytes) = p.bytes.get(range.clone()) else {
        return Vec::new();
    };
    let unknown: Vec<usize> = (0..bytes.len().div_ceil(2))
        .filter(|w| (0..2).any(|k| bytes.get(w * 2 + k).is_some_and(Option::is_none)))
        .collect();
    let [w] = unknown[..] else {
        return Vec::new();
    };
    let mut acc = ph;
    for (i, pair) in bytes.chunks(2).enumerate() {
        if i == w || (i * 2 == field && matches!(target, Target::Should(_))) {
            continue;
        }
        let hi = pair.first().copied().flatten().unwrap_or(0);
        let lo = pair.get(1).copied().flatten().unwrap_or(0);
        acc = checksum::sum(acc, &[hi, lo]);
    }
    let value = if w * 2 == field && field_val.is_some() {
        field_val
    } else {
        // The known words sum to `known`; the unknown word must bring the sum to `want`.
        let want = match target {
            Target::Result(r) => !r,
            Target::Should(_) if w * 2 == field => return Vec::new(),
            Target::Should(s) => !s,
        };
        let known = !checksum::finish(acc);
        Some(!checksum::finish(u32::from(want) + u32::from(!known)))
    };
    let Some(v) = value else {
        return Vec::new();
    };
    let at = range.start + w * 2;
    let digits = group_digits(p, at);
    let candidates: Vec<u16> = match v {
        0 | 0xffff => vec![0, 0xffff],
        v => vec![v],
    };
    let fits: Vec<u16> = candidates
        .into_iter()
        .filter(|c| fits_known(p, at, *c, digits.as_deref()))
        .collect();
    let [v] = fits[..] else {
        return Vec::new();
    };
    let line = damage_line(p, at);
    let mut done = Vec::new();
    for (k, byte) in v.to_be_bytes().into_iter().enumerate() {
        if let Some(slot @ None) = p.bytes.get_mut(at + k) {
            *slot = Some(byte);
            done.push(Repair {
                line,
                offset: at + k,
                value: byte,
                proof: format!(
                    "{proof} leaves 0x{v:04x} as the only value for bytes 0x{at:04x}-0x{:04x}",
                    at + 1
                ),
            });
        }
    }
    done
}

/// The group text covering byte `at`, when the damage record names it.
fn group_digits(p: &TextPacket, at: usize) -> Option<String> {
    p.damage.iter().find_map(|d| match d {
        import::Damage::NonHex { group, offset, .. } if *offset == at && group.len() == 4 => {
            Some(group.clone())
        }
        _ => None,
    })
}

fn damage_line(p: &TextPacket, at: usize) -> usize {
    p.rows
        .iter()
        .rev()
        .find(|r| r.offset <= at)
        .map_or(p.line, |r| r.line)
}

/// Whether a word value agrees with the known bytes at `at` and the readable digits of its group.
fn fits_known(p: &TextPacket, at: usize, v: u16, digits: Option<&str>) -> bool {
    let be = v.to_be_bytes();
    let bytes_ok = (0..2).all(|k| match p.bytes.get(at + k).copied().flatten() {
        Some(b) => b == be[k],
        None => true,
    });
    let hex = format!("{v:04x}");
    let digits_ok = digits.is_none_or(|g| {
        g.chars()
            .zip(hex.chars())
            .all(|(a, b)| !a.is_ascii_hexdigit() || a.eq_ignore_ascii_case(&b))
    });
    bytes_ok && digits_ok
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capture::import::parse;

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
}
