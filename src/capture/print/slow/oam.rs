//! IEEE 802.3ah OAM, slow-protocols subtype 3 (print-slow.c `slow_oam_print` at
//! tcpdump-4.99.3): the common header, information TLVs, link event TLVs and loopback
//! control; the variable request, response and vendor-private PDUs are hex.

use crate::capture::print::names::oui_name;
use crate::capture::print::tok::{bittok2str, tok2str, Tok};
use crate::capture::print::util::{get_be_u24, get_be_u64, print_unknown_data};
use crate::capture::print::{get_be_u16, get_be_u32, get_u8, tcheck, Nd, PResult};
use crate::nd_print;

const COMMON_HEADER_LEN: usize = 3;
const TLV_HEADER_LEN: usize = 2;
/// print-slow.c `struct slow_oam_info_t`.
const INFO_LEN: u8 = 16;
/// print-slow.c `struct slow_oam_link_event_t`.
const LINK_EVENT_LEN: u8 = 40;

/// print-slow.c `slow_oam_flag_values`.
const FLAGS: [Tok; 7] = [
    (0x0001, "Link Fault"),
    (0x0002, "Dying Gasp"),
    (0x0004, "Critical Event"),
    (0x0008, "Local Evaluating"),
    (0x0010, "Local Stable"),
    (0x0020, "Remote Evaluating"),
    (0x0040, "Remote Stable"),
];

/// print-slow.c `slow_oam_code_values`.
const CODES: [Tok; 6] = [
    (0x00, "Information"),
    (0x01, "Event Notification"),
    (0x02, "Variable Request"),
    (0x03, "Variable Response"),
    (0x04, "Loopback Control"),
    (0xfe, "Vendor Private"),
];

/// print-slow.c `slow_oam_info_type_values`.
const INFO_TYPES: [Tok; 4] = [
    (0x00, "End of TLV marker"),
    (0x01, "Local"),
    (0x02, "Remote"),
    (0xfe, "Organization specific"),
];

/// print-slow.c `slow_oam_info_type_state_parser_values`.
const PARSER_STATES: [Tok; 4] = [
    (0x00, "forwarding"),
    (0x01, "looping back"),
    (0x02, "discarding"),
    (0x03, "reserved"),
];

/// print-slow.c `slow_oam_info_type_state_mux_values`.
const MUX_STATES: [Tok; 2] = [(0x00, "forwarding"), (0x04, "discarding")];

/// print-slow.c `slow_oam_info_type_oam_config_values`.
const CONFIG_FLAGS: [Tok; 5] = [
    (0x01, "Active"),
    (0x02, "Unidirectional"),
    (0x04, "Remote-Loopback"),
    (0x08, "Link-Events"),
    (0x10, "Variable-Retrieval"),
];

/// print-slow.c `slow_oam_link_event_values`.
const LINK_EVENTS: [Tok; 6] = [
    (0x00, "End of TLV marker"),
    (0x01, "Errored Symbol Period Event"),
    (0x02, "Errored Frame Event"),
    (0x03, "Errored Frame Period Event"),
    (0x04, "Errored Frame Seconds Summary Event"),
    (0xfe, "Organization specific"),
];

/// print-slow.c `slow_oam_loopbackctrl_cmd_values`.
const LOOPBACK_COMMANDS: [Tok; 2] = [
    (0x01, "Enable OAM Remote Loopback"),
    (0x02, "Disable OAM Remote Loopback"),
];

/// `goto tooshort` in `slow_oam_print`.
fn too_short(nd: &mut Nd<'_>) -> PResult {
    nd.print("\n\t\t packet is too short");
    Ok(())
}

/// The OAM PDU after the subtype byte: `tlen` bytes from `at`.
pub(super) fn print(nd: &mut Nd<'_>, p: &[u8], at: usize, tlen: usize) -> PResult {
    if tlen < COMMON_HEADER_LEN {
        return too_short(nd);
    }
    tcheck(p, at, COMMON_HEADER_LEN)?;
    let code = get_u8(p, at + 2)?;
    nd_print!(
        nd,
        "\n\tCode {} OAM PDU, Flags [{}]",
        tok2str(&CODES, "Unknown (%u)", code.into()),
        bittok2str(&FLAGS, "none", get_be_u16(p, at)?.into())
    );
    let (at, tlen) = (at + COMMON_HEADER_LEN, tlen - COMMON_HEADER_LEN);
    match code {
        0x00 => tlvs_print(nd, p, at, tlen, false),
        0x01 => {
            if tlen < 2 {
                return too_short(nd);
            }
            nd_print!(nd, "\n\t  Sequence Number {}", get_be_u16(p, at)?);
            tlvs_print(nd, p, at + 2, tlen - 2, true)
        }
        0x04 => {
            if tlen < 1 {
                return too_short(nd);
            }
            let command = get_u8(p, at)?;
            let name = tok2str(&LOOPBACK_COMMANDS, "Unknown", command.into());
            nd_print!(nd, "\n\t  Command {name} ({command})");
            Ok(())
        }
        _ => {
            if nd.opts.v <= 1 {
                print_unknown_data(nd, p, at, "\n\t  ", tlen);
            }
            Ok(())
        }
    }
}

