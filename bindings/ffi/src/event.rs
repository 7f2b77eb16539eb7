//! Events: what to record, what was recorded and what a batch did.

use std::collections::HashMap;
use std::time::SystemTime;

use crate::errors::Result;
use crate::time;
use crate::values::{from_core_map, to_core_map, AttributeValue};

/// Who spoke: the customer (`Inbound`) or the brand (`Outbound`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, uniffi::Enum)]
pub enum Direction {
    /// From the customer to the brand.
    Inbound,
    /// From the brand to the customer.
    Outbound,
}

impl From<Direction> for scrm::Direction {
    fn from(d: Direction) -> Self {
        match d {
            Direction::Inbound => scrm::Direction::Inbound,
            Direction::Outbound => scrm::Direction::Outbound,
        }
    }
}

impl From<scrm::Direction> for Direction {
    fn from(d: scrm::Direction) -> Self {
        match d {
            scrm::Direction::Inbound => Direction::Inbound,
            scrm::Direction::Outbound => Direction::Outbound,
        }
    }
}

/// One interaction to record.
#[derive(Clone, Debug, PartialEq, uniffi::Record)]
pub struct EventInput {
    /// Customer id (merged ids resolve to the survivor).
    pub customer: String,
    /// Event kind (`view`, `click`, `message`, `comment`, `share`, `purchase`, `signup`,
    /// `follow`, `survey`) or a custom name.
    pub kind: String,
    /// Channel it happened on (`wechat`, `weibo`, `email`, `app`, `store`...).
    pub channel: String,
    /// When it happened.
    pub at: SystemTime,
    /// Default `Inbound`.
    #[uniffi(default)]
    pub direction: Option<Direction>,
    /// Monetary amount, finite and non-negative.
    #[uniffi(default)]
    pub amount: Option<f64>,
    /// Another customer the event involves.
    #[uniffi(default)]
    pub target: Option<String>,
    /// Free-form properties.
    #[uniffi(default)]
    pub properties: HashMap<String, AttributeValue>,
    /// Deduplication key: an event whose key was already recorded is skipped.
    #[uniffi(default)]
    pub idempotency_key: Option<String>,
}

impl EventInput {
    /// The core input for position `i` of a batch; errors name `events[i].…` like the core.
    pub fn into_core(self, i: usize) -> Result<scrm::EventInput> {
        let at = time::to_core(|| format!("events[{i}].at"), self.at)?;
        let mut event = scrm::EventInput::new(self.customer, self.kind, self.channel, at);
        event.direction = self.direction.map(Into::into).unwrap_or_default();
        event.amount = self.amount;
        event.target = self.target;
        event.properties = to_core_map(self.properties, || format!("events[{i}].properties"))?;
        event.idempotency_key = self.idempotency_key;
        Ok(event)
    }
}

/// Converts a batch of events.
pub fn batch_into_core(events: Vec<EventInput>) -> Result<Vec<scrm::EventInput>> {
    events
        .into_iter()
        .enumerate()
        .map(|(i, e)| e.into_core(i))
        .collect()
}

/// A recorded interaction.
#[derive(Clone, Debug, PartialEq, uniffi::Record)]
pub struct Event {
    /// Position in the log (0-based, in order of recording).
    pub seq: u64,
    /// Customer who owns the event now (the survivor after merges).
    pub customer: String,
    /// Event kind.
    pub kind: String,
    /// Channel.
    pub channel: String,
    /// Direction.
    pub direction: Direction,
    /// When it happened.
    pub at: SystemTime,
    /// Amount, if any.
    pub amount: Option<f64>,
    /// Target customer (survivor id), if any.
    pub target: Option<String>,
    /// Properties.
    pub properties: HashMap<String, AttributeValue>,
    /// Idempotency key, if any.
    pub idempotency_key: Option<String>,
}

impl From<scrm::Event> for Event {
    fn from(e: scrm::Event) -> Self {
        Event {
            seq: e.seq,
            customer: e.customer,
            kind: e.kind,
            channel: e.channel,
            direction: e.direction.into(),
            at: time::from_core(e.at),
            amount: e.amount,
            target: e.target,
            properties: from_core_map(e.properties),
            idempotency_key: e.idempotency_key,
        }
    }
}

/// What a batch ingest did.
#[derive(Clone, Copy, Debug, PartialEq, Eq, uniffi::Record)]
pub struct IngestReport {
    /// Events appended to the log.
    pub inserted: u64,
    /// Events skipped because their idempotency key was already recorded.
    pub duplicates: u64,
}

impl From<scrm::IngestReport> for IngestReport {
    fn from(r: scrm::IngestReport) -> Self {
        IngestReport {
            inserted: r.inserted,
            duplicates: r.duplicates,
        }
    }
}
