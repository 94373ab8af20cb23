//! Differential test of the LDP, VXLAN-GPE and NSH printers (print-ldp.c, print-vxlan-gpe.c,
//! print-nsh.c): seeded random LDP segments of one to three PDUs — every message type and
//! TLV, FEC prefixes of both families and of any length, Martini VC elements with random
//! interface parameters, random U and F bits, PDU, message and TLV lengths now and then
//! wrong — over UDP and TCP port 646, and VXLAN-GPE headers carrying NSH (MD types 1 and 2,
//! random lengths and next protocols), IP, IPv6 and Ethernet, and NSH on its ethertype; each
//! valid, cut at a random point, or with bytes dropped or added, printed by tcpdump and by
//! `echolab dump` with several flag sets; the outputs must be identical.
//!
//! tcpdump is required (CI installs it); the test fails, saying so, when it is missing.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::diffutil::{bytes, compare, damage, pick};
use crate::dump_diff_app::udp_frame;
use crate::dump_diff_tcp_app::tcp_frame;
use crate::dump_diff_tun::ether;

const FLAG_SETS: &str = "-nn, -nne, -nnv, -nnvv, -nnvvv -X, -nnq";

/// A length around `n`: mostly `n`, sometimes a little shorter or longer.
fn about(rng: &mut StdRng, n: usize) -> usize {
    match rng.gen_range(0..8) {
        0 => n.saturating_sub(rng.gen_range(1..4)),
        1 => n + rng.gen_range(1..4),
        _ => n,
    }
}

/// About `n` random bytes (see [`about`]).
fn some(rng: &mut StdRng, n: usize) -> Vec<u8> {
    let k = about(rng, n);
    bytes(rng, k)
}

/// A TLV, message or PDU header's 16-bit length: the true one, now and then another.
fn length_field(rng: &mut StdRng, n: usize) -> [u8; 2] {
    let n = if rng.gen_ratio(1, 12) {
        rng.gen_range(0..n + 8)
    } else {
        n
    };
    (n as u16).to_be_bytes()
}

/// A prefix FEC element: family, length and the bytes it covers (give or take one).
fn fec_prefix(rng: &mut StdRng) -> Vec<u8> {
    let af = pick(rng, &[1u16, 1, 2, 2, 3, 0]);
    let max = if af == 2 { 128 } else { 32 };
    let plen = if rng.gen_ratio(1, 8) {
        rng.gen()
    } else {
        rng.gen_range(0..=max) as u8
    };
    let mut v = vec![2];
    v.extend(af.to_be_bytes());
    v.push(plen);
    v.extend(some(rng, usize::from(plen).div_ceil(8)));
    v
}

/// A Martini VC FEC element with interface parameters of the kinds print-ldp.c names.
fn fec_martini(rng: &mut StdRng) -> Vec<u8> {
    let mut params = Vec::new();
    for _ in 0..rng.gen_range(0..4) {
        let kind = pick(rng, &[1u8, 3, 0x0c, 5, 0]);
        let len = pick(rng, &[4usize, 4, 2, 6, 9, 1, 0]);
        params.push(kind);
        params.push(len as u8);
        if kind == 3 {
            params.extend((0..len.saturating_sub(2)).map(|_| rng.gen_range(0x20..0x7f)));
        } else {
            params.extend(bytes(rng, len.saturating_sub(2)));
        }
    }
    let info = if rng.gen_ratio(1, 6) {
        let other = rng.gen();
        pick(rng, &[0u8, 2, 3, 40, other])
    } else {
        params.len() as u8 + 4
    };
    let mut v = vec![0x80];
    v.extend(rng.gen::<u16>().to_be_bytes());
    v.push(info);
    v.extend(bytes(rng, 8));
    v.extend(params);
    let keep = about(rng, v.len());
    v.resize(keep, 0);
    v
}

/// A TLV's value for `kind`: mostly of the size print-ldp.c decodes.
fn tlv_value(rng: &mut StdRng, kind: u16) -> Vec<u8> {
    match kind {
        0x100 => match rng.gen_range(0..6) {
            0 | 1 => fec_prefix(rng),
            2 | 3 => fec_martini(rng),
            4 => vec![pick(rng, &[1u8, 3])],
            _ => {
                let n = rng.gen_range(0..6);
                bytes(rng, n)
            }
        },
        0x101 => {
            let af = pick(rng, &[1u16, 2, 5]);
            let mut v = af.to_be_bytes().to_vec();
            let each = if af == 2 { 16 } else { 4 };
            let n = rng.gen_range(0..4) * each;
            v.extend(some(rng, n));
            v
        }
        0x400 | 0x401 | 0x402 | 0x200 => some(rng, 4),
        0x403 => some(rng, 16),
        0x500 | 0x300 => some(rng, 8),
        0x503 => some(rng, 12),
        0x601 => some(rng, 2),
        _ => {
            let n = rng.gen_range(0..10);
            bytes(rng, n)
        }
    }
}

