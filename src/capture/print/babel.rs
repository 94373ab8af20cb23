//! Babel (RFC 6126, RFC 7298, RFC 7557, draft-ietf-babel-rfc6126bis-17,
//! draft-ietf-babel-hmac-10, draft-ietf-babel-source-specific-0), mirroring print-babel.c at
//! tcpdump-4.99.3: the version 2 packet, its body and trailer TLVs with their sub-TLVs, and
//! the prefix compression of Update TLVs.
//!
//! Must not do I/O: it only reads the captured bytes.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::names::print_addr;
use super::tok::{tok2str, Tok};
use super::util::{flag_names_print, print_invalid, print_trunc};
use super::{get_be_u16, get_be_u32, get_bytes, get_u8, ttest, Nd, PResult};
use crate::nd_print;

/// TLV types (print-babel.c `MESSAGE_*`).
mod msg {
    pub const PAD1: u8 = 0;
    pub const PADN: u8 = 1;
    pub const ACK_REQ: u8 = 2;
    pub const ACK: u8 = 3;
    pub const HELLO: u8 = 4;
    pub const IHU: u8 = 5;
    pub const ROUTER_ID: u8 = 6;
    pub const NH: u8 = 7;
    pub const UPDATE: u8 = 8;
    pub const ROUTE_REQUEST: u8 = 9;
    pub const SEQNO_REQUEST: u8 = 10;
    pub const TSPC: u8 = 11;
    pub const HMAC: u8 = 12;
    pub const UPDATE_SRC_SPECIFIC: u8 = 13;
    pub const REQUEST_SRC_SPECIFIC: u8 = 14;
    pub const MH_REQUEST_SRC_SPECIFIC: u8 = 15;
    pub const MAC: u8 = 16;
    pub const PC: u8 = 17;
    pub const CHALLENGE_REQUEST: u8 = 18;
    pub const CHALLENGE_REPLY: u8 = 19;
}

/// Sub-TLV types (print-babel.c `MESSAGE_SUB_*`).
const SUB_PAD1: u8 = 0;
const SUB_PADN: u8 = 1;
const SUB_DIVERSITY: u8 = 2;
const SUB_TIMESTAMP: u8 = 3;
/// The "mandatory" bit of a sub-TLV type.
const MANDATORY_MASK: u8 = 0x80;

/// Diversity channel names (print-babel.c `diversity_str`).
const DIVERSITY: &[Tok] = &[(0, "reserved"), (255, "all")];

/// The IPv4-mapped prefix Babel keeps IPv4 prefixes in (print-babel.c `v4prefix`).
const V4PREFIX: [u8; 16] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0, 0, 0];

/// Why a TLV walk stopped early: print-babel.c's `trunc` (-1) and `invalid` (-2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stop {
    Trunc,
    Invalid,
}

/// Print the Babel packet at `data`; `length` is the UDP payload's length (print-babel.c
/// `babel_print`).
pub fn print(nd: &mut Nd<'_>, data: &[u8], length: u32) -> PResult {
    nd.protocol = "babel";
    nd.print("babel");
    if !ttest(data, 0, 4) {
        print_trunc(nd);
        return Ok(());
    }
    if get_u8(data, 0)? != 42 {
        nd.print(" invalid header");
        return Ok(());
    }
    let version = get_u8(data, 1)?;
    nd_print!(nd, " {version}");
    if version == 2 {
        v2_print(nd, data, length)
    } else {
        nd.print(" unknown version");
        Ok(())
    }
}

