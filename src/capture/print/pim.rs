//! PIM (RFC 7761, RFC 3973, RFC 5015, RFC 5059) and Cisco's auto-RP, mirroring print-pim.c at
//! tcpdump-4.99.3: version 1 as IGMP carries it, version 2 with its checksum verdict, hello
//! options, register, join/prune, bootstrap, assert, candidate-RP, state refresh and DF
//! election messages.
//!
//! Must not do I/O: it only reads the captured bytes.

use super::names::{ip4_at, ip6_at, print_addr};
use super::tok::{tok2str, Tok};
use super::util::{print_invalid, print_trunc, print_unknown_data, unsigned_relts_print};
use super::{get_be_u16, get_be_u32, get_u8, ttest, IpCtx, Nd, PResult};
use crate::capture::wire::checksum;
use crate::nd_print;

/// The IP protocol number (`IPPROTO_PIM`).
pub const IPPROTO_PIM: u8 = 103;

/// Version 1 message types (print-pim.c `pimv1_type_str`).
const V1_TYPES: [Tok; 8] = [
    (0, "Query"),
    (1, "Register"),
    (2, "Register-Stop"),
    (3, "Join/Prune"),
    (4, "RP-reachable"),
    (5, "Assert"),
    (6, "Graft"),
    (7, "Graft-ACK"),
];

/// Version 2 message types (print-pim.c `pimv2_type_values`).
const V2_TYPES: [Tok; 12] = [
    (0, "Hello"),
    (1, "Register"),
    (2, "Register Stop"),
    (3, "Join / Prune"),
    (4, "Bootstrap"),
    (5, "Assert"),
    (6, "Graft"),
    (7, "Graft Acknowledgement"),
    (8, "Candidate RP Advertisement"),
    (9, "Prune Refresh"),
    (10, "DF Election"),
    (11, "ECMP Redirect"),
];

const V2_HELLO: u8 = 0;
const V2_REGISTER: u8 = 1;
const V2_REGISTER_STOP: u8 = 2;
const V2_JOIN_PRUNE: u8 = 3;
const V2_BOOTSTRAP: u8 = 4;
const V2_ASSERT: u8 = 5;
const V2_GRAFT: u8 = 6;
const V2_GRAFT_ACK: u8 = 7;
const V2_CANDIDATE_RP: u8 = 8;
const V2_PRUNE_REFRESH: u8 = 9;
const V2_DF_ELECTION: u8 = 10;

/// Hello option names (print-pim.c `pimv2_hello_option_values`).
const HELLO_OPTIONS: [Tok; 9] = [
    (1, "Hold Time"),
    (2, "LAN Prune Delay"),
    (18, "DR Priority (Old)"),
    (19, "DR Priority"),
    (20, "Generation ID"),
    (21, "State Refresh Capability"),
    (22, "Bi-Directional Capability"),
    (24, "Address List"),
    (65001, "Address List (Old)"),
];

/// Register flags, matched as a whole word (print-pim.c `pimv2_register_flag_values`).
const REGISTER_FLAGS: [Tok; 2] = [(0x8000_0000, "Border"), (0x4000_0000, "Null")];

/// DF election subtypes (print-pim.c `pimv2_df_election_flag_values`).
const DF_ELECTION: [Tok; 4] = [(1, "Offer"), (2, "Winner"), (3, "Backoff"), (4, "Pass")];
const DF_BACKOFF: u8 = 3;
const DF_PASS: u8 = 4;

/// Print the PIM message at `data`; `len` is the IP payload's length and `ip` the header
/// that carried it (print-pim.c `pim_print`).
pub fn print(nd: &mut Nd<'_>, data: &[u8], len: u32, ip: &IpCtx) -> PResult {
    nd.protocol = "pim";
    let typever = get_u8(data, 0)?;
    let (ver, ty) = (typever >> 4, typever & 0x0f);
    let type_name = tok2str(&V2_TYPES, "Unknown Type", u32::from(ty));
    match ver {
        2 if nd.opts.v == 0 => nd_print!(nd, "PIMv{ver}, {type_name}, length {len}"),
        2 => {
            nd_print!(nd, "PIMv{ver}, length {len}\n\t{type_name}");
            return v2::print(nd, data, len, ip);
        }
        _ => nd_print!(nd, "PIMv{ver}, length {len}"),
    }
    Ok(())
}

