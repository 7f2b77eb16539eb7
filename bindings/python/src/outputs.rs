//! Results to Python: every core result type becomes a plain `dict` with the Rust field
//! names, lists become `list`, optional values `None`, times UTC `datetime` objects and enum
//! values their snake_case names. Each conversion destructures its struct completely, so a
//! field added to the core fails this crate's build until it is exposed here (then add it to
//! the matching TypedDict in python/scrm/__init__.pyi too; tests/test_stubs.py checks).

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use scrm::{
    Activity, CommunityReport, Customer, Edge, EdgeReport, Event, ExplainStep, Explanation,
    Identity, IdentityConflict, IngestReport, MergeReason, MergeRecord, Ranking, SavedSegmentInfo,
    SegmentChanges, SegmentPage, Stats, TagAssignment, TagCount, TagReport, TagRuleInfo, Upline,
    UpsertOutcome,
};

use crate::values::{attributes_out, name_of};

/// Conversion of a core result to a Python object.
pub trait ToPy {
    /// Builds the Python object.
    fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>>;
}

/// `dict` literal: `dict!(py, { "key" => value, ... })`, values converted with `IntoPyObject`.
macro_rules! dict {
    ($py:expr, { $($key:literal => $value:expr),* $(,)? }) => {{
        let dict = PyDict::new($py);
        $( dict.set_item($key, $value)?; )*
        Ok(dict.into_any())
    }};
}

impl<T: ToPy> ToPy for Vec<T> {
    fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let list = PyList::empty(py);
        for item in self {
            list.append(item.to_py(py)?)?;
        }
        Ok(list.into_any())
    }
}

impl<T: ToPy> ToPy for Option<T> {
    fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        match self {
            Some(value) => value.to_py(py),
            None => Ok(py.None().into_bound(py)),
        }
    }
}

impl ToPy for Identity {
    fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let Identity { channel, value } = self;
        dict!(py, { "channel" => channel, "value" => value })
    }
}

impl ToPy for UpsertOutcome {
    fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let UpsertOutcome {
            id,
            created,
            merged,
            conflicts,
        } = self;
        dict!(py, {
            "id" => id,
            "created" => created,
            "merged" => merged,
            "conflicts" => conflicts,
        })
    }
}

impl ToPy for Activity {
    fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let Activity {
            first_seen,
            last_seen,
            inbound,
            outbound,
            counts,
            total_amount,
        } = self;
        dict!(py, {
            "first_seen" => first_seen,
            "last_seen" => last_seen,
            "inbound" => inbound,
            "outbound" => outbound,
            "counts" => counts,
            "total_amount" => total_amount,
        })
    }
}

impl ToPy for Customer {
    fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let Customer {
            id,
            index,
            anonymous,
            attributes,
            identities,
            tags,
            merged_ids,
            created_at,
            updated_at,
            activity,
        } = self;
        dict!(py, {
            "id" => id,
            "index" => index,
            "anonymous" => anonymous,
            "attributes" => attributes_out(py, attributes)?,
            "identities" => identities.to_py(py)?,
            "tags" => tags,
            "merged_ids" => merged_ids,
            "created_at" => created_at,
            "updated_at" => updated_at,
            "activity" => activity.to_py(py)?,
        })
    }
}

impl ToPy for MergeReason {
    fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        match self {
            MergeReason::SharedIdentity { channel, value } => dict!(py, {
                "type" => "shared_identity", "channel" => channel, "value" => value,
            }),
            MergeReason::Manual { note } => dict!(py, { "type" => "manual", "note" => note }),
            MergeReason::ConflictResolved { conflict } => dict!(py, {
                "type" => "conflict_resolved", "conflict" => conflict,
            }),
        }
    }
}

impl ToPy for MergeRecord {
    fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let MergeRecord {
            survivor,
            merged,
            at,
            actor,
            reason,
        } = self;
        dict!(py, {
            "survivor" => survivor,
            "merged" => merged,
            "at" => at,
            "actor" => actor,
            "reason" => reason.to_py(py)?,
        })
    }
}

impl ToPy for IdentityConflict {
    fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let IdentityConflict {
            id,
            channel,
            value,
            owner,
            claimant,
            at,
            status,
        } = self;
        dict!(py, {
            "id" => id,
            "channel" => channel,
            "value" => value,
            "owner" => owner,
            "claimant" => claimant,
            "at" => at,
            "status" => name_of(status),
        })
    }
}

