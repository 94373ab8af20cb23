//! The echo server: TCP with one task per connection, UDP with one socket echoing every
//! datagram to its sender. `run` is handed an already bound socket and a shutdown signal (the
//! shape of mini-redis `server.rs`), so tests bind port 0 and other programs can embed it.
//!
//! Must not import `crate::capture` or `crate::cli`.

use std::fmt;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream, UdpSocket};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use super::error::Error;
use super::guard::{Guard, Refusal, Verdict};
use super::options::{Limits, Protocol, ServerOptions};

/// Bytes read from a TCP connection before they are written back. Each connection owns one
/// buffer of this size and reads again only after `write_all` finished: memory per connection
/// is fixed, and a client that does not read stops being read from (backpressure) instead of
/// making the server buffer its bytes.
pub const TCP_BUFFER: usize = 16 * 1024;

/// One UDP datagram can carry up to 65,507 bytes; a larger buffer never truncates one.
pub const UDP_BUFFER: usize = 65_536;

/// The UDP socket's receive queue asked of the kernel: many senders bursting 64 KiB
/// datagrams at once overflow the default (about 208 KiB) and lose datagrams.
const UDP_RECEIVE_QUEUE: usize = 4 << 20;

/// The first pause after a failed accept; it doubles on each failure in a row up to
/// `ACCEPT_BACKOFF_MAX`, so a full file table is retried often at first, then calmly.
const ACCEPT_BACKOFF_MIN: Duration = Duration::from_millis(10);
const ACCEPT_BACKOFF_MAX: Duration = Duration::from_secs(1);

/// File descriptors kept free for what is not a connection (the runtime, the log, a capture)
/// when the connection cap is derived from the open-files limit: an eighth, 16 to 256.
fn fd_reserve(nofile: u64) -> u64 {
    (nofile / 8).clamp(16, 256)
}

/// The default connection cap for an open-files limit of `nofile`: below it by a reserve, so
/// the server refuses a client itself instead of `accept` failing with EMFILE.
pub fn default_max_connections(nofile: u64) -> usize {
    let cap = nofile.saturating_sub(fd_reserve(nofile)).max(1);
    usize::try_from(cap).unwrap_or(usize::MAX)
}

/// Something worth a line in the server's log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// A TCP client connected.
    Connected { peer: SocketAddr },
    /// A TCP client left; `error` says why when it was not a clean close.
    Disconnected {
        peer: SocketAddr,
        bytes: u64,
        error: Option<String>,
    },
    /// The first datagram from a UDP source.
    UdpClient { peer: SocketAddr },
    /// A datagram from a port never answered (0, well-known, the server's own), not answered
    /// (logged once per source).
    Ignored { peer: SocketAddr },
    /// A source sending back every echo at once (another echo server), no longer answered
    /// (logged once per source).
    Reflector { peer: SocketAddr },
    /// A TCP client turned away because `open` connections are the most allowed.
    Refused { open: usize },
    /// A socket error that did not stop the server.
    Trouble { what: String },
    /// Shutdown was asked for; `open` connections are being closed.
    ShuttingDown { open: usize },
}

impl fmt::Display for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Event::Connected { peer } => write!(f, "Connected with {peer}"),
            Event::Disconnected {
                peer,
                bytes,
                error: None,
            } => {
                write!(f, "Disconnected {peer} ({bytes} bytes echoed)")
            }
            Event::Disconnected {
                peer,
                bytes,
                error: Some(e),
            } => {
                write!(f, "Disconnected {peer} ({bytes} bytes echoed): {e}")
            }
            Event::UdpClient { peer } => write!(f, "Datagrams from {peer}"),
            Event::Ignored { peer } => write!(
                f,
                "Not answering {peer}: source port {} may be a service that answers \
                 (answering could loop forever)",
                peer.port()
            ),
            Event::Reflector { peer } => write!(
                f,
                "Not answering {peer}: it sends back every echo at once \
                 (another echo server? answering would loop forever)"
            ),
            Event::Refused { open } => write!(
                f,
                "warning: refusing new connections: {open} open, the most allowed \
                 (--max-connections)"
            ),
            Event::Trouble { what } => write!(f, "warning: {what}"),
            Event::ShuttingDown { open } => {
                write!(f, "Shutting down: closing {open} connection(s)")
            }
        }
    }
}

