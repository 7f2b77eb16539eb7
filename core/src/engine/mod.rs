//! The [`Engine`]: the one type hosts and bindings hold. Profile and event calls live here;
//! tags, segments and the clock in the submodules.

mod churn;
mod clock;
mod graph;
mod ladders;
mod live;
mod measure;
mod referrals;
mod scoring;
mod segments;
mod tags;

pub use live::{SavedSegmentInfo, SegmentChanges, TagRuleInfo};
pub use tags::TagCount;

use std::path::Path;
use std::sync::atomic::AtomicI64;
use std::sync::{Mutex, PoisonError, RwLock};

use serde::{Deserialize, Serialize};

use crate::config::EngineConfig;
use crate::customer::{Customer, CustomerInput, UpsertOutcome};
use crate::error::{invalid, unknown_customer, Error, Result};
use crate::event::{Event, EventInput, IngestReport};
use crate::identity::Identity;
use crate::merge::{
    ConflictResolution, ConflictStatus, IdentityConflict, MergeReason, MergeRecord,
};
use crate::state::{Changes, Facts, State};
use crate::store::Store;
use crate::time::{to_micros, Timestamp};
use crate::writes::{plan_events, ProfileTxn};

/// Longest actor name or merge note, in bytes.
pub const MAX_NOTE_LEN: usize = 4096;

/// The social CRM engine.
///
/// Reads run in parallel. Writes are serialised; each is planned against the current state
/// while readers go on, made durable in one SQLite transaction (file mode), then applied in a
/// short exclusive step. A write that returns `Ok` is on disk; one that fails changed nothing.
///
/// ```
/// use scrm::{CustomerInput, Engine, EventInput, kinds};
/// let engine = Engine::in_memory();
/// engine.upsert_customer(&CustomerInput::new("c-1").identity("email", "Li@Example.com"))?;
/// engine.record_event(&EventInput::new("c-1", kinds::VIEW, "wechat", chrono::Utc::now()))?;
/// assert_eq!(engine.lookup_identity("email", "li@example.com")?.as_deref(), Some("c-1"));
/// # Ok::<(), scrm::Error>(())
/// ```
pub struct Engine {
    config: EngineConfig,
    pub(crate) state: RwLock<State>,
    store: Mutex<Option<Store>>,
    /// Manual clock in microseconds, or [`clock::SYSTEM`] to follow the system clock.
    clock: AtomicI64,
}

/// A manual merge request.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MergeRequest {
    /// Customer that keeps its id.
    pub survivor: String,
    /// Customer absorbed into the survivor.
    pub merged: String,
    /// Who asks (recorded in the audit trail).
    pub actor: String,
    /// Why (recorded in the audit trail).
    pub note: String,
    /// When (defaults to the engine clock).
    pub at: Option<Timestamp>,
}

/// Sizes of the engine's contents.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stats {
    /// Live customer profiles.
    pub customers: u64,
    /// Profiles merged into others.
    pub merged: u64,
    /// Identities.
    pub identities: u64,
    /// Events.
    pub events: u64,
    /// Open identity conflicts.
    pub open_conflicts: u64,
    /// Bytes the tag bitmaps take (serialised roaring size).
    pub tag_index_bytes: u64,
    /// Stored edges of the relationship graph (a mutual edge counts twice).
    pub edges: u64,
    /// Bytes the cached CSR snapshots of the graph take.
    pub graph_snapshot_bytes: u64,
}

impl Engine {
    /// An engine that keeps everything in memory (nothing survives the process).
    pub fn in_memory() -> Engine {
        Engine::build(EngineConfig::default(), State::default(), None)
    }

    /// An in-memory engine with a configuration.
    pub fn in_memory_with(config: EngineConfig) -> Result<Engine> {
        config.validate()?;
        Ok(Engine::build(config, State::default(), None))
    }

    /// Opens or creates a durable store file with the default configuration.
    pub fn open(path: impl AsRef<Path>) -> Result<Engine> {
        Engine::open_with(path, EngineConfig::default())
    }

    /// Opens or creates a durable store file. The in-memory indexes are rebuilt from it.
    pub fn open_with(path: impl AsRef<Path>, config: EngineConfig) -> Result<Engine> {
        config.validate()?;
        let (store, state) = Store::open(path.as_ref())?;
        let engine = Engine::build(config, state, Some(store));
        engine.refresh();
        Ok(engine)
    }

    fn build(config: EngineConfig, state: State, store: Option<Store>) -> Engine {
        Engine {
            config,
            state: RwLock::new(state),
            store: Mutex::new(store),
            clock: AtomicI64::new(clock::SYSTEM),
        }
    }

    /// The configuration the engine runs with.
    pub fn config(&self) -> &EngineConfig {
        &self.config
    }

