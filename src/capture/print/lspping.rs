//! LSP ping (RFC 8029, formerly RFC 4379), mirroring print-lspping.c at tcpdump-4.99.3: the
//! common header, then at `-v` the TLVs, decoding the Target FEC Stack sub-TLVs, the
//! Downstream Mapping's address part, the BFD discriminator and the vendor code, and hex
//! for the rest (and for everything again at `-vv`).
//!
//! Offsets are absolute in the UDP payload `data`.
//!
//! Must not do I/O: it only reads the captured bytes.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::names::print_addr;
use super::radius::tables::SMI_VALUES;
use super::tok::{tok2str, Tok, MPLS_PW_TYPES};
use super::util::{get_be_u16, print_unknown_data};
use super::{get_array, get_be_u32, get_u8, tcheck, Nd, PResult};
use crate::nd_print;

/// The common header (`struct lspping_common_header`).
const COMMON_LEN: u32 = 32;
/// A TLV's or sub-TLV's type and length.
const TLV_HDR: u32 = 4;

static MSG_TYPES: [Tok; 2] = [(1, "MPLS Echo Request"), (2, "MPLS Echo Reply")];

static REPLY_MODES: [Tok; 4] = [
    (1, "Do not reply"),
    (2, "Reply via an IPv4/IPv6 UDP packet"),
    (3, "Reply via an IPv4/IPv6 UDP packet with Router Alert"),
    (4, "Reply via application level control channel"),
];

static RETURN_CODES: [Tok; 14] = [
    (
        0,
        "No return code or return code contained in the Error Code TLV",
    ),
    (1, "Malformed echo request received"),
    (2, "One or more of the TLVs was not understood"),
    (3, "Replying router is an egress for the FEC at stack depth"),
    (
        4,
        "Replying router has no mapping for the FEC at stack depth",
    ),
    (5, "Reserved"),
    (6, "Reserved"),
    (7, "Reserved"),
    (8, "Label switched at stack-depth"),
    (9, "Label switched but no MPLS forwarding at stack-depth"),
    (
        10,
        "Mapping for this FEC is not the given label at stack depth",
    ),
    (11, "No label entry at stack-depth"),
    (
        12,
        "Protocol not associated with interface at FEC stack depth",
    ),
    (
        13,
        "Premature termination of ping due to label stack shrinking to a single label",
    ),
];

const TLV_TARGET_FEC_STACK: u16 = 1;
const TLV_DOWNSTREAM_MAPPING: u16 = 2;
const TLV_VENDOR_ENTERPRISE: u16 = 5;
const TLV_BFD_DISCRIMINATOR: u16 = 15;

static TLV_TYPES: [Tok; 9] = [
    (1, "Target FEC Stack"),
    (2, "Downstream Mapping"),
    (3, "Pad"),
    (9, "Error Code"),
    (5, "Vendor Enterprise Code"),
    (7, "Interface Label Stack"),
    (10, "Reply TOS Byte"),
    (15, "BFD Discriminator"),
    (0xfc00, "Vendor Private Code"),
];

static FEC_SUBTLVS: [Tok; 12] = [
    (1, "LDP IPv4 prefix"),
    (2, "LDP IPv6 prefix"),
    (3, "RSVP IPv4 Session Query"),
    (4, "RSVP IPv6 Session Query"),
    (5, "Reserved"),
    (6, "VPN IPv4 prefix"),
    (7, "VPN IPv6 prefix"),
    (8, "L2 VPN endpoint"),
    (9, "FEC 128 pseudowire (old)"),
    (10, "FEC 128 pseudowire"),
    (12, "BGP labeled IPv4 prefix"),
    (13, "BGP labeled IPv6 prefix"),
];

static DOWNSTREAM_ADDRS: [Tok; 4] = [
    (1, "IPv4"),
    (2, "Unnumbered IPv4"),
    (3, "IPv6"),
    (4, "IPv6"),
];

fn v4(data: &[u8], at: usize) -> PResult<IpAddr> {
    Ok(IpAddr::V4(Ipv4Addr::from(get_array::<4>(data, at)?)))
}

fn v6(data: &[u8], at: usize) -> PResult<IpAddr> {
    Ok(IpAddr::V6(Ipv6Addr::from(get_array::<16>(data, at)?)))
}

