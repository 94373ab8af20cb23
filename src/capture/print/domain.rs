//! Domain names in packets (print-domain.c at tcpdump-4.99.3; RFC 1035 section 4.1.4
//! compression, RFC 2673 bit-string labels), as the ICMPv6 DNSSL option (RFC 8106) carries
//! them. DNS messages themselves are not printed by echolab.

use super::util::fn_print_char;
use super::{get_u8, ttest, Nd, PResult};

const MAXCDNAME: usize = 255;

/// The length of the label at `cp`, or `None` (with a note for bad types) when it cannot be
/// used (print-domain.c `labellen`).
fn labellen(nd: &mut Nd<'_>, data: &[u8], cp: usize) -> PResult<Option<usize>> {
    if !ttest(data, cp, 1) {
        return Ok(None);
    }
    let i = get_u8(data, cp)?;
    Ok(match i & 0xc0 {
        0x40 if i & 0x3f != 1 => {
            crate::nd_print!(nd, "<ELT {}>", i & 0x3f);
            None
        }
        0x40 => {
            if !ttest(data, cp + 1, 1) {
                return Ok(None);
            }
            let bits = match get_u8(data, cp + 1)? {
                0 => 256,
                b => usize::from(b),
            };
            Some(bits.div_ceil(8) + 1)
        }
        0x80 => {
            nd.print("<BAD LABEL TYPE>");
            None
        }
        _ => Some(usize::from(i)),
    })
}

/// The label at `cp`: its first byte and its length (see `labellen`), `None` when it was not
/// captured or cannot be printed.
fn label_at(nd: &mut Nd<'_>, data: &[u8], cp: usize) -> PResult<Option<(u8, usize)>> {
    if !ttest(data, cp, 1) {
        return Ok(None);
    }
    let i = get_u8(data, cp)?;
    Ok(labellen(nd, data, cp)?.map(|l| (i, l)))
}

/// A domain name at `cp`, compression offsets counted from `bp` (print-domain.c
/// `fqdn_print`): the offset after the name, `None` when it could not be printed.
pub fn fqdn_print(
    nd: &mut Nd<'_>,
    data: &[u8],
    mut cp: usize,
    bp: usize,
) -> PResult<Option<usize>> {
    let Some((mut i, mut l)) = label_at(nd, data, cp)? else {
        return Ok(None);
    };
    let mut max_offset = cp - bp;
    cp += 1;
    let mut compress = false;
    let mut rp = if i & 0xc0 != 0xc0 { Some(cp + l) } else { None };
    if i == 0 {
        nd.print(".");
        return Ok(rp);
    }
    let mut name_chars = 0usize;
    while i != 0 && cp < data.len() {
        match i & 0xc0 {
            0xc0 => {
                if !compress {
                    rp = Some(cp + 1);
                    compress = true;
                }
                if !ttest(data, cp, 1) {
                    return Ok(None);
                }
                let offset = ((usize::from(i) << 8) | usize::from(get_u8(data, cp)?)) & 0x3fff;
                if offset >= max_offset {
                    nd.print("<BAD PTR>");
                    return Ok(None);
                }
                max_offset = offset;
                cp = bp + offset;
                let Some(next) = label_at(nd, data, cp)? else {
                    return Ok(None);
                };
                (i, l) = next;
                cp += 1;
                continue;
            }
            0x40 if i & 0x3f == 1 => blabel_print(nd, data, cp)?,
            0x40 => {
                crate::nd_print!(nd, "<ELT {}>", i & 0x3f);
                return Ok(None);
            }
            0x80 => {
                nd.print("<BAD LABEL TYPE>");
                return Ok(None);
            }
            _ => {
                let n = if name_chars + l <= MAXCDNAME {
                    l
                } else {
                    MAXCDNAME.saturating_sub(name_chars)
                };
                if n > 0 && !printn(nd, data, cp, n)? {
                    return Ok(None);
                }
                name_chars += l;
            }
        }
        cp += l;
        if name_chars <= MAXCDNAME {
            nd.print(".");
        }
        name_chars += 1;
        let Some(next) = label_at(nd, data, cp)? else {
            return Ok(None);
        };
        (i, l) = next;
        cp += 1;
        if !compress {
            rp = rp.map(|r| r + l + 1);
        }
    }
    if name_chars > MAXCDNAME {
        nd.print("<DOMAIN NAME TOO LONG>");
    }
    Ok(rp)
}

/// `n` label characters with tcpdump's escapes (util-print.c `nd_printn`, `fn_print_char`):
/// `Ok(false)` when the capture ends first.
fn printn(nd: &mut Nd<'_>, data: &[u8], at: usize, n: usize) -> PResult<bool> {
    for k in 0..n {
        if at + k >= data.len() {
            return Ok(false);
        }
        fn_print_char(nd, get_u8(data, at + k)?);
    }
    Ok(true)
}

/// An EDNS0 bit-string label: `\[xHEX/BITS]` (print-domain.c `blabel_print`).
fn blabel_print(nd: &mut Nd<'_>, data: &[u8], cp: usize) -> PResult {
    let bitlen = match get_u8(data, cp)? {
        0 => 256,
        b => u32::from(b),
    };
    let lim = cp + 1 + (bitlen as usize).div_ceil(4);
    nd.print("\\[x");
    let (mut bitp, mut b) = (cp + 1, bitlen);
    while bitp < lim && b > 7 {
        crate::nd_print!(nd, "{:02x}", get_u8(data, bitp)?);
        b -= 8;
        bitp += 1;
    }
    if b > 4 {
        let tc = get_u8(data, bitp)?;
        crate::nd_print!(nd, "{:02x}", tc & (0xffu8 << (8 - b)));
    } else if b > 0 {
        let tc = get_u8(data, bitp)?;
        crate::nd_print!(nd, "{:1x}", ((tc >> 4) & 0x0f) & (0x0fu8 << (4 - b)));
    }
    crate::nd_print!(nd, "/{bitlen}]");
    Ok(())
}
