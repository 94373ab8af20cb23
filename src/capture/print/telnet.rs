//! Telnet (RFC 854, 855), mirroring `telnet_print` in print-telnet.c at tcpdump-4.99.3: the
//! commands and option negotiations (`IAC ...`) at the start of a payload, as
//! ` [telnet DO ECHO, WILL SUPPRESS GO AHEAD]`; at `-vvvX` each one also in hex. The text
//! after them is not printed.
//!
//! Must not do I/O: it only reads the captured bytes.

use super::{get_u8, Nd, PResult, Trunc};
use crate::nd_print;

/// Interpret as command (print-telnet.c `IAC`).
const IAC: u8 = 255;
/// Subnegotiation begin and end.
const SB: u8 = 250;
const SE: u8 = 240;
const WILL: u8 = 251;
const DONT: u8 = 254;
/// The lowest command byte (`xEOF`).
const TELCMD_FIRST: u8 = 236;
/// Options with their own subnegotiation words.
const TELOPT_AUTHENTICATION: u8 = 37;
const TELOPT_ENCRYPT: u8 = 38;

/// Command names from `xEOF` (236) to `IAC` (print-telnet.c `telcmds`).
const TELCMDS: [&str; 20] = [
    "EOF", "SUSP", "ABORT", "EOR", "SE", "NOP", "DMARK", "BRK", "IP", "AO", "AYT", "EC", "EL",
    "GA", "SB", "WILL", "WONT", "DO", "DONT", "IAC",
];

/// Option names, 0 to 39 (print-telnet.c `telopts`).
const TELOPTS: [&str; 40] = [
    "BINARY",
    "ECHO",
    "RCP",
    "SUPPRESS GO AHEAD",
    "NAME",
    "STATUS",
    "TIMING MARK",
    "RCTE",
    "NAOL",
    "NAOP",
    "NAOCRD",
    "NAOHTS",
    "NAOHTD",
    "NAOFFD",
    "NAOVTS",
    "NAOVTD",
    "NAOLFD",
    "EXTEND ASCII",
    "LOGOUT",
    "BYTE MACRO",
    "DATA ENTRY TERMINAL",
    "SUPDUP",
    "SUPDUP OUTPUT",
    "SEND LOCATION",
    "TERMINAL TYPE",
    "END OF RECORD",
    "TACACS UID",
    "OUTPUT MARKING",
    "TTYLOC",
    "3270 REGIME",
    "X.3 PAD",
    "NAWS",
    "TSPEED",
    "LFLOW",
    "LINEMODE",
    "XDISPLOC",
    "OLD-ENVIRON",
    "AUTHENTICATION",
    "ENCRYPT",
    "NEW-ENVIRON",
];

/// Subnegotiation qualifiers (print-telnet.c `cmds`, `authcmd`, `authtype`, `enccmd`,
/// `enctype`); `None` marks a hole, printed as a number.
const CMDS: &[Option<&str>] = &[Some("IS"), Some("SEND"), Some("INFO")];
const AUTHCMD: &[Option<&str>] = &[Some("IS"), Some("SEND"), Some("REPLY"), Some("NAME")];
const AUTHTYPE: &[Option<&str>] = &[
    Some("NULL"),
    Some("KERBEROS_V4"),
    Some("KERBEROS_V5"),
    Some("SPX"),
    Some("MINK"),
    Some("SRP"),
    Some("RSA"),
    Some("SSL"),
    None,
    None,
    Some("LOKI"),
    Some("SSA"),
    Some("KEA_SJ"),
    Some("KEA_SJ_INTEG"),
    Some("DSS"),
    Some("NTLM"),
];
const ENCCMD: &[Option<&str>] = &[
    Some("IS"),
    Some("SUPPORT"),
    Some("REPLY"),
    Some("START"),
    Some("END"),
    Some("REQUEST-START"),
    Some("REQUEST-END"),
    Some("END_KEYID"),
    Some("DEC_KEYID"),
];
const ENCTYPE: &[Option<&str>] = &[
    Some("NULL"),
    Some("DES_CFB64"),
    Some("DES_OFB64"),
    Some("DES3_CFB64"),
    Some("DES3_OFB64"),
    None,
    Some("CAST5_40_CFB64"),
    Some("CAST5_40_OFB64"),
    Some("CAST128_CFB64"),
    Some("CAST128_OFB64"),
];

