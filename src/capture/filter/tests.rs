//! Unit tests: errors name the offending word, programs pass the kernel's checks, and
//! nothing panics on any expression or packet.

use super::*;
use proptest::prelude::*;
use std::net::IpAddr;

const LINKS: [LinkType; 8] = [
    LinkType::Ethernet,
    LinkType::Raw,
    LinkType::LinuxSll,
    LinkType::LinuxSll2,
    LinkType::Null,
    LinkType::Loop,
    LinkType::Ipv4,
    LinkType::Ipv6,
];

fn err(expr: &str) -> String {
    match compile(expr, LinkType::Ethernet, 262_144) {
        Ok(_) => panic!("{expr:?} compiled"),
        Err(e) => e.message,
    }
}

#[test]
fn empty_expression_accepts_all() {
    for link in LINKS {
        let p = compile("  ", link, 0).unwrap();
        assert!(p.matches(&[], 0));
        assert!(p.matches(&[1, 2, 3], 3));
    }
}

#[test]
fn syntax_errors_name_the_offending_word() {
    let m = err("tcp and prot 80");
    assert_eq!(m, "syntax error in filter expression at 'prot': expected a primitive (a value needs a qualifier such as 'host' or 'port')");
    assert!(err("port 80 and").contains("at its end"));
    assert!(err("port 80 )").contains("at ')'"));
    assert!(err("(port 80").contains("expected ')'"));
    assert!(err("host 1.2.3.4 # 5").contains("at '#'"));
    assert!(err("80").contains("at '80'"));
    assert!(err("tcp or 80").contains("'80'"));
    assert!(err("port 08").contains("'08'"));
    assert!(!err("tcp and prot 80").contains('\n'));
}

#[test]
fn semantic_errors_name_the_offending_word() {
    assert!(err("port 70000").contains("'70000'") && err("port 70000").contains("65535"));
    assert!(err("host www.example.com").contains("'www.example.com'"));
    assert!(err("port http").contains("'http'"));
    assert!(err("ip6 host 1.2.3.4").contains("'1.2.3.4'"));
    assert!(err("net 10.0.0.1/8").contains("non-network bits"));
    assert!(err("ip port 80").contains("illegal qualifier"));
    assert!(err("clnp").contains("'clnp'"));
    assert!(err("mpls and arp").contains("unsupported protocol over mpls"));
    assert!(err("llc foo").contains("unknown LLC type name \"foo\""));
}

/// A fixed table of names, as `capture::names` would read them.
struct Table;

impl Resolver for Table {
    fn host(&self, name: &str) -> Vec<IpAddr> {
        match name {
            "two" => vec!["10.0.0.1".parse().unwrap(), "::1".parse().unwrap()],
            "v4" => vec!["10.0.0.2".parse().unwrap()],
            _ => Vec::new(),
        }
    }
    fn service(&self, name: &str) -> (Option<u16>, Option<u16>) {
        match name {
            "both" => (Some(53), Some(53)),
            "web" => (Some(80), None),
            "time" => (None, Some(123)),
            "split" => (Some(1), Some(2)),
            _ => (None, None),
        }
    }
    fn network(&self, name: &str) -> Option<u32> {
        (name == "lab").then_some(10)
    }
    fn ether(&self, name: &str) -> Option<[u8; 6]> {
        (name == "gw").then_some([0, 1, 2, 3, 4, 5])
    }
    fn protocol(&self, name: &str) -> Option<u32> {
        (name == "routing").then_some(89)
    }
}

/// Each name compiles to what its value compiles to.
#[test]
fn names_compile_as_their_values() {
    let same = |named: &str, numeric: &str, link: LinkType| {
        let a = compile_with(named, link, 0, &Table).unwrap_or_else(|e| panic!("{named}: {e}"));
        let b = compile(numeric, link, 0).unwrap_or_else(|e| panic!("{numeric}: {e}"));
        assert_eq!(
            a.instructions(),
            b.instructions(),
            "{named} vs {numeric} on {link}"
        );
    };
    let eth = LinkType::Ethernet;
    same("host two", "host 10.0.0.1 or host ::1", eth);
    same("src host two", "src host 10.0.0.1 or src host ::1", eth);
    same("ip host two", "ip host 10.0.0.1", eth);
    same("ip6 host two", "ip6 host ::1", eth);
    // No link-layer type: IPv4 addresses are IP's only.
    same("host v4", "ip host 10.0.0.2", LinkType::Raw);
    same("port both", "port 53", eth);
    same("port web", "tcp port 80", eth);
    same("udp port both", "udp port 53", eth);
    same("port time", "udp port 123", eth);
    same("port split", "tcp port 1", eth);
    same("portrange web-both", "portrange 53-80", eth);
    same("tcp portrange web-both", "tcp portrange 53-80", eth);
    same("net lab", "net 10", eth);
    same("ether host gw", "ether host 0:1:2:3:4:5", eth);
    same("ip proto \\routing", "ip proto 89", eth);
    same("proto \\tcp", "proto 6", eth);
    let err = |e: &str| compile_with(e, eth, 0, &Table).unwrap_err().message;
    assert!(err("host nope").ends_with("unknown host 'nope'"));
    assert!(err("ip6 host v4").ends_with("unknown host 'v4' for specified address family"));
    assert!(err("udp port web").ends_with("port 'web' is tcp"));
    assert!(err("tcp port time").ends_with("port 'time' is udp"));
    assert!(err("port nope").ends_with("unknown port 'nope'"));
    assert!(err("portrange a-b-c").ends_with("unknown port in range 'a-b-c'"));
    assert!(err("net nope").ends_with("unknown network 'nope'"));
    assert!(err("ether host nope").ends_with("unknown ether host 'nope'"));
    assert!(err("gateway two").ends_with("'gateway' not supported in this configuration"));
    // Without a resolver every name is unknown.
    assert!(compile("host two", eth, 0).is_err());
}

