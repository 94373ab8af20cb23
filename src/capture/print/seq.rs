//! Relative TCP sequence numbers, as print-tcp.c at tcpdump-4.99.3 keeps them in its
//! `tcp_seq_hash4` / `tcp_seq_hash6` tables.
//!
//! The rules, all observable in tcpdump's output:
//! - Only segments with ACK set are looked up, and only without `-S`.
//! - One entry per connection for both directions: the key puts the lower port first (on equal
//!   ports, the bytewise lower address), and `rev` says the segment goes the other way.
//! - A segment whose connection has no entry, or any segment with SYN set (even on an existing
//!   entry), (re)records the entry and prints absolute numbers: the entry's `seq` is the
//!   sequence number of the key's first side and its `ack` the other side's, taken as the
//!   segment's ack minus one.
//! - Any other segment prints `seq - base` and `ack - base` (modulo 2^32).
//! - Entries are never removed.
//!
//! Must not import anything outside `std`.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hash, Hasher};
use std::net::IpAddr;

/// The connection key: addresses and ports ordered so both directions share it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Key {
    src: IpAddr,
    dst: IpAddr,
    /// The key's first port in the high 16 bits, the second in the low 16 bits.
    ports: u32,
}

impl Hash for Key {
    fn hash<H: Hasher>(&self, h: &mut H) {
        h.write_u64(addr_word(self.src));
        h.write_u64(addr_word(self.dst));
        h.write_u32(self.ports);
    }
}

/// An address folded into 64 bits for hashing.
fn addr_word(a: IpAddr) -> u64 {
    match a {
        IpAddr::V4(v) => u64::from(v.to_bits()),
        IpAddr::V6(v) => {
            let b = v.to_bits();
            (b >> 64) as u64 ^ b as u64
        }
    }
}

/// A multiplicative hash of whole words (rustc's FxHash), for a lookup per segment where
/// SipHash would cost a tenth of the packet's printing. Like print-tcp.c's own table hash,
/// it is not meant to stand up to keys chosen to collide.
#[derive(Default)]
struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut w = [0u8; 8];
            if let Some(d) = w.get_mut(..chunk.len()) {
                d.copy_from_slice(chunk);
            }
            self.write_u64(u64::from_le_bytes(w));
        }
    }

    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

/// The initial numbers recorded for a connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Base {
    seq: u32,
    ack: u32,
}

/// Per-connection initial sequence numbers.
#[derive(Debug, Default)]
pub struct SeqTable {
    entries: HashMap<Key, Base, BuildHasherDefault<KeyHasher>>,
}

/// One segment's addresses, ports and numbers, as read from its headers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Segment {
    pub src: IpAddr,
    pub dst: IpAddr,
    pub sport: u16,
    pub dport: u16,
    pub seq: u32,
    pub ack: u32,
    pub syn: bool,
}

/// What the printer prints for one segment: the (possibly relative) numbers and the bases
/// it uses for SACK blocks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Relative {
    pub seq: u32,
    pub ack: u32,
    /// The entry's `seq` and `ack` after this segment (print-tcp.c `thseq`, `thack`).
    pub base_seq: u32,
    pub base_ack: u32,
    /// The segment goes from the key's second side to its first.
    pub rev: bool,
}

impl Relative {
    /// The numbers printed when nothing is looked up (`-S`, or ACK clear).
    pub fn absolute(seq: u32, ack: u32) -> Relative {
        Relative {
            seq,
            ack,
            ..Relative::default()
        }
    }
}

/// Whether the segment runs against the key order: higher source port, or equal ports and
/// the bytewise higher source address.
fn reversed(s: &Segment) -> bool {
    match s.sport.cmp(&s.dport) {
        std::cmp::Ordering::Greater => true,
        std::cmp::Ordering::Less => false,
        std::cmp::Ordering::Equal => addr_greater(s.src, s.dst),
    }
}

