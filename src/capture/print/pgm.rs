//! PGM, Pragmatic General Multicast (RFC 3208), over IP (protocol 113) and over UDP with
//! `-T pgm` or `-T pgm_zmtp1` (print-pgm.c at tcpdump-4.99.3): the header, each packet
//! type's fixed part and, with `-v`, the options; with `-T pgm_zmtp1`, the ZeroMQ message
//! of ODATA and RDATA packets.
//!
//! Must not do I/O: it only reads the captured bytes.

use std::net::{Ipv4Addr, Ipv6Addr};

use super::names::{ipaddr_string, print_endpoints};
use super::options::PacketType;
use super::util::{print_trunc, ttest};
use super::{get_array, get_be_u16, get_be_u32, get_u8, IpCtx, Nd, PResult};
use crate::nd_print;

/// IP protocol number of PGM (`IPPROTO_PGM`).
pub const IPPROTO_PGM: u8 = 113;

/// The common header (print-pgm.c `struct pgm_header`).
const HDR_LEN: usize = 16;
const PGM_MIN_OPT_LEN: u32 = 4;

const AFNUM_INET: u16 = 1;
const AFNUM_INET6: u16 = 2;

/// Option types (print-pgm.c `PGM_OPT_*`).
const OPT_MASK: u8 = 0x7f;
const OPT_END: u8 = 0x80;

/// A network-layer address of family `afi` at `at`: its text and length; `None` for
/// print-pgm.c's `goto trunc` (not captured or an unknown family).
fn nla(data: &[u8], at: usize, afi: u16) -> Option<(String, usize)> {
    match afi {
        AFNUM_INET => {
            let a: [u8; 4] = get_array(data, at).ok()?;
            Some((Ipv4Addr::from(a).to_string(), 4))
        }
        AFNUM_INET6 => {
            let a: [u8; 16] = get_array(data, at).ok()?;
            Some((Ipv6Addr::from(a).to_string(), 16))
        }
        _ => None,
    }
}

/// Print a PGM packet; `ip` describes the IP header, `over_ip` is whether the IP header's
/// protocol is PGM (print-pgm.c `pgm_print`).
pub fn print(nd: &mut Nd<'_>, data: &[u8], length: u32, ip: &IpCtx, over_ip: bool) -> PResult {
    nd.protocol = "pgm";
    if !ttest(data, 2, 2) {
        let (src, dst) = (ipaddr_string(nd, ip.src), ipaddr_string(nd, ip.dst));
        nd_print!(nd, "{src} > {dst}:");
        print_trunc(nd);
        return Ok(());
    }
    let sport = get_be_u16(data, 0)?;
    let dport = get_be_u16(data, 2)?;
    let ctx = IpCtx {
        after_ext_headers: !over_ip,
        ..*ip
    };
    print_endpoints(nd, &ctx, sport, dport, true);
    if !ttest(data, 0, HDR_LEN) {
        print_trunc(nd);
        return Ok(());
    }
    nd_print!(nd, "PGM, length {}", get_be_u16(data, 14)?);
    if nd.opts.v == 0 {
        return Ok(());
    }
    let pgm_type = get_u8(data, 4)?;
    nd.print(" 0x");
    for b in get_array::<6>(data, 8)? {
        nd_print!(nd, "{b:02x}");
    }
    nd.print(" ");
    match body(nd, data, pgm_type)? {
        Some(bp) => match options(nd, data, bp)? {
            Opts::Done(bp) => {
                nd_print!(nd, " [{length}]");
                if nd.opts.packettype == Some(PacketType::PgmZmtp1) && matches!(pgm_type, 4 | 5) {
                    let rest = data.get(bp..).unwrap_or(&[]);
                    super::zmtp1::datagram_print(nd, rest, u32::from(get_be_u16(data, 14)?))?;
                }
                Ok(())
            }
            Opts::Stop => Ok(()),
            Opts::Trunc => {
                print_trunc(nd);
                Ok(())
            }
        },
        None => {
            print_trunc(nd);
            Ok(())
        }
    }
}

