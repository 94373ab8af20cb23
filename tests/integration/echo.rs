//! echoServer and echoClient as real processes on loopback: the report's sessions through
//! pipes (TCP and UDP, IPv4 and ::1), continuous mode in a pseudo-terminal, every error with
//! its message and exit code, shutdown on signals.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream, UdpSocket};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::util;
pub use crate::util::{assert_output, client, Server};

/// The report's inputs (000_85775b57d986e02e.txt), plus an empty line.
pub const REPORT_LINES: &[&str] = &[
    "HELLO MASTER",
    "WELCOME BACK",
    "",
    "LIFE",
    "HELLO MASTER-UDP",
];

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// The report's line session, over every protocol and address family.
#[test]
fn line_sessions_tcp_udp_ipv4_ipv6() {
    let input: String = REPORT_LINES.iter().map(|l| format!("{l}\n")).collect();
    let expected: String = REPORT_LINES
        .iter()
        .map(|l| format!(">Echo: {l}\n"))
        .collect();
    let sent: usize = input.len();
    for proto in ["TCP", "UDP"] {
        for ip in ["127.0.0.1", "::1"] {
            let server = Server::start(&["-t", proto, "--ip", ip]);
            // The handout's one-dash spelling for the client.
            let out = client(
                &["-ip", ip, "-t", proto, "-p", &server.port()],
                input.as_bytes(),
            );
            assert_output(&out, 0, &expected, "");
            let log = if proto == "TCP" {
                server.wait_log(&format!("({sent} bytes echoed)"))
            } else {
                server.wait_log("Datagrams from")
            };
            let peer = if ip == "::1" { "[::1]:" } else { "127.0.0.1:" };
            assert!(
                log.contains(&format!("Socket bind complete: {proto} ")),
                "{log}"
            );
            assert!(
                log.contains(peer),
                "{proto} {ip}: client address not logged:\n{log}"
            );
            if proto == "TCP" {
                assert!(log.contains("Socket now listening on"), "{log}");
                assert!(log.contains(&format!("Connected with {peer}")), "{log}");
                assert!(log.contains(&format!("Disconnected {peer}")), "{log}");
            }
        }
    }
}

/// `quit` ends the session; what follows is not sent. Input without a final newline is sent
/// with one.
#[test]
fn quit_and_last_line_without_newline() {
    let server = Server::start(&[]);
    let out = client(
        &["-p", &server.port()],
        b"HELLO MASTER\nquit\nWELCOME BACK\n",
    );
    assert_output(&out, 0, ">Echo: HELLO MASTER\n", "");
    server.wait_log("(13 bytes echoed)");
    let out = client(&["-p", &server.port()], b"LIFE");
    assert_output(&out, 0, ">Echo: LIFE\n", "");
    server.wait_log("(5 bytes echoed)");
}

/// Bytes that are not text come back unchanged and are shown escaped, both protocols.
#[test]
fn binary_lines_are_lossless_and_escaped() {
    for proto in ["TCP", "UDP"] {
        let server = Server::start(&["-t", proto]);
        let out = client(
            &["-t", proto, "-p", &server.port()],
            b"\xff\x00\x1b[1m\\ \xc3\xa9\t\r\n",
        );
        assert_output(&out, 0, ">Echo: \\xff\\0\\x1b[1m\\\\ é\\t\\r\n", "");
    }
}

/// Continuous mode through a pipe: bytes go one at a time, echoes are shown as they come.
#[test]
fn continuous_sessions_through_pipes() {
    for proto in ["TCP", "UDP"] {
        for ip in ["127.0.0.1", "::1"] {
            let server = Server::start(&["-t", proto, "--ip", ip, "-c"]);
            let out = client(
                &["-c", "-t", proto, "--ip", ip, "-p", &server.port()],
                b"LIFE\n\xfeok\n",
            );
            assert_output(&out, 0, "LIFE\n\\xfeok\n", "");
        }
    }
}

#[test]
fn version_and_help() {
    for prog in ["echoServer", "echoClient"] {
        let out = util::run(prog, &["-v"], b"");
        assert_output(
            &out,
            0,
            &format!("{prog} version {}\n", env!("CARGO_PKG_VERSION")),
            "",
        );
        let out = util::run(prog, &["-h"], b"");
        let help = text(&out.stdout);
        assert_eq!(out.status.code(), Some(0));
        assert!(
            help.starts_with(&format!("Usage: {prog} [options]\n")),
            "{help}"
        );
        for opt in [
            "-c ",
            "-h, --help",
            "--ip IPADD",
            "-p, --port PORT",
            "-t TCP/UDP",
            "-v, --version",
        ] {
            let lines: Vec<&str> = help
                .lines()
                .filter(|l| l.trim_start().starts_with(opt))
                .collect();
            assert_eq!(
                lines.len(),
                1,
                "{prog} -h: option {opt} on one line:\n{help}"
            );
        }
    }
    let help = text(&util::run("echoServer", &["-h"], b"").stdout);
    assert!(
        help.contains("TCP_NODELAY"),
        "-c must say what it does:\n{help}"
    );
    let help = text(&util::run("echoClient", &["-h"], b"").stdout);
    assert!(help.contains("--timeout SECS"), "{help}");
}

