//! A capturer (tcpdump, or `echolab dump` capturing live): started, and handed to the test
//! only once it has said `listening on` (its capture is open, so nothing the test sends next
//! is missed).

use std::io::{BufRead, BufReader};
use std::process::{Child, ChildStdout, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use super::{bin, require, wait_until};

/// How long a capturer may take to open its capture on a loaded machine.
const READY: Duration = Duration::from_secs(10);

/// A running capturer, killed when dropped.
pub struct Capturer {
    child: Option<Child>,
    /// Everything the capturer wrote on stderr so far.
    stderr: Arc<Mutex<String>>,
    reader: Option<JoinHandle<()>>,
}

impl Capturer {
    /// Start `tcpdump args` (stdout piped) and wait until it says it is listening. Fails,
    /// with what tcpdump said, when it is not installed, exits, or takes too long.
    pub fn start(args: &[&str]) -> Capturer {
        require("tcpdump");
        Capturer::spawn(Command::new("tcpdump"), "tcpdump", args)
    }

    /// Start `echolab args` (such as `dump -i lo EXPR`) the same way.
    pub fn echolab(args: &[&str]) -> Capturer {
        Capturer::spawn(Command::new(bin("echolab")), "echolab", args)
    }

    fn spawn(mut cmd: Command, name: &str, args: &[&str]) -> Capturer {
        let mut child = cmd
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot run {name}: {e}"));
        let pipe = child.stderr.take().expect("stderr is piped");
        let stderr = Arc::new(Mutex::new(String::new()));
        let shared = stderr.clone();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(pipe).lines().map_while(Result::ok) {
                shared.lock().unwrap().push_str(&format!("{line}\n"));
            }
        });
        let mut cap = Capturer {
            child: Some(child),
            stderr,
            reader: Some(reader),
        };
        let mut exited = None;
        let ready = wait_until(READY, || {
            exited = cap.child_mut().try_wait().ok().flatten();
            exited.is_some() || cap.said().contains("listening on ")
        });
        if !ready || exited.is_some() {
            drop(cap.child.take().map(|mut c| c.kill()));
            panic!(
                "{name} {args:?} did not start capturing (it needs root or CAP_NET_RAW; \
                 exit {exited:?}); it said:\n{}",
                cap.said()
            );
        }
        cap
    }

    fn child_mut(&mut self) -> &mut Child {
        self.child.as_mut().expect("capturer running")
    }

    /// What the capturer wrote on stderr so far.
    pub fn said(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    pub fn pid(&self) -> u32 {
        self.child.as_ref().expect("capturer running").id()
    }

    /// The capturer's stdout, to read as it prints (once).
    pub fn stdout(&mut self) -> ChildStdout {
        self.child_mut().stdout.take().expect("stdout taken once")
    }

    /// Send `signal` (`-TERM`, `-INT`), wait for the exit (at most 10 s), and return the
    /// status with what the capturer wrote on stderr after its `listening on` line.
    pub fn stop(mut self, signal: &str) -> (ExitStatus, String) {
        let mut child = self.child.take().expect("capturer running");
        let sent = Command::new("kill")
            .args([signal, &child.id().to_string()])
            .status()
            .expect("run kill");
        assert!(sent.success(), "kill {signal} of the capturer failed");
        let mut status = None;
        if !wait_until(Duration::from_secs(10), || {
            status = child.try_wait().expect("wait for the capturer");
            status.is_some()
        }) {
            let _ = child.kill();
            panic!(
                "the capturer did not exit within 10 s of {signal}:\n{}",
                self.said()
            );
        }
        // The reader ends at end of file: all of stderr is in once it has.
        if let Some(r) = self.reader.take() {
            let _ = r.join();
        }
        let said = self.said();
        let rest = said
            .split_once("listening on ")
            .and_then(|(_, r)| r.split_once('\n'))
            .map_or("", |(_, r)| r);
        (status.expect("exited"), rest.to_string())
    }
}

impl Drop for Capturer {
    fn drop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}
