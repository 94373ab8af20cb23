//! IEEE 802.11 (print-802_11.c at tcpdump-4.99.3): management, control and data frames for
//! link types IEEE802_11 (105) and, in `ieee802_11/radiotap.rs`, IEEE802_11_RADIO (127).
//! Data frames hand their payload to the 802.2 LLC printer. With `-H` a QoS data frame's
//! body starts with an 802.11s mesh control header when its first byte could be one (`-e`
//! prints it). Not supported: Prism and AVS headers.
//!
//! print-802_11.c does not define `ND_LONGJMP_FROM_TCHECK`: a frame body cut short prints
//! ` [|802.11]` and stops (`Ok`), while `GET_*` reads past the capture are `Err(Trunc)`.
//!
//! Must not do I/O: it only reads the captured bytes.

pub mod radiotap;
mod tables;

use super::ether::{llc_print, Addrs};
use super::names::etheraddr_at;
use super::tok::{tok2str, Tok};
use super::util::{default_print, fn_print_char, get_le_u16, get_le_u32, print_trunc};
use super::{get_array, get_u8, ttest, Nd, PResult};
use crate::nd_print;
use tables::{AUTH_ALG_TEXT, REASON_TEXT, STATUS_TEXT};

const T_MGMT: u16 = 0;
const T_CTRL: u16 = 1;
const T_DATA: u16 = 2;

const MGMT_HDRLEN: usize = 24;

/// print-802_11.c `st_str`: management subtypes.
const ST_STR: [Tok; 12] = [
    (0x0, "Assoc Request"),
    (0x1, "Assoc Response"),
    (0x2, "ReAssoc Request"),
    (0x3, "ReAssoc Response"),
    (0x4, "Probe Request"),
    (0x5, "Probe Response"),
    (0x8, "Beacon"),
    (0x9, "ATIM"),
    (0xa, "Disassociation"),
    (0xb, "Authentication"),
    (0xc, "DeAuthentication"),
    (0xd, "Action"),
];

/// print-802_11.c `ctrl_str`: control subtypes.
const CTRL_STR: [Tok; 9] = [
    (0x7, "Control Wrapper"),
    (0x8, "BAR"),
    (0x9, "BA"),
    (0xa, "Power Save-Poll"),
    (0xb, "Request-To-Send"),
    (0xc, "Clear-To-Send"),
    (0xd, "Acknowledgment"),
    (0xe, "CF-End"),
    (0xf, "CF-End+CF-Ack"),
];

/// The frame control field's parts (print-802_11.c `FC_*`).
#[derive(Clone, Copy)]
struct Fc(u16);

impl Fc {
    fn ty(self) -> u16 {
        (self.0 >> 2) & 0x3
    }
    fn subtype(self) -> u16 {
        (self.0 >> 4) & 0xf
    }
    fn ds_to(self) -> bool {
        self.0 & 0x0100 != 0
    }
    fn ds_from(self) -> bool {
        self.0 & 0x0200 != 0
    }
    fn protected(self) -> bool {
        self.0 & 0x4000 != 0
    }
}

/// Print a frame of link type IEEE802_11 (`ieee802_11_if_print`); adds the header length
/// to `nd.ll_hdr_len`.
pub fn print(nd: &mut Nd<'_>, data: &[u8], len: u32) -> PResult {
    nd.protocol = "802.11";
    let hdrlen = frame_print(nd, data, len as usize, false, 0)?;
    nd.ll_hdr_len += hdrlen;
    Ok(())
}