/// The body, then the trailer when the datagram is longer (print-babel.c `babel_print_v2`).
fn v2_print(nd: &mut Nd<'_>, data: &[u8], length: u32) -> PResult {
    let Some(mut length) = length.checked_sub(4) else {
        print_invalid(nd);
        return Ok(());
    };
    let bodylen = get_be_u16(data, 2)?;
    nd_print!(nd, " ({bodylen})");
    let bodylen = u32::from(bodylen);
    if length < bodylen {
        print_invalid(nd);
        return Ok(());
    }
    let body = data.get(4..).unwrap_or_default();
    let mut stop = tlvs_print(nd, body, bodylen, length)?;
    if stop.is_ok() {
        length -= bodylen;
        if length != 0 {
            nd.print(if nd.opts.v > 0 { "\n\t----" } else { " |" });
            let trailer = body.get(bodylen as usize..).unwrap_or_default();
            stop = tlvs_print(nd, trailer, length, length)?;
        }
    }
    match stop {
        Ok(()) => {}
        Err(Stop::Trunc) => print_trunc(nd),
        Err(Stop::Invalid) => print_invalid(nd),
    }
    Ok(())
}

/// The IPv4 and IPv6 prefixes later Updates may omit the start of.
struct Prefixes {
    v4: [u8; 16],
    v6: [u8; 16],
}

/// The TLVs of `tlvs_length` bytes at `cp`, with `remaining` bytes of the datagram left
/// (print-babel.c `babel_print_v2_tlvs`).
fn tlvs_print(
    nd: &mut Nd<'_>,
    cp: &[u8],
    tlvs_length: u32,
    remaining: u32,
) -> PResult<Result<(), Stop>> {
    let mut prefixes = Prefixes {
        v4: V4PREFIX,
        v6: [0; 16],
    };
    // print-babel.c `ICHECK`.
    let fits = |i: u32, l: u32| {
        let end = u64::from(i) + u64::from(l);
        end <= u64::from(tlvs_length) && end <= u64::from(remaining)
    };
    let mut i: u32 = 0;
    while i < tlvs_length {
        let message = cp.get(i as usize..).unwrap_or_default();
        if !fits(i, 1) {
            return Ok(Err(Stop::Invalid));
        }
        let kind = get_u8(message, 0)?;
        if kind == msg::PAD1 {
            nd.print(if nd.opts.v > 0 { "\n\tPad 1" } else { " pad1" });
            i += 1;
            continue;
        }
        if !fits(i, 2) {
            return Ok(Err(Stop::Invalid));
        }
        if !ttest(message, 0, 2) {
            return Ok(Err(Stop::Trunc));
        }
        let len = get_u8(message, 1)?;
        if !fits(i, 2 + u32::from(len)) {
            return Ok(Err(Stop::Invalid));
        }
        if !ttest(message, 0, 2 + usize::from(len)) {
            return Ok(Err(Stop::Trunc));
        }
        let m = Msg {
            data: message,
            kind,
            len,
        };
        let valid = if nd.opts.v == 0 {
            terse_print(nd, &m)?
        } else {
            verbose_print(nd, &m, &mut prefixes)?
        };
        if !valid {
            return Ok(Err(Stop::Invalid));
        }
        i += u32::from(len) + 2;
    }
    Ok(Ok(()))
}

/// One TLV: its bytes from its type on (to the end of the capture), type and length.
struct Msg<'a> {
    data: &'a [u8],
    kind: u8,
    len: u8,
}

impl Msg<'_> {
    fn u8(&self, at: usize) -> PResult<u8> {
        get_u8(self.data, at)
    }
    fn u16(&self, at: usize) -> PResult<u16> {
        get_be_u16(self.data, at)
    }
    fn u32(&self, at: usize) -> PResult<u32> {
        get_be_u32(self.data, at)
    }
    /// The prefix of `plen` bits at `at` bytes into the body, with the rest of the TLV
    /// left to it (print-babel.c's `network_prefix` calls): its length in bytes and the
    /// prefix, `None` when it is invalid.
    fn prefix(
        &self,
        ae: u8,
        plen: u8,
        omitted: u8,
        at: usize,
        dp: Option<&[u8; 16]>,
    ) -> PResult<Option<(usize, [u8; 16])>> {
        let left = u32::from(self.len) - at as u32;
        network_prefix(ae, Some(plen), omitted, self.data, 2 + at, dp, left)
    }
    /// Where the TLV ends, as an offset into `data`.
    fn end(&self) -> usize {
        2 + usize::from(self.len)
    }
}

