//! IPv6 (print-ip6.c at tcpdump-4.99.3) and its extension headers: hop-by-hop and
//! destination options (print-ip6opts.c), routing (print-rt6.c) and fragment (print-frag6.c).
//!
//! Must not import anything outside `capture::print`: it only reads the captured bytes.

use std::net::Ipv6Addr;

use super::ipproto::{
    self, has_ports, ipproto_name, IPPROTO_DSTOPTS, IPPROTO_FRAGMENT, IPPROTO_HOPOPTS,
    IPPROTO_MOBILITY, IPPROTO_MOBILITY_OLD, IPPROTO_ROUTING,
};
use super::names::{print_addr, print_src_dst};
use super::util::{print_invalid, print_trunc, tlv_len};
use super::{get_array, get_be_u16, get_be_u32, get_u8, mobility, ttest, IpCtx, Nd, PResult};

const IP6_HDR_LEN: usize = 40;

/// Print from the start of the ip6 header; `len` is the on-wire length from there.
pub fn print(nd: &mut Nd<'_>, data: &[u8], len: u32) -> PResult {
    print_ip6(nd, data, len, false)
}

/// Print the IPv6 datagram quoted in an ICMPv6 error (transport printers see `nested`).
pub fn print_nested(nd: &mut Nd<'_>, data: &[u8], len: u32) -> PResult {
    print_ip6(nd, data, len, true)
}

/// Print the address at `at`.
fn print_addr_at(nd: &mut Nd<'_>, data: &[u8], at: usize) -> PResult {
    let addr = get_array::<16>(data, at)?;
    print_addr(nd, Ipv6Addr::from(addr).into());
    Ok(())
}

/// `ip6_print`: the fixed header, then the walk through the extension headers.
fn print_ip6(nd: &mut Nd<'_>, data: &[u8], length: u32, nested: bool) -> PResult {
    nd.protocol = "ip6";
    if !ttest(data, 0, IP6_HDR_LEN) {
        print_trunc(nd);
        return Ok(());
    }
    if length < IP6_HDR_LEN as u32 {
        nd.print("truncated-ip6 ");
        nd.print_dec(length);
        return Ok(());
    }
    if nd.opts.e == 0 {
        nd.print("IP6 ");
    }
    let version = get_u8(data, 0)? >> 4;
    if version != 6 {
        nd.print("version error: ");
        nd.print_dec(version);
        nd.print(" != 6");
        return Ok(());
    }
    let payload_len = u32::from(get_be_u16(data, 4)?);
    let len = if payload_len != 0 {
        let len = payload_len + IP6_HDR_LEN as u32;
        if length < len {
            {
                let v0 = len - length;
                nd.print("truncated-ip6 - ");
                nd.print_dec(v0);
                nd.print(" bytes missing!");
            };
        }
        len
    } else {
        // Jumbo payloads: the real length comes from a hop-by-hop option, if any.
        length.saturating_add(IP6_HDR_LEN as u32)
    };
    if nd.opts.v > 0 {
        print_verbose(nd, data, payload_len)?;
    }
    let walk = Walk {
        orig: data,
        data: clamp(data, len),
        length,
        len,
        payload_len,
        nested,
    };
    walk.run(nd)
}

/// `data` cut to `len` bytes when it holds more (tcpdump's `nd_push_snaplen`).
fn clamp(data: &[u8], len: u32) -> &[u8] {
    usize::try_from(len)
        .ok()
        .and_then(|l| data.get(..l))
        .unwrap_or(data)
}

/// The `-v` parenthesis: traffic class, flow label, hop limit, next header, payload length.
fn print_verbose(nd: &mut Nd<'_>, data: &[u8], payload_len: u32) -> PResult {
    let flow = get_be_u32(data, 0)?;
    nd.print("(");
    if flow & 0x0ff0_0000 != 0 {
        {
            let v0 = (flow & 0x0ff0_0000) >> 20;
            nd.print("class 0x");
            nd.print_hex(v0, 2);
            nd.print(", ");
        };
    }
    if flow & 0x000f_ffff != 0 {
        {
            let v0 = flow & 0x000f_ffff;
            nd.print("flowlabel 0x");
            nd.print_hex(v0, 5);
            nd.print(", ");
        };
    }
    let hlim = get_u8(data, 7)?;
    let nh = get_u8(data, 6)?;
    nd.print("hlim ");
    nd.print_u32(u32::from(hlim));
    nd.print(", next-header ");
    nd.print(ipproto_name(nh));
    nd.print(" (");
    nd.print_u32(u32::from(nh));
    nd.print(") payload length: ");
    nd.print_u32(payload_len);
    nd.print(") ");
    Ok(())
}

