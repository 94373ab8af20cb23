//! The echo client: line mode (send a line, wait for its whole echo, print `>Echo: ...`) and
//! continuous mode (send every byte at once, show echoed bytes as they arrive), over TCP or
//! UDP. Bytes stay bytes on the wire; only the screen sees them escaped.
//!
//! One session loop per mode serves both transports through `Link`; only what truly differs
//! (a TCP line streams, a UDP line is one datagram; TCP gives up on a silent server, UDP notes
//! the loss and goes on) is told apart. Memory stays bounded: a line is read, sent and shown
//! in pieces of at most `LINE_PIECE` bytes.
//!
//! Must not import `crate::capture` or `crate::cli`.

use std::io::{self, BufRead, Read, Write};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use tokio::net::{TcpStream, UdpSocket};
use tokio::sync::mpsc;
use tokio::time::{Duration, Instant};

use super::error::Error;
use super::options::{ClientOptions, Mode, Protocol, MAX_UDP_PAYLOAD};

mod link;
mod screen;

use link::{sleep_until, Clock, Link, Outbox};
pub use screen::{escape, Screen};

/// How long a TCP connection may take to open (an address that drops SYNs would otherwise
/// keep the user waiting for minutes).
const CONNECT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// The most bytes of one line held at once. A line up to this long (with its `\n`) is read,
/// sent and echoed whole, in one write (one TCP segment on loopback, one UDP datagram: it is
/// larger than `MAX_UDP_PAYLOAD`); a longer one goes in pieces, so memory stays bounded
/// whatever the line's length.
pub const LINE_PIECE: usize = 64 * 1024;

/// Receive buffer: the largest UDP datagram fits.
const RECV_BUFFER: usize = 65_536;

