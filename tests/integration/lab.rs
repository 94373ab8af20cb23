//! `echolab lab`: every exercise played on loopback by `lab run` (real servers, the scripted
//! client and a live capture; root needed), its capture passing `lab check`, another
//! exercise's capture failing with the right criterion, and the checks independent of ports
//! and addresses (IPv6 against IPv4, the fixtures recorded on port 4002 against free ports).

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::util::{report_fixture, require_root, root, run, run_env};

/// `echolab ARGS`: status, stdout, stderr.
fn lab(args: &[&str]) -> (i32, String, String) {
    let out = run("echolab", args, b"");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// `lab check N FILES --json`: status and the report.
fn check(n: &str, files: &[&Path]) -> (i32, Value) {
    let mut args = vec!["lab", "check", n, "--json"];
    let names: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
    args.extend(names.iter().map(String::as_str));
    let (code, stdout, stderr) = lab(&args);
    let v = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("lab check {n} --json: {e}\n{stdout}\n{stderr}"));
    (code, v)
}

/// The criteria of a report, as (criterion, pass).
fn criteria(v: &Value) -> Vec<(String, bool)> {
    v["criteria"]
        .as_array()
        .expect("criteria")
        .iter()
        .map(|c| {
            (
                c["criterion"].as_str().expect("criterion").to_string(),
                c["pass"].as_bool().expect("pass"),
            )
        })
        .collect()
}

/// The answer to the question that contains `q`.
fn answer(v: &Value, q: &str) -> String {
    v["answers"]
        .as_array()
        .expect("answers")
        .iter()
        .find(|a| a["question"].as_str().is_some_and(|t| t.contains(q)))
        .and_then(|a| a["answer"].as_str())
        .unwrap_or_else(|| panic!("no answer to {q:?} in {v}"))
        .to_string()
}

/// Assert the report failed, and that the first failing criterion contains `want`.
#[track_caller]
fn fails_on(code: i32, v: &Value, want: &str) {
    assert_eq!(code, 1, "the check should fail: {v:#}");
    assert_eq!(v["pass"], Value::Bool(false), "{v:#}");
    let failed: Vec<String> = criteria(v)
        .into_iter()
        .filter(|(_, pass)| !pass)
        .map(|(c, _)| c)
        .collect();
    assert!(
        failed.first().is_some_and(|c| c.contains(want)),
        "the first failing criterion should be about {want:?}: failed {failed:?}\n{v:#}"
    );
}

/// `lab run N -w DIR --json`, which must pass; the captures it wrote.
fn run_exercise(n: &str, dir: &Path) -> (Value, Vec<PathBuf>) {
    let d = dir.display().to_string();
    let started = std::time::Instant::now();
    let (code, stdout, stderr) = lab(&["lab", "run", n, "-w", &d, "--json"]);
    let v: Value = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("lab run {n} --json: {e}\n{stdout}\n{stderr}"));
    assert_eq!(
        (code, &v["pass"]),
        (0, &Value::Bool(true)),
        "lab run {n} must pass its own check: {v:#}\n{stderr}"
    );
    assert!(
        started.elapsed() < std::time::Duration::from_secs(20),
        "lab run {n} took {:?}",
        started.elapsed()
    );
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("the -w folder")
        .map(|e| e.expect("entry").path())
        .collect();
    files.sort();
    (v, files)
}

fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().expect("a temporary folder")
}

#[test]
fn list_names_the_exercises_in_order() {
    let (code, stdout, _) = lab(&["lab", "list"]);
    assert_eq!(code, 0);
    let want = [
        "1  TCP line mode",
        "2  TCP continuous mode",
        "3  Nagle against TCP_NODELAY",
        "4  UDP line mode",
        "5  UDP continuous mode",
        "6  the session over IPv6 (::1)",
        "7  checksums on loopback",
        "8  verify a typed trace",
    ];
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(lines.len() >= want.len(), "{stdout}");
    assert_eq!(&lines[..want.len()], &want[..], "{stdout}");
}

