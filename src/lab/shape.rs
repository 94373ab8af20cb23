//! The criteria the exercises share: a TCP connection's handshake, one line (or one key) per
//! segment or datagram, each echoed alone and whole, the orderly teardown. Each returns a
//! [`Criterion`] whose evidence names packets by number (1-based, as `tcpdump -#` counts).

use crate::capture::flows::{self, flag, Conversation, Dir, Flows, Packet, Transport};
use crate::capture::record::Timestamp;
use crate::demo::Frame;

use super::facts::{self, Facts};
use super::{answer, criterion, Answer, Criterion};

/// A capture cut into conversations, with each record's extra facts.
pub struct Cap {
    pub flows: Flows,
    pub facts: Vec<Option<Facts>>,
    /// Each record's time stamp.
    pub stamps: Vec<Timestamp>,
}

impl Cap {
    pub fn new(frames: &[Frame]) -> Cap {
        Cap {
            flows: flows::conversations(frames.iter().map(Frame::record)),
            facts: frames.iter().map(|f| facts::of(&f.record())).collect(),
            stamps: frames.iter().map(|f| f.ts).collect(),
        }
    }

    pub fn fact(&self, p: &Packet) -> Option<&Facts> {
        self.facts.get(p.index).and_then(Option::as_ref)
    }

    /// The first conversation of a transport, or the criterion that fails for lack of one.
    pub fn first(&self, t: Transport) -> Result<&Conversation, Criterion> {
        let what = match t {
            Transport::Tcp => "a TCP connection",
            Transport::Udp => "a UDP exchange",
        };
        match self.flows.of(t).next() {
            Some(c) => Ok(c),
            None => Err(criterion(what, false, self.census())),
        }
    }

    /// What the capture holds, for a criterion that found nothing of what it needs.
    pub fn census(&self) -> String {
        let count = |t| {
            self.flows
                .of(t)
                .map(|c: &Conversation| c.packets.len())
                .sum::<usize>()
        };
        format!(
            "the capture holds {} TCP segment(s), {} UDP datagram(s), {} other packet(s)",
            count(Transport::Tcp),
            count(Transport::Udp),
            self.flows.other
        )
    }
}

/// `#N`: a packet's number in its capture.
pub fn no(p: &Packet) -> String {
    format!("#{}", p.index + 1)
}

/// A list cut to its first few items, for evidence that must fit a line.
pub fn few(items: Vec<String>) -> String {
    const SHOWN: usize = 6;
    let n = items.len();
    let mut s = items.into_iter().take(SHOWN).collect::<Vec<_>>().join(", ");
    if n > SHOWN {
        s.push_str(&format!(", … ({n} in all)"));
    }
    s
}

/// The criterion that a conversation exists, passed.
pub fn found(c: &Conversation) -> Criterion {
    let what = match c.transport {
        Transport::Tcp => "a TCP connection",
        Transport::Udp => "a UDP exchange",
    };
    let unit = c.transport.unit();
    criterion(
        what,
        true,
        format!(
            "client {}, server {}: {} {unit}(s)",
            c.client,
            c.server,
            c.packets.len()
        ),
    )
}

fn flags_of(p: &Packet) -> String {
    format!("{} {} {}", no(p), p.dir.name(), flows::flags_text(p.flags))
}

