//! `cargo bench --bench echo`: echoServer against its peers, driven by the verified load
//! generator of `echolab bench`, all measured in the same run.
//!
//! Peers: `examples/tokio_echo` (a minimal tokio echo server, the strongest peer) and socat
//! (`socat TCP-LISTEN:P,fork,reuseaddr PIPE`, one process per connection). For 1, 50 and 500
//! connections with 64- and 512-byte messages (and a few UDP cells) every server gets the same
//! load; the table shows requests/s, p99 and the ratio echoServer / best peer, and a second
//! table the requests per second of server CPU time (which a busy machine's scheduler does not
//! skew: socat's many processes win more CPU than a one-process server). Then each
//! tokio-based server holds 10,000 idle connections and its resident memory per connection is
//! read from `/proc/<pid>/status` (VmRSS before and after).
//!
//! All servers run at once on free ports and the cells are interleaved, so a burst of other
//! work on the machine hits every server alike. Nothing here asserts a time: it measures and
//! prints. It fails (exit 1) only when an echo was corrupted or a server could not be driven.
//!
//! Environment:
//! - `ECHOLAB_BENCH_SECS` seconds measured per server and cell (default 3; `1` for a quick run),
//!   split into `ECHOLAB_BENCH_ROUNDS` rounds (default 5); each server's best round is shown.
//! - `ECHOLAB_BENCH_IDLE` idle connections to hold (default 10000; `0` skips).
//! - `ECHOLAB_SERVER` the server under test (default `target/release/echoServer`).
//! - `ECHOLAB_TOKIO_ECHO` the tokio peer (default `target/release/examples/tokio_echo`).
//!
//! Both programs are built first (`cargo build --release`) unless given by path.

use std::fs::File;
use std::net::{SocketAddr, TcpListener, TcpStream, UdpSocket};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

use comfy_table::{presets::ASCII_MARKDOWN, Table};
use echolab::echo::loadgen::{self, LoadConfig, Report, Transport};

/// Connections x message sizes of the TCP matrix.
const TCP_CELLS: [(usize, usize); 6] = [
    (1, 64),
    (1, 512),
    (50, 64),
    (50, 512),
    (500, 64),
    (500, 512),
];
/// The UDP cells (one datagram per request).
const UDP_CELLS: [(usize, usize); 2] = [(1, 64), (50, 512)];
/// The memory target per idle connection.
const IDLE_TARGET_KIB: f64 = 64.0;

/// How to start one echo server.
#[derive(Clone, Debug)]
struct Spec {
    name: &'static str,
    program: PathBuf,
    /// Whether it takes echoServer's options (`-p PORT -t TCP|UDP`); else it is socat.
    echo_cli: bool,
}

impl Spec {
    fn args(&self, port: u16, t: Transport) -> Vec<String> {
        if self.echo_cli {
            return vec!["-p".into(), port.to_string(), "-t".into(), t.to_string()];
        }
        let listen = format!("TCP4-LISTEN:{port},bind=127.0.0.1,fork,reuseaddr,backlog=1024");
        vec![listen, "PIPE".into()]
    }

    /// Whether this server is measured on `t`. socat is a TCP peer only: over UDP it forks a
    /// process per datagram, a few thousand requests/s at best, and its lingering children
    /// would slow down the servers measured after it.
    fn serves(&self, t: Transport) -> bool {
        self.echo_cli || t == Transport::Tcp
    }
}

/// A running server in its own process group; stopped (the whole group) on drop.
struct Server {
    name: &'static str,
    child: Child,
    addr: SocketAddr,
}

impl Server {
    fn start(spec: &Spec, t: Transport, logs: &Path) -> Result<Server, String> {
        let port = free_port(t);
        let addr = SocketAddr::from(([127, 0, 0, 1], port));
        let log = File::create(logs.join(format!("{}-{t}.log", spec.name)))
            .map_err(|e| format!("cannot create a log file in {}: {e}", logs.display()))?;
        let err = log.try_clone().map_err(|e| e.to_string())?;
        let child = Command::new(&spec.program)
            .args(spec.args(port, t))
            .stdin(Stdio::null())
            .stdout(log)
            .stderr(err)
            .process_group(0)
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", spec.program.display()))?;
        let mut server = Server {
            name: spec.name,
            child,
            addr,
        };
        server.wait_ready(t, logs)?;
        Ok(server)
    }

