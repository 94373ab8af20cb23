//! BFD (draft-ietf-bfd-base-01 for version 0, RFC 5880 for version 1, RFC 5881, RFC 5883,
//! RFC 7130), mirroring print-bfd.c at tcpdump-4.99.3: control packets on the single-hop,
//! multihop and LAG ports with their authentication section, echo packets as hex.
//!
//! Must not do I/O: it only reads the captured bytes.

use super::tok::{bittok2str, tok2str, Tok};
use super::util::print_unknown_data;
use super::{get_be_u32, get_u8, tcheck, Nd, PResult};
use crate::nd_print;

/// The UDP destination ports print-udp.c hands to this printer (udp.h).
pub const CONTROL_PORT: u16 = 3784;
pub const MULTIHOP_PORT: u16 = 4784;
pub const LAG_PORT: u16 = 6784;
pub const ECHO_PORT: u16 = 3785;

/// Field offsets of the control header (print-bfd.c `struct bfd_header_t`).
mod field {
    pub const VERSION_DIAG: usize = 0;
    pub const FLAGS: usize = 1;
    pub const DETECT_MULT: usize = 2;
    pub const LENGTH: usize = 3;
    pub const MY_DISC: usize = 4;
    pub const YOUR_DISC: usize = 8;
    pub const MIN_TX: usize = 12;
    pub const MIN_RX: usize = 16;
    pub const MIN_ECHO: usize = 20;
    /// The authentication section follows the header.
    pub const AUTH: usize = 24;
}

/// print-bfd.c `bfd_v1_authentication_values`.
const AUTH_TYPES: &[Tok] = &[
    (1, "Simple Password"),
    (2, "Keyed MD5"),
    (3, "Meticulous Keyed MD5"),
    (4, "Keyed SHA1"),
    (5, "Meticulous Keyed SHA1"),
];

/// print-bfd.c `bfd_diag_values`.
const DIAGS: &[Tok] = &[
    (0, "No Diagnostic"),
    (1, "Control Detection Time Expired"),
    (2, "Echo Function Failed"),
    (3, "Neighbor Signaled Session Down"),
    (4, "Forwarding Plane Reset"),
    (5, "Path Down"),
    (6, "Concatenated Path Down"),
    (7, "Administratively Down"),
    (8, "Reverse Concatenated Path Down"),
];

/// print-bfd.c `bfd_port_values`.
const PORTS: &[Tok] = &[
    (CONTROL_PORT as u32, "Control"),
    (MULTIHOP_PORT as u32, "Multihop"),
    (LAG_PORT as u32, "Lag"),
];

const FLAG_AUTH: u8 = 0x04;

/// print-bfd.c `bfd_v0_flag_values`.
const V0_FLAGS: &[Tok] = &[
    (0x80, "I Hear You"),
    (0x40, "Demand"),
    (0x20, "Poll"),
    (0x10, "Final"),
    (0x08, "Control Plane Independent"),
    (FLAG_AUTH as u32, "Authentication Present"),
    (0x02, "Reserved"),
    (0x01, "Reserved"),
];

/// print-bfd.c `bfd_v1_flag_values`.
const V1_FLAGS: &[Tok] = &[
    (0x20, "Poll"),
    (0x10, "Final"),
    (0x08, "Control Plane Independent"),
    (FLAG_AUTH as u32, "Authentication Present"),
    (0x02, "Demand"),
    (0x01, "Multipoint"),
];

/// print-bfd.c `bfd_v1_state_values`.
const V1_STATES: &[Tok] = &[(0, "AdminDown"), (1, "Down"), (2, "Init"), (3, "Up")];

/// Print the BFD packet at `data`, `len` bytes on the wire, sent to UDP port `port`
/// (print-bfd.c `bfd_print`).
pub fn print(nd: &mut Nd<'_>, data: &[u8], len: u32, port: u16) -> PResult {
    nd.protocol = "bfd";
    match port {
        CONTROL_PORT | MULTIHOP_PORT | LAG_PORT => control_print(nd, data, len, port),
        ECHO_PORT => {
            nd_print!(nd, "BFD, Echo, length: {len}");
            unknown(nd, data, len);
            Ok(())
        }
        _ => {
            nd_print!(nd, "BFD, unknown ({port}), length: {len}");
            unknown(nd, data, len);
            Ok(())
        }
    }
}

