//! Numeric attributes as dense columns, one per key, so numeric predicates scan memory
//! linearly instead of visiting every profile. A column starts as `i8` and widens to `i32`
//! and then `f64` as values require; a key holding integers beyond 2^53 loses its column
//! (predicates then read profiles, which stay exact).

use super::scan::{Values, Within};
use super::Slot;
use crate::customer::AttributeValue;
use crate::hash::{HashMap, HashSet};

/// Largest integer an `f64` holds exactly.
const EXACT: i64 = 1 << 53;

/// One key's values by customer index.
#[derive(Clone, Debug)]
pub(crate) enum Column {
    /// Small integers; `i8::MIN` marks absent.
    I8(Vec<i8>),
    /// Integers; `i32::MIN` marks absent.
    I32(Vec<i32>),
    /// Any number; NaN marks absent.
    F64(Vec<f64>),
}

impl Column {
    fn len(&self) -> usize {
        match self {
            Column::I8(v) => v.len(),
            Column::I32(v) => v.len(),
            Column::F64(v) => v.len(),
        }
    }

    /// Stores `value` (or absence) at `idx`, widening if needed.
    fn put(&mut self, idx: usize, value: Option<f64>) {
        if idx >= self.len() {
            self.grow(idx + 1);
        }
        let fits = |lo: f64, hi: f64| value.is_none_or(|v| v.fract() == 0.0 && v > lo && v <= hi);
        if matches!(self, Column::I8(_)) && !fits(i8::MIN as f64, i8::MAX as f64) {
            *self = Column::I32(self.widened());
        }
        if matches!(self, Column::I32(_)) && !fits(i32::MIN as f64, i32::MAX as f64) {
            *self = Column::F64(self.as_f64());
        }
        match self {
            Column::I8(v) => v[idx] = value.map_or(i8::MIN, |x| x as i8),
            Column::I32(v) => v[idx] = value.map_or(i32::MIN, |x| x as i32),
            Column::F64(v) => v[idx] = value.unwrap_or(f64::NAN),
        }
    }

    fn grow(&mut self, len: usize) {
        match self {
            Column::I8(v) => v.resize(len, i8::MIN),
            Column::I32(v) => v.resize(len, i32::MIN),
            Column::F64(v) => v.resize(len, f64::NAN),
        }
    }

    fn widened(&self) -> Vec<i32> {
        match self {
            Column::I8(v) => v
                .iter()
                .map(|&x| if x == i8::MIN { i32::MIN } else { x.into() })
                .collect(),
            Column::I32(v) => v.clone(),
            Column::F64(_) => Vec::new(),
        }
    }

    fn as_f64(&self) -> Vec<f64> {
        match self {
            Column::I8(v) => v
                .iter()
                .map(|&x| if x == i8::MIN { f64::NAN } else { x.into() })
                .collect(),
            Column::I32(v) => v
                .iter()
                .map(|&x| if x == i32::MIN { f64::NAN } else { x.into() })
                .collect(),
            Column::F64(v) => v.clone(),
        }
    }

    /// The customers in `within` whose value passes `test` (absent values never pass).
    pub fn select<S: Within>(&self, within: &S, test: &NumTest) -> S {
        match (self, test.integer_range()) {
            // Integer columns compare in their own type: no conversion per value.
            (Column::I8(v), Some(range)) => range_scan(within, v, (i8::MIN, i8::MAX), range),
            (Column::I32(v), Some(range)) => range_scan(within, v, (i32::MIN, i32::MAX), range),
            _ => test.scan_with(self, within),
        }
    }
}

/// A column that can test every value with a test on numbers.
trait Scanner {
    /// The customers in `within` whose value is present and passes `pass`.
    fn scan<S: Within>(&self, within: &S, pass: impl Fn(f64) -> bool + Sync) -> S;
}