/// A TLV's word without `-v`; `false` when it is invalid.
fn terse_print(nd: &mut Nd<'_>, m: &Msg<'_>) -> PResult<bool> {
    let word = match m.kind {
        msg::PADN => " padN",
        msg::ACK_REQ => " ack-req",
        msg::ACK => " ack",
        msg::HELLO => " hello",
        msg::IHU => " ihu",
        msg::ROUTER_ID => " router-id",
        msg::NH => " nh",
        msg::UPDATE => {
            nd.print(" update");
            if m.len < 10 {
                return Ok(false);
            }
            let flags = m.u8(3)?;
            flag_names_print(nd, &UPDATE_FLAGS, flags.into());
            return Ok(true);
        }
        msg::ROUTE_REQUEST => " route-request",
        msg::SEQNO_REQUEST => " seqno-request",
        msg::TSPC => " tspc",
        msg::HMAC => " hmac",
        msg::UPDATE_SRC_SPECIFIC => " ss-update",
        msg::REQUEST_SRC_SPECIFIC => " ss-request",
        msg::MH_REQUEST_SRC_SPECIFIC => " ss-mh-request",
        msg::MAC => " mac",
        msg::PC => " pc",
        msg::CHALLENGE_REQUEST => " challenge_request",
        msg::CHALLENGE_REPLY => " challenge_reply",
        _ => " unknown",
    };
    nd.print(word);
    Ok(true)
}

/// An Update's flags, as print-babel.c prints them.
const UPDATE_FLAGS: [Tok; 3] = [(0x80, "/prefix"), (0x40, "/id"), (0x3f, "/unknown")];

/// A TLV at `-v`; `false` when it is invalid.
fn verbose_print(nd: &mut Nd<'_>, m: &Msg<'_>, prefixes: &mut Prefixes) -> PResult<bool> {
    let len = m.len;
    match m.kind {
        msg::PADN => nd_print!(nd, "\n\tPad {}", u32::from(len) + 2),
        msg::ACK_REQ => {
            nd.print("\n\tAcknowledgment Request ");
            if len < 6 {
                return Ok(false);
            }
            let (nonce, interval) = (m.u16(4)?, m.u16(6)?);
            nd_print!(nd, "{nonce:04x} ");
            interval_print(nd, interval);
        }
        msg::ACK => {
            nd.print("\n\tAcknowledgment ");
            if len < 2 {
                return Ok(false);
            }
            nd_print!(nd, "{:04x}", m.u16(2)?);
        }
        msg::HELLO => return hello_print(nd, m),
        msg::IHU => return ihu_print(nd, m),
        msg::ROUTER_ID => {
            nd.print("\n\tRouter Id");
            if len < 10 {
                return Ok(false);
            }
            nd.print(" ");
            id_print(nd, m, 4)?;
        }
        msg::NH => {
            nd.print("\n\tNext Hop");
            if len < 2 {
                return Ok(false);
            }
            let ae = m.u8(2)?;
            let Some((_, nh)) = network_prefix(ae, None, 0, m.data, 4, None, u32::from(len) - 2)?
            else {
                return Ok(false);
            };
            nd.print(" ");
            if ae == 0 {
                nd.print("invalid AE 0");
            } else {
                address_print(nd, &nh);
            }
        }
        msg::UPDATE => return update_print(nd, m, prefixes),
        msg::ROUTE_REQUEST => return route_request_print(nd, m),
        msg::SEQNO_REQUEST => return seqno_request_print(nd, m),
        msg::TSPC => {
            nd.print("\n\tTS/PC ");
            if len < 6 {
                return Ok(false);
            }
            let (ts, pc) = (m.u32(4)?, m.u16(2)?);
            nd_print!(nd, "timestamp {ts} packetcounter {pc}");
        }
        msg::HMAC => {
            nd.print("\n\tHMAC ");
            if len < 18 {
                return Ok(false);
            }
            nd_print!(nd, "key-id {} digest-{} ", m.u16(2)?, len - 2);
            for j in 0..usize::from(len - 2) {
                nd_print!(nd, "{:02X}", m.u8(j + 4)?);
            }
        }
        msg::UPDATE_SRC_SPECIFIC => return ss_update_print(nd, m, prefixes),
        msg::REQUEST_SRC_SPECIFIC => return ss_request_print(nd, m),
        msg::MH_REQUEST_SRC_SPECIFIC => return ss_mh_request_print(nd, m),
        msg::MAC => nd_print!(nd, "\n\tMAC len {len}"),
        msg::PC => {
            nd.print("\n\tPC");
            if len < 4 {
                return Ok(false);
            }
            nd_print!(nd, " value {} index len {}", m.u32(2)?, len - 4);
        }
        msg::CHALLENGE_REQUEST | msg::CHALLENGE_REPLY => {
            let what = if m.kind == msg::CHALLENGE_REQUEST {
                "Request"
            } else {
                "Reply"
            };
            nd_print!(nd, "\n\tChallenge {what}");
            if len > 192 {
                return Ok(false);
            }
            nd_print!(nd, " len {len}");
        }
        kind => nd_print!(nd, "\n\tUnknown message type {kind}"),
    }
    Ok(true)
}

