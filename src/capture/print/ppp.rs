//! PPP (RFC 1661, 1662), mirroring print-ppp.c at tcpdump-4.99.3: the PPP header, the
//! control protocols (LCP, IPCP, IPV6CP, CCP, BACP and the others by their common header),
//! PAP, CHAP, multilink PPP, and the network protocols PPP carries; HDLC-like framing with
//! octet escapes (RFC 1662 section 4.2) is undone first when the protocol field shows it.
//!
//! The link-layer printers for DLT_PPP, DLT_PPP_PPPD (`if_print`) and DLT_PPP_SERIAL
//! (`hdlc_if_print`, which hands Cisco HDLC frames to `chdlc`) live here too. BAP prints
//! nothing, as in tcpdump. IPX, for which tcpdump has a printer and echolab has none, is
//! dumped as unknown payload.
//!
//! The option printers live in `ppp/opts.rs`. Must not do I/O: it only reads the captured
//! bytes.

mod opts;

use super::tok::{bittok2str, tok2str, Tok, Tok2Str, ETHERTYPE_IP, ETHERTYPE_IPV6, ETHERTYPE_IPX};
use super::util::get_be_u24;
use super::util::{default_print, fn_print_char, print_trunc, print_unknown_data, printn, ttest};
use super::{get_be_u16, get_be_u32, get_u8, ip, ip6, mpls, names, Nd, PResult};
use crate::nd_print;

/// The length of the DLT_PPP header: address, control, protocol.
const PPP_HDRLEN: usize = 4;
const PPP_ADDRESS: u8 = 0xff;
const PPP_CONTROL: u8 = 0x03;
const PPP_PPPD_IN: u8 = 0x00;
const PPP_PPPD_OUT: u8 = 0x01;

pub const PPP_IP: u16 = 0x0021;
pub const PPP_OSI: u16 = 0x0023;
pub const PPP_IPX: u16 = 0x002b;
pub const PPP_VJC: u16 = 0x002d;
pub const PPP_VJNC: u16 = 0x002f;
pub const PPP_ML: u16 = 0x003d;
pub const PPP_IPV6: u16 = 0x0057;
pub const PPP_COMP: u16 = 0x00fd;
pub const PPP_MPLS_UCAST: u16 = 0x0281;
pub const PPP_MPLS_MCAST: u16 = 0x0283;
pub const PPP_IPCP: u16 = 0x8021;
pub const PPP_OSICP: u16 = 0x8023;
pub const PPP_IPV6CP: u16 = 0x8057;
pub const PPP_CCP: u16 = 0x80fd;
pub const PPP_MPLSCP: u16 = 0x8281;
pub const PPP_LCP: u16 = 0xc021;
pub const PPP_PAP: u16 = 0xc023;
pub const PPP_LQM: u16 = 0xc025;
pub const PPP_SPAP: u16 = 0xc027;
pub const PPP_CHAP: u16 = 0xc223;
pub const PPP_BACP: u16 = 0xc02b;
pub const PPP_BAP: u16 = 0xc02d;
pub const PPP_SPAP_OLD: u16 = 0xc123;
pub const PPP_EAP: u16 = 0xc227;

/// Protocol names (print-ppp.c `ppptype2str`).
pub const PPPTYPE2STR: [Tok; 40] = [
    (0x0021, "IP"),
    (0x0023, "OSI"),
    (0x0025, "NS"),
    (0x0027, "DECNET"),
    (0x0029, "APPLE"),
    (0x002b, "IPX"),
    (0x002d, "VJC IP"),
    (0x002f, "VJNC IP"),
    (0x0031, "BRPDU"),
    (0x0033, "STII"),
    (0x0035, "VINES"),
    (0x0281, "MPLS"),
    (0x0283, "MPLS"),
    (0x00fd, "Compressed"),
    (0x003d, "MLPPP"),
    (0x0057, "IP6"),
    (0x0201, "HELLO"),
    (0x0231, "LUXCOM"),
    (0x0233, "SNS"),
    (0x8021, "IPCP"),
    (0x8023, "OSICP"),
    (0x8025, "NSCP"),
    (0x8027, "DECNETCP"),
    (0x8029, "APPLECP"),
    (0x802b, "IPXCP"),
    (0x8033, "STIICP"),
    (0x8035, "VINESCP"),
    (0x8057, "IP6CP"),
    (0x8281, "MPLSCP"),
    (0xc021, "LCP"),
    (0xc023, "PAP"),
    (0xc025, "LQM"),
    (0xc223, "CHAP"),
    (0xc227, "EAP"),
    (0xc027, "SPAP"),
    (0xc123, "Old-SPAP"),
    (0xc02b, "BACP"),
    (0xc02d, "BAP"),
    (0xc03d, "MLPPP-CP"),
    (0x80fd, "CCP"),
];

