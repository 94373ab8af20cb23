//! The filter language's words, cut as libpcap's scanner cuts them (`scanner.l` at
//! libpcap-1.10.3): longest match first, and on a tie the rule listed first (keywords, then
//! operators, addresses, numbers, names).

use super::FilterError;
use std::net::Ipv6Addr;

/// One word of an expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tok {
    /// A reserved word (`host`, `tcp`, `src`...), lower case as the scanner requires.
    Kw(&'static str),
    /// `and`, `&&`.
    And,
    /// `or`, `||`.
    Or,
    /// `not`, `!`.
    Not,
    /// A number: decimal, `0x` hex, or octal with a leading 0; or a named constant
    /// (`tcp-syn`, `icmp-echo`, `tcpflags`).
    Num(u32),
    /// A dotted IPv4 address or network with 2 to 4 parts (`10.1`, `192.168.0.1`).
    Hid(String),
    /// An IPv6 address.
    Hid6(Ipv6Addr),
    /// An Ethernet address (`aa:bb:cc:dd:ee:ff` and the other spellings libpcap accepts).
    Eid([u8; 6]),
    /// A name, or a word that is none of the above (`80-90`, `example.com`).
    Id(String),
    /// One of `( ) [ ] : + - * / % & | ^ = < >`.
    Punct(char),
    /// `>=`.
    Geq,
    /// `<=`.
    Leq,
    /// `!=`.
    Neq,
    /// `<<`.
    Lsh,
    /// `>>`.
    Rsh,
}

/// A word and where it stands in the expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub tok: Tok,
    /// The text of the word as written.
    pub text: String,
    /// Byte offset of the word in the expression.
    pub at: usize,
}

/// Reserved words of libpcap's scanner. Words that echolab does not compile are still
/// reserved, so that they are reported as unsupported rather than taken for host names.
const KEYWORDS: &[&str] = &[
    "and",
    "or",
    "not",
    "dst",
    "src",
    "link",
    "ether",
    "ppp",
    "slip",
    "fddi",
    "tr",
    "wlan",
    "arp",
    "rarp",
    "ip",
    "sctp",
    "tcp",
    "udp",
    "icmp",
    "igmp",
    "igrp",
    "pim",
    "vrrp",
    "carp",
    "radio",
    "ip6",
    "icmp6",
    "ah",
    "esp",
    "atalk",
    "aarp",
    "decnet",
    "lat",
    "sca",
    "moprc",
    "mopdl",
    "iso",
    "esis",
    "es-is",
    "isis",
    "is-is",
    "l1",
    "l2",
    "iih",
    "lsp",
    "snp",
    "csnp",
    "psnp",
    "clnp",
    "stp",
    "ipx",
    "netbeui",
    "host",
    "net",
    "mask",
    "port",
    "portrange",
    "proto",
    "protochain",
    "gateway",
    "type",
    "subtype",
    "direction",
    "dir",
    "address1",
    "addr1",
    "address2",
    "addr2",
    "address3",
    "addr3",
    "address4",
    "addr4",
    "ra",
    "ta",
    "less",
    "greater",
    "byte",
    "broadcast",
    "multicast",
    "len",
    "length",
    "inbound",
    "outbound",
    "ifindex",
    "vlan",
    "mpls",
    "pppoed",
    "pppoes",
    "geneve",
    "lane",
    "llc",
    "metac",
    "bcc",
    "oam",
    "oamf4",
    "oamf4ec",
    "oamf4sc",
    "sc",
    "ilmic",
    "vpi",
    "vci",
    "connectmsg",
    "metaconnect",
    "on",
    "ifname",
    "rset",
    "ruleset",
    "rnr",
    "rulenum",
    "srnr",
    "subrulenum",
    "reason",
    "action",
    "fisu",
    "lssu",
    "lsu",
    "msu",
    "hfisu",
    "hlssu",
    "hmsu",
    "sio",
    "opc",
    "dpc",
    "sls",
    "hsio",
    "hopc",
    "hdpc",
    "hsls",
];

