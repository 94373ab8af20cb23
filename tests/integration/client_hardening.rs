//! echoClient against servers that misbehave, on loopback: one that reads but never answers,
//! one that never reads. The client must give up after its echo timeout, end at once on every
//! signal it promises to handle (whatever it is blocked on), leave a raw terminal cooked, and
//! hold a line of any length in bounded memory.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener};
use std::process::{Child, Command, ExitStatus};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

use crate::echo::Server;
use crate::echo_pty::{assert_cooked, Terminal};
use crate::util;

/// How a silent server treats what it is sent.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Silent {
    /// Reads everything, answers nothing; reports how many bytes it has read.
    Reads,
    /// Accepts and never reads, with a small receive buffer and a small MSS, so that the
    /// client's send queue fills after a few tens of kilobytes.
    NeverReads,
}

/// A TCP server on a free loopback port that never answers; `read` counts what it read.
struct SilentServer {
    addr: SocketAddr,
    read: Arc<AtomicUsize>,
}

impl SilentServer {
    fn start(kind: Silent) -> SilentServer {
        let socket = socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None)
            .expect("TCP socket");
        if kind == Silent::NeverReads {
            socket.set_recv_buffer_size(4096).expect("SO_RCVBUF");
            socket.set_tcp_mss(536).expect("TCP_MAXSEG");
        }
        let any: SocketAddr = "127.0.0.1:0".parse().unwrap();
        socket.bind(&any.into()).expect("bind loopback");
        socket.listen(4).expect("listen");
        let listener: TcpListener = socket.into();
        let addr = listener.local_addr().unwrap();
        let read = Arc::new(AtomicUsize::new(0));
        let counter = read.clone();
        std::thread::spawn(move || {
            let Ok((mut s, _)) = listener.accept() else {
                return;
            };
            if kind == Silent::NeverReads {
                // Hold the connection open, unread, until the test process ends.
                std::thread::sleep(Duration::from_secs(600));
                drop(s);
                return;
            }
            let mut buf = [0u8; 4096];
            while let Ok(n) = s.read(&mut buf) {
                if n == 0 {
                    break;
                }
                counter.fetch_add(n, Ordering::SeqCst);
            }
        });
        SilentServer { addr, read }
    }

    fn port(&self) -> String {
        self.addr.port().to_string()
    }

    /// Wait until the server has read `n` bytes.
    #[track_caller]
    fn wait_read(&self, n: usize) {
        let end = Instant::now() + Duration::from_secs(5);
        while self.read.load(Ordering::SeqCst) < n {
            assert!(
                Instant::now() < end,
                "the server read only {} of {n} bytes",
                self.read.load(Ordering::SeqCst)
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

/// Wait up to `limit` for `child` to exit; kill it and fail when it does not.
#[track_caller]
fn exits_within(child: &mut Child, limit: Duration, what: &str) -> ExitStatus {
    let end = Instant::now() + limit;
    loop {
        if let Some(status) = child.try_wait().expect("wait echoClient") {
            return status;
        }
        if Instant::now() > end {
            let _ = child.kill();
            let _ = child.wait();
            panic!("echoClient still running {limit:?} after {what}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn kill(pid: u32, signal: &str) {
    let ok = Command::new("kill")
        .args([signal, &pid.to_string()])
        .status()
        .expect("run kill");
    assert!(ok.success(), "kill {signal} {pid}");
}

fn stderr_of(child: &mut Child) -> String {
    let mut err = String::new();
    child
        .stderr
        .take()
        .expect("piped stderr")
        .read_to_string(&mut err)
        .expect("read stderr");
    err
}

/// Line mode against a server that reads but never answers: after `--timeout` without any
/// echoed byte the client says so and exits 1 (it used to wait for ever).
#[test]
fn line_mode_gives_up_on_a_silent_server() {
    let server = SilentServer::start(Silent::Reads);
    let started = Instant::now();
    let mut c = util::spawn("echoClient", &["-p", &server.port(), "--timeout", "0.5"]);
    c.stdin.take().unwrap().write_all(b"hello\n").unwrap();
    server.wait_read(6);
    let status = exits_within(&mut c, Duration::from_secs(5), "its echo timeout");
    assert!(started.elapsed() >= Duration::from_millis(500));
    assert_eq!(status.code(), Some(1));
    util::assert_text_eq(
        "stderr",
        &format!(
            "echoClient: error: no echo from {} within 0.5 s (6 byte(s) not echoed; is the \
             server reading and answering?)\n",
            server.addr
        ),
        &stderr_of(&mut c),
    );
}

/// SIGTERM and SIGHUP end a line session blocked waiting for an echo, at once, exit 0 (the
/// handler used to queue an event nothing read).
#[test]
fn signals_end_a_line_session_waiting_for_its_echo() {
    for signal in ["-TERM", "-HUP"] {
        let server = SilentServer::start(Silent::Reads);
        let mut c = util::spawn("echoClient", &["-p", &server.port()]);
        let mut stdin = c.stdin.take().unwrap();
        stdin.write_all(b"hello\n").unwrap();
        server.wait_read(6);
        kill(c.id(), signal);
        let status = exits_within(&mut c, Duration::from_secs(3), signal);
        assert_eq!(status.code(), Some(0), "{signal}: {}", stderr_of(&mut c));
        drop(stdin);
    }
}

/// Continuous mode, through a pipe, against a server that never reads: once the send queue
/// is full and no echo has come for `--timeout`, the client gives up, exit 1.
#[test]
fn continuous_mode_gives_up_on_a_server_that_never_reads() {
    let server = SilentServer::start(Silent::NeverReads);
    let mut c = util::spawn(
        "echoClient",
        &["-c", "-p", &server.port(), "--timeout", "1"],
    );
    let mut stdin = c.stdin.take().unwrap();
    let feeder = std::thread::spawn(move || {
        let chunk = [b'z'; 4096];
        for _ in 0..256 {
            if stdin.write_all(&chunk).is_err() {
                return;
            }
        }
    });
    let status = exits_within(&mut c, Duration::from_secs(20), "its echo timeout");
    assert_eq!(status.code(), Some(1));
    let err = stderr_of(&mut c);
    let prefix = format!(
        "echoClient: error: no echo from {} within 1 s (",
        server.addr
    );
    assert!(err.starts_with(&prefix), "{err}");
    assert!(
        err.ends_with("not echoed; is the server reading and answering?)\n"),
        "{err}"
    );
    feeder.join().unwrap();
}

/// The client in the background of a shell in a pseudo-terminal, continuous mode: its pid,
/// then (from the shell) its exit status and the terminal's modes after it.
/// The echo timeout is long: these tests end the client with signals, and filling a silent
/// server's queue one key per segment can outlast the 10 s default on a loaded machine.
fn client_in_terminal(port: &str) -> (Terminal, u32) {
    let term = Terminal::start_script(&format!(
        "ulimit -c 0; '{}' -c --timeout 300 -p {port} </dev/tty & echo \"PID=$! \"; wait $!; echo \"EXIT=$?\"; \
         echo AFTER $(stty -a); echo END",
        util::bin("echoClient").display(),
    ));
    let screen = term.wait_for("PID=");
    let pid = screen
        .split("PID=")
        .nth(1)
        .and_then(|r| r.split_whitespace().next())
        .and_then(|p| p.parse().ok())
        .expect("the shell printed the client's pid");
    term.wait_raw();
    (term, pid)
}

/// Keys typed in the background until the client stops reading them (its send queue is full
/// and it is blocked writing): how many went in.
fn type_until_blocked(term: &mut Terminal) -> usize {
    let mut keyboard = term.take_keyboard();
    let typed = Arc::new(AtomicUsize::new(0));
    let count = typed.clone();
    std::thread::spawn(move || {
        let keys = [b'k'; 512];
        // Ends when the terminal is gone (or after 64 MB, far more than any queue).
        for _ in 0..128 * 1024 {
            if keyboard
                .write_all(&keys)
                .and_then(|()| keyboard.flush())
                .is_err()
            {
                return;
            }
            count.fetch_add(keys.len(), Ordering::SeqCst);
        }
    });
    let (mut last, mut still) = (0, Instant::now());
    let end = Instant::now() + Duration::from_secs(60);
    while Instant::now() < end {
        std::thread::sleep(Duration::from_millis(100));
        let now = typed.load(Ordering::SeqCst);
        if now != last {
            (last, still) = (now, Instant::now());
        } else if still.elapsed() > Duration::from_millis(1500) {
            return now;
        }
    }
    panic!("the client kept reading keys ({last} bytes) from a server that never reads");
}

/// Continuous mode on a raw terminal against a server that never reads: with the send
/// queue full, SIGTERM and SIGHUP still end the client at once and the terminal is cooked
/// again (they used to be ignored, leaving the terminal raw).
#[test]
fn signals_end_a_blocked_continuous_session_and_restore_the_terminal() {
    for signal in ["-TERM", "-HUP"] {
        let server = SilentServer::start(Silent::NeverReads);
        let (mut term, pid) = client_in_terminal(&server.port());
        let typed = type_until_blocked(&mut term);
        assert!(typed > 0, "no key typed");
        kill(pid, signal);
        term.ended_cooked("0");
    }
}

/// SIGQUIT, SIGALRM, SIGUSR1 and SIGINT (from `kill`: a raw terminal sends Ctrl-C as a byte)
/// on a raw terminal: the terminal is cooked again, then the client dies of the signal, as the
/// shell reports (128 + its number).
#[test]
fn fatal_signals_restore_the_terminal_first() {
    let fatal = [
        ("-QUIT", "131"),
        ("-ALRM", "142"),
        ("-USR1", "138"),
        ("-INT", "130"),
    ];
    for (signal, exit) in fatal {
        let server = Server::start(&[]);
        let (mut term, pid) = client_in_terminal(&server.port());
        kill(pid, signal);
        term.ended_cooked(exit);
    }
}

/// The process's state letter from /proc (`T` when stopped).
fn state(pid: u32) -> char {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    stat.rsplit(") ")
        .next()
        .and_then(|r| r.chars().next())
        .unwrap_or('?')
}

/// SIGTSTP on a raw terminal: the terminal goes back to cooked mode and the client stops;
/// SIGCONT: raw mode again, and the session goes on.
#[test]
fn stop_and_continue_switch_the_terminal_mode() {
    let server = Server::start(&[]);
    let (mut term, pid) = client_in_terminal(&server.port());
    kill(pid, "-TSTP");
    let end = Instant::now() + Duration::from_secs(5);
    while state(pid) != 'T' {
        assert!(Instant::now() < end, "the client did not stop on SIGTSTP");
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_cooked(&term.stty());
    kill(pid, "-CONT");
    term.wait_raw();
    term.type_keys(b"go");
    term.wait_for("go");
    term.type_keys(b"\x04");
    term.ended_cooked("0");
}

/// The byte at `i` of the long line: letters, so the screen shows them as they are.
fn pattern(i: usize) -> u8 {
    b'a' + (i % 26) as u8
}

/// Peak resident memory (VmHWM) of a running process, in KiB.
fn peak_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// A 200 MB line without newline comes back whole while the client's memory stays small (it
/// used to hold the whole line, and its echo, at once).
#[test]
fn a_huge_line_streams_in_bounded_memory() {
    const LEN: usize = 200 << 20;
    let server = Server::start(&[]);
    let mut c = util::spawn("echoClient", &["-p", &server.port()]);
    let pid = c.id();
    let mut stdin = c.stdin.take().unwrap();
    let feeder = std::thread::spawn(move || {
        let block: Vec<u8> = (0..26 * 4096).map(pattern).collect();
        let mut sent = 0;
        while sent < LEN {
            let n = block.len().min(LEN - sent);
            stdin.write_all(&block[..n]).expect("feed echoClient");
            sent += n;
        }
    });
    let mut stdout = c.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        // ">Echo: ", the line as it was sent, "\n": checked as it comes, never held.
        let mut expected = b">Echo: ".iter().copied().chain((0..LEN).map(pattern));
        let (mut at, mut buf) = (0usize, vec![0u8; 1 << 16]);
        let mut verdict = Ok(());
        loop {
            let n = match stdout.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => n,
            };
            for &b in &buf[..n] {
                let want = expected.next().unwrap_or(b'\n');
                if verdict.is_ok() && (b != want || at > LEN + 7) {
                    verdict = Err(format!("byte {at} of stdout is {b:#04x}, not {want:#04x}"));
                }
                at += 1;
            }
        }
        let _ = tx.send(verdict.map(|()| at));
    });
    let mut peak = 0;
    let status = loop {
        peak = peak.max(peak_kib(pid).unwrap_or(0));
        if let Some(s) = c.try_wait().unwrap() {
            break s;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    feeder.join().unwrap();
    assert_eq!(status.code(), Some(0), "{}", stderr_of(&mut c));
    let shown = rx.recv().unwrap().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(shown, ">Echo: ".len() + LEN + 1, "whole echo shown");
    assert!(
        peak > 0 && peak < 48 * 1024,
        "echoClient peaked at {peak} KiB of resident memory for a {LEN}-byte line"
    );
}

/// A UDP line too long for a datagram is counted, not held: it is refused with its length,
/// and the session goes on.
#[test]
fn a_huge_udp_line_is_refused_with_its_length() {
    let server = Server::start(&["-t", "UDP"]);
    let mut input = vec![b'u'; 3 << 20];
    input.extend_from_slice(b"\nLIFE\n");
    let out = util::run("echoClient", &["-t", "UDP", "-p", &server.port()], &input);
    let addr = server.addr;
    crate::echo::assert_output(
        &out,
        1,
        ">Echo: LIFE\n",
        &format!(
            "echoClient: line of {} bytes is too long for one UDP datagram (at most 65507)\n\
             echoClient: error: 1 of 2 message(s) to {addr} got no echo\n",
            (3 << 20) + 1
        ),
    );
}

/// The timeout is a TCP option too, and says so.
#[test]
fn help_documents_the_timeout_and_signals() {
    let out = util::run("echoClient", &["-h"], b"");
    let help = String::from_utf8_lossy(&out.stdout);
    let line = help
        .lines()
        .find(|l| l.trim_start().starts_with("--timeout SECS"))
        .unwrap_or_else(|| panic!("no --timeout line:\n{help}"));
    assert!(line.contains("TCP") && line.contains("10"), "{line}");
    assert!(help.contains("SIGTERM"), "{help}");
}
