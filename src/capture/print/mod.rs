//! tcpdump 4.99.3 printers: one file per tcpdump printer, each citing the file it mirrors.
//!
//! A printer is a deterministic function of the options, the session state (`State`), the
//! captured bytes and the on-wire length. It appends text to `Nd::out` and returns
//! `PResult`; `Err(Trunc)` plays tcpdump's `ND_TCHECK` + longjmp: the top level appends
//! ` [|proto]` with the protocol named in `Nd::protocol` at that moment.
//!
//! Must not do I/O, read clocks or use globals: name tables (hosts, ports, Ethernet
//! addresses, interfaces) are loaded by the caller (`crate::capture::names`) and handed to the
//! [`Printer`]; the printers only look them up.
//!
//! # Who may import whom
//!
//! - Shared helpers, importing no printer: `util` (util-print.c: `GET_*` readers, ` [|proto]`
//!   and ` (invalid)`, checksum verdicts, hex, `fn_print_char`, bounded string printers),
//!   `tok` (`struct tok` tables with `tok2str`/`bittok2str`, ethertypes, TCP flags), `names`
//!   (addrtoname.c lookups in the caller's tables), `hexdump` (print-ascii.c), `seq` and
//!   `time` (session state), `options`.
//! - Every printer imports only those helpers, the demultiplexers below and `wire` offsets.
//!   A helper two printers need goes to `util` or `tok`, never into one of them.
//! - Demultiplexers: `frame` -> `link` -> `ether` (ethertype and LLC dispatch) -> `arp`, `ip`,
//!   `ip6`; `ip`/`ip6` -> `ipproto::demux` -> the transport printers (`tcp`, `udp`, `icmp`,
//!   `icmp6`, `ipsec`, back to `ip`/`ip6` for tunnels).
//! - A printer may call the printer of the protocol it carries (`tcp` -> `tcp_opts` ->
//!   `mptcp`, `ip6` -> `mobility`, `icmp6` -> `icmp6_misc`, `domain`), as tcpdump's do.
//! - The only circles are the protocols' own recursion: IP in IP through `ipproto`, an ICMP
//!   or ICMPv6 error quoting the datagram it answers (`icmp` -> `ip::print_nested` ->
//!   `ipproto`), and the tunnels carrying frames or packets back to `ether`, `ip`, `ip6`,
//!   `mpls` and `ppp` (`gre`, `vxlan`, `vxlan_gpe`, `nsh`, `geneve`, `mpls`, `pppoe`, `l2tp`).

#![deny(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

use std::net::IpAddr;

pub mod ahcp;
pub mod aodv;
pub mod aoe;
pub mod arista;
pub mod arp;
pub mod babel;
pub mod bcm_li;
pub mod bfd;
pub mod bootp;
pub mod brcmtag;
pub mod cdp;
pub mod cfm;
pub mod chdlc;
pub mod dhcp6;
pub mod digits;
pub mod domain;
pub mod dsa;
pub mod dtp;
pub mod dvmrp;
pub mod eap;
pub mod eigrp;
pub mod ether;
pub mod fr;
pub mod frame;
pub mod ftp;
pub mod geneve;
pub mod geonet;
pub mod gmpls;
pub mod gre;
pub mod hexdump;
pub mod hsrp;
pub mod http;
pub mod icmp;
pub mod icmp6;
pub mod icmp6_misc;
pub mod ieee802_11;
pub mod igmp;
pub mod ip;
pub mod ip6;
pub mod ipnet;
pub mod ipproto;
pub mod ipsec;
pub mod isoclns;
pub mod krb;
pub mod l2tp;
pub mod ldp;
pub mod link;
pub mod llc;
pub mod lldp;
pub mod lspping;
pub mod mobility;
pub mod mpls;
pub mod mptcp;
pub mod msnlb;
pub mod names;
pub mod nflog;
pub mod nsh;
pub mod ntp;
pub mod olsr;
pub mod options;
pub mod ospf;
pub mod ospf6;
pub mod pgm;
pub mod pim;
pub mod ppp;
pub mod pppoe;
pub mod pptp;
pub mod ptp;
pub mod radius;
pub mod resp;
pub mod rip;
pub mod ripng;
pub mod rtsp;
pub mod rx;
pub mod seq;
pub mod sflow;
pub mod sip;
pub mod sl;
pub mod slow;
pub mod smtp;
pub mod snmp;
pub mod ssh;
pub mod stp;
pub mod syslog;
pub mod tcp;
pub mod tcp_opts;
pub mod telnet;
pub mod textcache;
pub mod tftp;
pub mod time;
pub mod tok;
pub mod txtproto;
pub mod udld;
pub mod udp;
pub mod util;
pub mod vrrp;
pub mod vtp;
pub mod vxlan;
pub mod vxlan_gpe;
pub mod whois;
pub mod zmtp1;

