//! Arithmetic comparisons of packet fields, such as `tcp[tcpflags] & tcp-syn != 0`
//! (libpcap-1.10.3 `gencode.c`: `gen_relation`, `gen_arth`, `gen_load`). Values are
//! computed into A, with scratch memory for the left operand of each operator.

use super::bpf::{self, BpfInsn};
use super::gen::{Node, Proto, Test};
use super::lexer::Tok;
use super::parser::{PResult, Parser};
use super::FilterError;

/// A value computed into A by `stmts`, valid only when `checks` hold.
pub(super) struct Arth {
    stmts: Vec<BpfInsn>,
    checks: Option<Node>,
}

impl Parser<'_> {
    /// `arth relop arth`, e.g. `tcp[13] & 2 != 0` (libpcap's `gen_relation`).
    pub(super) fn relation(&mut self) -> PResult<Node> {
        let start = self.pos;
        let res = self.relation_inner();
        if res.is_err() {
            self.pos = start;
        }
        res
    }

    fn relation_inner(&mut self) -> PResult<Node> {
        // Scratch words after those holding variable offsets (`geneve`).
        let base = self.gen.free_reg();
        let a0 = self.arith(base, 0)?;
        let (op, reversed) = match self.peek() {
            Some(Tok::Punct('>')) => (bpf::JGT, false),
            Some(Tok::Geq) => (bpf::JGE, false),
            Some(Tok::Punct('=')) => (bpf::JEQ, false),
            Some(Tok::Leq) => (bpf::JGT, true),
            Some(Tok::Punct('<')) => (bpf::JGE, true),
            Some(Tok::Neq) => (bpf::JEQ, true),
            _ => return Err(self.syntax("expected a comparison operator")),
        };
        self.pos += 1;
        // bison holds `arth relop` while it reads the right side.
        let a1 = self.nested(2, 1, |p| p.arith(base + 1, 0))?;
        let mut stmts = a0.stmts;
        stmts.push(BpfInsn::stmt(bpf::ST, base));
        stmts.extend(a1.stmts);
        stmts.push(BpfInsn::stmt(bpf::MISC | bpf::TAX, 0));
        stmts.push(BpfInsn::stmt(bpf::LD | bpf::MEM, base));
        let mut test = Node::Test(Test {
            stmts,
            jump: op | bpf::X,
            k: 0,
        });
        if reversed {
            test = Node::not(test);
        }
        Ok(match and_checks(a0.checks, a1.checks) {
            Some(c) => Node::and(c, test),
            None => test,
        })
    }

    /// An arithmetic expression by precedence climbing. `reg` is the first free scratch
    /// word; `min` the lowest binding power accepted. `%` and `^` have no precedence in
    /// libpcap's grammar, so they take everything to their right.
    fn arith(&mut self, reg: u32, min: u8) -> PResult<Arth> {
        if reg as usize >= bpf::MEMWORDS {
            return Err(self.syntax("expression too complex"));
        }
        let mut lhs = self.arith_primary(reg)?;
        loop {
            let (op, prec) = match self.peek() {
                Some(Tok::Punct('|')) => (bpf::OR, 1),
                Some(Tok::Punct('&')) => (bpf::AND, 2),
                Some(Tok::Lsh) => (bpf::LSH, 3),
                Some(Tok::Rsh) => (bpf::RSH, 3),
                Some(Tok::Punct('+')) => (bpf::ADD, 4),
                Some(Tok::Punct('-')) => (bpf::SUB, 4),
                Some(Tok::Punct('*')) => (bpf::MUL, 5),
                Some(Tok::Punct('/')) => (bpf::DIV, 5),
                Some(Tok::Punct('%')) => (bpf::MOD, 0),
                Some(Tok::Punct('^')) => (bpf::XOR, 0),
                _ => return Ok(lhs),
            };
            if prec != 0 && prec <= min {
                return Ok(lhs);
            }
            self.pos += 1;
            let op_at = self.pos - 1;
            let rhs = self.nested(2, 1, |p| p.arith(reg + 1, prec))?;
            if let [BpfInsn { code, k, .. }] = rhs.stmts.as_slice() {
                let bad = match op {
                    _ if *code != bpf::LD | bpf::IMM => None,
                    bpf::DIV if *k == 0 => Some("division by zero"),
                    bpf::MOD if *k == 0 => Some("modulus by zero"),
                    bpf::LSH | bpf::RSH if *k > 31 => Some("shift by more than 31 bits"),
                    _ => None,
                };
                if let Some(m) = bad {
                    let w = self
                        .toks
                        .get(op_at)
                        .map(|t| t.text.clone())
                        .unwrap_or_default();
                    return Err(FilterError::at(&w, m));
                }
            }
            let mut stmts = lhs.stmts;
            stmts.push(BpfInsn::stmt(bpf::ST, reg));
            stmts.extend(rhs.stmts);
            stmts.push(BpfInsn::stmt(bpf::MISC | bpf::TAX, 0));
            stmts.push(BpfInsn::stmt(bpf::LD | bpf::MEM, reg));
            stmts.push(BpfInsn::stmt(bpf::ALU | op | bpf::X, 0));
            // libpcap keeps only the left operand's protocol checks (`gen_arth`).
            lhs = Arth {
                stmts,
                checks: lhs.checks,
            };
        }
    }

    fn arith_primary(&mut self, reg: u32) -> PResult<Arth> {
        match self.peek().cloned() {
            Some(Tok::Num(v)) => {
                self.pos += 1;
                Ok(Arth {
                    stmts: vec![BpfInsn::stmt(bpf::LD | bpf::IMM, v)],
                    checks: None,
                })
            }
            Some(Tok::Kw("len" | "length")) => {
                self.pos += 1;
                Ok(Arth {
                    stmts: vec![BpfInsn::stmt(bpf::LD | bpf::W | bpf::LEN, 0)],
                    checks: None,
                })
            }
            Some(Tok::Punct('-')) => {
                self.pos += 1;
                let mut a = self.nested(1, 1, |p| p.arith(reg, 6))?;
                a.stmts.push(BpfInsn::stmt(bpf::ALU | bpf::NEG, 0));
                Ok(a)
            }
            Some(Tok::Punct('(')) => {
                self.pos += 1;
                let a = self.nested(1, 2, |p| p.arith(reg, 0))?;
                self.expect(Tok::Punct(')'), "expected ')'")?;
                Ok(a)
            }
            Some(Tok::Kw(kw)) => match Proto::from_keyword(kw) {
                Some(p) if self.peek_at(1) == Some(&Tok::Punct('[')) => {
                    self.pos += 2;
                    // bison holds both the protocol and the `[`; inside, `arth ]`.
                    let index = self.nested(2, 2, |p| p.arith(reg, 0))?;
                    let size = if self.peek() == Some(&Tok::Punct(':')) {
                        self.pos += 1;
                        match self.bump() {
                            Some(Tok::Num(n @ (1 | 2 | 4))) => n,
                            _ => return Err(self.err_back(1, "data size must be 1, 2, or 4")),
                        }
                    } else {
                        1
                    };
                    self.expect(Tok::Punct(']'), "expected ']'")?;
                    self.load(p, index, size, reg)
                        .map_err(|m| FilterError::at(kw, &m))
                }
                _ => Err(self.syntax("expected a number or a packet field")),
            },
            _ => Err(self.syntax("expected a number or a packet field")),
        }
    }

    /// `proto[index:size]` (libpcap's `gen_load`).
    fn load(&self, p: Proto, index: Arth, size: u32, reg: u32) -> Result<Arth, String> {
        let sz = match size {
            1 => bpf::B,
            2 => bpf::H,
            _ => bpf::W,
        };
        let pl = self.gen.off_linkpl();
        let mut stmts = index.stmts;
        let checks = match p {
            Proto::Link => {
                stmts.extend(self.gen.off_linkhdr().load_indexed(sz, reg));
                index.checks
            }
            Proto::Ip | Proto::Arp | Proto::Rarp | Proto::Ip6 => {
                stmts.extend(pl.load_indexed(sz, reg));
                and_checks(index.checks, Some(self.gen.proto_abbrev(p)?))
            }
            Proto::Tcp
            | Proto::Udp
            | Proto::Sctp
            | Proto::Icmp
            | Proto::Igmp
            | Proto::Igrp
            | Proto::Pim
            | Proto::Vrrp
            | Proto::Carp => {
                stmts.push(BpfInsn::stmt(bpf::ST, reg));
                stmts.extend(pl.loadx_iphdrlen());
                stmts.push(BpfInsn::stmt(bpf::LD | bpf::MEM, reg));
                stmts.push(BpfInsn::stmt(bpf::ALU | bpf::ADD | bpf::X, 0));
                stmts.push(BpfInsn::stmt(bpf::MISC | bpf::TAX, 0));
                stmts.push(BpfInsn::stmt(bpf::LD | sz | bpf::IND, pl.k));
                let nofrag = Node::not(Node::Test(Test {
                    stmts: (pl + 6).load(bpf::H),
                    jump: bpf::JSET | bpf::K,
                    k: 0x1fff,
                }));
                let inner = Node::and(self.gen.proto_abbrev(p)?, nofrag);
                let inner = match index.checks {
                    Some(c) => Node::and(c, inner),
                    None => inner,
                };
                // libpcap checks for IPv4 around it all: the header length in X is IPv4's.
                Some(Node::and(self.gen.proto_abbrev(Proto::Ip)?, inner))
            }
            Proto::Icmp6 => {
                stmts.extend((pl + 40).load_indexed(sz, reg));
                let c = and_checks(index.checks, Some(self.gen.proto_abbrev(Proto::Ip6)?));
                and_checks(c, Some(self.gen.cmp(pl + 6, bpf::B, 58)))
            }
            _ => return Err("unsupported index operation".into()),
        };
        Ok(Arth { stmts, checks })
    }
}

fn and_checks(a: Option<Node>, b: Option<Node>) -> Option<Node> {
    match (a, b) {
        (Some(a), Some(b)) => Some(Node::and(a, b)),
        (a, None) => a,
        (None, b) => b,
    }
}
