//! echoServer under abuse, as real processes on loopback: a log nobody reads, a datagram
//! bouncing between two echo servers, forged well-known source ports, and idle connections
//! filling the file table. Each test is bounded in time and count.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream, UdpSocket};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use crate::echo::Server;
use crate::util;

/// An echoServer whose stdout the test reads only when it chooses to: a pipe nobody drains,
/// like `echoServer | sleep 40`.
struct Undrained {
    child: Child,
    addr: SocketAddr,
    stdout: BufReader<ChildStdout>,
}

impl Undrained {
    /// Start `echoServer args -p 0`, read up to the line saying where it listens, then stop
    /// reading.
    fn start(args: &[&str]) -> Undrained {
        let mut child = Command::new(util::bin("echoServer"))
            .args(args)
            .args(["-p", "0"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start echoServer");
        let mut stdout = BufReader::new(child.stdout.take().expect("piped stdout"));
        match listening_address(&mut stdout) {
            Some(addr) => Undrained {
                child,
                addr,
                stdout,
            },
            None => {
                let _ = child.kill();
                let _ = child.wait();
                panic!("echoServer {args:?} ended before listening");
            }
        }
    }

    /// Send SIGTERM and require exit 0 within 5 s.
    fn stop(mut self) {
        let pid = self.child.id().to_string();
        let sent = Command::new("kill").args(["-TERM", &pid]).status();
        assert!(sent.expect("run kill").success(), "kill -TERM {pid}");
        let end = Instant::now() + Duration::from_secs(5);
        loop {
            if let Some(status) = self.child.try_wait().expect("wait echoServer") {
                assert_eq!(status.code(), Some(0), "exit status after SIGTERM");
                return;
            }
            assert!(
                Instant::now() < end,
                "echoServer ignored SIGTERM for 5 s while its log was not read"
            );
            thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Undrained {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Read the log up to the line saying where the server listens.
fn listening_address(stdout: &mut BufReader<ChildStdout>) -> Option<SocketAddr> {
    let mut line = String::new();
    loop {
        line.clear();
        if stdout.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let l = line.trim_end();
        let addr = l
            .strip_prefix("Socket now listening on ")
            .or_else(|| l.strip_prefix("Echoing datagrams on "));
        if let Some(a) = addr {
            return a.parse().ok();
        }
    }
}

/// Read `stdout` from now on into a shared string, on a thread.
fn drain(stdout: BufReader<ChildStdout>) -> Arc<Mutex<String>> {
    let text = Arc::new(Mutex::new(String::new()));
    let shared = text.clone();
    thread::spawn(move || {
        for line in stdout.lines().map_while(Result::ok) {
            shared.lock().unwrap().push_str(&format!("{line}\n"));
        }
    });
    text
}

/// Wait (at most `secs`) until `text` contains `needle`.
fn wait_for(text: &Mutex<String>, needle: &str, secs: u64) -> String {
    let end = Instant::now() + Duration::from_secs(secs);
    loop {
        let t = text.lock().unwrap().clone();
        if t.contains(needle) || Instant::now() > end {
            return t;
        }
        thread::sleep(Duration::from_millis(20));
    }
}

/// One TCP round trip on a new connection, then close; `Err` says what went wrong.
fn tcp_round_trip(addr: SocketAddr, msg: &[u8]) -> Result<(), String> {
    let mut c = TcpStream::connect_timeout(&addr, Duration::from_secs(2))
        .map_err(|e| format!("connect: {e}"))?;
    c.set_read_timeout(Some(Duration::from_secs(2))).unwrap();
    c.write_all(msg).map_err(|e| format!("write: {e}"))?;
    let mut back = vec![0u8; msg.len()];
    c.read_exact(&mut back)
        .map_err(|e| format!("no echo: {e}"))?;
    if back != msg {
        return Err(format!("echo {back:?} != {msg:?}"));
    }
    Ok(())
}

/// A log nobody reads (the pipe fills after some 800 connections, the log queue after some
/// 500 more) must not stop TCP from accepting and echoing, nor SIGTERM from working.
#[test]
fn tcp_serves_and_stops_while_the_log_is_not_read() {
    let server = Undrained::start(&[]);
    for i in 0..2_000 {
        if let Err(e) = tcp_round_trip(server.addr, b"x") {
            panic!("connection {i} with the log unread: {e}");
        }
    }
    server.stop();
}

/// The same over UDP: datagrams from 5,000 new source ports (one log line each) are all
/// echoed; once the log is read again it says how many lines were dropped; SIGTERM works.
#[test]
fn udp_serves_while_the_log_is_not_read_then_counts_what_was_dropped() {
    let mut server = Undrained::start(&["-t", "UDP"]);
    for i in 0..5_000 {
        let s = UdpSocket::bind("127.0.0.1:0").expect("bind a free port");
        s.set_read_timeout(Some(Duration::from_secs(2))).unwrap();
        s.send_to(b"ping", server.addr).expect("send");
        let mut b = [0u8; 8];
        match s.recv_from(&mut b) {
            Ok((4, _)) => {}
            other => panic!("datagram {i} with the log unread: {other:?}"),
        }
    }
    let stdout = std::mem::replace(&mut server.stdout, BufReader::new(empty_stdout()));
    let log = drain(stdout);
    let text = wait_for(&log, "log line(s) dropped", 10);
    let dropped = text
        .lines()
        .find_map(|l| l.strip_prefix("warning: "))
        .and_then(|l| l.strip_suffix(" log line(s) dropped: the log was not being read"));
    let dropped: u64 = dropped
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no count of dropped lines in:\n{}", tail(&text)));
    eprintln!("log lines dropped while unread: {dropped}");
    assert!(dropped > 0);
    server.stop();
}

/// A stand-in stdout to swap in after taking the real one (a finished `true`'s).
fn empty_stdout() -> ChildStdout {
    let mut c = Command::new("true")
        .stdout(Stdio::piped())
        .spawn()
        .expect("run true");
    let out = c.stdout.take().expect("piped");
    let _ = c.wait();
    out
}

fn tail(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(20)..].join("\n")
}

/// A UDP datagram from `src_port` on 127.0.0.1 to `dst`, built by hand and sent through a raw
/// socket, so it can carry a port another program holds (or port 0). Needs root.
fn forge_udp(src_port: u16, dst: SocketAddr, payload: &[u8]) {
    use socket2::{Domain, Protocol, SockAddr, Socket, Type};
    let raw = Socket::new(Domain::IPV4, Type::RAW, Some(Protocol::UDP)).unwrap_or_else(|e| {
        panic!("this test forges UDP datagrams and needs a raw socket (run as root): {e}")
    });
    let len = u16::try_from(8 + payload.len()).expect("small payload");
    let mut datagram = Vec::new();
    datagram.extend_from_slice(&src_port.to_be_bytes()); // source port
    datagram.extend_from_slice(&dst.port().to_be_bytes()); // destination port
    datagram.extend_from_slice(&len.to_be_bytes()); // length
    datagram.extend_from_slice(&[0, 0]); // checksum 0: none (IPv4, RFC 768)
    datagram.extend_from_slice(payload);
    raw.send_to(&datagram, &SockAddr::from(dst))
        .expect("send the forged datagram");
}

/// tcpdump counting the packets that match `filter` on lo, one line each.
struct Counter {
    child: Child,
    lines: Arc<Mutex<u64>>,
}

impl Counter {
    fn start(filter: &str) -> Counter {
        assert!(
            util::have("tcpdump"),
            "this test counts packets with tcpdump, which is not on PATH"
        );
        let mut child = Command::new("tcpdump")
            .args(["-i", "lo", "-nn", "-l", "-q", filter])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start tcpdump");
        let mut err = BufReader::new(child.stderr.take().expect("piped stderr"));
        let mut said = String::new();
        while !said.contains("listening on") {
            let n = err.read_line(&mut said).expect("tcpdump's stderr");
            assert!(n > 0, "tcpdump did not start (root needed): {said}");
        }
        let lines = Arc::new(Mutex::new(0u64));
        let shared = lines.clone();
        let out = BufReader::new(child.stdout.take().expect("piped stdout"));
        thread::spawn(move || {
            for _ in out.lines().map_while(Result::ok) {
                *shared.lock().unwrap() += 1;
            }
        });
        Counter { child, lines }
    }

    fn count(&self) -> u64 {
        *self.lines.lock().unwrap()
    }
}

impl Drop for Counter {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One forged datagram from one echo server's port to another's used to bounce between them
/// forever; now it stops within a second and both still serve real clients.
#[test]
fn udp_reflection_between_two_echo_servers_stops() {
    let a = Server::start(&["-t", "UDP"]);
    let b = Server::start(&["-t", "UDP"]);
    let (pa, pb) = (a.addr.port(), b.addr.port());
    let counter = Counter::start(&format!("udp and port {pa} and port {pb}"));
    forge_udp(pb, a.addr, b"round and round");
    thread::sleep(Duration::from_secs(1));
    let first = counter.count();
    thread::sleep(Duration::from_secs(1));
    let second = counter.count();
    eprintln!(
        "packets between the two servers: {first} in the first second, {} in the next",
        second - first
    );
    assert_eq!(second, first, "still bouncing after a second");
    assert!(first < 100, "{first} packets before the loop stopped");
    let said = "it sends back every echo at once";
    assert!(
        a.log().contains(said) || b.log().contains(said),
        "neither log names the loop:\n{}\n{}",
        a.log(),
        b.log()
    );
    for server in [&a, &b] {
        let s = UdpSocket::bind("127.0.0.1:0").unwrap();
        s.set_read_timeout(Some(Duration::from_secs(2))).unwrap();
        s.send_to(b"still here?", server.addr).unwrap();
        let mut buf = [0u8; 32];
        assert_eq!(s.recv_from(&mut buf).expect("echo after the loop").0, 11);
    }
}

/// Well-known source ports (daytime, qotd, time, DNS, NTP) and port 0 are not answered, each
/// logged once; `--udp-min-src-port` lowers the bar.
#[test]
fn udp_refuses_well_known_and_zero_source_ports() {
    let server = Server::start(&["-t", "UDP"]);
    for port in [13u16, 17, 37, 53, 123] {
        let src = SocketAddr::from(([127, 0, 0, 3], port));
        let s = UdpSocket::bind(src).unwrap_or_else(|e| panic!("bind {src} (root needed): {e}"));
        s.set_read_timeout(Some(Duration::from_millis(300)))
            .unwrap();
        s.send_to(b"ping", server.addr).unwrap();
        s.send_to(b"ping", server.addr).unwrap();
        let mut b = [0u8; 16];
        assert!(s.recv_from(&mut b).is_err(), "{src} was answered");
        let log = server.wait_log(&format!("Not answering {src}"));
        assert_eq!(log.matches(&format!("Not answering {src}")).count(), 1);
    }
    for _ in 0..3 {
        forge_udp(0, server.addr, b"from nowhere");
    }
    server.wait_log("Not answering 127.0.0.1:0:");
    thread::sleep(Duration::from_millis(200));
    let log = server.log();
    assert_eq!(log.matches("127.0.0.1:0:").count(), 1, "{log}");
    assert!(!log.contains("warning"), "{log}");

    let open = Server::start(&["-t", "UDP", "--udp-min-src-port", "1"]);
    let s = UdpSocket::bind("127.0.0.3:17").expect("bind 127.0.0.3:17 (root needed)");
    s.set_read_timeout(Some(Duration::from_secs(2))).unwrap();
    s.send_to(b"qotd?", open.addr).unwrap();
    let mut b = [0u8; 16];
    assert_eq!(
        s.recv_from(&mut b).expect("answered with the bar at 1").0,
        5
    );
}

/// An echoServer with few file descriptors (`ulimit -n 64`), its log read by a thread.
fn start_limited(args: &str) -> (Child, SocketAddr, Arc<Mutex<String>>) {
    let cmd = format!(
        "ulimit -n 64 && exec '{}' -p 0 {args}",
        util::bin("echoServer").display()
    );
    let mut child = Command::new("sh")
        .args(["-c", &cmd])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start sh");
    let log = drain(BufReader::new(child.stdout.take().expect("piped")));
    let text = wait_for(&log, "Socket now listening on ", 10);
    let addr = text
        .lines()
        .find_map(|l| l.strip_prefix("Socket now listening on "))
        .unwrap_or_else(|| panic!("echoServer did not start:\n{text}"))
        .parse()
        .expect("address");
    (child, addr, log)
}

/// Connections that never send fill the file table (64 descriptors): clients past the cap
/// are turned away at once instead of hanging, idle ones are closed after `--idle-timeout`,
/// and then a new client is served.
#[test]
fn idle_connections_cannot_lock_out_new_clients() {
    let (mut child, addr, log) = start_limited("--idle-timeout 1.5");
    let t0 = Instant::now();
    let idle: Vec<TcpStream> = (0..100)
        .map(|i| {
            TcpStream::connect_timeout(&addr, Duration::from_secs(2))
                .unwrap_or_else(|e| panic!("connect {i}: {e}"))
        })
        .collect();
    // A client past the cap learns at once that it is not served: end of stream or reset,
    // never a hang until its own timeout.
    let mut late = TcpStream::connect_timeout(&addr, Duration::from_secs(2)).expect("connect");
    late.set_read_timeout(Some(Duration::from_secs(1))).unwrap();
    let mut b = [0u8; 8];
    let r = late.read(&mut b);
    let refused = matches!(r, Ok(0))
        || matches!(&r, Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset);
    assert!(refused, "a client past the cap was left hanging: {r:?}");
    assert!(
        t0.elapsed() < Duration::from_millis(1400),
        "not refused before the idle timeout"
    );
    let text = wait_for(&log, "refusing new connections", 5);
    assert!(
        text.contains("warning: refusing new connections: 48 open"),
        "{text}"
    );
    // The idle ones are closed by the server after the idle timeout.
    let mut closed = 0;
    for mut c in idle {
        c.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        if matches!(c.read(&mut b), Ok(0) | Err(_)) {
            closed += 1;
        }
        let _ = c.shutdown(Shutdown::Both);
    }
    assert_eq!(closed, 100);
    let text = wait_for(&log, "idle for 1.5 s", 5);
    assert!(text.contains("idle for 1.5 s (--idle-timeout)"), "{text}");
    tcp_round_trip(addr, b"served after the idle ones left").expect("a new client is served");
    let _ = child.kill();
    let _ = child.wait();
}

/// `--max-connections` caps the clients served at once; closing one makes room.
#[test]
fn max_connections_refuses_promptly_and_frees_slots() {
    let server = Server::start(&["--max-connections", "3", "--idle-timeout", "0"]);
    let held: Vec<TcpStream> = (0..3)
        .map(|_| {
            let mut c = TcpStream::connect(server.addr).unwrap();
            c.write_all(b"x").unwrap();
            let mut b = [0u8; 1];
            c.read_exact(&mut b).unwrap();
            c
        })
        .collect();
    let t0 = Instant::now();
    let err = tcp_round_trip(server.addr, b"fourth").expect_err("a fourth client was served");
    assert!(
        t0.elapsed() < Duration::from_secs(1),
        "refused only after {:?}: {err}",
        t0.elapsed()
    );
    server.wait_log("warning: refusing new connections: 3 open, the most allowed");
    drop(held);
    server.wait_log("Disconnected");
    thread::sleep(Duration::from_millis(100));
    tcp_round_trip(server.addr, b"fifth").expect("served once a slot is free");
}

/// With a cap above what the file table holds, `accept` fails with EMFILE over and over: the
/// log says so once, then once per 5 s with a count, instead of ten times a second.
#[test]
fn a_failing_accept_is_logged_once_per_interval() {
    let (mut child, addr, log) = start_limited("--max-connections 1000 --idle-timeout 0");
    let held: Vec<TcpStream> = (0..100)
        .filter_map(|_| TcpStream::connect_timeout(&addr, Duration::from_secs(2)).ok())
        .collect();
    let text = wait_for(&log, "(repeated", 8);
    let _ = child.kill();
    let _ = child.wait();
    drop(held);
    let failed: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("accept failed"))
        .collect();
    assert!(
        (2..=3).contains(&failed.len()),
        "accept failures logged {} times:\n{}",
        failed.len(),
        failed.join("\n")
    );
    assert!(
        failed.iter().any(
            |l| l.starts_with("warning: accept failed: Too many open files")
                && l.contains("(repeated")
        ),
        "{text}"
    );
}
