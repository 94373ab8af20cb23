//! tcpdump's habits in `echolab dump`, each against tcpdump itself: `-r -` (standard input),
//! `-F FILE`, `--count`, `-d`/`-dd`/`-ddd`, and the note when no expression is given live.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use echolab::capture::filter;
use echolab::capture::live;
use echolab::capture::record::LinkType;

use crate::util::{bin, require, root, Capturer};

const SESSION: &str = "fixtures/dump/tcp/session4.pcap";

/// `prog args` with `stdin` piped in, `TZ=UTC`.
fn with_stdin(prog: &str, args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(prog)
        .args(args)
        .env("TZ", "UTC")
        .current_dir(root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {prog}: {e}"));
    let mut input = child.stdin.take().unwrap();
    input.write_all(stdin).unwrap();
    drop(input);
    child.wait_with_output().unwrap()
}

/// tcpdump and `echolab dump` with the same arguments and input: the same stdout, stderr
/// and status (echolab's error lines say `echolab dump: error:` where tcpdump says
/// `tcpdump:`).
pub(crate) fn same_as_tcpdump(args: &[&str], stdin: &[u8]) {
    require("tcpdump");
    let t = with_stdin("tcpdump", args, stdin);
    let mut e_args = vec!["dump"];
    e_args.extend_from_slice(args);
    let e = with_stdin(bin("echolab").to_str().unwrap(), &e_args, stdin);
    let text = |o: &Output| String::from_utf8_lossy(&o.stdout).into_owned();
    crate::util::assert_text_eq(&format!("stdout of {args:?}"), &text(&t), &text(&e));
    let err_t = String::from_utf8_lossy(&t.stderr).replace("tcpdump: ", "echolab dump: error: ");
    assert_eq!(
        err_t,
        String::from_utf8_lossy(&e.stderr),
        "stderr of {args:?}"
    );
    assert_eq!(t.status.code(), e.status.code(), "status of {args:?}");
}

#[test]
fn read_from_standard_input() {
    let pcap = std::fs::read(root().join(SESSION)).unwrap();
    same_as_tcpdump(&["-r", "-", "-nn"], &pcap);
    same_as_tcpdump(
        &["-r", "-", "-nnvvXS", "tcp[tcpflags] & tcp-push != 0"],
        &pcap,
    );
    // Not a capture: tcpdump's message, with the file's name as echolab's errors give it.
    let o = with_stdin(
        bin("echolab").to_str().unwrap(),
        &["dump", "-r", "-"],
        b"garbage",
    );
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(err, "echolab dump: error: -: unknown file format\n");
}

#[test]
fn filter_from_a_file_with_comments() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("filter");
    std::fs::write(
        &f,
        "# the echo server's side\ntcp and src port 4002 # replies\n",
    )
    .unwrap();
    let f = f.to_str().unwrap();
    same_as_tcpdump(&["-r", SESSION, "-nn", "-F", f], b"");
    // The command line's expression is ignored.
    same_as_tcpdump(&["-r", SESSION, "-nn", "-F", f, "udp"], b"");
    let missing = dir.path().join("missing");
    same_as_tcpdump(&["-r", SESSION, "-F", missing.to_str().unwrap()], b"");
}

#[test]
fn count_prints_the_number_of_packets() {
    same_as_tcpdump(&["-r", SESSION, "--count"], b"");
    same_as_tcpdump(
        &["-r", SESSION, "--count", "tcp[tcpflags] & tcp-syn != 0"],
        b"",
    );
    same_as_tcpdump(&["-r", SESSION, "--count", "udp"], b"");
    same_as_tcpdump(&["-r", SESSION, "--count", "-c", "3"], b"");
}

