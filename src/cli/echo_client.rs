//! The echoClient command line (the handout's Table 1, plus `-p` and `--timeout`). Exit
//! codes: 0 session ended normally (`quit`, end of input, Ctrl-C/Ctrl-D in continuous mode,
//! SIGTERM, SIGHUP), 1 runtime error (refused, reset, closed by the server, no echo within the
//! timeout, UDP echoes missing), 2 usage error; killed by the signal for SIGQUIT, SIGALRM,
//! SIGUSR1 and SIGINT on a raw terminal (after restoring it).

use std::io::{self, IsTerminal, Write};
use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use clap::Parser;

use super::echo_common::{self, filter_name, CommonArgs, Endpoint};
use super::flow::session::Recording;
use super::traffic::{Plan, Traffic, TrafficArgs};
use crate::echo::client::{self, Screen, SessionSocket};
use crate::echo::error::Error;
use crate::echo::options::{default_timeout, parse_timeout, ClientOptions, Mode, Protocol};
use crate::echo::terminal::{self, stdin_is_terminal, Ending, RawMode, Signals};

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
  --timeout SECS   How long to wait for an echo before giving up (default 2 for UDP, 10 for TCP)
  -v, --version    Print the software version
  --dump[=FILE]    Print the session's packets tcpdump-style (-nnvvXS) on stderr, or into FILE
  --dump-flags F   Print flags for --dump instead of -nnvvXS (e.g. \"-nn -e\")
  --pcap FILE      Write the session's packets to FILE (pcap)
  --flow           Draw the session's packets as a ladder on stderr once it is over

--dump, --pcap and --flow need capture privileges (root or CAP_NET_RAW); without them the session runs
without a dump. In line mode a line `quit` or end of input ends the session.

SIGTERM and SIGHUP end the session at once, whatever it waits for (exit 0). In continuous mode
on a terminal, raw mode is undone on every way out: SIGQUIT, SIGALRM, SIGUSR1 and SIGINT restore
the terminal first, then end the client as the signal would; SIGTSTP restores it and stops the
client, SIGCONT switches raw mode back on.
";

/// The clap definition of `echoClient`, for its man page and completions.
/// The page's text is the program's own `-h` text.
pub fn command() -> clap::Command {
    <Args as clap::CommandFactory>::command()
        .about("the course handout's echo client, line mode or continuous (keypress) mode")
        .long_about(HELP)
}

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
        .and_then(
            |opts| match session(&opts, &args.common.traffic, args.common.flow) {
                Ok(()) => Ok(super::Outcome::Success),
                Err(e) if is_broken_pipe(&e) => Ok(super::Outcome::Success),
                Err(e) => Err(super::Failure::runtime(e)),
            },
        );
    super::exit(PROG, result)
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.downcast_ref::<Error>().is_some_and(Error::is_broken_pipe)
}

fn client_options(args: &Args) -> anyhow::Result<ClientOptions> {
    let d = ClientOptions::default();
    let Endpoint { protocol, ip, port } = args.common.endpoint(false)?;
    let timeout = args.timeout.as_deref().map(parse_timeout).transpose()?;
    let protocol = protocol.unwrap_or(d.protocol);
    Ok(ClientOptions {
        protocol,
        server: SocketAddr::new(ip.unwrap_or(d.server.ip()), port.unwrap_or(d.server.port())),
        mode: if args.common.continuous {
            Mode::Continuous
        } else {
            Mode::Line
        },
        timeout: timeout.unwrap_or_else(|| default_timeout(protocol)),
    })
}

/// One session. Raw mode (continuous mode on a terminal) lives exactly as long as this call:
/// the guard is dropped on every return, and the panic hook covers panics. A signal ends the
/// session whatever it is waiting for (a blocked write, an echo that never comes): the session
/// is dropped, its socket closed, the terminal restored. A traffic dump, when asked for,
/// starts before the first packet and ends after the last.
fn session(opts: &ClientOptions, traffic: &TrafficArgs, flow: bool) -> anyhow::Result<()> {
    let recording = flow.then(|| Recording::start(PROG, traffic)).flatten();
    let with_flow;
    let traffic = match &recording {
        Some(r) => {
            with_flow = r.traffic(traffic);
            &with_flow
        }
        None => traffic,
    };
    let terminal = stdin_is_terminal();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let raw = terminal && opts.mode == Mode::Continuous;
    let mut signals = {
        let _runtime = rt.enter();
        Signals::watch(raw, traffic.wanted())
    };
    let guard = if raw { Some(RawMode::enable()?) } else { None };
    let out = io::BufWriter::new(io::stdout());
    let mut screen = Screen::new(
        out,
        io::stderr(),
        terminal && opts.mode == Mode::Line,
        raw,
        PROG,
    );
    let mut capture = None;
    let mut ending = None;
    let result = rt.block_on(async {
        let socket = client::open(opts).await?;
        if traffic.wanted() {
            capture = start_dump(opts, traffic, &socket, raw);
        }
        let (tx, rx) = tokio::sync::mpsc::channel(64);
        client::spawn_stdin_reader(opts.mode, raw, tx);
        tokio::select! {
            r = client::run_on(opts, socket, rx, &mut screen) => r,
            e = signals.ending(guard.as_ref(), capture.is_some()) => {
                ending = Some(e);
                Ok(())
            }
        }
    });
    if result.is_err() || ending.is_some() {
        screen.end_line();
    }
    let captured = capture.is_some();
    if let Some(c) = capture {
        c.finish(match opts.protocol {
            Protocol::Tcp => TEARDOWN_GRACE,
            Protocol::Udp => Duration::ZERO,
        });
    }
    drop(guard);
    if let (Some(r), true) = (recording, captured) {
        r.draw(PROG);
    }
    if let Some(Ending::Fatal(signal)) = ending {
        terminal::die_of(signal);
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
