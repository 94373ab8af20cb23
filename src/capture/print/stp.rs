//! IEEE 802.1D spanning tree BPDUs (print-stp.c at tcpdump-4.99.3): STP configuration and
//! topology-change BPDUs, 802.1w RSTP, 802.1s/802.1Q MSTP with its MSTI records and
//! 802.1aq SPB's version 4 part.
//!
//! Must not do I/O: it only reads the captured bytes.

use super::tok::{bittok2str, tok2str, Tok};
use super::util::{print_invalid, printjnp};
use super::{get_be_u16, get_be_u32, get_u8, Nd, PResult};
use crate::nd_print;

/// Field offsets of the BPDU (print-stp.c `struct stp_bpdu_`).
mod field {
    pub const PROTOCOL_ID: usize = 0;
    pub const VERSION: usize = 2;
    pub const BPDU_TYPE: usize = 3;
    pub const FLAGS: usize = 4;
    pub const ROOT_ID: usize = 5;
    pub const ROOT_PATH_COST: usize = 13;
    pub const BRIDGE_ID: usize = 17;
    pub const PORT_ID: usize = 25;
    pub const MESSAGE_AGE: usize = 27;
    pub const MAX_AGE: usize = 29;
    pub const HELLO_TIME: usize = 31;
    pub const FORWARD_DELAY: usize = 33;
    pub const V1_LENGTH: usize = 35;
    /// `sizeof(struct stp_bpdu_)`.
    pub const BPDU_LEN: usize = 36;
    // MSTP (print-stp.c `MST_BPDU_*_OFFSET`).
    pub const V3_LEN: usize = 36;
    pub const MCID_NAME: usize = 39;
    pub const MCID_DIGEST: usize = 73;
    pub const CIST_INT_PATH_COST: usize = 89;
    pub const CIST_BRIDGE_ID: usize = 93;
    pub const CIST_REMAIN_HOPS: usize = 101;
    pub const MSTI: usize = 102;
    // Within an MSTI record.
    pub const MSTI_ROOT: usize = 1;
    pub const MSTI_PATH_COST: usize = 9;
    pub const MSTI_BRIDGE_PRIO: usize = 13;
    pub const MSTI_PORT_PRIO: usize = 14;
    pub const MSTI_HOPS: usize = 15;
    // SPB, from the start of the version 4 part (print-stp.c `SPB_BPDU_*_OFFSET`).
    pub const SPB_NAME: usize = 3;
    pub const SPB_REV: usize = 35;
    pub const SPB_DIGEST: usize = 37;
    pub const SPB_AGREEMENT: usize = 53;
    pub const SPB_FORMAT: usize = 55;
    pub const SPB_CONVENTION: usize = 56;
    pub const SPB_EDGE: usize = 57;
    pub const SPB_AGREEMENT_DIGEST: usize = 67;
}

const PROTO_REGULAR: u8 = 0x00;
const PROTO_RAPID: u8 = 0x02;
const PROTO_MSTP: u8 = 0x03;
const PROTO_SPB: u8 = 0x04;

const TYPE_CONFIG: u8 = 0x00;
const TYPE_RSTP: u8 = 0x02;

/// An MSTP BPDU up to its first MSTI (`STP_BPDU_MSTP_MIN_LEN`).
const MSTP_MIN_LEN: usize = 102;
const MSTI_LEN: usize = 16;
/// The MST configuration identifier counted in the version 3 length.
const MST_CONFIG_INFO_LEN: u16 = 64;
const SPB_MIN_LEN: usize = 87;

/// print-stp.c `stp_proto_values`.
const PROTO_VALUES: [Tok; 4] = [
    (0x00, "802.1d"),
    (0x02, "802.1w"),
    (0x03, "802.1s"),
    (0x04, "802.1aq"),
];

/// print-stp.c `stp_bpdu_flag_values`.
const FLAG_VALUES: [Tok; 6] = [
    (0x01, "Topology change"),
    (0x02, "Proposal"),
    (0x10, "Learn"),
    (0x20, "Forward"),
    (0x40, "Agreement"),
    (0x80, "Topology change ACK"),
];

/// print-stp.c `stp_bpdu_type_values`.
const TYPE_VALUES: [Tok; 3] = [
    (0x00, "Config"),
    (0x02, "Rapid STP"),
    (0x80, "Topology Change"),
];

/// print-stp.c `rstp_obj_port_role_values`.
const PORT_ROLE_VALUES: [Tok; 4] = [
    (0x00, "Unknown"),
    (0x01, "Alternate"),
    (0x02, "Root"),
    (0x03, "Designated"),
];

/// `RSTP_EXTRACT_PORT_ROLE`.
fn port_role(flags: u8) -> super::tok::Tok2Str {
    tok2str(&PORT_ROLE_VALUES, "Unknown", u32::from((flags & 0x0c) >> 2))
}

