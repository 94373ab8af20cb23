//! DNS messages and domain names, mirroring print-domain.c at tcpdump-4.99.3: `domain_print`
//! for DNS over UDP and TCP (RFC 1035), mDNS (RFC 6762) and EDNS(0) (RFC 6891), and
//! `fqdn_print` (RFC 1035 section 4.1.4 compression, RFC 2673 bit-string labels), which the
//! ICMPv6 DNSSL option (RFC 8106) uses too. Record data and EDNS options are printed by
//! `rdata`; the name tables live in `tables`.
//!
//! Must not import `echo` or do I/O; prints into `Nd` without allocating.

use super::{get_be_u16, get_be_u32, get_u8, ttest, Nd, PResult};

const MAXCDNAME: usize = 255;

/// The length of the label at `cp`, or `None` (with a note for bad types) when it cannot be
/// used (print-domain.c `labellen`).
fn labellen(nd: &mut Nd<'_>, data: &[u8], cp: usize) -> PResult<Option<usize>> {
    if !ttest(data, cp, 1) {
        return Ok(None);
    }
    let i = get_u8(data, cp)?;
    Ok(match i & 0xc0 {
        0x40 if i & 0x3f != 1 => {
            {
                let v0 = i & 0x3f;
                nd.print("<ELT ");
                nd.print_dec(v0);
                nd.print(">");
            };
            None
        }
        0x40 => {
            if !ttest(data, cp + 1, 1) {
                return Ok(None);
            }
            let bits = match get_u8(data, cp + 1)? {
                0 => 256,
                b => usize::from(b),
            };
            Some(bits.div_ceil(8) + 1)
        }
        0x80 => {
            nd.print("<BAD LABEL TYPE>");
            None
        }
        _ => Some(usize::from(i)),
    })
}

/// The label at `cp`: its first byte and its length (see `labellen`), `None` when it was not
/// captured or cannot be printed.
fn label_at(nd: &mut Nd<'_>, data: &[u8], cp: usize) -> PResult<Option<(u8, usize)>> {
    if !ttest(data, cp, 1) {
        return Ok(None);
    }
    let i = get_u8(data, cp)?;
    Ok(labellen(nd, data, cp)?.map(|l| (i, l)))
}

/// A domain name at `cp`, compression offsets counted from `bp` (print-domain.c
/// `fqdn_print`): the offset after the name, `None` when it could not be printed.
pub fn fqdn_print(
    nd: &mut Nd<'_>,
    data: &[u8],
    mut cp: usize,
    bp: usize,
) -> PResult<Option<usize>> {
    let Some((mut i, mut l)) = label_at(nd, data, cp)? else {
        return Ok(None);
    };
    // print-domain.c computes `cp - bp` as an unsigned int: EDNS CHAIN options and
    // print-dhcp6.c pass a `bp` past `cp`, which wraps.
    let mut max_offset = (cp as u32).wrapping_sub(bp as u32);
    cp += 1;
    let mut compress = false;
    let mut rp = if i & 0xc0 != 0xc0 { Some(cp + l) } else { None };
    if i == 0 {
        nd.print(".");
        return Ok(rp);
    }
    let mut name_chars = 0usize;
    while i != 0 && cp < data.len() {
        match i & 0xc0 {
            0xc0 => {
                if !compress {
                    rp = Some(cp + 1);
                    compress = true;
                }
                if !ttest(data, cp, 1) {
                    return Ok(None);
                }
                let offset = ((u32::from(i) << 8) | u32::from(get_u8(data, cp)?)) & 0x3fff;
                if offset >= max_offset {
                    nd.print("<BAD PTR>");
                    return Ok(None);
                }
                max_offset = offset;
                cp = bp.wrapping_add(offset as usize);
                let Some(next) = label_at(nd, data, cp)? else {
                    return Ok(None);
                };
                (i, l) = next;
                cp += 1;
                continue;
            }
            0x40 if i & 0x3f == 1 => blabel_print(nd, data, cp)?,
            0x40 => {
                {
                    let v0 = i & 0x3f;
                    nd.print("<ELT ");
                    nd.print_dec(v0);
                    nd.print(">");
                };
                return Ok(None);
            }
            0x80 => {
                nd.print("<BAD LABEL TYPE>");
                return Ok(None);
            }
            _ => {
                let n = if name_chars + l <= MAXCDNAME {
                    l
                } else {
                    MAXCDNAME.saturating_sub(name_chars)
                };
                if n > 0 && super::util::printn(nd, data, cp, n) {
                    return Ok(None);
                }
                name_chars += l;
            }
        }
        cp += l;
        if name_chars <= MAXCDNAME {
            nd.print(".");
        }
        name_chars += 1;
        let Some(next) = label_at(nd, data, cp)? else {
            return Ok(None);
        };
        (i, l) = next;
        cp += 1;
        if !compress {
            rp = rp.map(|r| r + l + 1);
        }
    }
    if name_chars > MAXCDNAME {
        nd.print("<DOMAIN NAME TOO LONG>");
    }
    Ok(rp)
}

