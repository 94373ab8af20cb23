//! SLIP with the BPF pseudo-header (direction byte, then the compressed TCP/IP header Van
//! Jacobson compression left, 16 bytes in all), mirroring print-sl.c at tcpdump-4.99.3:
//! link types SLIP (8) and BSD/OS SLIP (15, and 102 as files name it). `-e` shows the
//! direction and the compression type; a compressed header shows its changes as tcpdump
//! prints them, with the data lengths it remembers per direction and connection across
//! packets ([`SlipState`]).
//!
//! Must not do I/O: it only reads the captured bytes.

use super::{get_be_u16, get_u8, tcheck, Nd, PResult};
use crate::nd_print;

/// The pseudo-header in front of each packet.
const SLIP_HDRLEN: usize = 16;
/// Offset of the direction byte, then of the compressed header.
const SLX_DIR: usize = 0;
const SLX_CHDR: usize = 1;
const SLIPDIR_IN: u8 = 0;
const SLIPDIR_OUT: u8 = 1;

/// Packet types in the high nibble of the compressed header's first byte (slcompress.h).
const TYPE_IP: u8 = 0x40;
const TYPE_UNCOMPRESSED_TCP: u8 = 0x70;
const TYPE_COMPRESSED_TCP: u8 = 0x80;

/// What a compressed header says changed (slcompress.h).
const NEW_C: u8 = 0x40;
const NEW_I: u8 = 0x20;
const NEW_S: u8 = 0x08;
const NEW_A: u8 = 0x04;
const NEW_W: u8 = 0x02;
const NEW_U: u8 = 0x01;
const SPECIALS_MASK: u8 = NEW_S | NEW_A | NEW_W | NEW_U;
/// Echoed interactive traffic.
const SPECIAL_I: u8 = NEW_S | NEW_W | NEW_U;
/// Unidirectional data.
const SPECIAL_D: u8 = NEW_S | NEW_A | NEW_W | NEW_U;

/// What print-sl.c keeps across packets: the data length last seen per direction and
/// connection (`lastlen`), and the last connection number (`lastconn`).
#[derive(Debug)]
pub struct SlipState {
    lastlen: [[u32; 256]; 2],
    lastconn: u8,
}

impl Default for SlipState {
    fn default() -> Self {
        SlipState {
            lastlen: [[0; 256]; 2],
            lastconn: 255,
        }
    }
}

impl SlipState {
    /// The length remembered for direction `dir` (0 or 1) and the last connection.
    fn last(&self, dir: usize) -> u32 {
        let conn = usize::from(self.lastconn);
        self.lastlen
            .get(dir)
            .and_then(|d| d.get(conn))
            .copied()
            .unwrap_or(0)
    }

    fn set_last(&mut self, dir: usize, len: u32) {
        let conn = usize::from(self.lastconn);
        if let Some(v) = self.lastlen.get_mut(dir).and_then(|d| d.get_mut(conn)) {
            *v = len;
        }
    }
}

/// Link type SLIP (`sl_if_print`): the pseudo-header (shown with `-e`), then IPv4 or IPv6
/// by the version nibble.
pub fn if_print(nd: &mut Nd<'_>, data: &[u8], len: u32) -> PResult {
    nd.protocol = "slip";
    tcheck(data, 0, SLIP_HDRLEN)?;
    nd.ll_hdr_len += SLIP_HDRLEN;
    let length = len.wrapping_sub(SLIP_HDRLEN as u32);
    if nd.opts.e > 0 {
        sliplink_print(nd, data, length)?;
    }
    let ip = data.get(SLIP_HDRLEN..).unwrap_or(&[]);
    match get_u8(ip, 0)? >> 4 {
        4 => super::ip::print(nd, ip, length),
        6 => super::ip6::print(nd, ip, length),
        v => {
            nd.print("ip v");
            nd.print_u32(u32::from(v));
            Ok(())
        }
    }
}

/// Link type BSD/OS SLIP (`sl_bsdos_if_print`): IPv4 after the pseudo-header, which tcpdump
/// never shows.
pub fn bsdos_if_print(nd: &mut Nd<'_>, data: &[u8], len: u32) -> PResult {
    nd.protocol = "slip_bsdos";
    tcheck(data, 0, SLIP_HDRLEN)?;
    nd.ll_hdr_len += SLIP_HDRLEN;
    let ip = data.get(SLIP_HDRLEN..).unwrap_or(&[]);
    super::ip::print(nd, ip, len.wrapping_sub(SLIP_HDRLEN as u32))
}

