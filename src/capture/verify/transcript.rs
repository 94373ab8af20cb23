//! Client screen listings against the payloads a trace carried each way.

use std::net::IpAddr;

use super::super::import::{TextPacket, Trace};
use super::super::record::LinkType;
use super::super::repair::repair;
use super::super::wire::{tcp, udp};
use super::layout;

/// One payload the trace carried.
struct Payload {
    time: String,
    from_client: bool,
    bytes: Vec<u8>,
}

/// The payloads of a trace in order, gathered one packet at a time; the client is the first
/// packet's source. Holds the payload bytes only, not the packets.
#[derive(Default)]
pub struct Payloads {
    client: Option<(IpAddr, u16)>,
    list: Vec<Payload>,
}

impl Payloads {
    /// Add the payload of the next packet (its bytes as repaired).
    pub fn push(&mut self, fixed: &TextPacket, link: LinkType) {
        let Some(lay) = layout(&fixed.bytes, link) else {
            return;
        };
        let seg: Vec<u8> = fixed
            .bytes
            .get(lay.start..lay.end.min(fixed.bytes.len()))
            .unwrap_or(&[])
            .iter()
            .map(|b| b.unwrap_or(b'?'))
            .collect();
        let (Some(a), Some(b)) = (seg.first(), seg.get(1)) else {
            return;
        };
        let sport = u16::from_be_bytes([*a, *b]);
        let from = (lay.src, sport);
        let client = *self.client.get_or_insert(from);
        // The payload starts after the transport header; a TCP header the bytes cannot hold
        // leaves no payload.
        let off = match lay.proto {
            tcp::PROTOCOL => seg
                .get(tcp::field::DATA_OFF)
                .map_or(seg.len(), |b| usize::from(b >> 4) * 4),
            udp::PROTOCOL => udp::HEADER_LEN,
            _ => return,
        };
        let bytes = seg.get(off..).unwrap_or(&[]).to_vec();
        if !bytes.is_empty() {
            self.list.push(Payload {
                time: fixed.time.clone(),
                from_client: from == client,
                bytes,
            });
        }
    }

    /// Check a client's screen listing against the payloads (see [`check_transcript`]).
    pub fn check(&self, screen: &str) -> Vec<String> {
        check_payloads(&self.list, screen)
    }
}

fn show(b: u8) -> String {
    match b {
        b'\n' => "\\n".to_string(),
        0x20..=0x7e => char::from(b).to_string(),
        _ => format!("\\x{b:02x}"),
    }
}

fn dir(from_client: bool) -> &'static str {
    if from_client {
        "client->server"
    } else {
        "server->client"
    }
}

/// Check a client's screen listing against the payloads the trace carried each way.
///
/// Two screens are understood. Line mode (the report's `>HELLO MASTER >ECHO:HELLO MASTER`):
/// each `>` starts a line; `>ECHO:` lines are the server's echoes, the others what the user
/// typed; they are compared with the payloads split at newlines. Continuous mode (no `>`): the
/// last line of the listing is compared character by character with every payload byte in the
/// trace's order (each typed character shown as sent, each echo as received), newlines aside.
/// Returns one sentence per difference; the `ECHO:` prefix, drawn by the client, is named too.
pub fn check_transcript(trace: &Trace, screen: &str) -> Vec<String> {
    let mut pays = Payloads::default();
    for p in &trace.packets {
        let mut fixed = p.clone();
        repair(&mut fixed, trace.link);
        pays.push(&fixed, trace.link);
    }
    pays.check(screen)
}

fn check_payloads(pays: &[Payload], screen: &str) -> Vec<String> {
    let text: Vec<&str> = screen
        .lines()
        .filter(|l| !l.trim_start().starts_with("```"))
        .collect();
    let text = text.join("\n").replace("<pre>", "").replace("</pre>", "");
    if text.contains('>') {
        line_mode(pays, &text)
    } else {
        let last = text
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("");
        continuous_mode(pays, last.trim())
    }
}

fn wire_lines(pays: &[Payload], from_client: bool) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for p in pays.iter().filter(|p| p.from_client == from_client) {
        for b in &p.bytes {
            if *b == b'\n' {
                out.push((std::mem::take(&mut cur), p.time.clone()));
            } else {
                cur.push_str(&show(*b));
            }
        }
    }
    if !cur.is_empty() {
        out.push((cur, pays.last().map_or(String::new(), |p| p.time.clone())));
    }
    out
}

fn line_mode(pays: &[Payload], text: &str) -> Vec<String> {
    let mut typed = Vec::new();
    let mut echoed = Vec::new();
    for piece in text.split('>').skip(1) {
        let piece = piece.trim();
        match piece.strip_prefix("ECHO:") {
            Some(e) => echoed.push(e.trim_start().to_string()),
            None => typed.push(piece.to_string()),
        }
    }
    let mut out = Vec::new();
    if !echoed.is_empty() {
        out.push(format!(
            "the screen shows `ECHO:` before {} echoed line(s); the server's payloads do not carry it (the client draws it)",
            echoed.len()
        ));
    }
    for (from_client, shown, what) in [(true, &typed, "typed"), (false, &echoed, "echoed")] {
        let wire = wire_lines(pays, from_client);
        for k in 0..wire.len().max(shown.len()) {
            match (wire.get(k), shown.get(k)) {
                (Some((w, _)), Some(s)) if w == s => {}
                (Some((w, t)), Some(s)) => out.push(format!(
                    "{what} line {}: the screen shows `{s}`, the wire carried `{w}` ({}, {t})",
                    k + 1,
                    dir(from_client)
                )),
                (Some((w, t)), None) => out.push(format!(
                    "the wire carried {} ({}, {t}) that the screen does not show",
                    if w.is_empty() {
                        "an empty line (`\\n` alone)".to_string()
                    } else {
                        format!("`{w}`")
                    },
                    dir(from_client)
                )),
                (None, Some(s)) => out.push(format!(
                    "the screen shows {what} line `{s}` that no {} payload carried",
                    dir(from_client)
                )),
                (None, None) => {}
            }
        }
    }
    out
}

fn continuous_mode(pays: &[Payload], shown: &str) -> Vec<String> {
    let wire: Vec<(u8, &Payload)> = pays
        .iter()
        .flat_map(|p| p.bytes.iter().map(move |b| (*b, p)))
        .filter(|(b, _)| *b != b'\n' && *b != b'\r')
        .collect();
    let screen: Vec<u8> = shown.bytes().collect();
    // Longest common subsequence, matching each screen character to the earliest wire byte.
    let (n, m) = (wire.len(), screen.len());
    let mut t = vec![vec![0usize; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            t[i][j] = if wire[i].0 == screen[j] {
                t[i + 1][j + 1] + 1
            } else {
                t[i + 1][j].max(t[i][j + 1])
            };
        }
    }
    let mut out = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < n || j < m {
        if i < n && j < m && wire[i].0 == screen[j] {
            i += 1;
            j += 1;
        } else if j < m && (i == n || t[i][j + 1] >= t[i + 1][j]) {
            out.push(format!(
                "the screen shows `{}` (character {} of `{shown}`) that no payload carried",
                show(screen[j]),
                j + 1
            ));
            j += 1;
        } else {
            let (b, p) = wire[i];
            out.push(format!(
                "the wire carried `{}` ({}, {}) that the screen does not show",
                show(b),
                dir(p.from_client),
                p.time
            ));
            i += 1;
        }
    }
    out
}
