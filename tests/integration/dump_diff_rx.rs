//! Differential test of the AFS Rx printer: seeded random calls to each AFS service (the
//! opcodes print-rx.c decodes, Ubik ones and unknown ones, with arguments of random words,
//! counted strings and character vectors), each followed by a data or abort reply with the
//! same call number and the addresses swapped, so that the reply is decoded from the
//! remembered call; acknowledgements
//! with random ack arrays; other packet types and flags. A quarter of them are cut short or
//! have bytes dropped or added. tcpdump and `echolab dump` print them with several flag sets;
//! the outputs must be identical.
//!
//! tcpdump is required (CI installs it); the test fails, saying so, when it is missing.

use rand::rngs::StdRng;
use rand::Rng;

use crate::diffutil::{bytes, compare_seeded, pick};
use crate::dump_diff_app::udp_frame;

const FLAG_SETS: &str = "-nn, -nnv, -nnvv, -nnvvv -X";

/// The service ports with the opcodes print-rx.c decodes for each (and some it does not).
const SERVICES: &[(u16, &[u32])] = &[
    (
        7000,
        &[
            130, 131, 132, 133, 134, 135, 136, 137, 138, 139, 140, 141, 142, 148, 149, 151, 153,
            154, 155, 65536, 65537, 65538, 65541, 999,
        ],
    ),
    (7001, &[204, 206, 213, 214, 7]),
    (
        7002,
        &[
            500, 501, 502, 503, 504, 505, 508, 509, 510, 511, 513, 514, 515, 520, 20002, 10000,
            20004,
        ],
    ),
    (
        7003,
        &[
            501, 503, 504, 505, 506, 510, 518, 519, 521, 526, 527, 529, 10000, 10003, 20000, 20003,
            20006, 20009, 20012,
        ],
    ),
    (7004, &[1, 2, 3, 4, 12, 21, 23, 10000]),
    (
        7005,
        &[
            100, 101, 102, 103, 104, 105, 107, 108, 109, 110, 112, 113, 114, 116, 117, 119, 121,
            123, 128, 65538,
        ],
    ),
    (7007, &[80, 82, 84, 86, 105, 108]),
    (7006, &[1]),
];

/// An Rx header (print-rx.c `struct rx_header`).
fn header(rng: &mut StdRng, call: u32, ty: u8, flags: u8, seq: u32, service: u16) -> Vec<u8> {
    let mut h = Vec::with_capacity(28);
    h.extend_from_slice(&rng.gen::<u32>().to_be_bytes());
    h.extend_from_slice(&rng.gen::<u32>().to_be_bytes());
    h.extend_from_slice(&call.to_be_bytes());
    h.extend_from_slice(&seq.to_be_bytes());
    h.extend_from_slice(&rng.gen_range(0u32..5000).to_be_bytes());
    h.extend_from_slice(&[ty, flags, rng.gen(), rng.gen_range(0..4), 0, 0]);
    h.extend_from_slice(&service.to_be_bytes());
    h
}

/// Arguments: a run of 32-bit words, counted strings and one-character-per-word vectors.
fn args(rng: &mut StdRng) -> Vec<u8> {
    let mut m = Vec::new();
    for _ in 0..rng.gen_range(0..12) {
        match rng.gen_range(0..7) {
            0 | 1 => m.extend_from_slice(&rng.gen_range(0u32..4).to_be_bytes()),
            2 => m.extend_from_slice(&rng.gen::<u32>().to_be_bytes()),
            3 => {
                let n = pick(rng, &[0usize, 1, 5, 8, 63, 65, 70, 300]);
                m.extend_from_slice(&(n as u32).to_be_bytes());
                let text: Vec<u8> = (0..n)
                    .map(|_| pick(rng, &[b'a', b'z', b'.', 0, 0xe9, b'\n']))
                    .collect();
                m.extend(text);
                m.extend(std::iter::repeat_n(0, (4 - n % 4) % 4));
            }
            4 => {
                for i in 0..pick(rng, &[32usize, 64, 65]) {
                    let c = if i < rng.gen_range(0..12) { b'q' } else { 0 };
                    m.extend_from_slice(&u32::from(c).to_be_bytes());
                }
            }
            5 => {
                // An ACL text.
                let acl = pick(rng, &[&b"1 1\nalice 127\nbob 3\n"[..], b"2 0\nx 1\n", b"z"]);
                m.extend_from_slice(&(acl.len() as u32).to_be_bytes());
                m.extend_from_slice(acl);
            }
            _ => {
                let n = rng.gen_range(0..200);
                m.extend(bytes(rng, n));
            }
        }
    }
    m
}

