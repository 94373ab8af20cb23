//! Multipath TCP options (RFC 8684), mirroring print-mptcp.c at tcpdump-4.99.3.
//!
//! `print` gets the whole option (kind and length bytes included), already known to be
//! captured, and returns `Ok(false)` when tcpdump would call it a bad option. It names the
//! protocol `mptcp`, which tcpdump keeps for any later truncation of the same packet.

use super::names::{ip6addr_at, ipaddr_at};
use super::tok::{TH_ACK, TH_SYN};
use super::{get_be_u16, get_be_u32, get_bytes, get_u8, Nd, PResult};
use crate::nd_print;

/// Subtype names, indexed by subtype; anything above 7 is `unknown` (print-mptcp.c
/// `mptcp_options`).
const SUBTYPE_NAMES: &[&str] = &[
    "capable",
    "join",
    "dss",
    "add-addr",
    "rem-addr",
    "prio",
    "fail",
    "fast-close",
    "unknown",
];

/// ADD_ADDR version and echo bits (print-mptcp.c `mptcp_addr_subecho_bits`).
const ADD_ADDR_BITS: &[(u8, &str)] = &[
    (0x6, "v0-ip6"),
    (0x4, "v0-ip4"),
    (0x1, "v1-echo"),
    (0x0, "v1"),
];

const MP_CAPABLE_C: u8 = 0x80;
const MP_JOIN_B: u8 = 0x01;
const MP_DSS_F: u8 = 0x10;
const MP_DSS_LOWER_M: u8 = 0x08;
const MP_DSS_M: u8 = 0x04;
const MP_DSS_LOWER_A: u8 = 0x02;
const MP_DSS_A: u8 = 0x01;
const MP_PRIO_B: u8 = 0x01;

fn be_u64(opt: &[u8], at: usize) -> PResult<u64> {
    super::get_array(opt, at).map(u64::from_be_bytes)
}

/// Print ` LEN SUBTYPE ...` for one MPTCP option.
pub fn print(nd: &mut Nd<'_>, opt: &[u8], flags: u8) -> PResult<bool> {
    nd.protocol = "mptcp";
    let len = opt.len();
    if len < 3 {
        return Ok(false);
    }
    let subtype = usize::from(get_u8(opt, 2)? >> 4).min(SUBTYPE_NAMES.len() - 1);
    nd_print!(nd, " {}", len);
    nd_print!(
        nd,
        " {}",
        SUBTYPE_NAMES.get(subtype).copied().unwrap_or("unknown")
    );
    match subtype {
        0 => capable(nd, opt, flags),
        1 => join(nd, opt, flags),
        2 => dss(nd, opt, flags),
        3 => add_addr(nd, opt),
        4 => remove_addr(nd, opt),
        5 => prio(nd, opt),
        6 => fail(nd, opt),
        7 => fast_close(nd, opt),
        _ => Ok(true),
    }
}

fn capable(nd: &mut Nd<'_>, opt: &[u8], flags: u8) -> PResult<bool> {
    let len = opt.len();
    let syn = (len == 12 || len == 4) && flags & TH_SYN != 0;
    let ack = (len == 20 || len == 22) && flags & (TH_SYN | TH_ACK) == TH_ACK;
    if !syn && !ack {
        return Ok(false);
    }
    let version = get_u8(opt, 2)? & 0xf;
    if version > 1 {
        nd_print!(nd, " Unknown Version ({})", version);
        return Ok(true);
    }
    nd_print!(nd, " v{}", version);
    if get_u8(opt, 3)? & MP_CAPABLE_C != 0 {
        nd.print(" csum");
    }
    if len == 12 || len >= 20 {
        nd_print!(nd, " {{0x{:x}", be_u64(opt, 4)?);
        if len >= 20 {
            nd_print!(nd, ",0x{:x}", be_u64(opt, 12)?);
        }
        nd.print("}");
    }
    Ok(true)
}

fn join(nd: &mut Nd<'_>, opt: &[u8], flags: u8) -> PResult<bool> {
    let len = opt.len();
    let ok = (len == 12 && flags & TH_SYN != 0)
        || (len == 16 && flags & (TH_SYN | TH_ACK) == (TH_SYN | TH_ACK))
        || (len == 24 && flags & TH_ACK != 0);
    if !ok {
        return Ok(false);
    }
    if len != 24 {
        if get_u8(opt, 2)? & MP_JOIN_B != 0 {
            nd.print(" backup");
        }
        nd_print!(nd, " id {}", get_u8(opt, 3)?);
    }
    match len {
        12 => nd_print!(
            nd,
            " token 0x{:x} nonce 0x{:x}",
            get_be_u32(opt, 4)?,
            get_be_u32(opt, 8)?
        ),
        16 => nd_print!(
            nd,
            " hmac 0x{:x} nonce 0x{:x}",
            be_u64(opt, 4)?,
            get_be_u32(opt, 12)?
        ),
        _ => {
            nd.print(" hmac 0x");
            for b in get_bytes(opt, 4, 20)? {
                nd_print!(nd, "{:02x}", b);
            }
        }
    }
    Ok(true)
}

