//! Live capture on a Linux interface, the way libpcap 1.10 captures for tcpdump 4.99.
//!
//! An `AF_PACKET`/`SOCK_RAW` socket bound to one interface hands over whole frames with the
//! kernel's receive timestamp (`SO_TIMESTAMPNS`) and the frame's original length
//! (`PACKET_AUXDATA`). A classic BPF program attached with `SO_ATTACH_FILTER` rejects packets
//! in the kernel. Each frame is delivered once: on the loopback device the kernel shows every
//! frame twice (outgoing and incoming), and the outgoing copy is dropped, as libpcap's
//! `linux_check_direction` does (`pcap-linux.c` at libpcap-1.10.3).
//!
//! Statistics follow `pcap_stats_linux`: "received by filter" is the kernel's `tp_packets`
//! (every frame the filter accepted, drops included, and on `lo` both copies of a frame, since
//! the duplicate is only dropped after the filter), "dropped by kernel" is `tp_drops`.
//!
//! Must not import `crate::echo`, `crate::cli`, clap or tokio. The only `unsafe` code is in
//! `sys.rs`.

mod sys;

use std::io;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use crate::capture::record::{LinkType, Record, Timestamp};

pub use sys::SockFilter;

/// tcpdump's default snapshot length (`MAXIMUM_SNAPLEN` in `netdissect.h`, tcpdump-4.99.3).
pub const DEFAULT_SNAPLEN: u32 = 262_144;

/// The interface the lab watches.
pub const DEFAULT_INTERFACE: &str = "lo";

/// libpcap's default buffer (`-B`): 2 MiB.
pub const DEFAULT_BUFFER_SIZE: usize = 2 * 1024 * 1024;

/// Room kept before the frame in the buffer, so a VLAN tag the driver stripped can be put back.
const VLAN_TAG_LEN: usize = 4;

/// How long a wait for a frame lasts before the stop flag is looked at again.
const POLL_MS: i32 = 50;

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
    #[error("cannot attach the filter program to the socket: {0}")]
    Filter(#[source] io::Error),
    /// Any other failing system call.
    #[error("{op} on {interface}: {source}")]
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
    /// Kernel receive buffer in bytes (tcpdump's `-B`, in KiB there).
    pub buffer_size: usize,
}

impl Default for LiveOptions {
    fn default() -> Self {
        LiveOptions {
            interface: DEFAULT_INTERFACE.to_string(),
            snaplen: DEFAULT_SNAPLEN,
            promisc: true,
            buffer_size: DEFAULT_BUFFER_SIZE,
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
pub fn stop_on_signals() -> io::Result<()> {
    sys::stop_on_signals()
}

/// An open capture on one interface.
#[derive(Debug)]
pub struct Capture {
    sock: sys::PacketSocket,
    interface: String,
    link: LinkType,
    snaplen: u32,
    lo_ifindex: Option<i32>,
    buf: Vec<u8>,
    stats: Stats,
    if_drops_at_open: u64,
}

/// What `next` produced.
enum Next {
    Frame {
        start: usize,
        end: usize,
        len: u32,
        ts: Timestamp,
    },
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
        let ifindex = interface_index(&opts.interface)?;
        let link = link_type(&opts.interface)?;
        let sock = sys::PacketSocket::open().map_err(|e| open_error(&opts.interface, e))?;
        let io_err = |op: &'static str| {
            let interface = opts.interface.clone();
            move |source| LiveError::Io {
                op,
                interface,
                source,
            }
        };
        sock.enable_metadata().map_err(io_err("setsockopt"))?;
        sock.set_rcvbuf(opts.buffer_size)
            .map_err(io_err("setting the buffer size"))?;
        if let Some(prog) = filter {
            sock.attach_filter(prog).map_err(LiveError::Filter)?;
        }
        sock.bind(ifindex).map_err(io_err("bind"))?;
        if opts.promisc {
            sock.add_promisc(ifindex)
                .map_err(io_err("setting promiscuous mode"))?;
        }
        let snaplen = if opts.snaplen == 0 {
            DEFAULT_SNAPLEN
        } else {
            opts.snaplen
        };
        let buf_len = usize::try_from(snaplen).unwrap_or(usize::MAX) + VLAN_TAG_LEN;
        // libpcap compares with the index of "lo" whatever the bound device.
        let lo_ifindex = interface_index("lo").ok();
        let capture = Capture {
            sock,
            interface: opts.interface.clone(),
            link,
            snaplen,
            lo_ifindex,
            buf: vec![0; buf_len],
            stats: Stats::default(),
            if_drops_at_open: interface_drops(&opts.interface),
        };
        // Counters start at zero for this capture (the socket may have seen frames already).
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

    /// tcpdump's start line, `listening on lo, link-type EN10MB (Ethernet), snapshot length
    /// 262144 bytes` (`tcpdump.c`, tcpdump-4.99.3), without the program name.
    pub fn listening_line(&self) -> String {
        format!(
            "listening on {}, link-type {}, snapshot length {} bytes",
            self.interface, self.link, self.snaplen
        )
    }

    /// Attach (or replace) a classic BPF program in the kernel on an open capture, so the frames
    /// it rejects never reach user space (`open_filtered` sets the first one). Frames queued under the previous filter are thrown away first, the way libpcap's
    /// `set_kernel_filter` does it: a reject-all program goes on, the queue is drained, then
    /// the new program replaces it.
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

    /// Wait for the next frame until `stop` is set; `None` once it is. Frames already queued
    /// when the stop comes are left to `try_next`.
    pub fn next(&mut self, stop: &StopFlag) -> Result<Option<Record<'_>>, LiveError> {
        loop {
            if stop.is_stopped() {
                return Ok(None);
            }
            let ready = self
                .sock
                .wait_readable(POLL_MS)
                .map_err(|e| self.io("poll", e))?;
            if !ready {
                continue;
            }
            if let Next::Frame {
                start,
                end,
                len,
                ts,
            } = self.read_one()?
            {
                return Ok(Some(self.record(start, end, len, ts)));
            }
        }
    }

    /// The next frame already queued in the kernel, without waiting; `None` when there is
    /// none. Used after a stop request so that nothing the kernel already holds is lost.
    pub fn try_next(&mut self) -> Result<Option<Record<'_>>, LiveError> {
        loop {
            match self.read_one()? {
                Next::Frame {
                    start,
                    end,
                    len,
                    ts,
                } => return Ok(Some(self.record(start, end, len, ts))),
                Next::Skip => continue,
                Next::Idle => return Ok(None),
            }
        }
    }

