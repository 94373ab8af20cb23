//! VRRP version 2 (RFC 3768) and 3 (RFC 5798), mirroring print-vrrp.c at tcpdump-4.99.3:
//! the advertisement, its addresses, the v2 simple password and the checksum verdict.
//!
//! Must not do I/O: it only reads the captured bytes.

use std::net::IpAddr;

use super::names::{ip4_at, ip6_at, print_addr};
use super::tok::{tok2str, Tok};
use super::util::printjnp;
use super::{get_be_u16, get_u8, ttest, IpCtx, Nd, PResult};
use crate::capture::wire::checksum;
use crate::nd_print;

/// The IP protocol number (print-vrrp.c's `IPPROTO_VRRP`).
pub const IPPROTO_VRRP: u8 = 112;
/// The only message type (`VRRP_TYPE_ADVERTISEMENT`).
const TYPE_ADVERTISEMENT: u8 = 1;
/// A v2 password (`VRRP_AUTH_SIMPLE`).
const AUTH_SIMPLE: u8 = 1;

/// Message types (print-vrrp.c `type2str`).
const TYPES: [Tok; 1] = [(1, "Advertisement")];

/// Authentication types of version 2 (print-vrrp.c `auth2str`).
const AUTH_TYPES: [Tok; 3] = [(0, "none"), (1, "simple"), (2, "ah")];

/// Print the VRRP message at `data`; `len` is the IP payload's length and `ip` the header
/// that carried it (print-vrrp.c `vrrp_print`).
pub fn print(nd: &mut Nd<'_>, data: &[u8], len: u32, ip: &IpCtx) -> PResult {
    nd.protocol = "vrrp";
    nd.print("VRRP");
    let b0 = get_u8(data, 0)?;
    let (version, ty) = (b0 >> 4, b0 & 0x0f);
    nd_print!(
        nd,
        "v{version}, {}",
        tok2str(&TYPES, "unknown type (%u)", u32::from(ty))
    );
    if ip.ttl != 255 {
        nd_print!(nd, ", (ttl {})", ip.ttl);
    }
    if !(2..=3).contains(&version) || ty != TYPE_ADVERTISEMENT {
        return Ok(());
    }
    let (vrid, prio) = (get_u8(data, 1)?, get_u8(data, 2)?);
    nd_print!(nd, ", vrid {vrid}, prio {prio}");
    let mut auth_type = 0;
    if version == 2 {
        auth_type = get_u8(data, 4)?;
        nd_print!(
            nd,
            ", authtype {}",
            tok2str(&AUTH_TYPES, "#%d", u32::from(auth_type))
        );
        nd_print!(nd, ", intvl {}s, length {len}", get_u8(data, 5)?);
    } else {
        let intvl = u16::from(get_u8(data, 4)? & 0x0f) << 8 | u16::from(get_u8(data, 5)?);
        nd_print!(nd, ", intvl {intvl}cs, length {len}");
    }
    if nd.opts.v == 0 {
        return Ok(());
    }
    let naddrs = get_u8(data, 3)?;
    print_checksum(nd, data, len, version, ip)?;
    print_addrs(
        nd,
        data,
        naddrs,
        version == 2 && auth_type == AUTH_SIMPLE,
        ip,
    )
}

/// `, addrs(N): A,B` and, for a v2 password, ` auth "PASSWORD"`.
fn print_addrs(nd: &mut Nd<'_>, data: &[u8], naddrs: u8, password: bool, ip: &IpCtx) -> PResult {
    nd.print(", addrs");
    if naddrs > 1 {
        nd_print!(nd, "({naddrs})");
    }
    nd.print(":");
    let v4 = matches!(ip.src, IpAddr::V4(_));
    let mut at = 8;
    for i in 0..naddrs {
        let addr = if v4 {
            ip4_at(data, at)?
        } else {
            ip6_at(data, at)?
        };
        nd.print(if i == 0 { " " } else { "," });
        print_addr(nd, addr);
        at += if v4 { 4 } else { 16 };
    }
    if password {
        // RFC 2338 section 5.3.10: a shorter password is zero-filled.
        nd.print(" auth \"");
        printjnp(nd, data, at, 8)?;
        nd.print("\"");
    }
    Ok(())
}

/// `, (bad vrrp cksum X)` when the whole message was captured and its checksum is wrong: v2
/// sums the message alone, v3 adds the IP pseudo-header.
fn print_checksum(nd: &mut Nd<'_>, data: &[u8], len: u32, version: u8, ip: &IpCtx) -> PResult {
    let len = len as usize;
    if !ttest(data, 0, len) {
        return Ok(());
    }
    let msg = data.get(..len).unwrap_or(data);
    let bad = if version == 2 {
        checksum::checksum(msg) != 0
    } else {
        checksum::transport_checksum(ip.src, ip.pseudo_dst, IPPROTO_VRRP, msg) != 0
    };
    if bad {
        nd_print!(nd, ", (bad vrrp cksum {:x})", get_be_u16(data, 6)?);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capture::print::testing::{ctx, opts, with_nd};

    fn run(data: &[u8], len: u32, v: u8, ttl: u8) -> (String, PResult) {
        let ip = IpCtx { ttl, ..ctx(false) };
        with_nd(&opts(v), |nd| print(nd, data, len, &ip))
    }

    /// A v2 advertisement: vrid 7, priority 100, one address, a simple password, with its
    /// checksum filled in.
    fn advert() -> Vec<u8> {
        let mut d = vec![0x21, 7, 100, 1, AUTH_SIMPLE, 1, 0, 0];
        d.extend_from_slice(&[192, 0, 2, 1]);
        d.extend_from_slice(b"secret\0\0");
        let ck = checksum::checksum(&d).to_be_bytes();
        d.splice(6..8, ck);
        d
    }

    fn ck_hi(d: &[u8]) -> u8 {
        d.get(6).copied().unwrap_or(0)
    }

    #[test]
    fn checksum_and_password_show_with_v() {
        let d = advert();
        let (out, r) = run(&d, 20, 1, 255);
        assert_eq!(r, Ok(()));
        assert!(
            !out.contains("bad vrrp cksum") && out.ends_with("auth \"secret\""),
            "{out}"
        );
        let mut bad = d.clone();
        bad.splice(6..7, [!ck_hi(&d)]);
        let (out, _) = run(&bad, 20, 1, 255);
        assert!(out.contains("bad vrrp cksum"), "{out}");
    }

    #[test]
    fn a_ttl_other_than_255_is_named() {
        let (out, _) = run(&advert(), 20, 0, 64);
        assert!(out.contains(", (ttl 64)"), "{out}");
        let (out, _) = run(&advert(), 20, 0, 255);
        assert!(!out.contains("ttl"), "{out}");
    }

    #[test]
    fn truncation_unwinds() {
        let d = advert();
        // The password stops at its first NUL (byte 18): any shorter capture unwinds.
        for cut in 0..19 {
            let (_, r) = run(d.get(..cut).unwrap_or(&[]), 20, 1, 255);
            assert_eq!(r, Err(crate::capture::print::Trunc), "cut {cut}");
        }
    }

    crate::arbitrary_bytes_never_panic!(|nd: &mut Nd<'_>, data: &[u8], len: u32| {
        for v6 in [false, true] {
            let _ = print(nd, data, len, &ctx(v6));
        }
    });
}
