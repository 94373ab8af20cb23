//! `echolab bench`: the load generator's command line.
//!
//! Parses the flags into a [`LoadConfig`], runs the load on a multi-threaded tokio runtime,
//! and prints the report as a table (or one JSON object with `--json`). Exit codes: 0 when
//! every echo was verified, 1 on any corrupted echo, failed connection or runtime error,
//! 2 on a usage error (clap, or a load `validate` refuses,
//! such as `--clients 0`).

use std::io::{IsTerminal, Write};
use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use anyhow::Context;
use comfy_table::{presets::UTF8_FULL_CONDENSED, Cell, CellAlignment, Table};

use crate::echo::loadgen::{self, LoadConfig, Report, Transport};

/// Arguments of `echolab bench`.
#[derive(Debug, clap::Args)]
pub struct BenchArgs {
    /// Number of concurrent clients (one connection or UDP socket each).
    #[arg(long, default_value_t = 1)]
    pub clients: usize,
    /// Bytes per message: random, sent in one write or datagram, verified on echo.
    #[arg(long, default_value_t = 64)]
    pub size: usize,
    /// Seconds of measured load.
    #[arg(long, default_value_t = 10.0, value_parser = parse_secs)]
    pub duration: f64,
    /// Seconds of load before the measurement starts (not counted).
    #[arg(long, default_value_t = 0.0, value_parser = parse_secs)]
    pub warmup: f64,
    /// Transport: TCP or UDP, in any case.
    #[arg(short = 't', long = "transport", default_value = "TCP", value_parser = parse_transport)]
    pub transport: Transport,
    /// The echo server's address (IPv4 or IPv6).
    #[arg(long, default_value = "127.0.0.1")]
    pub ip: IpAddr,
    /// The echo server's port.
    #[arg(short = 'p', long, default_value_t = 4002)]
    pub port: u16,
    /// UDP only: seconds to wait for each echo before counting the message lost.
    #[arg(long, default_value_t = 1.0, value_parser = parse_secs)]
    pub timeout: f64,
    /// Worker threads of the load generator (default: one per CPU).
    #[arg(long)]
    pub threads: Option<usize>,
    /// Print the report as one JSON object instead of a table.
    #[arg(long)]
    pub json: bool,
}

fn parse_secs(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if v.is_finite() && (0.0..=86_400.0).contains(&v) => Ok(v),
        _ => Err(format!("{s:?} is not a number of seconds from 0 to 86400")),
    }
}

fn parse_transport(s: &str) -> Result<Transport, String> {
    s.parse().map_err(|e: loadgen::LoadError| e.to_string())
}

impl BenchArgs {
    fn config(&self) -> LoadConfig {
        let mut c = LoadConfig::new(SocketAddr::new(self.ip, self.port));
        c.transport = self.transport;
        c.clients = self.clients;
        c.size = self.size;
        c.duration = Duration::from_secs_f64(self.duration);
        c.warmup = Duration::from_secs_f64(self.warmup);
        c.udp_timeout = Duration::from_secs_f64(self.timeout);
        c
    }
}

/// `echolab bench`'s entry point.
/// A configuration `validate` refuses is a usage error (exit 2).
pub fn run(args: BenchArgs) -> super::Result {
    let cfg = args.config();
    cfg.validate().map_err(super::Failure::usage)?;
    run_inner(&args, &cfg)
}

fn run_inner(args: &BenchArgs, cfg: &LoadConfig) -> super::Result {
    // Hundreds of connections need more descriptors than the usual 1024 soft limit.
    loadgen::raise_nofile_limit().map_err(anyhow::Error::from)?;
    let threads = args
        .threads
        .or_else(|| std::thread::available_parallelism().ok().map(|n| n.get()))
        .unwrap_or(2)
        .max(1);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(threads)
        .enable_all()
        .build()
        .context("cannot start the load generator's runtime")?;
    let progress = Progress::start(cfg.warmup + cfg.duration);
    let report = rt.block_on(loadgen::run(cfg));
    progress.finish();
    let report = report.map_err(anyhow::Error::from)?;
    // Idle connections close at once rather than at the runtime's leisure.
    rt.shutdown_timeout(Duration::from_millis(100));

    let mut out = std::io::stdout().lock();
    let text = if args.json {
        report.to_json() + "\n"
    } else {
        table(&report).to_string() + "\n"
    };
    if let Err(e) = out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            return Err(anyhow::Error::new(e)
                .context("cannot write the report")
                .into());
        }
    }
    verdict(&report)
}

