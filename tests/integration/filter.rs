//! The filter language against libpcap: for many expressions and thousands of packets on
//! every supported link type, `Program::matches` must select exactly the packets that
//! `tcpdump -r FILE -w - EXPR` selects, and reject exactly the expressions tcpdump rejects.
//!
//! Packets are built here from a fixed-seed RNG: Ethernet/VLAN/ARP/RARP frames carrying
//! IPv4 (options, fragments) and IPv6 (hop-by-hop, destination options, fragment headers)
//! with TCP, UDP, SCTP, ICMP, ICMPv6 and other protocols, addresses and ports drawn from small
//! pools so that primitives match often; MPLS label stacks, PPPoE discovery and session
//! frames, 802.3 frames with 802.2 LLC (STP, IPX, NetBEUI, OSI, SNAP) and other EtherTypes
//! (IPX, AppleTalk, DECnet...); random truncations and random bytes. Names in expressions
//! (`port domain`, `host localhost`) are looked up on this machine by both.

use echolab::capture::filter::{compile, compile_with, verify};
use echolab::capture::names::FilterNames;
use echolab::capture::record::LinkType;
use pcap_file::pcap::{PcapHeader, PcapPacket, PcapReader, PcapWriter};
use pcap_file::{DataLink, Endianness, TsResolution};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::path::Path;
use std::process::Command;
use std::time::Duration;

/// One generated frame: Ethernet bytes, plus how many of them were captured.
pub(super) struct Frame {
    pub(super) eth: Vec<u8>,
    /// Bytes captured (the rest only counts in the on-wire length).
    pub(super) caplen: usize,
}

const V4: [[u8; 4]; 9] = [
    [255, 255, 255, 255],
    [224, 0, 0, 251],
    [10, 0, 0, 1],
    [10, 0, 0, 2],
    [10, 1, 2, 3],
    [192, 168, 1, 1],
    [192, 168, 1, 77],
    [172, 16, 5, 4],
    [127, 0, 0, 1],
];
const V6: [&str; 6] = [
    "::1",
    "fe80::1",
    "2001:db8::1",
    "2001:db8::2",
    "2001:db8:1::5",
    "ff02::1",
];
const PORTS: [u16; 9] = [80, 443, 22, 4002, 53, 8080, 1000, 1500, 2000];
const MACS: [[u8; 6]; 3] = [
    [0x00, 0x11, 0x22, 0x33, 0x44, 0x55],
    [0xff; 6],
    [0x02, 0x00, 0x00, 0x00, 0x00, 0x01],
];

fn v4(rng: &mut StdRng) -> [u8; 4] {
    if rng.gen_bool(0.8) {
        V4[rng.gen_range(0..V4.len())]
    } else {
        rng.gen()
    }
}

fn v6(rng: &mut StdRng) -> [u8; 16] {
    if rng.gen_bool(0.8) {
        let a: std::net::Ipv6Addr = V6[rng.gen_range(0..V6.len())].parse().unwrap();
        a.octets()
    } else {
        rng.gen()
    }
}

fn port(rng: &mut StdRng) -> u16 {
    match rng.gen_range(0..10) {
        0..=5 => PORTS[rng.gen_range(0..PORTS.len())],
        6..=7 => rng.gen_range(1..3000),
        _ => rng.gen(),
    }
}

/// A transport header (and a little payload) for IP protocol `proto`.
fn transport(rng: &mut StdRng, proto: u8) -> Vec<u8> {
    let mut t = Vec::new();
    match proto {
        6 => {
            t.extend(port(rng).to_be_bytes());
            t.extend(port(rng).to_be_bytes());
            t.extend(rng.gen::<[u8; 8]>());
            t.push(0x50);
            t.push(if rng.gen_bool(0.5) {
                [0x02, 0x12, 0x10, 0x11, 0x18, 0x04][rng.gen_range(0..6)]
            } else {
                rng.gen()
            });
            t.extend(rng.gen::<[u8; 6]>());
        }
        17 | 132 => {
            t.extend(port(rng).to_be_bytes());
            t.extend(port(rng).to_be_bytes());
            t.extend(rng.gen::<[u8; 4]>());
        }
        1 | 58 => {
            let types: [u8; 6] = if proto == 1 {
                [0, 8, 3, 11, 5, 13]
            } else {
                [128, 129, 1, 135, 136, 2]
            };
            t.push(if rng.gen_bool(0.8) {
                types[rng.gen_range(0..6)]
            } else {
                rng.gen()
            });
            t.extend(rng.gen::<[u8; 7]>());
        }
        _ => t.extend(rng.gen::<[u8; 8]>()),
    }
    let extra = rng.gen_range(0..40);
    t.extend((0..extra).map(|_| rng.gen::<u8>()));
    t
}

fn ip_proto(rng: &mut StdRng, v6: bool) -> u8 {
    let common: [u8; 5] = if v6 {
        [6, 17, 58, 132, 6]
    } else {
        [6, 17, 1, 132, 17]
    };
    match rng.gen_range(0..10) {
        0..=7 => common[rng.gen_range(0..5)],
        8 => [2, 47, 50, 51, 103, 112, 58, 1][rng.gen_range(0..8)],
        _ => rng.gen(),
    }
}

fn ipv4(rng: &mut StdRng) -> Vec<u8> {
    let proto = ip_proto(rng, false);
    let opt_words = if rng.gen_bool(0.15) {
        rng.gen_range(1..4)
    } else {
        0
    };
    let mut frag: u16 = 0;
    if rng.gen_bool(0.15) {
        frag = rng.gen_range(1..0x2000);
    }
    if rng.gen_bool(0.15) {
        frag |= 0x2000; // more fragments
    }
    if rng.gen_bool(0.2) {
        frag |= 0x4000; // don't fragment
    }
    let body = transport(rng, proto);
    let hlen = 20 + 4 * opt_words;
    let total = (hlen + body.len()) as u16;
    let mut p = vec![0x40 | (5 + opt_words as u8), 0];
    p.extend(total.to_be_bytes());
    p.extend(rng.gen::<[u8; 2]>());
    p.extend(frag.to_be_bytes());
    p.push([64, 1, 128, 255][rng.gen_range(0..4)]);
    p.push(proto);
    p.extend([0, 0]);
    p.extend(v4(rng));
    p.extend(v4(rng));
    p.extend(std::iter::repeat_n(1u8, 4 * opt_words));
    p.extend(body);
    p
}

