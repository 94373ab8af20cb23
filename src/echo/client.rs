//! The echo client: line mode (send a line, wait for its whole echo, print `>Echo: ...`) and
//! continuous mode (send every byte at once, show echoed bytes as they arrive), over TCP or
//! UDP. Bytes stay bytes on the wire; only the screen sees them escaped.
//!
//! Must not import `crate::capture` or `crate::cli`.

use std::io::{self, BufRead, Read, Write};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpStream, UdpSocket};
use tokio::sync::mpsc;
use tokio::time::Instant;

use super::error::Error;
use super::options::{ClientOptions, Mode, Protocol, MAX_UDP_PAYLOAD};

/// How long a TCP connection may take to open (an address that drops SYNs would otherwise
/// keep the user waiting for minutes).
const CONNECT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// What the user gave the client.
#[derive(Debug)]
pub enum Input {
    /// One line, with its `\n` unless input ended without one.
    Line(Vec<u8>),
    /// Bytes of continuous mode, each to be sent on its own.
    Bytes(Vec<u8>),
    /// End of input: EOF, Ctrl-C/Ctrl-D on a raw terminal, or a termination signal.
    End,
    /// Reading standard input failed.
    Failed(io::Error),
}

/// Read standard input on its own thread (blocking reads cannot be cancelled; the thread
/// dies with the process). `raw`: Ctrl-C (0x03) and Ctrl-D (0x04) end input, as keys do.
pub fn spawn_stdin_reader(mode: Mode, raw: bool, tx: mpsc::Sender<Input>) {
    std::thread::spawn(move || {
        let stdin = io::stdin();
        let mut stdin = stdin.lock();
        loop {
            let inputs = match mode {
                Mode::Line => vec![read_line(&mut stdin)],
                Mode::Continuous => read_bytes(&mut stdin, raw),
            };
            for input in inputs {
                let last = matches!(input, Input::End | Input::Failed(_));
                if tx.blocking_send(input).is_err() || last {
                    return;
                }
            }
        }
    });
}

fn read_line(r: &mut impl BufRead) -> Input {
    let mut line = Vec::new();
    match r.read_until(b'\n', &mut line) {
        Ok(0) => Input::End,
        Ok(_) => Input::Line(line),
        Err(e) => Input::Failed(e),
    }
}

/// What one read brings: bytes, and on a raw terminal the end if Ctrl-C/Ctrl-D is among
/// them (the bytes typed before it are still sent).
fn read_bytes(r: &mut impl Read, raw: bool) -> Vec<Input> {
    let mut buf = [0u8; 1024];
    match r.read(&mut buf) {
        Ok(0) => vec![Input::End],
        // `buf[..n]`: `read` returned n <= buf.len().
        Ok(n) => match buf[..n]
            .iter()
            .position(|b| raw && (*b == 0x03 || *b == 0x04))
        {
            Some(0) => vec![Input::End],
            Some(i) => vec![Input::Bytes(buf[..i].to_vec()), Input::End],
            None => vec![Input::Bytes(buf[..n].to_vec())],
        },
        Err(e) if e.kind() == io::ErrorKind::Interrupted => Vec::new(),
        Err(e) => vec![Input::Failed(e)],
    }
}

/// Where the session writes: echoes to `out`, notes (no echo in time) to `err`.
pub struct Screen<O: Write, E: Write> {
    pub out: O,
    pub err: E,
    /// Print the `>` prompt before each line (stdin is a terminal).
    pub prompt: bool,
    /// The terminal is in raw mode: newlines need `\r\n`, Enter arrives as `\r`.
    pub raw: bool,
    /// Program name in front of notes.
    pub prog: &'static str,
    /// Bytes of an unfinished UTF-8 character, kept until the rest arrives.
    pending: Vec<u8>,
    /// Whether the cursor is at the start of a line (an error message should start there).
    line_start: bool,
}

impl<O: Write, E: Write> Screen<O, E> {
    pub fn new(out: O, err: E, prompt: bool, raw: bool, prog: &'static str) -> Self {
        Screen {
            out,
            err,
            prompt,
            raw,
            prog,
            pending: Vec::new(),
            line_start: true,
        }
    }

