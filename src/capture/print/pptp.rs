//! PPTP control messages (RFC 2637), mirroring print-pptp.c at tcpdump-4.99.3: the
//! control connection header, then each message's fields in order, described here as data
//! (`Field` lists) rather than one function per message.
//!
//! Must not do I/O: it only reads the captured bytes.

use super::tok::{tok2str, Tok};
use super::util::printjnp;
use super::{get_be_u16, get_be_u32, get_u8, Nd, PResult};
use crate::nd_print;

const MAGIC_COOKIE: u32 = 0x1a2b_3c4d;
const HDR_LEN: usize = 12;

/// Control message names by type (print-pptp.c `pptp_message_type_string`).
const MSG_TYPES: [&str; 16] = [
    "NOT_DEFINED",
    "SCCRQ",
    "SCCRP",
    "StopCCRQ",
    "StopCCRP",
    "ECHORQ",
    "ECHORP",
    "OCRQ",
    "OCRP",
    "ICRQ",
    "ICRP",
    "ICCN",
    "CCRQ",
    "CDN",
    "WEN",
    "SLI",
];

const BTYPES: [Tok; 3] = [(1, "A"), (2, "D"), (3, "Any")];
const FTYPES: [Tok; 3] = [(1, "A"), (2, "S"), (3, "E")];
const ERRCODES: [Tok; 7] = [
    (0, "None"),
    (1, "Not-Connected"),
    (2, "Bad-Format"),
    (3, "Bad-Value"),
    (4, "No-Resource"),
    (5, "Bad-Call-ID"),
    (6, "PAC-Error"),
];
const SCCRP_RESULTS: [Tok; 5] = [
    (1, "Successful channel establishment"),
    (2, "General error"),
    (3, "Command channel already exists"),
    (
        4,
        "Requester is not authorized to establish a command channel",
    ),
    (5, "The protocol version of the requester is not supported"),
];
/// print-pptp.c's reasons for StopCCRQ.
const STOP_REASONS: [Tok; 3] = [
    (1, "None"),
    (2, "Stop-Protocol"),
    (3, "Stop-Local-Shutdown"),
];
const ECHORP_RESULTS: [Tok; 2] = [(1, "OK"), (2, "General Error")];
const OCRP_RESULTS: [Tok; 7] = [
    (1, "Connected"),
    (2, "General Error"),
    (3, "No Carrier"),
    (4, "Busy"),
    (5, "No Dial Tone"),
    (6, "Time-out"),
    (7, "Do Not Accept"),
];
const ICRP_RESULTS: [Tok; 3] = [(1, "Connect"), (2, "General Error"), (3, "Do Not Accept")];
const CDN_RESULTS: [Tok; 4] = [
    (1, "Lost Carrier"),
    (2, "General Error"),
    (3, "Admin Shutdown"),
    (4, "Request"),
];