/// What the user gave the client.
#[derive(Debug)]
pub enum Input {
    /// One line, with its `\n` unless input ended without one; or the last piece of a line
    /// that came in `Part`s.
    Line(Vec<u8>),
    /// `LINE_PIECE` bytes of a line that goes on in the next `Part` or `Line`.
    Part(Vec<u8>),
    /// Bytes of continuous mode, each to be sent on its own.
    Bytes(Vec<u8>),
    /// End of input: EOF, or Ctrl-C/Ctrl-D on a raw terminal.
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
        let mut in_line = false;
        loop {
            let inputs = match mode {
                Mode::Line => vec![read_line_piece(&mut stdin, &mut in_line)],
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

/// The next line, or the next `LINE_PIECE` bytes of a long one. `in_line`: a `Part` was
/// given and its line has not ended yet (end of input then ends it with a `Line`).
fn read_line_piece(r: &mut impl BufRead, in_line: &mut bool) -> Input {
    let mut piece = Vec::new();
    loop {
        let buf = match r.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Input::Failed(e),
        };
        if buf.is_empty() {
            if piece.is_empty() && !*in_line {
                return Input::End;
            }
            *in_line = false;
            return Input::Line(piece);
        }
        let room = LINE_PIECE - piece.len();
        let window = buf.get(..room).unwrap_or(buf);
        if let Some(at) = window.iter().position(|b| *b == b'\n') {
            piece.extend_from_slice(&window[..=at]);
            r.consume(at + 1);
            *in_line = false;
            return Input::Line(piece);
        }
        let n = window.len();
        piece.extend_from_slice(window);
        r.consume(n);
        if piece.len() == LINE_PIECE {
            *in_line = true;
            return Input::Part(piece);
        }
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
    mut input: mpsc::Receiver<Input>,
    screen: &mut Screen<O, E>,
) -> Result<(), Error> {
    let link = match socket {
        SessionSocket::Tcp(socket) => Link::Tcp(connect_tcp(socket, opts.server).await?),
        SessionSocket::Udp(socket) => Link::Udp(socket),
    };
    let session = Session {
        link: &link,
        addr: opts.server,
        timeout: opts.timeout,
    };
    match opts.mode {
        Mode::Line => session.lines(&mut input, screen).await,
        Mode::Continuous => session.continuous(&mut input, screen).await,
    }
}

/// The any-address of `addr`'s family.
fn unspecified(addr: SocketAddr) -> IpAddr {
    match addr {
        SocketAddr::V4(_) => Ipv4Addr::UNSPECIFIED.into(),
        SocketAddr::V6(_) => Ipv6Addr::UNSPECIFIED.into(),
    }
}

/// A TCP socket bound to the address the kernel would pick to reach `addr` (asked of a
/// connected UDP socket, which sends nothing) and to a free port.
fn bind_tcp(addr: SocketAddr) -> Result<tokio::net::TcpSocket, Error> {
    let route = std::net::UdpSocket::bind((unspecified(addr), 0))
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
    let socket = UdpSocket::bind((unspecified(addr), 0))
        .await
        .map_err(|e| Error::io("cannot open a UDP socket", e))?;
    socket
        .connect(addr)
        .await
        .map_err(|e| Error::Connect { addr, source: e })?;
    Ok(socket)
}

fn input_error(e: io::Error) -> Error {
    Error::io("cannot read standard input", e)
}

/// One piece of a line in line mode, and whether it ends the line (a line always ends with
/// `\n`, added when input ended without one).
fn line_piece(input: Option<Input>) -> Result<(Vec<u8>, bool), Error> {
    match input {
        Some(Input::Part(b)) => Ok((b, false)),
        Some(Input::Line(mut b)) | Some(Input::Bytes(mut b)) => {
            if !b.ends_with(b"\n") {
                b.push(b'\n');
            }
            Ok((b, true))
        }
        None | Some(Input::End) => Ok((b"\n".to_vec(), true)),
        Some(Input::Failed(e)) => Err(input_error(e)),
    }
}

/// One session on a connected link.
struct Session<'a> {
    link: &'a Link,
    addr: SocketAddr,
    /// How long to wait for an echo (`ClientOptions::timeout`).
    timeout: Duration,
}

impl Session<'_> {
    fn is_tcp(&self) -> bool {
        matches!(self.link, Link::Tcp(_))
    }

    /// Line mode: prompt, read a line, send it, show its echo, until `quit` or end of input.
    async fn lines<O: Write, E: Write>(
        &self,
        input: &mut mpsc::Receiver<Input>,
        screen: &mut Screen<O, E>,
    ) -> Result<(), Error> {
        let mut buf = vec![0u8; RECV_BUFFER];
        let (mut sent, mut lost) = (0u64, 0u64);
        loop {
            screen.show_prompt()?;
            // While waiting for the user, notice at once if the server goes away, and show
            // bytes nobody asked for (a late UDP echo) rather than lose them.
            let next = tokio::select! {
                i = input.recv() => i,
                r = self.link.recv(self.addr, &mut buf) => {
                    let n = r?.ok_or(Error::ClosedByServer { addr: self.addr })?;
                    screen.show_echo_line(&buf[..n])?;
                    continue;
                }
            };
            let next = match next {
                None | Some(Input::End) => break,
                Some(Input::Failed(e)) => return Err(input_error(e)),
                Some(Input::Line(b)) if is_quit(&b) => break,
                other => other,
            };
            if self.is_tcp() {
                self.tcp_line(next, input, &mut buf, screen).await?;
            } else {
                sent += 1;
                if !self.udp_line(next, input, &mut buf, screen).await? {
                    lost += 1;
                }
            }
        }
        self.link.close_write();
        verdict(self.addr, sent, lost)
    }

    /// A TCP line: sent piece by piece as input brings it (a short line in one write, so one
    /// segment) while its echo is read and shown, so neither side can block the other
    /// whatever the line's length. No echoed byte for `timeout` while some are due: error.
    async fn tcp_line<O: Write, E: Write>(
        &self,
        first: Option<Input>,
        input: &mut mpsc::Receiver<Input>,
        buf: &mut [u8],
        screen: &mut Screen<O, E>,
    ) -> Result<(), Error> {
        let mut out = Outbox::default();
        let (piece, mut done) = line_piece(first)?;
        out.load(piece);
        let mut clock = Clock::new(self.timeout);
        loop {
            let missing = clock.missing();
            if done && out.is_empty() && missing == 0 {
                return screen.echo_end();
            }
            // Read no further than this line's echo: what follows is not part of it.
            let want = buf
                .len()
                .min(usize::try_from(missing).unwrap_or(usize::MAX));
            tokio::select! {
                r = self.link.send(self.addr, out.rest()), if !out.is_empty() => {
                    let n = r?;
                    out.advance(n);
                    clock.sent(n);
                }
                i = input.recv(), if out.is_empty() && !done => {
                    let (piece, end) = line_piece(i)?;
                    out.load(piece);
                    done = end;
                }
                r = self.link.recv(self.addr, &mut buf[..want]), if want > 0 => {
                    let n = r?.ok_or(Error::ClosedByServer { addr: self.addr })?;
                    screen.echo_part(&buf[..n])?;
                    clock.echoed(n);
                }
                _ = sleep_until(clock.deadline) => return Err(self.no_echo(missing)),
            }
        }
    }

    fn no_echo(&self, missing: u64) -> Error {
        Error::EchoTimeout {
            addr: self.addr,
            timeout: self.timeout,
            missing,
        }
    }

    /// A UDP line: one datagram, then wait up to the timeout for it to come back, showing
    /// every datagram that arrives meanwhile. Whether its echo came (a note says when not).
    async fn udp_line<O: Write, E: Write>(
        &self,
        first: Option<Input>,
        input: &mut mpsc::Receiver<Input>,
        buf: &mut [u8],
        screen: &mut Screen<O, E>,
    ) -> Result<bool, Error> {
        let (mut line, mut done) = line_piece(first)?;
        // A line too long for a datagram is only counted, never held whole.
        let mut len = line.len();
        while !done {
            let (piece, end) = line_piece(input.recv().await)?;
            len += piece.len();
            done = end;
            line = piece;
        }
        if len > MAX_UDP_PAYLOAD {
            screen.note(&Error::DatagramTooLong {
                len,
                max: MAX_UDP_PAYLOAD,
            });
            return Ok(false);
        }
        self.link.send(self.addr, &line).await?;
        let deadline = Instant::now() + self.timeout;
        loop {
            let got = tokio::time::timeout_at(deadline, self.link.recv(self.addr, buf)).await;
            let Ok(r) = got else {
                screen.note(&Error::NoEcho {
                    addr: self.addr,
                    timeout: self.timeout,
                });
                return Ok(false);
            };
            let n = r?.unwrap_or(0);
            screen.show_echo_line(&buf[..n])?;
            if buf[..n] == line[..] {
                return Ok(true);
            }
        }
    }

    /// Continuous mode: every byte its own write (TCP_NODELAY makes it its own segment) or
    /// datagram, echoes shown as they come, sending and receiving side by side. When echoes
    /// stop coming for the timeout, TCP gives up (the server is not answering) and UDP says
    /// so once and goes on (datagrams get lost). After input ends, TCP sends its FIN and waits
    /// for the rest and the server's close; UDP waits for the outstanding echoes.
    async fn continuous<O: Write, E: Write>(
        &self,
        input: &mut mpsc::Receiver<Input>,
        screen: &mut Screen<O, E>,
    ) -> Result<(), Error> {
        let addr = self.addr;
        let mut buf = vec![0u8; RECV_BUFFER];
        let mut out = Outbox::default();
        let mut clock = Clock::new(self.timeout);
        let (mut ended, mut lost) = (false, 0u64);
        loop {
            if ended && out.is_empty() && !clock.closing {
                if !self.is_tcp() && clock.missing() == 0 {
                    break;
                }
                if self.is_tcp() {
                    self.link.close_write();
                    clock.close();
                }
            }
            tokio::select! {
                i = input.recv(), if !ended && out.is_empty() => match i {
                    Some(Input::Bytes(b)) | Some(Input::Line(b)) | Some(Input::Part(b)) => {
                        out.load(b)
                    }
                    Some(Input::Failed(e)) => return Err(input_error(e)),
                    None | Some(Input::End) => ended = true,
                },
                r = self.link.send(addr, out.next_byte()), if !out.is_empty() => {
                    let n = r?;
                    out.advance(n);
                    clock.sent(n);
                }
                r = self.link.recv(addr, &mut buf) => match r? {
                    Some(n) => {
                        screen.show_bytes(&buf[..n])?;
                        clock.echoed(n);
                    }
                    None if clock.closing && clock.missing() == 0 => break,
                    None if clock.closing => {
                        return Err(Error::ClosedEarly { addr, missing: clock.missing() })
                    }
                    None => return Err(Error::ClosedByServer { addr }),
                },
                _ = sleep_until(clock.deadline) => match clock.missing() {
                    _ if !self.is_tcp() => {
                        screen.note(&Error::NoEcho { addr, timeout: self.timeout });
                        lost += clock.forget();
                    }
                    0 => break,
                    missing if clock.closing => return Err(Error::ClosedEarly { addr, missing }),
                    missing => return Err(self.no_echo(missing)),
                },
            }
        }
        screen.finish()?;
        verdict(addr, clock.sent, lost)
    }
}

fn verdict(addr: SocketAddr, sent: u64, missing: u64) -> Result<(), Error> {
    if missing > 0 {
        return Err(Error::EchoesMissing {
            addr,
            missing,
            sent,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quit_word() {
        assert!(is_quit(b"quit\n"));
        assert!(is_quit(b"quit\r\n"));
        assert!(is_quit(b"quit"));
        assert!(!is_quit(b"quit now\n"));
        assert!(!is_quit(b"\n"));
    }

    /// Pieces of `input` as the line-mode reader gives them: `L` for a line, `P` a part.
    fn pieces(input: &[u8]) -> Vec<(char, usize)> {
        let mut r = io::BufReader::with_capacity(1000, input);
        let (mut in_line, mut got) = (false, Vec::new());
        loop {
            match read_line_piece(&mut r, &mut in_line) {
                Input::Line(b) => got.push(('L', b.len())),
                Input::Part(b) => got.push(('P', b.len())),
                Input::End => return got,
                other => panic!("{other:?}"),
            }
        }
    }

    #[test]
    fn long_lines_come_in_bounded_pieces() {
        assert_eq!(pieces(b"ab\ncd"), [('L', 3), ('L', 2)]);
        assert_eq!(pieces(b""), []);
        // A line of exactly one piece, newline included, is still one line.
        let mut one = vec![b'x'; LINE_PIECE - 1];
        one.push(b'\n');
        assert_eq!(pieces(&one), [('L', LINE_PIECE)]);
        // One byte more: a part, then the rest; end of input ends a line left open.
        one.insert(0, b'y');
        assert_eq!(pieces(&one), [('P', LINE_PIECE), ('L', 1)]);
        let long = vec![b'z'; 2 * LINE_PIECE];
        assert_eq!(
            pieces(&long),
            [('P', LINE_PIECE), ('P', LINE_PIECE), ('L', 0)]
        );
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
