//! The Gamma-Gamma model of spend per purchase (Fader and Hardie, "The Gamma-Gamma Model of
//! Monetary Value", 2013): a customer's purchase values are `Gamma(p, ν)` with their own
//! rate `ν ~ Gamma(q, v)`, independent of how often they buy.
//!
//! It only reads customers with repeat purchases (`frequency > 0`), whose `monetary` is the
//! mean of `x = frequency` values. The fit is lifetimes' `GammaGammaFitter`: it minimises
//! the mean negative log-likelihood over those customers plus `penalizer · (p² + q² + v²)`,
//! in log-parameters from `ln θ = 0.1`, by BFGS on the analytic gradient.

use serde::{Deserialize, Serialize};

use super::fit::{Fit, FitOptions, LogLikelihood};
use super::optimize::minimize;
use super::special::{digamma, ln_gamma};
use super::summary::{check_all, PurchaseSummary};
use crate::error::{invalid, Result};

/// A fitted Gamma-Gamma model.
pub type GammaGammaFit = Fit<GammaGamma>;

/// Gamma-Gamma parameters: purchase values `~ Gamma(shape p, rate ν)`, with the rate
/// `ν ~ Gamma(shape q, rate v)` varying across customers; `v` is in money units.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct GammaGamma {
    /// Shape of a customer's purchase values.
    pub p: f64,
    /// Shape of the value-rate distribution; the population mean value `p v / (q - 1)`
    /// exists for `q > 1`.
    pub q: f64,
    /// Rate of the value-rate distribution.
    pub v: f64,
}

impl GammaGamma {
    /// The maximum-likelihood parameters for the customers of `summaries` with repeat
    /// purchases (see the module doc for the objective).
    ///
    /// Fails on an empty or invalid summary, on a customer with repeat purchases whose
    /// `monetary` is 0, when no customer has repeat purchases (`summaries`), on bad
    /// options, or when the fit does not converge (`summaries`).
    pub fn fit(summaries: &[PurchaseSummary], options: &FitOptions) -> Result<GammaGammaFit> {
        options.check()?;
        let repeaters = repeaters(summaries)?;
        let n = repeaters.len() as f64;
        let objective = |log: &[f64], gradient: &mut [f64]| {
            let theta = [log[0].exp(), log[1].exp(), log[2].exp()];
            let [p, q, v] = theta;
            let terms = Terms::new(&GammaGamma { p, q, v });
            let mut total = 0.0;
            let mut sums = [0.0; 3];
            for &(x, m) in &repeaters {
                let (ll, d) = terms.customer(x, m);
                total += ll;
                sums.iter_mut().zip(d).for_each(|(sum, d)| *sum += d);
            }
            for k in 0..3 {
                gradient[k] = -sums[k] * theta[k] / n + 2.0 * options.penalizer * theta[k].powi(2);
            }
            -total / n + options.penalizer * theta.iter().map(|t| t * t).sum::<f64>()
        };
        let min = minimize(
            objective,
            &[0.1; 3],
            options.max_iterations,
            options.tolerance,
        )
        .map_err(|e| {
            invalid(
                "summaries",
                format!("the Gamma-Gamma fit did not converge: {e}"),
            )
        })?;
        let [p, q, v] = [0, 1, 2].map(|k| min.x[k].exp());
        let model = GammaGamma { p, q, v };
        Ok(Fit {
            log_likelihood: model.log_likelihood(summaries)?,
            model,
            iterations: min.iterations,
        })
    }

    /// The log-likelihood of the customers of `summaries` with repeat purchases (the others
    /// are not counted): per customer `ln Γ(p x + q) - ln Γ(p x) - ln Γ(q) + q ln v +
    /// (p x - 1) ln m + p x ln x - (p x + q) ln(x m + v)`, lifetimes' formula.
    pub fn log_likelihood(&self, summaries: &[PurchaseSummary]) -> Result<LogLikelihood> {
        self.check()?;
        let repeaters = repeaters(summaries)?;
        let terms = Terms::new(self);
        let total = repeaters.iter().map(|&(x, m)| terms.customer(x, m).0).sum();
        Ok(LogLikelihood::new(total, repeaters.len()))
    }

