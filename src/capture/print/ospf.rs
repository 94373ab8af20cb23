//! OSPFv2 (RFC 2328, RFC 2370 opaque LSAs, RFC 3630 traffic engineering, RFC 3623 graceful
//! restart, RFC 4203 GMPLS, RFC 4124, RFC 5613 link-local signalling, RFC 4970 router
//! information), mirroring print-ospf.c at tcpdump-4.99.3 with the tables of ospf.h and
//! gmpls.c it uses.
//!
//! The Grace and TE LSA decoders are shared with `ospf6`, as print-ospf6.c calls
//! print-ospf.c's.
//!
//! Must not do I/O: it only reads the captured bytes.

use super::names::ipaddr_at;
use super::tok::{bittok2str, tok2str, Tok};
use super::util::{get_be_u24, print_invalid, print_unknown_data, printjnp};
use super::{get_be_u16, get_be_u32, get_u8, tcheck, ttest, Nd, PResult, Trunc};
use crate::nd_print;

/// An LSA header's length (ospf.h `struct lsa_hdr`).
const LSA_HDR_LEN: usize = 20;
/// The MD5 digest after the packet (ospf.h `OSPF_AUTH_MD5_LEN`).
const AUTH_MD5_LEN: u32 = 16;

const TYPE_HELLO: u8 = 1;
const TYPE_DD: u8 = 2;
const TYPE_LS_REQ: u8 = 3;
const TYPE_LS_UPDATE: u8 = 4;
const TYPE_LS_ACK: u8 = 5;

const AUTH_NONE: u16 = 0;
const AUTH_SIMPLE: u16 = 1;
const AUTH_MD5: u16 = 2;

/// The L (link-local signalling) option bit.
const OPTION_L: u8 = 0x10;

/// print-ospf.c `ospf_option_values`.
const OPTIONS: &[Tok] = &[
    (0x01, "MultiTopology"),
    (0x02, "External"),
    (0x04, "Multicast"),
    (0x08, "NSSA"),
    (0x10, "LLS"),
    (0x20, "Demand Circuit"),
    (0x40, "Opaque"),
    (0x80, "Up/Down"),
];

/// print-ospf.c `ospf_authtype_values`.
const AUTH_TYPES: &[Tok] = &[(0, "none"), (1, "simple"), (2, "MD5")];

/// print-ospf.c `ospf_rla_flag_values`.
const RLA_FLAGS: &[Tok] = &[
    (0x01, "ABR"),
    (0x02, "ASBR"),
    (0x04, "Virtual"),
    (0x08, "Wildcard"),
    (0x10, "Nt"),
    (0x80, "Host"),
];

/// print-ospf.c `type2str`.
const TYPES: &[Tok] = &[
    (1, "Hello"),
    (2, "Database Description"),
    (3, "LS-Request"),
    (4, "LS-Update"),
    (5, "LS-Ack"),
];

/// print-ospf.c `lsa_values`.
const LSA_TYPES: &[Tok] = &[
    (1, "Router"),
    (2, "Network"),
    (3, "Summary"),
    (4, "ASBR Summary"),
    (5, "External"),
    (6, "Multicast Group"),
    (7, "NSSA"),
    (9, "Link Local Opaque"),
    (10, "Area Local Opaque"),
    (11, "Domain Wide Opaque"),
];

/// print-ospf.c `ospf_dd_flag_values`.
const DD_FLAGS: &[Tok] = &[
    (0x04, "Init"),
    (0x02, "More"),
    (0x01, "Master"),
    (0x08, "OOBResync"),
];

const OPAQUE_TE: u8 = 1;
const OPAQUE_GRACE: u8 = 3;
const OPAQUE_RI: u8 = 4;

/// print-ospf.c `lsa_opaque_values`.
const OPAQUE_TYPES: &[Tok] = &[
    (1, "Traffic Engineering"),
    (3, "Graceful restart"),
    (4, "Router Information"),
];

/// print-ospf.c `lsa_opaque_te_tlv_values`.
const TE_TLVS: &[Tok] = &[(1, "Router Address"), (2, "Link")];

/// print-ospf.c `lsa_opaque_te_link_tlv_subtlv_values`.
const TE_LINK_SUBTLVS: &[Tok] = &[
    (1, "Link Type"),
    (2, "Link ID"),
    (3, "Local Interface IP address"),
    (4, "Remote Interface IP address"),
    (5, "Traffic Engineering Metric"),
    (6, "Maximum Bandwidth"),
    (7, "Maximum Reservable Bandwidth"),
    (8, "Unreserved Bandwidth"),
    (9, "Administrative Group"),
    (11, "Link Local/Remote Identifier"),
    (14, "Link Protection Type"),
    (15, "Interface Switching Capability"),
    (16, "Shared Risk Link Group"),
    (17, "Bandwidth Constraints"),
];

/// print-ospf.c `lsa_opaque_grace_tlv_values`.
const GRACE_TLVS: &[Tok] = &[
    (1, "Grace Period"),
    (2, "Graceful restart Reason"),
    (3, "IPv4 interface address"),
];

/// print-ospf.c `lsa_opaque_grace_tlv_reason_values`.
const GRACE_REASONS: &[Tok] = &[
    (0, "Unknown"),
    (1, "Software Restart"),
    (2, "Software Reload/Upgrade"),
    (3, "Control Processor Switch"),
];

/// print-ospf.c `lsa_opaque_te_tlv_link_type_sub_tlv_values`.
const TE_LINK_TYPES: &[Tok] = &[(1, "Point-to-point"), (2, "Multi-Access")];

/// print-ospf.c `lsa_opaque_ri_tlv_values`.
const RI_TLVS: &[Tok] = &[(1, "Router Capabilities")];