    /// Runs `f` on the state, after bringing saved segments and tag rules to the clock if
    /// it moved since they were last evaluated.
    fn read<T>(&self, f: impl FnOnce(&State) -> T) -> T {
        let now = self.clock_micros();
        let state = self.state.read().unwrap_or_else(PoisonError::into_inner);
        if !state.segments.stale(now) {
            return f(&state);
        }
        drop(state);
        self.refresh_at(now);
        f(&self.state.read().unwrap_or_else(PoisonError::into_inner))
    }

    /// Re-evaluates what the clock moved; serialised with writes.
    fn refresh_at(&self, now: i64) {
        let mut _writer = self.store.lock().unwrap_or_else(PoisonError::into_inner);
        let mut state = self.state.write().unwrap_or_else(PoisonError::into_inner);
        state.maintain(Facts::default(), now);
        store_moves(&mut _writer, &mut state);
    }

    /// Plans a write against the state, makes it durable, then applies it.
    fn write<T>(&self, plan: impl FnOnce(&State) -> Result<(Changes, T)>) -> Result<T> {
        let mut store = self.store.lock().unwrap_or_else(PoisonError::into_inner);
        let state = self.state.read().unwrap_or_else(PoisonError::into_inner);
        let (changes, out) = plan(&state)?;
        if let Some(store) = store.as_mut() {
            store.persist(&changes, &state)?;
        }
        drop(state);
        let now = self.clock_micros();
        let mut state = self.state.write().unwrap_or_else(PoisonError::into_inner);
        let facts = state.apply(changes);
        state.maintain(facts, now);
        store_moves(&mut store, &mut state);
        Ok(out)
    }

    /// Inserts or updates one customer, resolving identities per the merge policy.
    pub fn upsert_customer(&self, input: &CustomerInput) -> Result<UpsertOutcome> {
        let mut outcomes = self.upsert_batch(std::slice::from_ref(input), "customer")?;
        Ok(outcomes.remove(0))
    }

    /// Inserts or updates many customers atomically: all of them or none.
    pub fn upsert_customers(&self, inputs: &[CustomerInput]) -> Result<Vec<UpsertOutcome>> {
        self.upsert_batch(inputs, "customers")
    }

    fn upsert_batch(&self, inputs: &[CustomerInput], name: &str) -> Result<Vec<UpsertOutcome>> {
        let field = |i: usize| match inputs.len() {
            1 if name == "customer" => name.to_string(),
            _ => format!("{name}[{i}]"),
        };
        let now = self.write_time();
        let valid = inputs
            .iter()
            .enumerate()
            .map(|(i, input)| input.validate(&|| field(i), &self.config.identity, now))
            .collect::<Result<Vec<_>>>()?;
        self.write(|state| {
            let mut txn = ProfileTxn::new(state, &self.config.merge);
            let outcomes = valid
                .into_iter()
                .enumerate()
                .map(|(i, input)| txn.upsert(&|| field(i), input))
                .collect::<Result<Vec<_>>>()?;
            Ok((txn.into_changes(), outcomes))
        })
    }

    /// A customer by external id; ids merged away resolve to the survivor.
    pub fn customer(&self, id: &str) -> Result<Customer> {
        self.read(|s| {
            let idx = s.resolve(id).ok_or_else(|| unknown_customer(id))?;
            Ok(s.render_customer(idx))
        })
    }

    /// Whether an external id names a customer (directly or through a merge).
    pub fn contains(&self, id: &str) -> bool {
        self.read(|s| s.resolve(id).is_some())
    }

    /// External ids of all live customers, in creation order.
    pub fn customer_ids(&self) -> Vec<String> {
        self.read(|s| {
            s.customers
                .iter()
                .filter(|c| c.merged_into.is_none())
                .map(|c| String::from(&*c.id))
                .collect()
        })
    }

    /// The customer who owns an identity, if any. The value is normalised first, so
    /// `("email", " Li@Example.com")` finds `li@example.com`.
    pub fn lookup_identity(&self, channel: &str, value: &str) -> Result<Option<String>> {
        let identity = self
            .config
            .identity
            .normalize("identity", &Identity::new(channel, value))?;
        Ok(self.read(|s| {
            let owner = s.identities.get(&s.identity_key(&identity)?)?;
            Some(s.external_id(s.canonical(*owner)))
        }))
    }

    /// Merges one customer into another by hand. Returns `None` when both ids already name
    /// the same profile (merging is idempotent).
    pub fn merge_customers(&self, request: &MergeRequest) -> Result<Option<MergeRecord>> {
        let at = self.request_time("at", request.at)?;
        check_note("actor", &request.actor, false)?;
        check_note("note", &request.note, true)?;
        self.write(|state| {
            let find = |id: &str| state.resolve(id).ok_or_else(|| unknown_customer(id));
            let (survivor, merged) = (find(&request.survivor)?, find(&request.merged)?);
            if survivor == merged {
                return Ok((Changes::default(), None));
            }
            let mut txn = ProfileTxn::new(state, &self.config.merge);
            let reason = MergeReason::Manual {
                note: request.note.clone(),
            };
            txn.merge(survivor, merged, at, &request.actor, reason);
            let record = MergeRecord {
                survivor: txn.external_id(survivor),
                merged: txn.external_id(merged),
                at: crate::time::from_micros(at),
                actor: request.actor.clone(),
                reason: MergeReason::Manual {
                    note: request.note.clone(),
                },
            };
            Ok((txn.into_changes(), Some(record)))
        })
    }

