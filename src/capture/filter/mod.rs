//! tcpdump's filter language, compiled to classic BPF as libpcap does, and run by a BPF
//! interpreter (user space) or attached to a socket (kernel).
//!
//! One compiler serves both: `compile` turns an expression into a `Program`, whose
//! `sock_filter()` is the `struct sock_filter` array for `SO_ATTACH_FILTER` (refused past
//! the kernel's 4,096 instructions) and whose `matches()` runs the same instructions in user
//! space (any length, as libpcap filters a file). The meaning of each primitive
//! follows libpcap-1.10.3 (`gencode.c`, `grammar.y`, `scanner.l`).
//!
//! Layout: `lexer` (words), `parser` (grammar, qualifiers), `arith` (field comparisons),
//! `gen` (what each primitive tests), `codegen` (tests to instructions), `bpf` (instruction set, interpreter, checks).
//! Must not import `crate::echo`, `crate::cli`, clap or tokio.
//!
//! What is compiled: `ip`, `ip6`, `arp`, `rarp`, `tcp`, `udp`, `sctp`, `icmp`, `icmp6`,
//! `igmp`, `igrp`, `pim`, `vrrp`, `carp`, `ah`, `esp`; `host`, `net` (`N/len`, `N mask M`,
//! short forms such as `net 10`), `port`, `portrange`, `proto` with their `src`/`dst`
//! qualifiers; `ether host|src|dst`; `less`, `greater`, `len`; byte comparisons such as
//! `tcp[tcpflags] & tcp-syn != 0`; `and`/`or`/`not` with libpcap's precedence (and/or equal,
//! left to right) and its rule that a bare value takes the qualifiers before it (`port 80 or
//! 443`). Encapsulations move the offsets of every primitive after them, as in libpcap:
//! `vlan [ID]`, `mpls [LABEL]` (after it only `ip`/`ip6` and what they carry; a second `mpls`
//! is the next label), `pppoes [SESSION]` (what follows is PPP's), `geneve [VNI]` (what
//! follows is the Geneve payload, an Ethernet frame or bare IP, at offsets the program
//! computes into scratch memory; libpcap compiles such a program unoptimized, and
//! `codegen::emit_unoptimized` lays it out as libpcap does then); also `pppoed`, `llc` and
//! `llc i|s|u|rr|rnr|rej|ui|ua|disc|dm|sabme|test|xid|frmr`, the link-layer protocols `stp`,
//! `ipx`, `netbeui`, `iso`, `atalk`, `aarp`, `decnet`, `lat`, `sca`, `mopdl`, `moprc` (802.2
//! SAPs checked on 802.3 frames, SNAP where libpcap checks it) and their `ether proto \NAME`
//! forms. Names are looked up through the [`Resolver`] the caller hands over (`compile`
//! knows none; `capture::names::FilterNames` reads this machine's): `host NAME` (every
//! address, IPv4 and IPv6, joined by `or`), `port NAME` and `portrange A-B` (TCP, UDP or
//! both, as `pcap_nametoport` decides), `net NAME`, `ether host NAME`, `proto \\NAME` (the
//! resolver's protocols, else the names every system has); an unknown name fails
//! with libpcap's message (`unknown host 'x'`). Not compiled: `gateway` (libpcap
//! built with IPv6 refuses it too), `protochain`, the OSI (`clnp`, `isis`...), 802.11, ATM
//! and pf primitives, `inbound`/`outbound`.
//!
//! Known differences from libpcap:
//! - libpcap's optimizer drops loads it proves useless and reorders tests; on a packet
//!   captured short of the bytes such a load reads, that decides the verdict. `codegen`
//!   reproduces the transformations that matter (jump threading on known test results,
//!   `opt_root`, `or_pullup`/`and_pullup`); the differential tests find no difference, but
//!   libpcap has more transformations than these.
//! - LINKTYPE_NULL's address family is read as little-endian (libpcap reads it in the
//!   file's byte order).
//! - `ip broadcast` takes the netmask as 0, as `tcpdump -r` does.
//! - `vlan` reads the tag in the packet bytes, as libpcap does for files; a live Linux
//!   socket strips VLAN tags, which libpcap handles with kernel extensions not used here.
//! - `ether[...]` after `pppoes` still reads the Ethernet header (libpcap reads PPP's).
//! - `-d` prints what libpcap prints for the primitives above (`codegen` drops a load of X
//!   that X already holds on every path, as libpcap's value numbering does: `port 80`),
//!   except where other optimizer differences show: `portrange`, negated `or` chains (`not
//!   (tcp or udp)`), and `mpls and tcp`, where libpcap loads the version byte again.
//! - After `geneve`, a test reached where Geneve did not match (`geneve or tcp`) reads
//!   scratch memory nothing wrote: libpcap's interpreter reads whatever its stack holds,
//!   this one reads zeros.