    /// Wait until the server echoes (TCP: accepts; UDP: answers a probe), at most 10 s.
    fn wait_ready(&mut self, t: Transport, logs: &Path) -> Result<(), String> {
        let until = Instant::now() + Duration::from_secs(10);
        while Instant::now() < until {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(format!(
                    "{} exited ({status}) before it was ready; see {}",
                    self.name,
                    logs.join(format!("{}-{t}.log", self.name)).display()
                ));
            }
            let ready = match t {
                Transport::Tcp => {
                    TcpStream::connect_timeout(&self.addr, Duration::from_millis(100)).is_ok()
                }
                Transport::Udp => udp_probe(self.addr),
            };
            if ready {
                return Ok(());
            }
            sleep(Duration::from_millis(20));
        }
        Err(format!(
            "{} did not answer on {} within 10 s",
            self.name, self.addr
        ))
    }

    /// Wait (at most 3 s) until the server's process group is the server alone: socat's
    /// per-connection processes linger after their connection closes and would steal CPU from
    /// the next run.
    fn wait_alone(&self) {
        let until = Instant::now() + Duration::from_secs(3);
        sleep(Duration::from_millis(50));
        while group_size(self.child.id()) > 1 && Instant::now() < until {
            sleep(Duration::from_millis(50));
        }
    }

    /// CPU seconds used so far by the server and its reaped children (socat's per-connection
    /// processes).
    fn cpu_secs(&self) -> f64 {
        loadgen::pid_cpu_secs(self.child.id(), true)
    }

    /// Resident memory in KiB, from `/proc/<pid>/status`.
    fn rss_kib(&self) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
        line.split_whitespace().nth(1)?.parse().ok()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        // socat forks a process per connection: stop the whole group, politely first.
        if let Ok(Some(_)) = self.child.try_wait() {
            return;
        }
        let group = format!("-{}", self.child.id());
        let kill = |signal: &str| {
            let _ = Command::new("kill")
                .args([signal, "--", &group])
                .stderr(Stdio::null())
                .status();
        };
        kill("-TERM");
        let until = Instant::now() + Duration::from_secs(2);
        while Instant::now() < until {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            sleep(Duration::from_millis(20));
        }
        kill("-KILL");
        let _ = self.child.wait();
    }
}

/// How many processes are in process group `pgid`, from `/proc/*/stat`.
fn group_size(pgid: u32) -> usize {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return 0;
    };
    let pgid = pgid.to_string();
    dir.flatten()
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .bytes()
                .all(|b| b.is_ascii_digit())
        })
        .filter_map(|e| std::fs::read_to_string(e.path().join("stat")).ok())
        .filter(|stat| {
            // pgrp is the third field after the parenthesised command name.
            let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
            rest.split_whitespace().nth(2) == Some(pgid.as_str())
        })
        .count()
}

/// Whether a UDP echo server answers one datagram within 100 ms.
fn udp_probe(addr: SocketAddr) -> bool {
    let Ok(s) = UdpSocket::bind("127.0.0.1:0") else {
        return false;
    };
    let mut buf = [0u8; 16];
    s.set_read_timeout(Some(Duration::from_millis(100))).is_ok()
        && s.send_to(b"ready?", addr).is_ok()
        && matches!(s.recv_from(&mut buf), Ok((6, _)))
}

/// A port free for both TCP and UDP right now.
fn free_port(t: Transport) -> u16 {
    loop {
        let port = match TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()) {
            Ok(a) => a.port(),
            Err(_) => continue,
        };
        if t == Transport::Tcp || UdpSocket::bind(("127.0.0.1", port)).is_ok() {
            return port;
        }
    }
}

fn env_f64(name: &str, default: f64) -> f64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|v: &f64| v.is_finite() && *v > 0.0)
        .unwrap_or(default)
}

/// `target/release`, the directory above this benchmark's own executable's `deps/`.
fn release_dir() -> PathBuf {
    let exe = std::env::current_exe().unwrap_or_default();
    exe.parent()
        .and_then(Path::parent)
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("target/release"))
}

