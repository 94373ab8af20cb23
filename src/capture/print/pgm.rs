//! PGM, Pragmatic General Multicast (RFC 3208), over IP (protocol 113) and over UDP with
//! `-T pgm` or `-T pgm_zmtp1` (print-pgm.c at tcpdump-4.99.3): the header, each packet
//! type's fixed part and, with `-v`, the options; with `-T pgm_zmtp1`, the ZeroMQ message
//! of ODATA and RDATA packets.
//!
//! Must not do I/O: it only reads the captured bytes.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

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

/// A network-layer address of family `afi` at `at` and its length; `None` for
/// print-pgm.c's `goto trunc` (not captured or an unknown family).
fn nla(data: &[u8], at: usize, afi: u16) -> Option<(IpAddr, usize)> {
    match afi {
        AFNUM_INET => {
            let a: [u8; 4] = get_array(data, at).ok()?;
            Some((Ipv4Addr::from(a).into(), 4))
        }
        AFNUM_INET6 => {
            let a: [u8; 16] = get_array(data, at).ok()?;
            Some((Ipv6Addr::from(a).into(), 16))
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
    if !fixed_len(nd, "OPT_LENGTH", opt_len, 4) {
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
        let kind = opt_type & OPT_MASK;
        match kind {
            0x00 => {
                if !fixed_len(nd, "OPT_LENGTH", opt_len, 4) {
                    return Ok(Opts::Stop);
                }
                nd_print!(nd, " OPTS LEN (extra?) {}", get_be_u16(data, bp)?);
                bp += 2;
                opts_len -= 4;
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
            0x07 | 0x12 | 0x13 => {
                let (offset, addr) = match addr_opt(nd, data, &mut bp, kind, opt_len)? {
                    Ok(found) => found,
                    Err(end) => return Ok(end),
                };
                opts_len -= u32::from(opt_len);
                match kind {
                    0x07 => nd_print!(nd, " REDIRECT {addr}"),
                    0x12 => nd_print!(nd, " PGMCC DATA {offset} {addr}"),
                    _ => nd_print!(nd, " PGMCC FEEDBACK {offset} {addr}"),
                }
            }
            _ => match FIXED_OPTS.iter().find(|o| o.0 == kind) {
                Some(&(_, name, text, labels)) => {
                    if !fixed_len(nd, name, opt_len, 4 + 4 * labels.len() as u32) {
                        return Ok(Opts::Stop);
                    }
                    bp += 2;
                    nd.print(text);
                    for label in labels {
                        let v = get_be_u32(data, bp)?;
                        bp += 4;
                        if label.is_empty() {
                            nd_print!(nd, " {v}");
                        } else {
                            nd_print!(nd, " {label} {v}");
                        }
                    }
                    opts_len -= u32::from(opt_len);
                }
                None => {
                    // print-pgm.c skips these from the option's third byte on, by its whole
                    // length.
                    match kind {
                        0x0c => nd_print!(nd, " PATH_NLA [{opt_len}]"),
                        0x10 => nd.print(" CR"),
                        _ => nd_print!(nd, " OPT_{opt_type:02X} [{opt_len}] "),
                    }
                    bp += usize::from(opt_len);
                    opts_len -= u32::from(opt_len);
                }
            },
        }
        if opt_type & OPT_END != 0 {
            break;
        }
    }
    Ok(Opts::Done(bp))
}

/// The options of one fixed length, other than `OPT_LENGTH`: type, name in print-pgm.c's
/// length message, text, and the label of each 32-bit value after it (`""`: the value alone).
type FixedOpt = (u8, &'static str, &'static str, &'static [&'static str]);

const FIXED_OPTS: [FixedOpt; 12] = [
    (0x01, "OPT_FRAGMENT", " FRAG", &["seq", "off", "len"]),
    (0x03, "OPT_JOIN", " JOIN", &[""]),
    (0x04, "OPT_NAK_BO_IVL", " BACKOFF", &["ivl", "ivlseq"]),
    (0x05, "OPT_NAK_BO_RNG", " BACKOFF", &["max", "min"]),
    (0x08, "OPT_PARITY_PRM", " PARITY MAXTGS", &[""]),
    (0x09, "OPT_PARITY_GRP", " PARITY GROUP", &[""]),
    (0x0a, "OPT_CURR_TGSIZE", " PARITY ATGS", &[""]),
    (0x0b, "OPT_NBR_UNREACH", " NBR_UNREACH", &[]),
    (0x0d, "OPT_SYN", " SYN", &[]),
    (0x0e, "OPT_FIN", " FIN", &[]),
    (0x0f, "OPT_RST", " RST", &[]),
    (0x11, "OPT_CRQST", " CRQST", &[]),
];

/// Whether option `name` has the length `want` it must have; if not, print-pgm.c's message.
fn fixed_len(nd: &mut Nd<'_>, name: &str, len: u8, want: u32) -> bool {
    if u32::from(len) != want {
        nd_print!(nd, "[Bad {name} option, length {len} != {want}]");
        return false;
    }
    true
}

/// The REDIRECT (0x07) and PGMCC DATA and FEEDBACK (0x12, 0x13) options of `len` bytes,
/// whose third byte is at `bp`: the PGMCC offset (0 for REDIRECT) and the address; `Err`
/// where the walk ends. Leaves `bp` after the address.
fn addr_opt(
    nd: &mut Nd<'_>,
    data: &[u8],
    bp: &mut usize,
    kind: u8,
    len: u8,
) -> PResult<Result<(u32, IpAddr), Opts>> {
    let (fixed, short, long) = match kind {
        0x07 => (8, "OPT_REDIRECT", "OPT_REDIRECT"),
        0x12 => (12, "OPT_PGMCC_DATA", "OPT_PGMCC_DATA"),
        _ => (12, "PGM_OPT_PGMCC_FEEDBACK", "OPT_PGMCC_FEEDBACK"),
    };
    if u32::from(len) < fixed {
        nd_print!(nd, "[Bad {short} option, length {len} < {fixed}]");
        return Ok(Err(Opts::Stop));
    }
    *bp += 2;
    let mut offset = 0;
    if kind != 0x07 {
        offset = get_be_u32(data, *bp)?;
        *bp += 4;
    }
    let afi = get_be_u16(data, *bp)?;
    *bp += 4;
    let Some(n) = nla_len(afi) else {
        return Ok(Err(Opts::Trunc));
    };
    if u32::from(len) != fixed + n as u32 {
        nd_print!(
            nd,
            "[Bad {long} option, length {len} != {fixed} + address size]"
        );
        return Ok(Err(Opts::Stop));
    }
    let Some((addr, n)) = nla(data, *bp, afi) else {
        return Ok(Err(Opts::Trunc));
    };
    *bp += n;
    Ok(Ok((offset, addr)))
}

/// The length of an address of family `afi`, if print-pgm.c knows it.
fn nla_len(afi: u16) -> Option<usize> {
    match afi {
        AFNUM_INET => Some(4),
        AFNUM_INET6 => Some(16),
        _ => None,
    }
}
