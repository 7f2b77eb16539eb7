//! Customers drawn from known BG/NBD (and Gamma-Gamma) parameters, for parameter-recovery
//! tests and benches: a seeded SplitMix64 generator, Gamma variates by Marsaglia and
//! Tsang's method, Beta variates as a ratio of Gammas.

use super::bgnbd::BgNbd;
use super::gamma_gamma::GammaGamma;
use super::summary::PurchaseSummary;
use crate::error::{invalid, Result};

/// `customers` summaries drawn from the models, the same for the same arguments.
///
/// Each customer makes a first purchase at time 0 and is observed for `T` uniform in
/// `[t_cal / 2, t_cal)` (an acquisition cohort spread over the first half of the window).
/// They draw `λ ~ Gamma(r, alpha)` and `p ~ Beta(a, b)` and buy at the times of a Poisson
/// process of rate `λ`, dropping out after each repeat purchase with probability `p`;
/// `frequency` and `recency` are the repeat purchases and the time of the last one before
/// `T` (continuous times, as the model has them). With `spend`, a customer with repeat
/// purchases draws `ν ~ Gamma(q, v)` and purchase values `~ Gamma(p, ν)`; `monetary` is
/// their mean. Without it, or without repeat purchases, `monetary` is 0.
///
/// Takes time in proportion to the purchases drawn. Fails on invalid parameters or a
/// `t_cal` that is not above 0 and finite.
pub fn simulate(
    purchases: &BgNbd,
    spend: Option<&GammaGamma>,
    customers: usize,
    t_cal: f64,
    seed: u64,
) -> Result<Vec<PurchaseSummary>> {
    purchases.check()?;
    if let Some(spend) = spend {
        spend.check()?;
    }
    if !(t_cal > 0.0 && t_cal.is_finite()) {
        return Err(invalid(
            "t_cal",
            format!("must be above 0 and finite, got {t_cal}"),
        ));
    }
    let mut rng = Rng(seed);
    let BgNbd { r, alpha, a, b } = *purchases;
    Ok((0..customers)
        .map(|_| {
            let lambda = rng.gamma(r, alpha);
            let dropout = rng.beta(a, b);
            let t = t_cal * (0.5 + 0.5 * rng.unit());
            let (mut frequency, mut recency, mut now) = (0u32, 0.0, 0.0);
            loop {
                now += rng.exponential(lambda);
                if now >= t {
                    break;
                }
                frequency += 1;
                recency = now;
                if rng.unit() < dropout {
                    break;
                }
            }
            let monetary = match spend {
                Some(GammaGamma { p, q, v }) if frequency > 0 => {
                    let x = f64::from(frequency);
                    let nu = rng.gamma(*q, *v);
                    // The sum of x Gamma(p, ν) values is Gamma(p x, ν).
                    rng.gamma(p * x, nu) / x
                }
                _ => 0.0,
            };
            PurchaseSummary {
                frequency: f64::from(frequency),
                recency,
                t,
                monetary,
            }
        })
        .collect())
}

