//! EIGRP (RFC 7868), mirroring print-eigrp.c at tcpdump-4.99.3: the common header and the
//! TLVs tcpdump decodes (general parameters, software version, IP and AppleTalk routes, the
//! AppleTalk cable setup); the others as hex.
//!
//! Must not do I/O: it only reads the captured bytes.

use std::net::{IpAddr, Ipv4Addr};

use super::names::{ipaddr_at, ipaddr_string};
use super::tok::{bittok2str, tok2str, Tok};
use super::util::{get_be_u24, print_trunc, print_unknown_data};
use super::{get_be_u16, get_be_u32, get_bytes, get_u8, ttest, Nd, PResult};
use crate::nd_print;

/// The common header's length (print-eigrp.c `struct eigrp_common_header`).
const HDR_LEN: usize = 20;
/// A TLV's type and length.
const TLV_HDR_LEN: usize = 4;

/// The common header's fields.
mod field {
    pub const VERSION: usize = 0;
    pub const OPCODE: usize = 1;
    pub const CHECKSUM: usize = 2;
    pub const FLAGS: usize = 4;
    pub const SEQ: usize = 8;
    pub const ACK: usize = 12;
    pub const VRID: usize = 16;
    pub const ASN: usize = 18;
}

/// print-eigrp.c `eigrp_opcode_values`.
const OPCODES: &[Tok] = &[
    (1, "Update"),
    (3, "Query"),
    (4, "Reply"),
    (5, "Hello"),
    (6, "IPX SAP"),
    (7, "Probe"),
];

/// print-eigrp.c `eigrp_common_header_flag_values`.
const FLAGS: &[Tok] = &[
    (0x01, "Init"),
    (0x02, "Conditionally Received"),
    (0x04, "Restart"),
    (0x08, "End-of-Table"),
];

const TLV_GENERAL_PARM: u16 = 0x0001;
const TLV_SW_VERSION: u16 = 0x0004;
const TLV_IP_INT: u16 = 0x0102;
const TLV_IP_EXT: u16 = 0x0103;
const TLV_AT_INT: u16 = 0x0202;
const TLV_AT_EXT: u16 = 0x0203;
const TLV_AT_CABLE_SETUP: u16 = 0x0204;

/// print-eigrp.c `eigrp_tlv_values`.
const TLVS: &[Tok] = &[
    (0x0001, "General Parameters"),
    (0x0002, "Authentication"),
    (0x0003, "Sequence"),
    (0x0004, "Software Version"),
    (0x0005, "Next Multicast Sequence"),
    (0x0102, "IP Internal routes"),
    (0x0103, "IP External routes"),
    (0x0202, "AppleTalk Internal routes"),
    (0x0203, "AppleTalk External routes"),
    (0x0204, "AppleTalk Cable setup"),
    (0x0302, "IPX Internal routes"),
    (0x0303, "IPX External routes"),
];

/// print-eigrp.c `eigrp_ext_proto_id_values`.
const EXT_PROTOS: &[Tok] = &[
    (0x01, "IGRP"),
    (0x02, "EIGRP"),
    (0x03, "Static"),
    (0x04, "RIP"),
    (0x05, "Hello"),
    (0x06, "OSPF"),
    (0x07, "IS-IS"),
    (0x08, "EGP"),
    (0x09, "BGP"),
    (0x0a, "IDRP"),
    (0x0b, "Connected"),
];