    /// End the current line if something (a prompt, echoed keys) was left on it, so that a
    /// message printed next starts at the left margin.
    pub fn end_line(&mut self) {
        if !self.line_start {
            let _ = self.write(if self.raw { "\r\n" } else { "\n" });
        }
    }

    fn write(&mut self, text: &str) -> Result<(), Error> {
        if !text.is_empty() {
            self.line_start = text.ends_with('\n');
        }
        self.out
            .write_all(text.as_bytes())
            .and_then(|()| self.out.flush())
            .map_err(|e| Error::io("cannot write to standard output", e))
    }

    fn show_prompt(&mut self) -> Result<(), Error> {
        if self.prompt {
            self.write(">")?;
        }
        Ok(())
    }

    /// The handout's line: `>Echo: Hello, Master!`.
    fn show_echo_line(&mut self, line: &[u8]) -> Result<(), Error> {
        let body = line.strip_suffix(b"\n").unwrap_or(line);
        let nl = if self.raw { "\r\n" } else { "\n" };
        self.write(&format!(">Echo: {}{nl}", escape(body)))
    }

    /// Continuous mode: echoed bytes as they arrive; a character split across datagrams or
    /// segments is shown once whole.
    fn show_bytes(&mut self, bytes: &[u8]) -> Result<(), Error> {
        self.pending.extend_from_slice(bytes);
        let keep = incomplete_utf8_tail(&self.pending);
        let done = self.pending.len() - keep;
        let text = escape_stream(&self.pending[..done], self.raw);
        self.pending.drain(..done);
        self.write(&text)
    }

    fn finish(&mut self) -> Result<(), Error> {
        let rest = std::mem::take(&mut self.pending);
        let mut text = escape_stream(&rest, self.raw);
        if self.raw {
            // Leave the shell prompt on a line of its own.
            text.push_str("\r\n");
        }
        self.write(&text)
    }

    fn note(&mut self, e: &Error) {
        let nl = if self.raw { "\r\n" } else { "\n" };
        let _ = write!(self.err, "{}: {e}{nl}", self.prog);
        let _ = self.err.flush();
    }
}

/// How many bytes at the end of `b` start a UTF-8 character whose rest has not arrived.
fn incomplete_utf8_tail(b: &[u8]) -> usize {
    for back in 1..=3.min(b.len()) {
        let byte = b[b.len() - back];
        let need = match byte {
            0xc0..=0xdf => 2,
            0xe0..=0xef => 3,
            0xf0..=0xf7 => 4,
            0x80..=0xbf => continue,
            _ => return 0,
        };
        return if need > back { back } else { 0 };
    }
    0
}

/// Show bytes unambiguously on one line: printable text as is, `\\` for a backslash, `\t`,
/// `\r`, `\n`, `\0` for those controls, `\xNN` for other controls and for bytes that are not
/// UTF-8, `\u{NN}` for other invisible characters.
pub fn escape(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            push_char(&mut s, c);
        }
        for b in chunk.invalid() {
            s.push_str(&format!("\\x{b:02x}"));
        }
    }
    s
}

fn push_char(s: &mut String, c: char) {
    match c {
        '\\' => s.push_str("\\\\"),
        '\t' => s.push_str("\\t"),
        '\r' => s.push_str("\\r"),
        '\n' => s.push_str("\\n"),
        '\0' => s.push_str("\\0"),
        c if (c as u32) < 0x20 || c as u32 == 0x7f => s.push_str(&format!("\\x{:02x}", c as u32)),
        c if c.is_control() => s.push_str(&format!("\\u{{{:x}}}", c as u32)),
        c => s.push(c),
    }
}

/// Like `escape`, but line ends are shown as line ends (Enter is `\r` on a raw terminal).
fn escape_stream(bytes: &[u8], raw: bool) -> String {
    let mut s = String::new();
    for part in bytes.split_inclusive(|b| *b == b'\n' || (raw && *b == b'\r')) {
        match part.split_last() {
            Some((b'\n', body)) | Some((b'\r', body)) => {
                s.push_str(&escape(body));
                s.push_str(if raw { "\r\n" } else { "\n" });
            }
            _ => s.push_str(&escape(part)),
        }
    }
    s
}

/// The report's escape word: a line `quit` closes the session without being sent.
fn is_quit(line: &[u8]) -> bool {
    let l = line.strip_suffix(b"\n").unwrap_or(line);
    l.strip_suffix(b"\r").unwrap_or(l) == b"quit"
}

