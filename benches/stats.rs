//! Benchmark: `echolab stats -r FILE` against `echolab dump -nn -r FILE > /dev/null` and
//! against `tshark -q -z conv,tcp -z conv,udp -r FILE` on the same file in the same run.
//!
//! `cargo bench --bench stats` builds a pcap of one million echo-session packets
//! (`ECHOLAB_BENCH_PACKETS` for another count), times each program with `/usr/bin/time` and
//! prints wall time, CPU time, peak resident memory and both ratios. Targets: stats at most
//! 1.5x the time of `dump -nn`, at least 3x faster than tshark.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use echolab::capture::pcap::Writer;
use echolab::capture::record::{LinkType, Timestamp};
use echolab::capture::synth;

/// Writes `n` packets of echo sessions (each up to 10,000 exchanges), 10 microseconds apart.
fn build(path: &Path, n: u64) -> u64 {
    let file = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(path).unwrap());
    let mut w = Writer::new(file, LinkType::Ethernet, 262_144, false).unwrap();
    let mut i = 0u64;
    let mut port = 40000u16;
    while i < n {
        let lines = ((n - i) / 3).clamp(1, 10_000);
        synth::echo_session(port, lines, |p| {
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
        port = if port >= 48000 { 40000 } else { port + 1 };
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
        .stdout(Stdio::from(std::fs::File::create("/dev/null").unwrap()))
        .stderr(Stdio::null())
        .status()
        .expect("run /usr/bin/time (apt-get install -y time)");
    let wall = start.elapsed().as_secs_f64();
    assert!(status.success(), "{prog} failed: {status}");
    let text = std::fs::read_to_string(&report).unwrap();
    let f: Vec<f64> = text
        .split_whitespace()
        .map(|v| v.parse().unwrap_or(0.0))
        .collect();
    Timing {
        wall,
        cpu: f.get(1).unwrap_or(&0.0) + f.get(2).unwrap_or(&0.0),
        rss_kib: *f.get(3).unwrap_or(&0.0) as u64,
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
    let file = dir.path().join("echo.pcap");
    let t = Instant::now();
    let written = build(&file, n);
    println!(
        "built {written} packets ({:.1} MB) in {:.1}s",
        std::fs::metadata(&file).unwrap().len() as f64 / 1e6,
        t.elapsed().as_secs_f64()
    );
    let path = file.to_str().unwrap();
    let stats = timed(echolab, &["stats", "-r", path], dir.path());
    let dump = timed(echolab, &["dump", "-nn", "-r", path], dir.path());
    let tshark_args = ["-q", "-z", "conv,tcp", "-z", "conv,udp", "-r", path];
    let tshark = timed("tshark", &tshark_args, dir.path());
    println!("                  wall s    cpu s   peak RSS KiB");
    for (name, t) in [("stats", &stats), ("dump -nn", &dump), ("tshark", &tshark)] {
        println!(
            "{name:<12} {:>10.2} {:>8.2} {:>14}",
            t.wall, t.cpu, t.rss_kib
        );
    }
    let vs_dump = stats.wall / dump.wall.max(1e-9);
    let vs_tshark = tshark.wall / stats.wall.max(1e-9);
    println!(
        "stats / dump -nn: {vs_dump:.2}x (target <= 1.5x: {})",
        if vs_dump <= 1.5 { "met" } else { "NOT met" }
    );
    println!(
        "tshark / stats:   {vs_tshark:.2}x faster (target >= 3x: {})",
        if vs_tshark >= 3.0 { "met" } else { "NOT met" }
    );
}
