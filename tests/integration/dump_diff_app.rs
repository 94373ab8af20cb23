//! Differential test of the application-protocol printers: seeded random messages of each
//! protocol (valid shapes with random field values, then random cuts and corrupted lengths),
//! carried in UDP over IPv4 and IPv6 on the protocol's port, printed by tcpdump and by
//! `echolab dump` with several flag sets; the outputs must be identical.
//!
//! tcpdump is required (CI installs it); the test fails, saying so, when it is missing.

use std::net::Ipv4Addr;

use echolab::capture::wire::checksum;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::diffutil::{bytes, compare, compare_seeded, pick};

pub const FLAG_SETS: &str = "-nn, -nnv, -nnvv, -nnvvv -X, -nnq";

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
    let ulen = (8 + payload.len()) as u16;
    let mut seg = [
        sport.to_be_bytes(),
        dport.to_be_bytes(),
        ulen.to_be_bytes(),
        [0, 0],
    ]
    .concat();
    seg.extend_from_slice(payload);
    crate::diffutil::ip_frame(v6, 17, seg, 6, caplen)
}

/// Frames for a protocol on `port`: each message valid as generated, then the same message
/// cut at a random point of the capture, or with a wrong length (some bytes dropped or
/// added). The peer's port is 40000, or with `vary_peer` one of 40000, 1024 and `port`.
pub fn frames(
    rng: &mut StdRng,
    n: usize,
    port: u16,
    vary_peer: bool,
    msg: fn(&mut StdRng) -> Vec<u8>,
) -> Vec<(Vec<u8>, u32)> {
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let mut m = msg(rng);
        let v6 = rng.gen_bool(0.3);
        let peer = if vary_peer {
            pick(rng, &[40000u16, 1024, port])
        } else {
            40000
        };
        let (sport, dport) = if rng.gen() {
            (port, peer)
        } else {
            (peer, port)
        };
        let hdr = if v6 { 14 + 40 + 8 } else { 14 + 20 + 8 };
        let cut = crate::diffutil::damage(rng, i, &mut m, hdr, 40);
        out.push(udp_frame(v6, sport, dport, &m, cut));
    }
    out
}

/// `n` [`frames`] of `msg` from `seed`, printed alike by tcpdump and echolab under every
/// flag set.
pub fn compare_udp(
    name: &str,
    seed: u64,
    n: usize,
    port: u16,
    vary_peer: bool,
    msg: fn(&mut StdRng) -> Vec<u8>,
) {
    compare_seeded(name, 1, seed, FLAG_SETS, |rng| {
        frames(rng, n, port, vary_peer, msg)
    });
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
    compare_udp("ntp", 0x4e54_5001, 3000, 123, true, ntp);
}

/// Random bytes, as many as one of `sizes`.
fn some_bytes(rng: &mut StdRng, sizes: &[usize]) -> Vec<u8> {
    let n = pick(rng, sizes);
    bytes(rng, n)
}

