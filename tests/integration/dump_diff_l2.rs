//! Differential test of the 802.2 printers (LLC, SNAP, spanning tree): seeded random 802.3
//! frames — BPDUs of every version with random field values and lengths, LLC headers of
//! every frame kind — valid, cut at random points, or with a wrong 802.3 length, printed by
//! tcpdump and by `echolab dump` with several flag sets; the outputs must be identical.
//!
//! tcpdump is required (CI installs it); the test fails, saying so, when it is missing.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::diffutil::{bytes, compare, pick};

const FLAG_SETS: &str = "-nn, -nne, -nnv, -nnvv -X, -nnevX";

/// An 802.3 frame with `llc` (LLC header and payload) after the length field, which says
/// `len_delta` bytes more or less than there are; `(captured bytes, on-wire length)` with the
/// capture cut to `caplen` bytes when given.
fn dot3(llc: &[u8], len_delta: i32, caplen: Option<usize>) -> (Vec<u8>, u32) {
    let mut f = vec![
        0x01, 0x80, 0xc2, 0, 0, 0, 0x00, 0x11, 0x22, 0x33, 0x44, 0xaa,
    ];
    let n = (llc.len() as i32 + len_delta).clamp(0, 1500) as u16;
    f.extend_from_slice(&n.to_be_bytes());
    f.extend_from_slice(llc);
    let len = f.len() as u32;
    if let Some(c) = caplen {
        f.truncate(c);
    }
    (f, len)
}

/// Frames from `msg`: half as generated, a quarter cut short, a quarter with a wrong length
/// field.
fn frames(rng: &mut StdRng, n: usize, msg: fn(&mut StdRng) -> Vec<u8>) -> Vec<(Vec<u8>, u32)> {
    (0..n)
        .map(|i| {
            let m = msg(rng);
            match i % 4 {
                0 | 1 => dot3(&m, 0, None),
                2 => dot3(&m, 0, Some(14 + rng.gen_range(0..=m.len()))),
                _ => dot3(&m, rng.gen_range(-20..20), None),
            }
        })
        .collect()
}

/// A BPDU of any version and type, with the lengths print-stp.c checks near their limits.
fn bpdu(rng: &mut StdRng) -> Vec<u8> {
    let version = pick(rng, &[0u8, 0, 2, 2, 3, 3, 4, 4, 1, 9]);
    let btype = pick(rng, &[0u8, 2, 2, 0x80, 0x55]);
    let proto_id = if rng.gen_ratio(1, 20) { 1u16 } else { 0 };
    let mut b = proto_id.to_be_bytes().to_vec();
    b.extend_from_slice(&[version, btype, rng.gen()]);
    b.extend(bytes(rng, 30));
    // The version 1 length, almost always 0.
    b.push(if rng.gen_ratio(1, 10) { rng.gen() } else { 0 });
    if version < 3 || btype != 2 {
        b.truncate(pick(rng, &[4usize, 35, 36, 36, 36]));
        return b;
    }
    let mstis = rng.gen_range(0..4usize);
    let v3len = 64 + 16 * mstis as u16;
    let over = v3len + rng.gen_range(0..20);
    let v3len = pick(rng, &[v3len, v3len, over, 20]);
    b.extend_from_slice(&v3len.to_be_bytes());
    b.push(0);
    b.extend(name(rng));
    b.extend(bytes(rng, 2 + 16 + 4 + 8 + 1));
    b.extend(bytes(rng, 16 * mstis));
    if version == 4 {
        let v4len = pick(rng, &[85u16, 85, 84, 100]);
        b.extend_from_slice(&v4len.to_be_bytes());
        b.push(0);
        b.extend(name(rng));
        b.extend(bytes(rng, 2 + 16 + 4 + 2 + 8 + 20));
    }
    b
}

