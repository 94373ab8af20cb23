//! Live capture on a Linux interface, the way libpcap 1.10 captures for tcpdump 4.99.
//!
//! An `AF_PACKET`/`SOCK_RAW` socket bound to one interface hands over whole frames (up to the
//! snap length), their original length and the kernel's receive timestamp. By default the
//! frames come through a `TPACKET_V3` ring shared with the kernel (`ring.rs`), libpcap's fast
//! path, whose frame headers carry the timestamp the kernel takes when it queues the frame for
//! the socket, as tcpdump reports it; without the ring, one `recvmsg` per frame with
//! `SO_TIMESTAMPNS` and `PACKET_AUXDATA`.
//!
//! A classic BPF program attached with `SO_ATTACH_FILTER` rejects packets in the kernel. It is
//! attached before the socket is bound, so no frame ever arrives unfiltered (libpcap binds
//! first, then attaches the program and drains what came in between).
//!
//! Each frame is delivered once: on the loopback device the kernel shows every frame twice
//! (outgoing and incoming), and the outgoing copy is dropped after the kernel filter, as
//! libpcap's `linux_check_direction` does (`pcap-linux.c` at libpcap-1.10.3), which also applies
//! the direction asked for (`LiveOptions::direction`, tcpdump's `-Q`, by `PACKET_OUTGOING`).
//!
//! The `any` pseudo-device is captured as libpcap 1.10 does: a `SOCK_DGRAM` socket bound to no
//! interface, whose frames come without their link-layer header; each record is given a
//! `LINUX_SLL2` cooked header built from the frame's `sockaddr_ll` (protocol, interface index,
//! `ARPHRD_` type, packet type, address), and the snap length counts that header. No
//! promiscuous mode there, and no kernel filter: `cli` filters such captures in user space
//! (libpcap rewrites the program's offsets for the kernel instead; the packets kept are the
//! same). `devices.rs` lists the interfaces as `pcap_findalldevs` does (tcpdump's `-D`).
//!
//! Statistics follow `pcap_stats_linux`: "received by filter" is the kernel's `tp_packets`
//! (every frame the filter accepted, drops included, and on `lo` both copies of each frame,
//! since the duplicate is dropped after the filter), "dropped by kernel" is `tp_drops`. As the
//! filter is there from the start, frames that reach libpcap's socket before its filter (and
//! that tcpdump counts as received) are not counted here.
//!
//! Must not import `crate::echo`, `crate::cli`, clap or tokio. The only `unsafe` code is in
//! `sys.rs`.

mod devices;
mod ring;
pub mod session;
mod sys;

pub use devices::{list_devices, Device};

use std::io;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::capture::record::{LinkType, Record, Timestamp};

use ring::{RingFrame, RingReader};
pub use sys::{SignalGuard, SockFilter};

/// tcpdump's default snapshot length (`MAXIMUM_SNAPLEN` in `netdissect.h`, tcpdump-4.99.3).
pub const DEFAULT_SNAPLEN: u32 = 262_144;

/// The interface the lab watches.
pub const DEFAULT_INTERFACE: &str = "lo";

/// The pseudo-device that captures on every interface, with cooked headers.
pub const ANY_INTERFACE: &str = "any";

/// Length of a `LINUX_SLL2` cooked header (`struct sll2_header`, `pcap/sll.h`).
pub const SLL2_HDR_LEN: usize = 20;

/// `ARPHRD_CAN` (`linux/if_arp.h`).
const ARPHRD_CAN: u16 = 280;

/// Which frames a capture keeps by direction (libpcap's `pcap_direction_t`, tcpdump's `-Q`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Direction {
    /// Both ways (the default).
    #[default]
    InOut,
    /// Frames received (every packet type but `PACKET_OUTGOING`).
    In,
    /// Frames sent (`PACKET_OUTGOING`).
    Out,
}

impl Direction {
    /// tcpdump's names, compared without regard to case (`-Q in|out|inout`).
    pub fn from_name(name: &str) -> Option<Direction> {
        match name.to_ascii_lowercase().as_str() {
            "in" => Some(Direction::In),
            "out" => Some(Direction::Out),
            "inout" => Some(Direction::InOut),
            _ => None,
        }
    }
}

/// libpcap's default buffer (`-B`): 2 MiB.
pub const DEFAULT_BUFFER_SIZE: usize = 2 * 1024 * 1024;

/// Room kept before the frame in the buffer, so a VLAN tag the driver stripped can be put back.
const VLAN_TAG_LEN: usize = 4;

/// How long a wait for a frame lasts before the stop flag is looked at again.
const POLL_MS: i32 = 50;

/// The default `LiveOptions::timeout_ms`: short, for captures that run beside the traffic they
/// record and must hand over its last frames as soon as it ends (the echo programs' dumps, the
/// demo). `echolab dump` sets tcpdump's timeouts instead.
pub const SHORT_TIMEOUT_MS: u32 = 10;

