//! `echolab dump` as a process: error cases against tcpdump run at test time (missing file,
//! not a capture, files cut or corrupted anywhere), usage errors, `-c`, and a reader that
//! closes the pipe early.
//!
//! tcpdump is required (CI installs it); the tests fail, saying so, when it is missing.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use echolab::capture::pcap::Writer;
use echolab::capture::record::{LinkType, Timestamp};
use echolab::capture::synth;

use crate::util::{bin, require, root, run_env};

fn frame_fixture(name: &str) -> PathBuf {
    root().join("fixtures/dump/frame").join(name)
}

/// One program's run: exit code, stdout, stderr lines.
#[derive(Debug)]
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: Vec<String>,
}

impl From<&Output> for Run {
    fn from(out: &Output) -> Run {
        Run {
            code: out.status.code(),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr)
                .lines()
                .map(String::from)
                .collect(),
        }
    }
}

fn tcpdump(file: &Path, flags: &[&str]) -> Run {
    let out = Command::new("tcpdump")
        .arg("-r")
        .arg(file)
        .args(flags)
        .env("TZ", "UTC")
        .output()
        .expect("run tcpdump");
    Run::from(&out)
}

fn echolab(file: &Path, flags: &[&str]) -> Run {
    let mut args = vec!["dump", "-r", file.to_str().expect("utf-8 path")];
    args.extend_from_slice(flags);
    Run::from(&run_env("echolab", &args, b"", &[("TZ", "UTC")]))
}

/// tcpdump's error line without `tcpdump: ` and libpcap's `pcap_loop: `.
fn tcpdump_error(line: &str) -> &str {
    let l = line.strip_prefix("tcpdump: ").unwrap_or(line);
    l.strip_prefix("pcap_loop: ").unwrap_or(l)
}

/// Both programs agree on a file: exit status, the `reading from file` line, the error
/// message (echolab's is `echolab dump: error: FILE: <libpcap's words>`), and the packets
/// printed before it (their time stamps, which the frame printer writes; the rest of each
/// line belongs to the protocol printers and is compared by the golden tests).
fn assert_same_outcome(file: &Path, what: &str) {
    let flags = ["-nn", "-tt"];
    let t = tcpdump(file, &flags);
    let other_link = t
        .stderr
        .iter()
        .any(|l| l.starts_with("reading from file") && !l.contains("link-type EN10MB"));
    if other_link {
        // A corrupted link type: libpcap's names of other link types, its filter
        // compiler's refusal of unknown ones, and their printers belong to the link and
        // filter modules and their tests.
        return;
    }
    let e = echolab(file, &flags);
    let ctx = format!("{what}: tcpdump {t:#?}\necholab {e:#?}");
    assert_eq!(t.code, e.code, "exit status differs\n{ctx}");
    let t_read = t.stderr.iter().find(|l| l.starts_with("reading from file"));
    let e_read = e.stderr.iter().find(|l| l.starts_with("reading from file"));
    assert_eq!(t_read, e_read, "reading line differs\n{ctx}");
    let t_err: Vec<&String> = t
        .stderr
        .iter()
        .filter(|l| !l.starts_with("reading from file"))
        .collect();
    let e_err: Vec<&String> = e
        .stderr
        .iter()
        .filter(|l| !l.starts_with("reading from file"))
        .collect();
    assert_eq!(t_err.len(), e_err.len(), "error lines differ\n{ctx}");
    if let (Some(tl), Some(el)) = (t_err.first(), e_err.first()) {
        let path = file.display().to_string();
        let tail = tcpdump_error(tl);
        let want = if tail.starts_with(&format!("{path}: ")) {
            format!("echolab dump: error: {tail}")
        } else {
            format!("echolab dump: error: {path}: {tail}")
        };
        assert_eq!(el.as_str(), want, "error line differs\n{ctx}");
    }
    // A record whose microsecond field is out of range (>= 10^6) is printed raw by tcpdump;
    // echolab's `Timestamp` holds nanoseconds within the second and cannot carry it, so
    // such stamps compare by their seconds only (a known difference, see README.md, "Known differences").
    let stamps = |s: &str| -> Vec<String> {
        s.lines()
            .filter(|l| !l.starts_with('\t'))
            .map(|l| {
                let stamp = l.split(' ').next().unwrap_or("");
                match stamp.split_once('.') {
                    Some((sec, frac)) if frac.len() != 6 => format!("{sec}.<out of range>"),
                    _ => stamp.to_string(),
                }
            })
            .collect()
    };
    assert_eq!(
        stamps(&t.stdout),
        stamps(&e.stdout),
        "packets printed differ\n{ctx}"
    );
}

