//! NTP (RFC 958, 1305, 5905), mirroring print-ntp.c and ntp.c at tcpdump-4.99.3: the time
//! messages of modes 0-5 and the control messages of mode 6 (RFC 1305 appendix B); mode 7
//! (ntpd's private requests) prints nothing after the leap indicator, as tcpdump's
//! `ntp_print` leaves it "not implemented".
//!
//! Must not do I/O: it only reads the captured bytes.

use std::convert::Infallible;
use std::net::{IpAddr, Ipv4Addr};

use super::names::print_addr;
use super::textcache::cached;
use super::util::{hex_groups_print, print_invalid, print_trunc, write_pad};
use super::{get_array, get_be_u16, get_be_u32, get_bytes, get_u8, ttest, Nd, PResult};
use crate::nd_print;

/// A time message without key id and digest (print-ntp.c `NTP_TIMEMSG_MINLEN`).
const TIMEMSG_MINLEN: u32 = 48;
/// A control message's fixed header (print-ntp.c `NTP_CTRLMSG_MINLEN`).
const CTRLMSG_MINLEN: u32 = 12;

/// Field offsets of the time message (print-ntp.c `struct ntp_time_data`).
mod field {
    pub const STATUS: usize = 0;
    pub const STRATUM: usize = 1;
    pub const PPOLL: usize = 2;
    pub const PRECISION: usize = 3;
    pub const ROOT_DELAY: usize = 4;
    pub const ROOT_DISPERSION: usize = 8;
    pub const REFID: usize = 12;
    pub const REF_TIMESTAMP: usize = 16;
    pub const ORG_TIMESTAMP: usize = 24;
    pub const REC_TIMESTAMP: usize = 32;
    pub const XMT_TIMESTAMP: usize = 40;
    pub const KEY_ID: usize = 48;
    pub const DIGEST: usize = 52;
    // The control message (print-ntp.c `struct ntp_control_data`).
    pub const CONTROL: usize = 1;
    pub const SEQUENCE: usize = 2;
    pub const CTL_STATUS: usize = 4;
    pub const ASSOC: usize = 6;
    pub const OFFSET: usize = 8;
    pub const COUNT: usize = 10;
    pub const DATA: usize = 12;
}

/// Mode names (print-ntp.c `ntp_mode_values`); every 3-bit value has one.
const MODES: [&str; 8] = [
    "unspecified",
    "symmetric active",
    "symmetric passive",
    "Client",
    "Server",
    "Broadcast",
    "Control Message",
    "Reserved",
];

const MODE_CONTROL: u8 = 6;
const MODE_PRIVATE: u8 = 7;

/// Leap indicator names, by the two high bits in place (print-ntp.c `ntp_leapind_values`).
fn leap_name(leap: u8) -> &'static str {
    match leap {
        0x00 => "",
        0x40 => "+1s",
        0x80 => "-1s",
        _ => "clock unsynchronized",
    }
}

/// Stratum names (print-ntp.c `ntp_stratum_values` and the default `ntp_time_print` gives).
fn stratum_name(stratum: u8) -> &'static str {
    match stratum {
        0 => "unspecified",
        1 => "primary reference",
        2..=15 => "secondary reference",
        _ => "reserved",
    }
}

/// Stratum values whose reference id ntpd's old query tools used (print-ntp.c).
const INFO_QUERY: u8 = 62;
const INFO_REPLY: u8 = 63;

/// Seconds from 1900-01-01 (the NTP era) to 1970-01-01 (ntp.h `JAN_1970`).
const JAN_1970: i64 = 2_208_988_800;

/// `2^32` as a double (ntp.h `FMAXINT`).
const FMAXINT: f64 = 4_294_967_296.0;

/// Print the NTP message at `data`; `length` is the UDP payload's length (print-ntp.c
/// `ntp_print`).
pub fn print(nd: &mut Nd<'_>, data: &[u8], length: u32) -> PResult {
    nd.protocol = "ntp";
    let status = get_u8(data, field::STATUS)?;
    let version = (status & 0x38) >> 3;
    let mode = status & 0x07;
    let mode_name = MODES
        .get(usize::from(mode))
        .copied()
        .unwrap_or("Unknown mode");
    nd.print("NTPv");
    nd.print_dec(version);
    nd.print(", ");
    nd.print(mode_name);
    nd.print(", length ");
    nd.print_dec(length);
    if nd.opts.v == 0 {
        return Ok(());
    }
    nd.print("\n");
    let leap = status & 0xc0;
    {
        let v0 = leap_name(leap);
        nd.print("\tLeap indicator: ");
        nd.print(v0);
        nd.print(" (");
        nd.print_dec(leap);
        nd.print(")");
    };
    match mode {
        MODE_CONTROL => control_print(nd, data, length),
        MODE_PRIVATE => Ok(()),
        _ => time_msg_print(nd, data, length),
    }
}