/// A TLV of a type print-ldp.c names (or not), random U and F bits.
fn tlv(rng: &mut StdRng) -> Vec<u8> {
    const KINDS: &[u16] = &[
        0x100, 0x100, 0x100, 0x101, 0x103, 0x104, 0x200, 0x201, 0x202, 0x300, 0x301, 0x302, 0x303,
        0x400, 0x401, 0x402, 0x403, 0x500, 0x501, 0x502, 0x503, 0x600, 0x601, 0x3e00, 0x1234,
    ];
    let kind = pick(rng, KINDS);
    let value = tlv_value(rng, kind);
    let flags = if rng.gen_ratio(1, 3) {
        rng.gen::<u16>() & 0xc000
    } else {
        0
    };
    let mut t = (kind | flags).to_be_bytes().to_vec();
    t.extend(length_field(rng, value.len()));
    t.extend(value);
    t
}

/// A message of any type with a few TLVs.
fn message(rng: &mut StdRng) -> Vec<u8> {
    const KINDS: &[u16] = &[
        0x0001, 0x0100, 0x0200, 0x0201, 0x0300, 0x0301, 0x0400, 0x0401, 0x0402, 0x0403, 0x0404,
        0x3e01, 0x3f00, 0x0999,
    ];
    let kind = pick(rng, KINDS) | if rng.gen_ratio(1, 4) { 0x8000 } else { 0 };
    let mut body = rng.gen::<u32>().to_be_bytes().to_vec();
    for _ in 0..rng.gen_range(0..5) {
        body.extend(tlv(rng));
    }
    let mut m = kind.to_be_bytes().to_vec();
    m.extend(length_field(rng, body.len()));
    m.extend(body);
    m
}

/// A PDU of one to three messages, now and then of another version.
fn pdu(rng: &mut StdRng) -> Vec<u8> {
    let mut msgs = Vec::new();
    for _ in 0..rng.gen_range(1..4) {
        msgs.extend(message(rng));
    }
    let version = if rng.gen_ratio(1, 25) { 2u16 } else { 1 };
    let mut p = version.to_be_bytes().to_vec();
    p.extend(length_field(rng, msgs.len() + 6));
    p.extend(bytes(rng, 6));
    p.extend(msgs);
    p
}

/// One to three PDUs, as a TCP segment or a UDP datagram carries them.
fn ldp(rng: &mut StdRng) -> Vec<u8> {
    let mut d = Vec::new();
    for _ in 0..pick(rng, &[1, 1, 2, 3]) {
        d.extend(pdu(rng));
    }
    d
}

#[test]
fn random_ldp_over_udp_and_tcp_prints_as_tcpdump() {
    let mut rng = StdRng::seed_from_u64(0x4c44_5000);
    let pkts: Vec<(Vec<u8>, u32)> = (0..3000)
        .map(|i| {
            let mut m = ldp(&mut rng);
            let v6 = rng.gen_bool(0.3);
            let tcp = rng.gen();
            let peer = pick(&mut rng, &[646u16, 40000, 1024]);
            let (sport, dport) = if rng.gen() { (646, peer) } else { (peer, 646) };
            let hdr = 14 + if v6 { 40 } else { 20 } + if tcp { 20 } else { 8 };
            let cut = damage(&mut rng, i, &mut m, hdr, 24);
            if tcp {
                tcp_frame(v6, (sport, dport), 0x18, rng.gen(), &m, cut)
            } else {
                udp_frame(v6, sport, dport, &m, cut)
            }
        })
        .collect();
    compare("ldp", 1, &pkts, FLAG_SETS);
}

