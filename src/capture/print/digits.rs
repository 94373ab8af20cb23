//! Numbers and IPv4 addresses written into the packet's text from tables built at compile
//! time, without the formatting machinery (`write!` costs several times as much): the time
//! stamp, the addresses, ports, sequence numbers and lengths of every packet go through here.
//! The same text as `{}`, `{:0N}`, `{:0Nx}` would give.

/// `000` to `999`, three digits each.
static PAD3: [u8; 3000] = pad3();

/// `00` to `ff`, two lower-case hex digits each.
static HEX2: [u8; 512] = hex2();

// Runs at compile time: an index out of range would fail the build, not a packet.
#[allow(clippy::indexing_slicing)]
const fn pad3() -> [u8; 3000] {
    let mut b = [0u8; 3000];
    let mut i = 0;
    while i < 1000 {
        b[i * 3] = b'0' + (i / 100) as u8;
        b[i * 3 + 1] = b'0' + (i / 10 % 10) as u8;
        b[i * 3 + 2] = b'0' + (i % 10) as u8;
        i += 1;
    }
    b
}

// Runs at compile time: an index out of range would fail the build, not a packet.
#[allow(clippy::indexing_slicing)]
const fn hex2() -> [u8; 512] {
    let digits = b"0123456789abcdef";
    let mut b = [0u8; 512];
    let mut i = 0;
    while i < 256 {
        b[i * 2] = digits[i >> 4];
        b[i * 2 + 1] = digits[i & 15];
        i += 1;
    }
    b
}

/// Appends table bytes (ASCII) one character at a time: for one to three bytes cheaper than
/// `push_str`'s copy, and `& 0x7f` shows the compiler each is a one-byte character.
fn push_ascii(out: &mut String, bytes: &[u8]) {
    for &b in bytes {
        out.push(char::from(b & 0x7f));
    }
}

/// `n` (below 1000) as three digits.
fn three(n: u32) -> &'static [u8] {
    let at = n as usize * 3;
    PAD3.get(at..at + 3).unwrap_or(b"000")
}

/// `n` below 1000, unpadded.
fn small(out: &mut String, n: u32) {
    let skip = match n {
        0..=9 => 2,
        10..=99 => 1,
        _ => 0,
    };
    push_ascii(out, three(n).get(skip..).unwrap_or(&[]));
}

/// `n` in decimal (`%u`).
pub fn write_u32(out: &mut String, n: u32) {
    if n < 1000 {
        return small(out, n);
    }
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
        push_ascii(out, three(g));
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
        2 if n < 100 => push_ascii(out, three(n).get(1..).unwrap_or(&[])),
        3 if n < 1000 => push_ascii(out, three(n)),
        6 if n < 1_000_000 => {
            push_ascii(out, three(n / 1000));
            push_ascii(out, three(n % 1000));
        }
        9 if n < 1_000_000_000 => {
            push_ascii(out, three(n / 1_000_000));
            push_ascii(out, three(n / 1000 % 1000));
            push_ascii(out, three(n % 1000));
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
    push_ascii(out, HEX2.get(at..at + 2).unwrap_or(b"00"));
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
            push_ascii(out, HEX2.get(at + 1..at + 2).unwrap_or(b"0"));
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

#[cfg(test)]
mod tests {
    use super::*;

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
