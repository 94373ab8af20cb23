//! Ladders as terminal text: a heading, the two endpoints over their rails, then one line per
//! packet:
//!
//! ```text
//! #1 TCP 127.0.0.1:46096 ⇄ 127.0.0.1:4002, 9 packets
//!           127.0.0.1:46096                          127.0.0.1:4002
//!  0.000000 │─ [S] seq 0 win 32792 ──────────────────────────────>│
//!  0.000052 │<─────────────────────── [S.] seq 0 ack 1 win 32768 ─│
//!  0.000071 │─ [.] ack 1 win 1025 ───────────────────────────────>│
//!  6.189833 │─ [P.] seq 1:14 ack 1 len 13 "HELLO MASTER\n" ──────>│
//!  6.189924 │<────────────────────────────── [.] ack 14 win 1024 ─│
//!  6.189972 │<───── [P.] seq 1:14 ack 14 len 13 "HELLO MASTER\n" ─│ rtt 139 µs
//! ```
//!
//! Every line fits the width handed in (counted in characters; labels and previews are plain
//! ASCII, the rails and arrows one column each), up to a widest useful arrow; a label too long
//! for its arrow is cut with `…`. Colour (ANSI) only when asked for: client arrows cyan, server arrows yellow, round
//! trips green.

use super::{cut, rtt_text, time_text, Ladder, Palette, Row};

/// The width to fit and whether to colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Look {
    pub width: usize,
    pub colour: bool,
}

/// Width of the time column, its space included.
const TIME: usize = 10;
/// Width kept right of the server's rail for ` rtt 999.999 ms`.
const RTT: usize = 15;
/// The narrowest arrow worth drawing.
const MIN_ARROW: usize = 12;
/// The widest: room for the longest label and preview; wider only spreads the rails apart.
const MAX_ARROW: usize = 120;

const BOLD: &str = "\x1b[1m";
const RESET: &str = "\x1b[0m";

/// Where the rails go for a width.
#[derive(Debug, Clone, Copy)]
struct Layout {
    /// Characters between the two rails.
    arrow: usize,
    /// Whether round trips have their column.
    rtt: bool,
}

impl Layout {
    fn of(width: usize) -> Layout {
        let inner = width.saturating_sub(TIME + 2);
        if inner >= MIN_ARROW + RTT {
            Layout {
                arrow: (inner - RTT).min(MAX_ARROW),
                rtt: true,
            }
        } else {
            Layout {
                arrow: inner.max(MIN_ARROW),
                rtt: false,
            }
        }
    }
}

fn paint(s: &str, colour: Option<&str>) -> String {
    match colour {
        Some(c) => format!("{c}{s}{RESET}"),
        None => s.to_string(),
    }
}

/// A ladder's heading and its endpoints over the rails.
pub fn header(l: &Ladder, look: &Look) -> String {
    let lay = Layout::of(look.width);
    let heading = cut(&l.heading(), look.width);
    // The client's name starts over its rail, the server's ends over its rail.
    let span = lay.arrow + 2;
    let right_max = span.saturating_sub(2) / 2;
    let right = cut(&l.ends[1].to_string(), right_max);
    let left = cut(
        &l.ends[0].to_string(),
        span.saturating_sub(right.chars().count() + 1),
    );
    let gap = span.saturating_sub(left.chars().count() + right.chars().count());
    let names = format!("{}{left}{}{right}", " ".repeat(TIME), " ".repeat(gap));
    let bold = look.colour.then_some(BOLD);
    format!("{}\n{}\n", paint(&heading, bold), cut(&names, look.width))
}

/// One packet's line.
pub fn row(r: &Row, look: &Look) -> String {
    let lay = Layout::of(look.width);
    let text = cut(&r.text(), lay.arrow.saturating_sub(5));
    let fill = "─".repeat(lay.arrow.saturating_sub(text.chars().count() + 4));
    let arrow = if r.from == 0 {
        format!("─ {text} {fill}>")
    } else {
        format!("<{fill} {text} ─")
    };
    let time = format!("{:>w$} ", time_text(r.rel_ns), w = TIME - 1);
    let rtt = match (lay.rtt, r.rtt_ns.first()) {
        (true, Some(&ns)) => cut(&format!(" rtt {}", rtt_text(ns)), RTT),
        _ => String::new(),
    };
    let plain = format!("{time}│{arrow}│{rtt}");
    if plain.chars().count() > look.width {
        // Narrower than the narrowest ladder: cut, uncoloured.
        return cut(&plain, look.width) + "\n";
    }
    if !look.colour {
        return plain + "\n";
    }
    let colours = Palette::TERMINAL;
    format!(
        "{time}│{}│{}\n",
        paint(&arrow, Some(colours.side(r.from))),
        if rtt.is_empty() {
            rtt
        } else {
            paint(&rtt, Some(colours.rtt))
        }
    )
}

/// Whole ladders, one after the other with an empty line between them.
pub fn render(ladders: &[Ladder], look: &Look) -> String {
    let mut out = String::new();
    for (i, l) in ladders.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&header(l, look));
        for r in &l.rows {
            out.push_str(&row(r, look));
        }
    }
    out
}

