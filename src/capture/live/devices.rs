//! The interfaces a capture can open, listed as libpcap 1.10's `pcap_findalldevs` lists them
//! on Linux (`pcap.c`, `pcap-linux.c` at libpcap-1.10.3) for tcpdump's `-D`.
//!
//! Network interfaces come in `getifaddrs` order with their `IFF_UP`, `IFF_RUNNING` and
//! `IFF_LOOPBACK` flags; a wireless device (`/sys/class/net/NAME/wireless`, or a wireless
//! `ARPHRD_` type) is marked so, and the driver's link state (`ETHTOOL_GLINK`) says connected
//! or disconnected (not applicable to loopback, nor when the driver does not say). The `any`
//! pseudo-device follows. The list is ordered as libpcap's `add_dev` keeps it: by its
//! "figure of merit", running and up devices first, disconnected ones after, loopback after the
//! others and `any` just before loopback, ties in the order found.
//!
//! libpcap also lists capture sources that are not network interfaces (Bluetooth monitors,
//! `nflog`/`nfqueue`, D-Bus buses, `usbmon`); echolab does not capture on them and does not
//! list them.

use super::{sys, ANY_INTERFACE};

/// `PCAP_IF_LOOPBACK` and the other `pcap_if_t` flags (`pcap/pcap.h`).
pub const IF_LOOPBACK: u32 = 0x01;
pub const IF_UP: u32 = 0x02;
pub const IF_RUNNING: u32 = 0x04;
pub const IF_WIRELESS: u32 = 0x08;
pub const IF_CONNECTION_STATUS: u32 = 0x30;
pub const IF_CONNECTED: u32 = 0x10;
pub const IF_DISCONNECTED: u32 = 0x20;
pub const IF_NOT_APPLICABLE: u32 = 0x30;

/// libpcap's description of the `any` device.
const ANY_DESCRIPTION: &str = "Pseudo-device that captures on all interfaces";

/// One entry of the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Device {
    pub name: String,
    pub description: Option<String>,
    /// `PCAP_IF_*` flags.
    pub flags: u32,
}

impl Device {
    /// tcpdump's line for the device, without its number (`show_devices_and_exit` in
    /// `tcpdump.c` at tcpdump-4.99.3): `eth0 [Up, Running, Connected]`.
    pub fn line(&self) -> String {
        let mut out = self.name.clone();
        if let Some(d) = &self.description {
            out.push_str(&format!(" ({d})"));
        }
        if self.flags == 0 {
            return out;
        }
        let names = [
            (IF_UP, "Up"),
            (IF_RUNNING, "Running"),
            (IF_LOOPBACK, "Loopback"),
            (IF_WIRELESS, "Wireless"),
        ];
        let set: Vec<&str> = names
            .iter()
            .filter(|(bit, _)| self.flags & bit != 0)
            .map(|(_, name)| *name)
            .collect();
        let mut text = if set.is_empty() {
            "none".to_string()
        } else {
            set.join(", ")
        };
        let status = self.flags & IF_CONNECTION_STATUS;
        let said = match (self.flags & IF_WIRELESS != 0, status) {
            (_, IF_NOT_APPLICABLE) => "",
            (true, IF_CONNECTED) => ", Associated",
            (true, IF_DISCONNECTED) => ", Not associated",
            (true, _) => ", Association status unknown",
            (false, IF_CONNECTED) => ", Connected",
            (false, IF_DISCONNECTED) => ", Disconnected",
            (false, _) => ", Connection status unknown",
        };
        text.push_str(said);
        format!("{out} [{text}]")
    }

    /// libpcap's `get_figure_of_merit`: lower sorts first.
    fn merit(&self) -> u32 {
        let mut n = 0;
        if self.flags & IF_RUNNING == 0 {
            n |= 0x8000_0000;
        }
        if self.flags & IF_UP == 0 {
            n |= 0x4000_0000;
        }
        if self.flags & IF_WIRELESS == 0 && self.flags & IF_CONNECTION_STATUS == IF_DISCONNECTED {
            n |= 0x2000_0000;
        }
        if self.flags & IF_LOOPBACK != 0 {
            n |= 0x1000_0000;
        }
        if self.name == ANY_INTERFACE {
            n |= 0x0800_0000;
        }
        n
    }
}

