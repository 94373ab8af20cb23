//! The IS-IS TLVs (print-isoclns.c `isis_print`'s TLV loop and its helpers at
//! tcpdump-4.99.3). TLVs without a printer there are dumped as hex.
//!
//! Must not do I/O: it only reads the captured bytes.

use super::isis::{
    check, flags, id_string, jnp, nlpid_name, print_cksum, trunc_mark, unknown, IResult, Stop,
    LSP_ID_LEN, NODE_ID_LEN, SYSTEM_ID_LEN,
};
use super::spb;
use crate::capture::print::gmpls::{
    mbps_print, DIFFSERV_TE_BC, GMPLS_ENCODING, GMPLS_LINK_PROT, GMPLS_SWITCH_CAP,
    GMPLS_TSC_INDICATION,
};
use crate::capture::print::names::{ip6addr_at, ipaddr_at, ipaddr_string, oui_name};
use crate::capture::print::tok::{tok2str, Tok};
use crate::capture::print::util::print_invalid;
use crate::capture::print::{get_be_u16, get_be_u32, get_bytes, get_u8, Nd};
use crate::nd_print;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// `isis_tlv_values`.
const TLV_VALUES: &[Tok] = &[
    (1, "Area address(es)"),
    (2, "IS Reachability"),
    (3, "ES Neighbor(s)"),
    (4, "Partition DIS"),
    (5, "Prefix Neighbors"),
    (6, "IS Neighbor(s)"),
    (7, "Instance Identifier"),
    (8, "Padding"),
    (9, "LSP entries"),
    (10, "Authentication"),
    (12, "Checksum"),
    (13, "Purge Originator Identifier"),
    (14, "LSP Buffersize"),
    (22, "Extended IS Reachability"),
    (24, "IS Alias ID"),
    (42, "DECnet Phase IV"),
    (66, "Lucent Proprietary"),
    (128, "IPv4 Internal Reachability"),
    (129, "Protocols supported"),
    (130, "IPv4 External Reachability"),
    (131, "Inter-Domain Information Type"),
    (132, "IPv4 Interface address(es)"),
    (133, "IPv4 authentication (deprecated)"),
    (134, "Traffic Engineering Router ID"),
    (135, "Extended IPv4 Reachability"),
    (138, "Shared Risk Link Group"),
    (143, "Multi-Topology-Aware Port Capability"),
    (144, "Multi-Topology Capability"),
    (176, "Nortel Proprietary"),
    (177, "Nortel Proprietary"),
    (137, "Hostname"),
    (211, "Restart Signaling"),
    (222, "Multi Topology IS Reachability"),
    (229, "Multi Topology"),
    (232, "IPv6 Interface address(es)"),
    (235, "Multi-Topology IPv4 Reachability"),
    (236, "IPv6 reachability"),
    (237, "Multi-Topology IP6 Reachability"),
    (240, "Point-to-point Adjacency State"),
    (241, "Hello PDU Sequence Number"),
    (242, "IS-IS Router Capability"),
    (250, "Vendor Private"),
];

/// `isis_ext_is_reach_subtlv_values`.
const EXT_IS_REACH_SUBTLVS: &[Tok] = &[
    (3, "Administrative groups"),
    (4, "Link Local/Remote Identifier"),
    (5, "Link Remote Identifier"),
    (6, "IPv4 interface address"),
    (8, "IPv4 neighbor address"),
    (9, "Maximum link bandwidth"),
    (10, "Reservable link bandwidth"),
    (11, "Unreserved bandwidth"),
    (18, "Traffic Engineering Metric"),
    (19, "Link Attribute"),
    (20, "Link Protection Type"),
    (21, "Interface Switching Capability"),
    (12, "Bandwidth Constraints (old)"),
    (22, "Bandwidth Constraints"),
    (32, "LAN Adjacency Segment Identifier"),
    (29, "SPB Metric"),
    (250, "Reserved for cisco specific extensions"),
    (251, "Reserved for cisco specific extensions"),
    (252, "Reserved for cisco specific extensions"),
    (253, "Reserved for cisco specific extensions"),
    (254, "Reserved for cisco specific extensions"),
    (255, "Reserved for future expansion"),
];

/// `isis_ext_ip_reach_subtlv_values`.
const EXT_IP_REACH_SUBTLVS: &[Tok] = &[
    (1, "32-Bit Administrative tag"),
    (2, "64-Bit Administrative tag"),
    (3, "Prefix SID"),
    (117, "Management Prefix Color"),
];

/// `prefix_sid_flag_values`.
const PREFIX_SID_FLAGS: &[Tok] = &[
    (0x80, "Readvertisement"),
    (0x40, "Node"),
    (0x20, "No-PHP"),
    (0x10, "Explicit NULL"),
    (0x08, "Value"),
    (0x04, "Local"),
];

/// `prefix_sid_algo_values`.
const PREFIX_SID_ALGOS: &[Tok] = &[(0, "SPF"), (1, "strict-SPF")];

/// `isis_subtlv_link_attribute_values`.
const LINK_ATTRIBUTES: &[Tok] = &[
    (0x01, "Local Protection Available"),
    (0x02, "Link excluded from local protection path"),
    (0x04, "Local maintenance required"),
];

/// `isis_lan_adj_sid_flag_values`.
const LAN_ADJ_SID_FLAGS: &[Tok] = &[
    (0x80, "Address family IPv6"),
    (0x40, "Backup"),
    (0x20, "Value"),
    (0x10, "Local significance"),
    (0x08, "Set of adjacencies"),
    (0x04, "Persistent"),
];

