//! The Optimized Link State Routing protocol (RFC 3626, UDP port 698) over IPv4 and IPv6,
//! with olsr.org's link-quality, name service and smart-gateway extensions, mirroring
//! print-olsr.c at tcpdump-4.99.3.
//!
//! Without `-v` only the packet header; with it every message: Hello, TC (and their LQ
//! forms), MID, HNA, name service, and the others in hex. As print-olsr.c does, a Hello's or
//! TC's neighbour list is read as IPv4 addresses whatever the IP version, all on one line,
//! and every IPv6 HNA entry is numbered `#0`.
//!
//! Must not do I/O: it only reads the captured bytes.

use super::names::{ip4_at, ip6_at, print_addr};
use super::tok::{tok2str, Tok};
use super::util::{mask2plen, mask62plen, print_trunc, print_unknown_data, printjn, ttest};
use super::{get_array, get_be_u16, get_be_u32, get_u8, Nd, PResult};
use crate::nd_print;

/// The packet header: length and sequence number.
const COMMON_LEN: usize = 4;
/// A Hello's reserved bytes, interval and willingness; a TC's sequence number and reserved
/// bytes; a Hello link's code, reserved byte and length.
const HELLO_LEN: usize = 4;
const TC_LEN: usize = 4;
const LINK_LEN: usize = 4;

const HELLO: u8 = 1;
const TC: u8 = 2;
const MID: u8 = 3;
const HNA: u8 = 4;
const NAMESERVICE: u8 = 130;
const HELLO_LQ: u8 = 201;
const TC_LQ: u8 = 202;

/// Message types (print-olsr.c `olsr_msg_values`).
const MESSAGES: [Tok; 8] = [
    (1, "Hello"),
    (2, "TC"),
    (3, "MID"),
    (4, "HNA"),
    (128, "Powerinfo"),
    (130, "Nameservice"),
    (201, "Hello-LQ"),
    (202, "TC-LQ"),
];

/// Link types (the low two bits of a link code, `olsr_link_type_values`).
const LINK_TYPES: [Tok; 4] = [
    (0, "Unspecified"),
    (1, "Asymmetric"),
    (2, "Symmetric"),
    (3, "Lost"),
];

/// Neighbour types (the rest of a link code, `olsr_neighbor_type_values`).
const NEIGHBOR_TYPES: [Tok; 3] = [(0, "Not-Neighbor"), (1, "Symmetric"), (2, "Symmetric-MPR")];

/// A smart gateway's flags in its HNA mask (`gateway_hna_flags`).
const GW_FLAGS: [(u8, &str); 5] = [
    (0x01, " LINKSPEED"),
    (0x02, " IPV4"),
    (0x04, " IPV4-NAT"),
    (0x08, " IPV6"),
    (0x10, " IPv6-PREFIX"),
];
const GW_LINKSPEED: u8 = 0x01;

/// The addresses of one IP version.
#[derive(Clone, Copy)]
struct Family {
    v6: bool,
}

impl Family {
    fn addr_len(self) -> usize {
        if self.v6 {
            16
        } else {
            4
        }
    }

    /// A message header: type, validity time, size, originator, TTL, hops, sequence.
    fn msg_hdr_len(self) -> usize {
        8 + self.addr_len()
    }

    /// The address of this version at `at`, named as tcpdump names it.
    fn addr_print(self, nd: &mut Nd<'_>, data: &[u8], at: usize) -> PResult {
        let a = if self.v6 {
            ip6_at(data, at)?
        } else {
            ip4_at(data, at)?
        };
        print_addr(nd, a);
        Ok(())
    }
}

/// Seconds of an 8-bit mantissa and exponent validity or interval time (`ME_TO_DOUBLE`).
fn me_to_secs(me: u8) -> f64 {
    0.0625 * (1.0 + f64::from(me >> 4) / 16.0) * f64::from(1u32 << (me & 0x0f))
}

/// A smart gateway's 5-bit mantissa, 3-bit exponent speed in kbit/s
/// (`deserialize_gw_speed`).
fn gw_speed(value: u8) -> u32 {
    match value {
        0 => 0,
        u8::MAX => 320_000_000,
        v => (u32::from(v >> 3) + 1) * 10u32.pow(u32::from(v & 7)),
    }
}

