//! Mistyped hex digits the text proves wrong, and their values.
//!
//! A readable digit may have been typed wrong when the text was copied. Where a checksum
//! verdict of the header text (`cksum 0x... (correct)`, no `bad cksum` for an IP header, an
//! old `[bad udp cksum N!]`) fails on the typed bytes, every single-digit change of the bytes
//! under that checksum, and every byte the ASCII column shows otherwise, is tried: a change is
//! proven when it is the only one that makes the verdict hold, judges no claim of the text
//! worse and some better than the typed bytes do, and contradicts the ASCII column nowhere the
//! typed bytes did not. One proven change
//! is applied at a time, until none is left; a failing verdict no single change explains is
//! reported as not proven, and its digits stay as typed.
//!
//! Sits on [`super::Verifier`] (a candidate is judged as `verify` judges the packet); `import
//! --repair` applies what it proves.

use std::collections::{HashMap, HashSet};
use std::fmt;

use super::{Kind, Verifier};
use crate::capture::claims::parse_claims;
use crate::capture::import::{ascii_of, row_len, TextPacket};
use crate::capture::record::LinkType;
use crate::capture::repair::{layout, transport_target, Target};
use crate::capture::wire::checksum;

/// What proved a digit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Proof {
    /// The IP header's checksum: the text prints no `bad cksum`.
    IpChecksum,
    /// The transport checksum verdict the text prints.
    TransportChecksum(String),
    /// The ASCII column shows the byte.
    AsciiColumn(char),
}

impl fmt::Display for Proof {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Proof::IpChecksum => f.write_str(
                "the text prints no `bad cksum` for the IP header, and this is the only \
                 single-digit change that makes its checksum correct with every other claim holding",
            ),
            Proof::TransportChecksum(claim) => write!(
                f,
                "the text's checksum verdict `{claim}` holds with this change and with no other \
                 single-digit change that keeps every other claim holding"
            ),
            Proof::AsciiColumn(c) => write!(
                f,
                "the ASCII column shows `{c}`, and the text's checksum verdict holds with it"
            ),
        }
    }
}

/// A typed byte replaced, with its proof.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DigitRepair {
    /// The line of the hex row holding the byte.
    pub line: usize,
    pub offset: usize,
    pub typed: u8,
    pub value: u8,
    pub proof: Proof,
}

impl fmt::Display for DigitRepair {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "line {}: byte 0x{:04x} typed {:02x}, set to {:02x}: {}",
            self.line, self.offset, self.typed, self.value, self.proof
        )
    }
}

/// A checksum verdict that fails on the typed bytes and that no single change explains.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unproven {
    /// The line of the packet's header text.
    pub line: usize,
    /// Which verdict, and how many changes would fit it (0 or several).
    pub verdict: String,
    pub fits: usize,
}

impl fmt::Display for Unproven {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let why = match self.fits {
            0 => "no single-digit change makes it hold with every other claim".to_string(),
            n => format!("{n} different single-digit changes would make it hold"),
        };
        write!(
            f,
            "line {}: {} fails on the typed digits and {why}: the digits stay as typed",
            self.line, self.verdict
        )
    }
}

/// The checksum verdicts of the header text, each with whether it holds on `bytes` and the
/// byte range it covers.
fn verdicts(p: &TextPacket, bytes: &[Option<u8>], link: LinkType) -> Vec<(Verdict, bool)> {
    let Some(lay) = layout(bytes, link) else {
        return Vec::new();
    };
    let known = |r: std::ops::Range<usize>| -> Option<Vec<u8>> {
        bytes.get(r)?.iter().copied().collect::<Option<Vec<u8>>>()
    };
    let claims = parse_claims(&p.header);
    let mut out = Vec::new();
    // Only a verbose text (`IP (tos ..., ttl ...)`) says whether the IP checksum was correct.
    let verbose = claims.iter().any(|c| c.key == "ip.ttl");
    if verbose && lay.ihl > 0 && !claims.iter().any(|c| c.key == "ip.bad-cksum") {
        let range = lay.ip..lay.ip + lay.ihl;
        if let Some(h) = known(range.clone()) {
            let v = Verdict {
                range,
                what: VerdictKind::Ip,
            };
            out.push((v, checksum::checksum(&h) == 0));
        }
    }
    if let Some((target, field)) = transport_target(&claims, lay.proto) {
        let claim = claims
            .iter()
            .find(|c| c.key == "tcp.cksum" || c.key == "udp.cksum")
            .map_or(String::new(), |c| c.value.clone());
        let range = lay.start..lay.end;
        if let Some(seg) = known(range.clone()) {
            let len = u32::try_from(seg.len()).unwrap_or(0);
            let ph = checksum::pseudo_header_sum(lay.src, lay.dst, lay.proto, len);
            let result = checksum::finish(checksum::sum(ph, &seg));
            let field_at = if lay.proto == 6 { 16 } else { 6 };
            let typed_field = seg
                .get(field_at..field_at + 2)
                .map(|f| u16::from_be_bytes([f[0], f[1]]));
            let holds = match target {
                Target::Result(r) => result == r,
                Target::Should(s) => {
                    // The field as the text states it, and the value the rest asks of it.
                    let mut rest = seg.clone();
                    if let Some(f) = rest.get_mut(field_at..field_at + 2) {
                        f.copy_from_slice(&[0, 0]);
                    }
                    let should = checksum::finish(checksum::sum(ph, &rest));
                    field.is_none_or(|f| Some(f) == typed_field) && should == s
                }
            };
            let v = Verdict {
                range,
                what: VerdictKind::Transport(claim),
            };
            out.push((v, holds));
        }
    }
    out
}

