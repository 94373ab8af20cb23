//! `echolab::capture::fuzzing::pcap_reader` under AFL++: `cargo afl build --release`, then
//! `cargo afl fuzz -i ../seeds/pcap_reader -o out/pcap_reader target/release/pcap_reader` (see the README's fuzzing
//! section). The same body runs under libFuzzer (`../fuzz_targets/pcap_reader.rs`) and in the stable
//! replay test. Must never panic.

fn main() {
    afl::fuzz!(|input: &[u8]| echolab::capture::fuzzing::pcap_reader(input));
}
