//! What the differential tests share: writing their packets to a pcap and requiring that
//! tcpdump and `echolab dump` print it identically under every flag set, showing the first
//! differing packet (index, bytes, both texts) when they do not.

#![allow(dead_code)]

use std::path::Path;
use std::process::Command;

use rand::rngs::StdRng;
use rand::Rng;

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
pub fn compare(name: &str, linktype: u32, pkts: &[(Vec<u8>, u32)], flag_sets: &[&[&str]]) {
    require("tcpdump");
    let dir = tempfile::tempdir().unwrap();
    let pcap = dir.path().join(format!("{name}.pcap"));
    write_pcap(&pcap, linktype, pkts);
    let path = pcap.to_str().unwrap();
    let failures: Vec<String> = flag_sets
        .iter()
        .filter_map(|flags| compare_once(path, flags, pkts))
        .map(|f| format!("{name} {f}"))
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
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
