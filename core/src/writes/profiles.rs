//! Planning profile writes: upserts with identity resolution, merges and conflict handling.
//!
//! A [`ProfileTxn`] reads through to the state and copies a profile only when it changes it,
//! so a batch sees its own earlier writes and is dropped whole if any part fails.

use std::collections::BTreeMap;
use std::mem::take;
use std::sync::Arc;

use roaring::RoaringBitmap;

use crate::customer::{StoredAttribute, UpsertOutcome, ValidCustomer};
use crate::error::{invalid, Error, Result};
use crate::hash::HashMap;
use crate::identity::Identity;
use crate::merge::{
    combine_attributes, CollisionPolicy, ConflictResolution, ConflictStatus, IdentifiedPolicy,
    MergePolicy, MergeReason,
};
use crate::state::{
    Changes, ConflictEntry, IdentityKey, MergeEntry, PendingSymbols, Slot, State, TagOp,
};
use crate::tags::{check_tag, TagMeta, TagReport};

/// Actor name recorded for merges the engine makes on its own.
pub(crate) const ENGINE_ACTOR: &str = "engine";

/// An open profile write over a read-only state.
pub(crate) struct ProfileTxn<'s> {
    state: &'s State,
    policy: &'s MergePolicy,
    symbols: PendingSymbols,
    slots: BTreeMap<u32, Slot>,
    next_idx: usize,
    new_ids: HashMap<Arc<str>, u32>,
    identities: HashMap<IdentityKey, u32>,
    merges: Vec<MergeEntry>,
    conflicts: Vec<ConflictEntry>,
    conflict_status: Vec<(usize, ConflictStatus)>,
    tag_ops: Vec<TagOp>,
    /// Tags profiles received from merges in this write, not yet in the tag index.
    moved_tags: HashMap<u32, Vec<(u32, TagMeta)>>,
}

impl<'s> ProfileTxn<'s> {
    /// Opens a write over `state`.
    pub fn new(state: &'s State, policy: &'s MergePolicy) -> Self {
        ProfileTxn {
            state,
            policy,
            symbols: PendingSymbols::after(&state.symbols),
            slots: BTreeMap::new(),
            next_idx: state.customers.len(),
            new_ids: HashMap::default(),
            identities: HashMap::default(),
            merges: Vec::new(),
            conflicts: Vec::new(),
            conflict_status: Vec::new(),
            tag_ops: Vec::new(),
            moved_tags: HashMap::default(),
        }
    }

    /// The planned changes.
    pub fn into_changes(self) -> Changes {
        Changes {
            symbols: self.symbols.into_names(),
            slots: self.slots,
            new_ids: self.new_ids.into_iter().collect(),
            identities: self.identities,
            merges: self.merges,
            conflicts: self.conflicts,
            conflict_status: self.conflict_status,
            tag_ops: self.tag_ops,
            ..Changes::default()
        }
    }

    fn slot(&self, idx: u32) -> &Slot {
        self.slots
            .get(&idx)
            .unwrap_or_else(|| &self.state.customers[idx as usize])
    }

    fn slot_mut(&mut self, idx: u32) -> &mut Slot {
        let state = self.state;
        self.slots
            .entry(idx)
            .or_insert_with(|| state.customers[idx as usize].clone())
    }

    fn canonical(&self, mut idx: u32) -> u32 {
        while let Some(next) = self.slot(idx).merged_into {
            idx = next;
        }
        idx
    }

    /// The live profile an external id names, seeing this write's own changes.
    pub fn resolve(&self, id: &str) -> Option<u32> {
        let idx = self.new_ids.get(id).or_else(|| self.state.by_id.get(id))?;
        Some(self.canonical(*idx))
    }

    /// External id of a profile.
    pub fn external_id(&self, idx: u32) -> String {
        String::from(&*self.slot(idx).id)
    }

    fn owner(&self, key: &IdentityKey) -> Option<u32> {
        let owner = self
            .identities
            .get(key)
            .or_else(|| self.state.identities.get(key))?;
        Some(self.canonical(*owner))
    }

    fn create(
        &mut self,
        field: &dyn Fn() -> String,
        id: &str,
        anonymous: bool,
        at: i64,
    ) -> Result<u32> {
        let idx = u32::try_from(self.next_idx)
            .map_err(|_| invalid(field(), "the engine is full (2^32 customers)"))?;
        self.next_idx += 1;
        let id: Arc<str> = id.into();
        self.new_ids.insert(id.clone(), idx);
        self.slots.insert(idx, Slot::new(id, anonymous, at));
        Ok(idx)
    }

