//! Secondary indexes over the profiles, kept in step with every slot change: the live
//! customers, numeric attribute columns, and the value types each attribute key has held.

use crate::hash::HashMap;

use roaring::RoaringBitmap;

use super::{Columns, Slot};
use crate::segment::TypeMask;

/// Indexes derived from the profiles.
#[derive(Default)]
pub(crate) struct Indexes {
    /// Customers not merged away.
    pub live: RoaringBitmap,
    /// Numeric attributes as columns.
    pub columns: Columns,
    /// Value types seen per attribute key (only grows).
    pub attr_types: HashMap<String, TypeMask>,
}

impl Indexes {
    /// Moves the indexes from `old` (absent for a new profile) to `new` for profile `idx`.
    pub fn update(&mut self, idx: u32, new: &Slot) {
        if new.merged_into.is_none() {
            self.live.insert(idx);
        } else {
            self.live.remove(idx);
        }
        self.columns.update(idx, new);
        for (key, attribute) in new.attributes.iter() {
            let mask = TypeMask::of(&attribute.value);
            match self.attr_types.get_mut(key) {
                Some(known) => known.add(mask),
                None => {
                    self.attr_types.insert(key.to_string(), mask);
                }
            }
        }
    }
}