fn hello_print(nd: &mut Nd<'_>, m: &Msg<'_>) -> PResult<bool> {
    nd.print("\n\tHello ");
    if m.len < 6 {
        return Ok(false);
    }
    let unicast = m.u16(2)? & 0x8000;
    let seqno = m.u16(4)?;
    let interval = m.u16(6)?;
    if unicast != 0 {
        nd.print("(Unicast) ");
    }
    nd_print!(nd, "seqno {seqno} ");
    if interval != 0 {
        nd.print("interval ");
        interval_print(nd, interval);
    } else {
        nd.print("unscheduled");
    }
    if m.len > 6 {
        subtlvs_print(nd, m, 8)?;
    }
    Ok(true)
}

fn ihu_print(nd: &mut Nd<'_>, m: &Msg<'_>) -> PResult<bool> {
    nd.print("\n\tIHU ");
    if m.len < 6 {
        return Ok(false);
    }
    let rxcost = m.u16(4)?;
    let interval = m.u16(6)?;
    let ae = m.u8(2)?;
    let Some((rc, address)) = network_prefix(ae, None, 0, m.data, 8, None, u32::from(m.len) - 6)?
    else {
        // print-babel.c prints the truncation mark here and goes on with the next TLV.
        print_trunc(nd);
        return Ok(true);
    };
    if ae == 0 {
        nd.print("any");
    } else {
        address_print(nd, &address);
    }
    nd_print!(nd, " rxcost {rxcost} interval ");
    interval_print(nd, interval);
    if rc < usize::from(m.len) - 6 {
        subtlvs_print(nd, m, 8 + rc)?;
    }
    Ok(true)
}

fn update_print(nd: &mut Nd<'_>, m: &Msg<'_>, prefixes: &mut Prefixes) -> PResult<bool> {
    nd.print("\n\tUpdate");
    if m.len < 10 {
        return Ok(false);
    }
    let ae = m.u8(2)?;
    let plen = m.u8(4)?;
    let omitted = m.u8(5)?;
    let dp = if ae == 1 { &prefixes.v4 } else { &prefixes.v6 };
    let Some((rc, prefix)) = m.prefix(ae, plen, omitted, 10, Some(dp))? else {
        return Ok(false);
    };
    let interval = m.u16(6)?;
    let seqno = m.u16(8)?;
    let metric = m.u16(10)?;
    let flags = m.u8(3)?;
    flag_names_print(nd, &UPDATE_FLAGS, flags.into());
    nd.print(" ");
    if ae == 0 {
        nd.print("any");
    } else {
        ae_prefix_print(nd, ae, &prefix, plen);
    }
    nd_print!(nd, " metric {metric} seqno {seqno} interval ");
    interval_update_print(nd, interval);
    if flags & 0x80 != 0 {
        if ae == 1 {
            prefixes.v4 = prefix;
        } else {
            prefixes.v6 = prefix;
        }
    }
    if rc < usize::from(m.len) - 10 {
        subtlvs_print(nd, m, 12 + rc)?;
    }
    Ok(true)
}

