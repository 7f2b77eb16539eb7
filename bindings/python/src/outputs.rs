//! Results to Python: every core result type becomes a plain `dict` with the Rust field
//! names, lists become `list`, optional values `None`, times UTC `datetime` objects and enum
//! values their snake_case names; table-shaped results (columns, or lists of rows like the
//! ledger) become a [`Table`] of Arrow columns with the same names. Each conversion
//! destructures its struct completely, so a field added to the core fails this crate's build
//! until it is exposed here (then add it to the matching TypedDict in python/scrm/__init__.pyi
//! too; tests/test_stubs.py checks).

use std::ffi::CStr;

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use scrm::{
    Activity, ActivityRate, Allowance, Balance, BgNbd, Caps, ChurnModel, ChurnTable,
    CohortRetention, CommunityReport, Customer, Edge, EdgeReport, Event, EventWeight, ExplainStep,
    Explanation, Fit, Funnel, GammaGamma, Identity, IdentityConflict, IngestReport, InviteCode,
    LadderInfo, LedgerEntry, LogLikelihood, MergeReason, MergeRecord, Milestone, MonthlyCounts,
    MovedTable, PackedPage, Predictions, Programme, PurchaseSummary, Ranking, Referral,
    ReferralFunnel, ReferralPolicy, ReferrerStanding, RfmSegment, RfmTable, SavedSegmentInfo,
    ScoreTable, ScoringConfig, SegmentChanges, StageMove, StageTimes, Stats, SummaryTable,
    TagAssignment, TagCount, TagReport, TagRuleInfo, Timestamp, Trigger, Upline, UpsertOutcome,
};
use serde::Serialize;

use crate::table::{Column, Offsets, Table, Values};
use crate::values::{attributes_out, json_out, name_of};

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

impl ToPy for Upline {
    fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let Upline { chain, cycle } = self;
        dict!(py, { "chain" => chain, "cycle" => cycle })
    }
}

impl ToPy for Caps {
    fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let Caps {
            per_referrer_day,
            per_referrer_month,
            budget,
        } = self;
        dict!(py, {
            "per_referrer_day" => per_referrer_day,
            "per_referrer_month" => per_referrer_month,
            "budget" => budget,
        })
    }
}

impl ToPy for Milestone {
    fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let Milestone { referrals, points } = self;
        dict!(py, { "referrals" => referrals, "points" => points })
    }
}

/// The core's own form: `{"type": "signup"}`, `{"type": "purchase", "min_amount": 100.0}`,
/// `{"type": "event", "kind": "share"}`.
impl ToPy for Trigger {
    fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let value = serde_json::to_value(self)
            .map_err(|e| crate::errors::invalid("trigger", e.to_string()))?;
        json_out(py, &value)
    }
}

/// The keys are define_programme()'s parameters: `define_programme(**programme)` defines it
/// again.
impl ToPy for Programme {
    fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let Programme {
            name,
            campaign,
            trigger,
            referrer_points,
            referee_points,
            level_percents,
            caps,
            starts_at,
            ends_at,
            expiry_days,
            milestones,
        } = self;
        dict!(py, {
            "name" => name,
            "campaign" => campaign,
            "trigger" => trigger.to_py(py)?,
            "referrer_points" => referrer_points,
            "referee_points" => referee_points,
            "level_percents" => level_percents,
            "caps" => caps.to_py(py)?,
            "starts_at" => starts_at,
            "ends_at" => ends_at,
            "expiry_days" => expiry_days,
            "milestones" => milestones.to_py(py)?,
        })
    }
}

impl ToPy for Allowance {
    fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let Allowance {
            limit,
            unit,
            window,
        } = self;
        dict!(py, { "limit" => limit, "unit" => name_of(unit), "window" => name_of(window) })
    }
}

/// The keys are set_referral_policy()'s parameters.
impl ToPy for ReferralPolicy {
    fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let ReferralPolicy {
            code_length,
            new_customer_hours,
            reject_existing_referees,
            max_redemptions_per_hour,
            approval_delay_hours,
            allowance,
        } = self;
        dict!(py, {
            "code_length" => code_length,
            "new_customer_hours" => new_customer_hours,
            "reject_existing_referees" => reject_existing_referees,
            "max_redemptions_per_hour" => max_redemptions_per_hour,
            "approval_delay_hours" => approval_delay_hours,
            "allowance" => allowance.to_py(py)?,
        })
    }
}

