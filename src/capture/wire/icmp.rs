//! ICMP messages for IPv4 (RFC 792): a zero-copy view and an owned `Repr` for echo and error
//! messages with symmetric `parse`/`emit`, for generators and imports. The printer
//! (`print::icmp`) reads the bytes itself, since it prints messages a `Repr` refuses.
//!
//! Must not import `print`, `echo` or do I/O.

use super::{array, byte, checksum, put_be16, WireError};

const LAYER: &str = "icmp";

/// Byte ranges of the header.
pub mod field {
    use std::ops::Range;
    pub const TYPE: usize = 0;
    pub const CODE: usize = 1;
    pub const CHECKSUM: Range<usize> = 2..4;
    pub const IDENT: Range<usize> = 4..6;
    pub const SEQ: Range<usize> = 6..8;
    /// The second word: identifier and sequence, gateway, pointer or next-hop MTU.
    pub const REST: Range<usize> = 4..8;
    pub const DATA: usize = 8;
}

/// The header's length.
pub const HEADER_LEN: usize = field::DATA;

/// IP protocol number of ICMP.
pub const PROTOCOL: u8 = 1;

/// ICMP message types (RFC 792, RFC 1256).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Message {
    EchoReply,
    DstUnreachable,
    SourceQuench,
    Redirect,
    EchoRequest,
    RouterAdvert,
    RouterSolicit,
    TimeExceeded,
    ParamProblem,
    Timestamp,
    TimestampReply,
    Unknown(u8),
}

/// The message types and their numbers, both ways.
const MESSAGES: [(Message, u8); 11] = [
    (Message::EchoReply, 0),
    (Message::DstUnreachable, 3),
    (Message::SourceQuench, 4),
    (Message::Redirect, 5),
    (Message::EchoRequest, 8),
    (Message::RouterAdvert, 9),
    (Message::RouterSolicit, 10),
    (Message::TimeExceeded, 11),
    (Message::ParamProblem, 12),
    (Message::Timestamp, 13),
    (Message::TimestampReply, 14),
];

impl From<u8> for Message {
    fn from(v: u8) -> Message {
        MESSAGES
            .iter()
            .find(|(_, n)| *n == v)
            .map_or(Message::Unknown(v), |(m, _)| *m)
    }
}

impl From<Message> for u8 {
    fn from(m: Message) -> u8 {
        match m {
            Message::Unknown(v) => v,
            known => MESSAGES
                .iter()
                .find(|(k, _)| *k == known)
                .map_or(0, |(_, n)| *n),
        }
    }
}

view! {
    /// A read-only view of an ICMP message whose 8-byte header was captured.
    Packet, LAYER, HEADER_LEN
}

impl<'a> Packet<'a> {
    pub fn new_checked(buffer: &'a [u8]) -> Result<Packet<'a>, WireError> {
        Packet::with_header(buffer)
    }

    pub fn msg_type(&self) -> Message {
        byte(self.buffer, field::TYPE).into()
    }

    fields! {
        code: u8 = byte(field::CODE);
        checksum: u16 = be16(field::CHECKSUM);
        echo_ident: u16 = be16(field::IDENT);
        echo_seq: u16 = be16(field::SEQ);
    }

    /// The second 32-bit word.
    pub fn rest(&self) -> [u8; 4] {
        array(self.buffer, field::REST)
    }

    /// Everything after the header, as captured.
    pub fn data(&self) -> &'a [u8] {
        self.buffer.get(HEADER_LEN..).unwrap_or(&[])
    }

    /// Whether the checksum over the whole captured message is correct.
    pub fn verify_checksum(&self) -> bool {
        checksum::checksum(self.buffer) == 0
    }
}

/// An owned echo or error message. Errors carry the quoted datagram and the second word
/// (unused, next-hop MTU, gateway or pointer).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Repr<'a> {
    EchoRequest {
        ident: u16,
        seq: u16,
        data: &'a [u8],
    },
    EchoReply {
        ident: u16,
        seq: u16,
        data: &'a [u8],
    },
    Error {
        msg: Message,
        code: u8,
        rest: [u8; 4],
        quoted: &'a [u8],
    },
}

