//! Zero-copy packet views, one module per protocol (smoltcp `wire` style): the one place
//! that knows header layouts.
//!
//! No constructor panics on any input: lengths are checked before fields are read. Every
//! view denies indexing, `unwrap`, `expect` and `panic!`, and reads through the helpers below.
//!
//! # The API every reader uses
//!
//! Each protocol module (`ethernet`, `ipv4`, `ipv6`, `tcp`, `udp`, `icmp`, `icmp6`) has:
//!
//! - `field`: the byte offsets and ranges of its fixed header, and `HEADER_LEN` (printers
//!   that read bytes tcpdump-style name their offsets from here);
//! - a view (`ethernet::Frame`, otherwise `Packet<'a>`) over `&'a [u8]`: `new_checked`
//!   returns `Err(WireError)` unless the fixed header (and for IPv4/TCP the options the header
//!   length claims) was captured and the lengths are possible; accessors then never fail.
//!   Payloads are never clamped: `ipv4`/`ipv6`/`udp` `payload()` return `Truncated` when the
//!   length field claims more than was captured;
//! - `Repr<'a>`: an owned, well-formed header with `parse(&view)` (refusing bad checksums
//!   when addresses are given) and `emit` giving the bytes back, checksums filled in. Use it
//!   to build packets (`synth`, `import`); `tcp::TcpOption::Raw` emits malformed options.
//!
//! `checksum` holds the Internet checksum and the TCP/UDP pseudo-header sum; `link` the
//! header lengths of the other link types a capture may carry.
//!
//! Readers other than the printers (flows, diff, the echo programs' traffic dump, synth,
//! verify, import) go through these views and never index header bytes themselves. This
//! module must not import `print`, `echo` or do I/O.

#![deny(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

/// A view type over `&'a [u8]` with `with_header`, which wraps a buffer once its first
/// `$hlen` bytes are known to be captured, and `as_bytes`: the shape every view shares
/// (smoltcp's `Packet<T>`, over bytes only).
macro_rules! view {
    ($(#[$m:meta])* $name:ident, $layer:expr, $hlen:expr) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub struct $name<'a> {
            buffer: &'a [u8],
        }

        impl<'a> $name<'a> {
            /// Wrap `buffer` once its fixed header is known to be captured.
            fn with_header(
                buffer: &'a [u8],
            ) -> Result<$name<'a>, $crate::capture::wire::WireError> {
                $crate::capture::wire::slice($layer, buffer, 0, $hlen)?;
                Ok($name { buffer })
            }

            /// The bytes the view was made over, as captured.
            pub fn as_bytes(&self) -> &'a [u8] {
                self.buffer
            }
        }
    };
}

/// Accessors that each read one field of a checked view: `name: type = read(field);`, with
/// `read` one of the helpers below (`byte`, `be16`, `be32`).
macro_rules! fields {
    ($($(#[$m:meta])* $name:ident: $ty:ty = $read:ident($field:expr);)*) => {
        $(
            $(#[$m])*
            pub fn $name(&self) -> $ty {
                $crate::capture::wire::$read(self.buffer, $field)
            }
        )*
    };
}

pub mod checksum;
pub mod ethernet;
pub mod icmp;
pub mod icmp6;
pub mod ipv4;
pub mod ipv6;
pub mod link;
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

/// The bytes at `r` as an array; zeros when they are not all there. Accessors read fields
/// their view's constructor has checked, so the zeros stand only for impossible cases.
fn array<const N: usize>(buf: &[u8], r: std::ops::Range<usize>) -> [u8; N] {
    buf.get(r).and_then(|s| s.try_into().ok()).unwrap_or([0; N])
}

/// The big-endian u16 at `r` (see [`array`]).
fn be16(buf: &[u8], r: std::ops::Range<usize>) -> u16 {
    u16::from_be_bytes(array(buf, r))
}

/// The big-endian u32 at `r` (see [`array`]).
fn be32(buf: &[u8], r: std::ops::Range<usize>) -> u32 {
    u32::from_be_bytes(array(buf, r))
}

/// Write `v` big-endian into `r` of a buffer being emitted (nothing when `r` is outside it).
fn put_be16(buf: &mut [u8], r: std::ops::Range<usize>, v: u16) {
    if let Some(f) = buf.get_mut(r) {
        f.copy_from_slice(&v.to_be_bytes());
    }
}

/// The byte at `at`, 0 when absent (see [`array`]).
fn byte(buf: &[u8], at: usize) -> u8 {
    buf.get(at).copied().unwrap_or(0)
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

/// Scaffolding shared by the views' unit tests.
/// `Malformed` when a checksum does not verify.
pub(crate) fn checksum_verifies(layer: &'static str, ok: bool, sum: u16) -> Result<(), WireError> {
    if ok {
        return Ok(());
    }
    Err(WireError::Malformed {
        layer,
        what: "checksum",
        value: u32::from(sum),
    })
}

#[cfg(test)]
pub(crate) mod testing {
    use super::WireError;
    use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

    /// The loopback addresses the tests' checksums are computed over.
    pub(crate) const LO: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);
    pub(crate) const LO6: IpAddr = IpAddr::V6(Ipv6Addr::LOCALHOST);

    /// Require `new_checked` to refuse every prefix of `buf` shorter than `upto` bytes as
    /// `Truncated` in `layer`, saying it had exactly that prefix.
    #[track_caller]
    pub(crate) fn assert_truncated_below<'a, T: std::fmt::Debug>(
        layer: &str,
        buf: &'a [u8],
        upto: usize,
        new_checked: impl Fn(&'a [u8]) -> Result<T, WireError>,
    ) {
        assert!(
            upto <= buf.len(),
            "{upto} is beyond the {}-byte buffer",
            buf.len()
        );
        for cut in 0..upto {
            let r = new_checked(buf.get(..cut).unwrap_or_default());
            assert!(
                matches!(r, Err(WireError::Truncated { layer: l, have, .. }) if l == layer && have == cut),
                "cut {cut}: {r:?}"
            );
        }
    }
}
