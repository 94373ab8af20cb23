//! RADIUS (RFC 2865, 2866, 2868, 2869, 3162, 3576, 4072, 4675, 4849, 5090, 5580, 6572),
//! mirroring print-radius.c at tcpdump-4.99.3: the code, id and length; at `-v` the
//! authenticator and every attribute with the value tcpdump decodes for its type (strings,
//! numbers and their named values, tunnel tags, addresses and prefixes, times, vendor-specific
//! sub-attributes, EAP messages through `eap`); at `-vv` each attribute's value in hex too.
//!
//! Must not do I/O: it only reads the captured bytes.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::names::print_addr;
use super::tok::{bittok2str, tok2str};
use super::util::{
    get_be_u24, get_be_u64, print_trunc, print_unknown_data, printjn, write_hex_byte,
};
use super::{get_array, get_be_u16, get_be_u32, get_u8, ttest, Nd, PResult};
use crate::nd_print;

pub(super) mod tables;
use tables::{Kind, ATTRS};

/// The fixed header: code, id, length, authenticator (print-radius.c `MIN_RADIUS_LEN`).
const MIN_LEN: usize = 20;

// Attribute types with special cases in the value printers (print-radius.c).
const FRM_IPADDR: u8 = 8;
const LOG_IPHOST: u8 = 14;
const FRM_IPX: u8 = 23;
const SESSION_TIMEOUT: u8 = 27;
const IDLE_TIMEOUT: u8 = 28;
const FRM_ATALK_LINK: u8 = 37;
const FRM_ATALK_NETWORK: u8 = 38;
const ACCT_DELAY: u8 = 41;
const ACCT_SESSION_TIME: u8 = 46;
const EGRESS_VLAN_ID: u8 = 56;
const EGRESS_VLAN_NAME: u8 = 58;
const TUNNEL_TYPE: u8 = 64;
const TUNNEL_MEDIUM: u8 = 65;
const TUNNEL_CLIENT_END: u8 = 66;
const TUNNEL_SERVER_END: u8 = 67;
const TUNNEL_PASS: u8 = 69;
const ARAP_PASS: u8 = 70;
const ARAP_FEATURES: u8 = 71;
const EAP_MESSAGE: u8 = 79;
const TUNNEL_PRIV_GROUP: u8 = 81;
const TUNNEL_ASSIGN_ID: u8 = 82;
const TUNNEL_PREFERENCE: u8 = 83;
const ARAP_CHALLENGE_RESP: u8 = 84;
const ACCT_INT_INTERVAL: u8 = 85;
const TUNNEL_CLIENT_AUTH: u8 = 90;
const TUNNEL_SERVER_AUTH: u8 = 91;
const ERROR_CAUSE: u8 = 101;

/// Print the RADIUS message at `data`; `length` is the UDP payload's length (print-radius.c
/// `radius_print`).
pub fn print(nd: &mut Nd<'_>, data: &[u8], length: u32) -> PResult {
    nd.protocol = "radius";
    if !ttest(data, 0, MIN_LEN) {
        return trunc(nd);
    }
    let len = u32::from(get_be_u16(data, 2)?);
    if len < MIN_LEN as u32 {
        return trunc(nd);
    }
    let len = len.min(length);
    let code = get_u8(data, 0)?;
    let name = tok2str(&tables::CODES, "Unknown Command", u32::from(code));
    let id = get_u8(data, 1)?;
    if nd.opts.v == 0 {
        nd.print("RADIUS, ");
        nd.print_tok(name);
        nd.print(" (");
        nd.print_dec(code);
        nd.print("), id: 0x");
        nd.print_hex(id, 2);
        nd.print(" length: ");
        nd.print_dec(len);
        return Ok(());
    }
    nd.print("RADIUS, length: ");
    nd.print_dec(len);
    nd.print("\n\t");
    nd.print_tok(name);
    nd.print(" (");
    nd.print_dec(code);
    nd.print("), id: 0x");
    nd.print_hex(id, 2);
    nd.print(", Authenticator: ");
    for b in get_array::<16>(data, 4)? {
        write_hex_byte(nd.out, b);
    }
    if len > MIN_LEN as u32 {
        attrs_print(nd, data, MIN_LEN, len as usize - MIN_LEN)?;
    }
    Ok(())
}

