//! Unit tests of the 802.11 and radiotap printers: fields at their offsets, truncation, no
//! panic.

use super::*;
use crate::capture::print::testing::{opts, with_nd};
use proptest::prelude::*;

fn run(data: &[u8], v: u8) -> (String, PResult) {
    with_nd(&opts(v), |nd| print(nd, data, data.len() as u32))
}

fn radio(data: &[u8], v: u8) -> (String, PResult) {
    with_nd(&opts(v), |nd| radiotap::print(nd, data, data.len() as u32))
}

/// A beacon: header, timestamp, interval, capabilities (ESS, privacy), SSID, rates, DS.
fn beacon() -> Vec<u8> {
    let mut f = vec![0x80, 0, 0, 0];
    f.extend_from_slice(&[0xff; 6]);
    f.extend_from_slice(&[0, 0x11, 0x22, 0x33, 0x44, 0x55]);
    f.extend_from_slice(&[0, 0x11, 0x22, 0x33, 0x44, 0x55]);
    f.extend_from_slice(&[0x10, 0]);
    f.extend_from_slice(&[0; 8]);
    f.extend_from_slice(&[0x64, 0, 0x11, 0]);
    f.extend_from_slice(&[0, 3, b'l', b'a', b'b', 1, 2, 0x82, 0x0c, 3, 1, 6]);
    f
}

#[test]
fn beacon_elements() {
    let (out, r) = run(&beacon(), 0);
    assert_eq!(r, Ok(()));
    assert_eq!(out, "Beacon (lab) [1.0* 6.0 Mbit] ESS CH: 6, PRIVACY");
}

#[test]
fn an_element_past_the_capture_prints_the_marker() {
    let f = beacon();
    let (out, r) = with_nd(&opts(0), |nd| {
        print(nd, f.get(..f.len() - 2).unwrap_or(&[]), f.len() as u32)
    });
    assert_eq!(r, Ok(()));
    assert_eq!(out, "Beacon (lab) [1.0* 6.0 Mbit] ESS, PRIVACY [|802.11]");
}

#[test]
fn radiotap_fields_at_their_alignment() {
    // TSFT, flags, rate, channel, antenna signal; the TSFT is aligned to 8.
    let mut h = vec![0, 0, 0, 0, 0x2f, 0, 0, 0];
    h.extend_from_slice(&7u64.to_le_bytes());
    h.extend_from_slice(&[0x02, 0x02]);
    h.extend_from_slice(&2412u16.to_le_bytes());
    h.extend_from_slice(&0x00a0u16.to_le_bytes());
    h.push(0xd6);
    let n = h.len() as u16;
    h.splice(2..4, n.to_le_bytes());
    h.extend(beacon());
    let (out, r) = radio(&h, 0);
    assert_eq!(r, Ok(()));
    assert_eq!(
        out,
        "7us tsft short preamble 1.0 Mb/s 2412 MHz 11b -42dBm signal \
         Beacon (lab) [1.0* 6.0 Mbit] ESS CH: 6, PRIVACY"
    );
}

/// A QoS data frame between mesh stations (four addresses) whose body starts with a mesh
/// control header of extension mode 1 (a fourth address), then an LLC/SNAP header.
fn mesh_data() -> Vec<u8> {
    let mut f = vec![0x88, 0x03, 0, 0];
    for last in 1..=3 {
        f.extend_from_slice(&[2, 0, 0, 0, 0, last]);
    }
    f.extend_from_slice(&[0x10, 0, 2, 0, 0, 0, 0, 4, 0, 0]);
    f.extend_from_slice(&[0x01, 5, 2, 1, 0, 0, 2, 0, 0, 0, 0, 9]);
    f.extend_from_slice(&[0xaa, 0xaa, 0x03, 0, 0, 0, 0x88, 0xb5]);
    f
}

#[test]
fn mesh_control_headers_with_h() {
    let f = mesh_data();
    let o = |h, e| crate::capture::print::PrintOptions { h, e, ..opts(0) };
    let (out, r) = with_nd(&o(1, 1), |nd| print(nd, &f, f.len() as u32));
    assert_eq!(r, Ok(()));
    assert!(
        out.starts_with(
            "MeshData (AE 1 TTL 5 seq 258 A4:02:00:00:00:00:09) CF +QoS RA:02:00:00:00:00:01 \
             TA:02:00:00:00:00:02 DA:02:00:00:00:00:03 SA:02:00:00:00:00:04 "
        ),
        "{out}"
    );
    // Without -H the mesh header is read as the LLC header.
    let (plain, _) = with_nd(&o(0, 1), |nd| print(nd, &f, f.len() as u32));
    assert!(!plain.contains("MeshData"), "{plain}");
    // A body cut before the mesh flags, or inside the mesh header.
    for cut in [32, 36] {
        let part = f.get(..cut).unwrap_or(&[]);
        let (out, r) = with_nd(&o(1, 0), |nd| print(nd, part, f.len() as u32));
        assert_eq!((out.as_str(), r), (" [|802.11]", Ok(())), "{cut}");
    }
    let mut reserved = f.clone();
    if let Some(flags) = reserved.get_mut(32) {
        *flags = 0x04;
    }
    let (out, _) = with_nd(&o(1, 1), |nd| print(nd, &reserved, f.len() as u32));
    assert!(!out.contains("MeshData"), "{out}");
}

proptest! {
    #[test]
    fn arbitrary_frames_never_panic(
        data in proptest::collection::vec(any::<u8>(), 0..120),
        v in 0u8..3,
        e in 0u8..2,
    ) {
        let o = crate::capture::print::PrintOptions { e, h: e, ..opts(v) };
        let _ = with_nd(&o, |nd| print(nd, &data, data.len() as u32));
        let _ = with_nd(&o, |nd| radiotap::print(nd, &data, data.len() as u32));
    }
}
