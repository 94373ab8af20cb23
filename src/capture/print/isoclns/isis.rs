//! IS-IS (print-isoclns.c `isis_print` at tcpdump-4.99.3): the common header, the hello,
//! LSP and sequence-number PDU headers, then the TLVs, at each verbosity.
//!
//! `p` starts at the NLPID byte; offsets are from there. A read past the capture is
//! `Err(Stop::Local)` (` [|isis]`); `Ok(false)` asks the caller to dump the PDU (`isis_print`
//! returning 0).
//!
//! Must not do I/O: it only reads the captured bytes.

use super::tlv;
use super::NLPIDS;
use crate::capture::print::tok::{bittok2str, tok2str, Tok};
use crate::capture::print::util::{print_invalid, print_trunc, printjnp};
use crate::capture::print::{get_be_u16, get_be_u32, get_u8, ttest, Nd, PResult, Trunc};
use crate::nd_print;

pub const SYSTEM_ID_LEN: usize = 6;
pub const NODE_ID_LEN: usize = 7;
pub const LSP_ID_LEN: usize = 8;
const COMMON_HEADER: usize = 8;

const PDU_L1_LAN_IIH: u8 = 15;
const PDU_L2_LAN_IIH: u8 = 16;
const PDU_PTP_IIH: u8 = 17;
const PDU_L1_LSP: u8 = 18;
const PDU_L2_LSP: u8 = 20;
const PDU_L1_CSNP: u8 = 24;
const PDU_L2_CSNP: u8 = 25;
const PDU_L1_PSNP: u8 = 26;
const PDU_L2_PSNP: u8 = 27;

/// `isis_pdu_values`.
const PDU_VALUES: &[Tok] = &[
    (15, "L1 Lan IIH"),
    (16, "L2 Lan IIH"),
    (17, "p2p IIH"),
    (18, "L1 LSP"),
    (20, "L2 LSP"),
    (24, "L1 CSNP"),
    (25, "L2 CSNP"),
    (26, "L1 PSNP"),
    (27, "L2 PSNP"),
];

/// `isis_iih_circuit_type_values`.
const CIRCUIT_TYPES: &[Tok] = &[
    (1, "Level 1 only"),
    (2, "Level 2 only"),
    (3, "Level 1, Level 2"),
];

/// `isis_lsp_istype_values`.
const LSP_ISTYPES: &[Tok] = &[
    (0, "Unused 0x0 (invalid)"),
    (1, "L1 IS"),
    (2, "Unused 0x2 (invalid)"),
    (3, "L2 IS"),
];

/// `isis_print_id`: a system ID (6 bytes), node ID (7) or LSP ID (8) as `xxxx.xxxx.xxxx.yy-zz`.
pub fn id_string(p: &[u8], at: usize, id_len: usize) -> IResult<String> {
    let mut s = String::with_capacity(20);
    for i in 1..=SYSTEM_ID_LEN.min(id_len) {
        s.push_str(&format!("{:02x}", get_u8(p, at + i - 1)?));
        if i == 2 || i == 4 {
            s.push('.');
        }
    }
    if id_len >= NODE_ID_LEN {
        s.push_str(&format!(".{:02x}", get_u8(p, at + SYSTEM_ID_LEN)?));
    }
    if id_len == LSP_ID_LEN {
        s.push_str(&format!("-{:02x}", get_u8(p, at + NODE_ID_LEN)?));
    }
    Ok(s)
}

/// Hex of `len` bytes from `at`; false when `at` is past the capture (`print_unknown_data`).
pub fn unknown(nd: &mut Nd<'_>, p: &[u8], at: usize, ident: &str, len: usize) -> bool {
    let ok = at <= p.len();
    crate::capture::print::util::print_unknown_data(nd, p, at, ident, len);
    ok
}

