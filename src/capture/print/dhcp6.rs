//! DHCPv6 (RFC 8415 and the option RFCs tcpdump names), mirroring print-dhcp6.c at
//! tcpdump-4.99.3: client/server and relay messages, with every option tcpdump decodes.
//!
//! Must not do I/O: it only reads the captured bytes.

use std::net::{IpAddr, Ipv6Addr};

use super::domain::fqdn_print;
use super::names::print_addr;
use super::util::fn_print_char;
use super::util::print_trunc;
use super::{get_array, get_be_u16, get_be_u32, get_u8, ttest, Nd, PResult};

/// Field offsets (print-dhcp6.c `struct dhcp6`, `struct dhcp6_relay`).
mod field {
    pub const MSGTYPE: usize = 0;
    pub const XID: usize = 0;
    pub const OPTIONS: usize = 4;
    pub const LINKADDR: usize = 2;
    pub const PEERADDR: usize = 18;
    pub const RELAY_OPTIONS: usize = 34;
}

const RENEW: u8 = 5;
const INFORM_REQ: u8 = 11;
const RELAY_FORW: u8 = 12;
const RELAY_REPLY: u8 = 13;

/// Message type names (print-dhcp6.c `dh6_msgtype_str`).
fn msgtype_name(t: u8) -> Option<&'static str> {
    Some(match t {
        1 => "solicit",
        2 => "advertise",
        3 => "request",
        4 => "confirm",
        5 => "renew",
        6 => "rebind",
        7 => "reply",
        8 => "release",
        9 => "decline",
        10 => "reconfigure",
        11 => "inf-req",
        12 => "relay-fwd",
        13 => "relay-reply",
        14 => "leasequery",
        15 => "leasequery-reply",
        _ => return None,
    })
}

/// Option codes (print-dhcp6.c `DH6OPT_*`).
mod opt {
    pub const CLIENTID: u16 = 1;
    pub const SERVERID: u16 = 2;
    pub const IA_NA: u16 = 3;
    pub const IA_TA: u16 = 4;
    pub const IA_ADDR: u16 = 5;
    pub const ORO: u16 = 6;
    pub const PREFERENCE: u16 = 7;
    pub const ELAPSED_TIME: u16 = 8;
    pub const RELAY_MSG: u16 = 9;
    pub const AUTH: u16 = 11;
    pub const STATUS_CODE: u16 = 13;
    pub const RAPID_COMMIT: u16 = 14;
    pub const INTERFACE_ID: u16 = 18;
    pub const RECONF_MSG: u16 = 19;
    pub const RECONF_ACCEPT: u16 = 20;
    pub const SIP_SERVER_D: u16 = 21;
    pub const SIP_SERVER_A: u16 = 22;
    pub const DNS_SERVERS: u16 = 23;
    pub const DOMAIN_LIST: u16 = 24;
    pub const IA_PD: u16 = 25;
    pub const IA_PD_PREFIX: u16 = 26;
    pub const NIS_SERVERS: u16 = 27;
    pub const NISP_SERVERS: u16 = 28;
    pub const SNTP_SERVERS: u16 = 31;
    pub const LIFETIME: u16 = 32;
    pub const BCMCS_SERVER_A: u16 = 34;
    pub const REMOTE_ID: u16 = 37;
    pub const SUBSCRIBER_ID: u16 = 38;
    pub const PANA_AGENT: u16 = 40;
    pub const NEW_POSIX_TIMEZONE: u16 = 41;
    pub const NEW_TZDB_TIMEZONE: u16 = 42;
    pub const ERO: u16 = 43;
    pub const LQ_QUERY: u16 = 44;
    pub const CLIENT_DATA: u16 = 45;
    pub const CLT_TIME: u16 = 46;
    pub const LQ_RELAY_DATA: u16 = 47;
    pub const LQ_CLIENT_LINK: u16 = 48;
    pub const NTP_SERVER: u16 = 56;
    pub const AFTR_NAME: u16 = 64;
    pub const MUDURL: u16 = 112;
}

