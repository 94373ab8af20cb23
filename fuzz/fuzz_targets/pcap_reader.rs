//! The file reader: any bytes as a pcap or pcapng file, every record read and printed
//! (`-nnvvXS`), in micro- and nanosecond precision. Must never panic; memory stays bounded
//! by the largest block libpcap accepts.

#![no_main]

use echolab::capture::pcap::Reader;
use echolab::capture::print::{PrintOptions, Printer};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &[u8]| {
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
});
