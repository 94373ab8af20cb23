//! Link-layer headers other than Ethernet, by their length: what lies before the network
//! layer in a record of each link type (tcpdump's `null_if_print`, `sll_if_print` at
//! tcpdump-4.99.3).
//!
//! Must not import `print`, `echo` or do I/O.

use crate::capture::record::{LinkType, Record};

use super::ethernet::{self, EtherType};

/// BSD loopback (`DLT_NULL`, `DLT_LOOP`): a 4-byte address family.
pub const NULL_HEADER_LEN: usize = 4;

/// Linux cooked capture v1 (`DLT_LINUX_SLL`): packet type, ARPHRD type, address length, an
/// 8-byte address and the protocol.
pub const LINUX_SLL_HEADER_LEN: usize = 16;

/// Linux cooked capture v2 (`DLT_LINUX_SLL2`): protocol, interface index, ARPHRD type, packet
/// type, address length and an 8-byte address.
pub const LINUX_SLL2_HEADER_LEN: usize = 20;

/// The IP datagram of a record, past its link-layer header (Ethernet or any link type
/// [`ip_payload`] knows); `None` for a record carrying something else.
pub fn network<'a>(rec: &Record<'a>) -> Option<&'a [u8]> {
    match rec.link {
        LinkType::Ethernet => {
            let f = ethernet::Frame::new_checked(rec.data).ok()?;
            matches!(f.ethertype(), EtherType::Ipv4 | EtherType::Ipv6).then(|| f.payload())
        }
        other => ip_payload(other, rec.data),
    }
}

/// The network-layer datagram of a record of `link` carrying IP, past its link header;
/// `None` for Ethernet (read it with `ethernet::Frame`), other link types, or a record
/// shorter than its link header.
pub fn ip_payload(link: LinkType, data: &[u8]) -> Option<&[u8]> {
    match link {
        LinkType::Raw | LinkType::Ipv4 | LinkType::Ipv6 => Some(data),
        LinkType::Null | LinkType::Loop => data.get(NULL_HEADER_LEN..),
        LinkType::LinuxSll => data.get(LINUX_SLL_HEADER_LEN..),
        LinkType::LinuxSll2 => data.get(LINUX_SLL2_HEADER_LEN..),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_headers_are_skipped_and_short_records_refused() {
        let rec = [2, 0, 0, 0, 0x45];
        assert_eq!(ip_payload(LinkType::Null, &rec), Some(&[0x45][..]));
        assert_eq!(ip_payload(LinkType::Raw, &rec), Some(&rec[..]));
        assert_eq!(ip_payload(LinkType::LinuxSll, &rec), None);
        assert_eq!(ip_payload(LinkType::LinuxSll2, &rec), None);
        assert_eq!(ip_payload(LinkType::Ethernet, &rec), None);
    }
}
