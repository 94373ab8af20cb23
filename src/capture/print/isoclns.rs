//! The OSI entry point of print-isoclns.c at tcpdump-4.99.3 (`isoclns_print`): the first byte,
//! a network layer protocol identifier, picks the printer. IS-IS (`isis`, `tlv`, `spb`), Q.933, IPv4,
//! IPv6, PPP and the null network layer are decoded; CLNP and ES-IS are not (their bytes are
//! dumped as tcpdump dumps a PDU its printers reject, so these lines differ from tcpdump's).
//!
//! Must not do I/O: it only reads the captured bytes.

mod isis;
mod spb;
mod tlv;

use super::tok::{tok2str, Tok};
use super::util::print_unknown_data;
use super::{get_u8, Nd, PResult};
use crate::nd_print;

/// Network layer protocol identifiers (nlpid.c `nlpid_values`).
pub const NLPIDS: [Tok; 15] = [
    (0x00, "NULL"),
    (0x08, "Q.933"),
    (0x09, "LMI"),
    (0x80, "SNAP"),
    (0x81, "CLNP"),
    (0x82, "ES-IS"),
    (0x83, "IS-IS"),
    (0x84, "CONS"),
    (0x85, "IDRP"),
    (0xc1, "ISIS_SPB"),
    (0xb1, "FRF.15"),
    (0xcc, "IPv4"),
    (0xcf, "PPP"),
    (0x8a, "X25 ES-IS"),
    (0x8e, "IPv6"),
];
pub const NLPID_NULLNS: u8 = 0x00;
pub const NLPID_Q933: u8 = 0x08;
pub const NLPID_SNAP: u8 = 0x80;
pub const NLPID_CLNP: u8 = 0x81;
pub const NLPID_ESIS: u8 = 0x82;
pub const NLPID_ISIS: u8 = 0x83;
pub const NLPID_MFR: u8 = 0xb1;
pub const NLPID_IP: u8 = 0xcc;
pub const NLPID_PPP: u8 = 0xcf;
pub const NLPID_IP6: u8 = 0x8e;

/// An OSI PDU from its NLPID byte; `length` counts from there (`isoclns_print`).
pub fn print(nd: &mut Nd<'_>, p: &[u8], length: usize) -> PResult {
    nd.protocol = "isoclns";
    let nlpid = get_u8(p, 0)?;
    if nd.opts.e > 0 {
        nd_print!(
            nd,
            "OSI NLPID {} (0x{nlpid:02x}): ",
            tok2str(&NLPIDS, "Unknown", u32::from(nlpid))
        );
    }
    let rest = p.get(1..).unwrap_or(&[]);
    let rest_len = length.saturating_sub(1);
    let rest_len32 = u32::try_from(rest_len).unwrap_or(u32::MAX);
    let sep = if nd.opts.e > 0 { "" } else { ", " };
    match nlpid {
        NLPID_CLNP | NLPID_ESIS => print_unknown_data(nd, p, 0, "\n\t", length),
        NLPID_ISIS => {
            if !isis::print(nd, p, length)? {
                print_unknown_data(nd, p, 0, "\n\t", length);
            }
        }
        NLPID_NULLNS => nd_print!(nd, "{sep}length: {length}"),
        NLPID_Q933 => super::fr::q933_print(nd, rest, rest_len)?,
        NLPID_IP => super::ip::print(nd, rest, rest_len32)?,
        NLPID_IP6 => super::ip6::print(nd, rest, rest_len32)?,
        NLPID_PPP => {
            super::ppp::print(nd, rest, rest_len32)?;
        }
        _ => {
            if nd.opts.e == 0 {
                nd_print!(nd, "OSI NLPID 0x{nlpid:02x} unknown");
            }
            nd_print!(nd, "{sep}length: {length}");
            if length > 1 {
                print_unknown_data(nd, p, 0, "\n\t", length);
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capture::print::testing::{opts, with_nd};

    #[test]
    fn the_null_layer_and_unknown_identifiers_show_their_length() {
        let (out, r) = with_nd(&opts(0), |nd| print(nd, &[0x00, 1, 2], 3));
        assert_eq!((out.as_str(), r), (", length: 3", Ok(())));
        let (out, _) = with_nd(&opts(0), |nd| print(nd, &[0x42, 1], 2));
        assert!(
            out.starts_with("OSI NLPID 0x42 unknown, length: 2\n\t0x0000:"),
            "{out}"
        );
    }

    crate::arbitrary_bytes_never_panic!(|nd: &mut Nd<'_>, data: &[u8], len: u32| print(
        nd,
        data,
        len as usize
    ));
}
