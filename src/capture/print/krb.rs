//! Kerberos (UDP ports 88 and 750): version 4 messages decoded, the version of any other,
//! mirroring print-krb.c at tcpdump-4.99.3.
//!
//! Must not do I/O: it only reads the captured bytes.

use super::tok::{tok2str, Tok};
use super::util::{fn_print_char, get_le_u16, print_trunc};
use super::{get_be_u16, get_u8, Nd, PResult};

/// Version 4 message types, the low bit (byte order) cleared (print-krb.c `type2str`).
const TYPES: [Tok; 9] = [
    (1 << 1, "KDC_REQUEST"),
    (2 << 1, "KDC_REPLY"),
    (3 << 1, "APPL_REQUEST"),
    (4 << 1, "APPL_REQUEST_MUTUAL"),
    (5 << 1, "ERR_REPLY"),
    (6 << 1, "PRIVATE"),
    (7 << 1, "SAFE"),
    (8 << 1, "APPL_ERR"),
    (63 << 1, "DIE"),
];

/// Version 4 error codes (print-krb.c `kerr2str`).
const ERRORS: [Tok; 11] = [
    (0, "OK"),
    (1, "NAME_EXP"),
    (2, "SERVICE_EXP"),
    (3, "AUTH_EXP"),
    (4, "PKT_VER"),
    (5, "NAME_MAST_KEY_VER"),
    (6, "SERV_MAST_KEY_VER"),
    (7, "BYTE_ORDER"),
    (8, "PRINCIPAL_UNKNOWN"),
    (9, "PRINCIPAL_NOT_UNIQUE"),
    (10, "NULL_KEY"),
];

/// Print the Kerberos message at `data` (`krb_print`; it reads up to the end of the capture,
/// not of the datagram).
pub fn print(nd: &mut Nd<'_>, data: &[u8]) -> PResult {
    nd.protocol = "krb";
    let Some(&pvno) = data.first() else {
        print_trunc(nd);
        return Ok(());
    };
    match pvno {
        1..=3 => {
            nd.print(" v");
            nd.print_dec(pvno);
        }
        4 => {
            nd.print(" v");
            nd.print_dec(pvno);
            return krb4_print(nd, data);
        }
        106 | 107 => nd.print(" v5"),
        _ => {}
    }
    Ok(())
}

/// Print a version 4 message (`krb4_print`).
fn krb4_print(nd: &mut Nd<'_>, data: &[u8]) -> PResult {
    let raw = get_u8(data, 1)?;
    let little = raw & 1 != 0;
    let kind = raw & 0xfe;
    // KTOHSP: a 16-bit field in the byte order the type's low bit states.
    let ktohs = |at: usize| {
        if little {
            get_le_u16(data, at)
        } else {
            get_be_u16(data, at)
        }
    };
    {
        let v0 = if little { "le" } else { "be" };
        let v1 = tok2str(&TYPES, "#%d", u32::from(kind));
        nd.print(" ");
        nd.print(v0);
        nd.print(" ");
        nd.print_tok(v1);
        nd.print(": ");
    };
    match kind {
        0x02 => {
            let Some(at) = header_print(nd, data)? else {
                return Ok(());
            };
            let at = at + 4; // ctime
            {
                let v0 = u32::from(get_u8(data, at)?) * 5;
                nd.print(" ");
                nd.print_dec(v0);
                nd.print("min ");
            };
            let Some(at) = c_print(nd, data, at + 1)? else {
                return trunc(nd);
            };
            nd.print(".");
            if c_print(nd, data, at)?.is_none() {
                return trunc(nd);
            }
        }
        0x06 => {
            {
                let v0 = get_u8(data, 2)?;
                nd.print("v");
                nd.print_dec(v0);
                nd.print(" ");
            };
            let Some(at) = c_print(nd, data, 3)? else {
                return trunc(nd);
            };
            {
                let v0 = get_u8(data, at)?;
                nd.print(" (");
                nd.print_dec(v0);
                nd.print(")");
            };
            {
                let v0 = get_u8(data, at + 1)?;
                nd.print(" (");
                nd.print_dec(v0);
                nd.print(")");
            };
        }
        0x04 => {
            let Some(at) = header_print(nd, data)? else {
                return Ok(());
            };
            // timestamp, n, exp, kvno
            {
                let v0 = ktohs(at + 10)?;
                nd.print(" (");
                nd.print_dec(v0);
                nd.print(")");
            };
        }
        0x0a => {
            let Some(at) = header_print(nd, data)? else {
                return Ok(());
            };
            let at = at + 4; // timestamp
            {
                let v0 = tok2str(&ERRORS, "#%d", u32::from(ktohs(at)?));
                nd.print(" ");
                nd.print_tok(v0);
                nd.print(" ");
            };
            if c_print(nd, data, at + 4)?.is_none() {
                return trunc(nd);
            }
        }
        _ => nd.print("(unknown)"),
    }
    Ok(())
}