/// The walk through the extension headers of one datagram.
struct Walk<'a> {
    /// The bytes before the datagram's length cut (for `nd_change_snaplen`).
    orig: &'a [u8],
    /// The captured bytes of the datagram.
    data: &'a [u8],
    /// The on-wire length given to the printer.
    length: u32,
    /// The datagram's length from the payload length field.
    len: u32,
    /// The payload length field, or the jumbo payload length once found.
    payload_len: u32,
    nested: bool,
}

/// Where the walk is.
#[derive(Default)]
struct Pos {
    cp: usize,
    advance: usize,
    total_advance: u32,
    found_ext: bool,
    found_hbh: bool,
    found_jumbo: bool,
    fragmented: bool,
}

impl Walk<'_> {
    fn run(mut self, nd: &mut Nd<'_>) -> PResult {
        let mut nh = get_u8(self.data, 6)?;
        let mut ph = 255u8;
        let mut pos = Pos {
            advance: IP6_HDR_LEN,
            ..Pos::default()
        };
        while pos.cp < self.data.len() && pos.advance > 0 {
            let advance = u32::try_from(pos.advance).unwrap_or(u32::MAX);
            if self.len < advance {
                print_trunc(nd);
                return Ok(());
            }
            pos.cp += pos.advance;
            self.len -= advance;
            pos.total_advance += advance;
            if pos.cp == IP6_HDR_LEN && !has_ports(nh) {
                let (src, dst) = self.addrs()?;
                print_src_dst(nd, src.into(), dst.into());
                nd.print(": ");
            }
            let Some(next) = self.ext_header(nd, &mut pos, nh, ph)? else {
                return Ok(());
            };
            nh = next;
            ph = nh;
            nd.protocol = "ip6";
        }
        Ok(())
    }

    fn addrs(&self) -> PResult<(Ipv6Addr, Ipv6Addr)> {
        Ok((
            Ipv6Addr::from(get_array::<16>(self.data, 8)?),
            Ipv6Addr::from(get_array::<16>(self.data, 24)?),
        ))
    }

    /// Print the header `nh` at `pos.cp`: `Some(its next header)` to go on, `None` when the
    /// datagram's line is complete.
    fn ext_header(
        &mut self,
        nd: &mut Nd<'_>,
        pos: &mut Pos,
        nh: u8,
        ph: u8,
    ) -> PResult<Option<u8>> {
        let cp = pos.cp;
        let advance = match nh {
            IPPROTO_HOPOPTS => {
                let Some(adv) = self.hop_by_hop(nd, pos, ph)? else {
                    return Ok(None);
                };
                pos.found_hbh = true;
                adv
            }
            IPPROTO_DSTOPTS => match dstopt_process(nd, self.data, cp)? {
                Some(adv) => adv,
                None => return Ok(None),
            },
            IPPROTO_FRAGMENT => match frag6_print(nd, self.data, cp)? {
                Some(adv) if cp + adv < self.data.len() => {
                    pos.fragmented = true;
                    adv
                }
                _ => return Ok(None),
            },
            IPPROTO_ROUTING => {
                if !ttest(self.data, cp, 1) {
                    print_trunc(nd);
                    return Ok(None);
                }
                match rt6_print(nd, self.data, cp)? {
                    Some(adv) => adv,
                    None => return Ok(None),
                }
            }
            // The mobility header is the last one printed, whatever follows it.
            IPPROTO_MOBILITY_OLD | IPPROTO_MOBILITY => {
                mobility::print(nd, self.data.get(cp..).unwrap_or(&[]))?;
                return Ok(None);
            }
            _ => {
                self.payload(nd, pos, nh)?;
                return Ok(None);
            }
        };
        pos.found_ext = true;
        pos.advance = advance;
        Ok(Some(get_u8(self.data, cp)?))
    }

    /// The hop-by-hop header, which must come first and only once: `Some(its length)`.
    fn hop_by_hop(&mut self, nd: &mut Nd<'_>, pos: &mut Pos, ph: u8) -> PResult<Option<usize>> {
        if pos.found_hbh {
            nd.print("[The Hop-by-Hop Options header was already found]");
            print_invalid(nd);
            return Ok(None);
        }
        if ph != 255 {
            nd.print("[The Hop-by-Hop Options header don't follow the IPv6 header]");
            print_invalid(nd);
            return Ok(None);
        }
        let mut jumbo = Jumbo {
            found: false,
            payload_len: self.payload_len,
        };
        let adv = hbhopt_process(nd, self.data, pos.cp, &mut jumbo)?;
        self.payload_len = jumbo.payload_len;
        pos.found_jumbo = jumbo.found;
        if self.payload_len == 0 && !jumbo.found {
            nd.print("[No valid Jumbo Payload Hop-by-Hop option found]");
            print_invalid(nd);
            return Ok(None);
        }
        Ok(adv)
    }

    /// The first header that is not an extension header: settle the payload length, then
    /// hand the payload to its printer.
    fn payload(&mut self, nd: &mut Nd<'_>, pos: &Pos, nh: u8) -> PResult {
        let mut data = self.data;
        let mut len = self.len;
        if pos.found_jumbo {
            let total = self.payload_len.wrapping_add(IP6_HDR_LEN as u32);
            if total < pos.total_advance {
                print_trunc(nd);
                return Ok(());
            }
            if self.length < total {
                {
                    let v0 = total - self.length;
                    nd.print("truncated-ip6 - ");
                    nd.print_dec(v0);
                    nd.print(" bytes missing!");
                };
            }
            data = clamp(self.orig, total);
            len = total - pos.total_advance;
        } else if self.payload_len == 0 {
            if pos.found_ext {
                print_trunc(nd);
                return Ok(());
            }
            data = clamp(self.orig, IP6_HDR_LEN as u32);
            len = 0;
        }
        let ctx = self.transport_ctx(data, pos)?;
        let payload = data.get(pos.cp..).unwrap_or(&[]);
        ipproto::demux(nd, payload, len, 6, nh, &ctx)
    }

    /// What the transport printer is told once the walk reached it.
    fn transport_ctx(&self, data: &[u8], pos: &Pos) -> PResult<IpCtx> {
        let (src, dst) = self.addrs()?;
        Ok(IpCtx {
            src: src.into(),
            dst: dst.into(),
            pseudo_dst: final_dst(data, dst).into(),
            fragmented: pos.fragmented,
            nested: self.nested,
            after_ext_headers: pos.total_advance > IP6_HDR_LEN as u32,
            ttl: get_u8(self.orig, 7)?,
        })
    }
}

