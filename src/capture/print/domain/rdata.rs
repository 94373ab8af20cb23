//! The data of the resource records tcpdump decodes, and EDNS options (print-domain.c
//! `ns_rprint`, `eopt_print`, `print_eopt_ecs` at tcpdump-4.99.3).
//!
//! Must not import `echo` or do I/O; prints into `Nd` without allocating.

use super::tables::*;
use super::{fqdn_print, ns_cprint, print_invalid};
use crate::capture::print::util::{printn, write_ipv4};
use crate::capture::print::{get_array, get_be_u16, get_be_u32, get_bytes, ttest, Nd, PResult};
use crate::nd_print;

/// A record's fields after its owner name.
pub(super) struct Rr {
    pub(super) typ: u16,
    pub(super) class: u16,
    pub(super) opt_flags: u16,
    pub(super) len: u16,
    /// Where its data starts and ends.
    pub(super) cp: usize,
    pub(super) rp: usize,
}

/// The data of the record types tcpdump decodes; `None` where tcpdump gives up.
pub(super) fn rdata_print(nd: &mut Nd<'_>, m: &[u8], rr: &Rr) -> PResult<Option<()>> {
    let cp = rr.cp;
    match rr.typ {
        T_A => {
            if !ttest(m, cp, 4) {
                return Ok(None);
            }
            let a = get_array::<4>(m, cp)?;
            nd.print(" ");
            write_ipv4(nd.out, a);
        }
        T_NS | T_CNAME | T_PTR | T_DNAME => {
            nd.print(" ");
            return Ok(fqdn_print(nd, m, cp, 0)?.map(|_| ()));
        }
        T_SOA => return soa_print(nd, m, cp),
        T_MX => {
            nd.print(" ");
            if !ttest(m, cp, 2) || fqdn_print(nd, m, cp + 2, 0)?.is_none() {
                return Ok(None);
            }
            {
                let v0 = get_be_u16(m, cp)?;
                nd.print(" ");
                nd.print_dec(v0);
            };
        }
        T_TXT => {
            let mut at = cp;
            while at < rr.rp {
                nd.print(" \"");
                let Some(next) = ns_cprint(nd, m, at)? else {
                    return Ok(None);
                };
                at = next;
                nd.print("\"");
            }
        }
        T_SRV => {
            nd.print(" ");
            if !ttest(m, cp, 6) || fqdn_print(nd, m, cp + 6, 0)?.is_none() {
                return Ok(None);
            }
            let (prio, weight, port) = (
                get_be_u16(m, cp)?,
                get_be_u16(m, cp + 2)?,
                get_be_u16(m, cp + 4)?,
            );
            nd.print(":");
            nd.print_dec(port);
            nd.print(" ");
            nd.print_dec(prio);
            nd.print(" ");
            nd.print_dec(weight);
        }
        T_AAAA => {
            if !ttest(m, cp, 16) {
                return Ok(None);
            }
            nd.print(" ");
            crate::capture::print::util::write_ip6_addr(nd.out, &get_array::<16>(m, cp)?);
        }
        T_A6 => return a6_print(nd, m, cp),
        T_URI => {
            if !ttest(m, cp, usize::from(rr.len)) {
                return Ok(None);
            }
            {
                let v0 = get_be_u16(m, cp)?;
                let v1 = get_be_u16(m, cp + 2)?;
                nd.print(" ");
                nd.print_dec(v0);
                nd.print(" ");
                nd.print_dec(v1);
                nd.print(" ");
            };
            // A length under 4 wraps as in C: the rest of the capture, then give up.
            let n = u32::from(rr.len).wrapping_sub(4) as usize;
            if printn(nd, m, cp + 4, n) {
                return Ok(None);
            }
        }
        T_OPT => return opt_print(nd, m, rr),
        T_UNSPECA => {
            let n = usize::from(rr.len);
            if !ttest(m, cp, n) || printn(nd, m, cp, n) {
                return Ok(None);
            }
        }
        T_TSIG => return tsig_print(nd, m, cp),
        _ => {}
    }
    Ok(Some(()))
}