fn route_request_print(nd: &mut Nd<'_>, m: &Msg<'_>) -> PResult<bool> {
    nd.print("\n\tRoute Request ");
    if m.len < 2 {
        return Ok(false);
    }
    let ae = m.u8(2)?;
    let plen = m.u8(3)?;
    let Some((_, prefix)) = m.prefix(ae, plen, 0, 2, None)? else {
        return Ok(false);
    };
    nd.print("for ");
    if ae == 0 {
        nd.print("any");
    } else {
        ae_prefix_print(nd, ae, &prefix, plen);
    }
    Ok(true)
}

fn seqno_request_print(nd: &mut Nd<'_>, m: &Msg<'_>) -> PResult<bool> {
    nd.print("\n\tSeqno Request ");
    if m.len < 14 {
        return Ok(false);
    }
    let ae = m.u8(2)?;
    let seqno = m.u16(4)?;
    let plen = m.u8(3)?;
    let Some((_, prefix)) = m.prefix(ae, plen, 0, 14, None)? else {
        return Ok(false);
    };
    nd_print!(nd, "({} hops) for ", m.u8(6)?);
    if ae == 0 {
        nd.print("invalid AE 0");
    } else {
        ae_prefix_print(nd, ae, &prefix, plen);
    }
    nd_print!(nd, " seqno {seqno} id ");
    id_print(nd, m, 8)?;
    Ok(true)
}

fn ss_update_print(nd: &mut Nd<'_>, m: &Msg<'_>, prefixes: &Prefixes) -> PResult<bool> {
    nd.print("\n\tSS-Update");
    if m.len < 10 {
        return Ok(false);
    }
    let ae = m.u8(2)?;
    let src_plen = m.u8(3)?;
    let plen = m.u8(4)?;
    let omitted = m.u8(5)?;
    let interval = m.u16(6)?;
    let seqno = m.u16(8)?;
    let metric = m.u16(10)?;
    let dp = if ae == 1 { &prefixes.v4 } else { &prefixes.v6 };
    let Some((rc, prefix)) = m.prefix(ae, plen, omitted, 10, Some(dp))? else {
        return Ok(false);
    };
    let parsed = 10 + rc;
    let Some((rc, src_prefix)) = m.prefix(ae, src_plen, 0, parsed, None)? else {
        return Ok(false);
    };
    let parsed = parsed + rc;
    nd.print(" ");
    ae_prefix_print(nd, ae, &prefix, plen);
    nd.print(" from ");
    ae_prefix_print(nd, ae, &src_prefix, src_plen);
    nd_print!(nd, " metric {metric} seqno {seqno} interval ");
    interval_update_print(nd, interval);
    if parsed < usize::from(m.len) {
        subtlvs_print(nd, m, 2 + parsed)?;
    }
    Ok(true)
}

/// The prefix and source prefix of a source-specific request, with their lengths in bits.
struct SsPair {
    prefix: [u8; 16],
    plen: u8,
    src_prefix: [u8; 16],
    src_plen: u8,
}

impl SsPair {
    /// The prefixes from `parsed` bytes into the body, their lengths in bits `plen` and
    /// `src_plen`; `None` when one is invalid.
    fn read(
        m: &Msg<'_>,
        ae: u8,
        (plen, src_plen): (u8, u8),
        parsed: usize,
    ) -> PResult<Option<Self>> {
        let Some((rc, prefix)) = m.prefix(ae, plen, 0, parsed, None)? else {
            return Ok(None);
        };
        let found = m.prefix(ae, src_plen, 0, parsed + rc, None)?;
        Ok(found.map(|(_, src_prefix)| SsPair {
            prefix,
            plen,
            src_prefix,
            src_plen,
        }))
    }

