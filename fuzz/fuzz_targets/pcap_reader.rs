//! The file reader: any bytes as a pcap or pcapng file, every record read and printed.
//! The body is `echolab::capture::fuzzing::pcap_reader`, which the stable replay test
//! (`tests/integration/fuzz_replay.rs`) runs on every seed too. Must never panic.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &[u8]| echolab::capture::fuzzing::pcap_reader(input));
