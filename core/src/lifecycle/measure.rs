//! Lifecycle measurement results: funnels, activity rates, monthly entries and cohort
//! retention, as columns.

use serde::{Deserialize, Serialize};

/// A ladder's funnel at the end of a period.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Funnel {
    /// Stage names, lowest first.
    pub stages: Vec<String>,
    /// Live customers at each stage at the end of the period (from the recorded moves).
    pub customers: Vec<u64>,
    /// Live customers at each stage or a higher one at the end of the period.
    pub reached: Vec<u64>,
    /// Moves into each stage during the period.
    pub entered: Vec<u64>,
    /// `conversion[k] = reached[k + 1] / reached[k]` (0 when `reached[k]` is 0); one
    /// fewer than the stages.
    pub conversion: Vec<f64>,
}

/// How many members of a segment were active lately.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ActivityRate {
    /// Members of the segment.
    pub members: u64,
    /// Members with an inbound event in the window.
    pub active: u64,
    /// `active / members` (0 for an empty segment).
    pub rate: f64,
}

/// Counts per calendar month (UTC), as columns.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthlyCounts {
    /// Months as `YYYY-MM`, ascending, only those with a count.
    pub months: Vec<String>,
    /// Count of each month.
    pub counts: Vec<u64>,
}

/// Retention by monthly cohort: customers grouped by the month of their first inbound
/// event, and the share of each cohort active (an inbound event) in later months.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CohortRetention {
    /// Cohort months as `YYYY-MM`, ascending.
    pub cohorts: Vec<String>,
    /// Customers in each cohort.
    pub sizes: Vec<u64>,
    /// `retention[k][c]`: share of cohort `c` active `k` months after its first month
    /// (`retention[0]` is all ones); NaN where that month is after the engine clock.
    pub retention: Vec<Vec<f64>>,
}

/// The month number (`year * 12 + month - 1`) of an instant in microseconds.
pub(crate) fn month_of(micros: i64) -> i64 {
    use chrono::Datelike;
    let t = crate::time::from_micros(micros);
    i64::from(t.year()) * 12 + i64::from(t.month0())
}

/// `YYYY-MM` of a month number.
pub(crate) fn month_name(month: i64) -> String {
    format!(
        "{:04}-{:02}",
        month.div_euclid(12),
        month.rem_euclid(12) + 1
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_round_trip() {
        let t = chrono::DateTime::parse_from_rfc3339("2026-03-31T23:59:59Z").unwrap();
        let m = month_of(t.timestamp_micros());
        assert_eq!(month_name(m), "2026-03");
        assert_eq!(month_name(m + 10), "2027-01");
    }
}