/// The destination for the transport pseudo-header: the final one of the first routing
/// header (type 0 and 2: its last address; type 4: segment 0), else the header's
/// (print-ip6.c `ip6_finddst`).
fn final_dst(data: &[u8], dst: Ipv6Addr) -> Ipv6Addr {
    let mut cp = 0;
    let mut advance = IP6_HDR_LEN;
    let Ok(mut nh) = get_u8(data, 6) else {
        return dst;
    };
    while cp < data.len() {
        cp += advance;
        let (Ok(next), Ok(hlen)) = (get_u8(data, cp), get_u8(data, cp + 1)) else {
            return dst;
        };
        match nh {
            IPPROTO_HOPOPTS | IPPROTO_DSTOPTS | IPPROTO_MOBILITY_OLD | IPPROTO_MOBILITY => {
                advance = (usize::from(hlen) + 1) << 3;
            }
            IPPROTO_FRAGMENT => advance = 8,
            IPPROTO_ROUTING => return routing_dst(data, cp, dst),
            _ => return dst,
        }
        nh = next;
    }
    dst
}

/// The final destination named by the routing header at `cp`, or `dst`.
fn routing_dst(data: &[u8], cp: usize, mut dst: Ipv6Addr) -> Ipv6Addr {
    let (Ok(len), Ok(kind), true) = (
        get_u8(data, cp + 1),
        get_u8(data, cp + 2),
        ttest(data, cp, 4),
    ) else {
        return dst;
    };
    if len % 2 == 1 {
        return dst;
    }
    let count = match kind {
        0 | 2 => usize::from(len / 2),
        4 => 1,
        _ => 0,
    };
    for i in 0..count {
        match get_array::<16>(data, cp + 8 + 16 * i) {
            Ok(addr) => dst = Ipv6Addr::from(addr),
            Err(_) => break,
        }
    }
    dst
}

