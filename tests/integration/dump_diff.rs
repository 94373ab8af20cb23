//! Differential test: thousands of seeded random and mutated IPv4/IPv6 TCP/UDP/ICMP packets
//! (`capture::synth`), written to one pcap, printed by tcpdump and by `echolab dump` with
//! several flag sets; the outputs must be identical. On a mismatch the first differing
//! packet is shown: its index, its bytes, and both texts.
//!
//! tcpdump is required (CI installs it); the test fails, saying so, when it is missing.

use std::path::Path;
use std::process::Command;

use echolab::capture::pcap::Writer;
use echolab::capture::record::{LinkType, Timestamp};
use echolab::capture::synth;

use crate::util::{have, run_env};

const SEED: u64 = 0x0ec4_01ab;
const VALID: usize = 2500;
const MUTATED: usize = 2500;
const T0: i64 = 1_700_000_000;

const FLAG_SETS: &[&[&str]] = &[
    &["-nnvvXS"],
    &["-nn"],
    &["-nnv"],
    &["-nnq"],
    &["-nne", "-x"],
    &["-nnvvv", "-K"],
    &["-nnS", "-A"],
];

/// The packets: `(captured bytes, on-wire length)`.
fn packets() -> Vec<(Vec<u8>, u32)> {
    let mut rng = synth::rng(SEED);
    let mut out = Vec::with_capacity(VALID + MUTATED);
    for _ in 0..VALID {
        let p = synth::random_packet(&mut rng);
        let len = p.len() as u32;
        out.push((p, len));
    }
    for _ in 0..MUTATED {
        let p = synth::random_packet(&mut rng);
        out.push(synth::mutate(&mut rng, &p));
    }
    out
}

/// Packet `i` is stamped `T0 + i` seconds: every packet's text starts with its own time.
fn write_pcap(path: &Path, pkts: &[(Vec<u8>, u32)]) {
    let file = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    let mut w = Writer::new(file, LinkType::Ethernet, 262_144, false).unwrap();
    for (i, (data, len)) in pkts.iter().enumerate() {
        let ts = Timestamp {
            sec: T0 + i as i64,
            nsec: (i as u32 % 1000) * 1000,
        };
        w.write(ts, data, *len).unwrap();
    }
    drop(w.into_inner());
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

#[test]
fn random_and_mutated_packets_print_as_tcpdump() {
    assert!(
        have("tcpdump"),
        "tcpdump is not installed: the differential test needs it (apt-get install -y tcpdump)"
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("diff.pcap");
    let pkts = packets();
    write_pcap(&path, &pkts);
    let mut failures = Vec::new();
    for flags in FLAG_SETS {
        let t = Command::new("tcpdump")
            .arg("-r")
            .arg(&path)
            .args(*flags)
            .env("TZ", "UTC")
            .output()
            .unwrap();
        let mut args = vec!["dump", "-r", path.to_str().unwrap()];
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
            continue;
        }
        let (tp, ep) = (split(&ts), split(&es));
        let differ: Vec<usize> = (0..tp.len().max(ep.len()))
            .filter(|&i| tp.get(i) != ep.get(i))
            .collect();
        let i = differ[0];
        let (data, len) = pkts
            .get(i)
            .map(|(d, l)| (d.as_slice(), *l))
            .unwrap_or((&[], 0));
        failures.push(format!(
            "flags {flags:?}: {} of {} packets differ; first is packet {i} \
             (caplen {}, len {len}):\n    {}\n  tcpdump: {:?}\n  echolab: {:?}",
            differ.len(),
            pkts.len(),
            data.len(),
            hex(data),
            tp.get(i).map(String::as_str).unwrap_or("<none>"),
            ep.get(i).map(String::as_str).unwrap_or("<none>"),
        ));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
