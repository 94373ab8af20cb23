//! Unit tests of the LLDP printer: fields at their offsets, the truncation rules, no panic.

use super::*;
use crate::capture::print::testing::{opts, with_nd};
use proptest::prelude::*;

fn run(data: &[u8], v: u8) -> (String, PResult) {
    with_nd(&opts(v), |nd| print(nd, data, data.len()))
}

fn tlv(ty: u16, value: &[u8]) -> Vec<u8> {
    let mut t = (ty << 9 | value.len() as u16).to_be_bytes().to_vec();
    t.extend_from_slice(value);
    t
}

/// Chassis MAC, port name, TTL, system name, an 802.3 MTU, a management address, the end.
fn pdu() -> Vec<u8> {
    let mut d = tlv(1, &[4, 0, 0x19, 0x2f, 1, 2, 3]);
    d.extend(tlv(2, b"\x05eth0"));
    d.extend(tlv(3, &[0, 120]));
    d.extend(tlv(5, b"sw1"));
    d.extend(tlv(127, &[0x00, 0x12, 0x0f, 4, 0x05, 0xee]));
    d.extend(tlv(8, &[5, 1, 10, 0, 0, 1, 2, 0, 0, 0, 3, 0]));
    d.extend(tlv(0, &[]));
    d
}

#[test]
fn tlvs_at_their_offsets() {
    let (out, r) = run(&pdu(), 1);
    assert_eq!(r, Ok(()));
    assert_eq!(
        out,
        "LLDP, length 49\n\tChassis ID TLV (1), length 7\n\t  Subtype MAC address (4): \
         00:19:2f:01:02:03\n\tPort ID TLV (2), length 5\n\t  Subtype Interface Name (5): eth0\
         \n\tTime to Live TLV (3), length 2: TTL 120s\n\tSystem Name TLV (5), length 3: sw1\
         \n\tOrganization specific TLV (127), length 6: OUI IEEE 802.3 Private (0x00120f)\
         \n\t  Max frame size Subtype (4)\n\t    MTU size 1518\
         \n\tManagement Address TLV (8), length 12\n\t  Management Address length 5, \
         AFI IPv4 (1): 10.0.0.1\n\t  Interface Index Interface Numbering (2): 3\
         \n\tEnd TLV (0), length 0"
    );
}

#[test]
fn without_v_only_the_system_name() {
    let (out, r) = run(&pdu(), 0);
    assert_eq!(r, Ok(()));
    assert_eq!(out, "LLDP, length 49: sw1");
}

#[test]
fn a_tlv_past_the_capture_prints_the_marker() {
    let d = pdu();
    for cut in 2..d.len() - 2 {
        let (out, r) = with_nd(&opts(1), |nd| {
            print(nd, d.get(..cut).unwrap_or(&[]), d.len())
        });
        assert_eq!(r, Ok(()), "cut {cut}");
        assert!(out.ends_with(" [|lldp]"), "cut {cut}: {out}");
    }
}

#[test]
fn a_short_management_address_prints_nothing_of_it() {
    let d = tlv(8, &[5, 1, 10, 0]);
    let (out, r) = run(&d, 1);
    assert_eq!(r, Ok(()));
    assert_eq!(
        out,
        "LLDP, length 6\n\tManagement Address TLV (8), length 4 [|lldp]"
    );
}

proptest! {
    #[test]
    fn arbitrary_pdus_never_panic(
        data in proptest::collection::vec(any::<u8>(), 0..200),
        v in 0u8..3,
    ) {
        let _ = run(&data, v);
    }

    #[test]
    fn arbitrary_org_tlvs_never_panic(
        oui in prop::sample::select(vec![0x0080c2u32, 0x00120f, 0x00005e, 0x0012bb, 0x001b21]),
        sub in 0u8..16,
        body in proptest::collection::vec(any::<u8>(), 0..60),
        v in 1u8..3,
    ) {
        let mut value = oui.to_be_bytes()[1..].to_vec();
        value.push(sub);
        value.extend(body);
        let _ = run(&tlv(127, &value), v);
    }
}
