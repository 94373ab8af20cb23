//! `echolab grade`: a folder of submissions (equivalent recordings, a different session, a
//! file that is no capture, one nested in a subfolder) graded against a recorded reference
//! through the real binary; CSV and JSON parsed back; exit codes; the progress bar on a
//! terminal and none when piped; `--ignore-payload` on captures whose typed text differs;
//! `diff --json` parsed back.

use std::path::{Path, PathBuf};

use echolab::capture::pcap::{Reader, Writer};

use crate::echo_pty::Terminal;
use crate::util::{bin, root, run, run_env};

fn session(name: &str) -> PathBuf {
    root()
        .join("fixtures/sessions")
        .join(format!("{name}.pcap"))
}

fn report(name: &str) -> PathBuf {
    root().join("fixtures/report").join(format!("{name}.pcap"))
}

fn s(p: &Path) -> String {
    p.to_string_lossy().into_owned()
}

/// A folder of four submissions for the reference `tcp-line`: two equivalent (echolab's
/// recording, the report's trace in a subfolder), one different session, one corrupt file;
/// and a text file that is not picked up.
fn submissions() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir(d.join("sub")).unwrap();
    std::fs::copy(session("tcp-line"), d.join("alice.pcap")).unwrap();
    std::fs::copy(report("tcp-line"), d.join("sub/bob.pcap")).unwrap();
    std::fs::copy(session("tcp-continuous"), d.join("carol.pcap")).unwrap();
    std::fs::write(d.join("dave.pcapng"), b"not a capture at all").unwrap();
    std::fs::write(d.join("notes.txt"), b"not a submission").unwrap();
    dir
}

fn grade(args: &[&str]) -> std::process::Output {
    let mut all = vec!["grade", "--reference"];
    let reference = s(&session("tcp-line"));
    all.push(&reference);
    all.extend_from_slice(args);
    run("echolab", &all, b"")
}

