//! Lifecycle scoring: the engagement scoring configuration and scores, RFM, stage ladders
//! and their moves, the churn model and the lifecycle measures.
//!
//! Results with a value per customer (`ScoreTable`, `RfmTable`, `SummaryTable`,
//! `ChurnTable`, `MovedTable`) are aligned columns, as in the core. Periods of the churn
//! model are `Duration`s (`java.time.Duration` in Kotlin, `TimeInterval` in Swift).
//! `ScoringConfig` and `ChurnOptions` follow `EngineConfig`: a `null` field means the core's
//! default, and what the engine returns has every field filled in.

use std::time::{Duration, SystemTime};

use crate::errors::Result;
use crate::event::Direction;
use crate::time;

/// Points one event of a kind and direction is worth when it happens.
#[derive(Clone, Debug, PartialEq, uniffi::Record)]
pub struct EventWeight {
    /// Event kind (`view`, `share`, `purchase`...) or a custom name; folded to lower case.
    pub kind: String,
    /// Direction the weight applies to; default `Inbound`.
    #[uniffi(default)]
    pub direction: Option<Direction>,
    /// Points, finite and at least 0.
    pub weight: f64,
}

impl From<EventWeight> for scrm::EventWeight {
    fn from(w: EventWeight) -> Self {
        scrm::EventWeight {
            kind: w.kind,
            direction: w.direction.map(Into::into).unwrap_or_default(),
            weight: w.weight,
        }
    }
}

impl From<scrm::EventWeight> for EventWeight {
    fn from(w: scrm::EventWeight) -> Self {
        EventWeight {
            kind: w.kind,
            direction: Some(w.direction.into()),
            weight: w.weight,
        }
    }
}

/// How engagement scores are computed. `setScoring` replaces the whole configuration: a
/// `null` field takes its default, not the value in force (the default weighs inbound view
/// 0.5, click 1, message 2, follow 2, survey 2, comment 3, signup 3, share 5, purchase 10,
/// with a half-life of 30 days); `scoring()` returns every field filled in.
#[derive(Clone, Debug, Default, PartialEq, uniffi::Record)]
pub struct ScoringConfig {
    /// Points per event kind and direction; a pair appears at most once, unlisted pairs
    /// score 0.
    #[uniffi(default)]
    pub weights: Option<Vec<EventWeight>>,
    /// Days after which an event's points count half; at least one second (1/86400).
    #[uniffi(default)]
    pub half_life_days: Option<f64>,
}

impl ScoringConfig {
    /// The core configuration, the core's defaults for what is left `null`.
    pub fn into_core(self) -> scrm::ScoringConfig {
        let default = scrm::ScoringConfig::default();
        scrm::ScoringConfig {
            weights: match self.weights {
                Some(weights) => weights.into_iter().map(Into::into).collect(),
                None => default.weights,
            },
            half_life_days: self.half_life_days.unwrap_or(default.half_life_days),
        }
    }
}

impl From<scrm::ScoringConfig> for ScoringConfig {
    fn from(c: scrm::ScoringConfig) -> Self {
        ScoringConfig {
            weights: Some(c.weights.into_iter().map(Into::into).collect()),
            half_life_days: Some(c.half_life_days),
        }
    }
}

/// Every live customer's engagement score at the engine clock, in creation order.
#[derive(Clone, Debug, PartialEq, uniffi::Record)]
pub struct ScoreTable {
    /// Customer ids.
    pub ids: Vec<String>,
    /// Their scores.
    pub scores: Vec<f64>,
}

impl From<scrm::ScoreTable> for ScoreTable {
    fn from(t: scrm::ScoreTable) -> Self {
        ScoreTable {
            ids: t.ids,
            scores: t.scores,
        }
    }
}

