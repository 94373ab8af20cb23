//! Name tables and their lookups (tcpdump's `struct tok` with `tok2str`, `bittok2str` and
//! `bittok2str_nosep` from util-print.c at tcpdump-4.99.3), plus the tables several printers
//! share: ethertypes and TCP flags.
//!
//! A table is data: `&[(value, name)]`, searched in order, the first match wins (as tcpdump's
//! tables, which hold a few duplicates, are searched). The lookups return values that
//! implement `Display`, so printing a name allocates nothing:
//! `nd_print!(nd, "{}", tok2str(&TYPES, "unknown (%u)", t))`.
//!
//! Imports nothing from the printers; every printer may import it.

use std::fmt;

/// One entry of a name table (tcpdump's `struct tok`).
pub type Tok = (u32, &'static str);

/// The name of `v` in `table`, if it has one.
pub fn tok_name(table: &[Tok], v: u32) -> Option<&'static str> {
    table.iter().find(|(k, _)| *k == v).map(|(_, n)| *n)
}

/// The name of `v` in `table`, else `unknown` with `v` formatted in (tcpdump's
/// `tok2str(table, "unknown (%u)", v)`; see [`Printf`] for the conversions understood).
pub fn tok2str(table: &'static [Tok], unknown: &'static str, v: u32) -> Tok2Str {
    Tok2Str {
        name: tok_name(table, v),
        unknown: Printf(unknown, v),
    }
}

/// What [`tok2str`] prints.
#[derive(Debug, Clone, Copy)]
pub struct Tok2Str {
    name: Option<&'static str>,
    unknown: Printf,
}

impl Tok2Str {
    /// Appends the text to `out`: the name without the formatting machinery.
    pub fn write_to(&self, out: &mut String) {
        match self.name {
            Some(name) => out.push_str(name),
            None => {
                use fmt::Write as _;
                // Writing to a String cannot fail.
                let _ = write!(out, "{}", self.unknown);
            }
        }
    }
}

impl fmt::Display for Tok2Str {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name {
            Some(name) => f.write_str(name),
            None => self.unknown.fmt(f),
        }
    }
}

/// The names of the flags set in `v`, joined by `", "`, else `none_fmt` with `v` formatted in
/// (tcpdump's `bittok2str`).
pub fn bittok2str(table: &'static [Tok], none_fmt: &'static str, v: u32) -> BitTok2Str {
    BitTok2Str {
        table,
        none: Printf(none_fmt, v),
        v,
        sep: ", ",
    }
}

/// [`bittok2str`] without a separator (tcpdump's `bittok2str_nosep`, e.g. TCP's `[S.]`).
pub fn bittok2str_nosep(table: &'static [Tok], none_fmt: &'static str, v: u32) -> BitTok2Str {
    BitTok2Str {
        sep: "",
        ..bittok2str(table, none_fmt, v)
    }
}

/// What [`bittok2str`] prints.
#[derive(Debug, Clone, Copy)]
pub struct BitTok2Str {
    table: &'static [Tok],
    none: Printf,
    v: u32,
    sep: &'static str,
}

impl BitTok2Str {
    /// util-print.c `bittok2str_internal`: an entry matches when its value equals `v` masked
    /// to one bit, so an entry of several bits never matches and an entry of 0 matches
    /// unless every bit of `v` is set.
    fn matches(&self, tokval: u32) -> bool {
        if tokval == 0 {
            self.v != u32::MAX
        } else {
            tokval & (tokval - 1) == 0 && self.v & tokval != 0
        }
    }

    /// Append the text to `out` without going through `fmt` (for per-packet hot paths such
    /// as TCP's flags).
    pub fn push_to(&self, out: &mut String) {
        if !self
            .each_piece(|piece| {
                out.push_str(piece);
                Ok(())
            })
            .unwrap_or(true)
        {
            use fmt::Write as _;
            // Writing to a String cannot fail.
            let _ = write!(out, "{}", self.none);
        }
    }

    /// Hand the matching names and separators to `piece`; whether any entry matched.
    fn each_piece(
        &self,
        mut piece: impl FnMut(&'static str) -> fmt::Result,
    ) -> Result<bool, fmt::Error> {
        let mut matched = false;
        for (tokval, name) in self.table {
            if self.matches(*tokval) {
                if matched {
                    piece(self.sep)?;
                }
                piece(name)?;
                matched = true;
            }
        }
        Ok(matched)
    }
}

impl fmt::Display for BitTok2Str {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.each_piece(|p| f.write_str(p))? {
            self.none.fmt(f)?;
        }
        Ok(())
    }
}

