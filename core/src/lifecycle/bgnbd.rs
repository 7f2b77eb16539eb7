//! The BG/NBD model of repeat purchasing (Fader, Hardie and Lee 2005, "Counting Your
//! Customers the Easy Way"): while alive, a customer buys as a Poisson process of rate
//! `λ ~ Gamma(r, α)`; after each repeat purchase they drop out for good with probability
//! `p ~ Beta(a, b)`.
//!
//! The fit maximises the likelihood exactly as the `lifetimes` package's `BetaGeoFitter`
//! does: it minimises the mean negative log-likelihood over customers plus
//! `penalizer · (r² + α'² + a² + b²)`, in log-parameters from `ln θ = 0.1`, on times
//! divided by the largest `T` (so `α' = α / max T`; the optimum is the same for any
//! scale when the penalizer is 0), by BFGS on the analytic gradient.

use serde::{Deserialize, Serialize};

use super::fit::{Fit, FitOptions, LogLikelihood};
use super::optimize::minimize;
use super::special::{digamma, hyp2f1, ln_gamma};
use super::summary::{check_all, PurchaseSummary};
use crate::error::{invalid, Result};

/// Below this distance of `a` from 1, where the expectations' `1 / (a - 1)` meets a zero,
/// they interpolate between `a = 1 ± A_NEAR_ONE`.
const A_NEAR_ONE: f64 = 1e-4;

/// A fitted BG/NBD model.
pub type BgNbdFit = Fit<BgNbd>;

/// BG/NBD parameters: purchase rates `λ ~ Gamma(shape r, rate alpha)`, dropout
/// probabilities `p ~ Beta(a, b)`; `alpha` is in the time unit of the summaries.
///
/// ```
/// use scrm::{BgNbd, FitOptions, PurchaseSummary};
///
/// // lifetimes' estimates on the CDNOW sample, in weeks.
/// let cdnow = BgNbd { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
/// // Bought 2 times more, the last at week 30.4, observed for 38.9 weeks.
/// let summary = PurchaseSummary { frequency: 2.0, recency: 30.43, t: 38.86, monetary: 22.35 };
/// let p_alive = cdnow.p_alive(&summary)?;
/// let next_year = cdnow.expected_purchases(&summary, 52.0)?;
/// assert!(p_alive > 0.5 && next_year > 0.5);
///
/// // Fitting recovers the parameters of simulated customers.
/// let customers = scrm::simulate(&cdnow, None, 5_000, 39.0, 7)?;
/// let fit = BgNbd::fit(&customers, &FitOptions::default())?;
/// assert!((fit.model.r - cdnow.r).abs() < 0.05);
/// # Ok::<(), scrm::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct BgNbd {
    /// Shape of the purchase-rate distribution.
    pub r: f64,
    /// Rate (inverse scale) of the purchase-rate distribution, per time unit.
    pub alpha: f64,
    /// First shape of the dropout-probability distribution.
    pub a: f64,
    /// Second shape of the dropout-probability distribution.
    pub b: f64,
}

impl BgNbd {
    /// The maximum-likelihood parameters for `summaries` (see the module doc for the
    /// objective); its log-likelihood is on the summaries' own time unit.
    ///
    /// Fails on an empty or invalid summary (naming it, as in `summaries[3].recency`), bad
    /// options, or a fit that does not converge (`summaries`).
    pub fn fit(summaries: &[PurchaseSummary], options: &FitOptions) -> Result<BgNbdFit> {
        options.check()?;
        check_all(summaries)?;
        let longest = summaries.iter().fold(0.0, |m: f64, s| m.max(s.t));
        let scale = if longest > 0.0 { 1.0 / longest } else { 1.0 };
        let n = summaries.len() as f64;
        let objective = |log: &[f64], gradient: &mut [f64]| {
            let theta = [log[0].exp(), log[1].exp(), log[2].exp(), log[3].exp()];
            let [r, alpha, a, b] = theta;
            let terms = Terms::new(&BgNbd { r, alpha, a, b });
            let mut total = 0.0;
            let mut sums = [0.0; 4];
            for s in summaries {
                let (ll, d) = terms.customer(s.frequency, s.recency * scale, s.t * scale);
                total += ll;
                sums.iter_mut().zip(d).for_each(|(sum, d)| *sum += d);
            }
            for k in 0..4 {
                gradient[k] = -sums[k] * theta[k] / n + 2.0 * options.penalizer * theta[k].powi(2);
            }
            -total / n + options.penalizer * theta.iter().map(|t| t * t).sum::<f64>()
        };
        let min = minimize(
            objective,
            &[0.1; 4],
            options.max_iterations,
            options.tolerance,
        )
        .map_err(|e| invalid("summaries", format!("the BG/NBD fit did not converge: {e}")))?;
        let [r, alpha, a, b] = [0, 1, 2, 3].map(|k| min.x[k].exp());
        let model = BgNbd {
            r,
            alpha: alpha / scale,
            a,
            b,
        };
        Ok(Fit {
            log_likelihood: model.log_likelihood(summaries)?,
            model,
            iterations: min.iterations,
        })
    }

