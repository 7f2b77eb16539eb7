//! The lifecycle models as functions, for summaries that do not come from an engine: the
//! core's BG/NBD and Gamma-Gamma fits, their predictions as columns, a new customer's
//! expected purchases and simulated customers. Names follow the core (`BgNbd::fit` is
//! `fit_bgnbd`, `fitBgnbd` in Kotlin and Swift). An engine's `SummaryTable` gives a
//! [`Summaries`] from its four columns.

use crate::errors::Result;
use crate::lifecycle::{BgNbd, FitOptions, GammaGamma};

/// Purchase summaries as columns of equal length, one item per customer, in periods.
#[derive(Clone, Debug, PartialEq, uniffi::Record)]
pub struct Summaries {
    /// Repeat purchase periods.
    pub frequency: Vec<f64>,
    /// Periods from the first purchase to the last.
    pub recency: Vec<f64>,
    /// Periods from the first purchase to the end of the window.
    pub t: Vec<f64>,
    /// Mean value of the repeat purchases (0 without them).
    pub monetary: Vec<f64>,
}

impl Summaries {
    /// The core summaries; a column of another length is a validation error naming it.
    fn into_core(self) -> Result<Vec<scrm::PurchaseSummary>> {
        Ok(scrm::PurchaseSummary::from_columns(
            &self.frequency,
            &self.recency,
            &self.t,
            Some(&self.monetary),
        )?)
    }
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
#[derive(Clone, Debug, PartialEq, uniffi::Record)]
pub struct LogLikelihood {
    /// Sum over the customers.
    pub total: f64,
    /// Mean per customer.
    pub mean: f64,
    /// Customers counted.
    pub customers: u64,
}

impl From<scrm::LogLikelihood> for LogLikelihood {
    fn from(l: scrm::LogLikelihood) -> Self {
        LogLikelihood {
            total: l.total,
            mean: l.mean,
            customers: l.customers as u64,
        }
    }
}

/// A BG/NBD fit: the parameters and how well they fit.
#[derive(Clone, Debug, PartialEq, uniffi::Record)]
pub struct BgNbdFit {
    /// The fitted parameters.
    pub model: BgNbd,
    /// Log-likelihood of the summaries under them.
    pub log_likelihood: LogLikelihood,
    /// Minimiser iterations taken.
    pub iterations: u32,
}

/// A Gamma-Gamma fit: the parameters and how well they fit.
#[derive(Clone, Debug, PartialEq, uniffi::Record)]
pub struct GammaGammaFit {
    /// The fitted parameters.
    pub model: GammaGamma,
    /// Log-likelihood of the repeat customers' summaries under them.
    pub log_likelihood: LogLikelihood,
    /// Minimiser iterations taken.
    pub iterations: u32,
}

/// Horizons of [`predict`]. Every field left `null` takes its default.
#[derive(Clone, Debug, Default, PartialEq, uniffi::Record)]
pub struct PredictOptions {
    /// Horizon of the expected purchases, in periods; default 1.
    #[uniffi(default)]
    pub periods: Option<f64>,
    /// CLV horizon in periods; default 12.
    #[uniffi(default)]
    pub clv_periods: Option<u32>,
    /// CLV discount rate per period, at least 0; default 0.01.
    #[uniffi(default)]
    pub discount_rate: Option<f64>,
}

impl PredictOptions {
    /// The core options, the core's defaults for what is left `null`.
    fn into_core(self) -> scrm::PredictOptions {
        let default = scrm::PredictOptions::default();
        scrm::PredictOptions {
            periods: self.periods.unwrap_or(default.periods),
            clv_periods: self.clv_periods.unwrap_or(default.clv_periods),
            discount_rate: self.discount_rate.unwrap_or(default.discount_rate),
        }
    }
}

/// Each customer's predictions, as columns aligned with the summaries given.
#[derive(Clone, Debug, PartialEq, uniffi::Record)]
pub struct Predictions {
    /// Probability the customer is still active.
    pub p_alive: Vec<f64>,
    /// Expected purchases over the next `periods` periods.
    pub expected_purchases: Vec<f64>,
    /// Expected value of one future purchase.
    pub expected_average_value: Vec<f64>,
    /// Discounted value over the next `clv_periods` periods.
    pub clv: Vec<f64>,
}

/// Fits BG/NBD (lifetimes' `BetaGeoFitter`) to purchase summaries. Fails naming the summary
/// (`summaries[3].recency`), or `summaries` when the fit fails.
#[uniffi::export(default(options = None))]
pub fn fit_bgnbd(summaries: Summaries, options: Option<FitOptions>) -> Result<BgNbdFit> {
    let options = options.unwrap_or_default().into_core();
    let fit = scrm::BgNbd::fit(&summaries.into_core()?, &options)?;
    Ok(BgNbdFit {
        model: fit.model.into(),
        log_likelihood: fit.log_likelihood.into(),
        iterations: fit.iterations,
    })
}

/// Fits Gamma-Gamma (lifetimes' `GammaGammaFitter`) to the summaries of customers with
/// repeat purchases, like [`fit_bgnbd`].
#[uniffi::export(default(options = None))]
pub fn fit_gamma_gamma(summaries: Summaries, options: Option<FitOptions>) -> Result<GammaGammaFit> {
    let options = options.unwrap_or_default().into_core();
    let fit = scrm::GammaGamma::fit(&summaries.into_core()?, &options)?;
    Ok(GammaGammaFit {
        model: fit.model.into(),
        log_likelihood: fit.log_likelihood.into(),
        iterations: fit.iterations,
    })
}

/// Every customer's P(alive), expected purchases, expected value per purchase and CLV under
/// the models, aligned with the summaries. Fails naming what is wrong (`r`,
/// `summaries[3].t`, `periods`, `discount_rate`).
#[uniffi::export(default(options = None))]
pub fn predict(
    purchases: BgNbd,
    spend: GammaGamma,
    summaries: Summaries,
    options: Option<PredictOptions>,
) -> Result<Predictions> {
    let options = options.unwrap_or_default().into_core();
    let p = scrm::predict(
        &purchases.into(),
        &spend.into(),
        &summaries.into_core()?,
        &options,
    )?;
    Ok(Predictions {
        p_alive: p.p_alive,
        expected_purchases: p.expected_purchases,
        expected_average_value: p.expected_average_value,
        clv: p.clv,
    })
}

/// Expected repeat purchases in the first `t` periods after a new customer's first purchase
/// (lifetimes' `expected_number_of_purchases_up_to_time`).
#[uniffi::export]
pub fn expected_purchases_new(purchases: BgNbd, t: f64) -> Result<f64> {
    Ok(scrm::BgNbd::from(purchases).expected_purchases_new(t)?)
}

/// `customers` purchase summaries drawn from the models (`spend` for `monetary`, else all
/// 0), each observed for a `T` uniform in `[t_cal / 2, t_cal)`; the same for the same seed.
#[uniffi::export(default(spend = None, seed = 0))]
pub fn simulate(
    purchases: BgNbd,
    customers: u32,
    t_cal: f64,
    spend: Option<GammaGamma>,
    seed: u64,
) -> Result<Summaries> {
    let spend = spend.map(scrm::GammaGamma::from);
    let rows = scrm::simulate(
        &purchases.into(),
        spend.as_ref(),
        customers as usize,
        t_cal,
        seed,
    )?;
    Ok(rows.into())
}