/// `isis_subtlv_auth_values`.
const AUTH_TYPES: &[Tok] = &[
    (1, "simple text password"),
    (3, "Generic Crypto key-id"),
    (54, "HMAC-MD5 password"),
    (255, "Routing Domain private password"),
];

/// `isis_subtlv_idrp_values`.
const IDRP_TYPES: &[Tok] = &[
    (0, "Reserved"),
    (1, "Routing-Domain Specific"),
    (2, "AS Number Tag"),
];

/// `isis_mt_values`.
const MT_VALUES: &[Tok] = &[
    (0, "IPv4 unicast"),
    (1, "In-Band Management"),
    (2, "IPv6 unicast"),
    (3, "Multicast"),
    (4095, "Development, Experimental or Proprietary"),
];

/// `isis_mt_flag_values`.
const MT_FLAGS: &[Tok] = &[(0x4000, "ATT bit set"), (0x8000, "Overload bit set")];

/// `isis_is_reach_virtual_values`.
const VIRTUAL_FLAGS: &[Tok] = &[(0, "IsNotVirtual"), (1, "IsVirtual")];

/// `isis_restart_flag_values`.
const RESTART_FLAGS: &[Tok] = &[
    (0x1, "Restart Request"),
    (0x2, "Restart Acknowledgement"),
    (0x4, "Suppress adjacency advertisement"),
];

/// `isis_ptp_adjancey_values`.
const PTP_ADJ_STATES: &[Tok] = &[(0, "Up"), (1, "Initializing"), (2, "Down")];

/// `isis_tlv_router_capability_flags`.
const ROUTER_CAP_FLAGS: &[Tok] = &[(0x01, "S bit"), (0x02, "D bit")];

/// `isis_router_capability_subtlv_values`.
const ROUTER_CAP_SUBTLVS: &[Tok] = &[(2, "SR-Capabilities")];

/// `isis_router_capability_sr_flags`.
const SR_FLAGS: &[Tok] = &[(0x80, "ipv4"), (0x40, "ipv6")];

const IDENT: &str = "\n\t      ";

/// How a TLV printer left the PDU.
enum Flow {
    /// On to the next TLV (tcpdump's `break` and `tlv_trunc`).
    Next,
    /// `isis_print` returns 0: the caller dumps the PDU.
    Dump,
    /// `isis_print` returns 1 at once, printing nothing more.
    Stop,
}

/// The TLVs from `at`, `packet_len` bytes; `length` is the PDU length for checksums.
pub fn tlvs_print(
    nd: &mut Nd<'_>,
    p: &[u8],
    at: usize,
    packet_len: usize,
    length: usize,
) -> IResult<bool> {
    let (mut pptr, mut packet_len) = (at, packet_len);
    while packet_len > 0 {
        check(p, pptr, 2)?;
        if packet_len < 2 {
            return Err(Stop::Local);
        }
        let tlv_type = get_u8(p, pptr)?;
        let tlv_len = get_u8(p, pptr + 1)?;
        pptr += 2;
        packet_len -= 2;
        nd_print!(
            nd,
            "\n\t    {} TLV #{tlv_type}, length: {tlv_len}",
            tok2str(TLV_VALUES, "unknown", tlv_type.into())
        );
        let tlen = usize::from(tlv_len);
        if packet_len < tlen {
            return Err(Stop::Local);
        }
        match tlv_print(nd, p, pptr, tlv_type, tlen, length)? {
            Flow::Next => {}
            Flow::Dump => return Ok(false),
            Flow::Stop => return Ok(true),
        }
        if nd.opts.v > 1 && !unknown(nd, p, pptr, IDENT, tlen) {
            return Ok(false);
        }
        pptr += tlen;
        packet_len -= tlen;
    }
    Ok(true)
}

/// `print_unknown_data` as a flow: a pointer past the capture makes `isis_print` return 0.
fn hex(nd: &mut Nd<'_>, p: &[u8], at: usize, ident: &str, len: usize) -> Flow {
    if unknown(nd, p, at, ident, len) {
        Flow::Next
    } else {
        Flow::Dump
    }
}

