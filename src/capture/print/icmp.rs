//! ICMP for IPv4 (print-icmp.c at tcpdump-4.99.3; RFC 792, RFC 1191, RFC 1256, RFC 1812,
//! RFC 4884 multi-part extensions, RFC 4950 MPLS objects).
//!
//! print-icmp.c bails out of its own `ND_TCHECK`s by printing ` [|icmp]` and returning
//! (`local_trunc` here), while a failed `GET_*` read unwinds to the top (`?` here); the text is
//! the same, but only the first keeps the link header out of `-x`/`-X` dumps.

use std::fmt::Write as _;

use super::util::{print_unknown_data, shouldbe};
use super::{get_be_u16, get_be_u32, get_u8, ip, names, ttest, IpCtx, Nd, PResult};
use crate::capture::wire::checksum;

const ICMP_ECHOREPLY: u8 = 0;
const ICMP_UNREACH: u8 = 3;
const ICMP_SOURCEQUENCH: u8 = 4;
const ICMP_REDIRECT: u8 = 5;
const ICMP_ECHO: u8 = 8;
const ICMP_ROUTERADVERT: u8 = 9;
const ICMP_TIMXCEED: u8 = 11;
const ICMP_PARAMPROB: u8 = 12;
const ICMP_TSTAMP: u8 = 13;
const ICMP_TSTAMPREPLY: u8 = 14;
const ICMP_MASKREPLY: u8 = 18;

const ICMP_UNREACH_PORT: u8 = 3;
const ICMP_UNREACH_NEEDFRAG: u8 = 4;

/// Offset of the quoted IP header in an error message, and of its fields.
const QUOTED: usize = 8;
const QUOTED_PROTO: usize = QUOTED + 9;
const QUOTED_DST: usize = QUOTED + 16;

const IPPROTO_TCP: u8 = 6;
const IPPROTO_UDP: u8 = 17;

/// Types printed by name alone (print-icmp.c `icmp2str`).
const ICMP2STR: [(u8, &str); 9] = [
    (0, "echo reply"),
    (4, "source quench"),
    (8, "echo request"),
    (10, "router solicitation"),
    (13, "time stamp request"),
    (14, "time stamp reply"),
    (15, "information request"),
    (16, "information reply"),
    (17, "address mask request"),
];

/// Unreachable codes whose text is `PREFIX ADDR unreachable[SUFFIX]`, the address being the
/// quoted datagram's destination (codes 2, 3 and 4 have their own forms).
const UNREACH_TEXT: [(u8, &str, &str); 13] = [
    (0, "net ", ""),
    (1, "host ", ""),
    (5, "", " - source route failed"),
    (6, "net ", " - unknown"),
    (7, "host ", " - unknown"),
    (8, "", " - source host isolated"),
    (9, "net ", " - admin prohibited"),
    (10, "host ", " - admin prohibited"),
    (11, "net ", " - tos prohibited"),
    (12, "host ", " - tos prohibited"),
    (13, "host ", " - admin prohibited filter"),
    (14, "host ", " - host precedence violation"),
    (15, "host ", " - precedence cutoff"),
];

/// Redirect codes: `WORD DST to KIND GW`.
const REDIRECT_TEXT: [(&str, &str); 4] = [
    ("redirect", "net"),
    ("redirect", "host"),
    ("redirect-tos", "net"),
    ("redirect-tos", "host"),
];

/// RFC 4884 extension object classes (print-icmp.c `icmp_multipart_ext_obj_values`).
const EXT_OBJ_VALUES: [(u8, &str); 2] = [(1, "MPLS Stack Entry"), (2, "Interface Identification")];

/// Where the multi-part extension structure begins: 128 bytes of original datagram after the
/// 8-byte header (`ICMP_EXTD_MINLEN`).
const EXTD_MINLEN: usize = 136;
/// `sizeof(struct icmp_ext_t)` in print-icmp.c.
const EXT_T_SIZE: usize = 141;

