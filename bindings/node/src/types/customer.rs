//! Customers, their identities and what an upsert did.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use napi_derive::napi;

use super::attribute::{from_core_map, to_core_map, AttributeValue};
use super::count;
use super::time::{optional, DateInput};

/// How a person is known on one channel, e.g. `{ channel: 'phone', value: '+8613800000000' }`.
#[napi(object)]
pub struct Identity {
    /// `wechat_openid`, `wechat_unionid`, `phone`, `email`, `weibo` or any custom name.
    pub channel: String,
    /// The value on that channel (normalised on the way in).
    pub value: String,
}

impl From<Identity> for scrm::Identity {
    fn from(i: Identity) -> Self {
        scrm::Identity::new(i.channel, i.value)
    }
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
#[napi(object, object_to_js = false)]
pub struct CustomerInput {
    /// External id (1 to 256 bytes).
    pub id: String,
    /// Whether the profile is anonymous (e.g. a follower known only by an openid).
    pub anonymous: Option<bool>,
    /// Attributes to set.
    pub attributes: Option<HashMap<String, AttributeValue>>,
    /// Attribute keys to remove.
    pub remove_attributes: Option<Vec<String>>,
    /// Identities to attach; colliding ones resolve per the merge policy.
    pub identities: Option<Vec<Identity>>,
    /// When the update happened (default now); older updates never clobber newer values.
    pub at: Option<DateInput>,
}

impl CustomerInput {
    /// The core input; conversion errors name `{field}.…` like the core does.
    pub fn into_core(self, field: &str) -> scrm::Result<scrm::CustomerInput> {
        let mut input = scrm::CustomerInput::new(self.id);
        input.anonymous = self.anonymous;
        input.attributes = to_core_map(&self.attributes, || format!("{field}.attributes"))?;
        input.remove_attributes = self.remove_attributes.unwrap_or_default();
        input.identities = self
            .identities
            .into_iter()
            .flatten()
            .map(Into::into)
            .collect();
        input.at = optional(&self.at, || format!("{field}.at"))?;
        Ok(input)
    }
}

/// Converts a batch; errors name `customers[i]…`.
pub fn batch_into_core(inputs: Vec<CustomerInput>) -> scrm::Result<Vec<scrm::CustomerInput>> {
    inputs
        .into_iter()
        .enumerate()
        .map(|(i, c)| c.into_core(&format!("customers[{i}]")))
        .collect()
}

/// What an upsert did.
#[napi(object, object_from_js = false)]
pub struct UpsertOutcome {
    /// The customer the input ended up in (the survivor if it merged).
    pub id: String,
    /// Whether a new profile was created.
    pub created: bool,
    /// Ids of profiles merged away by this upsert.
    pub merged: Vec<String>,
    /// Ids of identity conflicts it flagged.
    pub conflicts: Vec<f64>,
}

impl From<scrm::UpsertOutcome> for UpsertOutcome {
    fn from(o: scrm::UpsertOutcome) -> Self {
        UpsertOutcome {
            id: o.id,
            created: o.created,
            merged: o.merged,
            conflicts: o.conflicts.into_iter().map(count).collect(),
        }
    }
}

/// Inbound and outbound activity of a customer.
#[napi(object, object_from_js = false, use_nullable = true)]
pub struct Activity {
    /// First inbound event.
    pub first_seen: Option<DateTime<Utc>>,
    /// Last inbound event.
    pub last_seen: Option<DateTime<Utc>>,
    /// Number of inbound events.
    pub inbound: f64,
    /// Number of outbound events.
    pub outbound: f64,
    /// Events per kind, both directions.
    pub counts: BTreeMap<String, f64>,
    /// Sum of the amounts of inbound events.
    pub total_amount: f64,
}

/// A customer profile.
#[napi(object, object_from_js = false)]
pub struct Customer {
    /// External id.
    pub id: String,
    /// Dense index, in creation order.
    pub index: u32,
    /// Whether the profile is anonymous.
    pub anonymous: bool,
    /// Typed attributes.
    pub attributes: BTreeMap<String, AttributeValue>,
    /// Normalised identities.
    pub identities: Vec<Identity>,
    /// Tag names, sorted.
    pub tags: Vec<String>,
    /// Ids of profiles merged into this one (they keep resolving to it).
    pub merged_ids: Vec<String>,
    /// When the profile was created.
    pub created_at: DateTime<Utc>,
    /// When it was last updated.
    pub updated_at: DateTime<Utc>,
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
            created_at: c.created_at,
            updated_at: c.updated_at,
            activity: Activity {
                first_seen: a.first_seen,
                last_seen: a.last_seen,
                inbound: count(a.inbound),
                outbound: count(a.outbound),
                counts: a.counts.into_iter().map(|(k, n)| (k, count(n))).collect(),
                total_amount: a.total_amount,
            },
        }
    }
}
