//! The name tables of print-radius.c at tcpdump-4.99.3: codes, attribute types with the
//! printer each uses, the named values of numeric attributes, and the SMI enterprise numbers
//! of oui.c that name vendors.

use crate::capture::print::tok::Tok;

/// Packet codes (print-radius.c `radius_command_values`).
pub const CODES: [Tok; 15] = [
    (1, "Access-Request"),
    (2, "Access-Accept"),
    (3, "Access-Reject"),
    (4, "Accounting-Request"),
    (5, "Accounting-Response"),
    (11, "Access-Challenge"),
    (12, "Status-Server"),
    (13, "Status-Client"),
    (40, "Disconnect-Request"),
    (41, "Disconnect-ACK"),
    (42, "Disconnect-NAK"),
    (43, "CoA-Request"),
    (44, "CoA-ACK"),
    (45, "CoA-NAK"),
    (255, "Reserved"),
];

/// VLAN tag indications (RFC 4675) (print-radius.c `rfc4675_tagged`).
pub const RFC4675_TAGGED: [Tok; 2] = [(49, "Tagged"), (50, "Untagged")];

/// Error-Cause values (print-radius.c `errorcausetype`).
pub const ERROR_CAUSES: [Tok; 18] = [
    (201, "Residual Session Context Removed"),
    (202, "Invalid EAP Packet (Ignored)"),
    (401, "Unsupported Attribute"),
    (402, "Missing Attribute"),
    (403, "NAS Identification Mismatch"),
    (404, "Invalid Request"),
    (405, "Unsupported Service"),
    (406, "Unsupported Extension"),
    (407, "Invalid Attribute Value"),
    (501, "Administratively Prohibited"),
    (502, "Request Not Routable (Proxy)"),
    (503, "Session Context Not Found"),
    (504, "Session Context Not Removable"),
    (505, "Other Proxy Processing Error"),
    (506, "Resources Unavailable"),
    (507, "Request Initiated"),
    (508, "Multiple Session Selection Unsupported"),
    (509, "Location Info Required"),
];

/// Operator-Name namespaces (print-radius.c `operator_name_vector`).
pub const OPERATOR_NAMESPACES: [Tok; 4] = [(48, "TADIG"), (49, "REALM"), (50, "E212"), (51, "ICC")];

/// Location-Information codes (print-radius.c `location_information_code_vector`).
pub const LOCATION_CODES: [Tok; 2] = [(0, "Civic"), (1, "Geospatial")];

/// Location-Information entities (print-radius.c `location_information_entity_vector`).
pub const LOCATION_ENTITIES: [Tok; 2] = [(0, "User"), (1, "RADIUS")];

/// Basic-Location-Policy-Rules flags (print-radius.c `blpr_bm`).
pub const BLPR_FLAGS: [Tok; 16] = [
    (1, "MBZ-15"),
    (2, "MBZ-14"),
    (4, "MBZ-13"),
    (8, "MBZ-12"),
    (16, "MBZ-11"),
    (32, "MBZ-10"),
    (64, "MBZ-9"),
    (128, "MBZ-8"),
    (256, "MBZ-7"),
    (512, "MBZ-6"),
    (1024, "MBZ-5"),
    (2048, "MBZ-4"),
    (4096, "MBZ-3"),
    (8192, "MBZ-2"),
    (16384, "MBZ-1"),
    (32768, "Retransmission Allowed"),
];

/// MIP6-Feature-Vector bits (print-radius.c `mip6_feature_vector`).
pub const MIP6_FEATURES: [(u64, &str); 12] = [
    (0x0000000000000001, "MIP6_INTEGRATED"),
    (0x0000000000000002, "LOCAL_HOME_AGENT_ASSIGNMENT"),
    (0x0000010000000000, "PMIP6_SUPPORTED"),
    (0x0000020000000000, "IP4_HOA_SUPPORTED"),
    (0x0000040000000000, "LOCAL_MAG_ROUTING_SUPPORTED"),
    (0x0000080000000000, "ASSIGN_LOCAL_IP"),
    (0x0000100000000000, "MIP4_SUPPORTED"),
    (0x0000200000000000, "OPTIMIZED_IDLE_MODE_MOBILITY"),
    (0x0000400000000000, "GTPv2_SUPPORTED"),
    (0x0000800000000000, "IP4_TRANSPORT_SUPPORTED"),
    (0x0001000000000000, "IP4_HOA_ONLY_SUPPORTED"),
    (0x0002000000000000, "INTER_MAG_ROUTING_SUPPORTED"),
];