/// Print a BPDU of on-wire length `length` (`stp_print`).
pub fn print(nd: &mut Nd<'_>, p: &[u8], length: usize) -> PResult {
    nd.protocol = "stp";
    if length < 4 {
        print_invalid(nd);
        return Ok(());
    }
    if get_be_u16(p, field::PROTOCOL_ID)? != 0 {
        nd_print!(nd, "unknown STP version, length {length}");
        return Ok(());
    }
    let version = get_u8(p, field::VERSION)?;
    nd_print!(
        nd,
        "STP {}",
        tok2str(
            &PROTO_VALUES,
            "Unknown STP protocol (0x%02x)",
            u32::from(version)
        )
    );
    if !matches!(
        version,
        PROTO_REGULAR | PROTO_RAPID | PROTO_MSTP | PROTO_SPB
    ) {
        return Ok(());
    }
    let bpdu_type = get_u8(p, field::BPDU_TYPE)?;
    nd_print!(
        nd,
        ", {}",
        tok2str(
            &TYPE_VALUES,
            "Unknown BPDU Type (0x%02x)",
            u32::from(bpdu_type)
        )
    );
    let valid = match (bpdu_type, version) {
        (TYPE_CONFIG, _) => {
            length >= field::BPDU_LEN - 1 && {
                config_print(nd, p, length)?;
                true
            }
        }
        (TYPE_RSTP, PROTO_RAPID) => {
            length >= field::BPDU_LEN && {
                config_print(nd, p, length)?;
                true
            }
        }
        (TYPE_RSTP, PROTO_MSTP | PROTO_SPB) => mstp_spb_print(nd, p, length, version)?,
        _ => true,
    };
    if !valid {
        print_invalid(nd);
    }
    Ok(())
}

/// The MSTP part and, for SPB, the version 4 part after checking their lengths: `Ok(false)`
/// where tcpdump jumps to `invalid`.
fn mstp_spb_print(nd: &mut Nd<'_>, p: &[u8], length: usize, version: u8) -> PResult<bool> {
    if length < MSTP_MIN_LEN || get_u8(p, field::V1_LENGTH)? != 0 {
        return Ok(false);
    }
    let mstp_len = usize::from(get_be_u16(p, field::V3_LEN)?) + 2;
    if length < field::BPDU_LEN + mstp_len {
        return Ok(false);
    }
    mstp_print(nd, p, length)?;
    if version != PROTO_SPB {
        return Ok(true);
    }
    let spb_len = usize::from(get_be_u16(p, field::V3_LEN + mstp_len)?) + 2;
    if length < field::BPDU_LEN + mstp_len + spb_len || spb_len < SPB_MIN_LEN {
        return Ok(false);
    }
    spb_print(nd, p, field::BPDU_LEN + mstp_len)?;
    Ok(true)
}

/// A bridge id, read whole before anything of its line is printed (`stp_print_bridge_id`
/// formats it into a buffer first).
struct BridgeId([u8; 8]);

impl std::fmt::Display for BridgeId {
    /// `pppp.aa:bb:cc:dd:ee:ff`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let [p0, p1, a, b, c, d, e, g] = self.0;
        write!(
            f,
            "{p0:02x}{p1:02x}.{a:02x}:{b:02x}:{c:02x}:{d:02x}:{e:02x}:{g:02x}"
        )
    }
}

fn bridge_id(p: &[u8], at: usize) -> PResult<BridgeId> {
    super::get_array(p, at).map(BridgeId)
}

/// `N` big-endian words printed `%08x` each, read whole first (one `ND_PRINT`).
struct Digest<const N: usize>([u32; N]);

impl<const N: usize> std::fmt::Display for Digest<N> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.iter().try_for_each(|w| write!(f, "{w:08x}"))
    }
}

fn digest<const N: usize>(p: &[u8], at: usize) -> PResult<Digest<N>> {
    let mut words = [0u32; N];
    for (i, w) in words.iter_mut().enumerate() {
        *w = get_be_u32(p, at + 4 * i)?;
    }
    Ok(Digest(words))
}

/// A timer in 1/256 s, as tcpdump prints it: `%.2f` of a float.
fn timer(p: &[u8], at: usize) -> PResult<f32> {
    Ok(f32::from(get_be_u16(p, at)?) / 256.0)
}

/// `message-age .., max-age .., hello-time .., forwarding-delay ..`.
fn timers_print(nd: &mut Nd<'_>, p: &[u8]) -> PResult {
    nd_print!(
        nd,
        "\n\tmessage-age {:.2}s, max-age {:.2}s, hello-time {:.2}s, forwarding-delay {:.2}s",
        timer(p, field::MESSAGE_AGE)?,
        timer(p, field::MAX_AGE)?,
        timer(p, field::HELLO_TIME)?,
        timer(p, field::FORWARD_DELAY)?
    );
    Ok(())
}

