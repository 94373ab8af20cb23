//! Solaris ipnet (print-ipnet.c at tcpdump-4.99.3): a 24-byte header with the address
//! family and the source and destination zones, then an IPv4 or IPv6 packet.
//!
//! Must not do I/O: it only reads the captured bytes.

use super::tok::{tok2str, Tok};
use super::{get_be_u32, get_u8, ip, ip6, tcheck, util, Nd, PResult};
use crate::nd_print;

/// The header's length (print-ipnet.c `ipnet_hdr_t`).
const HDR_LEN: usize = 24;
const AF_INET: u8 = 2;
const AF_INET6: u8 = 26;
/// print-ipnet.c `ipnet_values`.
const FAMILIES: [Tok; 2] = [(AF_INET as u32, "IPv4"), (AF_INET6 as u32, "IPv6")];

/// `ZSRC > ZDST, family NAME (N), length N: ` (print-ipnet.c `ipnet_hdr_print`).
fn hdr_print(nd: &mut Nd<'_>, data: &[u8], length: u32) -> PResult {
    let (zsrc, zdst) = (get_be_u32(data, 16)?, get_be_u32(data, 20)?);
    nd_print!(nd, "{zsrc} > {zdst}");
    let family = u32::from(get_u8(data, 1)?);
    if nd.opts.q == 0 {
        nd_print!(
            nd,
            ", family {} ({family})",
            tok2str(&FAMILIES, "Unknown", family)
        );
    } else {
        nd_print!(
            nd,
            ", {}",
            tok2str(&FAMILIES, "Unknown Ethertype (0x%04x)", family)
        );
    }
    nd_print!(nd, ", length {length}: ");
    Ok(())
}

/// DLT_IPNET (print-ipnet.c `ipnet_if_print`).
pub fn if_print(nd: &mut Nd<'_>, data: &[u8], len: u32) -> PResult {
    nd.protocol = "ipnet";
    tcheck(data, 0, HDR_LEN)?;
    nd.ll_hdr_len += HDR_LEN;
    if nd.opts.e > 0 {
        hdr_print(nd, data, len)?;
    }
    let body = data.get(HDR_LEN..).unwrap_or(&[]);
    let length = len.saturating_sub(HDR_LEN as u32);
    match get_u8(data, 1)? {
        AF_INET => ip::print(nd, body, length),
        AF_INET6 => ip6::print(nd, body, length),
        _ => {
            if nd.opts.e == 0 {
                hdr_print(nd, data, len)?;
            }
            util::default_print(nd, body);
            Ok(())
        }
    }
}

#[cfg(test)]
#[allow(clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::capture::print::testing::with_nd;
    use crate::capture::print::PrintOptions;

    #[test]
    fn an_unknown_family_prints_the_header() {
        let mut hdr = [0u8; HDR_LEN];
        hdr[1] = 9;
        hdr[16..20].copy_from_slice(&7u32.to_be_bytes());
        let o = PrintOptions {
            n: 2,
            ..Default::default()
        };
        let (out, r) = with_nd(&o, |nd| if_print(nd, &hdr, 24));
        assert_eq!(r, Ok(()));
        assert_eq!(out, "7 > 0, family Unknown (9), length 24: ");
        for cut in 0..HDR_LEN {
            let (_, r) = with_nd(&o, |nd| if_print(nd, &hdr[..cut], 24));
            assert!(r.is_err(), "cut {cut}");
        }
    }
}
