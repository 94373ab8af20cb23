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
