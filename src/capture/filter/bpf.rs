//! Classic BPF: the instruction layout of Linux `struct sock_filter`, the opcode constants of
//! `<linux/filter.h>`, a bounds-checked interpreter and the checks the kernel applies before it
//! accepts a program (`sk_chk_filter`).
//!
//! The interpreter follows the kernel's rules: a load outside the captured bytes ends the
//! program with "reject", as does a division by zero. It never panics, whatever the program.

/// One classic BPF instruction, laid out as Linux `struct sock_filter`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(C)]
pub struct BpfInsn {
    pub code: u16,
    pub jt: u8,
    pub jf: u8,
    pub k: u32,
}

impl BpfInsn {
    /// A non-jump instruction.
    pub const fn stmt(code: u16, k: u32) -> BpfInsn {
        BpfInsn {
            code,
            jt: 0,
            jf: 0,
            k,
        }
    }

    /// A conditional jump.
    pub const fn jump(code: u16, k: u32, jt: u8, jf: u8) -> BpfInsn {
        BpfInsn { code, jt, jf, k }
    }
}

// Instruction classes.
pub const LD: u16 = 0x00;
pub const LDX: u16 = 0x01;
pub const ST: u16 = 0x02;
pub const STX: u16 = 0x03;
pub const ALU: u16 = 0x04;
pub const JMP: u16 = 0x05;
pub const RET: u16 = 0x06;
pub const MISC: u16 = 0x07;

// Load sizes.
pub const W: u16 = 0x00;
pub const H: u16 = 0x08;
pub const B: u16 = 0x10;

// Load modes.
pub const IMM: u16 = 0x00;
pub const ABS: u16 = 0x20;
pub const IND: u16 = 0x40;
pub const MEM: u16 = 0x60;
pub const LEN: u16 = 0x80;
pub const MSH: u16 = 0xa0;

// ALU operations.
pub const ADD: u16 = 0x00;
pub const SUB: u16 = 0x10;
pub const MUL: u16 = 0x20;
pub const DIV: u16 = 0x30;
pub const OR: u16 = 0x40;
pub const AND: u16 = 0x50;
pub const LSH: u16 = 0x60;
pub const RSH: u16 = 0x70;
pub const NEG: u16 = 0x80;
pub const MOD: u16 = 0x90;
pub const XOR: u16 = 0xa0;

// Jumps.
pub const JA: u16 = 0x00;
pub const JEQ: u16 = 0x10;
pub const JGT: u16 = 0x20;
pub const JGE: u16 = 0x30;
pub const JSET: u16 = 0x40;

// Operand sources.
pub const K: u16 = 0x00;
pub const X: u16 = 0x08;
/// `ret a`.
pub const RVAL_A: u16 = 0x10;

// MISC operations.
pub const TAX: u16 = 0x00;
pub const TXA: u16 = 0x80;

/// The kernel's limit on program length (`BPF_MAXINSNS`).
pub const MAX_INSNS: usize = 4096;
/// Scratch memory words (`BPF_MEMWORDS`).
pub const MEMWORDS: usize = 16;

/// Why a program would be refused by the kernel.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    #[error("program is empty")]
    Empty,
    #[error("program has {0} instructions, more than the kernel's {MAX_INSNS}")]
    TooLong(usize),
    #[error("instruction {at} jumps past the end of the program")]
    JumpOutOfRange { at: usize },
    #[error("instruction {at} has unknown opcode {code:#06x}")]
    BadOpcode { at: usize, code: u16 },
    #[error("instruction {at} uses scratch word {k}, beyond {MEMWORDS}")]
    BadMem { at: usize, k: u32 },
    #[error("instruction {at} divides by the constant zero")]
    DivByZero { at: usize },
    #[error("the last instruction is not a return")]
    NoFinalReturn,
}

/// Check `prog` the way the kernel does before attaching it: length, known opcodes, forward
/// jumps that land inside the program, scratch indices, no constant division by zero, and a
/// return as the last instruction. Classic BPF jumps are forward only by construction (the
/// offsets are unsigned), so a program that passes always terminates.
pub fn verify(prog: &[BpfInsn]) -> Result<(), VerifyError> {
    if prog.len() > MAX_INSNS {
        return Err(VerifyError::TooLong(prog.len()));
    }
    verify_code(prog)
}

/// Everything [`verify`] checks but the length: what a program run in user space needs
/// (the interpreter has no length limit; only the kernel's `BPF_MAXINSNS` has).
pub fn verify_code(prog: &[BpfInsn]) -> Result<(), VerifyError> {
    if prog.is_empty() {
        return Err(VerifyError::Empty);
    }
    for (at, insn) in prog.iter().enumerate() {
        verify_one(prog.len(), at, insn)?;
    }
    match prog.last() {
        Some(last) if last.code & 0x07 == RET => Ok(()),
        _ => Err(VerifyError::NoFinalReturn),
    }
}

