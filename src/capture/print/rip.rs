//! RIP (RFC 1058, RFC 2453, RFC 4822), mirroring print-rip.c at tcpdump-4.99.3: version 1
//! and 2 requests and responses with their route entries and version 2's authentication
//! entries.
//!
//! Must not do I/O: it only reads the captured bytes.

use super::names::ipaddr_at;
use super::tok::{tok2str, Tok};
use super::util::{mask2plen, print_invalid, print_trunc, print_unknown_data, printjnp};
use super::{get_be_u16, get_be_u32, get_u8, ttest, Nd, PResult};
use crate::nd_print;

/// The command, version and two unused bytes (print-rip.c `struct rip`).
const HDR_LEN: usize = 4;
/// One route entry (print-rip.c `RIP_ROUTELEN`).
const ROUTELEN: usize = 20;
/// A simple password (print-rip.c `RIP_AUTHLEN`).
const AUTHLEN: usize = 16;
/// The header of a cryptographic authentication entry (print-rip.c
/// `struct rip_auth_crypto_v2`).
const AUTH_CRYPTO_LEN: usize = 16;

/// print-rip.c `rip_cmd_values`.
const COMMANDS: &[Tok] = &[
    (1, "Request"),
    (2, "Response"),
    (3, "Trace on"),
    (4, "Trace off"),
    (5, "Poll"),
    (6, "Poll Entry"),
];

const AF_INET: u16 = 2;

/// What an entry printer reports: its size, or that it could not be printed
/// (print-rip.c's return of 0, shown as ` [|rip]`).
type Entry = Option<usize>;

/// Print the RIP packet at `data`; `length` is the UDP payload's length (print-rip.c
/// `rip_print`).
pub fn print(nd: &mut Nd<'_>, data: &[u8], length: u32) -> PResult {
    nd.protocol = "rip";
    let len = data.len().min(length as usize);
    let Some(len) = len.checked_sub(HDR_LEN) else {
        print_trunc(nd);
        return Ok(());
    };
    let vers = get_u8(data, 1)?;
    let nl = if nd.opts.v >= 1 { "\n\t" } else { "" };
    nd_print!(nd, "{nl}RIPv{vers}");
    if vers == 0 {
        print_unknown_data(nd, data, 0, "\n\t", length as usize);
        return Ok(());
    }
    let cmd = get_u8(data, 0)?;
    let name = tok2str(COMMANDS, "unknown command (%u)", cmd.into());
    nd_print!(nd, ", {name}, length: {length}");
    if nd.opts.v < 1 {
        return Ok(());
    }
    match cmd {
        1 | 2 => match vers {
            1 | 2 => {
                let routes = length as usize / ROUTELEN;
                let more = if vers == 2 { " or less" } else { "" };
                nd_print!(nd, ", routes: {routes}{more}");
                entries_print(nd, data, len, vers)?;
            }
            _ => nd.print(", unknown version"),
        },
        4..=6 => {}
        _ => {
            if nd.opts.v <= 1 {
                print_unknown_data(nd, data, 0, "\n\t", length as usize);
            }
        }
    }
    if nd.opts.v > 1 {
        print_unknown_data(nd, data, 0, "\n\t", length as usize);
    }
    Ok(())
}

/// The route entries: `len` bytes after the header.
fn entries_print(nd: &mut Nd<'_>, data: &[u8], mut len: usize, vers: u8) -> PResult {
    let mut p = HDR_LEN;
    while len != 0 {
        let entry = if vers == 1 {
            entry_v1_print(nd, data, p, len)?
        } else {
            entry_v2_print(nd, data, p, len)?
        };
        let Some(size) = entry else {
            print_trunc(nd);
            break;
        };
        if len < size {
            nd_print!(nd, " [remaining entries length {len} < {size}]");
            print_invalid(nd);
            break;
        }
        p += size;
        len -= size;
    }
    Ok(())
}

/// An RFC 1058 entry (print-rip.c `rip_entry_print_v1`).
fn entry_v1_print(nd: &mut Nd<'_>, data: &[u8], p: usize, remaining: usize) -> PResult<Entry> {
    if remaining < ROUTELEN || !ttest(data, p, ROUTELEN) {
        return Ok(None);
    }
    let family = get_be_u16(data, p)?;
    if family != AF_INET && family != 0 {
        let af = tok2str(&super::tok::BSD_AF_VALUES, "Unknown (%u)", family.into());
        nd_print!(nd, "\n\t AFI {af}, ");
        print_unknown_data(nd, data, p + 4, "\n\t  ", ROUTELEN - 4);
        return Ok(Some(ROUTELEN));
    }
    if get_be_u16(data, p + 2)? != 0
        || get_be_u32(data, p + 8)? != 0
        || get_be_u32(data, p + 12)? != 0
    {
        // Must-be-zero fields that are not.
        print_unknown_data(nd, data, p, "\n\t  ", ROUTELEN);
        return Ok(Some(ROUTELEN));
    }
    let dest = ipaddr_at(nd, data, p + 4)?;
    let metric = get_be_u32(data, p + 16)?;
    let afi = if family == 0 { "AFI 0, " } else { "" };
    nd_print!(nd, "\n\t  {afi}{dest}, metric: {metric}");
    Ok(Some(ROUTELEN))
}