/// One DHCP option of `tag`: a body of the shape print-bootp.c expects (sub-options, routes,
/// user classes, client ids) or of random bytes, its length byte right or not.
fn bootp_option(rng: &mut StdRng) -> Vec<u8> {
    let tag = pick(
        rng,
        &[
            1u8, 2, 3, 6, 12, 15, 19, 21, 26, 28, 33, 43, 46, 50, 51, 52, 53, 53, 54, 55, 55, 61,
            61, 77, 81, 81, 82, 82, 91, 93, 121, 121, 150, 161, 200, 249, 0, 255,
        ],
    );
    let tag = if rng.gen_ratio(1, 20) { rng.gen() } else { tag };
    let mut body = match tag {
        53 => vec![rng.gen_range(0..15)],
        55 => (0..rng.gen_range(0..12)).map(|_| rng.gen()).collect(),
        61 => {
            let mut b = vec![pick(rng, &[0u8, 1, 6, 0x18, 99])];
            b.extend(some_bytes(rng, &[0usize, 6, 9]));
            b
        }
        77 => {
            let mut b = Vec::new();
            for _ in 0..rng.gen_range(0..4) {
                let l = pick(rng, &[0u8, 1, 3, 5]);
                b.push(l);
                b.extend({
                    let n = rng.gen_range(0..=usize::from(l) + 1);
                    bytes(rng, n)
                });
            }
            b
        }
        81 => {
            let mut b = vec![pick(rng, &[0u8, 1, 5, 0x0f, 0x31]), rng.gen_range(0..2), 0];
            b.extend({
                let n = rng.gen_range(0..12);
                bytes(rng, n)
            });
            b
        }
        82 => {
            let mut b = Vec::new();
            for _ in 0..rng.gen_range(0..4) {
                let l = pick(rng, &[0u8, 2, 5, 19]);
                b.extend_from_slice(&[pick(rng, &[1u8, 2, 6, 9]), l]);
                b.extend({
                    let n = rng.gen_range(0..=usize::from(l) + 1);
                    bytes(rng, n)
                });
            }
            b
        }
        121 | 249 => {
            let mut b = Vec::new();
            for _ in 0..rng.gen_range(0..4) {
                let w = pick(rng, &[0u8, 8, 17, 24, 32, 33]);
                b.push(w);
                b.extend(bytes(rng, usize::from(w.min(32)).div_ceil(8) + 4));
            }
            b.truncate(b.len() - rng.gen_range(0..2).min(b.len()));
            b
        }
        _ => some_bytes(rng, &[0usize, 1, 2, 3, 4, 5, 8, 9, 16]),
    };
    if tag == 0 || tag == 255 {
        return vec![tag];
    }
    body.truncate(255);
    let len = if rng.gen_ratio(1, 8) {
        rng.gen()
    } else {
        body.len() as u8
    };
    let mut o = vec![tag, len];
    o.extend(body);
    o
}

/// A BOOTP message: random header fields (the usual Ethernet types most often, names with
/// and without their NUL), then DHCP options after the magic cookie, the CMU vendor area or
/// random vendor bytes.
fn bootp(rng: &mut StdRng) -> Vec<u8> {
    let mut m = vec![
        pick(rng, &[1u8, 1, 2, 2, 3]),
        pick(rng, &[1u8, 1, 1, 6]),
        pick(rng, &[6u8, 6, 6, 16, 0]),
        pick(rng, &[0u8, 0, 1, 255]),
    ];
    m.extend(bytes(rng, 8)); // xid, secs, flags
    for _ in 0..4 {
        let a = if rng.gen() { [0; 4] } else { rng.gen() };
        m.extend_from_slice(&a);
    }
    m.extend(bytes(rng, 16));
    for size in [64usize, 128] {
        let mut name = vec![0u8; size];
        match rng.gen_range(0..4) {
            0 | 1 => {}
            2 => {
                let n = rng.gen_range(1..size);
                name[..n]
                    .iter_mut()
                    .for_each(|c| *c = rng.gen_range(0x21..0x7f));
            }
            _ => name.iter_mut().for_each(|c| *c = rng.gen_range(1..=255)),
        }
        m.extend(name);
    }
    match rng.gen_range(0..10) {
        0 => {
            m.extend_from_slice(b"CMU\0");
            m.extend(bytes(rng, 60).iter().map(|b| if *b < 128 { 0 } else { *b }));
        }
        1 => m.extend(bytes(rng, 64)),
        _ => {
            m.extend_from_slice(&[99, 130, 83, 99]);
            for _ in 0..rng.gen_range(0..14) {
                m.extend(bootp_option(rng));
            }
            if rng.gen_ratio(3, 4) {
                m.push(255);
            }
            m.extend(vec![0; pick(rng, &[0usize, 0, 3])]);
        }
    }
    m
}

#[test]
fn random_bootp_messages_print_as_tcpdump() {
    compare_udp("bootp", 0x4244_5001, 2500, 67, true, bootp);
}

