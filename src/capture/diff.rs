//! The wire-behaviour comparison of two captures (`echolab diff`): conversations are paired
//! by transport and order, then what an echo session determines is compared — handshake
//! and teardown flags, every data segment or datagram with its direction, size and bytes, the
//! port a UDP echo goes back to — and what legitimately changes between runs is ignored:
//! ephemeral ports, initial sequence numbers, IP ids, timestamps and TCP option values,
//! windows, pure ACKs.
//!
//! A capture that holds no handshake (no SYN) of a TCP conversation started after it, and one
//! that holds no teardown (no FIN, no RST) ended before it (traces cut out of a report,
//! a live capture stopped early): that step is then not compared, and the report carries a
//! note saying so instead of a divergence. A teardown begun but not finished (one FIN) is
//! compared.
//!
//! Pure functions over `Flows`; the result is a report struct that the command line draws.
//! Must not import `crate::echo`, `crate::cli`, clap, tokio or comfy-table.

use super::flows::{self, data_packets, flag, flags_text, show_bytes, Conversation, Dir, Flows};
use super::flows::{Packet, Transport};

/// One line of the side-by-side comparison.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// What is compared: `handshake`, `segment 4`, `teardown`...
    pub step: String,
    /// The reference's side (empty when it has nothing there).
    pub reference: String,
    /// The other capture's side.
    pub candidate: String,
    /// Whether the two sides are equivalent (false also for a step not compared).
    pub same: bool,
    /// Why the step was not compared (one capture does not reach it); such a row is no
    /// divergence.
    pub note: Option<String>,
    /// A run of identical steps folded at comparison time (`Some((last step, count))`, the
    /// count two or more): only in a report of over [`FULL_ROWS`] rows, which is drawn
    /// compact anyway, so a capture of a million packets never holds a row per packet.
    pub run: Option<(String, usize)>,
}

impl Row {
    /// How many steps the row stands for.
    pub fn steps(&self) -> usize {
        self.run.as_ref().map_or(1, |r| r.1)
    }

    /// The last step the row stands for.
    pub fn last_step(&self) -> &str {
        self.run
            .as_ref()
            .map_or(self.step.as_str(), |r| r.0.as_str())
    }
}

/// Above this many rows in all, a report is drawn compact: each run of identical steps is
/// one row (`segment 4 … segment 999`, `996 identical steps`). The tables of a lab session
/// (tens of rows) are drawn whole; a capture of a million packets would otherwise be a table
/// of as many rows, slow to draw and useless to read.
pub const FULL_ROWS: usize = 2_000;

/// The comparison of one pair of conversations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// `TCP conversation 1: 127.0.0.1:46096 > 127.0.0.1:4002 | ...`.
    pub title: String,
    pub rows: Vec<Row>,
}

/// Where the captures first differ, and why, in plain words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Divergence {
    /// Index into `Report::sections`.
    pub section: usize,
    /// Index into that section's rows.
    pub row: usize,
    pub reason: String,
}

/// The whole comparison.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    pub sections: Vec<Section>,
    /// The first divergence, `None` when the captures are equivalent.
    pub first: Option<Divergence>,
    /// Steps not compared, each with its conversation and why (`TCP conversation 1: this
    /// capture ends before teardown: teardown not compared`).
    pub notes: Vec<String>,
}

impl Report {
    pub fn equivalent(&self) -> bool {
        self.first.is_none()
    }

    fn push(&mut self, section: Section, reason: Option<(usize, String)>) {
        let name = section
            .title
            .split(':')
            .next()
            .unwrap_or_default()
            .to_string();
        for row in &section.rows {
            if let Some(note) = &row.note {
                self.notes.push(format!("{name}: {note}"));
            }
        }
        if self.first.is_none() {
            if let Some((row, reason)) = reason {
                self.first = Some(Divergence {
                    section: self.sections.len(),
                    row,
                    reason,
                });
            }
        }
        self.sections.push(section);
    }
}

/// What a comparison looks at.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Options {
    /// Compare the shape of the exchange, not the bytes: each data packet's direction (and
    /// the port a UDP echo goes to), how many there are, and how requests pair with whole
    /// echoes; what was typed, and so each packet's size, is not compared.
    pub ignore_payload: bool,
}

