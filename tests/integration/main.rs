//! echolab's integration tests: real processes on loopback, real captures, tcpdump goldens.
//!
//! One test binary (one link step); each file below is one area.

mod util;

mod dump_diff_icmp;
mod dump_cli;
mod dump_diff;
mod bench;
mod dump_diff_net;
mod dump_golden;
mod dump_names;
mod filter;
mod echo;
mod echo_load;
mod echo_pty;
mod echo_wire;
mod live;
mod report;
mod live_dump;
mod report;
mod report_diff;
mod sessions;
