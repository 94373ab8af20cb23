//! What the benchmarks share: the echo-session capture they time programs on, and one timed
//! run of a program through `/usr/bin/time`. Each benchmark uses part of it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use echolab::capture::pcap::Writer;
use echolab::capture::record::{LinkType, Timestamp};
use echolab::capture::synth;

/// Writes `n` packets of echo sessions (each of at most `lines` exchanges), 10 microseconds
/// apart; returns the count written.
pub fn build(path: &Path, n: u64, lines: u64) -> u64 {
    let file = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(path).unwrap());
    let mut w = Writer::new(file, LinkType::Ethernet, 262_144, false).unwrap();
    let mut i = 0u64;
    let mut port = 40000u16;
    while i < n {
        let exchanges = ((n - i) / 3).clamp(1, lines.max(1));
        synth::echo_session(port, exchanges, |p| {
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

/// The program under test.
pub const ECHOLAB: &str = env!("CARGO_BIN_EXE_echolab");

/// A temporary directory holding `echo.pcap`: [`packets`] packets of sessions of up to
/// 10,000 exchanges, built and announced with its size and the time it took.
pub fn echo_file() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("echo.pcap");
    let t = Instant::now();
    let written = build(&file, packets(), 10_000);
    println!(
        "built {written} packets ({:.1} MB) in {:.1}s",
        std::fs::metadata(&file).unwrap().len() as f64 / 1e6,
        t.elapsed().as_secs_f64()
    );
    (dir, file)
}

/// One timed run: wall seconds, CPU seconds (user + system), peak RSS in KiB.
pub struct Timing {
    pub wall: f64,
    pub cpu: f64,
    pub rss_kib: u64,
}

/// Runs `prog args` (stdout to /dev/null, `TZ=UTC`) under `/usr/bin/time`, which must succeed.
pub fn timed(prog: &str, args: &[&str], dir: &Path) -> Timing {
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

/// The packet count to build: `ECHOLAB_BENCH_PACKETS`, else one million (`cargo bench`
/// passes `--bench`; nothing is taken from the command line).
pub fn packets() -> u64 {
    std::env::var("ECHOLAB_BENCH_PACKETS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000)
}
