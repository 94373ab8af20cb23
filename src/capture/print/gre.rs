//! GRE (RFC 1701, 1702, 2784, 2890) and the enhanced GRE of PPTP (RFC 2637), mirroring
//! print-gre.c at tcpdump-4.99.3: version 0 with its checksum, offset, key, sequence number
//! and source routes, version 1 with its call id, sequence and acknowledgment numbers.
//!
//! Version 0 carries IPv4, IPv6, MPLS and Ethernet frames to their printers; IPX, AppleTalk
//! and OSI, for which tcpdump has printers and echolab has none, are dumped as unknown
//! payload. Version 1 carries PPP.
//!
//! Must not do I/O: it only reads the captured bytes.

use std::net::Ipv4Addr;

use super::tok::{bittok2str, ethertype_name, Tok, ETHERTYPE_IP, ETHERTYPE_IPV6};
use super::util::{default_print, print_trunc, ttest};
use super::{ether, get_array, get_be_u16, get_be_u32, ip, ip6, isoclns, mpls, ppp, Nd, PResult};
use crate::nd_print;

const GRE_CP: u16 = 0x8000;
const GRE_RP: u16 = 0x4000;
const GRE_KP: u16 = 0x2000;
const GRE_SP: u16 = 0x1000;
const GRE_AP: u16 = 0x0080;
const GRE_VERS_MASK: u16 = 0x0007;

/// Source route address families (print-gre.c `GRESRE_IP`, `GRESRE_ASN`).
const GRESRE_IP: u16 = 0x0800;
const GRESRE_ASN: u16 = 0xfffe;

const ETHERTYPE_MPLS: u16 = 0x8847;
const ETHERTYPE_TEB: u16 = 0x6558;
const ETHERTYPE_PPP: u16 = 0x880b;
const ETHERTYPE_GRE_ISO: u16 = 0x00fe;
/// Payloads echolab has no printer for (IPX, AppleTalk).
const UNDECODED: [u16; 2] = [0x8137, 0x809b];

/// print-gre.c `gre_flag_values`.
const FLAGS: [Tok; 6] = [
    (0x8000, "checksum present"),
    (0x4000, "routing present"),
    (0x2000, "key present"),
    (0x1000, "sequence# present"),
    (0x0800, "source routing present"),
    (0x0080, "ack present"),
];

/// Where the walk over the header stands: the next field and the bytes left of `length`.
struct Cursor {
    at: usize,
    len: u32,
}

impl Cursor {
    /// Whether `n` more bytes were captured and lie within the length (the
    /// `ND_TCHECK_n` + `len < n` pairs of print-gre.c).
    fn has(&self, data: &[u8], n: u32) -> bool {
        ttest(data, self.at, n as usize) && self.len >= n
    }

    fn skip(&mut self, n: u32) {
        self.at += n as usize;
        self.len -= n;
    }

    /// The next field of `n` bytes (2 or 4), stepped over; `None` where print-gre.c jumps
    /// to `trunc`.
    fn take(&mut self, data: &[u8], n: u32) -> PResult<Option<u32>> {
        if !self.has(data, n) {
            return Ok(None);
        }
        let v = if n == 2 {
            u32::from(get_be_u16(data, self.at)?)
        } else {
            get_be_u32(data, self.at)?
        };
        self.skip(n);
        Ok(Some(v))
    }
}

/// The flags and the protocol that begin both versions, and where the walk stands after
/// them; `None` where the protocol is cut off.
fn head(nd: &mut Nd<'_>, data: &[u8], length: u32) -> PResult<Option<(u16, u16, Cursor)>> {
    let flags = get_be_u16(data, 0)?;
    flags_print(nd, flags);
    let mut c = Cursor {
        at: 2,
        len: length - 2,
    };
    // A 16-bit field fits its type.
    Ok(c.take(data, 2)?.map(|prot| (flags, prot as u16, c)))
}

/// Print the GRE packet at `data`; `length` is the IP payload's length (print-gre.c
/// `gre_print`).
pub fn print(nd: &mut Nd<'_>, data: &[u8], length: u32) -> PResult {
    nd.protocol = "gre";
    if !ttest(data, 0, 2) || length < 2 {
        return trunc(nd);
    }
    let vers = get_be_u16(data, 0)? & GRE_VERS_MASK;
    nd_print!(nd, "GREv{vers}");
    match vers {
        0 => print_0(nd, data, length),
        1 => print_1(nd, data, length),
        _ => {
            nd.print(" ERROR: unknown-version");
            Ok(())
        }
    }
}