/// The payload as hex at `-v`.
fn unknown(nd: &mut Nd<'_>, data: &[u8], len: u32) {
    if nd.opts.v >= 1 {
        print_unknown_data(nd, data, 0, "\n\t", len as usize);
    }
}

/// A control packet of any version.
fn control_print(nd: &mut Nd<'_>, data: &[u8], len: u32, port: u16) -> PResult {
    tcheck(data, 0, field::AUTH)?;
    let version_diag = get_u8(data, field::VERSION_DIAG)?;
    let version = version_diag >> 5;
    let diag = u32::from(version_diag & 0x1f);
    let flags = get_u8(data, field::FLAGS)?;
    let verbose = nd.opts.v >= 1;
    match version {
        0 if !verbose => {
            let f = bittok2str(V0_FLAGS, "none", flags.into());
            nd_print!(nd, "BFDv0, Control, Flags: [{f}], length: {len}");
            return Ok(());
        }
        0 => {
            let f = bittok2str(V0_FLAGS, "none", flags.into());
            nd_print!(nd, "BFDv0, length: {len}\n\tControl, Flags: [{f}]");
        }
        1 => {
            let kind = tok2str(PORTS, "unknown (%u)", port.into());
            let state = tok2str(V1_STATES, "unknown (%u)", u32::from(flags >> 6));
            let f = bittok2str(V1_FLAGS, "none", u32::from(flags & 0x3f));
            if !verbose {
                nd_print!(
                    nd,
                    "BFDv1, {kind}, State {state}, Flags: [{f}], length: {len}"
                );
                return Ok(());
            }
            nd_print!(
                nd,
                "BFDv1, length: {len}\n\t{kind}, State {state}, Flags: [{f}]"
            );
        }
        _ => {
            nd_print!(nd, "BFDv{version}, Control, length: {len}");
            unknown(nd, data, len);
            return Ok(());
        }
    }
    let d = tok2str(DIAGS, "unknown", diag);
    nd_print!(nd, ", Diagnostic: {d} (0x{diag:02x})");
    timers_print(nd, data)?;
    if flags & FLAG_AUTH != 0 {
        auth_print(nd, data)?;
    }
    Ok(())
}

/// The multiplier, discriminators and intervals at `-v`.
fn timers_print(nd: &mut Nd<'_>, data: &[u8]) -> PResult {
    let mult = get_u8(data, field::DETECT_MULT)?;
    let min_tx = get_be_u32(data, field::MIN_TX)?;
    // C's unsigned int arithmetic: the product wraps at 32 bits.
    let detect = u32::from(mult).wrapping_mul(min_tx) / 1000;
    let blen = get_u8(data, field::LENGTH)?;
    nd_print!(
        nd,
        "\n\tDetection Timer Multiplier: {mult} ({detect} ms Detection time), BFD Length: {blen}"
    );
    let my = get_be_u32(data, field::MY_DISC)?;
    let your = get_be_u32(data, field::YOUR_DISC)?;
    nd_print!(
        nd,
        "\n\tMy Discriminator: 0x{my:08x}, Your Discriminator: 0x{your:08x}"
    );
    let rx = get_be_u32(data, field::MIN_RX)?;
    let echo = get_be_u32(data, field::MIN_ECHO)?;
    nd_print!(
        nd,
        "\n\t  Desired min Tx Interval:    {:4} ms",
        min_tx / 1000
    );
    nd_print!(nd, "\n\t  Required min Rx Interval:   {:4} ms", rx / 1000);
    nd_print!(nd, "\n\t  Required min Echo Interval: {:4} ms", echo / 1000);
    Ok(())
}

