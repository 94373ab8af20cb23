//! IPv4 (print-ip.c at tcpdump-4.99.3): header, options, checksum verdict and fragments;
//! payloads go to `ipproto::demux`.
//!
//! Must not do I/O: it only reads the captured bytes.

use std::net::Ipv4Addr;

use super::ipproto::{demux, has_ports, ipproto_name, print_proto_word};
use super::names::{print_addr, print_src_dst};
use super::util::{print_invalid, print_trunc, write_hex};
use super::{get_array, get_be_u16, get_be_u32, get_u8, tcheck, ttest, IpCtx, Nd, PResult, Trunc};
use crate::capture::wire::checksum;

/// Print from the start of the ip header; `len` is the on-wire length from there.
pub fn print(nd: &mut Nd<'_>, data: &[u8], len: u32) -> PResult {
    print_ip(nd, data, len, false)
}

/// Print the IPv4 datagram quoted in an ICMP error (transport printers see `nested`).
pub fn print_nested(nd: &mut Nd<'_>, data: &[u8], len: u32) -> PResult {
    print_ip(nd, data, len, true)
}

use crate::capture::wire::ipv4::{
    FLAG_DF as IP_DF, FLAG_MF as IP_MF, FLAG_RESERVED as IP_RES, HEADER_LEN as IP_HDR_LEN,
    OFFSET_MASK as IP_OFFMASK,
};

/// The fixed header fields the printer uses.
struct Header {
    hlen: usize,
    off: u16,
    proto: u8,
    src: Ipv4Addr,
    dst: Ipv4Addr,
}

impl Header {
    fn read(data: &[u8]) -> PResult<Header> {
        Ok(Header {
            hlen: usize::from(get_u8(data, 0)? & 0x0f) * 4,
            off: get_be_u16(data, 6)?,
            proto: get_u8(data, 9)?,
            src: Ipv4Addr::from(get_array::<4>(data, 12)?),
            dst: Ipv4Addr::from(get_array::<4>(data, 16)?),
        })
    }
}

/// `ip_print`: version and length checks, the `-v` header, then the payload or fragment line.
fn print_ip(nd: &mut Nd<'_>, data: &[u8], length: u32, nested: bool) -> PResult {
    nd.protocol = "ip";
    let version = get_u8(data, 0)? >> 4;
    if version != 4 {
        if version == 6 {
            nd.print("IP6, wrong link-layer encapsulation");
        } else {
            nd.print("IP");
            nd.print_dec(version);
        }
        print_invalid(nd);
        return Ok(());
    }
    if nd.opts.e == 0 {
        nd.print("IP ");
    }
    if !ttest(data, 0, IP_HDR_LEN) {
        print_trunc(nd);
        return Ok(());
    }
    let Some(total) = check_lengths(nd, data, length)? else {
        return Ok(());
    };
    // tcpdump's nd_push_snaplen: nothing past the IP total length is this datagram's.
    let data = data.get(..total).unwrap_or(data);
    let h = Header::read(data)?;
    if nd.opts.v > 0 && !print_verbose(nd, data, &h)? {
        return Ok(());
    }
    let payload_len = u32::try_from(total - h.hlen).unwrap_or(u32::MAX);
    if h.off & IP_OFFMASK == 0 {
        print_first_fragment(nd, data, payload_len, &h, nested)
    } else {
        print_later_fragment(nd, &h);
        Ok(())
    }
}

/// The length checks of `ip_print`: `Some(total length)` when printing goes on.
fn check_lengths(nd: &mut Nd<'_>, data: &[u8], length: u32) -> PResult<Option<usize>> {
    if length < IP_HDR_LEN as u32 {
        nd.print("truncated-ip ");
        nd.print_dec(length);
        return Ok(None);
    }
    let hlen = usize::from(get_u8(data, 0)? & 0x0f) * 4;
    if hlen < IP_HDR_LEN {
        nd.print("bad-hlen ");
        nd.print_dec(hlen);
        return Ok(None);
    }
    let total = get_be_u16(data, 2)?;
    if length < u32::from(total) {
        {
            let v0 = u32::from(total) - length;
            nd.print("truncated-ip - ");
            nd.print_dec(v0);
            nd.print(" bytes missing! ");
        };
    }
    if usize::from(total) < hlen {
        nd.print("bad-len ");
        nd.print_dec(total);
        return Ok(None);
    }
    Ok(Some(usize::from(total)))
}

