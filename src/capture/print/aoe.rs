//! ATA over Ethernet, ethertype 0x88a2 (print-aoe.c at tcpdump-4.99.3; the AoE
//! specification, revision 1.5): the version 1 header and the arguments of its four
//! commands. print-aoe.c defines `ND_LONGJMP_FROM_TCHECK`, so every check past the capture
//! is `Err(Trunc)`.
//!
//! Must not do I/O: it only reads the captured bytes.

use super::names::etheraddr_at;
use super::tok::{bittok2str, tok2str, Tok};
use super::util::printjn;
use super::{get_be_u16, get_be_u32, get_u8, tcheck, Nd, PResult};
use crate::nd_print;

const AOE_V1: u8 = 1;
const MAC_LEN: usize = 6;

/// Lengths up to the variable part (print-aoe.c `AOEV1_*_LEN`).
const COMMON_HDR_LEN: usize = 10;
const ISSUE_ARG_LEN: usize = 12;
const QUERY_ARG_LEN: usize = 8;
const MAC_ARG_LEN: usize = 4;
const RESERVE_ARG_LEN: usize = 2;
const MAX_CONFSTR_LEN: usize = 1024;

const FLAG_E: u8 = 0x04;

/// print-aoe.c `cmdcode_str`.
const CMDCODE: [Tok; 4] = [
    (0, "Issue ATA Command"),
    (1, "Query Config Information"),
    (2, "MAC Mask List"),
    (3, "Reserve/Release"),
];

/// print-aoe.c `aoev1_flag_str`.
const FLAGS: [Tok; 4] = [
    (0x08, "Response"),
    (0x04, "Error"),
    (0x02, "MBZ-1"),
    (0x01, "MBZ-0"),
];

/// print-aoe.c `aoev1_errcode_str`.
const ERRCODE: [Tok; 6] = [
    (1, "Unrecognized command code"),
    (2, "Bad argument parameter"),
    (3, "Device unavailable"),
    (4, "Config string present"),
    (5, "Unsupported version"),
    (6, "Target is reserved"),
];

/// print-aoe.c `aoev1_aflag_bitmap_str`.
const AFLAGS: [Tok; 8] = [
    (0x80, "MBZ-7"),
    (0x40, "Ext48"),
    (0x20, "MBZ-5"),
    (0x10, "Device"),
    (0x08, "MBZ-3"),
    (0x04, "MBZ-2"),
    (0x02, "Async"),
    (0x01, "Write"),
];

/// print-aoe.c `aoev1_ccmd_str`.
const CCMD: [Tok; 5] = [
    (0, "read config string"),
    (1, "test config string"),
    (2, "test config string prefix"),
    (3, "set config string"),
    (4, "force set config string"),
];

/// print-aoe.c `aoev1_mcmd_str`.
const MCMD: [Tok; 2] = [(0, "Read Mac Mask List"), (1, "Edit Mac Mask List")];

/// print-aoe.c `aoev1_merror_str`.
const MERROR: [Tok; 3] = [
    (1, "Unspecified Error"),
    (2, "Bad DCmd directive"),
    (3, "Mask list full"),
];

/// print-aoe.c `aoev1_dcmd_str`.
const DCMD: [Tok; 3] = [
    (0, "No Directive"),
    (1, "Add mac address to mask list"),
    (2, "Delete mac address from mask list"),
];

/// print-aoe.c `aoev1_rcmd_str`.
const RCMD: [Tok; 3] = [
    (0, "Read reserve list"),
    (1, "Set reserve list"),
    (2, "Force set reserve list"),
];

/// Print an AoE frame of on-wire length `len` (`aoe_print`).
pub fn print(nd: &mut Nd<'_>, p: &[u8], len: usize) -> PResult {
    nd.protocol = "aoe";
    nd_print!(nd, "AoE length {len}");
    if len < 1 {
        return super::util::invalid_then_tcheck(nd, p, 0, len);
    }
    let ver = (get_u8(p, 0)? & 0xf0) >> 4;
    nd_print!(nd, ", Ver {ver}");
    if ver == AOE_V1 {
        v1_print(nd, p, len)?;
    }
    Ok(())
}

