//! Differential test for the IPv4 and IPv6 printers: thousands of seeded random and mutated
//! datagrams (IPv4 options and fragments, IPv6 extension header chains, authentication,
//! ESP, IPComp and mobility headers, bad lengths, captures cut short) carrying UDP, TCP or an
//! experimental protocol, written to one pcap, printed by tcpdump and by `echolab dump` with
//! several flag sets; the texts must be identical. On a mismatch the first differing packet is
//! shown with its bytes.
//!
//! Ports stay away from those tcpdump decodes further (40000+ and 4002), and mutated
//! datagrams carry protocol 253 (RFC 3692, no printer) with their protocol and length fields
//! kept, so every difference is one of the network layer's.
//!
//! tcpdump is required (CI installs it); the test fails, saying so, when it is missing.

use std::net::{IpAddr, Ipv6Addr};

use echolab::capture::wire::checksum;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::diffutil::{bytes, compare, pick};

const SEED: u64 = 0x4e37_2003;
const VALID: usize = 1500;
const MUTATED: usize = 2500;
const EXP: u8 = 253;

const FLAG_SETS: &str = "-nn, -nnv, -nnvv, -nnvvv, -nne, -nnq, -nnqq, -nnvvX";

/// A datagram under construction: its bytes and the offsets mutations must leave alone
/// (protocol and length fields), relative to its first byte.
#[derive(Default)]
struct Dgram {
    bytes: Vec<u8>,
    keep: Vec<usize>,
}

impl Dgram {
    /// Append a header whose bytes at `keep` (relative to it) are protected.
    fn push(&mut self, header: &[u8], keep: &[usize]) {
        let at = self.bytes.len();
        self.keep.extend(keep.iter().map(|k| at + k));
        self.bytes.extend_from_slice(header);
    }
}

/// Between `lo` and `hi` (excluded) random bytes.
fn some_bytes(rng: &mut StdRng, lo: usize, hi: usize) -> Vec<u8> {
    let n = rng.gen_range(lo..hi);
    bytes(rng, n)
}

fn addr4(rng: &mut StdRng) -> [u8; 4] {
    pick(
        rng,
        &[
            [192, 0, 2, 1],
            [198, 51, 100, 7],
            [10, 0, 0, 1],
            [127, 0, 0, 1],
        ],
    )
}

fn addr6(rng: &mut StdRng) -> Ipv6Addr {
    pick(
        rng,
        &[
            Ipv6Addr::LOCALHOST,
            Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1),
            Ipv6Addr::new(0x2001, 0xdb8, 0, 1, 0, 0, 0, 2),
            Ipv6Addr::new(0xfe80, 0, 0, 0, 0x200, 0, 0, 1),
            Ipv6Addr::new(0, 0, 0, 0, 0, 0xffff, 0xc000, 0x0201),
            Ipv6Addr::new(0, 0, 0, 0, 0, 0, 0xc000, 0x0202),
        ],
    )
}

/// UDP or TCP toward port 4002 with a checksum that is right, zero or random, or an
/// experimental protocol's bytes: `(protocol, bytes)`.
fn transport(rng: &mut StdRng, src: IpAddr, dst: IpAddr) -> (u8, Vec<u8>) {
    let sport: u16 = rng.gen_range(40000..40100);
    let data = some_bytes(rng, 0, 24);
    let (proto, mut seg) = match rng.gen_range(0..3) {
        0 => {
            let len = (8 + data.len()) as u16;
            let mut s = [
                sport.to_be_bytes(),
                4002u16.to_be_bytes(),
                len.to_be_bytes(),
            ]
            .concat();
            s.extend_from_slice(&[0, 0]);
            (17, s)
        }
        1 => {
            let mut s = [sport.to_be_bytes(), 4002u16.to_be_bytes()].concat();
            s.extend(bytes(rng, 8));
            s.extend_from_slice(&[0x50, pick(rng, &[0x02, 0x10, 0x18, 0x11, 0x04])]);
            s.extend(bytes(rng, 2));
            s.extend_from_slice(&[0, 0, 0, 0]);
            (6, s)
        }
        _ => return (EXP, data),
    };
    seg.extend_from_slice(&data);
    let at = if proto == 17 { 6 } else { 16 };
    let sum = match rng.gen_range(0..4) {
        0 => 0,
        1 => rng.gen(),
        _ => checksum::transport_checksum(src, dst, proto, &seg),
    };
    seg[at..at + 2].copy_from_slice(&sum.to_be_bytes());
    (proto, seg)
}

