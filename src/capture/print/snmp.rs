//! SNMP (RFC 1157, 1905, 3412, 3414), mirroring print-snmp.c at tcpdump-4.99.3 as Debian builds
//! it, without libsmi: a small BER decoder (`asn1_parse`, `asn1_print`) and the v1, v2c and v3
//! message printers on top of it. Without `-n`, OID arcs are named from the compiled-in MIB
//! tree (`mib`) and four prefixes are abbreviated (`E:`, `X:`, `S:` and none for mib-2).
//!
//! The decoder reports malformed BER inline (`[len%d<asnlen%u]`, `[asnlen? %d<%d]`, ...) and
//! the message printers then stop quietly, as tcpdump's do; a length past the capture is a
//! local ` [|snmp]` (tcpdump's `ND_TCHECK_LEN` + `goto trunc`), a read past it `Err(Trunc)`.
//!
//! Must not do I/O: it only reads the captured bytes.

mod mib;

use super::digits::write_i32;
use super::textcache::cached;
use super::util::{print_trunc, printn};
use super::{get_u8, ttest, Nd, PResult};
use crate::nd_print;

/// Universal type names (print-snmp.c `Universal`).
const UNIVERSAL: [&str; 18] = [
    "U-0",
    "Boolean",
    "Integer",
    "Bitstring",
    "String",
    "Null",
    "ObjID",
    "ObjectDes",
    "U-8",
    "U-9",
    "U-10",
    "U-11",
    "U-12",
    "U-13",
    "U-14",
    "U-15",
    "Sequence",
    "Set",
];
/// The universal tags the decoder knows.
const INTEGER: u16 = 2;
const STRING: u16 = 4;
const ASN_NULL: u16 = 5;
const OBJECTID: u16 = 6;
const SEQUENCE: u16 = 16;

/// Application type names, from the Internet SMI (print-snmp.c `Application`).
const APPLICATION: [&str; 7] = [
    "IpAddress",
    "Counter",
    "Gauge",
    "TimeTicks",
    "Opaque",
    "C-5",
    "Counter64",
];
const IPADDR: u16 = 0;
const COUNTER: u16 = 1;
const GAUGE: u16 = 2;
const TIMETICKS: u16 = 3;
const COUNTER64: u16 = 6;

/// PDU names, context-specific constructed tags (print-snmp.c `Context`).
const CONTEXT: [&str; 9] = [
    "GetRequest",
    "GetNextRequest",
    "GetResponse",
    "SetRequest",
    "Trap",
    "GetBulk",
    "Inform",
    "V2Trap",
    "Report",
];
const GETREQ: u16 = 0;
const GETNEXTREQ: u16 = 1;
const SETREQ: u16 = 3;
const TRAP: u16 = 4;
const GETBULKREQ: u16 = 5;
const INFORMREQ: u16 = 6;
const V2TRAP: u16 = 7;
const REPORT: u16 = 8;

/// SNMPv2 exceptions, context-specific primitive tags (print-snmp.c `Exceptions`).
const EXCEPTIONS: [&str; 3] = ["noSuchObject", "noSuchInstance", "endOfMibView"];

/// Private type names (print-snmp.c `Private`).
const PRIVATE: [&str; 1] = ["P-0"];

/// The tag classes in print-snmp.c's `Class` order. Its `defineCLASS` macro quotes `"x"`
/// rather than stringizing, so every class is named `x` in the messages.
const CLASSES: [&[&str]; 4] = [&UNIVERSAL, &APPLICATION, &CONTEXT, &PRIVATE];
const CLASS_NAME: &str = "x";
const C_UNIVERSAL: u8 = 0;
const C_APPLICATION: u8 = 1;
const C_CONTEXT: u8 = 2;

/// error-status values (print-snmp.c `ErrorStatus`).
const ERROR_STATUS: [&str; 19] = [
    "noError",
    "tooBig",
    "noSuchName",
    "badValue",
    "readOnly",
    "genErr",
    "noAccess",
    "wrongType",
    "wrongLength",
    "wrongEncoding",
    "wrongValue",
    "noCreation",
    "inconsistentValue",
    "resourceUnavailable",
    "commitFailed",
    "undoFailed",
    "authorizationError",
    "notWritable",
    "inconsistentName",
];

/// generic-trap values of the v1 Trap-PDU (print-snmp.c `GenericTrap`).
const GENERIC_TRAP: [&str; 7] = [
    "coldStart",
    "warmStart",
    "linkDown",
    "linkUp",
    "authenticationFailure",
    "egpNeighborLoss",
    "enterpriseSpecific",
];
const GT_ENTERPRISE: i32 = 6;

/// Message versions (print-snmp.c `SnmpVersion`).
const VERSION_NAMES: [&str; 4] = ["SNMPv1", "SNMPv2c", "SNMPv2u", "SNMPv3"];
const SNMP_VERSION_1: i32 = 0;
const SNMP_VERSION_2: i32 = 1;
const SNMP_VERSION_3: i32 = 3;

/// Arcs packed into an OID's first subidentifier (X.690 8.19.4, print-snmp.c `OIDMUX`).
const OIDMUX: i32 = 40;

