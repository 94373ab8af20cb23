//! Cisco's Hot Standby Router Protocol, version 0 of RFC 2281, mirroring print-hsrp.c at
//! tcpdump-4.99.3.
//!
//! Must not do I/O: it only reads the captured bytes.

use super::names::{ip4_at, print_addr};
use super::tok::{tok2str, Tok};
use super::util::{printjnp, unsigned_relts_print};
use super::{get_u8, Nd, PResult};
use crate::nd_print;

/// Field offsets (print-hsrp.c `struct hsrp`).
mod field {
    pub const VERSION: usize = 0;
    pub const OP_CODE: usize = 1;
    pub const STATE: usize = 2;
    pub const HELLOTIME: usize = 3;
    pub const HOLDTIME: usize = 4;
    pub const PRIORITY: usize = 5;
    pub const GROUP: usize = 6;
    pub const RESERVED: usize = 7;
    pub const AUTHDATA: usize = 8;
    pub const VIRTADDR: usize = 16;
}

/// The authentication data's size (`HSRP_AUTH_SIZE`).
const AUTH_SIZE: usize = 8;

/// Op codes, by value (print-hsrp.c `op_code_str`).
const OP_CODES: [&str; 3] = ["hello", "coup", "resign"];

/// States (print-hsrp.c `states`).
const STATES: [Tok; 6] = [
    (0, "initial"),
    (1, "learn"),
    (2, "listen"),
    (4, "speak"),
    (8, "standby"),
    (16, "active"),
];

/// Print the HSRP message at `data`; `len` is the UDP payload's length (print-hsrp.c
/// `hsrp_print`).
pub fn print(nd: &mut Nd<'_>, data: &[u8], len: u32) -> PResult {
    nd.protocol = "hsrp";
    let version = get_u8(data, field::VERSION)?;
    nd_print!(nd, "HSRPv{version}");
    if version != 0 {
        return Ok(());
    }
    nd.print("-");
    let op = get_u8(data, field::OP_CODE)?;
    match OP_CODES.get(usize::from(op)) {
        Some(name) => nd_print!(nd, "{name} "),
        None => nd_print!(nd, "unknown ({op}) "),
    }
    nd_print!(nd, "{len}: ");
    let state = get_u8(data, field::STATE)?;
    nd_print!(
        nd,
        "state={} ",
        tok2str(&STATES, "Unknown (%u)", u32::from(state))
    );
    nd_print!(nd, "group={} ", get_u8(data, field::GROUP)?);
    let reserved = get_u8(data, field::RESERVED)?;
    if reserved != 0 {
        nd_print!(nd, "[reserved={reserved}!] ");
    }
    let addr = ip4_at(data, field::VIRTADDR)?;
    nd.print("addr=");
    print_addr(nd, addr);
    if nd.opts.v == 0 {
        return Ok(());
    }
    nd.print(" hellotime=");
    unsigned_relts_print(nd, u32::from(get_u8(data, field::HELLOTIME)?));
    nd.print(" holdtime=");
    unsigned_relts_print(nd, u32::from(get_u8(data, field::HOLDTIME)?));
    nd_print!(nd, " priority={}", get_u8(data, field::PRIORITY)?);
    nd.print(" auth=\"");
    // RFC 2281 section 5.1 implies zero padding.
    printjnp(nd, data, field::AUTHDATA, AUTH_SIZE)?;
    nd.print("\"");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capture::print::testing::{opts, with_nd};
    use crate::capture::print::Trunc;
    use proptest::prelude::*;

    fn run(data: &[u8], v: u8) -> (String, PResult) {
        with_nd(&opts(v), |nd| print(nd, data, 20))
    }

    /// A hello from the active router of group 1, virtual address 192.0.2.254.
    const HELLO: [u8; 20] = [
        0, 0, 16, 3, 10, 120, 1, 0, // version, op, state, hello, hold, prio, group, rsvd
        b'c', b'i', b's', b'c', b'o', 0, 0, 0, // authentication data
        192, 0, 2, 254, // virtual address
    ];

    #[test]
    fn verbose_adds_times_priority_and_password() {
        let (out, r) = run(&HELLO, 0);
        assert_eq!(r, Ok(()));
        assert!(!out.contains("holdtime"), "{out}");
        let (out, _) = run(&HELLO, 1);
        assert!(
            out.contains("hellotime=3s") && out.ends_with("auth=\"cisco\""),
            "{out}"
        );
    }

    #[test]
    fn other_versions_print_only_the_version() {
        let mut d = HELLO;
        d[0] = 1;
        assert_eq!(run(&d, 1), ("HSRPv1".to_string(), Ok(())));
    }

    #[test]
    fn truncation_unwinds() {
        for cut in 0..HELLO.len() {
            let (_, r) = run(HELLO.get(..cut).unwrap_or(&[]), 1);
            assert_eq!(r, Err(Trunc), "cut {cut}");
        }
    }

    proptest! {
        #[test]
        fn arbitrary_messages_never_panic(
            data in proptest::collection::vec(any::<u8>(), 0..40),
            v in 0u8..3,
        ) {
            let _ = run(&data, v);
        }
    }
}
