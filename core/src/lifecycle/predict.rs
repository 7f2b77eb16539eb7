//! Predictions of fitted models for many customers at once, as columns aligned with their
//! purchase summaries: the table-shaped counterpart of [`BgNbd::p_alive`],
//! [`BgNbd::expected_purchases`], [`GammaGamma::expected_average_value`] and
//! [`customer_lifetime_value`], for summaries that do not come from an engine (a notebook's
//! own DataFrame, [`simulate`](super::simulate)'s output).

use serde::{Deserialize, Serialize};

use super::bgnbd::BgNbd;
use super::churn::ChurnOptions;
use super::clv::customer_lifetime_value;
use super::gamma_gamma::GammaGamma;
use super::summary::{check_all, PurchaseSummary};
use crate::error::{invalid, Result};

/// The horizons of [`predict`]; [`Default`] is one period of expected purchases and the CLV
/// horizon and discount rate of [`ChurnOptions::default`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PredictOptions {
    /// Horizon of the expected purchases, in time units, at least 0 (1 by default).
    pub periods: f64,
    /// CLV horizon in time units (12 by default).
    pub clv_periods: u32,
    /// CLV discount rate per time unit, at least 0 (0.01 by default).
    pub discount_rate: f64,
}

impl Default for PredictOptions {
    fn default() -> Self {
        let churn = ChurnOptions::default();
        PredictOptions {
            periods: 1.0,
            clv_periods: churn.clv_periods,
            discount_rate: churn.discount_rate,
        }
    }
}

/// Each customer's predictions, as columns aligned with the summaries they came from.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Predictions {
    /// Probability the customer is still active.
    pub p_alive: Vec<f64>,
    /// Expected purchases in the next `periods` time units.
    pub expected_purchases: Vec<f64>,
    /// Expected value of one of the customer's future purchases.
    pub expected_average_value: Vec<f64>,
    /// Discounted value over the next `clv_periods` time units.
    pub clv: Vec<f64>,
}

/// Every customer's P(alive), expected purchases over the next `options.periods` time
/// units, expected value per purchase and CLV over `options.clv_periods` at
/// `options.discount_rate` per period, under `purchases` and `spend`.
///
/// Fails on invalid parameters, an empty or invalid summary (naming it, as in
/// `summaries[3].recency`), a `periods` that is negative or not finite, or a `discount_rate`
/// below 0.
pub fn predict(
    purchases: &BgNbd,
    spend: &GammaGamma,
    summaries: &[PurchaseSummary],
    options: &PredictOptions,
) -> Result<Predictions> {
    let PredictOptions {
        periods,
        clv_periods,
        discount_rate,
    } = *options;
    check_all(summaries)?;
    if !(periods >= 0.0 && periods.is_finite()) {
        return Err(invalid(
            "periods",
            format!("must be at least 0 and finite, got {periods}"),
        ));
    }
    let mut out = Predictions::default();
    for s in summaries {
        out.p_alive.push(purchases.p_alive(s)?);
        out.expected_purchases
            .push(purchases.expected_purchases(s, periods)?);
        out.expected_average_value
            .push(spend.expected_average_value(s)?);
        out.clv.push(customer_lifetime_value(
            purchases,
            spend,
            s,
            clv_periods,
            discount_rate,
        )?);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lifecycle::fixtures::{CDNOW as PURCHASES, SPEND};
    use crate::lifecycle::simulate;

    #[test]
    fn columns_match_the_per_customer_functions() {
        let summaries = simulate(&PURCHASES, Some(&SPEND), 50, 40.0, 7).unwrap();
        let options = PredictOptions {
            periods: 10.0,
            ..PredictOptions::default()
        };
        let table = predict(&PURCHASES, &SPEND, &summaries, &options).unwrap();
        assert_eq!(table.clv.len(), summaries.len());
        for (i, s) in summaries.iter().enumerate() {
            assert_eq!(table.p_alive[i], PURCHASES.p_alive(s).unwrap());
            assert_eq!(
                table.expected_purchases[i],
                PURCHASES.expected_purchases(s, 10.0).unwrap()
            );
            assert_eq!(
                table.expected_average_value[i],
                SPEND.expected_average_value(s).unwrap()
            );
            let (periods, rate) = (options.clv_periods, options.discount_rate);
            let clv = customer_lifetime_value(&PURCHASES, &SPEND, s, periods, rate).unwrap();
            assert_eq!(table.clv[i], clv);
        }
    }

    #[test]
    fn bad_input_names_the_field() {
        let mut summaries = simulate(&PURCHASES, None, 5, 40.0, 1).unwrap();
        let field = |r: Result<Predictions>| match r {
            Err(crate::Error::Validation { field, .. }) => field,
            other => panic!("expected a validation error, got {other:?}"),
        };
        let default = PredictOptions::default();
        let with = |periods, discount_rate| PredictOptions {
            periods,
            discount_rate,
            ..PredictOptions::default()
        };
        let bad_periods = predict(&PURCHASES, &SPEND, &summaries, &with(-1.0, 0.01));
        assert_eq!(field(bad_periods), "periods");
        let bad_rate = predict(&PURCHASES, &SPEND, &summaries, &with(1.0, -0.5));
        assert_eq!(field(bad_rate), "discount_rate");
        assert_eq!(
            field(predict(&PURCHASES, &SPEND, &[], &default)),
            "summaries"
        );
        summaries[3].recency = -1.0;
        let bad_summary = predict(&PURCHASES, &SPEND, &summaries, &default);
        assert!(field(bad_summary).starts_with("summaries[3]"));
        let bad = BgNbd {
            r: 0.0,
            ..PURCHASES
        };
        assert_eq!(field(predict(&bad, &SPEND, &summaries[..1], &default)), "r");
    }
}
