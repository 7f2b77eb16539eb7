//! Engine errors as JavaScript `Error` objects: a stable `code` (`VALIDATION`, `NOT_FOUND`,
//! `CONFLICT`, `SEGMENT_SYNTAX`, `SEGMENT_TYPE`, `STORE`) and the details the core gives
//! (`field` for validation errors, `line` and `column` for segment errors). Their
//! TypeScript shape (`ScrmError`) is in `header.d.ts`, the head of `index.d.ts`.

use napi::bindgen_prelude::{JsObjectValue, JsValue, Object};
use napi::Env;

/// A validation error raised while converting JavaScript input, with the same kind of
/// path (`events[3].at`) the core uses.
pub fn invalid(field: impl Into<String>, reason: impl Into<String>) -> scrm::Error {
    scrm::Error::Validation {
        field: field.into(),
        reason: reason.into(),
    }
}

/// Maps a core result, turning its error into a JavaScript one.
pub fn check<T>(env: &Env, result: scrm::Result<T>) -> napi::Result<T> {
    result.map_err(|e| js_error(env, e))
}

/// Converts a core error into the JavaScript error that will be thrown or rejected.
pub fn js_error(env: &Env, error: scrm::Error) -> napi::Error {
    let message = error.to_string();
    detailed(env, &error, &message).unwrap_or_else(|_| napi::Error::from_reason(message))
}

/// The error for calls on a closed engine: `STORE`, as for any store that is not usable.
pub fn closed(env: &Env) -> napi::Error {
    let message = "engine is closed";
    coded(env, "STORE", message)
        .map(|object| napi::Error::from(object.to_unknown()))
        .unwrap_or_else(|_| napi::Error::from_reason(message))
}

/// `new Error(message)` with `code` and the details set as own properties.
fn detailed(env: &Env, error: &scrm::Error, message: &str) -> napi::Result<napi::Error> {
    let mut object = coded(env, error.code(), message)?;
    if let Some(field) = error.field() {
        object.set_named_property("field", field)?;
    }
    if let scrm::Error::Segment(segment) = error {
        object.set_named_property("line", segment.line)?;
        object.set_named_property("column", segment.column)?;
    }
    Ok(napi::Error::from(object.to_unknown()))
}

/// `new Error(message)` with `code` set.
fn coded<'env>(env: &'env Env, code: &str, message: &str) -> napi::Result<Object<'env>> {
    let error = napi::Error::new(napi::Status::GenericFailure, message.to_string());
    let mut object = env.create_error(error)?;
    object.set_named_property("code", code)?;
    Ok(object)
}
