//! A small unconstrained minimiser for the model fits: BFGS on an analytic gradient, with a
//! backtracking (Armijo) line search.
//!
//! It is deterministic, caps its iterations, and reports failure as a [`Failure`] instead
//! of panicking or returning NaN: a trial point where the objective or its gradient is not
//! finite is treated as too far and the step is shortened. The inverse-Hessian estimate
//! starts as the identity, is rescaled by `sᵀy / yᵀy` after the first step, and skips
//! updates whose curvature `sᵀy` is not positive; it falls back to steepest descent
//! when its direction does not descend or its line search fails.

use std::fmt;

/// Largest change of any coordinate in one step (the fits work in log-parameters, where
/// this is a factor of e^5 ≈ 148).
const MAX_STEP: f64 = 5.0;
/// Sufficient-decrease constant of the Armijo condition.
const ARMIJO: f64 = 1e-4;
/// Step shortenings before a line search gives up.
const MAX_SHORTENINGS: u32 = 60;

/// Where the minimiser stopped.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Minimum {
    /// The minimising point.
    pub(crate) x: Vec<f64>,
    /// The objective there.
    pub(crate) value: f64,
    /// Iterations run.
    pub(crate) iterations: u32,
}

/// Why the minimiser gave up.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Failure {
    /// The objective or its gradient is not finite at the starting point.
    NotFinite,
    /// No step along steepest descent decreases the objective, yet the gradient is not
    /// below the tolerance.
    Stalled {
        /// Largest gradient component where it stalled.
        gradient: f64,
    },
    /// The iteration cap was reached first.
    MaxIterations {
        /// Largest gradient component at the last point.
        gradient: f64,
    },
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::NotFinite => write!(f, "the objective is not finite at the starting point"),
            Failure::Stalled { gradient } => {
                write!(f, "no step decreases the objective (gradient {gradient:e})")
            }
            Failure::MaxIterations { gradient } => {
                write!(f, "iteration cap reached (gradient {gradient:e})")
            }
        }
    }
}

/// Minimises `f` from `x0`, where `f(x, gradient)` returns the objective at `x` and writes
/// its gradient; stops when no gradient component exceeds `tolerance`.
pub(crate) fn minimize(
    mut f: impl FnMut(&[f64], &mut [f64]) -> f64,
    x0: &[f64],
    max_iterations: u32,
    tolerance: f64,
) -> Result<Minimum, Failure> {
    let n = x0.len();
    let mut point = Point::new(x0.to_vec());
    if !point.evaluate(&mut f) {
        return Err(Failure::NotFinite);
    }
    let mut h = identity(n);
    let mut scaled = false;
    for iteration in 0..max_iterations {
        let gradient = max_abs(&point.g);
        if gradient <= tolerance {
            return Ok(point.into_minimum(iteration));
        }
        let mut direction = times(&h, &point.g, -1.0);
        if dot(&direction, &point.g) >= 0.0 {
            h = identity(n);
            direction = point.g.iter().map(|g| -g).collect();
        }
        let next = match line_search(&mut f, &point, &direction, scaled) {
            Some(next) => next,
            None if h != identity(n) => {
                h = identity(n);
                continue;
            }
            None => return Err(Failure::Stalled { gradient }),
        };
        let s: Vec<f64> = next.x.iter().zip(&point.x).map(|(a, b)| a - b).collect();
        let y: Vec<f64> = next.g.iter().zip(&point.g).map(|(a, b)| a - b).collect();
        let sy = dot(&s, &y);
        if sy > 1e-12 * dot(&s, &s).sqrt() * dot(&y, &y).sqrt() {
            if !scaled {
                h = identity(n);
                let scale = sy / dot(&y, &y);
                h.iter_mut().for_each(|v| *v *= scale);
                scaled = true;
            }
            update(&mut h, &s, &y, sy);
        }
        point = next;
    }
    if max_abs(&point.g) <= tolerance {
        return Ok(point.into_minimum(max_iterations));
    }
    Err(Failure::MaxIterations {
        gradient: max_abs(&point.g),
    })
}

/// A point with its objective value and gradient.
struct Point {
    x: Vec<f64>,
    value: f64,
    g: Vec<f64>,
}

impl Point {
    fn new(x: Vec<f64>) -> Self {
        let g = vec![0.0; x.len()];
        Point {
            x,
            value: f64::NAN,
            g,
        }
    }

    /// Evaluates the objective here; whether value and gradient are finite.
    fn evaluate(&mut self, f: &mut impl FnMut(&[f64], &mut [f64]) -> f64) -> bool {
        self.value = f(&self.x, &mut self.g);
        self.value.is_finite() && self.g.iter().all(|g| g.is_finite())
    }

    fn into_minimum(self, iterations: u32) -> Minimum {
        Minimum {
            x: self.x,
            value: self.value,
            iterations,
        }
    }
}