/// Expressions whose program echolab compiles instruction for instruction as libpcap does:
/// `-d`, `-dd` and `-ddd` must print them as tcpdump does, byte for byte, with and without
/// `-r` (whose link type they then use) and `-i`.
const SAME_PROGRAM: &[&str] = &[
    "vlan 10 and ip",
    "ether host 1:2:3:4:5:6",
    "ether src 2:0:0:0:0:1",
    "",
    "not ip",
    "mpls",
    "mpls 100 and mpls 200",
    "vlan and mpls and ip",
    "mpls and ip6",
    "mpls and host 1.2.3.4",
    "pppoed",
    "pppoes 5",
    "pppoes and ip host 1.2.3.4",
    "pppoes and ip6",
    "pppoes and mpls and ip",
    "llc",
    "llc i",
    "llc s",
    "llc u",
    "llc rnr",
    "llc ui",
    "llc xid",
    "llc and not stp",
    "vlan and llc",
    "stp or ipx",
    "netbeui",
    "iso",
    "atalk",
    "aarp",
    "decnet or lat or sca or mopdl or moprc",
    "ether proto \\stp",
    "ether proto \\ipx",
    "ether proto \\loopback",
    "host localhost",
    "src host localhost",
    "arp host localhost",
    "net loopback",
    "dst net link-local",
    "port 80",
    "tcp port 80",
    "udp port 53",
    "port 4002",
    "tcp dst port 22",
    "not port 22",
    "tcp port 80 or udp port 53",
    "src port 1 and dst port 2",
    "host 1.2.3.4 and port 80",
    "ip6 and port 80",
    "vlan and port 80",
    "pppoes and tcp port 80",
    "icmp or port 53",
    // Compiled unoptimized, as libpcap compiles any program with `geneve`.
    "geneve",
    "geneve 0xb",
    "geneve and ip host 10.0.0.1",
    "geneve 0xb and tcp port 80",
    "geneve and ether host 1:2:3:4:5:6",
    "geneve and vlan 10 and ip",
    "geneve and ip6 and udp port 53",
    "not geneve",
    "tcp or geneve",
    "vlan and geneve and ip",
    "geneve and geneve 5",
    "geneve and mpls and ip",
    "geneve and pppoes and ip",
    "geneve and (arp or ether broadcast)",
    "geneve and portrange 1-100",
    "geneve and not (tcp or udp)",
    "geneve and tcp[tcpflags] & (tcp-syn|tcp-ack) != 0",
    "geneve and ip[2:2] - ((ip[0] & 0xf) << 2) > 40",
    "ip[0] = 0x45 and geneve and udp[0:2] = 53",
    "geneve and ether[12:2] = 0x800 and len <= 200",
];

#[test]
fn compiled_programs_print_as_tcpdump_prints_them() {
    for expr in SAME_PROGRAM {
        for d in ["-d", "-dd", "-ddd"] {
            same_as_tcpdump(&[d, expr], b"");
            same_as_tcpdump(&["-r", SESSION, d, expr], b"");
            if !expr.contains("vlan") {
                // Live, libpcap tests VLAN tags in the kernel's metadata instead.
                same_as_tcpdump(&["-i", "lo", d, expr], b"");
            }
        }
    }
}

/// Every program `-ddd` prints is the one echolab runs on the packets (libpcap's optimizer
/// may order the same tests otherwise, which the README says), and `-d` numbers each of its
/// instructions in tcpdump's syntax.
#[test]
fn ddd_is_the_program_echolab_runs() {
    for expr in [
        "tcp port 80",
        "len > 100",
        "udp and not port 53",
        "icmp[icmptype] == 8",
        "ip6 and tcp[tcpflags] & (tcp-syn|tcp-ack) != 0",
        "net 10.0.0.0/8 or portrange 1-1024",
        "ip[2:2] - ((ip[0] & 0xf) << 2) > 40",
    ] {
        let o = crate::util::run("echolab", &["dump", "-ddd", expr], b"");
        assert_eq!(o.status.code(), Some(0), "{expr}");
        let printed = live::parse_ddd(&String::from_utf8_lossy(&o.stdout)).unwrap();
        let prog = filter::compile(expr, LinkType::Ethernet, 262_144).unwrap();
        assert_eq!(printed, prog.sock_filter().unwrap(), "{expr}");
        let d = crate::util::run("echolab", &["dump", "-d", expr], b"");
        let lines: Vec<String> = String::from_utf8_lossy(&d.stdout)
            .lines()
            .map(str::to_string)
            .collect();
        assert_eq!(lines.len(), printed.len(), "{expr}");
        for (n, l) in lines.iter().enumerate() {
            assert!(l.starts_with(&format!("({n:03}) ")), "{expr}: {l}");
        }
        assert_eq!(
            String::from_utf8_lossy(&d.stderr),
            "Warning: assuming Ethernet\n"
        );
    }
}

/// Live without an expression or `-i`, echolab captures the lab's `port 4002` on lo (not
/// tcpdump's everything) and says so on stderr.
#[test]
fn live_default_expression_is_announced() {
    crate::util::require_root();
    let cap = Capturer::echolab(&["dump", "-c", "1", "-nn"]);
    let said = cap.said();
    assert!(
        said.contains("no expression given: capturing `port 4002` on lo"),
        "{said}"
    );
    let (_, after) = cap.stop("-INT");
    assert!(!after.contains("error"), "{after}");
}
