//! RTSP (RFC 2326), mirroring `rtsp_print` in print-rtsp.c at tcpdump-4.99.3: a payload whose
//! first line is a request or a response is printed by `txtproto`; other payloads (bodies,
//! continuations) print only the protocol's name.
//!
//! Must not do I/O: it only reads the captured bytes.

use super::txtproto::{self, RESP_CODE_SECOND_TOKEN};
use super::{Nd, PResult};

/// Request names, matched in any case (print-rtsp.c `rtspcmds`).
const CMDS: &[&str] = &[
    "DESCRIBE",
    "ANNOUNCE",
    "GET_PARAMETER",
    "OPTIONS",
    "PAUSE",
    "PLAY",
    "RECORD",
    "REDIRECT",
    "SETUP",
    "SET_PARAMETER",
    "TEARDOWN",
];

/// Print a RTSP request or response.
pub fn print(nd: &mut Nd<'_>, data: &[u8], len: u32) -> PResult {
    nd.protocol = "rtsp";
    txtproto::print(nd, data, len, Some(CMDS), RESP_CODE_SECOND_TOKEN)
}