/// The server under test and the peers, building what is not given by path.
fn specs() -> Vec<Spec> {
    let dir = release_dir();
    let given = |var: &str| std::env::var_os(var).map(PathBuf::from);
    let server = given("ECHOLAB_SERVER");
    let tokio = given("ECHOLAB_TOKIO_ECHO");
    let mut build = vec!["build", "--release", "--quiet"];
    if server.is_none() {
        build.extend(["--bin", "echoServer"]);
    }
    if tokio.is_none() {
        build.extend(["--example", "tokio_echo"]);
    }
    if build.len() > 3 {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        match Command::new(&cargo).args(&build).status() {
            Ok(s) if s.success() => {}
            other => eprintln!("warning: `cargo {}` failed: {other:?}", build.join(" ")),
        }
    }
    let mut specs = vec![
        Spec {
            name: "echoServer",
            program: server.unwrap_or_else(|| dir.join("echoServer")),
            echo_cli: true,
        },
        Spec {
            name: "tokio_echo",
            program: tokio.unwrap_or_else(|| dir.join("examples").join("tokio_echo")),
            echo_cli: true,
        },
    ];
    if Command::new("socat")
        .arg("-V")
        .stdout(Stdio::null())
        .status()
        .is_ok()
    {
        specs.push(Spec {
            name: "socat",
            program: "socat".into(),
            echo_cli: false,
        });
    } else {
        eprintln!("warning: socat is not installed; it is left out");
    }
    specs
}

/// One cell's measurements, by server name.
struct Cell {
    transport: Transport,
    clients: usize,
    size: usize,
    results: Vec<(&'static str, Result<Report, String>)>,
    /// Per server (same order): the best verified requests per second of server CPU time
    /// over the rounds. Unlike requests/s, it does not depend on how much of a busy
    /// machine's CPU the scheduler gave the server (socat's many processes get more).
    per_cpu: Vec<Option<f64>>,
}

impl Cell {
    /// echoServer's requests/s over the best peer's, and that peer's name.
    fn ratio(&self) -> Option<(f64, &'static str)> {
        let rates = self
            .results
            .iter()
            .map(|(n, r)| (*n, r.as_ref().ok().map(Report::requests_per_sec)));
        best_ratio(rates)
    }

