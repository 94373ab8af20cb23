//! `echolab::capture::fuzzing::print` under AFL++: `cargo afl build --release`, then
//! `cargo afl fuzz -i ../seeds/print -o out/print target/release/print` (see the README's fuzzing
//! section). The same body runs under libFuzzer (`../fuzz_targets/print.rs`) and in the stable
//! replay test. Must never panic.

fn main() {
    afl::fuzz!(|input: &[u8]| echolab::capture::fuzzing::print(input));
}
