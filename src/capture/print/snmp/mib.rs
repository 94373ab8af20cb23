//! The compiled-in MIB tree tcpdump 4.99.3 walks to name OID arcs when addresses are not
//! printed numerically (mib.h). The tree is data, `mib.txt`: one node per line, indented by
//! level, siblings in mib.h's order since the walk takes the first sibling whose arc
//! matches. It is parsed once, on first use, into nodes linked by index.

use std::sync::OnceLock;

/// One node of the tree (mib.h `struct obj`); `child` and `next` index [`Mib::nodes`].
pub struct Node {
    pub name: &'static str,
    pub oid: u8,
    pub child: u16,
    pub next: u16,
}

/// No node.
pub const NONE: u16 = u16::MAX;

/// The tree and the nodes the printer starts its walks from.
pub struct Mib {
    pub nodes: Vec<Node>,
    /// `iso`, the first root (mib.h `mibroot`).
    pub root: u16,
}

impl Mib {
    pub fn get(&self, at: u16) -> Option<&Node> {
        self.nodes.get(usize::from(at))
    }

    /// The node an arc path leads to from the root, e.g. `[1, 3, 6, 1, 2, 1]` for `mib`.
    pub fn find(&self, arcs: &[u8]) -> u16 {
        let mut at = self.root;
        let mut found = NONE;
        for &arc in arcs {
            found = NONE;
            while let Some(n) = self.get(at) {
                if n.oid == arc {
                    found = at;
                    at = n.child;
                    break;
                }
                at = n.next;
            }
            if found == NONE {
                return NONE;
            }
        }
        found
    }
}

/// The tree, parsed on first use.
pub fn mib() -> &'static Mib {
    static MIB: OnceLock<Mib> = OnceLock::new();
    MIB.get_or_init(|| parse(include_str!("mib.txt")))
}

/// Build the linked nodes from the indented text: a node's first child is the next line one
/// level deeper, its next sibling the next line at its own level under the same parent. The
/// text is compiled in and checked by the tests; a line that does not read is skipped.
fn parse(text: &'static str) -> Mib {
    let mut nodes: Vec<Node> = Vec::new();
    // The last node seen at each depth, whose `next` the following sibling fills.
    let mut last: Vec<u16> = Vec::new();
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        let depth = (line.len() - line.trim_start().len()) / 2;
        let Some((name, arc)) = line.trim().split_once(' ') else {
            continue;
        };
        let (Ok(oid), Ok(at)) = (arc.parse(), u16::try_from(nodes.len())) else {
            continue;
        };
        nodes.push(Node {
            name,
            oid,
            child: NONE,
            next: NONE,
        });
        last.truncate(depth + 1);
        let link = match (last.get(depth), depth.checked_sub(1)) {
            (Some(&prev), _) => nodes.get_mut(usize::from(prev)).map(|n| &mut n.next),
            (None, Some(up)) => last
                .get(up)
                .and_then(|&parent| nodes.get_mut(usize::from(parent)))
                .map(|n| &mut n.child),
            (None, None) => None,
        };
        if let Some(link) = link {
            *link = at;
        }
        last.resize(depth + 1, NONE);
        if let Some(slot) = last.get_mut(depth) {
            *slot = at;
        }
    }
    Mib { nodes, root: 0 }
}