/// The interfaces in libpcap's order, `any` among them.
pub fn list_devices() -> Vec<Device> {
    let mut devices: Vec<Device> = Vec::new();
    for i in pnet_datalink::interfaces() {
        let mut flags = 0;
        for (iff, bit) in [
            (libc::IFF_UP, IF_UP),
            (libc::IFF_RUNNING, IF_RUNNING),
            (libc::IFF_LOOPBACK, IF_LOOPBACK),
        ] {
            if i.flags & iff as u32 != 0 {
                flags |= bit;
            }
        }
        flags |= link_flags(&i.name, flags);
        add(
            &mut devices,
            Device {
                name: i.name,
                description: None,
                flags,
            },
        );
    }
    add(
        &mut devices,
        Device {
            name: ANY_INTERFACE.to_string(),
            description: Some(ANY_DESCRIPTION.to_string()),
            flags: IF_UP | IF_RUNNING | IF_NOT_APPLICABLE,
        },
    );
    devices
}

/// Insert before the first device of a worse figure of merit (`add_dev`).
fn add(devices: &mut Vec<Device>, dev: Device) {
    let merit = dev.merit();
    let at = devices
        .iter()
        .position(|d| d.merit() > merit)
        .unwrap_or(devices.len());
    devices.insert(at, dev);
}

/// libpcap's `get_if_flags`: wireless or not, connected or not.
fn link_flags(name: &str, flags: u32) -> u32 {
    if flags & IF_LOOPBACK != 0 {
        return IF_NOT_APPLICABLE;
    }
    let sys_dir = std::path::Path::new("/sys/class/net").join(name);
    let hatype = std::fs::read_to_string(sys_dir.join("type"))
        .ok()
        .and_then(|s| s.trim().parse::<u32>().ok());
    if hatype == Some(772) {
        // ARPHRD_LOOPBACK without IFF_LOOPBACK: libpcap leaves the status unknown.
        return 0;
    }
    // ARPHRD_IRDA, IEEE80211, IEEE80211_PRISM, IEEE80211_RADIOTAP, IEEE802154,
    // IEEE802154_MONITOR, 6LOWPAN.
    let wireless = sys_dir.join("wireless").exists()
        || sys_dir.join("phy80211").exists()
        || matches!(hatype, Some(783 | 801 | 802 | 803 | 804 | 805 | 825));
    let mut out = if wireless { IF_WIRELESS } else { 0 };
    match sys::ethtool_link(name) {
        Ok(true) => out |= IF_CONNECTED,
        Ok(false) => out |= IF_DISCONNECTED,
        Err(e) if matches!(e.raw_os_error(), Some(libc::EOPNOTSUPP | libc::EINVAL)) => {
            out |= IF_NOT_APPLICABLE;
        }
        Err(_) => {}
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dev(name: &str, flags: u32) -> Device {
        Device {
            name: name.into(),
            description: None,
            flags,
        }
    }

    #[test]
    fn lines_read_as_tcpdump_writes_them() {
        let eth = dev("eth0", IF_UP | IF_RUNNING | IF_CONNECTED);
        assert_eq!(eth.line(), "eth0 [Up, Running, Connected]");
        let lo = dev("lo", IF_UP | IF_RUNNING | IF_LOOPBACK | IF_NOT_APPLICABLE);
        assert_eq!(lo.line(), "lo [Up, Running, Loopback]");
        assert_eq!(dev("ifb0", IF_NOT_APPLICABLE).line(), "ifb0 [none]");
        assert_eq!(dev("x", 0).line(), "x");
        assert_eq!(
            dev("wl", IF_UP | IF_WIRELESS | IF_DISCONNECTED).line(),
            "wl [Up, Wireless, Not associated]"
        );
        assert_eq!(dev("d", IF_UP).line(), "d [Up, Connection status unknown]");
    }

    #[test]
    fn order_is_by_merit_then_as_found() {
        let mut v = Vec::new();
        for d in [
            dev("lo", IF_UP | IF_RUNNING | IF_LOOPBACK | IF_NOT_APPLICABLE),
            dev("ifb0", IF_NOT_APPLICABLE),
            dev("eth0", IF_UP | IF_RUNNING | IF_CONNECTED),
            dev("eth1", IF_UP | IF_RUNNING | IF_DISCONNECTED),
            dev("eth2", IF_UP | IF_RUNNING | IF_CONNECTED),
            dev(ANY_INTERFACE, IF_UP | IF_RUNNING | IF_NOT_APPLICABLE),
        ] {
            add(&mut v, d);
        }
        let names: Vec<&str> = v.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(names, ["eth0", "eth2", "any", "lo", "eth1", "ifb0"]);
    }
}