/// A 4- or 8-byte number at `*at`, advancing it; `None` when fewer bytes are left.
fn dss_number(opt: &[u8], at: &mut usize, wide: bool) -> PResult<Option<u64>> {
    let n = if wide { 8 } else { 4 };
    if opt.len() < *at + n {
        return Ok(None);
    }
    let v = if wide {
        be_u64(opt, *at)?
    } else {
        u64::from(get_be_u32(opt, *at)?)
    };
    *at += n;
    Ok(Some(v))
}

fn dss(nd: &mut Nd<'_>, opt: &[u8], flags: u8) -> PResult<bool> {
    if opt.len() < 4 || flags & TH_SYN != 0 {
        return Ok(false);
    }
    let f = get_u8(opt, 3)?;
    if f & MP_DSS_F != 0 {
        nd.print(" fin");
    }
    let mut at = 4;
    if f & MP_DSS_A != 0 {
        nd.print(" ack ");
        match dss_number(opt, &mut at, f & MP_DSS_LOWER_A != 0)? {
            Some(v) => nd_print!(nd, "{}", v),
            None => return Ok(false),
        }
    }
    if f & MP_DSS_M != 0 {
        nd.print(" seq ");
        match dss_number(opt, &mut at, f & MP_DSS_LOWER_M != 0)? {
            Some(v) => nd_print!(nd, "{}", v),
            None => return Ok(false),
        }
        match dss_number(opt, &mut at, false)? {
            Some(v) => nd_print!(nd, " subseq {}", v),
            None => return Ok(false),
        }
        if opt.len() < at + 2 {
            return Ok(false);
        }
        nd_print!(nd, " len {}", get_be_u16(opt, at)?);
        at += 2;
        if opt.len() >= at + 2 {
            nd_print!(nd, " csum 0x{:x}", get_be_u16(opt, at)?);
            at += 2;
        }
    }
    Ok(opt.len() == at)
}

fn add_addr(nd: &mut Nd<'_>, opt: &[u8]) -> PResult<bool> {
    let len = opt.len();
    if ![8, 10, 16, 18, 20, 22, 28, 30].contains(&len) {
        return Ok(false);
    }
    let bits = get_u8(opt, 2)? & 0xf;
    match ADD_ADDR_BITS.iter().find(|(b, _)| *b == bits) {
        Some((_, name)) => nd_print!(nd, " {}", name),
        None => nd.print(" [bad version/echo]"),
    }
    nd_print!(nd, " id {}", get_u8(opt, 3)?);
    if len <= 18 {
        let a = ipaddr_at(nd, opt, 4)?;
        nd_print!(nd, " {}", a);
        if len == 10 || len == 18 {
            nd_print!(nd, ":{}", get_be_u16(opt, 8)?);
        }
        match len {
            16 => nd_print!(nd, " hmac 0x{:x}", be_u64(opt, 8)?),
            18 => nd_print!(nd, " hmac 0x{:x}", be_u64(opt, 10)?),
            _ => {}
        }
    } else {
        let a = ip6addr_at(nd, opt, 4)?;
        nd_print!(nd, " {}", a);
        if len == 22 || len == 30 {
            nd_print!(nd, ":{}", get_be_u16(opt, 20)?);
        }
        match len {
            28 => nd_print!(nd, " hmac 0x{:x}", be_u64(opt, 20)?),
            30 => nd_print!(nd, " hmac 0x{:x}", be_u64(opt, 22)?),
            _ => {}
        }
    }
    Ok(true)
}

fn remove_addr(nd: &mut Nd<'_>, opt: &[u8]) -> PResult<bool> {
    if opt.len() < 4 {
        return Ok(false);
    }
    nd.print(" id");
    for b in get_bytes(opt, 3, opt.len() - 3)? {
        nd_print!(nd, " {}", b);
    }
    Ok(true)
}

fn prio(nd: &mut Nd<'_>, opt: &[u8]) -> PResult<bool> {
    let len = opt.len();
    if len != 3 && len != 4 {
        return Ok(false);
    }
    if get_u8(opt, 2)? & MP_PRIO_B != 0 {
        nd.print(" backup");
    } else {
        nd.print(" non-backup");
    }
    if len == 4 {
        nd_print!(nd, " id {}", get_u8(opt, 3)?);
    }
    Ok(true)
}

fn fail(nd: &mut Nd<'_>, opt: &[u8]) -> PResult<bool> {
    if opt.len() != 12 {
        return Ok(false);
    }
    nd_print!(nd, " seq {}", be_u64(opt, 4)?);
    Ok(true)
}

fn fast_close(nd: &mut Nd<'_>, opt: &[u8]) -> PResult<bool> {
    if opt.len() != 12 {
        return Ok(false);
    }
    nd_print!(nd, " key 0x{:x}", be_u64(opt, 4)?);
    Ok(true)
}
