//! Fuzzing on every test run, on the stable toolchain: each fuzz target's body
//! (`echolab::capture::fuzzing`) runs on every committed seed of `fuzz/seeds/TARGET/` and on
//! seeded mutations of them (bit flips, byte changes, insertions, deletions, cuts, splices of
//! two seeds) within a fixed time budget. A panic fails the test, naming the input's bytes.
//! The long runs stay with `cargo +nightly fuzz run TARGET`.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::{Duration, Instant};

use echolab::capture::fuzzing;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::util::root;

/// Time for one target's mutations (the seeds themselves always all run); a longer run:
/// `ECHOLAB_FUZZ_SECS=600 cargo test --release --test integration fuzz_replay`.
fn budget() -> Duration {
    let secs = std::env::var("ECHOLAB_FUZZ_SECS")
        .ok()
        .and_then(|s| s.parse().ok());
    Duration::from_secs(secs.unwrap_or(5))
}

/// Mutations every run makes, however slow the machine.
const MIN_MUTATIONS: usize = 500;

/// Mutations per target when the budget allows (unbounded in a longer run).
fn mutations() -> usize {
    if std::env::var_os("ECHOLAB_FUZZ_SECS").is_some() {
        usize::MAX
    } else {
        20_000
    }
}

fn seeds(target: &str) -> Vec<Vec<u8>> {
    let dir = root().join("fuzz/seeds").join(target);
    let mut out: Vec<Vec<u8>> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| std::fs::read(e.unwrap().path()).unwrap())
        .collect();
    out.sort();
    assert!(!out.is_empty(), "no seeds in {}", dir.display());
    out
}

fn mutate(rng: &mut StdRng, seeds: &[Vec<u8>]) -> Vec<u8> {
    let mut b = seeds[rng.gen_range(0..seeds.len())].clone();
    for _ in 0..rng.gen_range(1..5) {
        let len = b.len();
        match rng.gen_range(0..7) {
            0 if len > 0 => {
                let i = rng.gen_range(0..len);
                b[i] ^= 1 << rng.gen_range(0..8);
            }
            1 if len > 0 => {
                let i = rng.gen_range(0..len);
                b[i] = *[0u8, 0xff, 0x7f, 0x80, 1, rng.gen()]
                    .get(rng.gen_range(0..6))
                    .unwrap();
            }
            2 => {
                let i = rng.gen_range(0..=len);
                let n = rng.gen_range(1..9);
                let bytes: Vec<u8> = (0..n).map(|_| rng.gen()).collect();
                b.splice(i..i, bytes);
            }
            3 if len > 0 => {
                let i = rng.gen_range(0..len);
                let n = rng.gen_range(1..=(len - i).min(16));
                b.drain(i..i + n);
            }
            4 => b.truncate(rng.gen_range(0..=len)),
            5 => {
                let other = &seeds[rng.gen_range(0..seeds.len())];
                let at = rng.gen_range(0..=other.len());
                b.truncate(rng.gen_range(0..=len));
                b.extend_from_slice(&other[at..]);
            }
            _ if len >= 2 => {
                // A 16-bit field set to an edge value (lengths and counts live in them).
                let i = rng.gen_range(0..len - 1);
                let v: u16 = *[0u16, 1, 0xffff, 0x8000, len as u16]
                    .get(rng.gen_range(0..5))
                    .unwrap();
                b[i..i + 2].copy_from_slice(&v.to_be_bytes());
            }
            _ => {}
        }
    }
    b
}

fn replay(target: &str, run: fn(&[u8])) {
    let seeds = seeds(target);
    let try_one = |input: &[u8]| {
        if catch_unwind(AssertUnwindSafe(|| run(input))).is_err() {
            panic!(
                "fuzz target {target} panicked on {} bytes: {input:02x?}",
                input.len()
            );
        }
    };
    for s in &seeds {
        try_one(s);
    }
    let mut rng = StdRng::seed_from_u64(0xf022_0000 ^ target.len() as u64);
    let start = Instant::now();
    let mut n = 0;
    let (budget, most) = (budget(), mutations());
    // At least MIN_MUTATIONS whatever the machine's load; more while the budget lasts.
    while n < MIN_MUTATIONS || (n < most && start.elapsed() < budget) {
        let input = mutate(&mut rng, &seeds);
        try_one(&input);
        n += 1;
    }
    println!(
        "fuzz replay {target}: {} seeds, {n} mutations in {:.1?}",
        seeds.len(),
        start.elapsed()
    );
}

#[test]
fn print_seeds_and_mutations_never_panic() {
    replay("print", fuzzing::print);
}

#[test]
fn pcap_reader_seeds_and_mutations_never_panic() {
    replay("pcap_reader", fuzzing::pcap_reader);
}

#[test]
fn import_text_seeds_and_mutations_never_panic() {
    replay("import_text", fuzzing::import_text);
}

#[test]
fn filter_seeds_and_mutations_never_panic() {
    replay("filter", fuzzing::filter);
}