#[test]
fn show_says_what_to_run_and_an_unknown_exercise_is_a_usage_error() {
    let (code, stdout, _) = lab(&["lab", "show", "1"]);
    assert_eq!(code, 0);
    for needle in [
        "echoServer -t TCP",
        "tcpdump -nnvvXSs 1514 -i lo",
        "echolab lab check 1",
        "Questions",
    ] {
        assert!(stdout.contains(needle), "no {needle:?} in:\n{stdout}");
    }
    // Every handout fits a narrow terminal.
    for n in 1..=10 {
        let out = run_env(
            "echolab",
            &["lab", "show", &n.to_string()],
            b"",
            &[("COLUMNS", "60")],
        );
        let text = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(0), "{text}");
        assert!(
            text.lines().all(|l| l.chars().count() <= 60),
            "lab show {n}:\n{text}"
        );
    }
    let (code, stdout, stderr) = lab(&["lab", "show", "99"]);
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("no exercise 99"), "{stderr}");
}

#[test]
fn check_refuses_wrong_counts_and_unreadable_files_with_status_2() {
    let pcap = root().join("fixtures/sessions/tcp-line.pcap");
    let p = pcap.display().to_string();
    let readme = root().join("README.md").display().to_string();
    for args in [
        vec!["lab", "check", "1", &p, &p],
        vec!["lab", "check", "3", &p],
        vec!["lab", "check", "1", "/nonexistent.pcap"],
        vec!["lab", "check", "1", &readme],
        vec!["lab", "check", "8", &p],
        vec!["lab", "check", "8", &readme],
    ] {
        let (code, stdout, stderr) = lab(&args);
        assert_eq!(code, 2, "{args:?}: {stdout}{stderr}");
        assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr}");
        assert!(stderr.starts_with("echolab lab: error: "), "{stderr}");
    }
}

#[test]
fn recorded_fixtures_pass_whatever_their_port() {
    // Recorded on port 4002 by echoServer and echoClient, long before this run.
    let f = |n: &str| root().join(format!("fixtures/sessions/{n}.pcap"));
    for (n, file) in [
        ("1", "tcp-line"),
        ("2", "tcp-continuous"),
        ("5", "udp-continuous"),
    ] {
        let (code, v) = check(n, &[&f(file)]);
        assert_eq!((code, &v["pass"]), (0, &Value::Bool(true)), "{file}: {v:#}");
    }
    // The fixture's empty line is the third: UDP line mode passes too.
    let (code, v) = check("4", &[&f("udp-line")]);
    assert_eq!(code, 0, "{v:#}");
}

#[test]
fn lab_1_tcp_line() {
    require_root();
    let dir = tmp();
    let (v, files) = run_exercise("1", dir.path());
    assert_eq!(files.len(), 1);
    let (code, again) = check("1", &[&files[0]]);
    // The same criteria and evidence (times differ below the microsecond: pcap keeps µs).
    assert_eq!(
        (code, &again["criteria"]),
        (0, &v["criteria"]),
        "the run's capture checks the same"
    );
    // The answers come from the capture: the ISN is a number, the MSS loopback's.
    answer(&v, "client's initial sequence number")
        .split(' ')
        .next()
        .and_then(|n| n.parse::<u32>().ok())
        .expect("an ISN");
    assert_eq!(answer(&v, "MSS the client offers"), "65495");
    // A line-mode capture is not continuous mode, nor UDP, nor IPv6, nor a refused port.
    let (code, w) = check("2", &[&files[0]]);
    fails_on(code, &w, "one byte per segment");
    let (code, w) = check("4", &[&files[0]]);
    fails_on(code, &w, "a UDP exchange");
    let (code, w) = check("6", &[&files[0]]);
    fails_on(code, &w, "over IPv6");
    let (code, w) = check("9", &[&files[0]]);
    fails_on(code, &w, "answered by a RST");
}

#[test]
fn lab_2_tcp_continuous() {
    require_root();
    let dir = tmp();
    let (_, files) = run_exercise("2", dir.path());
    let (code, v) = check("2", &[&files[0]]);
    assert_eq!(code, 0, "{v:#}");
    // Keys are not lines.
    let (code, w) = check("1", &[&files[0]]);
    fails_on(code, &w, "one segment per line");
}

