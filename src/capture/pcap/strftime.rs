//! `strftime(3)` as glibc 2.36 formats in the C locale, for the `-G` file names of
//! `echolab dump -w` (tcpdump 4.99.3 passes the `-w` name through `strftime` with the local
//! time of the rotation). Conversions, the flags `_ - 0 ^ #`, a width, the `E` and `O`
//! modifiers where glibc takes them; an unknown conversion is copied as it stands, as glibc
//! does. The pattern and the result are bytes: a file name need not be UTF-8.
//!
//! Must not import `crate::echo` or `crate::cli`.

use jiff::civil::DateTime;
use jiff::tz::TimeZone;
use jiff::Timestamp;

const DAYS: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];
const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// One moment as `localtime(3)` breaks it down.
struct Tm {
    dt: DateTime,
    /// Seconds since the epoch (`%s`).
    epoch: i64,
    /// Seconds east of UTC (`%z`).
    offset: i32,
    /// The zone's abbreviation (`%Z`).
    zone: String,
}

/// `pattern` formatted for the moment `epoch` (seconds since 1970) in `tz`.
pub fn format(pattern: &[u8], epoch: i64, tz: &TimeZone) -> Vec<u8> {
    let ts = Timestamp::from_second(epoch).unwrap_or(Timestamp::UNIX_EPOCH);
    let info = tz.to_offset_info(ts);
    let tm = Tm {
        dt: tz.to_datetime(ts),
        epoch: ts.as_second(),
        offset: info.offset().seconds(),
        zone: info.abbreviation().to_string(),
    };
    let mut out = Vec::with_capacity(pattern.len() + 16);
    render(pattern, &tm, &mut out);
    out
}

/// How one conversion was asked for: `%[flags][width][E|O]c`.
#[derive(Default, Clone, Copy)]
struct Spec {
    /// `_`, `-` or `0`, the last one given.
    pad: Option<u8>,
    upper: bool,
    /// `#`: swap case (upper for names, lower for `%p` and `%Z`).
    swap: bool,
    width: usize,
}

fn render(pattern: &[u8], tm: &Tm, out: &mut Vec<u8>) {
    let mut i = 0;
    while let Some(&b) = pattern.get(i) {
        if b != b'%' {
            out.push(b);
            i += 1;
            continue;
        }
        let start = i;
        i += 1;
        let mut spec = Spec::default();
        while let Some(&f) = pattern.get(i) {
            match f {
                b'_' | b'-' | b'0' => spec.pad = Some(f),
                b'^' => spec.upper = true,
                b'#' => spec.swap = true,
                _ => break,
            }
            i += 1;
        }
        while let Some(d) = pattern.get(i).filter(|d| d.is_ascii_digit()) {
            spec.width = spec
                .width
                .saturating_mul(10)
                .saturating_add(usize::from(d - b'0'));
            i += 1;
        }
        let modifier = pattern.get(i).copied().filter(|m| *m == b'E' || *m == b'O');
        if modifier.is_some() {
            i += 1;
        }
        let conv = pattern.get(i).copied();
        let allowed = match (modifier, conv) {
            (None, _) => true,
            (Some(b'E'), Some(c)) => b"cCxXyY".contains(&c),
            (Some(_), Some(c)) => b"bBdeHhIklmMSUuVwWy".contains(&c),
            _ => false,
        };
        let done = allowed && conv.is_some_and(|c| convert(c, spec, tm, out));
        if !done {
            // glibc copies an unknown conversion (or a lone `%` at the end) as it stands.
            let end = (i + 1).min(pattern.len());
            let text = pattern.get(start..end).unwrap_or(&[]);
            pad_text(text, spec, out);
        }
        i += 1;
    }
}