#[test]
fn programs_pass_the_kernel_checks() {
    let exprs = [
        "tcp port 80",
        "host 10.0.0.1 or host ::1 or net 192.168.0.0/16",
        "portrange 1000-2000 and not (udp or icmp6)",
        "tcp[tcpflags] & (tcp-syn|tcp-fin) != 0",
        "vlan 10 and ip",
        "less 100 or greater 1000",
        "geneve 11 and tcp port 80",
        "geneve and vlan and ether host 1:2:3:4:5:6",
        "geneve and geneve 5 and ip6",
        "geneve and ip[0] & 0xf != 5",
    ];
    for link in LINKS {
        for e in exprs {
            let Ok(p) = compile(e, link, 65_535) else {
                continue;
            };
            verify(p.instructions()).unwrap_or_else(|err| panic!("{e} on {link}: {err}"));
            assert!(p.instructions().len() <= MAX_INSNS);
            let last = p.instructions().last().unwrap();
            assert_eq!(last.code & 0x07, 0x06, "{e}: ends with ret");
        }
    }
}

#[test]
fn long_expressions_use_long_jumps() {
    let e = (0..120)
        .map(|i| format!("host 10.0.{}.{}", i / 200, i % 200))
        .collect::<Vec<_>>()
        .join(" or ");
    let p = compile(&e, LinkType::Ethernet, 262_144).unwrap();
    verify(p.instructions()).unwrap();
    let mut pkt = vec![0u8; 34];
    pkt[12] = 0x08;
    pkt[14] = 0x45;
    pkt[26..30].copy_from_slice(&[10, 0, 0, 119]);
    assert!(p.matches(&pkt, 34));
    pkt[29] = 200;
    assert!(!p.matches(&pkt, 34));
}

/// The kernel's 4,096-instruction limit bounds only what is attached to a socket: a longer
/// program filters in user space and is refused by `sock_filter` alone.
#[test]
fn too_long_a_program_runs_in_user_space_only() {
    let e = (0..1500)
        .map(|i| format!("port {i}"))
        .collect::<Vec<_>>()
        .join(" or ");
    let p = compile(&e, LinkType::Ethernet, 262_144).unwrap();
    assert!(p.instructions().len() > MAX_INSNS);
    // Ethernet, IPv4, UDP from port 1499 to 40000.
    let mut pkt = vec![0u8; 42];
    pkt[12] = 0x08;
    pkt[14] = 0x45;
    pkt[23] = 17;
    pkt[34..36].copy_from_slice(&1499u16.to_be_bytes());
    pkt[36..38].copy_from_slice(&40000u16.to_be_bytes());
    assert!(p.matches(&pkt, 42));
    pkt[34..36].copy_from_slice(&1500u16.to_be_bytes());
    assert!(!p.matches(&pkt, 42));
    let m = p.sock_filter().unwrap_err().message;
    assert!(m.contains("too complex") && m.contains("4096"), "{m}");
    let short = compile("port 1499", LinkType::Ethernet, 262_144).unwrap();
    let kernel = short.sock_filter().unwrap();
    assert_eq!(kernel.len(), short.instructions().len());
}

