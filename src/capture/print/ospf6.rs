//! OSPFv3 (RFC 5340, RFC 5613 link-local signalling, RFC 6506 authentication trailer),
//! mirroring print-ospf6.c at tcpdump-4.99.3: the header, the five packet types, the LSAs
//! tcpdump decodes, and the trailer. Grace and TE LSAs use the OSPFv2 printer's decoders, as
//! print-ospf6.c uses print-ospf.c's, and so do the first line and the router and area.
//!
//! Must not do I/O: it only reads the captured bytes.

use std::net::{IpAddr, Ipv6Addr};

use super::names::{ip6addr_at, ipaddr_at, print_addr};
use super::ospf;
use super::tok::{bittok2str, tok2str, Tok};
use super::util::{print_trunc, print_unknown_data};
use super::{get_be_u16, get_be_u32, get_bytes, get_u8, ttest, Nd, PResult};
use crate::nd_print;

/// The header's length (print-ospf6.c `OSPF6HDR_LEN`).
const HDR_LEN: usize = 16;
/// An LSA header's length (print-ospf6.c `struct lsa6_hdr`).
const LSA_HDR_LEN: usize = 20;
/// The authentication trailer's fixed part (print-ospf6.c `OSPF6_AT_HDRLEN`).
const AT_HDRLEN: usize = 16;
/// The LLS block's header (ospf.h `OSPF_LLS_HDRLEN`).
const LLS_HDRLEN: usize = 4;

use super::ospf::{TYPE_DD, TYPE_HELLO, TYPE_LS_ACK, TYPE_LS_REQ, TYPE_LS_UPDATE};

/// The L (link-local signalling) option bit.
const OPTION_L: u32 = 0x0200;

/// print-ospf6.c `ospf6_option_values`.
const OPTIONS: &[Tok] = &[
    (0x01, "V6"),
    (0x02, "External"),
    (0x04, "Deprecated"),
    (0x08, "NSSA"),
    (0x10, "Router"),
    (0x20, "Demand Circuit"),
    (0x0100, "AFs Support"),
    (0x0200, "LLS"),
    (0x0400, "Authentication Trailer"),
];

/// print-ospf6.c `ospf6_rla_flag_values`.
const RLA_FLAGS: &[Tok] = &[
    (0x01, "ABR"),
    (0x02, "External"),
    (0x04, "Virtual-Link Endpoint"),
    (0x08, "Deprecated"),
    (0x10, "NSSA Translator"),
];

const ASLA_FLAG_FWDADDR: u32 = 0x0200_0000;
const ASLA_FLAG_ROUTETAG: u32 = 0x0100_0000;

/// print-ospf6.c `ospf6_asla_flag_values`.
const ASLA_FLAGS: &[Tok] = &[
    (0x8000_0000, "External Type 2"),
    (ASLA_FLAG_FWDADDR, "Forwarding"),
    (ASLA_FLAG_ROUTETAG, "Tag"),
];

/// print-ospf6.c `ospf6_lsa_values`.
const LSA_TYPES: &[Tok] = &[
    (1, "Router"),
    (2, "Network"),
    (3, "Inter-Area Prefix"),
    (4, "Inter-Area Router"),
    (5, "External"),
    (6, "Deprecated"),
    (7, "NSSA"),
    (8, "Link"),
    (9, "Intra-Area Prefix"),
    (10, "Intra-Area TE"),
    (11, "Grace"),
    (12, "Router Information"),
    (13, "Inter-AS-TE"),
    (14, "Layer 1 VPN"),
];

/// print-ospf6.c `ospf6_ls_scope_values`.
const SCOPES: &[Tok] = &[
    (0x0000, "Link Local"),
    (0x2000, "Area Local"),
    (0x4000, "Domain Wide"),
];

/// print-ospf6.c `ospf6_dd_flag_values`.
const DD_FLAGS: &[Tok] = &[
    (0x04, "Init"),
    (0x02, "More"),
    (0x01, "Master"),
    (0x10, "IPv6 MTU"),
];

/// print-ospf6.c `ospf6_lsa_prefix_option_values`.
const PREFIX_OPTIONS: &[Tok] = &[
    (0x01, "No Unicast"),
    (0x02, "Local address"),
    (0x04, "Deprecated"),
    (0x08, "Propagate"),
    (0x10, "Down"),
    (0x20, "N-bit"),
];

/// print-ospf6.c `ospf6_auth_type_str`.
const AUTH_TYPES: &[Tok] = &[(1, "HMAC")];