impl ToPy for InviteCode {
    fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let InviteCode {
            code,
            customer,
            campaign,
            issued_at,
        } = self;
        dict!(py, {
            "code" => code,
            "customer" => customer,
            "campaign" => campaign,
            "issued_at" => issued_at,
        })
    }
}

impl ToPy for Referral {
    fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let Referral {
            id,
            referrer,
            referee,
            code,
            campaign,
            redeemed_at,
            status,
            hold,
            approve_at,
        } = self;
        dict!(py, {
            "id" => id,
            "referrer" => referrer,
            "referee" => referee,
            "code" => code,
            "campaign" => campaign,
            "redeemed_at" => redeemed_at,
            "status" => name_of(status),
            "hold" => hold.as_ref().map(name_of),
            "approve_at" => approve_at,
        })
    }
}

impl ToPy for Balance {
    fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let Balance {
            balance,
            spendable,
            pending,
            expiring_30d,
        } = self;
        dict!(py, {
            "balance" => balance,
            "spendable" => spendable,
            "pending" => pending,
            "expiring_30d" => expiring_30d,
        })
    }
}

impl ToPy for ReferralFunnel {
    fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let ReferralFunnel {
            codes_issued,
            redeemed,
            converted,
            redemption_rate,
            conversion_rate,
            k_factor,
            cost,
        } = self;
        dict!(py, {
            "codes_issued" => codes_issued,
            "redeemed" => redeemed,
            "converted" => converted,
            "redemption_rate" => redemption_rate,
            "conversion_rate" => conversion_rate,
            "k_factor" => k_factor,
            "cost" => cost,
        })
    }
}

impl ToPy for EventWeight {
    fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let EventWeight {
            kind,
            direction,
            weight,
        } = self;
        dict!(py, { "kind" => kind, "direction" => name_of(direction), "weight" => weight })
    }
}

/// The keys are set_scoring()'s parameters: `set_scoring(**engine.scoring())` sets it again.
impl ToPy for ScoringConfig {
    fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let ScoringConfig {
            weights,
            half_life_days,
        } = self;
        dict!(py, { "weights" => weights.to_py(py)?, "half_life_days" => half_life_days })
    }
}

impl ToPy for LadderInfo {
    fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let LadderInfo {
            name,
            stages,
            rules,
            built_in,
            counts,
        } = self;
        dict!(py, {
            "name" => name,
            "stages" => stages,
            "rules" => rules,
            "built_in" => built_in,
            "counts" => counts,
        })
    }
}

impl ToPy for StageMove {
    fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let StageMove {
            customer,
            from,
            to,
            at,
        } = self;
        dict!(py, { "customer" => customer, "from" => from, "to" => to, "at" => at })
    }
}

impl ToPy for BgNbd {
    fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let BgNbd { r, alpha, a, b } = self;
        dict!(py, { "r" => r, "alpha" => alpha, "a" => a, "b" => b })
    }
}

impl ToPy for GammaGamma {
    fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let GammaGamma { p, q, v } = self;
        dict!(py, { "p" => p, "q" => q, "v" => v })
    }
}

impl ToPy for LogLikelihood {
    fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let LogLikelihood {
            total,
            mean,
            customers,
        } = self;
        dict!(py, { "total" => total, "mean" => mean, "customers" => customers })
    }
}

/// A model fit: `model` (the parameters), `log_likelihood` and `iterations`.
impl<M: ToPy> ToPy for Fit<M> {
    fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let Fit {
            model,
            log_likelihood,
            iterations,
        } = self;
        dict!(py, {
            "model" => model.to_py(py)?,
            "log_likelihood" => log_likelihood.to_py(py)?,
            "iterations" => iterations,
        })
    }
}

impl ToPy for ChurnModel {
    fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let ChurnModel {
            purchases,
            spend,
            calibration_end,
            period_micros,
            customers,
            clv_periods,
            discount_rate,
        } = self;
        dict!(py, {
            "purchases" => purchases.to_py(py)?,
            "spend" => spend.to_py(py)?,
            "calibration_end" => calibration_end,
            "period_micros" => period_micros,
            "customers" => customers,
            "clv_periods" => clv_periods,
            "discount_rate" => discount_rate,
        })
    }
}