/// Modes 0-5: the time message (print-ntp.c `ntp_time_print`).
fn time_msg_print(nd: &mut Nd<'_>, data: &[u8], length: u32) -> PResult {
    if length < TIMEMSG_MINLEN {
        return invalid(nd, data, length);
    }
    let stratum = get_u8(data, field::STRATUM)?;
    {
        let v0 = stratum_name(stratum);
        nd.print(", Stratum ");
        nd.print_dec(stratum);
        nd.print(" (");
        nd.print(v0);
        nd.print(")");
    };
    let poll = get_u8(data, field::PPOLL)? as i8;
    nd.print(", poll ");
    nd.print_dec(poll);
    poll_print(nd, poll);
    let precision = get_u8(data, field::PRECISION)? as i8;
    nd.print(", precision ");
    nd.print_dec(precision);

    if !ttest(data, field::ROOT_DELAY, 4) {
        return trunc(nd);
    }
    nd.print("\n\tRoot Delay: ");
    sfix_print(nd, data, field::ROOT_DELAY)?;
    if !ttest(data, field::ROOT_DISPERSION, 4) {
        return trunc(nd);
    }
    nd.print(", Root dispersion: ");
    sfix_print(nd, data, field::ROOT_DISPERSION)?;

    if !ttest(data, field::REFID, 4) {
        return trunc(nd);
    }
    nd.print(", Reference-ID: ");
    match stratum {
        0 => nd.print("(unspec)"),
        1 => {
            for c in get_array::<4>(data, field::REFID)? {
                super::util::fn_print_char(nd, c);
            }
        }
        INFO_QUERY | INFO_REPLY => {
            let refid = Ipv4Addr::from(get_array::<4>(data, field::REFID)?);
            print_addr(nd, IpAddr::V4(refid));
            let what = if stratum == INFO_QUERY {
                "QUERY"
            } else {
                "REPLY"
            };
            nd.print(" INFO_");
            nd.print(what);
            return Ok(());
        }
        _ => {
            let v0 = get_be_u32(data, field::REFID)?;
            nd.print("0x");
            nd.print_hex(v0, 8);
        }
    }

    let stamps = [
        ("\n\t  Reference Timestamp:  ", field::REF_TIMESTAMP),
        ("\n\t  Originator Timestamp: ", field::ORG_TIMESTAMP),
        ("\n\t  Receive Timestamp:    ", field::REC_TIMESTAMP),
        ("\n\t  Transmit Timestamp:   ", field::XMT_TIMESTAMP),
    ];
    for (label, at) in stamps {
        if !ttest(data, at, 8) {
            return trunc(nd);
        }
        nd.print(label);
        time_at(nd, data, at)?;
    }
    nd.print("\n\t    Originator - Receive Timestamp:  ");
    delta_print(nd, data, field::ORG_TIMESTAMP, field::REC_TIMESTAMP)?;
    nd.print("\n\t    Originator - Transmit Timestamp: ");
    delta_print(nd, data, field::ORG_TIMESTAMP, field::XMT_TIMESTAMP)?;
    trailer_print(nd, data, length)
}

/// What follows the 48-byte message: a key id alone (crypto-NAK), with a 128- or 160-bit
/// digest, or a count of the bytes tcpdump does not interpret (extension fields).
fn trailer_print(nd: &mut Nd<'_>, data: &[u8], length: u32) -> PResult {
    let digest_words = match length - TIMEMSG_MINLEN {
        0 => return Ok(()),
        4 => 0,
        20 => 4,
        24 => 5,
        more => {
            nd.print("\n\t(");
            nd.print_dec(more);
            nd.print(" more bytes after the header)");
            return Ok(());
        }
    };
    {
        let v0 = get_be_u32(data, field::KEY_ID)?;
        nd.print("\n\tKey id: ");
        nd.print_dec(v0);
    };
    if digest_words == 0 {
        return Ok(());
    }
    if !ttest(data, field::DIGEST, digest_words * 4) {
        return trunc(nd);
    }
    let digest = get_bytes(data, field::DIGEST, digest_words * 4)?;
    nd.print("\n\tAuthentication: ");
    hex_groups_print(nd, digest, 4, "", "");
    Ok(())
}