    /// The customer's expected value per purchase, `E[Z | x, m]` (lifetimes'
    /// `conditional_expected_average_profit`): the population mean `p v / (q - 1)` and the
    /// customer's `m` weighted `(q - 1) : p x`. Needs `q > 1`.
    pub fn expected_average_value(&self, summary: &PurchaseSummary) -> Result<f64> {
        self.check()?;
        summary.check("summary")?;
        let GammaGamma { p, q, v } = *self;
        if q <= 1.0 {
            return Err(invalid(
                "q",
                format!("the mean purchase value needs q above 1, got {q}"),
            ));
        }
        let own = p * summary.frequency / (p * summary.frequency + q - 1.0);
        Ok((1.0 - own) * p * v / (q - 1.0) + own * summary.monetary)
    }

    /// Rejects parameters that are not above 0 and finite.
    pub(crate) fn check(&self) -> Result<()> {
        let GammaGamma { p, q, v } = *self;
        for (name, value) in [("p", p), ("q", q), ("v", v)] {
            if !(value > 0.0 && value.is_finite()) {
                return Err(invalid(
                    name,
                    format!("must be above 0 and finite, got {value}"),
                ));
            }
        }
        Ok(())
    }
}

/// `(x, m)` of the customers with repeat purchases, after checking every summary; fails if
/// there is none or one has `m = 0`.
fn repeaters(summaries: &[PurchaseSummary]) -> Result<Vec<(f64, f64)>> {
    check_all(summaries)?;
    let mut out = Vec::new();
    for (i, s) in summaries.iter().enumerate() {
        if s.frequency > 0.0 {
            if s.monetary == 0.0 {
                return Err(invalid(
                    format!("summaries[{i}].monetary"),
                    "must be above 0 for a customer with repeat purchases",
                ));
            }
            out.push((s.frequency, s.monetary));
        }
    }
    if out.is_empty() {
        return Err(invalid(
            "summaries",
            "the Gamma-Gamma model needs a customer with repeat purchases",
        ));
    }
    Ok(out)
}

/// The per-customer log-likelihood and its gradient for one parameter set.
struct Terms {
    model: GammaGamma,
    /// `ln Γ(q)`, `ψ(q)`, `ln v`.
    ln_gamma_q: f64,
    psi_q: f64,
    ln_v: f64,
}

impl Terms {
    fn new(model: &GammaGamma) -> Self {
        Terms {
            model: *model,
            ln_gamma_q: ln_gamma(model.q),
            psi_q: digamma(model.q),
            ln_v: model.v.ln(),
        }
    }

