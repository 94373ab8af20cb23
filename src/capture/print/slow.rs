//! IEEE 802.3 slow protocols (print-slow.c at tcpdump-4.99.3): LACP and the marker protocol
//! with their TLVs, 802.3ah OAM (information and event notification TLVs, loopback
//! control), and the one-line form of unknown subtypes. print-slow.c defines
//! `ND_LONGJMP_FROM_TCHECK`, so every check past the capture is `Err(Trunc)`.
//!
//! Must not do I/O: it only reads the captured bytes.

use super::names::etheraddr_at;
use super::tok::{bittok2str, tok2str, Tok};
use super::util::print_unknown_data;
use super::{get_be_u16, get_be_u32, get_u8, tcheck, Nd, PResult};
use crate::nd_print;

mod oam;

const PROTO_LACP: u8 = 1;
const PROTO_MARKER: u8 = 2;
const PROTO_OAM: u8 = 3;
/// The one version of LACP and of the marker protocol print-slow.c decodes.
const VERSION: u8 = 1;

/// print-slow.c `slow_proto_values`.
const PROTO_VALUES: [Tok; 3] = [(1, "LACP"), (2, "MARKER"), (3, "OAM")];

/// print-slow.c `slow_tlv_values`, keyed by subtype << 8 | TLV type.
const TLV_VALUES: [Tok; 6] = [
    (0x100, "Terminator"),
    (0x101, "Actor Information"),
    (0x102, "Partner Information"),
    (0x103, "Collector Information"),
    (0x200, "Terminator"),
    (0x201, "Marker Information"),
];

/// print-slow.c `lacp_tlv_actor_partner_info_state_values`.
const STATE_VALUES: [Tok; 8] = [
    (0x01, "Activity"),
    (0x02, "Timeout"),
    (0x04, "Aggregation"),
    (0x08, "Synchronization"),
    (0x10, "Collecting"),
    (0x20, "Distributing"),
    (0x40, "Default"),
    (0x80, "Expired"),
];

const TLV_HEADER_LEN: usize = 2;
const ACTOR_PARTNER_INFO_LEN: usize = 18;
const COLLECTOR_INFO_LEN: usize = 14;
const MARKER_INFO_LEN: usize = 14;

/// Print a slow-protocols frame of on-wire length `len` (`slow_print`); always `Ok(true)`,
/// every subtype being printed.
pub fn print(nd: &mut Nd<'_>, p: &[u8], len: usize) -> PResult<bool> {
    nd.protocol = "slow";
    if len < 1 {
        too_short(nd);
        return Ok(true);
    }
    let subtype = get_u8(p, 0)?;
    let versioned = matches!(subtype, PROTO_LACP | PROTO_MARKER);
    if versioned {
        if len < 2 {
            too_short(nd);
            return Ok(true);
        }
        let version = get_u8(p, 1)?;
        let name = if subtype == PROTO_LACP {
            "LACP"
        } else {
            "MARKER"
        };
        if version != VERSION {
            nd_print!(nd, "{name} version {version} packet not supported");
            return Ok(true);
        }
        nd_print!(nd, "{name}v{version}, length {len}");
    } else {
        nd_print!(
            nd,
            "{}, length {len}",
            tok2str(&PROTO_VALUES, "unknown (%u)", u32::from(subtype))
        );
        if subtype != PROTO_OAM {
            print_unknown_data(nd, p, 0, "\n\t", len);
            return Ok(true);
        }
    }
    if nd.opts.v > 0 {
        if subtype == PROTO_OAM {
            oam::print(nd, p, 1, len - 1)?;
        } else {
            marker_lacp_print(nd, p, 2, len - 2, subtype)?;
        }
    }
    Ok(true)
}

/// `goto tooshort` in `slow_print`.
fn too_short(nd: &mut Nd<'_>) {
    if nd.opts.v == 0 {
        nd.print(" (packet is too short)");
    } else {
        nd.print("\n\t\t packet is too short");
    }
}

/// The TLVs of LACP and marker PDUs (`slow_marker_lacp_print`).
fn marker_lacp_print(
    nd: &mut Nd<'_>,
    p: &[u8],
    mut at: usize,
    mut tlen: usize,
    subtype: u8,
) -> PResult {
    while tlen > 0 {
        if tlen < TLV_HEADER_LEN {
            nd.print("\n\t\t packet is too short");
            return Ok(());
        }
        let ty = get_u8(p, at)?;
        let tlv_len = usize::from(get_u8(p, at + 1)?);
        let key = u32::from(subtype) << 8 | u32::from(ty);
        nd_print!(
            nd,
            "\n\t{} TLV (0x{ty:02x}), length {tlv_len}",
            tok2str(&TLV_VALUES, "Unknown", key)
        );
        if ty == 0 {
            return Ok(());
        }
        if tlv_len < TLV_HEADER_LEN {
            nd_print!(
                nd,
                "\n\t    ERROR: illegal length - should be >= {TLV_HEADER_LEN}"
            );
            return Ok(());
        }
        if tlen < tlv_len {
            nd.print("\n\t\t packet is too short");
            return Ok(());
        }
        tcheck(p, at, tlv_len)?;
        let (v_at, v_len) = (at + TLV_HEADER_LEN, tlv_len - TLV_HEADER_LEN);
        tlv_value_print(nd, p, v_at, v_len, key)?;
        if nd.opts.v > 1 {
            print_unknown_data(nd, p, v_at, "\n\t  ", v_len);
        }
        at += tlv_len;
        tlen -= tlv_len;
    }
    Ok(())
}

