//! The ladder (a sequence diagram) of a capture: one ladder per conversation, one column per
//! endpoint, one row per packet with its direction, its time since the capture's first
//! packet, a label in tcpdump's words (`[P.] seq 1:14 ack 1 len 13`), a payload preview and,
//! on the packet that completes an echo, the echo's round trip.
//!
//! [`Builder`] takes records one at a time, so a live capture draws each row as its packet
//! arrives; [`ladders`] does a whole file. `text` lays ladders out for a terminal, `svg` as
//! SVG and an HTML page.
//!
//! Round trips are paired as `capture::flows::echoes` pairs them (the tests hold the two to
//! the same answers), but as packets arrive: a TCP request is echoed once the server's
//! stream reaches the end of the request's bytes; a UDP request by the first datagram
//! carrying the same bytes before the client's next one; an ICMP echo request by the reply
//! with its identifier and sequence number.
//!
//! Must not import `crate::echo`, `crate::cli`, clap or tokio.

use std::collections::{HashMap, VecDeque};
use std::net::{IpAddr, SocketAddr};

use crate::capture::escape::escape_text;
use crate::capture::flows::{elapsed_ns, flag, flags_text};
use crate::capture::print::{PrintOptions, Printer};
use crate::capture::record::{Record, Timestamp};

mod decode;
pub mod svg;
pub mod text;

pub use decode::Proto;
use decode::{decode, Message, Seen, Segment};

/// How many payload bytes a preview shows at most.
pub const PREVIEW_BYTES: usize = 48;

/// One end of a conversation: an address and port, or a host (ICMP echo).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Place {
    Socket(SocketAddr),
    Host(IpAddr),
}

impl std::fmt::Display for Place {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Place::Socket(s) => write!(f, "{s}"),
            Place::Host(h) => write!(f, "{h}"),
        }
    }
}

/// One packet of a ladder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The packet's number among the records read (1-based, as `tcpdump -#` counts).
    pub number: usize,
    pub ts: Timestamp,
    /// Nanoseconds since the first record read.
    pub rel_ns: u64,
    /// The column it leaves: 0 the client's (left), 1 the server's (right).
    pub from: usize,
    /// tcpdump's flags and numbers: `[S.] seq 0 ack 1 win 65483`, `UDP len 13`,
    /// `ICMP echo request id 3 seq 1`.
    pub label: String,
    /// The payload's first bytes, escaped and quoted: `"HELLO MASTER\n"`.
    pub preview: Option<String>,
    /// The round trip of each echo this packet completes, oldest request first.
    pub rtt_ns: Vec<u64>,
    /// The packet as `echolab dump -nn -t` prints it (without the line end), when asked for.
    pub title: String,
    /// The packet as `echolab dump -nnvvXS` prints it, when asked for.
    pub detail: String,
}

impl Row {
    /// The label, and the preview after it when there is one.
    pub fn text(&self) -> String {
        match &self.preview {
            Some(p) => format!("{} {p}", self.label),
            None => self.label.clone(),
        }
    }
}

/// The colours a view draws with: each side's arrows (and names), and round trips.
#[derive(Debug, Clone, Copy)]
pub struct Palette {
    pub client: &'static str,
    pub server: &'static str,
    pub rtt: &'static str,
}

impl Palette {
    /// ANSI escapes for the terminal: client cyan, server yellow, round trips green.
    pub const TERMINAL: Palette = Palette {
        client: "\x1b[36m",
        server: "\x1b[33m",
        rtt: "\x1b[32m",
    };
    /// RGB for SVG: client blue, server red, round trips green.
    pub const SVG: Palette = Palette {
        client: "#1565c0",
        server: "#c62828",
        rtt: "#2e7d32",
    };

    /// The colour of a packet leaving column `from` (0 the client's).
    pub fn side(&self, from: usize) -> &'static str {
        if from == 0 {
            self.client
        } else {
            self.server
        }
    }
}

/// At most `n` characters of `s`, the last one `…` when cut (none at all for `n` 0).
pub fn cut(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        return s.to_string();
    }
    let mut out: String = s.chars().take(n.saturating_sub(1)).collect();
    if n > 0 {
        out.push('…');
    }
    out
}

/// One conversation's ladder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ladder {
    /// 1-based, in the order the conversations' first packets appear.
    pub number: usize,
    pub proto: Proto,
    /// The client (who opened the conversation) and the server.
    pub ends: [Place; 2],
    pub rows: Vec<Row>,
}