/// SYN, SYN-ACK, ACK, each acknowledging the other side's initial sequence number plus one.
/// Answers the initial sequence numbers, MSS and window scale each side offers.
pub fn handshake(cap: &Cap, c: &Conversation, answers: &mut Vec<Answer>) -> Criterion {
    const WHAT: &str = "three-way handshake";
    let ack = |p: &Packet| cap.fact(p).map_or(0, |f| f.ack);
    let shape = |p: Option<&Packet>, dir: Dir, flags: u8| {
        p.is_some_and(|p| p.dir == dir && p.flags & 0x1f == flags)
    };
    let (s, sa, a) = (c.packets.first(), c.packets.get(1), c.packets.get(2));
    let seen = few(c.packets.iter().take(3).map(flags_of).collect());
    let ok = shape(s, Dir::Client, flag::SYN)
        && shape(sa, Dir::Server, flag::SYN | flag::ACK)
        && shape(a, Dir::Client, flag::ACK);
    let (Some(s), Some(sa), Some(a)) = (s, sa, a) else {
        return criterion(WHAT, false, format!("only {seen}"));
    };
    if !ok {
        return criterion(WHAT, false, format!("the connection opens with {seen}"));
    }
    let acks = ack(sa) == s.seq.wrapping_add(1) && ack(a) == sa.seq.wrapping_add(1);
    for (who, p) in [("client", s), ("server", sa)] {
        answers.push(answer(
            &format!("{who}'s initial sequence number"),
            format!("{} ({} {})", p.seq, no(p), flows::flags_text(p.flags)),
        ));
        let f = cap.fact(p);
        let mss = f
            .and_then(|f| f.mss)
            .map_or("none".into(), |m| m.to_string());
        let ws = f
            .and_then(|f| f.wscale)
            .map_or("none".into(), |w| format!("{w} (x{})", 1u32 << w.min(14)));
        answers.push(answer(&format!("MSS the {who} offers"), mss));
        answers.push(answer(&format!("window scale the {who} offers"), ws));
    }
    let evidence = format!(
        "{} S seq {}, {} S. ack {}, {} . ack {}",
        no(s),
        s.seq,
        no(sa),
        ack(sa),
        no(a),
        ack(a)
    );
    if acks {
        criterion(WHAT, true, evidence)
    } else {
        criterion(
            WHAT,
            false,
            format!("{evidence}: an acknowledgement is not the other's ISN + 1"),
        )
    }
}

/// The client's data packets (retransmissions left out).
pub fn client_data(c: &Conversation) -> Vec<&Packet> {
    flows::data_packets(c)
        .into_iter()
        .filter(|p| p.dir == Dir::Client)
        .collect()
}

fn sized(p: &Packet) -> String {
    format!("{} ({})", no(p), bytes(p.payload.len()))
}

/// `1 byte`, `13 bytes`.
pub fn bytes(n: usize) -> String {
    if n == 1 {
        "1 byte".to_string()
    } else {
        format!("{n} bytes")
    }
}

/// Line mode: every client segment or datagram holds exactly one line, ending with `\n`.
pub fn one_line_each(c: &Conversation) -> Criterion {
    let unit = c.transport.unit();
    let what = format!("one {unit} per line");
    let data = client_data(c);
    if data.is_empty() {
        return criterion(&what, false, "the client sent no data");
    }
    for p in &data {
        let ends = p.payload.iter().filter(|&&b| b == b'\n').count();
        let bad = match (ends, p.payload.last()) {
            (1, Some(b'\n')) => continue,
            (0, _) => "holds no line end: part of a line",
            (1, _) => "holds a line end before its last byte",
            _ => "holds more than one line",
        };
        return criterion(&what, false, format!("{} {bad}", sized(p)));
    }
    let list = few(data.iter().map(|p| sized(p)).collect());
    criterion(&what, true, format!("{} line(s): {list}", data.len()))
}

/// Continuous mode: every client segment or datagram carries exactly one byte.
pub fn one_key_each(c: &Conversation) -> Criterion {
    let what = format!("one byte per {} for every key", c.transport.unit());
    let data = client_data(c);
    if data.is_empty() {
        return criterion(&what, false, "the client sent no data");
    }
    if let Some(p) = data.iter().find(|p| p.payload.len() != 1) {
        let text = flows::show_bytes(&p.payload);
        return criterion(&what, false, format!("{} carries {text}", sized(p)));
    }
    criterion(&what, true, format!("{} key(s), 1 byte each", data.len()))
}

