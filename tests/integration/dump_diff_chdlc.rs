//! Differential test of the Cisco HDLC and SLIP printers (print-chdlc.c, print-sl.c): seeded
//! random frames on link types C_HDLC, PPP_SERIAL, SLIP and BSD/OS SLIP — random address
//! bytes and ethertypes, SLARP packets of every code and of lengths around the valid ones,
//! MPLS, OSI with and without the fudge byte; SLIP directions, uncompressed and Van Jacobson
//! compressed headers with random changes, IP headers of random lengths and versions — each
//! valid, cut short, or with bytes dropped or added, printed by tcpdump and by
//! `echolab dump` with several flag sets; the outputs must be identical.
//!
//! tcpdump is required (CI installs it); the test fails, saying so, when it is missing.

use rand::rngs::StdRng;
use rand::Rng;

use crate::diffutil::{bytes, compare_seeded, damaged_frames, ipv6_udp, pick};

const FLAG_SETS: &str = "-nn, -nne, -nnv, -nnvv, -nnevvv -X, -nnq, -nnx";

/// One of `from`, or now and then any value.
fn or_random<T: Copy>(rng: &mut StdRng, from: &[T]) -> T
where
    rand::distributions::Standard: rand::distributions::Distribution<T>,
{
    if rng.gen_ratio(1, from.len() as u32 + 1) {
        rng.gen()
    } else {
        pick(rng, from)
    }
}

/// An IPv4 header, now and then with options, and a UDP or TCP header with a few bytes.
fn ipv4(rng: &mut StdRng) -> Vec<u8> {
    let opts = pick(rng, &[0usize, 0, 0, 4]);
    let tcp = rng.gen();
    let l4 = if tcp { 20 } else { 8 };
    let data = rng.gen_range(0..8);
    let total = (20 + opts + l4 + data) as u16;
    let mut m = vec![0x45 + (opts / 4) as u8, 0];
    m.extend(total.to_be_bytes());
    m.extend([0, 1, 0, 0, 64, if tcp { 6 } else { 17 }, 0, 0]);
    m.extend([10, 0, 0, 1, 10, 0, 0, 2]);
    m.extend(vec![1u8; opts]);
    if tcp {
        m.extend([0, 23, 4, 0]);
        m.extend(bytes(rng, 8));
        m.push(pick(rng, &[0x50u8, 0x50, 0x60, 0x40, 0xf0]));
        m.push(pick(rng, &[0x18u8, 0x10, 0x02]));
        m.extend([1, 0, 0, 0, 0, 0]);
    } else {
        m.extend([0x13, 0x88, 0x13, 0x89, 0, (8 + data) as u8, 0, 0]);
    }
    m.extend(bytes(rng, data));
    m
}

/// A SLARP packet: a known or unknown code, and lengths around the fixed part and the
/// optional uptime.
fn slarp(rng: &mut StdRng) -> Vec<u8> {
    let code = or_random(rng, &[0u32, 1, 2, 2, 2, 3]);
    let mut m = code.to_be_bytes().to_vec();
    let len = pick(rng, &[10usize, 10, 14, 16, 20, 0, 4, 9, 13, 24]);
    m.extend(bytes(rng, len));
    m
}

/// A point-to-point IS-IS hello with an area address.
fn isis_hello() -> Vec<u8> {
    let mut m = vec![0x83, 20, 1, 0, 17, 1, 0, 0, 3];
    m.extend([0x19, 0x21, 0x68, 0, 0x10, 0x01, 0, 30, 0, 26, 1]);
    m.extend([1, 4, 3, 0x49, 0, 1]);
    m
}

/// What an OSI ethertype carries: the fudge byte or not, then an NLPID with its PDU.
/// (CLNP and ES-IS, which echolab does not decode, are left out.)
fn osi(rng: &mut StdRng) -> Vec<u8> {
    let mut m = Vec::new();
    if rng.gen() {
        m.push(pick(rng, &[0u8, 0, 0xcc, 0x42]));
    }
    match pick(rng, &[0x83u8, 0xcc, 0x8e, 0x00, 0x42]) {
        0x83 => m.extend(isis_hello()),
        0xcc => {
            m.push(0xcc);
            m.extend(ipv4(rng));
        }
        0x8e => {
            m.push(0x8e);
            m.extend(ipv6_udp());
        }
        nlpid => {
            // A first byte that is no OSI NLPID, so that the fudge-byte test keeps it.
            m.extend([nlpid, 0x01]);
            let n = rng.gen_range(0..6);
            m.extend(bytes(rng, n));
        }
    }
    m
}

