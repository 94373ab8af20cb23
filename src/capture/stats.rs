//! Capture statistics that equal tshark 4.0's: conversations (`-z conv,tcp`, `conv,udp`,
//! `conv,ip`, `conv,ipv6`), endpoints (`-z endpoints,ip`, `endpoints,ipv6`) and the protocol
//! hierarchy (`-z io,phs`) down to the transport layer.
//!
//! [`Stats`] is fed one record at a time and keeps one entry per conversation, endpoint and
//! hierarchy node, so memory grows with the number of conversations, never with the number
//! of packets. Headers are read through `wire`'s views only.
//!
//! tshark's rules replicated here (Wireshark 4.0 `ui/cli/tap-iousers.c`,
//! `epan/conversation_table.c`):
//! - a frame counts its on-wire length (`frame.len`), not what was captured;
//! - a conversation's A is the source of its first frame; frames from A count as A -> B;
//! - the relative start is the first frame's time less the capture's first frame's time,
//!   the duration the last frame's time less the first's;
//! - tables are in order of total frames, most first, ties in order of first appearance.
//!
//! Must not import `print`, `echo`, `cli`, clap, tokio or comfy-table.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};

use crate::capture::record::{LinkType, Record, Timestamp};
use crate::capture::wire::ethernet::{self, EtherType};
use crate::capture::wire::{ipv4, ipv6, link, tcp, udp};

/// IP protocol numbers of ICMP and ICMPv6 (RFC 792, RFC 4443).
const ICMP: u8 = 1;
const ICMPV6: u8 = 58;

/// A conversation table: which layer it counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// `conv,ip` / `endpoints,ip`.
    Ip,
    /// `conv,ipv6` / `endpoints,ipv6`.
    Ipv6,
    /// `conv,tcp`.
    Tcp,
    /// `conv,udp`.
    Udp,
}

impl Kind {
    /// tshark's name of the table (`-z conv,NAME`).
    pub fn name(self) -> &'static str {
        match self {
            Kind::Ip => "ip",
            Kind::Ipv6 => "ipv6",
            Kind::Tcp => "tcp",
            Kind::Udp => "udp",
        }
    }

    /// tshark's title of the table.
    pub fn title(self) -> &'static str {
        match self {
            Kind::Ip => "IPv4",
            Kind::Ipv6 => "IPv6",
            Kind::Tcp => "TCP",
            Kind::Udp => "UDP",
        }
    }
}

/// Frames and bytes (on-wire lengths).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub frames: u64,
    pub bytes: u64,
}

impl Counts {
    fn add(&mut self, len: u32) {
        self.frames += 1;
        self.bytes += u64::from(len);
    }

    /// The sum of two directions.
    pub fn plus(self, o: Counts) -> Counts {
        Counts {
            frames: self.frames + o.frames,
            bytes: self.bytes + o.bytes,
        }
    }
}

/// A conversation between two endpoints; `port` is `None` for IP conversations.
#[derive(Debug, Clone, PartialEq)]
pub struct Conversation {
    pub kind: Kind,
    pub a: SocketAddr,
    pub b: SocketAddr,
    pub a_to_b: Counts,
    pub b_to_a: Counts,
    /// The first frame's time, relative to the capture's first frame.
    pub rel_start: Duration,
    /// The last frame's time relative to the capture's first frame (the duration is
    /// [`Conversation::duration_secs`]).
    pub rel_end: Duration,
}

impl Conversation {
    /// The duration in seconds as tshark computes it: the difference of the relative end
    /// and start, each first made a double (`nstime_to_sec`), so its last digit agrees.
    pub fn duration_secs(&self) -> f64 {
        self.rel_end.secs() - self.rel_start.secs()
    }

    /// Both directions together.
    pub fn total(&self) -> Counts {
        self.a_to_b.plus(self.b_to_a)
    }
}

/// An IP endpoint: what it sent (tx) and received (rx).
#[derive(Debug, Clone, PartialEq)]
pub struct Endpoint {
    pub kind: Kind,
    pub addr: IpAddr,
    pub tx: Counts,
    pub rx: Counts,
}

impl Endpoint {
    pub fn total(&self) -> Counts {
        self.tx.plus(self.rx)
    }
}

/// A signed span of time in nanoseconds, as tshark's `nstime_t` differences.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Duration(pub i128);

impl Duration {
    fn between(from: Timestamp, to: Timestamp) -> Duration {
        let ns = |t: Timestamp| i128::from(t.sec) * 1_000_000_000 + i128::from(t.nsec);
        Duration(ns(to) - ns(from))
    }