/// The OID prefixes abbreviated without `-n`, BER-encoded, with their text and the arcs of
/// their MIB node (print-snmp.c `obj_abrev_list`).
const ABBREVIATIONS: [(&str, &[u8], &[u8]); 4] = [
    ("", &[1, 3, 6, 1, 2, 1], &[43, 6, 1, 2, 1]),
    ("E:", &[1, 3, 6, 1, 4, 1], &[43, 6, 1, 4, 1]),
    ("X:", &[1, 3, 6, 1, 3], &[43, 6, 1, 3]),
    ("S:", &[1, 3, 6, 1, 6, 3], &[43, 6, 1, 6, 3]),
];

/// What the decoder made of an element (print-snmp.c `BE_*`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Any,
    Null,
    Octet,
    Oid,
    Int,
    Uns,
    Str,
    Seq,
    InetAddr,
    Pdu,
    Uns64,
    NoSuchObject,
    NoSuchInst,
    EndOfMibView,
}

/// One decoded BER element (print-snmp.c `struct be`), its contents by offset.
#[derive(Debug, Clone, Copy)]
struct Elem {
    kind: Kind,
    id: u16,
    asnlen: u32,
    /// Offset of the contents in the message.
    data: usize,
    integer: i32,
    uns: u32,
    uns64: u64,
    /// Header and contents: the bytes parsed.
    count: u32,
}

/// `Some(elem)`, or `None` where tcpdump's function returns -1 (the reason already printed).
type Parsed = PResult<Option<Elem>>;

/// Decode the element at `p`, `len` bytes being left in its container (print-snmp.c
/// `asn1_parse`).
fn asn1_parse(nd: &mut Nd<'_>, buf: &[u8], mut p: usize, mut len: u32) -> Parsed {
    if len < 1 {
        nd.print("[nothing to parse]");
        return Ok(None);
    }
    let first = get_u8(buf, p)?;
    let mut id = first & 0x1f;
    let form = (first & 0x20) >> 5;
    let class = (first & 0xc0) >> 6;
    p += 1;
    len -= 1;
    let mut hdr = 1u32;
    if id == 0x1f {
        // tcpdump assembles the extended tag in its 8-bit `id`, keeping the low bits.
        id = 0;
        loop {
            let b = get_u8(buf, p)?;
            if b & 0x80 == 0 {
                break;
            }
            if len < 1 {
                nd.print("[Xtagfield?]");
                return Ok(None);
            }
            id = (id << 7) | (b & 0x7f);
            len -= 1;
            hdr += 1;
            p += 1;
        }
        if len < 1 {
            nd.print("[Xtagfield?]");
            return Ok(None);
        }
        id = (id << 7) | get_u8(buf, p)?;
        len -= 1;
        hdr += 1;
        p += 1;
    }
    if len < 1 {
        nd.print("[no asnlen]");
        return Ok(None);
    }
    let mut asnlen = u32::from(get_u8(buf, p)?);
    p += 1;
    len -= 1;
    hdr += 1;
    if asnlen & 0x80 != 0 {
        let noct = asnlen % 0x80;
        asnlen = 0;
        if len < noct {
            nd.print("[asnlen? ");
            nd.print_dec(len);
            nd.print("<");
            nd.print_dec(noct);
            nd.print("]");
            return Ok(None);
        }
        if !ttest(buf, p, noct as usize) {
            print_trunc(nd);
            return Ok(None);
        }
        for _ in 0..noct {
            asnlen = (asnlen << 8) | u32::from(get_u8(buf, p)?);
            p += 1;
            len -= 1;
            hdr += 1;
        }
    }
    if len < asnlen {
        {
            let v0 = len as i32;
            nd.print("[len");
            nd.print_dec(v0);
            nd.print("<asnlen");
            nd.print_dec(asnlen);
            nd.print("]");
        };
        return Ok(None);
    }
    let names = CLASSES.get(usize::from(class)).copied().unwrap_or(&[]);
    let Some(&name) = names.get(usize::from(id)) else {
        let f = if form == 0 { 'P' } else { 'C' };
        nd.print("[id?");
        nd.print_display(f);
        nd.print("/");
        nd.print(CLASS_NAME);
        nd.print("/");
        nd.print_dec(id);
        nd.print("]");
        return Ok(None);
    };
    if !ttest(buf, p, asnlen as usize) {
        print_trunc(nd);
        return Ok(None);
    }
    let mut elem = Elem {
        kind: Kind::Any,
        id: u16::from(id),
        asnlen,
        data: p,
        integer: 0,
        uns: 0,
        uns64: 0,
        count: asnlen + hdr,
    };
    if form == 0 {
        if !primitive(nd, buf, class, name, &mut elem)? {
            return Ok(None);
        }
    } else {
        elem.kind = match (class, elem.id) {
            (C_UNIVERSAL, SEQUENCE) => Kind::Seq,
            (C_UNIVERSAL, _) => {
                nd.print("C/U/");
                nd.print(name);
                Kind::Octet
            }
            (C_CONTEXT, _) => Kind::Pdu,
            _ => {
                nd.print("C/");
                nd.print(CLASS_NAME);
                nd.print("/");
                nd.print(name);
                Kind::Octet
            }
        };
    }
    Ok(Some(elem))
}

