//! The echoClient command line (the handout's Table 1, plus `-p` and `--timeout`). Exit
//! codes: 0 session ended normally (`quit`, end of input, Ctrl-C/Ctrl-D in continuous mode),
//! 1 runtime error (refused, reset, closed by the server, UDP echoes missing), 2 usage error.

use std::io::{self, IsTerminal, Write};
use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use clap::Parser;

use super::echo_common::{self, filter_name, CommonArgs, Endpoint};
use super::traffic::{Plan, Traffic, TrafficArgs};
use crate::echo::client::{self, Input, Screen, SessionSocket};
use crate::echo::error::Error;
use crate::echo::options::{parse_timeout, ClientOptions, Mode, Protocol};
use crate::echo::terminal::{stdin_is_terminal, RawMode};

const PROG: &str = "echoClient";

/// The `-h` text: every option on one line, in the spirit of the handout's listing.
const HELP: &str = "\
Usage: echoClient [options]

Send lines (or, with -c, every keypress) to an echoServer and show what comes back.

OPTIONS:
  -c               Continuous echo mode: every keypress sent at once on its own; Ctrl-C or Ctrl-D ends
  -h, --help       Display the available options
  --ip IPADD       Specify the server IP address, IPv4 or IPv6 (also -ip; default 127.0.0.1)
  -p, --port PORT  Specify the server port (default 4002)
  -t TCP/UDP       Specify the transport layer protocol (default TCP; any case)
  --timeout SECS   UDP only: how long to wait for each echo (default 2)
  -v, --version    Print the software version
  --dump[=FILE]    Print the session's packets tcpdump-style (-nnvvXS) on stderr, or into FILE
  --dump-flags F   Print flags for --dump instead of -nnvvXS (e.g. \"-nn -e\")
  --pcap FILE      Write the session's packets to FILE (pcap)

--dump and --pcap need capture privileges (root or CAP_NET_RAW); without them the session runs
without a dump. In line mode a line `quit` or end of input ends the session.
";

#[derive(Debug, Parser)]
#[command(name = PROG, disable_help_flag = true, disable_version_flag = true)]
#[command(override_usage = "echoClient [options]")]
struct Args {
    #[command(flatten)]
    common: CommonArgs,
    #[arg(long = "timeout", value_name = "SECS", allow_hyphen_values = true)]
    timeout: Option<String>,
}

/// `echoClient`'s entry point.
pub fn main() -> ExitCode {
    let args = match echo_common::parse(PROG, HELP, std::env::args_os(), |a: &Args| &a.common) {
        Ok(a) => a,
        Err(code) => return code,
    };
    let result = client_options(&args)
        .map_err(super::Failure::usage)
        .and_then(|opts| match session(&opts, &args.common.traffic) {
            Ok(()) => Ok(super::Outcome::Success),
            Err(e) if is_broken_pipe(&e) => Ok(super::Outcome::Success),
            Err(e) => Err(super::Failure::runtime(e)),
        });
    super::exit(PROG, result)
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.downcast_ref::<Error>().is_some_and(Error::is_broken_pipe)
}

fn client_options(args: &Args) -> anyhow::Result<ClientOptions> {
    let d = ClientOptions::default();
    let Endpoint { protocol, ip, port } = args.common.endpoint(false)?;
    let timeout = args.timeout.as_deref().map(parse_timeout).transpose()?;
    Ok(ClientOptions {
        protocol: protocol.unwrap_or(d.protocol),
        server: SocketAddr::new(ip.unwrap_or(d.server.ip()), port.unwrap_or(d.server.port())),
        mode: if args.common.continuous {
            Mode::Continuous
        } else {
            Mode::Line
        },
        timeout: timeout.unwrap_or(d.timeout),
    })
}

/// One session. Raw mode (continuous mode on a terminal) lives exactly as long as this call:
/// the guard is dropped on every return, and the panic hook covers panics. A traffic dump,
/// when asked for, starts before the first packet and ends after the last.
fn session(opts: &ClientOptions, traffic: &TrafficArgs) -> anyhow::Result<()> {
    let terminal = stdin_is_terminal();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let raw = terminal && opts.mode == Mode::Continuous;
    let _guard = if raw { Some(RawMode::enable()?) } else { None };
    let out = io::BufWriter::new(io::stdout());
    let mut screen = Screen::new(
        out,
        io::stderr(),
        terminal && opts.mode == Mode::Line,
        raw,
        PROG,
    );
    let mut capture = None;
    let result = rt.block_on(async {
        let socket = client::open(opts).await?;
        if traffic.wanted() {
            capture = start_dump(opts, traffic, &socket, raw);
        }
        let (tx, rx) = tokio::sync::mpsc::channel(64);
        tokio::spawn(end_on_signal(tx.clone(), capture.is_some()));
        client::spawn_stdin_reader(opts.mode, raw, tx);
        client::run_on(opts, socket, rx, &mut screen).await
    });
    if result.is_err() {
        screen.end_line();
    }
    if let Some(c) = capture {
        c.finish(match opts.protocol {
            Protocol::Tcp => TEARDOWN_GRACE,
            Protocol::Udp => Duration::ZERO,
        });
    }
    Ok(result?)
}

/// How long the client waits, after its session, for the TCP teardown to be captured.
const TEARDOWN_GRACE: Duration = Duration::from_secs(1);

/// Start capturing exactly this session's conversation, before its first packet.
fn start_dump(
    opts: &ClientOptions,
    traffic: &TrafficArgs,
    socket: &SessionSocket,
    raw: bool,
) -> Option<Traffic> {
    let local = match socket.local_addr() {
        Ok(a) => a,
        Err(e) => {
            let _ = writeln!(io::stderr(), "{PROG}: warning: no traffic dump: {e}");
            return None;
        }
    };
    let mut plan = Plan::conversation(filter_name(opts.protocol), local, opts.server);
    plan.crlf = raw && io::stderr().is_terminal() && traffic.dump.as_deref() == Some("-".as_ref());
    Traffic::start(PROG, traffic, plan)
}

/// SIGTERM or SIGHUP (terminal closed) end input like Ctrl-D, so the terminal is restored.
/// With a traffic dump, so does SIGINT (Ctrl-C in line mode), so that the dump is complete.
async fn end_on_signal(tx: tokio::sync::mpsc::Sender<Input>, interrupt: bool) {
    use tokio::signal::unix::{signal, SignalKind};
    let (Ok(mut term), Ok(mut hup)) = (
        signal(SignalKind::terminate()),
        signal(SignalKind::hangup()),
    ) else {
        return;
    };
    let mut int = if interrupt {
        signal(SignalKind::interrupt()).ok()
    } else {
        None
    };
    let interrupted = async {
        match int.as_mut() {
            Some(s) => s.recv().await,
            None => std::future::pending().await,
        }
    };
    tokio::select! {
        _ = term.recv() => {}
        _ = hup.recv() => {}
        _ = interrupted => {}
    }
    let _ = tx.send(Input::End).await;
}
