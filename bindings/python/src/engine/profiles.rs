//! Customers, identities, merges and identity conflicts.

use pyo3::prelude::*;
use pyo3::types::PyDict;
use scrm::{ConflictResolution, ConflictStatus, MergeRequest};

use super::{out, PyEngine};
use crate::errors::IntoPyResult;
use crate::inputs::{batch_in, customer_in};
use crate::outputs::ToPy;
use crate::time::opt_time_in;
use crate::values::parse_name;

#[pymethods]
impl PyEngine {
    /// Inserts or updates one customer, resolving identities per the merge policy.
    ///
    /// `attributes` maps keys to str, int, float, bool, datetime or list of str;
    /// `identities` is a list of {"channel", "value"} dicts or (channel, value) pairs; `at` is
    /// when the update happened (default now). `anonymous=None` keeps the current flag.
    /// Returns {"id", "created", "merged", "conflicts"}: `id` is the survivor after any merge.
    #[pyo3(signature = (
        id, *, anonymous=None, attributes=None, remove_attributes=None, identities=None, at=None
    ))]
    #[allow(clippy::too_many_arguments)]
    fn upsert_customer<'py>(
        &self,
        py: Python<'py>,
        id: &Bound<'py, PyAny>,
        anonymous: Option<&Bound<'py, PyAny>>,
        attributes: Option<&Bound<'py, PyAny>>,
        remove_attributes: Option<&Bound<'py, PyAny>>,
        identities: Option<&Bound<'py, PyAny>>,
        at: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let record = PyDict::new(py);
        record.set_item("id", id)?;
        record.set_item("anonymous", anonymous)?;
        record.set_item("attributes", attributes)?;
        record.set_item("remove_attributes", remove_attributes)?;
        record.set_item("identities", identities)?;
        record.set_item("at", at)?;
        let input = customer_in(&record, &|| "customer".to_string())?;
        out(py, self.call(py, |e| e.upsert_customer(&input))?)
    }

    /// Inserts or updates many customers atomically: all of them or none.
    ///
    /// `customers` is a list of dicts with the keys of upsert_customer's arguments (`id`,
    /// `anonymous`, `attributes`, `remove_attributes`, `identities`, `at`). Returns one
    /// outcome dict per customer.
    fn upsert_customers<'py>(
        &self,
        py: Python<'py>,
        customers: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let inputs = batch_in(customers, "customers", customer_in)?;
        out(py, self.call(py, |e| e.upsert_customers(&inputs))?)
    }

    /// A customer profile by external id; ids merged away resolve to the survivor.
    ///
    /// Returns {"id", "index", "anonymous", "attributes", "identities", "tags", "merged_ids",
    /// "created_at", "updated_at", "activity"}; `activity` is {"first_seen", "last_seen",
    /// "inbound", "outbound", "counts", "total_amount"}. Raises NotFoundError.
    fn customer<'py>(&self, py: Python<'py>, id: &str) -> PyResult<Bound<'py, PyAny>> {
        out(py, self.call(py, |e| e.customer(id))?)
    }

    /// Whether an external id names a customer (directly or through a merge).
    fn contains(&self, py: Python<'_>, id: &str) -> PyResult<bool> {
        self.call(py, |e| e.contains(id))
    }

    /// External ids of all live customers, in creation order.
    fn customer_ids(&self, py: Python<'_>) -> PyResult<Vec<String>> {
        self.call(py, |e| e.customer_ids())
    }

    /// The id of the customer who owns an identity, or None. The value is normalised first,
    /// so ("email", " Li@Example.com") finds "li@example.com".
    fn lookup_identity(
        &self,
        py: Python<'_>,
        channel: &str,
        value: &str,
    ) -> PyResult<Option<String>> {
        self.call(py, |e| e.lookup_identity(channel, value))?.py()
    }

    /// Merges customer `merged` into `survivor` by hand, recording `actor`, `note` and `at`
    /// (default now) in the audit trail. Returns the merge record {"survivor", "merged", "at",
    /// "actor", "reason"}, or None when both ids already name the same profile.
    #[pyo3(signature = (survivor, merged, actor, note="", at=None))]
    fn merge_customers<'py>(
        &self,
        py: Python<'py>,
        survivor: String,
        merged: String,
        actor: String,
        note: &str,
        at: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let request = MergeRequest {
            survivor,
            merged,
            actor,
            note: note.to_string(),
            at: opt_time_in(at, || "at".to_string())?,
        };
        out(py, self.call(py, |e| e.merge_customers(&request))?)
    }

    /// The merge audit trail of a customer: every merge that folded a profile into it.
    /// `reason` is {"type": "shared_identity", "channel", "value"}, {"type": "manual",
    /// "note"} or {"type": "conflict_resolved", "conflict"}.
    fn merge_history<'py>(&self, py: Python<'py>, id: &str) -> PyResult<Bound<'py, PyAny>> {
        out(py, self.call(py, |e| e.merge_history(id))?)
    }

    /// Every merge, oldest first.
    fn merges<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.call(py, |e| e.merges())?.to_py(py)
    }

    /// Identity conflicts, all or those with `status` "open", "merged" or "kept_apart".
    /// Each is {"id", "channel", "value", "owner", "claimant", "at", "status"}.
    #[pyo3(signature = (status=None))]
    fn conflicts<'py>(&self, py: Python<'py>, status: Option<&str>) -> PyResult<Bound<'py, PyAny>> {
        let status: Option<ConflictStatus> = status
            .map(|s| parse_name(s, &|| "status".to_string()))
            .transpose()?;
        self.call(py, |e| e.conflicts(status))?.to_py(py)
    }

    /// Resolves an open identity conflict with `resolution` "merge" or "keep_apart", by
    /// `actor`. Returns the conflict as it now stands.
    fn resolve_conflict<'py>(
        &self,
        py: Python<'py>,
        id: u64,
        resolution: &str,
        actor: &str,
    ) -> PyResult<Bound<'py, PyAny>> {
        let resolution: ConflictResolution = parse_name(resolution, &|| "resolution".to_string())?;
        out(
            py,
            self.call(py, |e| e.resolve_conflict(id, resolution, actor))?,
        )
    }
}