/// The OSI Fletcher checksum of `length` bytes from `at` with the field at `at + offset`
/// taken as zero (checksum.c `create_osi_cksum`).
fn osi_cksum(p: &[u8], at: usize, offset: usize, length: usize) -> u16 {
    let (mut c0, mut c1) = (0u32, 0u32);
    for idx in 0..length {
        if idx != offset && idx != offset + 1 {
            c0 = c0.wrapping_add(u32::from(p.get(at + idx).copied().unwrap_or(0)));
        }
        c1 = c1.wrapping_add(c0);
    }
    let c0 = i64::from(c0 % 255);
    let c1 = i64::from(c1 % 255);
    let mul = (length as i64 - offset as i64) * c0;
    let mut x = mul - c0 - c1;
    let mut y = c1 - mul - 1;
    if y >= 0 {
        y += 1;
    }
    if x < 0 {
        x -= 1;
    }
    x %= 255;
    y %= 255;
    if x == 0 {
        x = 255;
    }
    if y == 0 {
        y = 255;
    }
    ((((x as i32) << 8) | ((y as i32) & 0xff)) & 0xffff) as u16
}

/// ` (correct)`, ` (incorrect should be 0x....)` or ` (unverified)` (`osi_print_cksum`).
pub fn print_cksum(nd: &mut Nd<'_>, p: &[u8], at: usize, cksum: u16, offset: usize, length: usize) {
    let captured = |off: usize, n: usize| {
        at.checked_add(off)
            .and_then(|a| a.checked_add(n))
            .is_some_and(|e| e <= p.len())
    };
    if cksum == 0 || !captured(offset, 2) || offset > length || !captured(0, length) {
        nd.print(" (unverified)");
        return;
    }
    let calc = osi_cksum(p, at, offset, length);
    if calc == cksum {
        nd.print(" (correct)");
    } else {
        nd_print!(nd, " (incorrect should be 0x{calc:04x})");
    }
}

/// Why a printer stopped short: a read past the capture that unwinds to the top (a `GET_`
/// macro's longjmp), or a check whose failure `isis_print` reports itself at its `trunc:`
/// label (` [|isis]`, then it returns normally).
pub enum Stop {
    Get,
    Local,
}

impl From<Trunc> for Stop {
    fn from(_: Trunc) -> Self {
        Stop::Get
    }
}

pub type IResult<T = ()> = Result<T, Stop>;

/// `ND_TCHECK_LEN` with `isis_print`'s own `trunc:` label.
pub fn check(p: &[u8], at: usize, len: usize) -> IResult {
    if ttest(p, at, len) {
        Ok(())
    } else {
        Err(Stop::Local)
    }
}

/// An IS-IS PDU (`isis_print`): `Ok(false)` when tcpdump's printer returns 0.
pub fn print(nd: &mut Nd<'_>, p: &[u8], length: usize) -> PResult<bool> {
    nd.protocol = "isis";
    match pdu_print(nd, p, length) {
        Ok(shown) => Ok(shown),
        Err(Stop::Get) => Err(Trunc),
        Err(Stop::Local) => {
            print_trunc(nd);
            Ok(true)
        }
    }
}

