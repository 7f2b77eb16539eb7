//! The in-memory engine state: customers by dense index, the identity index, the event log,
//! and the merge and conflict audit trail. The store is the durable copy; this is rebuilt from it.

mod activity;
mod changes;
mod columns;
mod indexes;
mod maintain;
mod scan;
mod symbols;
mod tag_index;

pub(crate) use activity::{ActivityColumns, Totals};
pub(crate) use changes::{Changes, EdgeOp, Facts, LiveOp, NewEvent};
pub(crate) use columns::{Column, Columns, NumTest};
pub(crate) use indexes::Indexes;
pub(crate) use scan::{Values, Within};
pub(crate) use symbols::{PendingSymbols, Symbols};
pub(crate) use tag_index::{TagIndex, TagOp};

use crate::hash::HashMap;
use std::sync::Arc;

use compact_str::CompactString;

use crate::customer::{AttrMap, Customer};
use crate::event::{Direction, Event, EventLog};
use crate::identity::Identity;
use crate::lifecycle::{Churn, Decayed, Ladders, RfmCache, Scores};
use crate::merge::{ConflictStatus, IdentityConflict, MergeReason, MergeRecord};
use crate::parallel::zip_chunks;
use crate::prefetch::prefetch;
use crate::referral::Referrals;
use crate::relations::EdgeStore;
use crate::segment::SavedSegments;
use crate::tags::TagAssignment;
use crate::time::from_micros;

/// Follows merges from profile `idx` to the live one (for callers that hold other parts of
/// the state mutably).
pub(crate) fn live_profile(customers: &[Slot], live: &roaring::RoaringBitmap, mut idx: u32) -> u32 {
    if live.contains(idx) {
        return idx;
    }
    while let Some(next) = customers[idx as usize].merged_into {
        idx = next;
    }
    idx
}

/// A normalised identity with its channel interned.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct IdentityKey {
    pub channel: u32,
    /// Shared between the index and the owning profile.
    pub value: Arc<str>,
}

/// One customer profile. A merged-away profile keeps only its id, times and `merged_into`.
#[derive(Clone, Debug)]
pub(crate) struct Slot {
    pub id: Arc<str>,
    pub anonymous: bool,
    pub created_at: i64,
    pub updated_at: i64,
    pub merged_into: Option<u32>,
    pub attributes: AttrMap,
    pub identities: Vec<IdentityKey>,
    /// Indexes of the profiles merged into this one (directly or transitively).
    pub absorbed: Vec<u32>,
    /// This customer's events, sorted by time; time and kind are kept here so appends,
    /// windows and counts never touch the shared log.
    pub events: Vec<EventRef>,
}

impl Slot {
    /// A fresh, empty profile.
    pub fn new(id: Arc<str>, anonymous: bool, at: i64) -> Self {
        Slot {
            id,
            anonymous,
            created_at: at,
            updated_at: at,
            merged_into: None,
            attributes: AttrMap::default(),
            identities: Vec::new(),
            absorbed: Vec::new(),
            events: Vec::new(),
        }
    }
}

/// One event of a customer: when, where in the log, its kind symbol and direction. Ordered
/// by time, then log position.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct EventRef {
    /// Event time, in microseconds.
    pub at: i64,
    /// Position in the event log.
    pub seq: u32,
    /// Kind symbol, with the top bit set for outbound events (symbols stay far below it),
    /// so scores rebuild without reading the log.
    kind_and_direction: u32,
}

/// The bit of [`EventRef`]'s kind word that marks outbound events.
const OUTBOUND_BIT: u32 = 1 << 31;

impl EventRef {
    /// The reference to a row just appended at `seq`.
    pub fn new(row: &crate::event::EventRow, seq: u32) -> Self {
        let outbound = match row.direction {
            Direction::Inbound => 0,
            Direction::Outbound => OUTBOUND_BIT,
        };
        debug_assert!(row.kind < OUTBOUND_BIT, "kind symbol out of range");
        EventRef {
            at: row.at,
            seq,
            kind_and_direction: row.kind | outbound,
        }
    }

