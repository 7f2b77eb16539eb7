//! Lifecycle scoring: the engagement scoring configuration and scores, RFM, stage ladders
//! and their moves, the churn model and the lifecycle measures.
//!
//! Results with a value per customer (`ScoreTable`, `RfmTable`, `SummaryTable`,
//! `ChurnTable`, `MovedTable`) are aligned columns, as in the core. A churn period crosses
//! as a number of days (`1` for days, `7` for weeks, fractions allowed); counts are numbers.

use chrono::{DateTime, Utc};
use napi_derive::napi;

use super::count;
use super::event::Direction;
use super::small;
use crate::errors::invalid;

/// Microseconds per day.
const DAY_MICROS: f64 = 86_400_000_000.0;

/// A period given as a number of days, for the core; `VALIDATION` (`field` `period`) when
/// it is not a finite number of microseconds. The core refuses one that is not above 0.
pub fn period(days: f64) -> scrm::Result<chrono::Duration> {
    let micros = (days * DAY_MICROS).round();
    if micros.is_finite() && micros.abs() < i64::MAX as f64 {
        Ok(chrono::Duration::microseconds(micros as i64))
    } else {
        Err(invalid("period", format!("{days} is not a number of days")))
    }
}

/// Counts for JavaScript.
fn counts(v: Vec<u64>) -> Vec<f64> {
    v.into_iter().map(count).collect()
}

/// Quantile scores 1..5 for JavaScript.
fn quintiles(v: Vec<u8>) -> Vec<u32> {
    v.into_iter().map(u32::from).collect()
}

/// Points an event of a kind and direction is worth, to set.
#[napi(object, object_to_js = false)]
pub struct EventWeightInput {
    /// Event kind (`view`, `share`, `purchase`...) or a custom name.
    pub kind: String,
    /// Direction the weight applies to; default `inbound`.
    pub direction: Option<Direction>,
    /// Points, finite and at least 0.
    pub weight: f64,
}

/// Points an event of a kind and direction is worth, as in force.
#[napi(object, object_from_js = false)]
pub struct EventWeight {
    /// Event kind (normalised).
    pub kind: String,
    /// Direction the weight applies to.
    pub direction: Direction,
    /// Points.
    pub weight: f64,
}

/// How engagement scores are computed, to set. `setScoring` replaces the whole
/// configuration: a field left out takes its default, not the value in force (the default
/// weighs inbound view 0.5, click 1, message 2, follow 2, survey 2, comment 3, signup 3,
/// share 5, purchase 10, with a half-life of 30 days).
#[napi(object, object_to_js = false)]
pub struct ScoringConfigInput {
    /// Points per event kind and direction; a pair appears at most once, unlisted pairs
    /// score 0.
    pub weights: Option<Vec<EventWeightInput>>,
    /// Days after which an event's points count half; at least one second (1/86400).
    pub half_life_days: Option<f64>,
}

impl ScoringConfigInput {
    /// The core configuration, the core's defaults for what is left out.
    pub fn into_core(self) -> scrm::ScoringConfig {
        let default = scrm::ScoringConfig::default();
        scrm::ScoringConfig {
            weights: match self.weights {
                Some(weights) => weights
                    .into_iter()
                    .map(|w| scrm::EventWeight {
                        kind: w.kind,
                        direction: match w.direction {
                            Some(Direction::Outbound) => scrm::Direction::Outbound,
                            Some(Direction::Inbound) | None => scrm::Direction::Inbound,
                        },
                        weight: w.weight,
                    })
                    .collect(),
                None => default.weights,
            },
            half_life_days: self.half_life_days.unwrap_or(default.half_life_days),
        }
    }
}

/// The scoring configuration in force (kind names normalised).
#[napi(object, object_from_js = false)]
pub struct ScoringConfig {
    /// Points per event kind and direction.
    pub weights: Vec<EventWeight>,
    /// Days after which an event's points count half.
    pub half_life_days: f64,
}

impl From<scrm::ScoringConfig> for ScoringConfig {
    fn from(c: scrm::ScoringConfig) -> Self {
        ScoringConfig {
            weights: c
                .weights
                .into_iter()
                .map(|w| EventWeight {
                    kind: w.kind,
                    direction: match w.direction {
                        scrm::Direction::Inbound => Direction::Inbound,
                        scrm::Direction::Outbound => Direction::Outbound,
                    },
                    weight: w.weight,
                })
                .collect(),
            half_life_days: c.half_life_days,
        }
    }
}

/// Every live customer's engagement score at the engine clock, in creation order.
#[napi(object, object_from_js = false)]
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