/// (print-radius.c `serv_type`; index 0 unused).
const SERV_TYPE: [&str; 20] = [
    "",
    "Login",
    "Framed",
    "Callback Login",
    "Callback Framed",
    "Outbound",
    "Administrative",
    "NAS Prompt",
    "Authenticate Only",
    "Callback NAS Prompt",
    "Call Check",
    "Callback Administrative",
    "Voice",
    "Fax",
    "Modem Relay",
    "IAPP-Register",
    "IAPP-AP-Check",
    "Authorize Only",
    "Framed-Management",
    "Additional-Authorization",
];

/// (print-radius.c `frm_proto`; index 0 unused).
const FRM_PROTO: [&str; 8] = [
    "",
    "PPP",
    "SLIP",
    "ARAP",
    "Gandalf proprietary",
    "Xylogics IPX/SLIP",
    "X.75 Synchronous",
    "GPRS PDP Context",
];

/// (print-radius.c `frm_routing`).
const FRM_ROUTING: [&str; 4] = ["None", "Send", "Listen", "Send&Listen"];

/// (print-radius.c `frm_comp`).
const FRM_COMP: [&str; 4] = ["None", "VJ TCP/IP", "IPX", "Stac-LZS"];

/// (print-radius.c `login_serv`).
const LOGIN_SERV: [&str; 9] = [
    "Telnet",
    "Rlogin",
    "TCP Clear",
    "PortMaster(proprietary)",
    "LAT",
    "X.25-PAD",
    "X.25-T3POS",
    "Unassigned",
    "TCP Clear Quiet",
];

/// (print-radius.c `term_action`).
const TERM_ACTION: [&str; 2] = ["Default", "RADIUS-Request"];

/// (print-radius.c `ingress_filters`; index 0 unused).
const INGRESS_FILTERS: [&str; 3] = ["", "Enabled", "Disabled"];

/// (print-radius.c `nas_port_type`).
const NAS_PORT_TYPE: [&str; 44] = [
    "Async",
    "Sync",
    "ISDN Sync",
    "ISDN Async V.120",
    "ISDN Async V.110",
    "Virtual",
    "PIAFS",
    "HDLC Clear Channel",
    "X.25",
    "X.75",
    "G.3 Fax",
    "SDSL",
    "ADSL-CAP",
    "ADSL-DMT",
    "ISDN-DSL",
    "Ethernet",
    "xDSL",
    "Cable",
    "Wireless - Other",
    "Wireless - IEEE 802.11",
    "Token-Ring",
    "FDDI",
    "Wireless - CDMA200",
    "Wireless - UMTS",
    "Wireless - 1X-EV",
    "IAPP",
    "FTTP",
    "Wireless - IEEE 802.16",
    "Wireless - IEEE 802.20",
    "Wireless - IEEE 802.22",
    "PPPoA",
    "PPPoEoA",
    "PPPoEoE",
    "PPPoEoVLAN",
    "PPPoEoQinQ",
    "xPON",
    "Wireless - XGP",
    "WiMAX Pre-Release 8 IWK Function",
    "WIMAX-WIFI-IWK",
    "WIMAX-SFF",
    "WIMAX-HA-LMA",
    "WIMAX-DHCP",
    "WIMAX-LBS",
    "WIMAX-WVS",
];

/// (print-radius.c `acct_status`; index 0 unused).
const ACCT_STATUS: [&str; 16] = [
    "",
    "Start",
    "Stop",
    "Interim-Update",
    "Unassigned",
    "Unassigned",
    "Unassigned",
    "Accounting-On",
    "Accounting-Off",
    "Tunnel-Start",
    "Tunnel-Stop",
    "Tunnel-Reject",
    "Tunnel-Link-Start",
    "Tunnel-Link-Stop",
    "Tunnel-Link-Reject",
    "Failed",
];

/// (print-radius.c `acct_auth`; index 0 unused).
const ACCT_AUTH: [&str; 5] = ["", "RADIUS", "Local", "Remote", "Diameter"];