/// A tcpdump format string with one number: `%u`, `%d`, `%x`, `%X`, `%o`, with an optional
/// `#`, `0` and width (`%02x`, `%#x`, `%08x`), and `%%`; other text is copied. Lets tables'
/// defaults be written as tcpdump writes them, without allocating.
#[derive(Debug, Clone, Copy)]
pub struct Printf(pub &'static str, pub u32);

impl fmt::Display for Printf {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Printf(spec, v) = *self;
        let mut rest = spec;
        while let Some(at) = rest.find('%') {
            f.write_str(rest.get(..at).unwrap_or_default())?;
            let conv = rest.get(at + 1..).unwrap_or_default();
            if let Some(after) = conv.strip_prefix('%') {
                f.write_str("%")?;
                rest = after;
                continue;
            }
            let alt = conv.starts_with('#');
            let conv = conv.trim_start_matches('#');
            let zero = conv.starts_with('0');
            let digits = conv.chars().take_while(char::is_ascii_digit).count();
            let width: usize = conv.get(..digits).unwrap_or("").parse().unwrap_or(0);
            let conv = conv.get(digits..).unwrap_or_default();
            let Some(kind) = conv.chars().next() else {
                // A lone `%` at the end is copied.
                return f.write_str("%");
            };
            write_number(f, kind, v, width, zero, alt)?;
            rest = conv.get(kind.len_utf8()..).unwrap_or_default();
        }
        f.write_str(rest)
    }
}

fn write_number(
    f: &mut fmt::Formatter<'_>,
    kind: char,
    v: u32,
    width: usize,
    zero: bool,
    alt: bool,
) -> fmt::Result {
    let prefix = match (alt && v != 0, kind) {
        (true, 'x') => "0x",
        (true, 'X') => "0X",
        (true, 'o') => "0",
        _ => "",
    };
    f.write_str(prefix)?;
    let width = width.saturating_sub(prefix.len());
    match (kind, zero) {
        ('u', true) => write!(f, "{v:0width$}"),
        ('u', false) => write!(f, "{v:width$}"),
        ('d' | 'i', true) => write!(f, "{:0width$}", v as i32),
        ('d' | 'i', false) => write!(f, "{:width$}", v as i32),
        ('x', true) => write!(f, "{v:0width$x}"),
        ('x', false) => write!(f, "{v:width$x}"),
        ('X', true) => write!(f, "{v:0width$X}"),
        ('X', false) => write!(f, "{v:width$X}"),
        ('o', true) => write!(f, "{v:0width$o}"),
        ('o', false) => write!(f, "{v:width$o}"),
        (other, _) => write!(f, "%{other}"),
    }
}

// Ethertypes (ethertype.h at tcpdump-4.99.3).

/// Type/length values up to this are 802.3 lengths (`MAX_ETHERNET_LENGTH_VAL`).
pub const MAX_ETHERNET_LENGTH_VAL: u16 = 1500;
pub const ETHERTYPE_IP: u16 = 0x0800;
pub const ETHERTYPE_IPV6: u16 = 0x86dd;
pub const ETHERTYPE_ARP: u16 = 0x0806;
pub const ETHERTYPE_REVARP: u16 = 0x8035;
pub const ETHERTYPE_8021Q: u16 = 0x8100;
pub const ETHERTYPE_IPX: u16 = 0x8137;
pub const ETHERTYPE_LOOPBACK: u16 = 0x9000;
pub const ETHERTYPE_JUMBO: u16 = 0x8870;
pub const ETHERTYPE_SLOW: u16 = 0x8809;
pub const ETHERTYPE_AOE: u16 = 0x88a2;
pub const ETHERTYPE_LLDP: u16 = 0x88cc;
pub const ETHERTYPE_CFM: u16 = 0x8902;
pub const ETHERTYPE_CFM_OLD: u16 = 0xabcd;
pub const ETHERTYPE_PPP: u16 = 0x880b;
pub const ETHERTYPE_MPLS: u16 = 0x8847;
pub const ETHERTYPE_MPLS_MULTI: u16 = 0x8848;
pub const ETHERTYPE_PTP: u16 = 0x88f7;

