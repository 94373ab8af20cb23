//! The kernel side of live capture: AF_PACKET socket calls through libc.
//!
//! The only module of the crate allowed `unsafe`: every block is one system call (or the
//! installation of a signal handler) on memory this module owns, with a `// SAFETY:` comment.
//! Everything above it (`live/mod.rs`) is safe code over the small API here. Must not import
//! anything outside `std` and `libc`.

#![allow(unsafe_code)]

use std::io;
use std::mem;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::sync::atomic::{AtomicBool, Ordering};

/// One classic BPF instruction, laid out as the kernel's `struct sock_filter`
/// (`linux/filter.h`), which is also libpcap's `struct bpf_insn`.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SockFilter {
    pub code: u16,
    pub jt: u8,
    pub jf: u8,
    pub k: u32,
}

impl SockFilter {
    /// One instruction from its four fields (`tcpdump -ddd` prints them in this order).
    pub const fn new(code: u16, jt: u8, jf: u8, k: u32) -> SockFilter {
        SockFilter { code, jt, jf, k }
    }
}

impl From<(u16, u8, u8, u32)> for SockFilter {
    fn from((code, jt, jf, k): (u16, u8, u8, u32)) -> SockFilter {
        SockFilter { code, jt, jf, k }
    }
}

/// `struct sock_fprog` (`linux/filter.h`).
#[repr(C)]
struct SockFprog {
    len: u16,
    filter: *const SockFilter,
}

/// `ETH_P_ALL` (`linux/if_ether.h`): every protocol, outgoing packets included.
const ETH_P_ALL: u16 = 0x0003;

/// The fields of a frame's `struct sockaddr_ll` (`linux/if_packet.h`): where and how the
/// kernel saw it, what a cooked header is built from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LinkAddr {
    /// `sll_protocol`, in network byte order as the kernel gives it (its bytes as they are).
    pub protocol: [u8; 2],
    /// `sll_ifindex`: the interface the frame was seen on.
    pub ifindex: i32,
    /// `sll_hatype`: the device's `ARPHRD_` type.
    pub hatype: u16,
    /// `sll_pkttype` (`PACKET_HOST`, `PACKET_OUTGOING`…).
    pub pkttype: u8,
    /// `sll_halen`: how many bytes of `addr` count.
    pub halen: u8,
    /// `sll_addr`: the link-layer source address (the destination for outgoing frames).
    pub addr: [u8; 8],
}

impl LinkAddr {
    /// Read the fields from the 20 bytes of a `struct sockaddr_ll`.
    pub fn from_bytes(b: &[u8; 20]) -> LinkAddr {
        let mut addr = [0u8; 8];
        addr.copy_from_slice(&b[12..20]);
        LinkAddr {
            protocol: [b[2], b[3]],
            ifindex: i32::from_ne_bytes([b[4], b[5], b[6], b[7]]),
            hatype: u16::from_ne_bytes([b[8], b[9]]),
            pkttype: b[10],
            halen: b[11],
            addr,
        }
    }

    fn from_sockaddr(sll: &libc::sockaddr_ll) -> LinkAddr {
        LinkAddr {
            protocol: sll.sll_protocol.to_ne_bytes(),
            ifindex: sll.sll_ifindex,
            hatype: sll.sll_hatype,
            pkttype: sll.sll_pkttype,
            halen: sll.sll_halen,
            addr: sll.sll_addr,
        }
    }
}

/// What the kernel says about one received frame, besides its bytes.
#[derive(Debug, Clone, Copy, Default)]
pub struct FrameInfo {
    /// Bytes copied into the buffer.
    pub copied: usize,
    /// The frame's `sockaddr_ll`.
    pub sll: LinkAddr,
    /// `SCM_TIMESTAMPNS`: the kernel's receive time, if the control message came.
    pub ts: Option<(i64, u32)>,
    /// `PACKET_AUXDATA`, if the control message came.
    pub aux: Option<AuxData>,
}