/// (print-radius.c `acct_term`; index 0 unused).
const ACCT_TERM: [&str; 24] = [
    "",
    "User Request",
    "Lost Carrier",
    "Lost Service",
    "Idle Timeout",
    "Session Timeout",
    "Admin Reset",
    "Admin Reboot",
    "Port Error",
    "NAS Error",
    "NAS Request",
    "NAS Reboot",
    "Port Unneeded",
    "Port Preempted",
    "Port Suspended",
    "Service Unavailable",
    "Callback",
    "User Error",
    "Host Request",
    "Supplicant Restart",
    "Reauthentication Failure",
    "Port Reinitialized",
    "Port Administratively Disabled",
    "Lost Power",
];

/// (print-radius.c `tunnel_type`; index 0 unused).
const TUNNEL_TYPE: [&str; 14] = [
    "",
    "PPTP",
    "L2F",
    "L2TP",
    "ATMP",
    "VTP",
    "AH",
    "IP-IP",
    "MIN-IP-IP",
    "ESP",
    "GRE",
    "DVS",
    "IP-in-IP Tunneling",
    "VLAN",
];

/// (print-radius.c `tunnel_medium`; index 0 unused).
const TUNNEL_MEDIUM: [&str; 16] = [
    "",
    "IPv4",
    "IPv6",
    "NSAP",
    "HDLC",
    "BBN 1822",
    "802",
    "E.163",
    "E.164",
    "F.69",
    "X.121",
    "IPX",
    "Appletalk",
    "Decnet IV",
    "Banyan Vines",
    "E.164 with NSAP subaddress",
];

/// (print-radius.c `arap_zone`; index 0 unused).
const ARAP_ZONE: [&str; 5] = [
    "",
    "Only access to dfl zone",
    "Use zone filter inc.",
    "Not used",
    "Use zone filter exc.",
];

/// (print-radius.c `prompt`).
const PROMPT: [&str; 2] = ["No Echo", "Echo"];

/// How an attribute's value is printed: the `print_func` of print-radius.c's `attr_type`.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    /// No printer: nothing after `Value: `.
    None,
    String,
    Num,
    /// A number with named values from the index `first` (`subtypes`, `first_subtype`).
    Enum(&'static [&'static str], u32),
    Vendor,
    Address,
    Address6,
    Netmask6,
    HomeLinkPrefix,
    OperatorName,
    LocationInfo,
    LocationData,
    LocationRules,
    Time,
    Vector64,
    Strange,
}

/// An attribute type: its name and printer.
#[derive(Debug, Clone, Copy)]
pub struct Attr {
    pub name: &'static str,
    pub kind: Kind,
}