mod arith;
mod bpf;
mod codegen;
mod gen;
pub mod image;
mod lexer;
mod parser;

pub use bpf::{verify, BpfInsn, VerifyError, MAX_INSNS};
pub use parser::MAX_STACK;

use crate::capture::live::SockFilter;
use crate::capture::record::LinkType;
use std::net::IpAddr;

/// The names a filter expression may use, looked up as libpcap looks them up; the filter
/// code does no I/O itself (`capture::names` reads this machine's tables).
pub trait Resolver: Sync {
    /// A host name's addresses in `getaddrinfo`'s order (`host NAME`); empty if unknown.
    fn host(&self, name: &str) -> Vec<IpAddr>;
    /// A service's TCP and UDP ports (`port NAME`, `getservbyname`).
    fn service(&self, name: &str) -> (Option<u16>, Option<u16>);
    /// A network's number (`net NAME`, `getnetbyname`), right-aligned as `inet_network`
    /// gives it.
    fn network(&self, name: &str) -> Option<u32>;
    /// An Ethernet host's address (`ether host NAME`, `ether_hostton`).
    fn ether(&self, name: &str) -> Option<[u8; 6]>;
    /// An IP protocol's number (`proto \\NAME`, `getprotobyname`); `None` leaves it to the
    /// names every system has (`tcp`, `udp`, `icmp`...).
    fn protocol(&self, _name: &str) -> Option<u32> {
        None
    }
}

/// A resolver that knows no names: every name is unknown.
pub struct NoNames;

impl Resolver for NoNames {
    fn host(&self, _: &str) -> Vec<IpAddr> {
        Vec::new()
    }
    fn service(&self, _: &str) -> (Option<u16>, Option<u16>) {
        (None, None)
    }
    fn network(&self, _: &str) -> Option<u32> {
        None
    }
    fn ether(&self, _: &str) -> Option<[u8; 6]> {
        None
    }
}

/// The stack the compiler runs on. Parsing and code generation recurse once per nesting
/// level, and as many levels as [`MAX_STACK`] allows need more than a thread's usual 2 or 8 MiB in an
/// unoptimized build; only the pages touched are ever mapped.
const COMPILER_STACK: usize = 256 << 20;

/// A filter expression that could not be compiled. The message is one line naming the
/// offending word.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct FilterError {
    pub message: String,
}

impl FilterError {
    /// A word the grammar does not allow here.
    pub(crate) fn syntax(word: &str, expected: &str) -> FilterError {
        FilterError {
            message: format!("syntax error in filter expression at '{word}': {expected}"),
        }
    }

    /// The expression stopped before it was complete.
    pub(crate) fn syntax_at_end(expected: &str) -> FilterError {
        FilterError {
            message: format!("syntax error in filter expression at its end: {expected}"),
        }
    }

    /// A well-placed word whose value or qualifiers make no sense.
    pub(crate) fn at(word: &str, problem: &str) -> FilterError {
        FilterError {
            message: format!("error in filter expression at '{word}': {problem}"),
        }
    }
}

/// A compiled filter program.
#[derive(Debug, Clone)]
pub struct Program {
    insns: Vec<BpfInsn>,
}