/// Compare `candidate` with `reference`: the i-th TCP (UDP) conversation of one with the
/// i-th TCP (UDP) conversation of the other.
pub fn compare(reference: &Flows, candidate: &Flows) -> Report {
    compare_with(reference, candidate, Options::default())
}

/// [`compare`] with `options`.
pub fn compare_with(reference: &Flows, candidate: &Flows, options: Options) -> Report {
    let mut report = Report::default();
    // The pairs, each with the places of its data packets, and the rows they make: a report
    // of over FULL_ROWS rows has its runs of identical steps folded as they are compared.
    let mut pairs = Vec::new();
    let mut rows = 0;
    for t in [Transport::Tcp, Transport::Udp] {
        let refs: Vec<&Conversation> = reference.of(t).collect();
        let cands: Vec<&Conversation> = candidate.of(t).collect();
        for i in 0..refs.len().max(cands.len()) {
            let (r, c) = (refs.get(i).copied(), cands.get(i).copied());
            let places = match (r, c) {
                (Some(r), Some(c)) => {
                    let p = (flows::data_places(r), flows::data_places(c));
                    rows += p.0.len().max(p.1.len()) + 1 + 2 * usize::from(t == Transport::Tcp);
                    Some(p)
                }
                _ => {
                    rows += 1;
                    None
                }
            };
            pairs.push((i + 1, t, r, c, places));
        }
    }
    let compact = rows > FULL_ROWS;
    for (n, t, r, c, places) in pairs {
        let (section, reason) = match (r, c, places) {
            (Some(r), Some(c), Some(p)) => compare_conversation(n, r, c, &p, compact, options),
            (r, c, _) => lone_conversation(n, t, r, c),
        };
        report.push(section, reason);
    }
    if report.sections.is_empty() {
        let section = Section {
            title: "no TCP or UDP conversation in either capture".to_string(),
            rows: Vec::new(),
        };
        report.sections.push(section);
    }
    report
}

fn endpoints(c: &Conversation) -> String {
    format!("{} > {}", c.client, c.server)
}

fn proto_name(t: Transport) -> &'static str {
    match t {
        Transport::Tcp => "TCP",
        Transport::Udp => "UDP",
    }
}

/// A conversation only one capture has.
fn lone_conversation(
    n: usize,
    t: Transport,
    r: Option<&Conversation>,
    c: Option<&Conversation>,
) -> (Section, Option<(usize, String)>) {
    let side = |x: Option<&Conversation>| {
        x.map(|c| format!("{} ({} packets)", endpoints(c), c.packets.len()))
            .unwrap_or_default()
    };
    let proto = proto_name(t);
    let reason = match c {
        Some(c) => format!(
            "{proto} conversation {n} ({}) is not in the reference",
            endpoints(c)
        ),
        None => format!("{proto} conversation {n} of the reference is missing from this capture"),
    };
    let section = Section {
        title: format!("{proto} conversation {n}"),
        rows: vec![Row {
            step: "conversation".to_string(),
            reference: side(r),
            candidate: side(c),
            same: false,
            note: None,
            run: None,
        }],
    };
    (section, Some((0, reason)))
}

fn compare_conversation(
    n: usize,
    r: &Conversation,
    c: &Conversation,
    places: &(Vec<usize>, Vec<usize>),
    compact: bool,
    options: Options,
) -> (Section, Option<(usize, String)>) {
    let mut rows = Vec::new();
    let mut reason = None;
    let mut note = |rows: &mut Vec<Row>, row: Row, why: Option<String>| {
        if reason.is_none() && !row.same && row.note.is_none() {
            reason = Some((rows.len(), why.unwrap_or_default()));
        }
        rows.push(row);
    };
    if r.transport == Transport::Tcp {
        let (row, why) = flag_row(Step::Handshake, r, c);
        note(&mut rows, row, why);
    }
    for (row, why) in data_rows(r, c, places, compact, options) {
        note(&mut rows, row, why);
    }
    let (row, why) = echo_row(r, c);
    note(&mut rows, row, why);
    if r.transport == Transport::Tcp {
        let (row, why) = flag_row(Step::Teardown, r, c);
        note(&mut rows, row, why);
    }
    let proto = proto_name(r.transport);
    let title = format!(
        "{proto} conversation {n}: reference {} | this capture {}",
        endpoints(r),
        endpoints(c)
    );
    (Section { title, rows }, reason)
}