/// What the hop-by-hop options say of a jumbo payload.
struct Jumbo {
    /// A valid Jumbo Payload option was found.
    found: bool,
    /// The IPv6 payload length field, replaced by a valid jumbo length.
    payload_len: u32,
}

const IP6OPT_PAD1: u8 = 0x00;
const IP6OPT_PADN: u8 = 0x01;
const IP6OPT_ROUTER_ALERT: u8 = 0x05;
const IP6OPT_JUMBO: u8 = 0xc2;
const IP6OPT_HOME_ADDRESS: u8 = 0xc9;

/// The hop-by-hop options header at `cp` (print-ip6opts.c `hbhopt_process`): `Some(its
/// length)`, or `None` after ` [|hbhopt]`.
fn hbhopt_process(
    nd: &mut Nd<'_>,
    data: &[u8],
    cp: usize,
    jumbo: &mut Jumbo,
) -> PResult<Option<usize>> {
    nd.protocol = "hbhopt";
    let hlen = (usize::from(get_u8(data, cp + 1)?) + 1) << 3;
    let Some(opts) = data.get(cp + 2..cp + hlen) else {
        print_trunc(nd);
        return Ok(None);
    };
    nd.print("HBH ");
    if !opt_process(nd, opts, Some(jumbo))? {
        print_trunc(nd);
        return Ok(None);
    }
    Ok(Some(hlen))
}

/// The destination options header at `cp` (print-ip6opts.c `dstopt_process`); its options
/// are printed only with `-v`.
fn dstopt_process(nd: &mut Nd<'_>, data: &[u8], cp: usize) -> PResult<Option<usize>> {
    nd.protocol = "dstopt";
    let hlen = (usize::from(get_u8(data, cp + 1)?) + 1) << 3;
    let Some(opts) = data.get(cp + 2..cp + hlen) else {
        print_trunc(nd);
        return Ok(None);
    };
    nd.print("DSTOPT ");
    if nd.opts.v > 0 && !opt_process(nd, opts, None)? {
        print_trunc(nd);
        return Ok(None);
    }
    Ok(Some(hlen))
}

/// The options of a hop-by-hop (`jumbo` given) or destination options header
/// (print-ip6opts.c `ip6_opt_process`). `Ok(false)` when an option overruns the header.
fn opt_process(nd: &mut Nd<'_>, opts: &[u8], mut jumbo: Option<&mut Jumbo>) -> PResult<bool> {
    let len = opts.len();
    let mut seen_jumbo = false;
    let mut i = 0;
    while i < len {
        let kind = get_u8(opts, i)?;
        let Some(optlen) = tlv_len(opts, i, len, kind == IP6OPT_PAD1)? else {
            return Ok(false);
        };
        let rest = opts.get(i..).unwrap_or(&[]);
        let ok = match kind {
            IP6OPT_JUMBO => print_jumbo(nd, rest, &mut seen_jumbo, jumbo.as_deref_mut())?,
            IP6OPT_HOME_ADDRESS => print_home_address(nd, rest, optlen)?,
            _ => print_option(nd, kind, rest)?,
        };
        if !ok {
            return Ok(false);
        }
        i += optlen;
    }
    if nd.opts.v > 0 && len > 0 {
        nd.print(" ");
    }
    Ok(true)
}

/// One option other than Jumbo Payload and Home Address; `opt` is the rest of the options
/// area from this option on. `Ok(false)` on an invalid length.
fn print_option(nd: &mut Nd<'_>, kind: u8, opt: &[u8]) -> PResult<bool> {
    let v = nd.opts.v > 0;
    match kind {
        IP6OPT_PAD1 if v => nd.print("(pad1)"),
        IP6OPT_PADN if v => nd.print("(padn)"),
        IP6OPT_PAD1 | IP6OPT_PADN => {}
        IP6OPT_ROUTER_ALERT => {
            if opt.len() < 4 {
                nd.print("(rtalert: trunc)");
                return Ok(false);
            }
            let l = get_u8(opt, 1)?;
            if l != 2 {
                nd.print("(rtalert: invalid len ");
                nd.print_dec(l);
                nd.print(")");
                return Ok(false);
            }
            if v {
                {
                    let v0 = get_be_u16(opt, 2)?;
                    nd.print("(rtalert: 0x");
                    nd.print_hex(v0, 4);
                    nd.print(") ");
                };
            }
        }
        _ => {
            if v {
                {
                    let v0 = get_u8(opt, 1)?;
                    nd.print("(opt_type 0x");
                    nd.print_hex(kind, 2);
                    nd.print(": len=");
                    nd.print_dec(v0);
                    nd.print(")");
                };
            }
        }
    }
    Ok(true)
}