impl Ladder {
    /// `TCP 127.0.0.1:40000 ⇄ 127.0.0.1:4002, 10 packets`.
    pub fn heading(&self) -> String {
        let n = self.rows.len();
        let s = if n == 1 { "" } else { "s" };
        format!(
            "#{} {} {} \u{21c4} {}, {n} packet{s}",
            self.number,
            self.proto.name(),
            self.ends[0],
            self.ends[1]
        )
    }
}

/// What rows carry besides the ladder itself.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Each row's `echolab dump -nn -t` line (SVG titles).
    pub titles: bool,
    /// Each row's `echolab dump -nnvvXS` text (the HTML page's detail pane).
    pub details: bool,
}

/// `tcpdump -nn -t`'s options.
pub fn title_options() -> PrintOptions {
    PrintOptions {
        n: 2,
        t: 1,
        ..PrintOptions::default()
    }
}

/// `tcpdump -nnvvXS`'s options (time stamps in UTC).
pub fn detail_options() -> PrintOptions {
    PrintOptions {
        n: 2,
        v: 2,
        xx: 1,
        s_abs: 1,
        ..PrintOptions::default()
    }
}

/// Where a packet goes: which ladder, and whether the ladder began with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pushed {
    /// Index into [`Builder::ladders`].
    pub ladder: usize,
    pub new: bool,
}

/// Conversations are told apart by their two ends, in either order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Key(Proto, Place, Place);

impl Key {
    fn new(proto: Proto, a: Place, b: Place) -> Key {
        let (lo, hi) = if sort_key(&a) <= sort_key(&b) {
            (a, b)
        } else {
            (b, a)
        };
        Key(proto, lo, hi)
    }
}

fn sort_key(p: &Place) -> (IpAddr, u16) {
    match *p {
        Place::Socket(s) => (s.ip(), s.port()),
        Place::Host(h) => (h, 0),
    }
}

/// One direction of a TCP connection.
#[derive(Debug, Clone, Copy, Default)]
struct Side {
    /// The first sequence number seen (the SYN's, when it was captured).
    isn: Option<u32>,
    syn: bool,
    win: Option<u16>,
    /// The end of the stream bytes seen so far, counted from the first data byte.
    end: u64,
}

impl Side {
    fn rel(&mut self, seq: u32) -> u32 {
        seq.wrapping_sub(*self.isn.get_or_insert(seq))
    }

    /// A stream offset from a relative sequence number (the SYN takes one number).
    fn offset(&self, rel: u32) -> u64 {
        u64::from(rel).saturating_sub(u64::from(self.syn))
    }
}

/// Echo pairing and sequence state of one ladder.
#[derive(Debug, Default)]
struct Track {
    sides: [Side; 2],
    /// TCP: the stream end of each request not yet echoed, and when it was sent.
    requests: VecDeque<(u64, Timestamp)>,
    /// UDP: the client's last datagram not yet echoed.
    datagram: Option<(Vec<u8>, Timestamp)>,
    /// ICMP: echo requests by identifier and sequence number.
    pings: HashMap<(u16, u16), Timestamp>,
}

/// Builds ladders record by record.
pub struct Builder {
    titles: Option<Printer>,
    details: Option<Printer>,
    ladders: Vec<Ladder>,
    tracks: Vec<Track>,
    keys: HashMap<Key, usize>,
    first: Option<Timestamp>,
    read: usize,
    text: String,
}

impl Builder {
    pub fn new(opts: Options) -> Builder {
        Builder {
            titles: opts.titles.then(|| Printer::new(title_options())),
            details: opts.details.then(|| Printer::new(detail_options())),
            ladders: Vec::new(),
            tracks: Vec::new(),
            keys: HashMap::new(),
            first: None,
            read: 0,
            text: String::new(),
        }
    }

    /// The ladders so far.
    pub fn ladders(&self) -> &[Ladder] {
        &self.ladders
    }

    pub fn finish(self) -> Vec<Ladder> {
        self.ladders
    }

