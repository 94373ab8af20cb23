//! `verify`: check every claim a tcpdump text makes about its packets against the packets' own
//! bytes (as read back by [`super::import`]).
//!
//! The header text of each packet is split into claims (`ip.ttl 64`, `tcp.seq 2228874053`,
//! `tcp.cksum 0x7e1e (correct)`...). The rebuilt bytes are printed by echolab's tcpdump 4.99.3
//! printer with `-nn -vv -S` (and without `-S`, for texts with relative sequence numbers) and that
//! text is split the same way; each claim must match its counterpart. The 4.1-era UDP verdict
//! `[bad udp cksum XXXX!]`, which 4.99 no longer prints, is checked on its own terms: in
//! `print-udp.c` at tcpdump-4.1.1, `udp_cksum()` returns `in_cksum()` over the pseudo-header and
//! the datagram, checksum field included: the one's-complement of their sum, zero for a correct
//! datagram. `in_cksum()` (`print-ip.c` at tcpdump-4.1.1) adds 16-bit words as the host loads
//! them, so on a little-endian host the value printed with `%x` is that result with its two
//! bytes swapped. The ASCII column is checked against the hex, and the import's damage (non-hex
//! digits, missing bytes) is reported with its line.
//!
//! Must not import `crate::echo`, `crate::cli`, clap, tokio or comfy-table.

pub mod digits;
mod flow;
mod transcript;

pub use transcript::{check_transcript, Payloads};

use super::claims::{is_old_udp_verdict, parse_claims, Claim};
use super::import::{self, ascii_of, row_len, TextPacket, Trace};
use super::print::{PrintOptions, Printer};
use super::record::{LinkType, Record, Timestamp};
use super::repair::{layout, repair, Layout};
use super::wire::checksum;

/// What a finding is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The text was damaged when it was copied (hex digits, ASCII column, lost digits).
    Damage,
    /// A claim of the text that the bytes contradict.
    Disagree,
    /// A claim that holds, worth saying (checksum verdicts).
    Holds,
    /// An observation on the trace as a whole (sequence gaps, time order): no verdict.
    Note,
    /// Text echolab cannot check: a protocol its printer does not decode. No verdict.
    NotChecked,
    /// Transcription damage of the mildest kind: an ASCII column that lost only `.`
    /// characters. Counts as damage; a report may gather these into one line.
    DotsLost,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub kind: Kind,
    pub text: String,
    /// The claim of the text it judges (`tcp.cksum`, `ip.bad-cksum`), when it judges one.
    pub claim: Option<String>,
}

/// The verification of one packet.
#[derive(Debug, Clone)]
pub struct PacketReport {
    /// The number of claims of the header text compared with the bytes.
    pub checked: usize,
    pub line: usize,
    pub time: String,
    pub summary: String,
    pub findings: Vec<Finding>,
}

/// A packet's verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Verdict {
    /// Every claim checked holds and the text is undamaged.
    Holds,
    /// Only transcription damage: no claim fails.
    Damaged,
    /// A claim the bytes contradict.
    Fails,
    /// No claim could be checked: the text is of a protocol echolab does not decode.
    NotChecked,
}

impl Verdict {
    /// The word the report prints.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Holds => "holds",
            Verdict::Damaged => "damaged",
            Verdict::Fails => "fails",
            Verdict::NotChecked => "not checked",
        }
    }
}

impl std::fmt::Display for Verdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PacketReport {
    /// [`Verdict::Fails`] on any disagreement, else [`Verdict::Damaged`] on any damage.
    pub fn verdict(&self) -> Verdict {
        if self.findings.iter().any(|f| f.kind == Kind::Disagree) {
            Verdict::Fails
        } else if self
            .findings
            .iter()
            .any(|f| matches!(f.kind, Kind::Damage | Kind::DotsLost))
        {
            Verdict::Damaged
        } else if self.checked == 0 && self.findings.iter().any(|f| f.kind == Kind::NotChecked) {
            Verdict::NotChecked
        } else {
            Verdict::Holds
        }
    }
}

