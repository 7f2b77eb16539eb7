//! Secondary indexes over the profiles, kept in step with every slot change: the live
//! customers, the customers with an identity on each channel, numeric attribute columns,
//! and the value types each attribute key has held.

use crate::hash::HashMap;

use roaring::RoaringBitmap;

use super::{Columns, Slot};
use crate::segment::TypeMask;

/// Indexes derived from the profiles.
#[derive(Default)]
pub(crate) struct Indexes {
    /// Customers not merged away.
    pub live: RoaringBitmap,
    /// Customers with an identity on each channel, by channel symbol.
    pub channels: HashMap<u32, RoaringBitmap>,
    /// Numeric attributes as columns.
    pub columns: Columns,
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
        let has = |slot: &Slot, channel: u32| slot.identities.iter().any(|k| k.channel == channel);
        for key in old.map_or(&[][..], |o| &o.identities) {
            if !has(new, key.channel) {
                if let Some(members) = self.channels.get_mut(&key.channel) {
                    members.remove(idx);
                }
            }
        }
        for key in &new.identities {
            self.channels.entry(key.channel).or_default().insert(idx);
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
