//! Frame Relay: the Q.922 header with its NLPID or Cisco ethertype, FRF.15 and FRF.16
//! (multilink) fragments and control frames, and Q.933 / ANSI T1.617 Annex D link management
//! (LMI), mirroring print-fr.c at tcpdump-4.99.3. Link types FRELAY (107) and MFR (182).
//!
//! Must not do I/O: it only reads the captured bytes.

use super::isoclns::{
    NLPIDS, NLPID_CLNP, NLPID_ESIS, NLPID_IP, NLPID_IP6, NLPID_ISIS, NLPID_MFR, NLPID_PPP,
    NLPID_Q933, NLPID_SNAP,
};
use super::tok::{bittok2str, tok2str, Tok};
use super::util::{
    default_print_on, fn_print_char, hex_and_ascii_print, print_invalid, print_trunc,
    print_unknown_data,
};
use super::{get_be_u16, get_be_u32, get_u8, ttest, Nd, PResult};
use crate::nd_print;

/// The address field's extension bit: set in the last byte of the address.
const EA: u8 = 0x01;
/// The control byte of an unnumbered information frame.
const LLC_UI: u8 = 0x03;

/// Flags of the Q.922 header (print-fr.c `fr_header_flag_values`).
const HEADER_FLAGS: [Tok; 5] = [
    (0x0200_0000, "C!"),
    (0x0002_0000, "DE"),
    (0x0004_0000, "BECN"),
    (0x0008_0000, "FECN"),
    (0x0000_0002, "sdlcore"),
];

/// The begin, end and control bits of FRF.15/FRF.16 (print-fr.c `frf_flag_values`).
const FRF_FLAGS: [Tok; 3] = [(0x80, "Begin"), (0x40, "End"), (0x20, "Control")];
const BEC_MASK: u8 = 0xe0;
const CTRL_FRAME: u8 = 0xe0;
const FRAG_FRAME: u8 = 0xc0;
const B_BIT: u8 = 0x80;

/// FRF.16 control messages (print-fr.c `mfr_ctrl_msg_values`).
const MFR_MESSAGES: [Tok; 7] = [
    (1, "Add Link"),
    (2, "Add Link ACK"),
    (3, "Add Link Reject"),
    (4, "Hello"),
    (5, "Hello ACK"),
    (6, "Remove Link"),
    (7, "Remove Link ACK"),
];

/// FRF.16 control information elements (print-fr.c `mfr_ctrl_ie_values`).
const MFR_IES: [Tok; 6] = [
    (1, "Bundle ID"),
    (2, "Link ID"),
    (3, "Magic Number"),
    (5, "Timestamp"),
    (6, "Vendor Extension"),
    (7, "Cause"),
];

/// The longest bundle or link identifier printed.
const MFR_ID_STRING_MAXLEN: usize = 50;
/// `sizeof(struct timeval)` on the 64-bit hosts tcpdump is built for here.
const TIMEVAL_LEN: usize = 16;

/// Q.933 message types (print-fr.c `fr_q933_msg_values`).
const Q933_MESSAGES: [Tok; 14] = [
    (0x00, "ESC to National"),
    (0x01, "Alert"),
    (0x02, "Call proceeding"),
    (0x07, "Connect"),
    (0x0f, "Connect ACK"),
    (0x03, "Progress"),
    (0x05, "Setup"),
    (0x45, "Disconnect"),
    (0x4d, "Release"),
    (0x5a, "Release Complete"),
    (0x46, "Restart"),
    (0x4e, "Restart ACK"),
    (0x7d, "Status Reply"),
    (0x75, "Status Enquiry"),
];

/// The information elements of codesets 0 and 5 (print-fr.c
/// `fr_q933_ie_values_codeset_0_5`).
const Q933_IES: [Tok; 7] = [
    (0x01, "ANSI Report Type"),
    (0x19, "ANSI Link Verify"),
    (0x03, "ANSI Link Verify"),
    (0x07, "ANSI PVC Status"),
    (0x51, "CCITT Report Type"),
    (0x53, "CCITT Link Verify"),
    (0x57, "CCITT PVC Status"),
];

