//! Each exercise's check: its criteria and answers, computed from the captures (or, for the
//! typed-trace exercise, from the texts through `capture::verify`).

use crate::capture::escape::escape_text;
use crate::capture::flows::{self, flag, Conversation, Dir, Transport};
use crate::capture::import;
use crate::capture::verify::{Kind, Verdict, Verifier};
use crate::demo::Frame;

use super::shape::{self, few, no, Cap};
use super::{answer, criterion, Answer, Criterion, Exercise, Input, LabError, Material, Report};

/// Check the materials handed in for `ex`.
pub fn check(ex: &Exercise, materials: &[Material]) -> Result<Report, LabError> {
    let frames: Vec<&[Frame]> = materials
        .iter()
        .filter_map(|m| match m {
            Material::Capture(f) => Some(&f[..]),
            Material::Text { .. } => None,
        })
        .collect();
    let count = |want| LabError::Count {
        number: ex.number,
        want,
        got: materials.len(),
    };
    let names = match ex.input {
        Input::Texts if materials.is_empty() || !frames.is_empty() => {
            return Err(count("one or more tcpdump texts"))
        }
        Input::Texts => return typed_trace(ex, materials),
        Input::Captures(names) => names,
    };
    let want = if names.len() == 1 {
        "one capture"
    } else {
        "two captures"
    };
    if frames.len() != names.len() || frames.len() != materials.len() {
        return Err(count(want));
    }
    let caps: Vec<Cap> = frames.iter().map(|f| Cap::new(f)).collect();
    let Some(cap) = caps.first() else {
        return Err(count(want));
    };
    let mut answers = Vec::new();
    let criteria = match ex.number {
        1 => tcp_session(cap, Shape::Lines, &mut answers),
        2 => tcp_session(cap, Shape::Keys, &mut answers),
        3 => nagle(&caps, &mut answers),
        4 => udp_session(cap, Shape::Lines, &mut answers),
        5 => udp_session(cap, Shape::Keys, &mut answers),
        6 => over_ipv6(cap, &mut answers),
        7 => checksums(cap, &mut answers),
        9 => refused(cap, &mut answers),
        10 => unreachable(cap, &mut answers),
        n => vec![criterion(
            "an exercise with a check",
            false,
            format!("exercise {n} has none"),
        )],
    };
    Ok(Report::new(ex, criteria, answers))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    Lines,
    Keys,
}

/// Exercises 1 and 2: handshake, one line (key) per segment, each echoed alone, teardown.
fn tcp_session(cap: &Cap, shape: Shape, answers: &mut Vec<Answer>) -> Vec<Criterion> {
    let c = match cap.first(Transport::Tcp) {
        Ok(c) => c,
        Err(fail) => return vec![fail],
    };
    let per = match shape {
        Shape::Lines => shape::one_line_each(c),
        Shape::Keys => shape::one_key_each(c),
    };
    let mut out = vec![shape::found(c), shape::handshake(cap, c, answers), per];
    out.push(shape::echoed_whole_alone(c, answers));
    out.push(shape::teardown(cap, c, answers));
    if shape == Shape::Keys {
        answers.push(keys_sent(c));
        let data = shape::client_data(c);
        let per_key = c.packets.len() as f64 / data.len().max(1) as f64;
        answers.push(answer(
            "packets per key, all directions, handshake and teardown included",
            format!(
                "{per_key:.1} ({} packets, {} keys)",
                c.packets.len(),
                data.len()
            ),
        ));
    }
    out
}