/// Usage errors: one line, exit 2; unknown options: clap's usage, exit 2.
#[test]
fn usage_errors() {
    let cases: &[(&str, &[&str], &str)] = &[
        ("echoServer", &["-t", "SCTP"], "echoServer: error: invalid protocol 'SCTP': expected TCP or UDP\n"),
        ("echoServer", &["--ip", "1.2.3"], "echoServer: error: invalid IP address '1.2.3': expected an address such as 127.0.0.1 or ::1\n"),
        ("echoServer", &["-ip", "localhost"], "echoServer: error: invalid IP address 'localhost': expected an address such as 127.0.0.1 or ::1\n"),
        ("echoServer", &["-p", "70000"], "echoServer: error: invalid port '70000': expected a number from 1 to 65535\n"),
        ("echoClient", &["-t", "tcpx"], "echoClient: error: invalid protocol 'tcpx': expected TCP or UDP\n"),
        ("echoClient", &["-p", "0"], "echoClient: error: invalid port '0': expected a number from 1 to 65535\n"),
        ("echoClient", &["--timeout", "-1"], "echoClient: error: invalid timeout '-1': expected seconds greater than 0, such as 2 or 0.5\n"),
    ];
    for (prog, args, stderr) in cases {
        let out = util::run(prog, args, b"");
        assert_output(&out, 2, "", stderr);
    }
    for prog in ["echoServer", "echoClient"] {
        let out = util::run(prog, &["--bogus"], b"");
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(
            err.contains("'--bogus'") && err.contains(&format!("Usage: {prog} [options]")),
            "{err}"
        );
    }
}

/// Bind errors: one line naming the problem, exit 1.
#[test]
fn server_bind_errors() {
    let first = Server::start(&[]);
    let out = util::run("echoServer", &["-p", &first.port()], b"");
    let addr = first.addr;
    assert_output(
        &out,
        1,
        "",
        &format!("echoServer: error: address {addr} is already in use (is another echoServer running? choose another port with -p)\n"),
    );
    let udp = Server::start(&["-t", "udp"]);
    let out = util::run("echoServer", &["-t", "UDP", "-p", &udp.port()], b"");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("is already in use"),
        "{}",
        text(&out.stderr)
    );

    // 192.0.2.1 (TEST-NET-1, RFC 5737) is never an address of this host.
    let out = util::run("echoServer", &["--ip", "192.0.2.1"], b"");
    assert_output(
        &out,
        1,
        "",
        "echoServer: error: address 192.0.2.1 is not an address of this host (use 127.0.0.1, ::1 or one shown by `ip addr`)\n",
    );
}

/// Port 80 as an unprivileged user: permission denied, said so, exit 1.
#[test]
fn server_permission_denied() {
    let start = std::fs::read_to_string("/proc/sys/net/ipv4/ip_unprivileged_port_start")
        .unwrap_or_default();
    assert_eq!(
        start.trim(),
        "1024",
        "this test needs ports below 1024 to be privileged"
    );
    let copy = crate::nobody::runnable(&util::bin("echoServer"));
    let out = crate::nobody::setpriv(&copy.path)
        .args(["-p", "80"])
        .output()
        .expect("run setpriv");
    assert_output(
        &out,
        1,
        "",
        "echoServer: error: permission denied binding 127.0.0.1:80 (ports below 1024 need root or CAP_NET_BIND_SERVICE; use a port such as 4002)\n",
    );
}

/// A free port on 127.0.0.1 with nothing listening (TCP) or bound (UDP).
fn unused_port() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let u = UdpSocket::bind(l.local_addr().unwrap());
    let port = l.local_addr().unwrap().port();
    drop((l, u));
    port
}

