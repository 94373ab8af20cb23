//! TCP (RFC 9293), mirroring `tcp_print` in print-tcp.c at tcpdump-4.99.3.
//!
//! Options are printed by `tcp_opts`, MPTCP options by `mptcp`. The payload goes to the
//! application printer print-tcp.c's port chain picks (`app`): telnet, SMTP, whois, SSH, FTP,
//! HTTP, RTSP, DNS and LDP are decoded; on the other ports of the chain this printer prints
//! what it prints on any other port.
//!
//! Must not import `wire` views of other layers, `echo`, or do I/O.

use super::names::{ipaddr_string, print_endpoints};
use super::seq::{Relative, Segment};
use super::tcp_opts::{self, OptCtx};
use super::tok::{TCP_FLAG_VALUES, TH_ACK, TH_FIN, TH_RST, TH_SYN, TH_URG};
use super::util::{fn_print_char, print_trunc, shouldbe, transport_checksum, write_hex};
use super::{get_be_u16, get_be_u32, get_bytes, get_u8, ttest, IpCtx, Nd, PResult};
use crate::nd_print;

/// The fixed header's length (print-tcp.c `sizeof(*tp)`).
const HDR_LEN: u32 = 20;

/// The application printers of print-tcp.c's `tcp_print`, one per branch of its port chain
/// (tcp.h names the ports). Branches whose printer echolab lacks print nothing after
/// `, length N`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum App {
    Telnet,
    Smtp,
    Whois,
    Bgp,
    Pptp,
    Redis,
    Ssh,
    Beep,
    Openflow,
    Ftp,
    Http,
    Rtsp,
    Domain,
    Msdp,
    RpkiRtr,
    Ldp,
    /// NFS over RPC, when the payload holds a record mark and the call or reply direction.
    Nfs,
    /// No branch: nothing after `, length N`.
    None,
}

/// The printer print-tcp.c's `tcp_print` chooses for these ports: the first branch of its
/// chain that matches, in its order (`IS_SRC_OR_DST_PORT`). NetBIOS (139) and SMB (445) need
/// a build with SMB printing, which Debian's lacks.
pub fn app(sport: u16, dport: u16) -> App {
    let either = |p: u16| sport == p || dport == p;
    match () {
        _ if either(23) => App::Telnet,
        _ if either(25) => App::Smtp,
        _ if either(43) => App::Whois,
        _ if either(179) => App::Bgp,
        _ if either(1723) => App::Pptp,
        _ if either(6379) => App::Redis,
        _ if either(22) => App::Ssh,
        _ if either(10288) => App::Beep,
        _ if either(6633) || either(6653) => App::Openflow,
        _ if either(21) => App::Ftp,
        _ if either(80) || either(8080) => App::Http,
        _ if either(554) || either(8554) => App::Rtsp,
        _ if either(53) => App::Domain,
        _ if either(639) => App::Msdp,
        _ if either(323) => App::RpkiRtr,
        _ if either(646) => App::Ldp,
        _ if either(2049) => App::Nfs,
        _ => App::None,
    }
}

/// At most this many RST data bytes are printed (print-tcp.c `MAX_RST_DATA_LEN`).
const MAX_RST_DATA_LEN: u32 = 30;

/// The fixed header's fields.
struct Header {
    sport: u16,
    dport: u16,
    seq: u32,
    ack: u32,
    hlen: u32,
    flags: u8,
    win: u16,
    urp: u16,
}

