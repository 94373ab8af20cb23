//! Conversations: the TCP connections and UDP exchanges of a capture, each packet reduced to
//! what a wire-behaviour comparison needs (direction, flags, payload bytes, checksum
//! verdicts, time), and the pairing of each request with its echo.
//!
//! Pure functions over `Record`s. Must not import `crate::echo`, `crate::cli`, clap, tokio or
//! comfy-table.

use std::collections::{HashMap, HashSet};
use std::net::{IpAddr, SocketAddr};

use crate::capture::record::{Record, Timestamp};
use crate::capture::wire::{ipv4, ipv6, link, tcp, udp};

/// TCP flag bits (RFC 9293, section 3.1).
pub mod flag {
    pub const FIN: u8 = 0x01;
    pub const SYN: u8 = 0x02;
    pub const RST: u8 = 0x04;
    pub const PSH: u8 = 0x08;
    pub const ACK: u8 = 0x10;
}

/// The transport of a conversation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Transport {
    Tcp,
    Udp,
}

impl Transport {
    /// What one packet of it is called in plain words.
    pub fn unit(self) -> &'static str {
        match self {
            Transport::Tcp => "segment",
            Transport::Udp => "datagram",
        }
    }
}

/// Who sent a packet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dir {
    /// From the endpoint that opened the conversation (sent the SYN or the first datagram).
    Client,
    /// From the other endpoint.
    Server,
}

impl Dir {
    pub fn name(self) -> &'static str {
        match self {
            Dir::Client => "client",
            Dir::Server => "server",
        }
    }
}

/// One TCP segment or UDP datagram of a conversation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Packet {
    /// Index of the record in the capture (0-based).
    pub index: usize,
    pub ts: Timestamp,
    pub dir: Dir,
    /// TCP flags (0 for UDP).
    pub flags: u8,
    /// TCP sequence number (0 for UDP).
    pub seq: u32,
    pub payload: Vec<u8>,
    /// The IPv4 header checksum verdict (`None` for IPv6, which has none).
    pub ip_checksum_ok: Option<bool>,
    /// The TCP or UDP checksum verdict (`None` when UDP carries no checksum).
    pub l4_checksum_ok: Option<bool>,
    /// A UDP reply from the server that went to another port of the client's address than
    /// the one the client sent from: the port it went to.
    pub misdirected_to: Option<u16>,
}

impl Packet {
    /// A segment or datagram that carries bytes.
    pub fn is_data(&self) -> bool {
        !self.payload.is_empty()
    }
}

/// A TCP connection or a UDP exchange between a client and a server endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conversation {
    pub transport: Transport,
    pub client: SocketAddr,
    pub server: SocketAddr,
    pub packets: Vec<Packet>,
}

/// A capture cut into conversations, in the order their first packets appear.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Flows {
    pub conversations: Vec<Conversation>,
    /// Records that are not TCP or UDP over IP (ARP, ICMP, truncated headers...).
    pub other: usize,
}

impl Flows {
    /// The conversations of one transport, in order.
    pub fn of(&self, t: Transport) -> impl Iterator<Item = &Conversation> {
        self.conversations.iter().filter(move |c| c.transport == t)
    }
}

/// A TCP or UDP packet decoded from a record.
struct Decoded {
    transport: Transport,
    src: SocketAddr,
    dst: SocketAddr,
    flags: u8,
    seq: u32,
    payload: Vec<u8>,
    ip_checksum_ok: Option<bool>,
    l4_checksum_ok: Option<bool>,
}

