//! Pictures of a capture: what its packets did, drawn for people rather than printed line by
//! line.
//!
//! - `ladder`: one column per endpoint, one arrow per packet (a sequence diagram), as terminal
//!   text, SVG or an HTML page.
//! - `diffreport`: the `diff` report as table lines (long runs folded) and as JSON.
//! - `graph`: charts of one TCP conversation (time-sequence, RTT, throughput, window) as SVG,
//!   drawn with plotters.
//!
//! Reads packets through `capture::wire` views and prints titles through `capture::print`.
//! Must not import `crate::echo`, `crate::cli`, clap or tokio: the command line decides widths
//! and colours and hands them in.

pub mod diffreport;
pub mod graph;
pub mod ladder;
