//! Typed attribute values of a customer profile, and the per-attribute time they were set.

use std::cmp::Ordering;

use serde::{Deserialize, Serialize};

use crate::error::{invalid, Result};
use crate::time::{to_micros, Timestamp};

/// Longest string attribute (or list item), in bytes.
pub const MAX_STRING_LEN: usize = 65_536;

/// A typed attribute value.
///
/// In JSON (scenarios, bindings) values are written naturally: `"Shanghai"`, `30`, `1.5`,
/// `true`, `["a", "b"]`, and a timestamp as `{"time": "2026-01-02T03:04:05Z"}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(from = "Repr", into = "Repr")]
pub enum AttributeValue {
    /// UTF-8 text.
    String(String),
    /// A signed 64-bit integer.
    Int(i64),
    /// A finite float (NaN and infinities are rejected).
    Float(f64),
    /// A boolean.
    Bool(bool),
    /// A UTC instant.
    Time(Timestamp),
    /// A list of strings (merged with the `union` strategy).
    List(Vec<String>),
}

/// The JSON shape of [`AttributeValue`].
#[derive(Serialize, Deserialize)]
#[serde(untagged)]
enum Repr {
    Bool(bool),
    Int(i64),
    Float(f64),
    String(String),
    List(Vec<String>),
    Time { time: Timestamp },
}

impl From<Repr> for AttributeValue {
    fn from(r: Repr) -> Self {
        match r {
            Repr::Bool(b) => AttributeValue::Bool(b),
            Repr::Int(i) => AttributeValue::Int(i),
            Repr::Float(f) => AttributeValue::Float(f),
            Repr::String(s) => AttributeValue::String(s),
            Repr::List(l) => AttributeValue::List(l),
            Repr::Time { time } => AttributeValue::Time(time),
        }
    }
}

impl From<AttributeValue> for Repr {
    fn from(v: AttributeValue) -> Self {
        match v {
            AttributeValue::Bool(b) => Repr::Bool(b),
            AttributeValue::Int(i) => Repr::Int(i),
            AttributeValue::Float(f) => Repr::Float(f),
            AttributeValue::String(s) => Repr::String(s),
            AttributeValue::List(l) => Repr::List(l),
            AttributeValue::Time(time) => Repr::Time { time },
        }
    }
}

impl From<&str> for AttributeValue {
    fn from(s: &str) -> Self {
        AttributeValue::String(s.to_string())
    }
}

impl From<String> for AttributeValue {
    fn from(s: String) -> Self {
        AttributeValue::String(s)
    }
}

impl From<i64> for AttributeValue {
    fn from(i: i64) -> Self {
        AttributeValue::Int(i)
    }
}

impl From<f64> for AttributeValue {
    fn from(f: f64) -> Self {
        AttributeValue::Float(f)
    }
}

impl From<bool> for AttributeValue {
    fn from(b: bool) -> Self {
        AttributeValue::Bool(b)
    }
}

impl From<Timestamp> for AttributeValue {
    fn from(t: Timestamp) -> Self {
        AttributeValue::Time(t)
    }
}

impl From<Vec<String>> for AttributeValue {
    fn from(l: Vec<String>) -> Self {
        AttributeValue::List(l)
    }
}

impl AttributeValue {
    /// Rejects NaN and infinite floats, oversized strings and out-of-range times.
    pub(crate) fn validate(&self, field: impl Fn() -> String) -> Result<()> {
        let check_len = |s: &str| {
            if s.len() > MAX_STRING_LEN {
                Err(invalid(
                    field(),
                    format!("string longer than {MAX_STRING_LEN} bytes"),
                ))
            } else {
                Ok(())
            }
        };
        match self {
            AttributeValue::Float(f) if !f.is_finite() => {
                Err(invalid(field(), format!("float {f} is not finite")))
            }
            AttributeValue::String(s) => check_len(s),
            AttributeValue::List(items) => items.iter().try_for_each(|s| check_len(s)),
            AttributeValue::Time(t) => to_micros(&field, *t).map(drop),
            _ => Ok(()),
        }
    }

    /// True for the empty string and the empty list.
    pub fn is_empty(&self) -> bool {
        match self {
            AttributeValue::String(s) => s.is_empty(),
            AttributeValue::List(l) => l.is_empty(),
            _ => false,
        }
    }

    /// A total order over all values (by type, then value), used to break ties deterministically.
    pub(crate) fn total_cmp(&self, other: &Self) -> Ordering {
        use AttributeValue::*;
        let rank = |v: &Self| match v {
            Bool(_) => 0,
            Int(_) => 1,
            Float(_) => 2,
            String(_) => 3,
            Time(_) => 4,
            List(_) => 5,
        };
        match (self, other) {
            (Bool(a), Bool(b)) => a.cmp(b),
            (Int(a), Int(b)) => a.cmp(b),
            (Float(a), Float(b)) => a.total_cmp(b),
            (String(a), String(b)) => a.cmp(b),
            (Time(a), Time(b)) => a.cmp(b),
            (List(a), List(b)) => a.cmp(b),
            _ => rank(self).cmp(&rank(other)),
        }
    }
}

/// An attribute value together with the time it was set, kept so merges and late updates
/// can tell the newest value from the oldest.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) struct StoredAttribute {
    /// The value.
    #[serde(rename = "v")]
    pub value: AttributeValue,
    /// When it was set, in microseconds.
    #[serde(rename = "t")]
    pub set_at: i64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn json_shape_is_natural_and_round_trips() {
        let t = chrono::Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).unwrap();
        let values = vec![
            AttributeValue::from("Shanghai"),
            AttributeValue::Int(30),
            AttributeValue::Float(1.5),
            AttributeValue::Bool(true),
            AttributeValue::Time(t),
            AttributeValue::List(vec!["a".into(), "b".into()]),
        ];
        let json = serde_json::to_string(&values).unwrap();
        assert_eq!(
            json,
            r#"["Shanghai",30,1.5,true,{"time":"2026-01-02T03:04:05Z"},["a","b"]]"#
        );
        let back: Vec<AttributeValue> = serde_json::from_str(&json).unwrap();
        assert_eq!(back, values);
    }

    #[test]
    fn validation_rejects_non_finite_floats() {
        assert!(AttributeValue::Float(f64::NAN)
            .validate(|| "attributes.x".into())
            .is_err());
        assert!(AttributeValue::Float(f64::INFINITY)
            .validate(|| "a".into())
            .is_err());
        assert!(AttributeValue::Float(2.5).validate(|| "a".into()).is_ok());
        let big = AttributeValue::String("x".repeat(MAX_STRING_LEN + 1));
        assert_eq!(
            big.validate(|| "attributes.bio".into())
                .unwrap_err()
                .field(),
            Some("attributes.bio")
        );
    }

    #[test]
    fn total_order_is_consistent() {
        let a = AttributeValue::Int(3);
        let b = AttributeValue::String("3".into());
        assert_eq!(a.total_cmp(&b), b.total_cmp(&a).reverse());
        assert_eq!(a.total_cmp(&a), Ordering::Equal);
    }
}