/// LMI report types (print-fr.c `fr_lmi_report_type_ie_values`).
const REPORT_TYPES: [Tok; 3] = [
    (0, "Full Status"),
    (1, "Link verify"),
    (2, "Async PVC Status"),
];

/// A parsed Q.922 address.
#[derive(Debug, Clone, Copy)]
struct Q922 {
    dlci: u32,
    addr_len: usize,
    flags: u32,
}

/// What `parse_q922_header` finds: an address, an invalid one, or the capture or frame ends.
enum Address {
    Valid(Q922),
    Invalid,
    Truncated,
}

/// Parse the 2-, 3- or 4-byte Q.922 address at the start of `p` (`parse_q922_header`).
fn parse_q922_header(p: &[u8], length: usize) -> Address {
    let byte = |i: usize| p.get(i).copied().filter(|_| length > i);
    let Some(b0) = byte(0) else {
        return Address::Truncated;
    };
    if b0 & EA != 0 {
        return Address::Invalid;
    }
    let Some(b1) = byte(1) else {
        return Address::Truncated;
    };
    let mut q = Q922 {
        dlci: (u32::from(b0 & 0xfc) << 2) | u32::from((b1 & 0xf0) >> 4),
        addr_len: 2,
        flags: (u32::from(b0 & 0x02) << 24) | (u32::from(b1 & 0x0e) << 16),
    };
    if b1 & EA != 0 {
        return Address::Valid(q);
    }
    let Some(b2) = byte(2) else {
        return Address::Truncated;
    };
    q.addr_len = 3;
    let mut last = 2;
    if b2 & EA == 0 {
        q.dlci = (q.dlci << 7) | u32::from(b2 >> 1);
        q.addr_len = 4;
        last = 3;
    }
    let Some(b) = byte(last) else {
        return Address::Truncated;
    };
    if b & EA == 0 {
        return Address::Invalid;
    }
    q.flags |= u32::from(b & 0x02);
    q.dlci = (q.dlci << 6) | u32::from(b >> 2);
    Address::Valid(q)
}

/// The header line of `-e`, and of frames whose payload is not decoded (`fr_hdr_print`);
/// `nlpid` above 0xff is a Cisco ethertype.
fn fr_hdr_print(nd: &mut Nd<'_>, length: usize, addr_len: usize, q: Q922, nlpid: u16) {
    if nd.opts.q > 0 {
        nd_print!(nd, "Q.922, DLCI {}, length {length}: ", q.dlci);
        return;
    }
    let flags = bittok2str(&HEADER_FLAGS, "none", q.flags);
    if nlpid <= 0xff {
        nd_print!(
            nd,
            "Q.922, hdr-len {addr_len}, DLCI {}, Flags [{flags}], NLPID {} (0x{nlpid:02x}), length {length}: ",
            q.dlci,
            tok2str(&NLPIDS, "unknown", u32::from(nlpid))
        );
    } else {
        nd_print!(
            nd,
            "Q.922, hdr-len {addr_len}, DLCI {}, Flags [{flags}], cisco-ethertype {} (0x{nlpid:04x}), length {length}: ",
            q.dlci,
            super::tok::ethertype_name(nlpid).unwrap_or("unknown")
        );
    }
}

/// Link type FRELAY (`fr_if_print`).
pub fn if_print(nd: &mut Nd<'_>, data: &[u8], len: u32) -> PResult {
    nd.protocol = "fr";
    if data.len() < 4 {
        print_trunc(nd);
        nd.ll_hdr_len += data.len();
        return Ok(());
    }
    nd.ll_hdr_len += fr_print(nd, data, len as usize)?;
    Ok(())
}

