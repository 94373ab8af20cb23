//! Differential test of the TCP application printers and the port chain that picks them
//! (print-tcp.c `tcp_print`): seeded random text and binary payloads (request lines, response
//! codes, header lines, LF-only and unterminated lines, control and high bytes, telnet
//! commands, SSH banners) on the ports of HTTP, FTP, SMTP, whois, RTSP, SSH and telnet, and
//! SIP over UDP, whole or cut at a random point of the capture, printed by tcpdump and by
//! `echolab dump` with several flag sets; the outputs must be identical.
//!
//! tcpdump is required (CI installs it); the test fails, saying so, when it is missing.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::diffutil::{bytes, compare, pick};
use crate::dump_diff_app::udp_frame;

const FLAG_SETS: &str = "-nn, -nnv, -nnvv, -nnvvv -X, -nnA, -nnq";

/// Ports of tcp_print's chain with a text or telnet printer, and a few neighbours of them.
const TCP_PORTS: &[u16] = &[21, 22, 23, 25, 43, 80, 8080, 554, 8554, 5060, 4002];

/// An Ethernet frame (zero MACs) carrying `payload` in a TCP segment with `flags`, over IPv6
/// when `v6`, with correct checksums; `(captured bytes, on-wire length)`, the capture cut to
/// `caplen` bytes when given.
pub fn tcp_frame(
    v6: bool,
    (sport, dport): (u16, u16),
    flags: u8,
    seq: u32,
    payload: &[u8],
    caplen: Option<usize>,
) -> (Vec<u8>, u32) {
    let mut seg = Vec::with_capacity(20 + payload.len());
    seg.extend_from_slice(&sport.to_be_bytes());
    seg.extend_from_slice(&dport.to_be_bytes());
    seg.extend_from_slice(&seq.to_be_bytes());
    seg.extend_from_slice(&0x1000_u32.to_be_bytes());
    seg.extend_from_slice(&[0x50, flags, 0x02, 0x00, 0, 0, 0, 0]);
    seg.extend_from_slice(payload);
    crate::diffutil::ip_frame(v6, 6, seg, 16, caplen)
}

/// A first token: a request name of some text protocol (any case), a version, a code, or
/// random printable text, sometimes long.
fn token(rng: &mut StdRng) -> Vec<u8> {
    const WORDS: &[&str] = &[
        "GET",
        "get",
        "Post",
        "OPTIONS",
        "PROPFIND",
        "DESCRIBE",
        "SETUP",
        "INVITE",
        "REGISTER",
        "ACK",
        "HTTP/1.1",
        "RTSP/1.0",
        "SIP/2.0",
        "USER",
        "EHLO",
        "200",
        "404",
        "2000",
        "20",
        "220-",
        "SSH-2.0-OpenSSH_9.2",
        "SSH-",
        "SS",
        "",
    ];
    match rng.gen_range(0..6) {
        0 => {
            let n = pick(rng, &[1usize, 3, 126, 127, 128, 200]);
            (0..n).map(|_| rng.gen_range(0x21u8..0x7f)).collect()
        }
        _ => pick(rng, WORDS).as_bytes().to_vec(),
    }
}

/// Some separators and line endings, including the odd ones txtproto_print looks at.
fn glue(rng: &mut StdRng) -> &'static [u8] {
    pick(
        rng,
        &[
            b" ", b" ", b"  ", b"\t", b"\r\n", b"\r\n", b"\n", b"\r", b"\r\r\n", b"",
        ],
    )
}

/// A text payload: tokens and separators, lines of printable text, and sometimes a control,
/// DEL or high byte.
fn text(rng: &mut StdRng) -> Vec<u8> {
    let mut m = Vec::new();
    for _ in 0..rng.gen_range(1..12) {
        m.extend(token(rng));
        m.extend_from_slice(glue(rng));
        if rng.gen_ratio(1, 10) {
            m.push(pick(rng, &[0u8, 1, 0x7f, 0x80, 0xc3, 0xff, b'\t']));
        }
        if rng.gen_ratio(1, 6) {
            let n = rng.gen_range(0..80);
            m.extend((0..n).map(|_| rng.gen_range(0x20u8..0x7f)));
        }
    }
    m
}

/// Telnet commands (some of them subnegotiations, some cut short) around text.
fn telnet(rng: &mut StdRng) -> Vec<u8> {
    let mut m = Vec::new();
    for _ in 0..rng.gen_range(1..8) {
        m.push(255);
        let cmd = pick(
            rng,
            &[251u8, 252, 253, 254, 250, 250, 255, 241, 244, 236, 240, 100],
        );
        m.push(cmd);
        if rng.gen_ratio(1, 12) {
            break;
        }
        m.push(pick(rng, &[0u8, 1, 3, 24, 31, 37, 38, 39, 40, 200, 255]));
        if cmd == 250 {
            let n = rng.gen_range(0..8);
            m.extend((0..n).map(|_| pick(rng, &[0u8, 1, 2, 5, 99, 255, b'x'])));
            if rng.gen_ratio(5, 6) {
                m.extend_from_slice(&[255, 240]);
            }
        }
    }
    if rng.gen() {
        m.extend(text(rng));
    }
    m
}

/// A payload of one of the kinds the printers tell apart.
fn payload(rng: &mut StdRng) -> Vec<u8> {
    match rng.gen_range(0..10) {
        0..=5 => text(rng),
        6 | 7 => telnet(rng),
        8 => {
            let n = rng.gen_range(1..64);
            bytes(rng, n)
        }
        _ => {
            let mut m = b"SSH-2.0-".to_vec();
            m.extend(text(rng));
            m
        }
    }
}

/// TCP segments on the chain's ports, a quarter of them cut at a random point of the capture,
/// a few of them RSTs (whose data `-v` prints instead of the port's printer).
fn tcp_frames(rng: &mut StdRng, n: usize) -> Vec<(Vec<u8>, u32)> {
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let m = payload(rng);
        let v6 = rng.gen_bool(0.3);
        let port = pick(rng, TCP_PORTS);
        let peer = pick(rng, &[40000u16, 1024, 80, 22]);
        let ports = if rng.gen() {
            (port, peer)
        } else {
            (peer, port)
        };
        let flags = if rng.gen_ratio(1, 20) { 0x14 } else { 0x18 };
        let cut = (i % 4 == 2).then(|| {
            let hdr = if v6 { 14 + 40 + 20 } else { 14 + 20 + 20 };
            hdr + rng.gen_range(0..=m.len())
        });
        out.push(tcp_frame(v6, ports, flags, rng.gen(), &m, cut));
    }
    out
}

#[test]
fn random_tcp_application_payloads_print_as_tcpdump() {
    let mut rng = StdRng::seed_from_u64(0x5443_5001);
    let pkts = tcp_frames(&mut rng, 3000);
    compare("tcp-app", 1, &pkts, FLAG_SETS);
}

#[test]
fn random_sip_over_udp_prints_as_tcpdump() {
    let mut rng = StdRng::seed_from_u64(0x5349_5001);
    let pkts: Vec<(Vec<u8>, u32)> = (0..1500)
        .map(|i| {
            let m = text(&mut rng);
            let v6 = rng.gen_bool(0.3);
            let cut = (i % 4 == 2).then(|| {
                let hdr = if v6 { 14 + 40 + 8 } else { 14 + 20 + 8 };
                hdr + rng.gen_range(0..=m.len())
            });
            let peer = pick(&mut rng, &[40000u16, 5060]);
            udp_frame(v6, peer, 5060, &m, cut)
        })
        .collect();
    compare("sip", 1, &pkts, FLAG_SETS);
}
