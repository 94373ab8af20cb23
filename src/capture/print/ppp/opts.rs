//! The configuration options of the PPP control protocols (print-ppp.c at tcpdump-4.99.3:
//! `print_lcp_config_options`, `print_ipcp_config_options`, `print_ip6cp_config_options`,
//! `print_ccp_config_options`, `print_bacp_config_options`).

use super::super::tok::{tok2str, Tok};
use super::super::util::get_be_u24;
use super::super::util::{hex_groups_print, print_invalid, print_unknown_data, ttest};
use super::super::{get_be_u16, get_be_u32, get_bytes, get_u8, names, Nd, PResult};
use super::{
    ppptype, PPP_BACP, PPP_CCP, PPP_CHAP, PPP_EAP, PPP_IPCP, PPP_IPV6CP, PPP_LCP, PPP_LQM, PPP_PAP,
    PPP_SPAP, PPP_SPAP_OLD, PPP_VJC,
};
use crate::nd_print;

/// LCP option names by number (print-ppp.c `lcpconfopts`).
const LCPCONFOPTS: [&str; 31] = [
    "Vend-Ext",
    "MRU",
    "ACCM",
    "Auth-Prot",
    "Qual-Prot",
    "Magic-Num",
    "deprecated(6)",
    "PFC",
    "ACFC",
    "FCS-Alt",
    "SDP",
    "Num-Mode",
    "deprecated(12)",
    "Call-Back",
    "deprecated(14)",
    "deprecated(15)",
    "deprecated(16)",
    "MRRU",
    "12-Bit seq #",
    "End-Disc",
    "Proprietary",
    "DCE-Id",
    "MP+",
    "Link-Disc",
    "LCP-Auth-Opt",
    "COBS",
    "Prefix-elision",
    "Multilink-header-Form",
    "I18N",
    "SDL-over-SONET/SDH",
    "PPP-Muxing",
];

/// print-ppp.c `ccpconfopts_values`.
const CCPCONFOPTS: [Tok; 15] = [
    (0, "OUI"),
    (1, "Pred-1"),
    (2, "Pred-2"),
    (3, "Puddle"),
    (16, "HP-PPC"),
    (17, "Stac-LZS"),
    (18, "MPPC"),
    (19, "Gand-FZA"),
    (20, "V.42bis"),
    (21, "BSD-Comp"),
    (23, "LZS-DCP"),
    (24, "MVRCA"),
    (25, "DEC"),
    (26, "Deflate"),
    (255, "Reserved"),
];
/// print-ppp.c `bacconfopts_values`.
const BACCONFOPTS: [Tok; 1] = [(1, "Favored-Peer")];
/// print-ppp.c `ipcpopt_values`.
const IPCPOPTS: [Tok; 8] = [
    (1, "IP-Addrs"),
    (2, "IP-Comp"),
    (3, "IP-Addr"),
    (4, "Home-Addr"),
    (129, "Pri-DNS"),
    (130, "Pri-NBNS"),
    (131, "Sec-DNS"),
    (132, "Sec-NBNS"),
];
/// print-ppp.c `ipcpopt_compproto_values`.
const IPCP_COMPPROTO: [Tok; 2] = [(PPP_VJC as u32, "VJ-Comp"), (0x61, "IP Header Compression")];
/// print-ppp.c `ipcpopt_compproto_subopt_values`.
const IPCP_COMPPROTO_SUBOPT: [Tok; 2] = [(1, "RTP-Compression"), (2, "Enhanced RTP-Compression")];
/// print-ppp.c `ip6cpopt_values`.
const IP6CPOPTS: [Tok; 1] = [(1, "Interface-ID")];
/// print-ppp.c `authalg_values`.
const AUTHALGS: [Tok; 3] = [(5, "MD5"), (128, "MS-CHAPv1"), (129, "MS-CHAPv2")];
/// print-ppp.c `ppp_callback_values`.
const CALLBACKS: [Tok; 6] = [
    (0, "UserAuth"),
    (1, "DialString"),
    (2, "LocalID"),
    (3, "E.164"),
    (4, "X.500"),
    (6, "CBCP"),
];

const IPCOMP_MINLEN: u32 = 14;

/// What an option printer returns: the option's length to step over, or 0 to stop.
type Advance = PResult<u32>;

