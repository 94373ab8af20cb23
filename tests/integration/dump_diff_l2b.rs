//! Differential test of the discovery and OAM printers on Ethernet and Cisco SNAP: AoE,
//! LLDP (every TLV and organisation-specific subtype print-lldp.c decodes), CFM, 802.3ah
//! OAM, UDLD, DTP and VTP, and IEEE 802.11 frames with and without a radiotap header. Seeded
//! random frames — valid, cut at random points, or with
//! field lengths off — are printed by tcpdump and by `echolab dump` with several flag sets;
//! the outputs must be identical.
//!
//! tcpdump is required (CI installs it); the test fails, saying so, when it is missing.

use rand::rngs::StdRng;
use rand::Rng;

use crate::diffutil::{bytes, compare_seeded, pick};

const FLAG_SETS: &[&[&str]] = &[
    &["-nn"],
    &["-nne"],
    &["-nnv"],
    &["-nnvv", "-X"],
    &["-nnevX"],
];

/// `f` as `(captured bytes, on-wire length)`, one time in `one_in` cut short at a random
/// point from byte `from` on.
fn cut_sometimes(rng: &mut StdRng, mut f: Vec<u8>, one_in: u32, from: usize) -> (Vec<u8>, u32) {
    let len = f.len() as u32;
    if rng.gen_ratio(1, one_in) {
        let cut = rng.gen_range(from..=f.len());
        f.truncate(cut);
    }
    (f, len)
}

/// `n` frames of link type `linktype` from `frame` (given the generator and the frame's
/// index), seeded with `seed`, printed alike by tcpdump and echolab under every flag set.
fn compare_random(
    name: &str,
    linktype: u32,
    seed: u64,
    n: usize,
    mut frame: impl FnMut(&mut StdRng, usize) -> (Vec<u8>, u32),
) {
    compare_seeded(name, linktype, seed, FLAG_SETS, |rng| {
        (0..n).map(|i| frame(rng, i)).collect()
    });
}

/// [`compare_random`] for `n` Ethernet frames of `ethertype` carrying messages of `msg`.
fn compare_ether(name: &str, seed: u64, n: usize, ethertype: u16, msg: fn(&mut StdRng) -> Vec<u8>) {
    compare_random(name, 1, seed, n, |rng, _| {
        let m = msg(rng);
        ether(rng, ethertype, &m)
    });
}

/// An Ethernet frame of `ethertype` carrying `body`, `(captured bytes, on-wire length)`;
/// a quarter of them cut short at a random point.
fn ether(rng: &mut StdRng, ethertype: u16, body: &[u8]) -> (Vec<u8>, u32) {
    let mut f = vec![
        0x01, 0x80, 0xc2, 0, 0, 0x0e, 0x00, 0x11, 0x22, 0x33, 0x44, 0xaa,
    ];
    f.extend_from_slice(&ethertype.to_be_bytes());
    f.extend_from_slice(body);
    cut_sometimes(rng, f, 4, 14)
}

/// An 802.3 frame with Cisco SNAP and protocol id `pid`, cut short a quarter of the time.
fn cisco_snap(rng: &mut StdRng, pid: u16, body: &[u8]) -> (Vec<u8>, u32) {
    let mut f = vec![
        0x01, 0x00, 0x0c, 0xcc, 0xcc, 0xcc, 0x00, 0x11, 0x22, 0x33, 0x44, 0xaa,
    ];
    let n = (body.len() + 8) as u16;
    f.extend_from_slice(&n.to_be_bytes());
    f.extend_from_slice(&[0xaa, 0xaa, 0x03, 0x00, 0x00, 0x0c]);
    f.extend_from_slice(&pid.to_be_bytes());
    f.extend_from_slice(body);
    cut_sometimes(rng, f, 4, 14)
}

/// An End TLV (two zero bytes) after `m`, half the time.
fn end_sometimes(rng: &mut StdRng, m: &mut Vec<u8>) {
    if rng.gen() {
        m.extend_from_slice(&[0, 0]);
    }
}

/// A length near `right`: mostly right, sometimes off by a little or anything.
fn near(rng: &mut StdRng, right: usize) -> usize {
    match rng.gen_range(0..10) {
        0 => right + rng.gen_range(1..4),
        1 => right.saturating_sub(rng.gen_range(1..4)),
        2 => rng.gen_range(0..64),
        _ => right,
    }
}

