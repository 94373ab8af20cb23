//! `echolab flow`: the ladders of real captures (the report's fixtures, the recorded
//! sessions, ICMP), their arrows, labels and round trips; the width they keep at COLUMNS=60,
//! 80 and 200 and in a terminal; colour only on a terminal without NO_COLOR; the SVG (one
//! `class="pkt"` per packet titled with its `dump -nn -t` line, equal to tcpdump's, and drawn
//! by resvg) and the HTML page (each packet's `-nnvvXS` text); a live capture of an echo
//! session drawn as it happens; the echo programs' `--flow`; the errors.
//!
//! Needs tcpdump (the titles are checked against it) and root for the live tests; fails
//! loudly without them.

use std::io::Read;
use std::path::Path;
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use echolab::capture::flows;
use echolab::capture::pcap::Reader;
use echolab::capture::record::{LinkType, Record, Timestamp};
use echolab::view::ladder::rtt_text;

use crate::echo_pty::Terminal;
use crate::util::{bin, report_fixture, require, require_root, root, run_env, wait_until};
use crate::util::{Capturer, Server};

/// Captures of echo sessions (the report's and the recorded ones) and of ICMP.
fn captures() -> Vec<String> {
    let mut v = Vec::new();
    for s in ["tcp-line", "tcp-continuous", "udp-line", "udp-continuous"] {
        v.push(report_fixture(&format!("{s}.pcap")));
        v.push(path(&format!("fixtures/sessions/{s}.pcap")));
    }
    v.push(path("fixtures/dump/icmp/icmp.pcap"));
    v.push(path("fixtures/dump/icmp/icmp6.pcap"));
    v
}