/// ` [|gre]`, after which tcpdump's printer returns normally.
fn trunc(nd: &mut Nd<'_>) -> PResult {
    print_trunc(nd);
    Ok(())
}

fn flags_print(nd: &mut Nd<'_>, flags: u16) {
    if nd.opts.v > 0 {
        nd_print!(
            nd,
            ", Flags [{}]",
            bittok2str(&FLAGS, "none", u32::from(flags))
        );
    }
}

/// `, proto NAME (0xXXXX), length N` and the separator before the payload.
fn trailer_print(nd: &mut Nd<'_>, prot: u16, length: u32, payload: bool) {
    if nd.opts.e > 0 {
        let name = ethertype_name(prot).unwrap_or("unknown");
        nd_print!(nd, ", proto {name} (0x{prot:04x})");
    }
    nd_print!(nd, ", length {length}");
    if payload {
        nd.print(if nd.opts.v < 1 { ": " } else { "\n\t" });
    }
}

/// Version 0 (print-gre.c `gre_print_0`).
fn print_0(nd: &mut Nd<'_>, data: &[u8], length: u32) -> PResult {
    let Some((flags, prot, mut c)) = head(nd, data, length)? else {
        return trunc(nd);
    };
    if flags & (GRE_CP | GRE_RP) != 0 {
        let Some(sum) = c.take(data, 2)? else {
            return trunc(nd);
        };
        if nd.opts.v > 0 {
            nd_print!(nd, ", sum 0x{sum:x}");
        }
        let Some(off) = c.take(data, 2)? else {
            return trunc(nd);
        };
        nd_print!(nd, ", off 0x{off:x}");
    }
    if flags & GRE_KP != 0 {
        let Some(key) = c.take(data, 4)? else {
            return trunc(nd);
        };
        nd_print!(nd, ", key=0x{key:x}");
    }
    if flags & GRE_SP != 0 {
        let Some(seq) = c.take(data, 4)? else {
            return trunc(nd);
        };
        nd_print!(nd, ", seq {seq}");
    }
    if flags & GRE_RP != 0 && !routing_print(nd, data, &mut c)? {
        return trunc(nd);
    }
    trailer_print(nd, prot, length, true);
    let payload = data.get(c.at..).unwrap_or(&[]);
    match prot {
        ETHERTYPE_IP => ip::print(nd, payload, c.len),
        ETHERTYPE_IPV6 => ip6::print(nd, payload, c.len),
        ETHERTYPE_MPLS => mpls::print(nd, payload, c.len),
        ETHERTYPE_TEB => ether::print_encapsulated(nd, payload, c.len),
        ETHERTYPE_GRE_ISO => isoclns::print(nd, payload, c.len as usize),
        _ if UNDECODED.contains(&prot) => {
            default_print(nd, payload);
            Ok(())
        }
        _ => {
            nd_print!(nd, "gre-proto-0x{prot:x}");
            Ok(())
        }
    }
}

/// The source route entries up to the null one; `Ok(false)` where tcpdump jumps to `trunc`.
fn routing_print(nd: &mut Nd<'_>, data: &[u8], c: &mut Cursor) -> PResult<bool> {
    loop {
        if !c.has(data, 4) {
            return Ok(false);
        }
        let af = get_be_u16(data, c.at)?;
        let sreoff = super::get_u8(data, c.at + 2)?;
        let srelen = super::get_u8(data, c.at + 3)?;
        c.skip(4);
        if af == 0 && srelen == 0 {
            return Ok(true);
        }
        if !sre_print(nd, af, sreoff, srelen, data, c)? {
            return Ok(false);
        }
        if c.len < u32::from(srelen) {
            return Ok(false);
        }
        c.skip(u32::from(srelen));
    }
}

/// One source route entry (print-gre.c `gre_sre_print`); `Ok(false)` on truncation.
fn sre_print(
    nd: &mut Nd<'_>,
    af: u16,
    sreoff: u8,
    srelen: u8,
    data: &[u8],
    c: &Cursor,
) -> PResult<bool> {
    let (name, unit) = match af {
        GRESRE_IP => ("ip", 4),
        GRESRE_ASN => ("asn", 2),
        _ => {
            nd_print!(nd, ", (rtaf=0x{af:x})");
            return Ok(true);
        }
    };
    nd_print!(nd, ", (rtaf={name}");
    let ok = sre_entries_print(nd, unit, sreoff, srelen, data, c)?;
    nd.print(")");
    Ok(ok)
}