/// Printable text of `n` bytes, with a NUL or a control byte now and then.
fn text(rng: &mut StdRng, n: usize) -> Vec<u8> {
    (0..n)
        .map(|_| match rng.gen_range(0..20) {
            0 => 0,
            1 => pick(rng, &[b'\n', 0x01, 0xc3]),
            _ => rng.gen_range(0x20..0x7f),
        })
        .collect()
}

/// Text of fewer than `max` bytes.
fn text_upto(rng: &mut StdRng, max: usize) -> Vec<u8> {
    let n = rng.gen_range(0..max);
    text(rng, n)
}

/// Random bytes, as many as one of `lens`.
fn bytes_pick(rng: &mut StdRng, lens: &[usize]) -> Vec<u8> {
    let n = pick(rng, lens);
    bytes(rng, n)
}

/// An AoE version 1 frame of each command, the argument lengths and counts sometimes wrong.
fn aoe(rng: &mut StdRng) -> Vec<u8> {
    let ver = if rng.gen_ratio(1, 10) { 2 } else { 1 };
    let command = pick(rng, &[0u8, 1, 2, 3, 9]);
    let mut m = vec![ver << 4 | rng.gen_range(0..16), rng.gen_range(0..8)];
    m.extend(bytes(rng, 3));
    m.push(command);
    m.extend(bytes(rng, 4));
    match command {
        0 => {
            m.extend(bytes(rng, 12));
            let n = pick(rng, &[0usize, 0, 8, 512]);
            m.extend(bytes(rng, n));
        }
        1 => {
            m.extend(bytes(rng, 6));
            let s = text_upto(rng, 20);
            m.extend_from_slice(&(near(rng, s.len()) as u16).to_be_bytes());
            m.extend(s);
        }
        2 => {
            let n = rng.gen_range(0..4);
            m.extend_from_slice(&[0, rng.gen_range(0..3), rng.gen_range(0..4)]);
            m.push(near(rng, n) as u8);
            for _ in 0..n {
                m.extend_from_slice(&[0, rng.gen_range(0..4)]);
                m.extend(bytes(rng, 6));
            }
        }
        3 => {
            let n = rng.gen_range(0..4);
            m.extend_from_slice(&[rng.gen_range(0..4), near(rng, n) as u8]);
            let k = near(rng, 6 * n);
            m.extend(bytes(rng, k));
        }
        _ => m.extend(bytes(rng, 6)),
    }
    if rng.gen_ratio(1, 8) {
        m.truncate(rng.gen_range(0..=m.len()));
    }
    m
}

#[test]
fn random_aoe_frames_print_as_tcpdump() {
    compare_ether("aoe", 0x414f_4501, 2500, 0x88a2, aoe);
}

/// An LLDP TLV header: 7 bits of type, 9 of length.
fn lldp_tlv(m: &mut Vec<u8>, ty: u16, value: &[u8], len: usize) {
    m.extend_from_slice(&(ty << 9 | (len as u16 & 0x1ff)).to_be_bytes());
    m.extend_from_slice(value);
}

/// A network address of a family print-lldp.c knows, or another.
fn lldp_addr(rng: &mut StdRng) -> Vec<u8> {
    let af = pick(rng, &[1u8, 2, 6, 1, 9]);
    let n = match af {
        1 => 4,
        2 => 16,
        6 => 6,
        _ => 3,
    };
    let n = near(rng, n).min(31);
    let mut a = vec![af];
    a.extend(bytes(rng, n));
    a
}

/// The value of an organisation-specific TLV: an OUI print-lldp.c decodes and a subtype.
fn lldp_org(rng: &mut StdRng) -> Vec<u8> {
    let oui: u32 = pick(
        rng,
        &[0x0080c2, 0x00120f, 0x00005e, 0x0012bb, 0x001b21, 0x00000c],
    );
    let mut v = oui.to_be_bytes()[1..].to_vec();
    let sub = match oui {
        0x0080c2 => rng.gen_range(0..16),
        0x00120f => rng.gen_range(0..6),
        0x0012bb => rng.gen_range(0..13),
        0x001b21 => pick(rng, &[1u8, 2, 2, 2]),
        _ => rng.gen_range(0..3),
    };
    v.push(sub);
    match (oui, sub) {
        (0x0080c2, 3 | 4) | (0x0012bb, 5..=11) => {
            let s = text_upto(rng, 12);
            if oui == 0x0080c2 {
                v.extend(bytes(rng, if sub == 3 { 2 } else { 0 }));
                v.push(near(rng, s.len()) as u8);
            }
            v.extend(s);
        }
        (0x00005e, 1) => v.extend(text_upto(rng, 30)),
        (0x0012bb, 3) => v.extend(lldp_location(rng)),
        (0x001b21, 2) => v.extend(dcbx_tlvs(rng)),
        (0x0080c2, 12 | 14) => {
            let n = pick(rng, &[1usize, 4, 7, 10, 6]);
            v.extend(bytes(rng, n));
        }
        _ => {
            let n = pick(rng, &[0usize, 1, 2, 3, 5, 8, 21, 24, 30]);
            v.extend(bytes(rng, n));
        }
    }
    v
}

