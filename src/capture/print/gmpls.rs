//! The GMPLS and DiffServ-TE name tables of gmpls.c at tcpdump-4.99.3, shared by the OSPF and
//! IS-IS traffic engineering printers, and their bandwidth format.
//!
//! Must not do I/O.

use super::tok::Tok;
use super::Nd;
use crate::nd_print;

/// gmpls.c `gmpls_link_prot_values`.
pub const GMPLS_LINK_PROT: &[Tok] = &[
    (0x01, "Extra Traffic"),
    (0x02, "Unprotected"),
    (0x04, "Shared"),
    (0x08, "Dedicated 1:1"),
    (0x10, "Dedicated 1+1"),
    (0x20, "Enhanced"),
    (0x40, "Reserved"),
    (0x80, "Reserved"),
];

/// gmpls.c `gmpls_switch_cap_values`.
pub const GMPLS_SWITCH_CAP: &[Tok] = &[
    (1, "Packet-Switch Capable-1"),
    (2, "Packet-Switch Capable-2"),
    (3, "Packet-Switch Capable-3"),
    (4, "Packet-Switch Capable-4"),
    (51, "Layer-2 Switch Capable"),
    (100, "Time-Division-Multiplex"),
    (150, "Lambda-Switch Capable"),
    (200, "Fiber-Switch Capable"),
];

/// gmpls.c `gmpls_encoding_values`.
pub const GMPLS_ENCODING: &[Tok] = &[
    (1, "Packet"),
    (2, "Ethernet V2/DIX"),
    (3, "ANSI/ETSI PDH"),
    (4, "Reserved"),
    (5, "SDH ITU-T G.707/SONET ANSI T1.105"),
    (6, "Reserved"),
    (7, "Digital Wrapper"),
    (8, "Lambda (photonic)"),
    (9, "Fiber"),
    (10, "Reserved"),
    (11, "FiberChannel"),
];

/// gmpls.c `diffserv_te_bc_values`.
pub const DIFFSERV_TE_BC: &[Tok] = &[
    (0, "Russian dolls"),
    (1, "Maximum allocation"),
    (254, "Maximum allocation with E-LSP support"),
];

/// gmpls.c `gmpls_switch_cap_tsc_indication_values`.
pub const GMPLS_TSC_INDICATION: &[Tok] = &[(0, "Standard SONET/SDH"), (1, "Arbitrary SONET/SDH")];

/// A bandwidth: an IEEE 754 single in bytes per second, as megabits per second with three
/// decimals (gmpls users' `bw.f * 8 / 1000000` through `%.3f`).
pub fn mbps_print(nd: &mut Nd<'_>, bits: u32) {
    let v = f32::from_bits(bits) * 8.0 / 1_000_000.0;
    if v.is_nan() {
        nd.print(if v.is_sign_negative() { "-nan" } else { "nan" });
    } else {
        nd_print!(nd, "{:.3}", f64::from(v));
    }
}