/// The `-v` parenthesis and the line break after it. `Ok(false)` when the options were
/// truncated and the packet's line is complete.
fn print_verbose(nd: &mut Nd<'_>, data: &[u8], h: &Header) -> PResult<bool> {
    let tos = get_u8(data, 1)?;
    nd.print("(tos 0x");
    write_hex(nd.out, u32::from(tos), 1);
    match tos & 0x03 {
        1 => nd.print(",ECT(1)"),
        2 => nd.print(",ECT(0)"),
        3 => nd.print(",CE"),
        _ => {}
    }
    let ttl = get_u8(data, 8)?;
    if ttl >= 1 {
        nd.print(", ttl ");
        nd.print_u32(u32::from(ttl));
    }
    let id = get_be_u16(data, 4)?;
    nd.print(", id ");
    nd.print_u32(u32::from(id));
    nd.print(", offset ");
    nd.print_u32(u32::from(h.off & IP_OFFMASK) * 8);
    nd.print(", flags [");
    print_frag_flags(nd, h.off);
    let proto = h.proto;
    nd.print("], proto ");
    nd.print(ipproto_name(proto));
    nd.print(" (");
    nd.print_u32(u32::from(proto));
    nd.print("), length ");
    nd.print_u32(u32::from(get_be_u16(data, 2)?));
    let mut truncated = false;
    if h.hlen > IP_HDR_LEN {
        nd.print(", options (");
        let opts = data.get(IP_HDR_LEN..).unwrap_or(&[]);
        if print_options(nd, opts, h.hlen - IP_HDR_LEN)? == OptEnd::Truncated {
            nd.print(" [truncated-option]");
            truncated = true;
        }
        nd.print(")");
    }
    if nd.opts.k == 0 {
        print_header_checksum(nd, data, h.hlen)?;
    }
    nd.print(")\n    ");
    if truncated {
        print_src_dst(nd, h.src.into(), h.dst.into());
        nd.print(": ");
        print_trunc(nd);
        return Ok(false);
    }
    Ok(true)
}

/// The fragment flags as `bittok2str` lists them: `+`, `DF`, `rsvd`, or `none`.
fn print_frag_flags(nd: &mut Nd<'_>, off: u16) {
    const FLAGS: [(u16, &str); 3] = [(IP_MF, "+"), (IP_DF, "DF"), (IP_RES, "rsvd")];
    let mut sep = "";
    for (bit, name) in FLAGS {
        if off & bit != 0 {
            nd.print(sep);
            nd.print(name);
            sep = ", ";
        }
    }
    if sep.is_empty() {
        nd.print("none");
    }
}

/// `, bad cksum X (->Y)!` when the captured header does not sum to zero.
fn print_header_checksum(nd: &mut Nd<'_>, data: &[u8], hlen: usize) -> PResult {
    let Some(header) = data.get(..hlen) else {
        return Ok(());
    };
    let sum = checksum::checksum(header);
    if sum != 0 {
        let field = get_be_u16(data, 10)?;
        // The value the field should hold (in_cksum.c `in_cksum_shouldbe`).
        let mut should = u32::from(field) + u32::from(sum);
        should = (should & 0xffff) + (should >> 16);
        should = (should & 0xffff) + (should >> 16);
        nd.print(", bad cksum ");
        nd.print_hex(field, 0);
        nd.print(" (->");
        nd.print_hex(should, 0);
        nd.print(")!");
    }
    Ok(())
}

