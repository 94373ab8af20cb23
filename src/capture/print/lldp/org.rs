//! The organisation-specific TLVs print-lldp.c decodes at tcpdump-4.99.3: IEEE 802.1
//! (`lldp_private_8021_print`), IEEE 802.3 (`lldp_private_8023_print`), IANA
//! (`lldp_private_iana_print`), TIA LLDP-MED (`lldp_private_tia_print`) and DCBX 1.01
//! (`lldp_private_dcbx_print`).
//!
//! Each takes the whole buffer, the offset of the TLV's value (its OUI) and the TLV's
//! length, checked against the capture by the caller, and returns whether the caller should
//! hex-dump the value (tcpdump's `hexdump`).

use super::tables::*;
use crate::capture::print::tok::{bittok2str, tok2str};
use crate::capture::print::util::get_be_u24;
use crate::capture::print::util::{print_unknown_data, printjn, printjnp};
use crate::capture::print::{get_be_u16, get_be_u32, get_u8, ttest, Nd, PResult};
use crate::nd_print;

/// `\n\t  NAME Subtype (N)` and the subtype, when the TLV holds one.
fn subtype_print(
    nd: &mut Nd<'_>,
    p: &[u8],
    at: usize,
    table: &'static [crate::capture::print::tok::Tok],
) -> PResult<u8> {
    let subtype = get_u8(p, at + 3)?;
    let name = tok2str(table, "unknown", subtype.into());
    nd_print!(nd, "\n\t  {name} Subtype ({subtype})");
    Ok(subtype)
}

/// The eight bits of `v`, lowest first, as `%-2d ` each.
fn bits_print(nd: &mut Nd<'_>, v: u8) {
    for i in 0..8 {
        nd_print!(nd, "{:<2} ", (v >> i) & 1);
    }
}

/// Eight values as `%-3d` separated by spaces.
fn row_print(nd: &mut Nd<'_>, values: [u8; 8]) {
    for (i, v) in values.iter().enumerate() {
        let sep = if i == 0 { "" } else { " " };
        nd_print!(nd, "{sep}{v:<3}");
    }
}

fn eight(p: &[u8], at: usize) -> PResult<[u8; 8]> {
    crate::capture::print::get_array(p, at)
}

/// The three tables of the ETS TLVs (`print_ets_priority_assignment_table`,
/// `print_tc_bandwidth_table`, `print_tsa_assignment_table`).
fn ets_tables_print(nd: &mut Nd<'_>, p: &[u8], at: usize) -> PResult {
    nd.print("\n\t    Priority Assignment Table");
    nd.print("\n\t     Priority : 0   1   2   3   4   5   6   7");
    let mut prio = [0u8; 8];
    for (i, pair) in prio.chunks_exact_mut(2).enumerate() {
        let b = get_u8(p, at + 5 + i)?;
        if let [hi, lo] = pair {
            (*hi, *lo) = (b >> 4, b & 0x0f);
        }
    }
    nd.print("\n\t     Value    : ");
    row_print(nd, prio);
    nd.print("\n\t    TC Bandwidth Table");
    nd.print("\n\t     TC%   : 0   1   2   3   4   5   6   7");
    nd.print("\n\t     Value : ");
    row_print(nd, eight(p, at + 9)?);
    nd.print("\n\t    TSA Assignment Table");
    nd.print("\n\t     Traffic Class: 0   1   2   3   4   5   6   7");
    nd.print("\n\t     Value        : ");
    row_print(nd, eight(p, at + 17)?);
    Ok(())
}

