//! The meaning of each primitive, as libpcap's `gencode.c` (libpcap-1.10.3) gives it: a tree
//! of tests on packet bytes. Tests are kept in libpcap's order, because a load past the
//! captured bytes rejects the whole packet and the order decides which loads run.

use super::bpf::{self, BpfInsn};
use super::FilterError;
use crate::capture::record::LinkType;
use std::net::Ipv6Addr;

pub const ETHERTYPE_IP: u32 = 0x0800;
pub const ETHERTYPE_ARP: u32 = 0x0806;
pub const ETHERTYPE_REVARP: u32 = 0x8035;
pub const ETHERTYPE_IPV6: u32 = 0x86dd;
pub const ETHERTYPE_8021Q: u32 = 0x8100;
pub const ETHERTYPE_8021AD: u32 = 0x88a8;
pub const ETHERTYPE_8021QINQ: u32 = 0x9100;
const ETHERTYPE_IPX: u32 = 0x8137;
const ETHERTYPE_ATALK: u32 = 0x809b;
const ETHERTYPE_AARP: u32 = 0x80f3;
const ETHERTYPE_MPLS: u32 = 0x8847;
const ETHERTYPE_PPPOED: u32 = 0x8863;
const ETHERTYPE_PPPOES: u32 = 0x8864;
/// 802.2 SAPs libpcap names (`llc.h`).
pub const LLCSAP_IP: u32 = 0x06;
pub const LLCSAP_8021D: u32 = 0x42;
pub const LLCSAP_IPX: u32 = 0xe0;
pub const LLCSAP_NETBEUI: u32 = 0xf0;
pub const LLCSAP_ISONS: u32 = 0xfe;
/// The largest 802.3 length; a larger type/length field is an EtherType.
const ETHERMTU: u32 = 1500;
/// Linux cooked headers' protocol values for 802.3 and 802.2 frames.
const SLL_P_802_3: u32 = 0x0001;
const SLL_P_802_2: u32 = 0x0004;
const IPPROTO_TCP: u32 = 6;
const IPPROTO_UDP: u32 = 17;
const IPPROTO_SCTP: u32 = 132;
const IPPROTO_FRAGMENT: u32 = 44;

/// A boolean combination of tests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    True,
    False,
    Not(Box<Node>),
    And(Box<Node>, Box<Node>),
    Or(Box<Node>, Box<Node>),
    Test(Test),
}

impl Node {
    pub fn and(a: Node, b: Node) -> Node {
        Node::And(Box::new(a), Box::new(b))
    }
    pub fn or(a: Node, b: Node) -> Node {
        Node::Or(Box::new(a), Box::new(b))
    }
    #[allow(clippy::should_implement_trait)]
    pub fn not(a: Node) -> Node {
        Node::Not(Box::new(a))
    }
}

/// Statements that leave a value in A (and maybe X), then one conditional jump.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Test {
    pub stmts: Vec<BpfInsn>,
    /// `bpf::JEQ`, `JGT`, `JGE` or `JSET`, with `bpf::K` or `bpf::X`.
    pub jump: u16,
    pub k: u32,
}

/// Protocol qualifiers (`pname` in libpcap's grammar).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Proto {
    Default,
    Undef,
    Link,
    Ip,
    Arp,
    Rarp,
    Sctp,
    Tcp,
    Udp,
    Icmp,
    Igmp,
    Igrp,
    Pim,
    Vrrp,
    Carp,
    Ip6,
    Icmp6,
    Ah,
    Esp,
    /// A protocol qualifier that stands for one link-layer protocol (`stp`, `ipx`,
    /// `atalk`...): its EtherType or 802.2 SAP.
    LinkLayer(&'static str, u32),
    /// A protocol keyword libpcap knows and echolab does not compile.
    Other(&'static str),
}

impl Proto {
    pub fn from_keyword(kw: &'static str) -> Option<Proto> {
        Some(match kw {
            "link" | "ether" | "ppp" | "slip" | "fddi" | "tr" | "wlan" => Proto::Link,
            "ip" => Proto::Ip,
            "arp" => Proto::Arp,
            "rarp" => Proto::Rarp,
            "sctp" => Proto::Sctp,
            "tcp" => Proto::Tcp,
            "udp" => Proto::Udp,
            "icmp" => Proto::Icmp,
            "igmp" => Proto::Igmp,
            "igrp" => Proto::Igrp,
            "pim" => Proto::Pim,
            "vrrp" => Proto::Vrrp,
            "carp" => Proto::Carp,
            "ip6" => Proto::Ip6,
            "icmp6" => Proto::Icmp6,
            "ah" => Proto::Ah,
            "esp" => Proto::Esp,
            "atalk" => Proto::LinkLayer(kw, ETHERTYPE_ATALK),
            "aarp" => Proto::LinkLayer(kw, ETHERTYPE_AARP),
            "decnet" => Proto::LinkLayer(kw, 0x6003),
            "lat" => Proto::LinkLayer(kw, 0x6004),
            "sca" => Proto::LinkLayer(kw, 0x6007),
            "moprc" => Proto::LinkLayer(kw, 0x6002),
            "mopdl" => Proto::LinkLayer(kw, 0x6001),
            "iso" => Proto::LinkLayer(kw, LLCSAP_ISONS),
            "stp" => Proto::LinkLayer(kw, LLCSAP_8021D),
            "ipx" => Proto::LinkLayer(kw, LLCSAP_IPX),
            "netbeui" => Proto::LinkLayer(kw, LLCSAP_NETBEUI),
            "radio" | "esis" | "es-is" | "isis" | "is-is" | "l1" | "l2" | "iih" | "lsp" | "snp"
            | "csnp" | "psnp" | "clnp" => Proto::Other(kw),
            _ => return None,
        })
    }

    fn name(self) -> &'static str {
        match self {
            Proto::Default | Proto::Undef => "",
            Proto::Link => "link",
            Proto::Ip => "ip",
            Proto::Arp => "arp",
            Proto::Rarp => "rarp",
            Proto::Sctp => "sctp",
            Proto::Tcp => "tcp",
            Proto::Udp => "udp",
            Proto::Icmp => "icmp",
            Proto::Igmp => "igmp",
            Proto::Igrp => "igrp",
            Proto::Pim => "pim",
            Proto::Vrrp => "vrrp",
            Proto::Carp => "carp",
            Proto::Ip6 => "ip6",
            Proto::Icmp6 => "icmp6",
            Proto::Ah => "ah",
            Proto::Esp => "esp",
            Proto::LinkLayer(k, _) | Proto::Other(k) => k,
        }
    }
}

