//! From a tree of tests to a classic BPF program.
//!
//! The tree becomes a graph of test blocks (each: statements, one conditional jump, two
//! successors), which is then simplified the way libpcap's optimizer (`optimize.c`)
//! simplifies it, because that changes which packets pass: a load past the captured bytes
//! rejects the packet, and libpcap's program skips loads whose outcome it already knows. A
//! jump whose target's result is known from the tests on the path goes straight to that
//! result's successor; a block whose two successors are the same is dropped, loads and all.
//!
//! The program is laid out backwards, from the two final returns up, so that every jump
//! target is already placed when a jump is written: jumps only go forward and their
//! distances are known. A distance too long for a conditional jump's 8-bit offset goes
//! through an unconditional `ja` (32-bit offset) placed right after the jump.

use super::bpf::{self, BpfInsn};
use super::gen::{Node, Test};
use std::collections::HashMap;

/// Where a jump goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tgt {
    Accept,
    Reject,
    Block(usize),
}

/// One test block. Successors always have a smaller index than the block itself.
#[derive(Debug, Clone)]
struct Block {
    test: Test,
    /// The identity of `test.stmts`: equal statements compute the same value.
    key: usize,
    jt: Tgt,
    jf: Tgt,
}

/// "Test `key`/`jump`/`k` came out `outcome`" on every path to some point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Fact {
    key: usize,
    jump: u16,
    k: u32,
    outcome: bool,
}

#[derive(Default)]
struct Graph {
    blocks: Vec<Block>,
    keys: HashMap<Vec<BpfInsn>, usize>,
}

impl Graph {
    fn build(&mut self, node: &Node, t: Tgt, f: Tgt) -> Tgt {
        match node {
            Node::True => t,
            Node::False => f,
            Node::Not(n) => self.build(n, f, t),
            Node::And(a, b) => {
                let b_start = self.build(b, t, f);
                self.build(a, b_start, f)
            }
            Node::Or(a, b) => {
                let b_start = self.build(b, t, f);
                self.build(a, t, b_start)
            }
            Node::Test(test) => {
                let n = self.keys.len();
                let key = *self.keys.entry(test.stmts.clone()).or_insert(n);
                self.blocks.push(Block {
                    test: test.clone(),
                    key,
                    jt: t,
                    jf: f,
                });
                Tgt::Block(self.blocks.len() - 1)
            }
        }
    }

    fn fact(&self, b: usize, outcome: bool) -> Option<Fact> {
        let blk = self.blocks.get(b)?;
        Some(Fact {
            key: blk.key,
            jump: blk.test.jump,
            k: blk.test.k,
            outcome,
        })
    }

    /// The result of block `b`'s test if `facts` decide it.
    fn decide(&self, b: usize, facts: &[Fact]) -> Option<bool> {
        let blk = self.blocks.get(b)?;
        for f in facts.iter().filter(|f| f.key == blk.key) {
            if f.jump == blk.test.jump && f.k == blk.test.k {
                return Some(f.outcome);
            }
            // A known equality gives the value itself.
            if f.jump == bpf::JEQ | bpf::K && f.outcome && blk.test.jump & bpf::X == 0 {
                let v = f.k;
                let k = blk.test.k;
                return match blk.test.jump & 0xf0 {
                    bpf::JEQ => Some(v == k),
                    bpf::JGT => Some(v > k),
                    bpf::JGE => Some(v >= k),
                    bpf::JSET => Some(v & k != 0),
                    _ => None,
                };
            }
        }
        None
    }

    /// Follow `t` while the facts on the edge decide the test it reaches.
    fn thread(&self, mut t: Tgt, facts: &[Fact]) -> Tgt {
        while let Tgt::Block(b) = t {
            match (self.decide(b, facts), self.blocks.get(b)) {
                (Some(true), Some(blk)) => t = blk.jt,
                (Some(false), Some(blk)) => t = blk.jf,
                _ => break,
            }
        }
        t
    }