/// IEEE 802.1 organisation-specific TLVs (`lldp_private_8021_print`).
pub(super) fn ieee8021_print(nd: &mut Nd<'_>, p: &[u8], at: usize, len: usize) -> PResult<bool> {
    if len < 4 {
        return Ok(false);
    }
    let subtype = subtype_print(nd, p, at, &IEEE8021_SUBTYPES)?;
    let u8_at = |off: usize| get_u8(p, at + off);
    match subtype {
        1 if len >= 6 => {
            nd_print!(
                nd,
                "\n\t    port vlan id (PVID): {}",
                get_be_u16(p, at + 4)?
            );
        }
        2 if len >= 7 => {
            let flags = u8_at(4)?;
            nd_print!(
                nd,
                "\n\t    port and protocol vlan id (PPVID): {}, flags [{}] (0x{flags:02x})",
                get_be_u16(p, at + 5)?,
                bittok2str(&PORT_PROTOCOL_ID_VALUES, "none", flags.into())
            );
        }
        3 if len >= 6 => {
            nd_print!(nd, "\n\t    vlan id (VID): {}", get_be_u16(p, at + 4)?);
            if len < 7 {
                return Ok(false);
            }
            let sublen = usize::from(u8_at(6)?);
            if len >= 7 + sublen {
                nd.print("\n\t    vlan name: ");
                printjnp(nd, p, at + 7, sublen)?;
            }
        }
        4 if len >= 5 => {
            let sublen = usize::from(u8_at(4)?);
            if len >= 5 + sublen {
                nd.print("\n\t    protocol identity: ");
                printjnp(nd, p, at + 5, sublen)?;
            }
        }
        7 if len >= 9 => aggregation_print(nd, p, at)?,
        8 if len >= 6 => {
            nd.print("\n\t    Pre-Priority CNPV Indicator");
            nd.print("\n\t     Priority : 0  1  2  3  4  5  6  7");
            nd.print("\n\t     Value    : ");
            bits_print(nd, u8_at(4)?);
            nd.print("\n\t    Pre-Priority Ready Indicator");
            nd.print("\n\t     Priority : 0  1  2  3  4  5  6  7");
            nd.print("\n\t     Value    : ");
            bits_print(nd, u8_at(5)?);
        }
        9 if len >= 25 => {
            let t = u8_at(4)?;
            // `(tval >> 6) & 0x02` is print-lldp.c's own mask for CBS.
            nd_print!(
                nd,
                "\n\t    Willing:{}, CBS:{}, RES:{}, Max TCs:{}",
                t >> 7,
                (t >> 6) & 0x02,
                (t >> 3) & 0x07,
                t & 0x07
            );
            ets_tables_print(nd, p, at)?;
        }
        10 if len >= 25 => {
            nd_print!(nd, "\n\t    RES: {}", u8_at(4)?);
            ets_tables_print(nd, p, at)?;
        }
        11 if len >= 6 => {
            let t = u8_at(4)?;
            nd_print!(
                nd,
                "\n\t    Willing: {}, MBC: {}, RES: {}, PFC cap:{} ",
                t >> 7,
                (t >> 6) & 0x01,
                (t >> 4) & 0x03,
                t & 0x0f
            );
            nd.print("\n\t    PFC Enable");
            let t = u8_at(5)?;
            nd.print("\n\t     Priority : 0  1  2  3  4  5  6  7");
            nd.print("\n\t     Value    : ");
            bits_print(nd, t);
        }
        12 if len >= 5 => app_priority_print(nd, p, at, len)?,
        13 if len >= 9 => evb_print(nd, p, at)?,
        14 if len >= 8 => cdcp_print(nd, p, at, len)?,
        1..=4 | 7..=14 => {}
        _ => return Ok(true),
    }
    Ok(false)
}

/// `aggregation status [...], aggregation port ID N` (802.1 subtype 7, 802.3 subtype 3).
fn aggregation_print(nd: &mut Nd<'_>, p: &[u8], at: usize) -> PResult {
    let status = get_u8(p, at + 4)?;
    nd_print!(
        nd,
        "\n\t    aggregation status [{}], aggregation port ID {}",
        bittok2str(&AGGREGATION_VALUES, "none", status.into()),
        get_be_u32(p, at + 5)?
    );
    Ok(())
}

/// 802.1 Application Priority.
fn app_priority_print(nd: &mut Nd<'_>, p: &[u8], at: usize, len: usize) -> PResult {
    nd_print!(nd, "\n\t    RES: {}", get_u8(p, at + 4)?);
    if len <= 5 {
        return Ok(());
    }
    let sublen = len - 5;
    if sublen % 3 != 0 {
        return Ok(());
    }
    nd.print("\n\t    Application Priority Table");
    for i in (0..sublen).step_by(3) {
        let t = get_u8(p, at + i + 5)?;
        nd_print!(
            nd,
            "\n\t      Priority: {}, RES: {}, Sel: {}, Protocol ID: {}",
            t >> 5,
            (t >> 3) & 0x03,
            t & 0x07,
            get_be_u16(p, at + i + 6)?
        );
    }
    Ok(())
}

