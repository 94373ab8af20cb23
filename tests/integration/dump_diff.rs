//! Differential test: thousands of seeded random and mutated IPv4/IPv6 TCP/UDP/ICMP packets
//! (`capture::synth`), written to one pcap, printed by tcpdump and by `echolab dump` with
//! several flag sets; the outputs must be identical. On a mismatch the first differing
//! packet is shown: its index, its bytes, and both texts.
//!
//! tcpdump is required (CI installs it); the test fails, saying so, when it is missing.

use echolab::capture::synth;

use crate::diffutil::compare;

const SEED: u64 = 0x0ec4_01ab;
const VALID: usize = 2500;
const MUTATED: usize = 2500;

const FLAG_SETS: &str = "-nnvvXS, -nn, -nnv, -nnq, -nne -x, -nnvvv -K, -nnS -A";

/// The packets: `(captured bytes, on-wire length)`.
fn packets() -> Vec<(Vec<u8>, u32)> {
    let mut rng = synth::rng(SEED);
    let mut out = Vec::with_capacity(VALID + MUTATED);
    for _ in 0..VALID {
        let p = synth::random_packet(&mut rng);
        let len = p.len() as u32;
        out.push((p, len));
    }
    for _ in 0..MUTATED {
        let p = synth::random_packet(&mut rng);
        out.push(synth::mutate(&mut rng, &p));
    }
    out
}

#[test]
fn random_and_mutated_packets_print_as_tcpdump() {
    compare("diff", 1, &packets(), FLAG_SETS);
}