/// A Cisco HDLC frame: address, control, ethertype, payload.
fn chdlc(rng: &mut StdRng) -> Vec<u8> {
    let addr = or_random(rng, &[0x0fu8, 0x8f, 0x0f, 0x8f]);
    let mut m = vec![addr, or_random(rng, &[0u8, 0, 0])];
    let proto = pick(
        rng,
        &[
            0x0800u16, 0x86dd, 0x8035, 0x8035, 0x8847, 0x8848, 0xfefe, 0x2000, 0x1234,
        ],
    );
    m.extend(proto.to_be_bytes());
    match proto {
        0x0800 => m.extend(ipv4(rng)),
        0x86dd => m.extend(ipv6_udp()),
        0x8035 => m.extend(slarp(rng)),
        0x8847 | 0x8848 => {
            for _ in 0..rng.gen_range(0..2) {
                m.extend([0, 0x06, 0x40, 64]);
            }
            m.extend([0, 0x06, 0x41, 64]);
            m.extend(ipv4(rng));
        }
        0xfefe => m.extend(osi(rng)),
        _ => {
            let n = rng.gen_range(0..10);
            m.extend(bytes(rng, n));
        }
    }
    m
}

/// A compressed header: the change flags, a connection, the checksum, then values that are
/// often zero (two-byte values follow a zero).
fn vj_header(rng: &mut StdRng, m: &mut Vec<u8>) {
    m.push(0x80 | rng.gen::<u8>() & 0x7f);
    for _ in 0..14 {
        m.push(if rng.gen_ratio(1, 3) { 0 } else { rng.gen() });
    }
}

/// A SLIP frame: the pseudo-header with a direction and an IP, uncompressed TCP, compressed
/// TCP or other type, then a packet.
fn slip(rng: &mut StdRng) -> Vec<u8> {
    let mut m = vec![or_random(rng, &[0u8, 1, 0, 1, 0, 1])];
    match rng.gen_range(0..5) {
        0 | 1 => vj_header(rng, &mut m),
        2 => {
            m.push(0x70 | rng.gen::<u8>() & 0x0f);
            m.extend(bytes(rng, 8));
            m.push(or_random(rng, &[5u8, 6]));
            m.extend(bytes(rng, 5));
        }
        3 => {
            m.push(0x40);
            m.extend(bytes(rng, 14));
        }
        _ => m.extend(bytes(rng, 15)),
    }
    match rng.gen_range(0..6) {
        0 => m.extend(ipv6_udp()),
        1 => {
            let mut p = ipv4(rng);
            p[0] = rng.gen();
            m.extend(p);
        }
        _ => m.extend(ipv4(rng)),
    }
    m
}

/// Print `n` frames of `make` as link type `link` with both programs.
fn check(name: &str, link: u32, seed: u64, n: usize, make: fn(&mut StdRng) -> Vec<u8>) {
    compare_seeded(name, link, seed, FLAG_SETS, |rng| {
        damaged_frames(rng, n, make)
    });
}

#[test]
fn random_cisco_hdlc_frames_print_as_tcpdump() {
    check("chdlc", 104, 0x4348_444c, 5000, chdlc);
}

#[test]
fn random_cisco_frames_on_ppp_serial_print_as_tcpdump() {
    check("ppp-serial", 50, 0x5050_5053, 1500, chdlc);
}

#[test]
fn random_slip_frames_print_as_tcpdump() {
    check("slip", 8, 0x534c_4950, 5000, slip);
}

#[test]
fn random_bsdos_slip_frames_print_as_tcpdump() {
    check("slip-bsdos", 15, 0x4253_4449, 1500, slip);
}
