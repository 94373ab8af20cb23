//! Text that repeats from packet to packet, kept to be appended again: the addresses and
//! ports of a conversation (`10.0.0.1.4002 > 10.0.0.2.53: `) are the same in every packet
//! of it, and copying the text is several times cheaper than writing the numbers again.
//!
//! A direct-mapped table: each key hashes to one slot, a new key evicts the old one. The
//! text of a slot is a pure function of its key and of the printer's options and name
//! tables, which do not change while a printer runs. The table and its slots are allocated
//! when it first keeps a text; after that only a name longer than a slot's room allocates.

use super::{Nd, State};

// `SLOTS` is how many keys the table holds at once (enough for the conversations that
// interleave in a capture, a few for ethertypes); `ROOM` the bytes reserved in each slot when
// the table is made, enough for the usual text of a key (IPv4 endpoints), so that only longer
// text (IPv6 addresses, names) makes a slot grow, once.

#[derive(Debug)]
pub struct TextCache<K, const SLOTS: usize, const ROOM: usize> {
    slots: Vec<(Option<K>, String)>,
}

impl<K, const SLOTS: usize, const ROOM: usize> Default for TextCache<K, SLOTS, ROOM> {
    fn default() -> Self {
        TextCache { slots: Vec::new() }
    }
}

impl<K: Copy + Eq, const SLOTS: usize, const ROOM: usize> TextCache<K, SLOTS, ROOM> {
    /// The slot of a key's 64-bit hash.
    pub fn slot(&self, hash: u64) -> usize {
        // Fibonacci hashing: the top bits of the product depend on every bit of the hash.
        (hash.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 40) as usize % SLOTS
    }

    /// Appends the text kept for `key` in `slot` to `out`; false when the slot holds
    /// another key's or none.
    pub fn append(&self, slot: usize, key: &K, out: &mut String) -> bool {
        match self.slots.get(slot) {
            Some((Some(k), text)) if k == key => {
                out.push_str(text);
                true
            }
            _ => false,
        }
    }

    /// Keeps `text` as `key`'s in `slot`.
    pub fn keep(&mut self, slot: usize, key: K, text: &str) {
        if self.slots.is_empty() {
            self.slots
                .resize_with(SLOTS, || (None, String::with_capacity(ROOM)));
        }
        if let Some((k, t)) = self.slots.get_mut(slot) {
            *k = Some(key);
            t.clear();
            t.push_str(text);
        }
    }
}

/// Appends the text of `key` kept in the table `table` picks from the printer's state; when
/// it has none, writes it with `write` and keeps what was written (unless `write` failed).
pub fn cached<K: Copy + Eq, const SLOTS: usize, const ROOM: usize, E>(
    nd: &mut Nd<'_>,
    table: fn(&mut State) -> &mut TextCache<K, SLOTS, ROOM>,
    hash: u64,
    key: K,
    write: impl FnOnce(&mut Nd<'_>) -> Result<(), E>,
) -> Result<(), E> {
    let slot = table(nd.state).slot(hash);
    if table(nd.state).append(slot, &key, nd.out) {
        return Ok(());
    }
    let start = nd.out.len();
    write(nd)?;
    let text = nd.out.get(start..).unwrap_or_default();
    table(nd.state).keep(slot, key, text);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_gets_its_own_text_back_and_a_colliding_key_evicts_it() {
        let mut c: TextCache<u32, 16, 8> = TextCache::default();
        let mut out = String::new();
        let s = c.slot(7);
        assert!(!c.append(s, &7, &mut out));
        c.keep(s, 7, "seven");
        assert!(c.append(s, &7, &mut out));
        assert!(!c.append(s, &8, &mut out));
        c.keep(s, 8, "eight");
        assert!(!c.append(s, &7, &mut out));
        assert!(c.append(s, &8, &mut out));
        assert_eq!(out, "seveneight");
        assert!(c.slot(u64::MAX) < 16);
    }
}