/// A Frame Relay frame from its Q.922 address (`fr_print`): the header's length, zero when
/// the frame was cut short or its address is invalid.
pub fn fr_print(nd: &mut Nd<'_>, p: &[u8], length: usize) -> PResult<usize> {
    nd.protocol = "fr";
    let q = match parse_q922_header(p, length) {
        Address::Valid(q) => q,
        Address::Invalid => {
            nd.print("Q.922, invalid address");
            return Ok(0);
        }
        Address::Truncated => return trunc(nd),
    };
    let al = q.addr_len;
    if !ttest(p, al, 1) || length < al + 1 {
        return trunc(nd);
    }
    let control = get_u8(p, al)?;
    if control != LLC_UI && q.dlci != 0 {
        // Cisco-style encapsulation: an ethertype after the address.
        if !ttest(p, al, 2) || length < al + 2 {
            nd_print!(nd, "UI {control:02x}! ");
        } else {
            let ethertype = get_be_u16(p, al)?;
            if nd.opts.e > 0 {
                fr_hdr_print(nd, length, al, q, ethertype);
            }
            let body = p.get(al + 2..).unwrap_or(&[]);
            if super::ether::ethertype_print(nd, ethertype, body, length - al - 2)? {
                return Ok(al + 2);
            }
            nd_print!(nd, "UI {control:02x}! ");
        }
    }
    if !ttest(p, al + 1, 1) || length < al + 2 {
        return trunc(nd);
    }
    let hdr_len = if get_u8(p, al + 1)? == 0 {
        // A pad byte after the control byte, which only a 3-byte address should have.
        if al != 3 {
            nd.print("Pad! ");
        }
        al + 3
    } else {
        if al == 3 {
            nd.print("No pad! ");
        }
        al + 2
    };
    if !ttest(p, hdr_len - 1, 1) || length < hdr_len {
        return trunc(nd);
    }
    let nlpid = get_u8(p, hdr_len - 1)?;
    if nd.opts.e > 0 {
        fr_hdr_print(nd, length, al, q, u16::from(nlpid));
    }
    let body = p.get(hdr_len..).unwrap_or(&[]);
    let blen = length - hdr_len;
    let blen32 = u32::try_from(blen).unwrap_or(u32::MAX);
    match nlpid {
        NLPID_IP => super::ip::print(nd, body, blen32)?,
        NLPID_IP6 => super::ip6::print(nd, body, blen32)?,
        // The OSI printers need the NLPID byte.
        NLPID_CLNP | NLPID_ESIS | NLPID_ISIS => {
            super::isoclns::print(nd, p.get(hdr_len - 1..).unwrap_or(&[]), blen + 1)?;
        }
        NLPID_SNAP => {
            if !super::llc::snap_print(nd, body, blen, None, 0)? {
                if nd.opts.e == 0 {
                    fr_hdr_print(nd, length, hdr_len, q, u16::from(nlpid));
                }
                if default_print_on(nd) {
                    hex_and_ascii_print(nd, p, length)?;
                }
            }
        }
        NLPID_Q933 => q933_print(nd, body, blen)?,
        NLPID_MFR => frf15_print(nd, body, blen)?,
        NLPID_PPP => {
            super::ppp::print(nd, body, blen32)?;
        }
        _ => {
            if nd.opts.e == 0 {
                fr_hdr_print(nd, length, al, q, u16::from(nlpid));
            }
            if nd.opts.x == 0 {
                hex_and_ascii_print(nd, body, blen)?;
            }
        }
    }
    Ok(hdr_len)
}

/// ` [|fr]` where a check fails (print-fr.c's `trunc:` label), with no header consumed.
fn trunc(nd: &mut Nd<'_>) -> PResult<usize> {
    print_trunc(nd);
    Ok(0)
}

/// Link type MFR (`mfr_if_print`).
pub fn mfr_if_print(nd: &mut Nd<'_>, data: &[u8], len: u32) -> PResult {
    nd.protocol = "mfr";
    if data.len() < 2 {
        print_trunc(nd);
        nd.ll_hdr_len += data.len();
        return Ok(());
    }
    nd.ll_hdr_len += mfr_print(nd, data, len as usize)?;
    Ok(())
}

