//! echolab's integration tests: real processes on loopback, real captures, tcpdump goldens.
//!
//! One test binary (one link step); each file below is one area. `util` is the harness
//! they all use (processes under deadlines, servers and capturers killed on drop, `require`
//! for tools and privileges, `wait_until` instead of sleeps); `harness` tests it.

mod diffutil;
mod util;

mod bench;
mod client_hardening;
mod docs;
mod dump_cli;
mod dump_diff;
mod dump_diff_app;
mod dump_diff_chdlc;
mod dump_diff_dns;
mod dump_diff_fr;
mod dump_diff_icmp;
mod dump_diff_isis;
mod dump_diff_l2;
mod dump_diff_l2b;
mod dump_diff_l2c;
mod dump_diff_ldp;
mod dump_diff_manet;
mod dump_diff_mcast;
mod dump_diff_mpls2;
mod dump_diff_net;
mod dump_diff_rtr;
mod dump_diff_rx;
mod dump_diff_tcp_app;
mod dump_diff_tun;
mod dump_golden;
mod dump_habits;
mod dump_names;
mod dump_rotate;
mod echo;
mod echo_load;
mod echo_pty;
mod echo_wire;
mod exit_codes;
mod filter;
mod filter_geneve;
mod flow;
mod fuzz_replay;
mod grade;
mod graph;
mod harness;
mod lab;
mod live;
mod live_any;
mod live_dump;
mod nobody;
mod privileges;
mod report;
mod report_diff;
mod report_hardening;
mod server_hardening;
mod sessions;
mod stats;
mod terminal_width;
