//! The echo server: TCP with one task per connection, UDP with one socket echoing every
//! datagram to its sender. `run` is handed an already bound socket and a shutdown signal (the
//! shape of mini-redis `server.rs`), so tests bind port 0 and other programs can embed it.
//!
//! Must not import `crate::capture` or `crate::cli`.

use std::collections::HashSet;
use std::fmt;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream, UdpSocket};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use super::error::Error;
use super::options::{Protocol, ServerOptions};

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

/// How many UDP sources are remembered for "first datagram" logging before the memory is
/// cleared (it must not grow without bound under a flood of spoofed sources).
const UDP_SEEN_LIMIT: usize = 4096;

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
    /// A datagram from an echo-type service port, not answered (logged once per source).
    Ignored { peer: SocketAddr },
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
                "Not answering {peer}: source port {} is an echo-type service \
                 (answering could loop forever)",
                peer.port()
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
}

impl Config {
    /// A configuration that logs nothing.
    pub fn quiet(nodelay: bool) -> Config {
        Config {
            nodelay,
            events: Arc::new(|_| {}),
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
async fn serve_tcp(
    listener: TcpListener,
    config: Config,
    token: CancellationToken,
) -> Result<(), Error> {
    let tracker = TaskTracker::new();
    // Connections get their own token, cancelled once the number still open is logged.
    let close_all = CancellationToken::new();
    loop {
        let accepted = tokio::select! {
            _ = token.cancelled() => break,
            a = listener.accept() => a,
        };
        match accepted {
            Ok((stream, peer)) => {
                let (config, close) = (config.clone(), close_all.clone());
                tracker.spawn(async move { connection(stream, peer, config, close).await });
            }
            Err(e) => accept_trouble(&config, e).await,
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

/// Accept errors are not fatal: a full file table (EMFILE) or a connection aborted before it
/// was accepted must not stop the server. Pause briefly so a full table does not spin.
async fn accept_trouble(config: &Config, e: io::Error) {
    (config.events)(Event::Trouble {
        what: format!("accept failed: {e}"),
    });
    tokio::time::sleep(Duration::from_millis(100)).await;
}

/// One TCP client: log, echo until it leaves or shutdown, log.
async fn connection(
    mut stream: TcpStream,
    peer: SocketAddr,
    config: Config,
    token: CancellationToken,
) {
    (config.events)(Event::Connected { peer });
    let mut bytes = 0u64;
    let nodelay = if config.nodelay {
        stream.set_nodelay(true)
    } else {
        Ok(())
    };
    let outcome = match nodelay {
        Err(e) => Err(e),
        Ok(()) => tokio::select! {
            r = echo_stream(&mut stream, &mut bytes) => r,
            _ = token.cancelled() => Err(io::Error::other("server shutting down")),
        },
    };
    let error = outcome.err().map(|e| describe(&e));
    (config.events)(Event::Disconnected { peer, bytes, error });
}

/// Read a chunk, write it all back, read again: never more than one buffer held.
async fn echo_stream(stream: &mut TcpStream, bytes: &mut u64) -> io::Result<()> {
    // An idle connection holds no buffer: allocate only once the client has sent something.
    stream.readable().await?;
    let mut buf = vec![0u8; TCP_BUFFER];
    loop {
        let n = stream.read(&mut buf).await?;
        if n == 0 {
            return Ok(());
        }
        // `buf[..n]`: `read` returned n <= buf.len().
        stream.write_all(&buf[..n]).await?;
        *bytes += n as u64;
    }
}

fn describe(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::ConnectionReset => "connection reset by client".to_string(),
        io::ErrorKind::BrokenPipe => "client stopped reading (broken pipe)".to_string(),
        _ => e.to_string(),
    }
}

/// Source ports of services that answer whatever they receive: echo (7) and chargen (19).
/// Answering them (or another echo server on our own port) could bounce a datagram forever.
fn is_echo_service(port: u16, own_port: u16) -> bool {
    port == 7 || port == 19 || port == own_port
}

/// Echo every datagram to its sender until cancelled.
async fn serve_udp(
    socket: UdpSocket,
    config: Config,
    token: CancellationToken,
) -> Result<(), Error> {
    let own_port = socket
        .local_addr()
        .map_err(|e| Error::io("cannot read the bound address", e))?
        .port();
    let mut buf = vec![0u8; UDP_BUFFER];
    let mut seen = HashSet::new();
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
        let ignored = is_echo_service(peer.port(), own_port);
        if remember(&mut seen, peer) {
            let event = if ignored {
                Event::Ignored { peer }
            } else {
                Event::UdpClient { peer }
            };
            (config.events)(event);
        }
        if ignored {
            continue;
        }
        // `buf[..n]`: `recv_from` returned n <= buf.len().
        if let Err(e) = socket.send_to(&buf[..n], peer).await {
            (config.events)(Event::Trouble {
                what: format!("cannot echo to {peer}: {e}"),
            });
        }
    }
}

/// Whether `peer` is new; forget everyone when the set is full so it stays bounded.
fn remember(seen: &mut HashSet<SocketAddr>, peer: SocketAddr) -> bool {
    if seen.contains(&peer) {
        return false;
    }
    if seen.len() >= UDP_SEEN_LIMIT {
        seen.clear();
    }
    seen.insert(peer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn echo_service_ports() {
        assert!(is_echo_service(7, 4002));
        assert!(is_echo_service(19, 4002));
        assert!(is_echo_service(4002, 4002));
        assert!(!is_echo_service(53914, 4002));
    }

    #[test]
    fn seen_set_stays_bounded() {
        let mut seen = HashSet::new();
        for port in 1..=(UDP_SEEN_LIMIT as u16 + 10) {
            remember(&mut seen, SocketAddr::from(([127, 0, 0, 1], port)));
        }
        assert!(seen.len() <= UDP_SEEN_LIMIT);
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