/// Ethertype names (print-ether.c `ethertype_values`).
pub const ETHERTYPE_VALUES: [(u16, &str); 54] = [
    (0x0800, "IPv4"),
    (0x8847, "MPLS unicast"),
    (0x8848, "MPLS multicast"),
    (0x86dd, "IPv6"),
    (0x8100, "802.1Q"),
    (0x9100, "802.1Q-9100"),
    (0x88a8, "802.1Q-QinQ"),
    (0x9200, "802.1Q-9200"),
    (0x88e5, "802.1AE MACsec"),
    (0x9100, "VMAN"),
    (0x0200, "PUP"),
    (0x0806, "ARP"),
    (0x8035, "Reverse ARP"),
    (0x0600, "NS"),
    (0x0500, "Sprite"),
    (0x1000, "Trail"),
    (0x6001, "MOP DL"),
    (0x6002, "MOP RC"),
    (0x6003, "DN"),
    (0x6004, "LAT"),
    (0x6007, "SCA"),
    (0x6558, "TEB"),
    (0x8038, "Lanbridge"),
    (0x803c, "DEC DNS"),
    (0x803e, "DEC DTS"),
    (0x805b, "VEXP"),
    (0x805c, "VPROD"),
    (0x809b, "Appletalk"),
    (0x80f3, "Appletalk ARP"),
    (0x8137, "IPX"),
    (0x880b, "PPP"),
    (0x8808, "MPCP"),
    (0x8809, "Slow Protocols"),
    (0x8863, "PPPoE D"),
    (0x8864, "PPPoE S"),
    (0x888e, "EAPOL"),
    (0x8899, "Realtek protocols"),
    (0x886f, "MS NLB heartbeat"),
    (0x8870, "Jumbo"),
    (0x894f, "NSH"),
    (0x9000, "Loopback"),
    (0xfefe, "OSI"),
    (0x00fe, "GRE-OSI"),
    (0xabcd, "CFM (old)"),
    (0x8902, "CFM"),
    (0x893a, "IEEE1905.1"),
    (0x88cc, "LLDP"),
    (0x88ca, "TIPC"),
    (0x0707, "GeoNet (old)"),
    (0x8947, "GeoNet"),
    (0x1111, "CALM FAST"),
    (0x88a2, "AoE"),
    (0x88f7, "PTP"),
    (0xd28b, "Arista Vendor Specific Protocol"),
];

/// The name of an ethertype, if tcpdump has one.
pub fn ethertype_name(t: u16) -> Option<&'static str> {
    ETHERTYPE_VALUES
        .iter()
        .find(|(v, _)| *v == t)
        .map(|(_, n)| *n)
}

// TCP flags (tcp.h at tcpdump-4.99.3), used by the TCP, MPTCP and other printers.

pub const TH_FIN: u8 = 0x01;
pub const TH_SYN: u8 = 0x02;
pub const TH_RST: u8 = 0x04;
pub const TH_PUSH: u8 = 0x08;
pub const TH_ACK: u8 = 0x10;
pub const TH_URG: u8 = 0x20;
pub const TH_ECNECHO: u8 = 0x40;
pub const TH_CWR: u8 = 0x80;

/// TCP flag letters (print-tcp.c `tcp_flag_values`), for `bittok2str_nosep`.
pub const TCP_FLAG_VALUES: [Tok; 8] = [
    (TH_FIN as u32, "F"),
    (TH_SYN as u32, "S"),
    (TH_RST as u32, "R"),
    (TH_PUSH as u32, "P"),
    (TH_ACK as u32, "."),
    (TH_URG as u32, "U"),
    (TH_ECNECHO as u32, "E"),
    (TH_CWR as u32, "W"),
];

/// BSD address families (af.c `bsd_af_values`).
pub const BSD_AF_VALUES: [Tok; 8] = [
    (2, "IPv4"),
    (6, "NS"),
    (7, "ISO"),
    (16, "Appletalk"),
    (23, "IPX"),
    (24, "IPv6"),
    (28, "IPv6"),
    (30, "IPv6"),
];

/// Address family numbers (af.c `af_values` at tcpdump-4.99.3), named by the LLDP and CFM
/// printers' network addresses.
pub const AF_VALUES: [Tok; 18] = [
    (0, "Reserved"),
    (1, "IPv4"),
    (2, "IPv6"),
    (3, "NSAP"),
    (4, "HDLC"),
    (5, "BBN 1822"),
    (6, "802"),
    (7, "E.163"),
    (8, "E.164"),
    (9, "F.69"),
    (10, "X.121"),
    (11, "Novell IPX"),
    (12, "Appletalk"),
    (13, "Decnet IV"),
    (14, "Banyan Vines"),
    (15, "E.164 with NSAP subaddress"),
    (196, "Layer-2 VPN"),
    (25, "VPLS"),
];

