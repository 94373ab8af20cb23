//! Numbers and IPv4 addresses written into the packet's text from tables built at compile
//! time, without the formatting machinery (`write!` costs several times as much): the time
//! stamp, the addresses, ports, sequence numbers and lengths of every packet go through here.
//! The same text as `{}`, `{:0N}`, `{:0Nx}` would give.

// The tables are `str` constants built by macros (no arithmetic, only token repetition), so
// a number is appended with `push_str` of a slice whose length the compiler knows: one
// capacity check and a two- or three-byte store instead of a check per character.

/// Three digits `$a $b` then each of the rest, as one string.
macro_rules! digits3 {
    (@mid $a:tt $($b:tt)*) => { concat!($(digits3!(@low $a $b 0 1 2 3 4 5 6 7 8 9)),*) };
    (@low $a:tt $b:tt $($c:tt)*) => { concat!($(stringify!($a), stringify!($b), stringify!($c)),*) };
    ($($a:tt)*) => { concat!($(digits3!(@mid $a 0 1 2 3 4 5 6 7 8 9)),*) };
}

/// Two hex digits: `$a` then each of the rest, as one string.
macro_rules! hex2 {
    (@low $a:tt $($b:tt)*) => { concat!($(stringify!($a), stringify!($b)),*) };
    ($($a:tt)*) => { concat!($(hex2!(@low $a 0 1 2 3 4 5 6 7 8 9 a b c d e f)),*) };
}

/// `000` to `999`, three digits each.
const PAD3: &str = digits3!(0 1 2 3 4 5 6 7 8 9);

/// `00` to `ff`, two lower-case hex digits each.
const HEX2: &str = hex2!(0 1 2 3 4 5 6 7 8 9 a b c d e f);

/// `n` (below 1000) as three digits.
fn three(n: u32) -> &'static str {
    let at = n as usize * 3;
    PAD3.get(at..at + 3).unwrap_or("000")
}

/// `n` (below 1000) as three ASCII digits.
pub fn three_digits(n: u32) -> [u8; 3] {
    let mut d = [b'0'; 3];
    if let Some(src) = three(n).as_bytes().get(..3) {
        d.copy_from_slice(src);
    }
    d
}

/// `n` below 1000, unpadded.
#[inline]
fn small(out: &mut String, n: u32) {
    let at = n as usize * 3;
    match n {
        0..=9 => out.push(char::from(b'0' + (n as u8 & 15))),
        10..=99 => out.push_str(PAD3.get(at + 1..at + 3).unwrap_or("00")),
        _ => out.push_str(PAD3.get(at..at + 3).unwrap_or("000")),
    }
}

/// `n` in decimal (`%u`). Inlined: most numbers of a line are below 1000, and then the
/// call would cost as much as the digits.
#[inline]
pub fn write_u32(out: &mut String, n: u32) {
    if n < 1000 {
        small(out, n);
    } else {
        write_large(out, n);
    }
}

/// `n` (1000 or more) in decimal.
fn write_large(out: &mut String, n: u32) {
    // Groups of three digits, the lowest first; a u32 has at most three below the top one.
    let (mut groups, mut k, mut m) = ([0u32; 3], 0, n);
    while m >= 1000 {
        if let Some(g) = groups.get_mut(k) {
            *g = m % 1000;
        }
        m /= 1000;
        k += 1;
    }
    small(out, m);
    for &g in groups.get(..k).unwrap_or(&[]).iter().rev() {
        out.push_str(three(g));
    }
}

/// `n` in decimal (`%d`).
pub fn write_i32(out: &mut String, n: i32) {
    if n < 0 {
        out.push('-');
    }
    write_u32(out, n.unsigned_abs());
}