/// Fragment zero: hand the payload to the next protocol's printer.
fn print_first_fragment(
    nd: &mut Nd<'_>,
    data: &[u8],
    len: u32,
    h: &Header,
    nested: bool,
) -> PResult {
    if !has_ports(h.proto) {
        print_src_dst(nd, h.src.into(), h.dst.into());
        nd.print(": ");
    }
    if !ttest(data, 0, h.hlen) {
        {
            let v0 = data.len();
            nd.print(" [remaining caplen(");
            nd.print_dec(v0);
            nd.print(") < header length(");
            nd.print_dec(h.hlen);
            nd.print(")]");
        };
        return Err(Trunc);
    }
    let ctx = transport_ctx(data, h, nested);
    let payload = data.get(h.hlen..).unwrap_or(&[]);
    demux(nd, payload, len, 4, h.proto, &ctx)
}

/// What the transport printer of fragment zero is told: the more-fragments flag says whether
/// the datagram is fragmented.
fn transport_ctx(data: &[u8], h: &Header, nested: bool) -> IpCtx {
    IpCtx {
        src: h.src.into(),
        dst: h.dst.into(),
        pseudo_dst: final_dst(data, h).into(),
        fragmented: h.off & IP_MF != 0,
        nested,
        after_ext_headers: false,
        ttl: get_u8(data, 8).unwrap_or(0),
    }
}

/// A later fragment: only the addresses and the protocol (nothing at all with `-qq`).
fn print_later_fragment(nd: &mut Nd<'_>, h: &Header) {
    if nd.opts.q > 1 {
        return;
    }
    print_src_dst(nd, h.src.into(), h.dst.into());
    nd.print(":");
    print_proto_word(nd, h.proto);
}

/// The destination for the transport pseudo-header: the last address of the first source
/// route option (LSRR/SSRR) at least 7 bytes long, else the header's (print-ip.c
/// `ip_finddst`).
fn final_dst(data: &[u8], h: &Header) -> Ipv4Addr {
    let opts = data.get(IP_HDR_LEN..h.hlen).unwrap_or(&[]);
    let mut at = 0;
    while let Some(&code) = opts.get(at) {
        let len = match code {
            IPOPT_EOL => break,
            IPOPT_NOP => 1,
            _ => match opts.get(at + 1) {
                Some(&l) if l >= 2 => usize::from(l),
                _ => break,
            },
        };
        let Some(opt) = opts.get(at..at + len) else {
            break;
        };
        if matches!(code, IPOPT_SSRR | IPOPT_LSRR) && len >= 7 {
            if let Ok(addr) = get_array::<4>(opt, len - 4) {
                return Ipv4Addr::from(addr);
            }
        }
        at += len;
    }
    h.dst
}

const IPOPT_EOL: u8 = 0;
const IPOPT_NOP: u8 = 1;
const IPOPT_RR: u8 = 7;
const IPOPT_TS: u8 = 68;
const IPOPT_LSRR: u8 = 131;
const IPOPT_SSRR: u8 = 137;
const IPOPT_RA: u8 = 148;

/// IPv4 option names (print-ip.c `ip_option_values` at tcpdump-4.99.3).
const IP_OPTION_VALUES: [(u8, &str); 9] = [
    (IPOPT_EOL, "EOL"),
    (IPOPT_NOP, "NOP"),
    (IPOPT_TS, "timestamp"),
    (130, "security"),
    (IPOPT_RR, "RR"),
    (IPOPT_SSRR, "SSRR"),
    (IPOPT_LSRR, "LSRR"),
    (IPOPT_RA, "RA"),
    (82, "traceroute"),
];

/// How the option list ended: read to its end (or stopped on a bad length), or cut by the
/// capture inside an option (tcpdump's `-1`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum OptEnd {
    Done,
    Truncated,
}

