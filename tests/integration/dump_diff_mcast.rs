//! Differential test of the multicast and gateway-redundancy printers (PIM v1 and v2, IGMP
//! with mtrace and DVMRP, VRRP, HSRP, Cisco auto-RP, MS NLB): seeded random messages of each
//! protocol (valid shapes with random field values, correct or wrong checksums, then random
//! cuts and wrong lengths), carried over IPv4 (with and without the router alert option, at
//! several TTLs) and IPv6, printed by tcpdump and by `echolab dump` with several flag sets;
//! the outputs must be identical.
//!
//! tcpdump is required (CI installs it); the test fails, saying so, when it is missing.

use std::net::{Ipv4Addr, Ipv6Addr};

use echolab::capture::wire::checksum;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::diffutil::{bytes, compare, pick};

const FLAG_SETS: &[&[&str]] = &[
    &["-nn"],
    &["-nnv"],
    &["-nnvv"],
    &["-nnvvv", "-X"],
    &["-nnq"],
];

const SRC4: Ipv4Addr = Ipv4Addr::new(10, 0, 0, 1);
const DST4: Ipv4Addr = Ipv4Addr::new(224, 0, 0, 13);
const SRC6: Ipv6Addr = Ipv6Addr::new(0xfe80, 0, 0, 0, 0, 0, 0, 1);
const DST6: Ipv6Addr = Ipv6Addr::new(0xff02, 0, 0, 0, 0, 0, 0, 0xd);

/// How a message's checksum field is filled in.
#[derive(Clone, Copy)]
enum Sum {
    /// Over the message alone (IGMP, PIM over IPv4, VRRP v2).
    Plain,
    /// Over the IP pseudo-header and the message (PIM over IPv6, VRRP v3).
    Pseudo,
}

/// An Ethernet frame carrying `msg` as IP protocol `proto`, its checksum at `sum_at` filled
/// in as `sum` says (most of the time: else left random or zero), then the message cut or
/// its length made wrong as in the other differential tests (`i` picks the variant).
fn ip_frame(
    rng: &mut StdRng,
    i: usize,
    v6: bool,
    proto: u8,
    mut msg: Vec<u8>,
    sum_at: usize,
    sum: Sum,
) -> (Vec<u8>, u32) {
    if msg.len() >= sum_at + 2 && !rng.gen_ratio(1, 8) {
        msg[sum_at..sum_at + 2].copy_from_slice(&[0, 0]);
        let s = match (sum, v6) {
            (Sum::Plain, _) => checksum::checksum(&msg),
            (Sum::Pseudo, false) => {
                checksum::transport_checksum(SRC4.into(), DST4.into(), proto, &msg)
            }
            (Sum::Pseudo, true) => {
                checksum::transport_checksum(SRC6.into(), DST6.into(), proto, &msg)
            }
        };
        msg[sum_at..sum_at + 2].copy_from_slice(&s.to_be_bytes());
    }
    if i % 4 == 3 {
        if rng.gen() {
            let keep = rng.gen_range(0..=msg.len());
            msg.truncate(keep);
        } else {
            let more = rng.gen_range(1..24);
            msg.extend(bytes(rng, more));
        }
    }
    let mut f = vec![0u8; 12];
    if v6 {
        f.extend_from_slice(&[0x86, 0xdd, 0x60, 0, 0, 0]);
        f.extend_from_slice(&(msg.len() as u16).to_be_bytes());
        f.extend_from_slice(&[proto, pick(rng, &[1u8, 255, 64])]);
        f.extend_from_slice(&SRC6.octets());
        f.extend_from_slice(&DST6.octets());
    } else {
        f.extend_from_slice(&[0x08, 0x00]);
        let opts: &[u8] = if rng.gen() { &[0x94, 4, 0, 0] } else { &[] };
        let hl = 20 + opts.len();
        let total = (hl + msg.len()) as u16;
        let mut h = vec![0x40 | (hl / 4) as u8, 0xc0, 0, 0, 0x12, 0x34, 0, 0];
        h[2..4].copy_from_slice(&total.to_be_bytes());
        h.extend_from_slice(&[pick(rng, &[1u8, 255, 64]), proto, 0, 0]);
        h.extend_from_slice(&SRC4.octets());
        h.extend_from_slice(&DST4.octets());
        h.extend_from_slice(opts);
        let hs = checksum::checksum(&h);
        h[10..12].copy_from_slice(&hs.to_be_bytes());
        f.extend_from_slice(&h);
    }
    let hdr = f.len();
    f.extend_from_slice(&msg);
    let len = f.len() as u32;
    if i % 4 == 2 {
        f.truncate(hdr + rng.gen_range(0..=msg.len()));
    }
    (f, len)
}