/// Print the OLSR packet at `data`; `length` is the UDP payload's length, `v6` whether it
/// came over IPv6 (`olsr_print`).
pub fn print(nd: &mut Nd<'_>, data: &[u8], length: u32, v6: bool) -> PResult {
    nd.protocol = "olsr";
    nd.print(if v6 { "OLSRv6" } else { "OLSRv4" });
    let fam = Family { v6 };
    let mut length = length as usize;
    if length < COMMON_LEN || !ttest(data, 0, COMMON_LEN) {
        print_trunc(nd);
        return Ok(());
    }
    length = length.min(usize::from(get_be_u16(data, 0)?));
    nd_print!(nd, ", seq 0x{:04x}, length {length}", get_be_u16(data, 2)?);
    if nd.opts.v < 1 {
        return Ok(());
    }
    let hdr = fam.msg_hdr_len();
    let mut at = COMMON_LEN;
    while at < length {
        if !ttest(data, at, hdr) {
            print_trunc(nd);
            return Ok(());
        }
        let kind = get_u8(data, at)?;
        let msg_len = usize::from(get_be_u16(data, at + 2)?);
        let valid = msg_len >= hdr && msg_len <= length;
        if kind == 0 || msg_len == 0 {
            return Ok(());
        }
        nd_print!(
            nd,
            "\n\t{} Message (0x{kind:02x}), originator ",
            tok2str(&MESSAGES, "Unknown", u32::from(kind))
        );
        fam.addr_print(nd, data, at + 4)?;
        let a = fam.addr_len();
        nd_print!(
            nd,
            ", ttl {}, hop {}\n\t  vtime {:.3}s, msg-seq 0x{:04x}, length {msg_len}{}",
            get_u8(data, at + 4 + a)?,
            get_u8(data, at + 5 + a)?,
            me_to_secs(get_u8(data, at + 1)?),
            get_be_u16(data, at + 6 + a)?,
            if valid { "" } else { " (invalid)" }
        );
        if !valid {
            return Ok(());
        }
        let body = Body {
            kind,
            at: at + hdr,
            len: msg_len - hdr,
            fam,
        };
        if !message_print(nd, data, body)? {
            print_trunc(nd);
            return Ok(());
        }
        at += msg_len;
    }
    Ok(())
}

/// A message's body: its type, where it starts, its length and the addresses it carries.
#[derive(Clone, Copy)]
struct Body {
    kind: u8,
    at: usize,
    len: usize,
    fam: Family,
}

/// A message's body; `Ok(false)` where print-olsr.c jumps to its `trunc:` label.
fn message_print(nd: &mut Nd<'_>, data: &[u8], body: Body) -> PResult<bool> {
    let Body { kind, at, len, fam } = body;
    match kind {
        HELLO | HELLO_LQ => hello_print(nd, data, body),
        TC | TC_LQ => {
            if len < TC_LEN || !ttest(data, at, TC_LEN) {
                return Ok(false);
            }
            nd_print!(
                nd,
                "\n\t    advertised neighbor seq 0x{:04x}",
                get_be_u16(data, at)?
            );
            neighbors_print(nd, data, kind == TC, at + TC_LEN, len - TC_LEN, fam)
        }
        MID => {
            let a = fam.addr_len();
            let (mut at, mut len) = (at, len);
            while len >= a {
                if !ttest(data, at, a) {
                    return Ok(false);
                }
                nd.print("\n\t  interface address ");
                fam.addr_print(nd, data, at)?;
                at += a;
                len -= a;
            }
            Ok(true)
        }
        HNA if fam.v6 => hna6_print(nd, data, at, len),
        HNA => hna4_print(nd, data, at, len),
        NAMESERVICE => nameservice_print(nd, data, at, len, fam),
        _ => {
            print_unknown_data(nd, data, at, "\n\t    ", len);
            Ok(true)
        }
    }
}

/// A Hello's interval and willingness, then its links and their neighbours.
fn hello_print(nd: &mut Nd<'_>, data: &[u8], body: Body) -> PResult<bool> {
    let Body { kind, at, len, fam } = body;
    if len < HELLO_LEN || !ttest(data, at, HELLO_LEN) {
        return Ok(false);
    }
    nd_print!(
        nd,
        "\n\t  hello-time {:.3}s, MPR willingness {}",
        me_to_secs(get_u8(data, at + 2)?),
        get_u8(data, at + 3)?
    );
    let (mut at, mut len) = (at + HELLO_LEN, len - HELLO_LEN);
    while len >= LINK_LEN {
        if !ttest(data, at, LINK_LEN) {
            return Ok(false);
        }
        let code = get_u8(data, at)?;
        let link_len = usize::from(get_be_u16(data, at + 2)?);
        let valid = link_len <= len && link_len >= LINK_LEN;
        nd_print!(
            nd,
            "\n\t    link-type {}, neighbor-type {}, len {link_len}{}",
            tok2str(&LINK_TYPES, "Unknown", u32::from(code & 3)),
            tok2str(&NEIGHBOR_TYPES, "Unknown", u32::from(code >> 2)),
            if valid { "" } else { " (invalid)" }
        );
        if !valid {
            break;
        }
        at += LINK_LEN;
        len -= LINK_LEN;
        let link_len = link_len - LINK_LEN;
        if !ttest(data, at, link_len)
            || !neighbors_print(nd, data, kind == HELLO, at, link_len, fam)?
        {
            return Ok(false);
        }
        at += link_len;
        len -= link_len;
    }
    Ok(true)
}

