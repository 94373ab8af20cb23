//! Differential test of the IS-IS printer (print-isoclns.c `isis_print`): seeded random PDUs
//! of every type over Ethernet 802.2 LLC (SAP 0xfe, UI) to the IS-IS multicast addresses,
//! with random header fields and random TLVs — each kind print-isoclns.c decodes, with bodies
//! around their valid shapes and sub-TLVs, and unknown ones — each valid, cut short, or with
//! bytes dropped or added, printed by tcpdump and by `echolab dump` with several flag sets;
//! the outputs must be identical.
//!
//! tcpdump is required (CI installs it); the test fails, saying so, when it is missing.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::diffutil::{bytes, compare, damage, pick};

const FLAG_SETS: &str = "-nn, -nne, -nnv, -nnvv, -nnevvv -X, -nnq";

/// A sub-TLV list of `types`, with lengths around the valid ones.
fn subtlvs(rng: &mut StdRng, types: &[u8], lens: &[usize]) -> Vec<u8> {
    let mut m = Vec::new();
    for _ in 0..rng.gen_range(0..4) {
        let t = pick(rng, types);
        let l = pick(rng, lens);
        m.push(t);
        m.push(l as u8);
        m.extend(bytes(rng, l));
    }
    m
}

/// An extended IS reachability entry: neighbor, metric (unless an alias), sub-TLVs.
fn ext_is(rng: &mut StdRng, alias: bool) -> Vec<u8> {
    let mut m = bytes(rng, if alias { 7 } else { 10 });
    let sub = subtlvs(
        rng,
        &[
            3, 4, 5, 6, 8, 9, 10, 11, 12, 18, 19, 20, 21, 22, 29, 32, 250, 77,
        ],
        &[0, 2, 3, 4, 6, 8, 9, 12, 32, 36, 40, 44],
    );
    let sublen = if rng.gen_ratio(1, 10) {
        rng.gen_range(0..=sub.len() + 4)
    } else {
        sub.len()
    };
    m.push(sublen as u8);
    m.extend(sub);
    m
}

/// An extended IP reachability entry (IPv4 or IPv6).
fn ext_ip(rng: &mut StdRng, v6: bool) -> Vec<u8> {
    let mut m = bytes(rng, 4);
    let status: u8 = rng.gen();
    let bits: u8 = if v6 {
        pick(rng, &[0u8, 32, 48, 64, 127, 128, 129])
    } else {
        pick(rng, &[0u8, 8, 24, 31, 32, 33])
    };
    let sub_flag = if v6 { 0x20 } else { 0x40 };
    let status = if v6 {
        m.push(status);
        m.push(bits);
        status
    } else {
        let s = (status & 0xc0) | (bits & 0x3f);
        m.push(s);
        s
    };
    m.extend(bytes(rng, usize::from(bits).div_ceil(8).min(16)));
    if status & sub_flag != 0 {
        let sub = subtlvs(rng, &[1, 2, 3, 117, 9], &[0, 4, 5, 6, 8, 12, 16]);
        m.push(sub.len() as u8);
        m.extend(sub);
    }
    m
}

/// A topology ID with random flags.
fn mtid(rng: &mut StdRng) -> Vec<u8> {
    let v: u16 = pick(rng, &[0u16, 1, 2, 3, 4095, 77]) | (rng.gen::<u16>() & 0xf000);
    v.to_be_bytes().to_vec()
}

/// Random bytes, as many as one of `lens` says.
fn some(rng: &mut StdRng, lens: &[usize]) -> Vec<u8> {
    let n = pick(rng, lens);
    bytes(rng, n)
}

/// `n` random repetitions of `make`.
fn many(rng: &mut StdRng, n: usize, make: impl Fn(&mut StdRng) -> Vec<u8>) -> Vec<u8> {
    (0..rng.gen_range(0..=n)).flat_map(|_| make(rng)).collect()
}