/// The version 1 common header from the Ver/Flags octet (`aoev1_print`).
fn v1_print(nd: &mut Nd<'_>, p: &[u8], len: usize) -> PResult {
    if len < COMMON_HDR_LEN {
        return super::util::invalid_then_tcheck(nd, p, 0, len);
    }
    let flags = get_u8(p, 0)? & 0x0f;
    nd_print!(
        nd,
        ", Flags: [{}]",
        bittok2str(&FLAGS, "none", flags.into())
    );
    if nd.opts.v == 0 {
        return Ok(());
    }
    if flags & FLAG_E != 0 {
        let e = get_u8(p, 1)?;
        nd_print!(
            nd,
            "\n\tError: {}",
            tok2str(&ERRCODE, "Invalid (%u)", e.into())
        );
    }
    nd_print!(nd, "\n\tMajor: 0x{:04x}", get_be_u16(p, 2)?);
    nd_print!(nd, ", Minor: 0x{:02x}", get_u8(p, 4)?);
    let command = get_u8(p, 5)?;
    let name = tok2str(&CMDCODE, "Unknown (0x%02x)", command.into());
    nd_print!(nd, ", Command: {name}");
    nd_print!(nd, ", Tag: 0x{:08x}", get_be_u32(p, 6)?);
    let (at, len) = (COMMON_HDR_LEN, len - COMMON_HDR_LEN);
    match command {
        0 => issue_print(nd, p, at, len),
        1 => query_print(nd, p, at, len),
        2 => mac_print(nd, p, at, len),
        3 => reserve_print(nd, p, at, len),
        _ => Ok(()),
    }
}

/// Issue ATA Command (`aoev1_issue_print`).
fn issue_print(nd: &mut Nd<'_>, p: &[u8], at: usize, len: usize) -> PResult {
    if len < ISSUE_ARG_LEN {
        return super::util::invalid_then_tcheck(nd, p, at, len);
    }
    let aflags = get_u8(p, at)?;
    nd_print!(
        nd,
        "\n\tAFlags: [{}]",
        bittok2str(&AFLAGS, "none", aflags.into())
    );
    nd_print!(nd, ", Err/Feature: {}", get_u8(p, at + 1)?);
    nd_print!(nd, ", Sector Count: {}", get_u8(p, at + 2)?);
    nd_print!(nd, ", Cmd/Status: {}", get_u8(p, at + 3)?);
    for i in 0..6 {
        let sep = if i == 0 { "\n\t" } else { ", " };
        nd_print!(nd, "{sep}lba{i}: {}", get_u8(p, at + 4 + i)?);
    }
    tcheck(p, at + 10, 2)?;
    if len > ISSUE_ARG_LEN {
        nd_print!(nd, "\n\tData: {} bytes", len - ISSUE_ARG_LEN);
    }
    Ok(())
}

/// Query Config Information (`aoev1_query_print`).
fn query_print(nd: &mut Nd<'_>, p: &[u8], at: usize, len: usize) -> PResult {
    if len < QUERY_ARG_LEN {
        return super::util::invalid_then_tcheck(nd, p, at, len);
    }
    nd_print!(nd, "\n\tBuffer Count: {}", get_be_u16(p, at)?);
    nd_print!(nd, ", Firmware Version: {}", get_be_u16(p, at + 2)?);
    nd_print!(nd, ", Sector Count: {}", get_u8(p, at + 4)?);
    let b = get_u8(p, at + 5)?;
    // "0x02x" is print-aoe.c's own format, missing its `%`.
    let ccmd = tok2str(&CCMD, "Unknown (0x02x)", u32::from(b & 0x0f));
    nd_print!(nd, ", AoE: {}, CCmd: {ccmd}", (b & 0xf0) >> 4);
    let cslen = usize::from(get_be_u16(p, at + 6)?);
    let (at, len) = (at + QUERY_ARG_LEN, len - QUERY_ARG_LEN);
    if cslen > MAX_CONFSTR_LEN || cslen > len {
        return super::util::invalid_then_tcheck(nd, p, at, len);
    }
    if cslen > 0 {
        nd_print!(nd, "\n\tConfig String (length {cslen}): ");
        printjn(nd, p, at, cslen)?;
    }
    Ok(())
}