#[test]
fn lab_3_nagle_against_nodelay() {
    require_root();
    let dir = tmp();
    let (_, files) = run_exercise("3", dir.path());
    assert_eq!(files.len(), 2, "{files:?}");
    let (code, v) = check("3", &[&files[0], &files[1]]);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(
        answer(&v, "without -c: echoes that left while an earlier one"),
        "none"
    );
    // Swapped, the -c capture breaks Nagle's rule.
    let (code, w) = check("3", &[&files[1], &files[0]]);
    fails_on(code, &w, "without -c: Nagle's rule");
}

#[test]
fn lab_4_udp_line() {
    require_root();
    let dir = tmp();
    let (_, files) = run_exercise("4", dir.path());
    let (code, v) = check("4", &[&files[0]]);
    assert_eq!(code, 0, "{v:#}");
    let (code, w) = check("1", &[&files[0]]);
    fails_on(code, &w, "a TCP connection");
    let (code, w) = check("5", &[&files[0]]);
    fails_on(code, &w, "one byte per datagram");
}

#[test]
fn lab_5_udp_continuous() {
    require_root();
    let dir = tmp();
    let (_, files) = run_exercise("5", dir.path());
    let (code, v) = check("5", &[&files[0]]);
    assert_eq!(code, 0, "{v:#}");
    let (code, w) = check("4", &[&files[0]]);
    fails_on(code, &w, "one datagram per line");
}

#[test]
fn lab_6_ipv6_and_the_checks_ignore_the_address() {
    require_root();
    let dir = tmp();
    let (v, files) = run_exercise("6", dir.path());
    assert_eq!(answer(&v, "MSS the client offers"), "65476");
    // Exercise 1's check holds over ::1 as over 127.0.0.1.
    let (code, w) = check("1", &[&files[0]]);
    assert_eq!(code, 0, "{w:#}");
}

#[test]
fn lab_7_checksums_and_a_damaged_one() {
    require_root();
    let dir = tmp();
    let (_, files) = run_exercise("7", dir.path());
    let (code, v) = check("7", &[&files[0]]);
    assert_eq!(code, 0, "{v:#}");
    // A UDP checksum field overwritten: incorrect, and not the offload's partial sum.
    let damaged = dir.path().join("damaged.pcap");
    damage_udp_checksum(&files[0], &damaged);
    let (code, w) = check("7", &[&damaged]);
    fails_on(code, &w, "holds the pseudo-header's sum");
}

/// Copy a capture with the first UDP datagram's checksum field set to 0x1234.
fn damage_udp_checksum(from: &Path, to: &Path) {
    use echolab::capture::pcap::Reader;
    use echolab::demo::{write_pcap, Frame};
    let mut r = Reader::new(std::fs::File::open(from).unwrap()).unwrap();
    let mut frames = Vec::new();
    while let Some(rec) = r.next_record().unwrap() {
        frames.push(Frame {
            ts: rec.ts,
            len: rec.len,
            link: rec.link,
            data: rec.data.to_vec(),
        });
    }
    // Ethernet (14) + IPv4 (20, protocol at 9) + UDP checksum at 6.
    let udp = frames
        .iter_mut()
        .find(|f| f.data.get(14 + 9) == Some(&17))
        .expect("a UDP datagram");
    udp.data[14 + 20 + 6..14 + 20 + 8].copy_from_slice(&[0x12, 0x34]);
    write_pcap(to, &frames).unwrap();
}