/// Print the EIGRP packet at `data`, `len` bytes on the wire (print-eigrp.c `eigrp_print`).
pub fn print(nd: &mut Nd<'_>, data: &[u8], len: u32) -> PResult {
    nd.protocol = "eigrp";
    if !ttest(data, 0, HDR_LEN) {
        print_trunc(nd);
        return Ok(());
    }
    let version = get_u8(data, field::VERSION)?;
    if version != 2 {
        nd_print!(nd, "EIGRP version {version} packet not supported");
        return Ok(());
    }
    let opcode = get_u8(data, field::OPCODE)?;
    if nd.opts.v < 1 {
        let op = tok2str(OPCODES, "unknown (%u)", opcode.into());
        nd_print!(nd, "EIGRP {op}, length: {len}");
        return Ok(());
    }
    let Some(tlen) = (len as usize).checked_sub(HDR_LEN) else {
        let op = tok2str(OPCODES, "unknown (%u)", opcode.into());
        nd_print!(nd, "EIGRP {op}, length: {len} (too short, < {HDR_LEN})");
        return Ok(());
    };
    header_print(nd, data, opcode, tlen)?;
    if tlvs_print(nd, data, tlen)?.is_none() {
        print_trunc(nd);
    }
    Ok(())
}

/// The two lines of the common header at `-v`.
fn header_print(nd: &mut Nd<'_>, data: &[u8], opcode: u8, tlen: usize) -> PResult {
    let op = tok2str(OPCODES, "unknown, type: %u", opcode.into());
    let sum = get_be_u16(data, field::CHECKSUM)?;
    let flags = bittok2str(FLAGS, "none", get_be_u32(data, field::FLAGS)?);
    nd_print!(
        nd,
        "\n\tEIGRP v2, opcode: {op} ({opcode}), chksum: 0x{sum:04x}, Flags: [{flags}]"
    );
    let seq = get_be_u32(data, field::SEQ)?;
    let ack = get_be_u32(data, field::ACK)?;
    let vrid = get_be_u16(data, field::VRID)?;
    let asn = get_be_u16(data, field::ASN)?;
    nd_print!(
        nd,
        "\n\tseq: 0x{seq:08x}, ack: 0x{ack:08x}, VRID: {vrid}, AS: {asn}, length: {tlen}"
    );
    Ok(())
}

/// The TLVs after the header; `None` where the capture ends (print-eigrp.c's `trunc`).
fn tlvs_print(nd: &mut Nd<'_>, data: &[u8], mut tlen: usize) -> PResult<Option<()>> {
    let mut tptr = HDR_LEN;
    while tlen > 0 {
        if !ttest(data, tptr, TLV_HDR_LEN) {
            return Ok(None);
        }
        let tlv_len = usize::from(get_be_u16(data, tptr + 2)?);
        let tlv_type = get_be_u16(data, tptr)?;
        if tlv_len < TLV_HDR_LEN || tlv_len > tlen {
            print_unknown_data(nd, data, tptr + TLV_HDR_LEN, "\n\t    ", tlen);
            return Ok(Some(()));
        }
        let name = tok2str(TLVS, "Unknown", tlv_type.into());
        nd_print!(nd, "\n\t  {name} TLV (0x{tlv_type:04x}), length: {tlv_len}");
        if !ttest(data, tptr, tlv_len) {
            return Ok(None);
        }
        let body = tptr + TLV_HDR_LEN;
        let body_len = tlv_len - TLV_HDR_LEN;
        let decoded = tlv_print(nd, data, tlv_type, body, body_len)?;
        if !decoded && nd.opts.v <= 1 {
            print_unknown_data(nd, data, body, "\n\t    ", body_len);
        }
        if nd.opts.v > 1 {
            print_unknown_data(nd, data, body, "\n\t    ", body_len);
        }
        tptr += tlv_len;
        tlen -= tlv_len;
    }
    Ok(Some(()))
}