/// Decode a record; with `checksums` false the checksum verdicts are left `None` (what a
/// comparison never reads need not be computed).
fn decode(rec: &Record<'_>, checksums: bool) -> Option<Decoded> {
    let ip = link::network(rec)?;
    // Each view checks its version: a datagram is one or the other, or neither.
    let (src, dst, proto, l4, ip_ok) = if let Ok(p) = ipv4::Packet::new_checked(ip) {
        if p.is_fragment() {
            return None;
        }
        let (s, d) = (IpAddr::V4(p.src_addr()), IpAddr::V4(p.dst_addr()));
        let ok = checksums.then(|| p.verify_checksum());
        (s, d, p.protocol(), p.payload().ok()?, ok)
    } else {
        let p = ipv6::Packet::new_checked(ip).ok()?;
        let (nh, at) = p.ext_headers().ok()?;
        let payload = p.payload().ok()?;
        let (s, d) = (IpAddr::V6(p.src_addr()), IpAddr::V6(p.dst_addr()));
        (
            s,
            d,
            nh,
            payload.get(at.checked_sub(ipv6::HEADER_LEN)?..)?,
            None,
        )
    };
    match proto {
        tcp::PROTOCOL => {
            let t = tcp::Packet::new_checked(l4).ok()?;
            Some(Decoded {
                transport: Transport::Tcp,
                src: SocketAddr::new(src, t.src_port()),
                dst: SocketAddr::new(dst, t.dst_port()),
                flags: t.flags(),
                seq: t.seq_number(),
                payload: t.payload().to_vec(),
                ip_checksum_ok: ip_ok,
                l4_checksum_ok: checksums.then(|| t.verify_checksum(src, dst)),
            })
        }
        udp::PROTOCOL => {
            let u = udp::Packet::new_checked(l4).ok()?;
            let sum = (checksums && (u.checksum() != 0 || dst.is_ipv6()))
                .then(|| u.verify_checksum(src, dst));
            Some(Decoded {
                transport: Transport::Udp,
                src: SocketAddr::new(src, u.src_port()),
                dst: SocketAddr::new(dst, u.dst_port()),
                flags: 0,
                seq: 0,
                payload: u.payload().ok()?.to_vec(),
                ip_checksum_ok: ip_ok,
                l4_checksum_ok: sum,
            })
        }
        _ => None,
    }
}

/// Cut records into conversations. TCP: by 4-tuple; the client is the endpoint that sent
/// the first SYN without ACK (or the first packet, for a connection caught midway). UDP: by
/// address/port pair; the client is the first sender. A UDP datagram from a known server
/// endpoint to another port of one of its clients' addresses joins that client's exchange,
/// marked `misdirected_to`.
pub fn conversations<'a>(records: impl IntoIterator<Item = Record<'a>>) -> Flows {
    let mut cutter = Cutter::default();
    for rec in records {
        cutter.add(&rec);
    }
    cutter.finish()
}

/// Cuts records into conversations one at a time, so a capture need not be held whole
/// (`conversations` over a reader). Each record costs a constant number of hash look-ups:
/// a capture of a million packets is cut as fast as it is read.
#[derive(Debug, Default)]
pub struct Cutter {
    flows: Flows,
    /// Records seen so far: the next record's index.
    records: usize,
    /// The latest conversation of each transport and endpoint pair (the pair in canonical
    /// order, lower address first). Only the latest can take packets: a new one is started
    /// only by a SYN when every earlier one is closed, and closed ones stay closed.
    latest: HashMap<(Transport, SocketAddr, SocketAddr), usize>,
    /// The latest UDP conversation of each server endpoint and client address, for replies
    /// that go to another port of the client.
    udp_by_server: HashMap<(SocketAddr, IpAddr), usize>,
    /// Per conversation, whether it is closed, kept as packets arrive.
    closing: Vec<Closing>,
    /// Leave the checksum verdicts `None` (see [`Cutter::without_checksums`]).
    skip_checksums: bool,
}

/// What makes a TCP conversation closed: a FIN from each side, or a RST.
#[derive(Debug, Clone, Copy, Default)]
struct Closing {
    client_fin: bool,
    server_fin: bool,
    reset: bool,
}

impl Closing {
    fn see(&mut self, p: &Packet) {
        self.reset |= p.flags & flag::RST != 0;
        if p.flags & flag::FIN != 0 {
            match p.dir {
                Dir::Client => self.client_fin = true,
                Dir::Server => self.server_fin = true,
            }
        }
    }

    fn closed(self) -> bool {
        self.reset || (self.client_fin && self.server_fin)
    }
}

impl Cutter {
    /// A cutter that does not verify checksums: every packet's `ip_checksum_ok` and
    /// `l4_checksum_ok` is `None`. For a comparison, which never reads them (a summary does).
    pub fn without_checksums() -> Cutter {
        Cutter {
            skip_checksums: true,
            ..Cutter::default()
        }
    }

    /// Take the next record of the capture.
    pub fn add(&mut self, rec: &Record<'_>) {
        let index = self.records;
        self.records += 1;
        match decode(rec, !self.skip_checksums) {
            Some(d) => self.add_decoded(index, rec.ts, d),
            None => self.flows.other += 1,
        }
    }

    /// The conversations of every record added.
    pub fn finish(self) -> Flows {
        self.flows
    }

    fn push(&mut self, at: usize, packet: Packet) {
        if let (Some(c), Some(s)) = (
            self.flows.conversations.get_mut(at),
            self.closing.get_mut(at),
        ) {
            s.see(&packet);
            c.packets.push(packet);
        }
    }

