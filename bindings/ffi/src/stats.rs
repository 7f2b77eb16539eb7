//! Sizes of the engine's contents.

/// Sizes of the engine's contents.
#[derive(Clone, Copy, Debug, PartialEq, Eq, uniffi::Record)]
pub struct Stats {
    /// Live customer profiles.
    pub customers: u64,
    /// Profiles merged into others.
    pub merged: u64,
    /// Identities.
    pub identities: u64,
    /// Events.
    pub events: u64,
    /// Open identity conflicts.
    pub open_conflicts: u64,
    /// Bytes the tag bitmaps take (serialised roaring size).
    pub tag_index_bytes: u64,
    /// Stored edges of the relationship graph (a mutual edge counts twice).
    pub edges: u64,
    /// Bytes the cached CSR snapshots of the graph take.
    pub graph_snapshot_bytes: u64,
}

impl From<scrm::Stats> for Stats {
    fn from(s: scrm::Stats) -> Self {
        Stats {
            customers: s.customers,
            merged: s.merged,
            identities: s.identities,
            events: s.events,
            open_conflicts: s.open_conflicts,
            tag_index_bytes: s.tag_index_bytes,
            edges: s.edges,
            graph_snapshot_bytes: s.graph_snapshot_bytes,
        }
    }
}
