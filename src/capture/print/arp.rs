//! ARP and RARP (print-arp.c at tcpdump-4.99.3, RFC 826, RFC 903, RFC 2390).
//!
//! ATM ARP (RFC 2225) has its own layout (`atm_print`); Frame Relay hardware addresses are
//! Q.922 DLCIs.

use std::net::{IpAddr, Ipv4Addr};

use super::{get_be_u16, get_bytes, get_u8, names, tcheck, tok, util, Nd, PResult};

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

const ARPHRD_FRELAY: u16 = 15;
const ARPHRD_ATM2225: u16 = 19;
const ARPOP_NAK: u16 = 10;

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
        self.pro == tok::ETHERTYPE_IP || self.pro == ETHERTYPE_TRAIL
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
    if ap.hrd == ARPHRD_ATM2225 {
        return atm_print(nd, data, len);
    }
    tcheck(data, ap.tpa(), ap.pln)?;
    if nd.opts.e == 0 {
        nd.print("ARP, ");
    }
    if !ap.is_ip() || ap.pln != 4 || ap.hln == 0 || nd.opts.v > 0 {
        crate::nd_print!(nd, "{} (len {}), ", hrd_name(ap.hrd), ap.hln);
        crate::nd_print!(nd, "{} (len {})", pro_name(ap.pro), ap.pln);
        if nd.opts.v == 0 {
            crate::nd_print!(nd, ", length {len}");
            return Ok(());
        }
    }
    op_name_print(nd, ap.op);
    if !op_print(nd, &ap, data)? {
        util::default_print_always(nd, data);
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
                let s = hw_addr(nd, ap, data, ap.tha())?;
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

fn hrd_name(hrd: u16) -> String {
    ARPHRD_VALUES.iter().find(|(v, _)| *v == hrd).map_or_else(
        || format!("Unknown Hardware ({hrd})"),
        |(_, n)| (*n).to_string(),
    )
}

fn pro_name(pro: u16) -> String {
    tok::ethertype_name(pro).map_or_else(
        || format!("Unknown Protocol (0x{pro:04x})"),
        |n| n.to_string(),
    )
}

/// The operation's name, after `, ` at `-v`.
fn op_name_print(nd: &mut Nd<'_>, op: u16) {
    let sep = if nd.opts.v > 0 { ", " } else { "" };
    match ARPOP_VALUES.iter().find(|(v, _)| *v == op) {
        Some((_, n)) => crate::nd_print!(nd, "{sep}{n} "),
        None => crate::nd_print!(nd, "{sep}Unknown ({op}) "),
    }
}

/// A hardware address of `hln` bytes (`GET_LINKADDR_STRING`): Q.922 for Frame Relay,
/// Ethernet's form otherwise.
fn hw_addr(nd: &mut Nd<'_>, ap: &Arp, data: &[u8], at: usize) -> PResult<String> {
    let bytes = get_bytes(data, at, ap.hln)?;
    Ok(if ap.hrd == ARPHRD_FRELAY && !bytes.is_empty() {
        names::q922_string(bytes)
    } else {
        names::linkaddr_string(nd, bytes)
    })
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

/// The fields of an ATM ARP header (RFC 2225 section 8.7) and the offsets of its six
/// addresses, each length masked to 6 bits as print-arp.c does.
struct AtmArp {
    hrd: u16,
    pro: u16,
    op: u16,
    shtl: usize,
    sstl: usize,
    spln: usize,
    thtl: usize,
    tstl: usize,
    tpln: usize,
}

const ATMARP_HDRLEN: usize = 12;

impl AtmArp {
    fn read(d: &[u8]) -> PResult<AtmArp> {
        let len = |at| get_u8(d, at).map(|b| usize::from(b & 0x3f));
        Ok(AtmArp {
            hrd: get_be_u16(d, 0)?,
            pro: get_be_u16(d, 2)?,
            shtl: len(4)?,
            sstl: len(5)?,
            op: get_be_u16(d, 6)?,
            spln: usize::from(get_u8(d, 8)?),
            thtl: len(9)?,
            tstl: len(10)?,
            tpln: usize::from(get_u8(d, 11)?),
        })
    }
    fn sha(&self) -> usize {
        ATMARP_HDRLEN
    }
    fn ssa(&self) -> usize {
        self.sha() + self.shtl
    }
    fn spa(&self) -> usize {
        self.ssa() + self.sstl
    }
    fn tha(&self) -> usize {
        self.spa() + self.spln
    }
    fn tsa(&self) -> usize {
        self.tha() + self.thtl
    }
    fn tpa(&self) -> usize {
        self.tsa() + self.tstl
    }
    fn is_ip(&self) -> bool {
        self.pro == tok::ETHERTYPE_IP || self.pro == ETHERTYPE_TRAIL
    }
}

/// ATM ARP (print-arp.c `atmarp_print`).
fn atm_print(nd: &mut Nd<'_>, data: &[u8], len: u32) -> PResult {
    tcheck(data, 0, ATMARP_HDRLEN)?;
    let ap = AtmArp::read(data)?;
    tcheck(data, ap.tpa(), ap.tpln)?;
    if nd.opts.e == 0 {
        nd.print("ARP, ");
    }
    if !ap.is_ip() || ap.spln != 4 || ap.tpln != 4 || nd.opts.v > 0 {
        let (h, p) = (hrd_name(ap.hrd), pro_name(ap.pro));
        crate::nd_print!(nd, "{h}, {p} (len {}/{})", ap.spln, ap.tpln);
        if nd.opts.v == 0 {
            crate::nd_print!(nd, ", length {len}");
            return Ok(());
        }
    }
    op_name_print(nd, ap.op);
    match ap.op {
        ARPOP_REQUEST => {
            nd.print("who-has ");
            atm_proto_addr(nd, &ap, data, false)?;
            if ap.thtl != 0 {
                nd.print(" (");
                atm_addr(nd, data, (ap.tha(), ap.thtl), (ap.tsa(), ap.tstl))?;
                nd.print(")");
            }
            nd.print(" tell ");
            atm_proto_addr(nd, &ap, data, true)?;
        }
        ARPOP_REPLY => {
            atm_proto_addr(nd, &ap, data, true)?;
            nd.print(" is-at ");
            atm_addr(nd, data, (ap.sha(), ap.shtl), (ap.ssa(), ap.sstl))?;
        }
        ARPOP_INVREQUEST => {
            nd.print("who-is ");
            atm_addr(nd, data, (ap.tha(), ap.thtl), (ap.tsa(), ap.tstl))?;
            nd.print(" tell ");
            atm_addr(nd, data, (ap.sha(), ap.shtl), (ap.ssa(), ap.sstl))?;
        }
        ARPOP_INVREPLY => {
            atm_addr(nd, data, (ap.sha(), ap.shtl), (ap.ssa(), ap.sstl))?;
            nd.print("at ");
            atm_proto_addr(nd, &ap, data, true)?;
        }
        ARPOP_NAK => {
            nd.print("for ");
            atm_proto_addr(nd, &ap, data, true)?;
        }
        _ => {
            util::default_print_always(nd, data);
            return Ok(());
        }
    }
    crate::nd_print!(nd, ", length {len}");
    Ok(())
}

/// The sender's (`sender`) or target's protocol address of an ATM ARP packet.
fn atm_proto_addr(nd: &mut Nd<'_>, ap: &AtmArp, data: &[u8], sender: bool) -> PResult {
    let (at, plen, what) = if sender {
        (ap.spa(), ap.spln, "<wrong splen>")
    } else {
        (ap.tpa(), ap.tpln, "<wrong tplen>")
    };
    if !ap.is_ip() {
        nd.print("<wrong proto type>");
    } else if plen != 4 {
        nd.print(what);
    } else {
        let a: [u8; 4] = super::get_array(data, at)?;
        let s = names::ipaddr_string(nd, IpAddr::V4(Ipv4Addr::from(a)));
        nd.print(&s);
    }
    Ok(())
}

/// An ATM number and its subaddress (`atmarp_addr_print`).
fn atm_addr(nd: &mut Nd<'_>, data: &[u8], ha: (usize, usize), sa: (usize, usize)) -> PResult {
    if ha.1 == 0 {
        nd.print("<No address>");
        return Ok(());
    }
    nd.print(&names::linkaddr_hex(get_bytes(data, ha.0, ha.1)?));
    if sa.1 != 0 {
        let s = names::linkaddr_hex(get_bytes(data, sa.0, sa.1)?);
        crate::nd_print!(nd, ",{s}");
    }
    Ok(())
}