/// A TLV body of type `t`.
fn tlv_body(rng: &mut StdRng, t: u8) -> Vec<u8> {
    let mut m = Vec::new();
    match t {
        1 => {
            for _ in 0..rng.gen_range(0..4) {
                let l = pick(rng, &[0usize, 1, 3, 5, 13, 21]);
                m.push(l as u8);
                m.extend(bytes(rng, l));
            }
        }
        2 => {
            m.push(pick(rng, &[0u8, 1, 2]));
            m.extend(many(rng, 3, |r| bytes(r, 11)));
        }
        3 => m = many(rng, 3, |r| bytes(r, 10)),
        4 | 6 => m = many(rng, 4, |r| bytes(r, 6)),
        5 => {
            m = bytes(rng, 4);
            for _ in 0..rng.gen_range(0..3) {
                let l = pick(rng, &[0u8, 1, 8, 26, 40]);
                m.push(l);
                m.extend(bytes(rng, usize::from(l / 2)));
            }
        }
        7 => m = some(rng, &[2usize, 4, 6, 7, 10]),
        9 => m = many(rng, 4, |r| bytes(r, 16)),
        10 => {
            let kind = pick(rng, &[1u8, 3, 54, 255, 9]);
            m.push(kind);
            if kind == 1 {
                m.extend(b"secret\0x");
            } else {
                m.extend(some(rng, &[0usize, 1, 2, 16, 20]));
            }
        }
        12 | 14 => m = some(rng, &[2usize, 1, 3]),
        13 => {
            let n = pick(rng, &[0u8, 1, 2]);
            m.push(n);
            m.extend(some(rng, &[6usize, 12, 4, 9]));
        }
        22 | 24 => m = many(rng, 3, |r| ext_is(r, t == 24)),
        222 => {
            m = mtid(rng);
            m.extend(many(rng, 2, |r| ext_is(r, false)));
        }
        128 | 130 => {
            m = many(rng, 4, |r| {
                let mut e = bytes(r, 8);
                let mask: u32 = if r.gen_ratio(3, 4) {
                    (!0u32).checked_shl(r.gen_range(0..=32)).unwrap_or(0)
                } else {
                    r.gen()
                };
                e.extend(mask.to_be_bytes());
                e
            });
            if rng.gen_ratio(1, 8) {
                m.extend(bytes(rng, 5));
            }
        }
        129 => m = many(rng, 4, |r| vec![pick(r, &[0xccu8, 0x8e, 0x81, 0x42])]),
        131 => {
            m.push(pick(rng, &[0u8, 1, 2, 3]));
            m.extend(some(rng, &[0usize, 2, 4]));
        }
        132 | 134 => m = many(rng, 3, |r| bytes(r, 4)),
        135 | 236 => m = many(rng, 3, |r| ext_ip(r, t == 236)),
        235 | 237 => {
            m = mtid(rng);
            m.extend(many(rng, 3, |r| ext_ip(r, t == 237)));
        }
        137 => m = b"router-1".to_vec(),
        138 => m = some(rng, &[6usize, 7, 8, 12, 16, 20, 23]),
        143 => {
            m = bytes(rng, 2);
            m.extend(subtlvs(rng, &[4, 5, 6, 7], &[0, 6, 10, 33, 102, 104]));
        }
        144 => {
            m = bytes(rng, 2);
            for _ in 0..rng.gen_range(0..3) {
                let kind = pick(rng, &[1u8, 3, 5]);
                let trees = rng.gen_range(0..3u8);
                let l = pick(rng, &[19 + 8 * usize::from(trees), 8, 12, 16, 4]);
                m.push(kind);
                m.push(l as u8);
                let mut v = bytes(rng, l);
                if kind == 1 && l > 18 {
                    v[18] = trees;
                }
                m.extend(v);
            }
        }
        211 => m = some(rng, &[0usize, 1, 3, 9, 5]),
        229 => m = many(rng, 3, mtid),
        232 => m = many(rng, 2, |r| bytes(r, 16)),
        240 => m = some(rng, &[0usize, 1, 5, 11, 15, 3]),
        241 => m = bytes(rng, 4),
        242 => {
            m = bytes(rng, 5);
            for _ in 0..rng.gen_range(0..3) {
                let mut sr = vec![rng.gen::<u8>(), 0, 0, rng.gen()];
                for _ in 0..rng.gen_range(0..3) {
                    let l = pick(rng, &[3usize, 4, 2]);
                    sr.push(pick(rng, &[1u8, 2]));
                    sr.push(l as u8);
                    sr.extend(bytes(rng, l));
                }
                m.push(pick(rng, &[2u8, 2, 5]));
                m.push(sr.len() as u8);
                m.extend(sr);
            }
        }
        250 => m = some(rng, &[3usize, 2, 8]),
        _ => m = some(rng, &[0, 1, 3, 7, 11]),
    }
    m.truncate(255);
    m
}

