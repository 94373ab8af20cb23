//! The less common ICMPv6 messages (print-icmp6.c at tcpdump-4.99.3): router renumbering
//! (RFC 2894), node information queries and replies (RFC 4620, with the KAME who-are-you
//! form) and RPL control messages (RFC 6550).
//!
//! As in the rest of print-icmp6.c, its own truncation checks print ` [|icmp6]` and return;
//! failed `GET_*` reads unwind (`?`).

use super::util::{fn_print_char, hex_print};
use super::{get_be_u16, get_be_u32, get_u8, names, ttest, Nd, PResult};

fn local_trunc(nd: &mut Nd<'_>) {
    nd.print(" [|icmp6]");
}

/// Router renumbering (print-icmp6.c `icmp6_rrenum_print`).
pub fn rrenum_print(nd: &mut Nd<'_>, d: &[u8]) -> PResult {
    if !ttest(d, 12, 4) {
        local_trunc(nd);
        return Ok(());
    }
    let code = get_u8(d, 1)?;
    match code {
        0 => nd.print(", command"),
        1 => nd.print(", result"),
        255 => nd.print(", sequence number reset"),
        _ => crate::nd_print!(nd, ", code-#{code}"),
    }
    crate::nd_print!(nd, ", seq={}", get_be_u32(d, 4)?);
    if nd.opts.v > 0 {
        let f = get_u8(d, 9)?;
        nd.print("[");
        if f != 0 {
            for (bit, c) in [
                (0x80, "T"),
                (0x40, "R"),
                (0x20, "A"),
                (0x10, "S"),
                (0x08, "P"),
            ] {
                if f & bit != 0 {
                    nd.print(c);
                }
            }
            nd.print(",");
        }
        crate::nd_print!(nd, "seg={},", get_u8(d, 8)?);
        crate::nd_print!(nd, "maxdelay={}", get_be_u16(d, 10)?);
        let rsvd = get_be_u32(d, 12)?;
        if rsvd != 0 {
            crate::nd_print!(nd, "rsvd=0x{rsvd:x}");
        }
        nd.print("]");
    }
    if code == 0 {
        return rr_match_print(nd, d);
    }
    Ok(())
}

/// The match-prefix part of a renumbering command and its use-prefix parts.
fn rr_match_print(nd: &mut Nd<'_>, d: &[u8]) -> PResult {
    const M: usize = 16;
    if !ttest(d, M + 8, 16) {
        local_trunc(nd);
        return Ok(());
    }
    nd.print(if nd.opts.v > 1 { "\n\t" } else { " " });
    nd.print("match(");
    match get_u8(d, M)? {
        1 => nd.print("add"),
        2 => nd.print("change"),
        3 => nd.print("setglobal"),
        c => crate::nd_print!(nd, "#{c}"),
    }
    if nd.opts.v > 0 {
        crate::nd_print!(nd, ",ord={}", get_u8(d, M + 2)?);
        crate::nd_print!(nd, ",min={}", get_u8(d, M + 4)?);
        crate::nd_print!(nd, ",max={}", get_u8(d, M + 5)?);
    }
    let prefix = prefix_at(d, M + 8)?;
    crate::nd_print!(nd, ",{prefix}/{})", get_u8(d, M + 3)?);
    let len = i32::from(get_u8(d, M + 1)?) - 3;
    if len % 4 != 0 {
        local_trunc(nd);
        return Ok(());
    }
    for k in 0..(len / 4).max(0) as usize {
        if !rr_use_print(nd, d, M + 24 + 32 * k)? {
            return Ok(());
        }
    }
    Ok(())
}

/// One use-prefix part; `Ok(false)` after a truncation.
fn rr_use_print(nd: &mut Nd<'_>, d: &[u8], u: usize) -> PResult<bool> {
    if !ttest(d, u + 16, 16) {
        local_trunc(nd);
        return Ok(false);
    }
    nd.print(if nd.opts.v > 1 { "\n\t" } else { " " });
    nd.print("use(");
    // print-icmp6.c tests the first byte of the flags word against network-order masks,
    // which on a little-endian host are 0x80 (V) and 0x40 (P).
    let flags = get_u8(d, u + 12)?;
    if flags != 0 {
        let v = if flags & 0x80 != 0 { "V" } else { "" };
        let p = if flags & 0x40 != 0 { "P" } else { "" };
        crate::nd_print!(nd, "{v}{p},");
    }
    if nd.opts.v > 0 {
        crate::nd_print!(nd, "mask=0x{:x},", get_u8(d, u + 2)?);
        crate::nd_print!(nd, "raflags=0x{:x},", get_u8(d, u + 3)?);
        for (name, at) in [("vltime", u + 4), ("pltime", u + 8)] {
            match get_be_u32(d, at)? {
                u32::MAX => crate::nd_print!(nd, "{name}=infty,"),
                t => crate::nd_print!(nd, "{name}={t},"),
            }
        }
    }
    let prefix = prefix_at(d, u + 16)?;
    let (uselen, keeplen) = (get_u8(d, u)?, get_u8(d, u + 1)?);
    crate::nd_print!(nd, "{prefix}/{uselen}/{keeplen})");
    Ok(true)
}

