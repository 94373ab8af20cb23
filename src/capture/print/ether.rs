//! Ethernet (print-ether.c at tcpdump-4.99.3): the `-e` header, 802.1Q tags, the ethertype
//! dispatch shared with Linux cooked captures, and 802.3 length-field frames with their
//! 802.2 LLC header (print-llc.c at tcpdump-4.99.3) as far as IP, SNAP and unknown SAPs.
//!
//! Also the Ethernet configuration testing protocol (print-loopback.c). Not decoded (printed
//! as unknown payload): MACsec, Arista and the other non-IP protocols tcpdump has printers
//! for (LLDP, PPPoE, MPLS, STP, IPX, ...).

use super::tok::{
    ethertype_name, ETHERTYPE_ARP, ETHERTYPE_IP, ETHERTYPE_IPV6, ETHERTYPE_REVARP,
    MAX_ETHERNET_LENGTH_VAL,
};
use super::util::{default_print, default_print_always, tci_string};
use super::{arp, get_be_u16, get_u8, ip, ip6, names, Nd, PResult};

const ETHER_HDRLEN: usize = 14;
const MAC_LEN: usize = 6;
const ETHERTYPE_LOOPBACK: u16 = 0x9000;
const ETHERTYPE_JUMBO: u16 = 0x8870;
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
    if data.len() < ETHER_HDRLEN {
        nd.print(" [|ether]");
        return Ok(data.len());
    }
    let addrs = Addrs {
        dst: super::get_array(data, 0)?,
        src: super::get_array(data, MAC_LEN)?,
    };
    if nd.opts.e > 0 {
        addresses_print(nd, &addrs);
    }
    let mut w = Walk {
        orig_len: length,
        length: length.saturating_sub(2 * MAC_LEN),
        p: 2 * MAC_LEN,
        printed_length: false,
    };
    let mut length_type = get_be_u16(data, w.p)?;
    w.p += 2;
    w.length = w.length.saturating_sub(2);
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
        crate::nd_print!(nd, ", length {}: ", w.orig_len);
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
    let src = names::etheraddr_string(nd, a.src);
    let dst = names::etheraddr_string(nd, a.dst);
    crate::nd_print!(nd, "{src} > {dst}, ");
}

/// `ethertype NAME (0xXXXX)`, or with `-q` just the name (`ether_type_print`).
fn type_print(nd: &mut Nd<'_>, t: u16) {
    match (nd.opts.q > 0, ethertype_name(t)) {
        (false, name) => {
            crate::nd_print!(nd, "ethertype {} (0x{t:04x})", name.unwrap_or("Unknown"))
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
        _ => return Ok(false),
    }
    Ok(true)
}

const LLCSAP_GLOBAL: u8 = 0xff;
const LLCSAP_IP: u8 = 0x06;
const LLCSAP_SNAP: u8 = 0xaa;
const LLC_UI: u16 = 0x03;
const LLC_U_POLL: u16 = 0x10;
const LLC_IS_POLL: u16 = 0x0100;
const LLC_XID: u16 = 0xaf;
const LLC_XID_FI: u8 = 0x81;

/// SAP names (print-llc.c `llc_values`).
const LLC_VALUES: [(u8, &str); 15] = [
    (0x00, "Null"),
    (0xff, "Global"),
    (0x02, "802.1B I"),
    (0x03, "802.1B G"),
    (0x06, "IP"),
    (0x04, "SNA"),
    (0x0e, "ProWay NM"),
    (0x42, "STP"),
    (0x4e, "RS511"),
    (0x7e, "ISO8208"),
    (0x8e, "ProWay"),
    (0xaa, "SNAP"),
    (0xe0, "IPX"),
    (0xf0, "NetBeui"),
    (0xfe, "OSI"),
];

/// U-frame commands (print-llc.c `llc_cmd_values`).
const LLC_CMD_VALUES: [(u16, &str); 8] = [
    (0x03, "ui"),
    (0xe3, "test"),
    (0xaf, "xid"),
    (0x63, "ua"),
    (0x43, "disc"),
    (0x0f, "dm"),
    (0x6f, "sabme"),
    (0x87, "frmr"),
];

/// Command/response and poll/final (print-llc.c `llc_flag_values`).
const LLC_FLAG_VALUES: [(u16, &str); 6] = [
    (0, "Command"),
    (1, "Response"),
    (LLC_U_POLL, "Poll"),
    (1 | LLC_U_POLL, "Final"),
    (LLC_IS_POLL, "Poll"),
    (1 | LLC_IS_POLL, "Final"),
];

const LLC_SUPERVISORY_VALUES: [&str; 3] = ["Receiver Ready", "Receiver not Ready", "Reject"];

fn sap_name(sap: u8) -> Option<&'static str> {
    LLC_VALUES.iter().find(|(v, _)| *v == sap).map(|(_, n)| *n)
}

fn flag_name(v: u16) -> &'static str {
    LLC_FLAG_VALUES
        .iter()
        .find(|(f, _)| *f == v)
        .map_or("?", |(_, n)| *n)
}