fn verify_one(len: usize, at: usize, insn: &BpfInsn) -> Result<(), VerifyError> {
    let bad = VerifyError::BadOpcode {
        at,
        code: insn.code,
    };
    let code = insn.code;
    let in_range = |off: u64| (at as u64) + 1 + off < len as u64;
    match code & 0x07 {
        LD | LDX => {
            let size = code & 0x18;
            let mode = code & 0xe0;
            let ok = match (code & 0x07, mode) {
                (LD, ABS) | (LD, IND) => size != 0x18,
                (LD, IMM) | (LD, LEN) | (LD, MEM) => size == W,
                (LDX, IMM) | (LDX, LEN) | (LDX, MEM) => size == W,
                (LDX, MSH) => size == B,
                _ => false,
            };
            if !ok {
                return Err(bad);
            }
            if mode == MEM && insn.k as usize >= MEMWORDS {
                return Err(VerifyError::BadMem { at, k: insn.k });
            }
        }
        ST | STX => {
            if code & !0x07 != 0 {
                return Err(bad);
            }
            if insn.k as usize >= MEMWORDS {
                return Err(VerifyError::BadMem { at, k: insn.k });
            }
        }
        ALU => {
            let op = code & 0xf0;
            if op > XOR || code & !0x00ff != 0 || (op == NEG && code & X != 0) {
                return Err(bad);
            }
            if (op == DIV || op == MOD) && code & X == 0 && insn.k == 0 {
                return Err(VerifyError::DivByZero { at });
            }
        }
        JMP => {
            let op = code & 0xf0;
            if op == JA {
                if !in_range(u64::from(insn.k)) {
                    return Err(VerifyError::JumpOutOfRange { at });
                }
            } else if op <= JSET {
                if !in_range(u64::from(insn.jt)) || !in_range(u64::from(insn.jf)) {
                    return Err(VerifyError::JumpOutOfRange { at });
                }
            } else {
                return Err(bad);
            }
        }
        RET => {
            if code != RET | K && code != RET | RVAL_A {
                return Err(bad);
            }
        }
        _ => {
            if code != MISC | TAX && code != MISC | TXA {
                return Err(bad);
            }
        }
    }
    Ok(())
}

/// Run `prog` over a packet of which `pkt` was captured and `wirelen` bytes were on the wire.
/// Returns the program's verdict: the number of bytes to keep, 0 for "reject".
///
/// An instruction that would read outside `pkt`, divide by zero, touch scratch memory out of
/// range or jump out of the program rejects the packet, as the kernel does.
pub fn run(prog: &[BpfInsn], pkt: &[u8], wirelen: u32) -> u32 {
    let mut a: u32 = 0;
    let mut x: u32 = 0;
    let mut mem = [0u32; MEMWORDS];
    let mut pc: usize = 0;
    loop {
        let Some(insn) = prog.get(pc) else { return 0 };
        pc += 1;
        let k = insn.k;
        match insn.code {
            c if c == LD | W | ABS => match load(pkt, k, 4) {
                Some(v) => a = v,
                None => return 0,
            },
            c if c == LD | H | ABS => match load(pkt, k, 2) {
                Some(v) => a = v,
                None => return 0,
            },
            c if c == LD | B | ABS => match load(pkt, k, 1) {
                Some(v) => a = v,
                None => return 0,
            },
            c if c == LD | W | IND => match k.checked_add(x).and_then(|o| load(pkt, o, 4)) {
                Some(v) => a = v,
                None => return 0,
            },
            c if c == LD | H | IND => match k.checked_add(x).and_then(|o| load(pkt, o, 2)) {
                Some(v) => a = v,
                None => return 0,
            },
            c if c == LD | B | IND => match k.checked_add(x).and_then(|o| load(pkt, o, 1)) {
                Some(v) => a = v,
                None => return 0,
            },
            c if c == LD | W | LEN => a = wirelen,
            c if c == LDX | W | LEN => x = wirelen,
            c if c == LD | IMM => a = k,
            c if c == LDX | IMM => x = k,
            c if c == LD | MEM => match mem.get(k as usize) {
                Some(v) => a = *v,
                None => return 0,
            },
            c if c == LDX | MEM => match mem.get(k as usize) {
                Some(v) => x = *v,
                None => return 0,
            },
            c if c == LDX | B | MSH => match load(pkt, k, 1) {
                Some(v) => x = (v & 0x0f) << 2,
                None => return 0,
            },
            c if c == ST => match mem.get_mut(k as usize) {
                Some(m) => *m = a,
                None => return 0,
            },
            c if c == STX => match mem.get_mut(k as usize) {
                Some(m) => *m = x,
                None => return 0,
            },
            c if c == JMP | JA => match pc.checked_add(k as usize) {
                Some(p) => pc = p,
                None => return 0,
            },
            c if c & 0x07 == JMP => {
                let v = if c & X != 0 { x } else { k };
                let taken = match c & 0xf0 {
                    JEQ => a == v,
                    JGT => a > v,
                    JGE => a >= v,
                    JSET => a & v != 0,
                    _ => return 0,
                };
                pc += usize::from(if taken { insn.jt } else { insn.jf });
            }
            c if c & 0x07 == ALU => {
                let v = if c & X != 0 { x } else { k };
                a = match c & 0xf0 {
                    ADD => a.wrapping_add(v),
                    SUB => a.wrapping_sub(v),
                    MUL => a.wrapping_mul(v),
                    DIV => match a.checked_div(v) {
                        Some(q) => q,
                        None => return 0,
                    },
                    MOD => match a.checked_rem(v) {
                        Some(r) => r,
                        None => return 0,
                    },
                    AND => a & v,
                    OR => a | v,
                    XOR => a ^ v,
                    LSH => a.checked_shl(v).unwrap_or(0),
                    RSH => a.checked_shr(v).unwrap_or(0),
                    NEG => a.wrapping_neg(),
                    _ => return 0,
                };
            }
            c if c == RET | K => return k,
            c if c == RET | RVAL_A => return a,
            c if c == MISC | TAX => x = a,
            c if c == MISC | TXA => a = x,
            _ => return 0,
        }
    }
}