/// MAC Mask List (`aoev1_mac_print`).
fn mac_print(nd: &mut Nd<'_>, p: &[u8], at: usize, len: usize) -> PResult {
    if len < MAC_ARG_LEN {
        return super::util::invalid_then_tcheck(nd, p, at, len);
    }
    let mcmd = get_u8(p, at + 1)?;
    nd_print!(
        nd,
        "\n\tMCmd: {}",
        tok2str(&MCMD, "Unknown (0x%02x)", mcmd.into())
    );
    let merr = get_u8(p, at + 2)?;
    nd_print!(
        nd,
        ", MError: {}",
        tok2str(&MERROR, "Unknown (0x%02x)", merr.into())
    );
    let dircount = usize::from(get_u8(p, at + 3)?);
    nd_print!(nd, ", Dir Count: {dircount}");
    let (mut at, len) = (at + MAC_ARG_LEN, len - MAC_ARG_LEN);
    if dircount * 8 > len {
        return super::util::invalid_then_tcheck(nd, p, at, len);
    }
    for _ in 0..dircount {
        let dcmd = get_u8(p, at + 1)?;
        nd_print!(
            nd,
            "\n\t DCmd: {}",
            tok2str(&DCMD, "Unknown (0x%02x)", dcmd.into())
        );
        let mac = etheraddr_at(nd, p, at + 2)?;
        nd_print!(nd, ", Ethernet Address: {mac}");
        at += 2 + MAC_LEN;
    }
    Ok(())
}

/// Reserve/Release (`aoev1_reserve_print`).
fn reserve_print(nd: &mut Nd<'_>, p: &[u8], at: usize, len: usize) -> PResult {
    if len < RESERVE_ARG_LEN || (len - RESERVE_ARG_LEN) % MAC_LEN != 0 {
        return super::util::invalid_then_tcheck(nd, p, at, len);
    }
    let rcmd = get_u8(p, at)?;
    nd_print!(
        nd,
        "\n\tRCmd: {}",
        tok2str(&RCMD, "Unknown (0x%02x)", rcmd.into())
    );
    let nmacs = usize::from(get_u8(p, at + 1)?);
    nd_print!(nd, ", NMacs: {nmacs}");
    let (at, len) = (at + RESERVE_ARG_LEN, len - RESERVE_ARG_LEN);
    if nmacs * MAC_LEN != len {
        return super::util::invalid_then_tcheck(nd, p, at, len);
    }
    for i in 0..nmacs {
        let mac = etheraddr_at(nd, p, at + i * MAC_LEN)?;
        nd_print!(nd, "\n\tEthernet Address {i}: {mac}");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capture::print::testing::{opts, with_nd};
    use proptest::prelude::*;

    fn run(data: &[u8], v: u8) -> (String, PResult) {
        with_nd(&opts(v), |nd| print(nd, data, data.len()))
    }

    /// A query config response: header, arguments, a 4-byte config string.
    fn query() -> Vec<u8> {
        let mut d = vec![0x18, 0, 0x00, 0x07, 0x02, 1, 0, 0, 0, 9];
        d.extend_from_slice(&[0, 16, 0x40, 0x01, 0x00, 0x10, 0, 4]);
        d.extend_from_slice(b"disk");
        d
    }

    #[test]
    fn query_fields_at_their_offsets() {
        let (out, r) = run(&query(), 1);
        assert_eq!(r, Ok(()));
        assert_eq!(
            out,
            "AoE length 22, Ver 1, Flags: [Response]\n\tMajor: 0x0007, Minor: 0x02, \
             Command: Query Config Information, Tag: 0x00000009\n\tBuffer Count: 16, \
             Firmware Version: 16385, Sector Count: 0, AoE: 1, CCmd: read config string\
             \n\tConfig String (length 4): disk"
        );
    }

    #[test]
    fn every_prefix_stops_at_the_capture() {
        let d = query();
        for cut in 0..d.len() {
            let (_, r) = with_nd(&opts(1), |nd| {
                print(nd, d.get(..cut).unwrap_or(&[]), d.len())
            });
            assert_eq!(r, Err(crate::capture::print::Trunc), "cut {cut}");
        }
    }

    #[test]
    fn a_reserve_list_of_the_wrong_length_is_invalid() {
        let d = [0x10, 0, 0, 1, 0, 3, 0, 0, 0, 0, 1, 2, 0xaa];
        let (out, r) = run(&d, 1);
        assert_eq!(r, Ok(()));
        assert!(
            out.ends_with("Command: Reserve/Release, Tag: 0x00000000 (invalid)"),
            "{out}"
        );
    }

    proptest! {
        #[test]
        fn arbitrary_frames_never_panic(
            data in proptest::collection::vec(any::<u8>(), 0..80),
            v in 0u8..3,
        ) {
            let _ = run(&data, v);
        }
    }
}
