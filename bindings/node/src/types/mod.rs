//! The plain objects that cross the boundary, one file per area of the core API. Inputs
//! convert into core types with field paths like the core's own (`customers[2].at`);
//! outputs convert from core types. Nothing here decides anything the core decides.

pub mod attribute;
pub mod config;
pub mod customer;
pub mod event;
pub mod graph;
pub mod lifecycle;
pub mod merge;
pub mod models;
pub mod reader;
pub mod referral;
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

/// A number of points for the core (`i64`). Points are `number`s: the core caps every
/// reward and every cap at `MAX_POINTS` (10^12), far inside the 2^53 − 1 a number holds
/// exactly, so only a non-integral or unsafe number is refused here; the core checks the
/// range.
pub fn points_in(field: &str, n: f64) -> scrm::Result<i64> {
    if n.fract() == 0.0 && n.abs() <= MAX_SAFE_INTEGER as f64 {
        Ok(n as i64)
    } else {
        Err(invalid(
            field,
            format!("{n} is not an integer within ±(2^53 - 1)"),
        ))
    }
}

/// Points for JavaScript: exact, as balances stay far below 2^53 − 1 (see [`points_in`]).
pub fn points(n: i64) -> f64 {
    n as f64
}
