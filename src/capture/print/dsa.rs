//! Marvell DSA and EDSA switch tags (print-dsa.c at tcpdump-4.99.3): the 4-byte DSA tag or
//! the 8-byte EDSA tag (an ethertype, two reserved bytes, then a DSA tag) between the source
//! address and the type field.
//!
//! Must not do I/O: it only reads the captured bytes.

use super::tok::{ethertype_name, tok2str, Tok};
use super::{ether, get_array, get_be_u16, get_u8, Nd, PResult};
use crate::nd_print;

const DSA_LEN: usize = 4;
const EDSA_LEN: usize = 8;

const MODE_TO_CPU: u8 = 0;
const MODE_FROM_CPU: u8 = 1;
const MODE_TO_SNIFFER: u8 = 2;
const MODE_FORWARD: u8 = 3;

/// print-dsa.c `dsa_mode_values`.
const MODES: [Tok; 4] = [
    (MODE_TO_CPU as u32, "To CPU"),
    (MODE_FROM_CPU as u32, "From CPU"),
    (MODE_TO_SNIFFER as u32, "To Sniffer"),
    (MODE_FORWARD as u32, "Forward"),
];

/// print-dsa.c `dsa_code_values`.
const CODES: [Tok; 6] = [
    (0x0, "BPDU (MGMT) Trap"),
    (0x1, "Frame2Reg"),
    (0x2, "IGMP/MLD Trap"),
    (0x3, "Policy Trap"),
    (0x4, "ARP Mirror"),
    (0x5, "Policy Mirror"),
];

/// The fields of a DSA tag (print-dsa.c's `DSA_*` macros).
struct Tag([u8; DSA_LEN]);

impl Tag {
    fn mode(&self) -> u8 {
        self.0[0] >> 6
    }
    fn tagged(&self) -> bool {
        self.0[0] & 0x20 != 0
    }
    fn dev(&self) -> u8 {
        self.0[0] & 0x1f
    }
    fn port(&self) -> u8 {
        self.0[1] >> 3
    }
    /// Also the RX_SNIFF bit.
    fn trunk(&self) -> bool {
        self.0[1] & 0x04 != 0
    }
    fn cfi(&self) -> bool {
        self.0[1] & 0x01 != 0
    }
    fn pri(&self) -> u8 {
        self.0[2] >> 5
    }
    fn vid(&self) -> u16 {
        u16::from(self.0[2] & 0x0f) << 8 | u16::from(self.0[3])
    }
    fn code(&self) -> u8 {
        ((self.0[1] & 0x06) >> 1) << 1 | (self.0[2] & 0x10) >> 4
    }
}

/// print-dsa.c `tag_common_print`.
fn tag_common_print(nd: &mut Nd<'_>, data: &[u8]) -> PResult {
    let t = Tag(get_array(data, 0)?);
    let (dev, port) = (t.dev(), t.port());
    if nd.opts.e > 0 {
        nd_print!(
            nd,
            "mode {}, ",
            tok2str(&MODES, "unknown", u32::from(t.mode()))
        );
        match t.mode() {
            MODE_FORWARD => {
                let kind = if t.trunk() { "trunk" } else { "port" };
                nd_print!(nd, "dev {dev}, {kind} {port}, ");
            }
            MODE_FROM_CPU => nd_print!(nd, "target dev {dev}, port {port}, "),
            MODE_TO_CPU => {
                nd_print!(nd, "source dev {dev}, port {port}, ");
                let code = tok2str(&CODES, "reserved", u32::from(t.code()));
                nd_print!(nd, "code {code}, ");
            }
            _ => {
                nd_print!(nd, "source dev {dev}, port {port}, ");
                let dir = if t.trunk() { "ingress" } else { "egress" };
                nd_print!(nd, "{dir} sniff, ");
            }
        }
        nd.print(if t.tagged() { "tagged, " } else { "untagged, " });
        nd.print(if t.cfi() { "CFI, " } else { "" });
        nd_print!(nd, "VID {}, FPri {}, ", t.vid(), t.pri());
    } else {
        match t.mode() {
            MODE_FORWARD => {
                let kind = if t.trunk() { "trunk" } else { "port" };
                nd_print!(nd, "Forward {kind} {dev}.{port}, ");
            }
            MODE_FROM_CPU => nd_print!(nd, "CPU > port {dev}.{port}, "),
            MODE_TO_CPU => nd_print!(nd, "port {dev}.{port} > CPU, "),
            _ => {
                let dir = if t.trunk() { "Rx" } else { "Tx" };
                nd_print!(nd, "port {dev}.{port} > {dir} Sniffer, ");
            }
        }
        let tagged = if t.tagged() { 't' } else { 'u' };
        nd_print!(nd, "VLAN {}{tagged}, ", t.vid());
    }
    Ok(())
}

/// print-dsa.c `dsa_tag_print`.
fn dsa_tag_print(nd: &mut Nd<'_>, data: &[u8]) -> PResult {
    nd.print(if nd.opts.e > 0 {
        "Marvell DSA "
    } else {
        "DSA "
    });
    tag_common_print(nd, data)
}

/// print-dsa.c `edsa_tag_print`.
fn edsa_tag_print(nd: &mut Nd<'_>, data: &[u8]) -> PResult {
    let etype = get_be_u16(data, 0)?;
    if nd.opts.e > 0 {
        let name = ethertype_name(etype).unwrap_or("Unknown");
        nd_print!(nd, "Marvell EDSA ethertype 0x{etype:04x} ({name}), ");
        nd_print!(nd, "rsvd {} {}, ", get_u8(data, 2)?, get_u8(data, 3)?);
    } else {
        nd_print!(nd, "EDSA 0x{etype:04x}, ");
    }
    tag_common_print(nd, data.get(4..).unwrap_or(&[]))
}

/// DLT_DSA_TAG_DSA (print-dsa.c `dsa_if_print`).
pub fn dsa_if_print(nd: &mut Nd<'_>, data: &[u8], len: u32) -> PResult {
    nd.protocol = "dsa";
    let hdr = ether::switch_tag_print(nd, data, len as usize, (DSA_LEN, dsa_tag_print))?;
    nd.ll_hdr_len += hdr;
    Ok(())
}

/// DLT_DSA_TAG_EDSA (print-dsa.c `edsa_if_print`).
pub fn edsa_if_print(nd: &mut Nd<'_>, data: &[u8], len: u32) -> PResult {
    nd.protocol = "edsa";
    let hdr = ether::switch_tag_print(nd, data, len as usize, (EDSA_LEN, edsa_tag_print))?;
    nd.ll_hdr_len += hdr;
    Ok(())
}

#[cfg(test)]
#[allow(clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::capture::print::testing::{opts, with_nd};

    #[test]
    fn forward_tag_short_form() {
        // Forward, tagged, dev 0, port 2, VID 0xabc.
        let (out, r) = with_nd(&opts(0), |nd| dsa_tag_print(nd, &[0xe0, 0x10, 0x0a, 0xbc]));
        assert_eq!(r, Ok(()));
        assert_eq!(out, "DSA Forward port 0.2, VLAN 2748t, ");
    }

    #[test]
    fn short_frames_are_reported() {
        let frame = [0u8; 21];
        let (out, r) = with_nd(&opts(0), |nd| edsa_if_print(nd, &frame, 60));
        assert_eq!(r, Ok(()));
        assert_eq!(out, " [|edsa]");
    }
}
