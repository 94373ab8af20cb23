//! The Internet checksum (RFC 1071) and the transport pseudo-headers (RFC 768, RFC 793,
//! RFC 8200 section 8.1).

use std::net::IpAddr;

/// Add `data` to a running one's-complement sum, as 16-bit big-endian words (an odd final byte
/// is padded with zero).
pub fn sum(mut acc: u32, data: &[u8]) -> u32 {
    let mut words = data.chunks_exact(2);
    for w in &mut words {
        if let &[hi, lo] = w {
            acc = acc.wrapping_add(u32::from(u16::from_be_bytes([hi, lo])));
            acc = (acc & 0xffff) + (acc >> 16);
        }
    }
    if let [last] = words.remainder() {
        acc = acc.wrapping_add(u32::from(*last) << 8);
        acc = (acc & 0xffff) + (acc >> 16);
    }
    acc
}

/// Fold a running sum to 16 bits and complement it.
pub fn finish(mut acc: u32) -> u16 {
    while acc > 0xffff {
        acc = (acc & 0xffff) + (acc >> 16);
    }
    !(acc as u16)
}

/// The checksum of `data`: zero when `data` holds a correct checksum field.
pub fn checksum(data: &[u8]) -> u16 {
    finish(sum(0, data))
}

/// The running sum of a TCP/UDP pseudo-header for `src`, `dst`, protocol `proto` and the
/// transport length `len`. Mixed address families give the sum of nothing.
pub fn pseudo_header_sum(src: IpAddr, dst: IpAddr, proto: u8, len: u32) -> u32 {
    let mut acc = 0;
    match (src, dst) {
        (IpAddr::V4(s), IpAddr::V4(d)) => {
            acc = sum(acc, &s.octets());
            acc = sum(acc, &d.octets());
            acc = sum(acc, &[0, proto]);
            // IPv4's pseudo-header carries a 16-bit length.
            acc = sum(acc, &(len as u16).to_be_bytes());
        }
        (IpAddr::V6(s), IpAddr::V6(d)) => {
            acc = sum(acc, &s.octets());
            acc = sum(acc, &d.octets());
            acc = sum(acc, &len.to_be_bytes());
            acc = sum(acc, &[0, 0, 0, proto]);
        }
        _ => {}
    }
    acc
}

/// The checksum over a pseudo-header and the transport segment `data` (checksum field
/// included): zero when the segment's checksum is correct.
pub fn transport_checksum(src: IpAddr, dst: IpAddr, proto: u8, data: &[u8]) -> u16 {
    let len = u32::try_from(data.len()).unwrap_or(u32::MAX);
    finish(sum(pseudo_header_sum(src, dst, proto, len), data))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc1071_example() {
        // RFC 1071 section 3's example words: 0001 f203 f4f5 f6f7 sum to 0xddf2.
        let data = [0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7];
        assert_eq!(finish(sum(0, &data)), !0xddf2);
    }

    #[test]
    fn odd_length_pads_with_zero() {
        assert_eq!(sum(0, &[0x12]), 0x1200);
    }

    #[test]
    fn ipv4_header_from_the_report_verifies() {
        // The SYN of 000_85775b57d986e02e.txt's TCP session: 4500 003c b459 4000 4006 8860
        // 7f00 0001 7f00 0001; its header checksum 0x8860 makes the total fold to zero.
        let hdr = [
            0x45, 0x00, 0x00, 0x3c, 0xb4, 0x59, 0x40, 0x00, 0x40, 0x06, 0x88, 0x60, 0x7f, 0x00,
            0x00, 0x01, 0x7f, 0x00, 0x00, 0x01,
        ];
        assert_eq!(checksum(&hdr), 0);
    }
}
