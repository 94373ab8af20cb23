//! Address and port names (addrtoname.c at tcpdump-4.99.3): numeric with `-n`/`-nn`, names
//! otherwise.
//!
//! Without `-n`, tcpdump asks the C library: `gethostbyaddr` for IPv4/IPv6 host names,
//! `getservent` for port names, `ether_ntohost` for Ethernet names and `if_indextoname` for
//! interface names. Here the printers only look names up in a [`Names`] table the caller
//! loaded beforehand (`crate::capture::names` reads the system's files): printers do no I/O.
//! An address the table does not know prints numerically, as tcpdump prints an address its
//! resolver could not name.
//!
//! Must not read files, the network or the clock; imports only `util` among the printers'
//! modules.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use std::convert::Infallible;

use super::textcache::cached;
use super::Nd;

/// Ethernet names tcpdump wires in (addrtoname.c `etherlist`).
const ETHERLIST: [([u8; 6], &str); 1] = [([0xff; 6], "Broadcast")];

/// OUI names for `(oui ...)` after an unnamed Ethernet address (oui.c `oui_values`).
pub const OUI_VALUES: [(u32, &str); 27] = [
    (0x000000, "Ethernet"),
    (0x00000c, "Cisco"),
    (0x00005e, "IANA"),
    (0x000081, "Nortel Networks SONMP"),
    (0x0000f8, "Cisco bridged"),
    (0x0080c2, "Ethernet bridged"),
    (0x00a03e, "ATM Forum"),
    (0x00e02f, "DOCSIS Spanning Tree"),
    (0x080007, "Appletalk"),
    (0x009069, "Juniper"),
    (0x080009, "Hewlett-Packard"),
    (0x0080c2, "IEEE 802.1 Private"),
    (0x00120f, "IEEE 802.3 Private"),
    (0x0012bb, "ANSI/TIA"),
    (0x001b21, "DCBX"),
    (0x002320, "Nicira Networks"),
    (0x5c16c7, "Big Switch Networks"),
    (0xb0d2f5, "Vello Systems"),
    (0x002481, "HP"),
    (0x0004ea, "HP-Labs"),
    (0x748771, "Infoblox Inc"),
    (0xa42305, "Open Networking Lab"),
    (0x00049f, "Freescale"),
    (0x0015ad, "Netronome"),
    (0x001018, "Broadcom"),
    (0x00e004, "PMC-Sierra"),
    (0xd0f0db, "Ericsson"),
];

/// The transport protocol a port name belongs to (the services file keeps them apart).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PortProto {
    Tcp,
    Udp,
}

/// The name tables the printers consult without `-n` (addrtoname.c's caches), filled by the
/// caller before printing. An empty table names nothing: every address prints numerically and
/// an interface index prints `?`.
#[derive(Debug, Default, Clone)]
pub struct Names {
    hosts: HashMap<IpAddr, String>,
    tcp_ports: HashMap<u16, String>,
    udp_ports: HashMap<u16, String>,
    ethers: HashMap<[u8; 6], String>,
    interfaces: HashMap<u32, String>,
}

impl Names {
    /// Name `addr`, unless it already has a name (the first hosts-file line wins).
    pub fn add_host(&mut self, addr: IpAddr, name: &str) {
        self.hosts.entry(addr).or_insert_with(|| name.to_string());
    }

    /// Name a port, unless it already has a name (the first services-file entry wins, as in
    /// tcpdump's hash chains).
    pub fn add_port(&mut self, proto: PortProto, port: u16, name: &str) {
        self.ports_mut(proto)
            .entry(port)
            .or_insert_with(|| name.to_string());
    }

    /// Name an Ethernet address, unless it already has a name.
    pub fn add_ether(&mut self, mac: [u8; 6], name: &str) {
        self.ethers.entry(mac).or_insert_with(|| name.to_string());
    }

    /// Name the network interface with index `index`.
    pub fn add_interface(&mut self, index: u32, name: &str) {
        self.interfaces.insert(index, name.to_string());
    }

    /// The name of a host, if the table has one.
    pub fn host(&self, addr: IpAddr) -> Option<&str> {
        self.hosts.get(&addr).map(String::as_str)
    }

    /// The name of a port, if the table has one.
    pub fn port(&self, proto: PortProto, port: u16) -> Option<&str> {
        let table = match proto {
            PortProto::Tcp => &self.tcp_ports,
            PortProto::Udp => &self.udp_ports,
        };
        table.get(&port).map(String::as_str)
    }