/// Option names (print-dhcp6.c `dh6opt_str`).
fn opt_name(t: u16) -> Option<&'static str> {
    Some(match t {
        1 => "client-ID",
        2 => "server-ID",
        3 => "IA_NA",
        4 => "IA_TA",
        5 => "IA_ADDR",
        6 => "option-request",
        7 => "preference",
        8 => "elapsed-time",
        9 => "relay-message",
        11 => "authentication",
        12 => "server-unicast",
        13 => "status-code",
        14 => "rapid-commit",
        15 => "user-class",
        16 => "vendor-class",
        17 => "vendor-specific-info",
        18 => "interface-ID",
        19 => "reconfigure-message",
        20 => "reconfigure-accept",
        21 => "SIP-servers-domain",
        22 => "SIP-servers-address",
        23 => "DNS-server",
        24 => "DNS-search-list",
        25 => "IA_PD",
        26 => "IA_PD-prefix",
        31 => "SNTP-servers",
        32 => "lifetime",
        27 => "NIS-server",
        28 => "NIS+-server",
        29 => "NIS-domain-name",
        30 => "NIS+-domain-name",
        33 => "BCMCS-domain-name",
        34 => "BCMCS-server",
        36 => "Geoconf-Civic",
        37 => "Remote-ID",
        38 => "Subscriber-ID",
        39 => "Client-FQDN",
        40 => "PANA-agent",
        41 => "POSIX-timezone",
        42 => "POSIX-tz-database",
        43 => "Echo-request-option",
        44 => "Lease-query",
        45 => "LQ-client-data",
        46 => "Clt-time",
        47 => "LQ-relay-data",
        48 => "LQ-client-link",
        56 => "NTP-server",
        64 => "AFTR-Name",
        112 => "MUD-URL",
        _ => return None,
    })
}

/// Status code names (print-dhcp6.c `dh6opt_stcode_str`; RFC 3315, 3633, 5007).
fn stcode_name(code: u16) -> Option<&'static str> {
    Some(match code {
        0 => "Success",
        1 => "UnspecFail",
        2 => "NoAddrsAvail",
        3 => "NoBinding",
        4 => "NotOnLink",
        5 => "UseMulticast",
        6 => "NoPrefixAvail",
        7 => "UnknownQueryType",
        8 => "MalformedQuery",
        9 => "NotConfigured",
        10 => "NotAllowed",
        _ => return None,
    })
}

/// `tok2str(dh6opt_str, "opt_%u", t)`.
fn print_opt_name(nd: &mut Nd<'_>, t: u16) {
    match opt_name(t) {
        Some(s) => nd.print(s),
        None => {
            nd.print("opt_");
            nd.print_dec(t);
        }
    }
}

/// Print the DHCPv6 message at `data` (what was captured of it); `length` is its length
/// (print-dhcp6.c `dhcp6_print`).
pub fn print(nd: &mut Nd<'_>, data: &[u8], length: u32) -> PResult {
    nd.protocol = "dhcp6";
    nd.print("dhcp6");
    let ep = data.len().min(length as usize);
    if !ttest(data, field::XID, 4) {
        return trunc(nd);
    }
    let msgtype = get_u8(data, field::MSGTYPE)?;
    nd.print(" ");
    match msgtype_name(msgtype) {
        Some(s) => nd.print(s),
        None => {
            nd.print("msgtype-");
            nd.print_dec(msgtype);
        }
    }
    if nd.opts.v == 0 {
        return Ok(());
    }
    nd.print(" (");
    if msgtype != RELAY_FORW && msgtype != RELAY_REPLY {
        let xid = get_be_u32(data, field::XID)? & 0x00ff_ffff;
        nd.print("xid=");
        nd.print_hex(xid, 0);
        options_print(nd, data, field::OPTIONS, ep)?;
    } else {
        print_ip6(nd, "linkaddr=", data, field::LINKADDR)?;
        print_ip6(nd, " peeraddr=", data, field::PEERADDR)?;
        options_print(nd, data, field::RELAY_OPTIONS, ep)?;
    }
    nd.print(")");
    Ok(())
}

/// ` [|dhcp6]` where print-dhcp6.c jumps to its local `trunc:` label and returns normally.
fn trunc(nd: &mut Nd<'_>) -> PResult {
    print_trunc(nd);
    Ok(())
}

/// `prefix` and the IPv6 address at `at` (`ND_PRINT("prefix%s", GET_IP6ADDR_STRING())`:
/// nothing at all when the address was not captured, as C evaluates it first).
fn print_ip6(nd: &mut Nd<'_>, prefix: &str, data: &[u8], at: usize) -> PResult {
    let a = get_array::<16>(data, at)?;
    nd.print(prefix);
    print_addr(nd, IpAddr::V6(Ipv6Addr::from(a)));
    Ok(())
}