impl Program {
    /// Whether the packet (captured bytes `pkt`, on-wire length `wirelen`) passes.
    pub fn matches(&self, pkt: &[u8], wirelen: u32) -> bool {
        bpf::run(&self.insns, pkt, wirelen) != 0
    }

    /// The classic BPF instructions (`struct sock_filter` layout), of any length.
    pub fn instructions(&self) -> &[BpfInsn] {
        &self.insns
    }

    /// The program for the kernel (`SO_ATTACH_FILTER`): the one conversion every live
    /// capture uses. Refused past the kernel's `BPF_MAXINSNS` (4,096) instructions, which
    /// bound only programs attached to a socket; a file is filtered in user space.
    pub fn sock_filter(&self) -> Result<Vec<SockFilter>, FilterError> {
        if let Err(e) = bpf::verify(&self.insns) {
            return Err(FilterError {
                message: format!("filter expression too complex: {e}"),
            });
        }
        let insn = |i: &BpfInsn| SockFilter::new(i.code, i.jt, i.jf, i.k);
        Ok(self.insns.iter().map(insn).collect())
    }
}

/// Compile `expr` for packets of link type `link` captured with `snaplen`. An empty
/// expression accepts every packet. Accepted packets get the verdict `snaplen` (the
/// number of bytes the kernel keeps), as libpcap's programs return.
///
/// For LINKTYPE_NULL the address family is read as little-endian, the host order of the
/// machines that write such files.
///
/// The program may be longer than the kernel takes; [`Program::sock_filter`] checks that.
/// Nesting deeper than libpcap's parser allows ([`MAX_STACK`]) is refused with its
/// message, `can't parse filter expression: memory exhausted`.
pub fn compile(expr: &str, link: LinkType, snaplen: u32) -> Result<Program, FilterError> {
    compile_with(expr, link, snaplen, &NoNames)
}

/// [`compile`], names of hosts, networks, services and Ethernet hosts looked up by `names`.
pub fn compile_with(
    expr: &str,
    link: LinkType,
    snaplen: u32,
    names: &dyn Resolver,
) -> Result<Program, FilterError> {
    std::thread::scope(|s| {
        let thread = std::thread::Builder::new()
            .name("filter compiler".into())
            .stack_size(COMPILER_STACK)
            .spawn_scoped(s, || compile_here(expr, link, snaplen, names));
        match thread {
            Ok(t) => t
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            // No thread to be had (a process or memory limit): the current stack holds all
            // but the most deeply nested expressions.
            Err(_) => compile_here(expr, link, snaplen, names),
        }
    })
}

/// `compile` on the current thread's stack.
fn compile_here(
    expr: &str,
    link: LinkType,
    snaplen: u32,
    names: &dyn Resolver,
) -> Result<Program, FilterError> {
    let snaplen = if snaplen == 0 { 262_144 } else { snaplen };
    let toks = lexer::tokenize(expr)?;
    // libpcap turns its optimizer off for a program with `geneve` in it.
    let unoptimized = toks.iter().any(|t| t.tok == lexer::Tok::Kw("geneve"));
    let node = if toks.is_empty() {
        gen::Node::True
    } else {
        let mut g = gen::Gen::new(link)?;
        if unoptimized {
            g.set_unoptimized();
        }
        parser::Parser::new(toks, g, names).program()?
    };
    let mut insns = if unoptimized {
        codegen::emit_unoptimized(&node, snaplen)
    } else {
        codegen::emit(&node, snaplen)
    };
    if insns.first().is_some_and(|i| i.code & 0x07 == bpf::RET) {
        // A program that returns at once (an empty expression) is that one instruction, as
        // libpcap's: nothing after it is reachable.
        insns.truncate(1);
    }
    if let Err(e) = bpf::verify_code(&insns) {
        return Err(FilterError {
            message: format!("filter expression too complex: {e}"),
        });
    }
    Ok(Program { insns })
}

#[cfg(test)]
mod tests;
