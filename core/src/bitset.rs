//! A plain bitset over customer indexes, one bit per customer slot.
//!
//! When a query covers a large share of a large population, word-wide AND/OR/ANDNOT over a
//! flat array beat compressed containers, and column scans write their verdicts straight
//! into words. Roaring bitmaps (tags, saved segments) are read container by container
//! through their portable serialization, the one public view of their containers.

use std::cell::RefCell;

use roaring::RoaringBitmap;

/// Bits in one roaring container.
const CONTAINER_BITS: usize = 1 << 16;
/// Words in one roaring container.
const CONTAINER_WORDS: usize = CONTAINER_BITS / 64;

/// A set of customer indexes below a fixed universe, as a flat array of words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct DenseBits {
    words: Vec<u64>,
}

impl DenseBits {
    /// The empty set over `universe` indexes.
    pub fn empty(universe: usize) -> Self {
        DenseBits {
            words: vec![0; universe.div_ceil(64)],
        }
    }

    /// A set from its words (bit `i % 64` of word `i / 64` stands for index `i`).
    pub fn from_words(words: Vec<u64>) -> Self {
        DenseBits { words }
    }

    /// The members of `bitmap` below `universe`.
    pub fn from_roaring(bitmap: &RoaringBitmap, universe: usize) -> Self {
        let mut set = DenseBits::empty(universe);
        for_each_container(bitmap, |key, words| {
            set.apply(key, |mine, i| *mine = words[i]);
        });
        if let (Some(last), tail @ 1..) = (set.words.last_mut(), universe % 64) {
            *last &= (1 << tail) - 1;
        }
        set
    }

    /// Number of indexes the set can hold (a multiple of 64).
    pub fn universe(&self) -> usize {
        self.words.len() * 64
    }

    /// Adds `idx` (below the universe).
    pub fn insert(&mut self, idx: u32) {
        self.words[idx as usize / 64] |= 1 << (idx % 64);
    }

    /// The members for which `keep` holds.
    pub fn filter(&self, keep: impl Fn(u32) -> bool) -> DenseBits {
        let mut out = DenseBits::empty(self.universe());
        for idx in self.iter().filter(|&idx| keep(idx)) {
            out.insert(idx);
        }
        out
    }

    /// The words, lowest indexes first.
    pub fn words(&self) -> &[u64] {
        &self.words
    }

    /// Number of members.
    pub fn len(&self) -> u64 {
        self.words.iter().map(|w| u64::from(w.count_ones())).sum()
    }

    /// Keeps only members of `bitmap`.
    pub fn and_roaring(&mut self, bitmap: &RoaringBitmap) {
        let mut next_word = 0;
        for_each_container(bitmap, |key, words| {
            let start = (key as usize * CONTAINER_WORDS).min(self.words.len());
            self.words[next_word.min(start)..start].fill(0);
            self.apply(key, |mine, i| *mine &= words[i]);
            next_word = start + CONTAINER_WORDS;
        });
        let tail = next_word.min(self.words.len());
        self.words[tail..].fill(0);
    }

    /// Removes members of `bitmap`.
    pub fn andnot_roaring(&mut self, bitmap: &RoaringBitmap) {
        for_each_container(bitmap, |key, words| {
            self.apply(key, |mine, i| *mine &= !words[i]);
        });
    }

    /// Removes members of `other` (same universe).
    pub fn andnot(&mut self, other: &DenseBits) {
        self.zip(other, |a, b| *a &= !b);
    }

    /// Adds members of `other` (same universe).
    pub fn or(&mut self, other: &DenseBits) {
        self.zip(other, |a, b| *a |= b);
    }