#[test]
fn client_tcp_refused_reset_closed() {
    let port = unused_port().to_string();
    let out = client(&["-p", &port], b"HELLO MASTER\n");
    assert_output(
        &out,
        1,
        "",
        &format!("echoClient: error: connection to 127.0.0.1:{port} refused (is echoServer -t TCP running on that address and port?)\n"),
    );

    // A server that accepts, then closes without echoing.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let closer = std::thread::spawn(move || {
        // Read the line first: closing with unread data would reset instead.
        let (s, _) = listener.accept().unwrap();
        let mut b = [0u8; 64];
        let _ = (&s).read(&mut b);
        drop(s);
        // And one that resets: SO_LINGER 0 turns close into RST.
        let (s, _) = listener.accept().unwrap();
        let mut b = [0u8; 64];
        let _ = (&s).read(&mut b);
        socket2::SockRef::from(&s)
            .set_linger(Some(Duration::ZERO))
            .unwrap();
        drop(s);
    });
    let out = client(&["-p", &addr.port().to_string()], b"HELLO MASTER\n");
    assert_output(
        &out,
        1,
        "",
        &format!("echoClient: error: server {addr} closed the connection\n"),
    );
    let out = client(&["-p", &addr.port().to_string()], b"HELLO MASTER\n");
    assert_output(
        &out,
        1,
        "",
        &format!("echoClient: error: connection to {addr} was reset by the server\n"),
    );
    closer.join().unwrap();
}

/// A server that stops while the client waits for input: noticed at once, exit 1.
#[test]
fn client_notices_server_shutdown() {
    let server = Server::start(&[]);
    let mut c = util::start("echoClient", &["-p", &server.port()]);
    let mut stdin = c.stdin.take().unwrap();
    stdin.write_all(b"HELLO MASTER\n").unwrap();
    // The echo is on the client's screen (it flushes every write): now it waits for input.
    let screen = Arc::new(Mutex::new(Vec::new()));
    let shared = screen.clone();
    let mut pipe = c.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut b = [0u8; 256];
        while let Ok(n @ 1..) = pipe.read(&mut b) {
            shared.lock().unwrap().extend_from_slice(&b[..n]);
        }
    });
    let echoed = || screen.lock().unwrap().ends_with(b"Echo: HELLO MASTER\n");
    assert!(
        util::wait_until(Duration::from_secs(10), echoed),
        "no echo: {:?}",
        String::from_utf8_lossy(&screen.lock().unwrap())
    );
    let addr = server.addr;
    let (status, _) = server.stop("-TERM");
    assert_eq!(status.code(), Some(0));
    let mut out = c.finish(Duration::from_secs(10));
    drop(stdin);
    reader.join().unwrap();
    out.stdout = screen.lock().unwrap().clone();
    assert_output(
        &out,
        1,
        ">Echo: HELLO MASTER\n",
        &format!("echoClient: error: server {addr} closed the connection\n"),
    );
}

#[test]
fn client_udp_no_echo_and_port_unreachable() {
    // Bound but silent: no ICMP, so only the timeout can tell.
    let silent = UdpSocket::bind("127.0.0.1:0").unwrap();
    let port = silent.local_addr().unwrap().port().to_string();
    let t = Instant::now();
    let out = client(
        &["-t", "UDP", "-p", &port, "--timeout", "0.3"],
        b"HELLO MASTER-UDP\nLIFE\n",
    );
    let note = format!(
        "echoClient: no echo from 127.0.0.1:{port} within 0.3 s — is echoServer -t UDP running?\n"
    );
    assert_output(
        &out,
        1,
        "",
        &format!(
            "{note}{note}echoClient: error: 2 of 2 message(s) to 127.0.0.1:{port} got no echo\n"
        ),
    );
    assert!(
        t.elapsed() >= Duration::from_millis(600),
        "the client went on before the timeout"
    );
    let mut buf = [0u8; 64];
    let (n, _) = silent.recv_from(&mut buf).unwrap();
    assert_eq!(&buf[..n], b"HELLO MASTER-UDP\n");
    let (n, _) = silent.recv_from(&mut buf).unwrap();
    assert_eq!(
        &buf[..n],
        b"LIFE\n",
        "the client must go on after a missing echo"
    );

    // Continuous mode: one note for the bytes that got no echo, then the verdict.
    let out = client(&["-c", "-t", "UDP", "-p", &port, "--timeout", "0.3"], b"ab");
    assert_output(
        &out,
        1,
        "",
        &format!("{note}echoClient: error: 2 of 2 message(s) to 127.0.0.1:{port} got no echo\n"),
    );

    // Nothing bound: the kernel answers with ICMP port unreachable.
    let port = unused_port().to_string();
    for mode in [&[][..], &["-c"][..]] {
        let mut args = vec!["-t", "udp", "-p", &port];
        args.extend(mode);
        let out = client(&args, b"HELLO MASTER-UDP\n");
        assert_output(
            &out,
            1,
            "",
            &format!("echoClient: error: 127.0.0.1:{port} is unreachable: ICMP port unreachable (is echoServer -t UDP running on that address and port?)\n"),
        );
    }
}