/// 802.1 EVB.
fn evb_print(nd: &mut Nd<'_>, p: &[u8], at: usize) -> PResult {
    nd.print("\n\t    EVB Bridge Status");
    let t = get_u8(p, at + 4)?;
    nd_print!(
        nd,
        "\n\t      RES: {}, BGID: {}, RRCAP: {}, RRCTR: {}",
        t >> 3,
        (t >> 2) & 0x01,
        (t >> 1) & 0x01,
        t & 0x01
    );
    nd.print("\n\t    EVB Station Status");
    let t = get_u8(p, at + 5)?;
    nd_print!(
        nd,
        "\n\t      RES: {}, SGID: {}, RRREQ: {},RRSTAT: {}",
        t >> 4,
        (t >> 3) & 0x01,
        (t >> 2) & 0x01,
        t & 0x03
    );
    let t = get_u8(p, at + 6)?;
    nd_print!(nd, "\n\t    R: {}, RTE: {}, ", t >> 5, t & 0x1f);
    let t = get_u8(p, at + 7)?;
    let mode = tok2str(&EVB_MODES, "unknown", u32::from(t >> 6));
    nd_print!(nd, "EVB Mode: {mode} [{}]", t >> 6);
    nd_print!(nd, "\n\t    ROL: {}, RWD: {}, ", (t >> 5) & 0x01, t & 0x1f);
    let t = get_u8(p, at + 8)?;
    nd_print!(
        nd,
        "RES: {}, ROL: {}, RKA: {}",
        t >> 6,
        (t >> 5) & 0x01,
        t & 0x1f
    );
    Ok(())
}

/// 802.1 CDCP.
fn cdcp_print(nd: &mut Nd<'_>, p: &[u8], at: usize, len: usize) -> PResult {
    let t = get_u8(p, at + 4)?;
    nd_print!(
        nd,
        "\n\t    Role: {}, RES: {}, Scomp: {} ",
        t >> 7,
        (t >> 4) & 0x07,
        (t >> 3) & 0x01
    );
    nd_print!(nd, "ChnCap: {}", get_be_u16(p, at + 6)? & 0x0fff);
    let sublen = len - 8;
    if sublen % 3 != 0 {
        return Ok(());
    }
    for i in (0..sublen).step_by(3) {
        let v = get_be_u24(p, at + i + 8)?;
        nd_print!(nd, "\n\t    SCID: {}, SVID: {}", v >> 12, v & 0x000fff);
    }
    Ok(())
}

/// IEEE 802.3 organisation-specific TLVs (`lldp_private_8023_print`).
pub(super) fn ieee8023_print(nd: &mut Nd<'_>, p: &[u8], at: usize, len: usize) -> PResult<bool> {
    if len < 4 {
        return Ok(false);
    }
    match subtype_print(nd, p, at, &IEEE8023_SUBTYPES)? {
        1 if len >= 9 => {
            let an = get_u8(p, at + 4)?;
            let an_names = bittok2str(&AUTONEGOTIATION_VALUES, "none", an.into());
            nd_print!(nd, "\n\t    autonegotiation [{an_names}] (0x{an:02x})");
            let pmd = get_be_u16(p, at + 5)?;
            let pmd_names = bittok2str(&PMD_CAPABILITIES, "unknown", pmd.into());
            nd_print!(
                nd,
                "\n\t    PMD autoneg capability [{pmd_names}] (0x{pmd:04x})"
            );
            let mau = get_be_u16(p, at + 7)?;
            let mau_name = tok2str(&MAU_TYPES, "unknown", mau.into());
            nd_print!(nd, "\n\t    MAU type {mau_name} (0x{mau:04x})");
        }
        2 if len >= 7 => {
            nd_print!(
                nd,
                "\n\t    MDI power support [{}], power pair {}, power class {}",
                bittok2str(&MDI_VALUES, "none", get_u8(p, at + 4)?.into()),
                tok2str(&MDI_POWER_PAIRS, "unknown", get_u8(p, at + 5)?.into()),
                tok2str(&MDI_POWER_CLASSES, "unknown", get_u8(p, at + 6)?.into())
            );
        }
        3 if len >= 9 => aggregation_print(nd, p, at)?,
        4 if len >= 6 => nd_print!(nd, "\n\t    MTU size {}", get_be_u16(p, at + 4)?),
        1..=4 => {}
        _ => return Ok(true),
    }
    Ok(false)
}

/// IANA organisation-specific TLVs: the MUD URL (`lldp_private_iana_print`).
pub(super) fn iana_print(nd: &mut Nd<'_>, p: &[u8], at: usize, len: usize) -> PResult<bool> {
    if len < 8 {
        return Ok(false);
    }
    if subtype_print(nd, p, at, &IANA_SUBTYPES)? != 1 {
        return Ok(true);
    }
    nd.print("\n\t  MUD-URL=");
    printjn(nd, p, at + 4, len - 4)?;
    Ok(false)
}