/// Where events go. The command line prints them; tests and embedders may drop them.
pub type EventSink = Arc<dyn Fn(Event) + Send + Sync>;

/// How the server treats its clients.
#[derive(Clone)]
pub struct Config {
    /// TCP_NODELAY on every connection (`-c`): each chunk read goes back in its own segment
    /// at once, even when earlier echoes are not yet acknowledged (no Nagle coalescing).
    pub nodelay: bool,
    pub events: EventSink,
    /// Idle timeout, connection cap, UDP guard.
    pub limits: Limits,
}

impl Config {
    /// A configuration that logs nothing.
    pub fn quiet(nodelay: bool) -> Config {
        Config {
            nodelay,
            events: Arc::new(|_| {}),
            limits: Limits::default(),
        }
    }
}

/// A bound server socket, ready for `run`.
#[derive(Debug)]
pub enum Listener {
    Tcp(TcpListener),
    Udp(UdpSocket),
}

impl Listener {
    /// The address actually bound (the real port when 0 was asked for).
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        match self {
            Listener::Tcp(l) => l.local_addr(),
            Listener::Udp(s) => s.local_addr(),
        }
    }
}

/// Bind the socket `opts` asks for, naming the cause when that fails.
pub async fn bind(opts: &ServerOptions) -> Result<Listener, Error> {
    let addr = opts.addr;
    match opts.protocol {
        Protocol::Tcp => TcpListener::bind(addr).await.map(Listener::Tcp),
        Protocol::Udp => UdpSocket::bind(addr).await.map(|s| {
            // Best effort: the kernel caps it at net.core.rmem_max.
            let _ = socket2::SockRef::from(&s).set_recv_buffer_size(UDP_RECEIVE_QUEUE);
            Listener::Udp(s)
        }),
    }
    .map_err(|e| Error::bind(addr, e))
}

/// Raise the open-files soft limit to the hard limit, so thousands of clients can connect
/// without the user touching `ulimit`. Returns the soft limit now in force.
pub fn raise_open_files_limit() -> io::Result<u64> {
    let (soft, hard) = rlimit::getrlimit(rlimit::Resource::NOFILE)?;
    // An unlimited hard limit cannot be the soft one: Linux caps open files at fs.nr_open.
    let target = if hard == rlimit::INFINITY {
        std::fs::read_to_string("/proc/sys/fs/nr_open")
            .ok()
            .and_then(|s| s.trim().parse().ok())
            .unwrap_or(soft)
    } else {
        hard
    };
    if soft < target {
        rlimit::setrlimit(rlimit::Resource::NOFILE, target, hard)?;
        return Ok(target);
    }
    Ok(soft)
}

/// Serve on `listener` until `shutdown` completes, then close every connection and return.
pub async fn run(listener: Listener, config: Config, shutdown: impl Future) -> Result<(), Error> {
    let token = CancellationToken::new();
    let served = match listener {
        Listener::Tcp(l) => tokio::spawn(serve_tcp(l, config, token.clone())),
        Listener::Udp(s) => tokio::spawn(serve_udp(s, config, token.clone())),
    };
    tokio::pin!(served);
    tokio::select! {
        r = &mut served => return flatten(r),
        _ = shutdown => token.cancel(),
    }
    flatten(served.await)
}

fn flatten(r: Result<Result<(), Error>, tokio::task::JoinError>) -> Result<(), Error> {
    r.map_err(|e| Error::io("server task failed", io::Error::other(e.to_string())))?
}

