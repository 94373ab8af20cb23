//! HTTP (RFC 9110), mirroring `http_print` in print-http.c at tcpdump-4.99.3: a payload whose
//! first line is a request or a response is printed by `txtproto`; other payloads (bodies,
//! continuations) print only the protocol's name.
//!
//! Must not do I/O: it only reads the captured bytes.

use super::txtproto::{self, RESP_CODE_SECOND_TOKEN};
use super::{Nd, PResult};

/// Request names, matched in any case (print-http.c `httpcmds`).
const CMDS: &[&str] = &[
    "GET",
    "PUT",
    "COPY",
    "HEAD",
    "LOCK",
    "MOVE",
    "POLL",
    "POST",
    "BCOPY",
    "BMOVE",
    "MKCOL",
    "TRACE",
    "LABEL",
    "MERGE",
    "DELETE",
    "SEARCH",
    "UNLOCK",
    "REPORT",
    "UPDATE",
    "NOTIFY",
    "BDELETE",
    "CONNECT",
    "OPTIONS",
    "CHECKIN",
    "PROPFIND",
    "CHECKOUT",
    "CCM_POST",
    "SUBSCRIBE",
    "PROPPATCH",
    "BPROPFIND",
    "BPROPPATCH",
    "UNCHECKOUT",
    "MKACTIVITY",
    "MKWORKSPACE",
    "UNSUBSCRIBE",
    "RPC_CONNECT",
    "VERSION-CONTROL",
    "BASELINE-CONTROL",
];

/// Print a HTTP request or response.
pub fn print(nd: &mut Nd<'_>, data: &[u8], len: u32) -> PResult {
    nd.protocol = "http";
    txtproto::print(nd, data, len, Some(CMDS), RESP_CODE_SECOND_TOKEN)
}
