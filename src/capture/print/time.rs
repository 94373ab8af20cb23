//! Timestamps (`ts_print` in print.c, `ts_date_hmsfrac_print` / `ts_unix_print` in
//! util-print.c at tcpdump-4.99.3): the default local time of day, `-t` none, `-tt` Unix
//! seconds, `-ttt` delta from the previous packet, `-tttt` date and time, `-ttttt` delta from
//! the first packet; six or nine fraction digits (`--time-stamp-precision`).
//!
//! Local time is computed from the time zone the caller hands in (`PrintOptions::tz`, the
//! tz database entry named by `TZ`, as `localtime(3)` does); this module reads no clock and no
//! environment.

use std::fmt::Write as _;

use super::digits::{three_digits, write_pad, write_u32};

pub use crate::capture::record::Stamp;

/// The longest local time text: a ten-digit year (`localtime` fails beyond `int` years),
/// sign included, then `-MM-DD HH:MM:SS`.
const TEXT_MAX: usize = 32;

/// The Gregorian calendar repeats every 400 years, and 400 years are a whole number of weeks:
/// a time zone's rules give the same offset to two instants this far apart.
const GREGORIAN_CYCLE_SECS: i64 = 146_097 * 86_400;

/// First/previous reference time and a one-second cache of the formatted local time.
#[derive(Debug, Default)]
pub struct TimeState {
    /// tcpdump's `tv_ref`: `(sec, fraction)` in the printing precision; `(0, 0)` is unset.
    pub reference: (i64, i64),
    /// The last second formatted and whether with the date, its text in `cache_text`.
    cache: Option<(i64, bool)>,
    /// `HH:MM:SS` or `YYYY-MM-DD HH:MM:SS` of the second in `cache`.
    cache_text: String,
}

/// What `ts_print` needs from the options.
#[derive(Debug, Clone, Copy)]
pub struct TimeFormat<'a> {
    /// The `-t` count.
    pub t: u8,
    /// Nanosecond precision.
    pub nano: bool,
    /// The local time zone; `None` is UTC.
    pub tz: Option<&'a jiff::tz::TimeZone>,
}

/// Appends the packet's time stamp and its trailing space (nothing for `-t`).
pub fn print(out: &mut String, st: &mut TimeState, fmt: TimeFormat<'_>, ts: Stamp) {
    let unit: i64 = if fmt.nano { 1_000_000_000 } else { 1_000_000 };
    let frac = ts.frac;
    match fmt.t {
        0 if clock_line(out, st, ts.sec, frac, fmt.nano) => {}
        0 => {
            date_time(out, st, fmt, ts.sec, frac, false);
            out.push(' ');
        }
        1 => {}
        2 => {
            if bad_time(ts.sec) {
                out.push_str("[Error converting time]");
            } else {
                write_u32(out, ts.sec as u32);
                frac_print(out, fmt.nano, frac);
            }
            out.push(' ');
        }
        3 | 5 => delta(out, st, fmt, (ts.sec, frac), unit),
        4 => {
            date_time(out, st, fmt, ts.sec, frac, true);
            out.push(' ');
        }
        // ts_print has no case for six or more `-t`: nothing is printed.
        _ => {}
    }
}

/// The default stamp `HH:MM:SS.ffffff ` of a second already formatted, put together in one
/// piece and appended at once (the common case: one packet after another in the same
/// second); false when the second is not the cached one or the fraction is out of range.
fn clock_line(out: &mut String, st: &TimeState, sec: i64, frac: i64, nano: bool) -> bool {
    let (digits, unit) = if nano {
        (9, 1_000_000_000)
    } else {
        (6, 1_000_000)
    };
    if st.cache != Some((sec, false)) || !(0..unit).contains(&frac) || st.cache_text.len() != 8 {
        return false;
    }
    let mut line = [b' '; 19];
    let (Some(clock), Some(dst)) = (st.cache_text.as_bytes().get(..8), line.get_mut(..8)) else {
        return false;
    };
    dst.copy_from_slice(clock);
    if let Some(dot) = line.get_mut(8) {
        *dot = b'.';
    }
    let mut rest = frac as u32;
    for group in (0..digits / 3).rev() {
        let at = 9 + group * 3;
        if let Some(dst) = line.get_mut(at..at + 3) {
            dst.copy_from_slice(&three_digits(rest % 1000));
        }
        rest /= 1000;
    }
    match line.get(..10 + digits).map(std::str::from_utf8) {
        Some(Ok(text)) => {
            out.push_str(text);
            true
        }
        _ => false,
    }
}

