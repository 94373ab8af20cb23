//! Cisco Discovery Protocol (print-cdp.c at tcpdump-4.99.3): the header and every TLV, the
//! Device-ID alone without `-v`. print-cdp.c defines `ND_LONGJMP_FROM_TCHECK`, so every
//! check past the capture is `Err(Trunc)`.
//!
//! Must not do I/O: it only reads the captured bytes.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::names::print_addr;
use super::tok::bittok2str;
use super::tok::Tok;
use super::util::get_be_u24;
use super::util::{fn_print_char, print_invalid, print_unknown_data, printjn, tlv_walk};
use super::{get_array, get_be_u16, get_be_u32, get_u8, tcheck, Nd, PResult};
use crate::nd_print;

const HEADER_LEN: usize = 4;
const TLV_HEADER_LEN: usize = 4;
const T_DEV_ID: u16 = 0x01;

/// print-cdp.c `cdp_capability_values`.
const CAPABILITY_VALUES: [Tok; 7] = [
    (0x01, "Router"),
    (0x02, "Transparent Bridge"),
    (0x04, "Source Route Bridge"),
    (0x08, "L2 Switch"),
    (0x10, "L3 capable"),
    (0x20, "IGMP snooping"),
    (0x40, "L1 capable"),
];

/// How a TLV's value is printed.
#[derive(Clone, Copy)]
enum Value {
    String,
    Addr,
    Capability,
    Version,
    Prefixes,
    Uint16,
    Duplex,
    Ata186,
    Power,
    Mtu,
    Uint8x,
    PhysLoc,
    /// Known, not printed (only checked against the capture).
    None,
}

/// A known TLV: name, printer, bounds of the value length (print-cdp.c `cdptlvs`).
struct TlvInfo {
    name: &'static str,
    value: Value,
    min: Option<usize>,
    max: Option<usize>,
}

const fn tlv(name: &'static str, value: Value, min: usize, max: usize) -> Option<TlvInfo> {
    Some(TlvInfo {
        name,
        value,
        min: if min > 0 { Some(min) } else { None },
        max: if max > 0 { Some(max) } else { None },
    })
}

/// A type up to `T_MAX` without an entry: print-cdp.c still finds a (zeroed) entry for it,
/// so under `-v` its value is only checked, never dumped.
const UNNAMED: Option<TlvInfo> = tlv("unknown field type", Value::None, 0, 0);

/// print-cdp.c `cdptlvs`, indexed by type; 0 for an open bound.
const TLVS: [Option<TlvInfo>; 0x18] = [
    UNNAMED,
    tlv("Device-ID", Value::String, 0, 0),
    tlv("Address", Value::Addr, 0, 0),
    tlv("Port-ID", Value::String, 0, 0),
    tlv("Capability", Value::Capability, 4, 4),
    tlv("Version String", Value::Version, 0, 0),
    tlv("Platform", Value::String, 0, 0),
    tlv("Prefixes", Value::Prefixes, 0, 0),
    tlv("Protocol-Hello option", Value::None, 0, 0),
    tlv("VTP Management Domain", Value::String, 0, 0),
    tlv("Native VLAN ID", Value::Uint16, 2, 2),
    tlv("Duplex", Value::Duplex, 1, 1),
    UNNAMED,
    UNNAMED,
    tlv("ATA-186 VoIP VLAN assignment", Value::Ata186, 3, 3),
    tlv("ATA-186 VoIP VLAN request", Value::Ata186, 2, 3),
    tlv("power consumption", Value::Power, 1, 3),
    tlv("MTU", Value::Mtu, 4, 4),
    tlv("AVVID trust bitmap", Value::Uint8x, 1, 1),
    tlv("AVVID untrusted ports CoS", Value::Uint8x, 1, 1),
    tlv("System Name", Value::String, 0, 0),
    tlv("System Object ID (not decoded)", Value::None, 0, 0),
    tlv("Management Addresses", Value::Addr, 4, 0),
    tlv("Physical Location", Value::PhysLoc, 1, 0),
];

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// Print a CDP message of on-wire length `length` (`cdp_print`).
pub fn print(nd: &mut Nd<'_>, p: &[u8], length: usize) -> PResult {
    nd.protocol = "cdp";
    if length < HEADER_LEN {
        nd_print!(nd, " (packet length {length} < {HEADER_LEN})");
        print_invalid(nd);
        return tcheck(p, 0, length);
    }
    nd_print!(nd, "CDPv{}, ttl: {}s", get_u8(p, 0)?, get_u8(p, 1)?);
    let checksum = get_be_u16(p, 2)?;
    if nd.opts.v > 0 {
        nd_print!(
            nd,
            ", checksum: 0x{checksum:04x} (unverified), length {length}"
        );
    }
    let walked = tlv_walk(nd, p, HEADER_LEN, length - HEADER_LEN, |nd, at, rest| {
        tlv_print(nd, p, at, rest)
    })?;
    if !walked {
        return Ok(());
    }
    if nd.opts.v == 0 {
        nd_print!(nd, ", length {length}");
    }
    Ok(())
}