/// An EDNS0 bit-string label: `\[xHEX/BITS]` (print-domain.c `blabel_print`).
fn blabel_print(nd: &mut Nd<'_>, data: &[u8], cp: usize) -> PResult {
    let bitlen = match get_u8(data, cp)? {
        0 => 256,
        b => u32::from(b),
    };
    let lim = cp + 1 + (bitlen as usize).div_ceil(4);
    nd.print("\\[x");
    let (mut bitp, mut b) = (cp + 1, bitlen);
    while bitp < lim && b > 7 {
        nd.print_hex(get_u8(data, bitp)?, 2);
        b -= 8;
        bitp += 1;
    }
    if b > 4 {
        let tc = get_u8(data, bitp)?;
        nd.print_hex(tc & (0xffu8 << (8 - b)), 2);
    } else if b > 0 {
        let tc = get_u8(data, bitp)?;
        crate::nd_print!(nd, "{:1x}", ((tc >> 4) & 0x0f) & (0x0fu8 << (4 - b)));
    }
    nd.print("/");
    nd.print_dec(bitlen);
    nd.print("]");
    Ok(())
}

// DNS messages (print-domain.c `domain_print`, `ns_qprint`, `ns_rprint`).

mod rdata;
mod tables;

use rdata::{rdata_print, Rr};
use tables::*;

/// ` NAME` or ` Type%u` (print-domain.c `tok2str(ns_type2str, ...)`).
fn print_type(nd: &mut Nd<'_>, t: u16) {
    match tok(TYPES, t) {
        Some(s) => {
            nd.print(" ");
            nd.print(s);
        }
        None => {
            nd.print(" Type");
            nd.print_dec(t);
        }
    }
}

/// ` NAME` or ` (Class %u)`.
fn print_class(nd: &mut Nd<'_>, c: u16) {
    match tok(CLASSES, c) {
        Some(s) => {
            nd.print(" ");
            nd.print(s);
        }
        None => {
            nd.print(" (Class ");
            nd.print_dec(c);
            nd.print(")");
        }
    }
}

/// ` (invalid)` (util-print.c `nd_print_invalid`).
fn print_invalid(nd: &mut Nd<'_>) {
    nd.print(" (invalid)");
}

/// ` [|domain]`, after which `domain_print` returns normally (its `goto trunc`).
fn print_trunc(nd: &mut Nd<'_>) {
    super::util::print_trunc(nd);
}