/// SOA at `-v`: ` mname rname serial refresh retry expire minimum` (RFC 1035 section 3.3.13).
pub(super) fn soa_print(nd: &mut Nd<'_>, m: &[u8], cp: usize) -> PResult<Option<()>> {
    if nd.opts.v == 0 {
        return Ok(Some(()));
    }
    nd.print(" ");
    let Some(cp) = fqdn_print(nd, m, cp, 0)? else {
        return Ok(None);
    };
    nd.print(" ");
    let Some(cp) = fqdn_print(nd, m, cp, 0)? else {
        return Ok(None);
    };
    if !ttest(m, cp, 20) {
        return Ok(None);
    }
    for k in 0..5 {
        {
            let v0 = get_be_u32(m, cp + 4 * k)?;
            nd.print(" ");
            nd.print_dec(v0);
        };
    }
    Ok(Some(()))
}

/// A6 (RFC 2874): ` plen suffix[ prefix-name]`, or ` plen(bad plen)`.
pub(super) fn a6_print(nd: &mut Nd<'_>, m: &[u8], cp: usize) -> PResult<Option<()>> {
    let Some(&pbit) = m.get(cp) else {
        return Ok(None);
    };
    let pbyte = usize::from(pbit & !7) / 8;
    if pbit > 128 {
        nd.print(" ");
        nd.print_dec(pbit);
        nd.print("(bad plen)");
        return Ok(Some(()));
    }
    if pbit < 128 {
        let mut a = [0u8; 16];
        let suffix = get_bytes(m, cp + 1, 16 - pbyte)?;
        if let Some(dst) = a.get_mut(pbyte..) {
            dst.copy_from_slice(suffix);
        }
        nd.print(" ");
        nd.print_dec(pbit);
        nd.print(" ");
        crate::capture::print::util::write_ip6_addr(nd.out, &a);
    }
    if pbit > 0 {
        nd.print(" ");
        if fqdn_print(nd, m, cp + 1 + 16 - pbyte, 0)?.is_none() {
            return Ok(None);
        }
    }
    Ok(Some(()))
}

/// TSIG at `-v` (RFC 8945 section 4.2): the algorithm name, fudge, MAC length, original id,
/// error and other-data length.
pub(super) fn tsig_print(nd: &mut Nd<'_>, m: &[u8], cp: usize) -> PResult<Option<()>> {
    if nd.opts.v == 0 {
        return Ok(Some(()));
    }
    nd.print(" ");
    let Some(cp) = fqdn_print(nd, m, cp, 0)? else {
        return Ok(None);
    };
    // Skip the 48-bit time signed.
    let mut cp = cp + 6;
    for name in ["fudge", "maclen", "origid", "error", "otherlen"] {
        if !ttest(m, cp, 2) {
            return Ok(None);
        }
        let v = get_be_u16(m, cp)?;
        nd.print(" ");
        nd.print(name);
        nd.print("=");
        nd.print_dec(v);
        cp += 2;
        if name == "maclen" {
            cp += usize::from(v);
        }
    }
    Ok(Some(()))
}

/// OPT (RFC 6891 section 6.1.2): ` UDPsize=N[ DO][ [opt,opt]]`.
pub(super) fn opt_print(nd: &mut Nd<'_>, m: &[u8], rr: &Rr) -> PResult<Option<()>> {
    nd.print(" UDPsize=");
    nd.print_dec(rr.class);
    if rr.opt_flags & 0x8000 != 0 {
        nd.print(" DO");
    }
    let mut cp = rr.cp;
    if cp < rr.rp {
        nd.print(" [");
        while cp < rr.rp {
            let Some(next) = eopt_print(nd, m, cp)? else {
                return Ok(None);
            };
            cp = next;
            if cp < rr.rp {
                nd.print(",");
            }
        }
        nd.print("]");
    }
    Ok(Some(()))
}

