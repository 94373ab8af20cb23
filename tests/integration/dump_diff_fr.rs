//! Differential test of the Frame Relay printer (print-fr.c): seeded random frames on link
//! types FRELAY and MFR — Q.922 addresses of two to four bytes with random flags, every NLPID
//! print-fr.c dispatches on and others, Cisco ethertypes, Q.933 link management messages with
//! random elements and shifts, FRF.15 and FRF.16 fragments and control frames with random
//! information elements — each valid, cut short, or with bytes dropped or added, printed by
//! tcpdump and by `echolab dump` with several flag sets; the outputs must be identical.
//!
//! tcpdump is required (CI installs it); the test fails, saying so, when it is missing.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::diffutil::{bytes, compare, damaged_frames, pick};

const FLAG_SETS: &str = "-nn, -nne, -nnv, -nnvv, -nnevvv -X, -nnq, -nnx";

/// A Q.922 address of two, three or four bytes with random DLCI and flag bits; now and then
/// one without its end bit where it must have it.
fn q922(rng: &mut StdRng) -> Vec<u8> {
    let size = pick(rng, &[2usize, 2, 2, 3, 4]);
    let mut a = bytes(rng, size);
    for b in a.iter_mut() {
        *b &= 0xfe;
    }
    if let Some(last) = a.last_mut() {
        *last |= 1;
    }
    if size == 3 {
        a[2] |= 1;
    }
    if rng.gen_ratio(1, 20) {
        a[0] |= 1;
    }
    a
}

/// Q.933 information elements: LMI elements of every kind with lengths around the valid
/// ones, others, and single-octet shifts.
fn q933_elements(rng: &mut StdRng) -> Vec<u8> {
    let mut m = Vec::new();
    for _ in 0..rng.gen_range(0..6) {
        if rng.gen_ratio(1, 6) {
            m.push(pick(rng, &[0x95u8, 0x9d, 0x90, 0x96, 0xa1, 0x80]));
            continue;
        }
        let code = pick(
            rng,
            &[0x01u8, 0x51, 0x03, 0x53, 0x19, 0x07, 0x57, 0x00, 0x04, 0x70],
        );
        let len = pick(rng, &[0usize, 1, 2, 3, 4, 5, 6]);
        m.push(code);
        m.push(len as u8);
        let mut v = bytes(rng, len);
        if code & 0x07 == 0x07 {
            // PVC status: mostly the extension bits a valid element has.
            for (i, b) in v.iter_mut().enumerate() {
                if rng.gen_ratio(4, 5) {
                    *b = if i + 1 == len { *b | 0x80 } else { *b & 0x7f };
                }
            }
        }
        m.extend(v);
    }
    m
}

/// A Q.933 message: call reference, message type, elements.
fn q933(rng: &mut StdRng) -> Vec<u8> {
    let crl = pick(rng, &[1usize, 1, 0, 2, 15]);
    let mut m = vec![crl as u8 | (rng.gen::<u8>() & 0xf0)];
    m.extend(bytes(rng, crl));
    m.push(pick(rng, &[0x75u8, 0x7d, 0x05, 0x45, 0x4d, 0x33]));
    m.extend(q933_elements(rng));
    m
}

/// An IPv4 header and a few bytes (the IP printer is tested elsewhere).
fn ipv4(rng: &mut StdRng) -> Vec<u8> {
    let mut m = vec![
        0x45, 0, 0, 28, 0, 1, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2,
    ];
    m.extend([0x13, 0x88, 0x13, 0x89, 0, 8, 0, 0]);
    if rng.gen() {
        m.extend(bytes(rng, 4));
    }
    m
}

/// What follows the Q.922 address: UI and an NLPID with its payload, a pad byte, or a Cisco
/// ethertype.
fn after_address(rng: &mut StdRng) -> Vec<u8> {
    let mut m = Vec::new();
    if rng.gen_ratio(1, 6) {
        m.extend(pick(
            rng,
            &[[0x08u8, 0x00], [0x86, 0xdd], [0x12, 0x34], [0x00, 0x21]],
        ));
        m.extend(ipv4(rng));
        return m;
    }
    m.push(if rng.gen_ratio(1, 10) {
        rng.gen()
    } else {
        0x03
    });
    if rng.gen_ratio(1, 5) {
        m.push(0);
    }
    // Neither 0x81-0x83 nor 0x00 before a random byte: echolab does not decode CLNP, ES-IS
    // and IS-IS.
    let nlpid = pick(rng, &[0xccu8, 0x8e, 0x80, 0x08, 0xb1, 0xcf, 0x09, 0x42]);
    m.push(nlpid);
    match nlpid {
        0xcc => m.extend(ipv4(rng)),
        0x80 => {
            let snap: [u8; 5] = pick(
                rng,
                &[
                    [0, 0, 0, 8, 0],
                    [0, 0x80, 0xc2, 0, 7],
                    [0, 0x80, 0xc2, 0, 0x0e],
                    [0, 0, 0x0c, 0x20, 0],
                ],
            );
            m.extend(snap);
            m.extend(bytes(rng, 24));
        }
        0x08 => m.extend(q933(rng)),
        0xcf => m.extend([0xff, 0x03, 0xc0, 0x21, 0x01, 0x01, 0x00, 0x04]),
        _ => {
            let n = rng.gen_range(0..12);
            m.extend(bytes(rng, n));
        }
    }
    m
}

fn frame(rng: &mut StdRng) -> Vec<u8> {
    let mut f = q922(rng);
    f.extend(after_address(rng));
    f
}

/// An FRF.16 frame: a control frame with random information elements, or a fragment (the
/// first carrying a Frame Relay frame).
fn mfr(rng: &mut StdRng) -> Vec<u8> {
    let flags = pick(rng, &[0xe0u8, 0xc0, 0x80, 0x40, 0x00, 0x20]);
    let mut m = vec![
        flags | (rng.gen::<u8>() & 0x1f),
        if flags == 0xe0 && rng.gen_ratio(5, 6) {
            0
        } else {
            rng.gen()
        },
    ];
    if flags == 0xe0 {
        m.push(rng.gen_range(0..10));
        for _ in 0..rng.gen_range(0..5) {
            let kind = pick(rng, &[1u8, 2, 3, 5, 6, 7, 0, 9]);
            let len = pick(rng, &[2usize, 3, 4, 6, 8, 18, 20, 1]);
            m.push(kind);
            m.push(len as u8);
            m.extend(bytes(rng, len.saturating_sub(2)));
        }
    } else {
        m.extend(frame(rng));
    }
    m
}

#[test]
fn random_frame_relay_frames_print_as_tcpdump() {
    let mut rng = StdRng::seed_from_u64(0x4652_0107);
    let pkts = damaged_frames(&mut rng, 2500, frame);
    compare("fr", 107, &pkts, FLAG_SETS);
}

#[test]
fn random_multilink_frames_print_as_tcpdump() {
    let mut rng = StdRng::seed_from_u64(0x4d46_5200);
    let pkts = damaged_frames(&mut rng, 2000, mfr);
    compare("mfr", 182, &pkts, FLAG_SETS);
}
