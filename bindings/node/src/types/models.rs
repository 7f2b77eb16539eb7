//! The lifecycle models as pure functions (`fitBgnbd`, `fitGammaGamma`, `predict`,
//! `expectedPurchasesNew`, `simulate`): purchase summaries in and out as columns, so that
//! `purchaseSummaries()`'s table can be passed as it is, and the fits' results.

use napi_derive::napi;

use super::lifecycle::{BgNbd, GammaGamma};
use super::{count, small, whole};

/// Purchase summaries as columns of equal length (`purchaseSummaries()`'s `SummaryTable` is
/// one; its `ids` are not read).
#[napi(object, object_to_js = false)]
pub struct SummariesInput {
    /// Repeat purchase periods.
    pub frequency: Vec<f64>,
    /// Periods from the first purchase to the last.
    pub recency: Vec<f64>,
    /// Periods from the first purchase to the end of the window.
    pub t: Vec<f64>,
    /// Mean value of the repeat purchases; all 0 when left out.
    pub monetary: Option<Vec<f64>>,
}

impl SummariesInput {
    /// The core summaries; a column of another length is a `VALIDATION` error naming it.
    pub fn into_core(self) -> scrm::Result<Vec<scrm::PurchaseSummary>> {
        scrm::PurchaseSummary::from_columns(
            &self.frequency,
            &self.recency,
            &self.t,
            self.monetary.as_deref(),
        )
    }
}

/// Purchase summaries as columns, one item per customer.
#[napi(object, object_from_js = false)]
pub struct Summaries {
    /// Repeat purchase periods.
    pub frequency: Vec<f64>,
    /// Periods from the first purchase to the last.
    pub recency: Vec<f64>,
    /// Periods from the first purchase to the end of the window.
    pub t: Vec<f64>,
    /// Mean value of the repeat purchases.
    pub monetary: Vec<f64>,
}

impl From<Vec<scrm::PurchaseSummary>> for Summaries {
    fn from(rows: Vec<scrm::PurchaseSummary>) -> Self {
        Summaries {
            frequency: rows.iter().map(|s| s.frequency).collect(),
            recency: rows.iter().map(|s| s.recency).collect(),
            t: rows.iter().map(|s| s.t).collect(),
            monetary: rows.iter().map(|s| s.monetary).collect(),
        }
    }
}

/// A fit's log-likelihood on the summaries it was fitted on.
#[napi(object, object_from_js = false)]
pub struct LogLikelihood {
    /// Sum over the customers.
    pub total: f64,
    /// Mean per customer.
    pub mean: f64,
    /// Customers counted.
    pub customers: f64,
}

impl From<scrm::LogLikelihood> for LogLikelihood {
    fn from(l: scrm::LogLikelihood) -> Self {
        LogLikelihood {
            total: l.total,
            mean: l.mean,
            customers: count(l.customers as u64),
        }
    }
}

/// A BG/NBD fit: the parameters and how well they fit.
#[napi(object, object_from_js = false)]
pub struct BgNbdFit {
    /// The fitted parameters.
    pub model: BgNbd,
    /// Log-likelihood of the summaries under them.
    pub log_likelihood: LogLikelihood,
    /// Minimiser iterations taken.
    pub iterations: u32,
}

impl From<scrm::BgNbdFit> for BgNbdFit {
    fn from(f: scrm::BgNbdFit) -> Self {
        BgNbdFit {
            model: f.model.into(),
            log_likelihood: f.log_likelihood.into(),
            iterations: f.iterations,
        }
    }
}

/// A Gamma-Gamma fit: the parameters and how well they fit.
#[napi(object, object_from_js = false)]
pub struct GammaGammaFit {
    /// The fitted parameters.
    pub model: GammaGamma,
    /// Log-likelihood of the repeat customers' summaries under them.
    pub log_likelihood: LogLikelihood,
    /// Minimiser iterations taken.
    pub iterations: u32,
}

impl From<scrm::GammaGammaFit> for GammaGammaFit {
    fn from(f: scrm::GammaGammaFit) -> Self {
        GammaGammaFit {
            model: f.model.into(),
            log_likelihood: f.log_likelihood.into(),
            iterations: f.iterations,
        }
    }
}

/// Horizons of `predict`; each field left out takes its default.
#[napi(object, object_to_js = false)]
pub struct PredictOptionsInput {
    /// Horizon of the expected purchases, in periods; default 1.
    pub periods: Option<f64>,
    /// CLV horizon in periods; default 12.
    pub clv_periods: Option<f64>,
    /// CLV discount rate per period, at least 0; default 0.01.
    pub discount_rate: Option<f64>,
}

impl PredictOptionsInput {
    /// The core options, the core's defaults for what is left out.
    pub fn into_core(options: Option<Self>) -> scrm::Result<scrm::PredictOptions> {
        let mut core = scrm::PredictOptions::default();
        let Some(o) = options else {
            return Ok(core);
        };
        if let Some(p) = o.periods {
            core.periods = p;
        }
        if let Some(n) = o.clv_periods {
            core.clv_periods = small("options.clv_periods", n)?;
        }
        if let Some(r) = o.discount_rate {
            core.discount_rate = r;
        }
        Ok(core)
    }
}

/// Each customer's predictions, as columns aligned with the summaries given.
#[napi(object, object_from_js = false)]
pub struct Predictions {
    /// Probability the customer is still active.
    pub p_alive: Vec<f64>,
    /// Expected purchases over the next `periods` periods.
    pub expected_purchases: Vec<f64>,
    /// Expected value of one future purchase.
    pub expected_average_value: Vec<f64>,
    /// Discounted value over the next `clvPeriods` periods.
    pub clv: Vec<f64>,
}

impl From<scrm::Predictions> for Predictions {
    fn from(p: scrm::Predictions) -> Self {
        Predictions {
            p_alive: p.p_alive,
            expected_purchases: p.expected_purchases,
            expected_average_value: p.expected_average_value,
            clv: p.clv,
        }
    }
}

/// What `simulate` draws besides purchases; each field left out takes its default.
#[napi(object, object_to_js = false)]
pub struct SimulateOptionsInput {
    /// Gamma-Gamma parameters for `monetary` (all 0 without).
    pub spend: Option<GammaGamma>,
    /// Seed of the generator; default 0. The same seed draws the same customers.
    pub seed: Option<f64>,
}

impl SimulateOptionsInput {
    /// The spend model and the seed.
    pub fn into_core(options: Option<Self>) -> scrm::Result<(Option<scrm::GammaGamma>, u64)> {
        let Some(o) = options else {
            return Ok((None, 0));
        };
        let seed = o.seed.map(|s| whole("options.seed", s)).transpose()?;
        Ok((o.spend.as_ref().map(Into::into), seed.unwrap_or(0)))
    }
}
