//! Times: `SystemTime` across the boundary (`java.time.Instant` in Kotlin, `Date` in Swift),
//! chrono's UTC instants in the core. The core keeps microseconds and accepts 1900..3000.
//! Durations are `Duration` across the boundary (`java.time.Duration`, `TimeInterval`),
//! chrono's in the core.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use chrono::{DateTime, Utc};

use crate::errors::{invalid, Result};

/// A foreign instant as a core timestamp; an instant chrono cannot hold is a validation
/// error at `field` (the core then checks its own range).
pub fn to_core(field: impl FnOnce() -> String, t: SystemTime) -> Result<DateTime<Utc>> {
    let converted = match t.duration_since(UNIX_EPOCH) {
        Ok(after) => i64::try_from(after.as_secs())
            .ok()
            .and_then(|s| DateTime::from_timestamp(s, after.subsec_nanos())),
        Err(before) => {
            let before = before.duration();
            i64::try_from(before.as_secs()).ok().and_then(|s| {
                let (secs, nanos) = match before.subsec_nanos() {
                    0 => (-s, 0),
                    n => (-s - 1, 1_000_000_000 - n),
                };
                DateTime::from_timestamp(secs, nanos)
            })
        }
    };
    converted.ok_or_else(|| invalid(field(), "time is out of range"))
}

/// An optional foreign instant as a core timestamp.
pub fn optional(
    field: impl FnOnce() -> String,
    t: Option<SystemTime>,
) -> Result<Option<DateTime<Utc>>> {
    t.map(|t| to_core(field, t)).transpose()
}

/// A core timestamp as a foreign instant.
pub fn from_core(t: DateTime<Utc>) -> SystemTime {
    SystemTime::from(t)
}

/// A foreign duration as a core one; one chrono cannot hold is a validation error at
/// `field` (the core then checks its own bounds).
pub fn duration_to_core(field: impl FnOnce() -> String, d: Duration) -> Result<chrono::Duration> {
    chrono::Duration::from_std(d).map_err(|_| invalid(field(), "duration is out of range"))
}

/// A core duration in microseconds as a foreign one (the core's are positive; a negative
/// one would read as 0).
pub fn micros_to_duration(micros: i64) -> Duration {
    Duration::from_micros(u64::try_from(micros).unwrap_or(0))
}
