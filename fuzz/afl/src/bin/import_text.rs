//! `echolab::capture::fuzzing::import_text` under AFL++: `cargo afl build --release`, then
//! `cargo afl fuzz -i ../seeds/import_text -o out/import_text target/release/import_text` (see the README's fuzzing
//! section). The same body runs under libFuzzer (`../fuzz_targets/import_text.rs`) and in the stable
//! replay test. Must never panic.

fn main() {
    afl::fuzz!(|input: &[u8]| echolab::capture::fuzzing::import_text(input));
}