/// Control protocol codes (print-ppp.c `cpcodes`, RFC 1661, 1570, 1962, 2153).
const CPCODES: [Tok; 16] = [
    (0, "Vendor-Extension"),
    (1, "Conf-Request"),
    (2, "Conf-Ack"),
    (3, "Conf-Nack"),
    (4, "Conf-Reject"),
    (5, "Term-Request"),
    (6, "Term-Ack"),
    (7, "Code-Reject"),
    (8, "Prot-Reject"),
    (9, "Echo-Request"),
    (10, "Echo-Reply"),
    (11, "Disc-Req"),
    (12, "Ident"),
    (13, "Time-Rem"),
    (14, "Reset-Req"),
    (15, "Reset-Ack"),
];

const CPCODES_VEXT: u8 = 0;
const CPCODES_CONF_REJ: u8 = 4;
const CPCODES_TERM_ACK: u8 = 6;
const CPCODES_CODE_REJ: u8 = 7;
const CPCODES_PROT_REJ: u8 = 8;
const CPCODES_ECHO_REQ: u8 = 9;
const CPCODES_DISC_REQ: u8 = 11;
const CPCODES_ID: u8 = 12;
const CPCODES_TIME_REM: u8 = 13;

/// CHAP codes (print-ppp.c `chapcode_values`).
const CHAPCODE_VALUES: [Tok; 4] = [
    (1, "Challenge"),
    (2, "Response"),
    (3, "Success"),
    (4, "Fail"),
];
/// PAP codes (print-ppp.c `papcode_values`).
const PAPCODE_VALUES: [Tok; 3] = [(1, "Auth-Req"), (2, "Auth-ACK"), (3, "Auth-NACK")];
/// Multilink flags (print-ppp.c `ppp_ml_flag_values`).
const ML_FLAG_VALUES: [Tok; 2] = [(0x80, "begin"), (0x40, "end")];

/// The name of a PPP protocol, else `unknown` formatted.
pub fn ppptype(unknown: &'static str, proto: u16) -> Tok2Str {
    tok2str(&PPPTYPE2STR, unknown, u32::from(proto))
}

/// DLT_PPP and DLT_PPP_PPPD (print-ppp.c `ppp_if_print`).
pub fn if_print(nd: &mut Nd<'_>, data: &[u8], len: u32) -> PResult {
    nd.protocol = "ppp";
    if data.len() < PPP_HDRLEN {
        print_trunc(nd);
        nd.ll_hdr_len += data.len();
        return Ok(());
    }
    nd.ll_hdr_len += PPP_HDRLEN;
    print(nd, data, len).map(|_| ())
}

/// DLT_PPP_SERIAL: PPP in HDLC-like framing (print-ppp.c `ppp_hdlc_if_print`).
pub fn hdlc_if_print(nd: &mut Nd<'_>, data: &[u8], len: u32) -> PResult {
    nd.protocol = "ppp_hdlc";
    let caplen = data.len();
    if caplen < 2 {
        print_trunc(nd);
        nd.ll_hdr_len += caplen;
        return Ok(());
    }
    let first = get_u8(data, 0)?;
    if first == super::chdlc::CHDLC_UNICAST || first == super::chdlc::CHDLC_BCAST {
        return super::chdlc::if_print(nd, data, len);
    }
    if caplen < 4 {
        print_trunc(nd);
        nd.ll_hdr_len += caplen;
        return Ok(());
    }
    if nd.opts.e > 0 {
        nd_print!(nd, "{:02x} {:02x} {len} ", first, get_u8(data, 1)?);
    }
    if first == PPP_ADDRESS {
        let proto = get_be_u16(data, 2)?;
        nd_print!(nd, "{}: ", ppptype("unknown PPP protocol (0x%04x)", proto));
        handle_ppp(nd, proto, data, 4, len.wrapping_sub(4))?;
    } else {
        nd_print!(
            nd,
            "unknown addr {:02x}; ctrl {:02x}",
            get_u8(data, 2)?,
            get_u8(data, 3)?
        );
    }
    nd.ll_hdr_len += if first == PPP_ADDRESS { 4 } else { 2 };
    Ok(())
}

