//! What the ladder needs of one record, read through `capture::wire` views: the endpoints,
//! and for TCP the flags, sequence and acknowledgement numbers, window and payload; for UDP
//! the payload; for ICMP the message and the datagram an error quotes.
//!
//! Lengths are on-wire lengths (from the IP header), payloads what was captured of them.

use std::net::{IpAddr, SocketAddr};

use crate::capture::record::Record;
use crate::capture::wire::{icmp, icmp6, ipv4, ipv6, tcp, udp};

/// The transport of a ladder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Proto {
    Tcp,
    Udp,
    Icmp,
    /// Anything else over IP, or a transport header not captured whole.
    Ip,
}

impl Proto {
    pub fn name(self) -> &'static str {
        match self {
            Proto::Tcp => "TCP",
            Proto::Udp => "UDP",
            Proto::Icmp => "ICMP",
            Proto::Ip => "IP",
        }
    }
}

/// A decoded TCP segment.
#[derive(Debug, Clone, Copy)]
pub struct Segment<'a> {
    pub flags: u8,
    pub seq: u32,
    pub ack: u32,
    pub win: u16,
    /// Payload length on the wire.
    pub len: u32,
    /// The payload as captured.
    pub payload: &'a [u8],
}

/// An ICMP or ICMPv6 message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    Echo {
        request: bool,
        id: u16,
        seq: u16,
    },
    /// An error: its words, and the conversation of the datagram it quotes.
    Error {
        text: String,
        quoted: Option<(Proto, SocketAddr, SocketAddr)>,
    },
    Other(String),
}

/// What a record carries, as far as the ladder cares.
#[derive(Debug, Clone)]
pub enum Seen<'a> {
    Tcp {
        src: SocketAddr,
        dst: SocketAddr,
        seg: Segment<'a>,
    },
    Udp {
        src: SocketAddr,
        dst: SocketAddr,
        len: u32,
        payload: &'a [u8],
    },
    Icmp {
        src: IpAddr,
        dst: IpAddr,
        msg: Message,
    },
    /// An IP datagram whose transport the ladder does not read: what it is, in words.
    Other {
        src: IpAddr,
        dst: IpAddr,
        what: String,
    },
}

/// An IP datagram's addresses, protocol, the captured transport bytes (never past the IP
/// length, so Ethernet padding is left out) and the transport length on the wire.
struct Ip<'a> {
    src: IpAddr,
    dst: IpAddr,
    proto: u8,
    l4: &'a [u8],
    l4_len: u32,
    /// The fragment offset in bytes (only a first fragment, offset 0, has the transport
    /// header).
    frag: u32,
}

fn ip(buf: &[u8]) -> Option<Ip<'_>> {
    if let Ok(p) = ipv4::Packet::new_checked(buf) {
        let hl = p.header_len();
        let total = usize::from(p.total_len());
        let l4 = buf.get(hl..total.min(buf.len()))?;
        return Some(Ip {
            src: IpAddr::V4(p.src_addr()),
            dst: IpAddr::V4(p.dst_addr()),
            proto: p.protocol(),
            l4,
            l4_len: u32::try_from(total.checked_sub(hl)?).ok()?,
            frag: u32::from(p.frag_offset()) * 8,
        });
    }
    let p = ipv6::Packet::new_checked(buf).ok()?;
    let (nh, at) = p.ext_headers().ok()?;
    let payload = p.payload().ok()?;
    let l4 = payload.get(at.checked_sub(ipv6::HEADER_LEN)?..)?;
    Some(Ip {
        src: IpAddr::V6(p.src_addr()),
        dst: IpAddr::V6(p.dst_addr()),
        proto: nh,
        l4,
        l4_len: u32::try_from(l4.len()).ok()?,
        frag: 0,
    })
}

/// What `rec` carries; `None` for what is not IP.
pub fn decode<'a>(rec: &Record<'a>) -> Option<Seen<'a>> {
    let ip = ip(crate::capture::wire::link::network(rec)?)?;
    let other = |what: String| Seen::Other {
        src: ip.src,
        dst: ip.dst,
        what,
    };
    if ip.frag != 0 {
        return Some(other(format!("IP fragment at {}", ip.frag)));
    }
    let seen = match ip.proto {
        tcp::PROTOCOL => tcp_seen(&ip),
        udp::PROTOCOL => udp_seen(&ip),
        icmp::PROTOCOL => icmp::Packet::new_checked(ip.l4)
            .ok()
            .map(|p| icmp_message(&p))
            .map(|msg| Seen::Icmp {
                src: ip.src,
                dst: ip.dst,
                msg,
            }),
        icmp6::PROTOCOL => icmp6::Packet::new_checked(ip.l4)
            .ok()
            .map(|p| icmp6_message(&p))
            .map(|msg| Seen::Icmp {
                src: ip.src,
                dst: ip.dst,
                msg,
            }),
        _ => return Some(other(format!("IP protocol {}", ip.proto))),
    };
    let name = match ip.proto {
        tcp::PROTOCOL => "TCP",
        udp::PROTOCOL => "UDP",
        icmp::PROTOCOL => "ICMP",
        _ => "ICMP6",
    };
    Some(seen.unwrap_or_else(|| other(format!("{name} header cut short"))))
}

