//! Helpers every printer shares (tcpdump's util-print.c, print-ascii.c's `hex_print`, the
//! `GET_*` readers of extract.h and the address writers of addrtostr.c at tcpdump-4.99.3):
//! bounds-checked reads, truncation and invalid markers, checksum verdicts, hex and character
//! escaping, bounded string printers.
//!
//! A helper two printers need lives here (or in `tok` for name tables, `names` for address
//! lookups), never inside one of them: that is how import circles start. Imports nothing from
//! the printers but `hexdump` (print-ascii.c); every printer may import it.

use std::net::IpAddr;

pub use super::digits::{write_hex, write_hex_byte, write_ipv4, write_pad, write_u32};
use super::{hexdump, Nd, PResult, Trunc};
use crate::capture::wire::checksum;

// Bounds-checked reads: tcpdump's GET_U_1, GET_BE_U_2, GET_BE_U_4 ... and ND_TCHECK_LEN. A
// read past the captured bytes is `Err(Trunc)`, which `?` carries to the top level (tcpdump's
// longjmp), where ` [|proto]` is printed.

/// The byte at `at` (`GET_U_1`).
pub fn get_u8(buf: &[u8], at: usize) -> PResult<u8> {
    buf.get(at).copied().ok_or(Trunc)
}

/// The big-endian u16 at `at` (`GET_BE_U_2`).
pub fn get_be_u16(buf: &[u8], at: usize) -> PResult<u16> {
    get_array(buf, at).map(u16::from_be_bytes)
}

/// The big-endian 24-bit value at `at` (`GET_BE_U_3`).
pub fn get_be_u24(buf: &[u8], at: usize) -> PResult<u32> {
    let [a, b, c] = get_array(buf, at)?;
    Ok(u32::from_be_bytes([0, a, b, c]))
}

/// The big-endian u32 at `at` (`GET_BE_U_4`).
pub fn get_be_u32(buf: &[u8], at: usize) -> PResult<u32> {
    get_array(buf, at).map(u32::from_be_bytes)
}

/// The big-endian u64 at `at` (`GET_BE_U_8`).
pub fn get_be_u64(buf: &[u8], at: usize) -> PResult<u64> {
    get_array(buf, at).map(u64::from_be_bytes)
}

/// The little-endian u16 at `at` (`GET_LE_U_2`).
pub fn get_le_u16(buf: &[u8], at: usize) -> PResult<u16> {
    get_array(buf, at).map(u16::from_le_bytes)
}

/// The little-endian u32 at `at` (`GET_LE_U_4`).
pub fn get_le_u32(buf: &[u8], at: usize) -> PResult<u32> {
    get_array(buf, at).map(u32::from_le_bytes)
}

/// `N` bytes from `at`, as an array (`GET_CPY_BYTES`).
pub fn get_array<const N: usize>(buf: &[u8], at: usize) -> PResult<[u8; N]> {
    get_bytes(buf, at, N)?.try_into().map_err(|_| Trunc)
}

/// `len` bytes from `at`.
pub fn get_bytes(buf: &[u8], at: usize, len: usize) -> PResult<&[u8]> {
    let end = at.checked_add(len).ok_or(Trunc)?;
    buf.get(at..end).ok_or(Trunc)
}

/// Whether `len` bytes from `at` were captured (tcpdump's `ND_TTEST_LEN`).
pub fn ttest(buf: &[u8], at: usize, len: usize) -> bool {
    at.checked_add(len).is_some_and(|end| end <= buf.len())
}

/// `Err(Trunc)` unless `len` bytes from `at` were captured (tcpdump's `ND_TCHECK_LEN`).
pub fn tcheck(buf: &[u8], at: usize, len: usize) -> PResult {
    if ttest(buf, at, len) {
        Ok(())
    } else {
        Err(Trunc)
    }
}

// Markers (util-print.c).

/// ` [|proto]` for the printer named in `nd.protocol`, printed where tcpdump jumps to a local
/// `trunc:` label and returns normally (`nd_print_trunc`), rather than unwinding to the top.
pub fn print_trunc(nd: &mut Nd<'_>) {
    let proto = nd.protocol;
    crate::nd_print!(nd, " [|{proto}]");
}

/// `HTTP`: the protocol's name in capitals (util-print.c `nd_print_protocol_caps`).
pub fn print_protocol_caps(nd: &mut Nd<'_>) {
    let name = nd.protocol;
    for c in name.bytes() {
        nd.out.push(char::from(c.to_ascii_uppercase()));
    }
}

