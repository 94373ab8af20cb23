//! Packet synthesis: Ethernet/IPv4/IPv6/TCP/UDP/ICMP/ICMPv6 packets with options, extension
//! headers and correct checksums; seeded random and mutated packets; echo sessions. For
//! fixtures, differential tests, benchmarks and fuzz seeds.
//!
//! Ports are chosen where tcpdump 4.99.3 decodes no application protocol (`tcp.h`, `udp.h`
//! at tcpdump-4.99.3): 4000-4100 and 40000-60000 without 49152.
//!
//! Must not import `crate::echo` or `crate::cli`.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use rand::{Rng, RngCore, SeedableRng};

use super::wire::ethernet::{self, EtherType};
use super::wire::{icmp, icmp6, ipv4, ipv6, tcp, udp};

/// IP protocol numbers.
pub const PROTO_ICMP: u8 = 1;
pub const PROTO_TCP: u8 = 6;
pub const PROTO_UDP: u8 = 17;
pub const PROTO_ICMPV6: u8 = 58;

/// TCP flag bits.
pub mod flags {
    pub const FIN: u8 = 0x01;
    pub const SYN: u8 = 0x02;
    pub const RST: u8 = 0x04;
    pub const PSH: u8 = 0x08;
    pub const ACK: u8 = 0x10;
    pub const URG: u8 = 0x20;
    pub const ECE: u8 = 0x40;
    pub const CWR: u8 = 0x80;
}

/// A TCP segment (RFC 9293): `options` are raw option bytes, padded to 4 when built.
#[derive(Debug, Clone, Default)]
pub struct Tcp {
    pub sport: u16,
    pub dport: u16,
    pub seq: u32,
    pub ack: u32,
    pub flags: u8,
    pub win: u16,
    pub urp: u16,
    pub options: Vec<u8>,
    pub payload: Vec<u8>,
}

/// A UDP datagram (RFC 768).
#[derive(Debug, Clone, Default)]
pub struct Udp {
    pub sport: u16,
    pub dport: u16,
    pub payload: Vec<u8>,
}

/// An ICMP or ICMPv6 message: type, code, the 4 bytes after the checksum, and the rest.
#[derive(Debug, Clone, Default)]
pub struct Icmp {
    pub kind: u8,
    pub code: u8,
    pub rest: [u8; 4],
    pub body: Vec<u8>,
}

/// What an IP packet carries.
#[derive(Debug, Clone)]
pub enum Transport {
    Tcp(Tcp),
    Udp(Udp),
    Icmp(Icmp),
    /// Any protocol, bytes as given.
    Raw(u8, Vec<u8>),
}

impl Transport {
    fn proto(&self, v6: bool) -> u8 {
        match self {
            Transport::Tcp(_) => PROTO_TCP,
            Transport::Udp(_) => PROTO_UDP,
            Transport::Icmp(_) if v6 => PROTO_ICMPV6,
            Transport::Icmp(_) => PROTO_ICMP,
            Transport::Raw(p, _) => *p,
        }
    }

    /// The transport bytes, checksummed against `src`/`dst` (ICMPv4 has no pseudo-header),
    /// emitted by `wire`'s `Repr`s.
    pub fn build(&self, src: IpAddr, dst: IpAddr) -> Vec<u8> {
        match self {
            Transport::Tcp(t) => tcp::Repr {
                src_port: t.sport,
                dst_port: t.dport,
                seq_number: t.seq,
                ack_number: t.ack,
                flags: t.flags,
                window_len: t.win,
                urgent_at: t.urp,
                options: vec![tcp::TcpOption::Raw(&t.options)],
                payload: &t.payload,
            }
            .emit(src, dst),
            Transport::Udp(u) => udp::Repr {
                src_port: u.sport,
                dst_port: u.dport,
                payload: &u.payload,
            }
            .emit(src, dst),
            Transport::Icmp(i) => match (src, dst) {
                (IpAddr::V6(s), IpAddr::V6(d)) => icmp6_repr(i).emit(s, d),
                _ => icmp_repr(i).emit(),
            },
            Transport::Raw(_, bytes) => bytes.clone(),
        }
    }
}