/// The fields of `struct tpacket_auxdata` (`linux/if_packet.h`) that capture uses.
#[derive(Debug, Clone, Copy, Default)]
pub struct AuxData {
    pub status: u32,
    /// The frame's length before the socket filter's snap length cut it.
    pub len: u32,
    pub vlan_tci: u16,
    pub vlan_tpid: u16,
}

/// `TP_STATUS_VLAN_VALID`: the frame carried an 802.1Q tag the driver stripped.
pub const TP_STATUS_VLAN_VALID: u32 = 1 << 4;
/// `TP_STATUS_VLAN_TPID_VALID`: `tp_vlan_tpid` is set.
pub const TP_STATUS_VLAN_TPID_VALID: u32 = 1 << 6;
/// `PACKET_OUTGOING`: a frame this host sent.
pub const PACKET_OUTGOING: u8 = 4;

/// An `AF_PACKET`, `ETH_P_ALL` socket: `SOCK_RAW` (whole frames) or `SOCK_DGRAM` (frames
/// without their link-layer header, for cooked captures).
#[derive(Debug)]
pub struct PacketSocket {
    fd: OwnedFd,
}

fn check(ret: libc::c_int) -> io::Result<libc::c_int> {
    if ret < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(ret)
    }
}

impl PacketSocket {
    /// Open the socket (needs `CAP_NET_RAW`). Opened for protocol 0 it receives nothing until
    /// `bind` names the interface and `ETH_P_ALL`, so a filter attached in between applies
    /// from the very first frame. `cooked` opens a `SOCK_DGRAM` socket.
    pub fn open(cooked: bool) -> io::Result<PacketSocket> {
        let kind = if cooked {
            libc::SOCK_DGRAM
        } else {
            libc::SOCK_RAW
        };
        // SAFETY: socket() takes plain integers and returns a new descriptor or -1.
        let fd = check(unsafe { libc::socket(libc::AF_PACKET, kind | libc::SOCK_CLOEXEC, 0) })?;
        // SAFETY: `fd` was just returned by socket() and is owned by nobody else.
        let fd = unsafe { OwnedFd::from_raw_fd(fd) };
        Ok(PacketSocket { fd })
    }

    fn setsockopt<T>(&self, level: libc::c_int, name: libc::c_int, value: &T) -> io::Result<()> {
        let len = libc::socklen_t::try_from(mem::size_of::<T>())
            .map_err(|_| io::Error::from(io::ErrorKind::InvalidInput))?;
        // SAFETY: `value` points to `len` readable bytes for the duration of the call; the
        // kernel copies them and keeps no pointer.
        check(unsafe {
            libc::setsockopt(
                self.fd.as_raw_fd(),
                level,
                name,
                (value as *const T).cast(),
                len,
            )
        })?;
        Ok(())
    }

    /// Set an integer socket option.
    pub fn set_int(
        &self,
        level: libc::c_int,
        name: libc::c_int,
        value: libc::c_int,
    ) -> io::Result<()> {
        self.setsockopt(level, name, &value)
    }

    /// Ask for `PACKET_AUXDATA` and `SCM_TIMESTAMPNS` control messages with every frame.
    pub fn enable_metadata(&self) -> io::Result<()> {
        self.set_int(libc::SOL_PACKET, libc::PACKET_AUXDATA, 1)?;
        self.set_int(libc::SOL_SOCKET, libc::SO_TIMESTAMPNS, 1)
    }

    /// Set the receive buffer size; `SO_RCVBUFFORCE` (needs `CAP_NET_ADMIN`) lifts the
    /// `net.core.rmem_max` cap, `SO_RCVBUF` is the fallback.
    pub fn set_rcvbuf(&self, bytes: usize) -> io::Result<()> {
        let n = libc::c_int::try_from(bytes).unwrap_or(libc::c_int::MAX);
        self.set_int(libc::SOL_SOCKET, libc::SO_RCVBUFFORCE, n)
            .or_else(|_| self.set_int(libc::SOL_SOCKET, libc::SO_RCVBUF, n))
    }

