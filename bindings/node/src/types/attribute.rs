//! Attribute and property values: `string | number | bigint | boolean | Date | string[]`.
//!
//! In: a number that is an integer within ±(2^53 − 1) becomes an int, any other number a
//! float; a `bigint` becomes an int (it must fit in 64 bits). Out: ints within ±(2^53 − 1)
//! are numbers, larger ones `bigint`s, so no value changes on the way back.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use napi::bindgen_prelude::{
    i64n, Either6, FromNapiValue, ToNapiValue, TypeName, ValidateNapiValue,
};
use napi::{sys, JsValue, Unknown, ValueType};
use napi_derive::napi;

use super::time::type_name;
use crate::errors::invalid;

/// Largest integer a JavaScript number holds exactly.
const MAX_SAFE: f64 = 9_007_199_254_740_991.0;

/// An attribute value as JavaScript sees it.
#[napi(js_name = "AttributeValue")]
#[allow(dead_code)] // declares the TypeScript type only
pub type AttributeValueTs = Either6<String, f64, i64n, bool, DateTime<Utc>, Vec<String>>;

/// An attribute value crossing the boundary; `Bad` holds what was wrong with the input.
#[derive(Clone, Debug)]
pub enum AttributeValue {
    /// A valid value.
    Value(scrm::AttributeValue),
    /// Input the core has no type for, with the reason.
    Bad(String),
}

impl AttributeValue {
    /// The core value, or a validation error at `field`.
    fn to_core(&self, field: impl FnOnce() -> String) -> scrm::Result<scrm::AttributeValue> {
        match self {
            AttributeValue::Value(v) => Ok(v.clone()),
            AttributeValue::Bad(reason) => Err(invalid(field(), reason.clone())),
        }
    }
}

/// Converts a map of input values; errors name `{prefix}.{key}`.
pub fn to_core_map(
    map: &Option<HashMap<String, AttributeValue>>,
    prefix: impl Fn() -> String,
) -> scrm::Result<BTreeMap<String, scrm::AttributeValue>> {
    map.iter()
        .flatten()
        .map(|(k, v)| Ok((k.clone(), v.to_core(|| format!("{}.{k}", prefix()))?)))
        .collect()
}

/// Converts a map of core values for output.
pub fn from_core_map(
    map: BTreeMap<String, scrm::AttributeValue>,
) -> BTreeMap<String, AttributeValue> {
    map.into_iter()
        .map(|(k, v)| (k, AttributeValue::Value(v)))
        .collect()
}

impl TypeName for AttributeValue {
    fn type_name() -> &'static str {
        "AttributeValue"
    }

    fn value_type() -> ValueType {
        ValueType::Unknown
    }
}

impl ValidateNapiValue for AttributeValue {}

impl FromNapiValue for AttributeValue {
    unsafe fn from_napi_value(env: sys::napi_env, value: sys::napi_value) -> napi::Result<Self> {
        // SAFETY: napi hands us a live value of this env; each cast matches the checked type.
        let unknown = unsafe { Unknown::from_raw_unchecked(env, value) };
        let kind = unknown.get_type()?;
        let v = match kind {
            ValueType::String => scrm::AttributeValue::String(unsafe { unknown.cast()? }),
            ValueType::Boolean => scrm::AttributeValue::Bool(unsafe { unknown.cast()? }),
            ValueType::Number => number(unsafe { unknown.cast()? }),
            ValueType::BigInt => {
                let (mut int, mut lossless) = (0i64, false);
                napi::check_status!(unsafe {
                    sys::napi_get_value_bigint_int64(env, value, &mut int, &mut lossless)
                })?;
                if !lossless {
                    return Ok(AttributeValue::Bad("bigint does not fit in 64 bits".into()));
                }
                scrm::AttributeValue::Int(int)
            }
            ValueType::Object if unknown.is_date()? => {
                let mut ms = 0.0;
                napi::check_status!(unsafe { sys::napi_get_date_value(env, value, &mut ms) })?;
                match DateTime::from_timestamp_millis(ms as i64).filter(|_| ms.is_finite()) {
                    Some(t) => scrm::AttributeValue::Time(t),
                    None => return Ok(AttributeValue::Bad("invalid Date".into())),
                }
            }
            ValueType::Object if unknown.is_array()? => {
                match unsafe { Vec::<napi::Either<String, Unknown>>::from_napi_value(env, value)? }
                    .into_iter()
                    .map(|item| match item {
                        napi::Either::A(s) => Some(s),
                        napi::Either::B(_) => None,
                    })
                    .collect::<Option<Vec<String>>>()
                {
                    Some(list) => scrm::AttributeValue::List(list),
                    None => return Ok(AttributeValue::Bad("lists hold strings only".into())),
                }
            }
            other => {
                return Ok(AttributeValue::Bad(format!(
                    "expected a string, number, bigint, boolean, Date or string[], got {}",
                    type_name(other)
                )))
            }
        };
        Ok(AttributeValue::Value(v))
    }
}

/// An integer-valued number within the safe range is an int; anything else a float.
fn number(n: f64) -> scrm::AttributeValue {
    if n.fract() == 0.0 && n.abs() <= MAX_SAFE {
        scrm::AttributeValue::Int(n as i64)
    } else {
        scrm::AttributeValue::Float(n)
    }
}

impl ToNapiValue for AttributeValue {
    unsafe fn to_napi_value(env: sys::napi_env, value: Self) -> napi::Result<sys::napi_value> {
        let value = match value {
            AttributeValue::Value(v) => v,
            AttributeValue::Bad(reason) => {
                return Err(napi::Error::new(napi::Status::InvalidArg, reason))
            }
        };
        // SAFETY: each arm hands a Rust value to its own napi conversion.
        unsafe {
            match value {
                scrm::AttributeValue::String(s) => String::to_napi_value(env, s),
                scrm::AttributeValue::Int(i) if i.unsigned_abs() <= MAX_SAFE as u64 => {
                    f64::to_napi_value(env, i as f64)
                }
                scrm::AttributeValue::Int(i) => i64n::to_napi_value(env, i64n(i)),
                scrm::AttributeValue::Float(f) => f64::to_napi_value(env, f),
                scrm::AttributeValue::Bool(b) => bool::to_napi_value(env, b),
                scrm::AttributeValue::Time(t) => DateTime::<Utc>::to_napi_value(env, t),
                scrm::AttributeValue::List(l) => Vec::<String>::to_napi_value(env, l),
            }
        }
    }
}