/// An ICMP message as `wire::icmp` emits it: an echo, or any other type as an error (type,
/// code, second word and body as given).
fn icmp_repr(i: &Icmp) -> icmp::Repr<'_> {
    let [a, b, c, d] = i.rest;
    let (ident, seq) = (u16::from_be_bytes([a, b]), u16::from_be_bytes([c, d]));
    match (i.kind, i.code) {
        (8, 0) => icmp::Repr::EchoRequest {
            ident,
            seq,
            data: &i.body,
        },
        (0, 0) => icmp::Repr::EchoReply {
            ident,
            seq,
            data: &i.body,
        },
        (kind, code) => icmp::Repr::Error {
            msg: icmp::Message::from(kind),
            code,
            rest: i.rest,
            quoted: &i.body,
        },
    }
}

/// An ICMPv6 message as `wire::icmp6` emits it: an echo, or any other type as an error.
fn icmp6_repr(i: &Icmp) -> icmp6::Repr<'_> {
    let [a, b, c, d] = i.rest;
    match (i.kind, i.code) {
        (128 | 129, 0) => icmp6::Repr::Echo {
            reply: i.kind == 129,
            ident: u16::from_be_bytes([a, b]),
            seq: u16::from_be_bytes([c, d]),
            data: &i.body,
        },
        (msg_type, code) => icmp6::Repr::Error {
            msg_type,
            code,
            param: u32::from_be_bytes(i.rest),
            quoted: &i.body,
        },
    }
}

/// An IPv4 header's variable fields (RFC 791); `options` padded to 4 when built.
#[derive(Debug, Clone)]
pub struct Ipv4 {
    pub src: Ipv4Addr,
    pub dst: Ipv4Addr,
    pub tos: u8,
    pub id: u16,
    pub df: bool,
    pub mf: bool,
    /// Fragment offset in 8-byte units.
    pub frag: u16,
    pub ttl: u8,
    pub options: Vec<u8>,
}

impl Default for Ipv4 {
    fn default() -> Ipv4 {
        Ipv4 {
            src: Ipv4Addr::LOCALHOST,
            dst: Ipv4Addr::LOCALHOST,
            tos: 0,
            id: 0,
            df: true,
            mf: false,
            frag: 0,
            ttl: 64,
            options: Vec::new(),
        }
    }
}

impl Ipv4 {
    /// The IPv4 packet around an already built payload of protocol `proto`, emitted by
    /// `wire::ipv4::Repr`; a payload too long for the total length (damaged packets) is
    /// appended past a total length of 65535.
    pub fn packet(&self, proto: u8, payload: &[u8]) -> Vec<u8> {
        let options = self.options.get(..40).unwrap_or(&self.options);
        let hlen = 20 + options.len().div_ceil(4) * 4;
        let fits = payload.len().min(0xffff - hlen);
        let (head, rest) = payload.split_at(fits);
        let repr = ipv4::Repr {
            src_addr: self.src,
            dst_addr: self.dst,
            protocol: proto,
            tos: self.tos,
            ident: self.id,
            dont_frag: self.df,
            more_frags: self.mf,
            frag_offset: (self.frag & 0x1fff) * 8,
            ttl: self.ttl,
            options,
            payload: head,
        };
        let mut b = repr.emit().unwrap_or_default();
        b.extend_from_slice(rest);
        b
    }
}

pub use super::wire::ipv6::Ext;

/// An IPv6 header's variable fields and its extension headers.
#[derive(Debug, Clone)]
pub struct Ipv6 {
    pub src: Ipv6Addr,
    pub dst: Ipv6Addr,
    pub tclass: u8,
    pub flow: u32,
    pub hlim: u8,
    pub ext: Vec<Ext>,
}

impl Default for Ipv6 {
    fn default() -> Ipv6 {
        Ipv6 {
            src: Ipv6Addr::LOCALHOST,
            dst: Ipv6Addr::LOCALHOST,
            tclass: 0,
            flow: 0,
            hlim: 64,
            ext: Vec::new(),
        }
    }
}

