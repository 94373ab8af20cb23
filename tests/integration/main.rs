//! echolab's integration tests: real processes on loopback, real captures, tcpdump goldens.
//!
//! One test binary (one link step); each file below is one area.

mod diffutil;
mod util;

mod bench;
mod dump_cli;
mod dump_diff;
mod dump_diff_dns;
mod dump_diff_icmp;
mod dump_diff_net;
mod dump_golden;
mod dump_names;
mod echo;
mod echo_load;
mod echo_pty;
mod echo_wire;
mod filter;
mod live;
mod live_dump;
mod nobody;
mod report;
mod report_diff;
mod sessions;