pub use frame::Printer;
pub use names::{Names, PortProto};
pub use options::PrintOptions;
pub use util::{get_array, get_be_u16, get_be_u32, get_bytes, get_u8, tcheck, ttest};

/// The captured bytes ended before the printer's next read (tcpdump's longjmp on truncation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Trunc;

/// The result of a printer.
pub type PResult<T = ()> = Result<T, Trunc>;

/// Printer state that lives across packets (tcpdump keeps it in globals).
#[derive(Debug, Default)]
pub struct State {
    /// Relative sequence number bookkeeping (print-tcp.c `tcp_seq_hash`).
    pub tcp: seq::SeqTable,
    /// Timestamps of the first and previous packets, for `-ttt` and `-ttttt`.
    pub time: time::TimeState,
    /// AFS Rx calls, to decode their replies (print-rx.c `rx_cache`).
    pub rx: rx::RxCache,
    /// The text of recent conversations' addresses and ports (`names::print_endpoints`):
    /// 1,024 conversations, 56 bytes each (IPv4) reserved.
    pub endpoints: textcache::TextCache<names::EndpointKey, 1024, 56>,
    /// The text of recent Ethernet address pairs (`-e`).
    pub macs: textcache::TextCache<ether::MacPair, 64, 40>,
    /// The text of recent ethertypes (`-e`).
    pub ethertypes: textcache::TextCache<u16, 16, 32>,
    /// The date text of recent days of NTP time stamps (`-v`).
    pub ntp_days: textcache::TextCache<i64, 16, 16>,
    /// The text of recent SNMP object identifiers.
    pub oids: textcache::TextCache<snmp::OidKey, 128, 112>,
    /// SLIP data lengths per direction and connection (print-sl.c `lastlen`, `lastconn`).
    pub sl: sl::SlipState,
}

/// What one packet's printers share: tcpdump's `netdissect_options` for a single packet.
pub struct Nd<'a> {
    pub opts: &'a PrintOptions,
    pub state: &'a mut State,
    /// Host, port, Ethernet and interface names, loaded by the caller (addrtoname.c's tables).
    pub names: &'a names::Names,
    pub out: &'a mut String,
    /// The protocol being printed, named in ` [|proto]` on truncation.
    pub protocol: &'static str,
    /// Link-layer header length, for the hex dump that follows (tcpdump's `ndo_ll_hdr_len`).
    pub ll_hdr_len: usize,
}

impl Nd<'_> {
    /// Append text (tcpdump's `ND_PRINT`).
    pub fn print(&mut self, s: &str) {
        self.out.push_str(s);
    }

    /// Append `n` in decimal (`%u`) without the formatting machinery.
    pub fn print_u32(&mut self, n: u32) {
        digits::write_u32(self.out, n);
    }

    /// Append an integer as `{}` writes it, without the formatting machinery.
    pub fn print_dec(&mut self, n: impl digits::Decimal) {
        n.write_decimal(self.out);
    }

    /// Append what `{}` writes of a value that is not an integer (a name table's text).
    pub fn print_display(&mut self, v: impl std::fmt::Display) {
        use std::fmt::Write as _;
        // Writing to a String cannot fail.
        let _ = write!(self.out, "{v}");
    }

    /// Append a name from a table, or its `unknown` text (`tok2str`).
    pub fn print_tok(&mut self, t: tok::Tok2Str) {
        t.write_to(self.out);
    }

    /// Append an unsigned integer as `{:0WIDTHx}` writes it (`{:x}` for width 0).
    pub fn print_hex(&mut self, n: impl digits::LowerHex, width: usize) {
        n.write_lower_hex(self.out, width);
    }

    /// Append an unsigned integer as `{:0WIDTH}` writes it.
    pub fn print_pad(&mut self, n: impl digits::PadDecimal, width: usize) {
        n.write_padded(self.out, width);
    }
}

/// `write!` into the packet's output: `nd_print!(nd, "{}", x)`.
#[macro_export]
macro_rules! nd_print {
    ($nd:expr, $($arg:tt)*) => {{
        use ::std::fmt::Write as _;
        // Writing to a String cannot fail.
        let _ = write!($nd.out, $($arg)*);
    }};
}

