//! IEEE 802.1AB Link Layer Discovery Protocol, ethertype 0x88cc (print-lldp.c at
//! tcpdump-4.99.3): the TLV walk, the basic TLVs, the management address; the
//! organisation-specific TLVs (802.1, 802.3, IANA, TIA LLDP-MED, DCBX) are in `lldp/org.rs`.
//!
//! print-lldp.c does not define `ND_LONGJMP_FROM_TCHECK`: its checks of a TLV against the
//! capture, and the length checks of the basic TLVs, print ` [|lldp]` and stop (`Ok`), while
//! its `GET_*` reads past the capture are `Err(Trunc)`.
//!
//! Must not do I/O: it only reads the captured bytes.

mod org;
mod tables;

use super::names::{etheraddr_at, ip6addr_at, ipaddr_at, oui_name};
use super::tok::{bittok2str, tok2str, AF_VALUES};
use super::util::get_be_u24;
use super::util::{print_trunc, print_unknown_data, printjnp};
use super::{get_be_u16, get_be_u32, get_u8, ttest, Nd, PResult};
use crate::nd_print;
use tables::*;

/// A TLV's type and length share two bytes: 7 bits of type, 9 of length.
const TLV_HEADER_LEN: usize = 2;
const INTF_NUM_LEN: usize = 5;

const OUI_IEEE_8021_PRIVATE: u32 = 0x0080c2;
const OUI_IEEE_8023_PRIVATE: u32 = 0x00120f;
const OUI_IANA: u32 = 0x00005e;
const OUI_TIA: u32 = 0x0012bb;
const OUI_DCBX: u32 = 0x001b21;

/// Print an LLDP PDU of on-wire length `len` (`lldp_print`).
pub fn print(nd: &mut Nd<'_>, p: &[u8], len: usize) -> PResult {
    nd.protocol = "lldp";
    nd_print!(nd, "LLDP, length {len}");
    let (mut at, mut tlen) = (0, len);
    while tlen >= TLV_HEADER_LEN {
        if !ttest(p, at, TLV_HEADER_LEN) {
            print_trunc(nd);
            return Ok(());
        }
        let tlv = get_be_u16(p, at)?;
        let (ty, tlv_len) = (u32::from(tlv >> 9), usize::from(tlv & 0x01ff));
        tlen -= TLV_HEADER_LEN;
        at += TLV_HEADER_LEN;
        if nd.opts.v > 0 {
            let name = tok2str(&TLV_VALUES, "Unknown", ty);
            nd_print!(nd, "\n\t{name} TLV ({ty}), length {tlv_len}");
        }
        // A type or length of 0 would loop for ever.
        if ty == 0 || tlv_len == 0 {
            break;
        }
        if !ttest(p, at, tlv_len) || tlen < tlv_len {
            print_trunc(nd);
            return Ok(());
        }
        let Some(hexdump) = tlv_print(nd, p, at, tlv_len, ty)? else {
            print_trunc(nd);
            return Ok(());
        };
        if nd.opts.v > 1 || (nd.opts.v > 0 && hexdump) {
            print_unknown_data(nd, p, at, "\n\t  ", tlv_len);
        }
        tlen -= tlv_len;
        at += tlv_len;
    }
    Ok(())
}

/// One TLV's value (the `switch` of `lldp_print`): whether to hex-dump it, `None` for
/// `goto trunc`.
fn tlv_print(nd: &mut Nd<'_>, p: &[u8], at: usize, len: usize, ty: u32) -> PResult<Option<bool>> {
    let v = nd.opts.v > 0;
    match ty {
        1 | 2 if v => return id_print(nd, p, at, len, ty),
        3 if v => {
            if len < 2 {
                return Ok(None);
            }
            nd_print!(nd, ": TTL {}s", get_be_u16(p, at)?);
        }
        4 if v => {
            nd.print(": ");
            printjnp(nd, p, at, len)?;
        }
        // The system name is printed without -v too, as the CDP printer does.
        5 => {
            nd.print(": ");
            printjnp(nd, p, at, len)?;
        }
        6 if v => {
            nd.print("\n\t  ");
            printjnp(nd, p, at, len)?;
        }
        7 if v => {
            if len < 4 {
                return Ok(None);
            }
            let cap = get_be_u16(p, at)?;
            let ena = get_be_u16(p, at + 2)?;
            let caps = bittok2str(&CAP_VALUES, "none", cap.into());
            nd_print!(nd, "\n\t  System  Capabilities [{caps}] (0x{cap:04x})");
            let caps = bittok2str(&CAP_VALUES, "none", ena.into());
            nd_print!(nd, "\n\t  Enabled Capabilities [{caps}] (0x{ena:04x})");
        }
        8 if v => {
            if !mgmt_addr_print(nd, p, at, len)? {
                return Ok(None);
            }
        }
        127 if v => {
            if len < 3 {
                return Ok(None);
            }
            let oui = get_be_u24(p, at)?;
            let name = oui_name(oui).unwrap_or("Unknown");
            nd_print!(nd, ": OUI {name} (0x{oui:06x})");
            return Ok(Some(match oui {
                OUI_IEEE_8021_PRIVATE => org::ieee8021_print(nd, p, at, len)?,
                OUI_IEEE_8023_PRIVATE => org::ieee8023_print(nd, p, at, len)?,
                OUI_IANA => org::iana_print(nd, p, at, len)?,
                OUI_TIA => org::tia_print(nd, p, at, len)?,
                OUI_DCBX => org::dcbx_print(nd, p, at, len)?,
                _ => true,
            }));
        }
        1..=8 | 127 => {}
        _ => return Ok(Some(true)),
    }
    Ok(Some(false))
}

