//! FTP control connection (RFC 959), mirroring `ftp_print` in print-ftp.c at tcpdump-4.99.3:
//! every payload is a command or reply, printed by `txtproto`.
//!
//! Must not do I/O: it only reads the captured bytes.

use super::{txtproto, Nd, PResult};

/// Print an FTP command or reply.
pub fn print(nd: &mut Nd<'_>, data: &[u8], len: u32) -> PResult {
    nd.protocol = "ftp";
    txtproto::print(nd, data, len, None, 0)
}
