//! A planned write: everything one call changes, computed without touching the state so it
//! can be made durable first and then applied in one short, infallible step.

use std::collections::BTreeMap;

use crate::hash::HashMap;
use std::sync::Arc;

use compact_str::CompactString;
use roaring::RoaringBitmap;

use super::{
    live_profile, ConflictEntry, EventRef, IdentityKey, MergeEntry, Slot, State, Symbols, TagOp,
};
use crate::customer::AttributeValue;
use crate::event::EventRow;
use crate::lifecycle::{ChurnModel, Ladder, ScoringConfig};
use crate::merge::ConflictStatus;
use crate::referral::ReferralOp;
use crate::relations::{edge_kinds, StoredEdge};
use crate::segment::{LiveNode, NodeKey};
use crate::sorted::insert_in_order;

/// An event about to be appended.
pub(crate) struct NewEvent {
    pub row: EventRow,
    pub properties: BTreeMap<String, AttributeValue>,
    pub key: Option<Box<str>>,
}

/// What kinds of facts a write changed, so only the saved segments and rules that read
/// them are re-evaluated.
#[derive(Debug, Default)]
pub(crate) struct Facts {
    /// Customers whose facts changed.
    pub touched: RoaringBitmap,
    /// Events were appended.
    pub events: bool,
    /// Profiles were created or merged, identities moved, or saved segments and rules were
    /// redefined: every node may be affected.
    pub profiles: bool,
    /// Attribute keys that changed on existing profiles.
    pub attributes: Vec<String>,
    /// Tags that were set or removed.
    pub tags: Vec<String>,
    /// Edges were put or removed (by hand, or by events with a target).
    pub graph: bool,
}

/// A change to the edge store.
#[derive(Clone, Copy)]
pub(crate) enum EdgeOp {
    /// Inserts an edge or replaces its weight.
    Put(StoredEdge),
    /// Inserts an edge the planner found absent.
    Insert(StoredEdge),
    /// Removes an edge (ends as stored).
    Remove { source: u32, target: u32, kind: u32 },
}

impl EdgeOp {
    /// The ends of the edge, as stored.
    pub fn ends(&self) -> (u32, u32) {
        match *self {
            EdgeOp::Put(e) | EdgeOp::Insert(e) => (e.source, e.target),
            EdgeOp::Remove { source, target, .. } => (source, target),
        }
    }
}

/// A change to the saved segments and tag rules.
pub(crate) enum LiveOp {
    /// Defines or replaces a node (already checked for cycles).
    Define(Box<LiveNode>),
    /// Drops a node.
    Drop(NodeKey),
    /// Sets a segment's checkpoint to its current members.
    Checkpoint(String),
}

/// The changes of one write call.
#[derive(Default)]
pub(crate) struct Changes {
    /// Names to intern, in id order after the existing ones.
    pub symbols: Vec<String>,
    /// Profiles that are new (index = current length and up) or replaced.
    pub slots: BTreeMap<u32, Slot>,
    /// External ids that now name a profile.
    pub new_ids: Vec<(Arc<str>, u32)>,
    /// New owners of identities.
    pub identities: HashMap<IdentityKey, u32>,
    pub merges: Vec<MergeEntry>,
    pub conflicts: Vec<ConflictEntry>,
    /// Status changes of existing conflicts, by id.
    pub conflict_status: Vec<(usize, ConflictStatus)>,
    pub events: Vec<NewEvent>,
    pub tag_ops: Vec<TagOp>,
    pub live: Vec<LiveOp>,
    pub edges: Vec<EdgeOp>,
    pub referral_ops: Vec<ReferralOp>,
    /// A new scoring configuration (normalised): every score is recomputed.
    pub scoring: Option<ScoringConfig>,
    /// A ladder defined or replaced (its stage nodes come in `live`).
    pub ladder: Option<Ladder>,
    /// A newly fitted churn model.
    pub churn: Option<ChurnModel>,
}

impl Changes {
    /// Name of a symbol id, existing or about to be interned.
    pub fn name<'a>(&'a self, symbols: &'a Symbols, id: u32) -> &'a str {
        match (id as usize).checked_sub(symbols.len()) {
            Some(i) => &self.symbols[i],
            None => symbols.name(id),
        }
    }
}