impl Scanner for Column {
    /// Tests combine with `&`, not `&&`: no branches, so they vectorise.
    fn scan<S: Within>(&self, within: &S, pass: impl Fn(f64) -> bool + Sync) -> S {
        match self {
            Column::I8(values) => within.scan(&Values {
                values,
                pass: |x: i8| (x != i8::MIN) & pass(x.into()),
            }),
            Column::I32(values) => within.scan(&Values {
                values,
                pass: |x: i32| (x != i32::MIN) & pass(x.into()),
            }),
            Column::F64(values) => within.scan(&Values {
                values,
                pass: |x: f64| !x.is_nan() & pass(x),
            }),
        }
    }
}

/// A column of counts every customer has (0 when nothing was counted).
struct Counts<'a>(&'a [u32]);

impl Scanner for Counts<'_> {
    fn scan<S: Within>(&self, within: &S, pass: impl Fn(f64) -> bool + Sync) -> S {
        within.scan(&Values {
            values: self.0,
            pass: |x: u32| pass(x.into()),
        })
    }
}

/// A column of sums every customer has (0 when nothing was added).
struct Sums<'a>(&'a [f64]);

impl Scanner for Sums<'_> {
    fn scan<S: Within>(&self, within: &S, pass: impl Fn(f64) -> bool + Sync) -> S {
        within.scan(&Values {
            values: self.0,
            pass,
        })
    }
}

/// The whole numbers of `T` in `min ..= max` that lie in the inclusive range `low ..= high`
/// (bounds may be infinite), as `(lo, hi)`; `None` when there are none.
fn whole_bounds<T>(low: f64, high: f64, (min, max): (f64, f64)) -> Option<(T, T)>
where
    T: TryFrom<i64>,
{
    if low > high || low > max || high < min {
        return None;
    }
    let whole = |bound: f64| T::try_from(bound as i64).ok();
    whole(low.max(min)).zip(whole(high.min(max)))
}

/// Scans an integer column for values in (or, negated, out of) an inclusive range of whole
/// numbers; `absent` marks customers without a value, who never pass, and present values lie
/// in `absent + 1 ..= max`.
fn range_scan<S, T>(within: &S, values: &[T], (absent, max): (T, T), test: (f64, f64, bool)) -> S
where
    S: Within,
    T: Copy + Sync + PartialOrd + Into<f64> + TryFrom<i64>,
{
    let (low, high, negated) = test;
    match whole_bounds(low, high, (absent.into() + 1.0, max.into())) {
        Some((lo, hi)) => within.scan(&Values {
            values,
            // `&`, not `&&`: no branches, so the test vectorises.
            pass: |x: T| (x != absent) & (((x >= lo) & (x <= hi)) != negated),
        }),
        None => within.scan(&Values {
            values,
            pass: |x: T| (x != absent) & negated,
        }),
    }
}

/// A test on a number, as the segment language's numeric comparisons compile to.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum NumTest {
    Eq(f64),
    Ne(f64),
    Lt(f64),
    Le(f64),
    Gt(f64),
    Ge(f64),
    Between { low: f64, high: f64, negated: bool },
    In { values: Vec<f64>, negated: bool },
}

impl NumTest {
    /// The customers in `within` whose count passes; every customer has one.
    pub fn select_counts<S: Within>(&self, within: &S, counts: &[u32]) -> S {
        let Some((low, high, negated)) = self.integer_range() else {
            return self.scan_with(&Counts(counts), within);
        };
        match whole_bounds::<u32>(low, high, (0.0, u32::MAX.into())) {
            Some((lo, hi)) => within.scan(&Values {
                values: counts,
                pass: |x: u32| ((x >= lo) & (x <= hi)) != negated,
            }),
            None => within.scan(&Values {
                values: counts,
                pass: |_: u32| negated,
            }),
        }
    }

    /// The customers in `within` whose sum passes; every customer has one.
    pub fn select_sums<S: Within>(&self, within: &S, sums: &[f64]) -> S {
        self.scan_with(&Sums(sums), within)
    }

