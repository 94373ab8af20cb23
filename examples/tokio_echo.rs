//! A minimal tokio echo server, TCP or UDP: the strongest peer `echoServer` is measured
//! against in `cargo bench --bench echo`.
//!
//! It takes the same options as `echoServer` (`-t TCP|UDP`, `--ip ADDR`, `-p PORT`) and prints
//! `Socket bind complete` when ready, so the benchmark drives both the same way. Nothing else:
//! no logging, no limits, no shutdown handling.
//!
//!     cargo run --release --example tokio_echo -- -p 4002 -t UDP

use std::net::{IpAddr, SocketAddr};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, UdpSocket};

fn main() -> std::io::Result<()> {
    let mut ip: IpAddr = [127, 0, 0, 1].into();
    let mut port = 4002u16;
    let mut udp = false;
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let value = args.next().unwrap_or_default();
        match flag.as_str() {
            "-t" => udp = value.eq_ignore_ascii_case("udp"),
            "--ip" | "-ip" => ip = value.parse().map_err(invalid)?,
            "-p" | "--port" => port = value.parse().map_err(invalid)?,
            _ => return Err(invalid(format!("unknown option {flag}"))),
        }
    }
    let addr = SocketAddr::new(ip, port);
    tokio::runtime::Runtime::new()?.block_on(async move {
        if udp {
            serve_udp(addr).await
        } else {
            serve_tcp(addr).await
        }
    })
}

fn invalid(e: impl ToString) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidInput, e.to_string())
}

/// One task per connection: read what is there, write it back, repeat.
async fn serve_tcp(addr: SocketAddr) -> std::io::Result<()> {
    let listener = TcpListener::bind(addr).await?;
    println!("Socket bind complete");
    loop {
        let (mut stream, _) = listener.accept().await?;
        let _ = stream.set_nodelay(true);
        tokio::spawn(async move {
            let mut buf = vec![0u8; 4096];
            loop {
                match stream.read(&mut buf).await {
                    Ok(0) | Err(_) => return,
                    Ok(n) => {
                        if stream.write_all(&buf[..n]).await.is_err() {
                            return;
                        }
                    }
                }
            }
        });
    }
}

/// One socket: every datagram goes back to its sender.
async fn serve_udp(addr: SocketAddr) -> std::io::Result<()> {
    let socket = UdpSocket::bind(addr).await?;
    println!("Socket bind complete");
    let mut buf = vec![0u8; 65_536];
    loop {
        let (n, from) = socket.recv_from(&mut buf).await?;
        let _ = socket.send_to(&buf[..n], from).await;
    }
}
