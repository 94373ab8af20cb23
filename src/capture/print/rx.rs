//! AFS Rx, mirroring print-rx.c at tcpdump-4.99.3: the Rx header, the acknowledgement
//! packets, and the calls of the AFS services on ports 7000-7007 (file server, callback,
//! protection, volume location, Kerberos authentication, volume and BOS servers, with the Ubik
//! calls the replicated databases share). Replies are decoded from the opcode of the call
//! they answer, remembered in a small table kept across packets (print-rx.c `rx_cache`).
//!
//! Must not do I/O: it only reads the captured bytes.

mod services;
mod tables;

use super::tok::tok2str;
use super::{get_be_u16, get_be_u32, get_u8, ttest, IpCtx, Nd, PResult, Trunc};
use crate::nd_print;
use std::net::IpAddr;

use services::{Cur, Fail};
use tables::{RX_ACK_REASONS, RX_TYPES};

/// The Rx header's length (print-rx.c `struct rx_header`).
pub const HDR_LEN: usize = 28;

/// Packet types (print-rx.c `RX_PACKET_TYPE_*`).
const TYPE_DATA: u8 = 1;
const TYPE_ACK: u8 = 2;
const TYPE_ABORT: u8 = 4;

/// Header flags (print-rx.c `RX_CLIENT_INITIATED`).
const CLIENT_INITIATED: u8 = 1;

/// Header flags with the packet type they are shown for, 0 for every type (print-rx.c
/// `rx_flags`).
const FLAGS: [(u8, u8, &str); 7] = [
    (1, 0, "client-init"),
    (2, 0, "req-ack"),
    (4, 0, "last-pckt"),
    (8, 0, "more-pckts"),
    (16, 0, "free-pckt"),
    (32, TYPE_ACK, "slow-start"),
    (32, TYPE_DATA, "jumbogram"),
];

/// The services' ports (print-rx.c `*_RX_PORT`).
const FS_PORT: u16 = 7000;
const CB_PORT: u16 = 7001;
const PROT_PORT: u16 = 7002;
const VLDB_PORT: u16 = 7003;
const KAUTH_PORT: u16 = 7004;
const VOL_PORT: u16 = 7005;
const BOS_PORT: u16 = 7007;

/// The number of calls remembered (print-rx.c `RX_CACHE_SIZE`).
const CACHE_SIZE: usize = 64;

/// One remembered call (print-rx.c `struct rx_cache_entry`).
#[derive(Debug, Default, Clone, Copy)]
struct Entry {
    callnum: u32,
    client: u32,
    server: u32,
    dport: u16,
    service_id: u16,
    opcode: u32,
}

/// The calls seen, so that replies can be decoded: a fixed ring of zeroed entries, filled in
/// order and searched from where the last search succeeded, as print-rx.c does.
#[derive(Debug)]
pub struct RxCache {
    entries: [Entry; CACHE_SIZE],
    next: usize,
    hint: usize,
}

impl Default for RxCache {
    fn default() -> Self {
        RxCache {
            entries: [Entry::default(); CACHE_SIZE],
            next: 0,
            hint: 0,
        }
    }
}

/// The two 32-bit words tcpdump reads as `ip_src` and `ip_dst` through `bp2`, whatever the IP
/// version: for IPv6, bytes 12-19 of its header (the middle of the source address).
fn ip_words(ip: &IpCtx) -> (u32, u32) {
    match (ip.src, ip.dst) {
        (IpAddr::V4(s), IpAddr::V4(d)) => (u32::from(s), u32::from(d)),
        (IpAddr::V6(s), _) => {
            let w = u128::from(s);
            ((w >> 64) as u32, (w >> 32) as u32)
        }
        (IpAddr::V4(s), IpAddr::V6(_)) => (u32::from(s), 0),
    }
}

/// The Rx header's fields tcpdump uses (print-rx.c `struct rx_header`).
struct Header {
    cid: u32,
    call_number: u32,
    seq: u32,
    serial: u32,
    ty: u8,
    flags: u8,
    security_index: u8,
    service_id: u16,
}