    /// The log-likelihood of `summaries` under these parameters: per customer
    /// `ln[B(a, b + x) / B(a, b)] + ln[Γ(r + x) α^r / Γ(r)] + ln[(α + T)^-(r+x) +
    /// 1{x > 0} a / (b + x - 1) (α + t_x)^-(r+x)]`, lifetimes' `BetaGeoFitter` formula.
    pub fn log_likelihood(&self, summaries: &[PurchaseSummary]) -> Result<LogLikelihood> {
        self.check()?;
        check_all(summaries)?;
        let terms = Terms::new(self);
        let total = summaries
            .iter()
            .map(|s| terms.customer(s.frequency, s.recency, s.t).0)
            .sum();
        Ok(LogLikelihood::new(total, summaries.len()))
    }

    /// P(alive | x, t_x, T): the probability that the customer has not dropped out by the
    /// end of the calibration window, `1 / (1 + 1{x > 0} a / (b + x - 1) ((α + T) /
    /// (α + t_x))^(r + x))`; 1 without repeat purchases (the model lets customers drop out
    /// only after a repeat purchase).
    pub fn p_alive(&self, summary: &PurchaseSummary) -> Result<f64> {
        self.check()?;
        summary.check("summary")?;
        Ok(self.alive(summary))
    }

    /// Expected purchases in the next `t` time units of a customer with this summary,
    /// `E[Y(t) | x, t_x, T]` (lifetimes' `conditional_expected_number_of_purchases_up_to_time`):
    /// `P(alive) · (a + b + x - 1) / (a - 1) · [1 - ((α + T) / (α + T + t))^(r + x)
    /// ₂F₁(r + x, b + x; a + b + x - 1; t / (α + T + t))]`.
    ///
    /// Fails on an invalid summary or `t`, and where the hypergeometric series does not
    /// converge (`t` beyond about 1e5 times `α + T`).
    pub fn expected_purchases(&self, summary: &PurchaseSummary, t: f64) -> Result<f64> {
        self.check()?;
        summary.check("summary")?;
        let if_alive = self.expected_if_alive(summary.frequency, summary.t, t)?;
        Ok(self.alive(summary) * if_alive)
    }

    /// Expected repeat purchases in the first `t` time units after a customer's first
    /// purchase, `E[X(t)]` (lifetimes' `expected_number_of_purchases_up_to_time`):
    /// `(a + b - 1) / (a - 1) · [1 - (α / (α + t))^r ₂F₁(r, b; a + b - 1; t / (α + t))]`.
    pub fn expected_purchases_new(&self, t: f64) -> Result<f64> {
        self.check()?;
        self.expected_if_alive(0.0, 0.0, t)
    }

    /// Rejects parameters that are not above 0 and finite.
    pub(crate) fn check(&self) -> Result<()> {
        let BgNbd { r, alpha, a, b } = *self;
        for (name, value) in [("r", r), ("alpha", alpha), ("a", a), ("b", b)] {
            if !(value > 0.0 && value.is_finite()) {
                return Err(invalid(
                    name,
                    format!("must be above 0 and finite, got {value}"),
                ));
            }
        }
        Ok(())
    }

    /// P(alive) of a checked summary.
    fn alive(&self, s: &PurchaseSummary) -> f64 {
        if s.frequency == 0.0 {
            return 1.0;
        }
        let BgNbd { r, alpha, a, b } = *self;
        let x = s.frequency;
        let log_odds_dead =
            (r + x) * ((alpha + s.t) / (alpha + s.recency)).ln() + (a / (b + x - 1.0)).ln();
        1.0 / (1.0 + log_odds_dead.exp())
    }

