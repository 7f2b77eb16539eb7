//! What fitting a lifecycle model takes ([`FitOptions`]) and gives ([`Fit`], with its
//! [`LogLikelihood`]).

use serde::{Deserialize, Serialize};

use crate::error::{invalid, Result};

/// How a model is fitted by maximum likelihood; [`Default`] has lifetimes' penalizer and
/// tolerance.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FitOptions {
    /// L2 penalty on the parameters, lifetimes' `penalizer_coef`: the fit minimises the mean
    /// negative log-likelihood plus `penalizer` times the sum of the squared parameters; at
    /// least 0, 0 by default.
    pub penalizer: f64,
    /// Most minimiser iterations before the fit fails; at least 1, 500 by default.
    pub max_iterations: u32,
    /// The fit has converged when no component of the objective's gradient with respect
    /// to the log-parameters exceeds this; above 0, 1e-7 by default (lifetimes' `tol`).
    pub tolerance: f64,
}

impl Default for FitOptions {
    fn default() -> Self {
        FitOptions {
            penalizer: 0.0,
            max_iterations: 500,
            tolerance: 1e-7,
        }
    }
}

impl FitOptions {
    /// Rejects a negative or non-finite penalizer, zero iterations and a tolerance that is
    /// not above 0 and finite.
    pub(crate) fn check(&self) -> Result<()> {
        if !(self.penalizer >= 0.0 && self.penalizer.is_finite()) {
            return Err(invalid(
                "options.penalizer",
                format!("must be at least 0 and finite, got {}", self.penalizer),
            ));
        }
        if self.max_iterations == 0 {
            return Err(invalid("options.max_iterations", "must be at least 1"));
        }
        if !(self.tolerance > 0.0 && self.tolerance.is_finite()) {
            return Err(invalid(
                "options.tolerance",
                format!("must be above 0 and finite, got {}", self.tolerance),
            ));
        }
        Ok(())
    }
}

/// A model's log-likelihood over a set of customers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LogLikelihood {
    /// Sum over the customers.
    pub total: f64,
    /// Mean over the customers: minus the objective lifetimes minimises (without penalizer).
    pub mean: f64,
    /// Customers counted.
    pub customers: usize,
}

impl LogLikelihood {
    /// The log-likelihood of customers whose terms add up to `total`.
    pub(crate) fn new(total: f64, customers: usize) -> Self {
        LogLikelihood {
            total,
            mean: total / customers as f64,
            customers,
        }
    }
}

/// A fitted model: its parameters, its (unpenalized) log-likelihood on the data it was fitted
/// to, and the minimiser iterations it took.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Fit<M> {
    /// The maximum-likelihood parameters.
    pub model: M,
    /// The log-likelihood of the data at `model`.
    pub log_likelihood: LogLikelihood,
    /// Minimiser iterations run.
    pub iterations: u32,
}