/// Named numbers of the scanner (ICMP types, TCP flags, header field offsets).
const NAMED_NUMS: &[(&str, u32)] = &[
    ("icmptype", 0),
    ("icmpcode", 1),
    ("icmp-echoreply", 0),
    ("icmp-unreach", 3),
    ("icmp-sourcequench", 4),
    ("icmp-redirect", 5),
    ("icmp-echo", 8),
    ("icmp-routeradvert", 9),
    ("icmp-routersolicit", 10),
    ("icmp-timxceed", 11),
    ("icmp-paramprob", 12),
    ("icmp-tstamp", 13),
    ("icmp-tstampreply", 14),
    ("icmp-ireq", 15),
    ("icmp-ireqreply", 16),
    ("icmp-maskreq", 17),
    ("icmp-maskreply", 18),
    ("icmp6type", 0),
    ("icmp6code", 1),
    ("icmp6-destinationunreach", 1),
    ("icmp6-packettoobig", 2),
    ("icmp6-timeexceeded", 3),
    ("icmp6-parameterproblem", 4),
    ("icmp6-echo", 128),
    ("icmp6-echoreply", 129),
    ("icmp6-multicastlistenerquery", 130),
    ("icmp6-multicastlistenerreportv1", 131),
    ("icmp6-multicastlistenerdone", 132),
    ("icmp6-routersolicit", 133),
    ("icmp6-routeradvert", 134),
    ("icmp6-neighborsolicit", 135),
    ("icmp6-neighboradvert", 136),
    ("icmp6-redirect", 137),
    ("icmp6-routerrenum", 138),
    ("icmp6-nodeinformationquery", 139),
    ("icmp6-nodeinformationresponse", 140),
    ("icmp6-ineighbordiscoverysolicit", 141),
    ("icmp6-ineighbordiscoveryadvert", 142),
    ("icmp6-multicastlistenerreportv2", 143),
    ("icmp6-homeagentdiscoveryrequest", 144),
    ("icmp6-homeagentdiscoveryreply", 145),
    ("icmp6-mobileprefixsolicit", 146),
    ("icmp6-mobileprefixadvert", 147),
    ("icmp6-certpathsolicit", 148),
    ("icmp6-certpathadvert", 149),
    ("icmp6-multicastrouteradvert", 151),
    ("icmp6-multicastroutersolicit", 152),
    ("icmp6-multicastrouterterm", 153),
    ("tcpflags", 13),
    ("tcp-fin", 0x01),
    ("tcp-syn", 0x02),
    ("tcp-rst", 0x04),
    ("tcp-push", 0x08),
    ("tcp-ack", 0x10),
    ("tcp-urg", 0x20),
    ("tcp-ece", 0x40),
    ("tcp-cwr", 0x80),
];

/// Cut `expr` into words.
pub fn tokenize(expr: &str) -> Result<Vec<Token>, FilterError> {
    let s = expr.as_bytes();
    let mut at = 0;
    let mut out = Vec::new();
    while at < s.len() {
        let rest = s.get(at..).unwrap_or_default();
        let ws = rest
            .iter()
            .take_while(|c| matches!(c, b' ' | b'\t' | b'\r' | b'\n'))
            .count();
        if ws > 0 {
            at += ws;
            continue;
        }
        let (len, tok) = next_token(expr, at)?;
        let text = expr.get(at..at + len).unwrap_or_default().to_string();
        out.push(Token { tok, text, at });
        at += len;
    }
    Ok(out)
}

/// The longest word at `at`, by the scanner's rules.
fn next_token(expr: &str, at: usize) -> Result<(usize, Tok), FilterError> {
    let s = expr.as_bytes().get(at..).unwrap_or_default();
    let word = |n: usize| expr.get(at..at + n).unwrap_or_default();
    let id = id_len(s);
    let op = op_len(s);
    let mac = mac_len(s);
    let num = num_len(s);
    let hid = hid_len(s);
    let v6 = v6_len(s);
    let bogus = bogus_ether_len(s);
    let best = [id, op, mac, num, hid, v6, bogus]
        .into_iter()
        .max()
        .unwrap_or(0);
    if best == 0 {
        if s.first() == Some(&b'\\') {
            let n = 1 + s
                .iter()
                .skip(1)
                .take_while(|c| !matches!(c, b' ' | b'!' | b'(' | b')' | b'\n' | b'\t'))
                .count();
            if n > 1 {
                return Ok((n, Tok::Id(word(n).get(1..).unwrap_or_default().to_string())));
            }
        }
        let bad: String = expr.get(at..).unwrap_or_default().chars().take(1).collect();
        return Err(FilterError::at(&bad, "unexpected character"));
    }
    // Ties go to the rule the scanner lists first.
    if id == best && KEYWORDS.contains(&word(id)) {
        let kw = KEYWORDS
            .iter()
            .find(|k| **k == word(id))
            .copied()
            .unwrap_or("");
        return Ok((id, keyword(kw)));
    }
    if op == best {
        return Ok((op, operator(word(op))));
    }
    if mac == best {
        return Ok((mac, Tok::Eid(parse_mac(word(mac)))));
    }
    if num == best {
        return Ok((num, Tok::Num(parse_num(word(num))?)));
    }
    if hid == best {
        return Ok((hid, Tok::Hid(word(hid).to_string())));
    }
    if v6 == best {
        let addr = word(v6)
            .parse()
            .map_err(|_| FilterError::at(word(v6), "bogus IPv6 address"))?;
        return Ok((v6, Tok::Hid6(addr)));
    }
    if bogus == best {
        return Err(FilterError::at(word(bogus), "bogus ethernet address"));
    }
    if let Some((_, v)) = NAMED_NUMS.iter().find(|(n, _)| *n == word(id)) {
        return Ok((id, Tok::Num(*v)));
    }
    Ok((id, Tok::Id(word(id).to_string())))
}

