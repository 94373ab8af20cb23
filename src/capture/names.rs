//! Loads the name tables the printers consult (`print::Names`) from this machine, before any
//! packet is printed, so the printers themselves stay free of I/O.
//!
//! Without `-n`, tcpdump asks the C library: `gethostbyaddr`, `getservent`, `ether_ntohost`.
//! echolab reads the files the C library's `files` source reads: `/etc/hosts` (the first line
//! carrying an address gives its canonical name), `/etc/services` (the first entry for a port
//! and protocol wins) and `/etc/ethers`. What differs: echolab sends no DNS queries and
//! consults no other NSS source (LDAP, NIS, mDNS), so an address known only to DNS prints
//! numerically where tcpdump would print the name DNS returns. Interface names (for Linux
//! cooked v2 headers, tcpdump's `if_indextoname`) come from `/sys/class/net`, read once.
//!
//! A missing or unreadable file is an empty table: names are a convenience, never an error.
//!
//! Filter expressions name things the other way round (`host NAME`, `port NAME`, `net NAME`,
//! `ether host NAME`): [`FilterNames`] looks them up as libpcap does, host names through the
//! C library's `getaddrinfo` (so `/etc/hosts`, then DNS), the rest in `/etc/services`,
//! `/etc/networks`, `/etc/ethers` and `/etc/protocols`.
//! Must not import `print`'s printers, only its `Names` table.

use std::net::{IpAddr, ToSocketAddrs};

use super::filter::Resolver;
use super::print::{Names, PortProto, PrintOptions, Printer};

const HOSTS_FILE: &str = "/etc/hosts";
const SERVICES_FILE: &str = "/etc/services";
const ETHERS_FILE: &str = "/etc/ethers";
const NETWORKS_FILE: &str = "/etc/networks";
const PROTOCOLS_FILE: &str = "/etc/protocols";
const NET_CLASS_DIR: &str = "/sys/class/net";

/// The tables a printer with `opts` needs: host, port and Ethernet names unless `-n` asks for
/// numbers (then those files are not read at all), and interface names always (print-sll.c
/// prints them even with `-n`).
pub fn load(opts: &PrintOptions) -> Names {
    let mut names = Names::default();
    if opts.n == 0 {
        parse_hosts(&read_text(HOSTS_FILE), &mut names);
        parse_services(&read_text(SERVICES_FILE), &mut names);
        parse_ethers(&read_text(ETHERS_FILE), &mut names);
    }
    load_interfaces(&mut names);
    names
}

/// A printer for `opts` with this machine's names ([`load`]).
pub fn printer(opts: PrintOptions) -> Printer {
    let names = load(&opts);
    Printer::with_names(opts, names)
}

/// `/etc/hosts`: address, canonical name, aliases; the first line for an address wins.
pub fn parse_hosts(text: &str, names: &mut Names) {
    for line in lines(text) {
        let mut words = line.split_whitespace();
        if let (Some(addr), Some(name)) = (words.next(), words.next()) {
            if let Ok(addr) = addr.parse::<IpAddr>() {
                names.add_host(addr, name);
            }
        }
    }
}

/// `/etc/services`: `name port/proto aliases`; the first entry for a port and protocol wins.
pub fn parse_services(text: &str, names: &mut Names) {
    for line in lines(text) {
        let mut words = line.split_whitespace();
        let (Some(name), Some(pp)) = (words.next(), words.next()) else {
            continue;
        };
        let Some((port, proto)) = pp.split_once('/') else {
            continue;
        };
        let Ok(port) = port.parse::<u16>() else {
            continue;
        };
        let proto = match proto {
            "tcp" => PortProto::Tcp,
            "udp" => PortProto::Udp,
            _ => continue,
        };
        names.add_port(proto, port, name);
    }
}

/// `/etc/ethers`: `xx:xx:xx:xx:xx:xx name`.
pub fn parse_ethers(text: &str, names: &mut Names) {
    for line in lines(text) {
        let mut words = line.split_whitespace();
        let (Some(mac), Some(name)) = (words.next(), words.next()) else {
            continue;
        };
        if let Some(mac) = parse_mac(mac) {
            names.add_ether(mac, name);
        }
    }
}

/// Six colon-separated hex bytes.
fn parse_mac(text: &str) -> Option<[u8; 6]> {
    let mut mac = [0u8; 6];
    let mut parts = text.split(':');
    for b in &mut mac {
        *b = u8::from_str_radix(parts.next()?, 16).ok()?;
    }
    parts.next().is_none().then_some(mac)
}