/// Exercises 4 and 5: no TCP, one line (key) per datagram, each echoed alone to its port.
fn udp_session(cap: &Cap, shape: Shape, answers: &mut Vec<Answer>) -> Vec<Criterion> {
    let c = match cap.first(Transport::Udp) {
        Ok(c) => c,
        Err(fail) => return vec![fail, shape::no_handshake(cap)],
    };
    let mut out = vec![shape::found(c), shape::no_handshake(cap)];
    answers.push(answer("the client's port", c.client.port().to_string()));
    match shape {
        Shape::Lines => {
            out.push(shape::one_line_each(c));
            out.push(empty_line(c));
            let sizes = shape::client_data(c)
                .iter()
                .map(|p| shape::bytes(p.payload.len()))
                .collect();
            answers.push(answer(
                "the size of each datagram the client sent",
                few(sizes),
            ));
        }
        Shape::Keys => {
            out.push(shape::one_key_each(c));
            answers.push(keys_sent(c));
            let keys = shape::client_data(c).len();
            answers.push(answer(
                "datagrams per key",
                format!(
                    "{:.1} ({} datagrams, {keys} keys)",
                    c.packets.len() as f64 / keys.max(1) as f64,
                    c.packets.len()
                ),
            ));
            let headers = if c.client.is_ipv4() { 20 + 8 } else { 40 + 8 };
            answers.push(answer(
                "header bytes carrying one key (IP and UDP; the link adds its own)",
                format!("{headers}"),
            ));
        }
    }
    out.push(shape::echoed_whole_alone(c, answers));
    out
}

/// The keys as the client sent them, escaped (Enter on a raw terminal is `\r`).
fn keys_sent(c: &Conversation) -> Answer {
    let sent: Vec<u8> = shape::client_data(c)
        .iter()
        .flat_map(|p| p.payload.iter().copied())
        .collect();
    answer("the keys' bytes on the wire", flows::show_bytes(&sent))
}

/// An empty line goes out as one byte, its `\n`.
fn empty_line(c: &Conversation) -> Criterion {
    const WHAT: &str = "an empty line is one byte";
    match shape::client_data(c).iter().find(|p| p.payload == b"\n") {
        Some(p) => criterion(WHAT, true, format!("{} carries 1 byte: \"\\n\"", no(p))),
        None => criterion(
            WHAT,
            false,
            "no datagram of just \"\\n\": type an empty line",
        ),
    }
}

/// Exercise 6: exercise 1's shape, over IPv6.
fn over_ipv6(cap: &Cap, answers: &mut Vec<Answer>) -> Vec<Criterion> {
    const WHAT: &str = "over IPv6";
    let mut out = tcp_session(cap, Shape::Lines, answers);
    let Ok(c) = cap.first(Transport::Tcp) else {
        return out;
    };
    let v4 = c
        .packets
        .iter()
        .find(|p| cap.fact(p).is_some_and(|f| !f.ipv6));
    out.insert(
        1,
        match v4 {
            Some(p) => criterion(
                WHAT,
                false,
                format!("{} is IPv4 ({})", no(p), c.client.ip()),
            ),
            None => criterion(
                WHAT,
                true,
                format!(
                    "every segment between {} and {}",
                    c.client.ip(),
                    c.server.ip()
                ),
            ),
        },
    );
    if let Some(f) = c.packets.first().and_then(|p| cap.fact(p)) {
        answers.push(answer("hop limit", f.ttl.to_string()));
    }
    out
}

/// Exercise 3: Nagle's rule in the first capture, an echo sent past an unacknowledged one in
/// the second (only TCP_NODELAY allows it), every key echoed in both.
fn nagle(caps: &[Cap], answers: &mut Vec<Answer>) -> Vec<Criterion> {
    let mut out = Vec::new();
    for (at, cap) in caps.iter().enumerate() {
        let label = if at == 0 { "without -c" } else { "with -c" };
        let c = match cap.first(Transport::Tcp) {
            Ok(c) => c,
            Err(mut fail) => {
                fail.criterion = format!("{label}: {}", fail.criterion);
                out.push(fail);
                continue;
            }
        };
        out.push(all_echoed(c, label));
        let held = unacked_departures(cap, c);
        let sent = shape::client_data(c);
        let keys: usize = sent.iter().map(|p| p.payload.len()).sum();
        answers.push(answer(
            &format!("{label}: the client's segments and the keys they carried"),
            format!("{} segment(s), {keys} key(s)", sent.len()),
        ));
        answers.push(answer(
            &format!("{label}: echo segments and the keys they carried"),
            shape_of_echoes(c),
        ));
        answers.push(answer(
            &format!("{label}: echoes that left while an earlier one was unacknowledged"),
            if held.is_empty() {
                "none".to_string()
            } else {
                few(held.clone())
            },
        ));
        out.push(if at == 0 {
            let what = "without -c: Nagle's rule (no small echo leaves while one is unacknowledged)";
            match held.first() {
                Some(first) => criterion(what, false, format!("{first} left while an earlier echo was unacknowledged")),
                None => criterion(what, true, "every echo left once all earlier echoes were acknowledged"),
            }
        } else {
            let what = "with -c: TCP_NODELAY (an echo leaves while an earlier one is unacknowledged)";
            match held.first() {
                Some(first) => criterion(what, true, format!("{first} left at once")),
                None => criterion(what, false, "every echo waited for the acknowledgement of the one before: type faster, or is -c missing?"),
            }
        });
    }
    out
}

