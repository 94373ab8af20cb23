//! Cisco HDLC: the address byte, the ethertype and its payload (IPv4, IPv6, MPLS, OSI with or
//! without the fudge byte, SLARP), mirroring print-chdlc.c at tcpdump-4.99.3. Link types
//! C_HDLC (104) and NetBSD HDLC (112), and PPP_SERIAL frames whose address byte is Cisco's
//! (print-ppp.c `ppp_hdlc_if_print`). tcpdump decodes no CDP here: ethertype 0x2000, like
//! any other, is an unknown protocol.
//!
//! Must not do I/O: it only reads the captured bytes.

use super::isoclns::{NLPID_CLNP, NLPID_ESIS, NLPID_ISIS};
use super::names::{ip4_at, print_addr};
use super::tok::{
    ethertype_name, tok2str, Tok, ETHERTYPE_IP, ETHERTYPE_IPV6, ETHERTYPE_MPLS,
    ETHERTYPE_MPLS_MULTI,
};
use super::util::{print_trunc, print_unknown_data};
use super::{get_be_u16, get_be_u32, get_u8, tcheck, Nd, PResult};
use crate::nd_print;

/// Address, control and ethertype.
const CHDLC_HDRLEN: usize = 4;
/// The address byte of a unicast frame.
pub const CHDLC_UNICAST: u8 = 0x0f;
/// The address byte of a broadcast frame.
pub const CHDLC_BCAST: u8 = 0x8f;
/// Cisco's serial line address resolution protocol.
const CHDLC_TYPE_SLARP: u16 = 0x8035;
/// OSI over Cisco HDLC.
const ETHERTYPE_ISO: u16 = 0xfefe;

/// The address byte's names (print-chdlc.c `chdlc_cast_values`).
const CAST_VALUES: [Tok; 2] = [
    (CHDLC_UNICAST as u32, "unicast"),
    (CHDLC_BCAST as u32, "bcast"),
];

/// Link types C_HDLC and HDLC (`chdlc_if_print`): the header's length goes to
/// `nd.ll_hdr_len`.
pub fn if_print(nd: &mut Nd<'_>, data: &[u8], len: u32) -> PResult {
    nd.protocol = "chdlc";
    nd.ll_hdr_len += print(nd, data, len)?;
    Ok(())
}

/// A Cisco HDLC frame of `length` bytes on the wire (`chdlc_print`): the header's length, or
/// what was captured when the frame is too short for its header or its OSI payload.
pub fn print(nd: &mut Nd<'_>, p: &[u8], length: u32) -> PResult<usize> {
    nd.protocol = "chdlc";
    if length < CHDLC_HDRLEN as u32 {
        print_trunc(nd);
        return Ok(p.len());
    }
    let proto = get_be_u16(p, 2)?;
    if nd.opts.e > 0 {
        let cast = get_u8(p, 0)?;
        nd_print!(
            nd,
            "{}, ethertype {} (0x{proto:04x}), length {length}: ",
            tok2str(&CAST_VALUES, "0x%02x", u32::from(cast)),
            ethertype_name(proto).unwrap_or("Unknown")
        );
    }
    let body = p.get(CHDLC_HDRLEN..).unwrap_or(&[]);
    let length = length - CHDLC_HDRLEN as u32;
    match proto {
        ETHERTYPE_IP => super::ip::print(nd, body, length)?,
        ETHERTYPE_IPV6 => super::ip6::print(nd, body, length)?,
        CHDLC_TYPE_SLARP => slarp_print(nd, body, length)?,
        ETHERTYPE_MPLS | ETHERTYPE_MPLS_MULTI => super::mpls::print(nd, body, length)?,
        ETHERTYPE_ISO => {
            if length < 2 {
                print_trunc(nd);
                return Ok(p.len());
            }
            // A fudge byte may stand before the NLPID: skip it when an OSI one follows.
            let len = length as usize;
            if matches!(get_u8(body, 1)?, NLPID_CLNP | NLPID_ESIS | NLPID_ISIS) {
                super::isoclns::print(nd, body.get(1..).unwrap_or(&[]), len - 1)?;
            } else {
                super::isoclns::print(nd, body, len)?;
            }
        }
        _ => {
            if nd.opts.e == 0 {
                nd_print!(nd, "unknown CHDLC protocol (0x{proto:04x})");
            }
        }
    }
    Ok(CHDLC_HDRLEN)
}

/// The fixed part of a SLARP packet: code, then addresses or sequence numbers.
const SLARP_MIN_LEN: u32 = 14;
/// With the optional uptime of a keepalive.
const SLARP_MAX_LEN: u32 = 18;