fn ipv6(rng: &mut StdRng) -> Vec<u8> {
    let last = ip_proto(rng, true);
    // Extension headers: hop-by-hop (0), destination options (60), fragment (44).
    let mut chain: Vec<u8> = Vec::new();
    for _ in 0..rng.gen_range(0..3) {
        if rng.gen_bool(0.5) {
            chain.push([0, 60, 44, 43][rng.gen_range(0..4)]);
        }
    }
    let mut rest = Vec::new();
    let mut nexts: Vec<u8> = chain.iter().skip(1).copied().collect();
    nexts.push(last);
    for (h, next) in chain.iter().zip(nexts.iter()) {
        if *h == 44 {
            rest.push(*next);
            rest.push(0);
            let off: u16 = if rng.gen_bool(0.5) {
                0
            } else {
                rng.gen_range(1..0x2000) << 3
            };
            rest.extend((off | u16::from(rng.gen_bool(0.5))).to_be_bytes());
            rest.extend(rng.gen::<[u8; 4]>());
        } else {
            rest.push(*next);
            rest.push(0);
            rest.extend([1, 4, 0, 0, 0, 0]);
        }
    }
    rest.extend(transport(rng, last));
    let first = chain.first().copied().unwrap_or(last);
    let mut p = vec![0x60, 0, 0, 0];
    p.extend((rest.len() as u16).to_be_bytes());
    p.push(first);
    p.push([64, 255, 1][rng.gen_range(0..3)]);
    p.extend(v6(rng));
    p.extend(v6(rng));
    p.extend(rest);
    p
}

fn arp(rng: &mut StdRng) -> Vec<u8> {
    let mut p = vec![0, 1, 8, 0, 6, 4, 0, rng.gen_range(1..5)];
    p.extend(MACS[rng.gen_range(0..3)]);
    p.extend(v4(rng));
    p.extend(MACS[rng.gen_range(0..3)]);
    p.extend(v4(rng));
    p
}

/// An IPv4 or IPv6 packet, or a few random bytes.
fn ip_or_not(rng: &mut StdRng) -> Vec<u8> {
    match rng.gen_range(0..5) {
        0..=1 => ipv4(rng),
        2..=3 => ipv6(rng),
        _ => (0..rng.gen_range(0..30)).map(|_| rng.gen()).collect(),
    }
}

/// An MPLS label stack of one to three labels (the last mostly with its bottom-of-stack
/// bit), then a packet.
fn mpls(rng: &mut StdRng) -> Vec<u8> {
    let n = rng.gen_range(1..4);
    let mut p = Vec::new();
    for i in 0..n {
        let label: u32 = [100, 200, 16, rng.gen_range(0..0x10_0000)][rng.gen_range(0..4)];
        let bos = u32::from(i == n - 1 && rng.gen_bool(0.9));
        let word = (label << 12) | (rng.gen_range(0..8) << 9) | (bos << 8) | 64;
        p.extend(word.to_be_bytes());
    }
    p.extend(ip_or_not(rng));
    p
}

/// A PPPoE discovery frame, or a session frame carrying PPP (IPv4, IPv6, LCP, MPLS).
fn pppoe(rng: &mut StdRng) -> (u16, Vec<u8>) {
    let session: u16 = [5, 1, 0x1234, rng.gen()][rng.gen_range(0..4)];
    if rng.gen_bool(0.3) {
        let code = [0x09, 0x07, 0x19, 0x65, 0xa7][rng.gen_range(0..5)];
        let mut p = vec![0x11, code];
        p.extend(session.to_be_bytes());
        let tags: Vec<u8> = (0..rng.gen_range(0..20)).map(|_| rng.gen()).collect();
        p.extend((tags.len() as u16).to_be_bytes());
        p.extend(tags);
        return (0x8863, p);
    }
    let proto: u16 = [0x0021, 0x0057, 0xc021, 0x0281, 0x0021][rng.gen_range(0..5)];
    let body = match proto {
        0x0281 => mpls(rng),
        _ => ip_or_not(rng),
    };
    let mut p = vec![0x11, 0x00];
    p.extend(session.to_be_bytes());
    p.extend((body.len() as u16 + 2).to_be_bytes());
    p.extend(proto.to_be_bytes());
    p.extend(body);
    (0x8864, p)
}

/// An 802.3 frame (a length in place of the EtherType) with an 802.2 LLC header: STP,
/// IPX (802.2, raw 802.3 and SNAP), NetBEUI, OSI, IP over 802.2, AppleTalk SNAP or random
/// SAPs, with control bytes of every LLC frame kind.
fn llc(rng: &mut StdRng) -> (u16, Vec<u8>) {
    let control: u8 = [
        0x03, 0x00, 0x01, 0x05, 0x09, 0x63, 0x43, 0x0f, 0x6f, 0xe3, 0xaf, 0x87, 0xf3, 0xbf,
    ][rng.gen_range(0..14)];
    let mut p: Vec<u8> = match rng.gen_range(0..10) {
        0..=1 => vec![0x42, 0x42, 0x03, 0, 0, 0],
        2 => vec![0xff, 0xff, 0, 30, 0],
        3 => vec![0xe0, 0xe0, 0x03],
        4 => vec![0xaa, 0xaa, 0x03, 0, 0, 0, 0x81, 0x37],
        5 => [
            [0xaa, 0xaa, 0x03, 0x08, 0x00, 0x07, 0x80, 0x9b],
            [0xaa, 0xaa, 0x03, 0, 0, 0, 0x80, 0xf3],
        ][rng.gen_range(0..2)]
        .to_vec(),
        6 => vec![0xf0, 0xf0, control],
        7 => vec![0xfe, 0xfe, 0x03, [0x81, 0x82, 0x83][rng.gen_range(0..3)]],
        8 => {
            let mut p = vec![0x06, 0x06, 0x03];
            p.extend(ipv4(rng));
            p
        }
        _ => vec![rng.gen(), rng.gen(), control],
    };
    p.extend((0..rng.gen_range(0..36)).map(|_| rng.gen::<u8>()));
    let len = if rng.gen_bool(0.9) {
        p.len() as u16
    } else {
        rng.gen_range(0..=1500)
    };
    (len, p)
}

/// A network-layer packet and its EtherType.
fn network(rng: &mut StdRng) -> (u16, Vec<u8>) {
    match rng.gen_range(0..26) {
        0..=8 => (0x0800, ipv4(rng)),
        9..=15 => (0x86dd, ipv6(rng)),
        16..=17 => (0x0806, arp(rng)),
        18 => (0x8035, arp(rng)),
        19 => (0x8847, mpls(rng)),
        20 => pppoe(rng),
        21..=22 => llc(rng),
        23 => {
            // Protocols libpcap names, on Ethernet II.
            let et = [
                0x8137, 0x809b, 0x80f3, 0x6003, 0x6004, 0x6001, 0x6002, 0x6007, 0x9000,
            ][rng.gen_range(0..9)];
            let len = rng.gen_range(0..40);
            (et, (0..len).map(|_| rng.gen()).collect())
        }
        _ => {
            let len = rng.gen_range(0..60);
            let et = if rng.gen_bool(0.5) {
                rng.gen_range(0..1600)
            } else {
                rng.gen()
            };
            (et, (0..len).map(|_| rng.gen()).collect())
        }
    }
}