/// Random bytes, as many as one of `sizes`.
fn sized(rng: &mut StdRng, sizes: &[usize]) -> Vec<u8> {
    let n = pick(rng, sizes);
    bytes(rng, n)
}

/// Fewer than `n` random bytes.
fn upto(rng: &mut StdRng, n: usize) -> Vec<u8> {
    let k = rng.gen_range(0..n);
    bytes(rng, k)
}

/// A random IPv4 or IPv6 address, or the unspecified one.
fn addr(rng: &mut StdRng, v6: bool) -> Vec<u8> {
    let n = if v6 { 16 } else { 4 };
    if rng.gen_ratio(1, 10) {
        vec![0; n]
    } else {
        bytes(rng, n)
    }
}

/// A PIMv2 encoded address of form 0 (unicast), 1 (group) or 2 (source): usually of the
/// message's family, sometimes of an unknown one, or in the RFC 2117 raw form when
/// `rfc2117`.
fn enc(rng: &mut StdRng, form: u8, v6: bool, rfc2117: bool) -> Vec<u8> {
    let v6 = if rng.gen_ratio(1, 10) { !v6 } else { v6 };
    let mut e = if rfc2117 {
        vec![]
    } else {
        let family = if rng.gen_ratio(1, 30) {
            rng.gen()
        } else {
            1 + u8::from(v6)
        };
        vec![family, if rng.gen_ratio(1, 30) { 1 } else { 0 }]
    };
    if form > 0 {
        let flags = if rng.gen_ratio(1, 3) { rng.gen() } else { 0 };
        let full = if v6 { 128 } else { 32 };
        e.extend_from_slice(&[flags, pick(rng, &[full, full, 24, 8, 0, 255])]);
    }
    e.extend(addr(rng, v6));
    e
}

/// A PIMv2 hello option: the known types at their lengths, sometimes a wrong length.
fn hello_option(rng: &mut StdRng, v6: bool) -> Vec<u8> {
    let t = pick(rng, &[1u16, 2, 18, 19, 20, 21, 22, 24, 65001, 7, 1000]);
    let mut v = match t {
        1 => bytes(rng, 2),
        2 | 20 | 21 => bytes(rng, 4),
        18 | 19 => {
            let n = pick(rng, &[0usize, 4, 4]);
            bytes(rng, n)
        }
        24 | 65001 => {
            let mut l = Vec::new();
            for _ in 0..rng.gen_range(0..3) {
                l.extend(enc(rng, 0, v6, false));
            }
            l
        }
        _ => upto(rng, 6),
    };
    if rng.gen_ratio(1, 12) {
        v.truncate(v.len().saturating_sub(1));
    }
    let mut o = t.to_be_bytes().to_vec();
    o.extend_from_slice(&(v.len() as u16).to_be_bytes());
    o.extend(v);
    o
}