/// Direction qualifiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dir {
    Default,
    Undef,
    Src,
    Dst,
    Or,
    And,
}

/// Address-kind qualifiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Addr {
    Default,
    Undef,
    Host,
    Net,
    Port,
    Portrange,
    Proto,
    Protochain,
    Gateway,
}

/// The qualifiers in force for a bare value (`libpcap`'s `struct qual`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Qual {
    pub proto: Proto,
    pub dir: Dir,
    pub addr: Addr,
}

impl Qual {
    /// libpcap's `qerr`: no qualifier may be inherited.
    pub const ERR: Qual = Qual {
        proto: Proto::Undef,
        dir: Dir::Undef,
        addr: Addr::Undef,
    };
}

type GResult = Result<Node, String>;

/// An offset into the packet as libpcap keeps one (`bpf_abs_offset`): a constant, plus,
/// once `geneve` has moved the headers to places known only at run time, the value of a
/// scratch memory word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Off {
    /// The scratch word holding the variable part, if any.
    pub reg: Option<u32>,
    /// The constant part.
    pub k: u32,
}

impl Off {
    pub const ZERO: Off = Off { reg: None, k: 0 };

    const fn at(k: u32) -> Off {
        Off { reg: None, k }
    }

    /// The offset `d` bytes earlier (the last MPLS label's, from the header after it).
    fn before(self, d: u32) -> Off {
        Off {
            k: self.k.wrapping_sub(d),
            ..self
        }
    }

    /// The statements that load the `size` bytes at this offset into A (libpcap's
    /// `gen_load_absoffset_relative`).
    pub fn load(self, size: u16) -> Vec<BpfInsn> {
        match self.reg {
            Some(r) => vec![
                BpfInsn::stmt(bpf::LDX | bpf::MEM, r),
                BpfInsn::stmt(bpf::LD | size | bpf::IND, self.k),
            ],
            None => vec![BpfInsn::stmt(bpf::LD | size | bpf::ABS, self.k)],
        }
    }

    /// The statements that leave in X this offset's variable part plus the length of the
    /// IPv4 header found there (libpcap's `gen_loadx_iphdrlen`); a constant offset's own
    /// part is left out, as libpcap leaves it to the load that follows.
    pub fn loadx_iphdrlen(self) -> Vec<BpfInsn> {
        match self.reg {
            Some(r) => vec![
                BpfInsn::stmt(bpf::LDX | bpf::MEM, r),
                BpfInsn::stmt(bpf::LD | bpf::B | bpf::IND, self.k),
                BpfInsn::stmt(bpf::ALU | bpf::AND | bpf::K, 0xf),
                BpfInsn::stmt(bpf::ALU | bpf::LSH | bpf::K, 2),
                BpfInsn::stmt(bpf::ALU | bpf::ADD | bpf::X, 0),
                BpfInsn::stmt(bpf::MISC | bpf::TAX, 0),
            ],
            None => vec![BpfInsn::stmt(bpf::LDX | bpf::B | bpf::MSH, self.k)],
        }
    }

    /// With A holding an index, the statements that load the `size` bytes at this offset
    /// plus that index into A; `tmp` is a free scratch word (libpcap's `gen_load_internal`).
    pub fn load_indexed(self, size: u16, tmp: u32) -> Vec<BpfInsn> {
        let mut s = Vec::new();
        if let Some(r) = self.reg {
            s.push(BpfInsn::stmt(bpf::ST, tmp));
            s.push(BpfInsn::stmt(bpf::LDX | bpf::MEM, r));
            s.push(BpfInsn::stmt(bpf::LD | bpf::MEM, tmp));
            s.push(BpfInsn::stmt(bpf::ALU | bpf::ADD | bpf::X, 0));
        }
        s.push(BpfInsn::stmt(bpf::MISC | bpf::TAX, 0));
        s.push(BpfInsn::stmt(bpf::LD | size | bpf::IND, self.k));
        s
    }
}

impl std::ops::Add<u32> for Off {
    type Output = Off;
    fn add(self, d: u32) -> Off {
        Off {
            reg: self.reg,
            k: self.k.wrapping_add(d),
        }
    }
}

/// Scratch memory words in use (a bit each) and the word the next search starts at.
#[derive(Debug, Clone, Copy, Default)]
pub struct Regs {
    used: u16,
    cur: u32,
}

/// Geneve's UDP port and the EtherType of an Ethernet frame inside it.
const GENEVE_PORT: u32 = 6081;
const ETHERTYPE_TEB: u32 = 0x6558;

/// Code generation state: where the link-layer type and payload sit for this link type,
/// moved by the primitives that open an encapsulation (`vlan`, `mpls`, `pppoes`, `geneve`).
#[derive(Debug, Clone)]
pub struct Gen {
    pub link: LinkType,
    /// Offset of the link-layer header (libpcap's `off_linkhdr`).
    off_linkhdr: Off,
    /// Offset of the EtherType-like field, if the link has one (libpcap's `off_linktype`).
    off_linktype: Option<Off>,
    /// Offset of the network-layer header (libpcap's `off_linkpl` plus `off_nl`).
    off_linkpl: Off,
    /// Offset of an 802.2 LLC header (libpcap's `off_linkpl`, `OR_LLC`).
    off_llc: Off,
    /// MPLS labels read so far (libpcap's `label_stack_depth`).
    mpls_depth: u32,
    /// After `pppoes` the link layer is PPP's, its protocol field at `off_linktype`.
    ppp: bool,
    /// After `geneve` (libpcap's `is_geneve`): Ethernet-only tests first check that the
    /// Geneve payload has an Ethernet header.
    geneve: bool,
    /// The program is compiled without libpcap's optimizer (it contains `geneve`): every
    /// test is kept as `gencode.c` writes it.
    raw: bool,
    /// Scratch memory words in use, and where the search for a free one starts
    /// (libpcap's `regused` and `curreg`).
    regs: Regs,
}

impl Gen {
    pub fn new(link: LinkType) -> Result<Gen, FilterError> {
        let (off_linktype, off_linkpl) = match link {
            LinkType::Ethernet => (Some(12), 14),
            LinkType::LinuxSll => (Some(14), 16),
            LinkType::LinuxSll2 => (Some(0), 20),
            LinkType::Null | LinkType::Loop => (Some(0), 4),
            LinkType::Raw | LinkType::Ipv4 | LinkType::Ipv6 => (None, 0),
            LinkType::Unknown(n) => {
                return Err(FilterError {
                    message: format!("filtering is not supported for link-layer type {n}"),
                })
            }
        };
        Ok(Gen {
            link,
            off_linkhdr: Off::ZERO,
            off_linktype: off_linktype.map(Off::at),
            off_linkpl: Off::at(off_linkpl),
            off_llc: Off::at(off_linkpl),
            mpls_depth: 0,
            ppp: false,
            geneve: false,
            raw: false,
            regs: Regs::default(),
        })
    }

