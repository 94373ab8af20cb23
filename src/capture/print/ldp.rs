//! The Label Distribution Protocol (RFC 5036, TCP and UDP port 646), mirroring print-ldp.c at
//! tcpdump-4.99.3: the PDU header, then at `-v` each message and its TLVs (Common Hello,
//! transport addresses, address lists, session parameters, FECs with prefixes and Martini
//! pseudowires, labels, status, fault tolerance, MTU), hex for the rest and, at `-vv`, every
//! message again in hex. Several PDUs of one segment are printed one after the other.
//!
//! print-ldp.c's truncation checks all unwind (`Err(Trunc)`, ` [|ldp]`). Its PDU walk keeps
//! the bytes left in 16 bits, as the C does: a message longer than its PDU makes the count
//! wrap, and the walk goes on until the capture ends.
//!
//! Offsets are absolute in the payload `data`. Must not do I/O: it only reads the captured
//! bytes.

use super::names::{ip4_at, ip6_at, print_addr};
use super::tok::{bittok2str, tok2str, Tok, AF_VALUES, MPLS_PW_TYPES};
use super::util::{fn_print_char, print_invalid, print_unknown_data};
use super::{get_array, get_be_u16, get_be_u32, get_u8, tcheck, Nd, PResult, Trunc};
use crate::nd_print;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// Version, PDU length, LSR ID and label space (`struct ldp_common_header`).
const COMMON_LEN: usize = 10;
/// Type, length and message ID (`struct ldp_msg_header`).
const MSG_HDR_LEN: usize = 8;
/// A TLV's type and length.
const TLV_HDR_LEN: usize = 4;

const AFNUM_INET: u16 = 1;
const AFNUM_INET6: u16 = 2;

/// Message types (print-ldp.c `ldp_msg_values`).
static MESSAGES: [Tok; 11] = [
    (0x0001, "Notification"),
    (0x0100, "Hello"),
    (0x0200, "Initialization"),
    (0x0201, "Keepalive"),
    (0x0300, "Address"),
    (0x0301, "Address Withdraw"),
    (0x0400, "Label Mapping"),
    (0x0401, "Label Request"),
    (0x0402, "Label Withdraw"),
    (0x0403, "Label Release"),
    (0x0404, "Label Abort Request"),
];

/// The messages whose TLVs are decoded.
const DECODED_MESSAGES: [u16; 8] = [
    0x0001, 0x0100, 0x0200, 0x0201, 0x0300, 0x0400, 0x0301, 0x0402,
];

/// TLV types (print-ldp.c `ldp_tlv_values`).
static TLVS: [Tok; 21] = [
    (0x0100, "FEC"),
    (0x0101, "Address List"),
    (0x0103, "Hop Count"),
    (0x0104, "Path Vector"),
    (0x0200, "Generic Label"),
    (0x0201, "ATM Label"),
    (0x0202, "Frame-Relay Label"),
    (0x0300, "Status"),
    (0x0301, "Extended Status"),
    (0x0302, "Returned PDU"),
    (0x0303, "Returned Message"),
    (0x0400, "Common Hello Parameters"),
    (0x0401, "IPv4 Transport Address"),
    (0x0402, "Configuration Sequence Number"),
    (0x0403, "IPv6 Transport Address"),
    (0x0500, "Common Session Parameters"),
    (0x0501, "ATM Session Parameters"),
    (0x0502, "Frame-Relay Session Parameters"),
    (0x0503, "Fault-Tolerant Session Parameters"),
    (0x0600, "Label Request Message ID"),
    (0x0601, "MTU"),
];

const TLV_FEC: u16 = 0x0100;
const TLV_ADDRESS_LIST: u16 = 0x0101;
const TLV_GENERIC_LABEL: u16 = 0x0200;
const TLV_STATUS: u16 = 0x0300;
const TLV_COMMON_HELLO: u16 = 0x0400;
const TLV_IPV4_TRANSPORT_ADDR: u16 = 0x0401;
const TLV_CONFIG_SEQ_NUMBER: u16 = 0x0402;
const TLV_IPV6_TRANSPORT_ADDR: u16 = 0x0403;
const TLV_COMMON_SESSION: u16 = 0x0500;
const TLV_FT_SESSION: u16 = 0x0503;
const TLV_MTU: u16 = 0x0601;

