//! A capture session: open the capture with its options, hand every record to a sink, stop
//! on a flag, SIGINT, SIGTERM or a packet count, drain what the kernel already holds, and
//! report tcpdump's statistics. `echolab dump -i`, `echolab diff -`, the echo programs'
//! traffic dumps and the demo all capture through here.
//!
//! The sink's error type is the caller's (any `E: From<LiveError>`): a sink that fails stops
//! the capture and its error is returned as is.
//!
//! Must not import `crate::echo`, `crate::cli`, clap or tokio.

use std::time::{Duration, Instant};

use super::{drop_privileges, stop_on_signals, Capture, LiveError, LiveOptions, SockFilter};
use super::{Stats, StopFlag};
use crate::capture::record::Record;

/// A live capture session: where, what, and when to stop.
#[derive(Debug, Clone, Default)]
pub struct CaptureOptions {
    /// Interface, snap length, promiscuous mode, buffer size.
    pub live: LiveOptions,
    /// A classic BPF program run in the kernel (`None`: every frame).
    pub filter: Option<Vec<SockFilter>>,
    /// Stop after this many frames (tcpdump's `-c`).
    pub count: Option<u64>,
    /// Stop when this flag is set.
    pub stop: StopFlag,
    /// Also stop on SIGINT and SIGTERM while the capture runs (a command line wants this; a
    /// program whose signals tokio handles must not: it sets `stop` instead).
    pub stop_on_signals: bool,
    /// Once the socket is open, give up root for this user (tcpdump's `-Z`).
    pub drop_to_user: Option<String>,
}

/// Run a capture until it is stopped: `started` is called once the capture is open and
/// filtering (say `listening on …` there), `sink` with each frame in order. Returns the
/// statistics at the end (the sink's error stops the capture and is returned).
pub fn capture<E: From<LiveError>>(
    opts: &CaptureOptions,
    started: impl FnOnce(&Capture) -> Result<(), E>,
    sink: impl FnMut(&Record<'_>) -> Result<(), E>,
) -> Result<Stats, E> {
    capture_filtered(opts, |_| true, started, sink)
}

/// `capture` with a user-space filter after the kernel's, for an expression the kernel
/// program cannot express: frames `keep` rejects are not handed to `sink`, and do not count
/// as captured or towards `-c` (libpcap's userland filtering).
pub fn capture_filtered<E: From<LiveError>>(
    opts: &CaptureOptions,
    mut keep: impl FnMut(&Record<'_>) -> bool,
    started: impl FnOnce(&Capture) -> Result<(), E>,
    mut sink: impl FnMut(&Record<'_>) -> Result<(), E>,
) -> Result<Stats, E> {
    let mut cap = Capture::open_filtered(&opts.live, opts.filter.as_deref())?;
    // Restores the previous handlers when the capture ends.
    let _signals = if opts.stop_on_signals {
        Some(stop_on_signals().map_err(LiveError::Signals)?)
    } else {
        None
    };
    // `started` opens the output file: privileges go after it, so that `-w` into a folder
    // only root may write still works, and before the first frame is read.
    started(&cap)?;
    if let Some(user) = &opts.drop_to_user {
        drop_privileges(user).map_err(|source| LiveError::DropPrivileges {
            user: user.clone(),
            source,
        })?;
    }
    let mut seen = 0u64;
    let wanted = |seen: u64| opts.count.is_none_or(|c| seen < c);
    while wanted(seen) {
        let Some(rec) = cap.next(&opts.stop)? else {
            break;
        };
        if keep(&rec) {
            sink(&rec)?;
            seen += 1;
        }
    }
    // Stopped by a flag or a signal: hand over what the kernel already holds, so a session's
    // last packets are kept (unlike tcpdump, which leaves them unread). Bounded in time, as
    // traffic may go on; with a long ring timeout the wait goes past the short one only while
    // the kernel holds frames not yet handed over, so a quiet capture stops at once.
    if opts.stop.is_stopped() {
        let settle = cap.settle_time().min(SHORT_SETTLE);
        let deadline = Instant::now() + settle + DRAIN_TIME;
        while wanted(seen) {
            let Some(rec) = cap.next_queued(deadline)? else {
                break;
            };
            if keep(&rec) {
                sink(&rec)?;
                seen += 1;
            }
        }
    }
    let mut stats = cap.stats()?;
    stats.captured = seen;
    Ok(stats)
}

/// How long a stopped capture goes on reading frames the kernel had already received, beyond
/// the time they may take to reach user space.
const DRAIN_TIME: Duration = Duration::from_millis(20);

/// The most a stopped capture waits for frames in flight when the kernel has none pending.
const SHORT_SETTLE: Duration = Duration::from_millis(100);

/// tcpdump's closing statistics (`info()` in `tcpdump.c`, tcpdump-4.99.3, as called at exit):
/// three lines, a fourth when the interface dropped frames. tcpdump keeps the counters in
/// 32-bit unsigned integers, so they wrap the same way here.
pub fn stats_lines(stats: &Stats) -> String {
    let mut out = String::new();
    let mut line = |n: u64, what: &str| {
        let n = n % (1 << 32);
        let s = if n == 1 { "" } else { "s" };
        out.push_str(&format!("{n} packet{s} {what}\n"));
    };
    line(stats.captured, "captured");
    line(stats.received, "received by filter");
    line(stats.dropped, "dropped by kernel");
    if stats.if_dropped % (1 << 32) != 0 {
        line(stats.if_dropped, "dropped by interface");
    }
    out
}
