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
//! Must not import `print`'s printers, only its `Names` table.

use std::net::IpAddr;

use super::print::{Names, PortProto, PrintOptions, Printer};

const HOSTS_FILE: &str = "/etc/hosts";
const SERVICES_FILE: &str = "/etc/services";
const ETHERS_FILE: &str = "/etc/ethers";
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