/// One TLV's body.
fn tlv_print(
    nd: &mut Nd<'_>,
    p: &[u8],
    tptr: usize,
    tlv_type: u8,
    tlen: usize,
    length: usize,
) -> IResult<Flow> {
    let end = tptr + tlen;
    let mut t = tptr;
    match tlv_type {
        1 => {
            while t < end {
                let alen = usize::from(get_u8(p, t)?);
                t += 1;
                if end - t < alen {
                    break;
                }
                let a = isonsap_string(p, t, alen)?;
                nd_print!(nd, "\n\t      Area address (length: {alen}): {a}");
                t += alen;
            }
        }
        6 => {
            while end - t >= 6 {
                check(p, t, 6)?;
                let id = id_string(p, t, 6)?;
                nd_print!(nd, "\n\t      SNPA: {id}");
                t += 6;
            }
        }
        7 => {
            if tlen >= 4 {
                let n = (tlen - 2) / 2;
                nd_print!(
                    nd,
                    "\n\t      Instance ID: {}, ITIDs({n}){} ",
                    get_be_u16(p, t)?,
                    if n > 0 { ":" } else { "" }
                );
                for i in 0..n {
                    nd_print!(nd, "{}", get_be_u16(p, t + 2 + 2 * i)?);
                    if i + 1 < n {
                        nd.print(", ");
                    }
                }
            }
        }
        8 => {}
        22 | 24 | 222 => {
            if tlv_type == 222 {
                t += mtid(nd, p, t, end - t)?;
            }
            while t < end {
                let n = ext_is_reach(nd, p, t, tlv_type, end - t)?;
                if end - t < n {
                    nd_print!(nd, " [remaining tlv length {} < {n}]", end - t);
                    print_invalid(nd);
                    break;
                }
                t += n;
            }
        }
        2 => {
            if tlen < 1 {
                return Ok(Flow::Next);
            }
            nd_print!(
                nd,
                "\n\t      {}",
                tok2str(
                    VIRTUAL_FLAGS,
                    "bogus virtual flag 0x%02x",
                    get_u8(p, t)?.into()
                )
            );
            t += 1;
            while t < end {
                if end - t < 11 {
                    break;
                }
                check(p, t, 11)?;
                let id = id_string(p, t + 4, NODE_ID_LEN)?;
                nd_print!(nd, "\n\t      IS Neighbor: {id}");
                metric_block(nd, p, t)?;
                t += 11;
            }
        }
        3 => {
            while t < end {
                if end - t < 10 {
                    break;
                }
                check(p, t, 10)?;
                let id = id_string(p, t + 4, SYSTEM_ID_LEN)?;
                nd_print!(nd, "\n\t      ES Neighbor: {id}");
                metric_block(nd, p, t)?;
                t += 10;
            }
        }
        128 | 130 => {
            if !ip_reach(nd, p, t, tlen)? {
                return Ok(Flow::Stop);
            }
        }
        135 | 235 | 236 | 237 => {
            if tlv_type >= 235 && tlv_type != 236 {
                t += mtid(nd, p, t, end - t)?;
            }
            let v6 = tlv_type == 236 || tlv_type == 237;
            while t < end {
                let n = extd_ip_reach(nd, p, t, v6)?;
                if end - t < n {
                    nd_print!(nd, " [remaining tlv length {} < {n}]", end - t);
                    print_invalid(nd);
                    break;
                }
                t += n;
            }
        }
        232 => {
            while end - t >= 16 {
                let a = ip6addr_at(nd, p, t)?;
                nd_print!(nd, "\n\t      IPv6 interface address: {a}");
                t += 16;
            }
        }
        10 => return auth(nd, p, t, tlen),
        240 => ptp_adj(nd, p, t, tlen)?,
        129 => {
            nd.print("\n\t      NLPID(s): ");
            while t < end {
                let v = get_u8(p, t)?;
                nd_print!(nd, "{} (0x{v:02x})", nlpid_name(v));
                if end - t > 1 {
                    nd.print(", ");
                }
                t += 1;
            }
        }
        134 => {
            if tlen >= 4 {
                let a = ipaddr_at(nd, p, t)?;
                nd_print!(nd, "\n\t      Traffic Engineering Router ID: {a}");
            }
        }
        132 => {
            while end - t >= 4 {
                let a = ipaddr_at(nd, p, t)?;
                nd_print!(nd, "\n\t      IPv4 interface address: {a}");
                t += 4;
            }
        }
        137 => {
            nd.print("\n\t      Hostname: ");
            jnp(nd, p, t, tlen)?;
        }
        138 => shared_risk_group(nd, p, t, end)?,
        9 => {
            while end - t >= 16 {
                check(p, t + 2 + LSP_ID_LEN - 1, 1)?;
                let id = id_string(p, t + 2, LSP_ID_LEN)?;
                nd_print!(nd, "\n\t      lsp-id: {id}");
                nd_print!(nd, ", seq: 0x{:08x}", get_be_u32(p, t + 10)?);
                nd_print!(nd, ", lifetime: {:5}s", get_be_u16(p, t)?);
                nd_print!(nd, ", chksum: 0x{:04x}", get_be_u16(p, t + 14)?);
                t += 16;
            }
        }
        12 => {
            if tlen >= 2 {
                check(p, t, 2)?;
                let c = get_be_u16(p, t)?;
                nd_print!(nd, "\n\t      checksum: 0x{c:04x} ");
                print_cksum(nd, p, 0, c, t, length);
            }
        }
        13 => {
            if tlen < 1 {
                return Ok(Flow::Next);
            }
            let n = get_u8(p, t)?;
            t += 1;
            if n == 0 {
                nd.print(" No system IDs supplied");
            } else {
                if end - t < 6 {
                    return Ok(Flow::Next);
                }
                check(p, t, 6)?;
                let id = id_string(p, t, 6)?;
                nd_print!(nd, "\n\t      Purge Originator System-ID: {id}");
                t += 6;
                if n > 1 {
                    if end - t < 6 {
                        return Ok(Flow::Next);
                    }
                    check(p, t, 6)?;
                    check(p, t, 13)?;
                    let id = id_string(p, t, 6)?;
                    nd_print!(nd, "\n\t      Received from System-ID: {id}");
                }
            }
        }
        229 => {
            while t < end {
                if end - t == 1 {
                    nd.print("\n\t      invalid MT-ID");
                    break;
                }
                t += mtid(nd, p, t, end - t)?;
            }
        }
        211 => {
            if tlen >= 1 {
                check(p, t, 1)?;
                nd_print!(
                    nd,
                    "\n\t      Flags [{}]",
                    flags(RESTART_FLAGS, "none", get_u8(p, t)?.into())
                );
                t += 1;
                if end - t >= 2 {
                    check(p, t, 2)?;
                    nd_print!(nd, ", Remaining holding time {}s", get_be_u16(p, t)?);
                    t += 2;
                    if end - t == 6 {
                        check(p, t, 6)?;
                        let id = id_string(p, t, 6)?;
                        nd_print!(nd, ", for {id}");
                    }
                }
            }
        }
        131 => {
            if tlen >= 1 {
                let kind = get_u8(p, t)?;
                nd_print!(
                    nd,
                    "\n\t      Inter-Domain Information Type: {}",
                    tok2str(IDRP_TYPES, "Unknown (0x%02x)", kind.into())
                );
                t += 1;
                if kind == 2 {
                    if end - t >= 2 {
                        nd_print!(nd, "AS Number: {}", get_be_u16(p, t)?);
                    }
                } else {
                    return Ok(hex(nd, p, t, IDENT, end - t));
                }
            }
        }
        14 => {
            if tlen >= 2 {
                nd_print!(nd, "\n\t      LSP Buffersize: {}", get_be_u16(p, t)?);
            }
        }
        4 => {
            while t < end {
                if end - t < 6 {
                    break;
                }
                check(p, t, 6)?;
                let id = id_string(p, t, 6)?;
                nd_print!(nd, "\n\t      {id}");
                t += 6;
            }
        }
        5 => {
            if tlen >= 4 {
                check(p, t, 4)?;
                nd.print("\n\t      Metric Block");
                metric_block(nd, p, t)?;
                t += 4;
                while t < end {
                    let plen = usize::from(get_u8(p, t)?);
                    t += 1;
                    if plen < 2 {
                        nd_print!(nd, "\n\t\tAddress: prefix length {plen} < 2");
                        break;
                    }
                    if end - t < plen / 2 {
                        break;
                    }
                    let a = isonsap_string(p, t, plen / 2)?;
                    nd_print!(nd, "\n\t\tAddress: {a}/{}", plen * 4);
                    t += plen / 2;
                }
            }
        }
        241 => {
            if tlen >= 4 {
                nd_print!(nd, "\n\t      Sequence number: {}", get_be_u32(p, t)?);
            }
        }
        242 => {
            if tlen < 5 {
                nd_print!(nd, " [object length {tlen} < 5]");
                print_invalid(nd);
            } else {
                let a = ipaddr_at(nd, p, t)?;
                nd_print!(
                    nd,
                    "\n\t      Router-ID {a}, Flags [{}]",
                    flags(ROUTER_CAP_FLAGS, "none", get_u8(p, t + 4)?.into())
                );
                if tlen > 5 {
                    router_cap_subtlvs(nd, p, t + 5, tlen - 5)?;
                }
            }
        }
        143 | 144 => {
            if tlen < 2 {
                return Ok(Flow::Next);
            }
            let v = get_be_u16(p, t)?;
            if tlv_type == 143 {
                nd_print!(nd, "\n\t       RES: {}, MTID(s): {}", v >> 12, v & 0xfff);
                if tlen > 2 {
                    spb::port_cap_subtlvs(nd, p, t + 2, tlen - 2)?;
                }
            } else {
                nd_print!(
                    nd,
                    "\n\t      O: {}, RES: {}, MTID(s): {}",
                    (v >> 15) & 1,
                    (v >> 12) & 7,
                    v & 0xfff
                );
                if tlen > 2 {
                    spb::capability_subtlvs(nd, p, t + 2, tlen - 2)?;
                }
            }
        }
        250 => {
            if tlen >= 3 {
                let v = crate::capture::print::util::get_be_u24(p, t)?;
                nd_print!(
                    nd,
                    "\n\t      Vendor: {} ({v})",
                    oui_name(v).unwrap_or("Unknown")
                );
                t += 3;
                if t < end {
                    return Ok(hex(nd, p, t, "\n\t\t", end - t));
                }
            }
        }
        _ => {
            if nd.opts.v <= 1 {
                return Ok(hex(nd, p, tptr, "\n\t\t", tlen));
            }
        }
    }
    Ok(Flow::Next)
}

