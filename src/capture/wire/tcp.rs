//! TCP segments (RFC 9293): a zero-copy view, options, and an owned `Repr` with symmetric
//! `parse`/`emit`, for generators and imports. The printer (`print::tcp`) does not use the
//! `Repr`: it prints malformed segments the way tcpdump does, which a `Repr` refuses.
//!
//! Must not import `print`, `echo` or do I/O.

use super::{byte, checksum, put_be16, slice, WireError};
use std::net::IpAddr;

const LAYER: &str = "tcp";

/// Byte ranges of the fixed header.
pub mod field {
    use std::ops::Range;
    pub const SRC_PORT: Range<usize> = 0..2;
    pub const DST_PORT: Range<usize> = 2..4;
    pub const SEQ_NUM: Range<usize> = 4..8;
    pub const ACK_NUM: Range<usize> = 8..12;
    pub const DATA_OFF: usize = 12;
    pub const FLAGS: usize = 13;
    pub const WIN_SIZE: Range<usize> = 14..16;
    pub const CHECKSUM: Range<usize> = 16..18;
    pub const URGENT: Range<usize> = 18..20;
    pub const OPTIONS: usize = 20;
}

/// The fixed header's length.
pub const HEADER_LEN: usize = field::OPTIONS;

/// IP protocol number of TCP.
pub const PROTOCOL: u8 = 6;

fn be16(b: &[u8], r: std::ops::Range<usize>) -> Result<u16, WireError> {
    let s = slice(LAYER, b, r.start, r.len())?;
    Ok(u16::from_be_bytes(s.try_into().unwrap_or([0; 2])))
}

fn be32(b: &[u8], r: std::ops::Range<usize>) -> Result<u32, WireError> {
    let s = slice(LAYER, b, r.start, r.len())?;
    Ok(u32::from_be_bytes(s.try_into().unwrap_or([0; 4])))
}

view! {
    /// A read-only view of a TCP segment whose fixed header and options were captured.
    Packet, LAYER, HEADER_LEN
}

impl<'a> Packet<'a> {
    /// Check the data offset (at least 20, all of it captured) and wrap `buffer`.
    pub fn new_checked(buffer: &'a [u8]) -> Result<Packet<'a>, WireError> {
        let p = Packet::with_header(buffer)?;
        let hlen = p.header_len();
        if hlen < HEADER_LEN {
            return Err(WireError::Malformed {
                layer: LAYER,
                what: "header length",
                value: hlen as u32,
            });
        }
        slice(LAYER, buffer, 0, hlen)?;
        Ok(p)
    }

    fn byte(&self, at: usize) -> u8 {
        byte(self.buffer, at)
    }

    fields! {
        src_port: u16 = be16(field::SRC_PORT);
        dst_port: u16 = be16(field::DST_PORT);
        seq_number: u32 = be32(field::SEQ_NUM);
        ack_number: u32 = be32(field::ACK_NUM);
        window_len: u16 = be16(field::WIN_SIZE);
        checksum: u16 = be16(field::CHECKSUM);
        urgent_at: u16 = be16(field::URGENT);
    }

    /// The header length in bytes, options included (data offset times 4).
    pub fn header_len(&self) -> usize {
        usize::from(self.byte(field::DATA_OFF) >> 4) * 4
    }

    /// The eight flag bits (CWR ECE URG ACK PSH RST SYN FIN).
    pub fn flags(&self) -> u8 {
        self.byte(field::FLAGS)
    }

    /// The option bytes.
    pub fn options(&self) -> &'a [u8] {
        self.buffer
            .get(HEADER_LEN..self.header_len())
            .unwrap_or(&[])
    }

    /// The captured data after the header.
    pub fn payload(&self) -> &'a [u8] {
        self.buffer.get(self.header_len()..).unwrap_or(&[])
    }

    /// Whether the checksum over the pseudo-header and the whole buffer is correct.
    pub fn verify_checksum(&self, src: IpAddr, dst: IpAddr) -> bool {
        checksum::transport_checksum(src, dst, PROTOCOL, self.buffer) == 0
    }
}

