//! PPPoE (RFC 2516), mirroring print-pppoe.c at tcpdump-4.99.3: the discovery stage with
//! its tags, and the session stage, whose PPP frames go to `ppp`.
//!
//! Must not do I/O: it only reads the captured bytes.

use super::tok::{tok2str, Tok};
use super::util::{print_invalid, tcheck};
use super::{get_be_u16, get_u8, ppp, Nd, PResult};
use crate::nd_print;

const HDR_LEN: u32 = 6;
/// The most of a tag's value printed as text (print-pppoe.c `MAXTAGPRINT` less its NUL).
const MAXTAGPRINT: usize = 79;
const PADI: u8 = 0x09;

/// Codes (print-pppoe.c `pppoecode2str`); 0 is session data.
const CODES: [Tok; 6] = [
    (0x09, "PADI"),
    (0x07, "PADO"),
    (0x19, "PADR"),
    (0x65, "PADS"),
    (0xa7, "PADT"),
    (0, ""),
];

/// Tag types (print-pppoe.c `pppoetag2str`).
const TAGS: [Tok; 11] = [
    (0, "EOL"),
    (0x0101, "Service-Name"),
    (0x0102, "AC-Name"),
    (0x0103, "Host-Uniq"),
    (0x0104, "AC-Cookie"),
    (0x0105, "Vendor-Specific"),
    (0x0110, "Relay-Session-ID"),
    (0x0120, "PPP-Max-Payload"),
    (0x0201, "Service-Name-Error"),
    (0x0202, "AC-System-Error"),
    (0x0203, "Generic-Error"),
];

/// DLT_PPP_ETHER (print-pppoe.c `pppoe_if_print`).
pub fn if_print(nd: &mut Nd<'_>, data: &[u8], len: u32) -> PResult {
    nd.protocol = "pppoe";
    let hdr = print(nd, data, len)?;
    nd.ll_hdr_len += hdr as usize;
    Ok(())
}

/// Print the PPPoE packet at `data`; `length` is the on-wire length from there. Returns
/// the length of the headers printed, PPPoE's and PPP's (print-pppoe.c `pppoe_print`).
pub fn print(nd: &mut Nd<'_>, data: &[u8], length: u32) -> PResult<u32> {
    nd.protocol = "pppoe";
    if length < HDR_LEN {
        nd_print!(nd, " (length {length} < {HDR_LEN})");
        print_invalid(nd);
        return Ok(0);
    }
    let length = length - HDR_LEN;
    tcheck(data, 0, HDR_LEN as usize)?;
    let vt = get_u8(data, 0)?;
    let code = get_u8(data, 1)?;
    let session = get_be_u16(data, 2)?;
    let mut plen = u32::from(get_be_u16(data, 4)?);
    if vt >> 4 != 1 {
        nd_print!(nd, " [ver {}]", vt >> 4);
    }
    if vt & 0x0f != 1 {
        nd_print!(nd, " [type {}]", vt & 0x0f);
    }
    nd_print!(nd, "PPPoE {}", tok2str(&CODES, "PAD-%x", u32::from(code)));
    if code == PADI && plen > 1484 - HDR_LEN {
        nd_print!(nd, " [len {plen}!]");
    }
    if plen > length {
        nd_print!(nd, " [len {plen} > {length}!]");
        plen = length;
    }
    if session != 0 {
        nd_print!(nd, " [ses 0x{session:x}]");
    }
    if code == 0 {
        nd.print(" ");
        let payload = data.get(HDR_LEN as usize..).unwrap_or(&[]);
        return Ok(HDR_LEN + ppp::print(nd, payload, plen)?);
    }
    tags_print(nd, data, plen)?;
    Ok(HDR_LEN)
}

/// The discovery tags in the `plen` bytes after the header, up to an EOL tag.
fn tags_print(nd: &mut Nd<'_>, data: &[u8], plen: u32) -> PResult {
    let start = HDR_LEN as usize;
    let end = start + plen as usize;
    let mut p = start;
    let mut tag_type = 0xffff;
    while tag_type != 0 && p < end {
        tag_type = get_be_u16(data, p)?;
        let tag_len = usize::from(get_be_u16(data, p + 2)?);
        p += 4;
        let name = tok2str(&TAGS, "TAG-0x%x", u32::from(tag_type));
        if tag_len == 0 {
            nd_print!(nd, " [{name}]");
            continue;
        }
        tcheck(data, p, tag_len)?;
        let value = data.get(p..p + tag_len).unwrap_or(&[]);
        let shown = value.get(..MAXTAGPRINT).unwrap_or(value);
        let ascii = shown.iter().filter(|c| (0x20..0x7f).contains(*c)).count();
        if ascii > shown.len() - ascii {
            nd_print!(nd, " [{name} \"");
            for &c in shown {
                let c = if (0x20..0x7f).contains(&c) { c } else { b'.' };
                nd.out.push(char::from(c));
            }
            nd.print("\"]");
        } else {
            nd_print!(nd, " [{name} 0x");
            for c in value {
                nd_print!(nd, "{c:02X}");
            }
            nd.print("]");
        }
        p += tag_len;
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::capture::print::testing::{opts, with_nd};

    #[test]
    fn discovery_tags_as_text_and_hex() {
        let pkt = [
            0x11, 0x07, 0x00, 0x00, 0x00, 0x10, // PADO, 16 bytes of tags
            0x01, 0x02, 0x00, 0x02, b'a', b'c', // AC-Name "ac"
            0x01, 0x04, 0x00, 0x02, 0x00, 0x01, // AC-Cookie 0x0001
            0x00, 0x00, 0x00, 0x00, // EOL
        ];
        let (out, _) = with_nd(&opts(0), |nd| print(nd, &pkt, 22));
        assert_eq!(out, "PPPoE PADO [AC-Name \"ac\"] [AC-Cookie 0x0001] [EOL]");
    }

    #[test]
    fn bad_lengths_are_reported() {
        let (out, _) = with_nd(&opts(0), |nd| print(nd, &[0x11, 0x09], 5));
        assert_eq!(out, " (length 5 < 6) (invalid)");
        let pkt = [0x21, 0x09, 0x00, 0x01, 0x00, 0x10];
        let (out, _) = with_nd(&opts(0), |nd| print(nd, &pkt, 6));
        assert_eq!(out, " [ver 2]PPPoE PADI [len 16 > 0!] [ses 0x1]");
    }

    crate::arbitrary_bytes_never_panic!(print);
}