/// A 32-byte configuration name: printable and NUL-padded, or anything.
fn name(rng: &mut StdRng) -> Vec<u8> {
    if rng.gen() {
        let n = rng.gen_range(0..=32);
        let mut v: Vec<u8> = (0..n).map(|_| rng.gen_range(0x20..0x7f)).collect();
        v.resize(32, 0);
        v
    } else {
        bytes(rng, 32)
    }
}

/// An LLC header on the STP SAP, or SNAP with PVST+ or an RFC 2684 BPDU, then a BPDU.
fn stp_frame(rng: &mut StdRng) -> Vec<u8> {
    let mut m = match rng.gen_range(0..8) {
        0 => vec![0xaa, 0xaa, 0x03, 0x00, 0x00, 0x0c, 0x01, 0x0b],
        1 => vec![0xaa, 0xaa, 0x03, 0x00, 0x80, 0xc2, 0x00, 0x0e],
        _ => vec![0x42, 0x42, 0x03],
    };
    m.extend(bpdu(rng));
    m
}

/// An LLC header with any SAPs (not those of the protocols echolab leaves to other
/// printers) and any control field, then a short payload, sometimes an XID.
fn llc_frame(rng: &mut StdRng) -> Vec<u8> {
    let sap = |rng: &mut StdRng| loop {
        let s: u8 = rng.gen();
        if !matches!(s & 0xfe, 0xe0 | 0xfe | 0xf0 | 0xaa | 0x42 | 0x06) {
            return s;
        }
    };
    let (d, s) = (sap(rng), sap(rng));
    let mut m = vec![d, s];
    let any: u8 = rng.gen();
    let control = pick(
        rng,
        &[0x03u8, 0x13, 0xaf, 0xbf, 0xe3, 0x63, 0x01, 0x00, any],
    );
    m.push(control);
    if control & 3 != 3 {
        m.push(rng.gen());
    }
    if rng.gen() {
        m.extend_from_slice(&[0x81, rng.gen(), rng.gen()]);
    }
    let n = rng.gen_range(0..12);
    m.extend(bytes(rng, n));
    m
}

#[test]
fn random_bpdus_print_as_tcpdump() {
    let mut rng = StdRng::seed_from_u64(0x5354_5001);
    let pkts = frames(&mut rng, 3000, stp_frame);
    compare("stp", 1, &pkts, FLAG_SETS);
}

#[test]
fn random_llc_frames_print_as_tcpdump() {
    let mut rng = StdRng::seed_from_u64(0x4c4c_4301);
    let pkts = frames(&mut rng, 2000, llc_frame);
    compare("llc", 1, &pkts, FLAG_SETS);
}

/// A CDP TLV of a type print-cdp.c knows (or not), its length field right, too short or
/// past the message now and then.
fn cdp_tlv(rng: &mut StdRng, m: &mut Vec<u8>) {
    let ty = pick(
        rng,
        &[
            1u16, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24,
            0x1234,
        ],
    );
    let mut v = match ty {
        2 | 22 => cdp_addresses(rng),
        5 => (0..rng.gen_range(0..30))
            .map(|_| pick(rng, &[b'a', b'\n', 0x01, b' ', 0xc3]))
            .collect(),
        7 => {
            let n = pick(rng, &[0usize, 5, 10, 7]);
            bytes(rng, n)
        }
        _ => {
            let n = pick(rng, &[0usize, 1, 2, 3, 4, 5, 9]);
            bytes(rng, n)
        }
    };
    let len = match rng.gen_range(0..12) {
        0 => rng.gen_range(0..4),
        1 => v.len() as u16 + 4 + rng.gen_range(1..30),
        _ => v.len() as u16 + 4,
    };
    m.extend_from_slice(&ty.to_be_bytes());
    m.extend_from_slice(&len.to_be_bytes());
    m.append(&mut v);
}

