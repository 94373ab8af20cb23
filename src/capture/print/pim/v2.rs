//! PIM version 2 (print-pim.c `pimv2_print` and `pimv2_addr_print` at tcpdump-4.99.3).
//!
//! The message printers return `Ok(false)` where tcpdump's `goto trunc` prints ` [|pimv2]`
//! and returns normally; `Err(Trunc)` is its longjmp.

use std::net::IpAddr;

use super::super::{ip, ip6};
use super::*;

/// `Ok(false)` (a local ` [|pimv2]`) unless `cond` holds.
macro_rules! need {
    ($cond:expr) => {
        if !$cond {
            return Ok(false);
        }
    };
}

/// The encoded address forms (print-pim.c `enum pimv2_addrtype`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Unicast,
    Group,
    Source,
}

/// Where the message is read: the offset in the captured bytes and the length left by the
/// message's own count (which may run past the capture).
struct Cur<'a> {
    data: &'a [u8],
    at: usize,
    len: u32,
    /// The header's RFC 2117 address length, zero for the encoded forms.
    addr_len: u8,
}

impl Cur<'_> {
    /// Step over `n` bytes; the length wraps as tcpdump's unsigned one does.
    fn skip(&mut self, n: u32) {
        self.at = self.at.saturating_add(n as usize);
        self.len = self.len.wrapping_sub(n);
    }

    /// Print the address of form `kind` here and step over it; `false` where tcpdump's
    /// `pimv2_addr_print` returns -1.
    fn addr(&mut self, nd: &mut Nd<'_>, kind: Kind) -> PResult<bool> {
        match addr_print(nd, self.data, self.at, self.len, kind, self.addr_len)? {
            Some(n) => {
                self.skip(n);
                Ok(true)
            }
            None => Ok(false),
        }
    }
}

/// `pimv2_addr_print`: the bytes the address took, or `None`.
fn addr_print(
    nd: &mut Nd<'_>,
    data: &[u8],
    at: usize,
    len: u32,
    kind: Kind,
    addr_len: u8,
) -> PResult<Option<u32>> {
    let (v6, hdrlen) = if addr_len == 0 {
        if len < 2 {
            return Ok(None);
        }
        let v6 = match get_u8(data, at)? {
            1 => false,
            2 => true,
            _ => return Ok(None),
        };
        if get_u8(data, at + 1)? != 0 {
            return Ok(None);
        }
        (v6, 2)
    } else {
        match addr_len {
            4 => (false, 0),
            16 => (true, 0),
            _ => return Ok(None),
        }
    };
    let alen: u32 = if v6 { 16 } else { 4 };
    let (p, len) = (at + hdrlen, len - hdrlen as u32);
    let read = |p: usize| if v6 { ip6_at(data, p) } else { ip4_at(data, p) };
    if kind == Kind::Unicast {
        if len < alen || !ttest(data, p, alen as usize) {
            return Ok(None);
        }
        let a = read(p)?;
        print_addr(nd, a);
        return Ok(Some(hdrlen as u32 + alen));
    }
    if len < alen + 2 || !ttest(data, p, alen as usize + 2) {
        return Ok(None);
    }
    let a = read(p + 2)?;
    print_addr(nd, a);
    let mask = get_u8(data, p + 1)?;
    if u32::from(mask) != alen * 8 {
        nd_print!(nd, "/{mask}");
    }
    print_flags(nd, kind, get_u8(data, p)?);
    Ok(Some(hdrlen as u32 + 2 + alen))
}

/// A group's reserved byte in hex, a source's S, W and R bits, when not zero.
fn print_flags(nd: &mut Nd<'_>, kind: Kind, flags: u8) {
    if flags == 0 {
        return;
    }
    if kind == Kind::Group {
        nd_print!(nd, "(0x{flags:02x})");
        return;
    }
    nd_print!(
        nd,
        "({}{}{}",
        if flags & 0x04 != 0 { "S" } else { "" },
        if flags & 0x02 != 0 { "W" } else { "" },
        if flags & 0x01 != 0 { "R" } else { "" }
    );
    if flags & 0xf8 != 0 {
        nd_print!(nd, "+0x{:02x}", flags & 0xf8);
    }
    nd.print(")");
}