/// The Jumbo Payload option (RFC 2675), valid only once, in a hop-by-hop header whose IPv6
/// payload length is zero, and for 65536 bytes or more.
fn print_jumbo(
    nd: &mut Nd<'_>,
    opt: &[u8],
    seen: &mut bool,
    jumbo: Option<&mut Jumbo>,
) -> PResult<bool> {
    let v = nd.opts.v > 0;
    if opt.len() < 6 {
        nd.print("(jumbo: trunc)");
        return Ok(false);
    }
    let l = get_u8(opt, 1)?;
    if l != 4 {
        nd.print("(jumbo: invalid len ");
        nd.print_dec(l);
        nd.print(")");
        return Ok(false);
    }
    let jumbolen = get_be_u32(opt, 2)?;
    let verdict = if *seen {
        " - already seen"
    } else {
        *seen = true;
        match jumbo {
            None => " - not a hop-by-hop option",
            Some(j) if j.payload_len != 0 => " - payload len != 0",
            Some(_) if jumbolen < 65536 => " - < 65536",
            Some(j) => {
                j.found = true;
                j.payload_len = jumbolen;
                ""
            }
        }
    };
    if v {
        nd.print("(jumbo: ");
        nd.print_dec(jumbolen);
        nd.print(verdict);
        nd.print(") ");
    }
    Ok(true)
}

/// The Home Address option (RFC 6275) and its sub-options; `opt` is the rest of the
/// options area, `optlen` this option's length.
fn print_home_address(nd: &mut Nd<'_>, opt: &[u8], optlen: usize) -> PResult<bool> {
    if opt.len() < 18 {
        nd.print("(homeaddr: trunc)");
        return Ok(false);
    }
    let l = get_u8(opt, 1)?;
    if l < 16 {
        nd.print("(homeaddr: invalid len ");
        nd.print_dec(l);
        nd.print(")");
        return Ok(false);
    }
    if nd.opts.v > 0 {
        nd.print("(homeaddr: ");
        print_addr_at(nd, opt, 2)?;
        let subs = opt.get(18..optlen).unwrap_or(&[]);
        if l > 16 && !print_sub_options(nd, subs)? {
            return Ok(false);
        }
        nd.print(")");
    }
    Ok(true)
}

/// Sub-options of a Home Address option (print-ip6opts.c `ip6_sopt_print`).
fn print_sub_options(nd: &mut Nd<'_>, opts: &[u8]) -> PResult<bool> {
    let len = opts.len();
    let mut i = 0;
    while i < len {
        let kind = get_u8(opts, i)?;
        let Some(optlen) = tlv_len(opts, i, len, kind == IP6OPT_PAD1)? else {
            return Ok(false);
        };
        match kind {
            IP6OPT_PAD1 => nd.print(", pad1"),
            IP6OPT_PADN => nd.print(", padn"),
            _ => {
                let v0 = get_u8(opts, i + 1)?;
                nd.print(", sopt_type 0x");
                nd.print_hex(kind, 2);
                nd.print(": len=");
                nd.print_dec(v0);
            }
        }
        i += optlen;
    }
    Ok(true)
}