/// Every byte the client sent came back, in order.
fn all_echoed(c: &Conversation, label: &str) -> Criterion {
    let what = format!("{label}: every key came back, in order");
    let stream = |dir| -> Vec<u8> {
        flows::data_packets(c)
            .iter()
            .filter(|p| p.dir == dir)
            .flat_map(|p| p.payload.iter().copied())
            .collect()
    };
    let (sent, back) = (stream(Dir::Client), stream(Dir::Server));
    if sent == back && !sent.is_empty() {
        criterion(&what, true, format!("{} byte(s) each way", sent.len()))
    } else {
        criterion(
            &what,
            false,
            format!(
                "client sent {}, server sent back {}",
                flows::show_bytes(&sent),
                flows::show_bytes(&back)
            ),
        )
    }
}

/// The server's echo segments and how many keys each carried.
fn shape_of_echoes(c: &Conversation) -> String {
    let echoes: Vec<_> = flows::data_packets(c)
        .into_iter()
        .filter(|p| p.dir == Dir::Server)
        .collect();
    let joined = echoes.iter().filter(|p| p.payload.len() > 1).count();
    let largest = echoes.iter().map(|p| p.payload.len()).max().unwrap_or(0);
    format!(
        "{} segment(s); {joined} carried more than one key (the largest {largest})",
        echoes.len()
    )
}

/// Server data segments sent while earlier server data was unacknowledged, with the client's
/// acknowledgement at that moment.
fn unacked_departures(cap: &Cap, c: &Conversation) -> Vec<String> {
    let mut acked: Option<u32> = None;
    let mut sent_end: Option<u32> = None;
    let mut held = Vec::new();
    let data: std::collections::HashSet<usize> = flows::data_places(c).into_iter().collect();
    for (i, p) in c.packets.iter().enumerate() {
        if p.dir == Dir::Client && p.flags & flag::ACK != 0 {
            if let Some(f) = cap.fact(p) {
                acked = Some(acked.map_or(f.ack, |a| later(a, f.ack)));
            }
        }
        if p.dir != Dir::Server || !data.contains(&i) {
            continue;
        }
        if let (Some(end), Some(a)) = (sent_end, acked) {
            if (end.wrapping_sub(a) as i32) > 0 {
                held.push(format!(
                    "{} ({} bytes unacknowledged)",
                    no(p),
                    end.wrapping_sub(a)
                ));
            }
        }
        sent_end = Some(p.seq.wrapping_add(p.payload.len() as u32));
    }
    held
}

/// The later of two sequence numbers (RFC 9293's modular comparison).
fn later(a: u32, b: u32) -> u32 {
    if (b.wrapping_sub(a) as i32) > 0 {
        b
    } else {
        a
    }
}

