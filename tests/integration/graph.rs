//! `echolab graph` against tshark 4.0: the time-sequence graph has one `class="seg"` mark per
//! data segment tshark counts (`tcp.len>0`) in the conversation's data direction, one
//! `retransmit` mark per `tcp.analysis.retransmission`, one `ooo` mark per
//! `tcp.analysis.out_of_order`, one `sack` mark per SACK block; the analysis's relative
//! sequence and acknowledgement numbers and scaled windows equal tshark's; every kind is a
//! well-formed SVG that resvg renders to a picture with something on it; bad input is one
//! line and a documented status. Captures: `fixtures/graph/` (scapy, known shape),
//! `fixtures/sessions/` (recorded loopback echo sessions) and a session captured live.
//!
//! Needs tshark (and tcpdump and root for the live session); fails loudly without them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use echolab::capture::pcap::Reader;
use echolab::view::graph::{self, Kind, Reading};

use crate::util::{self, require, root, Capturer, Server};

const KINDS: [&str; 4] = ["tseq", "rtt", "throughput", "window"];

/// One row of `tshark -T fields` for a TCP segment.
#[derive(Debug, Clone)]
struct Row {
    stream: u32,
    src: String,
    len: u64,
    seq: i64,
    ack: Option<i64>,
    window: Option<u64>,
    /// The window field as sent.
    raw_window: u64,
    retransmission: bool,
    out_of_order: bool,
    sack_blocks: usize,
}

/// Every TCP segment of `file` as tshark 4.0 analyses it (relative numbers, scaled windows).
fn tshark(file: &Path) -> Vec<Row> {
    require("tshark");
    let fields = [
        "tcp.stream",
        "ip.src",
        "ipv6.src",
        "tcp.srcport",
        "tcp.len",
        "tcp.seq",
        "tcp.ack",
        "tcp.flags.ack",
        "tcp.window_size",
        "tcp.window_size_value",
        "tcp.analysis.retransmission",
        "tcp.analysis.out_of_order",
        "tcp.options.sack_le",
    ];
    let mut cmd = Command::new("tshark");
    cmd.args(["-n", "-r"])
        .arg(file)
        .args(["-Y", "tcp", "-T", "fields"]);
    for f in fields {
        cmd.args(["-e", f]);
    }
    let out = cmd.output().expect("run tshark");
    assert!(
        out.status.success(),
        "tshark failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|line| {
            let f: Vec<&str> = line.split('\t').collect();
            let num = |i: usize| f[i].parse::<i64>().ok();
            Row {
                stream: f[0].parse().unwrap(),
                src: format!("{}{}:{}", f[1], f[2], f[3]),
                len: f[4].parse().unwrap(),
                seq: num(5).unwrap(),
                ack: (f[7] == "1").then(|| num(6).unwrap()),
                window: f[8].parse().ok(),
                raw_window: f[9].parse().unwrap(),
                retransmission: !f[10].is_empty(),
                out_of_order: !f[11].is_empty(),
                sack_blocks: f[12].split(',').filter(|s| !s.is_empty()).count(),
            }
        })
        .collect()
}

/// The stream carrying the most data and, in it, the sending endpoint carrying the most
/// (the first to send data, on a tie): the conversation and direction a graph shows.
fn data_direction(rows: &[Row]) -> (u32, String) {
    let mut bytes: BTreeMap<u32, u64> = BTreeMap::new();
    for r in rows {
        *bytes.entry(r.stream).or_default() += r.len;
    }
    let stream = *bytes
        .iter()
        .max_by_key(|(s, b)| (**b, std::cmp::Reverse(**s)))
        .unwrap()
        .0;
    let mut by_src: Vec<(String, u64, usize)> = Vec::new();
    for (i, r) in rows
        .iter()
        .enumerate()
        .filter(|(_, r)| r.stream == stream && r.len > 0)
    {
        match by_src.iter_mut().find(|(s, _, _)| *s == r.src) {
            Some(e) => e.1 += r.len,
            None => by_src.push((r.src.clone(), r.len, i)),
        }
    }
    let best = by_src
        .iter()
        .max_by_key(|(_, b, first)| (*b, std::cmp::Reverse(*first)))
        .unwrap();
    (stream, best.0.clone())
}

/// Run `echolab graph -r FILE --svg OUT --kind KIND` (OUT `-` for stdout).
fn run_graph(file: &Path, out: &str, kind: &str) -> std::process::Output {
    let file = file.to_str().unwrap();
    util::run(
        "echolab",
        &["graph", "-r", file, "--svg", out, "--kind", kind],
        b"",
    )
}