/// A TIA location: coordinates, a civic address with its elements, an ELIN or another format.
fn lldp_location(rng: &mut StdRng) -> Vec<u8> {
    let format = pick(rng, &[1u8, 2, 2, 3, 7]);
    let mut v = vec![format];
    match format {
        2 => {
            let mut elems = Vec::new();
            for _ in 0..rng.gen_range(0..4) {
                let s = text_upto(rng, 6);
                elems.extend_from_slice(&[rng.gen_range(0..8), near(rng, s.len()) as u8]);
                elems.extend(s);
            }
            v.push(near(rng, elems.len() + 3) as u8);
            v.push(rng.gen_range(0..4));
            v.extend(text(rng, 2));
            v.extend(elems);
        }
        _ => {
            let n = pick(rng, &[16usize, 15, 5, 0]);
            v.extend(bytes(rng, n));
        }
    }
    v
}

/// DCBX 1.01 inner TLVs of each type, their lengths sometimes short.
fn dcbx_tlvs(rng: &mut StdRng) -> Vec<u8> {
    let mut v = Vec::new();
    for _ in 0..rng.gen_range(0..4) {
        let ty = pick(rng, &[1u16, 2, 3, 4, 9]);
        let right = match ty {
            1 => 10,
            2 => 17,
            3 => 6,
            4 => 4 + 6 * rng.gen_range(0..3),
            _ => 3,
        };
        let n = near(rng, right);
        let body = bytes(rng, n);
        lldp_tlv(&mut v, ty, &body, near(rng, n));
    }
    v
}

/// An LLDP PDU: TLVs of every type with plausible values, lengths sometimes off.
fn lldp(rng: &mut StdRng) -> Vec<u8> {
    let mut m = Vec::new();
    for _ in 0..rng.gen_range(0..8) {
        let ty = pick(rng, &[1u16, 2, 3, 4, 5, 6, 7, 8, 127, 127, 127, 127, 9, 0]);
        let v = match ty {
            1 | 2 => {
                let sub = rng.gen_range(0..9);
                let mut v = vec![sub];
                match sub {
                    3..=5 => v.extend(lldp_addr(rng)),
                    _ => v.extend(text_upto(rng, 10)),
                }
                v
            }
            3 => bytes_pick(rng, &[2usize, 2, 1]),
            4..=6 => text_upto(rng, 20),
            7 => bytes_pick(rng, &[4usize, 4, 3]),
            8 => {
                // Address, interface numbering, then an optional OID.
                let a = lldp_addr(rng);
                let mut v = vec![near(rng, a.len()) as u8];
                v.extend(a);
                v.push(rng.gen_range(0..4));
                v.extend(bytes_pick(rng, &[4, 4, 2]));
                match rng.gen_range(0..3) {
                    0 => {}
                    1 => v.push(0),
                    _ => {
                        let oid = text_upto(rng, 8);
                        v.push(near(rng, oid.len()) as u8);
                        v.extend(oid);
                    }
                }
                v
            }
            127 => lldp_org(rng),
            _ => bytes_pick(rng, &[0, 6 / 2, 6 - 1]),
        };
        let len = near(rng, v.len());
        lldp_tlv(&mut m, ty, &v, len);
    }
    end_sometimes(rng, &mut m);
    m
}

#[test]
fn random_lldp_pdus_print_as_tcpdump() {
    compare_ether("lldp", 0x4c4c_4450, 3000, 0x88cc, lldp);
}

