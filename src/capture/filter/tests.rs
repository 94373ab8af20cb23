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

fn expr_strategy() -> impl Strategy<Value = String> {
    let words = prop::sample::select(
        "ip ip6 tcp udp icmp icmp6 arp host net port portrange src dst and or not && || ! ( ) \
         less greater 80 443 10.0.0.1 10.0.0.0/8 ::1 fe80::/10 1-1024 proto mask 255.0.0.0 \
         vlan [ ] 13 : 2 & != = > - + * / len tcp-syn ether 0:1:2:3:4:5 x 0x % ^ << >> 65536"
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