/// ` (invalid)` (`nd_print_invalid`).
pub fn print_invalid(nd: &mut Nd<'_>) {
    nd.print(" (invalid)");
}

/// A printer's `invalid:` label: ` (invalid)`, then `Err(Trunc)` unless the `len` bytes
/// from `at` were captured (`nd_print_invalid` and `ND_TCHECK_LEN`).
pub fn invalid_then_tcheck(nd: &mut Nd<'_>, buf: &[u8], at: usize, len: usize) -> PResult {
    print_invalid(nd);
    tcheck(buf, at, len)
}

/// Walk the TLVs in the `length` bytes from `at`: `tlv(nd, at, left)` prints the one at `at`
/// with `left` bytes left and returns how many bytes it took (all that are left to end the
/// walk), or `None` where the C jumps to its `invalid:` label (as is taking none); then
/// ` (invalid)`, and `Err(Trunc)` unless the bytes left were captured. `Ok(false)` after
/// `invalid`.
pub fn tlv_walk(
    nd: &mut Nd<'_>,
    buf: &[u8],
    mut at: usize,
    mut length: usize,
    mut tlv: impl FnMut(&mut Nd<'_>, usize, usize) -> PResult<Option<usize>>,
) -> PResult<bool> {
    while length > 0 {
        match tlv(nd, at, length)? {
            Some(used) if used > 0 => {
                at += used;
                length = length.saturating_sub(used);
            }
            _ => {
                invalid_then_tcheck(nd, buf, at, length)?;
                return Ok(false);
            }
        }
    }
    Ok(true)
}

/// Seconds as `1y2w3d4h5m6s`, zero as `0s` (util-print.c `unsigned_relts_print`).
pub fn unsigned_relts_print(nd: &mut Nd<'_>, mut secs: u32) {
    const UNITS: [(u32, &str); 6] = [
        (31_536_000, "y"),
        (604_800, "w"),
        (86_400, "d"),
        (3_600, "h"),
        (60, "m"),
        (1, "s"),
    ];
    if secs == 0 {
        nd.print("0s");
        return;
    }
    for (unit, name) in UNITS {
        if secs >= unit {
            crate::nd_print!(nd, "{}{name}", secs / unit);
            secs %= unit;
        }
    }
}

/// A civil date and time as strftime's `%Y<sep>%m<sep>%d %H:%M:%S` (the years printers
/// reach have four digits).
pub fn ymd_hms_print(nd: &mut Nd<'_>, dt: &jiff::civil::DateTime, sep: char) {
    crate::nd_print!(
        nd,
        "{:04}{sep}{:02}{sep}{:02} {:02}:{:02}:{:02}",
        dt.year(),
        dt.month(),
        dt.day(),
        dt.hour(),
        dt.minute(),
        dt.second()
    );
}

// Checksums (in_cksum.c).

/// The value the checksum field should hold, given the field and the checksum computed with
/// it (`in_cksum_shouldbe`).
pub fn shouldbe(field: u16, computed: u16) -> u16 {
    let mut s = u32::from(field) + u32::from(computed);
    s = (s & 0xffff) + (s >> 16);
    s = (s & 0xffff) + (s >> 16);
    s as u16
}

/// The checksum over the transport pseudo-header and `seg`: zero when correct
/// (`nextproto4_cksum` / `nextproto6_cksum`).
pub fn transport_checksum(src: IpAddr, dst: IpAddr, proto: u8, seg: &[u8]) -> u16 {
    checksum::transport_checksum(src, dst, proto, seg)
}

// Addresses without names (addrtostr.c, addrtoname.c).

/// Write an IPv6 address the way tcpdump's addrtostr.c `addrtostr6` does: the first longest
/// run of two or more zero words as `::`, and `::a.b.c.d` / `::ffff:a.b.c.d` for the
/// IPv4-compatible and IPv4-mapped forms.
pub fn write_ip6_addr(out: &mut String, a: &[u8; 16]) {
    let words: [u16; 8] = std::array::from_fn(|i| {
        u16::from_be_bytes([
            a.get(2 * i).copied().unwrap_or(0),
            a.get(2 * i + 1).copied().unwrap_or(0),
        ])
    });
    let (base, run) = longest_zero_run(&words);
    let mut i = 0;
    while i < 8 {
        if run >= 2 && i == base {
            out.push(':');
            i += run;
            continue;
        }
        if i != 0 {
            out.push(':');
        }
        let embeds_v4 = base == 0 && (run == 6 || (run == 5 && words.get(5) == Some(&0xffff)));
        if i == 6 && run >= 2 && embeds_v4 {
            let [.., b12, b13, b14, b15] = *a;
            write_ipv4(out, [b12, b13, b14, b15]);
            return;
        }
        write_hex(out, u32::from(words.get(i).copied().unwrap_or(0)), 1);
        i += 1;
    }
    if run >= 2 && base + run == 8 {
        out.push(':');
    }
}

/// The start and length of the first longest run of zero words.
fn longest_zero_run(words: &[u16; 8]) -> (usize, usize) {
    let (mut best, mut best_len) = (0, 0);
    let mut i = 0;
    while i < 8 {
        let len = words.iter().skip(i).take_while(|w| **w == 0).count();
        if len > best_len {
            (best, best_len) = (i, len);
        }
        i += len.max(1);
    }
    (best, best_len)
}

/// `vlan N, p P[, DEI]` (addrtoname.c `ieee8021q_tci_string`).
pub fn tci_string(tci: u16) -> String {
    let dei = if tci & 0x1000 != 0 { ", DEI" } else { "" };
    format!("vlan {}, p {}{dei}", tci & 0xfff, tci >> 13)
}

// Hex and unknown payloads (print-ascii.c, util-print.c, netdissect.h).

/// Lines of `IDENT0xOOOO:  hhhh hhhh ...`, eight 16-bit groups a line (print-ascii.c
/// `hex_print`).
pub fn hex_print(nd: &mut Nd<'_>, ident: &str, bytes: &[u8]) {
    for (i, pair) in bytes.chunks(2).enumerate() {
        if i % 8 == 0 {
            crate::nd_print!(nd, "{ident}0x{:04x}: ", i * 2);
        }
        nd.print(" ");
        for b in pair {
            crate::nd_print!(nd, "{b:02x}");
        }
    }
}

/// `bytes` in hex, `group` bytes at a time, each group after `prefix` and the groups apart by
/// `sep`: the C's runs of big-endian words such as `%08x%08x` or `0x%08x 0x%08x`.
pub fn hex_groups_print(nd: &mut Nd<'_>, bytes: &[u8], group: usize, prefix: &str, sep: &str) {
    for (i, chunk) in bytes.chunks(group).enumerate() {
        if i > 0 {
            nd.print(sep);
        }
        nd.print(prefix);
        for b in chunk {
            crate::nd_print!(nd, "{b:02x}");
        }
    }
}

/// Hex of `len` bytes from `at`, cut at the capture (util-print.c `print_unknown_data`).
pub fn print_unknown_data(nd: &mut Nd<'_>, data: &[u8], at: usize, ident: &str, len: usize) {
    let Some(rest) = data.get(at..) else {
        crate::nd_print!(
            nd,
            "{ident}Dissector error: print_unknown_data called with pointer past end of packet"
        );
        return;
    };
    hex_print(nd, ident, rest.get(..len).unwrap_or(rest));
}

/// The name of each entry of `table` that shares a bit with `v`, one after the other,
/// nothing when none does: the `if (flags & MASK) ND_PRINT(...)` runs of the printers. Unlike
/// `tok::bittok2str`, an entry may stand for several bits and nothing separates the names.
pub fn flag_names_print(nd: &mut Nd<'_>, table: &[(u32, &str)], v: u32) {
    for (mask, name) in table {
        if v & mask != 0 {
            nd.print(name);
        }
    }
}

/// Whether tcpdump prints unknown payloads as hex and ASCII (`-q`, `-x` and `-X` suppress it).
pub fn default_print_on(nd: &Nd<'_>) -> bool {
    nd.opts.q == 0 && nd.opts.x == 0 && nd.opts.xx == 0
}

/// tcpdump's `ND_DEFAULTPRINT`: hex and ASCII of an unknown payload, unless suppressed.
pub fn default_print(nd: &mut Nd<'_>, data: &[u8]) {
    if default_print_on(nd) {
        hexdump::hex_and_ascii(nd.out, data);
    }
}

/// `length` bytes on the wire dumped in hex and ASCII, as many as were captured, then
/// `Err(Trunc)` when the capture ends first (print-ascii.c `hex_and_ascii_print`, which
/// longjmps).
pub fn hex_and_ascii_print(nd: &mut Nd<'_>, data: &[u8], length: usize) -> PResult {
    hexdump::hex_and_ascii(nd.out, data.get(..length).unwrap_or(data));
    if length > data.len() {
        return Err(super::Trunc);
    }
    Ok(())
}

/// `ND_DEFAULTPRINT` called without the suppression check (as print-arp.c and print-llc.c do).
pub fn default_print_always(nd: &mut Nd<'_>, data: &[u8]) {
    hexdump::hex_and_ascii(nd.out, data);
}

// Text from the packet (util-print.c).

/// One byte of text as tcpdump shows it: `M-` for bytes above 0x7f, `^` and the byte xor 0x40
/// for control characters (`fn_print_char`).
pub fn fn_print_char(nd: &mut Nd<'_>, mut c: u8) {
    if !c.is_ascii() {
        c &= 0x7f;
        nd.print("M-");
    }
    if !(0x20..0x7f).contains(&c) {
        c ^= 0x40;
        nd.print("^");
    }
    nd.out.push(char::from(c));
}

/// A counted string of `n` bytes from `at`, escaped; `Err(Trunc)` where the capture ends
/// first (`nd_printjn`).
pub fn printjn(nd: &mut Nd<'_>, buf: &[u8], at: usize, n: usize) -> PResult {
    for i in 0..n {
        fn_print_char(nd, get_u8(buf, at.checked_add(i).ok_or(Trunc)?)?);
    }
    Ok(())
}

/// A NUL-padded string of at most `n` bytes from `at`, escaped, stopping at the first NUL;
/// `Err(Trunc)` where the capture ends first (`nd_printjnp`).
pub fn printjnp(nd: &mut Nd<'_>, buf: &[u8], at: usize, n: usize) -> PResult {
    for i in 0..n {
        match get_u8(buf, at.checked_add(i).ok_or(Trunc)?)? {
            0 => break,
            c => fn_print_char(nd, c),
        }
    }
    Ok(())
}

/// A counted string of `n` bytes from `at`, escaped, stopping quietly where the capture ends;
/// `true` when it was cut short (`nd_printn` with an end pointer).
pub fn printn(nd: &mut Nd<'_>, buf: &[u8], at: usize, n: usize) -> bool {
    let avail = buf.get(at..).unwrap_or_default();
    let shown = avail.get(..n).unwrap_or(avail);
    for &c in shown {
        fn_print_char(nd, c);
    }
    shown.len() < n
}

// Netmasks (util-print.c).

/// The prefix length of a contiguous netmask, -1 for any other (`mask2plen`).
pub fn mask2plen(mask: u32) -> i32 {
    match mask.leading_ones() {
        n if mask.checked_shl(n).unwrap_or(0) == 0 => n as i32,
        _ => -1,
    }
}

/// The prefix length of an IPv6 netmask as `mask62plen` counts it: eight bits for each
/// leading 0xff byte, then the bits of the next byte when it is a prefix of ones (nothing
/// otherwise, and whatever follows it is ignored).
pub fn mask62plen(mask: &[u8; 16]) -> u32 {
    let full = mask.iter().take_while(|&&b| b == 0xff).count();
    let next = mask.get(full).map_or(0, |&b| match b.leading_ones() {
        n if b.checked_shl(n).unwrap_or(0) == 0 => n,
        _ => 0,
    });
    8 * full as u32 + next
}

// Option walks shared by protocols with the same layout.

/// The length of the type-length-value option at `i` of `opts`, whose first `len` bytes are
/// options: one byte for a Pad1 option (`pad1`), else two plus its length byte. `None` when
/// the option runs past `len` (print-ip6opts.c and print-mobility.c at tcpdump-4.99.3).
pub fn tlv_len(opts: &[u8], i: usize, len: usize, pad1: bool) -> PResult<Option<usize>> {
    let optlen = if pad1 {
        1
    } else if i + 1 < len {
        usize::from(get_u8(opts, i + 1)?) + 2
    } else {
        return Ok(None);
    };
    Ok((i + optlen <= len).then_some(optlen))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capture::print::testing::{opts, with_nd};

    #[test]
    fn masks_become_prefix_lengths() {
        assert_eq!(mask2plen(0), 0);
        assert_eq!(mask2plen(0xffff_ff00), 24);
        assert_eq!(mask2plen(u32::MAX), 32);
        assert_eq!(mask2plen(0xff00_ff00), -1);
        let mut m = [0u8; 16];
        assert_eq!(mask62plen(&m), 0);
        m[..5].copy_from_slice(&[0xff, 0xff, 0xff, 0xff, 0xfe]);
        assert_eq!(mask62plen(&m), 39);
        m[4] = 0x0f;
        m[5] = 0xff;
        assert_eq!(mask62plen(&m), 32);
        assert_eq!(mask62plen(&[0xff; 16]), 128);
    }

    #[test]
    fn readers_check_bounds() {
        let b = [1, 2, 3, 4, 5, 6, 7, 8];
        assert_eq!(get_be_u16(&b, 0), Ok(0x0102));
        assert_eq!(get_le_u16(&b, 0), Ok(0x0201));
        assert_eq!(get_be_u24(&b, 1), Ok(0x020304));
        assert_eq!(get_be_u32(&b, 4), Ok(0x05060708));
        assert_eq!(get_le_u32(&b, 4), Ok(0x08070605));
        assert_eq!(get_be_u64(&b, 0), Ok(0x0102030405060708));
        assert_eq!(get_be_u32(&b, 5), Err(Trunc));
        assert_eq!(get_be_u64(&b, 1), Err(Trunc));
        assert_eq!(get_bytes(&b, usize::MAX, 2), Err(Trunc));
        assert!(ttest(&b, 8, 0) && !ttest(&b, 8, 1));
        assert_eq!(tcheck(&b, 7, 2), Err(Trunc));
    }

    #[test]
    fn shouldbe_adds_with_end_around_carry() {
        assert_eq!(shouldbe(0x1234, 0), 0x1234);
        assert_eq!(shouldbe(0xffff, 0x0002), 0x0002);
    }

    #[test]
    fn ip6_compression_follows_addrtostr6() {
        let text = |s: &str| {
            let a: std::net::Ipv6Addr = s.parse().unwrap_or(std::net::Ipv6Addr::UNSPECIFIED);
            let mut out = String::new();
            write_ip6_addr(&mut out, &a.octets());
            out
        };
        assert_eq!(text("2001:db8:0:0:1:0:0:1"), "2001:db8::1:0:0:1");
        assert_eq!(text("::ffff:1.2.3.4"), "::ffff:1.2.3.4");
        assert_eq!(text("1::"), "1::");
    }

    #[test]
    fn characters_escape_as_fn_print_char() {
        let (out, ()) = with_nd(&opts(0), |nd| {
            for c in [b'a', b'\n', 0x7f, 0xe9, 0x81] {
                fn_print_char(nd, c);
            }
        });
        assert_eq!(out, "a^J^?M-iM-^A");
    }

    #[test]
    fn bounded_strings() {
        let buf = b"ab\x01\0zz";
        let (out, r) = with_nd(&opts(0), |nd| printjnp(nd, buf, 0, 6));
        assert_eq!((out.as_str(), r), ("ab^A", Ok(())));
        let (out, r) = with_nd(&opts(0), |nd| printjn(nd, buf, 4, 3));
        assert_eq!((out.as_str(), r), ("zz", Err(Trunc)));
        let (out, cut) = with_nd(&opts(0), |nd| printn(nd, buf, 3, 5));
        assert_eq!((out.as_str(), cut), ("^@zz", true));
        let (_, cut) = with_nd(&opts(0), |nd| printn(nd, buf, 0, 2));
        assert!(!cut);
    }

    #[test]
    fn hex_lines_and_unknown_data() {
        let (out, ()) = with_nd(&opts(0), |nd| {
            print_unknown_data(nd, &[1, 2, 3], 1, "\n\t", 9)
        });
        assert_eq!(out, "\n\t0x0000:  0203");
        let (out, ()) = with_nd(&opts(0), |nd| print_unknown_data(nd, &[1], 2, "\n\t", 1));
        assert!(out.contains("Dissector error"), "{out}");
    }

    #[test]
    fn tlv_lengths() {
        let opts = [0, 1, 2, 0, 0];
        assert_eq!(tlv_len(&opts, 0, 5, true), Ok(Some(1)));
        assert_eq!(tlv_len(&opts, 1, 5, false), Ok(Some(4)));
        assert_eq!(tlv_len(&opts, 1, 4, false), Ok(None));
        assert_eq!(tlv_len(&opts, 4, 5, false), Ok(None));
        assert_eq!(tci_string(0x3005), "vlan 5, p 1, DEI");
    }
}