/// The checksum verdict over the first `n` bytes: `None` when they were not all captured
/// (print-pim.c `pimv2_check_checksum`). IPv4 sums the message alone, IPv6 adds the
/// pseudo-header.
fn checksum_ok(data: &[u8], n: u32, ip: &IpCtx) -> Option<bool> {
    let msg = data.get(..n as usize)?;
    Some(match ip.src {
        IpAddr::V4(_) => checksum::checksum(msg) == 0,
        IpAddr::V6(_) => checksum::transport_checksum(ip.src, ip.pseudo_dst, IPPROTO_PIM, msg) == 0,
    })
}

/// `pimv2_print`, after `pim_print` named the type.
pub(super) fn print(nd: &mut Nd<'_>, data: &[u8], len: u32, ip: &IpCtx) -> PResult {
    nd.protocol = "pimv2";
    if len < 2 {
        nd_print!(nd, "[length {len} < 2]");
        print_invalid(nd);
        return Ok(());
    }
    let ty = get_u8(data, 0)? & 0x0f;
    let rsv = get_u8(data, 1)?;
    let addr_len = rsv & 0x0f;
    if addr_len != 0 {
        nd.print(", RFC2117-encoding");
    }
    if len < 4 {
        nd_print!(nd, "[length {len} < 4]");
        print_invalid(nd);
        return Ok(());
    }
    let cksum = get_be_u16(data, 2)?;
    nd_print!(nd, ", cksum 0x{cksum:04x} ");
    nd.print(verdict(data, len, ty, cksum, ip));
    let mut c = Cur {
        data,
        at: 4,
        len: len - 4,
        addr_len,
    };
    let done = match ty {
        V2_HELLO => hello(nd, &mut c)?,
        V2_REGISTER => register(nd, &mut c)?,
        V2_REGISTER_STOP => register_stop(nd, &mut c)?,
        V2_JOIN_PRUNE | V2_GRAFT | V2_GRAFT_ACK => join_prune(nd, &mut c, ty)?,
        V2_BOOTSTRAP => bootstrap(nd, &mut c)?,
        V2_ASSERT => assert(nd, &mut c)?,
        V2_CANDIDATE_RP => candidate_rp(nd, &mut c)?,
        V2_PRUNE_REFRESH => prune_refresh(nd, &mut c)?,
        V2_DF_ELECTION => df_election(nd, &mut c, rsv >> 4)?,
        _ => {
            nd_print!(nd, " [type {ty}]");
            true
        }
    };
    if !done {
        print_trunc(nd);
    }
    Ok(())
}

/// `(correct)`, `(incorrect)` or `(unverified)`: a register's checksum covers its header,
/// or for interoperability the whole message (RFC 4601 section 4.9.3).
fn verdict(data: &[u8], len: u32, ty: u8, cksum: u16, ip: &IpCtx) -> &'static str {
    if cksum == 0 {
        return "(unverified)";
    }
    let mut ok = checksum_ok(data, if ty == V2_REGISTER { 8 } else { len }, ip);
    if ty == V2_REGISTER && ok == Some(false) {
        ok = checksum_ok(data, len, ip);
    }
    match ok {
        Some(true) => "(correct)",
        Some(false) => "(incorrect)",
        None => "(unverified)",
    }
}