/// `ieee802_11_print`: a frame of on-wire length `length` whose last `fcslen` bytes are
/// the FCS, with its header padded to 4 bytes when `pad`; returns the header length.
fn frame_print(
    nd: &mut Nd<'_>,
    data: &[u8],
    length: usize,
    pad: bool,
    fcslen: usize,
) -> PResult<usize> {
    nd.protocol = "802.11";
    let orig_caplen = data.len();
    let Some(length) = length.checked_sub(fcslen) else {
        print_trunc(nd);
        return Ok(orig_caplen);
    };
    // The FCS is not part of the frame: the capture ends before it.
    let p = data.get(..length).unwrap_or(data);
    if p.len() < 2 {
        print_trunc(nd);
        return Ok(orig_caplen);
    }
    let fc = Fc(get_le_u16(p, 0)?);
    let Some(mut hdrlen) = header_length(nd, fc) else {
        return Ok(0);
    };
    if pad {
        hdrlen = hdrlen.next_multiple_of(4);
    }
    let mut meshdrlen = 0;
    if nd.opts.h > 0 && fc.ty() == T_DATA && fc.subtype() & 0x08 != 0 {
        if !ttest(p, hdrlen, 1) {
            print_trunc(nd);
            return Ok(hdrlen);
        }
        meshdrlen = mesh_header_length(get_u8(p, hdrlen)?);
        hdrlen += meshdrlen;
    }
    if p.len() < hdrlen {
        print_trunc(nd);
        return Ok(hdrlen);
    }
    if nd.opts.e > 0 {
        header_print(nd, fc, p, hdrlen - meshdrlen, meshdrlen)?;
    }
    let body = p.get(hdrlen..).unwrap_or(&[]);
    let blen = length - hdrlen;
    match fc.ty() {
        T_MGMT => {
            let src = get_array(p, 10)?;
            if !mgmt_body_print(nd, fc, src, body, blen)? {
                print_trunc(nd);
            }
        }
        T_CTRL if !ctrl_body_print(nd, fc, p)? => print_trunc(nd),
        T_DATA => return data_body_print(nd, fc, p, hdrlen, blen),
        _ => {}
    }
    Ok(hdrlen)
}

/// The header length of the frame's type and subtype, or `None` after saying it is
/// unknown (`extract_header_length`).
fn header_length(nd: &mut Nd<'_>, fc: Fc) -> Option<usize> {
    match fc.ty() {
        T_MGMT => Some(MGMT_HDRLEN),
        T_CTRL => match fc.subtype() {
            0x7 | 0xa | 0xb | 0xe | 0xf => Some(16),
            0x8 => Some(20),
            0x9 | 0xc | 0xd => Some(10),
            st => {
                nd_print!(nd, "unknown 802.11 ctrl frame subtype ({st})");
                None
            }
        },
        T_DATA => {
            let base = if fc.ds_to() && fc.ds_from() { 30 } else { 24 };
            Some(base + if fc.subtype() & 0x08 != 0 { 2 } else { 0 })
        }
        t => {
            nd_print!(nd, "unknown 802.11 frame type ({t})");
            None
        }
    }
}

/// The length of the mesh control header whose flags byte is `flags`: 6 bytes and 6 more for
/// each address its extension mode adds, or none when a reserved bit is set
/// (`extract_mesh_header_length`).
fn mesh_header_length(flags: u8) -> usize {
    if flags & !3 != 0 {
        0
    } else {
        6 * (1 + usize::from(flags & 3))
    }
}

/// `MeshData (AE n TTL n seq n A4:... A5:... A6:...) ` of the mesh control header at `at`.
fn mesh_header_print(nd: &mut Nd<'_>, p: &[u8], at: usize) -> PResult {
    let ae = get_u8(p, at)? & 3;
    nd_print!(
        nd,
        "MeshData (AE {ae} TTL {} seq {}",
        get_u8(p, at + 1)?,
        get_le_u32(p, at + 2)?
    );
    for (i, name) in ["A4", "A5", "A6"].into_iter().enumerate() {
        if usize::from(ae) > i {
            let a = etheraddr_at(nd, p, at + 6 + 6 * i)?;
            nd_print!(nd, " {name}:{a}");
        }
    }
    nd.print(") ");
    Ok(())
}

/// The addresses of a data frame by its DS bits (`get_data_src_dst_mac`).
fn data_addrs(fc: Fc, p: &[u8]) -> PResult<Addrs> {
    let (src, dst) = match (fc.ds_to(), fc.ds_from()) {
        (false, false) => (10, 4),
        (false, true) => (16, 4),
        (true, false) => (10, 16),
        (true, true) => (24, 16),
    };
    Ok(Addrs {
        src: get_array(p, src)?,
        dst: get_array(p, dst)?,
    })
}