/// Mode 6 (print-ntp.c `ntp_control_print`).
fn control_print(nd: &mut Nd<'_>, data: &[u8], length: u32) -> PResult {
    if length < CTRLMSG_MINLEN {
        return invalid(nd, data, length);
    }
    let control = get_u8(data, field::CONTROL)?;
    nd_print!(
        nd,
        ", {}, {}, {}, OpCode={}\n",
        if control & 0x80 != 0 {
            "Response"
        } else {
            "Request"
        },
        if control & 0x40 != 0 { "Error" } else { "OK" },
        if control & 0x20 != 0 { "More" } else { "Last" },
        control & 0x1f
    );
    {
        let v0 = get_be_u16(data, field::SEQUENCE)?;
        nd.print("\tSequence=");
        nd.print_dec(v0);
    };
    let status = get_be_u16(data, field::CTL_STATUS)?;
    // C's `%#hx` prints 0 without the 0x prefix.
    if status == 0 {
        nd.print(", Status=0");
    } else {
        nd_print!(nd, ", Status={status:#x}");
    }
    {
        let v0 = get_be_u16(data, field::ASSOC)?;
        nd.print(", Assoc.=");
        nd.print_dec(v0);
    };
    {
        let v0 = get_be_u16(data, field::OFFSET)?;
        nd.print(", Offset=");
        nd.print_dec(v0);
    };
    let count = get_be_u16(data, field::COUNT)?;
    nd.print(", Count=");
    nd.print_dec(count);
    if CTRLMSG_MINLEN + u32::from(count) > length {
        return invalid(nd, data, length);
    }
    if count != 0 {
        if !ttest(data, field::DATA, usize::from(count)) {
            return trunc(nd);
        }
        nd.print("\n\tTO-BE-DONE: data not interpreted");
    }
    Ok(())
}

/// ` (invalid)`, then ` [|ntp]` when the message was not captured whole.
fn invalid(nd: &mut Nd<'_>, data: &[u8], length: u32) -> PResult {
    print_invalid(nd);
    if ttest(data, 0, length as usize) {
        Ok(())
    } else {
        trunc(nd)
    }
}

/// ` [|ntp]` where print-ntp.c checks with `ND_TCHECK_*` and returns normally: unlike a
/// failed `GET_*` (`Err(Trunc)`), the hex dump that follows still skips the link header.
fn trunc(nd: &mut Nd<'_>) -> PResult {
    print_trunc(nd);
    Ok(())
}

/// The poll interval in seconds, `2^poll` (print-ntp.c `p_poll`).
fn poll_print(nd: &mut Nd<'_>, poll: i8) {
    match poll {
        -31..=-1 => {
            let v0 = 1u32 << -poll;
            nd.print(" (1/");
            nd.print_dec(v0);
            nd.print("s)");
        }
        0..=31 => {
            let v0 = 1u32 << poll;
            nd.print(" (");
            nd.print_dec(v0);
            nd.print("s)");
        }
        _ => {}
    }
}

/// A 16.16 fixed-point number, the fraction in millionths (print-ntp.c `p_sfix`).
fn sfix_print(nd: &mut Nd<'_>, data: &[u8], at: usize) -> PResult {
    let int = get_be_u16(data, at)?;
    let frac = f64::from(get_be_u16(data, at + 2)?) / 65536.0;
    {
        let v0 = (frac * 1_000_000.0) as u32;
        nd.print_dec(int);
        nd.print(".");
        nd.print_pad(v0, 6);
    };
    Ok(())
}

/// The 64-bit timestamp at `at` (ntp.c `p_ntp_time`).
pub(super) fn time_at(nd: &mut Nd<'_>, data: &[u8], at: usize) -> PResult {
    let int = get_be_u32(data, at)?;
    let frac = get_be_u32(data, at + 4)?;
    time_print(nd, int, frac);
    Ok(())
}