    /// Bind to one interface (0: every interface), all protocols.
    pub fn bind(&self, ifindex: i32) -> io::Result<()> {
        // SAFETY: sockaddr_ll is plain old data; all-zero is a valid value.
        let mut sll: libc::sockaddr_ll = unsafe { mem::zeroed() };
        sll.sll_family = libc::AF_PACKET as u16;
        sll.sll_protocol = ETH_P_ALL.to_be();
        sll.sll_ifindex = ifindex;
        let len = mem::size_of::<libc::sockaddr_ll>() as libc::socklen_t;
        // SAFETY: `sll` is a valid sockaddr_ll of `len` bytes, read by the kernel during the call.
        check(unsafe {
            libc::bind(
                self.fd.as_raw_fd(),
                (&sll as *const libc::sockaddr_ll).cast(),
                len,
            )
        })?;
        Ok(())
    }

    /// Put the interface in promiscuous mode for as long as the socket is open.
    pub fn add_promisc(&self, ifindex: i32) -> io::Result<()> {
        // SAFETY: packet_mreq is plain old data; all-zero is a valid value.
        let mut mr: libc::packet_mreq = unsafe { mem::zeroed() };
        mr.mr_ifindex = ifindex;
        mr.mr_type = libc::PACKET_MR_PROMISC as u16;
        self.setsockopt(libc::SOL_PACKET, libc::PACKET_ADD_MEMBERSHIP, &mr)
    }

    /// Attach a classic BPF program (`SO_ATTACH_FILTER`).
    pub fn attach_filter(&self, prog: &[SockFilter]) -> io::Result<()> {
        let len =
            u16::try_from(prog.len()).map_err(|_| io::Error::from(io::ErrorKind::InvalidInput))?;
        let fprog = SockFprog {
            len,
            filter: prog.as_ptr(),
        };
        // The kernel copies the `len` instructions `fprog.filter` points to during the call.
        self.setsockopt(libc::SOL_SOCKET, libc::SO_ATTACH_FILTER, &fprog)
    }

    /// Remove the socket's filter; no filter at all is not an error.
    pub fn detach_filter(&self) -> io::Result<()> {
        match self.set_int(libc::SOL_SOCKET, libc::SO_DETACH_FILTER, 0) {
            Err(e) if matches!(e.raw_os_error(), Some(libc::ENOENT) | Some(libc::ENONET)) => Ok(()),
            other => other,
        }
    }

    /// Wait up to `timeout_ms` for a frame; whether one is ready. An interrupted wait
    /// (a signal) counts as "not ready".
    pub fn wait_readable(&self, timeout_ms: i32) -> io::Result<bool> {
        let mut pfd = libc::pollfd {
            fd: self.fd.as_raw_fd(),
            events: libc::POLLIN,
            revents: 0,
        };
        // SAFETY: `pfd` is one valid pollfd, written by the kernel during the call.
        let n = unsafe { libc::poll(&mut pfd, 1, timeout_ms) };
        if n < 0 {
            let e = io::Error::last_os_error();
            return if e.kind() == io::ErrorKind::Interrupted {
                Ok(false)
            } else {
                Err(e)
            };
        }
        if pfd.revents & libc::POLLERR != 0 {
            return Err(self.take_error());
        }
        Ok(n > 0)
    }

    fn take_error(&self) -> io::Error {
        match self.get_int(libc::SOL_SOCKET, libc::SO_ERROR) {
            Ok(code) => io::Error::from_raw_os_error(code),
            Err(e) => e,
        }
    }

    fn get_int(&self, level: libc::c_int, name: libc::c_int) -> io::Result<libc::c_int> {
        let mut value: libc::c_int = 0;
        let mut len = mem::size_of::<libc::c_int>() as libc::socklen_t;
        // SAFETY: `value` and `len` are valid for writes; the kernel writes at most `len` bytes.
        check(unsafe {
            libc::getsockopt(
                self.fd.as_raw_fd(),
                level,
                name,
                (&mut value as *mut libc::c_int).cast(),
                &mut len,
            )
        })?;
        Ok(value)
    }

