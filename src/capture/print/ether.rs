//! Ethernet (print-ether.c at tcpdump-4.99.3): the `-e` header, 802.1Q tags, the ethertype
//! dispatch shared with Linux cooked captures (ARP, IP, IPv6, slow protocols, LLDP, CFM,
//! AoE, NSH, ...), and 802.3 length-field frames, whose 802.2 LLC header goes to `llc`.
//!
//! Also the Ethernet configuration testing protocol (print-loopback.c). PPPoE, PPP and MPLS
//! go to their printers. The Arista timestamp header (print-arista.c) is walked over, and
//! switch tags after the addresses are printed by their printers (`switch_tag_print`). Not
//! decoded (printed as unknown payload): MACsec and the other non-IP protocols tcpdump has
//! printers for (IPX, ...).

use std::convert::Infallible;

/// Re-exported for the link printers that hand LLC frames on (Linux cooked captures).
pub use super::llc::llc_print;

use super::textcache::cached;
use super::tok::{
    ethertype_name, ETHERTYPE_AOE, ETHERTYPE_ARP, ETHERTYPE_CFM, ETHERTYPE_CFM_OLD, ETHERTYPE_IP,
    ETHERTYPE_IPV6, ETHERTYPE_JUMBO, ETHERTYPE_LLDP, ETHERTYPE_LOOPBACK, ETHERTYPE_MPLS,
    ETHERTYPE_MPLS_MULTI, ETHERTYPE_PPP, ETHERTYPE_PTP, ETHERTYPE_REVARP, ETHERTYPE_SLOW,
    MAX_ETHERNET_LENGTH_VAL,
};
use super::util::{default_print, tci_string};
use super::{
    aoe, arp, cfm, geonet, get_be_u16, ip, ip6, isoclns, lldp, mpls, names, ppp, pppoe, ptp, slow,
    Nd, PResult,
};

const ETHER_HDRLEN: usize = 14;
const MAC_LEN: usize = 6;
/// PPPoE discovery and session, and the pre-standard types 3Com used.
const ETHERTYPE_ISO: u16 = 0xfefe;
const ETHERTYPE_PPPOE: [u16; 4] = [0x8863, 0x8864, 0x3c12, 0x3c13];
/// The VLAN tag types ether_common_print loops over.
const VLAN_TYPES: [u16; 4] = [0x8100, 0x9100, 0x9200, 0x88a8];

/// Print an Ethernet frame from its header (`ether_if_print`); adds the header length to
/// `nd.ll_hdr_len`.
pub fn print(nd: &mut Nd<'_>, data: &[u8], len: u32) -> PResult {
    nd.protocol = "ether";
    let hdrlen = ether_print(nd, data, len as usize)?;
    nd.ll_hdr_len += hdrlen;
    Ok(())
}

/// An Ethernet frame inside a tunnel (VXLAN, Geneve, GRE): print-ether.c `ether_print`,
/// which leaves the link-layer header length alone.
pub fn print_encapsulated(nd: &mut Nd<'_>, data: &[u8], len: u32) -> PResult {
    nd.protocol = "ether";
    ether_print(nd, data, len as usize).map(|_| ())
}

/// The link-layer addresses of a frame, for printers that print them late (`lladdr_info`).
#[derive(Clone, Copy)]
pub struct Addrs {
    pub src: [u8; MAC_LEN],
    pub dst: [u8; MAC_LEN],
}

/// What the type/length walk has printed and where it stands (ether_common_print's locals).
struct Walk {
    orig_len: usize,
    length: usize,
    p: usize,
    printed_length: bool,
}

/// `ether_common_print` without switch tags or encapsulation headers: returns the header
/// length (Ethernet, VLAN tags and LLC).
fn ether_print(nd: &mut Nd<'_>, data: &[u8], length: usize) -> PResult<usize> {
    ether_common_print(nd, data, length, None)
}

