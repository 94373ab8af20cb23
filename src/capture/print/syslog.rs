//! Syslog (RFC 3164, RFC 5424), mirroring print-syslog.c at tcpdump-4.99.3: the facility and
//! severity of the `<PRI>` field; at `-v` the message as sent, at `-vv` also in hex.
//!
//! Must not do I/O: it only reads the captured bytes.

use super::tok::{tok2str, Tok};
use super::util::{print_invalid, print_unknown_data, printjn};
use super::{get_u8, Nd, PResult};

/// At most this many digits of priority are read (print-syslog.c `SYSLOG_MAX_DIGITS`).
const MAX_DIGITS: usize = 3;

/// Severity names (print-syslog.c `syslog_severity_values`).
const SEVERITIES: [Tok; 8] = [
    (0, "emergency"),
    (1, "alert"),
    (2, "critical"),
    (3, "error"),
    (4, "warning"),
    (5, "notice"),
    (6, "info"),
    (7, "debug"),
];

/// Facility names (print-syslog.c `syslog_facility_values`; 9 and 15 are both "cron").
const FACILITIES: [Tok; 24] = [
    (0, "kernel"),
    (1, "user"),
    (2, "mail"),
    (3, "daemon"),
    (4, "auth"),
    (5, "syslog"),
    (6, "lpr"),
    (7, "news"),
    (8, "uucp"),
    (9, "cron"),
    (10, "authpriv"),
    (11, "ftp"),
    (12, "ntp"),
    (13, "security"),
    (14, "console"),
    (15, "cron"),
    (16, "local0"),
    (17, "local1"),
    (18, "local2"),
    (19, "local3"),
    (20, "local4"),
    (21, "local5"),
    (22, "local6"),
    (23, "local7"),
];

/// Print the syslog message at `data`; `len` is the UDP payload's length (print-syslog.c
/// `syslog_print`).
pub fn print(nd: &mut Nd<'_>, data: &[u8], len: u32) -> PResult {
    nd.protocol = "syslog";
    if get_u8(data, 0)? != b'<' {
        print_invalid(nd);
        return Ok(());
    }
    let mut off = 1;
    let mut pri: u16 = 0;
    while off <= MAX_DIGITS {
        let c = get_u8(data, off)?;
        if !c.is_ascii_digit() {
            break;
        }
        pri = pri * 10 + u16::from(c - b'0');
        off += 1;
    }
    if get_u8(data, off)? != b'>' {
        print_invalid(nd);
        return Ok(());
    }
    off += 1;
    let facility = u32::from((pri & 0x03f8) >> 3);
    let severity = u32::from(pri & 0x0007);
    let fac = tok2str(&FACILITIES, "unknown (%u)", facility);
    let sev = tok2str(&SEVERITIES, "unknown (%u)", severity);
    if nd.opts.v == 0 {
        nd.print("SYSLOG ");
        nd.print_tok(fac);
        nd.print(".");
        nd.print_tok(sev);
        nd.print(", length: ");
        nd.print_dec(len);
        return Ok(());
    }
    nd.print("SYSLOG, length: ");
    nd.print_dec(len);
    nd.print("\n\tFacility ");
    nd.print_tok(fac);
    nd.print(" (");
    nd.print_dec(facility);
    nd.print("), Severity ");
    nd.print_tok(sev);
    nd.print(" (");
    nd.print_dec(severity);
    nd.print(")\n\tMsg: ");
    // The whole message, unescaped but for tcpdump's usual rendering of unprintable bytes.
    let len = len as usize;
    if len > off {
        printjn(nd, data, off, len - off)?;
    }
    if nd.opts.v > 1 {
        print_unknown_data(nd, data, 0, "\n\t", len);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capture::print::testing::{opts, with_nd};
    use crate::capture::print::Trunc;
    use proptest::prelude::*;

    fn run(data: &[u8], v: u8) -> (String, PResult) {
        with_nd(&opts(v), |nd| print(nd, data, data.len() as u32))
    }

    #[test]
    fn priority_splits_into_facility_and_severity() {
        let (out, r) = run(b"<34>su: fail", 0);
        assert_eq!(r, Ok(()));
        assert_eq!(out, "SYSLOG auth.critical, length: 12");
        let (out, _) = run(b"<999>x", 1);
        assert_eq!(
            out,
            "SYSLOG, length: 6\n\tFacility unknown (124) (124), Severity debug (7)\n\tMsg: x"
        );
    }

    #[test]
    fn a_missing_bracket_is_invalid_and_a_cut_one_truncated() {
        assert_eq!(run(b"34>x", 0).0, " (invalid)");
        assert_eq!(run(b"<1234>x", 0).0, " (invalid)");
        assert_eq!(run(b"<12", 0).1, Err(Trunc));
    }

    proptest! {
        #[test]
        fn arbitrary_messages_never_panic(
            data in proptest::collection::vec(any::<u8>(), 0..20),
            v in 0u8..3,
        ) {
            let _ = run(&data, v);
        }
    }
}
