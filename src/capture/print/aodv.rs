//! Ad hoc On-Demand Distance Vector routing (RFC 3561, UDP port 654) and its IPv6 drafts,
//! mirroring print-aodv.c at tcpdump-4.99.3: route requests, replies, errors and
//! acknowledgements, with their first extension.
//!
//! Over IPv6, types 1 to 3 carry IPv6 addresses in the RFC's order; types 16 to 19 are
//! draft-perkins-manet-aodv6-01's, whatever the IP version. As print-aodv.c does, the request
//! and reply flags are read from the type byte (so a draft request shows `[D]`), and a
//! message shorter than its layout prints ` [|aodv]`.
//!
//! Must not do I/O: it only reads the captured bytes.

use super::names::{ip4_at, ip6_at, print_addr};
use super::util::{print_trunc, ttest};
use super::{get_be_u32, get_u8, Nd, PResult};
use crate::nd_print;

/// The addresses a message carries and where its fields sit.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Family {
    /// RFC 3561 over IPv4.
    V4,
    /// RFC 3561's layout with IPv6 addresses.
    V6,
    /// draft-perkins-manet-aodv6-01: the sequence numbers before the addresses.
    Draft01,
}

impl Family {
    fn addr_len(self) -> usize {
        match self {
            Family::V4 => 4,
            Family::V6 | Family::Draft01 => 16,
        }
    }
}

/// The type byte's flags a request shows (print-aodv.c `RREQ_*`), the last with its space.
const RREQ_FLAGS: [(u8, &str); 4] = [(0x80, "[J]"), (0x40, "[R]"), (0x20, "[G]"), (0x10, "[D]")];
const RREQ_UNKNOWN: u8 = 0x08;
const RREP_REPAIR: u8 = 0x80;
const RREP_ACK: u8 = 0x40;
const RERR_NODELETE: u8 = 0x80;
/// The Hello extension: type, length and a 32-bit interval.
const EXT_HELLO: u8 = 1;
const EXT_HELLO_LEN: usize = 6;
/// An extension's type and length.
const EXT_HDR_LEN: usize = 2;
/// An error message's type, flags, reserved byte and destination count.
const RERR_HDR_LEN: usize = 4;

/// Print the AODV message at `data`; `length` is the UDP payload's length, `ip6` whether it
/// came over IPv6 (`aodv_print`).
pub fn print(nd: &mut Nd<'_>, data: &[u8], length: u32, ip6: bool) -> PResult {
    nd.protocol = "aodv";
    let kind = get_u8(data, 0)?;
    nd.print(" aodv");
    let family = if ip6 { Family::V6 } else { Family::V4 };
    let length = length as usize;
    match kind {
        1 => rreq(nd, data, length, family),
        2 => rrep(nd, data, length, family),
        3 => rerr(nd, data, length, family),
        16 => rreq(nd, data, length, Family::Draft01),
        17 => rrep(nd, data, length, Family::Draft01),
        18 => rerr(nd, data, length, Family::Draft01),
        4 | 19 => {
            nd_print!(nd, " rrep-ack {length}");
            Ok(())
        }
        _ => {
            nd_print!(nd, " type {kind} {length}");
            Ok(())
        }
    }
}

/// The address of `family` at `at`, named as tcpdump names it.
fn addr_print(nd: &mut Nd<'_>, data: &[u8], at: usize, family: Family) -> PResult {
    let a = match family {
        Family::V4 => ip4_at(data, at)?,
        Family::V6 | Family::Draft01 => ip6_at(data, at)?,
    };
    print_addr(nd, a);
    Ok(())
}

/// `\n\tdst ADDR seq N src ADDR` of a request or reply: the destination at `da`, the word
/// before its sequence number, the number at `ds` and the originator at `oa`.
fn route_print(
    nd: &mut Nd<'_>,
    data: &[u8],
    family: Family,
    (da, seq, ds, oa): (usize, &str, usize, usize),
) -> PResult {
    nd.print("\n\tdst ");
    addr_print(nd, data, da, family)?;
    nd_print!(nd, " {seq} {} src ", get_be_u32(data, ds)?);
    addr_print(nd, data, oa, family)
}

