//! Tags by tag: one roaring bitmap of members each, with members grouped by when and how
//! they were tagged. Tagging a million customers in one call is one group, not a million
//! records, so tags cost a few bits per customer however they were set.

use roaring::RoaringBitmap;

use crate::hash::HashMap;
use crate::tags::{TagMeta, TagSource};

/// The members of one tag.
#[derive(Clone, Debug, Default)]
pub(crate) struct TagEntry {
    /// Everyone carrying the tag.
    pub members: RoaringBitmap,
    /// The same members, grouped by when and how they were tagged (disjoint groups).
    groups: Vec<(TagMeta, RoaringBitmap)>,
}

impl TagEntry {
    /// When and how a member was tagged.
    pub fn meta(&self, idx: u32) -> Option<TagMeta> {
        self.groups
            .iter()
            .find(|(_, g)| g.contains(idx))
            .map(|(m, _)| *m)
    }

    /// Tags `customers` with `meta`. A customer already tagged keeps the earlier of its
    /// meta and `meta`. Returns the customers who were not tagged before.
    pub fn set(&mut self, customers: &RoaringBitmap, meta: TagMeta) -> RoaringBitmap {
        let fresh = customers - &self.members;
        let mut moved = RoaringBitmap::new();
        for (old, group) in &mut self.groups {
            if meta < *old {
                let earlier = &*group & customers;
                *group -= &earlier;
                moved |= earlier;
            }
        }
        self.groups.retain(|(_, g)| !g.is_empty());
        let joining = &fresh | &moved;
        if !joining.is_empty() {
            self.members |= &fresh;
            match self.groups.iter_mut().find(|(m, _)| *m == meta) {
                Some((_, group)) => *group |= joining,
                None => self.groups.push((meta, joining)),
            }
        }
        fresh
    }

    /// Untags `customers` (only those tagged with `source`, when given). Returns who lost it.
    pub fn remove(
        &mut self,
        customers: &RoaringBitmap,
        source: Option<TagSource>,
    ) -> RoaringBitmap {
        let mut removed = RoaringBitmap::new();
        for (meta, group) in &mut self.groups {
            if source.is_none_or(|s| s == meta.source) {
                let gone = &*group & customers;
                *group -= &gone;
                removed |= gone;
            }
        }
        self.groups.retain(|(_, g)| !g.is_empty());
        self.members -= &removed;
        removed
    }
}

/// Every tag, by tag symbol.
#[derive(Clone, Debug, Default)]
pub(crate) struct TagIndex {
    pub by_tag: HashMap<u32, TagEntry>,
}

impl TagIndex {
    /// The tags of one customer with their meta, unsorted.
    pub fn tags_of(&self, idx: u32) -> Vec<(u32, TagMeta)> {
        self.by_tag
            .iter()
            .filter(|(_, e)| e.members.contains(idx))
            .filter_map(|(tag, e)| Some((*tag, e.meta(idx)?)))
            .collect()
    }

    /// Applies one tag operation; returns the customers whose tags changed.
    pub fn apply(&mut self, op: &TagOp) -> RoaringBitmap {
        let entry = self.by_tag.entry(op.tag).or_default();
        match op.meta {
            Some(meta) => entry.set(&op.customers, meta),
            None => entry.remove(&op.customers, None),
        }
    }
}

/// A change to one tag: set with `meta`, or removed when `meta` is `None`.
#[derive(Clone, Debug)]
pub(crate) struct TagOp {
    pub tag: u32,
    pub customers: RoaringBitmap,
    pub meta: Option<TagMeta>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(t: i64, source: TagSource) -> TagMeta {
        TagMeta { set_at: t, source }
    }

    #[test]
    fn groups_track_meta_and_keep_the_earliest() {
        let mut e = TagEntry::default();
        let fresh = e.set(
            &RoaringBitmap::from_iter([1, 2, 3]),
            meta(10, TagSource::Manual),
        );
        assert_eq!(fresh.len(), 3);
        let fresh = e.set(
            &RoaringBitmap::from_iter([3, 4]),
            meta(20, TagSource::Import),
        );
        assert_eq!(fresh.iter().collect::<Vec<_>>(), [4]);
        assert_eq!(
            e.meta(3),
            Some(meta(10, TagSource::Manual)),
            "kept the earlier tagging"
        );
        e.set(&RoaringBitmap::from_iter([4]), meta(5, TagSource::Rule));
        assert_eq!(
            e.meta(4),
            Some(meta(5, TagSource::Rule)),
            "an earlier meta wins"
        );
        let removed = e.remove(&RoaringBitmap::from_iter([1, 4]), Some(TagSource::Rule));
        assert_eq!(removed.iter().collect::<Vec<_>>(), [4]);
        assert_eq!(e.members.iter().collect::<Vec<_>>(), [1, 2, 3]);
        e.remove(&RoaringBitmap::from_iter([1, 2, 3]), None);
        assert!(e.members.is_empty() && e.groups.is_empty());
    }
}
