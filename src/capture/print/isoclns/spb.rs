//! The shortest path bridging sub-TLVs of IS-IS's multi-topology port capability (143,
//! RFC 6165) and multi-topology capability (144, RFC 6329) TLVs (print-isoclns.c
//! `isis_print_mt_port_cap_subtlv`, `isis_print_mt_capability_subtlv` at tcpdump-4.99.3).
//!
//! Must not do I/O: it only reads the captured bytes.

use super::isis::{jnp, trunc_mark};
use crate::capture::print::tok::{tok2str, Tok};
use crate::capture::print::util::get_be_u24;
use crate::capture::print::{get_be_u16, get_be_u32, get_u8, tcheck, Nd, PResult};
use crate::nd_print;

/// `isis_mt_port_cap_subtlv_values`.
const PORT_CAP_SUBTLVS: &[Tok] = &[(4, "SPB MCID"), (5, "SPB Digest"), (6, "SPB BVID")];

/// `isis_mt_capability_subtlv_values`.
const CAPABILITY_SUBTLVS: &[Tok] = &[
    (1, "SPB Instance"),
    (3, "SPBM Service Identifier and Unicast Address"),
];

/// How a sub-TLV ended: on to the next, or the walk stops after a note.
enum End {
    Next,
    Stop,
}

