//! The client's screen: echoes escaped so that bytes show unambiguously, prompts, notes, and
//! line ends right for a raw terminal. Writes to any writer (a test's buffer, `demo`'s
//! transcript, standard output).
//!
//! Must not import `crate::capture` or `crate::cli`.

use std::io::Write;

use crate::echo::error::Error;

/// Where the session writes: echoes to `out`, notes (no echo in time) to `err`.
pub struct Screen<O: Write, E: Write> {
    pub out: O,
    pub err: E,
    /// Print the `>` prompt before each line (stdin is a terminal).
    pub prompt: bool,
    /// The terminal is in raw mode: newlines need `\r\n`, Enter arrives as `\r`.
    pub raw: bool,
    /// Program name in front of notes.
    pub prog: &'static str,
    /// Bytes of an unfinished UTF-8 character, kept until the rest arrives.
    pending: Vec<u8>,
    /// Whether the cursor is at the start of a line (an error message should start there).
    line_start: bool,
    /// A line's echo is being shown piece by piece (its `>Echo: ` is on screen).
    echoing: bool,
}

impl<O: Write, E: Write> Screen<O, E> {
    pub fn new(out: O, err: E, prompt: bool, raw: bool, prog: &'static str) -> Self {
        Screen {
            out,
            err,
            prompt,
            raw,
            prog,
            pending: Vec::new(),
            line_start: true,
            echoing: false,
        }
    }

    /// End the current line if something (a prompt, echoed keys) was left on it, so that a
    /// message printed next starts at the left margin.
    pub fn end_line(&mut self) {
        if !self.line_start {
            let _ = self.write(if self.raw { "\r\n" } else { "\n" });
        }
    }

    fn write(&mut self, text: &str) -> Result<(), Error> {
        if !text.is_empty() {
            self.line_start = text.ends_with('\n');
        }
        self.out
            .write_all(text.as_bytes())
            .and_then(|()| self.out.flush())
            .map_err(|e| Error::io("cannot write to standard output", e))
    }

    pub(super) fn show_prompt(&mut self) -> Result<(), Error> {
        if self.prompt {
            self.write(">")?;
        }
        Ok(())
    }

    /// The handout's line: `>Echo: Hello, Master!`.
    pub(super) fn show_echo_line(&mut self, line: &[u8]) -> Result<(), Error> {
        let body = line.strip_suffix(b"\n").unwrap_or(line);
        let nl = if self.raw { "\r\n" } else { "\n" };
        self.write(&format!(">Echo: {}{nl}", escape(body)))
    }

    /// A piece of a line's echo: `>Echo: ` before the first, then the bytes escaped as they
    /// come, holding back a character split across pieces and the line's final `\n` (shown
    /// by `echo_end` as a line end), so the screen is the same as `show_echo_line`'s.
    pub(super) fn echo_part(&mut self, bytes: &[u8]) -> Result<(), Error> {
        if !self.echoing {
            self.echoing = true;
            self.write(">Echo: ")?;
        }
        self.pending.extend_from_slice(bytes);
        let keep = match self.pending.last() {
            Some(b'\n') => 1,
            _ => incomplete_utf8_tail(&self.pending),
        };
        let done = self.pending.len() - keep;
        let text = escape(&self.pending[..done]);
        self.pending.drain(..done);
        self.write(&text)
    }

    /// The end of a line's echo.
    pub(super) fn echo_end(&mut self) -> Result<(), Error> {
        if !std::mem::take(&mut self.echoing) {
            return self.show_echo_line(b"");
        }
        let rest = std::mem::take(&mut self.pending);
        let body = rest.strip_suffix(b"\n").unwrap_or(&rest);
        let nl = if self.raw { "\r\n" } else { "\n" };
        self.write(&format!("{}{nl}", escape(body)))
    }

    /// Continuous mode: echoed bytes as they arrive; a character split across datagrams or
    /// segments is shown once whole.
    pub(super) fn show_bytes(&mut self, bytes: &[u8]) -> Result<(), Error> {
        self.pending.extend_from_slice(bytes);
        let keep = incomplete_utf8_tail(&self.pending);
        let done = self.pending.len() - keep;
        let text = escape_stream(&self.pending[..done], self.raw);
        self.pending.drain(..done);
        self.write(&text)
    }

    pub(super) fn finish(&mut self) -> Result<(), Error> {
        let rest = std::mem::take(&mut self.pending);
        let mut text = escape_stream(&rest, self.raw);
        if self.raw {
            // Leave the shell prompt on a line of its own.
            text.push_str("\r\n");
        }
        self.write(&text)
    }