/// A configuration or RSTP BPDU (`stp_print_config_bpdu`).
fn config_print(nd: &mut Nd<'_>, p: &[u8], length: usize) -> PResult {
    let flags = get_u8(p, field::FLAGS)?;
    nd_print!(
        nd,
        ", Flags [{}]",
        bittok2str(&FLAG_VALUES, "none", u32::from(flags))
    );
    nd_print!(
        nd,
        ", bridge-id {}.{:04x}, length {length}",
        bridge_id(p, field::BRIDGE_ID)?,
        get_be_u16(p, field::PORT_ID)?
    );
    if nd.opts.v == 0 {
        return Ok(());
    }
    timers_print(nd, p)?;
    nd_print!(
        nd,
        "\n\troot-id {}, root-pathcost {}",
        bridge_id(p, field::ROOT_ID)?,
        get_be_u32(p, field::ROOT_PATH_COST)?
    );
    if get_u8(p, field::VERSION)? == PROTO_RAPID {
        nd_print!(nd, ", port-role {}", port_role(flags));
    }
    Ok(())
}

/// An MSTP BPDU: the CIST and every MSTI (`stp_print_mstp_bpdu`).
fn mstp_print(nd: &mut Nd<'_>, p: &[u8], length: usize) -> PResult {
    let flags = get_u8(p, field::FLAGS)?;
    nd_print!(
        nd,
        ", CIST Flags [{}], length {length}",
        bittok2str(&FLAG_VALUES, "none", u32::from(flags))
    );
    if nd.opts.v == 0 {
        return Ok(());
    }
    nd_print!(nd, "\n\tport-role {}, ", port_role(flags));
    nd_print!(
        nd,
        "CIST root-id {}, CIST ext-pathcost {}",
        bridge_id(p, field::ROOT_ID)?,
        get_be_u32(p, field::ROOT_PATH_COST)?
    );
    nd_print!(
        nd,
        "\n\tCIST regional-root-id {}, ",
        bridge_id(p, field::BRIDGE_ID)?
    );
    nd_print!(nd, "CIST port-id {:04x},", get_be_u16(p, field::PORT_ID)?);
    timers_print(nd, p)?;
    nd_print!(nd, "\n\tv3len {}, ", get_be_u16(p, field::V3_LEN)?);
    nd.print("MCID Name ");
    printjnp(nd, p, field::MCID_NAME, 32)?;
    nd_print!(
        nd,
        ", rev {},\n\t\tdigest {}, ",
        get_be_u16(p, field::MCID_NAME + 32)?,
        digest::<4>(p, field::MCID_DIGEST)?
    );
    nd_print!(
        nd,
        "CIST int-root-pathcost {},",
        get_be_u32(p, field::CIST_INT_PATH_COST)?
    );
    nd_print!(
        nd,
        "\n\tCIST bridge-id {}, ",
        bridge_id(p, field::CIST_BRIDGE_ID)?
    );
    nd_print!(
        nd,
        "CIST remaining-hops {}",
        get_u8(p, field::CIST_REMAIN_HOPS)?
    );
    let v3len = get_be_u16(p, field::V3_LEN)?;
    if v3len > MST_CONFIG_INFO_LEN {
        let mut len = usize::from(v3len - MST_CONFIG_INFO_LEN);
        let mut at = field::MSTI;
        while len >= MSTI_LEN {
            msti_print(nd, p, at)?;
            len -= MSTI_LEN;
            at += MSTI_LEN;
        }
    }
    Ok(())
}

/// One MSTI configuration message.
fn msti_print(nd: &mut Nd<'_>, p: &[u8], at: usize) -> PResult {
    let msti = get_be_u16(p, at + field::MSTI_ROOT)? & 0x0fff;
    let flags = get_u8(p, at)?;
    nd_print!(
        nd,
        "\n\tMSTI {msti}, Flags [{}], port-role {}",
        bittok2str(&FLAG_VALUES, "none", u32::from(flags)),
        port_role(flags)
    );
    nd_print!(
        nd,
        "\n\t\tMSTI regional-root-id {}, pathcost {}",
        bridge_id(p, at + field::MSTI_ROOT)?,
        get_be_u32(p, at + field::MSTI_PATH_COST)?
    );
    nd_print!(
        nd,
        "\n\t\tMSTI bridge-prio {}, port-prio {}, hops {}",
        get_u8(p, at + field::MSTI_BRIDGE_PRIO)? >> 4,
        get_u8(p, at + field::MSTI_PORT_PRIO)? >> 4,
        get_u8(p, at + field::MSTI_HOPS)?
    );
    Ok(())
}

