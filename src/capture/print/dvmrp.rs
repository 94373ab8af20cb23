//! DVMRP (RFC 1075, draft-ietf-idmr-dvmrp-v3) inside IGMP, mirroring print-dvmrp.c at
//! tcpdump-4.99.3.
//!
//! Must not do I/O: it only reads the captured bytes.

use std::net::{IpAddr, Ipv4Addr};

use super::names::{ip4_at, print_addr};
use super::tok::{tok2str, Tok};
use super::util::{print_invalid, unsigned_relts_print};
use super::{get_be_u32, get_u8, Nd, PResult};
use crate::nd_print;

/// Message types (print-dvmrp.c `dvmrp_msgtype_str`).
const TYPES: [Tok; 9] = [
    (1, "Probe"),
    (2, "Report"),
    (3, "Ask-neighbors(old)"),
    (4, "Neighbors(old)"),
    (5, "Ask-neighbors2"),
    (6, "Neighbors2"),
    (7, "Prune"),
    (8, "Graft"),
    (9, "Graft-ACK"),
];

/// Neighbour flags of a Neighbors2 reply, in tcpdump's printing order.
const NEIGHBOR_FLAGS: [(u8, &str); 5] = [
    (0x01, "/tunnel"),
    (0x02, "/srcrt"),
    (0x40, "/querier"),
    (0x20, "/disabled"),
    (0x10, "/down"),
];

/// Print the DVMRP message in the IGMP message at `data`, `len` bytes long (print-dvmrp.c
/// `dvmrp_print`).
pub fn print(nd: &mut Nd<'_>, data: &[u8], len: u32) -> PResult {
    nd.protocol = "dvmrp";
    if len < 8 {
        nd_print!(nd, " [length {len} < 8]");
        print_invalid(nd);
        return Ok(());
    }
    let ty = get_u8(data, 1)?;
    let (bp, len) = (data.get(8..).unwrap_or(&[]), len - 8);
    nd_print!(nd, " {}", tok2str(&TYPES, "[type %u]", u32::from(ty)));
    let ok = match ty {
        1 if nd.opts.v > 0 => probe(nd, bp, len)?,
        2 if nd.opts.v > 1 => report(nd, bp, len)?,
        4 => neighbors(nd, bp, len)?,
        6 => {
            // The version sits in the IGMP group address field.
            let (minor, major) = (get_u8(data, 6)?, get_u8(data, 7)?);
            neighbors2(nd, bp, len, major, minor)?
        }
        7..=9 => {
            let (src, grp) = (ip4_at(bp, 0)?, ip4_at(bp, 4)?);
            nd.print(" src ");
            print_addr(nd, src);
            nd.print(" grp ");
            print_addr(nd, grp);
            if ty == 7 {
                nd.print(" timer ");
                unsigned_relts_print(nd, get_be_u32(bp, 8)?);
            }
            true
        }
        _ => true,
    };
    if !ok {
        print_invalid(nd);
    }
    Ok(())
}

/// An address as `intoa` prints it: always numeric.
fn intoa(nd: &mut Nd<'_>, a: u32) {
    nd_print!(nd, "{}", Ipv4Addr::from(a));
}

/// Routes by mask; `Ok(false)` after an invalid length (print-dvmrp.c `print_report`).
fn report(nd: &mut Nd<'_>, bp: &[u8], mut len: u32) -> PResult<bool> {
    let mut at = 0;
    while len > 0 {
        if len < 3 {
            nd_print!(nd, " [length {len} < 3]");
            return Ok(false);
        }
        let m = [get_u8(bp, at)?, get_u8(bp, at + 1)?, get_u8(bp, at + 2)?];
        let mask = 0xff00_0000 | u32::from(m[0]) << 16 | u32::from(m[1]) << 8 | u32::from(m[2]);
        let width = match m {
            [_, _, c] if c != 0 => 4,
            [_, b, _] if b != 0 => 3,
            [a, _, _] if a != 0 => 2,
            _ => 1,
        };
        nd.print("\n\tMask ");
        intoa(nd, mask);
        at += 3;
        len -= 3;
        loop {
            if len < width + 1 {
                nd.print("\n\t  [Truncated Report]");
                return Ok(false);
            }
            let mut origin = 0u32;
            for _ in 0..width {
                origin = origin << 8 | u32::from(get_u8(bp, at)?);
                at += 1;
            }
            origin = origin.checked_shl(8 * (4 - width)).unwrap_or(0);
            let metric = get_u8(bp, at)?;
            at += 1;
            nd.print("\n\t  ");
            intoa(nd, origin);
            nd_print!(nd, " metric {}", metric & 0x7f);
            len -= width + 1;
            if metric & 0x80 != 0 {
                break;
            }
        }
    }
    Ok(true)
}

