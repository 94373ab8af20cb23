//! Arista vendor-specific ethertype 0xd28b (print-arista.c at tcpdump-4.99.3): the
//! timestamp header of TapAgg ports, after which the frame's own type field follows.
//!
//! Must not do I/O: it only reads the captured bytes.

use super::tok::{tok2str, Tok};
use super::util::ymd_hms_print;
use super::{get_be_u16, get_be_u32, get_u8, Nd, PResult};
use crate::nd_print;

/// The Arista ethertype (ethertype.h `ETHERTYPE_ARISTA`).
pub const ETHERTYPE_ARISTA: u16 = 0xd28b;

const SUBTYPE_TIMESTAMP: u16 = 0x0001;
/// print-arista.c `subtype_str`.
const SUBTYPES: [Tok; 1] = [(SUBTYPE_TIMESTAMP as u32, "Timestamp")];
/// print-arista.c `ts_timescale_str`.
const TIMESCALES: [Tok; 2] = [(0, "TAI"), (1, "UTC")];
const FORMAT_64BIT: u8 = 0x1;
const FORMAT_48BIT: u8 = 0x2;
/// print-arista.c `ts_format_str`.
const FORMATS: [Tok; 2] = [
    (FORMAT_64BIT as u32, "64-bit"),
    (FORMAT_48BIT as u32, "48-bit"),
];
/// print-arista.c `hw_info_str`.
const HW_INFOS: [Tok; 2] = [(0, "R/R2"), (1, "R3")];

/// `YYYY-MM-DD HH:MM:SS.nnnnnnnnn` in UTC (print-arista.c `arista_print_date_hms_time`). The
/// whole seconds carried out of the nanoseconds are added in 32 bits, wrapping as tcpdump's do.
fn date_hms_print(nd: &mut Nd<'_>, seconds: u32, nanoseconds: u32) {
    let secs = i64::from(seconds.wrapping_add(nanoseconds / 1_000_000_000));
    let nanos = nanoseconds % 1_000_000_000;
    match jiff::Timestamp::from_second(secs) {
        Ok(ts) => {
            ymd_hms_print(nd, &jiff::tz::TimeZone::UTC.to_datetime(ts), '-');
            nd_print!(nd, ".{nanos:09}");
        }
        Err(_) => nd.print("gmtime() error"),
    }
}

/// Print the header after the ethertype (`arista_ethertype_print`): the number of bytes it
/// takes, after which the next type field follows, or `None` for a subtype or timestamp
/// format tcpdump does not know.
pub fn ethertype_print(nd: &mut Nd<'_>, data: &[u8]) -> PResult<Option<usize>> {
    nd.protocol = "arista";
    let subtype = get_be_u16(data, 0)?;
    nd_print!(
        nd,
        "SubType {} (0x{subtype:04x}), ",
        tok2str(&SUBTYPES, "Unknown", u32::from(subtype))
    );
    if subtype != SUBTYPE_TIMESTAMP {
        return Ok(None);
    }
    let timescale = get_u8(data, 2)?;
    nd_print!(
        nd,
        "Timescale {} ({timescale}), ",
        tok2str(&TIMESCALES, "Unknown", u32::from(timescale))
    );
    let version = get_u8(data, 3)?;
    let (format, hw_info) = (version >> 4, version & 0x0f);
    nd_print!(
        nd,
        "Format {} ({format}), HwInfo {} ({hw_info}), Timestamp ",
        tok2str(&FORMATS, "Unknown", u32::from(format)),
        tok2str(&HW_INFOS, "Unknown", u32::from(hw_info))
    );
    let consumed = match format {
        FORMAT_64BIT => {
            let seconds = get_be_u32(data, 4)?;
            let nanoseconds = get_be_u32(data, 8)?;
            date_hms_print(nd, seconds, nanoseconds);
            12
        }
        FORMAT_48BIT => {
            let seconds = u64::from(get_be_u16(data, 4)?);
            let nanoseconds = get_be_u32(data, 6)?;
            let seconds = seconds + u64::from(nanoseconds / 1_000_000_000);
            nd_print!(nd, "{seconds}.{:09}", nanoseconds % 1_000_000_000);
            10
        }
        _ => return Ok(None),
    };
    nd.print(": ");
    Ok(Some(consumed))
}

#[cfg(test)]
#[allow(clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::capture::print::testing::{opts, with_nd};

    #[test]
    fn timestamps_in_both_formats() {
        let pkt = [
            0, 1, 0, 0x10, 0x5c, 0xee, 0xed, 0x57, 0x38, 0x4f, 0x59, 0xc8,
        ];
        let (out, r) = with_nd(&opts(0), |nd| ethertype_print(nd, &pkt));
        assert_eq!(r, Ok(Some(12)));
        assert_eq!(
            out,
            "SubType Timestamp (0x0001), Timescale TAI (0), Format 64-bit (1), HwInfo R/R2 (0), \
             Timestamp 2019-05-29 20:36:39.944724424: "
        );
        let pkt = [0, 1, 1, 0x21, 0, 5, 0x3b, 0x9a, 0xca, 0x01];
        let (out, r) = with_nd(&opts(0), |nd| ethertype_print(nd, &pkt));
        assert_eq!(r, Ok(Some(10)));
        assert!(out.ends_with("Timestamp 6.000000001: "), "{out}");
        let pkt = [
            0, 1, 1, 0x10, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        ];
        let (out, _) = with_nd(&opts(0), |nd| ethertype_print(nd, &pkt));
        assert!(out.ends_with("1970-01-01 00:00:03.294967295: "), "{out}");
    }

    #[test]
    fn unknown_subtypes_and_short_captures() {
        let (_, r) = with_nd(&opts(0), |nd| ethertype_print(nd, &[0, 2, 0, 0]));
        assert_eq!(r, Ok(None));
        let pkt = [
            0, 1, 0, 0x10, 0x5c, 0xee, 0xed, 0x57, 0x38, 0x4f, 0x59, 0xc8,
        ];
        for cut in 0..pkt.len() {
            let (_, r) = with_nd(&opts(0), |nd| ethertype_print(nd, &pkt[..cut]));
            assert!(r.is_err(), "cut {cut}");
        }
    }
}
