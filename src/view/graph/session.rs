//! One pass over a capture: its conversations (cut by `flows::Cutter`) and, for every TCP
//! segment, what a graph needs beyond them: the acknowledgement number, the window and the
//! window-scale and SACK options (RFC 7323 section 2, RFC 2018 section 3).
//!
//! Headers are read only through `capture::wire` views.

use crate::capture::flows::{Cutter, Flows};
use crate::capture::record::Record;
use crate::capture::wire::tcp::{self, TcpOption};
use crate::capture::wire::{ipv4, ipv6};

/// The TCP header fields of one segment that `flows::Packet` does not keep.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Header {
    pub ack: u32,
    /// The window field as sent, before any scaling.
    pub window: u16,
    /// The window-scale option's shift count, if the segment carries one.
    pub wscale: Option<u8>,
    /// The SACK blocks, left and right edges as sent.
    pub sack: Vec<(u32, u32)>,
}

/// The TCP headers of a capture, by record index (`flows::Packet::index`).
#[derive(Debug, Default)]
pub struct Headers(Vec<Option<Header>>);

impl Headers {
    /// The header of record `index`, if it is a TCP segment.
    pub fn get(&self, index: usize) -> Option<&Header> {
        self.0.get(index).and_then(Option::as_ref)
    }
}

/// A capture read once: its conversations and the TCP headers by record index.
#[derive(Debug, Default)]
pub struct Capture {
    pub flows: Flows,
    pub headers: Headers,
}

/// Builds a [`Capture`] one record at a time (a capture file is read, never held whole).
#[derive(Debug, Default)]
pub struct Reading {
    cutter: Cutter,
    /// One entry per record seen, as `Cutter` counts them.
    headers: Vec<Option<Header>>,
}

impl Reading {
    /// Take the next record of the capture.
    pub fn add(&mut self, rec: &Record<'_>) {
        self.headers.push(header(rec));
        self.cutter.add(rec);
    }

    /// Everything read.
    pub fn finish(self) -> Capture {
        Capture {
            flows: self.cutter.finish(),
            headers: Headers(self.headers),
        }
    }
}

/// The TCP segment of an IP datagram (unfragmented IPv4, or IPv6 past its extension headers).
fn segment(ip: &[u8]) -> Option<tcp::Packet<'_>> {
    let l4 = if let Ok(p) = ipv4::Packet::new_checked(ip) {
        if p.is_fragment() || p.protocol() != tcp::PROTOCOL {
            return None;
        }
        p.payload().ok()?
    } else {
        let p = ipv6::Packet::new_checked(ip).ok()?;
        let (nh, at) = p.ext_headers().ok()?;
        if nh != tcp::PROTOCOL {
            return None;
        }
        p.payload().ok()?.get(at.checked_sub(ipv6::HEADER_LEN)?..)?
    };
    tcp::Packet::new_checked(l4).ok()
}

/// The header fields of a record's TCP segment; options past a malformed one are ignored.
fn header(rec: &Record<'_>) -> Option<Header> {
    let t = segment(crate::capture::wire::link::network(rec)?)?;
    let mut h = Header {
        ack: t.ack_number(),
        window: t.window_len(),
        ..Header::default()
    };
    let mut rest = t.options();
    while let Ok((next, opt)) = TcpOption::parse(rest) {
        match opt {
            TcpOption::EndOfList => break,
            TcpOption::WindowScale(s) => h.wscale = Some(s),
            TcpOption::SackRange(blocks) => h.sack.extend(sack_blocks(blocks)),
            _ => {}
        }
        rest = next;
    }
    Some(h)
}

/// The (left, right) edges of a SACK option's data: 8 bytes a block.
fn sack_blocks(data: &[u8]) -> impl Iterator<Item = (u32, u32)> + '_ {
    data.chunks_exact(8).map(|b| {
        let word = |at: usize| {
            b.get(at..at + 4)
                .and_then(|w| <[u8; 4]>::try_from(w).ok())
                .map_or(0, u32::from_be_bytes)
        };
        (word(0), word(4))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sack_blocks_are_pairs_of_edges() {
        let data = [0, 0, 0, 1, 0, 0, 0, 9, 0, 0, 1, 0, 0, 0, 2, 0];
        let got: Vec<_> = sack_blocks(&data).collect();
        assert_eq!(got, vec![(1, 9), (256, 512)]);
    }
}