/// The routing header at `cp` (print-rt6.c `rt6_print`): types 0 and 2 (addresses) and 4
/// (segment routing, RFC 8754). `Some(its length)`, or `None` after ` (invalid)`.
fn rt6_print(nd: &mut Nd<'_>, data: &[u8], cp: usize) -> PResult<Option<usize>> {
    nd.protocol = "rt6";
    nd.print("RT6");
    let rt = data.get(cp..).unwrap_or(&[]);
    let len = get_u8(rt, 1)?;
    nd.print(" (len=");
    nd.print_dec(len);
    let kind = get_u8(rt, 2)?;
    nd.print(", type=");
    nd.print_dec(kind);
    if kind == 0 {
        nd.print(" [Deprecated]");
    }
    {
        let v0 = get_u8(rt, 3)?;
        nd.print(", segleft=");
        nd.print_dec(v0);
    };
    match kind {
        0 | 2 => {
            let rsv = get_be_u32(rt, 4)?;
            if rsv != 0 || nd.opts.v > 0 {
                nd.print(", rsv=0x");
                nd.print_hex(rsv, 0);
            }
        }
        4 => {
            {
                let v0 = get_u8(rt, 4)?;
                nd.print(", last-entry=");
                nd.print_dec(v0);
            };
            let flags = get_u8(rt, 5)?;
            if flags != 0 || nd.opts.v > 0 {
                nd.print(", flags=0x");
                nd.print_hex(flags, 0);
            }
            {
                let v0 = get_be_u16(rt, 6)?;
                nd.print(", tag=");
                nd.print_hex(v0, 0);
            };
        }
        _ => {
            nd.print(" (unknown type)");
            print_invalid(nd);
            return Ok(None);
        }
    }
    if len % 2 == 1 {
        nd.print(" (invalid length ");
        nd.print_dec(len);
        nd.print(")");
        print_invalid(nd);
        return Ok(None);
    }
    for i in 0..usize::from(len / 2) {
        // The address is read before anything of its item is printed.
        let addr = Ipv6Addr::from(get_array::<16>(rt, 8 + 16 * i)?);
        nd.print(", [");
        nd.print_dec(i);
        nd.print("]");
        print_addr(nd, addr.into());
    }
    nd.print(") ");
    Ok(Some((usize::from(len) + 1) << 3))
}

/// The fragment header at `cp` (print-frag6.c `frag6_print`): `frag (id:offset|size)`.
/// `Some(8)` for a first fragment, whose payload is printed; `None` for later ones.
fn frag6_print(nd: &mut Nd<'_>, data: &[u8], cp: usize) -> PResult<Option<usize>> {
    nd.protocol = "frag6";
    let offset = get_be_u16(data, cp + 2)? & 0xfff8;
    let plen = u64::from(get_be_u16(data, 4)?);
    // Bytes after this header, as tcpdump computes them in an unsigned size_t.
    let size = (IP6_HDR_LEN as u64 + plen)
        .wrapping_sub(cp as u64)
        .wrapping_sub(8);
    if nd.opts.v > 0 {
        let ident = get_be_u32(data, cp + 4)?;
        nd.print("frag (0x");
        nd.print_hex(ident, 8);
        nd.print(":");
        nd.print_dec(offset);
        nd.print("|");
        nd.print_dec(size);
        nd.print(")");
    } else {
        nd.print("frag (");
        nd.print_dec(offset);
        nd.print("|");
        nd.print_dec(size);
        nd.print(")");
    }
    if offset != 0 {
        return Ok(None);
    }
    nd.print(" ");
    Ok(Some(8))
}