/// Accept until cancelled; one task per connection, all tracked so shutdown waits for them.
/// Past the connection cap a client is closed at once (it sees the connection end instead of
/// waiting in the listen queue); failed accepts back off (mini-redis `server.rs`).
async fn serve_tcp(
    listener: TcpListener,
    config: Config,
    token: CancellationToken,
) -> Result<(), Error> {
    let tracker = TaskTracker::new();
    // Connections get their own token, cancelled once the number still open is logged.
    let close_all = CancellationToken::new();
    let cap = config
        .limits
        .max_connections
        .map(|n| n.min(Semaphore::MAX_PERMITS))
        .map(|n| (n, Arc::new(Semaphore::new(n))));
    let mut backoff = ACCEPT_BACKOFF_MIN;
    loop {
        let accepted = tokio::select! {
            _ = token.cancelled() => break,
            a = listener.accept() => a,
        };
        match accepted {
            Ok((stream, peer)) => {
                backoff = ACCEPT_BACKOFF_MIN;
                let permit = match &cap {
                    None => None,
                    Some((n, slots)) => match slots.clone().try_acquire_owned() {
                        Ok(p) => Some(p),
                        Err(_) => {
                            // Dropping the stream closes it: the client learns at once.
                            drop(stream);
                            (config.events)(Event::Refused { open: *n });
                            continue;
                        }
                    },
                };
                let (config, close) = (config.clone(), close_all.clone());
                tracker.spawn(async move { connection(stream, peer, config, close, permit).await });
            }
            Err(e) => {
                (config.events)(Event::Trouble {
                    what: format!("accept failed: {e}"),
                });
                tokio::select! {
                    _ = token.cancelled() => break,
                    _ = tokio::time::sleep(backoff) => {}
                }
                backoff = (backoff * 2).min(ACCEPT_BACKOFF_MAX);
            }
        }
    }
    drop(listener);
    (config.events)(Event::ShuttingDown {
        open: tracker.len(),
    });
    close_all.cancel();
    tracker.close();
    tracker.wait().await;
    Ok(())
}

/// One TCP client: log, echo until it leaves, falls silent too long, or shutdown, log. The
/// permit (a slot under the connection cap) is given back when this returns.
async fn connection(
    mut stream: TcpStream,
    peer: SocketAddr,
    config: Config,
    token: CancellationToken,
    _permit: Option<OwnedSemaphorePermit>,
) {
    (config.events)(Event::Connected { peer });
    let mut bytes = 0u64;
    let nodelay = if config.nodelay {
        stream.set_nodelay(true)
    } else {
        Ok(())
    };
    let idle = config.limits.idle_timeout;
    let outcome = match nodelay {
        Err(e) => Err(e),
        Ok(()) => tokio::select! {
            r = echo_stream(&mut stream, &mut bytes, idle) => r,
            _ = token.cancelled() => Err(io::Error::other("server shutting down")),
        },
    };
    let error = outcome.err().map(|e| describe(&e));
    (config.events)(Event::Disconnected { peer, bytes, error });
}

/// Read a chunk, write it all back, read again: never more than one buffer held. Waiting
/// longer than `idle` for a byte to read, or for the client to take the echo, ends it.
async fn echo_stream(
    stream: &mut TcpStream,
    bytes: &mut u64,
    idle: Option<Duration>,
) -> io::Result<()> {
    // An idle connection holds no buffer: allocate only once the client has sent something.
    within(idle, stream.readable()).await?;
    let mut buf = vec![0u8; TCP_BUFFER];
    loop {
        let n = within(idle, stream.read(&mut buf)).await?;
        if n == 0 {
            return Ok(());
        }
        // `buf[..n]`: `read` returned n <= buf.len().
        within(idle, stream.write_all(&buf[..n])).await?;
        *bytes += n as u64;
    }
}