/// A CFM PDU: each opcode with its message, the first TLV offset sometimes wrong, then TLVs
/// (sender ID with its optional parts, port and interface status, organisation-specific).
fn cfm(rng: &mut StdRng) -> Vec<u8> {
    let version = if rng.gen_ratio(1, 12) { 1 } else { 0 };
    let opcode = pick(rng, &[1u8, 1, 3, 2, 4, 5, 9]);
    let size = match opcode {
        1 => 70,
        4 => 6,
        5 => 17,
        _ => rng.gen_range(0..8),
    };
    let fto = near(rng, size);
    let mut m = vec![
        rng.gen_range(0..8) << 5 | version,
        opcode,
        rng.gen(),
        fto as u8,
    ];
    let mut msg = bytes(rng, size);
    if opcode == 1 {
        // The MD and MA name formats and lengths.
        let md = pick(rng, &[0u8, 1, 2, 3, 4, 9]);
        let mdl = pick(rng, &[0u8, 4, 6, 10, 44]);
        let (mal_at, maf) = if md == 1 {
            (8, 7)
        } else {
            (9 + usize::from(mdl), 8 + usize::from(mdl))
        };
        if let Some(b) = msg.get_mut(6) {
            *b = md;
        }
        if let Some(b) = msg.get_mut(7) {
            *b = mdl;
        }
        if let Some(b) = msg.get_mut(maf) {
            *b = pick(rng, &[0u8, 2, 2, 3]);
        }
        if let Some(b) = msg.get_mut(mal_at) {
            *b = pick(rng, &[0u8, 3, 10, 50]);
        }
    }
    msg.truncate(fto.max(size.min(fto)));
    msg.resize(fto, 0);
    m.extend(msg);
    for _ in 0..rng.gen_range(0..4) {
        let ty = pick(rng, &[1u8, 1, 2, 3, 4, 31, 9]);
        let v = match ty {
            1 => {
                let cl = pick(rng, &[0u8, 6, 5, 3]);
                let mut v = vec![cl];
                if cl > 0 {
                    v.push(pick(rng, &[4u8, 5, 6, 1, 9]));
                    if v.last() == Some(&5) {
                        v.push(pick(rng, &[1u8, 2, 3]));
                        v.extend(bytes(rng, usize::from(cl) - 1));
                    } else {
                        v.extend(text(rng, usize::from(cl)));
                    }
                }
                if rng.gen() {
                    let dl = pick(rng, &[0u8, 2, 3]);
                    v.push(dl);
                    v.extend(bytes(rng, usize::from(dl)));
                    if dl > 0 && rng.gen() {
                        let al = pick(rng, &[0u8, 4]);
                        v.push(al);
                        v.extend(bytes(rng, usize::from(al)));
                    }
                }
                v
            }
            _ => {
                let n = pick(rng, &[0usize, 1, 4, 6]);
                bytes(rng, n)
            }
        };
        m.push(ty);
        m.extend_from_slice(&(near(rng, v.len()) as u16).to_be_bytes());
        m.extend(v);
    }
    if rng.gen() {
        m.push(0);
    }
    m
}

#[test]
fn random_cfm_pdus_print_as_tcpdump() {
    compare_ether("cfm", 0x4346_4d01, 2500, 0x8902, cfm);
}

/// An 802.3ah OAM PDU: each code, information and link event TLVs with right and wrong
/// lengths.
fn oam(rng: &mut StdRng) -> Vec<u8> {
    let code = pick(rng, &[0u8, 0, 1, 1, 4, 2, 3, 0xfe, 9]);
    let mut m = vec![3, 0, rng.gen_range(0..0x80), code];
    if code == 1 {
        m.extend(bytes(rng, 2));
    }
    if code == 4 {
        m.push(rng.gen_range(0..4));
    }
    for _ in 0..rng.gen_range(0..4) {
        let ty = if code == 1 {
            pick(rng, &[1u8, 2, 3, 4, 0xfe, 9])
        } else {
            pick(rng, &[1u8, 2, 0xfe, 9])
        };
        let right = if code == 1 { 40 } else { 16 };
        let len = pick(rng, &[right, right, 4]);
        let len = near(rng, len);
        m.extend_from_slice(&[ty, len as u8]);
        m.extend(bytes(rng, len.saturating_sub(2)));
    }
    end_sometimes(rng, &mut m);
    m
}

#[test]
fn random_oam_pdus_print_as_tcpdump() {
    compare_ether("oam", 0x4f41_4d01, 2000, 0x8809, oam);
}