/// Version 1, inside an IGMP message whose start is `data` (print-pim.c `pimv1_print`).
pub fn pimv1_print(nd: &mut Nd<'_>, data: &[u8], len: u32) -> PResult {
    nd.protocol = "pimv1";
    let ty = get_u8(data, 1)?;
    nd_print!(nd, " {}", tok2str(&V1_TYPES, "[type %u]", u32::from(ty)));
    match ty {
        0 => v1_query(nd, data)?,
        1 => {
            if !ttest(data, 8, 20) {
                print_trunc(nd);
                return Ok(());
            }
            v1_for(nd, data, 20, 24)?;
        }
        2 => v1_for(nd, data, 8, 12)?,
        4 if nd.opts.v > 0 => v1_rp_reachable(nd, data)?,
        5 => v1_assert(nd, data)?,
        3 | 6 | 7 if nd.opts.v > 0 => {
            let Some(rest) = len.checked_sub(8) else {
                print_trunc(nd);
                return Ok(());
            };
            v1_join_prune(nd, data.get(8..).unwrap_or(&[]), rest)?;
        }
        _ => {}
    }
    let v = get_u8(data, 4)? >> 4;
    if v != 1 {
        nd_print!(nd, " [v{v}]");
    }
    Ok(())
}

/// The query's mode and, with `-v`, hold time.
fn v1_query(nd: &mut Nd<'_>, data: &[u8]) -> PResult {
    if let Ok(b) = get_u8(data, 8) {
        match b >> 4 {
            0 => nd.print(" Dense-mode"),
            1 => nd.print(" Sparse-mode"),
            2 => nd.print(" Sparse-Dense-mode"),
            m => nd_print!(nd, " mode-{m}"),
        }
    }
    if nd.opts.v > 0 {
        nd.print(" (Hold-time ");
        unsigned_relts_print(nd, u32::from(get_be_u16(data, 10)?));
        nd.print(")");
    }
    Ok(())
}

/// ` for SRC > DST`, the two addresses at `src` and `dst`.
fn v1_for(nd: &mut Nd<'_>, data: &[u8], src: usize, dst: usize) -> PResult {
    let (s, d) = (ip4_at(data, src)?, ip4_at(data, dst)?);
    nd.print(" for ");
    print_addr(nd, s);
    nd.print(" > ");
    print_addr(nd, d);
    Ok(())
}

/// `/MASK` after a group, unless the mask at `at` is all ones.
fn v1_mask(nd: &mut Nd<'_>, data: &[u8], at: usize) -> PResult {
    if get_be_u32(data, at)? != 0xffff_ffff {
        let m = ip4_at(data, at)?;
        nd.print("/");
        print_addr(nd, m);
    }
    Ok(())
}

fn v1_rp_reachable(nd: &mut Nd<'_>, data: &[u8]) -> PResult {
    let g = ip4_at(data, 8)?;
    nd.print(" group ");
    print_addr(nd, g);
    v1_mask(nd, data, 12)?;
    let rp = ip4_at(data, 16)?;
    nd.print(" RP ");
    print_addr(nd, rp);
    nd.print(" hold ");
    unsigned_relts_print(nd, u32::from(get_be_u16(data, 22)?));
    Ok(())
}

fn v1_assert(nd: &mut Nd<'_>, data: &[u8]) -> PResult {
    v1_for(nd, data, 16, 8)?;
    v1_mask(nd, data, 12)?;
    let rpt = get_u8(data, 20)? & 0x80 != 0;
    let pref = get_be_u32(data, 20)? & 0x7fff_ffff;
    let metric = get_be_u32(data, 24)?;
    let tree = if rpt { "RP-tree" } else { "SPT" };
    nd_print!(nd, " {tree} pref {pref} metric {metric}");
    Ok(())
}

/// Join/prune, graft and graft-ack bodies, from the upstream neighbour on
/// (print-pim.c `pimv1_join_prune_print`); a short body ends in ` [|pimv1]`.
fn v1_join_prune(nd: &mut Nd<'_>, bp: &[u8], len: u32) -> PResult {
    if ttest(bp, 0, 30) && get_u8(bp, 11)? == 1 {
        let njoin = get_be_u16(bp, 20)?;
        if u32::from(njoin) + u32::from(get_be_u16(bp, 22)?) == 1 {
            return v1_join_prune_line(nd, bp, njoin);
        }
    }
    if v1_join_prune_list(nd, bp, len)?.is_none() {
        print_trunc(nd);
    }
    Ok(())
}