/// The primitive forms of `asn1_parse`; `false` for a zero-length INTEGER.
fn primitive(nd: &mut Nd<'_>, buf: &[u8], class: u8, name: &str, e: &mut Elem) -> PResult<bool> {
    let bytes = e.data..e.data + e.asnlen as usize;
    e.kind = match (class, e.id) {
        (C_UNIVERSAL, STRING) => Kind::Str,
        (C_UNIVERSAL, INTEGER) => {
            if e.asnlen == 0 {
                nd.print("[asnlen=0]");
                return Ok(false);
            }
            let mut v: i32 = if get_u8(buf, e.data)? & 0x80 != 0 {
                -1
            } else {
                0
            };
            for at in bytes {
                v = (v << 8) | i32::from(get_u8(buf, at)?);
            }
            e.integer = v;
            Kind::Int
        }
        (C_UNIVERSAL, OBJECTID) => Kind::Oid,
        (C_UNIVERSAL, ASN_NULL) => Kind::Null,
        (C_UNIVERSAL, _) => {
            nd.print("[P/U/");
            nd.print(name);
            nd.print("]");
            Kind::Octet
        }
        (C_APPLICATION, IPADDR) => Kind::InetAddr,
        (C_APPLICATION, COUNTER | GAUGE | TIMETICKS) => {
            let mut v = 0u32;
            for at in bytes {
                v = (v << 8).wrapping_add(u32::from(get_u8(buf, at)?));
            }
            e.uns = v;
            Kind::Uns
        }
        (C_APPLICATION, COUNTER64) => {
            let mut v = 0u64;
            for at in bytes {
                v = (v << 8).wrapping_add(u64::from(get_u8(buf, at)?));
            }
            e.uns64 = v;
            Kind::Uns64
        }
        (C_APPLICATION, _) => {
            nd.print("[P/A/");
            nd.print(name);
            nd.print("]");
            Kind::Octet
        }
        (C_CONTEXT, 0) => Kind::NoSuchObject,
        (C_CONTEXT, 1) => Kind::NoSuchInst,
        (C_CONTEXT, 2) => Kind::EndOfMibView,
        (C_CONTEXT, _) => Kind::Any,
        _ => {
            nd.print("[P/");
            nd.print(CLASS_NAME);
            nd.print("/");
            nd.print(name);
            nd.print("]");
            Kind::Octet
        }
    };
    Ok(true)
}

/// `_hh` for every byte (print-snmp.c `asn1_print_octets`); `false` after a local ` [|snmp]`.
fn print_octets(nd: &mut Nd<'_>, buf: &[u8], e: &Elem) -> PResult<bool> {
    if !ttest(buf, e.data, e.asnlen as usize) {
        print_trunc(nd);
        return Ok(false);
    }
    for i in 0..e.asnlen as usize {
        {
            let v0 = get_u8(buf, e.data + i)?;
            nd.print("_");
            nd.print_hex(v0, 2);
        };
    }
    Ok(true)
}

/// A quoted string when every byte is printable, else `hh_hh...` (print-snmp.c
/// `asn1_print_string`); `false` after a local ` [|snmp]`.
fn print_string(nd: &mut Nd<'_>, buf: &[u8], e: &Elem) -> PResult<bool> {
    let n = e.asnlen as usize;
    if !ttest(buf, e.data, n) {
        print_trunc(nd);
        return Ok(false);
    }
    let bytes = buf.get(e.data..e.data + n).unwrap_or_default();
    if bytes.iter().all(|&c| (0x20..0x7f).contains(&c)) {
        nd.print("\"");
        let cut = printn(nd, buf, e.data, n);
        nd.print("\"");
        if cut {
            print_trunc(nd);
            return Ok(false);
        }
    } else {
        for (i, b) in bytes.iter().enumerate() {
            let sep = if i == 0 { "" } else { "_" };
            nd.print(sep);
            nd.print_hex(b, 2);
        }
    }
    Ok(true)
}