/// One TCP option (RFC 9293 section 3.2, RFC 7323, RFC 2018).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TcpOption<'a> {
    EndOfList,
    NoOperation,
    MaxSegmentSize(u16),
    WindowScale(u8),
    SackPermitted,
    SackRange(&'a [u8]),
    Timestamp {
        tsval: u32,
        tsecr: u32,
    },
    Unknown {
        kind: u8,
        data: &'a [u8],
    },
    /// Option bytes emitted as given, well formed or not: for generators of the malformed
    /// options tcpdump prints as `[bad opt]`. `parse` never returns it.
    Raw(&'a [u8]),
}

impl<'a> TcpOption<'a> {
    /// Parse the option at the start of `buf`: the option and the bytes after it.
    pub fn parse(buf: &'a [u8]) -> Result<(&'a [u8], TcpOption<'a>), WireError> {
        let kind = *slice(LAYER, buf, 0, 1)?.first().unwrap_or(&0);
        match kind {
            0 => return Ok((buf.get(1..).unwrap_or(&[]), TcpOption::EndOfList)),
            1 => return Ok((buf.get(1..).unwrap_or(&[]), TcpOption::NoOperation)),
            _ => {}
        }
        let len = usize::from(*slice(LAYER, buf, 1, 1)?.first().unwrap_or(&0));
        if len < 2 {
            return Err(bad_len(len));
        }
        let data = slice(LAYER, buf, 2, len - 2)?;
        let rest = buf.get(len..).unwrap_or(&[]);
        let opt = match (kind, data.len()) {
            (2, 2) => TcpOption::MaxSegmentSize(be16(data, 0..2)?),
            (3, 1) => TcpOption::WindowScale(*data.first().unwrap_or(&0)),
            (4, 0) => TcpOption::SackPermitted,
            (5, n) if n % 8 == 0 => TcpOption::SackRange(data),
            (8, 8) => TcpOption::Timestamp {
                tsval: be32(data, 0..4)?,
                tsecr: be32(data, 4..8)?,
            },
            (2..=5 | 8, _) => return Err(bad_len(len)),
            _ => TcpOption::Unknown { kind, data },
        };
        Ok((rest, opt))
    }

    /// The option's length on the wire.
    pub fn buffer_len(&self) -> usize {
        match self {
            TcpOption::EndOfList | TcpOption::NoOperation => 1,
            TcpOption::MaxSegmentSize(_) => 4,
            TcpOption::WindowScale(_) => 3,
            TcpOption::SackPermitted => 2,
            TcpOption::SackRange(d) | TcpOption::Unknown { data: d, .. } => 2 + d.len(),
            TcpOption::Timestamp { .. } => 10,
            TcpOption::Raw(b) => b.len(),
        }
    }

    /// Append the option's bytes to `out`.
    pub fn emit(&self, out: &mut Vec<u8>) {
        let head = |out: &mut Vec<u8>, kind: u8| {
            out.push(kind);
            out.push(u8::try_from(self.buffer_len()).unwrap_or(u8::MAX));
        };
        match *self {
            TcpOption::EndOfList => out.push(0),
            TcpOption::NoOperation => out.push(1),
            TcpOption::MaxSegmentSize(m) => {
                head(out, 2);
                out.extend_from_slice(&m.to_be_bytes());
            }
            TcpOption::WindowScale(s) => {
                head(out, 3);
                out.push(s);
            }
            TcpOption::SackPermitted => head(out, 4),
            TcpOption::SackRange(d) => {
                head(out, 5);
                out.extend_from_slice(d);
            }
            TcpOption::Timestamp { tsval, tsecr } => {
                head(out, 8);
                out.extend_from_slice(&tsval.to_be_bytes());
                out.extend_from_slice(&tsecr.to_be_bytes());
            }
            TcpOption::Unknown { kind, data } => {
                head(out, kind);
                out.extend_from_slice(data);
            }
            TcpOption::Raw(b) => out.extend_from_slice(b),
        }
    }
}

fn bad_len(len: usize) -> WireError {
    WireError::Malformed {
        layer: LAYER,
        what: "option length",
        value: len as u32,
    }
}

/// An owned, well-formed TCP segment header with its payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repr<'a> {
    pub src_port: u16,
    pub dst_port: u16,
    pub seq_number: u32,
    pub ack_number: u32,
    pub flags: u8,
    pub window_len: u16,
    pub urgent_at: u16,
    /// The options, in order (EOL and NOP included, so `emit` gives the same bytes back).
    pub options: Vec<TcpOption<'a>>,
    pub payload: &'a [u8],
}

