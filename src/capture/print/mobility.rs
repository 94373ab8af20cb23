//! The IPv6 mobility header (RFC 6275; print-mobility.c at tcpdump-4.99.3): the last header
//! `ip6` prints when it meets one.
//!
//! Must not do I/O: it only reads the captured bytes.

use std::net::Ipv6Addr;

use super::names::print_addr;
use super::util::{print_trunc, tlv_len};
use super::{get_array, get_be_u16, get_be_u32, get_u8, ttest, Nd, PResult};
use crate::nd_print;

/// Message type names (print-mobility.c `ip6m_str`).
const TYPE_NAMES: [&str; 8] = ["BRR", "HoTI", "CoTI", "HoT", "CoT", "BU", "BA", "BE"];

/// The smallest header length of each message type (print-mobility.c `ip6m_hdrlen`).
const MIN_LEN: [usize; 8] = [8, 16, 16, 24, 24, 12, 12, 24];

/// Binding update flags, printed without separator (print-mobility.c
/// `ip6m_binding_update_bits`).
const BU_BITS: [(u8, &str); 4] = [(0x08, "A"), (0x04, "H"), (0x02, "L"), (0x01, "K")];

/// Print the mobility header `mh` (from its first byte to the end of the capture): `Some(its
/// length)`, or `None` after ` [|mobility]`.
pub fn print(nd: &mut Nd<'_>, mh: &[u8]) -> PResult<Option<usize>> {
    nd.protocol = "mobility";
    let Ok(units) = get_u8(mh, 1) else {
        print_trunc(nd);
        return Ok(None);
    };
    let mhlen = (usize::from(units) + 1) << 3;
    let kind = get_u8(mh, 2)?;
    if let Some(&min) = MIN_LEN.get(usize::from(kind)) {
        if mhlen < min {
            nd_print!(nd, "(header length {mhlen} is too small for type {kind})");
            print_trunc(nd);
            return Ok(None);
        }
    }
    match TYPE_NAMES.get(usize::from(kind)) {
        Some(name) => nd_print!(nd, "mobility: {name}"),
        None => nd_print!(nd, "mobility: type-#{kind}"),
    }
    let hlen = match print_message(nd, mh, kind)? {
        Body::Options(at) => at,
        Body::Unknown => {
            nd_print!(nd, " len={units}");
            return Ok(Some(mhlen));
        }
        Body::Truncated => {
            print_trunc(nd);
            return Ok(None);
        }
    };
    if nd.opts.v > 0 && !print_options(nd, mh, hlen, mhlen.saturating_sub(hlen))? {
        print_trunc(nd);
        return Ok(None);
    }
    Ok(Some(mhlen))
}

/// How a message's fields ended.
enum Body {
    /// Printed; its options start at this offset.
    Options(usize),
    /// A message type without fields to print.
    Unknown,
    /// Cut by the capture where tcpdump checks and returns (not unwinding).
    Truncated,
}

/// The fields of message `kind`.
fn print_message(nd: &mut Nd<'_>, mh: &[u8], kind: u8) -> PResult<Body> {
    let v = nd.opts.v > 0;
    let home = if kind == 1 || kind == 3 {
        "Home"
    } else {
        "Care-of"
    };
    let hlen = match kind {
        0 => 8,
        1 | 2 => {
            if v {
                print_pair(nd, mh, home, "Init Cookie", 8)?;
            }
            16
        }
        3 | 4 => {
            nd_print!(nd, " nonce id=0x{:x}", get_be_u16(mh, 6)?);
            if v {
                print_pair(nd, mh, home, "Init Cookie", 8)?;
                print_pair(nd, mh, home, "Keygen Token", 16)?;
            }
            24
        }
        5 => return print_binding_update(nd, mh),
        6 => {
            nd_print!(nd, " status={}", get_u8(mh, 6)?);
            if get_u8(mh, 7)? & 0x80 != 0 {
                nd.print(" K");
            }
            nd_print!(nd, " seq#={}", get_be_u16(mh, 8)?);
            nd_print!(nd, " lifetime={}", u32::from(get_be_u16(mh, 10)?) << 2);
            12
        }
        7 => {
            nd_print!(nd, " status={}", get_u8(mh, 6)?);
            let addr = Ipv6Addr::from(get_array::<16>(mh, 8)?);
            nd.print(" homeaddr ");
            print_addr(nd, addr.into());
            24
        }
        _ => return Ok(Body::Unknown),
    };
    Ok(Body::Options(hlen))
}

/// ` Home Init Cookie=xxxxxxxx:xxxxxxxx` and the like: two 32-bit words at `at`.
fn print_pair(nd: &mut Nd<'_>, mh: &[u8], who: &str, what: &str, at: usize) -> PResult {
    let (hi, lo) = (get_be_u32(mh, at)?, get_be_u32(mh, at + 4)?);
    nd_print!(nd, " {who} {what}={hi:08x}:{lo:08x}");
    Ok(())
}

