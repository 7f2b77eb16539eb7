//! Tags on customers: sources, assignments, what a tagging call changed, counts.

use chrono::{DateTime, Utc};
use napi_derive::napi;

use super::count;

/// How a tag came to be on a customer.
#[napi(string_enum = "snake_case")]
pub enum TagSource {
    /// Set by a person or the host application (the default).
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
#[napi(object, object_from_js = false)]
pub struct TagAssignment {
    /// Tag name.
    pub tag: String,
    /// When it was set.
    pub set_at: DateTime<Utc>,
    /// How it was set.
    pub source: TagSource,
}

impl From<scrm::TagAssignment> for TagAssignment {
    fn from(t: scrm::TagAssignment) -> Self {
        TagAssignment {
            tag: t.tag,
            set_at: t.set_at,
            source: match t.source {
                scrm::TagSource::Manual => TagSource::Manual,
                scrm::TagSource::Rule => TagSource::Rule,
                scrm::TagSource::Import => TagSource::Import,
            },
        }
    }
}

/// What a tagging call changed.
#[napi(object, object_from_js = false)]
pub struct TagReport {
    /// Customers affected.
    pub customers: f64,
    /// Tag assignments added or removed.
    pub changed: f64,
}

impl From<scrm::TagReport> for TagReport {
    fn from(r: scrm::TagReport) -> Self {
        TagReport {
            customers: count(r.customers),
            changed: count(r.changed),
        }
    }
}

/// How many customers carry a tag.
#[napi(object, object_from_js = false)]
pub struct TagCount {
    /// Tag name.
    pub tag: String,
    /// Number of live customers carrying it.
    pub customers: f64,
}

impl From<scrm::TagCount> for TagCount {
    fn from(t: scrm::TagCount) -> Self {
        TagCount {
            tag: t.tag,
            customers: count(t.customers),
        }
    }
}