/// Print the LSP ping message at `data`; `len` is the UDP payload's length (print-lspping.c
/// `lspping_print`).
pub fn print(nd: &mut Nd<'_>, data: &[u8], len: u32) -> PResult {
    nd.protocol = "lspping";
    if len < COMMON_LEN {
        return tooshort(nd);
    }
    tcheck(data, 0, COMMON_LEN as usize)?;
    let version = get_be_u16(data, 0)?;
    if version != 1 {
        nd_print!(nd, "LSP-PING version {version} packet not supported");
        return Ok(());
    }
    let msg_type = u32::from(get_u8(data, 4)?);
    if nd.opts.v < 1 {
        let seq = get_be_u32(data, 12)?;
        nd_print!(
            nd,
            "LSP-PINGv{version}, {}, seq {seq}, length: {len}",
            tok2str(&MSG_TYPES, "unknown (%u)", msg_type)
        );
        return Ok(());
    }
    let reply_mode = u32::from(get_u8(data, 5)?);
    nd_print!(
        nd,
        "\n\tLSP-PINGv{version}, msg-type: {} ({msg_type}), length: {len}\n\t  reply-mode: {} ({reply_mode})",
        tok2str(&MSG_TYPES, "unknown", msg_type),
        tok2str(&REPLY_MODES, "unknown", reply_mode)
    );
    let code = u32::from(get_u8(data, 6)?);
    let subcode = get_u8(data, 7)?;
    let name = tok2str(&RETURN_CODES, "unknown", code);
    if [3, 4, 8, 10, 11, 12].contains(&code) {
        nd_print!(
            nd,
            "\n\t  Return Code: {name} {subcode} ({code})\n\t  Return Subcode: ({subcode})"
        );
    } else {
        nd_print!(
            nd,
            "\n\t  Return Code: {name} ({code})\n\t  Return Subcode: ({subcode})"
        );
    }
    let handle = get_be_u32(data, 8)?;
    let seq = get_be_u32(data, 12)?;
    nd_print!(
        nd,
        "\n\t  Sender Handle: 0x{handle:08x}, Sequence: {seq}\n\t  Sender Timestamp: "
    );
    super::ntp::time_at(nd, data, 16)?;
    nd.print(" ");
    let int = get_be_u32(data, 24)?;
    let frac = get_be_u32(data, 28)?;
    nd.print("Receiver Timestamp: ");
    if int == 0 && frac == 0 {
        nd.print("no timestamp");
    } else {
        super::ntp::time_at(nd, data, 24)?;
    }
    let mut at = COMMON_LEN as usize;
    let mut tlen = len - COMMON_LEN;
    while tlen != 0 {
        if tlen < TLV_HDR {
            return tooshort(nd);
        }
        let tlv_type = get_be_u16(data, at)?;
        let mut tlv_len = u32::from(get_be_u16(data, at + 2)?);
        nd_print!(
            nd,
            "\n\t  {} TLV ({tlv_type}), length: {tlv_len}",
            tok2str(&TLV_TYPES, "Unknown", u32::from(tlv_type))
        );
        if tlv_len == 0 {
            at += TLV_HDR as usize;
            tlen -= TLV_HDR;
            continue;
        }
        let tlv_at = at + TLV_HDR as usize;
        if tlen < tlv_len + TLV_HDR {
            return tooshort(nd);
        }
        tcheck(data, tlv_at, tlv_len as usize)?;
        let hexdump = match tlv_type {
            TLV_TARGET_FEC_STACK => {
                match fec_stack(nd, data, tlv_at, tlv_len)? {
                    Some(hexdump) => hexdump,
                    // "TLV is too short" after a sub-TLV's padding: tcpdump returns.
                    None => return Ok(()),
                }
            }
            TLV_DOWNSTREAM_MAPPING => downstream_mapping(nd, data, tlv_at, tlv_len)?,
            TLV_BFD_DISCRIMINATOR => {
                if tlv_len < 4 {
                    nd.print("\n\t      TLV is too short");
                    true
                } else {
                    let disc = get_be_u32(data, tlv_at)?;
                    nd_print!(nd, "\n\t    BFD Discriminator 0x{disc:08x}");
                    false
                }
            }
            TLV_VENDOR_ENTERPRISE => {
                if tlv_len < 4 {
                    nd.print("\n\t      TLV is too short");
                    true
                } else {
                    let vendor = get_be_u32(data, tlv_at)?;
                    nd_print!(
                        nd,
                        "\n\t    Vendor: {} (0x{vendor:04x})",
                        tok2str(&SMI_VALUES, "Unknown", vendor)
                    );
                    false
                }
            }
            _ => {
                if nd.opts.v <= 1 {
                    print_unknown_data(nd, data, tlv_at, "\n\t    ", tlv_len as usize);
                }
                false
            }
        };
        if nd.opts.v > 1 || hexdump {
            print_unknown_data(nd, data, tlv_at, "\n\t    ", tlv_len as usize);
        }
        if tlv_len % 4 != 0 {
            tlv_len += 4 - tlv_len % 4;
            if tlen < tlv_len + TLV_HDR {
                return tooshort(nd);
            }
        }
        at += (tlv_len + TLV_HDR) as usize;
        tlen -= tlv_len + TLV_HDR;
    }
    Ok(())
}