/// Up to five Cisco TLVs (16-bit type, 16-bit length counting the header) after `m`, their
/// types from `types`, their values from `value`, their lengths sometimes wrong.
fn cisco_tlvs(
    rng: &mut StdRng,
    mut m: Vec<u8>,
    types: &[u16],
    value: fn(&mut StdRng, u16) -> Vec<u8>,
) -> Vec<u8> {
    for _ in 0..rng.gen_range(0..6) {
        let ty = pick(rng, types);
        let v = value(rng, ty);
        m.extend_from_slice(&ty.to_be_bytes());
        m.extend_from_slice(&(near(rng, v.len() + 4) as u16).to_be_bytes());
        m.extend(v);
    }
    m
}

/// A UDLD PDU: header, checksum, TLVs of each type with right and wrong lengths.
fn udld(rng: &mut StdRng) -> Vec<u8> {
    let header = vec![
        rng.gen_range(0..4) << 5 | rng.gen_range(0..5),
        rng.gen(),
        rng.gen(),
        rng.gen(),
    ];
    cisco_tlvs(rng, header, &[1, 2, 3, 4, 5, 6, 7, 9], |rng, ty| match ty {
        4 | 5 => bytes_pick(rng, &[1, 1, 2]),
        7 => bytes_pick(rng, &[4, 4, 3]),
        _ => text_upto(rng, 12),
    })
}

/// A DTP PDU: version, TLVs of each type with right and wrong lengths.
fn dtp(rng: &mut StdRng) -> Vec<u8> {
    let version = vec![pick(rng, &[1u8, 1, 2])];
    cisco_tlvs(rng, version, &[1, 2, 3, 4, 4, 9, 0], |rng, ty| match ty {
        2 | 3 => bytes_pick(rng, &[1, 1, 2]),
        4 => bytes_pick(rng, &[6, 6, 5]),
        _ => text_upto(rng, 12),
    })
}

/// A VTP PDU of each message type; subset advertisements with VLAN info fields and their
/// TLVs, names and lengths sometimes wrong.
fn vtp(rng: &mut StdRng) -> Vec<u8> {
    let ty = pick(rng, &[1u8, 2, 2, 2, 3, 4, 9]);
    let dl = pick(rng, &[1u8, 5, 32, 0, 33]);
    let mut m = vec![rng.gen_range(1..3), ty, rng.gen(), dl];
    let mut domain = text(rng, usize::from(dl.min(32)));
    domain.resize(32, 0);
    m.extend(domain);
    match ty {
        1 => m.extend(bytes(rng, 36)),
        2 => {
            m.extend(bytes(rng, 4));
            for _ in 0..rng.gen_range(0..4) {
                let name = text_upto(rng, 9);
                let padded = name.len().div_ceil(4) * 4;
                let mut tlvs = Vec::new();
                for _ in 0..rng.gen_range(0..3) {
                    let words = pick(rng, &[1u8, 1, 1, 2]);
                    tlvs.extend_from_slice(&[rng.gen_range(1..12), words]);
                    tlvs.extend(bytes(rng, usize::from(words) * 2));
                }
                let len = near(rng, 12 + padded + tlvs.len());
                m.extend_from_slice(&[len as u8, rng.gen_range(0..3), rng.gen_range(0..7)]);
                m.push(near(rng, name.len()) as u8);
                m.extend(bytes(rng, 8));
                m.extend(&name);
                m.resize(m.len() + padded - name.len(), 0);
                m.extend(tlvs);
            }
        }
        3 => m.extend(bytes(rng, 4)),
        _ => {}
    }
    m
}

#[test]
fn random_cisco_snap_pdus_print_as_tcpdump() {
    compare_random("cisco-snap", 1, 0x5544_4c44, 3000, |rng, i| {
        let (pid, msg): (u16, fn(&mut StdRng) -> Vec<u8>) = match i % 3 {
            0 => (0x0111, udld),
            1 => (0x2004, dtp),
            _ => (0x2003, vtp),
        };
        let m = msg(rng);
        cisco_snap(rng, pid, &m)
    });
}

/// 802.11 information elements: SSID, rates, DS, CF, TIM, challenge and others, their
/// lengths sometimes past tcpdump's buffers.
fn wifi_elements(rng: &mut StdRng) -> Vec<u8> {
    let mut v = Vec::new();
    for _ in 0..rng.gen_range(0..6) {
        let id = pick(rng, &[0u8, 0, 1, 1, 3, 4, 5, 16, 48, 221]);
        let n = match id {
            0 => pick(rng, &[0usize, 4, 8, 32, 33]),
            1 => pick(rng, &[0usize, 4, 8, 16, 17]),
            3 => pick(rng, &[1usize, 1, 2]),
            4 => pick(rng, &[6usize, 6, 5]),
            5 => pick(rng, &[3usize, 4, 8, 255]),
            _ => rng.gen_range(0..12),
        };
        v.extend_from_slice(&[id, near(rng, n).min(255) as u8]);
        v.extend(if id == 0 { text(rng, n) } else { bytes(rng, n) });
    }
    v
}

