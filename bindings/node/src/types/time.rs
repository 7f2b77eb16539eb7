//! Times: `Date` objects out, `Date` objects or RFC 3339 strings in.
//!
//! The core keeps microseconds; a `Date` holds milliseconds, so times read back as `Date`s
//! are truncated to the millisecond. Strings keep their full precision on the way in.

use chrono::{DateTime, Utc};
use napi::bindgen_prelude::{Either, FromNapiValue, TypeName, ValidateNapiValue};
use napi::{sys, JsValue, Unknown, ValueType};
use napi_derive::napi;

use crate::errors::invalid;

/// A time given by JavaScript: `Date | string`.
#[napi(js_name = "DateInput")]
#[allow(dead_code)] // declares the TypeScript type only
pub type DateInputTs = Either<DateTime<Utc>, String>;

/// A time as JavaScript gave it, checked when converted with its field path.
#[derive(Clone, Debug)]
pub enum DateInput {
    /// A `Date`, as milliseconds since the epoch (`NaN` for an invalid date).
    Millis(f64),
    /// A string, to be read as RFC 3339.
    Text(String),
    /// Anything else, named by its JavaScript type.
    Other(&'static str),
}

impl DateInput {
    /// The instant, or a validation error naming `field`.
    pub fn to_core(&self, field: impl FnOnce() -> String) -> scrm::Result<scrm::Timestamp> {
        match self {
            DateInput::Millis(ms) if ms.is_finite() => DateTime::from_timestamp_millis(*ms as i64)
                .ok_or_else(|| invalid(field(), format!("date {ms}ms is out of range"))),
            DateInput::Millis(_) => Err(invalid(field(), "invalid Date")),
            DateInput::Text(text) => DateTime::parse_from_rfc3339(text)
                .map(|t| t.with_timezone(&Utc))
                .map_err(|e| invalid(field(), format!("{text:?} is not an RFC 3339 time: {e}"))),
            DateInput::Other(kind) => Err(invalid(
                field(),
                format!("expected a Date or an RFC 3339 string, got {kind}"),
            )),
        }
    }
}

/// Converts an optional time.
pub fn optional(
    at: &Option<DateInput>,
    field: impl FnOnce() -> String,
) -> scrm::Result<Option<scrm::Timestamp>> {
    at.as_ref().map(|t| t.to_core(field)).transpose()
}

impl TypeName for DateInput {
    fn type_name() -> &'static str {
        "DateInput"
    }

    fn value_type() -> ValueType {
        ValueType::Unknown
    }
}

impl ValidateNapiValue for DateInput {}

impl FromNapiValue for DateInput {
    unsafe fn from_napi_value(env: sys::napi_env, value: sys::napi_value) -> napi::Result<Self> {
        // SAFETY: napi hands us a live value of this env.
        let unknown = unsafe { Unknown::from_raw_unchecked(env, value) };
        Ok(match unknown.get_type()? {
            ValueType::String => DateInput::Text(unsafe { String::from_napi_value(env, value)? }),
            ValueType::Object if unknown.is_date()? => {
                let mut ms = 0.0;
                napi::check_status!(unsafe { sys::napi_get_date_value(env, value, &mut ms) })?;
                DateInput::Millis(ms)
            }
            other => DateInput::Other(type_name(other)),
        })
    }
}

/// The `typeof`-style name of a JavaScript value type, for messages.
pub fn type_name(kind: ValueType) -> &'static str {
    match kind {
        ValueType::Undefined => "undefined",
        ValueType::Null => "null",
        ValueType::Boolean => "boolean",
        ValueType::Number => "number",
        ValueType::String => "string",
        ValueType::Symbol => "symbol",
        ValueType::Object => "object",
        ValueType::Function => "function",
        ValueType::External => "external",
        ValueType::BigInt => "bigint",
        _ => "unknown",
    }
}