/// The LS types the LSA printer decodes (type with scope bits).
mod ls {
    pub const ROUTER: u16 = 0x2001;
    pub const NETWORK: u16 = 0x2002;
    pub const INTER_AP: u16 = 0x2003;
    pub const ASE: u16 = 0x4005;
    pub const LINK: u16 = 0x0008;
    pub const INTRA_AP: u16 = 0x2009;
    pub const INTRA_ATE: u16 = 0x000a;
    pub const GRACE: u16 = 0x000b;
}

/// A walk that stopped where print-ospf6.c's helpers return 1 (the caller prints
/// ` [|ospf3]`).
type Walk = Option<()>;

/// Print the OSPFv3 packet at `data`, `length` bytes on the wire (print-ospf6.c
/// `ospf6_print`).
pub fn print(nd: &mut Nd<'_>, data: &[u8], length: u32) -> PResult {
    nd.protocol = "ospf3";
    let Some((version, kind)) = ospf::head_print(nd, data, length, "unknown packet type (%u)")?
    else {
        return Ok(());
    };
    let datalen = get_be_u16(data, 2)?;
    if u32::from(datalen) > length {
        nd_print!(nd, " [len {datalen}]");
        return Ok(());
    }
    let dataend = usize::from(datalen);
    ospf::router_area_print(nd, data)?;
    let instance = get_u8(data, 14)?;
    if instance != 0 {
        nd_print!(nd, ", Instance {instance}");
    }
    if version == 3 {
        let ok = decode_v3(nd, data, kind, dataend)?.is_some()
            && trailer_print(
                nd,
                data,
                kind,
                dataend,
                (length - u32::from(datalen)) as usize,
            )?
            .is_some();
        if !ok {
            print_trunc(nd);
        }
    }
    Ok(())
}

/// The body of each packet type (print-ospf6.c `ospf6_decode_v3`).
fn decode_v3(nd: &mut Nd<'_>, data: &[u8], kind: u8, dataend: usize) -> PResult<Walk> {
    let body = HDR_LEN;
    match kind {
        TYPE_HELLO => {
            options_print(nd, "\n\tOptions", get_be_u32(data, body + 4)?);
            let hello = get_be_u16(data, body + 8)?;
            let dead = get_be_u16(data, body + 10)?;
            let ifid = ipaddr_at(nd, data, body)?;
            let prio = get_u8(data, body + 4)?;
            nd_print!(
                nd,
                "\n\t  Hello Timer {hello}s, Dead Timer {dead}s, Interface-ID {ifid}, Priority {prio}"
            );
            if get_be_u32(data, body + 12)? != 0 {
                let dr = ipaddr_at(nd, data, body + 12)?;
                nd_print!(nd, "\n\t  Designated Router {dr}");
            }
            if get_be_u32(data, body + 16)? != 0 {
                let bdr = ipaddr_at(nd, data, body + 16)?;
                nd_print!(nd, ", Backup Designated Router {bdr}");
            }
            if nd.opts.v > 1 {
                nd.print("\n\t  Neighbor List:");
                let mut ap = body + 20;
                while ap < dataend {
                    let n = ipaddr_at(nd, data, ap)?;
                    nd_print!(nd, "\n\t    {n}");
                    ap += 4;
                }
            }
        }
        TYPE_DD => {
            options_print(nd, "\n\tOptions", get_be_u32(data, body)?);
            let flags = bittok2str(DD_FLAGS, "none", get_u8(data, body + 7)?.into());
            nd_print!(nd, ", DD Flags [{flags}]");
            let mtu = get_be_u16(data, body + 4)?;
            let seq = get_be_u32(data, body + 8)?;
            nd_print!(nd, ", MTU {mtu}, DD-Sequence 0x{seq:08x}");
            if nd.opts.v > 1 {
                return lshdrs_print(nd, data, body + 12, dataend);
            }
        }
        TYPE_LS_REQ if nd.opts.v > 1 => {
            let mut at = body;
            while at < dataend {
                if !ttest(data, at, 12) {
                    return Ok(None);
                }
                let router = ipaddr_at(nd, data, at + 8)?;
                nd_print!(nd, "\n\t  Advertising Router {router}");
                ls_type_print(nd, get_be_u16(data, at + 2)?, data, at + 4)?;
                at += 12;
            }
        }
        TYPE_LS_UPDATE if nd.opts.v > 1 => {
            let mut count = get_be_u32(data, body)?;
            let mut at = body + 4;
            while at < dataend && count != 0 {
                count -= 1;
                if lsa_print(nd, data, at, dataend)?.is_none() {
                    return Ok(None);
                }
                at += usize::from(get_be_u16(data, at + 18)?);
            }
        }
        TYPE_LS_ACK if nd.opts.v > 1 => return lshdrs_print(nd, data, body, dataend),
        _ => {}
    }
    Ok(Some(()))
}

