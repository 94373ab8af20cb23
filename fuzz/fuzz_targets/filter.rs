//! The filter language: any text compiled for a link type, run and converted for the kernel.
//! The body is `echolab::capture::fuzzing::filter`, which the stable replay test
//! (`tests/integration/fuzz_replay.rs`) runs on every seed too. Must never panic.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &[u8]| echolab::capture::fuzzing::filter(input));
