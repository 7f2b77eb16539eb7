//! Customer lifecycle models, as pure functions of purchase summaries: who is still alive,
//! how much they will buy, and what they are worth.
//!
//! - [`summary`]: a customer's purchases reduced to `(frequency, recency, T, monetary)`, as
//!   lifetimes' `summary_data_from_transaction_data` does;
//! - [`bgnbd`]: the BG/NBD model (fit, log-likelihood, P(alive), expected purchases);
//! - [`gamma_gamma`]: the Gamma-Gamma spend model (fit, expected value per purchase);
//! - [`clv`]: customer lifetime value from the two;
//! - [`predict`]: the models' predictions for many summaries at once, as columns;
//! - [`churn`]: the engine's fitted churn model and every buyer's scores under it;
//! - [`engagement`]: engagement scores with exponential decay, kept per customer;
//! - [`rfm`]: recency, frequency, monetary scores and the named RFM segments;
//! - [`ladder`]: stage ladders, their built-in definitions and stage moves;
//! - [`measure`]: funnels, activity rates, monthly entries and cohort retention;
//! - [`simulate`]: customers drawn from known parameters;
//! - [`fit`]: fit options and results; [`optimize`] the minimiser the fits share;
//!   [`special`] the functions they need (ln Γ, digamma, ₂F₁).
//!
//! Every fit matches the objective of the corresponding `lifetimes` fitter (checked against
//! lifetimes 0.11.3 by `scripts/bench.sh`). Bad input is a
//! [`crate::Error::Validation`] naming the field, as in `summaries[3].recency`; nothing
//! here panics.

mod bgnbd;
mod churn;
mod clv;
mod engagement;
mod fit;
#[cfg(test)]
mod fixtures;
mod gamma_gamma;
mod ladder;
mod measure;
mod optimize;
mod predict;
mod rfm;
mod simulate;
mod special;
mod summary;

pub use bgnbd::{BgNbd, BgNbdFit};
pub(crate) use churn::{check_period, summaries, Churn};
pub use churn::{ChurnModel, ChurnOptions, ChurnTable, SummaryTable};
pub use clv::customer_lifetime_value;
pub(crate) use engagement::{Decayed, Scores};
pub use engagement::{EventWeight, ScoreTable, ScoringConfig};
pub use fit::{Fit, FitOptions, LogLikelihood};
pub use gamma_gamma::{GammaGamma, GammaGammaFit};
pub(crate) use ladder::{
    check_definition, stage_node, Ladder, Ladders, Move, PendingMove, BUILT_IN,
};
pub use ladder::{LadderInfo, MovedTable, StageMove, StageTimes, MAX_STAGES, MAX_STAGE_NAME_LEN};
pub(crate) use measure::{month_name, month_of};
pub use measure::{ActivityRate, CohortRetention, Funnel, MonthlyCounts};
pub use predict::{predict, PredictOptions, Predictions};
pub(crate) use rfm::{Rfm, RfmCache};
pub use rfm::{RfmSegment, RfmTable};
pub use simulate::simulate;
pub use summary::PurchaseSummary;
