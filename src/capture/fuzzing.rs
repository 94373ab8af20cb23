//! The bodies of the fuzz targets (`fuzz/fuzz_targets/`), kept in the library so that the
//! libFuzzer targets (nightly, `cargo fuzz run NAME`) and the stable replay test
//! (`tests/integration/fuzz_replay.rs`, every seed and thousands of mutations on every test
//! run) exercise exactly the same code. Each function must never panic, whatever the bytes.

use super::escape::escape_text;
use super::filter;
use super::import::{self, TextReader};
use super::pcap::Reader;
use super::print::{PrintOptions, Printer};
use super::record::{LinkType, Record, Timestamp};
use super::repair::repair;
use super::verify::{Payloads, Verifier};

/// The link types the `print` target picks from with its first byte.
const LINKS: [u32; 26] = [
    0, 1, 12, 101, 108, 113, 228, 229, 276, 105, 127, 9, 50, 51, 166, 239, 107, 182, 104, 8, 15,
    226, 281, 282, 284, 285,
];

fn option_sets() -> Vec<PrintOptions> {
    let base = PrintOptions {
        n: 2,
        ..PrintOptions::default()
    };
    vec![
        base.clone(),
        PrintOptions {
            v: 2,
            xx: 1,
            s_abs: 1,
            ..base.clone()
        },
        PrintOptions {
            v: 3,
            e: 1,
            h: 1,
            x: 2,
            t: 3,
            ..base.clone()
        },
        PrintOptions {
            q: 1,
            a: 1,
            t: 4,
            nano: true,
            ..base.clone()
        },
        PrintOptions {
            v: 1,
            k: 1,
            xx: 2,
            t: 5,
            ..base
        },
    ]
}

/// Decoder + printer: byte 0 picks the link type, byte 1 the on-wire length surplus, the
/// rest is the captured packet, printed twice (state kept across packets) with five option
/// sets.
pub fn print(input: &[u8]) {
    let (Some(&sel), Some(&extra)) = (input.first(), input.get(1)) else {
        return;
    };
    let data = input.get(2..).unwrap_or(&[]);
    let link = LinkType::from_linktype(LINKS[usize::from(sel) % LINKS.len()]);
    let rec = Record {
        ts: Timestamp {
            sec: 1_700_000_000 + i64::from(sel),
            nsec: u32::from(extra) * 1000,
        },
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
}

/// The file reader: any bytes as a pcap or pcapng file, every record read and printed
/// (`-nnvvXS`), in micro- and nanosecond precision.
pub fn pcap_reader(input: &[u8]) {
    for nano in [false, true] {
        let Ok(mut reader) = Reader::with_precision(input, nano) else {
            continue;
        };
        let _ = (reader.link(), reader.snaplen(), reader.linktype());
        let mut printer = Printer::new(PrintOptions {
            n: 2,
            v: 2,
            xx: 1,
            s_abs: 1,
            nano,
            ..PrintOptions::default()
        });
        let mut out = String::new();
        let mut n = 0;
        while let Ok(Some(rec)) = reader.next_record() {
            out.clear();
            printer.print(&rec, &mut out);
            n += 1;
            if n > 10_000 {
                break;
            }
        }
    }
}

/// import + repair + verify + transcript: the text, then optionally a NUL and a screen
/// listing. No escaped text may hold a control character.
pub fn import_text(input: &[u8]) {
    let (text, screen) = match input.iter().position(|b| *b == 0) {
        Some(at) => (input.get(..at).unwrap_or(&[]), input.get(at + 1..)),
        None => (input, None),
    };
    let Ok(survey) = import::survey(text) else {
        return;
    };
    let mut verifier = Verifier::new(survey.link);
    let mut payloads = Payloads::default();
    let Ok(mut out) = import::PcapOut::new(Vec::new(), survey.link, survey.nano) else {
        return;
    };
    let mut clock = import::Clock::new(0);
    for p in TextReader::new(text) {
        let Ok(mut p) = p else {
            return;
        };
        let (report, fixed) = verifier.check(&p);
        payloads.push(&fixed, survey.link);
        for f in &report.findings {
            assert!(
                !escape_text(&f.text).chars().any(char::is_control),
                "an escaped finding holds a control character"
            );
        }
        repair(&mut p, survey.link);
        let ts = clock.stamp(&p);
        let _ = out.write(&p, ts);
    }
    if let Some(screen) = screen {
        for line in payloads.check(&String::from_utf8_lossy(screen)) {
            assert!(
                !escape_text(&line).chars().any(char::is_control),
                "an escaped transcript line holds a control character"
            );
        }
    }
}

/// The filter language: byte 0 picks the link type, the rest (as text) is the expression,
/// compiled as libpcap would; a program that compiles is run on packets cut from the
/// expression's own bytes and converted to the kernel's form.
pub fn filter(input: &[u8]) {
    let Some(&sel) = input.first() else {
        return;
    };
    let expr = String::from_utf8_lossy(input.get(1..).unwrap_or(&[]));
    let link = LinkType::from_linktype(LINKS[usize::from(sel) % LINKS.len()]);
    let Ok(prog) = filter::compile(&expr, link, 262_144) else {
        return;
    };
    for cut in [0, 14, 34, 54, input.len()] {
        let data = input.get(..cut.min(input.len())).unwrap_or(&[]);
        let _ = prog.matches(data, data.len() as u32 + 4);
    }
    let _ = prog.sock_filter();
}
