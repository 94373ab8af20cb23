//! Differential test for the link, ARP, ICMP and ICMPv6 printers: thousands of seeded random
//! and mutated Ethernet frames carrying ARP, ICMP (every type, quoted datagrams, RFC 4884
//! extensions) and ICMPv6 (every type, neighbor discovery options, MLD), written to one pcap,
//! printed by tcpdump and by `echolab dump` with several flag sets; the texts must be
//! identical. On a mismatch the first differing packet is shown with its bytes.
//!
//! tcpdump is required (CI installs it); the test fails, saying so, when it is missing.

use std::net::{IpAddr, Ipv6Addr};

use echolab::capture::wire::checksum;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::diffutil::{bytes, compare, pick};

const SEED: u64 = 0x1c3a_7001;
const VALID: usize = 2000;
const MUTATED: usize = 2000;

const FLAG_SETS: &str = "-nn, -nnv, -nnvv, -nnvvv, -nne, -nnq, -nnevv, -nnvvX, -nnexx";

const MAC_A: [u8; 6] = [2, 0, 0, 0, 0, 1];
const MAC_B: [u8; 6] = [2, 0, 0, 0, 0, 2];

fn ether(ethertype: u16, body: &[u8]) -> Vec<u8> {
    let mut f = MAC_B.to_vec();
    f.extend_from_slice(&MAC_A);
    f.extend_from_slice(&ethertype.to_be_bytes());
    f.extend_from_slice(body);
    f
}

fn put16(b: &mut [u8], at: usize, v: u16) {
    b[at..at + 2].copy_from_slice(&v.to_be_bytes());
}

/// An IPv4 header for `payload` with protocol `proto` and a correct header checksum.
fn ipv4(proto: u8, payload: &[u8], src: [u8; 4], dst: [u8; 4]) -> Vec<u8> {
    let mut h = vec![0x45, 0, 0, 0, 0, 7, 0, 0, 64, proto, 0, 0];
    put16(&mut h, 2, (20 + payload.len()) as u16);
    h.extend_from_slice(&src);
    h.extend_from_slice(&dst);
    let sum = checksum::checksum(&h);
    put16(&mut h, 10, sum);
    h.extend_from_slice(payload);
    h
}

fn ipv6(nh: u8, payload: &[u8], src: Ipv6Addr, dst: Ipv6Addr) -> Vec<u8> {
    let mut h = vec![0x60, 0, 0, 0, 0, 0, nh, 255];
    put16(&mut h, 4, payload.len() as u16);
    h.extend_from_slice(&src.octets());
    h.extend_from_slice(&dst.octets());
    h.extend_from_slice(payload);
    h
}

/// A UDP or TCP header from port 40000 to port 4002 (or a random protocol's first bytes).
fn transport(rng: &mut StdRng) -> (u8, Vec<u8>) {
    let proto = pick(rng, &[17u8, 17, 6, 6, 253]);
    let mut t = bytes(rng, if proto == 6 { 20 } else { 8 });
    put16(&mut t, 0, 40000);
    put16(&mut t, 2, 4002);
    if proto == 6 {
        t[12] = 0x50;
    }
    (proto, t)
}

/// The datagram an ICMP error quotes: an IPv4 header and the start of its payload.
fn quoted4(rng: &mut StdRng) -> Vec<u8> {
    let (proto, t) = transport(rng);
    let keep = rng.gen_range(0..=t.len());
    let mut q = ipv4(proto, &t, [10, 0, 0, 2], [10, 0, 0, 1]);
    q.truncate(20 + keep);
    q
}

/// An RFC 4884 tail: the quoted datagram padded to 128 bytes and an extension structure.
fn extension(rng: &mut StdRng, msg: &mut Vec<u8>) {
    msg.resize(8 + 128, 0);
    let mut ext = vec![0x20, 0, 0, 0];
    for _ in 0..rng.gen_range(1..3) {
        let class = pick(rng, &[1u8, 1, 2, 0, 9]);
        let n = pick(rng, &[4usize, 4, 8, 3]);
        let body = bytes(rng, n);
        ext.extend_from_slice(&((4 + body.len()) as u16).to_be_bytes());
        let ctype = pick(rng, &[1u8, 1, 2]);
        ext.extend_from_slice(&[class, ctype]);
        ext.extend_from_slice(&body);
    }
    let sum = checksum::checksum(&ext);
    put16(&mut ext, 2, sum);
    if rng.gen_bool(0.5) {
        msg[5] = 32;
    }
    msg.extend_from_slice(&ext);
}

