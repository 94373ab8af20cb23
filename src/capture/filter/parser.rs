//! The grammar of libpcap's `grammar.y` (libpcap-1.10.3), by recursive descent, building
//! each primitive's tests as soon as it is read (libpcap does the same, which matters for
//! `vlan`: it moves the offsets of everything after it).
//!
//! Nesting is bounded as libpcap's bison parser bounds it: every construct that opens a
//! level (`(`, `not`, unary `-`, `proto[`, the right side of `and`, `or`, a comparison or an
//! operator) counts the entries it holds on bison's stack, and an expression that would need
//! more than [`MAX_STACK`] is refused with bison's `memory exhausted`, as tcpdump refuses it,
//! instead of overflowing this parser's stack.
//!
//! Rules kept from libpcap: `and` and `or` have the same precedence and group from the left
//! (`a or b and c` is `(a or b) and c`); `not` binds tighter; a bare value after `and`/`or`
//! takes the qualifiers of the primitive before it (`port 80 or 443`).

use super::gen::{Addr, Dir, Gen, Node, Proto, Qual};
use super::lexer::{Tok, Token};
use super::{FilterError, Resolver};
use std::net::{IpAddr, Ipv6Addr};

pub struct Parser<'n> {
    /// Where names are looked up.
    names: &'n dyn Resolver,
    pub(super) toks: Vec<Token>,
    pub(super) pos: usize,
    pub(super) gen: Gen,
    /// The bison stack entries the open levels hold (see [`Parser::nested`]).
    depth: usize,
    /// The index of the last comparison operator, if any: a comparison can start only
    /// before it.
    last_relop: Option<usize>,
    /// For each token, the index of the first token from it on that is neither `not` nor
    /// `(`: what a parenthesis opens, found without rescanning at every level.
    opened: Vec<usize>,
}

/// The most entries libpcap's parser stack holds (bison's `YYMAXDEPTH` is 10,000; its
/// initial state and growth rule leave this many), counting the initial state. Measured with
/// tcpdump 4.99.3 (libpcap 1.10.3), whose limits this reproduces: 9,995 nested parentheses
/// around `tcp` are parsed and 9,996 exhaust it (each `(` one entry, and the innermost
/// `expr )` two more), 9,996 `not`, 9,994 unary minus after `len =`, 4,997 nested `ip[`
/// (two entries each), 9,993 parentheses after `tcp and `. Constructs this parser does not
/// model entry by entry (such as `proto[i:size]`) may differ from tcpdump by an entry or two.
pub const MAX_STACK: usize = 9_998;

/// Bison's message when its stack is full (tcpdump: `can't parse filter expression:
/// memory exhausted`).
const EXHAUSTED: &str = "can't parse filter expression: memory exhausted";

pub(super) type PResult<T> = Result<T, FilterError>;

const NEEDS_QUALIFIER: &str =
    "expected a primitive (a value needs a qualifier such as 'host' or 'port')";

impl<'n> Parser<'n> {
    pub fn new(toks: Vec<Token>, gen: Gen, names: &'n dyn Resolver) -> Parser<'n> {
        let last_relop = toks.iter().rposition(|t| {
            matches!(
                t.tok,
                Tok::Punct('>' | '<' | '=') | Tok::Geq | Tok::Leq | Tok::Neq
            )
        });
        let mut opened = vec![toks.len(); toks.len() + 1];
        for i in (0..toks.len()).rev() {
            opened[i] = match toks[i].tok {
                Tok::Not | Tok::Punct('(') => opened[i + 1],
                _ => i,
            };
        }
        Parser {
            names,
            toks,
            pos: 0,
            gen,
            depth: 0,
            last_relop,
            opened,
        }
    }

    /// Run `f` one level deeper: `entries` more on bison's stack while it runs, with at
    /// least `inside` more at its innermost point (the operand, or the operand and the
    /// closing bracket). Refuse the expression as bison does once that exceeds
    /// [`MAX_STACK`] with its initial state.
    pub(super) fn nested<T>(
        &mut self,
        entries: usize,
        inside: usize,
        f: impl FnOnce(&mut Parser<'n>) -> PResult<T>,
    ) -> PResult<T> {
        self.depth += entries;
        let r = if 1 + self.depth + inside > MAX_STACK {
            Err(FilterError {
                message: EXHAUSTED.to_string(),
            })
        } else {
            f(self)
        };
        self.depth -= entries;
        r
    }

    /// Whether `e` is the nesting bound's error, which no alternative parse can avoid.
    pub(super) fn is_exhausted(e: &FilterError) -> bool {
        e.message == EXHAUSTED
    }

    /// The whole expression; an empty one accepts every packet.
    pub fn program(&mut self) -> PResult<Node> {
        if self.toks.is_empty() {
            return Ok(Node::True);
        }
        let (node, _) = self.expr(Qual::ERR)?;
        if self.pos < self.toks.len() {
            return Err(self.syntax("expected 'and', 'or' or the end of the expression"));
        }
        Ok(node)
    }

    // ---- helpers -----------------------------------------------------------------------

    pub(super) fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos).map(|t| &t.tok)
    }

