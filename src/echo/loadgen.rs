//! Verified load for any echo server: the library behind `echolab bench`.
//!
//! Each client sends a message of random bytes, reads the whole echo back, checks every byte
//! against what it sent and records the round-trip time; it repeats until the run ends. TCP
//! clients each own one connection; UDP clients each own one connected socket and send one
//! datagram per request, waiting at most a timeout for its echo (a missing echo is *lost*,
//! which is not corruption).
//!
//! The report counts only round trips that started after the warm-up and finished before the
//! end, so requests per second is exact for the measured window.
//!
//! Must not import `crate::capture` or `crate::cli`; talks to any address, never to the
//! server's code.

pub mod histogram;
pub mod report;

use std::fmt;
use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use rand::rngs::StdRng;
use rand::{RngCore, SeedableRng};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpStream, UdpSocket};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;
use tokio::time::{timeout, timeout_at, Instant};

pub use histogram::Histogram;
pub use report::{Mismatch, Report};

/// Largest UDP payload over IPv4 (65,535 - 20 - 8).
pub const MAX_UDP_PAYLOAD: usize = 65_507;

/// How many connects may be in flight at once, so a listener's backlog is not flooded.
const CONNECT_PARALLELISM: usize = 128;

/// How long a round trip still in flight when the run ends may take before it is a failure.
const END_GRACE: Duration = Duration::from_secs(5);

/// How many timed-out UDP messages a client remembers, to recognise their late echoes.
const LATE_MEMORY: usize = 16;

/// The transport the load travels on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Transport {
    Tcp,
    Udp,
}

impl fmt::Display for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Transport::Tcp => "TCP",
            Transport::Udp => "UDP",
        })
    }
}

impl FromStr for Transport {
    type Err = LoadError;

    /// `TCP` or `UDP`, in any case (the handout's `-t` values).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_uppercase().as_str() {
            "TCP" => Ok(Transport::Tcp),
            "UDP" => Ok(Transport::Udp),
            _ => Err(LoadError::BadTransport {
                value: s.to_string(),
            }),
        }
    }
}

/// What to run: where, how many clients, how big a message, how long.
#[derive(Clone, Debug)]
pub struct LoadConfig {
    pub addr: SocketAddr,
    pub transport: Transport,
    pub clients: usize,
    /// Bytes per message (one TCP write or one UDP datagram).
    pub size: usize,
    /// The measured window.
    pub duration: Duration,
    /// Load before the measured window, not counted.
    pub warmup: Duration,
    /// How long a UDP client waits for each echo before counting the message lost.
    pub udp_timeout: Duration,
    /// How long one TCP connect may take.
    pub connect_timeout: Duration,
}

impl LoadConfig {
    /// One client, 64 bytes, 10 s, TCP: the command's defaults.
    pub fn new(addr: SocketAddr) -> Self {
        LoadConfig {
            addr,
            transport: Transport::Tcp,
            clients: 1,
            size: 64,
            duration: Duration::from_secs(10),
            warmup: Duration::ZERO,
            udp_timeout: Duration::from_secs(1),
            connect_timeout: Duration::from_secs(5),
        }
    }

    /// Reject loads that cannot run.
    pub fn validate(&self) -> Result<(), LoadError> {
        if self.clients == 0 {
            return Err(LoadError::NoClients);
        }
        if self.size == 0 {
            return Err(LoadError::EmptyMessage);
        }
        if self.transport == Transport::Udp && self.size > MAX_UDP_PAYLOAD {
            return Err(LoadError::DatagramTooLarge { size: self.size });
        }
        if self.duration.is_zero() {
            return Err(LoadError::NoDuration);
        }
        Ok(())
    }
}

