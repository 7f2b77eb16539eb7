//! Customers, identities, merges and identity conflicts.

use napi::bindgen_prelude::AsyncTask;
use napi::Env;
use napi_derive::napi;

use super::Engine;
use crate::errors::check;
use crate::task::{spawn, Job};
use crate::types::customer::{batch_into_core, Customer, CustomerInput, UpsertOutcome};
use crate::types::merge::{
    ConflictResolution, ConflictStatus, IdentityConflict, MergeRecord, MergeRequest,
};
use crate::types::whole;

#[napi]
impl Engine {
    /// Inserts or updates one customer, resolving identities per the merge policy.
    #[napi]
    pub fn upsert_customer(&self, env: Env, input: CustomerInput) -> napi::Result<UpsertOutcome> {
        let engine = self.core(&env)?;
        let result = input
            .into_core("customer")
            .and_then(|input| engine.upsert_customer(&input));
        check(&env, result).map(Into::into)
    }

    /// Inserts or updates many customers atomically (all or none), off the main thread.
    #[napi(ts_return_type = "Promise<Array<UpsertOutcome>>")]
    pub fn upsert_customers(
        &self,
        inputs: Vec<CustomerInput>,
    ) -> AsyncTask<Job<Vec<scrm::UpsertOutcome>, Vec<UpsertOutcome>>> {
        spawn(
            self.shared(),
            move |e| e.upsert_customers(&batch_into_core(inputs)?),
            |outcomes| outcomes.into_iter().map(Into::into).collect(),
        )
    }

    /// A customer by id; ids merged away resolve to the survivor. `NOT_FOUND` if unknown.
    #[napi]
    pub fn customer(&self, env: Env, id: String) -> napi::Result<Customer> {
        let engine = self.core(&env)?;
        check(&env, engine.customer(&id)).map(Into::into)
    }

    /// Whether an id names a customer (directly or through a merge).
    #[napi]
    pub fn contains(&self, env: Env, id: String) -> napi::Result<bool> {
        Ok(self.core(&env)?.contains(&id))
    }

    /// Ids of all live customers, in creation order.
    #[napi]
    pub fn customer_ids(&self, env: Env) -> napi::Result<Vec<String>> {
        Ok(self.core(&env)?.customer_ids())
    }

    /// The customer who owns an identity, or `null`. The value is normalised first.
    #[napi]
    pub fn lookup_identity(
        &self,
        env: Env,
        channel: String,
        value: String,
    ) -> napi::Result<Option<String>> {
        let engine = self.core(&env)?;
        check(&env, engine.lookup_identity(&channel, &value))
    }

    /// Merges one customer into another by hand; `null` when both already are one profile.
    #[napi]
    pub fn merge_customers(
        &self,
        env: Env,
        request: MergeRequest,
    ) -> napi::Result<Option<MergeRecord>> {
        let engine = self.core(&env)?;
        let result = request
            .into_core()
            .and_then(|request| engine.merge_customers(&request));
        check(&env, result).map(|record| record.map(Into::into))
    }

    /// Every merge that folded a profile into this customer.
    #[napi]
    pub fn merge_history(&self, env: Env, id: String) -> napi::Result<Vec<MergeRecord>> {
        let engine = self.core(&env)?;
        check(&env, engine.merge_history(&id)).map(records)
    }

    /// Every merge, oldest first.
    #[napi]
    pub fn merges(&self, env: Env) -> napi::Result<Vec<MergeRecord>> {
        Ok(records(self.core(&env)?.merges()))
    }

    /// Identity conflicts, all or those with one status.
    #[napi]
    pub fn conflicts(
        &self,
        env: Env,
        status: Option<ConflictStatus>,
    ) -> napi::Result<Vec<IdentityConflict>> {
        let conflicts = self.core(&env)?.conflicts(status.map(Into::into));
        Ok(conflicts.into_iter().map(Into::into).collect())
    }

    /// Resolves an open identity conflict by merging or keeping the profiles apart.
    #[napi]
    pub fn resolve_conflict(
        &self,
        env: Env,
        id: f64,
        resolution: ConflictResolution,
        actor: String,
    ) -> napi::Result<IdentityConflict> {
        let engine = self.core(&env)?;
        let result =
            whole("id", id).and_then(|id| engine.resolve_conflict(id, resolution.into(), &actor));
        check(&env, result).map(Into::into)
    }
}

fn records(records: Vec<scrm::MergeRecord>) -> Vec<MergeRecord> {
    records.into_iter().map(Into::into).collect()
}
