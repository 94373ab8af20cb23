//! Cisco Dynamic Trunking Protocol (print-dtp.c at tcpdump-4.99.3): the version, and with
//! `-v` the TLVs. print-dtp.c defines `ND_LONGJMP_FROM_TCHECK`, so every check past the
//! capture is `Err(Trunc)`.
//!
//! Must not do I/O: it only reads the captured bytes.

use super::names::etheraddr_at;
use super::tok::{tok2str, Tok};
use super::util::{printjnp, tlv_walk};
use super::{get_be_u16, get_u8, tcheck, Nd, PResult};
use crate::nd_print;

const HEADER_LEN: usize = 1;

/// print-dtp.c `dtp_tlv_values`.
const TLV_VALUES: [Tok; 4] = [
    (1, "Domain"),
    (2, "Status"),
    (3, "DTP type"),
    (4, "Neighbor"),
];

/// Print a DTP PDU of on-wire length `length` (`dtp_print`).
pub fn print(nd: &mut Nd<'_>, p: &[u8], length: usize) -> PResult {
    nd.protocol = "dtp";
    if length < HEADER_LEN {
        nd.print("[zero packet length]");
        return super::util::invalid_then_tcheck(nd, p, 0, length);
    }
    nd_print!(nd, "DTPv{}, length {length}", get_u8(p, 0)?);
    if nd.opts.v < 1 {
        return Ok(());
    }
    tlv_walk(nd, p, HEADER_LEN, length - HEADER_LEN, |nd, at, left| {
        tlv_print(nd, p, at, left)
    })?;
    Ok(())
}

/// The TLV at `at` with `left` bytes left: the bytes it took, `None` for `goto invalid`.
fn tlv_print(nd: &mut Nd<'_>, p: &[u8], at: usize, left: usize) -> PResult<Option<usize>> {
    if left < 4 {
        nd_print!(nd, "[{left} bytes remaining]");
        return Ok(None);
    }
    let ty = get_be_u16(p, at)?;
    let len = usize::from(get_be_u16(p, at + 2)?);
    // print-dtp.c: "should not be but sometimes it is"; the walk ends.
    if ty == 0 {
        return Ok(Some(left));
    }
    let name = tok2str(&TLV_VALUES, "Unknown", ty.into());
    nd_print!(nd, "\n\t{name} (0x{ty:04x}) TLV, length {len}");
    if len < 4 || len > left {
        nd_print!(nd, "[invalid TLV length {len}]");
        return Ok(None);
    }
    Ok(value_print(nd, p, at, len, ty)?.then_some(len))
}

/// One TLV's value, `at` its header; `Ok(false)` for a length its type cannot have.
fn value_print(nd: &mut Nd<'_>, p: &[u8], at: usize, len: usize, ty: u16) -> PResult<bool> {
    match ty {
        1 => {
            nd.print(", ");
            printjnp(nd, p, at + 4, len - 4)?;
        }
        2 | 3 => {
            if len != 5 {
                return Ok(false);
            }
            nd_print!(nd, ", 0x{:x}", get_u8(p, at + 4)?);
        }
        4 => {
            if len != 10 {
                return Ok(false);
            }
            let mac = etheraddr_at(nd, p, at + 4)?;
            nd_print!(nd, ", {mac}");
        }
        _ => tcheck(p, at, len)?,
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capture::print::testing::run;

    /// Version 1: a domain, a status, a neighbor.
    fn dtp() -> Vec<u8> {
        let mut d = vec![1, 0, 1, 0, 8];
        d.extend_from_slice(b"lab\0");
        d.extend_from_slice(&[0, 2, 0, 5, 0x81, 0, 4, 0, 10, 0, 0x1f, 0x6d, 1, 2, 3]);
        d
    }

    #[test]
    fn tlvs_at_their_offsets() {
        let d = dtp();
        let (out, r) = run(print, &d, d.len(), 1);
        assert_eq!(r, Ok(()));
        assert_eq!(
            out,
            "DTPv1, length 24\n\tDomain (0x0001) TLV, length 8, lab\
             \n\tStatus (0x0002) TLV, length 5, 0x81\
             \n\tNeighbor (0x0004) TLV, length 10, 00:1f:6d:01:02:03"
        );
    }

    #[test]
    fn a_short_tlv_length_is_invalid() {
        let (out, r) = run(print, &[1, 0, 9, 0, 2], 5, 1);
        assert_eq!(r, Ok(()));
        assert!(
            out.ends_with("length 2[invalid TLV length 2] (invalid)"),
            "{out}"
        );
    }

    crate::every_prefix_stops_at_the_capture!(print, dtp());
}
