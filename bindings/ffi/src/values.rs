//! Attribute and property values: a tagged union of the core's six value types.
//!
//! The cases are named `Text`, `Integer`, `Float`, `Bool`, `Time` and `TextList` rather than
//! after Rust's types so that the generated Kotlin classes do not shadow `kotlin.String`,
//! `kotlin.Int` or `List` inside the sealed class.

use std::collections::{BTreeMap, HashMap};
use std::time::SystemTime;

use crate::errors::Result;
use crate::time;

/// A typed attribute (or event property) value.
#[derive(Clone, Debug, PartialEq, uniffi::Enum)]
pub enum AttributeValue {
    /// A string.
    Text { value: String },
    /// A 64-bit integer.
    Integer { value: i64 },
    /// A finite float.
    Float { value: f64 },
    /// A boolean.
    Bool { value: bool },
    /// An instant.
    Time { value: SystemTime },
    /// A list of strings.
    TextList { value: Vec<String> },
}

impl AttributeValue {
    /// The core value; a time chrono cannot hold is a validation error at `field`.
    fn into_core(self, field: impl FnOnce() -> String) -> Result<scrm::AttributeValue> {
        Ok(match self {
            AttributeValue::Text { value } => scrm::AttributeValue::String(value),
            AttributeValue::Integer { value } => scrm::AttributeValue::Int(value),
            AttributeValue::Float { value } => scrm::AttributeValue::Float(value),
            AttributeValue::Bool { value } => scrm::AttributeValue::Bool(value),
            AttributeValue::Time { value } => {
                scrm::AttributeValue::Time(time::to_core(field, value)?)
            }
            AttributeValue::TextList { value } => scrm::AttributeValue::List(value),
        })
    }
}

impl From<scrm::AttributeValue> for AttributeValue {
    fn from(v: scrm::AttributeValue) -> Self {
        match v {
            scrm::AttributeValue::String(value) => AttributeValue::Text { value },
            scrm::AttributeValue::Int(value) => AttributeValue::Integer { value },
            scrm::AttributeValue::Float(value) => AttributeValue::Float { value },
            scrm::AttributeValue::Bool(value) => AttributeValue::Bool { value },
            scrm::AttributeValue::Time(t) => AttributeValue::Time {
                value: time::from_core(t),
            },
            scrm::AttributeValue::List(value) => AttributeValue::TextList { value },
        }
    }
}

/// Converts a map of input values; errors name `{prefix()}.{key}` (the prefix is only
/// built for an error: batches convert one map per item, most of them empty).
pub fn to_core_map(
    map: HashMap<String, AttributeValue>,
    prefix: impl Fn() -> String,
) -> Result<BTreeMap<String, scrm::AttributeValue>> {
    map.into_iter()
        .map(|(k, v)| {
            let value = v.into_core(|| format!("{}.{k}", prefix()))?;
            Ok((k, value))
        })
        .collect()
}

/// Converts a map of core values for output.
pub fn from_core_map(
    map: BTreeMap<String, scrm::AttributeValue>,
) -> HashMap<String, AttributeValue> {
    map.into_iter().map(|(k, v)| (k, v.into())).collect()
}