/// One EDNS option: its name and, when it has data, the data (print-domain.c `eopt_print`).
pub(super) fn eopt_print(nd: &mut Nd<'_>, m: &[u8], cp: usize) -> PResult<Option<usize>> {
    if !ttest(m, cp, 2) {
        return Ok(None);
    }
    let opt = get_be_u16(m, cp)?;
    match tok(EDNS_OPTS, opt) {
        Some(s) => nd.print(s),
        None => {
            nd.print("Opt");
            nd.print_dec(opt);
        }
    }
    if !ttest(m, cp + 2, 2) {
        return Ok(None);
    }
    let n = usize::from(get_be_u16(m, cp + 2)?);
    let cp = cp + 4;
    if !ttest(m, cp, n) {
        return Ok(None);
    }
    if n > 0 {
        nd.print(" ");
        eopt_data(nd, m, opt, cp, n)?;
    }
    Ok(Some(cp + n))
}

/// An EDNS option's data, all of it captured.
pub(super) fn eopt_data(nd: &mut Nd<'_>, m: &[u8], opt: u16, cp: usize, n: usize) -> PResult {
    let d = get_bytes(m, cp, n)?;
    match opt {
        E_ECS => ecs_print(nd, d),
        // RFC 7873 section 4: an 8-byte client cookie and an 8 to 32-byte server cookie.
        E_COOKIE if n < 8 || (n > 8 && n < 16) || n > 40 => print_invalid(nd),
        E_COOKIE => {
            for (i, b) in d.iter().enumerate() {
                if i == 8 {
                    nd.print(" ");
                }
                nd.print_hex(b, 2);
            }
        }
        // RFC 7828: units of 100 ms.
        E_KEEPALIVE if n != 2 => print_invalid(nd),
        E_KEEPALIVE => nd_print!(nd, "{:.1} sec", f64::from(get_be_u16(d, 0)?) / 10.0),
        E_EXPIRE if n != 4 => print_invalid(nd),
        E_EXPIRE => {
            let v0 = get_be_u32(d, 0)?;
            nd.print_dec(v0);
            nd.print(" sec");
        }
        E_PADDING => {
            nd.print("(");
            nd.print_dec(n);
            nd.print(")");
        }
        E_KEYTAG if n % 2 != 0 => print_invalid(nd),
        E_KEYTAG => {
            for (i, tag) in d.chunks_exact(2).enumerate() {
                if i > 0 {
                    nd.print(" ");
                }
                nd.print_dec(get_be_u16(tag, 0)?);
            }
        }
        E_DAU | E_DHU | E_N3U => {
            let table = match opt {
                E_DAU => DAU_ALGS,
                E_DHU => DHU_ALGS,
                _ => N3U_ALGS,
            };
            for (i, &alg) in d.iter().enumerate() {
                if i > 0 {
                    nd.print(" ");
                }
                match tok(table, u16::from(alg)) {
                    Some(s) => nd.print(s),
                    None => {
                        nd.print("Alg_");
                        nd.print_dec(alg);
                    }
                }
            }
        }
        // tcpdump passes the option's end as the base of compression offsets.
        E_CHAIN => {
            fqdn_print(nd, m, cp, cp + n)?;
        }
        _ => {
            for b in d {
                nd.print_hex(b, 2);
            }
        }
    }
    Ok(())
}

/// EDNS Client Subnet (RFC 7871 section 6): `address/source/scope`, the address padded with
/// zeros (print-domain.c `print_eopt_ecs`).
pub(super) fn ecs_print(nd: &mut Nd<'_>, d: &[u8]) {
    let (Some(&[f0, f1, src, scope]), Some(addr)) = (d.get(..4), d.get(4..)) else {
        print_invalid(nd);
        return;
    };
    let bits: u8 = match u16::from_be_bytes([f0, f1]) {
        1 => 32,
        2 => 128,
        _ => {
            print_invalid(nd);
            return;
        }
    };
    let whole = usize::from(src).div_ceil(8) == addr.len();
    if addr.len() > usize::from(bits / 8) || src > bits || scope > bits || !whole {
        print_invalid(nd);
        return;
    }
    let mut padded = [0u8; 16];
    if let Some(dst) = padded.get_mut(..addr.len()) {
        dst.copy_from_slice(addr);
    }
    if bits == 32 {
        let [a, b, c, e, ..] = padded;
        write_ipv4(nd.out, [a, b, c, e]);
    } else {
        crate::capture::print::util::write_ip6_addr(nd.out, &padded);
    }
    nd.print("/");
    nd.print_dec(src);
    nd.print("/");
    nd.print_dec(scope);
}