fn path(rel: &str) -> String {
    root().join(rel).to_string_lossy().into_owned()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// `echolab flow ARGS` with `COLUMNS` set, stdout piped; it must succeed.
fn flow(args: &[&str], cols: &str) -> String {
    let out = run_env(
        "echolab",
        &[&["flow"], args].concat(),
        b"",
        &[("COLUMNS", cols)],
    );
    assert!(
        out.status.success(),
        "echolab flow {args:?}: {:?}\n{}",
        out.status,
        text(&out.stderr)
    );
    text(&out.stdout)
}

/// The widest line, in characters.
fn widest(s: &str) -> usize {
    s.lines()
        .map(|l| l.trim_end_matches('\r').chars().count())
        .max()
        .unwrap_or(0)
}

/// The packet rows of a ladder's text (those with a rail and a time).
fn rows(s: &str) -> Vec<&str> {
    s.lines()
        .filter(|l| l.contains(" │") && l.trim_start().starts_with(|c: char| c.is_ascii_digit()))
        .collect()
}

/// `tcpdump -nn -t -r FILE`'s packets (real tcpdump: the titles are held to it).
fn tcpdump_packets(file: &str) -> Vec<String> {
    require("tcpdump");
    let out = Command::new("tcpdump")
        .args(["-nn", "-t", "-r", file])
        .env("TZ", "UTC")
        .output()
        .expect("run tcpdump");
    assert!(out.status.success(), "tcpdump: {}", text(&out.stderr));
    split_packets(&text(&out.stdout))
}

/// A packet's text starts at a line that does not start with white space.
fn split_packets(s: &str) -> Vec<String> {
    let mut packets: Vec<String> = Vec::new();
    for line in s.lines() {
        match packets.last_mut() {
            Some(p) if line.starts_with(char::is_whitespace) => {
                p.push('\n');
                p.push_str(line);
            }
            _ => packets.push(line.to_string()),
        }
    }
    packets
}

/// `echolab dump FLAGS -r FILE`, split into packets.
fn dump_packets(flags: &str, file: &str) -> Vec<String> {
    let out = run_env(
        "echolab",
        &["dump", flags, "-r", file],
        b"",
        &[("TZ", "UTC")],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    split_packets(&text(&out.stdout))
}

type Frame = (Timestamp, u32, LinkType, Vec<u8>);

fn frames(file: &str) -> Vec<Frame> {
    let f = std::fs::File::open(file).expect(file);
    let mut r = Reader::new(std::io::BufReader::new(f)).expect("a capture");
    let mut out = Vec::new();
    while let Some(rec) = r.next_record().expect("a whole record") {
        out.push((rec.ts, rec.len, rec.link, rec.data.to_vec()));
    }
    out
}

fn records(f: &[Frame]) -> impl Iterator<Item = Record<'_>> {
    f.iter().map(|(ts, len, link, data)| Record {
        ts: *ts,
        len: *len,
        link: *link,
        data,
    })
}

/// The round trip `flows::echoes` finds for each echoing packet (1-based number), as the
/// ladder writes it.
fn expected_rtts(file: &str) -> Vec<(usize, String)> {
    let f = frames(file);
    let mut v = Vec::new();
    for c in &flows::conversations(records(&f)).conversations {
        let data = flows::data_packets(c);
        for e in flows::echoes(c) {
            if let (Some(p), Some(ns)) = (e.replies.last().and_then(|&i| data.get(i)), e.rtt_ns) {
                v.push((p.index + 1, rtt_text(ns)));
            }
        }
    }
    v.sort();
    v
}

#[test]
fn report_ladders_show_arrows_labels_and_round_trips() {
    let tcp = flow(&["-r", &report_fixture("tcp-line.pcap")], "100");
    let lines = rows(&tcp);
    assert_eq!(lines.len(), 9, "{tcp}");
    assert!(
        tcp.starts_with("#1 TCP 127.0.0.1:46096 \u{21c4} 127.0.0.1:4002, 9 packets\n"),
        "{tcp}"
    );
    // The handshake: client to server, back, and the client's ACK.
    assert!(lines[0].contains("│─ [S] seq 0 win 32792 ─"), "{tcp}");
    assert!(lines[0].ends_with("─>│"), "{tcp}");
    assert!(lines[1].contains("│<─"), "{tcp}");
    assert!(lines[1].contains(" [S.] seq 0 ack 1 win 32768 ─│"), "{tcp}");
    assert!(lines[2].contains("│─ [.] ack 1 win 1025 ─"), "{tcp}");
    // The request and its echo, escaped as the screen shows it, the echo with its round trip.
    assert!(
        lines[3].contains("│─ [P.] seq 1:14 ack 1 len 13 \"HELLO MASTER\\n\" ─"),
        "{tcp}"
    );
    assert!(lines[3].ends_with(">│"), "{tcp}");
    assert!(
        lines[5].contains(" [P.] seq 1:14 ack 14 len 13 \"HELLO MASTER\\n\" ─│ rtt "),
        "{tcp}"
    );
    // The window is shown when it changes: the client's next ACK keeps its window.
    assert!(lines[6].contains("│─ [.] ack 14 ─"), "{tcp}");
    assert!(!tcp.contains('\u{1b}'), "no colour when piped:\n{tcp:?}");

    let udp = flow(&["-r", &report_fixture("udp-line.pcap")], "100");
    let lines = rows(&udp);
    assert_eq!(lines.len(), 6, "{udp}");
    assert!(
        lines[0].contains("│─ UDP len 17 \"HELLO MASTER-UDP\\n\" ─"),
        "{udp}"
    );
    assert!(
        lines[1].contains("│<─") && lines[1].contains("UDP len 17 \"HELLO MASTER-UDP\\n\" ─│ rtt "),
        "{udp}"
    );
}

#[test]
fn round_trips_are_those_of_each_echo() {
    for file in captures() {
        let out = flow(&["-r", &file], "200");
        let lines = rows(&out);
        // Every packet is drawn (they are all IP).
        let numbers = tcpdump_packets(&file).len();
        assert_eq!(lines.len(), numbers, "{file}:\n{out}");
        let mut got: Vec<(usize, String)> = Vec::new();
        // Rows are in capture order within each ladder; the echo rows carry `rtt`.
        let mut all: Vec<(String, String)> = Vec::new();
        for l in &lines {
            if let Some((_, rtt)) = l.split_once("│ rtt ") {
                all.push((
                    l.split_whitespace().next().unwrap().to_string(),
                    rtt.to_string(),
                ));
            }
        }
        let want = expected_rtts(&file);
        if file.contains("icmp") {
            // ICMP echo replies have round trips of their own; flows pairs TCP and UDP only.
            assert!(want.is_empty(), "{file}");
            assert!(
                !all.is_empty(),
                "the echo reply shows its round trip:\n{out}"
            );
            continue;
        }
        let f = frames(&file);
        let first = f[0].0;
        for (n, rtt) in want {
            let ts = f[n - 1].0;
            let ns = flows::elapsed_ns(first, ts);
            let time = format!("{}.{:06}", ns / 1_000_000_000, (ns % 1_000_000_000) / 1000);
            got.push((n, rtt.clone()));
            assert!(
                all.contains(&(time.clone(), rtt.clone())),
                "{file}: packet {n} at {time} should show rtt {rtt}:\n{out}"
            );
        }
        assert_eq!(
            all.len(),
            got.len(),
            "{file}: one round trip per echo:\n{out}"
        );
        assert!(!got.is_empty(), "{file}");
    }
}

#[test]
fn ladders_never_exceed_the_width() {
    for file in captures() {
        for cols in ["60", "80", "200"] {
            let out = flow(&["-r", &file], cols);
            let w: usize = cols.parse().unwrap();
            assert!(widest(&out) <= w, "{file} at COLUMNS={cols}:\n{out}");
            assert!(
                widest(&out) + 10 >= w.min(120),
                "{file} uses the width at COLUMNS={cols}:\n{out}"
            );
            assert!(!out.contains('\u{1b}'), "{file}: no escape when piped");
        }
        // Piped without COLUMNS: 100 columns.
        let out = flow(&["-r", &file], "");
        assert!(widest(&out) <= 100, "{file} piped:\n{out}");
    }
}

#[test]
fn colour_on_a_terminal_none_with_no_color() {
    let file = report_fixture("tcp-line.pcap");
    let exe = bin("echolab");
    let script = |env: &str| {
        format!(
            "stty cols 72; unset COLUMNS; {env} '{}' flow -r '{file}'; echo END",
            exe.display()
        )
    };
    let screen = Terminal::start_script(&script("")).wait_for("END");
    let body = screen.split("END").next().unwrap_or_default().to_string();
    assert!(
        body.contains("\u{1b}[36m"),
        "colour on a terminal:\n{body:?}"
    );
    let plain = strip_ansi(&body);
    assert!(widest(&plain) <= 72, "fits the terminal:\n{plain}");
    assert!(widest(&plain) > 60, "uses the terminal's width:\n{plain}");

    let screen = Terminal::start_script(&script("NO_COLOR=1")).wait_for("END");
    let body = screen.split("END").next().unwrap_or_default();
    assert!(
        !body.contains('\u{1b}'),
        "no escape under NO_COLOR:\n{body:?}"
    );
    assert!(widest(body) <= 72, "{body}");
    assert_eq!(rows(body).len(), 9, "{body}");
}

/// `s` without ANSI SGR sequences.
fn strip_ansi(s: &str) -> String {
    let mut out = String::new();
    let mut it = s.chars();
    while let Some(c) = it.next() {
        if c == '\u{1b}' {
            for d in it.by_ref() {
                if d.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// The `class="pkt"` elements of an SVG, with their numbers (`data-n`) and titles, checked
/// to parse as XML.
fn svg_packets(svg: &str) -> Vec<(usize, String)> {
    let doc = roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("not XML: {e}\n{svg}"));
    doc.descendants()
        .filter(|n| n.attribute("class") == Some("pkt"))
        .map(|n| {
            let title = n
                .children()
                .find(|c| c.has_tag_name("title"))
                .and_then(|t| t.text())
                .unwrap_or_default()
                .to_string();
            let number = n.attribute("data-n").and_then(|v| v.parse().ok());
            (number.expect("each packet has its number"), title)
        })
        .collect()
}

/// Pixels of a rendered SVG that are not the white background.
fn inked_pixels(svg: &str) -> usize {
    let tree = resvg::usvg::Tree::from_str(svg, &resvg::usvg::Options::default())
        .expect("resvg reads the SVG");
    let size = tree.size().to_int_size();
    let mut pixmap = resvg::tiny_skia::Pixmap::new(size.width(), size.height()).expect("a pixmap");
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::default(),
        &mut pixmap.as_mut(),
    );
    pixmap
        .pixels()
        .iter()
        .filter(|p| p.alpha() > 0 && (p.red(), p.green(), p.blue()) != (255, 255, 255))
        .count()
}

#[test]
fn svg_titles_are_dump_lines_and_it_draws() {
    let dir = tempfile::tempdir().unwrap();
    for file in captures() {
        let out = dir.path().join("ladder.svg");
        let o = out.to_str().unwrap();
        flow(&["-r", &file, "--svg", o], "80");
        let svg = std::fs::read_to_string(&out).unwrap();
        // Packets are drawn ladder by ladder: in capture order once put back in it.
        let mut packets = svg_packets(&svg);
        packets.sort();
        let numbers: Vec<usize> = packets.iter().map(|(n, _)| *n).collect();
        let titles: Vec<String> = packets.into_iter().map(|(_, t)| t).collect();
        let dump: Vec<String> = dump_packets("-nnt", &file);
        assert_eq!(numbers, (1..=dump.len()).collect::<Vec<_>>(), "{file}");
        assert_eq!(
            titles, dump,
            "{file}: titles are `echolab dump -nn -t` lines"
        );
        assert_eq!(titles, tcpdump_packets(&file), "{file}: and tcpdump's");
        let inked = inked_pixels(&svg);
        assert!(inked > 1000, "{file}: the SVG draws ({inked} pixels inked)");
    }
    // A filter and one conversation: only its packets, titled as dump prints them.
    let file = path("fixtures/dump/icmp/icmp.pcap");
    let out = dir.path().join("two.svg");
    let drawn = flow(
        &[
            "-r",
            &file,
            "--svg",
            out.to_str().unwrap(),
            "--conversation",
            "2",
        ],
        "80",
    );
    assert!(
        drawn.starts_with("#2 UDP 10.0.0.2:40000 \u{21c4} 10.0.0.1:4002, 29 packets\n"),
        "{drawn}"
    );
    let svg = std::fs::read_to_string(&out).unwrap();
    let packets = svg_packets(&svg);
    let all = dump_packets("-nnt", &file);
    assert_eq!(packets.len(), 29, "{svg}");
    for (n, title) in &packets {
        assert_eq!(Some(title), all.get(n - 1), "packet {n}");
        // The ICMP errors that quote this exchange's datagrams.
        assert!(title.contains(": ICMP "), "{title}");
    }
}

#[test]
fn html_page_shows_each_packets_full_decode() {
    let dir = tempfile::tempdir().unwrap();
    let file = report_fixture("tcp-continuous.pcap");
    let out = dir.path().join("ladder.html");
    let o = out.to_str().unwrap();
    let out_text = run_env(
        "echolab",
        &["flow", "-r", &file, "--html", o],
        b"",
        &[("TZ", "UTC")],
    );
    assert!(out_text.status.success(), "{}", text(&out_text.stderr));
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"), "{html}");
    assert!(html.contains("<script>") && html.contains("addEventListener(\"click\""));
    // Nothing comes from the network.
    for needle in ["src=", "href=", "http://", "https://"] {
        let outside = html.replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
        assert!(!outside.contains(needle), "{needle} in the page");
    }
    let svg = &html[html.find("<svg").unwrap()..html.find("</svg>").unwrap() + 6];
    let doc = roxmltree::Document::parse(svg).expect("the page's SVG is XML");
    let details: Vec<String> = doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("pkt"))
        .map(|n| n.attribute("data-detail").unwrap_or_default().to_string())
        .collect();
    assert_eq!(details, dump_packets("-nnvvXS", &file));
}

/// A live capture draws the session as it happens; the SVG is written when it ends.
#[test]
fn live_capture_draws_an_echo_session() {
    require_root();
    let server = Server::start(&[]);
    let port = server.port();
    let dir = tempfile::tempdir().unwrap();
    let svg = dir.path().join("live.svg");
    let mut cap = Capturer::echolab(&[
        "flow",
        "-i",
        "lo",
        "--svg",
        svg.to_str().unwrap(),
        "tcp port",
        &port,
    ]);
    let seen = Arc::new(Mutex::new(String::new()));
    let mut stdout = cap.stdout();
    let shared = seen.clone();
    let reader = std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(n) = stdout.read(&mut buf) {
            if n == 0 {
                break;
            }
            shared.lock().unwrap().push_str(&text(&buf[..n]));
        }
    });
    let client = crate::util::client(&["--ip", "127.0.0.1", "-p", &port], b"HELLO MASTER\nquit\n");
    assert!(client.status.success(), "{}", text(&client.stderr));
    // Drawn before the capture ends: the teardown's last ACK is on screen.
    let drawn = wait_until(Duration::from_secs(10), || {
        let s = seen.lock().unwrap();
        s.contains("[F.]") && rows(&s).len() >= 10
    });
    let (status, said) = cap.stop("-INT");
    reader.join().unwrap();
    let out = seen.lock().unwrap().clone();
    assert!(
        drawn,
        "the session was not drawn as it happened:\n{out}\n{said}"
    );
    assert!(status.success(), "{status:?} {said}");
    let lines = rows(&out);
    assert!(lines[0].contains("│─ [S] seq 0 "), "{out}");
    assert!(
        out.contains("│─ [P.] seq 1:14 ack 1 len 13 \"HELLO MASTER\\n\" ─"),
        "{out}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.contains("\"HELLO MASTER\\n\" ─│ rtt ") && l.contains("│<")),
        "{out}"
    );
    assert!(widest(&out) <= 100, "{out}");
    let svg = std::fs::read_to_string(&svg).unwrap();
    assert_eq!(svg_packets(&svg).len(), lines.len(), "{svg}");
    drop(server);
}