/// The options of a Configure-Request/Ack/Nak/Reject of `len` bytes (header included) at
/// `t` (the loop in print-ppp.c `handle_ctrl_proto`). Each printer is handed `len`, not what
/// remains, as tcpdump hands it.
pub(super) fn config_print(nd: &mut Nd<'_>, proto: u16, buf: &[u8], t: usize, len: u32) -> PResult {
    let pfunc: fn(&mut Nd<'_>, &[u8], usize, u32) -> Advance = match proto {
        PPP_LCP => lcp_opt,
        PPP_IPCP => ipcp_opt,
        PPP_IPV6CP => ip6cp_opt,
        PPP_CCP => ccp_opt,
        PPP_BACP => bacp_opt,
        _ => return Ok(()),
    };
    let mut tlen = len - 4;
    let mut at = t;
    loop {
        let advance = pfunc(nd, buf, at, len)?;
        if advance == 0 {
            break;
        }
        if tlen < advance {
            nd_print!(nd, " [remaining options length {tlen} < {advance}]");
            print_invalid(nd);
            break;
        }
        tlen -= advance;
        at += advance as usize;
        if tlen == 0 {
            break;
        }
    }
    Ok(())
}

/// The option's type and length, once `length` allows and the capture has them; `None`
/// where the printer returns 0 (`Some(Err)` is its `goto trunc`).
fn opt_header(buf: &[u8], at: usize, length: u32) -> PResult<Option<Result<(u8, u32), ()>>> {
    if length < 2 {
        return Ok(None);
    }
    if !ttest(buf, at, 2) {
        return Ok(Some(Err(())));
    }
    let opt = get_u8(buf, at)?;
    let len = u32::from(get_u8(buf, at + 1)?);
    if length < len {
        return Ok(None);
    }
    Ok(Some(Ok((opt, len))))
}

/// Hex of the option's value: before `-vv` for options without a decoder, at `-vv` for all.
fn value_dump(nd: &mut Nd<'_>, buf: &[u8], at: usize, len: u32, decoded: bool) {
    if (!decoded && nd.opts.v < 2) || (decoded && nd.opts.v > 1) {
        print_unknown_data(nd, buf, at + 2, "\n\t    ", len as usize - 2);
    }
}

/// `(length bogus, should be OP N)`, after which some printers go on and some stop.
fn bogus(nd: &mut Nd<'_>, op: &str, n: u32) {
    nd_print!(nd, " (length bogus, should be {op} {n})");
}

/// One LCP option (print-ppp.c `print_lcp_config_options`).
fn lcp_opt(nd: &mut Nd<'_>, buf: &[u8], at: usize, length: u32) -> Advance {
    let (opt, len) = match opt_header(buf, at, length)? {
        None => return Ok(0),
        Some(Err(())) => {
            nd.print("[|lcp]");
            return Ok(0);
        }
        Some(Ok(h)) => h,
    };
    let name = LCPCONFOPTS.get(usize::from(opt));
    if len < 2 {
        match name {
            Some(name) => nd_print!(
                nd,
                "\n\t  {name} Option (0x{opt:02x}), length {len} (length bogus, should be >= 2)"
            ),
            None => nd_print!(nd, "\n\tunknown LCP option 0x{opt:02x}"),
        }
        return Ok(0);
    }
    let Some(name) = name else {
        nd_print!(nd, "\n\tunknown LCP option 0x{opt:02x}");
        return Ok(len);
    };
    nd_print!(nd, "\n\t  {name} Option (0x{opt:02x}), length {len}");
    match lcp_opt_value(nd, buf, at, opt, len)? {
        Some(advance) => Ok(advance),
        None => {
            value_dump(nd, buf, at, len, true);
            Ok(len)
        }
    }
}

