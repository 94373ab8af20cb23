//! Link-layer dispatch by link type (print.c `printers` at tcpdump-4.99.3): Ethernet
//! (print-ether.c), raw IP and LINKTYPE_IPV4/IPV6 (print-raw.c), Linux cooked v1 and v2
//! (print-sll.c), BSD NULL and OpenBSD LOOP (print-null.c), IEEE 802.11 with or without a
//! radiotap header (print-802_11.c), the PPP link types (print-ppp.c, print-pppoe.c),
//! NFLOG (print-nflog.c), Cisco HDLC (print-chdlc.c) and SLIP (print-sl.c).
//!
//! Each printer adds its header length to `nd.ll_hdr_len` where tcpdump does, so that `-x`/`-X`
//! skip it.
//!
//! Not decoded (printed as unknown payload): cooked captures of Novell 802.3 IPX, and BSD
//! loopback families other than IPv4 and IPv6 (ISO,
//! Appletalk, IPX), for which tcpdump has printers.

use super::{
    ether, get_be_u16, get_be_u32, get_u8, ieee802_11, ip, ip6, names, tcheck, tok, util, Nd,
    PResult,
};
use crate::capture::record::LinkType;

const DLT_PPP: u32 = 9;
const DLT_PPP_SERIAL: u32 = 50;
const DLT_PPP_ETHER: u32 = 51;
const DLT_PPP_PPPD: u32 = 166;
const DLT_NFLOG: u32 = 239;
const DLT_IPNET: u32 = 226;
const DLT_DSA_TAG_BRCM: u32 = 281;
const DLT_DSA_TAG_DSA: u32 = 284;
const DLT_DSA_TAG_EDSA: u32 = 285;
const DLT_DSA_TAG_BRCM_PREPEND: u32 = 282;

/// Print the packet starting at its link header; sets `nd.ll_hdr_len`. When a printer
/// unwinds on truncation, the header length is zero again: tcpdump then dumps the whole
/// packet (print.c `pretty_print_packet`).
pub fn print(nd: &mut Nd<'_>, link: LinkType, data: &[u8], len: u32) -> PResult {
    let r = dispatch(nd, link, data, len);
    if r.is_err() {
        nd.ll_hdr_len = 0;
    }
    r
}

fn dispatch(nd: &mut Nd<'_>, link: LinkType, data: &[u8], len: u32) -> PResult {
    match link {
        LinkType::Ethernet => ether::print(nd, data, len),
        LinkType::Raw | LinkType::Ipv4 | LinkType::Ipv6 => raw_print(nd, data, len),
        LinkType::Null | LinkType::Loop => null_print(nd, data, len),
        LinkType::LinuxSll => sll_print(nd, data, len),
        LinkType::LinuxSll2 => sll2_print(nd, data, len),
        LinkType::Unknown(LINKTYPE_IEEE802_11) => ieee802_11::print(nd, data, len),
        LinkType::Unknown(LINKTYPE_IEEE802_11_RADIO) => ieee802_11::radiotap::print(nd, data, len),
        // PPP (9), PPP_PPPD (166), PPP_SERIAL (50), PPP_ETHER (51), NFLOG (239): print.c's
        // table.
        LinkType::Unknown(DLT_PPP | DLT_PPP_PPPD) => super::ppp::if_print(nd, data, len),
        LinkType::Unknown(DLT_PPP_SERIAL) => super::ppp::hdlc_if_print(nd, data, len),
        LinkType::Unknown(DLT_PPP_ETHER) => super::pppoe::if_print(nd, data, len),
        LinkType::Unknown(DLT_NFLOG) => super::nflog::if_print(nd, data, len),
        LinkType::Unknown(DLT_FRELAY) => super::fr::if_print(nd, data, len),
        LinkType::Unknown(DLT_MFR) => super::fr::mfr_if_print(nd, data, len),
        LinkType::Unknown(DLT_C_HDLC | DLT_HDLC) => super::chdlc::if_print(nd, data, len),
        LinkType::Unknown(DLT_SLIP) => super::sl::if_print(nd, data, len),
        LinkType::Unknown(DLT_SLIP_BSDOS | LINKTYPE_SLIP_BSDOS) => {
            super::sl::bsdos_if_print(nd, data, len)
        }
        LinkType::Unknown(DLT_IPNET) => super::ipnet::if_print(nd, data, len),
        LinkType::Unknown(DLT_DSA_TAG_DSA) => super::dsa::dsa_if_print(nd, data, len),
        LinkType::Unknown(DLT_DSA_TAG_EDSA) => super::dsa::edsa_if_print(nd, data, len),
        LinkType::Unknown(DLT_DSA_TAG_BRCM) => super::brcmtag::if_print(nd, data, len),
        LinkType::Unknown(DLT_DSA_TAG_BRCM_PREPEND) => {
            super::brcmtag::prepend_if_print(nd, data, len)
        }
        LinkType::Unknown(_) => {
            // print-unsupported.c `unsupported_if_print`: the bytes are dumped.
            nd.protocol = "unsupported";
            nd.print("UNSUPPORTED");
            super::hexdump::hex_and_ascii(nd.out, data);
            Ok(())
        }
    }
}