/// The names a filter expression may use, read from this machine when a name is looked up
/// (an expression without names reads nothing).
pub struct FilterNames;

impl Resolver for FilterNames {
    /// `getaddrinfo(NAME)` for a stream socket, as libpcap's `pcap_nametoaddrinfo` asks.
    fn host(&self, name: &str) -> Vec<IpAddr> {
        match (name, 0).to_socket_addrs() {
            Ok(addrs) => addrs.map(|a| a.ip()).collect(),
            Err(_) => Vec::new(),
        }
    }

    fn service(&self, name: &str) -> (Option<u16>, Option<u16>) {
        find_service(&read_text(SERVICES_FILE), name)
    }

    fn network(&self, name: &str) -> Option<u32> {
        find_network(&read_text(NETWORKS_FILE), name)
    }

    fn ether(&self, name: &str) -> Option<[u8; 6]> {
        find_ether(&read_text(ETHERS_FILE), name)
    }

    fn protocol(&self, name: &str) -> Option<u32> {
        find_protocol(&read_text(PROTOCOLS_FILE), name)
    }
}

/// An IP protocol's number in `/etc/protocols` (`name number aliases`), by name or alias.
pub fn find_protocol(text: &str, name: &str) -> Option<u32> {
    lines(text).find_map(|line| {
        let mut words = line.split_whitespace();
        let (first, number) = (words.next()?, words.next()?);
        if first == name || words.any(|w| w == name) {
            number.parse().ok()
        } else {
            None
        }
    })
}

/// A service's TCP and UDP ports in `/etc/services`: the first line naming it (by name or
/// alias) for each protocol, as `getservbyname` finds it.
pub fn find_service(text: &str, name: &str) -> (Option<u16>, Option<u16>) {
    let (mut tcp, mut udp) = (None, None);
    for line in lines(text) {
        let mut words = line.split_whitespace();
        let (Some(first), Some(pp)) = (words.next(), words.next()) else {
            continue;
        };
        if first != name && !words.any(|w| w == name) {
            continue;
        }
        let Some((port, proto)) = pp.split_once('/') else {
            continue;
        };
        let Ok(port) = port.parse::<u16>() else {
            continue;
        };
        match proto {
            "tcp" => tcp = tcp.or(Some(port)),
            "udp" => udp = udp.or(Some(port)),
            _ => {}
        }
    }
    (tcp, udp)
}

/// A network's number in `/etc/networks` (`name number aliases`), as `getnetbyname` and
/// `inet_network` give it: `127.0.0.0` is 0x7f000000, `10` is 10.
pub fn find_network(text: &str, name: &str) -> Option<u32> {
    lines(text).find_map(|line| {
        let mut words = line.split_whitespace();
        let (first, number) = (words.next()?, words.next()?);
        (first == name || words.any(|w| w == name)).then(|| inet_network(number))?
    })
}

/// `inet_network`: up to four dot-separated parts (decimal, `0x` hex or `0` octal), each a
/// byte, the last in the lowest bits.
fn inet_network(text: &str) -> Option<u32> {
    let mut v: u32 = 0;
    for (i, part) in text.split('.').enumerate() {
        if i >= 4 {
            return None;
        }
        let n = if let Some(h) = part.strip_prefix("0x").or(part.strip_prefix("0X")) {
            u32::from_str_radix(h, 16).ok()?
        } else if part.len() > 1 && part.starts_with('0') {
            u32::from_str_radix(part.get(1..)?, 8).ok()?
        } else {
            part.parse().ok()?
        };
        if n > 255 {
            return None;
        }
        v = (v << 8) | n;
    }
    Some(v)
}

/// An Ethernet host's address in `/etc/ethers`, the first line naming it.
pub fn find_ether(text: &str, name: &str) -> Option<[u8; 6]> {
    lines(text).find_map(|line| {
        let mut words = line.split_whitespace();
        let (mac, host) = (words.next()?, words.next()?);
        if host == name {
            parse_mac(mac)
        } else {
            None
        }
    })
}