/// Pseudowire types (l2vpn.c `mpls_pw_types_values`), named by LSP ping and LDP.
pub static MPLS_PW_TYPES: [Tok; 27] = [
    (0x0000, "Reserved"),
    (0x0001, "Frame Relay DLCI (Martini Mode)"),
    (0x0002, "ATM AAL5 SDU VCC transport"),
    (0x0003, "ATM transparent cell transport"),
    (0x0004, "Ethernet VLAN"),
    (0x0005, "Ethernet"),
    (0x0006, "Cisco-HDLC"),
    (0x0007, "PPP"),
    (0x0008, "SONET/SDH Circuit Emulation Service over MPLS"),
    (0x0009, "ATM n-to-one VCC cell transport"),
    (0x000a, "ATM n-to-one VPC cell transport"),
    (0x000b, "IP Layer2 Transport"),
    (0x000c, "ATM one-to-one VCC Cell Mode"),
    (0x000d, "ATM one-to-one VPC Cell Mode"),
    (0x000e, "ATM AAL5 PDU VCC transport"),
    (0x000f, "Frame-Relay Port mode"),
    (0x0010, "SONET/SDH Circuit Emulation over Packet"),
    (0x0011, "Structure-agnostic E1 over Packet"),
    (0x0012, "Structure-agnostic T1 (DS1) over Packet"),
    (0x0013, "Structure-agnostic E3 over Packet"),
    (0x0014, "Structure-agnostic T3 (DS3) over Packet"),
    (0x0015, "CESoPSN basic mode"),
    (0x0016, "TDMoIP basic mode"),
    (0x0017, "CESoPSN TDM with CAS"),
    (0x0018, "TDMoIP TDM with CAS"),
    (0x0019, "Frame Relay DLCI"),
    (0x0040, "IP-interworking"),
];

#[cfg(test)]
mod tests {
    use super::*;

    const COLORS: [Tok; 3] = [(1, "red"), (2, "green"), (2, "shadowed")];
    const BITS: [Tok; 4] = [
        (0x01, "one"),
        (0x04, "four"),
        (0x06, "never"),
        (0x80, "high"),
    ];

    #[test]
    fn tok2str_names_or_formats_the_value() {
        assert_eq!(tok2str(&COLORS, "unknown (%u)", 2).to_string(), "green");
        assert_eq!(
            tok2str(&COLORS, "unknown (%u)", 7).to_string(),
            "unknown (7)"
        );
        assert_eq!(tok2str(&COLORS, "#%u", 300).to_string(), "#300");
        assert_eq!(tok_name(&COLORS, 3), None);
    }

    #[test]
    fn printf_conversions() {
        let p = |s, v| Printf(s, v).to_string();
        assert_eq!(p("0x%02x", 5), "0x05");
        assert_eq!(p("%#x", 255), "0xff");
        assert_eq!(p("%#x", 0), "0");
        assert_eq!(p("#%08x", 0xbeef), "#0000beef");
        assert_eq!(p("%4u|", 7), "   7|");
        assert_eq!(p("%d", u32::MAX), "-1");
        assert_eq!(p("100%% %X", 0xab), "100% AB");
        assert_eq!(p("none", 9), "none");
        assert_eq!(p("trailing %", 1), "trailing %");
    }

    #[test]
    fn bittok2str_joins_single_bit_entries() {
        assert_eq!(
            bittok2str(&BITS, "none", 0x85).to_string(),
            "one, four, high"
        );
        // 0x06 has two bits: util-print.c never matches it.
        assert_eq!(bittok2str(&BITS, "none", 0x06).to_string(), "four");
        assert_eq!(bittok2str(&BITS, "none", 0).to_string(), "none");
        assert_eq!(bittok2str(&BITS, "#%08x", 0x10).to_string(), "#00000010");
        assert_eq!(bittok2str_nosep(&BITS, "none", 0x81).to_string(), "onehigh");
        // An entry of 0 matches any value with a clear bit.
        const ZERO: [Tok; 2] = [(0, "zero"), (1, "one")];
        assert_eq!(bittok2str(&ZERO, "none", 1).to_string(), "zero, one");
        assert_eq!(bittok2str(&ZERO, "none", u32::MAX).to_string(), "one");
        for v in [0, 1, 0x85, 0x06, 0x10] {
            let mut pushed = String::new();
            bittok2str(&BITS, "#%x", v).push_to(&mut pushed);
            assert_eq!(pushed, bittok2str(&BITS, "#%x", v).to_string());
        }
    }

    #[test]
    fn tcp_flags_print_as_tcpdump() {
        let f = u32::from(TH_SYN | TH_ACK);
        assert_eq!(
            bittok2str_nosep(&TCP_FLAG_VALUES, "none", f).to_string(),
            "S."
        );
        assert_eq!(ethertype_name(0x9100), Some("802.1Q-9100"));
    }
}