/// Run `echolab graph -r FILE --svg OUT --kind KIND` and return the SVG.
fn graph(file: &Path, kind: &str, out_dir: &Path) -> String {
    let out = out_dir.join(format!("{kind}.svg"));
    let run = run_graph(file, out.to_str().unwrap(), kind);
    assert_eq!(
        run.status.code(),
        Some(0),
        "graph --kind {kind} of {}: {}",
        file.display(),
        String::from_utf8_lossy(&run.stderr)
    );
    std::fs::read_to_string(&out).unwrap()
}

/// The number of elements whose class list holds `class`; the document must parse.
fn marks(svg: &str, class: &str) -> usize {
    let doc = roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("bad SVG: {e}\n{svg}"));
    doc.descendants()
        .filter(|n| {
            n.attribute("class")
                .is_some_and(|c| c.split_whitespace().any(|w| w == class))
        })
        .count()
}

/// Rasterise with resvg: the picture must not be one colour.
fn assert_renders(svg: &str, what: &str) {
    let tree = resvg::usvg::Tree::from_str(svg, &resvg::usvg::Options::default())
        .unwrap_or_else(|e| panic!("{what}: resvg cannot read the SVG: {e}"));
    let size = tree.size().to_int_size();
    assert_eq!((size.width(), size.height()), graph::SIZE, "{what}");
    let mut pixmap = resvg::tiny_skia::Pixmap::new(size.width(), size.height()).unwrap();
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::default(),
        &mut pixmap.as_mut(),
    );
    let px = pixmap.pixels();
    let white = px
        .iter()
        .filter(|p| (p.red(), p.green(), p.blue(), p.alpha()) == (255, 255, 255, 255))
        .count();
    let coloured = px
        .iter()
        .filter(|p| p.alpha() == 255 && (p.red() != p.green() || p.green() != p.blue()))
        .count();
    assert!(white > px.len() / 2, "{what}: the background is not white");
    assert!(
        px.len() - white > 2000 && coloured > 50,
        "{what}: almost nothing drawn ({} non-white pixels, {coloured} coloured)",
        px.len() - white
    );
}

/// The checks every capture gets: marks against tshark, every kind rendered.
fn check_capture(file: &Path) -> (usize, usize) {
    let rows = tshark(file);
    let (stream, src) = data_direction(&rows);
    let data: Vec<&Row> = rows
        .iter()
        .filter(|r| r.stream == stream && r.src == src && r.len > 0)
        .collect();
    let acks: Vec<&Row> = rows
        .iter()
        .filter(|r| r.stream == stream && r.src != src)
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let svg = graph(file, "tseq", dir.path());
    let what = file.display();
    let retrans = data.iter().filter(|r| r.retransmission).count();
    assert_eq!(marks(&svg, "seg"), data.len(), "{what}: data segments");
    assert_eq!(
        marks(&svg, "retransmit"),
        retrans,
        "{what}: retransmissions"
    );
    assert_eq!(
        marks(&svg, "ooo"),
        data.iter().filter(|r| r.out_of_order).count(),
        "{what}: out-of-order segments"
    );
    assert_eq!(
        marks(&svg, "sack"),
        acks.iter().map(|r| r.sack_blocks).sum::<usize>(),
        "{what}: SACK blocks"
    );
    assert_eq!(marks(&svg, "ack"), 1, "{what}: the ACK line");
    for kind in KINDS {
        let svg = if kind == "tseq" {
            svg.clone()
        } else {
            graph(file, kind, dir.path())
        };
        assert_renders(&svg, &format!("{what} --kind {kind}"));
    }
    (data.len(), retrans)
}

fn fixture(path: &str) -> PathBuf {
    root().join(path)
}

#[test]
fn transfer_with_loss_reordering_and_sack_matches_tshark() {
    for name in ["transfer.pcap", "transfer6.pcap"] {
        let (data, retrans) = check_capture(&fixture(&format!("fixtures/graph/{name}")));
        // The fixture was made to hold each kind: a check that found none would prove nothing.
        assert!(
            data > 10 && retrans >= 3,
            "{name}: {data} data segments, {retrans} retransmissions"
        );
    }
}

