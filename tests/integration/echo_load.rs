//! Many clients at once: 100 TCP clients and 100 UDP senders with random binary payloads
//! get every byte back (SHA-256 compared), while a client that never reads is connected
//! and must not stall them. Run against the library server (`server::run` on port 0) and
//! against the echoServer process.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use echolab::echo::options::{Protocol, ServerOptions};
use echolab::echo::server::{self, Config};
use rand::{Rng, SeedableRng};
use sha2::{Digest, Sha256};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpStream, UdpSocket};

use crate::echo::Server;

const CLIENTS: usize = 100;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime")
}

/// Random payloads of 1..=max bytes, from a printed seed so a failure can be replayed.
fn payloads(max: usize) -> Vec<Vec<u8>> {
    let seed: u64 = rand::random();
    eprintln!("payload seed {seed}");
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    (0..CLIENTS)
        .map(|_| {
            let mut p = vec![0u8; rng.gen_range(1..=max)];
            rng.fill(&mut p[..]);
            p
        })
        .collect()
}

fn digest(b: &[u8]) -> [u8; 32] {
    Sha256::digest(b).into()
}

/// One TCP client: write everything while reading the echo, then compare digests.
async fn tcp_client(addr: SocketAddr, payload: Vec<u8>) -> Result<(), String> {
    let stream = TcpStream::connect(addr)
        .await
        .map_err(|e| format!("connect: {e}"))?;
    let (mut rd, mut wr) = stream.into_split();
    let sent = digest(&payload);
    let len = payload.len();
    let writer = tokio::spawn(async move {
        wr.write_all(&payload).await?;
        wr.shutdown().await
    });
    let mut back = Vec::with_capacity(len);
    rd.read_to_end(&mut back)
        .await
        .map_err(|e| format!("read: {e}"))?;
    writer
        .await
        .map_err(|e| e.to_string())?
        .map_err(|e| format!("write: {e}"))?;
    if back.len() != len || digest(&back) != sent {
        return Err(format!(
            "sent {len} bytes, got {} back, digests differ",
            back.len()
        ));
    }
    Ok(())
}

/// One UDP sender: one datagram, resent if it or its echo is lost (loopback drops when the
/// server's receive buffer overflows under 100 simultaneous 64 KiB datagrams).
async fn udp_sender(addr: SocketAddr, payload: Vec<u8>) -> Result<u32, String> {
    let s = UdpSocket::bind("127.0.0.1:0")
        .await
        .map_err(|e| e.to_string())?;
    s.connect(addr).await.map_err(|e| e.to_string())?;
    let mut buf = vec![0u8; 65_536];
    for attempt in 0..20 {
        s.send(&payload).await.map_err(|e| format!("send: {e}"))?;
        match tokio::time::timeout(Duration::from_millis(250), s.recv(&mut buf)).await {
            Err(_) => continue,
            Ok(Err(e)) => return Err(format!("recv: {e}")),
            Ok(Ok(n)) if digest(&buf[..n]) == digest(&payload) => return Ok(attempt),
            Ok(Ok(n)) => {
                return Err(format!(
                    "sent {} bytes, got {n} back, digests differ",
                    payload.len()
                ))
            }
        }
    }
    Err(format!("no echo of {} bytes after 20 tries", payload.len()))
}

/// A client that sends without ever reading. Returns how many bytes it managed to write.
fn stalled_client(rt: &tokio::runtime::Runtime, addr: SocketAddr) -> Arc<AtomicU64> {
    let written = Arc::new(AtomicU64::new(0));
    let count = written.clone();
    rt.spawn(async move {
        let Ok(mut s) = TcpStream::connect(addr).await else {
            return;
        };
        let chunk = vec![0x5au8; 64 * 1024];
        while s.write_all(&chunk).await.is_ok() {
            count.fetch_add(chunk.len() as u64, Ordering::Relaxed);
        }
    });
    written
}

/// The whole load against `tcp` and `udp` servers, with a stalled client on `tcp`.
fn load(rt: &tokio::runtime::Runtime, tcp: SocketAddr, udp: SocketAddr) {
    let stalled = stalled_client(rt, tcp);
    rt.block_on(async {
        let mut set = tokio::task::JoinSet::new();
        for p in payloads(64 * 1024) {
            set.spawn(async move { tcp_client(tcp, p).await.map(|_| 0) });
        }
        for p in payloads(65_507) {
            set.spawn(udp_sender(udp, p));
        }
        let all = tokio::time::timeout(Duration::from_secs(30), async {
            let (mut failures, mut resent) = (Vec::new(), 0);
            while let Some(r) = set.join_next().await {
                match r.expect("client task") {
                    Ok(n) => resent += n,
                    Err(e) => failures.push(e),
                }
            }
            (failures, resent)
        })
        .await;
        let (failures, resent) =
            all.expect("clients did not finish in 30 s: a stalled client blocks the server?");
        assert!(
            failures.is_empty(),
            "{} clients failed: {failures:?}",
            failures.len()
        );
        eprintln!("UDP datagrams resent after loss: {resent}");
    });
    // The client that never reads is held back by TCP flow control: its writes stop after
    // the socket buffers fill, because the server stops reading when it cannot write.
    let before = stalled.load(Ordering::Relaxed);
    // Inherent: the claim is that nothing more is accepted, and an absence has no condition
    // to poll; 300 ms is many round trips on loopback.
    std::thread::sleep(Duration::from_millis(300));
    let after = stalled.load(Ordering::Relaxed);
    assert_eq!(
        before, after,
        "the non-reading client can still write: the server buffers without bound"
    );
    assert!(
        after < 64 << 20,
        "{after} bytes accepted from a client that never reads"
    );
}

#[test]
fn many_clients_in_process() {
    let rt = runtime();
    let bind = |protocol| {
        let opts = ServerOptions {
            protocol,
            addr: "127.0.0.1:0".parse().unwrap(),
            continuous: false,
        };
        rt.block_on(server::bind(&opts)).expect("bind")
    };
    let (tcp, udp) = (bind(Protocol::Tcp), bind(Protocol::Udp));
    let (ta, ua) = (tcp.local_addr().unwrap(), udp.local_addr().unwrap());
    let stop = tokio_util::sync::CancellationToken::new();
    let servers: Vec<_> = [tcp, udp]
        .into_iter()
        .map(|l| {
            let stop = stop.clone();
            rt.spawn(
                async move { server::run(l, Config::quiet(false), stop.cancelled_owned()).await },
            )
        })
        .collect();
    load(&rt, ta, ua);
    stop.cancel();
    for s in servers {
        let r = rt.block_on(async { tokio::time::timeout(Duration::from_secs(5), s).await });
        r.expect("server did not stop within 5 s")
            .expect("server task")
            .expect("server result");
    }
}

#[test]
fn many_clients_against_the_echo_server_process() {
    let tcp = Server::start(&[]);
    let udp = Server::start(&["-t", "UDP"]);
    // The server raised its open-files soft limit to the hard limit.
    let limits = std::fs::read_to_string(format!("/proc/{}/limits", tcp.pid())).expect("limits");
    let line = limits
        .lines()
        .find(|l| l.starts_with("Max open files"))
        .expect("open files line");
    let nums: Vec<&str> = line.split_whitespace().skip(3).take(2).collect();
    assert_eq!(
        nums.first(),
        nums.get(1),
        "soft limit not raised to hard: {line}"
    );
    let rt = runtime();
    load(&rt, tcp.addr, udp.addr);
    let log = tcp.wait_log("Connected with 127.0.0.1:");
    assert!(log.matches("Connected with").count() > CLIENTS, "{log}");
}
