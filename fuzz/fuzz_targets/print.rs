//! Decoder + printer: any bytes as a record of each link type, printed with several option sets.
//! The body is `echolab::capture::fuzzing::print`, which the stable replay test
//! (`tests/integration/fuzz_replay.rs`) runs on every seed too. Must never panic.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &[u8]| echolab::capture::fuzzing::print(input));