    /// Inserts or updates one profile; `field` is its input path for errors.
    pub fn upsert(
        &mut self,
        field: &dyn Fn() -> String,
        input: ValidCustomer,
    ) -> Result<UpsertOutcome> {
        let at = input.at;
        let (mut target, created) = match self.resolve(&input.id) {
            Some(idx) => (idx, false),
            None => {
                let anonymous = input.anonymous.unwrap_or(false);
                (self.create(field, &input.id, anonymous, at)?, true)
            }
        };
        set_fields(self.slot_mut(target), &input);
        let mut merged = Vec::new();
        let mut conflicts = Vec::new();
        for (i, identity) in input.identities.iter().enumerate() {
            let path = || format!("{}.identities[{i}].channel", field());
            let key = IdentityKey {
                channel: self
                    .symbols
                    .id(&self.state.symbols, path, &identity.channel)?,
                value: identity.value.as_str().into(),
            };
            let Some(owner) = self.owner(&key) else {
                self.identities.insert(key.clone(), target);
                self.slot_mut(target).identities.push(key);
                continue;
            };
            if owner == target {
                continue;
            }
            if self.policy.on_collision == CollisionPolicy::Reject {
                return Err(Error::IdentityTaken {
                    channel: identity.channel.clone(),
                    value: identity.value.clone(),
                    owner: self.external_id(owner),
                    claimant: input.id.clone(),
                });
            }
            let both_identified = !self.slot(owner).anonymous && !self.slot(target).anonymous;
            if both_identified && self.policy.identified == IdentifiedPolicy::Flag {
                if let Some(id) = self.flag(key, owner, target, at) {
                    conflicts.push(id);
                }
                continue;
            }
            let (survivor, gone) = self.rank(target, owner);
            merged.push(self.external_id(gone));
            let reason = shared_identity(identity);
            self.merge(survivor, gone, at, ENGINE_ACTOR, reason);
            target = survivor;
        }
        Ok(UpsertOutcome {
            id: self.external_id(target),
            created,
            merged,
            conflicts,
        })
    }

    /// Interns tag names, checked, for this write.
    pub fn tag_ids(&mut self, tags: &[String]) -> Result<Vec<u32>> {
        tags.iter()
            .enumerate()
            .map(|(i, tag)| {
                let field = || format!("tags[{i}]");
                check_tag(&field(), tag)?;
                self.symbols.id(&self.state.symbols, field, tag)
            })
            .collect()
    }

    /// Sets (`Some`) or removes (`None`) tags on live profiles. Setting a tag that is
    /// already there keeps its original time and source.
    pub fn retag(
        &mut self,
        customers: &RoaringBitmap,
        tags: &[u32],
        set: Option<TagMeta>,
    ) -> TagReport {
        let mut affected = RoaringBitmap::new();
        let mut changed = 0;
        for &tag in tags {
            let members = self.state.tags.by_tag.get(&tag).map(|e| &e.members);
            let hit = match (set, members) {
                (Some(_), Some(members)) => customers - members,
                (Some(_), None) => customers.clone(),
                (None, Some(members)) => customers & members,
                (None, None) => RoaringBitmap::new(),
            };
            if hit.is_empty() {
                continue;
            }
            changed += hit.len();
            affected |= &hit;
            self.tag_ops.push(TagOp {
                tag,
                customers: hit,
                meta: set,
            });
        }
        TagReport {
            customers: affected.len(),
            changed,
        }
    }

    /// The tags a profile carries as this write sees them.
    fn tags_of(&self, idx: u32) -> Vec<(u32, TagMeta)> {
        let mut tags = self.state.tags.tags_of(idx);
        tags.extend(self.moved_tags.get(&idx).into_iter().flatten().copied());
        tags
    }

    /// Orders two live profiles as (survivor, merged): identified before anonymous, then the
    /// older (lower index). Depends only on the pair, so merge order never changes the outcome.
    fn rank(&self, a: u32, b: u32) -> (u32, u32) {
        let key = |i: u32| (self.slot(i).anonymous, i);
        if key(a) <= key(b) {
            (a, b)
        } else {
            (b, a)
        }
    }

