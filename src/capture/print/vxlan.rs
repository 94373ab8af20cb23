//! VXLAN (RFC 7348), mirroring print-vxlan.c at tcpdump-4.99.3: the flags and the VXLAN
//! network identifier, then the Ethernet frame it carries.
//!
//! Must not do I/O: it only reads the captured bytes.

use super::tok::{bittok2str_nosep, Tok};
use super::util::{get_be_u24, print_invalid, tcheck};
use super::{ether, get_u8, Nd, PResult};
use crate::nd_print;

/// The header: flags, 24 reserved bits, the VNI and 8 reserved bits.
const HDR_LEN: u32 = 8;

/// print-vxlan.c `vxlan_flags`: only the I bit has a name.
const FLAGS: [Tok; 1] = [(0x08, "I")];

/// Print the VXLAN header at `data` and the frame after it; `len` is the UDP payload's
/// length (print-vxlan.c `vxlan_print`).
pub fn print(nd: &mut Nd<'_>, data: &[u8], len: u32) -> PResult {
    nd.protocol = "vxlan";
    nd.print("VXLAN");
    if len < HDR_LEN {
        print_invalid(nd);
        return Ok(());
    }
    let flags = get_u8(data, 0)?;
    nd_print!(
        nd,
        ", flags [{}] (0x{flags:02x}), ",
        bittok2str_nosep(&FLAGS, "invalid", u32::from(flags))
    );
    let vni = get_be_u24(data, 4)?;
    nd_print!(nd, "vni {vni}\n");
    tcheck(data, 7, 1)?;
    let frame = data.get(HDR_LEN as usize..).unwrap_or(&[]);
    ether::print_encapsulated(nd, frame, len - HDR_LEN)
}

#[cfg(test)]
#[allow(clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::capture::print::testing::{opts, with_nd};

    /// VNI 0x123456 with the I flag, carrying the first bytes of an Ethernet header.
    const PKT: [u8; 10] = [0x08, 0, 0, 0, 0x12, 0x34, 0x56, 0, 0xff, 0xff];

    #[test]
    fn header_then_the_frame() {
        let (out, r) = with_nd(&opts(0), |nd| print(nd, &PKT, 30));
        assert_eq!(r, Ok(()));
        assert!(
            out.starts_with("VXLAN, flags [I] (0x08), vni 1193046\n"),
            "{out}"
        );
    }

    #[test]
    fn short_lengths_are_invalid_and_short_captures_unwind() {
        let (out, _) = with_nd(&opts(0), |nd| print(nd, &PKT, 7));
        assert_eq!(out, "VXLAN (invalid)");
        for cut in 0..8 {
            let (_, r) = with_nd(&opts(0), |nd| print(nd, &PKT[..cut], 30));
            assert!(r.is_err(), "cut {cut}");
        }
    }

    crate::arbitrary_bytes_never_panic!(print);
}