/// The authentication section after the header (print-bfd.c `auth_print`).
fn auth_print(nd: &mut Nd<'_>, data: &[u8]) -> PResult {
    let at = field::AUTH;
    tcheck(data, at, 4)?;
    let auth_type = get_u8(data, at)?;
    let auth_len = get_u8(data, at + 1)?;
    let name = tok2str(AUTH_TYPES, "Unknown", auth_type.into());
    nd_print!(
        nd,
        "\n\tAuthentication: {name} ({auth_type}), length: {auth_len}"
    );
    nd_print!(nd, "\n\t  Auth Key ID: {}", get_u8(data, at + 2)?);
    match auth_type {
        1 => {
            if !(4..=19).contains(&auth_len) {
                nd_print!(nd, "[invalid length {auth_len}]");
                return Ok(());
            }
            nd.print(", Password: ");
            super::util::printjn(nd, data, at + 3, usize::from(auth_len) - 3)?;
        }
        2 | 3 => digest_print(nd, data, auth_len, 24, "Digest")?,
        4 | 5 => digest_print(nd, data, auth_len, 28, "Hash")?,
        _ => {}
    }
    Ok(())
}

/// The sequence number and the MD5 digest or SHA1 hash of a `field_len`-byte section.
fn digest_print(nd: &mut Nd<'_>, data: &[u8], auth_len: u8, field_len: u8, what: &str) -> PResult {
    if auth_len != field_len {
        nd_print!(nd, "[invalid length {auth_len}]");
        return Ok(());
    }
    let at = field::AUTH + 4;
    nd_print!(nd, ", Sequence Number: 0x{:08x}", get_be_u32(data, at)?);
    let hash_len = usize::from(field_len) - 8;
    tcheck(data, at + 4, hash_len)?;
    nd_print!(nd, "\n\t  {what}: ");
    for i in 0..hash_len {
        nd_print!(nd, "{:02x}", get_u8(data, at + 4 + i)?);
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::capture::print::testing::{opts, with_nd};
    use proptest::prelude::*;

    fn run(data: &[u8], port: u16, v: u8) -> (String, PResult) {
        with_nd(&opts(v), |nd| {
            print(nd, data, u32::try_from(data.len()).unwrap_or(0), port)
        })
    }

    /// A BFDv1 control packet, state Up, with a Keyed SHA1 section.
    fn sha1() -> Vec<u8> {
        let mut d = vec![0x20, 0xc4, 3, 52]; // v1 diag 0, Up + auth, mult 3, length 52
        for w in [1u32, 2, 300_000, 300_000, 0] {
            d.extend_from_slice(&w.to_be_bytes());
        }
        d.extend_from_slice(&[4, 28, 7, 0, 0, 0, 0, 9]); // type, len, key id, seq 9
        d.extend_from_slice(&[0xab; 20]);
        d
    }

    #[test]
    fn terse_and_verbose_lines() {
        let (out, r) = run(&sha1(), CONTROL_PORT, 0);
        assert_eq!(r, Ok(()));
        assert_eq!(
            out,
            "BFDv1, Control, State Up, Flags: [Authentication Present], length: 52"
        );
        let (out, _) = run(&sha1(), MULTIHOP_PORT, 1);
        assert!(out.contains("\n\tMultihop, State Up"), "{out}");
        assert!(out.contains("(900 ms Detection time)"), "{out}");
        assert!(
            out.ends_with(&format!("Hash: {}", "ab".repeat(20))),
            "{out}"
        );
    }

    #[test]
    fn a_wrong_auth_length_is_named() {
        let mut d = sha1();
        d[25] = 27;
        let (out, _) = run(&d, CONTROL_PORT, 1);
        assert!(out.ends_with("Auth Key ID: 7[invalid length 27]"), "{out}");
    }

    #[test]
    fn every_prefix_prints_without_panic() {
        let d = sha1();
        for cut in 0..d.len() {
            let (_, r) = run(d.get(..cut).unwrap_or(&[]), CONTROL_PORT, 1);
            assert_eq!(r, Err(super::super::Trunc), "cut {cut}");
        }
    }

    proptest! {
        #[test]
        fn arbitrary_packets_never_panic(
            data in proptest::collection::vec(any::<u8>(), 0..64),
            port in prop_oneof![Just(CONTROL_PORT), Just(LAG_PORT), Just(ECHO_PORT), Just(1u16)],
            v in 0u8..3,
        ) {
            let _ = run(&data, port, v);
        }
    }
}