/// print-dvmrp.c `print_probe`.
fn probe(nd: &mut Nd<'_>, bp: &[u8], mut len: u32) -> PResult<bool> {
    if len < 4 {
        nd_print!(nd, " [full length {len} < 4]");
        return Ok(false);
    }
    nd.print(if nd.opts.v > 1 { "\n\t" } else { " " });
    nd_print!(nd, "genid {}", get_be_u32(bp, 0)?);
    if nd.opts.v < 2 {
        return Ok(true);
    }
    let mut at = 4;
    len -= 4;
    while len > 0 {
        if len < 4 {
            nd_print!(nd, "[remaining length {len} < 4]");
            return Ok(false);
        }
        let n = ip4_at(bp, at)?;
        nd.print("\n\tneighbor ");
        print_addr(nd, n);
        at += 4;
        len -= 4;
    }
    Ok(true)
}

/// print-dvmrp.c `print_neighbors`.
fn neighbors(nd: &mut Nd<'_>, bp: &[u8], mut len: u32) -> PResult<bool> {
    let mut at = 0;
    while len > 0 {
        if len < 7 {
            nd_print!(nd, " [length {len} < 7]");
            return Ok(false);
        }
        let laddr = at;
        let (metric, thresh, ncount) = (
            get_u8(bp, at + 4)?,
            get_u8(bp, at + 5)?,
            get_u8(bp, at + 6)?,
        );
        at += 7;
        len -= 7;
        for _ in 0..ncount {
            if len < 4 {
                nd_print!(nd, " [length {len} < 4]");
                return Ok(false);
            }
            let l = ip4_at(bp, laddr)?;
            nd.print(" [");
            print_addr(nd, l);
            nd.print(" ->");
            let n = ip4_at(bp, at)?;
            nd.print(" ");
            print_addr(nd, n);
            nd_print!(nd, ", ({metric}/{thresh})]");
            at += 4;
            len -= 4;
        }
    }
    Ok(true)
}

/// print-dvmrp.c `print_neighbors2`.
fn neighbors2(nd: &mut Nd<'_>, bp: &[u8], mut len: u32, major: u8, minor: u8) -> PResult<bool> {
    nd_print!(nd, " (v {major}.{minor}):");
    let mut at = 0;
    while len > 0 {
        if len < 8 {
            nd_print!(nd, " [length {len} < 8]");
            return Ok(false);
        }
        let laddr = at;
        let (metric, thresh, flags) = (
            get_u8(bp, at + 4)?,
            get_u8(bp, at + 5)?,
            get_u8(bp, at + 6)?,
        );
        let mut ncount = i32::from(get_u8(bp, at + 7)?);
        at += 8;
        len -= 8;
        loop {
            ncount -= 1;
            if ncount < 0 || len == 0 {
                break;
            }
            if len < 4 {
                nd_print!(nd, " [length {len} < 4]");
                return Ok(false);
            }
            let l: IpAddr = ip4_at(bp, laddr)?;
            nd.print(" [");
            print_addr(nd, l);
            nd.print(" -> ");
            let n = ip4_at(bp, at)?;
            print_addr(nd, n);
            nd_print!(nd, " ({metric}/{thresh}");
            for (bit, name) in NEIGHBOR_FLAGS {
                if flags & bit != 0 {
                    nd.print(name);
                }
            }
            nd.print(")]");
            at += 4;
            len -= 4;
        }
        if ncount != -1 {
            nd.print(" [invalid ncount]");
            return Ok(false);
        }
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capture::print::testing::run;

    #[test]
    fn report_origins_take_the_mask_width() {
        // Mask 255.255.0 (width 3): 10.1.0.0 metric 2, last.
        let d = [0x13, 2, 0, 0, 0, 0, 3, 0xff, 0xff, 0xff, 0, 10, 1, 0, 0x82];
        let (out, r) = run(print, &d, 15, 2);
        assert_eq!(r, Ok(()));
        assert!(
            out.ends_with("Mask 255.255.255.0\n\t  10.1.0.0 metric 2"),
            "{out}"
        );
    }

    #[test]
    fn a_short_neighbor_list_is_invalid() {
        let d = [
            0x13, 6, 0, 0, 0, 0, 3, 0xff, 10, 0, 0, 1, 1, 1, 0, 2, 10, 0, 0, 2,
        ];
        let (out, r) = run(print, &d, 20, 0);
        assert_eq!(r, Ok(()));
        assert!(out.ends_with(" [invalid ncount] (invalid)"), "{out}");
    }

    crate::arbitrary_bytes_never_panic!(print);
}
