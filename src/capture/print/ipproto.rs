//! IP protocol numbers and names (ipproto.c at tcpdump-4.99.3) and the demultiplexer that
//! hands an IPv4 or IPv6 payload to its protocol's printer (print-ip-demux.c).
//!
//! Must not do I/O: it only reads the captured bytes.

use super::{get_u8, icmp, icmp6, ip, ip6, ipsec, tcp, udp, util, IpCtx, Nd, PResult};

pub const IPPROTO_HOPOPTS: u8 = 0;
pub const IPPROTO_ICMP: u8 = 1;
pub const IPPROTO_IGMP: u8 = 2;
pub const IPPROTO_IPV4: u8 = 4;
pub const IPPROTO_TCP: u8 = 6;
pub const IPPROTO_UDP: u8 = 17;
pub const IPPROTO_DCCP: u8 = 33;
pub const IPPROTO_IPV6: u8 = 41;
pub const IPPROTO_ROUTING: u8 = 43;
pub const IPPROTO_FRAGMENT: u8 = 44;
pub const IPPROTO_GRE: u8 = 47;
pub const IPPROTO_ESP: u8 = 50;
pub const IPPROTO_AH: u8 = 51;
pub const IPPROTO_ICMPV6: u8 = 58;
pub const IPPROTO_NONE: u8 = 59;
pub const IPPROTO_DSTOPTS: u8 = 60;
pub const IPPROTO_MOBILITY_OLD: u8 = 62;
pub const IPPROTO_ND: u8 = 77;
pub const IPPROTO_EIGRP: u8 = 88;
pub const IPPROTO_OSPF: u8 = 89;
pub const IPPROTO_IPCOMP: u8 = 108;
pub const IPPROTO_SCTP: u8 = 132;
pub const IPPROTO_MOBILITY: u8 = 135;
pub const IPPROTO_ETHERNET: u8 = 143;

/// Protocol names in the IP header lines (ipproto.c `ipproto_values` at tcpdump-4.99.3).
const IPPROTO_VALUES: [(u8, &str); 29] = [
    (0, "Options"),
    (1, "ICMP"),
    (2, "IGMP"),
    (4, "IPIP"),
    (6, "TCP"),
    (8, "EGP"),
    (9, "IGRP"),
    (17, "UDP"),
    (33, "DCCP"),
    (41, "IPv6"),
    (43, "Routing"),
    (44, "Fragment"),
    (46, "RSVP"),
    (47, "GRE"),
    (50, "ESP"),
    (51, "AH"),
    (55, "Mobile IP"),
    (58, "ICMPv6"),
    (62, "Mobile IP (old)"),
    (88, "EIGRP"),
    (89, "OSPF"),
    (103, "PIM"),
    (108, "Compressed IP"),
    (112, "VRRP"),
    (113, "PGM"),
    (132, "SCTP"),
    (135, "Mobility"),
    (143, "Ethernet"),
    (0, ""),
];