/// `%02x` of each byte in `from..to`.
fn hex_print(nd: &mut Nd<'_>, data: &[u8], from: usize, to: usize) -> PResult {
    for at in from..to {
        nd.print_hex(get_u8(data, at)?, 2);
    }
    Ok(())
}

/// Up to `n` bytes of text, stopping at a NUL (util-print.c `nd_printjnp`).
fn printjnp(nd: &mut Nd<'_>, data: &[u8], at: usize, n: usize) -> PResult {
    for k in 0..n {
        let c = get_u8(data, at + k)?;
        if c == 0 {
            break;
        }
        fn_print_char(nd, c);
    }
    Ok(())
}

/// The options from `cp` to `ep` (print-dhcp6.c `dhcp6opt_print`).
fn options_print(nd: &mut Nd<'_>, data: &[u8], mut cp: usize, ep: usize) -> PResult {
    while cp < ep {
        if ep < cp + 4 || !ttest(data, cp, 4) {
            return trunc(nd);
        }
        let optlen = usize::from(get_be_u16(data, cp + 2)?);
        let end = cp + 4 + optlen;
        if ep < end {
            return trunc(nd);
        }
        let opttype = get_be_u16(data, cp)?;
        nd.print(" (");
        print_opt_name(nd, opttype);
        if !ttest(data, cp + 4, optlen) {
            return trunc(nd);
        }
        if !option_print(nd, data, opttype, cp + 4, optlen)? {
            return trunc(nd);
        }
        cp = end;
    }
    Ok(())
}

/// The options that hold a list of IPv6 addresses (print-dhcp6.c prints each).
const ADDRESS_LISTS: [u16; 8] = [
    opt::SIP_SERVER_A,
    opt::DNS_SERVERS,
    opt::SNTP_SERVERS,
    opt::NIS_SERVERS,
    opt::NISP_SERVERS,
    opt::BCMCS_SERVER_A,
    opt::PANA_AGENT,
    opt::LQ_CLIENT_LINK,
];