/// SPB's version 4 part starting at `off` (`stp_print_spb_bpdu`).
fn spb_print(nd: &mut Nd<'_>, p: &[u8], off: usize) -> PResult {
    if nd.opts.v == 0 {
        return Ok(());
    }
    nd_print!(nd, "\n\tv4len {}, ", get_be_u16(p, off)?);
    nd.print("AUXMCID Name ");
    printjnp(nd, p, off + field::SPB_NAME, 32)?;
    nd_print!(
        nd,
        ", Rev {},\n\t\tdigest {}",
        get_be_u16(p, off + field::SPB_REV)?,
        digest::<4>(p, off + field::SPB_DIGEST)?
    );
    let agreement = get_u8(p, off + field::SPB_AGREEMENT)?;
    let format = get_u8(p, off + field::SPB_FORMAT)?;
    let convention = get_u8(p, off + field::SPB_CONVENTION)?;
    let edge = get_be_u16(p, off + field::SPB_EDGE)?;
    let agreement_digest = digest::<5>(p, off + field::SPB_AGREEMENT_DIGEST)?;
    nd_print!(
        nd,
        "\n\tAgreement num {}, Discarded Agreement num {}, Agreement valid-flag {},\n\t\
         Restricted role-flag: {}, Format id {} cap {}, Convention id {} cap {},\n\t\
         Edge count {edge}, Agreement digest {agreement_digest}",
        agreement >> 6,
        (agreement >> 4) & 0x3,
        (agreement >> 3) & 0x1,
        (agreement >> 2) & 0x1,
        format >> 4,
        format,
        convention >> 4,
        convention,
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capture::print::testing::{opts, with_nd};
    use proptest::prelude::*;

    fn run(data: &[u8], len: usize, v: u8) -> (String, PResult) {
        with_nd(&opts(v), |nd| print(nd, data, len))
    }

    /// An MSTP BPDU with one MSTI: header, CIST, v3 length 80, MCID, CIST tail, MSTI.
    fn mstp() -> Vec<u8> {
        let mut d = vec![0, 0, PROTO_MSTP, TYPE_RSTP, 0x7c];
        d.extend_from_slice(&[0x80, 0, 1, 2, 3, 4, 5, 6]); // CIST root
        d.extend_from_slice(&20u32.to_be_bytes()); // external path cost
        d.extend_from_slice(&[0x80, 0, 1, 2, 3, 4, 5, 7]); // regional root
        d.extend_from_slice(&[0x80, 0x01, 0, 0, 0x14, 0, 0x02, 0, 0x0f, 0]); // port, timers
        d.push(0); // v1 length
        d.extend_from_slice(&80u16.to_be_bytes()); // v3 length
        d.push(0);
        d.extend_from_slice(b"region\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0");
        d.extend_from_slice(&[0, 1]); // revision
        d.extend_from_slice(&[0xab; 16]); // digest
        d.extend_from_slice(&[0, 0, 0, 0, 0x80, 0, 1, 2, 3, 4, 5, 6, 20]); // cost, bridge, hops
        d.extend_from_slice(&[
            0x7c, 0x80, 0x01, 1, 2, 3, 4, 5, 6, 0, 0, 0, 9, 0x80, 0x80, 19,
        ]);
        d
    }

    #[test]
    fn mstp_field_offsets_meet_the_msti() {
        assert_eq!(mstp().len(), field::MSTI + MSTI_LEN);
        let (out, r) = run(&mstp(), mstp().len(), 1);
        assert_eq!(r, Ok(()));
        assert_eq!(out.matches("\n\tMSTI ").count(), 1, "{out}");
        assert!(!out.contains("(invalid)"), "{out}");
    }

    #[test]
    fn without_v_one_line() {
        let (out, r) = run(&mstp(), mstp().len(), 0);
        assert_eq!(r, Ok(()));
        assert!(!out.contains('\n'), "{out}");
    }

    #[test]
    fn every_prefix_prints_without_panic_and_stops_at_the_capture() {
        let d = mstp();
        for cut in 0..d.len() {
            let (out, r) = run(d.get(..cut).unwrap_or(&[]), d.len(), 2);
            assert!(r.is_err() || out.contains("(invalid)"), "cut {cut}: {out}");
        }
    }

    #[test]
    fn a_short_length_is_invalid_before_any_field_is_read() {
        let (out, r) = run(&[], 3, 1);
        assert_eq!((out.as_str(), r), (" (invalid)", Ok(())));
    }

    proptest! {
        #[test]
        fn arbitrary_bpdus_never_panic(
            data in proptest::collection::vec(any::<u8>(), 0..200),
            len in 0usize..300,
            v in 0u8..3,
        ) {
            let _ = run(&data, len, v);
        }
    }
}