fn frame(rng: &mut StdRng) -> Frame {
    let mut eth = Vec::new();
    eth.extend(MACS[rng.gen_range(0..3)]);
    eth.extend(MACS[rng.gen_range(0..3)]);
    let (et, payload) = network(rng);
    if rng.gen_bool(0.12) {
        eth.extend([0x81, 0x00]);
        let vid: u16 = [10, 100, 4095, 1][rng.gen_range(0..4)];
        eth.extend((vid | (rng.gen_range(0..8u16) << 13)).to_be_bytes());
    }
    eth.extend(et.to_be_bytes());
    if payload.starts_with(&[0x42, 0x42]) {
        // STP's bridge group address.
        eth[..6].copy_from_slice(&[0x01, 0x80, 0xc2, 0, 0, 0]);
    }
    eth.extend(payload);
    if rng.gen_bool(0.05) {
        // A mutated frame.
        for _ in 0..rng.gen_range(1..4) {
            let i = rng.gen_range(0..eth.len());
            eth[i] = rng.gen();
        }
    }
    let caplen = if rng.gen_bool(0.12) {
        rng.gen_range(0..=eth.len())
    } else {
        eth.len()
    };
    Frame { eth, caplen }
}

/// The frame's bytes on link type `link` (its network layer behind that link's header).
fn on_link(f: &Frame, link: u32, rng: &mut StdRng) -> Vec<u8> {
    let pl = &f.eth[14..];
    // Linux cooked headers give 802.3 frames a protocol of 802.2 (1 for raw 802.3).
    let et = match u16::from_be_bytes([f.eth[12], f.eth[13]]) {
        0..=1500 if pl.starts_with(&[0xff, 0xff]) => [0, 1],
        0..=1500 => [0, 4],
        _ => [f.eth[12], f.eth[13]],
    };
    let family = match u16::from_be_bytes(et) {
        0x0800 => 2u32,
        0x86dd => [24, 28, 30, 10][rng.gen_range(0..4)],
        _ => rng.gen_range(0..40),
    };
    let mut out = Vec::new();
    match link {
        1 => return f.eth.clone(),
        113 => {
            out.extend([0, rng.gen_range(0..5), 0, 1, 0, 6]);
            out.extend(&f.eth[6..12]);
            out.extend([0, 0]);
            out.extend(et);
        }
        276 => {
            out.extend(et);
            out.extend([0, 0, 0, 0, 0, 1, 0, 1, rng.gen_range(0..5), 6]);
            out.extend(&f.eth[6..12]);
            out.extend([0, 0]);
        }
        0 => out.extend(family.to_le_bytes()),
        108 => out.extend(family.to_be_bytes()),
        _ => {}
    }
    out.extend(pl);
    out
}

