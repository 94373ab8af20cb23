//! IEEE 802.1ag Connectivity Fault Management, ethertype 0x8902 (print-cfm.c at
//! tcpdump-4.99.3): the common header, the CCM, LTM and LTR messages, and the TLVs.
//!
//! print-cfm.c does not define `ND_LONGJMP_FROM_TCHECK`: its checks against the capture
//! print ` [|cfm]` and stop (`Ok`), while its `GET_*` reads past the capture are
//! `Err(Trunc)`.
//!
//! Must not do I/O: it only reads the captured bytes.

use super::names::{etheraddr_at, ip6addr_at, ipaddr_at, oui_name};
use super::tok::{bittok2str, tok2str, Tok, AF_VALUES};
use super::util::{get_be_u24, hex_print, print_trunc, print_unknown_data, printjnp};
use super::{get_be_u16, get_be_u32, get_bytes, get_u8, ttest, Nd, PResult};
use crate::nd_print;

const COMMON_HEADER_LEN: usize = 4;
const CCM_LEN: usize = 70;
const LTM_LEN: usize = 17;
const LTR_LEN: usize = 6;
const TLV_HEADER_LEN: usize = 3;
/// The MD and MA names share 48 bytes of the CCM.
const CCM_NAMES_LEN: usize = 48;

/// print-cfm.c `cfm_opcode_values`.
const OPCODES: [Tok; 5] = [
    (1, "Continuity Check Message"),
    (2, "Loopback Reply"),
    (3, "Loopback Message"),
    (4, "Linktrace Reply"),
    (5, "Linktrace Message"),
];

/// print-cfm.c `ccm_interval_base`, in seconds (C floats).
const CCM_INTERVAL_BASE: [f32; 8] = [0.0, 0.003333, 0.01, 0.1, 1.0, 10.0, 60.0, 600.0];

/// print-cfm.c `cfm_md_nameformat_values`.
const MD_NAMEFORMATS: [Tok; 5] = [
    (0, "IEEE 802.1"),
    (1, "No MD Name present"),
    (2, "DNS string"),
    (3, "MAC + 16Bit Integer"),
    (4, "Character string"),
];

/// print-cfm.c `cfm_ma_nameformat_values`.
const MA_NAMEFORMATS: [Tok; 5] = [
    (0, "IEEE 802.1"),
    (1, "Primary VID"),
    (2, "Character string"),
    (3, "16Bit Integer"),
    (4, "RFC2685 VPN-ID"),
];

/// print-cfm.c `cfm_ltm_flag_values`.
const LTM_FLAGS: [Tok; 1] = [(0x80, "Use Forwarding-DB only")];

/// print-cfm.c `cfm_ltr_flag_values`.
const LTR_FLAGS: [Tok; 3] = [
    (0x80, "UseFDB Only"),
    (0x40, "FwdYes"),
    (0x20, "Terminal MEP"),
];

/// print-cfm.c `cfm_ltr_replay_action_values`.
const LTR_REPLAY_ACTIONS: [Tok; 3] = [(1, "Exact Match"), (2, "Filtering DB"), (3, "MIP CCM DB")];

/// print-cfm.c `cfm_tlv_values`.
const TLVS: [Tok; 8] = [
    (0, "End"),
    (1, "Sender ID"),
    (2, "Port status"),
    (3, "Interface status"),
    (4, "Data"),
    (5, "Reply Ingress"),
    (6, "Reply Egress"),
    (31, "Organization Specific"),
];

/// print-cfm.c `cfm_tlv_port_status_values`.
const PORT_STATUS: [Tok; 2] = [(1, "Blocked"), (2, "Up")];

/// print-cfm.c `cfm_tlv_interface_status_values`.
const INTERFACE_STATUS: [Tok; 6] = [
    (1, "Up"),
    (2, "Down"),
    (3, "Testing"),
    (5, "Dormant"),
    (6, "not present"),
    (7, "lower Layer down"),
];

/// print-cfm.c `cfm_tlv_senderid_chassisid_values`.
const CHASSIS_ID_TYPES: [Tok; 8] = [
    (0, "Reserved"),
    (1, "Chassis component"),
    (2, "Interface alias"),
    (3, "Port component"),
    (4, "MAC address"),
    (5, "Network address"),
    (6, "Interface name"),
    (7, "Locally assigned"),
];

/// How a message or TLV printer ended early.
enum End {
    /// `return`: nothing more.
    Done,
    /// `goto tooshort`.
    TooShort,
    /// `goto trunc`.
    Trunc,
}