    pub(super) fn peek_at(&self, n: usize) -> Option<&Tok> {
        self.toks.get(self.pos + n).map(|t| &t.tok)
    }

    pub(super) fn bump(&mut self) -> Option<Tok> {
        let t = self.toks.get(self.pos).map(|t| t.tok.clone());
        self.pos += 1;
        t
    }

    pub(super) fn syntax(&self, expected: &str) -> FilterError {
        match self.toks.get(self.pos) {
            Some(t) => FilterError::syntax(&t.text, expected),
            None => FilterError::syntax_at_end(expected),
        }
    }

    /// A semantic error about the word `back` tokens behind the current one.
    pub(super) fn err_back(&self, back: usize, msg: impl Into<String>) -> FilterError {
        self.err_at(self.pos.saturating_sub(back), msg)
    }

    /// A semantic error about the word at token `i`.
    fn err_at(&self, i: usize, msg: impl Into<String>) -> FilterError {
        let word = self.toks.get(i).map(|t| t.text.clone()).unwrap_or_default();
        FilterError::at(&word, &msg.into())
    }

    pub(super) fn expect(&mut self, tok: Tok, what: &str) -> PResult<()> {
        if self.peek() == Some(&tok) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.syntax(what))
        }
    }

    fn is_value(tok: Option<&Tok>) -> bool {
        matches!(
            tok,
            Some(Tok::Num(_) | Tok::Hid(_) | Tok::Hid6(_) | Tok::Eid(_) | Tok::Id(_))
        )
    }

    // ---- expressions -------------------------------------------------------------------

    /// `expr: term | expr and term | expr and id | expr or term | expr or id`.
    fn expr(&mut self, q_in: Qual) -> PResult<(Node, Qual)> {
        let (mut node, mut q) = self.term(q_in, false)?;
        loop {
            let is_and = match self.peek() {
                Some(Tok::And) => true,
                Some(Tok::Or) => false,
                _ => return Ok((node, q)),
            };
            self.pos += 1;
            // bison holds `expr and` while it reads the right side.
            let (rhs, q2) = self.nested(2, 1, |p| p.term(q, true))?;
            node = if is_and {
                Node::and(node, rhs)
            } else {
                Node::or(node, rhs)
            };
            q = q2;
        }
    }

    /// One operand of `and`/`or`, with the qualifiers it leaves for a following bare value.
    fn term(&mut self, q_in: Qual, allow_id: bool) -> PResult<(Node, Qual)> {
        match self.peek().cloned() {
            Some(Tok::Not) => {
                self.pos += 1;
                let (n, q) = self.nested(1, 1, |p| p.term(q_in, allow_id))?;
                Ok((Node::not(n), q))
            }
            Some(Tok::Punct('(')) => self.paren_term(q_in, allow_id),
            Some(Tok::Num(_)) if self.arith_follows() => Ok((self.relation()?, Qual::ERR)),
            Some(Tok::Punct('-')) | Some(Tok::Kw("len" | "length")) => {
                Ok((self.relation()?, Qual::ERR))
            }
            Some(Tok::Kw(kw)) => self.keyword_term(kw, q_in),
            t if Self::is_value(t.as_ref()) => {
                if allow_id {
                    Ok((self.id(q_in)?, q_in))
                } else {
                    Err(self.syntax(NEEDS_QUALIFIER))
                }
            }
            _ => Err(self.syntax("expected a primitive")),
        }
    }

    /// Whether the number at the cursor starts an arithmetic comparison.
    fn arith_follows(&self) -> bool {
        matches!(
            self.peek_at(1),
            Some(
                Tok::Punct('+' | '-' | '*' | '/' | '%' | '&' | '|' | '^' | '>' | '<' | '=')
                    | Tok::Geq
                    | Tok::Leq
                    | Tok::Neq
                    | Tok::Lsh
                    | Tok::Rsh
            )
        )
    }

    /// `( ... )`: a comparison, a list of values (`port (80 or 443)`), or an expression.
    fn paren_term(&mut self, q_in: Qual, allow_id: bool) -> PResult<(Node, Qual)> {
        let start = self.pos;
        // Only an expression with a comparison operator ahead can be a comparison: trying
        // (and failing) at every level of deep parentheses would take quadratic time.
        if self.last_relop.is_some_and(|r| r > start) {
            match self.relation() {
                Ok(n) => return Ok((n, Qual::ERR)),
                Err(e) if Self::is_exhausted(&e) => return Err(e),
                Err(_) => {}
            }
        }
        self.pos = start + 1;
        // `( expr )`: the innermost level holds `expr` and `)` on top of its `(`.
        self.nested(1, 2, |p| {
            let i = p.opened.get(p.pos).copied().unwrap_or(p.toks.len());
            let node = if Self::is_value(p.toks.get(i).map(|t| &t.tok)) {
                if !allow_id {
                    p.pos = i;
                    return Err(p.syntax(NEEDS_QUALIFIER));
                }
                p.pid(q_in)?
            } else {
                p.expr(q_in)?.0
            };
            p.expect(Tok::Punct(')'), "expected ')'")?;
            Ok((node, q_in))
        })
    }

    /// A term starting with a reserved word.
    fn keyword_term(&mut self, kw: &'static str, q_in: Qual) -> PResult<(Node, Qual)> {
        let _ = q_in;
        if let Some(p) = Proto::from_keyword(kw) {
            if self.peek_at(1) == Some(&Tok::Punct('[')) {
                return Ok((self.relation()?, Qual::ERR));
            }
            self.pos += 1;
            if let Some(Tok::Kw(c @ ("broadcast" | "multicast"))) = self.peek().cloned() {
                self.pos += 1;
                return Ok((self.cast(c, p)?, Qual::ERR));
            }
            if let Some(q) = self.head(p)? {
                // bison holds the qualifiers (`head`) while it reads the value.
                let n = self.nested(1, 1, |p| p.id(q))?;
                return Ok((n, q));
            }
            if let Proto::Other(k) = p {
                return Err(self.err_back(1, format!("'{k}' is not supported")));
            }
            let n = self.gen.proto_abbrev(p).map_err(|m| self.err_back(1, m))?;
            return Ok((n, Qual::ERR));
        }
        match kw {
            "src" | "dst" | "host" | "net" | "port" | "portrange" | "proto" | "protochain"
            | "gateway" => {
                let q = self
                    .head(Proto::Default)?
                    .ok_or_else(|| self.syntax("expected a primitive"))?;
                // bison holds the qualifiers (`head`) while it reads the value.
                let n = self.nested(1, 1, |p| p.id(q))?;
                Ok((n, q))
            }
            "broadcast" | "multicast" => {
                self.pos += 1;
                Ok((self.cast(kw, Proto::Default)?, Qual::ERR))
            }
            "less" | "greater" => {
                self.pos += 1;
                let Some(Tok::Num(v)) = self.peek().cloned() else {
                    return Err(self.syntax("expected a length"));
                };
                self.pos += 1;
                Ok((
                    if kw == "less" {
                        Gen::less(v)
                    } else {
                        Gen::greater(v)
                    },
                    Qual::ERR,
                ))
            }
            "vlan" => {
                self.pos += 1;
                let id = self.opt_pnum()?;
                let n = self.gen.vlan(id).map_err(|m| self.err_back(1, m))?;
                self.gen.shift_vlan();
                Ok((n, Qual::ERR))
            }
            "mpls" | "pppoes" => {
                self.pos += 1;
                let id = self.opt_pnum()?;
                let r = if kw == "mpls" {
                    self.gen.mpls(id)
                } else {
                    self.gen.pppoes(id)
                };
                Ok((r.map_err(|m| self.err_back(1, m))?, Qual::ERR))
            }
            "geneve" => {
                self.pos += 1;
                let vni = self.opt_pnum()?;
                let n = self.gen.geneve(vni).map_err(|m| self.err_back(1, m))?;
                Ok((n, Qual::ERR))
            }
            "pppoed" => {
                self.pos += 1;
                let n = self.gen.pppoed().map_err(|m| self.err_back(1, m))?;
                Ok((n, Qual::ERR))
            }
            "llc" => {
                self.pos += 1;
                let kind = match self.peek().cloned() {
                    Some(Tok::Id(name)) => {
                        self.pos += 1;
                        Some(llc_kind(&name).ok_or_else(|| {
                            self.err_back(1, format!("unknown LLC type name \"{name}\""))
                        })?)
                    }
                    Some(Tok::Kw("rnr")) => {
                        self.pos += 1;
                        llc_kind("rnr")
                    }
                    _ => None,
                };
                let n = self.gen.llc(kind).map_err(|m| self.err_back(1, m))?;
                Ok((n, Qual::ERR))
            }
            _ => Err(self.syntax("expected a primitive (this one is not supported)")),
        }
    }

    /// `[pname] broadcast` or `[pname] multicast`, the keyword just read.
    fn cast(&self, kw: &str, p: Proto) -> PResult<Node> {
        let r = if kw == "broadcast" {
            self.gen.broadcast(p)
        } else {
            self.gen.multicast(p)
        };
        r.map_err(|m| self.err_back(1, m))
    }

    /// `pnum`: a number, maybe in parentheses; absent if the next word is not one.
    fn opt_pnum(&mut self) -> PResult<Option<u32>> {
        let mut depth = 0;
        while self.peek_at(depth) == Some(&Tok::Punct('(')) {
            depth += 1;
        }
        let Some(Tok::Num(v)) = self.peek_at(depth).cloned() else {
            return Ok(None);
        };
        // `vlan` and each `(` are one entry; the innermost `pnum )` two.
        let inside = if depth > 0 { 2 } else { 1 };
        self.nested(1 + depth, inside, |p| {
            p.pos += depth + 1;
            for _ in 0..depth {
                p.expect(Tok::Punct(')'), "expected ')'")?;
            }
            Ok(Some(v))
        })
    }

    /// The qualifiers after a protocol qualifier (`head`); `None` if there are none.
    fn head(&mut self, proto: Proto) -> PResult<Option<Qual>> {
        let mut dir = Dir::Default;
        let mut addr = Addr::Default;
        let mut any = false;
        if let Some(Tok::Kw(d @ ("src" | "dst"))) = self.peek().cloned() {
            self.pos += 1;
            any = true;
            dir = if d == "src" { Dir::Src } else { Dir::Dst };
            let other = if d == "src" { "dst" } else { "src" };
            if matches!(self.peek(), Some(Tok::And | Tok::Or))
                && self.peek_at(1) == Some(&Tok::Kw(other))
            {
                dir = if self.peek() == Some(&Tok::And) {
                    Dir::And
                } else {
                    Dir::Or
                };
                self.pos += 2;
            }
        }
        match self.peek().cloned() {
            Some(Tok::Kw(a @ ("host" | "net" | "port" | "portrange"))) => {
                self.pos += 1;
                any = true;
                addr = match a {
                    "host" => Addr::Host,
                    "net" => Addr::Net,
                    "port" => Addr::Port,
                    _ => Addr::Portrange,
                };
            }
            Some(Tok::Kw(a @ ("proto" | "protochain" | "gateway"))) if !any => {
                self.pos += 1;
                any = true;
                addr = match a {
                    "proto" => Addr::Proto,
                    "protochain" => Addr::Protochain,
                    _ => Addr::Gateway,
                };
            }
            _ => {}
        }
        Ok(any.then_some(Qual { proto, dir, addr }))
    }

    // ---- values ------------------------------------------------------------------------

    /// `pid`: values joined by `and`/`or` inside parentheses, all with the same qualifiers.
    fn pid(&mut self, q: Qual) -> PResult<Node> {
        let mut node = self.id(q)?;
        loop {
            let is_and = match self.peek() {
                Some(Tok::And) => true,
                Some(Tok::Or) => false,
                _ => return Ok(node),
            };
            self.pos += 1;
            let rhs = self.nested(2, 1, |p| p.id(q))?;
            node = if is_and {
                Node::and(node, rhs)
            } else {
                Node::or(node, rhs)
            };
        }
    }

    /// `id`: one value under qualifiers `q`.
    fn id(&mut self, q: Qual) -> PResult<Node> {
        let word_at = self.pos;
        let fail = |p: &Parser, m: String| p.err_at(word_at, m);
        if q.addr == Addr::Undef && Self::is_value(self.peek()) {
            return Err(self.syntax(NEEDS_QUALIFIER));
        }
        match self.bump() {
            Some(Tok::Not) => Ok(Node::not(self.nested(1, 1, |p| p.id(q))?)),
            Some(Tok::Punct('(')) => self.nested(1, 2, |p| {
                let n = p.pid(q)?;
                p.expect(Tok::Punct(')'), "expected ')'")?;
                Ok(n)
            }),
            Some(Tok::Num(v)) => self.ncode(None, v, q).map_err(|m| fail(self, m)),
            Some(Tok::Hid(s)) => self.hid(&s, q, word_at),
            Some(Tok::Hid6(a)) => {
                let len = if self.peek() == Some(&Tok::Punct('/')) {
                    self.pos += 1;
                    match self.bump() {
                        Some(Tok::Num(n)) => n,
                        _ => {
                            self.pos -= 1;
                            return Err(self.syntax("expected a prefix length"));
                        }
                    }
                } else {
                    128
                };
                self.mcode6(a, len, q).map_err(|m| fail(self, m))
            }
            Some(Tok::Eid(mac)) => {
                if matches!(q.addr, Addr::Host | Addr::Default) && q.proto == Proto::Link {
                    self.gen.ehost(mac, q.dir).map_err(|m| fail(self, m))
                } else {
                    Err(fail(
                        self,
                        "ethernet address used in non-ether expression".into(),
                    ))
                }
            }
            Some(Tok::Id(name)) => self.scode(&name, q).map_err(|m| fail(self, m)),
            _ => {
                self.pos = word_at;
                Err(self.syntax("expected a host, network, port or protocol value"))
            }
        }
    }

    /// A dotted IPv4 value, maybe with `/len` or `mask M`.
    fn hid(&mut self, s: &str, q: Qual, word_at: usize) -> PResult<Node> {
        let fail = |p: &Parser, m: String| p.err_at(word_at, m);
        match self.peek().cloned() {
            Some(Tok::Punct('/')) => {
                self.pos += 1;
                let Some(Tok::Num(len)) = self.peek().cloned() else {
                    return Err(self.syntax("expected a prefix length"));
                };
                self.pos += 1;
                self.mcode(s, None, len, q).map_err(|m| fail(self, m))
            }
            Some(Tok::Kw("mask")) => {
                self.pos += 1;
                let Some(Tok::Hid(m)) = self.peek().cloned() else {
                    return Err(self.syntax("expected a dotted netmask"));
                };
                self.pos += 1;
                self.mcode(s, Some(&m), 0, q).map_err(|m| fail(self, m))
            }
            _ => {
                let bad = match q.addr {
                    Addr::Port => Some("'port' modifier applied to ip host"),
                    Addr::Portrange => Some("'portrange' modifier applied to ip host"),
                    Addr::Proto => Some("'proto' modifier applied to ip host"),
                    Addr::Protochain => Some("'protochain' modifier applied to ip host"),
                    _ => None,
                };
                if let Some(m) = bad {
                    return Err(fail(self, m.into()));
                }
                self.ncode(Some(s), 0, q).map_err(|m| fail(self, m))
            }
        }
    }

    /// A number or dotted value under qualifiers (libpcap's `gen_ncode`).
    fn ncode(&self, s: Option<&str>, v: u32, q: Qual) -> Result<Node, String> {
        let (mut v, vlen) = match s {
            None => (v, 32),
            Some(s) => atoin(s).ok_or_else(|| format!("invalid IPv4 address '{s}'"))?,
        };
        match q.addr {
            Addr::Default | Addr::Host | Addr::Net => {
                if q.proto == Proto::Link {
                    return Err("illegal link layer address".into());
                }
                let mut mask: u32 = 0xffff_ffff;
                if s.is_none() && q.addr == Addr::Net {
                    while v != 0 && v & 0xff00_0000 == 0 {
                        v <<= 8;
                        mask <<= 8;
                    }
                } else {
                    v = v.checked_shl(32 - vlen).unwrap_or(0);
                    mask = mask.checked_shl(32 - vlen).unwrap_or(0);
                }
                self.gen.host(v, mask, q.proto, q.dir, q.addr == Addr::Net)
            }
            Addr::Port | Addr::Portrange => {
                let what = if q.addr == Addr::Port {
                    "port"
                } else {
                    "portrange"
                };
                let p =
                    port_proto(q.proto).ok_or_else(|| format!("illegal qualifier of '{what}'"))?;
                if v > 65535 {
                    return Err(format!("illegal port number {v} > 65535"));
                }
                self.gen.port(v, v, q.addr == Addr::Portrange, p, q.dir)
            }
            Addr::Proto => self.gen.proto(v, q.proto, q.dir),
            Addr::Gateway => Err("'gateway' requires a name".into()),
            Addr::Protochain => Err("'protochain' is not supported".into()),
            Addr::Undef => {
                Err("syntax error: a value needs a qualifier such as 'host' or 'port'".into())
            }
        }
    }

    /// `A.B.C.D/len` or `A.B.C.D mask M` (libpcap's `gen_mcode`).
    fn mcode(&self, s1: &str, s2: Option<&str>, masklen: u32, q: Qual) -> Result<Node, String> {
        let (n, nlen) = atoin(s1).ok_or_else(|| format!("invalid IPv4 address '{s1}'"))?;
        let n = n.checked_shl(32 - nlen).unwrap_or(0);
        let m = match s2 {
            Some(s2) => {
                let (m, mlen) = atoin(s2).ok_or_else(|| format!("invalid IPv4 address '{s2}'"))?;
                let m = m.checked_shl(32 - mlen).unwrap_or(0);
                if n & !m != 0 {
                    return Err(format!("non-network bits set in \"{s1} mask {s2}\""));
                }
                m
            }
            None => {
                if masklen > 32 {
                    return Err("mask length must be <= 32".into());
                }
                let m = 0xffff_ffff_u32.checked_shl(32 - masklen).unwrap_or(0);
                if n & !m != 0 {
                    return Err(format!("non-network bits set in \"{s1}/{masklen}\""));
                }
                m
            }
        };
        match q.addr {
            Addr::Net => self.gen.host(n, m, q.proto, q.dir, true),
            _ => Err("mask syntax for networks only".into()),
        }
    }

    /// An IPv6 address or prefix (libpcap's `gen_mcode6`).
    fn mcode6(&self, a: Ipv6Addr, len: u32, q: Qual) -> Result<Node, String> {
        if len > 128 {
            return Err("mask length must be <= 128".into());
        }
        let mask = if len == 0 {
            0u128
        } else {
            u128::MAX << (128 - len)
        };
        let addr = u128::from(a);
        if addr & !mask != 0 {
            return Err(format!("non-network bits set in \"{a}/{len}\""));
        }
        match q.addr {
            Addr::Default | Addr::Host | Addr::Net => {
                if q.addr != Addr::Net && len != 128 {
                    return Err("mask syntax for networks only".into());
                }
                self.gen
                    .host6(a, Ipv6Addr::from(mask), q.proto, q.dir, q.addr == Addr::Net)
            }
            _ => Err("invalid qualifier against IPv6 address".into()),
        }
    }

    /// A name (libpcap's `gen_scode`), looked up by the resolver the parser was given.
    fn scode(&self, name: &str, q: Qual) -> Result<Node, String> {
        match q.addr {
            Addr::Net => {
                let mut addr = self
                    .names
                    .network(name)
                    .filter(|a| *a != 0)
                    .ok_or_else(|| format!("unknown network '{name}'"))?;
                let mut mask: u32 = 0xffff_ffff;
                while addr != 0 && addr & 0xff00_0000 == 0 {
                    addr <<= 8;
                    mask <<= 8;
                }
                self.gen.host(addr, mask, q.proto, q.dir, true)
            }
            Addr::Default | Addr::Host if q.proto == Proto::Link => {
                if !self.gen.is_ethernet() {
                    return Err(
                        "only ethernet/FDDI/token ring/802.11/ATM LANE/Fibre Channel \
                                supports link-level host name"
                            .into(),
                    );
                }
                let mac = self
                    .names
                    .ether(name)
                    .ok_or_else(|| format!("unknown ether host '{name}'"))?;
                self.gen.ehost(mac, q.dir)
            }
            Addr::Default | Addr::Host => self.host_name(name, q),
            Addr::Port => {
                let p = port_proto(q.proto).ok_or("illegal qualifier of 'port'")?;
                let (port, real) = self
                    .service(name)
                    .ok_or_else(|| format!("unknown port '{name}'"))?;
                let real = restrict_proto(p, real, &format!("port '{name}'"))?;
                let port = port.unsigned_abs() as u32;
                self.gen.port(port, port, false, real, q.dir)
            }
            Addr::Portrange => {
                let p = port_proto(q.proto).ok_or("illegal qualifier of 'portrange'")?;
                let (a, b, real) = self
                    .service_range(name)
                    .ok_or_else(|| format!("unknown port in range '{name}'"))?;
                let real = restrict_proto(p, real, &format!("port in range '{name}'"))?;
                for v in [a, b] {
                    if v < 0 {
                        return Err(format!("illegal port number {v} < 0"));
                    }
                    if v > 65535 {
                        return Err(format!("illegal port number {v} > 65535"));
                    }
                }
                let (a, b) = (a.unsigned_abs() as u32, b.unsigned_abs() as u32);
                self.gen.port(a.min(b), a.max(b), true, real, q.dir)
            }
            Addr::Proto => {
                let v = match q.proto {
                    Proto::Default | Proto::Ip | Proto::Ip6 => {
                        self.names.protocol(name).or_else(|| ip_proto_number(name))
                    }
                    Proto::Link => ether_proto_number(name),
                    _ => None,
                };
                match (v, q.proto) {
                    (Some(v), _) => self.gen.proto(v, q.proto, q.dir),
                    (None, Proto::Default | Proto::Ip | Proto::Ip6) => {
                        Err(format!("unknown ip proto '{name}'"))
                    }
                    (None, Proto::Link) => Err(format!("unknown ether proto '{name}'")),
                    (None, _) => Err(format!("unknown protocol: {name}")),
                }
            }
            // libpcap built with IPv6 support refuses `gateway` outright.
            Addr::Gateway => Err("'gateway' not supported in this configuration".into()),
            Addr::Protochain => Err("this qualifier is not supported".into()),
            Addr::Undef => {
                Err("syntax error: a value needs a qualifier such as 'host' or 'port'".into())
            }
        }
    }

    /// `host NAME`: each address the name has, IPv4 and IPv6, in the resolver's order,
    /// joined by `or`; on a link without a link-layer type only IP and IPv6 are tested.
    fn host_name(&self, name: &str, q: Qual) -> Result<Node, String> {
        let addrs = self.names.host(name);
        if addrs.is_empty() {
            return Err(format!("unknown host '{name}'"));
        }
        let (mut p4, mut p6) = (q.proto, q.proto);
        if !self.gen.has_linktype() && q.proto == Proto::Default {
            p4 = Proto::Ip;
            p6 = Proto::Ip6;
        }
        let mut node: Option<Node> = None;
        for a in addrs {
            let t = match a {
                IpAddr::V4(_) if p4 == Proto::Ip6 => continue,
                IpAddr::V4(v4) => self.gen.host(u32::from(v4), u32::MAX, p4, q.dir, false)?,
                IpAddr::V6(_) if p6 == Proto::Ip => continue,
                IpAddr::V6(v6) => {
                    self.gen
                        .host6(v6, Ipv6Addr::from(u128::MAX), p6, q.dir, false)?
                }
            };
            node = Some(match node {
                None => t,
                Some(n) => Node::or(n, t),
            });
        }
        node.ok_or_else(|| {
            let family = if q.proto == Proto::Default {
                ""
            } else {
                " for specified address family"
            };
            format!("unknown host '{name}'{family}")
        })
    }

    /// A service name's port and protocol as libpcap's `pcap_nametoport` gives them: TCP's
    /// port if it has one (both protocols if UDP's is the same), else UDP's. A number is
    /// its own port for both.
    fn service(&self, name: &str) -> Option<(i64, Option<u32>)> {
        if !name.is_empty() && name.bytes().all(|c| c.is_ascii_digit()) {
            let n: i64 = name.parse().ok().filter(|n| *n <= 65535)?;
            return Some((n, None));
        }
        match self.names.service(name) {
            (Some(t), Some(u)) if t == u => Some((i64::from(t), None)),
            (Some(t), _) => Some((i64::from(t), Some(IPPROTO_TCP))),
            (None, Some(u)) => Some((i64::from(u), Some(IPPROTO_UDP))),
            (None, None) => None,
        }
    }

    /// `LOW-HIGH` for `portrange` (libpcap's `pcap_nametoportrange`): two numbers, or two
    /// service names split at the first `-`, their protocol kept only if both agree.
    fn service_range(&self, name: &str) -> Option<(i64, i64, Option<u32>)> {
        if let Some((a, rest)) = scan_int(name) {
            if let Some((b, _)) = rest.strip_prefix('-').and_then(scan_int) {
                return Some((a, b, None));
            }
        }
        let (first, second) = name.split_once('-')?;
        let (a, pa) = self.service(first)?;
        let (b, pb) = self.service(second)?;
        Some((a, b, if pa == pb { pa } else { None }))
    }
}

