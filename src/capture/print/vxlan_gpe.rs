//! The Generic Protocol Extension for VXLAN (draft-ietf-nvo3-vxlan-gpe, UDP port 4790),
//! mirroring print-vxlan-gpe.c at tcpdump-4.99.3: the flags and the VNI, then the packet the
//! next-protocol field names (IPv4, IPv6, Ethernet or NSH).
//!
//! Must not do I/O: it only reads the captured bytes.

use super::tok::{bittok2str_nosep, Tok};
use super::util::{get_be_u24, print_invalid, tcheck};
use super::{ether, get_u8, ip, ip6, nsh, Nd, PResult};
use crate::nd_print;

/// Flags, 16 reserved bits, next protocol, the VNI and 8 reserved bits.
const HDR_LEN: u32 = 8;

/// print-vxlan-gpe.c `vxlan_gpe_flags`.
static FLAGS: [Tok; 4] = [(0x08, "I"), (0x04, "P"), (0x02, "B"), (0x01, "O")];

/// Print the VXLAN-GPE header at `data` and the packet after it; `len` is the UDP payload's
/// length (`vxlan_gpe_print`).
pub fn print(nd: &mut Nd<'_>, data: &[u8], len: u32) -> PResult {
    nd.protocol = "vxlan_gpe";
    nd.print("VXLAN-GPE, ");
    if len < HDR_LEN {
        nd_print!(nd, " (len {len} < {HDR_LEN})");
        print_invalid(nd);
        return Ok(());
    }
    let flags = get_u8(data, 0)?;
    nd_print!(
        nd,
        "flags [{}], ",
        bittok2str_nosep(&FLAGS, "none", u32::from(flags))
    );
    let next_protocol = get_u8(data, 3)?;
    let vni = get_be_u24(data, 4)?;
    tcheck(data, 7, 1)?;
    nd_print!(nd, "vni {vni}");
    nd.print(if nd.opts.v > 0 { "\n    " } else { ": " });
    let body = data.get(HDR_LEN as usize..).unwrap_or(&[]);
    let len = len - HDR_LEN;
    match next_protocol {
        1 => ip::print(nd, body, len),
        2 => ip6::print(nd, body, len),
        3 => ether::print_encapsulated(nd, body, len),
        4 => nsh::print(nd, body, len),
        _ => {
            nd.print("ERROR: unknown-next-protocol");
            print_invalid(nd);
            Ok(())
        }
    }
}

#[cfg(test)]
#[allow(clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::capture::print::testing::run;

    /// VNI 0x123456 with the I and P flags, carrying an NSH header cut short.
    const PKT: [u8; 12] = [0x0c, 0, 0, 4, 0x12, 0x34, 0x56, 0, 0, 0x06, 0x01, 0x01];

    #[test]
    fn header_then_the_next_protocol() {
        let (out, r) = run(print, &PKT, 40, 0);
        assert_eq!(r, Err(crate::capture::print::Trunc));
        assert_eq!(
            out,
            "VXLAN-GPE, flags [IP], vni 1193046: NSH, flags [none], "
        );
        let mut d = PKT;
        d[3] = 9;
        let (out, r) = run(print, &d, 40, 1);
        assert_eq!(r, Ok(()));
        assert!(
            out.ends_with("vni 1193046\n    ERROR: unknown-next-protocol (invalid)"),
            "{out}"
        );
    }

    #[test]
    fn short_lengths_are_invalid_and_short_captures_unwind() {
        let (out, _) = run(print, &PKT, 7, 0);
        assert_eq!(out, "VXLAN-GPE,  (len 7 < 8) (invalid)");
        for cut in 0..8 {
            let (_, r) = run(print, &PKT[..cut], 30, 0);
            assert!(r.is_err(), "cut {cut}");
        }
    }

    crate::arbitrary_bytes_never_panic!(print);
}