impl State {
    /// Applies planned changes and returns what changed. Cannot fail: every check happened
    /// while planning.
    pub fn apply(&mut self, changes: Changes) -> Facts {
        let mut touched = RoaringBitmap::new();
        let created = changes
            .slots
            .keys()
            .next_back()
            .is_some_and(|&i| i as usize >= self.customers.len());
        let profiles = created
            || !changes.merges.is_empty()
            || !changes.identities.is_empty()
            || !changes.live.is_empty();
        let events = !changes.events.is_empty();
        let graph =
            !changes.edges.is_empty() || changes.events.iter().any(|e| e.row.target.is_some());
        let mut attributes: Vec<String> = Vec::new();
        for name in &changes.symbols {
            self.symbols.intern(name);
        }
        let symbols = &self.symbols;
        self.scores
            .sync_symbols(symbols.len(), |id| symbols.name(id));
        let merged: Vec<(u32, u32)> = changes
            .merges
            .iter()
            .map(|m| (m.survivor, m.merged))
            .collect();
        for (idx, slot) in changes.slots {
            let old = match self.customers.get_mut(idx as usize) {
                Some(existing) => {
                    let old = std::mem::replace(existing, slot);
                    for key in old.attributes.changed_keys(&existing.attributes) {
                        if !attributes.iter().any(|k| k == key) {
                            attributes.push(key.to_string());
                        }
                    }
                    Some(old)
                }
                None => {
                    self.customers.push(slot);
                    None
                }
            };
            self.index
                .update(idx, old.as_ref(), &self.customers[idx as usize]);
            touched.insert(idx);
        }
        self.activity.fit(self.customers.len());
        let new_ids = changes.new_ids.into_iter();
        self.by_id
            .extend(new_ids.map(|(id, idx)| (CompactString::from(&*id), idx)));
        self.identities.extend(changes.identities);
        for m in &changes.merges {
            self.referrals.ledger.absorb(m.survivor, m.merged);
        }
        self.merges.extend(changes.merges);
        self.conflicts.extend(changes.conflicts);
        for (id, status) in changes.conflict_status {
            self.conflicts[id].status = status;
        }
        self.record_new_events(changes.events, &mut touched);
        for (survivor, gone) in merged {
            self.scores.clear(gone);
            let survivor = self.canonical(survivor);
            self.activity.absorb(survivor, gone);
            self.rebuild_score(survivor);
        }
        if let Some(config) = changes.scoring {
            self.scores.reconfigure(config);
            self.rebuild_scores();
            self.segments.invalidate(|deps| deps.score);
        }
        for op in changes.edges {
            let (source, target) = op.ends();
            touched.insert(self.canonical(source));
            touched.insert(self.canonical(target));
            match op {
                EdgeOp::Put(edge) => self.graph.put(edge),
                EdgeOp::Insert(edge) => self.graph.insert(edge),
                EdgeOp::Remove {
                    source,
                    target,
                    kind,
                } => {
                    self.graph.remove(source, target, kind);
                }
            }
        }
        if graph || profiles {
            self.graph.analytics = Default::default();
        }
        let State {
            customers,
            index,
            referrals,
            ..
        } = self;
        let live = |idx: u32| live_profile(customers, &index.live, idx);
        for op in changes.referral_ops {
            referrals.apply(op, &live);
        }
        if events || profiles {
            self.rfm.clear();
            self.churn.clear();
        }
        if let Some(model) = changes.churn {
            self.churn.model = Some(model);
            self.churn.clear();
            self.segments.invalidate(|deps| deps.churn);
        }
        let mut tags = Vec::new();
        for op in &changes.tag_ops {
            touched |= self.tags.apply(op);
            tags.push(self.symbols.name(op.tag).to_string());
        }
        if let Some(ladder) = changes.ladder {
            self.ladders.install(ladder);
        }
        for op in changes.live {
            match op {
                LiveOp::Define(node) => self.segments.install(*node),
                LiveOp::Drop(key) => {
                    self.segments.remove(&key);
                    if let NodeKey::Rule(tag) = key {
                        self.clear_rule_tags(&tag);
                    }
                }
                LiveOp::Checkpoint(name) => {
                    if let Some(i) = self.segments.find(&NodeKey::Segment(name)) {
                        let node = &mut self.segments.nodes[i];
                        node.checkpoint = node.members.clone();
                    }
                }
            }
        }
        Facts {
            touched,
            events,
            profiles,
            attributes,
            tags,
            graph,
        }
    }

    /// Appends events to the log and folds them into their owners' lists, aggregates and
    /// scores. Each is its own pass over the batch: the passes touch customers at random,
    /// and short independent loops keep many of those memory reads in flight at once.
    fn record_new_events(&mut self, events: Vec<NewEvent>, touched: &mut RoaringBitmap) {
        let mut placed: Vec<(u32, EventRef)> = Vec::with_capacity(events.len());
        for event in events {
            let row = event.row;
            let seq = self.events.push(row, event.properties, event.key);
            placed.push((self.canonical(row.customer), EventRef::new(&row, seq)));
            self.count_interaction(&row);
        }
        for &(owner, e) in &placed {
            insert_in_order(&mut self.customers[owner as usize].events, e, |&e| e);
        }
        for &(owner, e) in &placed {
            self.activity.record(owner, self.events.row(e.seq));
        }
        for &(owner, e) in &placed {
            self.scores.record(owner, e.kind(), e.direction(), e.at);
        }
        let mut owners: Vec<u32> = placed.into_iter().map(|(owner, _)| owner).collect();
        owners.sort_unstable();
        owners.dedup();
        *touched |= RoaringBitmap::from_sorted_iter(owners).unwrap_or_default();
    }

    /// Counts an event with a target on the `interacted` edge from its customer (both as
    /// recorded) to the target.
    pub fn count_interaction(&mut self, row: &EventRow) {
        if let Some(target) = row.target.filter(|&t| t != row.customer) {
            let kind = self.symbols.intern(edge_kinds::INTERACTED);
            self.graph.bump(row.customer, target, kind, 1.0, row.at);
        }
    }
}
