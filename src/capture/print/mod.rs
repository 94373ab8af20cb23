//! tcpdump 4.99.3 printers: one file per tcpdump printer, each citing the file it mirrors.
//!
//! A printer is a deterministic function of the options, the session state (`State`), the
//! captured bytes and the on-wire length. It appends text to `Nd::out` and returns
//! `PResult`; `Err(Trunc)` plays tcpdump's `ND_TCHECK` + longjmp: the top level appends
//! ` [|proto]` with the protocol named in `Nd::protocol` at that moment.
//!
//! Must not do I/O, read clocks or use globals.

#![deny(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

use std::net::IpAddr;

pub mod arp;
pub mod domain;
pub mod ether;
pub mod frame;
pub mod hexdump;
pub mod icmp;
pub mod icmp6;
pub mod icmp6_misc;
pub mod ip;
pub mod ip6;
pub mod ipproto;
pub mod ipsec;
pub mod link;
pub mod mobility;
pub mod mptcp;
pub mod names;
pub mod options;
pub mod seq;
pub mod tcp;
pub mod tcp_opts;
pub mod time;
pub mod udp;

pub use frame::Printer;
pub use names::{Names, PortProto};
pub use options::PrintOptions;

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
}

// Bounds-checked reads: tcpdump's GET_U_1, GET_BE_U_2, GET_BE_U_4 and ND_TCHECK_LEN.

/// The byte at `at`.
pub fn get_u8(buf: &[u8], at: usize) -> PResult<u8> {
    buf.get(at).copied().ok_or(Trunc)
}

/// The big-endian u16 at `at`.
pub fn get_be_u16(buf: &[u8], at: usize) -> PResult<u16> {
    get_array(buf, at).map(u16::from_be_bytes)
}

/// The big-endian u32 at `at`.
pub fn get_be_u32(buf: &[u8], at: usize) -> PResult<u32> {
    get_array(buf, at).map(u32::from_be_bytes)
}

/// `N` bytes from `at`, as an array.
pub fn get_array<const N: usize>(buf: &[u8], at: usize) -> PResult<[u8; N]> {
    get_bytes(buf, at, N)?.try_into().map_err(|_| Trunc)
}

/// `len` bytes from `at`.
pub fn get_bytes(buf: &[u8], at: usize, len: usize) -> PResult<&[u8]> {
    let end = at.checked_add(len).ok_or(Trunc)?;
    buf.get(at..end).ok_or(Trunc)
}

/// Whether `len` bytes from `at` were captured (tcpdump's `ND_TTEST_LEN`).
pub fn ttest(buf: &[u8], at: usize, len: usize) -> bool {
    at.checked_add(len).is_some_and(|end| end <= buf.len())
}

/// `Err(Trunc)` unless `len` bytes from `at` were captured (tcpdump's `ND_TCHECK_LEN`).
pub fn tcheck(buf: &[u8], at: usize, len: usize) -> PResult {
    if ttest(buf, at, len) {
        Ok(())
    } else {
        Err(Trunc)
    }
}

/// Scaffolding shared by the printers' unit tests.
#[cfg(test)]
pub(crate) mod testing {
    use super::{Names, Nd, PrintOptions, State};

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
}
