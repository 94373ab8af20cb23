//! Geneve (RFC 8926), mirroring print-geneve.c at tcpdump-4.99.3: the fixed header, the
//! options (decoded at `-v`, their data words at `-vv`) and the payload by its protocol type.
//!
//! Must not do I/O: it only reads the captured bytes.

use super::tok::{bittok2str_nosep, ethertype_name, Tok};
use super::util::{get_be_u24, print_invalid, print_trunc, ttest};
use super::{ether, get_be_u16, get_be_u32, get_u8, Nd, PResult};
use crate::nd_print;

/// Transparent Ethernet bridging: the payload is an Ethernet frame.
const ETHERTYPE_TEB: u16 = 0x6558;

/// print-geneve.c `geneve_flag_values`.
const FLAGS: [Tok; 8] = [
    (0x80, "O"),
    (0x40, "C"),
    (0x20, "R1"),
    (0x10, "R2"),
    (0x08, "R3"),
    (0x04, "R4"),
    (0x02, "R5"),
    (0x01, "R6"),
];

/// The option class name (print-geneve.c `format_opt_class`).
fn opt_class_name(class: u16) -> &'static str {
    match class {
        0x0100 => "Linux",
        0x0101 => "Open vSwitch",
        0x0102 => "Open Virtual Networking (OVN)",
        0x0103 => "In-band Network Telemetry (INT)",
        0x0104 => "VMware",
        0..=0x00ff => "Standard",
        0xfff0.. => "Experimental",
        _ => "Unknown",
    }
}

/// Print the Geneve header at `data` and its payload; `len` is the UDP payload's length
/// (print-geneve.c `geneve_print`).
pub fn print(nd: &mut Nd<'_>, data: &[u8], len: u32) -> PResult {
    nd.protocol = "geneve";
    nd.print("Geneve");
    if len < 8 {
        nd_print!(nd, " [length {len} < 8]");
        print_invalid(nd);
        return Ok(());
    }
    if !ttest(data, 0, 8) {
        print_trunc(nd);
        return Ok(());
    }
    let ver_opt = get_u8(data, 0)?;
    let version = ver_opt >> 6;
    if version != 0 {
        nd_print!(nd, " ERROR: unknown-version {version}");
        return Ok(());
    }
    let flags = get_u8(data, 1)?;
    let prot = get_be_u16(data, 2)?;
    let vni = get_be_u24(data, 4)?;
    let reserved = get_u8(data, 7)?;
    nd_print!(
        nd,
        ", Flags [{}]",
        bittok2str_nosep(&FLAGS, "none", u32::from(flags))
    );
    nd_print!(nd, ", vni 0x{vni:x}");
    if reserved != 0 {
        nd_print!(nd, ", rsvd 0x{reserved:x}");
    }
    if nd.opts.e > 0 {
        let name = ethertype_name(prot).unwrap_or("unknown");
        nd_print!(nd, ", proto {name} (0x{prot:04x})");
    }
    let len = len - 8;
    let opts_len = u32::from(ver_opt & 0x3f) * 4;
    if len < opts_len {
        nd_print!(nd, " truncated-geneve - {} bytes missing", opts_len - len);
        return Ok(());
    }
    if !ttest(data, 8, opts_len as usize) {
        print_trunc(nd);
        return Ok(());
    }
    if opts_len > 0 {
        nd.print(", options [");
        if nd.opts.v > 0 {
            opts_print(nd, data, 8, opts_len)?;
        } else {
            nd_print!(nd, "{opts_len} bytes");
        }
        nd.print("]");
    }
    nd.print(if nd.opts.v < 1 { ": " } else { "\n\t" });
    let at = 8 + opts_len as usize;
    let payload = data.get(at..).unwrap_or(&[]);
    let len = len - opts_len;
    if !ether::ethertype_print(nd, prot, payload, len as usize)? {
        if prot == ETHERTYPE_TEB {
            ether::print_encapsulated(nd, payload, len)?;
        } else {
            nd_print!(nd, "geneve-proto-0x{prot:x}");
        }
    }
    Ok(())
}

/// The options, `len` bytes from `at` (print-geneve.c `geneve_opts_print`).
fn opts_print(nd: &mut Nd<'_>, data: &[u8], mut at: usize, mut len: u32) -> PResult {
    let mut sep = "";
    while len > 0 {
        nd.print(sep);
        sep = ", ";
        let class = get_be_u16(data, at)?;
        let opt_type = get_u8(data, at + 2)?;
        let opt_len = 4 + u32::from(get_u8(data, at + 3)? & 0x1f) * 4;
        let critical = if opt_type & 0x80 != 0 { "(C)" } else { "" };
        nd_print!(
            nd,
            "class {} (0x{class:x}) type 0x{opt_type:x}{critical} len {opt_len}",
            opt_class_name(class)
        );
        if opt_len > len {
            nd.print(" [bad length]");
            return Ok(());
        }
        if nd.opts.v > 1 && opt_len > 4 {
            nd.print(" data");
            for i in (4..opt_len as usize).step_by(4) {
                nd_print!(nd, " {:08x}", get_be_u32(data, at + i)?);
            }
        }
        at += opt_len as usize;
        len -= opt_len;
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::capture::print::testing::{opts, with_nd};

    /// One 8-byte option of class Linux, critical type 0x81, then an unknown protocol.
    const PKT: [u8; 16] = [
        0x02, 0x40, 0x12, 0x34, 0, 0, 0x0b, 0, // 2 option words, C flag, proto, VNI 11
        0x01, 0x00, 0x81, 0x01, 0xde, 0xad, 0xbe, 0xef, // option
    ];

    #[test]
    fn options_at_each_verbosity() {
        let (out, _) = with_nd(&opts(0), |nd| print(nd, &PKT, 16));
        assert_eq!(
            out,
            "Geneve, Flags [C], vni 0xb, options [8 bytes]: geneve-proto-0x1234"
        );
        let (out, _) = with_nd(&opts(2), |nd| print(nd, &PKT, 16));
        assert!(
            out.contains("class Linux (0x100) type 0x81(C) len 8 data deadbeef]"),
            "{out}"
        );
    }

    #[test]
    fn short_lengths_and_captures() {
        let (out, _) = with_nd(&opts(1), |nd| print(nd, &PKT, 12));
        assert!(out.ends_with("truncated-geneve - 4 bytes missing"), "{out}");
        let (out, _) = with_nd(&opts(1), |nd| print(nd, &PKT[..12], 16));
        assert!(out.ends_with(" [|geneve]"), "{out}");
    }

    crate::arbitrary_bytes_never_panic!(print);
}
