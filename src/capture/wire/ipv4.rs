//! IPv4 datagrams (RFC 791): a zero-copy view and an owned `Repr` with symmetric
//! `parse`/`emit`, for generators and imports. The printer (`print::ip`) reads the bytes
//! itself, since it prints datagrams a `Repr` refuses (bad lengths, bad checksums, options
//! cut by the capture).
//!
//! Must not import `print`, `echo` or do I/O.

use super::{array, be16, byte, checksum, put_be16, slice, WireError};
use std::net::Ipv4Addr;

const LAYER: &str = "ip";

/// Byte offsets and ranges of the fixed header.
pub mod field {
    use std::ops::Range;
    pub const VER_IHL: usize = 0;
    pub const TOS: usize = 1;
    pub const LENGTH: Range<usize> = 2..4;
    pub const IDENT: Range<usize> = 4..6;
    pub const FLG_OFF: Range<usize> = 6..8;
    pub const TTL: usize = 8;
    pub const PROTOCOL: usize = 9;
    pub const CHECKSUM: Range<usize> = 10..12;
    pub const SRC_ADDR: Range<usize> = 12..16;
    pub const DST_ADDR: Range<usize> = 16..20;
}

/// The fixed header's length (no options).
pub const HEADER_LEN: usize = 20;

/// The flags and fragment offset in the [`field::FLG_OFF`] word.
pub const FLAG_RESERVED: u16 = 0x8000;
pub const FLAG_DF: u16 = 0x4000;
pub const FLAG_MF: u16 = 0x2000;
pub const OFFSET_MASK: u16 = 0x1fff;

view! {
    /// A read-only view of an IPv4 datagram whose header, options included, was captured.
    Packet, LAYER, HEADER_LEN
}

impl<'a> Packet<'a> {
    /// Check the version, that the header length is at least 20 and was captured, and that
    /// the total length covers the header, then wrap `buffer`. The total length may exceed
    /// what was captured: see `payload`.
    pub fn new_checked(buffer: &'a [u8]) -> Result<Packet<'a>, WireError> {
        let p = Packet::with_header(buffer)?;
        let malformed = |what, value| WireError::Malformed {
            layer: LAYER,
            what,
            value,
        };
        if p.version() != 4 {
            return Err(malformed("version", u32::from(p.version())));
        }
        if p.header_len() < HEADER_LEN {
            return Err(malformed("header length", p.header_len() as u32));
        }
        slice(LAYER, buffer, 0, p.header_len())?;
        if usize::from(p.total_len()) < p.header_len() {
            return Err(malformed("total length", u32::from(p.total_len())));
        }
        Ok(p)
    }

    pub fn version(&self) -> u8 {
        byte(self.buffer, field::VER_IHL) >> 4
    }

    /// The header length in bytes, options included.
    pub fn header_len(&self) -> usize {
        usize::from(byte(self.buffer, field::VER_IHL) & 0x0f) * 4
    }

    fields! {
        /// The type-of-service byte: DSCP and ECN.
        tos: u8 = byte(field::TOS);
        /// The total length field: header and payload.
        total_len: u16 = be16(field::LENGTH);
        ident: u16 = be16(field::IDENT);
        ttl: u8 = byte(field::TTL);
        protocol: u8 = byte(field::PROTOCOL);
        checksum: u16 = be16(field::CHECKSUM);
    }

    /// The reserved flag (RFC 3514's evil bit).
    pub fn reserved_flag(&self) -> bool {
        be16(self.buffer, field::FLG_OFF) & FLAG_RESERVED != 0
    }

    pub fn dont_frag(&self) -> bool {
        be16(self.buffer, field::FLG_OFF) & FLAG_DF != 0
    }

    pub fn more_frags(&self) -> bool {
        be16(self.buffer, field::FLG_OFF) & FLAG_MF != 0
    }

    /// The fragment offset in bytes.
    pub fn frag_offset(&self) -> u16 {
        (be16(self.buffer, field::FLG_OFF) & OFFSET_MASK) * 8
    }

    /// Whether this is a fragment: more to come or not the first.
    pub fn is_fragment(&self) -> bool {
        self.more_frags() || self.frag_offset() != 0
    }

    pub fn src_addr(&self) -> Ipv4Addr {
        Ipv4Addr::from(array::<4>(self.buffer, field::SRC_ADDR))
    }

    pub fn dst_addr(&self) -> Ipv4Addr {
        Ipv4Addr::from(array::<4>(self.buffer, field::DST_ADDR))
    }

    /// The options: the header past its first 20 bytes.
    pub fn options(&self) -> &'a [u8] {
        self.buffer
            .get(HEADER_LEN..self.header_len())
            .unwrap_or(&[])
    }

