//! What echoServer and echoClient put on the wire, checked by capturing loopback with tcpdump
//! during the session: one segment/datagram per line in line mode, one byte per
//! segment/datagram both ways in continuous mode, and the effect of the server's `-c`.
//!
//! These tests need tcpdump and the right to capture on `lo`; without them they fail and say
//! what is missing.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::echo::{Server, REPORT_LINES};
use crate::util::{self, Capturer};

/// One captured packet: ports and transport payload length, as tcpdump prints them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Packet {
    src_port: u16,
    dst_port: u16,
    len: usize,
}

/// tcpdump capturing `port P` on `lo`, printing one line per packet.
struct Capture {
    tcpdump: Capturer,
    lines: Arc<Mutex<Vec<String>>>,
    reader: Option<std::thread::JoinHandle<()>>,
}

impl Capture {
    fn start(port: u16) -> Capture {
        let filter = format!("port {port}");
        let mut tcpdump = Capturer::start(&[
            "-i",
            "lo",
            "-nn",
            "-l",
            "--immediate-mode",
            "-s",
            "200",
            "-B",
            "16384",
            &filter,
        ]);
        let lines = Arc::new(Mutex::new(Vec::new()));
        let shared = lines.clone();
        let stdout = tcpdump.stdout();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                shared.lock().unwrap().push(line);
            }
        });
        Capture {
            tcpdump,
            lines,
            reader: Some(reader),
        }
    }

    /// Stop capturing once tcpdump has printed every packet of the finished session (its
    /// output stopped growing), and return the packets, in order.
    fn finish(mut self) -> Vec<Packet> {
        let count = || self.lines.lock().unwrap().len();
        let _ = util::wait_stable(Duration::from_secs(5), count, |_| true);
        let _ = self.tcpdump.stop("-INT");
        if let Some(r) = self.reader.take() {
            let _ = r.join();
        }
        let lines = self.lines.lock().unwrap().clone();
        lines
            .iter()
            .filter(|l| !l.trim().is_empty())
            .map(|l| parse(l).unwrap_or_else(|| panic!("cannot read tcpdump line {l:?}")))
            .collect()
    }
}

/// `... IP 127.0.0.1.46096 > 127.0.0.1.4002: Flags [P.], seq 1:14, ..., length 13` or
/// `... IP6 ::1.53914 > ::1.4002: UDP, length 17`.
fn parse(line: &str) -> Option<Packet> {
    let (left, right) = line.split_once(" > ")?;
    let src = left.rsplit(' ').next()?;
    let (dst, rest) = right.split_once(": ")?;
    let port = |a: &str| a.rsplit('.').next()?.parse().ok();
    let len = rest.rsplit("length ").next()?.trim().parse().ok()?;
    Some(Packet {
        src_port: port(src)?,
        dst_port: port(dst)?,
        len,
    })
}

/// Require the payload sizes both to and from the server to be `sizes`.
#[track_caller]
fn assert_payloads(what: &str, packets: &[Packet], server_port: u16, sizes: &[usize]) {
    let (to, from) = payloads(packets, server_port);
    assert_eq!(
        to, sizes,
        "{what}: client payloads on the wire: {packets:?}"
    );
    assert_eq!(
        from, sizes,
        "{what}: server payloads on the wire: {packets:?}"
    );
}

/// Payload sizes (empty ACKs left out) to and from the server.
fn payloads(packets: &[Packet], server_port: u16) -> (Vec<usize>, Vec<usize>) {
    let data = |f: &dyn Fn(&Packet) -> bool| -> Vec<usize> {
        packets
            .iter()
            .filter(|p| p.len > 0 && f(p))
            .map(|p| p.len)
            .collect()
    };
    (
        data(&|p| p.dst_port == server_port),
        data(&|p| p.src_port == server_port),
    )
}

/// A server (`-t proto --ip ip` and `server_flags`) under capture, and a client run by
/// `client` given the server's port, which must exit 0: its output, the packets, the port.
fn session(
    proto: &str,
    ip: &str,
    server_flags: &[&str],
    client: impl FnOnce(&str) -> std::process::Output,
) -> (std::process::Output, Vec<Packet>, u16) {
    let mut flags = vec!["-t", proto, "--ip", ip];
    flags.extend_from_slice(server_flags);
    let server = Server::start(&flags);
    let cap = Capture::start(server.addr.port());
    let out = client(&server.port());
    let packets = cap.finish();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    (out, packets, server.addr.port())
}