/// The control-byte value and mask of `llc NAME` (libpcap's `llc_s_subtypes`,
/// `llc_u_subtypes`, and `i`, `s`, `u`), any case.
fn llc_kind(name: &str) -> Option<(u32, u32)> {
    const S_MASK: u32 = 0x0f;
    const U_MASK: u32 = 0xef;
    Some(match name.to_ascii_lowercase().as_str() {
        "i" => (0, 1),
        "s" => (1, 3),
        "u" => (3, 3),
        "rr" => (0x01, S_MASK),
        "rnr" => (0x05, S_MASK),
        "rej" => (0x09, S_MASK),
        "ui" => (0x03, U_MASK),
        "ua" => (0x63, U_MASK),
        "disc" => (0x43, U_MASK),
        "dm" => (0x0f, U_MASK),
        "sabme" => (0x6f, U_MASK),
        "test" => (0xe3, U_MASK),
        "xid" => (0xaf, U_MASK),
        "frmr" => (0x87, U_MASK),
        _ => return None,
    })
}

/// A service's protocol under the qualifier's (`tcp port NAME`): a name only UDP has is
/// refused for TCP, and so on; `None` (either) becomes the qualifier's.
fn restrict_proto(qual: Option<u32>, real: Option<u32>, what: &str) -> Result<Option<u32>, String> {
    match (qual, real) {
        (Some(q), Some(r)) if q != r => {
            let name = match r {
                IPPROTO_TCP => "tcp",
                IPPROTO_UDP => "udp",
                _ => "sctp",
            };
            Err(format!("{what} is {name}"))
        }
        (Some(q), _) => Ok(Some(q)),
        (None, r) => Ok(r),
    }
}