impl Header {
    /// The header at the start of `data`.
    fn read(data: &[u8]) -> PResult<Header> {
        Ok(Header {
            cid: get_be_u32(data, 4)?,
            call_number: get_be_u32(data, 8)?,
            seq: get_be_u32(data, 12)?,
            serial: get_be_u32(data, 16)?,
            ty: get_u8(data, 20)?,
            flags: get_u8(data, 21)?,
            security_index: get_u8(data, 23)?,
            service_id: get_be_u16(data, 26)?,
        })
    }
}

/// Print from the start of the Rx header; `len` is the UDP payload's on-wire length.
pub fn print(
    nd: &mut Nd<'_>,
    data: &[u8],
    len: u32,
    sport: u16,
    dport: u16,
    ip: &IpCtx,
) -> PResult {
    nd.protocol = "rx";
    if !ttest(data, 0, HDR_LEN) {
        nd_print!(nd, " [|rx] ({})", len);
        return Ok(());
    }
    let h = Header::read(data)?;
    let (ty, flags, seq) = (h.ty, h.flags, h.seq);
    nd_print!(nd, " rx {}", tok2str(RX_TYPES, "type %u", u32::from(ty)));
    let v = nd.opts.v;
    if v > 0 {
        if v > 1 {
            nd_print!(nd, " cid {:08x} call# {}", h.cid, h.call_number);
        }
        nd_print!(nd, " seq {} ser {}", seq, h.serial);
        if v > 2 {
            nd_print!(
                nd,
                " secindex {} serviceid {}",
                h.security_index,
                h.service_id
            );
        }
        if v > 1 {
            let mut first = true;
            for (flag, only, name) in FLAGS {
                if flags & flag != 0 && (only == 0 || ty == only) {
                    nd.print(if first { " " } else { "," });
                    first = false;
                    nd_print!(nd, "<{}>", name);
                }
            }
        }
    }
    if ty == TYPE_DATA && seq == 1 && flags & CLIENT_INITIATED != 0 {
        cache_insert(nd, &h, data, ip, dport)?;
        let service = match dport {
            FS_PORT => services::fs_print,
            CB_PORT => services::cb_print,
            PROT_PORT => services::prot_print,
            VLDB_PORT => services::vldb_print,
            KAUTH_PORT => services::kauth_print,
            VOL_PORT => services::vol_print,
            BOS_PORT => services::bos_print,
            _ => |_: &mut Nd<'_>, _: &[u8], _: u32| Ok(()),
        };
        service(nd, data, len)?;
    } else if (ty == TYPE_DATA && seq == 1 || ty == TYPE_ABORT) && flags & CLIENT_INITIATED == 0 {
        if let Some(opcode) = cache_find(nd, &h, ip, sport) {
            let reply = match sport {
                FS_PORT => services::fs_reply_print,
                CB_PORT => services::cb_reply_print,
                PROT_PORT => services::prot_reply_print,
                VLDB_PORT => services::vldb_reply_print,
                KAUTH_PORT => services::kauth_reply_print,
                VOL_PORT => services::vol_reply_print,
                BOS_PORT => services::bos_reply_print,
                _ => |_: &mut Nd<'_>, _: &[u8], _: u32, _: u32| Ok(()),
            };
            reply(nd, data, len, opcode)?;
        }
    } else if ty == TYPE_ACK {
        ack_print(nd, data, len)?;
    }
    nd_print!(nd, " ({})", len);
    Ok(())
}

/// Remember a call (print-rx.c `rx_cache_insert`), when its opcode was captured.
fn cache_insert(nd: &mut Nd<'_>, h: &Header, data: &[u8], ip: &IpCtx, dport: u16) -> PResult {
    if !ttest(data, HDR_LEN, 4) {
        return Ok(());
    }
    let (client, server) = ip_words(ip);
    let cache = &mut nd.state.rx;
    let at = cache.next;
    cache.next = (cache.next + 1) % CACHE_SIZE;
    let entry = Entry {
        callnum: h.call_number,
        client,
        server,
        dport,
        service_id: h.service_id,
        opcode: get_be_u32(data, HDR_LEN)?,
    };
    if let Some(e) = cache.entries.get_mut(at) {
        *e = entry;
    }
    Ok(())
}