/// Why a load could not run.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("connection refused by {addr} ({transport}): is an echo server listening there?")]
    Refused {
        addr: SocketAddr,
        transport: Transport,
    },
    #[error("no answer from {addr} within {secs} s while connecting")]
    ConnectTimeout { addr: SocketAddr, secs: f64 },
    #[error("too many open files while connecting to {addr}: raise `ulimit -n`")]
    TooManyFiles { addr: SocketAddr },
    #[error("cannot connect to {addr}")]
    Connect {
        addr: SocketAddr,
        #[source]
        source: io::Error,
    },
    #[error("cannot open a UDP socket towards {addr}")]
    UdpSocket {
        addr: SocketAddr,
        #[source]
        source: io::Error,
    },
    #[error("connection {index} to {addr} failed its first echo: {what}")]
    IdleProbe {
        addr: SocketAddr,
        index: usize,
        what: String,
    },
    #[error("bad transport {value:?}: expected TCP or UDP")]
    BadTransport { value: String },
    #[error("the number of clients must be at least 1")]
    NoClients,
    #[error("the message size must be at least 1 byte")]
    EmptyMessage,
    #[error("a UDP message of {size} bytes does not fit one datagram (at most {MAX_UDP_PAYLOAD})")]
    DatagramTooLarge { size: usize },
    #[error("the duration must be longer than 0 s")]
    NoDuration,
    #[error("cannot read or raise the open-files limit")]
    FileLimit {
        #[source]
        source: io::Error,
    },
    #[error("a load client stopped unexpectedly")]
    Task {
        #[source]
        source: tokio::task::JoinError,
    },
}

/// What one client measured.
#[derive(Debug)]
struct ClientTally {
    requests: u64,
    mismatches: u64,
    lost: u64,
    late: u64,
    first_mismatch: Option<Mismatch>,
    io_error: Option<io::Error>,
    latency: Histogram,
}

impl ClientTally {
    fn new() -> Self {
        ClientTally {
            requests: 0,
            mismatches: 0,
            lost: 0,
            late: 0,
            first_mismatch: None,
            io_error: None,
            latency: Histogram::new(),
        }
    }

    fn mismatch(&mut self, m: Mismatch) {
        self.mismatches += 1;
        if self.first_mismatch.is_none() {
            self.first_mismatch = Some(m);
        }
    }
}

/// When a client's work counts: from `start` (after warm-up) to `end`.
#[derive(Clone, Copy, Debug)]
struct Window {
    start: Instant,
    end: Instant,
}

impl Window {
    /// Whether a round trip from `t0` to `t1` lies inside the window.
    fn counts(&self, t0: Instant, t1: Instant) -> bool {
        t0 >= self.start && t1 <= self.end
    }
}

/// Run a load and return what it measured. Connection refusal and connect failures are
/// errors; corruption, resets and losses during the run are counted in the report.
pub async fn run(cfg: &LoadConfig) -> Result<Report, LoadError> {
    cfg.validate()?;
    let mut set = JoinSet::new();
    let window;
    match cfg.transport {
        Transport::Tcp => {
            let streams = connect_all(cfg.addr, cfg.clients, cfg.connect_timeout).await?;
            window = window_from_now(cfg);
            for (id, stream) in streams.into_iter().enumerate() {
                set.spawn(tcp_client(id, stream, cfg.size, window));
            }
        }
        Transport::Udp => {
            let sockets = udp_sockets(cfg.addr, cfg.clients).await?;
            window = window_from_now(cfg);
            for (id, socket) in sockets.into_iter().enumerate() {
                set.spawn(udp_client(id, socket, cfg.size, cfg.udp_timeout, window));
            }
        }
    }
    let cpu = tokio::spawn(cpu_in_window(window));
    let mut tallies = Vec::with_capacity(cfg.clients);
    while let Some(t) = set.join_next().await {
        tallies.push(t.map_err(|source| LoadError::Task { source })?);
    }
    let cpu_secs = cpu.await.map_err(|source| LoadError::Task { source })?;
    merge(cfg, window, tallies, cpu_secs)
}

/// The measured window of a run whose clients are ready now.
fn window_from_now(cfg: &LoadConfig) -> Window {
    let start = Instant::now() + cfg.warmup;
    Window {
        start,
        end: start + cfg.duration,
    }
}