/// tcpdump refuses times whose low 32 bits have the sign bit set.
fn bad_time(sec: i64) -> bool {
    (sec as u32) & 0x8000_0000 != 0
}

/// The fraction as util-print.c prints it: `%06u` or `%09u` of `(unsigned)tv_usec`, so a
/// damaged file's out-of-range fraction shows with all its digits.
fn frac_print(out: &mut String, nano: bool, frac: i64) {
    out.push('.');
    write_pad(out, frac as u32, if nano { 9 } else { 6 });
}

/// `HH:MM:SS` of `secs` into the day.
fn clock(out: &mut String, secs: i64) {
    for (i, part) in [secs / 3600, secs / 60 % 60, secs % 60]
        .into_iter()
        .enumerate()
    {
        if i > 0 {
            out.push(':');
        }
        write_pad(out, part as u32, 2);
    }
}

/// `-ttt` and `-ttttt`: the difference to the reference time, as a UTC time of day.
fn delta(out: &mut String, st: &mut TimeState, fmt: TimeFormat<'_>, now: (i64, i64), unit: i64) {
    if st.reference == (0, 0) {
        st.reference = now;
    }
    let r = st.reference;
    let negative = now < r;
    let (hi, lo) = if negative { (r, now) } else { (now, r) };
    // netdissect_timevalsub: subtract in `long`, then borrow once if the fraction went
    // negative (a damaged fraction can stay out of range).
    let mut sec = hi.0.wrapping_sub(lo.0);
    let mut frac = hi.1.wrapping_sub(lo.1);
    if frac < 0 {
        sec = sec.wrapping_sub(1);
        frac = frac.wrapping_add(unit);
    }
    out.push(if negative { '-' } else { ' ' });
    if bad_time(sec) || !gmtime_converts(sec) {
        out.push_str("[Error converting time]");
    } else {
        let s = sec.rem_euclid(86_400);
        clock(out, s);
        frac_print(out, fmt.nano, frac);
    }
    out.push(' ');
    if fmt.t == 3 {
        st.reference = now;
    }
}

/// `HH:MM:SS.frac` or `YYYY-MM-DD HH:MM:SS.frac` in local time.
fn date_time(
    out: &mut String,
    st: &mut TimeState,
    fmt: TimeFormat<'_>,
    sec: i64,
    frac: i64,
    with_date: bool,
) {
    if bad_time(sec) {
        out.push_str("[Error converting time]");
        return;
    }
    if st.cache != Some((sec, with_date)) {
        st.cache = None;
        st.cache_text.clear();
        if format_local(&mut st.cache_text, sec, fmt.tz, with_date).is_none() {
            out.push_str("[Error converting time]");
            return;
        }
        st.cache = Some((sec, with_date));
    }
    out.push_str(&st.cache_text);
    frac_print(out, fmt.nano, frac);
}

/// The local civil time of `sec`, appended to `s`; `None` where `localtime(3)` fails: the
/// year does not fit tm_year's `int`.
fn format_local(
    s: &mut String,
    sec: i64,
    tz: Option<&jiff::tz::TimeZone>,
    with_date: bool,
) -> Option<()> {
    let offset = match tz {
        Some(tz) => utc_offset(tz, sec)?,
        None => 0,
    };
    let local = sec.checked_add(offset)?;
    let (days, secs) = (local.div_euclid(86_400), local.rem_euclid(86_400));
    let (y, m, d) = civil_from_days(days);
    let tm_year = tm_year(y)?;
    s.reserve(TEXT_MAX);
    if with_date {
        // strftime's `%Y` is `tm_year + 1900` in `int` arithmetic, without padding.
        let year = tm_year.wrapping_add(1900);
        let _ = write!(s, "{year}-{m:02}-{d:02} ");
    }
    clock(s, secs);
    Some(())
}

/// `struct tm`'s `tm_year` for `year`; `None` where it does not fit its `int` (glibc's
/// `gmtime`/`localtime` fail with `EOVERFLOW`, tcpdump prints `[Error converting time]`).
fn tm_year(year: i64) -> Option<i32> {
    i32::try_from(year.checked_sub(1900)?).ok()
}