    /// In seconds, as Wireshark's `nstime_to_sec`: whole seconds plus nanoseconds / 1e9.
    pub fn secs(self) -> f64 {
        let (s, ns) = (
            self.0.div_euclid(1_000_000_000),
            self.0.rem_euclid(1_000_000_000),
        );
        s as f64 + ns as f64 / 1e9
    }
}

/// One line of the protocol hierarchy: a protocol under its parents (`depth` 0 is the link
/// layer) and the frames that carry it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layer {
    pub depth: usize,
    /// tshark's protocol filter name: `eth`, `sll`, `null`, `raw`, `vlan`, `ip`, `ipv6`,
    /// `arp`, `tcp`, `udp`, `icmp`, `icmpv6`.
    pub proto: &'static str,
    pub counts: Counts,
}

/// Everything [`Stats::finish`] reports, each table in tshark's order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Report {
    /// tcp, udp, ip, ipv6 tables in that order, each sorted by total frames.
    pub conversations: Vec<Conversation>,
    /// ip then ipv6, each sorted by total frames.
    pub endpoints: Vec<Endpoint>,
    /// The hierarchy in depth-first order, children in order of first appearance.
    pub hierarchy: Vec<Layer>,
}

/// A conversation while it is being counted.
#[derive(Debug)]
struct Open {
    a: SocketAddr,
    b: SocketAddr,
    a_to_b: Counts,
    b_to_a: Counts,
    first: Timestamp,
    last: Timestamp,
}

/// A hierarchy node: its protocol, counts and children (few, searched in order).
#[derive(Debug, Default)]
struct Node {
    proto: &'static str,
    counts: Counts,
    children: Vec<Node>,
}

/// The streaming counter.
#[derive(Debug, Default)]
pub struct Stats {
    first: Option<Timestamp>,
    /// Conversations of each kind by unordered endpoint pair, in order of first appearance.
    convs: HashMap<(Kind, SocketAddr, SocketAddr), usize>,
    open: Vec<(Kind, Open)>,
    ends: HashMap<(Kind, IpAddr), usize>,
    endpoints: Vec<Endpoint>,
    root: Node,
}

/// What one frame carries, as far as the statistics look.
#[derive(Debug, Default)]
struct Frame {
    path: [&'static str; 5],
    depth: usize,
    ip: Option<(Kind, IpAddr, IpAddr)>,
    transport: Option<(Kind, u16, u16)>,
}

impl Frame {
    fn push(&mut self, proto: &'static str) {
        if let Some(slot) = self.path.get_mut(self.depth) {
            *slot = proto;
            self.depth += 1;
        }
    }
}

impl Stats {
    pub fn new() -> Stats {
        Stats::default()
    }

    /// Count one record.
    pub fn add(&mut self, rec: &Record<'_>) {
        self.first.get_or_insert(rec.ts);
        let f = decode(rec);
        self.count_path(&f, rec.len);
        let Some((kind, src, dst)) = f.ip else {
            return;
        };
        self.count_endpoint(kind, src, rec.len, true);
        self.count_endpoint(kind, dst, rec.len, false);
        let (s, d) = (SocketAddr::new(src, 0), SocketAddr::new(dst, 0));
        self.count_conv(kind, s, d, rec);
        if let Some((t, sp, dp)) = f.transport {
            let (s, d) = (SocketAddr::new(src, sp), SocketAddr::new(dst, dp));
            self.count_conv(t, s, d, rec);
        }
    }

    fn count_path(&mut self, f: &Frame, len: u32) {
        let mut node = &mut self.root;
        for proto in f.path.iter().take(f.depth) {
            let at = match node.children.iter().position(|c| c.proto == *proto) {
                Some(at) => at,
                None => {
                    node.children.push(Node {
                        proto,
                        ..Node::default()
                    });
                    node.children.len() - 1
                }
            };
            // `at` indexes `children`: found or just pushed.
            let Some(child) = node.children.get_mut(at) else {
                return;
            };
            child.counts.add(len);
            node = child;
        }
    }

    fn count_endpoint(&mut self, kind: Kind, addr: IpAddr, len: u32, tx: bool) {
        let next = self.endpoints.len();
        let at = *self.ends.entry((kind, addr)).or_insert(next);
        if at == next {
            self.endpoints.push(Endpoint {
                kind,
                addr,
                tx: Counts::default(),
                rx: Counts::default(),
            });
        }
        if let Some(e) = self.endpoints.get_mut(at) {
            let side = if tx { &mut e.tx } else { &mut e.rx };
            side.add(len);
        }
    }