    /// The name of an Ethernet address, if the table has one.
    pub fn ether(&self, mac: [u8; 6]) -> Option<&str> {
        self.ethers.get(&mac).map(String::as_str)
    }

    /// The name of an interface, if the table has one.
    pub fn interface(&self, index: u32) -> Option<&str> {
        self.interfaces.get(&index).map(String::as_str)
    }

    fn ports_mut(&mut self, proto: PortProto) -> &mut HashMap<u16, String> {
        match proto {
            PortProto::Tcp => &mut self.tcp_ports,
            PortProto::Udp => &mut self.udp_ports,
        }
    }
}

/// The text of `addr` the way tcpdump prints it: a host name without `-n`, else dotted quad
/// (IPv4) or tcpdump's `addrtostr6` form (IPv6).
/// (`ipaddr_string` and `ip6addr_string` in addrtoname.c.)
pub fn ipaddr_string(nd: &mut Nd<'_>, addr: IpAddr) -> String {
    if nd.opts.n == 0 {
        if let Some(name) = nd.names.host(addr) {
            return name.to_string();
        }
    }
    numeric_addr(addr)
}

/// Print an address as tcpdump's `GET_IPADDR_STRING`/`GET_IP6ADDR_STRING` would: numeric
/// with `-n`, else its name when `names` knows one (addrtoname.c).
/// Allocates nothing: it runs for every packet.
pub fn print_addr(nd: &mut Nd<'_>, addr: IpAddr) {
    if nd.opts.n == 0 {
        if let Some(name) = nd.names.host(addr) {
            nd.out.push_str(name);
            return;
        }
    }
    match addr {
        IpAddr::V4(a) => super::util::write_ipv4(nd.out, a.octets()),
        IpAddr::V6(a) => super::util::write_ip6_addr(nd.out, &a.octets()),
    }
}

/// Print `src > dst` for the packet's addresses.
pub fn print_src_dst(nd: &mut Nd<'_>, src: IpAddr, dst: IpAddr) {
    print_addr(nd, src);
    nd.print(" > ");
    print_addr(nd, dst);
}

/// The numeric text of an address (tcpdump's `intoa` and `addrtostr6`).
pub fn numeric_addr(addr: IpAddr) -> String {
    match addr {
        IpAddr::V4(a) => a.to_string(),
        IpAddr::V6(a) => ip6_numeric(a),
    }
}

/// The IPv4 address at `at` in `buf`, named (`GET_IPADDR_STRING`).
pub fn ipaddr_at(nd: &mut Nd<'_>, buf: &[u8], at: usize) -> super::PResult<String> {
    let a: [u8; 4] = super::get_array(buf, at)?;
    Ok(ipaddr_string(nd, IpAddr::V4(Ipv4Addr::from(a))))
}

/// The IPv4 address at `at` in `buf`, read before anything of its line is printed (the
/// read half of `GET_IPADDR_STRING`; print it with [`print_addr`]).
pub fn ip4_at(buf: &[u8], at: usize) -> super::PResult<IpAddr> {
    super::get_array::<4>(buf, at).map(|a| IpAddr::V4(Ipv4Addr::from(a)))
}

/// The IPv6 address at `at` in `buf` (the read half of `GET_IP6ADDR_STRING`).
pub fn ip6_at(buf: &[u8], at: usize) -> super::PResult<IpAddr> {
    super::get_array::<16>(buf, at).map(|a| IpAddr::V6(Ipv6Addr::from(a)))
}

/// The IPv6 address at `at` in `buf`, named (`GET_IP6ADDR_STRING`).
pub fn ip6addr_at(nd: &mut Nd<'_>, buf: &[u8], at: usize) -> super::PResult<String> {
    let a: [u8; 16] = super::get_array(buf, at)?;
    Ok(ipaddr_string(nd, IpAddr::V6(Ipv6Addr::from(a))))
}

