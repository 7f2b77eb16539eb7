//! The special functions the lifecycle models need: `ln Γ` (Lanczos), the digamma function
//! `ψ = (ln Γ)'` (recurrence and asymptotic series, for analytic gradients), and the log of
//! the Gauss hypergeometric function `₂F₁(a, b; c; z)` for `0 <= z < 1` (power series, with
//! Euler's transformation where it converges faster, scaled in log space).
//!
//! These functions take any `f64` and never panic: outside their domain `ln_gamma` and
//! `digamma` return NaN, and `hyp2f1` returns `None`. Callers validate first.

use std::f64::consts::PI;

/// Lanczos coefficients for `g = 7`, `n = 9`: about 1e-15 relative error on `Γ`.
const LANCZOS_G: f64 = 7.0;
const LANCZOS: [f64; 9] = [
    0.999_999_999_999_809_9,
    676.520_368_121_885_1,
    -1_259.139_216_722_402_8,
    771.323_428_777_653_1,
    -176.615_029_162_140_6,
    12.507_343_278_686_905,
    -0.138_571_095_265_720_12,
    9.984_369_578_019_572e-6,
    1.505_632_735_149_311_6e-7,
];

/// Terms the hypergeometric series may take before it is declared not converging.
const MAX_TERMS: usize = 1_000_000;