/// DHCPv6 options: the codes print-dhcp6.c decodes, with bodies of their usual sizes (a
/// DUID, an IA with sub-options, names, a relayed message) or random, lengths right or not.
fn dhcp6_options(rng: &mut StdRng, depth: u32) -> Vec<u8> {
    let mut out = Vec::new();
    for _ in 0..rng.gen_range(0..6) {
        let code = pick(
            rng,
            &[
                1u16, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14, 18, 19, 20, 21, 23, 24, 25, 26, 32,
                37, 38, 41, 43, 44, 45, 46, 47, 48, 56, 64, 112, 999,
            ],
        );
        let body = match code {
            1 | 2 => {
                let mut b = vec![0, pick(rng, &[1u8, 2, 3, 4])];
                b.extend(some_bytes(rng, &[0usize, 2, 6, 8, 12]));
                b
            }
            3 | 25 if depth < 3 => {
                let mut b = bytes(rng, 12);
                b.extend(dhcp6_options(rng, depth + 1));
                b
            }
            9 if depth < 2 => dhcp6(rng, depth + 1),
            11 => {
                let mut b = vec![
                    pick(rng, &[2u8, 3, 9]),
                    rng.gen_range(0..3),
                    rng.gen_range(0..2),
                ];
                b.extend(some_bytes(rng, &[8usize, 25, 28, 31, 3]));
                b
            }
            21 | 24 | 64 => {
                let mut b = Vec::new();
                for _ in 0..rng.gen_range(1..3) {
                    let l = rng.gen_range(0..6);
                    b.push(l);
                    b.extend((0..l).map(|_| rng.gen_range(b'a'..=b'z')));
                }
                b.push(if rng.gen_ratio(1, 6) { 0xc0 } else { 0 });
                b
            }
            56 => {
                let mut b = Vec::new();
                for _ in 0..rng.gen_range(0..3) {
                    let (c, l) = (pick(rng, &[1u16, 2, 3, 7]), pick(rng, &[16u16, 4, 0]));
                    b.extend_from_slice(&c.to_be_bytes());
                    b.extend_from_slice(&l.to_be_bytes());
                    b.extend(bytes(rng, usize::from(l)));
                }
                b
            }
            _ => some_bytes(rng, &[0usize, 1, 2, 4, 16, 17, 24, 25, 32]),
        };
        let len = if rng.gen_ratio(1, 10) {
            body.len() as u16 + rng.gen_range(1..8)
        } else {
            body.len() as u16
        };
        out.extend_from_slice(&code.to_be_bytes());
        out.extend_from_slice(&len.to_be_bytes());
        out.extend(body);
    }
    out
}

/// A DHCPv6 message: a client/server message of any type or a relay message, then options.
fn dhcp6(rng: &mut StdRng, depth: u32) -> Vec<u8> {
    let t = pick(
        rng,
        &[1u8, 2, 3, 4, 5, 7, 8, 10, 11, 12, 12, 13, 13, 14, 15, 99],
    );
    let mut m = vec![t];
    if t == 12 || t == 13 {
        m.push(rng.gen());
        m.extend(bytes(rng, 32));
    } else {
        m.extend(bytes(rng, 3));
    }
    m.extend(dhcp6_options(rng, depth));
    m
}

#[test]
fn random_dhcp6_messages_print_as_tcpdump() {
    compare_udp("dhcp6", 0x4436_5001, 2500, 547, true, |rng| dhcp6(rng, 0));
}

/// A NUL-terminated TFTP string: printable, with control or high bytes, or empty.
fn tftp_string(rng: &mut StdRng) -> Vec<u8> {
    let mut s = match rng.gen_range(0..4) {
        0 => Vec::new(),
        1 => {
            let n = rng.gen_range(1..12);
            bytes(rng, n)
        }
        _ => (0..rng.gen_range(1..16))
            .map(|_| rng.gen_range(b'0'..=b'z'))
            .collect(),
    };
    s.retain(|&b| b != 0);
    s.push(0);
    s
}

/// A TFTP message: any opcode (a few unknown), with file name, mode and options, a block
/// number, or an error code (known or not) and message; strings may lack their NUL.
fn tftp(rng: &mut StdRng) -> Vec<u8> {
    let op = pick(rng, &[1u16, 1, 2, 3, 4, 5, 5, 6, 6, 0, 7, 300]);
    let mut m = op.to_be_bytes().to_vec();
    match op {
        1 | 2 | 6 => {
            let strings = if op == 6 { 0 } else { 2 } + 2 * rng.gen_range(0..4);
            for _ in 0..strings {
                m.extend(tftp_string(rng));
            }
        }
        5 => {
            m.extend_from_slice(&pick(rng, &[0u16, 1, 2, 3, 4, 5, 6, 7, 8, 999]).to_be_bytes());
            m.extend(tftp_string(rng));
        }
        _ => {
            let n = pick(rng, &[2usize, 2, 0, 1, 40]);
            m.extend(bytes(rng, n));
        }
    }
    if rng.gen_ratio(1, 6) {
        m.pop();
    }
    m
}