/// An 802.2 LLC header and what follows (print-llc.c `llc_print`): the header length,
/// negative when the payload was not decoded (the caller then dumps it).
pub fn llc_print(
    nd: &mut Nd<'_>,
    p: &[u8],
    length: usize,
    addrs: Option<&Addrs>,
) -> PResult<isize> {
    nd.protocol = "llc";
    let caplen = p.len();
    if caplen < 3 || length < 3 {
        nd.print(" [|llc]");
        default_print_always(nd, p);
        return Ok(isize::try_from(caplen.min(length)).unwrap_or(0));
    }
    let dsap_field = get_u8(p, 0)?;
    let ssap_field = get_u8(p, 1)?;
    let mut control = u16::from(get_u8(p, 2)?);
    let is_u = control & 3 == 3;
    let hdrlen: usize = if is_u { 3 } else { 4 };
    if !is_u {
        if caplen < 4 || length < 4 {
            nd.print(" [|llc]");
            default_print_always(nd, p);
            return Ok(isize::try_from(caplen.min(length)).unwrap_or(0));
        }
        control = u16::from_le_bytes(super::get_array(p, 2)?);
    }
    if ssap_field == LLCSAP_GLOBAL && dsap_field == LLCSAP_GLOBAL {
        // Novell "raw" 802.3 IPX: echolab has no IPX printer.
        if nd.opts.e > 0 {
            nd.print("IPX 802.3: ");
        }
        return Ok(0);
    }
    let dsap = dsap_field & !1;
    let ssap = ssap_field & !1;
    if nd.opts.e > 0 {
        llc_header_print(nd, dsap_field, ssap_field, control, is_u);
    }
    let body = p.get(hdrlen..).unwrap_or(&[]);
    let rest = length - hdrlen;
    let ihdr = hdrlen as isize;
    if ssap == LLCSAP_SNAP && dsap == LLCSAP_SNAP && control == LLC_UI {
        return Ok(if snap_print(nd, body, rest, addrs)? {
            ihdr + 5
        } else {
            -(ihdr + 5)
        });
    }
    if ssap == LLCSAP_IP && dsap == LLCSAP_IP && control == LLC_UI {
        ip::print(nd, body, u32::try_from(rest).unwrap_or(u32::MAX))?;
        return Ok(ihdr);
    }
    llc_saps_print(nd, dsap, ssap, addrs);
    llc_kind_print(nd, ssap_field, control, is_u, length, body)
        .map(|done| if done { ihdr } else { -ihdr })
}

/// `LLC, dsap NAME (0xXX) Individual, ssap NAME (0xXX) Command, ctrl 0xXX: `.
fn llc_header_print(nd: &mut Nd<'_>, dsap_field: u8, ssap_field: u8, control: u16, is_u: bool) {
    let (dsap, ssap) = (dsap_field & !1, ssap_field & !1);
    let ig = if dsap_field & 1 != 0 {
        "Group"
    } else {
        "Individual"
    };
    let cr = if ssap_field & 1 != 0 {
        "Response"
    } else {
        "Command"
    };
    crate::nd_print!(
        nd,
        "LLC, dsap {} (0x{dsap:02x}) {ig}, ssap {} (0x{ssap:02x}) {cr}",
        sap_name(dsap).unwrap_or("Unknown"),
        sap_name(ssap).unwrap_or("Unknown"),
    );
    if is_u {
        crate::nd_print!(nd, ", ctrl 0x{control:02x}: ");
    } else {
        crate::nd_print!(nd, ", ctrl 0x{control:04x}: ");
    }
}

/// Without `-e`, the addresses and SAPs of an LLC frame whose payload is not decoded.
fn llc_saps_print(nd: &mut Nd<'_>, dsap: u8, ssap: u8, addrs: Option<&Addrs>) {
    if nd.opts.e == 0 {
        let dname =
            sap_name(dsap).map_or_else(|| format!("Unknown DSAP 0x{dsap:02x}"), String::from);
        let sname =
            sap_name(ssap).map_or_else(|| format!("Unknown SSAP 0x{ssap:02x}"), String::from);
        let (src, dst) = match addrs {
            Some(a) => (
                Some(names::etheraddr_string(nd, a.src)),
                Some(names::etheraddr_string(nd, a.dst)),
            ),
            None => (None, None),
        };
        match (src, dst, ssap == dsap) {
            (Some(s), Some(d), true) => crate::nd_print!(nd, "{s} > {d} {dname} "),
            (Some(s), Some(d), false) => crate::nd_print!(nd, "{s} {sname} > {d} {dname} "),
            (_, _, true) => crate::nd_print!(nd, "{dname} "),
            (_, _, false) => crate::nd_print!(nd, "{sname} > {dname} "),
        }
    }
}

