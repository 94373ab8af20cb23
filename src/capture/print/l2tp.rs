//! L2TP version 2 (RFC 2661), mirroring print-l2tp.c at tcpdump-4.99.3: the header flags,
//! tunnel and session ids, sequence numbers, then the control message's AVPs or the PPP
//! frame a data message carries. L2F (version 1) prints its name only, as in tcpdump.
//!
//! Must not do I/O: it only reads the captured bytes.

use super::tok::{tok2str, Tok};
use super::util::{fn_print_char, print_trunc, ttest};
use super::{get_be_u16, get_be_u32, get_u8, ppp, Nd, PResult};
use crate::nd_print;

const FLAG_TYPE: u16 = 0x8000;
const FLAG_LENGTH: u16 = 0x4000;
const FLAG_SEQUENCE: u16 = 0x0800;
const FLAG_OFFSET: u16 = 0x0200;
const FLAG_PRIORITY: u16 = 0x0100;
const AVP_MANDATORY: u16 = 0x8000;
const AVP_HIDDEN: u16 = 0x4000;
const AVP_LEN_MASK: u16 = 0x03ff;

/// Message types (print-l2tp.c `l2tp_msgtype2str`).
const MSGTYPES: [Tok; 14] = [
    (1, "SCCRQ"),
    (2, "SCCRP"),
    (3, "SCCCN"),
    (4, "StopCCN"),
    (6, "HELLO"),
    (7, "OCRQ"),
    (8, "OCRP"),
    (9, "OCCN"),
    (10, "ICRQ"),
    (11, "ICRP"),
    (12, "ICCN"),
    (14, "CDN"),
    (15, "WEN"),
    (16, "SLI"),
];

/// Attribute types (print-l2tp.c `l2tp_avp2str`).
const AVPS: [Tok; 41] = [
    (0, "MSGTYPE"),
    (1, "RESULT_CODE"),
    (2, "PROTO_VER"),
    (3, "FRAMING_CAP"),
    (4, "BEARER_CAP"),
    (5, "TIE_BREAKER"),
    (6, "FIRM_VER"),
    (7, "HOST_NAME"),
    (8, "VENDOR_NAME"),
    (9, "ASSND_TUN_ID"),
    (10, "RECV_WIN_SIZE"),
    (11, "CHALLENGE"),
    (12, "Q931_CC"),
    (13, "CHALLENGE_RESP"),
    (14, "ASSND_SESS_ID"),
    (15, "CALL_SER_NUM"),
    (16, "MINIMUM_BPS"),
    (17, "MAXIMUM_BPS"),
    (18, "BEARER_TYPE"),
    (19, "FRAMING_TYPE"),
    (20, "PACKET_PROC_DELAY"),
    (21, "CALLED_NUMBER"),
    (22, "CALLING_NUMBER"),
    (23, "SUB_ADDRESS"),
    (24, "TX_CONN_SPEED"),
    (25, "PHY_CHANNEL_ID"),
    (26, "INI_RECV_LCP"),
    (27, "LAST_SENT_LCP"),
    (28, "LAST_RECV_LCP"),
    (29, "PROXY_AUTH_TYPE"),
    (30, "PROXY_AUTH_NAME"),
    (31, "PROXY_AUTH_CHAL"),
    (32, "PROXY_AUTH_ID"),
    (33, "PROXY_AUTH_RESP"),
    (34, "CALL_ERRORS"),
    (35, "ACCM"),
    (36, "RANDOM_VECTOR"),
    (37, "PRIVATE_GRP_ID"),
    (38, "RX_CONN_SPEED"),
    (39, "SEQ_REQUIRED"),
    (46, "PPP_DISCON_CC"),
];

/// print-l2tp.c `l2tp_authentype2str`.
const AUTHENTYPES: [Tok; 6] = [
    (0, "Reserved"),
    (1, "Textual"),
    (2, "CHAP"),
    (3, "PAP"),
    (4, "No Auth"),
    (5, "MS-CHAPv1"),
];

/// print-l2tp.c `l2tp_cc_direction2str`.
const CC_DIRECTIONS: [Tok; 3] = [(0, "global error"), (1, "at peer"), (2, "at local")];

