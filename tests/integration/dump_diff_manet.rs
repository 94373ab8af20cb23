//! Differential test of the mobile ad hoc routing printers and of `-H`: seeded random AODV
//! messages (every type, draft and RFC layouts, extensions, error lists) and OLSR packets
//! (every message type, over IPv4 and IPv6), valid, cut at random points or with lengths off,
//! in UDP on their ports; and 802.11 QoS data frames carrying random 802.11s mesh control
//! headers, with and without a radiotap header. tcpdump and `echolab dump` must print them
//! identically under every flag set.
//!
//! tcpdump is required (CI installs it); the test fails, saying so, when it is missing.

use rand::rngs::StdRng;
use rand::Rng;

use crate::diffutil::{bytes, compare_seeded, pick};
use crate::dump_diff_app::compare_udp;

/// Random bytes, as many as a draw from `sizes`.
fn some_bytes(rng: &mut StdRng, sizes: std::ops::Range<usize>) -> Vec<u8> {
    let n = rng.gen_range(sizes);
    bytes(rng, n)
}

/// An IPv4 or IPv6 address's bytes, at random.
fn addr(rng: &mut StdRng, v6: bool) -> Vec<u8> {
    bytes(rng, if v6 { 16 } else { 4 })
}

/// An AODV message: a request, reply or error in the RFC's layout (IPv4 or IPv6 addresses,
/// whichever IP carries it) or the IPv6 draft's, an acknowledgement or an unknown type, with
/// random fields, a random extension after requests and replies, and error lists whose count
/// may exceed what follows.
fn aodv(rng: &mut StdRng) -> Vec<u8> {
    let kind = pick(rng, &[1u8, 1, 2, 2, 3, 3, 4, 16, 17, 18, 19, 0, 5, 200]);
    // The printer's layout follows the IP version the frame picks later; both sizes occur.
    let v6 = kind >= 16 || rng.gen_bool(0.4);
    let a = if v6 { 16 } else { 4 };
    let mut m = vec![kind];
    match kind {
        1 | 16 => m.extend(bytes(rng, 7 + 2 * (a + 4))),
        2 | 17 => m.extend(bytes(rng, 3 + 2 * a + 8)),
        3 | 18 => {
            let items: u8 = rng.gen_range(0..4);
            let count = if rng.gen_ratio(1, 5) {
                rng.gen()
            } else {
                items
            };
            m.extend([rng.gen(), rng.gen(), count]);
            for _ in 0..items {
                m.extend(addr(rng, v6));
                m.extend(bytes(rng, 4));
            }
        }
        _ => m.extend(some_bytes(rng, 0..6)),
    }
    if matches!(kind, 1 | 2 | 16 | 17) {
        match rng.gen_range(0..4) {
            0 => {}
            1 => {
                let len = pick(rng, &[4u8, 4, 2, 6]);
                m.extend([1, len]);
                m.extend(bytes(rng, 4));
            }
            2 => m.extend([1, 4, rng.gen()]),
            _ => m.extend(some_bytes(rng, 1..6)),
        }
    }
    m
}

#[test]
fn random_aodv_messages_print_as_tcpdump() {
    compare_udp("aodv", 0x414f_4456, 2500, 654, true, aodv);
}

/// An OLSR message header of `kind` around `body` (its size right, or now and then not).
fn olsr_msg(rng: &mut StdRng, kind: u8, body: &[u8], v6: bool) -> Vec<u8> {
    let size = 8 + if v6 { 16 } else { 4 } + body.len();
    let size = if rng.gen_ratio(1, 12) {
        rng.gen_range(0..size + 20)
    } else {
        size
    };
    let mut m = vec![kind, rng.gen()];
    m.extend((size as u16).to_be_bytes());
    m.extend(addr(rng, v6));
    m.extend(bytes(rng, 4));
    m.extend(body);
    m
}