/// `GET_ISONSAP_STRING`: `len` bytes as `49.0001.0203`.
fn isonsap_string(p: &[u8], at: usize, len: usize) -> IResult<String> {
    let b = get_bytes(p, at, len)?;
    if b.is_empty() || b.len() > 20 {
        return Ok("isonsap_string: illegal length".to_string());
    }
    let mut s = String::with_capacity(len * 3);
    for (i, x) in b.iter().enumerate() {
        s.push_str(&format!("{x:02x}"));
        if i & 1 == 0 && i + 1 < len {
            s.push('.');
        }
    }
    Ok(s)
}

fn metric(v: u8) -> (u8, &'static str) {
    (
        v & 0x3f,
        if v & 0x40 != 0 {
            "External"
        } else {
            "Internal"
        },
    )
}

/// The delay, expense and error metrics a block supports, each on its line.
fn optional_metrics(nd: &mut Nd<'_>, p: &[u8], at: usize, ident: &str) -> IResult {
    for (i, name) in ["Delay", "Expense", "Error"].iter().enumerate() {
        let m = get_u8(p, at + 1 + i)?;
        if m & 0x80 == 0 {
            let (v, ie) = metric(m);
            nd_print!(nd, "{ident}  {name} Metric: {v}, {ie}");
        }
    }
    Ok(())
}

/// `isis_print_metric_block`.
fn metric_block(nd: &mut Nd<'_>, p: &[u8], at: usize) -> IResult {
    let (v, ie) = metric(get_u8(p, at)?);
    nd_print!(nd, ", Default Metric: {v}, {ie}");
    optional_metrics(nd, p, at, "\n\t\t")
}

