//! Consistency across packets: time order, and each TCP direction's sequence and
//! acknowledgment numbers against the segments the trace shows. These are notes on the trace as
//! a whole, not claims of one packet's text, so they do not change a packet's verdict.

use std::collections::HashMap;
use std::net::IpAddr;

use super::super::import::TextPacket;
use super::super::record::LinkType;
use super::super::wire::tcp;
use super::{finding, layout, Finding, Kind};

type End = (IpAddr, u16);

/// What the packets seen so far say: the last time, and per TCP direction the sequence number
/// after its last segment. Grows with the number of directions, not of packets.
#[derive(Debug, Default)]
pub struct Consistency {
    prev_time: Option<(u32, u32)>,
    next: HashMap<(End, End), u32>,
}

impl Consistency {
    /// The notes on the next packet (its bytes as repaired).
    pub fn notes(&mut self, p: &TextPacket, link: LinkType) -> Vec<Finding> {
        let mut out = Vec::new();
        let t = (p.day_secs, p.nsec);
        if let Some(q) = self.prev_time {
            if t < q && q.0 - t.0 < 43_200 {
                out.push(finding(
                    Kind::Note,
                    "its time is earlier than the previous packet's",
                ));
            }
        }
        self.prev_time = Some(t);
        if !p.complete() {
            return out;
        }
        let bytes: Vec<u8> = p.readable_prefix();
        let Some(lay) = layout(&p.bytes, link) else {
            return out;
        };
        if lay.proto != tcp::PROTOCOL {
            return out;
        }
        let Some(seg) = bytes.get(lay.start..lay.end) else {
            return out;
        };
        let Ok(t) = tcp::Packet::new_checked(seg) else {
            return out;
        };
        let (sport, dport, seq, ack) = (t.src_port(), t.dst_port(), t.seq_number(), t.ack_number());
        let len = u32::try_from(seg.len().saturating_sub(t.header_len())).unwrap_or(0);
        let flags = t.flags();
        let (syn, fin, ackf) = (flags & 0x02 != 0, flags & 0x01 != 0, flags & 0x10 != 0);
        let dir = ((lay.src, sport), (lay.dst, dport));
        let back = (dir.1, dir.0);
        if let Some(&want) = self.next.get(&dir) {
            if !syn && seq != want {
                let text = if seq.wrapping_sub(want) < 0x8000_0000 {
                    format!(
                        "seq {seq}: this side's previous segment ended at {want}; {} byte(s) are not in the trace",
                        seq.wrapping_sub(want)
                    )
                } else {
                    format!("seq {seq}: repeats bytes this side already sent (up to {want})")
                };
                out.push(finding(Kind::Note, text));
            }
        }
        if ackf {
            if let Some(&other) = self.next.get(&back) {
                if ack.wrapping_sub(other) != 0 && ack.wrapping_sub(other) < 0x8000_0000 {
                    out.push(finding(
                        Kind::Note,
                        format!("ack {ack}: the other side's segments in the trace end at {other}"),
                    ));
                }
            }
        }
        let end = seq
            .wrapping_add(len)
            .wrapping_add(u32::from(syn))
            .wrapping_add(u32::from(fin));
        let e = self.next.entry(dir).or_insert(end);
        if end.wrapping_sub(*e) < 0x8000_0000 {
            *e = end;
        }
        out
    }
}