/// The neighbours of a Hello link or a TC: IPv4 addresses, or addresses with link qualities
/// for the LQ kinds.
fn olsr_neighbors(rng: &mut StdRng, lq: bool, v6: bool) -> Vec<u8> {
    let mut b = Vec::new();
    for _ in 0..rng.gen_range(0..4) {
        if lq {
            b.extend(addr(rng, v6));
            b.extend(bytes(rng, 4));
        } else {
            b.extend(addr(rng, false));
        }
    }
    b
}

/// An HNA entry: a network and mask, a smart gateway now and then.
fn olsr_hna(rng: &mut StdRng, v6: bool) -> Vec<u8> {
    if v6 {
        let mut e = addr(rng, true);
        let ones = rng.gen_range(0..=128u32);
        let mask = u128::MAX.checked_shl(128 - ones).unwrap_or(0);
        e.extend(if rng.gen_ratio(1, 4) {
            bytes(rng, 16)
        } else {
            mask.to_be_bytes().to_vec()
        });
        return e;
    }
    match rng.gen_range(0..3) {
        0 => vec![0, 0, 0, 0, 0, rng.gen(), rng.gen(), rng.gen()],
        1 => {
            let mut e = addr(rng, false);
            let ones = rng.gen_range(0..=32u32);
            e.extend(u32::MAX.checked_shl(32 - ones).unwrap_or(0).to_be_bytes());
            e
        }
        _ => bytes(rng, 8),
    }
}

/// A name service body: version, entry count (right or not) and entries of random names.
fn olsr_names(rng: &mut StdRng, v6: bool) -> Vec<u8> {
    let n = rng.gen_range(0..4u16);
    let count = if rng.gen_ratio(1, 5) {
        rng.gen_range(0..6)
    } else {
        n
    };
    let mut b = vec![0, rng.gen_range(0..3)];
    b.extend(count.to_be_bytes());
    for _ in 0..n {
        let name = some_bytes(rng, 0..10);
        let kind = pick(rng, &[0u16, 1, 2, 0x1234]);
        b.extend(kind.to_be_bytes());
        let len = if rng.gen_ratio(1, 8) {
            rng.gen_range(0..40)
        } else {
            name.len() as u16
        };
        b.extend(len.to_be_bytes());
        b.extend(addr(rng, v6));
        let pad = (4 - name.len() % 4) % 4;
        b.extend(name);
        b.extend(vec![0; if rng.gen_ratio(1, 8) { 0 } else { pad }]);
    }
    b
}

/// One OLSR message of a random type with a body of its shape.
fn olsr_message(rng: &mut StdRng, v6: bool) -> Vec<u8> {
    let kind = pick(rng, &[1u8, 201, 2, 202, 3, 4, 4, 130, 128, 0, 77]);
    let mut body = Vec::new();
    match kind {
        1 | 201 => {
            body.extend(bytes(rng, 4));
            for _ in 0..rng.gen_range(0..3) {
                let ns = olsr_neighbors(rng, kind == 201, v6);
                let len = if rng.gen_ratio(1, 8) {
                    rng.gen_range(0..60)
                } else {
                    4 + ns.len() as u16
                };
                body.extend([rng.gen(), 0]);
                body.extend(len.to_be_bytes());
                body.extend(ns);
            }
        }
        2 | 202 => {
            body.extend(bytes(rng, 4));
            body.extend(olsr_neighbors(rng, kind == 202, v6));
        }
        3 => (0..rng.gen_range(0..3)).for_each(|_| body.extend(addr(rng, v6))),
        4 => (0..rng.gen_range(0..5)).for_each(|_| body.extend(olsr_hna(rng, v6))),
        130 => body.extend(olsr_names(rng, v6)),
        _ => body.extend(some_bytes(rng, 0..8)),
    }
    olsr_msg(rng, kind, &body, v6)
}