    /// `for (PREFIX, SOURCE-PREFIX)`.
    fn print(&self, nd: &mut Nd<'_>, ae: u8) {
        nd.print("for (");
        ae_prefix_print(nd, ae, &self.prefix, self.plen);
        nd.print(", ");
        ae_prefix_print(nd, ae, &self.src_prefix, self.src_plen);
        nd.print(")");
    }
}

fn ss_request_print(nd: &mut Nd<'_>, m: &Msg<'_>) -> PResult<bool> {
    nd.print("\n\tSS-Request ");
    if m.len < 3 {
        return Ok(false);
    }
    let ae = m.u8(2)?;
    let plens = (m.u8(3)?, m.u8(4)?);
    let Some(pair) = SsPair::read(m, ae, plens, 3)? else {
        return Ok(false);
    };
    if ae == 0 {
        nd.print("for any");
    } else {
        pair.print(nd, ae);
    }
    Ok(true)
}

fn ss_mh_request_print(nd: &mut Nd<'_>, m: &Msg<'_>) -> PResult<bool> {
    nd.print("\n\tSS-MH-Request ");
    if m.len < 14 {
        return Ok(false);
    }
    let ae = m.u8(2)?;
    let plen = m.u8(3)?;
    let seqno = m.u16(4)?;
    let hopc = m.u8(6)?;
    let Some(pair) = SsPair::read(m, ae, (plen, m.u8(7)?), 14)? else {
        return Ok(false);
    };
    nd_print!(nd, "({hopc} hops) ");
    pair.print(nd, ae);
    nd_print!(nd, " seqno {seqno} id ");
    id_print(nd, m, 8)?;
    Ok(true)
}

/// The sub-TLVs from `at` to the end of the TLV (print-babel.c `subtlvs_print`); an invalid
/// one ends the walk with ` (invalid)`, the TLV walk goes on.
fn subtlvs_print(nd: &mut Nd<'_>, m: &Msg<'_>, at: usize) -> PResult {
    let ep = m.end();
    let mut cp = at;
    while cp < ep {
        let subtype = m.u8(cp)?;
        cp += 1;
        if subtype == SUB_PAD1 {
            nd.print(" sub-pad1");
            continue;
        }
        if subtype & MANDATORY_MASK != 0 {
            nd.print(" (M)");
        }
        if cp == ep {
            print_invalid(nd);
            return Ok(());
        }
        let sublen = usize::from(m.u8(cp)?);
        cp += 1;
        if cp + sublen > ep {
            print_invalid(nd);
            return Ok(());
        }
        match subtype {
            SUB_PADN => nd.print(" sub-padn"),
            SUB_DIVERSITY => {
                nd.print(" sub-diversity");
                if sublen == 0 {
                    nd.print(" empty");
                    continue;
                }
                for k in 0..sublen {
                    let sep = if k == 0 { " " } else { "-" };
                    let channel = tok2str(DIVERSITY, "%u", m.u8(cp + k)?.into());
                    nd_print!(nd, "{sep}{channel}");
                }
                if m.kind != msg::UPDATE && m.kind != msg::UPDATE_SRC_SPECIFIC {
                    nd.print(" (bogus)");
                }
            }
            SUB_TIMESTAMP => {
                nd.print(" sub-timestamp");
                if m.kind == msg::HELLO {
                    if sublen < 4 {
                        print_invalid(nd);
                        return Ok(());
                    }
                    nd.print(" ");
                    timestamp_print(nd, m.u32(cp)?);
                } else if m.kind == msg::IHU {
                    if sublen < 8 {
                        print_invalid(nd);
                        return Ok(());
                    }
                    nd.print(" ");
                    timestamp_print(nd, m.u32(cp)?);
                    nd.print("|");
                    timestamp_print(nd, m.u32(cp + 4)?);
                } else {
                    nd.print(" (bogus)");
                }
            }
            _ => nd_print!(nd, " sub-unknown-0x{subtype:02x}"),
        }
        cp += sublen;
    }
    Ok(())
}

