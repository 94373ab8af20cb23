//! `echolab dump -i any` (Linux cooked v2), `-Q in|out|inout` and `-D`, each against tcpdump
//! 4.99.3 run at the same time on the same traffic: the same packets, the same text but the
//! timestamps, files tcpdump and tshark read. They need root, tcpdump and tshark, and fail
//! saying so when these are missing.

use std::io::Read;
use std::net::{TcpListener, TcpStream, UdpSocket};
use std::path::Path;
use std::process::{ChildStdout, Command};
use std::thread::JoinHandle;
use std::time::Duration;

use crate::util::{self, assert_text_eq, run, Capturer};

fn require() {
    util::require_root();
    util::require("tcpdump");
    util::require("tshark");
}

/// A capturer and the thread gathering what it prints.
struct Printing {
    cap: Capturer,
    out: JoinHandle<String>,
}

impl Printing {
    fn start(prog: &str, args: &[&str]) -> Printing {
        // `echolab` runs `echolab dump`, `echolab-flow` `echolab flow`.
        let mut cap = if prog == "tcpdump" {
            Capturer::start(args)
        } else {
            let command = if prog == "echolab-flow" {
                "flow"
            } else {
                "dump"
            };
            let mut all = vec![command];
            all.extend_from_slice(args);
            Capturer::echolab(&all)
        };
        let mut pipe: ChildStdout = cap.stdout();
        let out = std::thread::spawn(move || {
            let mut s = String::new();
            let _ = pipe.read_to_string(&mut s);
            s
        });
        Printing { cap, out }
    }

    /// Stop with SIGINT: what it printed on stdout, and on stderr after `listening on`.
    fn stop(self) -> (String, String) {
        let (status, said) = self.cap.stop("-INT");
        assert!(status.success(), "{status}: {said}");
        (self.out.join().expect("reader"), said)
    }
}

/// Each line without its timestamp (the first word), blank lines dropped.
fn untimed(text: &str) -> String {
    text.lines()
        .filter(|l| !l.is_empty())
        .map(|l| l.split_once(' ').map_or(l, |(_, rest)| rest))
        .map(|l| format!("{l}\n"))
        .collect()
}

/// Loopback traffic on fresh ports: a UDP request and its answer, a TCP connection opened,
/// one line each way and closed; then a UDP datagram to a documentation address, which
/// leaves through the default route (an outgoing frame on a real interface). Returns the
/// ports, to filter on.
fn traffic() -> (u16, u16, u16) {
    let server = UdpSocket::bind("127.0.0.1:0").unwrap();
    let client = UdpSocket::bind("127.0.0.1:0").unwrap();
    let udp = server.local_addr().unwrap().port();
    client
        .send_to(b"ping over udp\n", ("127.0.0.1", udp))
        .unwrap();
    let mut buf = [0u8; 64];
    let (n, from) = server.recv_from(&mut buf).unwrap();
    server.send_to(&buf[..n], from).unwrap();
    client.recv_from(&mut buf).unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let tcp = listener.local_addr().unwrap().port();
    let mut c = TcpStream::connect(("127.0.0.1", tcp)).unwrap();
    let (mut s, _) = listener.accept().unwrap();
    use std::io::Write;
    c.write_all(b"hello\n").unwrap();
    let mut line = [0u8; 6];
    s.read_exact(&mut line).unwrap();
    s.write_all(&line).unwrap();
    c.read_exact(&mut line).unwrap();
    drop(c);
    let _ = s.read(&mut line);
    drop(s);
    let out = UdpSocket::bind("0.0.0.0:0").unwrap();
    let away = out.local_addr().unwrap().port();
    out.send_to(b"leaving\n", ("192.0.2.1", 9))
        .expect("a default route (the test sends one datagram out of a real interface)");
    // Let the last frames reach both capturers (-l: blocks are handed over within 100 ms).
    std::thread::sleep(Duration::from_millis(1500));
    (udp, tcp, away)
}

/// The ports `traffic()` will use cannot be known before it binds them: the captures take
/// every TCP and UDP packet and the texts are compared on the lines about those ports.
const PORTS: &str = "udp or tcp";