    /// Merges the live profile `gone` into the live profile `survivor`.
    pub fn merge(&mut self, survivor: u32, gone: u32, at: i64, actor: &str, reason: MergeReason) {
        let old = self.slot_mut(gone);
        old.merged_into = Some(survivor);
        old.updated_at = old.updated_at.max(at);
        let attributes = take(&mut old.attributes);
        let identities = take(&mut old.identities);
        let absorbed = take(&mut old.absorbed);
        let events = take(&mut old.events);
        let (anonymous, created_at, updated_at) = (old.anonymous, old.created_at, old.updated_at);
        for key in &identities {
            self.identities.insert(key.clone(), survivor);
        }
        for (tag, meta) in self.tags_of(gone) {
            let one = |idx: u32| RoaringBitmap::from_iter([idx]);
            self.tag_ops.push(TagOp {
                tag,
                customers: one(gone),
                meta: None,
            });
            self.tag_ops.push(TagOp {
                tag,
                customers: one(survivor),
                meta: Some(meta),
            });
            self.moved_tags
                .entry(survivor)
                .or_default()
                .push((tag, meta));
        }
        let policy = self.policy;
        let keep = self.slot_mut(survivor);
        combine_attributes(&mut keep.attributes, attributes, policy);
        keep.identities.extend(identities);
        keep.absorbed.push(gone);
        keep.absorbed.extend(absorbed);
        keep.absorbed.sort_unstable();
        keep.events = merge_sorted(take(&mut keep.events), events);
        keep.anonymous &= anonymous;
        keep.created_at = keep.created_at.min(created_at);
        keep.updated_at = keep.updated_at.max(updated_at);
        self.merges.push(MergeEntry {
            survivor,
            merged: gone,
            at,
            actor: actor.to_string(),
            reason,
        });
    }

    /// Records a conflict unless the same claim is already open or was kept apart.
    fn flag(&mut self, key: IdentityKey, owner: u32, claimant: u32, at: i64) -> Option<u64> {
        let seen = self
            .state
            .conflicts
            .iter()
            .chain(&self.conflicts)
            .any(|c| c.key == key && self.canonical(c.claimant) == claimant);
        if seen {
            return None;
        }
        let id = self.state.conflicts.len() + self.conflicts.len();
        self.conflicts.push(ConflictEntry {
            key,
            owner,
            claimant,
            at,
            status: ConflictStatus::Open,
        });
        Some(id as u64)
    }

    /// Resolves an open conflict.
    pub fn resolve_conflict(
        &mut self,
        id: u64,
        resolution: ConflictResolution,
        actor: &str,
        at: i64,
    ) -> Result<()> {
        let index = usize::try_from(id)
            .ok()
            .filter(|&i| i < self.state.conflicts.len());
        let Some(index) = index else {
            return Err(Error::NotFound {
                entity: "conflict",
                key: id.to_string(),
            });
        };
        let state = self.state;
        let conflict = &state.conflicts[index];
        if conflict.status != ConflictStatus::Open {
            return Err(Error::Conflict {
                reason: format!("conflict {id} is already {:?}", conflict.status),
            });
        }
        let status = match resolution {
            ConflictResolution::Merge => {
                let owner = self.canonical(conflict.owner);
                let claimant = self.canonical(conflict.claimant);
                if owner != claimant {
                    let (survivor, gone) = self.rank(owner, claimant);
                    self.merge(
                        survivor,
                        gone,
                        at,
                        actor,
                        MergeReason::ConflictResolved { conflict: id },
                    );
                }
                ConflictStatus::Merged
            }
            ConflictResolution::KeepApart => ConflictStatus::KeptApart,
        };
        self.conflict_status.push((index, status));
        Ok(())
    }
}

/// Applies an upsert's attribute and flag changes; older updates never overwrite newer values.
fn set_fields(slot: &mut Slot, input: &ValidCustomer) {
    let at = input.at;
    if let Some(anonymous) = input.anonymous {
        slot.anonymous = anonymous;
    }
    for (key, value) in &input.attributes {
        if slot.attributes.get(key).is_none_or(|old| old.set_at <= at) {
            let value = value.clone();
            slot.attributes
                .insert(key, StoredAttribute { value, set_at: at });
        }
    }
    for key in &input.remove_attributes {
        if slot.attributes.get(key).is_some_and(|old| old.set_at <= at) {
            slot.attributes.remove(key);
        }
    }
    slot.updated_at = slot.updated_at.max(at);
}

fn shared_identity(identity: &Identity) -> MergeReason {
    MergeReason::SharedIdentity {
        channel: identity.channel.clone(),
        value: identity.value.clone(),
    }
}

/// Merges two sorted lists into one.
fn merge_sorted<T: Ord + Copy>(a: Vec<T>, b: Vec<T>) -> Vec<T> {
    if b.is_empty() {
        return a;
    }
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        if a[i] <= b[j] {
            out.push(a[i]);
            i += 1;
        } else {
            out.push(b[j]);
            j += 1;
        }
    }
    out.extend_from_slice(&a[i..]);
    out.extend_from_slice(&b[j..]);
    out
}