fn keyword(kw: &'static str) -> Tok {
    match kw {
        "and" => Tok::And,
        "or" => Tok::Or,
        "not" => Tok::Not,
        _ => Tok::Kw(kw),
    }
}

fn operator(op: &str) -> Tok {
    match op {
        "&&" => Tok::And,
        "||" => Tok::Or,
        "!" => Tok::Not,
        ">=" => Tok::Geq,
        "<=" => Tok::Leq,
        "!=" => Tok::Neq,
        "==" => Tok::Punct('='),
        "<<" => Tok::Lsh,
        ">>" => Tok::Rsh,
        _ => Tok::Punct(op.chars().next().unwrap_or('?')),
    }
}

/// `[A-Za-z0-9]([-_.A-Za-z0-9]*[.A-Za-z0-9])?`; `and`, `or`, `not` are found here too.
fn id_len(s: &[u8]) -> usize {
    match s.first() {
        Some(c) if c.is_ascii_alphanumeric() => {}
        _ => return 0,
    }
    let mut n = s
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
        .count();
    while n > 1 && matches!(s.get(n - 1), Some(b'-' | b'_')) {
        n -= 1;
    }
    n
}

fn op_len(s: &[u8]) -> usize {
    let two = s.get(..2).unwrap_or_default();
    if matches!(
        two,
        b">=" | b"<=" | b"!=" | b"==" | b"<<" | b">>" | b"&&" | b"||"
    ) {
        return 2;
    }
    match s.first() {
        Some(c) if b"+-*/%:[]!<>()&|^=".contains(c) => 1,
        _ => 0,
    }
}

fn hex_run(s: &[u8], max: usize) -> usize {
    s.iter()
        .take(max)
        .take_while(|c| c.is_ascii_hexdigit())
        .count()
}

/// `{N}`: `[0-9]+` or `0x[0-9A-Fa-f]+`.
fn num_len(s: &[u8]) -> usize {
    if matches!(s.get(..2), Some(b"0x" | b"0X")) {
        let h = hex_run(s.get(2..).unwrap_or_default(), usize::MAX);
        if h > 0 {
            return 2 + h;
        }
    }
    s.iter().take_while(|c| c.is_ascii_digit()).count()
}

/// `{N}.{N}`, `{N}.{N}.{N}` or `{N}.{N}.{N}.{N}`.
fn hid_len(s: &[u8]) -> usize {
    let mut n = num_len(s);
    if n == 0 {
        return 0;
    }
    let mut parts = 1;
    while parts < 4 && s.get(n) == Some(&b'.') {
        let m = num_len(s.get(n + 1..).unwrap_or_default());
        if m == 0 {
            break;
        }
        n += 1 + m;
        parts += 1;
    }
    if parts >= 2 {
        n
    } else {
        0
    }
}

/// Six one- or two-digit hex bytes separated by `:`, `-` or `.`, or three groups of four hex
/// digits separated by `.` or not at all.
fn mac_len(s: &[u8]) -> usize {
    let mut best = 0;
    for sep in [b':', b'-', b'.'] {
        let mut n = 0;
        let mut ok = true;
        for i in 0..6 {
            if i > 0 {
                if s.get(n) != Some(&sep) {
                    ok = false;
                    break;
                }
                n += 1;
            }
            let h = hex_run(s.get(n..).unwrap_or_default(), 2);
            if h == 0 {
                ok = false;
                break;
            }
            n += h;
        }
        if ok {
            best = best.max(n);
        }
    }
    let groups = |with_dots: bool| -> usize {
        let mut n = 0;
        for i in 0..3 {
            if i > 0 && with_dots {
                if s.get(n) != Some(&b'.') {
                    return 0;
                }
                n += 1;
            }
            if hex_run(s.get(n..).unwrap_or_default(), 4) != 4 {
                return 0;
            }
            n += 4;
        }
        n
    };
    best.max(groups(true)).max(groups(false))
}