    fn count_conv(&mut self, kind: Kind, src: SocketAddr, dst: SocketAddr, rec: &Record<'_>) {
        let key = if src <= dst {
            (kind, src, dst)
        } else {
            (kind, dst, src)
        };
        let next = self.open.len();
        let at = *self.convs.entry(key).or_insert(next);
        if at == next {
            let open = Open {
                a: src,
                b: dst,
                a_to_b: Counts::default(),
                b_to_a: Counts::default(),
                first: rec.ts,
                last: rec.ts,
            };
            self.open.push((kind, open));
        }
        if let Some((_, c)) = self.open.get_mut(at) {
            if src == c.a {
                c.a_to_b.add(rec.len);
            } else {
                c.b_to_a.add(rec.len);
            }
            c.last = rec.ts;
        }
    }

    /// The report: every table sorted as tshark prints it.
    pub fn finish(self) -> Report {
        let first = self.first.unwrap_or_default();
        let mut conversations: Vec<Conversation> = self
            .open
            .into_iter()
            .map(|(kind, o)| Conversation {
                kind,
                a: o.a,
                b: o.b,
                a_to_b: o.a_to_b,
                b_to_a: o.b_to_a,
                rel_start: Duration::between(first, o.first),
                rel_end: Duration::between(first, o.last),
            })
            .collect();
        let order = |k: Kind| match k {
            Kind::Tcp => 0,
            Kind::Udp => 1,
            Kind::Ip => 2,
            Kind::Ipv6 => 3,
        };
        // Stable: ties keep the order of first appearance, as tshark's tables do.
        conversations.sort_by_key(|c| (order(c.kind), std::cmp::Reverse(c.total().frames)));
        let mut endpoints = self.endpoints;
        endpoints.sort_by_key(|e| (order(e.kind), std::cmp::Reverse(e.total().frames)));
        let mut hierarchy = Vec::new();
        flatten(&self.root.children, 0, &mut hierarchy);
        Report {
            conversations,
            endpoints,
            hierarchy,
        }
    }
}

fn flatten(nodes: &[Node], depth: usize, out: &mut Vec<Layer>) {
    for n in nodes {
        out.push(Layer {
            depth,
            proto: n.proto,
            counts: n.counts,
        });
        flatten(&n.children, depth + 1, out);
    }
}

/// The protocols of a record down to the transport layer, its IP addresses and ports.
fn decode(rec: &Record<'_>) -> Frame {
    let mut f = Frame::default();
    let net = match rec.link {
        LinkType::Ethernet => ether(&mut f, rec.data),
        LinkType::LinuxSll => {
            f.push("sll");
            link::ip_payload(rec.link, rec.data)
        }
        LinkType::LinuxSll2 => {
            f.push("sll");
            return f;
        }
        LinkType::Null | LinkType::Loop => {
            f.push("null");
            link::ip_payload(rec.link, rec.data)
        }
        LinkType::Raw => {
            f.push("raw");
            link::ip_payload(rec.link, rec.data)
        }
        LinkType::Ipv4 | LinkType::Ipv6 => link::ip_payload(rec.link, rec.data),
        LinkType::Unknown(_) => None,
    };
    if let Some(ip) = net {
        network(&mut f, ip);
    }
    f
}

/// Past the Ethernet header and at most one 802.1Q tag: the IP datagram, if any.
fn ether<'a>(f: &mut Frame, data: &'a [u8]) -> Option<&'a [u8]> {
    // A frame cut inside its Ethernet header is tshark's `_ws.short`, not `eth`.
    let frame = ethernet::Frame::new_checked(data).ok()?;
    f.push("eth");
    let (repr, payload) = ethernet::Repr::parse(&frame).ok()?;
    if repr.vlan.is_some() {
        f.push("vlan");
    }
    match repr.ethertype {
        EtherType::Ipv4 | EtherType::Ipv6 => Some(payload),
        EtherType::Arp => {
            f.push("arp");
            None
        }
        _ => None,
    }
}

/// The IP layer and what it carries. Like tshark, the transport header is read from what
/// was captured of the payload: a datagram cut short still counts in its conversation.
fn network(f: &mut Frame, ip: &[u8]) {
    if let Ok(p) = ipv4::Packet::new_checked(ip) {
        f.push("ip");
        let (s, d) = (IpAddr::V4(p.src_addr()), IpAddr::V4(p.dst_addr()));
        f.ip = Some((Kind::Ip, s, d));
        if p.frag_offset() != 0 {
            return;
        }
        let end = usize::from(p.total_len()).min(ip.len());
        transport(f, p.protocol(), ip.get(p.header_len()..end).unwrap_or(&[]));
    } else if let Ok(p) = ipv6::Packet::new_checked(ip) {
        f.push("ipv6");
        let (s, d) = (IpAddr::V6(p.src_addr()), IpAddr::V6(p.dst_addr()));
        f.ip = Some((Kind::Ipv6, s, d));
        let end = (ipv6::HEADER_LEN + usize::from(p.payload_len())).min(ip.len());
        let (nh, at) = match p.next_header() {
            ipv6::HOP_BY_HOP | ipv6::ROUTING | ipv6::FRAGMENT | ipv6::DEST_OPTS => {
                match p.ext_headers() {
                    Ok(found) => found,
                    Err(_) => return,
                }
            }
            nh => (nh, ipv6::HEADER_LEN),
        };
        transport(f, nh, ip.get(at..end).unwrap_or(&[]));
    }
}

