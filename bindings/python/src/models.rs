//! The lifecycle models as pure functions, for purchase summaries that do not come from an
//! engine (a notebook's own DataFrame in lifetimes' shape, `simulate()`'s output): the
//! BG/NBD and Gamma-Gamma fits, their predictions as columns, expected purchases of a new
//! customer and simulated customers. The names are the core's (`BgNbd::fit` is
//! `fit_bgnbd`); each releases the GIL while it computes.
//!
//! Summaries are a table (a pandas or polars DataFrame, a pyarrow Table, a dict of lists,
//! or `Engine.purchase_summaries()`'s Table) with columns `frequency`, `recency`, `t` and
//! `monetary`, or lifetimes' `T` and `monetary_value`; other columns are ignored. Model
//! parameters are dicts as the fits return them under "model" (`{"r", "alpha", "a", "b"}`,
//! `{"p", "q", "v"}`).

use pyo3::prelude::*;
use scrm::{BgNbd, FitOptions, GammaGamma, PredictOptions, PurchaseSummary};
use serde::de::DeserializeOwned;

use crate::errors::{invalid, IntoPyResult};
use crate::frames::{records, Frame};
use crate::outputs::ToPy;
use crate::table::Table;
use crate::values::json_in;

/// Model parameters from a dict; `field` names the argument in errors.
fn model_in<T: DeserializeOwned>(value: &Bound<'_, PyAny>, field: &str) -> PyResult<T> {
    serde_json::from_value(json_in(value, field)?).map_err(|e| invalid(field, e.to_string()))
}

/// Fit options: each one left None takes the core's default.
fn options(
    penalizer: Option<f64>,
    max_iterations: Option<u32>,
    tolerance: Option<f64>,
) -> FitOptions {
    let default = FitOptions::default();
    FitOptions {
        penalizer: penalizer.unwrap_or(default.penalizer),
        max_iterations: max_iterations.unwrap_or(default.max_iterations),
        tolerance: tolerance.unwrap_or(default.tolerance),
    }
}

/// Fits a model with `fit` to the summaries of a table, the GIL released; options left None
/// take the core's default.
fn fit_table<'py, M: ToPy + Send>(
    py: Python<'py>,
    summaries: &Bound<'py, PyAny>,
    options: FitOptions,
    fit: fn(&[PurchaseSummary], &FitOptions) -> scrm::Result<M>,
) -> PyResult<Bound<'py, PyAny>> {
    let rows = records::summaries(&Frame::read(summaries, "summaries")?)?;
    py.detach(|| fit(&rows, &options)).py()?.to_py(py)
}

/// Fits BG/NBD (lifetimes' `BetaGeoFitter`) to purchase summaries. Returns {"model": {"r",
/// "alpha", "a", "b"}, "log_likelihood": {"total", "mean", "customers"}, "iterations"}.
/// Options left None take the core's default: `penalizer` [0] (lifetimes'
/// `penalizer_coef`), `max_iterations` [500], `tolerance` [1e-7]. Raises ValidationError
/// naming the summary (`summaries[3].recency`), or `summaries` when the fit fails.
#[pyfunction]
#[pyo3(signature = (summaries, *, penalizer=None, max_iterations=None, tolerance=None))]
pub fn fit_bgnbd<'py>(
    py: Python<'py>,
    summaries: &Bound<'py, PyAny>,
    penalizer: Option<f64>,
    max_iterations: Option<u32>,
    tolerance: Option<f64>,
) -> PyResult<Bound<'py, PyAny>> {
    let options = options(penalizer, max_iterations, tolerance);
    fit_table(py, summaries, options, BgNbd::fit)
}