/// Add the clients' tallies into one report.
fn merge(
    cfg: &LoadConfig,
    window: Window,
    tallies: Vec<ClientTally>,
    cpu_secs: f64,
) -> Result<Report, LoadError> {
    let mut r = Report {
        transport: cfg.transport,
        addr: cfg.addr,
        clients: cfg.clients,
        size: cfg.size,
        elapsed: window.end - window.start,
        requests: 0,
        mismatches: 0,
        io_errors: 0,
        lost: 0,
        late: 0,
        first_mismatch: None,
        first_io_error: None,
        latency: Histogram::new(),
        cpu_secs,
    };
    let mut refused = 0;
    for t in tallies {
        r.requests += t.requests;
        r.mismatches += t.mismatches;
        r.lost += t.lost;
        r.late += t.late;
        r.latency.merge(&t.latency);
        if r.first_mismatch.is_none() {
            r.first_mismatch = t.first_mismatch;
        }
        if let Some(e) = t.io_error {
            r.io_errors += 1;
            refused += usize::from(e.kind() == io::ErrorKind::ConnectionRefused);
            if r.first_io_error.is_none() {
                r.first_io_error = Some(e.to_string());
            }
        }
    }
    // A UDP "connection" is refused only when the first datagram meets an ICMP
    // port-unreachable: if every client met it, nothing is listening.
    if refused == cfg.clients && r.requests == 0 {
        return Err(LoadError::Refused {
            addr: cfg.addr,
            transport: cfg.transport,
        });
    }
    Ok(r)
}

/// The CPU time this process spends inside the window, in seconds.
async fn cpu_in_window(window: Window) -> f64 {
    tokio::time::sleep_until(window.start).await;
    let before = process_cpu_secs();
    tokio::time::sleep_until(window.end).await;
    (process_cpu_secs() - before).max(0.0)
}

/// User plus system CPU time of this process so far; 0 where there is no `/proc`.
pub fn process_cpu_secs() -> f64 {
    std::fs::read_to_string("/proc/self/stat").map_or(0.0, |s| stat_cpu_secs(&s, false))
}

/// CPU time of process `pid` so far, with that of its reaped children when `children` (a
/// server forking a process per connection); 0 when it cannot be read.
pub fn pid_cpu_secs(pid: u32, children: bool) -> f64 {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .map_or(0.0, |s| stat_cpu_secs(&s, children))
}

/// Seconds of CPU time in a `/proc/<pid>/stat` line: utime + stime, and cutime + cstime when
/// `children`, all in the kernel's 1/100 s clock ticks (proc(5)).
pub fn stat_cpu_secs(stat: &str, children: bool) -> f64 {
    // The fields after the command name, which is in parentheses and may hold spaces:
    // state is the first, utime the twelfth, then stime, cutime, cstime.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let ticks: f64 = rest
        .split_whitespace()
        .skip(11)
        .take(if children { 4 } else { 2 })
        .filter_map(|f| f.parse::<f64>().ok())
        .sum();
    ticks / 100.0
}

/// One TCP client: request, verify, repeat until the window ends. A round trip still in
/// flight `END_GRACE` after the end is a failure.
async fn tcp_client(id: usize, mut stream: TcpStream, size: usize, w: Window) -> ClientTally {
    let mut tally = ClientTally::new();
    // One timer for the whole client rather than one per request.
    let outcome = timeout_at(
        w.end + END_GRACE,
        tcp_requests(id, &mut stream, size, w, &mut tally),
    )
    .await;
    match outcome {
        Ok(Ok(())) => {}
        Ok(Err(e)) => tally.io_error = Some(e),
        Err(_) => {
            tally.io_error = Some(io::Error::new(
                io::ErrorKind::TimedOut,
                format!(
                    "no echo within {} s after the end of the run",
                    END_GRACE.as_secs()
                ),
            ))
        }
    }
    tally
}

/// The request loop of one TCP client; tallies as it goes, so nothing is lost on a timeout.
async fn tcp_requests(
    id: usize,
    stream: &mut TcpStream,
    size: usize,
    w: Window,
    tally: &mut ClientTally,
) -> io::Result<()> {
    let mut rng = StdRng::from_entropy();
    let mut sent = vec![0u8; size];
    let mut got = vec![0u8; size];
    let mut request = 0u64;
    while Instant::now() < w.end {
        rng.fill_bytes(&mut sent);
        let t0 = Instant::now();
        stream
            .write_all(&sent)
            .await
            .map_err(|e| describe_tcp_failure(e, request))?;
        stream
            .read_exact(&mut got)
            .await
            .map_err(|e| describe_tcp_failure(e, request))?;
        let t1 = Instant::now();
        if sent != got {
            tally.mismatch(first_difference(id, request, &sent, &got));
        } else if w.counts(t0, t1) {
            tally.requests += 1;
            tally.latency.record(nanos(t1 - t0));
        }
        request += 1;
    }
    Ok(())
}