/// Random TLVs.
fn tlvs(rng: &mut StdRng) -> Vec<u8> {
    let mut m = Vec::new();
    for _ in 0..rng.gen_range(0..6) {
        let t = pick(
            rng,
            &[
                1u8, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 13, 14, 22, 24, 42, 128, 129, 130, 131, 132,
                134, 135, 137, 138, 143, 144, 211, 222, 229, 232, 235, 236, 237, 240, 241, 242,
                250, 99,
            ],
        );
        let body = tlv_body(rng, t);
        m.push(t);
        m.push(body.len() as u8);
        m.extend(body);
    }
    m
}

/// An IS-IS PDU: common header, the type's fixed part, TLVs.
fn pdu(rng: &mut StdRng) -> Vec<u8> {
    let (kind, size) = pick(
        rng,
        &[
            (15u8, 27usize),
            (16, 27),
            (17, 20),
            (18, 27),
            (20, 27),
            (24, 33),
            (25, 33),
            (26, 17),
            (27, 17),
            (19, 8),
        ],
    );
    let fixed = if rng.gen_ratio(1, 30) {
        rng.gen()
    } else {
        size as u8
    };
    let version = if rng.gen_ratio(1, 40) { 2 } else { 1 };
    let id_len = pick(rng, &[0u8, 0, 0, 6, 6, 3]);
    let max_area = pick(rng, &[0u8, 0, 3, 255]);
    let mut m = vec![0x83, fixed, version, id_len, kind, 1, 0, max_area];
    let mut fixed_part = bytes(rng, size - 8);
    if matches!(kind, 15..=17) && !fixed_part.is_empty() {
        fixed_part[0] = pick(rng, &[1u8, 2, 3, 0x21]);
    }
    m.extend(fixed_part);
    m.extend(tlvs(rng));
    let total = if rng.gen_ratio(1, 8) {
        rng.gen::<u16>() % 400
    } else {
        m.len() as u16
    };
    let at = if matches!(kind, 15..=17) { 17 } else { 8 };
    if m.len() >= at + 2 {
        m[at..at + 2].copy_from_slice(&total.to_be_bytes());
    }
    m
}

/// An 802.3 frame with LLC 0xfefe03 to an IS-IS multicast address, cut where `cut` says.
fn frame(rng: &mut StdRng, i: usize) -> (Vec<u8>, u32) {
    let mut p = pdu(rng);
    // An 802.3 length field, not an ethertype.
    p.truncate(1400);
    let cut = damage(rng, i, &mut p, 0, 12);
    let mut f = vec![0x01, 0x80, 0xc2, 0, 0, pick(rng, &[0x14u8, 0x15])];
    f.extend([0x00, 0x11, 0x22, 0x33, 0x44, 0x55]);
    f.extend(((p.len() + 3) as u16).to_be_bytes());
    f.extend([0xfe, 0xfe, 0x03]);
    f.extend(&p);
    let len = f.len() as u32;
    if let Some(c) = cut {
        f.truncate(17 + c);
    }
    (f, len)
}

#[test]
fn random_isis_pdus_print_as_tcpdump() {
    let mut rng = StdRng::seed_from_u64(0x4953_4953);
    let pkts: Vec<_> = (0..3000).map(|i| frame(&mut rng, i)).collect();
    compare("isis", 1, &pkts, FLAG_SETS);
}