/// Why live capture could not start or go on.
#[derive(Debug, thiserror::Error)]
pub enum LiveError {
    /// The process may not open packet sockets.
    #[error(
        "capturing on {interface} needs the CAP_NET_RAW capability (socket: {reason}): run as \
         root, or grant it with `setcap cap_net_raw,cap_net_admin=eip {binary}`"
    )]
    NoPrivilege {
        interface: String,
        binary: String,
        reason: String,
    },
    /// No interface by that name.
    #[error("{name}: no such interface (interfaces: {known})")]
    NoSuchInterface { name: String, known: String },
    /// A device whose link-layer header echolab does not capture.
    #[error("{interface}: unsupported link-layer type (ARPHRD {hatype})")]
    UnsupportedLink { interface: String, hatype: u32 },
    /// The kernel refused the filter program.
    #[error("the kernel refused the filter program")]
    Filter(#[source] io::Error),
    /// SIGINT and SIGTERM could not be routed to the capture's stop flag.
    #[error("installing the SIGINT/SIGTERM handlers")]
    Signals(#[source] io::Error),
    /// Giving up root once the capture was open failed (tcpdump's `-Z`).
    #[error("dropping privileges to {user}")]
    DropPrivileges {
        user: String,
        #[source]
        source: io::Error,
    },
    /// Any other failing system call (the cause is the source).
    #[error("{op} on {interface}")]
    Io {
        op: &'static str,
        interface: String,
        source: io::Error,
    },
}

/// What to capture.
#[derive(Debug, Clone)]
pub struct LiveOptions {
    /// Interface name (`lo` by default).
    pub interface: String,
    /// Bytes kept of each frame (tcpdump's `-s`; 0 means the default, as in tcpdump).
    pub snaplen: u32,
    /// Promiscuous mode (tcpdump's default; `-p` turns it off).
    pub promisc: bool,
    /// Kernel buffer in bytes (tcpdump's `-B`, in KiB there): the ring's size, or the
    /// socket's receive buffer without the ring.
    pub buffer_size: usize,
    /// Use the `TPACKET_V3` ring (libpcap's way); `false` reads one frame per `recvmsg`, each
    /// frame as soon as it arrives (libpcap's immediate mode gives up this ring too).
    pub ring: bool,
    /// libpcap's read timeout, in milliseconds: how long the kernel keeps a ring block that is
    /// not full before handing it over, so the latency of a quiet capture. A longer one costs
    /// fewer wake-ups (tcpdump uses 1000 ms, or 100 ms when it prints to a terminal or with
    /// `-l`: `tcpdump.c` at tcpdump-4.99.3). 0 means `SHORT_TIMEOUT_MS`; unused without the
    /// ring.
    pub timeout_ms: u32,
    /// Which directions to keep (tcpdump's `-Q`).
    pub direction: Direction,
}

impl Default for LiveOptions {
    fn default() -> Self {
        LiveOptions {
            interface: DEFAULT_INTERFACE.to_string(),
            snaplen: DEFAULT_SNAPLEN,
            promisc: true,
            buffer_size: DEFAULT_BUFFER_SIZE,
            ring: true,
            timeout_ms: SHORT_TIMEOUT_MS,
            direction: Direction::InOut,
        }
    }
}

/// The figures tcpdump prints when it stops (`info()` in `tcpdump.c`, tcpdump-4.99.3).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    /// Frames handed to the caller.
    pub captured: u64,
    /// Frames the kernel filter accepted (libpcap's `ps_recv`).
    pub received: u64,
    /// Accepted frames lost for lack of buffer space (libpcap's `ps_drop`).
    pub dropped: u64,
    /// Frames the interface itself dropped since the capture began (libpcap's `ps_ifdrop`:
    /// `rx_missed_errors` + `rx_fifo_errors` from sysfs).
    pub if_dropped: u64,
}

/// A cancellation flag shared with whoever stops the capture (a signal, a timer, a test).
#[derive(Debug, Clone, Default)]
pub struct StopFlag(Arc<AtomicBool>);

impl StopFlag {
    pub fn new() -> StopFlag {
        StopFlag::default()
    }

