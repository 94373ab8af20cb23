//! `lab run`: an exercise played end to end on loopback. Echo servers (the library server)
//! on a free port, the echo client fed scripted keys (`demo::play`), each capture taken by
//! the built-in live capture (`demo::Recorder`), then the exercise's check.
//!
//! The typed-trace exercise plays nothing: it checks the report's traces, built in.

use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::time::Duration;

use tokio_util::sync::CancellationToken;

use crate::capture::filter;
use crate::capture::live::session::{self, CaptureOptions};
use crate::capture::live::{LiveError, StopFlag};
use crate::capture::record::{LinkType, Record};
use crate::demo::{self, Frame, Recorder};
use crate::echo::options::{Protocol, ServerOptions};
use crate::echo::server::{self, Config, Listener};

use super::catalogue::Step;
use super::{Exercise, Material};

/// The report's typed traces (`fixtures/report/`), for the typed-trace exercise.
pub const REPORT_TRACES: [(&str, &str); 2] = [
    (
        "fixtures/report/tcp-line.txt",
        include_str!("../../fixtures/report/tcp-line.txt"),
    ),
    (
        "fixtures/report/tcp-continuous.txt",
        include_str!("../../fixtures/report/tcp-continuous.txt"),
    ),
];

/// One session of a run: what the client's screen showed.
#[derive(Debug, Clone)]
pub struct Played {
    pub name: &'static str,
    pub screen: String,
    /// The client's error (expected for a closed port).
    pub error: Option<String>,
}

/// One capture of a run.
#[derive(Debug)]
pub struct Taken {
    /// The address the sessions went to.
    pub server: SocketAddr,
    pub sessions: Vec<Played>,
    pub frames: Vec<Frame>,
}

/// A whole run: its captures, or the materials it checks.
#[derive(Debug)]
pub struct LabRun {
    pub captures: Vec<Taken>,
    pub materials: Vec<Material>,
}