    /// `PACKET_STATISTICS`: packets that passed the filter (drops included, as the kernel
    /// adds them) and packets dropped for lack of buffer space, since the previous call
    /// (the kernel resets the counters on every read).
    pub fn statistics(&self) -> io::Result<(u32, u32)> {
        // struct tpacket_stats { unsigned int tp_packets, tp_drops; }
        let mut st = [0u32; 2];
        let mut len = mem::size_of_val(&st) as libc::socklen_t;
        // SAFETY: `st` is 8 writable bytes and `len` says so; the kernel writes at most that.
        check(unsafe {
            libc::getsockopt(
                self.fd.as_raw_fd(),
                libc::SOL_PACKET,
                libc::PACKET_STATISTICS,
                st.as_mut_ptr().cast(),
                &mut len,
            )
        })?;
        Ok((st[0], st[1]))
    }

    /// Receive one frame into `buf` (the rest is cut), with its address and control messages,
    /// without waiting: `WouldBlock` when no frame is queued.
    pub fn recv(&self, buf: &mut [u8]) -> io::Result<FrameInfo> {
        // SAFETY: sockaddr_ll is plain old data; all-zero is a valid value.
        let mut sll: libc::sockaddr_ll = unsafe { mem::zeroed() };
        // u64 elements keep the control buffer aligned for cmsghdr.
        let mut control = [0u64; 16];
        let mut iov = libc::iovec {
            iov_base: buf.as_mut_ptr().cast(),
            iov_len: buf.len(),
        };
        // SAFETY: msghdr is plain old data; all-zero is a valid value.
        let mut msg: libc::msghdr = unsafe { mem::zeroed() };
        msg.msg_name = (&mut sll as *mut libc::sockaddr_ll).cast();
        msg.msg_namelen = mem::size_of::<libc::sockaddr_ll>() as libc::socklen_t;
        msg.msg_iov = &mut iov;
        msg.msg_iovlen = 1;
        msg.msg_control = control.as_mut_ptr().cast();
        msg.msg_controllen = mem::size_of_val(&control);
        // SAFETY: every pointer in `msg` (name, one iovec over `buf`, control) points to memory
        // borrowed mutably for the whole call, with the lengths given.
        let n = unsafe { libc::recvmsg(self.fd.as_raw_fd(), &mut msg, libc::MSG_DONTWAIT) };
        if n < 0 {
            return Err(io::Error::last_os_error());
        }
        let copied = usize::try_from(n).unwrap_or(0).min(buf.len());
        let controllen = msg.msg_controllen.min(mem::size_of_val(&control));
        let bytes: Vec<u8> = control.iter().flat_map(|w| w.to_ne_bytes()).collect();
        let mut info = FrameInfo {
            copied,
            sll: LinkAddr::from_sockaddr(&sll),
            ..FrameInfo::default()
        };
        parse_control(bytes.get(..controllen).unwrap_or(&[]), &mut info);
        Ok(info)
    }
}

/// Walk the control messages (`struct cmsghdr` headers, data aligned to `size_of::<usize>()`),
/// with safe byte reads.
fn parse_control(mut buf: &[u8], info: &mut FrameInfo) {
    const ALIGN: usize = mem::size_of::<usize>();
    let hdr = mem::size_of::<libc::cmsghdr>();
    while buf.len() >= hdr {
        let len = ne_usize(buf, 0);
        let level = ne_i32(buf, ALIGN);
        let kind = ne_i32(buf, ALIGN + 4);
        if len < hdr || len > buf.len() {
            return;
        }
        let data = buf.get(hdr..len).unwrap_or(&[]);
        if level == libc::SOL_SOCKET && kind == libc::SCM_TIMESTAMPNS && data.len() >= 16 {
            let sec = i64::from_ne_bytes(arr(data, 0));
            let nsec = i64::from_ne_bytes(arr(data, 8));
            info.ts = Some((sec, u32::try_from(nsec).unwrap_or(0)));
        } else if level == libc::SOL_PACKET && kind == libc::PACKET_AUXDATA && data.len() >= 20 {
            info.aux = Some(AuxData {
                status: u32::from_ne_bytes(arr(data, 0)),
                len: u32::from_ne_bytes(arr(data, 4)),
                vlan_tci: u16::from_ne_bytes(arr(data, 16)),
                vlan_tpid: u16::from_ne_bytes(arr(data, 18)),
            });
        }
        let next = len.div_ceil(ALIGN) * ALIGN;
        buf = buf.get(next..).unwrap_or(&[]);
    }
}