/// Append `src.sport > dst.dport: ` (or `sport > dport: ` when the IPv6 printer already
/// printed the addresses) for a TCP (`tcp`) or UDP segment, as print-tcp.c and print-udp.c
/// print it, without allocating: this runs for every packet.
pub fn print_endpoints(nd: &mut Nd<'_>, ip: &super::IpCtx, sport: u16, dport: u16, tcp: bool) {
    let key = EndpointKey {
        src: ip.src,
        dst: ip.dst,
        ports: u32::from(sport) << 16 | u32::from(dport),
        tcp,
        ports_only: ip.after_ext_headers,
    };
    let Ok(()) = cached(
        nd,
        |s| &mut s.endpoints,
        key.hash(),
        key,
        |nd| {
            if ip.after_ext_headers {
                print_port(nd, sport, tcp);
                nd.print(" > ");
                print_port(nd, dport, tcp);
            } else {
                print_addr(nd, ip.src);
                nd.print(".");
                print_port(nd, sport, tcp);
                nd.print(" > ");
                print_addr(nd, ip.dst);
                nd.print(".");
                print_port(nd, dport, tcp);
            }
            nd.print(": ");
            Ok::<(), Infallible>(())
        },
    );
}

/// What the text of [`print_endpoints`] depends on besides the options and name tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EndpointKey {
    src: IpAddr,
    dst: IpAddr,
    ports: u32,
    tcp: bool,
    ports_only: bool,
}

impl EndpointKey {
    fn hash(&self) -> u64 {
        fn bits(a: IpAddr) -> u64 {
            match a {
                IpAddr::V4(a) => u64::from(a.to_bits()),
                IpAddr::V6(a) => {
                    let b = a.to_bits();
                    (b >> 64) as u64 ^ b as u64
                }
            }
        }
        bits(self.src)
            ^ bits(self.dst).rotate_left(32)
            ^ u64::from(self.ports).rotate_left(16)
            ^ u64::from(self.tcp)
    }
}

/// Append what `tcpport_string`/`udpport_string` give, without allocating.
fn print_port(nd: &mut Nd<'_>, port: u16, tcp: bool) {
    if nd.opts.n == 0 {
        if let Some(name) = nd.names.port(port_proto(tcp), port) {
            nd.out.push_str(name);
            return;
        }
    }
    super::util::write_u32(nd.out, u32::from(port));
}

/// A TCP port: its services-file name without `-n`, else the number.
pub fn tcpport_string(nd: &mut Nd<'_>, port: u16) -> String {
    port_string(nd, port, true)
}

/// A UDP port: its services-file name without `-n`, else the number.
pub fn udpport_string(nd: &mut Nd<'_>, port: u16) -> String {
    port_string(nd, port, false)
}

fn port_string(nd: &mut Nd<'_>, port: u16, tcp: bool) -> String {
    if nd.opts.n == 0 {
        if let Some(name) = nd.names.port(port_proto(tcp), port) {
            return name.to_string();
        }
    }
    port.to_string()
}

fn port_proto(tcp: bool) -> PortProto {
    if tcp {
        PortProto::Tcp
    } else {
        PortProto::Udp
    }
}

/// An Ethernet address: its ethers-file or built-in name without `-n`, else
/// `xx:xx:xx:xx:xx:xx`, followed without `-n` by ` (oui NAME)` (`etheraddr_string`).
pub fn etheraddr_string(nd: &mut Nd<'_>, mac: [u8; 6]) -> String {
    let mut s = mac_numeric(&mac);
    if nd.opts.n == 0 {
        if let Some(name) = nd.names.ether(mac) {
            return name.to_string();
        }
        if let Some((_, name)) = ETHERLIST.iter().find(|(m, _)| *m == mac) {
            return (*name).to_string();
        }
        let [a, b, c, ..] = mac;
        let oui = u32::from_be_bytes([0, a, b, c]);
        let _ = write!(s, " (oui {})", oui_name(oui).unwrap_or("Unknown"));
    }
    s
}

/// `etheraddr_string` written straight into the packet's text: no allocation when the
/// address prints as its six hex bytes (`-n`, or no name known).
pub fn write_etheraddr(nd: &mut Nd<'_>, mac: [u8; 6]) {
    if nd.opts.n == 0 {
        let s = etheraddr_string(nd, mac);
        nd.out.push_str(&s);
        return;
    }
    write_mac(nd.out, &mac);
}

/// Colon-separated lower-case hex bytes, `00:1a:2b`.
fn write_mac(out: &mut String, addr: &[u8]) {
    for (i, &b) in addr.iter().enumerate() {
        if i > 0 {
            out.push(':');
        }
        super::digits::write_hex_byte(out, b);
    }
}

/// The Ethernet address at `at` in `buf` (`GET_ETHERADDR_STRING`).
pub fn etheraddr_at(nd: &mut Nd<'_>, buf: &[u8], at: usize) -> super::PResult<String> {
    Ok(etheraddr_string(nd, super::get_array(buf, at)?))
}