/// `isis_print_tlv_ip_reach`: `Ok(false)` where tcpdump's returns 0.
fn ip_reach(nd: &mut Nd<'_>, p: &[u8], at: usize, len: usize) -> IResult<bool> {
    let (mut t, mut left) = (at, len);
    while left > 0 {
        if left < 12 {
            nd_print!(nd, "short IPv4 Reachability ({left} vs 12)");
            return Ok(false);
        }
        if check(p, t, 12).is_err() {
            return Ok(false);
        }
        let mask = get_be_u32(p, t + 8)?;
        let prefix = ipaddr_at(nd, p, t + 4)?;
        let plen = mask.leading_ones();
        if mask.checked_shl(plen).unwrap_or(0) != 0 {
            let m = ipaddr_at(nd, p, t + 8)?;
            nd_print!(nd, "{IDENT}IPv4 prefix: {prefix} mask {m}");
        } else {
            nd_print!(nd, "{IDENT}IPv4 prefix: {prefix:>15}/{plen}");
        }
        let d = get_u8(p, t)?;
        let (v, ie) = metric(d);
        nd_print!(
            nd,
            ", Distribution: {}, Metric: {v}, {ie}",
            if d & 0x80 != 0 { "down" } else { "up" }
        );
        optional_metrics(nd, p, t, IDENT)?;
        left -= 12;
        t += 12;
    }
    Ok(true)
}

/// `isis_print_mtid`: the topology of a multi-topology TLV, 2 bytes.
fn mtid(nd: &mut Nd<'_>, p: &[u8], at: usize, left: usize) -> IResult<usize> {
    if left < 2 {
        return Err(Stop::Local);
    }
    let v = u32::from(get_be_u16(p, at)?);
    nd_print!(
        nd,
        "{IDENT}{} Topology (0x{:03x}), Flags: [{}]",
        tok2str(MT_VALUES, "Reserved for IETF Consensus", v & 0xfff),
        v & 0xfff,
        flags(MT_FLAGS, "none", v & 0xf000)
    );
    Ok(2)
}

