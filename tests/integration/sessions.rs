//! The report's four sessions, live against the recorded fixtures of `fixtures/sessions/`:
//! echoServer and echoClient as real processes on a free loopback port, captured with
//! echolab's own live capture (once with tcpdump too), then `echolab diff` against the
//! fixture. Sessions that break the wire behaviour, played with plain sockets, must be caught
//! with their reason. The fixtures' tcpdump text must be what `echolab dump -r` prints.
//!
//! Capture tests need root or CAP_NET_RAW. Where they cannot run they fail saying so.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream, UdpSocket};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::thread;
use std::time::Duration;

use echolab::demo::{write_pcap, Recorder, SessionSpec, SESSIONS};
use echolab::echo::options::{Mode, Protocol};

use crate::util::{assert_text_eq, bin, require, root};

fn fixture(name: &str, ext: &str) -> PathBuf {
    root()
        .join("fixtures/sessions")
        .join(format!("{name}.{ext}"))
}

fn spec(name: &str) -> SessionSpec {
    *SESSIONS
        .iter()
        .find(|s| s.name == name)
        .expect("a session of the report")
}

/// A loopback port free for both TCP and UDP just now.
fn free_port() -> u16 {
    loop {
        let tcp = TcpListener::bind("127.0.0.1:0").expect("bind a TCP port");
        let port = tcp.local_addr().unwrap().port();
        if UdpSocket::bind(("127.0.0.1", port)).is_ok() {
            return port;
        }
    }
}

/// Start capturing `port` on lo, or fail saying what is missing.
fn capture(port: u16) -> Recorder {
    Recorder::start(port).unwrap_or_else(|e| {
        panic!("session capture tests need root or CAP_NET_RAW on lo, and cannot run here: {e}")
    })
}

/// Stop the capture and write what it holds as a pcap in `dir`.
fn finish(rec: Recorder, dir: &Path, name: &str) -> PathBuf {
    // The recorder shows nothing of what it has read until it stops: the kernel is given a
    // fixed time to hand over the session's last frames.
    thread::sleep(Duration::from_millis(50));
    let frames = rec.finish().expect("the capture ends cleanly");
    let path = dir.join(format!("{name}.pcap"));
    write_pcap(&path, &frames).expect("write the capture");
    path
}

/// An echoServer process, killed on drop.
struct Server(Child);

impl Server {
    fn start(protocol: Protocol, port: u16, continuous: bool) -> Server {
        Server::start_on("127.0.0.1", protocol, port, continuous)
    }

