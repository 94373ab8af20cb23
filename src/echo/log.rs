//! The server's log: lines go through a bounded queue to one writer thread, so a log nobody
//! reads (a pipe to a program that never reads it, a terminal paused with Ctrl-S) can never
//! stop the server from serving or from shutting down.
//!
//! - `Log::line` never blocks: when the queue is full the line is dropped and counted, and
//!   the writer reports the count as soon as it can write again.
//! - Warnings (`warning: ...`) that repeat word for word are written once per interval, then
//!   once more with how often they came (an accept loop failing ten times a second is one line
//!   every few seconds, not ten).
//! - `Writer::finish` waits a bounded time for the queue to drain, then gives up: the process
//!   may exit with the writer still blocked on an unread pipe.
//!
//! Must not import `crate::capture` or `crate::cli`.

use std::collections::HashMap;
use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, SyncSender, TrySendError};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Lines waiting for the writer. At about 60 bytes a line this is 64 KiB: a burst of
/// connections is logged whole, a log nobody reads costs no more than this.
pub const QUEUE_LINES: usize = 1024;

/// How often one repeated warning is written.
pub const REPEAT_INTERVAL: Duration = Duration::from_secs(5);

/// How many different warnings are held back at once (beyond that they are written).
const REPEAT_KEYS: usize = 64;

/// Sends lines to the writer thread; cheap to clone, never blocks.
#[derive(Clone)]
pub struct Log {
    tx: SyncSender<String>,
    dropped: Arc<AtomicU64>,
}

/// The writer thread, to be finished when the server stops.
pub struct Writer {
    done: Receiver<()>,
}

/// Start the writer thread over `out` (stdout for the command line).
pub fn start(out: impl Write + Send + 'static) -> std::io::Result<(Log, Writer)> {
    let (tx, rx) = mpsc::sync_channel(QUEUE_LINES);
    let (done_tx, done) = mpsc::channel();
    let dropped = Arc::new(AtomicU64::new(0));
    let counter = dropped.clone();
    std::thread::Builder::new()
        .name("log".into())
        .spawn(move || {
            write_lines(out, &rx, &counter);
            let _ = done_tx.send(());
        })?;
    Ok((Log { tx, dropped }, Writer { done }))
}

impl Log {
    /// Queue `line`; drop it (and count it) if the queue is full.
    pub fn line(&self, line: impl Into<String>) {
        match self.tx.try_send(line.into()) {
            Ok(()) => {}
            Err(TrySendError::Full(_)) => {
                self.dropped.fetch_add(1, Ordering::Relaxed);
            }
            // The writer is gone (finished): nothing to do.
            Err(TrySendError::Disconnected(_)) => {}
        }
    }
}

impl Writer {
    /// Close the queue (`log` is the last sender) and wait at most `wait` for every line to
    /// be written. Returns whether the writer finished in time.
    pub fn finish(self, log: Log, wait: Duration) -> bool {
        drop(log);
        self.done.recv_timeout(wait).is_ok()
    }
}

/// The writer thread's loop: write what comes, summarise repeats and drops.
fn write_lines(mut out: impl Write, rx: &Receiver<String>, dropped: &AtomicU64) {
    let mut repeats = Repeats::default();
    loop {
        let received = rx.recv_timeout(Duration::from_secs(1));
        let now = Instant::now();
        match received {
            Ok(line) => {
                if repeats.admit(&line, now) {
                    put(&mut out, &line);
                }
            }
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => break,
        }
        for summary in repeats.due(now) {
            put(&mut out, &summary);
        }
        report_dropped(&mut out, dropped);
    }
    for summary in repeats.due(now_plus_interval()) {
        put(&mut out, &summary);
    }
    report_dropped(&mut out, dropped);
}

fn now_plus_interval() -> Instant {
    Instant::now() + REPEAT_INTERVAL
}

fn report_dropped(out: &mut impl Write, dropped: &AtomicU64) {
    let n = dropped.swap(0, Ordering::Relaxed);
    if n > 0 {
        put(
            out,
            &format!("warning: {n} log line(s) dropped: the log was not being read"),
        );
    }
}

/// One line, flushed at once so a pipe sees it. Errors (a closed pipe) are ignored: the
/// server goes on serving without a log.
fn put(out: &mut impl Write, line: &str) {
    let _ = writeln!(out, "{line}");
    let _ = out.flush();
}