/// print-ospf.c `lsa_opaque_ri_tlv_cap_values`.
const RI_CAPS: &[Tok] = &[
    (1, "Reserved"),
    (2, "Reserved"),
    (4, "Reserved"),
    (8, "Reserved"),
    (16, "graceful restart capable"),
    (32, "graceful restart helper"),
    (64, "Stub router support"),
    (128, "Traffic engineering"),
    (256, "p2p over LAN"),
    (512, "path computation server"),
];

/// print-ospf.c `ospf_lls_tlv_values`.
const LLS_TLVS: &[Tok] = &[(1, "Extended Options"), (2, "MD5 Authentication")];

/// print-ospf.c `ospf_lls_eo_options`.
const LLS_EO_OPTIONS: &[Tok] = &[(0x0000_0001, "LSDB resync"), (0x0000_0002, "Restart")];

/// print-ospf.c `ospf_topology_values`.
const TOPOLOGIES: &[Tok] = &[(0, "default"), (1, "multicast"), (2, "management")];

/// gmpls.c `gmpls_link_prot_values`.
const GMPLS_LINK_PROT: &[Tok] = &[
    (0x01, "Extra Traffic"),
    (0x02, "Unprotected"),
    (0x04, "Shared"),
    (0x08, "Dedicated 1:1"),
    (0x10, "Dedicated 1+1"),
    (0x20, "Enhanced"),
    (0x40, "Reserved"),
    (0x80, "Reserved"),
];

/// gmpls.c `gmpls_switch_cap_values`.
const GMPLS_SWITCH_CAP: &[Tok] = &[
    (1, "Packet-Switch Capable-1"),
    (2, "Packet-Switch Capable-2"),
    (3, "Packet-Switch Capable-3"),
    (4, "Packet-Switch Capable-4"),
    (51, "Layer-2 Switch Capable"),
    (100, "Time-Division-Multiplex"),
    (150, "Lambda-Switch Capable"),
    (200, "Fiber-Switch Capable"),
];

/// gmpls.c `gmpls_encoding_values`.
const GMPLS_ENCODING: &[Tok] = &[
    (1, "Packet"),
    (2, "Ethernet V2/DIX"),
    (3, "ANSI/ETSI PDH"),
    (4, "Reserved"),
    (5, "SDH ITU-T G.707/SONET ANSI T1.105"),
    (6, "Reserved"),
    (7, "Digital Wrapper"),
    (8, "Lambda (photonic)"),
    (9, "Fiber"),
    (10, "Reserved"),
    (11, "FiberChannel"),
];

/// gmpls.c `diffserv_te_bc_values`.
const DIFFSERV_TE_BC: &[Tok] = &[
    (0, "Russian dolls"),
    (1, "Maximum allocation"),
    (254, "Maximum allocation with E-LSP support"),
];

/// What the Grace and TE decoders return: `None` where print-ospf.c's return -1.
pub type Walk = Option<()>;

/// Print the OSPFv2 packet at `data`, `length` bytes on the wire (print-ospf.c
/// `ospf_print`). A truncated packet ends in `Err(Trunc)`: print-ospf.c longjmps.
pub fn print(nd: &mut Nd<'_>, data: &[u8], length: u32) -> PResult {
    nd.protocol = "ospf2";
    let mut data = data;
    let mut length = length;
    if get_be_u16(data, 14)? == AUTH_MD5 {
        // print-ospf.c strips the MD5 digest from the length and from the capture.
        length = length.wrapping_sub(AUTH_MD5_LEN);
        data = data
            .get(..data.len().saturating_sub(AUTH_MD5_LEN as usize))
            .unwrap_or_default();
    }
    let kind = get_u8(data, 1)?;
    let name = tok2str(TYPES, "unknown LS-type %u", kind.into());
    let version = get_u8(data, 0)?;
    nd_print!(nd, "OSPFv{version}, {name}, length {length}");
    if !(1..=5).contains(&kind) || nd.opts.v == 0 {
        return Ok(());
    }
    let ospf_len = u32::from(get_be_u16(data, 2)?);
    if length != ospf_len {
        nd_print!(nd, " [len {ospf_len}]");
    }
    let dataend = length.min(ospf_len) as usize;
    let rid = ipaddr_at(nd, data, 4)?;
    nd_print!(nd, "\n\tRouter-ID {rid}");
    if get_be_u32(data, 8)? != 0 {
        let area = ipaddr_at(nd, data, 8)?;
        nd_print!(nd, ", Area {area}");
    } else {
        nd.print(", Backbone Area");
    }
    if !auth_print(nd, data)? {
        return Ok(());
    }
    if version == 2 {
        decode_v2(nd, data, kind, dataend)?;
        if length > ospf_len {
            lls_print(nd, data, kind, length)?;
        }
    } else {
        nd_print!(nd, " ospf [version {version}]");
    }
    Ok(())
}

/// The authentication type and data; `false` for a type tcpdump stops at.
fn auth_print(nd: &mut Nd<'_>, data: &[u8]) -> PResult<bool> {
    tcheck(data, 16, 8)?;
    let authtype = get_be_u16(data, 14)?;
    let t = tok2str(AUTH_TYPES, "unknown", authtype.into());
    nd_print!(nd, ", Authentication Type: {t} ({authtype})");
    match authtype {
        AUTH_NONE => {}
        AUTH_SIMPLE => {
            nd.print("\n\tSimple text password: ");
            printjnp(nd, data, 16, 8)?;
        }
        AUTH_MD5 => {
            let key = get_u8(data, 18)?;
            let alen = get_u8(data, 19)?;
            let seq = get_be_u32(data, 20)?;
            nd_print!(
                nd,
                "\n\tKey-ID: {key}, Auth-Length: {alen}, Crypto Sequence Number: 0x{seq:08x}"
            );
        }
        _ => return Ok(false),
    }
    Ok(true)
}

