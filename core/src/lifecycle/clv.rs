//! Customer lifetime value from a purchase model and a spend model, lifetimes' way: the
//! discounted sum, over future periods, of the expected purchases in each period times the
//! expected value of a purchase.

use super::bgnbd::BgNbd;
use super::gamma_gamma::GammaGamma;
use super::summary::PurchaseSummary;
use crate::error::{invalid, Result};

/// The customer's expected value over the next `periods` time units, discounted at
/// `discount_rate` per time unit:
/// `Σ_{k=1..periods} E[Z] (E[Y(k)] - E[Y(k - 1)]) / (1 + discount_rate)^k`, with `E[Y]`
/// from [`BgNbd::expected_purchases`] and `E[Z]` from
/// [`GammaGamma::expected_average_value`].
///
/// The time unit is the one `purchases` was fitted in (the summaries' period). lifetimes'
/// `customer_lifetime_value(..., time, discount_rate, freq)` counts `time` in months and
/// steps by a month (30 days, 4.345 weeks) of the model's unit; with `freq="M"` (a model
/// in months) its steps are this function's.
///
/// Fails where those functions fail, or if `discount_rate` is negative or not finite.
pub fn customer_lifetime_value(
    purchases: &BgNbd,
    spend: &GammaGamma,
    summary: &PurchaseSummary,
    periods: u32,
    discount_rate: f64,
) -> Result<f64> {
    if !(discount_rate >= 0.0 && discount_rate.is_finite()) {
        return Err(invalid(
            "discount_rate",
            format!("must be at least 0 and finite, got {discount_rate}"),
        ));
    }
    let value = spend.expected_average_value(summary)?;
    let (mut total, mut before) = (0.0, 0.0);
    for k in 1..=periods {
        let by_now = purchases.expected_purchases(summary, f64::from(k))?;
        total += value * (by_now - before) / (1.0 + discount_rate).powi(k as i32);
        before = by_now;
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lifecycle::fixtures::{CDNOW as PURCHASES, SPEND};

    #[test]
    fn undiscounted_value_is_expected_purchases_times_value() {
        let s = PurchaseSummary {
            frequency: 4.0,
            recency: 30.0,
            t: 38.0,
            monetary: 40.0,
        };
        let clv = customer_lifetime_value(&PURCHASES, &SPEND, &s, 52, 0.0).unwrap();
        let want = PURCHASES.expected_purchases(&s, 52.0).unwrap()
            * SPEND.expected_average_value(&s).unwrap();
        assert!((clv - want).abs() < 1e-9 * want, "{clv} vs {want}");
        let discounted = customer_lifetime_value(&PURCHASES, &SPEND, &s, 52, 0.01).unwrap();
        assert!(0.0 < discounted && discounted < clv);
        assert_eq!(
            customer_lifetime_value(&PURCHASES, &SPEND, &s, 0, 0.01).unwrap(),
            0.0
        );
        let err = customer_lifetime_value(&PURCHASES, &SPEND, &s, 1, -0.5).unwrap_err();
        assert_eq!(err.field(), Some("discount_rate"));
    }
}
