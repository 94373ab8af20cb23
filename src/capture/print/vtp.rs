//! Cisco VLAN Trunking Protocol (print-vtp.c at tcpdump-4.99.3): the header, and with `-v`
//! the domain and the body of summary and subset advertisements and advertisement requests.
//! print-vtp.c defines `ND_LONGJMP_FROM_TCHECK`, so every check past the capture is
//! `Err(Trunc)`.
//!
//! Must not do I/O: it only reads the captured bytes.

use super::names::ipaddr_at;
use super::tok::{tok2str, Tok};
use super::util::{hex_groups_print, print_invalid, print_unknown_data, printjnp};
use super::{get_be_u16, get_be_u32, get_bytes, get_u8, tcheck, Nd, PResult};
use crate::nd_print;

const HEADER_LEN: usize = 36;
const DOMAIN_NAME_LEN: u8 = 32;
const VLAN_INFO_FIXED_PART_LEN: usize = 12;

const SUMMARY_ADV: u8 = 1;
const SUBSET_ADV: u8 = 2;
const ADV_REQUEST: u8 = 3;

/// print-vtp.c `vtp_message_type_values`.
const MESSAGE_TYPES: [Tok; 4] = [
    (1, "Summary advertisement"),
    (2, "Subset advertisement"),
    (3, "Advertisement request"),
    (4, "Join message"),
];

/// print-vtp.c `vtp_header_values`: what the third byte means, by message type.
const HEADER_VALUES: [Tok; 4] = [
    (1, "Followers"),
    (2, "Seq number"),
    (3, "Rsvd"),
    (4, "Rsvd"),
];

/// print-vtp.c `vtp_vlan_type_values`.
const VLAN_TYPES: [Tok; 5] = [
    (1, "Ethernet"),
    (2, "FDDI"),
    (3, "TrCRF"),
    (4, "FDDI-net"),
    (5, "TrBRF"),
];

/// print-vtp.c `vtp_vlan_status`.
const VLAN_STATUS: [Tok; 2] = [(0, "Operational"), (1, "Suspended")];

/// print-vtp.c `vtp_vlan_tlv_values`.
const VLAN_TLVS: [Tok; 10] = [
    (1, "Source-Routing Ring Number TLV"),
    (2, "Source-Routing Bridge Number TLV"),
    (3, "STP type TLV"),
    (4, "Parent VLAN TLV"),
    (5, "Translationally bridged VLANs TLV"),
    (6, "Pruning TLV"),
    (7, "Bridge Type TLV"),
    (8, "Max ARP Hop Count TLV"),
    (9, "Max STE Hop Count TLV"),
    (10, "Backup CRF Mode TLV"),
];

/// print-vtp.c `vtp_stp_type_values`.
const STP_TYPES: [Tok; 3] = [(1, "SRT"), (2, "SRB"), (3, "Auto")];

/// Print a VTP PDU of on-wire length `length` (`vtp_print`).
pub fn print(nd: &mut Nd<'_>, p: &[u8], length: usize) -> PResult {
    nd.protocol = "vtp";
    if length < HEADER_LEN {
        print_invalid(nd);
        return tcheck(p, 0, length);
    }
    tcheck(p, 0, HEADER_LEN)?;
    let ty = get_u8(p, 1)?;
    nd_print!(
        nd,
        "VTPv{}, Message {} (0x{ty:02x}), length {length}",
        get_u8(p, 0)?,
        tok2str(&MESSAGE_TYPES, "Unknown message type", ty.into())
    );
    if nd.opts.v < 1 {
        return tcheck(p, 0, length);
    }
    nd.print("\n\tDomain name: ");
    let mgmtd_len = get_u8(p, 3)?;
    if !(1..=DOMAIN_NAME_LEN).contains(&mgmtd_len) {
        nd_print!(nd, " [invalid MgmtD Len {mgmtd_len}]");
        print_invalid(nd);
        return tcheck(p, 0, length);
    }
    printjnp(nd, p, 4, mgmtd_len.into())?;
    nd_print!(
        nd,
        ", {}: {}",
        tok2str(&HEADER_VALUES, "Unknown", ty.into()),
        get_u8(p, 2)?
    );
    let at = HEADER_LEN;
    let ok = match ty {
        SUMMARY_ADV => summary_print(nd, p, at).map(|()| true)?,
        SUBSET_ADV => subset_print(nd, p, at, length)?,
        ADV_REQUEST => {
            nd_print!(nd, "\n\tStart value: {}", get_be_u32(p, at)?);
            true
        }
        _ => true,
    };
    if !ok {
        print_invalid(nd);
        return tcheck(p, 0, length);
    }
    Ok(())
}

/// A summary advertisement after the header.
fn summary_print(nd: &mut Nd<'_>, p: &[u8], at: usize) -> PResult {
    let rev = get_be_u32(p, at)?;
    let updater = ipaddr_at(nd, p, at + 4)?;
    nd_print!(nd, "\n\t  Config Rev {rev:x}, Updater {updater}");
    let timestamp = get_bytes(p, at + 8, 12)?;
    nd.print(", Timestamp ");
    hex_groups_print(nd, timestamp, 4, "0x", " ");
    let digest = get_bytes(p, at + 20, 16)?;
    nd.print(", MD5 digest: ");
    hex_groups_print(nd, digest, 4, "", "");
    Ok(())
}

