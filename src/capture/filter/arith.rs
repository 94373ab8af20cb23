//! Arithmetic comparisons of packet fields, such as `tcp[tcpflags] & tcp-syn != 0`
//! (libpcap-1.10.3 `gencode.c`: `gen_relation`, `gen_arth`, `gen_load`). Values are
//! computed into A, with scratch memory for the left operand of each operator.

use super::bpf::{self, BpfInsn};
use super::gen::{Node, Proto, Test};
use super::lexer::Tok;
use super::parser::{PResult, Parser};
use super::FilterError;

/// A value computed into A by `stmts`, valid only when `checks` hold. Unoptimized (after
/// `geneve`), `stmts` also store it in scratch word `regno`, as libpcap's code does.
pub(super) struct Arth {
    stmts: Vec<BpfInsn>,
    checks: Option<Node>,
    regno: u32,
}

fn st(r: u32) -> BpfInsn {
    BpfInsn::stmt(bpf::ST, r)
}

fn ldx_mem(r: u32) -> BpfInsn {
    BpfInsn::stmt(bpf::LDX | bpf::MEM, r)
}

fn ld_mem(r: u32) -> BpfInsn {
    BpfInsn::stmt(bpf::LD | bpf::MEM, r)
}

impl Parser<'_> {
    /// `arth relop arth`, e.g. `tcp[13] & 2 != 0` (libpcap's `gen_relation`).
    pub(super) fn relation(&mut self) -> PResult<Node> {
        let start = self.pos;
        let regs = self.gen.regs();
        let res = self.relation_inner();
        if res.is_err() {
            self.pos = start;
            self.gen.set_regs(regs);
        }
        res
    }

    fn relation_inner(&mut self) -> PResult<Node> {
        let a0 = self.arith(0, 0)?;
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
        let a1 = self.nested(2, 1, |p| p.arith(1, 0))?;
        let mut stmts = a0.stmts;
        let mut test = if self.gen.unoptimized() {
            // libpcap's `gen_relation`: X = right, A = left; `==` compares their difference
            // with 0.
            stmts.extend(a1.stmts);
            stmts.push(ldx_mem(a1.regno));
            stmts.push(ld_mem(a0.regno));
            self.gen.free_reg(a0.regno);
            self.gen.free_reg(a1.regno);
            let jump = if op == bpf::JEQ {
                stmts.push(BpfInsn::stmt(bpf::ALU | bpf::SUB | bpf::X, 0));
                bpf::JEQ | bpf::K
            } else {
                op | bpf::X
            };
            Node::Test(Test { stmts, jump, k: 0 })
        } else {
            stmts.push(st(0));
            stmts.extend(a1.stmts);
            stmts.push(BpfInsn::stmt(bpf::MISC | bpf::TAX, 0));
            stmts.push(ld_mem(0));
            Node::Test(Test {
                stmts,
                jump: op | bpf::X,
                k: 0,
            })
        };
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
        let raw = self.gen.unoptimized();
        if reg as usize >= bpf::MEMWORDS && !raw {
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
            // libpcap looks at the first statement of the right operand only.
            let first = if raw {
                rhs.stmts.get(..1).unwrap_or(&[])
            } else {
                rhs.stmts.as_slice()
            };
            if let [BpfInsn { code, k, .. }] = first {
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
            let mut regno = 0;
            if raw {
                // libpcap's `gen_arth`: the result goes to a word taken after both
                // operands' words are given back.
                stmts.extend(rhs.stmts);
                stmts.push(ldx_mem(rhs.regno));
                stmts.push(ld_mem(lhs.regno));
                stmts.push(BpfInsn::stmt(bpf::ALU | op | bpf::X, 0));
                self.gen.free_reg(lhs.regno);
                self.gen.free_reg(rhs.regno);
                regno = self.alloc_reg()?;
                stmts.push(st(regno));
            } else {
                stmts.push(st(reg));
                stmts.extend(rhs.stmts);
                stmts.push(BpfInsn::stmt(bpf::MISC | bpf::TAX, 0));
                stmts.push(ld_mem(reg));
                stmts.push(BpfInsn::stmt(bpf::ALU | op | bpf::X, 0));
            }
            // libpcap keeps only the left operand's protocol checks (`gen_arth`).
            lhs = Arth {
                stmts,
                checks: lhs.checks,
                regno,
            };
        }
    }

    /// A scratch word for arithmetic, taken as libpcap's `alloc_reg` takes it.
    fn alloc_reg(&mut self) -> PResult<u32> {
        self.gen.alloc_reg().map_err(|m| self.err_back(1, m))
    }

    /// A value loaded into A by `insn` (a constant or the length), stored in a scratch word
    /// when unoptimized (libpcap's `gen_loadi`, `gen_loadlen`).
    fn value(&mut self, insn: BpfInsn) -> PResult<Arth> {
        let mut stmts = vec![insn];
        let mut regno = 0;
        if self.gen.unoptimized() {
            regno = self.alloc_reg()?;
            stmts.push(st(regno));
        }
        Ok(Arth {
            stmts,
            checks: None,
            regno,
        })
    }

    fn arith_primary(&mut self, reg: u32) -> PResult<Arth> {
        match self.peek().cloned() {
            Some(Tok::Num(v)) => {
                self.pos += 1;
                self.value(BpfInsn::stmt(bpf::LD | bpf::IMM, v))
            }
            Some(Tok::Kw("len" | "length")) => {
                self.pos += 1;
                self.value(BpfInsn::stmt(bpf::LD | bpf::W | bpf::LEN, 0))
            }
            Some(Tok::Punct('-')) => {
                self.pos += 1;
                let mut a = self.nested(1, 1, |p| p.arith(reg, 6))?;
                if self.gen.unoptimized() {
                    a.stmts.push(ld_mem(a.regno));
                }
                a.stmts.push(BpfInsn::stmt(bpf::ALU | bpf::NEG, 0));
                if self.gen.unoptimized() {
                    a.stmts.push(st(a.regno));
                }
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
                    if self.gen.unoptimized() {
                        let regno = self.alloc_reg()?;
                        self.gen.free_reg(index.regno);
                        return self
                            .load_unoptimized(p, index, size, regno)
                            .map_err(|m| FilterError::at(kw, &m));
                    }
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
        let sz = size_code(size);
        let pl = self.gen.off_linkpl();
        let mut stmts = index.stmts;
        match load_base(p) {
            Some(Base::Link) => stmts.extend(self.gen.off_linkhdr().load_indexed(sz, reg)),
            Some(Base::Net(at)) => stmts.extend((pl + at).load_indexed(sz, reg)),
            Some(Base::Transport) => {
                stmts.push(st(reg));
                stmts.extend(pl.loadx_iphdrlen());
                stmts.push(ld_mem(reg));
                stmts.push(BpfInsn::stmt(bpf::ALU | bpf::ADD | bpf::X, 0));
                stmts.push(BpfInsn::stmt(bpf::MISC | bpf::TAX, 0));
                stmts.push(BpfInsn::stmt(bpf::LD | sz | bpf::IND, pl.k));
            }
            None => return Err("unsupported index operation".into()),
        }
        let checks = self.load_checks(p, index.checks)?;
        Ok(Arth {
            stmts,
            checks,
            regno: 0,
        })
    }

    /// `proto[index:size]` unoptimized, the index and the result each in a scratch word
    /// (`regno` for the result), as libpcap's `gen_load` writes it.
    fn load_unoptimized(
        &self,
        p: Proto,
        index: Arth,
        size: u32,
        regno: u32,
    ) -> Result<Arth, String> {
        let sz = size_code(size);
        let pl = self.gen.off_linkpl();
        let mut stmts = index.stmts;
        // X = the offset's variable part plus the index (libpcap's `xfer_to_x`/`xfer_to_a`).
        let indexed = |off: super::gen::Off, stmts: &mut Vec<BpfInsn>| {
            match off.reg {
                Some(r) => stmts.extend([
                    ldx_mem(r),
                    ld_mem(index.regno),
                    BpfInsn::stmt(bpf::ALU | bpf::ADD | bpf::X, 0),
                    BpfInsn::stmt(bpf::MISC | bpf::TAX, 0),
                ]),
                None => stmts.push(ldx_mem(index.regno)),
            }
            stmts.push(BpfInsn::stmt(bpf::LD | sz | bpf::IND, off.k));
        };
        match load_base(p) {
            Some(Base::Link) => indexed(self.gen.off_linkhdr(), &mut stmts),
            Some(Base::Net(at)) => indexed(pl + at, &mut stmts),
            Some(Base::Transport) => {
                stmts.extend(pl.loadx_iphdrlen());
                stmts.push(ld_mem(index.regno));
                stmts.push(BpfInsn::stmt(bpf::ALU | bpf::ADD | bpf::X, 0));
                stmts.push(BpfInsn::stmt(bpf::MISC | bpf::TAX, 0));
                stmts.push(BpfInsn::stmt(bpf::LD | sz | bpf::IND, pl.k));
            }
            None => return Err("unsupported index operation".into()),
        }
        stmts.push(st(regno));
        let checks = self.load_checks(p, index.checks)?;
        Ok(Arth {
            stmts,
            checks,
            regno,
        })
    }

    /// The tests under which `p[...]` is read, after the index's own (libpcap's `gen_load`).
    fn load_checks(&self, p: Proto, index: Option<Node>) -> Result<Option<Node>, String> {
        let pl = self.gen.off_linkpl();
        Ok(match load_base(p) {
            Some(Base::Link) | None => index,
            Some(Base::Net(0)) => and_checks(index, Some(self.gen.proto_abbrev(p)?)),
            Some(Base::Net(_)) => {
                let c = and_checks(index, Some(self.gen.proto_abbrev(Proto::Ip6)?));
                and_checks(c, Some(self.gen.cmp(pl + 6, bpf::B, 58)))
            }
            Some(Base::Transport) => {
                let nofrag = Node::not(Node::Test(Test {
                    stmts: (pl + 6).load(bpf::H),
                    jump: bpf::JSET | bpf::K,
                    k: 0x1fff,
                }));
                let inner = Node::and(self.gen.proto_abbrev(p)?, nofrag);
                let inner = match index {
                    Some(c) => Node::and(c, inner),
                    None => inner,
                };
                // libpcap checks for IPv4 around it all: the header length in X is IPv4's.
                Some(Node::and(self.gen.proto_abbrev(Proto::Ip)?, inner))
            }
        })
    }
}

/// Where `p[...]` counts from.
enum Base {
    /// The link-layer header.
    Link,
    /// The network-layer header, plus this much (40 for ICMPv6, past a fixed IPv6 header).
    Net(u32),
    /// The transport header after an IPv4 header.
    Transport,
}

fn load_base(p: Proto) -> Option<Base> {
    Some(match p {
        Proto::Link => Base::Link,
        Proto::Ip | Proto::Arp | Proto::Rarp | Proto::Ip6 => Base::Net(0),
        Proto::Icmp6 => Base::Net(40),
        Proto::Tcp
        | Proto::Udp
        | Proto::Sctp
        | Proto::Icmp
        | Proto::Igmp
        | Proto::Igrp
        | Proto::Pim
        | Proto::Vrrp
        | Proto::Carp => Base::Transport,
        _ => return None,
    })
}

fn size_code(size: u32) -> u16 {
    match size {
        1 => bpf::B,
        2 => bpf::H,
        _ => bpf::W,
    }
}

fn and_checks(a: Option<Node>, b: Option<Node>) -> Option<Node> {
    match (a, b) {
        (Some(a), Some(b)) => Some(Node::and(a, b)),
        (a, None) => a,
        (None, b) => b,
    }
}