    /// Compile every test as libpcap does when its optimizer is off, as it is for any
    /// program with `geneve` in it.
    pub fn set_unoptimized(&mut self) {
        self.raw = true;
    }

    pub fn unoptimized(&self) -> bool {
        self.raw
    }

    /// A free scratch memory word, found as libpcap's `alloc_reg` finds one: from the last
    /// word taken on.
    pub fn alloc_reg(&mut self) -> Result<u32, String> {
        for _ in 0..bpf::MEMWORDS {
            let r = self.regs.cur;
            if self.regs.used & (1 << r) == 0 {
                self.regs.used |= 1 << r;
                return Ok(r);
            }
            self.regs.cur = (r + 1) % bpf::MEMWORDS as u32;
        }
        Err("too many registers needed to evaluate expression".into())
    }

    /// Give scratch word `r` back (libpcap's `free_reg`).
    pub fn free_reg(&mut self, r: u32) {
        self.regs.used &= !(1u32 << (r % bpf::MEMWORDS as u32)) as u16;
    }

    /// The scratch words' state, to be put back when a parse is abandoned.
    pub fn regs(&self) -> Regs {
        self.regs
    }

    pub fn set_regs(&mut self, regs: Regs) {
        self.regs = regs;
    }

    /// libpcap's description of the current link layer, for its messages.
    fn link_name(&self) -> String {
        if self.ppp {
            return "PPP".into();
        }
        match self.link.names() {
            Some((_, descr)) => descr.to_string(),
            None => format!("DLT {}", self.link.linktype()),
        }
    }

    /// Whether the current link layer is Ethernet's (not one opened by `pppoes`).
    fn ethernet(&self) -> bool {
        self.link == LinkType::Ethernet && !self.ppp
    }

    pub fn is_ethernet(&self) -> bool {
        self.ethernet()
    }

    /// Whether the link layer has a protocol field (raw IP links have none).
    pub fn has_linktype(&self) -> bool {
        self.off_linktype.is_some()
    }

    /// A `vlan` primitive moves every later link-type and payload offset by one tag, as
    /// libpcap's `gen_vlan_no_bpf_extensions` does.
    pub fn shift_vlan(&mut self) {
        if let Some(t) = self.off_linktype.as_mut() {
            *t = *t + 4;
        }
        self.off_linkpl = self.off_linkpl + 4;
        self.off_llc = self.off_llc + 4;
    }

    pub fn off_linkpl(&self) -> Off {
        self.off_linkpl
    }

    pub fn off_linkhdr(&self) -> Off {
        self.off_linkhdr
    }

    /// Whether an MPLS label precedes the network layer (`gen_host` then tests no ARP).
    pub fn in_mpls(&self) -> bool {
        self.mpls_depth > 0
    }

    // ---- atoms -------------------------------------------------------------------------

    /// `[off:size] & mask == v` (libpcap's `gen_mcmp`).
    pub fn mcmp(&self, off: Off, size: u16, v: u32, mask: u32) -> Node {
        self.mcmp_loaded(off.load(size), v, mask)
    }

    /// `A & mask == v`, A loaded by `stmts`.
    fn mcmp_loaded(&self, mut stmts: Vec<BpfInsn>, v: u32, mask: u32) -> Node {
        if !self.raw {
            if mask == 0 && v == 0 {
                // libpcap's optimizer drops a test that always holds, load included.
                return Node::True;
            }
            if v == 0 && mask != 0xffff_ffff {
                // libpcap's optimizer turns `and #mask; jeq #0` into `jset #mask`, negated.
                return Node::not(Node::Test(Test {
                    stmts,
                    jump: bpf::JSET | bpf::K,
                    k: mask,
                }));
            }
        }
        if mask != 0xffff_ffff {
            stmts.push(BpfInsn::stmt(bpf::ALU | bpf::AND | bpf::K, mask));
        }
        Node::Test(Test {
            stmts,
            jump: bpf::JEQ | bpf::K,
            k: v,
        })
    }

    pub fn cmp(&self, off: Off, size: u16, v: u32) -> Node {
        self.mcmp(off, size, v, 0xffff_ffff)
    }

    /// `[off:size] op v` for `JGT`/`JGE`.
    fn cmp_op(&self, off: Off, size: u16, op: u16, v: u32) -> Node {
        Node::Test(Test {
            stmts: off.load(size),
            jump: op | bpf::K,
            k: v,
        })
    }

    /// `[off:size] & k != 0`.
    fn jset(off: Off, size: u16, k: u32) -> Node {
        Node::Test(Test {
            stmts: off.load(size),
            jump: bpf::JSET | bpf::K,
            k,
        })
    }

    /// A test that always holds or never does: nothing for the optimizer, libpcap's
    /// `gen_true`/`gen_false` (`ld #0` or `ld #1`, `jeq #0`) without it.
    fn constant(&self, b: bool) -> Node {
        if !self.raw {
            return if b { Node::True } else { Node::False };
        }
        Node::Test(Test {
            stmts: vec![BpfInsn::stmt(bpf::LD | bpf::IMM, u32::from(!b))],
            jump: bpf::JEQ | bpf::K,
            k: 0,
        })
    }

    /// A transport-header field of an IPv4 packet: X = IPv4 header length, then load at
    /// payload + X + off (libpcap's `OR_TRAN_IPV4`).
    fn tran4_load(&self, off: u32, size: u16) -> Vec<BpfInsn> {
        let mut stmts = self.off_linkpl.loadx_iphdrlen();
        stmts.push(BpfInsn::stmt(
            bpf::LD | size | bpf::IND,
            self.off_linkpl.k + off,
        ));
        stmts
    }

    fn tran4(&self, off: u32, op: u16, v: u32) -> Node {
        Node::Test(Test {
            stmts: self.tran4_load(off, bpf::H),
            jump: op | bpf::K,
            k: v,
        })
    }

    /// A transport-header field right after a fixed IPv6 header (`OR_TRAN_IPV6`).
    fn tran6(&self, off: u32, op: u16, v: u32) -> Node {
        self.cmp_op(self.off_linkpl + 40 + off, bpf::H, op, v)
    }

    // ---- link layer --------------------------------------------------------------------

    /// `[off:size] > v`.
    fn gt(&self, off: Off, size: u16, v: u32) -> Node {
        self.cmp_op(off, size, bpf::JGT, v)
    }

