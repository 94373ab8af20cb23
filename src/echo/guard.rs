//! Which UDP datagrams the echo server answers, so that no two services can bounce a datagram
//! between them forever (a reflection loop) and no forged source can make the server flood.
//!
//! Two rules, checked per datagram:
//!
//! 1. **Ports.** Port 0 is never answered (nothing can receive there), nor a source port below
//!    `min_src_port` (1024 by default: echo 7, daytime 13, qotd 17, chargen 19, time 37, DNS
//!    53, NTP 123 and every other well-known service that answers whatever reaches it), nor
//!    the server's own port (another echo server like this one).
//! 2. **Repeats.** A loop with another echo server on any port looks the same from both ends:
//!    what comes in is exactly the echo just sent to that source, again and again at once. Such
//!    a repeat costs a token from the source's bucket (`repeat_rate` tokens a second, as many
//!    in reserve); with none left it is not answered, which ends the loop, since a loop carries
//!    one datagram. A person retyping a line, or a load generator sending fresh bytes each
//!    time, never runs out.
//!
//! Each source is logged once. The table of sources is bounded: when full, sources silent for
//! `FORGET_AFTER` are swept out, and if that frees nothing it is emptied (a flood of forged
//! sources costs memory for `MAX_SOURCES`, no more).
//!
//! Must not import `crate::capture` or `crate::cli`.

use std::collections::hash_map::DefaultHasher;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::net::SocketAddr;
use std::time::{Duration, Instant};

/// Sources remembered at once.
pub const MAX_SOURCES: usize = 4096;

/// A source silent this long may be forgotten when the table is full.
const FORGET_AFTER: Duration = Duration::from_secs(10);

/// What to do with one datagram, and what to say about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Echo it; `first`: the first datagram seen from this source.
    Answer { first: bool },
    /// Do not echo; `log`: say so (once per source and reason).
    Refuse { why: Refusal, log: bool },
}

/// Why a datagram is not answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Port 0, a port below the minimum, or the server's own port.
    Port,
    /// It repeats the echo just sent, faster than the repeat rate allows.
    Repeats,
}

/// The guard of one UDP socket.
#[derive(Debug)]
pub struct Guard {
    own_port: u16,
    min_src_port: u16,
    /// Tokens a second, and the bucket's size.
    rate: f64,
    sources: HashMap<SocketAddr, Source>,
}

#[derive(Debug)]
struct Source {
    /// The last datagram's arrival.
    seen: Instant,
    tokens: f64,
    /// A hash of the last echo sent to this source.
    echo: Option<u64>,
    /// Whether a refusal was logged.
    refusal_logged: bool,
}

impl Guard {
    /// A guard for a socket bound on `own_port`.
    pub fn new(own_port: u16, min_src_port: u16, repeat_rate: u32) -> Guard {
        Guard {
            own_port,
            min_src_port,
            rate: f64::from(repeat_rate),
            sources: HashMap::new(),
        }
    }

    /// Judge a datagram carrying `payload` from `peer`, arrived at `now`. An answered
    /// datagram is remembered as the echo sent to `peer`.
    pub fn check(&mut self, peer: SocketAddr, payload: &[u8], now: Instant) -> Verdict {
        let port = peer.port();
        let port_refused = port == 0 || port < self.min_src_port || port == self.own_port;
        let first = !self.sources.contains_key(&peer);
        if first {
            self.make_room(now);
        }
        let rate = self.rate;
        let source = self.sources.entry(peer).or_insert(Source {
            seen: now,
            tokens: rate,
            echo: None,
            refusal_logged: false,
        });
        let elapsed = now.saturating_duration_since(source.seen).as_secs_f64();
        source.seen = now;
        source.tokens = (source.tokens + elapsed * rate).min(rate);
        if port_refused {
            return source.refuse(Refusal::Port);
        }
        let hash = digest(payload);
        if source.echo == Some(hash) {
            if source.tokens < 1.0 {
                return source.refuse(Refusal::Repeats);
            }
            source.tokens -= 1.0;
        }
        source.echo = Some(hash);
        Verdict::Answer { first }
    }