    /// Ask the capture to stop; it returns within one poll interval (50 ms).
    pub fn stop(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    /// Whether a stop was asked, here or by SIGINT/SIGTERM after `stop_on_signals`.
    pub fn is_stopped(&self) -> bool {
        self.0.load(Ordering::SeqCst) || sys::signalled()
    }
}

/// Turn SIGINT and SIGTERM into a stop request seen by every `StopFlag`, so the capture ends
/// cleanly and its statistics and files are complete.
///
/// The previous handlers come back when the returned guard is dropped. Not for a process whose
/// signals another library handles (tokio's `signal`, for one): set a `StopFlag` from there.
pub fn stop_on_signals() -> io::Result<SignalGuard> {
    sys::stop_on_signals()
}

/// An open capture on one interface.
#[derive(Debug)]
pub struct Capture {
    // Field order is drop order: the ring is unmapped before the socket closes.
    ring: Option<RingReader>,
    sock: sys::PacketSocket,
    interface: String,
    link: LinkType,
    snaplen: u32,
    /// `SOCK_DGRAM` on `any`: records get a `LINUX_SLL2` header.
    cooked: bool,
    direction: Direction,
    lo_ifindex: Option<i32>,
    buf: Vec<u8>,
    stats: Stats,
    if_drops_at_open: u64,
    /// Frames taken from the ring, loopback duplicates included: when it equals what the
    /// kernel put there (`received - dropped`), no frame waits in a block not yet handed over.
    taken: u64,
    /// After a stop: until when `next_queued` waits for frames the kernel already holds.
    drain_limit: Option<Instant>,
    /// After a stop: how many frames the ring had received when `next_queued` first found
    /// none ready; those are waited for, later ones are not.
    drain_target: Option<u64>,
}

/// Where a frame's bytes are.
#[derive(Debug, Clone, Copy)]
enum Loc {
    /// `buf[start..end]`.
    Buf(usize, usize),
    /// In the ring.
    Ring(RingFrame),
}

/// What one read produced.
enum Next {
    Frame { loc: Loc, len: u32, ts: Timestamp },
    Skip,
    Idle,
}

impl Capture {
    /// Open a capture on `opts.interface`: check the interface, open and bind the socket.
    pub fn open(opts: &LiveOptions) -> Result<Capture, LiveError> {
        Capture::open_filtered(opts, None)
    }

    /// Open a capture whose kernel filter is in place before the socket receives its first
    /// frame: the socket is opened for no protocol, the program attached, then the socket is
    /// bound to the interface for every protocol. (libpcap binds first and attaches later,
    /// draining what arrived meanwhile; here nothing arrives unfiltered, and the kernel's
    /// counters count only frames this program accepted.)
    pub fn open_filtered(
        opts: &LiveOptions,
        filter: Option<&[SockFilter]>,
    ) -> Result<Capture, LiveError> {
        let cooked = opts.interface == ANY_INTERFACE;
        let (ifindex, link) = if cooked {
            (0, LinkType::LinuxSll2)
        } else {
            (
                interface_index(&opts.interface)?,
                link_type(&opts.interface)?,
            )
        };
        let sock = sys::PacketSocket::open(cooked).map_err(|e| open_error(&opts.interface, e))?;
        let io_err = |op: &'static str| {
            let interface = opts.interface.clone();
            move |source| LiveError::Io {
                op,
                interface,
                source,
            }
        };
        let mut snaplen = if opts.snaplen == 0 {
            DEFAULT_SNAPLEN
        } else {
            opts.snaplen
        };
        if cooked {
            // libpcap keeps room for the cooked header and one byte (`activate_pf_packet`).
            snaplen = snaplen.max(SLL2_HDR_LEN as u32 + 1);
        }
        let ring = if opts.ring {
            let mtu = interface_mtu(&opts.interface);
            // Without a ring (a kernel lacking TPACKET_V3), frames come one recvmsg at a time.
            let timeout = if opts.timeout_ms == 0 {
                SHORT_TIMEOUT_MS
            } else {
                opts.timeout_ms
            };
            RingReader::new(&sock, opts.buffer_size, snaplen, mtu, timeout).ok()
        } else {
            None
        };
        if ring.is_none() {
            sock.enable_metadata().map_err(io_err("setsockopt"))?;
            sock.set_rcvbuf(opts.buffer_size)
                .map_err(io_err("setting the buffer size"))?;
        }
        if let Some(prog) = filter {
            sock.attach_filter(prog).map_err(LiveError::Filter)?;
        }
        sock.bind(ifindex).map_err(io_err("bind"))?;
        // Promiscuous mode means nothing on `any`; libpcap does not ask for it there.
        if opts.promisc && !cooked {
            sock.add_promisc(ifindex)
                .map_err(io_err("setting promiscuous mode"))?;
        }
        let buf_len = usize::try_from(snaplen).unwrap_or(usize::MAX) + SLL2_HDR_LEN;
        // libpcap compares with the index of "lo" whatever the bound device.
        let lo_ifindex = interface_index("lo").ok();
        let capture = Capture {
            ring,
            sock,
            interface: opts.interface.clone(),
            link,
            snaplen,
            cooked,
            direction: opts.direction,
            lo_ifindex,
            buf: vec![0; buf_len],
            stats: Stats::default(),
            if_drops_at_open: interface_drops(&opts.interface),
            taken: 0,
            drain_limit: None,
            drain_target: None,
        };
        // Counters start at zero for this capture.
        capture.sock.statistics().map_err(io_err("getsockopt"))?;
        Ok(capture)
    }