type Flow = PResult<Result<(), End>>;

/// Print a CFM PDU of on-wire length `length` (`cfm_print`).
pub fn print(nd: &mut Nd<'_>, p: &[u8], length: usize) -> PResult {
    nd.protocol = "cfm";
    match body_print(nd, p, length)? {
        Ok(()) | Err(End::Done) => {}
        Err(End::TooShort) => nd.print("\n\t\t packet is too short"),
        Err(End::Trunc) => print_trunc(nd),
    }
    Ok(())
}

fn body_print(nd: &mut Nd<'_>, p: &[u8], length: usize) -> Flow {
    if length < COMMON_HEADER_LEN {
        return Ok(Err(End::TooShort));
    }
    if !ttest(p, 0, COMMON_HEADER_LEN) {
        return Ok(Err(End::Trunc));
    }
    let b = get_u8(p, 0)?;
    let version = b & 0x1f;
    if version != 0 {
        nd_print!(nd, "CFMv{version} not supported, length {length}");
        return Ok(Err(End::Done));
    }
    let opcode = get_u8(p, 1)?;
    nd_print!(
        nd,
        "CFMv{version} {}, MD Level {}, length {length}",
        tok2str(&OPCODES, "unknown (%u)", opcode.into()),
        (b & 0xe0) >> 5
    );
    if nd.opts.v < 1 {
        return Ok(Err(End::Done));
    }
    let flags = get_u8(p, 2)?;
    let first_tlv_offset = usize::from(get_u8(p, 3)?);
    nd_print!(nd, "\n\tFirst TLV offset {first_tlv_offset}");
    let (at, tlen) = (COMMON_HEADER_LEN, length - COMMON_HEADER_LEN);
    if first_tlv_offset > tlen {
        nd_print!(nd, " (too large, must be <= {tlen})");
        return Ok(Err(End::Done));
    }
    let msg = match opcode {
        1 => ccm_print(nd, p, at, tlen, flags, first_tlv_offset)?,
        5 => ltm_print(nd, p, at, tlen, flags, first_tlv_offset)?,
        4 => ltr_print(nd, p, at, tlen, flags, first_tlv_offset)?,
        _ => {
            print_unknown_data(nd, p, at, "\n\t  ", tlen - first_tlv_offset);
            Ok(())
        }
    };
    if let Err(end) = msg {
        return Ok(Err(end));
    }
    tlvs_print(nd, p, at + first_tlv_offset, tlen - first_tlv_offset)
}

/// The checks every message makes before its fields: the first TLV offset must leave room
/// for it (` (too small N, ...)`, where N is print-cfm.c's own numbering), then the length
/// and the capture.
fn msg_check(
    nd: &mut Nd<'_>,
    p: &[u8],
    at: usize,
    tlen: usize,
    first_tlv_offset: usize,
    (n, size): (u8, usize),
) -> Result<(), End> {
    if first_tlv_offset < size {
        nd_print!(nd, " (too small {n}, must be >= {size})");
        return Err(End::Done);
    }
    if tlen < size {
        return Err(End::TooShort);
    }
    if !ttest(p, at, size) {
        return Err(End::Trunc);
    }
    Ok(())
}