/// SplitMix64: small, fast and well mixed, enough for simulation.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in the open interval (0, 1).
    fn unit(&mut self) -> f64 {
        ((self.next() >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    }

    /// Standard normal, by Box and Muller (one of the pair).
    fn normal(&mut self) -> f64 {
        let (u, v) = (self.unit(), self.unit());
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
    }

    /// Exponential of rate `rate` (infinite for rate 0).
    fn exponential(&mut self, rate: f64) -> f64 {
        -self.unit().ln() / rate
    }

    /// Gamma of shape `shape` and rate `rate`, both above 0: Marsaglia and Tsang (2000)
    /// for shape >= 1, and `Gamma(shape + 1) · U^(1 / shape)` below.
    fn gamma(&mut self, shape: f64, rate: f64) -> f64 {
        if shape < 1.0 {
            let boost = self.unit().powf(1.0 / shape);
            return self.gamma(shape + 1.0, rate) * boost;
        }
        let d = shape - 1.0 / 3.0;
        let c = 1.0 / (9.0 * d).sqrt();
        loop {
            let x = self.normal();
            let v = (1.0 + c * x).powi(3);
            if v <= 0.0 {
                continue;
            }
            if self.unit().ln() < 0.5 * x * x + d - d * v + d * v.ln() {
                return d * v / rate;
            }
        }
    }

    /// Beta of shapes `a` and `b`, as `X / (X + Y)` with `X ~ Gamma(a)`, `Y ~ Gamma(b)`
    /// (one half if both underflow, which only shapes far below 0.01 make likely).
    fn beta(&mut self, a: f64, b: f64) -> f64 {
        let (x, y) = (self.gamma(a, 1.0), self.gamma(b, 1.0));
        if x + y > 0.0 {
            x / (x + y)
        } else {
            0.5
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn moments(draws: impl Iterator<Item = f64>) -> (f64, f64) {
        let draws: Vec<f64> = draws.collect();
        let n = draws.len() as f64;
        let mean = draws.iter().sum::<f64>() / n;
        let var = draws.iter().map(|d| (d - mean).powi(2)).sum::<f64>() / (n - 1.0);
        (mean, var)
    }

    #[test]
    fn variates_have_their_moments() {
        let mut rng = Rng(1);
        let n = 200_000;
        for (shape, rate) in [(0.24, 4.41), (6.25, 1.0), (3.74, 15.45), (50.0, 2.0)] {
            let (mean, var) = moments((0..n).map(|_| rng.gamma(shape, rate)));
            let (want_mean, want_var) = (shape / rate, shape / (rate * rate));
            assert!(
                (mean / want_mean - 1.0).abs() < 0.02,
                "gamma({shape}) mean {mean}"
            );
            assert!(
                (var / want_var - 1.0).abs() < 0.05,
                "gamma({shape}) var {var}"
            );
        }
        let (a, b) = (0.79, 2.43);
        let (mean, var) = moments((0..n).map(|_| rng.beta(a, b)));
        let want_var = a * b / ((a + b).powi(2) * (a + b + 1.0));
        assert!(
            (mean / (a / (a + b)) - 1.0).abs() < 0.02,
            "beta mean {mean}"
        );
        assert!((var / want_var - 1.0).abs() < 0.05, "beta var {var}");
        let (mean, _) = moments((0..n).map(|_| rng.normal()));
        assert!(mean.abs() < 0.01);
    }

    #[test]
    fn is_deterministic_and_valid() {
        let model = BgNbd {
            r: 0.24,
            alpha: 4.41,
            a: 0.79,
            b: 2.43,
        };
        let spend = GammaGamma {
            p: 6.25,
            q: 3.74,
            v: 15.45,
        };
        let one = simulate(&model, Some(&spend), 2_000, 39.0, 3).unwrap();
        assert_eq!(one, simulate(&model, Some(&spend), 2_000, 39.0, 3).unwrap());
        assert_ne!(one, simulate(&model, Some(&spend), 2_000, 39.0, 4).unwrap());
        for (i, s) in one.iter().enumerate() {
            s.check(&format!("simulated[{i}]")).unwrap();
            assert!(s.t >= 19.5 && s.t < 39.0);
            assert_eq!(s.monetary > 0.0, s.frequency > 0.0);
        }
        // With E[λ] = r / α ≈ 0.054 a week, about half buy again within 39 weeks.
        let repeaters = one.iter().filter(|s| s.frequency > 0.0).count();
        assert!((600..1_400).contains(&repeaters), "{repeaters}");
        assert_eq!(simulate(&model, None, 0, 39.0, 3).unwrap(), vec![]);
    }

    #[test]
    fn rejects_bad_parameters() {
        let model = BgNbd {
            r: 0.24,
            alpha: 4.41,
            a: 0.79,
            b: 2.43,
        };
        let field = |r: Result<Vec<PurchaseSummary>>| r.unwrap_err().field().map(String::from);
        assert_eq!(
            field(simulate(&model, None, 1, 0.0, 1)).as_deref(),
            Some("t_cal")
        );
        let bad = BgNbd { b: -1.0, ..model };
        assert_eq!(field(simulate(&bad, None, 1, 1.0, 1)).as_deref(), Some("b"));
        let spend = GammaGamma {
            p: 1.0,
            q: f64::NAN,
            v: 1.0,
        };
        assert_eq!(
            field(simulate(&model, Some(&spend), 1, 1.0, 1)).as_deref(),
            Some("q")
        );
    }
}
