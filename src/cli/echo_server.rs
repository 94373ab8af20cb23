//! The echoServer command line (the handout's Table 1, plus `-p`): parse, bind, serve until
//! Ctrl-C or SIGTERM. Exit codes: 0 served and stopped cleanly, 1 runtime error (address in
//! use, address not on this host, permission denied), 2 usage error.

use std::io::Write;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use clap::Parser;

use super::echo_common::{self, filter_name, CommonArgs, Endpoint};
use super::traffic::{Plan, Traffic, TrafficArgs};
use crate::echo::options::{Protocol, ServerOptions};
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
";

#[derive(Debug, Parser)]
#[command(name = PROG, disable_help_flag = true, disable_version_flag = true)]
#[command(override_usage = "echoServer [options]")]
struct Args {
    #[command(flatten)]
    common: CommonArgs,
}

/// `echoServer`'s entry point.
pub fn main() -> ExitCode {
    let args = match echo_common::parse(PROG, HELP, std::env::args_os(), |a: &Args| &a.common) {
        Ok(a) => a,
        Err(code) => return code,
    };
    let result = server_options(&args)
        .map_err(super::Failure::usage)
        .and_then(|opts| Ok(serve(opts, &args.common.traffic).map(|()| super::Outcome::Success)?));
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

fn serve(opts: ServerOptions, traffic: &TrafficArgs) -> anyhow::Result<()> {
    let rt = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    rt.block_on(serve_async(opts, traffic))
}

async fn serve_async(opts: ServerOptions, traffic: &TrafficArgs) -> anyhow::Result<()> {
    if let Err(e) = server::raise_open_files_limit() {
        eprintln!("{PROG}: warning: cannot raise the open-files limit: {e}");
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
    announce(&opts, &listener, addr);
    let config = Config {
        nodelay: opts.continuous,
        events: Arc::new(|event| log(&event.to_string())),
    };
    let served = server::run(listener, config, shutdown).await;
    if let Some(c) = capture {
        c.finish(std::time::Duration::ZERO);
    }
    served?;
    log("echoServer stopped");
    Ok(())
}

/// The report's start-up lines, with the address served.
fn announce(opts: &ServerOptions, listener: &Listener, addr: SocketAddr) {
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

/// One log line on stdout, flushed at once so a pipe sees it. A closed stdout does not stop
/// the server: clients still get their echoes.
fn log(line: &str) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{line}");
    let _ = out.flush();
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
