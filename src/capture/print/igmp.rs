//! IGMP versions 1 to 3 (RFC 1112, 2236, 3376) and multicast traceroute, mirroring
//! print-igmp.c at tcpdump-4.99.3; DVMRP goes to `dvmrp` and PIM version 1 to `pim`, as
//! tcpdump's `igmp_print` hands them on.
//!
//! Must not do I/O: it only reads the captured bytes.

use super::names::{ip4_at, print_addr};
use super::tok::{tok2str, Tok};
use super::util::{get_be_u24, unsigned_relts_print};
use super::{dvmrp, get_be_u16, get_be_u32, get_u8, pim, ttest, Nd, PResult};
use crate::capture::wire::checksum;
use crate::nd_print;

/// Group record types of a version 3 report (print-igmp.c `igmpv3report2str`).
const V3_REPORT_TYPES: [Tok; 6] = [
    (1, "is_in"),
    (2, "is_ex"),
    (3, "to_in"),
    (4, "to_ex"),
    (5, "allow"),
    (6, "block"),
];

/// The multicast traceroute query after the IGMP header (print-igmp.c `struct tr_query`).
mod tr {
    pub const SRC: usize = 8;
    pub const DST: usize = 12;
    pub const RADDR: usize = 16;
    pub const RTTL: usize = 20;
    pub const QID: usize = 21;
    /// The IGMP header and the query.
    pub const LEN: u32 = 8 + 16;
}

/// Print the IGMP message at `data`; `len` is the IP payload's length (print-igmp.c
/// `igmp_print`).
pub fn print(nd: &mut Nd<'_>, data: &[u8], len: u32) -> PResult {
    nd.protocol = "igmp";
    if nd.opts.q > 0 {
        nd.print("igmp");
        return Ok(());
    }
    match get_u8(data, 0)? {
        0x11 => {
            nd.print("igmp query");
            if len >= 12 {
                v3_query(nd, data, len)?;
            } else {
                v1v2_query(nd, data, len)?;
            }
        }
        0x12 => {
            let g = ip4_at(data, 4)?;
            nd.print("igmp v1 report ");
            print_addr(nd, g);
            if len != 8 {
                nd_print!(nd, " [len {len}]");
            }
        }
        0x16 => group_line(nd, data, "igmp v2 report ")?,
        0x22 => {
            nd.print("igmp v3 report");
            v3_report(nd, data, len)?;
        }
        0x17 => group_line(nd, data, "igmp leave ")?,
        0x13 => {
            nd.print("igmp dvmrp");
            if len < 8 {
                nd_print!(nd, " [len {len}]");
            } else {
                dvmrp::print(nd, data, len)?;
            }
        }
        0x14 => {
            nd.print("igmp pimv1");
            pim::pimv1_print(nd, data, len)?;
        }
        0x1e => mtrace(nd, "mresp", data, len)?,
        0x1f => mtrace(nd, "mtrace", data, len)?,
        t => nd_print!(nd, "igmp-{t}"),
    }
    if nd.opts.v > 0 && len >= 4 && ttest(data, 0, len as usize) {
        let msg = data.get(..len as usize).unwrap_or(data);
        if checksum::checksum(msg) != 0 {
            nd_print!(nd, " bad igmp cksum {:x}!", get_be_u16(data, 2)?);
        }
    }
    Ok(())
}

/// `TEXT` and the group address.
fn group_line(nd: &mut Nd<'_>, data: &[u8], text: &str) -> PResult {
    let g = ip4_at(data, 4)?;
    nd.print(text);
    print_addr(nd, g);
    Ok(())
}

/// A query shorter than version 3's.
fn v1v2_query(nd: &mut Nd<'_>, data: &[u8], len: u32) -> PResult {
    let mrt = get_u8(data, 1)?;
    if mrt != 0 {
        nd.print(" v2");
        if mrt != 100 {
            nd_print!(nd, " [max resp time {mrt}]");
        }
    } else {
        nd.print(" v1");
    }
    if get_be_u32(data, 4)? != 0 {
        let g = ip4_at(data, 4)?;
        nd.print(" [gaddr ");
        print_addr(nd, g);
        nd.print("]");
    }
    if len != 8 {
        nd_print!(nd, " [len {len}]");
    }
    Ok(())
}

/// print-igmp.c `print_igmpv3_query`.
fn v3_query(nd: &mut Nd<'_>, data: &[u8], len: u32) -> PResult {
    nd.print(" v3");
    if len < 12 || len & 3 != 0 {
        nd_print!(nd, " [invalid len {len}]");
        return Ok(());
    }
    let mrc = u32::from(get_u8(data, 1)?);
    let mrt = if mrc < 128 {
        mrc
    } else {
        ((mrc & 0x0f) | 0x10) << (((mrc & 0x70) >> 4) + 3)
    };
    if mrc != 100 {
        nd.print(" [max resp time ");
        if mrt < 600 {
            nd_print!(nd, "{:.1}s", f64::from(mrt) * 0.1);
        } else {
            unsigned_relts_print(nd, mrt / 10);
        }
        nd.print("]");
    }
    if get_be_u32(data, 4)? == 0 {
        return Ok(());
    }
    let g = ip4_at(data, 4)?;
    nd.print(" [gaddr ");
    print_addr(nd, g);
    let nsrcs = u32::from(get_be_u16(data, 10)?);
    if nsrcs > 0 {
        if len < 12 + (nsrcs << 2) {
            nd.print(" [invalid number of sources]");
        } else if nd.opts.v > 1 {
            nd.print(" {");
            for i in 0..nsrcs as usize {
                let s = ip4_at(data, 12 + 4 * i)?;
                nd.print(" ");
                print_addr(nd, s);
            }
            nd.print(" }");
        } else {
            nd_print!(nd, ", {nsrcs} source(s)");
        }
    }
    nd.print("]");
    Ok(())
}

