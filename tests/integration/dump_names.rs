//! Names without `-n`: echolab and tcpdump print the same pcap with host, port and Ethernet
//! names resolved on this machine, at test time (the names depend on the machine's
//! `/etc/hosts`, `/etc/services` and `/etc/ethers`, so no golden file can hold them).
//! The pcaps use 127.0.0.1 (named in every `/etc/hosts`), well-known ports, OUIs tcpdump
//! names and the broadcast address; their other addresses have no names.

use crate::util::{assert_text_eq, require, root, run_env};
use std::process::Command;

/// Print `pcap` with `flags` through tcpdump and echolab (TZ=UTC) and require the same text.
fn same_as_tcpdump(pcap: &str, flags: &[&str]) {
    require("tcpdump");
    let path = root().join("fixtures/dump").join(pcap);
    let path = path.to_str().expect("fixture paths are UTF-8");
    let expected = Command::new("tcpdump")
        .args(["-r", path])
        .args(flags)
        .env("TZ", "UTC")
        .output()
        .expect("run tcpdump");
    assert!(expected.status.success(), "tcpdump failed on {pcap}");
    let mut args = vec!["dump", "-r", path];
    args.extend_from_slice(flags);
    let got = run_env("echolab", &args, b"", &[("TZ", "UTC")]);
    assert!(got.status.success(), "echolab dump failed on {pcap}");
    assert_text_eq(
        &format!("{pcap} {}", flags.join(" ")),
        &String::from_utf8_lossy(&expected.stdout),
        &String::from_utf8_lossy(&got.stdout),
    );
}

#[test]
fn link_and_arp_names_match_tcpdump() {
    for pcap in ["link/names.pcap", "link/names-sll.pcap"] {
        for flags in [&[][..], &["-e"], &["-v"], &["-q"], &["-e", "-n"]] {
            same_as_tcpdump(pcap, flags);
        }
    }
}

#[test]
fn icmp_names_match_tcpdump() {
    for flags in [&[][..], &["-e"], &["-v"], &["-vv"]] {
        same_as_tcpdump("icmp/names.pcap", flags);
    }
}