/// Nesting stops where libpcap's parser stack (bison's) is full, with its message, and
/// never overflows this parser's stack (the integration tests compare with tcpdump).
#[test]
fn nesting_is_bounded_like_bisons_stack() {
    let exhausted = |e: &str| {
        let r = compile(e, LinkType::Ethernet, 262_144);
        r.err().map(|e| e.message)
    };
    let parens = |n: usize| format!("{}tcp{}", "(".repeat(n), ")".repeat(n));
    assert_eq!(exhausted(&parens(9_995)), None);
    let message = Some("can't parse filter expression: memory exhausted".to_string());
    assert_eq!(exhausted(&parens(9_996)), message);
    assert_eq!(exhausted(&parens(100_000)), message);
    let nots = |n: usize| format!("{}tcp", "not ".repeat(n));
    assert_eq!(exhausted(&nots(9_996)), None);
    assert_eq!(exhausted(&nots(9_997)), message);
    let minus = |n: usize| format!("len = {}1", "-".repeat(n));
    assert_eq!(exhausted(&minus(9_994)), None);
    assert_eq!(exhausted(&minus(9_995)), message);
    let loads = |n: usize| format!("{}0{} = 1", "ip[".repeat(n), "]".repeat(n));
    assert_eq!(exhausted(&loads(4_997)), None);
    assert_eq!(exhausted(&loads(4_998)), message);
}

/// An Ethernet frame carrying IPv4 (or IPv6), UDP to port 6081 and a Geneve header with
/// `opts` bytes of options, VNI `vni` and protocol `proto`, then `inner`.
fn geneve_frame(v6: bool, opts: usize, vni: u32, proto: u16, inner: &[u8]) -> Vec<u8> {
    let mut g = vec![(opts / 4) as u8, 0];
    g.extend_from_slice(&proto.to_be_bytes());
    g.extend_from_slice(&(vni << 8).to_be_bytes());
    g.extend(std::iter::repeat_n(0xaa, opts));
    g.extend_from_slice(inner);
    let mut udp = vec![0x9c, 0x40, 0x17, 0xc1];
    udp.extend_from_slice(&(8 + g.len() as u16).to_be_bytes());
    udp.extend_from_slice(&[0, 0]);
    udp.extend(g);
    let mut f = vec![0u8; 12];
    if v6 {
        f.extend_from_slice(&[0x86, 0xdd, 0x60, 0, 0, 0]);
        f.extend_from_slice(&(udp.len() as u16).to_be_bytes());
        f.extend_from_slice(&[17, 64]);
        f.extend_from_slice(&[0; 32]);
    } else {
        f.extend_from_slice(&[0x08, 0x00, 0x45, 0]);
        f.extend_from_slice(&(20 + udp.len() as u16).to_be_bytes());
        f.extend_from_slice(&[0, 0, 0, 0, 64, 17, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2]);
    }
    f.extend(udp);
    f
}

/// An IPv4 header from 10.0.0.1 (protocol TCP, ports 1234 to 80), framed in Ethernet
/// when `ether`.
fn inner_ipv4(ether: bool) -> Vec<u8> {
    let mut f = Vec::new();
    if ether {
        f.extend_from_slice(&[2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2, 0x08, 0x00]);
    }
    f.extend_from_slice(&[
        0x45, 0, 0, 40, 0, 0, 0, 0, 64, 6, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2,
    ]);
    f.extend_from_slice(&[0x04, 0xd2, 0, 80]);
    f.extend_from_slice(&[0; 16]);
    f
}

#[test]
fn geneve_reads_what_follows_past_its_options() {
    let matches = |e: &str, pkt: &[u8]| {
        let p = compile(e, LinkType::Ethernet, 262_144).unwrap();
        verify(p.instructions()).unwrap();
        p.matches(pkt, pkt.len() as u32)
    };
    for v6 in [false, true] {
        for opts in [0, 8, 252] {
            let eth = geneve_frame(v6, opts, 11, 0x6558, &inner_ipv4(true));
            let ip = geneve_frame(v6, opts, 11, 0x0800, &inner_ipv4(false));
            for pkt in [&eth, &ip] {
                assert!(matches("geneve", pkt), "v6 {v6} opts {opts}");
                assert!(matches("geneve 11 and ip host 10.0.0.1", pkt));
                assert!(matches("geneve 0xb and tcp port 80", pkt));
                assert!(!matches("geneve 12", pkt));
                assert!(!matches("geneve and ip host 10.0.0.3", pkt));
                assert!(!matches("geneve and udp", pkt));
                assert!(!matches("not geneve", pkt));
            }
            // Only the Ethernet frame has Ethernet addresses.
            assert!(matches("geneve and ether src 2:0:0:0:0:2", &eth));
            assert!(!matches("geneve and ether src 2:0:0:0:0:2", &ip));
            assert!(matches("geneve and ip[9] = 6", &eth));
            assert!(matches("geneve and tcp[2:2] = 80", &ip));
        }
    }
    // Version 1, or another port, is not Geneve.
    let mut pkt = geneve_frame(false, 0, 11, 0x6558, &inner_ipv4(true));
    pkt[42] |= 0x40;
    assert!(!matches("geneve", &pkt));
    pkt[42] &= !0x40;
    pkt[37] = 0xc2;
    assert!(!matches("geneve", &pkt));
}

