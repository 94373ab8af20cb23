//! ARP packets (RFC 826): a zero-copy view over any hardware and protocol address lengths,
//! and an owned `Repr` for Ethernet/IPv4 ARP with symmetric `parse`/`emit`. The printer
//! (`print::arp`) reads the bytes itself, since it prints packets a `Repr` refuses.
//!
//! Must not import `print`, `echo` or do I/O.

use super::{be16, byte, slice, WireError};
use std::net::Ipv4Addr;

const LAYER: &str = "arp";

/// Byte ranges of the fixed header; the four addresses follow it.
pub mod field {
    use std::ops::Range;
    pub const HTYPE: Range<usize> = 0..2;
    pub const PTYPE: Range<usize> = 2..4;
    pub const HLEN: usize = 4;
    pub const PLEN: usize = 5;
    pub const OPER: Range<usize> = 6..8;
    pub const ADDRESSES: usize = 8;
}

/// The fixed header's length.
pub const HEADER_LEN: usize = field::ADDRESSES;

/// ARP operations (RFC 826, RFC 903, RFC 2390).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Operation {
    Request,
    Reply,
    ReverseRequest,
    ReverseReply,
    InverseRequest,
    InverseReply,
    Unknown(u16),
}

impl From<u16> for Operation {
    fn from(v: u16) -> Operation {
        match v {
            1 => Operation::Request,
            2 => Operation::Reply,
            3 => Operation::ReverseRequest,
            4 => Operation::ReverseReply,
            8 => Operation::InverseRequest,
            9 => Operation::InverseReply,
            other => Operation::Unknown(other),
        }
    }
}

impl From<Operation> for u16 {
    fn from(o: Operation) -> u16 {
        match o {
            Operation::Request => 1,
            Operation::Reply => 2,
            Operation::ReverseRequest => 3,
            Operation::ReverseReply => 4,
            Operation::InverseRequest => 8,
            Operation::InverseReply => 9,
            Operation::Unknown(v) => v,
        }
    }
}

/// A read-only view of an ARP packet whose header and four addresses were captured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Packet<'a> {
    buffer: &'a [u8],
}

impl<'a> Packet<'a> {
    /// Check that the header and the addresses its lengths announce were captured.
    pub fn new_checked(buffer: &'a [u8]) -> Result<Packet<'a>, WireError> {
        slice(LAYER, buffer, 0, HEADER_LEN)?;
        let p = Packet { buffer };
        slice(LAYER, buffer, HEADER_LEN, 2 * (p.hlen() + p.plen()))?;
        Ok(p)
    }

    pub fn htype(&self) -> u16 {
        be16(self.buffer, field::HTYPE)
    }

    pub fn ptype(&self) -> u16 {
        be16(self.buffer, field::PTYPE)
    }

    pub fn hlen(&self) -> usize {
        usize::from(byte(self.buffer, field::HLEN))
    }

    pub fn plen(&self) -> usize {
        usize::from(byte(self.buffer, field::PLEN))
    }

    pub fn operation(&self) -> Operation {
        be16(self.buffer, field::OPER).into()
    }

    fn addr(&self, at: usize, len: usize) -> &'a [u8] {
        self.buffer.get(at..at + len).unwrap_or(&[])
    }

    pub fn sender_hw(&self) -> &'a [u8] {
        self.addr(HEADER_LEN, self.hlen())
    }

    pub fn sender_proto(&self) -> &'a [u8] {
        self.addr(HEADER_LEN + self.hlen(), self.plen())
    }

    pub fn target_hw(&self) -> &'a [u8] {
        self.addr(HEADER_LEN + self.hlen() + self.plen(), self.hlen())
    }

    pub fn target_proto(&self) -> &'a [u8] {
        self.addr(HEADER_LEN + 2 * self.hlen() + self.plen(), self.plen())
    }
}

/// An owned Ethernet/IPv4 ARP packet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Repr {
    pub operation: Operation,
    pub sender_hw: [u8; 6],
    pub sender_ip: Ipv4Addr,
    pub target_hw: [u8; 6],
    pub target_ip: Ipv4Addr,
}

/// Hardware type Ethernet and protocol type IPv4.
const HTYPE_ETHERNET: u16 = 1;
const PTYPE_IPV4: u16 = 0x0800;

