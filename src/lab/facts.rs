//! What the exercises ask about a packet beyond `flows`' view of it: the IP header's TTL (hop
//! limit) and id, the TCP acknowledgement number, window and handshake options, whether a
//! TCP/UDP checksum field holds only the pseudo-header's sum (left for an offload), and ICMP
//! errors. Read through `capture::wire`'s views, never by indexing header bytes.
//!
//! Must not import `crate::echo` or `crate::cli`.

use std::net::IpAddr;

use crate::capture::record::Record;
use crate::capture::wire::tcp::TcpOption;
use crate::capture::wire::{checksum, icmp, icmp6, ipv4, ipv6, tcp, udp};

/// The facts of one IP packet.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facts {
    /// IPv6 rather than IPv4.
    pub ipv6: bool,
    /// TTL (IPv4) or hop limit (IPv6).
    pub ttl: u8,
    /// The IPv4 identification (`None` over IPv6).
    pub ip_id: Option<u16>,
    /// The IPv4 Don't Fragment bit.
    pub dont_frag: bool,
    /// TCP: acknowledgement number and window (0 otherwise).
    pub ack: u32,
    pub window: u16,
    /// TCP options: MSS and window scale, when offered.
    pub mss: Option<u16>,
    pub wscale: Option<u8>,
    /// The TCP/UDP checksum field equals the pseudo-header's sum: the kernel left the rest
    /// of the sum to a checksum offload (on `lo`, one that never runs).
    pub partial_checksum: bool,
    /// An ICMP/ICMPv6 destination unreachable: its code.
    pub unreachable: Option<u8>,
}

impl Facts {
    /// An ICMP port unreachable (type 3 code 3, RFC 792) or ICMPv6 port unreachable (type 1
    /// code 4, RFC 4443 section 3.1).
    pub fn port_unreachable(&self) -> bool {
        self.unreachable == Some(if self.ipv6 { 4 } else { 3 })
    }
}

/// The facts of a record that carries an IP packet, or `None`.
pub fn of(rec: &Record<'_>) -> Option<Facts> {
    let ip = crate::capture::wire::link::network(rec)?;
    let mut f = Facts::default();
    let (src, dst, proto, l4) = if let Ok(p) = ipv4::Packet::new_checked(ip) {
        f.ttl = p.ttl();
        f.ip_id = Some(p.ident());
        f.dont_frag = p.dont_frag();
        let (s, d) = (IpAddr::V4(p.src_addr()), IpAddr::V4(p.dst_addr()));
        (s, d, p.protocol(), p.payload().ok()?)
    } else {
        let p = ipv6::Packet::new_checked(ip).ok()?;
        f.ipv6 = true;
        f.ttl = p.hop_limit();
        let (nh, at) = p.ext_headers().ok()?;
        let payload = p.payload().ok()?;
        let l4 = payload.get(at.checked_sub(ipv6::HEADER_LEN)?..)?;
        (IpAddr::V6(p.src_addr()), IpAddr::V6(p.dst_addr()), nh, l4)
    };
    let len = u32::try_from(l4.len()).unwrap_or(u32::MAX);
    let partial =
        |field: u16| field == !checksum::finish(checksum::pseudo_header_sum(src, dst, proto, len));
    match proto {
        tcp::PROTOCOL => {
            let t = tcp::Packet::new_checked(l4).ok()?;
            f.ack = t.ack_number();
            f.window = t.window_len();
            f.partial_checksum = partial(t.checksum());
            options(t.options(), &mut f);
        }
        udp::PROTOCOL => {
            let u = udp::Packet::new_checked(l4).ok()?;
            f.partial_checksum = partial(u.checksum());
        }
        icmp::PROTOCOL if !f.ipv6 => {
            let m = icmp::Packet::new_checked(l4).ok()?;
            if m.msg_type() == icmp::Message::DstUnreachable {
                f.unreachable = Some(m.code());
            }
        }
        icmp6::PROTOCOL if f.ipv6 => {
            let m = icmp6::Packet::new_checked(l4).ok()?;
            if m.msg_type() == icmp6::types::DST_UNREACH {
                f.unreachable = Some(m.code());
            }
        }
        _ => {}
    }
    Some(f)
}

/// MSS and window scale from TCP option bytes; a malformed option ends the list.
fn options(mut buf: &[u8], f: &mut Facts) {
    while !buf.is_empty() {
        let Ok((rest, opt)) = TcpOption::parse(buf) else {
            return;
        };
        match opt {
            TcpOption::EndOfList => return,
            TcpOption::MaxSegmentSize(m) => f.mss = Some(m),
            TcpOption::WindowScale(s) => f.wscale = Some(s),
            _ => {}
        }
        buf = rest;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capture::record::{LinkType, Timestamp};

    fn first_records(name: &str, n: usize) -> Vec<(u32, LinkType, Vec<u8>)> {
        let path = format!("{}/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
        let file = std::fs::File::open(path).unwrap();
        let mut r = crate::capture::pcap::Reader::new(file).unwrap();
        let mut out = Vec::new();
        while let (true, Some(rec)) = (out.len() < n, r.next_record().unwrap()) {
            out.push((rec.len, rec.link, rec.data.to_vec()));
        }
        out
    }

    fn facts_of((len, link, data): &(u32, LinkType, Vec<u8>)) -> Option<Facts> {
        of(&Record {
            ts: Timestamp::default(),
            len: *len,
            link: *link,
            data,
        })
    }

    #[test]
    fn the_syn_of_a_loopback_session_offers_mss_and_window_scale() {
        let recs = first_records("sessions/tcp-line.pcap", 2);
        let syn = facts_of(&recs[0]).unwrap();
        assert_eq!((syn.mss, syn.wscale, syn.ttl), (Some(65495), Some(10), 64));
        assert!(!syn.ipv6 && syn.ip_id.is_some());
        // Loopback leaves the TCP checksum to an offload: the field holds the partial sum.
        assert!(syn.partial_checksum);
        let synack = facts_of(&recs[1]).unwrap();
        assert_ne!(synack.ack, 0);
    }

    #[test]
    fn a_changed_checksum_is_no_longer_the_partial_sum_and_cut_records_give_none() {
        let mut recs = first_records("sessions/udp-line.pcap", 1);
        // Ethernet (14) + IPv4 (20) + the UDP checksum at 6.
        recs[0].2[40] ^= 0xff;
        assert!(!facts_of(&recs[0]).unwrap().partial_checksum);
        for cut in 0..34 {
            let short = (recs[0].0, recs[0].1, recs[0].2[..cut].to_vec());
            assert!(facts_of(&short).is_none(), "{cut} bytes");
        }
    }
}