    /// Add a record; `None` when it is not IP (it still counts for numbers and times, and
    /// the printers see it, as `echolab dump` would). IP that is not TCP, UDP or ICMP is
    /// drawn between its hosts, said in words (`IP protocol 253`, `TCP header cut short`).
    pub fn push(&mut self, rec: &Record<'_>) -> Option<Pushed> {
        self.read += 1;
        let first = *self.first.get_or_insert(rec.ts);
        let title = print(&mut self.titles, rec, &mut self.text);
        let detail = print(&mut self.details, rec, &mut self.text);
        let seen = decode(rec)?;
        let (key, ends) = place(&seen);
        let new = !self.keys.contains_key(&key);
        let at = *self.keys.entry(key).or_insert(self.ladders.len());
        if new {
            self.ladders.push(Ladder {
                number: at + 1,
                proto: key.0,
                ends,
                rows: Vec::new(),
            });
            self.tracks.push(Track::default());
        }
        let ladder = self.ladders.get_mut(at)?;
        let track = self.tracks.get_mut(at)?;
        let mut row = Row {
            number: self.read,
            ts: rec.ts,
            rel_ns: elapsed_ns(first, rec.ts),
            from: 0,
            label: String::new(),
            preview: None,
            rtt_ns: Vec::new(),
            title,
            detail,
        };
        describe(&seen, ladder, track, &mut row);
        ladder.rows.push(row);
        Some(Pushed { ladder: at, new })
    }
}

/// The printer's text for `rec`, without its last line end ("" without a printer).
fn print(printer: &mut Option<Printer>, rec: &Record<'_>, buf: &mut String) -> String {
    let Some(p) = printer else {
        return String::new();
    };
    buf.clear();
    p.print(rec, buf);
    buf.strip_suffix('\n').unwrap_or(buf).to_string()
}

/// The ladders of a whole capture.
pub fn ladders<'a>(records: impl IntoIterator<Item = Record<'a>>, opts: Options) -> Vec<Ladder> {
    let mut b = Builder::new(opts);
    for rec in records {
        b.push(&rec);
    }
    b.finish()
}

/// The conversation a packet belongs to, and its ends in order (client first) should it be
/// the first: the SYN's sender, the SYN/ACK's receiver, else the first sender. An ICMP error
/// belongs to the conversation of the datagram it quotes.
fn place(seen: &Seen<'_>) -> (Key, [Place; 2]) {
    let (proto, src, dst) = match seen {
        Seen::Tcp { src, dst, seg } => {
            let (s, d) = (Place::Socket(*src), Place::Socket(*dst));
            let synack = seg.flags & (flag::SYN | flag::ACK) == flag::SYN | flag::ACK;
            if synack {
                (Proto::Tcp, d, s)
            } else {
                (Proto::Tcp, s, d)
            }
        }
        Seen::Udp { src, dst, .. } => (Proto::Udp, Place::Socket(*src), Place::Socket(*dst)),
        Seen::Icmp { src, dst, msg } => match msg {
            Message::Error {
                quoted: Some((p, qs, qd)),
                ..
            } => (*p, Place::Socket(*qs), Place::Socket(*qd)),
            Message::Echo { request: false, .. } => {
                (Proto::Icmp, Place::Host(*dst), Place::Host(*src))
            }
            _ => (Proto::Icmp, Place::Host(*src), Place::Host(*dst)),
        },
        Seen::Other { src, dst, .. } => (Proto::Ip, Place::Host(*src), Place::Host(*dst)),
    };
    (Key::new(proto, src, dst), [src, dst])
}

/// Fill in the row's direction, label, preview and round trips.
fn describe(seen: &Seen<'_>, ladder: &Ladder, track: &mut Track, row: &mut Row) {
    let is_client = |p: Place| p == ladder.ends[0];
    match seen {
        Seen::Tcp { src, seg, .. } => {
            row.from = usize::from(!is_client(Place::Socket(*src)));
            tcp_row(seg, track, row);
        }
        Seen::Udp {
            src, len, payload, ..
        } => {
            row.from = usize::from(!is_client(Place::Socket(*src)));
            row.label = format!("UDP len {len}");
            row.preview = (*len > 0).then(|| preview(payload, *len));
            udp_echo(track, row, payload);
        }
        Seen::Icmp { src, msg, .. } => {
            // An error goes to the sender of the datagram it quotes.
            let left = match msg {
                Message::Error {
                    quoted: Some((_, qs, _)),
                    ..
                } => Place::Socket(*qs) != ladder.ends[0],
                _ => is_client(Place::Host(*src)),
            };
            row.from = usize::from(!left);
            let name = if src.is_ipv6() { "ICMP6" } else { "ICMP" };
            icmp_row(name, msg, track, row);
        }
        Seen::Other { src, what, .. } => {
            row.from = usize::from(!is_client(Place::Host(*src)));
            row.label.clone_from(what);
        }
    }
}

