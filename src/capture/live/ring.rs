//! The `TPACKET_V3` receive ring, libpcap's fast path: the kernel writes frames into blocks of
//! a memory region shared with user space and hands over a whole block at a time, so frames
//! cost no system call each.
//!
//! This module reads the blocks with safe, bounds-checked byte reads; the mapping and the
//! hand-over live in `sys.rs`. Layouts are those of `linux/if_packet.h`: `struct
//! tpacket_block_desc`, `struct tpacket3_hdr`, then a `struct sockaddr_ll`.

use std::io;

use super::sys::{self, LinkAddr, PacketSocket, Ring};

/// `TPACKET_ALIGN(sizeof(struct tpacket3_hdr))`: where the `sockaddr_ll` begins.
const SLL_AT: usize = 48;
/// Minimum block size: large blocks batch many frames per hand-over, and each hand-over wakes
/// the reader. libpcap's blocks are 256 KiB (one `MAXIMUM_SNAPLEN` frame each, `create_ring`
/// in `pcap-linux.c` at libpcap-1.10.3); smaller ones fill, and wake, more often under load.
const MIN_BLOCK: usize = 256 * 1024;

/// One frame as the ring describes it; offsets are within the block.
#[derive(Debug, Clone, Copy)]
pub struct RingFrame {
    pub block: usize,
    pub start: usize,
    pub end: usize,
    /// `tp_len`: the frame's original length.
    pub len: u32,
    pub sec: u32,
    pub nsec: u32,
    pub status: u32,
    pub vlan_tci: u16,
    pub vlan_tpid: u16,
    /// The frame's `sockaddr_ll`.
    pub sll: LinkAddr,
}

/// The ring and where reading stands in it.
#[derive(Debug)]
pub struct RingReader {
    ring: Ring,
    /// The block being read or waited for.
    block: usize,
    /// Within a held block: the next frame's offset and the frames left.
    cursor: Option<(usize, u32)>,
    /// How long the kernel keeps a block that is not full before handing it over.
    pub retire_ms: u32,
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_ne_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

impl RingReader {
    /// Map a ring of about `buffer_size` bytes on the (not yet bound) socket, with blocks large
    /// enough for one frame of the interface's `mtu` cut to `snaplen`.
    pub fn new(
        sock: &PacketSocket,
        buffer_size: usize,
        snaplen: u32,
        mtu: usize,
        retire_ms: u32,
    ) -> io::Result<RingReader> {
        // Largest frame: the MTU plus an Ethernet header and a VLAN tag, at most the snaplen;
        // then the frame header, the address and alignment slack.
        let data = usize::try_from(snaplen)
            .unwrap_or(usize::MAX)
            .min(mtu.saturating_add(18));
        let frame_size = (data + SLL_AT + 32 + 64).next_multiple_of(16);
        let block_size = frame_size.next_power_of_two().max(MIN_BLOCK);
        let blocks = (buffer_size / block_size).max(2);
        let ring = Ring::setup(sock, block_size, blocks, frame_size, retire_ms)?;
        Ok(RingReader {
            ring,
            block: 0,
            cursor: None,
            retire_ms,
        })
    }

    /// The next frame the kernel has handed over, or `None` if there is none yet.
    pub fn next_frame(&mut self) -> Option<RingFrame> {
        loop {
            let Some((at, left)) = self.cursor else {
                let b = self.ring.block(self.block)?;
                let count = u32_at(b, 12).unwrap_or(0);
                let first = u32_at(b, 16).unwrap_or(0);
                self.cursor = Some((first as usize, count));
                continue;
            };
            if left == 0 {
                self.ring.release(self.block);
                self.block = (self.block + 1) % self.ring.blocks();
                self.cursor = None;
                continue;
            }
            let parsed = self
                .ring
                .block(self.block)
                .and_then(|b| parse_frame(b, self.block, at));
            match parsed {
                Some((frame, next)) => {
                    self.cursor = Some((at + next, left - 1));
                    return Some(frame);
                }
                // A header that does not fit the block: give the block back.
                None => self.cursor = Some((at, 0)),
            }
        }
    }