    /// The interface's link-layer header type, as written to pcap files.
    pub fn link(&self) -> LinkType {
        self.link
    }

    /// The snapshot length in force.
    pub fn snaplen(&self) -> u32 {
        self.snaplen
    }

    /// The interface name.
    pub fn interface(&self) -> &str {
        &self.interface
    }

    /// Whether frames come through the `TPACKET_V3` ring (else one `recvmsg` each).
    pub fn uses_ring(&self) -> bool {
        self.ring.is_some()
    }

    /// tcpdump's start line, `listening on lo, link-type EN10MB (Ethernet), snapshot length
    /// 262144 bytes` (`tcpdump.c`, tcpdump-4.99.3), without the program name.
    pub fn listening_line(&self) -> String {
        format!(
            "listening on {}, link-type {}, snapshot length {} bytes",
            self.interface, self.link, self.snaplen
        )
    }

    /// Attach (or replace) a classic BPF program in the kernel on an open capture, so the
    /// frames it rejects never reach user space (`open_filtered` sets the first one, and is
    /// the exact way). Frames the socket queued under the previous filter are thrown away
    /// first, as libpcap's `set_kernel_filter` does: a reject-all program goes on, the queue is
    /// drained, then the new program replaces it. With the ring, frames already in the ring
    /// are still delivered.
    pub fn set_filter(&mut self, prog: &[SockFilter]) -> Result<(), LiveError> {
        let reject_all = [SockFilter {
            code: 0x06, // BPF_RET | BPF_K
            jt: 0,
            jf: 0,
            k: 0,
        }];
        if self.sock.attach_filter(&reject_all).is_ok() {
            self.drain_queue()
                .map_err(|e| self.io("draining the socket", e))?;
        }
        match self.sock.attach_filter(prog) {
            Ok(()) => Ok(()),
            Err(e) => {
                let _ = self.sock.detach_filter();
                Err(LiveError::Filter(e))
            }
        }
    }

    /// Remove the kernel filter: every frame is captured.
    pub fn clear_filter(&mut self) -> Result<(), LiveError> {
        self.sock
            .detach_filter()
            .map_err(|e| self.io("detaching the filter", e))
    }

    fn drain_queue(&mut self) -> io::Result<()> {
        let mut one = [0u8; 1];
        loop {
            match self.sock.recv(&mut one) {
                Ok(_) => continue,
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return Ok(()),
                Err(e) => return Err(e),
            }
        }
    }

    fn io(&self, op: &'static str, source: io::Error) -> LiveError {
        LiveError::Io {
            op,
            interface: self.interface.clone(),
            source,
        }
    }