/// A named RFM segment, as the segment predicate `rfm = champions` names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, uniffi::Enum)]
pub enum RfmSegment {
    /// Bought recently and often.
    Champions,
    /// Buy often, fairly recently.
    Loyal,
    /// Recent buyers with a few purchases.
    PotentialLoyalists,
    /// Recent first-time buyers.
    New,
    /// Bought often, but not lately.
    AtRisk,
    /// Bought most often, long ago.
    CannotLose,
    /// Bought rarely, a while ago.
    Hibernating,
    /// Bought rarely, longest ago.
    Lost,
}

impl From<scrm::RfmSegment> for RfmSegment {
    fn from(s: scrm::RfmSegment) -> Self {
        match s {
            scrm::RfmSegment::Champions => RfmSegment::Champions,
            scrm::RfmSegment::Loyal => RfmSegment::Loyal,
            scrm::RfmSegment::PotentialLoyalists => RfmSegment::PotentialLoyalists,
            scrm::RfmSegment::New => RfmSegment::New,
            scrm::RfmSegment::AtRisk => RfmSegment::AtRisk,
            scrm::RfmSegment::CannotLose => RfmSegment::CannotLose,
            scrm::RfmSegment::Hibernating => RfmSegment::Hibernating,
            scrm::RfmSegment::Lost => RfmSegment::Lost,
        }
    }
}

/// Every buyer's recency, frequency and monetary value at the engine clock, with their
/// quantile scores 1..5 and named segment, as columns (row `i` of each is one buyer). The
/// scores are `u32` rather than the core's `u8`: a list of `u8` crosses uniffi as bytes (a
/// Kotlin `ByteArray`, which data-class equality compares by reference; Swift `Data`).
#[derive(Clone, Debug, PartialEq, uniffi::Record)]
pub struct RfmTable {
    /// Customer ids of the buyers, in creation order.
    pub ids: Vec<String>,
    /// Days from the last purchase to the clock.
    pub recency_days: Vec<f64>,
    /// Number of purchases.
    pub frequency: Vec<u64>,
    /// Sum of the purchase amounts.
    pub monetary: Vec<f64>,
    /// Recency score, 1..5 (5 = most recent).
    pub r: Vec<u32>,
    /// Frequency score, 1..5.
    pub f: Vec<u32>,
    /// Monetary score, 1..5.
    pub m: Vec<u32>,
    /// Named segment.
    pub segment: Vec<RfmSegment>,
}

/// Quantile scores 1..5 as `u32`s.
fn quintiles(scores: Vec<u8>) -> Vec<u32> {
    scores.into_iter().map(u32::from).collect()
}

impl From<scrm::RfmTable> for RfmTable {
    fn from(t: scrm::RfmTable) -> Self {
        RfmTable {
            ids: t.ids,
            recency_days: t.recency_days,
            frequency: t.frequency,
            monetary: t.monetary,
            r: quintiles(t.r),
            f: quintiles(t.f),
            m: quintiles(t.m),
            segment: t.segment.into_iter().map(Into::into).collect(),
        }
    }
}

/// One stage of a ladder to define.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct StageInput {
    /// Stage name, unique on the ladder.
    pub name: String,
    /// Entry rule in the segment language: empty (the default) for the first stage,
    /// required for every other.
    #[uniffi(default = "")]
    pub rule: String,
}

/// A ladder with its stages, their rules and the live customers at each.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct LadderInfo {
    /// Name.
    pub name: String,
    /// Stage names, lowest first.
    pub stages: Vec<String>,
    /// Entry rule of each stage in canonical form (empty for the first).
    pub rules: Vec<String>,
    /// Whether it is one of the built-in ladders (`brand`, `commercial`) as shipped.
    pub built_in: bool,
    /// Live customers at each stage.
    pub counts: Vec<u64>,
}

impl From<scrm::LadderInfo> for LadderInfo {
    fn from(l: scrm::LadderInfo) -> Self {
        LadderInfo {
            name: l.name,
            stages: l.stages,
            rules: l.rules,
            built_in: l.built_in,
            counts: l.counts,
        }
    }
}

