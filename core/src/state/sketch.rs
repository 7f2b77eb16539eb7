//! A one-byte, order-preserving code per value of a float column, so range tests read one
//! byte per customer instead of eight and look at exact values only in the one or two
//! buckets their bounds fall in.
//!
//! Bucket boundaries are quantiles of a sample of the column, rebuilt as the column doubles
//! or when one bucket grows far beyond its share; a stale sketch only costs speed, never
//! correctness, because boundary buckets are always checked against the exact values.

/// Code of an absent value (NaN).
const ABSENT: u8 = 0;
/// Most boundaries: codes 1..=255 for present values.
const BOUNDS: usize = 254;
/// Values sampled to choose boundaries.
const SAMPLE: usize = 1 << 16;

/// The codes of one float column and the boundaries they were computed with.
#[derive(Clone, Debug, Default)]
pub(crate) struct Sketch {
    /// Ascending, distinct boundaries; code `k` holds values in `[bounds[k-2], bounds[k-1])`.
    bounds: Vec<f64>,
    /// One code per customer index.
    codes: Vec<u8>,
    /// Customers per code.
    counts: Vec<u64>,
    /// Writes since the boundaries were chosen.
    writes: usize,
    /// Column length when they were chosen.
    built_for: usize,
}

/// Which codes pass a range test outright, and which need the exact value.
#[derive(Clone, Copy, Debug)]
pub(crate) struct CodeRange {
    /// Code of the bucket holding the lower bound; `ABSENT` when there is none.
    low: u16,
    /// Code of the bucket holding the upper bound; past every code when there is none.
    high: u16,
    /// Whether the test passes values outside the range instead.
    negated: bool,
}

impl CodeRange {
    /// Whether every value with this code passes, as known from the code alone.
    pub fn passes(self, code: u8) -> bool {
        // `&`, not `&&`: no branches, so scans over codes vectorise.
        let code16 = u16::from(code);
        let inside = (code16 > self.low) & (code16 < self.high);
        (code != ABSENT) & !self.edge(code) & (inside != self.negated)
    }

    /// Whether bucket `code` holds a bound, so its values need the exact test.
    pub fn edge(self, code: u8) -> bool {
        let code16 = u16::from(code);
        (code != ABSENT) & ((code16 == self.low) | (code16 == self.high))
    }
}

impl Sketch {
    /// A sketch of `values` (NaN is absent).
    pub fn new(values: &[f64]) -> Sketch {
        let mut sketch = Sketch::default();
        sketch.rebuild(values);
        sketch
    }

    /// The codes, by customer index.
    pub fn codes(&self) -> &[u8] {
        &self.codes
    }

    /// The code a value gets (NaN is absent).
    pub fn code(&self, value: f64) -> u8 {
        if value.is_nan() {
            return ABSENT;
        }
        // At most 254 boundaries, so this is at most 255.
        (self.bounds.partition_point(|&b| b <= value) + 1) as u8
    }

    /// The buckets of a range test with bounds `low` and `high` (either may be infinite;
    /// whether they are inclusive is left to the exact test on the edge buckets).
    pub fn range(&self, low: f64, high: f64, negated: bool) -> CodeRange {
        // An infinite bound has no bucket, so no edge to check.
        CodeRange {
            low: if low == f64::NEG_INFINITY {
                ABSENT.into()
            } else {
                self.code(low).into()
            },
            high: if high == f64::INFINITY {
                u16::from(u8::MAX) + 1
            } else {
                self.code(high).into()
            },
            negated,
        }
    }

    /// Records that `values[idx]` changed; rebuilds when the boundaries went stale.
    pub fn put(&mut self, values: &[f64], idx: usize) {
        let len = values.len();
        if self.codes.len() < len {
            self.counts[ABSENT as usize] += (len - self.codes.len()) as u64;
            self.codes.resize(len, ABSENT);
        }
        let code = self.code(values[idx]);
        let old = std::mem::replace(&mut self.codes[idx], code);
        self.counts[old as usize] -= 1;
        self.counts[code as usize] += 1;
        self.writes += 1;
        let share = len as u64 / (BOUNDS as u64 + 1);
        let crowded = code != ABSENT && self.counts[code as usize] > 4 * share + 64;
        // Rebuilding costs one pass over the column; waiting for len/8 writes keeps that
        // to a few operations per write.
        if len >= 2 * self.built_for.max(512) || (crowded && self.writes >= len / 8) {
            self.rebuild(values);
        }
    }

    /// Chooses boundaries from a sample of the present values and recodes every value.
    fn rebuild(&mut self, values: &[f64]) {
        let step = values.len().div_ceil(SAMPLE).max(1);
        let mut sample: Vec<f64> = values
            .iter()
            .step_by(step)
            .copied()
            .filter(|v| !v.is_nan())
            .collect();
        sample.sort_unstable_by(f64::total_cmp);
        let mut bounds: Vec<f64> = (1..=BOUNDS)
            .filter_map(|k| sample.get(k * sample.len() / (BOUNDS + 1)).copied())
            .collect();
        bounds.dedup();
        self.bounds = bounds;
        self.codes = values.iter().map(|&v| self.code(v)).collect();
        self.counts = vec![0; BOUNDS + 2];
        for &code in &self.codes {
            self.counts[code as usize] += 1;
        }
        self.writes = 0;
        self.built_for = values.len();
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        #[test]
        fn codes_order_values_and_ranges_bracket_them(
            values in prop::collection::vec(prop_oneof![Just(f64::NAN), -1e6..1e6f64, Just(3.0)], 0..3000),
            updates in prop::collection::vec((0usize..3000, -1e6..1e6f64), 0..200),
            low in prop_oneof![-2e6..2e6f64, Just(f64::NEG_INFINITY)],
            width in prop_oneof![-1e5..2e6f64, Just(f64::INFINITY)],
            negated in any::<bool>(),
        ) {
            let mut values = values;
            let mut sketch = Sketch::new(&values);
            for (idx, value) in updates {
                if idx < values.len() {
                    values[idx] = value;
                    sketch.put(&values, idx);
                }
            }
            let high = if width.is_infinite() { width } else { low + width };
            let range = sketch.range(low, high, negated);
            for (&v, &code) in values.iter().zip(sketch.codes()) {
                prop_assert_eq!(code, sketch.code(v));
                let passes = !v.is_nan() && (v >= low && v <= high) != negated;
                if range.passes(code) {
                    prop_assert!(passes, "{} (code {}) fails {:?} on [{}, {}]", v, code, range, low, high);
                } else if passes {
                    prop_assert!(range.edge(code), "{} (code {}) passes but is not an edge", v, code);
                }
            }
        }
    }

    #[test]
    fn a_growing_column_is_resketched() {
        let mut values = Vec::new();
        let mut sketch = Sketch::new(&values);
        for i in 0..100_000 {
            values.push(i as f64);
            sketch.put(&values, i);
        }
        let busiest = sketch.counts[1..].iter().max().copied().unwrap_or(0);
        // Without re-sketching, the top bucket would hold every value past the last doubling.
        assert!(
            busiest < 15_000,
            "one bucket holds {busiest} of 100,000 values"
        );
    }
}