/// The opcode of the call this reply answers (print-rx.c `rx_cache_find`): the server is the
/// source here, and `sport` the port the call went to.
fn cache_find(nd: &mut Nd<'_>, h: &Header, ip: &IpCtx, sport: u16) -> Option<u32> {
    let (sip, clip) = ip_words(ip);
    let (callnum, service_id) = (h.call_number, h.service_id);
    let cache = &mut nd.state.rx;
    let mut i = cache.hint;
    loop {
        if let Some(e) = cache.entries.get(i) {
            if e.callnum == callnum
                && e.client == clip
                && e.server == sip
                && e.service_id == service_id
                && e.dport == sport
            {
                cache.hint = i;
                return Some(e.opcode);
            }
        }
        i = (i + 1) % CACHE_SIZE;
        if i == cache.hint {
            return None;
        }
    }
}

/// An acknowledgement (print-rx.c `rx_ack_print`).
fn ack_print(nd: &mut Nd<'_>, data: &[u8], len: u32) -> PResult {
    match ack_body(nd, data, len) {
        Err(Fail::Local) => {
            nd.print(" [|ack]");
            Ok(())
        }
        Err(Fail::Jump) => Err(Trunc),
        Ok(()) => Ok(()),
    }
}

/// The length of the fixed part of an acknowledgement (print-rx.c `struct rx_ackPacket`).
const ACK_LEN: usize = 18;

/// The fields of an acknowledgement's fixed part tcpdump prints.
struct Ack {
    buffer_space: u16,
    max_skew: u16,
    first_packet: u32,
    serial: u32,
    reason: u8,
    n_acks: u8,
}

impl Ack {
    /// The fixed part at `at`.
    fn read(data: &[u8], at: usize) -> PResult<Ack> {
        Ok(Ack {
            buffer_space: get_be_u16(data, at)?,
            max_skew: get_be_u16(data, at + 2)?,
            first_packet: get_be_u32(data, at + 4)?,
            serial: get_be_u32(data, at + 12)?,
            reason: get_u8(data, at + 16)?,
            n_acks: get_u8(data, at + 17)?,
        })
    }
}

fn ack_body(nd: &mut Nd<'_>, data: &[u8], len: u32) -> Result<(), Fail> {
    if (len as usize) < HDR_LEN {
        return Ok(());
    }
    let a = HDR_LEN;
    if !ttest(data, a, ACK_LEN) {
        return Err(Fail::Local);
    }
    let ack = Ack::read(data, a)?;
    if nd.opts.v > 2 {
        nd_print!(
            nd,
            " bufspace {} maxskew {}",
            ack.buffer_space,
            ack.max_skew
        );
    }
    let first = ack.first_packet;
    let reason = tok2str(RX_ACK_REASONS, "#%u", ack.reason.into());
    nd_print!(nd, " first {first} serial {} reason {reason}", ack.serial);
    let n_acks = usize::from(ack.n_acks);
    let mut at = a + ACK_LEN;
    if n_acks != 0 {
        if !ttest(data, at, n_acks) {
            return Err(Fail::Local);
        }
        ranges(nd, data, at, n_acks, first, 1, " acked")?;
        ranges(nd, data, at, n_acks, first, 0, " nacked")?;
        at += n_acks;
    }
    // Padding.
    at += 3;
    if nd.opts.v > 1 {
        let mut cur = Cur::new(data, at);
        for name in [" ifmtu", " maxmtu", " rwind", " maxpackets"] {
            // print-rx.c `TRUNCRET(4)`: stop quietly unless four bytes remain.
            if data.len() < cur.at || data.len() - cur.at < 4 {
                return Ok(());
            }
            nd.print(name);
            cur.uint(nd)?;
        }
    }
    Ok(())
}