/// The body of a PIMv2 message of type `ty`.
fn pim_body(rng: &mut StdRng, ty: u8, v6: bool, rfc: bool) -> Vec<u8> {
    let mut b = Vec::new();
    match ty {
        0 => {
            for _ in 0..rng.gen_range(0..5) {
                b.extend(hello_option(rng, v6));
            }
        }
        1 => {
            b.extend_from_slice(&pick(rng, &[0u32, 0x8000_0000, 0x4000_0000, 3]).to_be_bytes());
            // The encapsulated datagram: IPv4 or IPv6 carrying a protocol echolab decodes,
            // a null header, another version.
            let first = pick(rng, &[0x45u8, 0x60, 0x00, 0x50]);
            let mut inner = vec![first];
            inner.extend(upto(rng, 60));
            let (at, protos): (usize, &[u8]) = match first {
                0x45 => (9, &[17, 6, 1, 2]),
                0x60 => (6, &[17, 58, 59]),
                _ => (0, &[first]),
            };
            let proto = pick(rng, protos);
            if let Some(p) = inner.get_mut(at) {
                *p = proto;
            }
            b.extend(inner);
        }
        3 | 6 | 7 => {
            if ty != 7 {
                b.extend(enc(rng, 0, v6, rfc));
            }
            let ngroups = rng.gen_range(0..3u8);
            b.extend_from_slice(&[0, ngroups]);
            b.extend_from_slice(&pick(rng, &[210u16, 0xffff, 0, 3600]).to_be_bytes());
            for _ in 0..ngroups {
                b.extend(enc(rng, 1, v6, rfc));
                let (nj, np) = (rng.gen_range(0..3u16), rng.gen_range(0..3u16));
                b.extend_from_slice(&nj.to_be_bytes());
                b.extend_from_slice(&np.to_be_bytes());
                for _ in 0..nj + np {
                    b.extend(enc(rng, 2, v6, rfc));
                }
            }
        }
        4 => {
            b.extend(bytes(rng, 4));
            b.extend(enc(rng, 0, v6, rfc));
            for _ in 0..rng.gen_range(0..3) {
                b.extend(enc(rng, 1, v6, rfc));
                let n = rng.gen_range(0..3u8);
                b.extend_from_slice(&[rng.gen(), n, 0, 0]);
                for _ in 0..n {
                    b.extend(enc(rng, 0, v6, rfc));
                    b.extend(bytes(rng, 4));
                }
            }
        }
        2 | 5 | 9 => {
            if ty == 9 {
                b.extend(enc(rng, 0, v6, rfc));
            }
            b.extend(enc(rng, 1, v6, rfc));
            b.extend(enc(rng, 0, v6, rfc));
            if ty != 2 {
                b.extend(bytes(rng, 8));
            }
        }
        8 => {
            let n = rng.gen_range(0..3u8);
            b.extend_from_slice(&[n, rng.gen()]);
            b.extend(bytes(rng, 2));
            b.extend(enc(rng, 0, v6, rfc));
            for _ in 0..n {
                b.extend(enc(rng, 1, v6, rfc));
            }
        }
        10 => {
            b.extend(enc(rng, 0, v6, rfc));
            b.extend(bytes(rng, 8));
            b.extend(enc(rng, 0, v6, rfc));
            b.extend(bytes(rng, 10));
        }
        _ => b.extend(upto(rng, 12)),
    }
    b
}

/// A PIM message over IPv4 or IPv6: version 2 of every type (RFC 2117 address lengths now
/// and then, DF election subtypes in the reserved field), sometimes another version.
fn pim_frame(rng: &mut StdRng, i: usize) -> (Vec<u8>, u32) {
    let v6 = rng.gen_ratio(1, 4);
    let ty = rng.gen_range(0..16u8);
    let ver = if rng.gen_ratio(1, 20) {
        rng.gen_range(0..16u8)
    } else {
        2
    };
    let rfc = rng.gen_ratio(1, 8);
    let mut rsv = if rfc {
        if v6 {
            16
        } else {
            4
        }
    } else {
        0
    };
    if ty == 10 {
        rsv |= rng.gen_range(0..6u8) << 4;
    }
    let mut m = vec![ver << 4 | ty, rsv, 0, 0];
    m.extend(pim_body(rng, ty, v6, rfc));
    let sum = if v6 { Sum::Pseudo } else { Sum::Plain };
    // A register's checksum covers its header, or for interoperability everything.
    if ty == 1 && m.len() > 8 && rng.gen() {
        let head = &m[..8];
        let s = if v6 {
            checksum::transport_checksum(SRC6.into(), DST6.into(), 103, head)
        } else {
            checksum::checksum(head)
        };
        m[2..4].copy_from_slice(&s.to_be_bytes());
        // Past the end: the checksum stays as set here.
        return ip_frame(rng, i, v6, 103, m, usize::MAX - 2, sum);
    }
    ip_frame(rng, i, v6, 103, m, 2, sum)
}

#[test]
fn random_pim_messages_print_as_tcpdump() {
    let mut rng = StdRng::seed_from_u64(0x5049_4d02);
    let pkts: Vec<_> = (0..3000).map(|i| pim_frame(&mut rng, i)).collect();
    compare("pim", 1, &pkts, FLAG_SETS);
}