fn finding(kind: Kind, text: impl Into<String>) -> Finding {
    Finding {
        kind,
        text: text.into(),
        claim: None,
    }
}

/// Verify every packet of a trace held in memory (see [`Verifier`] for a stream).
pub fn verify(trace: &Trace) -> Vec<PacketReport> {
    let mut v = Verifier::new(trace.link);
    trace.packets.iter().map(|p| v.check(p).0).collect()
}

/// Verifies packets one at a time, in the trace's order: the printers' session state
/// (relative sequence numbers) and the cross-packet notes carry from one packet to the next.
pub struct Verifier {
    link: LinkType,
    abs: Printer,
    rel: Printer,
    flow: flow::Consistency,
}

impl Verifier {
    pub fn new(link: LinkType) -> Verifier {
        // With -X/-XX, as the text was made: tcpdump then leaves out the payload dumps of
        // protocols it does not decode. The dump itself is cut off before the text is compared.
        let xx = if link == LinkType::Ethernet { 2 } else { 1 };
        let opts = |s_abs| PrintOptions {
            n: 2,
            v: 2,
            s_abs,
            t: 1,
            xx,
            ..Default::default()
        };
        Verifier {
            link,
            abs: Printer::new(opts(1)),
            rel: Printer::new(opts(0)),
            flow: flow::Consistency::default(),
        }
    }

    /// Verify the next packet; also returns the packet with the bytes its text proves filled
    /// in (for [`Payloads`]).
    pub fn check(&mut self, p: &TextPacket) -> (PacketReport, TextPacket) {
        let mut fixed = p.clone();
        let repairs = repair(&mut fixed, self.link);
        let mut r = verify_packet(p, &fixed, &repairs, self.link, &mut self.abs, &mut self.rel);
        r.findings.extend(self.flow.notes(&fixed, self.link));
        (r, fixed)
    }
}

fn verify_packet(
    p: &TextPacket,
    fixed: &TextPacket,
    repairs: &[super::repair::Repair],
    link: LinkType,
    abs: &mut Printer,
    rel: &mut Printer,
) -> PacketReport {
    let mut findings: Vec<Finding> = p
        .damage
        .iter()
        .map(|d| finding(Kind::Damage, d.to_string()))
        .collect();
    for r in repairs {
        findings.push(finding(
            Kind::Damage,
            format!("{r}; verified with that value"),
        ));
    }
    let unknown: Vec<usize> = (0..fixed.bytes.len())
        .filter(|i| fixed.bytes.get(*i).is_some_and(Option::is_none))
        .collect();
    if let (Some(first), Some(last)) = (unknown.first(), unknown.last()) {
        findings.push(finding(
            Kind::Damage,
            format!(
                "{} unreadable byte(s) in 0x{first:04x}-0x{last:04x}, not proven: claims that depend on them are not checked",
                unknown.len()
            ),
        ));
    }
    findings.extend(check_ascii(fixed));
    let printed = Printed::new(fixed, link, abs, rel);
    let (mut checked, count) = check_claims(p, fixed, &printed, link);
    if repairs.iter().any(|r| r.proof.contains("checksum claim")) {
        // The claim that proved a byte holds with it by construction: say so.
        for f in checked.iter_mut().filter(|f| f.kind == Kind::Holds) {
            let independent = if f.text.contains("pseudo-header's sum") {
                "; that the field equals the pseudo-header's sum does not depend on it"
            } else {
                ""
            };
            f.text.push_str(&format!(
                " (the repaired byte was derived from this claim, so the claim holds by \
                 construction{independent})"
            ));
        }
    }
    findings.extend(checked);
    PacketReport {
        checked: count,
        line: p.line,
        time: p.time.clone(),
        summary: summary(&printed.abs),
        findings,
    }
}