/// Append conversion `c`; false when glibc knows no such conversion.
fn convert(c: u8, spec: Spec, tm: &Tm, out: &mut Vec<u8>) -> bool {
    let dt = &tm.dt;
    let year = i64::from(dt.year());
    let wday = i64::from(dt.weekday().to_sunday_zero_offset());
    let yday = i64::from(dt.day_of_year()) - 1;
    let hour12 = (i64::from(dt.hour()) + 11) % 12 + 1;
    let iso = dt.date().iso_week_date();
    match c {
        b'a' | b'A' | b'b' | b'B' | b'h' => {
            let full = match c {
                b'a' | b'A' => DAYS.get(wday as usize),
                _ => MONTHS.get(usize::from(dt.month().unsigned_abs()).saturating_sub(1)),
            };
            let full = full.copied().unwrap_or("?");
            let name = if c == b'A' || c == b'B' {
                full
            } else {
                full.get(..3).unwrap_or(full)
            };
            let upper = spec.upper || spec.swap;
            case_text(name, upper, false, spec, out);
        }
        b'p' | b'P' => {
            let name = if dt.hour() < 12 { "AM" } else { "PM" };
            let lower = c == b'P' || spec.swap;
            case_text(name, spec.upper && !lower, lower, spec, out);
        }
        b'Z' => case_text(&tm.zone, spec.upper, spec.swap, spec, out),
        b'c' => composite(b"%a %b %e %H:%M:%S %Y", spec, tm, out),
        b'D' | b'x' => composite(b"%m/%d/%y", spec, tm, out),
        b'F' => composite(b"%Y-%m-%d", spec, tm, out),
        b'r' => composite(b"%I:%M:%S %p", spec, tm, out),
        b'R' => composite(b"%H:%M", spec, tm, out),
        b'T' | b'X' => composite(b"%H:%M:%S", spec, tm, out),
        b'n' => pad_text(b"\n", spec, out),
        b't' => pad_text(b"\t", spec, out),
        b'%' => pad_text(b"%", spec, out),
        b'C' => number(year.div_euclid(100), 1, spec, out),
        b'd' => number(i64::from(dt.day()), 2, spec, out),
        b'e' => number(i64::from(dt.day()), 2, spaced(spec), out),
        b'G' => number(i64::from(iso.year()), 1, spec, out),
        b'g' => number(i64::from(iso.year()).rem_euclid(100), 2, spec, out),
        b'H' => number(i64::from(dt.hour()), 2, spec, out),
        b'I' => number(hour12, 2, spec, out),
        b'j' => number(yday + 1, 3, spec, out),
        b'k' => number(i64::from(dt.hour()), 2, spaced(spec), out),
        b'l' => number(hour12, 2, spaced(spec), out),
        b'm' => number(i64::from(dt.month()), 2, spec, out),
        b'M' => number(i64::from(dt.minute()), 2, spec, out),
        b's' => number(tm.epoch, 1, spec, out),
        b'S' => number(i64::from(dt.second()), 2, spec, out),
        b'u' => number(if wday == 0 { 7 } else { wday }, 1, spec, out),
        b'U' => number((yday + 7 - wday) / 7, 2, spec, out),
        b'V' => number(i64::from(iso.week()), 2, spec, out),
        b'w' => number(wday, 1, spec, out),
        b'W' => number((yday + 7 - (wday + 6) % 7) / 7, 2, spec, out),
        b'y' => number(year.rem_euclid(100), 2, spec, out),
        b'Y' => number(year, 1, spec, out),
        b'z' => {
            // glibc writes the sign as a text of its own, then hhmm as a 4-digit number,
            // each padded to the width.
            let sign: &[u8] = if tm.offset < 0 { b"-" } else { b"+" };
            pad_text(sign, spec, out);
            let minutes = i64::from(tm.offset.unsigned_abs() / 60);
            number(minutes / 60 * 100 + minutes % 60, 4, spec, out);
        }
        _ => return false,
    }
    true
}

/// `%e`, `%k`, `%l`: padded with spaces unless `0` or `-` says otherwise.
fn spaced(spec: Spec) -> Spec {
    match spec.pad {
        Some(b'0') | Some(b'-') => spec,
        _ => Spec {
            pad: Some(b'_'),
            ..spec
        },
    }
}

/// A number of at least `digits` digits (or the width): zeros, `_` spaces, `-` none (the
/// width then pads with spaces).
fn number(v: i64, digits: usize, spec: Spec, out: &mut Vec<u8>) {
    let body = v.unsigned_abs().to_string();
    let sign = if v < 0 { "-" } else { "" };
    let text = match spec.pad {
        Some(b'-') => format!("{sign}{body}"),
        Some(b'_') => format!(
            "{:>w$}",
            format!("{sign}{body}"),
            w = digits.max(spec.width)
        ),
        _ => {
            let w = digits.max(spec.width).saturating_sub(sign.len());
            format!("{sign}{body:0>w$}")
        }
    };
    pad_text(text.as_bytes(), spec, out);
}

/// A name, in upper or lower case as asked, then padded.
fn case_text(text: &str, upper: bool, lower: bool, spec: Spec, out: &mut Vec<u8>) {
    let text = if upper {
        text.to_ascii_uppercase()
    } else if lower {
        text.to_ascii_lowercase()
    } else {
        text.to_string()
    };
    pad_text(text.as_bytes(), spec, out);
}

/// `%c`, `%D`, `%F`, … : the pattern's text, upper-cased by `^`, then padded.
fn composite(pattern: &[u8], spec: Spec, tm: &Tm, out: &mut Vec<u8>) {
    let mut text = Vec::new();
    render(pattern, tm, &mut text);
    if spec.upper {
        text.make_ascii_uppercase();
    }
    pad_text(&text, spec, out);
}

/// `text` right-aligned to the width: zeros with the `0` flag, else spaces.
fn pad_text(text: &[u8], spec: Spec, out: &mut Vec<u8>) {
    let fill = if spec.pad == Some(b'0') { b'0' } else { b' ' };
    let short = spec.width.saturating_sub(text.len());
    out.extend(std::iter::repeat_n(fill, short));
    out.extend_from_slice(text);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(pattern: &str, epoch: i64) -> String {
        String::from_utf8(format(pattern.as_bytes(), epoch, &TimeZone::UTC)).unwrap()
    }

    #[test]
    fn common_names() {
        // 2026-12-04 12:16:15 UTC, a Friday.
        let t = 1_796_386_575;
        assert_eq!(utc("out-%Y%m%d-%H%M%S.pcap", t), "out-20261204-121615.pcap");
        assert_eq!(utc("%s", t), "1796386575");
        assert_eq!(
            utc("%c|%e|%-d|%_5d|%10a|%^b", t),
            "Fri Dec  4 12:16:15 2026| 4|4|    4|       Fri|DEC"
        );
        assert_eq!(utc("%q|%Ed|%|", t), "%q|%Ed|%|");
        assert_eq!(utc("%", t), "%");
    }
}
