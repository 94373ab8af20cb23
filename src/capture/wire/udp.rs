//! UDP datagrams (RFC 768): a zero-copy view and an owned `Repr` with symmetric
//! `parse`/`emit`, for generators and imports. The printer (`print::udp`) reads the bytes
//! itself, since it prints datagrams a `Repr` refuses (bad lengths, bad checksums).
//!
//! Must not import `print`, `echo` or do I/O.

use super::{checksum, put_be16, slice, WireError};
use std::net::IpAddr;

const LAYER: &str = "udp";

/// Byte ranges of the header.
pub mod field {
    use std::ops::Range;
    pub const SRC_PORT: Range<usize> = 0..2;
    pub const DST_PORT: Range<usize> = 2..4;
    pub const LENGTH: Range<usize> = 4..6;
    pub const CHECKSUM: Range<usize> = 6..8;
    pub const PAYLOAD: usize = 8;
}

/// The header's length.
pub const HEADER_LEN: usize = field::PAYLOAD;

/// IP protocol number of UDP.
pub const PROTOCOL: u8 = 17;

view! {
    /// A read-only view of a UDP datagram whose header was captured.
    Packet, LAYER, HEADER_LEN
}

impl<'a> Packet<'a> {
    /// Check that the header was captured and that the length field is at least 8, then
    /// wrap `buffer`. The length field may exceed what was captured: see `payload`.
    pub fn new_checked(buffer: &'a [u8]) -> Result<Packet<'a>, WireError> {
        let p = Packet::with_header(buffer)?;
        if usize::from(p.len()) < HEADER_LEN {
            return Err(WireError::Malformed {
                layer: LAYER,
                what: "length",
                value: u32::from(p.len()),
            });
        }
        Ok(p)
    }

    fields! {
        src_port: u16 = be16(field::SRC_PORT);
        dst_port: u16 = be16(field::DST_PORT);
        /// The length field: header and payload.
        len: u16 = be16(field::LENGTH);
        checksum: u16 = be16(field::CHECKSUM);
    }

    pub fn is_empty(&self) -> bool {
        usize::from(self.len()) <= HEADER_LEN
    }

    /// The payload as the length field gives it, or `Truncated` when it was not all
    /// captured (never silently clamped).
    pub fn payload(&self) -> Result<&'a [u8], WireError> {
        let n = usize::from(self.len()).saturating_sub(HEADER_LEN);
        slice(LAYER, self.buffer, HEADER_LEN, n)
    }

    /// Whether the checksum is correct over the pseudo-header and the datagram as its length
    /// field gives it. A zero checksum means "not computed" over IPv4 (RFC 768).
    pub fn verify_checksum(&self, src: IpAddr, dst: IpAddr) -> bool {
        if src.is_ipv4() && self.checksum() == 0 {
            return true;
        }
        let n = usize::from(self.len());
        self.buffer
            .get(..n)
            .is_some_and(|d| checksum::transport_checksum(src, dst, PROTOCOL, d) == 0)
    }
}

/// An owned, well-formed UDP datagram.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Repr<'a> {
    pub src_port: u16,
    pub dst_port: u16,
    pub payload: &'a [u8],
}

impl<'a> Repr<'a> {
    /// Parse a datagram, checking its checksum when addresses are given.
    pub fn parse(p: &Packet<'a>, addrs: Option<(IpAddr, IpAddr)>) -> Result<Repr<'a>, WireError> {
        if let Some((src, dst)) = addrs {
            super::checksum_verifies(LAYER, p.verify_checksum(src, dst), p.checksum())?;
        }
        Ok(Repr {
            src_port: p.src_port(),
            dst_port: p.dst_port(),
            payload: p.payload()?,
        })
    }

    /// The datagram's bytes with its checksum for `src` and `dst` (0xffff for a computed
    /// zero, RFC 768).
    pub fn emit(&self, src: IpAddr, dst: IpAddr) -> Vec<u8> {
        let len = HEADER_LEN + self.payload.len();
        let mut out = Vec::with_capacity(len);
        out.extend_from_slice(&self.src_port.to_be_bytes());
        out.extend_from_slice(&self.dst_port.to_be_bytes());
        out.extend_from_slice(&u16::try_from(len).unwrap_or(0).to_be_bytes());
        out.extend_from_slice(&[0, 0]);
        out.extend_from_slice(self.payload);
        let sum = match checksum::transport_checksum(src, dst, PROTOCOL, &out) {
            0 => 0xffff,
            s => s,
        };
        put_be16(&mut out, field::CHECKSUM, sum);
        out
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::capture::wire::testing::{assert_truncated_below, LO, LO6};
    use proptest::prelude::*;

    /// 40001 > 4002, "hi\n", checksum over 127.0.0.1 > 127.0.0.1.
    fn dgram() -> Vec<u8> {
        Repr {
            src_port: 40001,
            dst_port: 4002,
            payload: b"hi\n",
        }
        .emit(LO, LO)
    }

    #[test]
    fn deconstruct() {
        let b = dgram();
        assert_eq!(&b[..6], &[0x9c, 0x41, 0x0f, 0xa2, 0x00, 0x0b]);
        let p = Packet::new_checked(&b).unwrap();
        assert_eq!((p.src_port(), p.dst_port(), p.len()), (40001, 4002, 11));
        assert!(p.verify_checksum(LO, LO));
        assert!(!p.verify_checksum(LO6, LO6));
        assert_eq!(p.payload().unwrap(), b"hi\n");
    }

    #[test]
    fn truncated_at_every_byte() {
        let b = dgram();
        assert_truncated_below(LAYER, &b, HEADER_LEN, Packet::new_checked);
        for cut in HEADER_LEN..b.len() {
            let p = Packet::new_checked(&b[..cut]).unwrap();
            assert!(matches!(
                p.payload(),
                Err(WireError::Truncated { need: 11, .. })
            ));
        }
    }

    #[test]
    fn impossible_lengths() {
        let mut b = dgram();
        b[5] = 7;
        assert!(matches!(
            Packet::new_checked(&b),
            Err(WireError::Malformed { value: 7, .. })
        ));
    }

    #[test]
    fn zero_checksum_is_accepted_over_ipv4_only() {
        let mut b = dgram();
        b[6] = 0;
        b[7] = 0;
        let p = Packet::new_checked(&b).unwrap();
        assert!(p.verify_checksum(LO, LO));
        assert!(!p.verify_checksum(LO6, LO6));
    }

    proptest! {
        #[test]
        fn emit_then_parse_round_trips(
            sport: u16, dport: u16, v6: bool,
            payload in proptest::collection::vec(any::<u8>(), 0..64),
        ) {
            let a = if v6 { LO6 } else { LO };
            let r = Repr { src_port: sport, dst_port: dport, payload: &payload };
            let b = r.emit(a, a);
            let p = Packet::new_checked(&b).unwrap();
            prop_assert_eq!(Repr::parse(&p, Some((a, a))).unwrap(), r);
        }

        #[test]
        fn views_never_panic(data in proptest::collection::vec(any::<u8>(), 0..40)) {
            if let Ok(p) = Packet::new_checked(&data) {
                let _ = Repr::parse(&p, Some((LO, LO)));
                let _ = p.verify_checksum(LO6, LO6);
            }
        }
    }
}