/// Frame Relay (print-fr.c `fr_if_print`).
const DLT_FRELAY: u32 = 107;
/// FRF.16 multilink Frame Relay (print-fr.c `mfr_if_print`).
const DLT_MFR: u32 = 182;
/// Cisco HDLC (print-chdlc.c `chdlc_if_print`), and NetBSD's HDLC, the same framing.
const DLT_C_HDLC: u32 = 104;
const DLT_HDLC: u32 = 112;
/// SLIP with its BPF pseudo-header (print-sl.c `sl_if_print`).
const DLT_SLIP: u32 = 8;
/// BSD/OS SLIP (print-sl.c `sl_bsdos_if_print`): DLT 15, written to files as 102.
const DLT_SLIP_BSDOS: u32 = 15;
const LINKTYPE_SLIP_BSDOS: u32 = 102;
/// IEEE 802.11 frames (print-802_11.c `ieee802_11_if_print`).
const LINKTYPE_IEEE802_11: u32 = 105;
/// 802.11 frames after a radiotap header (print-802_11.c `ieee802_11_radio_if_print`).
const LINKTYPE_IEEE802_11_RADIO: u32 = 127;

/// Raw IP: no header, the IP version picks the printer (print-raw.c `raw_if_print`).
fn raw_print(nd: &mut Nd<'_>, data: &[u8], len: u32) -> PResult {
    nd.protocol = "raw";
    if nd.opts.e > 0 {
        nd.print("ip: ");
    }
    ipn_print(nd, data, len)
}

/// An IPv4 or IPv6 packet, by its version nibble (print-ip.c `ipN_print`).
pub fn ipn_print(nd: &mut Nd<'_>, data: &[u8], len: u32) -> PResult {
    nd.protocol = "ipn";
    if len < 1 {
        crate::nd_print!(nd, "truncated-ip {len}");
        return Ok(());
    }
    match get_u8(data, 0)? & 0xf0 {
        0x40 => ip::print(nd, data, len),
        0x60 => ip6::print(nd, data, len),
        v => {
            crate::nd_print!(nd, "unknown ip {}", v >> 4);
            Ok(())
        }
    }
}

const NULL_HDRLEN: usize = 4;

fn bsd_af_name(af: u32) -> Option<&'static str> {
    super::tok::BSD_AF_VALUES
        .iter()
        .find(|(v, _)| *v == af)
        .map(|(_, n)| *n)
}

/// `AF IPv4 (2), length N: ` (print-null.c `null_hdr_print`).
fn null_hdr_print(nd: &mut Nd<'_>, family: u32, length: u32) {
    match (nd.opts.q > 0, bsd_af_name(family)) {
        (false, name) => crate::nd_print!(nd, "AF {} ({family})", name.unwrap_or("Unknown")),
        (true, Some(name)) => nd.print(name),
        (true, None) => crate::nd_print!(nd, "Unknown AF {family}"),
    }
    crate::nd_print!(nd, ", length {length}: ");
}

/// BSD NULL and LOOP (print-null.c `null_if_print`): a 4-byte address family in host byte
/// order for NULL, network byte order for LOOP; tcpdump reads it in the host's order and
/// byte-swaps it when the upper 16 bits are set, and so does echolab.
fn null_print(nd: &mut Nd<'_>, data: &[u8], len: u32) -> PResult {
    nd.protocol = "null";
    tcheck(data, 0, NULL_HDRLEN)?;
    nd.ll_hdr_len += NULL_HDRLEN;
    let mut family = u32::from_ne_bytes(super::get_array(data, 0)?);
    if family & 0xffff_0000 != 0 {
        family = family.swap_bytes();
    }
    if nd.opts.e > 0 {
        null_hdr_print(nd, family, len);
    }
    let body = data.get(NULL_HDRLEN..).unwrap_or(&[]);
    let length = len.saturating_sub(NULL_HDRLEN as u32);
    match family {
        2 => ip::print(nd, body, length),
        24 | 28 | 30 => ip6::print(nd, body, length),
        _ => {
            // ISO, Appletalk and IPX have tcpdump printers echolab does not have.
            if nd.opts.e == 0 {
                null_hdr_print(nd, family, len);
            }
            util::default_print(nd, body);
            Ok(())
        }
    }
}

