//! Each kind of graph as a `Chart`: which marks, in which layers and classes, on which axes.

use std::ops::Range;

use plotters::chart::SeriesLabelPosition;
use plotters::style::RGBColor;

use crate::capture::flows::{data_packets, echoes, elapsed_ns, Conversation};

use super::analysis::{SegKind, Trace};
use super::chart::{Chart, Layer, Mark};
use super::{GraphError, Kind};

/// A chart and what it shows, for the command's summary.
pub struct Drawn {
    pub chart: Chart,
    pub marks: usize,
    pub retransmissions: usize,
}

/// The legend's corner, except in the time-sequence graph.
const LEGEND: SeriesLabelPosition = SeriesLabelPosition::UpperRight;

const TIME: &str = "time since the first packet (s)";

/// The class, legend words and colour of each kind of data segment. Every class begins
/// with `seg`; the retransmissions Wireshark counts all carry `retransmit`.
fn segment_layer(kind: SegKind) -> Layer {
    let (class, label, colour) = match kind {
        SegKind::New => ("seg", "data segment", RGBColor(0, 0, 0)),
        SegKind::OutOfOrder => ("seg ooo", "out of order", RGBColor(230, 120, 0)),
        SegKind::FastRetransmit => (
            "seg retransmit fast",
            "fast retransmission",
            RGBColor(200, 0, 160),
        ),
        SegKind::Retransmit => ("seg retransmit", "retransmission", RGBColor(220, 0, 0)),
        SegKind::Spurious => (
            "seg retransmit spurious",
            "spurious retransmission",
            RGBColor(120, 120, 120),
        ),
        SegKind::KeepAlive => ("seg keepalive", "keep-alive", RGBColor(120, 70, 20)),
    };
    Layer {
        class,
        label,
        colour,
        width: 2,
        marks: Vec::new(),
    }
}

fn layer(class: &'static str, label: &'static str, colour: RGBColor, width: u32) -> Layer {
    Layer {
        class,
        label,
        colour,
        width,
        marks: Vec::new(),
    }
}

/// `lo..hi` widened by 3 % each side (and to 1 when empty), so marks stay off the axes.
fn padded(lo: f64, hi: f64) -> Range<f64> {
    let (lo, hi) = if hi > lo { (lo, hi) } else { (lo, lo + 1.0) };
    let pad = (hi - lo) * 0.03;
    (lo - pad)..(hi + pad)
}

/// A step line through `(x, y)` points in time order, held to `end`.
fn steps(points: impl IntoIterator<Item = (f64, f64)>, end: f64) -> Vec<(f64, f64)> {
    let mut out: Vec<(f64, f64)> = Vec::new();
    for (x, y) in points {
        if let Some(&(_, prev)) = out.last() {
            out.push((x, prev));
        }
        out.push((x, y));
    }
    if let Some(&(x, y)) = out.last() {
        if end > x {
            out.push((end, y));
        }
    }
    out
}

/// The min and max of some values (0..0 for none).
fn bounds(values: impl IntoIterator<Item = f64>) -> (f64, f64) {
    values
        .into_iter()
        .fold(None, |acc: Option<(f64, f64)>, v| {
            Some(acc.map_or((v, v), |(lo, hi)| (lo.min(v), hi.max(v))))
        })
        .unwrap_or((0.0, 0.0))
}

fn title(what: &str, t: &Trace, n: usize) -> String {
    format!("{what}: {} → {} (conversation {n})", t.sender, t.receiver)
}

/// The graph `kind` of an analysed TCP conversation, number `n`.
pub fn tcp(t: &Trace, kind: Kind, n: usize) -> Result<Drawn, GraphError> {
    match kind {
        Kind::Tseq => tseq(t, n),
        Kind::Rtt => rtt(t, n),
        Kind::Throughput => throughput(t, n),
        Kind::Window => window(t, n),
    }
}

