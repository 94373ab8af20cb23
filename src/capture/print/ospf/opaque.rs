//! The opaque LSAs print-ospf.c decodes for OSPFv2 and print-ospf6.c borrows for OSPFv3:
//! Traffic Engineering (RFC 3630, RFC 4203, RFC 4124) and Grace (RFC 3623), with the GMPLS
//! tables of gmpls.c at tcpdump-4.99.3.
//!
//! Must not do I/O: it only reads the captured bytes.

use super::{tlv_head, unknown, TlvHead, TlvWords, Walk};
use crate::capture::print::gmpls::{
    mbps_print, DIFFSERV_TE_BC, GMPLS_ENCODING, GMPLS_LINK_PROT, GMPLS_SWITCH_CAP,
};
use crate::capture::print::names::ipaddr_at;
use crate::capture::print::tok::{bittok2str, tok2str, Tok};
use crate::capture::print::util::print_invalid;
use crate::capture::print::{get_be_u16, get_be_u32, get_u8, ttest, Nd, PResult};
use crate::nd_print;

/// print-ospf.c `lsa_opaque_te_tlv_values`.
const TE_TLVS: &[Tok] = &[(1, "Router Address"), (2, "Link")];

/// How print-ospf.c announces these TLVs.
const TE_WORDS: TlvWords = TlvWords::new(TE_TLVS, "length:", "", "");

/// print-ospf.c `lsa_opaque_te_link_tlv_subtlv_values`.
const TE_LINK_SUBTLVS: &[Tok] = &[
    (1, "Link Type"),
    (2, "Link ID"),
    (3, "Local Interface IP address"),
    (4, "Remote Interface IP address"),
    (5, "Traffic Engineering Metric"),
    (6, "Maximum Bandwidth"),
    (7, "Maximum Reservable Bandwidth"),
    (8, "Unreserved Bandwidth"),
    (9, "Administrative Group"),
    (11, "Link Local/Remote Identifier"),
    (14, "Link Protection Type"),
    (15, "Interface Switching Capability"),
    (16, "Shared Risk Link Group"),
    (17, "Bandwidth Constraints"),
];

/// print-ospf.c `lsa_opaque_grace_tlv_values`.
const GRACE_TLVS: &[Tok] = &[
    (1, "Grace Period"),
    (2, "Graceful restart Reason"),
    (3, "IPv4 interface address"),
];

/// How print-ospf.c announces these TLVs.
const GRACE_WORDS: TlvWords = TlvWords::new(GRACE_TLVS, "length", ", value: ", "");

/// print-ospf.c `lsa_opaque_grace_tlv_reason_values`.
const GRACE_REASONS: &[Tok] = &[
    (0, "Unknown"),
    (1, "Software Restart"),
    (2, "Software Reload/Upgrade"),
    (3, "Control Processor Switch"),
];

/// print-ospf.c `lsa_opaque_te_tlv_link_type_sub_tlv_values`.
const TE_LINK_TYPES: &[Tok] = &[(1, "Point-to-point"), (2, "Multi-Access")];

/// A Grace LSA's TLVs (print-ospf.c `ospf_grace_lsa_print`, RFC 3623).
pub fn grace_lsa_print(
    nd: &mut Nd<'_>,
    data: &[u8],
    tptr: usize,
    ls_length: usize,
) -> PResult<Walk> {
    let mut tptr = tptr;
    // print-ospf.c counts in a 32-bit unsigned int, which the padding below may wrap: far
    // beyond any length, as here.
    let mut ls_length = ls_length;
    while ls_length > 0 {
        let TlvHead::Tlv(tlv_type, tlv_length) =
            tlv_head(nd, data, &mut tptr, &mut ls_length, &GRACE_WORDS)?
        else {
            return Ok(None);
        };
        if tlv_type == 0 || tlv_length == 0 || !ttest(data, tptr, tlv_length) {
            return Ok(None);
        }
        if grace_tlv_print(nd, data, tlv_type, tptr, tlv_length)?.is_none() {
            return Ok(None);
        }
        // Everything in OSPF is 32-bit aligned, TLVs included.
        let padded = tlv_length.next_multiple_of(4);
        ls_length = ls_length.wrapping_sub(padded);
        tptr += padded;
    }
    Ok(Some(()))
}

