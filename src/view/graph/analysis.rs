//! A TCP conversation seen from its data direction, the way tcptrace and Wireshark's
//! sequence analysis see it: each data segment placed in relative sequence space and
//! classified (new, out of order, retransmitted), each ACK of the other side with its
//! window (scaled, RFC 7323) and SACK blocks (RFC 2018), and the round-trip samples.
//!
//! The classification follows Wireshark 4.0's `tcp_analyze_sequence_number`
//! (`epan/dissectors/packet-tcp.c`), so the counts can be checked against
//! `tshark -Y tcp.analysis.retransmission`: a segment starting below the highest sequence
//! number seen so far is a fast retransmission (after two or more duplicate ACKs asking for
//! it, within 20 ms), else out of order (within the first round trip, or 3 ms, of the
//! segment that set the highest, and not ending exactly there), else a spurious
//! retransmission (its bytes were already acknowledged), else a retransmission. Wireshark's
//! `tcp.analysis.retransmission` covers all three kinds of retransmission.

use std::collections::VecDeque;
use std::net::SocketAddr;

use crate::capture::flows::{elapsed_ns, flag, Conversation, Dir, Packet};
use crate::capture::record::Timestamp;

use super::session::Headers;

/// How a data segment relates to those sent before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SegKind {
    /// Bytes sent for the first time, in order.
    New,
    /// Below the highest sequence number, soon after it: reordered, not resent.
    OutOfOrder,
    /// Resent after duplicate ACKs asked for it (RFC 5681 section 3.2).
    FastRetransmit,
    /// Resent though already acknowledged.
    Spurious,
    /// Resent (a timeout, or a reason the capture does not show).
    Retransmit,
    /// One byte below the next sequence number: a keep-alive probe (RFC 9293 3.8.4).
    KeepAlive,
}

impl SegKind {
    /// Whether Wireshark counts it in `tcp.analysis.retransmission`.
    pub fn is_retransmission(self) -> bool {
        matches!(
            self,
            SegKind::FastRetransmit | SegKind::Spurious | SegKind::Retransmit
        )
    }
}

/// A data segment of the data direction.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Segment {
    /// Seconds since the conversation's first packet.
    pub t: f64,
    /// Relative sequence number of its first byte (the SYN is 0).
    pub seq: i64,
    pub len: u32,
    pub kind: SegKind,
}

impl Segment {
    /// The sequence number after its last byte.
    pub fn end(&self) -> i64 {
        self.seq + i64::from(self.len)
    }
}

/// An acknowledgement from the receiving side.
#[derive(Debug, Clone, PartialEq)]
pub struct Ack {
    pub t: f64,
    /// Relative acknowledgement number.
    pub ack: i64,
    /// The advertised window in bytes, scaled when both SYNs agreed on scaling.
    pub window: u64,
    /// SACK blocks, relative (left edge, right edge).
    pub sack: Vec<(i64, i64)>,
    /// Whether it is the SYN+ACK (whose window is never scaled).
    pub syn: bool,
}

/// One round-trip sample: a segment sent once and the ACK that first covered it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RttSample {
    /// When the ACK came, seconds since the conversation's first packet.
    pub t: f64,
    pub rtt: f64,
}

/// The data direction of a TCP conversation, analysed.
#[derive(Debug, Clone, PartialEq)]
pub struct Trace {
    pub sender: SocketAddr,
    pub receiver: SocketAddr,
    pub segments: Vec<Segment>,
    pub acks: Vec<Ack>,
    pub rtt: Vec<RttSample>,
    /// Seconds from the first packet to the last.
    pub span: f64,
}

/// Sequence numbers made relative and unwrapped into 64 bits: each is placed nearest to
/// the one before it (RFC 9293's modular comparison), so a transfer of more than 4 GiB and
/// a wrap of the 32-bit space keep rising.
struct Unwrap {
    last: u32,
    last_rel: i64,
}

impl Unwrap {
    fn rel(&mut self, seq: u32) -> i64 {
        // The difference as a signed 32-bit step: the truncation is the point.
        let step = i64::from(seq.wrapping_sub(self.last) as i32);
        self.last = seq;
        self.last_rel += step;
        self.last_rel
    }
}

/// Which side carries the data: the one that sent more payload bytes (the client on a tie).
fn data_dir(c: &Conversation) -> Dir {
    let bytes = |d: Dir| -> usize {
        c.packets
            .iter()
            .filter(|p| p.dir == d)
            .map(|p| p.payload.len())
            .sum()
    };
    if bytes(Dir::Server) > bytes(Dir::Client) {
        Dir::Server
    } else {
        Dir::Client
    }
}