/// ` [|icmp]` and a normal return: a failed `ND_TCHECK` in print-icmp.c (`goto trunc`).
fn local_trunc(nd: &mut Nd<'_>) -> PResult {
    let proto = nd.protocol;
    crate::nd_print!(nd, " [|{proto}]");
    Ok(())
}

/// Print from the start of the icmp header; `len` is the on-wire length from there
/// (print-icmp.c `icmp_print`).
pub fn print(nd: &mut Nd<'_>, data: &[u8], len: u32, ip: &IpCtx) -> PResult {
    nd.protocol = "icmp";
    let icmp_type = get_u8(data, 0)?;
    let Some(text) = summary(nd, data, icmp_type)? else {
        return local_trunc(nd);
    };
    crate::nd_print!(nd, "ICMP {text}, length {len}");
    let plen = len as usize;
    if nd.opts.v > 0 && !ip.fragmented && ttest(data, 0, plen) {
        let sum = checksum::checksum(data.get(..plen).unwrap_or(data));
        if sum != 0 {
            let field = get_be_u16(data, 2)?;
            crate::nd_print!(
                nd,
                " (wrong icmp cksum {field:x} (->{:x})!)",
                shouldbe(field, sum)
            );
        }
    }
    if nd.opts.v > 0 && is_error(icmp_type) {
        quoted_print(nd, data)?;
    }
    nd.protocol = "icmp";
    if nd.opts.v > 0 && plen > EXTD_MINLEN && has_extensions(icmp_type) {
        return extensions_print(nd, data, plen);
    }
    Ok(())
}

/// `ICMP_ERRTYPE`: the messages that quote a datagram.
fn is_error(t: u8) -> bool {
    matches!(
        t,
        ICMP_UNREACH | ICMP_SOURCEQUENCH | ICMP_REDIRECT | ICMP_TIMXCEED | ICMP_PARAMPROB
    )
}

/// `ICMP_MULTIPART_EXT_TYPE`: the messages that may carry RFC 4884 extensions.
fn has_extensions(t: u8) -> bool {
    matches!(t, ICMP_UNREACH | ICMP_TIMXCEED | ICMP_PARAMPROB)
}

/// The text after `ICMP `; `None` where print-icmp.c's own truncation check fails.
fn summary(nd: &mut Nd<'_>, data: &[u8], t: u8) -> PResult<Option<String>> {
    let code = get_u8(data, 1)?;
    Ok(Some(match t {
        ICMP_ECHO | ICMP_ECHOREPLY => {
            let kind = if t == ICMP_ECHO { "request" } else { "reply" };
            let (id, seq) = (get_be_u16(data, 4)?, get_be_u16(data, 6)?);
            format!("echo {kind}, id {id}, seq {seq}")
        }
        ICMP_UNREACH => return unreach_text(nd, data, code),
        ICMP_REDIRECT => {
            let dst = names::ipaddr_at(nd, data, QUOTED_DST)?;
            let gw = names::ipaddr_at(nd, data, 4)?;
            match REDIRECT_TEXT.get(usize::from(code)) {
                Some((word, kind)) => format!("{word} {dst} to {kind} {gw}"),
                None => format!("redirect-#{code} {dst} to {gw}"),
            }
        }
        ICMP_ROUTERADVERT => return router_advert_text(nd, data),
        ICMP_TIMXCEED => {
            if !ttest(data, QUOTED_DST, 4) {
                return Ok(None);
            }
            match code {
                0 => "time exceeded in-transit".to_string(),
                1 => "ip reassembly time exceeded".to_string(),
                _ => format!("time exceeded-#{code}"),
            }
        }
        ICMP_PARAMPROB if code != 0 => format!("parameter problem - code {code}"),
        ICMP_PARAMPROB => format!("parameter problem - octet {}", get_u8(data, 4)?),
        ICMP_MASKREPLY => format!("address mask is 0x{:08x}", get_be_u32(data, 8)?),
        ICMP_TSTAMP => format!(
            "time stamp query id {} seq {}",
            get_be_u16(data, 4)?,
            get_be_u16(data, 6)?
        ),
        ICMP_TSTAMPREPLY => return tstamp_reply_text(data),
        _ => ICMP2STR
            .iter()
            .find(|(v, _)| *v == t)
            .map_or_else(|| format!("type-#{t}"), |(_, s)| (*s).to_string()),
    }))
}