/// print-lspping.c's `tooshort:` label.
fn tooshort(nd: &mut Nd<'_>) -> PResult {
    nd.print("\n\t\t packet is too short");
    Ok(())
}

/// The Target FEC Stack's sub-TLVs. `Some(hexdump)`: whether the TLV is to be dumped;
/// `None`: tcpdump gave up on the whole message.
fn fec_stack(nd: &mut Nd<'_>, data: &[u8], mut at: usize, mut tlen: u32) -> PResult<Option<bool>> {
    while tlen != 0 {
        if tlen < TLV_HDR {
            nd.print("\n\t      TLV is too short");
            return Ok(Some(true));
        }
        let sub_type = get_be_u16(data, at)?;
        let mut sub_len = u32::from(get_be_u16(data, at + 2)?);
        let sub_at = at + TLV_HDR as usize;
        if tlen < sub_len + TLV_HDR {
            nd.print("\n\t      TLV is too short");
            return Ok(Some(true));
        }
        tcheck(data, sub_at, sub_len as usize)?;
        nd_print!(
            nd,
            "\n\t    {} subTLV ({sub_type}), length: {sub_len}",
            tok2str(&FEC_SUBTLVS, "Unknown", u32::from(sub_type))
        );
        let hexdump = fec_subtlv(nd, data, sub_at, sub_type, sub_len)?;
        if nd.opts.v > 1 || hexdump {
            print_unknown_data(nd, data, sub_at, "\n\t      ", sub_len as usize);
        }
        if sub_len % 4 != 0 {
            sub_len += 4 - sub_len % 4;
            if tlen < sub_len + TLV_HDR {
                nd.print("\n\t\t TLV is too short");
                return Ok(None);
            }
        }
        at += sub_len as usize;
        tlen -= sub_len + TLV_HDR;
    }
    Ok(Some(false))
}

/// One Target FEC Stack sub-TLV's value; whether it is to be dumped as hex.
fn fec_subtlv(nd: &mut Nd<'_>, data: &[u8], at: usize, typ: u16, len: u32) -> PResult<bool> {
    let want: u32 = match typ {
        1 | 12 => 5,
        2 | 13 => 17,
        3 => 20,
        4 => 56,
        6 => 13,
        7 => 25,
        8 | 10 => 14,
        9 => 10,
        _ => return Ok(true),
    };
    if len != want {
        nd_print!(nd, "\n\t      invalid subTLV length, should be {want}");
        return Ok(true);
    }
    match typ {
        1 | 12 | 2 | 13 => {
            let (prefix, plen_at) = if want == 5 {
                (v4(data, at)?, at + 4)
            } else {
                (v6(data, at)?, at + 16)
            };
            let plen = get_u8(data, plen_at)?;
            nd.print("\n\t      ");
            print_addr(nd, prefix);
            nd_print!(nd, "/{plen}");
        }
        3 | 4 => {
            let (a, s) = if typ == 3 {
                (4, v4 as fn(&[u8], usize) -> PResult<IpAddr>)
            } else {
                (16, v6 as fn(&[u8], usize) -> PResult<IpAddr>)
            };
            let endpoint = s(data, at)?;
            let tunnel_id = get_be_u16(data, at + a + 2)?;
            let ext_id = s(data, at + a + 4)?;
            let sender = s(data, at + 2 * a + 4)?;
            let lsp_id = get_be_u16(data, at + 3 * a + 6)?;
            nd.print("\n\t      tunnel end-point ");
            print_addr(nd, endpoint);
            nd.print(", tunnel sender ");
            print_addr(nd, sender);
            nd_print!(
                nd,
                ", lsp-id 0x{lsp_id:04x}\n\t      tunnel-id 0x{tunnel_id:04x}, extended tunnel-id "
            );
            print_addr(nd, ext_id);
        }
        6 | 7 => {
            nd.print("\n\t      RD: ");
            vpn_rd_print(nd, data, at)?;
            let (prefix, plen_at) = if typ == 6 {
                (v4(data, at + 8)?, at + 12)
            } else {
                (v6(data, at + 8)?, at + 24)
            };
            let plen = get_u8(data, plen_at)?;
            nd.print(", ");
            print_addr(nd, prefix);
            nd_print!(nd, "/{plen}");
        }
        8 => {
            nd.print("\n\t      RD: ");
            vpn_rd_print(nd, data, at)?;
            let sender = get_be_u16(data, at + 8)?;
            let receiver = get_be_u16(data, at + 10)?;
            let encap = get_be_u16(data, at + 12)?;
            nd_print!(
                nd,
                ", Sender VE ID: {sender}, Receiver VE ID: {receiver}\n\t      Encapsulation Type: {} ({encap})",
                tok2str(&MPLS_PW_TYPES, "unknown", u32::from(encap))
            );
        }
        9 => {
            let remote = v4(data, at)?;
            let pw_id = get_be_u32(data, at + 4)?;
            let pw_type = get_be_u16(data, at + 8)?;
            nd.print("\n\t      Remote PE: ");
            print_addr(nd, remote);
            nd_print!(
                nd,
                "\n\t      PW ID: 0x{pw_id:08x}, PW Type: {} ({pw_type})",
                tok2str(&MPLS_PW_TYPES, "unknown", u32::from(pw_type))
            );
        }
        _ => {
            let sender = v4(data, at)?;
            let remote = v4(data, at + 4)?;
            let pw_id = get_be_u32(data, at + 8)?;
            let pw_type = get_be_u16(data, at + 12)?;
            nd.print("\n\t      Sender PE: ");
            print_addr(nd, sender);
            nd.print(", Remote PE: ");
            print_addr(nd, remote);
            nd_print!(
                nd,
                "\n\t      PW ID: 0x{pw_id:08x}, PW Type: {} ({pw_type})",
                tok2str(&MPLS_PW_TYPES, "unknown", u32::from(pw_type))
            );
        }
    }
    Ok(false)
}