/// The client draws its own session on stderr once it is over; the server draws every
/// client's when it stops.
#[test]
fn echo_programs_draw_their_sessions() {
    require_root();
    let server = Server::start(&["--flow"]);
    let port = server.port();
    let out = run_env(
        "echoClient",
        &["--ip", "127.0.0.1", "-p", &port, "--flow"],
        b"HELLO MASTER\nquit\n",
        &[("COLUMNS", "80")],
    );
    let stderr = text(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(text(&out.stdout).contains("HELLO MASTER"), "{:?}", out);
    let lines = rows(&stderr);
    assert!(
        lines.len() >= 10,
        "the whole session, teardown included:\n{stderr}"
    );
    assert!(lines[0].contains("│─ [S] seq 0 "), "{stderr}");
    assert!(stderr.contains("\"HELLO MASTER\\n\" ─│ rtt "), "{stderr}");
    assert!(widest(&stderr) <= 80, "{stderr}");
    let (status, log) = server.stop("-INT");
    assert!(status.success(), "{log}");
    assert!(log.contains("│─ [S] seq 0 "), "{log}");
    assert!(log.contains("\"HELLO MASTER\\n\" ─│ rtt "), "{log}");
}

#[test]
fn bad_input_is_one_line_and_a_status() {
    let file = report_fixture("tcp-line.pcap");
    let check = |args: &[&str], code: i32, needle: &str| {
        let out: Output = run_env("echolab", args, b"", &[]);
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(code), "{args:?}: {err}");
        assert!(err.contains(needle), "{args:?}: {err}");
        if code == 1 {
            assert_eq!(err.lines().count(), 1, "{err}");
        }
    };
    check(
        &["flow", "-r", &file, "--conversation", "3"],
        1,
        "echolab flow: error: no conversation 3: the capture has 1 conversation",
    );
    check(&["flow", "-r", "/nonexistent.pcap"], 1, "No such file");
    check(
        &["flow", "-r", &file, "port", "nope"],
        1,
        "echolab flow: error:",
    );
    check(&["flow", "-r", &file, "-i", "lo"], 2, "cannot be used with");
    check(&["flow", "-r", &file, "--conversation", "0"], 2, "0");
    let not_pcap = Path::new(&file).with_extension("txt");
    check(
        &["flow", "-r", not_pcap.to_str().unwrap()],
        1,
        "echolab flow: error:",
    );
}

