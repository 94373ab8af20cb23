//! IPv6 datagrams (RFC 8200): a zero-copy view of the fixed header, a walk over the
//! extension headers, and an owned `Repr` with symmetric `parse`/`emit`. The printer
//! (`print::ip6`) reads the bytes itself, since it prints datagrams a `Repr` refuses.
//!
//! Must not import `print`, `echo` or do I/O.

use super::{array, slice, WireError};
use std::net::Ipv6Addr;

const LAYER: &str = "ip6";

/// Byte ranges of the fixed header.
pub mod field {
    use std::ops::Range;
    pub const VER_TC_FLOW: Range<usize> = 0..4;
    pub const LENGTH: Range<usize> = 4..6;
    pub const NXT_HDR: usize = 6;
    pub const HOP_LIMIT: usize = 7;
    pub const SRC_ADDR: Range<usize> = 8..24;
    pub const DST_ADDR: Range<usize> = 24..40;
}

/// The fixed header's length.
pub const HEADER_LEN: usize = 40;

/// Next-header values of the extension headers `ext_headers` walks over.
pub const HOP_BY_HOP: u8 = 0;
pub const ROUTING: u8 = 43;
pub const FRAGMENT: u8 = 44;
pub const DEST_OPTS: u8 = 60;

view! {
    /// A read-only view of an IPv6 datagram whose fixed header was captured.
    Packet, LAYER, HEADER_LEN
}

impl<'a> Packet<'a> {
    /// Check that the fixed header was captured and holds version 6, then wrap `buffer`.
    /// The payload length may exceed what was captured: see `payload`.
    pub fn new_checked(buffer: &'a [u8]) -> Result<Packet<'a>, WireError> {
        let p = Packet::with_header(buffer)?;
        if p.version() != 6 {
            return Err(WireError::Malformed {
                layer: LAYER,
                what: "version",
                value: u32::from(p.version()),
            });
        }
        Ok(p)
    }

    fn first_word(&self) -> u32 {
        u32::from_be_bytes(array(self.buffer, field::VER_TC_FLOW))
    }

    pub fn version(&self) -> u8 {
        (self.first_word() >> 28) as u8
    }

    pub fn traffic_class(&self) -> u8 {
        (self.first_word() >> 20) as u8
    }

    pub fn flow_label(&self) -> u32 {
        self.first_word() & 0x000f_ffff
    }

    fields! {
        /// The payload length field: extension headers and upper-layer data.
        payload_len: u16 = be16(field::LENGTH);
        next_header: u8 = byte(field::NXT_HDR);
        hop_limit: u8 = byte(field::HOP_LIMIT);
    }

    pub fn src_addr(&self) -> Ipv6Addr {
        Ipv6Addr::from(array::<16>(self.buffer, field::SRC_ADDR))
    }

    pub fn dst_addr(&self) -> Ipv6Addr {
        Ipv6Addr::from(array::<16>(self.buffer, field::DST_ADDR))
    }

    /// The payload as the payload length gives it, or `Truncated` when it was not all
    /// captured (never silently clamped; a zero length, as jumbograms carry, gives nothing).
    pub fn payload(&self) -> Result<&'a [u8], WireError> {
        slice(
            LAYER,
            self.buffer,
            HEADER_LEN,
            usize::from(self.payload_len()),
        )
    }

    /// The upper-layer protocol and its offset from the start of the datagram, past the
    /// hop-by-hop, routing, fragment and destination options headers. Headers that are not
    /// all captured within the payload give `Truncated`.
    pub fn ext_headers(&self) -> Result<(u8, usize), WireError> {
        let payload = self.payload()?;
        let mut nh = self.next_header();
        let mut at = 0;
        while matches!(nh, HOP_BY_HOP | ROUTING | FRAGMENT | DEST_OPTS) {
            let head = slice(LAYER, payload, at, 2)?;
            let len = match (nh, head) {
                (FRAGMENT, _) => 8,
                (_, [_, units]) => (usize::from(*units) + 1) * 8,
                _ => 8,
            };
            slice(LAYER, payload, at, len)?;
            nh = head.first().copied().unwrap_or(0);
            at += len;
        }
        Ok((nh, HEADER_LEN + at))
    }
}

/// An owned IPv6 header without extension headers, and its payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Repr<'a> {
    pub src_addr: Ipv6Addr,
    pub dst_addr: Ipv6Addr,
    pub next_header: u8,
    pub traffic_class: u8,
    /// The flow label: 20 bits.
    pub flow_label: u32,
    pub hop_limit: u8,
    pub payload: &'a [u8],
}

