//! Continuous mode on a real terminal (a pseudo-terminal): each keypress reaches the server
//! at once, without Enter and without the terminal's own echo, and the terminal is back in
//! its cooked mode (`icanon`, `echo`) after Ctrl-D or Ctrl-C.

use std::io::{Read, Write};
use std::net::{TcpListener, UdpSocket};
use std::sync::{mpsc, Arc, Mutex};
use std::time::Duration;

use portable_pty::{native_pty_system, CommandBuilder, PtySize};

use crate::util;

/// A program in a pseudo-terminal (24 x 200), with what it writes collected as its screen.
pub struct Terminal {
    writer: Box<dyn Write + Send>,
    /// The terminal's device, for looking at its modes from outside with `stty -F`.
    tty: std::path::PathBuf,
    screen: Arc<Mutex<Vec<u8>>>,
    pub child: Box<dyn portable_pty::Child + Send + Sync>,
}

impl Terminal {
    /// After the client ended: its exit status as the shell saw it, and the terminal cooked.
    #[track_caller]
    pub fn ended_cooked(&mut self, exit: &str) {
        let screen = self.wait_for("END");
        assert!(screen.contains(&format!("EXIT={exit}\r")), "{screen}");
        let after = screen
            .lines()
            .find(|l| l.starts_with("AFTER"))
            .expect("stty after");
        assert_cooked(after);
        assert!(self.child.wait().unwrap().success());
    }

    fn start(client_args: &str) -> Terminal {
        Terminal::start_script(&format!(
            "echo BEFORE $(stty -a); echo START; '{}' {client_args}; echo \"EXIT=$?\"; \
             echo AFTER $(stty -a); echo END",
            util::bin("echoClient").display()
        ))
    }

    /// A shell running `script`.
    pub fn start_script(script: &str) -> Terminal {
        let mut cmd = CommandBuilder::new("sh");
        cmd.args(["-c", script]);
        Terminal::spawn(cmd)
    }

    /// Run `cmd` in a new pseudo-terminal.
    pub fn spawn(cmd: CommandBuilder) -> Terminal {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: 24,
                cols: 200,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("open a pseudo-terminal");
        let child = pair.slave.spawn_command(cmd).expect("spawn in the pty");
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("pty reader");
        let writer = pair.master.take_writer().expect("pty writer");
        let tty = pair.master.tty_name().expect("pty device name");
        let screen = Arc::new(Mutex::new(Vec::new()));
        let shared = screen.clone();
        std::thread::spawn(move || {
            let _keep_master = pair.master;
            let mut buf = [0u8; 4096];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                shared.lock().unwrap().extend_from_slice(&buf[..n]);
            }
        });
        Terminal {
            writer,
            tty,
            screen,
            child,
        }
    }

    pub fn screen(&self) -> String {
        String::from_utf8_lossy(&self.screen.lock().unwrap()).into_owned()
    }

    pub fn wait_for(&self, needle: &str) -> String {
        let shown = util::wait_until(Duration::from_secs(5), || self.screen().contains(needle));
        let s = self.screen();
        assert!(shown, "terminal never showed {needle:?}:\n{s}");
        s
    }

    /// The terminal's modes as `stty -a` shows them, seen from outside.
    pub fn stty(&self) -> String {
        let out = std::process::Command::new("stty")
            .arg("-F")
            .arg(&self.tty)
            .arg("-a")
            .output()
            .expect("run stty");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Wait until the client has put the terminal in raw mode (no line editing, no echo),
    /// as seen from outside: keys typed before would be echoed by the terminal itself.
    pub fn wait_raw(&self) {
        let mut last = String::new();
        let raw = util::wait_until(Duration::from_secs(5), || {
            last = self.stty();
            let words: Vec<&str> = last.split_whitespace().collect();
            ["-icanon", "-echo", "-isig"]
                .iter()
                .all(|f| words.contains(f))
        });
        assert!(raw, "the client never put the terminal in raw mode: {last}");
    }

    /// The keyboard itself, for typing from another thread (typing that may block while the
    /// program does not read); `type_keys` types nothing afterwards.
    pub fn take_keyboard(&mut self) -> Box<dyn Write + Send> {
        std::mem::replace(&mut self.writer, Box::new(std::io::sink()))
    }

    pub fn type_keys(&mut self, keys: &[u8]) {
        self.writer.write_all(keys).expect("type into the pty");
        self.writer.flush().unwrap();
    }
}

/// What the terminal looked like between START and EXIT=, and the stty lines.
fn session_parts(screen: &str) -> (&str, &str, &str) {
    let before = screen
        .lines()
        .find(|l| l.starts_with("BEFORE"))
        .expect("stty before");
    let after = screen
        .lines()
        .find(|l| l.starts_with("AFTER"))
        .expect("stty after");
    let start = screen.find("START").expect("START") + "START".len();
    let exit = screen.find("EXIT=").expect("EXIT=");
    (before, &screen[start..exit], after)
}

/// `stty -a` shows `icanon` and `echo`, not `-icanon`/`-echo`: a usable, cooked terminal.
#[track_caller]
pub fn assert_cooked(stty: &str) {
    let words: Vec<&str> = stty.split_whitespace().collect();
    for flag in ["icanon", "echo", "isig"] {
        assert!(
            words.contains(&flag),
            "terminal not restored, {flag} missing: {stty}"
        );
    }
}