/// `echolab demo` shows each session's ladder; the hex trace only with `--hex`.
#[test]
fn demo_shows_each_sessions_ladder() {
    require_root();
    let out = run_env("echolab", &["demo"], b"", &[("COLUMNS", "90")]);
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}\n{}", text(&out.stderr));
    assert_eq!(
        stdout.matches("--- ladder (echolab flow)").count(),
        4,
        "{stdout}"
    );
    assert!(!stdout.contains("--- trace"), "{stdout}");
    assert!(stdout.contains("\"HELLO MASTER\\n\" ─│ rtt "), "{stdout}");
    assert!(
        stdout.contains("UDP len 17 \"HELLO MASTER-UDP\\n\" ─│ rtt "),
        "{stdout}"
    );
    let ladder_lines: Vec<&str> = stdout.lines().filter(|l| l.contains(" │")).collect();
    assert!(ladder_lines.len() > 40, "{stdout}");
    assert!(widest(&ladder_lines.join("\n")) <= 90, "{stdout}");
}

/// A connection refused on loopback, captured live: the SYN, then the reset (`[R.]`).
#[test]
fn live_reset_is_drawn() {
    require_root();
    // A port nothing listens on: bound, then closed.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
        .to_string();
    let mut cap = Capturer::echolab(&["flow", "-i", "lo", "-c", "2", "tcp port", &port]);
    let mut stdout = cap.stdout();
    let refused = std::net::TcpStream::connect(format!("127.0.0.1:{port}"));
    assert!(refused.is_err(), "nothing listens on {port}");
    let mut out = String::new();
    stdout.read_to_string(&mut out).unwrap();
    let lines = rows(&out);
    assert_eq!(lines.len(), 2, "{out}\n{}", cap.said());
    assert!(lines[0].contains("│─ [S] seq 0 "), "{out}");
    assert!(
        lines[1].contains("│<") && lines[1].contains(" [R.] seq 0 ack 1 "),
        "{out}"
    );
}