/// One field of a message, in wire order.
#[derive(Clone, Copy)]
enum Field {
    /// ` NAME(%u)` of a 16-bit field.
    U16(&'static str),
    /// ` NAME(%u)` of a 32-bit field.
    U32(&'static str),
    /// ` NAME(0x%08x)` of a 32-bit field.
    Hex32(&'static str),
    /// A reserved field of 1 or 2 bytes, printed when not zero.
    Reserved(u8),
    ProtoVer,
    FramingCap,
    BearerCap,
    /// ` NAME(%s)` of a 32-bit field by `table`, `?` when it is not there.
    Named(&'static str, &'static [Tok]),
    /// ` NAME(%u` of an 8-bit code, `:%s` by `table` with `-v`, `)`.
    Code(&'static str, &'static [Tok]),
    /// A result code by `table`, then the error code: every message with one has both.
    Result(&'static [Tok]),
    /// ` NAME(` a NUL-padded string of at most `n` bytes `)`.
    Text(&'static str, usize),
    /// A 64-byte string printed up to the length in the 16-bit field `back` bytes before
    /// it, at most 64 (` NAME(` ... `)`).
    CountedText(&'static str, usize),
    /// The fields of a list, in turn.
    Fields(&'static [Field]),
}

use Field::*;

/// The fields SCCRQ and SCCRP end with.
const SCC_TAIL: &[Field] = &[
    FramingCap,
    BearerCap,
    U16("MAX_CHAN"),
    U16("FIRM_REV"),
    Text("HOSTNAME", 64),
    Text("VENDOR", 64),
];
const SCCRQ: &[Field] = &[ProtoVer, Reserved(2), Fields(SCC_TAIL)];
const SCCRP: &[Field] = &[ProtoVer, Result(&SCCRP_RESULTS), Fields(SCC_TAIL)];
const STOPCCRQ: &[Field] = &[Code("REASON", &STOP_REASONS), Reserved(1), Reserved(2)];
const STOPCCRP: &[Field] = &[Result(&ECHORP_RESULTS), Reserved(2)];
const ECHORQ: &[Field] = &[U32("ID")];
const ECHORP: &[Field] = &[U32("ID"), Result(&ECHORP_RESULTS), Reserved(2)];
const OCRQ: &[Field] = &[
    U16("CALL_ID"),
    U16("CALL_SER_NUM"),
    U32("MIN_BPS"),
    U32("MAX_BPS"),
    Named("BEARER_TYPE", &BTYPES),
    Named("FRAME_TYPE", &FTYPES),
    U16("RECV_WIN"),
    U16("PROC_DELAY"),
    U16("PHONE_NO_LEN"),
    Reserved(2),
    CountedText("PHONE_NO", 4),
    Text("SUB_ADDR", 64),
];
const OCRP: &[Field] = &[
    U16("CALL_ID"),
    U16("PEER_CALL_ID"),
    Result(&OCRP_RESULTS),
    U16("CAUSE_CODE"),
    U32("CONN_SPEED"),
    U16("RECV_WIN"),
    U16("PROC_DELAY"),
    U32("PHY_CHAN_ID"),
];
const ICRQ: &[Field] = &[
    U16("CALL_ID"),
    U16("CALL_SER_NUM"),
    Named("BEARER_TYPE", &BTYPES),
    U32("PHY_CHAN_ID"),
    U16("DIALED_NO_LEN"),
    U16("DIALING_NO_LEN"),
    CountedText("DIALED_NO", 4),
    CountedText("DIALING_NO", 66),
    Text("SUB_ADDR", 64),
];
const ICRP: &[Field] = &[
    U16("CALL_ID"),
    U16("PEER_CALL_ID"),
    Result(&ICRP_RESULTS),
    U16("RECV_WIN"),
    U16("PROC_DELAY"),
    Reserved(2),
];
const ICCN: &[Field] = &[
    U16("PEER_CALL_ID"),
    Reserved(2),
    U32("CONN_SPEED"),
    U16("RECV_WIN"),
    U16("PROC_DELAY"),
    Named("FRAME_TYPE", &FTYPES),
];
const CCRQ: &[Field] = &[U16("CALL_ID"), Reserved(2)];
const CDN: &[Field] = &[
    U16("CALL_ID"),
    Result(&CDN_RESULTS),
    U16("CAUSE_CODE"),
    Reserved(2),
    Text("CALL_STATS", 128),
];
const WEN: &[Field] = &[
    U16("PEER_CALL_ID"),
    Reserved(2),
    U32("CRC_ERR"),
    U32("FRAMING_ERR"),
    U32("HARDWARE_OVERRUN"),
    U32("BUFFER_OVERRUN"),
    U32("TIMEOUT_ERR"),
    U32("ALIGN_ERR"),
];
const SLI: &[Field] = &[
    U16("PEER_CALL_ID"),
    Reserved(2),
    Hex32("SEND_ACCM"),
    Hex32("RECV_ACCM"),
];

/// The fields of control message `t`, if tcpdump decodes it.
fn message_fields(t: u16) -> &'static [Field] {
    match t {
        1 => SCCRQ,
        2 => SCCRP,
        3 => STOPCCRQ,
        4 => STOPCCRP,
        5 => ECHORQ,
        6 => ECHORP,
        7 => OCRQ,
        8 => OCRP,
        9 => ICRQ,
        10 => ICRP,
        11 => ICCN,
        12 => CCRQ,
        13 => CDN,
        14 => WEN,
        15 => SLI,
        _ => &[],
    }
}

/// Print the PPTP message at `data`, the TCP payload (print-pptp.c `pptp_print`).
pub fn print(nd: &mut Nd<'_>, data: &[u8]) -> PResult {
    nd.protocol = "pptp";
    nd.print(": pptp");
    if nd.opts.v > 0 {
        nd_print!(nd, " Length={}", get_be_u16(data, 0)?);
        nd.print(match get_be_u16(data, 2)? {
            1 => " CTRL-MSG",
            2 => " MGMT-MSG",
            _ => " UNKNOWN-MSG-TYPE",
        });
    }
    let mc = get_be_u32(data, 4)?;
    if mc != MAGIC_COOKIE {
        nd_print!(nd, " UNEXPECTED Magic-Cookie!!({mc:08x})");
    }
    if nd.opts.v > 0 || mc != MAGIC_COOKIE {
        nd_print!(nd, " Magic-Cookie={mc:08x}");
    }
    let t = get_be_u16(data, 8)?;
    match MSG_TYPES.get(usize::from(t)) {
        Some(name) => nd_print!(nd, " CTRL_MSGTYPE={name}"),
        None => nd_print!(nd, " UNKNOWN_CTRL_MSGTYPE({t})"),
    }
    reserved(nd, data, 10, 2)?;
    field_print(nd, data, HDR_LEN, Fields(message_fields(t)))?;
    Ok(())
}

/// ` [ERROR: reserved=N must be zero]` for a reserved field of `n` bytes that is not.
fn reserved(nd: &mut Nd<'_>, data: &[u8], at: usize, n: u8) -> PResult {
    let v = if n == 1 {
        u16::from(get_u8(data, at)?)
    } else {
        get_be_u16(data, at)?
    };
    if v != 0 {
        nd_print!(nd, " [ERROR: reserved={v} must be zero]");
    }
    Ok(())
}

/// Print field `f` at `at`; returns where the next field starts.
fn field_print(nd: &mut Nd<'_>, data: &[u8], at: usize, f: Field) -> PResult<usize> {
    Ok(match f {
        U16(name) => {
            nd_print!(nd, " {name}({})", get_be_u16(data, at)?);
            at + 2
        }
        U32(name) => {
            nd_print!(nd, " {name}({})", get_be_u32(data, at)?);
            at + 4
        }
        Hex32(name) => {
            nd_print!(nd, " {name}(0x{:08x})", get_be_u32(data, at)?);
            at + 4
        }
        Reserved(n) => {
            reserved(nd, data, at, n)?;
            at + usize::from(n)
        }
        ProtoVer => {
            let v = get_be_u16(data, at)?;
            nd_print!(nd, " PROTO_VER({}.{})", v >> 8, v & 0xff);
            at + 2
        }
        FramingCap => {
            // print-pptp.c prints the opening before it reads the field.
            nd.print(" FRAME_CAP(");
            let v = get_be_u32(data, at)?;
            let a = if v & 1 != 0 { "A" } else { "" };
            let s = if v & 2 != 0 { "S" } else { "" };
            nd_print!(nd, "{a}{s})");
            at + 4
        }
        BearerCap => {
            let v = get_be_u32(data, at)?;
            let d = if v & 2 != 0 { "D" } else { "" };
            let a = if v & 1 != 0 { "A" } else { "" };
            nd_print!(nd, " BEARER_CAP({d}{a})");
            at + 4
        }
        Named(name, table) => {
            let v = get_be_u32(data, at)?;
            nd_print!(nd, " {name}({})", tok2str(table, "?", v));
            at + 4
        }
        Code(name, table) => {
            code_print(nd, data, at, name, table)?;
            at + 1
        }
        Result(table) => {
            code_print(nd, data, at, "RESULT_CODE", table)?;
            code_print(nd, data, at + 1, "ERR_CODE", &ERRCODES)?;
            at + 2
        }
        Text(name, n) => {
            text_print(nd, data, at, name, n)?;
            at + n
        }
        Fields(list) => {
            let mut at = at;
            for f in list {
                at = field_print(nd, data, at, *f)?;
            }
            at
        }
        CountedText(name, back) => {
            let n = usize::from(get_be_u16(data, at - back)?).min(64);
            text_print(nd, data, at, name, n)?;
            at + 64
        }
    })
}

/// ` NAME(%u` of the 8-bit code at `at`, `:%s` by `table` with `-v`, `)`.
fn code_print(
    nd: &mut Nd<'_>,
    data: &[u8],
    at: usize,
    name: &str,
    table: &'static [Tok],
) -> PResult {
    let v = get_u8(data, at)?;
    nd_print!(nd, " {name}({v}");
    if nd.opts.v > 0 {
        nd_print!(nd, ":{}", tok2str(table, "?", u32::from(v)));
    }
    nd.print(")");
    Ok(())
}

/// ` NAME(` the NUL-padded string of at most `n` bytes at `at` `)`.
fn text_print(nd: &mut Nd<'_>, data: &[u8], at: usize, name: &str, n: usize) -> PResult {
    nd_print!(nd, " {name}(");
    printjnp(nd, data, at, n)?;
    nd.print(")");
    Ok(())
}

#[cfg(test)]
#[allow(clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::capture::print::testing::{opts, with_nd};

    /// An echo request, id 7.
    const ECHO: [u8; 16] = [
        0, 16, 0, 1, 0x1a, 0x2b, 0x3c, 0x4d, 0, 5, 0, 0, // header
        0, 0, 0, 7, // id
    ];

    #[test]
    fn echo_request_at_each_verbosity() {
        let (out, _) = with_nd(&opts(0), |nd| print(nd, &ECHO));
        assert_eq!(out, ": pptp CTRL_MSGTYPE=ECHORQ ID(7)");
        let (out, _) = with_nd(&opts(1), |nd| print(nd, &ECHO));
        assert_eq!(
            out,
            ": pptp Length=16 CTRL-MSG Magic-Cookie=1a2b3c4d CTRL_MSGTYPE=ECHORQ ID(7)"
        );
    }

    #[test]
    fn a_cut_message_unwinds() {
        for cut in 0..ECHO.len() {
            let (_, r) = with_nd(&opts(1), |nd| print(nd, &ECHO[..cut]));
            assert!(r.is_err(), "cut {cut}");
        }
    }

    // The printer takes the bytes captured of a segment's payload, no longer than its length.
    crate::arbitrary_bytes_never_panic!(|nd: &mut Nd<'_>, data: &[u8], len: u32| {
        print(
            nd,
            data.get(..(len as usize).min(data.len())).unwrap_or(data),
        )
    });
}