/// One TLV at `at` with `rest` bytes left: the bytes it took, or `None` where print-cdp.c
/// jumps to `invalid` (the remaining length is then checked against the capture).
fn tlv_print(nd: &mut Nd<'_>, p: &[u8], at: usize, rest: usize) -> PResult<Option<usize>> {
    if rest < TLV_HEADER_LEN {
        nd_print!(nd, " (remaining packet length {rest} < {TLV_HEADER_LEN})");
        return Ok(None);
    }
    let ty = get_be_u16(p, at)?;
    let len = usize::from(get_be_u16(p, at + 2)?);
    let info = TLVS.get(usize::from(ty)).and_then(Option::as_ref);
    let name = info.map_or("unknown field type", |i| i.name);
    if len < TLV_HEADER_LEN {
        if nd.opts.v > 0 {
            nd_print!(
                nd,
                "\n\t{name} (0x{ty:02x}), TLV length: {len} byte{} (too short)",
                plural(len)
            );
        } else {
            nd_print!(nd, ", {name} TLV length {len} too short");
        }
        return Ok(None);
    }
    if len > rest {
        nd_print!(nd, " (TLV length {len} > {rest})");
        return Ok(None);
    }
    let (v_at, v_len) = (at + TLV_HEADER_LEN, len - TLV_HEADER_LEN);
    if nd.opts.v == 0 && ty == T_DEV_ID {
        nd.print(", Device-ID ");
    } else if nd.opts.v > 0 {
        nd_print!(
            nd,
            "\n\t{name} (0x{ty:02x}), value length: {v_len} byte{}: ",
            plural(v_len)
        );
    }
    let mut covered = false;
    if let Some(info) = info {
        if info.min.is_some_and(|m| v_len < m) || info.max.is_some_and(|m| v_len > m) {
            nd.print(" (malformed TLV)");
        } else if nd.opts.v > 0 || ty == T_DEV_ID {
            value_print(nd, info.value, p, v_at, v_len)?;
            covered = true;
        }
    }
    if !covered {
        tcheck(p, v_at, v_len)?;
        print_unknown_data(nd, p, v_at, "\n\t  ", v_len);
    }
    Ok(Some(len))
}