/// A named RFM segment.
#[napi(string_enum = "snake_case")]
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
/// quantile scores 1..5 and named segment, as columns (row `i` of each is one buyer).
#[napi(object, object_from_js = false)]
pub struct RfmTable {
    /// Customer ids of the buyers, in creation order.
    pub ids: Vec<String>,
    /// Days from the last purchase to the clock.
    pub recency_days: Vec<f64>,
    /// Number of purchases.
    pub frequency: Vec<f64>,
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

impl From<scrm::RfmTable> for RfmTable {
    fn from(t: scrm::RfmTable) -> Self {
        RfmTable {
            ids: t.ids,
            recency_days: t.recency_days,
            frequency: counts(t.frequency),
            monetary: t.monetary,
            r: quintiles(t.r),
            f: quintiles(t.f),
            m: quintiles(t.m),
            segment: t.segment.into_iter().map(Into::into).collect(),
        }
    }
}

/// One stage of a ladder to define.
#[napi(object, object_to_js = false)]
pub struct StageInput {
    /// Stage name (unique on the ladder).
    pub name: String,
    /// Entry rule in the segment language; none (left out or empty) for the first stage,
    /// required for every other.
    pub rule: Option<String>,
}

/// A ladder with its stages, their rules and the live customers at each.
#[napi(object, object_from_js = false)]
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
    pub counts: Vec<f64>,
}

impl From<scrm::LadderInfo> for LadderInfo {
    fn from(l: scrm::LadderInfo) -> Self {
        LadderInfo {
            name: l.name,
            stages: l.stages,
            rules: l.rules,
            built_in: l.built_in,
            counts: counts(l.counts),
        }
    }
}

/// One stage transition of a customer.
#[napi(object, object_from_js = false)]
pub struct StageMove {
    /// Customer id (the survivor's, after merges).
    pub customer: String,
    /// Stage left.
    pub from: String,
    /// Stage entered.
    pub to: String,
    /// Engine clock when the engine saw the move.
    pub at: DateTime<Utc>,
}

impl From<scrm::StageMove> for StageMove {
    fn from(m: scrm::StageMove) -> Self {
        StageMove {
            customer: m.customer,
            from: m.from,
            to: m.to,
            at: m.at,
        }
    }
}

/// Time a customer has spent at each stage of a ladder, as columns.
#[napi(object, object_from_js = false)]
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
#[napi(object, object_from_js = false)]
pub struct MovedTable {
    /// Current customer ids, one row per move.
    pub ids: Vec<String>,
    /// When each move happened.
    pub at: Vec<DateTime<Utc>>,
}

impl From<scrm::MovedTable> for MovedTable {
    fn from(t: scrm::MovedTable) -> Self {
        MovedTable {
            ids: t.ids,
            at: t.at,
        }
    }
}

/// Every buyer's purchase summary at a calibration end, in periods, as columns.
#[napi(object, object_from_js = false)]
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

/// How both churn fits run; each field left out takes its default.
#[napi(object, object_to_js = false)]
pub struct FitOptionsInput {
    /// L2 penalty on the parameters (lifetimes' `penalizer_coef`), at least 0; default 0.
    pub penalizer: Option<f64>,
    /// Most minimiser iterations before a fit fails, at least 1; default 500.
    pub max_iterations: Option<f64>,
    /// Gradient tolerance of convergence, above 0; default 1e-7.
    pub tolerance: Option<f64>,
}

/// How `fitChurnModel` fits and counts CLV; each field left out takes its default.
#[napi(object, object_to_js = false)]
pub struct ChurnOptionsInput {
    /// Options of both fits.
    pub fit: Option<FitOptionsInput>,
    /// CLV horizon in periods; default 12.
    pub clv_periods: Option<f64>,
    /// CLV discount rate per period, at least 0; default 0.01.
    pub discount_rate: Option<f64>,
}

impl FitOptionsInput {
    /// The core options, the core's defaults for what is left out; errors name
    /// `options.…` like the core does.
    pub fn into_core(options: Option<Self>) -> scrm::Result<scrm::FitOptions> {
        let mut core = scrm::FitOptions::default();
        let Some(fit) = options else {
            return Ok(core);
        };
        if let Some(p) = fit.penalizer {
            core.penalizer = p;
        }
        if let Some(n) = fit.max_iterations {
            core.max_iterations = small("options.max_iterations", n)?;
        }
        if let Some(t) = fit.tolerance {
            core.tolerance = t;
        }
        Ok(core)
    }
}

impl ChurnOptionsInput {
    /// The core options, the core's defaults for what is left out; errors name
    /// `options.…` like the core does.
    pub fn into_core(options: Option<Self>) -> scrm::Result<scrm::ChurnOptions> {
        let mut core = scrm::ChurnOptions::default();
        let Some(o) = options else {
            return Ok(core);
        };
        core.fit = FitOptionsInput::into_core(o.fit)?;
        if let Some(n) = o.clv_periods {
            core.clv_periods = small("options.clv_periods", n)?;
        }
        if let Some(r) = o.discount_rate {
            core.discount_rate = r;
        }
        Ok(core)
    }
}

/// BG/NBD purchase model parameters, in the period's unit.
#[napi(object)]
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