/// The attributes: `length` bytes from `at` (print-radius.c `radius_attrs_print`).
fn attrs_print(nd: &mut Nd<'_>, data: &[u8], mut at: usize, mut length: usize) -> PResult {
    while length > 0 {
        if length < 2 || !ttest(data, at, 2) {
            return trunc(nd);
        }
        let ty = get_u8(data, at)?;
        let len = usize::from(get_u8(data, at + 1)?);
        let attr = ATTRS.get(usize::from(ty));
        let name = match attr {
            Some(a) if ty != 0 => a.0,
            _ => "Unknown",
        };
        nd.print("\n\t  ");
        nd.print(name);
        nd.print(" Attribute (");
        nd.print_u32(u32::from(ty));
        nd.print("), length: ");
        nd.print_u32(len as u32);
        if len < 2 {
            nd.print(" (bogus, must be >= 2)");
            return Ok(());
        }
        if len > length {
            nd.print(" (bogus, goes past end of packet)");
            return Ok(());
        }
        nd.print(", Value: ");
        if let Some(attr) = attr {
            if len > 2 {
                value_print(nd, data, at + 2, len - 2, ty, attr.1)?;
            }
        }
        if nd.opts.v > 1 {
            print_unknown_data(nd, data, at + 2, "\n\t    ", len - 2);
        }
        length -= len;
        at += len;
    }
    Ok(())
}

/// One attribute's value, `len` bytes from `at`, by the printer its type has.
fn value_print(nd: &mut Nd<'_>, d: &[u8], at: usize, len: usize, ty: u8, kind: Kind) -> PResult {
    match kind {
        Kind::None => Ok(()),
        Kind::String => string_print(nd, d, at, len, ty),
        Kind::Num => num_print(nd, d, at, len, ty),
        Kind::Enum(values, first) => enum_print(nd, d, at, len, ty, values, first),
        Kind::Vendor => vendor_print(nd, d, at, len),
        Kind::Address => address_print(nd, d, at, len, ty),
        Kind::Address6 => {
            if len != 16 {
                nd.print("ERROR: length ");
                nd.print_dec(len);
                nd.print(" != 16");
                return Ok(());
            }
            print_addr(nd, IpAddr::V6(Ipv6Addr::from(get_array::<16>(d, at)?)));
            Ok(())
        }
        Kind::Netmask6 => netmask6_print(nd, d, at, len),
        Kind::HomeLinkPrefix => home_link_prefix_print(nd, d, at, len),
        Kind::OperatorName => operator_name_print(nd, d, at, len),
        Kind::LocationInfo => location_info_print(nd, d, at, len),
        Kind::LocationData => location_data_print(nd, d, at, len),
        Kind::LocationRules => location_rules_print(nd, d, at, len),
        Kind::Time => time_print(nd, d, at, len),
        Kind::Vector64 => vector64_print(nd, d, at, len),
        Kind::Strange => strange_print(nd, d, at, len, ty),
    }
}

/// Text, after the tag, salt or VLAN tag of the attributes that have one; printable ASCII
/// as it is, `.` for the rest, up to the first NUL (print-radius.c `print_attr_string`).
fn string_print(nd: &mut Nd<'_>, d: &[u8], mut at: usize, mut len: usize, ty: u8) -> PResult {
    if !ttest(d, at, len) {
        return trunc(nd);
    }
    match ty {
        TUNNEL_PASS => {
            if len < 3 {
                return trunc(nd);
            }
            tag_print(nd, get_u8(d, at)?, true);
            {
                let v0 = get_be_u16(d, at + 1)?;
                nd.print("Salt ");
                nd.print_dec(v0);
                nd.print(" ");
            };
            at += 3;
            len -= 3;
        }
        TUNNEL_CLIENT_END | TUNNEL_SERVER_END | TUNNEL_PRIV_GROUP | TUNNEL_ASSIGN_ID
        | TUNNEL_CLIENT_AUTH | TUNNEL_SERVER_AUTH => {
            let tag = get_u8(d, at)?;
            if tag <= 0x1f {
                tag_print(nd, tag, false);
                at += 1;
                len -= 1;
            }
        }
        EGRESS_VLAN_NAME => {
            let tag = get_u8(d, at)?;
            {
                let v0 = tok2str(&tables::RFC4675_TAGGED, "Unknown tag", u32::from(tag));
                nd.print_tok(v0);
                nd.print(" (0x");
                nd.print_hex(tag, 2);
                nd.print(") ");
            };
            at += 1;
            len -= 1;
        }
        EAP_MESSAGE => return super::eap::print(nd, d, at, len),
        _ => {}
    }
    for i in 0..len {
        let c = get_u8(d, at + i)?;
        if c == 0 {
            break;
        }
        nd.out.push(printable(c));
    }
    Ok(())
}