/// `n` in decimal with zeros in front to `width` digits (`%0*u`).
pub fn write_pad(out: &mut String, n: u32, width: usize) {
    match width {
        2 if n < 100 => {
            let at = n as usize * 3;
            out.push_str(PAD3.get(at + 1..at + 3).unwrap_or("00"));
        }
        3 if n < 1000 => out.push_str(three(n)),
        4 if n < 10_000 => {
            out.push(char::from(b'0' + (n / 1000) as u8));
            out.push_str(three(n % 1000));
        }
        6 if n < 1_000_000 => {
            out.push_str(three(n / 1000));
            out.push_str(three(n % 1000));
        }
        9 if n < 1_000_000_000 => {
            out.push_str(three(n / 1_000_000));
            out.push_str(three(n / 1000 % 1000));
            out.push_str(three(n % 1000));
        }
        _ => {
            let digits = n.checked_ilog10().unwrap_or(0) as usize + 1;
            for _ in digits..width {
                out.push('0');
            }
            write_u32(out, n);
        }
    }
}

/// The byte `b` as two lower-case hex digits (`%02x`).
pub fn write_hex_byte(out: &mut String, b: u8) {
    let at = usize::from(b) * 2;
    out.push_str(HEX2.get(at..at + 2).unwrap_or("00"));
}

/// `n` in lower-case hex with zeros in front to `width` digits (`%0*x`; `%x` for width 1).
pub fn write_hex(out: &mut String, n: u32, width: usize) {
    if width == 4 && n <= 0xffff {
        // `%04x` of a 16-bit field (ethertypes, checksums): two table lookups.
        let [_, _, hi, lo] = n.to_be_bytes();
        write_hex_byte(out, hi);
        write_hex_byte(out, lo);
        return;
    }
    let digits = (n.checked_ilog2().unwrap_or(0) / 4 + 1) as usize;
    for _ in digits..width {
        out.push('0');
    }
    let bytes = n.to_be_bytes();
    let first = (8 - digits) / 2;
    for (i, &b) in bytes.iter().enumerate().skip(first) {
        if i == first && digits % 2 == 1 {
            // An odd count: the top byte's low digit only.
            let at = usize::from(b) * 2;
            out.push_str(HEX2.get(at + 1..at + 2).unwrap_or("0"));
        } else {
            write_hex_byte(out, b);
        }
    }
}

/// An IPv4 address in dotted decimal, as `inet_ntop` writes it.
pub fn write_ipv4(out: &mut String, [a, b, c, d]: [u8; 4]) {
    small(out, u32::from(a));
    out.push('.');
    small(out, u32::from(b));
    out.push('.');
    small(out, u32::from(c));
    out.push('.');
    small(out, u32::from(d));
}

/// An integer written as `{}` writes it.
pub trait Decimal: Copy {
    fn write_decimal(self, out: &mut String);
}

/// An unsigned integer written as `{:0Nx}` writes it.
pub trait LowerHex: Copy {
    fn write_lower_hex(self, out: &mut String, width: usize);
}

/// An unsigned integer written as `{:0N}` writes it.
pub trait PadDecimal: Copy {
    fn write_padded(self, out: &mut String, width: usize);
}

/// `n` in decimal (`%llu`).
pub fn write_u64(out: &mut String, n: u64) {
    match u32::try_from(n) {
        Ok(n) => write_u32(out, n),
        Err(_) => {
            write_u64(out, n / 1_000_000_000);
            write_pad(out, (n % 1_000_000_000) as u32, 9);
        }
    }
}

macro_rules! unsigned {
    ($($t:ty),*) => {$(
        impl Decimal for $t {
            #[inline]
            fn write_decimal(self, out: &mut String) {
                match u32::try_from(self) {
                    Ok(n) => write_u32(out, n),
                    Err(_) => write_u64(out, self as u64),
                }
            }
        }
        impl LowerHex for $t {
            fn write_lower_hex(self, out: &mut String, width: usize) {
                let n = self as u64;
                match u32::try_from(n) {
                    Ok(n) => write_hex(out, n, width),
                    Err(_) => {
                        write_hex(out, (n >> 32) as u32, width.saturating_sub(8));
                        write_hex(out, n as u32, 8);
                    }
                }
            }
        }
        impl PadDecimal for $t {
            fn write_padded(self, out: &mut String, width: usize) {
                match u32::try_from(self) {
                    Ok(n) => write_pad(out, n, width),
                    Err(_) => {
                        let n = self as u64;
                        let digits = n.checked_ilog10().unwrap_or(0) as usize + 1;
                        for _ in digits..width {
                            out.push('0');
                        }
                        write_u64(out, n);
                    }
                }
            }
        }
    )*};
}
unsigned!(u8, u16, u32, u64, usize);