/// Destination unreachable: the quoted datagram's destination and, for ports, its port.
fn unreach_text(nd: &mut Nd<'_>, data: &[u8], code: u8) -> PResult<Option<String>> {
    if code == ICMP_UNREACH_PORT {
        if !ttest(data, QUOTED_PROTO, 1) {
            return Ok(None);
        }
        let hlen = usize::from(get_u8(data, QUOTED)? & 0x0f) * 4;
        let dport = get_be_u16(data, QUOTED + hlen + 2)?;
        let proto = get_u8(data, QUOTED_PROTO)?;
        let dst = names::ipaddr_at(nd, data, QUOTED_DST)?;
        return Ok(Some(match proto {
            IPPROTO_TCP => format!(
                "{dst} tcp port {} unreachable",
                names::tcpport_string(nd, dport)
            ),
            IPPROTO_UDP => format!(
                "{dst} udp port {} unreachable",
                names::udpport_string(nd, dport)
            ),
            _ => format!("{dst} protocol {proto} port {dport} unreachable"),
        }));
    }
    if code == ICMP_UNREACH_NEEDFRAG {
        let mtu = get_be_u16(data, 6)?;
        let dst = names::ipaddr_at(nd, data, QUOTED_DST)?;
        return Ok(Some(if mtu != 0 {
            format!("{dst} unreachable - need to frag (mtu {mtu})")
        } else {
            format!("{dst} unreachable - need to frag")
        }));
    }
    if code == 2 {
        let dst = names::ipaddr_at(nd, data, QUOTED_DST)?;
        let proto = get_u8(data, QUOTED_PROTO)?;
        return Ok(Some(format!("{dst} protocol {proto} unreachable")));
    }
    let dst = names::ipaddr_at(nd, data, QUOTED_DST)?;
    Ok(Some(
        match UNREACH_TEXT.iter().find(|(c, _, _)| *c == code) {
            Some((_, pre, post)) => format!("{pre}{dst} unreachable{post}"),
            None => format!("{dst} unreachable - #{code}"),
        },
    ))
}

/// Router advertisement (RFC 1256): lifetime, then `{address preference}` per entry.
fn router_advert_text(nd: &mut Nd<'_>, data: &[u8]) -> PResult<Option<String>> {
    if !ttest(data, 4, 4) {
        return Ok(None);
    }
    let lifetime = get_be_u16(data, 6)?;
    let mut s = String::from("router advertisement lifetime ");
    if lifetime < 60 {
        let _ = write!(s, "{lifetime}");
    } else if lifetime < 3600 {
        let _ = write!(s, "{}:{:02}", lifetime / 60, lifetime % 60);
    } else {
        let (h, m, sec) = (lifetime / 3600, (lifetime % 3600) / 60, lifetime % 60);
        let _ = write!(s, "{h}:{m:02}:{sec:02}");
    }
    let num = get_u8(data, 4)?;
    let _ = write!(s, " {num}:");
    let size = get_u8(data, 5)?;
    if size != 2 {
        let _ = write!(s, " [size {size}]");
        return Ok(Some(s));
    }
    for i in 0..usize::from(num) {
        let at = 8 + 8 * i;
        if !ttest(data, at, 8) {
            return Ok(None);
        }
        let addr = names::ipaddr_at(nd, data, at)?;
        let _ = write!(s, " {{{addr} {}}}", get_be_u32(data, at + 4)?);
    }
    Ok(Some(s))
}

/// Timestamp reply: the three times as milliseconds since midnight UTC.
fn tstamp_reply_text(data: &[u8]) -> PResult<Option<String>> {
    if !ttest(data, 16, 4) {
        return Ok(None);
    }
    Ok(Some(format!(
        "time stamp reply id {} seq {}: org {}, recv {}, xmit {}",
        get_be_u16(data, 4)?,
        get_be_u16(data, 6)?,
        tstamp_text(get_be_u32(data, 8)?),
        tstamp_text(get_be_u32(data, 12)?),
        tstamp_text(get_be_u32(data, 16)?)
    )))
}

