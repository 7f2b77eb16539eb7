//! Errors in segment expressions, always with the line and column they point at.

use std::fmt;

use super::lexer::Span;

/// What kind of mistake a segment expression holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SegmentErrorKind {
    /// The text does not follow the grammar.
    Syntax,
    /// A comparison does not fit the attribute's values (`attr.city > 3` on strings).
    Type,
    /// A `segment:` reference names no saved segment.
    UnknownSegment,
    /// A customer named in the expression (`within 2 hops of "c-42"`) does not exist.
    UnknownCustomer,
    /// Saved segments or tag rules would depend on themselves.
    Cycle,
}

/// A mistake in a segment expression, with where it is.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct SegmentError {
    /// What kind of mistake.
    pub kind: SegmentErrorKind,
    /// What is wrong, in words.
    pub message: String,
    /// 1-based line of the offending token.
    pub line: u32,
    /// 1-based column (in characters) of the offending token.
    pub column: u32,
}

impl SegmentError {
    pub(crate) fn at(kind: SegmentErrorKind, span: Span, message: impl Into<String>) -> Self {
        SegmentError {
            kind,
            message: message.into(),
            line: span.line,
            column: span.column,
        }
    }

    pub(crate) fn syntax(span: Span, message: impl Into<String>) -> Self {
        SegmentError::at(SegmentErrorKind::Syntax, span, message)
    }
}

impl fmt::Display for SegmentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} at line {}, column {}",
            self.message, self.line, self.column
        )
    }
}