impl<'a> Repr<'a> {
    /// Parse a datagram whose payload was all captured.
    pub fn parse(p: &Packet<'a>) -> Result<Repr<'a>, WireError> {
        Ok(Repr {
            src_addr: p.src_addr(),
            dst_addr: p.dst_addr(),
            next_header: p.next_header(),
            traffic_class: p.traffic_class(),
            flow_label: p.flow_label(),
            hop_limit: p.hop_limit(),
            payload: p.payload()?,
        })
    }

    /// The datagram's bytes; `Malformed` when the payload does not fit the 16-bit payload
    /// length or the flow label its 20 bits.
    pub fn emit(&self) -> Result<Vec<u8>, WireError> {
        let len = self.payload.len();
        let length = u16::try_from(len).map_err(|_| WireError::Malformed {
            layer: LAYER,
            what: "payload length",
            value: u32::try_from(len).unwrap_or(u32::MAX),
        })?;
        if self.flow_label > 0x000f_ffff {
            return Err(WireError::Malformed {
                layer: LAYER,
                what: "flow label",
                value: self.flow_label,
            });
        }
        let first = (6 << 28) | (u32::from(self.traffic_class) << 20) | self.flow_label;
        let mut out = Vec::with_capacity(HEADER_LEN + len);
        out.extend_from_slice(&first.to_be_bytes());
        out.extend_from_slice(&length.to_be_bytes());
        out.extend_from_slice(&[self.next_header, self.hop_limit]);
        out.extend_from_slice(&self.src_addr.octets());
        out.extend_from_slice(&self.dst_addr.octets());
        out.extend_from_slice(self.payload);
        Ok(out)
    }
}

/// An IPv6 extension header to emit (RFC 8200 section 4).
#[derive(Debug, Clone)]
pub enum Ext {
    /// Hop-by-hop options (raw option bytes, padded with PadN when built).
    HopByHop(Vec<u8>),
    /// Destination options.
    DestOpts(Vec<u8>),
    /// A type 0 routing header through these addresses.
    Routing {
        segments_left: u8,
        addrs: Vec<Ipv6Addr>,
    },
    /// A fragment header.
    Fragment { offset: u16, more: bool, id: u32 },
}

impl Ext {
    /// The header's bytes with `next` as its next-header field, and its own protocol
    /// number (what the header before it names).
    pub fn emit(&self, next: u8) -> (u8, Vec<u8>) {
        match self {
            Ext::HopByHop(o) | Ext::DestOpts(o) => {
                let mut b = vec![next, 0];
                b.extend_from_slice(o);
                let pad = (8 - b.len() % 8) % 8;
                match pad {
                    0 => {}
                    1 => b.push(0),
                    n => {
                        b.push(1);
                        b.push((n - 2) as u8);
                        b.resize(b.len() + n - 2, 0);
                    }
                }
                let units = (b.len() / 8 - 1) as u8;
                if let Some(l) = b.get_mut(1) {
                    *l = units;
                }
                (
                    if matches!(self, Ext::HopByHop(_)) {
                        HOP_BY_HOP
                    } else {
                        DEST_OPTS
                    },
                    b,
                )
            }
            Ext::Routing {
                segments_left,
                addrs,
            } => {
                let mut b = vec![next, (addrs.len() * 2) as u8, 0, *segments_left, 0, 0, 0, 0];
                for a in addrs {
                    b.extend_from_slice(&a.octets());
                }
                (ROUTING, b)
            }
            Ext::Fragment { offset, more, id } => {
                let fl = (offset << 3) | u16::from(*more);
                let mut b = vec![next, 0];
                b.extend_from_slice(&fl.to_be_bytes());
                b.extend_from_slice(&id.to_be_bytes());
                (FRAGMENT, b)
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::capture::wire::testing::assert_truncated_below;
    use proptest::prelude::*;

    /// ::1 > ::1, flow label 0x2ed4b, class 0, hop limit 64: a hop-by-hop header (PadN) then
    /// a fragment header (first fragment) then 4 bytes of protocol 253.
    fn datagram() -> Vec<u8> {
        let mut b = vec![
            0x60, 0x02, 0xed, 0x4b, // version 6, class 0, flow label 0x2ed4b
            0x00, 0x14, 0x00, 0x40, // payload length 20, next header hop-by-hop, hop limit 64
        ];
        b.extend(Ipv6Addr::LOCALHOST.octets());
        b.extend(Ipv6Addr::LOCALHOST.octets());
        b.extend([44, 0, 1, 4, 0, 0, 0, 0]); // hop-by-hop: next fragment, PadN of 4
        b.extend([253, 0, 0, 1, 0, 0, 0, 9]); // fragment: offset 0, more, id 9
        b.extend([0xde, 0xad, 0xbe, 0xef]);
        b
    }

    #[test]
    fn deconstruct() {
        let b = datagram();
        let p = Packet::new_checked(&b).unwrap();
        assert_eq!(
            (p.version(), p.traffic_class(), p.flow_label()),
            (6, 0, 0x2ed4b)
        );
        assert_eq!(
            (p.payload_len(), p.next_header(), p.hop_limit()),
            (20, 0, 64)
        );
        assert_eq!(p.src_addr(), Ipv6Addr::LOCALHOST);
        assert_eq!(p.payload().unwrap().len(), 20);
        assert_eq!(p.ext_headers().unwrap(), (253, 56));
    }

    #[test]
    fn construct_and_parse() {
        let b = datagram();
        let r = Repr {
            src_addr: Ipv6Addr::LOCALHOST,
            dst_addr: Ipv6Addr::LOCALHOST,
            next_header: 0,
            traffic_class: 0,
            flow_label: 0x2ed4b,
            hop_limit: 64,
            payload: &b[40..],
        };
        assert_eq!(r.emit().unwrap(), b);
        assert_eq!(Repr::parse(&Packet::new_checked(&b).unwrap()).unwrap(), r);
        let wide = Repr {
            flow_label: 0x10_0000,
            ..r
        };
        assert!(matches!(
            wide.emit(),
            Err(WireError::Malformed {
                what: "flow label",
                ..
            })
        ));
    }

    #[test]
    fn truncated_at_every_byte() {
        let b = datagram();
        assert_truncated_below(LAYER, &b, HEADER_LEN, Packet::new_checked);
        for cut in HEADER_LEN..b.len() {
            let p = Packet::new_checked(&b[..cut]).unwrap();
            assert!(matches!(
                p.payload(),
                Err(WireError::Truncated { need: 60, .. })
            ));
            assert!(p.ext_headers().is_err());
        }
    }

    #[test]
    fn impossible_lengths_and_versions() {
        let mut b = datagram();
        b[0] = 0x40;
        assert!(matches!(
            Packet::new_checked(&b),
            Err(WireError::Malformed { value: 4, .. })
        ));
        b[0] = 0x60;
        b[41] = 3; // hop-by-hop of 32 bytes inside a payload of 20
        let p = Packet::new_checked(&b).unwrap();
        assert!(matches!(
            p.ext_headers(),
            Err(WireError::Truncated { need: 32, .. })
        ));
    }

    proptest! {
        #[test]
        fn emit_then_parse_round_trips(
            src: [u8; 16], dst: [u8; 16], next_header: u8, traffic_class: u8,
            flow_label in 0u32..0x10_0000, hop_limit: u8,
            payload in proptest::collection::vec(any::<u8>(), 0..64),
        ) {
            let r = Repr {
                src_addr: src.into(), dst_addr: dst.into(), next_header, traffic_class,
                flow_label, hop_limit, payload: &payload,
            };
            let b = r.emit().unwrap();
            prop_assert_eq!(Repr::parse(&Packet::new_checked(&b).unwrap()).unwrap(), r);
        }

        #[test]
        fn views_never_panic(data in proptest::collection::vec(any::<u8>(), 0..96)) {
            let mut d = data;
            if let Some(b) = d.first_mut() {
                *b = 0x60 | (*b & 0x0f);
            }
            if let Ok(p) = Packet::new_checked(&d) {
                let _ = (Repr::parse(&p), p.ext_headers());
            }
        }
    }

    #[test]
    fn extension_headers_emit_padded_to_eight_bytes() {
        let (proto, b) = Ext::HopByHop(vec![5, 2, 0, 0]).emit(17);
        // Router alert (6 bytes with its header), then PadN of 2.
        assert_eq!((proto, b), (HOP_BY_HOP, vec![17, 0, 5, 2, 0, 0, 1, 0]));
        let (proto, b) = Ext::DestOpts(vec![0; 7]).emit(6);
        assert_eq!((proto, b.len(), b[1]), (DEST_OPTS, 16, 1));
        let addrs = vec![Ipv6Addr::LOCALHOST; 2];
        let (proto, b) = Ext::Routing {
            segments_left: 1,
            addrs,
        }
        .emit(58);
        assert_eq!((proto, b.len(), &b[..4]), (ROUTING, 40, &[58, 4, 0, 1][..]));
        let (proto, b) = Ext::Fragment {
            offset: 3,
            more: true,
            id: 7,
        }
        .emit(17);
        assert_eq!((proto, b), (FRAGMENT, vec![17, 0, 0, 0x19, 0, 0, 0, 7]));
    }
}
