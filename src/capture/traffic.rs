//! What a capture beside an echo session watches: the filter on the session's packets
//! (`Plan`), and the end of a TCP conversation (`Teardown`: both FINs acknowledged, or a
//! reset), so the echo programs' `--dump` keeps the last FIN/ACK and stops no later.
//!
//! Frames are read through `wire`'s views. Must not import `crate::echo`, `crate::cli`, clap,
//! tokio or comfy-table.

use std::net::{IpAddr, SocketAddr};

use super::flows::flag;
use super::live;
use super::wire::ethernet::{self, EtherType};
use super::wire::{ipv4, ipv6, tcp};

/// What a capture beside a session watches.
#[derive(Debug, Clone)]
pub struct Plan {
    /// Interface to watch.
    pub interface: String,
    /// Filter expression (tcpdump's language).
    pub expr: String,
    /// Whether the capture may end early, once the TCP teardown has been seen.
    pub teardown: bool,
    /// End printed lines with `\r\n` (stderr is a terminal in raw mode).
    pub crlf: bool,
}

impl Plan {
    /// Exactly one conversation, both directions (`proto` is `tcp` or `udp`).
    pub fn conversation(proto: &str, local: SocketAddr, remote: SocketAddr) -> Plan {
        let (l, lp, r, rp) = (local.ip(), local.port(), remote.ip(), remote.port());
        Plan {
            interface: interface_for(local),
            expr: format!(
                "{proto} and ((src host {l} and src port {lp} and dst host {r} and dst port {rp}) \
                 or (src host {r} and src port {rp} and dst host {l} and dst port {lp}))"
            ),
            teardown: proto == "tcp",
            crlf: false,
        }
    }

    /// Every packet to or from a server's port (and address, unless it serves them all).
    pub fn server(proto: &str, addr: SocketAddr) -> Plan {
        let expr = if addr.ip().is_unspecified() {
            format!("{proto} and port {}", addr.port())
        } else {
            format!("{proto} and host {} and port {}", addr.ip(), addr.port())
        };
        Plan {
            interface: interface_for(addr),
            expr,
            teardown: false,
            crlf: false,
        }
    }
}

fn interface_for(addr: SocketAddr) -> String {
    live::interface_with_address(addr.ip()).unwrap_or_else(|| live::DEFAULT_INTERFACE.into())
}

/// Watches a TCP conversation for its end: each side's FIN acknowledged by the other, or a
/// reset.
#[derive(Debug, Default)]
pub struct Teardown {
    /// Per side: the sequence number just past its FIN.
    fins: Vec<(SocketAddr, u32)>,
    /// Sides whose FIN has been acknowledged.
    acked: Vec<SocketAddr>,
    reset: bool,
}

impl Teardown {
    /// Look at one Ethernet frame; true once the conversation is over.
    pub fn see(&mut self, frame: &[u8]) -> bool {
        if let Some(seg) = tcp_segment(frame) {
            if seg.flags & flag::RST != 0 {
                self.reset = true;
            }
            if seg.flags & flag::FIN != 0 && !self.fins.iter().any(|(k, _)| *k == seg.src) {
                let end = seg.seq.wrapping_add(seg.payload_len).wrapping_add(1);
                self.fins.push((seg.src, end));
            }
            if seg.flags & flag::ACK != 0 {
                for (side, end) in &self.fins {
                    if *side != seg.src && seg.ack == *end && !self.acked.contains(side) {
                        self.acked.push(*side);
                    }
                }
            }
        }
        self.reset || self.acked.len() >= 2
    }
}

/// The fields of a TCP segment the teardown needs.
struct Segment {
    src: SocketAddr,
    seq: u32,
    ack: u32,
    flags: u8,
    /// The payload's length on the wire (from the IP length fields, whatever was captured).
    payload_len: u32,
}

