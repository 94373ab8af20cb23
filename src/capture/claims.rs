//! Claims: the header text of a tcpdump packet split into fields (`ip.ttl 64`,
//! `tcp.seq 2228874053`, `tcp.cksum 0x7e1e (correct)`...), in 4.1-era or 4.99 wording.
//!
//! Text only: this module knows nothing of packets' bytes, of `import` or of `verify`.
//!
//! Must not import `crate::echo`, `crate::cli`, clap, tokio or comfy-table.

/// One claim of a header text: a key naming the field (`ip.ttl`) and the value as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    pub key: String,
    pub value: String,
}

/// Split a header text (4.1-era or 4.99 wording, whitespace collapsed) into claims.
pub fn parse_claims(header: &str) -> Vec<Claim> {
    let text = header.split_whitespace().collect::<Vec<_>>().join(" ");
    let text = text.replace(" ,", ",");
    let mut out = Vec::new();
    let mut push = |k: &str, v: &str| {
        out.push(Claim {
            key: k.to_string(),
            value: v.trim().to_string(),
        })
    };
    let (layer, rest) = if let Some(r) = text.strip_prefix("IP6 ") {
        ("ip6", r)
    } else if let Some(r) = text.strip_prefix("IP ") {
        ("ip", r)
    } else {
        return out;
    };
    let mut rest = rest;
    if let Some(r) = rest.strip_prefix("truncated-ip") {
        // `truncated-ip - 12 bytes missing! (` or, for IPv6, `...missing!(`.
        if let Some(end) = r.find('!') {
            push(&format!("{layer}.truncated"), &r[..end]);
            rest = r[end + 1..].trim_start();
        }
    }
    if rest.starts_with('(') {
        let Some(close) = matching_paren(rest) else {
            return out;
        };
        for item in split_top(&rest[1..close]) {
            let key = if item.starts_with("bad cksum") {
                "bad-cksum"
            } else {
                item.split(' ').next().unwrap_or("")
            };
            let value = item.strip_prefix(key).unwrap_or(&item);
            push(&format!("{layer}.{key}"), value);
        }
        rest = rest[close + 1..].trim_start();
    }
    let Some((addrs, transport)) = rest.split_once(": ") else {
        return out;
    };
    if let Some((src, dst)) = addrs.split_once(" > ") {
        push("src", src);
        push("dst", dst);
    }
    transport_claims(transport.trim(), &mut push);
    out
}

fn transport_claims(t: &str, push: &mut impl FnMut(&str, &str)) {
    if t.starts_with("Flags ") {
        // `length 33: HTTP, length: 33 GET / ...`: after the segment's length, the text of the
        // protocol above TCP, one claim `tcp.payload`.
        let (t, upper) = split_upper(t);
        for item in split_top(t) {
            let (k, v) = item.split_once(' ').unwrap_or((&item, ""));
            let v = if k == "options" {
                v.replace(", ", ",")
            } else {
                v.to_string()
            };
            // `length 13: <payload decoding>`: the claim is the number.
            let v = if k == "length" {
                v.split(':').next().unwrap_or("").to_string()
            } else {
                v
            };
            push(&format!("tcp.{}", k.to_lowercase()), &v);
        }
        if let Some(upper) = upper.filter(|u| !u.is_empty()) {
            push("tcp.payload", upper);
        }
        return;
    }
    let mut t = t;
    if t.starts_with('[') {
        if let Some(end) = t.find(']') {
            push("udp.cksum", &t[..=end]);
            t = t[end + 1..].trim_start();
        }
    }
    if let Some(r) = t.strip_prefix("UDP, length ") {
        push("udp.length", r.split([' ', ':']).next().unwrap_or(""));
    } else if !t.is_empty() && !t.contains(": Flags [") {
        // The text of the protocol above IP or UDP (`4660+ A? example.com. (29)`, `ICMP echo
        // request, ...`, `NTPv4, Client, length 48`): one claim, the whole text. TCP after
        // IPv6 extension headers is left out: its relative sequence numbers depend on the
        // packets before it, which the claim of one packet cannot hold.
        push("payload", t);
    }
}

/// A TCP text cut after its `length N` (the segment's claims, with the number) and what
/// follows the `: ` after it (the upper protocol's text), when anything does.
fn split_upper(t: &str) -> (&str, Option<&str>) {
    let mut from = 0;
    while let Some(at) = t[from..].find("length ").map(|k| k + from) {
        let digits = &t[at + "length ".len()..];
        let n = digits.bytes().take_while(u8::is_ascii_digit).count();
        let end = at + "length ".len() + n;
        if n > 0 && digits[n..].starts_with(':') {
            return (&t[..end], Some(t[end + 1..].trim()));
        }
        // Some printers follow the length with no separator (`length 98LDP, ...`) or start
        // on a line of their own (`-vv`: `length 98` then `LDP, ...`, joined by a space).
        let rest = &digits[n..];
        let upper = rest.strip_prefix(' ').unwrap_or(rest);
        if n > 0 && upper.starts_with(|c: char| c.is_ascii_alphabetic()) {
            return (&t[..end], Some(upper.trim()));
        }
        from = at + 1;
    }
    (t, None)
}