/// Whether `a`'s bytes sort after `b`'s, compared as byte strings (no allocation: this runs
/// for segments whose ports are equal).
fn addr_greater(a: IpAddr, b: IpAddr) -> bool {
    let (a4, a6, b4, b6);
    let x: &[u8] = match a {
        IpAddr::V4(v) => {
            a4 = v.octets();
            &a4
        }
        IpAddr::V6(v) => {
            a6 = v.octets();
            &a6
        }
    };
    let y: &[u8] = match b {
        IpAddr::V4(v) => {
            b4 = v.octets();
            &b4
        }
        IpAddr::V6(v) => {
            b6 = v.octets();
            &b6
        }
    };
    x > y
}

impl SeqTable {
    /// Look up (or record) the segment's connection and give the numbers to print.
    pub fn relate(&mut self, s: &Segment) -> Relative {
        let rev = reversed(s);
        let key = if rev {
            Key {
                src: s.dst,
                dst: s.src,
                ports: u32::from(s.dport) << 16 | u32::from(s.sport),
            }
        } else {
            Key {
                src: s.src,
                dst: s.dst,
                ports: u32::from(s.sport) << 16 | u32::from(s.dport),
            }
        };
        let found = self.entries.get(&key).copied();
        let (seq, ack, base) = match found {
            Some(b) if !s.syn => {
                if rev {
                    (s.seq.wrapping_sub(b.ack), s.ack.wrapping_sub(b.seq), b)
                } else {
                    (s.seq.wrapping_sub(b.seq), s.ack.wrapping_sub(b.ack), b)
                }
            }
            _ => {
                let b = if rev {
                    Base {
                        seq: s.ack.wrapping_sub(1),
                        ack: s.seq,
                    }
                } else {
                    Base {
                        seq: s.seq,
                        ack: s.ack.wrapping_sub(1),
                    }
                };
                self.entries.insert(key, b);
                (s.seq, s.ack, b)
            }
        };
        Relative {
            seq,
            ack,
            base_seq: base.seq,
            base_ack: base.ack,
            rev,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seg(sport: u16, dport: u16, seq: u32, ack: u32, syn: bool) -> Segment {
        Segment {
            src: IpAddr::from([127, 0, 0, 1]),
            dst: IpAddr::from([127, 0, 0, 1]),
            sport,
            dport,
            seq,
            ack,
            syn,
        }
    }

    #[test]
    fn first_segment_records_and_prints_absolute() {
        let mut t = SeqTable::default();
        let r = t.relate(&seg(4002, 50000, 1000, 5001, true));
        assert_eq!((r.seq, r.ack, r.rev), (1000, 5001, false));
        // The client's ACK: reversed direction, relative to the recorded numbers.
        let r = t.relate(&seg(50000, 4002, 5001, 1001, false));
        assert_eq!((r.seq, r.ack, r.rev), (1, 1, true));
        let r = t.relate(&seg(4002, 50000, 1001, 5018, false));
        assert_eq!((r.seq, r.ack), (1, 18));
    }

    #[test]
    fn syn_on_an_existing_entry_records_again() {
        let mut t = SeqTable::default();
        t.relate(&seg(1, 2, 100, 200, false));
        let r = t.relate(&seg(1, 2, 7, 9, true));
        assert_eq!((r.seq, r.ack), (7, 9));
        let r = t.relate(&seg(1, 2, 8, 10, false));
        assert_eq!((r.seq, r.ack), (1, 2));
    }

    #[test]
    fn equal_ports_order_by_address() {
        let mut s = seg(7, 7, 1, 1, false);
        s.src = IpAddr::from([10, 0, 0, 2]);
        s.dst = IpAddr::from([10, 0, 0, 1]);
        assert!(reversed(&s));
        s.src = IpAddr::from([10, 0, 0, 1]);
        s.dst = IpAddr::from([10, 0, 0, 2]);
        assert!(!reversed(&s));
    }

    #[test]
    fn numbers_wrap_modulo_2_32() {
        let mut t = SeqTable::default();
        t.relate(&seg(1, 2, 10, 0, false));
        let r = t.relate(&seg(1, 2, 5, 0, false));
        assert_eq!((r.seq, r.ack), (5u32.wrapping_sub(10), 1));
    }
}