    /// Scans `column` with this test, one monomorphic loop per kind of test so each
    /// vectorises.
    fn scan_with<S: Within>(&self, column: &impl Scanner, within: &S) -> S {
        match *self {
            NumTest::Eq(n) => column.scan(within, move |v| v == n),
            NumTest::Ne(n) => column.scan(within, move |v| v != n),
            NumTest::Lt(n) => column.scan(within, move |v| v < n),
            NumTest::Le(n) => column.scan(within, move |v| v <= n),
            NumTest::Gt(n) => column.scan(within, move |v| v > n),
            NumTest::Ge(n) => column.scan(within, move |v| v >= n),
            NumTest::Between { low, high, negated } => {
                column.scan(within, move |v| ((v >= low) & (v <= high)) != negated)
            }
            NumTest::In {
                ref values,
                negated,
            } => column.scan(within, |v| values.contains(&v) != negated),
        }
    }

    /// The test as an inclusive range of whole numbers `(low, high, negated)` (bounds may be
    /// infinite; `low > high` is empty), when it is one: every test but `In`.
    fn integer_range(&self) -> Option<(f64, f64, bool)> {
        let any = f64::INFINITY;
        Some(match *self {
            NumTest::Eq(n) => (n.ceil(), n.floor(), false),
            NumTest::Ne(n) => (n.ceil(), n.floor(), true),
            NumTest::Lt(n) => (-any, n.ceil() - 1.0, false),
            NumTest::Le(n) => (-any, n.floor(), false),
            NumTest::Gt(n) => (n.floor() + 1.0, any, false),
            NumTest::Ge(n) => (n.ceil(), any, false),
            NumTest::Between { low, high, negated } => (low.ceil(), high.floor(), negated),
            NumTest::In { .. } => return None,
        })
    }
}

/// Columns by attribute key.
#[derive(Clone, Debug, Default)]
pub(crate) struct Columns {
    by_key: HashMap<String, Column>,
    /// Keys that held an integer too large for an exact column.
    inexact: HashSet<String>,
}

impl Columns {
    /// The column of a key, if it has one.
    pub fn get(&self, key: &str) -> Option<&Column> {
        self.by_key.get(key)
    }

    /// Records profile `idx`'s numeric attributes.
    pub fn update(&mut self, idx: u32, slot: &Slot) {
        for (key, attribute) in slot.attributes.iter() {
            let huge =
                matches!(attribute.value, AttributeValue::Int(i) if !(-EXACT..=EXACT).contains(&i));
            if huge && self.inexact.insert(key.to_string()) {
                self.by_key.remove(key);
            }
        }
        let idx = idx as usize;
        for (key, column) in &mut self.by_key {
            column.put(idx, slot.attributes.get(key).and_then(|a| number(&a.value)));
        }
        for (key, attribute) in slot.attributes.iter() {
            if self.by_key.contains_key(key) || self.inexact.contains(key) {
                continue;
            }
            if let Some(value) = number(&attribute.value) {
                let mut column = Column::I8(Vec::new());
                column.put(idx, Some(value));
                self.by_key.insert(key.to_string(), column);
            }
        }
    }
}