    /// Kind symbol.
    pub fn kind(&self) -> u32 {
        self.kind_and_direction & !OUTBOUND_BIT
    }

    /// Direction.
    pub fn direction(&self) -> Direction {
        match self.kind_and_direction & OUTBOUND_BIT {
            0 => Direction::Inbound,
            _ => Direction::Outbound,
        }
    }
}

/// Scores rebuild on several threads from this many customers on.
const SCORE_THREADS_FROM: usize = 1 << 16;
/// How many customers ahead a rebuild starts loading their events.
const PREFETCH_AHEAD: usize = 8;

/// One merge of the audit trail, by index.
#[derive(Clone, Debug)]
pub(crate) struct MergeEntry {
    pub survivor: u32,
    pub merged: u32,
    pub at: i64,
    pub actor: String,
    pub reason: MergeReason,
}

/// One flagged identity conflict, by index; its id is its position.
#[derive(Clone, Debug)]
pub(crate) struct ConflictEntry {
    pub key: IdentityKey,
    pub owner: u32,
    pub claimant: u32,
    pub at: i64,
    pub status: ConflictStatus,
}

/// Everything the engine knows, indexed for reads.
#[derive(Default)]
pub(crate) struct State {
    pub customers: Vec<Slot>,
    /// Every external id ever used, merged ones included.
    /// Keys are inline for ids up to 24 bytes, so a lookup touches no second cache line.
    pub by_id: HashMap<CompactString, u32>,
    /// Owner of each identity (always a live profile).
    pub identities: HashMap<IdentityKey, u32>,
    pub symbols: Symbols,
    pub events: EventLog,
    /// Event aggregates (counts, amounts, first and last seen) by customer index.
    pub activity: ActivityColumns,
    pub merges: Vec<MergeEntry>,
    pub conflicts: Vec<ConflictEntry>,
    pub index: Indexes,
    pub tags: TagIndex,
    pub segments: SavedSegments,
    /// The relationship graph.
    pub graph: EdgeStore,
    /// Invite codes, referrals, programmes and the points ledger.
    pub referrals: Referrals,
    /// Engagement scores, kept current as events arrive.
    pub scores: Scores,
    /// RFM at the last clock value asked, until the next event or profile change.
    pub rfm: RfmCache,
    /// Stage ladders: definitions, current stages and moves.
    pub ladders: Ladders,
    /// The fitted churn model and its cached scores.
    pub churn: Churn,
}

impl State {
    /// Follows merges from a profile to the live one that holds its data now.
    pub fn canonical(&self, idx: u32) -> u32 {
        live_profile(&self.customers, &self.index.live, idx)
    }

    /// The live profile an external id resolves to.
    pub fn resolve(&self, id: &str) -> Option<u32> {
        self.by_id.get(id).map(|&idx| self.canonical(idx))
    }

    /// The index key of a normalised identity, if its channel was ever seen.
    pub fn identity_key(&self, identity: &Identity) -> Option<IdentityKey> {
        Some(IdentityKey {
            channel: self.symbols.get(&identity.channel)?,
            value: identity.value.as_str().into(),
        })
    }

    /// Number of live (not merged-away) profiles.
    pub fn live_customers(&self) -> usize {
        self.index.live.len() as usize
    }

    /// The tags of a profile, sorted by name.
    pub fn render_tags(&self, idx: u32) -> Vec<TagAssignment> {
        let mut tags: Vec<TagAssignment> = self
            .tags
            .tags_of(idx)
            .into_iter()
            .map(|(tag, meta)| TagAssignment {
                tag: self.symbols.name(tag).to_string(),
                set_at: from_micros(meta.set_at),
                source: meta.source,
            })
            .collect();
        tags.sort_by(|a, b| a.tag.cmp(&b.tag));
        tags
    }

    /// The external id of customer `idx`, as an owned string (not through `Display`, which
    /// costs a formatter per id on the paths that list many customers).
    pub(crate) fn external_id(&self, idx: u32) -> String {
        String::from(self.external_id_str(idx))
    }

