//! The harness: run echolab's binaries as real processes, show both texts on mismatch.

#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

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

/// Run `bin args` with `stdin`, wait, and return its output.
pub fn run(name: &str, args: &[&str], stdin: &[u8]) -> Output {
    run_env(name, args, stdin, &[])
}

/// Start `bin args` with stdin, stdout and stderr piped.
pub fn spawn(name: &str, args: &[&str]) -> Child {
    spawn_env(name, args, &[])
}

/// Like `spawn`, with extra environment variables.
pub fn spawn_env(name: &str, args: &[&str], env: &[(&str, &str)]) -> Child {
    let mut cmd = Command::new(bin(name));
    cmd.args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.spawn()
        .unwrap_or_else(|e| panic!("cannot start {name}: {e}"))
}

/// Like `run`, with extra environment variables.
pub fn run_env(name: &str, args: &[&str], stdin: &[u8], env: &[(&str, &str)]) -> Output {
    let mut child = spawn_env(name, args, env);
    let mut input = child.stdin.take().expect("stdin is piped");
    let data = stdin.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(&data);
    });
    let out = child.wait_with_output().expect("wait for child");
    let _ = writer.join();
    out
}

/// Whether a program is on PATH.
pub fn have(program: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {program} >/dev/null 2>&1")])
        .status()
        .map(|s| s.success())
        .unwrap_or(false)
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
