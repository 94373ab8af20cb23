//! ICMPv6 messages (RFC 4443, RFC 4861): a zero-copy view and an owned `Repr` for echo,
//! error and neighbor discovery messages with symmetric `parse`/`emit`, for generators and
//! imports. The printer (`print::icmp6`) reads the bytes itself, since it prints messages a
//! `Repr` refuses.
//!
//! Must not import `print`, `echo` or do I/O.

use super::{array, checksum, put_be16, slice, WireError};
use std::net::{IpAddr, Ipv6Addr};

const LAYER: &str = "icmp6";

/// Byte ranges of the header.
pub mod field {
    use std::ops::Range;
    pub const TYPE: usize = 0;
    pub const CODE: usize = 1;
    pub const CHECKSUM: Range<usize> = 2..4;
    /// Identifier and sequence, MTU, pointer, or neighbor advertisement flags.
    pub const REST: Range<usize> = 4..8;
    pub const DATA: usize = 8;
    /// The target address of neighbor solicitations and advertisements.
    pub const TARGET: Range<usize> = 8..24;
    /// Options of neighbor solicitations and advertisements.
    pub const ND_OPTIONS: usize = 24;
}

/// The header's length.
pub const HEADER_LEN: usize = field::DATA;

/// IPv6 next-header number of ICMPv6.
pub const PROTOCOL: u8 = 58;

/// The option carrying a source link-layer address (RFC 4861 section 4.6.1).
const OPT_SOURCE_LLADDR: u8 = 1;
/// The option carrying a target link-layer address.
const OPT_TARGET_LLADDR: u8 = 2;

/// Message types this module builds and parses.
pub mod types {
    pub const DST_UNREACH: u8 = 1;
    pub const PACKET_TOO_BIG: u8 = 2;
    pub const TIME_EXCEEDED: u8 = 3;
    pub const PARAM_PROBLEM: u8 = 4;
    pub const ECHO_REQUEST: u8 = 128;
    pub const ECHO_REPLY: u8 = 129;
    pub const NEIGHBOR_SOLICIT: u8 = 135;
    pub const NEIGHBOR_ADVERT: u8 = 136;
}

view! {
    /// A read-only view of an ICMPv6 message whose 8-byte header was captured.
    Packet, LAYER, HEADER_LEN
}

impl<'a> Packet<'a> {
    pub fn new_checked(buffer: &'a [u8]) -> Result<Packet<'a>, WireError> {
        Packet::with_header(buffer)
    }

    fields! {
        msg_type: u8 = byte(field::TYPE);
        code: u8 = byte(field::CODE);
        checksum: u16 = be16(field::CHECKSUM);
    }

    /// The second 32-bit word.
    pub fn rest(&self) -> [u8; 4] {
        array(self.buffer, field::REST)
    }

    /// Everything after the header, as captured.
    pub fn data(&self) -> &'a [u8] {
        self.buffer.get(HEADER_LEN..).unwrap_or(&[])
    }

    /// The target address of a neighbor discovery message, if captured.
    pub fn target(&self) -> Result<Ipv6Addr, WireError> {
        let b = slice(LAYER, self.buffer, field::TARGET.start, 16)?;
        <[u8; 16]>::try_from(b)
            .map(Ipv6Addr::from)
            .map_err(|_| WireError::Truncated {
                layer: LAYER,
                need: field::TARGET.end,
                have: self.buffer.len(),
            })
    }

    /// Whether the checksum over the pseudo-header (RFC 8200 section 8.1) and the captured
    /// message is correct.
    pub fn verify_checksum(&self, src: Ipv6Addr, dst: Ipv6Addr) -> bool {
        checksum::transport_checksum(src.into(), dst.into(), PROTOCOL, self.buffer) == 0
    }
}

/// An owned ICMPv6 message: echo, an error with its quoted packet, or a neighbor solicitation
/// or advertisement with an optional link-layer address option.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Repr<'a> {
    Echo {
        reply: bool,
        ident: u16,
        seq: u16,
        data: &'a [u8],
    },
    Error {
        msg_type: u8,
        code: u8,
        param: u32,
        quoted: &'a [u8],
    },
    Neighbor {
        advert: bool,
        flags: u32,
        target: Ipv6Addr,
        lladdr: Option<[u8; 6]>,
    },
}