#[test]
fn csv_has_one_row_per_capture_with_its_verdict() {
    let dir = submissions();
    let out = grade(&["--csv", &s(dir.path())]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let mut r = csv::Reader::from_reader(&out.stdout[..]);
    assert_eq!(
        r.headers().unwrap(),
        vec!["file", "verdict", "first_divergence"]
    );
    let rows: Vec<Vec<String>> = r
        .records()
        .map(|rec| rec.unwrap().iter().map(str::to_string).collect())
        .collect();
    let name = |f: &str| s(&dir.path().join(f));
    assert_eq!(rows.len(), 4, "{rows:?}");
    assert_eq!(
        rows[0],
        [name("alice.pcap"), "equivalent".into(), "".into()]
    );
    assert_eq!(rows[1][..2], [name("carol.pcap"), "different".to_string()]);
    assert!(
        rows[1][2].starts_with("segment 4: client sent \"L\" (1 byte)"),
        "{rows:?}"
    );
    assert_eq!(rows[2][..2], [name("dave.pcapng"), "error".to_string()]);
    assert!(rows[2][2].starts_with(&name("dave.pcapng")), "{rows:?}");
    assert!(!rows[2][2].contains('\n'));
    assert_eq!(
        rows[3],
        [name("sub/bob.pcap"), "equivalent".into(), "".into()]
    );
}

#[test]
fn json_is_an_array_of_the_same_objects() {
    let dir = submissions();
    let out = grade(&["--json", &s(dir.path())]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let verdicts: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["verdict"].as_str().unwrap())
        .collect();
    assert_eq!(verdicts, ["equivalent", "different", "error", "equivalent"]);
    assert!(v[1]["first_divergence"]
        .as_str()
        .unwrap()
        .starts_with("segment 4"));
    assert!(v[0]["file"].as_str().unwrap().ends_with("alice.pcap"));
}

#[test]
fn exit_codes_follow_diff() {
    let equal = [s(&session("tcp-line")), s(&report("tcp-line"))];
    let out = grade(&["--csv", &equal[0], &equal[1]]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let out = grade(&["--csv", &s(&session("udp-line"))]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    // Usage: no submission, both formats, an unreadable reference, no capture found.
    assert_eq!(grade(&[]).status.code(), Some(2));
    assert_eq!(
        grade(&["--csv", "--json", &equal[0]]).status.code(),
        Some(2)
    );
    let empty = tempfile::tempdir().unwrap();
    let out = grade(&[&s(empty.path())]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    let out = run(
        "echolab",
        &["grade", "--reference", "/nonexistent.pcap", &equal[0]],
        b"",
    );
    assert_eq!(out.status.code(), Some(2), "{out:?}");
}

/// `tcp-line` with every letter the client typed (and the server echoed) in lower case.
fn lower_case_copy(dst: &Path) {
    let mut r = Reader::new(std::fs::File::open(session("tcp-line")).unwrap()).unwrap();
    let link = r.link();
    let mut w = Writer::new(std::fs::File::create(dst).unwrap(), link, 262_144, false).unwrap();
    while let Some(rec) = r.next_record().unwrap() {
        let mut data = rec.data.to_vec();
        // Ethernet (14) + IPv4 header + TCP header: the payload.
        let ihl = usize::from(data[14] & 0x0f) * 4;
        let at = 14 + ihl + usize::from(data[14 + ihl + 12] >> 4) * 4;
        data[at..].make_ascii_lowercase();
        w.write(rec.ts, &data, rec.len).unwrap();
    }
    drop(w.into_inner());
}

#[test]
fn ignore_payload_grades_the_wire_behaviour_not_the_text() {
    let dir = tempfile::tempdir().unwrap();
    let lower = dir.path().join("lower.pcap");
    lower_case_copy(&lower);
    let out = grade(&["--csv", &s(&lower)]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let out = grade(&["--csv", "--ignore-payload", &s(&lower)]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    // Another shape is still different: five one-byte requests against two lines.
    let other = s(&session("tcp-continuous"));
    let out = grade(&["--csv", "--ignore-payload", &other]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let (reference, lower) = (s(&session("tcp-line")), s(&lower));
    let diff = |extra: &[&str]| {
        let mut a = vec!["diff"];
        a.extend_from_slice(extra);
        a.extend_from_slice(&[&reference, &lower]);
        run("echolab", &a, b"").status.code()
    };
    assert_eq!(diff(&[]), Some(1));
    assert_eq!(diff(&["--ignore-payload"]), Some(0));
}

#[test]
fn diff_json_carries_the_verdict_and_the_divergences() {
    let (r, c) = (s(&session("tcp-line")), s(&session("tcp-continuous")));
    let out = run("echolab", &["diff", "--json", &r, &c], b"");
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["verdict"], "different");
    assert_eq!(
        (v["reference"].as_str(), v["capture"].as_str()),
        (Some(&*r), Some(&*c))
    );
    let first = v["first_divergence"].as_str().unwrap();
    let divs = v["divergences"].as_array().unwrap();
    assert_eq!(divs[0]["reason"].as_str(), Some(first));
    assert_eq!(divs[0]["conversation"], "TCP conversation 1");
    assert_eq!(divs[0]["step"], "segment 4");
    assert!(divs[1..].iter().all(|d| d["reason"].is_null()));
    assert_eq!(v["notes"].as_array().map(Vec::len), Some(0));
    // The report's trace ends before the teardown: equivalent, with a note.
    let out = run(
        "echolab",
        &["diff", "--json", &r, &s(&report("tcp-line"))],
        b"",
    );
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["verdict"], "equivalent");
    assert!(v["first_divergence"].is_null());
    assert_eq!(v["divergences"].as_array().map(Vec::len), Some(0));
    assert_eq!(v["notes"].as_array().map(Vec::len), Some(1));
}

/// On a terminal a progress bar runs on stderr; piped, stderr stays empty.
#[test]
fn progress_bar_on_a_terminal_only() {
    let dir = submissions();
    let term = Terminal::start_script(&format!(
        "'{}' grade --reference '{}' --csv '{}' > '{}'; echo EXIT=$?; echo END",
        bin("echolab").display(),
        s(&session("tcp-line")),
        s(dir.path()),
        s(&dir.path().join("out.txt")),
    ));
    let screen = term.wait_for("END");
    assert!(screen.contains("grading"), "no progress bar:\n{screen}");
    assert!(screen.contains("EXIT=1"), "{screen}");
    let out = run_env(
        "echolab",
        &[
            "grade",
            "--reference",
            &s(&session("tcp-line")),
            &s(dir.path()),
        ],
        b"",
        &[],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("4 files: 2 equivalent, 1 different, 1 unreadable"),
        "{text}"
    );
    assert!(!text.contains('\u{1b}'), "no colour when piped:\n{text:?}");
}
