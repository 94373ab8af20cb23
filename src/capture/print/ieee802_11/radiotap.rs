//! The radiotap header of link type IEEE802_11_RADIO (print-802_11.c
//! `ieee802_11_radio_print`, `print_radiotap_field`, `print_chaninfo`, and cpack.c at
//! tcpdump-4.99.3): the presence bitmaps, the fields of the default namespace read at their
//! natural alignment from the header's start, vendor namespaces skipped; then the 802.11
//! frame, with the padding and FCS the flags field announces.

use super::tables::HT_RATES;
use crate::capture::print::util::{get_be_u64, get_le_u16, get_le_u32, print_trunc};
use crate::capture::print::{get_u8, Nd, PResult};
use crate::nd_print;

const HEADER_LEN: usize = 8;
const BIT_MCS: u32 = 19;
const BIT_XCHANNEL: u32 = 18;
const BIT_NAMESPACE: u32 = 29;
const BIT_VENDOR_NAMESPACE: u32 = 30;
const BIT_EXT: u32 = 31;

const F_DATAPAD: u8 = 0x20;
const F_FCS: u8 = 0x10;

/// Reads at natural alignment from the start of the header, within its length (cpack.c
/// `struct cpack_state`).
struct Cpack<'a> {
    buf: &'a [u8],
    next: usize,
}

impl Cpack<'_> {
    /// The offset of the next `size`-byte field, aligned; `None` past the header
    /// (`nd_cpack_align_and_reserve`).
    fn reserve(&self, size: usize) -> Option<usize> {
        let at = self.next.next_multiple_of(size);
        (at + size <= self.buf.len()).then_some(at)
    }

    /// Skip `n` bytes; `false` past the header (`nd_cpack_advance`).
    fn advance(&mut self, n: usize) -> bool {
        if self.next + n > self.buf.len() {
            return false;
        }
        self.next += n;
        true
    }

    /// The next `size`-byte little-endian field, `None` past the header.
    fn take(&mut self, size: usize) -> PResult<Option<u64>> {
        let Some(at) = self.reserve(size) else {
            return Ok(None);
        };
        let v = match size {
            1 => u64::from(get_u8(self.buf, at)?),
            2 => u64::from(get_le_u16(self.buf, at)?),
            4 => u64::from(get_le_u32(self.buf, at)?),
            _ => get_be_u64(self.buf, at)?.swap_bytes(),
        };
        self.next = at + size;
        Ok(Some(v))
    }
}

/// How a field printer ended: printed, or stopped the walk (` [|802.11_radio]` or an
/// unknown field's `[bit N] `).
type Field = PResult<Option<()>>;

/// Print a frame of link type IEEE802_11_RADIO; adds the radiotap and 802.11 header
/// lengths to `nd.ll_hdr_len` (`ieee802_11_radio_if_print`).
pub fn print(nd: &mut Nd<'_>, data: &[u8], len: u32) -> PResult {
    nd.protocol = "802.11_radio";
    let caplen = data.len();
    let hdrlen = header_print(nd, data, len as usize)?;
    nd.ll_hdr_len += hdrlen.unwrap_or(caplen);
    Ok(())
}

/// The header and the frame after it; `None` (the capture length) when the header is cut.
fn header_print(nd: &mut Nd<'_>, p: &[u8], length: usize) -> PResult<Option<usize>> {
    let caplen = p.len();
    if caplen < HEADER_LEN {
        print_trunc(nd);
        return Ok(None);
    }
    let len = usize::from(get_le_u16(p, 2)?);
    if len < HEADER_LEN || caplen < len {
        print_trunc(nd);
        return Ok(None);
    }
    let hdr = p.get(..len).unwrap_or(p);
    let mut cp = Cpack {
        buf: hdr,
        next: HEADER_LEN,
    };
    // The extended presence bitmaps.
    let mut last = 4;
    while last + 4 <= len && get_le_u32(p, last)? & 1 << BIT_EXT != 0 {
        cp.advance(4);
        last += 4;
    }
    if last + 4 > len {
        print_trunc(nd);
        return Ok(None);
    }
    let flags = fields_print(nd, p, &mut cp, last)?;
    let pad = flags & F_DATAPAD != 0;
    let fcslen = if flags & F_FCS != 0 { 4 } else { 0 };
    let frame = p.get(len..).unwrap_or(&[]);
    let n = super::frame_print(nd, frame, length.saturating_sub(len), pad, fcslen)?;
    Ok(Some(len + n))
}