/// A data frame's body: nothing for the no-data subtypes, the WEP header when protected,
/// else 802.2 LLC; returns the header length with the LLC header's.
fn data_body_print(
    nd: &mut Nd<'_>,
    fc: Fc,
    p: &[u8],
    hdrlen: usize,
    blen: usize,
) -> PResult<usize> {
    if fc.subtype() & 0x04 != 0 {
        return Ok(hdrlen);
    }
    let body = p.get(hdrlen..).unwrap_or(&[]);
    if fc.protected() {
        nd.print("Data");
        if !wep_print(nd, body)? {
            print_trunc(nd);
        }
        return Ok(hdrlen);
    }
    let addrs = data_addrs(fc, p)?;
    let llc = llc_print(nd, body, blen, Some(&addrs))?;
    if llc < 0 {
        default_print(nd, body);
    }
    Ok(hdrlen + llc.unsigned_abs())
}

/// ` IV:... Pad ... KeyID ...`; `Ok(false)` when cut short (`wep_print`).
fn wep_print(nd: &mut Nd<'_>, p: &[u8]) -> PResult<bool> {
    if !ttest(p, 0, 4) {
        return Ok(false);
    }
    let iv = get_le_u32(p, 0)?;
    nd_print!(
        nd,
        " IV:{:3x} Pad {:x} KeyID {:x}",
        iv & 0xff_ffff,
        (iv >> 24) & 0x3f,
        (iv >> 30) & 0x03
    );
    Ok(true)
}

/// The `-e` header: flags and duration with `-v`, the mesh control header of `meshdrlen`
/// bytes at `mesh_at`, then the addresses by frame type (`ieee_802_11_hdr_print`).
fn header_print(nd: &mut Nd<'_>, fc: Fc, p: &[u8], mesh_at: usize, meshdrlen: usize) -> PResult {
    if nd.opts.v > 0 {
        let flags = [
            (0x2000, "More Data "),
            (0x0400, "More Fragments "),
            (0x1000, "Pwr Mgmt "),
            (0x0800, "Retry "),
            (0x8000, "Strictly Ordered "),
            (0x4000, "Protected "),
        ];
        for (bit, name) in flags {
            if fc.0 & bit != 0 {
                nd.print(name);
            }
        }
        if fc.ty() != T_CTRL || fc.subtype() != 0xa {
            nd_print!(nd, "{}us ", get_le_u16(p, 2)?);
        }
    }
    if meshdrlen != 0 {
        mesh_header_print(nd, p, mesh_at)?;
    }
    match fc.ty() {
        T_MGMT => addrs_print(nd, p, &[("BSSID", 16), ("DA", 4), ("SA", 10)], "", " "),
        T_CTRL => ctrl_header_print(nd, fc, p),
        T_DATA => data_header_print(nd, fc, p),
        _ => Ok(()),
    }
}

/// `NAME:ADDR` for each (name, offset), separated by spaces, between `lead` and `tail`.
fn addrs_print(
    nd: &mut Nd<'_>,
    p: &[u8],
    fields: &[(&str, usize)],
    lead: &str,
    tail: &str,
) -> PResult {
    nd.print(lead);
    for (i, (name, at)) in fields.iter().enumerate() {
        let a = etheraddr_at(nd, p, *at)?;
        let sep = if i == 0 { "" } else { " " };
        nd_print!(nd, "{sep}{name}:{a}");
    }
    nd.print(tail);
    Ok(())
}