/// Expressions compared with libpcap: the primitives a lab uses, their qualifiers and
/// combinations, byte comparisons, and expressions both must reject.
const EXPRESSIONS: &[&str] = &[
    "",
    "ip",
    "ip6",
    "tcp",
    "udp",
    "icmp",
    "icmp6",
    "arp",
    "rarp",
    "sctp",
    "not ip",
    "ip or ip6",
    "tcp or udp",
    "!tcp",
    "igmp or pim or vrrp or ah or esp",
    "host 10.0.0.1",
    "src host 10.0.0.1",
    "dst host 10.0.0.2",
    "host 192.168.1.1 and host 10.0.0.1",
    "src 10.0.0.1",
    "dst 10.0.0.2",
    "host 127.0.0.1",
    "host ::1",
    "src host 2001:db8::1",
    "dst host 2001:db8::2",
    "ip6 host fe80::1",
    "ip host 10.0.0.1",
    "arp host 10.0.0.1",
    "rarp src host 192.168.1.1",
    "arp dst 10.0.0.2",
    "net 10.0.0.0/8",
    "net 10",
    "net 192.168.1",
    "host 10.1",
    "src net 192.168.0.0/16",
    "dst net 172.16.0.0 mask 255.240.0.0",
    "net 2001:db8::/32",
    "net fe80::/10",
    "src net 2001:db8:1::/48",
    "port 80",
    "port 80 or 443",
    "tcp port 80",
    "udp port 53",
    "sctp port 4002",
    "src port 4002",
    "dst port 4002",
    "tcp dst port 80",
    "port 4002",
    "tcp port 4002 or udp port 4002",
    "portrange 1000-2000",
    "tcp portrange 1000-1500",
    "udp src portrange 1-1024",
    "portrange 2000-1000",
    "portrange 80",
    "not port 22",
    "port 22 and not 80",
    "port 80 or 443 or 8080",
    "port (80 or 443)",
    "host 10.0.0.1 or 10.0.0.2",
    "host 10.0.0.1 and ! 10.0.0.2",
    "host 10.0.0.1 and (port 80 or 443)",
    "host 10.0.0.1 or (port 80) or 443",
    "tcp and (port 80 or port 443)",
    "(tcp or udp) and port 53",
    "tcp or udp and port 53",
    "not tcp and not udp",
    "! (ip6 and tcp)",
    "not not ip",
    "ip && !udp || arp",
    "ip proto 6",
    "ip proto 17 or 1",
    "ip6 proto 6",
    "ip6 proto 17",
    "proto 58",
    "proto \\tcp",
    "ip proto \\udp",
    "less 100",
    "greater 500",
    "less 64 or greater 1000",
    "icmp or icmp6",
    "src or dst host 10.0.0.1",
    "src and dst net 10.0.0.0/8",
    "tcp src port 80 or dst port 80",
    "host 10.0.0.1 and port 80 or udp",
    "ip and not host 127.0.0.1 and tcp port 4002",
    "tcp[13] & 2 != 0",
    "tcp[tcpflags] & tcp-syn != 0",
    "tcp[tcpflags] & (tcp-syn|tcp-ack) == tcp-syn",
    "tcp[tcpflags] & (tcp-rst|tcp-fin) != 0",
    "icmp[icmptype] == icmp-echo",
    "icmp[0] = 8 or icmp[0] = 0",
    "ip[8] < 64",
    "ip[2:2] > 100",
    "ip[6:2] & 0x1fff != 0",
    "ip6[7] = 64",
    "udp[4:2] > 20",
    "udp[2:2] = 53",
    "ether[12:2] = 0x86dd",
    "len > 100",
    "len <= 80",
    "len - 14 >= 64",
    "ip[0] & 0xf > 5",
    "tcp[0:2] + tcp[2:2] > 5000",
    "ip[9] * 2 = 12 or ip[9] / 2 = 8",
    "ip[0] + tcp[0] > 100",
    "udp[0:2] % 7 = 3 or tcp[2:2] ^ 80 = 0",
    "ip[9] / 0 = 1",
    "ip[9] >> 32 = 0",
    "ip[12:4] >> 24 == 10",
    "ip[16] << 1 = 20",
    "-ip[8] != 0",
    "icmp6[0] == 128",
    "icmp6[icmp6type] = icmp6-echoreply",
    "ip[tcp[0]] > 3",
    "vlan",
    "vlan 10",
    "vlan and ip",
    "vlan 100 and tcp port 80",
    "vlan and host 10.0.0.1 or arp",
    "ether host 00:11:22:33:44:55",
    "ether src 00:11:22:33:44:55",
    "ether dst ff:ff:ff:ff:ff:ff",
    "ether src 0:11:22:33:44:55 and ip",
    "broadcast",
    "ether broadcast or ether multicast",
    "multicast and not broadcast",
    "ip multicast",
    "ip6 multicast",
    "ip broadcast",
    "tcp multicast",
    "ether proto 0x0806",
    "ether proto \\arp or ether proto \\ip6",
    "icmp[icmptype] != icmp-echo and icmp[icmptype] != icmp-echoreply",
    "tcp[tcpflags] == tcp-syn|tcp-ack",
    "dst port 4002 and (tcp[tcpflags] & tcp-push != 0)",
    "host 127.0.0.1 and tcp port 4002",
    "ip6 and tcp port 4002",
    "udp and (src port 4002 or dst port 4002)",
    "host ::1 and port 4002",
    // Encapsulations and the link-layer protocols libpcap names.
    "mpls",
    "mpls 100",
    "mpls 100 and mpls 200",
    "mpls and mpls and mpls 16",
    "mpls and ip",
    "mpls and ip6",
    "mpls 100 and host 10.0.0.1",
    "mpls and tcp port 80",
    "vlan and mpls and ip",
    "vlan 10 and mpls 100 and udp",
    "pppoed",
    "pppoes",
    "pppoes 5",
    "pppoes and ip",
    "pppoes and ip host 10.0.0.1",
    "pppoes 4660 and tcp port 80",
    "pppoes and ip6",
    "pppoes and mpls and ip",
    "pppoed or pppoes",
    "llc",
    "llc i",
    "llc s",
    "llc u",
    "llc rr or llc rnr or llc rej",
    "llc ui",
    "llc ua or llc disc or llc dm or llc sabme",
    "llc test or llc xid or llc frmr",
    "vlan and llc",
    "stp",
    "ipx",
    "netbeui",
    "iso",
    "atalk or aarp",
    "decnet or lat or sca or mopdl or moprc",
    "not stp and llc",
    "vlan and stp",
    "ether proto \\stp",
    "ether proto \\ipx",
    "ether proto \\netbeui or ether proto \\iso",
    "ether proto \\atalk or ether proto \\aarp",
    "ether proto \\decnet or ether proto \\loopback",
    "ether proto 0x42",
    "ether proto 6",
    // Names, looked up on this machine.
    "port domain",
    "port http",
    "tcp port ssh",
    "udp port domain",
    "udp port ntp",
    "port ssh or snmp",
    "portrange ssh-http",
    "portrange 20-ssh",
    "host localhost",
    "src host localhost and tcp",
    "ip host localhost",
    "ip proto \\ospf or proto \\gre",
    "ip6 proto \\ipv6-icmp",
    "net loopback",
    "dst net link-local",
    // Both must reject these.
    "port 70000",
    "80",
    "tcp or 80",
    "host",
    "port",
    "ip6 host 10.0.0.1",
    "net 10.0.0.1/8",
    "foo",
    "port foo",
    "tcp and",
    "(tcp",
    "tcp)",
    "ip port 80",
    "tcp host 10.0.0.1",
    "host 10.0.0.1/8",
    "tcp proto 6",
    "src proto 6",
    "tcp[13:3] = 0",
    "less",
    "ether host 10.0.0.1",
    "port 08",
    "net ::1/129",
    "mpls and arp",
    "mpls and vlan",
    "pppoes and vlan",
    "pppoes and llc",
    "mpls 1048576",
    "pppoes 65536",
    "llc foo",
    "udp port http",
    "tcp port ntp",
    "udp portrange ssh-http",
    "port no-such-service",
    "portrange ftp-data-ftp",
    "host no-such-host.invalid",
    "ip6 host localhost",
    "tcp host localhost",
    "net default",
    "net no-such-net",
    "ether host no-such-ether",
    "gateway localhost",
    "ip proto \\no-such-proto",
    "ether proto \\no-such-proto",
];

pub(super) const LINKS: [u32; 8] = [1, 101, 113, 276, 0, 108, 228, 229];

/// Write `packets` (bytes, on-wire length) as a little-endian pcap with link type `link`;
/// packet i has the timestamp i seconds.
fn write_pcap(path: &Path, link: u32, packets: &[(Vec<u8>, u32)]) {
    let header = PcapHeader {
        snaplen: 262_144,
        datalink: DataLink::from(link),
        ts_resolution: TsResolution::MicroSecond,
        endianness: Endianness::Little,
        ..PcapHeader::default()
    };
    let file = std::fs::File::create(path).expect("create pcap");
    let mut w = PcapWriter::with_header(file, header).expect("pcap header");
    for (i, (data, len)) in packets.iter().enumerate() {
        let pkt = PcapPacket::new(Duration::from_secs(i as u64), *len, data);
        w.write_packet(&pkt).expect("write packet");
    }
}

/// The indices of the packets tcpdump selects with `expr`, or its error text.
fn tcpdump_selection(path: &Path, expr: &str) -> Result<Vec<usize>, String> {
    let mut cmd = Command::new("tcpdump");
    cmd.arg("-r").arg(path).args(["-w", "-"]);
    if !expr.is_empty() {
        cmd.arg("--").arg(expr);
    }
    let out = cmd.output().expect("run tcpdump");
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        // libpcap refuses a program its optimizer reduces to "reject": that selects nothing.
        if err.contains("expression rejects all packets") {
            return Ok(Vec::new());
        }
        let last = err.lines().last().unwrap_or_default();
        return Err(last.trim().to_string());
    }
    let mut r = PcapReader::new(std::io::Cursor::new(out.stdout)).expect("tcpdump wrote pcap");
    let mut idx = Vec::new();
    while let Some(p) = r.next_packet() {
        idx.push(p.expect("tcpdump pcap packet").timestamp.as_secs() as usize);
    }
    Ok(idx)
}