macro_rules! signed {
    ($($t:ty),*) => {$(
        impl Decimal for $t {
            #[inline]
            fn write_decimal(self, out: &mut String) {
                if self < 0 {
                    out.push('-');
                }
                match u32::try_from(self.unsigned_abs()) {
                    Ok(n) => write_u32(out, n),
                    Err(_) => write_u64(out, self.unsigned_abs() as u64),
                }
            }
        }
    )*};
}
signed!(i8, i16, i32, i64, isize);

impl<T: Decimal> Decimal for &T {
    #[inline]
    fn write_decimal(self, out: &mut String) {
        (*self).write_decimal(out);
    }
}

impl<T: LowerHex> LowerHex for &T {
    fn write_lower_hex(self, out: &mut String, width: usize) {
        (*self).write_lower_hex(out, width);
    }
}

impl<T: PadDecimal> PadDecimal for &T {
    fn write_padded(self, out: &mut String, width: usize) {
        (*self).write_padded(out, width);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_traits_write_what_format_writes() {
        let wide = [
            0u64,
            7,
            255,
            65_535,
            u64::from(u32::MAX),
            u64::from(u32::MAX) + 1,
        ];
        for n in wide
            .into_iter()
            .chain([1_000_000_000_000, u64::MAX - 1, u64::MAX])
        {
            assert_eq!(text(|s| n.write_decimal(s)), n.to_string());
            for w in [0, 1, 2, 8, 9, 12, 16, 20] {
                assert_eq!(
                    text(|s| n.write_lower_hex(s, w)),
                    format!("{n:0w$x}"),
                    "{n} {w}"
                );
                assert_eq!(
                    text(|s| n.write_padded(s, w)),
                    format!("{n:0w$}"),
                    "{n} {w}"
                );
            }
        }
        for n in [i64::MIN, -1_000_000_000_000, -5, -1, 0, 3, i64::MAX] {
            assert_eq!(text(|s| n.write_decimal(s)), n.to_string());
            let small = n as i8;
            assert_eq!(text(|s| small.write_decimal(s)), small.to_string());
            let i = n as i32;
            assert_eq!(text(|s| (&i).write_decimal(s)), i.to_string());
        }
    }

    fn text(f: impl Fn(&mut String)) -> String {
        let mut s = String::new();
        f(&mut s);
        s
    }

    #[test]
    fn decimal_matches_format() {
        let samples = [
            0, 1, 9, 10, 99, 100, 255, 256, 999, 1000, 1001, 65535, 999_999,
        ];
        let more = [
            1_000_000,
            123_456_789,
            1_000_000_000,
            u32::MAX - 1,
            u32::MAX,
        ];
        for n in samples.into_iter().chain(more) {
            assert_eq!(text(|s| write_u32(s, n)), n.to_string());
            let i = n as i32;
            assert_eq!(text(|s| write_i32(s, i)), i.to_string());
            for w in [0, 1, 2, 3, 4, 6, 9, 10, 12] {
                assert_eq!(text(|s| write_pad(s, n, w)), format!("{n:0w$}"), "{n} {w}");
                assert_eq!(text(|s| write_hex(s, n, w)), format!("{n:0w$x}"), "{n} {w}");
            }
        }
        for b in 0..=255u8 {
            assert_eq!(text(|s| write_hex_byte(s, b)), format!("{b:02x}"));
        }
        for n in 0..2000u32 {
            assert_eq!(text(|s| write_u32(s, n)), n.to_string());
        }
    }

    #[test]
    fn ipv4_is_dotted_decimal() {
        for a in [
            [0, 0, 0, 0],
            [127, 0, 0, 1],
            [255, 255, 255, 255],
            [10, 99, 100, 9],
        ] {
            let want = std::net::Ipv4Addr::from(a).to_string();
            assert_eq!(text(|s| write_ipv4(s, a)), want);
        }
    }
}