/// Print from the start of the tcp header; `len` is the on-wire length from there.
pub fn print(nd: &mut Nd<'_>, data: &[u8], len: u32, ip: &IpCtx) -> PResult {
    nd.protocol = "tcp";
    if !ttest(data, 2, 2) {
        let (src, dst) = (ipaddr_string(nd, ip.src), ipaddr_string(nd, ip.dst));
        nd_print!(nd, "{} > {}:", src, dst);
        print_trunc(nd);
        return Ok(());
    }
    let sport = get_be_u16(data, 0)?;
    let dport = get_be_u16(data, 2)?;
    print_endpoints(nd, ip, sport, dport, true);
    if !ttest(data, 0, HDR_LEN as usize) {
        print_trunc(nd);
        return Ok(());
    }
    let h = read_header(data)?;
    if h.hlen < HDR_LEN {
        nd_print!(
            nd,
            " tcp {} [bad hdr length {} - too short, < {}]",
            len.wrapping_sub(h.hlen),
            h.hlen,
            HDR_LEN
        );
        return Ok(());
    }
    if nd.opts.q > 0 {
        nd_print!(nd, "tcp {}", len.wrapping_sub(h.hlen));
        if h.hlen > len {
            nd_print!(nd, " [bad hdr length {} - too long, > {}]", h.hlen, len);
        }
        return Ok(());
    }
    print_flags(nd, h.flags);
    let rel = relate(nd, &h, ip);
    if h.hlen > len {
        nd_print!(nd, " [bad hdr length {} - too long, > {}]", h.hlen, len);
        return Ok(());
    }
    print_checksum(nd, data, len, ip)?;
    let paylen = len - h.hlen;
    print_numbers(nd, &h, &rel, paylen);
    if h.hlen > HDR_LEN {
        let ctx = OptCtx {
            flags: h.flags,
            rel,
            hlen: h.hlen,
            paylen,
        };
        if !tcp_opts::print(nd, data, &ctx)? {
            return Ok(());
        }
    }
    nd.print(", length ");
    nd.print_u32(paylen);
    if paylen == 0 {
        return Ok(());
    }
    print_payload(nd, data, &h, paylen)
}

fn read_header(data: &[u8]) -> PResult<Header> {
    Ok(Header {
        sport: get_be_u16(data, 0)?,
        dport: get_be_u16(data, 2)?,
        seq: get_be_u32(data, 4)?,
        ack: get_be_u32(data, 8)?,
        hlen: u32::from(get_u8(data, 12)? >> 4) * 4,
        flags: get_u8(data, 13)?,
        win: get_be_u16(data, 14)?,
        urp: get_be_u16(data, 18)?,
    })
}

/// `Flags [S.]`, or `Flags [none]` (util-print.c `bittok2str_nosep`, written out for this
/// table of single bits: it runs for every segment).
fn print_flags(nd: &mut Nd<'_>, flags: u8) {
    nd.print("Flags [");
    if flags == 0 {
        nd.print("none");
    }
    for (bit, name) in TCP_FLAG_VALUES {
        if u32::from(flags) & bit != 0 {
            nd.print(name);
        }
    }
    nd.print("]");
}

/// Relative numbers unless `-S`; only ACK segments touch the table.
fn relate(nd: &mut Nd<'_>, h: &Header, ip: &IpCtx) -> Relative {
    if nd.opts.s_abs > 0 || h.flags & TH_ACK == 0 {
        return Relative::absolute(h.seq, h.ack);
    }
    nd.state.tcp.relate(&Segment {
        src: ip.src,
        dst: ip.dst,
        sport: h.sport,
        dport: h.dport,
        seq: h.seq,
        ack: h.ack,
        syn: h.flags & TH_SYN != 0,
    })
}

/// `, cksum 0x1234 (correct)` at `-v`, when the whole segment was captured and it is not a
/// fragment.
fn print_checksum(nd: &mut Nd<'_>, data: &[u8], len: u32, ip: &IpCtx) -> PResult {
    if nd.opts.v == 0 || nd.opts.k > 0 || ip.fragmented || !ttest(data, 0, len as usize) {
        return Ok(());
    }
    let seg = get_bytes(data, 0, len as usize)?;
    let sum = transport_checksum(ip.src, ip.pseudo_dst, 6, seg);
    let field = get_be_u16(data, 16)?;
    nd.print(", cksum 0x");
    write_hex(nd.out, u32::from(field), 4);
    if sum != 0 {
        nd.print(" (incorrect -> 0x");
        write_hex(nd.out, u32::from(shouldbe(field, sum)), 4);
        nd.print(")");
    } else {
        nd.print(" (correct)");
    }
    Ok(())
}