impl Ipv6 {
    /// The destination the transport checksum uses: the last routing header address.
    pub fn pseudo_dst(&self) -> Ipv6Addr {
        self.ext
            .iter()
            .rev()
            .find_map(|e| match e {
                Ext::Routing {
                    segments_left,
                    addrs,
                } if *segments_left > 0 => addrs.last().copied(),
                _ => None,
            })
            .unwrap_or(self.dst)
    }

    /// The IPv6 packet around an already built payload of protocol `proto`.
    pub fn packet(&self, proto: u8, payload: &[u8]) -> Vec<u8> {
        let mut next = proto;
        let mut exts = Vec::new();
        for e in self.ext.iter().rev() {
            let (t, mut b) = e.emit(next);
            next = t;
            b.extend_from_slice(&exts);
            exts = b;
        }
        exts.extend_from_slice(payload);
        let repr = ipv6::Repr {
            src_addr: self.src,
            dst_addr: self.dst,
            next_header: next,
            traffic_class: self.tclass,
            flow_label: self.flow & 0xfffff,
            hop_limit: self.hlim,
            payload: &exts,
        };
        repr.emit().unwrap_or_else(|_| {
            // Longer than the payload length can say: the length is cut to 65535.
            let mut b = ipv6::Repr {
                payload: &[],
                ..repr
            }
            .emit()
            .unwrap_or_default();
            if let Some(f) = b.get_mut(ipv6::field::LENGTH) {
                f.copy_from_slice(&[0xff, 0xff]);
            }
            b.extend_from_slice(&exts);
            b
        })
    }
}

/// The network layer of a packet.
#[derive(Debug, Clone)]
pub enum Net {
    V4(Ipv4),
    V6(Ipv6),
}

/// An Ethernet II frame (all-zero MACs, as Linux `lo` captures carry).
pub fn ethernet(ethertype: u16, payload: &[u8]) -> Vec<u8> {
    ethernet::Repr {
        dst: [0; 6],
        src: [0; 6],
        vlan: None,
        ethertype: EtherType::from(ethertype),
    }
    .emit(payload)
}

/// A whole Ethernet frame: `net` around `t`, every checksum correct.
pub fn frame(net: &Net, t: &Transport) -> Vec<u8> {
    match net {
        Net::V4(ip) => {
            let seg = t.build(IpAddr::V4(ip.src), IpAddr::V4(ip.dst));
            ethernet(0x0800, &ip.packet(t.proto(false), &seg))
        }
        Net::V6(ip) => {
            let seg = t.build(IpAddr::V6(ip.src), IpAddr::V6(ip.pseudo_dst()));
            ethernet(0x86dd, &ip.packet(t.proto(true), &seg))
        }
    }
}

/// The seeded generator used by tests, benchmarks and fixtures (stable for a given seed).
pub type SynthRng = rand::rngs::StdRng;

/// A generator seeded with `seed`.
pub fn rng(seed: u64) -> SynthRng {
    SynthRng::seed_from_u64(seed)
}

/// A port tcpdump decodes nothing further on.
pub fn quiet_port(r: &mut impl RngCore) -> u16 {
    if r.gen_bool(0.5) {
        r.gen_range(4000..=4100)
    } else {
        loop {
            let p = r.gen_range(40000..=60000);
            if p != 49152 {
                return p;
            }
        }
    }
}

fn bytes(r: &mut impl RngCore, max: usize) -> Vec<u8> {
    let n = r.gen_range(0..=max);
    let mut v = vec![0; n];
    r.fill_bytes(&mut v);
    v
}

/// Random TCP options: the kinds tcpdump knows, sometimes malformed, sometimes unknown.
fn tcp_options(r: &mut impl RngCore) -> Vec<u8> {
    let mut o = Vec::new();
    for _ in 0..r.gen_range(0..5) {
        match r.gen_range(0..10) {
            0 => o.extend_from_slice(&[2, 4, 0x05, 0xb4]),
            1 => o.extend_from_slice(&[3, 3, r.gen_range(0..16)]),
            2 => o.extend_from_slice(&[4, 2]),
            3 => {
                o.extend_from_slice(&[8, 10]);
                o.extend_from_slice(&r.gen::<[u8; 8]>());
            }
            4 => {
                let n = r.gen_range(1..4u8);
                o.extend_from_slice(&[5, 2 + 8 * n]);
                for _ in 0..n * 8 {
                    o.push(r.gen());
                }
            }
            5 => o.push(1),
            6 => o.extend_from_slice(&[r.gen_range(9..=255), 2]),
            7 => o.extend_from_slice(&[r.gen(), r.gen_range(0..6)]),
            8 => o.push(0),
            _ => o.extend_from_slice(&[30, 4, r.gen(), r.gen()]),
        }
    }
    o.truncate(40);
    o
}

