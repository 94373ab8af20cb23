//! `echolab::capture::fuzzing::filter` under AFL++: `cargo afl build --release`, then
//! `cargo afl fuzz -i ../seeds/filter -o out/filter target/release/filter` (see the README's fuzzing
//! section). The same body runs under libFuzzer (`../fuzz_targets/filter.rs`) and in the stable
//! replay test. Must never panic.

fn main() {
    afl::fuzz!(|input: &[u8]| echolab::capture::fuzzing::filter(input));
}