fn pdu_print(nd: &mut Nd<'_>, p: &[u8], length: usize) -> IResult<bool> {
    check(p, 0, COMMON_HEADER)?;
    if length < COMMON_HEADER {
        return Err(Stop::Local);
    }
    if nd.opts.e == 0 {
        nd.print("IS-IS");
    }
    let version = get_u8(p, 2)?;
    if version != 1 {
        nd_print!(nd, "version {version} packet not supported");
        return Ok(false);
    }
    let pdu_id_length = get_u8(p, 3)?;
    if pdu_id_length != 6 && pdu_id_length != 0 {
        nd_print!(nd, "system ID length of {pdu_id_length} is not supported");
        return Ok(false);
    }
    let pdu_version = get_u8(p, 5)?;
    if pdu_version != 1 {
        nd_print!(nd, "version {pdu_version} packet not supported");
        return Ok(false);
    }
    let fixed_len = usize::from(get_u8(p, 1)?);
    if length < fixed_len {
        nd_print!(
            nd,
            "fixed header length {fixed_len} > packet length {length}"
        );
        return Ok(false);
    }
    if fixed_len < COMMON_HEADER {
        nd_print!(
            nd,
            "fixed header length {fixed_len} < minimum header size {COMMON_HEADER}"
        );
        return Ok(false);
    }
    let pdu_max_area = get_u8(p, 7)?;
    let max_area = match pdu_max_area {
        0 => 3,
        255 => {
            nd.print("bad packet -- 255 areas");
            return Ok(false);
        }
        m => m,
    };
    // A system ID length of 0 means 6; only 6 passes the check above.
    let id_length = 6;
    let pdu_type = get_u8(p, 4)?;
    let sep = if nd.opts.e > 0 { "" } else { ", " };
    if nd.opts.v == 0 {
        nd_print!(
            nd,
            "{sep}{}",
            tok2str(PDU_VALUES, "unknown PDU-Type %u", pdu_type.into())
        );
    } else {
        nd_print!(nd, "{sep}length {length}");
        nd_print!(
            nd,
            "\n\t{}, hlen: {fixed_len}, v: {version}, pdu-v: {pdu_version}, sys-id-len: {id_length} ({pdu_id_length}), max-area: {max_area} ({pdu_max_area})",
            tok2str(PDU_VALUES, "unknown, type %u", pdu_type.into())
        );
        if nd.opts.v > 1 && !unknown(nd, p, 0, "\n\t", 8) {
            return Ok(false);
        }
    }
    let Some(hdr) = pdu_header(nd, p, length, pdu_type, fixed_len)? else {
        return Ok(true);
    };
    let Header { pdu_len, size } = match hdr {
        Some(h) => h,
        None => return Ok(false),
    };
    let (mut length, mut packet_len) = (length, length);
    if packet_len > pdu_len {
        packet_len = pdu_len;
        length = pdu_len;
    }
    pdu_body_header(nd, p, length, pdu_type, pdu_len)?;
    if nd.opts.v > 1 && !unknown(nd, p, COMMON_HEADER, "\n\t  ", size - COMMON_HEADER) {
        return Ok(false);
    }
    // INVALID_OR_DECREMENT: a PDU length shorter than its header.
    if packet_len < size {
        nd_print!(nd, " [packet length {packet_len} < {size}]");
        print_invalid(nd);
        return Ok(true);
    }
    packet_len -= size;
    tlv::tlvs_print(nd, p, size, packet_len, length)
}

/// The fixed part's size and PDU length.
struct Header {
    pdu_len: usize,
    size: usize,
}

/// Checks the fixed header length and prints the `-v 0` line: `Ok(None)` when done
/// (returned 1), `Ok(Some(None))` when the PDU is to be dumped (returned 0).
fn pdu_header(
    nd: &mut Nd<'_>,
    p: &[u8],
    length: usize,
    pdu_type: u8,
    fixed_len: usize,
) -> IResult<Option<Option<Header>>> {
    let (hsize, dash) = match pdu_type {
        PDU_L1_LAN_IIH | PDU_L2_LAN_IIH => (19, ", "),
        PDU_PTP_IIH => (12, ", "),
        PDU_L1_LSP | PDU_L2_LSP => (19, ", "),
        PDU_L1_CSNP | PDU_L2_CSNP => (25, ", "),
        PDU_L1_PSNP | PDU_L2_PSNP => (9, "- "),
        _ => {
            if nd.opts.v == 0 {
                nd_print!(nd, ", length {length}");
                return Ok(None);
            }
            unknown(nd, p, COMMON_HEADER, "\n\t  ", length);
            return Ok(Some(None));
        }
    };
    let size = COMMON_HEADER + hsize;
    if fixed_len != size {
        let should = if matches!(pdu_type, PDU_L1_LSP | PDU_L2_LSP) {
            hsize
        } else {
            size
        };
        nd_print!(
            nd,
            "{dash}bogus fixed header length {fixed_len} should be {should}"
        );
        return Ok(Some(None));
    }
    check(p, COMMON_HEADER, hsize)?;
    if length < size {
        return Err(Stop::Local);
    }
    let h = COMMON_HEADER;
    if nd.opts.v == 0 {
        match pdu_type {
            PDU_L1_LAN_IIH | PDU_L2_LAN_IIH => {
                let src = id_string(p, h + 1, SYSTEM_ID_LEN)?;
                nd_print!(nd, ", src-id {src}");
                let lan = id_string(p, h + 12, NODE_ID_LEN)?;
                nd_print!(nd, ", lan-id {lan}, prio {}", get_u8(p, h + 11)?);
            }
            PDU_PTP_IIH => {
                let src = id_string(p, h + 1, SYSTEM_ID_LEN)?;
                nd_print!(nd, ", src-id {src}");
            }
            PDU_L1_LSP | PDU_L2_LSP => {
                let id = id_string(p, h + 4, LSP_ID_LEN)?;
                nd_print!(
                    nd,
                    ", lsp-id {id}, seq 0x{:08x}, lifetime {:5}s",
                    get_be_u32(p, h + 12)?,
                    get_be_u16(p, h + 2)?
                );
            }
            _ => {
                let src = id_string(p, h + 2, NODE_ID_LEN)?;
                nd_print!(nd, ", src-id {src}");
            }
        }
        nd_print!(nd, ", length {length}");
        return Ok(None);
    }
    let pdu_len_at = match pdu_type {
        PDU_L1_LAN_IIH | PDU_L2_LAN_IIH | PDU_PTP_IIH => h + 9,
        _ => h,
    };
    let pdu_len = usize::from(get_be_u16(p, pdu_len_at)?);
    Ok(Some(Some(Header { pdu_len, size })))
}

