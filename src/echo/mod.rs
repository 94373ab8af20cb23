//! The echo programs of the handout: a concurrent TCP/UDP echo server, a line-mode and
//! continuous-mode client, and the load generator behind `echolab bench`.
//!
//! Must not import `crate::capture` or `crate::cli`.

pub mod client;
pub mod error;
pub mod guard;
pub mod loadgen;
pub mod log;
pub mod options;
pub mod server;
pub mod terminal;