/// Backtracks from a unit step along `direction` (shorter before the inverse-Hessian
/// estimate is scaled, and capped at [`MAX_STEP`] per coordinate) until the Armijo
/// condition holds; shortens by quadratic interpolation, between a tenth and a half.
fn line_search(
    f: &mut impl FnMut(&[f64], &mut [f64]) -> f64,
    from: &Point,
    direction: &[f64],
    scaled: bool,
) -> Option<Point> {
    let slope = dot(&from.g, direction);
    let longest = max_abs(direction);
    let mut step: f64 = if scaled {
        1.0
    } else {
        1.0f64.min(1.0 / longest)
    };
    step = step.min(MAX_STEP / longest);
    for _ in 0..MAX_SHORTENINGS {
        let x = from.x.iter().zip(direction).map(|(x, d)| x + step * d);
        let mut trial = Point::new(x.collect());
        let finite = trial.evaluate(f);
        if finite && trial.value <= from.value + ARMIJO * step * slope {
            return Some(trial);
        }
        let shorter = if finite {
            -slope * step * step / (2.0 * (trial.value - from.value - slope * step))
        } else {
            0.0
        };
        step = shorter.clamp(0.1 * step, 0.5 * step);
    }
    None
}

/// The BFGS update of the inverse-Hessian estimate `h` (row-major `n × n`):
/// `h ← (I - ρ s yᵀ) h (I - ρ y sᵀ) + ρ s sᵀ` with `ρ = 1 / sᵀy`.
fn update(h: &mut [f64], s: &[f64], y: &[f64], sy: f64) {
    let n = s.len();
    let rho = 1.0 / sy;
    let hy = times(h, y, 1.0);
    let yhy = dot(y, &hy);
    for i in 0..n {
        for j in 0..n {
            h[i * n + j] += rho * ((1.0 + rho * yhy) * s[i] * s[j] - hy[i] * s[j] - s[i] * hy[j]);
        }
    }
}

fn identity(n: usize) -> Vec<f64> {
    (0..n * n)
        .map(|k| if k % (n + 1) == 0 { 1.0 } else { 0.0 })
        .collect()
}

/// `factor · h v` for a row-major square `h`.
fn times(h: &[f64], v: &[f64], factor: f64) -> Vec<f64> {
    h.chunks_exact(v.len())
        .map(|row| factor * dot(row, v))
        .collect()
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(a, b)| a * b).sum()
}

fn max_abs(v: &[f64]) -> f64 {
    v.iter().fold(0.0, |m, x| m.max(x.abs()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rosenbrock(x: &[f64], g: &mut [f64]) -> f64 {
        let (a, b) = (x[0], x[1]);
        g[0] = -2.0 * (1.0 - a) - 400.0 * a * (b - a * a);
        g[1] = 200.0 * (b - a * a);
        (1.0 - a).powi(2) + 100.0 * (b - a * a).powi(2)
    }

    #[test]
    fn minimizes_rosenbrock() {
        for start in [[-1.2, 1.0], [2.0, -1.5], [0.0, 0.0]] {
            let min = minimize(rosenbrock, &start, 200, 1e-10).unwrap();
            assert!((min.x[0] - 1.0).abs() < 1e-8, "{start:?}: {min:?}");
            assert!((min.x[1] - 1.0).abs() < 1e-8, "{start:?}: {min:?}");
            assert!(
                min.value < 1e-16 && min.iterations < 100,
                "{start:?}: {min:?}"
            );
        }
    }

    #[test]
    fn minimizes_a_quadratic_in_few_steps() {
        let quadratic = |x: &[f64], g: &mut [f64]| {
            let scales = [1.0, 10.0, 100.0];
            let mut value = 0.0;
            for i in 0..3 {
                g[i] = scales[i] * (x[i] - i as f64);
                value += 0.5 * scales[i] * (x[i] - i as f64).powi(2);
            }
            value
        };
        let min = minimize(quadratic, &[5.0, 5.0, 5.0], 100, 1e-12).unwrap();
        for (i, x) in min.x.iter().enumerate() {
            assert!((x - i as f64).abs() < 1e-12, "{min:?}");
        }
        assert!(min.iterations <= 20, "{min:?}");
    }

    #[test]
    fn reports_failures_instead_of_panicking() {
        let nan = |_: &[f64], g: &mut [f64]| {
            g[0] = 0.0;
            f64::NAN
        };
        assert_eq!(minimize(nan, &[1.0], 10, 1e-8), Err(Failure::NotFinite));
        // Unbounded below: the cap stops it.
        let linear = |_: &[f64], g: &mut [f64]| {
            g[0] = 1.0;
            0.0
        };
        let failure = minimize(linear, &[0.0], 10, 1e-8).unwrap_err();
        assert!(matches!(failure, Failure::Stalled { .. }), "{failure}");
        let unbounded = |x: &[f64], g: &mut [f64]| {
            g[0] = 1.0;
            x[0]
        };
        let failure = minimize(unbounded, &[0.0], 10, 1e-8).unwrap_err();
        assert_eq!(failure, Failure::MaxIterations { gradient: 1.0 });
        // Finite only on (-1, 1): the line search shortens steps that leave it.
        let walled = |x: &[f64], g: &mut [f64]| {
            g[0] = 2.0 * (x[0] - 0.9) + 1.0 / (1.0 - x[0]);
            (x[0] - 0.9).powi(2) - (1.0 - x[0]).ln()
        };
        let min = minimize(walled, &[0.0], 100, 1e-10).unwrap();
        assert!(min.x[0] < 1.0 && min.value.is_finite(), "{min:?}");
    }
}