    /// The members as a roaring bitmap.
    pub fn to_roaring(&self) -> RoaringBitmap {
        let bytes: Vec<u8> = self.words.iter().flat_map(|w| w.to_le_bytes()).collect();
        let mut bitmap = RoaringBitmap::from_lsb0_bytes(0, &bytes);
        // roaring 0.11.5's `from_lsb0_bytes` keeps a container of exactly 4,096 members as a
        // bitmap, where the format wants an array: such a bitmap neither compares equal to
        // the same set nor survives serialization. Taking one member out and back in lets
        // roaring pick the right container.
        for (block, words) in self.words.chunks(CONTAINER_WORDS).enumerate() {
            let members: u32 = words.iter().map(|w| w.count_ones()).sum();
            if members as usize == ARRAY_MAX {
                let base = (block * CONTAINER_BITS) as u32;
                let first = words.iter().position(|&w| w != 0).unwrap_or(0);
                let member = base + first as u32 * 64 + words[first].trailing_zeros();
                bitmap.remove(member);
                bitmap.insert(member);
            }
        }
        bitmap
    }

    /// The members in ascending order.
    pub fn iter(&self) -> impl Iterator<Item = u32> + '_ {
        self.words.iter().enumerate().flat_map(|(w, &word)| {
            let base = (w * 64) as u32;
            let mut rest = word;
            std::iter::from_fn(move || {
                (rest != 0).then(|| {
                    let bit = rest.trailing_zeros();
                    rest &= rest - 1;
                    base + bit
                })
            })
        })
    }

    fn zip(&mut self, other: &DenseBits, f: impl Fn(&mut u64, u64)) {
        debug_assert_eq!(self.words.len(), other.words.len());
        for (a, &b) in self.words.iter_mut().zip(&other.words) {
            f(a, b);
        }
    }

    /// Calls `f(word, i)` for the words of container `key` inside the universe, `i` being
    /// the word's position in the container.
    fn apply(&mut self, key: u16, f: impl Fn(&mut u64, usize)) {
        let start = key as usize * CONTAINER_WORDS;
        let end = (start + CONTAINER_WORDS).min(self.words.len());
        if start < end {
            for (i, word) in self.words[start..end].iter_mut().enumerate() {
                f(word, i);
            }
        }
    }
}