/// `HH:MM:SS.mmm` of milliseconds since midnight (print-icmp.c `icmp_tstamp_print`).
fn tstamp_text(ms: u32) -> String {
    let (msec, sec) = (ms % 1000, ms / 1000);
    let (min, sec) = (sec / 60, sec % 60);
    let (hrs, min) = (min / 60, min % 60);
    format!("{hrs:02}:{min:02}:{sec:02}.{msec:03}")
}

/// The quoted datagram of an error, on its own line, cut at its own total length.
fn quoted_print(nd: &mut Nd<'_>, data: &[u8]) -> PResult {
    nd.print("\n\t");
    let ip_len = get_be_u16(data, QUOTED + 2)?;
    let end = data.len().min(QUOTED + usize::from(ip_len));
    let quoted = data.get(QUOTED..end).unwrap_or(&[]);
    // print-icmp.c reads the total length again after cutting the capture at it, so a
    // length under 4 cuts off its own field.
    get_be_u16(quoted, 2)?;
    ip::print_nested(nd, quoted, u32::from(ip_len))
}

/// RFC 4884 multi-part extensions after the first 128 bytes of the original datagram.
fn extensions_print(nd: &mut Nd<'_>, data: &[u8], plen: usize) -> PResult {
    if !ttest(data, 0, EXT_T_SIZE) {
        return local_trunc(nd);
    }
    let ext = data.get(EXTD_MINLEN..plen);
    if get_u8(data, 5)? == 0 {
        // No length given: an extension is there only if its checksum verifies.
        if let Some(ext) = ext {
            if checksum::checksum(ext) != 0 {
                return Ok(());
            }
        }
    }
    let version = get_u8(data, EXTD_MINLEN)? >> 4;
    crate::nd_print!(nd, "\n\tICMP Multi-Part extension v{version}");
    if version != 2 {
        nd.print(" packet not supported");
        return Ok(());
    }
    let mut hlen = (plen - EXTD_MINLEN) as u32;
    if let Some(ext) = ext {
        let verdict = if checksum::checksum(ext) != 0 {
            "in"
        } else {
            ""
        };
        crate::nd_print!(
            nd,
            ", checksum 0x{:04x} ({verdict}correct), length {hlen}",
            get_be_u16(data, EXTD_MINLEN + 2)?
        );
    }
    hlen = hlen.wrapping_sub(4);
    objects_print(nd, data, EXTD_MINLEN + 4, hlen)
}