    /// The bytes of a frame returned by `next_frame` (empty if out of the block).
    pub fn data(&self, f: &RingFrame) -> &[u8] {
        self.ring
            .block(f.block)
            .and_then(|b| b.get(f.start..f.end))
            .unwrap_or(&[])
    }
}

/// The bytes read of each frame's headers: the `tpacket3_hdr`, then the `sockaddr_ll` up to the
/// end of its `sll_addr`.
const HDR_LEN: usize = SLL_AT + 20;

/// Read the `tpacket3_hdr` at `at`; the frame and the offset of the next header. One bounds
/// check for the whole header, as this runs for every frame.
fn parse_frame(b: &[u8], block: usize, at: usize) -> Option<(RingFrame, usize)> {
    let h: &[u8; HDR_LEN] = b.get(at..at.checked_add(HDR_LEN)?)?.try_into().ok()?;
    let u32_of = |o: usize| u32::from_ne_bytes([h[o], h[o + 1], h[o + 2], h[o + 3]]);
    let u16_of = |o: usize| u16::from_ne_bytes([h[o], h[o + 1]]);
    let next = u32_of(0) as usize;
    let snaplen = u32_of(12) as usize;
    let mac = usize::from(u16_of(24));
    let start = at.checked_add(mac)?;
    let end = start.checked_add(snaplen)?;
    if end > b.len() {
        return None;
    }
    let frame = RingFrame {
        block,
        start,
        end,
        len: u32_of(16),
        sec: u32_of(4),
        nsec: u32_of(8),
        status: u32_of(20),
        // `tp_vlan_tci` is 32 bits wide; the tag's 16 are its low ones.
        vlan_tci: (u32_of(32) & 0xffff) as u16,
        vlan_tpid: u16_of(36),
        sll: LinkAddr::from_bytes(h[SLL_AT..].try_into().ok()?),
    };
    Some((frame, next))
}

/// Whether the frame carries a VLAN tag the driver stripped.
pub fn has_vlan(f: &RingFrame) -> bool {
    f.status & sys::TP_STATUS_VLAN_VALID != 0
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A block holding one `tpacket3_hdr` at `at` followed by its `sockaddr_ll` and `data` at
    /// `at + mac`.
    fn block_with_frame(at: usize, mac: u16, data: &[u8], pkttype: u8) -> Vec<u8> {
        let mut b = vec![0u8; 4096];
        let put32 = |b: &mut Vec<u8>, off: usize, v: u32| {
            b[off..off + 4].copy_from_slice(&v.to_ne_bytes());
        };
        put32(&mut b, at, 0); // tp_next_offset: last frame
        put32(&mut b, at + 4, 1_700_000_000); // tp_sec
        put32(&mut b, at + 8, 123_456_789); // tp_nsec
        put32(&mut b, at + 12, data.len() as u32); // tp_snaplen
        put32(&mut b, at + 16, 1500); // tp_len
        put32(&mut b, at + 20, 0); // tp_status
        b[at + 24..at + 26].copy_from_slice(&mac.to_ne_bytes()); // tp_mac
        b[at + SLL_AT + 4..at + SLL_AT + 8].copy_from_slice(&7i32.to_ne_bytes()); // sll_ifindex
        b[at + SLL_AT + 10] = pkttype; // sll_pkttype
        b[at + SLL_AT + 11] = 6; // sll_halen
        b[at + SLL_AT + 12..at + SLL_AT + 18].copy_from_slice(&[2, 0, 0, 0, 0, 1]); // sll_addr
        let start = at + usize::from(mac);
        b[start..start + data.len()].copy_from_slice(data);
        b
    }

    #[test]
    fn a_frame_header_is_read() {
        let b = block_with_frame(48, 80, &[0xaa; 60], 4);
        let (f, next) = parse_frame(&b, 3, 48).unwrap();
        assert_eq!(next, 0);
        assert_eq!((f.block, f.start, f.end), (3, 128, 188));
        assert_eq!((f.len, f.sec, f.nsec), (1500, 1_700_000_000, 123_456_789));
        assert_eq!((f.sll.ifindex, f.sll.pkttype, f.sll.halen), (7, 4, 6));
        assert_eq!(f.sll.addr, [2, 0, 0, 0, 0, 1, 0, 0]);
        assert!(!has_vlan(&f));
    }

    #[test]
    fn a_frame_past_the_block_is_refused() {
        let mut b = block_with_frame(48, 80, &[0xaa; 60], 0);
        // tp_snaplen larger than what is left in the block.
        b[48 + 12..48 + 16].copy_from_slice(&5000u32.to_ne_bytes());
        assert!(parse_frame(&b, 0, 48).is_none());
        // A header cut by the end of the block, at every length.
        for cut in 0..HDR_LEN {
            assert!(parse_frame(&b[..48 + cut], 0, 48).is_none(), "cut at {cut}");
        }
        assert!(parse_frame(&b, 0, usize::MAX - 8).is_none());
    }
}
