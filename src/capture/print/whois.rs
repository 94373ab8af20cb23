//! whois (RFC 3912), mirroring `whois_print` in print-whois.c at tcpdump-4.99.3:
//! every payload is a query or an answer, printed by `txtproto`.
//!
//! Must not do I/O: it only reads the captured bytes.

use super::{txtproto, Nd, PResult};

/// Print a whois query or answer.
pub fn print(nd: &mut Nd<'_>, data: &[u8], len: u32) -> PResult {
    nd.protocol = "whois";
    txtproto::print(nd, data, len, None, 0)
}
