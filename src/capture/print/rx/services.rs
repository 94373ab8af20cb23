//! The AFS services' calls and replies (print-rx.c `fs_print` ... `ubik_reply_print` and the
//! field macros `FIDOUT`, `STROUT`, `VECOUT` and friends they share).

use super::tables::{
    AFS_FS_ERRORS, BOS_REQ, CB_REQ, FS_REQ, KAUTH_REQ, PT_REQ, UBIK_REQ, VLDB_REQ, VOL_REQ,
};
use super::{HDR_LEN, TYPE_ABORT, TYPE_DATA};
use crate::capture::print::tok::{tok2str, Tok};
use crate::capture::print::util::{fn_print_char, printn, ymd_hms_print};
use crate::capture::print::{get_be_u32, get_u8, ttest, Nd, PResult, Trunc};
use crate::nd_print;

/// How a decoder stopped early: `Jump` where tcpdump's `GET_*` longjmps to the top (` [|rx]`),
/// `Local` where a macro jumps to the printer's own `trunc:` label (` [|fs]` and so on, after
/// which the packet's length is still printed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fail {
    Jump,
    Local,
}

impl From<Trunc> for Fail {
    fn from(_: Trunc) -> Self {
        Fail::Jump
    }
}

type Step = Result<(), Fail>;

/// Name lengths (print-rx.c `AFSNAMEMAX` and friends).
const AFSNAMEMAX: u32 = 256;
const AFSOPAQUEMAX: usize = 1024;
const PRNAMEMAX: usize = 64;
const VLNAMEMAX: usize = 65;
const KANAMEMAX: u32 = 64;
const BOSNAMEMAX: u32 = 256;

/// Volume types (print-rx.c `voltype`).
const VOLTYPE: [&str; 3] = ["read-write", "read-only", "backup"];

/// A read position in the packet, with print-rx.c's field macros.
pub struct Cur<'a> {
    buf: &'a [u8],
    pub at: usize,
}

impl<'a> Cur<'a> {
    pub fn new(buf: &'a [u8], at: usize) -> Self {
        Cur { buf, at }
    }

    fn u32(&mut self) -> Result<u32, Fail> {
        let v = get_be_u32(self.buf, self.at)?;
        self.at += 4;
        Ok(v)
    }

    /// `ND_TCHECK_LEN` with a local `goto trunc`.
    fn check(&self, n: usize) -> Step {
        if ttest(self.buf, self.at, n) {
            Ok(())
        } else {
            Err(Fail::Local)
        }
    }

    /// `INTOUT`.
    fn int(&mut self, nd: &mut Nd<'_>) -> Step {
        let v = self.u32()? as i32;
        nd_print!(nd, " {}", v);
        Ok(())
    }

    /// `UINTOUT`.
    pub fn uint(&mut self, nd: &mut Nd<'_>) -> Step {
        let v = self.u32()?;
        nd_print!(nd, " {}", v);
        Ok(())
    }

    /// `UINT64OUT`.
    fn uint64(&mut self, nd: &mut Nd<'_>) -> Step {
        let hi = get_be_u32(self.buf, self.at)?;
        let lo = get_be_u32(self.buf, self.at + 4)?;
        self.at += 8;
        nd_print!(nd, " {}", (u64::from(hi) << 32) | u64::from(lo));
        Ok(())
    }

    /// `DATEOUT`: a signed 32-bit time in local time, `%Y/%m/%d %H:%M:%S`.
    fn date(&mut self, nd: &mut Nd<'_>) -> Step {
        let t = self.u32()? as i32;
        let ts = jiff::Timestamp::from_second(i64::from(t)).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
        let dt = match &nd.opts.tz {
            Some(tz) => tz.to_datetime(ts),
            None => jiff::tz::Offset::UTC.to_datetime(ts),
        };
        nd.print(" ");
        ymd_hms_print(nd, &dt, '/');
        Ok(())
    }

    /// `FIDOUT`.
    fn fid(&mut self, nd: &mut Nd<'_>) -> Step {
        self.check(12)?;
        let (a, b, c) = (self.u32()?, self.u32()?, self.u32()?);
        nd_print!(nd, " fid {}/{}/{}", a, b, c);
        Ok(())
    }

    /// `DESTSERVEROUT`.
    fn dest_server(&mut self, nd: &mut Nd<'_>) -> Step {
        self.check(12)?;
        let (a, b, c) = (self.u32()?, self.u32()?, self.u32()?);
        nd_print!(nd, " server {}:{}:{}", a, b, c);
        Ok(())
    }

    /// `STROUT(max)`: a counted string, padded to four bytes.
    fn string(&mut self, nd: &mut Nd<'_>, max: u32) -> Step {
        let n = self.u32()?;
        if n > max {
            return Err(Fail::Local);
        }
        nd.print(" \"");
        if printn(nd, self.buf, self.at, n as usize) {
            return Err(Fail::Local);
        }
        nd.print("\"");
        self.at += (n as usize).div_ceil(4) * 4;
        Ok(())
    }

