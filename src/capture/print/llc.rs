//! 802.2 LLC and SNAP (print-llc.c at tcpdump-4.99.3): the LLC header at each verbosity, the
//! SAP dispatch (IP, spanning tree) and SNAP's OUI/protocol-id dispatch (encapsulated
//! ethertypes, Cisco's CDP, UDLD, DTP, VTP and PVST+, RFC 2684 bridged BPDUs).
//!
//! Must not do I/O: it only reads the captured bytes.

use super::ether::{ethertype_print, Addrs};
use super::tok::{ethertype_name, tok_name, Tok};
use super::util::default_print_always;
use super::{cdp, dtp, get_be_u16, get_u8, ip, isoclns, names, stp, udld, vtp, Nd, PResult};

const LLCSAP_GLOBAL: u8 = 0xff;
const LLCSAP_IP: u8 = 0x06;
const LLCSAP_SNAP: u8 = 0xaa;
const LLCSAP_8021D: u8 = 0x42;
const LLCSAP_ISONS: u8 = 0xfe;
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
        return Ok(if snap_print(nd, body, rest, addrs, 2)? {
            ihdr + 5
        } else {
            -(ihdr + 5)
        });
    }
    if ssap == LLCSAP_8021D && dsap == LLCSAP_8021D && control == LLC_UI {
        stp::print(nd, body, rest)?;
        return Ok(ihdr);
    }
    if ssap == LLCSAP_IP && dsap == LLCSAP_IP && control == LLC_UI {
        ip::print(nd, body, u32::try_from(rest).unwrap_or(u32::MAX))?;
        return Ok(ihdr);
    }
    if ssap == LLCSAP_ISONS && dsap == LLCSAP_ISONS && control == LLC_UI {
        isoclns::print(nd, body, rest)?;
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
/// `bridge_pad` is the padding before a bridged Ethernet frame (two bytes after LLC, none in
/// Frame Relay).
pub fn snap_print(
    nd: &mut Nd<'_>,
    p: &[u8],
    length: usize,
    addrs: Option<&Addrs>,
    bridge_pad: usize,
) -> PResult<bool> {
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
    if snap_payload_print(nd, oui, et, body, length - 5, bridge_pad)? {
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

/// The payload of a SNAP frame, by OUI and protocol id: `Ok(false)` when echolab has no
/// printer for it.
fn snap_payload_print(
    nd: &mut Nd<'_>,
    oui: u32,
    pid: u16,
    p: &[u8],
    len: usize,
    bridge_pad: usize,
) -> PResult<bool> {
    match (oui, pid) {
        // A bridged Ethernet frame, with or without its FCS, after the padding.
        (OUI_RFC2684, PID_RFC2684_ETH_FCS | PID_RFC2684_ETH_NOFCS) => {
            super::tcheck(p, 0, bridge_pad)?;
            let frame = p.get(bridge_pad..).unwrap_or(&[]);
            let len = u32::try_from(len.saturating_sub(bridge_pad)).unwrap_or(u32::MAX);
            super::ether::print_encapsulated(nd, frame, len)?;
            Ok(true)
        }
        (OUI_ENCAP_ETHER | OUI_CISCO_90, _) => ethertype_print(nd, pid, p, len),
        (OUI_CISCO, PID_CISCO_CDP) => {
            cdp::print(nd, p, len)?;
            Ok(true)
        }
        (OUI_CISCO, PID_CISCO_DTP) => {
            dtp::print(nd, p, len)?;
            Ok(true)
        }
        (OUI_CISCO, PID_CISCO_VTP) => {
            vtp::print(nd, p, len)?;
            Ok(true)
        }
        (OUI_CISCO, PID_CISCO_UDLD) => {
            udld::print(nd, p, len)?;
            Ok(true)
        }
        (OUI_CISCO, PID_CISCO_PVST | PID_CISCO_VLANBRIDGE) | (OUI_RFC2684, PID_RFC2684_BPDU) => {
            stp::print(nd, p, len)?;
            Ok(true)
        }
        _ => Ok(false),
    }
}

/// The name of a SNAP protocol id: an ethertype under the OUIs that carry ethertypes
/// (print-llc.c `oui_to_tok`).
fn snap_pid_name(oui: u32, pid: u16) -> Option<&'static str> {
    match oui {
        OUI_ENCAP_ETHER | OUI_CISCO_90 | OUI_APPLETALK => ethertype_name(pid),
        OUI_CISCO => tok_name(&CISCO_VALUES, u32::from(pid)),
        OUI_RFC2684 => tok_name(&BRIDGED_VALUES, u32::from(pid)),
        _ => None,
    }
}

const OUI_ENCAP_ETHER: u32 = 0x000000;
const OUI_CISCO: u32 = 0x00000c;
const OUI_CISCO_90: u32 = 0x0000f8;
const OUI_RFC2684: u32 = 0x0080c2;
const OUI_APPLETALK: u32 = 0x080007;

const PID_CISCO_CDP: u16 = 0x2000;
const PID_CISCO_UDLD: u16 = 0x0111;
const PID_CISCO_DTP: u16 = 0x2004;
const PID_CISCO_VTP: u16 = 0x2003;
const PID_CISCO_PVST: u16 = 0x010b;
const PID_CISCO_VLANBRIDGE: u16 = 0x010c;
const PID_RFC2684_BPDU: u16 = 0x000e;
/// Bridged Ethernet with and without its FCS.
const PID_RFC2684_ETH_FCS: u16 = 0x0001;
const PID_RFC2684_ETH_NOFCS: u16 = 0x0007;

/// Cisco's protocol ids (print-llc.c `cisco_values`).
const CISCO_VALUES: [Tok; 6] = [
    (0x2000, "CDP"),
    (0x2003, "VTP"),
    (0x2004, "DTP"),
    (0x0111, "UDLD"),
    (0x010b, "PVST"),
    (0x010c, "VLAN Bridge"),
];

/// RFC 2684 bridged protocol ids (print-llc.c `bridged_values`).
const BRIDGED_VALUES: [Tok; 11] = [
    (0x0001, "Ethernet + FCS"),
    (0x0007, "Ethernet w/o FCS"),
    (0x0002, "802.4 + FCS"),
    (0x0008, "802.4 w/o FCS"),
    (0x0003, "Token Ring + FCS"),
    (0x0009, "Token Ring w/o FCS"),
    (0x0004, "FDDI + FCS"),
    (0x000a, "FDDI w/o FCS"),
    (0x0005, "802.6 + FCS"),
    (0x000b, "802.6 w/o FCS"),
    (0x000e, "BPDU"),
];