/// A binding update: sequence number, flags and lifetime. Its options start at 12.
fn print_binding_update(nd: &mut Nd<'_>, mh: &[u8]) -> PResult<Body> {
    nd_print!(nd, " seq#={}", get_be_u16(mh, 6)?);
    if !ttest(mh, 8, 2) {
        return Ok(Body::Truncated);
    }
    let bits = (get_u8(mh, 8)? & 0xf0) >> 4;
    if bits != 0 {
        nd.print(" ");
        for (bit, name) in BU_BITS {
            if bits & bit != 0 {
                nd.print(name);
            }
        }
    }
    nd_print!(nd, " lifetime={}", u32::from(get_be_u16(mh, 10)?) << 2);
    Ok(Body::Options(12))
}

/// The mobility options from `start`, `len` bytes (print-mobility.c `mobility_opt_print`).
/// `Ok(false)` when an option overruns the header or the byte after it was not captured.
fn print_options(nd: &mut Nd<'_>, mh: &[u8], start: usize, len: usize) -> PResult<bool> {
    let opts = mh.get(start..).unwrap_or(&[]);
    let mut i = 0;
    while i < len {
        let kind = get_u8(opts, i)?;
        let Some(optlen) = tlv_len(opts, i, len, kind == 0)? else {
            return Ok(false);
        };
        if !ttest(opts, i + optlen, 1) {
            return Ok(false);
        }
        if !print_option(nd, opts, i, len - i, kind)? {
            return Ok(false);
        }
        i += optlen;
    }
    Ok(true)
}

/// The option at `i`, with `left` bytes of options from it on: `Ok(false)` when too short.
fn print_option(nd: &mut Nd<'_>, opts: &[u8], i: usize, left: usize, kind: u8) -> PResult<bool> {
    const NAMES: [(u8, usize, &str); 5] = [
        (1, 2, "padn"),
        (2, 4, "refresh"),
        (3, 18, "altcoa"),
        (4, 6, "ni"),
        (5, 12, "auth"),
    ];
    if let Some((_, min, name)) = NAMES.iter().find(|(k, _, _)| *k == kind) {
        if left < *min {
            nd_print!(nd, "({name}: trunc)");
            return Ok(false);
        }
    }
    match kind {
        0 => nd.print("(pad1)"),
        1 => nd.print("(padn)"),
        2 => nd_print!(
            nd,
            "(refresh: {})",
            u32::from(get_be_u16(opts, i + 2)?) << 2
        ),
        3 => {
            let addr = Ipv6Addr::from(get_array::<16>(opts, i + 2)?);
            nd.print("(alt-CoA: ");
            print_addr(nd, addr.into());
            nd.print(")");
        }
        4 => {
            let (ho, co) = (get_be_u16(opts, i + 2)?, get_be_u16(opts, i + 4)?);
            nd_print!(nd, "(ni: ho=0x{ho:04x} co=0x{co:04x})");
        }
        5 => nd.print("(auth)"),
        _ => nd_print!(nd, "(type-0x{kind:02x}: len={})", get_u8(opts, i + 1)?),
    }
    Ok(true)
}

#[cfg(test)]
#[allow(clippy::indexing_slicing, clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::capture::print::testing::{opts, with_nd};
    use proptest::prelude::*;

    /// A binding update: payload protocol none (59), 24 bytes, sequence 7, flags A and H,
    /// lifetime 25 units, then a refresh option, a PadN and one byte after the header.
    const BU: [u8; 25] = [
        59, 2, 5, 0, 0, 0, // payload proto, length 2 (24 bytes), type BU, reserved, checksum
        0x00, 0x07, 0xc0, 0x00, 0x00, 0x19, // sequence 7, flags A H, lifetime 25
        0x02, 0x02, 0x00, 0x0f, // refresh, 15 units
        0x01, 0x06, 0, 0, 0, 0, 0, 0,    // PadN of 8
        0xff, // the byte after the header
    ];

    fn run(data: &[u8], v: u8) -> (String, PResult<Option<usize>>) {
        with_nd(&opts(v), |nd| print(nd, data))
    }

    #[test]
    fn whole_header_gives_its_length() {
        for v in 0..3 {
            assert_eq!(run(&BU, v).1, Ok(Some(24)), "v{v}");
        }
        // With -v the options need the byte after the header.
        assert_eq!(run(&BU[..24], 1).1, Ok(None));
        assert_eq!(run(&BU[..24], 0).1, Ok(Some(24)));
    }

    #[test]
    fn cuts_return_or_unwind_where_tcpdump_does() {
        assert_eq!(run(&BU[..1], 0).1, Ok(None), "no length byte: checked");
        assert!(run(&BU[..2], 0).1.is_err(), "no type byte: read");
        assert_eq!(run(&BU[..9], 0).1, Ok(None), "flags: checked");
        assert!(run(&BU[..11], 0).1.is_err(), "lifetime: read");
    }

    #[test]
    fn too_short_for_its_type() {
        let mut h = BU;
        h[1] = 0;
        assert_eq!(run(&h, 0).1, Ok(None));
    }

    proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(
            data in proptest::collection::vec(any::<u8>(), 0..64),
            v in 0u8..3,
        ) {
            let _ = run(&data, v);
            let mut d = BU.to_vec();
            for (i, b) in data.iter().enumerate().take(d.len()) {
                if b % 3 == 0 {
                    d[i] = *b;
                }
            }
            let _ = run(&d, v);
        }
    }
}
