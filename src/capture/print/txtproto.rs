//! Text protocols (HTTP, FTP, SMTP, RTSP, SIP, whois), mirroring `txtproto_print`,
//! `fetch_token` and `print_txt_line` in util-print.c at tcpdump-4.99.3.
//!
//! Without `-v` the protocol's name and its first line are printed; with `-v` the length and
//! every line up to the first one that is not printable text. A protocol with request names
//! (`cmds`) is printed only when its first line looks like a request or a response.
//!
//! Must not do I/O: it only reads the captured bytes.

use super::util::{print_protocol_caps, print_trunc};
use super::{get_u8, Nd, PResult};

/// The response code is the second token of a response line (netdissect.h
/// `RESP_CODE_SECOND_TOKEN`), as in `HTTP/1.1 200 OK`.
pub const RESP_CODE_SECOND_TOKEN: u32 = 0x1;

/// The token buffer's size (util-print.c `MAX_TOKEN` + 1): `fetch_token` keeps room for one
/// more character and the NUL, so a token has at most 128 characters.
const TOKEN_BUF: usize = 128 + 1;

/// Print a text protocol's payload; `nd.protocol` names it (print-<proto>.c sets it first).
pub fn print(nd: &mut Nd<'_>, data: &[u8], len: u32, cmds: Option<&[&str]>, flags: u32) -> PResult {
    let len = len as usize;
    let print_this = match cmds {
        Some(cmds) => is_request_or_response(data, len, cmds, flags),
        None => true,
    };
    print_protocol_caps(nd);
    if !print_this {
        return Ok(());
    }
    if nd.opts.v > 0 {
        nd.print(", length: ");
        nd.print_dec(len);
        let mut idx = 0;
        while idx < len {
            match print_txt_line(nd, "\n\t", data, idx, len)? {
                0 => break,
                eol => idx = eol,
            }
        }
    } else {
        print_txt_line(nd, ": ", data, 0, len)?;
    }
    Ok(())
}

/// The first token is one of `cmds` (any case), or the response code token is three digits.
fn is_request_or_response(data: &[u8], len: usize, cmds: &[&str], flags: u32) -> bool {
    let Some((mut idx, mut token)) = fetch_token(data, 0, len) else {
        return false;
    };
    let mut found = cmds
        .iter()
        .any(|c| c.as_bytes().eq_ignore_ascii_case(token));
    if flags & RESP_CODE_SECOND_TOKEN != 0 {
        match fetch_token(data, idx, len) {
            Some((i, t)) => (idx, token) = (i, t),
            None => idx = 0,
        }
    }
    if idx != 0 && token.len() == 3 && token.iter().all(u8::is_ascii_digit) {
        found = true;
    }
    found
}

/// The token at `idx` and the index past it and the spaces after it; `None` for no token, a
/// byte that is not printable ASCII, a token too long, or the end of the capture within it
/// (util-print.c `fetch_token`).
fn fetch_token(data: &[u8], mut idx: usize, len: usize) -> Option<(usize, &[u8])> {
    let start = idx;
    while idx < len {
        let c = *data.get(idx)?;
        if !c.is_ascii() {
            return None;
        }
        if matches!(c, b' ' | b'\t' | b'\r' | b'\n') {
            break;
        }
        if !is_print(c) || idx - start + 2 > TOKEN_BUF {
            return None;
        }
        idx += 1;
    }
    if idx == start {
        return None;
    }
    let token = data.get(start..idx)?;
    while idx < len {
        match data.get(idx) {
            // A tab is not printable, so it ends the blanks (only spaces are skipped).
            Some(b' ') => idx += 1,
            _ => break,
        }
    }
    Some((idx, token))
}

/// Print the line at `idx` after `prefix` and return the index past its LF or CR-LF; 0 when
/// the line holds a byte that is not printable text (nothing printed), or has no line ending
/// before `len` (printed, then ` [|proto]`) (util-print.c `print_txt_line`).
fn print_txt_line(
    nd: &mut Nd<'_>,
    prefix: &str,
    data: &[u8],
    start: usize,
    len: usize,
) -> PResult<usize> {
    let mut idx = start;
    while idx < len {
        let c = get_u8(data, idx)?;
        if c == b'\n' {
            print_line(nd, prefix, data, start, idx);
            return Ok(idx + 1);
        } else if c == b'\r' {
            if idx + 1 >= len {
                return Ok(0);
            }
            if get_u8(data, idx + 1)? == b'\n' {
                print_line(nd, prefix, data, start, idx);
                return Ok(idx + 2);
            }
            return Ok(0);
        } else if !is_print(c) && c != b'\t' {
            return Ok(0);
        }
        idx += 1;
    }
    print_line(nd, prefix, data, start, idx);
    print_trunc(nd);
    Ok(0)
}

/// `prefix` and the bytes `start..end`, all read before (printable ASCII or tabs).
fn print_line(nd: &mut Nd<'_>, prefix: &str, data: &[u8], start: usize, end: usize) {
    nd.print(prefix);
    for &c in data.get(start..end).unwrap_or_default() {
        nd.out.push(char::from(c));
    }
}

/// netdissect-stdinc.h `ND_ASCII_ISPRINT`.
fn is_print(c: u8) -> bool {
    (0x20..0x7f).contains(&c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capture::print::testing::{opts, with_nd};
    use proptest::prelude::*;

    #[test]
    fn a_token_ends_at_a_blank_and_skips_only_the_spaces_after_it() {
        assert_eq!(fetch_token(b"GET  /x", 0, 7), Some((5, &b"GET"[..])));
        assert_eq!(fetch_token(b"GET\t/x", 0, 6), Some((3, &b"GET"[..])));
        assert_eq!(fetch_token(b"GET /x", 3, 6), None);
    }

    #[test]
    fn a_token_is_printable_ascii_of_at_most_128_bytes_within_the_capture() {
        assert_eq!(fetch_token(b"caf\xc3\xa9 x", 0, 7), None);
        assert_eq!(fetch_token(b"a\x01b", 0, 3), None);
        let long = [b'a'; 129];
        assert_eq!(fetch_token(&long, 0, 128).map(|t| t.0), Some(128));
        assert_eq!(fetch_token(&long, 0, 129), None);
        // Cut by the capture before the on-wire length says it ends.
        assert_eq!(fetch_token(b"GET", 0, 10), None);
    }

    #[test]
    fn requests_match_in_any_case_and_responses_by_a_three_digit_second_token() {
        let cmds = &["GET"][..];
        let f = RESP_CODE_SECOND_TOKEN;
        assert!(is_request_or_response(b"get / x\r\n", 9, cmds, f));
        assert!(is_request_or_response(b"X/1 404 no\r\n", 12, cmds, f));
        assert!(!is_request_or_response(b"X/1 4040 no\r\n", 13, cmds, f));
        assert!(!is_request_or_response(b"X/1 40\r\n", 8, cmds, f));
        assert!(!is_request_or_response(b" GET /\r\n", 8, cmds, f));
    }

    proptest! {
        #[test]
        fn any_payload_prints_without_panic_and_stops_only_past_the_capture(
            data in proptest::collection::vec(any::<u8>(), 0..200),
            extra in 0u32..8,
            v in 0u8..3,
        ) {
            let len = data.len() as u32 + extra;
            let (_, r) = with_nd(&opts(v), |nd| {
                nd.protocol = "http";
                print(nd, &data, len, Some(&["GET"]), RESP_CODE_SECOND_TOKEN)
            });
            prop_assert!(r.is_ok() || extra > 0);
        }
    }
}
