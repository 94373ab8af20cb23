//! ICMPv6 (print-icmp6.c at tcpdump-4.99.3; RFC 4443, RFC 4861 neighbor discovery with its
//! options, RFC 2710 / RFC 3810 MLD, RFC 6275 mobile IPv6 discovery).
//!
//! Router renumbering, node information and RPL are in `icmp6_misc`.
//!
//! As in print-icmp.c, print-icmp6.c's own truncation checks print ` [|icmp6]` and return
//! (`local_trunc`), failed `GET_*` reads unwind (`?`).

use std::net::{IpAddr, Ipv6Addr};

use super::tok::{bittok2str, Tok};
use super::util::{flag_names_print, print_unknown_data, shouldbe};
use super::{domain, icmp6_misc};
use super::{get_be_u16, get_be_u32, get_u8, names, ttest, IpCtx, Nd, PResult};
use crate::capture::wire::checksum;

const IPPROTO_ICMPV6: u8 = 58;

const DST_UNREACH: u8 = 1;
const PACKET_TOO_BIG: u8 = 2;
const TIME_EXCEEDED: u8 = 3;
const PARAM_PROB: u8 = 4;
const ECHO_REQUEST: u8 = 128;
const ECHO_REPLY: u8 = 129;
const MLD_QUERY: u8 = 130;
const MLD_REPORT: u8 = 131;
const MLD_DONE: u8 = 132;
const ROUTER_SOLICIT: u8 = 133;
const ROUTER_ADVERT: u8 = 134;
const NEIGHBOR_SOLICIT: u8 = 135;
const NEIGHBOR_ADVERT: u8 = 136;
const REDIRECT: u8 = 137;
const ROUTER_RENUMBERING: u8 = 138;
const NI_QUERY: u8 = 139;
const NI_REPLY: u8 = 140;
const RPL: u8 = 155;
const IND_SOLICIT: u8 = 141;
const IND_ADVERT: u8 = 142;
const MLDV2_REPORT: u8 = 143;
const HADISCOV_REQUEST: u8 = 144;
const HADISCOV_REPLY: u8 = 145;
const MOBILEPREFIX_SOLICIT: u8 = 146;
const MOBILEPREFIX_ADVERT: u8 = 147;

/// Type names (print-icmp6.c `icmp6_type_values`; 139/140 match who-are-you first).
const TYPE_VALUES: [(u8, &str); 27] = [
    (1, "destination unreachable"),
    (2, "packet too big"),
    (3, "time exceeded in-transit"),
    (4, "parameter problem"),
    (128, "echo request"),
    (129, "echo reply"),
    (130, "multicast listener query"),
    (131, "multicast listener report"),
    (132, "multicast listener done"),
    (133, "router solicitation"),
    (134, "router advertisement"),
    (135, "neighbor solicitation"),
    (136, "neighbor advertisement"),
    (137, "redirect"),
    (138, "router renumbering"),
    (141, "inverse neighbor solicitation"),
    (142, "inverse neighbor advertisement"),
    (143, "multicast listener report v2"),
    (144, "ha discovery request"),
    (145, "ha discovery reply"),
    (146, "mobile router solicitation"),
    (147, "mobile router advertisement"),
    (139, "who-are-you request"),
    (140, "who-are-you reply"),
    (201, "mtrace message"),
    (200, "mtrace response"),
    (155, "RPL"),
];

/// Unreachable codes (print-icmp6.c `icmp6_dst_unreach_code_values`, spacing included).
const UNREACH_CODE_VALUES: [(u8, &str); 5] = [
    (0, "unreachable route"),
    (1, " unreachable prohibited"),
    (2, "beyond scope"),
    (3, "unreachable address"),
    (4, "unreachable port"),
];

/// Flag tables for `bittok2str`.
const PI_FLAG_VALUES: [Tok; 3] = [(0x80, "onlink"), (0x40, "auto"), (0x20, "router")];
const RA_FLAG_VALUES: [Tok; 4] = [
    (0x80, "managed"),
    (0x40, "other stateful"),
    (0x20, "home agent"),
    (0x02, "ipv6 only"),
];
const NA_FLAG_VALUES: [Tok; 3] = [
    (0x8000_0000, "router"),
    (0x4000_0000, "solicited"),
    (0x2000_0000, "override"),
];