/// An FRF.16 multilink frame: a control frame with its information elements, or a fragment
/// (`mfr_print`); the header's length.
pub fn mfr_print(nd: &mut Nd<'_>, p: &[u8], length: usize) -> PResult<usize> {
    nd.protocol = "mfr";
    if length < 4 {
        nd_print!(nd, "[length {length} < 4]");
        print_invalid(nd);
        return Ok(length);
    }
    if !ttest(p, 0, 4) {
        print_trunc(nd);
        return Ok(length);
    }
    let b0 = get_u8(p, 0)?;
    let bec = b0 & BEC_MASK;
    let flags = bittok2str(&FRF_FLAGS, "none", u32::from(bec));
    if bec == CTRL_FRAME && get_u8(p, 1)? == 0 {
        let msg = get_u8(p, 2)?;
        nd_print!(
            nd,
            "FRF.16 Control, Flags [{flags}], {}, length {length}",
            tok2str(&MFR_MESSAGES, "Unknown Message (0x%02x)", u32::from(msg))
        );
        if nd.opts.v == 0 {
            return Ok(3);
        }
        // print-fr.c's `trunc:` label returns the whole length.
        return Ok(if mfr_ies_print(nd, p, length)? {
            3
        } else {
            length
        });
    }
    let seq = (u16::from(b0 & 0x1e) << 7) | u16::from(get_u8(p, 1)?);
    if bec == FRAG_FRAME || bec == B_BIT {
        // A whole frame or its first fragment: the Q.922 header follows.
        nd_print!(nd, "FRF.16 Frag, seq {seq}, Flags [{flags}], ");
        fr_print(nd, p.get(2..).unwrap_or(&[]), length - 2)?;
        return Ok(2);
    }
    nd_print!(nd, "FRF.16 Frag, seq {seq}, Flags [{flags}]");
    print_unknown_data(nd, p, 0, "\n\t", length);
    Ok(0)
}

/// The information elements of an FRF.16 control frame, after its three-byte header:
/// `Ok(false)` when they ran past the capture (` [|mfr]` printed).
fn mfr_ies_print(nd: &mut Nd<'_>, p: &[u8], length: usize) -> PResult<bool> {
    // print-fr.c counts in `u_int`: an element longer than what is left wraps the count.
    let mut at = 3usize;
    let mut tlen = (length as u32).wrapping_sub(3);
    while tlen > 2 {
        if !ttest(p, at, 2) {
            print_trunc(nd);
            return Ok(false);
        }
        let kind = get_u8(p, at)?;
        let ie_len = get_u8(p, at + 1)?;
        nd_print!(
            nd,
            "\n\tIE {} ({kind}), length {ie_len}: ",
            tok2str(&MFR_IES, "Unknown", u32::from(kind))
        );
        if kind == 0 || ie_len <= 2 {
            return Ok(true);
        }
        if !ttest(p, at, usize::from(ie_len)) {
            print_trunc(nd);
            return Ok(false);
        }
        at += 2;
        let len = usize::from(ie_len - 2);
        tlen = tlen.wrapping_sub(2);
        match kind {
            3 if len != 4 => {
                nd_print!(nd, "[IE data length {len} != 4]");
                print_invalid(nd);
            }
            3 => nd_print!(nd, "0x{:08x}", get_be_u32(p, at)?),
            1 | 2 => {
                for i in 0..len.min(MFR_ID_STRING_MAXLEN) {
                    match get_u8(p, at + i)? {
                        0 => break,
                        c => fn_print_char(nd, c),
                    }
                }
            }
            5 if len == TIMEVAL_LEN => timestamp_print(nd, p, at)?,
            _ => {
                if nd.opts.v <= 1 {
                    print_unknown_data(nd, p, at, "\n\t  ", len);
                }
            }
        }
        if nd.opts.v > 1 {
            print_unknown_data(nd, p, at, "\n\t  ", len);
        }
        tlen = tlen.wrapping_sub(len as u32);
        at += len;
    }
    Ok(true)
}

