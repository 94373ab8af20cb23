//! Golden files: `echolab dump -r` against the text tcpdump 4.99.3 printed for the same pcap
//! and flags. Every `fixtures/dump/*/MANIFEST` line is one case:
//! `name input.pcap expected.out flags...` (tcpdump's tests/TESTLIST shape). The expected
//! files are written only by `scripts/regen-goldens.sh`, which runs tcpdump.

use crate::util::{assert_text_eq, root, run_env};

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
    let cases = cases();
    assert!(!cases.is_empty(), "no golden cases under fixtures/dump/*/MANIFEST");
    let mut failures = Vec::new();
    for c in &cases {
        let dir = root().join("fixtures/dump").join(&c.group);
        let input = dir.join(&c.input);
        let expected = std::fs::read_to_string(dir.join(&c.expected))
            .unwrap_or_else(|e| panic!("{}/{}: {e}", c.group, c.expected));
        let mut args = vec!["dump", "-r", input.to_str().unwrap()];
        args.extend(c.flags.iter().map(String::as_str));
        let out = run_env("echolab", &args, b"", &[("TZ", "UTC")]);
        let got = String::from_utf8_lossy(&out.stdout);
        if got != expected {
            failures.push((c, expected, got.into_owned()));
        }
    }
    if let Some((c, expected, got)) = failures.first() {
        let names: Vec<String> =
            failures.iter().map(|(c, _, _)| format!("{}/{}", c.group, c.name)).collect();
        eprintln!("{} of {} golden cases differ: {}", failures.len(), cases.len(), names.join(" "));
        assert_text_eq(&format!("{}/{}", c.group, c.name), expected, got);
    }
}
