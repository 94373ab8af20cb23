//! ZMTP/1.0, the ZeroMQ message transport (print-zeromq.c at tcpdump-4.99.3): the frames of
//! a TCP stream (`-T zmtp1`) and of a PGM datagram (`-T pgm_zmtp1`).
//!
//! Must not do I/O: it only reads the captured bytes.

use super::hexdump;
use super::util::{get_be_u64, tcheck};
use super::{get_be_u16, get_u8, Nd, PResult, Trunc};
use crate::nd_print;

/// At most this many body bytes are dumped at `-v` (print-zeromq.c `VBYTES`).
const VBYTES: u64 = 128;

/// `hex_and_ascii_print` with the `\n\t ` indentation print-zeromq.c asks for.
fn hex_dump(nd: &mut Nd<'_>, bytes: &[u8]) {
    let start = nd.out.len();
    hexdump::hex_and_ascii(nd.out, bytes);
    let dump = nd.out.split_off(start);
    nd.out.push_str(&dump.replace("\n\t", "\n\t "));
}

/// One frame from `cp`; `ep` is where the data ends (`zmtp1_print_frame`).
fn frame(nd: &mut Nd<'_>, data: &[u8], cp: usize, ep: usize) -> PResult<usize> {
    nd.print("\n\t");
    let (header_len, declared): (u64, u64) = if get_u8(data, cp)? != 0xff {
        let n = u64::from(get_u8(data, cp)?);
        nd_print!(nd, " frame flags+body  (8-bit) length {n}");
        (1, n)
    } else {
        nd.print(" frame flags+body (64-bit) length");
        tcheck(data, cp, 9)?;
        let n = get_be_u64(data, cp + 1)?;
        nd_print!(nd, " {n}");
        (9, n)
    };
    let hl = header_len as usize;
    if declared == 0 {
        return Ok(cp + hl);
    }
    tcheck(data, cp, hl + 1)?;
    let flags = get_u8(data, cp + hl)?;
    let captured = (ep as u64).wrapping_sub(cp as u64).wrapping_sub(header_len);
    if declared > captured {
        nd_print!(nd, " ({captured} captured)");
    }
    nd_print!(nd, ", flags 0x{flags:02x}");
    if nd.opts.v > 0 {
        let bit = |m: u8, s: &'static str| if flags & m != 0 { s } else { "-" };
        nd_print!(
            nd,
            " ({}|{}|{}|{}|{}|{}|{}|{})",
            bit(0x80, "MBZ"),
            bit(0x40, "MBZ"),
            bit(0x20, "MBZ"),
            bit(0x10, "MBZ"),
            bit(0x08, "MBZ"),
            bit(0x04, "MBZ"),
            bit(0x02, "MBZ"),
            bit(0x01, "MORE")
        );
        let mut printed = captured.min(declared);
        if nd.opts.v == 1 {
            printed = printed.min(VBYTES + 1);
        }
        if printed > 1 {
            nd_print!(nd, ", first {} byte(s) of body:", printed - 1);
            let from = cp + hl + 1;
            let rest = data.get(from..).unwrap_or(&[]);
            let n = usize::try_from(printed - 1).unwrap_or(usize::MAX);
            hex_dump(nd, rest.get(..n).unwrap_or(rest));
        }
    }
    let cp = cp + hl;
    let body = usize::try_from(declared).map_err(|_| Trunc)?;
    tcheck(data, cp, body)?;
    Ok(cp + body)
}

/// The frames of a ZMTP/1.0 stream (`zmtp1_print`).
pub fn print(nd: &mut Nd<'_>, data: &[u8], len: u32) -> PResult {
    nd.protocol = "zmtp1";
    nd.print(": ZMTP/1.0");
    frames(nd, data, 0, len as usize)
}

fn frames(nd: &mut Nd<'_>, data: &[u8], mut cp: usize, len: usize) -> PResult {
    let ep = data.len().min(len);
    while cp < ep {
        cp = frame(nd, data, cp, ep)?;
    }
    Ok(())
}

/// A ZeroMQ message in a PGM datagram: the offset of the first frame, the part of a frame
/// before it, then the frames (`zmtp1_datagram_print`); `len` is the PGM data length.
pub fn datagram_print(nd: &mut Nd<'_>, data: &[u8], len: u32) -> PResult {
    nd.protocol = "zmtp1";
    let ep = data.len().min(len as usize);
    // zmtp1_print_intermediate_part
    let mut frame_offset = u32::from(get_be_u16(data, 0)?);
    nd_print!(nd, "\n\t frame offset 0x{frame_offset:04x}");
    let cp = 2usize;
    let remaining = data.len().saturating_sub(cp) as u32;
    if frame_offset == 0xffff {
        frame_offset = len.wrapping_sub(2);
    } else if 2 + frame_offset > len {
        nd.print(" (exceeds datagram declared length)");
        return Err(Trunc);
    }
    if frame_offset != 0 {
        nd_print!(nd, "\n\t frame intermediate part, {frame_offset} bytes");
        if frame_offset > remaining {
            nd_print!(nd, " ({remaining} captured)");
        }
        if nd.opts.v > 0 {
            let mut printed = frame_offset.min(remaining);
            if nd.opts.v == 1 {
                printed = printed.min(VBYTES as u32);
            }
            if printed > 1 {
                nd_print!(nd, ", first {printed} byte(s):");
                let rest = data.get(cp..).unwrap_or(&[]);
                hex_dump(nd, rest.get(..printed as usize).unwrap_or(rest));
            }
        }
    }
    let mut cp = cp + frame_offset as usize;
    while cp < ep {
        cp = frame(nd, data, cp, ep)?;
    }
    Ok(())
}