/// An IPv4 header with a UDP datagram, an IPv6 one, or an Ethernet frame around the first.
fn inner(rng: &mut StdRng, kind: u8) -> Vec<u8> {
    let udp = [0x27, 0x10, 0x4e, 0x20, 0, 12, 0, 0, b'p', b'i', b'n', b'g'];
    let v4 = || {
        let mut h = vec![
            0x45, 0, 0, 32, 0, 1, 0, 0, 64, 17, 0, 0, 192, 168, 0, 1, 192, 168, 0, 2,
        ];
        let sum = echolab::capture::wire::checksum::checksum(&h);
        h[10..12].copy_from_slice(&sum.to_be_bytes());
        h.extend(udp);
        h
    };
    match kind {
        1 => v4(),
        2 => {
            let mut h = vec![0x60, 0, 0, 0, 0, 12, 17, 64];
            h.extend([0x20, 1, 0x0d, 0xb8]);
            h.extend([0; 11]);
            h.push(1);
            h.extend([0x20, 1, 0x0d, 0xb8]);
            h.extend([0; 11]);
            h.push(2);
            h.extend(udp);
            h
        }
        3 => {
            let mut f = vec![2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 8, 0];
            f.extend(v4());
            f
        }
        _ => bytes(rng, 12),
    }
}

/// An NSH header (any version, flags, TTL, MD type and next protocol, the length field
/// mostly true) with context headers of its MD type, then the packet it names.
fn nsh(rng: &mut StdRng, depth: u32) -> Vec<u8> {
    let md = pick(rng, &[1u32, 1, 2, 2, 0, 0xf, 7]);
    let np = pick(rng, &[1u8, 1, 2, 3, 4, 5, 0xfe, 0x42]);
    let mut ctx = Vec::new();
    match md {
        1 => ctx.extend(bytes(rng, 16)),
        2 => {
            for _ in 0..rng.gen_range(0..4) {
                let len = pick(rng, &[0usize, 1, 4, 5, 8, 127]).min(12);
                ctx.extend(rng.gen::<u16>().to_be_bytes());
                ctx.push(rng.gen());
                let crit = rng.gen::<u8>() & 0x80;
                ctx.push(crit | len as u8);
                ctx.extend(bytes(rng, len.next_multiple_of(4)));
            }
        }
        _ => {
            let n = 4 * rng.gen_range(0..3);
            ctx.extend(bytes(rng, n));
        }
    }
    let words = if rng.gen_ratio(1, 8) {
        rng.gen_range(0..64)
    } else {
        2 + ctx.len() as u32 / 4
    };
    let ver = if rng.gen_ratio(1, 12) { 1 } else { 0 };
    let base = ver << 30
        | (rng.gen::<u32>() & 0x3fc0_0000)
        | (words & 0x3f) << 16
        | md << 8
        | u32::from(np);
    let mut h = base.to_be_bytes().to_vec();
    h.extend(rng.gen::<u32>().to_be_bytes());
    h.extend(ctx);
    if np == 4 && depth < 1 {
        h.extend(nsh(rng, depth + 1));
    } else {
        h.extend(inner(rng, np));
    }
    h
}

/// A VXLAN-GPE header with random flags and VNI and the packet its next protocol names.
fn vxlan_gpe(rng: &mut StdRng) -> Vec<u8> {
    let np = pick(rng, &[1u8, 2, 3, 4, 4, 4, 5, 0]);
    let mut h = vec![rng.gen(), rng.gen(), rng.gen(), np];
    h.extend(bytes(rng, 4));
    if np == 4 {
        h.extend(nsh(rng, 0));
    } else {
        h.extend(inner(rng, np));
    }
    h
}

#[test]
fn random_vxlan_gpe_and_nsh_print_as_tcpdump() {
    let mut rng = StdRng::seed_from_u64(0x4e53_4800);
    let pkts: Vec<(Vec<u8>, u32)> = (0..3000)
        .map(|i| {
            if rng.gen_ratio(1, 3) {
                let mut m = nsh(&mut rng, 0);
                let cut = damage(&mut rng, i, &mut m, 14, 24);
                return ether(0x894f, &m, cut);
            }
            let mut m = vxlan_gpe(&mut rng);
            let v6 = rng.gen_bool(0.3);
            let hdr = 14 + if v6 { 40 } else { 20 } + 8;
            let cut = damage(&mut rng, i, &mut m, hdr, 24);
            let peer = pick(&mut rng, &[4790u16, 40000]);
            udp_frame(v6, peer, 4790, &m, cut)
        })
        .collect();
    compare("vxlan-gpe", 1, &pkts, FLAG_SETS);
}