/// Protocol names as the netdb protocols file spells them, printed without `-n` (ipproto.c
/// `netdb_protocol_names` at tcpdump-4.99.3); empty where the table has none.
const NETDB_PROTOCOL_NAMES: [&str; 256] = [
    "hopopt",
    "icmp",
    "igmp",
    "ggp",
    "ipencap",
    "st",
    "tcp",
    "cbt",
    "egp",
    "igp",
    "bbn-rcc-mon",
    "nvp-ii",
    "pup",
    "argus",
    "emcon",
    "xnet",
    "chaos",
    "udp",
    "mux",
    "dcn-meas",
    "hmp",
    "prm",
    "xns-idp",
    "trunk-1",
    "trunk-2",
    "leaf-1",
    "leaf-2",
    "rdp",
    "irtp",
    "iso-tp4",
    "netblt",
    "mfe-nsp",
    "merit-inp",
    "dccp",
    "3pc",
    "idpr",
    "xtp",
    "ddp",
    "idpr-cmtp",
    "tp++",
    "il",
    "ipv6",
    "sdrp",
    "ipv6-route",
    "ipv6-frag",
    "idrp",
    "rsvp",
    "gre",
    "dsr",
    "bna",
    "esp",
    "ah",
    "i-nlsp",
    "swipe",
    "narp",
    "mobile",
    "tlsp",
    "skip",
    "ipv6-icmp",
    "ipv6-nonxt",
    "ipv6-opts",
    "",
    "cftp",
    "",
    "sat-expak",
    "kryptolan",
    "rvd",
    "ippc",
    "",
    "sat-mon",
    "visa",
    "ipcv",
    "cpnx",
    "rspf",
    "wsn",
    "pvp",
    "br-sat-mon",
    "sun-nd",
    "wb-mon",
    "wb-expak",
    "iso-ip",
    "vmtp",
    "secure-vmtp",
    "vines",
    "ttp",
    "nsfnet-igp",
    "dgp",
    "tcf",
    "eigrp",
    "ospf",
    "sprite-rpc",
    "larp",
    "mtp",
    "ax.25",
    "ipip",
    "micp",
    "scc-sp",
    "etherip",
    "encap",
    "",
    "gmtp",
    "ifmp",
    "pnni",
    "pim",
    "aris",
    "scps",
    "qnx",
    "a/n",
    "ipcomp",
    "snp",
    "compaq-peer",
    "ipx-in-ip",
    "vrrp",
    "pgm",
    "",
    "l2tp",
    "ddx",
    "iatp",
    "stp",
    "srp",
    "uti",
    "smp",
    "sm",
    "ptp",
    "isis",
    "fire",
    "crtp",
    "crudp",
    "sscopmce",
    "iplt",
    "sps",
    "pipe",
    "sctp",
    "fc",
    "rsvp-e2e-ignore",
    "mobility-header",
    "udplite",
    "mpls-in-ip",
    "manet",
    "hip",
    "shim6",
    "wesp",
    "rohc",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "exptest-253",
    "exptest-254",
    "reserved",
];

/// The `ipproto_values` name of `proto`, or `"unknown"` (tcpdump's `tok2str`).
pub fn ipproto_name(proto: u8) -> &'static str {
    IPPROTO_VALUES
        .iter()
        .take(IPPROTO_VALUES.len() - 1)
        .find(|(p, _)| *p == proto)
        .map_or("unknown", |(_, name)| name)
}

/// The netdb name of `proto`, if it has one.
pub fn netdb_protoname(proto: u8) -> Option<&'static str> {
    NETDB_PROTOCOL_NAMES
        .get(usize::from(proto))
        .copied()
        .filter(|s| !s.is_empty())
}

/// Print ` name` (without `-n`, when the protocol has a netdb name) or ` ip-proto-N`.
pub fn print_proto_word(nd: &mut Nd<'_>, proto: u8) {
    match netdb_protoname(proto) {
        Some(name) if nd.opts.n == 0 => {
            nd.print(" ");
            nd.print(name);
        }
        _ => {
            nd.print(" ip-proto-");
            nd.print_dec(proto);
        }
    }
}

/// Transport protocols whose printers print the addresses themselves, with the ports.
pub fn has_ports(proto: u8) -> bool {
    matches!(
        proto,
        IPPROTO_TCP | IPPROTO_UDP | IPPROTO_SCTP | IPPROTO_DCCP
    )
}

/// Hand a payload to its protocol's printer (print-ip-demux.c `ip_demux_print`): `len` is the
/// on-wire payload length, `ver` the IP version carrying it. Authentication headers are
/// printed and stepped over on the way.
pub fn demux(nd: &mut Nd<'_>, data: &[u8], len: u32, ver: u8, nh: u8, ctx: &IpCtx) -> PResult {
    let (mut data, mut len, mut nh) = (data, len, nh);
    let mut ctx = *ctx;
    while nh == IPPROTO_AH {
        let Ok(next) = get_u8(data, 0) else {
            nd.protocol = "ah";
            util::print_trunc(nd);
            return Ok(());
        };
        let advance = ipsec::print_ah(nd, data)?;
        nh = next;
        // tcpdump subtracts in unsigned arithmetic: an AH longer than the payload wraps.
        len = len.wrapping_sub(u32::try_from(advance).unwrap_or(u32::MAX));
        data = data.get(advance..).unwrap_or(&[]);
        // The IP header's protocol field now names AH, not the transport.
        ctx.after_ext_headers = true;
    }
    demux_one(nd, data, len, ver, nh, &ctx)
}

