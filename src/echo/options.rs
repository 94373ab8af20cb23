//! What the echo programs are asked to do: protocol, address, port, mode. Plain data, parsed
//! from the handout's Table 1 words (`-t TCP/UDP`, `--ip IPADD`) by the command lines in `cli`.
//!
//! Must not import `crate::capture` or `crate::cli`.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::str::FromStr;
use std::time::Duration;

use super::error::Error;

/// The handout's port: the report's captures all use 4002.
pub const DEFAULT_PORT: u16 = 4002;

/// The handout's default address: the loop-back address.
pub const DEFAULT_IP: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);

/// How long the UDP client waits for an echo before saying so.
pub const DEFAULT_UDP_TIMEOUT: Duration = Duration::from_secs(2);

/// How long the TCP client waits without any echoed byte, while some are due, before giving
/// up: a server that reads but never answers must not keep the user waiting for ever. As long
/// as the TCP connect timeout, so a slow link is not mistaken for a silent server.
pub const DEFAULT_TCP_TIMEOUT: Duration = Duration::from_secs(10);

/// The client's echo timeout when `--timeout` is not given.
pub fn default_timeout(protocol: Protocol) -> Duration {
    match protocol {
        Protocol::Tcp => DEFAULT_TCP_TIMEOUT,
        Protocol::Udp => DEFAULT_UDP_TIMEOUT,
    }
}

/// The largest UDP payload IPv4 can carry (65,535 - 20 IP - 8 UDP).
pub const MAX_UDP_PAYLOAD: usize = 65_507;

/// The transport protocol (Table 1's `-t TCP/UDP`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Protocol {
    #[default]
    Tcp,
    Udp,
}

impl FromStr for Protocol {
    type Err = Error;

    /// `TCP` or `UDP` in any case, as students type them.
    fn from_str(s: &str) -> Result<Self, Error> {
        match s.to_ascii_uppercase().as_str() {
            "TCP" => Ok(Protocol::Tcp),
            "UDP" => Ok(Protocol::Udp),
            _ => Err(Error::BadProtocol {
                given: s.to_string(),
            }),
        }
    }
}

impl fmt::Display for Protocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Protocol::Tcp => "TCP",
            Protocol::Udp => "UDP",
        })
    }
}

/// Table 1's `-c`: send what is typed at once (continuous) or line by line (the default).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    #[default]
    Line,
    Continuous,
}

/// Parse `--ip`: an IPv4 or IPv6 address, IPv6 optionally in brackets (`[::1]`).
///
/// Host names are refused on purpose: the handout's option is an address, and a name that
/// resolves to several addresses would make "which address is served" ambiguous.
pub fn parse_ip(s: &str) -> Result<IpAddr, Error> {
    let inner = s
        .strip_prefix('[')
        .and_then(|r| r.strip_suffix(']'))
        .unwrap_or(s);
    inner.parse().map_err(|_| Error::BadIp {
        given: s.to_string(),
    })
}

/// Parse `-p`: a port number. `allow_zero` lets the server ask for any free port.
pub fn parse_port(s: &str, allow_zero: bool) -> Result<u16, Error> {
    match s.parse::<u16>() {
        Ok(0) if !allow_zero => Err(Error::BadPort {
            given: s.to_string(),
        }),
        Ok(p) => Ok(p),
        Err(_) => Err(Error::BadPort {
            given: s.to_string(),
        }),
    }
}

/// Parse `--timeout`: seconds, fractions allowed, more than zero.
pub fn parse_timeout(s: &str) -> Result<Duration, Error> {
    match s.parse::<f64>() {
        Ok(secs) if secs.is_finite() && secs > 0.0 && secs <= 86_400.0 => {
            Ok(Duration::from_secs_f64(secs))
        }
        _ => Err(Error::BadTimeout {
            given: s.to_string(),
        }),
    }
}