/// One group, one source: a single line.
fn v1_join_prune_line(nd: &mut Nd<'_>, bp: &[u8], njoin: u16) -> PResult {
    let rpf = ip4_at(bp, 0)?;
    nd.print(" RPF ");
    print_addr(nd, rpf);
    nd.print(" ");
    let hold = get_be_u16(bp, 6)?;
    if hold != 180 {
        nd.print("Hold ");
        unsigned_relts_print(nd, u32::from(hold));
    }
    let (src, flags, group) = (ip4_at(bp, 26)?, get_u8(bp, 25)?, ip4_at(bp, 12)?);
    nd_print!(nd, "{} (", if njoin != 0 { "Join" } else { "Prune" });
    print_addr(nd, src);
    nd_print!(nd, "/{}, ", flags & 0x3f);
    print_addr(nd, group);
    v1_mask(nd, bp, 16)?;
    let sparse = get_u8(bp, 24)? & 0x01 != 0;
    let flags = get_u8(bp, 25)?;
    nd_print!(
        nd,
        ") {}{} {}",
        if sparse { "Sparse" } else { "Dense" },
        if flags & 0x80 != 0 { " WC" } else { "" },
        if flags & 0x40 != 0 { "RP" } else { "SPT" }
    );
    Ok(())
}

/// The general form; `None` where the length runs out (tcpdump's `goto trunc`).
fn v1_join_prune_list(nd: &mut Nd<'_>, bp: &[u8], mut len: u32) -> PResult<Option<()>> {
    if len < 4 {
        return Ok(None);
    }
    let vv = nd.opts.v > 1;
    if vv {
        nd.print("\n");
    }
    let up = ip4_at(bp, 0)?;
    nd.print(" Upstream Nbr: ");
    print_addr(nd, up);
    len -= 4;
    if len < 4 {
        return Ok(None);
    }
    if vv {
        nd.print("\n");
    }
    nd.print(" Hold time: ");
    unsigned_relts_print(nd, u32::from(get_be_u16(bp, 6)?));
    if !vv {
        return Ok(Some(()));
    }
    len -= 4;
    if len < 4 {
        return Ok(None);
    }
    let ngroups = get_u8(bp, 11)?;
    let mut c = (12, len - 4);
    for _ in 0..ngroups {
        if v1_group(nd, bp, &mut c)?.is_none() {
            return Ok(None);
        }
    }
    Ok(Some(()))
}

/// One group of a join/prune list and its sources; `c` is the offset and the length left.
fn v1_group(nd: &mut Nd<'_>, bp: &[u8], c: &mut (usize, u32)) -> PResult<Option<()>> {
    let (mut at, mut len) = *c;
    if len < 4 {
        return Ok(None);
    }
    let g = ip4_at(bp, at)?;
    nd.print("\n\tGroup: ");
    print_addr(nd, g);
    at += 4;
    len -= 4;
    if len < 4 {
        return Ok(None);
    }
    v1_mask(nd, bp, at)?;
    at += 4;
    len -= 4;
    if len < 4 {
        return Ok(None);
    }
    let (njoin, nprune) = (get_be_u16(bp, at)?, get_be_u16(bp, at + 2)?);
    nd_print!(nd, " joined: {njoin} pruned: {nprune}");
    at += 4;
    len -= 4;
    for i in 0..u32::from(njoin) + u32::from(nprune) {
        if len < 6 {
            return Ok(None);
        }
        let (f0, f1, a) = (get_u8(bp, at)?, get_u8(bp, at + 1)?, ip4_at(bp, at + 2)?);
        nd_print!(
            nd,
            "\n\t{} {}{}{}",
            if i < u32::from(njoin) {
                "Join "
            } else {
                "Prune"
            },
            if f0 & 0x01 != 0 { "Sparse " } else { "Dense " },
            if f1 & 0x80 != 0 { "WC " } else { "" },
            if f1 & 0x40 != 0 { "RP " } else { "SPT " }
        );
        print_addr(nd, a);
        nd_print!(nd, "/{}", f1 & 0x3f);
        at += 6;
        len -= 6;
    }
    *c = (at, len);
    Ok(Some(()))
}

/// Cisco auto-RP over UDP (print-pim.c `cisco_autorp_print`).
pub fn cisco_autorp_print(nd: &mut Nd<'_>, data: &[u8], len: u32) -> PResult {
    nd.protocol = "cisco_autorp";
    if len < 8 {
        print_trunc(nd);
        return Ok(());
    }
    nd.print(" auto-rp ");
    match get_u8(data, 0)? {
        0x11 => nd.print("candidate-advert"),
        0x12 => nd.print("mapping"),
        t => nd_print!(nd, "type-0x{t:02x}"),
    }
    let numrps = get_u8(data, 1)?;
    nd.print(" Hold ");
    match get_be_u16(data, 2)? {
        0 => nd.print("FOREVER"),
        hold => unsigned_relts_print(nd, u32::from(hold)),
    }
    if autorp_rps(nd, data, len - 8, numrps)?.is_none() {
        print_trunc(nd);
    }
    Ok(())
}