/// Exit 0 when every echo was verified; otherwise one line saying what went wrong, exit 1.
fn verdict(r: &Report) -> super::Result {
    if let Some(m) = &r.first_mismatch {
        eprintln!(
            "echolab: error: {} echoes differed from what was sent (first: {m})",
            r.mismatches
        );
        return Ok(super::Outcome::Negative);
    }
    if let Some(e) = &r.first_io_error {
        eprintln!(
            "echolab: error: {} of {} clients failed (first: {e})",
            r.io_errors, r.clients
        );
        return Ok(super::Outcome::Negative);
    }
    if r.requests == 0 {
        eprintln!(
            "echolab: error: no echo verified within {:.1} s",
            r.elapsed.as_secs_f64()
        );
        return Ok(super::Outcome::Negative);
    }
    Ok(super::Outcome::Success)
}

/// The report as a two-column table.
fn table(r: &Report) -> Table {
    let us = duration;
    let mut rows: Vec<(&str, String)> = vec![
        ("server", format!("{} {}", r.transport, r.addr)),
        ("clients", r.clients.to_string()),
        ("message", format!("{} bytes", r.size)),
        ("measured", format!("{:.2} s", r.elapsed.as_secs_f64())),
        ("requests", r.requests.to_string()),
        ("requests/s", format!("{:.0}", r.requests_per_sec())),
        ("MB/s", format!("{:.2}", r.mb_per_sec())),
        ("latency p50", us(r.latency.quantile(0.50))),
        ("latency p99", us(r.latency.quantile(0.99))),
        ("latency max", us(r.latency.max())),
        ("errors", r.errors().to_string()),
    ];
    if r.transport == Transport::Udp {
        rows.push(("lost", r.lost.to_string()));
        rows.push(("late", r.late.to_string()));
    }
    rows.push(("loadgen CPU", format!("{:.2} cores", r.cpu_cores())));
    let mut t = super::term::table(UTF8_FULL_CONDENSED);
    for (k, v) in rows {
        t.add_row(vec![
            Cell::new(k),
            Cell::new(v).set_alignment(CellAlignment::Right),
        ]);
    }
    t
}

/// A latency in the unit that reads best: µs below 1 ms, ms below 1 s, else seconds.
fn duration(ns: u64) -> String {
    let ns = ns as f64;
    if ns < 1e6 {
        format!("{:.1} µs", ns / 1e3)
    } else if ns < 1e9 {
        format!("{:.2} ms", ns / 1e6)
    } else {
        format!("{:.2} s", ns / 1e9)
    }
}

/// A bar on a terminal (stderr) that fills as the run's time passes; nothing otherwise.
struct Progress {
    bar: Option<indicatif::ProgressBar>,
    ticker: Option<std::thread::JoinHandle<()>>,
    done: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl Progress {
    fn start(total: Duration) -> Progress {
        use std::sync::atomic::{AtomicBool, Ordering};
        let done = std::sync::Arc::new(AtomicBool::new(false));
        if !std::io::stderr().is_terminal() {
            return Progress {
                bar: None,
                ticker: None,
                done,
            };
        }
        let bar = indicatif::ProgressBar::new(total.as_millis().max(1) as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{prefix} [{bar:30}] {elapsed}/{msg}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        bar.set_prefix("echolab bench");
        bar.set_message(format!("{:.0?}", total));
        let (b, stop) = (bar.clone(), done.clone());
        let ticker = std::thread::spawn(move || {
            let start = std::time::Instant::now();
            while !stop.load(Ordering::SeqCst) {
                b.set_position(start.elapsed().as_millis() as u64);
                std::thread::sleep(Duration::from_millis(100));
            }
        });
        Progress {
            bar: Some(bar),
            ticker: Some(ticker),
            done,
        }
    }

    fn finish(self) {
        self.done.store(true, std::sync::atomic::Ordering::SeqCst);
        if let Some(t) = self.ticker {
            let _ = t.join();
        }
        if let Some(b) = self.bar {
            b.finish_and_clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::duration;

    #[test]
    fn latencies_read_in_their_unit() {
        assert_eq!(duration(850_000), "850.0 µs");
        assert_eq!(duration(1_250_000), "1.25 ms");
        assert_eq!(duration(2_500_000_000), "2.50 s");
    }
}
