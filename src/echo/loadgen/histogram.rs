//! A log-linear latency histogram: constant memory, about 1.6 % relative precision.
//!
//! Values are nanoseconds. Below 64 ns every value has its own bucket; above, each power of
//! two is split into 64 equal sub-buckets (the HdrHistogram layout with 6 significant bits),
//! so a percentile read back is within 1/64 of the true value. Must not import anything
//! outside `std`.

/// Significant bits kept per value.
const SUB_BITS: u32 = 6;
/// Sub-buckets per power of two.
const SUB: u64 = 1 << SUB_BITS;
/// Largest exponent tracked: 2^40 ns is about 18 minutes; larger values are clamped.
const MAX_EXP: u32 = 40;
/// Number of buckets.
const BUCKETS: usize = ((MAX_EXP - SUB_BITS + 2) as usize) * SUB as usize;

/// Round-trip latencies of one load run.
#[derive(Clone, Debug)]
pub struct Histogram {
    counts: Vec<u64>,
    total: u64,
    min: u64,
    max: u64,
    sum: u128,
}

impl Default for Histogram {
    fn default() -> Self {
        Self::new()
    }
}

impl Histogram {
    /// An empty histogram.
    pub fn new() -> Self {
        Histogram {
            counts: vec![0; BUCKETS],
            total: 0,
            min: u64::MAX,
            max: 0,
            sum: 0,
        }
    }

    /// Record one value in nanoseconds.
    pub fn record(&mut self, nanos: u64) {
        let i = index_of(nanos).min(BUCKETS - 1);
        if let Some(c) = self.counts.get_mut(i) {
            *c += 1;
        }
        self.total += 1;
        self.min = self.min.min(nanos);
        self.max = self.max.max(nanos);
        self.sum += u128::from(nanos);
    }

    /// Add every value of `other` to this histogram.
    pub fn merge(&mut self, other: &Histogram) {
        for (a, b) in self.counts.iter_mut().zip(&other.counts) {
            *a += b;
        }
        self.total += other.total;
        self.min = self.min.min(other.min);
        self.max = self.max.max(other.max);
        self.sum += other.sum;
    }

    /// How many values were recorded.
    pub fn len(&self) -> u64 {
        self.total
    }

    /// Whether nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.total == 0
    }

    /// The exact largest value, 0 when empty.
    pub fn max(&self) -> u64 {
        self.max
    }

    /// The exact smallest value, 0 when empty.
    pub fn min(&self) -> u64 {
        if self.total == 0 {
            0
        } else {
            self.min
        }
    }

    /// The exact mean, 0 when empty.
    pub fn mean(&self) -> u64 {
        if self.total == 0 {
            return 0;
        }
        u64::try_from(self.sum / u128::from(self.total)).unwrap_or(u64::MAX)
    }

    /// The value at quantile `q` (0.0..=1.0): the smallest bucket value with at least
    /// `q` of all values at or below it, never beyond the exact min and max. 0 when empty.
    pub fn quantile(&self, q: f64) -> u64 {
        if self.total == 0 {
            return 0;
        }
        let q = q.clamp(0.0, 1.0);
        // The rank of the wanted value, 1-based: ceil(q * total), at least 1.
        let rank = ((q * self.total as f64).ceil() as u64).clamp(1, self.total);
        let mut seen = 0u64;
        for (i, &c) in self.counts.iter().enumerate() {
            seen += c;
            if seen >= rank {
                return highest_equivalent(i).clamp(self.min, self.max);
            }
        }
        self.max
    }
}

/// The bucket of a value.
fn index_of(v: u64) -> usize {
    if v < SUB {
        return v as usize;
    }
    let exp = 63 - v.leading_zeros(); // floor(log2 v), at least SUB_BITS
    if exp > MAX_EXP {
        return BUCKETS - 1;
    }
    let mantissa = (v >> (exp - SUB_BITS)) & (SUB - 1);
    ((exp - SUB_BITS + 1) as usize) * SUB as usize + mantissa as usize
}

/// The largest value that falls into bucket `i`.
fn highest_equivalent(i: usize) -> u64 {
    let i = i as u64;
    if i < SUB {
        return i;
    }
    let exp = (i / SUB) as u32 - 1 + SUB_BITS;
    let mantissa = i % SUB;
    let low = (SUB + mantissa) << (exp - SUB_BITS);
    low + (1u64 << (exp - SUB_BITS)) - 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_values_are_exact() {
        let mut h = Histogram::new();
        for v in 0..64 {
            h.record(v);
        }
        assert_eq!(h.quantile(0.0), 0);
        assert_eq!(h.quantile(0.5), 31);
        assert_eq!(h.quantile(1.0), 63);
        assert_eq!(h.len(), 64);
    }

    #[test]
    fn every_bucket_holds_its_values() {
        // Each value maps to a bucket whose range contains it, within 1/64.
        for v in [
            64u64,
            65,
            127,
            128,
            1000,
            12_345,
            999_999,
            1 << 30,
            (1 << 40) - 1,
        ] {
            let i = index_of(v);
            let hi = highest_equivalent(i);
            assert!(hi >= v, "value {v} above its bucket's top {hi}");
            assert!(
                (hi - v) as f64 <= v as f64 / 64.0,
                "bucket of {v} too wide: {hi}"
            );
            if i > 0 {
                assert!(
                    highest_equivalent(i - 1) < v,
                    "value {v} also fits bucket {}",
                    i - 1
                );
            }
        }
    }

    #[test]
    fn percentiles_of_a_uniform_spread() {
        let mut h = Histogram::new();
        for v in 1..=100_000u64 {
            h.record(v * 1000);
        }
        let p50 = h.quantile(0.50) as f64;
        let p99 = h.quantile(0.99) as f64;
        assert!((p50 / 50_000_000.0 - 1.0).abs() < 0.02, "p50 {p50}");
        assert!((p99 / 99_000_000.0 - 1.0).abs() < 0.02, "p99 {p99}");
        assert_eq!(h.max(), 100_000_000);
        assert_eq!(h.min(), 1000);
        assert_eq!(h.mean(), 50_000_500);
    }

    #[test]
    fn merge_adds_counts_and_extremes() {
        let mut a = Histogram::new();
        let mut b = Histogram::new();
        a.record(10);
        b.record(5_000_000);
        b.record(7);
        a.merge(&b);
        assert_eq!(a.len(), 3);
        assert_eq!(a.min(), 7);
        assert_eq!(a.max(), 5_000_000);
        assert_eq!(a.quantile(0.5), 10);
    }

    #[test]
    fn huge_values_are_clamped_not_lost() {
        let mut h = Histogram::new();
        h.record(u64::MAX);
        assert_eq!(h.len(), 1);
        assert_eq!(h.max(), u64::MAX);
        assert_eq!(h.quantile(0.99), u64::MAX);
    }

    #[test]
    fn empty_reads_zero() {
        let h = Histogram::new();
        assert!(h.is_empty());
        assert_eq!((h.quantile(0.5), h.min(), h.max(), h.mean()), (0, 0, 0, 0));
    }
}