impl ToPy for Event {
    fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let Event {
            seq,
            customer,
            kind,
            channel,
            direction,
            at,
            amount,
            target,
            properties,
            idempotency_key,
        } = self;
        dict!(py, {
            "seq" => seq,
            "customer" => customer,
            "kind" => kind,
            "channel" => channel,
            "direction" => name_of(direction),
            "at" => at,
            "amount" => amount,
            "target" => target,
            "properties" => attributes_out(py, properties)?,
            "idempotency_key" => idempotency_key,
        })
    }
}

impl ToPy for IngestReport {
    fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let IngestReport {
            inserted,
            duplicates,
        } = self;
        dict!(py, { "inserted" => inserted, "duplicates" => duplicates })
    }
}

impl ToPy for Stats {
    fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let Stats {
            customers,
            merged,
            identities,
            events,
            open_conflicts,
            tag_index_bytes,
            edges,
            graph_snapshot_bytes,
        } = self;
        dict!(py, {
            "customers" => customers,
            "merged" => merged,
            "identities" => identities,
            "events" => events,
            "open_conflicts" => open_conflicts,
            "tag_index_bytes" => tag_index_bytes,
            "edges" => edges,
            "graph_snapshot_bytes" => graph_snapshot_bytes,
        })
    }
}

impl ToPy for TagReport {
    fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let TagReport { customers, changed } = self;
        dict!(py, { "customers" => customers, "changed" => changed })
    }
}

impl ToPy for TagAssignment {
    fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let TagAssignment {
            tag,
            set_at,
            source,
        } = self;
        dict!(py, { "tag" => tag, "set_at" => set_at, "source" => name_of(source) })
    }
}

impl ToPy for TagCount {
    fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let TagCount { tag, customers } = self;
        dict!(py, { "tag" => tag, "customers" => customers })
    }
}

impl ToPy for SegmentPage {
    fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let SegmentPage { total, ids } = self;
        dict!(py, { "total" => total, "ids" => ids })
    }
}

impl ToPy for ExplainStep {
    fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let ExplainStep {
            depth,
            node,
            matched,
            observed,
        } = self;
        dict!(py, {
            "depth" => depth,
            "node" => node,
            "matched" => matched,
            "observed" => observed,
        })
    }
}

impl ToPy for Explanation {
    fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let Explanation {
            customer,
            expression,
            matched,
            steps,
        } = self;
        dict!(py, {
            "customer" => customer,
            "expression" => expression,
            "matched" => matched,
            "steps" => steps.to_py(py)?,
        })
    }
}

impl ToPy for SavedSegmentInfo {
    fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let SavedSegmentInfo {
            name,
            expression,
            members,
            timed,
        } = self;
        dict!(py, {
            "name" => name,
            "expression" => expression,
            "members" => members,
            "timed" => timed,
        })
    }
}

impl ToPy for TagRuleInfo {
    fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let TagRuleInfo {
            tag,
            expression,
            members,
            timed,
        } = self;
        dict!(py, {
            "tag" => tag,
            "expression" => expression,
            "members" => members,
            "timed" => timed,
        })
    }
}

impl ToPy for SegmentChanges {
    fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let SegmentChanges { entered, left } = self;
        dict!(py, { "entered" => entered, "left" => left })
    }
}

impl ToPy for Edge {
    fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let Edge {
            source,
            target,
            kind,
            weight,
            created_at,
        } = self;
        dict!(py, {
            "source" => source,
            "target" => target,
            "kind" => kind,
            "weight" => weight,
            "created_at" => created_at,
        })
    }
}

impl ToPy for EdgeReport {
    fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let EdgeReport { inserted, updated } = self;
        dict!(py, { "inserted" => inserted, "updated" => updated })
    }
}

/// Columns (`ids`, `scores`) and the scalar `iterations`: `pandas.DataFrame(ranking)` gives
/// one row per customer.
impl ToPy for Ranking {
    fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let Ranking {
            ids,
            scores,
            iterations,
        } = self;
        dict!(py, { "ids" => ids, "scores" => scores, "iterations" => iterations })
    }
}

/// Columns (`ids`, `communities`) and the scalars `count` and `modularity`.
impl ToPy for CommunityReport {
    fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let CommunityReport {
            ids,
            communities,
            count,
            modularity,
        } = self;
        dict!(py, {
            "ids" => ids,
            "communities" => communities,
            "count" => count,
            "modularity" => modularity,
        })
    }
}

impl ToPy for Upline {
    fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let Upline { chain, cycle } = self;
        dict!(py, { "chain" => chain, "cycle" => cycle })
    }
}
