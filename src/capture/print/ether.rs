//! Ethernet (print-ether.c at tcpdump-4.99.3).

use super::{arp, get_be_u16, ip, ip6, Nd, PResult};

/// Print an Ethernet frame; sets `nd.ll_hdr_len` to the header length.
pub fn print(nd: &mut Nd<'_>, data: &[u8], len: u32) -> PResult {
    nd.protocol = "ether";
    let ethertype = get_be_u16(data, 12)?;
    nd.ll_hdr_len = 14;
    let body = data.get(14..).unwrap_or(&[]);
    let len = len.saturating_sub(14);
    match ethertype {
        0x0800 => ip::print(nd, body, len),
        0x86dd => ip6::print(nd, body, len),
        0x0806 => arp::print(nd, body, len),
        _ => Ok(()),
    }
}
