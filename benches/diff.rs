//! Benchmark: `echolab diff FILE FILE > /dev/null` against `echolab dump -r FILE -nn >
//! /dev/null` on the same file in the same run.
//!
//! `cargo bench --bench diff` builds a pcap of one million echo-session packets
//! (`ECHOLAB_BENCH_PACKETS` for another count), in one conversation and in many
//! conversations of ten exchanges, and times each command with `/usr/bin/time`: wall time,
//! CPU time, peak resident memory and the ratio of diff to dump. Target: diff about the time
//! of `dump -nn` (reading both files, cutting and comparing them is linear, as printing is).

mod common;
use common::{build, timed};

fn main() {
    let n = common::packets();
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
        // CPU time says the same without what other programs on the machine take.
        let cpu = diff.cpu / dump.cpu.max(1e-9);
        println!("diff / dump CPU time: {cpu:.2}");
        met &= ratio <= 1.3;
    }
    println!(
        "target: diff about the time of dump -nn (wall time at most 1.3x): {}",
        if met { "met" } else { "NOT met" }
    );
}
