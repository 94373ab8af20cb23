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

/// One dump line, gathered byte by byte and appended to the text in one piece (a dump line
/// is seventy-odd characters: pushing them one at a time costs more than the dump's reads).
struct Line {
    buf: [u8; 96],
    len: usize,
}

impl Line {
    fn new() -> Line {
        Line {
            buf: [0; 96],
            len: 0,
        }
    }

    fn push(&mut self, b: u8) {
        if let Some(d) = self.buf.get_mut(self.len) {
            *d = b;
            self.len += 1;
        }
    }

    fn hex(&mut self, b: u8) {
        self.push(HEX.get(usize::from(b >> 4)).copied().unwrap_or(b'0'));
        self.push(HEX.get(usize::from(b & 15)).copied().unwrap_or(b'0'));
    }

    /// `\n\t0x%04x:`: the line's start.
    fn offset(&mut self, off: usize) {
        for &b in b"\n\t0x" {
            self.push(b);
        }
        // `%04x`: at least four digits.
        let digits = if off > 0xffff {
            (usize::BITS - off.leading_zeros()).div_ceil(4)
        } else {
            4
        };
        for i in (0..digits).rev() {
            let nib = (off >> (i * 4)) & 15;
            self.push(HEX.get(nib).copied().unwrap_or(b'0'));
        }
        self.push(b':');
    }

    /// Appends the line (ASCII only) to `out` and starts the next.
    fn flush(&mut self, out: &mut String) {
        let text = self.buf.get(..self.len).unwrap_or(&[]);
        out.push_str(std::str::from_utf8(text).unwrap_or(""));
        self.len = 0;
    }
}

/// `-x`: `\n\t0xOOOO: ` then ` hhhh` per pair of bytes, ` hh` for an odd last byte.
pub fn hex(out: &mut String, data: &[u8]) {
    let mut line = Line::new();
    for (n, chunk) in data.chunks(16).enumerate() {
        line.offset(n * 16);
        line.push(b' ');
        for pair in chunk.chunks(2) {
            line.push(b' ');
            for &b in pair {
                line.hex(b);
            }
        }
        line.flush(out);
    }
}

/// `-X`: `\n\t0xOOOO: ` then the hex groups padded to 40 columns, two spaces and the bytes
/// as ASCII (`.` for anything but a graphic character).
pub fn hex_and_ascii(out: &mut String, data: &[u8]) {
    let mut line = Line::new();
    for (n, chunk) in data.chunks(16).enumerate() {
        line.offset(n * 16);
        line.push(b' ');
        let mut width = 0;
        for pair in chunk.chunks(2) {
            line.push(b' ');
            width += 1;
            for &b in pair {
                line.hex(b);
                width += 2;
            }
        }
        for _ in width..42 {
            line.push(b' ');
        }
        for &b in chunk {
            line.push(if is_graph(b) { b } else { b'.' });
        }
        line.flush(out);
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
        let mut line = Line::new();
        line.offset(0x10000);
        line.flush(&mut out);
        assert_eq!(out, "\n\t0x10000:");
    }
}