/// A CDP address list: IPv4, IPv6 and other protocol entries, its count sometimes wrong.
fn cdp_addresses(rng: &mut StdRng) -> Vec<u8> {
    let n = rng.gen_range(0..4u32);
    let count = if rng.gen_ratio(1, 5) { n + 1 } else { n };
    let mut a = count.to_be_bytes().to_vec();
    for _ in 0..n {
        match rng.gen_range(0..3) {
            0 => a.extend_from_slice(&[1, 1, 0xcc, 0, 4]),
            1 => a.extend_from_slice(&[2, 8, 0xaa, 0xaa, 3, 0, 0, 0, 0x86, 0xdd, 0, 16]),
            _ => {
                let pl = rng.gen_range(0..3);
                a.extend_from_slice(&[rng.gen_range(0..4), pl]);
                a.extend(bytes(rng, usize::from(pl)));
                a.extend_from_slice(&[0, rng.gen_range(0..5)]);
            }
        }
        let al = a.len();
        let take = match a.get(al - 1) {
            Some(&16) => 16,
            Some(&4) => 4,
            Some(&n) => usize::from(n),
            None => 0,
        };
        a.extend(bytes(rng, take));
    }
    if rng.gen_ratio(1, 6) {
        a.truncate(rng.gen_range(0..=a.len()));
    }
    a
}

/// A CDP message in Cisco SNAP: version, TTL, checksum, a few TLVs, sometimes a stray byte.
fn cdp_frame(rng: &mut StdRng) -> Vec<u8> {
    let mut m = vec![0xaa, 0xaa, 0x03, 0x00, 0x00, 0x0c, 0x20, 0x00];
    m.extend_from_slice(&[pick(rng, &[1u8, 2, 2, 7]), rng.gen(), rng.gen(), rng.gen()]);
    for _ in 0..rng.gen_range(0..8) {
        cdp_tlv(rng, &mut m);
    }
    if rng.gen_ratio(1, 8) {
        let n = rng.gen_range(1..4);
        m.extend(bytes(rng, n));
    }
    m
}

#[test]
fn random_cdp_messages_print_as_tcpdump() {
    let mut rng = StdRng::seed_from_u64(0x4344_5001);
    let pkts = frames(&mut rng, 3000, cdp_frame);
    compare("cdp", 1, &pkts, FLAG_SETS);
}

/// A slow-protocols PDU: LACP or marker TLVs with right and wrong lengths, other versions and
/// subtypes (not OAM, which echolab leaves undecoded).
fn slow_pdu(rng: &mut StdRng) -> Vec<u8> {
    let subtype = pick(rng, &[1u8, 1, 1, 2, 2, 0, 9]);
    let version = if rng.gen_ratio(1, 10) { rng.gen() } else { 1 };
    let mut m = vec![subtype, version];
    for _ in 0..rng.gen_range(0..5) {
        let ty = pick(rng, &[1u8, 2, 3, 1, 9]);
        let vlen = pick(rng, &[18usize, 18, 14, 14, 3, 0]);
        let len = if rng.gen_ratio(1, 10) {
            rng.gen_range(0..4)
        } else {
            vlen as u8 + 2
        };
        m.extend_from_slice(&[ty, len]);
        m.extend(bytes(rng, vlen));
    }
    if rng.gen() {
        m.extend_from_slice(&[0, 0]);
        let pad = rng.gen_range(0..20);
        m.extend(bytes(rng, pad));
    }
    m
}

#[test]
fn random_slow_protocol_pdus_print_as_tcpdump() {
    let mut rng = StdRng::seed_from_u64(0x534c_4f01);
    let pkts: Vec<_> = (0..2000)
        .map(|i| {
            let mut f = vec![
                0x01, 0x80, 0xc2, 0, 0, 0x02, 0x00, 0x11, 0x22, 0x33, 0x44, 0xaa,
            ];
            f.extend_from_slice(&[0x88, 0x09]);
            let m = slow_pdu(&mut rng);
            f.extend_from_slice(&m);
            let len = f.len() as u32;
            if i % 3 == 2 {
                f.truncate(14 + rng.gen_range(0..=m.len()));
            }
            (f, len)
        })
        .collect();
    compare("slow", 1, &pkts, FLAG_SETS);
}
