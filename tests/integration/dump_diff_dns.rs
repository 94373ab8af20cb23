//! Differential test for the DNS printer: thousands of seeded random DNS messages (random
//! header fields and counts, questions, records of every type tcpdump decodes with random
//! data, EDNS options, compression pointers forward, backward and onto themselves, odd label
//! types), over UDP port 53 (IPv4 and IPv6), UDP port 5353 (mDNS) and TCP port 53 (with a
//! length prefix that is usually right), plus mutated and cut copies, written to one pcap,
//! printed by tcpdump and by `echolab dump` with several flag sets; the texts must be
//! identical. On a mismatch the first differing packet is shown with its bytes.
//!
//! tcpdump is required (CI installs it); the test fails, saying so, when it is missing.

use std::net::{IpAddr, Ipv6Addr};

use echolab::capture::wire::checksum;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::diffutil::{bytes, compare, pick};

const SEED: u64 = 0xd0_5353;
const VALID: usize = 2000;
const MUTATED: usize = 1500;

const FLAG_SETS: &str = "-nn, -nnv, -nnvv, -nnvvv, -nnq, -nnvvX";

/// Record types: the ones tcpdump decodes, DNSSEC ones it only names, and unknown ones.
const TYPES: &[u16] = &[
    1, 2, 5, 6, 12, 13, 15, 16, 28, 33, 38, 39, 41, 43, 46, 47, 48, 50, 99, 104, 250, 251, 252,
    255, 256, 257, 65280,
];

/// EDNS option codes: every one tcpdump decodes and an unknown one.
const OPTIONS: &[u16] = &[1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 16, 17, 4, 65001];

/// Random bytes, as many as one of `lens`.
fn bytes_of(rng: &mut StdRng, lens: &[usize]) -> Vec<u8> {
    let n = pick(rng, lens);
    bytes(rng, n)
}

/// Fewer than `max` random bytes.
fn bytes_upto(rng: &mut StdRng, max: usize) -> Vec<u8> {
    let n = rng.gen_range(0..max);
    bytes(rng, n)
}

fn put16(b: &mut [u8], at: usize, v: u16) {
    b[at..at + 2].copy_from_slice(&v.to_be_bytes());
}

/// A DNS message under construction: its bytes, and where names started (pointer targets).
struct Msg {
    b: Vec<u8>,
    names: Vec<usize>,
}

impl Msg {
    fn u16(&mut self, v: u16) {
        self.b.extend_from_slice(&v.to_be_bytes());
    }

    /// A domain name: labels (mostly printable, sometimes any byte), often ending in a
    /// compression pointer, rarely with a bit-string, bad or reserved label.
    fn name(&mut self, rng: &mut StdRng) {
        let start = self.b.len();
        for _ in 0..rng.gen_range(0..4) {
            match rng.gen_range(0..80) {
                0 => self
                    .b
                    .extend_from_slice(&[0x41, pick(rng, &[0u8, 8, 12, 20])]),
                1 => self.b.push(pick(rng, &[0x42u8, 0x80, 0xbf])),
                2 => {
                    let n = rng.gen_range(0..70);
                    self.b.push(n);
                    let filler = pick(rng, b"xy");
                    self.b.extend(std::iter::repeat_n(filler, usize::from(n)));
                }
                _ => {
                    let n = rng.gen_range(1..8);
                    self.b.push(n as u8);
                    for _ in 0..n {
                        let c = if rng.gen_bool(0.95) {
                            pick(rng, b"abcdefghijklmnopqrstuvwxyz0123456789-_")
                        } else {
                            rng.gen()
                        };
                        self.b.push(c);
                    }
                }
            }
        }
        if rng.gen_bool(0.5) && !self.names.is_empty() {
            let target = match rng.gen_range(0..30) {
                0 => self.b.len(),                   // onto itself
                1 => self.b.len() + 2,               // forward
                2 => rng.gen_range(0..self.b.len()), // anywhere before
                _ => pick(rng, &self.names),
            };
            self.u16(0xc000 | (target as u16 & 0x3fff));
        } else {
            self.b.push(0);
        }
        self.names.push(start);
    }

    fn question(&mut self, rng: &mut StdRng) {
        self.name(rng);
        self.u16(pick(rng, TYPES));
        self.u16(class(rng));
    }

    /// A record of a random type with data that usually fits it; the length field is
    /// sometimes wrong.
    fn record(&mut self, rng: &mut StdRng, edns: bool) {
        let typ = if edns { 41 } else { pick(rng, TYPES) };
        if edns {
            self.b.push(0);
        } else {
            self.name(rng);
        }
        self.u16(typ);
        self.u16(if typ == 41 {
            pick(rng, &[512, 1232, 4096, 0x8000 | 1232])
        } else {
            class(rng)
        });
        let ttl: u32 = if rng.gen_bool(0.2) {
            rng.gen()
        } else {
            pick(rng, &[0, 1, 59, 3600, 86_400 * 8 + 7])
        };
        self.b.extend_from_slice(&ttl.to_be_bytes());
        let len_at = self.b.len();
        self.u16(0);
        let start = self.b.len();
        self.rdata(rng, typ);
        let mut n = (self.b.len() - start) as u16;
        if rng.gen_bool(0.05) {
            n = n.wrapping_add(pick(rng, &[1u16, 2, 0xffff, 40, 0xfffe]));
        }
        put16(&mut self.b, len_at, n);
    }

