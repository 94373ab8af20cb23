//! Differential test of five link-level printers: Broadcom LI shims on UDP 49152
//! (print-bcm-li.c), Arista tap-aggregation headers on ethertype 0xd28b (print-arista.c),
//! Broadcom switch tags on link types DSA_TAG_BRCM and DSA_TAG_BRCM_PREPEND (print-brcmtag.c),
//! Solaris IPNET headers (print-ipnet.c) and Marvell DSA / EDSA tags (print-dsa.c). Seeded
//! random frames with random field values — each valid, cut short, or with bytes dropped or
//! added — are printed by tcpdump and by `echolab dump` with several flag sets; the outputs
//! must be identical.
//!
//! tcpdump is required (CI installs it); the test fails, saying so, when it is missing.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::diffutil::{bytes, compare, damage, ipv6_udp, pick};

const FLAG_SETS: &str = "-nn, -nne, -nnv, -nnvv, -nnevvv -X, -nnq";

/// Destination and source MAC addresses.
const MACS: [u8; 12] = [2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1];

/// A valid IPv4 header (checksum right) carrying a small UDP datagram.
const IPV4: [u8; 32] = [
    0x45, 0x00, 0x00, 0x20, 0x00, 0x01, 0x00, 0x00, 0x40, 0x11, 0x66, 0xca, 0x0a, 0x00, 0x00, 0x01,
    0x0a, 0x00, 0x00, 0x02, 0x13, 0x88, 0x13, 0x89, 0x00, 0x0c, 0x00, 0x00, 0x61, 0x62, 0x63, 0x64,
];

/// An ethertype and what follows it: IPv4, IPv6, an 802.1Q tag before IPv4, an 802.3
/// length with LLC bytes, or random bytes after a random type.
fn typed_payload(rng: &mut StdRng) -> Vec<u8> {
    match rng.gen_range(0..6) {
        0 | 1 => [&[0x08, 0x00][..], &IPV4].concat(),
        2 => [&[0x86, 0xdd][..], &ipv6_udp()].concat(),
        3 => [&[0x81, 0x00, rng.gen(), rng.gen(), 0x08, 0x00][..], &IPV4].concat(),
        4 => [&[0x00, 0x0c, 0x42, 0x42, 0x03][..], &bytes(rng, 9)].concat(),
        _ => {
            let n = rng.gen_range(0..10);
            [bytes(rng, 2), bytes(rng, n)].concat()
        }
    }
}

/// Damages the part of `m` after its first `hdr` bytes, returns the frame and its length on
/// the wire.
fn finish(rng: &mut StdRng, i: usize, hdr: usize, m: Vec<u8>) -> (Vec<u8>, u32) {
    let mut body = m[hdr..].to_vec();
    let cut = damage(rng, i, &mut body, hdr, 12);
    let mut f = [&m[..hdr], &body[..]].concat();
    let len = f.len() as u32;
    if let Some(c) = cut {
        f.truncate(c);
    }
    (f, len)
}

/// An Ethernet frame carrying IPv4 and UDP to port 49152 with a random BCM LI shim (mostly a
/// known packet type) and a payload; the IP and UDP lengths fit the payload after damage.
fn bcm_li(rng: &mut StdRng, i: usize) -> (Vec<u8>, u32) {
    let ptype = pick(rng, &[4u32, 5, 6, 7, 4, 5, 6, 7, 0, 9]);
    let word = rng.gen::<u32>() & 0xe1ff_ffff | ptype << 25;
    let mut body = word.to_be_bytes()[..pick(rng, &[4usize, 4, 4, 4, 2, 0])].to_vec();
    body.extend(match rng.gen_range(0..5) {
        0 => IPV4.to_vec(),
        1 => ipv6_udp(),
        2 => [&MACS[..], &typed_payload(rng)].concat(),
        3 => Vec::new(),
        _ => bytes(rng, 6),
    });
    let cut = damage(rng, i, &mut body, 42, 12);
    let udp_len = body.len() + 8;
    let mut f = MACS.to_vec();
    f.extend([
        0x08, 0x00, 0x45, 0, 0, 0, 0, 7, 0, 0, 64, 17, 0, 0, 192, 0, 2, 1,
    ]);
    f.extend([192, 0, 2, 2, 0x04, 0xd2, 0xc0, 0x00, 0, 0, 0, 0]);
    f[16..18].copy_from_slice(&((udp_len + 20) as u16).to_be_bytes());
    let sum = checksum(&f[14..34]);
    f[24..26].copy_from_slice(&sum.to_be_bytes());
    f[38..40].copy_from_slice(&(udp_len as u16).to_be_bytes());
    f.extend(body);
    let len = f.len() as u32;
    if let Some(c) = cut {
        f.truncate(c);
    }
    (f, len)
}

/// The Internet checksum of `b`.
fn checksum(b: &[u8]) -> u16 {
    let mut s: u32 = b
        .chunks(2)
        .map(|c| u32::from(c[0]) << 8 | u32::from(*c.get(1).unwrap_or(&0)))
        .sum();
    while s > 0xffff {
        s = (s & 0xffff) + (s >> 16);
    }
    !(s as u16)
}

