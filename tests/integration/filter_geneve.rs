//! The `geneve` primitive against libpcap: on the packets of `fixtures/dump/geneve/geneve.pcap`
//! (scripts/fixtures/geneve.py: Geneve over IPv4 and IPv6, options of several lengths, VNIs,
//! Ethernet or bare IP inside, UDP to port 6081 carrying garbage, captures cut short), put on
//! every supported link type, `Program::matches` must select exactly what `tcpdump -r FILE
//! -w - EXPR` selects, for fixed expressions and random ones.
//!
//! After `geneve`, libpcap reads the offsets it stored in scratch memory; on a path where
//! `geneve` did not hold (`geneve or tcp`, `not geneve and tcp`) that memory was never written
//! and libpcap reads whatever its stack holds, so the expressions here read it only where
//! `geneve` held.

use super::filter::{compare, Frame, LINKS};
use pcap_file::pcap::PcapReader;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// The fixture's packets, each padded to its on-wire length (the padding is never captured).
fn frames() -> Vec<Frame> {
    let path = super::util::root().join("fixtures/dump/geneve/geneve.pcap");
    let file = std::fs::File::open(&path).expect("fixtures/dump/geneve/geneve.pcap");
    let mut r = PcapReader::new(file).expect("a pcap");
    let mut frames = Vec::new();
    while let Some(p) = r.next_packet() {
        let p = p.expect("a pcap record");
        let mut eth = p.data.to_vec();
        let caplen = eth.len();
        eth.resize((p.orig_len as usize).max(caplen), 0);
        frames.push(Frame { eth, caplen });
    }
    assert!(frames.len() > 50, "{} packets", frames.len());
    frames
}

const EXPRESSIONS: &[&str] = &[
    "geneve",
    "geneve 0xb",
    "geneve 11",
    "geneve 12",
    "geneve 0",
    "geneve 16777215",
    "geneve (0xc)",
    "geneve 16777216",
    "not geneve",
    "geneve and ip",
    "geneve and ip6",
    "geneve and arp",
    "geneve and tcp",
    "geneve && tcp",
    "geneve and udp",
    "geneve and icmp",
    "geneve and ip host 10.0.0.1",
    "geneve and host 10.0.0.1",
    "geneve 12 and src host 10.0.0.2",
    "geneve and dst net 10.0.0.0/24",
    "geneve and ip6 host 2001:db8::1",
    "geneve and ip6 net 2001:db8::/32",
    "geneve 0xb and tcp port 80",
    "geneve and port 53",
    "geneve and udp dst port 2",
    "geneve and portrange 1-100",
    "geneve and tcp[tcpflags] & tcp-syn != 0",
    "geneve and ip[9] = 6",
    "geneve and ether[12:2] = 0x800",
    "geneve and ether host 2:0:0:0:0:1",
    "geneve and ether src 0:11:22:33:44:55",
    "geneve and ether dst 2:0:0:0:0:2",
    "geneve and ether broadcast",
    "geneve and ether multicast",
    "geneve and ip multicast",
    "geneve and vlan",
    "geneve and vlan 10",
    "geneve and vlan 10 and ip host 10.0.0.9",
    "geneve and vlan and udp port 2",
    "geneve and mpls",
    "geneve and mpls 100 and ip",
    "geneve and ether proto 0x800",
    "geneve and ip proto 1",
    "geneve and ip6 proto 6",
    "geneve and (tcp or udp)",
    "geneve and not tcp",
    "geneve and not (arp or ip6)",
    "not (geneve and tcp)",
    "geneve and geneve",
    "geneve and greater 100",
    "geneve and less 120",
    "udp and geneve",
    "ip6 and geneve 0xc and ip",
    "vlan and geneve",
    "vlan 7 and geneve and ip6",
    "tcp or geneve",
    "udp port 53 or geneve 0",
    "not udp or geneve 0xb",
];

/// Primitives that may follow `geneve`.
const AFTER: &[&str] = &[
    "ip",
    "ip6",
    "arp",
    "tcp",
    "udp",
    "icmp",
    "host 10.0.0.1",
    "src host 10.0.0.2",
    "ip6 host 2001:db8::2",
    "port 80",
    "tcp dst port 80",
    "udp port 53",
    "ether src 2:0:0:0:0:1",
    "ether broadcast",
    "vlan",
    "vlan 10",
    "mpls",
    "ip[0] & 0xf = 5",
    "greater 150",
];

/// Primitives that may come before it.
const BEFORE: &[&str] = &["ip", "ip6", "udp", "udp port 6081", "vlan", "greater 100"];

fn random_geneve(rng: &mut StdRng) -> String {
    let vni = ["", " 11", " 12", " 0", " 16777215", " 99"][rng.gen_range(0..6)];
    let pick = |rng: &mut StdRng, from: &[&str]| from[rng.gen_range(0..from.len())].to_string();
    let after = |rng: &mut StdRng| {
        let a = pick(rng, AFTER);
        match rng.gen_range(0..4) {
            0 => format!("not {a}"),
            1 => format!("({a} or {})", pick(rng, AFTER)),
            2 => format!("{a} and {}", pick(rng, AFTER)),
            _ => a,
        }
    };
    match rng.gen_range(0..6) {
        0 => format!("geneve{vni}"),
        1 | 2 => format!("geneve{vni} and {}", after(rng)),
        3 => format!("{} and geneve{vni} and {}", pick(rng, BEFORE), after(rng)),
        4 => format!("{} or geneve{vni}", pick(rng, BEFORE)),
        _ => format!("not (geneve{vni} and {})", after(rng)),
    }
}

#[test]
fn geneve_selects_like_tcpdump_on_every_link_type() {
    let mut rng = StdRng::seed_from_u64(6081);
    let mut exprs: Vec<String> = EXPRESSIONS.iter().map(|e| e.to_string()).collect();
    exprs.extend((0..80).map(|_| random_geneve(&mut rng)));
    let t = compare(&frames(), &LINKS, &exprs, &mut rng);
    t.report("geneve", exprs.len(), LINKS.len());
}
