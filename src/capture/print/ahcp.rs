//! The Ad-Hoc Configuration Protocol (draft-chroboczek-ahcp-00, UDP port 5359), mirroring
//! print-ahcp.c at tcpdump-4.99.3.
//!
//! Must not do I/O: it only reads the captured bytes.

use super::names::{ip4_at, ip6addr_at, linkaddr_hex, print_addr};
use super::tok::{tok2str, Tok};
use super::util::{get_bytes, invalid_then_tcheck, print_protocol_caps, tcheck, ymd_hms_print};
use super::{get_be_u16, get_be_u32, get_u8, Nd, PResult};

/// The first byte of every message.
const MAGIC: u8 = 43;
/// The fixed header of version 1: magic, version, hop counts, nonce, source and destination.
const HEADER_FIX_LEN: usize = 24;
/// Type, MBZ and length.
const BODY_MIN_LEN: usize = 4;

/// Message types (print-ahcp.c `ahcp1_msg_str`).
const MESSAGES: [Tok; 6] = [
    (0, "Discover"),
    (1, "Offer"),
    (2, "Request"),
    (3, "Ack"),
    (4, "Nack"),
    (5, "Release"),
];

/// Option types (print-ahcp.c `ahcp1_opt_str`).
const OPTIONS: [Tok; 14] = [
    (0, "Pad"),
    (1, "Mandatory"),
    (2, "Origin Time"),
    (3, "Expires"),
    (4, "My-IPv6-Address"),
    (5, "My-IPv4-Address"),
    (6, "IPv6 Prefix"),
    (7, "IPv4 Prefix"),
    (8, "IPv6 Address"),
    (9, "IPv4 Address"),
    (10, "IPv6 Prefix Delegation"),
    (11, "IPv4 Prefix Delegation"),
    (12, "Name Server"),
    (13, "NTP Server"),
];

/// How an option's value is printed (print-ahcp.c `data_decoders`).
#[derive(Clone, Copy)]
enum Value {
    /// A UTC date and time.
    Time,
    /// A count of seconds.
    Seconds,
    /// A list of addresses, with a prefix length after each when `prefix` is set.
    Addresses { v6: bool, prefix: bool },
}

/// The decoder of option `no`, or `None` for a length only.
fn decoder(no: u8) -> Option<Value> {
    let addrs = |v6, prefix| Some(Value::Addresses { v6, prefix });
    match no {
        2 => Some(Value::Time),
        3 => Some(Value::Seconds),
        4 | 8 | 12 | 13 => addrs(true, false),
        5 | 9 => addrs(false, false),
        6 | 10 => addrs(true, true),
        11 => addrs(false, true),
        _ => None,
    }
}

/// Print the AHCP message at `data`; `len` is the UDP payload's length (`ahcp_print`).
pub fn print(nd: &mut Nd<'_>, data: &[u8], len: u32) -> PResult {
    nd.protocol = "ahcp";
    print_protocol_caps(nd);
    let len = len as usize;
    if len < 2 || get_u8(data, 0)? != MAGIC {
        return invalid_then_tcheck(nd, data, 0, len);
    }
    let version = get_u8(data, 1)?;
    if version != 1 {
        nd.print(" Version ");
        nd.print_dec(version);
        nd.print(" (unknown)");
        return tcheck(data, 2, len - 2);
    }
    nd.print(" Version 1");
    if len < HEADER_FIX_LEN {
        return invalid_then_tcheck(nd, data, 2, len - 2);
    }
    if nd.opts.v == 0 {
        tcheck(data, 2, HEADER_FIX_LEN - 2)?;
    } else {
        {
            let v0 = get_u8(data, 2)?;
            nd.print("\n\tHopcount ");
            nd.print_dec(v0);
        };
        {
            let v0 = get_u8(data, 3)?;
            nd.print(", Original Hopcount ");
            nd.print_dec(v0);
        };
        {
            let v0 = get_be_u32(data, 4)?;
            nd.print(", Nonce 0x");
            nd.print_hex(v0, 8);
        };
        let source = linkaddr_hex(get_bytes(data, 8, 8)?);
        nd.print(", Source Id ");
        nd.print_display(source);
        let destination = linkaddr_hex(get_bytes(data, 16, 8)?);
        nd.print(", Destination Id ");
        nd.print_display(destination);
    }
    body_print(nd, data, HEADER_FIX_LEN, len - HEADER_FIX_LEN)
}

/// The message body: type, length and options (`ahcp1_body_print`).
fn body_print(nd: &mut Nd<'_>, data: &[u8], at: usize, len: usize) -> PResult {
    if len < BODY_MIN_LEN {
        return invalid_then_tcheck(nd, data, at, len);
    }
    let kind = get_u8(data, at)?;
    let mbz = get_u8(data, at + 1)?;
    let body_len = usize::from(get_be_u16(data, at + 2)?);
    let (at, len) = (at + BODY_MIN_LEN, len - BODY_MIN_LEN);
    if nd.opts.v > 0 {
        {
            let v0 = tok2str(&MESSAGES, "Unknown-%u", u32::from(kind));
            nd.print("\n\t");
            nd.print_tok(v0);
        };
        if mbz != 0 {
            nd.print(", MBZ ");
            nd.print_dec(mbz);
        }
        nd.print(", Length ");
        nd.print_dec(body_len);
    }
    if body_len > len {
        return invalid_then_tcheck(nd, data, at, len);
    }
    // The body's own length, not what the datagram holds (any extra data is ignored).
    if nd.opts.v >= 2 {
        options_print(nd, data, at, body_len)
    } else {
        tcheck(data, at, body_len)
    }
}