/// Warnings seen recently: when each was last written and how often it came since.
#[derive(Default)]
struct Repeats {
    seen: HashMap<String, (Instant, u64)>,
}

impl Repeats {
    /// Whether `line` is to be written now. Only warnings are held back.
    fn admit(&mut self, line: &str, now: Instant) -> bool {
        if !line.starts_with("warning: ") {
            return true;
        }
        if let Some((_, count)) = self.seen.get_mut(line) {
            *count += 1;
            return false;
        }
        if self.seen.len() < REPEAT_KEYS {
            self.seen.insert(line.to_string(), (now, 0));
        }
        true
    }

    /// Summaries of the warnings whose interval is over; those that did not repeat are
    /// forgotten, those that did start a new interval.
    fn due(&mut self, now: Instant) -> Vec<String> {
        let mut out = Vec::new();
        self.seen.retain(|line, (since, count)| {
            if now.duration_since(*since) < REPEAT_INTERVAL {
                return true;
            }
            if *count == 0 {
                return false;
            }
            out.push(format!(
                "{line} (repeated {count} time(s) in {} s)",
                REPEAT_INTERVAL.as_secs()
            ));
            (*since, *count) = (now, 0);
            true
        });
        out.sort();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    #[test]
    fn repeated_warnings_are_counted_once_per_interval() {
        let mut r = Repeats::default();
        let t0 = Instant::now();
        let w = "warning: accept failed: Too many open files (os error 24)";
        assert!(r.admit(w, t0));
        for _ in 0..9 {
            assert!(!r.admit(w, t0));
        }
        assert!(r.admit("Connected with 127.0.0.1:5", t0));
        assert!(r.admit("Connected with 127.0.0.1:5", t0));
        assert!(r.due(t0).is_empty());
        assert_eq!(
            r.due(t0 + REPEAT_INTERVAL),
            vec![format!("{w} (repeated 9 time(s) in 5 s)")]
        );
        // Quiet for a whole interval: forgotten, written again when it comes back.
        assert!(r.due(t0 + 2 * REPEAT_INTERVAL).is_empty());
        assert!(r.admit(w, t0 + 2 * REPEAT_INTERVAL));
    }

    /// A writer whose `write` blocks until released, standing in for a pipe nobody reads.
    struct Stuck {
        gate: Arc<Mutex<()>>,
        text: Arc<Mutex<String>>,
    }

    impl Write for Stuck {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            let _open = self.gate.lock().unwrap();
            self.text
                .lock()
                .unwrap()
                .push_str(&String::from_utf8_lossy(b));
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_stuck_output_drops_and_counts_lines_and_never_blocks() {
        let gate = Arc::new(Mutex::new(()));
        let text = Arc::new(Mutex::new(String::new()));
        let held = gate.lock().unwrap();
        let out = Stuck {
            gate: gate.clone(),
            text: text.clone(),
        };
        let (log, writer) = start(out).unwrap();
        let t0 = Instant::now();
        let lines = QUEUE_LINES * 3;
        for i in 0..lines {
            log.line(format!("line {i}"));
        }
        assert!(t0.elapsed() < Duration::from_secs(1), "logging blocked");
        drop(held);
        assert!(writer.finish(log, Duration::from_secs(10)));
        let text = text.lock().unwrap();
        let written = text.lines().filter(|l| l.starts_with("line ")).count();
        // The count comes as soon as the writer can write again (after the line it was
        // blocked on), and sums to what was lost.
        let dropped: usize = text
            .lines()
            .filter_map(|l| l.strip_prefix("warning: "))
            .filter_map(|l| l.strip_suffix(" log line(s) dropped: the log was not being read"))
            .map(|n| n.parse::<usize>().unwrap())
            .sum();
        assert!(dropped > 0, "{text}");
        assert_eq!(written + dropped, lines);
    }

    #[test]
    fn finish_gives_up_on_a_stuck_output() {
        let gate = Arc::new(Mutex::new(()));
        let _held = gate.lock().unwrap();
        let out = Stuck {
            gate: gate.clone(),
            text: Arc::new(Mutex::new(String::new())),
        };
        let (log, writer) = start(out).unwrap();
        log.line("stuck");
        let t0 = Instant::now();
        assert!(!writer.finish(log, Duration::from_millis(200)));
        assert!(t0.elapsed() < Duration::from_secs(2));
    }
}