/// `Tag[N] `, or `Tag[Unused] ` for tag 0 (and, for Tunnel-Password, tags above 0x1f).
fn tag_print(nd: &mut Nd<'_>, tag: u8, password: bool) {
    if tag != 0 && (!password || tag <= 0x1f) {
        nd.print("Tag[");
        nd.print_dec(tag);
        nd.print("] ");
    } else {
        nd.print("Tag[Unused] ");
    }
}

/// tcpdump's `ND_ASCII_ISPRINT(c) ? c : '.'`.
fn printable(c: u8) -> char {
    if (0x20..0x7f).contains(&c) {
        char::from(c)
    } else {
        '.'
    }
}

/// The vendor and its sub-attributes (print-radius.c `print_vendor_attr`).
fn vendor_print(nd: &mut Nd<'_>, d: &[u8], mut at: usize, mut length: usize) -> PResult {
    if length < 4 {
        return trunc(nd);
    }
    let vendor = get_be_u32(d, at)?;
    at += 4;
    length -= 4;
    {
        let v0 = tok2str(&tables::SMI_VALUES, "Unknown", vendor);
        nd.print("Vendor: ");
        nd.print_tok(v0);
        nd.print(" (");
        nd.print_dec(vendor);
        nd.print(")");
    };
    while length >= 2 {
        let ty = get_u8(d, at)?;
        let len = usize::from(get_u8(d, at + 1)?);
        if len < 2 {
            nd.print("\n\t    Vendor Attribute: ");
            nd.print_dec(ty);
            nd.print(", Length: ");
            nd.print_dec(len);
            nd.print(" (bogus, must be >= 2)");
            return Ok(());
        }
        if len > length {
            nd.print("\n\t    Vendor Attribute: ");
            nd.print_dec(ty);
            nd.print(", Length: ");
            nd.print_dec(len);
            nd.print(" (bogus, goes past end of vendor-specific attribute)");
            return Ok(());
        }
        at += 2;
        let vlen = len - 2;
        length -= 2;
        if !ttest(d, at, vlen) {
            return trunc(nd);
        }
        nd.print("\n\t    Vendor Attribute: ");
        nd.print_dec(ty);
        nd.print(", Length: ");
        nd.print_dec(vlen);
        nd.print(", Value: ");
        for i in 0..vlen {
            nd.out.push(printable(get_u8(d, at + i)?));
        }
        at += vlen;
        length -= vlen;
    }
    Ok(())
}

/// `ERROR: length N != 4` unless the value has four bytes.
fn length_is(nd: &mut Nd<'_>, len: usize, want: usize) -> bool {
    if len != want {
        nd.print("ERROR: length ");
        nd.print_dec(len);
        nd.print(" != ");
        nd.print_dec(want);
    }
    len == want
}

/// A number with named values (print-radius.c `print_attr_num`, `siz_subtypes` non-zero):
/// the name when `first <= v < values.len()`, else `#v`; Tunnel-Type and Tunnel-Medium-Type
/// carry a tag in their first byte.
fn enum_print(
    nd: &mut Nd<'_>,
    d: &[u8],
    at: usize,
    len: usize,
    ty: u8,
    values: &[&str],
    first: u32,
) -> PResult {
    if !length_is(nd, len, 4) {
        return Ok(());
    }
    let v = if ty == TUNNEL_TYPE || ty == TUNNEL_MEDIUM {
        tag_print(nd, get_u8(d, at)?, false);
        get_be_u24(d, at + 1)?
    } else {
        get_be_u32(d, at)?
    };
    match values.get(v as usize) {
        Some(name) if v >= first => nd.print(name),
        _ => {
            nd.print("#");
            nd.print_dec(v);
        }
    }
    Ok(())
}