/// The rest of an IGMP message of type `ty` after its 8-byte header.
fn igmp_rest(rng: &mut StdRng, ty: u8) -> Vec<u8> {
    let mut b = Vec::new();
    match ty {
        0x11 if rng.gen() => {
            let n = rng.gen_range(0..4u16);
            b.extend_from_slice(&[rng.gen(), rng.gen()]);
            b.extend_from_slice(&n.to_be_bytes());
            for _ in 0..n + u16::from(rng.gen_ratio(1, 6)) {
                b.extend(addr(rng, false));
            }
        }
        0x22 => {
            for _ in 0..rng.gen_range(0..4) {
                let n = rng.gen_range(0..3u16);
                b.extend_from_slice(&[pick(rng, &[1u8, 2, 3, 4, 5, 6, 9]), 0]);
                b.extend_from_slice(&n.to_be_bytes());
                b.extend(addr(rng, false));
                for _ in 0..n {
                    b.extend(addr(rng, false));
                }
            }
        }
        0x1e | 0x1f => {
            b.extend(bytes(rng, 8));
            b.extend(pick(rng, &[[224u8, 0, 1, 32], [10, 1, 2, 3]]));
            b.extend(sized(rng, &[4usize, 4, 32, 0]));
        }
        0x13 => b.extend(dvmrp_body(rng)),
        0x14 => b.extend(sized(rng, &[0usize, 4, 16, 22, 30, 60])),
        _ => b.extend(sized(rng, &[0usize, 0, 4, 8])),
    }
    b
}

/// A DVMRP body after the IGMP header: reports by mask width, neighbor lists with counts
/// right or wrong, probes, prunes and grafts.
fn dvmrp_body(rng: &mut StdRng) -> Vec<u8> {
    let mut b = Vec::new();
    for _ in 0..rng.gen_range(0..3) {
        match rng.gen_range(0..3) {
            0 => {
                let mask = pick(
                    rng,
                    &[[0u8, 0, 0], [0xff, 0, 0], [0xff, 0xff, 0], [1, 2, 3]],
                );
                b.extend_from_slice(&mask);
                let width = 1 + mask.iter().rposition(|m| *m != 0).map_or(0, |p| p + 1);
                for k in 0..rng.gen_range(1..3) {
                    b.extend(bytes(rng, width));
                    b.push(rng.gen::<u8>() & 0x7f | if k > 0 { 0x80 } else { 0 });
                }
            }
            1 => {
                let n = rng.gen_range(0..3u8);
                b.extend(bytes(rng, 6));
                b.push(n + u8::from(rng.gen_ratio(1, 5)));
                for _ in 0..n {
                    b.extend(addr(rng, false));
                }
            }
            _ => b.extend(bytes(rng, 4)),
        }
    }
    b
}

/// An IGMP message: queries v1 to v3, reports v1 to v3, leaves, DVMRP and PIMv1 (with their
/// codes), mtrace, unknown types.
fn igmp_frame(rng: &mut StdRng, i: usize) -> (Vec<u8>, u32) {
    let ty = pick(
        rng,
        &[
            0x11u8, 0x11, 0x12, 0x16, 0x17, 0x22, 0x22, 0x13, 0x13, 0x14, 0x14, 0x1e, 0x1f, 0x42,
        ],
    );
    let code = match ty {
        0x13 => rng.gen_range(0..11u8),
        0x14 => rng.gen_range(0..9u8),
        _ => {
            let any = rng.gen();
            pick(rng, &[0u8, 100, 10, 0x80, 0xff, any])
        }
    };
    let mut m = vec![ty, code, 0, 0];
    m.extend(if rng.gen_ratio(1, 4) {
        vec![0; 4]
    } else {
        bytes(rng, 4)
    });
    if ty == 0x14 {
        // The PIMv1 version nibble sits in byte 4.
        m[4] = pick(rng, &[0x10u8, 0x10, 0x20, m[4]]);
    }
    m.extend(igmp_rest(rng, ty));
    let v6 = rng.gen_ratio(1, 20);
    ip_frame(rng, i, v6, 2, m, 2, Sum::Plain)
}

#[test]
fn random_igmp_messages_print_as_tcpdump() {
    let mut rng = StdRng::seed_from_u64(0x4947_4d50);
    let pkts: Vec<_> = (0..3000).map(|i| igmp_frame(&mut rng, i)).collect();
    compare("igmp", 1, &pkts, FLAG_SETS);
}

