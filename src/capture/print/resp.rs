//! RESP, the REdis Serialization Protocol on TCP port 6379 (print-resp.c at
//! tcpdump-4.99.3): simple strings, errors, integers, bulk strings, arrays and inline
//! commands, one after another as pipelining sends them.
//!
//! Must not do I/O: it only reads the captured bytes.

use super::util::{fn_print_char, print_trunc, printn, ttest};
use super::{get_u8, Nd, PResult};

/// The outcome of one parse step: `Some(n)` bytes consumed, `None` for print-resp.c's local
/// `goto trunc` (`-1`); `Err(Trunc)` is a `GET_U_1` past the capture.
type Step = PResult<Option<i64>>;

/// Print the RESP messages at `data` (print-resp.c `resp_print`).
pub fn print(nd: &mut Nd<'_>, data: &[u8], length: u32) -> PResult {
    nd.protocol = "resp";
    nd.print(": RESP");
    let mut at = 0usize;
    let mut length = i64::from(length);
    while length > 0 {
        match parse(nd, data, at, length)? {
            Some(n) => {
                at += n as usize;
                length -= n;
            }
            None => {
                print_trunc(nd);
                return Ok(());
            }
        }
    }
    Ok(())
}

/// One item by its opcode (`resp_parse`).
fn parse(nd: &mut Nd<'_>, data: &[u8], at: usize, length: i64) -> Step {
    if length < 1 {
        return Ok(None);
    }
    match get_u8(data, at)? {
        b'+' | b'-' | b':' => string_error_integer(nd, data, at, length),
        b'$' => bulk_string(nd, data, at, length),
        b'*' => array(nd, data, at, length),
        _ => inline(nd, data, at, length),
    }
}

/// ` "text"` for `n` bytes from `at` (`RESP_PRINT_SEGMENT`); `false` when the capture ends
/// first.
fn segment(nd: &mut Nd<'_>, data: &[u8], at: usize, n: usize) -> bool {
    nd.print(" \"");
    if printn(nd, data, at, n) {
        return false;
    }
    fn_print_char(nd, b'"');
    true
}

/// Advance `p` and `len` to the next `\r\n` (`FIND_CRLF`); `false` for `goto trunc`.
fn find_crlf(data: &[u8], p: &mut usize, len: &mut i64) -> PResult<bool> {
    loop {
        if *len < 2 || !ttest(data, *p, 2) {
            return Ok(false);
        }
        if get_u8(data, *p)? == b'\r' && get_u8(data, *p + 1)? == b'\n' {
            return Ok(true);
        }
        *p += 1;
        *len -= 1;
    }
}

/// `+`, `-` and `:`: the text up to `\r\n` (`resp_print_string_error_integer`).
fn string_error_integer(nd: &mut Nd<'_>, data: &[u8], at: usize, length: i64) -> Step {
    let start = at + 1;
    let mut p = start;
    let mut len = length - 1;
    if !find_crlf(data, &mut p, &mut len)? {
        return Ok(None);
    }
    let n = p - start;
    if !segment(nd, data, start, n) {
        return Ok(None);
    }
    Ok(Some(1 + n as i64 + 2))
}

/// A bulk string or array length (`resp_get_length`): the value, or -1 null, -2 truncated,
/// -3 too large, -4 negative, -5 invalid; and where parsing stopped.
fn get_length(data: &[u8], mut p: usize, mut len: i64) -> PResult<(i64, usize)> {
    if len == 0 {
        return Ok((-2, p));
    }
    let mut too_large = false;
    let mut neg = false;
    if get_u8(data, p)? == b'-' {
        neg = true;
        p += 1;
        len -= 1;
    }
    let mut result: i32 = 0;
    let mut saw_digit = false;
    loop {
        if len == 0 {
            return Ok((-2, p));
        }
        let c = get_u8(data, p)?;
        if !c.is_ascii_digit() {
            if !saw_digit {
                return Ok((-5, p + 1));
            }
            break;
        }
        let c = i32::from(c - b'0');
        if result > i32::MAX / 10 {
            too_large = true;
        } else {
            result *= 10;
            if result == (i32::MAX / 10) * 10 && c > i32::MAX % 10 {
                too_large = true;
            } else {
                result += c;
            }
        }
        p += 1;
        len -= 1;
        saw_digit = true;
    }
    if get_u8(data, p)? != b'\r' {
        return Ok((-5, p + 1));
    }
    p += 1;
    len -= 1;
    if len == 0 {
        return Ok((-2, p));
    }
    if get_u8(data, p)? != b'\n' {
        return Ok((-5, p + 1));
    }
    p += 1;
    if neg {
        if too_large || result != 1 {
            return Ok((-4, p));
        }
        return Ok((-1, p));
    }
    Ok((if too_large { -3 } else { i64::from(result) }, p))
}