fn tcp_row(seg: &Segment<'_>, track: &mut Track, row: &mut Row) {
    let (me, peer) = if row.from == 0 { (0, 1) } else { (1, 0) };
    let Some(side) = track.sides.get_mut(me) else {
        return;
    };
    let rel = side.rel(seg.seq);
    if seg.flags & flag::SYN != 0 {
        side.syn = true;
    }
    let end = side.offset(rel) + u64::from(seg.len);
    let fresh = seg.len > 0 && end > side.end;
    if fresh {
        side.end = end;
    }
    let new_win = side.win.replace(seg.win) != Some(seg.win);
    let mut label = format!("[{}]", flags_text(seg.flags));
    if seg.len > 0 {
        label.push_str(&format!(" seq {rel}:{}", rel.wrapping_add(seg.len)));
    } else if seg.flags & (flag::SYN | flag::FIN | flag::RST) != 0 {
        label.push_str(&format!(" seq {rel}"));
    }
    if seg.flags & flag::ACK != 0 {
        if let Some(p) = track.sides.get_mut(peer) {
            label.push_str(&format!(" ack {}", p.rel(seg.ack)));
        }
    }
    if new_win {
        label.push_str(&format!(" win {}", seg.win));
    }
    if seg.len > 0 {
        label.push_str(&format!(" len {}", seg.len));
        row.preview = Some(preview(seg.payload, seg.len));
    }
    row.label = label;
    if fresh {
        tcp_echo(track, row, end);
    }
}

/// TCP: client bytes are requests; server bytes reaching a request's end echo it.
fn tcp_echo(track: &mut Track, row: &mut Row, end: u64) {
    if row.from == 0 {
        track.requests.push_back((end, row.ts));
        return;
    }
    while let Some(&(req_end, ts)) = track.requests.front() {
        if req_end > end {
            break;
        }
        row.rtt_ns.push(elapsed_ns(ts, row.ts));
        track.requests.pop_front();
    }
}

/// UDP: the first server datagram with the request's bytes, before the next request.
fn udp_echo(track: &mut Track, row: &mut Row, payload: &[u8]) {
    if payload.is_empty() {
        return;
    }
    if row.from == 0 {
        track.datagram = Some((payload.to_vec(), row.ts));
        return;
    }
    if let Some((bytes, ts)) = &track.datagram {
        if bytes.starts_with(payload) {
            row.rtt_ns.push(elapsed_ns(*ts, row.ts));
            track.datagram = None;
        }
    }
}

fn icmp_row(name: &str, msg: &Message, track: &mut Track, row: &mut Row) {
    row.label = match msg {
        Message::Echo { request, id, seq } => {
            if *request {
                track.pings.insert((*id, *seq), row.ts);
            } else if let Some(ts) = track.pings.remove(&(*id, *seq)) {
                row.rtt_ns.push(elapsed_ns(ts, row.ts));
            }
            let what = if *request { "request" } else { "reply" };
            format!("{name} echo {what} id {id} seq {seq}")
        }
        Message::Error { text, quoted } => match quoted {
            Some((p, s, d)) => format!("{name} {text}, quoting {} {s} > {d}", p.name()),
            None => format!("{name} {text}"),
        },
        Message::Other(text) => format!("{name} {text}"),
    };
}

/// The first [`PREVIEW_BYTES`] of a payload of `len` bytes on the wire, quoted, as plain
/// ASCII: controls escaped by `escape_text` (`\n`, `\x1b`), other characters as `\u{e9}`,
/// bytes that are not UTF-8 as `\xff`, `"` and `\` with a backslash; `…` when more follows.
pub fn preview(payload: &[u8], len: u32) -> String {
    let shown = payload.get(..PREVIEW_BYTES).unwrap_or(payload);
    let mut s = String::from("\"");
    for chunk in shown.utf8_chunks() {
        let valid = chunk.valid().replace('\\', "\\\\").replace('"', "\\\"");
        for c in escape_text(&valid).chars() {
            if c.is_ascii() {
                s.push(c);
            } else {
                s.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
            }
        }
        for b in chunk.invalid() {
            s.push_str(&format!("\\x{b:02x}"));
        }
    }
    s.push('"');
    if usize::try_from(len).unwrap_or(usize::MAX) > shown.len() {
        s.push('…');
    }
    s
}

