//! echolab: the echo server and client of a network-course lab, and a capture module that
//! prints what they put on the wire exactly as tcpdump 4.99 does.
//!
//! Layout and dependency arrows (they point down only):
//!
//! ```text
//! cli ──> demo        the report's sessions, played and captured; uses echo and capture
//!    ├──> echo        sockets, tokio, crossterm; never capture
//!    ├──> view        ladders and charts (terminal, SVG, HTML) drawn from capture; never echo, clap
//!    └──> capture     record, wire views, printers, filters, pcap; never echo, clap, tokio
//! ```
//!
//! `echo` and `capture` never import each other; only `demo` (the report's sessions, played
//! and captured) and `cli` join them.

pub mod capture;
pub mod cli;
pub mod demo;
pub mod echo;
pub mod lab;
pub mod view;