/// A TLV value of `len` bytes at `at`.
fn value_print(nd: &mut Nd<'_>, value: Value, p: &[u8], at: usize, len: usize) -> PResult {
    match value {
        Value::String => {
            nd.print("'");
            printjn(nd, p, at, len)?;
            nd.print("'");
        }
        Value::Addr => addr_print(nd, p, at, len)?,
        Value::Capability => {
            let v = get_be_u32(p, at)?;
            nd_print!(
                nd,
                "(0x{v:08x}): {}",
                bittok2str(&CAPABILITY_VALUES, "none", v)
            );
        }
        Value::Version => version_print(nd, p, at, len)?,
        Value::Prefixes => prefixes_print(nd, p, at, len)?,
        Value::Uint16 => nd_print!(nd, "{}", get_be_u16(p, at)?),
        Value::Duplex => nd.print(if get_u8(p, at)? != 0 { "full" } else { "half" }),
        Value::Ata186 if len == 2 => nd_print!(nd, "unknown 0x{:04x}", get_be_u16(p, at)?),
        Value::Ata186 => nd_print!(
            nd,
            "app {}, vlan {}",
            get_u8(p, at)?,
            get_be_u16(p, at + 1)?
        ),
        Value::Power => {
            let val = match len {
                1 => u32::from(get_u8(p, at)?),
                2 => u32::from(get_be_u16(p, at)?),
                3 => get_be_u24(p, at)?,
                _ => 0,
            };
            nd_print!(nd, "{:.2}W", f64::from(val) / 1000.0);
        }
        Value::Mtu => nd_print!(nd, "{} bytes", get_be_u32(p, at)?),
        Value::Uint8x => nd_print!(nd, "0x{:02x}", get_u8(p, at)?),
        Value::PhysLoc => {
            nd_print!(nd, "0x{:02x}", get_u8(p, at)?);
            if len > 1 {
                nd.print("/");
                printjn(nd, p, at + 1, len - 1)?;
            }
        }
        Value::None => tcheck(p, at, len)?,
    }
    Ok(())
}

/// The version string, each line indented (`cdp_print_version`).
fn version_print(nd: &mut Nd<'_>, p: &[u8], at: usize, len: usize) -> PResult {
    nd.print("\n\t  ");
    for i in 0..len {
        match get_u8(p, at + i)? {
            b'\n' => nd.print("\n\t  "),
            c => fn_print_char(nd, c),
        }
    }
    Ok(())
}

/// `IPv4 Prefixes (N): a.b.c.d/len ...` (`cdp_print_prefixes`).
fn prefixes_print(nd: &mut Nd<'_>, p: &[u8], at: usize, len: usize) -> PResult {
    if len % 5 != 0 {
        nd_print!(nd, " [length {len} is not a multiple of 5]");
        return tcheck(p, at, len);
    }
    nd_print!(nd, " IPv4 Prefixes ({}):", len / 5);
    for i in (0..len).step_by(5) {
        let [a, b, c, d, l] = get_array::<5>(p, at + i)?;
        nd_print!(nd, " {a}.{b}.{c}.{d}/{l}");
    }
    Ok(())
}

/// The LLC/SNAP header that marks an IPv6 address.
const PROT_IPV6: [u8; 8] = [0xaa, 0xaa, 0x03, 0x00, 0x00, 0x00, 0x86, 0xdd];
const PT_NLPID: u8 = 1;
const PT_IEEE_802_2: u8 = 2;
const NLPID_IP: u8 = 0xcc;