#[test]
fn random_tftp_messages_print_as_tcpdump() {
    compare_udp("tftp", 0x5446_5001, 2500, 69, true, tftp);
}

/// A syslog message: a priority of zero to four digits (some beyond the facilities named, some
/// malformed), then text with the odd control or high byte.
fn syslog(rng: &mut StdRng) -> Vec<u8> {
    let mut m = Vec::new();
    if !rng.gen_ratio(1, 12) {
        m.push(b'<');
    }
    let pri: u32 = pick(rng, &[0u32, 7, 13, 86, 191, 192, 999, 1234]);
    let digits = pri.to_string();
    let n = rng.gen_range(0..=digits.len());
    m.extend_from_slice(digits.get(..n).unwrap_or("").as_bytes());
    if !rng.gen_ratio(1, 12) {
        m.push(b'>');
    }
    let text = rng.gen_range(0..60u32);
    m.extend(mostly_from(rng, text, b' '..=b'~', 10));
    m
}

/// `n` bytes from `range`, but one in `one_in` any byte at all. (`n` is a `u32` as the
/// callers draw it: a `usize` would draw other numbers from the same seed.)
fn mostly_from(
    rng: &mut StdRng,
    n: u32,
    range: std::ops::RangeInclusive<u8>,
    one_in: u32,
) -> Vec<u8> {
    (0..n)
        .map(|_| {
            if rng.gen_ratio(1, one_in) {
                rng.gen()
            } else {
                rng.gen_range(range.clone())
            }
        })
        .collect()
}

#[test]
fn random_syslog_messages_print_as_tcpdump() {
    compare_udp("syslog", 0x5359_5001, 2500, 514, true, syslog);
}

/// A value for RADIUS attribute `t` of the sizes print-radius.c's printers check (and some
/// they reject): numbers with tags and named values, tunnel tags, prefixes, vendor
/// sub-attributes, EAP messages.
fn radius_value(rng: &mut StdRng, t: u8) -> Vec<u8> {
    match t {
        26 => {
            let mut v = pick(rng, &[9u32, 311, 2636, 0, 99_999])
                .to_be_bytes()
                .to_vec();
            for _ in 0..rng.gen_range(0..4) {
                let body = some_bytes(rng, &[0, 1, 3, 8]);
                let len = if rng.gen_ratio(1, 8) {
                    rng.gen()
                } else {
                    body.len() as u8 + 2
                };
                v.extend_from_slice(&[rng.gen(), len]);
                v.extend(body);
            }
            v
        }
        79 => {
            let code = pick(rng, &[1u8, 2, 3, 4, 9]);
            let ty = pick(rng, &[0u8, 1, 2, 3, 4, 13, 18, 21, 23, 43, 254, 99]);
            let mut body = vec![ty];
            let flags = pick(rng, &[0u8, 0x80, 0xe1, 0x20, 0x0a]);
            body.push(flags);
            body.extend(some_bytes(rng, &[0, 1, 4, 6]));
            if rng.gen_ratio(1, 5) {
                body.truncate(rng.gen_range(0..=body.len()));
            }
            let mut len = (4 + body.len()) as u16;
            if rng.gen_ratio(1, 8) {
                len = rng.gen_range(0..12);
            }
            let mut v = vec![code, rng.gen()];
            v.extend_from_slice(&len.to_be_bytes());
            v.extend(body);
            v
        }
        // Numbers with named values or tags: small values mostly.
        6 | 7 | 10 | 13 | 15 | 29 | 40 | 45 | 49 | 57 | 61 | 64 | 65 | 72 | 76 | 83 | 56 => {
            let mut v = pick(
                rng,
                &[0u32, 1, 2, 3, 9, 13, 15, 23, 40, 0x0100_000d, 0x3100_0064],
            )
            .to_be_bytes()
            .to_vec();
            if rng.gen_ratio(1, 4) {
                v[0] = rng.gen();
            }
            v
        }
        // Prefixes: a reserved byte, a length, up to 16 bytes.
        97 | 123 => {
            let mut v = vec![0, pick(rng, &[0u8, 8, 64, 128, 129])];
            v.extend(some_bytes(rng, &[0, 2, 8, 16, 17]));
            v
        }
        125 => {
            let mut v = vec![pick(rng, &[64u8, 128, 200])];
            v.extend(bytes(rng, 16));
            v
        }
        // Tagged strings: a tag byte that is a tag or text.
        66 | 67 | 69 | 81 | 82 | 90 | 91 | 58 => {
            let mut v = vec![pick(rng, &[0u8, 1, 0x1f, 0x20, 0x31, 0x41])];
            v.extend(some_bytes(rng, &[0, 1, 2, 6]));
            v
        }
        _ => some_bytes(rng, &[0, 1, 2, 4, 4, 4, 8, 10, 14, 16, 17, 21, 30]),
    }
}

