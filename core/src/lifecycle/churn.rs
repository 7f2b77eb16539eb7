//! The engine's churn model: BG/NBD and Gamma-Gamma fitted on the customers' purchase
//! summaries, and each buyer's P(alive), expected purchases and CLV under it.
//!
//! Scores are read at the engine clock: a buyer's summary is taken at the clock (their
//! purchases at or before it, in the model's period), then the fitted parameters apply.
//! Customers without a purchase by then have no summary and no score.

use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use serde::{Deserialize, Serialize};

use super::{customer_lifetime_value, BgNbd, FitOptions, GammaGamma, PurchaseSummary};
use crate::error::{invalid, Result};
use crate::event::kinds;
use crate::parallel::map_chunks;
use crate::state::State;
use crate::time::Timestamp;

/// Customers scored on one thread at least; more go on several.
const PARALLEL_FROM: usize = 65_536;

/// How [`crate::Engine::fit_churn_model`] fits and how CLV is counted.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ChurnOptions {
    /// Options of both fits.
    pub fit: FitOptions,
    /// CLV horizon in periods (12 by default: a year of 30-day periods).
    pub clv_periods: u32,
    /// CLV discount rate per period, at least 0 (0.01 by default).
    pub discount_rate: f64,
}

impl Default for ChurnOptions {
    fn default() -> Self {
        ChurnOptions {
            fit: FitOptions::default(),
            clv_periods: 12,
            discount_rate: 0.01,
        }
    }
}

/// A churn model fitted by the engine, stored with it (in the file too) until the next fit.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChurnModel {
    /// The BG/NBD purchase model, in the period's unit.
    pub purchases: BgNbd,
    /// The Gamma-Gamma spend model.
    pub spend: GammaGamma,
    /// End of the calibration window it was fitted on.
    pub calibration_end: Timestamp,
    /// Period length in microseconds (86,400,000,000 for days).
    pub period_micros: i64,
    /// Customers it was fitted on.
    pub customers: u64,
    /// CLV horizon in periods.
    pub clv_periods: u32,
    /// CLV discount rate per period.
    pub discount_rate: f64,
}

/// Every buyer's purchase summary at a calibration end, as columns.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SummaryTable {
    /// External ids of the customers with a purchase by the calibration end.
    pub ids: Vec<String>,
    /// Repeat purchase periods.
    pub frequency: Vec<f64>,
    /// Periods from the first purchase to the last.
    pub recency: Vec<f64>,
    /// Periods from the first purchase to the calibration end.
    pub t: Vec<f64>,
    /// Mean value of the repeat periods.
    pub monetary: Vec<f64>,
}

impl SummaryTable {
    /// The summaries as rows, for the model fits; fails (naming the column) when the
    /// columns' lengths differ.
    pub fn rows(&self) -> Result<Vec<PurchaseSummary>> {
        PurchaseSummary::from_columns(
            &self.frequency,
            &self.recency,
            &self.t,
            Some(&self.monetary),
        )
    }
}

/// Every buyer's churn scores at the engine clock, as columns.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ChurnTable {
    /// External ids of the buyers.
    pub ids: Vec<String>,
    /// Probability the customer is still active.
    pub p_alive: Vec<f64>,
    /// Expected purchases in the next `periods` periods.
    pub expected_purchases: Vec<f64>,
    /// Discounted value over the model's CLV horizon.
    pub clv: Vec<f64>,
}

/// The purchase summaries of every live customer at `end`, by customer index.
pub(crate) fn summaries(state: &State, end: i64, period: i64) -> Vec<Option<PurchaseSummary>> {
    let live: Vec<u32> = state.index.live.iter().collect();
    let kind = state.symbols.get(kinds::PURCHASE);
    let parts = map_chunks(&live, PARALLEL_FROM, |part, _| {
        let (mut times, mut amounts) = (Vec::new(), Vec::new());
        part.iter()
            .map(|&idx| {
                let kind = kind?;
                let slot = &state.customers[idx as usize];
                if state.activity.count(idx, kind) == 0 {
                    return None;
                }
                times.clear();
                amounts.clear();
                for e in slot.events.iter().filter(|e| e.kind() == kind) {
                    times.push(e.at);
                    amounts.push(state.events.row(e.seq).amount.unwrap_or(0.0));
                }
                PurchaseSummary::from_purchases(&times, &amounts, end, period)
                    .ok()
                    .flatten()
            })
            .collect::<Vec<_>>()
    });
    let mut out = vec![None; state.customers.len()];
    for (idx, s) in live.iter().zip(parts.into_iter().flatten()) {
        out[*idx as usize] = s;
    }
    out
}

/// Checks a period.
pub(crate) fn check_period(period: chrono::Duration) -> Result<i64> {
    match period.num_microseconds() {
        Some(p) if p > 0 => Ok(p),
        _ => Err(invalid("period", format!("must be above 0, got {period}"))),
    }
}

/// Scores of every buyer at one clock value.
#[derive(Debug)]
pub(crate) struct ChurnScores {
    pub summaries: Vec<Option<PurchaseSummary>>,
    pub p_alive: Vec<f64>,
    clv: OnceLock<Vec<f64>>,
}

impl ChurnScores {
    fn compute(state: &State, model: &ChurnModel, now: i64) -> ChurnScores {
        let summaries = summaries(state, now, model.period_micros);
        let p_alive = summaries
            .iter()
            .map(|s| {
                s.as_ref()
                    .and_then(|s| model.purchases.p_alive(s).ok())
                    .unwrap_or(f64::NAN)
            })
            .collect();
        ChurnScores {
            summaries,
            p_alive,
            clv: OnceLock::new(),
        }
    }

    /// CLV of every buyer (NaN for the others), computed at the first call.
    pub fn clv(&self, model: &ChurnModel) -> &[f64] {
        self.clv.get_or_init(|| {
            let work = |part: &[Option<PurchaseSummary>], _| {
                part.iter()
                    .map(|s| {
                        s.as_ref()
                            .and_then(|s| {
                                customer_lifetime_value(
                                    &model.purchases,
                                    &model.spend,
                                    s,
                                    model.clv_periods,
                                    model.discount_rate,
                                )
                                .ok()
                            })
                            .unwrap_or(f64::NAN)
                    })
                    .collect::<Vec<_>>()
            };
            map_chunks(&self.summaries, PARALLEL_FROM / 16, work)
                .into_iter()
                .flatten()
                .collect()
        })
    }
}

/// The fitted model and its scores at the last clock value asked.
#[derive(Debug, Default)]
pub(crate) struct Churn {
    pub model: Option<ChurnModel>,
    cached: Mutex<Option<(i64, Arc<ChurnScores>)>>,
}

impl Churn {
    /// The scores at `now`, if a model is fitted.
    pub fn scores(&self, state: &State, now: i64) -> Option<Arc<ChurnScores>> {
        let model = self.model.as_ref()?;
        let mut cached = self.cached.lock().unwrap_or_else(PoisonError::into_inner);
        match &*cached {
            Some((at, scores)) if *at == now => Some(scores.clone()),
            _ => {
                let scores = Arc::new(ChurnScores::compute(state, model, now));
                *cached = Some((now, scores.clone()));
                Some(scores)
            }
        }
    }

    /// Drops the cached scores (after events, profile changes or a new fit).
    pub fn clear(&mut self) {
        *self
            .cached
            .get_mut()
            .unwrap_or_else(PoisonError::into_inner) = None;
    }
}