/// The chassis ID (type 1) or port ID (type 2) TLV.
fn id_print(nd: &mut Nd<'_>, p: &[u8], at: usize, len: usize, ty: u32) -> PResult<Option<bool>> {
    if len < 2 {
        return Ok(None);
    }
    let subtype = get_u8(p, at)?;
    let chassis = ty == 1;
    let table: &'static [_] = if chassis {
        &CHASSIS_SUBTYPES
    } else {
        &PORT_SUBTYPES
    };
    let name = tok2str(table, "Unknown", subtype.into());
    nd_print!(nd, "\n\t  Subtype {name} ({subtype}): ");
    // The chassis and port subtypes number the same kinds differently.
    let (mac, net) = if chassis { (4, 5) } else { (3, 4) };
    match subtype {
        s if s == mac => {
            if len < 7 {
                return Ok(None);
            }
            let mac = etheraddr_at(nd, p, at + 1)?;
            nd.print(&mac);
        }
        s if s == net => {
            if !network_addr_print(nd, p, at + 1, len - 1)? {
                return Ok(None);
            }
        }
        1..=7 => printjnp(nd, p, at + 1, len - 1)?,
        _ => return Ok(Some(true)),
    }
    Ok(Some(false))
}

/// `AFI NAME (N): ADDRESS` for an address of `len` bytes with its family byte first;
/// `Ok(false)` when too short for its family (`lldp_network_addr_print` returning NULL).
fn network_addr_print(nd: &mut Nd<'_>, p: &[u8], at: usize, len: usize) -> PResult<bool> {
    if len < 1 {
        return Ok(false);
    }
    let len = len - 1;
    let af = get_u8(p, at)?;
    let need = match af {
        1 => 4,
        2 => 16,
        6 => 6,
        _ => 0,
    };
    if len < need {
        return Ok(false);
    }
    let addr = match af {
        1 => Some(ipaddr_at(nd, p, at + 1)?),
        2 => Some(ip6addr_at(nd, p, at + 1)?),
        6 => Some(etheraddr_at(nd, p, at + 1)?),
        _ => None,
    };
    let name = tok2str(&AF_VALUES, "Unknown", af.into());
    match addr {
        Some(addr) => nd_print!(nd, "AFI {name} ({af}): {addr}"),
        None => nd_print!(nd, "AFI {name} ({af}), no AF printer !"),
    }
    Ok(true)
}

/// The management address TLV; `Ok(false)` when a length does not fit
/// (`lldp_mgmt_addr_tlv_print`).
fn mgmt_addr_print(nd: &mut Nd<'_>, p: &[u8], at: usize, len: usize) -> PResult<bool> {
    if len < 1 {
        return Ok(false);
    }
    let addr_len = usize::from(get_u8(p, at)?);
    let (at, tlen) = (at + 1, len - 1);
    if tlen < addr_len {
        return Ok(false);
    }
    // The address goes to a buffer first in tcpdump: nothing is printed if it is too short.
    let mark = nd.out.len();
    nd_print!(nd, "\n\t  Management Address length {addr_len}, ");
    let printed = network_addr_print(nd, p, at, addr_len);
    if printed != Ok(true) {
        nd.out.truncate(mark);
        return printed;
    }
    let (at, tlen) = (at + addr_len, tlen - addr_len);
    if tlen < INTF_NUM_LEN {
        return Ok(false);
    }
    let numbering = get_u8(p, at)?;
    let name = tok2str(&INTF_NUMB_SUBTYPES, "Unknown", numbering.into());
    let index = get_be_u32(p, at + 1)?;
    nd_print!(
        nd,
        "\n\t  {name} Interface Numbering ({numbering}): {index}"
    );
    let (at, tlen) = (at + INTF_NUM_LEN, tlen - INTF_NUM_LEN);
    if tlen > 0 {
        let oid_len = usize::from(get_u8(p, at)?);
        if tlen < 1 + oid_len {
            return Ok(false);
        }
        if oid_len > 0 {
            nd_print!(nd, "\n\t  OID length {oid_len}");
            printjnp(nd, p, at + 1, oid_len)?;
        }
    }
    Ok(true)
}

#[cfg(test)]
mod tests;