/// `LABEL [options]`.
fn options_print(nd: &mut Nd<'_>, label: &str, options: u32) {
    let o = bittok2str(OPTIONS, "none", options);
    nd_print!(nd, "{label} [{o}]");
}

/// LSA headers from `at` to `dataend` (Database Description and LS-Ack).
fn lshdrs_print(nd: &mut Nd<'_>, data: &[u8], mut at: usize, dataend: usize) -> PResult<Walk> {
    while at < dataend {
        if lshdr_print(nd, data, at, dataend)?.is_none() {
            return Ok(None);
        }
        at += LSA_HDR_LEN;
    }
    Ok(Some(()))
}

/// `TYPE LSA (N), SCOPE Scope, LSA-ID ID` (print-ospf6.c `ospf6_print_ls_type`).
fn ls_type_print(nd: &mut Nd<'_>, ls_type: u16, data: &[u8], id_at: usize) -> PResult {
    let t = u32::from(ls_type & 0x1fff);
    let name = tok2str(LSA_TYPES, "Unknown", t);
    let scope = tok2str(SCOPES, "Unknown", u32::from(ls_type & 0x6000));
    let u = if ls_type & 0x8000 != 0 {
        ", transitive"
    } else {
        ""
    };
    let id = ipaddr_at(nd, data, id_at)?;
    nd_print!(
        nd,
        "\n\t    {name} LSA ({t}), {scope} Scope{u}, LSA-ID {id}"
    );
    Ok(())
}

/// An LSA header (print-ospf6.c `ospf6_print_lshdr`).
fn lshdr_print(nd: &mut Nd<'_>, data: &[u8], at: usize, dataend: usize) -> PResult<Walk> {
    if at + LSA_HDR_LEN > dataend {
        return Ok(None);
    }
    let router = ipaddr_at(nd, data, at + 8)?;
    let seq = get_be_u32(data, at + 12)?;
    let age = get_be_u16(data, at)?;
    // C's size_t arithmetic: a length below the header's wraps at 64 bits.
    let len = u64::from(get_be_u16(data, at + 18)?).wrapping_sub(LSA_HDR_LEN as u64);
    nd_print!(
        nd,
        "\n\t  Advertising Router {router}, seq 0x{seq:08x}, age {age}s, length {len}"
    );
    ls_type_print(nd, get_be_u16(data, at + 2)?, data, at + 4)?;
    Ok(Some(()))
}

/// A prefix of an LSA with `lsa_length` bytes left: its size, or `None` where it does not
/// fit (print-ospf6.c `ospf6_print_lsaprefix`).
fn lsaprefix_print(
    nd: &mut Nd<'_>,
    data: &[u8],
    at: usize,
    lsa_length: usize,
) -> PResult<Option<usize>> {
    let Some(lsa_length) = lsa_length.checked_sub(4) else {
        return Ok(None);
    };
    if !ttest(data, at, 4) {
        return Ok(None);
    }
    let plen = get_u8(data, at)?;
    let wordlen = usize::from(plen).div_ceil(32);
    if wordlen * 4 > 16 {
        nd_print!(nd, " bogus prefixlen /{plen}");
        return Ok(None);
    }
    if lsa_length < wordlen * 4 {
        return Ok(None);
    }
    let mut prefix = [0u8; 16];
    for (d, s) in prefix.iter_mut().zip(get_bytes(data, at + 4, wordlen * 4)?) {
        *d = *s;
    }
    nd.print("\n\t\t");
    print_addr(nd, IpAddr::V6(Ipv6Addr::from(prefix)));
    nd_print!(nd, "/{plen}");
    let opt = get_u8(data, at + 1)?;
    if opt != 0 {
        let o = bittok2str(PREFIX_OPTIONS, "none", opt.into());
        nd_print!(nd, ", Options [{o}]");
    }
    nd_print!(nd, ", metric {}", get_be_u16(data, at + 2)?);
    Ok(Some(4 + wordlen * 4))
}