/// `tcpdump -r FILE -nn -e` with TZ=UTC.
fn read_back(file: &Path) -> String {
    let out = Command::new("tcpdump")
        .args(["-nn", "-e", "-r"])
        .arg(file)
        .env("TZ", "UTC")
        .output()
        .expect("run tcpdump -r");
    assert!(out.status.success(), "tcpdump -r {file:?}: {out:?}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Only the lines about our own ports.
fn ours(text: &str, ports: (u16, u16, u16)) -> String {
    let (udp, tcp, away) = ports;
    let marks: Vec<String> = [udp, tcp, away]
        .iter()
        .flat_map(|p| [format!(".{p} "), format!(".{p}:")])
        .collect();
    text.lines()
        .filter(|l| marks.iter().any(|m| l.contains(m.as_str())))
        .map(|l| format!("{l}\n"))
        .collect()
}

/// `-i any` printed (`-nn`, `-nn -e`, with a filter and without one) and written (`-w`, read
/// back by tcpdump and tshark) beside tcpdump capturing the same traffic at the same time.
#[test]
fn any_device_prints_and_writes_as_tcpdump() {
    require();
    let dir = tempfile::tempdir().unwrap();
    let theirs_file = dir.path().join("tcpdump.pcap");
    let ours_file = dir.path().join("echolab.pcap");
    let variants: [&[&str]; 3] = [&["-nn", PORTS], &["-nn", "-e", PORTS], &["-nn", "-e"]];
    let mut pairs = Vec::new();
    for flags in variants {
        let mut args = vec!["-i", "any", "-l"];
        args.extend_from_slice(flags);
        pairs.push((
            Printing::start("tcpdump", &args),
            Printing::start("echolab", &args),
        ));
    }
    let w = |f: &Path| -> Vec<String> {
        let file = f.to_str().unwrap();
        ["-i", "any", "-U", "-w", file, PORTS]
            .map(String::from)
            .to_vec()
    };
    let (tw, ew) = (w(&theirs_file), w(&ours_file));
    let writers = (
        Printing::start(
            "tcpdump",
            &tw.iter().map(String::as_str).collect::<Vec<_>>(),
        ),
        Printing::start(
            "echolab",
            &ew.iter().map(String::as_str).collect::<Vec<_>>(),
        ),
    );
    let ports = traffic();
    for (i, (theirs, us)) in pairs.into_iter().enumerate() {
        let ((t, tsaid), (u, usaid)) = (theirs.stop(), us.stop());
        let (t, u) = (ours(&t, ports), ours(&u, ports));
        assert!(
            t.contains(" In ") && t.contains(" Out "),
            "tcpdump saw both directions:\n{t}\n{tsaid}"
        );
        assert_text_eq(
            &format!("-i any, variant {i}, without timestamps"),
            &untimed(&t),
            &untimed(&u),
        );
        assert!(usaid.contains("packets captured"), "{usaid}");
    }
    writers.0.stop();
    let (_, said) = writers.1.stop();
    assert!(said.contains("packets captured"), "{said}");
    let theirs = ours(&read_back(&theirs_file), ports);
    let us = read_back(&ours_file);
    assert!(
        us.contains("lo    In ") || us.contains("lo In "),
        "cooked v2 records name the interface:\n{us}"
    );
    assert_text_eq(
        "-i any -w, read back by tcpdump",
        &untimed(&theirs),
        &untimed(&ours(&us, ports)),
    );
    let shark = Command::new("tshark")
        .args(["-V", "-c", "1", "-r", ours_file.to_str().unwrap()])
        .env("HOME", std::env::temp_dir())
        .output()
        .expect("run tshark");
    let text = String::from_utf8_lossy(&shark.stdout);
    assert!(
        shark.status.success() && text.contains("Linux cooked capture v2"),
        "tshark -r: {shark:?}"
    );
}

/// `-Q in` and `-Q out` on `lo` and on `any`, beside tcpdump with the same options: `lo`
/// shows each frame once, as received; `any` shows `lo`'s frames in and the real
/// interface's outgoing frame out.
#[test]
fn direction_filter_as_tcpdump() {
    require();
    let mut pairs = Vec::new();
    for dev in ["lo", "any"] {
        for dir in ["in", "out", "INOUT"] {
            let args = ["-i", dev, "-l", "-nn", "-Q", dir, PORTS];
            pairs.push((
                format!("-i {dev} -Q {dir}"),
                Printing::start("tcpdump", &args),
                Printing::start("echolab", &args),
            ));
        }
    }
    let ports = traffic();
    for (what, theirs, us) in pairs {
        let (t, u) = (ours(&theirs.stop().0, ports), ours(&us.stop().0, ports));
        if what == "-i lo -Q in" || what == "-i any -Q out" {
            assert!(!t.is_empty(), "{what}: tcpdump saw nothing");
        }
        assert_text_eq(&what, &untimed(&t), &untimed(&u));
    }
}

/// `-D` lists what `tcpdump -D` lists, in its order and words, but for the capture sources
/// that are not network interfaces (Bluetooth, netfilter, D-Bus, usbmon: libpcap lists them
/// after every interface, echolab does not capture on them).
#[test]
fn list_interfaces_as_tcpdump() {
    util::require("tcpdump");
    let theirs = Command::new("tcpdump")
        .arg("-D")
        .output()
        .expect("run tcpdump -D");
    assert!(theirs.status.success(), "{theirs:?}");
    let theirs = String::from_utf8_lossy(&theirs.stdout).into_owned();
    let is_interface = |line: &str| {
        let name = line
            .split_once('.')
            .map_or("", |(_, r)| r.split(' ').next().unwrap_or(""));
        name == "any" || Path::new("/sys/class/net").join(name).exists()
    };
    let kept: Vec<&str> = theirs.lines().take_while(|l| is_interface(l)).collect();
    assert!(
        theirs.lines().skip(kept.len()).all(|l| !is_interface(l)),
        "tcpdump lists an interface after another source:\n{theirs}"
    );
    let expected: String = kept.iter().map(|l| format!("{l}\n")).collect();
    for flag in ["-D", "--list-interfaces"] {
        let out = run("echolab", &["dump", flag], b"");
        assert_eq!(out.status.code(), Some(0), "{out:?}");
        assert_text_eq(
            &format!("echolab dump {flag}"),
            &expected,
            &String::from_utf8_lossy(&out.stdout),
        );
    }
}

/// A bad direction is tcpdump's message as a usage error; `-D` and `-Q` with `-r` are usage
/// errors too. Exit 2, one line (clap's usage lines follow its own).
#[test]
fn bad_direction_and_conflicts_are_usage_errors() {
    let out = run("echolab", &["dump", "-i", "lo", "-Q", "sideways"], b"");
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "echolab dump: error: unknown capture direction `sideways'\n"
    );
    for flags in [["-D", "-r"], ["-Qin", "-r"]] {
        let out = run("echolab", &["dump", flags[0], flags[1], "x.pcap"], b"");
        assert_eq!(out.status.code(), Some(2), "{flags:?}: {out:?}");
        assert!(out.stdout.is_empty(), "{out:?}");
    }
}

/// `echolab flow -i any` filters the cooked records (the expression compiled for them) and
/// draws the conversation as on `lo`.
#[test]
fn flow_on_any_draws_the_conversation() {
    util::require_root();
    let server = UdpSocket::bind("127.0.0.1:0").unwrap();
    let port = server.local_addr().unwrap().port();
    let filter = format!("udp port {port}");
    let flow = Printing::start("echolab-flow", &["-i", "any", &filter]);
    let client = UdpSocket::bind("127.0.0.1:0").unwrap();
    client.send_to(b"hello\n", ("127.0.0.1", port)).unwrap();
    let mut buf = [0u8; 16];
    let (n, from) = server.recv_from(&mut buf).unwrap();
    server.send_to(&buf[..n], from).unwrap();
    // Unrelated traffic the filter must keep out.
    client.send_to(b"elsewhere\n", ("127.0.0.1", 9)).unwrap();
    std::thread::sleep(Duration::from_millis(300));
    let (drawn, said) = flow.stop();
    assert!(said.contains("2 packets captured"), "{said}");
    let client_port = client.local_addr().unwrap().port();
    // The heading is drawn with the first packet, the echo below it.
    let head = format!("#1 UDP 127.0.0.1:{client_port} ⇄ 127.0.0.1:{port}, 1 packet");
    assert!(drawn.contains(&head), "{drawn}");
    assert_eq!(
        drawn.matches("UDP len 6 \"hello\\n\"").count(),
        2,
        "{drawn}"
    );
    assert!(
        drawn.contains("rtt ") && !drawn.contains("elsewhere"),
        "{drawn}"
    );
}