/// TIA LLDP-MED organisation-specific TLVs (`lldp_private_tia_print`).
pub(super) fn tia_print(nd: &mut Nd<'_>, p: &[u8], at: usize, len: usize) -> PResult<bool> {
    if len < 4 {
        return Ok(false);
    }
    let subtype = subtype_print(nd, p, at, &TIA_SUBTYPES)?;
    match subtype {
        1 if len >= 7 => {
            let caps = get_be_u16(p, at + 4)?;
            let names = bittok2str(&TIA_CAPABILITIES, "none", caps.into());
            nd_print!(nd, "\n\t    Media capabilities [{names}] (0x{caps:04x})");
            let dev = get_u8(p, at + 6)?;
            let name = tok2str(&TIA_DEVICE_TYPES, "unknown", dev.into());
            nd_print!(nd, "\n\t    Device type [{name}] (0x{dev:02x})");
        }
        2 if len >= 8 => network_policy_print(nd, p, at)?,
        3 if len >= 5 => location_print(nd, p, at, len)?,
        4 if len >= 7 => extended_power_print(nd, p, at)?,
        5..=11 => {
            let name = tok2str(&TIA_INVENTORY, "unknown", subtype.into());
            nd_print!(nd, "\n\t  {name} ");
            printjnp(nd, p, at + 4, len - 4)?;
        }
        1..=4 => {}
        _ => return Ok(true),
    }
    Ok(false)
}

/// TIA network policy.
fn network_policy_print(nd: &mut Nd<'_>, p: &[u8], at: usize) -> PResult {
    let app = get_u8(p, at + 4)?;
    let name = tok2str(&TIA_APPLICATION_TYPES, "none", app.into());
    nd_print!(nd, "\n\t    Application type [{name}] (0x{app:02x})");
    let flags = get_u8(p, at + 5)?;
    let names = bittok2str(&TIA_NETWORK_POLICY_BITS, "none", flags.into());
    nd_print!(nd, ", Flags [{names}]");
    nd_print!(
        nd,
        "\n\t    Vlan id {}",
        (get_be_u16(p, at + 5)? & 0x1ffe) >> 1
    );
    let v = get_be_u16(p, at + 6)?;
    nd_print!(nd, ", L2 priority {}", (v & 0x01ff) >> 6);
    nd_print!(nd, ", DSCP value {}", v & 0x003f);
    Ok(())
}

/// 34 bits of latitude or longitude (`lldp_extract_latlon`).
fn latlon(p: &[u8], at: usize) -> PResult<u64> {
    let hi = u64::from(get_u8(p, at)? & 0x3);
    Ok(hi << 32 | u64::from(get_be_u32(p, at + 1)?))
}

/// TIA location identification.
fn location_print(nd: &mut Nd<'_>, p: &[u8], at: usize, len: usize) -> PResult {
    let format = get_u8(p, at + 4)?;
    let name = tok2str(&TIA_LOCATION_DATA_FORMATS, "unknown", format.into());
    nd_print!(nd, "\n\t    Location data format {name} (0x{format:02x})");
    match format {
        1 => {
            if len < 21 {
                return Ok(());
            }
            let res = get_u8(p, at + 5)? >> 2;
            nd_print!(
                nd,
                "\n\t    Latitude resolution {res}, latitude value {}",
                latlon(p, at + 5)?
            );
            let res = get_u8(p, at + 10)? >> 2;
            nd_print!(
                nd,
                "\n\t    Longitude resolution {res}, longitude value {}",
                latlon(p, at + 10)?
            );
            let alt = get_u8(p, at + 15)? >> 4;
            let name = tok2str(&TIA_ALTITUDE_TYPES, "unknown", alt.into());
            nd_print!(nd, "\n\t    Altitude type {name} ({alt})");
            nd_print!(
                nd,
                "\n\t    Altitude resolution {}, altitude value 0x{:x}",
                (get_be_u16(p, at + 15)? >> 6) & 0x3f,
                get_be_u32(p, at + 16)? & 0x3fff_ffff
            );
            let datum = get_u8(p, at + 20)?;
            let name = tok2str(&TIA_DATUM_TYPES, "unknown", datum.into());
            nd_print!(nd, "\n\t    Datum {name} (0x{datum:02x})");
        }
        2 => civic_print(nd, p, at, len)?,
        3 => {
            nd.print("\n\t    ECS ELIN id ");
            printjnp(nd, p, at + 5, len - 5)?;
        }
        _ => {
            nd.print("\n\t    Location ID ");
            print_unknown_data(nd, p, at + 5, "\n\t      ", len - 5);
        }
    }
    Ok(())
}