/// The value of LCP option `opt`; `Some(advance)` where tcpdump returns early.
fn lcp_opt_value(
    nd: &mut Nd<'_>,
    buf: &[u8],
    at: usize,
    opt: u8,
    len: u32,
) -> PResult<Option<u32>> {
    // (required length, ">=" or "=", what to return when it is wrong)
    let check = |nd: &mut Nd<'_>, ok: bool, op: &str, n: u32, ret: u32| {
        if ok {
            None
        } else {
            bogus(nd, op, n);
            Some(ret)
        }
    };
    match opt {
        0 => {
            if let Some(r) = check(nd, len >= 6, ">=", 6, len) {
                return Ok(Some(r));
            }
            let oui = get_be_u24(buf, at + 2)?;
            let name = names::oui_name(oui).unwrap_or("Unknown");
            nd_print!(nd, ": Vendor: {name} ({oui})");
        }
        1 | 17 => {
            if let Some(r) = check(nd, len == 4, "=", 4, if opt == 1 { len } else { 0 }) {
                return Ok(Some(r));
            }
            nd_print!(nd, ": {}", get_be_u16(buf, at + 2)?);
        }
        2 | 5 => {
            if let Some(r) = check(nd, len == 6, "=", 6, if opt == 2 { len } else { 0 }) {
                return Ok(Some(r));
            }
            nd_print!(nd, ": 0x{:08x}", get_be_u32(buf, at + 2)?);
        }
        3 => {
            if let Some(r) = check(nd, len >= 4, ">=", 4, len) {
                return Ok(Some(r));
            }
            let ap = get_be_u16(buf, at + 2)?;
            nd_print!(nd, ": {}", ppptype("Unknown Auth Proto (0x04x)", ap));
            match ap {
                PPP_CHAP => {
                    let alg = get_u8(buf, at + 4)?;
                    let name = tok2str(&AUTHALGS, "Unknown Auth Alg %u", u32::from(alg));
                    nd_print!(nd, ", {name}");
                }
                PPP_PAP | PPP_EAP | PPP_SPAP | PPP_SPAP_OLD => {}
                _ => print_unknown_data(nd, buf, at, "\n\t", len as usize),
            }
        }
        4 => {
            if let Some(r) = check(nd, len >= 4, ">=", 4, 0) {
                return Ok(Some(r));
            }
            let lqr = get_be_u16(buf, at + 2)? == PPP_LQM;
            nd.print(if lqr { ": LQR" } else { ": unknown" });
        }
        7 | 8 => {}
        23 => {
            if let Some(r) = check(nd, len == 4, "=", 4, 0) {
                return Ok(Some(r));
            }
            nd_print!(nd, ": 0x{:04x}", get_be_u16(buf, at + 2)?);
        }
        13 => {
            if let Some(r) = check(nd, len >= 3, ">=", 3, 0) {
                return Ok(Some(r));
            }
            let op = get_u8(buf, at + 2)?;
            let name = tok2str(&CALLBACKS, "Unknown", u32::from(op));
            nd_print!(nd, ": : Callback Operation {name} ({op})");
        }
        19 => {
            if let Some(r) = check(nd, len >= 3, ">=", 3, 0) {
                return Ok(Some(r));
            }
            return mled_print(nd, buf, at, len);
        }
        _ => value_dump(nd, buf, at, len, false),
    }
    Ok(None)
}

/// The multilink endpoint discriminator (RFC 1990 section 5.1.3).
fn mled_print(nd: &mut Nd<'_>, buf: &[u8], at: usize, len: u32) -> PResult<Option<u32>> {
    match get_u8(buf, at + 2)? {
        0 => nd.print(": Null"),
        1 => nd.print(": Local"),
        2 => {
            if len != 7 {
                bogus(nd, "=", 7);
                return Ok(Some(0));
            }
            let a = names::ipaddr_at(nd, buf, at + 3)?;
            nd_print!(nd, ": IPv4 {a}");
        }
        3 => {
            if len != 9 {
                bogus(nd, "=", 9);
                return Ok(Some(0));
            }
            let mac = names::etheraddr_at(nd, buf, at + 3)?;
            nd_print!(nd, ": MAC {mac}");
        }
        4 => nd.print(": Magic-Num-Block"),
        5 => nd.print(": PSNDN"),
        class => nd_print!(nd, ": Unknown class {class}"),
    }
    Ok(None)
}

/// `\n\t  NAME Option (0xNN), length N`, or with a bogus length and `Err` to return 0.
fn named_opt_header(
    nd: &mut Nd<'_>,
    table: &'static [Tok],
    unknown: &'static str,
    opt: u8,
    len: u32,
) -> Result<(), ()> {
    let name = tok2str(table, unknown, u32::from(opt));
    nd_print!(nd, "\n\t  {name} Option (0x{opt:02x}), length {len}");
    if len < 2 {
        nd.print(" (length bogus, should be >= 2)");
        return Err(());
    }
    Ok(())
}