    fn add_decoded(&mut self, index: usize, ts: Timestamp, d: Decoded) {
        let mut packet = Packet {
            index,
            ts,
            dir: Dir::Client,
            flags: d.flags,
            seq: d.seq,
            payload: d.payload,
            ip_checksum_ok: d.ip_checksum_ok,
            l4_checksum_ok: d.l4_checksum_ok,
            misdirected_to: None,
        };
        let key = (d.transport, d.src.min(d.dst), d.src.max(d.dst));
        // A new SYN after a close starts another conversation.
        let syn = d.transport == Transport::Tcp && d.flags & flag::SYN != 0;
        let found = self
            .latest
            .get(&key)
            .copied()
            .filter(|&at| !(syn && self.closing.get(at).is_some_and(|s| s.closed())));
        if let Some(at) = found {
            if let Some(c) = self.flows.conversations.get(at) {
                packet.dir = if c.client == d.src {
                    Dir::Client
                } else {
                    Dir::Server
                };
            }
            self.push(at, packet);
            return;
        }
        if d.transport == Transport::Udp {
            if let Some(&at) = self.udp_by_server.get(&(d.src, d.dst.ip())) {
                packet.dir = Dir::Server;
                packet.misdirected_to = Some(d.dst.port());
                self.push(at, packet);
                return;
            }
        }
        // A SYN+ACK seen first means the other side is the client.
        let (client, server) = if d.flags & (flag::SYN | flag::ACK) == flag::SYN | flag::ACK {
            packet.dir = Dir::Server;
            (d.dst, d.src)
        } else {
            (d.src, d.dst)
        };
        let at = self.flows.conversations.len();
        self.latest.insert(key, at);
        if d.transport == Transport::Udp {
            self.udp_by_server.insert((server, client.ip()), at);
        }
        let mut closing = Closing::default();
        closing.see(&packet);
        self.closing.push(closing);
        self.flows.conversations.push(Conversation {
            transport: d.transport,
            client,
            server,
            packets: vec![packet],
        });
    }
}

/// The places in `c.packets` of its data packets in order, TCP retransmissions (a sequence
/// range already seen in that direction) left out.
pub fn data_places(c: &Conversation) -> Vec<usize> {
    let data = c.packets.iter().enumerate().filter(|(_, p)| p.is_data());
    if c.transport == Transport::Udp || in_order(c) {
        return data.map(|(at, _)| at).collect();
    }
    let mut seen: HashSet<(Dir, u32, usize)> = HashSet::new();
    data.filter(|(_, p)| seen.insert((p.dir, p.seq, p.payload.len())))
        .map(|(at, _)| at)
        .collect()
}

/// Whether each data packet of a TCP conversation starts where the one before it in its
/// direction ended: then no sequence range repeats, and nothing is a retransmission (the
/// common case, checked without a set of every range seen).
fn in_order(c: &Conversation) -> bool {
    let mut next: [Option<u32>; 2] = [None, None];
    c.packets.iter().filter(|p| p.is_data()).all(|p| {
        let slot = &mut next[usize::from(p.dir == Dir::Server)];
        let fits = slot.is_none_or(|n| n == p.seq);
        // A payload is under 2^32 bytes: the truncation is the sequence space's own.
        *slot = Some(p.seq.wrapping_add(p.payload.len() as u32));
        fits
    })
}

/// The data packets of a conversation in order, TCP retransmissions (a sequence range
/// already seen in that direction) left out.
pub fn data_packets(c: &Conversation) -> Vec<&Packet> {
    data_places(c)
        .into_iter()
        .filter_map(|at| c.packets.get(at))
        .collect()
}

/// A request and the echo that answered it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Echo {
    /// Index into `data_packets` of the request.
    pub request: usize,
    /// Indexes into `data_packets` of the server packets that carried its echo.
    pub replies: Vec<usize>,
    /// Whether the replies carry exactly the request's bytes.
    pub complete: bool,
    /// From the request to the last reply packet.
    pub rtt_ns: Option<u64>,
}