/// The `-e` header: direction, then the packet type with its connection and changes
/// (`sliplink_print`). `length` counts from the IP header.
fn sliplink_print(nd: &mut Nd<'_>, p: &[u8], length: u32) -> PResult {
    let dir = match get_u8(p, SLX_DIR)? {
        SLIPDIR_IN => {
            nd.print("I ");
            Some(0)
        }
        SLIPDIR_OUT => {
            nd.print("O ");
            Some(1)
        }
        d => {
            nd_print!(nd, "Invalid direction {d} ");
            None
        }
    };
    let chdr = get_u8(p, SLX_CHDR)?;
    match chdr & 0xf0 {
        TYPE_IP => {
            nd.print("ip ");
            nd.print_u32(length.wrapping_add(SLIP_HDRLEN as u32));
            nd.print(": ");
        }
        TYPE_UNCOMPRESSED_TCP => {
            // The connection number stands where the IP protocol was, in the copy of the
            // IP header that starts at the compressed header's byte.
            nd.state.sl.lastconn = get_u8(p, SLX_CHDR + 9)?;
            nd.print("utcp ");
            nd.print_u32(u32::from(nd.state.sl.lastconn));
            nd.print(": ");
            if let Some(dir) = dir {
                let hlen = tcpip_header_words(p)?;
                nd.state.sl.set_last(dir, length.wrapping_sub(hlen << 2));
            }
        }
        _ => {
            let Some(dir) = dir else {
                return Ok(());
            };
            if chdr & TYPE_COMPRESSED_TCP != 0 {
                compressed_sl_print(nd, p, length, dir)?;
                nd.print(": ");
            } else {
                nd_print!(nd, "slip-{chdr}!: ");
            }
        }
    }
    Ok(())
}

/// The length in 32-bit words of the IP and TCP headers after the pseudo-header, as their
/// length fields say.
fn tcpip_header_words(p: &[u8]) -> PResult<u32> {
    tcheck(p, SLIP_HDRLEN, 20)?;
    let ip_words = u32::from(get_u8(p, SLIP_HDRLEN)? & 0x0f);
    let th = SLIP_HDRLEN + 4 * ip_words as usize;
    tcheck(p, th, 20)?;
    Ok(ip_words + u32::from(get_u8(p, th + 12)? >> 4))
}

/// A Van Jacobson compressed header from `SLX_CHDR` (`compressed_sl_print`): the
/// connection, the changes, the data length and the header's length.
fn compressed_sl_print(nd: &mut Nd<'_>, p: &[u8], length: u32, dir: usize) -> PResult {
    let mut cp = SLX_CHDR;
    let flags = get_u8(p, cp)?;
    cp += 1;
    if flags & NEW_C != 0 {
        nd.state.sl.lastconn = get_u8(p, cp)?;
        cp += 1;
        nd.print("ctcp ");
        nd.print_u32(u32::from(nd.state.sl.lastconn));
    } else {
        nd.print("ctcp *");
    }
    // The TCP checksum.
    cp += 2;
    match flags & SPECIALS_MASK {
        SPECIAL_I => nd_print!(nd, " *SA+{}", nd.state.sl.last(dir)),
        SPECIAL_D => nd_print!(nd, " *S+{}", nd.state.sl.last(dir)),
        _ => {
            if flags & NEW_U != 0 {
                cp = change_print(nd, "U=", p, cp)?;
            }
            if flags & NEW_W != 0 {
                cp = winchange_print(nd, p, cp)?;
            }
            if flags & NEW_A != 0 {
                cp = change_print(nd, "A+", p, cp)?;
            }
            if flags & NEW_S != 0 {
                cp = change_print(nd, "S+", p, cp)?;
            }
        }
    }
    if flags & NEW_I != 0 {
        cp = change_print(nd, "I+", p, cp)?;
    }
    let hlen = tcpip_header_words(p)?;
    let last = length.wrapping_sub(hlen << 2);
    nd.state.sl.set_last(dir, last);
    nd_print!(nd, " {last} ({})", cp - SLX_CHDR);
    Ok(())
}

/// A changed field: one byte, or a zero byte and two (`print_sl_change`). As in print-sl.c,
/// a one-byte value leaves the position where it was, so the next field reads it again.
fn change_print(nd: &mut Nd<'_>, label: &str, p: &[u8], mut cp: usize) -> PResult<usize> {
    let mut i = u32::from(get_u8(p, cp)?);
    if i == 0 {
        cp += 1;
        i = u32::from(get_be_u16(p, cp)?);
        cp += 2;
    }
    nd.print(" ");
    nd.print(label);
    nd.print_u32(i);
    Ok(cp)
}