/// The transport layer: in the hierarchy once any of it was captured, in the conversations
/// once its header was (tshark taps TCP and UDP after reading their headers).
fn transport(f: &mut Frame, proto: u8, l4: &[u8]) {
    if l4.is_empty() {
        return;
    }
    match proto {
        tcp::PROTOCOL => {
            f.push("tcp");
            if let Ok(t) = tcp::Packet::new_checked(l4) {
                f.transport = Some((Kind::Tcp, t.src_port(), t.dst_port()));
            }
        }
        udp::PROTOCOL => {
            f.push("udp");
            if let Ok(u) = udp::Packet::new_checked(l4) {
                f.transport = Some((Kind::Udp, u.src_port(), u.dst_port()));
            }
        }
        ICMP => f.push("icmp"),
        ICMPV6 => f.push("icmpv6"),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capture::synth::{self, Ipv4, Ipv6, Net, Transport, Udp};

    fn rec(data: &[u8], sec: i64) -> Record<'_> {
        Record::ethernet(sec, 0, data, data.len() as u32 + 10)
    }

    fn udp(net: Net, sport: u16, dport: u16) -> Vec<u8> {
        let t = Transport::Udp(Udp {
            sport,
            dport,
            payload: b"hi".to_vec(),
        });
        synth::frame(&net, &t)
    }

    #[test]
    fn directions_order_and_times_follow_tshark() {
        let v4 = |s: [u8; 4], d: [u8; 4]| {
            Net::V4(Ipv4 {
                src: s.into(),
                dst: d.into(),
                ..Ipv4::default()
            })
        };
        let a_b = udp(v4([10, 0, 0, 1], [10, 0, 0, 2]), 4000, 4001);
        let b_a = udp(v4([10, 0, 0, 2], [10, 0, 0, 1]), 4001, 4000);
        let other = udp(Net::V6(Ipv6::default()), 4000, 4002);
        let mut s = Stats::new();
        for (p, t) in [(&other, 5), (&a_b, 7), (&b_a, 8), (&a_b, 10)] {
            s.add(&rec(p, t));
        }
        let r = s.finish();
        let udp: Vec<&Conversation> = r
            .conversations
            .iter()
            .filter(|c| c.kind == Kind::Udp)
            .collect();
        // Most frames first; the first sender is A; bytes are on-wire lengths.
        assert_eq!(udp[0].a.port(), 4000);
        assert_eq!(udp[0].a_to_b.frames, 2);
        assert_eq!(udp[0].b_to_a.frames, 1);
        assert_eq!(udp[0].b_to_a.bytes, b_a.len() as u64 + 10);
        assert_eq!(udp[0].rel_start, Duration(2_000_000_000));
        assert_eq!(udp[0].duration_secs(), 3.0);
        assert_eq!(udp[1].b.ip(), IpAddr::V6(std::net::Ipv6Addr::LOCALHOST));
        let ep: Vec<&Endpoint> = r.endpoints.iter().filter(|e| e.kind == Kind::Ip).collect();
        assert_eq!((ep[0].tx.frames, ep[0].rx.frames), (2, 1));
        let names: Vec<(usize, &str, u64)> = r
            .hierarchy
            .iter()
            .map(|l| (l.depth, l.proto, l.counts.frames))
            .collect();
        let want = [
            (0, "eth", 4),
            (1, "ipv6", 1),
            (2, "udp", 1),
            (1, "ip", 3),
            (2, "udp", 3),
        ];
        assert_eq!(names, want);
    }

    #[test]
    fn short_and_foreign_frames_count_only_as_far_as_they_go() {
        let full = udp(Net::V4(Ipv4::default()), 4000, 4001);
        let mut s = Stats::new();
        // Cut inside the UDP header: IP and the hierarchy's udp, no UDP conversation.
        s.add(&rec(
            &full[..ethernet::HEADER_LEN + ipv4::HEADER_LEN + 4],
            0,
        ));
        s.add(&rec(&full[..3], 1));
        s.add(&rec(&[], 2));
        let r = s.finish();
        assert!(r.conversations.iter().all(|c| c.kind == Kind::Ip));
        assert_eq!(r.hierarchy.len(), 3);
        assert_eq!(r.hierarchy[0].counts.frames, 1);
    }
}
