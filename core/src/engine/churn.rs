//! The churn model: purchase summaries from the event log, fitting BG/NBD and Gamma-Gamma
//! on them, and every buyer's P(alive), expected purchases and CLV.

use super::Engine;
use crate::error::{invalid, Error, Result};
use crate::lifecycle::{
    check_period, summaries, BgNbd, ChurnModel, ChurnOptions, ChurnTable, GammaGamma, SummaryTable,
};
use crate::state::{Changes, State};
use crate::time::{to_micros, Timestamp};

fn no_model() -> Error {
    Error::NotFound {
        entity: "churn model",
        key: "call Engine::fit_churn_model first".to_string(),
    }
}

/// The summary table of every live buyer at `end`, or an error if nobody bought by then.
fn summary_table(state: &State, end: i64, period: i64) -> Result<SummaryTable> {
    let mut table = SummaryTable::default();
    for (idx, s) in summaries(state, end, period).into_iter().enumerate() {
        if let Some(s) = s {
            table.ids.push(state.external_id(idx as u32));
            table.frequency.push(s.frequency);
            table.recency.push(s.recency);
            table.t.push(s.t);
            table.monetary.push(s.monetary);
        }
    }
    if table.ids.is_empty() {
        return Err(invalid(
            "calibration_end",
            "is before every purchase: no customer has a purchase to summarise",
        ));
    }
    Ok(table)
}

impl Engine {
    /// Every live buyer's purchase summary at `calibration_end`, counted in periods of
    /// `period` (see [`crate::PurchaseSummary::from_purchases`]; purchases of profiles
    /// merged into a customer count for them). Fails if `period` is not positive or no
    /// purchase happened by `calibration_end` (`calibration_end`).
    pub fn purchase_summaries(
        &self,
        calibration_end: Timestamp,
        period: chrono::Duration,
    ) -> Result<SummaryTable> {
        let end = to_micros(|| "calibration_end".into(), calibration_end)?;
        let period = check_period(period)?;
        self.read(|s| summary_table(s, end, period))
    }

    /// Fits BG/NBD and Gamma-Gamma on the purchase summaries at `calibration_end` and keeps
    /// the model in the engine (and the file), where the predicates `p_alive < 0.3` and
    /// `clv > 1000` and [`Engine::churn_table`] read it. Fails as
    /// [`Engine::purchase_summaries`] does, or when a fit fails (`summaries`: for instance
    /// no customer has repeat purchases).
    pub fn fit_churn_model(
        &self,
        calibration_end: Timestamp,
        period: chrono::Duration,
        options: &ChurnOptions,
    ) -> Result<ChurnModel> {
        if !(options.discount_rate >= 0.0 && options.discount_rate.is_finite()) {
            return Err(invalid(
                "options.discount_rate",
                format!(
                    "must be at least 0 and finite, got {}",
                    options.discount_rate
                ),
            ));
        }
        let table = self.purchase_summaries(calibration_end, period)?;
        let rows = table.rows()?;
        let purchases = BgNbd::fit(&rows, &options.fit)?.model;
        let spend = GammaGamma::fit(&rows, &options.fit)?.model;
        let model = ChurnModel {
            purchases,
            spend,
            calibration_end,
            period_micros: check_period(period)?,
            customers: rows.len() as u64,
            clv_periods: options.clv_periods,
            discount_rate: options.discount_rate,
        };
        let stored = model.clone();
        self.write(|_| {
            Ok((
                Changes {
                    churn: Some(stored),
                    ..Changes::default()
                },
                (),
            ))
        })?;
        Ok(model)
    }

    /// The fitted churn model, if any.
    pub fn churn_model(&self) -> Option<ChurnModel> {
        self.read(|s| s.churn.model.clone())
    }

    /// Every buyer's P(alive), expected purchases in the next `periods` periods and CLV
    /// under the fitted model, from their summaries at the engine clock. Customers without
    /// a purchase by then are left out. `NOT_FOUND` without a fitted model.
    pub fn churn_table(&self, periods: f64) -> Result<ChurnTable> {
        if !(periods >= 0.0 && periods.is_finite()) {
            return Err(invalid(
                "periods",
                format!("must be at least 0 and finite, got {periods}"),
            ));
        }
        let now = self.clock_micros();
        self.read(|s| {
            let model = s.churn.model.as_ref().ok_or_else(no_model)?;
            let scores = s.churn.scores(s, now).ok_or_else(no_model)?;
            let clv = scores.clv(model);
            let mut table = ChurnTable::default();
            for idx in &s.index.live {
                let i = idx as usize;
                let Some(summary) = &scores.summaries[i] else {
                    continue;
                };
                table.ids.push(s.external_id(i as u32));
                table.p_alive.push(scores.p_alive[i]);
                table.expected_purchases.push(
                    model
                        .purchases
                        .expected_purchases(summary, periods)
                        .unwrap_or(f64::NAN),
                );
                table.clv.push(clv[i]);
            }
            Ok(table)
        })
    }
}
