//! Lifecycle measurement: ladder funnels, segment activity rates, stage entries per month
//! and retention by monthly cohort.

use pyo3::prelude::*;

use super::{out, PyEngine};
use crate::errors::IntoPyResult;
use crate::table::Table;
use crate::time::time_in;

#[pymethods]
impl PyEngine {
    /// A ladder's funnel for `[since, until)` (aware datetimes): {"stages", "customers"
    /// (live customers at each stage at `until`), "reached" (at that stage or a higher one),
    /// "entered" (moves into it during the period), "conversion"} — `conversion[k]` is the
    /// share of those who reached stage k that reached stage k + 1, one item shorter than
    /// the others. The dict is a `scrm.plot.FunnelView`, which notebooks show as an HTML
    /// table. An unknown ladder raises NotFoundError.
    fn funnel<'py>(
        &self,
        py: Python<'py>,
        ladder: &str,
        since: &Bound<'py, PyAny>,
        until: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let since = time_in(since, || "since".to_string())?;
        let until = time_in(until, || "until".to_string())?;
        let funnel = out(py, self.call(py, |e| e.funnel(ladder, since, until))?)?;
        py.import("scrm.plot")?
            .getattr("FunnelView")?
            .call1((funnel,))
    }

    /// The share of a segment's members with an inbound event in the last `days` days (to
    /// the engine clock): {"members", "active", "rate"}. `days` 0 raises ValidationError; a
    /// bad expression SegmentSyntaxError or SegmentTypeError.
    fn activity_rate<'py>(
        &self,
        py: Python<'py>,
        expression: &str,
        days: u32,
    ) -> PyResult<Bound<'py, PyAny>> {
        out(py, self.call(py, |e| e.activity_rate(expression, days))?)
    }

    /// Moves into `stage` of a ladder per calendar month (UTC), months with none left out:
    /// a Table with columns "months" ("2026-01") and "counts". An unknown
    /// ladder raises NotFoundError, a stage it does not have ValidationError.
    fn entries_per_month(&self, py: Python<'_>, ladder: &str, stage: &str) -> PyResult<Table> {
        self.call(py, |e| e.entries_per_month(ladder, stage).map(Table::from))?
            .py()
    }

    /// Retention by monthly cohort over `months` months (at most 240) after each cohort's
    /// first month: customers grouped by the month of their first inbound event, with the
    /// share active in each month. Returns {"cohorts" ("2026-01"), "sizes", "retention"},
    /// one item per cohort, where `retention[i]` is cohort i's shares for month offsets 0 to
    /// `months` (NaN after the engine clock): the core's `retention` transposed, so
    /// `pandas.DataFrame(result)` has a row per cohort and
    /// `pandas.DataFrame(result["retention"], index=result["cohorts"])` is the triangle.
    fn cohort_retention<'py>(&self, py: Python<'py>, months: u32) -> PyResult<Bound<'py, PyAny>> {
        out(py, self.call(py, |e| e.cohort_retention(months))?)
    }
}