/// An acknowledgement body (print-rx.c `struct rx_ackPacket`, its acks and optional words).
fn ack(rng: &mut StdRng) -> Vec<u8> {
    let mut m = bytes(rng, 4);
    m.extend_from_slice(&rng.gen_range(0u32..100).to_be_bytes());
    m.extend(bytes(rng, 8));
    let n = pick(rng, &[0u8, 1, 5, 20, 255]);
    m.push(rng.gen_range(0..11));
    m.push(n);
    for _ in 0..n {
        m.push(pick(rng, &[0u8, 1, 1, 2]));
    }
    let extra = pick(rng, &[0usize, 3, 7, 19, 20]);
    m.extend(bytes(rng, extra));
    m
}

/// A quarter of the messages cut short or with bytes dropped or added.
fn mangle(rng: &mut StdRng, m: &mut Vec<u8>, v6: bool) -> Option<usize> {
    match rng.gen_range(0..8) {
        0 => Some(if v6 { 62 } else { 42 } + rng.gen_range(0..=m.len())),
        1 => {
            let keep = rng.gen_range(0..=m.len());
            m.truncate(keep);
            None
        }
        _ => None,
    }
}

/// A datagram from the server back to the client: `frame` (from [`udp_frame`]) with the IP
/// addresses swapped (the checksums do not change), so that print-rx.c finds the call it
/// answers.
fn as_reply(v6: bool, (mut f, len): (Vec<u8>, u32)) -> (Vec<u8>, u32) {
    let (at, n) = if v6 { (22, 16) } else { (26, 4) };
    let (src, dst) = f[at..at + 2 * n].split_at_mut(n);
    src.swap_with_slice(dst);
    (f, len)
}

fn rx_frames(rng: &mut StdRng, n: usize) -> Vec<(Vec<u8>, u32)> {
    let mut out = Vec::with_capacity(n * 2);
    for i in 0..n {
        let call = rng.gen_range(1u32..40);
        let (port, ops) = pick(rng, SERVICES);
        let op = pick(rng, ops);
        let client = pick(rng, &[7001u16, 1792, 40000]);
        let service = rng.gen_range(0u16..3);
        let v6 = rng.gen_ratio(1, 5);
        let kind = rng.gen_range(0..10);
        if kind < 7 {
            let flags = 1 | rng.gen_range(0u8..64) & !1;
            let seq = if rng.gen_ratio(9, 10) { 1 } else { 2 };
            let mut m = header(rng, call, 1, flags, seq, service);
            m.extend_from_slice(&op.to_be_bytes());
            m.extend(args(rng));
            let cut = mangle(rng, &mut m, v6);
            out.push(udp_frame(v6, client, port, &m, cut));
            let ty = pick(rng, &[1u8, 1, 4, 3]);
            let flags = rng.gen_range(0u8..64) & !1;
            let mut r = header(rng, call, ty, flags, 1, service);
            r.extend(args(rng));
            let cut = mangle(rng, &mut r, v6);
            out.push(as_reply(v6, udp_frame(v6, port, client, &r, cut)));
        } else if kind < 9 {
            let (flags, seq) = (rng.gen(), rng.gen_range(0..3));
            let mut m = header(rng, call, 2, flags, seq, service);
            m.extend(ack(rng));
            let cut = mangle(rng, &mut m, v6);
            out.push(udp_frame(v6, client, port, &m, cut));
        } else {
            let ty = rng.gen_range(0..16);
            let (flags, seq) = (rng.gen(), rng.gen_range(0..3));
            let mut m = header(rng, call, ty, flags, seq, service);
            let k = rng.gen_range(0..40);
            m.extend(bytes(rng, k));
            let cut = if i % 2 == 0 {
                Some(42 + rng.gen_range(0..30))
            } else {
                None
            };
            out.push(udp_frame(false, port, client, &m, cut));
        }
    }
    out
}

#[test]
fn random_rx_calls_and_replies_print_as_tcpdump() {
    compare_seeded("rx", 1, 0x5258_0001, FLAG_SETS, |rng| rx_frames(rng, 2500));
}