    fn start_on(ip: &str, protocol: Protocol, port: u16, continuous: bool) -> Server {
        let mut cmd = Command::new(bin("echoServer"));
        cmd.args([
            "--ip",
            ip,
            "-t",
            proto_arg(protocol),
            "-p",
            &port.to_string(),
        ]);
        if continuous {
            cmd.arg("-c");
        }
        let mut child = cmd
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start echoServer");
        let mut out = BufReader::new(child.stdout.take().expect("piped"));
        let mut line = String::new();
        while out.read_line(&mut line).unwrap_or(0) > 0 && !line.contains("Socket bind complete") {
            line.clear();
        }
        assert!(
            line.contains("Socket bind complete"),
            "echoServer did not start"
        );
        // Keep reading its log so it never blocks on a full pipe.
        thread::spawn(move || std::io::copy(&mut out, &mut std::io::sink()));
        Server(child)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn proto_arg(p: Protocol) -> &'static str {
    match p {
        Protocol::Tcp => "TCP",
        Protocol::Udp => "UDP",
    }
}

/// echoClient typing the session's inputs through a pipe, `gap` apart.
fn client(s: &SessionSpec, port: u16) -> Output {
    client_to("127.0.0.1", s, port)
}

fn client_to(ip: &str, s: &SessionSpec, port: u16) -> Output {
    let mut cmd = Command::new(bin("echoClient"));
    cmd.args([
        "--ip",
        ip,
        "-t",
        proto_arg(s.protocol),
        "-p",
        &port.to_string(),
    ]);
    if s.mode == Mode::Continuous {
        cmd.arg("-c");
    }
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start echoClient");
    let mut stdin = child.stdin.take().expect("piped");
    // A typist's pace: each input is its own read at the client, as the session specifies.
    for input in s.inputs {
        thread::sleep(s.gap);
        stdin.write_all(input).expect("type into echoClient");
    }
    // The last echo comes back before end of input closes the connection; a piped client
    // shows no prompt to wait for.
    thread::sleep(s.gap * 4);
    drop(stdin);
    child.wait_with_output().expect("wait for echoClient")
}

/// `echolab diff reference capture`.
fn diff(reference: &Path, capture: &Path) -> Output {
    Command::new(bin("echolab"))
        .arg("diff")
        .args([reference, capture])
        .output()
        .expect("run echolab diff")
}

#[track_caller]
fn assert_equivalent(reference: &Path, capture: &Path) {
    let out = diff(reference, capture);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{} differs from {}:\n{}{}",
        capture.display(),
        reference.display(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    // A live session is captured whole, handshake to teardown: a step left uncompared (a
    // `note:` line) would mean the capture missed part of it.
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        !stdout.lines().any(|l| l.starts_with("note:")),
        "{} was not compared whole with {}:\n{stdout}",
        capture.display(),
        reference.display()
    );
}

/// Diff against the session's fixture must fail (exit 1) and give `reason`.
#[track_caller]
fn assert_caught(name: &str, capture: &Path, reason: &str) {
    let out = diff(&fixture(name, "pcap"), capture);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "not caught:\n{stdout}");
    let verdict = stdout.lines().last().unwrap_or("");
    assert!(
        verdict.starts_with("not equivalent: ") && verdict.contains(reason),
        "expected the reason to contain {reason:?}, got:\n{stdout}"
    );
}

/// Play one session with the echo programs under our capture; return the capture's path.
fn live_session(name: &str, dir: &Path, with_tcpdump: bool) -> (PathBuf, Option<PathBuf>) {
    let s = spec(name);
    let port = free_port();
    let rec = capture(port);
    let tcpdump = with_tcpdump.then(|| Tcpdump::start(&dir.join("tcpdump.pcap"), port));
    let server = Server::start(s.protocol, port, s.mode == Mode::Continuous);
    let out = client(&s, port);
    assert!(out.status.success(), "echoClient failed: {out:?}");
    drop(server);
    let ours = finish(rec, dir, name);
    let theirs = tcpdump.map(|t| t.finish());
    (ours, theirs)
}

/// tcpdump writing a pcap of one port on lo.
struct Tcpdump {
    child: Child,
    path: PathBuf,
}

impl Tcpdump {
    fn start(path: &Path, port: u16) -> Tcpdump {
        require("tcpdump");
        let mut child = Command::new("tcpdump")
            .args(["-i", "lo", "--immediate-mode", "-U", "-w"])
            .arg(path)
            .arg(format!("port {port}"))
            .stderr(Stdio::piped())
            .spawn()
            .expect("start tcpdump");
        let mut err = BufReader::new(child.stderr.take().expect("piped"));
        let mut line = String::new();
        err.read_line(&mut line).expect("tcpdump's first line");
        assert!(line.contains("listening"), "tcpdump: {line}");
        thread::spawn(move || {
            let mut rest = String::new();
            let _ = err.read_to_string(&mut rest);
        });
        Tcpdump {
            child,
            path: path.to_path_buf(),
        }
    }

    fn finish(mut self) -> PathBuf {
        // How many frames make the session is what the test finds out, so there is no count
        // to wait for: the kernel is given a fixed time to hand over the last ones.
        thread::sleep(Duration::from_millis(100));
        let pid = self.child.id().to_string();
        let _ = Command::new("kill").args(["-INT", &pid]).status();
        let _ = self.child.wait();
        self.path.clone()
    }
}

fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().expect("a temporary directory")
}

