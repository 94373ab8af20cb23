//! `Record`: one captured packet, the interface between packet sources (pcap files, live
//! capture) and consumers (printer, filter, diff).

use std::fmt;

/// A capture timestamp with nanosecond resolution (pcap files carry micro- or nanoseconds).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Hash)]
pub struct Timestamp {
    /// Seconds since the Unix epoch.
    pub sec: i64,
    /// Nanoseconds within the second, `0..1_000_000_000`.
    pub nsec: u32,
}

/// A time stamp as libpcap hands it to tcpdump (`struct timeval`): seconds and a fraction in
/// the printing precision (micro- or nanoseconds), both `long`. A damaged file's fraction is
/// kept as read, out of range or negative (libpcap reads it as a signed 32-bit value and
/// scales it without a check): tcpdump prints it as `(unsigned)` and computes deltas from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Stamp {
    /// `tv_sec`.
    pub sec: i64,
    /// `tv_usec`: micro- or nanoseconds, as the precision asks.
    pub frac: i64,
}

impl Stamp {
    /// The stamp of a well-formed time stamp, in micro- (`nano` false) or nanoseconds.
    pub fn of(ts: Timestamp, nano: bool) -> Stamp {
        let ns = i64::from(ts.nsec);
        Stamp {
            sec: ts.sec,
            frac: if nano { ns } else { ns / 1000 },
        }
    }
}

/// The link-layer header type of a capture, by its pcap LINKTYPE_ number.
///
/// An open enum: numbers echolab does not decode are kept as `Unknown`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LinkType {
    /// LINKTYPE_NULL (0): BSD loopback, 4-byte address family in host byte order.
    Null,
    /// LINKTYPE_ETHERNET (1): what Linux `lo` captures carry.
    Ethernet,
    /// LINKTYPE_RAW (101; DLT_RAW 12 or 14 in some files): raw IPv4 or IPv6.
    Raw,
    /// LINKTYPE_LOOP (108): OpenBSD loopback, address family in network byte order.
    Loop,
    /// LINKTYPE_LINUX_SLL (113): Linux cooked capture v1.
    LinuxSll,
    /// LINKTYPE_IPV4 (228).
    Ipv4,
    /// LINKTYPE_IPV6 (229).
    Ipv6,
    /// LINKTYPE_LINUX_SLL2 (276): Linux cooked capture v2.
    LinuxSll2,
    /// Any other number.
    Unknown(u32),
}

impl LinkType {
    /// The link type of a pcap/pcapng LINKTYPE_ number (DLT_RAW's 12 and 14 included).
    pub fn from_linktype(n: u32) -> LinkType {
        match n {
            0 => LinkType::Null,
            1 => LinkType::Ethernet,
            12 | 14 | 101 => LinkType::Raw,
            108 => LinkType::Loop,
            113 => LinkType::LinuxSll,
            228 => LinkType::Ipv4,
            229 => LinkType::Ipv6,
            276 => LinkType::LinuxSll2,
            other => LinkType::Unknown(other),
        }
    }

    /// The LINKTYPE_ number written to pcap files.
    pub fn linktype(self) -> u32 {
        match self {
            LinkType::Null => 0,
            LinkType::Ethernet => 1,
            LinkType::Raw => 101,
            LinkType::Loop => 108,
            LinkType::LinuxSll => 113,
            LinkType::Ipv4 => 228,
            LinkType::Ipv6 => 229,
            LinkType::LinuxSll2 => 276,
            LinkType::Unknown(n) => n,
        }
    }

    /// libpcap's DLT name and description, as tcpdump prints them in
    /// `link-type EN10MB (Ethernet)`.
    pub fn names(self) -> Option<(&'static str, &'static str)> {
        Some(match self {
            LinkType::Null => ("NULL", "BSD loopback"),
            LinkType::Ethernet => ("EN10MB", "Ethernet"),
            LinkType::Raw => ("RAW", "Raw IP"),
            LinkType::Loop => ("LOOP", "OpenBSD loopback"),
            LinkType::LinuxSll => ("LINUX_SLL", "Linux cooked v1"),
            LinkType::Ipv4 => ("IPV4", "Raw IPv4"),
            LinkType::Ipv6 => ("IPV6", "Raw IPv6"),
            LinkType::LinuxSll2 => ("LINUX_SLL2", "Linux cooked v2"),
            LinkType::Unknown(105) => ("IEEE802_11", "802.11"),
            LinkType::Unknown(127) => ("IEEE802_11_RADIO", "802.11 plus radiotap header"),
            // Link types the printers decode without a variant of their own (print/link.rs).
            LinkType::Unknown(9) => ("PPP", "PPP"),
            LinkType::Unknown(50) => ("PPP_SERIAL", "PPP over serial"),
            LinkType::Unknown(51) => ("PPP_ETHER", "PPPoE"),
            LinkType::Unknown(166) => ("PPP_PPPD", "PPP for pppd, with direction flag"),
            LinkType::Unknown(239) => ("NFLOG", "Linux netfilter log messages"),
            LinkType::Unknown(104) => ("C_HDLC", "Cisco HDLC"),
            LinkType::Unknown(8) => ("SLIP", "SLIP"),
            LinkType::Unknown(15 | 102) => ("SLIP_BSDOS", "BSD/OS SLIP"),
            LinkType::Unknown(107) => ("FRELAY", "Frame Relay"),
            LinkType::Unknown(182) => ("MFR", "FRF.16 Frame Relay"),
            LinkType::Unknown(226) => ("IPNET", "Solaris ipnet"),
            LinkType::Unknown(242) => ("IPOIB", "RFC 4391 IP-over-Infiniband"),
            LinkType::Unknown(271) => ("VSOCK", "Linux vsock"),
            LinkType::Unknown(281) => ("DSA_TAG_BRCM", "Broadcom tag"),
            LinkType::Unknown(282) => ("DSA_TAG_BRCM_PREPEND", "Broadcom tag (prepended)"),
            LinkType::Unknown(284) => ("DSA_TAG_DSA", "Marvell DSA"),
            LinkType::Unknown(285) => ("DSA_TAG_EDSA", "Marvell EDSA"),
            LinkType::Unknown(_) => return None,
        })
    }
}

impl fmt::Display for LinkType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.names() {
            Some((name, descr)) => write!(f, "{name} ({descr})"),
            None => write!(f, "{}", self.linktype()),
        }
    }
}

/// One captured packet: the bytes captured (`data`, the capture length is `data.len()`) and the
/// packet's length on the wire (`len`, at least `data.len()` for a well-formed record).
#[derive(Debug, Clone, Copy)]
pub struct Record<'a> {
    pub ts: Timestamp,
    pub len: u32,
    pub link: LinkType,
    pub data: &'a [u8],
}

impl<'a> Record<'a> {
    /// An Ethernet record for tests: `data` captured of `len` bytes at `sec`.`nsec`.
    #[cfg(test)]
    pub(crate) fn ethernet(sec: i64, nsec: u32, data: &'a [u8], len: u32) -> Self {
        Record {
            ts: Timestamp { sec, nsec },
            len,
            link: LinkType::Ethernet,
            data,
        }
    }

    /// The number of bytes captured.
    pub fn caplen(&self) -> u32 {
        u32::try_from(self.data.len()).unwrap_or(u32::MAX)
    }
}
