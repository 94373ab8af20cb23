//! UDP (RFC 768), mirroring `udp_print` in print-udp.c at tcpdump-4.99.3.
//!
//! The payload goes to the application printer print-udp.c's port chain picks (`app`): DNS and
//! mDNS (`domain`), TFTP (`tftp`), BOOTP/DHCP (`bootp`), SNMP (`snmp`), NTP (`ntp`), DHCPv6
//! (`dhcp6`), RADIUS (`radius`), syslog (`syslog`), SIP (`sip`), L2TP (`l2tp`), VXLAN
//! (`vxlan`), Geneve (`geneve`), MPLS (`mpls`), PTP (`ptp`), AHCP (`ahcp`), Kerberos (`krb`),
//! LDP (`ldp`), VXLAN-GPE (`vxlan_gpe`), AODV (`aodv`), OLSR (`olsr`) and the other printers
//! of `print_app` are decoded; on the other ports of the chain this printer prints what it
//! prints on any other port.
//!
//! Must not import `echo` or do I/O.

use super::names::{ipaddr_string, print_endpoints};
use super::options::PacketType;
use super::util::{print_trunc, shouldbe, transport_checksum};
use super::{get_be_u16, get_bytes, ttest, IpCtx, Nd, PResult};
use crate::nd_print;

/// The header's length.
const HDR_LEN: u32 = 8;

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
    let payload = data.get(HDR_LEN as usize..).unwrap_or(&[]);
    if let Some(pt) = nd.opts.packettype {
        // print-udp.c: `-T` picks the printer before the checksum and the port chain.
        if packettype_app(pt) == Some(App::TcpOnly) {
            return Ok(());
        }
        addrs(nd);
        return match packettype_app(pt) {
            Some(app) => print_app(nd, app, payload, length, ulen, ip),
            None => Ok(()),
        };
    }
    addrs(nd);
    print_checksum(nd, data, length, ip)?;
    let app = if nd.opts.q > 0 {
        App::None
    } else {
        app(sport, dport, payload)
    };
    print_app(nd, app, payload, length, ulen, ip)
}

/// The application printer `app` over the payload (`length` bytes on the wire, `ulen` the
/// header's count less its own eight), or `UDP, length N` where echolab has none.
fn print_app(
    nd: &mut Nd<'_>,
    app: App,
    payload: &[u8],
    length: u32,
    ulen: u32,
    ip: &IpCtx,
) -> PResult {
    match app {
        App::Domain => super::domain::domain_print(nd, payload, length, false, false),
        App::MulticastDomain => super::domain::domain_print(nd, payload, length, false, true),
        App::Bootp => super::bootp::print(nd, payload, length),
        App::Snmp => super::snmp::print(nd, payload, length),
        App::Ntp => super::ntp::print(nd, payload, length),
        App::Dhcp6 => super::dhcp6::print(nd, payload, length),
        App::Sip => super::sip::print(nd, payload, length),
        App::Tftp => super::tftp::print(nd, payload, length),
        App::Radius => super::radius::print(nd, payload, length),
        App::Syslog => super::syslog::print(nd, payload, length),
        App::Hsrp => super::hsrp::print(nd, payload, length),
        App::CiscoAutorp => super::pim::cisco_autorp_print(nd, payload, length),
        App::Kerberos => super::krb::print(nd, payload),
        App::L2tp => super::l2tp::print(nd, payload, length),
        App::Vxlan => super::vxlan::print(nd, payload, length),
        App::Geneve => super::geneve::print(nd, payload, length),
        App::Mpls => super::mpls::print(nd, payload, length),
        App::Ptp => super::ptp::print(nd, payload, length),
        App::Rip => super::rip::print(nd, payload, length),
        App::Ripng => super::ripng::print(nd, payload, length),
        App::Ahcp => super::ahcp::print(nd, payload, length),
        App::Aodv => super::aodv::print(nd, payload, length, !ip.src.is_ipv4()),
        App::Olsr => super::olsr::print(nd, payload, length, !ip.src.is_ipv4()),
        App::Babel => super::babel::print(nd, payload, length),
        App::Bfd(port) => super::bfd::print(nd, payload, length, port),
        App::LspPing => super::lspping::print(nd, payload, length),
        App::Sflow => super::sflow::print(nd, payload, length),
        App::Pgm => super::pgm::print(nd, payload, length, ip, false),
        App::Rx(sport, dport) => super::rx::print(nd, payload, length, sport, dport, ip),
        App::BcmLi => super::bcm_li::print(nd, payload, length),
        App::Ldp => super::ldp::print(nd, payload, length),
        App::VxlanGpe => super::vxlan_gpe::print(nd, payload, length),
        _ => {
            if ulen > length && !ip.fragmented {
                nd_print!(nd, "UDP, bad length {} > {}", ulen, length);
            } else {
                nd.print("UDP, length ");
                nd.print_u32(ulen);
            }
            Ok(())
        }
    }
}

/// The printer print-udp.c's `ndo_packettype` switch runs for `-T` (the same printers as
/// the port chain, less NFS); `None` for the types echolab refuses on the command line.
pub fn packettype_app(pt: PacketType) -> Option<App> {
    match pt {
        PacketType::Domain => Some(App::Domain),
        PacketType::Snmp => Some(App::Snmp),
        PacketType::Tftp => Some(App::Tftp),
        PacketType::Radius => Some(App::Radius),
        PacketType::Aodv => Some(App::Aodv),
        PacketType::Pgm | PacketType::PgmZmtp1 => Some(App::Pgm),
        PacketType::Zmtp1 | PacketType::Resp => Some(App::TcpOnly),
        _ => None,
    }
}

