//! Customers, identities, merges, conflicts and events.

use super::Engine;
use crate::customer::{Customer, CustomerInput, UpsertOutcome};
use crate::errors::Result;
use crate::event::{batch_into_core, Event, EventInput, IngestReport};
use crate::merge::{
    ConflictResolution, ConflictStatus, IdentityConflict, MergeRecord, MergeRequest,
};

#[uniffi::export]
impl Engine {
    /// Inserts or updates one customer, resolving identities per the merge policy.
    pub fn upsert_customer(&self, input: CustomerInput) -> Result<UpsertOutcome> {
        let input = input.into_core("customer")?;
        Ok(self.inner.upsert_customer(&input)?.into())
    }

    /// Inserts or updates many customers atomically: all of them or none. Blocking; the
    /// batch call to use for imports.
    pub fn upsert_customers(&self, inputs: Vec<CustomerInput>) -> Result<Vec<UpsertOutcome>> {
        let inputs = inputs
            .into_iter()
            .enumerate()
            .map(|(i, c)| c.into_core(&format!("customers[{i}]")))
            .collect::<Result<Vec<_>>>()?;
        let outcomes = self.inner.upsert_customers(&inputs)?;
        Ok(outcomes.into_iter().map(Into::into).collect())
    }

    /// A customer by external id; ids merged away resolve to the survivor.
    pub fn customer(&self, id: String) -> Result<Customer> {
        Ok(self.inner.customer(&id)?.into())
    }

    /// Whether an external id names a customer (directly or through a merge).
    pub fn contains(&self, id: String) -> bool {
        self.inner.contains(&id)
    }

    /// External ids of all live customers, in creation order.
    pub fn customer_ids(&self) -> Vec<String> {
        self.inner.customer_ids()
    }

    /// The customer who owns an identity, if any; the value is normalised first.
    pub fn lookup_identity(&self, channel: String, value: String) -> Result<Option<String>> {
        Ok(self.inner.lookup_identity(&channel, &value)?)
    }

    /// Merges one customer into another by hand; `null` when both ids already name the same
    /// profile.
    pub fn merge_customers(&self, request: MergeRequest) -> Result<Option<MergeRecord>> {
        let request = request.into_core()?;
        Ok(self.inner.merge_customers(&request)?.map(Into::into))
    }

    /// The merge audit trail of a customer: every merge that folded a profile into it.
    pub fn merge_history(&self, id: String) -> Result<Vec<MergeRecord>> {
        let records = self.inner.merge_history(&id)?;
        Ok(records.into_iter().map(Into::into).collect())
    }

    /// Every merge, oldest first.
    pub fn merges(&self) -> Vec<MergeRecord> {
        self.inner.merges().into_iter().map(Into::into).collect()
    }

    /// Identity conflicts, optionally only those with a given status.
    #[uniffi::method(default(status = None))]
    pub fn conflicts(&self, status: Option<ConflictStatus>) -> Vec<IdentityConflict> {
        let conflicts = self.inner.conflicts(status.map(Into::into));
        conflicts.into_iter().map(Into::into).collect()
    }

    /// Resolves an open identity conflict by merging or keeping the profiles apart.
    pub fn resolve_conflict(
        &self,
        id: u64,
        resolution: ConflictResolution,
        actor: String,
    ) -> Result<IdentityConflict> {
        let conflict = self.inner.resolve_conflict(id, resolution.into(), &actor)?;
        Ok(conflict.into())
    }

    /// Records one event.
    pub fn record_event(&self, event: EventInput) -> Result<IngestReport> {
        let event = event.into_core(0)?;
        Ok(self.inner.record_event(&event)?.into())
    }

    /// Records a batch of events atomically: all of them (less duplicates) or none.
    /// Blocking; the call to use for ingest.
    pub fn record_events(&self, events: Vec<EventInput>) -> Result<IngestReport> {
        let events = batch_into_core(events)?;
        Ok(self.inner.record_events(&events)?.into())
    }

    /// A customer's events (including those of profiles merged into it), oldest first.
    pub fn events_of(&self, id: String) -> Result<Vec<Event>> {
        let events = self.inner.events_of(&id)?;
        Ok(events.into_iter().map(Into::into).collect())
    }
}