/// The options, one per line (`ahcp1_options_print`).
fn options_print(nd: &mut Nd<'_>, data: &[u8], mut at: usize, mut len: usize) -> PResult {
    while len > 0 {
        let no = get_u8(data, at)?;
        at += 1;
        len -= 1;
        {
            let v0 = tok2str(&OPTIONS, "Unknown-%u", u32::from(no));
            nd.print("\n\t ");
            nd.print_tok(v0);
        };
        if no == 0 || no == 1 {
            continue;
        }
        if len == 0 {
            return invalid_then_tcheck(nd, data, at, len);
        }
        let olen = usize::from(get_u8(data, at)?);
        at += 1;
        len -= 1;
        if olen > len {
            return invalid_then_tcheck(nd, data, at, len);
        }
        match decoder(no) {
            Some(value) => value_print(nd, value, data, at, olen)?,
            None => {
                nd.print(" (Length ");
                nd.print_dec(olen);
                nd.print(")");
                tcheck(data, at, olen)?;
            }
        }
        at += olen;
        len -= olen;
    }
    Ok(())
}

/// An option's value of `len` bytes at `at` (the `data_decoders` functions).
fn value_print(nd: &mut Nd<'_>, value: Value, data: &[u8], at: usize, len: usize) -> PResult {
    match value {
        Value::Time | Value::Seconds if len != 4 => invalid_then_tcheck(nd, data, at, len),
        Value::Time => {
            time_print(nd, get_be_u32(data, at)?);
            Ok(())
        }
        Value::Seconds => {
            {
                let v0 = get_be_u32(data, at)?;
                nd.print(": ");
                nd.print_dec(v0);
                nd.print("s");
            };
            Ok(())
        }
        Value::Addresses { v6, prefix } => {
            let size = if v6 { 16 } else { 4 } + usize::from(prefix);
            let mut sep = ": ";
            let (mut at, mut len) = (at, len);
            while len > 0 {
                if len < size {
                    return invalid_then_tcheck(nd, data, at, len);
                }
                // printf's arguments are all read before anything is printed.
                let bits = match prefix {
                    true => Some(get_u8(data, at + size - 1)?),
                    false => None,
                };
                if v6 {
                    let a = ip6addr_at(nd, data, at)?;
                    nd.print(sep);
                    nd.print(&a);
                } else {
                    let a = ip4_at(data, at)?;
                    nd.print(sep);
                    print_addr(nd, a);
                }
                if let Some(bits) = bits {
                    nd.print("/");
                    nd.print_dec(bits);
                }
                at += size;
                len -= size;
                sep = ", ";
            }
            Ok(())
        }
    }
}

/// `: 2011-04-07 19:45:31 UTC` (`ahcp_time_print`: gmtime and strftime).
fn time_print(nd: &mut Nd<'_>, secs: u32) {
    match jiff::Timestamp::from_second(i64::from(secs)) {
        Ok(ts) => {
            nd.print(": ");
            ymd_hms_print(nd, &jiff::tz::TimeZone::UTC.to_datetime(ts), '-');
            nd.print(" UTC");
        }
        Err(_) => nd.print(": gmtime() error"),
    }
}

#[cfg(test)]
#[allow(clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::capture::print::testing::{opts, with_nd};
    use crate::capture::print::Trunc;

    fn run(data: &[u8], v: u8) -> (String, PResult) {
        with_nd(&opts(v), |nd| print(nd, data, data.len() as u32))
    }

    /// An Offer with an origin time, an expiry and an IPv6 prefix.
    fn offer() -> Vec<u8> {
        let mut d = vec![MAGIC, 1, 4, 5, 0xde, 0xad, 0xbe, 0xef];
        d.extend([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]);
        let mut opts = vec![2, 4, 0x4d, 0x9e, 0x14, 0x1b, 3, 4, 0, 0, 0x0e, 0x10, 1];
        opts.extend([6, 17, 0x20, 1, 0x0d, 0xb8]);
        opts.extend([0; 12]);
        opts.push(64);
        d.extend([1, 0, 0, opts.len() as u8]);
        d.extend(opts);
        d
    }

    #[test]
    fn verbosity_adds_header_body_and_options() {
        assert_eq!(run(&offer(), 0), ("AHCP Version 1".to_string(), Ok(())));
        let (out, r) = run(&offer(), 1);
        assert_eq!(r, Ok(()));
        assert!(out.contains("Nonce 0xdeadbeef, Source Id 01:02:03:04:05:06:07:08"));
        assert!(out.ends_with("\n\tOffer, Length 32"), "{out}");
        let (out, _) = run(&offer(), 2);
        assert!(out.contains("\n\t Origin Time: 2011-04-07 19:"), "{out}");
        assert!(out.contains(" UTC\n\t Expires"), "{out}");
        assert!(out.contains("\n\t Expires: 3600s\n\t Mandatory"), "{out}");
        assert!(out.ends_with("\n\t IPv6 Prefix: 2001:db8::/64"), "{out}");
    }

    #[test]
    fn every_cut_ends_in_truncation_or_invalid() {
        let d = offer();
        for cut in 0..d.len() {
            let (out, r) = with_nd(&opts(2), |nd| print(nd, &d[..cut], d.len() as u32));
            assert!(r == Err(Trunc) || out.contains("(invalid)"), "{cut}: {out}");
        }
    }

    #[test]
    fn wrong_magic_and_version() {
        let mut d = offer();
        d[1] = 2;
        assert_eq!(run(&d, 1).0, "AHCP Version 2 (unknown)");
        d[0] = 0;
        assert_eq!(run(&d, 1).0, "AHCP (invalid)");
    }

    crate::arbitrary_bytes_never_panic!(print);
}
