//! SIP (RFC 3261), mirroring `sip_print` in print-sip.c at tcpdump-4.99.3: a payload whose first
//! line is a request or a response is printed by `txtproto`; other payloads (bodies,
//! continuations) print only the protocol's name.
//!
//! Must not do I/O: it only reads the captured bytes.

use super::txtproto::{self, RESP_CODE_SECOND_TOKEN};
use super::{Nd, PResult};

/// Request names, matched in any case (print-sip.c `sipcmds`).
const CMDS: &[&str] = &[
    "ACK",
    "BYE",
    "CANCEL",
    "DO",
    "INFO",
    "INVITE",
    "MESSAGE",
    "NOTIFY",
    "OPTIONS",
    "PRACK",
    "QAUTH",
    "REFER",
    "REGISTER",
    "SPRACK",
    "SUBSCRIBE",
    "UPDATE",
    "PUBLISH",
];

/// Print a SIP request or response.
pub fn print(nd: &mut Nd<'_>, data: &[u8], len: u32) -> PResult {
    nd.protocol = "sip";
    txtproto::print(nd, data, len, Some(CMDS), RESP_CODE_SECOND_TOKEN)
}