fn tseq(t: &Trace, n: usize) -> Result<Drawn, GraphError> {
    if t.segments.is_empty() {
        return Err(GraphError::Empty {
            asked: n,
            what: "data segment",
        });
    }
    let kinds = [
        SegKind::New,
        SegKind::OutOfOrder,
        SegKind::FastRetransmit,
        SegKind::Retransmit,
        SegKind::Spurious,
        SegKind::KeepAlive,
    ];
    let mut segs: Vec<Layer> = kinds.iter().map(|&k| segment_layer(k)).collect();
    for s in &t.segments {
        if let Some(l) = kinds
            .iter()
            .position(|&k| k == s.kind)
            .and_then(|i| segs.get_mut(i))
        {
            l.marks.push(Mark::Bar {
                x: s.t,
                y0: s.seq as f64,
                y1: s.end() as f64,
            });
        }
    }
    let (lo, hi) = bounds(
        t.segments
            .iter()
            .flat_map(|s| [s.seq as f64, s.end() as f64])
            .chain(t.acks.iter().map(|a| a.ack as f64)),
    );
    // The window's edge can lie far above a short transfer (64 KiB over a few bytes of an
    // echo session): past twice the data's height it is cut at the top, and said so. The
    // SYN+ACK's unscaled window does not count in that height, but is cut like the rest.
    let edges: Vec<(f64, f64)> = t
        .acks
        .iter()
        .map(|a| (a.t, (a.ack as f64) + a.window as f64))
        .collect();
    let (_, edge_hi) = bounds(
        t.acks
            .iter()
            .zip(&edges)
            .filter(|(a, _)| !a.syn || t.acks.iter().all(|a| a.syn))
            .map(|(_, e)| e.1),
    );
    let room = (hi - lo).max(1.0);
    let top = if edge_hi > hi + 2.0 * room {
        hi + room / 2.0
    } else {
        hi.max(edge_hi)
    };
    let cut = edges.iter().any(|e| e.1 > top);
    let mut ack = layer("ack", "ACK", RGBColor(0, 150, 0), 1);
    let label = if cut {
        "ACK + advertised window (cut at the top)"
    } else {
        "ACK + advertised window"
    };
    let mut win = layer("window", label, RGBColor(190, 160, 0), 1);
    let mut sack = layer("sack", "SACK block", RGBColor(30, 90, 220), 2);
    if !t.acks.is_empty() {
        ack.marks.push(Mark::Line(steps(
            t.acks.iter().map(|a| (a.t, a.ack as f64)),
            t.span,
        )));
        win.marks.push(Mark::Line(steps(
            edges.iter().map(|&(x, y)| (x, y.min(top))),
            t.span,
        )));
    }
    for a in &t.acks {
        for &(l, r) in &a.sack {
            sack.marks.push(Mark::Bar {
                x: a.t,
                y0: l as f64,
                y1: r as f64,
            });
        }
    }
    let retransmissions = t
        .segments
        .iter()
        .filter(|s| s.kind.is_retransmission())
        .count();
    let mut layers = vec![win, ack, sack];
    layers.extend(segs);
    Ok(Drawn {
        chart: Chart {
            title: title("Time-sequence graph", t, n),
            x_desc: TIME,
            y_desc: "relative sequence number (bytes)".into(),
            x: padded(0.0, t.span),
            y: padded(lo.min(0.0), top),
            layers,
            // The data and ACK lines rise from lower left to upper right.
            legend: SeriesLabelPosition::LowerRight,
        },
        marks: t.segments.len(),
        retransmissions,
    })
}

fn rtt_chart(
    what: String,
    samples: Vec<(f64, f64)>,
    span: f64,
    n: usize,
) -> Result<Drawn, GraphError> {
    if samples.is_empty() {
        return Err(GraphError::Empty {
            asked: n,
            what: "round-trip sample",
        });
    }
    let (_, hi) = bounds(samples.iter().map(|s| s.1));
    let mut dots = layer("rtt", "round-trip time", RGBColor(200, 30, 30), 1);
    dots.marks = samples.iter().map(|&(x, y)| Mark::Dot(x, y)).collect();
    Ok(Drawn {
        chart: Chart {
            title: what,
            x_desc: TIME,
            y_desc: "round-trip time (ms)".into(),
            x: padded(0.0, span),
            y: padded(0.0, hi),
            layers: vec![dots],
            legend: LEGEND,
        },
        marks: samples.len(),
        retransmissions: 0,
    })
}

fn rtt(t: &Trace, n: usize) -> Result<Drawn, GraphError> {
    let samples = t.rtt.iter().map(|s| (s.t, s.rtt * 1e3)).collect();
    rtt_chart(
        title("Round-trip time per acknowledged segment", t, n),
        samples,
        t.span,
        n,
    )
}

/// Round-trip time per echo of a UDP exchange: request to its echo.
pub fn udp_rtt(c: &Conversation, n: usize) -> Result<Drawn, GraphError> {
    let data = data_packets(c);
    let start = c.packets.first().map(|p| p.ts).unwrap_or_default();
    let secs = |ns: u64| ns as f64 / 1e9;
    let samples = echoes(c)
        .iter()
        .filter_map(|e| {
            let req = data.get(e.request)?;
            Some((secs(elapsed_ns(start, req.ts)), secs(e.rtt_ns?) * 1e3))
        })
        .collect();
    let span = c
        .packets
        .last()
        .map_or(0.0, |p| secs(elapsed_ns(start, p.ts)));
    let what = format!(
        "Round-trip time per echo: {} → {} (conversation {n})",
        c.client, c.server
    );
    rtt_chart(what, samples, span, n)
}