/// One stage transition of a customer.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct StageMove {
    /// Customer id (the survivor's, after merges).
    pub customer: String,
    /// Stage left.
    pub from: String,
    /// Stage entered.
    pub to: String,
    /// Engine clock when the engine saw the move.
    pub at: SystemTime,
}

impl From<scrm::StageMove> for StageMove {
    fn from(m: scrm::StageMove) -> Self {
        StageMove {
            customer: m.customer,
            from: m.from,
            to: m.to,
            at: time::from_core(m.at),
        }
    }
}

/// Time a customer has spent at each stage of a ladder, as columns.
#[derive(Clone, Debug, PartialEq, uniffi::Record)]
pub struct StageTimes {
    /// Stage names, lowest first.
    pub stages: Vec<String>,
    /// Seconds spent at each stage, from the customer's creation (or the ladder's
    /// definition, if later) to the engine clock.
    pub seconds: Vec<f64>,
}

impl From<scrm::StageTimes> for StageTimes {
    fn from(t: scrm::StageTimes) -> Self {
        StageTimes {
            stages: t.stages,
            seconds: t.seconds,
        }
    }
}

/// The moves between two stages in a period, as columns (a customer moving twice appears
/// twice).
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct MovedTable {
    /// Current customer ids, one row per move.
    pub ids: Vec<String>,
    /// When each move happened.
    pub at: Vec<SystemTime>,
}

impl From<scrm::MovedTable> for MovedTable {
    fn from(t: scrm::MovedTable) -> Self {
        MovedTable {
            ids: t.ids,
            at: t.at.into_iter().map(time::from_core).collect(),
        }
    }
}

/// Every buyer's purchase summary at a calibration end, in periods, as columns (the shape
/// of lifetimes' `summary_data_from_transaction_data`).
#[derive(Clone, Debug, PartialEq, uniffi::Record)]
pub struct SummaryTable {
    /// Customer ids of those with a purchase by the calibration end.
    pub ids: Vec<String>,
    /// Repeat purchase periods.
    pub frequency: Vec<f64>,
    /// Periods from the first purchase to the last.
    pub recency: Vec<f64>,
    /// Periods from the first purchase to the calibration end.
    pub t: Vec<f64>,
    /// Mean value of the repeat periods.
    pub monetary: Vec<f64>,
}

impl From<scrm::SummaryTable> for SummaryTable {
    fn from(t: scrm::SummaryTable) -> Self {
        SummaryTable {
            ids: t.ids,
            frequency: t.frequency,
            recency: t.recency,
            t: t.t,
            monetary: t.monetary,
        }
    }
}

/// How both churn fits run. Every field left `null` takes the core's default (lifetimes'
/// penalizer and tolerance).
#[derive(Clone, Debug, Default, PartialEq, uniffi::Record)]
pub struct FitOptions {
    /// L2 penalty on the parameters (lifetimes' `penalizer_coef`), at least 0; default 0.
    #[uniffi(default)]
    pub penalizer: Option<f64>,
    /// Most minimiser iterations before a fit fails, at least 1; default 500.
    #[uniffi(default)]
    pub max_iterations: Option<u32>,
    /// Gradient tolerance of convergence, above 0; default 1e-7.
    #[uniffi(default)]
    pub tolerance: Option<f64>,
}

impl FitOptions {
    /// The core options, the core's defaults for what is left `null`.
    pub fn into_core(self) -> scrm::FitOptions {
        let default = scrm::FitOptions::default();
        scrm::FitOptions {
            penalizer: self.penalizer.unwrap_or(default.penalizer),
            max_iterations: self.max_iterations.unwrap_or(default.max_iterations),
            tolerance: self.tolerance.unwrap_or(default.tolerance),
        }
    }
}

