//! Timestamps (print.c `ts_print`): `-t` to `-ttttt`, local time as TZ says.

use crate::capture::record::Timestamp;

/// First and previous timestamps, for the delta formats.
#[derive(Debug, Default)]
pub struct TimeState {
    pub first: Option<Timestamp>,
    pub prev: Option<Timestamp>,
}