fn icmp4(rng: &mut StdRng) -> Vec<u8> {
    let types = [
        0u8, 3, 3, 3, 4, 5, 8, 9, 10, 11, 11, 12, 13, 14, 15, 16, 17, 18, 42,
    ];
    let t = pick(rng, &types);
    let code = if rng.gen_bool(0.9) {
        rng.gen_range(0..16)
    } else {
        rng.gen()
    };
    let mut m = vec![t, code, 0, 0];
    m.extend_from_slice(&bytes(rng, 4));
    match t {
        3 | 4 | 5 | 11 | 12 => {
            m.extend_from_slice(&quoted4(rng));
            if t != 4 && t != 5 && rng.gen_bool(0.2) {
                extension(rng, &mut m);
            }
        }
        9 => {
            m[4] = rng.gen_range(0..4);
            m[5] = pick(rng, &[2u8, 2, 3]);
            let n = usize::from(m[4]) * 8;
            m.extend_from_slice(&bytes(rng, n));
        }
        13 | 14 | 18 => m.extend_from_slice(&bytes(rng, 12)),
        _ => {
            let n = rng.gen_range(0..40);
            m.extend_from_slice(&bytes(rng, n));
        }
    }
    if rng.gen_bool(0.85) {
        let sum = checksum::checksum(&m);
        put16(&mut m, 2, sum);
    }
    ether(0x0800, &ipv4(1, &m, [10, 0, 0, 254], [10, 0, 0, 2]))
}

/// Neighbor discovery options.
fn nd_options(rng: &mut StdRng) -> Vec<u8> {
    let mut o = Vec::new();
    for _ in 0..rng.gen_range(0..4) {
        let t = pick(rng, &[1u8, 2, 3, 4, 5, 7, 8, 24, 25, 31, 99]);
        let len: u8 = match t {
            3 => 4,
            24 => rng.gen_range(1..4),
            25 => 1 + 2 * rng.gen_range(0..3),
            4 => rng.gen_range(1..4),
            31 => 2,
            _ => 1,
        };
        let mut body = bytes(rng, usize::from(len) * 8 - 2);
        if t == 31 {
            let n = body.len() - 6;
            body[6..].copy_from_slice(&[3, b'l', b'a', b'b', 0, 0, 0, 0][..n]);
        }
        o.push(t);
        o.push(if rng.gen_bool(0.03) { 0 } else { len });
        o.extend_from_slice(&body);
    }
    o
}

fn icmp6_body(rng: &mut StdRng, t: u8) -> Vec<u8> {
    match t {
        1..=4 => {
            let (proto, tr) = transport(rng);
            let keep = rng.gen_range(0..=tr.len());
            let mut q = ipv6(proto, &tr, Ipv6Addr::LOCALHOST, Ipv6Addr::LOCALHOST);
            q.truncate(40 + keep);
            q
        }
        133 | 146 => nd_options(rng),
        134 => [bytes(rng, 8), nd_options(rng)].concat(),
        135 | 136 => [bytes(rng, 16), nd_options(rng)].concat(),
        137 => [bytes(rng, 32), nd_options(rng)].concat(),
        147 => nd_options(rng),
        130 => {
            let n = pick(rng, &[16usize, 20, 36, 52]);
            bytes(rng, n)
        }
        131 | 132 => bytes(rng, 16),
        143 => {
            let mut r = vec![0, 0, 0, 2];
            for _ in 0..2 {
                let (rtype, nsrc) = (rng.gen_range(1..8), rng.gen_range(0..2));
                r.extend_from_slice(&[rtype, 0, 0, nsrc]);
                r.extend_from_slice(&bytes(rng, 16));
                let n = usize::from(r[r.len() - 17]) * 16;
                r.extend_from_slice(&bytes(rng, n));
            }
            r
        }
        138 => {
            let uses = rng.gen_range(0..3);
            let mut r = bytes(rng, 8);
            let mut m = bytes(rng, 24);
            m[0] = rng.gen_range(0..5);
            m[1] = if rng.gen_bool(0.9) {
                3 + 4 * uses
            } else {
                rng.gen()
            };
            r.extend_from_slice(&m);
            r.extend_from_slice(&bytes(rng, 32 * usize::from(uses)));
            r
        }
        139 | 140 => {
            let mut r = bytes(rng, 8);
            let tail: Vec<u8> = match rng.gen_range(0..5) {
                0 => Vec::new(),
                1 => bytes(rng, 16),
                2 => bytes(rng, 4),
                3 => b"\x03lab\x07example\x00".to_vec(),
                _ => {
                    let n = 20 * rng.gen_range(1..3);
                    bytes(rng, n)
                }
            };
            if rng.gen_bool(0.1) {
                r.truncate(0);
            }
            r.extend_from_slice(&tail);
            r
        }
        155 => {
            let n = pick(rng, &[16usize, 20, 24, 40]);
            let mut r = bytes(rng, n);
            if r.len() > 20 {
                r[16] = pick(rng, &[0u8, 1, 2, 4]);
                r[17] = 2;
            }
            r
        }
        145 => {
            let n = 16 * rng.gen_range(0..3);
            bytes(rng, n)
        }
        _ => {
            let n = rng.gen_range(0..24);
            bytes(rng, n)
        }
    }
}

