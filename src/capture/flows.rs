//! Conversations: the TCP connections and UDP exchanges of a capture, each packet reduced to
//! what a wire-behaviour comparison needs (direction, flags, payload bytes, checksum
//! verdicts, time), and the pairing of each request with its echo.
//!
//! Pure functions over `Record`s. Must not import `crate::echo`, `crate::cli`, clap, tokio or
//! comfy-table.

use std::net::{IpAddr, SocketAddr};

use crate::capture::record::{LinkType, Record, Timestamp};
use crate::capture::wire::ethernet::{self, EtherType};
use crate::capture::wire::{ipv4, ipv6, tcp, udp};

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

/// The IP datagram of a record, past its link-layer header.
fn network<'a>(rec: &Record<'a>) -> Option<&'a [u8]> {
    match rec.link {
        LinkType::Ethernet => {
            let f = ethernet::Frame::new_checked(rec.data).ok()?;
            matches!(f.ethertype(), EtherType::Ipv4 | EtherType::Ipv6).then(|| f.payload())
        }
        LinkType::Raw | LinkType::Ipv4 | LinkType::Ipv6 => Some(rec.data),
        LinkType::Null | LinkType::Loop => rec.data.get(4..),
        LinkType::LinuxSll => rec.data.get(16..),
        _ => None,
    }
}

fn decode(rec: &Record<'_>) -> Option<Decoded> {
    let ip = network(rec)?;
    let (src, dst, proto, l4, ip_ok) = match ip.first()? >> 4 {
        4 => {
            let p = ipv4::Packet::new_checked(ip).ok()?;
            if p.is_fragment() {
                return None;
            }
            let (s, d) = (IpAddr::V4(p.src_addr()), IpAddr::V4(p.dst_addr()));
            (
                s,
                d,
                p.protocol(),
                p.payload().ok()?,
                Some(p.verify_checksum()),
            )
        }
        6 => {
            let p = ipv6::Packet::new_checked(ip).ok()?;
            let (nh, at) = p.ext_headers().ok()?;
            let end = ipv6::HEADER_LEN + usize::from(p.payload_len());
            let (s, d) = (IpAddr::V6(p.src_addr()), IpAddr::V6(p.dst_addr()));
            (s, d, nh, ip.get(at..end)?, None)
        }
        _ => return None,
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
                l4_checksum_ok: Some(t.verify_checksum(src, dst)),
            })
        }
        udp::PROTOCOL => {
            let u = udp::Packet::new_checked(l4).ok()?;
            let sum = (u.checksum() != 0 || dst.is_ipv6()).then(|| u.verify_checksum(src, dst));
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
    let mut flows = Flows::default();
    for (index, rec) in records.into_iter().enumerate() {
        let Some(d) = decode(&rec) else {
            flows.other += 1;
            continue;
        };
        add(&mut flows, index, rec.ts, d);
    }
    flows
}

fn add(flows: &mut Flows, index: usize, ts: Timestamp, d: Decoded) {
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
    let open = |c: &Conversation| {
        c.transport == d.transport
            && !(d.transport == Transport::Tcp && d.flags & flag::SYN != 0 && closed(c))
    };
    // The latest conversation of these endpoints (a new SYN after a close starts another).
    let found = flows.conversations.iter_mut().rev().find(|c| {
        open(c)
            && ((c.client == d.src && c.server == d.dst)
                || (c.client == d.dst && c.server == d.src))
    });
    if let Some(c) = found {
        packet.dir = if c.client == d.src {
            Dir::Client
        } else {
            Dir::Server
        };
        c.packets.push(packet);
        return;
    }
    if d.transport == Transport::Udp {
        let stray = flows.conversations.iter_mut().rev().find(|c| {
            c.transport == Transport::Udp && c.server == d.src && c.client.ip() == d.dst.ip()
        });
        if let Some(c) = stray {
            packet.dir = Dir::Server;
            packet.misdirected_to = Some(d.dst.port());
            c.packets.push(packet);
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
    flows.conversations.push(Conversation {
        transport: d.transport,
        client,
        server,
        packets: vec![packet],
    });
}

/// A TCP conversation in which both sides sent a FIN, or one sent a RST.
fn closed(c: &Conversation) -> bool {
    let fin = |dir| {
        c.packets
            .iter()
            .any(|p| p.dir == dir && p.flags & flag::FIN != 0)
    };
    c.packets.iter().any(|p| p.flags & flag::RST != 0) || (fin(Dir::Client) && fin(Dir::Server))
}

/// The data packets of a conversation in order, TCP retransmissions (a sequence range
/// already seen in that direction) left out.
pub fn data_packets(c: &Conversation) -> Vec<&Packet> {
    let mut seen: Vec<(Dir, u32, usize)> = Vec::new();
    let mut out = Vec::new();
    for p in c.packets.iter().filter(|p| p.is_data()) {
        if c.transport == Transport::Tcp {
            let key = (p.dir, p.seq, p.payload.len());
            if seen.contains(&key) {
                continue;
            }
            seen.push(key);
        }
        out.push(p);
    }
    out
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
        let start = next_reply.max(i + 1);
        for (j, p) in data.iter().enumerate().skip(start) {
            // A UDP echo answers before the next request or not at all.
            if p.dir == Dir::Client && c.transport == Transport::Udp {
                break;
            }
            // A reply sent to another port never reached the client.
            if p.dir != Dir::Server || p.misdirected_to.is_some() {
                continue;
            }
            let rest = req.payload.get(got.len()..).unwrap_or(&[]);
            if !rest.starts_with(&p.payload) {
                break;
            }
            got.extend_from_slice(&p.payload);
            echo.replies.push(j);
            next_reply = j + 1;
            if c.transport == Transport::Udp || got.len() >= req.payload.len() {
                break;
            }
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
}