/// A continuity check message.
fn ccm_print(nd: &mut Nd<'_>, p: &[u8], at: usize, tlen: usize, flags: u8, fto: usize) -> Flow {
    if let Err(end) = msg_check(nd, p, at, tlen, fto, (1, CCM_LEN)) {
        return Ok(Err(end));
    }
    let interval = usize::from(flags & 0x07);
    let rdi = if flags & 0x80 != 0 { ", RDI" } else { "" };
    nd_print!(nd, ", Flags [CCM Interval {interval}{rdi}]");
    if interval != 0 {
        let base = f64::from(CCM_INTERVAL_BASE.get(interval).copied().unwrap_or(0.0));
        nd_print!(
            nd,
            "\n\t  CCM Interval {base:.3}s, min CCM Lifetime {:.3}s, max CCM Lifetime {:.3}s",
            base * 3.25,
            base * 3.5
        );
    }
    nd_print!(
        nd,
        "\n\t  Sequence Number 0x{:08x}, MA-End-Point-ID 0x{:04x}",
        get_be_u32(p, at)?,
        get_be_u16(p, at + 4)?
    );
    let mut names = at + 6;
    let mut remaining = CCM_NAMES_LEN;
    let md_format = get_u8(p, names)?;
    names += 1;
    remaining -= 1;
    let md_name = tok2str(&MD_NAMEFORMATS, "Unknown", md_format.into());
    if md_format != 1 {
        let md_len = usize::from(get_u8(p, names)?);
        names += 1;
        remaining -= 1;
        nd_print!(
            nd,
            "\n\t  MD Name Format {md_name} ({md_format}), MD Name length {md_len}"
        );
        if md_len > remaining - 3 {
            nd_print!(nd, " (too large, must be <= {})", remaining - 2);
            return Ok(Err(End::Done));
        }
        nd.print("\n\t  MD Name: ");
        match md_format {
            2 | 4 => printjnp(nd, p, names, md_len)?,
            3 if md_len == 6 => {
                let mac = etheraddr_at(nd, p, names)?;
                nd_print!(nd, "\n\t  MAC {mac}");
            }
            3 => nd.print("\n\t  MAC (length invalid)"),
            _ => print_unknown_data(nd, p, names, "\n\t    ", md_len),
        }
        names += md_len;
        remaining -= md_len;
    } else {
        nd_print!(nd, "\n\t  MD Name Format {md_name} ({md_format})");
    }
    let ma_format = get_u8(p, names)?;
    let ma_len = usize::from(get_u8(p, names + 1)?);
    names += 2;
    remaining -= 2;
    let ma_name = tok2str(&MA_NAMEFORMATS, "Unknown", ma_format.into());
    nd_print!(
        nd,
        "\n\t  MA Name-Format {ma_name} ({ma_format}), MA name length {ma_len}"
    );
    if ma_len > remaining {
        nd_print!(nd, " (too large, must be <= {remaining})");
        return Ok(Err(End::Done));
    }
    nd.print("\n\t  MA Name: ");
    if ma_format == 2 {
        printjnp(nd, p, names, ma_len)?;
    } else {
        print_unknown_data(nd, p, names, "\n\t    ", ma_len);
    }
    Ok(Ok(()))
}

/// A linktrace message.
fn ltm_print(nd: &mut Nd<'_>, p: &[u8], at: usize, tlen: usize, flags: u8, fto: usize) -> Flow {
    if let Err(end) = msg_check(nd, p, at, tlen, fto, (4, LTM_LEN)) {
        return Ok(Err(end));
    }
    nd_print!(
        nd,
        ", Flags [{}]",
        bittok2str(&LTM_FLAGS, "none", flags.into())
    );
    nd_print!(
        nd,
        "\n\t  Transaction-ID 0x{:08x}, ttl {}",
        get_be_u32(p, at)?,
        get_u8(p, at + 4)?
    );
    let orig = etheraddr_at(nd, p, at + 5)?;
    let target = etheraddr_at(nd, p, at + 11)?;
    nd_print!(nd, "\n\t  Original-MAC {orig}, Target-MAC {target}");
    Ok(Ok(()))
}

/// A linktrace reply.
fn ltr_print(nd: &mut Nd<'_>, p: &[u8], at: usize, tlen: usize, flags: u8, fto: usize) -> Flow {
    if let Err(end) = msg_check(nd, p, at, tlen, fto, (5, LTR_LEN)) {
        return Ok(Err(end));
    }
    nd_print!(
        nd,
        ", Flags [{}]",
        bittok2str(&LTR_FLAGS, "none", flags.into())
    );
    nd_print!(
        nd,
        "\n\t  Transaction-ID 0x{:08x}, ttl {}",
        get_be_u32(p, at)?,
        get_u8(p, at + 4)?
    );
    let action = get_u8(p, at + 5)?;
    let name = tok2str(&LTR_REPLAY_ACTIONS, "Unknown", action.into());
    nd_print!(nd, "\n\t  Replay-Action {name} ({action})");
    Ok(Ok(()))
}

/// Where a TLV walk stands: print-cfm.c's `tptr`, `tlen` and `cfm_tlv_len`, which the
/// sender ID TLV moves on unevenly.
struct Cursor {
    at: usize,
    tlen: usize,
    len: usize,
}

impl Cursor {
    fn take(&mut self, n: usize) {
        self.at += n;
        self.tlen = self.tlen.saturating_sub(n);
        self.len = self.len.saturating_sub(n);
    }
}