#[test]
fn tcp_line_session_matches_its_fixture_in_our_capture_and_in_tcpdumps() {
    let dir = tempdir();
    let (ours, theirs) = live_session("tcp-line", dir.path(), true);
    assert_equivalent(&fixture("tcp-line", "pcap"), &ours);
    assert_equivalent(
        &fixture("tcp-line", "pcap"),
        &theirs.expect("tcpdump's capture"),
    );
}

#[test]
fn an_ipv6_session_behaves_as_the_ipv4_fixture() {
    let dir = tempdir();
    let s = spec("tcp-continuous");
    let port = free_port();
    let rec = capture(port);
    let server = Server::start_on("::1", s.protocol, port, true);
    let out = client_to("::1", &s, port);
    assert!(out.status.success(), "echoClient failed: {out:?}");
    drop(server);
    let ours = finish(rec, dir.path(), "v6");
    assert_equivalent(&fixture(s.name, "pcap"), &ours);
    // The capture really is IPv6: the diff's table names the ::1 endpoints.
    let table = String::from_utf8_lossy(&diff(&fixture(s.name, "pcap"), &ours).stdout).into_owned();
    assert!(table.contains(&format!("[::1]:{port}")), "{table}");
}

#[test]
fn tcp_continuous_session_matches_its_fixture() {
    let dir = tempdir();
    let (ours, _) = live_session("tcp-continuous", dir.path(), false);
    assert_equivalent(&fixture("tcp-continuous", "pcap"), &ours);
}

#[test]
fn udp_line_session_matches_its_fixture() {
    let dir = tempdir();
    let (ours, _) = live_session("udp-line", dir.path(), false);
    assert_equivalent(&fixture("udp-line", "pcap"), &ours);
}

#[test]
fn udp_continuous_session_matches_its_fixture() {
    let dir = tempdir();
    let (ours, _) = live_session("udp-continuous", dir.path(), false);
    assert_equivalent(&fixture("udp-continuous", "pcap"), &ours);
}

/// A TCP exchange with echoServer over a plain socket: each element of `writes` is one
/// write, followed by a wait for its echo when `wait` says so.
fn tcp_exchange(port: u16, writes: &[(&[u8], bool)]) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect to echoServer");
    s.set_nodelay(true).unwrap();
    let mut pending = 0;
    for (bytes, wait) in writes {
        s.write_all(bytes).unwrap();
        pending += bytes.len();
        // A typist's pace: writes not awaited stay separate segments rather than one.
        thread::sleep(Duration::from_millis(50));
        if *wait {
            let mut buf = vec![0u8; pending];
            s.read_exact(&mut buf).expect("the echo");
            pending = 0;
        }
    }
    s.shutdown(std::net::Shutdown::Write).unwrap();
    let mut rest = Vec::new();
    let _ = s.read_to_end(&mut rest);
}

#[test]
fn a_line_sent_as_several_segments_is_caught() {
    let dir = tempdir();
    let port = free_port();
    let rec = capture(port);
    let server = Server::start(Protocol::Tcp, port, false);
    tcp_exchange(
        port,
        &[
            (b"HELLO ", false),
            (b"MASTER\n", true),
            (b"WELCOME BACK\n", true),
        ],
    );
    drop(server);
    let path = finish(rec, dir.path(), "split");
    assert_caught(
        "tcp-line",
        &path,
        "client sent \"HELLO MASTER\\n\" (13 bytes) in 2 segments, reference sent it in one \
         segment",
    );
}

#[test]
fn continuous_bytes_coalesced_into_one_segment_are_caught() {
    let dir = tempdir();
    let port = free_port();
    let rec = capture(port);
    let server = Server::start(Protocol::Tcp, port, true);
    tcp_exchange(port, &[(b"LIFE\n", true)]);
    drop(server);
    let path = finish(rec, dir.path(), "coalesced");
    assert_caught(
        "tcp-continuous",
        &path,
        "segment 4: client sent 5 bytes in one segment, reference sent 1 byte per segment",
    );
}