/// An Ethernet frame with an Arista header: mostly the timestamp subtype, random timescale,
/// format (mostly 64- or 48-bit) and hardware info, a random timestamp, then a typed payload.
fn arista(rng: &mut StdRng, i: usize) -> (Vec<u8>, u32) {
    let mut m = MACS.to_vec();
    m.extend([0xd2, 0x8b, 0, pick(rng, &[1u8, 1, 1, 1, 0, 2])]);
    let format = pick(rng, &[1u8, 1, 2, 2, 0, 3, 15]);
    let other = rng.gen();
    m.push(pick(rng, &[0u8, 1, 2, other]));
    m.push(format << 4 | rng.gen_range(0..16));
    let n = pick(rng, &[8usize, 6, 8, 6, 4]);
    m.extend(bytes(rng, n));
    if n == 8 && rng.gen_ratio(1, 8) {
        // seconds and nanoseconds at their largest: the carried second wraps
        m[18..26].copy_from_slice(&[0xff; 8]);
    }
    m.extend(typed_payload(rng));
    finish(rng, i, 12, m)
}

/// A Broadcom tag: an egress (opcode 0) or ingress (opcode 1) tag mostly, random fields.
fn brcm_tag(rng: &mut StdRng) -> Vec<u8> {
    let mut t = bytes(rng, 4);
    let op = pick(rng, &[0u8, 0, 1, 1, 2, 7]);
    t[0] = op << 5 | (t[0] & 0x1f);
    t
}

/// A DSA_TAG_BRCM frame: MAC addresses, a Broadcom tag, a typed payload.
fn brcm(rng: &mut StdRng, i: usize) -> (Vec<u8>, u32) {
    let m = [&MACS[..], &brcm_tag(rng), &typed_payload(rng)].concat();
    finish(rng, i, 12, m)
}

/// A DSA_TAG_BRCM_PREPEND frame: a Broadcom tag before an Ethernet frame.
fn brcm_prepend(rng: &mut StdRng, i: usize) -> (Vec<u8>, u32) {
    let m = [brcm_tag(rng), MACS.to_vec(), typed_payload(rng)].concat();
    finish(rng, i, 0, m)
}

/// An IPNET frame: the 24-byte header with random fields (family mostly IPv4 or IPv6) and a
/// payload that may or may not fit the family.
fn ipnet(rng: &mut StdRng, i: usize) -> (Vec<u8>, u32) {
    let mut m = bytes(rng, 24);
    let other = rng.gen();
    m[1] = pick(rng, &[2u8, 2, 26, 26, 0, other]);
    if rng.gen() {
        m[16..24].copy_from_slice(&[0, 0, 0, 0, 0, 0, 0, 1]);
    }
    m.extend(match rng.gen_range(0..4) {
        0 => IPV4.to_vec(),
        1 => ipv6_udp(),
        _ => {
            let n = rng.gen_range(0..20);
            bytes(rng, n)
        }
    });
    finish(rng, i, 0, m)
}

/// A DSA_TAG_DSA frame: MAC addresses, a random four-byte DSA tag, a typed payload.
fn dsa(rng: &mut StdRng, i: usize) -> (Vec<u8>, u32) {
    let m = [&MACS[..], &bytes(rng, 4), &typed_payload(rng)].concat();
    finish(rng, i, 12, m)
}

/// A DSA_TAG_EDSA frame: MAC addresses, an ethertype (mostly 0xdada) and two reserved bytes
/// (mostly zero), a random DSA tag, a typed payload.
fn edsa(rng: &mut StdRng, i: usize) -> (Vec<u8>, u32) {
    let mut m = MACS.to_vec();
    m.extend(if rng.gen_ratio(4, 5) {
        vec![0xda, 0xda]
    } else {
        bytes(rng, 2)
    });
    m.extend(if rng.gen_ratio(4, 5) {
        vec![0, 0]
    } else {
        bytes(rng, 2)
    });
    m.extend(bytes(rng, 4));
    m.extend(typed_payload(rng));
    finish(rng, i, 12, m)
}

type Make = fn(&mut StdRng, usize) -> (Vec<u8>, u32);

fn run(name: &str, linktype: u32, seed: u64, n: usize, make: Make) {
    let mut rng = StdRng::seed_from_u64(seed);
    let pkts: Vec<(Vec<u8>, u32)> = (0..n).map(|i| make(&mut rng, i)).collect();
    compare(name, linktype, &pkts, FLAG_SETS);
}

#[test]
fn random_bcm_li_shims_print_as_tcpdump() {
    run("bcm-li", 1, 0xbc31_0001, 1500, bcm_li);
}

#[test]
fn random_arista_headers_print_as_tcpdump() {
    run("arista", 1, 0xa415_7a00, 1500, arista);
}

#[test]
fn random_broadcom_tags_print_as_tcpdump() {
    run("brcm", 281, 0xb2c0_0281, 1500, brcm);
}

#[test]
fn random_prepended_broadcom_tags_print_as_tcpdump() {
    run("brcm-prepend", 282, 0xb2c0_0282, 1500, brcm_prepend);
}

#[test]
fn random_ipnet_headers_print_as_tcpdump() {
    run("ipnet", 226, 0x1b4e_7226, 1500, ipnet);
}

#[test]
fn random_dsa_tags_print_as_tcpdump() {
    run("dsa", 284, 0xd5a0_0284, 1500, dsa);
}

#[test]
fn random_edsa_tags_print_as_tcpdump() {
    run("edsa", 285, 0xed5a_0285, 1500, edsa);
}
