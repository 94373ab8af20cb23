//! `PrintOptions`: the printer's flags, mirroring tcpdump's `netdissect_options` as counts.

/// tcpdump's print flags. Each count is the number of times the flag was given
/// (`-nn` is `n: 2`, `-vvv` is `v: 3`), as in `netdissect.h` at tcpdump-4.99.3.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PrintOptions {
    /// `-n`: no address-to-name conversion; `-nn` also no port-to-name conversion.
    pub n: u8,
    /// `-v`, `-vv`, `-vvv`: verbosity.
    pub v: u8,
    /// `-x` (1) / `-xx` (2): hex dump (2: including the link header).
    pub x: u8,
    /// `-X` (1) / `-XX` (2): hex and ASCII dump (2: including the link header).
    pub xx: u8,
    /// `-A` (1) / `-AA`: ASCII dump.
    pub a: u8,
    /// `-e`: print the link-level header.
    pub e: u8,
    /// `-S`: absolute TCP sequence numbers.
    pub s_abs: u8,
    /// `-t` count: 0 default time of day, 1 none, 2 Unix seconds, 3 delta from previous,
    /// 4 date and time, 5 delta from first.
    pub t: u8,
    /// `-q`: quiet, less protocol information.
    pub q: u8,
    /// `-K`: do not verify checksums.
    pub k: u8,
    /// `-H`: look for 802.11s mesh control headers in QoS data frames.
    pub h: u8,
    /// `-#` (`--number`): the packet's number before each packet.
    pub number: bool,
    /// `-T TYPE`: the printer for every UDP or TCP payload, whatever the ports.
    pub packettype: Option<PacketType>,
    /// `--time-stamp-precision=nano`: print nanoseconds.
    pub nano: bool,
    /// The local time zone of the default and `-tttt` time stamps (`localtime(3)` reads
    /// `TZ`); `None` prints UTC. The command line sets it from the environment.
    pub tz: Option<jiff::tz::TimeZone>,
}

/// tcpdump's `-T` types (`ndo_packettype`, tcpdump.c at tcpdump-4.99.3), in its order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PacketType {
    Vat,
    Wb,
    Rpc,
    Rtp,
    Rtcp,
    Snmp,
    Cnfp,
    Tftp,
    Aodv,
    Carp,
    Radius,
    Zmtp1,
    Vxlan,
    Pgm,
    PgmZmtp1,
    Lmp,
    Resp,
    Ptp,
    Someip,
    Domain,
}

/// The names `-T` accepts (compared without regard to case, as tcpdump's
/// `ascii_strcasecmp`) and their types.
pub const PACKET_TYPES: &[(&str, PacketType)] = &[
    ("vat", PacketType::Vat),
    ("wb", PacketType::Wb),
    ("rpc", PacketType::Rpc),
    ("rtp", PacketType::Rtp),
    ("rtcp", PacketType::Rtcp),
    ("snmp", PacketType::Snmp),
    ("cnfp", PacketType::Cnfp),
    ("tftp", PacketType::Tftp),
    ("aodv", PacketType::Aodv),
    ("carp", PacketType::Carp),
    ("radius", PacketType::Radius),
    ("zmtp1", PacketType::Zmtp1),
    ("vxlan", PacketType::Vxlan),
    ("pgm", PacketType::Pgm),
    ("pgm_zmtp1", PacketType::PgmZmtp1),
    ("lmp", PacketType::Lmp),
    ("resp", PacketType::Resp),
    ("ptp", PacketType::Ptp),
    ("someip", PacketType::Someip),
    ("domain", PacketType::Domain),
];

impl PacketType {
    /// The type `-T NAME` names, if tcpdump knows it.
    pub fn from_name(name: &str) -> Option<PacketType> {
        PACKET_TYPES
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|&(_, t)| t)
    }

    /// The name tcpdump gives the type.
    pub fn name(self) -> &'static str {
        PACKET_TYPES
            .iter()
            .find(|&&(_, t)| t == self)
            .map_or("", |&(n, _)| n)
    }
}