/// The application printers of print-udp.c's `udp_print`, one per branch of its port chain.
/// Branches whose printer echolab lacks fall back to `UDP, length N`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum App {
    Domain,
    MulticastDomain,
    Timed,
    Tftp,
    Bootp,
    Rip,
    Aodv,
    Isakmp,
    IsakmpNatt,
    Snmp,
    Ntp,
    Kerberos,
    L2tp,
    Vat,
    Zephyr,
    /// AFS Rx, with the source and destination ports that pick the service.
    Rx(u16, u16),
    Ripng,
    Dhcp6,
    Ahcp,
    Babel,
    Hncp,
    Wb,
    CiscoAutorp,
    Radius,
    Hsrp,
    Lwres,
    Ldp,
    Olsr,
    LspPing,
    BcmLi,
    /// BFD, with the destination port that picked it.
    Bfd(u16),
    Lmp,
    /// PGM, with `-T pgm` or `-T pgm_zmtp1` only.
    Pgm,
    /// `-T` types print-udp.c has no case for (`zmtp1`, `resp`): nothing at all.
    TcpOnly,
    Vqp,
    Sflow,
    LwappControl,
    LwappData,
    Sip,
    Syslog,
    Otv,
    Vxlan,
    Geneve,
    Lisp,
    VxlanGpe,
    Zep,
    Mpls,
    AppleTalk,
    Ptp,
    SomeIp,
    /// No branch: `UDP, length N`.
    None,
}

/// The printer print-udp.c's `udp_print` chooses for these ports (the first branch of its
/// chain that matches, in its order; `payload` for the AppleTalk test), when `-q` is not
/// given. NetBIOS (137, 138) needs a build with SMB printing, which Debian's lacks.
pub fn app(sport: u16, dport: u16, payload: &[u8]) -> App {
    let either = |p: u16| sport == p || dport == p;
    let any = |ps: &[u16]| ps.iter().any(|&p| either(p));
    match () {
        _ if either(53) => App::Domain,
        _ if either(5353) => App::MulticastDomain,
        _ if either(525) => App::Timed,
        _ if either(69) => App::Tftp,
        _ if any(&[68, 67]) => App::Bootp,
        _ if either(520) => App::Rip,
        _ if either(654) => App::Aodv,
        _ if either(500) => App::Isakmp,
        _ if either(4500) => App::IsakmpNatt,
        _ if any(&[7500, 8500]) => App::Isakmp,
        _ if any(&[161, 162]) => App::Snmp,
        _ if either(123) => App::Ntp,
        _ if any(&[88, 750]) => App::Kerberos,
        _ if either(1701) => App::L2tp,
        _ if dport == 3456 => App::Vat,
        _ if any(&[2103, 2104]) => App::Zephyr,
        _ if (7000..=7009).contains(&sport) || (7000..=7009).contains(&dport) => {
            App::Rx(sport, dport)
        }
        _ if either(521) => App::Ripng,
        _ if any(&[547, 546]) => App::Dhcp6,
        _ if either(5359) => App::Ahcp,
        _ if any(&[6696, 6697]) => App::Babel,
        _ if either(8231) => App::Hncp,
        _ if dport == 4567 => App::Wb,
        _ if either(496) => App::CiscoAutorp,
        _ if any(&[1645, 1812, 1646, 1813, 1700, 3799]) => App::Radius,
        _ if dport == 1985 => App::Hsrp,
        _ if either(921) => App::Lwres,
        _ if either(646) => App::Ldp,
        _ if either(698) => App::Olsr,
        _ if either(3503) => App::LspPing,
        _ if sport == 49152 => App::BcmLi,
        _ if [3784, 4784, 6784, 3785].contains(&dport) => App::Bfd(dport),
        _ if either(701) => App::Lmp,
        _ if either(1589) => App::Vqp,
        _ if either(6343) => App::Sflow,
        _ if dport == 12223 || sport == 12223 => App::LwappControl,
        _ if either(12222) => App::LwappData,
        _ if either(5060) => App::Sip,
        _ if either(514) => App::Syslog,
        _ if either(8472) => App::Otv,
        _ if either(4789) => App::Vxlan,
        _ if either(6081) => App::Geneve,
        _ if either(4342) => App::Lisp,
        _ if either(4790) => App::VxlanGpe,
        _ if either(17754) => App::Zep,
        _ if either(6635) => App::Mpls,
        // print-udp.c: a LAP header of type lapDDP (2) on an AppleTalk port.
        _ if payload.get(2) == Some(&2) && (atalk_port(sport) || atalk_port(dport)) => {
            App::AppleTalk
        }
        _ if any(&[319, 320]) => App::Ptp,
        _ if either(30490) => App::SomeIp,
        _ => App::None,
    }
}

/// AppleTalk-in-UDP ports (print-udp.c `atalk_port`).
fn atalk_port(p: u16) -> bool {
    (200..=327).contains(&p) || (768..=895).contains(&p) || (16512..=16639).contains(&p)
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
