//! `echolab stats` against tshark 4.0: every conversation, endpoint and hierarchy figure of
//! `--json` equals what `tshark -q -z conv,… -z endpoints,… -z io,phs` prints for the same
//! file, on the fixtures and on random captures; the JSON schema; the table width.
//!
//! Needs tshark; fails loudly without it.

use std::collections::BTreeMap;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::path::{Path, PathBuf};
use std::process::Command;

use echolab::capture::pcap::Writer;
use echolab::capture::record::{LinkType, Timestamp};
use echolab::capture::synth::{self, Ipv4, Ipv6, Net, Tcp, Transport, Udp};
use rand::Rng;
use serde_json::Value;

use crate::util::{bin, require, root};

/// The protocols `echolab stats` places in its hierarchy: tshark's tree is cut to them.
const KNOWN: &[&str] = &[
    "eth", "sll", "null", "raw", "vlan", "ip", "ipv6", "arp", "tcp", "udp", "icmp", "icmpv6",
];

/// Fixtures whose figures tshark reaches by dissecting beyond what `stats` reads, each with
/// the reason (checked to still differ, so the list cannot rot silently).
const UNLIKE: &[(&str, &str)] = &[
    (
        "fixtures/dump/l2c/arista.pcap",
        "IPv4 after the Arista timestamp header (ethertype 0xd28b): stats stops at the ethertype",
    ),
    (
        "fixtures/dump/l2c/bcm-li-trunc.pcap",
        "IPv4 headers cut short after the Broadcom LI shim: tshark still counts the layer",
    ),
    (
        "fixtures/dump/mcast/pim-register.pcap",
        "tshark counts the datagram a PIM register encapsulates as a conversation of its own",
    ),
    (
        "fixtures/dump/tun/tun.pcap",
        "packets inside GRE, VXLAN, Geneve, MPLS and PPP: stats counts only the outer layers",
    ),
    (
        "fixtures/dump/tun/tun-trunc.pcap",
        "packets inside GRE, VXLAN, Geneve, MPLS and PPP: stats counts only the outer layers",
    ),
    (
        "fixtures/dump/geneve/geneve.pcap",
        "packets inside Geneve: stats counts only the outer layers",
    ),
    (
        "fixtures/dump/ldp/nsh.pcap",
        "packets inside NSH and VXLAN-GPE: stats counts only the outer layers",
    ),
    (
        "fixtures/dump/ldp/nsh-trunc.pcap",
        "packets inside NSH and VXLAN-GPE: stats counts only the outer layers",
    ),
    (
        "fixtures/dump/tun/nflog.pcap",
        "IP inside NFLOG records: stats reads no NFLOG link type",
    ),
    (
        "fixtures/dump/l2b/sll-radiotap.pcap",
        "IP inside 802.11 frames of a cooked capture: stats reads no 802.11 link type",
    ),
    (
        "fixtures/dump/l2b/sll2-radiotap.pcap",
        "IP inside 802.11 frames of a cooked capture: stats reads no 802.11 link type",
    ),
    (
        "fixtures/dump/snmp/snmp-malformed.pcap",
        "tshark splits a UDP conversation where its SNMP dissector sees a new exchange",
    ),
    (
        "fixtures/dump/snmp/snmp-trunc.pcap",
        "tshark splits a UDP conversation where its SNMP dissector sees a new exchange",
    ),
    (
        "fixtures/dump/snmp/snmp.pcap",
        "tshark splits a UDP conversation where its SNMP dissector sees a new exchange",
    ),
    (
        "fixtures/dump/l2/llc.pcap",
        "IPv4 inside LLC/SNAP: stats counts only Ethernet II's ethertype",
    ),
    (
        "fixtures/dump/udpapps/radius-trunc.pcap",
        "an IPv6 header cut short: tshark still counts the layer",
    ),
    (
        "fixtures/dump/dns/dns.pcap",
        "IPv4 reassembly; ICMP-quoted datagrams",
    ),
    (
        "fixtures/dump/icmp/icmp-trunc.pcap",
        "ICMP cut short: tshark drops the layer",
    ),
    (
        "fixtures/dump/icmp/icmp.pcap",
        "ICMP errors quoting datagrams",
    ),
    ("fixtures/dump/icmp/icmp6-trunc.pcap", "ICMPv6 cut short"),
    (
        "fixtures/dump/icmp/icmp6.pcap",
        "ICMPv6 errors quoting datagrams",
    ),
    (
        "fixtures/dump/link/ether-trunc.pcap",
        "frames cut inside VLAN/LLC headers",
    ),
    (
        "fixtures/dump/link/ether.pcap",
        "802.3/LLC, stacked VLAN tags",
    ),
    ("fixtures/dump/link/loop.pcap", "LOOP address families"),
    (
        "fixtures/dump/link/names-sll.pcap",
        "ARP over Linux cooked capture",
    ),
    ("fixtures/dump/link/null.pcap", "NULL address families"),
    (
        "fixtures/dump/link/sll.pcap",
        "ARP, VLAN, LLC over Linux cooked capture",
    ),
    (
        "fixtures/dump/link/sll2.pcap",
        "Linux cooked capture v2 not decoded",
    ),
    ("fixtures/dump/net/ipsec.pcap", "transport inside AH"),
    (
        "fixtures/dump/net/ipv4-bad.pcap",
        "malformed IPv4 headers tshark still reads",
    ),
    ("fixtures/dump/net/ipv4-frag.pcap", "IPv4 reassembly"),
    (
        "fixtures/dump/net/ipv4-options.pcap",
        "malformed IPv4 options",
    ),
    ("fixtures/dump/net/ipv4.pcap", "IP-in-IP tunnels"),
    (
        "fixtures/dump/net/ipv6-bad.pcap",
        "malformed IPv6 headers tshark still reads",
    ),
    (
        "fixtures/dump/net/ipv6-ext.pcap",
        "routing header: the final destination",
    ),
    ("fixtures/dump/net/ipv6.pcap", "IP-in-IPv6 tunnels"),
    ("fixtures/dump/net/mobility.pcap", "mobility header"),
    (
        "fixtures/dump/tcp/cksum.pcap",
        "TCP header length tshark refuses",
    ),
    (
        "fixtures/dump/tcp/ext6.pcap",
        "routing header: the final destination",
    ),
    (
        "fixtures/dump/tcp/flags.pcap",
        "a reused 4-tuple starts a new TCP conversation",
    ),
    (
        "fixtures/dump/tcp/hdrlen.pcap",
        "TCP header length tshark accepts",
    ),
    (
        "fixtures/dump/tcp/options.pcap",
        "TCP header length tshark refuses",
    ),
    (
        "fixtures/dump/tcp/random.pcap",
        "a reused 4-tuple starts a new TCP conversation",
    ),
    ("fixtures/dump/tcp/trunc.pcap", "TCP headers cut short"),
    (
        "fixtures/dump/tcp/udp.pcap",
        "UDP cut short or quoted in ICMP",
    ),
];