/// One Grace TLV's value.
fn grace_tlv_print(
    nd: &mut Nd<'_>,
    data: &[u8],
    kind: u16,
    tptr: usize,
    len: usize,
) -> PResult<Walk> {
    let want = match kind {
        1 | 3 => Some(4),
        2 => Some(1),
        _ => None,
    };
    if let Some(want) = want {
        if len != want {
            nd_print!(nd, "\n\t    Bogus length {len} != {want}");
            return Ok(None);
        }
    }
    match kind {
        1 => nd_print!(nd, "{}s", get_be_u32(data, tptr)?),
        2 => {
            let r = get_u8(data, tptr)?;
            let reason = tok2str(GRACE_REASONS, "Unknown", r.into());
            nd_print!(nd, "{reason} ({r})");
        }
        3 => {
            let a = ipaddr_at(nd, data, tptr)?;
            nd.print(&a);
        }
        _ => return Ok(unknown(nd, data, tptr, "\n\t      ", len, nd.opts.v <= 1)),
    }
    Ok(Some(()))
}

/// A TE LSA's TLVs (print-ospf.c `ospf_te_lsa_print`, RFC 3630).
pub fn te_lsa_print(
    nd: &mut Nd<'_>,
    data: &[u8],
    mut tptr: usize,
    mut ls_length: usize,
) -> PResult<Walk> {
    while ls_length != 0 {
        let TlvHead::Tlv(tlv_type, mut tlv_length) =
            tlv_head(nd, data, &mut tptr, &mut ls_length, &TE_WORDS)?
        else {
            return Ok(None);
        };
        if tlv_type == 0 || tlv_length == 0 {
            return Ok(None);
        }
        match tlv_type {
            2 => {
                // print-ospf.c walks the sub-TLVs with the TLV's own pointer and length: the
                // walk leaves the pointer past them and the length at 0, so the step below
                // adds nothing and the LS length is not reduced by the TLV.
                if te_link_print(nd, data, &mut tptr, &mut tlv_length)?.is_none() {
                    return Ok(None);
                }
            }
            1 => {
                if tlv_length < 4 {
                    nd_print!(nd, "\n\t    TLV length {tlv_length} < 4");
                    return Ok(None);
                }
                let a = ipaddr_at(nd, data, tptr)?;
                nd_print!(nd, ", {a}");
            }
            _ => {
                if unknown(nd, data, tptr, "\n\t      ", tlv_length, nd.opts.v <= 1).is_none() {
                    return Ok(None);
                }
            }
        }
        tlv_length = tlv_length.next_multiple_of(4);
        if tlv_length > ls_length {
            nd_print!(nd, "\n\t    Bogus padded length {tlv_length} > {ls_length}");
            return Ok(None);
        }
        ls_length -= tlv_length;
        tptr += tlv_length;
    }
    Ok(Some(()))
}

