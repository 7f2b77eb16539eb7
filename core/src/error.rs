//! Typed errors: one enum for the engine, one for the embedded store.

use crate::segment::{SegmentError, SegmentErrorKind};

/// Result type of every fallible engine call.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in a call into the engine.
///
/// Every variant names what was wrong and where, so bindings can map it to their own idiom
/// (an exception class, an error `code`, a uniffi error case) without parsing messages.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An input value was rejected; `field` is a path such as `events[3].amount`.
    #[error("invalid {field}: {reason}")]
    Validation {
        /// Where the bad value was, as a path into the input.
        field: String,
        /// Why it was rejected.
        reason: String,
    },
    /// A customer, identity or record that the call refers to does not exist.
    #[error("{entity} not found: {key}")]
    NotFound {
        /// What kind of thing was looked up (`customer`, `conflict`...).
        entity: &'static str,
        /// The key that was looked up.
        key: String,
    },
    /// An identity already belongs to another customer and the policy forbids merging.
    #[error(
        "identity {channel}:{value} of customer {claimant} already belongs to customer {owner}"
    )]
    IdentityTaken {
        /// Channel of the identity.
        channel: String,
        /// Normalised value of the identity.
        value: String,
        /// Customer who owns the identity.
        owner: String,
        /// Customer whose update brought the identity.
        claimant: String,
    },
    /// The request contradicts the current state (e.g. resolving a conflict twice).
    #[error("conflict: {reason}")]
    Conflict {
        /// What contradicts what.
        reason: String,
    },
    /// A segment expression is wrong; carries the line and column.
    #[error("segment expression: {0}")]
    Segment(#[from] SegmentError),
    /// The embedded store failed or is not usable.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Failures of the embedded SQLite store.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// SQLite reported an error.
    #[error("sqlite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The file exists but is not a scrm store (not SQLite, or another application's database).
    #[error("{path} is not a scrm store: {reason}")]
    Foreign {
        /// The file that was opened.
        path: String,
        /// What gave it away.
        reason: String,
    },
    /// The file is a scrm store of a schema version this library does not read.
    #[error("store schema version {found} is not version {supported}, which this library reads")]
    Version {
        /// Version found in the file.
        found: i64,
        /// Newest version this library understands.
        supported: i64,
    },
    /// A record could not be encoded or decoded as JSON.
    #[error("json: {0}")]
    Json(#[source] serde_json::Error),
    /// The store holds data that breaks the engine's invariants.
    #[error("store is corrupt: {0}")]
    Corrupt(String),
    /// Another engine (in this or another process) holds the store open.
    #[error("store {0} is locked by another engine")]
    Locked(String),
}

impl Error {
    /// A stable, language-neutral code for the error: `VALIDATION`, `NOT_FOUND`, `CONFLICT`,
    /// `SEGMENT_SYNTAX`, `SEGMENT_TYPE` or `STORE`.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Validation { .. } => "VALIDATION",
            Error::NotFound { .. } => "NOT_FOUND",
            Error::IdentityTaken { .. } | Error::Conflict { .. } => "CONFLICT",
            Error::Segment(e) => match e.kind {
                SegmentErrorKind::Syntax => "SEGMENT_SYNTAX",
                SegmentErrorKind::Type => "SEGMENT_TYPE",
                SegmentErrorKind::UnknownSegment | SegmentErrorKind::UnknownCustomer => "NOT_FOUND",
                SegmentErrorKind::Cycle => "CONFLICT",
            },
            Error::Store(_) => "STORE",
        }
    }

    /// The input path of a validation error, if this is one.
    pub fn field(&self) -> Option<&str> {
        match self {
            Error::Validation { field, .. } => Some(field),
            _ => None,
        }
    }
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        Error::Store(StoreError::Sqlite(e))
    }
}

/// Shorthand for a validation error.
pub(crate) fn invalid(field: impl Into<String>, reason: impl Into<String>) -> Error {
    Error::Validation {
        field: field.into(),
        reason: reason.into(),
    }
}

/// Shorthand for a missing customer.
pub(crate) fn unknown_customer(id: &str) -> Error {
    Error::NotFound {
        entity: "customer",
        key: id.to_string(),
    }
}
