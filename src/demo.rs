//! The report's four sessions, played live: an echo server on a free loopback port, the
//! echo client fed the report's inputs (`000_85775b57d986e02e.txt`, "Results"), and the
//! packets of each session captured by the built-in live capture. `echolab demo` prints
//! what this returns; the session tests use `Recorder` to capture echo programs.
//!
//! The only library module that uses both `echo` and `capture`. Must not import `crate::cli`
//! or comfy-table.

use std::io::{self, Write};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use tokio::sync::mpsc;

use crate::capture::filter;
use crate::capture::live::{Capture, LiveError, LiveOptions, SockFilter, StopFlag};
use crate::capture::record::{LinkType, Record, Timestamp};
use crate::echo::client::{self, Input, Screen};
use crate::echo::options::{ClientOptions, Mode, Protocol, ServerOptions};
use crate::echo::server::{self, Config, Listener};

/// One session of the report: what is typed, and how.
#[derive(Debug, Clone, Copy)]
pub struct SessionSpec {
    /// File stem of its fixture in `fixtures/sessions/` (`tcp-line`...).
    pub name: &'static str,
    /// The report's heading.
    pub title: &'static str,
    pub protocol: Protocol,
    pub mode: Mode,
    /// Lines (line mode) or keypresses (continuous mode), in order.
    pub inputs: &'static [&'static [u8]],
    /// Time between two inputs, so each keypress leaves on its own.
    pub gap: Duration,
}

/// The report's four sessions, with its inputs.
pub const SESSIONS: [SessionSpec; 4] = [
    SessionSpec {
        name: "tcp-line",
        title: "TCP SESSION",
        protocol: Protocol::Tcp,
        mode: Mode::Line,
        inputs: &[b"HELLO MASTER\n", b"WELCOME BACK\n", b"quit\n"],
        gap: Duration::from_millis(100),
    },
    SessionSpec {
        name: "tcp-continuous",
        title: "TCP SESSION CONTINUOUS",
        protocol: Protocol::Tcp,
        mode: Mode::Continuous,
        inputs: &[b"L", b"I", b"F", b"E", b"\n"],
        gap: Duration::from_millis(50),
    },
    SessionSpec {
        name: "udp-line",
        title: "UDP SESSION",
        protocol: Protocol::Udp,
        mode: Mode::Line,
        inputs: &[b"HELLO MASTER-UDP\n", b"WELCOME BACK MASTER-UDP\n", b"\n"],
        gap: Duration::from_millis(100),
    },
    SessionSpec {
        name: "udp-continuous",
        title: "UDP SESSION CONTINUOUS",
        protocol: Protocol::Udp,
        mode: Mode::Continuous,
        inputs: &[b"A", b"B", b"C", b"!", b"\""],
        gap: Duration::from_millis(50),
    },
];

/// A captured frame, owned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    pub ts: Timestamp,
    pub len: u32,
    pub link: LinkType,
    pub data: Vec<u8>,
}

impl Frame {
    pub fn record(&self) -> Record<'_> {
        Record {
            ts: self.ts,
            len: self.len,
            link: self.link,
            data: &self.data,
        }
    }
}

/// The kernel program for `port P` on loopback, from the filter compiler.
fn port_filter(port: u16) -> Option<Vec<SockFilter>> {
    let prog = filter::compile(&format!("port {port}"), LinkType::Ethernet, 262_144).ok()?;
    prog.sock_filter().ok()
}

/// A live capture of one port on loopback, running on its own thread until `finish`.
#[derive(Debug)]
pub struct Recorder {
    stop: StopFlag,
    thread: JoinHandle<Result<Vec<Frame>, LiveError>>,
}

impl Recorder {
    /// Open the capture (this is where missing privileges show) and start reading.
    pub fn start(port: u16) -> Result<Recorder, LiveError> {
        let cap = Capture::open_filtered(&LiveOptions::default(), port_filter(port).as_deref())?;
        let stop = StopFlag::new();
        let flag = stop.clone();
        let thread = std::thread::spawn(move || record(cap, &flag));
        Ok(Recorder { stop, thread })
    }

    /// Stop, keep what the kernel already holds, and return the frames in order.
    pub fn finish(self) -> Result<Vec<Frame>, LiveError> {
        self.stop.stop();
        self.thread.join().unwrap_or_else(|_| {
            Err(LiveError::Io {
                op: "capture thread",
                interface: "lo".to_string(),
                source: io::Error::other("the capture thread panicked"),
            })
        })
    }
}

fn record(mut cap: Capture, stop: &StopFlag) -> Result<Vec<Frame>, LiveError> {
    let own = |r: Record<'_>| Frame {
        ts: r.ts,
        len: r.len,
        link: r.link,
        data: r.data.to_vec(),
    };
    let mut frames = Vec::new();
    while let Some(r) = cap.next(stop)? {
        frames.push(own(r));
    }
    let deadline = Instant::now() + cap.settle_time() + Duration::from_millis(20);
    while let Some(r) = cap.next_queued(deadline)? {
        frames.push(own(r));
    }
    Ok(frames)
}