/// Exercise 7: IP header checksums correct; every TCP/UDP checksum tcpdump calls incorrect
/// holds only the pseudo-header's sum.
fn checksums(cap: &Cap, answers: &mut Vec<Answer>) -> Vec<Criterion> {
    let packets: Vec<_> = cap
        .flows
        .conversations
        .iter()
        .flat_map(|c| &c.packets)
        .collect();
    if packets.is_empty() {
        return vec![criterion("TCP or UDP packets", false, cap.census())];
    }
    let mut out = vec![criterion("TCP or UDP packets", true, cap.census())];
    let ip_bad: Vec<_> = packets
        .iter()
        .filter(|p| p.ip_checksum_ok == Some(false))
        .collect();
    let ip_ok = packets
        .iter()
        .filter(|p| p.ip_checksum_ok == Some(true))
        .count();
    out.push(match ip_bad.first() {
        Some(p) => criterion(
            "IP header checksums correct",
            false,
            format!(
                "{} of {} wrong, the first {}",
                ip_bad.len(),
                ip_bad.len() + ip_ok,
                no(p)
            ),
        ),
        None if ip_ok == 0 => criterion(
            "IP header checksums correct",
            true,
            "IPv6 only: IPv6 has no header checksum",
        ),
        None => criterion(
            "IP header checksums correct",
            true,
            format!("{ip_ok} of {ip_ok} correct"),
        ),
    });
    let incorrect: Vec<_> = packets
        .iter()
        .filter(|p| p.l4_checksum_ok == Some(false))
        .collect();
    out.push(criterion(
        "tcpdump calls TCP/UDP checksums incorrect",
        !incorrect.is_empty(),
        format!("{} of {} packets", incorrect.len(), packets.len()),
    ));
    let damaged: Vec<String> = incorrect
        .iter()
        .filter(|p| !cap.fact(p).is_some_and(|f| f.partial_checksum))
        .map(|p| no(p))
        .collect();
    let what = "each incorrect TCP/UDP checksum holds the pseudo-header's sum (offload)";
    out.push(if damaged.is_empty() {
        criterion(what, true, format!("all {} of them", incorrect.len()))
    } else {
        criterion(what, false, format!("not so: {}", few(damaged.clone())))
    });
    answers.push(answer(
        "TCP/UDP checksums tcpdump calls incorrect",
        incorrect.len().to_string(),
    ));
    answers.push(answer(
        "packets really damaged",
        if damaged.is_empty() {
            "none: the kernel leaves the checksum to an offload that never runs on lo".to_string()
        } else {
            few(damaged)
        },
    ));
    out
}

/// Exercise 9: the client's SYN answered by a RST, never a SYN-ACK.
fn refused(cap: &Cap, answers: &mut Vec<Answer>) -> Vec<Criterion> {
    let c = match cap.first(Transport::Tcp) {
        Ok(c) => c,
        Err(fail) => return vec![fail],
    };
    let mut out = vec![shape::found(c)];
    let syn = c
        .packets
        .first()
        .filter(|p| p.dir == Dir::Client && p.flags & 0x17 == flag::SYN);
    let Some(syn) = syn else {
        out.push(criterion(
            "the client's SYN",
            false,
            "the connection does not open with a SYN",
        ));
        return out;
    };
    out.push(criterion(
        "the client's SYN",
        true,
        format!("{} S seq {}", no(syn), syn.seq),
    ));
    let synack = c
        .packets
        .iter()
        .find(|p| p.dir == Dir::Server && p.flags & flag::SYN != 0);
    let rst = c
        .packets
        .iter()
        .find(|p| p.dir == Dir::Server && p.flags & flag::RST != 0);
    const WHAT: &str = "answered by a RST, never a SYN-ACK";
    out.push(match (synack, rst) {
        (Some(p), _) => criterion(WHAT, false, format!("{} S.: the port is open", no(p))),
        (None, None) => criterion(WHAT, false, "no answer from the server's port"),
        (None, Some(r)) => {
            let ack = cap.fact(r).map_or(0, |f| f.ack);
            answers.push(answer(
                "the client's initial sequence number",
                syn.seq.to_string(),
            ));
            answers.push(answer(
                "the RST's acknowledgement number",
                format!(
                    "{ack} (the SYN takes one sequence number: ISN + 1 = {})",
                    syn.seq.wrapping_add(1)
                ),
            ));
            criterion(
                WHAT,
                true,
                format!("{} {} ack {ack}", no(r), flows::flags_text(r.flags)),
            )
        }
    });
    out
}