/// Why a run could not be made.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error("starting the echo servers")]
    Servers(#[from] io::Error),
    /// Its message says what is missing (privileges) and how to grant it.
    #[error(transparent)]
    Capture(#[from] LiveError),
}

/// Play `ex` and collect what its check needs.
pub async fn run(ex: &Exercise) -> Result<LabRun, RunError> {
    if ex.captures.is_empty() {
        let materials = REPORT_TRACES
            .iter()
            .map(|(name, text)| Material::Text {
                name: (*name).to_string(),
                text: (*text).to_string(),
            })
            .collect();
        return Ok(LabRun {
            captures: Vec::new(),
            materials,
        });
    }
    let mut captures = Vec::new();
    for steps in ex.captures {
        captures.push(take(steps).await?);
    }
    let materials = captures
        .iter()
        .map(|t| Material::Capture(t.frames.clone()))
        .collect();
    Ok(LabRun {
        captures,
        materials,
    })
}

/// Play `steps` against servers started here, all in one capture.
async fn take(steps: &[Step]) -> Result<Taken, RunError> {
    let ip = match steps.first().is_some_and(|s| s.ipv6) {
        true => IpAddr::V6(Ipv6Addr::LOCALHOST),
        false => IpAddr::V4(Ipv4Addr::LOCALHOST),
    };
    let needs: Vec<(Protocol, bool)> = steps
        .iter()
        .filter(|s| !s.closed)
        .map(|s| (s.session.protocol, s.server_c))
        .collect();
    let (port, listeners) = if needs.is_empty() {
        let protocol = steps.first().map_or(Protocol::Tcp, |s| s.session.protocol);
        (closed_port(ip, protocol)?, Vec::new())
    } else {
        bind_on_one_port(ip, &needs).await?
    };
    let token = CancellationToken::new();
    let mut servers = Vec::new();
    for (l, (_, c)) in listeners.into_iter().zip(&needs) {
        let t = token.clone();
        let config = Config::quiet(*c);
        servers.push(tokio::spawn(async move {
            server::run(l, config, t.cancelled_owned()).await
        }));
    }
    let server = SocketAddr::new(ip, port);
    // ICMP errors carry no port: a session that meets a closed UDP port needs them too.
    let icmp = steps
        .iter()
        .any(|s| s.closed && s.session.protocol == Protocol::Udp);
    let recorder = if icmp {
        Wide::start(&format!("port {port} or icmp or icmp6")).map(Taking::Wide)
    } else {
        Recorder::start(port).map(Taking::Port)
    };
    let mut sessions = Vec::new();
    if recorder.is_ok() {
        for s in steps {
            let (screen, error) = demo::play(&s.session, server).await;
            sessions.push(Played {
                name: s.session.name,
                screen,
                error,
            });
        }
        // Let the last packets (the teardown's final ACK) reach the capture.
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let frames = recorder.and_then(Taking::finish);
    token.cancel();
    for s in servers {
        let _ = s.await;
    }
    Ok(Taken {
        server,
        sessions,
        frames: frames?,
    })
}

/// A port nothing listens on (TCP or UDP): bound for a moment, then released.
fn closed_port(ip: IpAddr, protocol: Protocol) -> io::Result<u16> {
    let addr = SocketAddr::new(ip, 0);
    match protocol {
        Protocol::Tcp => std::net::TcpListener::bind(addr)?.local_addr(),
        Protocol::Udp => std::net::UdpSocket::bind(addr)?.local_addr(),
    }
    .map(|a| a.port())
}

/// A capture in progress: demo's recorder of one port, or a wider one.
enum Taking {
    Port(Recorder),
    Wide(Wide),
}

impl Taking {
    fn finish(self) -> Result<Vec<Frame>, LiveError> {
        match self {
            Taking::Port(r) => r.finish(),
            Taking::Wide(w) => w.finish(),
        }
    }
}

/// A capture of a filter expression on lo, on its own thread, through the capture loop
/// every live capture shares (`capture::live::session`).
struct Wide {
    stop: StopFlag,
    thread: std::thread::JoinHandle<Result<Vec<Frame>, LiveError>>,
}

impl Wide {
    /// Start capturing; returns once the capture is open and filtering (or could not be).
    fn start(expr: &str) -> Result<Wide, LiveError> {
        let prog = filter::compile(expr, LinkType::Ethernet, 262_144)
            .ok()
            .and_then(|p| p.sock_filter().ok());
        let stop = StopFlag::new();
        let opts = CaptureOptions {
            filter: prog,
            stop: stop.clone(),
            ..CaptureOptions::default()
        };
        let (open_tx, open_rx) = std::sync::mpsc::channel();
        let thread = std::thread::spawn(move || {
            let mut frames = Vec::new();
            let own = |r: &Record<'_>| Frame {
                ts: r.ts,
                len: r.len,
                link: r.link,
                data: r.data.to_vec(),
            };
            session::capture::<LiveError>(
                &opts,
                |_| {
                    let _ = open_tx.send(());
                    Ok(())
                },
                |r| {
                    frames.push(own(r));
                    Ok(())
                },
            )
            .map(|_| frames)
        });
        let w = Wide { stop, thread };
        match open_rx.recv() {
            Ok(()) => Ok(w),
            // The thread ended before the capture was open: its error says why.
            Err(_) => w.finish().and_then(|_| Err(thread_gone())),
        }
    }

    fn finish(self) -> Result<Vec<Frame>, LiveError> {
        self.stop.stop();
        self.thread.join().unwrap_or_else(|_| Err(thread_gone()))
    }
}

fn thread_gone() -> LiveError {
    LiveError::Io {
        op: "capture thread",
        interface: "lo".to_string(),
        source: io::Error::other("the capture thread ended early"),
    }
}

/// Servers of each protocol in `needs` on one free port of `ip`.
async fn bind_on_one_port(
    ip: IpAddr,
    needs: &[(Protocol, bool)],
) -> io::Result<(u16, Vec<Listener>)> {
    'attempt: for _ in 0..20 {
        let mut port = 0;
        let mut bound = Vec::new();
        for &(protocol, continuous) in needs {
            let opts = ServerOptions {
                protocol,
                addr: SocketAddr::new(ip, port),
                continuous,
            };
            match server::bind(&opts).await {
                Ok(l) => {
                    port = l.local_addr()?.port();
                    bound.push(l);
                }
                Err(_) => continue 'attempt,
            }
        }
        return Ok((port, bound));
    }
    Err(io::Error::other(format!(
        "no port of {ip} free for every server the exercise needs"
    )))
}