/// Pair each client data packet with the server data packets that echo it: the server's
/// bytes must continue the request's in stream order (TCP), or one datagram must carry them
/// before the next request (UDP). Replies sent to another port do not count.
pub fn echoes(c: &Conversation) -> Vec<Echo> {
    let data = data_packets(c);
    let tcp = c.transport == Transport::Tcp;
    let reaches = |p: &Packet| p.dir == Dir::Server && p.misdirected_to.is_none();
    // For TCP, the first server packet that reached the client at or after each place, so
    // a request with no echo does not scan the rest of the stream.
    let mut next_server = vec![data.len(); data.len() + 1];
    for j in (0..data.len()).rev() {
        let here = data.get(j).is_some_and(|p| reaches(p));
        let after = next_server.get(j + 1).copied().unwrap_or(data.len());
        if let Some(n) = next_server.get_mut(j) {
            *n = if here { j } else { after };
        }
    }
    let mut out = Vec::new();
    let mut next_reply = 0;
    for (i, req) in data
        .iter()
        .enumerate()
        .filter(|(_, p)| p.dir == Dir::Client)
    {
        let mut echo = Echo {
            request: i,
            replies: Vec::new(),
            complete: false,
            rtt_ns: None,
        };
        let mut got: Vec<u8> = Vec::new();
        let mut j = next_reply.max(i + 1);
        while let Some(p) = data.get(j) {
            // A UDP echo answers before the next request or not at all.
            if p.dir == Dir::Client && !tcp {
                break;
            }
            // A reply sent to another port never reached the client.
            if !reaches(p) {
                j = if tcp {
                    next_server.get(j).copied().unwrap_or(data.len())
                } else {
                    j + 1
                };
                continue;
            }
            let rest = req.payload.get(got.len()..).unwrap_or(&[]);
            if !rest.starts_with(&p.payload) {
                break;
            }
            got.extend_from_slice(&p.payload);
            echo.replies.push(j);
            next_reply = j + 1;
            if !tcp || got.len() >= req.payload.len() {
                break;
            }
            j += 1;
        }
        echo.complete = got == req.payload;
        if let Some(&last) = echo.replies.last() {
            echo.rtt_ns = data.get(last).map(|p| elapsed_ns(req.ts, p.ts));
        }
        out.push(echo);
    }
    out
}

/// Nanoseconds from `a` to `b` (0 if `b` is earlier).
pub fn elapsed_ns(a: Timestamp, b: Timestamp) -> u64 {
    let ns = |t: Timestamp| i128::from(t.sec) * 1_000_000_000 + i128::from(t.nsec);
    u64::try_from((ns(b) - ns(a)).max(0)).unwrap_or(u64::MAX)
}

/// TCP flags in tcpdump's notation (`S`, `S.`, `F.`, `R`, `P.`, `.`).
pub fn flags_text(flags: u8) -> String {
    let mut s = String::new();
    for (bit, c) in [
        (flag::FIN, 'F'),
        (flag::SYN, 'S'),
        (flag::RST, 'R'),
        (flag::PSH, 'P'),
    ] {
        if flags & bit != 0 {
            s.push(c);
        }
    }
    if flags & flag::ACK != 0 {
        s.push('.');
    }
    if s.is_empty() {
        s.push_str("none");
    }
    s
}

