//! Processes: run one of echolab's binaries to its end under a deadline, start one that is
//! killed when its guard drops, and poll a condition instead of sleeping for a guessed time.

use std::io::{Read, Write};
use std::ops::{Deref, DerefMut};
use std::process::{Child, Command, Output, Stdio};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::bin;

/// How long `run` lets a program take before it is killed and the test fails. Generous: the
/// slowest runs (a short benchmark, a demo) take seconds on a loaded two-core machine.
pub const RUN_DEADLINE: Duration = Duration::from_secs(120);

/// Run `bin args` with `stdin`, wait (at most [`RUN_DEADLINE`]), and return its output.
pub fn run(name: &str, args: &[&str], stdin: &[u8]) -> Output {
    run_env(name, args, stdin, &[])
}

/// Like `run`, with extra environment variables.
pub fn run_env(name: &str, args: &[&str], stdin: &[u8], env: &[(&str, &str)]) -> Output {
    run_within(name, args, stdin, env, RUN_DEADLINE)
}

/// Like `run_env`, with its own deadline: past it the program is killed and the test fails,
/// showing the command line and what the program had printed.
pub fn run_within(
    name: &str,
    args: &[&str],
    stdin: &[u8],
    env: &[(&str, &str)],
    deadline: Duration,
) -> Output {
    let mut child = spawn_env(name, args, env);
    let mut input = child.stdin.take().expect("stdin is piped");
    let data = stdin.to_vec();
    // A thread of its own: a program that prints a lot before reading would otherwise block
    // on a full stdout pipe while the test blocks on its full stdin pipe.
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(&data);
    });
    let out = finish(child, &command_line(name, args, env), deadline);
    let _ = writer.join();
    out
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

/// Start `bin args` (stdin, stdout and stderr piped) behind a guard that kills it on drop,
/// so a failing assertion never leaves it running.
pub fn start(name: &str, args: &[&str]) -> Running {
    Running {
        child: Some(spawn(name, args)),
        what: command_line(name, args, &[]),
    }
}

/// A started process, killed and reaped when dropped. Derefs to its `Child`.
pub struct Running {
    child: Option<Child>,
    what: String,
}

impl Running {
    /// Wait for the end (at most `deadline`, then kill and fail) and return the output.
    pub fn finish(mut self, deadline: Duration) -> Output {
        let child = self.child.take().expect("process not yet finished");
        finish(child, &self.what, deadline)
    }
}

impl Deref for Running {
    type Target = Child;
    fn deref(&self) -> &Child {
        self.child.as_ref().expect("process not yet finished")
    }
}

impl DerefMut for Running {
    fn deref_mut(&mut self) -> &mut Child {
        self.child.as_mut().expect("process not yet finished")
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

/// Poll `done` until it holds (true) or `timeout` passes (false). The pause between polls
/// grows from 1 ms to 20 ms: quick conditions are seen at once, slow ones cost little CPU.
#[must_use]
pub fn wait_until(timeout: Duration, mut done: impl FnMut() -> bool) -> bool {
    let end = Instant::now() + timeout;
    let mut pause = Duration::from_millis(1);
    loop {
        if done() {
            return true;
        }
        if Instant::now() >= end {
            return false;
        }
        std::thread::sleep(pause);
        pause = (pause * 2).min(Duration::from_millis(20));
    }
}

/// Read `measure` every 300 ms until two readings in a row agree and `enough` holds (a file
/// that stopped growing), or `timeout` passes; return the last reading. A writer that pauses
/// longer than 300 ms between two writes looks finished: use it only where the writing has
/// ended before the wait starts and only its flushing is awaited.
pub fn wait_stable<T: PartialEq>(
    timeout: Duration,
    mut measure: impl FnMut() -> T,
    enough: impl Fn(&T) -> bool,
) -> T {
    let end = Instant::now() + timeout;
    let mut last = measure();
    loop {
        std::thread::sleep(Duration::from_millis(300));
        let now = measure();
        if (now == last && enough(&now)) || Instant::now() > end {
            return now;
        }
        last = now;
    }
}

/// Collect `child`'s stdout and stderr and wait for its exit, at most `deadline`; past it,
/// kill it and fail with `what` and everything it printed.
fn finish(mut child: Child, what: &str, deadline: Duration) -> Output {
    let stdout = drain(child.stdout.take());
    let stderr = drain(child.stderr.take());
    // Waiting in a thread of its own returns the moment the program exits, where polling
    // would add up to a poll interval to every run.
    let pid = child.id().to_string();
    let (tx, rx) = std::sync::mpsc::channel();
    let waiter = std::thread::spawn(move || {
        let _ = tx.send(child.wait().expect("wait for child"));
    });
    let status = rx.recv_timeout(deadline).ok();
    if status.is_none() {
        // Not reaped yet (the waiter still waits), so the pid is still this program's.
        let _ = Command::new("kill").args(["-KILL", &pid]).status();
    }
    let _ = waiter.join();
    let (stdout, stderr) = (joined(stdout), joined(stderr));
    match status {
        Some(status) => Output {
            status,
            stdout,
            stderr,
        },
        None => panic!(
            "{what} did not finish within {deadline:?} and was killed\n\
             ===== stdout =====\n{}\n===== stderr =====\n{}",
            String::from_utf8_lossy(&stdout),
            String::from_utf8_lossy(&stderr)
        ),
    }
}

/// Read a pipe to its end in a thread of its own.
fn drain(pipe: Option<impl Read + Send + 'static>) -> Option<JoinHandle<Vec<u8>>> {
    pipe.map(|mut p| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            let _ = p.read_to_end(&mut buf);
            buf
        })
    })
}

fn joined(h: Option<JoinHandle<Vec<u8>>>) -> Vec<u8> {
    h.map(|h| h.join().unwrap_or_default()).unwrap_or_default()
}

/// `ENV=value … name args…`, as a shell would show it.
fn command_line(name: &str, args: &[&str], env: &[(&str, &str)]) -> String {
    let mut words: Vec<String> = env.iter().map(|(k, v)| format!("{k}={v:?}")).collect();
    words.push(name.to_string());
    words.extend(args.iter().map(|a| format!("{a:?}")));
    words.join(" ")
}
