//! Cisco UniDirectional Link Detection, RFC 5171 (print-udld.c at tcpdump-4.99.3): the
//! header, and with `-v` the checksum and the TLVs. print-udld.c defines
//! `ND_LONGJMP_FROM_TCHECK`, so every check past the capture is `Err(Trunc)`.
//!
//! Must not do I/O: it only reads the captured bytes.

use super::tok::{bittok2str, tok2str, Tok};
use super::util::{printjn, printjnp, tlv_walk};
use super::{get_be_u16, get_be_u32, get_u8, tcheck, Nd, PResult};
use crate::nd_print;

const HEADER_LEN: usize = 4;
const TLV_HEADER_LEN: usize = 4;

/// print-udld.c `udld_tlv_values`.
const TLV_VALUES: [Tok; 7] = [
    (1, "Device-ID TLV"),
    (2, "Port-ID TLV"),
    (3, "Echo TLV"),
    (4, "Message Interval TLV"),
    (5, "Timeout Interval TLV"),
    (6, "Device Name TLV"),
    (7, "Sequence Number TLV"),
];

/// print-udld.c `udld_code_values`.
const CODE_VALUES: [Tok; 4] = [
    (0, "Reserved"),
    (1, "Probe message"),
    (2, "Echo message"),
    (3, "Flush message"),
];

/// print-udld.c `udld_flags_bitmap_str`.
const FLAGS: [Tok; 8] = [
    (0x01, "RT"),
    (0x02, "RSY"),
    (0x04, "MBZ-2"),
    (0x08, "MBZ-3"),
    (0x10, "MBZ-4"),
    (0x20, "MBZ-5"),
    (0x40, "MBZ-6"),
    (0x80, "MBZ-7"),
];

/// Print a UDLD PDU of on-wire length `length` (`udld_print`).
pub fn print(nd: &mut Nd<'_>, p: &[u8], length: usize) -> PResult {
    nd.protocol = "udld";
    if length < HEADER_LEN {
        return super::util::invalid_then_tcheck(nd, p, 0, length);
    }
    let b = get_u8(p, 0)?;
    let (ver, code) = ((b & 0xe0) >> 5, b & 0x1f);
    let flags = get_u8(p, 1)?;
    nd_print!(
        nd,
        "UDLDv{ver}, Code {} ({code:x}), Flags [{}] (0x{flags:02x}), length {length}",
        tok2str(&CODE_VALUES, "Reserved", code.into()),
        bittok2str(&FLAGS, "none", flags.into()),
    );
    if nd.opts.v < 1 {
        return tcheck(p, 2, length - 2);
    }
    nd_print!(nd, "\n\tChecksum 0x{:04x} (unverified)", get_be_u16(p, 2)?);
    tlv_walk(nd, p, HEADER_LEN, length - HEADER_LEN, |nd, at, left| {
        tlv_print(nd, p, at, left)
    })?;
    Ok(())
}

/// The TLV at `at` with `left` bytes left: the bytes it took, `None` for `goto invalid`.
fn tlv_print(nd: &mut Nd<'_>, p: &[u8], at: usize, left: usize) -> PResult<Option<usize>> {
    if left < TLV_HEADER_LEN {
        return Ok(None);
    }
    let ty = get_be_u16(p, at)?;
    let len = usize::from(get_be_u16(p, at + 2)?);
    let name = tok2str(&TLV_VALUES, "Unknown", ty.into());
    nd_print!(nd, "\n\t{name} (0x{ty:04x}) TLV, length {len}");
    // A length of the header alone would loop for ever.
    if len <= TLV_HEADER_LEN || len > left {
        return Ok(None);
    }
    let value = at + TLV_HEADER_LEN;
    Ok(value_print(nd, p, value, len - TLV_HEADER_LEN, ty)?.then_some(len))
}

/// One TLV's value; `Ok(false)` for a length its type cannot have.
fn value_print(nd: &mut Nd<'_>, p: &[u8], at: usize, len: usize, ty: u16) -> PResult<bool> {
    match ty {
        1 | 2 | 6 => {
            nd.print(", ");
            printjnp(nd, p, at, len)?;
        }
        3 => {
            nd.print(", ");
            printjn(nd, p, at, len)?;
        }
        4 | 5 => {
            if len != 1 {
                return Ok(false);
            }
            nd_print!(nd, ", {}s", get_u8(p, at)?);
        }
        7 => {
            if len != 4 {
                return Ok(false);
            }
            nd_print!(nd, ", {}", get_be_u32(p, at)?);
        }
        _ => tcheck(p, at, len)?,
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capture::print::testing::run;

    /// A probe: header, a device id, a message interval.
    fn probe() -> Vec<u8> {
        let mut d = vec![0x21, 0x03, 0x12, 0x34, 0, 1, 0, 7];
        d.extend_from_slice(b"sw1");
        d.extend_from_slice(&[0, 4, 0, 5, 7]);
        d
    }

    #[test]
    fn probe_fields_at_their_offsets() {
        let d = probe();
        let (out, r) = run(print, &d, d.len(), 1);
        assert_eq!(r, Ok(()));
        assert_eq!(
            out,
            "UDLDv1, Code Probe message (1), Flags [RT, RSY] (0x03), length 16\
             \n\tChecksum 0x1234 (unverified)\n\tDevice-ID TLV (0x0001) TLV, length 7, sw1\
             \n\tMessage Interval TLV (0x0004) TLV, length 5, 7s"
        );
    }

    #[test]
    fn a_tlv_of_header_length_is_invalid_not_a_loop() {
        let d = [0x21, 0, 0, 0, 0, 9, 0, 4];
        let (out, r) = run(print, &d, d.len(), 1);
        assert_eq!(r, Ok(()));
        assert!(out.ends_with("length 4 (invalid)"), "{out}");
    }

    crate::every_prefix_stops_at_the_capture!(print, probe());
}
