//! `echolab bench`: verified load against in-test echo servers on free ports, a corrupting
//! server, a lossy UDP server and closed ports.

use std::net::{SocketAddr, TcpListener, UdpSocket};
use std::thread;

use crate::util;

/// How an in-test server treats what it receives.
#[derive(Clone, Copy)]
enum Behaviour {
    /// Echo every byte unchanged.
    Faithful,
    /// Echo with the first byte of every chunk flipped.
    FlipFirstByte,
    /// UDP only: answer every other datagram, drop the rest.
    DropHalf,
    /// UDP only: answer every datagram twice.
    Twice,
    /// TCP only: echo the first chunk, then close the connection.
    CloseAfterFirst,
}

/// A TCP echo server on a free port of 127.0.0.1.
fn tcp_server(how: Behaviour) -> SocketAddr {
    tcp_server_on("127.0.0.1:0", how)
}

/// A TCP echo server on a free port of `ip` for the test's life: a thread per connection.
fn tcp_server_on(bind: &str, how: Behaviour) -> SocketAddr {
    use std::io::{Read, Write};
    let listener = TcpListener::bind(bind).expect("bind a free port");
    let addr = listener.local_addr().expect("local address");
    thread::spawn(move || {
        for mut s in listener.incoming().map_while(Result::ok) {
            thread::spawn(move || {
                let mut buf = [0u8; 4096];
                loop {
                    let n = match s.read(&mut buf) {
                        Ok(0) | Err(_) => return,
                        Ok(n) => n,
                    };
                    if let Behaviour::FlipFirstByte = how {
                        buf[0] ^= 0x01;
                    }
                    let sent = s.write_all(&buf[..n]);
                    if sent.is_err() || matches!(how, Behaviour::CloseAfterFirst) {
                        return;
                    }
                }
            });
        }
    });
    addr
}

/// A UDP echo server on a free port, on its own thread.
fn udp_server(how: Behaviour) -> SocketAddr {
    let socket = UdpSocket::bind("127.0.0.1:0").expect("bind a free port");
    let addr = socket.local_addr().expect("local address");
    thread::spawn(move || {
        let mut buf = vec![0u8; 65_536];
        let mut count = 0u64;
        while let Ok((n, from)) = socket.recv_from(&mut buf) {
            count += 1;
            if matches!(how, Behaviour::DropHalf) && count % 2 == 0 {
                continue;
            }
            let _ = socket.send_to(&buf[..n], from);
            if matches!(how, Behaviour::Twice) {
                let _ = socket.send_to(&buf[..n], from);
            }
        }
    });
    addr
}

/// A port nothing listens on (bound, then released).
fn closed_port() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    l.local_addr().expect("local address").port()
}

/// Run `echolab bench --json` against `addr` with extra flags, require exit code `code`
/// (showing both texts when it differs), and return `(stdout, stderr)`.
#[track_caller]
fn bench(addr: SocketAddr, extra: &[&str], code: i32) -> (String, String) {
    let port = addr.port().to_string();
    let mut args = vec!["bench", "--port", &port, "--duration", "1", "--json"];
    args.extend_from_slice(extra);
    let out = util::run("echolab", &args, b"");
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert_eq!(
        out.status.code(),
        Some(code),
        "stdout: {stdout}\nstderr: {stderr}"
    );
    (stdout, stderr)
}

