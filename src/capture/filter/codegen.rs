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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Tgt {
    Accept,
    Reject,
    Block(usize),
}

/// One test block.
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
            // A known equality decides another equality of the same value, and nothing
            // else: libpcap's `fold_edge` folds only a branch of the same code.
            if f.jump == bpf::JEQ | bpf::K && f.outcome && blk.test.jump == bpf::JEQ | bpf::K {
                return Some(f.k == blk.test.k);
            }
        }
        None
    }

    /// Follow `t` while the facts on the edge decide the test it reaches.
    fn thread(&self, mut t: Tgt, facts: &[Fact]) -> Tgt {
        // The graph has no loop; the bound only guards that invariant.
        let mut steps = self.blocks.len();
        while let Tgt::Block(b) = t {
            if steps == 0 {
                break;
            }
            steps -= 1;
            match (self.decide(b, facts), self.blocks.get(b)) {
                (Some(true), Some(blk)) => t = blk.jt,
                (Some(false), Some(blk)) => t = blk.jf,
                _ => break,
            }
        }
        t
    }

    fn succs(&self, b: usize) -> [Tgt; 2] {
        match self.blocks.get(b) {
            Some(blk) => [blk.jt, blk.jf],
            None => [Tgt::Reject; 2],
        }
    }

    /// The blocks reachable from `entry`, each before all its successors.
    fn topo(&self, entry: Tgt) -> Vec<usize> {
        let mut post = Vec::new();
        let mut seen = vec![false; self.blocks.len()];
        let Tgt::Block(first) = entry else {
            return post;
        };
        // Iterative depth-first search: (block, successors already pushed).
        let mut stack = vec![(first, false)];
        while let Some((b, expanded)) = stack.pop() {
            if expanded {
                post.push(b);
                continue;
            }
            if seen.get(b).copied().unwrap_or(true) {
                continue;
            }
            seen[b] = true;
            stack.push((b, true));
            for t in self.succs(b) {
                if let Tgt::Block(s) = t {
                    if !seen.get(s).copied().unwrap_or(true) {
                        stack.push((s, false));
                    }
                }
            }
        }
        post.reverse();
        post
    }

    /// libpcap's `or_pullup` (`or` true) and `and_pullup`: in a chain of tests that share
    /// their "true" target (their "false" target for `and`), a test on the value the chain
    /// started with is moved up before the first test on another value. Returns whether a
    /// test moved; one move per call, the caller repeats.
    fn pullup(&mut self, entry: Tgt, or: bool) -> bool {
        let order = self.topo(entry);
        let n = self.blocks.len();
        let mut pos = vec![usize::MAX; n];
        for (i, b) in order.iter().enumerate() {
            pos[*b] = i;
        }
        let mut preds: Vec<Vec<usize>> = vec![Vec::new(); n];
        for &b in &order {
            for t in self.succs(b) {
                if let Tgt::Block(s) = t {
                    if !preds[s].contains(&b) {
                        preds[s].push(b);
                    }
                }
            }
        }
        // Immediate dominators (Cooper, Harvey and Kennedy; one pass suffices on a DAG
        // visited in topological order).
        let mut idom = vec![usize::MAX; n];
        for &b in &order {
            let mut new: Option<usize> = None;
            for &p in &preds[b] {
                new = Some(match new {
                    None => p,
                    Some(mut a) => {
                        let mut c = p;
                        while a != c {
                            while pos[a] > pos[c] {
                                a = idom[a];
                            }
                            while pos[c] > pos[a] {
                                c = idom[c];
                            }
                        }
                        a
                    }
                });
            }
            idom[b] = new.unwrap_or(b);
        }
        let dominates = |a: usize, mut x: usize| loop {
            if x == a {
                return true;
            }
            if idom[x] == x || pos[idom[x]] < pos[a] {
                return false;
            }
            x = idom[x];
        };
        let next = |g: &Graph, x: usize| if or { g.blocks[x].jf } else { g.blocks[x].jt };
        let exit = |g: &Graph, x: usize| if or { g.blocks[x].jt } else { g.blocks[x].jf };
        // Blocks nearest the returns first, as libpcap goes up its levels.
        for &b in order.iter().rev() {
            let Some(&p0) = preds[b].first() else {
                continue;
            };
            let val = self.blocks[p0].key;
            if preds[b].iter().any(|p| self.blocks[*p].key != val) {
                continue;
            }
            let out = exit(self, b);
            // Walk down the chain while the tests look at the same value.
            let (mut diff, mut diff_parent, mut at_top) = (b, None, true);
            let found = loop {
                if exit(self, diff) != out || !dominates(b, diff) {
                    break false;
                }
                if self.blocks[diff].key != val {
                    break true;
                }
                match next(self, diff) {
                    Tgt::Block(d) => {
                        diff_parent = Some(diff);
                        diff = d;
                        at_top = false;
                    }
                    _ => break false,
                }
            };
            if !found {
                continue;
            }
            // Further down, the next test on the original value.
            let (mut parent, mut same) = (diff, next(self, diff));
            let pull = loop {
                let Tgt::Block(x) = same else { break None };
                if exit(self, x) != out || !dominates(b, x) {
                    break None;
                }
                if self.blocks[x].key == val {
                    break Some(x);
                }
                parent = x;
                same = next(self, x);
            };
            let Some(pull) = pull else { continue };
            // Moving it must not change other paths through it, nor close a loop.
            if preds[pull].len() != 1 || self.reaches(out, pull) {
                continue;
            }
            let after = next(self, pull);
            self.set_next(parent, or, after);
            self.set_next(pull, or, Tgt::Block(diff));
            if at_top {
                for &p in &preds[b] {
                    let blk = &mut self.blocks[p];
                    if blk.jt == Tgt::Block(b) {
                        blk.jt = Tgt::Block(pull);
                    }
                    if blk.jf == Tgt::Block(b) {
                        blk.jf = Tgt::Block(pull);
                    }
                }
            } else if let Some(dp) = diff_parent {
                self.set_next(dp, or, Tgt::Block(pull));
            }
            return true;
        }
        false
    }

    /// Whether block `to` can be reached from `from`.
    fn reaches(&self, from: Tgt, to: usize) -> bool {
        self.topo(from).contains(&to)
    }

    /// Merge blocks with the same test and the same successors (libpcap's
    /// `intern_blocks`); returns the new entry. The program's meaning is unchanged.
    fn intern(&mut self, entry: Tgt) -> Tgt {
        let mut canon: Vec<Option<usize>> = vec![None; self.blocks.len()];
        let mut seen: HashMap<(usize, u16, u32, Tgt, Tgt), usize> = HashMap::new();
        let fix = |t: Tgt, canon: &[Option<usize>]| match t {
            Tgt::Block(b) => Tgt::Block(canon.get(b).copied().flatten().unwrap_or(b)),
            other => other,
        };
        for &b in self.topo(entry).iter().rev() {
            let (jt, jf) = (
                fix(self.blocks[b].jt, &canon),
                fix(self.blocks[b].jf, &canon),
            );
            self.blocks[b].jt = jt;
            self.blocks[b].jf = jf;
            let blk = &self.blocks[b];
            let sig = (blk.key, blk.test.jump, blk.test.k, jt, jf);
            canon[b] = Some(*seen.entry(sig).or_insert(b));
        }
        fix(entry, &canon)
    }

    fn set_next(&mut self, b: usize, or: bool, t: Tgt) {
        if let Some(blk) = self.blocks.get_mut(b) {
            if or {
                blk.jf = t;
            } else {
                blk.jt = t;
            }
        }
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
        // Topological order visits every predecessor of a block before the block.
        for b in self.topo(entry) {
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

    /// A test; its statements are left out when `loaded` (A and X already hold what they
    /// compute), and a first statement that loads X with what X already holds (`x_holds`) is
    /// left out too.
    fn test(
        &mut self,
        t: &Test,
        loaded: bool,
        x_holds: Option<BpfInsn>,
        on_true: Label,
        on_false: Label,
    ) -> Label {
        let jt = self.near(on_true);
        let jf = self.near(on_false);
        let off = |target: Label| u8::try_from(self.dist(target)).unwrap_or(u8::MAX);
        let jump = BpfInsn::jump(bpf::JMP | t.jump, t.k, off(jt), off(jf));
        let mut start = self.push(jump);
        if !loaded {
            let skip = usize::from(t.stmts.first().is_some_and(|s| Some(*s) == x_holds));
            for s in t.stmts.iter().skip(skip).rev() {
                start = self.push(*s);
            }
        }
        start
    }
}

/// Whether `s` sets the X register.
fn sets_x(s: &BpfInsn) -> bool {
    s.code & 0x07 == bpf::LDX || s.code == bpf::MISC | bpf::TAX
}

/// For each block, the statement whose value X holds when the block starts, where every path
/// from the entry leaves the same one there (libpcap's value numbering knows X then, and drops
/// a load that gives it again); `order` has every block before its successors.
fn x_values(g: &Graph, order: &[usize], entry: Tgt) -> Vec<Option<BpfInsn>> {
    // `None`: no path seen yet; `Some(None)`: unknown; `Some(Some(s))`: X holds `s`'s value.
    let mut x_in: Vec<Option<Option<BpfInsn>>> = vec![None; g.blocks.len()];
    if let Tgt::Block(first) = entry {
        if let Some(slot) = x_in.get_mut(first) {
            *slot = Some(None);
        }
    }
    for &b in order {
        let Some(blk) = g.blocks.get(b) else { continue };
        let before = x_in.get(b).copied().flatten().flatten();
        // TAX copies A, whose value this tracking does not follow: X is unknown after it.
        let after = match blk.test.stmts.iter().rev().find(|s| sets_x(s)) {
            Some(s) if s.code & 0x07 == bpf::LDX => Some(*s),
            Some(_) => None,
            None => before,
        };
        for t in g.succs(b) {
            if let Tgt::Block(n) = t {
                if let Some(slot) = x_in.get_mut(n) {
                    *slot = match *slot {
                        None => Some(after),
                        Some(old) if old == after => Some(after),
                        Some(_) => Some(None),
                    };
                }
            }
        }
    }
    x_in.into_iter().map(Option::flatten).collect()
}

/// The program for `node`: accept returns `snaplen`, reject returns 0.
pub fn emit(node: &Node, snaplen: u32) -> Vec<BpfInsn> {
    let mut g = Graph::default();
    let mut entry = g.build(node, Tgt::Accept, Tgt::Reject);
    // Threading only removes edges and blocks, and pull-ups only reorder chains; the
    // bounds are a safety net. Pull-ups take time quadratic in the program's size, so
    // long expressions (hundreds of tests) go without them: their programs stay correct,
    // but on packets truncated inside the tested headers their verdicts may then differ
    // from libpcap's.
    let small = g.blocks.len() <= 800;
    for _ in 0..if small { 200 } else { 64 } {
        let (e, mut changed) = g.pass(entry);
        entry = e;
        if small {
            changed |= g.pullup(entry, true) || g.pullup(entry, false);
        }
        if !changed {
            break;
        }
    }
    entry = g.intern(entry);
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
    let order = g.topo(entry);
    let mut e = Emitter { rev: Vec::new() };
    // libpcap lays the program out depth first, "false" branches first, from its end: the
    // return that the chain of "false" branches from the entry reaches comes last.
    let mut last = entry;
    let mut steps = g.blocks.len();
    while let (Tgt::Block(b), true) = (last, steps > 0) {
        last = g.blocks.get(b).map_or(Tgt::Reject, |blk| blk.jf);
        steps -= 1;
    }
    let ret = |k: u32| BpfInsn::stmt(bpf::RET | bpf::K, k);
    let (reject, accept) = if last == Tgt::Accept {
        let accept = e.push(ret(snaplen));
        (e.push(ret(0)), accept)
    } else {
        let reject = e.push(ret(0));
        (reject, e.push(ret(snaplen)))
    };
    let mut labels: Vec<Label> = vec![0; g.blocks.len()];
    let label = |t: Tgt, labels: &[Label]| match t {
        Tgt::Accept => accept,
        Tgt::Reject => reject,
        Tgt::Block(b) => labels.get(b).copied().unwrap_or(reject),
    };
    // A block whose every predecessor ran the same statements need not run them again:
    // they are deterministic and a jump changes no register (libpcap's value numbering
    // removes these loads too).
    let mut pred_keys: Vec<Option<Option<usize>>> = vec![None; g.blocks.len()];
    for &b in &order {
        for t in g.succs(b) {
            if let Tgt::Block(s) = t {
                let k = g.blocks[b].key;
                if let Some(slot) = pred_keys.get_mut(s) {
                    *slot = match *slot {
                        None => Some(Some(k)),
                        Some(Some(old)) if old == k => Some(Some(k)),
                        Some(_) => Some(None),
                    };
                }
            }
        }
    }
    let x_in = x_values(&g, &order, entry);
    // Successors first, so that every jump target is placed before the jump.
    for &b in order.iter().rev() {
        let Some(blk) = g.blocks.get(b) else { continue };
        let (t, f) = (label(blk.jt, &labels), label(blk.jf, &labels));
        let loaded = Tgt::Block(b) != entry && pred_keys.get(b) == Some(&Some(Some(blk.key)));
        let x_holds = x_in.get(b).copied().flatten();
        let start = e.test(&blk.test, loaded, x_holds, t, f);
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

/// The program for `node` as libpcap lays it out with its optimizer off (`icode_to_fcode`
/// on the flow graph `gencode.c` built, as for any program with `geneve` in it): every test
/// kept, each block placed before the blocks its "false" then its "true" branch lead to
/// (depth first from the entry), the two returns last reached placed last. A jump too long
/// for 8 bits goes through an `ja` right after it, as libpcap inserts one.
pub fn emit_unoptimized(node: &Node, snaplen: u32) -> Vec<BpfInsn> {
    let mut g = Graph::default();
    let entry = g.build(node, Tgt::Accept, Tgt::Reject);
    // Post-order (false branch, true branch, the block), iteratively; the program is its
    // reverse.
    let mut post: Vec<Tgt> = Vec::new();
    let mut seen: HashMap<Tgt, ()> = HashMap::new();
    let mut stack = vec![(entry, false)];
    while let Some((t, expanded)) = stack.pop() {
        if expanded {
            post.push(t);
            continue;
        }
        if seen.insert(t, ()).is_some() {
            continue;
        }
        stack.push((t, true));
        if let Tgt::Block(b) = t {
            let [jt, jf] = g.succs(b);
            // Popped last-in first: the "false" branch is visited first.
            stack.push((jt, false));
            stack.push((jf, false));
        }
    }
    // A block pushed twice before its first visit is visited where libpcap visits it: the
    // `seen` check above skips the later copies, and the stack order keeps depth-first
    // order because a block is only expanded once.
    let layout: Vec<Tgt> = post.into_iter().rev().collect();
    let mut long: HashMap<Tgt, (bool, bool)> = HashMap::new();
    loop {
        let size = |t: &Tgt| match t {
            Tgt::Block(b) => {
                let (lt, lf) = long.get(t).copied().unwrap_or_default();
                g.blocks[*b].test.stmts.len() + 1 + usize::from(lt) + usize::from(lf)
            }
            _ => 1,
        };
        let mut at: HashMap<Tgt, usize> = HashMap::new();
        let mut pos = 0;
        for t in &layout {
            at.insert(*t, pos);
            pos += size(t);
        }
        let mut prog = Vec::with_capacity(pos);
        let mut grew = false;
        for t in &layout {
            let Tgt::Block(b) = *t else {
                let k = if *t == Tgt::Accept { snaplen } else { 0 };
                prog.push(BpfInsn::stmt(bpf::RET | bpf::K, k));
                continue;
            };
            let blk = &g.blocks[b];
            prog.extend_from_slice(&blk.test.stmts);
            let jump_at = prog.len();
            let (lt, lf) = long.get(t).copied().unwrap_or_default();
            let dist = |to: Tgt| {
                at.get(&to)
                    .copied()
                    .unwrap_or(0)
                    .saturating_sub(jump_at + 1)
            };
            let mut extra = Vec::new();
            let mut offsets = [0u8; 2];
            for (i, (to, is_long)) in [(blk.jt, lt), (blk.jf, lf)].into_iter().enumerate() {
                let d = dist(to);
                if d < 256 {
                    offsets[i] = u8::try_from(d).unwrap_or(u8::MAX);
                } else if is_long {
                    offsets[i] = u8::try_from(extra.len()).unwrap_or(u8::MAX);
                    let k = d - (extra.len() + 1);
                    extra.push(BpfInsn::stmt(
                        bpf::JMP | bpf::JA,
                        u32::try_from(k).unwrap_or(u32::MAX),
                    ));
                } else {
                    let e = long.entry(*t).or_default();
                    if i == 0 {
                        e.0 = true;
                    } else {
                        e.1 = true;
                    }
                    grew = true;
                }
            }
            prog.push(BpfInsn::jump(
                bpf::JMP | blk.test.jump,
                blk.test.k,
                offsets[0],
                offsets[1],
            ));
            prog.extend(extra);
            // A long-jump slot no longer needed keeps its place, zeroed, as in libpcap.
            while prog.len() < jump_at + 1 + usize::from(lt) + usize::from(lf) {
                prog.push(BpfInsn::stmt(bpf::LD | bpf::IMM, 0));
            }
        }
        if !grew {
            return prog;
        }
    }
}
