//! Stands in for scrm's `crate::error` in the graph benches, which compile the crate-private
//! `core/src/graph` module from source (`#[path]`) since it is not part of the public API:
//! the same `Result` and `invalid`, building scrm's own `Error::Validation`.

pub use scrm::{Error, Result};

/// Shorthand for a validation error, as in scrm.
pub fn invalid(field: impl Into<String>, reason: impl Into<String>) -> Error {
    Error::Validation {
        field: field.into(),
        reason: reason.into(),
    }
}