/// A number without named values, with the special cases of print-radius.c `print_attr_num`.
fn num_print(nd: &mut Nd<'_>, d: &[u8], at: usize, len: usize, ty: u8) -> PResult {
    if !length_is(nd, len, 4) {
        return Ok(());
    }
    // The tagged values read their tag first: a capture cut after it still shows it.
    match ty {
        TUNNEL_PREFERENCE => {
            tag_print(nd, get_u8(d, at)?, false);
            nd.print_dec(get_be_u24(d, at + 1)?);
            return Ok(());
        }
        EGRESS_VLAN_ID => {
            let tag = get_u8(d, at)?;
            let name = tok2str(&tables::RFC4675_TAGGED, "Unknown tag", u32::from(tag));
            nd.print_tok(name);
            nd.print(" (0x");
            nd.print_hex(tag, 2);
            nd.print(") ");
            nd.print_dec(get_be_u24(d, at + 1)?);
            return Ok(());
        }
        _ => {}
    }
    let v = get_be_u32(d, at)?;
    match ty {
        FRM_IPX if v == 0xffff_fffe => nd.print("NAS Select"),
        SESSION_TIMEOUT | IDLE_TIMEOUT | ACCT_DELAY | ACCT_SESSION_TIME | ACCT_INT_INTERVAL => {
            if v < 60 {
                nd.print_pad(v, 2);
                nd.print(" secs");
            } else if v < 3600 {
                {
                    let v0 = v / 60;
                    let v1 = v % 60;
                    nd.print_pad(v0, 2);
                    nd.print(":");
                    nd.print_pad(v1, 2);
                    nd.print(" min");
                };
            } else {
                {
                    let v0 = v / 3600;
                    let v1 = (v % 3600) / 60;
                    let v2 = v % 60;
                    nd.print_pad(v0, 2);
                    nd.print(":");
                    nd.print_pad(v1, 2);
                    nd.print(":");
                    nd.print_pad(v2, 2);
                    nd.print(" hours");
                };
            }
        }
        FRM_ATALK_LINK if v == 0 => nd.print("Unnumbered"),
        FRM_ATALK_NETWORK if v == 0 => nd.print("NAS assigned"),
        _ => {
            nd.print_dec(v);
        }
    }
    Ok(())
}

/// An IPv4 address (print-radius.c `print_attr_address`).
fn address_print(nd: &mut Nd<'_>, d: &[u8], at: usize, len: usize, ty: u8) -> PResult {
    if !length_is(nd, len, 4) {
        return Ok(());
    }
    let a = get_be_u32(d, at)?;
    match ty {
        FRM_IPADDR | LOG_IPHOST if a == 0xffff_ffff => nd.print("User Selected"),
        FRM_IPADDR | LOG_IPHOST if a == 0xffff_fffe => nd.print("NAS Select"),
        _ => print_addr(nd, IpAddr::V4(Ipv4Addr::from(a))),
    }
    Ok(())
}

/// A reserved byte, a prefix length and up to 16 bytes of IPv6 prefix (print-radius.c
/// `print_attr_netmask6`).
fn netmask6_print(nd: &mut Nd<'_>, d: &[u8], at: usize, len: usize) -> PResult {
    if !(2..=18).contains(&len) {
        nd.print("ERROR: length ");
        nd.print_dec(len);
        nd.print(" not in range (2..18)");
        return Ok(());
    }
    if !ttest(d, at, len) {
        return trunc(nd);
    }
    let plen = get_u8(d, at + 1)?;
    if plen > 128 {
        nd.print("ERROR: netmask ");
        nd.print_dec(plen);
        nd.print(" not in range (0..128)");
        return Ok(());
    }
    let mut addr = [0u8; 16];
    for (i, b) in addr.iter_mut().enumerate().take(len - 2) {
        *b = get_u8(d, at + 2 + i)?;
    }
    print_addr(nd, IpAddr::V6(Ipv6Addr::from(addr)));
    nd.print("/");
    nd.print_dec(plen);
    if usize::from(plen) > 8 * (len - 2) {
        nd.print(" (inconsistent prefix length)");
    }
    Ok(())
}