/// An 802.11 frame of any type and subtype: the header at its length, then a body that fits
/// the kind (management fixed fields and elements, LLC for data) or random bytes.
fn wifi_frame(rng: &mut StdRng) -> Vec<u8> {
    let ty = pick(rng, &[0u8, 0, 0, 1, 1, 2, 2, 3]);
    let subtype: u8 = rng.gen_range(0..16);
    let flags: u8 = if rng.gen_ratio(1, 3) {
        rng.gen()
    } else {
        rng.gen_range(0..4)
    };
    let mut f = vec![ty << 2 | subtype << 4, flags];
    let hdr = match ty {
        0 => 24,
        1 => pick(rng, &[10usize, 16, 20]),
        _ => 24 + if flags & 3 == 3 { 6 } else { 0 } + if subtype & 8 != 0 { 2 } else { 0 },
    };
    f.extend(bytes(rng, hdr - 2));
    match ty {
        0 => {
            let fixed = pick(rng, &[0usize, 2, 4, 6, 10, 12, 12]);
            f.extend(bytes(rng, fixed));
            if subtype == 13 {
                let cat = pick(rng, &[0u8, 1, 2, 3, 7, 13, 14, 15, 127, 40]);
                let act = rng.gen_range(0..12);
                f.extend_from_slice(&[cat, act]);
            }
            f.extend(wifi_elements(rng));
        }
        2 => match rng.gen_range(0..3) {
            0 => {
                f.extend_from_slice(&[0xaa, 0xaa, 0x03, 0, 0, 0, 0x08, 0x00]);
                f.extend_from_slice(&[0x45, 0, 0, 0x1c, 0, 1, 0, 0, 64, 1, 0, 0]);
                f.extend_from_slice(&[127, 0, 0, 1, 127, 0, 0, 1, 0x08, 0, 0xf7, 0xff, 0, 0, 0, 0]);
            }
            1 => f.extend_from_slice(&[0xf0, 0xf0, 0x03, b'a', b'b']),
            _ => f.extend(bytes_pick(rng, &[0, 3, 8, 20])),
        },
        _ => f.extend(bytes_pick(rng, &[0, 2, 6])),
    }
    f
}

/// Link type IEEE802_11: frames as generated, a quarter cut short.
fn wifi(rng: &mut StdRng) -> (Vec<u8>, u32) {
    let f = wifi_frame(rng);
    cut_sometimes(rng, f, 4, 0)
}

#[test]
fn random_80211_frames_print_as_tcpdump() {
    compare_random("wifi", 105, 0x8021_1001, 3000, |rng, _| wifi(rng));
}

/// Link type IEEE802_11_RADIO: a radiotap header with random presence bits (extended and
/// namespace bitmaps now and then) and random field bytes, then an 802.11 frame.
fn radiotap(rng: &mut StdRng) -> (Vec<u8>, u32) {
    let mut words = vec![
        rng.gen::<u32>()
            & pick(
                rng,
                &[0x003f_ffffu32, 0x001c_000f, 0x0000_7fff, 0xffff_ffff],
            ),
    ];
    while words.len() < 4 && rng.gen_ratio(1, 4) {
        if let Some(w) = words.last_mut() {
            *w |= 1 << 31;
        }
        words.push(rng.gen::<u32>() & pick(rng, &[0x2000_000fu32, 0x4000_0003, 0x0000_00ff]));
    }
    let fields = bytes_pick(rng, &[0, 4, 8, 14, 20, 32, 40]);
    let len = 4 + 4 * words.len() + fields.len();
    let mut h = vec![0, 0];
    h.extend_from_slice(&(near(rng, len) as u16).to_le_bytes());
    for w in &words {
        h.extend_from_slice(&w.to_le_bytes());
    }
    h.extend(fields);
    h.extend(wifi_frame(rng));
    cut_sometimes(rng, h, 5, 0)
}

#[test]
fn random_radiotap_frames_print_as_tcpdump() {
    compare_random("radiotap", 127, 0x5241_4401, 3000, |rng, _| radiotap(rng));
}
