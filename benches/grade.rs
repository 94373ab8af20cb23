//! Benchmark: `echolab grade` of 1,000 submissions against 1,000 separate `echolab diff`
//! runs of the same files, in the same run.
//!
//! `cargo bench --bench grade` writes a reference and 1,000 submissions (echo sessions of
//! ten exchanges; every tenth one of nine, so some differ), grades them in
//! one `grade --csv` run and diffs each with its own process, and prints both wall times and
//! their ratio. Target: grade at least 4 times as fast as the separate runs.

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::Instant;

use echolab::capture::pcap::Writer;
use echolab::capture::record::{LinkType, Timestamp};
use echolab::capture::synth;

const SUBMISSIONS: usize = 1000;

/// An echo session of `lines` exchanges.
fn write(path: &std::path::Path, port: u16, lines: u64) {
    let mut frames = Vec::new();
    synth::echo_session(port, lines, |f| frames.push(f.to_vec()));
    let file = std::fs::File::create(path).unwrap();
    let mut w = Writer::new(file, LinkType::Ethernet, 262_144, false).unwrap();
    for (i, f) in frames.iter().enumerate() {
        let ts = Timestamp {
            sec: 1_700_000_000,
            nsec: i as u32 * 1000,
        };
        w.write(ts, f, f.len() as u32).unwrap();
    }
    drop(w.into_inner());
}

fn main() {
    let echolab = env!("CARGO_BIN_EXE_echolab");
    let dir = tempfile::tempdir().unwrap();
    let reference = dir.path().join("reference.pcap");
    write(&reference, 40000, 10);
    let subs = dir.path().join("submissions");
    std::fs::create_dir(&subs).unwrap();
    let files: Vec<PathBuf> = (0..SUBMISSIONS)
        .map(|i| {
            let p = subs.join(format!("student{i:04}.pcap"));
            write(&p, 41000 + i as u16, if i % 10 == 0 { 9 } else { 10 });
            p
        })
        .collect();
    let reference = reference.to_str().unwrap();
    let quiet = |c: &mut Command| {
        c.stdout(Stdio::null()).stderr(Stdio::null());
    };

    let start = Instant::now();
    let mut cmd = Command::new(echolab);
    cmd.args(["grade", "--reference", reference, "--csv"])
        .arg(&subs);
    quiet(&mut cmd);
    let status = cmd.status().unwrap();
    let grade = start.elapsed().as_secs_f64();
    assert_eq!(status.code(), Some(1), "grade: some submissions differ");

    let start = Instant::now();
    let mut different = 0;
    for f in &files {
        let mut cmd = Command::new(echolab);
        cmd.args(["diff", reference]).arg(f);
        quiet(&mut cmd);
        match cmd.status().unwrap().code() {
            Some(0) => {}
            Some(1) => different += 1,
            other => panic!("diff {}: exit {other:?}", f.display()),
        }
    }
    let diffs = start.elapsed().as_secs_f64();
    assert_eq!(different, SUBMISSIONS / 10);

    println!("{SUBMISSIONS} submissions, {different} different");
    println!("grade --csv DIR           {grade:>8.2} s");
    println!("{SUBMISSIONS} x diff REF FILE     {diffs:>8.2} s");
    let ratio = diffs / grade.max(1e-9);
    println!("separate diffs / grade: {ratio:.1}");
    println!(
        "target: grade at least 4x as fast: {}",
        if ratio >= 4.0 { "met" } else { "NOT met" }
    );
}