    /// `VECOUT(max)`: `max` characters, each in a 32-bit word, up to the first NUL.
    fn vec(&mut self, nd: &mut Nd<'_>, max: usize) -> Step {
        self.check(max * 4)?;
        nd.print(" \"");
        let mut ended = false;
        for _ in 0..max {
            let c = self.u32()? as u8;
            if c == 0 {
                ended = true;
            }
            if !ended {
                fn_print_char(nd, c);
            }
        }
        nd.print("\"");
        Ok(())
    }

    /// `UBIK_VERSIONOUT`.
    fn ubik_version(&mut self, nd: &mut Nd<'_>) -> Step {
        self.check(8)?;
        let (epoch, counter) = (self.u32()?, self.u32()?);
        nd_print!(nd, " {}.{}", epoch, counter);
        Ok(())
    }

    /// `AFSUUIDOUT`.
    fn afsuuid(&mut self, nd: &mut Nd<'_>) -> Step {
        self.check(44)?;
        let a = self.u32()?;
        nd_print!(nd, " {:08x}", a);
        let b = self.u32()?;
        nd_print!(nd, "{:04x}", b);
        let c = self.u32()?;
        nd_print!(nd, "{:04x}", c);
        for _ in 0..8 {
            let d = self.u32()?;
            nd_print!(nd, "{:02x}", d as u8);
        }
        Ok(())
    }

    /// `STOREATTROUT`.
    fn store_attr(&mut self, nd: &mut Nd<'_>) -> Step {
        self.check(24)?;
        let mask = self.u32()?;
        if mask != 0 {
            nd.print(" StoreStatus");
        }
        if mask & 1 != 0 {
            nd.print(" date");
            self.date(nd)?;
        } else {
            self.at += 4;
        }
        let owner = self.u32()?;
        if mask & 2 != 0 {
            nd_print!(nd, " owner {}", owner);
        }
        let group = self.u32()?;
        if mask & 4 != 0 {
            nd_print!(nd, " group {}", group);
        }
        let mode = self.u32()?;
        if mask & 8 != 0 {
            nd_print!(nd, " mode {:o}", mode & 0o7777);
        }
        let segsize = self.u32()?;
        if mask & 16 != 0 {
            nd_print!(nd, " segsize {}", segsize);
        }
        if mask & 1024 != 0 {
            nd.print(" fsync");
        }
        Ok(())
    }