    /// Wait for the next frame until `stop` is set; `None` once it is. Frames the kernel
    /// already holds when the stop comes are left to `next_queued`.
    pub fn next(&mut self, stop: &StopFlag) -> Result<Option<Record<'_>>, LiveError> {
        loop {
            if stop.is_stopped() {
                return Ok(None);
            }
            match self.read_one()? {
                Next::Frame { loc, len, ts } => return Ok(Some(self.record(loc, len, ts))),
                Next::Skip => continue,
                Next::Idle => {
                    self.sock
                        .wait_readable(POLL_MS)
                        .map_err(|e| self.io("poll", e))?;
                }
            }
        }
    }

    /// After a stop: the next frame the kernel had already received, waiting for one until
    /// `deadline`, and beyond it while the kernel holds frames in a ring block it has not yet
    /// handed over (at most `settle_time` after the first call: with the ring, a block that
    /// is not full reaches user space only after the timeout); `None` when there is none. A
    /// capture whose frames have all been read returns at `deadline`, whatever the timeout.
    pub fn next_queued(&mut self, deadline: Instant) -> Result<Option<Record<'_>>, LiveError> {
        let settle = self.settle_time();
        let limit = *self
            .drain_limit
            .get_or_insert_with(|| Instant::now() + settle);
        loop {
            match self.read_one()? {
                Next::Frame { loc, len, ts } => return Ok(Some(self.record(loc, len, ts))),
                Next::Skip => continue,
                Next::Idle => {
                    let now = Instant::now();
                    let until = if now >= deadline && self.frames_pending()? {
                        limit
                    } else {
                        deadline
                    };
                    let left = until.saturating_duration_since(now);
                    if left.is_zero() {
                        return Ok(None);
                    }
                    let ms = i32::try_from(left.as_millis().max(1)).unwrap_or(POLL_MS);
                    self.sock
                        .wait_readable(ms.min(POLL_MS))
                        .map_err(|e| self.io("poll", e))?;
                }
            }
        }
    }

    /// Whether frames the kernel had put in the ring when this was first asked are not yet
    /// handed over (always `false` without the ring: the socket's queue is read at once).
    /// Frames that came later are not waited for, so traffic that goes on does not hold a
    /// stop back.
    fn frames_pending(&mut self) -> Result<bool, LiveError> {
        if self.ring.is_none() {
            return Ok(false);
        }
        let target = match self.drain_target {
            Some(t) => t,
            None => {
                self.pull_counters()?;
                let placed = self.stats.received.saturating_sub(self.stats.dropped);
                *self.drain_target.insert(placed)
            }
        };
        Ok(target > self.taken)
    }

    /// How long after a stop frames already received may take to reach user space: twice the
    /// ring's retire timeout (the kernel's timer may find a block just opened and retire it
    /// only the next time), or nothing without the ring.
    pub fn settle_time(&self) -> Duration {
        match &self.ring {
            Some(r) => Duration::from_millis(u64::from(r.retire_ms) * 2 + 10),
            None => Duration::ZERO,
        }
    }

    fn record(&self, loc: Loc, len: u32, ts: Timestamp) -> Record<'_> {
        let data = match (loc, &self.ring) {
            (Loc::Buf(start, end), _) => self.buf.get(start..end).unwrap_or(&[]),
            (Loc::Ring(f), Some(ring)) => ring.data(&f),
            (Loc::Ring(_), None) => &[],
        };
        Record {
            ts,
            len,
            link: self.link,
            data,
        }
    }

    /// One frame, without waiting: from the ring, or one `recvmsg`.
    fn read_one(&mut self) -> Result<Next, LiveError> {
        if self.ring.is_some() {
            Ok(self.read_ring())
        } else {
            self.read_socket()
        }
    }

    /// libpcap's direction check (`linux_check_direction`, `pcap-linux.c` at libpcap-1.10.3):
    /// the outgoing copy of a loopback frame is dropped, the incoming one kept, as is the
    /// outgoing copy of a CAN frame unless only outgoing frames are wanted; then the direction
    /// asked for.
    fn keeps_direction(&self, sll: &sys::LinkAddr) -> bool {
        if sll.pkttype == sys::PACKET_OUTGOING {
            if Some(sll.ifindex) == self.lo_ifindex {
                return false;
            }
            if sll.hatype == ARPHRD_CAN && self.direction != Direction::Out {
                return false;
            }
            self.direction != Direction::In
        } else {
            self.direction != Direction::Out
        }
    }

    /// Put the `LINUX_SLL2` header for `sll` at the start of the buffer, the frame's bytes
    /// being already after it (`pcap_handle_packet_mmap` builds it so, `pcap/sll.h` for the
    /// layout).
    fn write_sll2_header(&mut self, sll: &sys::LinkAddr) {
        if let Some(h) = self.buf.get_mut(..SLL2_HDR_LEN) {
            h[0..2].copy_from_slice(&sll.protocol);
            h[2..4].fill(0);
            h[4..8].copy_from_slice(&sll.ifindex.to_be_bytes());
            h[8..10].copy_from_slice(&sll.hatype.to_be_bytes());
            h[10] = sll.pkttype;
            h[11] = sll.halen;
            h[12..20].copy_from_slice(&sll.addr);
        }
    }

    fn read_ring(&mut self) -> Next {
        let Some(f) = self.ring.as_mut().and_then(RingReader::next_frame) else {
            return Next::Idle;
        };
        self.taken += 1;
        if !self.keeps_direction(&f.sll) {
            return Next::Skip;
        }
        let ts = Timestamp {
            sec: i64::from(f.sec),
            nsec: f.nsec,
        };
        if self.cooked {
            // The frame after the room for the header, cut to what the snap length keeps.
            let n = self.copy_from_ring(&f, SLL2_HDR_LEN);
            self.write_sll2_header(&f.sll);
            let len = f.len.saturating_add(SLL2_HDR_LEN as u32);
            return self.finish(Loc::Buf(0, SLL2_HDR_LEN + n), len, ts);
        }
        let mut len = f.len;
        let mut loc = Loc::Ring(f);
        if ring::has_vlan(&f) && f.end - f.start >= 12 && self.link == LinkType::Ethernet {
            // Copy the frame after the room for the tag, then insert it as `read_socket` does.
            let n = self.copy_from_ring(&f, VLAN_TAG_LEN);
            self.insert_vlan_tag(f.status, f.vlan_tci, f.vlan_tpid);
            len = len.saturating_add(VLAN_TAG_LEN as u32);
            loc = Loc::Buf(0, n + VLAN_TAG_LEN);
        }
        self.finish(loc, len, ts)
    }

    /// Copy a ring frame into the buffer at `at` (room kept before it), as much as fits; the
    /// bytes copied.
    fn copy_from_ring(&mut self, f: &RingFrame, at: usize) -> usize {
        let n = (f.end - f.start).min(self.buf.len().saturating_sub(at));
        if let Some(ring) = &self.ring {
            if let (Some(dst), Some(src)) = (self.buf.get_mut(at..at + n), ring.data(f).get(..n)) {
                dst.copy_from_slice(src);
            }
        }
        n
    }

    /// Receive one frame with `recvmsg`; put back a stripped VLAN tag.
    fn read_socket(&mut self) -> Result<Next, LiveError> {
        let room = if self.cooked {
            SLL2_HDR_LEN
        } else {
            VLAN_TAG_LEN
        };
        let info = match self.sock.recv(self.buf.get_mut(room..).unwrap_or(&mut [])) {
            Ok(info) => info,
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => return Ok(Next::Idle),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => return Ok(Next::Skip),
            Err(e) => return Err(self.io("recvmsg", e)),
        };
        if !self.keeps_direction(&info.sll) {
            return Ok(Next::Skip);
        }
        let copied = u32::try_from(info.copied).unwrap_or(u32::MAX);
        let mut len = info.aux.map_or(copied, |a| a.len.max(copied));
        let ts = info
            .ts
            .map_or_else(now, |(sec, nsec)| Timestamp { sec, nsec });
        if self.cooked {
            self.write_sll2_header(&info.sll);
            len = len.saturating_add(SLL2_HDR_LEN as u32);
            return Ok(self.finish(Loc::Buf(0, SLL2_HDR_LEN + info.copied), len, ts));
        }
        let mut loc = Loc::Buf(VLAN_TAG_LEN, VLAN_TAG_LEN + info.copied);
        if let Some(aux) = info
            .aux
            .filter(|a| a.status & sys::TP_STATUS_VLAN_VALID != 0)
        {
            if info.copied >= 12 && self.link == LinkType::Ethernet {
                self.insert_vlan_tag(aux.status, aux.vlan_tci, aux.vlan_tpid);
                len = len.saturating_add(VLAN_TAG_LEN as u32);
                loc = Loc::Buf(0, VLAN_TAG_LEN + info.copied);
            }
        }
        Ok(self.finish(loc, len, ts))
    }

    /// Cut to the snap length and count the frame as captured.
    fn finish(&mut self, loc: Loc, len: u32, ts: Timestamp) -> Next {
        let snap = usize::try_from(self.snaplen).unwrap_or(usize::MAX);
        let loc = match loc {
            Loc::Buf(start, end) => Loc::Buf(start, end.min(start.saturating_add(snap))),
            Loc::Ring(mut f) => {
                f.end = f.end.min(f.start.saturating_add(snap));
                Loc::Ring(f)
            }
        };
        self.stats.captured += 1;
        Next::Frame { loc, len, ts }
    }

    /// The frame sits at `buf[4..]`: move its two MAC addresses 4 bytes forward and write the
    /// 802.1Q tag after them, as libpcap does with the tag the kernel reports apart.
    fn insert_vlan_tag(&mut self, status: u32, tci: u16, tpid: u16) {
        self.buf.copy_within(VLAN_TAG_LEN..VLAN_TAG_LEN + 12, 0);
        let tpid = if status & sys::TP_STATUS_VLAN_TPID_VALID != 0 {
            tpid
        } else {
            0x8100
        };
        if let Some(tag) = self.buf.get_mut(12..16) {
            tag[..2].copy_from_slice(&tpid.to_be_bytes());
            tag[2..].copy_from_slice(&tci.to_be_bytes());
        }
    }

    /// The statistics so far (libpcap's `pcap_stats` plus the count of frames delivered).
    pub fn stats(&mut self) -> Result<Stats, LiveError> {
        self.pull_counters()?;
        self.stats.if_dropped =
            interface_drops(&self.interface).saturating_sub(self.if_drops_at_open);
        Ok(self.stats)
    }

    /// Add the kernel's counters since the last call (they reset when read).
    fn pull_counters(&mut self) -> Result<(), LiveError> {
        let (packets, drops) = self
            .sock
            .statistics()
            .map_err(|e| self.io("getsockopt(PACKET_STATISTICS)", e))?;
        self.stats.received += u64::from(packets);
        self.stats.dropped += u64::from(drops);
        Ok(())
    }
}