/// `, seq a:b, ack c, win w, urg u`.
fn print_numbers(nd: &mut Nd<'_>, h: &Header, rel: &Relative, paylen: u32) {
    if nd.opts.v > 1 || paylen > 0 || h.flags & (TH_SYN | TH_FIN | TH_RST) != 0 {
        nd.print(", seq ");
        nd.print_u32(rel.seq);
        if paylen > 0 {
            nd.print(":");
            nd.print_u32(rel.seq.wrapping_add(paylen));
        }
    }
    if h.flags & TH_ACK != 0 {
        nd.print(", ack ");
        nd.print_u32(rel.ack);
    }
    nd.print(", win ");
    nd.print_u32(u32::from(h.win));
    if h.flags & TH_URG != 0 {
        nd.print(", urg ");
        nd.print_u32(u32::from(h.urp));
    }
}

/// After `, length N`: the header must have been captured; RST data is shown at `-v`.
fn print_payload(nd: &mut Nd<'_>, data: &[u8], h: &Header, paylen: u32) -> PResult {
    let hlen = h.hlen as usize;
    if !ttest(data, 0, hlen) {
        nd_print!(
            nd,
            " [remaining caplen({}) < header length({})]",
            data.len(),
            hlen
        );
        return Err(super::Trunc);
    }
    if h.flags & TH_RST != 0 && nd.opts.v > 0 {
        return print_rst_data(nd, data.get(hlen..).unwrap_or(&[]), paylen);
    }
    let body = data.get(hlen..).unwrap_or(&[]);
    if let Some(pt) = nd.opts.packettype {
        // print-tcp.c: `-T` picks the printer (or none) whatever the ports.
        if pt == super::options::PacketType::Domain {
            return super::domain::domain_print(nd, body, paylen, true, false);
        }
        if pt == super::options::PacketType::Resp {
            return super::resp::print(nd, body, paylen);
        }
        if pt == super::options::PacketType::Zmtp1 {
            return super::zmtp1::print(nd, body, paylen);
        }
        return Ok(());
    }
    // print-tcp.c `tcp_print`: the printers of the text protocols follow a `: `.
    match app(h.sport, h.dport) {
        App::Telnet => super::telnet::print(nd, body, paylen),
        App::Smtp => colon_then(nd, super::smtp::print, body, paylen),
        App::Whois => colon_then(nd, super::whois::print, body, paylen),
        App::Ssh => super::ssh::print(nd, body, paylen),
        App::Ftp => colon_then(nd, super::ftp::print, body, paylen),
        App::Http => colon_then(nd, super::http::print, body, paylen),
        App::Rtsp => colon_then(nd, super::rtsp::print, body, paylen),
        App::Domain => super::domain::domain_print(nd, body, paylen, true, false),
        App::Pptp => super::pptp::print(nd, body),
        App::Redis => super::resp::print(nd, body, paylen),
        App::Ldp => super::ldp::print(nd, body, paylen),
        _ => Ok(()),
    }
}