/// The extension objects: MPLS label stack entries, others dumped in hex.
fn objects_print(nd: &mut Nd<'_>, data: &[u8], mut at: usize, mut hlen: u32) -> PResult {
    while hlen > 4 {
        if !ttest(data, at, 4) {
            return local_trunc(nd);
        }
        let obj_len = get_be_u16(data, at)?;
        let class = get_u8(data, at + 2)?;
        let ctype = get_u8(data, at + 3)?;
        at += 4;
        let name = EXT_OBJ_VALUES
            .iter()
            .find(|(c, _)| *c == class)
            .map_or("unknown", |(_, n)| *n);
        crate::nd_print!(
            nd,
            "\n\t  {name} Object ({class}), Class-Type: {ctype}, length {obj_len}"
        );
        hlen -= 4;
        if class == 0 || obj_len < 4 {
            return Ok(());
        }
        let obj_len = u32::from(obj_len - 4);
        if class == 1 && ctype == 1 {
            let raw = get_be_u32(data, at)?;
            crate::nd_print!(nd, "\n\t    label {}, tc {}", raw >> 12, (raw >> 9) & 7);
            if raw & 0x100 != 0 {
                nd.print(", [S]");
            }
            crate::nd_print!(nd, ", ttl {}", raw & 0xff);
        } else {
            print_unknown_data(nd, data, at, "\n\t    ", obj_len as usize);
        }
        if hlen < obj_len {
            break;
        }
        hlen -= obj_len;
        at += obj_len as usize;
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::indexing_slicing, clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::capture::print::testing::{opts, with_nd};
    use proptest::prelude::*;
    use std::net::{IpAddr, Ipv4Addr};

    fn ctx(fragmented: bool) -> IpCtx {
        let a = IpAddr::V4(Ipv4Addr::new(10, 0, 0, 1));
        IpCtx {
            src: a,
            dst: a,
            pseudo_dst: a,
            fragmented,
            nested: false,
            after_ext_headers: false,
            ttl: 64,
        }
    }

    fn run(data: &[u8], len: u32, v: u8, fragmented: bool) -> (String, PResult) {
        with_nd(&opts(v), |nd| print(nd, data, len, &ctx(fragmented)))
    }

    /// An echo request, id 1, seq 1, with 4 bytes of data and its checksum.
    fn echo() -> Vec<u8> {
        let mut m = vec![8, 0, 0, 0, 0, 1, 0, 1, b'p', b'i', b'n', b'g'];
        let sum = checksum::checksum(&m);
        m[2..4].copy_from_slice(&sum.to_be_bytes());
        m
    }

    /// A port unreachable quoting a UDP datagram to port 4002.
    fn unreach() -> Vec<u8> {
        let mut m = vec![3, 3, 0, 0, 0, 0, 0, 0];
        m.extend_from_slice(&[
            0x45, 0, 0, 28, 0, 1, 0, 0, 64, 17, 0, 0, 10, 0, 0, 2, 10, 0, 0, 1,
        ]);
        m.extend_from_slice(&[0x9c, 0x40, 0x0f, 0xa2, 0, 8, 0, 0]);
        let sum = checksum::checksum(&m);
        m[2..4].copy_from_slice(&sum.to_be_bytes());
        m
    }

    #[test]
    fn a_wrong_checksum_is_reported_with_the_value_that_verifies() {
        let mut m = echo();
        let (out, _) = run(&m, m.len() as u32, 1, false);
        assert!(!out.contains("wrong"), "{out}");
        m[2] ^= 0x5a;
        let (out, _) = run(&m, m.len() as u32, 1, false);
        assert!(out.contains("wrong icmp cksum"), "{out}");
        let fixed = shouldbe(get_be_u16(&m, 2).unwrap(), checksum::checksum(&m));
        m[2..4].copy_from_slice(&fixed.to_be_bytes());
        assert_eq!(checksum::checksum(&m), 0);
    }

    #[test]
    fn checksums_are_not_checked_without_v_or_in_fragments() {
        let mut m = echo();
        m[2] ^= 0x5a;
        assert!(!run(&m, m.len() as u32, 0, false).0.contains("cksum"));
        assert!(!run(&m, m.len() as u32, 2, true).0.contains("cksum"));
    }

    #[test]
    fn the_quoted_datagram_is_printed_only_with_v() {
        let m = unreach();
        assert!(!run(&m, m.len() as u32, 0, false).0.contains("\n\t"));
        assert!(run(&m, m.len() as u32, 1, false).0.contains("\n\t"));
    }

    #[test]
    fn timestamps_are_milliseconds_since_midnight() {
        assert_eq!(tstamp_text(0), "00:00:00.000");
        assert_eq!(
            tstamp_text(((12 * 60 + 34) * 60 + 56) * 1000 + 789),
            "12:34:56.789"
        );
    }

    #[test]
    fn every_prefix_prints_without_panic() {
        for m in [echo(), unreach()] {
            for cut in 0..=m.len() {
                for v in 0..3 {
                    let _ = run(&m[..cut], m.len() as u32, v, false);
                }
            }
        }
    }

    proptest! {
        #[test]
        fn arbitrary_messages_never_panic(
            data in proptest::collection::vec(any::<u8>(), 0..200),
            len in 0u32..400,
            v in 0u8..4,
        ) {
            let _ = run(&data, len, v, false);
        }
    }
}