/// Neighbor discovery option names (print-icmp6.c `icmp6_opt_values`).
const OPT_VALUES: [(u8, &str); 10] = [
    (1, "source link-address"),
    (2, "destination link-address"),
    (3, "prefix info"),
    (4, "redirected header"),
    (5, "mtu"),
    (25, "rdnss"),
    (31, "dnssl"),
    (7, "advertisement interval"),
    (8, "homeagent information"),
    (24, "route info"),
];

/// MLDv2 record types (print-icmp6.c `mldv2report2str`).
const MLDV2_REPORT_TYPES: [&str; 6] = ["is_in", "is_ex", "to_in", "to_ex", "allow", "block"];

const RTPREF: [&str; 4] = ["medium", "high", "rsv", "low"];

/// ` [|icmp6]` and a normal return (print-icmp6.c's `goto trunc`).
fn local_trunc(nd: &mut Nd<'_>) -> PResult {
    nd.print(" [|icmp6]");
    Ok(())
}

fn name_of<T: PartialEq + Copy>(table: &[(T, &'static str)], v: T) -> Option<&'static str> {
    table.iter().find(|(k, _)| *k == v).map(|(_, n)| *n)
}

fn lifetime(v: u32) -> String {
    if v == u32::MAX {
        "infinity".to_string()
    } else {
        format!("{v}s")
    }
}

fn rtpref(flags: u8) -> &'static str {
    RTPREF
        .get(usize::from((flags & 0x18) >> 3))
        .copied()
        .unwrap_or("")
}

/// Print from the start of the icmp6 header; `len` is the on-wire length from there
/// (print-icmp6.c `icmp6_print`).
pub fn print(nd: &mut Nd<'_>, data: &[u8], len: u32, ip: &IpCtx) -> PResult {
    nd.protocol = "icmp6";
    let length = len as usize;
    if length == 0 {
        nd.print("ICMP6, length 0 (invalid)");
        return Ok(());
    }
    if nd.opts.v > 0 && !ip.fragmented && ttest(data, 0, length) {
        let field = get_be_u16(data, 2)?;
        let body = data.get(..length).unwrap_or(data);
        let sum = checksum::transport_checksum(ip.src, ip.pseudo_dst, IPPROTO_ICMPV6, body);
        if sum != 0 {
            let want = shouldbe(field, sum);
            crate::nd_print!(nd, "[bad icmp6 cksum 0x{field:04x} -> 0x{want:04x}!] ");
        } else {
            nd.print("[icmp6 sum ok] ");
        }
    }
    let t = get_u8(data, 0)?;
    match name_of(&TYPE_VALUES, t) {
        Some(n) => crate::nd_print!(nd, "ICMP6, {n}"),
        None => crate::nd_print!(nd, "ICMP6, unknown icmp6 type ({t})"),
    }
    let len_early = matches!(
        t,
        ROUTER_SOLICIT
            | ROUTER_ADVERT
            | NEIGHBOR_ADVERT
            | NEIGHBOR_SOLICIT
            | REDIRECT
            | HADISCOV_REPLY
            | MOBILEPREFIX_ADVERT
    );
    if nd.opts.v > 0 && len_early {
        crate::nd_print!(nd, ", length {length}");
    }
    if !body_print(nd, data, length, t)? {
        return Ok(());
    }
    if nd.opts.v == 0 {
        crate::nd_print!(nd, ", length {length}");
    }
    Ok(())
}

/// The type-specific part: `Ok(false)` when print-icmp6.c returns before the final length.
fn body_print(nd: &mut Nd<'_>, data: &[u8], length: usize, t: u8) -> PResult<bool> {
    let code = get_u8(data, 1)?;
    match t {
        DST_UNREACH => return unreach_print(nd, data, length, code),
        PACKET_TOO_BIG => crate::nd_print!(nd, ", mtu {}", get_be_u32(data, 4)?),
        TIME_EXCEEDED => match code {
            0 => {
                let dst = names::ip6addr_at(nd, data, 32)?;
                crate::nd_print!(nd, " for {dst}");
            }
            1 => nd.print(" (reassembly)"),
            _ => crate::nd_print!(nd, ", unknown code ({code})"),
        },
        PARAM_PROB => return param_prob_print(nd, data, code),
        ECHO_REQUEST | ECHO_REPLY => {
            let (id, seq) = (get_be_u16(data, 4)?, get_be_u16(data, 6)?);
            crate::nd_print!(nd, ", id {id}, seq {seq}");
        }
        MLD_QUERY if length == 24 => mld6_print(nd, data)?,
        MLD_QUERY if length >= 28 => {
            nd.print(" v2");
            mldv2_query_print(nd, data, length)?;
        }
        MLD_QUERY => crate::nd_print!(nd, " unknown-version (len {length}) "),
        MLD_REPORT | MLD_DONE => mld6_print(nd, data)?,
        MLDV2_REPORT => mldv2_report_print(nd, data, length)?,
        ROUTER_SOLICIT | ROUTER_ADVERT | NEIGHBOR_SOLICIT | NEIGHBOR_ADVERT | REDIRECT => {
            return nd_print(nd, data, length, t)
        }
        IND_SOLICIT | IND_ADVERT => {}
        ROUTER_RENUMBERING => icmp6_misc::rrenum_print(nd, data)?,
        NI_QUERY | NI_REPLY => icmp6_misc::nodeinfo_print(nd, data, length)?,
        RPL => {
            let body = data.get(4..).unwrap_or(&[]);
            icmp6_misc::rpl_print(nd, code, body, length.wrapping_sub(4))?;
        }
        MOBILEPREFIX_SOLICIT | HADISCOV_REQUEST => {
            crate::nd_print!(nd, ", id 0x{:04x}", get_be_u16(data, 4)?);
        }
        HADISCOV_REPLY if nd.opts.v > 0 => {
            crate::nd_print!(nd, ", id 0x{:04x}", get_be_u16(data, 4)?);
            let mut p = 8;
            while p < length {
                let a = names::ip6addr_at(nd, data, p)?;
                crate::nd_print!(nd, ", {a}");
                p += 16;
            }
        }
        MOBILEPREFIX_ADVERT if nd.opts.v > 0 => return mobile_advert_print(nd, data, length),
        HADISCOV_REPLY | MOBILEPREFIX_ADVERT => {}
        _ => {
            crate::nd_print!(nd, ", length {length}");
            if nd.opts.v <= 1 {
                print_unknown_data(nd, data, 0, "\n\t", length);
            }
            return Ok(false);
        }
    }
    Ok(true)
}

/// Destination unreachable: the code, then the quoted datagram's addresses or port.
fn unreach_print(nd: &mut Nd<'_>, data: &[u8], length: usize, code: u8) -> PResult<bool> {
    match name_of(&UNREACH_CODE_VALUES, code) {
        Some(n) => crate::nd_print!(nd, ", {n}"),
        None => crate::nd_print!(nd, ", unknown unreach code ({code})"),
    }
    match code {
        0 | 1 | 3 => {
            let dst = names::ip6addr_at(nd, data, 32)?;
            crate::nd_print!(nd, " {dst}");
        }
        2 => {
            let dst = names::ip6addr_at(nd, data, 32)?;
            let src = names::ip6addr_at(nd, data, 16)?;
            crate::nd_print!(nd, " {dst}, source address {src}");
        }
        4 => {
            let Some((proto, at)) = upper_layer(data, 8) else {
                local_trunc(nd)?;
                return Ok(false);
            };
            let dport = get_be_u16(data, at + 2)?;
            let dst = names::ip6addr_at(nd, data, 32)?;
            match proto {
                6 => {
                    let p = names::tcpport_string(nd, dport);
                    crate::nd_print!(nd, ", {dst} tcp port {p}");
                }
                17 => {
                    let p = names::udpport_string(nd, dport);
                    crate::nd_print!(nd, ", {dst} udp port {p}");
                }
                _ => crate::nd_print!(nd, ", {dst} protocol {proto} port {dport} unreachable"),
            }
        }
        _ if nd.opts.v <= 1 => {
            print_unknown_data(nd, data, 0, "\n\t", length);
            return Ok(false);
        }
        _ => {}
    }
    Ok(true)
}

/// The transport header of the datagram quoted at `oip`, past its extension headers
/// (print-icmp6.c `get_upperlayer`): its protocol and offset, if its ports were captured.
fn upper_layer(data: &[u8], oip: usize) -> Option<(u8, usize)> {
    let mut nh = data.get(oip + 6).copied()?;
    let mut at = oip;
    let mut hlen = 40;
    while at < data.len() {
        at += hlen;
        match nh {
            6 | 17 => return ttest(data, at + 2, 2).then_some((nh, at)),
            0 | 60 | 43 => {
                let l = data.get(at + 1).copied()?;
                nh = data.get(at).copied()?;
                hlen = (usize::from(l) + 1) << 3;
            }
            44 => {
                let off = get_be_u16(data, at + 2).ok()?;
                if off & 0xfff8 != 0 {
                    return None;
                }
                nh = data.get(at).copied()?;
                hlen = 8;
            }
            51 => {
                let l = data.get(at + 1).copied()?;
                nh = data.get(at).copied()?;
                hlen = (usize::from(l) + 2) << 2;
            }
            _ => return None,
        }
    }
    None
}

/// Parameter problem: the code and the pointer.
fn param_prob_print(nd: &mut Nd<'_>, data: &[u8], code: u8) -> PResult<bool> {
    if !ttest(data, 32, 16) {
        local_trunc(nd)?;
        return Ok(false);
    }
    let what = match code {
        0 => "erroneous",
        1 => "next header",
        2 => "option",
        3 => "incomplete header chain",
        _ => {
            crate::nd_print!(nd, ", code-#{code}");
            return Ok(true);
        }
    };
    crate::nd_print!(nd, ", {what} - octet {}", get_be_u32(data, 4)?);
    Ok(true)
}

/// Router and neighbor discovery messages, with their options at `-v`.
fn nd_print(nd: &mut Nd<'_>, data: &[u8], length: usize, t: u8) -> PResult<bool> {
    let opts_at = match t {
        ROUTER_SOLICIT => 8,
        ROUTER_ADVERT => {
            if nd.opts.v > 0 {
                router_advert_print(nd, data)?;
            }
            16
        }
        NEIGHBOR_SOLICIT => {
            let tgt = names::ip6addr_at(nd, data, 8)?;
            crate::nd_print!(nd, ", who has {tgt}");
            24
        }
        NEIGHBOR_ADVERT => {
            let tgt = names::ip6addr_at(nd, data, 8)?;
            crate::nd_print!(nd, ", tgt is {tgt}");
            if nd.opts.v > 0 {
                let flags = bittok2str(&NA_FLAG_VALUES, "none", get_be_u32(data, 4)?);
                crate::nd_print!(nd, ", Flags [{flags}]");
            }
            24
        }
        _ => {
            let dst = names::ip6addr_at(nd, data, 24)?;
            crate::nd_print!(nd, ", {dst}");
            let tgt = names::ip6addr_at(nd, data, 8)?;
            crate::nd_print!(nd, " to {tgt}");
            40
        }
    };
    if nd.opts.v > 0 && !opt_print(nd, data, opts_at, length as i64 - opts_at as i64)? {
        local_trunc(nd)?;
        return Ok(false);
    }
    Ok(true)
}

fn router_advert_print(nd: &mut Nd<'_>, data: &[u8]) -> PResult {
    let hops = get_u8(data, 4)?;
    let flags = get_u8(data, 5)?;
    crate::nd_print!(
        nd,
        "\n\thop limit {hops}, Flags [{}], pref {}, router lifetime {}s, reachable time {}ms, retrans timer {}ms",
        bittok2str(&RA_FLAG_VALUES, "none", u32::from(flags)),
        rtpref(flags),
        get_be_u16(data, 6)?,
        get_be_u32(data, 8)?,
        get_be_u32(data, 12)?
    );
    Ok(())
}

/// Mobile prefix advertisement: id, M/O flags, options.
fn mobile_advert_print(nd: &mut Nd<'_>, data: &[u8], length: usize) -> PResult<bool> {
    crate::nd_print!(nd, ", id 0x{:04x}", get_be_u16(data, 4)?);
    let flags = get_be_u16(data, 6)?;
    if flags & 0xc000 != 0 {
        nd.print(" ");
    }
    flag_names_print(nd, &[(0x8000, "M"), (0x4000, "O")], flags.into());
    if !opt_print(nd, data, 8, length as i64 - 8)? {
        local_trunc(nd)?;
        return Ok(false);
    }
    Ok(true)
}

/// Neighbor discovery options from `at` (print-icmp6.c `icmp6_opt_print`): `Ok(false)` for
/// its truncation return.
fn opt_print(nd: &mut Nd<'_>, data: &[u8], start: usize, mut resid: i64) -> PResult<bool> {
    let mut cp = start;
    while cp < data.len() {
        if !ttest(data, cp + 1, 1) {
            return Ok(false);
        }
        if resid <= 0 {
            return Ok(true);
        }
        let opt_type = get_u8(data, cp)?;
        let opt_len = usize::from(get_u8(data, cp + 1)?);
        let bytes = opt_len << 3;
        if opt_len == 0 || cp + bytes > data.len() {
            return Ok(false);
        }
        crate::nd_print!(
            nd,
            "\n\t  {} option ({opt_type}), length {bytes} ({opt_len}): ",
            name_of(&OPT_VALUES, opt_type).unwrap_or("unknown")
        );
        if !one_opt_print(nd, data, (start, cp), opt_type, opt_len)? {
            return Ok(false);
        }
        if name_of(&OPT_VALUES, opt_type).is_none() && nd.opts.v <= 1 {
            print_unknown_data(nd, data, cp + 2, "\n\t  ", bytes - 2);
            return Ok(true);
        }
        if nd.opts.v > 1 {
            print_unknown_data(nd, data, cp + 2, "\n\t    ", bytes - 2);
        }
        cp += bytes;
        resid -= bytes as i64;
    }
    Ok(true)
}

/// One option's body; `Ok(false)` for the route information option's truncation exits.
fn one_opt_print(
    nd: &mut Nd<'_>,
    data: &[u8],
    (bp, cp): (usize, usize),
    opt_type: u8,
    opt_len: usize,
) -> PResult<bool> {
    match opt_type {
        1 | 2 => {
            let l = (opt_len << 3) - 2;
            let addr = super::get_bytes(data, cp + 2, l)?;
            let text: Vec<String> = addr.iter().map(|b| format!("{b:02x}")).collect();
            nd.print(&text.join(":"));
        }
        3 => {
            let prefix = names::ip6addr_at(nd, data, cp + 16)?;
            let plen = get_u8(data, cp + 2)?;
            let bad = if opt_len != 4 { "badlen" } else { "" };
            let flags = bittok2str(&PI_FLAG_VALUES, "none", u32::from(get_u8(data, cp + 3)?));
            let valid = lifetime(get_be_u32(data, cp + 4)?);
            crate::nd_print!(
                nd,
                "{prefix}/{plen}{bad}, Flags [{flags}], valid time {valid}"
            );
            let pref = lifetime(get_be_u32(data, cp + 8)?);
            crate::nd_print!(nd, ", pref. time {pref}");
        }
        // tcpdump dumps from the start of the options here, not from this option.
        4 => print_unknown_data(nd, data, bp, "\n\t    ", opt_len << 3),
        5 => {
            let bad = if opt_len != 1 {
                "bad option length"
            } else {
                ""
            };
            crate::nd_print!(nd, " {}{bad}", get_be_u32(data, cp + 4)?);
        }
        25 => {
            crate::nd_print!(nd, " lifetime {}s,", get_be_u32(data, cp + 4)?);
            for i in 0..(opt_len - 1) / 2 {
                let a = names::ip6addr_at(nd, data, cp + 8 + 16 * i)?;
                crate::nd_print!(nd, " addr: {a}");
            }
        }
        31 => return dnssl_print(nd, data, (bp, cp), opt_len),
        7 => crate::nd_print!(nd, " {}ms", get_be_u32(data, cp + 4)?),
        8 => {
            let (pref, life) = (get_be_u16(data, cp + 4)?, get_be_u16(data, cp + 6)?);
            crate::nd_print!(nd, " preference {pref}, lifetime {life}");
        }
        24 => return route_info_print(nd, data, cp, opt_len),
        _ => {}
    }
    Ok(true)
}

/// Route information (RFC 4191): prefix of 0, 8 or 16 bytes, preference, lifetime.
fn route_info_print(nd: &mut Nd<'_>, data: &[u8], cp: usize, opt_len: usize) -> PResult<bool> {
    if !ttest(data, cp + 4, 4) {
        return Ok(false);
    }
    let mut prefix = [0u8; 16];
    let n = match opt_len {
        1 => 0,
        2 => 8,
        3 => 16,
        _ => return Ok(false),
    };
    for (i, b) in super::get_bytes(data, cp + 8, n)?.iter().enumerate() {
        if let Some(slot) = prefix.get_mut(i) {
            *slot = *b;
        }
    }
    let text = names::ipaddr_string(nd, IpAddr::V6(Ipv6Addr::from(prefix)));
    crate::nd_print!(nd, " {text}/{}", get_u8(data, cp + 2)?);
    crate::nd_print!(nd, ", pref={}", rtpref(get_u8(data, cp + 3)?));
    crate::nd_print!(nd, ", lifetime={}", lifetime(get_be_u32(data, cp + 4)?));
    Ok(true)
}

/// DNS search list (RFC 8106): lifetime, then the names up to the first empty one.
fn dnssl_print(
    nd: &mut Nd<'_>,
    data: &[u8],
    (bp, cp): (usize, usize),
    opt_len: usize,
) -> PResult<bool> {
    crate::nd_print!(nd, " lifetime {}s, domain(s):", get_be_u32(data, cp + 4)?);
    let end = cp + (opt_len << 3);
    let mut domp = cp + 8;
    while domp < end && get_u8(data, domp)? != 0 {
        nd.print(" ");
        match domain::fqdn_print(nd, data, domp, bp)? {
            Some(next) => domp = next,
            None => return Ok(false),
        }
    }
    Ok(true)
}

/// MLDv1 (RFC 2710): printed right after the type name, without a separator, as tcpdump
/// does; nothing when the message was not captured whole.
fn mld6_print(nd: &mut Nd<'_>, data: &[u8]) -> PResult {
    if !ttest(data, 0, 24) {
        return Ok(());
    }
    crate::nd_print!(nd, "max resp delay: {} ", get_be_u16(data, 4)?);
    let a = names::ip6addr_at(nd, data, 8)?;
    crate::nd_print!(nd, "addr: {a}");
    Ok(())
}

/// MLDv2 report (RFC 3810): the number of records, each with its sources at `-vv`.
fn mldv2_report_print(nd: &mut Nd<'_>, data: &[u8], len: usize) -> PResult {
    if len < 8 {
        crate::nd_print!(nd, " [invalid len {len}]");
        return Ok(());
    }
    let ngroups = get_be_u16(data, 6)?;
    crate::nd_print!(nd, ", {ngroups} group record(s)");
    if nd.opts.v == 0 {
        return Ok(());
    }
    let mut group = 8;
    for _ in 0..ngroups {
        if len < group + 20 {
            nd.print(" [invalid number of groups]");
            return Ok(());
        }
        let gaddr = names::ip6addr_at(nd, data, group + 4)?;
        crate::nd_print!(nd, " [gaddr {gaddr}");
        let rtype = get_u8(data, group)?;
        match MLDV2_REPORT_TYPES.get(usize::from(rtype).wrapping_sub(1)) {
            Some(n) => crate::nd_print!(nd, " {n}"),
            None => crate::nd_print!(nd, "  [v2-report-#{rtype}]"),
        }
        let nsrcs = usize::from(get_be_u16(data, group + 2)?);
        if len < group + 20 + nsrcs * 16 {
            crate::nd_print!(nd, " [invalid number of sources {nsrcs}]");
            return Ok(());
        }
        if nd.opts.v == 1 {
            crate::nd_print!(nd, ", {nsrcs} source(s)");
        } else {
            sources_print(nd, data, group + 20, nsrcs)?;
        }
        group += 20 + nsrcs * 16;
        nd.print("]");
    }
    Ok(())
}

/// ` { a b c }`.
fn sources_print(nd: &mut Nd<'_>, data: &[u8], at: usize, n: usize) -> PResult {
    nd.print(" {");
    for j in 0..n {
        let a = names::ip6addr_at(nd, data, at + 16 * j)?;
        crate::nd_print!(nd, " {a}");
    }
    nd.print(" }");
    Ok(())
}

/// MLDv2 query (RFC 3810 section 5.1): max response delay, group, flags, sources.
fn mldv2_query_print(nd: &mut Nd<'_>, data: &[u8], len: usize) -> PResult {
    if len < 28 {
        crate::nd_print!(nd, " [invalid len {len}]");
        return Ok(());
    }
    let mrc = u32::from(get_be_u16(data, 4)?);
    let mrt = if mrc < 32768 {
        mrc
    } else {
        ((mrc & 0x0fff) | 0x1000) << (((mrc & 0x7000) >> 12) + 3)
    };
    if nd.opts.v > 0 {
        crate::nd_print!(nd, " [max resp delay={mrt}]");
    }
    let gaddr = names::ip6addr_at(nd, data, 8)?;
    crate::nd_print!(nd, " [gaddr {gaddr}");
    if nd.opts.v > 0 {
        let b24 = get_u8(data, 24)?;
        if b24 & 0x08 != 0 {
            nd.print(" sflag");
        }
        if b24 & 0x07 != 0 {
            crate::nd_print!(nd, " robustness={}", b24 & 0x07);
        }
        let qqic = u32::from(get_u8(data, 25)?);
        let qqi = if qqic < 128 {
            qqic
        } else {
            ((qqic & 0x0f) | 0x10) << (((qqic & 0x70) >> 4) + 3)
        };
        crate::nd_print!(nd, " qqi={qqi}");
    }
    let nsrcs = usize::from(get_be_u16(data, 26)?);
    if nsrcs > 0 {
        if len < 28 + nsrcs * 16 {
            nd.print(" [invalid number of sources]");
        } else if nd.opts.v > 1 {
            sources_print(nd, data, 28, nsrcs)?;
        } else {
            crate::nd_print!(nd, ", {nsrcs} source(s)");
        }
    }
    nd.print("]");
    Ok(())
}

#[cfg(test)]
#[allow(clippy::indexing_slicing, clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::capture::print::testing::{opts, with_nd};
    use proptest::prelude::*;

    fn ctx() -> IpCtx {
        let a = IpAddr::V6(Ipv6Addr::LOCALHOST);
        IpCtx {
            src: a,
            dst: a,
            pseudo_dst: a,
            fragmented: false,
            nested: false,
            after_ext_headers: false,
            ttl: 64,
        }
    }

    fn run(data: &[u8], len: u32, v: u8) -> (String, PResult) {
        with_nd(&opts(v), |nd| print(nd, data, len, &ctx()))
    }

    fn with_checksum(mut m: Vec<u8>) -> Vec<u8> {
        let a = IpAddr::V6(Ipv6Addr::LOCALHOST);
        let sum = checksum::transport_checksum(a, a, IPPROTO_ICMPV6, &m);
        m[2..4].copy_from_slice(&sum.to_be_bytes());
        m
    }

    /// A router solicitation with a source link-address option.
    fn solicit() -> Vec<u8> {
        with_checksum(vec![133, 0, 0, 0, 0, 0, 0, 0, 1, 1, 2, 0, 0, 0, 0, 1])
    }

    #[test]
    fn checksum_verdicts_follow_the_pseudo_header() {
        let m = solicit();
        assert!(run(&m, 16, 1).0.contains("sum ok"));
        let mut bad = m.clone();
        bad[15] ^= 1;
        let (out, _) = run(&bad, 16, 1);
        assert!(out.contains("bad icmp6 cksum"), "{out}");
        assert!(!run(&m, 16, 0).0.contains("sum"));
    }

    #[test]
    fn options_are_printed_only_with_v_and_a_zero_length_stops_them() {
        let m = solicit();
        assert!(!run(&m, 16, 0).0.contains("option"));
        assert!(run(&m, 16, 1).0.contains("option"));
        let zero = with_checksum(vec![133, 0, 0, 0, 0, 0, 0, 0, 1, 0, 2, 0, 0, 0, 0, 1]);
        let (out, r) = run(&zero, 16, 1);
        assert!(r.is_ok() && out.ends_with("[|icmp6]"), "{out}");
    }

    #[test]
    fn lifetimes_and_preferences() {
        assert_eq!(lifetime(u32::MAX), "infinity");
        assert_eq!(lifetime(30), "30s");
        assert_eq!(rtpref(0x08), "high");
        assert_eq!(rtpref(0x18), "low");
        assert_eq!(bittok2str(&RA_FLAG_VALUES, "none", 0).to_string(), "none");
        assert_eq!(
            bittok2str(&RA_FLAG_VALUES, "none", 0xc0).to_string(),
            "managed, other stateful"
        );
    }

    #[test]
    fn every_prefix_prints_without_panic() {
        let m = solicit();
        for cut in 0..=m.len() {
            for v in 0..3 {
                let _ = run(&m[..cut], 16, v);
            }
        }
    }

    proptest! {
        #[test]
        fn arbitrary_messages_never_panic(
            t in prop::sample::select(vec![1u8, 2, 3, 4, 128, 130, 131, 133, 134, 135, 136, 137, 143, 145, 147, 250]),
            rest in proptest::collection::vec(any::<u8>(), 0..120),
            extra in 0u32..40,
            v in 0u8..4,
        ) {
            let mut data = vec![t];
            data.extend_from_slice(&rest);
            let len = data.len() as u32 + extra;
            let _ = run(&data, len, v);
        }
    }
}
