//! Benchmark: `echolab dump -r FILE FLAGS > /dev/null` against `tcpdump -r FILE FLAGS >
//! /dev/null` on the same file in the same run, for the flag sets `-nn`, `-nne`, `-nnv` and
//! `-nnvvXS`.
//!
//! `cargo bench --bench dump` builds two pcaps of one million packets each
//! (`ECHOLAB_BENCH_PACKETS=10000000` for ten million): echo sessions, and the application
//! protocols of the committed fixtures (DNS, mDNS, DHCP, DHCPv6, NTP, SNMP, TFTP, syslog,
//! RADIUS, HTTP, FTP, SMTP, SIP, RTSP, SSH, telnet, whois…) repeated. For each file and flag
//! set it checks that both programs print the same bytes (SHA-256 of each stream), times
//! each run with `/usr/bin/time` and reports wall time, peak resident memory and the ratio.
//! Target: echolab at least 5x faster than tcpdump everywhere, peak RSS no higher. Exits 1
//! when any output differs. `ECHOLAB_BENCH_KEEP=DIR` keeps a copy of both files in DIR.
//!
//! It also reads and prints the file in-process with a counting allocator, to show that the
//! reader and printer allocate nothing per packet once their buffers have grown.

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};

use echolab::capture::pcap::{Reader, Writer};
use echolab::capture::print::{PrintOptions, Printer};
use echolab::capture::record::{LinkType, Timestamp};
use sha2::{Digest, Sha256};

mod common;
use common::timed;

const FLAG_SETS: [&str; 4] = ["-nn", "-nne", "-nnv", "-nnvvXS"];

/// The fixture groups whose pcaps make the application-protocol file.
const APP_GROUPS: [&str; 6] = ["dns", "bootp", "ntp", "snmp", "udpapps", "txt"];

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

/// Builds `apps.pcap` in `dir`: the Ethernet packets of the application-protocol fixtures
/// (not the ones cut short on purpose), repeated 10 microseconds apart until `n`.
fn app_file(dir: &Path, n: u64) -> std::path::PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/dump");
    let mut packets: Vec<(Vec<u8>, u32)> = Vec::new();
    for group in APP_GROUPS {
        let mut files: Vec<_> = std::fs::read_dir(root.join(group))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "pcap"))
            .filter(|p| !p.to_string_lossy().contains("trunc"))
            .collect();
        files.sort();
        for f in files {
            let mut r = Reader::new(std::fs::File::open(&f).unwrap()).unwrap();
            if r.link() != LinkType::Ethernet {
                continue;
            }
            while let Some(rec) = r.next_record().unwrap() {
                packets.push((rec.data.to_vec(), rec.len));
            }
        }
    }
    let path = dir.join("apps.pcap");
    let file = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(&path).unwrap());
    let mut w = Writer::new(file, LinkType::Ethernet, 262_144, false).unwrap();
    for (i, (data, len)) in (0..n).zip(packets.iter().cycle()) {
        let t = 1_700_000_000_000_000 + i * 10;
        let ts = Timestamp {
            sec: (t / 1_000_000) as i64,
            nsec: (t % 1_000_000) as u32 * 1000,
        };
        w.write(ts, data, *len).unwrap();
    }
    drop(w.into_inner());
    println!(
        "built {n} packets of {} application-protocol fixture packets ({:.1} MB)",
        packets.len(),
        std::fs::metadata(&path).unwrap().len() as f64 / 1e6
    );
    path
}

fn main() {
    let echolab = common::ECHOLAB;
    let (dir, echo) = common::echo_file();
    let apps = app_file(dir.path(), common::packets());
    if let Some(keep) = std::env::var_os("ECHOLAB_BENCH_KEEP") {
        // Keeps copies of both files (for profiling the same input later).
        let keep = Path::new(&keep);
        std::fs::create_dir_all(keep).unwrap();
        for f in [&echo, &apps] {
            std::fs::copy(f, keep.join(f.file_name().unwrap())).unwrap();
        }
        println!("kept echo.pcap and apps.pcap in {}", keep.display());
    }

    let (packets, allocs, _) = allocations(&echo);
    println!(
        "in-process: {allocs} allocations over the last {packets} packets ({:.4} per packet)",
        allocs as f64 / packets.max(1) as f64
    );

    println!(
        "{:<6} {:<8} {:>10} {:>10} {:>8} {:>9} {:>12} {:>12}  output",
        "file",
        "flags",
        "tcpdump s",
        "echolab s",
        "speedup",
        "cpu ratio",
        "tcpdump KiB",
        "echolab KiB"
    );
    let (mut all_same, mut met) = (true, true);
    for (name, file) in [("echo", &echo), ("apps", &apps)] {
        let path = file.to_str().unwrap();
        for flags in FLAG_SETS {
            let t_args = ["-r", path, flags];
            let e_args = ["dump", "-r", path, flags];
            let (th, tn) = digest("tcpdump", &t_args);
            let (eh, en) = digest(echolab, &e_args);
            let same = th == eh;
            let tt = timed("tcpdump", &t_args, dir.path());
            let et = timed(echolab, &e_args, dir.path());
            let speedup = tt.wall / et.wall.max(1e-9);
            println!(
                "{name:<6} {flags:<8} {:>10.2} {:>10.2} {:>7.2}x {:>8.2}x {:>12} {:>12}  {}",
                tt.wall,
                et.wall,
                speedup,
                tt.cpu / et.cpu.max(1e-9),
                tt.rss_kib,
                et.rss_kib,
                if same {
                    format!("identical ({en} bytes)")
                } else {
                    format!("DIFFER (tcpdump {tn} bytes, echolab {en})")
                }
            );
            all_same &= same;
            met &= speedup >= 5.0 && et.rss_kib <= tt.rss_kib;
        }
    }
    println!(
        "target: >= 5x faster and RSS <= tcpdump's for every file and flag set: {}",
        if met { "met" } else { "NOT met" }
    );
    if !all_same {
        std::process::exit(1);
    }
}