/// Whether the `size` bytes of a message's fixed part were captured and fit in `length`;
/// ` [|aodv]` when not (print-aodv.c's `ND_TCHECK_SIZE` and length check).
fn fixed_part(nd: &mut Nd<'_>, data: &[u8], length: usize, size: usize) -> bool {
    if ttest(data, 0, size) && length >= size {
        return true;
    }
    print_trunc(nd);
    false
}

/// A route request (`aodv_rreq`, `aodv_v6_rreq`, `aodv_v6_draft_01_rreq`).
fn rreq(nd: &mut Nd<'_>, data: &[u8], length: usize, family: Family) -> PResult {
    let a = family.addr_len();
    let size = 8 + 2 * (a + 4);
    if !fixed_part(nd, data, length, size) {
        return Ok(());
    }
    // Destination, its sequence number, originator, its sequence number.
    let (da, ds, oa, os) = match family {
        Family::Draft01 => (16, 8, 16 + a, 12),
        _ => (8, 8 + a, 12 + a, 12 + 2 * a),
    };
    let kind = get_u8(data, 0)?;
    nd.print(if family == Family::V6 {
        " v6 rreq "
    } else {
        " rreq "
    });
    nd.print_u32(length as u32);
    nd.print(" ");
    for (bit, name) in RREQ_FLAGS {
        if kind & bit != 0 {
            nd.print(name);
        }
    }
    nd.print(if kind & RREQ_UNKNOWN != 0 {
        "[U] "
    } else {
        " "
    });
    nd_print!(
        nd,
        "hops {} id 0x{:08x}",
        get_u8(data, 3)?,
        get_be_u32(data, 4)?
    );
    route_print(nd, data, family, (da, "seq", ds, oa))?;
    nd_print!(nd, " seq {}", get_be_u32(data, os)?);
    extension(nd, data, size, length - size)
}

/// A route reply (`aodv_rrep`, `aodv_v6_rrep`, `aodv_v6_draft_01_rrep`).
fn rrep(nd: &mut Nd<'_>, data: &[u8], length: usize, family: Family) -> PResult {
    let a = family.addr_len();
    let size = 8 + 2 * a + 4;
    if !fixed_part(nd, data, length, size) {
        return Ok(());
    }
    // Destination, its sequence number, originator, lifetime.
    let (da, ds, oa, life) = match family {
        Family::Draft01 => (8, 4, 8 + a, 8 + 2 * a),
        _ => (4, 4 + a, 8 + a, 8 + 2 * a),
    };
    let kind = get_u8(data, 0)?;
    nd_print!(
        nd,
        " rrep {length} {}{}prefix {} hops {}",
        if kind & RREP_REPAIR != 0 { "[R]" } else { "" },
        if kind & RREP_ACK != 0 { "[A] " } else { " " },
        get_u8(data, 2)? & 0x1f,
        get_u8(data, 3)?
    );
    route_print(nd, data, family, (da, "dseq", ds, oa))?;
    nd_print!(nd, " {} ms", get_be_u32(data, life)?);
    extension(nd, data, size, length - size)
}

/// A route error and its unreachable destinations (`aodv_rerr`, `aodv_v6_rerr`,
/// `aodv_v6_draft_01_rerr`).
fn rerr(nd: &mut Nd<'_>, data: &[u8], length: usize, family: Family) -> PResult {
    if !fixed_part(nd, data, length, RERR_HDR_LEN) {
        return Ok(());
    }
    let flags = get_u8(data, 1)?;
    let count = get_u8(data, 3)?;
    let nodelete = if flags & RERR_NODELETE != 0 {
        "[D]"
    } else {
        ""
    };
    nd_print!(nd, " rerr {nodelete} [items {count}] [{length}]:");
    let item = family.addr_len() + 4;
    let (mut at, mut left) = (RERR_HDR_LEN, length - RERR_HDR_LEN);
    for _ in 0..count {
        if !ttest(data, at, item) || left < item {
            print_trunc(nd);
            return Ok(());
        }
        nd.print(" {");
        addr_print(nd, data, at, family)?;
        nd_print!(nd, "}}({})", get_be_u32(data, at + item - 4)?);
        at += item;
        left -= item;
    }
    Ok(())
}

