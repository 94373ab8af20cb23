//! TCP options, mirroring the option loop of `tcp_print` in print-tcp.c at tcpdump-4.99.3.
//!
//! tcpdump's quirks are kept on purpose, since the output must match it byte for byte:
//! - an option whose length disagrees with what its kind uses prints `[len N]`, and the loop
//!   goes on from the end of the data it used, not from the end of the option;
//! - a bad length prints `[bad opt]` and ends the line (without `]` if it was the first
//!   option);
//! - an option whose data was not captured prints ` [|tcp]` followed by `>` unless it was the
//!   first option;
//! - `ccecho` has an empty name;
//! - the kind and length bytes themselves are read like any field: their truncation ends the
//!   packet (` [|tcp]` from the top level).

use super::seq::Relative;
use super::util::print_trunc;
use super::{get_be_u16, get_be_u32, get_bytes, get_u8, ttest, Nd, Trunc};

pub const TCPOPT_EOL: u8 = 0;
pub const TCPOPT_NOP: u8 = 1;
pub const TCPOPT_MAXSEG: u8 = 2;
pub const TCPOPT_WSCALE: u8 = 3;
pub const TCPOPT_SACKOK: u8 = 4;
pub const TCPOPT_SACK: u8 = 5;
pub const TCPOPT_ECHO: u8 = 6;
pub const TCPOPT_ECHOREPLY: u8 = 7;
pub const TCPOPT_TIMESTAMP: u8 = 8;
pub const TCPOPT_CC: u8 = 11;
pub const TCPOPT_CCNEW: u8 = 12;
pub const TCPOPT_CCECHO: u8 = 13;
pub const TCPOPT_SIGNATURE: u8 = 19;
pub const TCPOPT_SCPS: u8 = 20;
pub const TCPOPT_UTO: u8 = 28;
pub const TCPOPT_TCPAO: u8 = 29;
pub const TCPOPT_MPTCP: u8 = 30;
pub const TCPOPT_FASTOPEN: u8 = 34;
pub const TCPOPT_EXPERIMENT2: u8 = 254;

/// Length of a TCP MD5 signature (RFC 2385).
const TCP_SIGLEN: u32 = 16;

/// The RFC 6994 magic of the experimental TCP Fast Open option (RFC 7413).
const TFO_EXP_MAGIC: u16 = 0xf989;

/// Option names (print-tcp.c `tcp_option_values`); others print as `unknown-N`.
const OPTION_NAMES: &[(u8, &str)] = &[
    (TCPOPT_EOL, "eol"),
    (TCPOPT_NOP, "nop"),
    (TCPOPT_MAXSEG, "mss"),
    (TCPOPT_WSCALE, "wscale"),
    (TCPOPT_SACKOK, "sackOK"),
    (TCPOPT_SACK, "sack"),
    (TCPOPT_ECHO, "echo"),
    (TCPOPT_ECHOREPLY, "echoreply"),
    (TCPOPT_TIMESTAMP, "TS"),
    (TCPOPT_CC, "cc"),
    (TCPOPT_CCNEW, "ccnew"),
    (TCPOPT_CCECHO, ""),
    (TCPOPT_SIGNATURE, "md5"),
    (TCPOPT_SCPS, "scps"),
    (TCPOPT_UTO, "uto"),
    (TCPOPT_TCPAO, "tcp-ao"),
    (TCPOPT_MPTCP, "mptcp"),
    (TCPOPT_FASTOPEN, "tfo"),
    (TCPOPT_EXPERIMENT2, "exp"),
];

/// `OPTION_NAMES` indexed by kind, the first entry of a kind winning as in a search: looked
/// up for every option of every segment.
static NAME_OF_KIND: [Option<&str>; 256] = by_kind();

// Runs at compile time: an index out of range would fail the build.
#[allow(clippy::indexing_slicing)]
const fn by_kind() -> [Option<&'static str>; 256] {
    let mut t = [None; 256];
    let mut i = OPTION_NAMES.len();
    while i > 0 {
        i -= 1;
        let (kind, name) = OPTION_NAMES[i];
        t[kind as usize] = Some(name);
    }
    t
}