/// How `fitChurnModel` fits and counts CLV. Every field left `null` takes the core's
/// default: `ChurnOptions()` is the core's `ChurnOptions::default()`.
#[derive(Clone, Debug, Default, PartialEq, uniffi::Record)]
pub struct ChurnOptions {
    /// Options of both fits.
    #[uniffi(default)]
    pub fit: FitOptions,
    /// CLV horizon in periods; default 12.
    #[uniffi(default)]
    pub clv_periods: Option<u32>,
    /// CLV discount rate per period, at least 0; default 0.01.
    #[uniffi(default)]
    pub discount_rate: Option<f64>,
}

impl ChurnOptions {
    /// The core options, the core's defaults for what is left `null`.
    pub fn into_core(self) -> scrm::ChurnOptions {
        let default = scrm::ChurnOptions::default();
        scrm::ChurnOptions {
            fit: self.fit.into_core(),
            clv_periods: self.clv_periods.unwrap_or(default.clv_periods),
            discount_rate: self.discount_rate.unwrap_or(default.discount_rate),
        }
    }
}

/// A calibration end and period for the core; errors name `calibration_end` and `period`.
pub fn calibration(
    end: SystemTime,
    period: Duration,
) -> Result<(chrono::DateTime<chrono::Utc>, chrono::Duration)> {
    let end = time::to_core(|| "calibration_end".into(), end)?;
    let period = time::duration_to_core(|| "period".into(), period)?;
    Ok((end, period))
}

/// BG/NBD purchase model parameters, in the period's unit.
#[derive(Clone, Copy, Debug, PartialEq, uniffi::Record)]
pub struct BgNbd {
    /// Shape of the purchase-rate distribution.
    pub r: f64,
    /// Scale of the purchase-rate distribution.
    pub alpha: f64,
    /// Dropout Beta distribution `a`.
    pub a: f64,
    /// Dropout Beta distribution `b`.
    pub b: f64,
}

impl From<scrm::BgNbd> for BgNbd {
    fn from(m: scrm::BgNbd) -> Self {
        BgNbd {
            r: m.r,
            alpha: m.alpha,
            a: m.a,
            b: m.b,
        }
    }
}

impl From<BgNbd> for scrm::BgNbd {
    fn from(m: BgNbd) -> Self {
        scrm::BgNbd {
            r: m.r,
            alpha: m.alpha,
            a: m.a,
            b: m.b,
        }
    }
}

/// Gamma-Gamma spend model parameters (`v` in money units).
#[derive(Clone, Copy, Debug, PartialEq, uniffi::Record)]
pub struct GammaGamma {
    /// Shape of a customer's purchase values.
    pub p: f64,
    /// Shape of the value-rate distribution.
    pub q: f64,
    /// Rate of the value-rate distribution.
    pub v: f64,
}

impl From<GammaGamma> for scrm::GammaGamma {
    fn from(m: GammaGamma) -> Self {
        scrm::GammaGamma {
            p: m.p,
            q: m.q,
            v: m.v,
        }
    }
}

impl From<scrm::GammaGamma> for GammaGamma {
    fn from(m: scrm::GammaGamma) -> Self {
        GammaGamma {
            p: m.p,
            q: m.q,
            v: m.v,
        }
    }
}

/// A churn model fitted by the engine, stored with it (in the file too) until the next fit.
#[derive(Clone, Debug, PartialEq, uniffi::Record)]
pub struct ChurnModel {
    /// The BG/NBD purchase model.
    pub purchases: BgNbd,
    /// The Gamma-Gamma spend model.
    pub spend: GammaGamma,
    /// End of the calibration window it was fitted on.
    pub calibration_end: SystemTime,
    /// Period length (microseconds, as the core keeps it).
    pub period: Duration,
    /// Customers it was fitted on.
    pub customers: u64,
    /// CLV horizon in periods.
    pub clv_periods: u32,
    /// CLV discount rate per period.
    pub discount_rate: f64,
}