/// The TCP segment in an Ethernet frame carrying IPv4 or IPv6 (no extension headers), if its
/// headers were captured.
fn tcp_segment(frame: &[u8]) -> Option<Segment> {
    let eth = ethernet::Frame::new_checked(frame).ok()?;
    let ip = eth.payload();
    let (src, l4, l4_len) = match eth.ethertype() {
        EtherType::Ipv4 => {
            let p = ipv4::Packet::new_checked(ip).ok()?;
            if p.protocol() != tcp::PROTOCOL {
                return None;
            }
            let len = usize::from(p.total_len()).saturating_sub(p.header_len());
            (IpAddr::V4(p.src_addr()), ip.get(p.header_len()..)?, len)
        }
        EtherType::Ipv6 => {
            let p = ipv6::Packet::new_checked(ip).ok()?;
            if p.next_header() != tcp::PROTOCOL {
                return None;
            }
            let len = usize::from(p.payload_len());
            (IpAddr::V6(p.src_addr()), ip.get(ipv6::HEADER_LEN..)?, len)
        }
        _ => return None,
    };
    let t = tcp::Packet::new_checked(l4).ok()?;
    Some(Segment {
        src: SocketAddr::new(src, t.src_port()),
        seq: t.seq_number(),
        ack: t.ack_number(),
        flags: t.flags(),
        payload_len: u32::try_from(l4_len.saturating_sub(t.header_len())).unwrap_or(0),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capture::filter;
    use crate::capture::record::LinkType;

    /// An Ethernet + IPv4 + TCP frame (no options, no payload) from `src_port` to `dst_port`
    /// on 127.0.0.1.
    fn segment(src_port: u16, dst_port: u16, seq: u32, ack: u32, flags: u8) -> Vec<u8> {
        use crate::capture::synth::{self, Net, Tcp, Transport};
        let tcp = Tcp {
            sport: src_port,
            dport: dst_port,
            seq,
            ack,
            flags,
            ..Tcp::default()
        };
        synth::frame(&Net::V4(synth::Ipv4::default()), &Transport::Tcp(tcp))
    }

    /// The teardown counts the FIN's payload: the ACK of a FIN that carries data acknowledges
    /// past the data, on IPv6 as on IPv4.
    #[test]
    fn a_fin_with_data_is_acknowledged_past_its_data() {
        use crate::capture::synth::{self, Net, Tcp, Transport};
        let v6 = Net::V6(synth::Ipv6::default());
        let seg = |sport, dport, seq, ack, flags, payload: &[u8]| {
            let t = Tcp {
                sport,
                dport,
                seq,
                ack,
                flags,
                payload: payload.to_vec(),
                ..Tcp::default()
            };
            synth::frame(&v6, &Transport::Tcp(t))
        };
        let mut t = Teardown::default();
        assert!(!t.see(&seg(5000, 4002, 100, 7, 0x19, b"bye\n")));
        assert!(!t.see(&seg(4002, 5000, 7, 101, 0x11, b""))); // FIN; acks 1 byte, not the FIN
        assert!(!t.see(&seg(5000, 4002, 105, 8, 0x10, b""))); // ACK of the second FIN
        assert!(t.see(&seg(4002, 5000, 8, 105, 0x10, b""))); // ACK of the first, past "bye\n"
    }

    #[test]
    fn teardown_ends_with_the_ack_of_the_second_fin() {
        let mut t = Teardown::default();
        assert!(!t.see(&segment(5000, 4002, 100, 7, 0x18)));
        assert!(!t.see(&segment(5000, 4002, 100, 7, 0x11))); // FIN, ACK
        assert!(!t.see(&segment(4002, 5000, 7, 101, 0x10))); // ACK of the first FIN
        assert!(!t.see(&segment(4002, 5000, 7, 101, 0x11))); // second FIN
        assert!(t.see(&segment(5000, 4002, 101, 8, 0x10))); // its ACK
    }

    #[test]
    fn teardown_ends_with_a_reset_and_survives_any_prefix() {
        let mut t = Teardown::default();
        assert!(t.see(&segment(5000, 4002, 1, 0, 0x04)));
        let frame = segment(5000, 4002, 1, 0, 0x11);
        for n in 0..frame.len() {
            let mut t = Teardown::default();
            assert!(!t.see(&frame[..n]));
        }
    }

    #[test]
    fn conversation_filter_compiles_for_both_families() {
        for (l, r) in [
            ("127.0.0.1:5000", "127.0.0.1:4002"),
            ("[::1]:5000", "[::1]:4002"),
        ] {
            let plan = Plan::conversation("tcp", l.parse().unwrap(), r.parse().unwrap());
            assert_eq!(plan.interface, "lo");
            filter::compile(&plan.expr, LinkType::Ethernet, 0).unwrap();
        }
    }
}
