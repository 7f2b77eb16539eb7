//! The plain objects that cross the boundary, one file per area of the core API. Inputs
//! convert into core types with field paths like the core's own (`customers[2].at`);
//! outputs convert from core types. Nothing here decides anything the core decides.

pub mod attribute;
pub mod config;
pub mod customer;
pub mod event;
pub mod graph;
pub mod merge;
pub mod segment;
pub mod stats;
pub mod tags;
pub mod time;

use crate::errors::invalid;

/// Largest integer a JavaScript number holds exactly (2^53 − 1).
pub const MAX_SAFE_INTEGER: u64 = 9_007_199_254_740_991;

/// A count for JavaScript. Counts are numbers: they are exact up to 2^53 − 1, far beyond
/// any number of customers, events or tags one engine holds.
pub fn count(n: u64) -> f64 {
    n as f64
}

/// A non-negative integer argument (an offset, a limit, a conflict id).
pub fn whole(field: &str, n: f64) -> scrm::Result<u64> {
    if n.fract() == 0.0 && (0.0..=MAX_SAFE_INTEGER as f64).contains(&n) {
        Ok(n as u64)
    } else {
        Err(invalid(
            field,
            format!("{n} is not an integer between 0 and 2^53 - 1"),
        ))
    }
}

/// A non-negative integer argument the core takes as `u32` (hops, depth, days, percents).
pub fn small(field: &str, n: f64) -> scrm::Result<u32> {
    let n = whole(field, n)?;
    u32::try_from(n).map_err(|_| invalid(field, format!("{n} is more than 2^32 - 1")))
}