/// A round trip as people read it: `85 µs`, `1.234 ms`, `2.500 s`.
pub fn rtt_text(ns: u64) -> String {
    if ns < 1_000_000 {
        format!("{:.0} µs", ns as f64 / 1e3)
    } else if ns < 1_000_000_000 {
        format!("{:.3} ms", ns as f64 / 1e6)
    } else {
        format!("{:.3} s", ns as f64 / 1e9)
    }
}

/// Seconds since the first packet, to the microsecond: `0.000123`.
pub fn time_text(ns: u64) -> String {
    format!("{}.{:06}", ns / 1_000_000_000, (ns % 1_000_000_000) / 1000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_count_characters() {
        assert_eq!(cut("abcdef", 4), "abc…");
        assert_eq!(cut("abc", 4), "abc");
        assert_eq!(cut("─────", 2), "─…");
        assert_eq!(cut("abc", 0), "");
    }
    use crate::capture::flows;
    use crate::capture::record::LinkType;

    /// Every record of a fixture, owned.
    fn frames(path: &str) -> Vec<(Timestamp, u32, LinkType, Vec<u8>)> {
        let file = std::fs::File::open(path).expect(path);
        let mut reader =
            crate::capture::pcap::Reader::new(std::io::BufReader::new(file)).expect("a pcap file");
        let mut out = Vec::new();
        while let Some(r) = reader.next_record().expect("a whole record") {
            out.push((r.ts, r.len, r.link, r.data.to_vec()));
        }
        out
    }

    fn records(f: &[(Timestamp, u32, LinkType, Vec<u8>)]) -> impl Iterator<Item = Record<'_>> {
        f.iter().map(|(ts, len, link, data)| Record {
            ts: *ts,
            len: *len,
            link: *link,
            data,
        })
    }

    /// The round trips drawn as packets arrive are those `flows::echoes` finds in the whole
    /// capture, on the same packets.
    #[test]
    fn round_trips_agree_with_flows() {
        for name in ["tcp-line", "tcp-continuous", "udp-line", "udp-continuous"] {
            for dir in ["fixtures/report", "fixtures/sessions"] {
                let path = format!("{}/{dir}/{name}.pcap", env!("CARGO_MANIFEST_DIR"));
                let f = frames(&path);
                let mut want: HashMap<usize, Vec<u64>> = HashMap::new();
                for c in &flows::conversations(records(&f)).conversations {
                    let data = flows::data_packets(c);
                    for e in flows::echoes(c) {
                        let last = e.replies.last().and_then(|&i| data.get(i));
                        if let (Some(p), Some(rtt)) = (last, e.rtt_ns) {
                            want.entry(p.index + 1).or_default().push(rtt);
                        }
                    }
                }
                let got: HashMap<usize, Vec<u64>> = ladders(records(&f), Options::default())
                    .iter()
                    .flat_map(|l| &l.rows)
                    .filter(|r| !r.rtt_ns.is_empty())
                    .map(|r| (r.number, r.rtt_ns.clone()))
                    .collect();
                assert!(!got.is_empty(), "{path}");
                assert_eq!(got, want, "{path}");
            }
        }
    }

    #[test]
    fn previews_are_quoted_plain_ascii() {
        assert_eq!(preview(b"HELLO MASTER\n", 13), "\"HELLO MASTER\\n\"");
        assert_eq!(preview(b"\x1b[2J\"\\", 6), "\"\\x1b[2J\\\"\\\\\"");
        assert_eq!(preview("é\u{202e}".as_bytes(), 5), "\"\\u{e9}\\u{202e}\"");
        assert_eq!(preview(&[0xff, b'a'], 2), "\"\\xffa\"");
        assert_eq!(preview(&[b'a'; 60], 60).chars().count(), 48 + 3);
        assert!(preview(b"ab", 1400).ends_with("\"…"));
    }

    #[test]
    fn times_read_well() {
        assert_eq!(time_text(1_234_567_891), "1.234567");
        assert_eq!(rtt_text(85_400), "85 µs");
        assert_eq!(rtt_text(52_600), "53 µs");
        assert_eq!(rtt_text(1_234_567), "1.235 ms");
        assert_eq!(rtt_text(2_500_000_000), "2.500 s");
    }
}
