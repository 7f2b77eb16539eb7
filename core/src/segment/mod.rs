//! The segment language: parse, check and evaluate audience expressions over the engine state.
//!
//! ```text
//! tag:vip and attr.city in ("Shanghai", "Beijing") and events(purchase, 30d) >= 2
//! not last_seen within 90d or segment:high_value
//! ```
//! See the README's "Segment language" section for every form.

mod ast;
mod error;
mod lexer;
mod parser;
mod predicate;
mod predicates;
mod saved;
mod set;
#[cfg(test)]
mod tests;

pub use ast::ExplainStep;
pub(crate) use ast::Expr;
pub use error::{SegmentError, SegmentErrorKind};
pub use parser::MAX_EXPRESSION_LEN;
pub(crate) use predicate::{Ctx, Deps, TypeMask};
pub(crate) use saved::{describe, reads, LiveNode, NodeKey, SavedSegments, NEVER};
pub(crate) use set::Members;

use serde::{Deserialize, Serialize};

/// Parses an expression and returns it in canonical form (lower-case keywords, single
/// spaces, the fewest parentheses), or the first mistake with its line and column.
///
/// ```
/// let canonical = scrm::format_segment("TAG:vip AND (attr.age >= 30)").unwrap();
/// assert_eq!(canonical, "tag:vip and attr.age >= 30");
/// let err = scrm::format_segment("tag:vip and").unwrap_err();
/// assert_eq!((err.line, err.column), (1, 12));
/// ```
pub fn format_segment(text: &str) -> Result<String, SegmentError> {
    Ok(parser::parse(text)?.to_string())
}

/// Parses an expression into its tree.
pub(crate) fn parse(text: &str) -> Result<Expr, SegmentError> {
    parser::parse(text)
}

/// A page of a segment's members.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SegmentPage {
    /// Number of members in the whole segment.
    pub total: u64,
    /// External ids of the members on this page, in index (creation) order.
    pub ids: Vec<String>,
}

/// A page of a segment's members with their ids packed end to end into one string, for
/// bindings that hand ids on as one column (Arrow's large utf8 layout) without a `String`
/// per member: id `i` is `text[offsets[i] as usize..offsets[i + 1] as usize]`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackedPage {
    /// Number of members in the whole segment.
    pub total: u64,
    /// Where each id starts in `text`, and then where the last one ends: one more than the
    /// ids, starting at 0.
    pub offsets: Vec<i64>,
    /// The ids, in index (creation) order, end to end.
    pub text: String,
}

impl PackedPage {
    /// Number of ids on the page.
    pub fn len(&self) -> usize {
        self.offsets.len() - 1
    }

    /// Whether the page holds no id.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Id `i`, if on the page.
    pub fn get(&self, i: usize) -> Option<&str> {
        let (start, end) = (*self.offsets.get(i)?, *self.offsets.get(i + 1)?);
        self.text.get(start as usize..end as usize)
    }
}

/// Why a customer is or is not in a segment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Explanation {
    /// The customer (survivor id).
    pub customer: String,
    /// The expression in canonical form.
    pub expression: String,
    /// Whether the customer is in the segment.
    pub matched: bool,
    /// Every node of the expression, depth first, with its verdict.
    pub steps: Vec<ExplainStep>,
}
