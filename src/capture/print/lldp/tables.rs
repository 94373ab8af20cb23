//! Name tables of print-lldp.c at tcpdump-4.99.3 (its `struct tok` tables, in its order).

use crate::capture::print::tok::Tok;

/// print-lldp.c `lldp_tlv_values`.
pub(super) const TLV_VALUES: [Tok; 10] = [
    (0x0, "End"),
    (0x1, "Chassis ID"),
    (0x2, "Port ID"),
    (0x3, "Time to Live"),
    (0x4, "Port Description"),
    (0x5, "System Name"),
    (0x6, "System Description"),
    (0x7, "System Capabilities"),
    (0x8, "Management Address"),
    (0x7f, "Organization specific"),
];

/// print-lldp.c `lldp_chassis_subtype_values`.
pub(super) const CHASSIS_SUBTYPES: [Tok; 7] = [
    (0x1, "Chassis component"),
    (0x2, "Interface alias"),
    (0x3, "Port component"),
    (0x4, "MAC address"),
    (0x5, "Network address"),
    (0x6, "Interface name"),
    (0x7, "Local"),
];

/// print-lldp.c `lldp_port_subtype_values`.
pub(super) const PORT_SUBTYPES: [Tok; 7] = [
    (0x1, "Interface alias"),
    (0x2, "Port component"),
    (0x3, "MAC address"),
    (0x4, "Network Address"),
    (0x5, "Interface Name"),
    (0x6, "Agent circuit ID"),
    (0x7, "Local"),
];

/// print-lldp.c `lldp_cap_values`.
pub(super) const CAP_VALUES: [Tok; 8] = [
    (0x1, "Other"),
    (0x2, "Repeater"),
    (0x4, "Bridge"),
    (0x8, "WLAN AP"),
    (0x10, "Router"),
    (0x20, "Telephone"),
    (0x40, "Docsis"),
    (0x80, "Station Only"),
];

/// print-lldp.c `lldp_8021_subtype_values`.
pub(super) const IEEE8021_SUBTYPES: [Tok; 12] = [
    (0x1, "Port VLAN Id"),
    (0x2, "Port and Protocol VLAN ID"),
    (0x3, "VLAN name"),
    (0x4, "Protocol Identity"),
    (0x7, "Link aggregation"),
    (0x8, "Congestion Notification"),
    (0x9, "ETS Configuration"),
    (0xa, "ETS Recommendation"),
    (0xb, "Priority Flow Control Configuration"),
    (0xc, "Application Priority"),
    (0xd, "EVB"),
    (0xe, "CDCP"),
];

/// print-lldp.c `lldp_8021_port_protocol_id_values`.
pub(super) const PORT_PROTOCOL_ID_VALUES: [Tok; 2] = [(0x2, "supported"), (0x4, "enabled")];

/// print-lldp.c `lldp_8023_subtype_values`.
pub(super) const IEEE8023_SUBTYPES: [Tok; 4] = [
    (0x1, "MAC/PHY configuration/status"),
    (0x2, "Power via MDI"),
    (0x3, "Link aggregation"),
    (0x4, "Max frame size"),
];

/// print-lldp.c `lldp_tia_subtype_values`.
pub(super) const TIA_SUBTYPES: [Tok; 11] = [
    (0x1, "LLDP-MED Capabilities"),
    (0x2, "Network policy"),
    (0x3, "Location identification"),
    (0x4, "Extended power-via-MDI"),
    (0x5, "Inventory - hardware revision"),
    (0x6, "Inventory - firmware revision"),
    (0x7, "Inventory - software revision"),
    (0x8, "Inventory - serial number"),
    (0x9, "Inventory - manufacturer name"),
    (0xa, "Inventory - model name"),
    (0xb, "Inventory - asset ID"),
];

/// print-lldp.c `lldp_tia_location_altitude_type_values`.
pub(super) const TIA_ALTITUDE_TYPES: [Tok; 2] = [(0x1, "meters"), (0x2, "floors")];

/// print-lldp.c `lldp_tia_location_lci_catype_values`.
pub(super) const TIA_LCI_CATYPES: [Tok; 6] = [
    (
        0x1,
        "national subdivisions (state,canton,region,province,prefecture)",
    ),
    (0x2, "county, parish, gun, district"),
    (0x3, "city, township, shi"),
    (0x4, "city division, borough, city district, ward chou"),
    (0x5, "neighborhood, block"),
    (0x6, "street"),
];