#[test]
fn geneve_compiles_unoptimized_into_scratch_memory() {
    let p = compile("geneve and ip", LinkType::Ethernet, 262_144).unwrap();
    let insns = p.instructions();
    // The always-true test that copies the IPv4 header length, and the stores of the three
    // offsets, as libpcap's unoptimized program has them.
    assert!(insns.iter().any(|i| i.code == bpf::JMP | bpf::JEQ | bpf::X));
    for r in 0..3 {
        assert!(insns
            .iter()
            .any(|i| (i.code == bpf::ST || i.code == bpf::STX) && i.k == r));
    }
    assert_eq!(
        insns[insns.len() - 2],
        BpfInsn::stmt(bpf::RET | bpf::K, 262_144)
    );
    // Arithmetic keeps its operands in the scratch words after Geneve's, as libpcap's
    // unoptimized code does: the index in M[3], the byte read in M[4], 0x45 in M[5].
    let p = compile("geneve and ip[0] = 0x45", LinkType::Ethernet, 0).unwrap();
    let stores: Vec<u32> = p
        .instructions()
        .iter()
        .filter(|i| i.code == bpf::ST)
        .map(|i| i.k)
        .collect();
    assert_eq!(stores, [0, 1, 0, 3, 4, 5]);
    assert!(
        err("geneve and len = 1+(1+(1+(1+(1+(1+(1+(1+(1+(1+(1+(1+(1+(1))))))))))))))")
            .ends_with("too many registers needed to evaluate expression")
    );
    let m = err("geneve 16777216");
    assert_eq!(
        m,
        "error in filter expression at '16777216': Geneve VNI 16777216 greater than maximum 16777215"
    );
    assert!(compile("geneve (0xffffff)", LinkType::Ethernet, 0).is_ok());
    // Jumps longer than 8 bits go through `ja`, and still select.
    let e = (0..40)
        .map(|i| format!("host 10.0.0.{}", i + 1))
        .collect::<Vec<_>>()
        .join(" or ");
    let p = compile(&format!("geneve and ({e})"), LinkType::Ethernet, 262_144).unwrap();
    verify(p.instructions()).unwrap();
    assert!(p
        .instructions()
        .iter()
        .any(|i| i.code == bpf::JMP | bpf::JA));
    let pkt = geneve_frame(true, 4, 1, 0x6558, &inner_ipv4(true));
    assert!(p.matches(&pkt, pkt.len() as u32));
}

fn expr_strategy() -> impl Strategy<Value = String> {
    let words = prop::sample::select(
        "ip ip6 tcp udp icmp icmp6 arp host net port portrange src dst and or not && || ! ( ) \
         less greater 80 443 10.0.0.1 10.0.0.0/8 ::1 fe80::/10 1-1024 proto mask 255.0.0.0 \
         vlan [ ] 13 : 2 & != = > - + * / len tcp-syn ether 0:1:2:3:4:5 x 0x % ^ << >> 65536 \
         geneve 16777216"
            .split_whitespace()
            .collect::<Vec<_>>(),
    );
    prop::collection::vec(words, 0..12).prop_map(|w| w.join(" "))
}

proptest! {
    #[test]
    fn never_panics(expr in expr_strategy(), raw in ".{0,40}", pkt in prop::collection::vec(any::<u8>(), 0..120), wire in any::<u32>()) {
        for link in LINKS {
            for e in [expr.as_str(), raw.as_str()] {
                if let Ok(p) = compile(e, link, 262_144) {
                    prop_assert!(verify(p.instructions()).is_ok());
                    let _ = p.matches(&pkt, wire);
                } else if let Err(err) = compile(e, link, 262_144) {
                    prop_assert!(!err.message.contains('\n'));
                }
            }
        }
    }

    #[test]
    fn interpreter_never_panics(prog in prop::collection::vec((any::<u16>(), any::<u8>(), any::<u8>(), any::<u32>()), 0..30), pkt in prop::collection::vec(any::<u8>(), 0..64)) {
        let insns: Vec<BpfInsn> = prog.into_iter().map(|(code, jt, jf, k)| BpfInsn { code, jt, jf, k }).collect();
        let _ = bpf::run(&insns, &pkt, 64);
        let _ = verify(&insns);
    }
}

#[test]
fn a_long_or_chain_compiles_quickly() {
    let e = (0..60)
        .map(|i| format!("port {}", 1000 + i))
        .collect::<Vec<_>>()
        .join(" or ");
    let start = std::time::Instant::now();
    let p = compile(&e, LinkType::Ethernet, 262_144).unwrap();
    let took = start.elapsed();
    verify(p.instructions()).unwrap();
    assert!(took.as_secs() < 5, "compiling 60 ports took {took:?}");
    eprintln!(
        "60 ports: {} instructions in {took:?}",
        p.instructions().len()
    );
}
