//! `echolab graph`: a capture's TCP conversation as an SVG chart, the graphs tcptrace and
//! Stevens (TCP/IP Illustrated) teach with:
//!
//! - `tseq`, the time-sequence graph: each data segment a vertical bar from its first to its
//!   last sequence number at the time it was seen, retransmitted and out-of-order segments
//!   in their own classes, the ACK line, the advertised window's right edge (ACK plus the
//!   scaled window) and the SACK blocks;
//! - `rtt`: a round-trip sample per acknowledged segment sent once (Karn's rule), or per
//!   echo of a UDP echo exchange;
//! - `throughput`: bytes the data direction sent over a sliding window;
//! - `window`: the advertised window and the bytes in flight.
//!
//! Pure: records in, SVG text out. Reads packets only through `capture::flows` and
//! `capture::wire`; must not import `cli`, `echo`, clap or tokio.

mod analysis;
mod chart;
mod kinds;
mod session;

pub use analysis::{trace, Ack, RttSample, SegKind, Segment, Trace};
pub use chart::SIZE;
pub use session::{Capture, Header, Headers, Reading};

use crate::capture::flows::{Conversation, Transport};

/// Which graph to draw.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Kind {
    /// Sequence numbers over time (tcptrace's time-sequence graph).
    #[default]
    Tseq,
    /// Round-trip time per acknowledged segment or per echo.
    Rtt,
    /// Bytes per second over a sliding window.
    Throughput,
    /// Advertised window and bytes in flight.
    Window,
}

/// Why no graph could be drawn.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum GraphError {
    #[error("no TCP conversation in the capture{}", if *.udp { " (only UDP: `--kind rtt` graphs a UDP echo exchange)" } else { "" })]
    NoTcp { udp: bool },
    #[error("no conversation {asked}: the capture has {have}")]
    NoSuchConversation { asked: usize, have: usize },
    #[error("conversation {asked} is UDP: only `--kind rtt` graphs a UDP exchange")]
    NotTcp { asked: usize },
    #[error("conversation {asked} has no {what} to graph")]
    Empty { asked: usize, what: &'static str },
    #[error("drawing the SVG: {0}")]
    Draw(String),
}

/// A drawn graph.
#[derive(Debug, Clone, PartialEq)]
pub struct Graph {
    /// The SVG document.
    pub svg: String,
    /// The conversation drawn, numbered from 1 in the order of first packets.
    pub conversation: usize,
    /// Its data segments (or echoes, for UDP), and how many were retransmissions.
    pub marks: usize,
    pub retransmissions: usize,
}

/// Bytes of payload a conversation carried.
fn payload_bytes(c: &Conversation) -> usize {
    c.packets.iter().map(|p| p.payload.len()).sum()
}

/// The conversation to draw, numbered from 1: the one asked for, else the TCP conversation
/// carrying the most data (the first of equals); for `rtt` with no TCP at all, the UDP
/// exchange carrying the most.
fn choose(cap: &Capture, kind: Kind, asked: Option<usize>) -> Result<usize, GraphError> {
    let all = &cap.flows.conversations;
    if let Some(n) = asked {
        let c =
            n.checked_sub(1)
                .and_then(|i| all.get(i))
                .ok_or(GraphError::NoSuchConversation {
                    asked: n,
                    have: all.len(),
                })?;
        if c.transport == Transport::Udp && kind != Kind::Rtt {
            return Err(GraphError::NotTcp { asked: n });
        }
        return Ok(n);
    }
    let best = |t: Transport| {
        all.iter()
            .enumerate()
            .filter(|(_, c)| c.transport == t)
            .max_by_key(|&(i, c)| (payload_bytes(c), std::cmp::Reverse(i)))
            .map(|(i, _)| i + 1)
    };
    let udp = best(Transport::Udp);
    match (best(Transport::Tcp), kind) {
        (Some(n), _) => Ok(n),
        (None, Kind::Rtt) if udp.is_some() => udp.ok_or(GraphError::NoTcp { udp: true }),
        (None, _) => Err(GraphError::NoTcp { udp: udp.is_some() }),
    }
}

/// Draw `kind` for conversation `asked` (numbered from 1) or the default one.
pub fn draw(cap: &Capture, kind: Kind, asked: Option<usize>) -> Result<Graph, GraphError> {
    let n = choose(cap, kind, asked)?;
    let c = cap
        .flows
        .conversations
        .get(n - 1)
        .ok_or(GraphError::NoSuchConversation {
            asked: n,
            have: cap.flows.conversations.len(),
        })?;
    let drawn = if c.transport == Transport::Udp {
        kinds::udp_rtt(c, n)?
    } else {
        let t = trace(c, &cap.headers);
        kinds::tcp(&t, kind, n)?
    };
    Ok(Graph {
        svg: chart::render(&drawn.chart)?,
        conversation: n,
        marks: drawn.marks,
        retransmissions: drawn.retransmissions,
    })
}