/// The window-scale shift the receiver applies to the windows it advertises: its own SYN's,
/// when both SYNs carried the option, else none (RFC 7323 section 2.2). Shifts above 14
/// count as 14 (section 2.3).
fn receiver_shift(c: &Conversation, headers: &Headers, sender: Dir) -> u32 {
    let of = |d: Dir| {
        c.packets
            .iter()
            .find(|p| p.dir == d && p.flags & flag::SYN != 0)
            .and_then(|p| headers.get(p.index))
            .and_then(|h| h.wscale)
    };
    let receiver = if sender == Dir::Client {
        Dir::Server
    } else {
        Dir::Client
    };
    match (of(sender), of(receiver)) {
        (Some(_), Some(r)) => u32::from(r.min(14)),
        _ => 0,
    }
}

/// Wireshark's out-of-order threshold: the handshake's round trip (the client's SYN to its
/// ACK of the SYN+ACK), else 3 ms.
fn ooo_threshold_ns(c: &Conversation) -> u64 {
    let syn = c
        .packets
        .iter()
        .position(|p| p.dir == Dir::Client && p.flags & (flag::SYN | flag::ACK) == flag::SYN);
    let rtt = syn.and_then(|at| {
        let rest = c.packets.get(at + 1..)?;
        let synack = rest
            .iter()
            .position(|p| p.dir == Dir::Server && p.flags & (flag::SYN | flag::ACK) != 0)?;
        let ack = rest
            .get(synack + 1..)?
            .iter()
            .find(|p| p.dir == Dir::Client && p.flags & (flag::SYN | flag::ACK) == flag::ACK)?;
        Some(elapsed_ns(c.packets.get(at)?.ts, ack.ts))
    });
    rtt.filter(|&ns| ns > 0).unwrap_or(3_000_000)
}

/// What the sender's side of the analysis remembers.
#[derive(Default)]
struct Sent {
    /// The sequence number after the highest byte (or SYN, FIN) sent so far, and when.
    next: Option<(i64, u64)>,
    /// Segments sent once and not yet acknowledged: (end, time, resent since).
    unacked: VecDeque<(i64, u64, bool)>,
}

/// What the receiver's side remembers: the last ACK, when, its window, the duplicates.
#[derive(Default)]
struct Acked {
    last: Option<(i64, u64, u64)>,
    dups: u32,
}

/// The analysis of conversation `c` (TCP), with the headers of its records.
pub fn trace(c: &Conversation, headers: &Headers) -> Trace {
    let sender = data_dir(c);
    let recv_shift = receiver_shift(c, headers, sender);
    let ooo = ooo_threshold_ns(c);
    let start = c.packets.first().map_or(Timestamp::default(), |p| p.ts);
    let isn = c
        .packets
        .iter()
        .find(|p| p.dir == sender && p.flags & flag::SYN != 0)
        .map(|p| p.seq)
        .or_else(|| {
            let first = c.packets.iter().find(|p| p.dir == sender)?;
            Some(first.seq.wrapping_sub(1))
        })
        .unwrap_or(0);
    let mut unwrap = Unwrap {
        last: isn,
        last_rel: 0,
    };
    let (mut sent, mut acked) = (Sent::default(), Acked::default());
    let mut out = Trace {
        sender: if sender == Dir::Client {
            c.client
        } else {
            c.server
        },
        receiver: if sender == Dir::Client {
            c.server
        } else {
            c.client
        },
        segments: Vec::new(),
        acks: Vec::new(),
        rtt: Vec::new(),
        span: 0.0,
    };
    for p in &c.packets {
        let ns = elapsed_ns(start, p.ts);
        let t = ns as f64 / 1e9;
        out.span = t;
        if p.dir == sender {
            let seq = unwrap.rel(p.seq);
            if let Some(kind) = classify(p, seq, ns, ooo, &mut sent, &acked) {
                out.segments.push(Segment {
                    t,
                    seq,
                    len: len32(p),
                    kind,
                });
            }
        } else if p.flags & flag::ACK != 0 {
            let Some(h) = headers.get(p.index) else {
                continue;
            };
            let ack = unwrap.rel(h.ack);
            let scale = if p.flags & flag::SYN != 0 {
                0
            } else {
                recv_shift
            };
            let window = u64::from(h.window) << scale;
            let sack = h
                .sack
                .iter()
                .map(|&(l, r)| (unwrap.rel(l), unwrap.rel(r)))
                .collect();
            // Leave the unwrapper at the ACK, the nearest of these to the data to come.
            unwrap.rel(h.ack);
            see_ack(p, ack, window, ns, &mut acked, &mut sent, &mut out.rtt);
            out.acks.push(Ack {
                t,
                ack,
                window,
                sack,
                syn: p.flags & flag::SYN != 0,
            });
        }
    }
    out
}