/// Exercise 10: a datagram to a closed port, no UDP answer, an ICMP port unreachable back.
fn unreachable(cap: &Cap, answers: &mut Vec<Answer>) -> Vec<Criterion> {
    let c = match cap.first(Transport::Udp) {
        Ok(c) => c,
        Err(fail) => return vec![fail],
    };
    let mut out = vec![shape::found(c)];
    const NONE: &str = "no UDP answer";
    out.push(match c.packets.iter().find(|p| p.dir == Dir::Server) {
        Some(p) => criterion(NONE, false, format!("{} answers from the port", no(p))),
        None => criterion(NONE, true, format!("nothing from {}", c.server)),
    });
    let Some(sent) = c.packets.first() else {
        return out;
    };
    let icmp = (sent.index + 1..cap.facts.len()).find(|&i| {
        cap.facts
            .get(i)
            .and_then(Option::as_ref)
            .is_some_and(|f| f.port_unreachable())
    });
    const WHAT: &str = "an ICMP port unreachable in its place";
    out.push(match icmp {
        None => criterion(
            WHAT,
            false,
            format!("none after {}: {}", no(sent), cap.census()),
        ),
        Some(i) => {
            let v6 = cap
                .facts
                .get(i)
                .and_then(Option::as_ref)
                .is_some_and(|f| f.ipv6);
            let kind = if v6 {
                "ICMPv6 type 1 code 4"
            } else {
                "ICMP type 3 code 3"
            };
            answers.push(answer(
                "the ICMP type and code",
                format!("{kind} (port unreachable)"),
            ));
            if let (Some(&a), Some(&b)) = (cap.stamps.get(sent.index), cap.stamps.get(i)) {
                let after = shape::ms(flows::elapsed_ns(a, b));
                answers.push(answer("how long after the datagram it came", after));
            }
            criterion(WHAT, true, format!("#{} {kind}, after {}", i + 1, no(sent)))
        }
    });
    out
}