/// The TLVs after the message.
fn tlvs_print(nd: &mut Nd<'_>, p: &[u8], at: usize, tlen: usize) -> Flow {
    let mut c = Cursor { at, tlen, len: 0 };
    while c.tlen > 0 {
        let ty = get_u8(p, c.at)?;
        nd_print!(
            nd,
            "\n\t{} TLV (0x{ty:02x})",
            tok2str(&TLVS, "Unknown", ty.into())
        );
        // "Not present if the Type field is 0."
        if ty == 0 {
            return Ok(Ok(()));
        }
        if c.tlen < TLV_HEADER_LEN {
            return Ok(Err(End::TooShort));
        }
        if !ttest(p, c.at, TLV_HEADER_LEN) {
            return Ok(Err(End::Trunc));
        }
        c.len = usize::from(get_be_u16(p, c.at + 1)?);
        nd_print!(nd, ", length {}", c.len);
        c.at += TLV_HEADER_LEN;
        c.tlen -= TLV_HEADER_LEN;
        let value = c.at;
        if c.tlen < c.len {
            return Ok(Err(End::TooShort));
        }
        if !ttest(p, c.at, c.len) {
            return Ok(Err(End::Trunc));
        }
        let hexdump = match tlv_print(nd, p, ty, &mut c)? {
            Ok(Some(h)) => h,
            Ok(None) => {
                // `goto next_tlv`: no hex dump.
                c.at += c.len;
                c.tlen = c.tlen.saturating_sub(c.len);
                continue;
            }
            Err(end) => return Ok(Err(end)),
        };
        if hexdump || nd.opts.v > 1 {
            print_unknown_data(nd, p, value, "\n\t  ", c.len);
        }
        c.at += c.len;
        c.tlen = c.tlen.saturating_sub(c.len);
    }
    Ok(Ok(()))
}

/// One TLV's value: whether to hex-dump it, `None` for `goto next_tlv`.
fn tlv_print(
    nd: &mut Nd<'_>,
    p: &[u8],
    ty: u8,
    c: &mut Cursor,
) -> PResult<Result<Option<bool>, End>> {
    let min = match ty {
        2 | 3 => 1,
        31 => 4,
        1 => return sender_id_print(nd, p, c),
        _ => return Ok(Ok(Some(true))),
    };
    if c.len < min {
        nd_print!(nd, " (too short, must be >= {min})");
        return Ok(Err(End::Done));
    }
    match ty {
        2 | 3 => {
            let s = get_u8(p, c.at)?;
            let table: &'static [Tok] = if ty == 2 {
                &PORT_STATUS
            } else {
                &INTERFACE_STATUS
            };
            nd_print!(
                nd,
                ", Status: {} ({s})",
                tok2str(table, "Unknown", s.into())
            );
            Ok(Ok(Some(false)))
        }
        _ => {
            let oui = get_be_u24(p, c.at)?;
            nd_print!(
                nd,
                ", Vendor: {} ({oui}), Sub-Type {}",
                oui_name(oui).unwrap_or("Unknown"),
                get_u8(p, c.at + 3)?
            );
            Ok(Ok(Some(true)))
        }
    }
}