/// Print the L2TP packet at `data`; `length` is the UDP payload's length (print-l2tp.c
/// `l2tp_print`).
pub fn print(nd: &mut Nd<'_>, data: &[u8], length: u32) -> PResult {
    nd.protocol = "l2tp";
    let flags = get_be_u16(data, 0)?;
    match flags & 0x000f {
        2 => nd.print(" l2tp:"),
        1 => {
            nd.print(" l2f:");
            return Ok(());
        }
        _ => {
            nd.print(" Unknown Version, neither L2F(1) nor L2TP(2)");
            return Ok(());
        }
    }
    nd.print("[");
    for (bit, name) in [
        (FLAG_TYPE, "T"),
        (FLAG_LENGTH, "L"),
        (FLAG_SEQUENCE, "S"),
        (FLAG_OFFSET, "O"),
        (FLAG_PRIORITY, "P"),
    ] {
        if flags & bit != 0 {
            nd.print(name);
        }
    }
    nd.print("]");
    let mut at = 2usize;
    let l2tp_len = if flags & FLAG_LENGTH != 0 {
        at += 2;
        u32::from(get_be_u16(data, 2)?)
    } else {
        0
    };
    nd_print!(nd, "({}/", get_be_u16(data, at)?);
    nd_print!(nd, "{})", get_be_u16(data, at + 2)?);
    at += 4;
    if flags & FLAG_SEQUENCE != 0 {
        nd_print!(nd, "Ns={},", get_be_u16(data, at)?);
        nd_print!(nd, "Nr={}", get_be_u16(data, at + 2)?);
        at += 4;
    }
    if flags & FLAG_OFFSET != 0 {
        let pad = usize::from(get_be_u16(data, at)?);
        if !ttest(data, at + 2, pad) {
            print_trunc(nd);
            return Ok(());
        }
        at += 2 + pad;
    }
    let mut length = length;
    if flags & FLAG_LENGTH != 0 {
        if length < l2tp_len {
            nd_print!(nd, " Length {l2tp_len} larger than packet");
            return Ok(());
        }
        length = l2tp_len;
    }
    let cnt = at as u32;
    if length < cnt {
        nd_print!(nd, " Length {length} smaller than header length");
        return Ok(());
    }
    if flags & FLAG_TYPE == 0 {
        nd.print(" {");
        ppp::print(nd, data.get(at..).unwrap_or(&[]), length - cnt)?;
        nd.print("}");
        return Ok(());
    }
    if flags & FLAG_LENGTH == 0 {
        nd.print(" No length");
        return Ok(());
    }
    if length == cnt {
        nd.print(" ZLB");
        return Ok(());
    }
    let mut cnt = cnt;
    while length - cnt != 0 {
        let n = avp_print(nd, data, cnt as usize, length - cnt)?;
        if n == 0 {
            break;
        }
        cnt += n;
    }
    Ok(())
}

/// One AVP at `at`, `length` bytes left of the message; its length, or 0 when truncated
/// (print-l2tp.c `l2tp_avp_print`).
fn avp_print(nd: &mut Nd<'_>, data: &[u8], at: usize, length: u32) -> PResult<u32> {
    nd.print(" ");
    let head = get_be_u16(data, at)?;
    let len = u32::from(head & AVP_LEN_MASK);
    if len < 6 || len > length || !ttest(data, at, len as usize) {
        print_trunc(nd);
        return Ok(0);
    }
    if head & AVP_MANDATORY != 0 {
        nd.print("*");
    }
    let hidden = head & AVP_HIDDEN != 0;
    if hidden {
        nd.print("?");
    }
    let vendor = get_be_u16(data, at + 2)?;
    let attr = get_be_u16(data, at + 4)?;
    let v = at + 6;
    let vlen = len - 6;
    if vendor != 0 {
        nd_print!(nd, "VENDOR{vendor:04x}:ATTR{attr:04x}(");
        octets(nd, data, v, vlen)?;
        nd.print(")");
        return Ok(len);
    }
    nd_print!(nd, "{}(", tok2str(&AVPS, "AVP-#%u", u32::from(attr)));
    if hidden {
        nd.print("???");
    } else {
        value_print(nd, attr, data, v, vlen)?;
    }
    nd.print(")");
    Ok(len)
}