impl From<scrm::ChurnModel> for ChurnModel {
    fn from(m: scrm::ChurnModel) -> Self {
        ChurnModel {
            purchases: m.purchases.into(),
            spend: m.spend.into(),
            calibration_end: time::from_core(m.calibration_end),
            period: time::micros_to_duration(m.period_micros),
            customers: m.customers,
            clv_periods: m.clv_periods,
            discount_rate: m.discount_rate,
        }
    }
}

/// Every buyer's churn scores at the engine clock, as columns.
#[derive(Clone, Debug, PartialEq, uniffi::Record)]
pub struct ChurnTable {
    /// Customer ids of the buyers.
    pub ids: Vec<String>,
    /// Probability the customer is still active.
    pub p_alive: Vec<f64>,
    /// Expected purchases in the next `periods` periods.
    pub expected_purchases: Vec<f64>,
    /// Discounted value over the model's CLV horizon.
    pub clv: Vec<f64>,
}

impl From<scrm::ChurnTable> for ChurnTable {
    fn from(t: scrm::ChurnTable) -> Self {
        ChurnTable {
            ids: t.ids,
            p_alive: t.p_alive,
            expected_purchases: t.expected_purchases,
            clv: t.clv,
        }
    }
}

/// A ladder's funnel at the end of a period.
#[derive(Clone, Debug, PartialEq, uniffi::Record)]
pub struct Funnel {
    /// Stage names, lowest first.
    pub stages: Vec<String>,
    /// Live customers at each stage at the end of the period (from the recorded moves).
    pub customers: Vec<u64>,
    /// Live customers at each stage or a higher one at the end of the period.
    pub reached: Vec<u64>,
    /// Moves into each stage during the period.
    pub entered: Vec<u64>,
    /// `conversion[k] = reached[k + 1] / reached[k]` (0 when `reached[k]` is 0); one
    /// fewer than the stages.
    pub conversion: Vec<f64>,
}

impl From<scrm::Funnel> for Funnel {
    fn from(f: scrm::Funnel) -> Self {
        Funnel {
            stages: f.stages,
            customers: f.customers,
            reached: f.reached,
            entered: f.entered,
            conversion: f.conversion,
        }
    }
}

/// How many members of a segment were active lately.
#[derive(Clone, Copy, Debug, PartialEq, uniffi::Record)]
pub struct ActivityRate {
    /// Members of the segment.
    pub members: u64,
    /// Members with an inbound event in the window.
    pub active: u64,
    /// `active / members` (0 for an empty segment).
    pub rate: f64,
}

impl From<scrm::ActivityRate> for ActivityRate {
    fn from(a: scrm::ActivityRate) -> Self {
        ActivityRate {
            members: a.members,
            active: a.active,
            rate: a.rate,
        }
    }
}

/// Counts per calendar month (UTC), as columns.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct MonthlyCounts {
    /// Months as `YYYY-MM`, ascending, only those with a count.
    pub months: Vec<String>,
    /// Count of each month.
    pub counts: Vec<u64>,
}

impl From<scrm::MonthlyCounts> for MonthlyCounts {
    fn from(m: scrm::MonthlyCounts) -> Self {
        MonthlyCounts {
            months: m.months,
            counts: m.counts,
        }
    }
}

/// Retention by monthly cohort: customers grouped by the month of their first inbound
/// event, and the share of each cohort active (an inbound event) in later months.
#[derive(Clone, Debug, PartialEq, uniffi::Record)]
pub struct CohortRetention {
    /// Cohort months as `YYYY-MM`, ascending.
    pub cohorts: Vec<String>,
    /// Customers in each cohort.
    pub sizes: Vec<u64>,
    /// `retention[k][c]`: share of cohort `c` active `k` months after its first month
    /// (`retention[0]` is all ones); NaN where that month is after the engine clock.
    pub retention: Vec<Vec<f64>>,
}

impl From<scrm::CohortRetention> for CohortRetention {
    fn from(c: scrm::CohortRetention) -> Self {
        CohortRetention {
            cohorts: c.cohorts,
            sizes: c.sizes,
            retention: c.retention,
        }
    }
}