/// Write frames as a pcap file (microseconds, as tcpdump writes).
pub fn write_pcap(path: &std::path::Path, frames: &[Frame]) -> io::Result<()> {
    let file = io::BufWriter::new(std::fs::File::create(path)?);
    let link = frames.first().map_or(LinkType::Ethernet, |f| f.link);
    let mut w = crate::capture::pcap::Writer::new(file, link, 262_144, false)
        .map_err(|e| io::Error::other(e.to_string()))?;
    for f in frames {
        w.write(f.ts, &f.data, f.len)
            .map_err(|e| io::Error::other(e.to_string()))?;
    }
    w.into_inner()
        .map_err(|e| io::Error::other(e.to_string()))?
        .flush()
}

/// A screen shared by the client (echoes) and the typist (what is typed).
#[derive(Debug, Clone, Default)]
struct Shared(Arc<Mutex<Vec<u8>>>);

impl Write for Shared {
    fn write(&mut self, b: &[u8]) -> io::Result<usize> {
        if let Ok(mut v) = self.0.lock() {
            v.extend_from_slice(b);
        }
        Ok(b.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Shared {
    fn text(&self) -> String {
        self.0
            .lock()
            .map(|v| String::from_utf8_lossy(&v).into_owned())
            .unwrap_or_default()
    }
}

/// What one session did.
#[derive(Debug, Clone)]
pub struct SessionRun {
    pub spec: SessionSpec,
    /// The client's screen: what was typed and what came back, as a terminal shows it.
    pub screen: String,
    /// The client's error, if the session failed.
    pub error: Option<String>,
    /// The session's frames (`None` without capture).
    pub frames: Option<Vec<Frame>>,
}

/// The whole demo.
#[derive(Debug)]
pub struct DemoRun {
    /// The loopback port the servers listened on.
    pub port: u16,
    pub sessions: Vec<SessionRun>,
    /// Why nothing was captured (no privileges...), when so.
    pub capture_error: Option<LiveError>,
}

/// Bind a TCP and a UDP echo server on the same free loopback port.
async fn bind_pair() -> io::Result<(Listener, Listener)> {
    let lo = IpAddr::V4(Ipv4Addr::LOCALHOST);
    for _ in 0..20 {
        let opts = |protocol, port| ServerOptions {
            protocol,
            addr: SocketAddr::new(lo, port),
            continuous: true,
        };
        let Ok(tcp) = server::bind(&opts(Protocol::Tcp, 0)).await else {
            continue;
        };
        let port = tcp.local_addr()?.port();
        if let Ok(udp) = server::bind(&opts(Protocol::Udp, port)).await {
            return Ok((tcp, udp));
        }
    }
    Err(io::Error::other(
        "no loopback port free for both TCP and UDP",
    ))
}

/// Play one session against `server`, typing its inputs `spec.gap` apart.
pub async fn play(spec: &SessionSpec, server: SocketAddr) -> (String, Option<String>) {
    let screen_buf = Shared::default();
    let opts = ClientOptions {
        protocol: spec.protocol,
        server,
        mode: spec.mode,
        timeout: Duration::from_secs(2),
    };
    let (tx, rx) = mpsc::channel(16);
    let mut typed = screen_buf.clone();
    let spec_c = *spec;
    let typist = tokio::spawn(async move {
        for input in spec_c.inputs {
            tokio::time::sleep(spec_c.gap).await;
            let _ = typed.write_all(input);
            let msg = match spec_c.mode {
                Mode::Line => Input::Line(input.to_vec()),
                Mode::Continuous => Input::Bytes(input.to_vec()),
            };
            if tx.send(msg).await.is_err() {
                return;
            }
        }
        tokio::time::sleep(spec_c.gap * 4).await;
        let _ = tx.send(Input::End).await;
    });
    let prompt = spec.mode == Mode::Line;
    let mut screen = Screen::new(
        screen_buf.clone(),
        screen_buf.clone(),
        prompt,
        false,
        "echoClient",
    );
    let result = client::run(&opts, rx, &mut screen).await;
    let _ = typist.await;
    (screen_buf.text(), result.err().map(|e| e.to_string()))
}

/// Run the four sessions against servers started here, capturing each when possible.
pub async fn run() -> io::Result<DemoRun> {
    let (tcp, udp) = bind_pair().await?;
    let port = tcp.local_addr()?.port();
    let token = tokio_util::sync::CancellationToken::new();
    let mut servers = Vec::new();
    for l in [tcp, udp] {
        let t = token.clone();
        servers.push(tokio::spawn(async move {
            server::run(l, Config::quiet(true), t.cancelled_owned()).await
        }));
    }
    let server = SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), port);
    let mut sessions = Vec::new();
    let mut capture_error = None;
    for spec in SESSIONS {
        let recorder = match Recorder::start(port) {
            Ok(r) => Some(r),
            Err(e) => {
                capture_error.get_or_insert(e);
                None
            }
        };
        let (screen, error) = play(&spec, server).await;
        // Let the last packets (the teardown's final ACK) reach the capture.
        tokio::time::sleep(Duration::from_millis(50)).await;
        let frames = match recorder.map(Recorder::finish) {
            Some(Ok(f)) => Some(f),
            Some(Err(e)) => {
                capture_error.get_or_insert(e);
                None
            }
            None => None,
        };
        sessions.push(SessionRun {
            spec,
            screen,
            error,
            frames,
        });
    }
    token.cancel();
    for s in servers {
        let _ = s.await;
    }
    Ok(DemoRun {
        port,
        sessions,
        capture_error,
    })
}
