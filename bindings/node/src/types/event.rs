//! Events: what to record, what was recorded and what a batch did.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use napi::bindgen_prelude::{FromNapiValue, TypeName, ValidateNapiValue};
use napi::{sys, ValueType};
use napi_derive::napi;

use super::attribute::{from_core_map, to_core_map, AttributeValue};
use super::count;
use super::reader::Keys;
use super::time::DateInput;

/// Who spoke: the customer (`inbound`) or the brand (`outbound`).
#[napi(string_enum = "snake_case")]
pub enum Direction {
    /// From the customer to the brand.
    Inbound,
    /// From the brand to the customer.
    Outbound,
}

/// One interaction to record.
#[napi(object, object_to_js = false, object_from_js = false)]
pub struct EventInput {
    /// Customer id (merged ids resolve to the survivor).
    pub customer: String,
    /// Event kind (`view`, `click`, `message`, `comment`, `share`, `purchase`, `signup`,
    /// `follow`, `survey`) or a custom name.
    pub kind: String,
    /// Channel it happened on (`wechat`, `weibo`, `email`, `app`, `store`...).
    pub channel: String,
    /// Default `inbound`.
    pub direction: Option<Direction>,
    /// When it happened.
    pub at: DateInput,
    /// Monetary amount, finite and non-negative.
    pub amount: Option<f64>,
    /// Another customer the event involves.
    pub target: Option<String>,
    /// Free-form properties.
    pub properties: Option<HashMap<String, AttributeValue>>,
    /// Deduplication key: an event whose key was already recorded is skipped.
    pub idempotency_key: Option<String>,
}

/// The keys of an event object, in the order [`EventInput::read`] reads them.
const EVENT_KEYS: [&str; 9] = [
    "customer",
    "kind",
    "channel",
    "direction",
    "at",
    "amount",
    "target",
    "properties",
    "idempotencyKey",
];

impl EventInput {
    /// Reads one event object with keys made from [`EVENT_KEYS`]; `path` names it in errors.
    ///
    /// # Safety
    /// `value` is a live value of the env `keys` were made in.
    unsafe fn read(
        keys: &Keys,
        value: sys::napi_value,
        path: &dyn Fn() -> String,
    ) -> napi::Result<Self> {
        // SAFETY: per this function's contract.
        let f = unsafe { keys.fields(value, path) }?;
        Ok(EventInput {
            customer: f.require_string(0)?,
            kind: f.require_string(1)?,
            channel: f.require_string(2)?,
            direction: f.get(3)?,
            at: match f.date_millis(4)? {
                Some(ms) => DateInput::Millis(ms),
                None => f.require(4)?,
            },
            amount: f.number(5)?,
            target: f.string(6)?,
            properties: f.get(7)?,
            idempotency_key: f.string(8)?,
        })
    }

    /// The core input for position `i` of a batch (0 alone); errors name `events[i].…`
    /// like the core does.
    pub fn into_core(self, i: usize) -> scrm::Result<scrm::EventInput> {
        let at = self.at.to_core(|| format!("events[{i}].at"))?;
        let mut event = scrm::EventInput::new(self.customer, self.kind, self.channel, at);
        event.direction = match self.direction {
            Some(Direction::Outbound) => scrm::Direction::Outbound,
            Some(Direction::Inbound) | None => scrm::Direction::Inbound,
        };
        event.amount = self.amount;
        event.target = self.target;
        event.properties = to_core_map(&self.properties, || format!("events[{i}].properties"))?;
        event.idempotency_key = self.idempotency_key;
        Ok(event)
    }
}

impl FromNapiValue for EventInput {
    unsafe fn from_napi_value(env: sys::napi_env, value: sys::napi_value) -> napi::Result<Self> {
        // SAFETY: napi hands us a live value of this env, in the call the keys are made for.
        unsafe { EventInput::read(&Keys::new(env, &EVENT_KEYS)?, value, &|| "event".into()) }
    }
}

impl ValidateNapiValue for EventInput {}

/// A JavaScript array of events, read with one set of keys for the whole array.
pub struct EventBatch(Vec<EventInput>);

impl TypeName for EventBatch {
    fn type_name() -> &'static str {
        "Array<EventInput>"
    }

    fn value_type() -> ValueType {
        ValueType::Object
    }
}

impl ValidateNapiValue for EventBatch {}

impl FromNapiValue for EventBatch {
    unsafe fn from_napi_value(env: sys::napi_env, value: sys::napi_value) -> napi::Result<Self> {
        // SAFETY: napi hands us a live value of this env, in the call the keys are made for.
        let keys = unsafe { Keys::new(env, &EVENT_KEYS) }?;
        // SAFETY: as above; each item is a live value of the array.
        let events = unsafe {
            keys.each(value, |i, item| {
                EventInput::read(&keys, item, &|| format!("events[{i}]"))
            })
        }?;
        Ok(EventBatch(events))
    }
}

/// Converts a batch of events.
pub fn batch_into_core(EventBatch(events): EventBatch) -> scrm::Result<Vec<scrm::EventInput>> {
    events
        .into_iter()
        .enumerate()
        .map(|(i, e)| e.into_core(i))
        .collect()
}

/// A recorded interaction.
#[napi(object, object_from_js = false, use_nullable = true)]
pub struct Event {
    /// Position in the log (0-based, in order of recording).
    pub seq: f64,
    /// Customer who owns the event now (the survivor after merges).
    pub customer: String,
    /// Event kind.
    pub kind: String,
    /// Channel.
    pub channel: String,
    /// Direction.
    pub direction: Direction,
    /// When it happened.
    pub at: DateTime<Utc>,
    /// Amount, if any.
    pub amount: Option<f64>,
    /// Target customer (survivor id), if any.
    pub target: Option<String>,
    /// Properties.
    pub properties: BTreeMap<String, AttributeValue>,
    /// Idempotency key, if any.
    pub idempotency_key: Option<String>,
}

impl From<scrm::Event> for Event {
    fn from(e: scrm::Event) -> Self {
        Event {
            seq: count(e.seq),
            customer: e.customer,
            kind: e.kind,
            channel: e.channel,
            direction: match e.direction {
                scrm::Direction::Inbound => Direction::Inbound,
                scrm::Direction::Outbound => Direction::Outbound,
            },
            at: e.at,
            amount: e.amount,
            target: e.target,
            properties: from_core_map(e.properties),
            idempotency_key: e.idempotency_key,
        }
    }
}

/// What a batch ingest did.
#[napi(object, object_from_js = false)]
pub struct IngestReport {
    /// Events appended to the log.
    pub inserted: f64,
    /// Events skipped because their idempotency key was already recorded.
    pub duplicates: f64,
}

impl From<scrm::IngestReport> for IngestReport {
    fn from(r: scrm::IngestReport) -> Self {
        IngestReport {
            inserted: count(r.inserted),
            duplicates: count(r.duplicates),
        }
    }
}