/// Print a decoded element (print-snmp.c `asn1_print`); `false` after a local ` [|snmp]`.
fn asn1_print(nd: &mut Nd<'_>, buf: &[u8], e: &Elem) -> PResult<bool> {
    match e.kind {
        Kind::Octet => return print_octets(nd, buf, e),
        Kind::Null => {}
        Kind::Oid => print_oid(nd, buf, e)?,
        Kind::Int => write_i32(nd.out, e.integer),
        Kind::Uns => nd.print_u32(e.uns),
        Kind::Uns64 => {
            nd.print_dec(e.uns64);
        }
        Kind::Str => return print_string(nd, buf, e),
        Kind::Seq => {
            nd.print("Seq(");
            nd.print_u32(e.asnlen);
            nd.print(")");
        }
        Kind::InetAddr => {
            if e.asnlen != 4 {
                nd.print("[inetaddr len!=4]");
            }
            if !ttest(buf, e.data, e.asnlen as usize) {
                print_trunc(nd);
                return Ok(false);
            }
            for i in 0..e.asnlen as usize {
                if i > 0 {
                    nd.print(".");
                }
                nd.print_u32(u32::from(get_u8(buf, e.data + i)?));
            }
        }
        Kind::NoSuchObject | Kind::NoSuchInst | Kind::EndOfMibView => {
            let name = EXCEPTIONS.get(usize::from(e.id)).copied().unwrap_or("");
            nd.print("[");
            nd.print(name);
            nd.print("]");
        }
        Kind::Pdu => {
            let name = CONTEXT.get(usize::from(e.id)).copied().unwrap_or("");
            nd.print(name);
            nd.print("(");
            nd.print_u32(e.asnlen);
            nd.print(")");
        }
        Kind::Any => nd.print("[BE_ANY!?]"),
    }
    Ok(true)
}

/// An OID: `.1.3.6...` with `-n`; else arcs named from the MIB tree after an abbreviated
/// prefix (print-snmp.c `asn1_print`'s `BE_OID` case and `OBJ_PRINT`).
fn print_oid(nd: &mut Nd<'_>, buf: &[u8], e: &Elem) -> PResult {
    // The text of an OID depends only on its bytes (and the options): a short one, wholly
    // captured, is kept and copied when it comes again, as the same OIDs do.
    let whole = buf.get(e.data..e.data.saturating_add(e.asnlen as usize));
    let Some(bytes) = whole.filter(|b| b.len() <= OID_KEY_LEN) else {
        return oid_text(nd, buf, e);
    };
    let mut key = OidKey([0; OID_KEY_LEN], bytes.len() as u8);
    if let Some(k) = key.0.get_mut(..bytes.len()) {
        k.copy_from_slice(bytes);
    }
    let hash = bytes
        .iter()
        .fold(bytes.len() as u64, |h, &b| h.rotate_left(7) ^ u64::from(b));
    cached(nd, |s| &mut s.oids, hash, key, |nd| oid_text(nd, buf, e))
}

/// The longest OID (in bytes) whose text is kept.
const OID_KEY_LEN: usize = 32;

/// An OID's bytes and their count: the key of its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OidKey([u8; OID_KEY_LEN], u8);

fn oid_text(nd: &mut Nd<'_>, buf: &[u8], e: &Elem) -> PResult {
    let names = nd.opts.n == 0;
    let mut p = e.data;
    let mut left = e.asnlen as usize;
    let mut first: i32 = -1;
    // The MIB tree is built on first use: not at all with `-n`.
    let mut node = mib::NONE;
    if names && left > 2 {
        let tree = mib::mib();
        for (prefix, arcs, oid) in ABBREVIATIONS {
            if left < oid.len() || !ttest(buf, p, oid.len()) {
                continue;
            }
            if buf.get(p..p + oid.len()) == Some(oid) {
                node = tree.get(tree.find(arcs)).map_or(mib::NONE, |n| n.child);
                left -= oid.len();
                p += oid.len();
                nd.print(prefix);
                first = 1;
                break;
            }
        }
    }
    let mut o: i32 = 0;
    for at in p..p + left {
        let b = get_u8(buf, at)?;
        o = (o << 7).wrapping_add(i32::from(b & 0x7f));
        if b & 0x80 != 0 {
            continue;
        }
        if first < 0 {
            if names {
                node = mib::mib().root;
            }
            first = 0;
            let s = (o / OIDMUX).min(2);
            arc(nd, &mut node, s, false);
            o = o.wrapping_sub(s.wrapping_mul(OIDMUX));
        }
        arc(nd, &mut node, o, first != 0);
        first = (first - 1).max(0);
        o = 0;
    }
    Ok(())
}

/// One arc: its name among `node` and its siblings, then descend; else the number, and no
/// names after it (print-snmp.c `OBJ_PRINT`).
fn arc(nd: &mut Nd<'_>, node: &mut u16, o: i32, suppress_dot: bool) {
    let mut at = *node;
    if !suppress_dot {
        nd.out.push('.');
    }
    if at != mib::NONE {
        let tree = mib::mib();
        while let Some(n) = tree.get(at) {
            if i32::from(n.oid) == o {
                nd.print(n.name);
                *node = n.child;
                return;
            }
            at = n.next;
        }
    }
    *node = mib::NONE;
    nd.print_u32(o as u32);
}

/// Decode the element at `p` and check its kind: on a mismatch print `[what]` and the element
/// as tcpdump does, and give `None`.
fn expect(nd: &mut Nd<'_>, buf: &[u8], p: usize, len: u32, kind: Kind, what: &str) -> Parsed {
    let Some(e) = asn1_parse(nd, buf, p, len)? else {
        return Ok(None);
    };
    if e.kind != kind {
        nd.print("[");
        nd.print(what);
        nd.print("]");
        asn1_print(nd, buf, &e)?;
        return Ok(None);
    }
    Ok(Some(e))
}

