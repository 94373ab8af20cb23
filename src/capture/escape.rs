//! Untrusted text made safe to show on a terminal.
//!
//! A report, a trace or a screen listing handed in by someone else may hold ESC sequences that
//! clear or retitle the reader's terminal, BEL, C1 controls (U+0080 to U+009F: a lone U+009B
//! is a CSI on some terminals) or Unicode controls that reorder what is shown (U+202E turns
//! the rest of a line around). [`escape_text`] is applied to every piece of such text where it
//! is printed: each of those characters is shown as an escape (`\x1b`, `\u{202e}`), so what
//! reaches the terminal is only printable characters, spaces and the report's own line ends.
//!
//! Backslashes are kept as they are: the report's own texts use them for the escapes of
//! payload bytes (`\n`, `\xff`).
//!
//! Must not import `crate::echo`, `crate::cli`, clap, tokio or comfy-table.

/// Whether a character is shown as an escape: C0 controls (tab and line ends included), DEL,
/// C1 controls, and the invisible characters that change how a line is drawn (bidirectional
/// marks, embeddings, overrides and isolates, zero-width characters, line and paragraph
/// separators, the byte-order mark).
fn hidden(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061c}'
                | '\u{200b}'..='\u{200f}'
                | '\u{2028}'..='\u{202e}'
                | '\u{2060}'..='\u{2069}'
                | '\u{feff}'
        )
}

/// `s` with every character [`hidden`] shows as an escape: `\t`, `\r`, `\n`, `\0`, `\xNN` for
/// the other C0 controls and DEL, `\u{NNNN}` for the rest.
pub fn escape_text(s: &str) -> String {
    if !s.chars().any(hidden) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\n' => out.push_str("\\n"),
            '\0' => out.push_str("\\0"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c if hidden(c) => out.push_str(&format!("\\u{{{:04x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_are_escaped() {
        assert_eq!(escape_text("ttl 64"), "ttl 64");
        assert_eq!(escape_text("héllo `x`"), "héllo `x`");
        assert_eq!(
            escape_text("\u{1b}]0;owned\u{7}\u{1b}[2J"),
            "\\x1b]0;owned\\x07\\x1b[2J"
        );
        assert_eq!(escape_text("a\tb\r\n\0\u{7f}"), "a\\tb\\r\\n\\0\\x7f");
        assert_eq!(escape_text("\u{9b}2J"), "\\u{009b}2J");
        assert_eq!(escape_text("abc\u{202e}fed"), "abc\\u{202e}fed");
        assert_eq!(
            escape_text("\u{200b}\u{2066}\u{feff}"),
            "\\u{200b}\\u{2066}\\u{feff}"
        );
        // The report's own escapes stay as written.
        assert_eq!(escape_text("`\\n` alone"), "`\\n` alone");
    }

    proptest::proptest! {
        /// Whatever the input, the output holds no control or reordering character.
        #[test]
        fn output_is_plain(s in "\\PC*|[\\x00-\\x{2070}]{0,40}") {
            proptest::prop_assert!(!escape_text(&s).chars().any(hidden));
        }
    }
}
