//! Timestamps (print.c `ts_print`): `-t` to `-ttttt`, local time as TZ says.

use crate::capture::record::Timestamp;

/// First and previous timestamps, for the delta formats.
#[derive(Debug, Default)]
pub struct TimeState {
    pub first: Option<Timestamp>,
    pub prev: Option<Timestamp>,
}

/// Append the default `HH:MM:SS.uuuuuu ` time of day (UTC for now).
pub fn print_time_of_day(out: &mut String, ts: Timestamp) {
    use std::fmt::Write as _;
    let secs = ts.sec.rem_euclid(86_400);
    let _ = write!(
        out,
        "{:02}:{:02}:{:02}.{:06} ",
        secs / 3600,
        secs / 60 % 60,
        secs % 60,
        ts.nsec / 1000
    );
}
