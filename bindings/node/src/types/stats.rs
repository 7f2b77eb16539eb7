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
}

impl From<scrm::Stats> for Stats {
    fn from(s: scrm::Stats) -> Self {
        Stats {
            customers: count(s.customers),
            merged: count(s.merged),
            identities: count(s.identities),
            events: count(s.events),
            open_conflicts: count(s.open_conflicts),
        }
    }
}
