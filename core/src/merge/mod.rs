//! Identity resolution policy and the audit trail of merges and flagged conflicts.

mod attributes;

pub(crate) use attributes::combine_attributes;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::time::Timestamp;

/// How two values of the same attribute are combined when profiles merge.
///
/// Every strategy is order-independent: merging A, B and C gives the same result in any order.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MergeStrategy {
    /// The value set most recently wins.
    #[default]
    Newest,
    /// The value set first wins.
    Oldest,
    /// Numbers are added (int + int stays int, saturating; anything with a float gives a float).
    /// Non-numbers fall back to `newest`.
    Sum,
    /// The earliest-set value that is not empty (`""` or `[]`) wins.
    FirstNonEmpty,
    /// Lists are united into a sorted list without duplicates. Non-lists fall back to `newest`.
    Union,
}

/// What an upsert does when it brings an identity that already belongs to another customer.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CollisionPolicy {
    /// Merge the two profiles.
    #[default]
    Merge,
    /// Reject the whole upsert with [`crate::Error::IdentityTaken`].
    Reject,
}

/// What happens when both colliding profiles are identified (neither is anonymous).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdentifiedPolicy {
    /// Merge them like any other collision.
    #[default]
    Merge,
    /// Do not merge: record an [`IdentityConflict`] for a person to resolve, leave the identity
    /// with its owner and apply the rest of the upsert.
    Flag,
}

/// The identity-resolution policy of an engine.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MergePolicy {
    /// What to do when an identity collides.
    pub on_collision: CollisionPolicy,
    /// What to do when both colliding profiles are identified.
    pub identified: IdentifiedPolicy,
    /// Strategy for attributes not listed in `strategies`.
    pub default_strategy: MergeStrategy,
    /// Strategy per attribute key.
    pub strategies: BTreeMap<String, MergeStrategy>,
}

impl MergePolicy {
    /// The strategy for one attribute key.
    pub fn strategy(&self, key: &str) -> MergeStrategy {
        self.strategies
            .get(key)
            .copied()
            .unwrap_or(self.default_strategy)
    }
}

/// Why two profiles were merged.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum MergeReason {
    /// An upsert brought an identity owned by the other profile.
    SharedIdentity {
        /// Channel of the shared identity.
        channel: String,
        /// Normalised value of the shared identity.
        value: String,
    },
    /// A caller asked for the merge.
    Manual {
        /// Free text given by the caller.
        note: String,
    },
    /// A person resolved a flagged conflict by merging.
    ConflictResolved {
        /// The conflict's id.
        conflict: u64,
    },
}

/// One entry of the merge audit trail. The merged id keeps resolving to the survivor.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MergeRecord {
    /// External id of the profile that absorbed the other.
    pub survivor: String,
    /// External id of the profile that was absorbed.
    pub merged: String,
    /// When the merge happened.
    pub at: Timestamp,
    /// Who merged: `"engine"` for automatic merges, else the caller's actor name.
    pub actor: String,
    /// Why.
    pub reason: MergeReason,
}

/// State of a flagged identity conflict.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConflictStatus {
    /// Waiting for a person.
    Open,
    /// Resolved by merging the two profiles.
    Merged,
    /// Resolved by keeping them apart; the same collision is not flagged again.
    KeptApart,
}

impl ConflictStatus {
    /// The name stored on disk.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            ConflictStatus::Open => "open",
            ConflictStatus::Merged => "merged",
            ConflictStatus::KeptApart => "kept_apart",
        }
    }

    /// Parses a stored name.
    pub(crate) fn parse(s: &str) -> Option<Self> {
        [Self::Open, Self::Merged, Self::KeptApart]
            .into_iter()
            .find(|status| status.as_str() == s)
    }
}

/// How a person resolves an identity conflict.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConflictResolution {
    /// Merge the two profiles.
    Merge,
    /// Keep them apart.
    KeepApart,
}

/// Two identified profiles claimed the same identity and policy forbade merging them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IdentityConflict {
    /// Conflict id, for [`crate::Engine::resolve_conflict`].
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
    pub at: Timestamp,
    /// Current state.
    pub status: ConflictStatus,
}