/// The number after `"key":` in the report's JSON.
fn field(json: &str, key: &str) -> f64 {
    let tag = format!("\"{key}\":");
    let at = json
        .find(&tag)
        .unwrap_or_else(|| panic!("no {key} in report: {json}"))
        + tag.len();
    let rest = &json[at..];
    let end = rest.find([',', '}']).unwrap_or(rest.len());
    rest[..end]
        .parse()
        .unwrap_or_else(|_| panic!("{key} is not a number in report: {json}"))
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn bench_tcp_verifies_every_echo() {
    let addr = tcp_server(Behaviour::Faithful);
    let (stdout, stderr) = bench(addr, &["--clients", "4", "--size", "512"], 0);
    assert!(field(&stdout, "requests") > 0.0, "{stdout}");
    assert_eq!(field(&stdout, "errors"), 0.0, "{stdout}");
    assert_eq!(field(&stdout, "clients"), 4.0, "{stdout}");
    assert_eq!(field(&stdout, "size"), 512.0, "{stdout}");
    let (p50, p99, max) = (
        field(&stdout, "p50_us"),
        field(&stdout, "p99_us"),
        field(&stdout, "max_us"),
    );
    assert!(0.0 < p50 && p50 <= p99 && p99 <= max, "{stdout}");
    assert!(stderr.is_empty(), "{stderr}");
}

#[test]
fn bench_table_names_what_it_measured() {
    let addr = tcp_server(Behaviour::Faithful);
    let port = addr.port().to_string();
    let out = util::run("echolab", &["bench", "-p", &port, "--duration", "0.5"], b"");
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", text(&out.stderr));
    for row in [
        "requests/s",
        "MB/s",
        "latency p50",
        "latency p99",
        "latency max",
        "errors",
    ] {
        assert!(stdout.contains(row), "no {row:?} row in:\n{stdout}");
    }
}

#[test]
fn bench_detects_a_corrupting_server() {
    let addr = tcp_server(Behaviour::FlipFirstByte);
    let (stdout, stderr) = bench(addr, &["--clients", "2"], 1);
    assert!(field(&stdout, "mismatches") > 0.0, "{stdout}");
    assert_eq!(
        field(&stdout, "requests"),
        0.0,
        "a corrupted echo is no request"
    );
    assert!(
        stderr.starts_with("echolab: error: ") && stderr.contains("differed from what was sent"),
        "{stderr}"
    );
    assert!(stderr.contains("byte 0 is 0x"), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
}

#[test]
fn bench_closed_port_is_one_clear_line() {
    let port = closed_port().to_string();
    let out = util::run(
        "echolab",
        &["bench", "--port", &port, "--duration", "1"],
        b"",
    );
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert_eq!(
        stderr,
        format!(
            "echolab: error: connection refused by 127.0.0.1:{port} (TCP): \
             is an echo server listening there?\n"
        )
    );
    assert!(out.stdout.is_empty(), "{}", text(&out.stdout));
}

#[test]
fn bench_udp_verifies_every_echo() {
    let addr = udp_server(Behaviour::Faithful);
    let (stdout, _) = bench(addr, &["-t", "udp", "--clients", "3", "--size", "1400"], 0);
    assert!(field(&stdout, "requests") > 0.0, "{stdout}");
    assert_eq!(field(&stdout, "errors"), 0.0, "{stdout}");
    assert_eq!(field(&stdout, "lost"), 0.0, "{stdout}");
}

#[test]
fn bench_udp_counts_loss_apart_from_corruption() {
    let addr = udp_server(Behaviour::DropHalf);
    let (stdout, _) = bench(addr, &["-t", "UDP", "--timeout", "0.05"], 0);
    assert!(field(&stdout, "lost") > 0.0, "{stdout}");
    assert!(field(&stdout, "requests") > 0.0, "{stdout}");
    assert_eq!(field(&stdout, "mismatches"), 0.0, "{stdout}");
}

#[test]
fn bench_udp_closed_port_is_refused() {
    let socket = UdpSocket::bind("127.0.0.1:0").expect("bind a free port");
    let port = socket
        .local_addr()
        .expect("local address")
        .port()
        .to_string();
    drop(socket);
    let out = util::run(
        "echolab",
        &["bench", "-t", "UDP", "--port", &port, "--duration", "1"],
        b"",
    );
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.starts_with(&format!(
            "echolab: error: connection refused by 127.0.0.1:{port} (UDP)"
        )),
        "{stderr}"
    );
}

#[test]
fn bench_usage_errors_exit_2() {
    for args in [
        &["bench", "-t", "sctp"][..],
        &["bench", "--clients", "many"][..],
        &["bench", "--duration", "-1"][..],
    ] {
        let out = util::run("echolab", args, b"");
        assert_eq!(
            out.status.code(),
            Some(2),
            "{args:?}: {}",
            text(&out.stderr)
        );
    }
    let out = util::run("echolab", &["bench", "--size", "0", "--port", "1"], b"");
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out.stderr),
        "echolab: error: the message size must be at least 1 byte\n"
    );
}

#[test]
fn bench_ipv6() {
    let addr = tcp_server_on("[::1]:0", Behaviour::Faithful);
    let (stdout, _) = bench(addr, &["--ip", "::1"], 0);
    assert!(
        stdout.contains(&format!("\"addr\":\"[::1]:{}\"", addr.port())),
        "{stdout}"
    );
    assert!(field(&stdout, "requests") > 0.0, "{stdout}");
}

#[test]
fn bench_server_closing_mid_run_fails_clearly() {
    let addr = tcp_server(Behaviour::CloseAfterFirst);
    let (stdout, stderr) = bench(addr, &["--clients", "2"], 1);
    assert_eq!(field(&stdout, "io_errors"), 2.0, "{stdout}");
    // The server closes after the first echo; whether the client's second request reached
    // it before the close decides between a FIN (closed) and an RST (reset): both are right.
    let closed = "echolab: error: 2 of 2 clients failed \
                  (first: connection closed by the server during request 1)\n";
    let reset = "echolab: error: 2 of 2 clients failed \
                 (first: connection reset by the server during request 1)\n";
    assert!(stderr == closed || stderr == reset, "stderr: {stderr}");
}

#[test]
fn bench_udp_duplicates_are_late_not_corrupt() {
    let addr = udp_server(Behaviour::Twice);
    let (stdout, _) = bench(addr, &["-t", "udp"], 0);
    assert!(field(&stdout, "late") > 0.0, "{stdout}");
    assert!(field(&stdout, "requests") > 0.0, "{stdout}");
    assert_eq!(field(&stdout, "errors"), 0.0, "{stdout}");
}