/// An RFC 2453 entry or authentication entry (print-rip.c `rip_entry_print_v2`).
fn entry_v2_print(nd: &mut Nd<'_>, data: &[u8], p: usize, remaining: usize) -> PResult<Entry> {
    if remaining < 4 || !ttest(data, p, 4) {
        return Ok(None);
    }
    let family = get_be_u16(data, p)?;
    if family == 0xffff {
        return auth_print(nd, data, p + 4, remaining - 4);
    }
    if family != AF_INET && family != 0 {
        let af = tok2str(&super::tok::BSD_AF_VALUES, "Unknown (%u)", family.into());
        nd_print!(nd, "\n\t  AFI {af}");
        print_unknown_data(nd, data, p + 4, "\n\t  ", ROUTELEN - 4);
        return Ok(Some(ROUTELEN));
    }
    if !ttest(data, p, ROUTELEN) || remaining < ROUTELEN {
        return Ok(None);
    }
    let af = tok2str(&super::tok::BSD_AF_VALUES, "%u", family.into());
    let dest = ipaddr_at(nd, data, p + 4)?;
    let plen = mask2plen(get_be_u32(data, p + 8)?);
    let tag = get_be_u16(data, p + 2)?;
    let metric = get_be_u32(data, p + 16)?;
    nd_print!(
        nd,
        "\n\t  AFI {af}, {dest:>15}/{plen:<2}, tag 0x{tag:04x}, metric: {metric}, next-hop: "
    );
    if get_be_u32(data, p + 12)? != 0 {
        let router = ipaddr_at(nd, data, p + 12)?;
        nd.print(&router);
    } else {
        nd.print("self");
    }
    Ok(Some(ROUTELEN))
}

/// An authentication entry's body at `p`, `remaining` bytes left in the packet.
fn auth_print(nd: &mut Nd<'_>, data: &[u8], p: usize, remaining: usize) -> PResult<Entry> {
    let auth_type = get_be_u16(data, p - 2)?;
    match auth_type {
        2 => {
            nd.print("\n\t  Simple Text Authentication data: ");
            printjnp(nd, data, p, AUTHLEN)?;
        }
        3 => {
            if !ttest(data, p, AUTH_CRYPTO_LEN) || remaining < AUTH_CRYPTO_LEN {
                return Ok(None);
            }
            nd.print("\n\t  Auth header:");
            nd_print!(nd, " Packet Len {},", get_be_u16(data, p)?);
            nd_print!(nd, " Key-ID {},", get_u8(data, p + 2)?);
            nd_print!(nd, " Auth Data Len {},", get_u8(data, p + 3)?);
            nd_print!(nd, " SeqNo {},", get_be_u32(data, p + 4)?);
            nd_print!(nd, " MBZ {},", get_be_u32(data, p + 8)?);
            nd_print!(nd, " MBZ {}", get_be_u32(data, p + 12)?);
        }
        _ => {
            // The trailer, or data of unknown length: both run to the end of the packet.
            if auth_type == 1 {
                nd.print("\n\t  Auth trailer:");
            } else {
                nd_print!(nd, "\n\t  Unknown ({auth_type}) Authentication data:");
            }
            print_unknown_data(nd, data, p, "\n\t  ", remaining);
            return Ok(Some(4 + remaining));
        }
    }
    Ok(Some(ROUTELEN))
}

#[cfg(test)]
#[allow(clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::capture::print::testing::{opts, with_nd};
    use proptest::prelude::*;

    fn run(data: &[u8], v: u8) -> (String, PResult) {
        with_nd(&opts(v), |nd| print(nd, data, 24))
    }

    /// A RIPv2 response with one route, 10.1.0.0/16 metric 2 via self.
    fn response() -> Vec<u8> {
        let mut d = vec![2, 2, 0, 0, 0, 2, 0, 0, 10, 1, 0, 0, 255, 255, 0, 0];
        d.extend_from_slice(&[0, 0, 0, 0, 0, 0, 0, 2]);
        d
    }

    #[test]
    fn terse_and_verbose() {
        assert_eq!(run(&response(), 0).0, "RIPv2, Response, length: 24");
        let (out, r) = run(&response(), 1);
        assert_eq!(r, Ok(()));
        assert!(
            out.ends_with("AFI IPv4,        10.1.0.0/16, tag 0x0000, metric: 2, next-hop: self"),
            "{out}"
        );
    }

    #[test]
    fn every_prefix_prints_what_was_captured() {
        let d = response();
        for cut in 0..d.len() {
            let (out, r) = run(d.get(..cut).unwrap_or(&[]), 1);
            assert_eq!(r, Ok(()), "cut {cut}");
            // print-rip.c only walks the entries the capture holds.
            if cut == 4 {
                assert!(out.ends_with("or less"), "cut {cut}: {out}");
            } else {
                assert!(out.ends_with(" [|rip]"), "cut {cut}: {out}");
            }
        }
    }

    proptest! {
        #[test]
        fn arbitrary_packets_never_panic(
            data in proptest::collection::vec(any::<u8>(), 0..80),
            v in 0u8..3,
        ) {
            let _ = run(&data, v);
        }
    }
}
