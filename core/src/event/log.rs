//! The in-memory event log: compact fixed-size rows plus side tables for the rare big fields.

use std::collections::BTreeMap;

use crate::hash::HashMap;

use super::Direction;
use crate::customer::AttributeValue;

/// The fixed-size part of one event. Names are interned symbols; customers are dense indexes
/// as they were when the event was recorded (resolve them through merges before use).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct EventRow {
    pub customer: u32,
    pub kind: u32,
    pub channel: u32,
    pub direction: Direction,
    pub at: i64,
    pub amount: Option<f64>,
    pub target: Option<u32>,
}

/// All events in recording order; a row's position is its sequence number.
#[derive(Default)]
pub(crate) struct EventLog {
    rows: Vec<EventRow>,
    properties: HashMap<u32, BTreeMap<String, AttributeValue>>,
    keys: HashMap<Box<str>, u32>,
    key_of: HashMap<u32, Box<str>>,
}

impl EventLog {
    /// Number of events.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// The row at a sequence number.
    pub fn row(&self, seq: u32) -> &EventRow {
        &self.rows[seq as usize]
    }

    /// Properties of an event (empty for most).
    pub fn properties(&self, seq: u32) -> Option<&BTreeMap<String, AttributeValue>> {
        self.properties.get(&seq)
    }

    /// Idempotency key of an event.
    pub fn key(&self, seq: u32) -> Option<&str> {
        self.key_of.get(&seq).map(|k| &**k)
    }

    /// The position of the event with this idempotency key.
    pub fn seq_of(&self, key: &str) -> Option<u32> {
        self.keys.get(key).copied()
    }

    /// True when an event with this idempotency key is in the log.
    pub fn has_key(&self, key: &str) -> bool {
        self.keys.contains_key(key)
    }

    /// Appends an event and returns its sequence number.
    pub fn push(
        &mut self,
        row: EventRow,
        properties: BTreeMap<String, AttributeValue>,
        key: Option<Box<str>>,
    ) -> u32 {
        let seq = self.rows.len() as u32;
        self.rows.push(row);
        if !properties.is_empty() {
            self.properties.insert(seq, properties);
        }
        if let Some(key) = key {
            self.keys.insert(key.clone(), seq);
            self.key_of.insert(seq, key);
        }
        seq
    }
}