#[test]
fn missing_file_is_one_line_exit_1() {
    require("tcpdump");
    let dir = tempfile::tempdir().unwrap();
    assert_same_outcome(&dir.path().join("absent.pcap"), "missing file");
}

#[test]
fn not_a_capture_is_one_line_exit_1() {
    require("tcpdump");
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("notes.txt");
    std::fs::write(&f, "these are lab notes, not packets\n").unwrap();
    assert_same_outcome(&f, "text file");
    let empty = dir.path().join("empty.pcap");
    std::fs::write(&empty, b"").unwrap();
    assert_same_outcome(&empty, "empty file");
}

#[test]
fn truncated_fixture_prints_what_it_can_then_fails() {
    require("tcpdump");
    let f = frame_fixture("truncated.pcap");
    assert_same_outcome(&f, "truncated.pcap");
    let e = echolab(&f, &["-nn"]);
    assert_eq!(e.code, Some(1));
    let packets = e.stdout.lines().filter(|l| !l.starts_with('\t')).count();
    assert_eq!(packets, 3, "{e:#?}");
}

/// Every prefix of a pcap and a pcapng file (both byte orders): the same packets, then the
/// same error, as tcpdump.
#[test]
fn every_cut_of_a_file_matches_tcpdump() {
    require("tcpdump");
    let dir = tempfile::tempdir().unwrap();
    for name in [
        "micro-le.pcap",
        "nano-be.pcap",
        "multi-le.pcapng",
        "multi-be.pcapng",
    ] {
        let data = std::fs::read(frame_fixture(name)).unwrap();
        let step = if name.ends_with("ng") { 5 } else { 9 };
        for cut in (0..data.len()).step_by(step) {
            let f = dir.path().join(format!("cut-{cut}-{name}"));
            std::fs::write(&f, &data[..cut]).unwrap();
            assert_same_outcome(&f, &format!("{name} cut at {cut}"));
        }
    }
}

/// Seeded corruption of header and block fields: the same acceptance and messages as
/// libpcap (bad versions, lengths, interfaces, resolutions, snapshot lengths).
#[test]
fn corrupted_headers_match_tcpdump() {
    use rand::{Rng, SeedableRng};
    require("tcpdump");
    let dir = tempfile::tempdir().unwrap();
    let mut rng = rand::rngs::StdRng::seed_from_u64(3);
    for name in [
        "micro-le.pcap",
        "micro-be.pcap",
        "multi-le.pcapng",
        "multi-be.pcapng",
    ] {
        let data = std::fs::read(frame_fixture(name)).unwrap();
        for i in 0..60 {
            let mut d = data.clone();
            for _ in 0..rng.gen_range(1..3) {
                let at = rng.gen_range(0..d.len().min(160));
                d[at] = match rng.gen_range(0..4) {
                    0 => 0,
                    1 => 0xff,
                    2 => d[at] ^ (1 << rng.gen_range(0..8)),
                    _ => rng.gen(),
                };
            }
            let f = dir.path().join(format!("bad-{i}-{name}"));
            std::fs::write(&f, &d).unwrap();
            assert_same_outcome(&f, &format!("{name} corruption {i}"));
        }
    }
}

#[test]
fn oversized_record_matches_tcpdump() {
    require("tcpdump");
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("huge.pcap");
    let mut w = Writer::new(
        std::fs::File::create(&f).unwrap(),
        LinkType::Ethernet,
        262_144,
        false,
    )
    .unwrap();
    let ts = Timestamp {
        sec: 1_700_000_000,
        nsec: 0,
    };
    w.write(ts, &synth::ethernet(0x88b5, &[7; 50]), 64).unwrap();
    w.write(ts, &vec![0; 300_000], 300_000).unwrap();
    drop(w.into_inner());
    assert_same_outcome(&f, "record over 262144 bytes");
}