/// The extension after a request or reply, when `left` bytes leave room for its header
/// (`aodv_extension`).
fn extension(nd: &mut Nd<'_>, data: &[u8], at: usize, left: usize) -> PResult {
    if left < EXT_HDR_LEN {
        return Ok(());
    }
    if !ttest(data, at, EXT_HDR_LEN) {
        print_trunc(nd);
        return Ok(());
    }
    let kind = get_u8(data, at)?;
    let len = get_u8(data, at + 1)?;
    if kind != EXT_HELLO {
        nd_print!(nd, "\n\text {kind} {len}");
    } else if !ttest(data, at, EXT_HELLO_LEN) || left < EXT_HELLO_LEN {
        print_trunc(nd);
    } else if len < 4 {
        nd_print!(nd, "\n\text HELLO - bad length {len}");
    } else {
        nd_print!(nd, "\n\text HELLO {} ms", get_be_u32(data, at + 2)?);
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::capture::print::testing::{opts, with_nd};
    use crate::capture::print::Trunc;

    fn run(data: &[u8], ip6: bool) -> (String, PResult) {
        with_nd(&opts(1), |nd| print(nd, data, data.len() as u32, ip6))
    }

    /// An IPv4 request (its flags byte ignored, as print-aodv.c does) and a Hello extension.
    fn rreq4() -> Vec<u8> {
        let mut d = vec![1, 0x28, 0, 3, 0xde, 0xad, 0xbe, 0xef];
        d.extend([10, 0, 0, 9, 0, 0, 0, 7, 10, 0, 0, 1, 0, 0, 1, 0]);
        d.extend([1, 4, 0, 0, 3, 0xe8]);
        d
    }

    #[test]
    fn a_request_with_its_hello() {
        let (out, r) = run(&rreq4(), false);
        assert_eq!(r, Ok(()));
        assert_eq!(
            out,
            " aodv rreq 30  hops 3 id 0xdeadbeef\n\tdst 10.0.0.9 seq 7 \
             src 10.0.0.1 seq 256\n\text HELLO 1000 ms"
        );
    }

    #[test]
    fn draft_replies_and_errors_carry_ipv6_addresses() {
        let mut d = vec![17, 0, 0x3f, 2, 0, 0, 0, 5];
        d.extend([0x20, 1, 0x0d, 0xb8]);
        d.extend([0; 11]);
        d.push(1);
        d.extend([0; 15]);
        d.push(2);
        d.extend([0, 0, 0x0b, 0xb8]);
        let (out, _) = run(&d, false);
        assert_eq!(
            out,
            " aodv rrep 44  prefix 31 hops 2\n\tdst 2001:db8::1 dseq 5 src ::2 3000 ms"
        );
        let mut e = vec![18, 0x80, 0, 1];
        e.extend([0; 15]);
        e.extend([9, 0, 0, 0, 4]);
        assert_eq!(run(&e, false).0, " aodv rerr [D] [items 1] [24]: {::9}(4)");
    }

    #[test]
    fn short_messages_and_cuts_print_the_marker() {
        let d = rreq4();
        assert_eq!(
            with_nd(&opts(0), |nd| print(nd, &d[..20], 20, false)).0,
            " aodv [|aodv]"
        );
        for cut in 1..d.len() {
            let (out, r) = with_nd(&opts(0), |nd| print(nd, &d[..cut], 30, false));
            assert_eq!(r, Ok(()));
            assert!(out.ends_with(" [|aodv]"), "{cut}: {out}");
        }
        assert_eq!(run(&[], false).1, Err(Trunc));
        assert_eq!(run(&[4, 0], true).0, " aodv rrep-ack 2");
        assert_eq!(run(&[99], true).0, " aodv type 99 1");
    }

    crate::arbitrary_bytes_never_panic!(|nd: &mut Nd<'_>, data: &[u8], len: u32| {
        print(nd, data, len, len % 2 == 0)
    });
}