/// Turn a failed TCP round trip into a message that says what the server did.
fn describe_tcp_failure(e: io::Error, request: u64) -> io::Error {
    let what = match e.kind() {
        io::ErrorKind::UnexpectedEof => "connection closed by the server",
        io::ErrorKind::ConnectionReset => "connection reset by the server",
        io::ErrorKind::BrokenPipe => "connection closed by the server (broken pipe)",
        _ => return io::Error::new(e.kind(), format!("request {request}: {e}")),
    };
    io::Error::new(e.kind(), format!("{what} during request {request}"))
}

/// One UDP client: one datagram per request, each echo awaited at most `wait`.
async fn udp_client(
    id: usize,
    socket: UdpSocket,
    size: usize,
    wait: Duration,
    w: Window,
) -> ClientTally {
    let mut tally = ClientTally::new();
    let mut rng = StdRng::from_entropy();
    let mut sent = vec![0u8; size];
    let mut buf = vec![0u8; 65_536];
    // Messages already done with: the lost ones and the last echoed one, whose late or
    // duplicated echoes are not corruption.
    let mut gone: Vec<Vec<u8>> = Vec::new();
    let mut echoed: Vec<u8> = Vec::new();
    let mut request = 0u64;
    while Instant::now() < w.end {
        sent.resize(size, 0);
        rng.fill_bytes(&mut sent);
        let t0 = Instant::now();
        if let Err(e) = socket.send(&sent).await {
            tally.io_error = Some(e);
            break;
        }
        let deadline = t0 + wait;
        loop {
            match timeout_at(deadline, socket.recv(&mut buf)).await {
                Ok(Ok(n)) => {
                    let echo = buf.get(..n).unwrap_or_default();
                    let t1 = Instant::now();
                    if echo == sent.as_slice() {
                        if w.counts(t0, t1) {
                            tally.requests += 1;
                            tally.latency.record(nanos(t1 - t0));
                        }
                        // `sent` is refilled before its next use.
                        std::mem::swap(&mut echoed, &mut sent);
                    } else if echo == echoed.as_slice() || gone.iter().any(|g| g.as_slice() == echo)
                    {
                        tally.late += 1;
                        continue;
                    } else {
                        tally.mismatch(first_difference(id, request, &sent, echo));
                    }
                }
                Ok(Err(e)) => tally.io_error = Some(e),
                Err(_) => {
                    if w.counts(t0, t0) {
                        tally.lost += 1;
                    }
                    if gone.len() == LATE_MEMORY {
                        gone.remove(0);
                    }
                    gone.push(sent.clone());
                }
            }
            break;
        }
        if tally.io_error.is_some() {
            break;
        }
        request += 1;
    }
    tally
}

/// Where `got` first differs from `sent`.
fn first_difference(client: usize, request: u64, sent: &[u8], got: &[u8]) -> Mismatch {
    let offset = sent
        .iter()
        .zip(got)
        .position(|(a, b)| a != b)
        .unwrap_or(sent.len().min(got.len()));
    Mismatch {
        client,
        request,
        offset,
        sent: sent.get(offset).copied(),
        got: got.get(offset).copied(),
        sent_len: sent.len(),
        got_len: got.len(),
    }
}

fn nanos(d: Duration) -> u64 {
    u64::try_from(d.as_nanos()).unwrap_or(u64::MAX)
}

/// Open `n` TCP connections to `addr`, at most `CONNECT_PARALLELISM` in flight, each with
/// TCP_NODELAY so every request leaves at once. The first failure stops the lot.
pub async fn connect_all(
    addr: SocketAddr,
    n: usize,
    each: Duration,
) -> Result<Vec<TcpStream>, LoadError> {
    let permits = Arc::new(Semaphore::new(CONNECT_PARALLELISM));
    let mut set = JoinSet::new();
    for i in 0..n {
        let permits = Arc::clone(&permits);
        set.spawn(async move {
            // The semaphore is never closed, so acquiring cannot fail.
            let _permit = permits.acquire_owned().await.ok();
            (i, connect_one(addr, each).await)
        });
    }
    let mut streams: Vec<Option<TcpStream>> = (0..n).map(|_| None).collect();
    while let Some(joined) = set.join_next().await {
        let (i, stream) = joined.map_err(|source| LoadError::Task { source })?;
        if let Some(slot) = streams.get_mut(i) {
            *slot = Some(stream?);
        }
    }
    Ok(streams.into_iter().flatten().collect())
}