/// print-lldp.c `lldp_tia_location_lci_what_values`.
pub(super) const TIA_LCI_WHAT: [Tok; 3] = [
    (0x0, "location of DHCP server"),
    (
        0x1,
        "location of the network element believed to be closest to the client",
    ),
    (0x2, "location of the client"),
];

/// print-lldp.c `lldp_mau_types_values`.
pub(super) const MAU_TYPES: [Tok; 41] = [
    (0x0, "Unknown"),
    (0x1, "AUI"),
    (0x2, "10BASE_5"),
    (0x3, "FOIRL"),
    (0x4, "10BASE2"),
    (0x5, "10BASET duplex mode unknown"),
    (0x6, "10BASEFP"),
    (0x7, "10BASEFB"),
    (0x8, "10BASEFL duplex mode unknown"),
    (0x9, "10BROAD36"),
    (0xa, "10BASET hdx"),
    (0xb, "10BASET fdx"),
    (0xc, "10BASEFL hdx"),
    (0xd, "10BASEFL fdx"),
    (0xe, "100BASET4"),
    (0xf, "100BASETX hdx"),
    (0x10, "100BASETX fdx"),
    (0x11, "100BASEFX hdx"),
    (0x12, "100BASEFX fdx"),
    (0x13, "100BASET2 hdx"),
    (0x14, "100BASET2 fdx"),
    (0x15, "1000BASEX hdx"),
    (0x16, "1000BASEX fdx"),
    (0x17, "1000BASELX hdx"),
    (0x18, "1000BASELX fdx"),
    (0x19, "1000BASESX hdx"),
    (0x1a, "1000BASESX fdx"),
    (0x1b, "1000BASECX hdx"),
    (0x1c, "1000BASECX fdx"),
    (0x1d, "1000BASET hdx"),
    (0x1e, "1000BASET fdx"),
    (0x1f, "10GBASEX"),
    (0x20, "10GBASELX4"),
    (0x21, "10GBASER"),
    (0x22, "10GBASEER"),
    (0x23, "10GBASELR"),
    (0x24, "10GBASESR"),
    (0x25, "10GBASEW"),
    (0x26, "10GBASEEW"),
    (0x27, "10GBASELW"),
    (0x28, "10GBASESW"),
];

/// print-lldp.c `lldp_8023_autonegotiation_values`.
pub(super) const AUTONEGOTIATION_VALUES: [Tok; 2] = [(0x1, "supported"), (0x2, "enabled")];

/// print-lldp.c `lldp_tia_capabilities_values`.
pub(super) const TIA_CAPABILITIES: [Tok; 6] = [
    (0x1, "LLDP-MED capabilities"),
    (0x2, "network policy"),
    (0x4, "location identification"),
    (0x8, "extended power via MDI-PSE"),
    (0x10, "extended power via MDI-PD"),
    (0x20, "Inventory"),
];

/// print-lldp.c `lldp_tia_device_type_values`.
pub(super) const TIA_DEVICE_TYPES: [Tok; 4] = [
    (0x1, "endpoint class 1"),
    (0x2, "endpoint class 2"),
    (0x3, "endpoint class 3"),
    (0x4, "network connectivity"),
];

/// print-lldp.c `lldp_tia_application_type_values`.
pub(super) const TIA_APPLICATION_TYPES: [Tok; 8] = [
    (0x1, "voice"),
    (0x2, "voice signaling"),
    (0x3, "guest voice"),
    (0x4, "guest voice signaling"),
    (0x5, "softphone voice"),
    (0x6, "video conferencing"),
    (0x7, "streaming video"),
    (0x8, "video signaling"),
];

/// print-lldp.c `lldp_tia_network_policy_bits_values`.
pub(super) const TIA_NETWORK_POLICY_BITS: [Tok; 3] =
    [(0x80, "Unknown"), (0x40, "Tagged"), (0x20, "reserved")];

/// print-lldp.c `lldp_tia_location_data_format_values`.
pub(super) const TIA_LOCATION_DATA_FORMATS: [Tok; 3] = [
    (0x1, "coordinate-based LCI"),
    (0x2, "civic address LCI"),
    (0x3, "ECS ELIN"),
];