    /// The same ratio for requests per server CPU second.
    fn ratio_per_cpu(&self) -> Option<(f64, &'static str)> {
        best_ratio(
            self.results
                .iter()
                .map(|(n, _)| *n)
                .zip(self.per_cpu.iter().copied()),
        )
    }
}

/// echoServer's value over the best other one, and the other's name.
fn best_ratio(
    values: impl Iterator<Item = (&'static str, Option<f64>)>,
) -> Option<(f64, &'static str)> {
    let values: Vec<_> = values.filter_map(|(n, v)| Some((n, v?))).collect();
    let ours = values.iter().find(|(n, _)| *n == "echoServer")?.1;
    let (name, best) = values
        .iter()
        .filter(|(n, _)| *n != "echoServer")
        .max_by(|a, b| a.1.total_cmp(&b.1))?;
    (*best > 0.0).then(|| (ours / best, *name))
}

/// Drive every running server with one cell's load: `rounds` short runs each, the order
/// rotated every round, keeping each server's best round (other work on the machine only
/// ever slows a run down). A failed or corrupted round is kept instead, so it shows.
fn measure(rt: &tokio::runtime::Runtime, servers: &[Server], load: &Load) -> Cell {
    let mut cell = Cell {
        transport: load.transport,
        clients: load.clients,
        size: load.size,
        results: servers
            .iter()
            .map(|s| (s.name, Err("not run".into())))
            .collect(),
        per_cpu: vec![None; servers.len()],
    };
    for round in 0..load.rounds {
        for k in 0..servers.len() {
            let i = (k + round) % servers.len();
            let (Some(s), Some(slot)) = (servers.get(i), cell.results.get_mut(i)) else {
                continue;
            };
            let cpu = s.cpu_secs();
            let result = rt
                .block_on(loadgen::run(&load.config(s.addr)))
                .map_err(|e| e.to_string());
            // socat's per-connection processes count once they have exited and been reaped.
            s.wait_alone();
            let server_cores = (s.cpu_secs() - cpu) / (load.secs + load.warmup());
            log_run(s.name, load, &result, server_cores);
            if let (Ok(r), Some(best)) = (&result, cell.per_cpu.get_mut(i)) {
                if r.errors() == 0 && server_cores > 0.0 {
                    let v = r.requests_per_sec() / server_cores;
                    *best = Some(best.map_or(v, |b: f64| b.max(v)));
                }
            }
            let keep_old = match (&slot.1, &result) {
                (_, Err(_)) => false,
                (Err(e), _) => e != "not run",
                (Ok(old), Ok(new)) => {
                    old.errors() > 0
                        || (new.errors() == 0 && old.requests_per_sec() >= new.requests_per_sec())
                }
            };
            if !keep_old {
                slot.1 = result;
            }
        }
    }
    cell
}

/// One cell's load.
struct Load {
    transport: Transport,
    clients: usize,
    size: usize,
    /// Seconds measured per round.
    secs: f64,
    rounds: usize,
}

impl Load {
    /// Seconds of load before each round's measurement.
    fn warmup(&self) -> f64 {
        (self.secs / 4.0).min(0.5)
    }

    fn config(&self, addr: SocketAddr) -> LoadConfig {
        let mut cfg = LoadConfig::new(addr);
        cfg.transport = self.transport;
        cfg.clients = self.clients;
        cfg.size = self.size;
        cfg.duration = Duration::from_secs_f64(self.secs);
        cfg.warmup = Duration::from_secs_f64(self.warmup());
        cfg.udp_timeout = Duration::from_millis(500);
        cfg.connect_timeout = Duration::from_secs(10);
        cfg
    }
}

/// One line on stderr per run, so a long benchmark shows progress.
fn log_run(name: &str, load: &Load, result: &Result<Report, String>, server_cores: f64) {
    let (t, c, b) = (load.transport, load.clients, load.size);
    match result {
        Ok(r) => eprintln!(
            "  {t} {c:>3} x {b:>3} B  {name:<10} {:>9.0} req/s  p99 {:>8.1} µs  \
             errors {}  lost {}  CPU cores: loadgen {:.2}, server {server_cores:.2}",
            r.requests_per_sec(),
            r.latency.quantile(0.99) as f64 / 1000.0,
            r.errors(),
            r.lost,
            r.cpu_cores()
        ),
        Err(e) => eprintln!("  {t} {c:>3} x {b:>3} B  {name:<10} failed: {e}"),
    }
}

/// Start every spec for `t`; a server that cannot start is reported and left out.
fn start_all(specs: &[Spec], t: Transport, logs: &Path) -> Vec<Server> {
    specs
        .iter()
        .filter(|s| s.serves(t))
        .filter_map(|s| match Server::start(s, t, logs) {
            Ok(server) => Some(server),
            Err(e) => {
                eprintln!("warning: {e}; it is left out");
                None
            }
        })
        .collect()
}

/// Idle connections held against one server: its resident memory per connection in KiB.
fn idle_memory(
    rt: &tokio::runtime::Runtime,
    spec: &Spec,
    n: usize,
    logs: &Path,
) -> Result<(f64, u64, u64), String> {
    let server = Server::start(spec, Transport::Tcp, logs)?;
    sleep(Duration::from_millis(200));
    let before = server.rss_kib().ok_or("cannot read VmRSS")?;
    let t0 = Instant::now();
    let held = rt
        .block_on(loadgen::hold_idle(server.addr, n))
        .map_err(|e| e.to_string())?;
    sleep(Duration::from_millis(500));
    let after = server.rss_kib().ok_or("cannot read VmRSS")?;
    eprintln!(
        "  {}: {} idle connections held in {:.1} s, VmRSS {before} -> {after} KiB",
        spec.name,
        held.len(),
        t0.elapsed().as_secs_f64()
    );
    rt.block_on(async move { drop(held) });
    Ok((
        after.saturating_sub(before) as f64 / n as f64,
        before,
        after,
    ))
}

fn rate_text(cell: &Cell, name: &str) -> String {
    match cell.results.iter().find(|(n, _)| *n == name) {
        Some((_, Ok(r))) if r.errors() > 0 => format!("{} ERRORS", r.errors()),
        Some((_, Ok(r))) => format!(
            "{:.0} ({:.0} µs)",
            r.requests_per_sec(),
            r.latency.quantile(0.99) as f64 / 1000.0
        ),
        Some((_, Err(_))) => "failed".into(),
        None => "-".into(),
    }
}

fn print_table(specs: &[Spec], cells: &[Cell]) {
    print_grid(
        specs,
        cells,
        "req/s (p99)",
        |c, s| rate_text(c, s.name),
        Cell::ratio,
    );
}

/// Requests per second of server CPU time: what each server does with the CPU it gets.
fn print_cpu_table(specs: &[Spec], cells: &[Cell]) {
    let per_cpu = |c: &Cell, s: &Spec| {
        let i = c.results.iter().position(|(n, _)| *n == s.name);
        match i.and_then(|i| c.per_cpu.get(i).copied().flatten()) {
            Some(v) => format!("{v:.0}"),
            None => "-".into(),
        }
    };
    print_grid(specs, cells, "req/CPU-s", per_cpu, Cell::ratio_per_cpu);
}

/// One row per cell: its transport, connections and size, then `value` for each server
/// (columns headed `{server} {unit}`), then echoServer's ratio to the best peer.
fn print_grid(
    specs: &[Spec],
    cells: &[Cell],
    unit: &str,
    value: impl Fn(&Cell, &Spec) -> String,
    ratio: impl Fn(&Cell) -> Option<(f64, &'static str)>,
) {
    let mut t = Table::new();
    t.load_preset(ASCII_MARKDOWN);
    let mut header = vec!["transport".to_string(), "conns".into(), "bytes".into()];
    header.extend(specs.iter().map(|s| format!("{} {unit}", s.name)));
    header.push("echoServer / best peer".into());
    t.set_header(header);
    for c in cells {
        let mut row = vec![
            c.transport.to_string(),
            c.clients.to_string(),
            c.size.to_string(),
        ];
        row.extend(specs.iter().map(|s| value(c, s)));
        row.push(ratio_text(ratio(c)));
        t.add_row(row);
    }
    println!("{t}");
}

fn ratio_text(r: Option<(f64, &str)>) -> String {
    match r {
        Some((r, peer)) => format!("{r:.2} (vs {peer})"),
        None => "n/a".into(),
    }
}

fn main() -> ExitCode {
    if !std::env::args().any(|a| a == "--bench") {
        println!("benches/echo.rs measures only under `cargo bench --bench echo`");
        return ExitCode::SUCCESS;
    }
    let secs = env_f64("ECHOLAB_BENCH_SECS", 3.0);
    let rounds = env_f64("ECHOLAB_BENCH_ROUNDS", 5.0).max(1.0) as usize;
    let idle = std::env::var("ECHOLAB_BENCH_IDLE")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000usize);
    if let Err(e) = loadgen::raise_nofile_limit() {
        eprintln!("warning: {e}");
    }
    let specs = specs();
    let logs = release_dir().join("bench-logs");
    let _ = std::fs::create_dir_all(&logs);
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the load generator's runtime: {e}");
            return ExitCode::from(1);
        }
    };
    eprintln!(
        "echo benchmark: {secs} s per cell, logs in {}",
        logs.display()
    );
    let mut cells = Vec::new();
    let mut missing = false;
    for (t, grid) in [
        (Transport::Tcp, &TCP_CELLS[..]),
        (Transport::Udp, &UDP_CELLS[..]),
    ] {
        let servers = start_all(&specs, t, &logs);
        missing |= !servers.iter().any(|s| s.name == "echoServer");
        for &(clients, size) in grid {
            let load = Load {
                transport: t,
                clients,
                size,
                secs: secs / rounds as f64,
                rounds,
            };
            cells.push(measure(&rt, &servers, &load));
        }
    }
    println!(
        "\nRequests/s (p99 round trip), best of {rounds} rounds of {:.2} s, on {} CPUs:\n",
        secs / rounds as f64,
        cpus()
    );
    print_table(&specs, &cells);
    println!(
        "\nVerified requests per second of server CPU time (utime + stime of the server and \
         its children), best round:\n"
    );
    print_cpu_table(&specs, &cells);

