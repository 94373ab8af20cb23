//! echoServer and echoClient as real processes: a server on a free port, killed on drop, and
//! a client run to its end through pipes.

use std::io::{BufRead, BufReader, Read};
use std::net::SocketAddr;
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use super::{assert_text_eq, bin, run, wait_until};

/// A running echoServer on a free port, killed when dropped.
pub struct Server {
    child: Option<Child>,
    pub addr: SocketAddr,
    log: Arc<Mutex<String>>,
    reader: Option<JoinHandle<()>>,
}

impl Server {
    /// Start `echoServer args -p 0` and wait until it says where it listens.
    pub fn start(args: &[&str]) -> Server {
        let mut full: Vec<&str> = args.to_vec();
        full.extend(["-p", "0"]);
        let mut child = Command::new(bin("echoServer"))
            .args(&full)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start echoServer");
        let stdout = child.stdout.take().expect("piped stdout");
        let log = Arc::new(Mutex::new(String::new()));
        let (tx, rx) = mpsc::channel();
        let shared = log.clone();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let addr = line
                    .strip_prefix("Socket now listening on ")
                    .or_else(|| line.strip_prefix("Echoing datagrams on "))
                    .and_then(|a| a.parse::<SocketAddr>().ok());
                shared.lock().unwrap().push_str(&format!("{line}\n"));
                if let Some(a) = addr {
                    let _ = tx.send(a);
                }
            }
        });
        match rx.recv_timeout(Duration::from_secs(10)) {
            Ok(addr) => Server {
                child: Some(child),
                addr,
                log,
                reader: Some(reader),
            },
            Err(_) => {
                let _ = child.kill();
                let out = child.wait_with_output().expect("wait echoServer");
                panic!(
                    "echoServer {full:?} did not start listening\nstdout:\n{}\nstderr:\n{}",
                    log.lock().unwrap(),
                    String::from_utf8_lossy(&out.stderr)
                );
            }
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.as_ref().expect("server running").id()
    }

    pub fn port(&self) -> String {
        self.addr.port().to_string()
    }

    /// Everything the server printed so far.
    pub fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    /// Wait until the log contains `needle` (log lines come from another thread).
    pub fn wait_log(&self, needle: &str) -> String {
        if wait_until(Duration::from_secs(5), || self.log().contains(needle)) {
            return self.log();
        }
        panic!("server log never showed {needle:?}:\n{}", self.log());
    }

    /// Send `signal` and wait (at most 5 s) for the exit; return the status and everything
    /// the server printed, stdout then stderr.
    pub fn stop(mut self, signal: &str) -> (ExitStatus, String) {
        let mut child = self.child.take().expect("server running");
        let pid = child.id().to_string();
        let sent = Command::new("kill")
            .args([signal, &pid])
            .status()
            .expect("run kill");
        assert!(sent.success(), "kill {signal} {pid} failed");
        let mut status = None;
        if !wait_until(Duration::from_secs(5), || {
            status = child.try_wait().expect("wait echoServer");
            status.is_some()
        }) {
            let _ = child.kill();
            panic!(
                "echoServer did not exit within 5 s of {signal}:\n{}",
                self.log()
            );
        }
        let mut err = String::new();
        if let Some(mut e) = child.stderr.take() {
            let _ = e.read_to_string(&mut err);
        }
        // The log reader ends at end of file: every line is in the log once it has.
        if let Some(r) = self.reader.take() {
            let _ = r.join();
        }
        let status = status.expect("exited");
        (status, format!("{}{err}", self.log()))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

/// Run echoClient with `stdin` through a pipe.
pub fn client(args: &[&str], stdin: &[u8]) -> Output {
    run("echoClient", args, stdin)
}

/// Assert exit code, stdout and stderr at once, showing all of them on mismatch.
#[track_caller]
pub fn assert_output(out: &Output, code: i32, stdout: &str, stderr: &str) {
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    let (o, e) = (text(&out.stdout), text(&out.stderr));
    assert_eq!(
        out.status.code(),
        Some(code),
        "exit code\nstdout:\n{o}\nstderr:\n{e}"
    );
    assert_text_eq("stdout", stdout, &o);
    assert_text_eq("stderr", stderr, &e);
}