/// `isis_print_ext_is_reach`: one neighbor and its sub-TLVs; the bytes used, never 0
/// (tcpdump's 0 is `Err(Stop::Local)` here).
fn ext_is_reach(
    nd: &mut Nd<'_>,
    p: &[u8],
    at: usize,
    tlv_type: u8,
    remaining: usize,
) -> IResult<usize> {
    let mut t = at;
    let mut remaining = u32::try_from(remaining).unwrap_or(u32::MAX);
    check(p, t, NODE_ID_LEN)?;
    if remaining < 7 {
        return Err(Stop::Local);
    }
    let id = id_string(p, t, NODE_ID_LEN)?;
    nd_print!(nd, "{IDENT}IS Neighbor: {id}");
    t += 7;
    remaining -= 7;
    if tlv_type != 24 {
        check(p, t, 3)?;
        if remaining < 3 {
            return Err(Stop::Local);
        }
        nd_print!(
            nd,
            ", Metric: {}",
            crate::capture::print::util::get_be_u24(p, t)?
        );
        t += 3;
        remaining -= 3;
    }
    check(p, t, 1)?;
    if remaining < 1 {
        return Err(Stop::Local);
    }
    let mut sum = u32::from(get_u8(p, t)?);
    t += 1;
    remaining -= 1;
    let mut proc_bytes = t - at;
    nd_print!(
        nd,
        ", {}sub-TLVs present",
        if sum != 0 { "" } else { "no " }
    );
    if sum == 0 {
        return Ok(proc_bytes);
    }
    nd_print!(nd, " ({sum})");
    let ident = "\n\t        ";
    while sum != 0 {
        check(p, t, 2)?;
        if remaining < 2 {
            nd_print!(
                nd,
                "{ident}Remaining data in TLV shorter than a subTLV header"
            );
            proc_bytes += remaining as usize;
            break;
        }
        if sum < 2 {
            nd_print!(
                nd,
                "{ident}Remaining data in subTLVs shorter than a subTLV header"
            );
            proc_bytes += sum as usize;
            break;
        }
        let st = get_u8(p, t)?;
        let mut sl = u32::from(get_u8(p, t + 1)?);
        t += 2;
        remaining -= 2;
        sum -= 2;
        proc_bytes += 2;
        nd_print!(
            nd,
            "{ident}{} subTLV #{st}, length: {sl}",
            tok2str(EXT_IS_REACH_SUBTLVS, "unknown", st.into())
        );
        if sum < sl {
            nd.print(" (remaining data in subTLVs shorter than the current subTLV)");
            proc_bytes += sum as usize;
            break;
        }
        if remaining < sl {
            nd.print(" (> remaining tlv length)");
            proc_bytes += remaining as usize;
            break;
        }
        check(p, t, sl as usize)?;
        // Bytes a sub-TLV printer steps over itself (tcpdump moves its pointer and
        // lengths as it goes, but not the TLV's remaining length).
        let step = |n: u32, t: &mut usize, sl: &mut u32, sum: &mut u32, pb: &mut usize| {
            *t += n as usize;
            *sl -= n;
            *sum = sum.wrapping_sub(n);
            *pb += n as usize;
        };
        match st {
            3..=5 => {
                if sl >= 4 {
                    nd_print!(nd, ", 0x{:08x}", get_be_u32(p, t)?);
                    if sl == 8 {
                        nd_print!(nd, ", 0x{:08x}", get_be_u32(p, t + 4)?);
                    }
                }
            }
            6 | 8 => {
                if sl >= 4 {
                    let a = ipaddr_at(nd, p, t)?;
                    nd_print!(nd, ", {a}");
                }
            }
            9 | 10 => {
                if sl >= 4 {
                    nd.print(", ");
                    mbps_print(nd, get_be_u32(p, t)?);
                    nd.print(" Mbps");
                }
            }
            11 => {
                if sl >= 32 {
                    for class in 0..8 {
                        nd_print!(nd, "{ident}  TE-Class {class}: ");
                        mbps_print(nd, get_be_u32(p, t)?);
                        nd.print(" Mbps");
                        step(4, &mut t, &mut sl, &mut sum, &mut proc_bytes);
                    }
                }
            }
            12 | 22 => {
                if sl != 0 {
                    let m = get_u8(p, t)?;
                    nd_print!(
                        nd,
                        "{ident}Bandwidth Constraints Model ID: {} ({m})",
                        tok2str(DIFFSERV_TE_BC, "unknown", m.into())
                    );
                    step(1, &mut t, &mut sl, &mut sum, &mut proc_bytes);
                    let mut class = 0;
                    while sl >= 4 {
                        nd_print!(nd, "{ident}  Bandwidth constraint CT{class}: ");
                        mbps_print(nd, get_be_u32(p, t)?);
                        nd.print(" Mbps");
                        step(4, &mut t, &mut sl, &mut sum, &mut proc_bytes);
                        class += 1;
                    }
                }
            }
            18 => {
                if sl >= 3 {
                    nd_print!(nd, ", {}", crate::capture::print::util::get_be_u24(p, t)?);
                }
            }
            19 => {
                if sl == 2 {
                    let v = get_be_u16(p, t)?;
                    nd_print!(
                        nd,
                        ", [ {} ] (0x{v:04x})",
                        flags(LINK_ATTRIBUTES, "Unknown", v.into())
                    );
                }
            }
            20 => {
                if sl >= 2 {
                    nd_print!(
                        nd,
                        ", {}, Priority {}",
                        flags(GMPLS_LINK_PROT, "none", get_u8(p, t)?.into()),
                        get_u8(p, t + 1)?
                    );
                }
            }
            29 => {
                if sl >= 6 {
                    nd_print!(
                        nd,
                        ", LM: {}",
                        crate::capture::print::util::get_be_u24(p, t)?
                    );
                    step(3, &mut t, &mut sl, &mut sum, &mut proc_bytes);
                    nd_print!(nd, ", P: {}", get_u8(p, t)?);
                    step(1, &mut t, &mut sl, &mut sum, &mut proc_bytes);
                    nd_print!(nd, ", P-ID: {}", get_be_u16(p, t)?);
                }
            }
            21 => {
                if sl >= 36 {
                    let cap = get_u8(p, t)?;
                    nd_print!(
                        nd,
                        "{ident}  Interface Switching Capability:{}",
                        tok2str(GMPLS_SWITCH_CAP, "Unknown", cap.into())
                    );
                    nd_print!(
                        nd,
                        ", LSP Encoding: {}",
                        tok2str(GMPLS_ENCODING, "Unknown", get_u8(p, t + 1)?.into())
                    );
                    step(4, &mut t, &mut sl, &mut sum, &mut proc_bytes);
                    nd_print!(nd, "{ident}  Max LSP Bandwidth:");
                    for level in 0..8 {
                        nd_print!(nd, "{ident}    priority level {level}: ");
                        mbps_print(nd, get_be_u32(p, t)?);
                        nd.print(" Mbps");
                        step(4, &mut t, &mut sl, &mut sum, &mut proc_bytes);
                    }
                    match cap {
                        1..=4 => {
                            if sl >= 6 {
                                nd_print!(nd, "{ident}  Min LSP Bandwidth: ");
                                mbps_print(nd, get_be_u32(p, t)?);
                                nd.print(" Mbps");
                                nd_print!(nd, "{ident}  Interface MTU: {}", get_be_u16(p, t + 4)?);
                            }
                        }
                        100 => {
                            if sl >= 8 {
                                nd_print!(nd, "{ident}  Min LSP Bandwidth: ");
                                mbps_print(nd, get_be_u32(p, t)?);
                                nd.print(" Mbps");
                                nd_print!(
                                    nd,
                                    "{ident}  Indication {}",
                                    tok2str(
                                        GMPLS_TSC_INDICATION,
                                        "Unknown (%u)",
                                        get_u8(p, t + 4)?.into()
                                    )
                                );
                            }
                        }
                        _ => {
                            if sl != 0 {
                                unknown(nd, p, t, "\n\t\t    ", sl as usize);
                            }
                        }
                    }
                }
            }
            32 => {
                if sl >= 8 {
                    let f = get_u8(p, t)?;
                    nd_print!(
                        nd,
                        "{ident}  Flags: [{}]",
                        flags(LAN_ADJ_SID_FLAGS, "none", f.into())
                    );
                    step(1, &mut t, &mut sl, &mut sum, &mut proc_bytes);
                    nd_print!(nd, "{ident}  Weight: {}", get_u8(p, t)?);
                    step(1, &mut t, &mut sl, &mut sum, &mut proc_bytes);
                    if sl >= 6 {
                        check(p, t, 6)?;
                        let id = id_string(p, t, 6)?;
                        nd_print!(nd, "{ident}  Neighbor System-ID: {id}");
                    }
                    match (f & 0x20 != 0, f & 0x10 != 0) {
                        (true, true) => nd_print!(
                            nd,
                            "{ident}  Label: {}",
                            crate::capture::print::util::get_be_u24(p, t + 6)?
                        ),
                        (false, false) => {
                            nd_print!(nd, "{ident}  Index: {}", get_be_u32(p, t + 6)?);
                        }
                        _ => print_invalid(nd),
                    }
                }
            }
            _ => {
                unknown(nd, p, t, "\n\t\t    ", sl as usize);
            }
        }
        t += sl as usize;
        remaining = remaining.wrapping_sub(sl);
        sum = sum.wrapping_sub(sl);
        proc_bytes += sl as usize;
    }
    Ok(proc_bytes)
}

