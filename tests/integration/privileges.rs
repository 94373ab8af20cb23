//! A live capture gives up root once its socket and output file are open, before it reads a
//! frame (tcpdump's `-Z`, Debian's `--with-user`): what the kernel says of the running process
//! (`/proc/PID/status`) shows no root id, no group, no capability and `no_new_privs`, while it
//! goes on capturing and writing into a folder only root may enter.

use std::net::UdpSocket;
use std::os::unix::fs::PermissionsExt;
use std::time::Duration;

use crate::util::{require_root, run, wait_until, Capturer};

/// The lines of `/proc/PID/status` named `key`, without the key.
fn status(pid: u32, key: &str) -> String {
    let text = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    text.lines()
        .find_map(|l| l.strip_prefix(&format!("{key}:")))
        .unwrap_or_default()
        .trim()
        .to_string()
}

fn send(port: u16, n: usize) {
    let sock = UdpSocket::bind("127.0.0.1:0").unwrap();
    for i in 0..n {
        sock.send_to(format!("frame {i}").as_bytes(), ("127.0.0.1", port))
            .unwrap();
    }
}

/// A free UDP port (bound then released).
fn free_port() -> u16 {
    UdpSocket::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[test]
fn a_live_capture_drops_root_and_every_capability_and_keeps_writing() {
    drops_root_and_keeps_writing("lo");
}

/// The same on `any`, whose socket is a cooked (`SOCK_DGRAM`) one bound to no interface.
#[test]
fn a_capture_on_any_drops_root_and_keeps_writing() {
    drops_root_and_keeps_writing("any");
}

fn drops_root_and_keeps_writing(interface: &str) {
    require_root();
    let dir = tempfile::tempdir().unwrap();
    let private = dir.path().join("root-only");
    std::fs::create_dir(&private).unwrap();
    std::fs::set_permissions(&private, std::fs::Permissions::from_mode(0o700)).unwrap();
    let out = private.join("capture.pcap");
    let port = free_port();
    let filter = format!("udp port {port}");
    let out_name = out.to_str().unwrap();
    let cap = Capturer::echolab(&["dump", "-i", interface, "-w", out_name, &filter]);
    let pid = cap.pid();
    let dropped = wait_until(Duration::from_secs(5), || {
        status(pid, "Uid") != "0\t0\t0\t0"
    });
    assert!(dropped, "still root: Uid {}", status(pid, "Uid"));
    assert_eq!(
        status(pid, "Uid"),
        "65534\t65534\t65534\t65534",
        "uid: nobody"
    );
    assert_eq!(
        status(pid, "Gid"),
        "65534\t65534\t65534\t65534",
        "gid: nobody's"
    );
    assert_eq!(status(pid, "Groups"), "", "no supplementary group");
    for set in ["CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb"] {
        assert_eq!(status(pid, set), "0000000000000000", "{set} is empty");
    }
    assert_eq!(status(pid, "NoNewPrivs"), "1");
    // Still capturing, still writing the file opened as root.
    send(port, 5);
    let (exit, said) = cap.stop("-INT");
    assert!(exit.success(), "{said}");
    assert!(said.contains("5 packets captured"), "{said}");
    let read = run(
        "echolab",
        &["dump", "-nn", "-r", out.to_str().unwrap()],
        b"",
    );
    let text = String::from_utf8_lossy(&read.stdout);
    assert_eq!(text.lines().count(), 5, "{text}");
}

#[test]
fn dash_z_root_keeps_root_as_tcpdump_does() {
    require_root();
    let port = free_port();
    let filter = format!("udp port {port}");
    let cap = Capturer::echolab(&["dump", "-i", "lo", "-Z", "root", "-c", "1", &filter]);
    let pid = cap.pid();
    // Give a drop the time it would take, then look.
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(status(pid, "Uid"), "0\t0\t0\t0");
    send(port, 1);
    let (exit, said) = cap.stop("-INT");
    assert!(exit.success(), "{said}");
}

#[test]
fn an_unknown_user_is_one_line_and_status_1() {
    require_root();
    let out = run(
        "echolab",
        &[
            "dump",
            "-i",
            "lo",
            "-Z",
            "no-such-user-here",
            "-c",
            "1",
            "udp port 9",
        ],
        b"",
    );
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    let last = err.lines().last().unwrap_or_default();
    assert!(last.contains("no-such-user-here"), "{err}");
}

/// `echoServer --pcap` into a root-only folder: once its socket is bound and its capture and
/// file are open, the server runs as nobody with no capability, and still echoes and records.
#[test]
fn echo_server_with_a_capture_drops_root_after_opening_it() {
    require_root();
    let dir = tempfile::tempdir().unwrap();
    let private = dir.path().join("root-only");
    std::fs::create_dir(&private).unwrap();
    std::fs::set_permissions(&private, std::fs::Permissions::from_mode(0o700)).unwrap();
    let out = private.join("server.pcap");
    let server = crate::util::Server::start(&["-t", "UDP", "--pcap", out.to_str().unwrap()]);
    let pid = server.pid();
    let dropped = wait_until(Duration::from_secs(5), || {
        status(pid, "Uid") != "0\t0\t0\t0"
    });
    assert!(dropped, "still root: Uid {}", status(pid, "Uid"));
    assert_eq!(status(pid, "Uid"), "65534\t65534\t65534\t65534");
    for set in ["CapPrm", "CapEff", "CapAmb"] {
        assert_eq!(status(pid, set), "0000000000000000", "{set} is empty");
    }
    let sock = UdpSocket::bind("127.0.0.1:0").unwrap();
    sock.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    sock.send_to(b"still echoing\n", server.addr).unwrap();
    let mut buf = [0u8; 64];
    let (n, _) = sock.recv_from(&mut buf).expect("an echo after the drop");
    assert_eq!(&buf[..n], b"still echoing\n");
    // A graceful stop flushes the capture file (a kill, when `server` is dropped, would not).
    let term = std::process::Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .unwrap();
    assert!(term.success());
    let grown = wait_until(Duration::from_secs(5), || {
        std::fs::metadata(&out).is_ok_and(|m| m.len() > 24)
    });
    assert!(grown, "the capture file holds the exchange");
    drop(server);
}