    /// An 802.2 LLC header with SNAP, organization `org` and protocol `ptype` (libpcap's
    /// `gen_snap`: the 8 bytes compared as two words, the second first).
    fn snap(&self, org: u32, ptype: u32) -> Node {
        let first = (0x00aa_aa03_u32 << 8) | (org >> 16);
        let second = ((org & 0xffff) << 16) | ptype;
        Node::and(
            self.cmp(self.off_llc + 4, bpf::W, second),
            self.cmp(self.off_llc, bpf::W, first),
        )
    }

    /// Whether the packet's network protocol is `ll_proto`, an EtherType or an 802.2 SAP
    /// (libpcap's `gen_linktype`).
    pub fn linktype(&self, ll_proto: u32) -> GResult {
        if self.mpls_depth > 0 {
            return self.mpls_linktype(ll_proto);
        }
        if self.ppp {
            let off = self.off_linktype.unwrap_or(Off::ZERO);
            return Ok(self.cmp(off, bpf::H, ppp_type(ll_proto)));
        }
        Ok(match self.link {
            LinkType::Ethernet => self.ether_linktype(ll_proto),
            LinkType::LinuxSll => self.sll_linktype(ll_proto),
            LinkType::LinuxSll2 => {
                self.cmp(self.off_linktype.unwrap_or(Off::ZERO), bpf::H, ll_proto)
            }
            LinkType::Raw => match ll_proto {
                ETHERTYPE_IP => self.mcmp(self.off_linkpl, bpf::B, 0x40, 0xf0),
                ETHERTYPE_IPV6 => self.mcmp(self.off_linkpl, bpf::B, 0x60, 0xf0),
                _ => self.constant(false),
            },
            LinkType::Ipv4 => self.constant(ll_proto == ETHERTYPE_IP),
            LinkType::Ipv6 => self.constant(ll_proto == ETHERTYPE_IPV6),
            LinkType::Null | LinkType::Loop => match ll_proto {
                ETHERTYPE_IP => self.loopback(2),
                // A file may come from any system: BSD, FreeBSD and Darwin AF_INET6.
                ETHERTYPE_IPV6 => Node::or(
                    self.loopback(30),
                    Node::or(self.loopback(24), self.loopback(28)),
                ),
                _ => self.constant(false),
            },
            LinkType::Unknown(_) => self.constant(false),
        })
    }

    /// libpcap's `gen_ether_linktype`: 802.3 frames (a length, not a type) carry 802.2 LLC.
    fn ether_linktype(&self, ll_proto: u32) -> Node {
        let lt = self.off_linktype.unwrap_or(Off::ZERO);
        let is_802_3 = || Node::not(self.gt(lt, bpf::H, ETHERMTU));
        match ll_proto {
            LLCSAP_ISONS | LLCSAP_IP | LLCSAP_NETBEUI => Node::and(
                is_802_3(),
                self.cmp(self.off_llc, bpf::H, (ll_proto << 8) | ll_proto),
            ),
            LLCSAP_IPX => {
                let raw = Node::or(
                    self.cmp(self.off_llc, bpf::B, LLCSAP_IPX),
                    self.cmp(self.off_llc, bpf::H, 0xffff),
                );
                let llc = Node::or(self.snap(0, ETHERTYPE_IPX), raw);
                Node::or(
                    self.cmp(lt, bpf::H, ETHERTYPE_IPX),
                    Node::and(is_802_3(), llc),
                )
            }
            ETHERTYPE_ATALK | ETHERTYPE_AARP => {
                let snap = self.atalk_snap(ll_proto);
                Node::or(self.cmp(lt, bpf::H, ll_proto), Node::and(is_802_3(), snap))
            }
            sap if sap <= ETHERMTU => Node::and(is_802_3(), self.cmp(lt + 2, bpf::B, sap)),
            _ => self.cmp(lt, bpf::H, ll_proto),
        }
    }

    /// libpcap's `gen_linux_sll_linktype`: 802.2 and 802.3 frames have protocol values of
    /// their own.
    fn sll_linktype(&self, ll_proto: u32) -> Node {
        let lt = self.off_linktype.unwrap_or(Off::ZERO);
        let llc2 = || self.cmp(lt, bpf::H, SLL_P_802_2);
        match ll_proto {
            LLCSAP_ISONS | LLCSAP_IP | LLCSAP_NETBEUI => Node::and(
                llc2(),
                self.cmp(self.off_llc, bpf::H, (ll_proto << 8) | ll_proto),
            ),
            LLCSAP_IPX => {
                let llc = Node::or(
                    self.cmp(self.off_llc, bpf::B, LLCSAP_IPX),
                    self.snap(0, ETHERTYPE_IPX),
                );
                let not_ii = Node::or(self.cmp(lt, bpf::H, SLL_P_802_3), Node::and(llc2(), llc));
                Node::or(self.cmp(lt, bpf::H, ETHERTYPE_IPX), not_ii)
            }
            ETHERTYPE_ATALK | ETHERTYPE_AARP => {
                let snap = self.atalk_snap(ll_proto);
                Node::or(self.cmp(lt, bpf::H, ll_proto), Node::and(llc2(), snap))
            }
            sap if sap <= ETHERMTU => Node::and(llc2(), self.cmp(self.off_llc, bpf::B, sap)),
            _ => self.cmp(lt, bpf::H, ll_proto),
        }
    }

    /// The SNAP header of AppleTalk (Apple's organization) or AARP (encapsulated Ethernet).
    fn atalk_snap(&self, ll_proto: u32) -> Node {
        if ll_proto == ETHERTYPE_ATALK {
            self.snap(0x08_0007, ETHERTYPE_ATALK)
        } else {
            self.snap(0, ETHERTYPE_AARP)
        }
    }

    /// After an MPLS label only IPv4 and IPv6 can be recognized: the last label has its
    /// bottom-of-stack bit, and the version nibble follows (libpcap's `gen_mpls_linktype`).
    fn mpls_linktype(&self, ll_proto: u32) -> GResult {
        let version = match ll_proto {
            ETHERTYPE_IP => 0x40,
            ETHERTYPE_IPV6 => 0x60,
            _ => return Err("unsupported protocol over mpls".into()),
        };
        Ok(Node::and(
            self.mcmp(self.off_linkpl.before(2), bpf::B, 0x01, 0x01),
            self.mcmp(self.off_linkpl, bpf::B, version, 0xf0),
        ))
    }

    /// The 4-byte address family of NULL (host byte order; files are taken to be
    /// little-endian, the order of the machines that write them today) or LOOP (network
    /// order).
    fn loopback(&self, af: u32) -> Node {
        let v = if self.link == LinkType::Null {
            af.swap_bytes()
        } else {
            af
        };
        self.cmp(self.off_linktype.unwrap_or(Off::ZERO), bpf::W, v)
    }