/// A SLARP request (code 0), reply (1) or keepalive (2) (`chdlc_slarp_print`).
fn slarp_print(nd: &mut Nd<'_>, cp: &[u8], length: u32) -> PResult {
    nd.protocol = "chdlc_slarp";
    nd.print("SLARP (length: ");
    nd.print_u32(length);
    nd.print("), ");
    if length < SLARP_MIN_LEN || tcheck(cp, 0, SLARP_MIN_LEN as usize).is_err() {
        print_trunc(nd);
        return Ok(());
    }
    // Where the `-vv` dump starts: after the code, or after the uptime of a keepalive.
    let mut dump_at = 4;
    let code = get_be_u32(cp, 0)?;
    match code {
        0 => nd.print("request"),
        1 => {
            let (addr, mask) = (ip4_at(cp, 4)?, ip4_at(cp, 8)?);
            nd.print("reply ");
            print_addr(nd, addr);
            nd.print("/");
            print_addr(nd, mask);
        }
        2 => {
            let (mine, yours, rel) = (get_be_u32(cp, 4)?, get_be_u32(cp, 8)?, get_be_u16(cp, 12)?);
            nd_print!(
                nd,
                "keepalive: mineseen=0x{mine:08x}, yourseen=0x{yours:08x}, reliability=0x{rel:04x}"
            );
            if length >= SLARP_MAX_LEN {
                // The uptime, in milliseconds, is optional.
                dump_at += SLARP_MIN_LEN as usize;
                let mut sec = get_be_u32(cp, SLARP_MIN_LEN as usize)? / 1000;
                let mut min = sec / 60;
                sec -= min * 60;
                let mut hrs = min / 60;
                min -= hrs * 60;
                let days = hrs / 24;
                hrs -= days * 24;
                nd_print!(nd, ", link uptime={days}d{hrs}h{min}m{sec}s");
            }
        }
        _ => {
            nd_print!(nd, "0x{code:02x} unknown");
            if nd.opts.v <= 1 {
                print_unknown_data(nd, cp, 4, "\n\t", length as usize - 4);
            }
        }
    }
    if length > SLARP_MAX_LEN && nd.opts.v > 0 {
        nd_print!(nd, ", (trailing junk: {} bytes)", length - SLARP_MAX_LEN);
    }
    if nd.opts.v > 1 {
        print_unknown_data(nd, cp, dump_at, "\n\t", length as usize - 4);
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::capture::print::testing::{opts, with_nd};
    use crate::capture::print::PrintOptions;

    fn run(data: &[u8], len: u32, o: &PrintOptions) -> (String, PResult<usize>) {
        with_nd(o, |nd| print(nd, data, len))
    }

    /// A keepalive with its uptime and two bytes of padding.
    const KEEPALIVE: [u8; 24] = [
        0x8f, 0x00, 0x80, 0x35, 0, 0, 0, 2, 0, 0, 0, 8, 0, 0, 0, 5, 0xff, 0xff, 0x07, 0x5a, 0x6b,
        0x50, 0, 0,
    ];

    #[test]
    fn a_keepalive_shows_its_uptime_and_padding() {
        let (out, r) = run(&KEEPALIVE, 24, &opts(1));
        assert_eq!(r, Ok(4));
        assert_eq!(
            out,
            "SLARP (length: 20), keepalive: mineseen=0x00000008, yourseen=0x00000005, \
             reliability=0xffff, link uptime=1d10h16m6s, (trailing junk: 2 bytes)"
        );
        // At -vv the dump starts after the uptime.
        let (out, _) = run(&KEEPALIVE, 24, &opts(2));
        assert!(out.ends_with("\n\t0x0000:  0000"), "{out}");
    }

    #[test]
    fn the_header_with_e_and_unknown_types() {
        let o = PrintOptions { e: 1, ..opts(0) };
        let (out, _) = run(&KEEPALIVE[..8], 24, &o);
        assert!(
            out.starts_with("bcast, ethertype Reverse ARP (0x8035), length 24: SLARP"),
            "{out}"
        );
        let frame = [0x0f, 0, 0x20, 0, 1, 2];
        let (out, _) = run(&frame, 6, &opts(0));
        assert_eq!(out, "unknown CHDLC protocol (0x2000)");
        let (out, _) = run(&frame, 6, &o);
        assert_eq!(out, "unicast, ethertype Unknown (0x2000), length 6: ");
    }

    #[test]
    fn a_short_frame_is_reported_with_what_was_captured() {
        let (out, r) = run(&[0x0f, 0], 3, &opts(0));
        assert_eq!((out.as_str(), r), (" [|chdlc]", Ok(2)));
        let (_, r) = run(&[0x0f, 0], 4, &opts(0));
        assert!(r.is_err());
    }

    #[test]
    fn every_prefix_prints_without_panic() {
        for cut in 0..=KEEPALIVE.len() {
            for v in 0..3 {
                let _ = run(&KEEPALIVE[..cut], 24, &opts(v));
            }
        }
    }

    crate::arbitrary_bytes_never_panic!(if_print);
}