/// FEC element types (print-ldp.c `ldp_fec_values`).
static FECS: [Tok; 4] = [
    (0x01, "Wildcard"),
    (0x02, "Prefix"),
    (0x03, "Host address"),
    (0x80, "Martini VC"),
];

const FEC_PREFIX: u8 = 0x02;
const FEC_MARTINI_VC: u8 = 0x80;

/// Martini VC interface parameters (`ldp_fec_martini_ifparm_values`).
static IFPARMS: [Tok; 3] = [(0x01, "MTU"), (0x03, "Description"), (0x0c, "VCCV")];

/// VCCV control channels (`ldp_fec_martini_ifparm_vccv_cc_values`).
static VCCV_CC: [Tok; 3] = [
    (0x01, "PWE3 control word"),
    (0x02, "MPLS Router Alert Label"),
    (0x04, "MPLS inner label TTL = 1"),
];

/// VCCV connectivity verification types (`ldp_fec_martini_ifparm_vccv_cv_values`).
static VCCV_CV: [Tok; 3] = [(0x01, "ICMP Ping"), (0x02, "LSP Ping"), (0x04, "BFD")];

/// Print the LDP PDUs at `data`; `len` is the TCP or UDP payload's length (`ldp_print`).
pub fn print(nd: &mut Nd<'_>, data: &[u8], len: u32) -> PResult {
    nd.protocol = "ldp";
    let mut len = len as usize;
    let mut at = 0;
    while len > COMMON_LEN + MSG_HDR_LEN {
        let processed = pdu_print(nd, data, at)?;
        if processed == 0 {
            return Ok(());
        }
        if len < processed {
            nd_print!(nd, " [remaining length {len} < {processed}]");
            print_invalid(nd);
            break;
        }
        len -= processed;
        at += processed;
    }
    Ok(())
}

/// One PDU at `at`: the bytes it took, or 0 to stop (`ldp_pdu_print`).
fn pdu_print(nd: &mut Nd<'_>, data: &[u8], at: usize) -> PResult<usize> {
    tcheck(data, at, COMMON_LEN)?;
    let sep = if nd.opts.v < 1 { "" } else { "\n\t" };
    let version = get_be_u16(data, at)?;
    if version != 1 {
        nd_print!(nd, "{sep}LDP version {version} packet not supported");
        return Ok(0);
    }
    let pdu_len = get_be_u16(data, at + 2)?;
    if usize::from(pdu_len) < COMMON_LEN - 4 {
        nd_print!(nd, "{sep}LDP, pdu-length: ");
        return too_short(nd, pdu_len, COMMON_LEN - 4);
    }
    let lsr_id = ip4_at(data, at + 4)?;
    let label_space = get_be_u16(data, at + 8)?;
    nd_print!(nd, "{sep}LDP, Label-Space-ID: ");
    print_addr(nd, lsr_id);
    nd_print!(nd, ":{label_space}, pdu-length: {pdu_len}");
    if nd.opts.v < 1 {
        return Ok(0);
    }
    let mut tptr = at + COMMON_LEN;
    // A u_short in the C: a message running past the PDU makes it wrap.
    let mut tlen: u16 = pdu_len - (COMMON_LEN as u16 - 4);
    while tlen > 0 {
        tcheck(data, tptr, MSG_HDR_LEN)?;
        let raw_type = get_be_u16(data, tptr)?;
        let msg_len = get_be_u16(data, tptr + 2)?;
        let msg_type = raw_type & 0x7fff;
        let name = tok2str(&MESSAGES, "Unknown", u32::from(msg_type));
        if usize::from(msg_len) < MSG_HDR_LEN - 4 {
            nd_print!(nd, "\n\t  {name} Message (0x{msg_type:04x}), length: ");
            return too_short(nd, msg_len, MSG_HDR_LEN - 4);
        }
        let id = get_be_u32(data, tptr + 4)?;
        nd_print!(
            nd,
            "\n\t  {name} Message (0x{msg_type:04x}), length: {msg_len}, Message ID: 0x{id:08x}, Flags: [{} if unknown]",
            if_unknown(raw_type)
        );
        let mut msg_tptr = tptr + MSG_HDR_LEN;
        let mut msg_tlen = usize::from(msg_len) - (MSG_HDR_LEN - 4);
        tcheck(data, tptr, usize::from(msg_len))?;
        if DECODED_MESSAGES.contains(&msg_type) {
            while msg_tlen >= TLV_HDR_LEN {
                let processed = tlv_print(nd, data, msg_tptr, msg_tlen)?;
                if processed == 0 {
                    break;
                }
                msg_tlen -= processed;
                msg_tptr += processed;
            }
        } else if nd.opts.v <= 1 {
            print_unknown_data(nd, data, msg_tptr, "\n\t  ", msg_tlen);
        }
        if nd.opts.v > 1 {
            print_unknown_data(nd, data, tptr + MSG_HDR_LEN, "\n\t  ", usize::from(msg_len));
        }
        tptr += usize::from(msg_len) + 4;
        tlen = tlen.wrapping_sub(msg_len.wrapping_add(4));
    }
    Ok(usize::from(pdu_len) + 4)
}