/// One TLV's body of `len` bytes at `at`; `false` for the types tcpdump shows as hex.
fn tlv_print(nd: &mut Nd<'_>, data: &[u8], kind: u16, at: usize, len: usize) -> PResult<bool> {
    let need = match kind {
        TLV_GENERAL_PARM => 8,
        TLV_SW_VERSION => 4,
        TLV_IP_INT => 22,
        TLV_IP_EXT => 42,
        TLV_AT_CABLE_SETUP => 8,
        TLV_AT_INT => 24,
        TLV_AT_EXT => 40,
        _ => return Ok(false),
    };
    if len < need {
        nd_print!(nd, " (too short, < {})", TLV_HDR_LEN + need);
        return Ok(true);
    }
    let u8_at = |o: usize| get_u8(data, at + o);
    match kind {
        TLV_GENERAL_PARM => {
            let hold = get_be_u16(data, at + 6)?;
            let (k1, k2, k3, k4, k5) = (u8_at(0)?, u8_at(1)?, u8_at(2)?, u8_at(3)?, u8_at(4)?);
            nd_print!(
                nd,
                "\n\t    holdtime: {hold}s, k1 {k1}, k2 {k2}, k3 {k3}, k4 {k4}, k5 {k5}"
            );
        }
        TLV_SW_VERSION => {
            let (a, b, c, d) = (u8_at(0)?, u8_at(1)?, u8_at(2)?, u8_at(3)?);
            nd_print!(nd, "\n\t    IOS version: {a}.{b}, EIGRP version {c}.{d}");
        }
        TLV_IP_INT => {
            if ip_prefix_print(nd, data, at, 20)? {
                metric_print(nd, data, at + 4)?;
            }
        }
        TLV_IP_EXT => {
            if ip_prefix_print(nd, data, at, 40)? {
                let router = ipaddr_at(nd, data, at + 4)?;
                let origin_as = get_be_u32(data, at + 8)?;
                let proto = tok2str(EXT_PROTOS, "unknown", u8_at(22)?.into());
                let flags = u8_at(23)?;
                let tag = get_be_u32(data, at + 12)?;
                let metric = get_be_u32(data, at + 16)?;
                nd_print!(
                    nd,
                    "\n\t      origin-router {router}, origin-as {origin_as}, origin-proto {proto}, flags [0x{flags:02x}], tag 0x{tag:08x}, metric {metric}"
                );
                metric_print(nd, data, at + 24)?;
            }
        }
        TLV_AT_CABLE_SETUP => {
            let start = get_be_u16(data, at)?;
            let end = get_be_u16(data, at + 2)?;
            let rid = get_be_u32(data, at + 4)?;
            nd_print!(nd, "\n\t    Cable-range: {start}-{end}, Router-ID {rid}");
        }
        TLV_AT_INT => {
            at_range_print(nd, data, at, 20)?;
            metric_print(nd, data, at + 4)?;
        }
        _ => {
            at_range_print(nd, data, at, 36)?;
            let router = get_be_u32(data, at + 4)?;
            let origin_as = get_be_u32(data, at + 8)?;
            let proto = tok2str(EXT_PROTOS, "unknown", u8_at(16)?.into());
            let flags = u8_at(17)?;
            let tag = get_be_u32(data, at + 12)?;
            let metric = get_be_u16(data, at + 18)?;
            nd_print!(
                nd,
                "\n\t      origin-router {router}, origin-as {origin_as}, origin-proto {proto}, flags [0x{flags:02x}], tag 0x{tag:08x}, metric {metric}"
            );
            metric_print(nd, data, at + 20)?;
        }
    }
    Ok(true)
}

/// `IPv4 prefix: ADDR/LEN, nexthop: ...` of an IP route whose prefix length is at `plen_at`
/// of the body at `at`, the destination's bytes after it; `false` for an impossible length.
fn ip_prefix_print(nd: &mut Nd<'_>, data: &[u8], at: usize, plen_at: usize) -> PResult<bool> {
    let bits = get_u8(data, at + plen_at)?;
    if bits > 32 {
        nd_print!(nd, "\n\t    illegal prefix length {bits}");
        return Ok(false);
    }
    let mut prefix = [0u8; 4];
    let dest = get_bytes(data, at + plen_at + 1, usize::from(bits).div_ceil(8))?;
    for (d, s) in prefix.iter_mut().zip(dest) {
        *d = *s;
    }
    let text = ipaddr_string(nd, IpAddr::V4(Ipv4Addr::from(prefix)));
    nd_print!(nd, "\n\t    IPv4 prefix: {text:>15}/{bits}, nexthop: ");
    if get_be_u32(data, at)? == 0 {
        nd.print("self");
    } else {
        let hop = ipaddr_at(nd, data, at)?;
        nd.print(&hop);
    }
    Ok(true)
}