/// The flags of the packets carrying any of `bits`, with who sent them: `client S, server S.`.
fn flag_sequence(c: &Conversation, bits: u8) -> String {
    let mask = flag::SYN | flag::FIN | flag::RST | flag::ACK;
    let parts: Vec<String> = c
        .packets
        .iter()
        .filter(|p| p.flags & bits != 0)
        .map(|p| format!("{} {}", p.dir.name(), flags_text(p.flags & mask)))
        .collect();
    if parts.is_empty() {
        "none".to_string()
    } else {
        parts.join(", ")
    }
}

/// The TCP steps compared by their flags.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Handshake,
    Teardown,
}

impl Step {
    fn name(self) -> &'static str {
        match self {
            Step::Handshake => "handshake",
            Step::Teardown => "teardown",
        }
    }

    fn bits(self) -> u8 {
        match self {
            Step::Handshake => flag::SYN,
            Step::Teardown => flag::FIN | flag::RST,
        }
    }

    /// Why the step is not compared when `whose` capture holds none of it.
    fn not_reached(self, whose: &str) -> String {
        match self {
            Step::Handshake => {
                format!("{whose} starts after the handshake: handshake not compared")
            }
            Step::Teardown => format!("{whose} ends before teardown: teardown not compared"),
        }
    }
}

/// A handshake or teardown row. A capture with none of the step's flags in a conversation
/// does not reach that step (a TCP connection always opens with a SYN; one with neither FIN
/// nor RST was still open when the capture ended), so the step is noted as not compared
/// rather than counted as a divergence.
fn flag_row(step: Step, r: &Conversation, c: &Conversation) -> (Row, Option<String>) {
    let (a, b) = (flag_sequence(r, step.bits()), flag_sequence(c, step.bits()));
    let same = a == b;
    let note = match (a.as_str(), b.as_str()) {
        _ if same => None,
        ("none", _) => Some(step.not_reached("the reference capture")),
        (_, "none") => Some(step.not_reached("this capture")),
        _ => None,
    };
    let name = step.name();
    let why = (!same && note.is_none())
        .then(|| format!("{name}: this capture has {b}, reference has {a}"));
    let row = Row {
        step: name.to_string(),
        reference: a,
        candidate: b,
        same,
        note,
        run: None,
    };
    (row, why)
}

/// How requests pair with echoes: `3 requests, 3 echoed whole`.
fn echo_pairing(c: &Conversation) -> (usize, usize) {
    let e = flows::echoes(c);
    (e.len(), e.iter().filter(|e| e.complete).count())
}

fn echo_row(r: &Conversation, c: &Conversation) -> (Row, Option<String>) {
    let text =
        |(n, whole): (usize, usize)| format!("{}, {whole} echoed whole", plural(n, "request"));
    let (a, b) = (echo_pairing(r), echo_pairing(c));
    let same = a == b;
    let why = (!same).then(|| {
        format!(
            "echoes: this capture has {}, reference has {}",
            text(b),
            text(a)
        )
    });
    let row = Row {
        step: "echoes".to_string(),
        reference: text(a),
        candidate: text(b),
        same,
        note: None,
        run: None,
    };
    (row, why)
}

/// A data packet in a table cell: `client 13 B "HELLO MASTER\n" (#4)`.
fn cell(p: Option<&Packet>) -> String {
    let Some(p) = p else {
        return String::new();
    };
    let to = p
        .misdirected_to
        .map(|port| format!(" to port {port}"))
        .unwrap_or_default();
    format!(
        "{} {} B {}{to} (#{})",
        p.dir.name(),
        p.payload.len(),
        show_bytes(&p.payload),
        p.index + 1
    )
}

fn same_packet(a: &Packet, b: &Packet, options: Options) -> bool {
    a.dir == b.dir
        && (options.ignore_payload || a.payload == b.payload)
        && a.misdirected_to == b.misdirected_to
}

/// The packets of `c` at `places`.
fn at_places<'a>(c: &'a Conversation, places: &[usize]) -> Vec<&'a Packet> {
    places.iter().filter_map(|&at| c.packets.get(at)).collect()
}