/// `N (too short, < M)`, after which the PDU walk stops.
fn too_short(nd: &mut Nd<'_>, len: u16, min: usize) -> PResult<usize> {
    nd_print!(nd, "{len} (too short, < {min})");
    Ok(0)
}

/// What the U bit of a message or TLV type asks of a receiver that does not know it.
fn if_unknown(raw_type: u16) -> &'static str {
    if raw_type & 0x8000 != 0 {
        "continue processing"
    } else {
        "ignore"
    }
}

/// One TLV at `at` with `msg_tlen` bytes left in its message: the bytes it took, or 0 when
/// it runs past the message (`ldp_tlv_print`).
fn tlv_print(nd: &mut Nd<'_>, data: &[u8], at: usize, msg_tlen: usize) -> PResult<usize> {
    tcheck(data, at, TLV_HDR_LEN)?;
    let tlv_len = usize::from(get_be_u16(data, at + 2)?);
    if tlv_len + TLV_HDR_LEN > msg_tlen {
        nd.print("\n\t\t TLV contents go past end of message");
        return Ok(0);
    }
    let raw_type = get_be_u16(data, at)?;
    let tlv_type = raw_type & 0x3fff;
    let unknown = if_unknown(raw_type);
    let forward = if raw_type & 0x4000 != 0 {
        "do"
    } else {
        "don't"
    };
    nd_print!(
        nd,
        "\n\t    {} TLV (0x{tlv_type:04x}), length: {tlv_len}, Flags: [{unknown} and {forward} forward if unknown]",
        tok2str(&TLVS, "Unknown", u32::from(tlv_type))
    );
    let v = Value {
        at: at + TLV_HDR_LEN,
        tlen: tlv_len,
    };
    // Every path, the `invalid:` label's too, takes the whole TLV.
    value_print(nd, data, tlv_type, v)?;
    Ok(tlv_len + TLV_HDR_LEN)
}

/// A TLV's value still to print: where it stands and how many of its bytes are left
/// (`tptr`, `tlv_tlen`).
#[derive(Clone, Copy)]
struct Value {
    at: usize,
    tlen: usize,
}

impl Value {
    /// print-ldp.c's `TLV_TCHECK`: whether `min` bytes are left, else ` [tlv length N < M]
    /// (invalid)`.
    fn check(self, nd: &mut Nd<'_>, min: usize) -> bool {
        if self.tlen < min {
            nd_print!(nd, " [tlv length {} < {min}]", self.tlen);
            print_invalid(nd);
            return false;
        }
        true
    }

    /// The value past its first `n` bytes.
    fn skip(self, n: usize) -> Value {
        Value {
            at: self.at + n,
            tlen: self.tlen - n,
        }
    }
}