/// Whether `gmtime(3)` can convert `sec`.
fn gmtime_converts(sec: i64) -> bool {
    tm_year(civil_from_days(sec.div_euclid(86_400)).0).is_some()
}

/// The offset from UTC of `tz` at `sec`. Past the years the tz library covers (beyond 9999),
/// `localtime(3)` keeps applying the zone's rule for the future (the POSIX TZ string of its
/// tzfile); the rule gives the same offset whole 400-year cycles earlier, where it can be
/// asked.
fn utc_offset(tz: &jiff::tz::TimeZone, sec: i64) -> Option<i64> {
    let max = jiff::Timestamp::MAX.as_second();
    let min = jiff::Timestamp::MIN.as_second();
    let shifted = if sec > max {
        let cycles = (sec - max) / GREGORIAN_CYCLE_SECS + 1;
        sec.checked_sub(cycles.checked_mul(GREGORIAN_CYCLE_SECS)?)?
    } else if sec < min {
        let cycles = (min - sec) / GREGORIAN_CYCLE_SECS + 1;
        sec.checked_add(cycles.checked_mul(GREGORIAN_CYCLE_SECS)?)?
    } else {
        sec
    };
    let t = jiff::Timestamp::from_second(shifted).ok()?;
    Some(i64::from(tz.to_offset(t).seconds()))
}

/// Days since 1970-01-01 to (year, month, day) in the proleptic Gregorian calendar
/// (H. Hinnant's `civil_from_days`).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
#[allow(clippy::expect_used)]
mod tests {
    use super::*;
    use crate::capture::record::Timestamp;

    fn fmt(t: u8, nano: bool) -> TimeFormat<'static> {
        TimeFormat { t, nano, tz: None }
    }

    fn ts(sec: i64, nsec: u32) -> Stamp {
        Stamp::of(Timestamp { sec, nsec }, false)
    }

    #[test]
    fn civil_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(19_675), (2023, 11, 14));
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
    }

    #[test]
    fn formats() {
        let mut st = TimeState::default();
        let mut out = String::new();
        print(
            &mut out,
            &mut st,
            fmt(0, false),
            ts(1_700_000_000, 123_456_789),
        );
        print(
            &mut out,
            &mut st,
            fmt(4, true),
            Stamp::of(
                Timestamp {
                    sec: 1_700_000_000,
                    nsec: 123_456_789,
                },
                true,
            ),
        );
        print(&mut out, &mut st, fmt(2, false), ts(1_700_000_000, 5_000));
        print(&mut out, &mut st, fmt(1, false), ts(1, 1));
        print(&mut out, &mut st, fmt(2, false), ts(-1, 0));
        assert_eq!(
            out,
            "22:13:20.123456 2023-11-14 22:13:20.123456789 1700000000.000005 \
             [Error converting time] "
        );
    }

    #[test]
    fn deltas() {
        let mut st = TimeState::default();
        let mut out = String::new();
        for (s, n) in [(10, 500_000), (11, 250_000), (9, 0)] {
            print(&mut out, &mut st, fmt(3, false), ts(s, n));
        }
        assert_eq!(out, " 00:00:00.000000  00:00:00.999750 -00:00:02.000250 ");
    }

    #[test]
    fn far_future_offsets_follow_the_zone_rule() {
        let tz = jiff::tz::TimeZone::posix("EST5EDT,M3.2.0,M11.1.0").expect("valid POSIX TZ");
        // 9000-07-01 and 9000-01-01 UTC, then the same instants 400 and 4000 cycles later.
        for sec in [221_861_030_400_i64, 221_845_392_000] {
            let near = utc_offset(&tz, sec).expect("in range");
            for cycles in [400, 4000] {
                let far = sec + cycles * GREGORIAN_CYCLE_SECS;
                assert_eq!(utc_offset(&tz, far), Some(near), "{far}");
            }
        }
        assert_eq!(utc_offset(&tz, 221_861_030_400), Some(-4 * 3600));
        assert_eq!(utc_offset(&tz, 221_845_392_000), Some(-5 * 3600));
    }

    #[test]
    fn years_beyond_int_fail_like_localtime() {
        let mut text = String::new();
        assert!(format_local(&mut text, i64::MAX / 2, None, true).is_none());
        format_local(&mut text, 253_402_300_800, None, true).expect("year 10000");
        assert_eq!(text, "10000-01-01 00:00:00");
    }
}