/// The offset after the name at `cp`, without printing it; `None` when it runs past the
/// capture or uses a label type that cannot be skipped (print-domain.c `ns_nskip`).
fn ns_nskip(m: &[u8], mut cp: usize) -> Option<usize> {
    let mut i = *m.get(cp)?;
    cp += 1;
    while i != 0 {
        match i & 0xc0 {
            0xc0 => return Some(cp + 1),
            0x40 => {
                if i & 0x3f != 1 {
                    return None;
                }
                let bitlen = match *m.get(cp)? {
                    0 => 256,
                    b => usize::from(b),
                };
                cp += 1 + bitlen.div_ceil(8);
            }
            0x80 => return None,
            _ => cp += usize::from(i),
        }
        i = *m.get(cp)?;
        cp += 1;
    }
    Some(cp)
}

/// A `<character-string>` (print-domain.c `ns_cprint`): the offset after it.
fn ns_cprint(nd: &mut Nd<'_>, m: &[u8], cp: usize) -> PResult<Option<usize>> {
    let Some(&n) = m.get(cp) else {
        return Ok(None);
    };
    let n = usize::from(n);
    if super::util::printn(nd, m, cp + 1, n) {
        return Ok(None);
    }
    Ok(Some(cp + 1 + n))
}

/// Print a DNS message; `data` starts at the message (after the 2-byte length when
/// `over_tcp`) and `length` is its on-wire length (print-domain.c `domain_print`).
pub fn domain_print(
    nd: &mut Nd<'_>,
    data: &[u8],
    mut length: u32,
    over_tcp: bool,
    is_mdns: bool,
) -> PResult {
    nd.protocol = "domain";
    let mut m = data;
    if over_tcp {
        // RFC 1035 section 4.2.2: a 2-byte length excluding itself.
        if length < 2 {
            nd.print(" [DNS over TCP: length ");
            nd.print_dec(length);
            nd.print(" < 2]");
            print_invalid(nd);
            return Ok(());
        }
        length -= 2;
        let prefix = get_be_u16(data, 0)?;
        if u32::from(prefix) != length {
            nd.print(" [prefix length(");
            nd.print_dec(prefix);
            nd.print(") != length(");
            nd.print_dec(length);
            nd.print(")]");
            print_invalid(nd);
            return Ok(());
        }
        m = data.get(2..).unwrap_or(&[]);
        nd.print(" ");
    }
    if length < HDR_LEN as u32 {
        nd.print("domain [length ");
        nd.print_dec(length);
        nd.print(" < ");
        nd.print_dec(HDR_LEN);
        nd.print("]");
        print_invalid(nd);
        return Ok(());
    }
    if !ttest(m, 0, HDR_LEN) {
        print_trunc(nd);
        return Ok(());
    }
    let h = Header::read(m)?;
    let done = if h.flags & 0x8000 != 0 {
        print_response(nd, m, &h, is_mdns)?
    } else {
        print_query(nd, m, &h, is_mdns)?
    };
    if done {
        nd.print(" (");
        nd.print_u32(length);
        nd.print(")");
    } else {
        print_trunc(nd);
    }
    Ok(())
}

/// The fixed header's fields.
struct Header {
    id: u16,
    flags: u16,
    qd: u32,
    an: u32,
    ns: u32,
    ar: u32,
}

impl Header {
    fn read(m: &[u8]) -> PResult<Header> {
        Ok(Header {
            id: get_be_u16(m, 0)?,
            flags: get_be_u16(m, 2)?,
            qd: u32::from(get_be_u16(m, 4)?),
            an: u32::from(get_be_u16(m, 6)?),
            ns: u32::from(get_be_u16(m, 8)?),
            ar: u32::from(get_be_u16(m, 10)?),
        })
    }

    fn opcode(&self) -> u16 {
        (self.flags >> 11) & 0xf
    }

    fn has(&self, bit: u16) -> bool {
        self.flags & bit != 0
    }
}