/// print-lldp.c `lldp_tia_location_datum_type_values`.
pub(super) const TIA_DATUM_TYPES: [Tok; 3] = [
    (0x1, "World Geodesic System 1984"),
    (0x2, "North American Datum 1983 (NAVD88)"),
    (0x3, "North American Datum 1983 (MLLW)"),
];

/// print-lldp.c `lldp_tia_power_source_values`.
pub(super) const TIA_POWER_SOURCES: [Tok; 3] = [
    (0x1, "PSE - primary power source"),
    (0x2, "local - backup power source"),
    (0x3, "PSE+local - reserved"),
];

/// print-lldp.c `lldp_tia_power_priority_values`.
pub(super) const TIA_POWER_PRIORITIES: [Tok; 3] = [(0x1, "critical"), (0x2, "high"), (0x3, "low")];

/// print-lldp.c `lldp_tia_inventory_values`.
pub(super) const TIA_INVENTORY: [Tok; 7] = [
    (0x5, "Hardware revision"),
    (0x6, "Firmware revision"),
    (0x7, "Software revision"),
    (0x8, "Serial number"),
    (0x9, "Manufacturer name"),
    (0xa, "Model name"),
    (0xb, "Asset ID"),
];

/// print-lldp.c `lldp_pmd_capability_values`.
pub(super) const PMD_CAPABILITIES: [Tok; 15] = [
    (0x4000, "10BASE-T hdx"),
    (0x2000, "10BASE-T fdx"),
    (0x1000, "100BASE-T4"),
    (0x800, "100BASE-TX hdx"),
    (0x400, "100BASE-TX fdx"),
    (0x200, "100BASE-T2 hdx"),
    (0x100, "100BASE-T2 fdx"),
    (0x80, "Pause for fdx links"),
    (0x40, "Asym PAUSE for fdx"),
    (0x20, "Sym PAUSE for fdx"),
    (0x10, "Asym and Sym PAUSE for fdx"),
    (0x8, "1000BASE-{X LX SX CX} hdx"),
    (0x4, "1000BASE-{X LX SX CX} fdx"),
    (0x2, "1000BASE-T hdx"),
    (0x1, "1000BASE-T fdx"),
];

/// print-lldp.c `lldp_mdi_values`.
pub(super) const MDI_VALUES: [Tok; 4] = [
    (0x1, "PSE"),
    (0x2, "supported"),
    (0x4, "enabled"),
    (0x8, "can be controlled"),
];

/// print-lldp.c `lldp_mdi_power_pairs_values`.
pub(super) const MDI_POWER_PAIRS: [Tok; 2] = [(0x1, "signal"), (0x2, "spare")];

/// print-lldp.c `lldp_mdi_power_class_values`.
pub(super) const MDI_POWER_CLASSES: [Tok; 5] = [
    (0x1, "class0"),
    (0x2, "class1"),
    (0x3, "class2"),
    (0x4, "class3"),
    (0x5, "class4"),
];

/// print-lldp.c `lldp_aggregation_values`.
pub(super) const AGGREGATION_VALUES: [Tok; 2] = [(0x1, "supported"), (0x2, "enabled")];

/// print-lldp.c `lldp_dcbx_subtype_values`.
pub(super) const DCBX_SUBTYPES: [Tok; 2] = [
    (0x1, "DCB Capability Exchange Protocol Rev 1"),
    (0x2, "DCB Capability Exchange Protocol Rev 1.01"),
];

/// print-lldp.c `lldp_intf_numb_subtype_values`.
pub(super) const INTF_NUMB_SUBTYPES: [Tok; 2] =
    [(0x2, "Interface Index"), (0x3, "System Port Number")];

/// print-lldp.c `lldp_evb_mode_values`.
pub(super) const EVB_MODES: [Tok; 4] = [
    (0x0, "Not Supported"),
    (0x1, "EVB Bridge"),
    (0x2, "EVB Station"),
    (0x3, "Reserved for future Standardization"),
];

/// print-lldp.c `lldp_iana_subtype_values`.
pub(super) const IANA_SUBTYPES: [Tok; 1] = [(0x1, "MUD-URL")];
