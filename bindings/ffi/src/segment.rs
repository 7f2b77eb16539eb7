//! Segment results: pages, explanations, saved segments, tag rules, their changes, and
//! [`format_segment`].

use crate::errors::Result;

/// A page of a segment's members.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct SegmentPage {
    /// Number of members in the whole segment.
    pub total: u64,
    /// Ids of the members on this page, in creation order.
    pub ids: Vec<String>,
}

impl From<scrm::SegmentPage> for SegmentPage {
    fn from(p: scrm::SegmentPage) -> Self {
        SegmentPage {
            total: p.total,
            ids: p.ids,
        }
    }
}

/// One node of an explained expression.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct ExplainStep {
    /// Nesting depth (0 for the whole expression).
    pub depth: u32,
    /// The node: `and`, `or`, `not`, or the predicate.
    pub node: String,
    /// Whether the customer satisfies this node.
    pub matched: bool,
    /// The customer's value the predicate looked at (empty for `and`/`or`/`not`).
    pub observed: String,
}

/// Why a customer is or is not in a segment.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
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

impl From<scrm::Explanation> for Explanation {
    fn from(e: scrm::Explanation) -> Self {
        Explanation {
            customer: e.customer,
            expression: e.expression,
            matched: e.matched,
            steps: e
                .steps
                .into_iter()
                .map(|s| ExplainStep {
                    depth: s.depth,
                    node: s.node,
                    matched: s.matched,
                    observed: s.observed,
                })
                .collect(),
        }
    }
}

/// A saved segment.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct SavedSegmentInfo {
    /// Name.
    pub name: String,
    /// Expression in canonical form.
    pub expression: String,
    /// Current number of members.
    pub members: u64,
    /// Whether membership moves with the clock.
    pub timed: bool,
}

impl From<scrm::SavedSegmentInfo> for SavedSegmentInfo {
    fn from(s: scrm::SavedSegmentInfo) -> Self {
        SavedSegmentInfo {
            name: s.name,
            expression: s.expression,
            members: s.members,
            timed: s.timed,
        }
    }
}

/// A tag rule: the tag is on exactly the customers matching the expression.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct TagRuleInfo {
    /// The tag it sets.
    pub tag: String,
    /// Expression in canonical form.
    pub expression: String,
    /// Current number of matching customers.
    pub members: u64,
    /// Whether membership moves with the clock.
    pub timed: bool,
}

impl From<scrm::TagRuleInfo> for TagRuleInfo {
    fn from(r: scrm::TagRuleInfo) -> Self {
        TagRuleInfo {
            tag: r.tag,
            expression: r.expression,
            members: r.members,
            timed: r.timed,
        }
    }
}

/// Who entered and who left a saved segment since its last checkpoint.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct SegmentChanges {
    /// Members now who were not at the checkpoint.
    pub entered: Vec<String>,
    /// Members at the checkpoint who are not now.
    pub left: Vec<String>,
}

impl From<scrm::SegmentChanges> for SegmentChanges {
    fn from(c: scrm::SegmentChanges) -> Self {
        SegmentChanges {
            entered: c.entered,
            left: c.left,
        }
    }
}

/// A segment expression in canonical form, e.g. `formatSegment("tag(vip)and age>=18")` is
/// `tag(vip) and age >= 18`. Throws `SegmentSyntax` when it does not parse.
#[uniffi::export]
pub fn format_segment(expression: String) -> Result<String> {
    Ok(scrm::format_segment(&expression)?)
}