    /// One simplification pass from `entry`; returns the new entry and whether anything
    /// changed.
    fn pass(&mut self, entry: Tgt) -> (Tgt, bool) {
        let Tgt::Block(first) = entry else {
            return (entry, false);
        };
        let mut facts_in: Vec<Option<Vec<Fact>>> = vec![None; self.blocks.len()];
        if let Some(slot) = facts_in.get_mut(first) {
            *slot = Some(Vec::new());
        }
        let mut forward: Vec<Option<Tgt>> = vec![None; self.blocks.len()];
        let mut changed = false;
        // Successors have smaller indices, so descending order visits every predecessor
        // of a block before the block.
        for b in (0..=first).rev() {
            let Some(facts) = facts_in.get_mut(b).and_then(Option::take) else {
                continue;
            };
            let mut targets = [Tgt::Reject; 2];
            for (i, outcome) in [true, false].into_iter().enumerate() {
                let mut edge = facts.clone();
                edge.extend(self.fact(b, outcome));
                let old = if outcome {
                    self.blocks[b].jt
                } else {
                    self.blocks[b].jf
                };
                let new = self.thread(old, &edge);
                changed |= new != old;
                targets[i] = new;
            }
            let [jt, jf] = targets;
            self.blocks[b].jt = jt;
            self.blocks[b].jf = jf;
            // A block with one successor is skipped by the jumps into it, loads and all;
            // the first block has no jump into it, so its loads still run (as in libpcap).
            let outs: Vec<(Tgt, Vec<Fact>)> = if jt == jf && b != first {
                forward[b] = Some(jt);
                changed = true;
                vec![(jt, facts)]
            } else if jt == jf {
                vec![(jt, facts)]
            } else {
                let mut ft = facts.clone();
                ft.extend(self.fact(b, true));
                let mut ff = facts;
                ff.extend(self.fact(b, false));
                vec![(jt, ft), (jf, ff)]
            };
            for (t, f) in outs {
                if let Tgt::Block(s) = t {
                    if let Some(slot) = facts_in.get_mut(s) {
                        *slot = Some(match slot.take() {
                            None => f,
                            Some(old) => old.into_iter().filter(|x| f.contains(x)).collect(),
                        });
                    }
                }
            }
        }
        let resolve = |mut t: Tgt| {
            while let Tgt::Block(b) = t {
                match forward.get(b).copied().flatten() {
                    Some(n) => t = n,
                    None => break,
                }
            }
            t
        };
        for blk in &mut self.blocks {
            blk.jt = resolve(blk.jt);
            blk.jf = resolve(blk.jf);
        }
        (resolve(entry), changed)
    }
}

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
}

/// The program for `node`: accept returns `snaplen`, reject returns 0.
pub fn emit(node: &Node, snaplen: u32) -> Vec<BpfInsn> {
    let mut g = Graph::default();
    let mut entry = g.build(node, Tgt::Accept, Tgt::Reject);
    // Each pass only removes edges and blocks; the bound is a safety net.
    for _ in 0..64 {
        let (e, changed) = g.pass(entry);
        entry = e;
        if !changed {
            break;
        }
    }
    // libpcap's `opt_root`: a first block whose two successors are the same runs its loads
    // before that successor, unless the successor is a return (a program without side
    // effects need not load anything before returning).
    if let Tgt::Block(first) = entry {
        if let Some(blk) = g.blocks.get(first) {
            if blk.jt == blk.jf && matches!(blk.jt, Tgt::Accept | Tgt::Reject) {
                entry = blk.jt;
            }
        }
    }
    let mut reachable = vec![false; g.blocks.len()];
    if let Tgt::Block(first) = entry {
        if let Some(r) = reachable.get_mut(first) {
            *r = true;
        }
        for b in (0..=first).rev() {
            if !reachable.get(b).copied().unwrap_or(false) {
                continue;
            }
            for t in [g.blocks[b].jt, g.blocks[b].jf] {
                if let Tgt::Block(s) = t {
                    if let Some(r) = reachable.get_mut(s) {
                        *r = true;
                    }
                }
            }
        }
    }
    let mut e = Emitter { rev: Vec::new() };
    let reject = e.push(BpfInsn::stmt(bpf::RET | bpf::K, 0));
    let accept = e.push(BpfInsn::stmt(bpf::RET | bpf::K, snaplen));
    let mut labels: Vec<Label> = vec![0; g.blocks.len()];
    let label = |t: Tgt, labels: &[Label]| match t {
        Tgt::Accept => accept,
        Tgt::Reject => reject,
        Tgt::Block(b) => labels.get(b).copied().unwrap_or(reject),
    };
    for (b, blk) in g.blocks.iter().enumerate() {
        if !reachable.get(b).copied().unwrap_or(false) {
            continue;
        }
        let (t, f) = (label(blk.jt, &labels), label(blk.jf, &labels));
        let start = e.test(&blk.test, t, f);
        if let Some(l) = labels.get_mut(b) {
            *l = start;
        }
    }
    let start = label(entry, &labels);
    // Code before `start` cannot be reached; `start` is where execution must begin.
    let skip = e.rev.len() - 1 - start;
    let mut prog: Vec<BpfInsn> = e.rev.into_iter().rev().collect();
    prog.drain(..skip);
    prog
}