/// Exercise 8: import and verify each text; the claims the bytes contradict are the answers.
fn typed_trace(ex: &Exercise, materials: &[Material]) -> Result<Report, LabError> {
    let mut criteria = Vec::new();
    let mut answers = Vec::new();
    let mut wrong = 0;
    for m in materials {
        let Material::Text { name, text } = m else {
            continue;
        };
        let name = escape_text(name);
        // Not a trace at all is unreadable input, as for `verify`.
        let survey =
            import::survey(text.as_bytes()).map_err(|e| LabError::Text(format!("{name}: {e}")))?;
        let mut verifier = Verifier::new(survey.link);
        let (mut packets, mut claims, mut unchecked) = (0, 0, Vec::new());
        for p in import::TextReader::new(text.as_bytes()) {
            let p = p.map_err(|e| LabError::Text(format!("{name}: {e}")))?;
            let (r, _) = verifier.check(&p);
            packets += 1;
            claims += r.checked;
            if r.verdict() == Verdict::NotChecked {
                unchecked.push(format!("line {}", r.line));
            }
            for f in r.findings.iter().filter(|f| f.kind == Kind::Disagree) {
                wrong += 1;
                answers.push(answer(
                    &format!("{name} line {}: a wrong claim", r.line),
                    escape_text(&f.text),
                ));
            }
        }
        criteria.push(criterion(
            &format!("{name}: a tcpdump trace with hex"),
            packets > 0,
            format!("{packets} packet(s) read back from the hex"),
        ));
        criteria.push(criterion(
            &format!("{name}: every packet's claims checked against its bytes"),
            unchecked.is_empty() && claims > 0,
            if unchecked.is_empty() {
                format!("{claims} claims checked")
            } else {
                format!("not checked: {}", few(unchecked))
            },
        ));
    }
    answers.insert(0, answer("claims the bytes contradict", wrong.to_string()));
    Ok(Report::new(ex, criteria, answers))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lab::{exercise, EXERCISES};

    fn frames(path: &std::path::Path) -> Vec<Frame> {
        let file = std::fs::File::open(path).unwrap();
        let mut r = crate::capture::pcap::Reader::new(std::io::BufReader::new(file)).unwrap();
        let mut out = Vec::new();
        while let Ok(Some(rec)) = r.next_record() {
            out.push(Frame {
                ts: rec.ts,
                len: rec.len,
                link: rec.link,
                data: rec.data.to_vec(),
            });
        }
        out
    }

    fn fixture(name: &str) -> Material {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        Material::Capture(frames(&root.join("fixtures").join(name)))
    }

    fn report(n: u32, m: &[Material]) -> Report {
        check(exercise(n).unwrap(), m).unwrap()
    }

    /// The first failing criterion's words.
    fn first_failure(r: &Report) -> &str {
        r.criteria
            .iter()
            .find(|c| !c.pass)
            .map_or("", |c| c.criterion.as_str())
    }

    #[test]
    fn later_follows_the_sequence_space_across_its_wrap() {
        assert_eq!(later(10, 20), 20);
        assert_eq!(later(20, 10), 20);
        assert_eq!(later(u32::MAX - 1, 3), 3);
    }

    #[test]
    fn the_recorded_sessions_pass_their_exercise_and_fail_the_others() {
        let pass = [
            (1, "sessions/tcp-line.pcap"),
            (2, "sessions/tcp-continuous.pcap"),
            (4, "sessions/udp-line.pcap"),
            (5, "sessions/udp-continuous.pcap"),
            (7, "sessions/tcp-line.pcap"),
        ];
        for (n, file) in pass {
            let r = report(n, &[fixture(file)]);
            assert!(r.pass, "{file}: {r:#?}");
        }
        let fail = [
            (2, "sessions/tcp-line.pcap", "one byte per segment"),
            (1, "sessions/tcp-continuous.pcap", "one segment per line"),
            (1, "sessions/udp-line.pcap", "a TCP connection"),
            (4, "sessions/tcp-line.pcap", "a UDP exchange"),
            (5, "sessions/udp-line.pcap", "one byte per datagram"),
            (6, "sessions/tcp-line.pcap", "over IPv6"),
            (9, "sessions/tcp-line.pcap", "answered by a RST"),
        ];
        for (n, file, want) in fail {
            let r = report(n, &[fixture(file)]);
            assert!(first_failure(&r).contains(want), "{n} on {file}: {r:#?}");
        }
    }

    #[test]
    fn the_reports_traces_stop_before_teardown() {
        // Rebuilt by `import` from the report's text: raw IP, no FIN.
        let r = report(1, &[fixture("report/tcp-line.pcap")]);
        assert_eq!(first_failure(&r), "orderly teardown", "{r:#?}");
        let r = report(4, &[fixture("report/udp-line.pcap")]);
        assert!(r.pass, "{r:#?}");
    }

    #[test]
    fn every_fixture_checks_without_panicking() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
        let mut stack = vec![root];
        let mut files = Vec::new();
        while let Some(dir) = stack.pop() {
            for e in std::fs::read_dir(dir).unwrap().flatten() {
                let p = e.path();
                if p.is_dir() {
                    stack.push(p);
                } else if p.extension().is_some_and(|x| x == "pcap" || x == "pcapng") {
                    files.push(p);
                }
            }
        }
        assert!(files.len() > 50, "{files:?}");
        for f in &files {
            let m = Material::Capture(frames(f));
            for ex in EXERCISES.iter().filter(|e| e.input != Input::Texts) {
                let given = match ex.input {
                    Input::Captures(names) => vec![m.clone(); names.len()],
                    Input::Texts => Vec::new(),
                };
                let r = check(ex, &given).unwrap();
                assert_eq!(r.pass, r.criteria.iter().all(|c| c.pass));
                assert!(!r.criteria.is_empty(), "{}: {r:#?}", f.display());
            }
        }
    }

    #[test]
    fn wrong_counts_are_refused() {
        let m = fixture("sessions/tcp-line.pcap");
        let ex = exercise(3).unwrap();
        assert!(matches!(
            check(ex, std::slice::from_ref(&m)),
            Err(LabError::Count { got: 1, .. })
        ));
        assert!(matches!(
            check(exercise(1).unwrap(), &[]),
            Err(LabError::Count { .. })
        ));
        assert!(matches!(
            check(exercise(8).unwrap(), &[m]),
            Err(LabError::Count { .. })
        ));
    }
}