/// What echolab's printer says of a packet's bytes.
struct Printed {
    /// The text with absolute and relative sequence numbers, unknown bytes set to 0x00.
    text_abs: String,
    text_rel: String,
    abs: Vec<Claim>,
    rel: Vec<Claim>,
    /// The claims with unknown bytes set to 0x55, 0xaa and 0xff (empty when none is unknown).
    variants: Vec<Vec<Claim>>,
}

impl Printed {
    fn new(fixed: &TextPacket, link: LinkType, abs: &mut Printer, rel: &mut Printer) -> Printed {
        let len = u32::try_from(import::wire_len(fixed)).unwrap_or(u32::MAX);
        let filled =
            |fill: u8| -> Vec<u8> { fixed.bytes.iter().map(|b| b.unwrap_or(fill)).collect() };
        let print = |printer: &mut Printer, data: &[u8]| {
            let rec = Record {
                ts: Timestamp::default(),
                len,
                link,
                data,
            };
            let mut t = String::new();
            printer.print(&rec, &mut t);
            without_dump(&t)
        };
        let data = filled(0);
        let (text_abs, text_rel) = (print(abs, &data), print(rel, &data));
        // Unknown bytes: a claim is checked only when it prints the same whatever they hold
        // (each variant through a printer of its own, so the session state is not disturbed).
        let variants = if fixed.complete() {
            Vec::new()
        } else {
            [0x55u8, 0xaa, 0xff]
                .iter()
                .map(|f| {
                    let mut printer = Printer::new(abs.options().clone());
                    parse_claims(&print(&mut printer, &filled(*f)))
                })
                .collect()
        };
        Printed {
            abs: parse_claims(&text_abs),
            rel: parse_claims(&text_rel),
            text_abs,
            text_rel,
            variants,
        }
    }

    /// Whether the claim `key` prints differently with different values of the unknown bytes.
    fn depends(&self, key: &str) -> bool {
        let value = |set: &[Claim]| set.iter().find(|g| g.key == key).map(|g| g.value.clone());
        let v0 = value(&self.abs);
        self.variants.iter().any(|set| value(set) != v0)
    }
}

/// Every claim of the packet's header text against what its bytes print.
fn check_claims(
    p: &TextPacket,
    fixed: &TextPacket,
    printed: &Printed,
    link: LinkType,
) -> (Vec<Finding>, usize) {
    let mut findings = Vec::new();
    let mut count = 0;
    let claims = parse_claims(&p.header);
    if claims.is_empty() {
        // Not an IP header line tcpdump-style claims can be split from (truncated headers,
        // other protocols): the whole text must be what the bytes print.
        let norm = |t: &str| t.split_whitespace().collect::<Vec<_>>().join(" ");
        let want = norm(&p.header);
        if !fixed.complete() {
            findings.push(finding(
                Kind::Damage,
                format!("`{want}` not checked: the packet has unreadable bytes"),
            ));
        } else if want != norm(&printed.text_abs)
            && want != norm(&printed.text_rel)
            && !decoded(&want)
        {
            findings.push(finding(
                Kind::NotChecked,
                format!(
                    "`{want}`: echolab does not decode `{}`",
                    protocol_word(&want)
                ),
            ));
        } else {
            count += 1;
            if want != norm(&printed.text_abs) && want != norm(&printed.text_rel) {
                findings.push(finding(
                    Kind::Disagree,
                    format!(
                        "text says `{want}`, the bytes print `{}`",
                        norm(&printed.text_abs)
                    ),
                ));
            }
        }
    }
    for c in &claims {
        if c.key.ends_with("payload") && !printed.abs.iter().any(|g| g.key == c.key) {
            let below = if c.key == "tcp.payload" { "TCP" } else { "IP" };
            findings.push(finding(
                Kind::NotChecked,
                format!(
                    "`{}`: echolab does not decode the protocol above {below} here",
                    c.value
                ),
            ));
            continue;
        }
        if printed.depends(&c.key) && !(c.key == "udp.cksum" && is_old_udp_verdict(&c.value)) {
            findings.push(finding(
                Kind::Damage,
                format!(
                    "{} {}: not checked, it depends on unreadable bytes",
                    c.key, c.value
                ),
            ));
            continue;
        }
        count += 1;
        if let Some(mut f) = check_claim(c, &printed.abs, &printed.rel, fixed, link) {
            f.claim = Some(c.key.clone());
            findings.push(f);
        }
    }
    for g in &printed.abs {
        if g.key.ends_with(".bad-cksum")
            && !printed.depends(&g.key)
            && !claims.iter().any(|c| c.key == g.key)
        {
            let mut f = finding(
                Kind::Disagree,
                format!(
                    "the IP header checksum is wrong ({}) and the text does not say so",
                    g.value
                ),
            );
            f.claim = Some(g.key.clone());
            findings.push(f);
        }
    }
    (findings, count)
}

