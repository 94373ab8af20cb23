//! ETSI GeoNetworking (print-geonet.c at tcpdump-4.99.3) and ISO CALM FAST
//! (print-calm-fast.c): the GeoNetworking common header, the BTP-A/B header and the first
//! bytes of its ITS PDU header; with `-v`, the rest as hex and ASCII.
//!
//! Must not do I/O: it only reads the captured bytes.

use super::names::{etheraddr_string, linkaddr_hex};
use super::util::{default_print_always, print_invalid, tcheck};
use super::{get_be_u16, get_be_u32, get_bytes, get_u8, Nd, PResult, Trunc};
use crate::nd_print;

/// Ethertype of GeoNetworking (`ETHERTYPE_GEONET`).
pub const ETHERTYPE_GEONET: u16 = 0x8947;
/// Ethertype GeoNetworking used before its assignment (`ETHERTYPE_GEONET_OLD`).
pub const ETHERTYPE_GEONET_OLD: u16 = 0x0707;
/// Ethertype of CALM FAST (`ETHERTYPE_CALM_FAST`).
pub const ETHERTYPE_CALM_FAST: u16 = 0x1111;

/// A GeoNetworking address (print-geonet.c `GEONET_ADDR_LEN`).
const GEONET_ADDR_LEN: usize = 8;
/// The common header and the long position vector it carries.
const COMMON_HDR_LEN: usize = 36;

/// ITS PDU message types (print-geonet.c `msg_type_values`).
fn msg_type_name(t: u8) -> Option<&'static str> {
    Some(match t {
        0 => "CAM",
        1 => "DENM",
        101 => "TPEGM",
        102 => "TSPDM",
        103 => "VPM",
        104 => "SRM",
        105 => "SLAM",
        106 => "ecoCAM",
        107 => "ITM",
        150 => "SA",
        _ => return None,
    })
}

fn next_hdr_name(nh: u8) -> &'static str {
    match nh {
        0 => "Any",
        1 => "BTP-A",
        2 => "BTP-B",
        3 => "IPv6",
        _ => "Unknown",
    }
}

fn hdr_type_name(ht: u8, sub: u8) -> &'static str {
    match (ht, sub) {
        (0, _) => "Any",
        (1, _) => "Beacon",
        (2, _) => "GeoUnicast",
        (3, 0) => "GeoAnycastCircle",
        (3, 1) => "GeoAnycastRect",
        (3, 2) => "GeoAnycastElipse",
        (4, 0) => "GeoBroadcastCircle",
        (4, 1) => "GeoBroadcastRect",
        (4, 2) => "GeoBroadcastElipse",
        (5, 0) => "TopoScopeBcast-SH",
        (5, 1) => "TopoScopeBcast-MH",
        (6, 0) => "LocService-Request",
        (6, 1) => "LocService-Reply",
        _ => "Unknown",
    }
}

/// The length of the extended header tcpdump knows how to skip, if any.
fn ext_hdr_size(ht: u8, sub: u8) -> Option<usize> {
    match (ht, sub) {
        (0 | 1, _) | (5, 0) => Some(0),
        (5, 1) => Some(68 - COMMON_HDR_LEN),
        _ => None,
    }
}