/// A UDP "echo server" on a plain socket that answers datagram i (0-based) with
/// `answer(i, bytes)`: the bytes to send and the port to send them to (`None`: no answer).
fn udp_server(
    port: u16,
    count: usize,
    answer: impl Fn(usize, &[u8], SocketAddr) -> Option<(Vec<u8>, SocketAddr)> + Send + 'static,
) -> thread::JoinHandle<()> {
    let sock = UdpSocket::bind(("127.0.0.1", port)).expect("bind the UDP server");
    thread::spawn(move || {
        let mut buf = [0u8; 65536];
        for i in 0..count {
            let Ok((n, from)) = sock.recv_from(&mut buf) else {
                return;
            };
            if let Some((bytes, to)) = answer(i, &buf[..n], from) {
                let _ = sock.send_to(&bytes, to);
            }
        }
    })
}

/// The UDP line session of the report, sent from a plain socket; echoes are awaited briefly.
fn udp_lines(port: u16) {
    let c = UdpSocket::bind("127.0.0.1:0").unwrap();
    c.set_read_timeout(Some(Duration::from_millis(200)))
        .unwrap();
    let mut buf = [0u8; 1024];
    for line in spec("udp-line").inputs {
        c.send_to(line, ("127.0.0.1", port)).unwrap();
        let _ = c.recv_from(&mut buf);
        // A typist's pace between lines, as in the recorded session.
        thread::sleep(Duration::from_millis(50));
    }
}

fn udp_case(
    name: &str,
    answer: impl Fn(usize, &[u8], SocketAddr) -> Option<(Vec<u8>, SocketAddr)> + Send + 'static,
) -> (tempfile::TempDir, PathBuf) {
    let dir = tempdir();
    let port = free_port();
    let rec = capture(port);
    let server = udp_server(port, 3, answer);
    udp_lines(port);
    server.join().unwrap();
    let path = finish(rec, dir.path(), name);
    (dir, path)
}

#[test]
fn a_missing_echo_is_caught() {
    let (_dir, path) = udp_case("missing", |i, b, from| (i != 2).then(|| (b.to_vec(), from)));
    assert_caught("udp-line", &path, "datagram 6: missing echo");
}

#[test]
fn an_echo_with_different_bytes_is_caught() {
    let (_dir, path) = udp_case("altered", |i, b, from| {
        let mut b = b.to_vec();
        if i == 1 {
            b[0] = b'w';
        }
        Some((b, from))
    });
    assert_caught(
        "udp-line",
        &path,
        "datagram 4: server sent \"wELCOME BACK MASTER-UDP\\n\" (24 bytes), reference sent \
         \"WELCOME BACK MASTER-UDP\\n\" (24 bytes); it is not the echo of the request",
    );
}

#[test]
fn udp_echoed_to_the_wrong_port_is_caught() {
    let (_dir, path) = udp_case("misdirected", |_, b, from| {
        let to = SocketAddr::new(from.ip(), from.port().wrapping_add(1).max(1024));
        Some((b.to_vec(), to))
    });
    assert_caught("udp-line", &path, "datagram 2: the server echoed to port");
}

#[test]
fn bad_input_is_one_line_and_exit_2() {
    let dir = tempdir();
    let text = fixture("tcp-line", "txt");
    let missing = dir.path().join("missing.pcap");
    for (other, words) in [(&text, "unknown file format"), (&missing, "No such file")] {
        let out = diff(&fixture("tcp-line", "pcap"), other);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(
            stderr.starts_with("echolab diff: error: ") && stderr.contains(words),
            "{stderr}"
        );
    }
}

#[test]
fn fixture_text_is_what_echolab_dump_prints() {
    for s in SESSIONS {
        let pcap = fixture(s.name, "pcap");
        let out = Command::new(bin("echolab"))
            .args(["dump", "-r"])
            .arg(&pcap)
            .arg("-nnvvXS")
            .env("TZ", "UTC")
            .output()
            .expect("run echolab dump");
        assert!(out.status.success(), "{out:?}");
        let expected = std::fs::read_to_string(fixture(s.name, "txt")).unwrap();
        assert_text_eq(s.name, &expected, &String::from_utf8_lossy(&out.stdout));
    }
}

