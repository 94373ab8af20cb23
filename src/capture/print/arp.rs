//! ARP and RARP (print-arp.c at tcpdump-4.99.3, RFC 826, RFC 903, RFC 2390).
//!
//! Not decoded: ATM ARP (RFC 2225) and Frame Relay's Q.922 addresses, which tcpdump prints
//! in their own forms; echolab prints them as other hardware types.

use std::net::{IpAddr, Ipv4Addr};

use super::{ether, get_be_u16, get_bytes, get_u8, names, tcheck, Nd, PResult};

const ARP_HDRLEN: usize = 8;

const ARPOP_REQUEST: u16 = 1;
const ARPOP_REPLY: u16 = 2;
const ARPOP_REVREQUEST: u16 = 3;
const ARPOP_REVREPLY: u16 = 4;
const ARPOP_INVREQUEST: u16 = 8;
const ARPOP_INVREPLY: u16 = 9;

/// Operation names (print-arp.c `arpop_values`).
const ARPOP_VALUES: [(u16, &str); 7] = [
    (1, "Request"),
    (2, "Reply"),
    (3, "Reverse Request"),
    (4, "Reverse Reply"),
    (8, "Inverse Request"),
    (9, "Inverse Reply"),
    (10, "NACK Reply"),
];

/// Hardware type names (print-arp.c `arphrd_values`).
const ARPHRD_VALUES: [(u16, &str); 8] = [
    (1, "Ethernet"),
    (6, "TokenRing"),
    (7, "ArcNet"),
    (15, "FrameRelay"),
    (23, "Strip"),
    (24, "IEEE 1394"),
    (19, "ATM"),
    (32, "InfiniBand"),
];

/// ETHERTYPE_TRAIL: trailer-encapsulated IP, which ARP treats as IP.
const ETHERTYPE_TRAIL: u16 = 0x1000;

/// The header fields and the offsets of the four addresses.
struct Arp {
    hrd: u16,
    pro: u16,
    hln: usize,
    pln: usize,
    op: u16,
}

impl Arp {
    fn sha(&self) -> usize {
        ARP_HDRLEN
    }
    fn spa(&self) -> usize {
        ARP_HDRLEN + self.hln
    }
    fn tha(&self) -> usize {
        ARP_HDRLEN + self.hln + self.pln
    }
    fn tpa(&self) -> usize {
        ARP_HDRLEN + 2 * self.hln + self.pln
    }
    fn is_ip(&self) -> bool {
        self.pro == ether::ETHERTYPE_IP || self.pro == ETHERTYPE_TRAIL
    }
}

/// Print from the start of the ARP header; `len` is the on-wire length from there
/// (print-arp.c `arp_print`).
pub fn print(nd: &mut Nd<'_>, data: &[u8], len: u32) -> PResult {
    nd.protocol = "arp";
    tcheck(data, 0, ARP_HDRLEN)?;
    let ap = Arp {
        hrd: get_be_u16(data, 0)?,
        pro: get_be_u16(data, 2)?,
        hln: usize::from(get_u8(data, 4)?),
        pln: usize::from(get_u8(data, 5)?),
        op: get_be_u16(data, 6)?,
    };
    tcheck(data, ap.tpa(), ap.pln)?;
    if nd.opts.e == 0 {
        nd.print("ARP, ");
    }
    if !ap.is_ip() || ap.pln != 4 || ap.hln == 0 || nd.opts.v > 0 {
        let hrd = ARPHRD_VALUES.iter().find(|(v, _)| *v == ap.hrd);
        let pro = ether::ethertype_name(ap.pro);
        match hrd {
            Some((_, n)) => crate::nd_print!(nd, "{n} (len {}), ", ap.hln),
            None => crate::nd_print!(nd, "Unknown Hardware ({}) (len {}), ", ap.hrd, ap.hln),
        }
        match pro {
            Some(n) => crate::nd_print!(nd, "{n} (len {})", ap.pln),
            None => crate::nd_print!(nd, "Unknown Protocol (0x{:04x}) (len {})", ap.pro, ap.pln),
        }
        if nd.opts.v == 0 {
            crate::nd_print!(nd, ", length {len}");
            return Ok(());
        }
    }
    let sep = if nd.opts.v > 0 { ", " } else { "" };
    match ARPOP_VALUES.iter().find(|(v, _)| *v == ap.op) {
        Some((_, n)) => crate::nd_print!(nd, "{sep}{n} "),
        None => crate::nd_print!(nd, "{sep}Unknown ({}) ", ap.op),
    }
    if !op_print(nd, &ap, data)? {
        ether::default_print_always(nd, data);
        return Ok(());
    }
    crate::nd_print!(nd, ", length {len}");
    Ok(())
}

/// The body of each operation; `Ok(false)` for an unknown one.
fn op_print(nd: &mut Nd<'_>, ap: &Arp, data: &[u8]) -> PResult<bool> {
    match ap.op {
        ARPOP_REQUEST => {
            nd.print("who-has ");
            proto_addr(nd, ap, data, ap.tpa())?;
            let tha = get_bytes(data, ap.tha(), ap.hln)?;
            if tha.iter().any(|&b| b != 0) {
                let s = names::linkaddr_string(nd, tha);
                crate::nd_print!(nd, " ({s})");
            }
            nd.print(" tell ");
            proto_addr(nd, ap, data, ap.spa())?;
        }
        ARPOP_REPLY => {
            proto_addr(nd, ap, data, ap.spa())?;
            let s = hw_addr(nd, ap, data, ap.sha())?;
            crate::nd_print!(nd, " is-at {s}");
        }
        ARPOP_REVREQUEST | ARPOP_INVREQUEST => {
            let t = hw_addr(nd, ap, data, ap.tha())?;
            crate::nd_print!(nd, "who-is {t}");
            let s = hw_addr(nd, ap, data, ap.sha())?;
            crate::nd_print!(nd, " tell {s}");
        }
        ARPOP_REVREPLY => {
            let t = hw_addr(nd, ap, data, ap.tha())?;
            crate::nd_print!(nd, "{t} at ");
            proto_addr(nd, ap, data, ap.tpa())?;
        }
        ARPOP_INVREPLY => {
            let s = hw_addr(nd, ap, data, ap.sha())?;
            crate::nd_print!(nd, "{s} at ");
            proto_addr(nd, ap, data, ap.spa())?;
        }
        _ => return Ok(false),
    }
    Ok(true)
}

/// A hardware address of `hln` bytes (`GET_LINKADDR_STRING`).
fn hw_addr(nd: &mut Nd<'_>, ap: &Arp, data: &[u8], at: usize) -> PResult<String> {
    let bytes = get_bytes(data, at, ap.hln)?;
    Ok(names::linkaddr_string(nd, bytes))
}

/// A protocol address: IPv4 when the protocol is IP with 4-byte addresses
/// (`tpaddr_print_ip` / `spaddr_print_ip`).
fn proto_addr(nd: &mut Nd<'_>, ap: &Arp, data: &[u8], at: usize) -> PResult {
    if !ap.is_ip() {
        nd.print("<wrong proto type>");
    } else if ap.pln != 4 {
        nd.print("<wrong len>");
    } else {
        let a: [u8; 4] = super::get_array(data, at)?;
        let s = names::ipaddr_string(nd, IpAddr::V4(Ipv4Addr::from(a)));
        nd.print(&s);
    }
    Ok(())
}