/// Print a GeoNetworking packet; `src` is the frame's source MAC when it came over Ethernet
/// (print-geonet.c `geonet_print`).
pub fn print(nd: &mut Nd<'_>, data: &[u8], length: usize, src: Option<[u8; 6]>) -> PResult {
    nd.protocol = "geonet";
    nd.print("GeoNet ");
    if let Some(mac) = src {
        let s = etheraddr_string(nd, mac);
        nd_print!(nd, "src:{s}");
    }
    nd.print("; ");
    let mut length = length;
    if length < COMMON_HDR_LEN {
        nd_print!(nd, " (common header length {length} < 36)");
        print_invalid(nd);
        return Ok(());
    }
    let b0 = get_u8(data, 0)?;
    let (version, next_hdr) = (b0 >> 4, b0 & 0x0f);
    let b1 = get_u8(data, 1)?;
    let (hdr_type, hdr_subtype) = (b1 >> 4, b1 & 0x0f);
    let payload_length = get_be_u16(data, 4)?;
    let hop_limit = get_u8(data, 7)?;
    nd_print!(nd, "v:{version} ");
    nd_print!(nd, "NH:{next_hdr}-{} ", next_hdr_name(next_hdr));
    nd_print!(
        nd,
        "HT:{hdr_type}-{hdr_subtype}-{} ",
        hdr_type_name(hdr_type, hdr_subtype)
    );
    nd_print!(nd, "HopLim:{hop_limit} ");
    nd_print!(nd, "Payload:{payload_length} ");
    // The long position vector (print-geonet.c `print_long_pos_vector`).
    let gn_addr = linkaddr_hex(get_bytes(data, 8, GEONET_ADDR_LEN)?);
    nd_print!(nd, "GN_ADDR:{gn_addr} ");
    nd_print!(nd, "lat:{} ", get_be_u32(data, 8 + 12)?);
    nd_print!(nd, "lon:{}", get_be_u32(data, 8 + 16)?);

    tcheck(data, 0, COMMON_HDR_LEN)?;
    length -= COMMON_HDR_LEN;
    let mut p = COMMON_HDR_LEN;

    if let Some(hdr_size) = ext_hdr_size(hdr_type, hdr_subtype) {
        if length < hdr_size {
            nd_print!(nd, " (header size {hdr_size} > {length})");
            print_invalid(nd);
            return Ok(());
        }
        tcheck(data, p, hdr_size)?;
        length -= hdr_size;
        p += hdr_size;
        if matches!(next_hdr, 1 | 2) {
            if length < 4 {
                nd_print!(nd, " (BTP length {length} < 4)");
                print_invalid(nd);
                return Ok(());
            }
            // print-geonet.c `print_btp`.
            nd_print!(nd, "; BTP Dst:{}", get_be_u16(data, p)?);
            nd_print!(nd, " Src:{}", get_be_u16(data, p + 2)?);
            length -= 4;
            p += 4;
            if length >= 2 {
                // print-geonet.c `print_btp_body`: an ItsPduHeader is assumed.
                nd_print!(nd, "; ItsPduHeader v:{}", get_u8(data, p)?);
                let t = get_u8(data, p + 1)?;
                match msg_type_name(t) {
                    Some(name) => nd_print!(nd, " t:{t}-{name}"),
                    None => nd_print!(nd, " t:{t}-unknown ({t})"),
                }
            }
        }
    }
    if nd.opts.v > 0 {
        payload_print(nd, data, p, length)?;
    }
    Ok(())
}

/// `ND_DEFAULTPRINT(bp, length)`: hex and ASCII of `length` bytes from `at` whatever `-x`
/// or `-X` say; `Err(Trunc)` when the capture ends first, as `hex_and_ascii_print` longjmps.
fn payload_print(nd: &mut Nd<'_>, data: &[u8], at: usize, length: usize) -> PResult {
    let rest = data.get(at..).unwrap_or(&[]);
    default_print_always(nd, rest.get(..length).unwrap_or(rest));
    if length > rest.len() {
        return Err(Trunc);
    }
    Ok(())
}

/// Print a CALM FAST packet (print-calm-fast.c `calm_fast_print`).
pub fn calm_fast_print(
    nd: &mut Nd<'_>,
    data: &[u8],
    length: usize,
    src: Option<[u8; 6]>,
) -> PResult {
    nd.protocol = "calm_fast";
    nd.print("CALM FAST");
    if let Some(mac) = src {
        let s = etheraddr_string(nd, mac);
        nd_print!(nd, " src:{s}");
    }
    nd.print("; ");
    if length < 2 {
        nd_print!(nd, " (length {length} < 2)");
        print_invalid(nd);
        return tcheck(data, 0, length);
    }
    nd_print!(nd, "SrcNwref:{}; ", get_u8(data, 0)?);
    nd_print!(nd, "DstNwref:{}; ", get_u8(data, 1)?);
    if nd.opts.v > 0 {
        payload_print(nd, data, 2, length - 2)?;
    }
    Ok(())
}