/// IPv4 options: a random list of those tcpdump names, padded with EOL to 4n bytes.
fn ip4_options(rng: &mut StdRng) -> Vec<u8> {
    let mut o = Vec::new();
    for _ in 0..rng.gen_range(1..4) {
        match rng.gen_range(0..8) {
            0 => o.push(1),
            1 | 2 => {
                let n = rng.gen_range(0..3);
                let code = pick(rng, &[7u8, 131, 137]);
                let len = 3 + 4 * n as u8;
                o.extend_from_slice(&[code, len, pick(rng, &[4u8, 8, len + 1, 0, 3])]);
                o.extend(bytes(rng, 4 * n));
            }
            3 => {
                let flags = pick(rng, &[0u8, 1, 3, 2, 0x31, 0xf0]);
                let hop = if flags & 0x0f == 0 { 4 } else { 8 };
                let n = rng.gen_range(0..3);
                let len = 4 + hop * n as u8;
                o.extend_from_slice(&[68, len, pick(rng, &[5u8, 9, 13, len + 1, 1]), flags]);
                o.extend(bytes(rng, hop as usize * n));
            }
            4 => o.extend_from_slice(&[148, 4, 0, rng.gen_range(0..3)]),
            5 => {
                o.extend_from_slice(&[130, 11]);
                o.extend(bytes(rng, 9));
            }
            6 => o.extend_from_slice(&[pick(rng, &[25u8, 82, 136, 0x44]), 4, 1, 2]),
            _ => o.push(0),
        }
    }
    o.truncate(40);
    while o.len() % 4 != 0 {
        o.push(0);
    }
    o
}

/// An IPv4 datagram around `payload` with random options, flags and fragment offset.
fn ipv4(rng: &mut StdRng, mutated: bool) -> Dgram {
    let (src, dst) = (addr4(rng), addr4(rng));
    let opts = if rng.gen_bool(0.4) {
        ip4_options(rng)
    } else {
        Vec::new()
    };
    let (proto, payload) = if mutated {
        (EXP, some_bytes(rng, 0, 16))
    } else {
        let (p, mut body) = transport(rng, src.into(), dst.into());
        if rng.gen_bool(0.2) {
            // An authentication header, an ESP or an IPComp header before it.
            let ah = [&[p, 4, 0, 0][..], &bytes(rng, 20)].concat();
            let kind = pick(rng, &[51u8, 50, 108]);
            body = if kind == 51 {
                [ah, body].concat()
            } else {
                bytes(rng, 12)
            };
            (kind, body)
        } else {
            (p, body)
        }
    };
    let hlen = 20 + opts.len();
    let total = (hlen + payload.len()) as u16;
    let later = 0x2000 | rng.gen_range(1..0x1fff);
    let frag: u16 = pick(rng, &[0x4000, 0, 0x2000, later, 3]);
    let mut h = vec![
        0x40 | (hlen / 4) as u8,
        rng.gen(),
        0,
        0,
        0,
        0,
        0,
        0,
        rng.gen(),
        proto,
    ];
    h[2..4].copy_from_slice(&total.to_be_bytes());
    h[4..6].copy_from_slice(&rng.gen::<u16>().to_be_bytes());
    h[6..8].copy_from_slice(&frag.to_be_bytes());
    h.extend_from_slice(&[0, 0]);
    h.extend_from_slice(&src);
    h.extend_from_slice(&dst);
    h.extend_from_slice(&opts);
    let sum = if rng.gen_bool(0.9) {
        checksum::checksum(&h)
    } else {
        rng.gen()
    };
    h[10..12].copy_from_slice(&sum.to_be_bytes());
    let mut d = Dgram::default();
    d.push(&h, &[9]);
    d.bytes.extend_from_slice(&payload);
    d
}

/// Hop-by-hop or destination options: PadN, Pad1, router alert, jumbo, home address,
/// unknown, padded to 8n bytes with a PadN.
fn ip6_options(rng: &mut StdRng) -> Vec<u8> {
    let mut o = Vec::new();
    for _ in 0..rng.gen_range(0..3) {
        match rng.gen_range(0..6) {
            0 => o.push(0),
            1 => o.extend_from_slice(&[5, 2, 0, rng.gen_range(0..3)]),
            2 => o.extend_from_slice(&[0xc2, 4, 0, 1, 0, 0]),
            3 => {
                o.extend_from_slice(&[0xc9, 16]);
                o.extend(Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 9).octets());
            }
            4 => o.extend_from_slice(&[pick(rng, &[0x3e, 0x63, 0x04]), 2, 0xab, 0xcd]),
            _ => o.extend_from_slice(&[1, 0]),
        }
    }
    let pad = (6 + 8 - o.len() % 8) % 8;
    match pad {
        0 => {}
        1 => o.push(0),
        n => {
            o.extend_from_slice(&[1, (n - 2) as u8]);
            o.extend(std::iter::repeat_n(0, n - 2));
        }
    }
    o
}

