//! Benchmark: `echolab diff FILE FILE > /dev/null` against `echolab dump -r FILE -nn >
//! /dev/null` on the same file in the same run.
//!
//! `cargo bench --bench diff` builds a pcap of one million echo-session packets
//! (`ECHOLAB_BENCH_PACKETS` for another count), in one conversation and in many
//! conversations of ten exchanges, and times each command with `/usr/bin/time`: wall time,
//! CPU time, peak resident memory and the ratio of diff to dump. Target: diff about the time
//! of `dump -nn` (reading both files, cutting and comparing them is linear, as printing is).

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use echolab::capture::pcap::Writer;
use echolab::capture::record::{LinkType, Timestamp};
use echolab::capture::synth;

/// Writes `n` packets of echo sessions of `lines` exchanges each, 10 microseconds apart.
fn build(path: &Path, n: u64, lines: u64) -> u64 {
    let file = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(path).unwrap());
    let mut w = Writer::new(file, LinkType::Ethernet, 262_144, false).unwrap();
    let mut i = 0u64;
    let mut port = 40000u16;
    while i < n {
        synth::echo_session(port, lines.min((n - i) / 3).max(1), |p| {
            if i < n {
                let t = 1_700_000_000_000_000 + i * 10;
                let ts = Timestamp {
                    sec: (t / 1_000_000) as i64,
                    nsec: (t % 1_000_000) as u32 * 1000,
                };
                w.write(ts, p, p.len() as u32).unwrap();
                i += 1;
            }
        });
        port = if port >= 65000 { 40000 } else { port + 1 };
    }
    drop(w.into_inner());
    i
}

/// One timed run: wall seconds, CPU seconds (user + system), peak RSS in KiB.
struct Timing {
    wall: f64,
    cpu: f64,
    rss_kib: u64,
}

fn timed(prog: &str, args: &[&str], dir: &Path) -> Timing {
    let report = dir.join("time.out");
    let start = Instant::now();
    let status = Command::new("/usr/bin/time")
        .arg("-f")
        .arg("%e %U %S %M")
        .arg("-o")
        .arg(&report)
        .arg(prog)
        .args(args)
        .env("TZ", "UTC")
        .stdout(Stdio::from(std::fs::File::create("/dev/null").unwrap()))
        .stderr(Stdio::null())
        .status()
        .expect("run /usr/bin/time (apt-get install -y time)");
    let wall = start.elapsed().as_secs_f64();
    // diff exits 0 for equivalent captures, and a file is equivalent to itself.
    assert!(status.success(), "{prog} {args:?} failed: {status}");
    let text = std::fs::read_to_string(&report).unwrap();
    let f: Vec<f64> = text
        .split_whitespace()
        .filter_map(|w| w.parse().ok())
        .collect();
    Timing {
        wall,
        cpu: f.get(1).copied().unwrap_or(0.0) + f.get(2).copied().unwrap_or(0.0),
        rss_kib: f.get(3).copied().unwrap_or(0.0) as u64,
    }
}

fn main() {
    // `cargo bench` passes `--bench`; nothing else is taken from the command line.
    let n: u64 = std::env::var("ECHOLAB_BENCH_PACKETS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let echolab = env!("CARGO_BIN_EXE_echolab");
    let dir = tempfile::tempdir().unwrap();
    let mut met = true;
    for (name, lines) in [("one conversation", n), ("conversations of 10 echoes", 10)] {
        let file = dir.path().join("echo.pcap");
        let written = build(&file, n, lines);
        let path = file.to_str().unwrap();
        println!("{name}: {written} packets");
        let dump = timed(echolab, &["dump", "-r", path, "-nn"], dir.path());
        let diff = timed(echolab, &["diff", path, path], dir.path());
        println!("                     wall s    cpu s   peak RSS KiB");
        for (what, t) in [("dump -r FILE -nn", &dump), ("diff FILE FILE", &diff)] {
            println!(
                "{what:<18} {:>8.2} {:>8.2} {:>14}",
                t.wall, t.cpu, t.rss_kib
            );
        }
        let ratio = diff.wall / dump.wall.max(1e-9);
        println!("diff / dump wall time: {ratio:.2}");
        met &= ratio <= 1.5;
    }
    println!(
        "target: diff about the time of dump -nn (at most 1.5x): {}",
        if met { "met" } else { "NOT met" }
    );
}