/// A router id: eight bytes as colon-separated hex (print-babel.c `format_id`).
fn id_print(nd: &mut Nd<'_>, m: &Msg<'_>, at: usize) -> PResult {
    for k in 0..8 {
        let sep = if k == 0 { "" } else { ":" };
        nd_print!(nd, "{sep}{:02x}", m.u8(at + k)?);
    }
    Ok(())
}

/// Centiseconds as seconds (print-babel.c `format_interval`).
fn interval_print(nd: &mut Nd<'_>, i: u16) {
    if i == 0 {
        nd.print("0.0s (bogus)");
    } else {
        nd_print!(nd, "{}.{:02}s", i / 100, i % 100);
    }
}

/// An Update's interval, where all ones means the route is retracted for ever
/// (print-babel.c `format_interval_update`).
fn interval_update_print(nd: &mut Nd<'_>, i: u16) {
    if i == 0xffff {
        nd.print("infinity");
    } else {
        interval_print(nd, i);
    }
}

/// Microseconds as seconds (print-babel.c `format_timestamp`).
fn timestamp_print(nd: &mut Nd<'_>, i: u32) {
    nd_print!(nd, "{}.{:06}s", i / 1_000_000, i % 1_000_000);
}

/// A prefix, IPv4 when it is IPv4-mapped and long enough (print-babel.c `format_prefix`).
fn prefix_print(nd: &mut Nd<'_>, prefix: &[u8; 16], plen: u8) {
    if plen >= 96 && prefix.starts_with(&V4PREFIX[..12]) {
        address_print(nd, prefix);
        nd_print!(nd, "/{}", plen - 96);
    } else {
        address_print(nd, prefix);
        nd_print!(nd, "/{plen}");
    }
}

/// A prefix of `plen` bits of address encoding `ae`: an IPv4 one (`ae` 1) as IPv4-mapped.
fn ae_prefix_print(nd: &mut Nd<'_>, ae: u8, prefix: &[u8; 16], plen: u8) {
    prefix_print(nd, prefix, plen.wrapping_add(if ae == 1 { 96 } else { 0 }));
}

/// An address, IPv4 when it is IPv4-mapped (print-babel.c `format_address`).
fn address_print(nd: &mut Nd<'_>, a: &[u8; 16]) {
    if let (true, [.., b12, b13, b14, b15]) = (a.starts_with(&V4PREFIX[..12]), *a) {
        print_addr(nd, IpAddr::V4(Ipv4Addr::new(b12, b13, b14, b15)));
    } else {
        print_addr(nd, IpAddr::V6(Ipv6Addr::from(*a)));
    }
}

