//! TODO: mirrors print-icmp.c at tcpdump-4.99.3.

use super::{IpCtx, Nd, PResult};

/// Print from the start of the icmp header; `len` is the on-wire length from there.
pub fn print(nd: &mut Nd<'_>, data: &[u8], len: u32, ip: &IpCtx) -> PResult {
    let _ = (nd, data, len, ip);
    Ok(())
}