/// A prefix length and an IPv6 prefix (print-radius.c `print_attr_mip6_home_link_prefix`).
fn home_link_prefix_print(nd: &mut Nd<'_>, d: &[u8], at: usize, len: usize) -> PResult {
    if !length_is(nd, len, 17) {
        return Ok(());
    }
    if !ttest(d, at, len) {
        return trunc(nd);
    }
    let plen = get_u8(d, at)?;
    if plen > 128 {
        nd.print("ERROR: netmask ");
        nd.print_dec(plen);
        nd.print(" not in range (0..128)");
        return Ok(());
    }
    print_addr(nd, IpAddr::V6(Ipv6Addr::from(get_array::<16>(d, at + 1)?)));
    nd.print("/");
    nd.print_dec(plen);
    Ok(())
}

/// A namespace and a name (print-radius.c `print_attr_operator_name`).
fn operator_name_print(nd: &mut Nd<'_>, d: &[u8], at: usize, len: usize) -> PResult {
    if !ttest(d, at, len) {
        return trunc(nd);
    }
    if len < 2 {
        nd.print("ERROR: length ");
        nd.print_dec(len);
        nd.print(" < 2");
        return Ok(());
    }
    let ns = get_u8(d, at)?;
    {
        let v0 = tok2str(
            &tables::OPERATOR_NAMESPACES,
            "unknown namespace %u",
            u32::from(ns),
        );
        nd.print("[");
        nd.print_tok(v0);
        nd.print("] ");
    };
    printjn(nd, d, at + 1, len - 1)
}

/// Location-Information (RFC 5580 section 4.2; print-radius.c
/// `print_attr_location_information`).
fn location_info_print(nd: &mut Nd<'_>, d: &[u8], at: usize, len: usize) -> PResult {
    if !ttest(d, at, len) {
        return trunc(nd);
    }
    if len < 21 {
        nd.print("ERROR: length ");
        nd.print_dec(len);
        nd.print(" < 21");
        return Ok(());
    }
    let index = get_be_u16(d, at)?;
    let code = get_u8(d, at + 2)?;
    let entity = get_u8(d, at + 3)?;
    {
        let v0 = tok2str(&tables::LOCATION_CODES, "Unknown (%u)", u32::from(code));
        let v1 = tok2str(
            &tables::LOCATION_ENTITIES,
            "Unknown (%u)",
            u32::from(entity),
        );
        nd.print("index ");
        nd.print_dec(index);
        nd.print(", code ");
        nd.print_tok(v0);
        nd.print(", entity ");
        nd.print_tok(v1);
        nd.print(", ");
    };
    nd.print("sighting time ");
    super::ntp::time_at(nd, d, at + 4)?;
    nd.print(", time to live ");
    super::ntp::time_at(nd, d, at + 12)?;
    nd.print(", method \"");
    printjn(nd, d, at + 20, len - 20)?;
    nd.print("\"");
    Ok(())
}

/// Location-Data: an index and the location in hex and ASCII (print-radius.c
/// `print_attr_location_data`).
fn location_data_print(nd: &mut Nd<'_>, d: &[u8], at: usize, len: usize) -> PResult {
    if !ttest(d, at, len) {
        return trunc(nd);
    }
    if len < 3 {
        nd.print("ERROR: length ");
        nd.print_dec(len);
        nd.print(" < 3");
        return Ok(());
    }
    {
        let v0 = get_be_u16(d, at)?;
        nd.print("index ");
        nd.print_dec(v0);
        nd.print(", location");
    };
    let bytes = super::get_bytes(d, at + 2, len - 2)?;
    hex_and_ascii_indented(nd, "\n\t    ", bytes);
    Ok(())
}

