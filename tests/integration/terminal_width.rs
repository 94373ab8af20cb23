//! Tables and summaries fit the terminal: `COLUMNS` when set, else the terminal's own width
//! (checked in a pseudo-terminal), else 100 columns when piped.

use crate::echo_pty::Terminal;
use crate::util::{bin, run_env};

/// The widest line of `text`, in characters.
fn widest(text: &str) -> usize {
    text.lines()
        .map(|l| l.trim_end_matches('\r').chars().count())
        .max()
        .unwrap_or(0)
}

use crate::util::report_fixture as report;

#[test]
fn verify_fits_columns_and_100_when_piped() {
    for name in ["tcp-line.txt", "udp-continuous.txt"] {
        let file = report(name);
        for cols in ["60", "80", "132"] {
            let out = run_env("echolab", &["verify", &file], b"", &[("COLUMNS", cols)]);
            let text = String::from_utf8_lossy(&out.stdout);
            let w: usize = cols.parse().unwrap();
            assert!(widest(&text) <= w, "{name} at COLUMNS={cols}:\n{text}");
            assert!(widest(&text) > 40, "{name}: a table was drawn");
        }
        let out = run_env("echolab", &["verify", &file], b"", &[("COLUMNS", "")]);
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(widest(&text) <= 100, "{name} piped:\n{text}");
    }
}

#[test]
fn verify_fits_the_terminal_it_runs_in_without_colour_under_no_color() {
    let file = report("tcp-line.txt");
    let term = Terminal::start_script(&format!(
        "stty cols 72; unset COLUMNS; NO_COLOR=1 '{}' verify '{file}'; echo END",
        bin("echolab").display()
    ));
    let screen = term.wait_for("END");
    let body = screen.split("END").next().unwrap_or_default();
    assert!(widest(body) <= 72, "wider than the terminal:\n{body}");
    assert!(
        widest(body) > 60,
        "the table uses the terminal's width:\n{body}"
    );
    assert!(
        !body.contains('\u{1b}'),
        "no escape sequence under NO_COLOR:\n{body:?}"
    );
}

/// `echolab bench` on a terminal: a progress bar on stderr while it runs, then the report,
/// which fits the terminal; latencies in the unit that reads best.
#[test]
fn bench_shows_progress_on_a_terminal_and_fits_it() {
    let server = crate::util::Server::start(&[]);
    let term = Terminal::start_script(&format!(
        "stty cols 64; unset COLUMNS; '{}' bench --duration 2 -p {}; echo END",
        bin("echolab").display(),
        server.addr.port()
    ));
    let screen = term.wait_for("END");
    assert!(
        screen.contains("echolab bench ["),
        "no progress bar:\n{screen}"
    );
    let report = screen.rsplit("latency p50").next().unwrap_or_default();
    assert!(
        report.contains(" µs") || report.contains(" ms"),
        "latency without a unit:\n{screen}"
    );
    let table: String = screen
        .lines()
        .filter(|l| l.contains('│') || l.contains('┆'))
        .map(|l| format!("{}\n", l.trim_end_matches('\r')))
        .collect();
    assert!(!table.is_empty(), "no table:\n{screen}");
    assert!(widest(&table) <= 64, "wider than the terminal:\n{table}");
}

/// Piped, `bench` draws no bar: stderr stays empty for a run that succeeds.
#[test]
fn bench_piped_draws_no_bar() {
    let server = crate::util::Server::start(&[]);
    let port = server.addr.port().to_string();
    let out = run_env(
        "echolab",
        &["bench", "--duration", "1", "-p", &port],
        b"",
        &[],
    );
    assert!(out.status.success());
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