/// Print the SNMP message at `data`; `length` is the UDP payload's length (print-snmp.c
/// `snmp_print`).
pub fn print(nd: &mut Nd<'_>, data: &[u8], length: u32) -> PResult {
    nd.protocol = "snmp";
    nd.print(" ");
    let Some(e) = expect(nd, data, 0, length, Kind::Seq, "!init SEQ")? else {
        return Ok(());
    };
    if e.count < length {
        {
            let v0 = length - e.count;
            nd.print("[");
            nd.print_dec(v0);
            nd.print(" extra after iSEQ]");
        };
    }
    let (np, length) = (e.data, e.asnlen);
    let Some(e) = expect(nd, data, np, length, Kind::Int, "version!=INT")? else {
        return Ok(());
    };
    let version = e.integer;
    match version {
        SNMP_VERSION_1 | SNMP_VERSION_2 | SNMP_VERSION_3 => {
            if nd.opts.v > 0 {
                let name = VERSION_NAMES.get(version as usize).copied().unwrap_or("");
                nd.print("{ ");
                nd.print(name);
                nd.print(" ");
            }
        }
        _ => {
            nd.print("SNMP [version = ");
            nd.print_dec(version);
            nd.print("]");
            return Ok(());
        }
    }
    let (np, length) = (np + e.count as usize, length - e.count);
    if version == SNMP_VERSION_3 {
        v3msg_print(nd, data, np, length)?;
    } else {
        community_print(nd, data, np, length, version)?;
    }
    if nd.opts.v > 0 {
        nd.print("} ");
    }
    Ok(())
}

/// The community and PDU of a v1 or v2c message; `public` is not printed (print-snmp.c
/// `community_print`).
fn community_print(nd: &mut Nd<'_>, buf: &[u8], np: usize, length: u32, version: i32) -> PResult {
    let Some(e) = expect(nd, buf, np, length, Kind::Str, "comm!=STR")? else {
        return Ok(());
    };
    let community = buf.get(e.data..e.data + e.asnlen as usize);
    if community != Some(b"public".as_slice()) {
        nd.print("C=");
        if !print_string(nd, buf, &e)? {
            return Ok(());
        }
        nd.print(" ");
    }
    pdu_print(nd, buf, np + e.count as usize, length - e.count, version)
}

/// Any PDU, by its context tag (print-snmp.c `pdu_print`).
fn pdu_print(nd: &mut Nd<'_>, buf: &[u8], np: usize, length: u32, version: i32) -> PResult {
    let Some(pdu) = asn1_parse(nd, buf, np, length)? else {
        return Ok(());
    };
    if pdu.kind != Kind::Pdu {
        nd.print("[no PDU]");
        return Ok(());
    }
    if pdu.count < length {
        {
            let v0 = length - pdu.count;
            nd.print("[");
            nd.print_dec(v0);
            nd.print(" extra after PDU]");
        };
    }
    if nd.opts.v > 0 {
        nd.print("{ ");
    }
    if !asn1_print(nd, buf, &pdu)? {
        return Ok(());
    }
    nd.print(" ");
    let v2_only = matches!(pdu.id, GETBULKREQ | INFORMREQ | V2TRAP | REPORT);
    if version == SNMP_VERSION_1 && v2_only {
        nd.print("[v2 PDU in v1 message]");
        return Ok(());
    }
    if version == SNMP_VERSION_2 && pdu.id == TRAP {
        nd.print("[v1 PDU in v2 message]");
        return Ok(());
    }
    if pdu.id == TRAP {
        trappdu_print(nd, buf, pdu.data, pdu.asnlen)?;
    } else {
        snmppdu_print(nd, buf, pdu.id, pdu.data, pdu.asnlen)?;
    }
    if nd.opts.v > 0 {
        nd.print(" } ");
    }
    Ok(())
}

/// `DECODE_ErrorStatus`.
fn error_status(nd: &mut Nd<'_>, e: i32) {
    match usize::try_from(e).ok().and_then(|i| ERROR_STATUS.get(i)) {
        Some(name) => nd.print(name),
        None => {
            let v0 = e as u32;
            nd.print("err=");
            nd.print_dec(v0);
        }
    }
}