/// A civic address LCI: country code and address elements.
fn civic_print(nd: &mut Nd<'_>, p: &[u8], at: usize, len: usize) -> PResult {
    if len < 6 {
        return Ok(());
    }
    let lci_len = usize::from(get_u8(p, at + 5)?);
    if lci_len < 3 || len < 7 + lci_len {
        return Ok(());
    }
    let what = get_u8(p, at + 6)?;
    let name = tok2str(&TIA_LCI_WHAT, "unknown", what.into());
    nd_print!(
        nd,
        "\n\t    LCI length {lci_len}, LCI what {name} (0x{what:02x}), Country-code "
    );
    printjnp(nd, p, at + 7, 2)?;
    let (mut lci_len, mut at) = (lci_len - 3, at + 9);
    while lci_len > 0 {
        if lci_len < 2 {
            return Ok(());
        }
        let ca_type = get_u8(p, at)?;
        let ca_len = usize::from(get_u8(p, at + 1)?);
        at += 2;
        lci_len -= 2;
        let name = tok2str(&TIA_LCI_CATYPES, "unknown", ca_type.into());
        nd_print!(
            nd,
            "\n\t      CA type '{name}' ({ca_type}), length {ca_len}: "
        );
        if ca_type == 0 || ca_len == 0 || lci_len < ca_len {
            return Ok(());
        }
        printjnp(nd, p, at, ca_len)?;
        at += ca_len;
        lci_len -= ca_len;
    }
    Ok(())
}

/// TIA extended power-via-MDI.
fn extended_power_print(nd: &mut Nd<'_>, p: &[u8], at: usize) -> PResult {
    let b = get_u8(p, at + 4)?;
    // print-lldp.c tests `b & 0xC0 >> 6`, which C reads as `b & 3`.
    let ty = if b & 0x03 != 0 {
        "PD device"
    } else {
        "PSE device"
    };
    nd_print!(nd, "\n\t    Power type [{ty}]");
    let src = tok2str(&TIA_POWER_SOURCES, "none", u32::from((b & 0x30) >> 4));
    nd_print!(nd, ", Power source [{src}]");
    let prio = b & 0x0f;
    let name = tok2str(&TIA_POWER_PRIORITIES, "none", prio.into());
    nd_print!(nd, "\n\t    Power priority [{name}] (0x{prio:02x})");
    let power = get_be_u16(p, at + 5)?;
    if power < 1024 {
        let watts = f64::from(f32::from(power) / 10.0);
        nd_print!(nd, ", Power {watts:.1} Watts");
    } else {
        nd_print!(nd, ", Power {power} (Reserved)");
    }
    Ok(())
}

/// DCBX 1.01 (`lldp_private_dcbx_print`): the inner TLVs; an inner TLV cut short or too
/// short ends the walk quietly.
pub(super) fn dcbx_print(nd: &mut Nd<'_>, p: &[u8], at: usize, len: usize) -> PResult<bool> {
    if len < 4 {
        return Ok(false);
    }
    // Revision 1 is passed over.
    if subtype_print(nd, p, at, &DCBX_SUBTYPES)? == 1 {
        return Ok(true);
    }
    let (mut at, mut tlen) = (at + 4, len - 4);
    let mut hexdump = false;
    while tlen >= 2 {
        if !ttest(p, at, 2) {
            return Ok(hexdump);
        }
        let tlv = get_be_u16(p, at)?;
        let (ty, tlv_len) = (tlv >> 9, usize::from(tlv & 0x01ff));
        hexdump = false;
        tlen -= 2;
        at += 2;
        if ty == 0 || tlv_len == 0 {
            break;
        }
        if !ttest(p, at, tlv_len) || tlen < tlv_len {
            return Ok(hexdump);
        }
        match dcbx_tlv_print(nd, p, at, ty, tlv_len)? {
            Some(h) => hexdump = h,
            None => return Ok(hexdump),
        }
        if nd.opts.v > 1 || (nd.opts.v > 0 && hexdump) {
            print_unknown_data(nd, p, at, "\n\t    ", tlv_len);
        }
        tlen -= tlv_len;
        at += tlv_len;
    }
    Ok(hexdump)
}