    let mut failed = cells
        .iter()
        .flat_map(|c| &c.results)
        .any(|(_, r)| r.as_ref().map_or(true, |r| r.errors() > 0));
    if idle > 0 {
        println!("\nResident memory per idle connection ({idle} connections, target < {IDLE_TARGET_KIB} KiB):\n");
        let mut t = Table::new();
        t.load_preset(ASCII_MARKDOWN);
        t.set_header(vec![
            "server",
            "VmRSS before (KiB)",
            "VmRSS after (KiB)",
            "KiB / connection",
            "target",
        ]);
        for spec in specs.iter().filter(|s| s.echo_cli) {
            match idle_memory(&rt, spec, idle, &logs) {
                Ok((per, before, after)) => {
                    let verdict = if per < IDLE_TARGET_KIB {
                        "met"
                    } else {
                        "MISSED"
                    };
                    t.add_row(vec![
                        spec.name.to_string(),
                        before.to_string(),
                        after.to_string(),
                        format!("{per:.2}"),
                        verdict.into(),
                    ]);
                }
                Err(e) => {
                    failed |= spec.name == "echoServer";
                    eprintln!("warning: {}: idle connections: {e}", spec.name);
                    t.add_row(vec![
                        spec.name.to_string(),
                        "-".into(),
                        "-".into(),
                        "failed".into(),
                        e,
                    ]);
                }
            }
        }
        println!("{t}");
    }
    if missing {
        eprintln!("error: echoServer could not be measured (see the warnings above)");
        failed = true;
    }
    if failed {
        eprintln!("error: some runs failed or saw corrupted echoes (see above)");
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}

fn cpus() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}