/// An address list (`cdp_print_addr`): on a length error, the rest is checked against the
/// capture and the TLV ends there.
fn addr_print(nd: &mut Nd<'_>, p: &[u8], mut at: usize, mut l: usize) -> PResult {
    if l < 4 {
        nd.print(" (not enough space for num)");
        return tcheck(p, at, l);
    }
    let mut num = get_be_u32(p, at)?;
    at += 4;
    l -= 4;
    while num > 0 {
        if l < 2 {
            nd.print(" (not enough space for PT+PL)");
            return tcheck(p, at, l);
        }
        let pt = get_u8(p, at)?;
        let pl = usize::from(get_u8(p, at + 1)?);
        at += 2;
        l -= 2;
        if l < pl + 2 {
            nd.print(" (not enough space for P+AL)");
            return tcheck(p, at, l);
        }
        let al = usize::from(get_be_u16(p, at + pl)?);
        let family = if pt == PT_NLPID && pl == 1 && get_u8(p, at)? == NLPID_IP && al == 4 {
            Some(4)
        } else if pt == PT_IEEE_802_2 && pl == 8 && get_array::<8>(p, at)? == PROT_IPV6 && al == 16
        {
            Some(6)
        } else {
            None
        };
        if let Some(family) = family {
            at += pl + 2;
            l -= pl + 2;
            if l < al {
                nd.print(" (not enough space for A)");
                return tcheck(p, at, l);
            }
            let addr = if family == 4 {
                IpAddr::V4(Ipv4Addr::from(get_array::<4>(p, at)?))
            } else {
                IpAddr::V6(Ipv6Addr::from(get_array::<16>(p, at)?))
            };
            nd_print!(nd, "IPv{family} ({num}) ");
            print_addr(nd, addr);
            at += al;
            l -= al;
        } else {
            nd_print!(nd, "pt=0x{pt:02x}, pl={pl}, pb=");
            for i in 0..pl {
                nd_print!(nd, " {:02x}", get_u8(p, at + i)?);
            }
            at += pl + 2;
            l -= pl + 2;
            nd_print!(nd, ", al={al}, a=");
            if l < al {
                nd.print(" (not enough space for A)");
                return tcheck(p, at, l);
            }
            for i in 0..al {
                nd_print!(nd, " {:02x}", get_u8(p, at + i)?);
            }
            at += al;
            l -= al;
        }
        num -= 1;
        if num > 0 {
            nd.print(" ");
        }
    }
    if l > 0 {
        nd_print!(nd, " ({l} bytes of stray data)");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capture::print::testing::{opts, with_nd};
    use proptest::prelude::*;

    fn run(data: &[u8], len: usize, v: u8) -> (String, PResult) {
        with_nd(&opts(v), |nd| print(nd, data, len))
    }

    /// CDPv2: Device-ID "sw1", an address list with one IPv4 address, Duplex full.
    fn message() -> Vec<u8> {
        let mut d = vec![2, 180, 0xb0, 0xbd];
        d.extend_from_slice(&[0, 1, 0, 7, b's', b'w', b'1']);
        d.extend_from_slice(&[0, 2, 0, 17, 0, 0, 0, 1, 1, 1, 0xcc, 0, 4, 192, 0, 2, 1]);
        d.extend_from_slice(&[0, 0x0b, 0, 5, 1]);
        d
    }

    #[test]
    fn without_v_the_device_id_is_decoded_and_the_rest_dumped() {
        let d = message();
        let (out, r) = run(&d, d.len(), 0);
        assert_eq!(r, Ok(()));
        assert!(
            out.starts_with("CDPv2, ttl: 180s, Device-ID 'sw1'\n"),
            "{out}"
        );
        assert_eq!(out.matches("0x0000:").count(), 2, "{out}");
        assert!(out.ends_with(", length 33"), "{out}");
    }

    #[test]
    fn with_v_every_tlv_on_its_line() {
        let d = message();
        let (out, r) = run(&d, d.len(), 1);
        assert_eq!(r, Ok(()));
        assert_eq!(out.matches("\n\t").count(), 3, "{out}");
        assert!(out.contains("192.0.2.1") && out.ends_with("full"), "{out}");
    }

    #[test]
    fn every_prefix_prints_without_panic_and_stops_at_the_capture() {
        let d = message();
        for cut in 0..d.len() {
            let (_, r) = run(d.get(..cut).unwrap_or(&[]), d.len(), 1);
            assert!(r.is_err(), "cut {cut}");
        }
    }

    proptest! {
        #[test]
        fn arbitrary_messages_never_panic(
            data in proptest::collection::vec(any::<u8>(), 0..120),
            len in 0usize..200,
            v in 0u8..3,
        ) {
            let _ = run(&data, len, v);
        }
    }
}