/// Start echoClient with piped stdin and feed it `input` in pieces, `gap` apart.
fn paced_client(args: &[&str], pieces: &[&[u8]], gap: Duration) -> std::process::Output {
    let mut child = util::spawn("echoClient", args);
    let mut stdin = child.stdin.take().expect("piped stdin");
    for piece in pieces {
        stdin.write_all(piece).expect("feed echoClient");
        stdin.flush().unwrap();
        // Inherent: the pause between keypresses is what the test models (a typist's pace),
        // so that each piece leaves in its own segment.
        std::thread::sleep(gap);
    }
    drop(stdin);
    child.wait_with_output().expect("wait echoClient")
}

/// The report's continuous sessions: each key in its own segment/datagram, both ways.
#[test]
fn continuous_mode_sends_each_byte_alone() {
    for (proto, ip) in [
        ("TCP", "127.0.0.1"),
        ("UDP", "127.0.0.1"),
        ("TCP", "::1"),
        ("UDP", "::1"),
    ] {
        let keys: Vec<&[u8]> = vec![b"L", b"I", b"F", b"E"];
        let (out, packets, port) = session(proto, ip, &["-c"], |port| {
            // A typist's pace. The gap must outlast a scheduling delay of the server on a
            // loaded machine: a server that wakes after two keys arrived echoes both at once
            // (40 ms was seen to coalesce at a load average of 10 on 2 cores).
            let args = ["-c", "-t", proto, "--ip", ip, "-p", port];
            paced_client(&args, &keys, Duration::from_millis(150))
        });
        assert_eq!(String::from_utf8_lossy(&out.stdout), "LIFE");
        assert_payloads(&format!("{proto} {ip}"), &packets, port, &[1; 4]);
    }
}

/// The report's line sessions: each line, with its newline, in one segment/datagram.
#[test]
fn line_mode_sends_each_line_in_one_packet() {
    let input: String = REPORT_LINES.iter().map(|l| format!("{l}\n")).collect();
    let sizes: Vec<usize> = REPORT_LINES.iter().map(|l| l.len() + 1).collect();
    for (proto, ip) in [("TCP", "127.0.0.1"), ("UDP", "::1")] {
        let (_, packets, port) = session(proto, ip, &[], |port| {
            crate::echo::client(&["-t", proto, "--ip", ip, "-p", port], input.as_bytes())
        });
        assert_payloads(proto, &packets, port, &sizes);
    }
}

/// Server `-c` (TCP_NODELAY) against the default (Nagle). The client delays its ACKs
/// (TCP_QUICKACK off) and sends three 16 KiB server reads' worth plus 100 bytes at once:
/// with `-c` every read goes back in its own segment, so none is larger than one read
/// buffer; without it, reads made while the first echo is unacknowledged are held back and
/// leave together, so some segment is larger than one read.
#[test]
fn server_continuous_flag_changes_segmentation() {
    let read_buf = 16 * 1024;
    let mut largest: Vec<(Vec<&str>, Vec<usize>)> = Vec::new();
    for flags in [&["-c"][..], &[][..]] {
        let server = Server::start(flags);
        let cap = Capture::start(server.addr.port());
        for _ in 0..5 {
            burst(server.addr, 3 * read_buf + 100);
        }
        let packets = cap.finish();
        let (_, from) = payloads(&packets, server.addr.port());
        let sum: usize = from.iter().sum();
        // At least: a retransmission may add a copy, but nothing may be missing.
        assert!(
            sum >= 5 * (3 * read_buf + 100),
            "capture incomplete: {packets:?}"
        );
        largest.push((flags.to_vec(), from));
    }
    let (with_c, without) = (&largest[0].1, &largest[1].1);
    let joined = |v: &[usize]| v.iter().filter(|&&n| n > read_buf).count();
    // Without -c every burst gives Nagle the chance to join reads; with -c only the kernel's
    // own corking on a busy machine could, and far more rarely.
    assert!(
        joined(without) >= 1 && joined(with_c) < joined(without),
        "echo segments larger than one {read_buf}-byte read: with -c {} ({with_c:?}), \
         without -c {} ({without:?}); -c must send each read at once",
        joined(with_c),
        joined(without)
    );
}

/// One connection: ACKs delayed, `n` bytes written at once, all read back.
fn burst(addr: std::net::SocketAddr, n: usize) {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_nodelay(true).unwrap();
    socket2::SockRef::from(&s).set_tcp_quickack(false).unwrap();
    let data: Vec<u8> = (0..n).map(|i| i as u8).collect();
    let mut r = s.try_clone().unwrap();
    let reader = std::thread::spawn(move || {
        let mut back = vec![0u8; n];
        r.read_exact(&mut back).map(|_| back)
    });
    s.write_all(&data).unwrap();
    let back = reader.join().unwrap().expect("read the echo");
    assert!(back == data, "echo differs from what was sent");
}