/// The information TLVs, or with `events` the link event TLVs.
fn tlvs_print(nd: &mut Nd<'_>, p: &[u8], mut at: usize, mut tlen: usize, events: bool) -> PResult {
    while tlen > 0 {
        if tlen < TLV_HEADER_LEN {
            return too_short(nd);
        }
        // The information walk checks the header against the capture; the event walk
        // reads it directly (both end the same way).
        tcheck(p, at, TLV_HEADER_LEN)?;
        let ty = get_u8(p, at)?;
        let length = get_u8(p, at + 1)?;
        let (table, what): (&'static [Tok], _) = if events {
            (&LINK_EVENTS, "Link Event")
        } else {
            (&INFO_TYPES, "Information")
        };
        let name = tok2str(table, "Reserved", ty.into());
        nd_print!(nd, "\n\t  {name} {what} Type ({ty}), length {length}");
        // "the length and value of the Type 0x00 TLV can be ignored"
        if ty == 0 {
            return Ok(());
        }
        let len = usize::from(length);
        if len < TLV_HEADER_LEN {
            nd_print!(
                nd,
                "\n\t    ERROR: illegal length - should be >= {TLV_HEADER_LEN}"
            );
            return Ok(());
        }
        if tlen < len {
            return too_short(nd);
        }
        tcheck(p, at, len)?;
        let hexdump = match (events, ty) {
            (false, 1 | 2) => info_print(nd, p, at)?,
            (true, 1..=4) => link_event_print(nd, p, at)?,
            _ => true,
        };
        if nd.opts.v > 1 || hexdump {
            print_unknown_data(nd, p, at, "\n\t  ", len);
        }
        tlen -= len;
        at += len;
    }
    Ok(())
}

/// A local or remote information TLV; whether to hex-dump it.
fn info_print(nd: &mut Nd<'_>, p: &[u8], at: usize) -> PResult<bool> {
    if get_u8(p, at + 1)? != INFO_LEN {
        nd_print!(nd, "\n\t    ERROR: illegal length - should be {INFO_LEN}");
        return Ok(true);
    }
    nd_print!(
        nd,
        "\n\t    OAM-Version {}, Revision {}",
        get_u8(p, at + 2)?,
        get_be_u16(p, at + 3)?
    );
    let state = get_u8(p, at + 5)?;
    nd_print!(
        nd,
        "\n\t    State-Parser-Action {}, State-MUX-Action {}",
        tok2str(&PARSER_STATES, "Reserved", u32::from(state & 0x3)),
        tok2str(&MUX_STATES, "Reserved", u32::from(state & 0x4))
    );
    nd_print!(
        nd,
        "\n\t    OAM-Config Flags [{}], OAM-PDU-Config max-PDU size {}",
        bittok2str(&CONFIG_FLAGS, "none", get_u8(p, at + 6)?.into()),
        get_be_u16(p, at + 7)? & 0x7ff
    );
    let oui = get_be_u24(p, at + 9)?;
    nd_print!(
        nd,
        "\n\t    OUI {} (0x{oui:06x}), Vendor-Private 0x{:08x}",
        oui_name(oui).unwrap_or("Unknown"),
        get_be_u32(p, at + 12)?
    );
    Ok(false)
}

/// One of the four link event TLVs; whether to hex-dump it.
fn link_event_print(nd: &mut Nd<'_>, p: &[u8], at: usize) -> PResult<bool> {
    if get_u8(p, at + 1)? != LINK_EVENT_LEN {
        nd_print!(
            nd,
            "\n\t    ERROR: illegal length - should be {LINK_EVENT_LEN}"
        );
        return Ok(true);
    }
    let stamp = u32::from(get_be_u16(p, at + 2)?) * 100;
    nd_print!(
        nd,
        "\n\t    Timestamp {stamp} ms, Errored Window {}\n\t    Errored Threshold {}\
         \n\t    Errors {}\n\t    Error Running Total {}\n\t    Event Running Total {}",
        get_be_u64(p, at + 4)?,
        get_be_u64(p, at + 12)?,
        get_be_u64(p, at + 20)?,
        get_be_u64(p, at + 28)?,
        get_be_u32(p, at + 36)?
    );
    Ok(false)
}
