//! Drawing a chart with plotters' SVG backend, each mark tagged with its class.
//!
//! plotters writes `<polyline>`, `<circle>`, `<rect>` and `<text>` elements with no
//! `class` attribute and no way to add one. So a chart is drawn in passes, each a whole
//! plotters drawing of the same size and the same layout (fixed margins and label areas, no
//! caption, so every pass maps data to the same pixels): the first draws the background,
//! the title, the axes and their descriptions; then one pass per layer draws only that
//! layer's marks; the last draws the legend. The document is the first pass's elements,
//! then each layer pass's elements with ` class="…"` inserted after every element's name
//! (all of them are that layer's marks, nothing else is drawn in such a pass), then the
//! legend's. plotters escapes `<` in text and attribute values, so every `<` followed by a
//! letter in its output starts an element: the insertion is exact, and no SVG is built by
//! hand.

use std::ops::Range;

use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;

use super::GraphError;

/// The SVG's size in pixels.
pub const SIZE: (u32, u32) = (1000, 620);

const MARGIN: u32 = 16;
const TOP: u32 = 48;
const X_LABELS: u32 = 50;
const Y_LABELS: u32 = 96;
const FONT: &str = "sans-serif";

/// One mark in data coordinates.
#[derive(Debug, Clone, PartialEq)]
pub enum Mark {
    /// A vertical bar at `x` from `y0` to `y1` (a segment's bytes, a SACK block).
    Bar { x: f64, y0: f64, y1: f64 },
    /// A polyline through the points (a step line).
    Line(Vec<(f64, f64)>),
    /// A dot (an RTT sample).
    Dot(f64, f64),
}

/// Marks of one kind: one class, one colour, one legend entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Layer {
    /// The `class` attribute of every mark, such as `seg retransmit`.
    pub class: &'static str,
    /// The legend's words for it.
    pub label: &'static str,
    pub colour: RGBColor,
    pub width: u32,
    pub marks: Vec<Mark>,
}

/// A chart: title, axes with their units, and layers drawn in order.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    pub title: String,
    pub x_desc: &'static str,
    pub y_desc: String,
    pub x: Range<f64>,
    pub y: Range<f64>,
    pub layers: Vec<Layer>,
    /// Where the legend goes: a corner the marks usually leave empty.
    pub legend: SeriesLabelPosition,
}

type Area<'a> = DrawingArea<SVGBackend<'a>, plotters::coord::Shift>;
type Ctx<'a, 'b> = ChartContext<'a, SVGBackend<'b>, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

fn err(e: impl std::fmt::Display) -> GraphError {
    GraphError::Draw(e.to_string())
}

/// The same layout in every pass.
fn layout<'a, 'b>(root: &'a Area<'b>, chart: &Chart) -> Result<Ctx<'a, 'b>, GraphError> {
    ChartBuilder::on(root)
        .margin(MARGIN)
        .margin_top(TOP)
        .x_label_area_size(X_LABELS)
        .y_label_area_size(Y_LABELS)
        .build_cartesian_2d(chart.x.clone(), chart.y.clone())
        .map_err(err)
}

/// One pass: a complete plotters SVG document.
fn pass(
    chart: &Chart,
    draw: impl for<'a, 'b> FnOnce(&'a Area<'b>, &mut Ctx<'a, 'b>) -> Result<(), GraphError>,
) -> Result<String, GraphError> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        let mut ctx = layout(&root, chart)?;
        draw(&root, &mut ctx)?;
        root.present().map_err(err)?;
    }
    Ok(svg)
}

/// Background, title and axes.
fn base(root: &Area, ctx: &mut Ctx, chart: &Chart) -> Result<(), GraphError> {
    root.fill(&WHITE).map_err(err)?;
    let title = Text::new(
        chart.title.clone(),
        (MARGIN as i32, (TOP / 3) as i32),
        (FONT, 18).into_font(),
    );
    root.draw(&title).map_err(err)?;
    let y_label = |v: &f64| number(*v);
    let x_label = |v: &f64| number(*v);
    ctx.configure_mesh()
        .x_desc(chart.x_desc)
        .y_desc(chart.y_desc.as_str())
        .x_label_formatter(&x_label)
        .y_label_formatter(&y_label)
        .label_style((FONT, 13))
        .axis_desc_style((FONT, 15))
        .light_line_style(RGBColor(235, 235, 235))
        .draw()
        .map_err(err)
}

/// An axis label: at most three decimals, trailing zeros dropped (`0.1`, `2.5`, `12000`);
/// very small values in exponent form.
fn number(v: f64) -> String {
    let a = v.abs();
    if a != 0.0 && a < 0.001 {
        return format!("{v:.1e}");
    }
    let s = format!("{v:.3}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".into()
    } else {
        s.into()
    }
}

/// One layer's marks: its bars and lines as one series of paths, its dots as another.
fn marks(ctx: &mut Ctx, layer: &Layer) -> Result<(), GraphError> {
    let line = ShapeStyle::from(&layer.colour).stroke_width(layer.width);
    let dot = ShapeStyle::from(&layer.colour).filled();
    let paths = layer.marks.iter().filter_map(|m| match m {
        Mark::Bar { x, y0, y1 } => Some(PathElement::new(vec![(*x, *y0), (*x, *y1)], line)),
        Mark::Line(points) => Some(PathElement::new(points.clone(), line)),
        Mark::Dot(..) => None,
    });
    ctx.draw_series(paths).map_err(err)?;
    let dots = layer.marks.iter().filter_map(|m| match m {
        Mark::Dot(x, y) => Some(Circle::new((*x, *y), 3, dot)),
        _ => None,
    });
    ctx.draw_series(dots).map_err(err)?;
    Ok(())
}