/// Basic-Location-Policy-Rules (RFC 5580 section 4.4; print-radius.c
/// `print_basic_location_policy_rules`).
fn location_rules_print(nd: &mut Nd<'_>, d: &[u8], at: usize, len: usize) -> PResult {
    if !ttest(d, at, len) {
        return trunc(nd);
    }
    if len < 10 {
        nd.print("ERROR: length ");
        nd.print_dec(len);
        nd.print(" < 10");
        return Ok(());
    }
    let flags = get_be_u16(d, at)?;
    {
        let v0 = bittok2str(&tables::BLPR_FLAGS, "none", u32::from(flags));
        nd.print("flags [");
        nd.print_display(v0);
        nd.print("], retention expires ");
    };
    super::ntp::time_at(nd, d, at + 2)?;
    if len > 10 {
        nd.print(", note well \"");
        printjn(nd, d, at + 10, len - 10)?;
        nd.print("\"");
    }
    Ok(())
}

/// Seconds since 1970 as `ctime(3)` writes them in the local time zone, without its newline
/// (print-radius.c `print_attr_time`).
fn time_print(nd: &mut Nd<'_>, d: &[u8], at: usize, len: usize) -> PResult {
    if !length_is(nd, len, 4) {
        return Ok(());
    }
    let secs = get_be_u32(d, at)?;
    const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let Ok(ts) = jiff::Timestamp::from_second(i64::from(secs)) else {
        return Ok(());
    };
    let dt = match &nd.opts.tz {
        Some(tz) => tz.to_datetime(ts),
        None => jiff::tz::TimeZone::UTC.to_datetime(ts),
    };
    let day = DAYS
        .get(usize::from(dt.weekday().to_monday_zero_offset() as u8))
        .copied()
        .unwrap_or("");
    let month = MONTHS
        .get(usize::from(dt.month() as u8).wrapping_sub(1))
        .copied()
        .unwrap_or("");
    nd_print!(
        nd,
        "{day} {month}{:3} {:02}:{:02}:{:02} {}",
        dt.day(),
        dt.hour(),
        dt.minute(),
        dt.second(),
        dt.year()
    );
    Ok(())
}

/// MIP6-Feature-Vector: the names of the known bits set (print-radius.c
/// `print_attr_vector64`).
fn vector64_print(nd: &mut Nd<'_>, d: &[u8], at: usize, len: usize) -> PResult {
    if !length_is(nd, len, 8) {
        return Ok(());
    }
    // tcpdump prints the bracket before reading the value.
    nd.print("[");
    let v = get_be_u64(d, at)?;
    let mut sep = "";
    for (bit, name) in tables::MIP6_FEATURES {
        if v & bit != 0 {
            nd.print(sep);
            nd.print(name);
            sep = ", ";
        }
    }
    nd.print("]");
    Ok(())
}

/// `len` bytes as upper-case hex (print-radius.c `PRINT_HEX`).
fn hex_upper(nd: &mut Nd<'_>, d: &[u8], at: usize, len: usize) -> PResult {
    for i in 0..len {
        nd_print!(nd, "{:02X}", get_u8(d, at + i)?);
    }
    Ok(())
}

/// The ARAP attributes and Error-Cause (print-radius.c `print_attr_strange`).
fn strange_print(nd: &mut Nd<'_>, d: &[u8], at: usize, len: usize, ty: u8) -> PResult {
    match ty {
        ARAP_PASS => {
            if !length_is(nd, len, 16) {
                return Ok(());
            }
            nd.print("User_challenge (");
            hex_upper(nd, d, at, 8)?;
            nd.print(") User_resp(");
            hex_upper(nd, d, at + 8, 8)?;
            nd.print(")");
        }
        ARAP_FEATURES => {
            if !length_is(nd, len, 14) {
                return Ok(());
            }
            if get_u8(d, at)? != 0 {
                nd.print("User can change password");
            } else {
                nd.print("User cannot change password");
            }
            {
                let v0 = get_u8(d, at + 1)?;
                nd.print(", Min password length: ");
                nd.print_dec(v0);
            };
            nd.print(", created at: ");
            hex_upper(nd, d, at + 2, 4)?;
            nd.print(", expires in: ");
            hex_upper(nd, d, at + 6, 4)?;
            nd.print(", Current Time: ");
            hex_upper(nd, d, at + 10, 4)?;
        }
        ARAP_CHALLENGE_RESP => {
            if len < 8 {
                nd.print("ERROR: length ");
                nd.print_dec(len);
                nd.print(" != 8");
                return Ok(());
            }
            hex_upper(nd, d, at, 8)?;
        }
        ERROR_CAUSE => {
            if len != 4 {
                nd.print("Error: length ");
                nd.print_dec(len);
                nd.print(" != 4");
                return Ok(());
            }
            let v = get_be_u32(d, at)?;
            {
                let v0 = tok2str(&tables::ERROR_CAUSES, "Error-Cause %u not known", v);
                nd.print("Error cause ");
                nd.print_dec(v);
                nd.print(": ");
                nd.print_tok(v0);
            };
        }
        _ => {}
    }
    Ok(())
}