/// The runs of acknowledgement entries equal to `want`, as `first,n-m` lists.
fn ranges(
    nd: &mut Nd<'_>,
    data: &[u8],
    at: usize,
    n: usize,
    first: u32,
    want: u8,
    label: &str,
) -> Result<(), Fail> {
    let (mut start, mut last): (isize, isize) = (-2, -2);
    let num = |i: isize| first.wrapping_add(i as u32);
    let mut i: isize = 0;
    while (i as usize) < n {
        if get_u8(data, at + i as usize)? == want {
            if last == -2 {
                nd_print!(nd, "{} {}", label, num(i));
                start = i;
            } else if last != i - 1 {
                nd_print!(nd, ",{}", num(i));
                start = i;
            }
            last = i;
        } else if last == i - 1 && start != last {
            nd_print!(nd, "-{}", num(i - 1));
        }
        i += 1;
    }
    if last == i - 1 && start != last {
        nd_print!(nd, "-{}", num(i - 1));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capture::print::testing::{ctx, opts, with_state};
    use crate::capture::print::State;

    /// An Rx header for call `call` of type `ty` with `flags`, then `body`.
    fn packet(call: u32, ty: u8, flags: u8, body: &[u8]) -> Vec<u8> {
        let mut p = vec![0; 8];
        p.extend_from_slice(&call.to_be_bytes());
        p.extend_from_slice(&1u32.to_be_bytes());
        p.extend_from_slice(&[0, 0, 0, 0, ty, flags, 0, 0, 0, 0, 0, 52]);
        p.extend_from_slice(body);
        p
    }

    fn run(state: &mut State, p: &[u8], sport: u16, dport: u16) -> (String, PResult) {
        with_state(&opts(0), state, |nd| {
            print(nd, p, p.len() as u32, sport, dport, &ctx(false))
        })
    }

    #[test]
    fn a_reply_is_decoded_from_its_call_until_the_table_forgets_it() {
        let mut state = State::default();
        let call = packet(7, TYPE_DATA, CLIENT_INITIATED, &[0, 0, 1, 0xf9, 0, 0, 0, 3]);
        let reply = packet(7, TYPE_DATA, 0, &536_870_999u32.to_be_bytes());
        let (out, r) = run(&mut state, &call, 1792, VLDB_PORT);
        assert_eq!(
            (out.as_str(), r),
            (" rx data vldb call get-new-volume-id bump 3 (36)", Ok(()))
        );
        let (out, _) = run(&mut state, &reply, VLDB_PORT, 1792);
        assert_eq!(
            out,
            " rx data vldb reply get-new-volume-id newvol 536870999 (32)"
        );
        // 64 other calls push it out of the table: the reply then shows its header only.
        for n in 100..100 + CACHE_SIZE as u32 {
            let other = packet(n, TYPE_DATA, CLIENT_INITIATED, &514u32.to_be_bytes());
            let (_, r) = run(&mut state, &other, 1792, VLDB_PORT);
            assert_eq!(r, Ok(()));
        }
        let (out, _) = run(&mut state, &reply, VLDB_PORT, 1792);
        assert_eq!(out, " rx data (32)");
    }

    #[test]
    fn a_header_cut_short_prints_the_length_and_a_longjmp_skips_it() {
        let mut state = State::default();
        let (out, r) = run(&mut state, &[0; 27], 1792, FS_PORT);
        assert_eq!((out.as_str(), r), (" [|rx] (27)", Ok(())));
        // The opcode of a call is read with GET_BE_U_4: cut before it, the packet unwinds.
        let call = packet(1, TYPE_DATA, CLIENT_INITIATED, &[0, 0]);
        let (out, r) = with_state(&opts(0), &mut state, |nd| {
            print(nd, &call, 40, 1792, FS_PORT, &ctx(false))
        });
        assert_eq!((out.as_str(), r), (" rx data", Err(Trunc)));
    }
}