/// Bytes per second the sender put on the wire (first sendings and resendings alike) over
/// a window a tenth of the conversation long (at least 1 ms), sampled at 400 evenly spaced
/// times: between two segments the rate falls as the window slides past them.
fn throughput(t: &Trace, n: usize) -> Result<Drawn, GraphError> {
    if t.segments.is_empty() {
        return Err(GraphError::Empty {
            asked: n,
            what: "data segment",
        });
    }
    const SAMPLES: u32 = 400;
    let w = (t.span / 10.0).max(1e-3);
    // Bytes sent up to and including each segment, for sums over any time range.
    let mut total = 0u64;
    let sums: Vec<(f64, u64)> = t
        .segments
        .iter()
        .map(|s| {
            total += u64::from(s.len);
            (s.t, total)
        })
        .collect();
    let upto = |x: f64| {
        let at = sums.partition_point(|&(st, _)| st <= x);
        at.checked_sub(1)
            .and_then(|i| sums.get(i))
            .map_or(0, |&(_, b)| b)
    };
    let rates: Vec<(f64, f64)> = (0..=SAMPLES)
        .map(|i| {
            let x = t.span * f64::from(i) / f64::from(SAMPLES);
            (x, (upto(x) - upto(x - w)) as f64 / w)
        })
        .collect();
    let (_, hi) = bounds(rates.iter().map(|r| r.1));
    let (unit, div) = if hi >= 1e6 {
        ("MB/s", 1e6)
    } else if hi >= 1e3 {
        ("kB/s", 1e3)
    } else {
        ("B/s", 1.0)
    };
    let mut line = layer("throughput", "throughput", RGBColor(0, 90, 200), 2);
    line.marks.push(Mark::Line(
        rates.iter().map(|&(x, y)| (x, y / div)).collect(),
    ));
    Ok(Drawn {
        chart: Chart {
            title: title("Throughput", t, n),
            x_desc: TIME,
            y_desc: format!("throughput ({unit}, over {:.0} ms)", w * 1e3),
            x: padded(0.0, t.span),
            y: padded(0.0, hi / div),
            layers: vec![line],
            legend: LEGEND,
        },
        marks: t.segments.len(),
        retransmissions: t
            .segments
            .iter()
            .filter(|s| s.kind.is_retransmission())
            .count(),
    })
}

/// The receiver's advertised window, and the bytes in flight (sent beyond the last ACK).
fn window(t: &Trace, n: usize) -> Result<Drawn, GraphError> {
    if t.acks.is_empty() {
        return Err(GraphError::Empty {
            asked: n,
            what: "ACK",
        });
    }
    enum Event {
        Sent(i64),
        Acked(i64),
    }
    let mut events: Vec<(f64, Event)> = t
        .segments
        .iter()
        .map(|s| (s.t, Event::Sent(s.end())))
        .chain(t.acks.iter().map(|a| (a.t, Event::Acked(a.ack))))
        .collect();
    events.sort_by(|a, b| a.0.total_cmp(&b.0));
    let (mut high, mut acked) = (None::<i64>, None::<i64>);
    let mut flight = Vec::new();
    for (x, e) in events {
        match e {
            Event::Sent(end) => high = Some(high.map_or(end, |h| h.max(end))),
            Event::Acked(a) => acked = Some(acked.map_or(a, |h| h.max(a))),
        }
        if let (Some(h), Some(a)) = (high, acked) {
            flight.push((x, (h - a).max(0) as f64));
        }
    }
    let mut adv = layer("window", "advertised window", RGBColor(190, 160, 0), 2);
    adv.marks.push(Mark::Line(steps(
        t.acks.iter().map(|a| (a.t, a.window as f64)),
        t.span,
    )));
    let mut inflight = layer("inflight", "bytes in flight", RGBColor(0, 90, 200), 2);
    if !flight.is_empty() {
        inflight
            .marks
            .push(Mark::Line(steps(flight.iter().copied(), t.span)));
    }
    let (_, hi) = bounds(
        t.acks
            .iter()
            .map(|a| a.window as f64)
            .chain(flight.iter().map(|f| f.1)),
    );
    Ok(Drawn {
        chart: Chart {
            title: title("Window", t, n),
            x_desc: TIME,
            y_desc: "bytes".into(),
            x: padded(0.0, t.span),
            y: padded(0.0, hi),
            layers: vec![adv, inflight],
            legend: LEGEND,
        },
        marks: t.acks.len(),
        retransmissions: t
            .segments
            .iter()
            .filter(|s| s.kind.is_retransmission())
            .count(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn step_lines_hold_each_value_until_the_next() {
        let got = steps([(0.0, 1.0), (2.0, 3.0)], 5.0);
        assert_eq!(got, vec![(0.0, 1.0), (2.0, 1.0), (2.0, 3.0), (5.0, 3.0)]);
        assert!(steps([], 5.0).is_empty());
    }

    #[test]
    fn ranges_are_padded_and_never_empty() {
        assert_eq!(padded(0.0, 100.0), -3.0..103.0);
        let r = padded(7.0, 7.0);
        assert!(r.start < 7.0 && r.end > 8.0);
    }
}