/// A prefix in `addrtostr6` form (never a host name).
fn prefix_at(d: &[u8], at: usize) -> PResult<String> {
    let a: [u8; 16] = super::get_array(d, at)?;
    Ok(names::ip6_numeric(a.into()))
}

/// Node information query or reply (print-icmp6.c `icmp6_nodeinfo_print`); `length` is the
/// ICMPv6 length, the captured bytes stand for tcpdump's end of packet.
pub fn nodeinfo_print(nd: &mut Nd<'_>, d: &[u8], length: usize) -> PResult {
    if get_u8(d, 0)? == 139 {
        return ni_query_print(nd, d);
    }
    if length > d.len() || !ttest(d, 0, 16) {
        local_trunc(nd);
        return Ok(());
    }
    nd.print(" node information reply (");
    let code = get_u8(d, 1)?;
    let comma = (code == 0 && nd.opts.v > 0) || code == 1 || code == 2;
    match code {
        0 if nd.opts.v > 0 => nd.print("success"),
        1 | 2 => {
            nd.print(if code == 1 { "refused" } else { "unknown" });
            if d.len() != 16 && nd.opts.v > 0 {
                nd.print(", invalid length");
            }
        }
        _ => {}
    }
    if code == 0 {
        if comma {
            nd.print(", ");
        }
        ni_reply_body_print(nd, d)?;
    }
    nd.print(")");
    Ok(())
}

/// The answer of a successful reply, by query type.
fn ni_reply_body_print(nd: &mut Nd<'_>, d: &[u8]) -> PResult {
    let flags = get_be_u16(d, 6)?;
    match get_be_u16(d, 4)? {
        0 => {
            nd.print("noop");
            if d.len() != 16 && nd.opts.v > 0 {
                nd.print(", invalid length");
            }
        }
        1 => {
            nd.print("supported qtypes");
            if flags != 0 {
                crate::nd_print!(nd, " [{}]", if flags & 1 != 0 { "C" } else { "" });
            }
        }
        2 => {
            nd.print("DNS name");
            ni_name_print(nd, d, 20)?;
            if flags & 1 != 0 {
                crate::nd_print!(nd, " [TTL={}]", get_be_u32(d, 16)?);
            }
        }
        3 => {
            nd.print("node addresses");
            let mut i = 16;
            while i + 20 <= d.len() {
                let a = names::ip6addr_at(nd, d, i + 4)?;
                crate::nd_print!(nd, " {a}({})", get_be_u32(d, i)?);
                i += 20;
            }
            if flags != 0 {
                nd.print(&nodeaddr_flags(flags, true));
            }
        }
        _ => nd.print("unknown"),
    }
    Ok(())
}

/// ` [aGSLCA]` (and `T` in replies) for the node-addresses flags.
fn nodeaddr_flags(flags: u16, reply: bool) -> String {
    let mut s = String::from(" [");
    for (bit, c) in [
        (0x40, 'a'),
        (0x20, 'G'),
        (0x10, 'S'),
        (0x08, 'L'),
        (0x04, 'C'),
        (0x02, 'A'),
    ] {
        if flags & bit != 0 {
            s.push(c);
        }
    }
    if reply && flags & 0x01 != 0 {
        s.push('T');
    }
    s.push(']');
    s
}