/// Read `size` bytes big-endian at `off`, or `None` when they were not all captured.
fn load(pkt: &[u8], off: u32, size: usize) -> Option<u32> {
    let start = usize::try_from(off).ok()?;
    let bytes = pkt.get(start..start.checked_add(size)?)?;
    Some(bytes.iter().fold(0u32, |acc, b| (acc << 8) | u32::from(*b)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ret(k: u32) -> BpfInsn {
        BpfInsn::stmt(RET | K, k)
    }

    #[test]
    fn loads_are_big_endian_and_bounds_checked() {
        let prog = [
            BpfInsn::stmt(LD | H | ABS, 1),
            BpfInsn::stmt(RET | RVAL_A, 0),
        ];
        assert_eq!(run(&prog, &[0x00, 0x12, 0x34], 3), 0x1234);
        assert_eq!(run(&prog, &[0x00, 0x12], 2), 0);
        let far = [BpfInsn::stmt(LD | W | ABS, u32::MAX), ret(1)];
        assert_eq!(run(&far, &[0; 8], 8), 0);
    }

    #[test]
    fn msh_and_indirect_load() {
        // X = 4 * (pkt[0] & 0xf) = 8; A = pkt[X + 1].
        let prog = [
            BpfInsn::stmt(LDX | B | MSH, 0),
            BpfInsn::stmt(LD | B | IND, 1),
            BpfInsn::stmt(RET | RVAL_A, 0),
        ];
        let pkt = [0x42, 0, 0, 0, 0, 0, 0, 0, 0, 0x99];
        assert_eq!(run(&prog, &pkt, 10), 0x99);
        assert_eq!(run(&prog, &pkt[..9], 10), 0);
    }

    #[test]
    fn division_by_zero_rejects() {
        let prog = [
            BpfInsn::stmt(LD | IMM, 7),
            BpfInsn::stmt(LDX | IMM, 0),
            BpfInsn::stmt(ALU | DIV | X, 0),
            ret(1),
        ];
        assert_eq!(run(&prog, &[], 0), 0);
    }

    #[test]
    fn verifier_rejects_bad_programs() {
        assert_eq!(verify(&[]), Err(VerifyError::Empty));
        assert_eq!(
            verify(&[BpfInsn::stmt(LD | IMM, 0)]),
            Err(VerifyError::NoFinalReturn)
        );
        let jump_out = [BpfInsn::jump(JMP | JEQ | K, 0, 1, 0), ret(0)];
        assert_eq!(
            verify(&jump_out),
            Err(VerifyError::JumpOutOfRange { at: 0 })
        );
        let mem = [BpfInsn::stmt(ST, 16), ret(0)];
        assert_eq!(verify(&mem), Err(VerifyError::BadMem { at: 0, k: 16 }));
        let div = [BpfInsn::stmt(ALU | DIV | K, 0), ret(0)];
        assert_eq!(verify(&div), Err(VerifyError::DivByZero { at: 0 }));
        let long = vec![ret(0); MAX_INSNS + 1];
        assert_eq!(verify(&long), Err(VerifyError::TooLong(MAX_INSNS + 1)));
        assert_eq!(
            verify(&[BpfInsn::stmt(0xffff, 0)]),
            Err(VerifyError::BadOpcode {
                at: 0,
                code: 0xffff
            })
        );
    }

    #[test]
    fn verifier_accepts_a_simple_program() {
        let prog = [
            BpfInsn::stmt(LD | H | ABS, 12),
            BpfInsn::jump(JMP | JEQ | K, 0x800, 0, 1),
            ret(262_144),
            ret(0),
        ];
        assert_eq!(verify(&prog), Ok(()));
    }
}