/// A data frame's CF and QoS kind and addresses (`data_header_print`).
fn data_header_print(nd: &mut Nd<'_>, fc: Fc, p: &[u8]) -> PResult {
    let st = fc.subtype();
    if st & 0x0b != 0 {
        nd.print("CF ");
        match (st & 0x01 != 0, st & 0x02 != 0) {
            (true, true) => nd.print("Ack/Poll"),
            (true, false) => nd.print("Ack"),
            (false, true) => nd.print("Poll"),
            (false, false) => {}
        }
        if st & 0x08 != 0 {
            nd.print("+QoS");
        }
        nd.print(" ");
    }
    let fields: &[(&str, usize)] = match (fc.ds_to(), fc.ds_from()) {
        (false, false) => &[("DA", 4), ("SA", 10), ("BSSID", 16)],
        (false, true) => &[("DA", 4), ("BSSID", 10), ("SA", 16)],
        (true, false) => &[("BSSID", 4), ("SA", 10), ("DA", 16)],
        (true, true) => &[("RA", 4), ("TA", 10), ("DA", 16), ("SA", 24)],
    };
    addrs_print(nd, p, fields, "", " ")
}

/// A control frame's addresses (`ctrl_header_print`).
fn ctrl_header_print(nd: &mut Nd<'_>, fc: Fc, p: &[u8]) -> PResult {
    match fc.subtype() {
        0x8 => bar_print(nd, p),
        0x9 | 0xc | 0xd => addrs_print(nd, p, &[("RA", 4)], "", " "),
        0xa => addrs_print(nd, p, &[("BSSID", 4), ("TA", 10)], "", " "),
        0xb => addrs_print(nd, p, &[("RA", 4), ("TA", 10)], "", " "),
        0xe | 0xf => addrs_print(nd, p, &[("RA", 4), ("BSSID", 10)], "", " "),
        _ => Ok(()),
    }
}

/// ` RA:... TA:... CTL(..) SEQ(..) ` of a block ack request.
fn bar_print(nd: &mut Nd<'_>, p: &[u8]) -> PResult {
    addrs_print(nd, p, &[("RA", 4), ("TA", 10)], " ", "")?;
    nd_print!(
        nd,
        " CTL({:x}) SEQ({}) ",
        get_le_u16(p, 16)?,
        get_le_u16(p, 18)?
    );
    Ok(())
}

/// A control frame's name and, without `-e`, its addresses; `Ok(false)` when cut short
/// (`ctrl_body_print`, over the whole frame).
fn ctrl_body_print(nd: &mut Nd<'_>, fc: Fc, p: &[u8]) -> PResult<bool> {
    let st = fc.subtype();
    nd_print!(
        nd,
        "{}",
        tok2str(&CTRL_STR, "Unknown Ctrl Subtype", st.into())
    );
    let need = match st {
        0x8 => 20,
        0x9 | 0xc | 0xd => 10,
        0xa | 0xb | 0xe | 0xf => 16,
        _ => return Ok(true),
    };
    if !ttest(p, 0, need) {
        return Ok(false);
    }
    let e = nd.opts.e > 0;
    match st {
        0x8 if !e => bar_print(nd, p)?,
        0xa => nd_print!(nd, " AID({:x})", get_le_u16(p, 2)?),
        0xb if !e => addrs_print(nd, p, &[("TA", 10)], " ", " ")?,
        0x9 | 0xc | 0xd | 0xe | 0xf if !e => addrs_print(nd, p, &[("RA", 4)], " ", " ")?,
        _ => {}
    }
    Ok(true)
}

/// The elements of a management frame that tcpdump reports (`struct mgmt_body_t`): the
/// first SSID, rates, DS channel of their kind.
#[derive(Default)]
struct Elements<'a> {
    ssid: Option<&'a [u8]>,
    rates: Option<&'a [u8]>,
    ds: Option<u8>,
    capability: u16,
}

impl Elements<'_> {
    /// ` (SSID)`: up to the first NUL (`PRINT_SSID`).
    fn ssid_print(&self, nd: &mut Nd<'_>) {
        if let Some(ssid) = self.ssid {
            nd.print(" (");
            for &c in ssid.iter().take_while(|&&c| c != 0) {
                fn_print_char(nd, c);
            }
            nd.print(")");
        }
    }

    /// ` [1.0* 2.0 ... Mbit]` (`PRINT_RATES`).
    fn rates_print(&self, nd: &mut Nd<'_>) {
        if let Some(rates) = self.rates {
            let mut sep = " [";
            for &r in rates {
                let star = if r & 0x80 != 0 { "*" } else { "" };
                nd_print!(nd, "{sep}{:.1}{star}", 0.5 * f64::from(r & 0x7f));
                sep = " ";
            }
            nd.print(" Mbit]");
        }
    }

    /// ` CH: N` and `, PRIVACY` (`PRINT_DS_CHANNEL`).
    fn ds_print(&self, nd: &mut Nd<'_>) {
        if let Some(ch) = self.ds {
            nd_print!(nd, " CH: {ch}");
        }
        if self.capability & 0x0010 != 0 {
            nd.print(", PRIVACY");
        }
    }
}