/// The group entries of one RP; `c` is the offset and the length left.
fn autorp_entries(
    nd: &mut Nd<'_>,
    data: &[u8],
    c: &mut (usize, u32),
    nentries: u8,
) -> PResult<Option<()>> {
    let (mut at, mut len) = *c;
    for i in 0..nentries {
        if len < 6 {
            return Ok(None);
        }
        let (f, mask, a) = (
            get_u8(data, at)?,
            get_u8(data, at + 1)?,
            ip4_at(data, at + 2)?,
        );
        let sep = if i == 0 { ' ' } else { ',' };
        nd_print!(nd, "{sep}{}", if f & 1 != 0 { "!" } else { "" });
        print_addr(nd, a);
        nd_print!(nd, "/{mask}");
        if f & 0x02 != 0 {
            nd.print(" bidir");
        }
        if f & 0xfc != 0 {
            nd_print!(nd, "[rsvd=0x{:02x}]", f & 0xfc);
        }
        at += 6;
        len -= 6;
    }
    *c = (at, len);
    Ok(Some(()))
}

/// The RP records of an auto-RP message; `None` where the length runs out.
fn autorp_rps(nd: &mut Nd<'_>, data: &[u8], mut len: u32, numrps: u8) -> PResult<Option<()>> {
    let mut at = 8;
    for _ in 0..numrps {
        if len < 4 {
            return Ok(None);
        }
        let rp = ip4_at(data, at)?;
        nd.print(" RP ");
        print_addr(nd, rp);
        at += 4;
        len -= 4;
        if len < 1 {
            return Ok(None);
        }
        let b = get_u8(data, at)?;
        nd.print(match b & 3 {
            0 => " PIMv?",
            1 => " PIMv1",
            2 => " PIMv2",
            _ => " PIMv1+2",
        });
        if b & 0xfc != 0 {
            nd_print!(nd, " [rsvd=0x{:02x}]", b & 0xfc);
        }
        at += 1;
        len -= 1;
        if len < 1 {
            return Ok(None);
        }
        let nentries = get_u8(data, at)?;
        at += 1;
        len -= 1;
        let mut c = (at, len);
        if autorp_entries(nd, data, &mut c, nentries)?.is_none() {
            return Ok(None);
        }
        (at, len) = c;
    }
    Ok(Some(()))
}

mod v2;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capture::print::testing::{ctx, opts, with_nd};
    use proptest::prelude::*;

    fn run(data: &[u8], len: u32, v: u8) -> (String, PResult) {
        with_nd(&opts(v), |nd| print(nd, data, len, &ctx(false)))
    }

    /// A PIMv2 hello with a hold time and a generation id, checksum filled in.
    fn hello() -> Vec<u8> {
        let mut d = vec![0x20, 0, 0, 0];
        d.extend_from_slice(&[0, 1, 0, 2, 0, 105]); // hold time 105s
        d.extend_from_slice(&[0, 20, 0, 4, 0xde, 0xad, 0xbe, 0xef]); // generation id
        let ck = checksum::checksum(&d).to_be_bytes();
        d.splice(2..4, ck);
        d
    }

    #[test]
    fn checksum_verdicts() {
        let d = hello();
        let (out, r) = run(&d, 18, 1);
        assert_eq!(r, Ok(()));
        assert!(out.contains("(correct)") && out.contains("1m45s"), "{out}");
        let mut bad = d.clone();
        bad.splice(17..18, [0]);
        let (out, _) = run(&bad, 18, 1);
        assert!(out.contains("(incorrect)"), "{out}");
        let (out, _) = run(d.get(..17).unwrap_or(&[]), 18, 1);
        assert!(out.contains("(unverified)"), "{out}");
    }

    #[test]
    fn cut_options_end_in_a_local_marker_or_unwind() {
        let d = hello();
        for cut in 0..d.len() {
            let (out, r) = run(d.get(..cut).unwrap_or(&[]), 18, 2);
            assert!(r.is_err() || out.ends_with(" [|pimv2]"), "cut {cut}: {out}");
        }
    }

    #[test]
    fn a_bad_option_length_is_invalid() {
        let mut d = hello();
        d.splice(7..8, [3]);
        let (out, r) = run(&d, 18, 1);
        assert_eq!(r, Ok(()));
        assert!(out.ends_with("[option length 3 != 2] (invalid)"), "{out}");
    }

    proptest! {
        #[test]
        fn arbitrary_messages_never_panic(
            data in proptest::collection::vec(any::<u8>(), 0..120),
            len in 0u32..200,
            v in 0u8..3,
            v6 in any::<bool>(),
        ) {
            let ip = ctx(v6);
            let _ = with_nd(&opts(v), |nd| print(nd, &data, len, &ip));
            let _ = with_nd(&opts(v), |nd| pimv1_print(nd, &data, len));
            let _ = with_nd(&opts(v), |nd| cisco_autorp_print(nd, &data, len));
        }
    }
}
