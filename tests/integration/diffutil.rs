//! What the differential tests share: writing their packets to a pcap and requiring that
//! tcpdump and `echolab dump` print it identically under every flag set, showing the first
//! differing packet (index, bytes, both texts) when they do not.

#![allow(dead_code)]

use std::path::Path;
use std::process::Command;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::util::{require, run_env};

/// The first packet's time stamp (seconds).
pub const T0: u32 = 1_700_000_000;

/// `n` random bytes.
pub fn bytes(rng: &mut StdRng, n: usize) -> Vec<u8> {
    (0..n).map(|_| rng.gen()).collect()
}

/// One of `from`, at random.
pub fn pick<T: Copy>(rng: &mut StdRng, from: &[T]) -> T {
    from[rng.gen_range(0..from.len())]
}

/// Write `pkts` (`(captured bytes, on-wire length)`) as a little-endian microsecond pcap of
/// link type `linktype`. Packet `i` is stamped `T0 + i` seconds and `i % 1000` microseconds:
/// every packet's text starts with its own time.
pub fn write_pcap(path: &Path, linktype: u32, pkts: &[(Vec<u8>, u32)]) {
    let mut b = Vec::new();
    for v in [0xa1b2_c3d4u32, 0x0004_0002, 0, 0, 262_144, linktype] {
        b.extend_from_slice(&v.to_le_bytes());
    }
    for (i, (data, len)) in pkts.iter().enumerate() {
        for v in [T0 + i as u32, i as u32 % 1000, data.len() as u32, *len] {
            b.extend_from_slice(&v.to_le_bytes());
        }
        b.extend_from_slice(data);
    }
    std::fs::write(path, b).unwrap();
}