/// A window change, signed when it takes two bytes (`print_sl_winchange`); the position is
/// kept as [`change_print`] keeps it.
fn winchange_print(nd: &mut Nd<'_>, p: &[u8], mut cp: usize) -> PResult<usize> {
    let mut i = i16::from(get_u8(p, cp)?);
    if i == 0 {
        cp += 1;
        i = get_be_u16(p, cp)? as i16;
        cp += 2;
    }
    if i >= 0 {
        nd_print!(nd, " W+{i}");
    } else {
        nd_print!(nd, " W{i}");
    }
    Ok(cp)
}

#[cfg(test)]
#[allow(clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::capture::print::testing::{opts, with_state};
    use crate::capture::print::{PrintOptions, State};

    fn e() -> PrintOptions {
        PrintOptions { e: 1, ..opts(0) }
    }

    /// The pseudo-header (`dir`, compressed header bytes) before a 20-byte IPv4 header and a
    /// 20-byte TCP header with 5 bytes of data.
    fn packet(dir: u8, chdr: &[u8]) -> Vec<u8> {
        let mut p = vec![dir];
        p.extend_from_slice(chdr);
        p.resize(SLIP_HDRLEN, 0);
        p.extend_from_slice(&[
            0x45, 0, 0, 45, 0, 1, 0, 0, 64, 6, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2,
        ]);
        p.extend_from_slice(&[
            0, 23, 4, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0x50, 0x18, 1, 0, 0, 0, 0, 0,
        ]);
        p.extend_from_slice(b"hello");
        p
    }

    #[test]
    fn uncompressed_then_compressed_remember_the_length() {
        let mut state = State::default();
        let mut chdr = vec![0x70];
        chdr.extend_from_slice(&[0, 0, 45, 0, 1, 0, 0, 64, 3]);
        let p = packet(1, &chdr);
        let (out, r) = with_state(&e(), &mut state, |nd| if_print(nd, &p, p.len() as u32));
        assert_eq!(r, Ok(()));
        assert!(out.starts_with("O utcp 3: "), "{out}");
        // A special-case header: the sequence grows by the last data length.
        let p = packet(1, &[0x8f, 0x12, 0x34]);
        let (out, _) = with_state(&e(), &mut state, |nd| if_print(nd, &p, p.len() as u32));
        assert!(out.starts_with("O ctcp * *S+5 5 (3): "), "{out}");
    }

    #[test]
    fn changes_of_one_byte_are_read_again() {
        let mut state = State::default();
        // Compressed, U, W and A changed: the first value byte is read three times.
        let p = packet(0, &[0xc7, 9, 0, 0, 7, 0, 1, 0]);
        let (out, _) = with_state(&e(), &mut state, |nd| if_print(nd, &p, p.len() as u32));
        assert!(out.starts_with("I ctcp 9 U=7 W+7 A+7 5 (4): "), "{out}");
        let p = packet(0, &[0xc2, 9, 0, 0, 0, 0xff, 0xfe]);
        let (out, _) = with_state(&e(), &mut state, |nd| if_print(nd, &p, p.len() as u32));
        assert!(out.starts_with("I ctcp 9 W-2 5 (7): "), "{out}");
    }

    #[test]
    fn a_bad_direction_and_version() {
        let mut p = packet(7, &[0x40]);
        p[SLIP_HDRLEN] = 0xe5;
        let (out, _) = with_state(&e(), &mut State::default(), |nd| {
            if_print(nd, &p, p.len() as u32)
        });
        assert_eq!(out, "Invalid direction 7 ip 61: ip v14");
    }

    #[test]
    fn every_prefix_prints_without_panic() {
        let p = packet(0, &[0xff, 1, 0, 0, 0, 1, 2, 0, 0, 0, 0, 0, 0, 0, 0]);
        for cut in 0..=p.len() {
            for o in [e(), opts(2)] {
                let mut state = State::default();
                let _ = with_state(&o, &mut state, |nd| if_print(nd, &p[..cut], p.len() as u32));
                let _ = with_state(&o, &mut state, |nd| {
                    bsdos_if_print(nd, &p[..cut], p.len() as u32)
                });
            }
        }
    }

    crate::arbitrary_bytes_never_panic!(if_print);

    mod bsdos {
        crate::arbitrary_bytes_never_panic!(super::bsdos_if_print);
    }
}
