//! OSPFv2 (RFC 2328, RFC 2370 opaque LSAs, RFC 3630 traffic engineering, RFC 3623 graceful
//! restart, RFC 4203 GMPLS, RFC 4124, RFC 5613 link-local signalling, RFC 4970 router
//! information), mirroring print-ospf.c at tcpdump-4.99.3 with the tables of ospf.h and
//! gmpls.c it uses.
//!
//! The Grace and TE LSA decoders (`ospf/opaque.rs`) are shared with `ospf6`, as print-ospf6.c calls
//! print-ospf.c's; so are the first line and the router and area (`head_print`,
//! `router_area_print`), which both files print alike. `tlv_head` reads the header of each
//! TLV of the RI, Grace and TE LSAs.
//!
//! Must not do I/O: it only reads the captured bytes.

use super::names::ipaddr_at;
use super::tok::{bittok2str, tok2str, Tok, Tok2Str};
use super::util::{get_be_u24, print_unknown_data, printjnp};
use super::{get_be_u16, get_be_u32, get_u8, tcheck, ttest, Nd, PResult, Trunc};
use crate::nd_print;

/// An LSA header's length (ospf.h `struct lsa_hdr`).
const LSA_HDR_LEN: usize = 20;
/// The MD5 digest after the packet (ospf.h `OSPF_AUTH_MD5_LEN`).
const AUTH_MD5_LEN: u32 = 16;

/// The packet types OSPFv2 and OSPFv3 share (ospf.h `OSPF_TYPE_*`).
pub(super) const TYPE_HELLO: u8 = 1;
pub(super) const TYPE_DD: u8 = 2;
pub(super) const TYPE_LS_REQ: u8 = 3;
pub(super) const TYPE_LS_UPDATE: u8 = 4;
pub(super) const TYPE_LS_ACK: u8 = 5;

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

/// print-ospf.c `type2str`, the same words as print-ospf6.c `ospf6_type_values`.
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

/// print-ospf.c `lsa_opaque_ri_tlv_values`.
const RI_TLVS: &[Tok] = &[(1, "Router Capabilities")];

/// How print-ospf.c announces these TLVs.
const RI_WORDS: TlvWords = TlvWords::new(RI_TLVS, "length:", ", value: ", "remaining LS length ");

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

/// What the Grace and TE decoders return: `None` where print-ospf.c's return -1.
pub type Walk = Option<()>;

mod opaque;