/// Hello options; a bad option length ends the message (`Ok(true)`, nothing more printed).
fn hello(nd: &mut Nd<'_>, c: &mut Cur<'_>) -> PResult<bool> {
    while c.len > 0 {
        need!(c.len >= 4);
        let otype = get_be_u16(c.data, c.at)?;
        let olen = get_be_u16(c.data, c.at + 2)?;
        nd_print!(
            nd,
            "\n\t  {} Option ({otype}), length {olen}, Value: ",
            tok2str(&HELLO_OPTIONS, "Unknown", u32::from(otype))
        );
        c.skip(4);
        need!(c.len >= u32::from(olen) && ttest(c.data, c.at, usize::from(olen)));
        match hello_option(nd, c, otype, olen)? {
            Some(true) => {}
            Some(false) => return Ok(false),
            None => return Ok(true),
        }
        if nd.opts.v > 1 {
            print_unknown_data(nd, c.data, c.at, "\n\t    ", usize::from(olen));
        }
        c.skip(u32::from(olen));
    }
    Ok(true)
}

/// One hello option's value: `Some(false)` for a local truncation, `None` after an
/// ` (invalid)` length that ends the message.
fn hello_option(nd: &mut Nd<'_>, c: &mut Cur<'_>, otype: u16, olen: u16) -> PResult<Option<bool>> {
    let (d, at) = (c.data, c.at);
    let want = match otype {
        1 => 2,
        2 | 20 | 21 => 4,
        18 | 19 if olen != 0 => 4,
        _ => olen,
    };
    if olen != want {
        nd_print!(nd, "[option length {olen} != {want}]");
        print_invalid(nd);
        return Ok(None);
    }
    match otype {
        1 => unsigned_relts_print(nd, u32::from(get_be_u16(d, at)?)),
        2 => {
            let (delay, interval) = (get_be_u16(d, at)?, get_be_u16(d, at + 2)?);
            nd_print!(
                nd,
                "\n\t    T-bit={}, LAN delay {}ms, Override interval {interval}ms",
                delay >> 15,
                delay & 0x7fff
            );
        }
        18 | 19 if olen == 0 => nd.print("Bi-Directional Capability (Old)"),
        18 | 19 => nd_print!(nd, "{}", get_be_u32(d, at)?),
        20 => nd_print!(nd, "0x{:08x}", get_be_u32(d, at)?),
        21 => refresh_cap(nd, d, at)?,
        22 => {}
        24 | 65001 => {
            if nd.opts.v > 1 {
                return address_list(nd, c, olen).map(Some);
            }
        }
        _ => {
            if nd.opts.v <= 1 {
                print_unknown_data(nd, d, at, "\n\t    ", usize::from(olen));
            }
        }
    }
    Ok(Some(true))
}

fn refresh_cap(nd: &mut Nd<'_>, d: &[u8], at: usize) -> PResult {
    nd_print!(nd, "v{}", get_u8(d, at)?);
    let interval = get_u8(d, at + 1)?;
    if interval != 0 {
        nd.print(", interval ");
        unsigned_relts_print(nd, u32::from(interval));
    }
    let rsvd = get_be_u16(d, at + 2)?;
    if rsvd != 0 {
        nd_print!(nd, " ?0x{rsvd:04x}?");
    }
    Ok(())
}

/// The addresses of an address list option, each on its own line.
fn address_list(nd: &mut Nd<'_>, c: &Cur<'_>, olen: u16) -> PResult<bool> {
    let mut p = Cur { ..*c };
    let end = c.at + usize::from(olen);
    while p.at < end {
        nd.print("\n\t    ");
        need!(p.addr(nd, Kind::Unicast)?);
    }
    Ok(true)
}

