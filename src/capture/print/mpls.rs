//! MPLS (RFC 3032), mirroring print-mpls.c at tcpdump-4.99.3: the label stack, then the
//! payload, whose protocol is guessed from the bottom label or the first payload byte.
//!
//! OSI payloads (CLNP, ES-IS, IS-IS), for which tcpdump has a printer and echolab has none,
//! are dumped as unknown payload.
//!
//! Must not do I/O: it only reads the captured bytes.

use super::util::{default_print_on, print_invalid, print_trunc, tcheck};
use super::{get_be_u32, get_u8, hexdump, ip, ip6, Nd, PResult};
use crate::nd_print;

/// The names of the reserved labels 0-15 tcpdump gives at `-v` (print-mpls.c
/// `mpls_labelname`); `None` above them.
fn label_name(label: u32) -> Option<&'static str> {
    Some(match label {
        0 => "IPv4 explicit NULL",
        1 => "router alert",
        2 => "IPv6 explicit NULL",
        3 => "implicit NULL",
        4..=15 => "rsvd",
        _ => return None,
    })
}

/// What the payload is taken for (print-mpls.c `enum mpls_packet_type`).
enum Payload {
    Unknown,
    Ipv4,
    Ipv6,
    Osi,
}

/// Print the label stack at `data` and what follows it; `length` is the on-wire length
/// from there (print-mpls.c `mpls_print`).
pub fn print(nd: &mut Nd<'_>, data: &[u8], length: u32) -> PResult {
    nd.protocol = "mpls";
    nd.print("MPLS");
    let (mut at, mut length) = (0usize, length);
    let mut depth = 0u32;
    let label = loop {
        if length < 4 {
            print_invalid(nd);
            return tcheck(data, at, length as usize);
        }
        let entry = get_be_u32(data, at)?;
        let label = entry >> 12;
        let sep = if depth > 0 && nd.opts.v > 0 {
            "\n\t"
        } else {
            " "
        };
        nd_print!(nd, "{sep}(label {label}");
        depth += 1;
        if nd.opts.v > 0 {
            if let Some(name) = label_name(label) {
                nd_print!(nd, " ({name})");
            }
        }
        nd_print!(nd, ", tc {}", (entry >> 9) & 7);
        let bottom = entry & 0x100 != 0;
        if bottom {
            nd.print(", [S]");
        }
        nd_print!(nd, ", ttl {})", entry & 0xff);
        at += 4;
        length -= 4;
        if bottom {
            break label;
        }
    };
    let payload = data.get(at..).unwrap_or(&[]);
    let kind = match label {
        0 | 3 => Payload::Ipv4,
        2 => Payload::Ipv6,
        _ => {
            if length < 1 {
                return Ok(());
            }
            match get_u8(data, at)? {
                0x45..=0x4f => Payload::Ipv4,
                0x60..=0x6f => Payload::Ipv6,
                0x81..=0x83 => Payload::Osi,
                _ => Payload::Unknown,
            }
        }
    };
    if !matches!(kind, Payload::Unknown) {
        nd.print(if nd.opts.v > 0 { "\n\t" } else { " " });
    }
    match kind {
        Payload::Ipv4 => ip::print(nd, payload, length),
        Payload::Ipv6 => ip6::print(nd, payload, length),
        Payload::Unknown | Payload::Osi => {
            if default_print_on(nd) {
                defaultprint_len(nd, payload, length);
            }
            Ok(())
        }
    }
}

/// tcpdump's `ND_DEFAULTPRINT(p, length)`: hex and ASCII of `length` bytes, or of what was
/// captured and ` [|mpls]` when the capture ends first (print-ascii.c
/// `hex_and_ascii_print_with_offset`).
fn defaultprint_len(nd: &mut Nd<'_>, payload: &[u8], length: u32) {
    let shown = payload.get(..length as usize).unwrap_or(payload);
    hexdump::hex_and_ascii(nd.out, shown);
    if shown.len() < length as usize {
        print_trunc(nd);
    }
}

#[cfg(test)]
#[allow(clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::capture::print::testing::{opts, with_nd};

    /// Two labels, 1 then the bottom label 16, then an unknown byte.
    const STACK: [u8; 9] = [0x00, 0x00, 0x1a, 0x40, 0x00, 0x01, 0x03, 0x3f, 0x00];

    #[test]
    fn a_stack_at_each_verbosity() {
        let (out, _) = with_nd(&opts(0), |nd| print(nd, &STACK[..8], 8));
        assert_eq!(
            out,
            "MPLS (label 1, tc 5, ttl 64) (label 16, tc 1, [S], ttl 63)"
        );
        let (out, _) = with_nd(&opts(1), |nd| print(nd, &STACK, 9));
        assert!(
            out.starts_with("MPLS (label 1 (router alert), tc 5, ttl 64)\n\t(label 16"),
            "{out}"
        );
    }

    #[test]
    fn a_short_length_is_invalid() {
        let (out, r) = with_nd(&opts(0), |nd| print(nd, &STACK, 6));
        assert_eq!(out, "MPLS (label 1, tc 5, ttl 64) (invalid)");
        assert_eq!(r, Ok(()));
        let (_, r) = with_nd(&opts(0), |nd| print(nd, &STACK[..3], 8));
        assert!(r.is_err());
    }

    crate::arbitrary_bytes_never_panic!(print);
}
