//! The echoServer command line (the handout's Table 1, plus `-p`): parse, bind, serve until
//! Ctrl-C or SIGTERM. Exit codes: 0 served and stopped cleanly, 1 runtime error (address in
//! use, address not on this host, permission denied), 2 usage error.

use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use clap::Parser;

use super::echo_common::{self, filter_name, CommonArgs, Endpoint};
use super::flow::session::Recording;
use super::traffic::{Plan, Traffic, TrafficArgs};
use crate::echo::log::{self, Log};
use crate::echo::options::{self, Limits, Protocol, ServerOptions};
use crate::echo::server::{self, Config, Listener};

const PROG: &str = "echoServer";

/// The `-h` text: every option on one line, in the spirit of the handout's listing.
const HELP: &str = "\
Usage: echoServer [options]

Echo back every byte each client sends, over TCP or UDP.

OPTIONS:
  -c               Continuous echo mode: TCP_NODELAY on every connection, each chunk echoed in its own segment at once
  -h, --help       Display the available options
  --ip IPADD       Specify the server IP address, IPv4 or IPv6 (also -ip; default 127.0.0.1)
  -p, --port PORT  Specify the server port (default 4002; 0 picks a free port)
  -t TCP/UDP       Specify the transport layer protocol (default TCP; any case)
  -v, --version    Print the software version
  --dump[=FILE]    Print every client's packets tcpdump-style (-nnvvXS) on stderr, or into FILE
  --dump-flags F   Print flags for --dump instead of -nnvvXS
  --pcap FILE      Write every client's packets to FILE (pcap)
  --flow           Draw every client's packets as ladders on stderr when the server stops

LIMITS:
  --idle-timeout SECS      TCP: close a connection silent for SECS seconds (default 300; 0: never)
  --max-connections N      TCP: serve N clients at once, close newer ones at once (default: open-files limit less a reserve)
  --udp-min-src-port PORT  UDP: never answer a source port below PORT (default 1024); port 0 is never answered
  --udp-repeat-rate N      UDP: per source, answer N datagrams a second repeating the echo just sent (default 10)
";

/// The clap definition of `echoServer`, for its man page and completions.
/// The page's text is the program's own `-h` text.
pub fn command() -> clap::Command {
    <Args as clap::CommandFactory>::command()
        .about("the course handout's echo server, TCP or UDP, any number of clients")
        .long_about(HELP)
}

#[derive(Debug, Parser)]
#[command(name = PROG, disable_help_flag = true, disable_version_flag = true)]
#[command(override_usage = "echoServer [options]")]
struct Args {
    #[command(flatten)]
    common: CommonArgs,
    #[arg(long = "idle-timeout", value_name = "SECS")]
    idle_timeout: Option<String>,
    #[arg(long = "max-connections", value_name = "N")]
    max_connections: Option<String>,
    #[arg(long = "udp-min-src-port", value_name = "PORT")]
    udp_min_src_port: Option<String>,
    #[arg(long = "udp-repeat-rate", value_name = "N")]
    udp_repeat_rate: Option<String>,
}

/// `echoServer`'s entry point.
pub fn main() -> ExitCode {
    let args = match echo_common::parse(PROG, HELP, std::env::args_os(), |a: &Args| &a.common) {
        Ok(a) => a,
        Err(code) => return code,
    };
    let result = server_options(&args)
        .and_then(|o| Ok((o, limits(&args)?)))
        .map_err(super::Failure::usage)
        .and_then(|opts| {
            Ok(serve(opts, &args.common.traffic, args.common.flow)
                .map(|()| super::Outcome::Success)?)
        });
    super::exit(PROG, result)
}

fn server_options(args: &Args) -> anyhow::Result<ServerOptions> {
    let d = ServerOptions::default();
    let Endpoint { protocol, ip, port } = args.common.endpoint(true)?;
    Ok(ServerOptions {
        protocol: protocol.unwrap_or(d.protocol),
        addr: SocketAddr::new(ip.unwrap_or(d.addr.ip()), port.unwrap_or(d.addr.port())),
        continuous: args.common.continuous,
    })
}

/// The limits asked for; the connection cap is left to `serve` when not given.
fn limits(args: &Args) -> anyhow::Result<Limits> {
    let d = Limits::default();
    Ok(Limits {
        idle_timeout: match args.idle_timeout.as_deref() {
            Some(s) => options::parse_idle_timeout(s)?,
            None => d.idle_timeout,
        },
        max_connections: args
            .max_connections
            .as_deref()
            .map(options::parse_max_connections)
            .transpose()?,
        udp_min_src_port: match args.udp_min_src_port.as_deref() {
            Some(s) => options::parse_min_src_port(s)?,
            None => d.udp_min_src_port,
        },
        udp_repeat_rate: match args.udp_repeat_rate.as_deref() {
            Some(s) => options::parse_repeat_rate(s)?,
            None => d.udp_repeat_rate,
        },
    })
}