/// Run one session: connect, then echo what `input` brings until it ends.
pub async fn run<O: Write, E: Write>(
    opts: &ClientOptions,
    input: mpsc::Receiver<Input>,
    screen: &mut Screen<O, E>,
) -> Result<(), Error> {
    let socket = open(opts).await?;
    run_on(opts, socket, input, screen).await
}

/// A session's socket before its first packet: TCP bound to the address and port it will
/// connect from, UDP connected. Its local address is the session's end of the 4-tuple, known
/// before anything is sent (a traffic dump can be narrowed to it in advance).
#[derive(Debug)]
pub enum SessionSocket {
    Tcp(tokio::net::TcpSocket),
    Udp(UdpSocket),
}

impl SessionSocket {
    /// The local address and port the session uses.
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        match self {
            SessionSocket::Tcp(s) => s.local_addr(),
            SessionSocket::Udp(s) => s.local_addr(),
        }
    }
}

/// Open the session's socket without sending anything.
pub async fn open(opts: &ClientOptions) -> Result<SessionSocket, Error> {
    match opts.protocol {
        Protocol::Tcp => bind_tcp(opts.server).map(SessionSocket::Tcp),
        Protocol::Udp => connect_udp(opts.server).await.map(SessionSocket::Udp),
    }
}

/// Run one session on a socket from `open`.
pub async fn run_on<O: Write, E: Write>(
    opts: &ClientOptions,
    socket: SessionSocket,
    input: mpsc::Receiver<Input>,
    screen: &mut Screen<O, E>,
) -> Result<(), Error> {
    match socket {
        SessionSocket::Tcp(socket) => {
            let stream = connect_tcp(socket, opts.server).await?;
            match opts.mode {
                Mode::Line => tcp_lines(opts, stream, input, screen).await,
                Mode::Continuous => tcp_continuous(opts, stream, input, screen).await,
            }
        }
        SessionSocket::Udp(socket) => match opts.mode {
            Mode::Line => udp_lines(opts, socket, input, screen).await,
            Mode::Continuous => udp_continuous(opts, socket, input, screen).await,
        },
    }
}

/// A TCP socket bound to the address the kernel would pick to reach `addr` (asked of a
/// connected UDP socket, which sends nothing) and to a free port.
fn bind_tcp(addr: SocketAddr) -> Result<tokio::net::TcpSocket, Error> {
    let any: IpAddr = match addr {
        SocketAddr::V4(_) => Ipv4Addr::UNSPECIFIED.into(),
        SocketAddr::V6(_) => Ipv6Addr::UNSPECIFIED.into(),
    };
    let route = std::net::UdpSocket::bind((any, 0))
        .and_then(|s| s.connect(addr).map(|()| s))
        .and_then(|s| s.local_addr())
        .map_err(|e| Error::Connect { addr, source: e })?;
    let socket = match addr {
        SocketAddr::V4(_) => tokio::net::TcpSocket::new_v4(),
        SocketAddr::V6(_) => tokio::net::TcpSocket::new_v6(),
    }
    .map_err(|e| Error::io("cannot open a TCP socket", e))?;
    // The route's address with any port (an IPv6 link-local address keeps its scope).
    let mut local = route;
    local.set_port(0);
    socket
        .bind(local)
        .map_err(|e| Error::Connect { addr, source: e })?;
    Ok(socket)
}

/// Connect with TCP_NODELAY: a line (or a keypress) leaves in one segment at once.
async fn connect_tcp(socket: tokio::net::TcpSocket, addr: SocketAddr) -> Result<TcpStream, Error> {
    let connecting = tokio::time::timeout(CONNECT_TIMEOUT, socket.connect(addr));
    let stream = connecting
        .await
        .map_err(|_| Error::ConnectTimeout {
            addr,
            secs: CONNECT_TIMEOUT.as_secs(),
        })?
        .map_err(|e| match e.kind() {
            io::ErrorKind::ConnectionRefused => Error::ConnectionRefused { addr, proto: "TCP" },
            _ => Error::Connect { addr, source: e },
        })?;
    stream
        .set_nodelay(true)
        .map_err(|e| Error::io("cannot set TCP_NODELAY", e))?;
    Ok(stream)
}