impl<'a> Repr<'a> {
    /// Parse a message whose checksum verifies for `src` and `dst`.
    pub fn parse(p: &Packet<'a>, src: Ipv6Addr, dst: Ipv6Addr) -> Result<Repr<'a>, WireError> {
        let bad = |what, value| WireError::Malformed {
            layer: LAYER,
            what,
            value,
        };
        if !p.verify_checksum(src, dst) {
            return Err(bad("checksum", u32::from(p.checksum())));
        }
        let [a, b, c, d] = p.rest();
        let word = u32::from_be_bytes([a, b, c, d]);
        Ok(match p.msg_type() {
            t @ (types::ECHO_REQUEST | types::ECHO_REPLY) => Repr::Echo {
                reply: t == types::ECHO_REPLY,
                ident: u16::from_be_bytes([a, b]),
                seq: u16::from_be_bytes([c, d]),
                data: p.data(),
            },
            t @ types::DST_UNREACH..=types::PARAM_PROBLEM => Repr::Error {
                msg_type: t,
                code: p.code(),
                param: word,
                quoted: p.data(),
            },
            t @ (types::NEIGHBOR_SOLICIT | types::NEIGHBOR_ADVERT) => Repr::Neighbor {
                advert: t == types::NEIGHBOR_ADVERT,
                flags: word,
                target: p.target()?,
                lladdr: lladdr_option(p.buffer.get(field::ND_OPTIONS..).unwrap_or(&[])),
            },
            other => return Err(bad("type", u32::from(other))),
        })
    }

    /// The message's bytes, checksum filled in for `src` and `dst`.
    pub fn emit(&self, src: Ipv6Addr, dst: Ipv6Addr) -> Vec<u8> {
        let mut out = match *self {
            Repr::Echo {
                reply,
                ident,
                seq,
                data,
            } => {
                let t = if reply {
                    types::ECHO_REPLY
                } else {
                    types::ECHO_REQUEST
                };
                let mut v = vec![t, 0, 0, 0];
                v.extend_from_slice(&ident.to_be_bytes());
                v.extend_from_slice(&seq.to_be_bytes());
                v.extend_from_slice(data);
                v
            }
            Repr::Error {
                msg_type,
                code,
                param,
                quoted,
            } => {
                let mut v = vec![msg_type, code, 0, 0];
                v.extend_from_slice(&param.to_be_bytes());
                v.extend_from_slice(quoted);
                v
            }
            Repr::Neighbor {
                advert,
                flags,
                target,
                lladdr,
            } => neighbor_bytes(advert, flags, target, lladdr),
        };
        let sum = checksum::transport_checksum(IpAddr::V6(src), IpAddr::V6(dst), PROTOCOL, &out);
        put_be16(&mut out, field::CHECKSUM, sum);
        out
    }
}

fn neighbor_bytes(advert: bool, flags: u32, target: Ipv6Addr, lladdr: Option<[u8; 6]>) -> Vec<u8> {
    let t = if advert {
        types::NEIGHBOR_ADVERT
    } else {
        types::NEIGHBOR_SOLICIT
    };
    let mut v = vec![t, 0, 0, 0];
    v.extend_from_slice(&flags.to_be_bytes());
    v.extend_from_slice(&target.octets());
    if let Some(mac) = lladdr {
        let opt = if advert {
            OPT_TARGET_LLADDR
        } else {
            OPT_SOURCE_LLADDR
        };
        v.extend_from_slice(&[opt, 1]);
        v.extend_from_slice(&mac);
    }
    v
}

/// The first 6-byte link-layer address option (source or target) among `opts`.
fn lladdr_option(mut opts: &[u8]) -> Option<[u8; 6]> {
    while let [t, len, ..] = *opts {
        let n = usize::from(len) * 8;
        if n == 0 {
            return None;
        }
        if (t == OPT_SOURCE_LLADDR || t == OPT_TARGET_LLADDR) && n == 8 {
            return opts.get(2..8).and_then(|m| m.try_into().ok());
        }
        opts = opts.get(n..)?;
    }
    None
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::capture::wire::testing::assert_truncated_below;
    use proptest::prelude::*;

    const LO: Ipv6Addr = Ipv6Addr::LOCALHOST;

    #[test]
    fn neighbor_solicitation_with_its_option() {
        let r = Repr::Neighbor {
            advert: false,
            flags: 0,
            target: LO,
            lladdr: Some([2, 0, 0, 0, 0, 1]),
        };
        let b = r.emit(LO, LO);
        assert_eq!((b.len(), b[0], b[24], b[25]), (32, 135, 1, 1));
        let p = Packet::new_checked(&b).unwrap();
        assert!(p.verify_checksum(LO, LO));
        assert_eq!(Repr::parse(&p, LO, LO).unwrap(), r);
    }

    #[test]
    fn truncated_at_every_byte_and_wrong_addresses() {
        let b = Repr::Echo {
            reply: true,
            ident: 1,
            seq: 1,
            data: &[],
        }
        .emit(LO, LO);
        assert_truncated_below(LAYER, &b, HEADER_LEN, Packet::new_checked);
        let other = Ipv6Addr::new(0xfe80, 0, 0, 0, 0, 0, 0, 1);
        let p = Packet::new_checked(&b).unwrap();
        assert!(matches!(
            Repr::parse(&p, other, LO),
            Err(WireError::Malformed { .. })
        ));
    }

    proptest! {
        #[test]
        fn emit_parse_round_trips(
            kind in 0u8..3, a in any::<u16>(), b in any::<u16>(), code in any::<u8>(),
            data in proptest::collection::vec(any::<u8>(), 0..40), mac in any::<Option<[u8; 6]>>(),
        ) {
            let r = match kind {
                0 => Repr::Echo { reply: a % 2 == 0, ident: a, seq: b, data: &data },
                1 => Repr::Error { msg_type: 1 + (code % 4), code, param: u32::from(a), quoted: &data },
                _ => Repr::Neighbor { advert: b % 2 == 0, flags: u32::from(a) << 16, target: LO, lladdr: mac },
            };
            let bytes = r.emit(LO, LO);
            prop_assert_eq!(Repr::parse(&Packet::new_checked(&bytes).unwrap(), LO, LO).unwrap(), r);
        }

        #[test]
        fn arbitrary_bytes_never_panic(b in proptest::collection::vec(any::<u8>(), 0..64)) {
            if let Ok(p) = Packet::new_checked(&b) {
                let _ = (p.target(), Repr::parse(&p, LO, LO));
            }
        }
    }
}