/// What the server is asked to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServerOptions {
    pub protocol: Protocol,
    /// Address and port to bind; port 0 means "any free port" (the bound one is printed).
    pub addr: SocketAddr,
    /// `-c`: TCP_NODELAY on every connection, so each received chunk is echoed in its own
    /// segment at once instead of waiting for Nagle's algorithm.
    pub continuous: bool,
}

impl Default for ServerOptions {
    fn default() -> Self {
        ServerOptions {
            protocol: Protocol::Tcp,
            addr: SocketAddr::new(DEFAULT_IP, DEFAULT_PORT),
            continuous: false,
        }
    }
}

/// How long a TCP connection may stay silent (no byte received, no echo accepted) before the
/// server closes it: long enough for a student to think between two lines, short enough that
/// forgotten or abandoned connections do not pile up for days.
pub const DEFAULT_IDLE_TIMEOUT: Duration = Duration::from_secs(300);

/// Source ports below this are not answered over UDP by default: the well-known services
/// (echo 7, daytime 13, qotd 17, chargen 19, time 37, DNS 53, NTP 123, ...) answer whatever
/// reaches them, and a reply to one can start a loop. Clients use ephemeral ports (32768 and
/// up on Linux), so no client is refused.
pub const DEFAULT_UDP_MIN_SRC_PORT: u16 = 1024;

/// How many datagrams a second one UDP source may send back that are exactly the echo it was
/// just sent, and still be answered. A person retyping a line stays far below it; another echo
/// server bouncing a datagram back reaches it within milliseconds and is then ignored.
pub const DEFAULT_UDP_REPEAT_RATE: u32 = 10;

/// The server's protections against clients that never leave and against loops: plain data,
/// set from the command line's flags (`--idle-timeout`, `--max-connections`,
/// `--udp-min-src-port`, `--udp-repeat-rate`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// TCP: close a connection silent this long; `None` never does.
    pub idle_timeout: Option<Duration>,
    /// TCP: connections served at once; a client past it is closed at once (refused) instead
    /// of waiting in the listen queue. `None`: no cap of the server's own.
    pub max_connections: Option<usize>,
    /// UDP: datagrams from a source port below this (and from port 0) are never answered.
    pub udp_min_src_port: u16,
    /// UDP: per source, how many datagrams a second that repeat the last echo are answered.
    pub udp_repeat_rate: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            idle_timeout: Some(DEFAULT_IDLE_TIMEOUT),
            max_connections: None,
            udp_min_src_port: DEFAULT_UDP_MIN_SRC_PORT,
            udp_repeat_rate: DEFAULT_UDP_REPEAT_RATE,
        }
    }
}

/// Parse `--idle-timeout`: seconds (fractions allowed), `0` for never.
pub fn parse_idle_timeout(s: &str) -> Result<Option<Duration>, Error> {
    match s.parse::<f64>() {
        Ok(0.0) => Ok(None),
        Ok(secs) if secs.is_finite() && secs > 0.0 && secs <= 31_536_000.0 => {
            Ok(Some(Duration::from_secs_f64(secs)))
        }
        _ => Err(Error::BadLimit {
            flag: "--idle-timeout",
            given: s.to_string(),
            expected: "seconds, such as 300 or 0.5 (0: never)",
        }),
    }
}

/// The largest `--max-connections`: far beyond any open-files limit Linux allows (fs.nr_open
/// is at most 2^30), and within what a semaphore can count.
pub const MAX_CONNECTIONS_LIMIT: usize = 1 << 30;

/// Parse `--max-connections`: a count from 1 to 2^30.
pub fn parse_max_connections(s: &str) -> Result<usize, Error> {
    match s.parse::<usize>() {
        Ok(n) if (1..=MAX_CONNECTIONS_LIMIT).contains(&n) => Ok(n),
        _ => Err(Error::BadLimit {
            flag: "--max-connections",
            given: s.to_string(),
            expected: "a number of connections from 1 to 1073741824",
        }),
    }
}

