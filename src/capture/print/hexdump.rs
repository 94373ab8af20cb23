//! Hex and ASCII dumps (print-ascii.c at tcpdump-4.99.3): `-x`/`-xx` (`hex_print`),
//! `-X`/`-XX` (`hex_and_ascii_print`), `-A`/`-AA` (`ascii_print`).
//!
//! Each line starts with `\n\t`; offsets are `0x%04x`; bytes are grouped in pairs. The
//! functions dump every byte they are given (the caller passes the captured bytes).

const HEX: &[u8; 16] = b"0123456789abcdef";

/// tcpdump's `ND_ASCII_ISGRAPH`: printable and not a space.
fn is_graph(b: u8) -> bool {
    (0x21..=0x7e).contains(&b)
}

fn push_hex(out: &mut String, b: u8) {
    out.push(char::from(
        HEX.get(usize::from(b >> 4)).copied().unwrap_or(b'0'),
    ));
    out.push(char::from(
        HEX.get(usize::from(b & 15)).copied().unwrap_or(b'0'),
    ));
}

fn push_offset(out: &mut String, off: usize) {
    out.push_str("\n\t0x");
    // `%04x`: at least four digits.
    let digits = if off > 0xffff {
        (usize::BITS - off.leading_zeros()).div_ceil(4)
    } else {
        4
    };
    for i in (0..digits).rev() {
        let nib = (off >> (i * 4)) & 15;
        out.push(char::from(HEX.get(nib).copied().unwrap_or(b'0')));
    }
    out.push(':');
}

/// `-x`: `\n\t0xOOOO: ` then ` hhhh` per pair of bytes, ` hh` for an odd last byte.
pub fn hex(out: &mut String, data: &[u8]) {
    for (line, chunk) in data.chunks(16).enumerate() {
        push_offset(out, line * 16);
        out.push(' ');
        for pair in chunk.chunks(2) {
            out.push(' ');
            for &b in pair {
                push_hex(out, b);
            }
        }
    }
}

/// `-X`: `\n\t0xOOOO: ` then the hex groups padded to 40 columns, two spaces and the bytes
/// as ASCII (`.` for anything but a graphic character).
pub fn hex_and_ascii(out: &mut String, data: &[u8]) {
    for (line, chunk) in data.chunks(16).enumerate() {
        push_offset(out, line * 16);
        out.push(' ');
        let mut width = 0;
        for pair in chunk.chunks(2) {
            out.push(' ');
            width += 1;
            for &b in pair {
                push_hex(out, b);
                width += 2;
            }
        }
        for _ in width..40 {
            out.push(' ');
        }
        out.push_str("  ");
        for &b in chunk {
            out.push(if is_graph(b) { char::from(b) } else { '.' });
        }
    }
}

/// `-A`: a newline, then the bytes as text: graphic characters, space, tab and newline as
/// they are, a carriage return dropped before a newline or at the end, anything else `.`.
pub fn ascii(out: &mut String, data: &[u8]) {
    out.push('\n');
    let mut rest = data;
    while let Some((&b, tail)) = rest.split_first() {
        rest = tail;
        if b == b'\r' {
            // print-ascii.c: a CR followed by at least one byte that is not a newline is
            // shown as `.`; otherwise nothing.
            if rest.len() > 1 && rest.first() != Some(&b'\n') {
                out.push('.');
            }
        } else if is_graph(b) || b == b'\t' || b == b' ' || b == b'\n' {
            out.push(char::from(b));
        } else {
            out.push('.');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_lines() {
        let mut out = String::new();
        hex(&mut out, b"Hello, World!\n");
        assert_eq!(out, "\n\t0x0000:  4865 6c6c 6f2c 2057 6f72 6c64 210a");
        out.clear();
        hex(&mut out, &[0u8; 17]);
        assert_eq!(
            out,
            "\n\t0x0000:  0000 0000 0000 0000 0000 0000 0000 0000\n\t0x0010:  00"
        );
    }

    #[test]
    fn hex_ascii_lines() {
        let mut out = String::new();
        hex_and_ascii(&mut out, b"Hello, World!\n");
        assert_eq!(
            out,
            "\n\t0x0000:  4865 6c6c 6f2c 2057 6f72 6c64 210a       Hello,.World!."
        );
    }

    #[test]
    fn ascii_text() {
        let mut out = String::new();
        ascii(&mut out, b"a\r\nb\rc\x01\r");
        assert_eq!(out, "\na\nb.c.");
    }

    #[test]
    fn big_offsets() {
        let mut out = String::new();
        push_offset(&mut out, 0x10000);
        assert_eq!(out, "\n\t0x10000:");
    }
}