/// `count` prefixes (or, with `None`, prefixes until `lsa_length` is used up) from `at`.
fn prefixes_print(
    nd: &mut Nd<'_>,
    data: &[u8],
    mut at: usize,
    mut lsa_length: usize,
    count: Option<u32>,
) -> PResult<Walk> {
    let mut left = count;
    loop {
        match left {
            Some(0) => break,
            None if lsa_length == 0 => break,
            _ => {}
        }
        let Some(used) = lsaprefix_print(nd, data, at, lsa_length)? else {
            return Ok(None);
        };
        lsa_length -= used;
        at += used;
        left = left.map(|n| n - 1);
    }
    Ok(Some(()))
}

/// One LSA, header and body (print-ospf6.c `ospf6_print_lsa`).
fn lsa_print(nd: &mut Nd<'_>, data: &[u8], at: usize, dataend: usize) -> PResult<Walk> {
    if lshdr_print(nd, data, at, dataend)?.is_none() {
        return Ok(None);
    }
    let length = usize::from(get_be_u16(data, at + 18)?);
    if length < LSA_HDR_LEN || at + length > dataend {
        return Ok(None);
    }
    let lsa_length = length - LSA_HDR_LEN;
    let tptr = at + LSA_HDR_LEN;
    match get_be_u16(data, at + 2)? {
        ls::ROUTER => router_lsa_print(nd, data, tptr, lsa_length),
        ls::NETWORK => {
            let Some(mut left) = lsa_length.checked_sub(4) else {
                return Ok(None);
            };
            options_print(nd, "\n\t      Options", get_be_u32(data, tptr)?);
            nd.print("\n\t      Connected Routers:");
            let mut ap = tptr + 4;
            while left != 0 {
                let Some(rest) = left.checked_sub(4) else {
                    return Ok(None);
                };
                left = rest;
                let r = ipaddr_at(nd, data, ap)?;
                nd_print!(nd, "\n\t\t{r}");
                ap += 4;
            }
            Ok(Some(()))
        }
        ls::INTER_AP => {
            let Some(left) = lsa_length.checked_sub(4) else {
                return Ok(None);
            };
            nd_print!(nd, ", metric {}", get_be_u32(data, tptr)? & 0x00ff_ffff);
            prefixes_print(nd, data, tptr + 4, left, None)
        }
        ls::ASE => ase_lsa_print(nd, data, tptr, lsa_length),
        ls::LINK => link_lsa_print(nd, data, tptr, lsa_length),
        ls::INTRA_AP => {
            let Some(left) = lsa_length.checked_sub(4) else {
                return Ok(None);
            };
            if !ttest(data, tptr + 8, 4) {
                return Ok(None);
            }
            ls_type_print(nd, get_be_u16(data, tptr + 2)?, data, tptr + 4)?;
            let Some(left) = left.checked_sub(2) else {
                return Ok(None);
            };
            let prefixes = get_be_u16(data, tptr)?;
            nd_print!(nd, "\n\t      Prefixes {prefixes}:");
            prefixes_print(nd, data, tptr + 12, left, Some(prefixes.into()))
        }
        ls::GRACE => ospf::grace_lsa_print(nd, data, tptr, lsa_length),
        ls::INTRA_ATE => ospf::te_lsa_print(nd, data, tptr, lsa_length),
        _ => {
            // util-print.c's print_unknown_data fails, and the LSA walk with it, when the
            // data starts past the capture.
            print_unknown_data(nd, data, tptr, "\n\t      ", lsa_length);
            Ok((tptr <= data.len()).then_some(()))
        }
    }
}