/// The value of IETF attribute `attr`, `len` bytes at `v`.
fn value_print(nd: &mut Nd<'_>, attr: u16, data: &[u8], v: usize, len: u32) -> PResult {
    // The shortest value each fixed-size attribute needs.
    let min = match attr {
        0 | 1 | 2 | 6 | 9 | 10 | 14 | 29 | 32 | 34 | 35 => 2,
        3 | 4 | 15..=19 | 24 | 25 | 38 => 4,
        12 => 3,
        46 => 5,
        5 => 8,
        13 => 16,
        _ => 0,
    };
    if len < min {
        nd.print("AVP too short");
        return Ok(());
    }
    match attr {
        0 => {
            let t = get_be_u16(data, v)?;
            nd_print!(nd, "{}", tok2str(&MSGTYPES, "MSGTYPE-#%u", u32::from(t)));
        }
        1 => result_code_print(nd, data, v, len)?,
        2 => {
            let ver = get_be_u16(data, v)?;
            nd_print!(nd, "{}.{}", ver >> 8, ver & 0xff);
        }
        3 | 19 => {
            let bits = get_be_u32(data, v)?;
            letters(nd, bits, "A", "S");
        }
        4 | 18 => {
            let bits = get_be_u32(data, v)?;
            letters(nd, bits, "A", "D");
        }
        5 => octets(nd, data, v, 8)?,
        6 | 9 | 10 | 14 => nd_print!(nd, "{}", get_be_u16(data, v)?),
        7 | 8 | 21 | 22 | 23 | 30 | 37 => chars(nd, data, v, len)?,
        11 | 26 | 27 | 28 | 31 | 33 | 36 => octets(nd, data, v, len)?,
        12 => {
            nd_print!(nd, "{}", get_be_u16(data, v)?);
            nd_print!(nd, ", {:02x}", get_u8(data, v + 2)?);
            if len > 3 {
                nd.print(" ");
                chars(nd, data, v + 3, len - 3)?;
            }
        }
        13 => octets(nd, data, v, 16)?,
        15..=17 | 24 | 25 | 38 => nd_print!(nd, "{}", get_be_u32(data, v)?),
        20 => nd.print("obsolete"),
        29 => {
            let t = get_be_u16(data, v)?;
            nd_print!(
                nd,
                "{}",
                tok2str(&AUTHENTYPES, "AuthType-#%u", u32::from(t))
            );
        }
        32 => nd_print!(nd, "{}", get_be_u16(data, v)? & 0x00ff),
        34 => counters_print(nd, data, v, len, &CALL_ERRORS)?,
        35 => counters_print(nd, data, v, len, &ACCM)?,
        46 => {
            nd_print!(nd, "{:04x}, ", get_be_u16(data, v)?);
            nd_print!(nd, "{:04x} ", get_be_u16(data, v + 2)?);
            let dir = get_u8(data, v + 4)?;
            nd_print!(
                nd,
                "{}",
                tok2str(&CC_DIRECTIONS, "Direction-#%u", u32::from(dir))
            );
            if len > 5 {
                nd.print(" ");
                chars(nd, data, v + 5, len - 5)?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// The counters after a 2-byte reserved field: (label, hexadecimal).
const CALL_ERRORS: [(&str, bool); 6] = [
    ("CRCErr", false),
    ("FrameErr", false),
    ("HardOver", false),
    ("BufOver", false),
    ("Timeout", false),
    ("AlignErr", false),
];
const ACCM: [(&str, bool); 2] = [("send", true), ("recv", true)];

/// print-l2tp.c `l2tp_call_errors_print` and `l2tp_accm_print`.
fn counters_print(
    nd: &mut Nd<'_>,
    data: &[u8],
    v: usize,
    len: u32,
    fields: &[(&str, bool)],
) -> PResult {
    let (mut at, mut len) = (v + 2, len - 2);
    for (label, hex) in fields {
        if len < 4 {
            nd.print("AVP too short");
            return Ok(());
        }
        let val = get_be_u32(data, at)?;
        if *hex {
            nd_print!(nd, "{label}={val:08x} ");
        } else {
            nd_print!(nd, "{label}={val} ");
        }
        at += 4;
        len -= 4;
    }
    Ok(())
}

/// The result code, the optional error code and message (print-l2tp.c
/// `l2tp_result_code_print`).
fn result_code_print(nd: &mut Nd<'_>, data: &[u8], v: usize, len: u32) -> PResult {
    nd_print!(nd, "{}", get_be_u16(data, v)?);
    if len == 2 {
        return Ok(());
    }
    if len < 4 {
        nd.print(" AVP too short");
        return Ok(());
    }
    nd_print!(nd, "/{}", get_be_u16(data, v + 2)?);
    if len == 4 {
        return Ok(());
    }
    nd.print(" ");
    chars(nd, data, v + 4, len - 4)
}

/// `first` when bit 1 is set, then `second` when bit 0 is.
fn letters(nd: &mut Nd<'_>, bits: u32, first: &str, second: &str) {
    if bits & 2 != 0 {
        nd.print(first);
    }
    if bits & 1 != 0 {
        nd.print(second);
    }
}

/// `n` bytes as text (print-l2tp.c `print_string`).
fn chars(nd: &mut Nd<'_>, data: &[u8], at: usize, n: u32) -> PResult {
    for i in 0..n as usize {
        fn_print_char(nd, get_u8(data, at + i)?);
    }
    Ok(())
}

/// `n` bytes in hex (print-l2tp.c `print_octets`).
fn octets(nd: &mut Nd<'_>, data: &[u8], at: usize, n: u32) -> PResult {
    for i in 0..n as usize {
        nd_print!(nd, "{:02x}", get_u8(data, at + i)?);
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::capture::print::testing::{opts, with_nd};

    /// A control message (SCCRQ) with a message type and a host name AVP.
    const SCCRQ: [u8; 26] = [
        0xc8, 0x02, 0x00, 0x1a, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // header
        0x80, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, // MSGTYPE SCCRQ
        0x00, 0x06, 0x00, 0x00, 0x00, 0x07, // empty HOST_NAME
    ];

    #[test]
    fn control_message_avps() {
        let (out, _) = with_nd(&opts(0), |nd| print(nd, &SCCRQ, 26));
        assert_eq!(out, " l2tp:[TLS](0/0)Ns=0,Nr=0 *MSGTYPE(SCCRQ) HOST_NAME()");
    }

    #[test]
    fn lengths_the_header_contradicts() {
        let (out, _) = with_nd(&opts(0), |nd| print(nd, &SCCRQ, 20));
        assert_eq!(
            out,
            " l2tp:[TLS](0/0)Ns=0,Nr=0 Length 26 larger than packet"
        );
    }

    crate::arbitrary_bytes_never_panic!(print);
}