fn register(nd: &mut Nd<'_>, c: &mut Cur<'_>) -> PResult<bool> {
    need!(c.len >= 4 && ttest(c.data, c.at, 4));
    let flags = get_be_u32(c.data, c.at)?;
    nd_print!(
        nd,
        ", Flags [ {} ]\n\t",
        tok2str(&REGISTER_FLAGS, "none", flags)
    );
    c.skip(4);
    need!(c.len != 0);
    let inner = c.data.get(c.at..).unwrap_or(&[]);
    match get_u8(inner, 0)? >> 4 {
        0 => {
            let (s, d) = (ip4_at(inner, 12)?, ip4_at(inner, 16)?);
            nd.print("IP-Null-header ");
            print_addr(nd, s);
            nd.print(" > ");
            print_addr(nd, d);
        }
        4 => ip::print(nd, inner, c.len)?,
        6 => ip6::print(nd, inner, c.len)?,
        v => nd_print!(nd, "IP ver {v}"),
    }
    Ok(true)
}

fn register_stop(nd: &mut Nd<'_>, c: &mut Cur<'_>) -> PResult<bool> {
    nd.print(" group=");
    need!(c.addr(nd, Kind::Group)?);
    nd.print(" source=");
    need!(c.addr(nd, Kind::Unicast)?);
    Ok(true)
}

fn join_prune(nd: &mut Nd<'_>, c: &mut Cur<'_>, ty: u8) -> PResult<bool> {
    if ty != V2_GRAFT_ACK {
        nd.print(", upstream-neighbor: ");
        need!(c.addr(nd, Kind::Unicast)?);
    }
    need!(c.len >= 4 && ttest(c.data, c.at, 4));
    let ngroup = get_u8(c.data, c.at + 1)?;
    let holdtime = get_be_u16(c.data, c.at + 2)?;
    nd_print!(nd, "\n\t  {ngroup} group(s)");
    if ty != V2_GRAFT_ACK {
        nd.print(", holdtime: ");
        if holdtime == 0xffff {
            nd.print("infinite");
        } else {
            unsigned_relts_print(nd, u32::from(holdtime));
        }
    }
    c.skip(4);
    for i in 1..=u32::from(ngroup) {
        nd_print!(nd, "\n\t    group #{i}: ");
        need!(c.addr(nd, Kind::Group)?);
        need!(c.len >= 4 && ttest(c.data, c.at, 4));
        let njoin = get_be_u16(c.data, c.at)?;
        let nprune = get_be_u16(c.data, c.at + 2)?;
        nd_print!(nd, ", joined sources: {njoin}, pruned sources: {nprune}");
        c.skip(4);
        for j in 1..=njoin {
            nd_print!(nd, "\n\t      joined source #{j}: ");
            need!(c.addr(nd, Kind::Source)?);
        }
        for j in 1..=nprune {
            nd_print!(nd, "\n\t      pruned source #{j}: ");
            need!(c.addr(nd, Kind::Source)?);
        }
    }
    Ok(true)
}

fn bootstrap(nd: &mut Nd<'_>, c: &mut Cur<'_>) -> PResult<bool> {
    need!(c.len >= 2);
    nd_print!(nd, " tag={:x}", get_be_u16(c.data, c.at)?);
    c.skip(2);
    need!(c.len >= 1);
    nd_print!(nd, " hashmlen={}", get_u8(c.data, c.at)?);
    need!(c.len >= 2 && ttest(c.data, c.at + 2, 1));
    nd_print!(nd, " BSRprio={}", get_u8(c.data, c.at + 1)?);
    c.skip(2);
    nd.print(" BSR=");
    need!(c.addr(nd, Kind::Unicast)?);
    let mut i = 0;
    while c.len > 0 {
        nd_print!(nd, " (group{i}: ");
        need!(c.addr(nd, Kind::Group)?);
        need!(c.len >= 1);
        nd_print!(nd, " RPcnt={}", get_u8(c.data, c.at)?);
        need!(c.len >= 2);
        let frpcnt = get_u8(c.data, c.at + 1)?;
        nd_print!(nd, " FRPcnt={frpcnt}");
        need!(c.len >= 4);
        c.skip(4);
        let mut j = 0;
        while j < frpcnt && c.len > 0 {
            nd_print!(nd, " RP{j}=");
            need!(c.addr(nd, Kind::Unicast)?);
            need!(c.len >= 2);
            nd.print(",holdtime=");
            unsigned_relts_print(nd, u32::from(get_be_u16(c.data, c.at)?));
            need!(c.len >= 3);
            nd_print!(nd, ",prio={}", get_u8(c.data, c.at + 2)?);
            need!(c.len >= 4);
            c.skip(4);
            j += 1;
        }
        nd.print(")");
        i += 1;
    }
    Ok(true)
}