/// How a comparison went.
#[derive(Default)]
pub(super) struct Tally {
    compared: usize,
    agreed_errors: usize,
    failures: Vec<String>,
    /// Verdicts on packets captured short of their on-wire length.
    truncated_compared: usize,
}

impl Tally {
    /// Say what was compared (`what`: `exprs` expressions on `links` link types), and fail
    /// listing every disagreement with tcpdump.
    #[track_caller]
    pub(super) fn report(&self, what: &str, exprs: usize, links: usize) {
        eprintln!(
            "{what} vs tcpdump: {exprs} expressions x {links} link types, {} packet verdicts \
             compared ({} on truncated packets), {} rejections agreed",
            self.compared, self.truncated_compared, self.agreed_errors
        );
        assert!(
            self.failures.is_empty(),
            "{} disagreements with tcpdump:\n{}",
            self.failures.len(),
            self.failures.join("\n")
        );
    }
}

/// Compare echolab's selection with tcpdump's for every expression on every link type.
///
/// Packets captured short of their on-wire length are where libpcap's optimizer shows: it
/// drops loads it proves useless and reorders tests, and a load past the captured bytes
/// rejects the packet. They are compared like the others.
pub(super) fn compare(
    frames: &[Frame],
    links: &[u32],
    exprs: &[String],
    rng: &mut StdRng,
) -> Tally {
    super::util::require("tcpdump");
    let dir = tempfile::tempdir().expect("tempdir");
    let mut tally = Tally::default();
    for &link in links {
        let packets: Vec<(Vec<u8>, u32)> = frames
            .iter()
            .map(|f| {
                let full = on_link(f, link, rng);
                let lost = f.eth.len() - f.caplen;
                let cap = full.len().saturating_sub(lost);
                (full[..cap].to_vec(), full.len() as u32)
            })
            .collect();
        let path = dir.path().join(format!("link{link}.pcap"));
        write_pcap(&path, link, &packets);
        let lt = LinkType::from_linktype(link);
        let results: Vec<_> = exprs
            .iter()
            .zip(on_three_threads(exprs, |e| tcpdump_selection(&path, e)))
            .map(|(e, theirs)| (e.as_str(), theirs))
            .collect();
        for (expr, theirs) in results {
            let ours = compile_with(expr, lt, 262_144, &FilterNames);
            match (theirs, ours) {
                (Err(_), Err(_)) => tally.agreed_errors += 1,
                (Err(t), Ok(_)) => tally.failures.push(format!(
                    "link {link}: {expr:?}: tcpdump rejects ({t}), echolab compiles"
                )),
                (Ok(_), Err(e)) => tally.failures.push(format!(
                    "link {link}: {expr:?}: tcpdump compiles, echolab: {e}"
                )),
                (Ok(theirs), Ok(prog)) => {
                    verify(prog.instructions()).expect("program passes the kernel checks");
                    let ours: Vec<usize> = packets
                        .iter()
                        .enumerate()
                        .filter(|(_, (d, len))| prog.matches(d, *len))
                        .map(|(i, _)| i)
                        .collect();
                    tally.compared += packets.len();
                    let cut = |i: &usize| packets[*i].0.len() < packets[*i].1 as usize;
                    tally.truncated_compared += (0..packets.len()).filter(cut).count();
                    if ours != theirs {
                        let only_t: Vec<_> = theirs
                            .iter()
                            .filter(|i| !ours.contains(i))
                            .take(5)
                            .collect();
                        let only_o: Vec<_> = ours
                            .iter()
                            .filter(|i| !theirs.contains(i))
                            .take(5)
                            .collect();
                        let first = only_t.first().or(only_o.first()).map(|i| &packets[**i]);
                        let shown = first
                            .map(|(d, len)| {
                                format!("len {len} caplen {} {}", d.len(), hex::encode(d))
                            })
                            .unwrap_or_default();
                        tally.failures.push(format!(
                            "link {link}: {expr:?}: tcpdump selects {} packets, echolab {}; only tcpdump: {only_t:?}, only echolab: {only_o:?}; first: {shown}",
                            theirs.len(),
                            ours.len()
                        ));
                    }
                }
            }
        }
    }
    tally
}

#[test]
fn selection_matches_tcpdump_on_every_link_type() {
    let mut rng = StdRng::seed_from_u64(0x0f11_7e55);
    let frames: Vec<Frame> = (0..1200).map(|_| frame(&mut rng)).collect();
    let exprs: Vec<String> = EXPRESSIONS.iter().map(|e| e.to_string()).collect();
    let t = compare(&frames, &LINKS, &exprs, &mut rng);
    t.report("filter", exprs.len(), LINKS.len());
}