/// Per-stage lists (`stages`, `customers`, `reached`, `entered`) and `conversion`, one item
/// shorter (from each stage to the next).
impl ToPy for Funnel {
    fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let Funnel {
            stages,
            customers,
            reached,
            entered,
            conversion,
        } = self;
        dict!(py, {
            "stages" => stages,
            "customers" => customers,
            "reached" => reached,
            "entered" => entered,
            "conversion" => conversion,
        })
    }
}

impl ToPy for ActivityRate {
    fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let ActivityRate {
            members,
            active,
            rate,
        } = self;
        dict!(py, { "members" => members, "active" => active, "rate" => rate })
    }
}

/// Columns `cohorts`, `sizes` and `retention`, one item per cohort: the core's `retention`
/// is per month offset (`retention[k][cohort]`); here each cohort's item is its list of
/// shares for offsets 0..=months (NaN for months after the clock), so
/// `pandas.DataFrame(result)` has one row per cohort and
/// `pandas.DataFrame(result["retention"], index=result["cohorts"])` is the triangle.
impl ToPy for CohortRetention {
    fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let CohortRetention {
            cohorts,
            sizes,
            retention,
        } = self;
        let by_cohort: Vec<Vec<f64>> = (0..cohorts.len())
            .map(|c| {
                retention
                    .iter()
                    .map(|month| month.get(c).copied().unwrap_or(f64::NAN))
                    .collect()
            })
            .collect();
        dict!(py, { "cohorts" => cohorts, "sizes" => sizes, "retention" => by_cohort })
    }
}

/// A core result's column vector as Arrow values.
trait IntoValues {
    /// The values, in order.
    fn into_values(self) -> Values;
}

macro_rules! numeric_values {
    ($($t:ty),*) => {$(
        impl IntoValues for Vec<$t> {
            fn into_values(self) -> Values {
                Values::from(self)
            }
        }
    )*};
}

numeric_values!(f64, u64, u32, u8);

impl IntoValues for Vec<String> {
    fn into_values(self) -> Values {
        Values::strings(self)
    }
}

impl IntoValues for Vec<Timestamp> {
    fn into_values(self) -> Values {
        Values::timestamps(&self)
    }
}

/// RFM segments by their snake_case names.
impl IntoValues for Vec<RfmSegment> {
    fn into_values(self) -> Values {
        Values::strings(self.iter().map(name_of))
    }
}

/// A string column of enum values by their snake_case names.
fn names<T: Serialize>(name: &'static CStr, values: &[T]) -> Column {
    Column::new(name, Values::strings(values.iter().map(name_of)))
}

/// A field's name as a C string, made at compile time.
macro_rules! c_name {
    ($field:ident) => {
        const {
            match CStr::from_bytes_with_nul(concat!(stringify!($field), "\0").as_bytes()) {
                Ok(name) => name,
                // Evaluated at compile time: a name with a NUL inside fails the build.
                Err(_) => panic!("field name with a NUL"),
            }
        }
    };
}