/// One table row, every figure as text: the key is (table, A, B) or (table, address, "").
type Row = ((String, String, String), Vec<String>);

/// What tshark says about a file: conversation and endpoint rows in printed order, and the
/// hierarchy cut to [`KNOWN`].
#[derive(Debug, Default, PartialEq)]
struct Figures {
    rows: Vec<Row>,
    hierarchy: Vec<(usize, String, u64, u64)>,
}

fn tshark(file: &Path) -> Figures {
    let out = Command::new("tshark")
        .args(["-r"])
        .arg(file)
        .args([
            "-q",
            "-z",
            "conv,tcp",
            "-z",
            "conv,udp",
            "-z",
            "conv,ip",
            "-z",
            "conv,ipv6",
        ])
        .args(["-z", "endpoints,ip", "-z", "endpoints,ipv6", "-z", "io,phs"])
        .env("LC_ALL", "C")
        .output()
        .expect("run tshark");
    assert!(out.status.success(), "tshark failed on {}", file.display());
    parse_tshark(&String::from_utf8_lossy(&out.stdout))
}

fn parse_tshark(text: &str) -> Figures {
    let mut f = Figures::default();
    let mut table: Option<String> = None;
    let mut phs = false;
    let mut kept: Vec<bool> = Vec::new();
    for line in text.lines() {
        let title = match line {
            "TCP Conversations" => Some("tcp"),
            "UDP Conversations" => Some("udp"),
            "IPv4 Conversations" => Some("ip"),
            "IPv6 Conversations" => Some("ipv6"),
            "IPv4 Endpoints" => Some("ep-ip"),
            "IPv6 Endpoints" => Some("ep-ipv6"),
            _ => None,
        };
        if let Some(t) = title {
            table = Some(t.to_string());
            continue;
        }
        if line == "Protocol Hierarchy Statistics" {
            phs = true;
            continue;
        }
        if line.starts_with("====") {
            if phs && !f.hierarchy.is_empty() {
                phs = false;
            }
            table = None;
            continue;
        }
        if phs {
            phs_line(line, &mut kept, &mut f.hierarchy);
            continue;
        }
        let Some(t) = &table else { continue };
        let w: Vec<&str> = line.split_whitespace().collect();
        if t.starts_with("ep-") && w.len() == 7 && w[0].parse::<IpAddr>().is_ok() {
            let key = (t.clone(), w[0].to_string(), String::new());
            f.rows
                .push((key, w[1..].iter().map(|s| s.to_string()).collect()));
        } else if w.len() == 14 && w[1] == "<->" {
            let key = (t.clone(), w[0].to_string(), w[2].to_string());
            let figures = [
                w[3], w[4], w[5], w[6], w[7], w[8], w[9], w[10], w[11], w[12], w[13],
            ];
            f.rows
                .push((key, figures.iter().map(|s| s.to_string()).collect()));
        }
    }
    f
}