/// The response code with the upper 8 bits an OPT record carries (RFC 6891 section 6.1.3),
/// found by skipping every record up to the first OPT in the additional section.
fn extended_rcode(m: &[u8], h: &Header) -> PResult<u16> {
    let rcode = h.flags & 0xf;
    let end = m.len();
    let mut cp = HDR_LEN;
    for _ in 0..h.qd {
        let Some(next) = ns_nskip(m, cp) else {
            return Ok(rcode);
        };
        cp = next + 4;
        if cp >= end {
            return Ok(rcode);
        }
    }
    for _ in 0..h.an + h.ns {
        let Some(next) = ns_nskip(m, cp) else {
            return Ok(rcode);
        };
        cp = next + 8;
        if cp + 2 > end {
            return Ok(rcode);
        }
        cp += 2 + usize::from(get_be_u16(m, cp)?);
        if cp >= end {
            return Ok(rcode);
        }
    }
    for _ in 0..h.ar {
        let Some(next) = ns_nskip(m, cp) else {
            return Ok(rcode);
        };
        cp = next;
        if cp + 2 > end {
            return Ok(rcode);
        }
        let typ = get_be_u16(m, cp)?;
        cp += 4;
        if cp + 1 > end {
            return Ok(rcode);
        }
        if typ == T_OPT {
            return Ok(rcode | (u16::from(get_u8(m, cp)?) << 4));
        }
        cp += 4;
        if cp + 2 > end {
            return Ok(rcode);
        }
        cp += 2 + usize::from(get_be_u16(m, cp)?);
        if cp >= end {
            return Ok(rcode);
        }
    }
    Ok(rcode)
}

/// A response: `id[op][rcode][*][-][|][$]`, the questions at `-vv`, `an/ns/ar` counts, the
/// answers, and the authority and additional records at `-vv`. `Ok(false)` where tcpdump
/// stops with ` [|domain]`.
fn print_response(nd: &mut Nd<'_>, m: &[u8], h: &Header, is_mdns: bool) -> PResult<bool> {
    let rcode = extended_rcode(m, h)?;
    nd.print_u32(u32::from(h.id));
    nd.print(OPS.get(usize::from(h.opcode())).copied().unwrap_or(""));
    match RCODES.get(usize::from(rcode)) {
        Some(s) => nd.print(s),
        None => {
            let v0 = rcode & 0xfff;
            nd.print(" Resp");
            nd.print_dec(v0);
        }
    }
    for (bit, set, text) in [
        (0x0400, true, "*"),
        (0x0080, false, "-"),
        (0x0200, true, "|"),
        (0x0020, true, "$"),
    ] {
        if h.has(bit) == set {
            nd.print(text);
        }
    }
    if h.qd != 1 {
        nd.print(" [");
        nd.print_dec(h.qd);
        nd.print("q]");
    }
    let mut cp = HDR_LEN;
    for i in 0..h.qd {
        if i != 0 {
            nd.print(",");
        }
        let next = if nd.opts.v > 1 {
            nd.print(" q:");
            ns_qprint(nd, m, cp, is_mdns)?
        } else {
            ns_nskip(m, cp).map(|c| c + 4)
        };
        let Some(next) = next else {
            return Ok(false);
        };
        cp = next;
    }
    for (sep, n) in [(" ", h.an), ("/", h.ns), ("/", h.ar)] {
        nd.print(sep);
        nd.print_u32(n);
    }
    let Some(cp) = rr_section(nd, m, cp, h.an, "", is_mdns)? else {
        return Ok(false);
    };
    if nd.opts.v > 1 {
        return more_sections(nd, m, cp, h, is_mdns);
    }
    Ok(true)
}

/// The authority and additional sections, printed at `-vv`.
fn more_sections(nd: &mut Nd<'_>, m: &[u8], cp: usize, h: &Header, is_mdns: bool) -> PResult<bool> {
    let Some(cp) = rr_section(nd, m, cp, h.ns, " ns:", is_mdns)? else {
        return Ok(false);
    };
    Ok(rr_section(nd, m, cp, h.ar, " ar:", is_mdns)?.is_some())
}

