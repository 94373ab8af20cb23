//! IPsec headers as the demultiplexer meets them: the authentication header (print-ah.c),
//! ESP without secrets to decrypt with (print-esp.c) and IPComp (print-ipcomp.c), at
//! tcpdump-4.99.3.
//!
//! Must not do I/O: it only reads the captured bytes.

use super::util::print_trunc;
use super::{get_be_u16, get_be_u32, get_u8, Nd, PResult};
use crate::nd_print;

/// An authentication header (RFC 4302; print-ah.c `ah_print` at tcpdump-4.99.3): its length
/// in bytes, to step over.
pub fn print_ah(nd: &mut Nd<'_>, data: &[u8]) -> PResult<usize> {
    nd.protocol = "ah";
    nd.print("AH");
    let ah_len = get_u8(data, 1)?;
    let hdr_len = (usize::from(ah_len) + 2) * 4;
    nd.print("(");
    if nd.opts.v > 0 {
        nd_print!(nd, "length={ah_len}({hdr_len}-bytes),");
    }
    let reserved = get_be_u16(data, 2)?;
    if reserved != 0 {
        nd_print!(nd, "reserved=0x{reserved:x}[MustBeZero],");
    }
    nd_print!(nd, "spi=0x{:08x},", get_be_u32(data, 4)?);
    nd_print!(nd, "seq=0x{:x},", get_be_u32(data, 8)?);
    nd.print("icv=0x");
    for at in 12..hdr_len {
        nd_print!(nd, "{:02x}", get_u8(data, at)?);
    }
    nd.print("): ");
    Ok(hdr_len)
}

/// An ESP header (RFC 4303; print-esp.c `esp_print` at tcpdump-4.99.3, without secrets to
/// decrypt with): the SPI, sequence number and length.
pub fn print_esp(nd: &mut Nd<'_>, data: &[u8], len: u32) -> PResult {
    nd.protocol = "esp";
    if data.len() <= 8 {
        print_trunc(nd);
        return Ok(());
    }
    nd_print!(nd, "ESP(spi=0x{:08x}", get_be_u32(data, 0)?);
    nd_print!(nd, ",seq=0x{:x})", get_be_u32(data, 4)?);
    nd_print!(nd, ", length {len}");
    Ok(())
}

/// An IPComp header (RFC 3173): its compression parameter index; the compressed payload is
/// not printed.
pub fn print_ipcomp(nd: &mut Nd<'_>, data: &[u8]) -> PResult {
    nd.protocol = "ipcomp";
    let cpi = get_be_u16(data, 2)?;
    nd_print!(nd, "IPComp(cpi=0x{cpi:04x})");
    Ok(())
}

#[cfg(test)]
#[allow(clippy::indexing_slicing, clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::capture::print::testing;
    use proptest::prelude::*;

    /// An authentication header: next header UDP, 24 bytes (length field 4), SPI 0x1000,
    /// sequence 1, a 12-byte ICV.
    const AH: [u8; 24] = [
        17, 4, 0, 0, // next header, length (4 + 2 words), reserved
        0x00, 0x00, 0x10, 0x00, // SPI
        0x00, 0x00, 0x00, 0x01, // sequence
        1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, // ICV
    ];

    fn with_nd<T>(v: u8, f: impl FnOnce(&mut Nd<'_>) -> T) -> (String, T) {
        testing::with_nd(&testing::opts(v), f)
    }

    #[test]
    fn authentication_header_length_comes_from_its_field() {
        assert_eq!(with_nd(0, |nd| print_ah(nd, &AH)).1, Ok(24));
        // The ICV is read up to the length the field gives: a cut inside it unwinds.
        for cut in 0..AH.len() {
            assert!(
                with_nd(1, |nd| print_ah(nd, &AH[..cut])).1.is_err(),
                "cut {cut}"
            );
        }
    }

    #[test]
    fn esp_needs_more_than_its_header() {
        let esp = [0, 0, 0x20, 0, 0, 0, 0, 7, 0xaa];
        assert_eq!(with_nd(0, |nd| print_esp(nd, &esp, 9)).1, Ok(()));
        let (text, r) = with_nd(0, |nd| print_esp(nd, &esp[..8], 9));
        assert_eq!(r, Ok(()));
        assert!(!text.contains("spi"), "{text}");
    }

    proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(data in proptest::collection::vec(any::<u8>(), 0..64)) {
            let _ = with_nd(1, |nd| print_ah(nd, &data));
            let _ = with_nd(1, |nd| print_esp(nd, &data, 64));
            let _ = with_nd(1, |nd| print_ipcomp(nd, &data));
        }
    }
}