/// One `  name   frames:N bytes:M` line, kept when it and all its parents are known.
fn phs_line(line: &str, kept: &mut Vec<bool>, out: &mut Vec<(usize, String, u64, u64)>) {
    let w: Vec<&str> = line.split_whitespace().collect();
    let [name, frames, bytes] = w[..] else { return };
    let (Some(frames), Some(bytes)) =
        (frames.strip_prefix("frames:"), bytes.strip_prefix("bytes:"))
    else {
        return;
    };
    let depth = (line.len() - line.trim_start().len()) / 2;
    kept.truncate(depth);
    let keep = kept.iter().all(|k| *k) && KNOWN.contains(&name);
    kept.push(keep);
    if keep {
        out.push((
            depth,
            name.to_string(),
            frames.parse().unwrap(),
            bytes.parse().unwrap(),
        ));
    }
}

/// Wireshark's `format_size` for the conversation tables' byte columns (SI units, integer
/// division, a unit from ten of them up).
fn size(b: u64) -> Vec<String> {
    let units = [
        (1_000_000_000_000_000, "PB"),
        (1_000_000_000_000, "TB"),
        (1_000_000_000, "GB"),
    ];
    let more = [(1_000_000, "MB"), (1_000, "kB")];
    for (u, name) in units.iter().chain(more.iter()) {
        if b / u >= 10 {
            return vec![(b / u).to_string(), name.to_string()];
        }
    }
    vec![b.to_string(), "bytes".to_string()]
}

/// tshark's way of writing `addr:port` (IPv6 without brackets).
fn tshark_addr(a: &str) -> String {
    a.replacen('[', "", 1).replacen(']', "", 1)
}