/// Every PDU but the v1 Trap: request id, error status and index, variable bindings
/// (print-snmp.c `snmppdu_print`).
fn snmppdu_print(nd: &mut Nd<'_>, buf: &[u8], id: u16, mut np: usize, mut len: u32) -> PResult {
    let Some(e) = expect(nd, buf, np, len, Kind::Int, "reqId!=INT")? else {
        return Ok(());
    };
    if nd.opts.v > 0 {
        nd.print("R=");
        write_i32(nd.out, e.integer);
        nd.print(" ");
    }
    (np, len) = (np + e.count as usize, len - e.count);
    let Some(e) = expect(nd, buf, np, len, Kind::Int, "errorStatus!=INT")? else {
        return Ok(());
    };
    // The PDUs whose error fields must be zero.
    let zero_errors = matches!(
        id,
        GETREQ | GETNEXTREQ | SETREQ | INFORMREQ | V2TRAP | REPORT
    );
    let mut status = 0;
    if zero_errors && e.integer != 0 {
        nd.print("[errorStatus(");
        error_status(nd, e.integer);
        nd.print(")!=0]");
    } else if id == GETBULKREQ {
        nd.print(" N=");
        write_i32(nd.out, e.integer);
    } else if e.integer != 0 {
        nd.print(" ");
        error_status(nd, e.integer);
        status = e.integer;
    }
    (np, len) = (np + e.count as usize, len - e.count);
    let Some(e) = expect(nd, buf, np, len, Kind::Int, "errorIndex!=INT")? else {
        return Ok(());
    };
    let index = e.integer;
    if zero_errors && index != 0 {
        nd.print("[errorIndex(");
        nd.print_dec(index);
        nd.print(")!=0]");
    } else if id == GETBULKREQ {
        nd.print(" M=");
        nd.print_dec(index);
    } else if index != 0 {
        if status == 0 {
            nd.print("[errorIndex(");
            nd.print_dec(index);
            nd.print(") w/o errorStatus]");
        } else {
            nd.print("@");
            nd.print_dec(index);
        }
    } else if status != 0 {
        nd.print("[errorIndex==0]");
    }
    varbind_print(nd, buf, id, np + e.count as usize, len - e.count)
}

/// The v1 Trap-PDU (print-snmp.c `trappdu_print`).
fn trappdu_print(nd: &mut Nd<'_>, buf: &[u8], mut np: usize, mut len: u32) -> PResult {
    nd.print(" ");
    let Some(e) = expect(nd, buf, np, len, Kind::Oid, "enterprise!=OID")? else {
        return Ok(());
    };
    if !asn1_print(nd, buf, &e)? {
        return Ok(());
    }
    (np, len) = (np + e.count as usize, len - e.count);
    nd.print(" ");
    let Some(e) = expect(nd, buf, np, len, Kind::InetAddr, "agent-addr!=INETADDR")? else {
        return Ok(());
    };
    if !asn1_print(nd, buf, &e)? {
        return Ok(());
    }
    (np, len) = (np + e.count as usize, len - e.count);
    let Some(e) = expect(nd, buf, np, len, Kind::Int, "generic-trap!=INT")? else {
        return Ok(());
    };
    let generic = e.integer;
    match usize::try_from(generic)
        .ok()
        .and_then(|i| GENERIC_TRAP.get(i))
    {
        Some(name) => {
            nd.print(" ");
            nd.print(name);
        }
        None => {
            nd.print(" gt=");
            nd.print_dec(generic);
        }
    }
    (np, len) = (np + e.count as usize, len - e.count);
    let Some(e) = expect(nd, buf, np, len, Kind::Int, "specific-trap!=INT")? else {
        return Ok(());
    };
    if generic != GT_ENTERPRISE {
        if e.integer != 0 {
            nd.print("[specific-trap(");
            nd.print_dec(e.integer);
            nd.print(")!=0]");
        }
    } else {
        nd.print(" s=");
        nd.print_dec(e.integer);
    }
    (np, len) = (np + e.count as usize, len - e.count);
    nd.print(" ");
    let Some(e) = expect(nd, buf, np, len, Kind::Uns, "time-stamp!=TIMETICKS")? else {
        return Ok(());
    };
    if !asn1_print(nd, buf, &e)? {
        return Ok(());
    }
    varbind_print(nd, buf, TRAP, np + e.count as usize, len - e.count)
}

/// The variable bindings: `name` for reads, `name=value` otherwise (print-snmp.c
/// `varbind_print`).
fn varbind_print(nd: &mut Nd<'_>, buf: &[u8], id: u16, np: usize, length: u32) -> PResult {
    let Some(e) = expect(nd, buf, np, length, Kind::Seq, "!SEQ of varbind")? else {
        return Ok(());
    };
    if e.count < length {
        {
            let v0 = length - e.count;
            nd.print("[");
            nd.print_dec(v0);
            nd.print(" extra after SEQ of varbind]");
        };
    }
    let read = matches!(id, GETREQ | GETNEXTREQ | GETBULKREQ);
    let (mut np, mut length) = (e.data, e.asnlen);
    while length > 0 {
        nd.print(" ");
        let Some(vb) = expect(nd, buf, np, length, Kind::Seq, "!varbind")? else {
            return Ok(());
        };
        let (vbend, vblength) = (np + vb.count as usize, length - vb.count);
        let Some(name) = expect(nd, buf, vb.data, vb.asnlen, Kind::Oid, "objName!=OID")? else {
            return Ok(());
        };
        if !asn1_print(nd, buf, &name)? {
            return Ok(());
        }
        if !read {
            nd.print("=");
        }
        let at = vb.data + name.count as usize;
        let Some(value) = asn1_parse(nd, buf, at, vb.asnlen - name.count)? else {
            return Ok(());
        };
        if value.kind != Kind::Null {
            if read {
                nd.print("[objVal!=NULL]");
            }
            if !asn1_print(nd, buf, &value)? {
                return Ok(());
            }
        }
        (np, length) = (vbend, vblength);
    }
    Ok(())
}