/// A link-layer address of any length: Ethernet's form for 6 bytes, else colon-separated hex,
/// `<empty>` when empty (`linkaddr_string` with `LINKADDR_ETHER`).
pub fn linkaddr_string(nd: &mut Nd<'_>, addr: &[u8]) -> String {
    match <[u8; 6]>::try_from(addr) {
        Ok(mac) => etheraddr_string(nd, mac),
        Err(_) if addr.is_empty() => "<empty>".to_string(),
        Err(_) => mac_numeric(addr),
    }
}

/// A link-layer address of a type other than Ethernet: colon-separated hex, `<empty>` when
/// empty (`linkaddr_string` with `LINKADDR_ATM` and the like).
pub fn linkaddr_hex(addr: &[u8]) -> String {
    if addr.is_empty() {
        "<empty>".to_string()
    } else {
        mac_numeric(addr)
    }
}

/// A Frame Relay Q.922 address as ARP prints it: `DLCI N`, `<Invalid DLCI>` or `<Truncated>`
/// (print-fr.c `q922_string`); `<empty>` when empty.
pub fn q922_string(addr: &[u8]) -> String {
    const EA: u8 = 0x01;
    let Some((&b0, rest)) = addr.split_first() else {
        return "<empty>".to_string();
    };
    if b0 & EA != 0 {
        return "<Invalid DLCI>".to_string();
    }
    let Some((&b1, rest)) = rest.split_first() else {
        return "<Truncated>".to_string();
    };
    let mut dlci = (u32::from(b0 & 0xfc) << 2) | u32::from((b1 & 0xf0) >> 4);
    if b1 & EA != 0 {
        return format!("DLCI {dlci}");
    }
    let mut rest = rest;
    let Some(&b2) = rest.first() else {
        return "<Truncated>".to_string();
    };
    if b2 & EA == 0 {
        dlci = (dlci << 7) | u32::from(b2 >> 1);
        rest = rest.get(1..).unwrap_or(&[]);
    }
    match rest.first() {
        None => "<Truncated>".to_string(),
        Some(&b) if b & EA == 0 => "<Invalid DLCI>".to_string(),
        Some(&b) => format!("DLCI {}", (dlci << 6) | u32::from(b >> 2)),
    }
}

/// The name of an OUI (oui.c `oui_values`).
pub fn oui_name(oui: u32) -> Option<&'static str> {
    OUI_VALUES.iter().find(|(o, _)| *o == oui).map(|(_, n)| *n)
}

fn mac_numeric(addr: &[u8]) -> String {
    let mut s = String::with_capacity(addr.len() * 3);
    write_mac(&mut s, addr);
    s
}

/// tcpdump's `addrtostr6` (see `util::write_ip6_addr`).
pub fn ip6_numeric(addr: Ipv6Addr) -> String {
    let mut s = String::with_capacity(40);
    super::util::write_ip6_addr(&mut s, &addr.octets());
    s
}

/// The name of network interface `index` (`if_indextoname`), or `?` when the table has none
/// (print-sll.c `sll2_if_print`).
pub fn ifindex_name<'a>(nd: &Nd<'a>, index: u32) -> &'a str {
    nd.names.interface(index).unwrap_or("?")
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn v6(s: &str) -> String {
        ip6_numeric(s.parse().unwrap())
    }

    #[test]
    fn ip6_compression_follows_addrtostr6() {
        assert_eq!(v6("::1"), "::1");
        assert_eq!(v6("::"), "::");
        assert_eq!(v6("fe80::1"), "fe80::1");
        assert_eq!(v6("2001:db8:0:1:0:0:0:1"), "2001:db8:0:1::1");
        assert_eq!(v6("2001:db8:0:0:1:0:0:1"), "2001:db8::1:0:0:1");
        assert_eq!(v6("2001:db8:1:0:1:1:1:1"), "2001:db8:1:0:1:1:1:1");
        assert_eq!(v6("1::"), "1::");
        assert_eq!(v6("::ffff:1.2.3.4"), "::ffff:1.2.3.4");
        assert_eq!(v6("::1.2.3.4"), "::1.2.3.4");
    }

    #[test]
    fn mac_text() {
        assert_eq!(mac_numeric(&[0, 1, 0xab, 3, 4, 5]), "00:01:ab:03:04:05");
        assert_eq!(mac_numeric(&[]), "");
    }
}