/// `Cable-Range: S-E, nexthop: ...` of an AppleTalk route, the range at `range_at`.
fn at_range_print(nd: &mut Nd<'_>, data: &[u8], at: usize, range_at: usize) -> PResult {
    let start = get_be_u16(data, at + range_at)?;
    let end = get_be_u16(data, at + range_at + 2)?;
    nd_print!(nd, "\n\t     Cable-Range: {start}-{end}, nexthop: ");
    if get_be_u32(data, at)? == 0 {
        nd.print("self");
    } else {
        let (net, node) = (get_be_u16(data, at)?, get_be_u16(data, at + 2)?);
        nd_print!(nd, "{net}.{node}");
    }
    Ok(())
}

/// The delay, bandwidth, MTU, hop count, reliability and load at `at`.
fn metric_print(nd: &mut Nd<'_>, data: &[u8], at: usize) -> PResult {
    let delay = get_be_u32(data, at)? / 100;
    let bw = get_be_u32(data, at + 4)?;
    let mtu = get_be_u24(data, at + 8)?;
    let hop = get_u8(data, at + 11)?;
    let rel = get_u8(data, at + 12)?;
    let load = get_u8(data, at + 13)?;
    nd_print!(
        nd,
        "\n\t      delay {delay} ms, bandwidth {bw} Kbps, mtu {mtu}, hop {hop}, reliability {rel}, load {load}"
    );
    Ok(())
}

#[cfg(test)]
#[allow(clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::capture::print::testing::run;
    use proptest::prelude::*;

    /// An Update with one IP internal route, 10.1.2.0/24 via self.
    fn update() -> Vec<u8> {
        let mut d = vec![
            2, 1, 0x12, 0x34, 0, 0, 0, 8, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0, 100,
        ];
        d.extend_from_slice(&[0x01, 0x02, 0, 28, 0, 0, 0, 0]); // TLV header, nexthop self
        d.extend_from_slice(&[0, 0, 0x0a, 0, 0, 0, 0x0a, 0, 0, 0x05, 0xdc, 1, 255, 1, 0, 0]);
        d.extend_from_slice(&[24, 10, 1, 2]);
        d
    }

    #[test]
    fn terse_and_verbose() {
        let d = update();
        assert_eq!(run(print, &d, 48, 0).0, "EIGRP Update, length: 48");
        let (out, r) = run(print, &d, 48, 1);
        assert_eq!(r, Ok(()));
        assert!(out.contains("Flags: [End-of-Table]"), "{out}");
        assert!(
            out.contains("IPv4 prefix:        10.1.2.0/24, nexthop: self"),
            "{out}"
        );
        assert!(
            out.contains("delay 25 ms, bandwidth 2560 Kbps, mtu 1500"),
            "{out}"
        );
    }

    #[test]
    fn every_prefix_prints_without_panic() {
        let d = update();
        for cut in 0..d.len() {
            let cut_data = d.get(..cut).unwrap_or(&[]);
            let (out, r) = run(print, cut_data, 48, 1);
            assert!(r.is_err() || out.ends_with("[|eigrp]"), "cut {cut}: {out}");
        }
    }

    proptest! {
        #[test]
        fn arbitrary_packets_never_panic(
            tail in proptest::collection::vec(any::<u8>(), 0..80),
            v in 0u8..3,
        ) {
            let mut d = update();
            d.truncate(20);
            d.extend_from_slice(&tail);
            let len = u32::try_from(d.len()).unwrap_or(0);
            let _ = run(print, &d, len, v);
        }
    }
}