/// A random primitive, with values from the pools the packets use.
fn random_primitive(rng: &mut StdRng) -> String {
    let a4 = |rng: &mut StdRng| {
        let a = v4(rng);
        format!("{}.{}.{}.{}", a[0], a[1], a[2], a[3])
    };
    let a6 = |rng: &mut StdRng| std::net::Ipv6Addr::from(v6(rng)).to_string();
    let dir =
        |rng: &mut StdRng| ["", "src ", "dst ", "src or dst ", "src and dst "][rng.gen_range(0..5)];
    let tp = |rng: &mut StdRng| ["", "tcp ", "udp ", "sctp "][rng.gen_range(0..4)];
    match rng.gen_range(0..30) {
        0 => [
            "ip", "ip6", "tcp", "udp", "icmp", "icmp6", "arp", "rarp", "sctp",
        ][rng.gen_range(0..9)]
        .to_string(),
        1 => format!("{}host {}", dir(rng), a4(rng)),
        2 => format!("{}host {}", dir(rng), a6(rng)),
        3 => format!("{}{}", dir(rng), a4(rng)),
        4 => {
            let a = v4(rng);
            let len = [8, 16, 24, 32, 0][rng.gen_range(0..5)];
            let m = if len == 0 { 0 } else { u32::MAX << (32 - len) };
            let n = u32::from_be_bytes(a) & m;
            let n = std::net::Ipv4Addr::from(n);
            if rng.gen_bool(0.5) {
                format!("{}net {n}/{len}", dir(rng))
            } else {
                format!("{}net {n} mask {}", dir(rng), std::net::Ipv4Addr::from(m))
            }
        }
        5 => format!(
            "{}net {}",
            dir(rng),
            ["10", "192.168", "172.16.5", "127"][rng.gen_range(0..4)]
        ),
        6 => format!(
            "{}net {}",
            dir(rng),
            [
                "2001:db8::/32",
                "fe80::/10",
                "::/0",
                "2001:db8:1::/48",
                "ff00::/8"
            ][rng.gen_range(0..5)]
        ),
        7 | 8 => format!("{}{}port {}", tp(rng), dir(rng), port(rng)),
        9 => {
            let (a, b) = (port(rng), port(rng));
            format!("{}{}portrange {a}-{b}", tp(rng), dir(rng))
        }
        10 => format!(
            "{} {}",
            ["less", "greater"][rng.gen_range(0..2)],
            rng.gen_range(0..200)
        ),
        11 => format!(
            "{}proto {}",
            ["ip ", "ip6 ", ""][rng.gen_range(0..3)],
            [6, 17, 1, 58, 132, 47][rng.gen_range(0..6)]
        ),
        12 => format!("tcp[13] & {} != 0", [1, 2, 4, 16, 18][rng.gen_range(0..5)]),
        13 => format!(
            "ip[{}] {} {}",
            rng.gen_range(0..24),
            ["=", ">", "<", "!=", ">=", "<="][rng.gen_range(0..6)],
            rng.gen_range(0..256)
        ),
        14 => format!(
            "{}[{}:2] > {}",
            ["tcp", "udp", "ip6", "icmp", "ether"][rng.gen_range(0..5)],
            rng.gen_range(0..44),
            rng.gen_range(0..70000)
        ),
        15 => format!(
            "ether {}host {}",
            dir(rng),
            ["00:11:22:33:44:55", "ff:ff:ff:ff:ff:ff", "2:0:0:0:0:1"][rng.gen_range(0..3)]
        ),
        16 => format!("vlan {}", [10, 100, 4095, 1][rng.gen_range(0..4)]),
        17 => "vlan".to_string(),
        18 => format!(
            "len {} {}",
            ["<", ">=", "="][rng.gen_range(0..3)],
            rng.gen_range(30..200)
        ),
        19 => format!(
            "{}{}",
            ["", "ether ", "ip ", "ip6 "][rng.gen_range(0..4)],
            ["broadcast", "multicast"][rng.gen_range(0..2)]
        ),
        20 => format!("icmp6[0] = {}", [128, 129, 135][rng.gen_range(0..3)]),
        22 | 23 => format!("mpls{}", ["", " 100", " 200", " 16"][rng.gen_range(0..4)]),
        24 => ["pppoed", "pppoes", "pppoes 5", "pppoes 4660"][rng.gen_range(0..4)].to_string(),
        25 => format!(
            "llc{}",
            [
                "", " i", " s", " u", " rr", " rnr", " rej", " ui", " ua", " disc", " dm",
                " sabme", " test", " xid", " frmr"
            ][rng.gen_range(0..15)]
        ),
        26 => [
            "stp", "ipx", "netbeui", "iso", "atalk", "aarp", "decnet", "lat", "sca", "mopdl",
            "moprc",
        ][rng.gen_range(0..11)]
        .to_string(),
        27 => format!(
            "ether proto \\{}",
            [
                "ip", "ip6", "arp", "rarp", "atalk", "aarp", "decnet", "sca", "lat", "mopdl",
                "moprc", "iso", "stp", "ipx", "netbeui", "loopback"
            ][rng.gen_range(0..16)]
        ),
        28 => format!(
            "ether proto {}",
            [0x42, 0xe0, 0xfe, 0xf0, 0x8137, 0x8847, 0x8864, 0x809b][rng.gen_range(0..8)]
        ),
        29 => [
            "port domain",
            "port http",
            "tcp port ssh",
            "udp port ntp",
            "port snmp",
            "host localhost",
            "src host localhost",
            "net loopback",
            "portrange ssh-http",
        ][rng.gen_range(0..9)]
        .to_string(),
        _ => format!(
            "{}host {}",
            ["ip ", "arp ", "rarp ", "ip6 "][rng.gen_range(0..4)],
            a4(rng)
        ),
    }
}

/// A bare value, which takes the qualifiers of the primitive before it.
fn random_value(rng: &mut StdRng) -> String {
    match rng.gen_range(0..5) {
        0 => {
            let a = v4(rng);
            format!("{}.{}.{}.{}", a[0], a[1], a[2], a[3])
        }
        1 => std::net::Ipv6Addr::from(v6(rng)).to_string(),
        2 => format!("({} or {})", port(rng), port(rng)),
        3 => format!("not {}", port(rng)),
        _ => port(rng).to_string(),
    }
}

fn random_expr(rng: &mut StdRng, depth: u32) -> String {
    if depth == 0 || rng.gen_bool(0.3) {
        return random_primitive(rng);
    }
    match rng.gen_range(0..6) {
        0 => format!(
            "{}{}",
            ["not ", "!", "! "][rng.gen_range(0..3)],
            random_expr(rng, depth - 1)
        ),
        1 => format!("({})", random_expr(rng, depth - 1)),
        2 => format!(
            "{} {} {}",
            random_expr(rng, depth - 1),
            ["and", "or", "&&", "||"][rng.gen_range(0..4)],
            random_value(rng)
        ),
        _ => format!(
            "{} {} {}",
            random_expr(rng, depth - 1),
            ["and", "or", "&&", "||"][rng.gen_range(0..4)],
            random_expr(rng, depth - 1)
        ),
    }
}