/// The header of an IPCP, IPV6CP, CCP or BACP option: `Ok(Err(advance))` to return early.
fn generic_header(
    nd: &mut Nd<'_>,
    buf: &[u8],
    at: usize,
    length: u32,
    table: &'static [Tok],
    unknown: &'static str,
    trunc: &str,
) -> PResult<Result<(u8, u32), u32>> {
    match opt_header(buf, at, length)? {
        None => Ok(Err(0)),
        Some(Err(())) => {
            nd_print!(nd, "[|{trunc}]");
            Ok(Err(0))
        }
        Some(Ok((opt, len))) => match named_opt_header(nd, table, unknown, opt, len) {
            Ok(()) => Ok(Ok((opt, len))),
            Err(()) => Ok(Err(0)),
        },
    }
}

/// One IPCP option (print-ppp.c `print_ipcp_config_options`).
fn ipcp_opt(nd: &mut Nd<'_>, buf: &[u8], at: usize, length: u32) -> Advance {
    let (opt, len) = match generic_header(nd, buf, at, length, &IPCPOPTS, "unknown", "ipcp")? {
        Ok(h) => h,
        Err(advance) => return Ok(advance),
    };
    match opt {
        1 => {
            if len != 10 {
                bogus(nd, "=", 10);
                return Ok(len);
            }
            let src = names::ipaddr_at(nd, buf, at + 2)?;
            let dst = names::ipaddr_at(nd, buf, at + 6)?;
            nd_print!(nd, ": src {src}, dst {dst}");
        }
        2 => {
            if len < 4 {
                bogus(nd, ">=", 4);
                return Ok(0);
            }
            if let Some(advance) = ipcomp_print(nd, buf, at, len)? {
                return Ok(advance);
            }
        }
        3 | 4 | 129..=132 => {
            if len != 6 {
                bogus(nd, "=", 6);
                return Ok(0);
            }
            let a = names::ipaddr_at(nd, buf, at + 2)?;
            nd_print!(nd, ": {a}");
        }
        _ => value_dump(nd, buf, at, len, false),
    }
    value_dump(nd, buf, at, len, true);
    Ok(len)
}

/// The IP-Compression-Protocol option (RFC 1332, 3544); `Some(advance)` to return early.
fn ipcomp_print(nd: &mut Nd<'_>, buf: &[u8], at: usize, len: u32) -> PResult<Option<u32>> {
    let proto = get_be_u16(buf, at + 2)?;
    let name = tok2str(&IPCP_COMPPROTO, "Unknown", u32::from(proto));
    nd_print!(nd, ": {name} (0x{proto:02x}):");
    if proto != 0x61 {
        return Ok(None);
    }
    if len < IPCOMP_MINLEN {
        bogus(nd, ">=", IPCOMP_MINLEN);
        return Ok(Some(0));
    }
    if !ttest(buf, at + 2, IPCOMP_MINLEN as usize) {
        nd.print("[|ipcp]");
        return Ok(Some(0));
    }
    nd_print!(
        nd,
        "\n\t    TCP Space {}, non-TCP Space {}, maxPeriod {}, maxTime {}, maxHdr {}",
        get_be_u16(buf, at + 4)?,
        get_be_u16(buf, at + 6)?,
        get_be_u16(buf, at + 8)?,
        get_be_u16(buf, at + 10)?,
        get_be_u16(buf, at + 12)?
    );
    if len <= IPCOMP_MINLEN {
        return Ok(None);
    }
    let mut total = len - IPCOMP_MINLEN;
    // tcpdump moves its option pointer here, so the `-vv` dump below starts later.
    let mut p = at + IPCOMP_MINLEN as usize;
    nd_print!(nd, "\n\t      Suboptions, length {total}");
    while total >= 2 {
        if !ttest(buf, p, 2) {
            nd.print("[|ipcp]");
            return Ok(Some(0));
        }
        let sub = get_u8(buf, p)?;
        let sublen = u32::from(get_u8(buf, p + 1)?);
        if sub == 0 || sublen == 0 {
            break;
        }
        let name = tok2str(&IPCP_COMPPROTO_SUBOPT, "Unknown", u32::from(sub));
        nd_print!(nd, "\n\t\t{name} Suboption #{sub}, length {sublen}");
        if total < sublen {
            nd_print!(nd, " [remaining suboptions length {total} < {sublen}]");
            print_invalid(nd);
            break;
        }
        total -= sublen;
        p += sublen as usize;
    }
    if nd.opts.v > 1 {
        print_unknown_data(nd, buf, p + 2, "\n\t    ", len as usize - 2);
    }
    Ok(Some(len))
}