/// Walk the presence bitmaps from offset 4 to `last`, printing the default namespace's
/// fields; returns the flags field's value.
fn fields_print(nd: &mut Nd<'_>, p: &[u8], cp: &mut Cpack<'_>, last: usize) -> PResult<u8> {
    let (mut bit0, mut vendor, mut skip) = (0u32, false, 0usize);
    let mut flags = 0u8;
    let mut at = 4;
    while at <= last {
        let present = get_le_u32(p, at)?;
        at += 4;
        if vendor {
            if !cp.advance(skip) {
                break;
            }
            skip = 0;
        } else if namespace_print(nd, cp, &mut flags, present, bit0)?.is_none() {
            break;
        }
        match present & (1 << BIT_NAMESPACE | 1 << BIT_VENDOR_NAMESPACE) {
            0 => bit0 += 32,
            x if x == 1 << BIT_NAMESPACE => {
                (bit0, vendor, skip) = (0, false, 0);
            }
            x if x == 1 << BIT_VENDOR_NAMESPACE => {
                bit0 = 0;
                vendor = true;
                // OUI and sub-namespace, then the length of the vendor's data; a `break`
                // here leaves only the switch in tcpdump, the walk goes on.
                if cp.reserve(2).is_none() {
                    print_trunc(nd);
                    continue;
                }
                let mut ok = true;
                for _ in 0..4 {
                    if cp.take(1)?.is_none() {
                        ok = false;
                        break;
                    }
                }
                if !ok {
                    print_trunc(nd);
                    continue;
                }
                match cp.take(2)? {
                    Some(v) => skip = v as usize,
                    None => print_trunc(nd),
                }
            }
            _ => {}
        }
    }
    Ok(flags)
}

/// The fields of one presence bitmap, lowest bit first, up to the namespace bits
/// (`print_in_radiotap_namespace`); `None` when a field stopped the walk.
fn namespace_print(
    nd: &mut Nd<'_>,
    cp: &mut Cpack<'_>,
    flags: &mut u8,
    present: u32,
    bit0: u32,
) -> Field {
    let mut rest = present;
    while rest != 0 {
        let bitno = rest.trailing_zeros();
        rest &= rest - 1;
        if bitno >= BIT_NAMESPACE {
            break;
        }
        if field_print(nd, cp, bit0 + bitno, flags, present)?.is_none() {
            return Ok(None);
        }
    }
    Ok(Some(()))
}

/// Read `size` bytes or print ` [|802.11_radio]` and stop the walk.
macro_rules! take {
    ($nd:expr, $cp:expr, $size:expr) => {
        match $cp.take($size)? {
            Some(v) => v,
            None => {
                print_trunc($nd);
                return Ok(None);
            }
        }
    };
}