/// Attribute types 0-129, by type (print-radius.c `attr_type`).
pub const ATTRS: [Attr; 130] = [
    Attr {
        name: "",
        kind: Kind::None,
    },
    Attr {
        name: "User-Name",
        kind: Kind::String,
    },
    Attr {
        name: "User-Password",
        kind: Kind::None,
    },
    Attr {
        name: "CHAP-Password",
        kind: Kind::None,
    },
    Attr {
        name: "NAS-IP-Address",
        kind: Kind::Address,
    },
    Attr {
        name: "NAS-Port",
        kind: Kind::Num,
    },
    Attr {
        name: "Service-Type",
        kind: Kind::Enum(&SERV_TYPE, 1),
    },
    Attr {
        name: "Framed-Protocol",
        kind: Kind::Enum(&FRM_PROTO, 1),
    },
    Attr {
        name: "Framed-IP-Address",
        kind: Kind::Address,
    },
    Attr {
        name: "Framed-IP-Netmask",
        kind: Kind::Address,
    },
    Attr {
        name: "Framed-Routing",
        kind: Kind::Enum(&FRM_ROUTING, 0),
    },
    Attr {
        name: "Filter-Id",
        kind: Kind::String,
    },
    Attr {
        name: "Framed-MTU",
        kind: Kind::Num,
    },
    Attr {
        name: "Framed-Compression",
        kind: Kind::Enum(&FRM_COMP, 0),
    },
    Attr {
        name: "Login-IP-Host",
        kind: Kind::Address,
    },
    Attr {
        name: "Login-Service",
        kind: Kind::Enum(&LOGIN_SERV, 0),
    },
    Attr {
        name: "Login-TCP-Port",
        kind: Kind::Num,
    },
    Attr {
        name: "Unassigned",
        kind: Kind::None,
    },
    Attr {
        name: "Reply-Message",
        kind: Kind::String,
    },
    Attr {
        name: "Callback-Number",
        kind: Kind::String,
    },
    Attr {
        name: "Callback-Id",
        kind: Kind::String,
    },
    Attr {
        name: "Unassigned",
        kind: Kind::None,
    },
    Attr {
        name: "Framed-Route",
        kind: Kind::String,
    },
    Attr {
        name: "Framed-IPX-Network",
        kind: Kind::Num,
    },
    Attr {
        name: "State",
        kind: Kind::String,
    },
    Attr {
        name: "Class",
        kind: Kind::String,
    },
    Attr {
        name: "Vendor-Specific",
        kind: Kind::Vendor,
    },
    Attr {
        name: "Session-Timeout",
        kind: Kind::Num,
    },
    Attr {
        name: "Idle-Timeout",
        kind: Kind::Num,
    },
    Attr {
        name: "Termination-Action",
        kind: Kind::Enum(&TERM_ACTION, 0),
    },
    Attr {
        name: "Called-Station-Id",
        kind: Kind::String,
    },
    Attr {
        name: "Calling-Station-Id",
        kind: Kind::String,
    },
    Attr {
        name: "NAS-Identifier",
        kind: Kind::String,
    },
    Attr {
        name: "Proxy-State",
        kind: Kind::String,
    },
    Attr {
        name: "Login-LAT-Service",
        kind: Kind::String,
    },
    Attr {
        name: "Login-LAT-Node",
        kind: Kind::String,
    },
    Attr {
        name: "Login-LAT-Group",
        kind: Kind::String,
    },
    Attr {
        name: "Framed-AppleTalk-Link",
        kind: Kind::Num,
    },
    Attr {
        name: "Framed-AppleTalk-Network",
        kind: Kind::Num,
    },
    Attr {
        name: "Framed-AppleTalk-Zone",
        kind: Kind::String,
    },
    Attr {
        name: "Acct-Status-Type",
        kind: Kind::Enum(&ACCT_STATUS, 1),
    },
    Attr {
        name: "Acct-Delay-Time",
        kind: Kind::Num,
    },
    Attr {
        name: "Acct-Input-Octets",
        kind: Kind::Num,
    },
    Attr {
        name: "Acct-Output-Octets",
        kind: Kind::Num,
    },
    Attr {
        name: "Acct-Session-Id",
        kind: Kind::String,
    },
    Attr {
        name: "Acct-Authentic",
        kind: Kind::Enum(&ACCT_AUTH, 1),
    },
    Attr {
        name: "Acct-Session-Time",
        kind: Kind::Num,
    },
    Attr {
        name: "Acct-Input-Packets",
        kind: Kind::Num,
    },
    Attr {
        name: "Acct-Output-Packets",
        kind: Kind::Num,
    },
    Attr {
        name: "Acct-Terminate-Cause",
        kind: Kind::Enum(&ACCT_TERM, 1),
    },
    Attr {
        name: "Acct-Multi-Session-Id",
        kind: Kind::String,
    },
    Attr {
        name: "Acct-Link-Count",
        kind: Kind::Num,
    },
    Attr {
        name: "Acct-Input-Gigawords",
        kind: Kind::Num,
    },
    Attr {
        name: "Acct-Output-Gigawords",
        kind: Kind::Num,
    },
    Attr {
        name: "Unassigned",
        kind: Kind::None,
    },
    Attr {
        name: "Event-Timestamp",
        kind: Kind::Time,
    },
    Attr {
        name: "Egress-VLANID",
        kind: Kind::Num,
    },
    Attr {
        name: "Ingress-Filters",
        kind: Kind::Enum(&INGRESS_FILTERS, 1),
    },
    Attr {
        name: "Egress-VLAN-Name",
        kind: Kind::String,
    },
    Attr {
        name: "User-Priority-Table",
        kind: Kind::None,
    },
    Attr {
        name: "CHAP-Challenge",
        kind: Kind::String,
    },
    Attr {
        name: "NAS-Port-Type",
        kind: Kind::Enum(&NAS_PORT_TYPE, 0),
    },
    Attr {
        name: "Port-Limit",
        kind: Kind::Num,
    },
    Attr {
        name: "Login-LAT-Port",
        kind: Kind::String,
    },
    Attr {
        name: "Tunnel-Type",
        kind: Kind::Enum(&TUNNEL_TYPE, 1),
    },
    Attr {
        name: "Tunnel-Medium-Type",
        kind: Kind::Enum(&TUNNEL_MEDIUM, 1),
    },
    Attr {
        name: "Tunnel-Client-Endpoint",
        kind: Kind::String,
    },
    Attr {
        name: "Tunnel-Server-Endpoint",
        kind: Kind::String,
    },
    Attr {
        name: "Acct-Tunnel-Connection",
        kind: Kind::String,
    },
    Attr {
        name: "Tunnel-Password",
        kind: Kind::String,
    },
    Attr {
        name: "ARAP-Password",
        kind: Kind::Strange,
    },
    Attr {
        name: "ARAP-Features",
        kind: Kind::Strange,
    },
    Attr {
        name: "ARAP-Zone-Access",
        kind: Kind::Enum(&ARAP_ZONE, 1),
    },
    Attr {
        name: "ARAP-Security",
        kind: Kind::String,
    },
    Attr {
        name: "ARAP-Security-Data",
        kind: Kind::String,
    },
    Attr {
        name: "Password-Retry",
        kind: Kind::Num,
    },
    Attr {
        name: "Prompt",
        kind: Kind::Enum(&PROMPT, 0),
    },
    Attr {
        name: "Connect-Info",
        kind: Kind::String,
    },
    Attr {
        name: "Configuration-Token",
        kind: Kind::String,
    },
    Attr {
        name: "EAP-Message",
        kind: Kind::String,
    },
    Attr {
        name: "Message-Authenticator",
        kind: Kind::String,
    },
    Attr {
        name: "Tunnel-Private-Group-ID",
        kind: Kind::String,
    },
    Attr {
        name: "Tunnel-Assignment-ID",
        kind: Kind::String,
    },
    Attr {
        name: "Tunnel-Preference",
        kind: Kind::Num,
    },
    Attr {
        name: "ARAP-Challenge-Response",
        kind: Kind::Strange,
    },
    Attr {
        name: "Acct-Interim-Interval",
        kind: Kind::Num,
    },
    Attr {
        name: "Acct-Tunnel-Packets-Lost",
        kind: Kind::Num,
    },
    Attr {
        name: "NAS-Port-Id",
        kind: Kind::String,
    },
    Attr {
        name: "Framed-Pool",
        kind: Kind::String,
    },
    Attr {
        name: "CUI",
        kind: Kind::String,
    },
    Attr {
        name: "Tunnel-Client-Auth-ID",
        kind: Kind::String,
    },
    Attr {
        name: "Tunnel-Server-Auth-ID",
        kind: Kind::String,
    },
    Attr {
        name: "NAS-Filter-Rule",
        kind: Kind::String,
    },
    Attr {
        name: "Unassigned",
        kind: Kind::None,
    },
    Attr {
        name: "Originating-Line-Info",
        kind: Kind::None,
    },
    Attr {
        name: "NAS-IPv6-Address",
        kind: Kind::Address6,
    },
    Attr {
        name: "Framed-Interface-ID",
        kind: Kind::None,
    },
    Attr {
        name: "Framed-IPv6-Prefix",
        kind: Kind::Netmask6,
    },
    Attr {
        name: "Login-IPv6-Host",
        kind: Kind::Address6,
    },
    Attr {
        name: "Framed-IPv6-Route",
        kind: Kind::String,
    },
    Attr {
        name: "Framed-IPv6-Pool",
        kind: Kind::String,
    },
    Attr {
        name: "Error-Cause",
        kind: Kind::Strange,
    },
    Attr {
        name: "EAP-Key-Name",
        kind: Kind::None,
    },
    Attr {
        name: "Digest-Response",
        kind: Kind::String,
    },
    Attr {
        name: "Digest-Realm",
        kind: Kind::String,
    },
    Attr {
        name: "Digest-Nonce",
        kind: Kind::String,
    },
    Attr {
        name: "Digest-Response-Auth",
        kind: Kind::String,
    },
    Attr {
        name: "Digest-Nextnonce",
        kind: Kind::String,
    },
    Attr {
        name: "Digest-Method",
        kind: Kind::String,
    },
    Attr {
        name: "Digest-URI",
        kind: Kind::String,
    },
    Attr {
        name: "Digest-Qop",
        kind: Kind::String,
    },
    Attr {
        name: "Digest-Algorithm",
        kind: Kind::String,
    },
    Attr {
        name: "Digest-Entity-Body-Hash",
        kind: Kind::String,
    },
    Attr {
        name: "Digest-CNonce",
        kind: Kind::String,
    },
    Attr {
        name: "Digest-Nonce-Count",
        kind: Kind::String,
    },
    Attr {
        name: "Digest-Username",
        kind: Kind::String,
    },
    Attr {
        name: "Digest-Opaque",
        kind: Kind::String,
    },
    Attr {
        name: "Digest-Auth-Param",
        kind: Kind::String,
    },
    Attr {
        name: "Digest-AKA-Auts",
        kind: Kind::String,
    },
    Attr {
        name: "Digest-Domain",
        kind: Kind::String,
    },
    Attr {
        name: "Digest-Stale",
        kind: Kind::String,
    },
    Attr {
        name: "Digest-HA1",
        kind: Kind::String,
    },
    Attr {
        name: "SIP-AOR",
        kind: Kind::String,
    },
    Attr {
        name: "Delegated-IPv6-Prefix",
        kind: Kind::Netmask6,
    },
    Attr {
        name: "MIP6-Feature-Vector",
        kind: Kind::Vector64,
    },
    Attr {
        name: "MIP6-Home-Link-Prefix",
        kind: Kind::HomeLinkPrefix,
    },
    Attr {
        name: "Operator-Name",
        kind: Kind::OperatorName,
    },
    Attr {
        name: "Location-Information",
        kind: Kind::LocationInfo,
    },
    Attr {
        name: "Location-Data",
        kind: Kind::LocationData,
    },
    Attr {
        name: "Basic-Location-Policy-Rules",
        kind: Kind::LocationRules,
    },
];