/// Random IPv4 options (NOP, EOL, RR, timestamp, unknown).
fn ip_options(r: &mut impl RngCore) -> Vec<u8> {
    let mut o = Vec::new();
    if r.gen_bool(0.8) {
        return o;
    }
    for _ in 0..r.gen_range(1..4) {
        match r.gen_range(0..5) {
            0 => o.push(1),
            1 => o.push(0),
            2 => {
                o.extend_from_slice(&[7, 11, 4]);
                o.extend_from_slice(&[0; 8]);
            }
            3 => o.extend_from_slice(&[148, 4, 0, 0]),
            _ => o.extend_from_slice(&[r.gen(), r.gen_range(0..6)]),
        }
    }
    o.truncate(40);
    o
}

fn random_transport(r: &mut impl RngCore, v6: bool) -> Transport {
    match r.gen_range(0..10) {
        0..=4 => {
            let mut flags = if r.gen_bool(0.7) {
                [0x02, 0x12, 0x10, 0x18, 0x11, 0x04, 0x14][r.gen_range(0..7)]
            } else {
                r.gen()
            };
            if r.gen_bool(0.1) {
                flags |= flags::URG;
            }
            Transport::Tcp(Tcp {
                sport: quiet_port(r),
                dport: quiet_port(r),
                seq: r.gen(),
                ack: r.gen(),
                flags,
                win: r.gen(),
                urp: if flags & flags::URG != 0 { r.gen() } else { 0 },
                options: tcp_options(r),
                payload: bytes(r, 64),
            })
        }
        5..=7 => Transport::Udp(Udp {
            sport: quiet_port(r),
            dport: quiet_port(r),
            payload: bytes(r, 64),
        }),
        _ => {
            let (echo_req, echo_rep, unreach) = if v6 { (128, 129, 1) } else { (8, 0, 3) };
            let kind = [echo_req, echo_rep, unreach][r.gen_range(0..3)];
            let body = if kind == unreach {
                quoted(r, v6)
            } else {
                bytes(r, 32)
            };
            Transport::Icmp(Icmp {
                kind,
                code: if kind == unreach {
                    r.gen_range(0..5)
                } else {
                    0
                },
                rest: if kind == unreach { [0; 4] } else { r.gen() },
                body,
            })
        }
    }
}

/// The start of a datagram quoted by an ICMP error.
fn quoted(r: &mut impl RngCore, v6: bool) -> Vec<u8> {
    let t = Transport::Udp(Udp {
        sport: quiet_port(r),
        dport: quiet_port(r),
        payload: bytes(r, 8),
    });
    let net = random_net(r, v6, false);
    let mut f = frame(&net, &t);
    f.drain(..14.min(f.len()));
    f
}