/// Parse `--udp-min-src-port`: 1 to 65535 (1 answers every port but 0).
pub fn parse_min_src_port(s: &str) -> Result<u16, Error> {
    match s.parse::<u16>() {
        Ok(p) if p >= 1 => Ok(p),
        _ => Err(Error::BadLimit {
            flag: "--udp-min-src-port",
            given: s.to_string(),
            expected: "a port from 1 to 65535",
        }),
    }
}

/// Parse `--udp-repeat-rate`: datagrams a second, 0 to 1,000,000 (0 answers no repeat).
pub fn parse_repeat_rate(s: &str) -> Result<u32, Error> {
    match s.parse::<u32>() {
        Ok(n) if n <= 1_000_000 => Ok(n),
        _ => Err(Error::BadLimit {
            flag: "--udp-repeat-rate",
            given: s.to_string(),
            expected: "datagrams per second, 0 to 1000000",
        }),
    }
}

/// What the client is asked to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientOptions {
    pub protocol: Protocol,
    /// The server's address and port.
    pub server: SocketAddr,
    pub mode: Mode,
    /// How long to wait for an echo: UDP, for each datagram before saying none came; TCP,
    /// without any echoed byte while some are due (then the session fails), and after the
    /// end of input for the server to close.
    pub timeout: Duration,
}

impl Default for ClientOptions {
    fn default() -> Self {
        ClientOptions {
            protocol: Protocol::Tcp,
            server: SocketAddr::new(DEFAULT_IP, DEFAULT_PORT),
            mode: Mode::Line,
            timeout: DEFAULT_TCP_TIMEOUT,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn protocol_is_case_insensitive() {
        assert_eq!("tcp".parse::<Protocol>().unwrap(), Protocol::Tcp);
        assert_eq!("Udp".parse::<Protocol>().unwrap(), Protocol::Udp);
        assert!("SCTP".parse::<Protocol>().is_err());
        assert!("".parse::<Protocol>().is_err());
    }

    #[test]
    fn ip_accepts_v4_v6_and_brackets() {
        assert_eq!(parse_ip("127.0.0.1").unwrap(), DEFAULT_IP);
        assert_eq!(parse_ip("::1").unwrap().to_string(), "::1");
        assert_eq!(parse_ip("[::1]").unwrap().to_string(), "::1");
        assert!(parse_ip("localhost").is_err());
        assert!(parse_ip("256.0.0.1").is_err());
        assert!(parse_ip("[::1").is_err());
    }

    #[test]
    fn port_and_timeout_bounds() {
        assert_eq!(parse_port("4002", false).unwrap(), 4002);
        assert!(parse_port("0", false).is_err());
        assert_eq!(parse_port("0", true).unwrap(), 0);
        assert!(parse_port("65536", true).is_err());
        assert!(parse_port("-1", true).is_err());
        assert_eq!(parse_timeout("0.5").unwrap(), Duration::from_millis(500));
        assert!(parse_timeout("0").is_err());
        assert!(parse_timeout("nan").is_err());
        assert!(parse_timeout("x").is_err());
    }

    #[test]
    fn limit_flags() {
        assert_eq!(parse_idle_timeout("0").unwrap(), None);
        assert_eq!(
            parse_idle_timeout("1.5").unwrap(),
            Some(Duration::from_millis(1500))
        );
        assert!(parse_idle_timeout("-1").is_err());
        assert!(parse_idle_timeout("inf").is_err());
        assert_eq!(parse_max_connections("10").unwrap(), 10);
        assert!(parse_max_connections("0").is_err());
        assert!(parse_max_connections("18446744073709551615").is_err());
        assert_eq!(parse_min_src_port("1").unwrap(), 1);
        assert!(parse_min_src_port("0").is_err());
        assert!(parse_min_src_port("65536").is_err());
        assert_eq!(parse_repeat_rate("0").unwrap(), 0);
        assert!(parse_repeat_rate("x").is_err());
    }
}