/// The fixed part of each type; where the options start, `None` for `goto trunc`.
fn body(nd: &mut Nd<'_>, data: &[u8], pgm_type: u8) -> PResult<Option<usize>> {
    let p = HDR_LEN;
    let bp = match pgm_type {
        0 => {
            // SPM
            if !ttest(data, p, 16) {
                return Ok(None);
            }
            let Some((nla, n)) = nla(data, p + 16, get_be_u16(data, p + 12)?) else {
                return Ok(None);
            };
            nd_print!(
                nd,
                "SPM seq {} trail {} lead {} nla {nla}",
                get_be_u32(data, p)?,
                get_be_u32(data, p + 4)?,
                get_be_u32(data, p + 8)?
            );
            p + 16 + n
        }
        1 => {
            // POLL
            if !ttest(data, p, 12) {
                return Ok(None);
            }
            let Some((nla, n)) = nla(data, p + 12, get_be_u16(data, p + 8)?) else {
                return Ok(None);
            };
            let mut bp = p + 12 + n;
            let ivl = get_be_u32(data, bp)?;
            bp += 4;
            let rnd = get_be_u32(data, bp)?;
            bp += 4;
            let mask = get_be_u32(data, bp)?;
            bp += 4;
            nd_print!(
                nd,
                "POLL seq {} round {} nla {nla} ivl {ivl} rnd 0x{rnd:08x} mask 0x{mask:08x}",
                get_be_u32(data, p)?,
                get_be_u16(data, p + 4)?
            );
            bp
        }
        2 => {
            // POLR
            if !ttest(data, p, 8) {
                return Ok(None);
            }
            nd_print!(
                nd,
                "POLR seq {} round {}",
                get_be_u32(data, p)?,
                get_be_u16(data, p + 4)?
            );
            p + 8
        }
        4 | 5 => {
            // ODATA, RDATA
            if !ttest(data, p, 8) {
                return Ok(None);
            }
            let name = if pgm_type == 4 { "ODATA" } else { "RDATA" };
            nd_print!(
                nd,
                "{name} trail {} seq {}",
                get_be_u32(data, p + 4)?,
                get_be_u32(data, p)?
            );
            p + 8
        }
        8..=10 => {
            // NAK, NULLNAK, NCF
            if !ttest(data, p, 8) {
                return Ok(None);
            }
            let mut bp = p + 8;
            let Some((source, n)) = nla(data, bp, get_be_u16(data, p + 4)?) else {
                return Ok(None);
            };
            bp += n + 4;
            let afi = get_be_u16(data, bp)?;
            // print-pgm.c reads the group from the family field on, as it always has.
            let Some((group, n)) = nla(data, bp, afi) else {
                return Ok(None);
            };
            bp += n;
            nd.print(match pgm_type {
                8 => "NAK ",
                9 => "NNAK ",
                _ => "NCF ",
            });
            nd_print!(nd, "({source} -> {group}), seq {}", get_be_u32(data, p)?);
            bp
        }
        11 => {
            // ACK
            if !ttest(data, p, 8) {
                return Ok(None);
            }
            nd_print!(nd, "ACK seq {}", get_be_u32(data, p)?);
            p + 8
        }
        // These leave print-pgm.c's `bp` at the start of the header: options are then read
        // from there.
        12 => {
            nd.print("SPMR");
            0
        }
        t => {
            nd_print!(nd, "UNKNOWN type 0x{t:02x}");
            0
        }
    };
    Ok(Some(bp))
}

/// How the option walk ended.
enum Opts {
    /// Done; the data follows at this offset.
    Done(usize),
    /// A bad option ended the packet's printing (`return`).
    Stop,
    /// `goto trunc`.
    Trunc,
}