fn data_rows(
    r: &Conversation,
    c: &Conversation,
    (rp, cp): &(Vec<usize>, Vec<usize>),
    compact: bool,
    options: Options,
) -> Vec<(Row, Option<String>)> {
    let (rd, cd) = (at_places(r, rp), at_places(c, cp));
    let unit = r.transport.unit();
    // Numbered by the packet's place in its conversation, handshake included.
    let step = |i: usize| {
        let n = match (cp.get(i), rp.get(i)) {
            (Some(b), _) => b + 1,
            (None, Some(a)) => a + 1,
            (None, None) => 0,
        };
        format!("{unit} {n}")
    };
    let full = |i: usize, same: bool| {
        let (a, b) = (rd.get(i).copied(), cd.get(i).copied());
        let step = step(i);
        let why = (!same).then(|| {
            let text = match (rd.get(i), cd.get(i)) {
                // Only the port a UDP echo went to tells two such packets apart.
                (Some(a), Some(b)) if options.ignore_payload && a.dir == b.dir => {
                    misdirection(a, b)
                }
                _ => explain(unit, &rd, &cd, i),
            };
            format!("{step}: {text}")
        });
        let row = Row {
            step,
            reference: cell(a),
            candidate: cell(b),
            same,
            note: None,
            run: None,
        };
        (row, why)
    };
    let mut out = Vec::new();
    // In a compact report, the run of identical steps being folded: where it started.
    let mut run: Option<usize> = None;
    let flush = |out: &mut Vec<(Row, Option<String>)>, run: &mut Option<usize>, end: usize| {
        match run.take() {
            Some(start) if end - start > 1 => {
                let row = Row {
                    step: step(start),
                    reference: String::new(),
                    candidate: String::new(),
                    same: true,
                    note: None,
                    run: Some((step(end - 1), end - start)),
                };
                out.push((row, None));
            }
            Some(start) => out.push(full(start, true)),
            None => {}
        }
    };
    let len = rd.len().max(cd.len());
    for i in 0..len {
        let (a, b) = (rd.get(i).copied(), cd.get(i).copied());
        let same = matches!((a, b), (Some(a), Some(b)) if same_packet(a, b, options));
        if compact && same {
            run.get_or_insert(i);
            continue;
        }
        flush(&mut out, &mut run, i);
        out.push(full(i, same));
    }
    flush(&mut out, &mut run, len);
    out
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// How many packets of `dir` from `at` on (the other side's in between skipped) carry `whole`
/// between them (0 if they do not).
fn spread(ps: &[&Packet], at: usize, dir: Dir, whole: &[u8]) -> usize {
    let mut got = Vec::new();
    let mine = ps.iter().skip(at).filter(|p| p.dir == dir);
    for (k, p) in mine.enumerate() {
        if !whole.starts_with(&got) {
            return 0;
        }
        got.extend_from_slice(&p.payload);
        if got.len() >= whole.len() {
            return if got == whole { k + 1 } else { 0 };
        }
    }
    0
}

/// The reason the i-th data packets differ, in plain words.
fn explain(unit: &str, rd: &[&Packet], cd: &[&Packet], i: usize) -> String {
    match (rd.get(i), cd.get(i)) {
        (Some(a), Some(b)) if a.dir != b.dir => crossed(a, b),
        (Some(a), Some(b)) => same_direction(unit, rd, cd, i, a, b),
        (a, b) => one_side(a.copied(), b.copied()),
    }
}

/// Sizes and bytes in words: `"HI\n" (3 bytes)`.
fn sized(p: &Packet) -> String {
    format!(
        "{} ({})",
        show_bytes(&p.payload),
        plural(p.payload.len(), "byte")
    )
}

/// One capture ends before the other.
fn one_side(a: Option<&Packet>, b: Option<&Packet>) -> String {
    match (a, b) {
        (Some(a), _) if a.dir == Dir::Server => format!(
            "missing echo: reference has the server echoing {}, this capture has nothing more",
            sized(a)
        ),
        (Some(a), _) => format!(
            "missing: reference has the client sending {}, this capture has nothing more",
            sized(a)
        ),
        (None, Some(b)) => format!(
            "extra: the {} sent {}, which the reference does not have",
            b.dir.name(),
            sized(b)
        ),
        (None, None) => String::new(),
    }
}

/// The captures have different sides talking at this point.
fn crossed(a: &Packet, b: &Packet) -> String {
    match a.dir {
        Dir::Server => format!(
            "missing echo: reference has the server echoing {} here, this capture has the \
             client sending {} instead",
            show_bytes(&a.payload),
            show_bytes(&b.payload)
        ),
        Dir::Client => format!(
            "the server sent {} where reference has the client sending {} (an extra or \
             unasked echo)",
            show_bytes(&b.payload),
            show_bytes(&a.payload)
        ),
    }
}

/// The same side sent different things (or the same bytes to another port).
fn same_direction(
    unit: &str,
    rd: &[&Packet],
    cd: &[&Packet],
    i: usize,
    a: &Packet,
    b: &Packet,
) -> String {
    let who = b.dir.name();
    if a.payload == b.payload {
        return misdirection(a, b);
    }
    if b.payload.starts_with(&a.payload) {
        return coalesced(unit, rd, i, a, b);
    }
    if a.payload.starts_with(&b.payload) {
        let k = spread(cd, i, b.dir, &a.payload);
        let parts = if k > 1 {
            plural(k, unit)
        } else {
            format!("pieces starting with {}", show_bytes(&b.payload))
        };
        return format!(
            "{who} sent {} in {parts}, reference sent it in one {unit}",
            sized(a)
        );
    }
    let mut text = format!("{who} sent {}, reference sent {}", sized(b), sized(a));
    if b.dir == Dir::Server {
        let request = cd.iter().take(i).rev().find(|p| p.dir == Dir::Client);
        if let Some(req) = request.filter(|q| q.payload != b.payload) {
            text.push_str(&format!(
                "; it is not the echo of the request {}",
                show_bytes(&req.payload)
            ));
        }
    }
    text
}

/// The same data sent to different ports.
fn misdirection(a: &Packet, b: &Packet) -> String {
    match (b.misdirected_to, a.misdirected_to) {
        (Some(port), _) => {
            format!("the server echoed to port {port}, not to the port the client sent from")
        }
        (None, Some(port)) => {
            format!("the server echoed to the client's port, reference echoed to port {port}")
        }
        (None, None) => String::new(),
    }
}

/// This capture has in one packet what the reference sent in several.
fn coalesced(unit: &str, rd: &[&Packet], i: usize, a: &Packet, b: &Packet) -> String {
    let k = spread(rd, i, a.dir, &b.payload);
    let mut ones = rd.iter().skip(i).filter(|p| p.dir == a.dir).take(k);
    let per = if k > 1 && ones.all(|p| p.payload.len() == 1) {
        format!("1 byte per {unit}")
    } else if k > 1 {
        format!("them in {}", plural(k, unit))
    } else {
        format!("{} first", plural(a.payload.len(), "byte"))
    };
    format!(
        "{} sent {} in one {unit}, reference sent {per}",
        b.dir.name(),
        plural(b.payload.len(), "byte")
    )
}

/// A conversation's figures, for a summary table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub transport: Transport,
    pub packets: usize,
    /// Payload bytes sent by the client and by the server.
    pub client_bytes: usize,
    pub server_bytes: usize,
    /// Round-trip time of each echo in nanoseconds, `None` for a request with no full echo.
    pub rtts_ns: Vec<Option<u64>>,
    /// IPv4 header checksums correct / incorrect.
    pub ip_checksums: (usize, usize),
    /// TCP or UDP checksums correct / incorrect (loopback leaves many to an offload that
    /// never happens, and tcpdump reports them incorrect).
    pub l4_checksums: (usize, usize),
}