/// What an IPv4 or IPv6 printer hands the transport printers (tcpdump passes `bp2`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IpCtx {
    pub src: IpAddr,
    pub dst: IpAddr,
    /// The destination in the transport pseudo-header: `dst`, or for IPv6 the final
    /// destination of a routing header (RFC 8200 section 8.1).
    pub pseudo_dst: IpAddr,
    /// The datagram is a fragment (more fragments or a non-zero offset).
    pub fragmented: bool,
    /// Printed inside an ICMP error's quoted datagram.
    pub nested: bool,
    /// IPv6 extension headers (or an authentication header, over IPv4 too) stand between the
    /// IP header and this one, so the header's protocol field names another protocol:
    /// tcpdump's TCP and UDP printers then print only the ports, without the addresses
    /// (print-tcp.c `tcp_print`, print-udp.c `udpipaddr_print` at tcpdump-4.99.3 compare
    /// `ip6_nxt` / `ip_p` with their protocol).
    pub after_ext_headers: bool,
    /// The IPv4 time to live or IPv6 hop limit (print-ip-demux.c hands it to VRRP, which
    /// names any other value than 255).
    pub ttl: u8,
}

/// Scaffolding shared by the printers' unit tests.
/// A property test for a printer `print(nd, data, len)`: any bytes, any on-wire length
/// (shorter or longer than what was captured) and any verbosity print without a panic.
#[cfg(test)]
#[macro_export]
macro_rules! arbitrary_bytes_never_panic {
    ($print:expr) => {
        proptest::proptest! {
            #[test]
            fn arbitrary_bytes_never_panic(
                data in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..120),
                len in 0u32..184,
                v in 0u8..4,
            ) {
                let o = $crate::capture::print::PrintOptions { n: 2, v, e: v & 1, ..Default::default() };
                $crate::capture::print::testing::with_nd(&o, |nd| {
                    let _ = ($print)(nd, &data, len);
                });
            }
        }
    };
}

/// The robustness tests of a printer `print(nd, data, length: usize)` that checks each
/// field before it reads it: every proper prefix of the PDU `$sample` unwinds with `Trunc`
/// at `-v`, and [`arbitrary_bytes_never_panic`] with the on-wire length as a `usize`.
#[cfg(test)]
#[macro_export]
macro_rules! every_prefix_stops_at_the_capture {
    ($print:expr, $sample:expr) => {
        #[test]
        fn every_prefix_stops_at_the_capture() {
            let d: Vec<u8> = $sample;
            for cut in 0..d.len() {
                let cut_data = d.get(..cut).unwrap_or(&[]);
                let (_, r) = $crate::capture::print::testing::run($print, cut_data, d.len(), 1);
                assert!(r.is_err(), "cut {cut}");
            }
        }

        $crate::arbitrary_bytes_never_panic!(|nd: &mut $crate::capture::print::Nd<'_>,
                                              data: &[u8],
                                              len: u32| {
            ($print)(nd, data, len as usize)
        });
    };
}

#[cfg(test)]
pub(crate) mod testing {
    use super::{IpCtx, Names, Nd, PrintOptions, State};
    use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

    /// Loopback addresses, IPv6 (`v6`) or IPv4, as an IP printer hands them to TCP or UDP.
    pub(crate) fn ctx(v6: bool) -> IpCtx {
        let (src, dst): (IpAddr, IpAddr) = if v6 {
            (Ipv6Addr::LOCALHOST.into(), Ipv6Addr::LOCALHOST.into())
        } else {
            (Ipv4Addr::LOCALHOST.into(), Ipv4Addr::LOCALHOST.into())
        };
        IpCtx {
            src,
            dst,
            pseudo_dst: dst,
            fragmented: false,
            nested: false,
            after_ext_headers: false,
            ttl: 64,
        }
    }

    /// The options most printer tests use: numeric output (`-nn`) at verbosity `v`.
    pub(crate) fn opts(v: u8) -> PrintOptions {
        PrintOptions {
            n: 2,
            v,
            ..PrintOptions::default()
        }
    }

    /// Run `f` on a fresh `Nd` over `opts` and `state`; returns the text written and `f`'s
    /// result, e.g. `with_state(&opts, &mut state, |nd| print(nd, data, len))`.
    pub(crate) fn with_state<T>(
        opts: &PrintOptions,
        state: &mut State,
        f: impl FnOnce(&mut Nd<'_>) -> T,
    ) -> (String, T) {
        let mut out = String::new();
        let names = Names::default();
        let mut nd = Nd {
            opts,
            state,
            names: &names,
            out: &mut out,
            protocol: "",
            ll_hdr_len: 0,
        };
        let r = f(&mut nd);
        (out, r)
    }

    /// [`with_state`] with a fresh session state.
    pub(crate) fn with_nd<T>(opts: &PrintOptions, f: impl FnOnce(&mut Nd<'_>) -> T) -> (String, T) {
        with_state(opts, &mut State::default(), f)
    }

    /// A printer `print(nd, data, len)` run on a fresh `Nd` over [`opts`]`(v)`: the text
    /// written and the result.
    pub(crate) fn run<L, T>(
        print: impl FnOnce(&mut Nd<'_>, &[u8], L) -> T,
        data: &[u8],
        len: L,
        v: u8,
    ) -> (String, T) {
        with_nd(&opts(v), |nd| print(nd, data, len))
    }
}
