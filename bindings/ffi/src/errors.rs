//! The one error type of the binding: a case per stable error code of the core
//! (`VALIDATION`, `NOT_FOUND`, `CONFLICT`, `SEGMENT_SYNTAX`, `SEGMENT_TYPE`, `STORE`), each with
//! the core's message as `reason` and the details it gives (`field`, `line`, `column`).
//! Kotlin sees `ScrmException.Validation` and so on; Swift `ScrmError.Validation`.
//!
//! The message field is called `reason`, not `message`: a field named `message` clashes with
//! `Throwable.message` in the generated Kotlin.

use scrm::SegmentErrorKind;

/// An error from the engine.
#[derive(Debug, thiserror::Error, uniffi::Error)]
pub enum ScrmError {
    /// `VALIDATION`: an input value was rejected.
    #[error("{reason}")]
    Validation {
        /// What is wrong.
        reason: String,
        /// Where the bad value was, as a path into the input (`events[3].amount`).
        field: String,
    },
    /// `NOT_FOUND`: a customer, conflict, saved segment, tag rule, invite code, referral,
    /// ladder or built-in ladder does not exist, or no churn model was fitted yet.
    #[error("{reason}")]
    NotFound {
        /// What was not found.
        reason: String,
        /// Line of a segment expression naming an unknown saved segment.
        line: Option<u32>,
        /// Column of that reference.
        column: Option<u32>,
    },
    /// `CONFLICT`: the request contradicts the current state (an identity owned by another
    /// customer under the `reject` policy, a conflict resolved twice, a segment cycle, a
    /// second referrer for a customer, spending more points than are spendable, approving
    /// a voided referral).
    #[error("{reason}")]
    Conflict {
        /// What contradicts what.
        reason: String,
        /// Line of a segment expression that would close a cycle.
        line: Option<u32>,
        /// Column of that reference.
        column: Option<u32>,
    },
    /// `SEGMENT_SYNTAX`: a segment expression does not parse.
    #[error("{reason}")]
    SegmentSyntax {
        /// What is wrong.
        reason: String,
        /// 1-based line of the offending token.
        line: u32,
        /// 1-based column (in characters) of the offending token.
        column: u32,
    },
    /// `SEGMENT_TYPE`: a segment expression parses but compares values of the wrong type.
    #[error("{reason}")]
    SegmentType {
        /// What is wrong.
        reason: String,
        /// 1-based line of the offending token.
        line: u32,
        /// 1-based column (in characters) of the offending token.
        column: u32,
    },
    /// `STORE`: the embedded store failed or is not usable (locked, foreign, corrupt).
    #[error("{reason}")]
    Store {
        /// What failed.
        reason: String,
    },
}

/// Result of every fallible call of the binding.
pub type Result<T, E = ScrmError> = std::result::Result<T, E>;

/// A validation error raised while converting input, named like the core names fields.
pub fn invalid(field: impl Into<String>, reason: impl Into<String>) -> ScrmError {
    let field = field.into();
    ScrmError::Validation {
        reason: format!("invalid {field}: {}", reason.into()),
        field,
    }
}

impl From<scrm::SegmentError> for ScrmError {
    fn from(e: scrm::SegmentError) -> Self {
        ScrmError::from(scrm::Error::Segment(e))
    }
}

impl From<scrm::Error> for ScrmError {
    fn from(error: scrm::Error) -> Self {
        let reason = error.to_string();
        match error {
            scrm::Error::Validation { field, .. } => ScrmError::Validation { reason, field },
            scrm::Error::NotFound { .. } => ScrmError::NotFound {
                reason,
                line: None,
                column: None,
            },
            scrm::Error::Segment(e) => {
                let (line, column) = (e.line, e.column);
                match e.kind {
                    SegmentErrorKind::Syntax => ScrmError::SegmentSyntax {
                        reason,
                        line,
                        column,
                    },
                    SegmentErrorKind::Type => ScrmError::SegmentType {
                        reason,
                        line,
                        column,
                    },
                    SegmentErrorKind::UnknownSegment | SegmentErrorKind::UnknownCustomer => {
                        ScrmError::NotFound {
                            reason,
                            line: Some(line),
                            column: Some(column),
                        }
                    }
                    SegmentErrorKind::Cycle => ScrmError::Conflict {
                        reason,
                        line: Some(line),
                        column: Some(column),
                    },
                    // A kind added to the core later: fall back on its stable code.
                    #[allow(unreachable_patterns)]
                    _ => ScrmError::SegmentSyntax {
                        reason,
                        line,
                        column,
                    },
                }
            }
            scrm::Error::Store(_) => ScrmError::Store { reason },
            // IdentityTaken, Conflict, and any variant added later, by the core's code.
            other => match other.code() {
                "VALIDATION" => ScrmError::Validation {
                    reason,
                    field: other.field().unwrap_or_default().to_string(),
                },
                "NOT_FOUND" => ScrmError::NotFound {
                    reason,
                    line: None,
                    column: None,
                },
                "STORE" => ScrmError::Store { reason },
                _ => ScrmError::Conflict {
                    reason,
                    line: None,
                    column: None,
                },
            },
        }
    }
}
