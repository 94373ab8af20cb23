//! Numbers and names of DNS fields: record types, classes, opcodes, response codes, EDNS
//! options and DNSSEC algorithms, as print-domain.c and nameser.h at tcpdump-4.99.3 name
//! them (tcpdump's `struct tok` tables).

/// The fixed header's length (nameser.h `dns_header_t`).
pub(super) const HDR_LEN: usize = 12;

pub(super) const T_A: u16 = 1;
pub(super) const T_NS: u16 = 2;
pub(super) const T_CNAME: u16 = 5;
pub(super) const T_SOA: u16 = 6;
pub(super) const T_PTR: u16 = 12;
pub(super) const T_MX: u16 = 15;
pub(super) const T_TXT: u16 = 16;
pub(super) const T_AAAA: u16 = 28;
pub(super) const T_SRV: u16 = 33;
pub(super) const T_A6: u16 = 38;
pub(super) const T_DNAME: u16 = 39;
pub(super) const T_OPT: u16 = 41;
pub(super) const T_UNSPECA: u16 = 104;
pub(super) const T_TSIG: u16 = 250;
pub(super) const T_URI: u16 = 256;

pub(super) const C_IN: u16 = 1;
/// The top class bit: unicast response wanted in an mDNS question, cache flush in an mDNS
/// answer (RFC 6762 sections 5.4 and 10.2).
pub(super) const C_MDNS_BIT: u16 = 0x8000;

/// Opcode of an inverse query (nameser.h `IQUERY`).
pub(super) const IQUERY: u16 = 1;

/// Record type names (print-domain.c `ns_type2str`); others print as `Type%u`.
pub(super) const TYPES: &[(u16, &str)] = &[
    (1, "A"),
    (2, "NS"),
    (3, "MD"),
    (4, "MF"),
    (5, "CNAME"),
    (6, "SOA"),
    (7, "MB"),
    (8, "MG"),
    (9, "MR"),
    (10, "NULL"),
    (11, "WKS"),
    (12, "PTR"),
    (13, "HINFO"),
    (14, "MINFO"),
    (15, "MX"),
    (16, "TXT"),
    (17, "RP"),
    (18, "AFSDB"),
    (19, "X25"),
    (20, "ISDN"),
    (21, "RT"),
    (22, "NSAP"),
    (23, "NSAP_PTR"),
    (24, "SIG"),
    (25, "KEY"),
    (26, "PX"),
    (27, "GPOS"),
    (28, "AAAA"),
    (29, "LOC"),
    (30, "NXT"),
    (31, "EID"),
    (32, "NIMLOC"),
    (33, "SRV"),
    (34, "ATMA"),
    (35, "NAPTR"),
    (36, "KX"),
    (37, "CERT"),
    (38, "A6"),
    (39, "DNAME"),
    (40, "SINK"),
    (41, "OPT"),
    (42, "APL"),
    (43, "DS"),
    (44, "SSHFP"),
    (45, "IPSECKEY"),
    (46, "RRSIG"),
    (47, "NSEC"),
    (48, "DNSKEY"),
    (99, "SPF"),
    (100, "UINFO"),
    (101, "UID"),
    (102, "GID"),
    (103, "UNSPEC"),
    (104, "UNSPECA"),
    (249, "TKEY"),
    (250, "TSIG"),
    (251, "IXFR"),
    (252, "AXFR"),
    (253, "MAILB"),
    (254, "MAILA"),
    (255, "ANY"),
    (256, "URI"),
];

/// Class names (print-domain.c `ns_class2str`); others print as `(Class %u)`.
pub(super) const CLASSES: &[(u16, &str)] = &[(1, "IN"), (3, "CHAOS"), (4, "HS"), (255, "ANY")];

/// Opcode suffixes (print-domain.c `ns_ops`).
pub(super) const OPS: [&str; 16] = [
    "",
    " inv_q",
    " stat",
    " op3",
    " notify",
    " update",
    " op6",
    " op7",
    " op8",
    " updateA",
    " updateD",
    " updateDA",
    " updateM",
    " updateMA",
    " zoneInit",
    " zoneRef",
];

