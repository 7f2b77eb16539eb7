//! Manual merges, the merge audit trail and identity conflicts.

use chrono::{DateTime, Utc};
use napi_derive::napi;

use super::count;
use super::time::{optional, DateInput};

/// A manual merge request.
#[napi(object, object_to_js = false)]
pub struct MergeRequest {
    /// Customer that keeps its id.
    pub survivor: String,
    /// Customer absorbed into the survivor.
    pub merged: String,
    /// Who asks (recorded in the audit trail).
    pub actor: String,
    /// Why (recorded in the audit trail).
    pub note: Option<String>,
    /// When (default now).
    pub at: Option<DateInput>,
}

impl MergeRequest {
    /// The core request.
    pub fn into_core(self) -> scrm::Result<scrm::MergeRequest> {
        Ok(scrm::MergeRequest {
            at: optional(&self.at, || "at".to_string())?,
            survivor: self.survivor,
            merged: self.merged,
            actor: self.actor,
            note: self.note.unwrap_or_default(),
        })
    }
}

/// Why two profiles were merged: `shared_identity` (with the identity's `channel` and
/// normalised `value`), `manual` (with the caller's `note`) or `conflict_resolved` (with the
/// `conflict` id).
#[napi(
    discriminant = "type",
    discriminant_case = "snake_case",
    object_from_js = false
)]
pub enum MergeReason {
    /// An upsert brought an identity owned by the other profile.
    SharedIdentity { channel: String, value: String },
    /// A caller asked for the merge.
    Manual { note: String },
    /// A person resolved a flagged conflict by merging.
    ConflictResolved { conflict: f64 },
}

/// One entry of the merge audit trail.
#[napi(object, object_from_js = false)]
pub struct MergeRecord {
    /// Profile that absorbed the other.
    pub survivor: String,
    /// Profile that was absorbed (its id keeps resolving to the survivor).
    pub merged: String,
    /// When the merge happened.
    pub at: DateTime<Utc>,
    /// `"engine"` for automatic merges, else the caller's actor name.
    pub actor: String,
    /// Why.
    pub reason: MergeReason,
}

impl From<scrm::MergeRecord> for MergeRecord {
    fn from(r: scrm::MergeRecord) -> Self {
        MergeRecord {
            survivor: r.survivor,
            merged: r.merged,
            at: r.at,
            actor: r.actor,
            reason: match r.reason {
                scrm::MergeReason::SharedIdentity { channel, value } => {
                    MergeReason::SharedIdentity { channel, value }
                }
                scrm::MergeReason::Manual { note } => MergeReason::Manual { note },
                scrm::MergeReason::ConflictResolved { conflict } => MergeReason::ConflictResolved {
                    conflict: count(conflict),
                },
            },
        }
    }
}

/// State of a flagged identity conflict.
#[napi(string_enum = "snake_case")]
pub enum ConflictStatus {
    /// Waiting for a person.
    Open,
    /// Resolved by merging the two profiles.
    Merged,
    /// Resolved by keeping them apart.
    KeptApart,
}

impl From<ConflictStatus> for scrm::ConflictStatus {
    fn from(s: ConflictStatus) -> Self {
        match s {
            ConflictStatus::Open => scrm::ConflictStatus::Open,
            ConflictStatus::Merged => scrm::ConflictStatus::Merged,
            ConflictStatus::KeptApart => scrm::ConflictStatus::KeptApart,
        }
    }
}

impl From<scrm::ConflictStatus> for ConflictStatus {
    fn from(s: scrm::ConflictStatus) -> Self {
        match s {
            scrm::ConflictStatus::Open => ConflictStatus::Open,
            scrm::ConflictStatus::Merged => ConflictStatus::Merged,
            scrm::ConflictStatus::KeptApart => ConflictStatus::KeptApart,
        }
    }
}

/// How a person resolves an identity conflict.
#[napi(string_enum = "snake_case")]
pub enum ConflictResolution {
    /// Merge the two profiles.
    Merge,
    /// Keep them apart; the same claim is not flagged again.
    KeepApart,
}

impl From<ConflictResolution> for scrm::ConflictResolution {
    fn from(r: ConflictResolution) -> Self {
        match r {
            ConflictResolution::Merge => scrm::ConflictResolution::Merge,
            ConflictResolution::KeepApart => scrm::ConflictResolution::KeepApart,
        }
    }
}

/// Two identified profiles claimed the same identity and the policy forbade merging them.
#[napi(object, object_from_js = false)]
pub struct IdentityConflict {
    /// Conflict id, for `resolveConflict`.
    pub id: f64,
    /// Channel of the contested identity.
    pub channel: String,
    /// Normalised value of the contested identity.
    pub value: String,
    /// Customer who holds the identity.
    pub owner: String,
    /// Customer whose update claimed it.
    pub claimant: String,
    /// When it was flagged.
    pub at: DateTime<Utc>,
    /// Current state.
    pub status: ConflictStatus,
}

impl From<scrm::IdentityConflict> for IdentityConflict {
    fn from(c: scrm::IdentityConflict) -> Self {
        IdentityConflict {
            id: count(c.id),
            channel: c.channel,
            value: c.value,
            owner: c.owner,
            claimant: c.claimant,
            at: c.at,
            status: c.status.into(),
        }
    }
}