    fn rdata(&mut self, rng: &mut StdRng, typ: u16) {
        match typ {
            1 => self.b.extend_from_slice(&bytes_of(rng, &[4, 4, 4, 2])),
            28 => self.b.extend_from_slice(&bytes_of(rng, &[16, 16, 16, 8])),
            2 | 5 | 12 | 39 => self.name(rng),
            15 | 33 => {
                let fixed = if typ == 15 { 2 } else { 6 };
                self.b.extend_from_slice(&bytes(rng, fixed));
                self.name(rng);
            }
            6 => {
                self.name(rng);
                self.name(rng);
                self.b.extend_from_slice(&bytes_of(rng, &[20, 20, 12]));
            }
            16 | 13 => {
                for _ in 0..rng.gen_range(0..4) {
                    let n = rng.gen_range(0..12);
                    self.b.push(n);
                    self.b.extend_from_slice(&bytes(rng, usize::from(n)));
                }
            }
            38 => {
                let plen = pick(rng, &[0u8, 64, 65, 127, 128, 200]);
                self.b.push(plen);
                if plen < 128 {
                    self.b
                        .extend_from_slice(&bytes(rng, 16 - usize::from(plen / 8)));
                }
                if plen > 0 && plen <= 128 {
                    self.name(rng);
                }
            }
            41 => {
                for _ in 0..rng.gen_range(0..4) {
                    self.option(rng);
                }
            }
            250 => {
                self.name(rng);
                self.b.extend_from_slice(&bytes(rng, 8));
                let mac = rng.gen_range(0..20);
                self.u16(mac);
                self.b.extend_from_slice(&bytes(rng, usize::from(mac) + 6));
            }
            104 | 256 => {
                let n = rng.gen_range(0..24);
                let text: Vec<u8> = (0..n).map(|_| rng.gen_range(0x20..0x80)).collect();
                self.b.extend_from_slice(&text);
            }
            _ => {
                let n = rng.gen_range(0..30);
                self.b.extend_from_slice(&bytes(rng, n));
            }
        }
    }

    /// An EDNS option with data of a length that is usually valid for its code.
    fn option(&mut self, rng: &mut StdRng) {
        let code = pick(rng, OPTIONS);
        self.u16(code);
        let data = match code {
            8 => {
                let family = pick(rng, &[1u16, 2, 2, 3]);
                let bits = if family == 1 { 32 } else { 128 };
                let any = rng.gen_range(0..=bits);
                let src = pick(rng, &[0u8, 8, 24, 33, 56, 64, 129, any]);
                let mut d = family.to_be_bytes().to_vec();
                d.extend_from_slice(&[src, pick(rng, &[0u8, 0, 24, 200])]);
                let n = usize::from(src).div_ceil(8) + pick(rng, &[0usize, 0, 0, 1]);
                d.extend_from_slice(&bytes(rng, n.min(17)));
                d
            }
            10 => bytes_of(rng, &[8, 16, 24, 40, 5, 12, 41]),
            11 | 9 => bytes_of(rng, &[2, 4, 3]),
            13 => {
                let mut m = Msg {
                    b: Vec::new(),
                    names: Vec::new(),
                };
                m.name(rng);
                m.b
            }
            _ => bytes_upto(rng, 10),
        };
        let mut n = data.len() as u16;
        if rng.gen_bool(0.03) {
            n += 5;
        }
        self.u16(n);
        self.b.extend_from_slice(&data);
    }
}

fn class(rng: &mut StdRng) -> u16 {
    let c = pick(rng, &[1u16, 1, 1, 1, 3, 4, 255, 42]);
    if rng.gen_bool(0.1) {
        c | 0x8000
    } else {
        c
    }
}

/// A DNS message: random header flags, sections of 0-3 entries, counts usually right.
fn message(rng: &mut StdRng) -> Vec<u8> {
    let mut m = Msg {
        b: Vec::new(),
        names: Vec::new(),
    };
    let counts: [u16; 4] = [
        pick(rng, &[1, 1, 1, 0, 2]),
        pick(rng, &[0, 0, 1, 2, 3]),
        pick(rng, &[0, 0, 1, 2]),
        pick(rng, &[0, 1, 1, 2]),
    ];
    m.u16(rng.gen());
    let mut flags: u16 = if rng.gen_bool(0.7) {
        rng.gen::<u16>() & 0x81b0
    } else {
        rng.gen()
    };
    if rng.gen_bool(0.1) {
        flags = (flags & !0x7800) | (pick(rng, &[1u16, 2, 4, 5, 15]) << 11);
    }
    m.u16(flags);
    let mut header = counts;
    if rng.gen_bool(0.1) {
        header[rng.gen_range(0..4)] = pick(rng, &[0u16, 1, 5, 300]);
    }
    for c in header {
        m.u16(c);
    }
    for _ in 0..counts[0] {
        m.question(rng);
    }
    for _ in 0..counts[1] + counts[2] {
        m.record(rng, false);
    }
    // An OPT record (RFC 6891) leads the additional section of most messages that have one.
    let edns = rng.gen_bool(0.6);
    for i in 0..counts[3] {
        m.record(rng, edns && i == 0);
    }
    m.b
}