const SLL_HDR_LEN: usize = 16;
const SLL2_HDR_LEN: usize = 20;
const LINUX_SLL_P_802_3: u16 = 0x0001;
const LINUX_SLL_P_802_2: u16 = 0x0004;

/// Packet types (print-sll.c `sll_pkttype_values`).
const SLL_PKTTYPE_VALUES: [&str; 5] = ["In", "B", "M", "P", "Out"];

fn pkttype_name(t: u16) -> &'static str {
    SLL_PKTTYPE_VALUES
        .get(usize::from(t))
        .copied()
        .unwrap_or("?")
}

/// The fields of a Linux cooked header that its printers use.
struct Sll {
    v2: bool,
    pkttype: u16,
    halen: u16,
    /// Offset of the link-layer address in the header.
    addr_at: usize,
    /// Offset of the ARPHRD_ hardware type.
    hatype_at: usize,
    protocol: u16,
    if_index: u32,
    hdr_len: usize,
}

impl Sll {
    fn v1(data: &[u8]) -> PResult<Sll> {
        Ok(Sll {
            v2: false,
            pkttype: get_be_u16(data, 0)?,
            halen: get_be_u16(data, 4)?,
            addr_at: 6,
            hatype_at: 2,
            protocol: get_be_u16(data, 14)?,
            if_index: 0,
            hdr_len: SLL_HDR_LEN,
        })
    }

    fn v2(data: &[u8]) -> PResult<Sll> {
        Ok(Sll {
            v2: true,
            pkttype: u16::from(get_u8(data, 10)?),
            halen: u16::from(get_u8(data, 11)?),
            addr_at: 12,
            hatype_at: 8,
            protocol: get_be_u16(data, 0)?,
            if_index: get_be_u32(data, 4)?,
            hdr_len: SLL2_HDR_LEN,
        })
    }
}

/// The `-e` header (print-sll.c `sll_print` / `sll2_print`).
fn sll_hdr_print(nd: &mut Nd<'_>, h: &Sll, data: &[u8], length: u32) -> PResult {
    if h.v2 {
        nd.protocol = "sll2";
        crate::nd_print!(nd, "ifindex {} ", h.if_index);
    } else {
        nd.protocol = "sll";
        crate::nd_print!(nd, "{:>3} ", pkttype_name(h.pkttype));
    }
    if h.halen == 6 {
        let mac = names::etheraddr_at(nd, data, h.addr_at)?;
        crate::nd_print!(nd, "{mac} ");
    }
    if nd.opts.q == 0 {
        let t = h.protocol;
        match t {
            LINUX_SLL_P_802_3 => nd.print("802.3"),
            LINUX_SLL_P_802_2 => nd.print("802.2"),
            _ if t <= tok::MAX_ETHERNET_LENGTH_VAL => {
                crate::nd_print!(nd, "ethertype Unknown (0x{t:04x})")
            }
            _ => crate::nd_print!(
                nd,
                "ethertype {} (0x{t:04x})",
                tok::ethertype_name(t).unwrap_or("Unknown")
            ),
        }
        crate::nd_print!(nd, ", length {length}: ");
    }
    Ok(())
}

/// Linux cooked capture v1 (print-sll.c `sll_if_print`).
fn sll_print(nd: &mut Nd<'_>, data: &[u8], len: u32) -> PResult {
    nd.protocol = "sll";
    tcheck(data, 0, SLL_HDR_LEN)?;
    let h = Sll::v1(data)?;
    if nd.opts.e > 0 {
        sll_hdr_print(nd, &h, data, len)?;
    }
    sll_body_print(nd, &h, data, len)
}