    /// The log-likelihood of a customer with `x` repeat purchases of mean `m`, and its
    /// derivatives by `(p, q, v)`.
    fn customer(&self, x: f64, m: f64) -> (f64, [f64; 3]) {
        let GammaGamma { p, q, v } = self.model;
        let px = p * x;
        let (ln_m, ln_x, ln_total) = (m.ln(), x.ln(), (x * m + v).ln());
        let psi_pxq = digamma(px + q);
        let ll = ln_gamma(px + q) - ln_gamma(px) - self.ln_gamma_q
            + q * self.ln_v
            + (px - 1.0) * ln_m
            + px * ln_x
            - (px + q) * ln_total;
        let gradient = [
            x * (psi_pxq - digamma(px) + ln_m + ln_x - ln_total),
            psi_pxq - self.psi_q + self.ln_v - ln_total,
            q / v - (px + q) / (x * m + v),
        ];
        (ll, gradient)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::lifecycle::simulate::simulate;
    use crate::lifecycle::BgNbd;

    const CDNOW: BgNbd = BgNbd {
        r: 0.24,
        alpha: 4.41,
        a: 0.79,
        b: 2.43,
    };
    const SPEND: GammaGamma = GammaGamma {
        p: 6.25,
        q: 3.74,
        v: 15.45,
    };

    fn summary(frequency: f64, monetary: f64) -> PurchaseSummary {
        PurchaseSummary {
            frequency,
            recency: frequency.min(40.0),
            t: 40.0,
            monetary,
        }
    }

    #[test]
    fn recovers_the_simulated_parameters() {
        let customers = simulate(&CDNOW, Some(&SPEND), 20_000, 39.0, 11).unwrap();
        let fit = GammaGamma::fit(&customers, &FitOptions::default()).unwrap();
        let GammaGamma { p, q, v } = fit.model;
        // About 8,000 repeaters: standard errors of roughly 3% on p, 6% on q and 10% on v.
        assert!((p / SPEND.p - 1.0).abs() < 0.1, "{fit:?}");
        assert!((q / SPEND.q - 1.0).abs() < 0.2, "{fit:?}");
        assert!((v / SPEND.v - 1.0).abs() < 0.3, "{fit:?}");
        // The fit is a maximum: moving any parameter lowers the likelihood.
        let best = fit.log_likelihood.mean;
        for k in 0..3 {
            for factor in [0.99, 1.01] {
                let mut theta = [p, q, v];
                theta[k] *= factor;
                let [p, q, v] = theta;
                let moved = GammaGamma { p, q, v }.log_likelihood(&customers).unwrap();
                assert!(moved.mean < best, "{k} {factor}: {moved:?} vs {best}");
            }
        }
    }

    #[test]
    fn gradient_matches_central_differences() {
        let terms = |m: &GammaGamma| Terms::new(m);
        let (x, m) = (3.0, 27.5);
        let (_, gradient) = terms(&SPEND).customer(x, m);
        for k in 0..3 {
            let h = 1e-6;
            let mut theta = [SPEND.p, SPEND.q, SPEND.v];
            theta[k] += h;
            let up = terms(&GammaGamma {
                p: theta[0],
                q: theta[1],
                v: theta[2],
            })
            .customer(x, m)
            .0;
            theta[k] -= 2.0 * h;
            let down = terms(&GammaGamma {
                p: theta[0],
                q: theta[1],
                v: theta[2],
            })
            .customer(x, m)
            .0;
            let numeric = (up - down) / (2.0 * h);
            assert!(
                (gradient[k] - numeric).abs() < 1e-6 * numeric.abs().max(1.0),
                "{k}"
            );
        }
    }

    #[test]
    fn expected_value_shrinks_toward_the_population_mean() {
        let population = SPEND.p * SPEND.v / (SPEND.q - 1.0);
        let none = SPEND.expected_average_value(&summary(0.0, 0.0)).unwrap();
        assert!((none - population).abs() < 1e-12);
        let few = SPEND.expected_average_value(&summary(1.0, 100.0)).unwrap();
        let many = SPEND.expected_average_value(&summary(50.0, 100.0)).unwrap();
        assert!(population < few && few < many && many < 100.0);
        let flat = GammaGamma { q: 1.0, ..SPEND };
        assert_eq!(
            flat.expected_average_value(&summary(1.0, 5.0))
                .unwrap_err()
                .field(),
            Some("q")
        );
    }

    #[test]
    fn rejects_what_it_cannot_fit() {
        let options = FitOptions::default();
        let field = |s: &[PurchaseSummary]| {
            GammaGamma::fit(s, &options)
                .unwrap_err()
                .field()
                .map(String::from)
        };
        assert_eq!(field(&[]).as_deref(), Some("summaries"));
        assert_eq!(field(&[summary(0.0, 0.0)]).as_deref(), Some("summaries"));
        let zero = [summary(2.0, 10.0), summary(1.0, 0.0)];
        assert_eq!(field(&zero).as_deref(), Some("summaries[1].monetary"));
        let bad = FitOptions {
            penalizer: -1.0,
            ..options.clone()
        };
        let err = GammaGamma::fit(&[summary(1.0, 1.0)], &bad).unwrap_err();
        assert_eq!(err.field(), Some("options.penalizer"));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        #[test]
        fn fit_never_panics(
            customers in prop::collection::vec((0u32..20, 0.01..1_000.0f64), 1..12),
        ) {
            let summaries: Vec<PurchaseSummary> = customers
                .iter()
                .map(|&(x, m)| summary(f64::from(x), if x == 0 { 0.0 } else { m }))
                .collect();
            let options = FitOptions { max_iterations: 100, ..FitOptions::default() };
            if let Ok(fit) = GammaGamma::fit(&summaries, &options) {
                prop_assert!(fit.log_likelihood.total.is_finite());
                fit.model.check().unwrap();
            }
            for s in &summaries {
                if let Ok(value) = SPEND.expected_average_value(s) {
                    prop_assert!(value > 0.0 && value.is_finite());
                }
            }
        }
    }
}
