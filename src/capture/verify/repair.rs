//! Repair by checksum: the one unknown 16-bit word under a checksum whose result the header
//! text states (see [`crate::capture::import::repair`]).

use super::super::import::{self, Repair, TextPacket};
use super::super::record::LinkType;
use super::super::wire::checksum;
use super::{is_old_udp_verdict, layout, parse_claims, Claim};

/// A checksum result a header text states, for [`repair_from_checksums`].
enum Target {
    /// The in_cksum result over everything, checksum field included.
    Result(u16),
    /// The value the field should hold (sum of everything but the field).
    Should(u16),
}

fn transport_target(claims: &[Claim], proto: u8) -> Option<(Target, Option<u16>)> {
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
    // tcpdump prints the field with four digits; a shorter one was damaged and proves nothing.
    if field_text.len() != 6 {
        return None;
    }
    let field = hex(field_text)?;
    if verdict == "(correct)" {
        Some((Target::Result(0), Some(field)))
    } else {
        let should = verdict.strip_prefix("(incorrect -> ")?.strip_suffix(')')?;
        Some((Target::Should(hex(should)?), Some(field)))
    }
}

/// Fill the one unknown 16-bit word under a checksum the text states (see [`import::repair`]).
pub fn repair_from_checksums(p: &mut TextPacket, link: LinkType) -> Vec<Repair> {
    let claims = parse_claims(&p.header);
    let Some(lay) = layout(&p.bytes, link) else {
        return Vec::new();
    };
    let mut done = Vec::new();
    if lay.ihl > 0 && !claims.iter().any(|c| c.key == "ip.bad-cksum") {
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
