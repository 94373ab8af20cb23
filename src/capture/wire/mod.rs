//! Zero-copy packet views, one module per protocol (smoltcp `wire` style).
//!
//! No constructor panics on any input: lengths are checked before fields are read.

pub mod arp;
pub mod checksum;
pub mod ethernet;
pub mod icmp;
pub mod icmp6;
pub mod ipv4;
pub mod ipv6;
pub mod tcp;
pub mod udp;

/// Why a view or a `Repr` refused a buffer. Length problems stay apart from content problems.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum WireError {
    /// The buffer ends before what the header says is there (tcpdump's ` [|tcp]`).
    #[error("{layer}: truncated: {need} bytes needed, {have} captured")]
    Truncated {
        layer: &'static str,
        need: usize,
        have: usize,
    },
    /// A field holds a value the protocol does not allow (tcpdump's `bad hdr length`,
    /// `[bad opt]`).
    #[error("{layer}: bad {what} {value}")]
    Malformed {
        layer: &'static str,
        what: &'static str,
        value: u32,
    },
}

/// `len` bytes from `at`, or `Truncated` naming `layer`.
fn slice<'a>(
    layer: &'static str,
    buf: &'a [u8],
    at: usize,
    len: usize,
) -> Result<&'a [u8], WireError> {
    let need = at.saturating_add(len);
    buf.get(at..need).ok_or(WireError::Truncated {
        layer,
        need,
        have: buf.len(),
    })
}