/// Continuous mode on a terminal: the ladder comes once the terminal is back to normal
/// (its lines end in `\r\n` from the terminal's own output processing, which raw mode turns
/// off), and the terminal is left cooked.
#[test]
fn continuous_client_draws_after_restoring_the_terminal() {
    require_root();
    let server = Server::start(&["-c"]);
    let mut term = Terminal::start_script(&format!(
        "echo START; COLUMNS=100 '{}' -c -p {} --flow; echo \"EXIT=$?\"; \
         echo AFTER $(stty -a); echo END",
        bin("echoClient").display(),
        server.port()
    ));
    term.wait_for("START");
    term.wait_raw();
    term.type_keys(b"L");
    let echoed = wait_until(Duration::from_secs(5), || {
        term.screen()
            .split("START")
            .nth(1)
            .unwrap_or_default()
            .contains('L')
    });
    assert!(echoed, "{}", term.screen());
    term.type_keys(b"\x04");
    let screen = term.wait_for("END");
    assert!(screen.contains("EXIT=0"), "{screen}");
    let after = screen.lines().find(|l| l.starts_with("AFTER")).unwrap();
    let words: Vec<&str> = after.split_whitespace().collect();
    for flag in ["icanon", "echo", "isig"] {
        assert!(words.contains(&flag), "terminal left raw: {after}");
    }
    // In colour: stderr is the terminal.
    assert!(screen.contains("\u{1b}[36m"), "{screen:?}");
    let screen = strip_ansi(&screen);
    assert!(screen.contains("│─ [S] seq 0 "), "{screen}");
    assert!(screen.contains(" \"L\" ─│ rtt "), "{screen}");
    // Every ladder line ends where a cooked terminal ends lines.
    let ladder = &screen[screen.find("#1 TCP").unwrap()..screen.find("EXIT=").unwrap()];
    assert!(!ladder.replace("\r\n", "").contains('\n'), "{ladder:?}");
    assert!(ladder.matches("\r\n").count() >= 10, "{ladder:?}");
}

/// `docs/ladder.svg` is what the command makes of the report's TCP session (the README
/// shows it): regenerate it with the command when the drawing changes.
#[test]
fn docs_ladder_svg_is_the_commands_output() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("ladder.svg");
    flow(
        &[
            "-r",
            &report_fixture("tcp-line.pcap"),
            "--svg",
            out.to_str().unwrap(),
        ],
        "80",
    );
    let made = std::fs::read_to_string(&out).unwrap();
    let docs = std::fs::read_to_string(root().join("docs/ladder.svg")).unwrap();
    assert!(
        made == docs,
        "docs/ladder.svg is stale: echolab flow -r fixtures/report/tcp-line.pcap --svg docs/ladder.svg"
    );
}