fn ours(file: &Path) -> Value {
    let out = Command::new(bin("echolab"))
        .args(["stats", "--json", "-r"])
        .arg(file)
        .output()
        .expect("run echolab stats");
    assert!(
        out.status.success(),
        "echolab stats failed on {}: {}",
        file.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("stats --json is JSON")
}

fn figures(v: &Value) -> Figures {
    let mut f = Figures::default();
    let n = |c: &Value, k: &str| c[k].as_u64().unwrap();
    for c in v["conversations"].as_array().unwrap() {
        let key = (
            c["proto"].as_str().unwrap().to_string(),
            tshark_addr(c["a"].as_str().unwrap()),
            tshark_addr(c["b"].as_str().unwrap()),
        );
        let (ab, ba) = (&c["a_to_b"], &c["b_to_a"]);
        let mut row = vec![n(ba, "frames").to_string()];
        row.extend(size(n(ba, "bytes")));
        row.push(n(ab, "frames").to_string());
        row.extend(size(n(ab, "bytes")));
        row.push((n(ab, "frames") + n(ba, "frames")).to_string());
        row.extend(size(n(ab, "bytes") + n(ba, "bytes")));
        row.push(format!("{:.9}", c["rel_start"].as_f64().unwrap()));
        row.push(format!("{:.4}", c["duration"].as_f64().unwrap()));
        f.rows.push((key, row));
    }
    for e in v["endpoints"].as_array().unwrap() {
        let key = (
            format!("ep-{}", e["proto"].as_str().unwrap()),
            e["addr"].as_str().unwrap().to_string(),
            String::new(),
        );
        let (tx, rx) = (&e["tx"], &e["rx"]);
        let row = [
            n(tx, "frames") + n(rx, "frames"),
            n(tx, "bytes") + n(rx, "bytes"),
            n(tx, "frames"),
            n(tx, "bytes"),
            n(rx, "frames"),
            n(rx, "bytes"),
        ];
        f.rows.push((key, row.iter().map(u64::to_string).collect()));
    }
    for l in v["hierarchy"].as_array().unwrap() {
        let d = l["depth"].as_u64().unwrap() as usize;
        let name = l["proto"].as_str().unwrap().to_string();
        f.hierarchy.push((d, name, n(l, "frames"), n(l, "bytes")));
    }
    f
}

/// The rows grouped by table, each table in its printed row order (tshark prints its tables
/// in reverse order of the -z options, so only the order within a table is compared).
fn by_table(f: &Figures) -> BTreeMap<String, Vec<Row>> {
    let mut m: BTreeMap<String, Vec<_>> = BTreeMap::new();
    for r in &f.rows {
        m.entry(r.0 .0.clone()).or_default().push(r.clone());
    }
    m
}

/// Differences between tshark's figures and ours, as text ("" when equal).
fn compare(file: &Path) -> String {
    let theirs = tshark(file);
    let ours = figures(&ours(file));
    let mut diff = String::new();
    let (t, o) = (by_table(&theirs), by_table(&ours));
    for table in t
        .keys()
        .chain(o.keys())
        .collect::<std::collections::BTreeSet<_>>()
    {
        let (tr, or) = (
            t.get(table).cloned().unwrap_or_default(),
            o.get(table).cloned().unwrap_or_default(),
        );
        if tr != or {
            let only = |x: &[Row], y: &[Row]| {
                x.iter()
                    .filter(|r| !y.contains(r))
                    .take(3)
                    .cloned()
                    .collect::<Vec<_>>()
            };
            diff.push_str(&format!(
                "{}: table {table}:\n  tshark only: {:?}\n  ours only:   {:?}\n",
                file.display(),
                only(&tr, &or),
                only(&or, &tr)
            ));
        }
    }
    if theirs.hierarchy != ours.hierarchy {
        diff.push_str(&format!(
            "{}: hierarchy:\n  tshark: {:?}\n  ours:   {:?}\n",
            file.display(),
            theirs.hierarchy,
            ours.hierarchy
        ));
    }
    diff
}

fn fixtures() -> Vec<PathBuf> {
    let mut files = Vec::new();
    files.extend(pcaps(&root().join("fixtures/sessions")));
    for entry in std::fs::read_dir(root().join("fixtures/dump")).unwrap() {
        let dir = entry.unwrap().path();
        if dir.is_dir() {
            files.extend(pcaps(&dir));
        }
    }
    files.sort();
    files
}

fn pcaps(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "pcap"))
        .collect()
}