/// A `struct timeval` in the capturing host's byte order (little-endian), printed as packet
/// time stamps are (`ts_print`).
fn timestamp_print(nd: &mut Nd<'_>, p: &[u8], at: usize) -> PResult {
    let word = |i: usize| -> PResult<i64> {
        let b: [u8; 8] = super::get_array(p, at + i)?;
        Ok(i64::from_le_bytes(b))
    };
    let stamp = super::time::Stamp {
        sec: word(0)?,
        frac: word(8)?,
    };
    let fmt = super::time::TimeFormat {
        t: nd.opts.t,
        nano: nd.opts.nano,
        tz: nd.opts.tz.as_ref(),
    };
    super::time::print(nd.out, &mut nd.state.time, fmt, stamp);
    Ok(())
}

/// An FRF.15 end-to-end or interface fragmentation header (`frf15_print`).
fn frf15_print(nd: &mut Nd<'_>, p: &[u8], length: usize) -> PResult {
    if length < 2 {
        print_trunc(nd);
        return Ok(());
    }
    let b0 = get_u8(p, 0)?;
    let seq = (u16::from(b0 & 0x1e) << 7) | u16::from(get_u8(p, 1)?);
    nd_print!(
        nd,
        "FRF.15, seq 0x{seq:03x}, Flags [{}],{} Fragmentation, length {length}",
        bittok2str(&FRF_FLAGS, "none", u32::from(b0 & BEC_MASK)),
        if b0 & 0x01 != 0 {
            "Interface"
        } else {
            "End-to-End"
        }
    );
    Ok(())
}