/// The interface a capture of traffic to or from `ip` should watch: `lo` for loopback and
/// unspecified addresses, else the interface holding the address (`None` if none does).
pub fn interface_with_address(ip: std::net::IpAddr) -> Option<String> {
    if ip.is_loopback() || ip.is_unspecified() {
        return Some(DEFAULT_INTERFACE.to_string());
    }
    pnet_datalink::interfaces()
        .into_iter()
        .find(|i| i.ips.iter().any(|n| n.ip() == ip))
        .map(|i| i.name)
}

/// The interface's MTU (65536 for `lo` on current kernels), to size the ring's frames.
fn interface_mtu(name: &str) -> usize {
    let path = PathBuf::from("/sys/class/net").join(name).join("mtu");
    std::fs::read_to_string(path)
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(65_536)
}

fn now() -> Timestamp {
    let d = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or(Duration::ZERO);
    Timestamp {
        sec: i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
        nsec: d.subsec_nanos(),
    }
}

/// The interface's index, or a `NoSuchInterface` error listing the ones there are.
fn interface_index(name: &str) -> Result<i32, LiveError> {
    let all = pnet_datalink::interfaces();
    match all.iter().find(|i| i.name == name) {
        Some(i) => i32::try_from(i.index).map_err(|_| LiveError::NoSuchInterface {
            name: name.to_string(),
            known: String::new(),
        }),
        None => Err(LiveError::NoSuchInterface {
            name: name.to_string(),
            known: all
                .iter()
                .map(|i| i.name.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        }),
    }
}

/// The link type libpcap gives the device (`map_arphrd_to_dlt` in `pcap-linux.c`): Ethernet for
/// Ethernet and loopback devices.
fn link_type(name: &str) -> Result<LinkType, LiveError> {
    let path = PathBuf::from("/sys/class/net").join(name).join("type");
    let hatype = std::fs::read_to_string(&path)
        .ok()
        .and_then(|s| s.trim().parse::<u32>().ok())
        .unwrap_or(u32::MAX);
    // ARPHRD_ETHER 1, ARPHRD_LOOPBACK 772.
    match hatype {
        1 | 772 => Ok(LinkType::Ethernet),
        _ => Err(LiveError::UnsupportedLink {
            interface: name.to_string(),
            hatype,
        }),
    }
}

/// `rx_missed_errors` + `rx_fifo_errors` of the interface (libpcap's `linux_if_drops`).
fn interface_drops(name: &str) -> u64 {
    ["rx_missed_errors", "rx_fifo_errors"]
        .iter()
        .map(|stat| {
            let path = PathBuf::from("/sys/class/net")
                .join(name)
                .join("statistics")
                .join(stat);
            std::fs::read_to_string(path)
                .ok()
                .and_then(|s| s.trim().parse::<u64>().ok())
                .unwrap_or(0)
        })
        .sum()
}

fn open_error(interface: &str, e: io::Error) -> LiveError {
    if matches!(e.raw_os_error(), Some(libc::EPERM) | Some(libc::EACCES)) {
        let binary = std::env::current_exe()
            .map(|p| p.display().to_string())
            .unwrap_or_else(|_| "<program>".to_string());
        // io::Error's text ends in " (os error N)": keep the words only.
        let text = e.to_string();
        let reason = text.split(" (os error").next().unwrap_or(&text).to_string();
        LiveError::NoPrivilege {
            interface: interface.to_string(),
            binary,
            reason,
        }
    } else {
        LiveError::Io {
            op: "socket(AF_PACKET)",
            interface: interface.to_string(),
            source: e,
        }
    }
}

/// Give up privileges once the capture (and its output file) is open, before any captured
/// byte is decoded, as tcpdump does with `-Z` (Debian builds it to drop to its own user): for
/// `user` (its uid and primary gid from `/etc/passwd`) no supplementary groups, no capability
/// in any set, and `no_new_privs`. `root` keeps root, as tcpdump's `-Z root` does. A process
/// that is not root (file capabilities) keeps its user and loses its capabilities.
pub fn drop_privileges(user: &str) -> io::Result<()> {
    if user == "root" {
        return Ok(());
    }
    if sys::effective_uid() != 0 {
        return sys::drop_privileges(0, 0);
    }
    let passwd = std::fs::read_to_string("/etc/passwd")?;
    let entry = passwd
        .lines()
        .map(|l| l.split(':').collect::<Vec<_>>())
        .find(|f| f.first() == Some(&user))
        .ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, format!("no user {user}")))?;
    let field = |i: usize| -> io::Result<u32> {
        entry
            .get(i)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, "bad /etc/passwd entry"))
    };
    sys::drop_privileges(field(2)?, field(3)?)
}