/// A connected UDP socket: the kernel drops datagrams from anyone but the server and reports
/// ICMP port unreachable as ECONNREFUSED.
async fn connect_udp(addr: SocketAddr) -> Result<UdpSocket, Error> {
    let any: IpAddr = match addr {
        SocketAddr::V4(_) => Ipv4Addr::UNSPECIFIED.into(),
        SocketAddr::V6(_) => Ipv6Addr::UNSPECIFIED.into(),
    };
    let socket = UdpSocket::bind((any, 0))
        .await
        .map_err(|e| Error::io("cannot open a UDP socket", e))?;
    socket
        .connect(addr)
        .await
        .map_err(|e| Error::Connect { addr, source: e })?;
    Ok(socket)
}

/// Name a TCP socket error by what the server did.
fn tcp_error(addr: SocketAddr, e: io::Error) -> Error {
    match e.kind() {
        io::ErrorKind::ConnectionReset => Error::ConnectionReset { addr },
        io::ErrorKind::BrokenPipe | io::ErrorKind::UnexpectedEof => Error::ClosedByServer { addr },
        _ => Error::io(format!("connection to {addr}"), e),
    }
}

fn udp_error(addr: SocketAddr, e: io::Error) -> Error {
    match e.kind() {
        io::ErrorKind::ConnectionRefused => Error::PortUnreachable { addr },
        _ => Error::io(format!("UDP exchange with {addr}"), e),
    }
}

fn input_error(e: io::Error) -> Error {
    Error::io("cannot read standard input", e)
}

/// Line mode over TCP: one write per line, then read until the whole line is back.
async fn tcp_lines<O: Write, E: Write>(
    opts: &ClientOptions,
    stream: TcpStream,
    mut input: mpsc::Receiver<Input>,
    screen: &mut Screen<O, E>,
) -> Result<(), Error> {
    let addr = opts.server;
    let (mut rd, mut wr) = stream.into_split();
    let mut probe = [0u8; 1];
    loop {
        screen.show_prompt()?;
        // While waiting for the user, notice at once if the server goes away.
        let next = tokio::select! {
            i = input.recv() => i,
            r = rd.read(&mut probe) => match r {
                Ok(0) => return Err(Error::ClosedByServer { addr }),
                // Bytes nobody asked for: show them rather than lose them.
                Ok(n) => {
                    screen.show_echo_line(&probe[..n])?;
                    continue;
                }
                Err(e) => return Err(tcp_error(addr, e)),
            },
        };
        let mut line = match next {
            None | Some(Input::End) => break,
            Some(Input::Failed(e)) => return Err(input_error(e)),
            Some(Input::Bytes(b)) | Some(Input::Line(b)) => b,
        };
        if is_quit(&line) {
            break;
        }
        if !line.ends_with(b"\n") {
            line.push(b'\n');
        }
        // Write and read at once: a line longer than the socket buffers would otherwise
        // deadlock, the server waiting for us to read while we wait to finish writing.
        let mut echo = vec![0u8; line.len()];
        tokio::try_join!(wr.write_all(&line), rd.read_exact(&mut echo))
            .map_err(|e| tcp_error(addr, e))?;
        screen.show_echo_line(&echo)?;
    }
    let _ = wr.shutdown().await;
    Ok(())
}