/// An OLSR packet: its header and up to three messages of one IP version. The version only
/// matches the carrying IP's most of the time, so the other's layout is tried too.
fn olsr(rng: &mut StdRng) -> Vec<u8> {
    let v6 = rng.gen_bool(0.3);
    let msgs: Vec<u8> = (0..rng.gen_range(0..4))
        .flat_map(|_| olsr_message(rng, v6))
        .collect();
    let len = if rng.gen_ratio(1, 10) {
        rng.gen_range(0..msgs.len() + 8)
    } else {
        4 + msgs.len()
    };
    let mut p = (len as u16).to_be_bytes().to_vec();
    p.extend(bytes(rng, 2));
    p.extend(msgs);
    p
}

#[test]
fn random_olsr_packets_print_as_tcpdump() {
    compare_udp("olsr", 0x4f4c_5352, 2500, 698, true, olsr);
}

/// An 802.11 data frame, most of them QoS data, whose body starts with an 802.11s mesh
/// control header (mostly of a valid extension mode) and then LLC/SNAP and IPv4, or random
/// bytes; `(captured bytes, on-wire length)`, a fifth cut short.
fn mesh_frame(rng: &mut StdRng) -> Vec<u8> {
    let subtype = pick(rng, &[8u8, 8, 8, 8, 0, 12, 9]);
    let flags = pick(rng, &[0u8, 1, 2, 3, 3, 0x41, 0x13]);
    let mut f = vec![2 << 2 | subtype << 4, flags];
    let hdr = 24 + if flags & 3 == 3 { 6 } else { 0 } + if subtype & 8 != 0 { 2 } else { 0 };
    f.extend(bytes(rng, hdr - 2));
    let mesh_flags = if rng.gen_ratio(1, 6) {
        rng.gen()
    } else {
        rng.gen_range(0..4)
    };
    f.push(mesh_flags);
    f.extend(bytes(rng, 5 + 6 * usize::from(mesh_flags & 3)));
    if rng.gen() {
        f.extend_from_slice(&[0xaa, 0xaa, 0x03, 0, 0, 0, 0x08, 0x00]);
        f.extend_from_slice(&[0x45, 0, 0, 0x1c, 0, 1, 0, 0, 64, 1, 0, 0]);
        f.extend_from_slice(&[127, 0, 0, 1, 127, 0, 0, 1, 0x08, 0, 0xf7, 0xff, 0, 0, 0, 0]);
    } else {
        f.extend(some_bytes(rng, 0..12));
    }
    f
}

/// `f` as `(captured bytes, on-wire length)`, a fifth of them cut at a random point.
fn cut_some(rng: &mut StdRng, mut f: Vec<u8>) -> (Vec<u8>, u32) {
    let len = f.len() as u32;
    if rng.gen_ratio(1, 5) {
        let cut = rng.gen_range(0..=f.len());
        f.truncate(cut);
    }
    (f, len)
}

const MESH_FLAG_SETS: &str = "-nn -H, -nne -H, -nnev -H, -nnvv -H -X, -nne";

#[test]
fn random_mesh_headers_print_as_tcpdump_with_h() {
    compare_seeded("mesh", 105, 0x4d45_5348, MESH_FLAG_SETS, |rng| {
        (0..1500)
            .map(|_| {
                let f = mesh_frame(rng);
                cut_some(rng, f)
            })
            .collect()
    });
    // With a radiotap header: flags (FCS at the end now and then) and a channel.
    compare_seeded("mesh-radiotap", 127, 0x4d45_5349, MESH_FLAG_SETS, |rng| {
        (0..1500)
            .map(|_| {
                let fcs = rng.gen_ratio(1, 4);
                let mut f = vec![0, 0, 14, 0, 0x0a, 0, 0, 0];
                f.extend([if fcs { 0x10 } else { 0 }, 0, 0x85, 0x09, 0x80, 0x04]);
                f.extend(mesh_frame(rng));
                if fcs {
                    f.extend(bytes(rng, 4));
                }
                cut_some(rng, f)
            })
            .collect()
    });
}