/// A neighbour list of `len` bytes at `at`: plain IPv4 addresses (`plain`,
/// `olsr_print_neighbor`) or addresses with link qualities (`olsr_print_lq_neighbor4/6`).
fn neighbors_print(
    nd: &mut Nd<'_>,
    data: &[u8],
    plain: bool,
    mut at: usize,
    mut len: usize,
    fam: Family,
) -> PResult<bool> {
    if plain {
        nd.print("\n\t      neighbor\n\t\t");
        while len >= 4 {
            let a = ip4_at(data, at)?;
            print_addr(nd, a);
            nd.print(" ");
            at += 4;
            len -= 4;
        }
        return Ok(true);
    }
    let size = fam.addr_len() + 4;
    while len >= size {
        if !ttest(data, at, size) {
            return Ok(false);
        }
        nd.print("\n\t      neighbor ");
        fam.addr_print(nd, data, at)?;
        let a = fam.addr_len();
        nd_print!(
            nd,
            ", link-quality {:.2}%, neighbor-link-quality {:.2}%",
            f64::from(get_u8(data, at + a)?) / 2.55,
            f64::from(get_u8(data, at + a + 1)?) / 2.55
        );
        at += size;
        len -= size;
    }
    Ok(true)
}

/// IPv6 networks and their prefix lengths.
fn hna6_print(nd: &mut Nd<'_>, data: &[u8], mut at: usize, mut len: usize) -> PResult<bool> {
    nd_print!(nd, "\n\t  Advertised networks (total {})", len / 32);
    while len >= 32 {
        if !ttest(data, at, 32) {
            return Ok(false);
        }
        nd.print("\n\t    #0: ");
        let a = ip6_at(data, at)?;
        print_addr(nd, a);
        let mask: [u8; 16] = get_array(data, at + 16)?;
        nd_print!(nd, "/{}", mask62plen(&mask));
        at += 32;
        len -= 32;
    }
    Ok(true)
}

/// IPv4 networks, four to a line, smart gateways among them.
fn hna4_print(nd: &mut Nd<'_>, data: &[u8], mut at: usize, mut len: usize) -> PResult<bool> {
    nd_print!(nd, "\n\t  Advertised networks (total {})", len / 8);
    let mut col = 0;
    while len >= 8 {
        if !ttest(data, at, 8) {
            return Ok(false);
        }
        let network: [u8; 4] = get_array(data, at)?;
        let mask: [u8; 4] = get_array(data, at + 4)?;
        nd.print(if col == 0 { "\n\t    " } else { ", " });
        let [pad, flags, up, down] = mask;
        if network == [0; 4] && pad == 0 && flags != 0 {
            nd.print("Smart-Gateway:");
            for (bit, name) in GW_FLAGS {
                if flags & bit != 0 {
                    nd.print(name);
                }
            }
            let (up, down) = match flags & GW_LINKSPEED {
                0 => (0, 0),
                _ => (gw_speed(up), gw_speed(down)),
            };
            nd_print!(nd, " {up}/{down}");
        } else {
            let a = ip4_at(data, at)?;
            print_addr(nd, a);
            // `%u` of an int: a mask that is no prefix (-1) shows as 4294967295.
            nd_print!(nd, "/{}", mask2plen(get_be_u32(data, at + 4)?) as u32);
        }
        at += 8;
        len -= 8;
        col = (col + 1) % 4;
    }
    Ok(true)
}

/// A name service message: version, entry count and the entries.
fn nameservice_print(
    nd: &mut Nd<'_>,
    data: &[u8],
    mut at: usize,
    mut len: usize,
    fam: Family,
) -> PResult<bool> {
    if len < 4 {
        return Ok(false);
    }
    let entries = usize::from(get_be_u16(data, at + 2)?);
    let a = fam.addr_len();
    let valid = entries > 0 && entries * (4 + a) <= len;
    nd_print!(
        nd,
        "\n\t  Version {}, Entries {entries}{}",
        get_be_u16(data, at)?,
        if valid { "" } else { " (invalid)" }
    );
    if !valid {
        return Ok(true);
    }
    at += 4;
    len -= 4;
    for i in 0..entries {
        if len < 4 {
            break;
        }
        let kind = get_be_u16(data, at)?;
        let name_len = usize::from(get_be_u16(data, at + 2)?);
        at += 4;
        len -= 4;
        let valid = name_len > 0 && a + name_len <= len;
        // `%#06x`: no `0x` before a zero.
        if kind == 0 {
            nd_print!(nd, "\n\t    #{i}: type 000000");
        } else {
            nd_print!(nd, "\n\t    #{i}: type 0x{kind:04x}");
        }
        nd_print!(
            nd,
            ", length {name_len}{}",
            if valid { "" } else { " (invalid)" }
        );
        if !valid {
            break;
        }
        let padded = name_len.next_multiple_of(4);
        if len < a + padded || !ttest(data, at, a + padded) {
            return Ok(false);
        }
        nd.print(", address ");
        fam.addr_print(nd, data, at)?;
        nd.print(", name \"");
        printjn(nd, data, at + a, name_len)?;
        nd.print("\"");
        at += a + padded;
        len -= a + padded;
    }
    Ok(true)
}