/// A TLV's value, by type (the switch of `ldp_tlv_print`).
fn value_print(nd: &mut Nd<'_>, data: &[u8], tlv_type: u16, v: Value) -> PResult {
    let p = v.at;
    match tlv_type {
        TLV_COMMON_HELLO if v.check(nd, 4) => {
            let hold = get_be_u16(data, p)?;
            let flags = get_be_u16(data, p + 2)?;
            let kind = if flags & 0x8000 != 0 {
                "Targeted"
            } else {
                "Link"
            };
            let request = if flags & 0x4000 != 0 {
                ", Request for targeted Hellos"
            } else {
                ""
            };
            nd_print!(
                nd,
                "\n\t      Hold Time: {hold}s, Flags: [{kind} Hello{request}]"
            );
        }
        TLV_IPV4_TRANSPORT_ADDR if v.check(nd, 4) => {
            let a = ip4_at(data, p)?;
            nd.print("\n\t      IPv4 Transport Address: ");
            print_addr(nd, a);
        }
        TLV_IPV6_TRANSPORT_ADDR if v.check(nd, 16) => {
            let a = ip6_at(data, p)?;
            nd.print("\n\t      IPv6 Transport Address: ");
            print_addr(nd, a);
        }
        TLV_CONFIG_SEQ_NUMBER if v.check(nd, 4) => {
            let seq = get_be_u32(data, p)?;
            nd_print!(nd, "\n\t      Sequence Number: {seq}");
        }
        TLV_ADDRESS_LIST if v.check(nd, 2) => address_list_print(nd, data, v)?,
        TLV_COMMON_SESSION if v.check(nd, 8) => {
            let version = get_be_u16(data, p)?;
            let keepalive = get_be_u16(data, p + 2)?;
            let flags = get_be_u16(data, p + 6)?;
            let downstream = if flags & 0x8000 != 0 {
                "On Demand"
            } else {
                "Unsolicited"
            };
            let loops = if flags & 0x4000 != 0 {
                "Enabled"
            } else {
                "Disabled"
            };
            nd_print!(
                nd,
                "\n\t      Version: {version}, Keepalive: {keepalive}s, Flags: [Downstream {downstream}, Loop Detection {loops}]"
            );
        }
        TLV_FEC if v.check(nd, 1) => fec_print(nd, data, v)?,
        TLV_GENERIC_LABEL if v.check(nd, 4) => {
            let label = get_be_u32(data, p)? & 0xfffff;
            nd_print!(nd, "\n\t      Label: {label}");
        }
        TLV_STATUS if v.check(nd, 8) => {
            let ui = get_be_u32(data, p)?;
            let fatal = if ui & 0x8000_0000 != 0 {
                "Fatal error"
            } else {
                "Advisory Notification"
            };
            let forward = if ui & 0x4000_0000 != 0 { "do" } else { "don't" };
            nd_print!(
                nd,
                "\n\t      Status: 0x{:02x}, Flags: [{fatal} and {forward} forward]",
                ui & 0x3fff_ffff
            );
            let id = get_be_u32(data, p + 4)?;
            if id != 0 {
                nd_print!(nd, ", causing Message ID: 0x{id:08x}");
            }
        }
        TLV_FT_SESSION if v.check(nd, 12) => {
            let f = get_be_u16(data, p)?;
            let pick = |bit: u16, yes: &'static str, no: &'static str| {
                if f & bit != 0 {
                    yes
                } else {
                    no
                }
            };
            nd_print!(
                nd,
                "\n\t      Flags: [{}Reconnect, {}Save State, {}All-Label Protection, {} Checkpoint, {}Re-Learn State]",
                pick(0x8000, "", "No "),
                pick(0x8, "", "Don't "),
                pick(0x4, "", "No "),
                pick(0x2, "Sequence Numbered Label", "All Labels"),
                pick(0x1, "", "Don't ")
            );
            let reconnect = get_be_u32(data, p + 4)?;
            if reconnect != 0 {
                nd_print!(nd, ", Reconnect Timeout: {reconnect}ms");
            }
            let recovery = get_be_u32(data, p + 8)?;
            if recovery != 0 {
                nd_print!(nd, ", Recovery Time: {recovery}ms");
            }
        }
        TLV_MTU if v.check(nd, 2) => {
            let mtu = get_be_u16(data, p)?;
            nd_print!(nd, "\n\t      MTU: {mtu}");
        }
        TLV_COMMON_HELLO
        | TLV_IPV4_TRANSPORT_ADDR
        | TLV_IPV6_TRANSPORT_ADDR
        | TLV_CONFIG_SEQ_NUMBER
        | TLV_ADDRESS_LIST
        | TLV_COMMON_SESSION
        | TLV_FEC
        | TLV_GENERIC_LABEL
        | TLV_STATUS
        | TLV_FT_SESSION
        | TLV_MTU => {} // too short: `check` said so
        _ => {
            if nd.opts.v <= 1 {
                print_unknown_data(nd, data, p, "\n\t      ", v.tlen);
            }
        }
    }
    Ok(())
}