/// One field (`print_radiotap_field`).
fn field_print(
    nd: &mut Nd<'_>,
    cp: &mut Cpack<'_>,
    bit: u32,
    flagsp: &mut u8,
    present: u32,
) -> Field {
    match bit {
        0 => nd_print!(nd, "{}us tsft ", take!(nd, cp, 8)),
        1 => {
            let f = take!(nd, cp, 1) as u8;
            *flagsp = f;
            for (b, name) in [
                (0x01, "cfp "),
                (0x02, "short preamble "),
                (0x04, "wep "),
                (0x08, "fragmented "),
                (0x40, "bad-fcs "),
            ] {
                if f & b != 0 {
                    nd.print(name);
                }
            }
        }
        2 => {
            let rate = take!(nd, cp, 1) as u8;
            if (0x80..=0x8f).contains(&rate) {
                nd_print!(nd, "MCS {} ", rate & 0x7f);
            } else {
                nd_print!(nd, "{:.1} Mb/s ", 0.5 * f64::from(rate));
            }
        }
        3 => {
            let freq = take!(nd, cp, 2) as u16;
            let chflags = take!(nd, cp, 2) as u32;
            if present & 1 << BIT_XCHANNEL == 0 {
                chaninfo_print(nd, freq, chflags, present);
            }
        }
        4 => {
            let set = take!(nd, cp, 1);
            let pat = take!(nd, cp, 1);
            nd_print!(nd, "fhset {set} fhpat {pat} ");
        }
        5 => nd_print!(nd, "{}dBm signal ", take!(nd, cp, 1) as u8 as i8),
        6 => nd_print!(nd, "{}dBm noise ", take!(nd, cp, 1) as u8 as i8),
        7 => nd_print!(nd, "{} sq ", take!(nd, cp, 2)),
        8 => nd_print!(
            nd,
            "{} tx power ",
            -i32::from(take!(nd, cp, 2) as u16 as i16)
        ),
        9 => nd_print!(
            nd,
            "{}dB tx attenuation ",
            -i32::from(take!(nd, cp, 1) as u8 as i8)
        ),
        10 => nd_print!(nd, "{}dBm tx power ", take!(nd, cp, 1) as u8 as i8),
        11 => nd_print!(nd, "antenna {} ", take!(nd, cp, 1)),
        12 => nd_print!(nd, "{}dB signal ", take!(nd, cp, 1)),
        13 => nd_print!(nd, "{}dB noise ", take!(nd, cp, 1)),
        14 => {
            take!(nd, cp, 2);
        }
        18 => {
            let chflags = take!(nd, cp, 4) as u32;
            let freq = take!(nd, cp, 2) as u16;
            take!(nd, cp, 1);
            take!(nd, cp, 1);
            chaninfo_print(nd, freq, chflags, present);
        }
        19 => return mcs_print(nd, cp),
        20 => {
            take!(nd, cp, 4);
            take!(nd, cp, 2);
            take!(nd, cp, 1);
            take!(nd, cp, 1);
        }
        21 => return vht_print(nd, cp),
        _ => {
            nd_print!(nd, "[bit {bit}] ");
            return Ok(None);
        }
    }
    Ok(Some(()))
}

/// The HT (802.11n) field.
fn mcs_print(nd: &mut Nd<'_>, cp: &mut Cpack<'_>) -> Field {
    let known = take!(nd, cp, 1) as u8;
    let flags = take!(nd, cp, 1) as u8;
    let index = take!(nd, cp, 1) as u8;
    if known & 0x02 != 0 {
        let rate = match HT_RATES.get(usize::from(index)) {
            Some(r) if known & (0x01 | 0x04) != 0 => {
                let bw40 = usize::from(flags & 0x03 == 1);
                let sgi = usize::from(flags & 0x04 != 0);
                r.get(bw40).and_then(|b| b.get(sgi)).copied().unwrap_or(0.0)
            }
            _ => 0.0,
        };
        if rate != 0.0 {
            nd_print!(nd, "{:.1} Mb/s MCS {index} ", f64::from(rate));
        } else {
            nd_print!(nd, "MCS {index} ");
        }
    }
    if known & 0x01 != 0 {
        let bw = ["20 MHz", "40 MHz", "20 MHz (L)", "20 MHz (U)"];
        nd_print!(nd, "{} ", bw.get(usize::from(flags & 0x03)).unwrap_or(&""));
    }
    if known & 0x04 != 0 {
        nd_print!(
            nd,
            "{} GI ",
            if flags & 0x04 != 0 { "short" } else { "long" }
        );
    }
    if known & 0x08 != 0 {
        nd_print!(
            nd,
            "{} ",
            if flags & 0x08 != 0 {
                "greenfield"
            } else {
                "mixed"
            }
        );
    }
    if known & 0x10 != 0 {
        nd_print!(
            nd,
            "{} FEC ",
            if flags & 0x10 != 0 { "LDPC" } else { "BCC" }
        );
    }
    if known & 0x20 != 0 {
        nd_print!(nd, "RX-STBC{} ", (flags & 0x60) >> 5);
    }
    Ok(Some(()))
}