fn icmp6(rng: &mut StdRng) -> Vec<u8> {
    let types = [
        1u8, 1, 2, 3, 4, 128, 129, 130, 131, 132, 133, 134, 134, 135, 136, 137, 138, 139, 140, 141,
        143, 144, 145, 146, 147, 155, 250,
    ];
    let t = pick(rng, &types);
    let code = if rng.gen_bool(0.9) {
        rng.gen_range(0..5)
    } else {
        rng.gen()
    };
    let mut m = vec![t, code, 0, 0];
    m.extend_from_slice(&bytes(rng, 4));
    m.extend_from_slice(&icmp6_body(rng, t));
    let (src, dst) = (
        Ipv6Addr::new(0xfe80, 0, 0, 0, 0, 0, 0, 1),
        Ipv6Addr::LOCALHOST,
    );
    if rng.gen_bool(0.85) {
        let sum = checksum::transport_checksum(IpAddr::V6(src), IpAddr::V6(dst), 58, &m);
        put16(&mut m, 2, sum);
    }
    ether(0x86dd, &ipv6(58, &m, src, dst))
}

fn arp(rng: &mut StdRng) -> Vec<u8> {
    let mut a = vec![
        0,
        1,
        8,
        0,
        6,
        4,
        0,
        pick(rng, &[1u8, 1, 2, 2, 3, 4, 8, 9, 10, 77]),
    ];
    if rng.gen_bool(0.1) {
        a[1] = pick(rng, &[6u8, 15, 19, 99]);
        a[4] = rng.gen_range(0..9);
        a[5] = pick(rng, &[4u8, 16, 2]);
    }
    let n = 2 * (usize::from(a[4]) + usize::from(a[5]));
    a.extend_from_slice(&bytes(rng, n));
    ether(pick(rng, &[0x0806u16, 0x0806, 0x8035]), &a)
}

fn random_frame(rng: &mut StdRng) -> Vec<u8> {
    match rng.gen_range(0..10) {
        0..=3 => icmp4(rng),
        4..=8 => icmp6(rng),
        _ => arp(rng),
    }
}

/// Where mutations may fall: the ARP, ICMP or ICMPv6 message, except the protocol field and
/// the ports of a quoted datagram (which would lead into printers of other protocols and of
/// applications tcpdump decodes by port).
fn mutable_range(p: &[u8]) -> (usize, std::ops::Range<usize>, usize) {
    match u16::from_be_bytes([p[12], p[13]]) {
        0x0800 => (34, 34 + 8 + 20..34 + 8 + 24, 34 + 8 + 9),
        0x86dd => (54, 54 + 8 + 40..54 + 8 + 44, 54 + 8 + 6),
        _ => (14, 0..0, 0),
    }
}