/// Gamma-Gamma spend model parameters (`v` in money units).
#[napi(object)]
pub struct GammaGamma {
    /// Shape of a customer's purchase values.
    pub p: f64,
    /// Shape of the value-rate distribution.
    pub q: f64,
    /// Rate of the value-rate distribution.
    pub v: f64,
}

impl From<scrm::BgNbd> for BgNbd {
    fn from(m: scrm::BgNbd) -> Self {
        let scrm::BgNbd { r, alpha, a, b } = m;
        BgNbd { r, alpha, a, b }
    }
}

impl From<&BgNbd> for scrm::BgNbd {
    fn from(m: &BgNbd) -> Self {
        scrm::BgNbd {
            r: m.r,
            alpha: m.alpha,
            a: m.a,
            b: m.b,
        }
    }
}

impl From<scrm::GammaGamma> for GammaGamma {
    fn from(m: scrm::GammaGamma) -> Self {
        let scrm::GammaGamma { p, q, v } = m;
        GammaGamma { p, q, v }
    }
}

impl From<&GammaGamma> for scrm::GammaGamma {
    fn from(m: &GammaGamma) -> Self {
        scrm::GammaGamma {
            p: m.p,
            q: m.q,
            v: m.v,
        }
    }
}

/// A churn model fitted by the engine, stored with it (in the file too) until the next fit.
#[napi(object, object_from_js = false)]
pub struct ChurnModel {
    /// The BG/NBD purchase model.
    pub purchases: BgNbd,
    /// The Gamma-Gamma spend model.
    pub spend: GammaGamma,
    /// End of the calibration window it was fitted on.
    pub calibration_end: DateTime<Utc>,
    /// Period length in days.
    pub period_days: f64,
    /// Customers it was fitted on.
    pub customers: f64,
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
            calibration_end: m.calibration_end,
            period_days: m.period_micros as f64 / DAY_MICROS,
            customers: count(m.customers),
            clv_periods: m.clv_periods,
            discount_rate: m.discount_rate,
        }
    }
}

/// Every buyer's churn scores at the engine clock, as columns.
#[napi(object, object_from_js = false)]
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
#[napi(object, object_from_js = false)]
pub struct Funnel {
    /// Stage names, lowest first.
    pub stages: Vec<String>,
    /// Live customers at each stage at the end of the period.
    pub customers: Vec<f64>,
    /// Live customers at each stage or a higher one at the end of the period.
    pub reached: Vec<f64>,
    /// Moves into each stage during the period.
    pub entered: Vec<f64>,
    /// `conversion[k] = reached[k + 1] / reached[k]` (0 when `reached[k]` is 0); one
    /// fewer than the stages.
    pub conversion: Vec<f64>,
}

impl From<scrm::Funnel> for Funnel {
    fn from(f: scrm::Funnel) -> Self {
        Funnel {
            stages: f.stages,
            customers: counts(f.customers),
            reached: counts(f.reached),
            entered: counts(f.entered),
            conversion: f.conversion,
        }
    }
}

/// How many members of a segment were active lately.
#[napi(object, object_from_js = false)]
pub struct ActivityRate {
    /// Members of the segment.
    pub members: f64,
    /// Members with an inbound event in the window.
    pub active: f64,
    /// `active / members` (0 for an empty segment).
    pub rate: f64,
}

impl From<scrm::ActivityRate> for ActivityRate {
    fn from(a: scrm::ActivityRate) -> Self {
        ActivityRate {
            members: count(a.members),
            active: count(a.active),
            rate: a.rate,
        }
    }
}

/// Counts per calendar month (UTC), as columns.
#[napi(object, object_from_js = false)]
pub struct MonthlyCounts {
    /// Months as `YYYY-MM`, ascending, only those with a count.
    pub months: Vec<String>,
    /// Count of each month.
    pub counts: Vec<f64>,
}

impl From<scrm::MonthlyCounts> for MonthlyCounts {
    fn from(m: scrm::MonthlyCounts) -> Self {
        MonthlyCounts {
            months: m.months,
            counts: counts(m.counts),
        }
    }
}

/// Retention by monthly cohort: customers grouped by the month of their first inbound
/// event, and the share of each cohort active in later months.
#[napi(object, object_from_js = false)]
pub struct CohortRetention {
    /// Cohort months as `YYYY-MM`, ascending.
    pub cohorts: Vec<String>,
    /// Customers in each cohort.
    pub sizes: Vec<f64>,
    /// `retention[k][c]`: share of cohort `c` active `k` months after its first month
    /// (`retention[0]` is all ones); `NaN` where that month is after the engine clock.
    pub retention: Vec<Vec<f64>>,
}

impl From<scrm::CohortRetention> for CohortRetention {
    fn from(c: scrm::CohortRetention) -> Self {
        CohortRetention {
            cohorts: c.cohorts,
            sizes: counts(c.sizes),
            retention: c.retention,
        }
    }
}