/// Continuous mode over TCP: every byte its own write (TCP_NODELAY makes it its own
/// segment), echoes shown as they come; after input ends, wait for the rest and the close.
/// Sending and receiving run side by side, so a long piped input never deadlocks against a
/// server that is blocked writing echoes we have not read yet.
async fn tcp_continuous<O: Write, E: Write>(
    opts: &ClientOptions,
    stream: TcpStream,
    mut input: mpsc::Receiver<Input>,
    screen: &mut Screen<O, E>,
) -> Result<(), Error> {
    let addr = opts.server;
    let (mut rd, mut wr) = stream.into_split();
    let sent = std::cell::Cell::new(0u64);
    let writer = async {
        loop {
            match input.recv().await {
                Some(Input::Bytes(b)) | Some(Input::Line(b)) => {
                    for byte in b {
                        wr.write_all(&[byte])
                            .await
                            .map_err(|e| tcp_error(addr, e))?;
                        sent.set(sent.get() + 1);
                    }
                }
                Some(Input::Failed(e)) => return Err(input_error(e)),
                None | Some(Input::End) => {
                    let _ = wr.shutdown().await;
                    return Ok(Instant::now());
                }
            }
        }
    };
    tokio::pin!(writer);
    let (mut got, mut buf) = (0u64, vec![0u8; 16 * 1024]);
    let mut ended: Option<Instant> = None;
    loop {
        let missing = sent.get().saturating_sub(got);
        tokio::select! {
            w = &mut writer, if ended.is_none() => ended = Some(w?),
            r = rd.read(&mut buf) => match r {
                Ok(0) if ended.is_some() && missing == 0 => break,
                Ok(0) if ended.is_some() => return Err(Error::ClosedEarly { addr, missing }),
                Ok(0) => return Err(Error::ClosedByServer { addr }),
                Ok(n) => {
                    screen.show_bytes(&buf[..n])?;
                    got += n as u64;
                    ended = ended.map(|_| Instant::now());
                }
                Err(e) => return Err(tcp_error(addr, e)),
            },
            _ = sleep_until(ended.map(|t| t + opts.timeout)) => {
                if missing > 0 {
                    return Err(Error::ClosedEarly { addr, missing });
                }
                break;
            }
        }
    }
    screen.finish()
}

async fn sleep_until(deadline: Option<Instant>) {
    match deadline {
        Some(d) => tokio::time::sleep_until(d).await,
        None => std::future::pending().await,
    }
}

/// Line mode over UDP: one datagram per line, wait up to the timeout for it to come back.
async fn udp_lines<O: Write, E: Write>(
    opts: &ClientOptions,
    socket: UdpSocket,
    mut input: mpsc::Receiver<Input>,
    screen: &mut Screen<O, E>,
) -> Result<(), Error> {
    let addr = opts.server;
    let mut buf = vec![0u8; 65_536];
    let (mut sent, mut missing) = (0u64, 0u64);
    loop {
        screen.show_prompt()?;
        let next = tokio::select! {
            i = input.recv() => i,
            // A late echo of an earlier line, or an ICMP error.
            r = socket.recv(&mut buf) => {
                let n = r.map_err(|e| udp_error(addr, e))?;
                screen.show_echo_line(&buf[..n])?;
                continue;
            }
        };
        let mut line = match next {
            None | Some(Input::End) => break,
            Some(Input::Failed(e)) => return Err(input_error(e)),
            Some(Input::Bytes(b)) | Some(Input::Line(b)) => b,
        };
        if is_quit(&line) {
            break;
        }
        if !line.ends_with(b"\n") {
            line.push(b'\n');
        }
        sent += 1;
        if line.len() > MAX_UDP_PAYLOAD {
            screen.note(&Error::DatagramTooLong {
                len: line.len(),
                max: MAX_UDP_PAYLOAD,
            });
            missing += 1;
            continue;
        }
        socket.send(&line).await.map_err(|e| udp_error(addr, e))?;
        if !udp_await_echo(opts, &socket, &line, &mut buf, screen).await? {
            screen.note(&Error::NoEcho {
                addr,
                timeout: opts.timeout,
            });
            missing += 1;
        }
    }
    udp_verdict(addr, sent, missing)
}

/// Wait for `line` to come back; show every datagram that arrives meanwhile.
async fn udp_await_echo<O: Write, E: Write>(
    opts: &ClientOptions,
    socket: &UdpSocket,
    line: &[u8],
    buf: &mut [u8],
    screen: &mut Screen<O, E>,
) -> Result<bool, Error> {
    let deadline = Instant::now() + opts.timeout;
    loop {
        let n = match tokio::time::timeout_at(deadline, socket.recv(buf)).await {
            Err(_) => return Ok(false),
            Ok(r) => r.map_err(|e| udp_error(opts.server, e))?,
        };
        screen.show_echo_line(&buf[..n])?;
        if &buf[..n] == line {
            return Ok(true);
        }
    }
}

fn udp_verdict(addr: SocketAddr, sent: u64, missing: u64) -> Result<(), Error> {
    if missing > 0 {
        return Err(Error::EchoesMissing {
            addr,
            missing,
            sent,
        });
    }
    Ok(())
}