#[test]
fn lab_8_finds_the_reports_two_wrong_claims() {
    let (code, stdout, _) = lab(&["lab", "run", "8", "--json"]);
    let v: Value = serde_json::from_str(&stdout).expect("JSON");
    assert_eq!(code, 0, "{v:#}");
    let texts = [
        report_fixture("tcp-line.txt"),
        report_fixture("tcp-continuous.txt"),
    ];
    let paths: Vec<&Path> = texts.iter().map(Path::new).collect();
    let (code, w) = check("8", &paths);
    assert_eq!(code, 0, "{w:#}");
    for r in [&v, &w] {
        assert_eq!(answer(r, "claims the bytes contradict"), "2");
        assert!(answer(r, "tcp-line.txt line").contains("0xaeea"), "{r:#}");
        assert!(
            answer(r, "tcp-continuous.txt line").contains("3cba"),
            "{r:#}"
        );
    }
}

#[test]
fn lab_9_rst_from_a_closed_port() {
    require_root();
    let dir = tmp();
    let (v, files) = run_exercise("9", dir.path());
    assert!(answer(&v, "the RST's acknowledgement number").contains("ISN + 1"));
    let (code, w) = check("1", &[&files[0]]);
    fails_on(code, &w, "three-way handshake");
}

#[test]
fn the_text_report_fits_the_width_without_colour() {
    let pcap = root().join("fixtures/sessions/udp-line.pcap");
    let p = pcap.display().to_string();
    let out = run_env(
        "echolab",
        &["lab", "check", "1", &p],
        b"",
        &[("COLUMNS", "60"), ("NO_COLOR", "1")],
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("FAIL  a TCP connection"), "{text}");
    assert!(!text.contains('\x1b'), "colour with NO_COLOR: {text}");
    // A word longer than the width stands alone; none of these is.
    for l in text.lines() {
        assert!(
            l.chars().count() <= 60,
            "{l:?} is wider than 60 columns:\n{text}"
        );
    }
}

#[test]
fn verify_json_follows_its_schema_and_agrees_with_the_text() {
    let text = report_fixture("tcp-line.txt");
    let screen = report_fixture("tcp-line.screen.txt");
    let out = run(
        "echolab",
        &["verify", &text, "--transcript", &screen, "--json"],
        b"",
    );
    assert_eq!(out.status.code(), Some(1), "a claim of the report fails");
    let v: Value = serde_json::from_slice(&out.stdout).expect("verify --json is JSON");
    let packets = v["packets"].as_array().expect("packets");
    let s = &v["summary"];
    let n = |k: &str| s[k].as_u64().unwrap_or_else(|| panic!("summary.{k}: {s}"));
    assert_eq!(n("packets"), packets.len() as u64);
    assert_eq!(
        n("hold") + n("damaged") + n("fail") + n("not_checked"),
        n("packets")
    );
    for p in packets {
        assert!(p["line"].as_u64().is_some() && p["time"].is_string() && p["packet"].is_string());
        let verdict = p["verdict"].as_str().expect("verdict");
        assert!(
            ["holds", "damaged", "fails", "not checked"].contains(&verdict),
            "{p}"
        );
        for f in p["findings"].as_array().expect("findings") {
            let kind = f["kind"].as_str().expect("kind");
            let kinds = [
                "damage",
                "dots_lost",
                "fails",
                "holds",
                "note",
                "not_checked",
            ];
            assert!(kinds.contains(&kind), "{f}");
            assert!(f["text"].is_string());
        }
    }
    let failing: Vec<&Value> = packets.iter().filter(|p| p["verdict"] == "fails").collect();
    assert_eq!(failing.len() as u64, n("fail"));
    assert!(failing[0]["findings"].to_string().contains("0xaeea"), "{v}");
    assert_eq!(v["transcript"]["matches"], Value::Bool(false));
    assert!(v["transcript"]["findings"]
        .as_array()
        .is_some_and(|f| !f.is_empty()));
    // The text report's summary line says the same.
    let plain = run_env("echolab", &["verify", &text], b"", &[("COLUMNS", "200")]);
    let plain = String::from_utf8_lossy(&plain.stdout);
    let want = format!(
        "{} packets: {} hold, {} damaged in transcription, {} fail; {} claims checked",
        n("packets"),
        n("hold"),
        n("damaged"),
        n("fail"),
        n("claims_checked")
    );
    assert!(plain.contains(&want), "no {want:?} in:\n{plain}");
    // Without --transcript, `transcript` is null.
    let out = run("echolab", &["verify", &text, "--json"], b"");
    let v: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert!(v["transcript"].is_null(), "{}", v["transcript"]);
}

