//! Sizes of the engine's contents.

use napi_derive::napi;

use super::count;

/// Sizes of the engine's contents.
#[napi(object, object_from_js = false)]
pub struct Stats {
    /// Live customer profiles.
    pub customers: f64,
    /// Profiles merged into others.
    pub merged: f64,
    /// Identities.
    pub identities: f64,
    /// Events.
    pub events: f64,
    /// Open identity conflicts.
    pub open_conflicts: f64,
    /// Bytes the tag bitmaps take (serialised roaring size).
    pub tag_index_bytes: f64,
    /// Stored edges of the relationship graph (a mutual edge counts twice).
    pub edges: f64,
    /// Bytes the cached CSR snapshots of the graph take.
    pub graph_snapshot_bytes: f64,
}

impl From<scrm::Stats> for Stats {
    fn from(s: scrm::Stats) -> Self {
        Stats {
            customers: count(s.customers),
            merged: count(s.merged),
            identities: count(s.identities),
            events: count(s.events),
            open_conflicts: count(s.open_conflicts),
            tag_index_bytes: count(s.tag_index_bytes),
            edges: count(s.edges),
            graph_snapshot_bytes: count(s.graph_snapshot_bytes),
        }
    }
}