/// `ip_optprint`: `opts` is everything captured after the fixed header, `length` the
/// options' length from the header length field.
fn print_options(nd: &mut Nd<'_>, opts: &[u8], length: usize) -> PResult<OptEnd> {
    let mut at = 0;
    let mut left = length;
    let mut sep = "";
    while left > 0 {
        nd.print(sep);
        sep = ",";
        let code = get_u8(opts, at)?;
        match IP_OPTION_VALUES.iter().find(|(c, _)| *c == code) {
            Some((_, name)) => nd.print(name),
            None => {
                nd.print("unknown ");
                nd.print_dec(code);
            }
        }
        let opt_len = if code == IPOPT_NOP || code == IPOPT_EOL {
            1
        } else {
            let l = usize::from(get_u8(opts, at + 1)?);
            if l < 2 {
                nd.print(" [bad length ");
                nd.print_dec(l);
                nd.print("]");
                return Ok(OptEnd::Done);
            }
            l
        };
        if opt_len > left {
            nd.print(" [bad length ");
            nd.print_dec(opt_len);
            nd.print("]");
            return Ok(OptEnd::Done);
        }
        let (Ok(()), Some(opt)) = (tcheck(opts, at, opt_len), opts.get(at..)) else {
            return Ok(OptEnd::Truncated);
        };
        if print_option_body(nd, code, opt, opt_len)? == OptEnd::Truncated {
            return Ok(OptEnd::Truncated);
        }
        if code == IPOPT_EOL {
            return Ok(OptEnd::Done);
        }
        at += opt_len;
        left -= opt_len;
    }
    Ok(OptEnd::Done)
}

/// The body of one option whose `len` bytes are captured at the start of `opt`.
fn print_option_body(nd: &mut Nd<'_>, code: u8, opt: &[u8], len: usize) -> PResult<OptEnd> {
    match code {
        IPOPT_TS => print_timestamp(nd, opt, len),
        IPOPT_RR | IPOPT_SSRR | IPOPT_LSRR => print_route(nd, opt, len),
        IPOPT_RA => {
            if len < 4 {
                nd.print(" [bad length ");
                nd.print_dec(len);
                nd.print("]");
            } else {
                let value = get_be_u16(opt, 2)?;
                if value != 0 {
                    nd.print(" value ");
                    nd.print_dec(value);
                }
            }
            Ok(OptEnd::Done)
        }
        _ => Ok(OptEnd::Done),
    }
}

/// The addresses of a record route or source route option (`ip_printroute`).
fn print_route(nd: &mut Nd<'_>, opt: &[u8], length: usize) -> PResult<OptEnd> {
    if length < 3 {
        nd.print(" [bad length ");
        nd.print_dec(length);
        nd.print("]");
        return Ok(OptEnd::Done);
    }
    if (length + 1) & 3 != 0 {
        nd.print(" [bad length ");
        nd.print_dec(length);
        nd.print("]");
    }
    let raw_ptr = get_u8(opt, 2)?;
    let ptr = usize::from(raw_ptr).wrapping_sub(1);
    if ptr < 3 || (ptr.wrapping_add(1) & 3) != 0 || ptr > length + 1 {
        nd.print(" [bad ptr ");
        nd.print_dec(raw_ptr);
        nd.print("]");
    }
    let mut len = 3;
    while len < length {
        let Ok(addr) = get_array::<4>(opt, len) else {
            return Ok(OptEnd::Truncated);
        };
        nd.print(" ");
        print_addr(nd, Ipv4Addr::from(addr).into());
        if ptr > len {
            nd.print(",");
        }
        len += 4;
    }
    Ok(OptEnd::Done)
}

