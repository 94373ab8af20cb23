//! PTP, the precision time protocol (IEEE 1588), mirroring print-ptp.c at tcpdump-4.99.3:
//! version 2's common header and the bodies of its event and general messages. Version 1
//! prints "(not implemented)", as in tcpdump.
//!
//! Must not do I/O: it only reads the captured bytes.

use super::tok::{bittok2str, tok2str, Tok};
use super::util::{get_be_u64, print_invalid};
use super::{get_be_u16, get_be_u32, get_u8, Nd, PResult};
use crate::nd_print;

const HDR_LEN: u32 = 0x22;

/// Message types (print-ptp.c `ptp_msg_type`).
const MSG_TYPES: [Tok; 10] = [
    (0x0, "sync msg"),
    (0x1, "delay req msg"),
    (0x2, "peer delay req msg"),
    (0x3, "peer delay resp msg"),
    (0x8, "follow up msg"),
    (0x9, "delay resp msg"),
    (0xa, "pdelay resp fup msg"),
    (0xb, "announce msg"),
    (0xc, "signalling msg"),
    (0xd, "management msg"),
];

/// Control field values (print-ptp.c `ptp_control_field`).
const CONTROL: [Tok; 6] = [
    (0, "Sync"),
    (1, "Delay_Req"),
    (2, "Follow_Up"),
    (3, "Delay_Resp"),
    (4, "Management"),
    (5, "Other"),
];

/// Header flags (print-ptp.c `ptp_flag_values`), less its last entry, `FLAGS_UNKNOWN`.
const FLAGS: [Tok; 12] = [
    (0x1, "l1 61"),
    (0x2, "l1 59"),
    (0x4, "utc reasonable"),
    (0x8, "timescale"),
    (0x10, "time tracable"),
    (0x20, "frequency tracable"),
    (0x100, "alternate master"),
    (0x200, "two step"),
    (0x400, "unicast"),
    (0x1000, "profile specific 1"),
    (0x2000, "profile specific 2"),
    (0x4000, "security mask"),
];
/// The table's several-bit entry: util-print.c `bittok2str_internal` at tcpdump-4.99.3
/// names it when all of its bits are set.
const FLAGS_UNKNOWN: u16 = 0x18c0;

const P_PORIGIN_TS: &str = "preciseOriginTimeStamp";
const P_ORIGIN_TS: &str = "originTimeStamp";
const P_RECV_TS: &str = "receiveTimeStamp";

/// Print the PTP message at `data`; `length` is its on-wire length (print-ptp.c
/// `ptp_print`).
pub fn print(nd: &mut Nd<'_>, data: &[u8], length: u32) -> PResult {
    nd.protocol = "ptp";
    if length < HDR_LEN {
        nd_print!(nd, " [length {length} < {HDR_LEN}]");
        print_invalid(nd);
        return Ok(());
    }
    let vers = get_be_u16(data, 0)? & 0xff;
    nd_print!(nd, "PTPv{vers}");
    match vers {
        1 => nd.print(" (not implemented)"),
        2 => print_2(nd, data)?,
        _ => {}
    }
    Ok(())
}

/// A 48-bit big-endian number at `at`.
fn be_u48(data: &[u8], at: usize) -> PResult<u64> {
    let hi = u64::from(get_be_u16(data, at)?);
    Ok(hi << 32 | u64::from(get_be_u32(data, at + 2)?))
}

/// Version 2 (print-ptp.c `ptp_print_2`).
fn print_2(nd: &mut Nd<'_>, data: &[u8]) -> PResult {
    let foct = get_u8(data, 0)?;
    let compat = if foct & 0x10 != 0 { "yes" } else { "no" };
    nd_print!(nd, ", v1 compat : {compat}");
    let msg_type = foct & 0x0f;
    nd_print!(
        nd,
        ", msg type : {}",
        tok2str(&MSG_TYPES, "Reserved", u32::from(msg_type))
    );
    nd_print!(nd, ", length : {}", get_be_u16(data, 2)?);
    let d = get_be_u16(data, 4)?;
    nd_print!(nd, ", domain : {}", d >> 8);
    nd_print!(nd, ", reserved1 : {}", d & 0xff);
    let flags = get_be_u16(data, 6)?;
    flags_print(nd, flags);
    nd_print!(nd, ", NS correction : {}", be_u48(data, 8)?);
    nd_print!(nd, ", sub NS correction : {}", get_be_u16(data, 14)?);
    nd_print!(nd, ", reserved2 : {}", get_be_u32(data, 16)?);
    nd_print!(nd, ", clock identity : 0x{:x}", get_be_u64(data, 20)?);
    nd_print!(nd, ", port id : {}", get_be_u16(data, 28)?);
    nd_print!(nd, ", seq id : {}", get_be_u16(data, 30)?);
    let control = get_u8(data, 32)?;
    nd_print!(
        nd,
        ", control : {control} ({})",
        tok2str(&CONTROL, "Reserved", u32::from(control))
    );
    nd_print!(
        nd,
        ", log message interval : {}",
        get_be_u16(data, 32)? & 0xff
    );
    let at = HDR_LEN as usize;
    match msg_type {
        0x0 | 0x1 => timestamp_print(nd, data, at, P_ORIGIN_TS),
        0x8 => timestamp_print(nd, data, at, P_PORIGIN_TS),
        0x2 | 0xa => timestamp_identity_print(nd, data, at, P_PORIGIN_TS),
        0x3 | 0x9 => timestamp_identity_print(nd, data, at, P_RECV_TS),
        0xb => announce_print(nd, data, at),
        0xc => port_id_print(nd, data, at),
        0xd => mgmt_print(nd, data, at),
        _ => Ok(()),
    }
}