/// One option's value of `optlen` bytes at `tp`, with its closing parenthesis: `Ok(false)`
/// where print-dhcp6.c jumps to `trunc:`.
fn option_print(nd: &mut Nd<'_>, data: &[u8], t: u16, tp: usize, optlen: usize) -> PResult<bool> {
    let end = tp + optlen;
    // The minimum (or exact) lengths: shorter (or other) prints ` ?)`.
    let bad = match t {
        opt::CLIENTID | opt::SERVERID | opt::STATUS_CODE => optlen < 2,
        opt::IA_ADDR => optlen < 24,
        opt::ORO | opt::ERO => optlen % 2 != 0,
        opt::PREFERENCE | opt::RECONF_MSG => optlen != 1,
        opt::ELAPSED_TIME => optlen != 2,
        opt::AUTH => optlen < 11,
        t if ADDRESS_LISTS.contains(&t) => optlen % 16 != 0,
        opt::IA_NA | opt::IA_PD => optlen < 12,
        opt::IA_TA | opt::REMOTE_ID | opt::NTP_SERVER => optlen < 4,
        opt::IA_PD_PREFIX => optlen < 25,
        opt::LIFETIME | opt::CLT_TIME => optlen != 4,
        opt::LQ_QUERY => optlen < 17,
        opt::LQ_RELAY_DATA => optlen < 16,
        opt::AFTR_NAME => optlen < 3,
        opt::NEW_POSIX_TIMEZONE | opt::NEW_TZDB_TIMEZONE | opt::MUDURL => optlen < 5,
        _ => false,
    };
    if bad {
        nd.print(" ?)");
        return Ok(true);
    }
    match t {
        opt::CLIENTID | opt::SERVERID => duid_print(nd, data, tp, optlen)?,
        opt::IA_ADDR => {
            print_ip6(nd, " ", data, tp)?;
            let (pl, vl) = (get_be_u32(data, tp + 16)?, get_be_u32(data, tp + 20)?);
            nd.print(" pltime:");
            nd.print_dec(pl);
            nd.print(" vltime:");
            nd.print_dec(vl);
            sub_options(nd, data, tp + 24, end)?;
            nd.print(")");
        }
        opt::ORO | opt::ERO => {
            for at in (tp..end).step_by(2) {
                nd.print(" ");
                print_opt_name(nd, get_be_u16(data, at)?);
            }
            nd.print(")");
        }
        opt::PREFERENCE => {
            let v0 = get_u8(data, tp)?;
            nd.print(" ");
            nd.print_dec(v0);
            nd.print(")");
        }
        opt::ELAPSED_TIME => {
            let v0 = get_be_u16(data, tp)?;
            nd.print(" ");
            nd.print_dec(v0);
            nd.print(")");
        }
        opt::LIFETIME | opt::CLT_TIME => {
            let v0 = get_be_u32(data, tp)?;
            nd.print(" ");
            nd.print_dec(v0);
            nd.print(")");
        }
        opt::RELAY_MSG => {
            nd.print(" (");
            // print-dhcp6.c moves the snapshot end to the option's end for the nested message.
            let inner = data.get(tp..end.min(data.len())).unwrap_or(&[]);
            print(nd, inner, optlen as u32)?;
            nd.print(")");
        }
        opt::AUTH => auth_print(nd, data, tp, optlen)?,
        opt::INTERFACE_ID | opt::SUBSCRIBER_ID => {
            nd.print(" ");
            hex_print(nd, data, tp, tp + optlen.min(10))?;
            nd.print("...)");
        }
        opt::RECONF_MSG => match get_u8(data, tp)? {
            RENEW => nd.print(" for renew)"),
            INFORM_REQ => nd.print(" for inf-req)"),
            other => {
                nd.print(" for ???(");
                nd.print_hex(other, 2);
                nd.print("))");
            }
        },
        t if ADDRESS_LISTS.contains(&t) => {
            for at in (tp..end).step_by(16) {
                print_ip6(nd, " ", data, at)?;
            }
            nd.print(")");
        }
        opt::SIP_SERVER_D | opt::DOMAIN_LIST => {
            let mut at = tp;
            while at < end {
                nd.print(" ");
                match fqdn_print(nd, data, at, end)? {
                    Some(next) => at = next,
                    None => return Ok(false),
                }
            }
            nd.print(")");
        }
        opt::STATUS_CODE => {
            let code = get_be_u16(data, tp)?;
            match (code > 255, stcode_name(code)) {
                (true, _) => nd.print(" INVALID code)"),
                (false, Some(s)) => {
                    nd.print(" ");
                    nd.print(s);
                    nd.print(")");
                }
                (false, None) => {
                    nd.print(" code");
                    nd.print_dec(code);
                    nd.print(")");
                }
            }
        }
        opt::IA_NA | opt::IA_PD => {
            let iaid = get_be_u32(data, tp)?;
            let (t1, t2) = (get_be_u32(data, tp + 4)?, get_be_u32(data, tp + 8)?);
            nd.print(" IAID:");
            nd.print_dec(iaid);
            nd.print(" T1:");
            nd.print_dec(t1);
            nd.print(" T2:");
            nd.print_dec(t2);
            sub_options(nd, data, tp + 12, end)?;
            nd.print(")");
        }
        opt::IA_TA => {
            {
                let v0 = get_be_u32(data, tp)?;
                nd.print(" IAID:");
                nd.print_dec(v0);
            };
            sub_options(nd, data, tp + 4, end)?;
            nd.print(")");
        }
        opt::IA_PD_PREFIX => {
            print_ip6(nd, " ", data, tp + 9)?;
            {
                let v0 = get_u8(data, tp + 8)?;
                nd.print("/");
                nd.print_dec(v0);
            };
            let (pl, vl) = (get_be_u32(data, tp)?, get_be_u32(data, tp + 4)?);
            nd.print(" pltime:");
            nd.print_dec(pl);
            nd.print(" vltime:");
            nd.print_dec(vl);
            sub_options(nd, data, tp + 25, end)?;
            nd.print(")");
        }
        opt::REMOTE_ID => {
            {
                let v0 = get_be_u32(data, tp)?;
                nd.print(" ");
                nd.print_dec(v0);
                nd.print(" ");
            };
            hex_print(nd, data, tp + 4, tp + optlen.min(14))?;
            nd.print("...)");
        }
        opt::LQ_QUERY => {
            match get_u8(data, tp)? {
                1 => nd.print(" by-address"),
                2 => nd.print(" by-clientID"),
                other => {
                    nd.print(" type_");
                    nd.print_dec(other);
                }
            }
            print_ip6(nd, " ", data, tp + 1)?;
            sub_options(nd, data, tp + 17, end)?;
            nd.print(")");
        }
        opt::CLIENT_DATA => {
            sub_options(nd, data, tp, end)?;
            nd.print(")");
        }
        opt::LQ_RELAY_DATA => {
            print_ip6(nd, " ", data, tp)?;
            nd.print(" ");
            hex_print(nd, data, tp + 16, tp + optlen.min(26))?;
            nd.print("...)");
        }
        opt::NTP_SERVER => return ntp_server_print(nd, data, tp, end),
        opt::AFTR_NAME => aftr_name_print(nd, data, tp, optlen)?,
        opt::NEW_POSIX_TIMEZONE | opt::NEW_TZDB_TIMEZONE | opt::MUDURL => {
            nd.print(" ");
            printjnp(nd, data, tp, optlen)?;
            nd.print(")");
        }
        opt::RAPID_COMMIT | opt::RECONF_ACCEPT => nd.print(")"),
        // Every option tcpdump does not decode.
        _ => nd.print(")"),
    }
    Ok(true)
}