/// What the options need from the rest of the header.
pub struct OptCtx {
    pub flags: u8,
    /// Bases for SACK blocks.
    pub rel: Relative,
    /// The header length, options included.
    pub hlen: u32,
    /// The segment's data length.
    pub paylen: u32,
}

/// Why the option loop stopped early.
enum Halt {
    /// A length does not fit: `[bad opt]`.
    Bad,
    /// An option's data was not captured: ` [|tcp]`.
    Trunc,
    /// A field read failed: the packet ends at the top level.
    Jump,
}

impl From<Trunc> for Halt {
    fn from(_: Trunc) -> Halt {
        Halt::Jump
    }
}

type OResult<T = ()> = Result<T, Halt>;

/// The option loop's position: `cp` indexes the segment, `left` counts header bytes left.
struct Cursor<'a> {
    data: &'a [u8],
    cp: usize,
    left: u32,
}

impl Cursor<'_> {
    /// print-tcp.c `LENCHECK`: `l` data bytes must be left in the header and captured.
    fn need(&self, l: u32) -> OResult {
        if l > self.left {
            return Err(Halt::Bad);
        }
        if !ttest(self.data, self.cp, l as usize) {
            return Err(Halt::Trunc);
        }
        Ok(())
    }

    fn u8_at(&self, off: u32) -> OResult<u8> {
        Ok(get_u8(self.data, self.cp + off as usize)?)
    }

    fn u16_at(&self, off: u32) -> OResult<u16> {
        Ok(get_be_u16(self.data, self.cp + off as usize)?)
    }

    fn u32_at(&self, off: u32) -> OResult<u32> {
        Ok(get_be_u32(self.data, self.cp + off as usize)?)
    }
}

/// Print `, options [...]`. Returns `Ok(false)` when the line ends inside the options
/// (`[bad opt]` or a truncated option), `Err` when a kind or length byte was not captured.
pub fn print(nd: &mut Nd<'_>, data: &[u8], ctx: &OptCtx) -> Result<bool, Trunc> {
    let mut cur = Cursor {
        data,
        cp: 20,
        left: ctx.hlen - 20,
    };
    let mut first = true;
    nd.print(", options [");
    let halt = loop {
        if cur.left == 0 {
            break None;
        }
        if !first {
            nd.print(",");
        }
        match one_option(nd, &mut cur, ctx) {
            Ok(kind) => {
                first = false;
                if kind == TCPOPT_EOL {
                    break None;
                }
            }
            Err(h) => break Some(h),
        }
    };
    match halt {
        None => {
            nd.print("]");
            Ok(true)
        }
        Some(Halt::Bad) => {
            nd.print("[bad opt]");
            if !first {
                nd.print("]");
            }
            Ok(false)
        }
        Some(Halt::Trunc) => {
            print_trunc(nd);
            if !first {
                nd.print(">");
            }
            Ok(false)
        }
        Some(Halt::Jump) => Err(Trunc),
    }
}

/// One option: kind, length, name, data, and `[len N]` when the length disagrees.
fn one_option(nd: &mut Nd<'_>, cur: &mut Cursor<'_>, ctx: &OptCtx) -> OResult<u8> {
    let kind = cur.u8_at(0)?;
    cur.cp += 1;
    let len = if kind == TCPOPT_EOL || kind == TCPOPT_NOP {
        1
    } else {
        let len = u32::from(cur.u8_at(0)?);
        cur.cp += 1;
        if len < 2 || len > cur.left {
            return Err(Halt::Bad);
        }
        cur.left -= 1;
        len
    };
    cur.left -= 1;
    match NAME_OF_KIND.get(usize::from(kind)).copied().flatten() {
        Some(name) => nd.print(name),
        None => {
            nd.print("unknown-");
            nd.print_dec(kind);
        }
    }
    let datalen = option_data(nd, cur, ctx, kind, len)?;
    cur.cp += datalen as usize;
    cur.left = cur.left.saturating_sub(datalen);
    let used = datalen
        + if kind == TCPOPT_EOL || kind == TCPOPT_NOP {
            1
        } else {
            2
        };
    if used != len {
        nd.print("[len ");
        nd.print_dec(len);
        nd.print("]");
    }
    Ok(kind)
}

