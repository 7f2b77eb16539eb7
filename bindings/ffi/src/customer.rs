//! Customers, their identities and what an upsert did.

use std::collections::HashMap;
use std::time::SystemTime;

use crate::errors::Result;
use crate::time;
use crate::values::{from_core_map, to_core_map, AttributeValue};

/// How a person is known on one channel.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct Identity {
    /// `wechat_openid`, `wechat_unionid`, `phone`, `email`, `weibo` or any custom name.
    pub channel: String,
    /// The value on that channel (normalised on the way in).
    pub value: String,
}

impl From<scrm::Identity> for Identity {
    fn from(i: scrm::Identity) -> Self {
        Identity {
            channel: i.channel,
            value: i.value,
        }
    }
}

/// A customer to insert or update.
#[derive(Clone, Debug, PartialEq, uniffi::Record)]
pub struct CustomerInput {
    /// External id (1 to 256 bytes).
    pub id: String,
    /// Whether the profile is anonymous; `null` keeps it as it is (new profiles: identified).
    #[uniffi(default)]
    pub anonymous: Option<bool>,
    /// Attributes to set.
    #[uniffi(default)]
    pub attributes: HashMap<String, AttributeValue>,
    /// Attribute keys to remove.
    #[uniffi(default)]
    pub remove_attributes: Vec<String>,
    /// Identities to attach; colliding ones resolve per the merge policy.
    #[uniffi(default)]
    pub identities: Vec<Identity>,
    /// When the update happened (default now); older updates never clobber newer values.
    #[uniffi(default)]
    pub at: Option<SystemTime>,
}

impl CustomerInput {
    /// The core input; conversion errors name `{field}.…` like the core does.
    pub fn into_core(self, field: &str) -> Result<scrm::CustomerInput> {
        let mut input = scrm::CustomerInput::new(self.id);
        input.anonymous = self.anonymous;
        input.attributes = to_core_map(self.attributes, || format!("{field}.attributes"))?;
        input.remove_attributes = self.remove_attributes;
        input.identities = self
            .identities
            .into_iter()
            .map(|i| scrm::Identity::new(i.channel, i.value))
            .collect();
        input.at = time::optional(|| format!("{field}.at"), self.at)?;
        Ok(input)
    }
}

/// What an upsert did.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct UpsertOutcome {
    /// The customer the input ended up in (the survivor if it merged).
    pub id: String,
    /// Whether a new profile was created.
    pub created: bool,
    /// Ids of profiles merged away by this upsert.
    pub merged: Vec<String>,
    /// Ids of identity conflicts it flagged.
    pub conflicts: Vec<u64>,
}

impl From<scrm::UpsertOutcome> for UpsertOutcome {
    fn from(o: scrm::UpsertOutcome) -> Self {
        UpsertOutcome {
            id: o.id,
            created: o.created,
            merged: o.merged,
            conflicts: o.conflicts,
        }
    }
}

/// Inbound and outbound activity of a customer.
#[derive(Clone, Debug, PartialEq, uniffi::Record)]
pub struct Activity {
    /// First inbound event.
    pub first_seen: Option<SystemTime>,
    /// Last inbound event.
    pub last_seen: Option<SystemTime>,
    /// Number of inbound events.
    pub inbound: u64,
    /// Number of outbound events.
    pub outbound: u64,
    /// Events per kind, both directions.
    pub counts: HashMap<String, u64>,
    /// Sum of the amounts of inbound events.
    pub total_amount: f64,
}

/// A customer profile.
#[derive(Clone, Debug, PartialEq, uniffi::Record)]
pub struct Customer {
    /// External id.
    pub id: String,
    /// Dense index, in creation order.
    pub index: u32,
    /// Whether the profile is anonymous.
    pub anonymous: bool,
    /// Typed attributes.
    pub attributes: HashMap<String, AttributeValue>,
    /// Normalised identities.
    pub identities: Vec<Identity>,
    /// Tag names, sorted.
    pub tags: Vec<String>,
    /// Ids of profiles merged into this one (they keep resolving to it).
    pub merged_ids: Vec<String>,
    /// When the profile was created.
    pub created_at: SystemTime,
    /// When it was last updated.
    pub updated_at: SystemTime,
    /// Activity aggregates.
    pub activity: Activity,
}

impl From<scrm::Customer> for Customer {
    fn from(c: scrm::Customer) -> Self {
        let a = c.activity;
        Customer {
            id: c.id,
            index: c.index,
            anonymous: c.anonymous,
            attributes: from_core_map(c.attributes),
            identities: c.identities.into_iter().map(Into::into).collect(),
            tags: c.tags,
            merged_ids: c.merged_ids,
            created_at: time::from_core(c.created_at),
            updated_at: time::from_core(c.updated_at),
            activity: Activity {
                first_seen: a.first_seen.map(time::from_core),
                last_seen: a.last_seen.map(time::from_core),
                inbound: a.inbound,
                outbound: a.outbound,
                counts: a.counts.into_iter().collect(),
                total_amount: a.total_amount,
            },
        }
    }
}