/// `ERROR: illegal length` unless the value has the size its TLV type needs.
fn length_ok(nd: &mut Nd<'_>, v_len: usize, need: usize) -> bool {
    if v_len != need {
        nd_print!(
            nd,
            "\n\t    ERROR: illegal length - should be {}",
            TLV_HEADER_LEN + need
        );
    }
    v_len == need
}

/// The value of one TLV (the `switch` of `slow_marker_lacp_print`).
fn tlv_value_print(nd: &mut Nd<'_>, p: &[u8], at: usize, v_len: usize, key: u32) -> PResult {
    match key {
        0x101 | 0x102 => {
            if length_ok(nd, v_len, ACTOR_PARTNER_INFO_LEN) {
                let sys = etheraddr_at(nd, p, at + 2)?;
                nd_print!(
                    nd,
                    "\n\t  System {sys}, System Priority {}, Key {}, Port {}, Port Priority {}\
                     \n\t  State Flags [{}]",
                    get_be_u16(p, at)?,
                    get_be_u16(p, at + 8)?,
                    get_be_u16(p, at + 12)?,
                    get_be_u16(p, at + 10)?,
                    bittok2str(&STATE_VALUES, "none", u32::from(get_u8(p, at + 14)?))
                );
            }
        }
        0x103 => {
            if length_ok(nd, v_len, COLLECTOR_INFO_LEN) {
                nd_print!(nd, "\n\t  Max Delay {}", get_be_u16(p, at)?);
            }
        }
        0x201 => {
            if length_ok(nd, v_len, MARKER_INFO_LEN) {
                let sys = etheraddr_at(nd, p, at + 2)?;
                nd_print!(
                    nd,
                    "\n\t  Request System {sys}, Request Port {}, Request Transaction ID 0x{:08x}",
                    get_be_u16(p, at)?,
                    get_be_u32(p, at + 8)?
                );
            }
        }
        _ => {
            if nd.opts.v <= 1 {
                print_unknown_data(nd, p, at, "\n\t  ", v_len);
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capture::print::testing::{opts, with_nd};
    use proptest::prelude::*;

    fn run(data: &[u8], len: usize, v: u8) -> (String, PResult<bool>) {
        with_nd(&opts(v), |nd| print(nd, data, len))
    }

    /// LACPv1: an actor TLV, then the terminator.
    fn lacp() -> Vec<u8> {
        let mut d = vec![PROTO_LACP, VERSION, 1, 20, 0x80, 0, 0, 0xa0, 0xc9, 1, 2, 3];
        d.extend_from_slice(&[0, 0x11, 0, 0x80, 0, 5, 0x3d, 0, 0, 0]);
        d.extend_from_slice(&[0, 0]);
        d
    }

    #[test]
    fn oam_loopback_control() {
        let (out, r) = run(&[PROTO_OAM, 0, 0x50, 4, 1], 5, 1);
        assert_eq!(r, Ok(true));
        assert_eq!(
            out,
            "OAM, length 5\n\tCode Loopback Control OAM PDU, Flags [Local Stable, Remote Stable]\
             \n\t  Command Enable OAM Remote Loopback (1)"
        );
    }

    #[test]
    fn oam_info_tlv_at_its_offsets() {
        let mut d = vec![
            PROTO_OAM, 0, 0x08, 0, 1, 16, 1, 0, 2, 0x05, 0x15, 0x05, 0xee,
        ];
        d.extend_from_slice(&[0, 0x12, 0x0f, 0, 0, 0, 7, 0, 0]);
        let (out, r) = run(&d, d.len(), 1);
        assert_eq!(r, Ok(true));
        assert_eq!(
            out,
            "OAM, length 22\n\tCode Information OAM PDU, Flags [Local Evaluating]\
             \n\t  Local Information Type (1), length 16\n\t    OAM-Version 1, Revision 2\
             \n\t    State-Parser-Action looping back, State-MUX-Action discarding\
             \n\t    OAM-Config Flags [Active, Remote-Loopback, Variable-Retrieval], \
             OAM-PDU-Config max-PDU size 1518\
             \n\t    OUI IEEE 802.3 Private (0x00120f), Vendor-Private 0x00000007\
             \n\t  End of TLV marker Information Type (0), length 0"
        );
    }

    #[test]
    fn lacp_actor_fields_at_their_offsets() {
        let d = lacp();
        let (out, r) = run(&d, d.len(), 1);
        assert_eq!(r, Ok(true));
        assert!(out.contains("System 00:a0:c9:01:02:03"), "{out}");
        assert!(out.contains("Key 17, Port 5, Port Priority 128"), "{out}");
    }

    #[test]
    fn every_prefix_prints_without_panic_and_stops_at_the_capture() {
        let d = lacp();
        for cut in 0..d.len() {
            let (_, r) = run(d.get(..cut).unwrap_or(&[]), d.len(), 1);
            assert!(r.is_err(), "cut {cut}");
        }
    }

    proptest! {
        #[test]
        fn arbitrary_pdus_never_panic(
            data in proptest::collection::vec(any::<u8>(), 0..120),
            len in 0usize..200,
            v in 0u8..3,
        ) {
            let _ = run(&data, len, v);
        }
    }
}
