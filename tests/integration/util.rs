//! The harness every integration test uses: echolab's binaries as real processes (each run
//! under a deadline, each started process killed when its guard drops), echo servers and
//! clients, tcpdump as a capturer that is ready before the test goes on, the check that a
//! needed program or privilege is there (failing loudly, naming what is missing), polling a
//! condition instead of sleeping, and text comparison showing both texts on mismatch.
//!
//! - `process`: `run`, `spawn`, `Running`, `wait_until`
//! - `echo`: `Server`, `client`, `assert_output`
//! - `capture`: `Capturer` (tcpdump on `lo`, started once it says it listens)

#![allow(dead_code)]

mod capture;
mod echo;
mod process;

pub use capture::Capturer;
pub use echo::{assert_output, client, Server};
// Some are for test files that do not use them yet: the harness is one API for all.
#[allow(unused_imports)]
pub use process::{
    run, run_env, run_within, spawn, spawn_env, start, wait_stable, wait_until, Running,
    RUN_DEADLINE,
};

use std::path::{Path, PathBuf};
use std::process::Command;

/// The path of one of the crate's binaries, built by cargo for this test run.
pub fn bin(name: &str) -> PathBuf {
    match name {
        "echoServer" => PathBuf::from(env!("CARGO_BIN_EXE_echoServer")),
        "echoClient" => PathBuf::from(env!("CARGO_BIN_EXE_echoClient")),
        "echolab" => PathBuf::from(env!("CARGO_BIN_EXE_echolab")),
        other => panic!("no binary named {other}"),
    }
}

/// The repository root (fixtures live below it).
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Whether a program is on PATH.
pub fn have(program: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {program} >/dev/null 2>&1")])
        .status()
        .map(|s| s.success())
        .unwrap_or(false)
}

/// The Debian package that provides each program the tests run.
fn package_of(program: &str) -> &str {
    match program {
        "setpriv" | "kill" => "util-linux",
        "ncat" => "ncat",
        other => other,
    }
}

/// Fail the test unless `program` is on PATH, naming what is missing and how to get it. Tests
/// that need a tool never skip: a missing tool is a failure that says so.
#[track_caller]
pub fn require(program: &str) {
    assert!(
        have(program),
        "{program} is not installed (not on PATH), and this test needs it: \
         apt-get install -y {}",
        package_of(program)
    );
}

/// Fail the test unless this process may capture packets and drop privileges: effective
/// user root, or at least CAP_NET_RAW (capture) and CAP_SETUID/CAP_SETGID (changing user).
#[track_caller]
pub fn require_root() {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .map(str::trim)
            .unwrap_or("")
            .to_string()
    };
    let euid = field("Uid:").split_whitespace().nth(1).map(str::to_string);
    let caps = u64::from_str_radix(&field("CapEff:"), 16).unwrap_or(0);
    // CAP_SETGID 6, CAP_SETUID 7, CAP_NET_RAW 13 (linux/capability.h).
    let needed = (1 << 6) | (1 << 7) | (1 << 13);
    assert!(
        euid.as_deref() == Some("0") || caps & needed == needed,
        "this test needs root (or CAP_NET_RAW, CAP_SETUID and CAP_SETGID) to capture on lo \
         and change user; it runs as uid {} with capabilities {caps:#x}: run the tests as root",
        euid.as_deref().unwrap_or("?")
    );
}

/// Assert two texts are equal, showing both and the first differing line when not.
#[track_caller]
pub fn assert_text_eq(what: &str, expected: &str, got: &str) {
    if expected == got {
        return;
    }
    let first = expected
        .lines()
        .zip(got.lines())
        .position(|(a, b)| a != b)
        .unwrap_or_else(|| expected.lines().count().min(got.lines().count()));
    let e = expected.lines().nth(first).unwrap_or("<end of text>");
    let g = got.lines().nth(first).unwrap_or("<end of text>");
    panic!(
        "{what}: texts differ at line {}\n  expected: {e:?}\n  got:      {g:?}\n\
         ===== expected =====\n{expected}\n===== got =====\n{got}\n",
        first + 1
    );
}

/// How far apart two packets' timestamps may be and still have been handed to two capture
/// sockets in either order.
const CONCURRENT_NS: i128 = 200_000;

/// `ours` in the reference's order where, and only where, the kernel may legitimately have
/// delivered two packets to two capture sockets in different orders: packets processed at the
/// same moment on two CPUs walk the list of packet sockets each on its own, so tcpdump's
/// socket can see A then B while ours sees B then A (with the same kernel timestamps). A
/// packet is moved forward only past packets stamped within `CONCURRENT_NS` of it; any other
/// difference is left for the caller to report.
pub fn kernel_order<'a, T>(
    reference: &[T],
    ours: &'a [T],
    same: impl Fn(&T, &T) -> bool,
    ns: impl Fn(&T) -> i128,
) -> Vec<&'a T> {
    let mut out: Vec<&T> = ours.iter().collect();
    for (i, want) in reference.iter().enumerate().take(out.len()) {
        if same(want, out[i]) {
            continue;
        }
        let here = ns(out[i]);
        if let Some(j) = (i + 1..out.len())
            .take_while(|&j| (ns(out[j]) - here).abs() <= CONCURRENT_NS)
            .find(|&j| same(want, out[j]))
        {
            let p = out.remove(j);
            out.insert(i, p);
        }
    }
    out
}

/// `run` with `COLUMNS` so wide that no table cell wraps: for tests that look for a finding's
/// whole text in a command's table.
pub fn run_wide(name: &str, args: &[&str], stdin: &[u8]) -> std::process::Output {
    run_env(name, args, stdin, &[("COLUMNS", "60000")])
}

/// The path of `fixtures/report/NAME`, as a string for a command line.
pub fn report_fixture(name: &str) -> String {
    root()
        .join("fixtures/report")
        .join(name)
        .to_string_lossy()
        .into_owned()
}