/// One IPV6CP option (print-ppp.c `print_ip6cp_config_options`).
fn ip6cp_opt(nd: &mut Nd<'_>, buf: &[u8], at: usize, length: u32) -> Advance {
    let (opt, len) = match generic_header(nd, buf, at, length, &IP6CPOPTS, "unknown", "ip6cp")? {
        Ok(h) => h,
        Err(advance) => return Ok(advance),
    };
    if opt == 1 {
        if len != 10 {
            bogus(nd, "=", 10);
            return Ok(len);
        }
        if !ttest(buf, at + 2, 8) {
            nd.print("[|ip6cp]");
            return Ok(0);
        }
        let id = get_bytes(buf, at + 2, 8)?;
        nd.print(": ");
        hex_groups_print(nd, id, 2, "", ":");
    } else {
        value_dump(nd, buf, at, len, false);
    }
    value_dump(nd, buf, at, len, true);
    Ok(len)
}

/// One CCP option (print-ppp.c `print_ccp_config_options`).
fn ccp_opt(nd: &mut Nd<'_>, buf: &[u8], at: usize, length: u32) -> Advance {
    let (opt, len) = match generic_header(nd, buf, at, length, &CCPCONFOPTS, "Unknown", "ccp")? {
        Ok(h) => h,
        Err(advance) => return Ok(advance),
    };
    match opt {
        21 => {
            if len < 3 {
                bogus(nd, ">=", 3);
                return Ok(len);
            }
            let b = get_u8(buf, at + 2)?;
            nd_print!(nd, ": Version: {}, Dictionary Bits: {}", b >> 5, b & 0x1f);
        }
        24 => {
            if len < 4 {
                bogus(nd, ">=", 4);
                return Ok(len);
            }
            let b = get_u8(buf, at + 2)?;
            let pxp = if b & 0x20 != 0 { "Enabled" } else { "Disabled" };
            nd_print!(
                nd,
                ": Features: {}, PxP: {pxp}, History: {}, #CTX-ID: {}",
                (b & 0xc0) >> 6,
                b & 0x1f,
                get_u8(buf, at + 3)?
            );
        }
        26 => {
            if len < 4 {
                bogus(nd, ">=", 4);
                return Ok(len);
            }
            let b = get_u8(buf, at + 2)?;
            let method = if b & 0x0f == 8 { "zlib" } else { "unknown" };
            let c = get_u8(buf, at + 3)?;
            nd_print!(
                nd,
                ": Window: {}K, Method: {method} (0x{:x}), MBZ: {}, CHK: {}",
                (b & 0xf0) >> 4,
                b & 0x0f,
                (c & 0xfc) >> 2,
                c & 0x03
            );
        }
        _ => value_dump(nd, buf, at, len, false),
    }
    value_dump(nd, buf, at, len, true);
    Ok(len)
}

/// One BACP option (print-ppp.c `print_bacp_config_options`).
fn bacp_opt(nd: &mut Nd<'_>, buf: &[u8], at: usize, length: u32) -> Advance {
    let (opt, len) = match generic_header(nd, buf, at, length, &BACCONFOPTS, "Unknown", "bacp")? {
        Ok(h) => h,
        Err(advance) => return Ok(advance),
    };
    if opt == 1 {
        if len != 6 {
            bogus(nd, "=", 6);
            return Ok(len);
        }
        nd_print!(nd, ": Magic-Num 0x{:08x}", get_be_u32(buf, at + 2)?);
    } else {
        value_dump(nd, buf, at, len, false);
    }
    value_dump(nd, buf, at, len, true);
    Ok(len)
}
