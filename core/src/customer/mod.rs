//! Customer profiles: what callers send (`CustomerInput`) and what they read back (`Customer`).

mod attr_map;
mod attribute;

pub(crate) use attr_map::AttrMap;
pub(crate) use attribute::StoredAttribute;
pub use attribute::{AttributeValue, MAX_STRING_LEN};

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::{invalid, Result};
use crate::identity::{Identity, IdentityConfig};
use crate::names::check_key;
use crate::time::{to_micros, Timestamp};

/// Longest external customer id, in bytes.
pub const MAX_ID_LEN: usize = 256;

/// An insert-or-update of one customer profile.
///
/// ```
/// use scrm::CustomerInput;
/// let input = CustomerInput::new("c-42")
///     .attribute("city", "Shanghai")
///     .attribute("age", 31i64)
///     .identity("phone", "+86 138 0013 8000");
/// assert_eq!(input.identities.len(), 1);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CustomerInput {
    /// External id chosen by the host CRM (1 to 256 bytes). An id that was merged away
    /// resolves to its survivor.
    pub id: String,
    /// Marks a profile anonymous (e.g. a visitor known only by a device or an openid) or
    /// identified. `None` keeps the current flag; new profiles default to identified.
    pub anonymous: Option<bool>,
    /// Attributes to set.
    pub attributes: BTreeMap<String, AttributeValue>,
    /// Attribute keys to remove.
    pub remove_attributes: Vec<String>,
    /// Identities to attach; one owned by another profile triggers identity resolution.
    pub identities: Vec<Identity>,
    /// When this update happened (defaults to the engine clock). An attribute is only
    /// overwritten by an update at least as recent as the one that set it, so late imports
    /// never clobber newer data.
    pub at: Option<Timestamp>,
}

impl CustomerInput {
    /// Starts an upsert of the customer with this external id.
    pub fn new(id: impl Into<String>) -> Self {
        CustomerInput {
            id: id.into(),
            ..Self::default()
        }
    }

    /// Sets an attribute.
    pub fn attribute(mut self, key: impl Into<String>, value: impl Into<AttributeValue>) -> Self {
        self.attributes.insert(key.into(), value.into());
        self
    }

    /// Attaches an identity.
    pub fn identity(mut self, channel: impl Into<String>, value: impl Into<String>) -> Self {
        self.identities.push(Identity::new(channel, value));
        self
    }

    /// Marks the profile anonymous or identified.
    pub fn anonymous(mut self, anonymous: bool) -> Self {
        self.anonymous = Some(anonymous);
        self
    }

    /// Sets the time of the update.
    pub fn at(mut self, at: Timestamp) -> Self {
        self.at = Some(at);
        self
    }

    /// Checks every field; `field` gives this input's path, such as `customers[2]`, and is
    /// only called to report an error. `now` is the time of an update that gives none.
    pub(crate) fn validate(
        &self,
        field: &dyn Fn() -> String,
        cfg: &IdentityConfig,
        now: i64,
    ) -> Result<ValidCustomer> {
        check_id(|| format!("{}.id", field()), &self.id)?;
        for (key, value) in &self.attributes {
            let path = || format!("{}.attributes.{key}", field());
            check_key(path, key)?;
            value.validate(path)?;
        }
        for (i, key) in self.remove_attributes.iter().enumerate() {
            check_key(|| format!("{}.remove_attributes[{i}]", field()), key)?;
        }
        let identities = self
            .identities
            .iter()
            .enumerate()
            .map(|(i, id)| cfg.normalize_at(&|| format!("{}.identities[{i}]", field()), id))
            .collect::<Result<_>>()?;
        let at = match self.at {
            Some(t) => to_micros(|| format!("{}.at", field()), t)?,
            None => now,
        };
        Ok(ValidCustomer {
            id: self.id.clone(),
            anonymous: self.anonymous,
            attributes: self.attributes.clone(),
            remove_attributes: self.remove_attributes.clone(),
            identities,
            at,
        })
    }
}

/// A [`CustomerInput`] whose fields passed validation, with normalised identities.
pub(crate) struct ValidCustomer {
    pub id: String,
    pub anonymous: Option<bool>,
    pub attributes: BTreeMap<String, AttributeValue>,
    pub remove_attributes: Vec<String>,
    pub identities: Vec<Identity>,
    pub at: i64,
}

/// Checks an external customer id: 1 to 256 bytes, no control characters.
pub(crate) fn check_id(field: impl Fn() -> String, id: &str) -> Result<()> {
    if id.is_empty() || id.len() > MAX_ID_LEN {
        return Err(invalid(
            field(),
            format!(
                "customer id must be 1 to {MAX_ID_LEN} bytes, got {}",
                id.len()
            ),
        ));
    }
    if id.chars().any(char::is_control) {
        return Err(invalid(field(), "customer id contains control characters"));
    }
    Ok(())
}

/// What an upsert did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpsertOutcome {
    /// External id of the profile that now holds the data (the survivor after any merge).
    pub id: String,
    /// True when the upsert created a new profile.
    pub created: bool,
    /// External ids of the profiles merged during this upsert.
    pub merged: Vec<String>,
    /// Ids of identity conflicts flagged during this upsert.
    pub conflicts: Vec<u64>,
}

/// Activity aggregates of a customer, kept current as events arrive.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Activity {
    /// Time of the first inbound event.
    pub first_seen: Option<Timestamp>,
    /// Time of the latest inbound event.
    pub last_seen: Option<Timestamp>,
    /// Number of inbound events (from the customer).
    pub inbound: u64,
    /// Number of outbound events (from the brand).
    pub outbound: u64,
    /// Number of events per kind, both directions.
    pub counts: BTreeMap<String, u64>,
    /// Sum of the amounts of inbound events.
    pub total_amount: f64,
}

/// A customer profile as read back from the engine.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Customer {
    /// External id.
    pub id: String,
    /// Dense internal index (stable for the life of the store).
    pub index: u32,
    /// Whether the profile is anonymous.
    pub anonymous: bool,
    /// Current attributes.
    pub attributes: BTreeMap<String, AttributeValue>,
    /// Normalised identities, sorted.
    pub identities: Vec<Identity>,
    /// Tag names, sorted.
    pub tags: Vec<String>,
    /// External ids of the profiles merged into this one.
    pub merged_ids: Vec<String>,
    /// When the profile (or the oldest profile merged into it) was created.
    pub created_at: Timestamp,
    /// When it last changed.
    pub updated_at: Timestamp,
    /// Event aggregates.
    pub activity: Activity,
}