/// `, Flags [...]`: the names of the bits set, `unknown` when all of `FLAGS_UNKNOWN` are.
fn flags_print(nd: &mut Nd<'_>, flags: u16) {
    let known = flags & FLAGS.iter().fold(0, |m, (bit, _)| m | *bit as u16);
    let unknown = flags & FLAGS_UNKNOWN == FLAGS_UNKNOWN;
    nd.print(", Flags [");
    match (known != 0, unknown) {
        (true, true) => nd_print!(nd, "{}, unknown", bittok2str(&FLAGS, "", u32::from(known))),
        (true, false) => nd_print!(nd, "{}", bittok2str(&FLAGS, "", u32::from(known))),
        (false, true) => nd.print("unknown"),
        (false, false) => nd.print("none"),
    }
    nd.print("]");
}

/// `, NAME : S seconds, N nanoseconds` (print-ptp.c `ptp_print_timestamp`).
fn timestamp_print(nd: &mut Nd<'_>, data: &[u8], at: usize, name: &str) -> PResult {
    nd_print!(nd, ", {name} :");
    nd_print!(nd, " {} seconds,", be_u48(data, at)?);
    nd_print!(nd, " {} nanoseconds", get_be_u32(data, at + 6)?);
    Ok(())
}

/// A time stamp and a port identity (print-ptp.c `ptp_print_timestamp_identity`).
fn timestamp_identity_print(nd: &mut Nd<'_>, data: &[u8], at: usize, name: &str) -> PResult {
    timestamp_print(nd, data, at, name)?;
    port_id_print(nd, data, at + 10)
}

/// `, port identity : 0x..., port id : N` (print-ptp.c `ptp_print_port_id`).
fn port_id_print(nd: &mut Nd<'_>, data: &[u8], at: usize) -> PResult {
    nd_print!(nd, ", port identity : 0x{:x}", get_be_u64(data, at)?);
    nd_print!(nd, ", port id : {}", get_be_u16(data, at + 8)?);
    Ok(())
}

/// The announce message (print-ptp.c `ptp_print_announce_msg`).
fn announce_print(nd: &mut Nd<'_>, data: &[u8], at: usize) -> PResult {
    nd_print!(nd, ", {P_ORIGIN_TS} :");
    nd_print!(nd, " {} seconds", be_u48(data, at)?);
    nd_print!(nd, " {} nanoseconds", get_be_u32(data, at + 6)?);
    nd_print!(nd, ", origin cur utc :{}", get_be_u16(data, at + 10)?);
    nd_print!(nd, ", rsvd : {}", get_u8(data, at + 12)?);
    nd_print!(nd, ", gm priority_1 : {}", get_u8(data, at + 13)?);
    nd_print!(nd, ", gm clock class : {}", get_u8(data, at + 14)?);
    nd_print!(nd, ", gm clock accuracy : {}", get_u8(data, at + 15)?);
    nd_print!(nd, ", gm clock variance : {}", get_be_u16(data, at + 16)?);
    nd_print!(nd, ", gm priority_2 : {}", get_u8(data, at + 18)?);
    nd_print!(nd, ", gm clock id : 0x{:x}", get_be_u64(data, at + 19)?);
    nd_print!(nd, ", steps removed : {}", get_be_u16(data, at + 27)?);
    nd_print!(nd, ", time source : 0x{:x}", get_u8(data, at + 29)?);
    Ok(())
}

/// The management message (print-ptp.c `ptp_print_mgmt_msg`). tcpdump's field printer
/// never advances, so all four one-byte fields show the message's first byte; its labels
/// carry their own `, ` after the one it adds.
fn mgmt_print(nd: &mut Nd<'_>, data: &[u8], at: usize) -> PResult {
    port_id_print(nd, data, at)?;
    for (label, hex) in [
        (", start boundary hops ", false),
        (", boundary hops ", false),
        (", flags ", true),
        (", reserved ", true),
    ] {
        let v = get_u8(data, at)?;
        if hex {
            nd_print!(nd, ", {label} 0x{v:x}");
        } else {
            nd_print!(nd, ", {label} {v}");
        }
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::capture::print::testing::{opts, with_nd};

    #[test]
    fn a_short_message_is_invalid() {
        let (out, _) = with_nd(&opts(0), |nd| print(nd, &[0x00, 0x02], 20));
        assert_eq!(out, " [length 20 < 34] (invalid)");
    }

    #[test]
    fn a_sync_message() {
        let mut m = vec![0u8; 44];
        m[1] = 2;
        m[3] = 44;
        m[39] = 5; // seconds
        let (out, r) = with_nd(&opts(0), |nd| print(nd, &m, 44));
        assert_eq!(r, Ok(()));
        assert!(out.starts_with("PTPv2, v1 compat : no, msg type : sync msg, length : 44"));
        assert!(
            out.ends_with(", originTimeStamp : 5 seconds, 0 nanoseconds"),
            "{out}"
        );
        let (_, r) = with_nd(&opts(0), |nd| print(nd, &m[..40], 44));
        assert!(r.is_err());
    }

    crate::arbitrary_bytes_never_panic!(print);
}