fn ipv4(proto: u8, payload: &[u8]) -> Vec<u8> {
    let mut h = vec![
        0x45, 0, 0, 0, 0, 9, 0, 0, 64, proto, 0, 0, 10, 0, 0, 1, 10, 0, 0, 53,
    ];
    put16(&mut h, 2, (20 + payload.len()) as u16);
    let sum = checksum::checksum(&h);
    put16(&mut h, 10, sum);
    h.extend_from_slice(payload);
    h
}

fn ipv6(nh: u8, payload: &[u8]) -> Vec<u8> {
    let mut h = vec![0x60, 0, 0, 0, 0, 0, nh, 64];
    put16(&mut h, 4, payload.len() as u16);
    h.extend_from_slice(&"2001:db8::1".parse::<Ipv6Addr>().unwrap().octets());
    h.extend_from_slice(&"2001:db8::53".parse::<Ipv6Addr>().unwrap().octets());
    h.extend_from_slice(payload);
    h
}

/// An Ethernet frame carrying `msg` over UDP 53 or 5353 (IPv4 or IPv6) or TCP 53.
fn frame(rng: &mut StdRng, msg: &[u8]) -> Vec<u8> {
    let client: u16 = rng.gen_range(33_000..60_000);
    let server = pick(rng, &[53u16, 53, 53, 5353]);
    let (a, b) = if rng.gen_bool(0.5) {
        (client, server)
    } else {
        (server, client)
    };
    let v6 = rng.gen_bool(0.25);
    let tcp = server == 53 && rng.gen_bool(0.25);
    let (proto, mut seg) = if tcp {
        let mut t = bytes(rng, 20);
        t[12] = 0x50;
        t[13] = pick(rng, &[0x18u8, 0x10, 0x19, 0x14]);
        let mut body = (msg.len() as u16).to_be_bytes().to_vec();
        if rng.gen_bool(0.1) {
            body = (rng.gen::<u16>() % 200).to_be_bytes().to_vec();
        }
        body.extend_from_slice(msg);
        t.extend_from_slice(&body);
        (6u8, t)
    } else {
        let mut u = vec![0u8; 8];
        put16(&mut u, 4, (8 + msg.len()) as u16);
        u.extend_from_slice(msg);
        (17u8, u)
    };
    put16(&mut seg, 0, a);
    put16(&mut seg, 2, b);
    let (src, dst): (IpAddr, IpAddr) = if v6 {
        (
            "2001:db8::1".parse().unwrap(),
            "2001:db8::53".parse().unwrap(),
        )
    } else {
        ("10.0.0.1".parse().unwrap(), "10.0.0.53".parse().unwrap())
    };
    let at = if tcp { 16 } else { 6 };
    put16(&mut seg, at, 0);
    if rng.gen_bool(0.8) {
        let sum = checksum::transport_checksum(src, dst, proto, &seg);
        put16(&mut seg, at, sum);
    }
    let (ethertype, ip) = if v6 {
        (0x86dd, ipv6(proto, &seg))
    } else {
        (0x0800, ipv4(proto, &seg))
    };
    let mut f = vec![2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1];
    f.extend_from_slice(&u16::to_be_bytes(ethertype));
    f.extend_from_slice(&ip);
    f
}

/// The packets: `(captured bytes, on-wire length)`; the mutated ones have random bytes of
/// the DNS message changed or the capture cut short.
fn packets() -> Vec<(Vec<u8>, u32)> {
    let mut rng = StdRng::seed_from_u64(SEED);
    let mut out = Vec::with_capacity(VALID + MUTATED);
    for _ in 0..VALID {
        let msg = message(&mut rng);
        let f = frame(&mut rng, &msg);
        let len = f.len() as u32;
        out.push((f, len));
    }
    for _ in 0..MUTATED {
        let mut msg = message(&mut rng);
        for _ in 0..rng.gen_range(0..4) {
            if !msg.is_empty() {
                let i = rng.gen_range(0..msg.len());
                msg[i] = rng.gen();
            }
        }
        let mut f = frame(&mut rng, &msg);
        let len = f.len() as u32;
        if rng.gen_bool(0.6) {
            let keep = rng.gen_range(34..=f.len());
            f.truncate(keep);
        }
        out.push((f, len));
    }
    out
}

#[test]
fn random_dns_messages_print_as_tcpdump() {
    compare("diff-dns", 1, &packets(), FLAG_SETS);
}