/// `From<Core> for Table` for a core result of aligned column vectors:
/// `columnar!(Core { a, b; s })` makes `a` and `b` the columns of those names, in that order,
/// and `s` a scalar. Every field must be named, so one added to the core fails the build.
macro_rules! columnar {
    ($(#[$doc:meta])* $core:ident { $($field:ident),* $(; $($scalar:ident),*)? }) => {
        $(#[$doc])*
        impl From<$core> for Table {
            fn from(value: $core) -> Self {
                let $core { $($field,)* $($($scalar,)*)? } = value;
                Table::new(vec![$(Column::new(c_name!($field), $field.into_values())),*])
                    $($(.with(stringify!($scalar), $scalar))*)?
            }
        }
    };
}

/// Column `ids` and the scalar `total` (members in all, beyond this page): the packed ids
/// become the Arrow column's bytes as they are, without a string per member (`utf8` when
/// their offsets fit 32 bits, like every other string column, else `large_utf8`).
impl From<PackedPage> for Table {
    fn from(page: PackedPage) -> Self {
        let PackedPage {
            total,
            offsets,
            text,
        } = page;
        let offsets = match i32::try_from(text.len()) {
            Ok(_) => Offsets::Small(offsets.iter().map(|&o| o as i32).collect()),
            Err(_) => Offsets::Large(offsets),
        };
        let ids = Values::Utf8 {
            offsets,
            bytes: text.into_bytes(),
        };
        Table::new(vec![Column::new(c"ids", ids)]).with("total", total)
    }
}
columnar!(
    /// Columns `ids` and `scores` and the scalar `iterations`.
    Ranking { ids, scores; iterations }
);
columnar!(
    /// Columns `ids` and `communities` and the scalars `count` and `modularity`.
    CommunityReport { ids, communities; count, modularity }
);
columnar!(
    /// Columns `ids` and `scores`, creation order.
    ScoreTable { ids, scores }
);
columnar!(
    /// One row per buyer; `r`, `f` and `m` as uint8, `segment` as its snake_case name.
    RfmTable { ids, recency_days, frequency, monetary, r, f, m, segment }
);
columnar!(
    /// Columns `stages` and `seconds`.
    StageTimes { stages, seconds }
);
columnar!(
    /// Columns `ids` and `at`, oldest first.
    MovedTable { ids, at }
);
columnar!(
    /// One row per buyer (lifetimes' `summary_data_from_transaction_data` shape).
    SummaryTable { ids, frequency, recency, t, monetary }
);
columnar!(
    /// One row per buyer, creation order.
    ChurnTable { ids, p_alive, expected_purchases, clv }
);
columnar!(
    /// One row per summary given, in order.
    Predictions { p_alive, expected_purchases, expected_average_value, clv }
);
columnar!(
    /// Columns `months` ("2026-01") and `counts`.
    MonthlyCounts { months, counts }
);

/// Rows to columns: `split!(rows => Row { a, b })` binds `a` and `b` to the vectors of each
/// row's `a` and `b`. Every field must be named, so one added to the core fails the build.
macro_rules! split {
    ($rows:expr => $row:ident { $($field:ident),* $(,)? }) => {
        let rows = $rows;
        $( let mut $field = Vec::with_capacity(rows.len()); )*
        for row in rows {
            let $row { $($field: _),* } = &row;
            $( $field.push(row.$field); )*
        }
    };
}

/// One row per ledger entry; `expires_at`, `programme`, `referral` and `offsets` nullable.
impl From<Vec<LedgerEntry>> for Table {
    fn from(entries: Vec<LedgerEntry>) -> Self {
        split!(entries => LedgerEntry {
            id, customer, kind, points, at, expires_at, programme, referral, offsets, reason,
        });
        Table::new(vec![
            Column::new(c"id", id),
            Column::new(c"customer", Values::strings(customer)),
            names(c"kind", &kind),
            Column::new(c"points", points),
            Column::new(c"at", Values::timestamps(&at)),
            Column::nullable(c"expires_at", expires_at, |v| Values::timestamps(&v)),
            Column::nullable(c"programme", programme, Values::strings),
            Column::nullable(c"referral", referral, Values::from),
            Column::nullable(c"offsets", offsets, Values::from),
            Column::new(c"reason", Values::strings(reason)),
        ])
    }
}

/// Columns `frequency`, `recency`, `t` and `monetary`, one row per summary.
impl From<Vec<PurchaseSummary>> for Table {
    fn from(summaries: Vec<PurchaseSummary>) -> Self {
        split!(summaries => PurchaseSummary { frequency, recency, t, monetary });
        Table::new(vec![
            Column::new(c"frequency", frequency),
            Column::new(c"recency", recency),
            Column::new(c"t", t),
            Column::new(c"monetary", monetary),
        ])
    }
}

/// One row per referrer, best first.
impl From<Vec<ReferrerStanding>> for Table {
    fn from(standings: Vec<ReferrerStanding>) -> Self {
        split!(standings => ReferrerStanding { customer, referrals, converted, points });
        Table::new(vec![
            Column::new(c"customer", Values::strings(customer)),
            Column::new(c"referrals", referrals),
            Column::new(c"converted", converted),
            Column::new(c"points", points),
        ])
    }
}
