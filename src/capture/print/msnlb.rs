//! Microsoft Network Load Balancing heartbeats (ethertype 0x886f), mirroring print-msnlb.c
//! at tcpdump-4.99.3: the protocol is undocumented, so only the priority and the two
//! addresses tcpdump knows are printed.
//!
//! Must not do I/O: it only reads the captured bytes.

use super::names::{ip4_at, print_addr};
use super::util::get_le_u32;
use super::{Nd, PResult};
use crate::nd_print;

/// The ethertype (`ETHERTYPE_MS_NLB_HB`).
pub const ETHERTYPE_MS_NLB_HB: u16 = 0x886f;

/// Field offsets (print-msnlb.c `struct msnlb_heartbeat_pkt`).
mod field {
    pub const HOST_PRIO: usize = 8;
    pub const VIRTUAL_IP: usize = 12;
    pub const HOST_IP: usize = 16;
}

/// Print the heartbeat at `data` (print-msnlb.c `msnlb_print`).
pub fn print(nd: &mut Nd<'_>, data: &[u8]) -> PResult {
    nd.protocol = "msnlb";
    nd.print("MS NLB heartbeat");
    // The priority is little-endian.
    nd_print!(
        nd,
        ", host priority: {}",
        get_le_u32(data, field::HOST_PRIO)?
    );
    let cluster = ip4_at(data, field::VIRTUAL_IP)?;
    nd.print(", cluster IP: ");
    print_addr(nd, cluster);
    let host = ip4_at(data, field::HOST_IP)?;
    nd.print(", host IP: ");
    print_addr(nd, host);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capture::print::testing::{opts, with_nd};
    use crate::capture::print::Trunc;

    #[test]
    fn priority_is_little_endian_and_truncation_unwinds() {
        let d = [
            0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, // unknown, host priority (little-endian)
            192, 0, 2, 80, 192, 0, 2, 82, // cluster and host addresses
        ];
        let (out, r) = with_nd(&opts(0), |nd| print(nd, &d));
        assert_eq!(r, Ok(()));
        assert!(out.contains("host priority: 2,"), "{out}");
        for cut in 0..d.len() {
            let (_, r) = with_nd(&opts(0), |nd| print(nd, d.get(..cut).unwrap_or(&[])));
            assert_eq!(r, Err(Trunc), "cut {cut}");
        }
    }
}