/// The option's data; returns how many data bytes it used.
fn option_data(
    nd: &mut Nd<'_>,
    cur: &Cursor<'_>,
    ctx: &OptCtx,
    kind: u8,
    len: u32,
) -> OResult<u32> {
    match kind {
        TCPOPT_EOL | TCPOPT_NOP | TCPOPT_SACKOK => Ok(0),
        TCPOPT_MAXSEG => {
            cur.need(2)?;
            nd.print(" ");
            nd.print_u32(u32::from(cur.u16_at(0)?));
            Ok(2)
        }
        TCPOPT_WSCALE => {
            cur.need(1)?;
            nd.print(" ");
            nd.print_u32(u32::from(cur.u8_at(0)?));
            Ok(1)
        }
        TCPOPT_SACK => sack(nd, cur, ctx, len - 2),
        TCPOPT_CC | TCPOPT_CCNEW | TCPOPT_CCECHO | TCPOPT_ECHO | TCPOPT_ECHOREPLY => {
            cur.need(4)?;
            nd.print(" ");
            nd.print_u32(cur.u32_at(0)?);
            Ok(4)
        }
        TCPOPT_TIMESTAMP => {
            cur.need(8)?;
            let (val, ecr) = (cur.u32_at(0)?, cur.u32_at(4)?);
            nd.print(" val ");
            nd.print_u32(val);
            nd.print(" ecr ");
            nd.print_u32(ecr);
            Ok(8)
        }
        TCPOPT_SIGNATURE => signature(nd, cur, ctx),
        TCPOPT_SCPS => {
            cur.need(2)?;
            {
                let v0 = cur.u8_at(0)?;
                let v1 = cur.u8_at(1)?;
                nd.print(" cap ");
                nd.print_hex(v0, 2);
                nd.print(" id ");
                nd.print_dec(v1);
            };
            Ok(2)
        }
        TCPOPT_TCPAO => tcp_ao(nd, cur, len - 2),
        TCPOPT_UTO => uto(nd, cur),
        TCPOPT_MPTCP => mptcp(nd, cur, ctx, len),
        TCPOPT_FASTOPEN => {
            cur.need(len - 2)?;
            nd.print(" ");
            fastopen(nd, cur, 0, len - 2, false)?;
            Ok(len - 2)
        }
        TCPOPT_EXPERIMENT2 => experiment(nd, cur, len - 2),
        _ => unknown(nd, cur, len - 2),
    }
}

/// ` N {a:b}...`, relative to the connection's bases (RFC 2018).
fn sack(nd: &mut Nd<'_>, cur: &Cursor<'_>, ctx: &OptCtx, datalen: u32) -> OResult<u32> {
    if datalen % 8 != 0 {
        nd.print(" invalid sack");
        return Ok(datalen);
    }
    {
        let v0 = datalen / 8;
        nd.print(" ");
        nd.print_dec(v0);
        nd.print(" ");
    };
    let base = if ctx.rel.rev {
        ctx.rel.base_seq
    } else {
        ctx.rel.base_ack
    };
    let mut i = 0;
    while i < datalen {
        cur.need(i + 4)?;
        let s = cur.u32_at(i)?;
        cur.need(i + 8)?;
        let e = cur.u32_at(i + 4)?;
        {
            let v0 = s.wrapping_sub(base);
            let v1 = e.wrapping_sub(base);
            nd.print("{");
            nd.print_dec(v0);
            nd.print(":");
            nd.print_dec(v1);
            nd.print("}");
        };
        i += 8;
    }
    Ok(datalen)
}

/// RFC 2385 MD5 signature: tcpdump has no secret (`-M`), so it cannot check it.
fn signature(nd: &mut Nd<'_>, cur: &Cursor<'_>, ctx: &OptCtx) -> OResult<u32> {
    cur.need(TCP_SIGLEN)?;
    nd.print(" ");
    let end = (ctx.hlen as usize).checked_add(ctx.paylen as usize);
    if end.is_none_or(|end| end > cur.data.len()) {
        nd.print("snaplen too short, ");
    } else {
        nd.print("shared secret not supplied with -M, ");
    }
    nd.print("can't check - ");
    hex(nd, get_bytes(cur.data, cur.cp, TCP_SIGLEN as usize)?);
    Ok(TCP_SIGLEN)
}

