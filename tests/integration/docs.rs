//! Man pages and shell completions come from the clap definitions: every program and
//! subcommand gets a page naming its options, and the completion scripts parse in their shell.

use crate::util::{require, run};

#[test]
fn man_writes_a_page_for_every_program_and_subcommand() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(
        "echolab",
        &["man", "--dir", dir.path().to_str().unwrap()],
        b"",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for (page, option) in [
        ("echolab.1", "dump"),
        ("echolab-dump.1", "relinquish\\-privileges"),
        ("echolab-diff.1", "REFERENCE"),
        ("echoServer.1", "idle\\-timeout"),
        ("echoClient.1", "timeout"),
    ] {
        let text = std::fs::read_to_string(dir.path().join(page))
            .unwrap_or_else(|e| panic!("{page}: {e}"));
        assert!(text.contains(".TH "), "{page} is not a man page");
        assert!(text.contains(option), "{page} does not name {option}");
    }
}

#[test]
fn one_page_on_stdout() {
    let out = run("echolab", &["man", "echoClient"], b"");
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).starts_with(".ie"));
}

#[test]
fn bash_completions_parse_and_know_the_subcommands() {
    require("bash");
    for program in ["echolab", "echoServer", "echoClient"] {
        let out = run("echolab", &["completions", "bash", program], b"");
        assert!(out.status.success());
        let dir = tempfile::tempdir().unwrap();
        let script = dir.path().join("c.bash");
        std::fs::write(&script, &out.stdout).unwrap();
        let check = std::process::Command::new("bash")
            .arg("-n")
            .arg(&script)
            .output()
            .unwrap();
        assert!(
            check.status.success(),
            "{program}: {}",
            String::from_utf8_lossy(&check.stderr)
        );
        if program == "echolab" {
            assert!(String::from_utf8_lossy(&out.stdout).contains("verify"));
        }
    }
}

#[test]
fn an_unknown_shell_is_a_usage_error() {
    let out = run("echolab", &["completions", "tcsh"], b"");
    assert_eq!(out.status.code(), Some(2));
}