/// The sub-TLVs of a TE Link TLV of `tlv_length` bytes at `tptr`.
fn te_link_print(
    nd: &mut Nd<'_>,
    data: &[u8],
    tptr: &mut usize,
    tlv_length: &mut usize,
) -> PResult<Walk> {
    while *tlv_length != 0 {
        if *tlv_length < 4 {
            nd_print!(nd, "\n\t    Remaining TLV length {tlv_length} < 4");
            return Ok(None);
        }
        let subtlv_type = get_be_u16(data, *tptr)?;
        let mut subtlv_length = usize::from(get_be_u16(data, *tptr + 2)?);
        *tptr += 4;
        *tlv_length -= 4;
        if subtlv_type == 0 || subtlv_length == 0 {
            print_invalid(nd);
            return Ok(None);
        }
        let name = tok2str(TE_LINK_SUBTLVS, "unknown", subtlv_type.into());
        nd_print!(
            nd,
            "\n\t      {name} subTLV ({subtlv_type}), length: {subtlv_length}"
        );
        if !fits(nd, *tlv_length, subtlv_length) {
            return Ok(None);
        }
        if !ttest(data, *tptr, subtlv_length) {
            return Ok(None);
        }
        match te_subtlv_print(nd, data, subtlv_type, *tptr, subtlv_length)? {
            // print-ospf.c steps over the Shared Risk Link Group values as it prints them,
            // then over the sub-TLV once more below.
            SubTlv::Ok if subtlv_type == 16 => *tptr += subtlv_length,
            SubTlv::Ok => {}
            SubTlv::Invalid => {
                print_invalid(nd);
                return Ok(None);
            }
            SubTlv::Stop => return Ok(None),
        }
        subtlv_length = subtlv_length.next_multiple_of(4);
        if !fits(nd, *tlv_length, subtlv_length) {
            return Ok(None);
        }
        *tlv_length -= subtlv_length;
        *tptr += subtlv_length;
    }
    Ok(Some(()))
}

/// Whether a sub-TLV of `len` bytes fits the `left` bytes of its TLV after its header;
/// if not, print-ospf.c's message, which counts the header in both.
fn fits(nd: &mut Nd<'_>, left: usize, len: usize) -> bool {
    if left < len {
        nd_print!(
            nd,
            "\n\t    Remaining TLV length {} < {}",
            left + 4,
            len + 4
        );
        return false;
    }
    true
}

/// How a TE link sub-TLV ended.
enum SubTlv {
    Ok,
    /// print-ospf.c's `goto invalid`.
    Invalid,
    /// A return of -1 without a mark.
    Stop,
}

/// ` != N` and `Invalid` unless the sub-TLV is `want` bytes long.
fn want_len(nd: &mut Nd<'_>, len: usize, want: usize) -> Option<SubTlv> {
    (len != want).then(|| {
        nd_print!(nd, " != {want}");
        SubTlv::Invalid
    })
}

