//! Ethernet II frames and 802.1Q tags (IEEE 802.3, IEEE 802.1Q): a zero-copy view and an
//! owned `Repr` with symmetric `parse`/`emit`, for generators and imports. The printer
//! (`print::ether`) reads the bytes itself, since it prints frames a `Repr` refuses.
//!
//! Must not import `print`, `echo` or do I/O.

use super::{array, be16, WireError};

const LAYER: &str = "ether";

/// Byte ranges of the header.
pub mod field {
    use std::ops::Range;
    pub const DST: Range<usize> = 0..6;
    pub const SRC: Range<usize> = 6..12;
    pub const ETHERTYPE: Range<usize> = 12..14;
    pub const PAYLOAD: usize = 14;
    /// Within an 802.1Q tag: the tag control information and the inner type.
    pub const TCI: Range<usize> = 0..2;
    pub const INNER_TYPE: Range<usize> = 2..4;
}

/// The header's length.
pub const HEADER_LEN: usize = field::PAYLOAD;
/// An 802.1Q tag's length.
pub const TAG_LEN: usize = 4;

/// An ethertype; values up to 1500 are 802.3 lengths, not types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EtherType {
    Ipv4,
    Arp,
    ReverseArp,
    Vlan,
    Ipv6,
    Unknown(u16),
}

impl From<u16> for EtherType {
    fn from(v: u16) -> EtherType {
        match v {
            0x0800 => EtherType::Ipv4,
            0x0806 => EtherType::Arp,
            0x8035 => EtherType::ReverseArp,
            0x8100 => EtherType::Vlan,
            0x86dd => EtherType::Ipv6,
            other => EtherType::Unknown(other),
        }
    }
}

impl From<EtherType> for u16 {
    fn from(t: EtherType) -> u16 {
        match t {
            EtherType::Ipv4 => 0x0800,
            EtherType::Arp => 0x0806,
            EtherType::ReverseArp => 0x8035,
            EtherType::Vlan => 0x8100,
            EtherType::Ipv6 => 0x86dd,
            EtherType::Unknown(v) => v,
        }
    }
}

view! {
    /// A read-only view of a frame whose Ethernet header was captured.
    Frame, LAYER, HEADER_LEN
}

impl<'a> Frame<'a> {
    /// Check that the 14-byte header was captured, then wrap `buffer`.
    pub fn new_checked(buffer: &'a [u8]) -> Result<Frame<'a>, WireError> {
        Frame::with_header(buffer)
    }

    pub fn dst(&self) -> [u8; 6] {
        array(self.buffer, field::DST)
    }

    pub fn src(&self) -> [u8; 6] {
        array(self.buffer, field::SRC)
    }

    /// The type/length field as it is on the wire.
    pub fn ethertype(&self) -> EtherType {
        be16(self.buffer, field::ETHERTYPE).into()
    }

    /// Everything after the header, as captured.
    pub fn payload(&self) -> &'a [u8] {
        self.buffer.get(HEADER_LEN..).unwrap_or(&[])
    }
}

view! {
    /// An 802.1Q tag at the start of `buffer`: its fields and what follows it.
    VlanTag, "vlan", TAG_LEN
}

impl<'a> VlanTag<'a> {
    pub fn new_checked(buffer: &'a [u8]) -> Result<VlanTag<'a>, WireError> {
        VlanTag::with_header(buffer)
    }

    fn tci(&self) -> u16 {
        be16(self.buffer, field::TCI)
    }

    /// Priority code point (3 bits).
    pub fn pcp(&self) -> u8 {
        (self.tci() >> 13) as u8
    }

    /// Drop eligible indicator.
    pub fn dei(&self) -> bool {
        self.tci() & 0x1000 != 0
    }

    /// VLAN identifier (12 bits).
    pub fn vid(&self) -> u16 {
        self.tci() & 0x0fff
    }

    pub fn inner_type(&self) -> EtherType {
        be16(self.buffer, field::INNER_TYPE).into()
    }

    pub fn payload(&self) -> &'a [u8] {
        self.buffer.get(TAG_LEN..).unwrap_or(&[])
    }
}

/// An owned Ethernet header, with an optional 802.1Q tag `(pcp, dei, vid)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Repr {
    pub dst: [u8; 6],
    pub src: [u8; 6],
    pub vlan: Option<(u8, bool, u16)>,
    pub ethertype: EtherType,
}

