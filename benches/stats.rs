//! Benchmark: `echolab stats -r FILE` against `echolab dump -nn -r FILE > /dev/null` and
//! against `tshark -q -z conv,tcp -z conv,udp -r FILE` on the same file in the same run.
//!
//! `cargo bench --bench stats` builds a pcap of one million echo-session packets
//! (`ECHOLAB_BENCH_PACKETS` for another count), times each program with `/usr/bin/time` and
//! prints wall time, CPU time, peak resident memory and both ratios. Targets: stats at most
//! 1.5x the time of `dump -nn`, at least 3x faster than tshark.

mod common;
use common::timed;

fn main() {
    let echolab = common::ECHOLAB;
    let (dir, file) = common::echo_file();
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
