//! UDP (RFC 768), mirroring `udp_print` in print-udp.c at tcpdump-4.99.3.
//!
//! Application payloads are not decoded: on the ports tcpdump hands to another printer
//! (`DECODED_PORTS`) this printer prints what it prints on any other port.
//!
//! Must not import `echo` or do I/O.

use super::names::{ipaddr_string, print_endpoints};
use super::util::{print_trunc, shouldbe, transport_checksum};
use super::{get_be_u16, get_bytes, ttest, IpCtx, Nd, PResult};
use crate::nd_print;

/// The header's length.
const HDR_LEN: u32 = 8;

/// Ports (source or destination) whose payload tcpdump 4.99.3 hands to an application
/// printer (print-udp.c `udp_print`, udp.h): domain, bootp, tftp, kerberos, ntp, netbios,
/// snmp, ptp, cisco-autorp, isakmp, syslog, rip, ripng, timed, dhcp6, ldp, aodv, olsr, lmp,
/// kerberos-sec, lwres, vqp, radius, l2tp, zephyr, lisp, vxlan, sip, mdns, ahcp, geneve,
/// mpls-lsp-ping, sflow, mpls, babel, hncp, otv, lwapp, zep, someip. tcpdump also decodes the RX range
/// 7000-7009, NFS calls to and replies from 2049, vat (3456), wb (4567), hsrp (1985) and bfd
/// (3784, 3785, 4784, 6784) as destination ports, bcm-li (49152) as source port, and
/// AppleTalk-in-UDP on ports 200-327, 768-895 and 16512-16639.
pub const DECODED_PORTS: &[u16] = &[
    53, 67, 68, 69, 88, 123, 137, 138, 161, 162, 319, 320, 496, 500, 514, 520, 521, 525, 546, 547,
    646, 654, 698, 701, 750, 921, 1589, 1645, 1646, 1700, 1701, 1812, 1813, 2103, 2104, 3503, 3799,
    4342, 4500, 4789, 4790, 5060, 5353, 5359, 6081, 6343, 6635, 6696, 6697, 7500, 8231, 8472, 8500,
    12222, 12223, 17754, 30490,
];

/// Print from the start of the udp header; `len` is the on-wire length from there.
pub fn print(nd: &mut Nd<'_>, data: &[u8], len: u32, ip: &IpCtx) -> PResult {
    nd.protocol = "udp";
    if !ttest(data, 2, 2) {
        if !ip.after_ext_headers {
            let (src, dst) = (ipaddr_string(nd, ip.src), ipaddr_string(nd, ip.dst));
            nd_print!(nd, "{} > {}: ", src, dst);
        }
        return trunc(nd);
    }
    let sport = get_be_u16(data, 0)?;
    let dport = get_be_u16(data, 2)?;
    // print-udp.c `udpipaddr_print`.
    let addrs = |nd: &mut Nd<'_>| print_endpoints(nd, ip, sport, dport, false);
    if len < HDR_LEN {
        addrs(nd);
        nd_print!(nd, "truncated-udp {}", len);
        return Ok(());
    }
    if !ttest(data, 4, 2) {
        addrs(nd);
        return trunc(nd);
    }
    let mut ulen = u32::from(get_be_u16(data, 4)?);
    if ulen == 0 && len > 65535 {
        ulen = len;
    }
    if ulen < HDR_LEN {
        addrs(nd);
        nd_print!(nd, "truncated-udplength {}", ulen);
        return Ok(());
    }
    let ulen = ulen - HDR_LEN;
    let length = (len - HDR_LEN).min(ulen);
    if data.len() < HDR_LEN as usize {
        addrs(nd);
        return trunc(nd);
    }
    addrs(nd);
    print_checksum(nd, data, length, ip)?;
    if ulen > length && !ip.fragmented {
        nd_print!(nd, "UDP, bad length {} > {}", ulen, length);
    } else {
        nd_print!(nd, "UDP, length {}", ulen);
    }
    Ok(())
}

/// ` [|udp]`, after which tcpdump's `udp_print` returns normally.
fn trunc(nd: &mut Nd<'_>) -> PResult {
    print_trunc(nd);
    Ok(())
}

/// `[udp sum ok] ` / `[bad udp cksum 0x.... -> 0x....!] ` / `[no cksum] `: IPv4 at `-vv`,
/// IPv6 (where the checksum is mandatory, RFC 8200 section 8.1) at `-v`.
fn print_checksum(nd: &mut Nd<'_>, data: &[u8], length: u32, ip: &IpCtx) -> PResult {
    if nd.opts.v == 0 || nd.opts.k > 0 || ip.fragmented {
        return Ok(());
    }
    let covered = ttest(data, HDR_LEN as usize, length as usize);
    let field = if ip.src.is_ipv4() {
        if nd.opts.v < 2 {
            return Ok(());
        }
        let field = get_be_u16(data, 6)?;
        if field == 0 {
            nd.print("[no cksum] ");
            return Ok(());
        }
        field
    } else {
        if !covered {
            return Ok(());
        }
        get_be_u16(data, 6)?
    };
    if !covered {
        return Ok(());
    }
    let seg = get_bytes(data, 0, (length + HDR_LEN) as usize)?;
    let sum = transport_checksum(ip.src, ip.pseudo_dst, 17, seg);
    if sum != 0 {
        nd_print!(
            nd,
            "[bad udp cksum 0x{:04x} -> 0x{:04x}!] ",
            field,
            shouldbe(field, sum)
        );
    } else {
        nd.print("[udp sum ok] ");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capture::print::testing::{ctx, opts, with_nd};
    use proptest::prelude::*;

    fn run(data: &[u8], len: u32, v: u8, v6: bool) -> (String, PResult) {
        with_nd(&opts(v), |nd| print(nd, data, len, &ctx(v6)))
    }

    /// A datagram 40001 > 4002 carrying "hi\n", with its IPv4 loopback checksum.
    const DGRAM: [u8; 11] = [
        0x9c, 0x41, 0x0f, 0xa2, // ports
        0x00, 0x0b, 0x00, 0x00, // length 11, checksum (filled in by the test)
        b'h', b'i', b'\n',
    ];

    fn with_checksum(v6: bool) -> [u8; 11] {
        let mut d = DGRAM;
        let ip = ctx(v6);
        let sum = transport_checksum(ip.src, ip.pseudo_dst, 17, &d);
        d[6..8].copy_from_slice(&sum.to_be_bytes());
        d
    }

    #[test]
    fn a_correct_checksum_verifies_at_the_verbosity_tcpdump_checks_it() {
        let d = with_checksum(false);
        assert!(run(&d, 11, 2, false).0.contains("sum ok"));
        assert!(!run(&d, 11, 1, false).0.contains("sum"));
        let d = with_checksum(true);
        assert!(run(&d, 11, 1, true).0.contains("sum ok"));
    }

    #[test]
    fn every_prefix_prints_without_panic() {
        let d = with_checksum(false);
        for cut in 0..d.len() {
            let (out, _) = run(d.get(..cut).unwrap_or(&[]), 11, 2, false);
            assert!(!out.contains("sum ok"), "cut {cut}: {out}");
        }
    }

    proptest! {
        #[test]
        fn arbitrary_datagrams_never_panic(
            data in proptest::collection::vec(any::<u8>(), 0..40),
            len in 0u32..70000,
            v in 0u8..3,
            v6 in any::<bool>(),
        ) {
            let _ = run(&data, len, v, v6);
        }
    }
}