/// A v3 message: header data, security parameters, scoped PDU (print-snmp.c `v3msg_print`).
fn v3msg_print(nd: &mut Nd<'_>, buf: &[u8], xnp: usize, xlength: u32) -> PResult {
    let Some(e) = expect(nd, buf, xnp, xlength, Kind::Seq, "!message")? else {
        return Ok(());
    };
    let (mut np, mut length) = (e.data, e.asnlen);
    if nd.opts.v > 0 {
        nd.print("{ ");
    }
    for what in ["msgID!=INT", "msgMaxSize!=INT"] {
        let Some(e) = expect(nd, buf, np, length, Kind::Int, what)? else {
            return Ok(());
        };
        (np, length) = (np + e.count as usize, length - e.count);
    }
    let Some(e) = expect(nd, buf, np, length, Kind::Str, "msgFlags!=STR")? else {
        return Ok(());
    };
    if e.asnlen != 1 {
        nd.print("[msgFlags size ");
        nd.print_dec(e.asnlen);
        nd.print("]");
        return Ok(());
    }
    let flags = get_u8(buf, e.data)?;
    if !matches!(flags, 0x00 | 0x01 | 0x03 | 0x04 | 0x05 | 0x07) {
        nd_print!(nd, "[msgFlags=0x{flags:02X}]");
        return Ok(());
    }
    (np, length) = (np + e.count as usize, length - e.count);
    let flag = |bit: u8, c: &'static str| if flags & bit != 0 { c } else { "" };
    {
        let v0 = flag(1, "a");
        let v1 = flag(2, "p");
        let v2 = flag(4, "r");
        nd.print("F=");
        nd.print(v0);
        nd.print(v1);
        nd.print(v2);
        nd.print(" ");
    };
    let Some(e) = expect(nd, buf, np, length, Kind::Int, "msgSecurityModel!=INT")? else {
        return Ok(());
    };
    let model = e.integer;
    (np, length) = (np + e.count as usize, length - e.count);
    if e.count < length {
        {
            let v0 = length - e.count;
            nd.print("[");
            nd.print_dec(v0);
            nd.print(" extra after message SEQ]");
        };
    }
    if nd.opts.v > 0 {
        nd.print("} ");
    }
    if model != 3 {
        nd.print("[security model ");
        nd.print_dec(model);
        nd.print("]");
        return Ok(());
    }
    if nd.opts.v > 0 {
        nd.print("{ USM ");
    }
    // What follows the header data, wherever its parse stopped.
    let length = xlength - (np - xnp) as u32;
    let Some(e) = expect(nd, buf, np, length, Kind::Str, "msgSecurityParameters!=STR")? else {
        return Ok(());
    };
    usm_print(nd, buf, e.data, e.asnlen)?;
    if nd.opts.v > 0 {
        nd.print("} ");
        nd.print("{ ScopedPDU ");
    }
    scopedpdu_print(nd, buf, np + e.count as usize, length - e.count)?;
    if nd.opts.v > 0 {
        nd.print("} ");
    }
    Ok(())
}

/// The User-based Security Model parameters (print-snmp.c `usm_print`).
fn usm_print(nd: &mut Nd<'_>, buf: &[u8], np: usize, length: u32) -> PResult {
    let Some(e) = expect(nd, buf, np, length, Kind::Seq, "!usm")? else {
        return Ok(());
    };
    let (mut np, mut length) = (e.data, e.asnlen);
    let Some(e) = expect(
        nd,
        buf,
        np,
        length,
        Kind::Str,
        "msgAuthoritativeEngineID!=STR",
    )?
    else {
        return Ok(());
    };
    (np, length) = (np + e.count as usize, length - e.count);
    for (what, label) in [
        ("msgAuthoritativeEngineBoots!=INT", "B"),
        ("msgAuthoritativeEngineTime!=INT", "T"),
    ] {
        let Some(e) = expect(nd, buf, np, length, Kind::Int, what)? else {
            return Ok(());
        };
        if nd.opts.v > 0 {
            nd.print(label);
            nd.print("=");
            nd.print_dec(e.integer);
            nd.print(" ");
        }
        (np, length) = (np + e.count as usize, length - e.count);
    }
    let Some(e) = expect(nd, buf, np, length, Kind::Str, "msgUserName!=STR")? else {
        return Ok(());
    };
    (np, length) = (np + e.count as usize, length - e.count);
    nd.print("U=");
    if !print_string(nd, buf, &e)? {
        return Ok(());
    }
    nd.print(" ");
    let mut count = 0;
    for what in [
        "msgAuthenticationParameters!=STR",
        "msgPrivacyParameters!=STR",
    ] {
        let Some(e) = expect(nd, buf, np, length, Kind::Str, what)? else {
            return Ok(());
        };
        (np, length, count) = (np + e.count as usize, length - e.count, e.count);
    }
    if count < length {
        {
            let v0 = length - count;
            nd.print("[");
            nd.print_dec(v0);
            nd.print(" extra after usm SEQ]");
        };
    }
    Ok(())
}