/// Bytes per line of `hex_print_with_offset` (print-ascii.c `HEXDUMP_BYTES_PER_LINE`).
const HEXDUMP_BYTES_PER_LINE: usize = 16;

/// Print the commands at the start of a telnet payload.
pub fn print(nd: &mut Nd<'_>, data: &[u8], len: u32) -> PResult {
    nd.protocol = "telnet";
    let hex = nd.opts.xx > 0 && nd.opts.v > 2;
    let mut first = true;
    let (mut sp, mut length) = (0usize, len);
    while length > 0 && get_u8(data, sp)? == IAC {
        // Parsed once quietly for its length, then again to print it.
        let Some(l) = parse(None, data, sp, length)? else {
            break;
        };
        if hex {
            if first {
                nd.print("\nTelnet:");
            }
            hex_print_with_offset(nd, data, sp, l)?;
            if l > 8 {
                nd.print("\n\t\t\t\t");
            } else {
                nd_print!(nd, "{:w$}\t", "", w = (8 - l) * 3);
            }
        } else {
            nd.print(if first { " [telnet " } else { ", " });
        }
        parse(Some(&mut *nd), data, sp, length)?;
        first = false;
        sp += l;
        // The length of an `IAC SB ...` cut before its `SE` counts the SE: tcpdump's
        // unsigned length wraps, and the next read runs past the capture.
        length = length.wrapping_sub(l as u32);
    }
    if !first {
        nd.print(if hex { "\n" } else { "]" });
    }
    Ok(())
}

/// A cursor over the command being parsed (print-telnet.c `FETCH`), printing into `nd` when
/// it is given.
struct Cursor<'d, 'n, 'o> {
    data: &'d [u8],
    sp: usize,
    length: u32,
    nd: Option<&'n mut Nd<'o>>,
}

/// The next byte of the command, or the end of `telnet_parse` with `None` (`pktend`).
macro_rules! fetch {
    ($cur:expr) => {
        match $cur.fetch()? {
            Some(c) => c,
            None => return Ok(None),
        }
    };
}

impl Cursor<'_, '_, '_> {
    /// The next byte, `None` past the on-wire length, `Err` past the capture.
    fn fetch(&mut self) -> PResult<Option<u8>> {
        if self.length < 1 {
            return Ok(None);
        }
        let c = get_u8(self.data, self.sp)?;
        self.sp += 1;
        self.length -= 1;
        Ok(Some(c))
    }

    /// Print, in the printing pass only.
    fn out(&mut self, args: std::fmt::Arguments<'_>) {
        if let Some(nd) = self.nd.as_mut() {
            nd.print_display(args);
        }
    }

    /// `IAC cmd [option]`; the index past it, or `None` (print-telnet.c `telnet_parse`).
    fn command(&mut self) -> PResult<Option<usize>> {
        if fetch!(self) != IAC {
            return Ok(None);
        }
        let c = fetch!(self);
        if c == IAC {
            self.out(format_args!("IAC IAC"));
            return Ok(Some(self.sp));
        }
        let Some(i) = c.checked_sub(TELCMD_FIRST) else {
            return Ok(None);
        };
        let name = TELCMDS.get(usize::from(i)).copied().unwrap_or_default();
        if !(c == SB || (WILL..=DONT).contains(&c)) {
            self.out(format_args!("{name}"));
            return Ok(Some(self.sp));
        }
        let x = fetch!(self);
        match TELOPTS.get(usize::from(x)) {
            Some(opt) => self.out(format_args!("{name} {opt}")),
            None => self.out(format_args!("{name} {x:#x}")),
        }
        if c != SB {
            return Ok(Some(self.sp));
        }
        self.subnegotiation(x)
    }

    /// After `IAC SB option`: the qualifiers and values up to `IAC SE`.
    fn subnegotiation(&mut self, x: u8) -> PResult<Option<usize>> {
        // `p` stops at the IAC of the SE, or at the last byte.
        let mut p = self.sp;
        while self.length as usize > p + 1 - self.sp {
            if get_u8(self.data, p)? == IAC && get_u8(self.data, p + 1)? == SE {
                break;
            }
            p += 1;
        }
        if get_u8(self.data, p)? != IAC {
            return Ok(None);
        }
        let tables: &[&[Option<&str>]] = match x {
            TELOPT_AUTHENTICATION => &[AUTHCMD, AUTHTYPE],
            TELOPT_ENCRYPT => &[ENCCMD, ENCTYPE],
            _ => &[CMDS],
        };
        for tab in tables {
            if p <= self.sp {
                break;
            }
            let c = fetch!(self);
            match tab.get(usize::from(c)).copied().flatten() {
                Some(s) => self.out(format_args!(" {s}")),
                None => self.out(format_args!(" {}", AltHex(c))),
            }
        }
        while p > self.sp {
            let v = fetch!(self);
            self.out(format_args!(" {}", AltHex(v)));
        }
        self.out(format_args!(" SE"));
        // The SE is skipped without counting it against the length, as tcpdump does.
        Ok(Some(self.sp + 2))
    }
}