/// Fits Gamma-Gamma (lifetimes' `GammaGammaFitter`) to the summaries of customers with
/// repeat purchases, like fit_bgnbd(). Returns {"model": {"p", "q", "v"},
/// "log_likelihood", "iterations"}.
#[pyfunction]
#[pyo3(signature = (summaries, *, penalizer=None, max_iterations=None, tolerance=None))]
pub fn fit_gamma_gamma<'py>(
    py: Python<'py>,
    summaries: &Bound<'py, PyAny>,
    penalizer: Option<f64>,
    max_iterations: Option<u32>,
    tolerance: Option<f64>,
) -> PyResult<Bound<'py, PyAny>> {
    let options = options(penalizer, max_iterations, tolerance);
    fit_table(py, summaries, options, GammaGamma::fit)
}

/// Every customer's predictions under fitted models, one row per summary in order: a Table
/// with columns "p_alive", "expected_purchases" (over the next `periods` time units),
/// "expected_average_value" (per purchase) and "clv" (over `clv_periods` at `discount_rate`
/// per period). Options left None take the core's default: `periods` [1], `clv_periods`
/// [12], `discount_rate` [0.01], as fit_churn_model's. Raises ValidationError naming what is wrong
/// (`purchases`, `summaries[3].t`, `periods`, `discount_rate`).
#[pyfunction]
#[pyo3(signature = (purchases, spend, summaries, *, periods=None, clv_periods=None, discount_rate=None))]
pub fn predict(
    py: Python<'_>,
    purchases: &Bound<'_, PyAny>,
    spend: &Bound<'_, PyAny>,
    summaries: &Bound<'_, PyAny>,
    periods: Option<f64>,
    clv_periods: Option<u32>,
    discount_rate: Option<f64>,
) -> PyResult<Table> {
    let purchases: BgNbd = model_in(purchases, "purchases")?;
    let spend: GammaGamma = model_in(spend, "spend")?;
    let rows = records::summaries(&Frame::read(summaries, "summaries")?)?;
    let default = PredictOptions::default();
    let options = PredictOptions {
        periods: periods.unwrap_or(default.periods),
        clv_periods: clv_periods.unwrap_or(default.clv_periods),
        discount_rate: discount_rate.unwrap_or(default.discount_rate),
    };
    py.detach(|| scrm::predict(&purchases, &spend, &rows, &options).map(Table::from))
        .py()
}

/// Expected repeat purchases in the first `t` time units after a new customer's first
/// purchase under BG/NBD parameters `purchases` (lifetimes'
/// `expected_number_of_purchases_up_to_time`).
#[pyfunction]
pub fn expected_purchases_new(purchases: &Bound<'_, PyAny>, t: f64) -> PyResult<f64> {
    model_in::<BgNbd>(purchases, "purchases")?
        .expected_purchases_new(t)
        .py()
}

/// `customers` purchase summaries drawn from BG/NBD parameters `purchases` (and Gamma-Gamma
/// `spend` for `monetary`, else 0), each observed for a `T` uniform in `[t_cal / 2, t_cal)`;
/// the same for the same `seed`. A Table with columns "frequency", "recency", "t" and
/// "monetary", ready for fit_bgnbd().
#[pyfunction]
#[pyo3(signature = (purchases, customers, t_cal, *, spend=None, seed=0))]
pub fn simulate(
    py: Python<'_>,
    purchases: &Bound<'_, PyAny>,
    customers: usize,
    t_cal: f64,
    spend: Option<&Bound<'_, PyAny>>,
    seed: u64,
) -> PyResult<Table> {
    let purchases: BgNbd = model_in(purchases, "purchases")?;
    let spend: Option<GammaGamma> = spend
        .filter(|s| !s.is_none())
        .map(|s| model_in(s, "spend"))
        .transpose()?;
    py.detach(|| {
        scrm::simulate(&purchases, spend.as_ref(), customers, t_cal, seed).map(Table::from)
    })
    .py()
}

/// Adds the functions to the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(fit_bgnbd, m)?)?;
    m.add_function(wrap_pyfunction!(fit_gamma_gamma, m)?)?;
    m.add_function(wrap_pyfunction!(predict, m)?)?;
    m.add_function(wrap_pyfunction!(expected_purchases_new, m)?)?;
    m.add_function(wrap_pyfunction!(simulate, m)?)
}