/// `isis_print_extd_ip_reach`: one prefix and its sub-TLVs; the bytes used.
fn extd_ip_reach(nd: &mut Nd<'_>, p: &[u8], at: usize, v6: bool) -> IResult<usize> {
    let metric = get_be_u32(p, at)?;
    let mut t = at + 4;
    let status = get_u8(p, t)?;
    let bits = if v6 {
        let b = get_u8(p, t + 1)?;
        if b > 128 {
            nd_print!(nd, "{IDENT}IPv6 prefix: bad bit length {b}");
            return Err(Stop::Local);
        }
        t += 2;
        b
    } else {
        let b = status & 0x3f;
        if b > 32 {
            nd_print!(nd, "{IDENT}IPv4 prefix: bad bit length {b}");
            return Err(Stop::Local);
        }
        t += 1;
        b
    };
    let nbytes = usize::from(bits).div_ceil(8);
    let bytes = get_bytes(p, t, nbytes)?;
    t += nbytes;
    let mut buf = [0u8; 16];
    for (d, b) in buf.iter_mut().zip(bytes) {
        *d = *b;
    }
    if v6 {
        let a = ipaddr_string(nd, IpAddr::V6(Ipv6Addr::from(buf)));
        nd_print!(nd, "{IDENT}IPv6 prefix: {a}/{bits}");
    } else {
        let a = ipaddr_string(
            nd,
            IpAddr::V4(Ipv4Addr::new(buf[0], buf[1], buf[2], buf[3])),
        );
        nd_print!(nd, "{IDENT}IPv4 prefix: {a:>15}/{bits}");
    }
    nd_print!(
        nd,
        ", Distribution: {}, Metric: {metric}",
        if status & 0x80 != 0 { "down" } else { "up" }
    );
    let sub = if v6 {
        status & 0x20 != 0
    } else {
        status & 0x40 != 0
    };
    if !v6 && sub {
        nd.print(", sub-TLVs present");
    } else if v6 {
        nd_print!(
            nd,
            ", {}{}",
            if status & 0x40 != 0 {
                "External"
            } else {
                "Internal"
            },
            if sub { ", sub-TLVs present" } else { "" }
        );
    }
    let mut processed = t - at;
    if sub {
        let mut sublen = u32::from(get_u8(p, t)?);
        t += 1;
        processed += sublen as usize + 1;
        nd_print!(nd, " ({sublen})");
        while sublen > 0 {
            let st = get_u8(p, t)?;
            let sl = get_u8(p, t + 1)?;
            t += 2;
            if !ip_reach_subtlv(nd, p, t, st, usize::from(sl))? {
                return Err(Stop::Local);
            }
            t += usize::from(sl);
            sublen = sublen.wrapping_sub(u32::from(sl) + 2);
        }
    }
    Ok(processed)
}

/// `isis_print_ip_reach_subtlv`: `Ok(false)` after ` [|isis]` where tcpdump's returns 0.
fn ip_reach_subtlv(nd: &mut Nd<'_>, p: &[u8], at: usize, st: u8, sl: usize) -> IResult<bool> {
    let ident = "\n\t        ";
    nd_print!(
        nd,
        "{ident}{} subTLV #{st}, length: {sl}",
        tok2str(EXT_IP_REACH_SUBTLVS, "unknown", st.into())
    );
    if check(p, at, sl).is_err() {
        trunc_mark(nd);
        return Ok(false);
    }
    let (mut t, mut sl) = (at, sl);
    match st {
        1 | 117 => {
            while sl >= 4 {
                let v = get_be_u32(p, t)?;
                nd_print!(nd, ", 0x{v:08x} (={v})");
                t += 4;
                sl -= 4;
            }
        }
        2 => {
            while sl >= 8 {
                nd_print!(
                    nd,
                    ", 0x{:08x}{:08x}",
                    get_be_u32(p, t)?,
                    get_be_u32(p, t + 4)?
                );
                t += 8;
                sl -= 8;
            }
        }
        3 => {
            let f = get_u8(p, t)?;
            let algo = get_u8(p, t + 1)?;
            let value = f & 0x08 != 0;
            let sid = if value {
                if sl < 5 {
                    trunc_mark(nd);
                    return Ok(false);
                }
                crate::capture::print::util::get_be_u24(p, t + 2)?
            } else {
                if sl < 6 {
                    trunc_mark(nd);
                    return Ok(false);
                }
                get_be_u32(p, t + 2)?
            };
            nd_print!(
                nd,
                ", Flags [{}], Algo {} ({algo}), {} {sid}",
                flags(PREFIX_SID_FLAGS, "None", f.into()),
                tok2str(PREFIX_SID_ALGOS, "Unknown", algo.into()),
                if value { "label" } else { "index" }
            );
        }
        _ => {
            if !unknown(nd, p, t, "\n\t\t    ", sl) {
                return Ok(false);
            }
        }
    }
    Ok(true)
}

