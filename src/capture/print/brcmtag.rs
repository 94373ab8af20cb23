//! Broadcom switch tags (print-brcmtag.c at tcpdump-4.99.3): the 4-byte tag a Broadcom
//! switch puts between the source address and the type field (DLT_DSA_TAG_BRCM) or before
//! the whole frame (DLT_DSA_TAG_BRCM_PREPEND).
//!
//! Must not do I/O: it only reads the captured bytes.

use super::tok::{tok2str, Tok};
use super::{ether, get_array, tcheck, Nd, PResult};
use crate::nd_print;

/// The tag's length (print-brcmtag.c `BRCM_TAG_LEN`).
const TAG_LEN: usize = 4;
/// The ingress bit of the opcode (`BRCM_OPCODE_SHIFT`).
const INGRESS: u8 = 1 << 5;

/// Tag-enforcement values (print-brcmtag.c `brcm_tag_te_values`).
const TE_VALUES: [Tok; 4] = [(0, "None"), (1, "Untag"), (2, "Header"), (3, "Reserved")];

/// Egress reason codes (print-brcmtag.c `brcm_tag_rc_values`).
const RC_VALUES: [Tok; 6] = [
    (1, "mirror"),
    (2, "MAC learning"),
    (4, "switching"),
    (8, "prot term"),
    (16, "prot snoop"),
    (32, "exception"),
];

/// `BRCM tag OP: ...` (print-brcmtag.c `brcm_tag_print`).
fn tag_print(nd: &mut Nd<'_>, data: &[u8]) -> PResult {
    let tag: [u8; TAG_LEN] = get_array(data, 0)?;
    nd_print!(nd, "BRCM tag OP: {}", if tag[0] != 0 { "IG" } else { "EG" });
    if tag[0] & INGRESS != 0 {
        let dst_map = u16::from_be_bytes([tag[2], tag[3]]);
        nd_print!(
            nd,
            ", TC: {}, TE: {}, TS: {}, DST map: 0x{:04x}",
            (tag[1] >> 2) & 0x7,
            tok2str(&TE_VALUES, "unknown", u32::from(tag[1] & 0x3)),
            tag[1] >> 7,
            dst_map & 0x1ff
        );
    } else {
        nd_print!(
            nd,
            ", CID: {}, RC: {}, TC: {}, port: {}",
            tag[1],
            tok2str(&RC_VALUES, "reserved", u32::from(tag[2])),
            (tag[3] >> 5) & 0x7,
            tag[3] & 0x1f
        );
    }
    nd.print(", ");
    Ok(())
}

/// DLT_DSA_TAG_BRCM: the tag after the addresses (`brcm_tag_if_print`).
pub fn if_print(nd: &mut Nd<'_>, data: &[u8], len: u32) -> PResult {
    nd.protocol = "brcm-tag";
    let hdr = ether::switch_tag_print(nd, data, len as usize, (TAG_LEN, tag_print))?;
    nd.ll_hdr_len += hdr;
    Ok(())
}

/// DLT_DSA_TAG_BRCM_PREPEND: the tag, printed with `-e`, then the frame
/// (`brcm_tag_prepend_if_print`).
pub fn prepend_if_print(nd: &mut Nd<'_>, data: &[u8], len: u32) -> PResult {
    nd.protocol = "brcm-tag-prepend";
    tcheck(data, 0, TAG_LEN)?;
    nd.ll_hdr_len += TAG_LEN;
    if nd.opts.e > 0 {
        tag_print(nd, data)?;
    }
    let frame = data.get(TAG_LEN..).unwrap_or(&[]);
    ether::print(nd, frame, len.saturating_sub(TAG_LEN as u32))
}

#[cfg(test)]
#[allow(clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::capture::print::testing::{opts, with_nd};

    #[test]
    fn ingress_and_egress_tags() {
        let (out, r) = with_nd(&opts(0), |nd| tag_print(nd, &[0x20, 0x00, 0x00, 0x80]));
        assert_eq!(r, Ok(()));
        assert_eq!(
            out,
            "BRCM tag OP: IG, TC: 0, TE: None, TS: 0, DST map: 0x0080, "
        );
        let (out, _) = with_nd(&opts(0), |nd| tag_print(nd, &[0x00, 0x00, 0x20, 0x05]));
        assert_eq!(
            out,
            "BRCM tag OP: EG, CID: 0, RC: exception, TC: 0, port: 5, "
        );
    }

    #[test]
    fn short_captures_are_reported() {
        let frame = [0u8; 17];
        let (out, r) = with_nd(&opts(0), |nd| if_print(nd, &frame, 60));
        assert_eq!(r, Ok(()));
        assert_eq!(out, " [|brcm-tag]");
        for cut in 0..TAG_LEN {
            let (_, r) = with_nd(&opts(0), |nd| prepend_if_print(nd, &frame[..cut], 60));
            assert!(r.is_err(), "cut {cut}");
        }
    }
}
