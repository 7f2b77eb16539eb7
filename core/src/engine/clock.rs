//! The engine clock: the system clock by default, or a manual one that tests and replays
//! set and advance. Time windows in segments (`events(purchase, 30d)`) end at this clock.

use std::sync::atomic::Ordering;

use super::Engine;
use crate::error::Result;
use crate::time::{from_micros, now_micros, to_micros, Timestamp};

/// Sentinel for "follow the system clock".
pub(super) const SYSTEM: i64 = i64::MIN;
const MICROS_PER_SECOND: i64 = 1_000_000;

impl Engine {
    /// The engine's current time.
    pub fn now(&self) -> Timestamp {
        from_micros(self.clock_micros())
    }

    /// Sets a manual clock (`Some`), or returns to the system clock (`None`).
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// let engine = scrm::Engine::in_memory();
    /// let t = Utc.with_ymd_and_hms(2026, 11, 11, 0, 0, 0).unwrap();
    /// engine.set_clock(Some(t))?;
    /// assert_eq!(engine.now(), t);
    /// # Ok::<(), scrm::Error>(())
    /// ```
    pub fn set_clock(&self, at: Option<Timestamp>) -> Result<()> {
        let micros = match at {
            Some(t) => to_micros(|| "clock".into(), t)?,
            None => SYSTEM,
        };
        self.clock.store(micros, Ordering::SeqCst);
        Ok(())
    }

    /// The time of a write that gives none: the manual clock, or the system clock exactly.
    pub(crate) fn write_time(&self) -> i64 {
        match self.clock.load(Ordering::SeqCst) {
            SYSTEM => now_micros(),
            manual => manual,
        }
    }

    /// The clock in microseconds. The system clock is read to the whole second, so timed
    /// segments are re-evaluated at most once a second; a manual clock is exact.
    pub(crate) fn clock_micros(&self) -> i64 {
        match self.clock.load(Ordering::SeqCst) {
            SYSTEM => now_micros().div_euclid(MICROS_PER_SECOND) * MICROS_PER_SECOND,
            manual => manual,
        }
    }
}