/// A RADIUS message: any code, an authenticator, and attributes of every type (a few past
/// the table, or of bogus length), the header's length right or not.
fn radius(rng: &mut StdRng) -> Vec<u8> {
    let code = pick(
        rng,
        &[1u8, 2, 3, 4, 5, 11, 12, 13, 40, 41, 42, 43, 44, 45, 255, 6],
    );
    let mut m = vec![code, rng.gen(), 0, 0];
    m.extend(bytes(rng, 16));
    for _ in 0..rng.gen_range(0..8) {
        let t = if rng.gen_ratio(1, 10) {
            rng.gen()
        } else {
            rng.gen_range(0..130)
        };
        let v = radius_value(rng, t);
        let len = if rng.gen_ratio(1, 20) {
            pick(rng, &[0u8, 1, 255])
        } else {
            v.len() as u8 + 2
        };
        m.extend_from_slice(&[t, len]);
        m.extend(v);
    }
    let mut len = m.len() as u16;
    if rng.gen_ratio(1, 8) {
        len = pick(rng, &[0u16, 19, 20, 21, len.saturating_sub(3), 1000]);
    }
    m[2..4].copy_from_slice(&len.to_be_bytes());
    m
}

#[test]
fn random_radius_messages_print_as_tcpdump() {
    compare_udp("radius", 0x5241_5001, 3000, 1812, true, radius);
}

/// RADIUS Event-Timestamp is `ctime(3)` in the local zone: the same text as tcpdump run with
/// the same `TZ`, in zones with daylight saving time and odd offsets (the goldens cover UTC).
/// Needs the tz database (tzdata) for both programs.
#[test]
fn radius_event_timestamps_match_tcpdump_in_local_zones() {
    crate::util::require("tcpdump");
    let pcap =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/dump/udpapps/radius.pcap");
    let path = pcap.to_str().expect("utf-8 path");
    for tz in ["America/New_York", "Asia/Kolkata", "Australia/Lord_Howe"] {
        assert!(
            std::path::Path::new("/usr/share/zoneinfo")
                .join(tz)
                .exists(),
            "the tz database has no {tz} (apt-get install -y tzdata)"
        );
        let expected = std::process::Command::new("tcpdump")
            .args(["-r", path, "-nnv"])
            .env("TZ", tz)
            .output()
            .expect("run tcpdump");
        let expected = String::from_utf8_lossy(&expected.stdout);
        assert!(expected.contains("Event-Timestamp"), "{expected}");
        let got =
            crate::util::run_env("echolab", &["dump", "-r", path, "-nnv"], b"", &[("TZ", tz)]);
        assert!(got.status.success(), "echolab dump failed with TZ={tz}");
        crate::util::assert_text_eq(
            &format!("TZ={tz} radius -nnv"),
            &expected,
            &String::from_utf8_lossy(&got.stdout),
        );
    }
}