/// A Router LSA's options, flags and links.
fn router_lsa_print(nd: &mut Nd<'_>, data: &[u8], tptr: usize, lsa_length: usize) -> PResult<Walk> {
    let Some(mut left) = lsa_length.checked_sub(4) else {
        return Ok(None);
    };
    options_print(nd, "\n\t      Options", get_be_u32(data, tptr)?);
    let flags = bittok2str(RLA_FLAGS, "none", get_u8(data, tptr)?.into());
    nd_print!(nd, ", RLA-Flags [{flags}]");
    let mut rlp = tptr + 4;
    while left != 0 {
        let Some(rest) = left.checked_sub(16) else {
            return Ok(None);
        };
        left = rest;
        if !ttest(data, rlp, 16) {
            return Ok(None);
        }
        let link_type = get_u8(data, rlp)?;
        let what = match link_type {
            4 => "Virtual Link: Neighbor Router-ID",
            1 => "Neighbor Router-ID",
            2 => "Neighbor Network-ID",
            _ => {
                nd_print!(nd, "\n\t      Unknown Router Links Type 0x{link_type:02x}");
                return Ok(Some(()));
            }
        };
        let nrtid = ipaddr_at(nd, data, rlp + 12)?;
        let nifid = ipaddr_at(nd, data, rlp + 8)?;
        let ifid = ipaddr_at(nd, data, rlp + 4)?;
        nd_print!(
            nd,
            "\n\t      {what} {nrtid}\n\t      Neighbor Interface-ID {nifid}, Interface {ifid}"
        );
        nd_print!(nd, ", metric {}", get_be_u16(data, rlp + 2)?);
        rlp += 16;
    }
    Ok(Some(()))
}

/// An AS-External LSA: flags, metric, prefix and the optional fields the flags announce.
fn ase_lsa_print(nd: &mut Nd<'_>, data: &[u8], tptr: usize, lsa_length: usize) -> PResult<Walk> {
    let Some(left) = lsa_length.checked_sub(4) else {
        return Ok(None);
    };
    let flags32 = get_be_u32(data, tptr)?;
    let f = bittok2str(ASLA_FLAGS, "none", flags32);
    nd_print!(nd, "\n\t     Flags [{f}]");
    nd_print!(nd, " metric {}", flags32 & 0x00ff_ffff);
    let lsapp = tptr + 4;
    let Some(used) = lsaprefix_print(nd, data, lsapp, left)? else {
        return Ok(None);
    };
    let mut left = left - used;
    let mut at = lsapp + used;
    if flags32 & ASLA_FLAG_FWDADDR != 0 {
        let Some(rest) = left.checked_sub(16) else {
            return Ok(None);
        };
        left = rest;
        let fwd = ip6addr_at(nd, data, at)?;
        nd_print!(nd, " forward {fwd}");
        at += 16;
    }
    if flags32 & ASLA_FLAG_ROUTETAG != 0 {
        let Some(rest) = left.checked_sub(4) else {
            return Ok(None);
        };
        left = rest;
        let tag = ipaddr_at(nd, data, at)?;
        nd_print!(nd, " tag {tag}");
        at += 4;
    }
    // print-ospf6.c tests the first byte of the prefix's metric field here.
    if get_u8(data, lsapp + 2)? != 0 {
        if left < 4 {
            return Ok(None);
        }
        let id = ipaddr_at(nd, data, at)?;
        nd_print!(nd, " RefLSID: {id}");
    }
    Ok(Some(()))
}

/// A Link LSA: options, priority, link-local address and prefixes.
fn link_lsa_print(nd: &mut Nd<'_>, data: &[u8], tptr: usize, lsa_length: usize) -> PResult<Walk> {
    let Some(left) = lsa_length.checked_sub(4) else {
        return Ok(None);
    };
    if !ttest(data, tptr, 4) {
        return Ok(None);
    }
    options_print(nd, "\n\t      Options", get_be_u32(data, tptr)?);
    let Some(left) = left.checked_sub(20) else {
        return Ok(None);
    };
    let prefixes = get_be_u32(data, tptr + 20)?;
    let prio = get_u8(data, tptr)?;
    let lladdr = ip6addr_at(nd, data, tptr + 4)?;
    nd_print!(
        nd,
        "\n\t      Priority {prio}, Link-local address {lladdr}, Prefixes {prefixes}:"
    );
    prefixes_print(nd, data, tptr + 24, left, Some(prefixes))
}

/// The LLS block (print-ospf6.c `ospf6_print_lls`): its length, or `None` when it does not
/// fit.
fn lls_print(nd: &mut Nd<'_>, data: &[u8], cp: usize, len: usize) -> PResult<Option<usize>> {
    if len == 0 {
        return Ok(Some(0));
    }
    if len < LLS_HDRLEN {
        return Ok(None);
    }
    nd_print!(nd, "\n\tLLS Checksum 0x{:04x}", get_be_u16(data, cp)?);
    let llsdatalen = usize::from(get_be_u16(data, cp + 2)?);
    nd_print!(nd, ", Data Length {llsdatalen}");
    if llsdatalen < LLS_HDRLEN || llsdatalen > len {
        return Ok(None);
    }
    if !ttest(data, cp + 4, llsdatalen - LLS_HDRLEN) {
        return Ok(None);
    }
    Ok(Some(llsdatalen))
}

