//! Broadcom lawful-intercept shim (print-bcm-li.c at tcpdump-4.99.3): a 4-byte header with
//! direction, packet type and subtype and the intercept id, sent from UDP port 49152; with
//! `-v` the intercepted Ethernet frame or IP packet after it.
//!
//! Must not do I/O: it only reads the captured bytes.

use super::tok::{tok2str, Tok};
use super::util::{print_invalid, tcheck};
use super::{ether, get_be_u32, get_u8, ip, ip6, Nd, PResult};
use crate::nd_print;

/// The shim's length (print-bcm-li.c `BCM_LI_SHIM_LEN`).
const SHIM_LEN: u32 = 4;

/// print-bcm-li.c `bcm_li_direction_values`.
const DIRECTIONS: [Tok; 3] = [(1, "unused"), (2, "egress"), (3, "ingress")];

const PKT_TYPE_UNDECIDED: u32 = 4;
const PKT_TYPE_IPV4: u32 = 5;
const PKT_TYPE_IPV6: u32 = 6;
const PKT_TYPE_ETHERNET: u32 = 7;

/// print-bcm-li.c `bcm_li_pkt_type_values`.
const PKT_TYPES: [Tok; 4] = [
    (PKT_TYPE_UNDECIDED, "undecided"),
    (PKT_TYPE_IPV4, "ipv4"),
    (PKT_TYPE_IPV6, "ipv6"),
    (PKT_TYPE_ETHERNET, "ethernet"),
];

/// print-bcm-li.c `bcm_li_pkt_subtype_values`.
const PKT_SUBTYPES: [Tok; 3] = [
    (1, "single VLAN tag"),
    (2, "double VLAN tag"),
    (3, "untagged"),
];

/// Print the shim at `data` (`len` bytes on the wire) and, with `-v`, what it carries
/// (`bcm_li_print`).
pub fn print(nd: &mut Nd<'_>, data: &[u8], len: u32) -> PResult {
    nd.protocol = "bcm_li";
    if len < SHIM_LEN {
        nd_print!(nd, " (length {len} < {SHIM_LEN})");
        print_invalid(nd);
        return Ok(());
    }
    let shim = get_be_u32(data, 0)?;
    let direction = (shim >> 29) & 0x7;
    let pkt_type = (shim >> 25) & 0xf;
    let pkt_subtype = (shim >> 22) & 0x7;
    let li_id = shim & 0x3f_ffff;
    let body = data.get(SHIM_LEN as usize..).unwrap_or(&[]);
    let length = len - SHIM_LEN;
    let sep = if nd.opts.v > 0 { "\n    " } else { "" };
    nd_print!(
        nd,
        "{sep}BCM-LI-SHIM: direction {}, pkt-type {}, pkt-subtype {}, li-id {li_id}{sep}",
        tok2str(&DIRECTIONS, "unknown", direction),
        tok2str(&PKT_TYPES, "unknown", pkt_type),
        tok2str(&PKT_SUBTYPES, "unknown", pkt_subtype),
    );
    if nd.opts.v == 0 {
        return tcheck(body, 0, length as usize);
    }
    match pkt_type {
        PKT_TYPE_ETHERNET => ether::print_encapsulated(nd, body, length),
        PKT_TYPE_IPV4 => ip::print(nd, body, length),
        PKT_TYPE_IPV6 => ip6::print(nd, body, length),
        PKT_TYPE_UNDECIDED => match get_u8(body, 0)? >> 4 {
            4 => ip::print(nd, body, length),
            6 => ip6::print(nd, body, length),
            _ => {
                nd.print("unknown payload");
                Ok(())
            }
        },
        _ => {
            print_invalid(nd);
            Ok(())
        }
    }
}

#[cfg(test)]
#[allow(clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::capture::print::testing::{opts, with_nd};

    /// Ingress, undecided, double VLAN tag, li-id 66666, then a byte that is not IP.
    const PKT: [u8; 5] = [0x68, 0x81, 0x04, 0x6a, 0x00];

    #[test]
    fn the_shim_then_the_payload_with_v() {
        let (out, r) = with_nd(&opts(0), |nd| print(nd, &PKT, 5));
        assert_eq!(r, Ok(()));
        assert_eq!(
            out,
            "BCM-LI-SHIM: direction ingress, pkt-type undecided, pkt-subtype double VLAN tag, li-id 66666"
        );
        let (out, _) = with_nd(&opts(1), |nd| print(nd, &PKT, 5));
        assert!(out.ends_with("li-id 66666\n    unknown payload"), "{out}");
    }

    #[test]
    fn short_lengths_are_invalid_and_short_captures_unwind() {
        let (out, _) = with_nd(&opts(0), |nd| print(nd, &PKT, 3));
        assert_eq!(out, " (length 3 < 4) (invalid)");
        for cut in 0..4 {
            let (_, r) = with_nd(&opts(0), |nd| print(nd, &PKT[..cut], 5));
            assert!(r.is_err(), "cut {cut}");
        }
        let (_, r) = with_nd(&opts(0), |nd| print(nd, &PKT, 9));
        assert!(r.is_err());
    }

    crate::arbitrary_bytes_never_panic!(print);
}
