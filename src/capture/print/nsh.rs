//! The Network Service Header (RFC 8300, ethertype 0x894f and VXLAN-GPE's next protocol 4),
//! mirroring print-nsh.c at tcpdump-4.99.3: the base and service path headers, at `-vvv`
//! the MD type 1 context headers or the MD type 2 TLVs, then the packet the next-protocol
//! field names (IPv4, IPv6 or Ethernet).
//!
//! Must not do I/O: it only reads the captured bytes.

use super::tok::{bittok2str_nosep, tok2str, Tok};
use super::util::{get_be_u24, print_invalid, tcheck};
use super::{ether, get_be_u16, get_be_u32, get_u8, ip, ip6, Nd, PResult};
use crate::nd_print;

/// The ethertype that carries it.
pub const ETHERTYPE_NSH: u16 = 0x894f;

/// The base header and the service path header.
const BASE_HDR_LEN: u32 = 4;
const SERVICE_PATH_HDR_LEN: u32 = 4;
/// The unit of the length field.
const WORD: u32 = 4;

const MD_TYPE1: u32 = 0x01;
const MD_TYPE2: u32 = 0x02;

/// print-nsh.c `nsh_flags`.
static FLAGS: [Tok; 1] = [(0x2, "O")];

/// Metadata types (print-nsh.c `md_str`).
static MD_TYPES: [Tok; 4] = [
    (0x00, "reserved"),
    (MD_TYPE1, "1"),
    (MD_TYPE2, "2"),
    (0x0f, "experimental"),
];

/// Next protocols (print-nsh.c `np_str`).
static NEXT_PROTOCOLS: [Tok; 7] = [
    (0x01, "IPv4"),
    (0x02, "IPv6"),
    (0x03, "Ethernet"),
    (0x04, "NSH"),
    (0x05, "MPLS"),
    (0xfe, "Experiment 1"),
    (0xff, "Experiment 2"),
];

/// Print the NSH headers at `data` and the packet after them; `len` is the on-wire length
/// from the base header (`nsh_print`).
pub fn print(nd: &mut Nd<'_>, data: &[u8], len: u32) -> PResult {
    nd.protocol = "nsh";
    let min = BASE_HDR_LEN + SERVICE_PATH_HDR_LEN;
    if len < min {
        nd_print!(nd, " (packet length {len} < {min})");
        print_invalid(nd);
        return Ok(());
    }
    let base = get_be_u32(data, 0)?;
    let ver = (base >> 30) & 0x3;
    let length = (base >> 16) & 0x3f;
    let md_type = (base >> 8) & 0xf;
    let next_protocol = base & 0xff;
    nd.print("NSH, ");
    if nd.opts.v > 1 {
        nd_print!(nd, "ver {ver}, ");
    }
    if ver != 0 {
        return Ok(());
    }
    let flags = (base >> 28) & 0x3;
    nd_print!(nd, "flags [{}], ", bittok2str_nosep(&FLAGS, "none", flags));
    if nd.opts.v > 2 {
        nd_print!(
            nd,
            "TTL {}, length {length}, md type {}, ",
            (base >> 22) & 0x3f,
            tok2str(&MD_TYPES, "unknown (0x%02x)", md_type)
        );
    }
    if nd.opts.v > 1 {
        nd_print!(
            nd,
            "next-protocol {}, ",
            tok2str(&NEXT_PROTOCOLS, "unknown (0x%02x)", next_protocol)
        );
    }
    if len < length * WORD {
        nd_print!(nd, " (too many headers for packet length {len})");
        print_invalid(nd);
        return Ok(());
    }
    let spi = get_be_u24(data, 4)?;
    nd_print!(nd, "service-path-id 0x{spi:06x}, ");
    let si = get_u8(data, 7)?;
    nd_print!(nd, "service-index 0x{si:x}");
    if length < 2 {
        nd.print(" (less than two headers)");
        print_invalid(nd);
        return Ok(());
    }
    let at = (BASE_HDR_LEN + SERVICE_PATH_HDR_LEN) as usize;
    let context_len = ((length - 2) * WORD) as usize;
    let past_headers = match md_type {
        _ if nd.opts.v <= 2 => false,
        MD_TYPE1 => {
            if length != 6 {
                nd.print(" (invalid length for the MD type)");
                print_invalid(nd);
                return Ok(());
            }
            for n in 0..length - 2 {
                let word = get_be_u32(data, at + (n * WORD) as usize)?;
                nd_print!(nd, "\n        Context[{n:02}]: 0x{word:08x}");
            }
            true
        }
        MD_TYPE2 => {
            if !md2_print(nd, data, at, length - 2)? {
                print_invalid(nd);
                return Ok(());
            }
            true
        }
        _ => false,
    };
    if !past_headers {
        tcheck(data, at, context_len)?;
    }
    nd.print(if nd.opts.v > 0 { "\n    " } else { ": " });
    let body = data.get(at + context_len..).unwrap_or(&[]);
    let next_len = len - length * WORD;
    match next_protocol {
        0x01 => ip::print(nd, body, next_len),
        0x02 => ip6::print(nd, body, next_len),
        0x03 => ether::print_encapsulated(nd, body, next_len),
        _ => {
            nd.print("ERROR: unknown-next-protocol");
            Ok(())
        }
    }
}

