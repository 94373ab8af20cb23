//! Benchmark: `echolab dump -r FILE -nnvvXS > /dev/null` against
//! `tcpdump -r FILE -nnvvXS > /dev/null` on the same file in the same run.
//!
//! `cargo bench --bench dump` builds a pcap of one million echo-session packets
//! (`ECHOLAB_BENCH_PACKETS=10000000` for ten million), checks that both programs print the
//! same bytes (SHA-256 of each stream), then times each run with `/usr/bin/time` and reports
//! wall time, CPU time, peak resident memory and the ratios. Target: echolab at least 3x
//! faster than tcpdump, peak RSS no higher. Exits 1 when the outputs differ.
//!
//! It also reads and prints the file in-process with a counting allocator, to show that the
//! reader and printer allocate nothing per packet once their buffers have grown.

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};

use echolab::capture::pcap::Reader;
use echolab::capture::print::{PrintOptions, Printer};
use sha2::{Digest, Sha256};

mod common;
use common::timed;

const FLAGS: &[&str] = &["-nnvvXS"];

/// The system allocator, counting allocations (no `unsafe` here: stats_alloc wraps it).
#[global_allocator]
static GLOBAL: &stats_alloc::StatsAlloc<std::alloc::System> = &stats_alloc::INSTRUMENTED_SYSTEM;

fn allocs_so_far() -> u64 {
    let s = GLOBAL.stats();
    (s.allocations + s.reallocations) as u64
}

/// Reads and prints the file as `-nnvvXS` would, in-process; returns (packets, allocations
/// made while printing the second half of the file, output bytes).
fn allocations(path: &Path) -> (u64, u64, u64) {
    let file = std::io::BufReader::with_capacity(1 << 17, std::fs::File::open(path).unwrap());
    let mut reader = Reader::new(file).unwrap();
    let mut printer = Printer::new(PrintOptions {
        n: 2,
        v: 2,
        xx: 1,
        s_abs: 1,
        tz: Some(jiff::tz::TimeZone::UTC),
        ..PrintOptions::default()
    });
    let mut out = String::with_capacity(1 << 12);
    let (mut n, mut bytes) = (0u64, 0u64);
    let total = std::fs::metadata(path).unwrap().len();
    let mut before = None;
    while let Some(rec) = reader.next_record().unwrap() {
        out.clear();
        printer.print(&rec, &mut out);
        bytes += out.len() as u64;
        n += 1;
        if before.is_none() && n % 1024 == 0 && bytes > total / 4 {
            before = Some((n, allocs_so_far()));
        }
    }
    let (n0, a0) = before.unwrap_or((0, 0));
    (n - n0, allocs_so_far() - a0, bytes)
}

/// Runs `prog args` with stdout into SHA-256; returns the digest and byte count.
fn digest(prog: &str, args: &[&str]) -> (String, u64) {
    let mut child = Command::new(prog)
        .args(args)
        .env("TZ", "UTC")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {prog}: {e}"));
    let mut out = child.stdout.take().unwrap();
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    let mut total = 0u64;
    loop {
        let n = out.read(&mut buf).unwrap();
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
        total += n as u64;
    }
    child.wait().unwrap();
    (hex::encode(h.finalize()), total)
}

fn main() {
    let echolab = common::ECHOLAB;
    let (dir, file) = common::echo_file();
    let path = file.to_str().unwrap();
    let mut e_args = vec!["dump", "-r", path];
    e_args.extend_from_slice(FLAGS);
    let mut t_args = vec!["-r", path];
    t_args.extend_from_slice(FLAGS);

    let (packets, allocs, _) = allocations(&file);
    println!(
        "in-process: {allocs} allocations over the last {packets} packets ({:.4} per packet)",
        allocs as f64 / packets.max(1) as f64
    );

    let (th, tn) = digest("tcpdump", &t_args);
    let (eh, en) = digest(echolab, &e_args);
    let same = th == eh;
    println!("tcpdump output {tn} bytes sha256 {th}");
    println!("echolab output {en} bytes sha256 {eh}");
    println!("outputs {}", if same { "identical" } else { "DIFFER" });

    let tt = timed("tcpdump", &t_args, dir.path());
    let et = timed(echolab, &e_args, dir.path());
    println!("                wall s    cpu s   peak RSS KiB");
    println!(
        "tcpdump     {:>10.2} {:>8.2} {:>14}",
        tt.wall, tt.cpu, tt.rss_kib
    );
    println!(
        "echolab     {:>10.2} {:>8.2} {:>14}",
        et.wall, et.cpu, et.rss_kib
    );
    println!(
        "speedup     {:>10.2}x {:>7.2}x   RSS ratio {:.2}",
        tt.wall / et.wall.max(1e-9),
        tt.cpu / et.cpu.max(1e-9),
        et.rss_kib as f64 / tt.rss_kib.max(1) as f64
    );
    println!(
        "target: >= 3x faster, RSS <= tcpdump's: {}",
        if tt.wall / et.wall.max(1e-9) >= 3.0 && et.rss_kib <= tt.rss_kib {
            "met"
        } else {
            "NOT met"
        }
    );
    if !same {
        std::process::exit(1);
    }
}