/// `SECONDS.NANOSECONDS`, and for a non-zero time its UTC date in ISO 8601 (ntp.c
/// `p_ntp_time` with `strftime`).
fn time_print(nd: &mut Nd<'_>, int: u32, frac: u32) {
    // `%u.%09u ( %Y-%m-%dT%H:%M:%SZ)` without the formatting machinery: an NTP packet
    // carries four of these.
    nd.print_u32(int);
    nd.print(".");
    write_pad(nd.out, billionths(frac), 9);
    if int != 0 {
        let unix = i64::from(int) - JAN_1970;
        let (days, secs) = (unix.div_euclid(86_400), unix.rem_euclid(86_400));
        // The date is kept per day: a packet's four times are mostly of one day.
        let Ok(()) = cached(
            nd,
            |s| &mut s.ntp_days,
            days as u64,
            days,
            |nd| {
                let (y, m, d) = civil_from_days(days);
                // An unsigned 32-bit count of seconds from 1900 stays within the years 1900-2036.
                for (sep, n, width) in [(" (", y as u32, 4), ("-", m, 2), ("-", d, 2)] {
                    nd.print(sep);
                    write_pad(nd.out, n, width);
                }
                nd.print("T");
                Ok::<(), Infallible>(())
            },
        );
        let clock = [
            (secs / 3600) as u32,
            (secs / 60 % 60) as u32,
            (secs % 60) as u32,
        ];
        for (i, n) in clock.into_iter().enumerate() {
            if i > 0 {
                nd.print(":");
            }
            write_pad(nd.out, n, 2);
        }
        nd.print("Z)");
    }
}

/// A 32-bit binary fraction in billionths, computed as ntp.c does, through a double.
fn billionths(frac: u32) -> u32 {
    (f64::from(frac) / FMAXINT * 1_000_000_000.0) as u32
}

/// The year, month and day of a count of days since 1970-01-01 in the proleptic Gregorian
/// calendar (what `gmtime` computes).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// The signed difference of the timestamps at `new` and `old`, or the `new` timestamp itself
/// when `old` is zero (print-ntp.c `p_ntp_delta`).
fn delta_print(nd: &mut Nd<'_>, data: &[u8], old: usize, new: usize) -> PResult {
    let (u, uf) = (get_be_u32(data, new)?, get_be_u32(data, new + 4)?);
    let (ou, ouf) = (get_be_u32(data, old)?, get_be_u32(data, old + 4)?);
    if ou == 0 && ouf == 0 {
        time_print(nd, u, uf);
        return Ok(());
    }
    // Unsigned 32-bit arithmetic with wrap-around, as in the C.
    let (negative, i, f) = if u > ou {
        let borrow = u32::from(ouf > uf);
        (false, (u - ou).wrapping_sub(borrow), uf.wrapping_sub(ouf))
    } else if u < ou {
        let borrow = u32::from(uf > ouf);
        (true, (ou - u).wrapping_sub(borrow), ouf.wrapping_sub(uf))
    } else if uf > ouf {
        (false, 0, uf - ouf)
    } else {
        (true, 0, ouf - uf)
    };
    let sign = if negative { "-" } else { "+" };
    {
        let v0 = billionths(f);
        nd.print(sign);
        nd.print_dec(i);
        nd.print(".");
        nd.print_pad(v0, 9);
    };
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capture::print::testing::run;

    /// An NTPv4 server reply: stratum 2, poll 6, precision -23, reference 192.0.2.1.
    fn reply() -> Vec<u8> {
        let mut d = vec![0x24, 2, 6, 0xe9];
        d.extend_from_slice(&[0, 0, 0x08, 0x00, 0, 0, 0x10, 0x00]); // root delay, dispersion
        d.extend_from_slice(&[192, 0, 2, 1]); // reference id
        for stamp in [0xe9b5_3c00u32, 0xe9b5_3c10, 0xe9b5_3c10, 0xe9b5_3c11] {
            d.extend_from_slice(&stamp.to_be_bytes());
            d.extend_from_slice(&0x8000_0000u32.to_be_bytes());
        }
        d
    }

    #[test]
    fn civil_dates_match_gmtime() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(-25_567), (1900, 1, 1));
        assert_eq!(civil_from_days(19_000), (2022, 1, 8));
        assert_eq!(civil_from_days(24_142), (2036, 2, 6));
    }

    #[test]
    fn without_v_one_line() {
        let (out, r) = run(print, &reply(), 48, 0);
        assert_eq!(r, Ok(()));
        assert!(!out.contains('\n'), "{out}");
    }

    #[test]
    fn every_prefix_prints_without_panic_and_ends_truncated() {
        let d = reply();
        for cut in 0..d.len() {
            let (out, r) = run(print, d.get(..cut).unwrap_or(&[]), 48, 2);
            assert!(r.is_err() || out.ends_with(" [|ntp]"), "cut {cut}: {out}");
        }
    }

    crate::arbitrary_bytes_never_panic!(print);
}
