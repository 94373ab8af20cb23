//! RIPng (RFC 2080), mirroring print-ripng.c at tcpdump-4.99.3: requests (including the
//! whole-table request) and responses with their route entries.
//!
//! Must not do I/O: it only reads the captured bytes.

use super::names::ip6addr_at;
use super::util::print_invalid;
use super::{get_be_u16, get_bytes, get_u8, Nd, PResult};
use crate::nd_print;

/// The command, version and two reserved bytes (print-ripng.c `struct rip6` less its entry).
const HDR_LEN: u32 = 4;
/// One route entry (print-ripng.c `struct netinfo6`).
const ENTRY_LEN: u32 = 20;
/// The metric of an unreachable route (print-ripng.c `HOPCNT_INFINITY6`).
const HOPCNT_INFINITY6: u8 = 16;

/// Print the RIPng packet at `data`; `length` is the UDP payload's length (print-ripng.c
/// `ripng_print`).
pub fn print(nd: &mut Nd<'_>, data: &[u8], length: u32) -> PResult {
    nd.protocol = "ripng";
    let vers = get_u8(data, 1)?;
    if vers != 1 {
        nd_print!(nd, " [vers {vers}]");
        print_invalid(nd);
        return Ok(());
    }
    let cmd = get_u8(data, 0)?;
    let (word, metric) = match cmd {
        1 => ("req", false),
        2 => ("resp", true),
        _ => {
            nd_print!(nd, " ripng-{cmd} ?? {length}");
            print_invalid(nd);
            return Ok(());
        }
    };
    let Some(mut left) = length.checked_sub(HDR_LEN) else {
        print_invalid(nd);
        return Ok(());
    };
    let j = left / ENTRY_LEN;
    if cmd == 1 && j == 1 && get_u8(data, 23)? == HOPCNT_INFINITY6 {
        // A request for the whole table: one entry, metric infinity, destination ::.
        if get_bytes(data, 4, 16)?.iter().all(|b| *b == 0) {
            nd.print(" ripng-req dump");
            return Ok(());
        }
    }
    if j * ENTRY_LEN != left {
        nd_print!(nd, " ripng-{word} {j}[{length}]:");
    } else {
        nd_print!(nd, " ripng-{word} {j}:");
    }
    let mut at = HDR_LEN as usize;
    while left >= ENTRY_LEN {
        nd.print(if nd.opts.v > 1 { "\n\t" } else { " " });
        entry_print(nd, data, at, metric)?;
        left -= ENTRY_LEN;
        at += ENTRY_LEN as usize;
    }
    if left != 0 {
        print_invalid(nd);
    }
    Ok(())
}

/// `PREFIX/LEN [tag] (metric)` (print-ripng.c `rip6_entry_print`).
fn entry_print(nd: &mut Nd<'_>, data: &[u8], at: usize, print_metric: bool) -> PResult {
    let dest = ip6addr_at(nd, data, at)?;
    nd_print!(nd, "{dest}/{}", get_u8(data, at + 18)?);
    let tag = get_be_u16(data, at + 16)?;
    if tag != 0 {
        nd_print!(nd, " [{tag}]");
    }
    let metric = get_u8(data, at + 19)?;
    if metric != 0 && print_metric {
        nd_print!(nd, " ({metric})");
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::capture::print::testing::run;
    use proptest::prelude::*;

    #[test]
    fn a_whole_table_request_and_a_response() {
        let mut d = vec![1, 1, 0, 0];
        d.extend_from_slice(&[0; 19]);
        d.push(16);
        assert_eq!(run(print, &d, 24, 0).0, " ripng-req dump");
        d[0] = 2;
        d[4] = 0x20;
        d[5] = 0x01;
        d[22] = 32;
        assert_eq!(run(print, &d, 24, 0).0, " ripng-resp 1: 2001::/32 (16)");
        assert_eq!(
            run(print, &d, 25, 0).0,
            " ripng-resp 1[25]: 2001::/32 (16) (invalid)"
        );
    }

    proptest! {
        #[test]
        fn arbitrary_packets_never_panic(
            data in proptest::collection::vec(any::<u8>(), 0..64),
            len in 0u32..100,
            v in 0u8..3,
        ) {
            let _ = run(print, &data, len, v);
        }
    }
}