/// One extension header of kind `nh` whose next header is `next`.
fn ext_header(rng: &mut StdRng, nh: u8, next: u8) -> (Vec<u8>, Vec<usize>) {
    match nh {
        0 | 60 => {
            let body = ip6_options(rng);
            let len = ((body.len() + 2) / 8 - 1) as u8;
            ([&[next, len][..], &body].concat(), vec![0, 1])
        }
        43 => {
            let kind = pick(rng, &[0u8, 2, 4, 3]);
            let n = pick(rng, &[0u8, 1, 2]);
            let mut h = vec![next, 2 * n, kind, rng.gen_range(0..3)];
            h.extend(bytes(rng, 4));
            for _ in 0..n {
                h.extend(addr6(rng).octets());
            }
            (h, vec![0, 1])
        }
        44 => {
            let any = rng.gen_range(1..8191);
            let off: u16 = pick(rng, &[0, 0, 185, any]) << 3;
            let mut h = vec![next, 0];
            h.extend_from_slice(&(off | u16::from(rng.gen_bool(0.5))).to_be_bytes());
            h.extend(bytes(rng, 4));
            (h, vec![0, 1])
        }
        _ => ([&[next, 4, 0, 0][..], &bytes(rng, 20)].concat(), vec![0, 1]),
    }
}

/// An IPv6 datagram with a random chain of extension headers before its payload.
fn ipv6(rng: &mut StdRng, mutated: bool) -> Dgram {
    let (src, dst) = (addr6(rng), addr6(rng));
    let mut kinds: Vec<u8> = Vec::new();
    if rng.gen_bool(0.3) {
        kinds.push(0);
    }
    for _ in 0..rng.gen_range(0..3) {
        kinds.push(pick(rng, &[60u8, 43, 44, 51]));
    }
    let (last, payload) = if mutated {
        (EXP, some_bytes(rng, 0, 16))
    } else {
        match rng.gen_range(0..8) {
            0 => (pick(rng, &[59u8, 50, 108]), some_bytes(rng, 0, 16)),
            1 => {
                let kind = rng.gen_range(0..8);
                let units: u8 = pick(rng, &[0, 1, 2]);
                let mut mh = vec![59, units, kind, 0, 0, 0];
                mh.extend(bytes(rng, 2 + 8 * units as usize));
                (135, [mh, bytes(rng, 2)].concat())
            }
            _ => transport(rng, src.into(), dst.into()),
        }
    };
    let mut chain = Dgram::default();
    for (i, &kind) in kinds.iter().enumerate() {
        let next = kinds.get(i + 1).copied().unwrap_or(last);
        let (h, keep) = ext_header(rng, kind, next);
        chain.push(&h, &keep);
    }
    let first = kinds.first().copied().unwrap_or(last);
    let plen = chain.bytes.len() + payload.len();
    let plen = if rng.gen_bool(0.1) {
        rng.gen_range(0..plen as u16 + 16)
    } else {
        plen as u16
    };
    let flow = rng.gen::<u32>() & pick(rng, &[0, 0x000f_ffff, 0x0fff_ffff]);
    let mut h = (0x6000_0000 | flow).to_be_bytes().to_vec();
    h.extend_from_slice(&plen.to_be_bytes());
    h.extend_from_slice(&[first, rng.gen()]);
    h.extend(src.octets());
    h.extend(dst.octets());
    let mut d = Dgram::default();
    d.push(&h, &[6]);
    d.push(&chain.bytes, &chain.keep);
    d.bytes.extend_from_slice(&payload);
    d
}

/// A frame for one random datagram, with its on-wire length: sometimes mutated in its
/// network headers, sometimes cut by the capture or longer on the wire.
fn frame(rng: &mut StdRng, mutated: bool) -> (Vec<u8>, u32) {
    let v6 = rng.gen_bool(0.5);
    let d = if v6 {
        ipv6(rng, mutated)
    } else {
        ipv4(rng, mutated)
    };
    let mut bytes_ = d.bytes;
    if mutated {
        for _ in 0..rng.gen_range(1..5) {
            let at = rng.gen_range(0..bytes_.len().min(120));
            if !d.keep.contains(&at) {
                bytes_[at] = rng.gen();
            }
        }
    }
    let et: u16 = if v6 { 0x86dd } else { 0x0800 };
    let mut f = [[2u8, 0, 0, 0, 0, 2], [2, 0, 0, 0, 0, 1]].concat();
    f.extend_from_slice(&et.to_be_bytes());
    f.extend_from_slice(&bytes_);
    if rng.gen_bool(0.1) {
        let n = rng.gen_range(1..12);
        f.extend(std::iter::repeat_n(0, n));
    }
    let len = f.len() as u32
        + if rng.gen_bool(0.1) {
            rng.gen_range(1..40)
        } else {
            0
        };
    if rng.gen_bool(0.25) {
        let cut = rng.gen_range(14..=f.len());
        f.truncate(cut);
    }
    (f, len)
}

fn packets() -> Vec<(Vec<u8>, u32)> {
    let mut rng = StdRng::seed_from_u64(SEED);
    (0..VALID + MUTATED)
        .map(|i| frame(&mut rng, i >= VALID))
        .collect()
}

#[test]
fn random_ipv4_and_ipv6_datagrams_print_as_tcpdump_prints_them() {
    compare("net", 1, &packets(), FLAG_SETS);
}