    /// How many sources are remembered.
    pub fn len(&self) -> usize {
        self.sources.len()
    }

    /// Whether no source is remembered.
    pub fn is_empty(&self) -> bool {
        self.sources.is_empty()
    }

    /// Keep the table under `MAX_SOURCES`: sweep silent sources, or forget all.
    fn make_room(&mut self, now: Instant) {
        if self.sources.len() < MAX_SOURCES {
            return;
        }
        self.sources
            .retain(|_, s| now.saturating_duration_since(s.seen) < FORGET_AFTER);
        if self.sources.len() >= MAX_SOURCES {
            self.sources.clear();
        }
    }
}

impl Source {
    fn refuse(&mut self, why: Refusal) -> Verdict {
        let log = !self.refusal_logged;
        self.refusal_logged = true;
        Verdict::Refuse { why, log }
    }
}

/// A 64-bit fingerprint of a datagram: equal datagrams always match, different ones almost
/// never (a false match only costs one token).
fn digest(payload: &[u8]) -> u64 {
    let mut h = DefaultHasher::new();
    payload.hash(&mut h);
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(port: u16) -> SocketAddr {
        SocketAddr::from(([127, 0, 0, 1], port))
    }

    #[test]
    fn well_known_zero_and_own_ports_are_refused_and_logged_once() {
        let mut g = Guard::new(4002, 1024, 10);
        let now = Instant::now();
        for port in [0, 7, 13, 17, 19, 37, 53, 123, 1023, 4002] {
            assert_eq!(
                g.check(at(port), b"x", now),
                Verdict::Refuse {
                    why: Refusal::Port,
                    log: true
                },
                "port {port}"
            );
            assert_eq!(
                g.check(at(port), b"y", now),
                Verdict::Refuse {
                    why: Refusal::Port,
                    log: false
                },
                "port {port}"
            );
        }
        assert_eq!(
            g.check(at(1024), b"x", now),
            Verdict::Answer { first: true }
        );
        assert_eq!(
            Guard::new(4002, 1, 10).check(at(7), b"x", now),
            Verdict::Answer { first: true }
        );
    }

    #[test]
    fn a_reflector_is_cut_off_and_fresh_bytes_never_are() {
        let mut g = Guard::new(4002, 1024, 10);
        let now = Instant::now();
        // A loop: every datagram is the echo just sent. The bucket allows 10, then stops.
        let answered = (0..1000)
            .take_while(|_| matches!(g.check(at(4003), b"loop", now), Verdict::Answer { .. }))
            .count();
        assert_eq!(answered, 11, "the first datagram plus 10 repeats");
        assert_eq!(
            g.check(at(4003), b"loop", now),
            Verdict::Refuse {
                why: Refusal::Repeats,
                log: false
            }
        );
        // A load generator: new bytes every time, as fast as it likes.
        for i in 0u32..100_000 {
            assert_eq!(
                g.check(at(50000), &i.to_be_bytes(), now),
                Verdict::Answer { first: i == 0 }
            );
        }
        // A person sending the same line once a second is always answered.
        for s in 0..100 {
            let t = now + Duration::from_secs(s);
            assert!(matches!(
                g.check(at(50001), b"HELLO\n", t),
                Verdict::Answer { .. }
            ));
        }
    }

    #[test]
    fn the_table_stays_bounded() {
        let mut g = Guard::new(4002, 1024, 10);
        let now = Instant::now();
        for i in 0..(MAX_SOURCES as u32 * 3) {
            let peer = SocketAddr::from(([10, 0, (i >> 16) as u8, (i >> 8) as u8], 2000));
            let peer = SocketAddr::new(peer.ip(), 2000 + (i & 0xff) as u16);
            g.check(peer, b"x", now);
            assert!(g.len() <= MAX_SOURCES);
        }
        assert!(!g.is_empty());
    }
}