/// The protocols whose text starts a packet's line other than with `IP`/`IP6` claims, that
/// echolab's printer decodes: a text naming another one (STP, LLDP, CDP...) is not checked
/// when the bytes print otherwise.
const DECODED: &[&str] = &["ARP", "RARP", "IP", "IP6", "vlan"];

/// The first word of a packet's text, its protocol (`STP`, `LLDP`, `ARP`).
fn protocol_word(text: &str) -> &str {
    text.split([' ', ',']).next().unwrap_or("")
}

fn decoded(text: &str) -> bool {
    DECODED.contains(&protocol_word(text))
}

/// A printed packet without its own hex dump: the last dump from `\t0x0000:` (an earlier one is
/// a payload dump that is part of the packet's text).
fn without_dump(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let end = lines
        .iter()
        .rposition(|l| l.starts_with("\t0x0000:"))
        .unwrap_or(lines.len());
    lines[..end].join("\n")
}

fn summary(got: &[Claim]) -> String {
    let get = |k: &str| {
        got.iter()
            .find(|c| c.key == k)
            .map_or("?", |c| c.value.as_str())
    };
    if got.iter().any(|c| c.key == "tcp.flags") {
        format!(
            "{} > {} TCP {} length {}",
            get("src"),
            get("dst"),
            get("tcp.flags"),
            get("tcp.length")
        )
    } else if got.iter().any(|c| c.key == "udp.length") {
        format!(
            "{} > {} UDP length {}",
            get("src"),
            get("dst"),
            get("udp.length")
        )
    } else {
        format!("{} > {}", get("src"), get("dst"))
    }
}

fn check_claim(
    c: &Claim,
    abs: &[Claim],
    rel: &[Claim],
    p: &TextPacket,
    link: LinkType,
) -> Option<Finding> {
    if c.key == "udp.cksum" && is_old_udp_verdict(&c.value) {
        return Some(check_old_udp(&c.value, p, link));
    }
    let find = |set: &[Claim]| set.iter().find(|g| g.key == c.key).map(|g| g.value.clone());
    let Some(got) = find(abs) else {
        return Some(finding(
            Kind::Disagree,
            format!(
                "text claims `{} {}`; the bytes show no such field",
                c.key, c.value
            ),
        ));
    };
    if got == c.value {
        if c.key.ends_with("cksum") && c.value.contains("incorrect") {
            return Some(finding(
                Kind::Holds,
                format!(
                    "{} {}: the bytes carry that wrong checksum{}",
                    c.key,
                    c.value,
                    offload_note(p, link)
                ),
            ));
        }
        return None;
    }
    if (c.key == "tcp.seq" || c.key == "tcp.ack") && find(rel).as_deref() == Some(&c.value) {
        return None;
    }
    if c.key.ends_with("cksum") && c.key != "udp.cksum" {
        return Some(cksum_mismatch(&c.key, &c.value, &got));
    }
    let lost = is_subsequence(&c.value, &got) && c.value.len() < got.len();
    let kind = if lost { Kind::Damage } else { Kind::Disagree };
    let why = if lost {
        " (characters lost in transcription)"
    } else {
        ""
    };
    Some(finding(
        kind,
        format!(
            "{}: text says `{}`, the bytes give `{}`{why}",
            c.key, c.value, got
        ),
    ))
}