/// Ctrl-C and SIGTERM: stop accepting, close connections, exit 0.
#[test]
fn server_stops_on_signals() {
    for (proto, signal) in [("TCP", "-INT"), ("TCP", "-TERM"), ("UDP", "-TERM")] {
        let server = Server::start(&["-t", proto]);
        let addr = server.addr;
        let conn = (proto == "TCP").then(|| {
            let c = TcpStream::connect(addr).unwrap();
            server.wait_log("Connected with");
            c
        });
        let (status, log) = server.stop(signal);
        assert_eq!(status.code(), Some(0), "{proto} {signal}:\n{log}");
        assert!(log.ends_with("echoServer stopped\n"), "{log}");
        if let Some(mut c) = conn {
            assert!(
                log.contains("Shutting down: closing 1 connection(s)"),
                "{log}"
            );
            c.set_read_timeout(Some(Duration::from_secs(2))).unwrap();
            let mut b = [0u8; 1];
            assert_eq!(c.read(&mut b).unwrap_or(0), 0, "connection must be closed");
            assert!(
                TcpStream::connect(addr).is_err(),
                "still accepting after {signal}"
            );
        }
    }
}

/// Datagrams from echo-type ports (7, 19, the server's own) are not answered, logged once.
#[test]
fn udp_ignores_echo_service_ports() {
    let server = Server::start(&["-t", "UDP"]);
    let own = server.addr.port();
    // 127.0.0.2 is loopback too, so the server's own port number is free there.
    for src in [
        SocketAddr::from(([127, 0, 0, 2], own)),
        SocketAddr::from(([127, 0, 0, 2], 7)),
    ] {
        let s = UdpSocket::bind(src).unwrap_or_else(|e| panic!("bind {src}: {e}"));
        s.set_read_timeout(Some(Duration::from_millis(300)))
            .unwrap();
        s.send_to(b"ping", server.addr).unwrap();
        s.send_to(b"ping", server.addr).unwrap();
        let mut b = [0u8; 16];
        assert!(
            s.recv_from(&mut b).is_err(),
            "a datagram from {src} was answered"
        );
        let log = server.wait_log(&format!("Not answering {src}"));
        assert_eq!(
            log.matches(&format!("Not answering {src}")).count(),
            1,
            "{log}"
        );
    }
    // Any other port is answered.
    let s = UdpSocket::bind("127.0.0.2:0").unwrap();
    s.set_read_timeout(Some(Duration::from_secs(2))).unwrap();
    s.send_to(b"ping", server.addr).unwrap();
    let mut b = [0u8; 16];
    assert_eq!(s.recv_from(&mut b).unwrap().0, 4);
}

/// A line longer than all socket buffers together (about 20 MB on loopback) comes back
/// whole: the client reads the echo while it is still writing.
#[test]
fn very_long_line_does_not_deadlock() {
    let server = Server::start(&[]);
    let mut line = vec![b'a'; 24 << 20];
    line.push(b'\n');
    let out = client(&["-p", &server.port()], &line);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(out.stdout.len(), ">Echo: ".len() + line.len());
}

/// A reader that goes away (`| head -2`) ends the client quietly with exit 0.
#[test]
fn closed_stdout_exits_quietly() {
    let server = Server::start(&[]);
    let mut c = util::spawn("echoClient", &["-p", &server.port()]);
    let mut stdin = c.stdin.take().unwrap();
    let feeder = std::thread::spawn(move || {
        for _ in 0..100_000 {
            if stdin.write_all(b"HELLO MASTER\n").is_err() {
                break;
            }
        }
    });
    let mut first = String::new();
    BufReader::new(c.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert_eq!(first, ">Echo: HELLO MASTER\n");
    let out = c.wait_with_output().unwrap();
    feeder.join().unwrap();
    assert_output(&out, 0, "", "");
}

/// A line too long for one UDP datagram is refused with a note; the session goes on.
#[test]
fn udp_line_too_long_for_a_datagram() {
    let server = Server::start(&["-t", "UDP"]);
    // The largest datagram, 65,507 bytes with its newline, goes through; one more does not.
    let largest = "y".repeat(65_506);
    let mut input = format!("{largest}\n").into_bytes();
    input.extend(vec![b'x'; 65_507]);
    input.extend_from_slice(b"\nLIFE\n");
    let out = client(&["-t", "UDP", "-p", &server.port()], &input);
    let addr = server.addr;
    assert_output(
        &out,
        1,
        &format!(">Echo: {largest}\n>Echo: LIFE\n"),
        &format!(
            "echoClient: line of 65508 bytes is too long for one UDP datagram (at most 65507)\n\
             echoClient: error: 1 of 3 message(s) to {addr} got no echo\n"
        ),
    );
}
