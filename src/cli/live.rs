//! The capture session under its former `cli` path, with `anyhow` errors for command lines.
//! The loop itself is `crate::capture::live::session`.

use crate::capture::live::{Capture, Stats};
use crate::capture::record::Record;

pub use crate::capture::live::session::{stats_lines, CaptureOptions};

/// `session::capture` with `anyhow` errors.
pub fn capture(
    opts: &CaptureOptions,
    started: impl FnOnce(&Capture) -> anyhow::Result<()>,
    sink: impl FnMut(&Record<'_>) -> anyhow::Result<()>,
) -> anyhow::Result<Stats> {
    crate::capture::live::session::capture(opts, started, sink)
}

/// `session::capture_filtered` with `anyhow` errors.
pub fn capture_filtered(
    opts: &CaptureOptions,
    keep: impl FnMut(&Record<'_>) -> bool,
    started: impl FnOnce(&Capture) -> anyhow::Result<()>,
    sink: impl FnMut(&Record<'_>) -> anyhow::Result<()>,
) -> anyhow::Result<Stats> {
    crate::capture::live::session::capture_filtered(opts, keep, started, sink)
}