impl<'a> Repr<'a> {
    /// Parse a message with a correct checksum; other types are `Malformed`.
    pub fn parse(p: &Packet<'a>) -> Result<Repr<'a>, WireError> {
        let bad = |what, value| WireError::Malformed {
            layer: LAYER,
            what,
            value,
        };
        if !p.verify_checksum() {
            return Err(bad("checksum", u32::from(p.checksum())));
        }
        let (ident, seq, data) = (p.echo_ident(), p.echo_seq(), p.data());
        Ok(match p.msg_type() {
            Message::EchoRequest => Repr::EchoRequest { ident, seq, data },
            Message::EchoReply => Repr::EchoReply { ident, seq, data },
            msg @ (Message::DstUnreachable
            | Message::SourceQuench
            | Message::Redirect
            | Message::TimeExceeded
            | Message::ParamProblem) => Repr::Error {
                msg,
                code: p.code(),
                rest: p.rest(),
                quoted: data,
            },
            other => return Err(bad("type", u32::from(u8::from(other)))),
        })
    }

    /// The message's bytes, checksum filled in.
    pub fn emit(&self) -> Vec<u8> {
        let (t, code, rest, data) = match *self {
            Repr::EchoRequest { ident, seq, data } => (8, 0, words(ident, seq), data),
            Repr::EchoReply { ident, seq, data } => (0, 0, words(ident, seq), data),
            Repr::Error {
                msg,
                code,
                rest,
                quoted,
            } => (u8::from(msg), code, rest, quoted),
        };
        let mut out = vec![t, code, 0, 0];
        out.extend_from_slice(&rest);
        out.extend_from_slice(data);
        let sum = checksum::checksum(&out);
        put_be16(&mut out, field::CHECKSUM, sum);
        out
    }
}

fn words(a: u16, b: u16) -> [u8; 4] {
    let [a0, a1] = a.to_be_bytes();
    let [b0, b1] = b.to_be_bytes();
    [a0, a1, b0, b1]
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::capture::wire::testing::assert_truncated_below;
    use proptest::prelude::*;

    #[test]
    fn deconstruct() {
        let b = Repr::EchoRequest {
            ident: 1,
            seq: 2,
            data: b"ab",
        }
        .emit();
        assert_eq!(&b[..2], &[8, 0]);
        assert_eq!(&b[4..], &[0, 1, 0, 2, b'a', b'b']);
        let p = Packet::new_checked(&b).unwrap();
        assert_eq!(
            (p.msg_type(), p.echo_ident(), p.echo_seq()),
            (Message::EchoRequest, 1, 2)
        );
        assert!(p.verify_checksum());
    }

    #[test]
    fn truncated_at_every_byte_and_bad_checksums() {
        let mut b = Repr::EchoReply {
            ident: 7,
            seq: 9,
            data: &[],
        }
        .emit();
        assert_truncated_below(LAYER, &b, HEADER_LEN, Packet::new_checked);
        b[7] ^= 1;
        let p = Packet::new_checked(&b).unwrap();
        assert!(matches!(
            Repr::parse(&p),
            Err(WireError::Malformed {
                what: "checksum",
                ..
            })
        ));
    }

    proptest! {
        #[test]
        fn emit_parse_round_trips(
            kind in 0u8..3, code in any::<u8>(), a in any::<u16>(), b in any::<u16>(),
            data in proptest::collection::vec(any::<u8>(), 0..40),
        ) {
            let r = match kind {
                0 => Repr::EchoRequest { ident: a, seq: b, data: &data },
                1 => Repr::EchoReply { ident: a, seq: b, data: &data },
                _ => Repr::Error { msg: Message::DstUnreachable, code, rest: words(a, b), quoted: &data },
            };
            let bytes = r.emit();
            prop_assert_eq!(Repr::parse(&Packet::new_checked(&bytes).unwrap()).unwrap(), r);
        }
    }
}