/// The `-v` lines of the PDU's fixed part.
fn pdu_body_header(
    nd: &mut Nd<'_>,
    p: &[u8],
    length: usize,
    pdu_type: u8,
    pdu_len: usize,
) -> IResult {
    let h = COMMON_HEADER;
    match pdu_type {
        PDU_L1_LAN_IIH | PDU_L2_LAN_IIH | PDU_PTP_IIH => {
            let src = id_string(p, h + 1, SYSTEM_ID_LEN)?;
            let ptp = pdu_type == PDU_PTP_IIH;
            nd_print!(
                nd,
                "\n\t  source-id: {src},{}holding time: {}s, Flags: [{}]",
                if ptp { " " } else { "  " },
                get_be_u16(p, h + 7)?,
                tok2str(
                    CIRCUIT_TYPES,
                    "unknown circuit type 0x%02x",
                    get_u8(p, h)?.into()
                )
            );
            if ptp {
                nd_print!(
                    nd,
                    "\n\t  circuit-id: 0x{:02x}, PDU length: {pdu_len}",
                    get_u8(p, h + 11)?
                );
            } else {
                let lan = id_string(p, h + 12, NODE_ID_LEN)?;
                nd_print!(
                    nd,
                    "\n\t  lan-id:    {lan}, Priority: {}, PDU length: {pdu_len}",
                    get_u8(p, h + 11)? & 0x7f
                );
            }
        }
        PDU_L1_LSP | PDU_L2_LSP => {
            let id = id_string(p, h + 4, LSP_ID_LEN)?;
            let cksum = get_be_u16(p, h + 16)?;
            nd_print!(
                nd,
                "\n\t  lsp-id: {id}, seq: 0x{:08x}, lifetime: {:5}s\n\t  chksum: 0x{cksum:04x}",
                get_be_u32(p, h + 12)?,
                get_be_u16(p, h + 2)?
            );
            print_cksum(nd, p, h + 4, cksum, 12, length.saturating_sub(12));
            let tb = get_u8(p, h + 18)?;
            nd_print!(
                nd,
                ", PDU length: {pdu_len}, Flags: [ {}",
                if tb & 0x4 != 0 {
                    "Overload bit set, "
                } else {
                    ""
                }
            );
            if tb & 0x78 != 0 {
                for (bit, name) in [
                    (0x8, "default "),
                    (0x10, "delay "),
                    (0x20, "expense "),
                    (0x40, "error "),
                ] {
                    if tb & bit != 0 {
                        nd.print(name);
                    }
                }
                nd.print("ATT bit set, ");
            }
            if tb & 0x80 != 0 {
                nd.print("P bit set, ");
            }
            nd_print!(
                nd,
                "{} ]",
                tok2str(LSP_ISTYPES, "Unknown(0x%x)", (tb & 3).into())
            );
        }
        PDU_L1_CSNP | PDU_L2_CSNP => {
            let src = id_string(p, h + 2, NODE_ID_LEN)?;
            nd_print!(nd, "\n\t  source-id:    {src}, PDU length: {pdu_len}");
            let start = id_string(p, h + 9, LSP_ID_LEN)?;
            nd_print!(nd, "\n\t  start lsp-id: {start}");
            let end = id_string(p, h + 17, LSP_ID_LEN)?;
            nd_print!(nd, "\n\t  end lsp-id:   {end}");
        }
        _ => {
            let src = id_string(p, h + 2, NODE_ID_LEN)?;
            nd_print!(nd, "\n\t  source-id:    {src}, PDU length: {pdu_len}");
        }
    }
    Ok(())
}