/// A checksum verdict and the bytes it covers.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Verdict {
    range: std::ops::Range<usize>,
    what: VerdictKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum VerdictKind {
    Ip,
    Transport(String),
}

impl Verdict {
    fn name(&self) -> String {
        match &self.what {
            VerdictKind::Ip => "the IP header checksum (no `bad cksum` in the text)".to_string(),
            VerdictKind::Transport(c) => format!("the checksum verdict `{c}`"),
        }
    }

    fn proof(&self) -> Proof {
        match &self.what {
            VerdictKind::Ip => Proof::IpChecksum,
            VerdictKind::Transport(c) => Proof::TransportChecksum(c.clone()),
        }
    }
}

/// How `verify` judges each claim of the text that does not simply hold: 2 for a claim the
/// bytes contradict, 1 for one that differs by characters lost in transcription, keyed by the
/// claim (`tcp.cksum`) or, for a contradiction that names none, by its text. The ASCII column
/// is judged apart (see [`ascii_mismatches`]).
fn judgement(p: &TextPacket, link: LinkType) -> HashMap<String, u8> {
    let (report, _) = Verifier::new(link).check(p);
    let mut out = HashMap::new();
    for f in &report.findings {
        let (rank, key) = match (f.kind, &f.claim) {
            (Kind::Disagree, Some(c)) => (2, c.clone()),
            (Kind::Disagree, None) => (2, f.text.clone()),
            (Kind::Damage, Some(c)) => (1, c.clone()),
            _ => continue,
        };
        let r = out.entry(key).or_insert(0);
        *r = rank.max(*r);
    }
    out
}

/// Whether `after` judges no claim worse than `before` and at least one better.
fn better(before: &HashMap<String, u8>, after: &HashMap<String, u8>) -> bool {
    let worse = after
        .iter()
        .any(|(k, r)| *r > before.get(k).copied().unwrap_or(0));
    let sum = |m: &HashMap<String, u8>| m.values().map(|r| u32::from(*r)).sum::<u32>();
    !worse && sum(after) < sum(before)
}

/// Where the ASCII column contradicts the bytes: the offsets whose byte a row with one
/// character per byte shows otherwise, and the rows (by offset) whose column, having lost
/// characters, differs from the bytes' characters other than `.`.
fn ascii_mismatches(p: &TextPacket, bytes: &[Option<u8>]) -> HashSet<usize> {
    let mut out = HashSet::new();
    for row in &p.rows {
        let n = row_len(row, bytes.len());
        let chars: Vec<char> = row.ascii.chars().collect();
        let Some(shown) = bytes.get(row.offset..row.offset + n).and_then(|b| {
            b.iter()
                .map(|x| x.map(ascii_of))
                .collect::<Option<Vec<char>>>()
        }) else {
            continue;
        };
        if chars.is_empty() {
            continue;
        }
        if chars.len() == n {
            for (k, (c, s)) in chars.iter().zip(&shown).enumerate() {
                if c != s {
                    out.insert(row.offset + k);
                }
            }
        } else {
            let strip = |v: &[char]| v.iter().filter(|c| **c != '.').collect::<String>();
            if strip(&chars) != strip(&shown) {
                out.insert(row.offset);
            }
        }
    }
    out
}

/// The byte the ASCII column shows at `offset`, where the row has one character per byte and
/// the character is not the `.` that stands for many bytes.
fn ascii_shows(p: &TextPacket, offset: usize) -> Option<char> {
    let row = p
        .rows
        .iter()
        .find(|r| (r.offset..r.offset + row_len(r, p.bytes.len())).contains(&offset))?;
    let chars: Vec<char> = row.ascii.chars().collect();
    if chars.len() != row_len(row, p.bytes.len()) {
        return None;
    }
    chars
        .get(offset - row.offset)
        .copied()
        .filter(|c| *c != '.' && c.is_ascii_graphic() || *c == ' ')
}

/// The line of the hex row holding `offset`.
fn line_of(p: &TextPacket, offset: usize) -> usize {
    p.rows
        .iter()
        .rev()
        .find(|r| r.offset <= offset)
        .map_or(p.line, |r| r.line)
}

