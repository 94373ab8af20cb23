//! The top level: one record in, one packet's text out (print.c `pretty_print_packet` at
//! tcpdump-4.99.3): header sanity checks, time stamp, the link printer, ` [|proto]` on
//! truncation, then the hex or ASCII dump the flags ask for, and the final newline.

use super::{hexdump, link, time, Names, Nd, PrintOptions, State};
use crate::capture::pcap::MAXIMUM_SNAPLEN;
use crate::capture::record::Record;

/// Prints records the way tcpdump prints packets, keeping state across packets.
#[derive(Debug)]
pub struct Printer {
    opts: PrintOptions,
    state: State,
    names: Names,
    /// tcpdump's `packets_captured` (a `u_int`): the packets printed so far, for `-#`.
    packets: u32,
}

impl Printer {
    /// A printer that knows no names: without `-n` every address prints numerically, as
    /// tcpdump prints addresses its resolver cannot name.
    pub fn new(opts: PrintOptions) -> Printer {
        Printer::with_names(opts, Names::default())
    }

    /// A printer that names hosts, ports, Ethernet addresses and interfaces from `names`
    /// (loaded by the caller, e.g. with `crate::capture::names::load`).
    pub fn with_names(opts: PrintOptions, names: Names) -> Printer {
        Printer {
            opts,
            state: State::default(),
            names,
            packets: 0,
        }
    }

    pub fn options(&self) -> &PrintOptions {
        &self.opts
    }

    /// Append the text of one packet, with its final newline, to `out`.
    pub fn print(&mut self, rec: &Record<'_>, out: &mut String) {
        let stamp = time::Stamp::of(rec.ts, self.opts.nano);
        self.print_stamped(rec, stamp, out);
    }

    /// `print` with the time stamp as the file holds it (`Reader::stamp`, in the printing
    /// precision), which a damaged file may carry out of range.
    pub fn print_stamped(&mut self, rec: &Record<'_>, stamp: time::Stamp, out: &mut String) {
        // print.c: the number counts the packets handed to the printer (`packets_captured`).
        self.packets = self.packets.wrapping_add(1);
        if self.opts.number {
            use std::fmt::Write as _;
            let _ = write!(out, "{:5}  ", self.packets);
        }
        if invalid_header(rec, out) {
            return;
        }
        let fmt = time::TimeFormat {
            t: self.opts.t,
            nano: self.opts.nano,
            tz: self.opts.tz.as_ref(),
        };
        time::print(out, &mut self.state.time, fmt, stamp);
        let mut nd = Nd {
            opts: &self.opts,
            state: &mut self.state,
            names: &self.names,
            out,
            protocol: "",
            ll_hdr_len: 0,
        };
        if link::print(&mut nd, rec.link, rec.data, rec.len).is_err() {
            let proto = nd.protocol;
            nd.print(" [|");
            nd.print(proto);
            nd.print("]");
            // print.c: after a truncation the dump covers the whole packet.
            nd.ll_hdr_len = 0;
        }
        let hdrlen = nd.ll_hdr_len;
        dump(&self.opts, rec.data, hdrlen, out);
        out.push('\n');
    }
}

/// The `-X`, `-x` or `-A` dump (in that order of precedence); the doubled flag includes the
/// link header, the single one dumps nothing when nothing follows the link header.
fn dump(opts: &PrintOptions, data: &[u8], hdrlen: usize, out: &mut String) {
    let (level, f): (u8, fn(&mut String, &[u8])) = if opts.xx > 0 {
        (opts.xx, hexdump::hex_and_ascii)
    } else if opts.x > 0 {
        (opts.x, hexdump::hex)
    } else if opts.a > 0 {
        (opts.a, hexdump::ascii)
    } else {
        return;
    };
    if level > 1 {
        f(out, data);
    } else if let Some(body) = data.get(hdrlen..).filter(|b| !b.is_empty()) {
        f(out, body);
    }
}

/// print.c's sanity checks on the two lengths: `[Invalid header: ...]` and no packet.
fn invalid_header(rec: &Record<'_>, out: &mut String) -> bool {
    use std::fmt::Write as _;
    let caplen = rec.caplen();
    let mut bad = false;
    fn sep(out: &mut String, bad: &mut bool) {
        out.push_str(if *bad { "," } else { "[Invalid header:" });
        *bad = true;
    }
    if caplen == 0 {
        out.push_str("[Invalid header: caplen==0");
        bad = true;
    }
    if rec.len == 0 {
        sep(out, &mut bad);
        out.push_str(" len==0");
    } else if rec.len < caplen {
        sep(out, &mut bad);
        let _ = write!(out, " len({}) < caplen({caplen})", rec.len);
    }
    if caplen > MAXIMUM_SNAPLEN {
        sep(out, &mut bad);
        let _ = write!(out, " caplen({caplen}) > {MAXIMUM_SNAPLEN}");
    }
    if rec.len > MAXIMUM_SNAPLEN {
        sep(out, &mut bad);
        let _ = write!(out, " len({}) > {MAXIMUM_SNAPLEN}", rec.len);
    }
    if bad {
        out.push_str("]\n");
    }
    bad
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(data: &[u8], len: u32) -> Record<'_> {
        Record::ethernet(1_700_000_000, 1000, data, len)
    }

    fn print(opts: PrintOptions, r: &Record<'_>) -> String {
        let mut out = String::new();
        Printer::new(opts).print(r, &mut out);
        out
    }

    #[test]
    fn invalid_headers_print_no_packet() {
        let o = PrintOptions::default();
        assert_eq!(
            print(o.clone(), &rec(&[], 0)),
            "[Invalid header: caplen==0, len==0]\n"
        );
        assert_eq!(
            print(o.clone(), &rec(&[1, 2], 1)),
            "[Invalid header: len(1) < caplen(2)]\n"
        );
        assert_eq!(
            print(o, &rec(&[1], 300_000)),
            "[Invalid header: len(300000) > 262144]\n"
        );
    }

    #[test]
    fn every_line_ends_once() {
        let data = [0u8; 40];
        for (x, xx, a) in [
            (0, 0, 0),
            (1, 0, 0),
            (2, 0, 0),
            (0, 1, 1),
            (0, 2, 0),
            (0, 0, 2),
        ] {
            let o = PrintOptions {
                x,
                xx,
                a,
                t: 1,
                ..PrintOptions::default()
            };
            let out = print(o, &rec(&data, 40));
            assert!(out.ends_with('\n') && !out.ends_with("\n\n"), "{out:?}");
        }
    }
}