/// A PPP frame starting at its address and control fields, if present (print-ppp.c
/// `ppp_print`); returns the header length.
pub fn print(nd: &mut Nd<'_>, data: &[u8], length: u32) -> PResult<u32> {
    nd.protocol = "ppp";
    if length < 2 {
        print_trunc(nd);
        return Ok(0);
    }
    let (mut at, mut length) = (0usize, length);
    let header = get_be_u16(data, 0)?;
    let [addr, ctrl] = header.to_be_bytes();
    if ctrl == PPP_CONTROL && matches!(addr, PPP_PPPD_IN | PPP_PPPD_OUT | PPP_ADDRESS) {
        if nd.opts.e > 0 && addr == PPP_PPPD_IN {
            nd.print("In  ");
        } else if nd.opts.e > 0 && addr == PPP_PPPD_OUT {
            nd.print("Out ");
        }
        at += 2;
        length -= 2;
    }
    if length < 2 {
        print_trunc(nd);
        return Ok(0);
    }
    let first = get_u8(data, at)?;
    let proto = if first % 2 == 1 {
        at += 1;
        length -= 1;
        u16::from(first)
    } else {
        let p = get_be_u16(data, at)?;
        at += 2;
        length -= 2;
        p
    };
    let hdr_len = at as u32;
    if nd.opts.e > 0 {
        let name = ppptype("unknown", proto);
        nd_print!(nd, "{name} (0x{proto:04x}), length {}", length + hdr_len);
        if super::tok::tok_name(&PPPTYPE2STR, u32::from(proto)).is_none() {
            return Ok(hdr_len);
        }
        nd.print(": ");
    }
    handle_ppp(nd, proto, data, at, length)?;
    Ok(hdr_len)
}

/// The payload of protocol `proto` at `at` of `buf` (print-ppp.c `handle_ppp`); `buf`
/// starts before the protocol field, which the control protocols dump at `-vv`.
fn handle_ppp(nd: &mut Nd<'_>, proto: u16, buf: &[u8], at: usize, length: u32) -> PResult {
    if proto & 0xff00 == 0x7e00 {
        return hdlc_print(nd, buf, at.saturating_sub(1), length);
    }
    let p = buf.get(at..).unwrap_or(&[]);
    match proto {
        PPP_LCP | PPP_IPCP | PPP_OSICP | PPP_MPLSCP | PPP_IPV6CP | PPP_CCP | PPP_BACP => {
            ctrl_proto_print(nd, proto, buf, at, length)
        }
        PPP_ML => mlppp_print(nd, p, length),
        PPP_CHAP => chap_print(nd, p, length),
        PPP_PAP => pap_print(nd, p, length),
        PPP_BAP => Ok(()),
        ETHERTYPE_IP | PPP_VJNC | PPP_IP => ip::print(nd, p, length),
        ETHERTYPE_IPV6 | PPP_IPV6 => ip6::print(nd, p, length),
        PPP_OSI => super::isoclns::print(nd, p, length as usize),
        ETHERTYPE_IPX | PPP_IPX => {
            default_print(nd, p);
            Ok(())
        }
        PPP_MPLS_UCAST | PPP_MPLS_MCAST => mpls::print(nd, p, length),
        PPP_COMP => {
            nd.print("compressed PPP data");
            Ok(())
        }
        _ => {
            nd_print!(nd, "{} ", ppptype("unknown PPP protocol (0x%04x)", proto));
            print_unknown_data(nd, buf, at, "\n\t", length as usize);
            Ok(())
        }
    }
}