/// Prove and apply mistyped digits of `p` (see the module doc): the repairs made, and the
/// failing verdicts left unexplained.
pub fn prove(p: &mut TextPacket, link: LinkType) -> (Vec<DigitRepair>, Vec<Unproven>) {
    let mut done = Vec::new();
    // Each round fixes one byte; a packet has few checksums.
    for _ in 0..8 {
        let failing: Vec<Verdict> = verdicts(p, &p.bytes, link)
            .into_iter()
            .filter(|(_, holds)| !holds)
            .map(|(v, _)| v)
            .collect();
        let Some(first) = failing.first() else {
            return (done, Vec::new());
        };
        let judged = judgement(p, link);
        let mismatched = ascii_mismatches(p, &p.bytes);
        let mut fits: Vec<(usize, u8, Proof)> = Vec::new();
        for at in first.range.clone() {
            let Some(Some(typed)) = p.bytes.get(at).copied() else {
                continue;
            };
            let shown = ascii_shows(p, at).map(|c| c as u8);
            let mut values: Vec<u8> = (0..16u8)
                .flat_map(|d| [(typed & 0x0f) | (d << 4), (typed & 0xf0) | d])
                .chain(shown)
                .filter(|v| *v != typed)
                .collect();
            values.sort_unstable();
            values.dedup();
            for v in values {
                let mut bytes = p.bytes.clone();
                bytes[at] = Some(v);
                let holds = verdicts(p, &bytes, link)
                    .iter()
                    .any(|(w, h)| *h && w.what == first.what);
                if !holds {
                    continue;
                }
                if !ascii_mismatches(p, &bytes).is_subset(&mismatched) {
                    continue;
                }
                let mut candidate = p.clone();
                candidate.bytes = bytes;
                let after = judgement(&candidate, link);
                if better(&judged, &after) {
                    let proof = if shown == Some(v) {
                        Proof::AsciiColumn(char::from(v))
                    } else {
                        first.proof()
                    };
                    fits.push((at, v, proof));
                }
            }
        }
        let [(at, value, ref proof)] = fits[..] else {
            let unproven = failing
                .iter()
                .map(|v| Unproven {
                    line: p.line,
                    verdict: v.name(),
                    fits: if v == first { fits.len() } else { 0 },
                })
                .collect();
            return (done, unproven);
        };
        let typed = p.bytes[at].unwrap_or(0);
        p.bytes[at] = Some(value);
        done.push(DigitRepair {
            line: line_of(p, at),
            offset: at,
            typed,
            value,
            proof: proof.clone(),
        });
    }
    (done, Vec::new())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capture::import::parse;

    /// The report's continuous TCP session (`tcp-continuous.txt`): its SYN-ACK's IP checksum
    /// is typed `3c3a` where the wire had `3cba`.
    const TRACE: &str = include_str!("../../../fixtures/report/tcp-continuous.txt");

    /// The SYN-ACK's text alone.
    fn syn_ack() -> String {
        let lines: Vec<&str> = TRACE.lines().collect();
        let at = lines
            .iter()
            .position(|l| l.starts_with("15:58:55.790115"))
            .unwrap();
        lines[at..at + 8].join("\n") + "\n"
    }

    fn first(text: &str) -> TextPacket {
        parse(text).unwrap().packets.remove(0)
    }

    #[test]
    fn the_checksum_and_the_column_prove_one_digit() {
        let mut p = first(&syn_ack());
        let (done, unproven) = prove(&mut p, LinkType::Raw);
        assert!(unproven.is_empty(), "{unproven:?}");
        assert_eq!(done.len(), 1, "{done:?}");
        assert_eq!(
            (done[0].offset, done[0].typed, done[0].value),
            (11, 0x3a, 0xba)
        );
        assert_eq!(done[0].proof, Proof::IpChecksum);
        assert_eq!(p.bytes[11], Some(0xba));
    }

    #[test]
    fn without_the_claims_that_pin_the_other_words_nothing_is_proven() {
        // Without the ASCII column, the typed `:` no longer shows it was mistyped, and a
        // header changed at TOS's high bits would fit the checksum as well: several single
        // changes fit, so the digits stay as typed.
        let text: String = syn_ack()
            .lines()
            .map(|l| match l.find("  ") {
                Some(at) if l.starts_with("\t0x") => {
                    format!(
                        "{}{}",
                        &l[..at + 2],
                        l[at + 2..].split("  ").next().unwrap_or("")
                    )
                }
                _ => l.to_string(),
            })
            .collect::<Vec<_>>()
            .join("\n")
            .replace("tos 0x0, ", "");
        let mut p = first(&text);
        let before = p.bytes.clone();
        let (done, unproven) = prove(&mut p, LinkType::Raw);
        assert!(done.is_empty(), "{done:?}");
        assert_eq!(unproven.len(), 1, "{unproven:?}");
        assert!(unproven[0].fits > 1, "{unproven:?}");
        assert_eq!(p.bytes, before);
    }

    #[test]
    fn a_terse_text_says_nothing_of_the_ip_checksum() {
        let text = syn_ack().replacen(
            "IP (tos 0x0, ttl 64, id 0, offset 0, flags [DF], proto TCP (6), length 60)\n    ",
            "IP ",
            1,
        );
        let mut p = first(&text);
        let (done, unproven) = prove(&mut p, LinkType::Raw);
        assert!(
            done.is_empty() && unproven.is_empty(),
            "{done:?} {unproven:?}"
        );
    }
}
