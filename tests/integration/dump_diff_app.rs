//! Differential test of the application-protocol printers: seeded random messages of each
//! protocol (valid shapes with random field values, then random cuts and corrupted lengths),
//! carried in UDP over IPv4 and IPv6 on the protocol's port, printed by tcpdump and by
//! `echolab dump` with several flag sets; the outputs must be identical.
//!
//! tcpdump is required (CI installs it); the test fails, saying so, when it is missing.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

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

/// An Ethernet frame (zero MACs, as on `lo`) carrying `payload` in UDP from `sport` to
/// `dport`, over IPv6 when `v6`, with correct checksums. `(captured bytes, on-wire length)`
/// with the capture cut to `caplen` bytes when given.
pub fn udp_frame(
    v6: bool,
    sport: u16,
    dport: u16,
    payload: &[u8],
    caplen: Option<usize>,
) -> (Vec<u8>, u32) {
    let (src, dst) = if v6 {
        (
            IpAddr::V6(Ipv6Addr::LOCALHOST),
            IpAddr::V6(Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1)),
        )
    } else {
        (
            IpAddr::V4(Ipv4Addr::LOCALHOST),
            IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1)),
        )
    };
    let ulen = (8 + payload.len()) as u16;
    let mut seg = [
        sport.to_be_bytes(),
        dport.to_be_bytes(),
        ulen.to_be_bytes(),
        [0, 0],
    ]
    .concat();
    seg.extend_from_slice(payload);
    let sum = checksum::transport_checksum(src, dst, 17, &seg);
    seg[6..8].copy_from_slice(&sum.to_be_bytes());
    let mut f = vec![0u8; 12];
    match (src, dst) {
        (IpAddr::V4(s), IpAddr::V4(d)) => {
            f.extend_from_slice(&[0x08, 0x00]);
            let total = (20 + seg.len()) as u16;
            let mut h = vec![0x45, 0, 0, 0, 0x12, 0x34, 0x40, 0, 64, 17, 0, 0];
            h[2..4].copy_from_slice(&total.to_be_bytes());
            h.extend_from_slice(&s.octets());
            h.extend_from_slice(&d.octets());
            let hs = checksum::checksum(&h);
            h[10..12].copy_from_slice(&hs.to_be_bytes());
            f.extend_from_slice(&h);
        }
        (IpAddr::V6(s), IpAddr::V6(d)) => {
            f.extend_from_slice(&[0x86, 0xdd, 0x60, 0, 0, 0]);
            f.extend_from_slice(&(seg.len() as u16).to_be_bytes());
            f.extend_from_slice(&[17, 64]);
            f.extend_from_slice(&s.octets());
            f.extend_from_slice(&d.octets());
        }
        _ => unreachable!("both addresses are of one family"),
    }
    f.extend_from_slice(&seg);
    let len = f.len() as u32;
    if let Some(c) = caplen {
        f.truncate(c);
    }
    (f, len)
}

/// Frames for a protocol: each message valid as generated, then the same message cut at a
/// random point of the capture, or with a wrong length (some bytes dropped or added).
fn frames(
    rng: &mut StdRng,
    n: usize,
    port: u16,
    msg: fn(&mut StdRng) -> Vec<u8>,
) -> Vec<(Vec<u8>, u32)> {
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let mut m = msg(rng);
        let v6 = rng.gen_bool(0.3);
        let peer = pick(rng, &[40000u16, 1024, port]);
        let (sport, dport) = if rng.gen() {
            (port, peer)
        } else {
            (peer, port)
        };
        let cut = match i % 4 {
            0 | 1 => None,
            2 => {
                let hdr = if v6 { 14 + 40 + 8 } else { 14 + 20 + 8 };
                Some(hdr + rng.gen_range(0..=m.len()))
            }
            _ => {
                if rng.gen() {
                    let keep = rng.gen_range(0..=m.len());
                    m.truncate(keep);
                } else {
                    let more = rng.gen_range(1..40);
                    m.extend(bytes(rng, more));
                }
                None
            }
        };
        out.push(udp_frame(v6, sport, dport, &m, cut));
    }
    out
}

/// An NTP message: a time message of any version, mode and stratum (a fifth of them mode 6
/// control messages), with the trailer lengths print-ntp.c distinguishes.
fn ntp(rng: &mut StdRng) -> Vec<u8> {
    let first: u8 = rng.gen();
    if rng.gen_ratio(1, 5) {
        let mut m = vec![first & 0xf8 | 6, rng.gen()];
        m.extend(bytes(rng, 8));
        let count = pick(rng, &[0u16, 4, 16, 500]);
        m.extend_from_slice(&count.to_be_bytes());
        let have = pick(rng, &[0usize, 4, 16]);
        m.extend(bytes(rng, have));
        return m;
    }
    let mode = pick(rng, &[0u8, 1, 2, 3, 4, 5, 7]);
    let mut m = vec![first & 0xf8 | mode];
    m.push(pick(rng, &[0u8, 1, 2, 3, 15, 16, 62, 63, 255]));
    m.extend(bytes(rng, 14));
    // Timestamps: zero, near each other (so the deltas borrow either way) or anything.
    let base: u32 = rng.gen();
    for _ in 0..4 {
        let (s, f): (u32, u32) = match rng.gen_range(0..4) {
            0 => (0, 0),
            1 => (base.wrapping_add(rng.gen_range(0..3)), rng.gen()),
            2 => (base, 0),
            _ => (rng.gen(), rng.gen()),
        };
        m.extend_from_slice(&s.to_be_bytes());
        m.extend_from_slice(&f.to_be_bytes());
    }
    let trailer = pick(rng, &[0usize, 0, 4, 20, 24, 1, 28]);
    m.extend(bytes(rng, trailer));
    m
}

#[test]
fn random_ntp_messages_print_as_tcpdump() {
    let mut rng = StdRng::seed_from_u64(0x4e54_5001);
    let pkts = frames(&mut rng, 3000, 123, ntp);
    compare("ntp", 1, &pkts, FLAG_SETS);
}
