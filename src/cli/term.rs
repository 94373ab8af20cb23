//! What the terminal allows: the width tables are drawn to and whether colour is wanted.
//!
//! Width: `COLUMNS` when set to a number, else the terminal's when stdout is one, else 100
//! columns (what a pager or a report pasted into a document takes). Colour: only when stdout
//! is a terminal and `NO_COLOR` is unset or empty (no-color.org).

use std::io::IsTerminal;

use comfy_table::{ContentArrangement, Table};

/// The width a table fits in when nothing else is known.
pub const DEFAULT_WIDTH: u16 = 100;

/// The width output must fit in.
pub fn width() -> u16 {
    if let Some(w) = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<u16>().ok())
        .filter(|&w| w > 0)
    {
        return w;
    }
    if std::io::stdout().is_terminal() {
        if let Ok((w, _)) = crossterm::terminal::size() {
            if w > 0 {
                return w;
            }
        }
    }
    DEFAULT_WIDTH
}

/// Whether colour may be used on stdout.
pub fn colour() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// A table with `preset` that wraps its cells to fit [`width`], coloured only when
/// [`colour`] allows.
pub fn table(preset: &str) -> Table {
    let mut t = Table::new();
    t.load_preset(preset)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(width());
    if colour() {
        t.enforce_styling();
    } else {
        t.force_no_tty();
    }
    t
}

/// `text` wrapped at spaces to lines of at most [`width`] characters (a word longer than the
/// width stands alone on its line); each line after the first is indented by `indent`.
pub fn wrap(text: &str, indent: &str) -> String {
    wrap_to(text, usize::from(width()), indent)
}

fn wrap_to(text: &str, width: usize, indent: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut line = 0usize;
    for word in text.split(' ') {
        let w = word.chars().count();
        if line > 0 && line + 1 + w > width {
            out.push('\n');
            out.push_str(indent);
            line = indent.chars().count();
        } else if line > 0 {
            out.push(' ');
            line += 1;
        }
        out.push_str(word);
        line += w;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::wrap_to;

    #[test]
    fn lines_fit_the_width_and_keep_every_word() {
        let text = "one two three four five six seven eight nine ten";
        let wrapped = wrap_to(text, 12, "  ");
        assert!(
            wrapped.lines().all(|l| l.chars().count() <= 12),
            "{wrapped}"
        );
        assert_eq!(
            wrapped.split_whitespace().collect::<Vec<_>>().join(" "),
            text
        );
        assert_eq!(wrap_to("short", 80, ""), "short");
    }
}