fn random_net(r: &mut impl RngCore, v6: bool, exts: bool) -> Net {
    if v6 {
        let mut ext = Vec::new();
        if exts && r.gen_bool(0.3) {
            for _ in 0..r.gen_range(1..3) {
                ext.push(match r.gen_range(0..4) {
                    0 => Ext::HopByHop(if r.gen_bool(0.5) {
                        vec![]
                    } else {
                        vec![5, 2, 0, 0]
                    }),
                    1 => Ext::DestOpts(bytes(r, 6).into_iter().map(|_| 0).collect()),
                    2 => Ext::Routing {
                        segments_left: 0,
                        addrs: vec![Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, r.gen())],
                    },
                    _ => Ext::Fragment {
                        offset: 0,
                        more: false,
                        id: r.gen(),
                    },
                });
            }
        }
        Net::V6(Ipv6 {
            src: Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, r.gen_range(1..100)),
            dst: Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 1, r.gen_range(1..100)),
            tclass: if r.gen_bool(0.2) { r.gen() } else { 0 },
            flow: if r.gen_bool(0.3) { r.gen() } else { 0 },
            hlim: r.gen(),
            ext,
        })
    } else {
        let frag = exts && r.gen_bool(0.05);
        Net::V4(Ipv4 {
            src: Ipv4Addr::new(10, 0, 0, r.gen_range(1..100)),
            dst: Ipv4Addr::new(10, 0, 1, r.gen_range(1..100)),
            tos: if r.gen_bool(0.2) { r.gen() } else { 0 },
            id: r.gen(),
            df: r.gen_bool(0.5),
            mf: frag && r.gen_bool(0.5),
            frag: if frag { r.gen_range(0..100) } else { 0 },
            ttl: r.gen(),
            options: if exts { ip_options(r) } else { vec![] },
        })
    }
}

/// A random valid Ethernet frame: IPv4 or IPv6, TCP, UDP or ICMP, correct checksums.
pub fn random_packet(r: &mut impl RngCore) -> Vec<u8> {
    let v6 = r.gen_bool(0.4);
    let net = random_net(r, v6, true);
    let t = random_transport(r, v6);
    frame(&net, &t)
}

/// A damaged copy of `pkt` and its on-wire length: bit flips, a short capture, a wrong
/// length field, or random bytes in the headers.
pub fn mutate(r: &mut impl RngCore, pkt: &[u8]) -> (Vec<u8>, u32) {
    let mut p = pkt.to_vec();
    let wire = damage(r, &mut p);
    // Keep the IP protocol (IPv6 next header): a damaged one could name a protocol tcpdump
    // decodes and echolab does not (DCCP, SCTP, GRE...).
    let at = if p.get(12..14) == Some(&[0x86, 0xdd]) {
        20
    } else {
        23
    };
    if let (Some(b), Some(&orig)) = (p.get_mut(at), pkt.get(at)) {
        *b = orig;
    }
    (p, wire)
}

/// Applies one kind of damage to `p`; returns the on-wire length.
fn damage(r: &mut impl RngCore, p: &mut Vec<u8>) -> u32 {
    let mut wire = p.len() as u32;
    match r.gen_range(0..6) {
        0 => {
            for _ in 0..r.gen_range(1..4) {
                if !p.is_empty() {
                    let at = r.gen_range(14.min(p.len() - 1)..p.len());
                    if let Some(b) = p.get_mut(at) {
                        *b ^= 1 << r.gen_range(0..8);
                    }
                }
            }
        }
        1 => {
            // A capture cut short: the wire length stays.
            let keep = r.gen_range(14.min(p.len())..=p.len());
            p.truncate(keep);
        }
        2 => {
            // A wrong IP length field (IPv4 total length or IPv6 payload length).
            let at = if p.get(12..14) == Some(&[0x86, 0xdd]) {
                18
            } else {
                16
            };
            let v: u16 = if r.gen_bool(0.5) {
                r.gen()
            } else {
                r.gen_range(0..80)
            };
            if let Some(f) = p.get_mut(at..at + 2) {
                f.copy_from_slice(&v.to_be_bytes());
            }
        }
        3 => {
            // A random byte somewhere in the first 80 bytes.
            if p.len() > 14 {
                let at = r.gen_range(14..p.len().min(80));
                if let Some(b) = p.get_mut(at) {
                    *b = r.gen();
                }
            }
        }
        4 => {
            // A packet cut short on the wire too.
            let keep = r.gen_range(14.min(p.len())..=p.len());
            p.truncate(keep);
            wire = p.len() as u32;
        }
        _ => {
            // The UDP length or TCP data offset.
            let v6 = p.get(12..14) == Some(&[0x86, 0xdd]);
            let ihl = if v6 {
                40
            } else {
                usize::from(p.get(14).copied().unwrap_or(0x45) & 15) * 4
            };
            let at = 14 + ihl + if r.gen_bool(0.5) { 4 } else { 12 };
            if let Some(b) = p.get_mut(at) {
                *b = r.gen();
            }
        }
    }
    wire
}

