//! The lifecycle models as module functions: the core's BG/NBD and Gamma-Gamma fits, their
//! predictions as columns, a new customer's expected purchases and simulated customers,
//! for summaries that do not come from an engine. Names follow the core (`BgNbd::fit` is
//! `fitBgnbd`); the heavy ones run off the main thread.

use napi::bindgen_prelude::AsyncTask;
use napi::Env;
use napi_derive::napi;

use crate::errors::check;
use crate::task::{spawn_pure, Job};
use crate::types::lifecycle::{BgNbd, FitOptionsInput, GammaGamma};
use crate::types::models::{
    BgNbdFit, GammaGammaFit, PredictOptionsInput, Predictions, SimulateOptionsInput, Summaries,
    SummariesInput,
};
use crate::types::whole;

/// Fits BG/NBD (lifetimes' `BetaGeoFitter`) to purchase summaries. Off the main thread.
/// `VALIDATION` naming the summary (`summaries[3].recency`), or `summaries` when the fit fails.
#[napi(ts_return_type = "Promise<BgNbdFit>")]
pub fn fit_bgnbd(
    summaries: SummariesInput,
    options: Option<FitOptionsInput>,
) -> AsyncTask<Job<scrm::BgNbdFit, BgNbdFit>> {
    spawn_pure(
        move || {
            scrm::BgNbd::fit(
                &summaries.into_core()?,
                &FitOptionsInput::into_core(options)?,
            )
        },
        Into::into,
    )
}

/// Fits Gamma-Gamma (lifetimes' `GammaGammaFitter`) to the summaries of customers with
/// repeat purchases, like `fitBgnbd`.
#[napi(ts_return_type = "Promise<GammaGammaFit>")]
pub fn fit_gamma_gamma(
    summaries: SummariesInput,
    options: Option<FitOptionsInput>,
) -> AsyncTask<Job<scrm::GammaGammaFit, GammaGammaFit>> {
    spawn_pure(
        move || {
            scrm::GammaGamma::fit(
                &summaries.into_core()?,
                &FitOptionsInput::into_core(options)?,
            )
        },
        Into::into,
    )
}

/// Every customer's P(alive), expected purchases, expected value per purchase and CLV under
/// the models, aligned with the summaries. Off the main thread. `VALIDATION` naming what is
/// wrong (`r`, `summaries[3].t`, `periods`, `discount_rate`).
#[napi(ts_return_type = "Promise<Predictions>")]
pub fn predict(
    purchases: BgNbd,
    spend: GammaGamma,
    summaries: SummariesInput,
    options: Option<PredictOptionsInput>,
) -> AsyncTask<Job<scrm::Predictions, Predictions>> {
    spawn_pure(
        move || {
            scrm::predict(
                &(&purchases).into(),
                &(&spend).into(),
                &summaries.into_core()?,
                &PredictOptionsInput::into_core(options)?,
            )
        },
        Into::into,
    )
}

/// Expected repeat purchases in the first `t` periods after a new customer's first purchase
/// (lifetimes' `expected_number_of_purchases_up_to_time`).
#[napi]
pub fn expected_purchases_new(env: Env, purchases: BgNbd, t: f64) -> napi::Result<f64> {
    check(
        &env,
        scrm::BgNbd::from(&purchases).expected_purchases_new(t),
    )
}

/// `customers` purchase summaries drawn from the models, each observed for a `T` uniform in
/// `[tCal / 2, tCal)`; the same for the same seed. Off the main thread.
#[napi(ts_return_type = "Promise<Summaries>")]
pub fn simulate(
    purchases: BgNbd,
    customers: f64,
    t_cal: f64,
    options: Option<SimulateOptionsInput>,
) -> AsyncTask<Job<Vec<scrm::PurchaseSummary>, Summaries>> {
    spawn_pure(
        move || {
            let customers = whole("customers", customers)? as usize;
            let (spend, seed) = SimulateOptionsInput::into_core(options)?;
            scrm::simulate(&(&purchases).into(), spend.as_ref(), customers, t_cal, seed)
        },
        Into::into,
    )
}