/// The frame kind of an LLC frame whose payload is not decoded: `Ok(true)` when nothing is
/// left to dump (S frames, XIDs).
fn llc_kind_print(
    nd: &mut Nd<'_>,
    ssap_field: u8,
    control: u16,
    is_u: bool,
    length: usize,
    body: &[u8],
) -> PResult<bool> {
    let gsap = u16::from(ssap_field & 1);
    if is_u {
        let cmd = control & 0xef;
        let cmd_name = LLC_CMD_VALUES
            .iter()
            .find(|(v, _)| *v == cmd)
            .map_or_else(|| format!("{cmd:02x}"), |(_, n)| (*n).to_string());
        crate::nd_print!(
            nd,
            "Unnumbered, {cmd_name}, Flags [{}], length {length}",
            flag_name(gsap | (control & LLC_U_POLL))
        );
        if control & !LLC_U_POLL == LLC_XID {
            return llc_xid_print(nd, body, length - 3);
        }
    } else if control & 1 == 1 {
        let s = usize::from((control >> 2) & 3);
        crate::nd_print!(
            nd,
            "Supervisory, {}, rcv seq {}, Flags [{}], length {length}",
            LLC_SUPERVISORY_VALUES.get(s).copied().unwrap_or("?"),
            (control >> 9) & 0x7f,
            flag_name(gsap | (control & LLC_IS_POLL))
        );
        return Ok(true);
    } else {
        crate::nd_print!(
            nd,
            "Information, send seq {}, rcv seq {}, Flags [{}], length {length}",
            (control >> 1) & 0x7f,
            (control >> 9) & 0x7f,
            flag_name(gsap | (control & LLC_IS_POLL))
        );
    }
    Ok(false)
}

/// The body of an XID frame: `: FF FF` after the format identifier 0x81; `Ok(false)` when
/// the body is not in that format (the caller dumps it).
fn llc_xid_print(nd: &mut Nd<'_>, body: &[u8], length: usize) -> PResult<bool> {
    if length == 0 {
        return Ok(true);
    }
    if body.is_empty() {
        nd.print(" [|llc]");
        return Ok(true);
    }
    if get_u8(body, 0)? == LLC_XID_FI {
        if body.len() < 3 || length < 3 {
            nd.print(" [|llc]");
            default_print_always(nd, body);
        } else {
            crate::nd_print!(nd, ": {:02x} {:02x}", get_u8(body, 1)?, get_u8(body, 2)?);
        }
        return Ok(true);
    }
    Ok(false)
}

/// A SNAP header (print-llc.c `snap_print`): `Ok(true)` when the payload was printed.
fn snap_print(nd: &mut Nd<'_>, p: &[u8], length: usize, addrs: Option<&Addrs>) -> PResult<bool> {
    nd.protocol = "snap";
    // print-llc.c has no ND_LONGJMP_FROM_TCHECK: its checks print and return.
    if !super::ttest(p, 0, 5) || length < 5 {
        nd.print(" [|snap]");
        return Ok(true);
    }
    let oui = u32::from_be_bytes([0, get_u8(p, 0)?, get_u8(p, 1)?, get_u8(p, 2)?]);
    let et = get_be_u16(p, 3)?;
    if nd.opts.e > 0 {
        let kind = if oui == 0 { "ethertype" } else { "pid" };
        let pid_name = snap_pid_name(oui, et);
        crate::nd_print!(
            nd,
            "oui {} (0x{oui:06x}), {kind} {} (0x{et:04x}), length {}: ",
            names::oui_name(oui).unwrap_or("Unknown"),
            pid_name.unwrap_or("Unknown"),
            length - 5
        );
    }
    let body = p.get(5..).unwrap_or(&[]);
    if (oui == 0 || oui == 0x0000f8) && ethertype_print(nd, et, body, length - 5)? {
        return Ok(true);
    }
    if nd.opts.e == 0 {
        if let Some(a) = addrs {
            let src = names::etheraddr_string(nd, a.src);
            let dst = names::etheraddr_string(nd, a.dst);
            crate::nd_print!(nd, "{src} > {dst} ");
        }
        if oui == 0 {
            crate::nd_print!(
                nd,
                "SNAP, ethertype {} (0x{et:04x}), length {}: ",
                ethertype_name(et).unwrap_or("Unknown"),
                length - 5
            );
        } else {
            crate::nd_print!(
                nd,
                "SNAP, oui {} (0x{oui:06x}), pid {} (0x{et:04x}), length {}: ",
                names::oui_name(oui).unwrap_or("Unknown"),
                snap_pid_name(oui, et).unwrap_or("Unknown"),
                length - 5
            );
        }
    }
    Ok(false)
}

/// The name of a SNAP protocol id: an ethertype under the OUIs that carry ethertypes
/// (print-llc.c `oui_to_tok`; the Cisco and RFC 2684 pid tables are not kept).
fn snap_pid_name(oui: u32, pid: u16) -> Option<&'static str> {
    match oui {
        0x000000 | 0x0000f8 | 0x080007 => ethertype_name(pid),
        _ => None,
    }
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
