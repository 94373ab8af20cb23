//! Hex and ASCII dumps (print-ascii.c): `-x`, `-xx`, `-X`, `-XX`, `-A`.

use std::fmt::Write as _;

/// `-X`: lines of `\n\t0xOOOO:  hhhh hhhh ...  ascii`.
pub fn hex_and_ascii(out: &mut String, data: &[u8]) {
    for (i, chunk) in data.chunks(16).enumerate() {
        let _ = write!(out, "\n\t0x{:04x}:  ", i * 16);
        let mut hex = String::new();
        for pair in chunk.chunks(2) {
            for b in pair {
                let _ = write!(hex, "{b:02x}");
            }
            hex.push(' ');
        }
        let _ = write!(out, "{hex:<40}");
        out.push(' ');
        for &b in chunk {
            out.push(if b.is_ascii_graphic() { b as char } else { '.' });
        }
    }
}

/// `-x`: lines of `\n\t0xOOOO:  hhhh hhhh ...`.
pub fn hex(out: &mut String, data: &[u8]) {
    for (i, chunk) in data.chunks(16).enumerate() {
        let _ = write!(out, "\n\t0x{:04x}:  ", i * 16);
        let mut first = true;
        for pair in chunk.chunks(2) {
            if !first {
                out.push(' ');
            }
            first = false;
            for b in pair {
                let _ = write!(out, "{b:02x}");
            }
        }
    }
}