/// The packets of an echo session on loopback, for benchmarks: a TCP handshake between a
/// client port and 4002, `lines` request/echo exchanges each with its ACK, and the close.
/// Calls `f` with every frame in order.
pub fn echo_session(client_port: u16, lines: u64, mut f: impl FnMut(&[u8])) {
    let net = Net::V4(Ipv4::default());
    let (c, s) = (client_port, 4002);
    let (mut cseq, mut sseq) = (0x1000_0000u32, 0x2000_0000u32);
    let opts = vec![
        2, 4, 0xff, 0xd7, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 1, 3, 3, 7,
    ];
    let seg = |sport, dport, seq, ack, flags, options: Vec<u8>, payload: Vec<u8>| {
        Transport::Tcp(Tcp {
            sport,
            dport,
            seq,
            ack,
            flags,
            win: 65483,
            urp: 0,
            options,
            payload,
        })
    };
    f(&frame(
        &net,
        &seg(c, s, cseq, 0, flags::SYN, opts.clone(), vec![]),
    ));
    f(&frame(&net, &seg(s, c, sseq, cseq + 1, 0x12, opts, vec![])));
    cseq += 1;
    sseq += 1;
    f(&frame(
        &net,
        &seg(c, s, cseq, sseq, flags::ACK, vec![], vec![]),
    ));
    let ts = vec![1, 1, 8, 10, 0, 0, 0, 2, 0, 0, 0, 1];
    for i in 0..lines {
        let line = format!("echo line {i} from the lab client\n").into_bytes();
        let n = line.len() as u32;
        let psh = flags::PSH | flags::ACK;
        f(&frame(
            &net,
            &seg(c, s, cseq, sseq, psh, ts.clone(), line.clone()),
        ));
        f(&frame(
            &net,
            &seg(s, c, sseq, cseq + n, psh, ts.clone(), line),
        ));
        cseq += n;
        sseq += n;
        f(&frame(
            &net,
            &seg(c, s, cseq, sseq, flags::ACK, ts.clone(), vec![]),
        ));
    }
    let fa = flags::FIN | flags::ACK;
    f(&frame(&net, &seg(c, s, cseq, sseq, fa, vec![], vec![])));
    f(&frame(&net, &seg(s, c, sseq, cseq + 1, fa, vec![], vec![])));
    f(&frame(
        &net,
        &seg(c, s, cseq + 1, sseq + 1, flags::ACK, vec![], vec![]),
    ));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checksums_verify() {
        let mut r = rng(1);
        let mut checked = 0;
        for _ in 0..200 {
            let p = random_packet(&mut r);
            let f = ethernet::Frame::new_checked(&p).unwrap();
            if f.ethertype() != EtherType::Ipv4 {
                continue;
            }
            let ip = ipv4::Packet::new_checked(f.payload()).unwrap();
            assert!(ip.verify_checksum());
            let (s, d) = (IpAddr::V4(ip.src_addr()), IpAddr::V4(ip.dst_addr()));
            let l4 = ip.payload().unwrap();
            match ip.protocol() {
                _ if ip.is_fragment() => {}
                tcp::PROTOCOL => {
                    assert!(tcp::Packet::new_checked(l4).unwrap().verify_checksum(s, d));
                    checked += 1;
                }
                udp::PROTOCOL => {
                    assert!(udp::Packet::new_checked(l4).unwrap().verify_checksum(s, d));
                    checked += 1;
                }
                PROTO_ICMP => {
                    assert!(icmp::Packet::new_checked(l4).unwrap().verify_checksum());
                    checked += 1;
                }
                other => panic!("protocol {other}"),
            }
        }
        assert!(checked > 50, "{checked}");
    }

    #[test]
    fn seeded_is_stable() {
        let a = random_packet(&mut rng(7));
        let b = random_packet(&mut rng(7));
        assert_eq!(a, b);
    }

    #[test]
    fn echo_session_counts() {
        let mut n = 0;
        echo_session(45000, 10, |_| n += 1);
        assert_eq!(n, 3 + 30 + 3);
    }
}