/// Options inside an option, from `from` to `end` when there are any.
fn sub_options(nd: &mut Nd<'_>, data: &[u8], from: usize, end: usize) -> PResult {
    if from < end {
        options_print(nd, data, from, end)?;
    }
    Ok(())
}

/// The client or server DUID (RFC 8415 section 11): link-layer address plus time, vendor
/// enterprise number, or link-layer address.
fn duid_print(nd: &mut Nd<'_>, data: &[u8], tp: usize, optlen: usize) -> PResult {
    let end = tp + optlen;
    match get_be_u16(data, tp)? {
        1 if optlen >= 2 + 6 => {
            let (htype, time) = (get_be_u16(data, tp + 2)?, get_be_u32(data, tp + 4)?);
            nd.print(" hwaddr/time type ");
            nd.print_dec(htype);
            nd.print(" time ");
            nd.print_dec(time);
            nd.print(" ");
            hex_print(nd, data, tp + 8, end)?;
            nd.print(")");
        }
        2 if optlen >= 2 + 8 => {
            nd.print(" vid ");
            hex_print(nd, data, tp + 2, tp + 10)?;
            nd.print(")");
        }
        3 if optlen >= 2 + 2 => {
            {
                let v0 = get_be_u16(data, tp + 2)?;
                nd.print(" hwaddr type ");
                nd.print_dec(v0);
                nd.print(" ");
            };
            hex_print(nd, data, tp + 4, end)?;
            nd.print(")");
        }
        1..=3 => nd.print(" ?)"),
        other => {
            nd.print(" type ");
            nd.print_dec(other);
            nd.print(")");
        }
    }
    Ok(())
}

/// The authentication option (RFC 8415 section 21.11).
fn auth_print(nd: &mut Nd<'_>, data: &[u8], mut tp: usize, optlen: usize) -> PResult {
    let proto = get_u8(data, tp)?;
    match proto {
        2 => nd.print(" proto: delayed"),
        3 => nd.print(" proto: reconfigure"),
        p => {
            nd.print(" proto: ");
            nd.print_dec(p);
        }
    }
    match get_u8(data, tp + 1)? {
        1 => nd.print(", alg: HMAC-MD5"),
        a => {
            nd.print(", alg: ");
            nd.print_dec(a);
        }
    }
    match get_u8(data, tp + 2)? {
        0 => nd.print(", RDM: mono"),
        r => {
            nd.print(", RDM: ");
            nd.print_dec(r);
        }
    }
    tp += 3;
    nd.print(", RD:");
    for _ in 0..4 {
        {
            let v0 = get_be_u16(data, tp)?;
            nd.print(" ");
            nd.print_hex(v0, 4);
        };
        tp += 2;
    }
    let infolen = optlen - 11;
    match proto {
        2 if infolen == 0 => {}
        2 if infolen < 20 => nd.print(" ??"),
        2 => {
            let realmlen = infolen - 20;
            if realmlen > 0 {
                nd.print(", realm: ");
            }
            hex_print(nd, data, tp, tp + realmlen)?;
            tp += realmlen;
            {
                let v0 = get_be_u32(data, tp)?;
                nd.print(", key ID: ");
                nd.print_hex(v0, 8);
            };
            tp += 4;
            nd.print(", HMAC-MD5:");
            words_print(nd, data, tp)?;
        }
        3 if infolen != 17 => nd.print(" ??"),
        3 => {
            match get_u8(data, tp)? {
                1 => nd.print(" reconfig-key"),
                2 => nd.print(" type: HMAC-MD5"),
                _ => nd.print(" type: ??"),
            }
            nd.print(" value:");
            words_print(nd, data, tp + 1)?;
        }
        _ => nd.print(" ??"),
    }
    nd.print(")");
    Ok(())
}

