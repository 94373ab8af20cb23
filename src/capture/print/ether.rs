//! TODO: mirrors print-ether.c at tcpdump-4.99.3.

use super::{Nd, PResult};

/// Print from the start of the ether header; `len` is the on-wire length from there.
pub fn print(nd: &mut Nd<'_>, data: &[u8], len: u32) -> PResult {
    let _ = (nd, data, len);
    Ok(())
}