/// A query: the KAME who-are-you form, or the query type and its subject.
fn ni_query_print(nd: &mut Nd<'_>, d: &[u8]) -> PResult {
    if d.len() == 12 {
        nd.print(" who-are-you request");
        return Ok(());
    }
    nd.print(" node information query");
    if !ttest(d, 0, 16) {
        local_trunc(nd);
        return Ok(());
    }
    nd.print(" (");
    let (qtype, flags) = (get_be_u16(d, 4)?, get_be_u16(d, 6)?);
    match qtype {
        0 => nd.print("noop"),
        1 => {
            nd.print("supported qtypes");
            if flags != 0 {
                crate::nd_print!(nd, " [{}]", if flags & 1 != 0 { "C" } else { "" });
            }
        }
        2 => nd.print("DNS name"),
        3 => {
            nd.print("node addresses");
            if flags != 0 {
                nd.print(&nodeaddr_flags(flags, false));
            }
        }
        _ => nd.print("unknown"),
    }
    if qtype <= 1 {
        if d.len() != 16 && nd.opts.v > 0 {
            nd.print(", invalid len");
        }
    } else if d.len() == 16 {
        nd.print(", 03 draft");
    } else {
        ni_subject_print(nd, d)?;
    }
    nd.print(")");
    Ok(())
}

/// The subject of a query: an IPv6 address, a name or an IPv4 address.
fn ni_subject_print(nd: &mut Nd<'_>, d: &[u8]) -> PResult {
    let (want, v6) = match get_u8(d, 1)? {
        0 => (32, true),
        2 => (20, false),
        1 => {
            nd.print(", subject=DNS name");
            return ni_name_print(nd, d, 16);
        }
        _ => {
            nd.print(", unknown subject");
            return Ok(());
        }
    };
    if !ttest(d, 0, want) {
        return Ok(());
    }
    if d.len() != want {
        if nd.opts.v > 0 {
            nd.print(", invalid subject len");
        }
        return Ok(());
    }
    let a = if v6 {
        names::ip6addr_at(nd, d, 16)?
    } else {
        names::ipaddr_at(nd, d, 16)?
    };
    crate::nd_print!(nd, ", subject={a}");
    Ok(())
}

/// A name at `cp`: a length-prefixed string (draft 03) or DNS labels without compression
/// (print-icmp6.c `dnsname_print`).
fn ni_name_print(nd: &mut Nd<'_>, d: &[u8], cp: usize) -> PResult {
    let ep = d.len();
    if usize::from(get_u8(d, cp)?) == ep.wrapping_sub(cp + 1) {
        if nd.opts.v > 0 {
            nd.print(", 03 draft");
        }
        nd.print(", \"");
        for k in cp + 1..ep {
            fn_print_char(nd, get_u8(d, k)?);
        }
        nd.print("\"");
        return Ok(());
    }
    nd.print(", \"");
    let mut cp = cp;
    while cp < ep {
        let i = usize::from(get_u8(d, cp)?);
        cp += 1;
        if i == 0 {
            if cp == ep {
                nd.print(".");
            } else if !(cp + 1 == ep && get_u8(d, cp)? == 0) {
                nd.print("???");
            }
            break;
        }
        if i > ep - cp {
            nd.print("???");
            break;
        }
        for k in cp..cp + i {
            fn_print_char(nd, get_u8(d, k)?);
        }
        cp += i;
        if cp + 1 < ep && get_u8(d, cp)? != 0 {
            nd.print(".");
        }
    }
    nd.print("\"");
    Ok(())
}

/// RPL mode-of-operation names (print-icmp6.c `rpl_mop_values`).
const RPL_MOP_VALUES: [&str; 4] = [
    "nonstoring",
    "storing",
    "nonstoring-multicast",
    "storing-multicast",
];

/// RPL option names (print-icmp6.c `rpl_subopt_values`).
const RPL_SUBOPT_VALUES: [(u8, &str); 9] = [
    (0, "pad1"),
    (1, "padN"),
    (2, "metrics"),
    (3, "routinginfo"),
    (4, "config"),
    (5, "rpltarget"),
    (6, "transitinfo"),
    (8, "destprefix"),
    (9, "rpltargetdesc"),
];

/// An RPL control message (print-icmp6.c `rpl_print`); `b` starts at the message body (the
/// ICMPv6 header's second word) and `length` counts from there.
pub fn rpl_print(nd: &mut Nd<'_>, code: u8, b: &[u8], length: usize) -> PResult {
    if code & 0x80 != 0 {
        nd.print(", (SEC) [worktodo]");
        return Ok(());
    }
    nd.print(", (CLR)");
    match code & 0x7f {
        0 => nd.print("DODAG Information Solicitation"),
        1 => {
            nd.print("DODAG Information Object");
            if nd.opts.v > 0 {
                rpl_dio_print(nd, b, length)?;
            }
        }
        2 | 3 => {
            let ack = code & 0x7f == 3;
            nd.print(if ack {
                "Destination Advertisement Object Ack"
            } else {
                "Destination Advertisement Object"
            });
            if nd.opts.v > 0 {
                rpl_dao_print(nd, b, length, ack)?;
            }
        }
        _ => crate::nd_print!(nd, "RPL message, unknown code {code}"),
    }
    Ok(())
}