/// The index of the `)` matching the `(` at the start of `s`.
fn matching_paren(s: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (i, c) in s.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// Split at `, ` outside brackets and parentheses.
fn split_top(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut cur = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '[' | '(' => depth += 1,
            ']' | ')' => depth -= 1,
            ',' if depth == 0 && chars.peek() == Some(&' ') => {
                chars.next();
                out.push(std::mem::take(&mut cur));
                continue;
            }
            _ => {}
        }
        cur.push(c);
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// `[bad udp cksum 10dc!]`: tcpdump 4.1's form, a bare hex number.
pub fn is_old_udp_verdict(v: &str) -> bool {
    v.strip_prefix("[bad udp cksum ")
        .and_then(|r| r.strip_suffix("!]"))
        .is_some_and(|n| !n.is_empty() && n.len() <= 4 && n.bytes().all(|b| b.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn claims_of_old_wording() {
        let c = parse_claims(
            "IP (tos 0x0, ttl 64, id 46170, offset 0, flags [DF], proto TCP (6), length 52) \
             127.0.0.1.46096 > 127.0.0.1.4002: Flags [.] , cksum 0xaea (correct), seq 2228874054, \
             ack 1502706989, win 1025, options [nop,nop,TS val 2122473244 ecr 2122473244], length 0",
        );
        let get = |k: &str| c.iter().find(|x| x.key == k).map(|x| x.value.clone());
        assert_eq!(get("ip.proto").as_deref(), Some("TCP (6)"));
        assert_eq!(get("tcp.flags").as_deref(), Some("[.]"));
        assert_eq!(get("tcp.cksum").as_deref(), Some("0xaea (correct)"));
        assert_eq!(get("dst").as_deref(), Some("127.0.0.1.4002"));
        assert_eq!(get("tcp.length").as_deref(), Some("0"));
    }

    #[test]
    fn claims_of_udp() {
        let c = parse_claims(
            "IP (tos 0x0, ttl 64, id 0, offset 0, flags [DF], proto UDP (17), length 29) \
             127.0.0.1.34568 > 127.0.0.1.4002: [bad udp cksum 122c!] UDP, length 1",
        );
        assert!(c.contains(&Claim {
            key: "udp.cksum".into(),
            value: "[bad udp cksum 122c!]".into()
        }));
        assert!(is_old_udp_verdict("[bad udp cksum 122c!]"));
        let c = parse_claims(
            "IP (tos 0x0, ttl 64, id 1, offset 0, flags [none], proto TCP (6), length 73) \
             10.0.0.1.40000 > 10.0.0.2.80: Flags [P.], cksum 0x5b59 (correct), seq 1000:1033, \
             ack 2000, win 8192, length 33: HTTP, length: 33 GET / HTTP/1.1",
        );
        let get = |k: &str| c.iter().find(|x| x.key == k).map(|x| x.value.clone());
        assert_eq!(get("tcp.length").as_deref(), Some("33"));
        assert_eq!(
            get("tcp.payload").as_deref(),
            Some("HTTP, length: 33 GET / HTTP/1.1")
        );
        assert_eq!(
            c.iter().filter(|x| x.key.starts_with("tcp.length")).count(),
            1
        );
        assert!(!is_old_udp_verdict("[bad udp cksum 0xfe1c -> 0x2a2f!]"));
    }

    #[test]
    fn tcp_payload_text_without_a_colon() {
        for tail in [" LDP, pdu-length: 68", "LDP, pdu-length: 68"] {
            let c = parse_claims(&format!(
                "IP (tos 0x0, ttl 64, id 1, offset 0, flags [DF], proto TCP (6), length 138) \
                 127.0.0.1.40000 > 127.0.0.1.646: Flags [P.], seq 1000:1098, ack 2000, win 512, \
                 length 98{tail} Initialization Message (0x0200), length: 50, Flags: [x]"
            ));
            let get = |k: &str| c.iter().find(|x| x.key == k).map(|x| x.value.clone());
            assert_eq!(get("tcp.length").as_deref(), Some("98"));
            assert_eq!(get("tcp.flags").as_deref(), Some("[P.]"));
            assert!(get("tcp.payload").is_some_and(|p| p.starts_with("LDP, ")));
            assert_eq!(c.iter().filter(|x| x.key.starts_with("tcp.")).count(), 6);
        }
        // A bad header length is the segment's own text, not a payload's.
        let c = parse_claims(
            "IP (tos 0x0, ttl 64, id 1, offset 0, flags [none], proto TCP (6), length 40) \
             10.0.0.1.1 > 10.0.0.2.2: Flags [S], seq 1, win 2, length 0 [bad hdr length 4 - too short, < 20]",
        );
        assert!(!c.iter().any(|x| x.key == "tcp.payload"));
    }
}