/// Sum up one conversation.
pub fn summarize(c: &Conversation) -> Summary {
    let bytes = |dir| {
        data_packets(c)
            .iter()
            .filter(|p| p.dir == dir)
            .map(|p| p.payload.len())
            .sum()
    };
    let count = |f: fn(&Packet) -> Option<bool>| {
        let ok = c.packets.iter().filter(|p| f(p) == Some(true)).count();
        let bad = c.packets.iter().filter(|p| f(p) == Some(false)).count();
        (ok, bad)
    };
    Summary {
        transport: c.transport,
        packets: c.packets.len(),
        client_bytes: bytes(Dir::Client),
        server_bytes: bytes(Dir::Server),
        rtts_ns: flows::echoes(c)
            .iter()
            .map(|e| e.rtt_ns.filter(|_| e.complete))
            .collect(),
        ip_checksums: count(|p| p.ip_checksum_ok),
        l4_checksums: count(|p| p.l4_checksum_ok),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capture::record::Timestamp;
    use std::net::SocketAddr;

    fn pkt(index: usize, dir: Dir, flags: u8, payload: &[u8]) -> Packet {
        Packet {
            index,
            ts: Timestamp::default(),
            dir,
            flags,
            seq: index as u32 * 100,
            payload: payload.to_vec(),
            ip_checksum_ok: Some(true),
            l4_checksum_ok: Some(true),
            misdirected_to: None,
        }
    }

    fn tcp(port: u16, data: &[(Dir, &[u8])]) -> Flows {
        let mut packets = vec![
            pkt(0, Dir::Client, flag::SYN, b""),
            pkt(1, Dir::Server, flag::SYN | flag::ACK, b""),
            pkt(2, Dir::Client, flag::ACK, b""),
        ];
        for (d, b) in data {
            packets.push(pkt(packets.len(), *d, flag::PSH | flag::ACK, b));
        }
        packets.push(pkt(packets.len(), Dir::Client, flag::FIN | flag::ACK, b""));
        packets.push(pkt(packets.len(), Dir::Server, flag::FIN | flag::ACK, b""));
        let addr = |p| SocketAddr::from(([127, 0, 0, 1], p));
        Flows {
            conversations: vec![Conversation {
                transport: Transport::Tcp,
                client: addr(port),
                server: addr(4002),
                packets,
            }],
            other: 0,
        }
    }

    const C: Dir = Dir::Client;
    const S: Dir = Dir::Server;

    /// One line, `A`, sent and echoed.
    fn one_echo() -> Flows {
        tcp(1, &[(C, b"A\n"), (S, b"A\n")])
    }

    /// The notes of comparing `capture` with `reference`, which must be equivalent.
    fn equivalent_notes(reference: &Flows, capture: &Flows) -> Vec<String> {
        let r = compare(reference, capture);
        assert!(r.equivalent(), "{r:?}");
        r.notes
    }

    /// The reason of the first divergence of `capture` from `reference` (there must be one).
    fn first_reason(reference: &Flows, capture: &Flows) -> String {
        compare(reference, capture)
            .first
            .expect("a divergence")
            .reason
    }

    /// Requires the first divergence of `capture` from `reference` to name `part`.
    fn assert_first_reason_names(reference: &Flows, capture: &Flows, part: &str) {
        let reason = first_reason(reference, capture);
        assert!(reason.contains(part), "{reason}");
    }

    #[test]
    fn ports_and_sequence_numbers_do_not_matter() {
        let a = tcp(40000, &[(C, b"HI\n"), (S, b"HI\n")]);
        let b = tcp(50000, &[(C, b"HI\n"), (S, b"HI\n")]);
        assert!(compare(&a, &b).equivalent());
    }

    #[test]
    fn coalesced_bytes_are_named() {
        let a = tcp(1, &[(C, b"L"), (S, b"L"), (C, b"I"), (S, b"I")]);
        let b = tcp(1, &[(C, b"LI"), (S, b"LI")]);
        assert_eq!(
            first_reason(&a, &b),
            "segment 4: client sent 2 bytes in one segment, reference sent 1 byte per segment"
        );
    }

    #[test]
    fn split_line_is_named() {
        let a = tcp(1, &[(C, b"HELLO\n"), (S, b"HELLO\n")]);
        let b = tcp(1, &[(C, b"HEL"), (C, b"LO\n"), (S, b"HELLO\n")]);
        assert_first_reason_names(&a, &b, "in 2 segments, reference sent it in one segment");
    }

    #[test]
    fn missing_and_wrong_echoes_are_named() {
        let a = one_echo();
        let missing = tcp(1, &[(C, b"A\n")]);
        assert_first_reason_names(&a, &missing, "missing echo");
        let wrong = tcp(1, &[(C, b"A\n"), (S, b"B\n")]);
        assert_first_reason_names(&a, &wrong, "not the echo of the request");
    }

    #[test]
    fn teardown_flags_are_compared() {
        let a = one_echo();
        let mut b = a.clone();
        let last = b.conversations[0].packets.last_mut().unwrap();
        last.flags = flag::RST;
        assert_eq!(
            first_reason(&a, &b),
            "teardown: this capture has client F., server R, reference has client F., server F."
        );
    }

    /// A capture cut before the FINs (as the report's traces are), in either order: a note,
    /// not a divergence; the verdict still rests on everything else.
    #[test]
    fn a_capture_ending_before_teardown_is_a_note() {
        let a = one_echo();
        let mut cut = a.clone();
        cut.conversations[0].packets.truncate(5);
        assert_eq!(
            equivalent_notes(&a, &cut),
            ["TCP conversation 1: this capture ends before teardown: teardown not compared"]
        );
        assert_eq!(
            equivalent_notes(&cut, &a),
            [
                "TCP conversation 1: the reference capture ends before teardown: teardown not \
              compared"
            ]
        );
        // Data missing from the cut capture is still a divergence.
        let mut short = a.clone();
        short.conversations[0].packets.truncate(4);
        assert!(!compare(&a, &short).equivalent());
    }

    /// A teardown begun but not finished is compared: it may be a server that never closes.
    #[test]
    fn a_half_teardown_is_a_divergence() {
        let a = one_echo();
        let mut half = a.clone();
        half.conversations[0].packets.pop();
        let r = compare(&a, &half);
        assert!(r.notes.is_empty());
        assert_eq!(
            r.first.unwrap().reason,
            "teardown: this capture has client F., reference has client F., server F."
        );
    }

    #[test]
    fn a_capture_starting_after_the_handshake_is_a_note() {
        let a = one_echo();
        let mut late = a.clone();
        late.conversations[0].packets.drain(..3);
        assert_eq!(
            equivalent_notes(&a, &late),
            [
                "TCP conversation 1: this capture starts after the handshake: handshake not \
              compared"
            ]
        );
    }

    #[test]
    fn a_udp_echo_to_another_port_is_named() {
        let mut a = one_echo();
        a.conversations[0].transport = Transport::Udp;
        a.conversations[0].packets.retain(|p| p.is_data());
        let mut b = a.clone();
        b.conversations[0].packets[1].misdirected_to = Some(5);
        assert_eq!(
            first_reason(&a, &b),
            "datagram 2: the server echoed to port 5, not to the port the client sent from"
        );
    }

    /// Ethernet `frames`, each captured to at most `caplen` bytes, cut into conversations.
    fn conversations_of(frames: &[Vec<u8>], caplen: usize) -> Flows {
        use crate::capture::record::{LinkType, Record};
        flows::conversations(frames.iter().map(|f| Record {
            ts: Timestamp::default(),
            len: u32::try_from(f.len()).unwrap_or(0),
            link: LinkType::Ethernet,
            data: &f[..caplen.min(f.len())],
        }))
    }

    /// Random and damaged frames, every prefix of each: cutting and comparing never panics,
    /// and a capture is always equivalent to itself.
    #[test]
    fn random_and_damaged_captures_never_panic() {
        use crate::capture::synth;
        let mut r = synth::rng(5);
        let mut frames = Vec::new();
        for i in 0..300 {
            let p = synth::random_packet(&mut r);
            frames.push(if i % 2 == 0 {
                synth::mutate(&mut r, &p).0
            } else {
                p
            });
        }
        let cut = |n: usize| conversations_of(&frames, n);
        for n in [0, 14, 20, 34, 40, 54, 60, 74, 2000] {
            let a = cut(n);
            assert!(compare(&a, &a).equivalent(), "prefix {n}");
            let _ = compare(&a, &cut(2000));
            for c in &a.conversations {
                let _ = (summarize(c), flows::echoes(c));
            }
        }
    }

    /// Frames of `sessions` echo sessions of `lines` exchanges each, on client ports from
    /// 40000 on; with `echoes` false the server's data segments are left out (a server that
    /// never answers).
    fn echo_frames(sessions: u16, lines: u64, echoes: bool) -> Vec<Vec<u8>> {
        use crate::capture::synth;
        let mut frames = Vec::new();
        for k in 0..sessions {
            synth::echo_session(40000 + k, lines, |f| {
                // Ethernet (14) + IPv4 (20): the TCP source port, then the flags at 13.
                let server_data = f[34..36] == [0x0f, 0xa2] && f[47] & flag::PSH != 0;
                if echoes || !server_data {
                    frames.push(f.to_vec());
                }
            });
        }
        frames
    }

    /// CPU seconds to cut both captures into conversations and compare them.
    fn diff_seconds(reference: &[Vec<u8>], candidate: &[Vec<u8>]) -> f64 {
        let cut = |frames| conversations_of(frames, usize::MAX);
        let t = thread_cpu_seconds();
        let r = compare(&cut(reference), &cut(candidate));
        std::hint::black_box(r);
        thread_cpu_seconds() - t
    }

    /// The CPU time of this thread (Linux `schedstat`, nanoseconds on a CPU): unlike wall
    /// time it does not grow when other tests or programs share the machine.
    fn thread_cpu_seconds() -> f64 {
        let text = std::fs::read_to_string("/proc/thread-self/schedstat")
            .expect("/proc/thread-self/schedstat (Linux with schedstats)");
        let ns: u64 = text
            .split_whitespace()
            .next()
            .and_then(|w| w.parse().ok())
            .expect("schedstat's first field: nanoseconds on a CPU");
        ns as f64 / 1e9
    }

    /// Four times the input takes at most about four times as long to compare (six allowed
    /// for caches and noise; quadratic work, a search per packet, takes sixteen): one long
    /// conversation (against itself and against a server that never echoes) and many short
    /// ones. The best of three runs of each size, taken in turn, in CPU time.
    #[test]
    fn diff_time_grows_linearly() {
        type Make = fn(u16) -> (Vec<Vec<u8>>, Vec<Vec<u8>>);
        let cases: [(&str, Make); 3] = [
            ("one conversation", |n| {
                let f = echo_frames(1, u64::from(n) * 2000, true);
                (f.clone(), f)
            }),
            ("one conversation, no echoes", |n| {
                let lines = u64::from(n) * 2000;
                (echo_frames(1, lines, true), echo_frames(1, lines, false))
            }),
            ("many conversations", |n| {
                let f = echo_frames(n * 1500, 1, true);
                (f.clone(), f)
            }),
        ];
        for (name, make) in cases {
            let (r1, c1) = make(1);
            let (r4, c4) = make(4);
            let (mut t1, mut t4) = (f64::INFINITY, f64::INFINITY);
            for _ in 0..3 {
                t1 = t1.min(diff_seconds(&r1, &c1));
                t4 = t4.min(diff_seconds(&r4, &c4));
            }
            eprintln!(
                "{name}: {} frames {t1:.3}s, {} frames {t4:.3}s",
                r1.len(),
                r4.len()
            );
            assert!(
                t4 <= 6.0 * t1,
                "{name}: {t1:.3}s for {} frames but {t4:.3}s for {}",
                r1.len(),
                r4.len()
            );
        }
    }

    /// Other text typed, in as many requests each echoed whole: the same shape.
    #[test]
    fn ignore_payload_compares_the_shape_not_the_text() {
        let opts = Options {
            ignore_payload: true,
        };
        let a = tcp(1, &[(C, b"HELLO\n"), (S, b"HELLO\n")]);
        let b = tcp(1, &[(C, b"bye\n"), (S, b"bye\n")]);
        assert!(!compare(&a, &b).equivalent());
        assert!(compare_with(&a, &b, opts).equivalent());
        // A wrong echo is still a divergence: the request is not echoed whole.
        let wrong = tcp(1, &[(C, b"bye\n"), (S, b"bye")]);
        let r = compare_with(&a, &wrong, opts);
        assert_eq!(
            r.first.unwrap().reason,
            "echoes: this capture has 1 request, 0 echoed whole, reference has 1 request, 1 \
             echoed whole"
        );
        // So is a request split in two segments.
        let split = tcp(1, &[(C, b"by"), (C, b"e\n"), (S, b"bye\n")]);
        assert!(!compare_with(&a, &split, opts).equivalent());
    }

    #[test]
    fn a_missing_conversation_is_a_divergence() {
        let a = tcp(1, &[]);
        let r = compare(&a, &Flows::default());
        assert!(!r.equivalent());
        assert!(r
            .first
            .unwrap()
            .reason
            .contains("missing from this capture"));
    }
}