/// Bytes as text for a table: printable ASCII kept, `\n` and others escaped, long runs cut.
pub fn show_bytes(b: &[u8]) -> String {
    let mut s = String::from("\"");
    for &c in b.iter().take(32) {
        match c {
            b'\n' => s.push_str("\\n"),
            b'\r' => s.push_str("\\r"),
            b'"' => s.push_str("\\\""),
            b'\\' => s.push_str("\\\\"),
            0x20..=0x7e => s.push(char::from(c)),
            _ => s.push_str(&format!("\\x{c:02x}")),
        }
    }
    if b.len() > 32 {
        s.push('…');
    }
    s.push('"');
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capture::record::LinkType;

    #[test]
    fn flags_read_like_tcpdump() {
        assert_eq!(flags_text(flag::SYN), "S");
        assert_eq!(flags_text(flag::SYN | flag::ACK), "S.");
        assert_eq!(flags_text(flag::PSH | flag::ACK), "P.");
        assert_eq!(flags_text(flag::FIN | flag::ACK), "F.");
        assert_eq!(flags_text(0), "none");
    }

    #[test]
    fn bytes_are_escaped_and_cut() {
        assert_eq!(show_bytes(b"HI\n"), "\"HI\\n\"");
        assert_eq!(show_bytes(&[0, b'"']), "\"\\x00\\\"\"");
        assert!(show_bytes(&[b'a'; 40]).ends_with("…\""));
    }

    #[test]
    fn elapsed_is_never_negative() {
        let a = Timestamp { sec: 1, nsec: 500 };
        let b = Timestamp { sec: 2, nsec: 100 };
        assert_eq!(elapsed_ns(a, b), 999_999_600);
        assert_eq!(elapsed_ns(b, a), 0);
    }

    /// The records of a session fixture, owned.
    fn fixture(name: &str) -> Vec<(Timestamp, u32, LinkType, Vec<u8>)> {
        let path = format!(
            "{}/fixtures/sessions/{name}.pcap",
            env!("CARGO_MANIFEST_DIR")
        );
        let file = std::fs::File::open(path).unwrap();
        let mut r = crate::capture::pcap::Reader::new(file).unwrap();
        let mut out = Vec::new();
        while let Some(rec) = r.next_record().unwrap() {
            out.push((rec.ts, rec.len, rec.link, rec.data.to_vec()));
        }
        out
    }

    fn flows_of(recs: &[(Timestamp, u32, LinkType, Vec<u8>)]) -> Flows {
        conversations(recs.iter().map(|(ts, len, link, data)| Record {
            ts: *ts,
            len: *len,
            link: *link,
            data,
        }))
    }

    #[test]
    fn tcp_line_fixture_is_one_connection_with_two_echoes() {
        let f = flows_of(&fixture("tcp-line"));
        assert_eq!(f.conversations.len(), 1);
        let c = &f.conversations[0];
        assert_eq!((c.transport, c.server.port()), (Transport::Tcp, 4002));
        assert_eq!(c.packets.first().map(|p| p.flags), Some(flag::SYN));
        let data: Vec<&[u8]> = data_packets(c).iter().map(|p| &p.payload[..]).collect();
        let want: [&[u8]; 4] = [
            b"HELLO MASTER\n",
            b"HELLO MASTER\n",
            b"WELCOME BACK\n",
            b"WELCOME BACK\n",
        ];
        assert_eq!(data, want);
        let e = echoes(c);
        assert_eq!(e.len(), 2);
        assert!(e.iter().all(|e| e.complete && e.rtt_ns.is_some()));
    }

    #[test]
    fn udp_continuous_fixture_is_five_one_byte_echoes() {
        let f = flows_of(&fixture("udp-continuous"));
        assert_eq!(f.conversations.len(), 1);
        let e = echoes(&f.conversations[0]);
        assert_eq!(e.len(), 5);
        assert!(e.iter().all(|e| e.complete && e.replies.len() == 1));
    }

    #[test]
    fn a_udp_reply_to_another_port_joins_its_exchange_marked() {
        let mut recs = fixture("udp-line");
        // Ethernet (14) + IPv4 (20): the UDP destination port of the first reply.
        let port = u16::from_be_bytes([recs[1].3[36], recs[1].3[37]]);
        recs[1].3[36..38].copy_from_slice(&(port ^ 1).to_be_bytes());
        let f = flows_of(&recs);
        assert_eq!(f.conversations.len(), 1);
        let p = &f.conversations[0].packets[1];
        assert_eq!((p.dir, p.misdirected_to), (Dir::Server, Some(port ^ 1)));
        let first = &echoes(&f.conversations[0])[0];
        assert!(first.replies.is_empty() && !first.complete);
    }

    #[test]
    fn non_ip_records_are_counted_apart() {
        let data = [0u8; 10];
        let rec = Record {
            ts: Timestamp::default(),
            len: 10,
            link: LinkType::Ethernet,
            data: &data,
        };
        let f = conversations([rec]);
        assert!(f.conversations.is_empty());
        assert_eq!(f.other, 1);
    }

    #[test]
    fn retransmitted_ranges_are_left_out_in_and_out_of_order() {
        let pkt = |dir, seq: u32, payload: &[u8]| Packet {
            index: 0,
            ts: Timestamp::default(),
            dir,
            flags: flag::ACK | flag::PSH,
            seq,
            payload: payload.to_vec(),
            ip_checksum_ok: None,
            l4_checksum_ok: None,
            misdirected_to: None,
        };
        let conv = |packets| Conversation {
            transport: Transport::Tcp,
            client: "127.0.0.1:40000".parse().unwrap(),
            server: "127.0.0.1:4002".parse().unwrap(),
            packets,
        };
        // In order, across the wrap of the sequence space.
        let c = conv(vec![
            pkt(Dir::Client, u32::MAX - 1, b"abc"),
            pkt(Dir::Server, 7, b"abc"),
            pkt(Dir::Client, 1, b"d"),
        ]);
        assert_eq!(data_places(&c), [0, 1, 2]);
        // The same range again, then new data: the copy is left out.
        let c = conv(vec![
            pkt(Dir::Client, 100, b"abc"),
            pkt(Dir::Client, 100, b"abc"),
            pkt(Dir::Client, 103, b"d"),
        ]);
        assert_eq!(data_places(&c), [0, 2]);
    }
}