/// Parse (and print, when `nd` is given) the command at `start`; its length, or `None` when
/// it is not a command or is cut by the payload's end (print-telnet.c `telnet_parse`).
fn parse(
    nd: Option<&mut Nd<'_>>,
    data: &[u8],
    start: usize,
    length: u32,
) -> PResult<Option<usize>> {
    let mut cur = Cursor {
        data,
        sp: start,
        length,
        nd,
    };
    Ok(cur.command()?.map(|end| end - start))
}

/// C's `%#x`: `0x1f`, but `0` for zero.
struct AltHex(u8);

impl std::fmt::Display for AltHex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.0 == 0 {
            f.write_str("0")
        } else {
            write!(f, "{:#x}", self.0)
        }
    }
}

/// `\n0x0000:  fffb 01` for the `l` bytes at `sp`, offsets counted from the payload's start;
/// `Err` when the capture ends first (print-ascii.c `hex_print_with_offset`).
fn hex_print_with_offset(nd: &mut Nd<'_>, data: &[u8], sp: usize, l: usize) -> PResult {
    let avail = data.get(sp..).unwrap_or_default();
    let bytes = avail.get(..l).unwrap_or(avail);
    let mut oset = sp;
    for (i, pair) in bytes.chunks(2).enumerate() {
        if i % 8 == 0 {
            nd.print("\n0x");
            nd.print_hex(oset, 4);
            nd.print(": ");
            oset += HEXDUMP_BYTES_PER_LINE;
        }
        nd.print(" ");
        for b in pair {
            nd.print_hex(b, 2);
        }
    }
    if bytes.len() < l {
        return Err(Trunc);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capture::print::testing::{opts, with_nd};
    use proptest::prelude::*;

    #[test]
    fn zero_is_printed_as_c_prints_it_with_an_alternate_form() {
        assert_eq!(AltHex(0).to_string(), "0");
        assert_eq!(AltHex(0x1f).to_string(), "0x1f");
    }

    #[test]
    fn a_command_cut_by_the_payload_is_not_parsed() {
        for cut in [&[IAC][..], &[IAC, 253], &[IAC, SB, 24, 1]] {
            let (_, r) = with_nd(&opts(0), |nd| parse(Some(nd), cut, 0, cut.len() as u32));
            assert_eq!(r, Ok(None), "{cut:?}");
        }
    }

    proptest! {
        #[test]
        fn any_payload_prints_without_panic_and_stops_only_past_the_capture(
            data in proptest::collection::vec(
                prop_oneof![Just(IAC), Just(SB), Just(SE), any::<u8>()], 0..60),
            extra in 0u32..4,
            v in 0u8..4,
            xx in 0u8..2,
        ) {
            let o = crate::capture::print::PrintOptions { xx, ..opts(v) };
            let len = data.len() as u32 + extra;
            let (_, r) = with_nd(&o, |nd| print(nd, &data, len));
            // An SB cut just before its SE counts the SE: the next read runs past the end.
            prop_assert!(r.is_ok() || extra > 0 || data.contains(&SB));
        }
    }
}