/// `ln Γ(x)` for `x > 0`; NaN otherwise.
pub(crate) fn ln_gamma(x: f64) -> f64 {
    if x.is_nan() || x <= 0.0 {
        return f64::NAN;
    }
    if x < 0.5 {
        // Reflection: Γ(x) Γ(1 - x) = π / sin(πx), sin(πx) > 0 on (0, 0.5).
        return (PI / (PI * x).sin()).ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let sum = LANCZOS[1..]
        .iter()
        .enumerate()
        .fold(LANCZOS[0], |sum, (i, &c)| sum + c / (x + (i + 1) as f64));
    let t = x + LANCZOS_G + 0.5;
    0.5 * (2.0 * PI).ln() + (x + 0.5) * t.ln() - t + sum.ln()
}

/// The digamma function `ψ(x) = d ln Γ(x) / dx` for `x > 0`; NaN otherwise.
pub(crate) fn digamma(x: f64) -> f64 {
    if !(x > 0.0 && x.is_finite()) {
        return f64::NAN;
    }
    // ψ(x) = ψ(x + 1) - 1/x up to x >= 12, where the asymptotic series (through x^-12)
    // is exact to rounding.
    let (mut x, mut shift) = (x, 0.0);
    while x < 12.0 {
        shift -= 1.0 / x;
        x += 1.0;
    }
    let inv2 = 1.0 / (x * x);
    let series = inv2
        * (1.0 / 12.0
            - inv2
                * (1.0 / 120.0
                    - inv2
                        * (1.0 / 252.0
                            - inv2
                                * (1.0 / 240.0 - inv2 * (1.0 / 132.0 - inv2 * 691.0 / 32_760.0)))));
    shift + x.ln() - 0.5 / x - series
}

/// `₂F₁(a, b; c; z)` for `0 <= z < 1` as `(sum, log_scale)` with value `sum · e^log_scale`
/// (so that large values do not overflow), or `None` when `z` is outside `[0, 1)`, `c` is a
/// pole (0, -1, -2, ...), or the series does not converge within a million terms (only for
/// `z` within about 1e-5 of 1).
///
/// When `a + b > c` the series' terms shrink slowly (the function grows like
/// `(1 - z)^(c - a - b)`), so it sums Euler's transformation
/// `₂F₁(a, b; c; z) = (1 - z)^(c - a - b) ₂F₁(c - a, c - b; c; z)` instead, whose terms
/// shrink like `k^(c - a - b - 1) z^k`, and returns the power as the log scale.
pub(crate) fn hyp2f1(a: f64, b: f64, c: f64, z: f64) -> Option<(f64, f64)> {
    if !((0.0..1.0).contains(&z) && a.is_finite() && b.is_finite() && c.is_finite()) {
        return None;
    }
    if a + b > c {
        Some((series(c - a, c - b, c, z)?, (c - a - b) * (-z).ln_1p()))
    } else {
        Some((series(a, b, c, z)?, 0.0))
    }
}

/// The power series `Σ (a)_k (b)_k / (c)_k z^k / k!`, summed until the tail is below
/// rounding.
///
/// Past `k > max(|a|, |b|, |c|)` every Pochhammer factor is positive, the terms keep one
/// sign, and the ratio of successive terms tends monotonically to `z`; the tail after a
/// term is then at most `term · ρ / (1 - ρ)` with `ρ` the larger of the next ratio and `z`.
fn series(a: f64, b: f64, c: f64, z: f64) -> Option<f64> {
    let settled = a.abs().max(b.abs()).max(c.abs());
    let (mut term, mut sum) = (1.0f64, 1.0f64);
    for k in 0..MAX_TERMS {
        let k = k as f64;
        term *= (a + k) * (b + k) / ((c + k) * (k + 1.0)) * z;
        sum += term;
        if !sum.is_finite() {
            return None;
        }
        if term == 0.0 {
            // z = 0, or a or b a non-positive integer: the series stops here.
            return Some(sum);
        }
        if k + 1.0 > settled {
            let next = ((a + k + 1.0) * (b + k + 1.0) / ((c + k + 1.0) * (k + 2.0)) * z).abs();
            let rho = next.max(z);
            if rho < 1.0 && term.abs() * rho / (1.0 - rho) <= f64::EPSILON * 0.5 * sum.abs() {
                return Some(sum);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(got: f64, want: f64, rel: f64) {
        let err = (got - want).abs() / want.abs().max(1e-300);
        assert!(err <= rel, "got {got}, want {want}, relative error {err:e}");
    }

    #[test]
    fn ln_gamma_matches_known_values() {
        // Factorials, Γ(1/2) = √π, and values from Python's math.lgamma.
        close(ln_gamma(10.0), 362_880f64.ln(), 1e-14);
        close(ln_gamma(0.5), PI.sqrt().ln(), 1e-14);
        close(ln_gamma(1.5), (PI.sqrt() / 2.0).ln(), 1e-14);
        close(ln_gamma(3.0), 2f64.ln(), 1e-14);
        close(ln_gamma(100.0), 359.134_205_369_575_4, 1e-14);
        close(ln_gamma(0.243), 1.318_043_584_699_669_9, 1e-14);
        close(ln_gamma(1e-3), 6.907_178_885_383_854, 1e-14);
        close(ln_gamma(1e6), 12_815_504.569_147_611, 1e-14);
        assert!(ln_gamma(1.0).abs() < 1e-15 && ln_gamma(2.0).abs() < 1e-15);
        assert!(ln_gamma(0.0).is_nan() && ln_gamma(-1.5).is_nan() && ln_gamma(f64::NAN).is_nan());
    }

    #[test]
    fn digamma_matches_known_values() {
        // ψ(1) = -γ, ψ(1/2) = -γ - 2 ln 2, and a central difference of ln Γ.
        let euler = 0.577_215_664_901_532_9;
        close(digamma(1.0), -euler, 1e-14);
        close(digamma(0.5), -euler - 2.0 * 2f64.ln(), 1e-14);
        close(digamma(100.0), 4.600_161_852_738_088, 1e-14);
        let (x, h) = (0.243, 1e-5);
        close(
            digamma(x),
            (ln_gamma(x + h) - ln_gamma(x - h)) / (2.0 * h),
            1e-8,
        );
        assert!(digamma(0.0).is_nan() && digamma(f64::INFINITY).is_nan());
    }

    /// `₂F₁` as a plain number.
    fn value(a: f64, b: f64, c: f64, z: f64) -> f64 {
        let (sum, log_scale) = hyp2f1(a, b, c, z).unwrap();
        sum * log_scale.exp()
    }

    #[test]
    fn hyp2f1_matches_closed_forms() {
        for z in [0.0f64, 1e-3, 0.3, 0.9, 0.999] {
            // ₂F₁(1, 1; 2; z) = -ln(1 - z) / z.
            let want = if z == 0.0 { 1.0 } else { -(-z).ln_1p() / z };
            close(value(1.0, 1.0, 2.0, z), want, 1e-13);
            // ₂F₁(a, b; b; z) = (1 - z)^-a, through the Euler branch (a + b > c).
            close(value(3.7, 2.2, 2.2, z), (1.0 - z).powf(-3.7), 1e-13);
            // ₂F₁(1/2, 1/2; 3/2; s²) = asin(s) / s.
            let s = z.sqrt();
            let want = if z == 0.0 { 1.0 } else { s.asin() / s };
            close(value(0.5, 0.5, 1.5, z), want, 1e-13);
        }
    }

    #[test]
    fn hyp2f1_matches_scipy() {
        // scipy.special.hyp2f1 at BG/NBD-like arguments (r + x, b + x, a + b + x - 1, z).
        close(
            value(10.243, 12.426, 12.219, 0.5),
            1_374.268_406_786_268_5,
            1e-12,
        );
        close(
            value(0.243, 2.426, 2.219, 0.9),
            1.947_631_169_818_600_6,
            1e-12,
        );
        let (sum, log_scale) = hyp2f1(50.243, 52.426, 52.219, 0.99).unwrap();
        close(sum.ln() + log_scale, 232.322_871_464_479_96, 1e-12);
        // A negative value (c < 0).
        close(value(3.52, 0.01, -0.98, 0.9), -49_755.276_842_523_1, 1e-12);
    }

    #[test]
    fn hyp2f1_rejects_what_it_cannot_sum() {
        assert_eq!(hyp2f1(1.0, 1.0, 2.0, 1.0), None);
        assert_eq!(hyp2f1(1.0, 1.0, 2.0, -0.1), None);
        assert_eq!(hyp2f1(1.0, 1.0, 0.0, 0.5), None);
        assert_eq!(hyp2f1(f64::NAN, 1.0, 2.0, 0.5), None);
        // A terminating series: ₂F₁(-2, b; c; z) is a polynomial.
        let want = 1.0 - 2.0 * 3.0 / 4.0 * 0.5 + 3.0 * 4.0 / (4.0 * 5.0) * 0.25;
        close(value(-2.0, 3.0, 4.0, 0.5), want, 1e-15);
    }
}