/// The user a capture gives up root for when none is named: `nobody`.
pub const DEFAULT_USER: &str = "nobody";

/// The link type of the records a capture on `interface` gives, to compile its filter for:
/// `LINUX_SLL2` on `any`, else Ethernet.
pub fn link_of(interface: &str) -> LinkType {
    if interface == ANY_INTERFACE {
        LinkType::LinuxSll2
    } else {
        LinkType::Ethernet
    }
}

/// The program to attach to the socket of a capture whose records are of `link`, given the
/// program compiled for them: itself, or its cooked-socket form (`cooked_kernel_program`);
/// `None` when it must run in user space.
pub fn kernel_program(link: LinkType, prog: Vec<SockFilter>) -> Option<Vec<SockFilter>> {
    match link {
        LinkType::LinuxSll2 => cooked_kernel_program(&prog),
        _ => Some(prog),
    }
}

/// The length a filter run in user space is given for a live record: the packet's, without
/// a cooked header, as the kernel's filter and libpcap's user-space one see it.
pub fn filter_len(rec: &Record<'_>) -> u32 {
    match rec.link {
        LinkType::LinuxSll2 => rec.len.saturating_sub(SLL2_HDR_LEN as u32),
        _ => rec.len,
    }
}

/// The kernel form of a program compiled for `LINUX_SLL2`, for the `any` socket, whose frames
/// have no cooked header: loads past the header move back by its length, loads of its
/// protocol, interface index and packet type become the kernel's `SKF_AD_PROTOCOL`,
/// `SKF_AD_IFINDEX` and `SKF_AD_PKTTYPE` loads, as libpcap's `fix_program`/`fix_offset` do
/// (`pcap-linux.c` at libpcap-1.10.3). `None` when the program reads another field of the
/// header: then it must run in user space.
pub fn cooked_kernel_program(prog: &[SockFilter]) -> Option<Vec<SockFilter>> {
    const SKF_AD_OFF: u32 = 0xffff_f000; // -0x1000
    let mut out = prog.to_vec();
    for insn in &mut out {
        let class = insn.code & 0x07; // BPF_LD 0, BPF_LDX 1
        let mode = insn.code & 0xe0; // BPF_ABS 0x20, BPF_IND 0x40, BPF_MSH 0xa0
        if class > 1 || !matches!(mode, 0x20 | 0x40 | 0xa0) || insn.k >= SKF_AD_OFF {
            continue;
        }
        insn.k = match insn.k {
            k if k >= SLL2_HDR_LEN as u32 => k - SLL2_HDR_LEN as u32,
            0 => SKF_AD_OFF,      // SKF_AD_PROTOCOL
            4 => SKF_AD_OFF + 8,  // SKF_AD_IFINDEX
            10 => SKF_AD_OFF + 4, // SKF_AD_PKTTYPE
            k if (k as i32) > 0 => return None,
            k => k,
        };
    }
    Some(out)
}