/// The sender ID TLV: chassis ID, management address domain and address.
fn sender_id_print(
    nd: &mut Nd<'_>,
    p: &[u8],
    c: &mut Cursor,
) -> PResult<Result<Option<bool>, End>> {
    if c.len < 1 {
        nd.print(" (too short, must be >= 1)");
        return Ok(Ok(None));
    }
    let chassis_len = usize::from(get_u8(p, c.at)?);
    c.take(1);
    let mut hexdump = false;
    if chassis_len > 0 {
        if c.len < 1 {
            nd.print("\n\t  (TLV too short)");
            return Ok(Ok(None));
        }
        let chassis_type = get_u8(p, c.at)?;
        // The type byte counts against the length but the pointer stays (print-cfm.c).
        c.len -= 1;
        let name = tok2str(&CHASSIS_ID_TYPES, "Unknown", chassis_type.into());
        nd_print!(
            nd,
            "\n\t  Chassis-ID Type {name} ({chassis_type}), Chassis-ID length {chassis_len}"
        );
        if c.len < chassis_len {
            nd.print("\n\t  (TLV too short)");
            return Ok(Ok(None));
        }
        match chassis_type {
            4 if chassis_len != 6 => {
                nd.print(" (invalid MAC address length)");
                hexdump = true;
            }
            4 => {
                let mac = etheraddr_at(nd, p, c.at + 1)?;
                nd_print!(nd, "\n\t  MAC {mac}");
            }
            5 => hexdump |= network_addr_print(nd, p, c.at + 1, chassis_len)?,
            1..=3 | 6 | 7 => printjnp(nd, p, c.at + 1, chassis_len)?,
            _ => hexdump = true,
        }
        c.len -= chassis_len;
        c.at += 1 + chassis_len;
        c.tlen = c.tlen.saturating_sub(1 + chassis_len);
    }
    if c.len == 0 {
        return Ok(Ok(Some(hexdump)));
    }
    let domain_len = usize::from(get_u8(p, c.at)?);
    c.take(1);
    nd_print!(nd, "\n\t  Management Address Domain Length {domain_len}");
    if domain_len == 0 {
        return Ok(Ok(Some(hexdump)));
    }
    if c.len < domain_len {
        nd.print("\n\t  (TLV too short)");
        return Ok(Ok(None));
    }
    let domain = get_bytes(p, c.at, domain_len)?;
    hex_print(nd, "\n\t  Management Address Domain: ", domain);
    c.take(domain_len);
    if c.len < 1 {
        nd.print(" (Management Address Length is missing)");
        return Ok(Ok(Some(true)));
    }
    let addr_len = usize::from(get_u8(p, c.at)?);
    c.take(1);
    nd_print!(nd, "\n\t  Management Address Length {addr_len}");
    if addr_len > 0 {
        if c.len < addr_len {
            nd.print("\n\t  (TLV too short)");
            return Ok(Err(End::Done));
        }
        let addr = get_bytes(p, c.at, addr_len)?;
        hex_print(nd, "\n\t  Management Address: ", addr);
        c.take(addr_len);
    }
    Ok(Ok(Some(hexdump)))
}

/// A network address chassis ID: its family byte, then the address; whether to hex-dump
/// it (`cfm_network_addr_print`).
fn network_addr_print(nd: &mut Nd<'_>, p: &[u8], at: usize, length: usize) -> PResult<bool> {
    if length < 1 {
        nd.print("\n\t  Network Address Type (invalid, no data");
        return Ok(false);
    }
    let af = get_u8(p, at)?;
    let name = tok2str(&AF_VALUES, "Unknown", af.into());
    nd_print!(nd, "\n\t  Network Address Type {name} ({af})");
    match af {
        1 if length != 5 => {
            nd_print!(nd, "(invalid IPv4 address length {})", length - 1);
            Ok(true)
        }
        1 => {
            let a = ipaddr_at(nd, p, at + 1)?;
            nd_print!(nd, ", {a}");
            Ok(false)
        }
        2 if length != 17 => {
            nd_print!(nd, "(invalid IPv6 address length {})", length - 1);
            Ok(true)
        }
        2 => {
            let a = ip6addr_at(nd, p, at + 1)?;
            nd_print!(nd, ", {a}");
            Ok(false)
        }
        _ => Ok(true),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capture::print::testing::{opts, with_nd};
    use proptest::prelude::*;

    fn run(data: &[u8], v: u8) -> (String, PResult) {
        with_nd(&opts(v), |nd| print(nd, data, data.len()))
    }

    /// A linktrace reply with a port status TLV and the end TLV.
    fn ltr() -> Vec<u8> {
        let mut d = vec![0x40, 4, 0x60, 6, 0, 0, 0, 9, 64, 1];
        d.extend_from_slice(&[2, 0, 1, 2, 0]);
        d
    }

    #[test]
    fn ltr_fields_at_their_offsets() {
        let (out, r) = run(&ltr(), 1);
        assert_eq!(r, Ok(()));
        assert_eq!(
            out,
            "CFMv0 Linktrace Reply, MD Level 2, length 15\n\tFirst TLV offset 6, \
             Flags [FwdYes, Terminal MEP]\n\t  Transaction-ID 0x00000009, ttl 64\
             \n\t  Replay-Action Exact Match (1)\n\tPort status TLV (0x02), length 1, \
             Status: Up (2)\n\tEnd TLV (0x00)"
        );
    }

    #[test]
    fn a_short_pdu_is_too_short() {
        let (out, r) = run(&[0, 1], 1);
        assert_eq!(r, Ok(()));
        assert_eq!(out, "\n\t\t packet is too short");
    }

    proptest! {
        #[test]
        fn arbitrary_pdus_never_panic(
            data in proptest::collection::vec(any::<u8>(), 0..160),
            v in 0u8..3,
        ) {
            let _ = run(&data, v);
        }
    }
}