/// A TCP checksum claim the bytes contradict, explained digit by digit.
fn cksum_mismatch(key: &str, claimed: &str, got: &str) -> Finding {
    let field = |v: &str| {
        v.split(' ')
            .next()
            .unwrap_or("")
            .trim_start_matches("0x")
            .to_string()
    };
    let should = |v: &str| {
        v.split("-> 0x")
            .nth(1)
            .map(|r| r.trim_end_matches(')').to_string())
    };
    let (cf, gf) = (field(claimed), field(got));
    let verdict = |v: &str| v.split_once(' ').map(|(_, r)| r.to_string());
    if verdict(claimed) == verdict(got) && cf.len() < gf.len() && is_subsequence(&cf, &gf) {
        // The same verdict on a field that lost digits: damage, not a failed claim.
        return finding(
            Kind::Damage,
            format!(
                "{key}: text says `{claimed}`, the bytes give `{got}` (digits lost in transcription)"
            ),
        );
    }
    let mut why = Vec::new();
    if cf.len() != 4 {
        why.push(format!(
            "the text's field `0x{cf}` has {} digits where tcpdump prints 4 (digits lost in transcription)",
            cf.len()
        ));
    }
    if claimed.ends_with("(correct)") {
        if let Some(s) = should(got) {
            let diff = s.chars().zip(gf.chars()).filter(|(a, b)| a != b).count();
            why.push(format!(
                "the hex holds 0x{gf}; with every other byte as shown only 0x{s} is correct, \
                 {diff} digit(s) away from the hex{}",
                if is_subsequence(&cf, &s) {
                    format!(", and the text's `{cf}` fits 0x{s}")
                } else {
                    String::new()
                }
            ));
        }
    }
    finding(
        Kind::Disagree,
        format!(
            "{key}: text says `{claimed}`, the bytes give `{got}`{}",
            if why.is_empty() {
                String::new()
            } else {
                format!(": {}", why.join("; "))
            }
        ),
    )
}

fn is_subsequence(short: &str, long: &str) -> bool {
    let mut it = long.chars();
    short.chars().all(|c| it.any(|d| d == c))
}

/// The in_cksum result over pseudo-header and datagram (zero when the checksum is correct), and
/// the value the field should have held, when every byte is known.
fn transport_sums(bytes: &[Option<u8>], lay: &Layout, field: usize) -> Option<(u16, u16)> {
    let seg: Vec<u8> = bytes
        .get(lay.start..lay.end)?
        .iter()
        .copied()
        .collect::<Option<_>>()?;
    let len = u32::try_from(seg.len()).ok()?;
    let ph = checksum::pseudo_header_sum(lay.src, lay.dst, lay.proto, len);
    let result = checksum::finish(checksum::sum(ph, &seg));
    let mut zeroed = seg.clone();
    if let Some(w) = zeroed.get_mut(field..field + 2) {
        w.copy_from_slice(&[0, 0]);
    }
    let should = checksum::finish(checksum::sum(ph, &zeroed));
    Some((result, should))
}

/// `; the field holds the pseudo-header's sum 0x...` when it does: what Linux leaves in a
/// loopback segment whose checksum is offloaded (the segment's words not yet added).
fn offload_note(p: &TextPacket, link: LinkType) -> String {
    let Some(lay) = layout(&p.bytes, link) else {
        return String::new();
    };
    let at = lay.start + if lay.proto == 6 { 16 } else { 6 };
    let (Some(Some(hi)), Some(Some(lo))) = (p.bytes.get(at), p.bytes.get(at + 1)) else {
        return String::new();
    };
    let len = u32::try_from(lay.end.saturating_sub(lay.start)).unwrap_or(0);
    let ph = !checksum::finish(checksum::pseudo_header_sum(
        lay.src, lay.dst, lay.proto, len,
    ));
    if u16::from_be_bytes([*hi, *lo]) == ph {
        format!(
            "; the field holds the pseudo-header's sum 0x{ph:04x}, as Linux leaves it for checksum offload"
        )
    } else {
        String::new()
    }
}