/// Four 32-bit words in hex, each after a space.
fn words_print(nd: &mut Nd<'_>, data: &[u8], tp: usize) -> PResult {
    for k in 0..4 {
        {
            let v0 = get_be_u32(data, tp + 4 * k)?;
            nd.print(" ");
            nd.print_hex(v0, 8);
        };
    }
    Ok(())
}

/// The NTP server option (RFC 5908): its sub-options.
fn ntp_server_print(nd: &mut Nd<'_>, data: &[u8], mut tp: usize, end: usize) -> PResult<bool> {
    while tp < end - 4 {
        let code = get_be_u16(data, tp)?;
        let sublen = usize::from(get_be_u16(data, tp + 2)?);
        tp += 4;
        if tp + sublen > end {
            return Ok(false);
        }
        nd.print(" subopt:");
        nd.print_dec(code);
        match code {
            1 | 2 if sublen == 16 => {
                print_ip6(nd, " ", data, tp)?;
            }
            3 => {
                nd.print(" ");
                if fqdn_print(nd, data, tp, tp + sublen)?.is_none() {
                    return Ok(false);
                }
            }
            _ => nd.print(" ?"),
        }
        tp += sublen;
    }
    nd.print(")");
    Ok(true)
}

/// The AFTR name (RFC 6334): uncompressed labels (RFC 1035 section 3.1).
fn aftr_name_print(nd: &mut Nd<'_>, data: &[u8], mut tp: usize, optlen: usize) -> PResult {
    let mut remain = optlen;
    nd.print(" ");
    while remain > 0 && get_u8(data, tp)? != 0 {
        let label = usize::from(get_u8(data, tp)?);
        tp += 1;
        if label < remain - 1 {
            printjnp(nd, data, tp, label)?;
            tp += label;
            remain -= label + 1;
            if get_u8(data, tp)? != 0 {
                nd.print(".");
            }
        } else {
            nd.print(" ?");
            break;
        }
    }
    nd.print(")");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capture::print::testing::{opts, with_nd};
    use proptest::prelude::*;

    fn run(data: &[u8], len: u32, v: u8) -> (String, PResult) {
        with_nd(&opts(v), |nd| print(nd, data, len))
    }

    fn option(t: u16, body: &[u8]) -> Vec<u8> {
        let mut o = t.to_be_bytes().to_vec();
        o.extend_from_slice(&(body.len() as u16).to_be_bytes());
        o.extend_from_slice(body);
        o
    }

    /// A relay-forward carrying a solicit with a DUID, an IA_NA and a search list.
    fn relayed() -> Vec<u8> {
        let mut inner = vec![1, 0xab, 0xcd, 0xef];
        inner.extend(option(1, &[0, 3, 0, 1, 2, 0, 0, 0, 0, 1]));
        let mut ia = vec![0, 0, 0, 7, 0, 0, 0, 60, 0, 0, 0, 90];
        ia.extend(option(
            5,
            &[
                0x20, 1, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 2, 0,
            ],
        ));
        inner.extend(option(3, &ia));
        inner.extend(option(24, b"\x07example\x03com\x00"));
        inner.extend(option(6, &[0, 23, 0, 24]));
        let mut d = vec![12, 0];
        d.extend_from_slice(&[0; 32]);
        d.extend(option(18, b"eth0"));
        d.extend(option(9, &inner));
        d
    }

    #[test]
    fn every_prefix_prints_without_panic() {
        let d = relayed();
        for v in 0..2 {
            for cut in 0..d.len() {
                let (out, r) = run(d.get(..cut).unwrap_or(&[]), d.len() as u32, v);
                // A cut header shows; the options end silently where the capture does
                // between two of them, and show a cut inside one.
                let cut_header = v > 0 && cut < field::RELAY_OPTIONS;
                assert!(
                    !cut_header || r.is_err() || out.contains(" [|dhcp6]"),
                    "v {v} cut {cut}: {out}"
                );
                assert!(out.starts_with("dhcp6"), "v {v} cut {cut}: {out}");
            }
        }
    }

    proptest! {
        #[test]
        fn arbitrary_messages_never_panic(
            data in proptest::collection::vec(any::<u8>(), 0..120),
            len in 0u32..200,
            v in 0u8..2,
        ) {
            let _ = run(&data, len, v);
        }
    }
}
