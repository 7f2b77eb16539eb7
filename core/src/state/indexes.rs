//! Secondary indexes over the profiles, kept in step with every slot change: the live
//! customers, one bitmap per tag, and the value types each attribute key has held.

use crate::hash::HashMap;

use roaring::RoaringBitmap;

use super::Slot;
use crate::segment::TypeMask;

/// Indexes derived from the profiles.
#[derive(Default)]
pub(crate) struct Indexes {
    /// Customers not merged away.
    pub live: RoaringBitmap,
    /// Members of each tag, by tag symbol.
    pub tags: HashMap<u32, RoaringBitmap>,
    /// Value types seen per attribute key (only grows).
    pub attr_types: HashMap<String, TypeMask>,
}

impl Indexes {
    /// Moves the indexes from `old` (absent for a new profile) to `new` for profile `idx`.
    pub fn update(&mut self, idx: u32, old: Option<&Slot>, new: &Slot) {
        if new.merged_into.is_none() {
            self.live.insert(idx);
        } else {
            self.live.remove(idx);
        }
        if let Some(old) = old {
            for tag in old.tags.keys().filter(|t| !new.tags.contains_key(t)) {
                if let Some(members) = self.tags.get_mut(tag) {
                    members.remove(idx);
                }
            }
        }
        for tag in new.tags.keys() {
            self.tags.entry(*tag).or_default().insert(idx);
        }
        for (key, attribute) in &new.attributes {
            let mask = TypeMask::of(&attribute.value);
            match self.attr_types.get_mut(key) {
                Some(known) => known.add(mask),
                None => {
                    self.attr_types.insert(key.clone(), mask);
                }
            }
        }
    }
}