    /// Whether the header sums to zero.
    pub fn verify_checksum(&self) -> bool {
        self.buffer
            .get(..self.header_len())
            .is_some_and(|h| checksum::checksum(h) == 0)
    }

    /// The payload as the total length gives it, or `Truncated` when it was not all
    /// captured (never silently clamped). Bytes past the total length (link padding) are not
    /// part of it.
    pub fn payload(&self) -> Result<&'a [u8], WireError> {
        let n = usize::from(self.total_len()).saturating_sub(self.header_len());
        slice(LAYER, self.buffer, self.header_len(), n)
    }
}

/// An owned, well-formed IPv4 header without options, and its payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Repr<'a> {
    pub src_addr: Ipv4Addr,
    pub dst_addr: Ipv4Addr,
    pub protocol: u8,
    pub tos: u8,
    pub ident: u16,
    pub dont_frag: bool,
    pub more_frags: bool,
    /// The fragment offset in bytes: a multiple of 8 below 65536.
    pub frag_offset: u16,
    pub ttl: u8,
    /// The options' bytes, at most 40; `emit` pads them with zeros (end of list) to a
    /// multiple of 4.
    pub options: &'a [u8],
    pub payload: &'a [u8],
}

impl<'a> Repr<'a> {
    /// Parse a datagram with a correct header checksum and its payload all captured.
    pub fn parse(p: &Packet<'a>) -> Result<Repr<'a>, WireError> {
        if !p.verify_checksum() {
            return Err(WireError::Malformed {
                layer: LAYER,
                what: "checksum",
                value: u32::from(p.checksum()),
            });
        }
        Ok(Repr {
            src_addr: p.src_addr(),
            dst_addr: p.dst_addr(),
            protocol: p.protocol(),
            tos: p.tos(),
            ident: p.ident(),
            dont_frag: p.dont_frag(),
            more_frags: p.more_frags(),
            frag_offset: p.frag_offset(),
            ttl: p.ttl(),
            options: p.options(),
            payload: p.payload()?,
        })
    }

    /// The datagram's bytes, with its header checksum; `Malformed` when the options are
    /// longer than 40 bytes, the payload does not fit the 16-bit total length or the offset
    /// is not a multiple of 8.
    pub fn emit(&self) -> Result<Vec<u8>, WireError> {
        let hlen = HEADER_LEN + self.options.len().div_ceil(4) * 4;
        if hlen > 60 {
            return Err(WireError::Malformed {
                layer: LAYER,
                what: "options length",
                value: u32::try_from(self.options.len()).unwrap_or(u32::MAX),
            });
        }
        let total = hlen + self.payload.len();
        let length = u16::try_from(total).map_err(|_| WireError::Malformed {
            layer: LAYER,
            what: "total length",
            value: u32::try_from(total).unwrap_or(u32::MAX),
        })?;
        if self.frag_offset % 8 != 0 {
            return Err(WireError::Malformed {
                layer: LAYER,
                what: "fragment offset",
                value: u32::from(self.frag_offset),
            });
        }
        let mut flags = self.frag_offset / 8;
        if self.dont_frag {
            flags |= FLAG_DF;
        }
        if self.more_frags {
            flags |= FLAG_MF;
        }
        let mut out = Vec::with_capacity(total);
        out.extend_from_slice(&[0x40 | (hlen / 4) as u8, self.tos]);
        out.extend_from_slice(&length.to_be_bytes());
        out.extend_from_slice(&self.ident.to_be_bytes());
        out.extend_from_slice(&flags.to_be_bytes());
        out.extend_from_slice(&[self.ttl, self.protocol, 0, 0]);
        out.extend_from_slice(&self.src_addr.octets());
        out.extend_from_slice(&self.dst_addr.octets());
        out.extend_from_slice(self.options);
        out.resize(hlen, 0);
        let sum = checksum::checksum(&out);
        put_be16(&mut out, field::CHECKSUM, sum);
        out.extend_from_slice(self.payload);
        Ok(out)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::capture::wire::testing::assert_truncated_below;
    use proptest::prelude::*;

    /// 127.0.0.1 > 127.0.0.1, TCP, DF, id 46169, ttl 64, 4 bytes of payload.
    const DATAGRAM: [u8; 24] = [
        0x45, 0x00, 0x00, 0x18, // version 4, hlen 20; tos 0; total length 24
        0xb4, 0x59, 0x40, 0x00, // id 46169; DF, offset 0
        0x40, 0x06, 0x88, 0x84, // ttl 64, TCP; checksum
        0x7f, 0x00, 0x00, 0x01, // source 127.0.0.1
        0x7f, 0x00, 0x00, 0x01, // destination 127.0.0.1
        0xde, 0xad, 0xbe, 0xef, // payload
    ];

    fn repr() -> Repr<'static> {
        Repr {
            src_addr: Ipv4Addr::LOCALHOST,
            dst_addr: Ipv4Addr::LOCALHOST,
            protocol: 6,
            tos: 0,
            ident: 46169,
            dont_frag: true,
            more_frags: false,
            frag_offset: 0,
            ttl: 64,
            options: &[],
            payload: &DATAGRAM[20..],
        }
    }

    #[test]
    fn deconstruct() {
        let p = Packet::new_checked(&DATAGRAM).unwrap();
        assert_eq!((p.version(), p.header_len(), p.total_len()), (4, 20, 24));
        assert_eq!((p.ident(), p.ttl(), p.protocol()), (46169, 64, 6));
        assert!(p.dont_frag() && !p.more_frags() && !p.reserved_flag());
        assert!(!p.is_fragment());
        assert_eq!(p.src_addr(), Ipv4Addr::LOCALHOST);
        assert!(p.verify_checksum());
        assert_eq!(p.payload().unwrap(), &[0xde, 0xad, 0xbe, 0xef]);
        assert!(p.options().is_empty());
    }

    #[test]
    fn construct_and_parse() {
        assert_eq!(repr().emit().unwrap(), DATAGRAM);
        let p = Packet::new_checked(&DATAGRAM).unwrap();
        assert_eq!(Repr::parse(&p).unwrap(), repr());
    }

    #[test]
    fn truncated_at_every_byte() {
        assert_truncated_below(LAYER, &DATAGRAM, HEADER_LEN, Packet::new_checked);
        for cut in HEADER_LEN..DATAGRAM.len() {
            let p = Packet::new_checked(&DATAGRAM[..cut]).unwrap();
            assert!(matches!(
                p.payload(),
                Err(WireError::Truncated { need: 24, .. })
            ));
        }
    }

    #[test]
    fn impossible_lengths_and_versions() {
        let mut b = DATAGRAM;
        b[0] = 0x44;
        assert!(matches!(
            Packet::new_checked(&b),
            Err(WireError::Malformed { value: 16, .. })
        ));
        b[0] = 0x46; // 24-byte header, 24 captured: fine; total length 24 leaves no payload
        assert!(Packet::new_checked(&b)
            .unwrap()
            .payload()
            .unwrap()
            .is_empty());
        b[0] = 0x47;
        assert!(matches!(
            Packet::new_checked(&b),
            Err(WireError::Truncated { need: 28, .. })
        ));
        b[0] = 0x45;
        b[3] = 19;
        assert!(matches!(
            Packet::new_checked(&b),
            Err(WireError::Malformed { value: 19, .. })
        ));
        b[0] = 0x65;
        assert!(matches!(
            Packet::new_checked(&b),
            Err(WireError::Malformed { value: 6, .. })
        ));
    }

    #[test]
    fn bad_checksum_is_refused_and_padding_is_not_payload() {
        let mut b = DATAGRAM.to_vec();
        b[11] ^= 1;
        let p = Packet::new_checked(&b).unwrap();
        assert!(matches!(
            Repr::parse(&p),
            Err(WireError::Malformed {
                what: "checksum",
                ..
            })
        ));
        let mut padded = DATAGRAM.to_vec();
        padded.extend([0; 6]);
        let p = Packet::new_checked(&padded).unwrap();
        assert_eq!(p.payload().unwrap().len(), 4);
    }

    proptest! {
        #[test]
        fn emit_then_parse_round_trips(
            src: [u8; 4], dst: [u8; 4], protocol: u8, tos: u8, ident: u16, ttl: u8,
            dont_frag: bool, more_frags: bool, off in 0u16..8192,
            words in proptest::collection::vec(any::<[u8; 4]>(), 0..11),
            payload in proptest::collection::vec(any::<u8>(), 0..64),
        ) {
            let options = words.concat();
            let r = Repr {
                src_addr: src.into(), dst_addr: dst.into(), protocol, tos, ident,
                dont_frag, more_frags, frag_offset: off * 8, ttl, options: &options,
                payload: &payload,
            };
            let b = r.emit();
            if options.len() > 40 {
                prop_assert!(b.is_err());
                return Ok(());
            }
            let b = b.unwrap();
            let p = Packet::new_checked(&b).unwrap();
            prop_assert_eq!(Repr::parse(&p).unwrap(), r);
        }

        #[test]
        fn views_never_panic(data in proptest::collection::vec(any::<u8>(), 0..64)) {
            if let Ok(p) = Packet::new_checked(&data) {
                let _ = Repr::parse(&p);
                let _ = (p.options(), p.is_fragment(), p.payload());
            }
        }
    }
}