/// The authentication trailer (print-ospf6.c `ospf6_decode_at`).
fn at_print(nd: &mut Nd<'_>, data: &[u8], cp: usize, len: usize) -> PResult<Walk> {
    if len == 0 {
        return Ok(Some(()));
    }
    if len < AT_HDRLEN {
        return Ok(None);
    }
    let t = tok2str(AUTH_TYPES, "unknown (0x%04x)", get_be_u16(data, cp)?.into());
    nd_print!(nd, "\n\tAuthentication Type {t}");
    let authdatalen = usize::from(get_be_u16(data, cp + 2)?);
    nd_print!(nd, ", Length {authdatalen}");
    if authdatalen < AT_HDRLEN || authdatalen > len {
        return Ok(None);
    }
    nd_print!(nd, ", SAID {}", get_be_u16(data, cp + 6)?);
    nd_print!(nd, ", CSN 0x{:08x}", get_be_u32(data, cp + 8)?);
    nd_print!(nd, ":{:08x}", get_be_u32(data, cp + 12)?);
    let rest = authdatalen - AT_HDRLEN;
    if !ttest(data, cp + AT_HDRLEN, rest) {
        return Ok(None);
    }
    if nd.opts.v > 1 {
        print_unknown_data(nd, data, cp + AT_HDRLEN, "\n\tAuthentication Data ", rest);
    }
    Ok(Some(()))
}

/// LLS (Hello and Database Description with the L bit) then the authentication trailer,
/// after the OSPF data (print-ospf6.c `ospf6_decode_v3_trailer`).
fn trailer_print(nd: &mut Nd<'_>, data: &[u8], kind: u8, cp: usize, len: usize) -> PResult<Walk> {
    let options_at = match kind {
        TYPE_HELLO => Some(HDR_LEN + 4),
        TYPE_DD => Some(HDR_LEN),
        _ => None,
    };
    let mut llslen = 0;
    if let Some(o) = options_at {
        if get_be_u32(data, o)? & OPTION_L != 0 {
            match lls_print(nd, data, cp, len)? {
                Some(l) => llslen = l,
                None => return Ok(None),
            }
        }
    }
    at_print(nd, data, cp + llslen, len - llslen)
}

#[cfg(test)]
#[allow(clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::capture::print::testing::run;
    use proptest::prelude::*;

    /// A Hello from 1.1.1.1 in area 0.0.0.1 with one neighbor, then an authentication
    /// trailer.
    fn hello() -> Vec<u8> {
        let mut d = vec![3, 1, 0, 40, 1, 1, 1, 1, 0, 0, 0, 1, 0, 0, 0, 0];
        d.extend_from_slice(&[0, 0, 0, 5, 1, 0, 0x04, 0x13, 0, 10, 0, 40]);
        d.extend_from_slice(&[0, 0, 0, 0, 0, 0, 0, 0, 2, 2, 2, 2]);
        d.extend_from_slice(&[0, 1, 0, 16, 0, 0, 0, 7, 0, 0, 0, 0, 0, 0, 0, 9]);
        d
    }

    #[test]
    fn a_hello_with_its_trailer() {
        assert_eq!(run(print, &hello(), 56, 0).0, "OSPFv3, Hello, length 56");
        let (out, r) = run(print, &hello(), 56, 2);
        assert_eq!(r, Ok(()));
        assert!(
            out.contains("Area 0.0.0.1\n\tOptions [V6, External, Router, Authentication Trailer]"),
            "{out}"
        );
        assert!(out.contains("Neighbor List:\n\t    2.2.2.2"), "{out}");
        assert!(
            out.ends_with("Authentication Type HMAC, Length 16, SAID 7, CSN 0x00000000:00000009"),
            "{out}"
        );
    }

    #[test]
    fn a_length_beyond_the_datagram_is_named() {
        let (out, _) = run(print, &hello(), 30, 1);
        assert!(out.ends_with(" [len 40]"), "{out}");
    }

    proptest! {
        #[test]
        fn arbitrary_packets_never_panic(
            tail in proptest::collection::vec(any::<u8>(), 0..120),
            kind in 1u8..6,
            len in 0u32..200,
            v in 0u8..4,
        ) {
            let mut d = hello();
            d[1] = kind;
            d.truncate(16);
            d.extend_from_slice(&tail);
            let _ = run(print, &d, len, v);
        }
    }
}
