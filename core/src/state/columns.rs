//! Numeric attributes as dense columns, one per key, so numeric predicates scan memory
//! linearly instead of visiting every profile. A column starts as `i8` and widens to `i32`
//! and then `f64` as values require; a key holding integers beyond 2^53 loses its column
//! (predicates then read profiles, which stay exact).

use roaring::RoaringBitmap;

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
    pub fn select(&self, within: &RoaringBitmap, test: &NumTest) -> RoaringBitmap {
        // One arm per test so every scan loop is monomorphic and vectorises.
        match *test {
            NumTest::Eq(n) => self.scan(within, move |v| v == n),
            NumTest::Ne(n) => self.scan(within, move |v| v != n),
            NumTest::Lt(n) => self.scan(within, move |v| v < n),
            NumTest::Le(n) => self.scan(within, move |v| v <= n),
            NumTest::Gt(n) => self.scan(within, move |v| v > n),
            NumTest::Ge(n) => self.scan(within, move |v| v >= n),
            NumTest::Between { low, high, negated } => {
                self.scan(within, move |v| (v >= low && v <= high) != negated)
            }
            NumTest::In {
                ref values,
                negated,
            } => self.scan(within, |v| values.contains(&v) != negated),
        }
    }

    fn scan(&self, within: &RoaringBitmap, pass: impl Fn(f64) -> bool + Copy) -> RoaringBitmap {
        match self {
            Column::I8(v) => scan(v, within, move |x| x != i8::MIN && pass(x.into())),
            Column::I32(v) => scan(v, within, move |x| x != i32::MIN && pass(x.into())),
            Column::F64(v) => scan(v, within, move |x| !x.is_nan() && pass(x)),
        }
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

/// Tests values: one by one for a sparse `within`, else the whole column 64 values to a
/// word (a loop the compiler vectorises), intersected with `within` at the end.
fn scan<T: Copy>(values: &[T], within: &RoaringBitmap, pass: impl Fn(T) -> bool) -> RoaringBitmap {
    if within.len() * 16 < values.len() as u64 {
        return within
            .iter()
            .filter(|&i| values.get(i as usize).is_some_and(|&v| pass(v)))
            .collect();
    }
    let mut bytes = Vec::with_capacity(values.len() / 8 + 8);
    for chunk in values.chunks(64) {
        let mut word = 0u64;
        for (bit, &v) in chunk.iter().enumerate() {
            word |= u64::from(pass(v)) << bit;
        }
        bytes.extend_from_slice(&word.to_le_bytes()[..chunk.len().div_ceil(8)]);
    }
    RoaringBitmap::from_lsb0_bytes(0, &bytes) & within
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
    use super::*;

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
}
