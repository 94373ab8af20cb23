//! Differential test of the sFlow and LSP ping printers: seeded random datagrams (valid shapes
//! with random field values, record and TLV types and lengths, then random cuts and corrupted
//! lengths), carried in UDP over IPv4 and IPv6 on the protocol's port, printed by tcpdump and
//! by `echolab dump` with several flag sets; the outputs must be identical.
//!
//! tcpdump is required (CI installs it); the test fails, saying so, when it is missing.

use rand::rngs::StdRng;
use rand::Rng;

use crate::diffutil::{bytes, pick};
use crate::dump_diff_app::compare_udp;

fn be32(m: &mut Vec<u8>, v: u32) {
    m.extend_from_slice(&v.to_be_bytes());
}

fn be16(m: &mut Vec<u8>, v: u16) {
    m.extend_from_slice(&v.to_be_bytes());
}

/// A length-prefixed record or sample: `format`, a length usually right, then `body`.
fn framed(rng: &mut StdRng, m: &mut Vec<u8>, format: u32, body: &[u8]) {
    be32(m, format);
    let len = if rng.gen_ratio(1, 8) {
        rng.gen_range(0..body.len() as u32 + 16)
    } else {
        body.len() as u32
    };
    be32(m, len);
    m.extend_from_slice(body);
}

/// Flow or counter records of the types print-sflow.c decodes, of their sizes or not.
fn sflow_records(rng: &mut StdRng, counter: bool) -> (u32, Vec<u8>) {
    let n = rng.gen_range(0..5u32);
    let mut m = Vec::new();
    for _ in 0..n {
        let (types, sizes): (&[u32], &[usize]) = if counter {
            (&[1, 2, 3, 4, 5, 1001, 77], &[88, 52, 0, 80, 28, 28, 12])
        } else {
            (&[1, 2, 3, 1001, 1002, 99], &[16, 24, 8, 16, 4, 6])
        };
        let k = rng.gen_range(0..types.len());
        let mut ty = types[k];
        if rng.gen_ratio(1, 10) {
            ty |= if counter { 9 << 20 } else { 9 << 12 };
        }
        let size = if rng.gen_ratio(1, 6) {
            rng.gen_range(0..sizes[k] + 4)
        } else {
            sizes[k]
        };
        let body = bytes(rng, size);
        framed(rng, &mut m, ty, &body);
    }
    let count = if rng.gen_ratio(1, 8) { n + 2 } else { n };
    (count, m)
}

/// An sFlow v5 datagram (now and then another version or agent family) with samples of
/// every format.
fn sflow(rng: &mut StdRng) -> Vec<u8> {
    let mut m = Vec::new();
    be32(&mut m, pick(rng, &[5, 5, 5, 5, 4]));
    let ipv = pick(rng, &[1u32, 1, 2, 2, 3]);
    be32(&mut m, ipv);
    let agent = if ipv == 1 { 4 } else { 16 };
    m.extend(bytes(rng, agent + 12));
    let n = rng.gen_range(0..4u32);
    be32(&mut m, if rng.gen_ratio(1, 8) { n + 1 } else { n });
    for _ in 0..n {
        let format = pick(rng, &[1u32, 2, 3, 4, 9, 0]);
        let mut body = Vec::new();
        let counter = format == 2 || format == 4;
        let head = match format {
            1 => 28,
            2 => 8,
            3 => 40,
            4 => 12,
            _ => 0,
        };
        body.extend(bytes(rng, head));
        let (count, records) = sflow_records(rng, counter);
        if head > 0 {
            be32(&mut body, count);
        }
        body.extend(records);
        framed(rng, &mut m, format, &body);
    }
    m
}

/// An LSP ping message: the common header, then TLVs of every type print-lspping.c knows,
/// Target FEC sub-TLVs of every type, of their sizes or not.
fn lspping(rng: &mut StdRng) -> Vec<u8> {
    let mut m = Vec::new();
    be16(&mut m, pick(rng, &[1, 1, 1, 1, 2]));
    be16(&mut m, rng.gen());
    m.push(pick(rng, &[1, 2, 3]));
    m.push(rng.gen_range(0..6));
    m.push(rng.gen_range(0..15));
    m.push(rng.gen());
    m.extend(bytes(rng, 16));
    if rng.gen() {
        m.extend([0; 8]);
    } else {
        m.extend(bytes(rng, 8));
    }
    for _ in 0..rng.gen_range(0..4) {
        let ty = pick(rng, &[1u16, 1, 2, 2, 3, 5, 7, 9, 15, 0xfc00, 0x4444]);
        let mut v = Vec::new();
        match ty {
            1 => {
                for _ in 0..rng.gen_range(0..4) {
                    let (st, size) = pick(
                        rng,
                        &[
                            (1u16, 5usize),
                            (2, 17),
                            (3, 20),
                            (4, 56),
                            (6, 13),
                            (7, 25),
                            (8, 14),
                            (9, 10),
                            (10, 14),
                            (12, 5),
                            (13, 17),
                            (11, 4),
                        ],
                    );
                    let size = if rng.gen_ratio(1, 8) {
                        rng.gen_range(0..size + 3)
                    } else {
                        size
                    };
                    let mut body = bytes(rng, size);
                    if (st == 6 || st == 7 || st == 8) && size >= 2 {
                        body[0] = 0;
                        body[1] = rng.gen_range(0..4);
                    }
                    be16(&mut v, st);
                    be16(&mut v, size as u16);
                    v.extend(body);
                    v.resize(v.len().div_ceil(4) * 4, 0);
                }
            }
            2 => {
                be16(&mut v, rng.gen());
                v.push(rng.gen_range(0..6));
                v.push(rng.gen());
                let n = pick(rng, &[8usize, 20, 32, 36, 0, 3]);
                v.extend(bytes(rng, n));
            }
            _ => {
                let n = pick(rng, &[4usize, 4, 2, 5, 0]);
                v.extend(bytes(rng, n));
            }
        }
        be16(&mut m, ty);
        let len = if rng.gen_ratio(1, 8) {
            rng.gen_range(0..v.len() as u16 + 8)
        } else {
            v.len() as u16
        };
        be16(&mut m, len);
        m.extend_from_slice(&v);
        m.resize(m.len().div_ceil(4) * 4, 0);
    }
    m
}

#[test]
fn random_sflow_datagrams_print_as_tcpdump() {
    compare_udp("sflow", 0x5f10_0005, 2000, 6343, false, sflow);
}

#[test]
fn random_lspping_messages_print_as_tcpdump() {
    compare_udp("lspping", 0x1590_3503, 2000, 3503, false, lspping);
}