/// A BER element: `tag`, a definite length (short or long form, now and then a long form
/// with a needless leading zero) and `body`.
fn ber(rng: &mut StdRng, tag: u8, body: &[u8]) -> Vec<u8> {
    let mut m = vec![tag];
    let n = body.len();
    if n < 0x80 && !rng.gen_ratio(1, 20) {
        m.push(n as u8);
    } else {
        let raw = (n as u32).to_be_bytes();
        let skip = raw.iter().take_while(|b| **b == 0).count().min(3);
        m.push(0x80 | (4 - skip) as u8);
        m.extend_from_slice(&raw[skip..]);
    }
    m.extend_from_slice(body);
    m
}

/// A BER INTEGER of 1 to 5 random bytes.
fn ber_int(rng: &mut StdRng, tag: u8) -> Vec<u8> {
    let n = pick(rng, &[1usize, 1, 2, 4, 5]);
    let body = bytes(rng, n);
    ber(rng, tag, &body)
}

/// An OBJECT IDENTIFIER: under one of the prefixes print-snmp.c abbreviates or anywhere, its
/// arcs small, MIB-known or large (multi-byte subidentifiers).
fn ber_oid(rng: &mut StdRng) -> Vec<u8> {
    let prefix: &[u8] = pick(
        rng,
        &[
            &[43, 6, 1, 2, 1][..],
            &[43, 6, 1, 4, 1],
            &[43, 6, 1, 3],
            &[43, 6, 1, 6, 3],
            &[43, 6, 1],
            &[43],
            &[],
        ],
    );
    let mut body = prefix.to_vec();
    for _ in 0..rng.gen_range(0..8) {
        let arc: u32 = match rng.gen_range(0..4) {
            0 => rng.gen_range(0..16),
            1 => rng.gen_range(0..128),
            2 => rng.gen_range(128..70000),
            _ => rng.gen(),
        };
        let mut enc = vec![(arc & 0x7f) as u8];
        let mut v = arc >> 7;
        while v != 0 {
            enc.push(0x80 | (v & 0x7f) as u8);
            v >>= 7;
        }
        enc.reverse();
        body.extend(enc);
    }
    ber(rng, 0x06, &body)
}

/// A value of any type print-snmp.c's decoder knows, or one it flags.
fn ber_value(rng: &mut StdRng) -> Vec<u8> {
    match rng.gen_range(0..12) {
        0 => vec![0x05, 0x00],
        1 => ber_int(rng, 0x02),
        2 => {
            let s: Vec<u8> = (0..rng.gen_range(0..12))
                .map(|_| rng.gen_range(0x20..0x7f))
                .collect();
            ber(rng, 0x04, &s)
        }
        3 => {
            let s = some_bytes(rng, &[0, 1, 6, 12]);
            ber(rng, 0x04, &s)
        }
        4 => ber_oid(rng),
        5 => {
            let s = some_bytes(rng, &[4, 4, 4, 3, 5]);
            ber(rng, 0x40, &s)
        }
        6 => {
            let tag = pick(rng, &[0x41u8, 0x42, 0x43, 0x46]);
            let s = some_bytes(rng, &[1, 2, 4, 5, 8, 9]);
            ber(rng, tag, &s)
        }
        7 => vec![pick(rng, &[0x80u8, 0x81, 0x82, 0x83]), 0x00],
        _ => {
            let tag: u8 = rng.gen();
            let s = some_bytes(rng, &[0, 1, 3]);
            ber(rng, tag, &s)
        }
    }
}

/// A SEQUENCE OF variable bindings: OID and value, mostly NULL for the reads.
fn ber_varbinds(rng: &mut StdRng, null: bool) -> Vec<u8> {
    let mut list = Vec::new();
    for _ in 0..rng.gen_range(0..5) {
        let mut vb = ber_oid(rng);
        if null && rng.gen_ratio(4, 5) {
            vb.extend_from_slice(&[0x05, 0x00]);
        } else {
            vb.extend(ber_value(rng));
        }
        list.extend(ber(rng, 0x30, &vb));
    }
    ber(rng, 0x30, &list)
}