/// `Oper_Version`, `Max_Version`, the info block and the subtype every feature TLV starts with.
fn dcbx_feature_head(nd: &mut Nd<'_>, p: &[u8], at: usize) -> PResult {
    nd_print!(nd, "\n\t      Oper_Version: {}", get_u8(p, at)?);
    nd_print!(nd, "\n\t      Max_Version: {}", get_u8(p, at + 1)?);
    let t = get_u8(p, at + 2)?;
    nd_print!(nd, "\n\t      Info block(0x{t:02X}): ");
    nd_print!(
        nd,
        "Enable bit: {}, Willing bit: {}, Error Bit: {}",
        u8::from(t & 0x80 != 0),
        u8::from(t & 0x40 != 0),
        u8::from(t & 0x20 != 0)
    );
    nd_print!(nd, "\n\t      SubType: {}", get_u8(p, at + 3)?);
    Ok(())
}

/// One DCBX TLV: whether to hex-dump it, `None` when too short (`goto trunc`).
fn dcbx_tlv_print(
    nd: &mut Nd<'_>,
    p: &[u8],
    at: usize,
    ty: u16,
    len: usize,
) -> PResult<Option<bool>> {
    let min = match ty {
        1 => 10,
        2 => 17,
        3 => 6,
        4 => 4,
        _ => return Ok(Some(true)),
    };
    if len < min {
        return Ok(None);
    }
    match ty {
        1 => {
            nd_print!(
                nd,
                "\n\t    Control - Protocol Control (type 0x1, length {len})"
            );
            nd_print!(nd, "\n\t      Oper_Version: {}", get_u8(p, at)?);
            nd_print!(nd, "\n\t      Max_Version: {}", get_u8(p, at + 1)?);
            nd_print!(nd, "\n\t      Sequence Number: {}", get_be_u32(p, at + 2)?);
            nd_print!(
                nd,
                "\n\t      Acknowledgement Number: {}",
                get_be_u32(p, at + 6)?
            );
        }
        2 => {
            nd_print!(
                nd,
                "\n\t    Feature - Priority Group (type 0x2, length {len})"
            );
            dcbx_feature_head(nd, p, at)?;
            nd.print("\n\t      Priority Allocation");
            let pg = get_be_u32(p, at + 4)?;
            for i in 0..8 {
                nd_print!(nd, "\n\t          PgId_{i}: {}", (pg >> (28 - 4 * i)) & 0xf);
            }
            nd.print("\n\t      Priority Group Allocation");
            for i in 0..8 {
                nd_print!(
                    nd,
                    "\n\t          Pg percentage[{i}]: {}",
                    get_u8(p, at + 8 + i)?
                );
            }
            nd_print!(nd, "\n\t      NumTCsSupported: {}", get_u8(p, at + 16)?);
        }
        3 => {
            nd.print("\n\t    Feature - Priority Flow Control");
            nd_print!(nd, " (type 0x3, length {len})");
            dcbx_feature_head(nd, p, at)?;
            let t = get_u8(p, at + 4)?;
            nd_print!(nd, "\n\t      PFC Config (0x{t:02X})");
            for i in 0..8 {
                let on = if t & (1 << i) != 0 {
                    "Enabled"
                } else {
                    "Disabled"
                };
                nd_print!(nd, "\n\t          Priority Bit {i}: {on}");
            }
            nd_print!(nd, "\n\t      NumTCPFCSupported: {}", get_u8(p, at + 5)?);
        }
        _ => {
            nd_print!(nd, "\n\t    Feature - Application (type 0x4, length {len})");
            dcbx_feature_head(nd, p, at)?;
            let (mut m, mut left) = (at + 4, len - 4);
            while left >= 6 {
                nd.print("\n\t      Application Value");
                nd_print!(
                    nd,
                    "\n\t          Application Protocol ID: 0x{:04x}",
                    get_be_u16(p, m)?
                );
                let u = get_be_u24(p, m + 2)?;
                let sf = u >> 22;
                let kind = if sf != 0 {
                    "Socket Number"
                } else {
                    "L2 EtherType"
                };
                nd_print!(
                    nd,
                    "\n\t          SF (0x{sf:x}) Application Protocol ID is {kind}"
                );
                nd_print!(nd, "\n\t          OUI: 0x{:06x}", u & 0x3f_ffff);
                nd_print!(
                    nd,
                    "\n\t          User Priority Map: 0x{:02x}",
                    get_u8(p, m + 5)?
                );
                left -= 6;
                m += 6;
            }
        }
    }
    Ok(Some(false))
}