fn parse_mac(text: &str) -> [u8; 6] {
    let digits: Vec<u8> = if text.len() >= 12
        && !text.contains([':', '-'])
        && text.split('.').all(|g| g.len() == 4)
    {
        text.bytes().filter(|c| c.is_ascii_hexdigit()).collect()
    } else {
        text.split([':', '-', '.'])
            .flat_map(|g| {
                if g.len() == 1 {
                    vec![b'0', g.as_bytes()[0]]
                } else {
                    g.bytes().collect()
                }
            })
            .collect()
    };
    let mut out = [0u8; 6];
    for (i, pair) in digits.chunks(2).take(6).enumerate() {
        let txt = std::str::from_utf8(pair).unwrap_or("0");
        if let Some(slot) = out.get_mut(i) {
            *slot = u8::from_str_radix(txt, 16).unwrap_or(0);
        }
    }
    out
}

/// The longest prefix made of hex digits, `:` and `.` that is an IPv6 address.
fn v6_len(s: &[u8]) -> usize {
    let run = s
        .iter()
        .take_while(|c| c.is_ascii_hexdigit() || matches!(c, b':' | b'.'))
        .count();
    for n in (2..=run).rev() {
        let Some(txt) = s.get(..n).and_then(|b| std::str::from_utf8(b).ok()) else {
            continue;
        };
        if txt.contains(':') && txt.parse::<Ipv6Addr>().is_ok() {
            return n;
        }
    }
    0
}

/// `{B}:+({B}:+)+`: colon-separated bytes that make no Ethernet or IPv6 address.
fn bogus_ether_len(s: &[u8]) -> usize {
    let mut n = 0;
    let mut groups = 0;
    loop {
        let h = hex_run(s.get(n..).unwrap_or_default(), 2);
        if h == 0 {
            break;
        }
        let colons = s
            .get(n + h..)
            .unwrap_or_default()
            .iter()
            .take_while(|c| **c == b':')
            .count();
        if colons == 0 {
            break;
        }
        n += h + colons;
        groups += 1;
    }
    if groups >= 2 {
        n
    } else {
        0
    }
}

/// The value of a `{N}` word, as libpcap's `stou` reads it.
fn parse_num(text: &str) -> Result<u32, FilterError> {
    let (digits, radix) =
        if let Some(h) = text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")) {
            (h, 16)
        } else if text.len() > 1 && text.starts_with('0') {
            if text.bytes().any(|c| !(b'0'..=b'7').contains(&c)) {
                return Err(FilterError::at(text, "number contains a non-octal digit"));
            }
            (text, 8)
        } else {
            (text, 10)
        };
    u32::from_str_radix(digits, radix)
        .map_err(|_| FilterError::at(text, "number overflows 32 bits"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<Tok> {
        tokenize(s)
            .map(|v| v.into_iter().map(|t| t.tok).collect())
            .unwrap_or_default()
    }

    #[test]
    fn words_are_cut_like_libpcap() {
        assert_eq!(
            toks("tcp port 80"),
            vec![Tok::Kw("tcp"), Tok::Kw("port"), Tok::Num(80)]
        );
        assert_eq!(
            toks("portrange 80-90"),
            vec![Tok::Kw("portrange"), Tok::Id("80-90".into())]
        );
        assert_eq!(
            toks("net 10.0.0.0/8"),
            vec![
                Tok::Kw("net"),
                Tok::Hid("10.0.0.0".into()),
                Tok::Punct('/'),
                Tok::Num(8)
            ]
        );
        assert_eq!(
            toks("host ::1"),
            vec![Tok::Kw("host"), Tok::Hid6(Ipv6Addr::LOCALHOST)]
        );
        assert_eq!(
            toks("!tcp&&udp||(arp)"),
            vec![
                Tok::Not,
                Tok::Kw("tcp"),
                Tok::And,
                Tok::Kw("udp"),
                Tok::Or,
                Tok::Punct('('),
                Tok::Kw("arp"),
                Tok::Punct(')')
            ]
        );
        assert_eq!(
            toks("tcp[tcpflags] & tcp-syn != 0").get(2),
            Some(&Tok::Num(13))
        );
        assert_eq!(
            toks("0x10 010 10"),
            vec![Tok::Num(16), Tok::Num(8), Tok::Num(10)]
        );
        assert_eq!(
            toks("ether host 0:1:2:3:4:5"),
            vec![
                Tok::Kw("ether"),
                Tok::Kw("host"),
                Tok::Eid([0, 1, 2, 3, 4, 5])
            ]
        );
        assert_eq!(toks("hostx"), vec![Tok::Id("hostx".into())]);
    }

    #[test]
    fn bad_words_are_named() {
        let e = tokenize("port 08").unwrap_err();
        assert!(e.message.contains("'08'"), "{}", e.message);
        let e = tokenize("host 1.2.3.4 # x").unwrap_err();
        assert!(e.message.contains("'#'"), "{}", e.message);
    }
}