fn arr<const N: usize>(buf: &[u8], at: usize) -> [u8; N] {
    let mut out = [0u8; N];
    if let Some(src) = buf.get(at..at + N) {
        out.copy_from_slice(src);
    }
    out
}

fn ne_usize(buf: &[u8], at: usize) -> usize {
    usize::from_ne_bytes(arr(buf, at))
}

fn ne_i32(buf: &[u8], at: usize) -> i32 {
    i32::from_ne_bytes(arr(buf, at))
}

/// `SIOCETHTOOL` (`linux/sockios.h`).
const SIOCETHTOOL: libc::c_ulong = 0x8946;
/// `ETHTOOL_GLINK` (`linux/ethtool.h`): whether the link is up.
const ETHTOOL_GLINK: u32 = 0x0000_000a;

/// `struct ethtool_value` (`linux/ethtool.h`).
#[repr(C)]
struct EthtoolValue {
    cmd: u32,
    data: u32,
}

/// The driver's link state (`ETHTOOL_GLINK` through `SIOCETHTOOL`): `Ok(true)` when connected;
/// the error of a driver that does not say (`EOPNOTSUPP`, `EINVAL`, `ENODEV`…).
pub fn ethtool_link(name: &str) -> io::Result<bool> {
    // SAFETY: socket() takes plain integers and returns a new descriptor or -1.
    let fd =
        check(unsafe { libc::socket(libc::AF_INET, libc::SOCK_DGRAM | libc::SOCK_CLOEXEC, 0) })?;
    // SAFETY: `fd` was just returned by socket() and is owned by nobody else.
    let fd = unsafe { OwnedFd::from_raw_fd(fd) };
    let mut value = EthtoolValue {
        cmd: ETHTOOL_GLINK,
        data: 0,
    };
    // SAFETY: ifreq is plain old data; all-zero is a valid value.
    let mut ifr: libc::ifreq = unsafe { mem::zeroed() };
    let bytes = name.as_bytes();
    if bytes.len() >= ifr.ifr_name.len() || bytes.contains(&0) {
        return Err(io::Error::from(io::ErrorKind::InvalidInput));
    }
    for (dst, src) in ifr.ifr_name.iter_mut().zip(bytes) {
        *dst = *src as libc::c_char;
    }
    ifr.ifr_ifru.ifru_data = (&mut value as *mut EthtoolValue).cast();
    // SAFETY: `ifr` holds a NUL-terminated name and points to `value`, both borrowed mutably
    // for the call; the kernel writes at most one `struct ethtool_value` there.
    check(unsafe { libc::ioctl(fd.as_raw_fd(), SIOCETHTOOL, &mut ifr) })?;
    Ok(value.data != 0)
}

/// Set by the handler `stop_on_signals` installs.
static SIGNALLED: AtomicBool = AtomicBool::new(false);

extern "C" fn on_signal(_: libc::c_int) {
    // Only an atomic store: async-signal-safe.
    SIGNALLED.store(true, Ordering::SeqCst);
}

/// The handlers SIGINT and SIGTERM had before `stop_on_signals`; dropping this puts them back.
pub struct SignalGuard {
    old: Vec<(libc::c_int, libc::sigaction)>,
}

impl std::fmt::Debug for SignalGuard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignalGuard").finish_non_exhaustive()
    }
}