impl Repr {
    /// Parse a header and at most one tag; returns the header and its payload.
    pub fn parse<'a>(f: &Frame<'a>) -> Result<(Repr, &'a [u8]), WireError> {
        let mut r = Repr {
            dst: f.dst(),
            src: f.src(),
            vlan: None,
            ethertype: f.ethertype(),
        };
        if r.ethertype != EtherType::Vlan {
            return Ok((r, f.payload()));
        }
        let tag = VlanTag::new_checked(f.payload())?;
        r.vlan = Some((tag.pcp(), tag.dei(), tag.vid()));
        r.ethertype = tag.inner_type();
        Ok((r, tag.payload()))
    }

    /// The header's length on the wire.
    pub fn header_len(&self) -> usize {
        HEADER_LEN + if self.vlan.is_some() { TAG_LEN } else { 0 }
    }

    /// The frame's bytes: this header followed by `payload`.
    pub fn emit(&self, payload: &[u8]) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.header_len() + payload.len());
        out.extend_from_slice(&self.dst);
        out.extend_from_slice(&self.src);
        if let Some((pcp, dei, vid)) = self.vlan {
            out.extend_from_slice(&u16::from(EtherType::Vlan).to_be_bytes());
            let tci = (u16::from(pcp & 7) << 13) | (u16::from(dei) << 12) | (vid & 0x0fff);
            out.extend_from_slice(&tci.to_be_bytes());
        }
        out.extend_from_slice(&u16::from(self.ethertype).to_be_bytes());
        out.extend_from_slice(payload);
        out
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::capture::wire::testing::assert_truncated_below;
    use proptest::prelude::*;

    const A: [u8; 6] = [2, 0, 0, 0, 0, 1];
    const B: [u8; 6] = [2, 0, 0, 0, 0, 2];

    #[test]
    fn deconstruct() {
        let b = [
            2, 0, 0, 0, 0, 2, // destination
            2, 0, 0, 0, 0, 1, // source
            0x08, 0x00, // IPv4
            0x45, // payload
        ];
        let f = Frame::new_checked(&b).unwrap();
        assert_eq!((f.dst(), f.src(), f.ethertype()), (B, A, EtherType::Ipv4));
        assert_eq!(f.payload(), &[0x45]);
    }

    #[test]
    fn tagged_frames_round_trip() {
        let r = Repr {
            dst: B,
            src: A,
            vlan: Some((5, true, 4094)),
            ethertype: EtherType::Ipv6,
        };
        let b = r.emit(b"x");
        assert_eq!(&b[12..18], &[0x81, 0x00, 0xbf, 0xfe, 0x86, 0xdd]);
        let (back, payload) = Repr::parse(&Frame::new_checked(&b).unwrap()).unwrap();
        assert_eq!((back, payload), (r, &b"x"[..]));
    }

    #[test]
    fn truncated_at_every_byte() {
        let b = Repr {
            dst: B,
            src: A,
            vlan: Some((0, false, 5)),
            ethertype: EtherType::Arp,
        }
        .emit(&[]);
        assert_truncated_below(LAYER, &b, HEADER_LEN, Frame::new_checked);
        for cut in HEADER_LEN..b.len() {
            let f = Frame::new_checked(&b[..cut]).unwrap();
            assert!(matches!(
                Repr::parse(&f),
                Err(WireError::Truncated { layer: "vlan", .. })
            ));
        }
    }

    proptest! {
        #[test]
        fn emit_parse_round_trips(
            dst in any::<[u8; 6]>(), src in any::<[u8; 6]>(),
            vlan in proptest::option::of((0u8..8, any::<bool>(), 0u16..4096)),
            t in 1501u16.., payload in proptest::collection::vec(any::<u8>(), 0..20),
        ) {
            let ethertype = EtherType::from(t);
            prop_assume!(ethertype != EtherType::Vlan);
            let r = Repr { dst, src, vlan, ethertype };
            let b = r.emit(&payload);
            let (back, p) = Repr::parse(&Frame::new_checked(&b).unwrap()).unwrap();
            prop_assert_eq!(back, r);
            prop_assert_eq!(p, &payload[..]);
        }
    }
}