/// A subset advertisement after the header: the VLAN info fields; `Ok(false)` on `goto
/// invalid`.
fn subset_print(nd: &mut Nd<'_>, p: &[u8], mut at: usize, length: usize) -> PResult<bool> {
    nd_print!(nd, ", Config Rev {:x}", get_be_u32(p, at)?);
    at += 4;
    while at < length {
        let len = usize::from(get_u8(p, at)?);
        if len == 0 {
            break;
        }
        tcheck(p, at, len)?;
        if len < VLAN_INFO_FIXED_PART_LEN {
            return Ok(false);
        }
        nd_print!(
            nd,
            "\n\tVLAN info status {}, type {}, VLAN-id {}, MTU {}, SAID 0x{:08x}, Name ",
            tok2str(&VLAN_STATUS, "Unknown", get_u8(p, at + 1)?.into()),
            tok2str(&VLAN_TYPES, "Unknown", get_u8(p, at + 2)?.into()),
            get_be_u16(p, at + 4)?,
            get_be_u16(p, at + 6)?,
            get_be_u32(p, at + 8)?
        );
        let name_len = usize::from(get_u8(p, at + 3)?);
        let len = len - VLAN_INFO_FIXED_PART_LEN;
        let padded = 4 * name_len.div_ceil(4);
        at += VLAN_INFO_FIXED_PART_LEN;
        if len < padded {
            return Ok(false);
        }
        printjnp(nd, p, at, name_len)?;
        at += padded;
        match vlan_tlvs_print(nd, p, at, len - padded)? {
            Some(next) => at = next,
            None => return Ok(false),
        }
    }
    Ok(true)
}

/// The TLVs of one VLAN info field (one byte of type, one of length in 16-bit words);
/// the offset after them, `None` on `goto invalid`.
fn vlan_tlvs_print(
    nd: &mut Nd<'_>,
    p: &[u8],
    mut at: usize,
    mut len: usize,
) -> PResult<Option<usize>> {
    while len > 0 {
        if len < 2 {
            return Ok(None);
        }
        let ty = get_u8(p, at)?;
        let tlv_len = usize::from(get_u8(p, at + 1)?);
        nd_print!(
            nd,
            "\n\t\t{} (0x{ty:04x}) TLV",
            tok2str(&VLAN_TLVS, "Unknown", ty.into())
        );
        let size = tlv_len * 2 + 2;
        if len < size {
            nd.print(" (TLV goes past the end of the packet)");
            return Ok(None);
        }
        tcheck(p, at, size)?;
        if tlv_len != 1 {
            nd_print!(nd, " (invalid TLV length {tlv_len} != 1)");
            return Ok(None);
        }
        let value = get_be_u16(p, at + 2)?;
        let on = |yes: &'static str, no: &'static str| if value == 1 { yes } else { no };
        match ty {
            9 => nd_print!(nd, ", {value}"),
            6 => nd_print!(nd, ", {} ({value})", on("Enabled", "Disabled")),
            3 => nd_print!(
                nd,
                ", {} ({value})",
                tok2str(&STP_TYPES, "Unknown", value.into())
            ),
            7 => nd_print!(nd, ", {} ({value})", on("SRB", "SRT")),
            10 => nd_print!(nd, ", {} ({value})", on("Backup", "Not backup")),
            _ => print_unknown_data(nd, p, at, "\n\t\t  ", size),
        }
        len -= size;
        at += size;
    }
    Ok(Some(at))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capture::print::testing::run;

    /// A subset advertisement: one Ethernet VLAN named "lab" with a pruning TLV.
    fn subset() -> Vec<u8> {
        let mut d = vec![1, SUBSET_ADV, 1, 3];
        d.extend_from_slice(b"dom");
        d.resize(HEADER_LEN, 0);
        d.extend_from_slice(&[0, 0, 0, 5]);
        d.extend_from_slice(&[20, 0, 1, 3, 0, 10, 0x05, 0xdc, 0, 1, 0x86, 0xaa]);
        d.extend_from_slice(&[b'l', b'a', b'b', 0, 6, 1, 0, 1]);
        d
    }

    #[test]
    fn subset_fields_at_their_offsets() {
        let d = subset();
        let (out, r) = run(print, &d, d.len(), 1);
        assert_eq!(r, Ok(()));
        assert_eq!(
            out,
            "VTPv1, Message Subset advertisement (0x02), length 60\n\tDomain name: dom, \
             Seq number: 1, Config Rev 5\n\tVLAN info status Operational, type Ethernet, \
             VLAN-id 10, MTU 1500, SAID 0x000186aa, Name lab\n\t\tPruning TLV (0x0006) TLV, \
             Enabled (1)"
        );
    }

    crate::every_prefix_stops_at_the_capture!(print, subset());
}