/// `step`, failing with `TimedOut` if it takes longer than `limit`.
async fn within<T>(
    limit: Option<Duration>,
    step: impl Future<Output = io::Result<T>>,
) -> io::Result<T> {
    let Some(limit) = limit else {
        return step.await;
    };
    match tokio::time::timeout(limit, step).await {
        Ok(r) => r,
        Err(_) => Err(io::Error::new(
            io::ErrorKind::TimedOut,
            format!("idle for {} s (--idle-timeout)", secs_text(limit)),
        )),
    }
}

/// `300`, `0.5`: seconds without a trailing `.0`.
fn secs_text(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s.fract() == 0.0 {
        format!("{}", s as u64)
    } else {
        format!("{s}")
    }
}

fn describe(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::ConnectionReset => "connection reset by client".to_string(),
        io::ErrorKind::BrokenPipe => "client stopped reading (broken pipe)".to_string(),
        _ => e.to_string(),
    }
}

/// Echo every datagram to its sender until cancelled, unless the guard refuses it.
async fn serve_udp(
    socket: UdpSocket,
    config: Config,
    token: CancellationToken,
) -> Result<(), Error> {
    let own_port = socket
        .local_addr()
        .map_err(|e| Error::io("cannot read the bound address", e))?
        .port();
    let limits = config.limits;
    let mut guard = Guard::new(own_port, limits.udp_min_src_port, limits.udp_repeat_rate);
    let mut buf = vec![0u8; UDP_BUFFER];
    loop {
        let received = tokio::select! {
            _ = token.cancelled() => return Ok(()),
            r = socket.recv_from(&mut buf) => r,
        };
        let (n, peer) = match received {
            Ok(r) => r,
            // ICMP errors from an earlier reply, or a truncated read: keep serving.
            Err(e) => {
                (config.events)(Event::Trouble {
                    what: format!("receive failed: {e}"),
                });
                continue;
            }
        };
        // `buf[..n]`: `recv_from` returned n <= buf.len().
        let datagram = &buf[..n];
        match guard.check(peer, datagram, Instant::now()) {
            Verdict::Answer { first } => {
                if first {
                    (config.events)(Event::UdpClient { peer });
                }
            }
            Verdict::Refuse { why, log } => {
                if log {
                    (config.events)(match why {
                        Refusal::Port => Event::Ignored { peer },
                        Refusal::Repeats => Event::Reflector { peer },
                    });
                }
                continue;
            }
        }
        if let Err(e) = socket.send_to(datagram, peer).await {
            (config.events)(Event::Trouble {
                what: format!("cannot echo to {peer}: {e}"),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connection_cap_leaves_a_reserve() {
        assert_eq!(default_max_connections(64), 48);
        assert_eq!(default_max_connections(1024), 896);
        assert_eq!(default_max_connections(20_000), 19_744);
        assert_eq!(default_max_connections(8), 1);
    }

    #[tokio::test]
    async fn a_silent_connection_is_closed_after_the_idle_timeout() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let mut config = Config::quiet(false);
        config.limits.idle_timeout = Some(Duration::from_millis(200));
        let stop = CancellationToken::new();
        let server = tokio::spawn(run(
            Listener::Tcp(listener),
            config,
            stop.clone().cancelled_owned(),
        ));
        let mut c = TcpStream::connect(addr).await.unwrap();
        c.write_all(b"hi").await.unwrap();
        let mut b = [0u8; 8];
        assert_eq!(c.read(&mut b).await.unwrap(), 2);
        let t0 = Instant::now();
        let end = tokio::time::timeout(Duration::from_secs(5), c.read(&mut b)).await;
        assert_eq!(end.expect("closed within 5 s").unwrap_or(0), 0);
        assert!(t0.elapsed() >= Duration::from_millis(150));
        stop.cancel();
        server.await.unwrap().unwrap();
    }

    #[test]
    fn event_lines() {
        let peer: SocketAddr = "127.0.0.1:46096".parse().unwrap();
        let e = Event::Disconnected {
            peer,
            bytes: 26,
            error: None,
        };
        assert_eq!(
            e.to_string(),
            "Disconnected 127.0.0.1:46096 (26 bytes echoed)"
        );
    }
}