    /// A count, then `count` items printed by `item`, comma-separated when `commas`, or
    /// ` <none!>` for none.
    fn list(
        &mut self,
        nd: &mut Nd<'_>,
        commas: bool,
        mut item: impl FnMut(&mut Self, &mut Nd<'_>) -> Step,
    ) -> Step {
        let j = self.u32()?;
        for i in 0..j {
            item(self, nd)?;
            if commas && i != j - 1 {
                nd.print(",");
            }
        }
        if j == 0 {
            nd.print(" <none!>");
        }
        Ok(())
    }
}

/// Runs a service decoder: a local truncation prints ` [|name]` and returns normally.
fn finish(nd: &mut Nd<'_>, name: &str, r: Step) -> PResult {
    match r {
        Ok(()) => Ok(()),
        Err(Fail::Local) => {
            nd_print!(nd, " [|{}]", name);
            Ok(())
        }
        Err(Fail::Jump) => Err(Trunc),
    }
}

/// The call's opcode, after the header.
fn opcode(data: &[u8]) -> PResult<u32> {
    get_be_u32(data, HDR_LEN)
}

/// print-rx.c `is_ubik`.
fn is_ubik(op: u32) -> bool {
    (10000..=10007).contains(&op) || (20000..=20013).contains(&op)
}

fn name(table: &'static [Tok], op: u32) -> impl std::fmt::Display {
    tok2str(table, "op#%u", op)
}

/// File server calls (print-rx.c `fs_print`).
pub fn fs_print(nd: &mut Nd<'_>, data: &[u8], len: u32) -> PResult {
    if len as usize <= HDR_LEN {
        return Ok(());
    }
    let op = opcode(data)?;
    nd_print!(nd, " fs call {}", name(FS_REQ, op));
    let mut c = Cur::new(data, HDR_LEN + 4);
    let r = fs_args(nd, &mut c, op);
    finish(nd, "fs", r)
}

fn fs_args(nd: &mut Nd<'_>, c: &mut Cur<'_>, op: u32) -> Step {
    match op {
        130 => {
            c.fid(nd)?;
            nd.print(" offset");
            c.uint(nd)?;
            nd.print(" length");
            c.uint(nd)?;
        }
        131 | 132 | 143 | 144 | 145 | 156 | 157 | 158 => c.fid(nd)?,
        135 => {
            c.fid(nd)?;
            c.store_attr(nd)?;
        }
        133 => {
            c.fid(nd)?;
            c.store_attr(nd)?;
            for label in [" offset", " length", " flen"] {
                nd.print(label);
                c.uint(nd)?;
            }
        }
        134 => {
            c.fid(nd)?;
            acl(nd, c)?;
        }
        137 | 141 => {
            c.fid(nd)?;
            c.string(nd, AFSNAMEMAX)?;
            c.store_attr(nd)?;
        }
        136 | 142 => {
            c.fid(nd)?;
            c.string(nd, AFSNAMEMAX)?;
        }
        138 => {
            nd.print(" old");
            c.fid(nd)?;
            c.string(nd, AFSNAMEMAX)?;
            nd.print(" new");
            c.fid(nd)?;
            c.string(nd, AFSNAMEMAX)?;
        }
        139 => {
            c.fid(nd)?;
            c.string(nd, AFSNAMEMAX)?;
            nd.print(" link to");
            c.string(nd, AFSNAMEMAX)?;
        }
        140 => {
            c.fid(nd)?;
            c.string(nd, AFSNAMEMAX)?;
            nd.print(" link to");
            c.fid(nd)?;
        }
        148 => c.string(nd, AFSNAMEMAX)?,
        149 | 150 => {
            nd.print(" volid");
            c.uint(nd)?;
        }
        154 => {
            nd.print(" volname");
            c.string(nd, AFSNAMEMAX)?;
        }
        155 | 65536 => c.list(nd, true, |c, nd| c.fid(nd))?,
        65537 => {
            c.fid(nd)?;
            nd.print(" offset");
            c.uint64(nd)?;
            nd.print(" length");
            c.uint64(nd)?;
        }
        65538 => {
            c.fid(nd)?;
            c.store_attr(nd)?;
            for label in [" offset", " length", " flen"] {
                nd.print(label);
                c.uint64(nd)?;
            }
        }
        65541 => {
            nd.print(" addr");
            c.uint(nd)?;
        }
        _ => {}
    }
    Ok(())
}

/// The header's packet type.
fn packet_type(data: &[u8]) -> PResult<u8> {
    get_u8(data, 20)
}

/// File server replies (print-rx.c `fs_reply_print`).
pub fn fs_reply_print(nd: &mut Nd<'_>, data: &[u8], len: u32, op: u32) -> PResult {
    if len as usize <= HDR_LEN {
        return Ok(());
    }
    nd_print!(nd, " fs reply {}", name(FS_REQ, op));
    let ty = packet_type(data)?;
    let mut c = Cur::new(data, HDR_LEN);
    let r = (|| -> Step {
        if ty == TYPE_DATA {
            match op {
                131 => acl(nd, &mut c)?,
                137 | 141 => {
                    nd.print(" new");
                    c.fid(nd)?;
                }
                151 => {
                    nd.print(" root volume");
                    c.string(nd, AFSNAMEMAX)?;
                }
                153 => c.date(nd)?,
                _ => {}
            }
        } else if ty == TYPE_ABORT {
            let e = c.u32()?;
            nd_print!(nd, " error {}", tok2str(AFS_FS_ERRORS, "#%d", e));
        } else {
            nd_print!(nd, " strange fs reply of type {}", ty);
        }
        Ok(())
    })();
    finish(nd, "fs", r)
}

/// An ACL: a count, then that much text (print-rx.c's `Store ACL` and `Fetch ACL` with
/// `acl_print`).
fn acl(nd: &mut Nd<'_>, c: &mut Cur<'_>) -> Step {
    let n = c.u32()? as usize;
    c.check(n)?;
    let n = n.min(AFSOPAQUEMAX);
    let text = c.buf.get(c.at..c.at + n).unwrap_or_default();
    // strncpy: the text stops at its first NUL.
    let text = text.split(|&b| b == 0).next().unwrap_or_default();
    acl_print(nd, text);
    Ok(())
}

/// `sscanf`'s `%d`: skips white space, then an optional sign and digits; `None` without digits.
fn scan_int(s: &[u8], at: &mut usize) -> Option<i32> {
    skip_space(s, at);
    let mut i = *at;
    let neg = match s.get(i) {
        Some(b'-') => {
            i += 1;
            true
        }
        Some(b'+') => {
            i += 1;
            false
        }
        _ => false,
    };
    let start = i;
    let mut v: i64 = 0;
    while let Some(d) = s.get(i).filter(|b| b.is_ascii_digit()) {
        v = (v * 10 + i64::from(d - b'0')).min(i64::from(u32::MAX) + 1);
        i += 1;
    }
    if i == start {
        return None;
    }
    *at = i;
    // glibc converts through `long` and then truncates to `int`.
    let v = if neg { -v } else { v };
    Some(v as i32)
}

fn skip_space(s: &[u8], at: &mut usize) {
    while s.get(*at).is_some_and(|b| b" \t\n\x0b\x0c\r".contains(b)) {
        *at += 1;
    }
}

/// print-rx.c `acl_print`: `<positive> <negative>` then that many `<user> <rights>` lines.
fn acl_print(nd: &mut Nd<'_>, s: &[u8]) {
    let mut at = 0;
    let Some(pos) = scan_int(s, &mut at) else {
        return;
    };
    let Some(neg) = scan_int(s, &mut at) else {
        return;
    };
    skip_space(s, &mut at);
    for (count, sign) in [(pos, '+'), (neg, '-')] {
        for _ in 0..count.max(0) {
            skip_space(s, &mut at);
            let start = at;
            while at - start < 1024 && s.get(at).is_some_and(|b| !b" \t\n\x0b\x0c\r".contains(b)) {
                at += 1;
            }
            if at == start {
                return;
            }
            let user = s.get(start..at).unwrap_or_default();
            let Some(rights) = scan_int(s, &mut at) else {
                return;
            };
            skip_space(s, &mut at);
            nd_print!(nd, " {}{{", sign);
            for &b in user {
                fn_print_char(nd, b);
            }
            nd.print(" ");
            for (bit, ch) in [
                (1, "r"),
                (8, "l"),
                (4, "i"),
                (16, "d"),
                (2, "w"),
                (32, "k"),
                (64, "a"),
            ] {
                if rights & bit != 0 {
                    nd.print(ch);
                }
            }
            nd.print("}");
        }
    }
}

/// Callback calls (print-rx.c `cb_print`).
pub fn cb_print(nd: &mut Nd<'_>, data: &[u8], len: u32) -> PResult {
    if len as usize <= HDR_LEN {
        return Ok(());
    }
    let op = opcode(data)?;
    nd_print!(nd, " cb call {}", name(CB_REQ, op));
    let mut c = Cur::new(data, HDR_LEN + 4);
    let r = (|| -> Step {
        match op {
            204 => {
                c.list(nd, true, |c, nd| c.fid(nd))?;
                let j = c.u32()?;
                if j != 0 {
                    nd.print(";");
                }
                for _ in 0..j {
                    nd.print(" ver");
                    c.int(nd)?;
                    nd.print(" expires");
                    c.date(nd)?;
                    // The callback type is looked up but not printed.
                    c.u32()?;
                }
            }
            214 => {
                nd.print(" afsuuid");
                c.afsuuid(nd)?;
            }
            _ => {}
        }
        Ok(())
    })();
    finish(nd, "cb", r)
}

/// Callback replies (print-rx.c `cb_reply_print`).
pub fn cb_reply_print(nd: &mut Nd<'_>, data: &[u8], len: u32, op: u32) -> PResult {
    if len as usize <= HDR_LEN {
        return Ok(());
    }
    nd_print!(nd, " cb reply {}", name(CB_REQ, op));
    let ty = packet_type(data)?;
    let mut c = Cur::new(data, HDR_LEN);
    let r = (|| -> Step {
        if ty == TYPE_DATA {
            if op == 213 {
                c.afsuuid(nd)?;
            }
        } else {
            nd.print(" errcode");
            c.int(nd)?;
        }
        Ok(())
    })();
    finish(nd, "cb", r)
}

/// Protection server calls (print-rx.c `prot_print`).
pub fn prot_print(nd: &mut Nd<'_>, data: &[u8], len: u32) -> PResult {
    if len as usize <= HDR_LEN {
        return Ok(());
    }
    let op = opcode(data)?;
    nd.print(" pt");
    if is_ubik(op) {
        return ubik_print(nd, data);
    }
    nd_print!(nd, " call {}", name(PT_REQ, op));
    let mut c = Cur::new(data, HDR_LEN + 4);
    let r = (|| -> Step {
        match op {
            500 => {
                c.string(nd, PRNAMEMAX as u32)?;
                nd.print(" id");
                c.int(nd)?;
                nd.print(" oldid");
                c.int(nd)?;
            }
            501 | 506 | 508 | 512 | 514 | 517 | 518 | 519 | 530 => {
                nd.print(" id");
                c.int(nd)?;
            }
            502 => {
                nd.print(" pos");
                c.int(nd)?;
            }
            503 | 507 | 515 => {
                nd.print(" uid");
                c.int(nd)?;
                nd.print(" gid");
                c.int(nd)?;
            }
            504 => c.list(nd, false, |c, nd| c.vec(nd, PRNAMEMAX))?,
            505 => {
                nd.print(" ids:");
                c.list(nd, false, |c, nd| c.int(nd))?;
            }
            509 => {
                c.string(nd, PRNAMEMAX as u32)?;
                nd.print(" flag");
                c.int(nd)?;
                nd.print(" oid");
                c.int(nd)?;
            }
            511 => {
                nd.print(" id");
                c.int(nd)?;
                nd.print(" gflag");
                c.int(nd)?;
            }
            513 => {
                nd.print(" id");
                c.int(nd)?;
                c.string(nd, PRNAMEMAX as u32)?;
                nd.print(" oldid");
                c.int(nd)?;
                nd.print(" newid");
                c.int(nd)?;
            }
            520 => {
                nd.print(" id");
                c.int(nd)?;
                c.string(nd, PRNAMEMAX as u32)?;
            }
            _ => {}
        }
        Ok(())
    })();
    finish(nd, "pt", r)
}

/// Protection server replies (print-rx.c `prot_reply_print`).
pub fn prot_reply_print(nd: &mut Nd<'_>, data: &[u8], len: u32, op: u32) -> PResult {
    if (len as usize) < HDR_LEN {
        return Ok(());
    }
    nd.print(" pt");
    if is_ubik(op) {
        return ubik_reply_print(nd, data, len, op);
    }
    nd_print!(nd, " reply {}", name(PT_REQ, op));
    let ty = packet_type(data)?;
    let mut c = Cur::new(data, HDR_LEN);
    let r = (|| -> Step {
        if ty == TYPE_DATA {
            match op {
                504 => {
                    nd.print(" ids:");
                    c.list(nd, false, |c, nd| c.int(nd))?;
                }
                505 => c.list(nd, false, |c, nd| c.vec(nd, PRNAMEMAX))?,
                508 | 514 | 517 | 518 | 519 => c.list(nd, false, |c, nd| c.int(nd))?,
                510 => {
                    nd.print(" maxuid");
                    c.int(nd)?;
                    nd.print(" maxgid");
                    c.int(nd)?;
                }
                _ => {}
            }
        } else {
            nd.print(" errcode");
            c.int(nd)?;
        }
        Ok(())
    })();
    finish(nd, "pt", r)
}

/// Volume location calls (print-rx.c `vldb_print`).
pub fn vldb_print(nd: &mut Nd<'_>, data: &[u8], len: u32) -> PResult {
    if len as usize <= HDR_LEN {
        return Ok(());
    }
    let op = opcode(data)?;
    nd.print(" vldb");
    if is_ubik(op) {
        return ubik_print(nd, data);
    }
    nd_print!(nd, " call {}", name(VLDB_REQ, op));
    let mut c = Cur::new(data, HDR_LEN + 4);
    let r = (|| -> Step {
        match op {
            501 | 517 => c.vec(nd, VLNAMEMAX)?,
            502 | 503 | 507 | 508 | 509 | 518 => {
                nd.print(" volid");
                c.int(nd)?;
                voltype(nd, &mut c)?;
            }
            504 | 519 | 524 | 527 => c.string(nd, VLNAMEMAX as u32)?,
            505 => {
                nd.print(" bump");
                c.int(nd)?;
            }
            506 | 520 => {
                nd.print(" volid");
                c.int(nd)?;
                voltype(nd, &mut c)?;
                c.vec(nd, VLNAMEMAX)?;
            }
            510 | 521 => {
                nd.print(" index");
                c.int(nd)?;
            }
            _ => {}
        }
        Ok(())
    })();
    finish(nd, "vldb", r)
}

fn voltype(nd: &mut Nd<'_>, c: &mut Cur<'_>) -> Step {
    let i = c.u32()?;
    if let Some(t) = VOLTYPE.get(i as usize) {
        nd_print!(nd, " type {}", t);
    }
    Ok(())
}

/// A VLDB entry's servers and partitions, `n` of each slot (8 for the old entries, 13 for the
/// `-N` ones); `uuids` for the `-U` entries' server UUIDs.
fn vldb_entry(nd: &mut Nd<'_>, c: &mut Cur<'_>, slots: usize, uuids: bool, old: bool) -> Step {
    c.vec(nd, VLNAMEMAX)?;
    if old {
        c.check(4)?;
        c.at += 4;
    }
    nd.print(" numservers");
    let nservers = c.u32()?;
    nd_print!(nd, " {}", nservers);
    nd.print(" servers");
    for i in 0..slots {
        if uuids {
            if (i as u32) < nservers {
                nd.print(" afsuuid");
                c.afsuuid(nd)?;
            } else {
                c.check(44)?;
                c.at += 44;
            }
        } else {
            c.check(4)?;
            if (i as u32) < nservers {
                let a = c.buf.get(c.at..c.at + 4).unwrap_or_default();
                if let [a, b, cc, d] = a {
                    nd_print!(nd, " {}.{}.{}.{}", a, b, cc, d);
                }
            }
            c.at += 4;
        }
    }
    if uuids {
        c.check(4 * 13)?;
        c.at += 4 * 13;
    }
    nd.print(" partitions");
    for i in 0..slots {
        let j = c.u32()?;
        if (i as u32) < nservers {
            if j <= 26 {
                nd_print!(nd, " {}", char::from(b'a' + j as u8));
            } else {
                nd_print!(nd, " {}", j);
            }
        }
    }
    c.check(slots * 4)?;
    c.at += slots * 4;
    for label in [" rwvol", " rovol", " backup"] {
        nd.print(label);
        c.uint(nd)?;
    }
    Ok(())
}

/// Volume location replies (print-rx.c `vldb_reply_print`).
pub fn vldb_reply_print(nd: &mut Nd<'_>, data: &[u8], len: u32, op: u32) -> PResult {
    if (len as usize) < HDR_LEN {
        return Ok(());
    }
    nd.print(" vldb");
    if is_ubik(op) {
        return ubik_reply_print(nd, data, len, op);
    }
    nd_print!(nd, " reply {}", name(VLDB_REQ, op));
    let ty = packet_type(data)?;
    let mut c = Cur::new(data, HDR_LEN);
    let r = (|| -> Step {
        if ty == TYPE_DATA {
            match op {
                510 | 503 | 504 => {
                    if op == 510 {
                        count_next(nd, &mut c)?;
                    }
                    vldb_entry(nd, &mut c, 8, false, true)?;
                }
                505 => {
                    nd.print(" newvol");
                    c.uint(nd)?;
                }
                521 | 529 | 518 | 519 => {
                    if op == 521 || op == 529 {
                        count_next(nd, &mut c)?;
                    }
                    vldb_entry(nd, &mut c, 13, false, false)?;
                }
                526 | 527 => vldb_entry(nd, &mut c, 13, true, false)?,
                _ => {}
            }
        } else {
            nd.print(" errcode");
            c.int(nd)?;
        }
        Ok(())
    })();
    finish(nd, "vldb", r)
}

fn count_next(nd: &mut Nd<'_>, c: &mut Cur<'_>) -> Step {
    nd.print(" count");
    c.int(nd)?;
    nd.print(" nextindex");
    c.int(nd)
}

/// Kerberos authentication calls (print-rx.c `kauth_print`).
pub fn kauth_print(nd: &mut Nd<'_>, data: &[u8], len: u32) -> PResult {
    if len as usize <= HDR_LEN {
        return Ok(());
    }
    let op = opcode(data)?;
    nd.print(" kauth");
    if is_ubik(op) {
        return ubik_print(nd, data);
    }
    nd_print!(nd, " call {}", name(KAUTH_REQ, op));
    let mut c = Cur::new(data, HDR_LEN + 4);
    let r = (|| -> Step {
        match op {
            1 | 21 | 22 | 2 | 5 | 6 | 7 | 8 | 14 | 15 => {
                nd.print(" principal");
                c.string(nd, KANAMEMAX)?;
                c.string(nd, KANAMEMAX)?;
            }
            3 | 23 => {
                nd.print(" kvno");
                c.int(nd)?;
                nd.print(" domain");
                c.string(nd, KANAMEMAX)?;
                let i = c.u32()? as usize;
                c.check(i)?;
                c.at += i;
                nd.print(" principal");
                c.string(nd, KANAMEMAX)?;
                c.string(nd, KANAMEMAX)?;
            }
            4 => {
                nd.print(" principal");
                c.string(nd, KANAMEMAX)?;
                c.string(nd, KANAMEMAX)?;
                nd.print(" kvno");
                c.int(nd)?;
            }
            12 => {
                nd.print(" name");
                c.string(nd, KANAMEMAX)?;
            }
            _ => {}
        }
        Ok(())
    })();
    finish(nd, "kauth", r)
}

/// Kerberos authentication replies (print-rx.c `kauth_reply_print`).
pub fn kauth_reply_print(nd: &mut Nd<'_>, data: &[u8], len: u32, op: u32) -> PResult {
    if len as usize <= HDR_LEN {
        return Ok(());
    }
    nd.print(" kauth");
    if is_ubik(op) {
        return ubik_reply_print(nd, data, len, op);
    }
    nd_print!(nd, " reply {}", name(KAUTH_REQ, op));
    errcode_unless_data(nd, data)
}

/// The error code of a reply that is not a data packet; data replies print nothing more.
fn errcode_unless_data(nd: &mut Nd<'_>, data: &[u8]) -> PResult {
    if packet_type(data)? != TYPE_DATA {
        nd.print(" errcode");
        let v = get_be_u32(data, HDR_LEN)? as i32;
        nd_print!(nd, " {}", v);
    }
    Ok(())
}

/// Volume server calls (print-rx.c `vol_print`).
pub fn vol_print(nd: &mut Nd<'_>, data: &[u8], len: u32) -> PResult {
    if len as usize <= HDR_LEN {
        return Ok(());
    }
    let op = opcode(data)?;
    nd_print!(nd, " vol call {}", name(VOL_REQ, op));
    let mut c = Cur::new(data, HDR_LEN + 4);
    let r = (|| -> Step {
        let u = |c: &mut Cur<'_>, nd: &mut Nd<'_>, label: &str| -> Step {
            nd.print(label);
            c.uint(nd)
        };
        match op {
            100 => {
                u(&mut c, nd, " partition")?;
                nd.print(" name");
                c.string(nd, AFSNAMEMAX)?;
                u(&mut c, nd, " type")?;
                u(&mut c, nd, " parent")?;
            }
            101 | 107 | 104 => u(&mut c, nd, " trans")?,
            102 => {
                u(&mut c, nd, " totrans")?;
                u(&mut c, nd, " flags")?;
            }
            103 => {
                u(&mut c, nd, " fromtrans")?;
                nd.print(" fromdate");
                c.date(nd)?;
                c.dest_server(nd)?;
                nd.print(" desttrans");
                c.int(nd)?;
            }
            105 => {
                u(&mut c, nd, " trans")?;
                u(&mut c, nd, " purgevol")?;
                u(&mut c, nd, " newtype")?;
                nd.print(" newname");
                c.string(nd, AFSNAMEMAX)?;
            }
            106 => {
                u(&mut c, nd, " trans")?;
                u(&mut c, nd, " flags")?;
            }
            108 => {
                u(&mut c, nd, " vol")?;
                u(&mut c, nd, " partition")?;
                u(&mut c, nd, " flags")?;
            }
            // 655537 (sic) is print-rx.c's "Get size".
            109 | 655537 => {
                u(&mut c, nd, " fromtrans")?;
                nd.print(" fromdate");
                c.date(nd)?;
            }
            110 => u(&mut c, nd, " index")?,
            111 => {
                u(&mut c, nd, " tid")?;
                u(&mut c, nd, " newsite")?;
            }
            112 | 113 => nd.print(" tid"),
            114 => {
                nd.print(" name");
                c.string(nd, AFSNAMEMAX)?;
                u(&mut c, nd, " type")?;
                u(&mut c, nd, " pid")?;
                u(&mut c, nd, " cloneid")?;
            }
            116 => {
                u(&mut c, nd, " partition")?;
                u(&mut c, nd, " flags")?;
            }
            117 => {
                u(&mut c, nd, " tid")?;
                nd.print(" name");
                c.string(nd, AFSNAMEMAX)?;
                u(&mut c, nd, " type")?;
                u(&mut c, nd, " pid")?;
                u(&mut c, nd, " clone")?;
                u(&mut c, nd, " backup")?;
            }
            119 => {
                nd.print(" name");
                c.string(nd, AFSNAMEMAX)?;
            }
            120 | 126 => u(&mut c, nd, " tid")?,
            121 | 122 | 124 | 125 | 65536 => {
                u(&mut c, nd, " partid")?;
                u(&mut c, nd, " volid")?;
            }
            123 => {
                u(&mut c, nd, " tid")?;
                nd.print(" date");
                c.date(nd)?;
            }
            128 => {
                u(&mut c, nd, " fromtrans")?;
                nd.print(" fromdate");
                c.date(nd)?;
                c.list(nd, true, |c, nd| c.dest_server(nd))?;
            }
            65538 => {
                u(&mut c, nd, " fromtrans")?;
                nd.print(" fromdate");
                c.date(nd)?;
                u(&mut c, nd, " flags")?;
            }
            _ => {}
        }
        Ok(())
    })();
    finish(nd, "vol", r)
}

/// Volume server replies (print-rx.c `vol_reply_print`).
pub fn vol_reply_print(nd: &mut Nd<'_>, data: &[u8], len: u32, op: u32) -> PResult {
    if len as usize <= HDR_LEN {
        return Ok(());
    }
    nd_print!(nd, " vol reply {}", name(VOL_REQ, op));
    let ty = packet_type(data)?;
    let mut c = Cur::new(data, HDR_LEN);
    let r = (|| -> Step {
        let u = |c: &mut Cur<'_>, nd: &mut Nd<'_>, label: &str| -> Step {
            nd.print(label);
            c.uint(nd)
        };
        if ty != TYPE_DATA {
            nd.print(" errcode");
            return c.int(nd);
        }
        match op {
            100 => {
                u(&mut c, nd, " volid")?;
                u(&mut c, nd, " trans")?;
            }
            104 | 107 => c.uint(nd)?,
            105 => u(&mut c, nd, " newvol")?,
            108 => u(&mut c, nd, " trans")?,
            110 => {
                u(&mut c, nd, " volume")?;
                u(&mut c, nd, " partition")?;
            }
            112 => c.string(nd, AFSNAMEMAX)?,
            113 => {
                for label in [
                    " volid",
                    " nextuniq",
                    " type",
                    " parentid",
                    " clone",
                    " backup",
                    " restore",
                    " maxquota",
                    " minquota",
                    " owner",
                ] {
                    u(&mut c, nd, label)?;
                }
                for label in [
                    " create", " access", " update", " expire", " backup", " copy",
                ] {
                    nd.print(label);
                    c.date(nd)?;
                }
            }
            116 | 121 => c.list(nd, true, |c, nd| {
                nd.print(" name");
                c.vec(nd, 32)?;
                u(c, nd, " volid")?;
                nd.print(" type");
                c.at += 4 * 21;
                Ok(())
            })?,
            _ => {}
        }
        Ok(())
    })();
    finish(nd, "vol", r)
}

/// BOS server calls (print-rx.c `bos_print`).
pub fn bos_print(nd: &mut Nd<'_>, data: &[u8], len: u32) -> PResult {
    if len as usize <= HDR_LEN {
        return Ok(());
    }
    let op = opcode(data)?;
    nd_print!(nd, " bos call {}", name(BOS_REQ, op));
    let mut c = Cur::new(data, HDR_LEN + 4);
    let r = (|| -> Step {
        match op {
            80 => {
                nd.print(" type");
                c.string(nd, BOSNAMEMAX)?;
                nd.print(" instance");
                c.string(nd, BOSNAMEMAX)?;
            }
            81 | 83 | 85 | 87 | 88 | 93 | 96 | 97 | 104 | 106 | 108 | 112 | 114 => {
                c.string(nd, BOSNAMEMAX)?;
            }
            82 | 98 => {
                c.string(nd, BOSNAMEMAX)?;
                nd.print(" status");
                c.int(nd)?;
            }
            86 => {
                c.string(nd, BOSNAMEMAX)?;
                nd.print(" num");
                c.int(nd)?;
            }
            84 | 89 | 90 | 91 | 92 | 95 => c.int(nd)?,
            105 => {
                c.string(nd, BOSNAMEMAX)?;
                for label in [" size", " flags", " date"] {
                    nd.print(label);
                    c.int(nd)?;
                }
            }
            _ => {}
        }
        Ok(())
    })();
    finish(nd, "bos", r)
}

/// BOS server replies (print-rx.c `bos_reply_print`).
pub fn bos_reply_print(nd: &mut Nd<'_>, data: &[u8], len: u32, op: u32) -> PResult {
    if len as usize <= HDR_LEN {
        return Ok(());
    }
    nd_print!(nd, " bos reply {}", name(BOS_REQ, op));
    errcode_unless_data(nd, data)
}

/// Ubik calls to any of the replicated databases (print-rx.c `ubik_print`).
fn ubik_print(nd: &mut Nd<'_>, data: &[u8]) -> PResult {
    let op = opcode(data)?;
    nd_print!(nd, " ubik call {}", name(UBIK_REQ, op));
    let mut c = Cur::new(data, HDR_LEN + 4);
    let r = (|| -> Step {
        let tid = |c: &mut Cur<'_>, nd: &mut Nd<'_>| -> Step {
            nd.print(" tid");
            c.ubik_version(nd)
        };
        let int = |c: &mut Cur<'_>, nd: &mut Nd<'_>, label: &str| -> Step {
            nd.print(label);
            c.int(nd)
        };
        match op {
            10000 => {
                let t = c.u32()?;
                nd_print!(nd, " syncsite {}", if t != 0 { "yes" } else { "no" });
                nd.print(" votestart");
                c.date(nd)?;
                nd.print(" dbversion");
                c.ubik_version(nd)?;
                tid(&mut c, nd)?;
            }
            10003 => {
                nd.print(" site");
                c.uint(nd)?;
            }
            20000 | 20001 | 20007 | 20008 | 20010 => tid(&mut c, nd)?,
            20002 => {
                tid(&mut c, nd)?;
                int(&mut c, nd, " file")?;
                int(&mut c, nd, " pos")?;
                int(&mut c, nd, " length")?;
                // The lock type is looked up but not printed.
                c.u32()?;
            }
            20003 => {
                tid(&mut c, nd)?;
                int(&mut c, nd, " file")?;
                int(&mut c, nd, " pos")?;
            }
            20005 => int(&mut c, nd, " file")?,
            20006 => {
                int(&mut c, nd, " file")?;
                int(&mut c, nd, " length")?;
                nd.print(" dbversion");
                c.ubik_version(nd)?;
            }
            20009 => {
                tid(&mut c, nd)?;
                int(&mut c, nd, " file")?;
                int(&mut c, nd, " length")?;
            }
            20012 => {
                tid(&mut c, nd)?;
                nd.print(" oldversion");
                c.ubik_version(nd)?;
                nd.print(" newversion");
                c.ubik_version(nd)?;
            }
            _ => {}
        }
        Ok(())
    })();
    finish(nd, "ubik", r)
}

/// Ubik replies (print-rx.c `ubik_reply_print`).
fn ubik_reply_print(nd: &mut Nd<'_>, data: &[u8], len: u32, op: u32) -> PResult {
    if (len as usize) < HDR_LEN {
        return Ok(());
    }
    nd_print!(nd, " ubik reply {}", name(UBIK_REQ, op));
    let ty = packet_type(data)?;
    let mut c = Cur::new(data, HDR_LEN);
    let r = (|| -> Step {
        if ty == TYPE_DATA {
            match op {
                10000 => nd.print(" vote no"),
                20004 => {
                    nd.print(" dbversion");
                    c.ubik_version(nd)?;
                }
                _ => {}
            }
        } else if op == 10000 {
            nd.print(" vote yes until");
            c.date(nd)?;
        } else {
            nd.print(" errcode");
            c.int(nd)?;
        }
        Ok(())
    })();
    finish(nd, "ubik", r)
}
