//! Timestamps: UTC instants, held internally as microseconds since the Unix epoch.

use chrono::{DateTime, Utc};

use crate::error::{invalid, Result};

/// A UTC instant. Every time in the API is one of these.
pub type Timestamp = DateTime<Utc>;

/// Earliest accepted instant: 1900-01-01T00:00:00Z.
const MIN_MICROS: i64 = -2_208_988_800_000_000;
/// First rejected instant: 3000-01-01T00:00:00Z.
const END_MICROS: i64 = 32_503_680_000_000_000;

/// Converts a timestamp to microseconds, rejecting instants outside 1900..3000.
pub(crate) fn to_micros(field: impl Fn() -> String, t: Timestamp) -> Result<i64> {
    check_micros(field, t.timestamp_micros())
}

/// Checks that a microsecond count lies in the accepted range.
pub(crate) fn check_micros(field: impl Fn() -> String, micros: i64) -> Result<i64> {
    if (MIN_MICROS..END_MICROS).contains(&micros) {
        Ok(micros)
    } else {
        Err(invalid(
            field(),
            format!("timestamp {micros}us is outside 1900-01-01..3000-01-01 UTC"),
        ))
    }
}

/// Converts microseconds (already range-checked) back to a timestamp.
pub(crate) fn from_micros(micros: i64) -> Timestamp {
    DateTime::from_timestamp_micros(micros).unwrap_or_default()
}

/// The current time as microseconds.
pub(crate) fn now_micros() -> i64 {
    Utc::now().timestamp_micros()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn accepts_the_range_and_rejects_outside() {
        let ok = Utc.with_ymd_and_hms(2026, 11, 23, 8, 0, 0).unwrap();
        assert_eq!(from_micros(to_micros(|| "at".into(), ok).unwrap()), ok);
        let early = Utc.with_ymd_and_hms(1899, 12, 31, 23, 59, 59).unwrap();
        let err = to_micros(|| "events[0].at".into(), early).unwrap_err();
        assert_eq!(err.field(), Some("events[0].at"));
        let late = Utc.with_ymd_and_hms(3000, 1, 1, 0, 0, 0).unwrap();
        assert!(to_micros(|| "at".into(), late).is_err());
        let first = Utc.with_ymd_and_hms(1900, 1, 1, 0, 0, 0).unwrap();
        assert!(to_micros(|| "at".into(), first).is_ok());
    }
}