#[test]
fn random_expressions_select_like_tcpdump() {
    // ECHOLAB_FILTER_SEED explores other seeds; the default keeps the test reproducible.
    let seed = std::env::var("ECHOLAB_FILTER_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x5e1e_c7ed);
    let count = std::env::var("ECHOLAB_FILTER_COUNT")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(300);
    let mut rng = StdRng::seed_from_u64(seed);
    let frames: Vec<Frame> = (0..600).map(|_| frame(&mut rng)).collect();
    let exprs: Vec<String> = (0..count).map(|_| random_expr(&mut rng, 3)).collect();
    let links = [1, 101, 113, 0];
    let t = compare(&frames, &links, &exprs, &mut rng);
    t.report("random filters", exprs.len(), links.len());
}

/// Whether tcpdump compiles `expr` for Ethernet, or its error.
fn tcpdump_compiles(path: &Path, expr: &str) -> Result<(), String> {
    let out = Command::new("tcpdump")
        .arg("-r")
        .arg(path)
        .args(["-d", "--", expr])
        .output()
        .expect("run tcpdump");
    if out.status.success() {
        Ok(())
    } else {
        let err = String::from_utf8_lossy(&out.stderr).to_string();
        if err.contains("expression rejects all packets") {
            return Ok(());
        }
        Err(err.lines().last().unwrap_or_default().to_string())
    }
}

/// Word sequences drawn at random (names among them, looked up on this machine): echolab must
/// accept exactly those tcpdump accepts, and say where the others go wrong.
#[test]
fn random_word_sequences_are_accepted_like_tcpdump() {
    super::util::require("tcpdump");
    // Separated by white space: the words themselves hold none.
    let words: Vec<&str> =
        "ip ip6 tcp udp icmp icmp6 arp rarp sctp host net port portrange src dst and or not \
         && || ! ( ) ( ) less greater proto mask 80 443 10.0.0.1 10.0 10.0.0.0/8 ::1 \
         fe80::/10 1-1024 255.0.0.0 [ ] 13 : 2 & != = > <= - + * len tcp-syn ether \
         0:1:2:3:4:5 0x10 65536 vlan 4095"
            .split_whitespace()
            .collect();
    let seed = std::env::var("ECHOLAB_FILTER_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x50_0b);
    let mut rng = StdRng::seed_from_u64(seed);
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("eth.pcap");
    write_pcap(&path, 1, &[(vec![0u8; 60], 60)]);
    let mut exprs: Vec<String> = (0..400)
        .map(|_| {
            let n = rng.gen_range(1..7);
            (0..n)
                .map(|_| words[rng.gen_range(0..words.len())])
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    // Valid expressions with one word dropped, doubled or replaced.
    for _ in 0..400 {
        let e = random_expr(&mut rng, 2);
        let mut w: Vec<String> = e.split(' ').map(str::to_string).collect();
        let i = rng.gen_range(0..w.len());
        match rng.gen_range(0..4) {
            0 => {
                w.remove(i);
            }
            1 => {
                let x = w[i].clone();
                w.insert(i, x);
            }
            2 => w[i] = words[rng.gen_range(0..words.len())].to_string(),
            _ => {}
        }
        exprs.push(w.join(" "));
    }
    let theirs: Vec<Result<(), String>> = on_three_threads(&exprs, |e| tcpdump_compiles(&path, e));
    let mut failures = Vec::new();
    let mut accepted = 0;
    for (expr, theirs) in exprs.iter().zip(theirs) {
        match (
            theirs,
            compile_with(expr, LinkType::Ethernet, 262_144, &FilterNames),
        ) {
            (Ok(()), Ok(_)) => accepted += 1,
            (Err(_), Err(e)) => {
                assert!(
                    !e.message.contains('\n'),
                    "{expr:?}: error on more than one line: {}",
                    e.message
                );
                assert!(
                    e.message.contains("filter expression"),
                    "{expr:?}: {}",
                    e.message
                );
            }
            (Ok(()), Err(e)) => failures.push(format!("{expr:?}: tcpdump compiles, echolab: {e}")),
            (Err(t), Ok(_)) => {
                failures.push(format!("{expr:?}: tcpdump rejects ({t}), echolab compiles"))
            }
        }
    }
    eprintln!(
        "word sequences: {} tried, {accepted} accepted by both",
        exprs.len()
    );
    assert!(
        failures.is_empty(),
        "{} disagreements:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The instructions as socket2's `struct sock_filter`.
fn sock_filters(prog: &echolab::capture::filter::Program) -> Vec<socket2::SockFilter> {
    prog.instructions()
        .iter()
        .map(|i| socket2::SockFilter::new(i.code, i.jt, i.jf, i.k))
        .collect()
}

/// The kernel accepts the programs (its own checker) and, attached to an AF_PACKET socket,
/// delivers exactly what `Program::matches` selects: datagrams to one UDP port on
/// loopback, none to another port, nothing else of the machine's traffic.
#[test]
fn kernel_runs_the_program_on_a_packet_socket() {
    use socket2::{Domain, Protocol, Socket, Type};
    use std::io::Read;
    use std::net::UdpSocket;
    let eth_p_all = i32::from((libc::ETH_P_ALL as u16).to_be());
    let sock = Socket::new(Domain::PACKET, Type::RAW, Some(Protocol::from(eth_p_all))).unwrap_or_else(|e| {
        panic!("this test needs CAP_NET_RAW (run as root or grant it) to open an AF_PACKET socket: {e}")
    });
    for expr in [
        "tcp[tcpflags] & tcp-syn != 0 or (host 127.0.0.1 and portrange 1000-2000)",
        "ip6 and (src net fe80::/10 or dst host ::1) and not icmp6",
        "vlan 10 and udp port 53 or arp or ether multicast or less 60",
        "ip[2:2] - ((ip[0] & 0xf) << 2) > 100",
    ] {
        let prog = compile(expr, LinkType::Ethernet, 262_144).expect("compiles");
        sock.attach_filter(&sock_filters(&prog))
            .unwrap_or_else(|e| panic!("kernel refuses {expr:?}: {e}"));
    }
    let want = UdpSocket::bind("127.0.0.1:0").expect("bind");
    let other = UdpSocket::bind("127.0.0.1:0").expect("bind");
    let (p, q) = (
        want.local_addr().unwrap().port(),
        other.local_addr().unwrap().port(),
    );
    let expr = format!("udp dst port {p}");
    let prog = compile(&expr, LinkType::Ethernet, 262_144).expect("compiles");
    sock.attach_filter(&sock_filters(&prog))
        .expect("kernel accepts the program");
    // Frames queued before the filter was attached are not filtered: drop them.
    sock.set_nonblocking(true).expect("nonblocking");
    let mut buf = vec![0u8; 65_536];
    while (&sock).read(&mut buf).is_ok() {}
    sock.set_nonblocking(false).expect("blocking");
    sock.set_read_timeout(Some(Duration::from_millis(300)))
        .expect("timeout");
    let sender = UdpSocket::bind("127.0.0.1:0").expect("bind");
    for i in 0..5 {
        sender
            .send_to(format!("to-want-{i}").as_bytes(), ("127.0.0.1", p))
            .expect("send");
        sender
            .send_to(format!("to-other-{i}").as_bytes(), ("127.0.0.1", q))
            .expect("send");
    }
    let mut seen_want = 0;
    while let Ok(n) = (&sock).read(&mut buf) {
        let frame = &buf[..n];
        assert!(
            prog.matches(frame, n as u32),
            "the kernel delivered a frame the program rejects: {}",
            hex::encode(frame)
        );
        let text = String::from_utf8_lossy(frame);
        assert!(
            !text.contains("to-other"),
            "a datagram to port {q} passed the filter for port {p}"
        );
        if text.contains("to-want") {
            seen_want += 1;
        }
    }
    assert!(
        seen_want >= 5,
        "only {seen_want} frames of the 5 datagrams to port {p} were delivered"
    );
}

/// `echolab dump -nn -r pcap expr` against tcpdump: `None` when both end alike (exit status,
/// packets printed, stderr with the error line reworded as echolab words it), else both.
fn dump_like_tcpdump(pcap: &Path, expr: &str) -> Option<String> {
    let path = pcap.to_str().expect("fixture paths are UTF-8");
    let t = Command::new("tcpdump")
        .args(["-nn", "-r", path, "--", expr])
        .env("TZ", "UTC")
        .output()
        .expect("run tcpdump");
    let e = super::util::run_env(
        "echolab",
        &["dump", "-nn", "-r", path, "--", expr],
        b"",
        &[("TZ", "UTC")],
    );
    let t_err = String::from_utf8_lossy(&t.stderr).replace("tcpdump: ", "echolab dump: error: ");
    let e_err = String::from_utf8_lossy(&e.stderr);
    if t.status.code() == e.status.code() && t.stdout == e.stdout && t_err == e_err {
        return None;
    }
    Some(format!(
        "tcpdump: exit {:?}, {} bytes out, stderr (reworded) {t_err:?}\n\
         echolab: exit {:?}, {} bytes out, stderr {e_err:?}",
        t.status.code(),
        t.stdout.len(),
        e.status.code(),
        e.stdout.len(),
    ))
}

/// Nesting as deep as tcpdump's parser takes it, one level deeper, and far deeper: echolab
/// ends as tcpdump does at each depth (the packets, or `can't parse filter expression:
/// memory exhausted` and exit 1), and never overflows its own stack. The depths are where
/// tcpdump 4.99.3 stops; a construct and its depths are listed once each.
#[test]
fn deep_nesting_ends_like_tcpdump() {
    super::util::require("tcpdump");
    let pcap = super::util::root().join("fixtures/dump/tcp/session4.pcap");
    // (name, before, open, inner, close, after, deepest): `before` + `open`×n + `inner` +
    // `close`×n + `after`.
    let constructs: &[(&str, &str, &str, &str, &str, &str, usize)] = &[
        ("parentheses", "", "(", "tcp", ")", "", 9_995),
        ("not", "", "not ", "tcp", "", "", 9_996),
        ("not (", "", "not (", "tcp", ")", "", 4_997),
        ("and (", "tcp and ", "(", "tcp", ")", "", 9_993),
        ("unary minus", "len = ", "-", "1", "", "", 9_994),
        ("arithmetic (", "len = ", "(", "1", ")", "", 9_993),
        ("(len)", "", "(", "len", ")", " = 1", 9_995),
        ("ip[]", "", "ip[", "0", "]", " = 1", 4_997),
        ("port (", "port ", "(", "4002", ")", "", 9_994),
        ("port not", "port ", "not ", "4002", "", "", 9_995),
        ("vlan (", "vlan ", "(", "1", ")", "", 9_994),
    ];
    let mut failures = Vec::new();
    for (name, before, open, inner, close, after, deepest) in constructs {
        for n in [*deepest, deepest + 1, 15_000] {
            let expr = format!(
                "{before}{}{inner}{}{after}",
                open.repeat(n),
                close.repeat(n)
            );
            if let Some(why) = dump_like_tcpdump(&pcap, &expr) {
                failures.push(format!("{name} x {n}:\n{why}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// A file is filtered in user space, where the kernel's 4,096-instruction limit does not
/// apply: 400 `port` alternatives (more than 4,096 instructions as echolab compiles them)
/// select the same packets as tcpdump's.
#[test]
fn many_alternatives_filter_a_file_like_tcpdump() {
    super::util::require("tcpdump");
    let pcap = super::util::root().join("fixtures/dump/tcp/session4.pcap");
    let expr = (0..400)
        .map(|i| format!("port {}", 3800 + i))
        .collect::<Vec<_>>()
        .join(" or ");
    let long = compile(&expr, LinkType::Ethernet, 262_144).expect("compiles");
    assert!(
        long.instructions().len() > echolab::capture::filter::MAX_INSNS,
        "the test needs a program longer than the kernel takes: {} instructions",
        long.instructions().len()
    );
    if let Some(why) = dump_like_tcpdump(&pcap, &expr) {
        panic!("{why}");
    }
}

/// `run` on every expression, spread over three threads (tcpdump runs are slow to start):
/// the results in the expressions' order.
fn on_three_threads<T: Send>(exprs: &[String], run: impl Fn(&str) -> T + Sync) -> Vec<T> {
    let run = &run;
    std::thread::scope(|s| {
        let handles: Vec<_> = exprs
            .chunks(exprs.len().div_ceil(3).max(1))
            .map(|chunk| s.spawn(move || chunk.iter().map(|e| run(e)).collect::<Vec<_>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("tcpdump thread"))
            .collect()
    })
}

/// Names libpcap cannot resolve, and names under qualifiers they do not fit: echolab fails
/// with tcpdump's exit status, and its one-line error ends with libpcap's message.
#[test]
fn unknown_names_fail_with_libpcap_text() {
    super::util::require("tcpdump");
    for expr in [
        "host no-such-host.invalid",
        "tcp host localhost",
        "port no-such-service",
        "udp port http",
        "tcp port ntp",
        "udp portrange ssh-http",
        "portrange ftp-data-ftp",
        "net no-such-net",
        "net default",
        "ether host no-such-ether",
        "gateway localhost",
        "ip proto \\no-such-proto",
        "ether proto \\no-such-proto",
        "llc no-such-kind",
        "mpls and arp",
        "pppoes and vlan",
        "geneve 16777216",
        "geneve and len = 1+(1+(1+(1+(1+(1+(1+(1+(1+(1+(1+(1+(1+(1+(1+(1+(1))))))))))))))))",
    ] {
        let t = Command::new("tcpdump")
            .args(["-d", "--", expr])
            .output()
            .expect("run tcpdump");
        let e = super::util::run("echolab", &["dump", "-d", "--", expr], b"");
        let t_err = String::from_utf8_lossy(&t.stderr);
        let e_err = String::from_utf8_lossy(&e.stderr);
        let message = t_err
            .lines()
            .last()
            .and_then(|l| l.strip_prefix("tcpdump: "))
            .unwrap_or_else(|| panic!("{expr}: tcpdump said {t_err:?}"));
        assert_eq!(e.status.code(), t.status.code(), "{expr}: {e_err}");
        let last = e_err.lines().last().unwrap_or_default();
        assert!(
            last.starts_with("echolab dump: error: ") && last.ends_with(&format!(": {message}")),
            "{expr}: tcpdump: {message:?}, echolab: {e_err:?}"
        );
    }
}