/// A PDU of any context tag: the v1 Trap-PDU's fields for tag 4, else request id, error
/// status and index (often zero) and variable bindings.
fn ber_pdu(rng: &mut StdRng) -> Vec<u8> {
    let tag = rng.gen_range(0..9u8);
    let mut body = Vec::new();
    if tag == 4 {
        body.extend(ber_oid(rng));
        let addr = some_bytes(rng, &[4, 4, 4, 2]);
        body.extend(ber(rng, 0x40, &addr));
        let generic = pick(rng, &[0u8, 1, 2, 3, 4, 5, 6, 6, 7, 0xff]);
        body.extend(ber(rng, 0x02, &[generic]));
        body.extend(ber_int(rng, 0x02));
        body.extend(ber_int(rng, 0x43));
    } else {
        body.extend(ber_int(rng, 0x02));
        for _ in 0..2 {
            let v = pick(rng, &[0u8, 0, 0, 1, 5, 18, 19, 0xfe]);
            body.extend(ber(rng, 0x02, &[v]));
        }
    }
    body.extend(ber_varbinds(rng, matches!(tag, 0 | 1 | 5)));
    ber(rng, 0xa0 | tag, &body)
}

/// An SNMPv3 message: header data with any flags and security model, USM parameters and a
/// scoped PDU.
fn snmp_v3(rng: &mut StdRng) -> Vec<u8> {
    let mut header = ber_int(rng, 0x02);
    header.extend(ber_int(rng, 0x02));
    let flags = pick(rng, &[0u8, 1, 3, 4, 5, 7, 2, 0x0c]);
    header.extend(ber(rng, 0x04, &[flags]));
    let model = pick(rng, &[3u8, 3, 3, 1, 2]);
    header.extend(ber(rng, 0x02, &[model]));
    let mut usm = Vec::new();
    let engine = some_bytes(rng, &[0, 5, 9]);
    usm.extend(ber(rng, 0x04, &engine));
    usm.extend(ber_int(rng, 0x02));
    usm.extend(ber_int(rng, 0x02));
    usm.extend(ber(rng, 0x04, b"user"));
    let auth = some_bytes(rng, &[0, 12]);
    usm.extend(ber(rng, 0x04, &auth));
    let privacy = some_bytes(rng, &[0, 8]);
    usm.extend(ber(rng, 0x04, &privacy));
    let usm = ber(rng, 0x30, &usm);
    let mut scoped = ber(rng, 0x04, &engine);
    let name = some_bytes(rng, &[0, 3]);
    scoped.extend(ber(rng, 0x04, &name));
    scoped.extend(ber_pdu(rng));
    let mut m = ber(rng, 0x02, &[3]);
    m.extend(ber(rng, 0x30, &header));
    m.extend(ber(rng, 0x04, &usm));
    if rng.gen_ratio(1, 6) {
        let enc = some_bytes(rng, &[8, 30]);
        m.extend(ber(rng, 0x04, &enc));
    } else {
        m.extend(ber(rng, 0x30, &scoped));
    }
    ber(rng, 0x30, &m)
}

/// An SNMP message of any version (v1, v2c with any community, v3, now and then another
/// number), then in a third of them one to three bytes overwritten: BER mutations that hit
/// tags, lengths and contents alike.
fn snmp(rng: &mut StdRng) -> Vec<u8> {
    let mut m = if rng.gen_ratio(1, 3) {
        snmp_v3(rng)
    } else {
        let version = pick(rng, &[0u8, 0, 1, 1, 2, 4]);
        let mut body = ber(rng, 0x02, &[version]);
        let community = if rng.gen() {
            b"public".to_vec()
        } else {
            some_bytes(rng, &[0, 6, 8])
        };
        body.extend(ber(rng, 0x04, &community));
        body.extend(ber_pdu(rng));
        ber(rng, 0x30, &body)
    };
    if rng.gen_ratio(1, 3) && !m.is_empty() {
        for _ in 0..rng.gen_range(1..=3) {
            let at = rng.gen_range(0..m.len());
            let any: u8 = rng.gen();
            m[at] = pick(rng, &[any, 0x00, 0x80, 0x81, 0x82, 0x84, 0x1f, 0xff]);
        }
    }
    m
}

#[test]
fn random_snmp_messages_print_as_tcpdump() {
    compare_udp("snmp", 0x534e_4d50, 3000, 161, true, snmp);
}