impl<'a> Repr<'a> {
    /// Parse a whole segment: header, options (all well formed), payload. The checksum is
    /// checked when addresses are given.
    pub fn parse(p: &Packet<'a>, addrs: Option<(IpAddr, IpAddr)>) -> Result<Repr<'a>, WireError> {
        if let Some((src, dst)) = addrs {
            super::checksum_verifies(LAYER, p.verify_checksum(src, dst), p.checksum())?;
        }
        let mut options = Vec::new();
        let mut rest = p.options();
        while !rest.is_empty() {
            let (next, opt) = TcpOption::parse(rest)?;
            options.push(opt);
            rest = next;
        }
        Ok(Repr {
            src_port: p.src_port(),
            dst_port: p.dst_port(),
            seq_number: p.seq_number(),
            ack_number: p.ack_number(),
            flags: p.flags(),
            window_len: p.window_len(),
            urgent_at: p.urgent_at(),
            options,
            payload: p.payload(),
        })
    }

    /// The header length, options padded with EOL to a multiple of four.
    pub fn header_len(&self) -> usize {
        let opts: usize = self.options.iter().map(TcpOption::buffer_len).sum();
        HEADER_LEN + opts.div_ceil(4) * 4
    }

    /// The segment's bytes, with the checksum for `src` and `dst`.
    pub fn emit(&self, src: IpAddr, dst: IpAddr) -> Vec<u8> {
        let hlen = self.header_len();
        let mut out = Vec::with_capacity(hlen + self.payload.len());
        out.extend_from_slice(&self.src_port.to_be_bytes());
        out.extend_from_slice(&self.dst_port.to_be_bytes());
        out.extend_from_slice(&self.seq_number.to_be_bytes());
        out.extend_from_slice(&self.ack_number.to_be_bytes());
        out.push(u8::try_from(hlen / 4).unwrap_or(15) << 4);
        out.push(self.flags);
        out.extend_from_slice(&self.window_len.to_be_bytes());
        out.extend_from_slice(&[0, 0]);
        out.extend_from_slice(&self.urgent_at.to_be_bytes());
        for o in &self.options {
            o.emit(&mut out);
        }
        out.resize(hlen, 0);
        out.extend_from_slice(self.payload);
        let sum = checksum::transport_checksum(src, dst, PROTOCOL, &out);
        put_be16(&mut out, field::CHECKSUM, sum);
        out
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::capture::wire::testing::{assert_truncated_below, LO};
    use proptest::prelude::*;

    /// The SYN of 000_85775b57d986e02e.txt's session, as captured (checksum 0x7e1e).
    const SYN: [u8; 40] = [
        0xb4, 0x10, 0x0f, 0xa2, // ports 46096 > 4002
        0x84, 0xd9, 0xeb, 0x45, // seq 2228874053
        0x00, 0x00, 0x00, 0x00, // ack
        0xa0, 0x02, 0x80, 0x18, // data offset 10, SYN, window 32792
        0x7e, 0x1e, 0x00, 0x00, // checksum, urgent pointer
        0x02, 0x04, 0x40, 0x0c, // mss 16396
        0x04, 0x02, 0x08, 0x0a, // sackOK, TS
        0x7e, 0x82, 0x5f, 0x1c, // TS val 2122473244
        0x00, 0x00, 0x00, 0x00, // TS ecr 0
        0x01, 0x03, 0x03, 0x05, // nop, wscale 5
    ];

    #[test]
    fn deconstruct() {
        let p = Packet::new_checked(&SYN).unwrap();
        assert_eq!((p.src_port(), p.dst_port()), (46096, 4002));
        assert_eq!(p.seq_number(), 2228874053);
        assert_eq!(
            (p.header_len(), p.flags(), p.window_len()),
            (40, 0x02, 32792)
        );
        assert_eq!(p.checksum(), 0x7e1e);
        assert!(p.verify_checksum(LO, LO));
        assert!(p.payload().is_empty());
    }

    #[test]
    fn parse_then_emit_gives_the_same_bytes() {
        let p = Packet::new_checked(&SYN).unwrap();
        let r = Repr::parse(&p, Some((LO, LO))).unwrap();
        assert_eq!(r.options.first(), Some(&TcpOption::MaxSegmentSize(16396)));
        assert_eq!(r.options.last(), Some(&TcpOption::WindowScale(5)));
        assert_eq!(r.emit(LO, LO), SYN.to_vec());
    }

    #[test]
    fn truncated_at_every_byte() {
        assert_truncated_below(LAYER, &SYN, SYN.len(), Packet::new_checked);
    }

    #[test]
    fn impossible_header_lengths() {
        let mut b = SYN;
        b[12] = 0x40;
        assert!(matches!(
            Packet::new_checked(&b),
            Err(WireError::Malformed { value: 16, .. })
        ));
        b[12] = 0xf0;
        assert!(matches!(
            Packet::new_checked(&b),
            Err(WireError::Truncated { need: 60, .. })
        ));
    }

    #[test]
    fn bad_options_are_malformed() {
        // Every option is whole in its buffer: only its length field is wrong.
        let malformed = |bytes: &[u8], len: u32| {
            assert_eq!(
                TcpOption::parse(bytes).map(|(_, o)| o),
                Err(WireError::Malformed {
                    layer: LAYER,
                    what: "option length",
                    value: len,
                }),
                "{bytes:?}"
            );
        };
        // kind, length: below the two bytes every option with a length has
        malformed(&[2, 1], 1);
        malformed(&[99, 0, 7], 0);
        // MSS (kind 2) with 4 data bytes instead of 2
        malformed(&[2, 6, 0, 0, 0, 0], 6);
        // window scale (kind 3) with 2 data bytes instead of 1
        malformed(&[3, 4, 0, 0], 4);
        // SACK permitted (kind 4) carrying a byte
        malformed(&[4, 3, 0], 3);
        // SACK (kind 5): 6 data bytes, not a multiple of 8
        malformed(&[5, 8, 0, 0, 0, 0, 0, 0], 8);
        // timestamps (kind 8): 4 data bytes instead of 8
        malformed(&[8, 6, 0, 0, 0, 0], 6);
        // A length past the buffer's end is truncation, not a bad option.
        assert_eq!(
            TcpOption::parse(&[8, 10, 0]),
            Err(WireError::Truncated {
                layer: LAYER,
                need: 10,
                have: 3,
            })
        );
        let (rest, o) = TcpOption::parse(&[99, 3, 7, 1]).unwrap();
        assert_eq!(
            (rest, o),
            (
                &[1u8][..],
                TcpOption::Unknown {
                    kind: 99,
                    data: &[7]
                }
            )
        );
    }

    /// Raw options are emitted as given (malformed ones included), padded with EOL.
    #[test]
    fn raw_options_are_emitted_as_given() {
        let r = Repr {
            src_port: 1,
            dst_port: 2,
            seq_number: 0,
            ack_number: 0,
            flags: 0x02,
            window_len: 0,
            urgent_at: 0,
            options: vec![TcpOption::Raw(&[2, 1, 9])],
            payload: b"x",
        };
        let b = r.emit(LO, LO);
        let p = Packet::new_checked(&b).unwrap();
        assert_eq!((p.header_len(), p.options()), (24, &[2, 1, 9, 0][..]));
        assert_eq!(p.payload(), b"x");
        assert!(p.verify_checksum(LO, LO));
        assert!(Repr::parse(&p, None).is_err());
    }

    proptest! {
        #[test]
        fn emit_then_parse_round_trips(
            sport: u16, dport: u16, seq: u32, ack: u32, flags: u8, win: u16, urg: u16,
            mss in proptest::option::of(any::<u16>()),
            ts in proptest::option::of(any::<(u32, u32)>()),
            payload in proptest::collection::vec(any::<u8>(), 0..64),
        ) {
            let mut options = Vec::new();
            if let Some(m) = mss { options.push(TcpOption::MaxSegmentSize(m)); }
            options.push(TcpOption::NoOperation);
            if let Some((tsval, tsecr)) = ts { options.push(TcpOption::Timestamp { tsval, tsecr }); }
            let r = Repr {
                src_port: sport, dst_port: dport, seq_number: seq, ack_number: ack, flags,
                window_len: win, urgent_at: urg, options, payload: &payload,
            };
            let bytes = r.emit(LO, LO);
            let p = Packet::new_checked(&bytes).unwrap();
            let mut back = Repr::parse(&p, Some((LO, LO))).unwrap();
            // Padding comes back as EOL options.
            back.options.retain(|o| *o != TcpOption::EndOfList);
            prop_assert_eq!(back, r);
        }

        #[test]
        fn views_never_panic(data in proptest::collection::vec(any::<u8>(), 0..80)) {
            if let Ok(p) = Packet::new_checked(&data) {
                let _ = Repr::parse(&p, Some((LO, LO)));
            }
        }
    }
}