pub use opaque::{grace_lsa_print, te_lsa_print};

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
    let Some((version, kind)) = head_print(nd, data, length, "unknown LS-type %u")? else {
        return Ok(());
    };
    let ospf_len = u32::from(get_be_u16(data, 2)?);
    if length != ospf_len {
        nd_print!(nd, " [len {ospf_len}]");
    }
    let dataend = length.min(ospf_len) as usize;
    router_area_print(nd, data)?;
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
        ls_type @ (3 | 4 | 5 | 7) => {
            // Summary LSAs (3) and external ones (5, 7) have a mask, ASBR summaries (4) not.
            if ls_type != 4 {
                if !ttest(data, body, 4) {
                    return Ok(None);
                }
                let mask = ipaddr_at(nd, data, body)?;
                nd_print!(nd, "\n\t    Mask {mask}");
            }
            if !ttest(data, body + 4, 4) {
                return Ok(None);
            }
            let external = ls_type >= 5;
            let mut mp = body + 4;
            while mp < ls_end {
                if external {
                    asla_metric_print(nd, data, mp)?;
                    mp += 12;
                } else {
                    let (topology, name, metric) = topology_metric(get_be_u32(data, mp)?);
                    nd_print!(nd, "\n\t\ttopology {name} ({topology}) metric {}", metric);
                    mp += 4;
                }
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

/// `OSPFvV, TYPE, length L`, the first line of both versions (`unknown` names an unknown
/// type); the version and type, or `None` where the printers stop there (an unknown type,
/// or no `-v`).
pub(super) fn head_print(
    nd: &mut Nd<'_>,
    data: &[u8],
    length: u32,
    unknown: &'static str,
) -> PResult<Option<(u8, u8)>> {
    let kind = get_u8(data, 1)?;
    let version = get_u8(data, 0)?;
    let name = tok2str(TYPES, unknown, kind.into());
    nd_print!(nd, "OSPFv{version}, {name}, length {length}");
    Ok(((1..=5).contains(&kind) && nd.opts.v > 0).then_some((version, kind)))
}

/// `\n\tRouter-ID R, Area A` (`, Backbone Area` for area 0), as both versions print them.
pub(super) fn router_area_print(nd: &mut Nd<'_>, data: &[u8]) -> PResult {
    let rid = ipaddr_at(nd, data, 4)?;
    nd_print!(nd, "\n\tRouter-ID {rid}");
    if get_be_u32(data, 8)? != 0 {
        let area = ipaddr_at(nd, data, 8)?;
        nd_print!(nd, ", Area {area}");
    } else {
        nd.print(", Backbone Area");
    }
    Ok(())
}

/// How print-ospf.c announces the TLVs of one kind of LSA: their names, the words after
/// `length` and after the length, and before the remaining length in a bogus-length message.
pub(super) struct TlvWords {
    names: &'static [Tok],
    length: &'static str,
    value: &'static str,
    bogus: &'static str,
}

impl TlvWords {
    pub(super) const fn new(
        names: &'static [Tok],
        length: &'static str,
        value: &'static str,
        bogus: &'static str,
    ) -> Self {
        TlvWords {
            names,
            length,
            value,
            bogus,
        }
    }
}

/// Where the walk over an LSA's TLVs stands after a TLV's header.
pub(super) enum TlvHead {
    /// The TLV's type and length, its header printed and stepped over.
    Tlv(u16, usize),
    /// The header was not captured (print-ospf.c's `goto trunc`).
    Trunc,
    /// The header or its length does not fit the LSA: said, and the LSA ends.
    Stop,
}

/// The header of the TLV at `*tptr`, `*remaining` bytes of the LSA left, as print-ospf.c's
/// TLV loops read it: `\n\t    NAME TLV (T), length L`, both counters past it.
pub(super) fn tlv_head(
    nd: &mut Nd<'_>,
    data: &[u8],
    tptr: &mut usize,
    remaining: &mut usize,
    words: &TlvWords,
) -> PResult<TlvHead> {
    if !ttest(data, *tptr, 4) {
        return Ok(TlvHead::Trunc);
    }
    if *remaining < 4 {
        nd_print!(nd, "\n\t    Remaining LS length {remaining} < 4");
        return Ok(TlvHead::Stop);
    }
    let kind = get_be_u16(data, *tptr)?;
    let len = usize::from(get_be_u16(data, *tptr + 2)?);
    *tptr += 4;
    *remaining -= 4;
    let name = tok2str(words.names, "unknown", kind.into());
    let (length, value) = (words.length, words.value);
    nd_print!(nd, "\n\t    {name} TLV ({kind}), {length} {len}{value}");
    if len > *remaining {
        let bogus = words.bogus;
        nd_print!(nd, "\n\t    Bogus length {len} > {bogus}{remaining}");
        return Ok(TlvHead::Stop);
    }
    Ok(TlvHead::Tlv(kind, len))
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

/// The topology, its name and the 24-bit metric of a summary or external LSA's metric word.
fn topology_metric(ul: u32) -> (u32, Tok2Str, u32) {
    let topology = (ul & 0x7f00_0000) >> 24;
    (
        topology,
        tok2str(TOPOLOGIES, "Unknown", topology),
        ul & 0x00ff_ffff,
    )
}

/// One metric of an AS-External or NSSA LSA (ospf.h `struct aslametric`).
fn asla_metric_print(nd: &mut Nd<'_>, data: &[u8], at: usize) -> PResult {
    let ul = get_be_u32(data, at)?;
    let (topology, name, metric) = topology_metric(ul);
    let kind = if ul & 0x8000_0000 != 0 { 2 } else { 1 };
    nd_print!(
        nd,
        "\n\t\ttopology {name} ({topology}), type {kind}, metric"
    );
    if metric == 0x00ff_ffff {
        nd.print(" infinite");
    } else {
        nd_print!(nd, " {metric}");
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
        let (tlv_type, tlv_length) = match tlv_head(nd, data, &mut tptr, &mut remaining, &RI_WORDS)?
        {
            TlvHead::Tlv(kind, len) => (kind, len),
            TlvHead::Trunc => return Ok(None),
            TlvHead::Stop => return Ok(Some(None)),
        };
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

#[cfg(test)]
#[allow(clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::capture::print::testing::run;
    use proptest::prelude::*;

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
        assert_eq!(run(print, &hello(), 48, 0).0, "OSPFv2, Hello, length 48");
        let (out, r) = run(print, &hello(), 48, 1);
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
            let (_, r) = run(print, &d[..cut], 48, 1);
            assert_eq!(r, Err(Trunc), "cut {cut}");
        }
    }

    prop_compose! {
        /// The hello's header with any packet type and authentication type, then any bytes.
        fn packets()(
            tail in proptest::collection::vec(any::<u8>(), 0..120),
            kind in 1u8..6,
            auth in 0u16..3,
        ) -> Vec<u8> {
            let mut d = hello();
            d[1] = kind;
            d[14..16].copy_from_slice(&auth.to_be_bytes());
            d.truncate(24);
            d.extend_from_slice(&tail);
            d
        }
    }

    proptest! {
        #[test]
        fn arbitrary_packets_never_panic(d in packets(), len in 0u32..200, v in 0u8..4) {
            let _ = run(print, &d, len, v);
        }
    }
}