/// The NLPID names (`nlpid_values`), for the protocols-supported TLV.
pub fn nlpid_name(v: u8) -> crate::capture::print::tok::Tok2Str {
    tok2str(&NLPIDS, "unknown", v.into())
}

/// `bittok2str` re-exported for the TLV printers.
pub fn flags(table: &'static [Tok], none: &'static str, v: u32) -> String {
    bittok2str(table, none, v).to_string()
}

/// A NUL-padded string (`nd_printjnp`).
pub fn jnp(nd: &mut Nd<'_>, p: &[u8], at: usize, n: usize) -> PResult {
    printjnp(nd, p, at, n)
}

/// ` [|isis]` where tcpdump prints it and carries on (`nd_print_trunc`).
pub fn trunc_mark(nd: &mut Nd<'_>) {
    print_trunc(nd);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capture::print::testing::{opts, with_nd};

    /// An L1 PSNP from `IS-IS` on: common header, fixed part, one LSP entry TLV.
    fn psnp() -> Vec<u8> {
        let mut p = vec![0x83, 17, 1, 0, 26, 1, 0, 0, 0, 35];
        p.extend([0x19, 0x21, 0x68, 0x00, 0x10, 0x01, 0x00]);
        p.extend([9, 16, 0x03, 0xe8, 0x19, 0x21, 0x68, 0x00, 0x10, 0x01, 0, 0]);
        p.extend([0, 0, 0, 5, 0xab, 0xcd]);
        p
    }

    #[test]
    fn ids_are_dotted_with_the_pseudonode_and_fragment() {
        let id = [0x19, 0x21, 0x68, 0x00, 0x10, 0x01, 0x02, 0x03];
        assert_eq!(id_string(&id, 0, 6).ok().as_deref(), Some("1921.6800.1001"));
        assert_eq!(
            id_string(&id, 0, 7).ok().as_deref(),
            Some("1921.6800.1001.02")
        );
        assert_eq!(
            id_string(&id, 0, 8).ok().as_deref(),
            Some("1921.6800.1001.02-03")
        );
    }

    #[test]
    fn a_psnp_prints_its_source_and_entries() {
        let p = psnp();
        let (out, r) = with_nd(&opts(0), |nd| print(nd, &p, p.len()));
        assert_eq!(r, Ok(true));
        assert_eq!(out, "IS-IS, L1 PSNP, src-id 1921.6800.1001.00, length 35");
        let (out, _) = with_nd(&opts(1), |nd| print(nd, &p, p.len()));
        assert!(
            out.ends_with(
                "\n\t    LSP entries TLV #9, length: 16\n\t      lsp-id: 1921.6800.1001.00-00, seq: 0x00000005, lifetime:  1000s, chksum: 0xabcd"
            ),
            "{out}"
        );
    }

    #[test]
    fn a_tlv_cut_by_the_capture_is_marked_and_the_printer_returns() {
        let p = psnp();
        let cut = p.get(..20).unwrap_or_default();
        let (out, r) = with_nd(&opts(1), |nd| print(nd, cut, p.len()));
        assert_eq!(r, Ok(true));
        assert!(
            out.ends_with("LSP entries TLV #9, length: 16 [|isis]"),
            "{out}"
        );
    }

    #[test]
    fn the_osi_checksum_is_the_one_that_makes_the_sum_zero() {
        // ISO 8473 annex C: with the computed bytes in place the Fletcher sums are 0 mod 255.
        let blank = [0x12, 0x34, 0, 0, 0x56, 0x78, 0x9a];
        let [hi, lo] = osi_cksum(&blank, 0, 2, blank.len()).to_be_bytes();
        let data = [0x12, 0x34, hi, lo, 0x56, 0x78, 0x9a];
        let (mut c0, mut c1) = (0u32, 0u32);
        for b in &data {
            c0 = (c0 + u32::from(*b)) % 255;
            c1 = (c1 + c0) % 255;
        }
        assert_eq!((c0, c1), (0, 0));
    }

    crate::arbitrary_bytes_never_panic!(|nd: &mut Nd<'_>, data: &[u8], len: u32| print(
        nd,
        data,
        len as usize
    ));
}