/// A route distinguisher (print-bgp.c `bgp_vpn_rd_print`, AS numbers in plain form).
fn vpn_rd_print(nd: &mut Nd<'_>, data: &[u8], at: usize) -> PResult {
    let b = |i: usize| get_u8(data, at + i);
    match get_be_u16(data, at)? {
        0 => {
            let (asn, num) = (get_be_u16(data, at + 2)?, get_be_u32(data, at + 4)?);
            let (a, b1, c, d) = (b(4)?, b(5)?, b(6)?, b(7)?);
            nd_print!(nd, "{asn}:{num} (= {a}.{b1}.{c}.{d})");
        }
        1 => {
            let (a, b1, c, d) = (b(2)?, b(3)?, b(4)?, b(5)?);
            let num = get_be_u16(data, at + 6)?;
            nd_print!(nd, "{a}.{b1}.{c}.{d}:{num}");
        }
        2 => {
            let asn = get_be_u32(data, at + 2)?;
            let num = get_be_u16(data, at + 6)?;
            let (a, b1, c, d) = (b(2)?, b(3)?, b(4)?, b(5)?);
            nd_print!(nd, "{asn}:{num} ({a}.{b1}.{c}.{d}:{num})");
        }
        _ => nd.print("unknown RD format"),
    }
    Ok(())
}

/// The Downstream Mapping TLV's fixed part; whether the TLV is to be dumped (always, as
/// tcpdump does not decode the labels).
fn downstream_mapping(nd: &mut Nd<'_>, data: &[u8], mut at: usize, mut tlen: u32) -> PResult<bool> {
    if tlen < 4 {
        nd.print("\n\t      TLV is too short");
        return Ok(true);
    }
    tcheck(data, at, 4)?;
    let addr_type = get_u8(data, at + 2)?;
    let mtu = get_be_u16(data, at)?;
    nd_print!(
        nd,
        "\n\t    MTU: {mtu}, Address-Type: {} ({addr_type})",
        tok2str(&DOWNSTREAM_ADDRS, "unknown", u32::from(addr_type))
    );
    let size: u32 = match addr_type {
        1 | 2 => 12,
        3 => 36,
        4 => 24,
        _ => 0,
    };
    if size != 0 {
        if tlen < size {
            nd.print("\n\t      TLV is too short");
            return Ok(true);
        }
        tcheck(data, at, size as usize)?;
        let ip = if addr_type <= 2 {
            v4(data, at + 4)?
        } else {
            v6(data, at + 4)?
        };
        let if_at = if addr_type <= 2 { at + 8 } else { at + 20 };
        nd.print("\n\t    Downstream IP: ");
        print_addr(nd, ip);
        match addr_type {
            1 => {
                let ifip = v4(data, if_at)?;
                nd.print("\n\t    Downstream Interface IP: ");
                print_addr(nd, ifip);
            }
            3 => {
                let ifip = v6(data, if_at)?;
                nd.print("\n\t    Downstream Interface IP: ");
                print_addr(nd, ifip);
            }
            _ => {
                let index = get_be_u32(data, if_at)?;
                nd_print!(nd, "\n\t    Downstream Interface Index: 0x{index:08x}");
            }
        }
        at += size as usize;
        tlen -= size;
    }
    if tlen < 4 {
        nd.print("\n\t      TLV is too short");
        return Ok(true);
    }
    tcheck(data, at, 4)?;
    Ok(true)
}
