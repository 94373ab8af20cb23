//! SMTP (RFC 5321), mirroring `smtp_print` in print-smtp.c at tcpdump-4.99.3:
//! every payload is a command, reply or mail text, printed by `txtproto`.
//!
//! Must not do I/O: it only reads the captured bytes.

use super::{txtproto, Nd, PResult};

/// Print an SMTP command, reply or mail text.
pub fn print(nd: &mut Nd<'_>, data: &[u8], len: u32) -> PResult {
    nd.protocol = "smtp";
    txtproto::print(nd, data, len, None, 0)
}