/// ITU-T Q.933 / ANSI T1.617 Annex D from the call reference's length byte (`q933_print`).
pub fn q933_print(nd: &mut Nd<'_>, p: &[u8], length: usize) -> PResult {
    nd.protocol = "q.933";
    if nd.opts.e == 0 {
        nd.print("Q.933");
    }
    let sep = |nd: &mut Nd<'_>| {
        if nd.opts.e == 0 {
            nd.print(", ");
        }
    };
    let olen = length;
    let short = |nd: &mut Nd<'_>| {
        sep(nd);
        nd_print!(nd, "length {olen}");
        print_trunc(nd);
        Ok(())
    };
    if length == 0 || !ttest(p, 0, 1) {
        sep(nd);
        nd_print!(nd, "length {length}");
        print_trunc(nd);
        return Ok(());
    }
    let call_ref_length = usize::from(get_u8(p, 0)? & 0x0f);
    let mut at = 1;
    let mut length = length - 1;
    for _ in 0..call_ref_length {
        if length == 0 || !ttest(p, at, 1) {
            return short(nd);
        }
        at += 1;
        length -= 1;
    }
    let call_ref = p.get(1..1 + call_ref_length).unwrap_or(&[]);
    if length == 0 || !ttest(p, at, 1) {
        return short(nd);
    }
    let msgtype = get_u8(p, at)?;
    at += 1;
    length -= 1;
    // A shift may come first.
    let mut codeset = 0u8;
    let mut is_ansi = false;
    let mut non_locking_shift = 0u8;
    let mut unshift_codeset = codeset;
    if length != 0 {
        if !ttest(p, at, 1) {
            return short(nd);
        }
        let iecode = get_u8(p, at)?;
        if is_shift(iecode) {
            at += 1;
            length -= 1;
            codeset = iecode & 0x07;
            if iecode & 0x08 == 0 {
                // A locking shift to codeset 5 is T1.617 Annex D.
                is_ansi = codeset == 5;
            } else {
                non_locking_shift = 1;
                unshift_codeset = 0;
            }
        }
    }
    sep(nd);
    nd_print!(
        nd,
        "{}, codeset {codeset}",
        if is_ansi { "ANSI" } else { "CCITT" }
    );
    // print-fr.c tests the byte after the message type, not the call reference.
    if call_ref_length != 0 && (call_ref_length > 1 || get_u8(p, at)? != 0) {
        nd.print(", Call Ref: 0x");
        for b in call_ref {
            nd_print!(nd, "{b:02x}");
        }
    }
    if nd.opts.v > 0 {
        nd_print!(
            nd,
            ", {} (0x{msgtype:02x}), length {olen}",
            tok2str(&Q933_MESSAGES, "unknown message", u32::from(msgtype))
        );
    } else {
        nd_print!(
            nd,
            ", {}",
            tok2str(&Q933_MESSAGES, "unknown message 0x%02x", u32::from(msgtype))
        );
    }
    let not_verbose_len = |nd: &mut Nd<'_>| {
        if nd.opts.v == 0 {
            nd_print!(nd, ", length {olen}");
        }
    };
    while length != 0 {
        if non_locking_shift == 1 {
            non_locking_shift = 2;
        } else if non_locking_shift == 2 {
            codeset = unshift_codeset;
            non_locking_shift = 0;
        }
        if !ttest(p, at, 1) {
            not_verbose_len(nd);
            print_trunc(nd);
            return Ok(());
        }
        let iecode = get_u8(p, at)?;
        at += 1;
        length -= 1;
        if iecode & 0x80 != 0 {
            // A single-octet element: only shifts matter.
            if is_shift(iecode) {
                if iecode & 0x08 == 0 {
                    non_locking_shift = 0;
                } else {
                    non_locking_shift = 1;
                    unshift_codeset = codeset;
                }
                codeset = iecode & 0x07;
            }
            continue;
        }
        if length == 0 || !ttest(p, at, 1) {
            not_verbose_len(nd);
            print_trunc(nd);
            return Ok(());
        }
        let ielength = usize::from(get_u8(p, at)?);
        at += 1;
        length -= 1;
        let known_codeset = codeset == 0 || codeset == 5;
        if nd.opts.v > 0 {
            // Codesets other than 0 and 5 have no names.
            let table: &'static [Tok] = if known_codeset { &Q933_IES } else { &[] };
            nd_print!(
                nd,
                "\n\t{} IE (0x{iecode:02x}), length {ielength}: ",
                tok2str(table, "unknown", u32::from(iecode))
            );
        }
        if iecode == 0 || ielength == 0 {
            return Ok(());
        }
        if length < ielength || !ttest(p, at, ielength) {
            not_verbose_len(nd);
            print_trunc(nd);
            return Ok(());
        }
        let known = known_codeset && ie_codeset_0_5_print(nd, iecode, ielength, p, at)?;
        if known {
            if nd.opts.v > 1 {
                print_unknown_data(nd, p, at, "\n\t  ", ielength);
            }
        } else if nd.opts.v >= 1 {
            print_unknown_data(nd, p, at, "\n\t", ielength);
        }
        length -= ielength;
        at += ielength;
    }
    not_verbose_len(nd);
    Ok(())
}

/// A shift element (single octet 0x9N).
fn is_shift(iecode: u8) -> bool {
    iecode & 0xf0 == 0x90
}

/// The LMI elements of codesets 0 and 5 (`fr_q933_print_ie_codeset_0_5`): `Ok(true)` when
/// the element is one of them.
fn ie_codeset_0_5_print(
    nd: &mut Nd<'_>,
    iecode: u8,
    ielength: usize,
    p: &[u8],
    at: usize,
) -> PResult<bool> {
    let verbose = nd.opts.v > 0;
    match iecode {
        0x01 | 0x51 => {
            if verbose {
                let t = get_u8(p, at)?;
                nd_print!(
                    nd,
                    "{} ({t})",
                    tok2str(&REPORT_TYPES, "unknown", u32::from(t))
                );
            }
        }
        0x03 | 0x53 | 0x19 => {
            if !verbose {
                nd.print(", ");
            }
            if ielength < 2 {
                nd.print("Invalid LINK VERIFY IE");
                return Ok(true);
            }
            nd_print!(
                nd,
                "TX Seq: {:3}, RX Seq: {:3}",
                get_u8(p, at)?,
                get_u8(p, at + 1)?
            );
        }
        0x07 | 0x57 => {
            if !verbose {
                nd.print(", ");
            }
            pvc_status_print(nd, ielength, p, at)?;
        }
        _ => return Ok(false),
    }
    Ok(true)
}

