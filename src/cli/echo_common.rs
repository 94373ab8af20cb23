//! What echoServer and echoClient share on their command lines: the handout's Table 1 options
//! (`-c`, `-h`, `--ip`/`-ip`, `-t`, `-v`) plus `-p` and the traffic-dump options, and the steps
//! every run takes from argv to options before its own work (usage errors, `-h`, `-v`).

use std::ffi::OsString;
use std::io::{self, Write};
use std::net::IpAddr;
use std::process::ExitCode;

use clap::Parser;

use super::traffic::TrafficArgs;
use crate::echo::options::{parse_ip, parse_port, Protocol};

/// The options both programs take.
#[derive(Debug, clap::Args)]
pub struct CommonArgs {
    #[arg(short = 'c', long = "continuous")]
    pub continuous: bool,
    #[arg(short = 'h', long = "help")]
    pub help: bool,
    #[arg(long = "ip", value_name = "IPADD")]
    pub ip: Option<String>,
    #[arg(
        short = 'p',
        long = "port",
        value_name = "PORT",
        allow_hyphen_values = true
    )]
    pub port: Option<String>,
    #[arg(short = 't', value_name = "TCP/UDP")]
    pub protocol: Option<String>,
    #[arg(short = 'v', long = "version")]
    pub version: bool,
    #[command(flatten)]
    pub traffic: TrafficArgs,
    /// Draw the session's packets as a ladder on stderr once it is over (`echolab flow`).
    #[arg(long = "flow")]
    pub flow: bool,
}

/// The protocol (`-t`), address (`--ip`) and port (`-p`), each `None` when not given (the
/// default applies).
#[derive(Debug, Clone, Copy)]
pub struct Endpoint {
    pub protocol: Option<Protocol>,
    pub ip: Option<IpAddr>,
    pub port: Option<u16>,
}

impl CommonArgs {
    /// Parse `-t`, `--ip` and `-p`, in that order. `port_zero`: whether port 0 (a free port,
    /// for the server) is accepted.
    pub fn endpoint(&self, port_zero: bool) -> anyhow::Result<Endpoint> {
        let protocol = self.protocol.as_deref().map(str::parse).transpose()?;
        let ip = self.ip.as_deref().map(parse_ip).transpose()?;
        let port = self
            .port
            .as_deref()
            .map(|p| parse_port(p, port_zero))
            .transpose()?;
        Ok(Endpoint { protocol, ip, port })
    }
}

/// Parse `argv` into `A` and handle what ends a run before it starts: a usage error (clap's
/// message and exit code), `-h` (`help` on stdout), `-v`, bad dump flags (exit 2). `Err` is
/// the exit code to return at once.
pub fn parse<A: Parser>(
    prog: &str,
    help: &str,
    argv: impl IntoIterator<Item = OsString>,
    common: impl Fn(&A) -> &CommonArgs,
) -> Result<A, ExitCode> {
    let args = match A::try_parse_from(handout_args(argv)) {
        Ok(a) => a,
        Err(e) => {
            let _ = e.print();
            return Err(ExitCode::from(e.exit_code().clamp(0, 255) as u8));
        }
    };
    let c = common(&args);
    if c.help {
        return Err(print_quietly(help));
    }
    if c.version {
        return Err(print_quietly(&version_line(prog)));
    }
    if c.traffic.wanted() || c.traffic.dump_flags.is_some() {
        if let Err(e) = c.traffic.print_options() {
            super::report_error(prog, &e);
            return Err(ExitCode::from(2));
        }
    }
    Ok(args)
}

/// `echoServer version 0.1.0`: the handout's `-v` line with the crate's version.
pub fn version_line(prog: &str) -> String {
    format!("{prog} version {}\n", env!("CARGO_PKG_VERSION"))
}

/// The handout types `-ip 192.168.1.1` with one dash; accept it as `--ip`.
pub fn handout_args(args: impl IntoIterator<Item = OsString>) -> Vec<OsString> {
    args.into_iter()
        .map(|a| match a.to_str() {
            Some("-ip") => OsString::from("--ip"),
            Some(s) if s.starts_with("-ip=") => OsString::from(format!("-{s}")),
            _ => a,
        })
        .collect()
}

/// Print `text` on stdout; a reader that went away (`| head`) is not an error.
pub fn print_quietly(text: &str) -> ExitCode {
    let mut out = io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(_) => ExitCode::from(1),
    }
}

/// The protocol's name in a capture filter (`tcp`, `udp`).
pub fn filter_name(protocol: Protocol) -> &'static str {
    match protocol {
        Protocol::Tcp => "tcp",
        Protocol::Udp => "udp",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn os(v: &[&str]) -> Vec<OsString> {
        v.iter().map(OsString::from).collect()
    }

    #[test]
    fn one_dash_ip_is_accepted() {
        assert_eq!(
            handout_args(os(&["x", "-ip", "::1"])),
            os(&["x", "--ip", "::1"])
        );
        assert_eq!(handout_args(os(&["x", "-ip=::1"])), os(&["x", "--ip=::1"]));
        assert_eq!(handout_args(os(&["x", "-t", "ip"])), os(&["x", "-t", "ip"]));
    }
}