/// Linux cooked capture v2 (print-sll.c `sll2_if_print`): the interface name and packet
/// type are printed even without `-e`.
fn sll2_print(nd: &mut Nd<'_>, data: &[u8], len: u32) -> PResult {
    nd.protocol = "sll2";
    tcheck(data, 0, SLL2_HDR_LEN)?;
    let h = Sll::v2(data)?;
    let ifname = names::ifindex_name(nd, h.if_index);
    crate::nd_print!(nd, "{ifname:<5} ");
    crate::nd_print!(nd, "{:<3} ", pkttype_name(h.pkttype));
    if nd.opts.e > 0 {
        sll_hdr_print(nd, &h, data, len)?;
    }
    sll_body_print(nd, &h, data, len)
}

/// The hardware type of a cooked header carrying a radiotap header and an 802.11 frame.
const ARPHRD_IEEE80211_RADIOTAP: u16 = 803;

/// What follows a cooked header: a radiotap header by its hardware type, else 802.3/802.2
/// frames, 802.1Q tags, or an ethertype.
fn sll_body_print(nd: &mut Nd<'_>, h: &Sll, data: &[u8], len: u32) -> PResult {
    if get_be_u16(data, h.hatype_at)? == ARPHRD_IEEE80211_RADIOTAP {
        nd.ll_hdr_len += h.hdr_len;
        let body = data.get(h.hdr_len..).unwrap_or(&[]);
        let length = len.saturating_sub(h.hdr_len as u32);
        return ieee802_11::radiotap::print(nd, body, length);
    }
    let mut p = h.hdr_len;
    let mut length = (len as usize).saturating_sub(p);
    let mut ether_type = h.protocol;
    loop {
        let body = data.get(p..).unwrap_or(&[]);
        if ether_type <= tok::MAX_ETHERNET_LENGTH_VAL {
            // 802.3 IPX (no IPX printer here) and unknown types are dumped; 802.2 has LLC.
            let llc = if ether_type == LINUX_SLL_P_802_2 {
                ether::llc_print(nd, body, length, None)?
            } else {
                -1
            };
            if llc < 0 {
                util::default_print(nd, body);
            } else {
                p += llc.unsigned_abs();
            }
        } else if ether_type == tok::ETHERTYPE_8021Q {
            if body.len() < 4 {
                nd.protocol = "vlan";
                nd.print(" [|vlan]");
                nd.ll_hdr_len += p + body.len();
                return Ok(());
            }
            if nd.opts.e > 0 {
                let tag = get_be_u16(body, 0)?;
                crate::nd_print!(nd, "{}, ", util::tci_string(tag));
            }
            ether_type = get_be_u16(body, 2)?;
            if ether_type <= tok::MAX_ETHERNET_LENGTH_VAL {
                ether_type = LINUX_SLL_P_802_2;
            }
            if nd.opts.q == 0 {
                let name = tok::ethertype_name(ether_type).unwrap_or("Unknown");
                crate::nd_print!(nd, "ethertype {name}, ");
            }
            p += 4;
            length = length.saturating_sub(4);
            continue;
        } else if !ether::ethertype_print(nd, ether_type, body, length)? {
            if nd.opts.e == 0 {
                let whole = u32::try_from(length + h.hdr_len).unwrap_or(u32::MAX);
                sll_hdr_print(nd, h, data, whole)?;
            }
            util::default_print(nd, body);
        }
        break;
    }
    nd.ll_hdr_len += p;
    Ok(())
}