/// How long the log may take to drain when the server stops: a log nobody reads must not
/// keep the process alive.
const LOG_DRAIN: Duration = Duration::from_secs(2);

fn serve(
    (opts, limits): (ServerOptions, Limits),
    traffic: &TrafficArgs,
    flow: bool,
) -> anyhow::Result<()> {
    let recording = flow.then(|| Recording::start(PROG, traffic)).flatten();
    let traffic = &match &recording {
        Some(r) => r.traffic(traffic),
        None => traffic.clone(),
    };
    let (log, writer) = log::start(std::io::stdout()).context("cannot start the log")?;
    let rt = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    let served = rt.block_on(serve_async(opts, limits, traffic, &log));
    if served.is_ok() {
        log.line("echoServer stopped");
    }
    writer.finish(log, LOG_DRAIN);
    if let (Some(r), Ok(true)) = (recording, &served) {
        r.draw(PROG);
    }
    // Connections still closing are not waited for beyond this.
    rt.shutdown_timeout(Duration::from_secs(1));
    served.map(|_| ())
}

/// Serves until shut down; whether the traffic was captured.
async fn serve_async(
    opts: ServerOptions,
    mut limits: Limits,
    traffic: &TrafficArgs,
    log: &Log,
) -> anyhow::Result<bool> {
    let nofile = server::raise_open_files_limit().unwrap_or_else(|e| {
        eprintln!("{PROG}: warning: cannot raise the open-files limit: {e}");
        rlimit::getrlimit(rlimit::Resource::NOFILE).map_or(1024, |(soft, _)| soft)
    });
    if limits.max_connections.is_none() {
        limits.max_connections = Some(server::default_max_connections(nofile));
    }
    let shutdown = shutdown_signal()?;
    let listener = server::bind(&opts).await?;
    let addr = listener
        .local_addr()
        .context("cannot read the bound address")?;
    // The capture opens before the server says it listens: no client's packet is missed.
    let capture = if traffic.wanted() {
        let plan = Plan::server(filter_name(opts.protocol), addr);
        Traffic::start(PROG, traffic, plan)
    } else {
        None
    };
    announce(log, &opts, &listener, addr);
    let sink = log.clone();
    let config = Config {
        nodelay: opts.continuous,
        events: Arc::new(move |event| sink.line(event.to_string())),
        limits,
    };
    let served = server::run(listener, config, shutdown).await;
    let captured = capture.is_some();
    if let Some(c) = capture {
        c.finish(std::time::Duration::ZERO);
    }
    served?;
    Ok(captured)
}

/// The report's start-up lines, with the address served.
fn announce(log: &Log, opts: &ServerOptions, listener: &Listener, addr: SocketAddr) {
    let log = |line: &str| log.line(line);
    log(&format!(
        "{PROG} version {} protocol {}",
        env!("CARGO_PKG_VERSION"),
        opts.protocol
    ));
    log(&format!("Socket bind complete: {} {addr}", opts.protocol));
    match (listener, opts.continuous) {
        (Listener::Tcp(_), true) => {
            log("Continuous mode: TCP_NODELAY on every connection, each chunk echoed at once")
        }
        (Listener::Udp(_), true) => {
            log("Continuous mode: no effect on UDP, every datagram is already echoed at once")
        }
        _ => {}
    }
    match opts.protocol {
        Protocol::Tcp => log(&format!("Socket now listening on {addr}")),
        Protocol::Udp => log(&format!("Echoing datagrams on {addr}")),
    }
}

/// Listen for Ctrl-C (SIGINT) and SIGTERM from now on; the future completes on either.
/// Registered before the start-up lines are printed, so a signal sent as soon as the server
/// says it listens is never missed.
fn shutdown_signal() -> anyhow::Result<impl std::future::Future<Output = ()>> {
    use tokio::signal::unix::{signal, SignalKind};
    let mut term = signal(SignalKind::terminate()).context("cannot handle SIGTERM")?;
    let mut int = signal(SignalKind::interrupt()).context("cannot handle SIGINT")?;
    Ok(async move {
        tokio::select! {
            _ = term.recv() => {}
            _ = int.recv() => {}
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn help_has_one_line_per_option() {
        for opt in [
            "-c",
            "-h, --help",
            "--ip IPADD",
            "-p, --port",
            "-t TCP/UDP",
            "-v",
            "--idle-timeout SECS",
            "--max-connections N",
            "--udp-min-src-port PORT",
            "--udp-repeat-rate N",
        ] {
            assert_eq!(
                HELP.lines()
                    .filter(|l| l.trim_start().starts_with(opt))
                    .count(),
                1,
                "{opt}"
            );
        }
    }
}