/// Undo RFC 1662 octet escapes in the captured bytes from `at`, then guess the protocol
/// field's form (print-ppp.c `ppp_hdlc`).
fn hdlc_print(nd: &mut Nd<'_>, buf: &[u8], at: usize, length: u32) -> PResult {
    let raw = buf.get(at..).unwrap_or(&[]);
    if raw.is_empty() || length == 0 {
        return Ok(());
    }
    let mut b = Vec::with_capacity(raw.len());
    let mut it = raw.iter();
    while let Some(&c) = it.next() {
        if c == 0x7d {
            match it.next() {
                Some(&n) => b.push(n ^ 0x20),
                None => break,
            }
        } else {
            b.push(c);
        }
    }
    let length = b.len() as u32;
    if length < 1 {
        print_trunc(nd);
        return Ok(());
    }
    match u16::from(get_u8(&b, 0)?) {
        PPP_IP => return ip::print(nd, b.get(1..).unwrap_or(&[]), length - 1),
        PPP_IPV6 => return ip6::print(nd, b.get(1..).unwrap_or(&[]), length - 1),
        _ => {}
    }
    if length < 2 {
        print_trunc(nd);
        return Ok(());
    }
    let mut proto = get_be_u16(&b, 0)?;
    let mut at = 2;
    if proto == u16::from_be_bytes([PPP_ADDRESS, PPP_CONTROL]) {
        if length < 4 {
            print_trunc(nd);
            return Ok(());
        }
        proto = get_be_u16(&b, 2)?;
        at = 4;
    }
    if proto & 0xff00 == 0x7e00 {
        nd_print!(nd, "(protocol 0x{proto:04x} invalid)");
        Ok(())
    } else {
        handle_ppp(nd, proto, &b, at, length - at as u32)
    }
}

/// A control protocol packet: code, id, length, then per code (print-ppp.c
/// `handle_ctrl_proto`). `at` is where it starts in `buf`.
fn ctrl_proto_print(nd: &mut Nd<'_>, proto: u16, buf: &[u8], at: usize, length: u32) -> PResult {
    let typestr = ppptype("unknown ctrl-proto (0x%04x)", proto);
    nd_print!(nd, "{typestr}, ");
    if length < 4 || !ttest(buf, at, 2) {
        nd_print!(nd, "[|{typestr}]");
        return Ok(());
    }
    let code = get_u8(buf, at)?;
    nd_print!(
        nd,
        "{} (0x{code:02x}), id {}, length {}",
        tok2str(&CPCODES, "Unknown Opcode", u32::from(code)),
        get_u8(buf, at + 1)?,
        length + 2
    );
    if nd.opts.v == 0 {
        return Ok(());
    }
    let len = u32::from(get_be_u16(buf, at + 2)?);
    if len < 4 {
        nd_print!(nd, "\n\tencoded length {len} (< 4))");
        return Ok(());
    }
    if len > length {
        nd_print!(nd, "\n\tencoded length {len} (> packet length {length}))");
        return Ok(());
    }
    nd_print!(
        nd,
        "\n\tencoded length {len} (=Option(s) length {})",
        len - 4
    );
    if len == 4 {
        return Ok(());
    }
    if nd.opts.v > 1 {
        print_unknown_data(nd, buf, at.saturating_sub(2), "\n\t", 6);
    }
    let t = at + 4;
    if !ctrl_body_print(nd, proto, code, buf, t, len)? {
        nd_print!(nd, "[|{typestr}]");
    }
    Ok(())
}