/// Whether tshark reads the file without complaint.
fn tshark_reads(file: &Path) -> bool {
    Command::new("tshark")
        .arg("-r")
        .arg(file)
        .args(["-q"])
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn stats_equal_tshark_on_the_fixtures() {
    require("tshark");
    let mut diffs = String::new();
    let mut compared = 0;
    // tshark takes most of a second per file: four files at a time.
    let files = fixtures();
    let results: Vec<(PathBuf, Option<String>)> = std::thread::scope(|s| {
        let handles: Vec<_> = files
            .chunks(files.len().div_ceil(4).max(1))
            .map(|chunk| {
                s.spawn(move || {
                    chunk
                        .iter()
                        .map(|f| (f.clone(), tshark_reads(f).then(|| compare(f))))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("tshark thread"))
            .collect()
    });
    for (file, d) in results {
        let name = file.strip_prefix(root()).unwrap().display().to_string();
        let Some(d) = d else {
            continue;
        };
        match UNLIKE.iter().find(|(n, _)| *n == name) {
            Some((_, why)) if d.is_empty() => diffs.push_str(&format!(
                "{name} now equals tshark: drop it from UNLIKE ({why})\n"
            )),
            Some(_) => {}
            None => diffs.push_str(&d),
        }
        compared += 1;
    }
    assert!(
        compared - UNLIKE.len() >= 20,
        "only {compared} fixtures compared"
    );
    assert!(
        diffs.is_empty(),
        "echolab stats differs from tshark:\n{diffs}"
    );
}

/// A capture of `n` packets over many TCP and UDP conversations, IPv4 and IPv6, interleaved,
/// at random times.
fn random_capture(path: &Path, seed: u64, n: usize) {
    let mut r = synth::rng(seed);
    let file = std::fs::File::create(path).unwrap();
    let mut w = Writer::new(
        std::io::BufWriter::new(file),
        LinkType::Ethernet,
        262_144,
        r.gen_bool(0.5),
    )
    .unwrap();
    let hosts4: Vec<Ipv4Addr> = (0..6)
        .map(|i| Ipv4Addr::new(10, 0, i / 3, 1 + i % 3))
        .collect();
    let hosts6: Vec<Ipv6Addr> = (0..5)
        .map(|i| Ipv6Addr::new(0xfd00, 0, 0, 0, 0, 0, 0, 1 + i))
        .collect();
    let ports: Vec<u16> = (0..8).map(|_| synth::quiet_port(&mut r)).collect();
    let mut t = 1_700_000_000_000_000_000u64 + r.gen_range(0..1_000_000_000_000);
    for _ in 0..n {
        t += r.gen_range(0..3_000_000_000);
        let (sp, dp) = (
            ports[r.gen_range(0..ports.len())],
            ports[r.gen_range(0..ports.len())],
        );
        let payload = vec![b'x'; r.gen_range(0..1200)];
        let tr = if r.gen_bool(0.5) {
            Transport::Tcp(Tcp {
                sport: sp,
                dport: dp,
                flags: synth::flags::ACK,
                win: 512,
                payload,
                ..Tcp::default()
            })
        } else {
            Transport::Udp(Udp {
                sport: sp,
                dport: dp,
                payload,
            })
        };
        let net = if r.gen_bool(0.6) {
            let (s, d) = (
                hosts4[r.gen_range(0..hosts4.len())],
                hosts4[r.gen_range(0..hosts4.len())],
            );
            Net::V4(Ipv4 {
                src: s,
                dst: d,
                ..Ipv4::default()
            })
        } else {
            let (s, d) = (
                hosts6[r.gen_range(0..hosts6.len())],
                hosts6[r.gen_range(0..hosts6.len())],
            );
            Net::V6(Ipv6 {
                src: s,
                dst: d,
                ..Ipv6::default()
            })
        };
        let frame = synth::frame(&net, &tr);
        let ts = Timestamp {
            sec: (t / 1_000_000_000) as i64,
            nsec: (t % 1_000_000_000) as u32,
        };
        // Some frames cut short: tshark counts the length on the wire.
        let cut = if r.gen_bool(0.1) {
            frame.len().min(r.gen_range(60..200))
        } else {
            frame.len()
        };
        w.write(ts, &frame[..cut], frame.len() as u32).unwrap();
    }
    w.into_inner().unwrap();
}

#[test]
fn stats_equal_tshark_on_random_captures() {
    require("tshark");
    let dir = tempfile::tempdir().unwrap();
    let mut diffs = String::new();
    for seed in 0..4 {
        let path = dir.path().join(format!("random-{seed}.pcap"));
        random_capture(&path, seed, 3000);
        diffs.push_str(&compare(&path));
    }
    assert!(
        diffs.is_empty(),
        "echolab stats differs from tshark:\n{diffs}"
    );
}

#[test]
fn stats_json_has_the_documented_schema() {
    let v = ours(&root().join("fixtures/sessions/tcp-line.pcap"));
    let keys = |o: &Value| {
        let mut k: Vec<String> = o.as_object().unwrap().keys().cloned().collect();
        k.sort();
        k
    };
    assert_eq!(keys(&v), ["conversations", "endpoints", "hierarchy"]);
    let c = &v["conversations"][0];
    assert_eq!(
        keys(c),
        [
            "a",
            "a_to_b",
            "b",
            "b_to_a",
            "duration",
            "proto",
            "rel_start"
        ]
    );
    assert_eq!(c["proto"], "tcp");
    assert_eq!(c["a"], "127.0.0.1:47780");
    assert_eq!(c["b"], "127.0.0.1:4002");
    assert_eq!(keys(&c["a_to_b"]), ["bytes", "frames"]);
    assert_eq!(c["a_to_b"]["frames"], 8);
    assert_eq!(c["rel_start"], 0.0);
    let e = &v["endpoints"][0];
    assert_eq!(keys(e), ["addr", "proto", "rx", "tx"]);
    assert_eq!(e["addr"], "127.0.0.1");
    let h = &v["hierarchy"][0];
    assert_eq!(keys(h), ["bytes", "depth", "frames", "proto"]);
    assert_eq!(
        (h["proto"].as_str(), h["depth"].as_u64()),
        (Some("eth"), Some(0))
    );
    // IPv6 endpoints of ports are written [addr]:port.
    let v6 = ours(&root().join("fixtures/dump/tcp/session6.pcap"));
    assert_eq!(v6["conversations"][0]["a"], "[::1]:46098");
}

fn table_run(columns: &str) -> String {
    let out = Command::new(bin("echolab"))
        .args(["stats", "-r"])
        .arg(root().join("fixtures/dump/tcp/session6.pcap"))
        .env("COLUMNS", columns)
        .output()
        .expect("run echolab stats");
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn stats_tables_fit_columns_without_colour_off_a_terminal() {
    for width in [60usize, 100, 160] {
        let text = table_run(&width.to_string());
        let widest = text.lines().map(|l| l.chars().count()).max().unwrap();
        assert!(
            widest <= width,
            "COLUMNS={width}: a line of {widest}:\n{text}"
        );
        assert!(!text.contains('\x1b'), "colour off a terminal:\n{text}");
        assert!(text.contains("TCP conversations") && text.contains("Protocol hierarchy"));
    }
    let wide = table_run("200");
    assert!(
        wide.contains("[::1]:46098") || wide.contains("::1"),
        "{wide}"
    );
}

#[test]
fn stats_filter_and_bad_input() {
    let file = root().join("fixtures/dump/tcp/session6.pcap");
    let run = |args: &[&str]| {
        Command::new(bin("echolab"))
            .args(["stats", "--json", "-r"])
            .arg(&file)
            .args(args)
            .output()
            .unwrap()
    };
    let all: Value = serde_json::from_slice(&run(&[]).stdout).unwrap();
    let one: Value = serde_json::from_slice(&run(&["port", "46099"]).stdout).unwrap();
    let convs = |v: &Value, proto: &str| {
        v["conversations"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["proto"] == proto)
            .count()
    };
    assert_eq!((convs(&all, "tcp"), convs(&one, "tcp")), (2, 1));
    assert_eq!(one["conversations"][0]["a"], "[::1]:46099");
    let bad = run(&["port", "nonsense"]);
    assert_eq!(bad.status.code(), Some(1));
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(
        err.starts_with("echolab stats: ") && err.lines().count() == 1,
        "{err}"
    );
    let missing = Command::new(bin("echolab"))
        .args(["stats", "-r", "/nonexistent.pcap"])
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(1));
}