/// One TCP connection, with a clear error for the usual failures.
async fn connect_one(addr: SocketAddr, each: Duration) -> Result<TcpStream, LoadError> {
    let stream = match timeout(each, TcpStream::connect(addr)).await {
        Err(_) => {
            return Err(LoadError::ConnectTimeout {
                addr,
                secs: each.as_secs_f64(),
            })
        }
        Ok(Err(e)) if e.kind() == io::ErrorKind::ConnectionRefused => {
            return Err(LoadError::Refused {
                addr,
                transport: Transport::Tcp,
            })
        }
        Ok(Err(e)) if e.raw_os_error() == Some(libc::EMFILE) => {
            return Err(LoadError::TooManyFiles { addr })
        }
        Ok(Err(source)) => return Err(LoadError::Connect { addr, source }),
        Ok(Ok(s)) => s,
    };
    stream
        .set_nodelay(true)
        .map_err(|source| LoadError::Connect { addr, source })?;
    Ok(stream)
}

/// One connected UDP socket per client.
async fn udp_sockets(addr: SocketAddr, n: usize) -> Result<Vec<UdpSocket>, LoadError> {
    let local: IpAddr = match addr {
        SocketAddr::V4(_) => Ipv4Addr::UNSPECIFIED.into(),
        SocketAddr::V6(_) => Ipv6Addr::UNSPECIFIED.into(),
    };
    let mut sockets = Vec::with_capacity(n);
    for _ in 0..n {
        let open = async {
            let s = UdpSocket::bind(SocketAddr::new(local, 0)).await?;
            s.connect(addr).await?;
            Ok::<_, io::Error>(s)
        };
        sockets.push(
            open.await
                .map_err(|source| LoadError::UdpSocket { addr, source })?,
        );
    }
    Ok(sockets)
}

/// Open `n` TCP connections and leave them idle, after one 1-byte echo on each proves the
/// server has accepted it. Used to measure what an idle connection costs the server.
pub async fn hold_idle(addr: SocketAddr, n: usize) -> Result<Vec<TcpStream>, LoadError> {
    let mut streams = connect_all(addr, n, Duration::from_secs(10)).await?;
    let mut set = JoinSet::new();
    for (index, mut stream) in streams.drain(..).enumerate() {
        set.spawn(async move {
            let probe = async {
                stream.write_all(b"i").await?;
                let mut b = [0u8; 1];
                stream.read_exact(&mut b).await?;
                Ok::<_, io::Error>(b)
            };
            let what = match timeout(Duration::from_secs(10), probe).await {
                Ok(Ok(b)) if &b == b"i" => return Ok((index, stream)),
                Ok(Ok(b)) => format!("echo was 0x{:02x}, sent 0x69", b[0]),
                Ok(Err(e)) => e.to_string(),
                Err(_) => "no echo within 10 s".to_string(),
            };
            Err(LoadError::IdleProbe { addr, index, what })
        });
    }
    let mut held = Vec::with_capacity(n);
    while let Some(joined) = set.join_next().await {
        held.push(joined.map_err(|source| LoadError::Task { source })??);
    }
    held.sort_by_key(|(i, _)| *i);
    Ok(held.into_iter().map(|(_, s)| s).collect())
}