/// The options when the header says they are present.
fn options(nd: &mut Nd<'_>, data: &[u8], mut bp: usize) -> PResult<Opts> {
    if get_u8(data, 5)? & 0x01 == 0 {
        return Ok(Opts::Done(bp));
    }
    if !ttest(data, bp, PGM_MIN_OPT_LEN as usize) {
        return Ok(Opts::Trunc);
    }
    let opt_type = get_u8(data, bp)?;
    bp += 1;
    if opt_type & OPT_MASK != 0 {
        nd_print!(
            nd,
            "[First option bad, should be PGM_OPT_LENGTH, is {}]",
            opt_type & OPT_MASK
        );
        return Ok(Opts::Stop);
    }
    let opt_len = get_u8(data, bp)?;
    bp += 1;
    if opt_len != 4 {
        nd_print!(nd, "[Bad OPT_LENGTH option, length {opt_len} != 4]");
        return Ok(Opts::Stop);
    }
    let mut opts_len = u32::from(get_be_u16(data, bp)?);
    bp += 2;
    if opts_len < 4 {
        nd_print!(nd, "[Bad total option length {opts_len} < 4]");
        return Ok(Opts::Stop);
    }
    nd_print!(nd, " OPTS LEN {opts_len}");
    opts_len -= 4;
    macro_rules! fixed {
        ($opt_len:expr, $want:expr, $name:literal) => {
            if u32::from($opt_len) != $want {
                nd_print!(
                    nd,
                    concat!("[Bad ", $name, " option, length {} != {}]"),
                    $opt_len,
                    $want
                );
                return Ok(Opts::Stop);
            }
        };
    }
    while opts_len != 0 {
        if opts_len < PGM_MIN_OPT_LEN {
            nd.print("[Total option length leaves no room for final option]");
            return Ok(Opts::Stop);
        }
        let opt_type = get_u8(data, bp)?;
        bp += 1;
        let mut opt_len = get_u8(data, bp)?;
        bp += 1;
        if u32::from(opt_len) < PGM_MIN_OPT_LEN {
            nd_print!(nd, "[Bad option, length {opt_len} < {PGM_MIN_OPT_LEN}]");
            break;
        }
        if opts_len < u32::from(opt_len) {
            nd.print("[Total option length leaves no room for final option]");
            return Ok(Opts::Stop);
        }
        if !ttest(data, bp, usize::from(opt_len) - 2) {
            return Ok(Opts::Trunc);
        }
        match opt_type & OPT_MASK {
            0x00 => {
                fixed!(opt_len, 4, "OPT_LENGTH");
                nd_print!(nd, " OPTS LEN (extra?) {}", get_be_u16(data, bp)?);
                bp += 2;
                opts_len -= 4;
            }
            0x01 => {
                fixed!(opt_len, 16, "OPT_FRAGMENT");
                bp += 2;
                let seq = get_be_u32(data, bp)?;
                let off = get_be_u32(data, bp + 4)?;
                let len = get_be_u32(data, bp + 8)?;
                bp += 12;
                nd_print!(nd, " FRAG seq {seq} off {off} len {len}");
                opts_len -= 16;
            }
            0x02 => {
                bp += 2;
                opt_len -= 4;
                nd.print(" NAK LIST");
                while opt_len != 0 {
                    if opt_len < 4 {
                        nd.print("[Option length not a multiple of 4]");
                        return Ok(Opts::Stop);
                    }
                    nd_print!(nd, " {}", get_be_u32(data, bp)?);
                    bp += 4;
                    opt_len -= 4;
                    opts_len = opts_len.wrapping_sub(4);
                }
            }
            0x03 => {
                fixed!(opt_len, 8, "OPT_JOIN");
                bp += 2;
                nd_print!(nd, " JOIN {}", get_be_u32(data, bp)?);
                bp += 4;
                opts_len -= 8;
            }
            0x04 => {
                fixed!(opt_len, 12, "OPT_NAK_BO_IVL");
                bp += 2;
                let (a, b) = (get_be_u32(data, bp)?, get_be_u32(data, bp + 4)?);
                bp += 8;
                nd_print!(nd, " BACKOFF ivl {a} ivlseq {b}");
                opts_len -= 12;
            }
            0x05 => {
                fixed!(opt_len, 12, "OPT_NAK_BO_RNG");
                bp += 2;
                let (a, b) = (get_be_u32(data, bp)?, get_be_u32(data, bp + 4)?);
                bp += 8;
                nd_print!(nd, " BACKOFF max {a} min {b}");
                opts_len -= 12;
            }
            0x07 => {
                const FIXED: u32 = 8;
                if u32::from(opt_len) < FIXED {
                    nd_print!(nd, "[Bad OPT_REDIRECT option, length {opt_len} < {FIXED}]");
                    return Ok(Opts::Stop);
                }
                bp += 2;
                let afi = get_be_u16(data, bp)?;
                bp += 4;
                let Some(n) = nla_len(afi) else {
                    return Ok(Opts::Trunc);
                };
                if u32::from(opt_len) != FIXED + n as u32 {
                    nd_print!(
                        nd,
                        "[Bad OPT_REDIRECT option, length {opt_len} != {FIXED} + address size]"
                    );
                    return Ok(Opts::Stop);
                }
                let Some((addr, n)) = nla(data, bp, afi) else {
                    return Ok(Opts::Trunc);
                };
                bp += n;
                opts_len -= FIXED + n as u32;
                nd_print!(nd, " REDIRECT {addr}");
            }
            0x08 => {
                fixed!(opt_len, 8, "OPT_PARITY_PRM");
                bp += 2;
                nd_print!(nd, " PARITY MAXTGS {}", get_be_u32(data, bp)?);
                bp += 4;
                opts_len -= 8;
            }
            0x09 => {
                fixed!(opt_len, 8, "OPT_PARITY_GRP");
                bp += 2;
                nd_print!(nd, " PARITY GROUP {}", get_be_u32(data, bp)?);
                bp += 4;
                opts_len -= 8;
            }
            0x0a => {
                fixed!(opt_len, 8, "OPT_CURR_TGSIZE");
                bp += 2;
                nd_print!(nd, " PARITY ATGS {}", get_be_u32(data, bp)?);
                bp += 4;
                opts_len -= 8;
            }
            0x0b => {
                fixed!(opt_len, 4, "OPT_NBR_UNREACH");
                bp += 2;
                nd.print(" NBR_UNREACH");
                opts_len -= 4;
            }
            0x0c => {
                nd_print!(nd, " PATH_NLA [{opt_len}]");
                bp += usize::from(opt_len);
                opts_len -= u32::from(opt_len);
            }
            0x0d => {
                fixed!(opt_len, 4, "OPT_SYN");
                bp += 2;
                nd.print(" SYN");
                opts_len -= 4;
            }
            0x0e => {
                fixed!(opt_len, 4, "OPT_FIN");
                bp += 2;
                nd.print(" FIN");
                opts_len -= 4;
            }
            0x0f => {
                fixed!(opt_len, 4, "OPT_RST");
                bp += 2;
                nd.print(" RST");
                opts_len -= 4;
            }
            0x10 => {
                nd.print(" CR");
                bp += usize::from(opt_len);
                opts_len -= u32::from(opt_len);
            }
            0x11 => {
                fixed!(opt_len, 4, "OPT_CRQST");
                bp += 2;
                nd.print(" CRQST");
                opts_len -= 4;
            }
            t @ (0x12 | 0x13) => {
                const FIXED: u32 = 12;
                let (short, long) = if t == 0x12 {
                    ("OPT_PGMCC_DATA", "OPT_PGMCC_DATA")
                } else {
                    ("PGM_OPT_PGMCC_FEEDBACK", "OPT_PGMCC_FEEDBACK")
                };
                if u32::from(opt_len) < FIXED {
                    nd_print!(nd, "[Bad {short} option, length {opt_len} < {FIXED}]");
                    return Ok(Opts::Stop);
                }
                bp += 2;
                let offset = get_be_u32(data, bp)?;
                bp += 4;
                let afi = get_be_u16(data, bp)?;
                bp += 4;
                let Some(n) = nla_len(afi) else {
                    return Ok(Opts::Trunc);
                };
                if u32::from(opt_len) != FIXED + n as u32 {
                    nd_print!(
                        nd,
                        "[Bad {long} option, length {opt_len} != {FIXED} + address size]"
                    );
                    return Ok(Opts::Stop);
                }
                let Some((addr, n)) = nla(data, bp, afi) else {
                    return Ok(Opts::Trunc);
                };
                bp += n;
                opts_len -= FIXED + n as u32;
                let word = if t == 0x12 { "DATA" } else { "FEEDBACK" };
                nd_print!(nd, " PGMCC {word} {offset} {addr}");
            }
            _ => {
                nd_print!(nd, " OPT_{opt_type:02X} [{opt_len}] ");
                bp += usize::from(opt_len);
                opts_len -= u32::from(opt_len);
            }
        }
        if opt_type & OPT_END != 0 {
            break;
        }
    }
    Ok(Opts::Done(bp))
}

/// The length of an address of family `afi`, if print-pgm.c knows it.
fn nla_len(afi: u16) -> Option<usize> {
    match afi {
        AFNUM_INET => Some(4),
        AFNUM_INET6 => Some(16),
        _ => None,
    }
}
