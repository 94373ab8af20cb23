//! The flags of `echolab dump` (tcpdump.c at tcpdump-4.99.3 for their meanings) and the
//! printer options they make.

use crate::capture::pcap::MAXIMUM_SNAPLEN;
use crate::capture::print::options::PacketType;
use crate::capture::print::{udp, PrintOptions};
use std::path::PathBuf;

/// Arguments of `echolab dump`, with tcpdump's flags and meanings.
#[derive(Debug, clap::Args)]
pub struct DumpArgs {
    /// Read packets from FILE (pcap or pcapng; `-` for standard input).
    #[arg(short = 'r', value_name = "FILE")]
    pub read: Option<PathBuf>,
    /// Take the filter expression from FILE (`#` starts a comment); the command line's is
    /// ignored.
    #[arg(short = 'F', value_name = "FILE")]
    pub filter_file: Option<PathBuf>,
    /// Print the compiled filter program and exit; -dd: as a C array, -ddd: in decimal.
    #[arg(short = 'd', action = clap::ArgAction::Count)]
    pub d: u8,
    /// With -r, print only the number of packets that pass the filter.
    #[arg(long = "count")]
    pub count_only: bool,
    /// Don't convert addresses to names; -nn: nor ports.
    #[arg(short = 'n', action = clap::ArgAction::Count)]
    pub n: u8,
    /// Verbose; -vv, -vvv: more.
    #[arg(short = 'v', action = clap::ArgAction::Count)]
    pub v: u8,
    /// Hex dump of each packet; -xx: including the link header.
    #[arg(short = 'x', action = clap::ArgAction::Count)]
    pub x: u8,
    /// Hex and ASCII dump; -XX: including the link header.
    #[arg(short = 'X', action = clap::ArgAction::Count)]
    pub xx: u8,
    /// ASCII dump of each packet; -AA: including the link header.
    #[arg(short = 'A', action = clap::ArgAction::Count)]
    pub a: u8,
    /// Print the link-level header.
    #[arg(short = 'e', action = clap::ArgAction::Count)]
    pub e: u8,
    /// Absolute TCP sequence numbers.
    #[arg(short = 'S', action = clap::ArgAction::Count)]
    pub s_abs: u8,
    /// Timestamp format: -t none, -tt seconds, -ttt delta, -tttt date, -ttttt since first.
    #[arg(short = 't', action = clap::ArgAction::Count)]
    pub t: u8,
    /// Quiet: less protocol information.
    #[arg(short = 'q', action = clap::ArgAction::Count)]
    pub q: u8,
    /// Don't verify checksums.
    #[arg(short = 'K', action = clap::ArgAction::Count)]
    pub k: u8,
    /// Detect 802.11s draft mesh headers in QoS data frames.
    #[arg(short = 'H', action = clap::ArgAction::Count)]
    pub h: u8,
    /// Exit after N packets.
    #[arg(short = 'c', value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub count: Option<u64>,
    /// Snapshot length (0 means 262144); reading a file keeps the file's own, as tcpdump does.
    #[arg(short = 's', value_name = "SNAPLEN",
          value_parser = clap::value_parser!(u32).range(0..=i64::from(MAXIMUM_SNAPLEN)))]
    pub snaplen: Option<u32>,
    /// Time stamp precision: micro (default) or nano.
    #[arg(long = "time-stamp-precision", value_name = "PRECISION",
          value_parser = ["micro", "nano"])]
    pub precision: Option<String>,
    /// Nanosecond time stamps (--time-stamp-precision=nano).
    #[arg(long = "nano")]
    pub nano: bool,
    /// Microsecond time stamps (the default).
    #[arg(long = "micro")]
    pub micro: bool,
    /// Capture live on INTERFACE (default lo; `any`: every interface, Linux cooked v2 headers).
    #[arg(short = 'i', value_name = "INTERFACE")]
    pub interface: Option<String>,
    /// List the interfaces a capture can open, as tcpdump -D does, and exit.
    #[arg(short = 'D', long = "list-interfaces", conflicts_with = "read")]
    pub list_interfaces: bool,
    /// Capture only packets received (in), sent (out) or both (inout, the default).
    #[arg(
        short = 'Q',
        long = "direction",
        value_name = "DIRECTION",
        conflicts_with = "read"
    )]
    pub direction: Option<String>,
    /// Write the raw packets to FILE (`-` for stdout) instead of printing them.
    #[arg(short = 'w', value_name = "FILE")]
    pub write: Option<PathBuf>,
    /// With -w, write pcapng instead of pcap.
    #[arg(long = "pcapng")]
    pub pcapng: bool,
    /// With -w, also print the packets.
    #[arg(long = "print")]
    pub print: bool,
    /// With -w, before each packet, start a new file once the file holds more than SIZE
    /// million bytes: FILE, FILE1, FILE2, …
    #[arg(short = 'C', value_name = "SIZE", allow_hyphen_values = true)]
    pub rotate_size: Option<String>,
    /// With -w, start a new file at the first packet SECONDS or more after the file's start;
    /// FILE may hold strftime conversions (out-%Y%m%d-%H%M%S.pcap).
    #[arg(short = 'G', value_name = "SECONDS", allow_hyphen_values = true)]
    pub rotate_seconds: Option<String>,
    /// With -C, N files used in turn (FILE0 … numbered to N's digits); with -G alone, stop
    /// after N files.
    #[arg(short = 'W', value_name = "N", allow_hyphen_values = true)]
    pub rotate_files: Option<String>,
    /// Run CMD FILE (e.g. gzip) on each file a rotation closes, without waiting for it.
    #[arg(short = 'z', value_name = "CMD")]
    pub rotate_command: Option<std::ffi::OsString>,
    /// Flush the -w file (and the printout) after each packet.
    #[arg(short = 'U')]
    pub unbuffered: bool,
    /// Line-buffered output: each printed packet reaches stdout at once.
    #[arg(short = 'l')]
    pub line_buffered: bool,
    /// Don't put the interface into promiscuous mode.
    #[arg(short = 'p')]
    pub no_promisc: bool,
    /// Kernel buffer size in KiB (default 2048).
    #[arg(short = 'B', value_name = "KIB")]
    pub buffer_kib: Option<usize>,
    /// Deliver each frame as soon as it arrives (without the ring, which batches frames).
    #[arg(long = "immediate-mode")]
    pub immediate: bool,
    /// Once the capture and the -w file are open, give up root for USER (default nobody; root
    /// keeps it): no groups, no capabilities, no new privileges.
    #[arg(short = 'Z', long = "relinquish-privileges", value_name = "USER")]
    pub user: Option<String>,
    /// Print the packet's number before each packet.
    #[arg(short = '#', long = "number")]
    pub number: bool,
    /// Decode every UDP/TCP payload as TYPE, whatever the ports (domain, snmp, tftp, radius).
    #[arg(short = 'T', value_name = "TYPE")]
    pub packettype: Option<String>,
    /// Filter expression (tcpdump's language).
    #[arg(value_name = "EXPRESSION")]
    pub expression: Vec<String>,
}

