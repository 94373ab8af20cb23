//! Linux NFLOG captures (link type 239), mirroring print-nflog.c at tcpdump-4.99.3: the
//! header (shown with `-e`), then the TLVs are stepped over up to the payload TLV, whose
//! IPv4 or IPv6 packet is printed. The TLVs are in the capturing host's byte order, which
//! tcpdump and echolab both assume is the reading host's.
//!
//! Must not do I/O: it only reads the captured bytes.

use super::util::{default_print, print_trunc};
use super::{get_array, get_be_u16, get_u8, ip, ip6, Nd, PResult};
use crate::nd_print;

const HDR_LEN: usize = 4;
const TLV_LEN: usize = 4;
/// The TLV holding the packet (NFULA_PAYLOAD).
const NFULA_PAYLOAD: u16 = 9;
const AF_INET: u8 = 2;
const AF_INET6: u8 = 10;

/// `version V, resource ID R, family NAME (N), length L: ` (print-nflog.c
/// `nflog_hdr_print`).
fn hdr_print(nd: &mut Nd<'_>, data: &[u8], length: u32) -> PResult {
    let family = get_u8(data, 0)?;
    nd_print!(
        nd,
        "version {}, resource ID {}",
        get_u8(data, 1)?,
        get_be_u16(data, 2)?
    );
    let name = match family {
        AF_INET => Some("IPv4"),
        AF_INET6 => Some("IPv6"),
        _ => None,
    };
    match (nd.opts.q > 0, name) {
        (false, name) => nd_print!(nd, ", family {} ({family})", name.unwrap_or("Unknown")),
        (true, Some(name)) => nd_print!(nd, ", {name}"),
        (true, None) => nd_print!(nd, ", Unknown NFLOG (0x{family:02x})"),
    }
    nd_print!(nd, ", length {length}: ");
    Ok(())
}

/// A 16-bit TLV field in the host's byte order (tcpdump's `GET_HE_U_2`).
fn he_u16(data: &[u8], at: usize) -> PResult<u16> {
    Ok(u16::from_ne_bytes(get_array(data, at)?))
}

/// Print an NFLOG record from its header (print-nflog.c `nflog_if_print`).
pub fn if_print(nd: &mut Nd<'_>, data: &[u8], len: u32) -> PResult {
    nd.protocol = "nflog";
    let mut caplen = data.len();
    if caplen < HDR_LEN {
        print_trunc(nd);
        nd.ll_hdr_len += caplen;
        return Ok(());
    }
    nd.ll_hdr_len += HDR_LEN;
    let version = get_u8(data, 1)?;
    if version != 0 {
        nd_print!(nd, "version {version} (unknown)");
        return Ok(());
    }
    if nd.opts.e > 0 {
        hdr_print(nd, data, len)?;
    }
    let mut p = HDR_LEN;
    let mut h_size = HDR_LEN;
    let mut length = len.wrapping_sub(HDR_LEN as u32);
    caplen -= HDR_LEN;
    while length > 0 {
        if caplen < TLV_LEN {
            return trunc(nd, h_size);
        }
        let mut size = usize::from(he_u16(data, p)?);
        if size % 4 != 0 {
            size += 4 - size % 4;
        }
        if size < TLV_LEN || caplen < size {
            return trunc(nd, h_size);
        }
        if he_u16(data, p + 2)? == NFULA_PAYLOAD {
            p += TLV_LEN;
            h_size += TLV_LEN;
            length = length.wrapping_sub(TLV_LEN as u32);
            caplen -= TLV_LEN;
            break;
        }
        p += size;
        h_size += size;
        length = length.wrapping_sub(size as u32);
        caplen -= size;
    }
    let body = data.get(p..).unwrap_or(&[]);
    match get_u8(data, 0)? {
        AF_INET => ip::print(nd, body, length)?,
        AF_INET6 => ip6::print(nd, body, length)?,
        _ => {
            if nd.opts.e == 0 {
                hdr_print(nd, data, length.wrapping_add(HDR_LEN as u32))?;
            }
            default_print(nd, body.get(..caplen).unwrap_or(body));
        }
    }
    nd.ll_hdr_len += h_size - HDR_LEN;
    Ok(())
}

/// ` [|nflog]` with the TLVs walked so far counted as link-layer header.
fn trunc(nd: &mut Nd<'_>, h_size: usize) -> PResult {
    print_trunc(nd);
    nd.ll_hdr_len += h_size - HDR_LEN;
    Ok(())
}

#[cfg(test)]
#[allow(clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::capture::print::testing::with_nd;
    use crate::capture::print::PrintOptions;

    fn record(family: u8, payload: &[u8]) -> Vec<u8> {
        let mut r = vec![family, 0, 0, 7];
        // A prefix TLV of 5 bytes padded to 8, then the payload TLV.
        r.extend_from_slice(&5u16.to_ne_bytes());
        r.extend_from_slice(&10u16.to_ne_bytes());
        r.extend_from_slice(&[b'a', 0, 0, 0]);
        r.extend_from_slice(&((4 + payload.len()) as u16).to_ne_bytes());
        r.extend_from_slice(&NFULA_PAYLOAD.to_ne_bytes());
        r.extend_from_slice(payload);
        r
    }

    #[test]
    fn unknown_families_print_the_header_and_the_bytes() {
        let r = record(7, b"wxyz");
        let o = PrintOptions {
            n: 2,
            ..PrintOptions::default()
        };
        let (out, (res, hdr)) = with_nd(&o, |nd| {
            let res = if_print(nd, &r, r.len() as u32);
            (res, nd.ll_hdr_len)
        });
        assert_eq!(res, Ok(()));
        assert!(
            out.starts_with("version 0, resource ID 7, family Unknown (7), length 8: "),
            "{out}"
        );
        assert_eq!(hdr, 16);
    }

    #[test]
    fn every_prefix_prints_without_panic() {
        let r = record(2, &[0x45, 0, 0, 20]);
        for cut in 0..r.len() {
            let _ = with_nd(&PrintOptions::default(), |nd| {
                if_print(nd, &r[..cut], r.len() as u32)
            });
        }
    }

    crate::arbitrary_bytes_never_panic!(if_print);
}