fn rpl_dio_print(nd: &mut Nd<'_>, b: &[u8], length: usize) -> PResult {
    if length < 24 {
        crate::nd_print!(nd, " [length {length} < 24] (invalid)");
        return Ok(());
    }
    let dagid = names::ip6addr_at(nd, b, 8)?;
    let mopprf = get_u8(b, 4)?;
    let grounded = if mopprf & 0x80 != 0 { "grounded," } else { "" };
    let mop = usize::from((mopprf >> 3) & 7);
    let mop = RPL_MOP_VALUES
        .get(mop)
        .map_or_else(|| format!("mop{mop}"), |s| (*s).to_string());
    crate::nd_print!(
        nd,
        " [dagid:{dagid},seq:{},instance:{},rank:{},{grounded}mop:{mop},prf:{}]",
        get_u8(b, 5)?,
        get_u8(b, 0)?,
        get_be_u16(b, 2)?,
        mopprf & 7
    );
    if nd.opts.v > 1 {
        rpl_opts_print(nd, b, 24, length - 24)?;
    }
    Ok(())
}

/// DAO and DAO-ACK: the DODAG id when the D flag says it is there, then the options.
fn rpl_dao_print(nd: &mut Nd<'_>, b: &[u8], mut length: usize, ack: bool) -> PResult {
    let need = if ack { 4 } else { 20 };
    if !ttest(b, 0, need) {
        local_trunc(nd);
        return Ok(());
    }
    let short = if ack {
        " [|dao-length too short]"
    } else {
        " [|length too short]"
    };
    if length < 4 {
        nd.print(short);
        return Ok(());
    }
    let flags = get_u8(b, 1)?;
    let d_flag = flags & if ack { 0x80 } else { 0x40 } != 0;
    let (mut at, mut dagid) = (4, "<elided>".to_string());
    length -= 4;
    if d_flag {
        if !ttest(b, 4, 16) {
            local_trunc(nd);
            return Ok(());
        }
        if length < 16 {
            nd.print(short);
            return Ok(());
        }
        dagid = names::ip6addr_at(nd, b, 4)?;
        at += 16;
        length -= 16;
    }
    if ack {
        let (seq, inst, status) = (get_u8(b, 2)?, get_u8(b, 0)?, get_u8(b, 3)?);
        crate::nd_print!(
            nd,
            " [dagid:{dagid},seq:{seq},instance:{inst},status:{status}]"
        );
    } else {
        let k = if flags & 0x80 != 0 { ",acK" } else { "" };
        let dd = if d_flag { ",Dagid" } else { "" };
        let (seq, inst) = (get_u8(b, 3)?, get_u8(b, 0)?);
        crate::nd_print!(
            nd,
            " [dagid:{dagid},seq:{seq},instance:{inst}{k}{dd},{flags:02x}]"
        );
    }
    if nd.opts.v > 1 {
        rpl_opts_print(nd, b, at, length)?;
    }
    Ok(())
}

/// RPL options (print-icmp6.c `rpl_printopts`): names and lengths, contents at `-vvv`.
fn rpl_opts_print(nd: &mut Nd<'_>, b: &[u8], mut at: usize, mut length: usize) -> PResult {
    while length != 0 {
        let t = get_u8(b, at)?;
        let optlen = if t == 0 {
            nd.print(" opt:pad1");
            1
        } else {
            if length < 2 {
                local_trunc(nd);
                return Ok(());
            }
            let optlen = usize::from(get_u8(b, at + 1)?) + 2;
            match RPL_SUBOPT_VALUES.iter().find(|(v, _)| *v == t) {
                Some((_, n)) => crate::nd_print!(nd, " opt:{n} len:{optlen} "),
                None => crate::nd_print!(nd, " opt:subopt:{t} len:{optlen} "),
            }
            if !ttest(b, at, optlen) || length < optlen {
                local_trunc(nd);
                return Ok(());
            }
            if nd.opts.v > 2 {
                let body = super::get_bytes(b, at + 2, optlen - 2)?;
                hex_print(nd, " ", body);
            }
            optlen
        };
        at += optlen;
        length -= optlen;
    }
    Ok(())
}