/// `sscanf`'s `%d`: leading blanks, a sign, digits; the number and what follows it.
fn scan_int(s: &str) -> Option<(i64, &str)> {
    let t = s.trim_start();
    let (neg, t) = match t.as_bytes().first() {
        Some(b'-') => (true, t.get(1..)?),
        Some(b'+') => (false, t.get(1..)?),
        _ => (false, t),
    };
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 {
        return None;
    }
    let v: i64 = t.get(..digits)?.parse().unwrap_or(i64::MAX);
    Some((if neg { -v } else { v }, t.get(digits..)?))
}

const IPPROTO_TCP: u32 = 6;
const IPPROTO_UDP: u32 = 17;

/// The IP protocol a `port` qualifier restricts to: `Some(None)` for any of TCP, UDP, SCTP.
fn port_proto(p: Proto) -> Option<Option<u32>> {
    match p {
        Proto::Default => Some(None),
        Proto::Tcp => Some(Some(6)),
        Proto::Udp => Some(Some(17)),
        Proto::Sctp => Some(Some(132)),
        _ => None,
    }
}

/// Dotted IPv4 text to (value, bits given), as libpcap's `__pcap_atoin`: `10.1` is
/// (0x0a01, 16).
fn atoin(s: &str) -> Option<(u32, u32)> {
    let mut v: u32 = 0;
    let mut len = 0;
    for part in s.split('.') {
        if len >= 32 || part.is_empty() || !part.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        let n: u32 = part.parse().ok().filter(|n| *n <= 255)?;
        v = (v << 8) | n;
        len += 8;
    }
    Some((v, len))
}