/// `frame` (IPv4, from [`udp_frame`]) sent to 127.0.0.1 instead, its checksums made right
/// again, so that tcpdump without `-n` names both ends from /etc/hosts without asking DNS.
fn to_loopback((mut f, len): (Vec<u8>, u32)) -> (Vec<u8>, u32) {
    if f.len() >= 34 {
        f[30..34].copy_from_slice(&[127, 0, 0, 1]);
        f[24..26].fill(0);
        let sum = checksum::checksum(&f[14..34]);
        f[24..26].copy_from_slice(&sum.to_be_bytes());
    }
    if f.len() as u32 == len {
        f[40..42].fill(0);
        let (src, dst) = (Ipv4Addr::LOCALHOST.into(), Ipv4Addr::LOCALHOST.into());
        let sum = checksum::transport_checksum(src, dst, 17, &f[34..]);
        f[40..42].copy_from_slice(&sum.to_be_bytes());
    }
    (f, len)
}

#[test]
fn random_snmp_oids_print_as_tcpdump_with_mib_names() {
    let mut rng = StdRng::seed_from_u64(0x534e_4d51);
    let pkts: Vec<_> = frames(&mut rng, 2000, 161, true, snmp)
        .into_iter()
        .filter(|(f, _)| f.get(12..14) == Some(&[0x08, 0x00][..]))
        .map(to_loopback)
        .collect();
    compare("snmp-names", 1, &pkts, "-v, -vv");
}

/// An AHCP message: the header with random hop counts, nonce and identifiers (a few with the
/// wrong magic or version), then a body of random options of every type, values of the sizes
/// print-ahcp.c's decoders accept and of other sizes.
fn ahcp(rng: &mut StdRng) -> Vec<u8> {
    let magic = if rng.gen_ratio(1, 20) { rng.gen() } else { 43 };
    let version = if rng.gen_ratio(1, 20) { rng.gen() } else { 1 };
    let mut m = vec![magic, version];
    m.extend(bytes(rng, 22));
    let mut opts = Vec::new();
    for _ in 0..rng.gen_range(0..6) {
        let no: u8 = if rng.gen_ratio(1, 10) {
            rng.gen()
        } else {
            rng.gen_range(0..14)
        };
        opts.push(no);
        if no > 1 {
            let len = pick(rng, &[0usize, 3, 4, 5, 8, 16, 17, 32, 34]);
            opts.push(len as u8);
            opts.extend(bytes(rng, len));
        }
    }
    m.push(rng.gen_range(0..8));
    m.push(if rng.gen_ratio(1, 8) { rng.gen() } else { 0 });
    let body_len = if rng.gen_ratio(1, 8) {
        rng.gen_range(0..80)
    } else {
        opts.len()
    };
    m.extend((body_len as u16).to_be_bytes());
    m.extend(opts);
    m
}

#[test]
fn random_ahcp_messages_print_as_tcpdump() {
    compare_udp("ahcp", 0x4148_4350, 2000, 5359, true, ahcp);
}

/// A Kerberos message: version 4 (its message types in both byte orders, with principal
/// names whose NUL may be missing) most of the time, else another version byte.
fn krb(rng: &mut StdRng) -> Vec<u8> {
    if rng.gen_ratio(1, 6) {
        let mut m = vec![pick(rng, &[1u8, 2, 3, 5, 106, 107, 0, 99])];
        m.extend(bytes(rng, 6));
        return m;
    }
    let kind = pick(rng, &[2u8, 4, 6, 10, 8, 12, 14, 16, 126, 40]);
    let mut m = vec![4, kind | u8::from(rng.gen::<bool>())];
    for _ in 0..rng.gen_range(0..6) {
        let n = rng.gen_range(0..8u32);
        m.extend(mostly_from(rng, n, b'a'..=b'z', 8));
        if !rng.gen_ratio(1, 10) {
            m.push(0);
        }
        let gap = pick(rng, &[0usize, 1, 2, 4, 10, 12]);
        m.extend(bytes(rng, gap));
    }
    m
}

#[test]
fn random_kerberos_messages_print_as_tcpdump() {
    compare_udp("krb", 0x4b52_4234, 2000, 88, true, krb);
}
