//! Differential test of the routing printers (BFD, Babel, EIGRP, OSPFv2, OSPFv3, RIP, RIPng):
//! seeded random messages of each protocol (the shapes their tcpdump printers decode, with
//! random field values, then random cuts and wrong lengths), over IPv4 and IPv6, printed by
//! tcpdump and by `echolab dump` with several flag sets; the outputs must be identical.
//!
//! tcpdump is required (CI installs it); the test fails, saying so, when it is missing.

use echolab::capture::wire::checksum;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::diffutil::{bytes, compare, pick};
use crate::dump_diff_app::udp_frame;

const FLAG_SETS: &[&[&str]] = &[&["-nn"], &["-nnv"], &["-nnvv"], &["-nnvvv", "-X"]];

/// An Ethernet frame (zero MACs) carrying `payload` as IP protocol `proto` from 10.0.0.1 to
/// 224.0.0.5, or from fe80::1 to ff02::5 when `v6`. `(captured bytes, on-wire length)`, the
/// capture cut to `caplen` bytes when given.
fn proto_frame(v6: bool, proto: u8, payload: &[u8], caplen: Option<usize>) -> (Vec<u8>, u32) {
    let mut f = vec![0u8; 12];
    if v6 {
        f.extend_from_slice(&[0x86, 0xdd, 0x60, 0, 0, 0]);
        f.extend_from_slice(&(payload.len() as u16).to_be_bytes());
        f.extend_from_slice(&[proto, 1]);
        f.extend_from_slice(&[0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
        f.extend_from_slice(&[0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5]);
    } else {
        f.extend_from_slice(&[0x08, 0x00]);
        let total = (20 + payload.len()) as u16;
        let mut h = vec![
            0x45, 0xc0, 0, 0, 0, 1, 0, 0, 1, proto, 0, 0, 10, 0, 0, 1, 224, 0, 0, 5,
        ];
        h[2..4].copy_from_slice(&total.to_be_bytes());
        let sum = checksum::checksum(&h);
        h[10..12].copy_from_slice(&sum.to_be_bytes());
        f.extend_from_slice(&h);
    }
    f.extend_from_slice(payload);
    let len = f.len() as u32;
    if let Some(c) = caplen {
        f.truncate(c);
    }
    (f, len)
}

/// How a message is spoiled: not at all (half of them), cut in the capture, or made shorter
/// or longer than its length fields say. The cut is an offset into the message.
fn spoil(rng: &mut StdRng, i: usize, m: &mut Vec<u8>) -> Option<usize> {
    crate::diffutil::damage(rng, i, m, 0, 24)
}

/// Frames of UDP messages to one of `ports`, from a port of no protocol.
fn udp_frames(
    rng: &mut StdRng,
    n: usize,
    ports: &[u16],
    msg: fn(&mut StdRng) -> Vec<u8>,
) -> Vec<(Vec<u8>, u32)> {
    (0..n)
        .map(|i| {
            let mut m = msg(rng);
            let v6 = rng.gen_bool(0.3);
            let port = pick(rng, ports);
            let cut = spoil(rng, i, &mut m).map(|c| c + if v6 { 62 } else { 42 });
            udp_frame(v6, 50000, port, &m, cut)
        })
        .collect()
}

/// Frames of IP protocol `proto` messages, over IPv6 when `v6` says.
fn proto_frames(
    rng: &mut StdRng,
    n: usize,
    proto: u8,
    v6: fn(&mut StdRng) -> bool,
    msg: fn(&mut StdRng) -> Vec<u8>,
) -> Vec<(Vec<u8>, u32)> {
    (0..n)
        .map(|i| {
            let mut m = msg(rng);
            let v6 = v6(rng);
            let cut = spoil(rng, i, &mut m).map(|c| c + if v6 { 54 } else { 34 });
            proto_frame(v6, proto, &m, cut)
        })
        .collect()
}

/// One of `from`, or (as often as any one of them) a random value.
fn pick_or_any<T: Copy>(rng: &mut StdRng, from: &[T]) -> T
where
    rand::distributions::Standard: rand::distributions::Distribution<T>,
{
    if rng.gen_range(0..=from.len()) == from.len() {
        rng.gen()
    } else {
        pick(rng, from)
    }
}

/// `n` zero bytes or `n` random ones.
fn zero_or_random(rng: &mut StdRng, n: usize) -> Vec<u8> {
    if rng.gen() {
        vec![0; n]
    } else {
        bytes(rng, n)
    }
}

/// A type-length-value item with a 16-bit type and length (the length right or, rarely, not).
fn tlv16(rng: &mut StdRng, t: u16, body: &[u8]) -> Vec<u8> {
    let mut len = body.len() as u16 + 4;
    if rng.gen_ratio(1, 12) {
        len = rng.gen_range(0..len + 8);
    }
    let mut v = t.to_be_bytes().to_vec();
    v.extend_from_slice(&len.to_be_bytes());
    v.extend_from_slice(body);
    v
}

/// The same with the length counting the body only (OSPF's TE, Grace and RI TLVs).
fn tlv16_body(rng: &mut StdRng, t: u16, body: &[u8]) -> Vec<u8> {
    let mut len = body.len() as u16;
    if rng.gen_ratio(1, 12) {
        len = rng.gen_range(0..len + 8);
    }
    let mut v = t.to_be_bytes().to_vec();
    v.extend_from_slice(&len.to_be_bytes());
    v.extend_from_slice(body);
    while v.len() % 4 != 0 && rng.gen_ratio(9, 10) {
        v.push(0);
    }
    v
}

// BFD ---------------------------------------------------------------------------------------

/// A BFD control packet of any version, with an authentication section of a known or
/// unknown type and a right or wrong length when the flag says so.
fn bfd(rng: &mut StdRng) -> Vec<u8> {
    let version = pick(rng, &[0u8, 1, 1, 1, 2, 7]);
    let mut m = vec![
        version << 5 | rng.gen_range(0..32),
        rng.gen(),
        rng.gen(),
        rng.gen(),
    ];
    for _ in 0..5 {
        let v: u32 = pick_or_any(rng, &[0, 1000, 300_000, 1_000_000]);
        m.extend_from_slice(&v.to_be_bytes());
    }
    if m[1] & 4 != 0 && rng.gen_ratio(4, 5) {
        let t = pick(rng, &[1u8, 2, 3, 4, 5, 9]);
        let len = match t {
            1 => rng.gen_range(1..22),
            2 | 3 => pick(rng, &[24u8, 24, 23]),
            4 | 5 => pick(rng, &[28u8, 28, 20]),
            _ => rng.gen(),
        };
        m.extend_from_slice(&[t, len, rng.gen()]);
        let body = rng.gen_range(0..30);
        m.extend(bytes(rng, body));
    }
    m
}

#[test]
fn random_bfd_packets_print_as_tcpdump() {
    let mut rng = StdRng::seed_from_u64(0x4246_4401);
    let pkts = udp_frames(&mut rng, 2000, &[3784, 4784, 6784, 3785], bfd);
    compare("bfd", 1, &pkts, FLAG_SETS);
}

// Babel -------------------------------------------------------------------------------------

/// A prefix of address encoding `ae` for `plen` bits, `omitted` of its bytes left out.
fn babel_prefix(rng: &mut StdRng, ae: u8, plen: u8, omitted: u8) -> Vec<u8> {
    let full = match ae {
        1 => usize::from(plen).div_ceil(8).min(4),
        2 => usize::from(plen).div_ceil(8).min(16),
        3 => usize::from(plen).div_ceil(8).saturating_sub(8),
        _ => 0,
    };
    let n = full.saturating_sub(usize::from(omitted));
    bytes(rng, n)
}

/// Sub-TLVs: pads, diversity, timestamps, unknown and mandatory ones.
fn babel_subtlvs(rng: &mut StdRng) -> Vec<u8> {
    let mut v = Vec::new();
    for _ in 0..rng.gen_range(0..3) {
        let t = pick(rng, &[0u8, 1, 2, 3, 3, 9, 0x82]);
        v.push(t);
        if t == 0 {
            continue;
        }
        let body = match t {
            3 => pick(rng, &[4usize, 8, 2]),
            _ => rng.gen_range(0..5),
        };
        v.push(if rng.gen_ratio(1, 10) {
            rng.gen()
        } else {
            body as u8
        });
        v.extend(bytes(rng, body));
    }
    v
}

/// One Babel TLV of any type, with the fields its printer reads.
fn babel_tlv(rng: &mut StdRng) -> Vec<u8> {
    let t = pick(
        rng,
        &[
            0u8, 1, 2, 3, 4, 4, 5, 5, 6, 7, 8, 8, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 42,
        ],
    );
    let ae = pick(rng, &[0u8, 1, 1, 2, 2, 3, 4]);
    let plen = pick_or_any(rng, &[0u8, 8, 16, 24, 32, 48, 64, 96, 128, 200]);
    let mut body: Vec<u8> = match t {
        0 => return vec![0],
        2 => bytes(rng, 6),
        3 => bytes(rng, 2),
        4 => {
            let mut b = vec![pick(rng, &[0u8, 0x80]), 0];
            b.extend(bytes(rng, 2));
            b.extend_from_slice(&pick_or_any(rng, &[0u16, 100]).to_be_bytes());
            b.extend(babel_subtlvs(rng));
            b
        }
        5 => {
            let mut b = vec![ae, 0];
            b.extend(bytes(rng, 4));
            b.extend(babel_prefix(rng, ae, 128, 0));
            b.extend(babel_subtlvs(rng));
            b
        }
        6 => bytes(rng, 10),
        7 => {
            let mut b = vec![ae, 0];
            b.extend(babel_prefix(rng, ae, 128, 0));
            b
        }
        8 | 13 => {
            let omitted = pick(rng, &[0u8, 0, 1, 2, 4, 17]);
            let flags = pick_or_any(rng, &[0u8, 0x80, 0x40, 0xc0]);
            let mut b = vec![ae, if t == 8 { flags } else { plen / 2 }, plen, omitted];
            b.extend_from_slice(&pick_or_any(rng, &[0u16, 0xffff]).to_be_bytes());
            b.extend(bytes(rng, 4));
            b.extend(babel_prefix(rng, ae, plen, omitted));
            if t == 13 {
                b.extend(babel_prefix(rng, ae, plen / 2, 0));
            }
            b.extend(babel_subtlvs(rng));
            b
        }
        9 | 14 => {
            let mut b = vec![ae, plen];
            if t == 14 {
                b.push(plen / 2);
            }
            b.extend(babel_prefix(rng, ae, plen, 0));
            if t == 14 {
                b.extend(babel_prefix(rng, ae, plen / 2, 0));
            }
            b
        }
        10 | 15 => {
            let mut b = vec![ae, plen];
            b.extend(bytes(rng, 3));
            b.push(plen / 2);
            b.extend(bytes(rng, 8));
            b.extend(babel_prefix(rng, ae, plen, 0));
            if t == 15 {
                b.extend(babel_prefix(rng, ae, plen / 2, 0));
            }
            b
        }
        11 => bytes(rng, 6),
        12 => {
            let n = pick(rng, &[16usize, 18, 34]);
            bytes(rng, n)
        }
        18 | 19 => {
            let n = pick(rng, &[8usize, 16, 200]);
            bytes(rng, n)
        }
        _ => {
            let n = rng.gen_range(0..12);
            bytes(rng, n)
        }
    };
    if rng.gen_ratio(1, 8) {
        let keep = rng.gen_range(0..=body.len());
        body.truncate(keep);
    }
    let mut v = vec![t, body.len().min(255) as u8];
    v.extend(body.into_iter().take(255));
    v
}

/// A Babel packet: a body of TLVs, sometimes a trailer, the header's length right or not.
fn babel(rng: &mut StdRng) -> Vec<u8> {
    let mut body = Vec::new();
    for _ in 0..rng.gen_range(0..6) {
        body.extend(babel_tlv(rng));
    }
    let mut trailer = Vec::new();
    if rng.gen_ratio(1, 5) {
        trailer.extend(babel_tlv(rng));
    }
    let bodylen = if rng.gen_ratio(1, 10) {
        rng.gen_range(0..body.len() as u16 + 10)
    } else {
        body.len() as u16
    };
    let magic = if rng.gen_ratio(1, 30) { rng.gen() } else { 42 };
    let version = if rng.gen_ratio(1, 30) { rng.gen() } else { 2 };
    let mut m = vec![magic, version];
    m.extend_from_slice(&bodylen.to_be_bytes());
    m.extend(body);
    m.extend(trailer);
    m
}

#[test]
fn random_babel_packets_print_as_tcpdump() {
    let mut rng = StdRng::seed_from_u64(0x4241_4201);
    let pkts = udp_frames(&mut rng, 2500, &[6696, 6697], babel);
    compare("babel", 1, &pkts, FLAG_SETS);
}

// EIGRP -------------------------------------------------------------------------------------

/// Delay, bandwidth, MTU, hop count, reliability and load.
fn eigrp_metric(rng: &mut StdRng) -> Vec<u8> {
    bytes(rng, 16)
}

/// One EIGRP TLV of a type print-eigrp.c decodes or not.
fn eigrp_tlv(rng: &mut StdRng) -> Vec<u8> {
    let t = pick(
        rng,
        &[
            1u16, 2, 3, 4, 5, 0x102, 0x102, 0x103, 0x202, 0x203, 0x204, 0x302, 0x999,
        ],
    );
    let plen = pick_or_any(rng, &[0u8, 8, 16, 24, 32, 33]);
    let mut body = match t {
        1 => bytes(rng, 8),
        4 => bytes(rng, 4),
        0x102 => {
            let mut b = zero_or_random(rng, 4);
            b.extend(eigrp_metric(rng));
            b.push(plen);
            b.extend(bytes(rng, usize::from(plen.min(32)).div_ceil(8)));
            b
        }
        0x103 => {
            let mut b = zero_or_random(rng, 4);
            b.extend(bytes(rng, 18));
            b.push(rng.gen_range(0..13));
            b.push(rng.gen());
            b.extend(eigrp_metric(rng));
            b.push(plen);
            b.extend(bytes(rng, usize::from(plen.min(32)).div_ceil(8)));
            b
        }
        0x202 => {
            let mut b = zero_or_random(rng, 4);
            b.extend(eigrp_metric(rng));
            b.extend(bytes(rng, 4));
            b
        }
        0x203 => {
            let mut b = zero_or_random(rng, 4);
            b.extend(bytes(rng, 12));
            b.push(rng.gen_range(0..13));
            b.extend(bytes(rng, 3));
            b.extend(eigrp_metric(rng));
            b.extend(bytes(rng, 4));
            b
        }
        0x204 => bytes(rng, 8),
        _ => {
            let n = rng.gen_range(0..10);
            bytes(rng, n)
        }
    };
    if rng.gen_ratio(1, 8) {
        let keep = rng.gen_range(0..=body.len());
        body.truncate(keep);
    }
    tlv16(rng, t, &body)
}

/// An EIGRP packet: the common header and a few TLVs.
fn eigrp(rng: &mut StdRng) -> Vec<u8> {
    let version = if rng.gen_ratio(1, 20) { rng.gen() } else { 2 };
    let mut m = vec![version, rng.gen_range(0..9)];
    m.extend(bytes(rng, 2));
    m.extend_from_slice(&pick_or_any(rng, &[0u32, 1, 8, 0xf]).to_be_bytes());
    m.extend(bytes(rng, 12));
    for _ in 0..rng.gen_range(0..5) {
        m.extend(eigrp_tlv(rng));
    }
    m
}

#[test]
fn random_eigrp_packets_print_as_tcpdump() {
    let mut rng = StdRng::seed_from_u64(0x4549_4701);
    let pkts = proto_frames(&mut rng, 2000, 88, |rng| rng.gen_ratio(1, 4), eigrp);
    compare("eigrp", 1, &pkts, FLAG_SETS);
}

// OSPF --------------------------------------------------------------------------------------

/// A TE LSA's TLVs: Router Address, Link (with sub-TLVs of every type) or unknown.
fn ospf_te(rng: &mut StdRng) -> Vec<u8> {
    let mut v = Vec::new();
    for _ in 0..rng.gen_range(1..3) {
        match rng.gen_range(0..3) {
            0 => {
                let a = bytes(rng, 4);
                v.extend(tlv16_body(rng, 1, &a));
            }
            1 => {
                let mut subs = Vec::new();
                for _ in 0..rng.gen_range(0..5) {
                    let st = pick(rng, &[1u16, 2, 3, 4, 5, 6, 7, 8, 9, 11, 14, 15, 16, 17, 99]);
                    let n = match st {
                        1 => 1,
                        2 | 11 => pick(rng, &[4usize, 8]),
                        8 => 32,
                        15 => 36,
                        16 => pick(rng, &[0usize, 4, 8, 6]),
                        17 => pick(rng, &[4usize, 12, 36, 40, 10]),
                        _ => pick(rng, &[4usize, 4, 4, 3]),
                    };
                    // Bandwidths as plausible floats most of the time.
                    let body: Vec<u8> = if matches!(st, 6 | 7 | 8 | 15 | 17) && rng.gen_ratio(3, 4)
                    {
                        (0..n / 4)
                            .flat_map(|_| (rng.gen_range(0..2_000_000_000u32) as f32).to_be_bytes())
                            .collect()
                    } else {
                        bytes(rng, n)
                    };
                    subs.extend(tlv16_body(rng, st, &body));
                }
                v.extend(tlv16_body(rng, 2, &subs));
            }
            _ => {
                let n = rng.gen_range(0..8);
                let (t, b) = (rng.gen_range(0..5), bytes(rng, n));
                v.extend(tlv16_body(rng, t, &b));
            }
        }
    }
    v
}

/// A Grace LSA's TLVs.
fn ospf_grace(rng: &mut StdRng) -> Vec<u8> {
    let mut v = Vec::new();
    for _ in 0..rng.gen_range(1..4) {
        let t = pick(rng, &[1u16, 2, 3, 7, 0]);
        let n = match t {
            2 => pick(rng, &[1usize, 1, 2]),
            _ => pick(rng, &[4usize, 4, 5]),
        };
        let b = bytes(rng, n);
        v.extend(tlv16_body(rng, t, &b));
    }
    v
}

/// An OSPFv2 LSA of any type, its length right or not.
fn ospf2_lsa(rng: &mut StdRng) -> Vec<u8> {
    let t = pick(rng, &[1u8, 1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12]);
    let opaque = pick(rng, &[1u8, 3, 4, 8]);
    let body = match t {
        1 => {
            let mut b = vec![rng.gen(), 0];
            let n = rng.gen_range(0..4u16);
            b.extend_from_slice(&n.to_be_bytes());
            for _ in 0..n {
                b.extend(bytes(rng, 8));
                b.push(pick(rng, &[1u8, 2, 3, 4, 4, 9]));
                let tos = pick(rng, &[0u8, 0, 1, 2]);
                b.push(tos);
                b.extend(bytes(rng, 2 + 4 * usize::from(tos)));
            }
            b
        }
        9..=11 => match opaque {
            1 => ospf_te(rng),
            3 => ospf_grace(rng),
            4 => {
                let cap = rng.gen::<u32>().to_be_bytes();
                let mut b = tlv16_body(rng, 1, &cap);
                let x = bytes(rng, 3);
                b.extend(tlv16_body(rng, 9, &x));
                b
            }
            _ => bytes(rng, 6),
        },
        _ => {
            let n = pick(rng, &[4usize, 8, 16, 24, 28]);
            bytes(rng, n)
        }
    };
    let mut len = (20 + body.len()) as u16;
    if rng.gen_ratio(1, 15) {
        len = rng.gen_range(0..len + 8);
    }
    let mut v = bytes(rng, 2);
    v.push(rng.gen());
    v.push(t);
    if (9..=11).contains(&t) {
        v.push(opaque);
        v.extend(bytes(rng, 3));
    } else {
        v.extend(bytes(rng, 4));
    }
    v.extend(bytes(rng, 10));
    v.extend_from_slice(&len.to_be_bytes());
    v.extend(body);
    v
}

/// An OSPFv2 packet of any type and authentication, sometimes with an LLS block.
fn ospf2(rng: &mut StdRng) -> Vec<u8> {
    let kind = pick(rng, &[1u8, 1, 2, 3, 4, 4, 4, 5, 6]);
    let auth = pick(rng, &[0u16, 0, 1, 2, 3]);
    let mut body = match kind {
        1 => {
            let mut b = bytes(rng, 6);
            b.push(pick_or_any(rng, &[0u8, 0x10, 0x12]));
            b.push(rng.gen());
            b.extend(bytes(rng, 4));
            b.extend(zero_or_random(rng, 8));
            let n = rng.gen_range(0..3) * 4;
            b.extend(bytes(rng, n));
            b
        }
        2 => {
            let mut b = zero_or_random(rng, 2);
            b.push(pick_or_any(rng, &[0u8, 0x10]));
            b.extend(bytes(rng, 5));
            for _ in 0..rng.gen_range(0..3) {
                b.extend(ospf2_lsa(rng).into_iter().take(20));
            }
            b
        }
        3 => {
            let mut b = Vec::new();
            for _ in 0..rng.gen_range(0..3) {
                b.extend_from_slice(&pick_or_any(rng, &[1u32, 5, 9, 10, 11]).to_be_bytes());
                b.extend(bytes(rng, 8));
            }
            b
        }
        4 => {
            let n = rng.gen_range(0..3u32);
            let mut b = n.to_be_bytes().to_vec();
            for _ in 0..n {
                b.extend(ospf2_lsa(rng));
            }
            b
        }
        _ => {
            let mut b = Vec::new();
            for _ in 0..rng.gen_range(0..3) {
                b.extend(ospf2_lsa(rng).into_iter().take(20));
            }
            b
        }
    };
    let mut len = (24 + body.len()) as u16;
    if rng.gen_ratio(1, 10) {
        len = rng.gen_range(0..len + 8);
    }
    let mut m = vec![pick(rng, &[2u8, 2, 2, 3]), kind];
    m.extend_from_slice(&len.to_be_bytes());
    m.extend(bytes(rng, 10));
    m.extend_from_slice(&auth.to_be_bytes());
    if auth == 2 {
        m.extend_from_slice(&[0, 0, rng.gen(), pick(rng, &[16u8, 0, 20])]);
        m.extend(bytes(rng, 4));
    } else {
        m.extend(bytes(rng, 8));
    }
    m.append(&mut body);
    if rng.gen_ratio(1, 3) {
        // An LLS block (and for MD5, the digest before it).
        if auth == 2 {
            m.extend(bytes(rng, 16));
        }
        m.extend(bytes(rng, 2));
        m.extend_from_slice(&[0, rng.gen_range(0..8)]);
        for _ in 0..rng.gen_range(0..3) {
            let t = pick(rng, &[1u16, 2, 7]);
            let n = pick(rng, &[4usize, 20, 3]);
            m.extend_from_slice(&t.to_be_bytes());
            m.extend_from_slice(&(n as u16).to_be_bytes());
            m.extend(bytes(rng, n));
        }
    } else if auth == 2 {
        m.extend(bytes(rng, 16));
    }
    m
}

#[test]
fn random_ospf_packets_print_as_tcpdump() {
    let mut rng = StdRng::seed_from_u64(0x4f53_5007);
    let pkts = proto_frames(&mut rng, 6000, 89, |_| false, ospf2);
    compare("ospf", 1, &pkts, FLAG_SETS);
}

/// An OSPFv3 LSA prefix of `plen` bits.
fn ospf3_prefix(rng: &mut StdRng) -> Vec<u8> {
    let plen = pick_or_any(rng, &[0u8, 32, 48, 64, 96, 128, 129]);
    let mut v = vec![plen, pick_or_any(rng, &[0u8, 0, 2, 0x3f])];
    v.extend(bytes(rng, 2));
    v.extend(bytes(rng, usize::from(plen.min(128)).div_ceil(32) * 4));
    v
}

/// An OSPFv3 LSA of any type, its length right or not.
fn ospf3_lsa(rng: &mut StdRng) -> Vec<u8> {
    let t = pick_or_any(
        rng,
        &[
            0x2001u16, 0x2002, 0x2003, 0x4005, 0x0008, 0x2009, 0x000b, 0x000a, 0xa00c,
        ],
    );
    let body = match t {
        0x2001 => {
            let mut b = bytes(rng, 4);
            for _ in 0..rng.gen_range(0..3) {
                b.push(pick(rng, &[1u8, 2, 4, 4, 9]));
                b.extend(bytes(rng, 15));
            }
            b
        }
        0x2003 | 0x4005 => {
            let mut b = match rng.gen_range(0..3) {
                0 => bytes(rng, 4),
                1 => vec![0x03, 0, 0, 1],
                _ => vec![0, 0, 0, 1],
            };
            for _ in 0..rng.gen_range(1..3) {
                b.extend(ospf3_prefix(rng));
            }
            let n = pick(rng, &[0usize, 4, 16, 24]);
            b.extend(bytes(rng, n));
            b
        }
        0x0008 => {
            let n = rng.gen_range(0..3u32);
            let mut b = bytes(rng, 20);
            b.extend_from_slice(&n.to_be_bytes());
            for _ in 0..n {
                b.extend(ospf3_prefix(rng));
            }
            b
        }
        0x2009 => {
            let n = rng.gen_range(0..3u16);
            let mut b = n.to_be_bytes().to_vec();
            b.extend_from_slice(&pick_or_any(rng, &[0x2001u16, 0x2002]).to_be_bytes());
            b.extend(bytes(rng, 8));
            for _ in 0..n {
                b.extend(ospf3_prefix(rng));
            }
            b
        }
        0x000b => ospf_grace(rng),
        0x000a => ospf_te(rng),
        _ => {
            let n = rng.gen_range(0..4) * 4;
            bytes(rng, n)
        }
    };
    let mut len = (20 + body.len()) as u16;
    if rng.gen_ratio(1, 15) {
        len = rng.gen_range(0..len + 8);
    }
    let mut v = bytes(rng, 2);
    v.extend_from_slice(&t.to_be_bytes());
    v.extend(bytes(rng, 14));
    v.extend_from_slice(&len.to_be_bytes());
    v.extend(body);
    v
}

/// An OSPFv3 packet of any type, sometimes with LLS and an authentication trailer.
fn ospf3(rng: &mut StdRng) -> Vec<u8> {
    let kind = pick(rng, &[1u8, 1, 2, 3, 4, 4, 4, 5, 7]);
    let options = pick_or_any(rng, &[0x13u32, 0x213, 0x413, 0x613]) & 0xff_ffff;
    let mut body = match kind {
        1 => {
            let mut b = bytes(rng, 4);
            b.extend_from_slice(&(options | u32::from(rng.gen::<u8>()) << 24).to_be_bytes());
            b.extend(bytes(rng, 4));
            b.extend(zero_or_random(rng, 8));
            let n = rng.gen_range(0..3) * 4;
            b.extend(bytes(rng, n));
            b
        }
        2 => {
            let mut b = options.to_be_bytes().to_vec();
            b.extend(bytes(rng, 8));
            for _ in 0..rng.gen_range(0..3) {
                b.extend(ospf3_lsa(rng).into_iter().take(20));
            }
            b
        }
        3 => {
            let mut b = Vec::new();
            for _ in 0..rng.gen_range(0..3) {
                b.extend(bytes(rng, 2));
                b.extend_from_slice(&pick_or_any(rng, &[0x2001u16, 0x8008]).to_be_bytes());
                b.extend(bytes(rng, 8));
            }
            b
        }
        4 => {
            let n = pick(rng, &[0u32, 1, 2, 3, u32::MAX]);
            let mut b = n.to_be_bytes().to_vec();
            for _ in 0..n.min(3) {
                b.extend(ospf3_lsa(rng));
            }
            b
        }
        _ => {
            let mut b = Vec::new();
            for _ in 0..rng.gen_range(0..3) {
                b.extend(ospf3_lsa(rng).into_iter().take(20));
            }
            b
        }
    };
    let mut len = (16 + body.len()) as u16;
    if rng.gen_ratio(1, 10) {
        len = rng.gen_range(0..len + 8);
    }
    let mut m = vec![3, kind];
    m.extend_from_slice(&len.to_be_bytes());
    m.extend(bytes(rng, 8));
    m.extend(zero_or_random(rng, 4));
    m.append(&mut body);
    if options & 0x200 != 0 && rng.gen() {
        m.extend(bytes(rng, 2));
        m.extend_from_slice(&pick(rng, &[4u16, 8, 2, 200]).to_be_bytes());
        m.extend(bytes(rng, 4));
    }
    if rng.gen_ratio(1, 3) {
        m.extend_from_slice(&pick(rng, &[1u16, 1, 2]).to_be_bytes());
        m.extend_from_slice(&pick(rng, &[32u16, 36, 16, 8, 100]).to_be_bytes());
        let n = pick(rng, &[12usize, 28, 32]);
        m.extend(bytes(rng, n));
    }
    m
}

#[test]
fn random_ospf6_packets_print_as_tcpdump() {
    let mut rng = StdRng::seed_from_u64(0x4f53_5007);
    let pkts = proto_frames(&mut rng, 6000, 89, |_| true, ospf3);
    compare("ospf6", 1, &pkts, FLAG_SETS);
}

// RIP and RIPng -----------------------------------------------------------------------------

/// A RIP packet of any command and version, with route and authentication entries.
fn rip(rng: &mut StdRng) -> Vec<u8> {
    let mut m = vec![
        pick(rng, &[1u8, 2, 2, 3, 4, 5, 6, 9]),
        pick(rng, &[1u8, 2, 2, 0, 3]),
        0,
        0,
    ];
    for _ in 0..rng.gen_range(0..4) {
        match rng.gen_range(0..6) {
            0 => {
                m.extend_from_slice(&[0xff, 0xff, 0, pick(rng, &[1u8, 2, 3, 7])]);
                m.extend(bytes(rng, 16));
            }
            1 => {
                m.extend_from_slice(&[0, pick(rng, &[0u8, 24, 30])]);
                m.extend(bytes(rng, 18));
            }
            _ => {
                m.extend_from_slice(&[0, pick(rng, &[2u8, 2, 0])]);
                m.extend(zero_or_random(rng, 2));
                m.extend(bytes(rng, 4));
                let mask = pick_or_any(rng, &[0u32, 0xffff_ff00, 0xffff_0000]);
                m.extend_from_slice(&mask.to_be_bytes());
                m.extend(zero_or_random(rng, 4));
                m.extend(bytes(rng, 4));
            }
        }
    }
    m
}

#[test]
fn random_rip_packets_print_as_tcpdump() {
    let mut rng = StdRng::seed_from_u64(0x5249_5001);
    let pkts = udp_frames(&mut rng, 2000, &[520], rip);
    compare("rip", 1, &pkts, FLAG_SETS);
}

/// A RIPng packet: a request (sometimes for the whole table) or a response.
fn ripng(rng: &mut StdRng) -> Vec<u8> {
    let mut m = vec![pick(rng, &[1u8, 2, 2, 3]), pick(rng, &[1u8, 1, 1, 2]), 0, 0];
    if rng.gen_ratio(1, 6) {
        m.extend([0u8; 16]);
        m.extend_from_slice(&[0, 0, 0, 16]);
        return m;
    }
    for _ in 0..rng.gen_range(0..4) {
        m.extend(bytes(rng, 16));
        m.extend(zero_or_random(rng, 2));
        m.push(rng.gen());
        m.push(pick_or_any(rng, &[0u8, 1, 16]));
    }
    m
}

#[test]
fn random_ripng_packets_print_as_tcpdump() {
    let mut rng = StdRng::seed_from_u64(0x5249_5002);
    let pkts = udp_frames(&mut rng, 1500, &[521], ripng);
    compare("ripng", 1, &pkts, FLAG_SETS);
}