/// A PVC status element: the DLCI and its state.
fn pvc_status_print(nd: &mut Nd<'_>, ielength: usize, p: &[u8], at: usize) -> PResult {
    let b = |i: usize| get_u8(p, at + i);
    let high = |i: usize| -> PResult<bool> { Ok(b(i)? & 0x80 != 0) };
    let invalid = ielength < 3
        || high(0)?
        || (ielength == 3 && !high(1)?)
        || (ielength == 4 && (high(1)? || !high(2)?))
        || (ielength == 5 && (high(1)? || high(2)? || !high(3)?))
        || ielength > 5
        || !high(ielength - 1)?;
    if invalid {
        nd.print("Invalid DLCI in PVC STATUS IE");
        return Ok(());
    }
    let mut dlci = (u32::from(b(0)? & 0x3f) << 4) | u32::from((b(1)? & 0x78) >> 3);
    if ielength == 4 {
        dlci = (dlci << 6) | u32::from((b(2)? & 0x7e) >> 1);
    } else if ielength == 5 {
        dlci = (dlci << 13) | u32::from(b(2)? & 0x7f) | u32::from((b(3)? & 0x7e) >> 1);
    }
    let status = b(ielength - 1)?;
    nd_print!(
        nd,
        "DLCI {dlci}: status {}{}",
        if status & 0x08 != 0 { "New, " } else { "" },
        if status & 0x02 != 0 {
            "Active"
        } else {
            "Inactive"
        }
    );
    Ok(())
}

#[cfg(test)]
#[allow(clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::capture::print::testing::{opts, with_nd};

    fn run(data: &[u8], v: u8) -> (String, PResult) {
        with_nd(&opts(v), |nd| if_print(nd, data, data.len() as u32))
    }

    /// DLCI 0 LMI: a Q.933 Annex A status enquiry with its report type and link verify.
    const LMI: [u8; 14] = [
        0x00, 0x01, 0x03, 0x08, 0x00, 0x75, 0x51, 0x01, 0x01, 0x53, 0x02, 0x05, 0x04, 0x00,
    ];

    #[test]
    fn a_status_enquiry_shows_its_sequence_numbers() {
        let (out, r) = run(&LMI[..13], 0);
        assert_eq!(r, Ok(()));
        assert!(
            out.starts_with("Q.933, CCITT, codeset 0, Status Enquiry"),
            "{out}"
        );
        assert!(out.contains("TX Seq:   5, RX Seq:   4"), "{out}");
        let (out, _) = run(&LMI[..13], 1);
        assert!(out.contains("Status Enquiry (0x75), length 9"), "{out}");
    }

    #[test]
    fn addresses_of_two_three_and_four_bytes() {
        let q = |b: &[u8]| match parse_q922_header(b, b.len()) {
            Address::Valid(q) => Some((q.dlci, q.addr_len)),
            _ => None,
        };
        assert_eq!(q(&[0x18, 0x41]), Some((100, 2)));
        assert_eq!(q(&[0x18, 0x40, 0x01]).map(|x| x.1), Some(3));
        assert_eq!(q(&[0x18, 0x40, 0x02, 0x01]).map(|x| x.1), Some(4));
        assert!(q(&[0x19]).is_none());
        assert!(matches!(parse_q922_header(&[0x18], 1), Address::Truncated));
    }

    #[test]
    fn every_cut_prints_without_panic() {
        for cut in 0..LMI.len() {
            for v in 0..3 {
                let _ = with_nd(&opts(v), |nd| if_print(nd, &LMI[..cut], LMI.len() as u32));
                let _ = with_nd(&opts(v), |nd| {
                    mfr_if_print(nd, &LMI[..cut], LMI.len() as u32)
                });
            }
        }
    }

    crate::arbitrary_bytes_never_panic!(if_print);

    mod multilink {
        crate::arbitrary_bytes_never_panic!(super::mfr_if_print);
    }
}
