//! Ladders as a standalone SVG image, and as an HTML page around it where clicking a packet
//! shows its full decode.
//!
//! Every packet is one `<g class="pkt">` whose `<title>` (the tooltip) is exactly the line
//! `echolab dump -nn -t` prints for it; on the page it also carries its `echolab dump
//! -nnvvXS` text in `data-detail`, which a few lines of inline script show in a `<pre>` when
//! the packet is clicked. Nothing is fetched from the network. All text is XML-escaped;
//! characters XML 1.0 cannot carry at all (most C0 controls) are written as `\xNN`.

use super::{cut, rtt_text, time_text, Ladder, Palette, Row};

/// Pixels per character of the 12 px monospace font (about 0.6 em).
const CHAR: f64 = 7.2;
/// The time column's right edge.
const TIME_X: f64 = 80.0;
/// The client's rail.
const LEFT_X: f64 = 96.0;
/// The server's rail.
const RIGHT_X: f64 = 736.0;
/// The whole picture's width (round trips right of the server's rail).
const WIDTH: f64 = 860.0;
/// Vertical space per packet.
const ROW_H: f64 = 30.0;
/// A ladder's heading and endpoint names.
const HEAD_H: f64 = 52.0;
/// Space after a ladder.
const GAP: f64 = 24.0;

/// `s` escaped for XML text and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\t' => out.push_str("&#9;"),
            '\r' => out.push_str("&#13;"),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out
}

fn height(ladders: &[Ladder]) -> f64 {
    ladders
        .iter()
        .map(|l| HEAD_H + ROW_H * l.rows.len() as f64 + GAP)
        .sum::<f64>()
        .max(GAP)
}

/// The `<svg>` element; with `details`, each packet carries its `-nnvvXS` text.
fn svg_element(ladders: &[Ladder], details: bool) -> String {
    let h = height(ladders);
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{WIDTH}\" height=\"{h}\" \
         viewBox=\"0 0 {WIDTH} {h}\" font-family=\"monospace\" font-size=\"12\">\n\
         <rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n"
    );
    let mut y = 0.0;
    for l in ladders {
        out.push_str(&ladder(l, y, details));
        y += HEAD_H + ROW_H * l.rows.len() as f64 + GAP;
    }
    out.push_str("</svg>\n");
    out
}

fn ladder(l: &Ladder, top: f64, details: bool) -> String {
    let names_y = top + 40.0;
    let bottom = top + HEAD_H + ROW_H * l.rows.len() as f64;
    let mut out = format!(
        "<g class=\"ladder\">\n<text x=\"8\" y=\"{}\" font-weight=\"bold\">{}</text>\n",
        top + 18.0,
        escape(&l.heading())
    );
    let half = ((RIGHT_X - LEFT_X) / CHAR / 2.0) as usize;
    out.push_str(&format!(
        "<text x=\"{LEFT_X}\" y=\"{names_y}\" fill=\"{}\">{}</text>\n\
         <text x=\"{RIGHT_X}\" y=\"{names_y}\" text-anchor=\"end\" fill=\"{}\">{}</text>\n",
        Palette::SVG.client,
        escape(&cut(&l.ends[0].to_string(), half)),
        Palette::SVG.server,
        escape(&cut(&l.ends[1].to_string(), half))
    ));
    for x in [LEFT_X, RIGHT_X] {
        out.push_str(&format!(
            "<line x1=\"{x}\" y1=\"{}\" x2=\"{x}\" y2=\"{bottom}\" stroke=\"#888888\"/>\n",
            names_y + 6.0
        ));
    }
    for (i, r) in l.rows.iter().enumerate() {
        let y = top + HEAD_H + ROW_H * (i as f64 + 1.0) - 6.0;
        out.push_str(&packet(r, y, details));
    }
    out.push_str("</g>\n");
    out
}

/// One packet: its arrow, label, time and round trip, titled with its dump line.
fn packet(r: &Row, y: f64, details: bool) -> String {
    // The label starts at the sending rail.
    let (x1, x2, label_at) = if r.from == 0 {
        (LEFT_X, RIGHT_X, format!("x=\"{}\"", LEFT_X + 6.0))
    } else {
        (
            RIGHT_X,
            LEFT_X,
            format!("x=\"{}\" text-anchor=\"end\"", RIGHT_X - 6.0),
        )
    };
    let colour = Palette::SVG.side(r.from);
    // The arrowhead: a triangle pointing at the receiving rail.
    let d = if r.from == 0 { -8.0 } else { 8.0 };
    let head = format!("{x2},{y} {},{} {},{}", x2 + d, y - 4.0, x2 + d, y + 4.0);
    let room = ((RIGHT_X - LEFT_X) / CHAR) as usize - 2;
    let detail = if details {
        format!(" data-detail=\"{}\"", escape(&r.detail))
    } else {
        String::new()
    };
    let mut out = format!(
        "<g class=\"pkt\" data-n=\"{}\"{detail}>\n<title>{}</title>\n\
         <line x1=\"{x1}\" y1=\"{y}\" x2=\"{x2}\" y2=\"{y}\" stroke=\"{colour}\" \
         stroke-width=\"1.5\"/>\n<polygon points=\"{head}\" fill=\"{colour}\"/>\n\
         <text {label_at} y=\"{}\" fill=\"{colour}\">{}</text>\n\
         <text x=\"{TIME_X}\" y=\"{}\" text-anchor=\"end\" fill=\"#555555\">{}</text>\n",
        r.number,
        escape(&r.title),
        y - 5.0,
        escape(&cut(&r.text(), room)),
        y + 4.0,
        time_text(r.rel_ns)
    );
    if let Some(&ns) = r.rtt_ns.first() {
        out.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" fill=\"{}\">rtt {}</text>\n",
            RIGHT_X + 8.0,
            y + 4.0,
            Palette::SVG.rtt,
            escape(&rtt_text(ns))
        ));
    }
    out.push_str("</g>\n");
    out
}

/// A standalone SVG document.
pub fn svg(ladders: &[Ladder]) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{}",
        svg_element(ladders, false)
    )
}

/// An HTML page: the SVG, and a pane showing a clicked packet's `-nnvvXS` text.
pub fn html(ladders: &[Ladder], title: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>{t}</title>\n<style>\n\
         body {{ font-family: sans-serif; margin: 1em; }}\n\
         .pkt {{ cursor: pointer; }}\n\
         .pkt:hover line, .pkt.on line {{ stroke-width: 3; }}\n\
         pre {{ background: #f4f4f4; padding: 0.5em; white-space: pre; overflow-x: auto; }}\n\
         </style>\n</head>\n<body>\n<h1>{t}</h1>\n\
         <p>Click a packet to see it as <code>tcpdump -nnvvXS</code> prints it; hover for its \
         <code>-nn -t</code> line.</p>\n{svg}<pre id=\"detail\">(no packet chosen)</pre>\n\
         <script>\n{SCRIPT}</script>\n</body>\n</html>\n",
        t = escape(title),
        svg = svg_element(ladders, true),
    )
}

/// Shows a clicked packet's detail (as text: never parsed as markup).
const SCRIPT: &str = r#"const pane = document.getElementById("detail");
for (const g of document.querySelectorAll(".pkt")) {
  g.addEventListener("click", () => {
    for (const o of document.querySelectorAll(".pkt.on")) o.classList.remove("on");
    g.classList.add("on");
    pane.textContent = g.getAttribute("data-detail");
  });
}
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_for_xml() {
        assert_eq!(
            escape("a<b & \"c\" 'd'>\n\u{1b}"),
            "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;&#10;\\x1b"
        );
    }
}
