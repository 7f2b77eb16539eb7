//! Tags on customers: sources, assignments, what a tagging call changed, counts.

use std::time::SystemTime;

use crate::time;

/// How a tag came to be on a customer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, uniffi::Enum)]
pub enum TagSource {
    /// Set by a person or the host application.
    Manual,
    /// Set by a tag rule.
    Rule,
    /// Set by a bulk import.
    Import,
}

impl From<TagSource> for scrm::TagSource {
    fn from(s: TagSource) -> Self {
        match s {
            TagSource::Manual => scrm::TagSource::Manual,
            TagSource::Rule => scrm::TagSource::Rule,
            TagSource::Import => scrm::TagSource::Import,
        }
    }
}

/// A tag on a customer.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct TagAssignment {
    /// Tag name.
    pub tag: String,
    /// When it was set.
    pub set_at: SystemTime,
    /// How it was set.
    pub source: TagSource,
}

impl From<scrm::TagAssignment> for TagAssignment {
    fn from(t: scrm::TagAssignment) -> Self {
        TagAssignment {
            tag: t.tag,
            set_at: time::from_core(t.set_at),
            source: match t.source {
                scrm::TagSource::Manual => TagSource::Manual,
                scrm::TagSource::Rule => TagSource::Rule,
                scrm::TagSource::Import => TagSource::Import,
            },
        }
    }
}

/// What a tagging call changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, uniffi::Record)]
pub struct TagReport {
    /// Customers affected.
    pub customers: u64,
    /// Tag assignments added or removed.
    pub changed: u64,
}

impl From<scrm::TagReport> for TagReport {
    fn from(r: scrm::TagReport) -> Self {
        TagReport {
            customers: r.customers,
            changed: r.changed,
        }
    }
}

/// How many customers carry a tag.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct TagCount {
    /// Tag name.
    pub tag: String,
    /// Number of live customers carrying it.
    pub customers: u64,
}

impl From<scrm::TagCount> for TagCount {
    fn from(t: scrm::TagCount) -> Self {
        TagCount {
            tag: t.tag,
            customers: t.customers,
        }
    }
}
