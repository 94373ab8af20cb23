//! import + repair + verify + transcript on any text (a NUL splits off a screen listing).
//! The body is `echolab::capture::fuzzing::import_text`, which the stable replay test
//! (`tests/integration/fuzz_replay.rs`) runs on every seed too. Must never panic.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &[u8]| echolab::capture::fuzzing::import_text(input));
