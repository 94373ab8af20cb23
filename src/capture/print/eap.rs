//! EAP requests and responses (RFC 3748), mirroring `eap_print` in print-eap.c at
//! tcpdump-4.99.3, as RADIUS's EAP-Message attribute hands them over: code, id, length, and
//! for requests and responses the type with what tcpdump decodes of it.
//!
//! Must not do I/O: it only reads the captured bytes.

use super::tok::{bittok2str, tok2str, Tok};
use super::util::{print_trunc, printjnp};
use super::{get_be_u16, get_be_u32, get_u8, ttest, Nd, PResult};

const REQUEST: u8 = 1;
const RESPONSE: u8 = 2;

const TYPE_IDENTITY: u8 = 1;
const TYPE_NOTIFICATION: u8 = 2;
const TYPE_NAK: u8 = 3;
const TYPE_TLS: u8 = 13;
const TYPE_SIM: u8 = 18;
const TYPE_TTLS: u8 = 21;
const TYPE_AKA: u8 = 23;
const TYPE_FAST: u8 = 43;

/// Codes (print-eap.c `eap_code_values`).
const CODES: [Tok; 4] = [
    (1, "Request"),
    (2, "Response"),
    (3, "Success"),
    (4, "Failure"),
];

/// Types (print-eap.c `eap_type_values`).
const TYPES: [Tok; 14] = [
    (0, "No proposed"),
    (1, "Identity"),
    (2, "Notification"),
    (3, "Nak"),
    (4, "MD5-challenge"),
    (5, "OTP"),
    (6, "GTC"),
    (13, "TLS"),
    (18, "SIM"),
    (21, "TTLS"),
    (23, "AKA"),
    (43, "FAST"),
    (254, "Expanded types"),
    (255, "Experimental"),
];

/// TLS flags (RFC 5216; print-eap.c `eap_tls_flags_values`).
const TLS_FLAGS: [Tok; 3] = [
    (0x80, "L bit"),
    (0x40, "More fragments bit"),
    (0x20, "Start bit"),
];

/// EAP-SIM and EAP-AKA subtypes (RFC 4186, 4187; print-eap.c `eap_aka_subtype_values`).
const AKA_SUBTYPES: [Tok; 9] = [
    (1, "Challenge"),
    (2, "Auth reject"),
    (4, "Sync failure"),
    (5, "Identity"),
    (10, "Start"),
    (11, "Challenge"),
    (12, "Notification"),
    (13, "Reauth"),
    (14, "Client error"),
];

/// Print the EAP packet of `length` bytes at `at` (print-eap.c `eap_print`).
pub fn print(nd: &mut Nd<'_>, d: &[u8], at: usize, length: usize) -> PResult {
    let code = get_u8(d, at)?;
    let len = usize::from(get_be_u16(d, at + 2)?);
    if len != length {
        // Probably a fragment, without an EAP header of its own.
        nd.print("EAP fragment?");
        return Ok(());
    }
    {
        let v0 = tok2str(&CODES, "unknown", u32::from(code));
        let v1 = get_u8(d, at + 1)?;
        nd.print_tok(v0);
        nd.print(" (");
        nd.print_dec(code);
        nd.print("), id ");
        nd.print_dec(v1);
        nd.print(", len ");
        nd.print_dec(len);
    };
    if len < 4 {
        nd.print(" (too short for EAP header)");
        return Ok(());
    }
    if !ttest(d, at, len) {
        print_trunc(nd);
        return Ok(());
    }
    if code != REQUEST && code != RESPONSE {
        return Ok(());
    }
    if len < 5 {
        nd.print(" (too short for EAP request/response)");
        return Ok(());
    }
    let ty = get_u8(d, at + 4)?;
    {
        let v0 = tok2str(&TYPES, "unknown", u32::from(ty));
        nd.print("\n\t\t Type ");
        nd.print_tok(v0);
        nd.print(" (");
        nd.print_dec(ty);
        nd.print(")");
    };
    let too_short = |nd: &mut Nd<'_>, what: &str| {
        nd.print(" (too short for EAP ");
        nd.print(what);
        nd.print(" request/response)");
    };
    match ty {
        // The identity is optional (RFC 3748 section 5.1).
        TYPE_IDENTITY if len > 5 => {
            nd.print(", Identity: ");
            printjnp(nd, d, at + 5, len - 5)?;
        }
        TYPE_NOTIFICATION => {
            if len < 6 {
                too_short(nd, "Notification");
                return Ok(());
            }
            nd.print(", Notification: ");
            printjnp(nd, d, at + 5, len - 5)?;
        }
        TYPE_NAK => {
            if len < 6 {
                too_short(nd, "Legacy NAK");
                return Ok(());
            }
            let mut sep = "";
            for i in 5..len {
                let t = get_u8(d, at + i)?;
                {
                    let v0 = tok2str(&TYPES, "unknown", u32::from(t));
                    nd.print(sep);
                    nd.print(" ");
                    nd.print_tok(v0);
                    nd.print(" (");
                    nd.print_dec(t);
                    nd.print(")");
                };
                sep = ",";
            }
        }
        TYPE_TLS | TYPE_TTLS | TYPE_FAST => {
            let what = if ty == TYPE_FAST { "FAST" } else { "TLS/TTLS" };
            if len < 6 {
                too_short(nd, what);
                return Ok(());
            }
            let flags = get_u8(d, at + 5)?;
            match ty {
                TYPE_TTLS => {
                    let v0 = flags & 0x07;
                    nd.print(" TTLSv");
                    nd.print_dec(v0);
                }
                TYPE_FAST => {
                    let v0 = flags & 0x07;
                    nd.print(" FASTv");
                    nd.print_dec(v0);
                }
                _ => {}
            }
            {
                let v0 = bittok2str(&TLS_FLAGS, "none", u32::from(flags));
                nd.print(" flags [");
                nd.print_display(v0);
                nd.print("] 0x");
                nd.print_hex(flags, 2);
            };
            if flags & 0x80 != 0 {
                if len < 10 {
                    nd.print(" (too short for EAP ");
                    nd.print(what);
                    nd.print(" request/response with length)");
                    return Ok(());
                }
                {
                    let v0 = get_be_u32(d, at + 6)?;
                    nd.print(", len ");
                    nd.print_dec(v0);
                };
            }
        }
        TYPE_AKA | TYPE_SIM => {
            if len < 6 {
                too_short(nd, "SIM/AKA");
                return Ok(());
            }
            let sub = get_u8(d, at + 5)?;
            {
                let v0 = tok2str(&AKA_SUBTYPES, "unknown", u32::from(sub));
                nd.print(" subtype [");
                nd.print_tok(v0);
                nd.print("] 0x");
                nd.print_hex(sub, 2);
            };
        }
        _ => {}
    }
    Ok(())
}