    // ---- protocols ---------------------------------------------------------------------

    /// `pname` on its own (libpcap's `gen_proto_abbrev`).
    pub fn proto_abbrev(&self, p: Proto) -> GResult {
        Ok(match p {
            Proto::Sctp => self.proto(IPPROTO_SCTP, Proto::Default, Dir::Default)?,
            Proto::Tcp => self.proto(IPPROTO_TCP, Proto::Default, Dir::Default)?,
            Proto::Udp => self.proto(IPPROTO_UDP, Proto::Default, Dir::Default)?,
            Proto::Icmp => self.proto(1, Proto::Ip, Dir::Default)?,
            Proto::Igmp => self.proto(2, Proto::Ip, Dir::Default)?,
            Proto::Igrp => self.proto(9, Proto::Ip, Dir::Default)?,
            Proto::Pim => self.proto(103, Proto::Default, Dir::Default)?,
            Proto::Vrrp | Proto::Carp => self.proto(112, Proto::Ip, Dir::Default)?,
            Proto::Ip => self.linktype(ETHERTYPE_IP)?,
            Proto::Arp => self.linktype(ETHERTYPE_ARP)?,
            Proto::Rarp => self.linktype(ETHERTYPE_REVARP)?,
            Proto::Ip6 => self.linktype(ETHERTYPE_IPV6)?,
            Proto::Icmp6 => self.proto(58, Proto::Ip6, Dir::Default)?,
            Proto::Ah => self.proto(51, Proto::Default, Dir::Default)?,
            Proto::Esp => self.proto(50, Proto::Default, Dir::Default)?,
            Proto::LinkLayer(_, ll) => self.linktype(ll)?,
            Proto::Link => return Err("link layer applied in wrong context".into()),
            Proto::Other(k) => return Err(format!("'{k}' is not supported")),
            Proto::Default | Proto::Undef => return Err("expected a protocol".into()),
        })
    }

    // ---- encapsulations ----------------------------------------------------------------

    /// `mpls [label]` (libpcap's `gen_mpls`): an MPLS frame, or, after another `mpls`, a
    /// label that is not the bottom of the stack; then every later network-layer offset is
    /// one label further.
    pub fn mpls(&mut self, label: Option<u32>) -> GResult {
        let head = if self.mpls_depth > 0 {
            self.mcmp(self.off_linkpl.before(2), bpf::B, 0, 0x01)
        } else if self.ethernet() || self.ppp {
            let ll = if self.ppp { 0x0281 } else { ETHERTYPE_MPLS };
            self.linktype(ll)?
        } else {
            return Err(format!("no MPLS support for {}", self.link_name()));
        };
        let node = match label {
            Some(v) if v > 0xf_ffff => {
                return Err(format!("MPLS label {v} greater than maximum {}", 0xf_ffff));
            }
            Some(v) => Node::and(
                head,
                self.mcmp(self.off_linkpl, bpf::W, v << 12, 0xffff_f000),
            ),
            None => head,
        };
        self.off_linkpl = self.off_linkpl + 4;
        self.mpls_depth += 1;
        Ok(node)
    }

    /// `geneve [vni]` (libpcap's `gen_geneve`): a Geneve header of version 0 (with that
    /// VNI) in a UDP datagram to port 6081 over IPv4 or IPv6. When it holds, its last test
    /// stores in scratch memory where the Geneve payload's EtherType, link-layer header and
    /// network-layer header are; every later primitive reads through those offsets (an
    /// Ethernet frame when the Geneve protocol is 0x6558, else the payload itself).
    pub fn geneve(&mut self, vni: Option<u32>) -> GResult {
        if let Some(v) = vni {
            if v > 0xff_ffff {
                return Err(format!("Geneve VNI {v} greater than maximum {}", 0xff_ffff));
            }
        }
        // Over IPv4: X = the IPv4 header's length (plus the payload's variable offset),
        // copied to A by a test that always holds.
        let pl = self.off_linkpl;
        let v4 = self.geneve_check(false, vni)?;
        let mut stmts = pl.loadx_iphdrlen();
        stmts.push(BpfInsn::stmt(bpf::MISC | bpf::TXA, 0));
        let v4 = Node::and(v4, Self::always(stmts));
        // Over IPv6: A = X = 40 (plus the variable offset).
        let v6 = self.geneve_check(true, vni)?;
        let mut stmts = Vec::new();
        if let Some(r) = pl.reg {
            stmts.push(BpfInsn::stmt(bpf::LDX | bpf::MEM, r));
        }
        stmts.push(BpfInsn::stmt(bpf::LD | bpf::IMM, 40));
        if pl.reg.is_some() {
            stmts.push(BpfInsn::stmt(bpf::ALU | bpf::ADD | bpf::X, 0));
        }
        stmts.push(BpfInsn::stmt(bpf::MISC | bpf::TAX, 0));
        let v6 = Node::and(v6, Self::always(stmts));
        let offsets = self.geneve_offsets(pl.k + 8)?;
        Ok(Node::and(Node::or(v4, v6), offsets))
    }

    /// A test that always holds (`jeq x` after `A = X`), run for its statements.
    fn always(stmts: Vec<BpfInsn>) -> Node {
        Node::Test(Test {
            stmts,
            jump: bpf::JEQ | bpf::X,
            k: 0,
        })
    }

    /// UDP to port 6081, Geneve version 0, the VNI (libpcap's `gen_geneve_check`).
    fn geneve_check(&self, v6: bool, vni: Option<u32>) -> GResult {
        let udp = |g: &Gen| {
            if v6 {
                g.portop6(IPPROTO_UDP, GENEVE_PORT, GENEVE_PORT, false, Dir::Dst)
            } else {
                g.portop(IPPROTO_UDP, GENEVE_PORT, GENEVE_PORT, false, Dir::Dst)
            }
        };
        let ll = if v6 { ETHERTYPE_IPV6 } else { ETHERTYPE_IP };
        let mut node = Node::and(self.linktype(ll)?, udp(self)?);
        let field = |at: u32, size: u16, v: u32, mask: u32| {
            if v6 {
                self.mcmp(self.off_linkpl + 40 + at, size, v, mask)
            } else {
                self.mcmp_loaded(self.tran4_load(at, size), v, mask)
            }
        };
        node = Node::and(node, field(8, bpf::B, 0, 0xc0));
        if let Some(v) = vni {
            node = Node::and(node, field(12, bpf::W, v << 8, 0xffff_ff00));
        }
        Ok(node)
    }