/// The addresses (`unit` 4) or AS numbers (`unit` 2) of a route entry, the current one
/// starred (print-gre.c `gre_sre_ip_print`, `gre_sre_asn_print`).
fn sre_entries_print(
    nd: &mut Nd<'_>,
    unit: u8,
    sreoff: u8,
    srelen: u8,
    data: &[u8],
    c: &Cursor,
) -> PResult<bool> {
    if sreoff % unit != 0 {
        nd_print!(nd, ", badoffset={sreoff}");
        return Ok(true);
    }
    if srelen % unit != 0 {
        nd_print!(nd, ", badlength={srelen}");
        return Ok(true);
    }
    if sreoff >= srelen {
        nd_print!(nd, ", badoff/len={sreoff}/{srelen}");
        return Ok(true);
    }
    let mut cur = Cursor {
        at: c.at,
        len: c.len,
    };
    let mut off = 0u8;
    while off < srelen {
        if !cur.has(data, u32::from(unit)) {
            return Ok(false);
        }
        let star = if off == sreoff { "*" } else { "" };
        if unit == 4 {
            let a = Ipv4Addr::from(get_array::<4>(data, cur.at)?);
            nd_print!(nd, " {star}{a}");
        } else {
            nd_print!(nd, " {star}{:x}", get_be_u16(data, cur.at)?);
        }
        cur.skip(u32::from(unit));
        off += unit;
    }
    Ok(true)
}

/// Version 1, PPTP's enhanced GRE (print-gre.c `gre_print_1`).
fn print_1(nd: &mut Nd<'_>, data: &[u8], length: u32) -> PResult {
    let Some((flags, prot, mut c)) = head(nd, data, length)? else {
        return trunc(nd);
    };
    let fields = [
        (GRE_KP, ", call ", 0xffff),
        (GRE_SP, ", seq ", u32::MAX),
        (GRE_AP, ", ack ", u32::MAX),
    ];
    for (bit, label, mask) in fields {
        if flags & bit != 0 {
            let Some(v) = c.take(data, 4)? else {
                return trunc(nd);
            };
            nd_print!(nd, "{label}{}", v & mask);
        }
    }
    let payload = flags & GRE_SP != 0;
    if !payload {
        nd.print(", no-payload");
    }
    trailer_print(nd, prot, length, payload);
    if !payload {
        return Ok(());
    }
    match prot {
        ETHERTYPE_PPP => ppp::print(nd, data.get(c.at..).unwrap_or(&[]), c.len).map(|_| ()),
        _ => {
            nd_print!(nd, "gre-proto-0x{prot:x}");
            Ok(())
        }
    }
}

#[cfg(test)]
#[allow(clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::capture::print::testing::{opts, with_nd};

    #[test]
    fn version_0_with_key_sequence_and_route() {
        let pkt = [
            0x70, 0x00, 0x12, 0x34, // C=0 R=1 K=1 S=1, proto 0x1234
            0x00, 0x00, 0x00, 0x04, // checksum, offset
            0x00, 0x00, 0x00, 0x2a, // key
            0x00, 0x00, 0x00, 0x07, // sequence
            0x08, 0x00, 0x04, 0x08, 10, 0, 0, 1, 10, 0, 0, 2, // IP route, offset 4
            0x00, 0x00, 0x00, 0x00, // null entry
        ];
        let (out, _) = with_nd(&opts(1), |nd| print(nd, &pkt, 32));
        assert_eq!(
            out,
            "GREv0, Flags [routing present, key present, sequence# present], sum 0x0, \
             off 0x4, key=0x2a, seq 7, (rtaf=ip 10.0.0.1 *10.0.0.2), length 32\n\t\
             gre-proto-0x1234"
        );
    }

    #[test]
    fn version_1_without_sequence_has_no_payload() {
        let pkt = [0x20, 0x81, 0x88, 0x0b, 0, 0, 0, 5, 0, 0, 0, 9];
        let (out, _) = with_nd(&opts(0), |nd| print(nd, &pkt, 12));
        assert_eq!(out, "GREv1, call 5, ack 9, no-payload, length 12");
    }

    #[test]
    fn every_prefix_prints_without_panic() {
        let pkt = [
            0xb0, 0x00, 0x08, 0x00, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 2, 0x45,
        ];
        for cut in 0..pkt.len() {
            for v in 0..3 {
                let (out, r) = with_nd(&opts(v), |nd| print(nd, &pkt[..cut], 40));
                assert!(r.is_ok() || cut >= 16, "cut {cut}: {out}");
            }
        }
    }

    crate::arbitrary_bytes_never_panic!(print);
}