thread_local! {
    /// Reused serialization buffer, so reading a bitmap allocates nothing in steady state.
    static SERIALIZED: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// Portable-format cookie of bitmaps without run containers.
const COOKIE_NO_RUNS: u32 = 12346;
/// Portable-format cookie (low 16 bits) of bitmaps with run containers.
const COOKIE_RUNS: u32 = 12347;
/// With run containers, offsets are written only from this many containers on.
const OFFSETS_FROM: usize = 4;
/// Largest cardinality stored as an array container.
const ARRAY_MAX: usize = 4096;

/// Calls `f(key, words)` for every container of `bitmap`, its members expanded to 1024 words.
fn for_each_container(bitmap: &RoaringBitmap, mut f: impl FnMut(u16, &[u64; CONTAINER_WORDS])) {
    SERIALIZED.with_borrow_mut(|buf| {
        buf.clear();
        // Writing into a Vec cannot fail.
        bitmap
            .serialize_into(&mut *buf)
            .expect("serializing into memory");
        let mut words = [0u64; CONTAINER_WORDS];
        let mut r = Reader { buf, at: 0 };
        let cookie = r.u32();
        let (size, runs): (usize, Option<&[u8]>) = if cookie == COOKIE_NO_RUNS {
            (r.u32() as usize, None)
        } else {
            debug_assert_eq!(cookie & 0xFFFF, COOKIE_RUNS);
            let size = (cookie >> 16) as usize + 1;
            (size, Some(r.bytes(size.div_ceil(8))))
        };
        let headers = r.bytes(size * 4);
        if runs.is_none() || size >= OFFSETS_FROM {
            r.bytes(size * 4);
        }
        for c in 0..size {
            let key = u16::from_le_bytes([headers[c * 4], headers[c * 4 + 1]]);
            let cardinality =
                u16::from_le_bytes([headers[c * 4 + 2], headers[c * 4 + 3]]) as usize + 1;
            let is_run = runs.is_some_and(|bits| bits[c / 8] & (1 << (c % 8)) != 0);
            if is_run {
                words.fill(0);
                for _ in 0..r.u16() {
                    let start = r.u16() as usize;
                    let end = start + r.u16() as usize;
                    set_range(&mut words, start, end);
                }
            } else if cardinality <= ARRAY_MAX {
                words.fill(0);
                for _ in 0..cardinality {
                    let v = r.u16() as usize;
                    words[v / 64] |= 1 << (v % 64);
                }
            } else {
                for (w, bytes) in words
                    .iter_mut()
                    .zip(r.bytes(CONTAINER_WORDS * 8).chunks_exact(8))
                {
                    *w = u64::from_le_bytes(bytes.try_into().unwrap_or_default());
                }
            }
            f(key, &words);
        }
    });
}

/// Sets bits `start..=end` of a container.
fn set_range(words: &mut [u64; CONTAINER_WORDS], start: usize, end: usize) {
    for v in start..=end {
        words[v / 64] |= 1 << (v % 64);
    }
}

/// Little-endian reads over a serialized bitmap that this process just wrote.
struct Reader<'a> {
    buf: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn bytes(&mut self, n: usize) -> &'a [u8] {
        let out = &self.buf[self.at..self.at + n];
        self.at += n;
        out
    }

    fn u16(&mut self) -> u16 {
        let b = self.bytes(2);
        u16::from_le_bytes([b[0], b[1]])
    }

    fn u32(&mut self) -> u32 {
        let b = self.bytes(4);
        u32::from_le_bytes([b[0], b[1], b[2], b[3]])
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// Bitmaps with array, bitmap and (after `optimize`) run containers.
    fn bitmap() -> impl Strategy<Value = RoaringBitmap> {
        (
            prop::collection::vec(0u32..300_000, 0..400),
            prop::collection::vec((0u32..300_000, 1u32..20_000), 0..4),
            any::<bool>(),
        )
            .prop_map(|(points, ranges, optimize)| {
                let mut b: RoaringBitmap = points.into_iter().collect();
                for (start, len) in ranges {
                    b.insert_range(start..start + len);
                }
                if optimize {
                    b.optimize();
                }
                b
            })
    }

    proptest! {
        #[test]
        fn a_full_array_container_round_trips(skip in 0u32..16) {
            let set: RoaringBitmap = (0..4096u32).map(|i| 65_536 + i * 16 + skip % 16).collect();
            let dense = DenseBits::from_roaring(&set, 200_000);
            let back = dense.to_roaring();
            prop_assert_eq!(&back, &set);
            prop_assert_eq!(DenseBits::from_roaring(&back, 200_000), dense);
        }

        #[test]
        fn operations_agree_with_roaring(a in bitmap(), b in bitmap(), universe in 0usize..320_000) {
            let clip = |m: &RoaringBitmap| m.iter().filter(|&i| (i as usize) < universe).collect::<RoaringBitmap>();
            let (ca, cb) = (clip(&a), clip(&b));
            let dense_a = DenseBits::from_roaring(&a, universe);
            prop_assert_eq!(dense_a.to_roaring(), ca.clone());
            prop_assert_eq!(dense_a.iter().collect::<RoaringBitmap>(), ca.clone());
            prop_assert_eq!(dense_a.len(), ca.len());
            let dense_b = DenseBits::from_roaring(&b, universe);
            let mut and = dense_a.clone();
            and.and_roaring(&b);
            prop_assert_eq!(and.to_roaring(), &ca & &cb);
            let mut minus = dense_a.clone();
            minus.andnot_roaring(&b);
            prop_assert_eq!(minus.to_roaring(), &ca - &cb);
            let mut minus = dense_a.clone();
            minus.andnot(&dense_b);
            prop_assert_eq!(minus.to_roaring(), &ca - &cb);
            let mut or = dense_a;
            or.or(&dense_b);
            prop_assert_eq!(or.to_roaring(), &ca | &cb);
        }
    }
}