/// Make SIGINT and SIGTERM set a flag instead of killing the process; `signalled` reads it.
/// The handler is installed without `SA_RESTART`, so a blocked `poll` returns at once. The
/// previous handlers come back when the guard is dropped.
pub fn stop_on_signals() -> io::Result<SignalGuard> {
    SIGNALLED.store(false, Ordering::SeqCst);
    let mut guard = SignalGuard { old: Vec::new() };
    for sig in [libc::SIGINT, libc::SIGTERM] {
        // SAFETY: sigaction is plain old data; all-zero is a valid value (empty mask).
        let mut sa: libc::sigaction = unsafe { mem::zeroed() };
        sa.sa_sigaction = on_signal as extern "C" fn(libc::c_int) as libc::sighandler_t;
        // SAFETY: as above.
        let mut old: libc::sigaction = unsafe { mem::zeroed() };
        // SAFETY: the handler only stores to an atomic, which is async-signal-safe; `sa` is a
        // valid sigaction read during the call, `old` is written during the call.
        check(unsafe { libc::sigaction(sig, &sa, &mut old) })?;
        guard.old.push((sig, old));
    }
    Ok(guard)
}

impl Drop for SignalGuard {
    fn drop(&mut self) {
        for (sig, old) in &self.old {
            // SAFETY: `old` is the sigaction the kernel returned for `sig`; reinstalling it
            // reads it during the call.
            unsafe { libc::sigaction(*sig, old, std::ptr::null_mut()) };
        }
    }
}

/// Whether SIGINT or SIGTERM arrived since `stop_on_signals`.
pub fn signalled() -> bool {
    SIGNALLED.load(Ordering::SeqCst)
}

/// Give up root: no new privileges ever (`PR_SET_NO_NEW_PRIVS`), every capability out of the
/// bounding set, then supplementary groups, the group and the user (that order: once the user
/// id is dropped the others can no longer be changed), and last every capability still held
/// (`capset` with empty sets, for a process that ran with file capabilities).
pub fn drop_privileges(uid: u32, gid: u32) -> io::Result<()> {
    set_no_new_privs()?;
    if effective_uid() == 0 {
        // PR_CAPBSET_DROP needs CAP_SETPCAP, which root has; a capability number past the
        // kernel's last one fails with EINVAL, which ends the walk.
        for cap in 0..64 {
            // SAFETY: prctl with integer arguments reads no memory.
            if unsafe { libc::prctl(libc::PR_CAPBSET_DROP, cap, 0, 0, 0) } < 0 {
                break;
            }
        }
        // SAFETY: setgroups with a count of 0 reads no memory.
        check(unsafe { libc::setgroups(0, std::ptr::null()) })?;
        // SAFETY: setgid/setuid take plain integers.
        check(unsafe { libc::setgid(gid) })?;
        // SAFETY: as above.
        check(unsafe { libc::setuid(uid) })?;
    }
    clear_capabilities()
}

/// Set `PR_SET_NO_NEW_PRIVS`: no exec can give this process privileges again.
pub fn set_no_new_privs() -> io::Result<()> {
    // SAFETY: prctl with integer arguments reads no memory.
    check(unsafe { libc::prctl(libc::PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) }).map(|_| ())
}

/// The effective user id.
pub fn effective_uid() -> u32 {
    // SAFETY: geteuid cannot fail and reads no memory.
    unsafe { libc::geteuid() }
}

/// `struct __user_cap_header_struct` (`linux/capability.h`).
#[repr(C)]
struct CapHeader {
    version: u32,
    pid: libc::c_int,
}

/// `struct __user_cap_data_struct` (`linux/capability.h`).
#[repr(C)]
#[derive(Default, Clone, Copy)]
struct CapData {
    effective: u32,
    permitted: u32,
    inheritable: u32,
}

/// `_LINUX_CAPABILITY_VERSION_3`: two `CapData`, for 64 capabilities.
const CAP_VERSION_3: u32 = 0x2008_0522;

/// Empty the effective, permitted and inheritable capability sets of this process.
fn clear_capabilities() -> io::Result<()> {
    let mut header = CapHeader {
        version: CAP_VERSION_3,
        pid: 0,
    };
    let data = [CapData::default(); 2];
    // SAFETY: capset reads one header and, for version 3, two data structs, which both point
    // to; the kernel writes nothing.
    let ret = unsafe {
        libc::syscall(
            libc::SYS_capset,
            &mut header as *mut CapHeader,
            data.as_ptr(),
        )
    };
    if ret < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(())
    }
}