/// What a negative length other than "truncated" prints.
fn bad_length(nd: &mut Nd<'_>, n: i64) {
    nd.print(match n {
        -1 => " null",
        -3 => " length too large",
        -4 => " length negative and not -1",
        _ => " invalid",
    });
}

/// `$<length>\r\n<bytes>\r\n` (`resp_print_bulk_string`).
fn bulk_string(nd: &mut Nd<'_>, data: &[u8], at: usize, length: i64) -> Step {
    let mut p = at + 1;
    let mut len = length - 1;
    let (string_len, end) = get_length(data, p, len)?;
    len -= (end - p) as i64;
    p = end;
    if string_len >= 0 {
        if string_len == 0 {
            nd.print(" empty");
        } else {
            let n = string_len as usize;
            if len < string_len || !ttest(data, p, n) || !segment(nd, data, p, n) {
                return Ok(None);
            }
            p += n;
            len -= string_len;
        }
        if !find_crlf(data, &mut p, &mut len)? {
            return Ok(None);
        }
        len -= 2;
    } else if string_len == -2 {
        return Ok(None);
    } else {
        bad_length(nd, string_len);
    }
    Ok(Some(length - len))
}

/// `*<count>\r\n` and that many items (`resp_print_bulk_array`).
fn array(nd: &mut Nd<'_>, data: &[u8], at: usize, length: i64) -> Step {
    let mut p = at + 1;
    let mut len = length - 1;
    let (array_len, end) = get_length(data, p, len)?;
    len -= (end - p) as i64;
    p = end;
    if array_len > 0 {
        for _ in 0..array_len {
            match parse(nd, data, p, len)? {
                Some(n) => {
                    p += n as usize;
                    len -= n;
                }
                None => return Ok(None),
            }
        }
    } else if array_len == 0 {
        nd.print(" empty");
    } else if array_len == -2 {
        return Ok(None);
    } else {
        bad_length(nd, array_len);
    }
    Ok(Some(length - len))
}

/// Skip consecutive `\r` and `\n` bytes, at least one unless data ends (`CONSUME_CR_OR_LF`);
/// `false` for `goto trunc`.
fn consume_cr_or_lf(data: &[u8], p: &mut usize, len: &mut i64) -> PResult<bool> {
    let mut found = false;
    loop {
        if *len == 0 || !ttest(data, *p, 1) {
            return Ok(found);
        }
        let c = get_u8(data, *p)?;
        if c != b'\r' && c != b'\n' {
            return Ok(true);
        }
        found = true;
        *p += 1;
        *len -= 1;
    }
}

/// An inline command: text up to `\r` or `\n` (`resp_print_inline`).
fn inline(nd: &mut Nd<'_>, data: &[u8], at: usize, length: i64) -> Step {
    let mut p = at;
    let mut len = length;
    if !consume_cr_or_lf(data, &mut p, &mut len)? {
        return Ok(None);
    }
    let start = p;
    loop {
        if len < 1 {
            return Ok(None);
        }
        let c = get_u8(data, p)?;
        if c == b'\r' || c == b'\n' {
            break;
        }
        p += 1;
        len -= 1;
    }
    if !segment(nd, data, start, p - start) {
        return Ok(None);
    }
    if !consume_cr_or_lf(data, &mut p, &mut len)? {
        return Ok(None);
    }
    Ok(Some(length - len))
}