    /// The merge audit trail of a customer: every merge that folded a profile into it.
    pub fn merge_history(&self, id: &str) -> Result<Vec<MergeRecord>> {
        self.read(|s| {
            let idx = s.resolve(id).ok_or_else(|| unknown_customer(id))?;
            Ok(s.merges
                .iter()
                .filter(|m| s.canonical(m.survivor) == idx)
                .map(|m| s.render_merge(m))
                .collect())
        })
    }

    /// Every merge, oldest first.
    pub fn merges(&self) -> Vec<MergeRecord> {
        self.read(|s| s.merges.iter().map(|m| s.render_merge(m)).collect())
    }

    /// Identity conflicts, optionally only those with a given status.
    pub fn conflicts(&self, status: Option<ConflictStatus>) -> Vec<IdentityConflict> {
        self.read(|s| {
            (0..s.conflicts.len())
                .filter(|&i| status.is_none_or(|st| s.conflicts[i].status == st))
                .map(|i| s.render_conflict(i))
                .collect()
        })
    }

    /// Resolves an open identity conflict by merging or keeping the profiles apart.
    pub fn resolve_conflict(
        &self,
        id: u64,
        resolution: ConflictResolution,
        actor: &str,
    ) -> Result<IdentityConflict> {
        check_note("actor", actor, false)?;
        let at = self.write_time();
        self.write(|state| {
            let mut txn = ProfileTxn::new(state, &self.config.merge);
            txn.resolve_conflict(id, resolution, actor, at)?;
            Ok((txn.into_changes(), ()))
        })?;
        Ok(self.read(|s| s.render_conflict(id as usize)))
    }

    /// Records one event.
    pub fn record_event(&self, event: &EventInput) -> Result<IngestReport> {
        self.record_events(std::slice::from_ref(event))
    }

    /// Records a batch of events atomically: all of them (less duplicates) or none.
    pub fn record_events(&self, events: &[EventInput]) -> Result<IngestReport> {
        self.write(|state| plan_events(state, events))
    }

    /// A customer's events (including those of profiles merged into it), oldest first.
    pub fn events_of(&self, id: &str) -> Result<Vec<Event>> {
        self.read(|s| {
            let idx = s.resolve(id).ok_or_else(|| unknown_customer(id))?;
            Ok(s.customers[idx as usize]
                .events
                .iter()
                .map(|e| s.render_event(e.seq))
                .collect())
        })
    }

    /// Sizes of the engine's contents.
    pub fn stats(&self) -> Stats {
        self.read(|s| {
            let live = s.live_customers() as u64;
            Stats {
                customers: live,
                merged: s.customers.len() as u64 - live,
                identities: s.identities.len() as u64,
                events: s.events.len() as u64,
                open_conflicts: s
                    .conflicts
                    .iter()
                    .filter(|c| c.status == ConflictStatus::Open)
                    .count() as u64,
                tag_index_bytes: s
                    .tags
                    .by_tag
                    .values()
                    .map(|e| e.members.serialized_size() as u64)
                    .sum(),
                edges: s.graph.len() as u64,
                graph_snapshot_bytes: s.graph.analytics.snapshot_bytes() as u64,
            }
        })
    }

    fn request_time(&self, field: &str, at: Option<Timestamp>) -> Result<i64> {
        at.map_or(Ok(self.write_time()), |t| {
            to_micros(|| field.to_string(), t)
        })
    }
}

/// Writes the stage moves found since the last write, in a transaction of their own right
/// after the write that caused them. If that fails they stay pending and go with the next
/// write (a crash in between loses them; stages themselves are re-evaluated at open).
fn store_moves(store: &mut Option<Store>, state: &mut State) {
    if state.ladders.pending.is_empty() {
        return;
    }
    let pending = std::mem::take(&mut state.ladders.pending);
    if let Some(store) = store.as_mut() {
        if store.persist_moves(&pending, &state.symbols).is_err() {
            state.ladders.pending = pending;
        }
    }
}

fn check_note(field: &str, text: &str, may_be_empty: bool) -> Result<(), Error> {
    if (!may_be_empty && text.is_empty()) || text.len() > MAX_NOTE_LEN {
        let least = if may_be_empty { 0 } else { 1 };
        return Err(invalid(
            field,
            format!("must be {least} to {MAX_NOTE_LEN} bytes"),
        ));
    }
    Ok(())
}