/// Write `pkts` (link type `linktype`) to a pcap named after `name`, print it with every flag
/// set through tcpdump and echolab (`TZ=UTC`), and require both to succeed with the same
/// text. Every flag set is tried; the failure names each one that differs.
pub fn compare(name: &str, linktype: u32, pkts: &[(Vec<u8>, u32)], flag_sets: impl FlagSets) {
    require("tcpdump");
    let dir = tempfile::tempdir().unwrap();
    let pcap = dir.path().join(format!("{name}.pcap"));
    write_pcap(&pcap, linktype, pkts);
    let path = pcap.to_str().unwrap();
    let failures: Vec<String> = flag_sets
        .sets()
        .iter()
        .filter_map(|flags| compare_once(path, flags, pkts))
        .map(|f| format!("{name} {f}"))
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// [`compare`] for the packets `make` draws from a generator seeded with `seed`.
pub fn compare_seeded(
    name: &str,
    linktype: u32,
    seed: u64,
    flag_sets: impl FlagSets,
    make: impl FnOnce(&mut StdRng) -> Vec<(Vec<u8>, u32)>,
) {
    let mut rng = StdRng::seed_from_u64(seed);
    compare(name, linktype, &make(&mut rng), flag_sets);
}

/// The flag sets a differential test prints with: `"-nn, -nnv, -nne -x"` (sets separated by
/// commas, a set's arguments by spaces), or the sets as slices.
pub trait FlagSets {
    fn sets(&self) -> Vec<Vec<&str>>;
}

impl FlagSets for &str {
    fn sets(&self) -> Vec<Vec<&str>> {
        self.split(',')
            .map(|set| set.split_whitespace().collect())
            .collect()
    }
}

impl FlagSets for &[&[&str]] {
    fn sets(&self) -> Vec<Vec<&str>> {
        self.iter().map(|set| set.to_vec()).collect()
    }
}

/// One flag set: `None` when both texts agree, else the report of the first difference.
fn compare_once(path: &str, flags: &[&str], pkts: &[(Vec<u8>, u32)]) -> Option<String> {
    let t = Command::new("tcpdump")
        .args(["-r", path])
        .args(flags)
        .env("TZ", "UTC")
        .output()
        .unwrap();
    let mut args = vec!["dump", "-r", path];
    args.extend_from_slice(flags);
    let e = run_env("echolab", &args, b"", &[("TZ", "UTC")]);
    assert_eq!(t.status.code(), Some(0), "tcpdump {flags:?} failed");
    assert_eq!(
        e.status.code(),
        Some(0),
        "echolab {flags:?}: {:?}",
        e.stderr
    );
    let (ts, es) = (
        String::from_utf8_lossy(&t.stdout),
        String::from_utf8_lossy(&e.stdout),
    );
    if ts == es {
        return None;
    }
    let (tp, ep) = (split(&ts), split(&es));
    let differ: Vec<usize> = (0..tp.len().max(ep.len()))
        .filter(|&i| tp.get(i) != ep.get(i))
        .collect();
    let i = differ.first().copied().unwrap_or(0);
    let (data, len) = pkts
        .get(i)
        .map(|(d, l)| (d.as_slice(), *l))
        .unwrap_or((&[], 0));
    Some(format!(
        "flags {flags:?}: {} of {} packets differ; first is packet {i} \
         (caplen {}, len {len}):\n    {}\n  tcpdump: {:?}\n  echolab: {:?}",
        differ.len(),
        pkts.len(),
        data.len(),
        hex(data),
        tp.get(i).map(String::as_str).unwrap_or("<none>"),
        ep.get(i).map(String::as_str).unwrap_or("<none>"),
    ))
}

/// Splits a text into packets at lines starting with a time stamp (`HH:MM:SS.uuuuuu `).
fn split(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for line in text.split_inclusive('\n') {
        let b = line.as_bytes();
        let starts = b.len() > 16
            && b[2] == b':'
            && b[5] == b':'
            && b[8] == b'.'
            && b[15] == b' '
            && b[..2].iter().all(u8::is_ascii_digit);
        match out.last_mut() {
            Some(last) if !starts => last.push_str(line),
            _ => out.push(line.to_string()),
        }
    }
    out
}

/// Bytes as hex, 16 to a line.
fn hex(data: &[u8]) -> String {
    data.chunks(16)
        .map(|c| {
            c.iter()
                .map(|b| format!("{b:02x}"))
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect::<Vec<_>>()
        .join("\n    ")
}

/// An Ethernet frame (zero MACs, as on `lo`) carrying the transport segment `seg` of IP
/// protocol `proto`, from 127.0.0.1 to 192.0.2.1 or from ::1 to 2001:db8::1 when `v6`; the
/// transport checksum is computed into `seg` at `sum_at`. `(captured bytes, on-wire length)`,
/// the capture cut to `caplen` bytes when given.
pub fn ip_frame(
    v6: bool,
    proto: u8,
    mut seg: Vec<u8>,
    sum_at: usize,
    caplen: Option<usize>,
) -> (Vec<u8>, u32) {
    use echolab::capture::wire::checksum;
    use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
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
    let sum = checksum::transport_checksum(src, dst, proto, &seg);
    seg[sum_at..sum_at + 2].copy_from_slice(&sum.to_be_bytes());
    let mut f = vec![0u8; 12];
    match (src, dst) {
        (IpAddr::V4(s), IpAddr::V4(d)) => {
            f.extend_from_slice(&[0x08, 0x00]);
            let total = (20 + seg.len()) as u16;
            let mut h = vec![0x45, 0, 0, 0, 0x12, 0x34, 0x40, 0, 64, proto, 0, 0];
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
            f.extend_from_slice(&[proto, 64]);
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

/// How a differential test spoils message `i` of a protocol, built valid: not at all (two in
/// four), a capture cut at a random point past the `hdr` bytes of headers before it (the cut
/// is returned), or a message made shorter, or longer by up to `grow` bytes, than its length
/// fields say.
pub fn damage(
    rng: &mut StdRng,
    i: usize,
    m: &mut Vec<u8>,
    hdr: usize,
    grow: usize,
) -> Option<usize> {
    match i % 4 {
        0 | 1 => None,
        2 => Some(hdr + rng.gen_range(0..=m.len())),
        _ => {
            if rng.gen() {
                let keep = rng.gen_range(0..=m.len());
                m.truncate(keep);
            } else {
                let more = rng.gen_range(1..grow);
                m.extend(bytes(rng, more));
            }
            None
        }
    }
}

/// `n` frames of `make`, each spoiled as [`damage`] spoils it (up to 12 bytes added): the
/// captured bytes and the on-wire length.
pub fn damaged_frames(
    rng: &mut StdRng,
    n: usize,
    make: fn(&mut StdRng) -> Vec<u8>,
) -> Vec<(Vec<u8>, u32)> {
    (0..n)
        .map(|i| {
            let mut f = make(rng);
            let cut = damage(rng, i, &mut f, 0, 12);
            let len = f.len() as u32;
            if let Some(c) = cut {
                f.truncate(c);
            }
            (f, len)
        })
        .collect()
}

/// An IPv6 header with a UDP header after it, lengths right.
pub fn ipv6_udp() -> Vec<u8> {
    let mut m = vec![0x60, 0, 0, 0, 0, 10, 17, 64];
    m.extend([0x20, 0x01, 0x0d, 0xb8]);
    m.extend([0; 11]);
    m.push(1);
    m.extend([0x20, 0x01, 0x0d, 0xb8]);
    m.extend([0; 11]);
    m.push(2);
    m.extend([0x13, 0x88, 0x13, 0x89, 0, 10, 0, 0, b'v', b'6']);
    m
}