/// The information elements from `at` (`parse_elements`): `Ok(false)` when one is cut
/// short or too long for tcpdump's buffers.
fn parse_elements<'a>(
    p: &'a [u8],
    mut at: usize,
    mut length: usize,
    el: &mut Elements<'a>,
) -> PResult<bool> {
    while length != 0 {
        if !ttest(p, at, 2) || length < 2 {
            return Ok(false);
        }
        let id = get_u8(p, at)?;
        let elen = usize::from(get_u8(p, at + 1)?);
        if !ttest(p, at + 2, elen) || length < elen + 2 {
            return Ok(false);
        }
        let value = p.get(at + 2..at + 2 + elen).unwrap_or(&[]);
        match id {
            0 if elen > 32 => return Ok(false),
            0 => {
                el.ssid.get_or_insert(value);
            }
            1 if elen > 16 => return Ok(false),
            1 if elen != 0 => {
                el.rates.get_or_insert(value);
            }
            3 if elen == 1 => {
                el.ds.get_or_insert(get_u8(p, at + 2)?);
            }
            // A TIM's bitmap holds 251 bytes.
            5 if elen > 254 => return Ok(false),
            16 if elen > 253 => return Ok(false),
            _ => {}
        }
        at += 2 + elen;
        length -= 2 + elen;
    }
    Ok(true)
}

/// A status code's text, `n/a` past the table.
fn status_text(code: u16) -> &'static str {
    STATUS_TEXT.get(usize::from(code)).copied().unwrap_or("n/a")
}

/// A management frame's name and body; `Ok(false)` when cut short (`mgmt_body_print`).
fn mgmt_body_print(
    nd: &mut Nd<'_>,
    fc: Fc,
    src: [u8; 6],
    p: &[u8],
    length: usize,
) -> PResult<bool> {
    let st = fc.subtype();
    let name = tok2str(&ST_STR, "Unhandled Management subtype(%x)", st.into());
    nd_print!(nd, "{name}");
    if fc.protected() {
        return wep_print(nd, p);
    }
    // The fixed fields before the elements, by subtype.
    let fixed = match st {
        0x0 => 4,
        0x1 | 0x3 => 6,
        0x2 => 10,
        0x4 => 0,
        0x5 | 0x8 => 12,
        0xb => 6,
        0xa | 0xc => 2,
        0xd => 2,
        _ => return Ok(true),
    };
    if !ttest(p, 0, fixed) || length < fixed {
        return Ok(false);
    }
    let mut el = Elements::default();
    match st {
        0xa | 0xc => {
            let code = get_le_u16(p, 0)?;
            let reason = REASON_TEXT
                .get(usize::from(code))
                .copied()
                .unwrap_or("Reserved");
            if st == 0xc && nd.opts.e == 0 {
                let a = super::names::etheraddr_string(nd, src);
                nd_print!(nd, " ({a}): {reason}");
            } else {
                nd_print!(nd, ": {reason}");
            }
            return Ok(true);
        }
        0xd => return action_print(nd, src, p).map(|()| true),
        _ => {}
    }
    el.capability = match st {
        0x5 | 0x8 => get_le_u16(p, 10)?,
        0x4 => 0,
        _ => get_le_u16(p, 0)?,
    };
    let ret = parse_elements(p, fixed, length - fixed, &mut el)?;
    match st {
        0x0 | 0x4 => {
            el.ssid_print(nd);
            el.rates_print(nd);
        }
        0x1 | 0x3 => {
            let status = get_le_u16(p, 2)?;
            let aid = get_le_u16(p, 4)?;
            let privacy = if el.capability & 0x0010 != 0 {
                " PRIVACY "
            } else {
                ""
            };
            nd_print!(
                nd,
                " AID({:x}) :{privacy}: {}",
                (aid << 2) >> 2,
                status_text(status)
            );
        }
        0x2 => {
            el.ssid_print(nd);
            let ap = etheraddr_at(nd, p, 4)?;
            nd_print!(nd, " AP : {ap}");
        }
        0x5 => {
            el.ssid_print(nd);
            el.rates_print(nd);
            el.ds_print(nd);
        }
        0x8 => {
            el.ssid_print(nd);
            el.rates_print(nd);
            let ess = if el.capability & 0x0001 != 0 {
                "ESS"
            } else {
                "IBSS"
            };
            nd_print!(nd, " {ess}");
            el.ds_print(nd);
        }
        _ => auth_print(nd, p)?,
    }
    Ok(ret)
}