/// print-igmp.c `print_igmpv3_report`.
fn v3_report(nd: &mut Nd<'_>, data: &[u8], len: u32) -> PResult {
    if len < 16 || len & 3 != 0 {
        nd_print!(nd, " [invalid len {len}]");
        return Ok(());
    }
    let ngroups = get_be_u16(data, 6)?;
    nd_print!(nd, ", {ngroups} group record(s)");
    if nd.opts.v == 0 {
        return Ok(());
    }
    let mut group: u32 = 8;
    for _ in 0..ngroups {
        if len < group + 8 {
            nd.print(" [invalid number of groups]");
            return Ok(());
        }
        let at = group as usize;
        let g = ip4_at(data, at + 4)?;
        nd.print(" [gaddr ");
        print_addr(nd, g);
        let rtype = get_u8(data, at)?;
        nd_print!(
            nd,
            " {}",
            tok2str(&V3_REPORT_TYPES, " [v3-report-#%u]", u32::from(rtype))
        );
        let nsrcs = u32::from(get_be_u16(data, at + 2)?);
        if len < group + 8 + (nsrcs << 2) {
            nd_print!(nd, " [invalid number of sources {nsrcs}]");
            return Ok(());
        }
        if nd.opts.v == 1 {
            nd_print!(nd, ", {nsrcs} source(s)");
        } else {
            nd.print(" {");
            for j in 0..nsrcs as usize {
                let s = ip4_at(data, at + 8 + 4 * j)?;
                nd.print(" ");
                print_addr(nd, s);
            }
            nd.print(" }");
        }
        group += 8 + (nsrcs << 2);
        nd.print("]");
    }
    Ok(())
}

/// A multicast traceroute query or response (print-igmp.c `print_mtrace`).
fn mtrace(nd: &mut Nd<'_>, name: &str, data: &[u8], len: u32) -> PResult {
    if len < tr::LEN {
        nd_print!(nd, " [invalid len {len}]");
        return Ok(());
    }
    let qid = get_be_u24(data, tr::QID)?;
    let (src, dst, raddr) = (
        ip4_at(data, tr::SRC)?,
        ip4_at(data, tr::DST)?,
        ip4_at(data, tr::RADDR)?,
    );
    nd_print!(nd, "{name} {qid}: ");
    print_addr(nd, src);
    nd.print(" to ");
    print_addr(nd, dst);
    nd.print(" reply-to ");
    print_addr(nd, raddr);
    // A multicast response address (IN_CLASSD).
    if get_be_u32(data, tr::RADDR)? & 0xf000_0000 == 0xe000_0000 {
        nd_print!(nd, " with-ttl {}", get_u8(data, tr::RTTL)?);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capture::print::testing::run;

    /// A version 3 report: one group record (is_ex 239.1.1.1) with one source.
    fn report() -> Vec<u8> {
        let mut d = vec![0x22, 0, 0, 0, 0, 0, 0, 1];
        d.extend_from_slice(&[2, 0, 0, 1, 239, 1, 1, 1, 192, 0, 2, 7]);
        let ck = checksum::checksum(&d).to_be_bytes();
        d.splice(2..4, ck);
        d
    }

    #[test]
    fn sources_show_at_vv_and_checksums_verify() {
        let d = report();
        let (out, r) = run(print, &d, 20, 1);
        assert_eq!(r, Ok(()));
        assert!(
            out.contains("1 source(s)") && !out.contains("bad igmp cksum"),
            "{out}"
        );
        let (out, _) = run(print, &d, 20, 2);
        assert!(out.contains("{ 192.0.2.7 }"), "{out}");
        let mut bad = d.clone();
        bad.splice(19..20, [8]);
        let (out, _) = run(print, &bad, 20, 1);
        assert!(out.contains("bad igmp cksum"), "{out}");
    }

    #[test]
    fn max_response_codes_decode_as_rfc_3376() {
        let mut q = vec![0x11, 0x8a, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        let (out, _) = run(print, &q, 12, 0);
        // 0x8a: mantissa 10, exponent 0 -> (0x1a << 3) tenths = 20.8s.
        assert!(out.contains("[max resp time 20.8s]"), "{out}");
        q.splice(1..2, [100]);
        let (out, _) = run(print, &q, 12, 0);
        assert!(!out.contains("max resp"), "{out}");
    }

    crate::arbitrary_bytes_never_panic!(print);
}
