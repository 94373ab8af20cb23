//! `echo::Error`: everything that can go wrong in the echo server and client, one variant per
//! problem, each message one line that says what to do about it.
//!
//! Must not import `crate::capture` or `crate::cli`.

use std::io;
use std::net::SocketAddr;
use std::time::Duration;

/// An echo server or client error.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("invalid protocol '{given}': expected TCP or UDP")]
    BadProtocol { given: String },

    #[error("invalid IP address '{given}': expected an address such as 127.0.0.1 or ::1")]
    BadIp { given: String },

    #[error("invalid port '{given}': expected a number from 1 to 65535")]
    BadPort { given: String },

    #[error("invalid timeout '{given}': expected seconds greater than 0, such as 2 or 0.5")]
    BadTimeout { given: String },

    #[error("invalid {flag} '{given}': expected {expected}")]
    BadLimit {
        flag: &'static str,
        given: String,
        expected: &'static str,
    },

    #[error("address {addr} is already in use (is another echoServer running? choose another port with -p)")]
    AddrInUse { addr: SocketAddr },

    #[error("address {ip} is not an address of this host (use 127.0.0.1, ::1 or one shown by `ip addr`)", ip = addr.ip())]
    AddrNotAvailable { addr: SocketAddr },

    #[error("permission denied binding {addr} (ports below 1024 need root or CAP_NET_BIND_SERVICE; use a port such as 4002)")]
    PermissionDenied { addr: SocketAddr },

    #[error("cannot bind {addr}")]
    Bind {
        addr: SocketAddr,
        #[source]
        source: io::Error,
    },

    #[error(
        "connection to {addr} refused (is echoServer -t {proto} running on that address and port?)"
    )]
    ConnectionRefused {
        addr: SocketAddr,
        proto: &'static str,
    },

    #[error("no answer from {addr} within {secs} s (is the address right and reachable?)")]
    ConnectTimeout { addr: SocketAddr, secs: u64 },

    #[error("cannot connect to {addr}")]
    Connect {
        addr: SocketAddr,
        #[source]
        source: io::Error,
    },

    #[error("connection to {addr} was reset by the server")]
    ConnectionReset { addr: SocketAddr },

    #[error("server {addr} closed the connection")]
    ClosedByServer { addr: SocketAddr },

    #[error("server {addr} closed the connection with {missing} byte(s) not echoed")]
    ClosedEarly { addr: SocketAddr, missing: u64 },

    #[error("no echo from {addr} within {} s ({missing} byte(s) not echoed; is the server reading and answering?)", fmt_secs(*.timeout))]
    EchoTimeout {
        addr: SocketAddr,
        timeout: Duration,
        missing: u64,
    },

    #[error("{addr} is unreachable: ICMP port unreachable (is echoServer -t UDP running on that address and port?)")]
    PortUnreachable { addr: SocketAddr },

    #[error("no echo from {addr} within {} s — is echoServer -t UDP running?", fmt_secs(*.timeout))]
    NoEcho { addr: SocketAddr, timeout: Duration },

    #[error("{missing} of {sent} message(s) to {addr} got no echo")]
    EchoesMissing {
        addr: SocketAddr,
        missing: u64,
        sent: u64,
    },

    #[error("line of {len} bytes is too long for one UDP datagram (at most {max})")]
    DatagramTooLong { len: usize, max: usize },

    #[error("{what}")]
    Io {
        what: String,
        #[source]
        source: io::Error,
    },

    #[error("terminal: {what}")]
    Terminal {
        what: &'static str,
        #[source]
        source: io::Error,
    },
}

impl Error {
    /// Wrap an I/O error with what was being done.
    pub fn io(what: impl Into<String>, source: io::Error) -> Error {
        Error::Io {
            what: what.into(),
            source,
        }
    }

    /// Name the failure to bind `addr` by its cause.
    pub fn bind(addr: SocketAddr, source: io::Error) -> Error {
        match source.kind() {
            io::ErrorKind::AddrInUse => Error::AddrInUse { addr },
            io::ErrorKind::AddrNotAvailable => Error::AddrNotAvailable { addr },
            io::ErrorKind::PermissionDenied => Error::PermissionDenied { addr },
            _ => Error::Bind { addr, source },
        }
    }

    /// Whether this error is a closed pipe on our own output (the reader went away).
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, Error::Io { source, .. } if source.kind() == io::ErrorKind::BrokenPipe)
    }
}

/// `2`, `0.5`: seconds as the user typed them, without a trailing `.0`.
fn fmt_secs(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s.fract() == 0.0 {
        format!("{}", s as u64)
    } else {
        format!("{s}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_echo_message_matches_the_issue() {
        let e = Error::NoEcho {
            addr: "127.0.0.1:4002".parse().unwrap(),
            timeout: Duration::from_secs(2),
        };
        assert_eq!(
            e.to_string(),
            "no echo from 127.0.0.1:4002 within 2 s — is echoServer -t UDP running?"
        );
    }

    #[test]
    fn bind_errors_are_named_by_cause() {
        let a: SocketAddr = "127.0.0.1:80".parse().unwrap();
        let k = |kind| Error::bind(a, io::Error::from(kind));
        assert!(matches!(
            k(io::ErrorKind::AddrInUse),
            Error::AddrInUse { .. }
        ));
        assert!(matches!(
            k(io::ErrorKind::AddrNotAvailable),
            Error::AddrNotAvailable { .. }
        ));
        assert!(matches!(
            k(io::ErrorKind::PermissionDenied),
            Error::PermissionDenied { .. }
        ));
    }
}