/// Raise this process's open-files soft limit to its hard limit; returns the new soft limit.
/// Child processes inherit it.
pub fn raise_nofile_limit() -> Result<u64, LoadError> {
    use rlimit::{getrlimit, setrlimit, Resource};
    let (soft, hard) =
        getrlimit(Resource::NOFILE).map_err(|source| LoadError::FileLimit { source })?;
    if soft < hard {
        setrlimit(Resource::NOFILE, hard, hard)
            .map_err(|source| LoadError::FileLimit { source })?;
    }
    Ok(hard)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transport_parses_any_case() {
        assert_eq!("udp".parse::<Transport>().unwrap(), Transport::Udp);
        assert_eq!("Tcp".parse::<Transport>().unwrap(), Transport::Tcp);
        let e = "sctp".parse::<Transport>().unwrap_err().to_string();
        assert_eq!(e, "bad transport \"sctp\": expected TCP or UDP");
    }

    #[test]
    fn impossible_loads_are_rejected() {
        let mut c = LoadConfig::new("127.0.0.1:1".parse().unwrap());
        c.clients = 0;
        assert!(matches!(c.validate(), Err(LoadError::NoClients)));
        c.clients = 1;
        c.size = 0;
        assert!(matches!(c.validate(), Err(LoadError::EmptyMessage)));
        c.size = MAX_UDP_PAYLOAD + 1;
        assert!(c.validate().is_ok(), "TCP messages may be any size");
        c.transport = Transport::Udp;
        assert!(matches!(
            c.validate(),
            Err(LoadError::DatagramTooLarge { size: 65_508 })
        ));
    }

    #[test]
    fn cpu_time_from_a_stat_line() {
        // pid (comm with spaces) state ppid pgrp session tty tpgid flags minflt cminflt
        // majflt cmajflt utime stime cutime cstime ...
        let stat = "42 (a (b) c) S 1 42 42 0 -1 4194560 10 0 0 0 250 50 7 3 20 0 1";
        assert_eq!(stat_cpu_secs(stat, false), 3.0);
        assert_eq!(stat_cpu_secs(stat, true), 3.1);
        assert_eq!(stat_cpu_secs("garbage", true), 0.0);
    }

    #[test]
    fn first_difference_names_the_byte_or_the_length() {
        let m = first_difference(2, 7, b"abcd", b"abXd");
        assert_eq!((m.offset, m.sent, m.got), (2, Some(b'c'), Some(b'X')));
        assert_eq!(
            m.to_string(),
            "client 2 request 7: byte 2 is 0x58, sent 0x63"
        );
        let m = first_difference(0, 0, b"abcd", b"ab");
        assert_eq!(
            m.to_string(),
            "client 0 request 0: echo is 2 bytes long, sent 4"
        );
    }

    /// An in-process echo server on a free port, for the load's own checks.
    async fn echo_server(flip: bool) -> SocketAddr {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            while let Ok((mut s, _)) = listener.accept().await {
                tokio::spawn(async move {
                    let mut buf = vec![0u8; 4096];
                    while let Ok(n) = s.read(&mut buf).await {
                        if n == 0 {
                            break;
                        }
                        if flip {
                            buf[0] ^= 1;
                        }
                        if s.write_all(&buf[..n]).await.is_err() {
                            break;
                        }
                    }
                });
            }
        });
        addr
    }

    fn short(addr: SocketAddr, clients: usize) -> LoadConfig {
        let mut c = LoadConfig::new(addr);
        c.clients = clients;
        c.duration = Duration::from_millis(300);
        c
    }

    #[tokio::test]
    async fn verified_load_on_a_faithful_server() {
        let addr = echo_server(false).await;
        let r = run(&short(addr, 4)).await.unwrap();
        assert!(r.requests > 0, "{r:?}");
        assert_eq!(r.errors(), 0, "{r:?}");
        assert_eq!(r.latency.len(), r.requests);
        assert!(r.latency.quantile(0.5) > 0);
    }

    #[tokio::test]
    async fn a_flipped_byte_is_a_mismatch() {
        let addr = echo_server(true).await;
        let r = run(&short(addr, 2)).await.unwrap();
        assert!(r.mismatches > 0, "{r:?}");
        assert_eq!(r.requests, 0, "no corrupted echo counts as a request");
        let m = r.first_mismatch.unwrap();
        assert_eq!(m.offset, 0);
        assert_eq!(m.got, m.sent.map(|b| b ^ 1));
    }

    #[tokio::test]
    async fn refused_is_an_error() {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = l.local_addr().unwrap();
        drop(l);
        let e = run(&short(addr, 1)).await.unwrap_err();
        assert!(matches!(e, LoadError::Refused { .. }), "{e}");
    }

    #[tokio::test]
    async fn udp_refused_and_udp_echoed() {
        let s = tokio::net::UdpSocket::bind("127.0.0.1:0").await.unwrap();
        let addr = s.local_addr().unwrap();
        let mut c = short(addr, 2);
        c.transport = Transport::Udp;
        tokio::spawn(async move {
            let mut buf = vec![0u8; 65_536];
            while let Ok((n, from)) = s.recv_from(&mut buf).await {
                let _ = s.send_to(&buf[..n], from).await;
            }
        });
        let r = run(&c).await.unwrap();
        assert!(r.requests > 0 && r.errors() == 0, "{r:?}");

        let closed = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
        c.addr = closed.local_addr().unwrap();
        drop(closed);
        let e = run(&c).await.unwrap_err();
        assert!(matches!(e, LoadError::Refused { .. }), "{e}");
    }
}