/// The body of each packet type (print-ospf.c `ospf_decode_v2`).
fn decode_v2(nd: &mut Nd<'_>, data: &[u8], kind: u8, dataend: usize) -> PResult {
    match kind {
        TYPE_HELLO => hello_print(nd, data, dataend),
        TYPE_DD => {
            let o = bittok2str(OPTIONS, "none", get_u8(data, 26)?.into());
            nd_print!(nd, "\n\tOptions [{o}]");
            let f = bittok2str(DD_FLAGS, "none", get_u8(data, 27)?.into());
            nd_print!(nd, ", DD Flags [{f}]");
            let mtu = get_be_u16(data, 24)?;
            if mtu != 0 {
                nd_print!(nd, ", MTU: {mtu}");
            }
            nd_print!(nd, ", Sequence: 0x{:08x}", get_be_u32(data, 28)?);
            let mut at = 32;
            while at < dataend && lshdr_print(nd, data, at)?.is_some() {
                at += LSA_HDR_LEN;
            }
            Ok(())
        }
        TYPE_LS_REQ => {
            let mut at = 24;
            while at < dataend {
                tcheck(data, at, 12)?;
                let router = ipaddr_at(nd, data, at + 8)?;
                let t = get_be_u32(data, at)?;
                let name = tok2str(LSA_TYPES, "unknown", t);
                nd_print!(nd, "\n\t  Advertising Router: {router}, {name} LSA ({t})");
                if (9..=11).contains(&t) {
                    opaque_id_print(nd, data, at + 4, ", Opaque-Type: ", ", Opaque-ID: ")?;
                } else {
                    let id = ipaddr_at(nd, data, at + 4)?;
                    nd_print!(nd, ", LSA-ID: {id}");
                }
                at += 12;
            }
            Ok(())
        }
        TYPE_LS_UPDATE => {
            let max = get_be_u32(data, 24)?;
            let s = if max == 1 { "" } else { "s" };
            nd_print!(nd, ", {max} LSA{s}");
            let mut at = 28;
            for n in 1..=max {
                nd_print!(nd, "\n\t  LSA #{n}");
                at = lsa_print(nd, data, at)?.ok_or(Trunc)?;
            }
            Ok(())
        }
        TYPE_LS_ACK => {
            // print-ospf.c walks LSA headers until one is bogus or the capture ends.
            let mut at = 24;
            while lshdr_print(nd, data, at)?.is_some() {
                at += LSA_HDR_LEN;
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

fn hello_print(nd: &mut Nd<'_>, data: &[u8], dataend: usize) -> PResult {
    let o = bittok2str(OPTIONS, "none", get_u8(data, 30)?.into());
    nd_print!(nd, "\n\tOptions [{o}]");
    let hello = get_be_u16(data, 28)?;
    let dead = get_be_u32(data, 32)?;
    let mask = ipaddr_at(nd, data, 24)?;
    let prio = get_u8(data, 31)?;
    nd_print!(
        nd,
        "\n\t  Hello Timer {hello}s, Dead Timer {dead}s, Mask {mask}, Priority {prio}"
    );
    if get_be_u32(data, 36)? != 0 {
        let dr = ipaddr_at(nd, data, 36)?;
        nd_print!(nd, "\n\t  Designated Router {dr}");
    }
    if get_be_u32(data, 40)? != 0 {
        let bdr = ipaddr_at(nd, data, 40)?;
        nd_print!(nd, ", Backup Designated Router {bdr}");
    }
    let mut ap = 44;
    if ap < dataend {
        nd.print("\n\t  Neighbor List:");
    }
    while ap < dataend {
        let n = ipaddr_at(nd, data, ap)?;
        nd_print!(nd, "\n\t    {n}");
        ap += 4;
    }
    Ok(())
}

/// `PRE TYPE LSA (N)MID ID` of an opaque LSA's id at `at`.
fn opaque_id_print(nd: &mut Nd<'_>, data: &[u8], at: usize, pre: &str, mid: &str) -> PResult {
    let ot = get_u8(data, at)?;
    let name = tok2str(OPAQUE_TYPES, "unknown", ot.into());
    let id = get_be_u24(data, at + 1)?;
    nd_print!(nd, "{pre}{name} LSA ({ot}){mid}{id}");
    Ok(())
}

/// An LSA header: the LSA's length, or `None` for a bogus one (print-ospf.c
/// `ospf_print_lshdr`).
fn lshdr_print(nd: &mut Nd<'_>, data: &[u8], at: usize) -> PResult<Option<usize>> {
    let ls_length = usize::from(get_be_u16(data, at + 18)?);
    if ls_length < LSA_HDR_LEN {
        nd_print!(
            nd,
            "\n\t    Bogus length {ls_length} < header ({LSA_HDR_LEN})"
        );
        return Ok(None);
    }
    let router = ipaddr_at(nd, data, at + 8)?;
    let seq = get_be_u32(data, at + 12)?;
    let age = get_be_u16(data, at)?;
    nd_print!(
        nd,
        "\n\t  Advertising Router {router}, seq 0x{seq:08x}, age {age}s, length {}",
        ls_length - LSA_HDR_LEN
    );
    let ls_type = get_u8(data, at + 3)?;
    let name = tok2str(LSA_TYPES, "unknown", ls_type.into());
    if (9..=11).contains(&ls_type) {
        nd_print!(nd, "\n\t    {name} LSA ({ls_type})");
        opaque_id_print(nd, data, at + 4, ", Opaque-Type ", ", Opaque-ID ")?;
    } else {
        let id = ipaddr_at(nd, data, at + 4)?;
        nd_print!(nd, "\n\t    {name} LSA ({ls_type}), LSA-ID: {id}");
    }
    let o = bittok2str(OPTIONS, "none", get_u8(data, at + 2)?.into());
    nd_print!(nd, "\n\t    Options: [{o}]");
    Ok(Some(ls_length))
}

/// The metrics of a router link, its own and one per topology (print-ospf.c
/// `ospf_print_tos_metrics`).
fn tos_metrics_print(nd: &mut Nd<'_>, data: &[u8], at: usize) -> PResult {
    let count = usize::from(get_u8(data, at + 1)?) + 1;
    for k in 0..count {
        let tos = at + 4 * k;
        let t = if k == 0 { 0 } else { get_u8(data, tos)? };
        let name = tok2str(TOPOLOGIES, "Unknown", t.into());
        let metric = get_be_u16(data, tos + 2)?;
        nd_print!(nd, "\n\t\ttopology {name} ({t}), metric {metric}");
    }
    Ok(())
}

/// One LSA at `at`: where the next one starts, or `None` where print-ospf.c's
/// `ospf_print_lsa` returns NULL.
fn lsa_print(nd: &mut Nd<'_>, data: &[u8], at: usize) -> PResult<Option<usize>> {
    let Some(total) = lshdr_print(nd, data, at)? else {
        return Ok(None);
    };
    let ls_end = at + total;
    let ls_length = total - LSA_HDR_LEN;
    let body = at + LSA_HDR_LEN;
    match get_u8(data, at + 3)? {
        1 if !router_lsa_print(nd, data, body)? => return Ok(Some(ls_end)),
        1 => {}
        2 => {
            let mask = ipaddr_at(nd, data, body)?;
            nd_print!(nd, "\n\t    Mask {mask}\n\t    Connected Routers:");
            let mut ap = body + 4;
            while ap < ls_end {
                let r = ipaddr_at(nd, data, ap)?;
                nd_print!(nd, "\n\t      {r}");
                ap += 4;
            }
        }
        3 | 4 => {
            if get_u8(data, at + 3)? == 3 {
                if !ttest(data, body, 4) {
                    return Ok(None);
                }
                let mask = ipaddr_at(nd, data, body)?;
                nd_print!(nd, "\n\t    Mask {mask}");
            }
            if !ttest(data, body + 4, 4) {
                return Ok(None);
            }
            let mut lp = body + 4;
            while lp < ls_end {
                let ul = get_be_u32(data, lp)?;
                let topology = (ul & 0x7f00_0000) >> 24;
                let name = tok2str(TOPOLOGIES, "Unknown", topology);
                nd_print!(
                    nd,
                    "\n\t\ttopology {name} ({topology}) metric {}",
                    ul & 0x00ff_ffff
                );
                lp += 4;
            }
        }
        5 | 7 => {
            if !ttest(data, body, 4) {
                return Ok(None);
            }
            let mask = ipaddr_at(nd, data, body)?;
            nd_print!(nd, "\n\t    Mask {mask}");
            if !ttest(data, body + 4, 4) {
                return Ok(None);
            }
            let mut almp = body + 4;
            while almp < ls_end {
                asla_metric_print(nd, data, almp)?;
                almp += 12;
            }
        }
        6 => {
            let mut mcp = body;
            while mcp < ls_end {
                let vtype = get_be_u32(data, mcp)?;
                match vtype {
                    1 => {
                        let id = ipaddr_at(nd, data, mcp + 4)?;
                        nd_print!(nd, "\n\t    Router Router-ID {id}");
                    }
                    2 => {
                        let id = ipaddr_at(nd, data, mcp + 4)?;
                        nd_print!(nd, "\n\t    Network Designated Router {id}");
                    }
                    _ => nd_print!(nd, "\n\t    unknown VertexType ({vtype})"),
                }
                mcp += 8;
            }
        }
        9..=11 => {
            let walk = match get_u8(data, at + 4)? {
                OPAQUE_RI => match ri_lsa_print(nd, data, body, ls_length)? {
                    Some(w) => w,
                    None => return Ok(None),
                },
                OPAQUE_GRACE => grace_lsa_print(nd, data, body, ls_length)?,
                OPAQUE_TE => te_lsa_print(nd, data, body, ls_length)?,
                _ => unknown(nd, data, body, "\n\t    ", ls_length, nd.opts.v <= 1),
            };
            if walk.is_none() {
                return Ok(Some(ls_end));
            }
        }
        _ => {}
    }
    if nd.opts.v > 1 {
        let _ = unknown(nd, data, body, "\n\t    ", ls_length, true);
    }
    Ok(Some(ls_end))
}

/// Hex of `len` bytes at `at` when `show`; `None` when `at` is past the capture
/// (util-print.c `print_unknown_data` returning 0).
fn unknown(nd: &mut Nd<'_>, data: &[u8], at: usize, ident: &str, len: usize, show: bool) -> Walk {
    if !show {
        return Some(());
    }
    print_unknown_data(nd, data, at, ident, len);
    (at <= data.len()).then_some(())
}

/// A Router LSA's flags and links; `false` after an unknown link type.
fn router_lsa_print(nd: &mut Nd<'_>, data: &[u8], body: usize) -> PResult<bool> {
    let f = bittok2str(RLA_FLAGS, "none", get_u8(data, body)?.into());
    nd_print!(nd, "\n\t    Router LSA Options: [{f}]");
    let count = get_be_u16(data, body + 2)?;
    tcheck(data, body + 4, 12)?;
    let mut rlp = body + 4;
    for _ in 0..count {
        tcheck(data, rlp, 12)?;
        let what = match get_u8(data, rlp + 8)? {
            4 => "Virtual Link: Neighbor Router-ID: ",
            1 => "Neighbor Router-ID: ",
            2 => "Neighbor Network-ID: ",
            3 => "Stub Network: ",
            t => {
                nd_print!(nd, "\n\t      Unknown Router Link Type ({t})");
                return Ok(false);
            }
        };
        let sep = if get_u8(data, rlp + 8)? == 3 {
            ", Mask: "
        } else {
            ", Interface Address: "
        };
        let id = ipaddr_at(nd, data, rlp)?;
        let link_data = ipaddr_at(nd, data, rlp + 4)?;
        nd_print!(nd, "\n\t      {what}{id}{sep}{link_data}");
        tos_metrics_print(nd, data, rlp + 8)?;
        rlp += 12 + 4 * usize::from(get_u8(data, rlp + 9)?);
    }
    Ok(true)
}

/// One metric of an AS-External or NSSA LSA (ospf.h `struct aslametric`).
fn asla_metric_print(nd: &mut Nd<'_>, data: &[u8], at: usize) -> PResult {
    let ul = get_be_u32(data, at)?;
    let topology = (ul & 0x7f00_0000) >> 24;
    let name = tok2str(TOPOLOGIES, "Unknown", topology);
    let kind = if ul & 0x8000_0000 != 0 { 2 } else { 1 };
    nd_print!(
        nd,
        "\n\t\ttopology {name} ({topology}), type {kind}, metric"
    );
    if ul & 0x00ff_ffff == 0x00ff_ffff {
        nd.print(" infinite");
    } else {
        nd_print!(nd, " {}", ul & 0x00ff_ffff);
    }
    if get_be_u32(data, at + 4)? != 0 {
        let fwd = ipaddr_at(nd, data, at + 4)?;
        nd_print!(nd, ", forward {fwd}");
    }
    if get_be_u32(data, at + 8)? != 0 {
        let tag = ipaddr_at(nd, data, at + 8)?;
        nd_print!(nd, ", tag {tag}");
    }
    Ok(())
}

/// A Router Information LSA's TLVs: `None` where print-ospf.c's `trunc` returns NULL,
/// `Some(None)` where it stops at this LSA.
fn ri_lsa_print(
    nd: &mut Nd<'_>,
    data: &[u8],
    mut tptr: usize,
    mut remaining: usize,
) -> PResult<Option<Walk>> {
    while remaining != 0 {
        if !ttest(data, tptr, 4) {
            return Ok(None);
        }
        if remaining < 4 {
            nd_print!(nd, "\n\t    Remaining LS length {remaining} < 4");
            return Ok(Some(None));
        }
        let tlv_type = get_be_u16(data, tptr)?;
        let tlv_length = usize::from(get_be_u16(data, tptr + 2)?);
        tptr += 4;
        remaining -= 4;
        let name = tok2str(RI_TLVS, "unknown", tlv_type.into());
        nd_print!(
            nd,
            "\n\t    {name} TLV ({tlv_type}), length: {tlv_length}, value: "
        );
        if tlv_length > remaining {
            nd_print!(
                nd,
                "\n\t    Bogus length {tlv_length} > remaining LS length {remaining}"
            );
            return Ok(Some(None));
        }
        if !ttest(data, tptr, tlv_length) {
            return Ok(None);
        }
        if tlv_type == 1 {
            if tlv_length != 4 {
                nd_print!(nd, "\n\t    Bogus length {tlv_length} != 4");
                return Ok(Some(None));
            }
            let caps = bittok2str(RI_CAPS, "Unknown", get_be_u32(data, tptr)?);
            nd_print!(nd, "Capabilities: {caps}");
        } else if unknown(nd, data, tptr, "\n\t      ", tlv_length, nd.opts.v <= 1).is_none() {
            return Ok(Some(None));
        }
        tptr += tlv_length;
        remaining -= tlv_length;
    }
    Ok(Some(Some(())))
}

/// The link-local signalling block after the packet (print-ospf.c `ospf_decode_lls`).
fn lls_print(nd: &mut Nd<'_>, data: &[u8], kind: u8, length: u32) -> PResult {
    let options_at = match kind {
        TYPE_HELLO => 30,
        TYPE_DD => 26,
        _ => return Ok(()),
    };
    if get_u8(data, options_at)? & OPTION_L == 0 {
        return Ok(());
    }
    let mut length2 = u32::from(get_be_u16(data, 2)?);
    let mut dptr = length2 as usize;
    let dataend = length as usize;
    if get_be_u16(data, 14)? == AUTH_MD5 {
        let extra = get_u8(data, 19)?;
        dptr += usize::from(extra);
        length2 += u32::from(extra);
    }
    if length2 >= length {
        nd.print("\n\t[LLS truncated]");
        return Ok(());
    }
    nd_print!(nd, "\n\t  LLS: checksum: 0x{:04x}", get_be_u16(data, dptr)?);
    nd_print!(nd, ", length: {}", get_be_u16(data, dptr + 2)?);
    dptr += 4;
    while dptr < dataend {
        let lls_type = get_be_u16(data, dptr)?;
        let name = tok2str(LLS_TLVS, "Unknown TLV", lls_type.into());
        nd_print!(nd, "\n\t    {name} ({lls_type})");
        let mut lls_len = usize::from(get_be_u16(data, dptr + 2)?);
        nd_print!(nd, ", length: {lls_len}");
        dptr += 4;
        match lls_type {
            1 => {
                if lls_len != 4 {
                    nd.print(" [should be 4]");
                    lls_len = 4;
                }
                let flags = get_be_u32(data, dptr)?;
                let f = bittok2str(LLS_EO_OPTIONS, "?", flags);
                nd_print!(nd, "\n\t      Options: 0x{flags:08x} [{f}]");
            }
            2 => {
                if lls_len != 20 {
                    nd.print(" [should be 20]");
                    lls_len = 20;
                }
                nd_print!(
                    nd,
                    "\n\t      Sequence number: 0x{:08x}",
                    get_be_u32(data, dptr)?
                );
            }
            _ => {}
        }
        dptr += lls_len;
    }
    Ok(())
}

/// A Grace LSA's TLVs (print-ospf.c `ospf_grace_lsa_print`, RFC 3623).
pub fn grace_lsa_print(
    nd: &mut Nd<'_>,
    data: &[u8],
    tptr: usize,
    ls_length: usize,
) -> PResult<Walk> {
    let mut tptr = tptr;
    // print-ospf.c counts in a 32-bit unsigned int, which the padding below may wrap.
    let mut ls_length = u32::try_from(ls_length).unwrap_or(u32::MAX);
    while ls_length > 0 {
        if !ttest(data, tptr, 4) {
            return Ok(None);
        }
        if ls_length < 4 {
            nd_print!(nd, "\n\t    Remaining LS length {ls_length} < 4");
            return Ok(None);
        }
        let tlv_type = get_be_u16(data, tptr)?;
        let tlv_length = u32::from(get_be_u16(data, tptr + 2)?);
        tptr += 4;
        ls_length -= 4;
        let name = tok2str(GRACE_TLVS, "unknown", tlv_type.into());
        nd_print!(
            nd,
            "\n\t    {name} TLV ({tlv_type}), length {tlv_length}, value: "
        );
        if tlv_length > ls_length {
            nd_print!(nd, "\n\t    Bogus length {tlv_length} > {ls_length}");
            return Ok(None);
        }
        if tlv_type == 0 || tlv_length == 0 || !ttest(data, tptr, tlv_length as usize) {
            return Ok(None);
        }
        if grace_tlv_print(nd, data, tlv_type, tptr, tlv_length)?.is_none() {
            return Ok(None);
        }
        // Everything in OSPF is 32-bit aligned, TLVs included.
        let padded = tlv_length.next_multiple_of(4);
        ls_length = ls_length.wrapping_sub(padded);
        tptr += padded as usize;
    }
    Ok(Some(()))
}

/// One Grace TLV's value.
fn grace_tlv_print(
    nd: &mut Nd<'_>,
    data: &[u8],
    kind: u16,
    tptr: usize,
    len: u32,
) -> PResult<Walk> {
    let want = match kind {
        1 | 3 => Some(4),
        2 => Some(1),
        _ => None,
    };
    if let Some(want) = want {
        if len != want {
            nd_print!(nd, "\n\t    Bogus length {len} != {want}");
            return Ok(None);
        }
    }
    match kind {
        1 => nd_print!(nd, "{}s", get_be_u32(data, tptr)?),
        2 => {
            let r = get_u8(data, tptr)?;
            let reason = tok2str(GRACE_REASONS, "Unknown", r.into());
            nd_print!(nd, "{reason} ({r})");
        }
        3 => {
            let a = ipaddr_at(nd, data, tptr)?;
            nd.print(&a);
        }
        _ => {
            return Ok(unknown(
                nd,
                data,
                tptr,
                "\n\t      ",
                len as usize,
                nd.opts.v <= 1,
            ))
        }
    }
    Ok(Some(()))
}

/// A bandwidth: an IEEE 754 single in bytes per second, as megabits per second with three
/// decimals (print-ospf.c's `bw.f * 8 / 1000000` through `%.3f`).
fn mbps_print(nd: &mut Nd<'_>, bits: u32) {
    let v = f32::from_bits(bits) * 8.0 / 1_000_000.0;
    if v.is_nan() {
        nd.print(if v.is_sign_negative() { "-nan" } else { "nan" });
    } else {
        nd_print!(nd, "{:.3}", f64::from(v));
    }
}

/// A TE LSA's TLVs (print-ospf.c `ospf_te_lsa_print`, RFC 3630).
pub fn te_lsa_print(
    nd: &mut Nd<'_>,
    data: &[u8],
    mut tptr: usize,
    mut ls_length: usize,
) -> PResult<Walk> {
    while ls_length != 0 {
        if !ttest(data, tptr, 4) {
            return Ok(None);
        }
        if ls_length < 4 {
            nd_print!(nd, "\n\t    Remaining LS length {ls_length} < 4");
            return Ok(None);
        }
        let tlv_type = get_be_u16(data, tptr)?;
        let mut tlv_length = usize::from(get_be_u16(data, tptr + 2)?);
        tptr += 4;
        ls_length -= 4;
        let name = tok2str(TE_TLVS, "unknown", tlv_type.into());
        nd_print!(nd, "\n\t    {name} TLV ({tlv_type}), length: {tlv_length}");
        if tlv_length > ls_length {
            nd_print!(nd, "\n\t    Bogus length {tlv_length} > {ls_length}");
            return Ok(None);
        }
        if tlv_type == 0 || tlv_length == 0 {
            return Ok(None);
        }
        match tlv_type {
            2 => {
                // print-ospf.c walks the sub-TLVs with the TLV's own pointer and length: the
                // walk leaves the pointer past them and the length at 0, so the step below
                // adds nothing and the LS length is not reduced by the TLV.
                if te_link_print(nd, data, &mut tptr, &mut tlv_length)?.is_none() {
                    return Ok(None);
                }
            }
            1 => {
                if tlv_length < 4 {
                    nd_print!(nd, "\n\t    TLV length {tlv_length} < 4");
                    return Ok(None);
                }
                let a = ipaddr_at(nd, data, tptr)?;
                nd_print!(nd, ", {a}");
            }
            _ => {
                if unknown(nd, data, tptr, "\n\t      ", tlv_length, nd.opts.v <= 1).is_none() {
                    return Ok(None);
                }
            }
        }
        tlv_length = tlv_length.next_multiple_of(4);
        if tlv_length > ls_length {
            nd_print!(nd, "\n\t    Bogus padded length {tlv_length} > {ls_length}");
            return Ok(None);
        }
        ls_length -= tlv_length;
        tptr += tlv_length;
    }
    Ok(Some(()))
}

/// The sub-TLVs of a TE Link TLV of `tlv_length` bytes at `tptr`.
fn te_link_print(
    nd: &mut Nd<'_>,
    data: &[u8],
    tptr: &mut usize,
    tlv_length: &mut usize,
) -> PResult<Walk> {
    while *tlv_length != 0 {
        if *tlv_length < 4 {
            nd_print!(nd, "\n\t    Remaining TLV length {tlv_length} < 4");
            return Ok(None);
        }
        let subtlv_type = get_be_u16(data, *tptr)?;
        let mut subtlv_length = usize::from(get_be_u16(data, *tptr + 2)?);
        *tptr += 4;
        *tlv_length -= 4;
        if subtlv_type == 0 || subtlv_length == 0 {
            print_invalid(nd);
            return Ok(None);
        }
        let name = tok2str(TE_LINK_SUBTLVS, "unknown", subtlv_type.into());
        nd_print!(
            nd,
            "\n\t      {name} subTLV ({subtlv_type}), length: {subtlv_length}"
        );
        if *tlv_length < subtlv_length {
            nd_print!(
                nd,
                "\n\t    Remaining TLV length {} < {}",
                *tlv_length + 4,
                subtlv_length + 4
            );
            return Ok(None);
        }
        if !ttest(data, *tptr, subtlv_length) {
            return Ok(None);
        }
        match te_subtlv_print(nd, data, subtlv_type, *tptr, subtlv_length)? {
            SubTlv::Ok => {}
            SubTlv::Invalid => {
                print_invalid(nd);
                return Ok(None);
            }
            SubTlv::Stop => return Ok(None),
        }
        subtlv_length = subtlv_length.next_multiple_of(4);
        if *tlv_length < subtlv_length {
            nd_print!(
                nd,
                "\n\t    Remaining TLV length {} < {}",
                *tlv_length + 4,
                subtlv_length + 4
            );
            return Ok(None);
        }
        *tlv_length -= subtlv_length;
        *tptr += subtlv_length;
    }
    Ok(Some(()))
}

/// How a TE link sub-TLV ended.
enum SubTlv {
    Ok,
    /// print-ospf.c's `goto invalid`.
    Invalid,
    /// A return of -1 without a mark.
    Stop,
}

/// ` != N` and `Invalid` unless the sub-TLV is `want` bytes long.
fn want_len(nd: &mut Nd<'_>, len: usize, want: usize) -> Option<SubTlv> {
    (len != want).then(|| {
        nd_print!(nd, " != {want}");
        SubTlv::Invalid
    })
}

/// One TE link sub-TLV's value.
fn te_subtlv_print(
    nd: &mut Nd<'_>,
    data: &[u8],
    kind: u16,
    tptr: usize,
    len: usize,
) -> PResult<SubTlv> {
    match kind {
        9 => {
            if let Some(bad) = want_len(nd, len, 4) {
                return Ok(bad);
            }
            nd_print!(nd, ", 0x{:08x}", get_be_u32(data, tptr)?);
        }
        2 | 11 => {
            if len != 4 && len != 8 {
                nd.print(" != 4 && != 8");
                return Ok(SubTlv::Invalid);
            }
            let a = ipaddr_at(nd, data, tptr)?;
            nd_print!(nd, ", {a} (0x{:08x})", get_be_u32(data, tptr)?);
            if len == 8 {
                let b = ipaddr_at(nd, data, tptr + 4)?;
                nd_print!(nd, ", {b} (0x{:08x})", get_be_u32(data, tptr + 4)?);
            }
        }
        3 | 4 => {
            if let Some(bad) = want_len(nd, len, 4) {
                return Ok(bad);
            }
            let a = ipaddr_at(nd, data, tptr)?;
            nd_print!(nd, ", {a}");
        }
        6 | 7 => {
            if let Some(bad) = want_len(nd, len, 4) {
                return Ok(bad);
            }
            nd.print(", ");
            mbps_print(nd, get_be_u32(data, tptr)?);
            nd.print(" Mbps");
        }
        8 => {
            if let Some(bad) = want_len(nd, len, 32) {
                return Ok(bad);
            }
            for class in 0..8 {
                nd_print!(nd, "\n\t\tTE-Class {class}: ");
                mbps_print(nd, get_be_u32(data, tptr + class * 4)?);
                nd.print(" Mbps");
            }
        }
        17 => return bw_constraints_print(nd, data, tptr, len),
        5 => {
            if let Some(bad) = want_len(nd, len, 4) {
                return Ok(bad);
            }
            nd_print!(nd, ", Metric {}", get_be_u32(data, tptr)?);
        }
        14 => {
            if let Some(bad) = want_len(nd, len, 4) {
                return Ok(bad);
            }
            let p = bittok2str(GMPLS_LINK_PROT, "none", get_u8(data, tptr)?.into());
            nd_print!(nd, ", {p}");
        }
        15 => {
            if len < 36 {
                nd.print(" < 36");
                return Ok(SubTlv::Invalid);
            }
            let cap = tok2str(GMPLS_SWITCH_CAP, "Unknown", get_u8(data, tptr)?.into());
            nd_print!(nd, "\n\t\tInterface Switching Capability: {cap}");
            let enc = tok2str(GMPLS_ENCODING, "Unknown", get_u8(data, tptr + 1)?.into());
            nd_print!(nd, "\n\t\tLSP Encoding: {enc}\n\t\tMax LSP Bandwidth:");
            for level in 0..8 {
                nd_print!(nd, "\n\t\t  priority level {level}: ");
                mbps_print(nd, get_be_u32(data, tptr + 4 + level * 4)?);
                nd.print(" Mbps");
            }
        }
        1 => {
            if let Some(bad) = want_len(nd, len, 1) {
                return Ok(bad);
            }
            let t = get_u8(data, tptr)?;
            let name = tok2str(TE_LINK_TYPES, "unknown", t.into());
            nd_print!(nd, ", {name} ({t})");
        }
        16 => {
            if len % 4 != 0 {
                nd.print(" != N x 4");
                return Ok(SubTlv::Invalid);
            }
            let count = len / 4;
            if count != 0 {
                nd.print("\n\t\t  Shared risk group: ");
            }
            for k in 0..count {
                if k > 0 {
                    nd.print(", ");
                }
                nd_print!(nd, "{}", get_be_u32(data, tptr + 4 * k)?);
            }
        }
        _ => {
            if unknown(nd, data, tptr, "\n\t\t", len, nd.opts.v <= 1).is_none() {
                return Ok(SubTlv::Stop);
            }
        }
    }
    Ok(SubTlv::Ok)
}

/// The Bandwidth Constraints sub-TLV (RFC 4124).
fn bw_constraints_print(nd: &mut Nd<'_>, data: &[u8], tptr: usize, len: usize) -> PResult<SubTlv> {
    if len < 4 {
        nd.print(" < 4");
        return Ok(SubTlv::Invalid);
    }
    let model = get_u8(data, tptr)?;
    let name = tok2str(DIFFSERV_TE_BC, "unknown", model.into());
    nd_print!(nd, "\n\t\tBandwidth Constraints Model ID: {name} ({model})");
    if len % 4 != 0 {
        nd_print!(nd, "\n\t\tlength {len} != N x 4");
        return Ok(SubTlv::Invalid);
    }
    if len > 36 {
        nd_print!(nd, "\n\t\tlength {len} > 36");
        return Ok(SubTlv::Invalid);
    }
    for class in 0..(len - 4) / 4 {
        nd_print!(nd, "\n\t\t  Bandwidth constraint CT{class}: ");
        mbps_print(nd, get_be_u32(data, tptr + 4 + class * 4)?);
        nd.print(" Mbps");
    }
    Ok(SubTlv::Ok)
}

#[cfg(test)]
#[allow(clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::capture::print::testing::{opts, with_nd};
    use proptest::prelude::*;

    fn run(data: &[u8], len: u32, v: u8) -> (String, PResult) {
        with_nd(&opts(v), |nd| print(nd, data, len))
    }

    /// A Hello from 1.1.1.1 in the backbone with one neighbor, 2.2.2.2.
    fn hello() -> Vec<u8> {
        let mut d = vec![2, 1, 0, 48, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0];
        d.extend_from_slice(&[0; 8]); // authentication data
        d.extend_from_slice(&[255, 255, 255, 0, 0, 10, 0x02, 1, 0, 0, 0, 40]);
        d.extend_from_slice(&[10, 0, 0, 1, 0, 0, 0, 0, 2, 2, 2, 2]);
        d
    }

    #[test]
    fn a_hello_at_each_verbosity() {
        assert_eq!(run(&hello(), 48, 0).0, "OSPFv2, Hello, length 48");
        let (out, r) = run(&hello(), 48, 1);
        assert_eq!(r, Ok(()));
        assert!(
            out.contains("Backbone Area, Authentication Type: none (0)"),
            "{out}"
        );
        assert!(out.contains("Mask 255.255.255.0, Priority 1"), "{out}");
        assert!(out.ends_with("Neighbor List:\n\t    2.2.2.2"), "{out}");
    }

    #[test]
    fn a_short_capture_is_a_longjmp() {
        let d = hello();
        for cut in 0..d.len() {
            let (_, r) = run(&d[..cut], 48, 1);
            assert_eq!(r, Err(Trunc), "cut {cut}");
        }
    }

    #[test]
    fn bandwidths_print_as_c_floats() {
        let (out, ()) = with_nd(&opts(1), |nd| {
            mbps_print(nd, 1.25e8f32.to_bits());
            nd.print(" ");
            mbps_print(nd, f32::NAN.to_bits());
            nd.print(" ");
            mbps_print(nd, f32::NEG_INFINITY.to_bits());
        });
        assert_eq!(out, "1000.000 nan -inf");
    }

    proptest! {
        #[test]
        fn arbitrary_packets_never_panic(
            tail in proptest::collection::vec(any::<u8>(), 0..120),
            kind in 1u8..6,
            auth in 0u16..3,
            len in 0u32..200,
            v in 0u8..4,
        ) {
            let mut d = hello();
            d[1] = kind;
            d[14..16].copy_from_slice(&auth.to_be_bytes());
            d.truncate(24);
            d.extend_from_slice(&tail);
            let _ = run(&d, len, v);
        }
    }
}