#[test]
fn fixtures_are_the_reports_sessions() {
    // Each fixture against itself is equivalent; against another session kind it is not.
    for a in SESSIONS {
        for b in SESSIONS {
            let out = diff(&fixture(a.name, "pcap"), &fixture(b.name, "pcap"));
            let want = if a.name == b.name { 0 } else { 1 };
            assert_eq!(out.status.code(), Some(want), "{} vs {}", a.name, b.name);
        }
    }
}

fn demo_titles(stdout: &str) {
    for s in SESSIONS {
        assert!(
            stdout.contains(&format!("=== {} ({})", s.title, s.name)),
            "{stdout}"
        );
    }
    assert!(stdout.contains(">Echo: HELLO MASTER\n"), "{stdout}");
    assert!(
        stdout.contains(">Echo: WELCOME BACK MASTER-UDP\n"),
        "{stdout}"
    );
    assert!(stdout.contains("LLIIFFEE"), "{stdout}");
    assert!(stdout.contains("AABBCC!!\"\""), "{stdout}");
}

#[test]
fn demo_runs_the_four_sessions_with_traces_and_summaries() {
    drop(capture(free_port()));
    let dir = tempdir();
    // Wide enough that no summary cell wraps: the test looks for whole headers.
    let out = Command::new(bin("echolab"))
        .args(["demo", "--hex", "-w"])
        .arg(dir.path())
        .env("COLUMNS", "60000")
        .output()
        .expect("run echolab demo");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    demo_titles(&stdout);
    assert_eq!(
        stdout.matches("--- trace (tcpdump -nnvvXS)").count(),
        4,
        "{stdout}"
    );
    assert_eq!(
        stdout.matches("--- ladder (echolab flow)").count(),
        4,
        "{stdout}"
    );
    assert_eq!(
        stdout.matches("round trip of each echo").count(),
        4,
        "{stdout}"
    );
    assert!(
        stdout.contains("Flags [S.]") && stdout.contains("UDP, length 17"),
        "{stdout}"
    );
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The library client's sessions behave on the wire as the echo programs' fixtures.
    for s in SESSIONS {
        let ours = dir.path().join(format!("{}.pcap", s.name));
        assert_equivalent(&fixture(s.name, "pcap"), &ours);
    }
}

#[test]
fn demo_without_privileges_runs_and_says_what_is_missing() {
    require("setpriv");
    let copy = crate::nobody::runnable(&bin("echolab"));
    let exe = &copy.path;
    let out = crate::nobody::setpriv(exe)
        .arg("demo")
        .output()
        .expect("run setpriv");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    demo_titles(&stdout);
    assert!(!stdout.contains("--- trace"), "{stdout}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    crate::nobody::assert_capability_hint(&out, &stderr, exe);
}

#[test]
fn diff_against_a_live_capture_until_interrupted() {
    drop(capture(free_port()));
    let s = spec("udp-continuous");
    let port = free_port();
    let mut d = Command::new(bin("echolab"))
        .args(["diff"])
        .arg(fixture(s.name, "pcap"))
        .args(["-", "--port", &port.to_string()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start echolab diff -");
    let mut err = BufReader::new(d.stderr.take().expect("piped"));
    let mut line = String::new();
    err.read_line(&mut line).expect("the listening line");
    assert!(line.starts_with("listening on lo"), "{line}");
    let server = Server::start(s.protocol, port, true);
    let out = client(&s, port);
    assert!(out.status.success(), "echoClient failed: {out:?}");
    drop(server);
    // `diff -` shows nothing until it stops: the kernel is given a fixed time to hand over
    // the session's last frames.
    thread::sleep(Duration::from_millis(100));
    let _ = Command::new("kill")
        .args(["-INT", &d.id().to_string()])
        .status();
    let out = d.wait_with_output().expect("wait for echolab diff");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.ends_with("equivalent: same wire behaviour\n"),
        "{stdout}"
    );
}