/// print-802_11.c's VHT bandwidth names, by the field's low five bits.
const VHT_BANDWIDTH: [&str; 32] = [
    "20 MHz",
    "40 MHz",
    "20 MHz (L)",
    "20 MHz (U)",
    "80 MHz",
    "80 MHz (L)",
    "80 MHz (U)",
    "80 MHz (LL)",
    "80 MHz (LU)",
    "80 MHz (UL)",
    "80 MHz (UU)",
    "160 MHz",
    "160 MHz (L)",
    "160 MHz (U)",
    "160 MHz (LL)",
    "160 MHz (LU)",
    "160 MHz (UL)",
    "160 MHz (UU)",
    "160 MHz (LLL)",
    "160 MHz (LLU)",
    "160 MHz (LUL)",
    "160 MHz (UUU)",
    "160 MHz (ULL)",
    "160 MHz (ULU)",
    "160 MHz (UUL)",
    "160 MHz (UUU)",
    "unknown (26)",
    "unknown (27)",
    "unknown (28)",
    "unknown (29)",
    "unknown (30)",
    "unknown (31)",
];

/// The VHT (802.11ac) field.
fn vht_print(nd: &mut Nd<'_>, cp: &mut Cpack<'_>) -> Field {
    let known = take!(nd, cp, 2) as u16;
    let flags = take!(nd, cp, 1) as u8;
    let bandwidth = take!(nd, cp, 1) as u8;
    let mut mcs_nss = [0u8; 4];
    for m in &mut mcs_nss {
        *m = take!(nd, cp, 1) as u8;
    }
    let coding = take!(nd, cp, 1) as u8;
    take!(nd, cp, 1);
    take!(nd, cp, 2);
    for (i, m) in mcs_nss.iter().enumerate() {
        if m & 0x0f == 0 {
            continue;
        }
        nd_print!(nd, "User {i} MCS {} ", (m & 0xf0) >> 4);
        let fec = if coding & (1 << i) != 0 {
            "LDPC"
        } else {
            "BCC"
        };
        nd_print!(nd, "{fec} FEC ");
    }
    if known & 0x0040 != 0 {
        let bw = VHT_BANDWIDTH
            .get(usize::from(bandwidth & 0x1f))
            .unwrap_or(&"");
        nd_print!(nd, "{bw} ");
    }
    if known & 0x0004 != 0 {
        nd_print!(
            nd,
            "{} GI ",
            if flags & 0x04 != 0 { "short" } else { "long" }
        );
    }
    Ok(Some(()))
}

/// `FREQ MHz` and the PHY the channel flags name (`print_chaninfo`).
fn chaninfo_print(nd: &mut Nd<'_>, freq: u16, flags: u32, present: u32) {
    const TURBO: u32 = 0x10;
    const CCK: u32 = 0x20;
    const OFDM: u32 = 0x40;
    const GHZ2: u32 = 0x80;
    const GHZ5: u32 = 0x100;
    const DYN: u32 = 0x400;
    const GFSK: u32 = 0x800;
    const HALF: u32 = 0x4000;
    const QUARTER: u32 = 0x8000;
    let is = |mask: u32| flags & mask == mask;
    nd_print!(nd, "{freq} MHz");
    if present & 1 << BIT_MCS != 0 {
        nd.print(" 11n");
    } else {
        if is(GHZ2 | GFSK) {
            nd.print(" FHSS");
        }
        let rate_suffix = |nd: &mut Nd<'_>, base: &str| {
            if flags & HALF != 0 {
                nd_print!(nd, " {base}/10Mhz");
            } else if flags & QUARTER != 0 {
                nd_print!(nd, " {base}/5Mhz");
            } else {
                nd_print!(nd, " {base}");
            }
        };
        if is(GHZ5 | OFDM) {
            rate_suffix(nd, "11a");
        }
        if is(GHZ2 | OFDM) || is(GHZ2 | DYN) {
            rate_suffix(nd, "11g");
        } else if is(GHZ2 | CCK) {
            nd.print(" 11b");
        }
        if flags & TURBO != 0 {
            nd.print(" Turbo");
        }
    }
    if flags & 0x10000 != 0 {
        nd.print(" ht/20");
    } else if flags & 0x40000 != 0 {
        nd.print(" ht/40-");
    } else if flags & 0x20000 != 0 {
        nd.print(" ht/40+");
    }
    nd.print(" ");
}