/// Parse the output of `tcpdump -ddd` (a count line, then `code jt jf k` per line) into a
/// program. Returns `None` on anything else.
pub fn parse_ddd(text: &str) -> Option<Vec<SockFilter>> {
    let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
    let count: usize = lines.next()?.parse().ok()?;
    let prog = lines
        .map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            match f.as_slice() {
                [code, jt, jf, k] => Some(SockFilter {
                    code: code.parse().ok()?,
                    jt: jt.parse().ok()?,
                    jf: jf.parse().ok()?,
                    k: k.parse().ok()?,
                }),
                _ => None,
            }
        })
        .collect::<Option<Vec<_>>>()?;
    (prog.len() == count).then_some(prog)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_ddd_reads_tcpdump_programs() {
        let prog = parse_ddd("2\n40 0 0 12\n6 0 0 262144\n").unwrap();
        assert_eq!(prog.len(), 2);
        assert_eq!(
            prog[1],
            SockFilter {
                code: 6,
                jt: 0,
                jf: 0,
                k: 262_144
            }
        );
        assert!(parse_ddd("3\n40 0 0 12\n").is_none());
        assert!(parse_ddd("1\n40 0 x 12\n").is_none());
    }

    #[test]
    fn cooked_programs_are_rewritten_as_libpcap_does() {
        let insn = |code, k| SockFilter::new(code, 0, 0, k);
        // ldh [0]; ldb [10]; ld [4]; ldxb 4*([34]&0xf); ldh [x + 36]; ret #262144
        let prog = [
            insn(0x28, 0),
            insn(0x30, 10),
            insn(0x20, 4),
            insn(0xb1, 34),
            insn(0x48, 36),
            insn(0x06, 262_144),
        ];
        let ks: Vec<u32> = cooked_kernel_program(&prog)
            .unwrap()
            .iter()
            .map(|i| i.k)
            .collect();
        assert_eq!(ks, [0xffff_f000, 0xffff_f004, 0xffff_f008, 14, 16, 262_144]);
        // The ARPHRD type (offset 8) has no kernel load: user space.
        assert!(cooked_kernel_program(&[insn(0x28, 8), insn(0x06, 1)]).is_none());
    }

    #[test]
    fn unknown_interface_is_named() {
        let e = Capture::open(&LiveOptions {
            interface: "nosuch0".into(),
            ..LiveOptions::default()
        })
        .unwrap_err();
        let text = e.to_string();
        assert!(text.starts_with("nosuch0: no such interface"), "{text}");
        assert!(text.contains("lo"), "{text}");
    }
}
