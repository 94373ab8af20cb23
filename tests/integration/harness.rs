//! The harness itself: a run past its deadline is killed and fails naming the command, a
//! started process dies with its guard, a missing tool fails the test by name, and
//! `wait_until` reports whether its condition came true.

use std::io::{BufRead, BufReader};
use std::net::{SocketAddr, TcpStream};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::{Duration, Instant};

use crate::util::{self, require, run_within, start, wait_until, Capturer};

/// The text of a caught panic.
fn message(payload: Box<dyn std::any::Any + Send>) -> String {
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_default()
}

/// The address an echoServer's log line names.
fn listening(log: &str) -> SocketAddr {
    log.lines()
        .find_map(|l| l.strip_prefix("Socket now listening on "))
        .and_then(|a| a.parse().ok())
        .unwrap_or_else(|| panic!("no listening line in {log:?}"))
}

/// Whether nothing accepts connections at `addr` any more (within 5 s).
fn gone(addr: SocketAddr) -> bool {
    wait_until(Duration::from_secs(5), || {
        TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_err()
    })
}

#[test]
fn a_run_past_its_deadline_is_killed_and_named() {
    let began = Instant::now();
    let caught = catch_unwind(|| {
        run_within(
            "echoServer",
            &["-p", "0"],
            b"",
            &[("LANG", "C")],
            Duration::from_millis(500),
        )
    });
    let text = message(caught.expect_err("a server never ends by itself"));
    assert!(
        began.elapsed() < Duration::from_secs(30),
        "killed late: {:?}",
        began.elapsed()
    );
    assert!(
        text.contains(r#"LANG="C" echoServer "-p" "0" did not finish within 500ms and was killed"#),
        "{text}"
    );
    // What it printed before is shown, and the server is no longer there.
    assert!(gone(listening(&text)), "the server still accepts: {text}");
}

#[test]
fn a_started_process_dies_with_its_guard() {
    let mut server = start("echoServer", &["-p", "0"]);
    let mut out = BufReader::new(server.stdout.take().expect("piped stdout"));
    let mut log = String::new();
    while !log.contains("Socket now listening on ") {
        assert!(
            out.read_line(&mut log).expect("read the log") > 0,
            "echoServer ended: {log}"
        );
    }
    let addr = listening(&log);
    assert!(TcpStream::connect(addr).is_ok(), "listening at {addr}");
    drop(server);
    assert!(gone(addr), "the server outlived its guard");
}

#[test]
fn a_missing_tool_fails_by_name() {
    let caught = catch_unwind(AssertUnwindSafe(|| require("echolab-no-such-tool")));
    let text = message(caught.expect_err("the tool is not installed"));
    assert!(
        text.contains("echolab-no-such-tool is not installed")
            && text.contains("apt-get install -y echolab-no-such-tool"),
        "{text}"
    );
    require("sh");
    assert!(util::have("sh"));
}

#[test]
fn wait_until_says_whether_the_condition_came() {
    let began = Instant::now();
    assert!(!wait_until(Duration::from_millis(100), || false));
    assert!(began.elapsed() >= Duration::from_millis(100));
    let mut polls = 0;
    assert!(wait_until(Duration::from_secs(5), || {
        polls += 1;
        polls == 3
    }));
    assert_eq!(polls, 3);
}

/// Both capturers are ready when handed over: a datagram sent at once is in both outputs,
/// and stopping returns what they said after `listening on` (their packet counts).
#[test]
fn capturers_see_what_is_sent_once_they_are_ready() {
    crate::util::require_root();
    let rx = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    let port = rx.local_addr().unwrap().port();
    let expr = format!("udp and dst port {port}");
    let mut tcpdump = Capturer::start(&["-i", "lo", "-nn", "-l", "--immediate-mode", &expr]);
    let mut ours = Capturer::echolab(&["dump", "-i", "lo", "-nn", "-l", "--immediate-mode", &expr]);
    let tx = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    tx.send_to(b"ready?", rx.local_addr().unwrap()).unwrap();
    let want = format!("> 127.0.0.1.{port}: UDP, length 6");
    for (name, cap) in [("tcpdump", &mut tcpdump), ("echolab", &mut ours)] {
        let mut line = String::new();
        BufReader::new(cap.stdout())
            .read_line(&mut line)
            .expect("read the capture");
        assert!(line.contains(&want), "{name}: {line:?}");
    }
    for (name, cap) in [("tcpdump", tcpdump), ("echolab", ours)] {
        let (status, said) = cap.stop("-INT");
        assert!(status.success(), "{name}: {status} {said}");
        assert!(said.contains("1 packet captured"), "{name}: {said}");
    }
}