#[test]
fn recorded_echo_sessions_match_tshark() {
    for name in ["tcp-line.pcap", "tcp-continuous.pcap"] {
        let file = fixture(&format!("fixtures/sessions/{name}"));
        let (data, _) = check_capture(&file);
        assert!(data > 0, "{name}: no data segments");
        // A few bytes under a 64 KiB window: the window's edge is cut, not the data squashed.
        let dir = tempfile::tempdir().unwrap();
        let svg = graph(&file, "tseq", dir.path());
        assert!(
            svg.contains("(cut at the top)"),
            "{name}: the window edge is not cut"
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let svg = graph(&fixture("fixtures/graph/transfer.pcap"), "tseq", dir.path());
    // Its scaled window edge fits: the line keeps its steps (only the SYN+ACK's is cut).
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let line = doc
        .descendants()
        .find(|n| n.attribute("class") == Some("window"))
        .expect("a window line");
    let mut heights: Vec<&str> = line
        .attribute("points")
        .unwrap()
        .split_whitespace()
        .map(|p| p.split(',').nth(1).unwrap())
        .collect();
    heights.sort();
    heights.dedup();
    assert!(
        heights.len() > 4,
        "transfer: a flat window line {heights:?}"
    );
}

/// The analysis's numbers against tshark's, segment by segment: relative sequence numbers
/// of the data, relative ACKs and windows scaled by the shift counts of the handshake.
#[test]
fn sequence_ack_and_scaled_window_equal_tsharks() {
    let file = fixture("fixtures/graph/transfer.pcap");
    let rows = tshark(&file);
    let (stream, src) = data_direction(&rows);
    let cap = read(&file);
    let trace = graph::trace(&cap.flows.conversations[stream as usize], &cap.headers);
    let seqs: Vec<(i64, u64)> = trace
        .segments
        .iter()
        .map(|s| (s.seq, u64::from(s.len)))
        .collect();
    let want: Vec<(i64, u64)> = rows
        .iter()
        .filter(|r| r.stream == stream && r.src == src && r.len > 0)
        .map(|r| (r.seq, r.len))
        .collect();
    assert_eq!(seqs, want, "relative sequence numbers and lengths");
    let acks: Vec<(i64, u64)> = trace.acks.iter().map(|a| (a.ack, a.window)).collect();
    let want: Vec<(i64, u64)> = rows
        .iter()
        .filter(|r| r.stream == stream && r.src != src && r.ack.is_some())
        .map(|r| (r.ack.unwrap(), r.window.unwrap()))
        .collect();
    assert_eq!(acks, want, "relative ACKs and scaled windows");
    assert!(
        rows.iter()
            .any(|r| r.src != src && r.window.is_some_and(|w| w != r.raw_window)),
        "the fixture's windows are scaled"
    );
}

/// A session captured live on loopback: echoServer, echoClient in line mode, tcpdump.
#[test]
fn live_echo_session_matches_tshark() {
    util::require_root();
    let dir = tempfile::tempdir().unwrap();
    let pcap = dir.path().join("live.pcap");
    let server = Server::start(&["-t", "TCP"]);
    let filter = format!("tcp port {}", server.port());
    let cap = Capturer::start(&[
        "-i",
        "lo",
        "-U",
        "--immediate-mode",
        "-w",
        pcap.to_str().unwrap(),
        &filter,
    ]);
    let input: String = (0..20)
        .map(|i| format!("line {i} of the session\n"))
        .collect();
    let out = util::client(&["-t", "TCP", "-p", &server.port()], input.as_bytes());
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The client has closed. On a loaded machine tcpdump may write late, and what it has not
    // taken from the ring when it is stopped is lost: wait until the file holds every byte
    // the client sent and the server echoed, then until it stops growing (the FINs).
    let port: u16 = server.port().parse().unwrap();
    let both = || {
        (
            payload_bytes(&pcap, port, true),
            payload_bytes(&pcap, port, false),
        )
    };
    let whole = input.len() as u64;
    // If it never comes, the byte count below says what is missing.
    let _ = util::wait_until(Duration::from_secs(30), || {
        let (sent, echoed) = both();
        sent >= whole && echoed >= whole
    });
    let size = || std::fs::metadata(&pcap).map(|m| m.len()).unwrap_or(0);
    util::wait_stable(Duration::from_secs(5), size, |&n| n > 0);
    let (status, said) = cap.stop("-INT");
    assert!(status.success(), "tcpdump: {said}");
    let (data, _) = check_capture(&pcap);
    // TCP may carry several lines in one segment (Nagle's algorithm while an echo is
    // outstanding, more so on a loaded machine): the capture must hold every byte typed.
    let rows = tshark(&pcap);
    let sent = |from: &str| -> u64 {
        rows.iter()
            .filter(|r| r.src == from && !r.retransmission)
            .map(|r| r.len)
            .sum()
    };
    let most = rows.iter().map(|r| sent(&r.src)).max().unwrap_or(0);
    assert!(data >= 2, "{data} data segments for 20 lines");
    assert_eq!(
        most,
        input.len() as u64,
        "bytes the client sent, as captured"
    );
}

/// The TCP payload bytes in an Ethernet/IPv4 capture sent to `port` (`to`) or from it, as
/// far as the file has been written (a record cut by the writer ends the count).
fn payload_bytes(file: &Path, port: u16, to: bool) -> u64 {
    use echolab::capture::pcap::Reader;
    let Ok(f) = std::fs::File::open(file) else {
        return 0;
    };
    let Ok(mut r) = Reader::new(f) else {
        return 0;
    };
    let mut total = 0u64;
    while let Ok(Some(rec)) = r.next_record() {
        let d = rec.data;
        let (Some(ip), Some(&vihl)) = (d.get(14..), d.get(14)) else {
            continue;
        };
        if d.get(12..14) != Some(&[0x08, 0x00]) || ip.get(9) != Some(&6) {
            continue;
        }
        let ihl = usize::from(vihl & 0x0f) * 4;
        let total_len = ip
            .get(2..4)
            .map_or(0, |b| usize::from(u16::from_be_bytes([b[0], b[1]])));
        let Some(tcp) = ip.get(ihl..) else { continue };
        let (Some(sp), Some(dp), Some(&off)) = (tcp.get(0..2), tcp.get(2..4), tcp.get(12)) else {
            continue;
        };
        let side = if to { dp } else { sp };
        if side != port.to_be_bytes() {
            continue;
        }
        let hdrs = ihl + usize::from(off >> 4) * 4;
        total += total_len.saturating_sub(hdrs) as u64;
    }
    total
}

/// UDP: `--kind rtt` draws one sample per echo; the other kinds say there is no TCP.
#[test]
fn udp_echo_rtt_and_no_tcp_error() {
    let file = fixture("fixtures/sessions/udp-line.pcap");
    let dir = tempfile::tempdir().unwrap();
    let svg = graph(&file, "rtt", dir.path());
    assert_renders(&svg, "udp rtt");
    require("tshark");
    let out = Command::new("tshark")
        .args(["-n", "-r"])
        .arg(&file)
        .args(["-Y", "udp", "-T", "fields", "-e", "udp.srcport"])
        .output()
        .unwrap();
    let ports: Vec<String> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(String::from)
        .collect();
    let requests = ports.iter().filter(|p| **p == ports[0]).count();
    assert_eq!(
        marks(&svg, "rtt"),
        requests,
        "one sample per request (all echoed)"
    );
    let path = file.to_str().unwrap();
    let out_svg = dir.path().join("x.svg");
    let run = util::run(
        "echolab",
        &["graph", "-r", path, "--svg", out_svg.to_str().unwrap()],
        b"",
    );
    assert_eq!(run.status.code(), Some(1));
    let err = String::from_utf8_lossy(&run.stderr);
    assert_eq!(
        err,
        format!(
            "echolab graph: error: {path}: no TCP conversation in the capture (only UDP: \
             `--kind rtt` graphs a UDP echo exchange)\n"
        )
    );
    assert!(!out_svg.exists(), "no SVG is written on failure");
}

#[test]
fn bad_input_is_one_line_and_a_documented_status() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("x.svg");
    let out = out.to_str().unwrap();
    let transfer = fixture("fixtures/graph/transfer.pcap");
    let transfer = transfer.to_str().unwrap();
    let cases: &[(&[&str], i32, &str)] = &[
        (
            &["graph", "-r", transfer, "--svg", out, "--conversation", "7"],
            1,
            "no conversation 7: the capture has 1",
        ),
        (
            &["graph", "-r", transfer, "--svg", out, "udp"],
            1,
            "no TCP conversation in the capture\n",
        ),
        (
            &["graph", "-r", "/nonexistent.pcap", "--svg", out],
            1,
            "No such file or directory",
        ),
        (
            &["graph", "-r", transfer, "--svg", out, "tcp", "port"],
            1,
            "echolab graph: error:",
        ),
        (
            &["graph", "-r", transfer, "--svg", "/nonexistent/dir/x.svg"],
            1,
            "writing /nonexistent/dir/x.svg",
        ),
        (
            &["graph", "-r", transfer, "--svg", out, "--kind", "pie"],
            2,
            "invalid value 'pie'",
        ),
        (
            &["graph", "-r", transfer, "--svg", out, "--conversation", "0"],
            2,
            "--conversation",
        ),
        (&["graph", "-r", transfer], 2, "--svg"),
    ];
    for (args, code, needle) in cases {
        let run = util::run("echolab", args, b"");
        let err = String::from_utf8_lossy(&run.stderr);
        assert_eq!(run.status.code(), Some(*code), "{args:?}: {err}");
        assert!(err.contains(needle), "{args:?}: {err:?} lacks {needle:?}");
        if *code == 1 {
            assert_eq!(err.lines().count(), 1, "{args:?}: one line: {err}");
        }
    }
}

/// The library picks the TCP conversation carrying the most data when there are several,
/// and numbers conversations from 1 as `--conversation` does.
#[test]
fn the_busiest_tcp_conversation_is_drawn() {
    let file = fixture("fixtures/sessions/tcp-line.pcap");
    let cap = read(&file);
    let g = graph::draw(&cap, Kind::Tseq, None).unwrap();
    assert_eq!(g.conversation, 1);
    assert_eq!(marks(&g.svg, "seg"), g.marks);
    let err = graph::draw(&cap, Kind::Tseq, Some(2)).unwrap_err();
    assert_eq!(err.to_string(), "no conversation 2: the capture has 1");
}

/// The capture of `file` read through the library: conversations and TCP headers.
fn read(file: &Path) -> graph::Capture {
    let mut reader = Reader::new(std::fs::File::open(file).unwrap()).unwrap();
    let mut reading = Reading::default();
    while let Some(rec) = reader.next_record().unwrap() {
        reading.add(&rec);
    }
    reading.finish()
}

/// The `rtt` samples against tshark's `tcp.analysis.ack_rtt`: the same ACKs, times and
/// round trips for every ACK of a data segment, except where tshark times a segment that was
/// resent before the ACK came (Karn's rule, RFC 6298 section 3: no sample).
#[test]
fn rtt_samples_equal_tsharks_ack_rtt_under_karns_rule() {
    require("tshark");
    for name in [
        "fixtures/graph/transfer.pcap",
        "fixtures/graph/transfer6.pcap",
        "fixtures/sessions/tcp-line.pcap",
    ] {
        let file = fixture(name);
        let out = Command::new("tshark")
            .args(["-n", "-r"])
            .arg(&file)
            .args(["-Y", "tcp", "-T", "fields"])
            .args([
                "-e",
                "frame.time_relative",
                "-e",
                "tcp.len",
                "-e",
                "tcp.seq",
            ])
            .args([
                "-e",
                "tcp.analysis.acks_frame",
                "-e",
                "tcp.analysis.ack_rtt",
            ])
            .args(["-e", "tcp.analysis.retransmission"])
            .output()
            .unwrap();
        assert!(out.status.success());
        let text = String::from_utf8(out.stdout).unwrap();
        let rows: Vec<Vec<&str>> = text.lines().map(|l| l.split('\t').collect()).collect();
        let (stream, src) = data_direction(&tshark(&file));
        assert_eq!(stream, 0, "{name}: one conversation");
        let from_sender: Vec<bool> = tshark(&file).iter().map(|r| r.src == src).collect();
        let mut want = Vec::new();
        for (i, r) in rows.iter().enumerate() {
            let (Ok(acked), Ok(rtt)) = (r[3].parse::<usize>(), r[4].parse::<f64>()) else {
                continue;
            };
            let seg = &rows[acked - 1];
            // ACKs of the data direction's data segments only (not of SYNs or FINs).
            if from_sender[i] || seg[1] == "0" {
                continue;
            }
            let resent = rows[acked..i]
                .iter()
                .any(|later| later[2] == seg[2] && !later[5].is_empty());
            if !resent {
                want.push((r[0].parse::<f64>().unwrap(), rtt));
            }
        }
        let cap = read(&file);
        let trace = graph::trace(&cap.flows.conversations[0], &cap.headers);
        let got: Vec<(f64, f64)> = trace.rtt.iter().map(|s| (s.t, s.rtt)).collect();
        assert!(!want.is_empty(), "{name}: tshark timed no ACK");
        assert_eq!(got.len(), want.len(), "{name}: {got:?} against {want:?}");
        for (g, w) in got.iter().zip(&want) {
            assert!(
                (g.0 - w.0).abs() < 1e-6 && (g.1 - w.1).abs() < 1e-6,
                "{name}: {got:?} against {want:?}"
            );
        }
    }
}

/// `--svg -` writes the document to stdout, the same bytes as to a file, and nothing else.
#[test]
fn svg_to_stdout_is_the_same_document() {
    let file = fixture("fixtures/graph/transfer.pcap");
    let dir = tempfile::tempdir().unwrap();
    let on_disk = graph(&file, "window", dir.path());
    let run = run_graph(&file, "-", "window");
    assert_eq!(run.status.code(), Some(0));
    assert!(run.stderr.is_empty());
    assert_eq!(String::from_utf8(run.stdout).unwrap(), on_disk);
}