/// `struct tpacket_req3` (`linux/if_packet.h`).
#[repr(C)]
struct TpacketReq3 {
    block_size: u32,
    block_nr: u32,
    frame_size: u32,
    frame_nr: u32,
    retire_blk_tov: u32,
    sizeof_priv: u32,
    feature_req_word: u32,
}

/// `TPACKET_V3` (`enum tpacket_versions`).
const TPACKET_V3: libc::c_int = 2;
/// `TP_STATUS_USER`: the block belongs to user space.
const TP_STATUS_USER: u32 = 1;
/// `TP_STATUS_KERNEL`: the block is the kernel's to fill.
const TP_STATUS_KERNEL: u32 = 0;
/// Offset of `hdr.bh1.block_status` in `struct tpacket_block_desc`.
const BLOCK_STATUS_AT: usize = 8;

/// A `TPACKET_V3` receive ring mapped from the socket: `blocks` blocks of `block_size` bytes
/// that the kernel fills with frames and hands over one block at a time.
#[derive(Debug)]
pub struct Ring {
    base: *mut u8,
    block_size: usize,
    blocks: usize,
}

// SAFETY: the ring is plain memory shared with the kernel; `Ring` owns the mapping and hands
// out access to it only through `&self`/`&mut self`, so moving it between threads is sound.
unsafe impl Send for Ring {}

impl Ring {
    /// Switch the (not yet bound) socket to `TPACKET_V3` and map a ring of `blocks` blocks of
    /// `block_size` bytes (a power-of-two multiple of the page size), blocks handed over when
    /// full or after `retire_ms` milliseconds.
    pub fn setup(
        sock: &PacketSocket,
        block_size: usize,
        blocks: usize,
        frame_size: usize,
        retire_ms: u32,
    ) -> io::Result<Ring> {
        let invalid = || io::Error::from(io::ErrorKind::InvalidInput);
        sock.set_int(libc::SOL_PACKET, libc::PACKET_VERSION, TPACKET_V3)?;
        let req = TpacketReq3 {
            block_size: u32::try_from(block_size).map_err(|_| invalid())?,
            block_nr: u32::try_from(blocks).map_err(|_| invalid())?,
            frame_size: u32::try_from(frame_size).map_err(|_| invalid())?,
            frame_nr: u32::try_from(block_size / frame_size * blocks).map_err(|_| invalid())?,
            retire_blk_tov: retire_ms,
            sizeof_priv: 0,
            feature_req_word: 0,
        };
        sock.setsockopt(libc::SOL_PACKET, libc::PACKET_RX_RING, &req)?;
        let len = block_size.checked_mul(blocks).ok_or_else(invalid)?;
        // SAFETY: a fresh shared mapping of the ring the kernel just allocated for this socket;
        // the kernel checks `len` against the ring's size.
        let base = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                len,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_SHARED,
                sock.fd.as_raw_fd(),
                0,
            )
        };
        if base == libc::MAP_FAILED {
            return Err(io::Error::last_os_error());
        }
        Ok(Ring {
            base: base.cast(),
            block_size,
            blocks,
        })
    }

    /// The number of blocks.
    pub fn blocks(&self) -> usize {
        self.blocks
    }

    /// Block `i`'s status word, `None` past the last block (a comparison, not a division:
    /// this runs for every frame).
    fn status_ptr(&self, i: usize) -> Option<*mut u32> {
        // Inside the mapping: `i < blocks`, and the status word lies 8 bytes into the block.
        (i < self.blocks).then(|| {
            self.base
                .wrapping_add(i * self.block_size + BLOCK_STATUS_AT)
                .cast()
        })
    }

    /// Block `i`'s bytes if the kernel has handed it over, else `None` (also for `i` past the
    /// last block).
    pub fn block(&self, i: usize) -> Option<&[u8]> {
        let status_ptr = self.status_ptr(i)?;
        // SAFETY: the status word is inside the mapping and 4-byte aligned (blocks are page
        // aligned); the kernel writes it concurrently, hence the volatile read.
        let status = unsafe { std::ptr::read_volatile(status_ptr) };
        if status & TP_STATUS_USER == 0 {
            return None;
        }
        // Pairs with the kernel's write barrier before it sets TP_STATUS_USER: the block's
        // contents are visible once the status is.
        std::sync::atomic::fence(Ordering::Acquire);
        let start = i * self.block_size;
        // SAFETY: the range is inside the mapping; while the status says TP_STATUS_USER the
        // kernel does not write the block, and `release` (which gives it back) takes
        // `&mut self`, so no slice from here outlives the hand-back.
        Some(unsafe { std::slice::from_raw_parts(self.base.add(start), self.block_size) })
    }

    /// Give block `i` back to the kernel.
    pub fn release(&mut self, i: usize) {
        let Some(status_ptr) = self.status_ptr(i) else {
            return;
        };
        std::sync::atomic::fence(Ordering::Release);
        // SAFETY: as in `block`; a volatile write of the status word hands the block back.
        unsafe { std::ptr::write_volatile(status_ptr, TP_STATUS_KERNEL) };
    }
}