/// The MD type 2 TLVs in the `words` words of context headers at `at`; `false` after
/// ` (length too big)`.
fn md2_print(nd: &mut Nd<'_>, data: &[u8], mut at: usize, words: u32) -> PResult<bool> {
    let mut n = 0;
    while n < words {
        let class = get_be_u16(data, at)?;
        let kind = get_u8(data, at + 2)?;
        let len = get_u8(data, at + 3)? & 0x7f;
        at += 4;
        let padded = u32::from(len).next_multiple_of(WORD);
        nd_print!(nd, "\n        TLV Class {class}, Type {kind}, Len {len}");
        n += 1;
        if words < n + padded / WORD {
            nd.print(" (length too big)");
            return Ok(false);
        }
        if len > 0 {
            nd.print("\n            Value: ");
            let mut sep = "0x";
            for _ in 0..len {
                let b = get_u8(data, at)?;
                nd_print!(nd, "{sep}{b:02x}");
                at += 1;
                sep = ":";
            }
            // The padding up to the next word.
            let pad = (padded - u32::from(len)) as usize;
            tcheck(data, at, pad)?;
            at += pad;
            n += padded / WORD;
        }
    }
    Ok(true)
}

#[cfg(test)]
#[allow(clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::capture::print::testing::run;
    use crate::capture::print::Trunc;

    /// MD type 2, length 5, IPv4 next: one TLV of five bytes (two words), then a cut IPv4
    /// header.
    fn md2() -> Vec<u8> {
        let mut d = vec![0x20, 0x05, 0x02, 0x01, 0x00, 0x03, 0x09, 0x07];
        d.extend([0, 1, 2, 5, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0, 0, 0]);
        d.extend([0x45, 0]);
        d
    }

    /// The text at verbosity `v` and on-wire length `len` holds each of `parts`.
    fn prints(d: &[u8], len: u32, v: u8, parts: &[&str]) {
        let (out, _) = run(print, d, len, v);
        for part in parts {
            assert!(out.contains(part), "{part:?} in {out}");
        }
    }

    #[test]
    fn verbosity_levels() {
        let d = md2();
        let (out, _) = run(print, &d, 60, 0);
        assert_eq!(
            out,
            "NSH, flags [O], service-path-id 0x000309, service-index 0x7: IP  [|ip]"
        );
        prints(&d, 60, 2, &["NSH, ver 0, flags [O], next-protocol IPv4, "]);
        let tlv = "\n        TLV Class 1, Type 2, Len 5\n            Value: 0xaa:bb:cc:dd:ee\n    ";
        prints(&d, 60, 3, &["TTL 0, length 5, md type 2, ", tlv]);
    }

    #[test]
    fn bad_lengths_are_invalid() {
        let mut d = md2();
        d[2] = 1; // MD type 1 in five words
        prints(&d, 60, 3, &[" (invalid length for the MD type) (invalid)"]);
        prints(
            &d,
            12,
            0,
            &[" (too many headers for packet length 12) (invalid)"],
        );
        let (out, _) = run(print, &d, 7, 0);
        assert_eq!(out, " (packet length 7 < 8) (invalid)");
        d[0] = 0x40;
        let (out, _) = run(print, &d, 60, 2);
        assert_eq!(out, "NSH, ver 1, ");
    }

    #[test]
    fn every_prefix_unwinds() {
        let d = md2();
        for cut in 0..20 {
            for v in [0, 3] {
                let (_, r) = run(print, &d[..cut], 60, v);
                assert_eq!(r, Err(Trunc), "cut {cut} -v{v}");
            }
        }
    }

    crate::arbitrary_bytes_never_panic!(print);
}