impl DumpArgs {
    /// The filter expression: from `-F FILE` (comments blanked, as tcpdump.c's
    /// `read_infile`), else the command line's words.
    pub(crate) fn expression(&self) -> anyhow::Result<String> {
        let Some(path) = &self.filter_file else {
            return Ok(self.expression.join(" "));
        };
        let name = path.display();
        let text = std::fs::read(path)
            .map_err(|e| anyhow::anyhow!("can't open {name}: {}", super::os_message(&e)))?;
        let mut text = String::from_utf8_lossy(&text).into_owned();
        while let Some(at) = text.find('#') {
            let end = text[at..].find('\n').map_or(text.len(), |e| at + e);
            text.replace_range(at..end, &" ".repeat(end - at));
        }
        Ok(text)
    }

    pub(crate) fn nano(&self) -> bool {
        match self.precision.as_deref() {
            Some(p) => p == "nano",
            None => self.nano && !self.micro,
        }
    }

    /// tcpdump.c's refusal of an unknown `-T` type (status 1, before anything is opened),
    /// and echolab's of a type whose printer it lacks, rather than print it wrongly.
    pub(crate) fn check_packettype(&self) -> anyhow::Result<()> {
        let Some(name) = self.packettype.as_deref() else {
            return Ok(());
        };
        let Some(pt) = PacketType::from_name(name) else {
            anyhow::bail!("unknown packet type `{name}'");
        };
        if udp::packettype_app(pt).is_none() {
            anyhow::bail!("-T {}: not decoded by echolab", pt.name());
        }
        Ok(())
    }

    pub(crate) fn print_options(&self) -> PrintOptions {
        PrintOptions {
            n: self.n,
            v: self.v,
            x: self.x,
            xx: self.xx,
            a: self.a,
            e: self.e,
            s_abs: self.s_abs,
            t: self.t,
            q: self.q,
            k: self.k,
            h: self.h,
            number: self.number,
            packettype: self.packettype.as_deref().and_then(PacketType::from_name),
            nano: self.nano(),
            // localtime(3) honours TZ; the tz database says what it means.
            tz: Some(local_zone()),
        }
    }
}

/// The zone `localtime(3)` uses. `TZ=UTC` (as the tests and benchmarks run) is UTC without a
/// look at the tz database: jiff's first lookup walks the whole zoneinfo directory, which
/// costs more than printing a few thousand packets.
fn local_zone() -> jiff::tz::TimeZone {
    match std::env::var_os("TZ") {
        Some(tz) if tz == "UTC" => jiff::tz::TimeZone::UTC,
        _ => jiff::tz::TimeZone::system(),
    }
}