/// Continuous mode over UDP: every byte its own datagram; echoes shown as they come. When
/// echoes stop coming for the timeout, say so once and go on.
async fn udp_continuous<O: Write, E: Write>(
    opts: &ClientOptions,
    socket: UdpSocket,
    mut input: mpsc::Receiver<Input>,
    screen: &mut Screen<O, E>,
) -> Result<(), Error> {
    let addr = opts.server;
    let mut buf = vec![0u8; 65_536];
    let (mut sent, mut outstanding, mut missing) = (0u64, 0u64, 0u64);
    let mut ended = false;
    let mut deadline: Option<Instant> = None;
    loop {
        if ended && outstanding == 0 {
            break;
        }
        tokio::select! {
            i = input.recv(), if !ended => match i {
                Some(Input::Bytes(b)) | Some(Input::Line(b)) => {
                    for byte in b {
                        socket.send(&[byte]).await.map_err(|e| udp_error(addr, e))?;
                        sent += 1;
                        outstanding += 1;
                    }
                    // Counted from the oldest unanswered byte, not pushed back by typing.
                    if outstanding > 0 && deadline.is_none() {
                        deadline = Some(Instant::now() + opts.timeout);
                    }
                }
                Some(Input::Failed(e)) => return Err(input_error(e)),
                None | Some(Input::End) => ended = true,
            },
            r = socket.recv(&mut buf) => {
                let n = r.map_err(|e| udp_error(addr, e))?;
                screen.show_bytes(&buf[..n])?;
                outstanding = outstanding.saturating_sub(n as u64);
                deadline = (outstanding > 0).then(|| Instant::now() + opts.timeout);
            }
            _ = sleep_until(deadline) => {
                screen.note(&Error::NoEcho { addr, timeout: opts.timeout });
                missing += outstanding;
                outstanding = 0;
                deadline = None;
            }
        }
    }
    screen.finish()?;
    udp_verdict(addr, sent, missing)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_shows_bytes_unambiguously() {
        assert_eq!(escape(b"Hello, Master!"), "Hello, Master!");
        assert_eq!(escape("héllo".as_bytes()), "héllo");
        assert_eq!(escape(b"a\tb\\c\r\0"), "a\\tb\\\\c\\r\\0");
        assert_eq!(escape(b"\xff\xfe\x1b\x7f"), "\\xff\\xfe\\x1b\\x7f");
        assert_eq!(escape("\u{85}".as_bytes()), "\\u{85}");
    }

    #[test]
    fn split_characters_wait_for_their_rest() {
        let e = "é".as_bytes();
        assert_eq!(incomplete_utf8_tail(&e[..1]), 1);
        assert_eq!(incomplete_utf8_tail(e), 0);
        assert_eq!(incomplete_utf8_tail(b"ab"), 0);
        assert_eq!(incomplete_utf8_tail(b"\xff"), 0);
        let mut s = Screen::new(Vec::new(), Vec::new(), false, false, "t");
        s.show_bytes(&e[..1]).unwrap();
        s.show_bytes(&e[1..]).unwrap();
        s.show_bytes(b"\n").unwrap();
        assert_eq!(String::from_utf8(s.out).unwrap(), "é\n");
    }

    #[test]
    fn raw_terminal_lines_end_in_crlf() {
        assert_eq!(escape_stream(b"ab\rc", true), "ab\r\nc");
        assert_eq!(escape_stream(b"ab\rc\n", false), "ab\\rc\n");
    }

    #[test]
    fn quit_word() {
        assert!(is_quit(b"quit\n"));
        assert!(is_quit(b"quit\r\n"));
        assert!(is_quit(b"quit"));
        assert!(!is_quit(b"quit now\n"));
        assert!(!is_quit(b"\n"));
    }

    #[test]
    fn raw_keys_end_input() {
        let mut r: &[u8] = b"ab\x03cd";
        let got = read_bytes(&mut r, true);
        assert!(matches!(&got[..], [Input::Bytes(b), Input::End] if b == b"ab"));
        let mut r: &[u8] = b"\x04";
        assert!(matches!(&read_bytes(&mut r, true)[..], [Input::End]));
        let mut r: &[u8] = b"\x03\x04";
        let got = read_bytes(&mut r, false);
        assert!(matches!(&got[..], [Input::Bytes(b)] if b == b"\x03\x04"));
    }
}