/// `count` records from `cp`, comma-separated, after `label` (printed only when a record
/// starts inside the capture, or unconditionally for the answers, whose `label` is empty).
/// `None` where tcpdump stops with ` [|domain]`: a record failed or the capture ended with
/// records left.
fn rr_section(
    nd: &mut Nd<'_>,
    m: &[u8],
    mut cp: usize,
    mut count: u32,
    label: &str,
    is_mdns: bool,
) -> PResult<Option<usize>> {
    if count == 0 {
        return Ok(Some(cp));
    }
    if !label.is_empty() {
        if cp >= m.len() {
            return Ok(None);
        }
        nd.print(label);
    }
    let mut first = true;
    while count > 0 && (first || cp < m.len()) {
        if !first {
            nd.print(",");
        }
        first = false;
        let Some(next) = ns_rprint(nd, m, cp, is_mdns)? else {
            return Ok(None);
        };
        cp = next;
        count -= 1;
    }
    Ok(if count > 0 { None } else { Some(cp) })
}

/// A query: `id[op][+][%]`, oddities, counts, the questions, and the other sections at
/// `-vv`. `Ok(false)` where tcpdump stops with ` [|domain]`.
fn print_query(nd: &mut Nd<'_>, m: &[u8], h: &Header, is_mdns: bool) -> PResult<bool> {
    nd.print_u32(u32::from(h.id));
    nd.print(OPS.get(usize::from(h.opcode())).copied().unwrap_or(""));
    if h.has(0x0100) {
        nd.print("+");
    }
    if h.has(0x0010) {
        nd.print("%");
    }
    // Bits a query should not set: AA, TC, RA, Z, AD and the response code.
    if h.flags & 0x6cf != 0 {
        nd.print(" [b2&3=0x");
        nd.print_hex(h.flags, 0);
        nd.print("]");
    }
    // ` [Nq]`, ` [Na]`, ` [Nn]`, ` [Nau]`: the counts that differ from a plain query's.
    let count = |nd: &mut Nd<'_>, n: u32, what: &str| {
        nd.print(" [");
        nd.print_dec(n);
        nd.print(what);
    };
    if h.opcode() == IQUERY {
        if h.qd != 0 {
            count(nd, h.qd, "q]");
        }
        if h.an != 1 {
            count(nd, h.an, "a]");
        }
    } else {
        if h.an != 0 {
            count(nd, h.an, "a]");
        }
        if h.qd != 1 {
            count(nd, h.qd, "q]");
        }
    }
    if h.ns != 0 {
        count(nd, h.ns, "n]");
    }
    if h.ar != 0 {
        count(nd, h.ar, "au]");
    }
    let mut cp = HDR_LEN;
    let mut qd = h.qd;
    let mut first = true;
    while qd > 0 && (first || cp < m.len()) {
        first = false;
        let Some(next) = ns_qprint(nd, m, cp, is_mdns)? else {
            return Ok(false);
        };
        cp = next;
        qd -= 1;
    }
    if qd > 0 {
        return Ok(false);
    }
    if nd.opts.v > 1 {
        let Some(cp) = rr_section(nd, m, cp, h.an, "", is_mdns)? else {
            return Ok(false);
        };
        return more_sections(nd, m, cp, h, is_mdns);
    }
    Ok(true)
}

/// A question: ` TYPE[ CLASS][ (QU)|(QM)]? name` (print-domain.c `ns_qprint`).
fn ns_qprint(nd: &mut Nd<'_>, m: &[u8], np: usize, is_mdns: bool) -> PResult<Option<usize>> {
    let Some(cp) = ns_nskip(m, np) else {
        return Ok(None);
    };
    if !ttest(m, cp, 4) {
        return Ok(None);
    }
    print_type(nd, get_be_u16(m, cp)?);
    let raw = get_be_u16(m, cp + 2)?;
    let class = if is_mdns { raw & !C_MDNS_BIT } else { raw };
    if class != C_IN {
        print_class(nd, class);
    }
    if is_mdns {
        nd.print(if raw & C_MDNS_BIT != 0 {
            " (QU)"
        } else {
            " (QM)"
        });
    }
    nd.print("? ");
    Ok(fqdn_print(nd, m, np, 0)?.map(|c| c + 4))
}

