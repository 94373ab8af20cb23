//! Decoder + printer: any bytes, as a record of each link type, printed with several option
//! sets; twice, so that state kept across packets (relative sequence numbers, time deltas)
//! is exercised. Must never panic.
//!
//! Input: byte 0 picks the link type, byte 1 the on-wire length surplus, the rest is the
//! captured packet.

#![no_main]

use echolab::capture::print::{PrintOptions, Printer};
use echolab::capture::record::{LinkType, Record, Timestamp};
use libfuzzer_sys::fuzz_target;

const LINKS: [u32; 9] = [0, 1, 12, 101, 108, 113, 228, 229, 276];

fn option_sets() -> Vec<PrintOptions> {
    let base = PrintOptions {
        n: 2,
        ..PrintOptions::default()
    };
    vec![
        base.clone(),
        PrintOptions { v: 2, xx: 1, s_abs: 1, ..base.clone() },
        PrintOptions { v: 3, e: 1, x: 2, t: 3, ..base.clone() },
        PrintOptions { q: 1, a: 1, t: 4, nano: true, ..base.clone() },
        PrintOptions { v: 1, k: 1, xx: 2, t: 5, ..base },
    ]
}

fuzz_target!(|input: &[u8]| {
    let (Some(&sel), Some(&extra)) = (input.first(), input.get(1)) else {
        return;
    };
    let data = input.get(2..).unwrap_or(&[]);
    let link = LinkType::from_linktype(LINKS[usize::from(sel) % LINKS.len()]);
    let rec = Record {
        ts: Timestamp { sec: 1_700_000_000 + i64::from(sel), nsec: u32::from(extra) * 1000 },
        len: data.len() as u32 + u32::from(extra >> 4),
        link,
        data,
    };
    let mut out = String::new();
    for opts in option_sets() {
        let mut p = Printer::new(opts);
        p.print(&rec, &mut out);
        p.print(&rec, &mut out);
        out.clear();
    }
});