    /// The external id of customer `idx`, borrowed.
    pub(crate) fn external_id_str(&self, idx: u32) -> &str {
        &self.customers[idx as usize].id
    }

    fn identity(&self, key: &IdentityKey) -> Identity {
        Identity::new(self.symbols.name(key.channel), &*key.value)
    }

    /// Recomputes a customer's engagement score from their events.
    pub fn rebuild_score(&mut self, idx: u32) {
        let sum = self.score_sum(idx);
        self.scores.set(idx, sum);
    }

    /// Customer `idx`'s decayed sum of points, from their events.
    fn score_sum(&self, idx: u32) -> Decayed {
        let events = self.customers[idx as usize].events.iter();
        self.scores
            .sum_of(events.map(|e| (e.kind(), e.direction(), e.at)))
    }

    /// Recomputes every live customer's engagement score from their events, on several
    /// threads for large populations, into the scores' own memory.
    pub fn rebuild_scores(&mut self) {
        let symbols = &self.symbols;
        self.scores
            .sync_symbols(symbols.len(), |id| symbols.name(id));
        let mut sums = self.scores.take_all();
        sums.resize(self.customers.len(), Decayed::NONE);
        let this = &*self;
        zip_chunks(
            &self.customers,
            &mut sums,
            SCORE_THREADS_FROM,
            |part, sums, first| {
                for (i, sum) in sums.iter_mut().enumerate() {
                    // Each customer's events live apart: start loading those a few ahead.
                    if let Some(ahead) = part.get(i + PREFETCH_AHEAD) {
                        prefetch(&ahead.events, 0);
                    }
                    *sum = match part[i].merged_into {
                        None => this.score_sum((first + i) as u32),
                        Some(_) => Decayed::NONE,
                    };
                }
            },
        );
        self.scores.replace_all(sums);
    }

    /// The public view of a profile.
    pub fn render_customer(&self, idx: u32) -> Customer {
        let slot = &self.customers[idx as usize];
        let mut identities: Vec<Identity> =
            slot.identities.iter().map(|k| self.identity(k)).collect();
        identities.sort();
        Customer {
            id: String::from(&*slot.id),
            index: idx,
            anonymous: slot.anonymous,
            attributes: slot
                .attributes
                .iter()
                .map(|(k, a)| (k.to_string(), a.value.clone()))
                .collect(),
            identities,
            tags: self.render_tags(idx).into_iter().map(|t| t.tag).collect(),
            merged_ids: slot.absorbed.iter().map(|&i| self.external_id(i)).collect(),
            created_at: from_micros(slot.created_at),
            updated_at: from_micros(slot.updated_at),
            activity: self.activity.render(idx, &self.symbols),
        }
    }

    /// The public view of an event.
    pub fn render_event(&self, seq: u32) -> Event {
        let row = self.events.row(seq);
        Event {
            seq: u64::from(seq),
            customer: self.external_id(self.canonical(row.customer)),
            kind: self.symbols.name(row.kind).to_string(),
            channel: self.symbols.name(row.channel).to_string(),
            direction: row.direction,
            at: from_micros(row.at),
            amount: row.amount,
            target: row.target.map(|t| self.external_id(self.canonical(t))),
            properties: self.events.properties(seq).cloned().unwrap_or_default(),
            idempotency_key: self.events.key(seq).map(str::to_string),
        }
    }

    /// The public view of a merge.
    pub fn render_merge(&self, m: &MergeEntry) -> MergeRecord {
        MergeRecord {
            survivor: self.external_id(m.survivor),
            merged: self.external_id(m.merged),
            at: from_micros(m.at),
            actor: m.actor.clone(),
            reason: m.reason.clone(),
        }
    }

    /// The public view of a conflict.
    pub fn render_conflict(&self, id: usize) -> IdentityConflict {
        let c = &self.conflicts[id];
        let identity = self.identity(&c.key);
        IdentityConflict {
            id: id as u64,
            channel: identity.channel,
            value: identity.value,
            owner: self.external_id(c.owner),
            claimant: self.external_id(c.claimant),
            at: from_micros(c.at),
            status: c.status,
        }
    }
}
