//! The two set representations the evaluator runs on, behind one trait so there is one
//! evaluator: roaring bitmaps for small or sparse scopes (maintenance of saved segments after
//! a write), flat bitsets for whole-population queries over large populations.

use roaring::RoaringBitmap;

use super::predicate::{Ctx, Predicate};
use crate::bitset::DenseBits;

/// Populations at least this large are queried on flat bitsets...
pub(crate) const DENSE_FROM: usize = 1 << 16;
/// ...when the scope holds at least one in this many of them.
pub(crate) const DENSE_SHARE: u64 = 16;

/// Set operations the evaluator needs; every set of one evaluation shares one universe.
pub(crate) trait Set: Clone {
    /// Members of `within` that are in `members`.
    fn intersect(within: &Self, members: &RoaringBitmap) -> Self;
    /// Removes the members of `members`.
    fn remove_members(&mut self, members: &RoaringBitmap);
    /// Keeps the members of `members`.
    fn keep_members(&mut self, members: &RoaringBitmap);
    /// Removes the members of `other`.
    fn remove(&mut self, other: &Self);
    /// Adds the members of `other`.
    fn add(&mut self, other: &Self);
    /// Members of `within` matching one predicate.
    fn select(p: &dyn Predicate, ctx: &Ctx, within: &Self) -> Self;
}

impl Set for RoaringBitmap {
    fn intersect(within: &Self, members: &RoaringBitmap) -> Self {
        members & within
    }

    fn remove_members(&mut self, members: &RoaringBitmap) {
        *self -= members;
    }

    fn keep_members(&mut self, members: &RoaringBitmap) {
        *self &= members;
    }

    fn remove(&mut self, other: &Self) {
        *self -= other;
    }

    fn add(&mut self, other: &Self) {
        *self |= other;
    }

    fn select(p: &dyn Predicate, ctx: &Ctx, within: &Self) -> Self {
        p.select(ctx, within)
    }
}

impl Set for DenseBits {
    fn intersect(within: &Self, members: &RoaringBitmap) -> Self {
        let mut out = within.clone();
        out.and_roaring(members);
        out
    }

    fn remove_members(&mut self, members: &RoaringBitmap) {
        self.andnot_roaring(members);
    }

    fn keep_members(&mut self, members: &RoaringBitmap) {
        self.and_roaring(members);
    }

    fn remove(&mut self, other: &Self) {
        self.andnot(other);
    }

    fn add(&mut self, other: &Self) {
        self.or(other);
    }

    fn select(p: &dyn Predicate, ctx: &Ctx, within: &Self) -> Self {
        match p.members(ctx) {
            Some(members) => Self::intersect(within, members),
            None => p.select_dense(ctx, within),
        }
    }
}

/// The members of a query, in whichever representation evaluated it.
pub(crate) enum Members {
    /// Evaluated on roaring bitmaps.
    Sparse(RoaringBitmap),
    /// Evaluated on a flat bitset.
    Dense(DenseBits),
}

impl Members {
    /// Number of members.
    pub fn len(&self) -> u64 {
        match self {
            Members::Sparse(m) => m.len(),
            Members::Dense(m) => m.len(),
        }
    }

    /// The members in ascending order.
    pub fn iter(&self) -> Box<dyn Iterator<Item = u32> + '_> {
        match self {
            Members::Sparse(m) => Box::new(m.iter()),
            Members::Dense(m) => Box::new(m.iter()),
        }
    }

    /// The members as a roaring bitmap.
    pub fn into_roaring(self) -> RoaringBitmap {
        match self {
            Members::Sparse(m) => m,
            Members::Dense(m) => m.to_roaring(),
        }
    }
}
