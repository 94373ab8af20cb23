//! import + repair + verify + transcript: any bytes as a tcpdump text (and, split at the first
//! NUL, a screen listing). Reading, repairing, verifying, escaping and writing the pcap must
//! never panic, and no escaped text may hold a control character.
//!
//! Input: the text, then optionally a NUL and the screen listing.

#![no_main]

use echolab::capture::escape::escape_text;
use echolab::capture::import::{self, TextReader};
use echolab::capture::repair::repair;
use echolab::capture::verify::{Payloads, Verifier};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &[u8]| {
    let (text, screen) = match input.iter().position(|b| *b == 0) {
        Some(at) => (&input[..at], Some(&input[at + 1..])),
        None => (input, None),
    };
    let Ok(survey) = import::survey(text) else {
        return;
    };
    let mut verifier = Verifier::new(survey.link);
    let mut payloads = Payloads::default();
    let mut out = import::PcapOut::new(Vec::new(), survey.link, survey.nano).unwrap();
    let mut clock = import::Clock::new(0);
    for p in TextReader::new(text) {
        let Ok(mut p) = p else {
            return;
        };
        let (report, fixed) = verifier.check(&p);
        payloads.push(&fixed, survey.link);
        for f in &report.findings {
            assert!(!escape_text(&f.text).chars().any(|c| c.is_control()));
        }
        repair(&mut p, survey.link);
        let ts = clock.stamp(&p);
        out.write(&p, ts).unwrap();
    }
    if let Some(screen) = screen {
        for line in payloads.check(&String::from_utf8_lossy(screen)) {
            assert!(!escape_text(&line).chars().any(|c| c.is_control()));
        }
    }
});