/// The scoped PDU: context engine id and name, then the PDU (print-snmp.c `scopedpdu_print`).
fn scopedpdu_print(nd: &mut Nd<'_>, buf: &[u8], np: usize, length: u32) -> PResult {
    let Some(e) = expect(nd, buf, np, length, Kind::Seq, "!scoped PDU")? else {
        return Ok(());
    };
    let (mut np, mut length) = (e.data, e.asnlen);
    let Some(e) = expect(nd, buf, np, length, Kind::Str, "contextEngineID!=STR")? else {
        return Ok(());
    };
    (np, length) = (np + e.count as usize, length - e.count);
    nd.print("E=");
    if !print_octets(nd, buf, &e)? {
        return Ok(());
    }
    nd.print(" ");
    let Some(e) = expect(nd, buf, np, length, Kind::Str, "contextName!=STR")? else {
        return Ok(());
    };
    (np, length) = (np + e.count as usize, length - e.count);
    nd.print("C=");
    if !print_string(nd, buf, &e)? {
        return Ok(());
    }
    nd.print(" ");
    pdu_print(nd, buf, np, length, SNMP_VERSION_3)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capture::print::testing::{opts, with_nd};
    use crate::capture::print::{PrintOptions, Trunc};
    use proptest::prelude::*;

    fn run(data: &[u8], len: u32, o: &PrintOptions) -> (String, PResult) {
        with_nd(o, |nd| print(nd, data, len))
    }

    /// A v1 GetRequest, community `public`, for 1.3.6.1.2.1.1.1.0 (sysDescr.0).
    const GET: [u8; 41] = [
        0x30, 39, // message SEQUENCE
        0x02, 1, 0, // version 1
        0x04, 6, b'p', b'u', b'b', b'l', b'i', b'c', // community
        0xa0, 26, // GetRequest
        0x02, 2, 0x04, 0xd2, // request id 1234
        0x02, 1, 0, 0x02, 1, 0, // error status and index
        0x30, 14, 0x30, 12, // varbind list, varbind
        0x06, 8, 43, 6, 1, 2, 1, 1, 1, 0, // name
        0x05, 0, // value NULL
    ];

    #[test]
    fn mib_links_stay_in_the_table() {
        let tree = mib::mib();
        assert_eq!(tree.nodes.len(), 362, "mib.h has 362 nodes");
        for n in &tree.nodes {
            for at in [n.child, n.next] {
                assert!(at == mib::NONE || usize::from(at) < tree.nodes.len());
            }
        }
        let name = |at: u16| tree.get(at).map(|n| n.name);
        assert_eq!(name(tree.root), Some("iso"));
        for (arcs, expected) in ABBREVIATIONS.iter().map(|a| a.1).zip([
            "mib",
            "enterprises",
            "experimental",
            "snmpModules",
        ]) {
            assert_eq!(name(tree.find(arcs)), Some(expected));
        }
    }

    #[test]
    fn oids_numeric_with_n_and_named_without() {
        let (numeric, r) = run(&GET, 41, &opts(1));
        assert_eq!(r, Ok(()));
        assert!(numeric.contains(".1.3.6.1.2.1.1.1.0"), "{numeric}");
        let names = PrintOptions {
            v: 1,
            ..PrintOptions::default()
        };
        let (named, r) = run(&GET, 41, &names);
        assert_eq!(r, Ok(()));
        assert!(named.contains(" system.sysDescr.0"), "{named}");
        assert!(!named.contains("public"), "{named}");
    }

    #[test]
    fn reads_past_the_capture_unwind_and_lengths_past_it_stop_locally() {
        // The length octet itself is missing: GET_U_1 longjmps.
        assert_eq!(run(&GET[..1], 41, &opts(0)).1, Err(Trunc));
        // A length the capture does not hold: ND_TCHECK_LEN, a local ` [|snmp]`.
        let (out, r) = run(&GET[..20], 41, &opts(0));
        assert_eq!(r, Ok(()));
        assert!(out.ends_with(" [|snmp]"), "{out}");
    }

    #[test]
    fn malformed_ber_is_reported_inline() {
        for bad in [
            &[0x30u8, 0x10, 0x02, 0x01][..],
            &[0x30, 0x84, 0, 0],
            &[0x1f, 0x10, 0],
        ] {
            let (out, r) = run(bad, bad.len() as u32, &opts(0));
            assert_eq!(r, Ok(()));
            assert!(out.starts_with(" [") && out.ends_with(']'), "{out}");
        }
    }

    proptest! {
        #[test]
        fn any_bytes_print_without_panic(data in proptest::collection::vec(any::<u8>(), 0..80),
                                         extra in 0u32..40, v in 0u8..3) {
            let len = data.len() as u32 + extra;
            let _ = run(&data, len, &opts(v));
            let names = PrintOptions { v, ..PrintOptions::default() };
            let _ = run(&data, len, &names);
        }

        #[test]
        fn every_prefix_of_a_request_prints(cut in 0usize..41) {
            let (_, r) = run(GET.get(..cut).unwrap_or_default(), 41, &opts(2));
            prop_assert!(r.is_ok() || cut < 2);
        }
    }
}