    /// The statements that store the Geneve payload's offsets, A holding the IP header's
    /// end less `udp_at` (libpcap's `gen_geneve_offsets`), as a test that always holds;
    /// what follows reads an Ethernet link layer at those offsets.
    fn geneve_offsets(&mut self, udp_at: u32) -> GResult {
        let st = |r: u32| BpfInsn::stmt(bpf::ST, r);
        let alu = |op: u16, k: u32| BpfInsn::stmt(bpf::ALU | op | bpf::K, k);
        let lt = self.alloc_reg()?;
        let hdr = self.alloc_reg()?;
        let pl = self.alloc_reg()?;
        let stmts = vec![
            alu(bpf::ADD, udp_at),
            BpfInsn::stmt(bpf::MISC | bpf::TAX, 0),
            alu(bpf::ADD, 2),
            st(lt),
            BpfInsn::stmt(bpf::LD | bpf::B | bpf::IND, 0),
            alu(bpf::AND, 0x3f),
            alu(bpf::MUL, 4),
            alu(bpf::ADD, 8),
            BpfInsn::stmt(bpf::ALU | bpf::ADD | bpf::X, 0),
            st(hdr),
            BpfInsn::stmt(bpf::LD | bpf::H | bpf::IND, 2),
            BpfInsn::stmt(bpf::LDX | bpf::MEM, hdr),
            // An Ethernet frame: its EtherType and its end; else X is the payload already.
            BpfInsn::jump(bpf::JMP | bpf::JEQ | bpf::K, ETHERTYPE_TEB, 0, 5),
            BpfInsn::stmt(bpf::MISC | bpf::TXA, 0),
            alu(bpf::ADD, 12),
            st(lt),
            alu(bpf::ADD, 2),
            BpfInsn::stmt(bpf::MISC | bpf::TAX, 0),
            BpfInsn::stmt(bpf::STX, pl),
            BpfInsn::stmt(bpf::LD | bpf::IMM, 0),
        ];
        let var = |r: u32| Off { reg: Some(r), k: 0 };
        self.link = LinkType::Ethernet;
        self.ppp = false;
        self.geneve = true;
        self.off_linktype = Some(var(lt));
        self.off_linkhdr = var(hdr);
        self.off_linkpl = var(pl);
        self.off_llc = var(pl);
        Ok(Node::Test(Test {
            stmts,
            jump: bpf::JEQ | bpf::K,
            k: 0,
        }))
    }

    /// `pppoed` (libpcap's `gen_pppoed`): a PPPoE discovery frame.
    pub fn pppoed(&self) -> GResult {
        self.linktype(ETHERTYPE_PPPOED)
    }

    /// `pppoes [session]` (libpcap's `gen_pppoes`): a PPPoE session frame; what follows is
    /// read as PPP, its protocol field 6 bytes past the PPPoE header.
    pub fn pppoes(&mut self, session: Option<u32>) -> GResult {
        let head = self.linktype(ETHERTYPE_PPPOES)?;
        let node = match session {
            Some(v) if v > 0xffff => {
                return Err(format!(
                    "PPPoE session number {v} greater than maximum {}",
                    0xffff
                ));
            }
            Some(v) => Node::and(head, self.mcmp(self.off_linkpl, bpf::W, v, 0xffff)),
            None => head,
        };
        let ppp = self.off_linkpl + 6;
        self.off_linktype = Some(ppp);
        self.off_linkpl = ppp + 2;
        self.off_llc = ppp + 2;
        self.ppp = true;
        Ok(node)
    }

    /// `llc` and its frame kinds (libpcap's `gen_llc*`): on Ethernet an 802.3 frame that is
    /// not raw 802.3 (IPX's 0xffff). `kind` is `None` for any frame, else the control
    /// byte's value and mask (`i`: bit 0 clear).
    pub fn llc(&self, kind: Option<(u32, u32)>) -> GResult {
        if !self.ethernet() {
            return Err(format!("'llc' not supported for {}", self.link_name()));
        }
        let lt = self.off_linktype.unwrap_or(Off::ZERO);
        let llc = Node::and(
            Node::not(self.gt(lt, bpf::H, ETHERMTU)),
            Node::not(self.cmp(self.off_llc, bpf::H, 0xffff)),
        );
        Ok(match kind {
            None => llc,
            Some((0, 1)) => {
                let i = Self::jset(self.off_llc + 2, bpf::B, 1);
                Node::and(llc, Node::not(i))
            }
            Some((v, mask)) => Node::and(llc, self.mcmp(self.off_llc + 2, bpf::B, v, mask)),
        })
    }

    /// `[pname] proto N` (libpcap's `gen_proto`).
    pub fn proto(&self, v: u32, p: Proto, dir: Dir) -> GResult {
        if dir != Dir::Default {
            return Err("direction applied to 'proto'".into());
        }
        match p {
            Proto::Default => Ok(Node::or(
                self.proto(v, Proto::Ip, dir)?,
                self.proto(v, Proto::Ip6, dir)?,
            )),
            Proto::Link => self.linktype(v),
            Proto::Ip => Ok(Node::and(
                self.linktype(ETHERTYPE_IP)?,
                self.cmp(self.off_linkpl + 9, bpf::B, v),
            )),
            Proto::Ip6 => {
                // The next header, or the one after a fragment header.
                let frag = Node::and(
                    self.cmp(self.off_linkpl + 6, bpf::B, IPPROTO_FRAGMENT),
                    self.cmp(self.off_linkpl + 40, bpf::B, v),
                );
                let direct = self.cmp(self.off_linkpl + 6, bpf::B, v);
                Ok(Node::and(
                    self.linktype(ETHERTYPE_IPV6)?,
                    Node::or(direct, frag),
                ))
            }
            Proto::Arp | Proto::Rarp => Err(format!(
                "{} does not encapsulate another protocol",
                p.name()
            )),
            Proto::Other(k) => Err(format!("'{k}' is not supported")),
            _ => Err(format!("'{} proto' is bogus", p.name())),
        }
    }

    // ---- hosts and networks -------------------------------------------------------------