/// print-ascii.c `hex_and_ascii_print` with an indent of its own: `IDENT0xOOOO: ` then the
/// hex groups padded to 40 columns, two spaces and the bytes as ASCII.
fn hex_and_ascii_indented(nd: &mut Nd<'_>, ident: &str, bytes: &[u8]) {
    for (line, chunk) in bytes.chunks(16).enumerate() {
        {
            let v0 = line * 16;
            nd.print(ident);
            nd.print("0x");
            nd.print_hex(v0, 4);
            nd.print(": ");
        };
        let mut width = 0;
        for pair in chunk.chunks(2) {
            nd.print(" ");
            width += 1;
            for b in pair {
                nd.print_hex(b, 2);
                width += 2;
            }
        }
        nd_print!(nd, "{:1$}  ", "", 40usize.saturating_sub(width));
        for &b in chunk {
            nd.out.push(if (0x21..0x7f).contains(&b) {
                char::from(b)
            } else {
                '.'
            });
        }
    }
}

/// ` [|radius]`, after which the function tcpdump jumps out of returns normally.
fn trunc(nd: &mut Nd<'_>) -> PResult {
    print_trunc(nd);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capture::print::testing::{opts, with_nd};
    use proptest::prelude::*;

    fn run(data: &[u8], v: u8) -> (String, PResult) {
        with_nd(&opts(v), |nd| print(nd, data, data.len() as u32))
    }

    /// An Access-Request with a User-Name, a tagged Tunnel-Type and a Cisco sub-attribute.
    fn request() -> Vec<u8> {
        let mut m = vec![1, 7, 0, 0]; // code, id, length (filled in below)
        m.extend_from_slice(&[0xaa; 16]); // authenticator
        m.extend_from_slice(&[1, 5, b'b', b'o', b'b']); // User-Name "bob"
        m.extend_from_slice(&[64, 6, 1, 0, 0, 3]); // Tunnel-Type, tag 1, L2TP
        m.extend_from_slice(&[26, 9, 0, 0, 0, 9, 1, 3, b'x']); // Vendor-Specific, Cisco
        let len = m.len() as u16;
        if let Some(field) = m.get_mut(2..4) {
            field.copy_from_slice(&len.to_be_bytes());
        }
        m
    }

    #[test]
    fn without_v_one_line() {
        let (out, r) = run(&request(), 0);
        assert_eq!(r, Ok(()));
        assert_eq!(out, "RADIUS, Access-Request (1), id: 0x07 length: 40");
    }

    #[test]
    fn attributes_at_v() {
        let (out, _) = run(&request(), 1);
        assert_eq!(
            out,
            "RADIUS, length: 40\n\tAccess-Request (1), id: 0x07, Authenticator: \
             aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\
             \n\t  User-Name Attribute (1), length: 5, Value: bob\
             \n\t  Tunnel-Type Attribute (64), length: 6, Value: Tag[1] L2TP\
             \n\t  Vendor-Specific Attribute (26), length: 9, Value: Vendor: Cisco (9)\
             \n\t    Vendor Attribute: 1, Length: 1, Value: x"
        );
    }

    #[test]
    fn every_prefix_prints_without_panic() {
        let m = request();
        for cut in 0..m.len() {
            for v in 0..3 {
                let data = m.get(..cut).unwrap_or(&[]);
                let _ = with_nd(&opts(v), |nd| print(nd, data, m.len() as u32));
            }
        }
    }

    proptest! {
        #[test]
        fn arbitrary_messages_never_panic(
            tail in proptest::collection::vec(any::<u8>(), 0..80),
            v in 0u8..3,
        ) {
            let mut m = request();
            m.truncate(20);
            m.extend_from_slice(&tail);
            let _ = run(&m, v);
        }
    }
}