/// SMI network management private enterprise codes that name vendors (oui.c `smi_values`).
pub const SMI_VALUES: [Tok; 62] = [
    (0, "IETF (reserved)"),
    (5, "ACC"),
    (9, "Cisco"),
    (11, "Hewlett Packard"),
    (42, "Sun Microsystems"),
    (61, "Merit"),
    (74, "AT&T"),
    (161, "Motorola"),
    (166, "Shiva"),
    (193, "Ericsson AB"),
    (255, "Cisco VPN 5000"),
    (307, "Livingston"),
    (311, "Microsoft"),
    (429, "3Com"),
    (529, "Ascend"),
    (1584, "Bay Networks"),
    (1991, "Foundry"),
    (2180, "Versanet"),
    (2352, "Redback"),
    (2636, "Juniper Networks"),
    (2637, "Aptis"),
    (2937, "Deutsche Telekom AG"),
    (3054, "Ixia Communications"),
    (3076, "Cisco VPN 3000"),
    (3085, "CoSine Communications"),
    (3224, "Netscreen"),
    (3199, "Shasta"),
    (3309, "Nomadix"),
    (3414, "T-Mobile"),
    (3561, "The Broadband Forum"),
    (3902, "ZTE"),
    (4329, "Siemens"),
    (4491, "CableLabs"),
    (4874, "Unisphere Networks"),
    (5263, "Cisco BBSM"),
    (5535, "3rd Generation Partnership Project 2 (3GPP2)"),
    (5806, "SK Telecom"),
    (5925, "ipUnplugged"),
    (5948, "Issanni Communications"),
    (5951, "Netscaler"),
    (6490, "T-Mobile"),
    (6618, "Quintum"),
    (6728, "Interlink"),
    (7951, "CNCTC"),
    (8164, "Starent Networks"),
    (8744, "Colubris"),
    (10415, "3GPP"),
    (10529, "Gemtek-Systems"),
    (10704, "Barracuda Networks"),
    (10923, "Ericsson AB - Packet Core Networks"),
    (11665, "dacom"),
    (11862, "Columbia University"),
    (12356, "Fortinet"),
    (12951, "Verizon Wireless"),
    (13745, "Plixer"),
    (14122, "Wi-Fi Alliance"),
    (16787, "T-Systems Nova"),
    (20942, "China Telecom - Guangzhou Research Institute"),
    (26866, "Gigamon Systems"),
    (32622, "CACE Technologies"),
    (35632, "ntop"),
    (46098, "Ericsson Canada"),
];
