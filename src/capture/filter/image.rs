//! A compiled program as text, the three ways `tcpdump -d`, `-dd` and `-ddd` show one
//! (libpcap-1.10.3 `bpf_image.c` for the instruction syntax, `bpf_dump.c` for the layouts).

use std::fmt::Write;

use super::bpf::*;

/// `-d` (1): one instruction per line, `(000) ldh      [12]`; `-dd` (2): a C array body,
/// `{ 0x28, 0, 0, 0x0000000c },`; `-ddd` (3 or more): the count, then `code jt jf k` in
/// decimal.
pub fn dump(insns: &[BpfInsn], level: u8) -> String {
    let mut out = String::new();
    if level > 2 {
        let _ = writeln!(out, "{}", insns.len());
    }
    for (n, i) in insns.iter().enumerate() {
        let _ = match level {
            1 => writeln!(out, "{}", image(i, n)),
            2 => writeln!(
                out,
                "{{ 0x{:x}, {}, {}, 0x{:08x} }},",
                i.code, i.jt, i.jf, i.k
            ),
            _ => writeln!(out, "{} {} {} {}", i.code, i.jt, i.jf, i.k),
        };
    }
    out
}

/// One instruction, numbered `n` (`bpf_image`): the operation padded to 8 columns, its
/// operand, and for a conditional jump the operand padded to 16 and both targets.
pub fn image(i: &BpfInsn, n: usize) -> String {
    // The operand's format as libpcap writes it: `%d` of the 32-bit field (negative past
    // 2^31), `%x`, or fixed text.
    let dec = i.k as i32;
    let (op, operand) = match i.code {
        c if c == RET | K => ("ret", format!("#{dec}")),
        c if c == RET | RVAL_A => ("ret", String::new()),
        c if c == LD | W | ABS => ("ld", format!("[{dec}]")),
        c if c == LD | H | ABS => ("ldh", format!("[{dec}]")),
        c if c == LD | B | ABS => ("ldb", format!("[{dec}]")),
        c if c == LD | W | LEN => ("ld", "#pktlen".to_string()),
        c if c == LDX | W | LEN => ("ldx", "#pktlen".to_string()),
        c if c == LD | W | IND => ("ld", format!("[x + {dec}]")),
        c if c == LD | H | IND => ("ldh", format!("[x + {dec}]")),
        c if c == LD | B | IND => ("ldb", format!("[x + {dec}]")),
        c if c == LD | IMM => ("ld", format!("#0x{:x}", i.k)),
        c if c == LDX | IMM => ("ldx", format!("#0x{:x}", i.k)),
        c if c == LDX | MSH | B => ("ldxb", format!("4*([{dec}]&0xf)")),
        c if c == LD | MEM => ("ld", format!("M[{dec}]")),
        c if c == LDX | MEM => ("ldx", format!("M[{dec}]")),
        c if c == ST => ("st", format!("M[{dec}]")),
        c if c == STX => ("stx", format!("M[{dec}]")),
        c if c == JMP | JA => ("ja", format!("{}", n as i64 + 1 + i64::from(i.k))),
        c if c == JMP | JGT | K => ("jgt", format!("#0x{:x}", i.k)),
        c if c == JMP | JGE | K => ("jge", format!("#0x{:x}", i.k)),
        c if c == JMP | JEQ | K => ("jeq", format!("#0x{:x}", i.k)),
        c if c == JMP | JSET | K => ("jset", format!("#0x{:x}", i.k)),
        c if c == JMP | JGT | X => ("jgt", "x".to_string()),
        c if c == JMP | JGE | X => ("jge", "x".to_string()),
        c if c == JMP | JEQ | X => ("jeq", "x".to_string()),
        c if c == JMP | JSET | X => ("jset", "x".to_string()),
        c if c & 0x07 == ALU => alu(c, i.k),
        c if c == MISC | TAX => ("tax", String::new()),
        c if c == MISC | TXA => ("txa", String::new()),
        c => ("unimp", format!("0x{c:x}")),
    };
    if i.code & 0x07 == JMP && i.code & 0xf0 != JA {
        format!(
            "({n:03}) {op:<8} {operand:<16} jt {}\tjf {}",
            n + 1 + usize::from(i.jt),
            n + 1 + usize::from(i.jf)
        )
    } else {
        format!("({n:03}) {op:<8} {operand}")
    }
}

/// An arithmetic instruction: `add x`, `add #5`, `and #0xf` (bitwise operations in hex).
fn alu(code: u16, k: u32) -> (&'static str, String) {
    let op = match code & 0xf0 {
        ADD => "add",
        SUB => "sub",
        MUL => "mul",
        DIV => "div",
        MOD => "mod",
        AND => "and",
        OR => "or",
        XOR => "xor",
        LSH => "lsh",
        RSH => "rsh",
        NEG => return ("neg", String::new()),
        _ => return ("unimp", format!("0x{code:x}")),
    };
    let operand = if code & X != 0 {
        "x".to_string()
    } else if matches!(code & 0xf0, AND | OR | XOR) {
        format!("#0x{k:x}")
    } else {
        format!("#{}", k as i32)
    };
    (op, operand)
}