/// A payload's length as a sequence-space step (a segment is under 2^32 bytes).
fn len32(p: &Packet) -> u32 {
    u32::try_from(p.payload.len()).unwrap_or(u32::MAX)
}

/// Classify a segment of the sender (`None` for one with no data, which is only tracked)
/// and update what was sent.
fn classify(
    p: &Packet,
    seq: i64,
    ns: u64,
    ooo: u64,
    sent: &mut Sent,
    acked: &Acked,
) -> Option<SegKind> {
    let len = i64::from(len32(p));
    let syn_fin = p.flags & (flag::SYN | flag::FIN) != 0;
    if p.flags & flag::RST != 0 || (len == 0 && !syn_fin) {
        return None;
    }
    let next = sent.next;
    let keepalive = len <= 1 && !syn_fin && next.is_some_and(|(n, _)| seq == n - 1);
    let behind = next.is_some_and(|(n, _)| seq < n && !(len > 1 && n - 1 == seq));
    let kind = if keepalive {
        SegKind::KeepAlive
    } else if behind && fast(seq, ns, acked) {
        SegKind::FastRetransmit
    } else if behind && next.is_some_and(|(n, at)| ns.saturating_sub(at) < ooo && n != seq + len) {
        SegKind::OutOfOrder
    } else if len > 0 && acked.last.is_some_and(|(a, _, _)| seq + len <= a) {
        SegKind::Spurious
    } else if behind {
        SegKind::Retransmit
    } else {
        SegKind::New
    };
    let end = seq + len + i64::from(syn_fin);
    if next.is_none_or(|(n, _)| end > n) {
        sent.next = Some((end, ns));
    }
    if len > 0 {
        if kind == SegKind::New {
            sent.unacked.push_back((end, ns, false));
        } else {
            // Karn's algorithm: a resent range gives no round-trip sample.
            for u in sent
                .unacked
                .iter_mut()
                .filter(|u| u.0 > seq && u.0 - len < end)
            {
                u.2 = true;
            }
        }
    }
    (len > 0).then_some(kind)
}

/// Wireshark's fast-retransmission test: two or more duplicate ACKs for this very sequence
/// number, the last one less than 20 ms ago.
fn fast(seq: i64, ns: u64, acked: &Acked) -> bool {
    acked.dups >= 2
        && acked
            .last
            .is_some_and(|(a, at, _)| a == seq && ns.saturating_sub(at) < 20_000_000)
}

/// Track an ACK: duplicates (no data, no SYN/FIN/RST, same number and window) and the
/// round-trip sample of the newest segment it covers that was sent only once.
fn see_ack(
    p: &Packet,
    ack: i64,
    window: u64,
    ns: u64,
    acked: &mut Acked,
    sent: &mut Sent,
    rtt: &mut Vec<RttSample>,
) {
    let plain = p.payload.is_empty() && p.flags & (flag::SYN | flag::FIN | flag::RST) == 0;
    match acked.last {
        Some((a, _, w)) if a == ack && w == window && plain => acked.dups += 1,
        Some((a, _, _)) if a == ack => {}
        _ => acked.dups = 0,
    }
    acked.last = Some((ack, ns, window));
    let mut newest = None;
    while sent.unacked.front().is_some_and(|u| u.0 <= ack) {
        newest = sent.unacked.pop_front();
    }
    if let Some((_, at, false)) = newest {
        rtt.push(RttSample {
            t: ns as f64 / 1e9,
            rtt: ns.saturating_sub(at) as f64 / 1e9,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sequence_numbers_unwrap_past_the_32_bit_space() {
        let mut u = Unwrap {
            last: u32::MAX - 9,
            last_rel: 0,
        };
        assert_eq!(u.rel(u32::MAX), 9);
        assert_eq!(u.rel(5), 15);
        // A number a little behind (a retransmission) stays behind.
        assert_eq!(u.rel(u32::MAX - 4), 5);
        assert_eq!(u.rel(1000), 1010);
    }

    #[test]
    fn only_resendings_count_as_wiresharks_retransmissions() {
        let counted: Vec<SegKind> = [
            SegKind::New,
            SegKind::OutOfOrder,
            SegKind::FastRetransmit,
            SegKind::Spurious,
            SegKind::Retransmit,
            SegKind::KeepAlive,
        ]
        .into_iter()
        .filter(|k| k.is_retransmission())
        .collect();
        assert_eq!(
            counted,
            [
                SegKind::FastRetransmit,
                SegKind::Spurious,
                SegKind::Retransmit
            ]
        );
    }
}