/// The timestamp option (`ip_printts`).
fn print_timestamp(nd: &mut Nd<'_>, opt: &[u8], length: usize) -> PResult<OptEnd> {
    if length < 4 {
        nd.print("[bad length ");
        nd.print_dec(length);
        nd.print("]");
        return Ok(OptEnd::Done);
    }
    nd.print(" TS{");
    let flags = get_u8(opt, 3)?;
    let hoplen: usize = if flags & 0x0f != 0 { 8 } else { 4 };
    if (length - 4) & (hoplen - 1) != 0 {
        nd.print("[bad length ");
        nd.print_dec(length);
        nd.print("]");
    }
    let raw_ptr = get_u8(opt, 2)?;
    let ptr = u32::from(raw_ptr).wrapping_sub(1);
    let length32 = u32::try_from(length).unwrap_or(u32::MAX);
    let hop32 = hoplen as u32;
    if ptr < 4 || (ptr.wrapping_sub(4) & (hop32 - 1)) != 0 || ptr > length32 + 1 {
        nd.print("[bad ptr ");
        nd.print_dec(raw_ptr);
        nd.print("]");
    }
    let mut len: u32 = 0;
    match flags & 0x0f {
        0 => nd.print("TSONLY"),
        1 => nd.print("TS+ADDR"),
        3 => nd.print("PRESPEC"),
        other => {
            nd.print("[bad ts type ");
            nd.print_dec(other);
            nd.print("]");
        }
    }
    if matches!(flags & 0x0f, 0 | 1 | 3) {
        len = 4;
        while len < length32 {
            let at = len as usize;
            let mark = if ptr == len { " ^ " } else { " " };
            if tcheck(opt, at, hoplen).is_err() {
                return Ok(OptEnd::Truncated);
            }
            let stamp = get_be_u32(opt, at + hoplen - 4)?;
            nd.print(mark);
            nd.print_dec(stamp);
            nd.print("@");
            if hoplen == 8 {
                let addr = Ipv4Addr::from(get_array::<4>(opt, at)?);
                print_addr(nd, addr.into());
            }
            len += hop32;
        }
    }
    if ptr == len {
        nd.print(" ^ ");
    }
    match flags >> 4 {
        0 => nd.print("}"),
        hops => {
            nd.print(" [");
            nd.print_dec(hops);
            nd.print(" hops not recorded]} ");
        }
    }
    Ok(OptEnd::Done)
}