#[test]
fn bad_flag_is_a_usage_error() {
    let out = run_env("echolab", &["dump", "--bogus"], b"", &[]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--bogus") && err.contains("Usage"), "{err}");
    for bad in [["-c", "0"], ["-c", "x"], ["-s", "300000"]] {
        let f = frame_fixture("micro-le.pcap");
        let out = run_env(
            "echolab",
            &["dump", "-r", f.to_str().unwrap(), bad[0], bad[1]],
            b"",
            &[],
        );
        assert_eq!(out.status.code(), Some(2), "{bad:?}");
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn six_t_flags_are_refused_like_tcpdump() {
    require("tcpdump");
    let f = frame_fixture("micro-le.pcap");
    let t = tcpdump(&f, &["-tttttt"]);
    let e = echolab(&f, &["-tttttt"]);
    assert_eq!(t.code, e.code);
    assert!(e.stdout.is_empty());
    assert_eq!(t.stderr.len(), 1);
    assert_eq!(
        e.stderr,
        vec![format!(
            "echolab dump: error: {}",
            tcpdump_error(&t.stderr[0])
        )]
    );
}

#[test]
fn bad_filter_is_one_line_exit_1() {
    let f = frame_fixture("micro-le.pcap");
    let out = run_env(
        "echolab",
        &["dump", "-r", f.to_str().unwrap(), "-nn", "tcp", "and", "("],
        b"",
        &[],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 2, "{err}");
    assert!(lines[0].starts_with("reading from file "), "{err}");
    assert!(lines[1].starts_with("echolab dump: error: "), "{err}");
}

#[test]
fn help_lists_tcpdump_flags() {
    let out = run_env("echolab", &["dump", "--help"], b"", &[]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    for flag in [
        "-r", "-n", "-v", "-x", "-X", "-A", "-e", "-S", "-t", "-q", "-c", "-s",
    ] {
        assert!(text.contains(flag), "--help lacks {flag}:\n{text}");
    }
}

/// `-c N` stops after N packets, like tcpdump, and counts only packets printed.
#[test]
fn count_stops_early() {
    require("tcpdump");
    let f = frame_fixture("micro-le.pcap");
    for n in ["1", "5", "12", "500"] {
        let t = tcpdump(&f, &["-nn", "-c", n]);
        let e = echolab(&f, &["-nn", "-c", n]);
        assert_eq!(t.code, e.code);
        let packets = |s: &str| s.lines().filter(|l| !l.starts_with('\t')).count();
        assert_eq!(packets(&t.stdout), packets(&e.stdout), "-c {n}");
    }
}

/// A reader that stops reading (`| head -1`) ends echolab quietly with status 0.
#[test]
fn closed_stdout_exits_0_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("session.pcap");
    let mut w = Writer::new(
        std::io::BufWriter::new(std::fs::File::create(&f).unwrap()),
        LinkType::Ethernet,
        262_144,
        false,
    )
    .unwrap();
    let mut i = 0i64;
    synth::echo_session(45000, 20_000, |p| {
        let ts = Timestamp {
            sec: 1_700_000_000 + i / 1000,
            nsec: 0,
        };
        w.write(ts, p, p.len() as u32).unwrap();
        i += 1;
    });
    drop(w.into_inner());
    let mut child = Command::new(bin("echolab"))
        .args(["dump", "-r", f.to_str().unwrap(), "-nnX"])
        .env("TZ", "UTC")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    stdout.read_line(&mut first).unwrap();
    drop(stdout);
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        !err.contains("panicked") && !err.contains("Broken pipe"),
        "{err}"
    );
    assert!(first.starts_with("22:13:20.000000 "), "{first:?}");
}

/// A one-record pcap of link type `dlt`, by hand (the writer only knows echolab's link types).
fn pcap_of_link_type(dir: &Path, dlt: u32, record: &[u8]) -> PathBuf {
    let mut f = Vec::new();
    for v in [0xa1b2_c3d4u32, 0x0004_0002, 0, 0, 262_144, dlt] {
        f.extend_from_slice(&v.to_le_bytes());
    }
    let len = record.len() as u32;
    for v in [1u32, 0, len, len] {
        f.extend_from_slice(&v.to_le_bytes());
    }
    f.extend_from_slice(record);
    let path = dir.join(format!("link-{dlt}.pcap"));
    std::fs::write(&path, f).unwrap();
    path
}

/// Link types libpcap cannot compile a filter for: tcpdump says `unknown data link type N
/// (min 104, max 289)` after its `reading from file` line and exits 1; the ones it can
/// (USER0 = 147) print as `UNSUPPORTED` hex, exit 0. echolab says the same in its shape.
#[test]
fn unknown_link_types_fail_like_tcpdump() {
    require("tcpdump");
    let dir = tempfile::tempdir().unwrap();
    for dlt in [2, 5, 14, 98, 147, 290, 4242] {
        let f = pcap_of_link_type(dir.path(), dlt, b"abcd");
        for flags in [&["-nn"][..], &["-nn", "-w", "/dev/null"][..]] {
            let t = tcpdump(&f, flags);
            let e = echolab(&f, flags);
            let ctx = format!("link type {dlt} {flags:?}: tcpdump {t:#?}\necholab {e:#?}");
            assert_eq!(t.code, e.code, "exit status differs\n{ctx}");
            assert_eq!(t.stdout, e.stdout, "stdout differs\n{ctx}");
            let want: Vec<String> = t
                .stderr
                .iter()
                .map(|l| match l.strip_prefix("tcpdump: ") {
                    Some(rest) => format!("echolab dump: error: {rest}"),
                    None => l.clone(),
                })
                .collect();
            assert_eq!(want, e.stderr, "stderr differs\n{ctx}");
        }
    }
}

/// tcpdump warns, on stderr after its `reading from file` line, that a LINUX_SLL2 file's
/// interface names may be wrong (they are looked up on this machine by index).
#[test]
fn sll2_files_carry_tcpdumps_warning() {
    require("tcpdump");
    let dir = tempfile::tempdir().unwrap();
    // SLL2: protocol IPv4, reserved, interface index 1, ARPHRD_LOOPBACK, incoming, address
    // length 6, address; then IPv4/UDP 127.0.0.1:1234 -> 127.0.0.1:4002, no payload.
    let mut rec = vec![8, 0, 0, 0, 0, 0, 0, 1, 3, 4, 0, 6, 0, 0, 0, 0, 0, 0, 0, 0];
    rec.extend_from_slice(&[
        0x45, 0, 0, 28, 0, 1, 0, 0, 64, 17, 0x7c, 0xce, 127, 0, 0, 1, 127, 0, 0, 1, 0x04, 0xd2,
        0x0f, 0xa2, 0, 8, 0, 0,
    ]);
    let f = pcap_of_link_type(dir.path(), 276, &rec);
    for flags in [
        &["-nn"][..],
        &["-nn", "-w", "/dev/null"][..],
        &["-nn", "bogus bogus"][..],
    ] {
        let t = tcpdump(&f, flags);
        assert!(
            t.stderr
                .iter()
                .any(|l| l == "Warning: interface names might be incorrect"),
            "tcpdump no longer warns: {t:#?}"
        );
        let e = echolab(&f, flags);
        let ctx = format!("{flags:?}: tcpdump {t:#?}\necholab {e:#?}");
        assert_eq!(t.code, e.code, "exit status differs\n{ctx}");
        assert_eq!(t.stdout, e.stdout, "stdout differs\n{ctx}");
        assert_eq!(t.stderr[..2], e.stderr[..2], "stderr differs\n{ctx}");
    }
}

/// Time stamps past the year 9999, up to where `localtime(3)`'s `int` year overflows, in
/// zones with daylight saving time and odd offsets: the same text as tcpdump run with the
/// same `TZ` (the goldens cover UTC). Needs the tz database (tzdata) for both programs.
#[test]
fn far_future_local_times_match_tcpdump() {
    require("tcpdump");
    let file = frame_fixture("far-future.pcapng");
    let path = file.to_str().expect("utf-8 path");
    for tz in ["America/New_York", "Asia/Kolkata", "Australia/Lord_Howe"] {
        assert!(
            Path::new("/usr/share/zoneinfo").join(tz).exists(),
            "the tz database has no {tz} (apt-get install -y tzdata)"
        );
        for flags in [&["-nn"][..], &["-nn", "-tttt"], &["-nn", "-tttt", "--nano"]] {
            let expected = Command::new("tcpdump")
                .args(["-r", path])
                .args(flags)
                .env("TZ", tz)
                .output()
                .expect("run tcpdump");
            let mut args = vec!["dump", "-r", path];
            args.extend_from_slice(flags);
            let got = run_env("echolab", &args, b"", &[("TZ", tz)]);
            assert!(got.status.success(), "echolab dump failed with TZ={tz}");
            crate::util::assert_text_eq(
                &format!("TZ={tz} {}", flags.join(" ")),
                &String::from_utf8_lossy(&expected.stdout),
                &String::from_utf8_lossy(&got.stdout),
            );
        }
    }
}

/// `-T` with a type tcpdump does not know: its message, status 1, before the file is read.
#[test]
fn unknown_packet_types_are_refused_like_tcpdump() {
    require("tcpdump");
    let f = frame_fixture("dns-8053.pcap");
    for bad in ["bogus", "udp", "quic", ""] {
        let t = tcpdump(&f, &["-T", bad]);
        let e = echolab(&f, &["-T", bad]);
        assert_eq!(t.code, Some(1), "{bad}: {t:?}");
        assert_eq!(e.code, t.code, "{bad}: {e:?}");
        assert!(e.stdout.is_empty(), "{bad}: {e:?}");
        assert_eq!(t.stderr.len(), 1, "{bad}: {t:?}");
        let want = format!("echolab dump: error: {}", tcpdump_error(&t.stderr[0]));
        assert_eq!(e.stderr, vec![want], "{bad}");
    }
}

/// Every type of echolab's table is one tcpdump accepts; those whose printer echolab lacks
/// are refused in one line rather than printed wrongly, the others print as tcpdump does.
#[test]
fn packet_types_tcpdump_knows_print_or_are_refused() {
    use echolab::capture::print::options::PACKET_TYPES;
    use echolab::capture::print::udp::packettype_app;
    require("tcpdump");
    let f = frame_fixture("dns-8053.pcap");
    let mut decoded = 0;
    for (name, pt) in PACKET_TYPES {
        let t = tcpdump(&f, &["-nn", "-T", name]);
        assert_eq!(t.code, Some(0), "tcpdump -T {name}: {t:?}");
        let e = echolab(&f, &["-nn", "-T", name]);
        if packettype_app(*pt).is_some() {
            decoded += 1;
            assert_eq!(e.code, Some(0), "-T {name}: {e:?}");
            assert_eq!(e.stdout, t.stdout, "-T {name}");
        } else {
            assert_eq!(e.code, Some(1), "-T {name}: {e:?}");
            assert!(e.stdout.is_empty(), "-T {name}: {e:?}");
            let want = format!("echolab dump: error: -T {name}: not decoded by echolab");
            assert_eq!(e.stderr, vec![want]);
        }
    }
    // domain, snmp, tftp, radius, resp, pgm, pgm_zmtp1, zmtp1 at least.
    assert!(decoded >= 8, "only {decoded} packet types decoded");
}

/// tcpdump compares `-T` names without regard to case.
#[test]
fn packet_type_names_ignore_case() {
    require("tcpdump");
    let f = frame_fixture("dns-8053.pcap");
    for name in ["Domain", "DOMAIN", "dOmAiN"] {
        let t = tcpdump(&f, &["-nn", "-vv", "-T", name]);
        let e = echolab(&f, &["-nn", "-vv", "-T", name]);
        assert_eq!(t.code, Some(0), "{t:?}");
        assert_eq!(e.code, t.code, "{name}");
        assert!(t.stdout.contains("A? lab.example."), "{}", t.stdout);
        assert_eq!(e.stdout, t.stdout, "-T {name}");
    }
}

/// `-#` live: the numbers echolab prints while capturing are those tcpdump prints reading
/// the packets echolab wrote, with `-ttt -e -x` around them.
#[test]
fn live_numbers_equal_tcpdump_reading() {
    use echolab::capture::live::{Capture, LiveOptions};
    use std::io::Read;
    require("tcpdump");
    if let Err(e) = Capture::open(&LiveOptions::default()) {
        panic!("this test needs root or CAP_NET_RAW on lo, and cannot run here: {e}");
    }
    let sock = std::net::UdpSocket::bind("127.0.0.1:0").expect("bind udp");
    let port = sock.local_addr().expect("local addr").port();
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("live.pcap");
    let flags = ["-nn", "-#", "-ttt", "-e", "-x"];
    let expr = format!("udp dst port {port}");
    let mut child = Command::new(bin("echolab"))
        .args([
            "dump",
            "-i",
            "lo",
            "--immediate-mode",
            "-c",
            "3",
            "--print",
            "-w",
        ])
        .arg(&file)
        .args(flags)
        .arg(&expr)
        .env("TZ", "UTC")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start echolab dump");
    let mut err = BufReader::new(child.stderr.take().expect("stderr is piped"));
    let mut said = String::new();
    while !said.contains("listening on") {
        let mut line = String::new();
        if err.read_line(&mut line).unwrap_or(0) == 0 {
            let _ = child.kill();
            panic!("echolab dump ended before listening:\n{said}");
        }
        said.push_str(&line);
    }
    for i in 0..3 {
        sock.send_to(format!("number {i}\n").as_bytes(), ("127.0.0.1", port))
            .expect("send");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let mut printed = String::new();
    let mut stdout = child.stdout.take().expect("stdout is piped");
    stdout.read_to_string(&mut printed).expect("read stdout");
    let status = child.wait().expect("wait");
    assert!(status.success(), "{status}");
    let t = tcpdump(&file, &flags);
    assert_eq!(t.code, Some(0), "{t:?}");
    assert!(
        t.stdout.starts_with("    1   00:00:00.000000 "),
        "{}",
        t.stdout
    );
    assert!(t.stdout.contains("\n    3   "), "{}", t.stdout);
    assert_eq!(printed, t.stdout);
}