fn tcp_seen<'a>(ip: &Ip<'a>) -> Option<Seen<'a>> {
    let t = tcp::Packet::new_checked(ip.l4).ok()?;
    let hl = u32::try_from(t.header_len()).ok()?;
    Some(Seen::Tcp {
        src: SocketAddr::new(ip.src, t.src_port()),
        dst: SocketAddr::new(ip.dst, t.dst_port()),
        seg: Segment {
            flags: t.flags(),
            seq: t.seq_number(),
            ack: t.ack_number(),
            win: t.window_len(),
            len: ip.l4_len.saturating_sub(hl),
            payload: t.payload(),
        },
    })
}

fn udp_seen<'a>(ip: &Ip<'a>) -> Option<Seen<'a>> {
    let u = udp::Packet::new_checked(ip.l4).ok()?;
    let len = u32::from(u.len()).saturating_sub(udp::HEADER_LEN as u32);
    Some(Seen::Udp {
        src: SocketAddr::new(ip.src, u.src_port()),
        dst: SocketAddr::new(ip.dst, u.dst_port()),
        len,
        payload: ip.l4.get(udp::HEADER_LEN..).unwrap_or(&[]),
    })
}

/// An ICMP message's words (RFC 792).
fn icmp_message(p: &icmp::Packet<'_>) -> Message {
    use icmp::Message as M;
    let (id, seq) = (p.echo_ident(), p.echo_seq());
    let text = match (p.msg_type(), p.code()) {
        (M::EchoRequest, _) => {
            return Message::Echo {
                request: true,
                id,
                seq,
            }
        }
        (M::EchoReply, _) => {
            return Message::Echo {
                request: false,
                id,
                seq,
            }
        }
        (M::DstUnreachable, 0) => "net unreachable".to_string(),
        (M::DstUnreachable, 1) => "host unreachable".to_string(),
        (M::DstUnreachable, 2) => "protocol unreachable".to_string(),
        (M::DstUnreachable, 3) => "port unreachable".to_string(),
        (M::DstUnreachable, 4) => "need to frag".to_string(),
        (M::DstUnreachable, c) => format!("unreachable code {c}"),
        (M::TimeExceeded, _) => "time exceeded".to_string(),
        (M::SourceQuench, _) => "source quench".to_string(),
        (M::Redirect, _) => "redirect".to_string(),
        (M::ParamProblem, _) => "parameter problem".to_string(),
        (t, c) => return Message::Other(format!("type {} code {c}", u8::from(t))),
    };
    Message::Error {
        text,
        quoted: quoted(p.data()),
    }
}

/// An ICMPv6 message's words (RFC 4443).
fn icmp6_message(p: &icmp6::Packet<'_>) -> Message {
    use icmp6::types as T;
    let [a, b, c, d] = p.rest();
    let (id, seq) = (u16::from_be_bytes([a, b]), u16::from_be_bytes([c, d]));
    let text = match (p.msg_type(), p.code()) {
        (T::ECHO_REQUEST, _) => {
            return Message::Echo {
                request: true,
                id,
                seq,
            }
        }
        (T::ECHO_REPLY, _) => {
            return Message::Echo {
                request: false,
                id,
                seq,
            }
        }
        (T::DST_UNREACH, 4) => "port unreachable".to_string(),
        (T::DST_UNREACH, c) => format!("unreachable code {c}"),
        (T::PACKET_TOO_BIG, _) => "packet too big".to_string(),
        (T::TIME_EXCEEDED, _) => "time exceeded".to_string(),
        (T::PARAM_PROBLEM, _) => "parameter problem".to_string(),
        (t, c) => return Message::Other(format!("type {t} code {c}")),
    };
    Message::Error {
        text,
        quoted: quoted(p.data()),
    }
}

/// The conversation of the datagram an ICMP error quotes: its IP header and the first
/// bytes of its transport header (RFC 792: at least 8), enough for the ports.
fn quoted(data: &[u8]) -> Option<(Proto, SocketAddr, SocketAddr)> {
    let (src, dst, proto, l4) = if let Ok(p) = ipv4::Packet::new_checked(data) {
        let l4 = data.get(p.header_len()..)?;
        let (s, d) = (IpAddr::V4(p.src_addr()), IpAddr::V4(p.dst_addr()));
        (s, d, p.protocol(), l4)
    } else {
        let p = ipv6::Packet::new_checked(data).ok()?;
        let (s, d) = (IpAddr::V6(p.src_addr()), IpAddr::V6(p.dst_addr()));
        (s, d, p.next_header(), data.get(ipv6::HEADER_LEN..)?)
    };
    let proto = match proto {
        tcp::PROTOCOL => Proto::Tcp,
        udp::PROTOCOL => Proto::Udp,
        _ => return None,
    };
    let port = |at: usize| Some(u16::from_be_bytes([*l4.get(at)?, *l4.get(at + 1)?]));
    Some((
        proto,
        SocketAddr::new(src, port(0)?),
        SocketAddr::new(dst, port(2)?),
    ))
}