impl Repr {
    /// Parse an Ethernet/IPv4 packet; other address types are `Malformed`.
    pub fn parse(p: &Packet<'_>) -> Result<Repr, WireError> {
        let bad = |what, value| WireError::Malformed {
            layer: LAYER,
            what,
            value,
        };
        if p.htype() != HTYPE_ETHERNET || p.hlen() != 6 {
            return Err(bad("hardware type", u32::from(p.htype())));
        }
        if p.ptype() != PTYPE_IPV4 || p.plen() != 4 {
            return Err(bad("protocol type", u32::from(p.ptype())));
        }
        let ip = |b: &[u8]| <[u8; 4]>::try_from(b).map(Ipv4Addr::from);
        let mac = |b: &[u8]| <[u8; 6]>::try_from(b);
        let short = |_| bad("address length", 0);
        Ok(Repr {
            operation: p.operation(),
            sender_hw: mac(p.sender_hw()).map_err(short)?,
            sender_ip: ip(p.sender_proto()).map_err(short)?,
            target_hw: mac(p.target_hw()).map_err(short)?,
            target_ip: ip(p.target_proto()).map_err(short)?,
        })
    }

    /// The packet's 28 bytes.
    pub fn emit(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(28);
        out.extend_from_slice(&HTYPE_ETHERNET.to_be_bytes());
        out.extend_from_slice(&PTYPE_IPV4.to_be_bytes());
        out.extend_from_slice(&[6, 4]);
        out.extend_from_slice(&u16::from(self.operation).to_be_bytes());
        out.extend_from_slice(&self.sender_hw);
        out.extend_from_slice(&self.sender_ip.octets());
        out.extend_from_slice(&self.target_hw);
        out.extend_from_slice(&self.target_ip.octets());
        out
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::capture::wire::testing::assert_truncated_below;
    use proptest::prelude::*;

    const REQUEST: [u8; 28] = [
        0x00, 0x01, 0x08, 0x00, 6, 4, 0x00, 0x01, // Ethernet, IPv4, lengths, request
        2, 0, 0, 0, 0, 1, 10, 0, 0, 1, // sender MAC and IP
        0, 0, 0, 0, 0, 0, 10, 0, 0, 2, // target MAC and IP
    ];

    #[test]
    fn deconstruct_and_parse() {
        let p = Packet::new_checked(&REQUEST).unwrap();
        assert_eq!(
            (p.hlen(), p.plen(), p.operation()),
            (6, 4, Operation::Request)
        );
        assert_eq!(p.target_proto(), &[10, 0, 0, 2]);
        let r = Repr::parse(&p).unwrap();
        assert_eq!(r.sender_ip, Ipv4Addr::new(10, 0, 0, 1));
        assert_eq!(r.emit(), REQUEST.to_vec());
    }

    #[test]
    fn truncated_at_every_byte() {
        assert_truncated_below(LAYER, &REQUEST, REQUEST.len(), Packet::new_checked);
    }

    #[test]
    fn other_address_types_are_malformed() {
        let mut b = REQUEST;
        b[1] = 6; // Token Ring
        let p = Packet::new_checked(&b).unwrap();
        assert!(matches!(Repr::parse(&p), Err(WireError::Malformed { .. })));
    }

    proptest! {
        #[test]
        fn emit_parse_round_trips(
            op in any::<u16>(), sh in any::<[u8; 6]>(), si in any::<[u8; 4]>(),
            th in any::<[u8; 6]>(), ti in any::<[u8; 4]>(),
        ) {
            let r = Repr {
                operation: Operation::from(op),
                sender_hw: sh, sender_ip: si.into(), target_hw: th, target_ip: ti.into(),
            };
            let b = r.emit();
            prop_assert_eq!(Repr::parse(&Packet::new_checked(&b).unwrap()).unwrap(), r);
        }

        #[test]
        fn arbitrary_bytes_never_panic(b in proptest::collection::vec(any::<u8>(), 0..64)) {
            if let Ok(p) = Packet::new_checked(&b) {
                let _ = (p.sender_hw(), p.target_proto(), Repr::parse(&p));
            }
        }
    }
}