/// The walk shared by both TLVs: each sub-TLV header, then `body` for its value.
fn walk(
    nd: &mut Nd<'_>,
    p: &[u8],
    at: usize,
    len: usize,
    names: &'static [Tok],
    ident: &str,
    body: fn(&mut Nd<'_>, &[u8], usize, u8, usize) -> PResult<End>,
) -> PResult {
    let (mut t, mut len) = (at, len);
    while len > 2 {
        let st = get_u8(p, t)?;
        let sl = usize::from(get_u8(p, t + 1)?);
        nd_print!(
            nd,
            "{ident}{} subTLV #{st}, length: {sl}",
            tok2str(names, "unknown", st.into())
        );
        t += 2;
        len -= 2;
        if len < sl {
            nd.print(" (> containing TLV length)");
            return Ok(());
        }
        if tcheck(p, t, sl).is_err() {
            trunc_mark(nd);
            return Ok(());
        }
        if let End::Stop = body(nd, p, t, st, sl)? {
            return Ok(());
        }
        t += sl;
        len -= sl;
    }
    Ok(())
}

/// The sub-TLVs of a port capability TLV.
pub fn port_cap_subtlvs(nd: &mut Nd<'_>, p: &[u8], at: usize, len: usize) -> PResult {
    walk(
        nd,
        p,
        at,
        len,
        PORT_CAP_SUBTLVS,
        "\n\t       ",
        port_cap_subtlv,
    )
}

/// The sub-TLVs of a capability TLV.
pub fn capability_subtlvs(nd: &mut Nd<'_>, p: &[u8], at: usize, len: usize) -> PResult {
    walk(
        nd,
        p,
        at,
        len,
        CAPABILITY_SUBTLVS,
        "\n\t      ",
        capability_subtlv,
    )
}

fn too_short(nd: &mut Nd<'_>) -> PResult<End> {
    nd.print(" (too short)");
    Ok(End::Stop)
}

/// One MCID (`isis_print_mcid`).
fn mcid(nd: &mut Nd<'_>, p: &[u8], t: usize) -> PResult {
    nd_print!(nd, "ID: {}, Name: ", get_u8(p, t)?);
    jnp(nd, p, t + 1, 32)?;
    nd_print!(nd, "\n\t              Lvl: {}", get_be_u16(p, t + 33)?);
    nd.print(", Digest: ");
    for i in 0..16 {
        nd_print!(nd, "{:02x} ", get_u8(p, t + 35 + i)?);
    }
    Ok(())
}

fn port_cap_subtlv(nd: &mut Nd<'_>, p: &[u8], t: usize, st: u8, sl: usize) -> PResult<End> {
    match st {
        4 => {
            if sl < 102 {
                return too_short(nd);
            }
            nd.print("\n\t         MCID: ");
            mcid(nd, p, t)?;
            nd.print("\n\t         AUX-MCID: ");
            mcid(nd, p, t + 51)?;
        }
        5 => {
            if sl < 33 {
                return too_short(nd);
            }
            let b = get_u8(p, t)?;
            nd_print!(
                nd,
                "\n\t        RES: {} V: {} A: {} D: {}",
                b >> 5,
                (b >> 4) & 1,
                (b >> 2) & 3,
                b & 3
            );
            nd.print("\n\t         Digest: ");
            for i in 1..=8 {
                nd_print!(nd, "{:08x} ", get_be_u32(p, t + 1 + 4 * (i - 1))?);
                if i % 4 == 0 && i != 8 {
                    nd.print("\n\t                 ");
                }
            }
        }
        6 => {
            let (mut s, mut left) = (t, sl);
            while left != 0 {
                if left < 4 {
                    return too_short(nd);
                }
                nd_print!(nd, "\n\t           ECT: {:08x}", get_be_u32(p, s)?);
                s += 4;
                left -= 4;
                if left < 2 {
                    return too_short(nd);
                }
                let v = get_be_u16(p, s)?;
                nd_print!(
                    nd,
                    " BVID: {}, U:{:01x} M:{:01x} ",
                    v >> 4,
                    (v >> 3) & 1,
                    (v >> 2) & 1
                );
                s += 2;
                left -= 2;
            }
        }
        _ => {}
    }
    Ok(End::Next)
}

fn capability_subtlv(nd: &mut Nd<'_>, p: &[u8], t: usize, st: u8, sl: usize) -> PResult<End> {
    match st {
        1 => {
            if sl < 19 {
                return too_short(nd);
            }
            nd_print!(nd, "\n\t        CIST Root-ID: {:08x}", get_be_u32(p, t)?);
            nd_print!(nd, " {:08x}", get_be_u32(p, t + 4)?);
            nd_print!(nd, ", Path Cost: {:08x}", get_be_u32(p, t + 8)?);
            nd_print!(nd, ", Prio: {}", get_be_u16(p, t + 12)?);
            let v = get_be_u16(p, t + 14)?;
            nd_print!(nd, "\n\t        RES: {}", v >> 5);
            nd_print!(nd, ", V: {}", (v >> 4) & 1);
            nd_print!(nd, ", SPSource-ID: {}", get_be_u32(p, t + 14)? & 0xfffff);
            let trees = get_u8(p, t + 18)?;
            nd_print!(nd, ", No of Trees: {trees:x}");
            let (mut s, mut left) = (t + 19, sl - 19);
            for _ in 0..trees {
                if left < 8 {
                    trunc_mark(nd);
                    return Ok(End::Stop);
                }
                let b = get_u8(p, s)?;
                nd_print!(
                    nd,
                    "\n\t         U:{}, M:{}, A:{}, RES:{}",
                    b >> 7,
                    (b >> 6) & 1,
                    (b >> 5) & 1,
                    b & 0x1f
                );
                nd_print!(nd, ", ECT: {:08x}", get_be_u32(p, s + 1)?);
                let v = get_be_u24(p, s + 5)?;
                nd_print!(nd, ", BVID: {}, SPVID: {}", (v >> 12) & 0xfff, v & 0xfff);
                s += 8;
                left -= 8;
            }
        }
        3 => {
            if sl < 8 {
                trunc_mark(nd);
                return Ok(End::Stop);
            }
            nd_print!(nd, "\n\t        BMAC: {:08x}", get_be_u32(p, t)?);
            nd_print!(nd, "{:04x}", get_be_u16(p, t + 4)?);
            let v = get_be_u16(p, t + 6)?;
            nd_print!(nd, ", RES: {}, VID: {}", v >> 12, v & 0xfff);
            let (mut s, mut left) = (t + 8, sl - 8);
            while left >= 4 {
                let v = get_be_u32(p, s)?;
                nd_print!(
                    nd,
                    "\n\t        T: {}, R: {}, RES: {}, ISID: {}",
                    v >> 31,
                    (v >> 30) & 1,
                    (v >> 24) & 0x3f,
                    v & 0xffffff
                );
                s += 4;
                left -= 4;
            }
        }
        _ => {}
    }
    Ok(End::Next)
}
