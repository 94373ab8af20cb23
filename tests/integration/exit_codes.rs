//! The exit-status policy of `cli/mod.rs` (README.md, "Exit status"), one command at a time:
//! usage errors exit 2 everywhere but where tcpdump decides (`dump`), `diff` and `verify`
//! answer like diff(1) (0 same, 1 different, 2 trouble).

use crate::util::{root, run};

fn status(prog: &str, args: &[&str]) -> (Option<i32>, String) {
    let out = run(prog, args, b"");
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    (out.status.code(), err)
}

/// Exit `code` with exactly one line on stderr starting `prefix`.
fn assert_one_line(prog: &str, args: &[&str], code: i32, prefix: &str) {
    let (got, err) = status(prog, args);
    assert_eq!(got, Some(code), "{prog} {args:?}: {err}");
    assert_eq!(err.lines().count(), 1, "{prog} {args:?}: {err}");
    assert!(err.starts_with(prefix), "{prog} {args:?}: {err}");
}

#[test]
fn usage_errors_exit_2() {
    assert_one_line(
        "echolab",
        &["bench", "--clients", "0"],
        2,
        "echolab: error: the number of clients must be at least 1",
    );
    assert_one_line(
        "echolab",
        &["import", "--date", "2014-13-05", "x.txt", "-w", "/dev/null"],
        2,
        "echolab import: error: --date",
    );
    for prog in ["echoServer", "echoClient"] {
        let (got, err) = status(prog, &["-p", "notaport"]);
        assert_eq!(got, Some(2), "{prog}: {err}");
    }
    let (got, err) = status("echolab", &["diff", "--bogus"]);
    assert_eq!(got, Some(2), "{err}");
}

#[test]
fn diff_and_verify_answer_like_diff1() {
    let dir = tempfile::tempdir().unwrap();
    let absent = dir.path().join("absent");
    let absent = absent.to_str().unwrap();
    assert_one_line(
        "echolab",
        &["diff", absent, absent],
        2,
        "echolab diff: error:",
    );
    assert_one_line("echolab", &["verify", absent], 2, "echolab verify: error:");
    let session = root().join("fixtures/sessions");
    let mut pcaps: Vec<_> = std::fs::read_dir(&session)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "pcap"))
        .collect();
    pcaps.sort();
    assert!(pcaps.len() >= 2, "fixtures/sessions holds no two pcaps");
    let (a, b) = (pcaps[0].to_str().unwrap(), pcaps[1].to_str().unwrap());
    assert_eq!(status("echolab", &["diff", a, a]).0, Some(0));
    assert_eq!(status("echolab", &["diff", a, b]).0, Some(1));
}

/// `dump` keeps tcpdump's status 1 for a file it cannot open, where `diff` says 2.
#[test]
fn dump_keeps_tcpdumps_status() {
    assert!(crate::util::have("tcpdump"), "this test needs tcpdump");
    let t = std::process::Command::new("tcpdump")
        .args(["-r", "/nonexistent/absent.pcap"])
        .output()
        .expect("run tcpdump");
    let (got, err) = status("echolab", &["dump", "-r", "/nonexistent/absent.pcap"]);
    assert_eq!(got, t.status.code(), "{err}");
    assert_eq!(got, Some(1), "{err}");
}