/// RFC 5925 TCP-AO: key ids and the MAC.
fn tcp_ao(nd: &mut Nd<'_>, cur: &Cursor<'_>, datalen: u32) -> OResult<u32> {
    if datalen < 2 {
        nd.print(" (invalid)");
        return Ok(datalen);
    }
    cur.need(1)?;
    {
        let v0 = cur.u8_at(0)?;
        nd.print(" keyid ");
        nd.print_dec(v0);
    };
    cur.need(2)?;
    {
        let v0 = cur.u8_at(1)?;
        nd.print(" rnextkeyid ");
        nd.print_dec(v0);
    };
    if datalen > 2 {
        nd.print(" mac 0x");
        for i in 2..datalen {
            cur.need(i + 1)?;
            nd.print_hex(cur.u8_at(i)?, 2);
        }
    }
    Ok(datalen)
}

/// RFC 5482 user timeout: the raw field, then seconds (or minutes times 60).
fn uto(nd: &mut Nd<'_>, cur: &Cursor<'_>) -> OResult<u32> {
    cur.need(2)?;
    let raw = u32::from(cur.u16_at(0)?);
    nd.print(" 0x");
    nd.print_hex(raw, 0);
    let secs = if raw & 1 != 0 {
        (raw >> 1) * 60
    } else {
        raw >> 1
    };
    nd.print(" ");
    nd.print_dec(secs);
    Ok(2)
}

/// RFC 8684 MPTCP, printed by `mptcp` over the option's bytes only.
fn mptcp(nd: &mut Nd<'_>, cur: &Cursor<'_>, ctx: &OptCtx, len: u32) -> OResult<u32> {
    cur.need(len - 2)?;
    let opt = get_bytes(cur.data, cur.cp - 2, len as usize)?;
    if super::mptcp::print(nd, opt, ctx.flags)? {
        Ok(len - 2)
    } else {
        Err(Halt::Bad)
    }
}

/// RFC 7413 Fast Open: `cookiereq` or `cookie HEX`.
fn fastopen(nd: &mut Nd<'_>, cur: &Cursor<'_>, off: u32, datalen: u32, exp: bool) -> OResult {
    if exp {
        nd.print("tfo");
    }
    if datalen == 0 {
        nd.print(" cookiereq");
    } else if datalen % 2 != 0 || !(4..=16).contains(&datalen) {
        nd.print(" (invalid)");
    } else {
        nd.print(" cookie ");
        hex(
            nd,
            get_bytes(cur.data, cur.cp + off as usize, datalen as usize)?,
        );
    }
    Ok(())
}

/// RFC 6994 experimental option: `exp-tfo ...` or `exp-MAGIC`.
fn experiment(nd: &mut Nd<'_>, cur: &Cursor<'_>, datalen: u32) -> OResult<u32> {
    cur.need(datalen)?;
    if datalen < 2 {
        return Err(Halt::Bad);
    }
    let magic = cur.u16_at(0)?;
    nd.print("-");
    if magic == TFO_EXP_MAGIC {
        fastopen(nd, cur, 2, datalen - 2, true)?;
    } else {
        nd.print_hex(magic, 4);
    }
    Ok(datalen)
}

/// An option tcpdump does not know: ` 0xHEX`, byte by byte.
fn unknown(nd: &mut Nd<'_>, cur: &Cursor<'_>, datalen: u32) -> OResult<u32> {
    if datalen > 0 {
        nd.print(" 0x");
    }
    for i in 0..datalen {
        cur.need(i + 1)?;
        nd.print_hex(cur.u8_at(i)?, 2);
    }
    Ok(datalen)
}

fn hex(nd: &mut Nd<'_>, bytes: &[u8]) {
    for b in bytes {
        nd.print_hex(b, 2);
    }
}