/// The authentication TLV.
fn auth(nd: &mut Nd<'_>, p: &[u8], at: usize, tlen: usize) -> IResult<Flow> {
    if tlen < 1 {
        return Ok(Flow::Next);
    }
    let kind = get_u8(p, at)?;
    let (t, len) = (at + 1, tlen - 1);
    nd_print!(
        nd,
        "\n\t      {}: ",
        tok2str(
            AUTH_TYPES,
            "unknown Authentication type 0x%02x",
            kind.into()
        )
    );
    match kind {
        1 => jnp(nd, p, t, len)?,
        54 => {
            for i in 0..len {
                nd_print!(nd, "{:02x}", get_u8(p, t + i)?);
            }
            if len != 16 {
                nd.print(", (invalid subTLV) ");
            }
            // No secret to check the signature with (tcpdump's -M).
            nd.print(" (unchecked)");
        }
        3 => {
            if len < 2 {
                return Ok(Flow::Next);
            }
            nd_print!(nd, "{}, password: ", get_be_u16(p, t)?);
            for i in 2..len {
                nd_print!(nd, "{:02x}", get_u8(p, t + i)?);
            }
        }
        _ => return Ok(hex(nd, p, t, "\n\t\t  ", len)),
    }
    Ok(Flow::Next)
}

/// The point-to-point adjacency state TLV (RFC 3373).
fn ptp_adj(nd: &mut Nd<'_>, p: &[u8], t: usize, tlen: usize) -> IResult {
    let mut left = tlen;
    if left >= 1 {
        let s = get_u8(p, t)?;
        nd_print!(
            nd,
            "\n\t      Adjacency State: {} ({s})",
            tok2str(PTP_ADJ_STATES, "unknown", s.into())
        );
        left -= 1;
    }
    if left > 4 {
        nd_print!(
            nd,
            "\n\t      Extended Local circuit-ID: 0x{:08x}",
            get_be_u32(p, t + 1)?
        );
        left -= 4;
    }
    if left >= 6 {
        check(p, t + 5, 6)?;
        let id = id_string(p, t + 5, 6)?;
        nd_print!(nd, "\n\t      Neighbor System-ID: {id}");
        left -= 6;
    }
    if left >= 4 {
        nd_print!(
            nd,
            "\n\t      Neighbor Extended Local circuit-ID: 0x{:08x}",
            get_be_u32(p, t + 11)?
        );
    }
    Ok(())
}

/// The shared risk link group TLV.
fn shared_risk_group(nd: &mut Nd<'_>, p: &[u8], at: usize, end: usize) -> IResult {
    let mut t = at;
    if end - t < 7 {
        return Ok(());
    }
    check(p, t, 7)?;
    let id = id_string(p, t, 7)?;
    nd_print!(nd, "\n\t      IS Neighbor: {id}");
    t += 7;
    if end - t < 1 {
        return Ok(());
    }
    let numbered = get_u8(p, t)? & 1 != 0;
    nd_print!(
        nd,
        ", Flags: [{}]",
        if numbered { "numbered" } else { "unnumbered" }
    );
    t += 1;
    for what in ["interface", "neighbor"] {
        if end - t < 4 {
            return Ok(());
        }
        let a = ipaddr_at(nd, p, t)?;
        nd_print!(nd, "\n\t      IPv4 {what} address: {a}");
        t += 4;
    }
    while end - t >= 4 {
        nd_print!(nd, "\n\t      Link-ID: 0x{:08x}", get_be_u32(p, t)?);
        t += 4;
    }
    Ok(())
}

/// `isis_print_router_cap_subtlv`.
fn router_cap_subtlvs(nd: &mut Nd<'_>, p: &[u8], at: usize, len: usize) -> IResult {
    let (mut t, mut tlen) = (at, len);
    while tlen >= 2 {
        let st = get_u8(p, t)?;
        let sl = usize::from(get_u8(p, t + 1)?);
        tlen -= 2;
        t += 2;
        nd_print!(
            nd,
            "\n\t\t{} subTLV #{st}, length: {sl}",
            tok2str(ROUTER_CAP_SUBTLVS, "unknown", st.into())
        );
        if sl > tlen || check(p, t, sl).is_err() {
            break;
        }
        if st == 2 {
            let f = get_u8(p, t)?;
            let range = crate::capture::print::util::get_be_u24(p, t + 1)?;
            nd_print!(
                nd,
                ", Flags [{}], Range {range}",
                flags(SR_FLAGS, "None", f.into())
            );
            let mut s = t + 4;
            // tcpdump keeps this length in a byte.
            let mut stlen = (sl as u8).wrapping_sub(4);
            while stlen >= 5 {
                let sty = get_u8(p, s)?;
                let slen = get_u8(p, s + 1)?;
                stlen -= 2;
                s += 2;
                if slen > stlen {
                    break;
                }
                if sty == 1 {
                    match slen {
                        3 => nd_print!(
                            nd,
                            ", SID value {}",
                            crate::capture::print::util::get_be_u24(p, s)?
                        ),
                        4 => nd_print!(nd, ", SID value {}", get_be_u32(p, s)?),
                        _ => nd_print!(nd, ", Unknown SID length{slen}"),
                    }
                } else {
                    unknown(nd, p, s, "\n\t\t  ", slen.into());
                }
                s += usize::from(slen);
                stlen -= slen;
            }
        } else {
            unknown(nd, p, t, "\n\t\t", sl);
        }
        tlen -= sl;
        t += sl;
    }
    Ok(())
}