#[cfg(test)]
#[allow(clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::capture::print::testing::{opts, with_nd};

    fn run(data: &[u8], v: u8, v6: bool) -> (String, PResult) {
        with_nd(&opts(v), |nd| print(nd, data, data.len() as u32, v6))
    }

    /// A message header of type `kind` from 10.0.0.1 around `body`.
    fn msg4(kind: u8, body: &[u8]) -> Vec<u8> {
        let mut m = vec![kind, 0x5c];
        m.extend(((12 + body.len()) as u16).to_be_bytes());
        m.extend([10, 0, 0, 1, 64, 2, 0x12, 0x34]);
        m.extend(body);
        m
    }

    fn packet(msgs: &[Vec<u8>]) -> Vec<u8> {
        let body: Vec<u8> = msgs.concat();
        let mut p = ((4 + body.len()) as u16).to_be_bytes().to_vec();
        p.extend([0xab, 0xcd]);
        p.extend(body);
        p
    }

    /// A Hello with one symmetric link to two neighbours, and an HNA with a route and a
    /// smart gateway.
    fn sample() -> Vec<u8> {
        let hello = msg4(1, &[0, 0, 0x86, 3, 6, 0, 0, 12, 10, 0, 0, 2, 10, 0, 0, 3]);
        let hna = msg4(
            4,
            &[
                192, 168, 1, 0, 255, 255, 255, 0, 0, 0, 0, 0, 0, 3, 0x0a, 0x13,
            ],
        );
        packet(&[hello, hna])
    }

    #[test]
    fn header_alone_without_verbosity() {
        assert_eq!(run(&sample(), 0, false).0, "OLSRv4, seq 0xabcd, length 60");
    }

    #[test]
    fn messages_with_verbosity() {
        let (out, r) = run(&sample(), 1, false);
        assert_eq!(r, Ok(()));
        assert_eq!(
            out,
            "OLSRv4, seq 0xabcd, length 60\
             \n\tHello Message (0x01), originator 10.0.0.1, ttl 64, hop 2\
             \n\t  vtime 336.000s, msg-seq 0x1234, length 28\
             \n\t  hello-time 6.000s, MPR willingness 3\
             \n\t    link-type Symmetric, neighbor-type Symmetric, len 12\
             \n\t      neighbor\n\t\t10.0.0.2 10.0.0.3 \
             \n\tHNA Message (0x04), originator 10.0.0.1, ttl 64, hop 2\
             \n\t  vtime 336.000s, msg-seq 0x1234, length 28\
             \n\t  Advertised networks (total 2)\
             \n\t    192.168.1.0/24, Smart-Gateway: LINKSPEED IPV4 200/3000"
        );
    }

    #[test]
    fn every_cut_prints_the_marker() {
        let d = sample();
        for cut in 0..d.len() {
            let (out, r) = with_nd(&opts(1), |nd| print(nd, &d[..cut], d.len() as u32, false));
            assert!(r.is_err() || out.ends_with(" [|olsr]"), "{cut}: {out}");
        }
    }

    #[test]
    fn name_entries_and_their_type() {
        let mut body = vec![0, 1, 0, 2];
        body.extend([0, 0, 0, 3, 10, 0, 0, 7, b'a', b'b', 0xe9, 0]);
        body.extend([0, 9, 0, 0]);
        let (out, _) = run(&packet(&[msg4(130, &body)]), 1, false);
        assert!(
            out.ends_with(
                "\n\t  Version 1, Entries 2\n\t    #0: type 000000, length 3, \
                 address 10.0.0.7, name \"abM-i\"\n\t    #1: type 0x0009, length 0 (invalid)"
            ),
            "{out}"
        );
    }

    #[test]
    fn times_and_speeds() {
        assert_eq!(me_to_secs(0), 0.0625);
        assert_eq!(me_to_secs(0xff), 0.0625 * (1.0 + 15.0 / 16.0) * 32768.0);
        assert_eq!(gw_speed(0x13), 3000);
        assert_eq!(gw_speed(0xfe), 32_000_000);
        assert_eq!(gw_speed(0xff), 320_000_000);
    }

    crate::arbitrary_bytes_never_panic!(|nd: &mut Nd<'_>, data: &[u8], len: u32| {
        print(nd, data, len, len % 2 == 1)
    });
}