    /// An IPv4 host or network (libpcap's `gen_host`).
    pub fn host(&self, addr: u32, mask: u32, p: Proto, dir: Dir, net: bool) -> GResult {
        let what = if net { "net" } else { "host" };
        match p {
            Proto::Default => {
                let ip = self.host(addr, mask, Proto::Ip, dir, net)?;
                if self.in_mpls() {
                    // Only IPv4 can follow an MPLS label.
                    return Ok(ip);
                }
                let arp = self.host(addr, mask, Proto::Arp, dir, net)?;
                let rarp = self.host(addr, mask, Proto::Rarp, dir, net)?;
                Ok(Node::or(ip, Node::or(arp, rarp)))
            }
            Proto::Ip => self.hostop(addr, mask, dir, ETHERTYPE_IP, 12, 16),
            Proto::Arp => self.hostop(addr, mask, dir, ETHERTYPE_ARP, 14, 24),
            Proto::Rarp => self.hostop(addr, mask, dir, ETHERTYPE_REVARP, 14, 24),
            Proto::Link => Err(format!("link-layer modifier applied to {what}")),
            Proto::Ip6 => Err("'ip6' modifier applied to ip host".into()),
            _ => Err(format!("'{}' modifier applied to {what}", p.name())),
        }
    }

    fn hostop(&self, addr: u32, mask: u32, dir: Dir, ll: u32, src: u32, dst: u32) -> GResult {
        let off = match dir {
            Dir::Src => src,
            Dir::Dst => dst,
            Dir::And | Dir::Or | Dir::Default => {
                let a = self.hostop(addr, mask, Dir::Src, ll, src, dst)?;
                let b = self.hostop(addr, mask, Dir::Dst, ll, src, dst)?;
                return Ok(if dir == Dir::And {
                    Node::and(a, b)
                } else {
                    Node::or(a, b)
                });
            }
            Dir::Undef => return Err("syntax error".into()),
        };
        let test = self.mcmp(self.off_linkpl + off, bpf::W, addr, mask);
        Ok(Node::and(self.linktype(ll)?, test))
    }

    /// An IPv6 host or network (libpcap's `gen_host6`).
    pub fn host6(&self, addr: Ipv6Addr, mask: Ipv6Addr, p: Proto, dir: Dir, net: bool) -> GResult {
        let what = if net { "net" } else { "host" };
        match p {
            Proto::Default | Proto::Ip6 => self.hostop6(addr, mask, dir, 8, 24),
            Proto::Link => Err(format!("link-layer modifier applied to ip6 {what}")),
            _ => Err(format!("'{}' modifier applied to ip6 {what}", p.name())),
        }
    }

    fn hostop6(&self, addr: Ipv6Addr, mask: Ipv6Addr, dir: Dir, src: u32, dst: u32) -> GResult {
        let off = match dir {
            Dir::Src => src,
            Dir::Dst => dst,
            Dir::And | Dir::Or | Dir::Default => {
                let a = self.hostop6(addr, mask, Dir::Src, src, dst)?;
                let b = self.hostop6(addr, mask, Dir::Dst, src, dst)?;
                return Ok(if dir == Dir::And {
                    Node::and(a, b)
                } else {
                    Node::or(a, b)
                });
            }
            Dir::Undef => return Err("syntax error".into()),
        };
        let a = addr.octets();
        let m = mask.octets();
        let word = |b: &[u8; 16], i: usize| {
            let mut w = [0u8; 4];
            w.copy_from_slice(b.get(i * 4..i * 4 + 4).unwrap_or(&[0; 4]));
            u32::from_be_bytes(w)
        };
        let base = self.off_linkpl + off;
        let mut node = self.mcmp(base, bpf::W, word(&a, 0), word(&m, 0));
        for i in 1..4usize {
            let t = self.mcmp(base + 4 * i as u32, bpf::W, word(&a, i), word(&m, i));
            node = Node::and(node, t);
        }
        Ok(Node::and(self.linktype(ETHERTYPE_IPV6)?, node))
    }

    /// `ether host`, `ether src`, `ether dst` (libpcap's `gen_ecode`).
    pub fn ehost(&self, mac: [u8; 6], dir: Dir) -> GResult {
        if !self.ethernet() {
            return Err("ethernet addresses are supported only on Ethernet".into());
        }
        Ok(self.after_ll_check(self.ehostop(mac, dir)?))
    }

    /// Inside Geneve, an Ethernet-only test is preceded by the check that the Geneve
    /// payload has an Ethernet header: its offset differs from the payload's (libpcap's
    /// `gen_prevlinkhdr_check`, `gen_geneve_ll_check`).
    fn after_ll_check(&self, test: Node) -> Node {
        let (Some(hdr), Some(pl), true) = (self.off_linkhdr.reg, self.off_linkpl.reg, self.geneve)
        else {
            return test;
        };
        let check = Node::Test(Test {
            stmts: vec![
                BpfInsn::stmt(bpf::LD | bpf::MEM, hdr),
                BpfInsn::stmt(bpf::LDX | bpf::MEM, pl),
            ],
            jump: bpf::JEQ | bpf::X,
            k: 0,
        });
        Node::and(Node::not(check), test)
    }

    /// libpcap's `gen_ehostop`.
    fn ehostop(&self, mac: [u8; 6], dir: Dir) -> GResult {
        let at = match dir {
            Dir::Src => 6,
            Dir::Dst => 0,
            Dir::And | Dir::Or | Dir::Default => {
                let a = self.ehostop(mac, Dir::Src)?;
                let b = self.ehostop(mac, Dir::Dst)?;
                return Ok(if dir == Dir::And {
                    Node::and(a, b)
                } else {
                    Node::or(a, b)
                });
            }
            Dir::Undef => return Err("syntax error".into()),
        };
        let w = u32::from_be_bytes([mac[2], mac[3], mac[4], mac[5]]);
        let h = u32::from(u16::from_be_bytes([mac[0], mac[1]]));
        Ok(Node::and(
            self.cmp(self.off_linkhdr + at + 2, bpf::W, w),
            self.cmp(self.off_linkhdr + at, bpf::H, h),
        ))
    }

    /// `[ether|ip] broadcast` (libpcap's `gen_broadcast`). `ip broadcast` depends on the
    /// netmask; it is taken as 0, as `tcpdump -r` does, so only 0.0.0.0 and
    /// 255.255.255.255 count.
    pub fn broadcast(&self, p: Proto) -> GResult {
        match p {
            Proto::Default | Proto::Link => {
                if self.ethernet() {
                    self.ehost([0xff; 6], Dir::Dst)
                } else {
                    Err("not a broadcast link".into())
                }
            }
            Proto::Ip => {
                let dst = self.off_linkpl + 16;
                let any = self.cmp(dst, bpf::W, 0);
                let all = self.cmp(dst, bpf::W, 0xffff_ffff);
                Ok(Node::and(self.linktype(ETHERTYPE_IP)?, Node::or(any, all)))
            }
            _ => Err("only link-layer/IP broadcast filters supported".into()),
        }
    }