fn assert(nd: &mut Nd<'_>, c: &mut Cur<'_>) -> PResult<bool> {
    nd.print(" group=");
    need!(c.addr(nd, Kind::Group)?);
    nd.print(" src=");
    need!(c.addr(nd, Kind::Unicast)?);
    need!(c.len >= 8 && ttest(c.data, c.at, 8));
    if get_u8(c.data, c.at)? & 0x80 != 0 {
        nd.print(" RPT");
    }
    nd_print!(nd, " pref={}", get_be_u32(c.data, c.at)? & 0x7fff_ffff);
    nd_print!(nd, " metric={}", get_be_u32(c.data, c.at + 4)?);
    Ok(true)
}

fn candidate_rp(nd: &mut Nd<'_>, c: &mut Cur<'_>) -> PResult<bool> {
    need!(c.len >= 1);
    let pfxcnt = get_u8(c.data, c.at)?;
    nd_print!(nd, " prefix-cnt={pfxcnt}");
    need!(c.len >= 2);
    nd_print!(nd, " prio={}", get_u8(c.data, c.at + 1)?);
    need!(c.len >= 4);
    nd.print(" holdtime=");
    unsigned_relts_print(nd, u32::from(get_be_u16(c.data, c.at + 2)?));
    c.skip(4);
    nd.print(" RP=");
    need!(c.addr(nd, Kind::Unicast)?);
    let mut i = 0;
    while i < pfxcnt && c.len > 0 {
        nd_print!(nd, " Group{i}=");
        need!(c.addr(nd, Kind::Group)?);
        i += 1;
    }
    Ok(true)
}

fn prune_refresh(nd: &mut Nd<'_>, c: &mut Cur<'_>) -> PResult<bool> {
    nd.print(" src=");
    need!(c.addr(nd, Kind::Unicast)?);
    nd.print(" grp=");
    need!(c.addr(nd, Kind::Group)?);
    nd.print(" forwarder=");
    need!(c.addr(nd, Kind::Unicast)?);
    need!(c.len >= 2);
    nd.print(" TUNR ");
    unsigned_relts_print(nd, u32::from(get_be_u16(c.data, c.at)?));
    Ok(true)
}

fn df_election(nd: &mut Nd<'_>, c: &mut Cur<'_>, subtype: u8) -> PResult<bool> {
    nd_print!(
        nd,
        "\n\t  {},",
        tok2str(&DF_ELECTION, "Unknown", u32::from(subtype))
    );
    nd.print(" rpa=");
    need!(c.addr(nd, Kind::Unicast)?);
    nd_print!(nd, " sender pref={}", get_be_u32(c.data, c.at)?);
    nd_print!(nd, " sender metric={}", get_be_u32(c.data, c.at + 4)?);
    c.skip(8);
    if subtype == DF_BACKOFF || subtype == DF_PASS {
        let who = if subtype == DF_BACKOFF {
            "offer"
        } else {
            "new winner"
        };
        nd_print!(nd, "\n\t  {who} addr=");
        need!(c.addr(nd, Kind::Unicast)?);
        nd_print!(nd, " {who} pref={}", get_be_u32(c.data, c.at)?);
        nd_print!(nd, " {who} metric={}", get_be_u32(c.data, c.at + 4)?);
        c.skip(8);
        if subtype == DF_BACKOFF {
            nd_print!(nd, " interval {}ms", get_be_u16(c.data, c.at)?);
        }
    }
    Ok(true)
}
