//! Zero-copy packet views, one module per protocol (smoltcp `wire` style).
//!
//! No constructor panics on any input: lengths are checked before fields are read.

pub mod checksum;