    fn record(&self, start: usize, end: usize, len: u32, ts: Timestamp) -> Record<'_> {
        Record {
            ts,
            len,
            link: self.link,
            data: self.buf.get(start..end).unwrap_or(&[]),
        }
    }

    /// Receive one frame; decide whether it is kept (libpcap's direction check), put back a
    /// stripped VLAN tag, cut to the snap length.
    fn read_one(&mut self) -> Result<Next, LiveError> {
        let info = match self
            .sock
            .recv(self.buf.get_mut(VLAN_TAG_LEN..).unwrap_or(&mut []))
        {
            Ok(info) => info,
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => return Ok(Next::Idle),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => return Ok(Next::Skip),
            Err(e) => return Err(self.io("recvmsg", e)),
        };
        if info.pkttype == sys::PACKET_OUTGOING && Some(info.ifindex) == self.lo_ifindex {
            return Ok(Next::Skip);
        }
        let copied = u32::try_from(info.copied).unwrap_or(u32::MAX);
        let mut len = info.aux.map_or(copied, |a| a.len.max(copied));
        let mut start = VLAN_TAG_LEN;
        let mut end = VLAN_TAG_LEN + info.copied;
        if let Some(aux) = info
            .aux
            .filter(|a| a.status & sys::TP_STATUS_VLAN_VALID != 0)
        {
            if info.copied >= 12 && self.link == LinkType::Ethernet {
                self.insert_vlan_tag(aux);
                start = 0;
                len = len.saturating_add(VLAN_TAG_LEN as u32);
            }
        }
        let snap = usize::try_from(self.snaplen).unwrap_or(usize::MAX);
        end = end.min(start.saturating_add(snap));
        let ts = info
            .ts
            .map_or_else(now, |(sec, nsec)| Timestamp { sec, nsec });
        self.stats.captured += 1;
        Ok(Next::Frame {
            start,
            end,
            len,
            ts,
        })
    }

    /// Move the two MAC addresses 4 bytes forward and write the 802.1Q tag after them, as
    /// libpcap does with the tag the kernel reports in `PACKET_AUXDATA`.
    fn insert_vlan_tag(&mut self, aux: sys::AuxData) {
        self.buf.copy_within(VLAN_TAG_LEN..VLAN_TAG_LEN + 12, 0);
        let tpid = if aux.status & sys::TP_STATUS_VLAN_TPID_VALID != 0 {
            aux.vlan_tpid
        } else {
            0x8100
        };
        if let Some(tag) = self.buf.get_mut(12..16) {
            tag[..2].copy_from_slice(&tpid.to_be_bytes());
            tag[2..].copy_from_slice(&aux.vlan_tci.to_be_bytes());
        }
    }

    /// The statistics so far (libpcap's `pcap_stats` plus the count of frames delivered).
    pub fn stats(&mut self) -> Result<Stats, LiveError> {
        let (packets, drops) = self
            .sock
            .statistics()
            .map_err(|e| self.io("getsockopt(PACKET_STATISTICS)", e))?;
        self.stats.received += u64::from(packets);
        self.stats.dropped += u64::from(drops);
        self.stats.if_dropped =
            interface_drops(&self.interface).saturating_sub(self.if_drops_at_open);
        Ok(self.stats)
    }
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

/// Drop root for `user` (its uid and primary gid from `/etc/passwd`) once the capture is open,
/// before any captured byte is decoded (groups, then gid, then uid).
pub fn drop_privileges(user: &str) -> io::Result<()> {
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
