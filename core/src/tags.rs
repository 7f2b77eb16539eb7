//! Tags: labels on customers (`vip`, `interest:travel`), with when and how they were set.

use serde::{Deserialize, Serialize};

use crate::error::{invalid, Result};
use crate::time::Timestamp;

/// Longest tag name, in bytes.
pub const MAX_TAG_LEN: usize = 128;

/// How a tag came to be on a customer.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum TagSource {
    /// Set by a person or the host application.
    #[default]
    Manual,
    /// Set by a tag rule.
    Rule,
    /// Set by a bulk import.
    Import,
}

impl TagSource {
    /// The name stored on disk.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            TagSource::Manual => "manual",
            TagSource::Rule => "rule",
            TagSource::Import => "import",
        }
    }

    /// Parses a stored name.
    pub(crate) fn parse(s: &str) -> Option<Self> {
        [Self::Manual, Self::Rule, Self::Import]
            .into_iter()
            .find(|source| source.as_str() == s)
    }
}

/// A tag on a customer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TagAssignment {
    /// Tag name.
    pub tag: String,
    /// When it was set.
    pub set_at: Timestamp,
    /// How it was set.
    pub source: TagSource,
}

/// When and how a tag was set, as stored on a profile.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub(crate) struct TagMeta {
    #[serde(rename = "t")]
    pub set_at: i64,
    #[serde(rename = "s")]
    pub source: TagSource,
}

/// What a tagging call changed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TagReport {
    /// Customers affected.
    pub customers: u64,
    /// Tag assignments added or removed.
    pub changed: u64,
}

/// Checks a tag name: 1 to 128 bytes of letters (any script), digits, `_`, `-`, `.` and `:`,
/// such as `vip`, `interest:travel` or `兴趣:旅游`. Tags are case-sensitive.
pub(crate) fn check_tag(field: &str, tag: &str) -> Result<()> {
    if tag.is_empty() || tag.len() > MAX_TAG_LEN {
        return Err(invalid(
            field,
            format!("tag must be 1 to {MAX_TAG_LEN} bytes"),
        ));
    }
    if let Some(bad) = tag
        .chars()
        .find(|c| !(c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | ':')))
    {
        return Err(invalid(
            field,
            format!("tag {tag:?} has {bad:?}; use letters, digits, '_', '-', '.' or ':'"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tag_names() {
        for ok in ["vip", "interest:travel", "兴趣:旅游", "spend.high-2026"] {
            assert!(check_tag("tags[0]", ok).is_ok(), "{ok}");
        }
        for bad in ["", "a b", "x/y", &"t".repeat(129)] {
            assert_eq!(
                check_tag("tags[0]", bad).unwrap_err().field(),
                Some("tags[0]")
            );
        }
    }
}