#[test]
fn continuous_mode_on_a_terminal_tcp() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let (tx, rx) = mpsc::channel();
    // An echo server that reports every read: a key must arrive alone, without Enter.
    std::thread::spawn(move || {
        let (mut s, _) = listener.accept().unwrap();
        let mut buf = [0u8; 64];
        while let Ok(n) = s.read(&mut buf) {
            if n == 0 || s.write_all(&buf[..n]).is_err() {
                break;
            }
            let _ = tx.send(buf[..n].to_vec());
        }
    });
    let mut term = Terminal::start(&format!("-c -p {port}"));
    term.wait_for("START");
    term.wait_raw();
    // é is two bytes, sent as they come (the wire test checks segments); the screen shows é
    // once, whole.
    for key in [&b"x"[..], b"y", b"\xc3\xa9", b"\r"] {
        term.type_keys(key);
        let mut got = Vec::new();
        while got.len() < key.len() {
            let read = rx
                .recv_timeout(Duration::from_secs(5))
                .expect("key not sent at once");
            got.extend(read);
        }
        assert_eq!(got, key);
    }
    term.type_keys(b"\x04");
    let screen = term.wait_for("END");
    let (before, session, after) = session_parts(&screen);
    assert_cooked(before);
    // Raw mode: no local echo, so each key shows once, from the server's echo.
    assert_eq!(
        session.trim_start_matches(['\r', '\n']),
        "xyé\r\n\r\n",
        "{screen:?}"
    );
    assert!(screen.contains("EXIT=0"), "{screen}");
    assert_cooked(after);
    let status = term.child.wait().unwrap();
    assert!(status.success());
}

#[test]
fn continuous_mode_on_a_terminal_udp_ctrl_c() {
    let server = UdpSocket::bind("127.0.0.1:0").unwrap();
    let port = server.local_addr().unwrap().port();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut buf = [0u8; 64];
        while let Ok((n, from)) = server.recv_from(&mut buf) {
            let _ = server.send_to(&buf[..n], from);
            let _ = tx.send(buf[..n].to_vec());
        }
    });
    let mut term = Terminal::start(&format!("-c -t udp -p {port}"));
    term.wait_for("START");
    term.wait_raw();
    for key in [b"A", b"B"] {
        term.type_keys(key);
        let got = rx
            .recv_timeout(Duration::from_secs(5))
            .expect("key not sent at once");
        assert_eq!(got, key, "each keypress must be its own datagram, at once");
    }
    term.wait_for("AB");
    term.type_keys(b"\x03");
    let screen = term.wait_for("END");
    let (_, session, after) = session_parts(&screen);
    assert_eq!(
        session.trim_start_matches(['\r', '\n']),
        "AB\r\n",
        "{screen:?}"
    );
    assert!(screen.contains("EXIT=0"), "{screen}");
    assert_cooked(after);
    assert!(term.child.wait().unwrap().success());
}

/// Line mode on a terminal: the `>` prompt, the typed line (the terminal's own echo), then
/// the handout's `>Echo:` line; `quit` ends the session.
#[test]
fn line_mode_on_a_terminal_prompts() {
    let server = crate::echo::Server::start(&[]);
    let mut term = Terminal::start(&format!("-p {}", server.port()));
    // Type only once the prompt is there, as a person would.
    term.wait_for("START\r\n>");
    term.type_keys(b"Hello, Master!\r");
    term.wait_for(">Echo: Hello, Master!");
    term.type_keys(b"quit\r");
    let screen = term.wait_for("END");
    let (_, session, after) = session_parts(&screen);
    assert_eq!(
        session.trim_start_matches(['\r', '\n']),
        ">Hello, Master!\r\n>Echo: Hello, Master!\r\n>quit\r\n",
        "{screen:?}"
    );
    assert!(screen.contains("EXIT=0"), "{screen}");
    assert_cooked(after);
    assert!(term.child.wait().unwrap().success());
}

/// SIGTERM (or a closed terminal's SIGHUP) while in raw mode: the client ends cleanly and the
/// terminal is usable again.
#[test]
fn terminal_restored_after_sigterm() {
    let server = crate::echo::Server::start(&[]);
    // In the background (stdin given back explicitly), so the shell can print its pid.
    let mut term = Terminal::start_script(&format!(
        "'{}' -c -p {} </dev/tty & echo \"PID=$! \"; wait $!; echo \"EXIT=$?\"; \
         echo AFTER $(stty -a); echo END",
        util::bin("echoClient").display(),
        server.port()
    ));
    let screen = term.wait_for("PID=");
    let pid = screen
        .split("PID=")
        .nth(1)
        .and_then(|r| r.split_whitespace().next())
        .unwrap();
    server.wait_log("Connected with");
    term.wait_raw();
    term.type_keys(b"k");
    term.wait_for("k");
    let killed = std::process::Command::new("kill")
        .args(["-TERM", pid])
        .status()
        .unwrap();
    assert!(killed.success());
    term.ended_cooked("0");
}

/// The server stops while the client waits at its prompt: the message starts on its own line
/// and the client exits 1 at once.
#[test]
fn server_gone_while_prompting() {
    let server = crate::echo::Server::start(&[]);
    let addr = server.addr;
    let term = Terminal::start(&format!("-p {}", server.port()));
    term.wait_for("START\r\n>");
    let (status, _) = server.stop("-TERM");
    assert_eq!(status.code(), Some(0));
    let screen = term.wait_for("END");
    let (_, session, _) = session_parts(&screen);
    assert_eq!(
        session.trim_start_matches(['\r', '\n']),
        format!(">\r\nechoClient: error: server {addr} closed the connection\r\n"),
        "{screen:?}"
    );
    assert!(screen.contains("EXIT=1"), "{screen}");
}
