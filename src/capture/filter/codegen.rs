//! From a tree of tests to a classic BPF program.
//!
//! The program is laid out backwards, from the two final returns up, so that every jump
//! target is already placed when a jump is written: jumps only go forward and their
//! distances are known. A distance too long for a conditional jump's 8-bit offset goes
//! through an unconditional `ja` (32-bit offset) placed right after the jump.

use super::bpf::{self, BpfInsn};
use super::gen::{Node, Test};

/// Builds the program in reverse: `rev[0]` is the last instruction.
struct Emitter {
    rev: Vec<BpfInsn>,
}

/// A place in the program, counted from its end (0 = last instruction).
type Label = usize;

impl Emitter {
    fn push(&mut self, insn: BpfInsn) -> Label {
        self.rev.push(insn);
        self.rev.len() - 1
    }

    /// The forward distance from the next instruction to be pushed to `target`.
    fn dist(&self, target: Label) -> usize {
        self.rev.len() - 1 - target
    }

    /// A label for `target` reachable by an 8-bit offset from the next instruction.
    fn near(&mut self, target: Label) -> Label {
        if self.dist(target) <= 255 {
            target
        } else {
            let k = u32::try_from(self.dist(target)).unwrap_or(u32::MAX);
            self.push(BpfInsn::stmt(bpf::JMP | bpf::JA, k))
        }
    }

    fn test(&mut self, t: &Test, on_true: Label, on_false: Label) -> Label {
        let jt = self.near(on_true);
        let jf = self.near(on_false);
        let off = |target: Label| u8::try_from(self.dist(target)).unwrap_or(u8::MAX);
        let jump = BpfInsn::jump(bpf::JMP | t.jump, t.k, off(jt), off(jf));
        let mut start = self.push(jump);
        for s in t.stmts.iter().rev() {
            start = self.push(*s);
        }
        start
    }

    /// Place the code of `node`, which continues at `on_true` or `on_false`; returns where
    /// it starts.
    fn node(&mut self, node: &Node, on_true: Label, on_false: Label) -> Label {
        match node {
            Node::True => on_true,
            Node::False => on_false,
            Node::Not(n) => self.node(n, on_false, on_true),
            Node::And(a, b) => {
                let b_start = self.node(b, on_true, on_false);
                self.node(a, b_start, on_false)
            }
            Node::Or(a, b) => {
                let b_start = self.node(b, on_true, on_false);
                self.node(a, on_true, b_start)
            }
            Node::Test(t) => self.test(t, on_true, on_false),
        }
    }
}

/// The program for `node`: accept returns `snaplen`, reject returns 0.
pub fn emit(node: &Node, snaplen: u32) -> Vec<BpfInsn> {
    let mut e = Emitter { rev: Vec::new() };
    let reject = e.push(BpfInsn::stmt(bpf::RET | bpf::K, 0));
    let accept = e.push(BpfInsn::stmt(bpf::RET | bpf::K, snaplen));
    let start = e.node(node, accept, reject);
    // Code before `start` cannot be reached; `start` is where execution must begin.
    let skip = e.rev.len() - 1 - start;
    let mut prog: Vec<BpfInsn> = e.rev.into_iter().rev().collect();
    if skip > 0 {
        prog.drain(..skip);
    }
    prog
}