/// Each interface in `/sys/class/net` with its `ifindex`.
fn load_interfaces(names: &mut Names) {
    let Ok(dir) = std::fs::read_dir(NET_CLASS_DIR) else {
        return;
    };
    for entry in dir.flatten() {
        let idx = std::fs::read_to_string(entry.path().join("ifindex")).unwrap_or_default();
        if let Ok(idx) = idx.trim().parse::<u32>() {
            names.add_interface(idx, &entry.file_name().to_string_lossy());
        }
    }
}

fn read_text(path: &str) -> String {
    std::fs::read(path)
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .unwrap_or_default()
}

/// The lines of a configuration file, each without its `#` comment.
fn lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
        .map(|l| l.split('#').next().unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::Ipv4Addr;

    #[test]
    fn first_hosts_line_for_an_address_wins() {
        let mut names = Names::default();
        parse_hosts(
            "# comment\n127.0.0.1 localhost lh\n127.0.0.1 other\n::1 ip6-localhost # x\nbad line\n",
            &mut names,
        );
        assert_eq!(
            names.host(IpAddr::V4(Ipv4Addr::LOCALHOST)),
            Some("localhost")
        );
        assert_eq!(
            names.host("::1".parse().expect("literal")),
            Some("ip6-localhost")
        );
        assert_eq!(names.host(IpAddr::V4(Ipv4Addr::new(10, 0, 0, 1))), None);
    }

    #[test]
    fn services_are_kept_per_protocol() {
        let mut names = Names::default();
        parse_services(
            "http 80/tcp www # web\nhttp-alt 80/tcp\ndomain 53/udp\nddp 2/ddp\nx y/tcp\n",
            &mut names,
        );
        assert_eq!(names.port(PortProto::Tcp, 80), Some("http"));
        assert_eq!(names.port(PortProto::Udp, 80), None);
        assert_eq!(names.port(PortProto::Udp, 53), Some("domain"));
        assert_eq!(names.port(PortProto::Tcp, 2), None);
    }

    #[test]
    fn ethers_need_six_hex_bytes() {
        let mut names = Names::default();
        parse_ethers(
            "00:11:22:aa:bb:cc router\n00:11:22:aa:bb gw\n00:11:22:aa:bb:cc:dd long\n",
            &mut names,
        );
        assert_eq!(
            names.ether([0x00, 0x11, 0x22, 0xaa, 0xbb, 0xcc]),
            Some("router")
        );
        assert_eq!(parse_mac("00:11:22:aa:bb"), None);
        assert_eq!(parse_mac("00:11:22:aa:bb:cc:dd"), None);
    }

    #[test]
    fn filter_names_are_found_by_name_or_alias() {
        let services = "http 80/tcp www\nntp 123/udp\ndomain 53/tcp\ndomain 53/udp\n\
                        other 81/tcp www\n";
        assert_eq!(find_service(services, "www"), (Some(80), None));
        assert_eq!(find_service(services, "ntp"), (None, Some(123)));
        assert_eq!(find_service(services, "domain"), (Some(53), Some(53)));
        assert_eq!(find_service(services, "nope"), (None, None));
        let networks = "default 0.0.0.0\nloopback 127.0.0.0 lo-net\nten 10\nbad 1.2.3.4.5\n";
        assert_eq!(find_network(networks, "lo-net"), Some(0x7f00_0000));
        assert_eq!(find_network(networks, "ten"), Some(10));
        assert_eq!(find_network(networks, "default"), Some(0));
        assert_eq!(find_network(networks, "bad"), None);
        let protocols = "tcp 6 TCP\nospf 89 OSPFIGP # OSPF\n";
        assert_eq!(find_protocol(protocols, "OSPFIGP"), Some(89));
        assert_eq!(find_protocol(protocols, "OSPF"), None);
        let ethers = "0:1:2:3:4:5 gw # router\n";
        assert_eq!(find_ether(ethers, "gw"), Some([0, 1, 2, 3, 4, 5]));
        assert_eq!(find_ether(ethers, "router"), None);
    }

    #[test]
    fn numeric_options_read_no_name_files() {
        let opts = PrintOptions {
            n: 1,
            ..PrintOptions::default()
        };
        let names = load(&opts);
        assert_eq!(names.host(IpAddr::V4(Ipv4Addr::LOCALHOST)), None);
    }

    #[test]
    fn loopback_interface_is_named() {
        let names = load(&PrintOptions {
            n: 1,
            ..PrintOptions::default()
        });
        assert_eq!(names.interface(1), Some("lo"), "ifindex 1 is lo on Linux");
    }
}
