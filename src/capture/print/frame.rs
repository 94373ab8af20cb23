//! The top level: one record in, one packet's text out (print.c `pretty_print_packet`).

use super::{hexdump, link, time, Nd, PrintOptions, State};
use crate::capture::record::Record;

/// Prints records the way tcpdump prints packets, keeping state across packets.
#[derive(Debug)]
pub struct Printer {
    opts: PrintOptions,
    state: State,
}

impl Printer {
    pub fn new(opts: PrintOptions) -> Printer {
        Printer {
            opts,
            state: State::default(),
        }
    }

    pub fn options(&self) -> &PrintOptions {
        &self.opts
    }

    /// Append the text of one packet, with its final newline, to `out`.
    pub fn print(&mut self, rec: &Record<'_>, out: &mut String) {
        let mut nd = Nd {
            opts: &self.opts,
            state: &mut self.state,
            out,
            protocol: "",
            ll_hdr_len: 0,
        };
        if nd.opts.t == 0 {
            time::print_time_of_day(nd.out, rec.ts);
        }
        if link::print(&mut nd, rec.link, rec.data, rec.len).is_err() {
            let proto = nd.protocol;
            nd.print(" [|");
            nd.print(proto);
            nd.print("]");
        }
        let skip = if nd.opts.xx > 1 || nd.opts.x > 1 {
            0
        } else {
            nd.ll_hdr_len
        };
        let body = rec.data.get(skip..).unwrap_or(&[]);
        if nd.opts.xx > 0 {
            hexdump::hex_and_ascii(nd.out, body);
        } else if nd.opts.x > 0 {
            hexdump::hex(nd.out, body);
        }
        nd.print("\n");
    }
}