/// An authentication frame's algorithm, sequence and status (`handle_auth`).
fn auth_print(nd: &mut Nd<'_>, p: &[u8]) -> PResult {
    let alg = get_le_u16(p, 0)?;
    let seq = get_le_u16(p, 2)?;
    let status = get_le_u16(p, 4)?;
    let alg_name = AUTH_ALG_TEXT
        .get(usize::from(alg))
        .copied()
        .unwrap_or("Reserved");
    let status = if seq % 2 == 1 {
        status_text(status)
    } else {
        ""
    };
    if alg == 1 && (seq == 2 || seq == 3) {
        nd_print!(nd, " ({alg_name})-{seq:x} [Challenge Text] {status}");
    } else {
        nd_print!(nd, " ({alg_name})-{seq:x}: {status}");
    }
    Ok(())
}

/// An action frame's category and action (`handle_action`).
fn action_print(nd: &mut Nd<'_>, src: [u8; 6], p: &[u8]) -> PResult {
    if nd.opts.e > 0 {
        nd.print(": ");
    } else {
        let a = super::names::etheraddr_string(nd, src);
        nd_print!(nd, " ({a}): ");
    }
    let cat = get_u8(p, 0)?;
    let act = get_u8(p, 1)?;
    let named = |names: &[&'static str], skip: u8| -> Option<&'static str> {
        act.checked_sub(skip)
            .and_then(|i| names.get(usize::from(i)).copied())
    };
    let (prefix, name) = match cat {
        0 => ("Spectrum Management ", None),
        1 => ("QoS ", None),
        2 => ("DLS ", None),
        3 => (
            "BA ",
            named(&["ADDBA Request", "ADDBA Response", "DELBA"], 0),
        ),
        7 => ("HT ", named(&["TxChWidth", "MIMOPwrSave"], 0)),
        13 => (
            "MeshAction ",
            named(
                &[
                    "MeshLink",
                    "HWMP",
                    "Gate Announcement",
                    "Congestion Control",
                    "MCCA Setup Request",
                    "MCCA Setup Reply",
                    "MCCA Advertisement Request",
                    "MCCA Advertisement",
                    "MCCA Teardown",
                    "TBTT Adjustment Request",
                    "TBTT Adjustment Response",
                ],
                0,
            ),
        ),
        14 => (
            "MultiohopAction ",
            named(&["Proxy Update", "Proxy Update Confirmation"], 0),
        ),
        15 => (
            "SelfprotectAction ",
            named(
                &[
                    "Peering Open",
                    "Peering Confirm",
                    "Peering Close",
                    "Group Key Inform",
                    "Group Key Acknowledge",
                ],
                1,
            ),
        ),
        127 => ("Vendor ", None),
        _ => {
            nd_print!(nd, "Reserved({cat}) Act#{act}");
            return Ok(());
        }
    };
    nd.print(prefix);
    match name {
        Some(n) => nd.print(n),
        None => nd_print!(nd, "Act#{act}"),
    }
    Ok(())
}

#[cfg(test)]
mod tests;
