//! The churn model: purchase summaries from the event log, fitting BG/NBD and Gamma-Gamma on
//! them, and every buyer's P(alive), expected purchases and CLV.
//!
//! A period is a `datetime.timedelta` or a number of days. Fit options left None take the
//! core's default (`ChurnOptions::default()`), so the binding never restates them.

use pyo3::prelude::*;
use scrm::{ChurnOptions, FitOptions};

use super::{out, PyEngine};
use crate::errors::IntoPyResult;
use crate::outputs::ToPy;
use crate::table::Table;
use crate::time::{period_in, time_in};

#[pymethods]
impl PyEngine {
    /// Every live buyer's purchase summary at `calibration_end` (an aware datetime), counted
    /// in periods of `period` (a timedelta or a number of days: `1` counts in days, as
    /// lifetimes' `freq="D"`): a Table with columns "ids", "frequency", "recency", "t" and
    /// "monetary", in the shape of lifetimes' `summary_data_from_transaction_data`. A period that is not positive raises
    /// ValidationError (`field` "period"), a `calibration_end` before every purchase
    /// ValidationError (`field` "calibration_end").
    fn purchase_summaries<'py>(
        &self,
        py: Python<'py>,
        calibration_end: &Bound<'py, PyAny>,
        period: &Bound<'py, PyAny>,
    ) -> PyResult<Table> {
        let end = time_in(calibration_end, || "calibration_end".to_string())?;
        let period = period_in(period, || "period".to_string())?;
        self.call(py, |e| e.purchase_summaries(end, period).map(Table::from))?
            .py()
    }

    /// Fits BG/NBD and Gamma-Gamma on the purchase summaries at `calibration_end` (periods
    /// of `period`, as purchase_summaries()) and keeps the model in the engine (and the
    /// file), where the segment predicates `p_alive < 0.3` and `clv > 1000` and
    /// churn_table() read it. Returns {"purchases": {"r", "alpha", "a", "b"}, "spend": {"p",
    /// "q", "v"}, "calibration_end", "period_micros", "customers", "clv_periods",
    /// "discount_rate"}.
    ///
    /// Options left None take the core's default, in brackets: `penalizer` [0] (lifetimes'
    /// `penalizer_coef`), `max_iterations` [500], `tolerance` [1e-7], the CLV horizon
    /// `clv_periods` [12] and the CLV `discount_rate` per period [0.01]. Fails as
    /// purchase_summaries() does, or with ValidationError when a fit fails (`field`
    /// "summaries": for instance no customer bought twice).
    #[pyo3(signature = (
        calibration_end, period, *, penalizer=None, max_iterations=None, tolerance=None,
        clv_periods=None, discount_rate=None
    ))]
    #[allow(clippy::too_many_arguments)]
    fn fit_churn_model<'py>(
        &self,
        py: Python<'py>,
        calibration_end: &Bound<'py, PyAny>,
        period: &Bound<'py, PyAny>,
        penalizer: Option<f64>,
        max_iterations: Option<u32>,
        tolerance: Option<f64>,
        clv_periods: Option<u32>,
        discount_rate: Option<f64>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let end = time_in(calibration_end, || "calibration_end".to_string())?;
        let period = period_in(period, || "period".to_string())?;
        let default = ChurnOptions::default();
        let options = ChurnOptions {
            fit: FitOptions {
                penalizer: penalizer.unwrap_or(default.fit.penalizer),
                max_iterations: max_iterations.unwrap_or(default.fit.max_iterations),
                tolerance: tolerance.unwrap_or(default.fit.tolerance),
            },
            clv_periods: clv_periods.unwrap_or(default.clv_periods),
            discount_rate: discount_rate.unwrap_or(default.discount_rate),
        };
        out(
            py,
            self.call(py, |e| e.fit_churn_model(end, period, &options))?,
        )
    }

    /// The fitted churn model, as fit_churn_model() returned it, or None.
    fn churn_model<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.call(py, |e| e.churn_model())?.to_py(py)
    }

    /// Every buyer's P(alive), expected purchases in the next `periods` periods and CLV
    /// under the fitted model, from their summaries at the engine clock: a Table with columns
    /// "ids", "p_alive", "expected_purchases" and "clv"; customers
    /// without a purchase by then are left out. Without a fitted model raises
    /// NotFoundError; a negative or non-finite `periods` ValidationError.
    fn churn_table(&self, py: Python<'_>, periods: f64) -> PyResult<Table> {
        self.call(py, |e| e.churn_table(periods).map(Table::from))?
            .py()
    }
}
