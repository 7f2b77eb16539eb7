//! Manual merges, the merge audit trail and identity conflicts.

use std::time::SystemTime;

use crate::errors::Result;
use crate::time;

/// A manual merge request.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct MergeRequest {
    /// Customer that keeps its id.
    pub survivor: String,
    /// Customer absorbed into the survivor.
    pub merged: String,
    /// Who asks (recorded in the audit trail).
    pub actor: String,
    /// Why (recorded in the audit trail).
    #[uniffi(default = "")]
    pub note: String,
    /// When (default now).
    #[uniffi(default)]
    pub at: Option<SystemTime>,
}

impl MergeRequest {
    /// The core request.
    pub fn into_core(self) -> Result<scrm::MergeRequest> {
        Ok(scrm::MergeRequest {
            at: time::optional(|| "at".to_string(), self.at)?,
            survivor: self.survivor,
            merged: self.merged,
            actor: self.actor,
            note: self.note,
        })
    }
}

/// Why two profiles were merged.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Enum)]
pub enum MergeReason {
    /// An upsert brought an identity owned by the other profile.
    SharedIdentity { channel: String, value: String },
    /// A caller asked for the merge.
    Manual { note: String },
    /// A person resolved a flagged conflict by merging.
    ConflictResolved { conflict: u64 },
}

/// One entry of the merge audit trail.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct MergeRecord {
    /// Profile that absorbed the other.
    pub survivor: String,
    /// Profile that was absorbed (its id keeps resolving to the survivor).
    pub merged: String,
    /// When the merge happened.
    pub at: SystemTime,
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
            at: time::from_core(r.at),
            actor: r.actor,
            reason: match r.reason {
                scrm::MergeReason::SharedIdentity { channel, value } => {
                    MergeReason::SharedIdentity { channel, value }
                }
                scrm::MergeReason::Manual { note } => MergeReason::Manual { note },
                scrm::MergeReason::ConflictResolved { conflict } => {
                    MergeReason::ConflictResolved { conflict }
                }
            },
        }
    }
}

/// State of a flagged identity conflict.
#[derive(Clone, Copy, Debug, PartialEq, Eq, uniffi::Enum)]
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
#[derive(Clone, Copy, Debug, PartialEq, Eq, uniffi::Enum)]
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
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct IdentityConflict {
    /// Conflict id, for `resolveConflict`.
    pub id: u64,
    /// Channel of the contested identity.
    pub channel: String,
    /// Normalised value of the contested identity.
    pub value: String,
    /// Customer who holds the identity.
    pub owner: String,
    /// Customer whose update claimed it.
    pub claimant: String,
    /// When it was flagged.
    pub at: SystemTime,
    /// Current state.
    pub status: ConflictStatus,
}

impl From<scrm::IdentityConflict> for IdentityConflict {
    fn from(c: scrm::IdentityConflict) -> Self {
        IdentityConflict {
            id: c.id,
            channel: c.channel,
            value: c.value,
            owner: c.owner,
            claimant: c.claimant,
            at: time::from_core(c.at),
            status: c.status.into(),
        }
    }
}