/// The legend: one entry per layer that has marks.
fn legend<'a, 'b: 'a>(ctx: &mut Ctx<'a, 'b>, chart: &Chart) -> Result<(), GraphError> {
    for layer in chart.layers.iter().filter(|l| !l.marks.is_empty()) {
        // A line for lines and bars, a dot for dots: both elements are always drawn, the
        // one not wanted fully transparent (plotters' SVG backend then writes nothing).
        let dots = matches!(layer.marks.first(), Some(Mark::Dot(..)));
        let (line, dot) = if dots {
            (TRANSPARENT, layer.colour.to_rgba())
        } else {
            (layer.colour.to_rgba(), TRANSPARENT)
        };
        let width = layer.width.max(2);
        ctx.draw_series(std::iter::empty::<PathElement<(f64, f64)>>())
            .map_err(err)?
            .label(layer.label)
            .legend(move |(x, y)| {
                EmptyElement::at((x, y))
                    + PathElement::new(vec![(0, 0), (20, 0)], line.stroke_width(width))
                    + Circle::new((10, 0), 3, dot.filled())
            });
    }
    ctx.configure_series_labels()
        .position(chart.legend.clone())
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .label_font((FONT, 13))
        .draw()
        .map_err(err)
}

/// The elements of a plotters document: between its `<svg …>` start tag and `</svg>`.
fn body(svg: &str) -> &str {
    let start = svg
        .find("<svg")
        .and_then(|at| svg.get(at..)?.find('>').map(|end| at + end + 1))
        .unwrap_or(0);
    let end = svg.rfind("</svg>").unwrap_or(svg.len());
    svg.get(start..end).unwrap_or("").trim_start_matches('\n')
}

/// `elements` with ` class="CLASS"` after each element's name.
fn classed(elements: &str, class: &str) -> String {
    let mut out = String::with_capacity(elements.len() + elements.len() / 8);
    let mut rest = elements;
    while let Some(at) = rest.find('<') {
        let (before, from) = rest.split_at(at);
        out.push_str(before);
        let name_len = from
            .get(1..)
            .unwrap_or("")
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(0);
        let (tag, after) = from.split_at(1 + name_len);
        out.push_str(tag);
        if name_len > 0 {
            out.push_str(&format!(" class=\"{class}\""));
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

/// The chart as one SVG document.
pub fn render(chart: &Chart) -> Result<String, GraphError> {
    let first = pass(chart, |root, ctx| base(root, ctx, chart))?;
    let end = first.rfind("</svg>").unwrap_or(first.len());
    let mut svg = first.get(..end).unwrap_or("").to_string();
    for layer in chart.layers.iter().filter(|l| !l.marks.is_empty()) {
        let drawn = pass(chart, |_, ctx| marks(ctx, layer))?;
        svg.push_str(&classed(body(&drawn), layer.class));
    }
    let key = pass(chart, |_, ctx| legend(ctx, chart))?;
    svg.push_str(body(&key));
    svg.push_str("</svg>\n");
    Ok(svg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_go_after_element_names_only() {
        let got = classed(
            "<polyline points=\"1,2 \"/>\n<text x=\"1\">\na &lt; b\n</text>\n",
            "seg x",
        );
        assert_eq!(
            got,
            "<polyline class=\"seg x\" points=\"1,2 \"/>\n<text class=\"seg x\" x=\"1\">\na &lt; b\n</text>\n"
        );
    }

    #[test]
    fn axis_numbers_are_short() {
        let got: Vec<String> = [0.0, 0.1, 0.25, 2.5, 12000.0, 0.0004, -0.0]
            .map(number)
            .into();
        assert_eq!(got, ["0", "0.1", "0.25", "2.5", "12000", "4.0e-4", "0"]);
    }

    #[test]
    fn body_is_between_the_svg_tags() {
        let doc = "<svg width=\"1\" xmlns=\"x\">\n<circle r=\"1\"/>\n</svg>\n";
        assert_eq!(body(doc), "<circle r=\"1\"/>\n");
    }

    #[test]
    fn every_layer_mark_is_one_classed_element() {
        let chart = Chart {
            title: "t".into(),
            x_desc: "time (s)",
            y_desc: "bytes".into(),
            x: 0.0..1.0,
            y: 0.0..10.0,
            layers: vec![Layer {
                class: "seg",
                label: "data",
                colour: BLACK,
                width: 2,
                marks: (0..5)
                    .map(|i| Mark::Bar {
                        x: f64::from(i) / 5.0,
                        y0: f64::from(i),
                        y1: f64::from(i) + 1.0,
                    })
                    .collect(),
            }],
            legend: SeriesLabelPosition::UpperLeft,
        };
        let svg = render(&chart).unwrap();
        assert_eq!(svg.matches("class=\"seg\"").count(), 5, "{svg}");
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>\n"));
        assert_eq!(svg.matches("<svg").count(), 1);
    }
}