/// A VRRP advertisement of version 2 or 3 (sometimes another version or type), over IPv4
/// or IPv6, with its addresses and a v2 password.
fn vrrp_frame(rng: &mut StdRng, i: usize) -> (Vec<u8>, u32) {
    let v6 = rng.gen_ratio(1, 4);
    let ver = pick(rng, &[2u8, 2, 3, 3, 1, 4]);
    let ty = if rng.gen_ratio(1, 10) {
        rng.gen_range(0..16)
    } else {
        1
    };
    let n = rng.gen_range(0..4u8);
    let mut m = vec![ver << 4 | ty, rng.gen(), rng.gen(), n];
    m.extend_from_slice(&[pick(rng, &[0u8, 1, 2, 7]), rng.gen(), 0, 0]);
    for _ in 0..n {
        m.extend(addr(rng, v6));
    }
    if ver == 2 {
        let pw: Vec<u8> = (0..8)
            .map(|k| {
                if k < rng.gen_range(0..9) {
                    rng.gen_range(0x20..0x7f)
                } else {
                    0
                }
            })
            .collect();
        m.extend(pw);
    }
    let sum = if ver == 3 { Sum::Pseudo } else { Sum::Plain };
    ip_frame(rng, i, v6, 112, m, 6, sum)
}

#[test]
fn random_vrrp_messages_print_as_tcpdump() {
    let mut rng = StdRng::seed_from_u64(0x5652_5250);
    let pkts: Vec<_> = (0..2000).map(|i| vrrp_frame(&mut rng, i)).collect();
    compare("vrrp", 1, &pkts, FLAG_SETS);
}

/// An HSRP message (version 0 mostly, every op code and state) or a Cisco auto-RP message.
fn udp_app(rng: &mut StdRng) -> (u16, Vec<u8>) {
    if rng.gen_ratio(1, 3) {
        let n = rng.gen_range(0..3u8);
        let mut m = vec![pick(rng, &[0x11u8, 0x12, 0x05]), n];
        m.extend(bytes(rng, 6));
        for _ in 0..n {
            m.extend(addr(rng, false));
            let e = rng.gen_range(0..3u8);
            m.extend_from_slice(&[rng.gen(), e]);
            for _ in 0..e {
                m.extend_from_slice(&[rng.gen(), rng.gen_range(0..33)]);
                m.extend(addr(rng, false));
            }
        }
        return (496, m);
    }
    let mut m = vec![
        pick(rng, &[0u8, 0, 0, 1]),
        rng.gen_range(0..5),
        pick(rng, &[0u8, 1, 2, 4, 8, 16, 3]),
    ];
    m.extend(bytes(rng, 3));
    m.extend_from_slice(&[rng.gen(), pick(rng, &[0u8, 0, 9])]);
    m.extend((0..8).map(|k| {
        if k < rng.gen_range(0..9) {
            rng.gen_range(0x20..0x7f)
        } else {
            0
        }
    }));
    m.extend(addr(rng, false));
    (1985, m)
}

#[test]
fn random_hsrp_and_autorp_messages_print_as_tcpdump() {
    let mut rng = StdRng::seed_from_u64(0x4853_5250);
    let pkts: Vec<_> = (0..2000)
        .map(|i| {
            let (port, mut m) = udp_app(&mut rng);
            let cut = match i % 4 {
                2 => Some(14 + 20 + 8 + rng.gen_range(0..=m.len())),
                3 => {
                    let keep = rng.gen_range(0..=m.len());
                    m.truncate(keep);
                    None
                }
                _ => None,
            };
            super::dump_diff_app::udp_frame(false, port, port, &m, cut)
        })
        .collect();
    compare("hsrp", 1, &pkts, FLAG_SETS);
}

#[test]
fn random_ms_nlb_heartbeats_print_as_tcpdump() {
    let mut rng = StdRng::seed_from_u64(0x4e4c_4248);
    let pkts: Vec<_> = (0..500)
        .map(|_| {
            let mut f = vec![0x02, 0x02, 10, 0, 0, 80];
            f.extend_from_slice(&[0xff; 6]);
            f.extend_from_slice(&[0x88, 0x6f]);
            f.extend(sized(&mut rng, &[0, 7, 12, 19, 20, 40]));
            let len = f.len() as u32;
            (f, len)
        })
        .collect();
    compare("msnlb", 1, &pkts, "-nn, -nne, -nnvX");
}
