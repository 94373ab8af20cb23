//! The session's transport and bookkeeping: `Link` (a connected TCP or UDP socket that can
//! send and receive at once), `Outbox` (input waiting to be sent) and `Clock` (echoes due and
//! when to stop waiting for them).
//!
//! Must not import `crate::capture` or `crate::cli`.

use std::io;
use std::net::SocketAddr;

use tokio::net::{TcpStream, UdpSocket};
use tokio::time::{Duration, Instant};

use crate::echo::error::Error;

/// The session's connected socket. Both methods take `&self`, so one task can wait to send
/// and to receive at the same time (a long input never deadlocks against a server blocked
/// writing echoes we have not read yet), and both are cancel-safe: a `select!` that picks
/// another branch loses no byte.
pub(super) enum Link {
    Tcp(TcpStream),
    Udp(UdpSocket),
}

impl Link {
    /// One write (TCP: of as much of `bytes` as the socket takes) or one datagram; how many
    /// bytes went.
    pub(super) async fn send(&self, addr: SocketAddr, bytes: &[u8]) -> Result<usize, Error> {
        match self {
            Link::Tcp(s) => loop {
                s.writable().await.map_err(|e| tcp_error(addr, e))?;
                match s.try_write(bytes) {
                    Err(e) if e.kind() == io::ErrorKind::WouldBlock => continue,
                    r => return r.map_err(|e| tcp_error(addr, e)),
                }
            },
            Link::Udp(s) => s.send(bytes).await.map_err(|e| udp_error(addr, e)),
        }
    }

    /// Bytes received, or `None` when the TCP server closed the connection (an empty UDP
    /// datagram is `Some(0)`).
    pub(super) async fn recv(
        &self,
        addr: SocketAddr,
        buf: &mut [u8],
    ) -> Result<Option<usize>, Error> {
        match self {
            Link::Tcp(s) => loop {
                s.readable().await.map_err(|e| tcp_error(addr, e))?;
                match s.try_read(buf) {
                    Ok(0) => return Ok(None),
                    Ok(n) => return Ok(Some(n)),
                    Err(e) if e.kind() == io::ErrorKind::WouldBlock => continue,
                    Err(e) => return Err(tcp_error(addr, e)),
                }
            },
            Link::Udp(s) => s.recv(buf).await.map(Some).map_err(|e| udp_error(addr, e)),
        }
    }

    /// TCP: send our FIN (the server's echo loop sees end of input and closes too).
    pub(super) fn close_write(&self) {
        if let Link::Tcp(s) = self {
            let _ = socket2::SockRef::from(s).shutdown(std::net::Shutdown::Write);
        }
    }
}

/// Bytes waiting to be sent: one piece of input at a time, so memory stays bounded.
#[derive(Default)]
pub(super) struct Outbox {
    bytes: Vec<u8>,
    at: usize,
}

impl Outbox {
    pub(super) fn load(&mut self, bytes: Vec<u8>) {
        self.bytes = bytes;
        self.at = 0;
    }

    pub(super) fn is_empty(&self) -> bool {
        self.at >= self.bytes.len()
    }

    /// What is left to send (empty when nothing is).
    pub(super) fn rest(&self) -> &[u8] {
        self.bytes.get(self.at..).unwrap_or(&[])
    }

    /// Continuous mode: the next byte alone (empty when nothing is left).
    pub(super) fn next_byte(&self) -> &[u8] {
        let rest = self.rest();
        &rest[..rest.len().min(1)]
    }

    pub(super) fn advance(&mut self, n: usize) {
        self.at += n;
    }
}

/// Bytes sent and echoed, and when to stop waiting for the rest: `timeout` after the oldest
/// unanswered byte was sent or the last echo arrived, whichever is later (so a long echo
/// still coming in never times out, and typing does not push the deadline back).
pub(super) struct Clock {
    timeout: Duration,
    pub(super) sent: u64,
    echoed: u64,
    pub(super) deadline: Option<Instant>,
    /// TCP after our FIN: waiting for the server's close, echoes outstanding or not.
    pub(super) closing: bool,
}

impl Clock {
    pub(super) fn new(timeout: Duration) -> Clock {
        Clock {
            timeout,
            sent: 0,
            echoed: 0,
            deadline: None,
            closing: false,
        }
    }

    pub(super) fn missing(&self) -> u64 {
        self.sent - self.echoed
    }

    pub(super) fn sent(&mut self, n: usize) {
        if self.missing() == 0 && n > 0 && self.deadline.is_none() {
            self.deadline = Some(Instant::now() + self.timeout);
        }
        self.sent += n as u64;
    }

    /// Bytes beyond those sent (a server saying more than it was told) are not counted.
    pub(super) fn echoed(&mut self, n: usize) {
        self.echoed = (self.echoed + n as u64).min(self.sent);
        let waiting = self.missing() > 0 || self.closing;
        self.deadline = waiting.then(|| Instant::now() + self.timeout);
    }

    pub(super) fn close(&mut self) {
        self.closing = true;
        self.deadline = Some(Instant::now() + self.timeout);
    }

    /// UDP: give up on the outstanding bytes; how many there were.
    pub(super) fn forget(&mut self) -> u64 {
        let lost = self.missing();
        self.echoed = self.sent;
        self.deadline = None;
        lost
    }
}

pub(super) async fn sleep_until(deadline: Option<Instant>) {
    match deadline {
        Some(d) => tokio::time::sleep_until(d).await,
        None => std::future::pending().await,
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_clock_runs_while_echoes_are_due() {
        let mut c = Clock::new(Duration::from_secs(1));
        assert_eq!(c.deadline, None);
        c.sent(3);
        let first = c.deadline.expect("armed by the first unanswered byte");
        c.sent(2);
        assert_eq!(c.deadline, Some(first), "typing does not push it back");
        c.echoed(4);
        assert_eq!(c.missing(), 1);
        c.echoed(9);
        assert_eq!((c.missing(), c.deadline), (0, None));
        c.sent(1);
        assert_eq!(c.forget(), 1);
        c.close();
        assert!(c.deadline.is_some());
    }
}