/// One TE link sub-TLV's value.
fn te_subtlv_print(
    nd: &mut Nd<'_>,
    data: &[u8],
    kind: u16,
    tptr: usize,
    len: usize,
) -> PResult<SubTlv> {
    match kind {
        9 => {
            if let Some(bad) = want_len(nd, len, 4) {
                return Ok(bad);
            }
            nd_print!(nd, ", 0x{:08x}", get_be_u32(data, tptr)?);
        }
        2 | 11 => {
            if len != 4 && len != 8 {
                nd.print(" != 4 && != 8");
                return Ok(SubTlv::Invalid);
            }
            let a = ipaddr_at(nd, data, tptr)?;
            nd_print!(nd, ", {a} (0x{:08x})", get_be_u32(data, tptr)?);
            if len == 8 {
                let b = ipaddr_at(nd, data, tptr + 4)?;
                nd_print!(nd, ", {b} (0x{:08x})", get_be_u32(data, tptr + 4)?);
            }
        }
        3 | 4 => {
            if let Some(bad) = want_len(nd, len, 4) {
                return Ok(bad);
            }
            let a = ipaddr_at(nd, data, tptr)?;
            nd_print!(nd, ", {a}");
        }
        6 | 7 => {
            if let Some(bad) = want_len(nd, len, 4) {
                return Ok(bad);
            }
            nd.print(", ");
            mbps_print(nd, get_be_u32(data, tptr)?);
            nd.print(" Mbps");
        }
        8 => {
            if let Some(bad) = want_len(nd, len, 32) {
                return Ok(bad);
            }
            for class in 0..8 {
                nd_print!(nd, "\n\t\tTE-Class {class}: ");
                mbps_print(nd, get_be_u32(data, tptr + class * 4)?);
                nd.print(" Mbps");
            }
        }
        17 => return bw_constraints_print(nd, data, tptr, len),
        5 => {
            if let Some(bad) = want_len(nd, len, 4) {
                return Ok(bad);
            }
            nd_print!(nd, ", Metric {}", get_be_u32(data, tptr)?);
        }
        14 => {
            if let Some(bad) = want_len(nd, len, 4) {
                return Ok(bad);
            }
            let p = bittok2str(GMPLS_LINK_PROT, "none", get_u8(data, tptr)?.into());
            nd_print!(nd, ", {p}");
        }
        15 => {
            if len < 36 {
                nd.print(" < 36");
                return Ok(SubTlv::Invalid);
            }
            let cap = tok2str(GMPLS_SWITCH_CAP, "Unknown", get_u8(data, tptr)?.into());
            nd_print!(nd, "\n\t\tInterface Switching Capability: {cap}");
            let enc = tok2str(GMPLS_ENCODING, "Unknown", get_u8(data, tptr + 1)?.into());
            nd_print!(nd, "\n\t\tLSP Encoding: {enc}\n\t\tMax LSP Bandwidth:");
            for level in 0..8 {
                nd_print!(nd, "\n\t\t  priority level {level}: ");
                mbps_print(nd, get_be_u32(data, tptr + 4 + level * 4)?);
                nd.print(" Mbps");
            }
        }
        1 => {
            if let Some(bad) = want_len(nd, len, 1) {
                return Ok(bad);
            }
            let t = get_u8(data, tptr)?;
            let name = tok2str(TE_LINK_TYPES, "unknown", t.into());
            nd_print!(nd, ", {name} ({t})");
        }
        16 => {
            if len % 4 != 0 {
                nd.print(" != N x 4");
                return Ok(SubTlv::Invalid);
            }
            let count = len / 4;
            if count != 0 {
                nd.print("\n\t\t  Shared risk group: ");
            }
            for k in 0..count {
                if k > 0 {
                    nd.print(", ");
                }
                nd_print!(nd, "{}", get_be_u32(data, tptr + 4 * k)?);
            }
        }
        _ => {
            if unknown(nd, data, tptr, "\n\t\t", len, nd.opts.v <= 1).is_none() {
                return Ok(SubTlv::Stop);
            }
        }
    }
    Ok(SubTlv::Ok)
}

/// The Bandwidth Constraints sub-TLV (RFC 4124).
fn bw_constraints_print(nd: &mut Nd<'_>, data: &[u8], tptr: usize, len: usize) -> PResult<SubTlv> {
    if len < 4 {
        nd.print(" < 4");
        return Ok(SubTlv::Invalid);
    }
    let model = get_u8(data, tptr)?;
    let name = tok2str(DIFFSERV_TE_BC, "unknown", model.into());
    nd_print!(nd, "\n\t\tBandwidth Constraints Model ID: {name} ({model})");
    if len % 4 != 0 {
        nd_print!(nd, "\n\t\tlength {len} != N x 4");
        return Ok(SubTlv::Invalid);
    }
    if len > 36 {
        nd_print!(nd, "\n\t\tlength {len} > 36");
        return Ok(SubTlv::Invalid);
    }
    for class in 0..(len - 4) / 4 {
        nd_print!(nd, "\n\t\t  Bandwidth constraint CT{class}: ");
        mbps_print(nd, get_be_u32(data, tptr + 4 + class * 4)?);
        nd.print(" Mbps");
    }
    Ok(SubTlv::Ok)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capture::print::testing::{opts, with_nd};

    #[test]
    fn bandwidths_print_as_c_floats() {
        let (out, ()) = with_nd(&opts(1), |nd| {
            mbps_print(nd, 1.25e8f32.to_bits());
            nd.print(" ");
            mbps_print(nd, f32::NAN.to_bits());
            nd.print(" ");
            mbps_print(nd, f32::NEG_INFINITY.to_bits());
        });
        assert_eq!(out, "1000.000 nan -inf");
    }
}