/// A switch tag between the source address and the type field: its length and its printer.
pub type SwitchTag = (usize, fn(&mut Nd<'_>, &[u8]) -> PResult);

/// An Ethernet frame with a switch tag after the addresses (`ether_switch_tag_print`):
/// returns the header length. The caller names the protocol in `nd.protocol`.
pub fn switch_tag_print(
    nd: &mut Nd<'_>,
    data: &[u8],
    length: usize,
    tag: SwitchTag,
) -> PResult<usize> {
    ether_common_print(nd, data, length, Some(tag))
}

/// `ether_common_print` without encapsulation headers.
fn ether_common_print(
    nd: &mut Nd<'_>,
    data: &[u8],
    length: usize,
    tag: Option<SwitchTag>,
) -> PResult<usize> {
    let tag_len = tag.map_or(0, |(n, _)| n);
    if data.len() < ETHER_HDRLEN + tag_len {
        super::util::print_trunc(nd);
        return Ok(data.len());
    }
    let addrs = Addrs {
        dst: super::get_array(data, 0)?,
        src: super::get_array(data, MAC_LEN)?,
    };
    if nd.opts.e > 0 {
        addresses_print(nd, &addrs);
    }
    if let Some((_, tag_print)) = tag {
        tag_print(nd, data.get(2 * MAC_LEN..).unwrap_or(&[]))?;
    }
    let mut w = Walk {
        orig_len: length,
        length: length.saturating_sub(2 * MAC_LEN + tag_len),
        p: 2 * MAC_LEN + tag_len,
        printed_length: false,
    };
    // print-ether.c's `recurse:` label: the Arista header is followed by another type field.
    loop {
        let length_type = get_be_u16(data, w.p)?;
        w.p += 2;
        w.length = w.length.saturating_sub(2);
        w.printed_length = false;
        if length_type == super::arista::ETHERTYPE_ARISTA {
            if let Some(n) = arista_print(nd, data, &mut w, &addrs)? {
                return Ok(n);
            }
            continue;
        }
        return type_walk(nd, data, length_type, w, &addrs);
    }
}

/// The Arista header and where the frame goes on (print-ether.c's `ETHERTYPE_ARISTA`
/// branch): `Some(header length)` when the walk ends here, `None` to read the next type.
fn arista_print(
    nd: &mut Nd<'_>,
    data: &[u8],
    w: &mut Walk,
    addrs: &Addrs,
) -> PResult<Option<usize>> {
    let caplen = data.len().saturating_sub(w.p);
    if caplen < 2 || w.length < 2 {
        nd.print("[|arista]");
        return Ok(Some(w.p + if caplen < 2 { caplen } else { w.length }));
    }
    let t = super::arista::ETHERTYPE_ARISTA;
    type_print(nd, t);
    crate::nd_print!(nd, ", length {}: ", w.orig_len);
    let body = data.get(w.p..).unwrap_or(&[]);
    match super::arista::ethertype_print(nd, body)? {
        Some(n) => {
            w.p += n;
            w.length = w.length.saturating_sub(n);
            Ok(None)
        }
        None => {
            if nd.opts.e == 0 {
                addresses_print(nd, addrs);
                type_print(nd, t);
                crate::nd_print!(nd, ", length {}: ", w.orig_len);
            }
            default_print(nd, body);
            Ok(Some(w.p))
        }
    }
}

/// The VLAN tags and the final type or length field, from the one at `w.p - 2`.
fn type_walk(
    nd: &mut Nd<'_>,
    data: &[u8],
    mut length_type: u16,
    mut w: Walk,
    addrs: &Addrs,
) -> PResult<usize> {
    let addrs = *addrs;
    while VLAN_TYPES.contains(&length_type) {
        let caplen = data.len().saturating_sub(w.p);
        if caplen < 4 || w.length < 4 {
            nd.protocol = "vlan";
            nd.print(" [|vlan]");
            return Ok(w.p + if caplen < 4 { caplen } else { w.length });
        }
        if nd.opts.e > 0 {
            let tag = get_be_u16(data, w.p)?;
            type_print(nd, length_type);
            length_sep(nd, &mut w);
            crate::nd_print!(nd, "{}, ", tci_string(tag));
        }
        length_type = get_be_u16(data, w.p + 2)?;
        w.p += 4;
        w.length -= 4;
    }
    let body = data.get(w.p..).unwrap_or(&[]);
    if length_type <= MAX_ETHERNET_LENGTH_VAL {
        return Ok(w.p + length_field_print(nd, body, length_type, &w, &addrs)?);
    }
    if length_type == ETHERTYPE_JUMBO {
        let llc = llc_print(nd, body, w.length, Some(&addrs))?;
        if llc < 0 {
            default_print(nd, body);
        }
        return Ok(w.p + llc.unsigned_abs());
    }
    if nd.opts.e > 0 {
        type_print(nd, length_type);
        length_sep(nd, &mut w);
    }
    if length_type == geonet::ETHERTYPE_GEONET || length_type == geonet::ETHERTYPE_GEONET_OLD {
        geonet::print(nd, body, w.length, Some(addrs.src))?;
        return Ok(w.p);
    }
    if length_type == geonet::ETHERTYPE_CALM_FAST {
        geonet::calm_fast_print(nd, body, w.length, Some(addrs.src))?;
        return Ok(w.p);
    }
    if !ethertype_print(nd, length_type, body, w.length)? {
        if nd.opts.e == 0 {
            addresses_print(nd, &addrs);
            type_print(nd, length_type);
            crate::nd_print!(nd, ", length {}: ", w.orig_len);
        }
        default_print(nd, body);
    }
    Ok(w.p)
}

/// `, length N: ` the first time, `, ` after.
fn length_sep(nd: &mut Nd<'_>, w: &mut Walk) {
    if w.printed_length {
        nd.print(", ");
    } else {
        nd.print(", length ");
        nd.print_u32(w.orig_len as u32);
        nd.print(": ");
        w.printed_length = true;
    }
}

/// An 802.3 frame: the type/length field is the payload length; an LLC header follows.
/// Returns the LLC header length.
fn length_field_print(
    nd: &mut Nd<'_>,
    body: &[u8],
    field: u16,
    w: &Walk,
    addrs: &Addrs,
) -> PResult<usize> {
    let length = w.length.min(usize::from(field));
    // The capture is cut at the end of the payload (nd_push_snaplen).
    let body = body.get(..length).unwrap_or(body);
    if nd.opts.e > 0 {
        nd.print("802.3");
        if !w.printed_length {
            crate::nd_print!(nd, ", length {length}: ");
        }
    }
    let llc = llc_print(nd, body, length, Some(addrs))?;
    if llc < 0 {
        default_print(nd, body);
    }
    Ok(llc.unsigned_abs())
}

fn addresses_print(nd: &mut Nd<'_>, a: &Addrs) {
    let key = (a.src, a.dst);
    let hash = a
        .src
        .iter()
        .chain(&a.dst)
        .fold(0u64, |h, &b| h << 5 ^ h >> 59 ^ u64::from(b));
    let Ok(()) = cached(
        nd,
        |s| &mut s.macs,
        hash,
        key,
        |nd| {
            names::write_etheraddr(nd, a.src);
            nd.print(" > ");
            names::write_etheraddr(nd, a.dst);
            nd.print(", ");
            Ok::<(), Infallible>(())
        },
    );
}

/// The source and destination of an Ethernet header, the key of their text in `-e` lines.
pub type MacPair = ([u8; 6], [u8; 6]);

/// `ethertype NAME (0xXXXX)`, or with `-q` just the name (`ether_type_print`).
fn type_print(nd: &mut Nd<'_>, t: u16) {
    // The name is found by a search of tcpdump's table: its text is kept per type.
    let Ok(()) = cached(
        nd,
        |s| &mut s.ethertypes,
        u64::from(t),
        t,
        |nd| {
            type_text(nd, t);
            Ok::<(), Infallible>(())
        },
    );
}

fn type_text(nd: &mut Nd<'_>, t: u16) {
    match (nd.opts.q > 0, ethertype_name(t)) {
        (false, name) => {
            nd.print("ethertype ");
            nd.print(name.unwrap_or("Unknown"));
            nd.print(" (0x");
            super::digits::write_hex(nd.out, u32::from(t), 4);
            nd.print(")");
        }
        (true, Some(name)) => nd.print(name),
        (true, None) => crate::nd_print!(nd, "Unknown Ethertype (0x{t:04x})"),
    }
}

/// Print the payload of ethertype `t` (`ethertype_print`); `Ok(false)` when the type is not
/// one echolab decodes.
pub fn ethertype_print(nd: &mut Nd<'_>, t: u16, body: &[u8], length: usize) -> PResult<bool> {
    let len = u32::try_from(length).unwrap_or(u32::MAX);
    match t {
        ETHERTYPE_IP => ip::print(nd, body, len)?,
        ETHERTYPE_IPV6 => ip6::print(nd, body, len)?,
        ETHERTYPE_ARP | ETHERTYPE_REVARP => arp::print(nd, body, len)?,
        ETHERTYPE_LOOPBACK => loopback_print(nd, body, length)?,
        ETHERTYPE_SLOW => return slow::print(nd, body, length),
        super::msnlb::ETHERTYPE_MS_NLB_HB => super::msnlb::print(nd, body)?,
        ETHERTYPE_AOE => aoe::print(nd, body, length)?,
        ETHERTYPE_LLDP => lldp::print(nd, body, length)?,
        ETHERTYPE_CFM | ETHERTYPE_CFM_OLD => cfm::print(nd, body, length)?,
        _ if ETHERTYPE_PPPOE.contains(&t) => {
            pppoe::print(nd, body, len)?;
        }
        ETHERTYPE_PPP => {
            if len > 0 {
                nd.print(": ");
                ppp::print(nd, body, len)?;
            }
        }
        ETHERTYPE_MPLS | ETHERTYPE_MPLS_MULTI => mpls::print(nd, body, len)?,
        ETHERTYPE_PTP => ptp::print(nd, body, len)?,
        super::nsh::ETHERTYPE_NSH => super::nsh::print(nd, body, len)?,
        geonet::ETHERTYPE_GEONET | geonet::ETHERTYPE_GEONET_OLD => {
            geonet::print(nd, body, length, None)?
        }
        geonet::ETHERTYPE_CALM_FAST => geonet::calm_fast_print(nd, body, length, None)?,
        ETHERTYPE_ISO => {
            // One byte of unknown purpose precedes the NLPID.
            nd.protocol = "isoclns";
            if length == 0 || body.is_empty() {
                super::util::print_trunc(nd);
            } else {
                isoclns::print(nd, body.get(1..).unwrap_or(&[]), length - 1)?;
            }
        }
        _ => return Ok(false),
    }
    Ok(true)
}

/// ` invalid` and the check tcpdump makes of what remains (print-loopback.c `invalid:`).
fn loopback_invalid(nd: &mut Nd<'_>, p: &[u8], at: usize, len: usize) -> PResult {
    nd.print(" (invalid)");
    super::tcheck(p, at, len)
}

/// The Ethernet configuration testing protocol, ethertype 0x9000 (print-loopback.c
/// `loopback_print`): skip count, then the first message.
fn loopback_print(nd: &mut Nd<'_>, p: &[u8], len: usize) -> PResult {
    nd.protocol = "loopback";
    nd.print("Loopback");
    if len < 2 {
        return loopback_invalid(nd, p, 0, len);
    }
    let skip = usize::from(u16::from_le_bytes(super::get_array(p, 0)?));
    crate::nd_print!(nd, ", skipCount {skip}");
    if skip % 8 != 0 {
        nd.print(" (bogus)");
    }
    if skip > len - 2 {
        return loopback_invalid(nd, p, 2, len - 2);
    }
    super::tcheck(p, 2, skip)?;
    loopback_message_print(nd, p, 2 + skip, len - 2 - skip)
}

/// One loopback message: a reply with its receipt number or a forward-data request with
/// its forwarding address (print-loopback.c `loopback_message_print`).
fn loopback_message_print(nd: &mut Nd<'_>, p: &[u8], at: usize, len: usize) -> PResult {
    if len < 2 {
        return loopback_invalid(nd, p, at, len);
    }
    let function = u16::from_le_bytes(super::get_array(p, at)?);
    let (at, len) = (at + 2, len - 2);
    match function {
        1 => nd.print(", Reply"),
        2 => nd.print(", Forward Data"),
        f => crate::nd_print!(nd, ",  invalid ({f})"),
    }
    let head = match function {
        1 => 2,
        2 => MAC_LEN,
        _ => return super::tcheck(p, at, len),
    };
    if len < head {
        return loopback_invalid(nd, p, at, len);
    }
    if function == 1 {
        let receipt = u16::from_le_bytes(super::get_array(p, at)?);
        crate::nd_print!(nd, ", receipt number {receipt}");
    } else {
        let mac = names::etheraddr_at(nd, p, at)?;
        crate::nd_print!(nd, ", forwarding address {mac}");
    }
    crate::nd_print!(nd, ", data ({} octets)", len - head);
    super::tcheck(p, at + head, len - head)
}
