//! Interactions: the append-only, two-way, multi-channel event log.

mod log;

pub(crate) use log::{EventLog, EventRow};

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::customer::{check_id, AttributeValue};
use crate::error::{invalid, Result};
use crate::names::{check_key, normalize_name};
use crate::time::{to_micros, Timestamp};

/// Longest idempotency key, in bytes.
pub const MAX_KEY_LEN: usize = 256;

/// Well-known event kinds. Any other valid name is a custom kind.
pub mod kinds {
    /// Viewed content (article, product, mini-program page).
    pub const VIEW: &str = "view";
    /// Clicked a link or button.
    pub const CLICK: &str = "click";
    /// Sent or received a message.
    pub const MESSAGE: &str = "message";
    /// Commented on content.
    pub const COMMENT: &str = "comment";
    /// Shared content with others.
    pub const SHARE: &str = "share";
    /// Bought something; `amount` holds the value.
    pub const PURCHASE: &str = "purchase";
    /// Signed up.
    pub const SIGNUP: &str = "signup";
    /// Followed the brand's account.
    pub const FOLLOW: &str = "follow";
    /// Answered a survey.
    pub const SURVEY: &str = "survey";
    /// Every kind above, in this order.
    pub const ALL: [&str; 9] = [
        VIEW, CLICK, MESSAGE, COMMENT, SHARE, PURCHASE, SIGNUP, FOLLOW, SURVEY,
    ];
}

/// Who spoke: the customer or the brand.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// From the customer to the brand.
    #[default]
    Inbound,
    /// From the brand to the customer.
    Outbound,
}

/// One interaction to record.
///
/// ```
/// use scrm::{EventInput, kinds};
/// use chrono::{TimeZone, Utc};
/// let at = Utc.with_ymd_and_hms(2026, 11, 11, 20, 0, 0).unwrap();
/// let e = EventInput::new("c-42", kinds::PURCHASE, "wechat", at)
///     .amount(199.0)
///     .idempotency_key("order-9001");
/// assert_eq!(e.amount, Some(199.0));
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventInput {
    /// External id of the customer (merged ids resolve to the survivor).
    pub customer: String,
    /// Event kind (see [`kinds`]) or a custom name.
    pub kind: String,
    /// Channel it happened on (`wechat`, `weibo`, `email`, `app`, `store`...).
    pub channel: String,
    /// Inbound (from the customer) or outbound (from the brand).
    #[serde(default)]
    pub direction: Direction,
    /// When it happened.
    pub at: Timestamp,
    /// Monetary amount, finite and non-negative.
    #[serde(default)]
    pub amount: Option<f64>,
    /// Another customer the event involves (a share to a friend, a message to a contact).
    #[serde(default)]
    pub target: Option<String>,
    /// Free-form properties.
    #[serde(default)]
    pub properties: BTreeMap<String, AttributeValue>,
    /// Deduplication key: an event whose key was already recorded is skipped.
    #[serde(default)]
    pub idempotency_key: Option<String>,
}

impl EventInput {
    /// An inbound event without amount, target, properties or key.
    pub fn new(
        customer: impl Into<String>,
        kind: impl Into<String>,
        channel: impl Into<String>,
        at: Timestamp,
    ) -> Self {
        EventInput {
            customer: customer.into(),
            kind: kind.into(),
            channel: channel.into(),
            direction: Direction::Inbound,
            at,
            amount: None,
            target: None,
            properties: BTreeMap::new(),
            idempotency_key: None,
        }
    }

    /// Sets the direction.
    pub fn direction(mut self, direction: Direction) -> Self {
        self.direction = direction;
        self
    }

    /// Sets the amount.
    pub fn amount(mut self, amount: f64) -> Self {
        self.amount = Some(amount);
        self
    }

    /// Sets the target customer.
    pub fn target(mut self, target: impl Into<String>) -> Self {
        self.target = Some(target.into());
        self
    }

    /// Sets a property.
    pub fn property(mut self, key: impl Into<String>, value: impl Into<AttributeValue>) -> Self {
        self.properties.insert(key.into(), value.into());
        self
    }

    /// Sets the idempotency key.
    pub fn idempotency_key(mut self, key: impl Into<String>) -> Self {
        self.idempotency_key = Some(key.into());
        self
    }

    /// Checks the fields that need no engine state; `index` is the event's position in its
    /// batch. Returns the normalised kind and channel and the time in microseconds.
    /// Error paths (`events[3].amount`) are only formatted when something is wrong.
    pub(crate) fn validate(&self, index: usize) -> Result<(Cow<'_, str>, Cow<'_, str>, i64)> {
        let path = |name: &'static str| move || format!("events[{index}].{name}");
        check_id(path("customer"), &self.customer)?;
        if let Some(target) = &self.target {
            check_id(path("target"), target)?;
        }
        let kind = normalize_name(path("kind"), &self.kind)?;
        let channel = normalize_name(path("channel"), &self.channel)?;
        let at = to_micros(path("at"), self.at)?;
        if let Some(amount) = self.amount {
            if !amount.is_finite() || amount < 0.0 {
                return Err(invalid(
                    path("amount")(),
                    format!("amount {amount} must be finite and >= 0"),
                ));
            }
        }
        for (key, value) in &self.properties {
            let field = || format!("events[{index}].properties.{key}");
            check_key(field, key)?;
            value.validate(field)?;
        }
        if let Some(key) = &self.idempotency_key {
            if key.is_empty() || key.len() > MAX_KEY_LEN {
                return Err(invalid(
                    path("idempotency_key")(),
                    format!("key must be 1 to {MAX_KEY_LEN} bytes"),
                ));
            }
        }
        Ok((kind, channel, at))
    }
}

/// A recorded interaction.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// Position in the log (0-based, in order of recording).
    pub seq: u64,
    /// External id of the customer who now owns the event (the survivor after merges).
    pub customer: String,
    /// Event kind.
    pub kind: String,
    /// Channel.
    pub channel: String,
    /// Direction.
    pub direction: Direction,
    /// When it happened.
    pub at: Timestamp,
    /// Amount, if any.
    pub amount: Option<f64>,
    /// Target customer (survivor id), if any.
    pub target: Option<String>,
    /// Properties.
    pub properties: BTreeMap<String, AttributeValue>,
    /// Idempotency key, if any.
    pub idempotency_key: Option<String>,
}

/// What a batch ingest did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IngestReport {
    /// Events appended to the log.
    pub inserted: u64,
    /// Events skipped because their idempotency key was already recorded.
    pub duplicates: u64,
}