/// `: ` and the payload as `print` prints it.
fn colon_then(
    nd: &mut Nd<'_>,
    print: fn(&mut Nd<'_>, &[u8], u32) -> PResult,
    body: &[u8],
    paylen: u32,
) -> PResult {
    nd.print(": ");
    print(nd, body, paylen)
}

/// ` [RST text]`: the data of a RST, as escaped characters (print-tcp.c
/// `print_tcp_rst_data`; RFC 1122 section 4.2.2.12).
fn print_rst_data(nd: &mut Nd<'_>, body: &[u8], paylen: u32) -> PResult {
    nd.print(if ttest(body, 0, paylen as usize) {
        " [RST"
    } else {
        " [!RST"
    });
    let mut n = paylen;
    if n > MAX_RST_DATA_LEN {
        n = MAX_RST_DATA_LEN;
        nd.print("+");
    }
    nd.print(" ");
    for &c in body.iter().take(n as usize) {
        fn_print_char(nd, c);
    }
    nd.print("]");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capture::print::testing::{ctx, opts, with_state};
    use crate::capture::print::State;
    use proptest::prelude::*;

    /// Print `data` with on-wire length `len` at verbosity `v`: the text and the result.
    fn run(data: &[u8], len: u32, v: u8, state: &mut State) -> (String, PResult) {
        with_state(&opts(v), state, |nd| print(nd, data, len, &ctx(false)))
    }

    /// A SYN from 000_85775b57d986e02e.txt: ports 46096 > 4002, mss, sackOK, TS, nop, wscale.
    const SYN: [u8; 40] = [
        0xb4, 0x10, 0x0f, 0xa2, // ports
        0x84, 0xd9, 0xeb, 0x45, // seq
        0x00, 0x00, 0x00, 0x00, // ack
        0xa0, 0x02, 0x80, 0x18, // data offset 10, SYN, window
        0x7e, 0x1e, 0x00, 0x00, // checksum, urgent pointer
        0x02, 0x04, 0x40, 0x0c, // mss 16396
        0x04, 0x02, 0x08, 0x0a, // sackOK, TS
        0x7e, 0x82, 0x5f, 0x1c, // TS val
        0x00, 0x00, 0x00, 0x00, // TS ecr
        0x01, 0x03, 0x03, 0x05, // nop, wscale 5
    ];

    #[test]
    fn shouldbe_adds_with_end_around_carry() {
        assert_eq!(shouldbe(0xffff, 0x0002), 0x0002);
        assert_eq!(shouldbe(0x1234, 0x0001), 0x1235);
    }

    #[test]
    fn the_port_chain_keeps_tcpdumps_order() {
        // Telnet is checked before HTTP, SSH before FTP, HTTP before DNS.
        assert_eq!(app(23, 80), App::Telnet);
        assert_eq!(app(21, 22), App::Ssh);
        assert_eq!(app(53, 8080), App::Http);
        assert_eq!(app(40000, 53), App::Domain);
        assert_eq!(app(139, 445), App::None);
        assert_eq!(app(5060, 40000), App::None);
    }

    #[test]
    fn whole_syn_prints_its_options_and_length() {
        let (out, r) = run(&SYN, 40, 0, &mut State::default());
        assert_eq!(r, Ok(()));
        assert!(out.contains("Flags [S]"), "{out}");
        assert!(out.ends_with("length 0"), "{out}");
    }

    #[test]
    fn every_prefix_prints_without_panic_and_says_where_it_stopped() {
        for cut in 0..SYN.len() {
            let (out, r) = run(SYN.get(..cut).unwrap_or(&[]), 40, 2, &mut State::default());
            // Either the printer reported truncation itself or it left it to the top level.
            assert!(out.contains("[|tcp]") || r.is_err(), "cut {cut}: {out}");
            assert!(!out.contains("length 0"), "cut {cut}: {out}");
        }
    }

    #[test]
    fn ack_segments_become_relative_to_the_first_seen() {
        let mut state = State::default();
        let mut seg = SYN;
        seg[13] = TH_ACK;
        seg[12] = 0x50;
        let (first, _) = run(seg.get(..20).unwrap_or(&[]), 20, 0, &mut state);
        let (second, _) = run(seg.get(..20).unwrap_or(&[]), 20, 0, &mut state);
        assert!(first.contains("ack 0,"), "{first}");
        assert!(second.contains("ack 1,"), "{second}");
        assert!(!first.contains("seq") && !second.contains("seq"));
    }

    proptest! {
        #[test]
        fn arbitrary_segments_never_panic(
            data in proptest::collection::vec(any::<u8>(), 0..80),
            extra in 0u32..70000,
            v in 0u8..4,
        ) {
            let len = (data.len() as u32).saturating_add(extra);
            let _ = run(&data, len, v, &mut State::default());
            let _ = run(&data, extra, v, &mut State::default());
        }
    }
}