#[cfg(test)]
#[allow(clippy::indexing_slicing, clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::capture::print::testing::{opts, with_nd};
    use crate::capture::print::{PrintOptions, Trunc};
    use proptest::prelude::*;
    use std::net::{IpAddr, Ipv4Addr};

    /// An IPv6 datagram from 2001:db8::1 to 2001:db8::2 carrying a hop-by-hop header (router
    /// alert), a type 0 routing header naming 2001:db8::a then 2001:db8::b, a fragment header
    /// (first fragment, more to come) and 4 bytes of protocol 253.
    fn chain() -> Vec<u8> {
        let mut p = vec![
            0x60, 0x01, 0x23, 0x45, // version 6, class 0, flow label 0x12345
            0x00, 0x3c, 0x00, 0x40, // payload length 60, next header hop-by-hop, hlim 64
        ];
        p.extend(Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1).octets());
        p.extend(Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 2).octets());
        p.extend([43, 0, 0x05, 0x02, 0x00, 0x00, 0x01, 0x00]); // HBH: router alert, PadN
        p.extend([44, 4, 0, 2, 0, 0, 0, 0]); // routing: type 0, segleft 2, reserved
        p.extend(Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 0xa).octets());
        p.extend(Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 0xb).octets());
        p.extend([253, 0, 0x00, 0x01, 0x00, 0x00, 0x00, 0x07]); // fragment: offset 0, M, id 7
        p.extend(b"data");
        p
    }

    fn run(data: &[u8], len: u32, opts: &PrintOptions) -> (String, PResult) {
        with_nd(opts, |nd| print(nd, data, len))
    }

    fn addr(a: Ipv6Addr) -> String {
        let mut s = String::new();
        crate::capture::print::util::write_ip6_addr(&mut s, &a.octets());
        s
    }

    #[test]
    fn routing_header_names_the_final_destination() {
        let p = chain();
        let dst = Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 2);
        assert_eq!(
            final_dst(&p, dst),
            Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 0xb)
        );
        // Segment routing (type 4): segment 0 is the final destination.
        let mut srh = p.clone();
        srh[50] = 4;
        assert_eq!(
            final_dst(&srh, dst),
            Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 0xa)
        );
        // An odd length, or no routing header at all, leaves the header's destination.
        let mut odd = p.clone();
        odd[49] = 3;
        assert_eq!(final_dst(&odd, dst), dst);
        let mut none = p.clone();
        none[6] = 253;
        assert_eq!(final_dst(&none, dst), dst);
        // Cut inside the second address: the last complete one.
        let cut = &p[..80];
        assert_eq!(
            final_dst(cut, dst),
            Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 0xa)
        );
    }

    #[test]
    fn transport_context_after_the_chain() {
        let p = chain();
        let walk = Walk {
            orig: &p,
            data: &p,
            length: 100,
            len: 100,
            payload_len: 60,
            nested: false,
        };
        let pos = Pos {
            cp: 96,
            total_advance: 96,
            fragmented: true,
            ..Pos::default()
        };
        let ctx = walk.transport_ctx(&p, &pos).unwrap();
        assert!(ctx.fragmented && ctx.after_ext_headers && !ctx.nested);
        assert_eq!(
            ctx.pseudo_dst,
            IpAddr::from(Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 0xb))
        );
        let bare = Pos {
            cp: 40,
            total_advance: 40,
            ..Pos::default()
        };
        let ctx = walk.transport_ctx(&p, &bare).unwrap();
        assert!(!ctx.fragmented && !ctx.after_ext_headers);
    }

    #[test]
    fn addresses_print_as_std_does_except_ipv4_compatible() {
        for text in
            "::, ::1, 2001:db8::1:0:0:1, 1::, ::ffff:192.0.2.1, ::ffff:0.0.0.0, fe80::".split(", ")
        {
            let a: Ipv6Addr = text.parse().unwrap();
            assert_eq!(addr(a), a.to_string());
            assert_eq!(a.to_string(), text);
        }
        let compat = Ipv6Addr::new(0, 0, 0, 0, 0, 0, 0xc000, 0x0202);
        assert_eq!(addr(compat), format!("::{}", Ipv4Addr::new(192, 0, 2, 2)));
    }

    #[test]
    fn truncation_unwinds_only_where_tcpdump_longjmps() {
        let p = chain();
        for cut in 0..40 {
            assert_eq!(run(&p[..cut], 100, &opts(0)).1, Ok(()), "cut {cut}");
        }
        // The hop-by-hop length byte is missing: its read unwinds.
        assert_eq!(run(&p[..41], 100, &opts(0)).1, Err(Trunc));
        // Inside a routing header address: the address read unwinds.
        assert_eq!(run(&p[..70], 100, &opts(0)).1, Err(Trunc));
    }

    #[test]
    fn every_prefix_at_every_verbosity_prints_without_panic() {
        let p = chain();
        for v in 0..4 {
            for cut in 0..=p.len() {
                let _ = run(&p[..cut], 100, &opts(v));
            }
        }
    }

    proptest! {
        #[test]
        fn addresses_agree_with_std_outside_ipv4_forms(a in any::<[u8; 16]>()) {
            let ip = Ipv6Addr::from(a);
            let s = ip.segments();
            let compat = s[..6].iter().all(|w| *w == 0) && s[6] != 0;
            prop_assume!(!compat);
            prop_assert_eq!(addr(ip), ip.to_string());
        }

        #[test]
        fn mutated_chains_never_panic(
            flips in proptest::collection::vec((0usize..100, any::<u8>()), 0..8),
            cut in 0usize..=100,
            v in 0u8..4,
        ) {
            let mut p = chain();
            for (at, b) in flips {
                p[at] = b;
            }
            let _ = run(&p[..cut], 108, &opts(v));
            let _ = run(&p[..cut], u32::try_from(cut).unwrap(), &opts(v));
        }
    }
}