/// The Address List TLV: the family, then each whole address of it.
fn address_list_print(nd: &mut Nd<'_>, data: &[u8], v: Value) -> PResult {
    let af = get_be_u16(data, v.at)?;
    let mut v = v.skip(2);
    nd_print!(
        nd,
        "\n\t      Address Family: {}, addresses",
        tok2str(&AF_VALUES, "Unknown (%u)", u32::from(af))
    );
    let size = match af {
        AFNUM_INET => 4,
        AFNUM_INET6 => 16,
        _ => return Ok(()),
    };
    while v.tlen >= size {
        let a = if size == 4 {
            ip4_at(data, v.at)?
        } else {
            ip6_at(data, v.at)?
        };
        nd.print(" ");
        print_addr(nd, a);
        v = v.skip(size);
    }
    Ok(())
}

/// The FEC TLV: its first element (wildcard, prefix, host address, Martini VC).
fn fec_print(nd: &mut Nd<'_>, data: &[u8], v: Value) -> PResult {
    let fec_type = get_u8(data, v.at)?;
    nd_print!(
        nd,
        "\n\t      {} FEC (0x{fec_type:02x})",
        tok2str(&FECS, "Unknown", u32::from(fec_type))
    );
    let v = v.skip(1);
    match fec_type {
        FEC_PREFIX => {
            if !v.check(nd, 2) {
                return Ok(());
            }
            let af = get_be_u16(data, v.at)?;
            let v = v.skip(2);
            match af {
                AFNUM_INET | AFNUM_INET6 => {
                    let v6 = af == AFNUM_INET6;
                    match decode_prefix(data, v.at, v.tlen, v6)? {
                        Some((prefix, plen)) => {
                            nd.print(if v6 {
                                ": IPv6 prefix "
                            } else {
                                ": IPv4 prefix "
                            });
                            print_addr(nd, prefix);
                            nd_print!(nd, "/{plen}");
                        }
                        None if v6 => nd.print(": IPv6 prefix (invalid length)"),
                        None => nd.print(": IPv4 prefix (invalid length)"),
                    }
                }
                _ => nd_print!(nd, ": Address family {af} prefix"),
            }
            Ok(())
        }
        FEC_MARTINI_VC => martini_print(nd, data, v),
        _ => Ok(()),
    }
}

/// A prefix as print-bgp.c's `decode_prefix4`/`decode_prefix6` read it: the length byte,
/// then as many bytes as it covers, the bits past it cleared. `None` for a length longer
/// than the address; `Err(Trunc)` when the item or the capture ends first.
fn decode_prefix(
    data: &[u8],
    at: usize,
    itemlen: usize,
    v6: bool,
) -> PResult<Option<(IpAddr, u8)>> {
    if itemlen < 1 {
        return Err(Trunc);
    }
    let plen = get_u8(data, at)?;
    let max = if v6 { 128 } else { 32 };
    if plen > max {
        return Ok(None);
    }
    let nbytes = usize::from(plen).div_ceil(8);
    if itemlen - 1 < nbytes {
        return Err(Trunc);
    }
    let mut addr = [0u8; 16];
    let bytes = super::get_bytes(data, at + 1, nbytes)?;
    for (d, s) in addr.iter_mut().zip(bytes) {
        *d = *s;
    }
    if plen % 8 != 0 {
        if let Some(last) = addr.get_mut(nbytes - 1) {
            *last &= (0xff00u16 >> (plen % 8)) as u8;
        }
    }
    let prefix = if v6 {
        IpAddr::V6(Ipv6Addr::from(addr))
    } else {
        let a: [u8; 4] = get_array(&addr, 0)?;
        IpAddr::V4(Ipv4Addr::from(a))
    };
    Ok(Some((prefix, plen)))
}