/// Every request answered by one packet carrying exactly its bytes (to the port it came
/// from). Answers each echo's round-trip time.
pub fn echoed_whole_alone(c: &Conversation, answers: &mut Vec<Answer>) -> Criterion {
    let unit = c.transport.unit();
    let what = format!("each echoed whole, alone, in one {unit}");
    let data = flows::data_packets(c);
    let echoes = flows::echoes(c);
    let at = |i: usize| data.get(i).copied();
    if let Some(p) = c.packets.iter().find(|p| p.misdirected_to.is_some()) {
        let port = p.misdirected_to.unwrap_or(0);
        return criterion(&what, false, format!("{} went to port {port}", no(p)));
    }
    let mut pairs = Vec::new();
    let mut rtts = Vec::new();
    for e in &echoes {
        let Some(req) = at(e.request) else { continue };
        let replies: Vec<&Packet> = e.replies.iter().filter_map(|&i| at(i)).collect();
        let bad = if replies.is_empty() {
            Some("no echo".to_string())
        } else if !e.complete {
            Some(format!(
                "echo incomplete or different ({})",
                few(replies.iter().map(|p| sized(p)).collect())
            ))
        } else if replies.len() > 1 {
            Some(format!(
                "echoed in {} {unit}s: {}",
                replies.len(),
                few(replies.iter().map(|p| no(p)).collect())
            ))
        } else {
            None
        };
        if let Some(bad) = bad {
            return criterion(&what, false, format!("{}: {bad}", sized(req)));
        }
        let reply = replies.first().map_or(String::new(), |p| no(p));
        pairs.push(format!("{} -> {reply}", no(req)));
        rtts.push(e.rtt_ns.map_or("no echo".to_string(), ms));
    }
    // Server data the requests do not account for: echoes of other bytes.
    let echoed: usize = echoes.iter().map(|e| e.replies.len()).sum();
    let from_server = data.iter().filter(|p| p.dir == Dir::Server).count();
    if from_server > echoed {
        return criterion(
            &what,
            false,
            format!(
                "{} server {unit}(s) echo nothing the client sent",
                from_server - echoed
            ),
        );
    }
    if pairs.is_empty() {
        return criterion(&what, false, "the client sent no data");
    }
    answers.push(answer("round-trip time of each echo", few(rtts)));
    criterion(&what, true, few(pairs))
}

/// Milliseconds, three decimals.
pub fn ms(ns: u64) -> String {
    format!("{:.3} ms", ns as f64 / 1e6)
}

/// A FIN from each side, the second acknowledged, and no RST. Answers who closed first.
pub fn teardown(cap: &Cap, c: &Conversation, answers: &mut Vec<Answer>) -> Criterion {
    const WHAT: &str = "orderly teardown";
    if let Some(r) = c.packets.iter().find(|p| p.flags & flag::RST != 0) {
        return criterion(WHAT, false, format!("{}: reset, not closed", flags_of(r)));
    }
    let fin = |dir: Dir| {
        c.packets
            .iter()
            .find(|p| p.dir == dir && p.flags & flag::FIN != 0)
    };
    let (Some(cf), Some(sf)) = (fin(Dir::Client), fin(Dir::Server)) else {
        let missing = if fin(Dir::Client).is_none() {
            "client"
        } else {
            "server"
        };
        return criterion(
            WHAT,
            false,
            format!("no FIN from the {missing}: the capture ends before the connection closed"),
        );
    };
    let (first, second) = if cf.index < sf.index {
        (cf, sf)
    } else {
        (sf, cf)
    };
    let want = second
        .seq
        .wrapping_add(second.payload.len() as u32)
        .wrapping_add(1);
    let acked = c.packets.iter().find(|p| {
        p.index > second.index
            && p.dir == first.dir
            && p.flags & flag::ACK != 0
            && cap.fact(p).is_some_and(|f| f.ack == want)
    });
    answers.push(answer("who sends the first FIN", first.dir.name()));
    let evidence = format!("{}, {}", flags_of(first), flags_of(second));
    match acked {
        Some(a) => criterion(WHAT, true, format!("{evidence}, {}", flags_of(a))),
        None => criterion(
            WHAT,
            false,
            format!("{evidence}: the last FIN is never acknowledged"),
        ),
    }
}

/// No TCP at all: UDP needs no handshake or teardown.
pub fn no_handshake(cap: &Cap) -> Criterion {
    const WHAT: &str = "no handshake, no teardown (UDP only)";
    match cap.flows.of(Transport::Tcp).next() {
        Some(c) => {
            let first = c.packets.first().map_or(String::new(), flags_of);
            criterion(WHAT, false, format!("TCP segments from {first} on"))
        }
        None => criterion(WHAT, true, "no TCP segment in the capture"),
    }
}
