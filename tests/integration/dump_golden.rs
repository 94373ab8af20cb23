//! Golden files: `echolab dump -r` against the text tcpdump 4.99.3 printed for the same pcap
//! and flags. Every `fixtures/dump/*/MANIFEST` line is one case:
//! `name input.pcap expected.out flags...` (tcpdump's tests/TESTLIST shape). The expected
//! files are written only by `scripts/regen-goldens.sh`, which runs tcpdump.
//!
//! The goldens hold stdout only; exit status and stderr are compared with tcpdump's, run on
//! the same file with the same flags at test time.

use std::process::{Command, Output};

use crate::util::{assert_text_eq, require, root, run_env};

/// tcpdump's stderr as `echolab dump` words it: the same lines, except that a read error
/// (`tcpdump: pcap_loop: why`) is echolab's one error line naming the file.
fn expected_stderr(tcpdump: &[u8], input: &str) -> String {
    String::from_utf8_lossy(tcpdump)
        .lines()
        .map(|l| match l.strip_prefix("tcpdump: pcap_loop: ") {
            Some(why) => format!("echolab dump: error: {input}: {why}\n"),
            None => format!("{l}\n"),
        })
        .collect()
}

/// Exit status and stderr of `got` against tcpdump's on the same input: `None` when they
/// agree, else what differs.
fn status_and_stderr(input: &str, flags: &[String], got: &Output) -> Option<String> {
    let t = Command::new("tcpdump")
        .args(["-r", input])
        .args(flags)
        .env("TZ", "UTC")
        .output()
        .expect("run tcpdump");
    let want = expected_stderr(&t.stderr, input);
    let have = String::from_utf8_lossy(&got.stderr);
    if t.status.code() == got.status.code() && want == have {
        return None;
    }
    Some(format!(
        "exit {:?}, stderr:\n{have}tcpdump: exit {:?}, stderr as echolab words it:\n{want}",
        got.status.code(),
        t.status.code()
    ))
}

struct Case {
    group: String,
    name: String,
    input: String,
    expected: String,
    flags: Vec<String>,
}

fn cases() -> Vec<Case> {
    let dir = root().join("fixtures/dump");
    let mut cases = Vec::new();
    let mut groups: Vec<_> = std::fs::read_dir(&dir)
        .expect("fixtures/dump exists")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().join("MANIFEST").is_file())
        .collect();
    groups.sort_by_key(|e| e.file_name());
    for g in groups {
        let group = g.file_name().to_string_lossy().into_owned();
        let manifest = std::fs::read_to_string(g.path().join("MANIFEST")).unwrap();
        for line in manifest.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let words: Vec<&str> = line.split_whitespace().collect();
            assert!(words.len() >= 3, "{group}/MANIFEST: bad line {line:?}");
            cases.push(Case {
                group: group.clone(),
                name: words[0].into(),
                input: words[1].into(),
                expected: words[2].into(),
                flags: words[3..].iter().map(|w| w.to_string()).collect(),
            });
        }
    }
    cases
}

#[test]
fn dump_matches_tcpdump_goldens() {
    require("tcpdump");
    let cases = cases();
    assert!(
        !cases.is_empty(),
        "no golden cases under fixtures/dump/*/MANIFEST"
    );
    let mut failures = Vec::new();
    let mut ends = Vec::new();
    for c in &cases {
        let dir = root().join("fixtures/dump").join(&c.group);
        let input = dir.join(&c.input);
        let input = input.to_str().expect("fixture paths are UTF-8");
        let expected = std::fs::read_to_string(dir.join(&c.expected))
            .unwrap_or_else(|e| panic!("{}/{}: {e}", c.group, c.expected));
        let mut args = vec!["dump", "-r", input];
        args.extend(c.flags.iter().map(String::as_str));
        let out = run_env("echolab", &args, b"", &[("TZ", "UTC")]);
        if let Some(why) = status_and_stderr(input, &c.flags, &out) {
            ends.push(format!("{}/{}: echolab: {why}", c.group, c.name));
        }
        let got = String::from_utf8_lossy(&out.stdout);
        if got != expected {
            failures.push((c, expected, got.into_owned()));
        }
    }
    if let Some((c, expected, got)) = failures.first() {
        let names: Vec<String> = failures
            .iter()
            .map(|(c, _, _)| format!("{}/{}", c.group, c.name))
            .collect();
        eprintln!(
            "{} of {} golden cases differ: {}",
            failures.len(),
            cases.len(),
            names.join(" ")
        );
        assert_text_eq(&format!("{}/{}", c.group, c.name), expected, got);
    }
    assert!(
        ends.is_empty(),
        "{} of {} golden cases end unlike tcpdump:\n{}",
        ends.len(),
        cases.len(),
        ends.join("\n")
    );
}