/// A resource record: `[ name] TYPE[ data]` (print-domain.c `ns_rprint`). Returns the offset
/// after the record's data as its length field says, or `None` where tcpdump gives up.
fn ns_rprint(nd: &mut Nd<'_>, m: &[u8], cp: usize, is_mdns: bool) -> PResult<Option<usize>> {
    let cp = if nd.opts.v > 0 {
        nd.print(" ");
        match fqdn_print(nd, m, cp, 0)? {
            Some(c) => Some(c),
            None => return Ok(None),
        }
    } else {
        ns_nskip(m, cp)
    };
    // tcpdump returns the end of the capture here, which ends the section quietly.
    let Some(cp) = cp.filter(|&c| ttest(m, c, 10)) else {
        return Ok(Some(m.len()));
    };
    let typ = get_be_u16(m, cp)?;
    let raw = get_be_u16(m, cp + 2)?;
    let class = if is_mdns { raw & !C_MDNS_BIT } else { raw };
    if class != C_IN && typ != T_OPT {
        print_class(nd, class);
    }
    if is_mdns && raw & C_MDNS_BIT != 0 {
        nd.print(" (Cache flush)");
    }
    let opt_flags = get_be_u16(m, cp + 6)?;
    if typ != T_OPT && nd.opts.v > 2 {
        nd.print(" [");
        super::util::unsigned_relts_print(nd, get_be_u32(m, cp + 4)?);
        nd.print("]");
    }
    let len = get_be_u16(m, cp + 8)?;
    let cp = cp + 10;
    let rp = cp + usize::from(len);
    print_type(nd, typ);
    if rp > m.len() {
        return Ok(None);
    }
    let rr = Rr {
        typ,
        class,
        opt_flags,
        len,
        cp,
        rp,
    };
    Ok(rdata_print(nd, m, &rr)?.map(|()| rp))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capture::print::testing::{opts, with_nd};
    use proptest::prelude::*;

    fn run(data: &[u8], len: u32, v: u8, over_tcp: bool, is_mdns: bool) -> (String, PResult) {
        with_nd(&opts(v), |nd| {
            domain_print(nd, data, len, over_tcp, is_mdns)
        })
    }

    /// A response to `A? a.example.`: one answer (a CNAME through a compression pointer),
    /// one SOA in the authority section and an OPT record with a cookie option.
    const RESPONSE: &[u8] = &[
        0x12, 0x34, 0x81, 0x80, // id, flags: response, RD, RA
        0x00, 0x01, 0x00, 0x01, 0x00, 0x01, 0x00, 0x01, // qd an ns ar
        0x01, b'a', 0x07, b'e', b'x', b'a', b'm', b'p', b'l', b'e', 0x00, // a.example.
        0x00, 0x01, 0x00, 0x01, // A, IN
        0xc0, 0x0c, 0x00, 0x05, 0x00, 0x01, // a.example. CNAME IN
        0x00, 0x00, 0x0e, 0x10, 0x00, 0x04, // ttl 3600, rdlength 4
        0x01, b'b', 0xc0, 0x0e, // b.example.
        0xc0, 0x0e, 0x00, 0x06, 0x00, 0x01, // example. SOA IN
        0x00, 0x00, 0x00, 0x3c, 0x00, 0x1d, // ttl 60, rdlength 29
        0x02, b'n', b's', 0xc0, 0x0e, // ns.example.
        0x01, b'h', 0xc0, 0x0e, // h.example.
        0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4, 0, 0, 0, 5, // serial .. minimum
        0x00, 0x00, 0x29, 0x04, 0xd0, // root OPT, UDP size 1232
        0x00, 0x00, 0x80, 0x00, 0x00, 0x0c, // ext rcode, version, DO; rdlength 12
        0x00, 0x0a, 0x00, 0x08, 1, 2, 3, 4, 5, 6, 7, 8, // COOKIE, 8 bytes
    ];

    #[test]
    fn a_whole_response_ends_with_its_length() {
        for v in 0..4 {
            let (out, r) = run(RESPONSE, RESPONSE.len() as u32, v, false, false);
            assert_eq!(r, Ok(()));
            assert!(
                out.ends_with(&format!(" ({})", RESPONSE.len())),
                "-v{v}: {out}"
            );
        }
    }

    #[test]
    fn every_prefix_prints_without_panic_and_never_claims_the_whole_message() {
        let whole = format!(" ({})", RESPONSE.len());
        for v in 0..4 {
            for cut in 0..RESPONSE.len() {
                let data = RESPONSE.get(..cut).unwrap_or(&[]);
                let (out, r) = run(data, RESPONSE.len() as u32, v, false, false);
                // tcpdump ends a section quietly when a record's fixed fields were not
                // captured, so only at -vv a cut inside the header or question always shows.
                if v >= 2 && cut < 27 {
                    assert!(
                        r.is_err() || !out.ends_with(&whole),
                        "-v{v} cut {cut}: {out}"
                    );
                }
            }
        }
    }

    #[test]
    fn over_tcp_the_prefix_must_match_the_length() {
        let mut framed = (RESPONSE.len() as u16).to_be_bytes().to_vec();
        framed.extend_from_slice(RESPONSE);
        let (out, _) = run(&framed, framed.len() as u32, 2, true, false);
        assert!(out.ends_with(&format!(" ({})", RESPONSE.len())), "{out}");
        let (out, _) = run(&framed, framed.len() as u32 + 1, 2, true, false);
        assert!(out.ends_with(" (invalid)"), "{out}");
        for cut in 0..framed.len() {
            let data = framed.get(..cut).unwrap_or(&[]);
            let _ = run(data, framed.len() as u32, 3, true, false);
        }
    }

    #[test]
    fn a_pointer_to_itself_is_refused() {
        let msg = [
            0x00, 0x07, 0x01, 0x00, // id, flags: query, RD
            0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // one question
            0xc0, 0x0c, 0x00, 0x01, 0x00, 0x01, // a name pointing at itself, A, IN
        ];
        let (out, r) = run(&msg, msg.len() as u32, 0, false, false);
        assert_eq!(r, Ok(()));
        assert!(out.contains("<BAD PTR>"), "{out}");
    }

    #[test]
    fn relative_times_use_every_unit() {
        let (out, _) = with_nd(&opts(0), |nd| {
            crate::capture::print::util::unsigned_relts_print(nd, 0);
            nd.print(" ");
            crate::capture::print::util::unsigned_relts_print(
                nd,
                31_536_000 + 604_800 + 86_400 + 3_600 + 60 + 1,
            );
        });
        assert_eq!(out, "0s 1y1w1d1h1m1s");
    }

    proptest! {
        #[test]
        fn arbitrary_messages_never_panic(
            data in proptest::collection::vec(any::<u8>(), 0..120),
            extra in 0u32..40,
            v in 0u8..4,
            over_tcp in any::<bool>(),
            is_mdns in any::<bool>(),
        ) {
            let _ = run(&data, data.len() as u32 + extra, v, over_tcp, is_mdns);
        }

        #[test]
        fn mutated_responses_never_panic(
            at in 0usize..RESPONSE.len(),
            byte in any::<u8>(),
            cut in 0usize..=RESPONSE.len(),
            v in 0u8..4,
        ) {
            let mut m = RESPONSE.to_vec();
            if let Some(b) = m.get_mut(at) {
                *b = byte;
            }
            m.truncate(cut);
            let _ = run(&m, RESPONSE.len() as u32, v, false, false);
        }
    }
}
