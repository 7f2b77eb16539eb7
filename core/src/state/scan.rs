//! Scanning a column under a set of candidates: value by value for a few candidates, 64
//! values to a word otherwise, on several threads for long columns.

use roaring::RoaringBitmap;

use crate::bitset::DenseBits;
use crate::parallel::map_chunks;

/// Columns scanned on several threads from this many words (64 customers each) on.
pub(crate) const PARALLEL_FROM: usize = 1 << 14;

/// A test over a column: one customer at a time, or 64 at a time.
pub(crate) trait Probe: Sync {
    /// Number of customers the column covers; those past it never pass.
    fn len(&self) -> usize;
    /// Whether customer `idx` (below `len`) passes.
    fn test(&self, idx: usize) -> bool;
    /// The verdicts for customers `64 * w ..` as the bits of a word.
    fn word(&self, w: usize) -> u64;
}

/// A set of candidates a scan can narrow.
pub(crate) trait Within: Sized {
    /// The candidates that pass.
    fn scan(&self, probe: &impl Probe) -> Self;
    /// The candidates that pass a test one customer at a time (for facts no column holds).
    fn keep(&self, pass: impl Fn(u32) -> bool) -> Self;
}

/// Sparse candidates are tested one by one; dense ones get the whole column's words,
/// intersected with the candidates at the end.
impl Within for RoaringBitmap {
    fn scan(&self, probe: &impl Probe) -> Self {
        let len = probe.len();
        if self.len() * 16 < len as u64 {
            return self
                .iter()
                .filter(|&i| (i as usize) < len && probe.test(i as usize))
                .collect();
        }
        let words = (0..len.div_ceil(64)).map(|w| probe.word(w)).collect();
        DenseBits::from_words(words).to_roaring() & self
    }

    fn keep(&self, pass: impl Fn(u32) -> bool) -> Self {
        self.iter().filter(|&idx| pass(idx)).collect()
    }
}

/// Word by word over the candidates; words without candidates are not read.
impl Within for DenseBits {
    fn scan(&self, probe: &impl Probe) -> Self {
        let words = probe.len().div_ceil(64);
        let parts = map_chunks(self.words(), PARALLEL_FROM, |masks, first| {
            (first..)
                .zip(masks)
                .map(|(w, &mask)| match mask {
                    0 => 0,
                    _ if w >= words => 0,
                    _ => probe.word(w) & mask,
                })
                .collect::<Vec<u64>>()
        });
        DenseBits::from_words(parts.concat())
    }

    fn keep(&self, pass: impl Fn(u32) -> bool) -> Self {
        self.filter(pass)
    }
}

/// A test on every value of a plain column.
pub(crate) struct Values<'a, T, F> {
    /// The column.
    pub values: &'a [T],
    /// The test; absent markers must fail it.
    pub pass: F,
}

impl<T: Copy + Sync, F: Fn(T) -> bool + Sync> Probe for Values<'_, T, F> {
    fn len(&self) -> usize {
        self.values.len()
    }

    fn test(&self, idx: usize) -> bool {
        (self.pass)(self.values[idx])
    }

    fn word(&self, w: usize) -> u64 {
        word_of(&self.values[w * 64..], &self.pass)
    }
}

/// The verdicts of `pass` on the first 64 values (fewer at the end of a column) as the bits
/// of a word. Testing into a byte array first and packing after keeps the test loop free of
/// bit shifts, so it vectorises.
fn word_of<T: Copy>(values: &[T], pass: impl Fn(T) -> bool) -> u64 {
    let mut verdicts = [false; 64];
    match values.first_chunk::<64>() {
        // A fixed-size chunk, so the 64 tests unroll.
        Some(chunk) => {
            for (verdict, &v) in verdicts.iter_mut().zip(chunk) {
                *verdict = pass(v);
            }
        }
        None => {
            for (verdict, &v) in verdicts.iter_mut().zip(values) {
                *verdict = pass(v);
            }
        }
    }
    pack(&verdicts)
}

/// Packs 64 booleans into a word, eight at a time: a multiply gathers the low bit of each
/// byte into the top byte.
fn pack(verdicts: &[bool; 64]) -> u64 {
    let mut word = 0;
    for (i, eight) in verdicts.chunks_exact(8).enumerate() {
        let bytes = u64::from_le_bytes(std::array::from_fn(|j| u8::from(eight[j])));
        word |= (bytes.wrapping_mul(0x0102_0408_1020_4080) >> 56) << (8 * i);
    }
    word
}