/// A Martini VC FEC element (RFC 4447's PWid FEC): PW type, control word, group and VC IDs,
/// then the interface parameters.
fn martini_print(nd: &mut Nd<'_>, data: &[u8], v: Value) -> PResult {
    if !v.check(nd, 7) {
        return Ok(());
    }
    let p = v.at;
    let mut vc_info_len = usize::from(get_u8(data, p + 2)?);
    let pw = get_be_u16(data, p)?;
    let pw_name = tok2str(&MPLS_PW_TYPES, "Unknown", u32::from(pw & 0x7fff));
    let cw = if pw & 0x8000 != 0 { "" } else { "no " };
    if vc_info_len == 0 {
        let group = get_be_u32(data, p + 3)?;
        nd_print!(
            nd,
            ": {pw_name}, {cw}control word, group-ID {group}, VC-info-length: 0"
        );
        return Ok(());
    }
    if !v.check(nd, 11) {
        return Ok(());
    }
    let group = get_be_u32(data, p + 3)?;
    let vc_id = get_be_u32(data, p + 7)?;
    nd_print!(
        nd,
        ": {pw_name}, {cw}control word, group-ID {group}, VC-ID {vc_id}, VC-info-length: {vc_info_len}"
    );
    if vc_info_len < 4 {
        // The C never closes the parenthesis.
        nd.print(" (invalid, < 4");
        return Ok(());
    }
    vc_info_len -= 4;
    let v = v.skip(11);
    if !v.check(nd, vc_info_len) {
        return Ok(());
    }
    let mut p = v.at;
    while vc_info_len > 2 {
        let kind = get_u8(data, p)?;
        let len = usize::from(get_u8(data, p + 1)?);
        if len < 2 || vc_info_len < len {
            break;
        }
        nd_print!(
            nd,
            "\n\t\tInterface Parameter: {} (0x{kind:02x}), len {len}",
            tok2str(&IFPARMS, "Unknown", u32::from(kind))
        );
        match kind {
            0x01 => {
                let mtu = get_be_u16(data, p + 2)?;
                nd_print!(nd, ": {mtu}");
            }
            0x03 => {
                nd.print(": ");
                for idx in 2..len {
                    fn_print_char(nd, get_u8(data, p + idx)?);
                }
            }
            0x0c => {
                let cc = get_u8(data, p + 2)?;
                nd_print!(
                    nd,
                    "\n\t\t  Control Channels (0x{cc:02x}) = [{}]",
                    bittok2str(&VCCV_CC, "none", u32::from(cc))
                );
                let cv = get_u8(data, p + 3)?;
                nd_print!(
                    nd,
                    "\n\t\t  CV Types (0x{cv:02x}) = [{}]",
                    bittok2str(&VCCV_CV, "none", u32::from(cv))
                );
            }
            _ => print_unknown_data(nd, data, p + 2, "\n\t\t  ", len - 2),
        }
        vc_info_len -= len;
        p += len;
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::capture::print::testing::run;

    /// A TLV of `kind` with `value`.
    fn tlv(kind: u16, value: &[u8]) -> Vec<u8> {
        let mut t = kind.to_be_bytes().to_vec();
        t.extend((value.len() as u16).to_be_bytes());
        t.extend(value);
        t
    }

    /// A message of `kind`, ID 7, holding `tlvs`.
    fn msg(kind: u16, tlvs: &[u8]) -> Vec<u8> {
        let mut m = kind.to_be_bytes().to_vec();
        m.extend((tlvs.len() as u16 + 4).to_be_bytes());
        m.extend(7u32.to_be_bytes());
        m.extend(tlvs);
        m
    }

    /// A PDU from LSR 10.0.0.1, label space 0, holding `msgs`.
    fn pdu(msgs: &[u8]) -> Vec<u8> {
        let mut p = vec![0, 1];
        p.extend((msgs.len() as u16 + 6).to_be_bytes());
        p.extend([10, 0, 0, 1, 0, 0]);
        p.extend(msgs);
        p
    }

    /// A Label Mapping with a prefix FEC and a label, then a Hello in a second PDU.
    fn sample() -> Vec<u8> {
        let fec = [FEC_PREFIX, 0, 1, 20, 192, 0, 0x2f];
        let mut tlvs = tlv(TLV_FEC, &fec);
        tlvs.extend(tlv(TLV_GENERIC_LABEL, &[0, 0, 0x12, 0x34]));
        let mut d = pdu(&msg(0x0400, &tlvs));
        let hello = [
            tlv(TLV_COMMON_HELLO, &[0, 15, 0xc0, 0]),
            tlv(TLV_IPV4_TRANSPORT_ADDR, &[10, 0, 0, 1]),
        ]
        .concat();
        d.extend(pdu(&msg(0x0100, &hello)));
        d
    }

    fn go(d: &[u8], v: u8) -> (String, PResult) {
        run(print, d, d.len() as u32, v)
    }

    #[test]
    fn without_v_only_the_first_pdu_header() {
        let (out, r) = go(&sample(), 0);
        assert_eq!(r, Ok(()));
        assert_eq!(out, "LDP, Label-Space-ID: 10.0.0.1:0, pdu-length: 33");
    }

    /// The text at `-v` holds each of `parts`, and ends with the last.
    fn prints(d: &[u8], parts: &[&str]) {
        let (out, r) = go(d, 1);
        assert_eq!(r, Ok(()), "{out}");
        for part in parts {
            assert!(out.contains(part), "{part:?} in {out}");
        }
        assert!(out.ends_with(parts.last().unwrap_or(&"")), "{out}");
    }

    #[test]
    fn with_v_every_pdu_message_and_tlv() {
        prints(
            &sample(),
            &[
                "\n\t  Label Mapping Message (0x0400), length: 23, Message ID: 0x00000007, Flags: [ignore if unknown]",
                "\n\t      Prefix FEC (0x02): IPv4 prefix 192.0.32.0/20",
                "\n\t      Label: 4660",
                "\n\tLDP, Label-Space-ID: 10.0.0.1:0, pdu-length: 30",
                "Hold Time: 15s, Flags: [Targeted Hello, Request for targeted Hellos]",
                "IPv4 Transport Address: 10.0.0.1",
            ],
        );
    }

    #[test]
    fn short_values_are_invalid_and_take_the_whole_tlv() {
        let tlvs = [tlv(TLV_STATUS, &[0; 3]), tlv(TLV_MTU, &[5, 220])].concat();
        prints(
            &pdu(&msg(0x0100, &tlvs)),
            &[" [tlv length 3 < 8] (invalid)\n", "MTU: 1500"],
        );
    }

    #[test]
    fn martini_parameters() {
        let mut fec = vec![FEC_MARTINI_VC, 0x80, 0x05, 16, 0, 0, 0, 9, 0, 0, 0, 42];
        fec.extend([1, 4, 5, 220, 3, 4, b'h', b'i', 0x0c, 4, 3, 6]);
        prints(
            &pdu(&msg(0x0400, &tlv(TLV_FEC, &fec))),
            &[
                ": Ethernet, control word, group-ID 9, VC-ID 42, VC-info-length: 16",
                "Interface Parameter: MTU (0x01), len 4: 1500",
                "Description (0x03), len 4: hi",
                "Control Channels (0x03) = [PWE3 control word, MPLS Router Alert Label]",
                "CV Types (0x06) = [LSP Ping, BFD]",
            ],
        );
    }

    #[test]
    fn a_message_longer_than_its_pdu_walks_on_to_the_capture_end() {
        let mut d = pdu(&msg(0x0200, &tlv(TLV_COMMON_SESSION, &[0; 14])));
        d[3] = 7; // a PDU of one byte past its header
        let (out, r) = go(&d, 1);
        assert_eq!(r, Err(Trunc));
        assert!(out.contains("Initialization Message"), "{out}");
    }

    #[test]
    fn every_prefix_unwinds() {
        let d = sample();
        // A cut after the first PDU prints it alone.
        let first = usize::from(u16::from_be_bytes([d[2], d[3]])) + 4;
        for cut in 0..first {
            let (_, r) = run(print, &d[..cut], d.len() as u32, 1);
            assert_eq!(r, Err(Trunc), "cut {cut}");
        }
    }

    crate::arbitrary_bytes_never_panic!(print);
}