/// Flip a few bytes of the message, or cut the capture short.
fn mutate(rng: &mut StdRng, mut p: Vec<u8>) -> (Vec<u8>, u32) {
    let len = p.len() as u32;
    let (start, ports, proto) = mutable_range(&p);
    if rng.gen_bool(0.5) && start < p.len() {
        for _ in 0..rng.gen_range(1..4) {
            let at = rng.gen_range(start..p.len());
            if at != proto && !ports.contains(&at) {
                p[at] = rng.gen();
            }
        }
        let len = p.len() as u32;
        return (p, len);
    }
    let cut = rng.gen_range(1..p.len());
    p.truncate(cut);
    (p, len)
}

/// The seed: `SEED`, or `ECHOLAB_DIFF_SEED` from the environment to explore further.
fn seed() -> u64 {
    std::env::var("ECHOLAB_DIFF_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(SEED)
}

fn packets() -> Vec<(Vec<u8>, u32)> {
    let mut rng = StdRng::seed_from_u64(seed());
    let mut out = Vec::with_capacity(VALID + MUTATED);
    for _ in 0..VALID {
        let p = random_frame(&mut rng);
        let len = p.len() as u32;
        out.push((p, len));
    }
    for _ in 0..MUTATED {
        let p = random_frame(&mut rng);
        out.push(mutate(&mut rng, p));
    }
    out
}

#[test]
fn random_arp_icmp_and_icmp6_print_as_tcpdump_prints_them() {
    compare("icmp", 1, &packets(), FLAG_SETS);
}

/// The network-layer part of a random frame: `(ethertype, bytes)`.
fn random_l3(rng: &mut StdRng) -> (u16, Vec<u8>) {
    let f = random_frame(rng);
    (u16::from_be_bytes([f[12], f[13]]), f[14..].to_vec())
}

/// An LLC header and what follows it: SNAP with an ethertype, the IP SAP, or unknown SAPs
/// with U, I and S frames and XIDs.
fn llc(rng: &mut StdRng, et: u16, body: &[u8]) -> Vec<u8> {
    match rng.gen_range(0..4) {
        0 => [&[0xaa, 0xaa, 3, 0, 0, 0][..], &et.to_be_bytes(), body].concat(),
        1 if et == 0x0800 => [&[6, 6, 3][..], body].concat(),
        2 => {
            let ctrl = pick(rng, &[3u8, 0x13, 0xe3, 0xaf, 0xbf, 0x43]);
            let xid: &[u8] = if rng.gen_bool(0.5) {
                &[0x81, 1, 0]
            } else {
                b""
            };
            [
                &[
                    pick(rng, &[0x80u8, 0x81, 0x02]),
                    pick(rng, &[0x80u8, 0x81, 0x04]),
                    ctrl,
                ][..],
                xid,
                b"xyz",
            ]
            .concat()
        }
        _ => {
            let ctrl = pick(rng, &[0x0100u16, 0x0105, 0x0009, 0x020a]);
            [&[0x80, 0x80][..], &ctrl.to_le_bytes(), b"abc"].concat()
        }
    }
}

/// An Ethernet frame with VLAN tags or an 802.3 length and LLC around a random payload.
fn tagged_ether(rng: &mut StdRng) -> Vec<u8> {
    let (et, body) = random_l3(rng);
    let mut f = [MAC_B, MAC_A].concat();
    if rng.gen_bool(0.3) {
        let l = llc(rng, et, &body);
        f.extend_from_slice(&(l.len() as u16 + rng.gen_range(0..3)).to_be_bytes());
        f.extend_from_slice(&l);
        return f;
    }
    for _ in 0..rng.gen_range(1..3) {
        f.extend_from_slice(&pick(rng, &[0x8100u16, 0x88a8, 0x9100]).to_be_bytes());
        f.extend_from_slice(&rng.gen::<u16>().to_be_bytes());
    }
    let et = if rng.gen_bool(0.1) {
        pick(rng, &[0x88b5, 0x9000])
    } else {
        et
    };
    f.extend_from_slice(&et.to_be_bytes());
    f.extend_from_slice(&body);
    f
}

/// A Linux cooked v1 or v2 frame around a random payload, sometimes behind an 802.1Q tag or
/// as 802.2 LLC.
fn cooked(rng: &mut StdRng, v2: bool) -> Vec<u8> {
    let (mut et, mut body) = random_l3(rng);
    match rng.gen_range(0..6) {
        0 => {
            let tag = [rng.gen::<u16>().to_be_bytes(), et.to_be_bytes()].concat();
            body = [tag, body].concat();
            et = 0x8100;
        }
        1 => {
            body = llc(rng, et, &body);
            et = 4;
        }
        2 => et = 0x88b5,
        _ => {}
    }
    let pkttype = rng.gen_range(0..8u8);
    let halen = pick(rng, &[6u8, 6, 4, 0]);
    let addr = bytes(rng, 8);
    let h = if v2 {
        let ifindex = pick(rng, &[1u32, 999]);
        [
            &et.to_be_bytes()[..],
            &[0, 0],
            &ifindex.to_be_bytes(),
            &[0, 1, pkttype, halen],
            &addr,
        ]
        .concat()
    } else {
        [&[0, pkttype, 0, 1, 0, halen][..], &addr, &et.to_be_bytes()].concat()
    };
    [h, body].concat()
}

/// A BSD loopback frame: family in host order (NULL) or network order (LOOP), sometimes
/// the other way round, sometimes a family without a printer here.
fn null_frame(rng: &mut StdRng, loop_: bool) -> Vec<u8> {
    let (et, body) = loop {
        let (et, body) = random_l3(rng);
        if et != 0x0806 && et != 0x8035 {
            break (et, body);
        }
    };
    let fam: u32 = match et {
        0x0800 => 2,
        _ => pick(rng, &[24u32, 28, 30]),
    };
    let fam = if rng.gen_bool(0.05) { 99 } else { fam };
    let be = loop_ != rng.gen_bool(0.1);
    let h = if be {
        fam.to_be_bytes()
    } else {
        fam.to_le_bytes()
    };
    [&h[..], &body].concat()
}

/// Random frames of one link type, then as many mutated ones: bytes flipped at the
/// `mutable` offsets of the link header (addresses, tags, packet types; never a type field,
/// which would lead into printers of other protocols), or the capture cut short.
fn link_packets(
    rng: &mut StdRng,
    make: &dyn Fn(&mut StdRng) -> Vec<u8>,
    mutable: &[usize],
) -> Vec<(Vec<u8>, u32)> {
    let mut out = Vec::new();
    for _ in 0..600 {
        let p = make(rng);
        let len = p.len() as u32;
        out.push((p, len));
    }
    for _ in 0..600 {
        let mut p = make(rng);
        let len = p.len() as u32;
        if mutable.is_empty() || rng.gen_bool(0.5) {
            let cut = rng.gen_range(1..p.len());
            p.truncate(cut);
        } else {
            for _ in 0..rng.gen_range(1..3) {
                let at = pick(rng, mutable);
                if at < p.len() {
                    p[at] = rng.gen();
                }
            }
        }
        out.push((p, len));
    }
    out
}

#[test]
fn random_link_layers_print_as_tcpdump_prints_them() {
    let mut rng = StdRng::seed_from_u64(seed() ^ 0x11);
    // Ethernet: the addresses and the first tag's TCI (or the 802.3 length).
    let ether_bytes: Vec<usize> = (0..12).chain(14..16).collect();
    compare(
        "ether",
        1,
        &link_packets(&mut rng, &tagged_ether, &ether_bytes),
        FLAG_SETS,
    );
    // Cooked v1: packet type, address length and address (not the hardware type, 803 is
    // radiotap). Cooked v2: interface index, packet type, address length, address.
    let sll_bytes: Vec<usize> = (0..2).chain(4..14).collect();
    let sll = link_packets(&mut rng, &|r| cooked(r, false), &sll_bytes);
    compare("sll", 113, &sll, FLAG_SETS);
    let sll2_bytes: Vec<usize> = (4..8).chain(10..20).collect();
    let sll2 = link_packets(&mut rng, &|r| cooked(r, true), &sll2_bytes);
    compare("sll2", 276, &sll2, FLAG_SETS);
    compare(
        "null",
        0,
        &link_packets(&mut rng, &|r| null_frame(r, false), &[]),
        FLAG_SETS,
    );
    compare(
        "loop",
        108,
        &link_packets(&mut rng, &|r| null_frame(r, true), &[]),
        FLAG_SETS,
    );
    let raw = |r: &mut StdRng| loop {
        let (et, body) = random_l3(r);
        if et != 0x0806 && et != 0x8035 {
            break body;
        }
    };
    compare("raw", 101, &link_packets(&mut rng, &raw, &[]), FLAG_SETS);
}