/// A live drawing: a ladder's header whenever the packets move to another conversation.
#[derive(Debug, Default)]
pub struct Live {
    last: Option<usize>,
}

impl Live {
    /// The text for the last row of ladder `at`.
    pub fn next(&mut self, ladders: &[Ladder], at: usize, look: &Look) -> String {
        let Some(l) = ladders.get(at) else {
            return String::new();
        };
        let mut out = String::new();
        if self.last != Some(at) {
            if self.last.is_some() {
                out.push('\n');
            }
            out.push_str(&header(l, look));
            self.last = Some(at);
        }
        if let Some(r) = l.rows.last() {
            out.push_str(&row(r, look));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capture::record::Timestamp;
    use crate::view::ladder::{Place, Proto};

    fn ladder(number: usize, labels: &[(usize, &str)]) -> Ladder {
        let end = |p| Place::Socket(std::net::SocketAddr::from(([127, 0, 0, 1], p)));
        Ladder {
            number,
            proto: Proto::Tcp,
            ends: [end(40000), end(4002)],
            rows: labels
                .iter()
                .enumerate()
                .map(|(i, &(from, label))| Row {
                    number: i + 1,
                    ts: Timestamp::default(),
                    rel_ns: 1_500_000 * i as u64,
                    from,
                    label: label.to_string(),
                    preview: None,
                    rtt_ns: vec![85_000],
                    title: String::new(),
                    detail: String::new(),
                })
                .collect(),
        }
    }

    #[test]
    fn rows_point_their_way_and_long_labels_are_cut() {
        let long = "[P.] seq 1:1400 ack 1 len 1399 ".repeat(5);
        let l = ladder(1, &[(0, "[S] seq 0"), (1, &long)]);
        let look = Look {
            width: 60,
            colour: false,
        };
        let text = render(&[l], &look);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 4, "{text}");
        assert!(lines[0].starts_with("#1 TCP 127.0.0.1:40000 \u{21c4} 127.0.0.1:4002"));
        assert!(lines[2].starts_with(" 0.000000 │─ [S] seq 0 ───"), "{text}");
        assert!(lines[2].ends_with("─>│ rtt 85 µs"), "{text}");
        // The rails line up: after the time column, and after the arrow (60 less the time,
        // two rails and the round trip's column).
        let rails = |l: &str| -> Vec<usize> {
            l.chars()
                .enumerate()
                .filter(|(_, c)| *c == '│')
                .map(|(i, _)| i)
                .collect()
        };
        assert_eq!(rails(lines[2]), vec![TIME, TIME + 1 + 60 - TIME - 2 - RTT]);
        assert_eq!(rails(lines[3]), rails(lines[2]));
        assert!(
            lines[3].starts_with(" 0.001500 │<─ [P.] seq 1:1400"),
            "{text}"
        );
        assert!(lines[3].ends_with("… ─│ rtt 85 µs"), "{text}");
        assert!(text.lines().all(|l| l.chars().count() <= 60), "{text}");
    }

    #[test]
    fn live_drawings_repeat_the_heading_when_the_conversation_changes() {
        let look = Look {
            width: 80,
            colour: false,
        };
        let mut a = ladder(1, &[(0, "[S] seq 0")]);
        let b = ladder(2, &[(0, "[S] seq 0")]);
        let mut live = Live::default();
        let first = live.next(&[a.clone(), b.clone()], 0, &look);
        assert!(first.starts_with("#1 "), "{first}");
        assert_eq!(first.lines().count(), 3, "{first}");
        let other = live.next(&[a.clone(), b.clone()], 1, &look);
        assert!(other.starts_with("\n#2 "), "{other}");
        a.rows.push(a.rows[0].clone());
        let back = live.next(&[a.clone(), b], 0, &look);
        assert!(back.starts_with("\n#1 "), "{back}");
        let again = live.next(&[a], 0, &look);
        assert_eq!(again.lines().count(), 1, "{again}");
    }

    #[test]
    fn colour_only_when_asked() {
        let l = ladder(1, &[(0, "[S] seq 0"), (1, "[S.] seq 0 ack 1")]);
        let plain = render(
            std::slice::from_ref(&l),
            &Look {
                width: 80,
                colour: false,
            },
        );
        assert!(!plain.contains('\u{1b}'));
        let coloured = render(
            &[l],
            &Look {
                width: 80,
                colour: true,
            },
        );
        let Palette {
            client,
            server,
            rtt,
        } = Palette::TERMINAL;
        assert!(coloured.contains(client) && coloured.contains(server) && coloured.contains(rtt));
    }

    #[test]
    fn layouts_fit() {
        for w in [20, 40, 60, 80, 200] {
            let l = Layout::of(w);
            let used = TIME + 2 + l.arrow + if l.rtt { RTT } else { 0 };
            assert!(used <= w.max(TIME + 2 + MIN_ARROW), "{w}: {used}");
        }
    }
}