/// ` [|krb]`, printed where a string runs to the end of the capture.
fn trunc(nd: &mut Nd<'_>) -> PResult {
    print_trunc(nd);
    Ok(())
}

/// `name.instance@realm` after the two-byte header (`krb4_print_hdr`): the offset after the
/// realm, or `None` once ` [|krb]` is printed.
fn header_print(nd: &mut Nd<'_>, data: &[u8]) -> PResult<Option<usize>> {
    let mut at = 2;
    for sep in [".", "@", ""] {
        match c_print(nd, data, at)? {
            Some(next) => at = next,
            None => {
                print_trunc(nd);
                return Ok(None);
            }
        }
        nd.print(sep);
    }
    Ok(Some(at))
}

/// A NUL-terminated string from `at`, escaped: the offset after its NUL, or `None` when the
/// capture ends first (`c_print`).
fn c_print(nd: &mut Nd<'_>, data: &[u8], at: usize) -> PResult<Option<usize>> {
    for (i, &c) in data.iter().enumerate().skip(at) {
        if c == 0 {
            return Ok(Some(i + 1));
        }
        fn_print_char(nd, c);
    }
    Ok(None)
}

#[cfg(test)]
#[allow(clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::capture::print::testing::{opts, with_nd};
    use crate::capture::print::Trunc;

    fn run(data: &[u8]) -> (String, PResult) {
        with_nd(&opts(0), |nd| print(nd, data))
    }

    /// A version 4 ticket request for `alice.@ATHENA` of `krbtgt.ATHENA`, big-endian.
    fn kdc_request() -> Vec<u8> {
        let mut d = vec![4, 2];
        d.extend(b"alice\0\0ATHENA\0");
        d.extend([0, 0, 0, 0, 96]);
        d.extend(b"krbtgt\0ATHENA\0");
        d
    }

    #[test]
    fn a_ticket_request_names_its_principals() {
        let (out, r) = run(&kdc_request());
        assert_eq!(r, Ok(()));
        assert!(
            out.starts_with(" v4 be KDC_REQUEST: alice.@ATHENA"),
            "{out}"
        );
        assert!(out.ends_with(" 480min krbtgt.ATHENA"), "{out}");
    }

    #[test]
    fn every_cut_prints_the_truncation_once() {
        let d = kdc_request();
        for cut in 0..d.len() {
            let (out, r) = run(&d[..cut]);
            let marks = out.matches(" [|krb]").count() + usize::from(r == Err(Trunc));
            assert_eq!(marks, 1, "{cut}: {out}");
        }
    }

    #[test]
    fn other_versions_and_types() {
        assert_eq!(run(&[106, 0]).0, " v5");
        assert_eq!(run(&[2]).0, " v2");
        assert_eq!(run(&[9]).0, "");
        assert_eq!(run(&[4, 0x0f]).0, " v4 le SAFE: (unknown)");
        assert_eq!(run(&[4, 0x20]).0, " v4 be #32: (unknown)");
    }

    crate::arbitrary_bytes_never_panic!(|nd, data, _len| print(nd, data));
}
