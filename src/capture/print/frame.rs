//! The top level: one record in, one packet's text out (print.c `pretty_print_packet`).

use super::{link, Nd, PrintOptions, State};
use crate::capture::record::Record;

/// Prints records the way tcpdump prints packets, keeping state across packets.
#[derive(Debug)]
pub struct Printer {
    opts: PrintOptions,
    state: State,
}

impl Printer {
    pub fn new(opts: PrintOptions) -> Printer {
        Printer { opts, state: State::default() }
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
        if link::print(&mut nd, rec.link, rec.data, rec.len).is_err() {
            let proto = nd.protocol;
            nd.print(" [|");
            nd.print(proto);
            nd.print("]");
        }
        nd.print("\n");
    }
}