#[cfg(test)]
#[allow(clippy::indexing_slicing, clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::capture::print::testing::{opts, with_nd};
    use crate::capture::print::PrintOptions;
    use proptest::prelude::*;

    /// An IPv4 datagram: UDP (17) from 192.0.2.1 to 198.51.100.7, with an LSRR option
    /// naming 10.0.0.1 then 10.5.5.5, and an 8-byte UDP header plus 2 bytes of data.
    const LSRR_UDP: [u8; 42] = [
        0x48, 0x00, 0x00, 0x2a, // version 4, hlen 32; tos; total length 42
        0x00, 0x01, 0x20, 0x00, // id 1; flags MF, offset 0
        0x40, 0x11, 0x00, 0x00, // ttl 64, proto UDP; checksum (filled in by `with_checksum`)
        0xc0, 0x00, 0x02, 0x01, // source 192.0.2.1
        0xc6, 0x33, 0x64, 0x07, // destination 198.51.100.7
        0x83, 0x0b, 0x04, // LSRR, length 11, pointer 4
        0x0a, 0x00, 0x00, 0x01, // 10.0.0.1
        0x0a, 0x05, 0x05, 0x05, // 10.5.5.5
        0x00, // EOL
        0x9c, 0x40, 0x0f, 0xa2, // UDP 40000 > 4002
        0x00, 0x0a, 0x00, 0x00, // UDP length 10, no checksum
        0x68, 0x69, // "hi"
    ];

    fn with_checksum(mut pkt: Vec<u8>) -> Vec<u8> {
        let hlen = usize::from(pkt[0] & 0x0f) * 4;
        pkt[10] = 0;
        pkt[11] = 0;
        let sum = checksum::checksum(&pkt[..hlen]).to_be_bytes();
        pkt[10] = sum[0];
        pkt[11] = sum[1];
        pkt
    }

    /// Print `data` as an IPv4 datagram with on-wire length `len`: the text and the result.
    fn run(data: &[u8], len: u32, opts: &PrintOptions) -> (String, PResult) {
        with_nd(opts, |nd| print(nd, data, len))
    }

    #[test]
    fn source_route_gives_the_pseudo_header_destination() {
        let pkt = with_checksum(LSRR_UDP.to_vec());
        let h = Header::read(&pkt).unwrap();
        let ctx = transport_ctx(&pkt, &h, false);
        assert_eq!(ctx.dst, std::net::IpAddr::from([198, 51, 100, 7]));
        assert_eq!(ctx.pseudo_dst, std::net::IpAddr::from([10, 5, 5, 5]));
        assert!(ctx.fragmented, "MF is set");
        assert!(!ctx.after_ext_headers && !ctx.nested);
    }

    #[test]
    fn short_or_missing_source_route_keeps_the_header_destination() {
        let mut pkt = LSRR_UDP.to_vec();
        pkt[21] = 6; // LSRR length 6: under the 7 bytes an address needs
        let h = Header::read(&pkt).unwrap();
        assert_eq!(final_dst(&pkt, &h), h.dst);
        pkt[20] = IPOPT_RR;
        pkt[21] = 11;
        assert_eq!(final_dst(&pkt, &h), h.dst, "record route does not route");
        pkt[0] = 0x45;
        let h = Header::read(&pkt).unwrap();
        assert_eq!(final_dst(&pkt, &h), h.dst, "no options");
    }

    #[test]
    fn bad_header_checksum_names_the_right_value() {
        let good = with_checksum(LSRR_UDP.to_vec());
        let right = u16::from_be_bytes([good[10], good[11]]);
        let mut bad = good.clone();
        bad[10] ^= 0x12;
        let (text, r) = run(&bad, 42, &opts(1));
        assert_eq!(r, Ok(()));
        assert!(text.contains(&format!("(->{right:x})")), "{text}");
        let (text, _) = run(&good, 42, &opts(1));
        assert!(!text.contains("cksum"), "{text}");
        let quiet = PrintOptions { k: 1, ..opts(1) };
        let (text, _) = run(&bad, 42, &quiet);
        assert!(!text.contains("cksum"), "-K: {text}");
    }

    #[test]
    fn truncation_unwinds_only_where_tcpdump_longjmps() {
        let pkt = with_checksum(LSRR_UDP.to_vec());
        // No byte at all: reading the version unwinds to the top level.
        assert_eq!(run(&[], 42, &opts(0)).1, Err(Trunc));
        // Part of the fixed header: the printer reports it and returns normally.
        for cut in 1..20 {
            assert_eq!(run(&pkt[..cut], 42, &opts(0)).1, Ok(()), "cut {cut}");
        }
        // The fixed header without all the options: unwinds before the payload.
        for cut in 20..32 {
            assert_eq!(run(&pkt[..cut], 42, &opts(0)).1, Err(Trunc), "cut {cut}");
        }
    }

    #[test]
    fn every_prefix_at_every_verbosity_prints_without_panic() {
        let pkt = with_checksum(LSRR_UDP.to_vec());
        for v in 0..4 {
            for cut in 0..=pkt.len() {
                let (text, _) = run(&pkt[..cut], 42, &opts(v));
                if cut > 0 {
                    assert!(text.starts_with("IP "), "v{v} cut {cut}: {text}");
                }
            }
        }
    }

    proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(
            data in proptest::collection::vec(any::<u8>(), 0..96),
            extra in 0u32..64,
            v in 0u8..4,
            q in 0u8..3,
            e in 0u8..2,
        ) {
            let o = PrintOptions { v, q, e, ..opts(v) };
            let len = u32::try_from(data.len()).unwrap() + extra;
            let _ = run(&data, len, &o);
            // The same bytes with a plausible version and header length reach deeper.
            let mut d = data.clone();
            if let Some(b) = d.first_mut() {
                *b = 0x40 | (*b & 0x0f).max(5);
            }
            if d.len() > 3 {
                let total = u16::try_from(d.len()).unwrap().to_be_bytes();
                d[2] = total[0];
                d[3] = total[1];
            }
            let _ = run(&d, len, &o);
        }
    }
}