/// The prefix of address encoding `ae` and length `plen` (`None`: an address, as long as
/// the encoding's) at `at` in `buf`, `omitted` leading bytes taken from `dp`, `len` bytes
/// available: the bytes consumed and the 16-byte prefix, or `None` when the encoding is
/// wrong (print-babel.c `network_prefix`).
fn network_prefix(
    ae: u8,
    plen: Option<u8>,
    omitted: u8,
    buf: &[u8],
    at: usize,
    dp: Option<&[u8; 16]>,
    len: u32,
) -> PResult<Option<(usize, [u8; 16])>> {
    let pb: usize = match plen {
        Some(p) => usize::from(p).div_ceil(8),
        None if ae == 1 => 4,
        None => 16,
    };
    if pb > 16 {
        return Ok(None);
    }
    let omitted = usize::from(omitted);
    let len = len as usize;
    let mut prefix = [0u8; 16];
    let mut consumed = 0;
    // Where the bytes from the packet go in the prefix, for the encodings that carry some.
    let (start, skip) = match ae {
        0 => return Ok(Some((0, prefix))),
        1 => {
            if omitted > 4 || pb > 4 || (pb > omitted && len < pb - omitted) {
                return Ok(None);
            }
            prefix = V4PREFIX;
            if omitted > 0 {
                let Some(dp) = dp else { return Ok(None) };
                copy(&mut prefix, 0, dp.get(..12 + omitted).unwrap_or_default());
            }
            (12 + omitted, omitted)
        }
        2 => {
            if omitted > 16 || (pb > omitted && len < pb - omitted) {
                return Ok(None);
            }
            if omitted > 0 {
                let Some(dp) = dp else { return Ok(None) };
                copy(&mut prefix, 0, dp.get(..omitted).unwrap_or_default());
            }
            (omitted, omitted)
        }
        3 => {
            if pb > 8 && len < pb - 8 {
                return Ok(None);
            }
            prefix[0] = 0xfe;
            prefix[1] = 0x80;
            (8, 8)
        }
        _ => return Ok(None),
    };
    if pb > skip {
        consumed = pb - skip;
        copy(&mut prefix, start, get_bytes(buf, at, consumed)?);
    }
    Ok(Some((consumed, prefix)))
}

/// `prefix[at..] = bytes`, as far as the prefix reaches.
fn copy(prefix: &mut [u8; 16], at: usize, bytes: &[u8]) {
    for (d, s) in prefix.iter_mut().skip(at).zip(bytes) {
        *d = *s;
    }
}

#[cfg(test)]
#[allow(clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::capture::print::testing::run;
    use proptest::prelude::*;

    /// A Hello, an Update of 10.1.0.0/16 setting the prefix, and one of 10.1.2.0/24 that
    /// omits its first two bytes.
    fn packet() -> Vec<u8> {
        let mut body = vec![4, 6, 0, 0, 0, 7, 0x01, 0x90]; // Hello seqno 7, 4.00s
        body.extend_from_slice(&[8, 12, 1, 0x80, 16, 0, 0x01, 0x90, 0, 5, 0, 1, 10, 1]);
        body.extend_from_slice(&[8, 11, 1, 0, 24, 2, 0xff, 0xff, 0, 5, 0, 1, 2]);
        let mut d = vec![42, 2];
        d.extend_from_slice(&u16::try_from(body.len()).unwrap_or(0).to_be_bytes());
        d.extend_from_slice(&body);
        d
    }

    #[test]
    fn terse_and_verbose() {
        let (out, r) = run(print, &packet(), 39, 0);
        assert_eq!(r, Ok(()));
        assert_eq!(out, "babel 2 (35) hello update/prefix update");
        let (out, _) = run(print, &packet(), 39, 1);
        assert!(out.contains("\n\tHello seqno 7 interval 4.00s"), "{out}");
        assert!(
            out.contains("Update 10.1.2.0/24 metric 1 seqno 5 interval infinity"),
            "{out}"
        );
    }

    #[test]
    fn a_tlv_past_the_body_is_invalid() {
        let mut d = packet();
        d[3] -= 1;
        let (out, _) = run(print, &d, 39, 0);
        assert!(out.ends_with(" (invalid)"), "{out}");
    }

    #[test]
    fn every_prefix_prints_without_panic() {
        let d = packet();
        let len = u32::try_from(d.len()).unwrap_or(0);
        for cut in 0..d.len() {
            let cut_data = d.get(..cut).unwrap_or(&[]);
            let (out, r) = run(print, cut_data, len, 1);
            assert!(r.is_err() || out.contains("[|babel]"), "cut {cut}: {out}");
        }
    }

    proptest! {
        #[test]
        fn arbitrary_packets_never_panic(
            tail in proptest::collection::vec(any::<u8>(), 0..80),
            v in 0u8..2,
        ) {
            let mut d = vec![42, 2];
            d.extend_from_slice(&tail);
            let len = u32::try_from(d.len()).unwrap_or(0);
            let _ = run(print, &d, len, v);
        }
    }
}