/// What follows the control protocol header, by code; `Ok(false)` where tcpdump jumps to
/// its `trunc` label.
fn ctrl_body_print(
    nd: &mut Nd<'_>,
    proto: u16,
    code: u8,
    buf: &[u8],
    t: usize,
    len: u32,
) -> PResult<bool> {
    match code {
        CPCODES_VEXT => {
            if len >= 11 {
                nd_print!(nd, "\n\t  Magic-Num 0x{:08x}", get_be_u32(buf, t)?);
                let oui = get_be_u24(buf, t + 4)?;
                let name = names::oui_name(oui).unwrap_or("Unknown");
                nd_print!(nd, " Vendor: {name} ({oui})");
            }
        }
        1..=CPCODES_CONF_REJ => opts::config_print(nd, proto, buf, t, len)?,
        5..=CPCODES_TERM_ACK | CPCODES_CODE_REJ => {}
        CPCODES_PROT_REJ => {
            if len >= 6 {
                let rejected = get_be_u16(buf, t)?;
                nd_print!(
                    nd,
                    "\n\t  Rejected {} Protocol (0x{rejected:04x})",
                    ppptype("unknown", rejected)
                );
                if len > 6 {
                    nd.print("\n\t  Rejected Packet");
                    print_unknown_data(nd, buf, t + 2, "\n\t    ", len as usize - 2);
                }
            }
        }
        CPCODES_ECHO_REQ..=CPCODES_DISC_REQ => {
            if len >= 8 {
                nd_print!(nd, "\n\t  Magic-Num 0x{:08x}", get_be_u32(buf, t)?);
                if len > 8 {
                    nd.print("\n\t  -----trailing data-----");
                    if !ttest(buf, t + 4, len as usize - 8) {
                        return Ok(false);
                    }
                    print_unknown_data(nd, buf, t + 4, "\n\t  ", len as usize - 8);
                }
            }
        }
        CPCODES_ID => {
            if len >= 8 {
                nd_print!(nd, "\n\t  Magic-Num 0x{:08x}", get_be_u32(buf, t)?);
                if len > 8 {
                    nd.print("\n\t  Message\n\t    ");
                    if printn(nd, buf, t + 4, len as usize - 4) {
                        return Ok(false);
                    }
                }
            }
        }
        CPCODES_TIME_REM => {
            if len >= 12 {
                nd_print!(nd, "\n\t  Magic-Num 0x{:08x}", get_be_u32(buf, t)?);
                nd_print!(nd, ", Seconds-Remaining {}s", get_be_u32(buf, t + 4)?);
            }
        }
        _ => {
            if nd.opts.v <= 1 {
                print_unknown_data(nd, buf, t.saturating_sub(6), "\n\t  ", len as usize + 2);
            }
        }
    }
    Ok(true)
}

/// Multilink PPP (print-ppp.c `handle_mlppp`).
fn mlppp_print(nd: &mut Nd<'_>, p: &[u8], length: u32) -> PResult {
    if nd.opts.e == 0 {
        nd.print("MLPPP, ");
    }
    if length < 2 || !ttest(p, 0, 2) {
        nd.print("[|mlppp]");
        return Ok(());
    }
    let flags = get_u8(p, 0)? & 0xc0;
    nd_print!(
        nd,
        "seq 0x{:03x}, Flags [{}], length {length}",
        get_be_u16(p, 0)? & 0x0fff,
        bittok2str(&ML_FLAG_VALUES, "none", u32::from(flags))
    );
    Ok(())
}

/// `n` bytes from `at` as text, each read as tcpdump's `GET_U_1` reads it.
fn chars_print(nd: &mut Nd<'_>, p: &[u8], at: usize, n: u32) -> PResult<usize> {
    let mut at = at;
    for _ in 0..n {
        fn_print_char(nd, get_u8(p, at)?);
        at += 1;
    }
    Ok(at)
}

/// CHAP (RFC 1994; print-ppp.c `handle_chap`).
fn chap_print(nd: &mut Nd<'_>, p: &[u8], length: u32) -> PResult {
    if length < 1 {
        nd.print("[|chap]");
        return Ok(());
    } else if length < 4 {
        nd_print!(nd, "[|chap 0x{:02x}]", get_u8(p, 0)?);
        return Ok(());
    }
    let code = get_u8(p, 0)?;
    nd_print!(
        nd,
        "CHAP, {} (0x{code:02x})",
        tok2str(&CHAPCODE_VALUES, "unknown", u32::from(code))
    );
    nd_print!(nd, ", id {}", get_u8(p, 1)?);
    let len = u32::from(get_be_u16(p, 2)?);
    let at = 4usize;
    match code {
        1 | 2 => {
            if length - 4 < 1 {
                return Ok(());
            }
            let val_size = get_u8(p, at)?;
            if length - 5 < u32::from(val_size) {
                return Ok(());
            }
            nd.print(", Value ");
            for i in 0..usize::from(val_size) {
                nd_print!(nd, "{:02x}", get_u8(p, at + 1 + i)?);
            }
            let at = at + 1 + usize::from(val_size);
            nd.print(", Name ");
            chars_print(nd, p, at, len.wrapping_sub(at as u32))?;
        }
        3 | 4 => {
            nd.print(", Msg ");
            chars_print(nd, p, at, len.wrapping_sub(at as u32))?;
        }
        _ => {}
    }
    Ok(())
}