impl Drop for Ring {
    fn drop(&mut self) {
        // SAFETY: unmaps exactly the mapping `setup` made; no slice into it can outlive `self`.
        unsafe {
            libc::munmap(self.base.cast(), self.block_size * self.blocks);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cmsg(level: i32, kind: i32, data: &[u8]) -> Vec<u8> {
        let hdr = mem::size_of::<libc::cmsghdr>();
        let mut m = Vec::new();
        m.extend_from_slice(&(hdr + data.len()).to_ne_bytes());
        m.extend_from_slice(&level.to_ne_bytes());
        m.extend_from_slice(&kind.to_ne_bytes());
        m.extend_from_slice(data);
        while m.len() % mem::size_of::<usize>() != 0 {
            m.push(0);
        }
        m
    }

    #[test]
    fn control_messages_give_timestamp_and_length() {
        let mut ts = Vec::new();
        ts.extend_from_slice(&1_700_000_000i64.to_ne_bytes());
        ts.extend_from_slice(&999_999_999i64.to_ne_bytes());
        let mut aux = Vec::new();
        for v in [TP_STATUS_VLAN_VALID, 65_549, 65_549] {
            aux.extend_from_slice(&v.to_ne_bytes()); // tp_status, tp_len, tp_snaplen
        }
        aux.extend_from_slice(&[0; 4]); // tp_mac, tp_net
        aux.extend_from_slice(&0x0123u16.to_ne_bytes()); // tp_vlan_tci
        aux.extend_from_slice(&0x88a8u16.to_ne_bytes()); // tp_vlan_tpid
        let mut buf = cmsg(libc::SOL_SOCKET, libc::SCM_TIMESTAMPNS, &ts);
        buf.extend(cmsg(libc::SOL_PACKET, libc::PACKET_AUXDATA, &aux));
        let mut info = FrameInfo::default();
        parse_control(&buf, &mut info);
        assert_eq!(info.ts, Some((1_700_000_000, 999_999_999)));
        let a = info.aux.unwrap();
        assert_eq!(
            (a.status, a.len, a.vlan_tci, a.vlan_tpid),
            (TP_STATUS_VLAN_VALID, 65_549, 0x0123, 0x88a8)
        );
    }

    #[test]
    fn bad_control_messages_are_ignored() {
        let mut info = FrameInfo::default();
        let mut bad = cmsg(libc::SOL_SOCKET, libc::SCM_TIMESTAMPNS, &[0; 16]);
        bad[..8].copy_from_slice(&1000usize.to_ne_bytes()); // cmsg_len past the buffer
        parse_control(&bad, &mut info);
        parse_control(&bad[..5], &mut info);
        assert!(info.ts.is_none() && info.aux.is_none());
    }
}