/// IP protocol names of `/etc/protocols` that labs use (`proto \tcp`).
fn ip_proto_number(name: &str) -> Option<u32> {
    Some(match name {
        "ip" => 0,
        "icmp" => 1,
        "igmp" => 2,
        "tcp" => 6,
        "udp" => 17,
        "ipv6" => 41,
        "gre" => 47,
        "esp" => 50,
        "ah" => 51,
        "ipv6-icmp" => 58,
        "sctp" => 132,
        _ => return None,
    })
}

/// EtherType names, then 802.2 SAP names, libpcap knows for `ether proto \NAME`
/// (`eproto_db`, `llc_db`).
fn ether_proto_number(name: &str) -> Option<u32> {
    Some(match name {
        "aarp" => 0x80f3,
        "arp" => 0x0806,
        "atalk" => 0x809b,
        "decnet" => 0x6003,
        "ip" => 0x0800,
        "ip6" => 0x86dd,
        "lat" => 0x6004,
        "loopback" => 0x9000,
        "mopdl" => 0x6001,
        "moprc" => 0x6002,
        "rarp" => 0x8035,
        "sca" => 0x6007,
        "iso" => 0xfe,
        "stp" => 0x42,
        "ipx" => 0xe0,
        "netbeui" => 0xf0,
        _ => return None,
    })
}