/// PAP (RFC 1334; print-ppp.c `handle_pap`).
fn pap_print(nd: &mut Nd<'_>, p: &[u8], length: u32) -> PResult {
    if length < 1 {
        nd.print("[|pap]");
        return Ok(());
    } else if length < 4 {
        nd_print!(nd, "[|pap 0x{:02x}]", get_u8(p, 0)?);
        return Ok(());
    }
    let code = get_u8(p, 0)?;
    nd_print!(
        nd,
        "PAP, {} (0x{code:02x})",
        tok2str(&PAPCODE_VALUES, "unknown", u32::from(code))
    );
    nd_print!(nd, ", id {}", get_u8(p, 1)?);
    let len = u32::from(get_be_u16(p, 2)?);
    if len > length {
        nd_print!(nd, ", length {len} > packet size");
        return Ok(());
    }
    let length = len;
    if length < 4 {
        nd_print!(nd, ", length {length} < PAP header length");
        return Ok(());
    }
    // Counted strings: the Peer-ID and Password of a request, the message of a reply.
    let (min, fields): (u32, &[&str]) = match code {
        1 => (6, &[", Peer ", ", Name "]),
        2 | 3 => (5, &[", Msg "]),
        _ => return Ok(()),
    };
    if len < min {
        nd.print("[|pap]");
        return Ok(());
    }
    let mut at = 4usize;
    for label in fields {
        if length - (at as u32) < 1 {
            return Ok(());
        }
        let n = get_u8(p, at)?;
        at += 1;
        if length - (at as u32) < u32::from(n) {
            return Ok(());
        }
        nd.print(label);
        at = chars_print(nd, p, at, u32::from(n))?;
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::capture::print::testing::{opts, with_nd};

    /// An LCP Configure-Request with MRU 1492 and a magic number, address and control first.
    const LCP: [u8; 18] = [
        0xff, 0x03, 0xc0, 0x21, // address, control, LCP
        0x01, 0x07, 0x00, 0x0e, // Conf-Request, id 7, length 14
        0x01, 0x04, 0x05, 0xd4, // MRU 1492
        0x05, 0x06, 0x12, 0x34, 0x56, 0x78, // magic number
    ];

    #[test]
    fn lcp_at_each_verbosity() {
        let (out, _) = with_nd(&opts(0), |nd| print(nd, &LCP, 18));
        assert_eq!(out, "LCP, Conf-Request (0x01), id 7, length 16");
        let (out, _) = with_nd(&opts(1), |nd| print(nd, &LCP, 18));
        assert_eq!(
            out,
            "LCP, Conf-Request (0x01), id 7, length 16\n\tencoded length 14 (=Option(s) \
             length 10)\n\t  MRU Option (0x01), length 4: 1492\n\t  Magic-Num Option \
             (0x05), length 6: 0x12345678"
        );
    }

    #[test]
    fn pap_request_and_chap_challenge() {
        let pap = [0xc0, 0x23, 1, 2, 0, 10, 2, b'a', b'b', 2, b'p', b'w'];
        let (out, _) = with_nd(&opts(0), |nd| print(nd, &pap, 12));
        assert_eq!(out, "PAP, Auth-Req (0x01), id 2, Peer ab, Name pw");
        let chap = [0xc2, 0x23, 1, 3, 0, 9, 2, 0xab, 0xcd, b'x', b'y'];
        let (out, _) = with_nd(&opts(0), |nd| print(nd, &chap, 11));
        assert_eq!(out, "CHAP, Challenge (0x01), id 3, Value abcd, Name xy");
    }

    #[test]
    fn escaped_frames_are_unescaped() {
        // 0x7d 0x23 is an escaped 0x03; the protocol field 0x7eff shows the framing.
        let f = [0x7e, 0xff, 0x7d, 0x23, 0xc0, 0x21, 9, 1, 0, 8, 0, 0, 0, 1];
        let (out, _) = with_nd(&opts(0), |nd| print(nd, &f, 14));
        assert_eq!(out, "LCP, Echo-Request (0x09), id 1, length 10");
    }

    #[test]
    fn every_prefix_prints_without_panic() {
        for cut in 0..LCP.len() {
            for v in 0..3 {
                let _ = with_nd(&opts(v), |nd| print(nd, &LCP[..cut], 18));
            }
        }
    }

    crate::arbitrary_bytes_never_panic!(print);
}