    /// `[ether|ip|ip6] multicast` (libpcap's `gen_multicast`).
    pub fn multicast(&self, p: Proto) -> GResult {
        match p {
            Proto::Default | Proto::Link if self.ethernet() => {
                Ok(self.after_ll_check(Self::jset(self.off_linkhdr, bpf::B, 1)))
            }
            Proto::Ip => Ok(Node::and(
                self.linktype(ETHERTYPE_IP)?,
                self.cmp_op(self.off_linkpl + 16, bpf::B, bpf::JGE, 224),
            )),
            Proto::Ip6 => Ok(Node::and(
                self.linktype(ETHERTYPE_IPV6)?,
                self.cmp(self.off_linkpl + 24, bpf::B, 255),
            )),
            _ => Err("link-layer multicast filters supported only on Ethernet".into()),
        }
    }

    // ---- ports -------------------------------------------------------------------------

    /// `[tcp|udp|sctp] [src|dst] port P` or `portrange A-B`, IPv4 then IPv6 (libpcap's
    /// `gen_port`/`gen_port6` and the range forms). `ip_proto` is `None` for all three.
    pub fn port(&self, lo: u32, hi: u32, range: bool, ip_proto: Option<u32>, dir: Dir) -> GResult {
        let protos: Vec<u32> = match ip_proto {
            Some(p) => vec![p],
            // libpcap's order, which its optimizer's results depend on.
            None => vec![IPPROTO_SCTP, IPPROTO_TCP, IPPROTO_UDP],
        };
        let v4 = self.port_family(&protos, |p| self.portop(p, lo, hi, range, dir))?;
        let v6 = self.port_family(&protos, |p| self.portop6(p, lo, hi, range, dir))?;
        // IPv6 first, as libpcap's `gen_ncode` joins them.
        Ok(Node::or(
            Node::and(self.linktype(ETHERTYPE_IPV6)?, v6),
            Node::and(self.linktype(ETHERTYPE_IP)?, v4),
        ))
    }

    fn port_family(&self, protos: &[u32], op: impl Fn(u32) -> GResult) -> GResult {
        let mut node: Option<Node> = None;
        for p in protos {
            let t = op(*p)?;
            node = Some(match node {
                None => t,
                Some(n) => Node::or(n, t),
            });
        }
        Ok(node.unwrap_or(Node::False))
    }

    fn port_atoms(&self, dir: Dir, atom: &dyn Fn(u32) -> Node) -> GResult {
        Ok(match dir {
            Dir::Src => atom(0),
            Dir::Dst => atom(2),
            Dir::And => Node::and(atom(0), atom(2)),
            Dir::Or | Dir::Default => Node::or(atom(0), atom(2)),
            Dir::Undef => return Err("syntax error".into()),
        })
    }

    /// The IPv4 fragment offset is not 0 (libpcap's `gen_ipfrag`, negated).
    fn nofrag_test(&self) -> Node {
        Self::jset(self.off_linkpl + 6, bpf::H, 0x1fff)
    }

    fn portop(&self, proto: u32, lo: u32, hi: u32, range: bool, dir: Dir) -> GResult {
        // Only the first fragment (offset 0) carries the transport header.
        let nofrag = Node::not(self.nofrag_test());
        let head = Node::and(self.cmp(self.off_linkpl + 9, bpf::B, proto), nofrag);
        let atom = |off: u32| {
            if range {
                Node::and(
                    self.tran4(off, bpf::JGE, lo),
                    Node::not(self.tran4(off, bpf::JGT, hi)),
                )
            } else {
                self.tran4(off, bpf::JEQ, lo)
            }
        };
        Ok(Node::and(head, self.port_atoms(dir, &atom)?))
    }

    fn portop6(&self, proto: u32, lo: u32, hi: u32, range: bool, dir: Dir) -> GResult {
        let head = self.cmp(self.off_linkpl + 6, bpf::B, proto);
        let atom = |off: u32| {
            if range {
                Node::and(
                    self.tran6(off, bpf::JGE, lo),
                    Node::not(self.tran6(off, bpf::JGT, hi)),
                )
            } else {
                self.tran6(off, bpf::JEQ, lo)
            }
        };
        Ok(Node::and(head, self.port_atoms(dir, &atom)?))
    }

    // ---- lengths -----------------------------------------------------------------------

    /// `less N`: the on-wire length is at most N.
    pub fn less(n: u32) -> Node {
        Node::not(Node::Test(Test {
            stmts: vec![BpfInsn::stmt(bpf::LD | bpf::W | bpf::LEN, 0)],
            jump: bpf::JGT | bpf::K,
            k: n,
        }))
    }

    /// `greater N`: the on-wire length is at least N.
    pub fn greater(n: u32) -> Node {
        Node::Test(Test {
            stmts: vec![BpfInsn::stmt(bpf::LD | bpf::W | bpf::LEN, 0)],
            jump: bpf::JGE | bpf::K,
            k: n,
        })
    }

    // ---- VLAN --------------------------------------------------------------------------

    /// `vlan [N]` on a capture without kernel VLAN data (libpcap's
    /// `gen_vlan_no_bpf_extensions`): the EtherType is one of the tag types, and the VLAN ID
    /// is N. The caller then shifts the offsets for what follows.
    pub fn vlan(&self, id: Option<u32>) -> GResult {
        if self.mpls_depth > 0 {
            return Err("no VLAN match after MPLS".into());
        }
        if !self.ethernet() {
            return Err(format!("no VLAN support for {}", self.link_name()));
        }
        if let Some(v) = id {
            if v > 0x0fff {
                return Err(format!("VLAN tag {v} greater than maximum 4095"));
            }
        }
        let off = self.off_linktype.unwrap_or(Off::ZERO);
        let tpid = Node::or(
            self.cmp(off, bpf::H, ETHERTYPE_8021Q),
            Node::or(
                self.cmp(off, bpf::H, ETHERTYPE_8021AD),
                self.cmp(off, bpf::H, ETHERTYPE_8021QINQ),
            ),
        );
        Ok(match id {
            None => tpid,
            Some(v) => Node::and(tpid, self.mcmp(self.off_linkpl, bpf::H, v, 0x0fff)),
        })
    }
}

/// The PPP protocol number for an EtherType or SAP (libpcap's `ethertype_to_ppptype`).
fn ppp_type(ll_proto: u32) -> u32 {
    match ll_proto {
        ETHERTYPE_IP => 0x0021,
        ETHERTYPE_IPV6 => 0x0057,
        0x6003 => 0x0027,
        ETHERTYPE_ATALK => 0x0029,
        0x0600 => 0x0025,
        LLCSAP_ISONS => 0x0023,
        LLCSAP_8021D => 0x0031,
        LLCSAP_IPX => 0x002b,
        other => other,
    }
}