/// `demux` for every protocol but AH.
fn demux_one(nd: &mut Nd<'_>, data: &[u8], len: u32, ver: u8, nh: u8, ctx: &IpCtx) -> PResult {
    match nh {
        IPPROTO_TCP => tcp::print(nd, data, len, ctx),
        IPPROTO_UDP => udp::print(nd, data, len, ctx),
        IPPROTO_ICMP if ver == 4 => icmp::print(nd, data, len, ctx),
        IPPROTO_ICMPV6 if ver == 6 => icmp6::print(nd, data, len, ctx),
        IPPROTO_IGMP if ver == 4 => super::igmp::print(nd, data, len),
        super::pim::IPPROTO_PIM => super::pim::print(nd, data, len, ctx),
        super::vrrp::IPPROTO_VRRP => super::vrrp::print(nd, data, len, ctx),
        IPPROTO_ICMP | IPPROTO_IGMP if ver != 4 => {
            {
                let v0 = ipproto_name(nh);
                nd.print("[");
                nd.print(v0);
                nd.print(" requires IPv4]");
            };
            util::print_invalid(nd);
            Ok(())
        }
        IPPROTO_ICMPV6 | IPPROTO_ETHERNET if ver != 6 => {
            {
                let v0 = ipproto_name(nh);
                nd.print("[");
                nd.print(v0);
                nd.print(" requires IPv6]");
            };
            util::print_invalid(nd);
            Ok(())
        }
        IPPROTO_ND => {
            nd.print(" nd ");
            nd.print_dec(len);
            Ok(())
        }
        IPPROTO_IPV4 if ctx.nested => ip::print_nested(nd, data, len),
        IPPROTO_IPV4 => ip::print(nd, data, len),
        IPPROTO_IPV6 if ctx.nested => ip6::print_nested(nd, data, len),
        IPPROTO_IPV6 => ip6::print(nd, data, len),
        // print-ip-demux.c: an Ethernet frame after an IPv6 header (RFC 8986 End.DX2).
        IPPROTO_ETHERNET => super::ether::print_encapsulated(nd, data, len),
        IPPROTO_NONE => {
            nd.print("no next header");
            Ok(())
        }
        IPPROTO_ESP => ipsec::print_esp(nd, data, len),
        IPPROTO_EIGRP => super::eigrp::print(nd, data, len),
        IPPROTO_OSPF if ver == 6 => super::ospf6::print(nd, data, len),
        IPPROTO_OSPF => super::ospf::print(nd, data, len),
        IPPROTO_IPCOMP => ipsec::print_ipcomp(nd, data),
        IPPROTO_GRE => super::gre::print(nd, data, len),
        super::pgm::IPPROTO_PGM => super::pgm::print(nd, data, len, ctx, !ctx.after_ext_headers),
        // Protocols tcpdump has further printers for (OSPF, SCTP, ...) are printed here
        // as unknown ones.
        _ => {
            print_proto_word(nd, nh);
            nd.print(" ");
            nd.print_dec(len);
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn protocol_tables_cover_every_number() {
        assert_eq!(ipproto_name(6), "TCP");
        assert_eq!(ipproto_name(0), "Options");
        assert_eq!(ipproto_name(253), "unknown");
        assert_eq!(netdb_protoname(17), Some("udp"));
        assert_eq!(netdb_protoname(61), None);
        assert_eq!((0..=255u8).filter_map(netdb_protoname).count(), 141);
    }
}