fn check_old_udp(value: &str, p: &TextPacket, link: LinkType) -> Finding {
    let n = value
        .trim_start_matches("[bad udp cksum ")
        .trim_end_matches("!]");
    let claimed = u16::from_str_radix(n, 16).unwrap_or(0);
    let sums = layout(&p.bytes, link).and_then(|lay| transport_sums(&p.bytes, &lay, 6));
    let Some((result, should)) = sums else {
        return finding(
            Kind::Damage,
            format!("{value}: cannot be checked, the datagram's bytes are not all readable"),
        );
    };
    if result == 0 {
        return finding(
            Kind::Disagree,
            format!("{value}: the datagram's checksum is correct (in_cksum gives 0)"),
        );
    }
    if claimed == result.swap_bytes() {
        finding(
            Kind::Holds,
            format!(
                "{value}: holds; in_cksum over pseudo-header and datagram gives 0x{result:04x}, \
                 printed by tcpdump 4.1 on a little-endian host as {claimed:x}; the field should be 0x{should:04x}{}",
                offload_note(p, link)
            ),
        )
    } else if claimed == result {
        finding(
            Kind::Holds,
            format!(
                "{value}: holds if the capturing host was big-endian (in_cksum gives 0x{result:04x}); \
                 the field should be 0x{should:04x}"
            ),
        )
    } else {
        finding(
            Kind::Disagree,
            format!(
                "{value}: in_cksum over pseudo-header and datagram gives 0x{result:04x} \
                 (tcpdump 4.1 on a little-endian host prints {:x})",
                result.swap_bytes()
            ),
        )
    }
}

fn check_ascii(p: &TextPacket) -> Vec<Finding> {
    let mut out = Vec::new();
    for row in &p.rows {
        if row.ascii.is_empty() {
            continue;
        }
        let n = row_len(row, p.bytes.len());
        let want: String = (0..n)
            .map(|k| {
                p.bytes
                    .get(row.offset + k)
                    .copied()
                    .flatten()
                    .map_or('?', ascii_of)
            })
            .collect();
        if want.contains('?') || want == row.ascii {
            continue;
        }
        let strip = |s: &str| s.replace('.', "");
        let shown: Vec<char> = row.ascii.chars().collect();
        let how = if shown.len() == n {
            // One character per byte: name each byte the column contradicts.
            let diffs: Vec<String> = want
                .chars()
                .zip(&shown)
                .enumerate()
                .filter(|(_, (w, s))| w != *s)
                .map(|(k, (w, s))| {
                    let b = p.bytes.get(row.offset + k).copied().flatten().unwrap_or(0);
                    format!(
                        "byte 0x{:04x} is {b:02x} (`{w}`), the column shows `{s}`",
                        row.offset + k
                    )
                })
                .collect();
            diffs.join("; ")
        } else if strip(&want) == strip(&row.ascii) {
            out.push(finding(
                Kind::DotsLost,
                format!(
                    "line {}: ASCII column `{}` differs from the bytes' `{}`: only '.' characters lost ({} shown, {} in the bytes)",
                    row.line,
                    row.ascii,
                    want,
                    row.ascii.chars().count(),
                    n
                ),
            ));
            continue;
        } else {
            "printable characters differ".to_string()
        };
        out.push(finding(
            Kind::Damage,
            format!(
                "line {}: ASCII column `{}` differs from the bytes' `{}`: {how}",
                row.line, row.ascii, want
            ),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capture::import::parse;

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
                let _ = verify(&t);
                for p in &mut t.packets {
                    let _ = crate::capture::repair::repair(p, link);
                }
                let mut out = Vec::new();
                let _ = crate::capture::import::write_pcap(&t, 0, &mut out);
            }
        }
    }
}