#[cfg(test)]
#[allow(clippy::indexing_slicing, clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::capture::print::testing::with_nd;
    use crate::capture::print::PrintOptions;
    use proptest::prelude::*;

    /// Print `data` as link type `link`: the text, `ll_hdr_len` and the result.
    fn run(link: LinkType, data: &[u8], len: u32, opts: &PrintOptions) -> (String, usize, PResult) {
        let (out, (r, hdr)) = with_nd(opts, |nd| {
            let r = print(nd, link, data, len);
            (r, nd.ll_hdr_len)
        });
        (out, hdr, r)
    }

    fn opts(e: u8, v: u8, q: u8) -> PrintOptions {
        PrintOptions {
            n: 2,
            e,
            v,
            q,
            ..PrintOptions::default()
        }
    }

    /// An ARP request for 10.0.0.2 from 10.0.0.1 (RFC 826 layout).
    const ARP: [u8; 28] = [
        0x00, 0x01, 0x08, 0x00, 6, 4, 0x00, 0x01, // Ethernet, IPv4, lengths, request
        2, 0, 0, 0, 0, 1, 10, 0, 0, 1, // sender MAC and IP
        0, 0, 0, 0, 0, 0, 10, 0, 0, 2, // target MAC and IP
    ];

    fn ether(ethertype: u16, body: &[u8]) -> Vec<u8> {
        let mut f = vec![2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1];
        f.extend_from_slice(&ethertype.to_be_bytes());
        f.extend_from_slice(body);
        f
    }

    fn sll(v2: bool, proto: u16, body: &[u8]) -> Vec<u8> {
        let mut f = if v2 {
            let mut h = proto.to_be_bytes().to_vec();
            h.extend_from_slice(&[0, 0, 0, 0, 0, 1, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0]);
            h
        } else {
            let mut h = vec![0, 0, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0];
            h.extend_from_slice(&proto.to_be_bytes());
            h
        };
        f.extend_from_slice(body);
        f
    }

    #[test]
    fn header_lengths_are_the_link_headers() {
        let o = opts(0, 0, 0);
        let len = |d: &Vec<u8>| d.len() as u32;
        let f = ether(0x0806, &ARP);
        assert_eq!(run(LinkType::Ethernet, &f, len(&f), &o).1, 14);
        let mut tagged = vec![0x00, 0x05, 0x08, 0x06];
        tagged.extend_from_slice(&ARP);
        let f = ether(0x8100, &tagged);
        assert_eq!(run(LinkType::Ethernet, &f, len(&f), &o).1, 18);
        let f = sll(false, 0x0806, &ARP);
        assert_eq!(run(LinkType::LinuxSll, &f, len(&f), &o).1, 16);
        let f = sll(true, 0x0806, &ARP);
        assert_eq!(run(LinkType::LinuxSll2, &f, len(&f), &o).1, 20);
        let mut f = 99u32.to_ne_bytes().to_vec();
        f.extend_from_slice(b"abcd");
        assert_eq!(run(LinkType::Null, &f, 8, &o).1, 4);
    }

    #[test]
    fn a_short_ethernet_header_is_reported_not_read() {
        let f = ether(0x0806, &ARP);
        for cut in 0..14 {
            let (out, hdr, r) = run(
                LinkType::Ethernet,
                &f[..cut],
                f.len() as u32,
                &opts(1, 0, 0),
            );
            assert!(r.is_ok() && out.ends_with("[|ether]"), "cut {cut}: {out}");
            assert_eq!(hdr, cut);
        }
    }

    #[test]
    fn unknown_payloads_are_dumped_unless_suppressed() {
        let f = ether(0x88b5, b"payload");
        let (out, _, _) = run(LinkType::Ethernet, &f, f.len() as u32, &opts(0, 0, 0));
        assert!(out.contains("\n\t0x0000:"), "{out}");
        let (out, _, _) = run(LinkType::Ethernet, &f, f.len() as u32, &opts(0, 0, 1));
        assert!(!out.contains("0x0000:"), "{out}");
    }

    #[test]
    fn every_prefix_of_every_link_prints_without_panic() {
        let frames = [
            (LinkType::Ethernet, ether(0x0806, &ARP)),
            (
                LinkType::Ethernet,
                ether(20, &[0xaa, 0xaa, 3, 0, 0, 0, 0x08, 0x06]),
            ),
            (LinkType::LinuxSll, sll(false, 0x8100, &[0, 5, 0x08, 0x06])),
            (
                LinkType::LinuxSll2,
                sll(true, 0x0004, &[0x80, 0x80, 0xbf, 0x81, 1, 0]),
            ),
            (LinkType::Loop, vec![0, 0, 0, 2, 0x45]),
            (LinkType::Raw, vec![0x60, 0]),
        ];
        for (link, f) in &frames {
            for cut in 0..=f.len() {
                for (e, v, q) in [(0, 0, 0), (1, 2, 0), (0, 1, 1)] {
                    let _ = run(*link, &f[..cut], f.len() as u32, &opts(e, v, q));
                }
            }
        }
    }

    proptest! {
        #[test]
        fn arbitrary_frames_never_panic(
            data in proptest::collection::vec(any::<u8>(), 0..80),
            extra in 0u32..100,
            link in prop::sample::select(vec![0u32, 1, 101, 108, 113, 228, 229, 276, 147]),
            e in 0u8..2,
            v in 0u8..4,
            q in 0u8..2,
        ) {
            let len = data.len() as u32 + extra;
            let _ = run(LinkType::from_linktype(link), &data, len, &opts(e, v, q));
        }
    }
}
