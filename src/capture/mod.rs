//! The capture module: records, wire views, tcpdump 4.99.3 printers, the filter language and
//! pcap files.
//!
//! Must not import `crate::echo`, `crate::cli`, clap, tokio or comfy-table.

pub mod claims;
pub mod diff;
pub mod escape;
pub mod filter;
pub mod flows;
pub mod fuzzing;
pub mod grade;
pub mod import;
pub mod live;
pub mod names;
pub mod pcap;
pub mod print;
pub mod record;
pub mod repair;
pub mod stats;
pub mod synth;
pub mod traffic;
pub mod verify;
pub mod wire;