    /// Expected purchases in the next `t` of a customer alive at age `big_t` after `x`
    /// repeat purchases: the bracket of [`BgNbd::expected_purchases`] times its factor.
    fn expected_if_alive(&self, x: f64, big_t: f64, t: f64) -> Result<f64> {
        if !(t >= 0.0 && t.is_finite()) {
            return Err(invalid(
                "t",
                format!("must be at least 0 and finite, got {t}"),
            ));
        }
        if (self.a - 1.0).abs() >= A_NEAR_ONE {
            return self.formula(x, big_t, t);
        }
        // Linear in a between two points where the formula is well-conditioned.
        let at = |a| BgNbd { a, ..*self }.formula(x, big_t, t);
        let (below, above) = (at(1.0 - A_NEAR_ONE)?, at(1.0 + A_NEAR_ONE)?);
        let share = (self.a - (1.0 - A_NEAR_ONE)) / (2.0 * A_NEAR_ONE);
        Ok(below + share * (above - below))
    }

    /// [`BgNbd::expected_if_alive`] by its formula, for `a` away from 1 and a checked `t`.
    fn formula(&self, x: f64, big_t: f64, t: f64) -> Result<f64> {
        let BgNbd { r, alpha, a, b } = *self;
        let z = t / (alpha + big_t + t);
        let c = a + b + x - 1.0;
        let (sum, log_scale) = hyp2f1(r + x, b + x, c, z).ok_or_else(|| {
            invalid(
                "t",
                format!(
                    "the hypergeometric series does not converge at t = {t} for these parameters"
                ),
            )
        })?;
        // 1 - ((α + T) / (α + T + t))^(r + x) ₂F₁(...), by expm1 where it is 1 - e^u.
        let log_rest = log_scale + (r + x) * ((alpha + big_t) / (alpha + big_t + t)).ln();
        let bracket = if sum > 0.0 {
            -(sum.ln() + log_rest).exp_m1()
        } else {
            1.0 - sum * log_rest.exp()
        };
        // The product is positive; the clamp only catches rounding at tiny t.
        Ok((c / (a - 1.0) * bracket).max(0.0))
    }
}

/// The per-customer log-likelihood and its gradient for one parameter set, with the terms
/// that do not depend on the customer computed once.
struct Terms {
    model: BgNbd,
    /// `ln Γ(r)`, `ln Γ(a + b) - ln Γ(b)`, `ln α`, `ln a`.
    ln_gamma_r: f64,
    ln_gamma_ab_b: f64,
    ln_alpha: f64,
    ln_a: f64,
    /// `ψ(r)`, `ψ(a + b)`, `ψ(b)`.
    psi_r: f64,
    psi_ab: f64,
    psi_b: f64,
}

impl Terms {
    fn new(model: &BgNbd) -> Self {
        let BgNbd { r, alpha, a, b } = *model;
        Terms {
            model: *model,
            ln_gamma_r: ln_gamma(r),
            ln_gamma_ab_b: ln_gamma(a + b) - ln_gamma(b),
            ln_alpha: alpha.ln(),
            ln_a: a.ln(),
            psi_r: digamma(r),
            psi_ab: digamma(a + b),
            psi_b: digamma(b),
        }
    }

    /// The log-likelihood of one customer and its derivatives by `(r, α, a, b)`.
    fn customer(&self, x: f64, t_x: f64, t: f64) -> (f64, [f64; 4]) {
        let BgNbd { r, alpha, a, b } = self.model;
        let ln_t = (alpha + t).ln();
        let a1 = ln_gamma(r + x) - self.ln_gamma_r + r * self.ln_alpha;
        let a2 = self.ln_gamma_ab_b + ln_gamma(b + x) - ln_gamma(a + b + x);
        let a3 = -(r + x) * ln_t;
        // The dropped-out branch (after the last purchase) exists only with repeat
        // purchases; `w` is its share of the likelihood's last factor.
        let (last, w, ln_tx) = if x > 0.0 {
            let ln_tx = (alpha + t_x).ln();
            let a4 = self.ln_a - (b + x - 1.0).ln() - (r + x) * ln_tx;
            let top = a3.max(a4);
            let last = top + ((a3 - top).exp() + (a4 - top).exp()).ln();
            (last, (a4 - last).exp(), ln_tx)
        } else {
            (a3, 0.0, 0.0)
        };
        let psi_abx = digamma(a + b + x);
        let gradient = [
            digamma(r + x) - self.psi_r + self.ln_alpha - (1.0 - w) * ln_t - w * ln_tx,
            r / alpha - (r + x) * ((1.0 - w) / (alpha + t) + w / (alpha + t_x)),
            self.psi_ab - psi_abx + w / a,
            self.psi_ab + digamma(b + x) - self.psi_b - psi_abx - w / (b + x - 1.0),
        ];
        (a1 + a2 + last, gradient)
    }
}

#[cfg(test)]
mod tests;