fn number(value: &AttributeValue) -> Option<f64> {
    match value {
        AttributeValue::Int(i) => Some(*i as f64),
        AttributeValue::Float(f) => Some(*f),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use roaring::RoaringBitmap;

    use super::*;
    use crate::bitset::DenseBits;

    #[test]
    fn columns_widen_and_scan() {
        let mut c = Column::I8(Vec::new());
        c.put(3, Some(5.0));
        assert!(matches!(c, Column::I8(_)));
        c.put(1, Some(300.0));
        assert!(matches!(c, Column::I32(_)));
        c.put(0, Some(2.5));
        assert!(matches!(c, Column::F64(_)));
        c.put(5, None);
        let all = RoaringBitmap::from_iter(0..6);
        let big = c.select(&all, &NumTest::Gt(4.0));
        assert_eq!(big.iter().collect::<Vec<_>>(), [1, 3]);
        let sparse = RoaringBitmap::from_iter([3]);
        assert_eq!(
            c.select(&sparse, &NumTest::Gt(4.0))
                .iter()
                .collect::<Vec<_>>(),
            [3]
        );
        let absent_never_pass = c.select(&all, &NumTest::Ne(1.0));
        assert_eq!(absent_never_pass.iter().collect::<Vec<_>>(), [0, 1, 3]);
    }

    /// The meaning of a test on one present value, written out plainly.
    fn passes(test: &NumTest, v: f64) -> bool {
        match *test {
            NumTest::Eq(n) => v == n,
            NumTest::Ne(n) => v != n,
            NumTest::Lt(n) => v < n,
            NumTest::Le(n) => v <= n,
            NumTest::Gt(n) => v > n,
            NumTest::Ge(n) => v >= n,
            NumTest::Between { low, high, negated } => (low <= v && v <= high) != negated,
            NumTest::In {
                ref values,
                negated,
            } => values.contains(&v) != negated,
        }
    }

    #[test]
    fn every_column_type_agrees_with_plain_comparisons() {
        let bounds = [
            -1e12, -300.0, -128.0, -127.5, -3.0, 0.0, 2.5, 4.0, 127.0, 128.0, 5e9,
        ];
        let mut tests = vec![NumTest::In {
            values: vec![4.0, -3.0],
            negated: true,
        }];
        for &n in &bounds {
            tests.extend([
                NumTest::Eq(n),
                NumTest::Ne(n),
                NumTest::Lt(n),
                NumTest::Le(n),
            ]);
            tests.extend([NumTest::Gt(n), NumTest::Ge(n)]);
            for &m in &bounds {
                for negated in [false, true] {
                    tests.push(NumTest::Between {
                        low: n,
                        high: m,
                        negated,
                    });
                }
            }
        }
        let small: Vec<Option<f64>> = (-127..=127).map(|v| Some(v as f64)).chain([None]).collect();
        let wide: Vec<Option<f64>> = small.iter().map(|v| v.map(|v| v * 1e6)).collect();
        let float: Vec<Option<f64>> = (0..3000)
            .map(|i| (i % 11 != 0).then_some((i % 300) as f64 - 127.5))
            .collect();
        for values in [small, wide, float] {
            let mut column = Column::I8(Vec::new());
            for (i, &v) in values.iter().enumerate() {
                column.put(i, v);
            }
            let all = RoaringBitmap::from_iter(0..values.len() as u32);
            for test in &tests {
                let expected: Vec<u32> = (0..values.len() as u32)
                    .filter(|&i| values[i as usize].is_some_and(|v| passes(test, v)))
                    .collect();
                let found: Vec<u32> = column.select(&all, test).iter().collect();
                assert_eq!(found, expected, "{test:?} on {column:?}");
            }
        }
    }

    #[test]
    fn threaded_dense_scan_matches_value_by_value() {
        let n = (super::super::scan::PARALLEL_FROM + 1000) * 64 + 17;
        let mut c = Column::I8(Vec::new());
        for i in 0..n {
            c.put(i, (i % 7 != 0).then_some((i % 100) as f64));
        }
        let mut within = DenseBits::empty(n + 100);
        for i in (0..n as u32 + 100).filter(|i| i % 3 != 0) {
            within.insert(i);
        }
        let found = c.select(&within, &NumTest::Ge(50.0));
        let expected: Vec<u32> = (0..n as u32)
            .filter(|i| i % 3 != 0 && i % 7 != 0 && i % 100 >= 50)
            .collect();
        assert_eq!(found.iter().collect::<Vec<_>>(), expected);
    }
}