/// Response code suffixes, extended codes included (print-domain.c `ns_resp`; codes 17 and
/// 21 lack the leading space in tcpdump-4.99.3 too).
pub(super) const RCODES: [&str; 24] = [
    "",
    " FormErr",
    " ServFail",
    " NXDomain",
    " NotImp",
    " Refused",
    " YXDomain",
    " YXRRSet",
    " NXRRSet",
    " NotAuth",
    " NotZone",
    " Resp11",
    " Resp12",
    " Resp13",
    " Resp14",
    " NoChange",
    " BadVers",
    "Resp17",
    " Resp18",
    " Resp19",
    " Resp20",
    "Resp21",
    " Resp22",
    " BadCookie",
];

/// EDNS option names (print-domain.c `edns_opt2str`, RFC 6891 section 6.1.2); others print
/// as `Opt%u`.
pub(super) const EDNS_OPTS: &[(u16, &str)] = &[
    (1, "LLQ"),
    (2, "UL"),
    (3, "NSID"),
    (5, "DAU"),
    (6, "DHU"),
    (7, "N3U"),
    (8, "ECS"),
    (9, "EXPIRE"),
    (10, "COOKIE"),
    (11, "KEEPALIVE"),
    (12, "PADDING"),
    (13, "CHAIN"),
    (14, "KEY-TAG"),
    (16, "CLIENT-TAG"),
    (17, "SERVER-TAG"),
];

pub(super) const E_DAU: u16 = 5;
pub(super) const E_DHU: u16 = 6;
pub(super) const E_N3U: u16 = 7;
pub(super) const E_ECS: u16 = 8;
pub(super) const E_EXPIRE: u16 = 9;
pub(super) const E_COOKIE: u16 = 10;
pub(super) const E_KEEPALIVE: u16 = 11;
pub(super) const E_PADDING: u16 = 12;
pub(super) const E_CHAIN: u16 = 13;
pub(super) const E_KEYTAG: u16 = 14;

/// DNSSEC algorithms (print-domain.c `dau_alg2str`, RFC 6975).
pub(super) const DAU_ALGS: &[(u16, &str)] = &[
    (0, "DELETE"),
    (1, "RSAMD5"),
    (2, "DH"),
    (3, "DS"),
    (5, "RSASHA1"),
    (6, "DSA-NSEC3-SHA1"),
    (7, "RSASHA1-NSEC3-SHA1"),
    (8, "RSASHA256"),
    (10, "RSASHA512"),
    (12, "ECC-GOST"),
    (13, "ECDSAP256SHA256"),
    (14, "ECDSAP384SHA384"),
    (15, "ED25519"),
    (16, "ED448"),
    (252, "INDIRECT"),
    (253, "PRIVATEDNS"),
    (254, "PRIVATEOID"),
];

/// DS hash algorithms (print-domain.c `dhu_alg2str`).
pub(super) const DHU_ALGS: &[(u16, &str)] = &[
    (1, "SHA-1"),
    (2, "SHA-256"),
    (3, "GOST_R_34.11-94"),
    (4, "SHA-384"),
];

/// NSEC3 hash algorithms (print-domain.c `n3u_alg2str`).
pub(super) const N3U_ALGS: &[(u16, &str)] = &[(1, "SHA-1")];

/// The name of `v` in a tcpdump `struct tok` table.
pub(super) fn tok(table: &[(u16, &'static str)], v: u16) -> Option<&'static str> {
    // Every table here is sorted with one name per value (a test checks it): a binary search
    // finds what tcpdump's first-match walk finds.
    let at = table.binary_search_by_key(&v, |&(k, _)| k).ok()?;
    table.get(at).map(|&(_, s)| s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tables_are_sorted_with_one_name_per_value() {
        for table in [TYPES, CLASSES, EDNS_OPTS, DAU_ALGS, DHU_ALGS] {
            let keys: Vec<u16> = table.iter().map(|&(k, _)| k).collect();
            assert!(keys.windows(2).all(|w| w.first() < w.last()), "{table:?}");
            for &(k, name) in table {
                assert_eq!(tok(table, k), Some(name));
            }
        }
        assert_eq!(tok(TYPES, 0), None);
        assert_eq!(tok(TYPES, u16::MAX), None);
    }
}