#[test]
fn demo_json_follows_its_schema() {
    require_root();
    let out = run("echolab", &["demo", "--json"], b"");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).expect("demo --json is JSON");
    assert!(v["port"].as_u64().is_some_and(|p| p > 0));
    assert_eq!(
        (&v["captured"], &v["capture_error"]),
        (&Value::Bool(true), &Value::Null)
    );
    let sessions = v["sessions"].as_array().expect("sessions");
    let names: Vec<&str> = sessions.iter().filter_map(|s| s["name"].as_str()).collect();
    assert_eq!(
        names,
        ["tcp-line", "tcp-continuous", "udp-line", "udp-continuous"]
    );
    for (s, (transport, bytes, echoes)) in
        sessions
            .iter()
            .zip([("tcp", 26, 2), ("tcp", 5, 5), ("udp", 42, 3), ("udp", 5, 5)])
    {
        assert!(s["title"].is_string() && s["screen"].is_string(), "{s}");
        assert!(s["error"].is_null(), "{s}");
        let convs = s["conversations"].as_array().expect("conversations");
        assert_eq!(convs.len(), 1, "{s}");
        let c = &convs[0];
        assert_eq!(c["transport"], transport, "{c}");
        assert!(c["client"].is_string() && c["server"].is_string());
        assert_eq!(
            (c["client_bytes"].as_u64(), c["server_bytes"].as_u64()),
            (Some(bytes), Some(bytes)),
            "{c}"
        );
        let rtts = c["rtts_ms"].as_array().expect("rtts_ms");
        assert_eq!(rtts.len(), echoes, "{c}");
        assert!(
            rtts.iter().all(|r| r.as_f64().is_some_and(|ms| ms > 0.0)),
            "{c}"
        );
        let packets = c["packets"].as_u64().expect("packets");
        // On lo every TCP/UDP checksum is left to the offload: incorrect, IP's correct.
        assert_eq!(
            c["l4_checksums"]["incorrect"].as_u64(),
            Some(packets),
            "{c}"
        );
        assert_eq!(c["ip_checksums"]["correct"].as_u64(), Some(packets), "{c}");
    }
}

#[test]
fn lab_run_without_privileges_says_what_is_missing() {
    require_root();
    let copy = crate::nobody::runnable(&crate::util::bin("echolab"));
    let out = crate::nobody::setpriv(&copy.path)
        .args(["lab", "run", "1"])
        .output()
        .expect("run setpriv");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with("echolab lab: error: exercise 1: "),
        "{stderr}"
    );
    assert!(stderr.contains("CAP_NET_RAW"), "{stderr}");
}

#[test]
fn lab_run_text_fits_the_width() {
    require_root();
    // Exercise 1: its run does not depend on timing (exercise 3's has its own test).
    let out = run_env("echolab", &["lab", "run", "1"], b"", &[("COLUMNS", "60")]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    for l in text.lines() {
        assert!(
            l.chars().count() <= 60,
            "{l:?} is wider than 60 columns:\n{text}"
        );
    }
    // The typist's Enter is shown escaped, never sent raw to the terminal.
    assert!(!text.contains('\r') && !text.contains('\x1b'), "{text}");
}

#[test]
fn lab_10_icmp_port_unreachable() {
    require_root();
    let dir = tmp();
    let (v, files) = run_exercise("10", dir.path());
    assert!(
        answer(&v, "the ICMP type and code").contains("type 3 code 3"),
        "{v:#}"
    );
    // A UDP session that was answered is not a closed port; nor is a TCP capture UDP.
    let f = root().join("fixtures/sessions/udp-line.pcap");
    let (code, w) = check("10", &[&f]);
    fails_on(code, &w, "no UDP answer");
    let (code, w) = check("1", &[&files[0]]);
    fails_on(code, &w, "a TCP connection");
}