    pub(super) fn note(&mut self, e: &Error) {
        let nl = if self.raw { "\r\n" } else { "\n" };
        let _ = write!(self.err, "{}: {e}{nl}", self.prog);
        let _ = self.err.flush();
    }
}

/// How many bytes at the end of `b` start a UTF-8 character whose rest has not arrived.
fn incomplete_utf8_tail(b: &[u8]) -> usize {
    for back in 1..=3.min(b.len()) {
        let byte = b[b.len() - back];
        let need = match byte {
            0xc0..=0xdf => 2,
            0xe0..=0xef => 3,
            0xf0..=0xf7 => 4,
            0x80..=0xbf => continue,
            _ => return 0,
        };
        return if need > back { back } else { 0 };
    }
    0
}

/// Show bytes unambiguously on one line: printable text as is, `\\` for a backslash, `\t`,
/// `\r`, `\n`, `\0` for those controls, `\xNN` for other controls and for bytes that are not
/// UTF-8, `\u{NN}` for other invisible characters.
pub fn escape(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            push_char(&mut s, c);
        }
        for b in chunk.invalid() {
            s.push_str(&format!("\\x{b:02x}"));
        }
    }
    s
}

fn push_char(s: &mut String, c: char) {
    match c {
        '\\' => s.push_str("\\\\"),
        '\t' => s.push_str("\\t"),
        '\r' => s.push_str("\\r"),
        '\n' => s.push_str("\\n"),
        '\0' => s.push_str("\\0"),
        c if (c as u32) < 0x20 || c as u32 == 0x7f => s.push_str(&format!("\\x{:02x}", c as u32)),
        c if c.is_control() => s.push_str(&format!("\\u{{{:x}}}", c as u32)),
        c => s.push(c),
    }
}

/// Like `escape`, but line ends are shown as line ends (Enter is `\r` on a raw terminal).
fn escape_stream(bytes: &[u8], raw: bool) -> String {
    let mut s = String::new();
    for part in bytes.split_inclusive(|b| *b == b'\n' || (raw && *b == b'\r')) {
        match part.split_last() {
            Some((b'\n', body)) | Some((b'\r', body)) => {
                s.push_str(&escape(body));
                s.push_str(if raw { "\r\n" } else { "\n" });
            }
            _ => s.push_str(&escape(part)),
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_shows_bytes_unambiguously() {
        assert_eq!(escape(b"Hello, Master!"), "Hello, Master!");
        assert_eq!(escape("héllo".as_bytes()), "héllo");
        assert_eq!(escape(b"a\tb\\c\r\0"), "a\\tb\\\\c\\r\\0");
        assert_eq!(escape(b"\xff\xfe\x1b\x7f"), "\\xff\\xfe\\x1b\\x7f");
        assert_eq!(escape("\u{85}".as_bytes()), "\\u{85}");
    }

    #[test]
    fn split_characters_wait_for_their_rest() {
        let e = "é".as_bytes();
        assert_eq!(incomplete_utf8_tail(&e[..1]), 1);
        assert_eq!(incomplete_utf8_tail(e), 0);
        assert_eq!(incomplete_utf8_tail(b"ab"), 0);
        assert_eq!(incomplete_utf8_tail(b"\xff"), 0);
        let mut s = Screen::new(Vec::new(), Vec::new(), false, false, "t");
        s.show_bytes(&e[..1]).unwrap();
        s.show_bytes(&e[1..]).unwrap();
        s.show_bytes(b"\n").unwrap();
        assert_eq!(String::from_utf8(s.out).unwrap(), "é\n");
    }

    #[test]
    fn raw_terminal_lines_end_in_crlf() {
        assert_eq!(escape_stream(b"ab\rc", true), "ab\r\nc");
        assert_eq!(escape_stream(b"ab\rc\n", false), "ab\\rc\n");
    }

    #[test]
    fn an_echo_in_pieces_shows_as_the_whole_line() {
        let line = b"\xc3\xa9\\\xff\tok\n";
        let mut whole = Screen::new(Vec::new(), Vec::new(), false, false, "t");
        whole.show_echo_line(line).unwrap();
        for cut in 0..line.len() {
            let mut s = Screen::new(Vec::new(), Vec::new(), false, false, "t");
            s.echo_part(&line[..cut]).unwrap();
            s.echo_part(&line[cut..]).unwrap();
            s.echo_end().unwrap();
            assert_eq!(s.out, whole.out, "cut at {cut}");
        }
    }
}
