//! Lifecycle scoring: engagement scores and RFM, stage ladders (defining them, a customer's
//! stage, moves and time per stage), the churn model and the lifecycle measures.
//!
//! Calls that recompute or read every customer (setting the scoring, defining or enabling
//! a ladder, every score, RFM, purchase summaries, the churn fit and table, funnels,
//! activity rates, cohorts) are the blocking ones to run off the main thread
//! (`Dispatchers.IO`, a Swift `Task`); one customer's score, stage, history and times are
//! cheap.

use std::time::{Duration, SystemTime};

use super::Engine;
use crate::errors::Result;
use crate::lifecycle::{
    calibration, ActivityRate, ChurnModel, ChurnOptions, ChurnTable, CohortRetention, Funnel,
    LadderInfo, MonthlyCounts, MovedTable, RfmTable, ScoreTable, ScoringConfig, StageInput,
    StageMove, StageTimes, SummaryTable,
};
use crate::time;

#[uniffi::export]
impl Engine {
    /// Replaces how engagement scores are computed and recomputes every score from the
    /// event log (stored with the data, so a reopened store scores the same way). Fields
    /// left `null` take their defaults, not the values in force: `setScoring(scoring())`
    /// sets the same configuration again. `Validation` with `field` such as
    /// `scoring.weights[2].weight` or `scoring.half_life_days`. Blocking: rescores every
    /// customer.
    pub fn set_scoring(&self, config: ScoringConfig) -> Result<()> {
        Ok(self.inner.set_scoring(&config.into_core())?)
    }

    /// The scoring configuration in force, kind names normalised, every field filled in.
    pub fn scoring(&self) -> ScoringConfig {
        self.inner.scoring().into()
    }

    /// A customer's engagement score at the engine clock: the decayed points of their
    /// events, those of profiles merged into them included. `NotFound` for an unknown
    /// customer.
    pub fn score(&self, id: String) -> Result<f64> {
        Ok(self.inner.score(&id)?)
    }

    /// Every live customer's engagement score at the engine clock, in creation order.
    /// Blocking: reads every customer.
    pub fn scores(&self) -> ScoreTable {
        self.inner.scores().into()
    }

    /// Every buyer's recency, frequency and monetary value at the engine clock, with their
    /// quantile scores 1..5 and named segment. Blocking: the first call after a change or
    /// clock move ranks every buyer (the core caches the result until then).
    pub fn rfm(&self) -> RfmTable {
        self.inner.rfm().into()
    }

    /// Defines (or replaces) a ladder, stages lowest first: the first stage takes no rule,
    /// every other one a segment expression. A customer is at the highest stage whose rule
    /// they match; stages are kept current after every write and as the clock moves, and
    /// every move is recorded. Replacing a ladder keeps its history and, by stage name, the
    /// customers' stages. Returns it as `ladders` lists it. Refused: a bad ladder or stage
    /// name, a duplicate stage, a rule on the first stage or a missing one, a rule that
    /// reads its own ladder (`Validation`, `field` such as `stages[2].name`); a bad rule
    /// (`SegmentSyntax` or `SegmentType` with `line` and `column`, the message naming the
    /// stage); a cycle (`Conflict`). Blocking: places every customer on the ladder.
    pub fn define_ladder(&self, name: String, stages: Vec<StageInput>) -> Result<LadderInfo> {
        let stages: Vec<(&str, &str)> = stages
            .iter()
            .map(|s| (s.name.as_str(), s.rule.as_str()))
            .collect();
        Ok(self.inner.define_ladder(&name, &stages)?.into())
    }

    /// Turns on a ladder that comes with the engine, `brand` (unaware, follower,
    /// interactor, advocate) or `commercial` (prospect, customer, member, fan), as
    /// `defineLadder` with its preset stages would; they are off until enabled. `NotFound`
    /// for another name. Blocking, as `defineLadder`.
    pub fn enable_ladder(&self, name: String) -> Result<LadderInfo> {
        Ok(self.inner.enable_ladder(&name)?.into())
    }

    /// Every ladder, in the order defined, with its stages, rules and customers per stage.
    pub fn ladders(&self) -> Vec<LadderInfo> {
        self.inner.ladders().into_iter().map(Into::into).collect()
    }

    /// A customer's current stage on a ladder. `NotFound` for an unknown ladder or
    /// customer.
    pub fn stage(&self, id: String, ladder: String) -> Result<String> {
        Ok(self.inner.stage(&id, &ladder)?)
    }

    /// A customer's stage moves on a ladder, oldest first. After a merge the survivor's
    /// history goes on; the absorbed profile's stays with it. `NotFound` for an unknown
    /// ladder or customer.
    pub fn stage_history(&self, id: String, ladder: String) -> Result<Vec<StageMove>> {
        let moves = self.inner.stage_history(&id, &ladder)?;
        Ok(moves.into_iter().map(Into::into).collect())
    }

    /// How long a customer has been at each stage of a ladder, from their creation (or the
    /// ladder's definition, if later) to the engine clock. `NotFound` for an unknown ladder
    /// or customer.
    pub fn time_in_stages(&self, id: String, ladder: String) -> Result<StageTimes> {
        Ok(self.inner.time_in_stages(&id, &ladder)?.into())
    }

    /// The moves from stage `from` to stage `to` of a ladder at `since` or later and before
    /// `until`, oldest first, with the customers' current ids. `NotFound` for an unknown
    /// ladder; `Validation` (`field` `from` or `to`) for a stage the ladder does not have.
    pub fn moved(
        &self,
        ladder: String,
        from: String,
        to: String,
        since: SystemTime,
        until: SystemTime,
    ) -> Result<MovedTable> {
        let since = time::to_core(|| "since".into(), since)?;
        let until = time::to_core(|| "until".into(), until)?;
        Ok(self.inner.moved(&ladder, &from, &to, since, until)?.into())
    }

    /// Every live buyer's purchase summary at `calibrationEnd`, counted in periods of
    /// `period` (`Duration.ofDays(1)` counts in days, as lifetimes' `freq="D"`); purchases
    /// of merged profiles count for the survivor. `Validation` with `field` `period` (not
    /// at least a microsecond) or `calibration_end` (before every purchase). Blocking:
    /// reads every buyer's purchases.
    pub fn purchase_summaries(
        &self,
        calibration_end: SystemTime,
        period: Duration,
    ) -> Result<SummaryTable> {
        let (end, period) = calibration(calibration_end, period)?;
        Ok(self.inner.purchase_summaries(end, period)?.into())
    }

    /// Fits BG/NBD and Gamma-Gamma on the purchase summaries at `calibrationEnd` in periods
    /// of `period` and keeps the model (in the file too), where `churnTable` and the
    /// segment predicates `p_alive < 0.3` and `clv > 1000` read it. `ChurnOptions()` (the
    /// default) is the core's default fit. Fails as `purchaseSummaries` does, on bad options
    /// (`Validation`, `field` `options.discount_rate`, `options.max_iterations`...), or when
    /// a fit fails (`summaries`: for instance nobody bought twice). Blocking: fits over
    /// every buyer.
    #[uniffi::method(default(options))]
    pub fn fit_churn_model(
        &self,
        calibration_end: SystemTime,
        period: Duration,
        options: ChurnOptions,
    ) -> Result<ChurnModel> {
        let (end, period) = calibration(calibration_end, period)?;
        let model = self
            .inner
            .fit_churn_model(end, period, &options.into_core())?;
        Ok(model.into())
    }

    /// The fitted churn model, or `null` before the first fit.
    pub fn churn_model(&self) -> Option<ChurnModel> {
        self.inner.churn_model().map(Into::into)
    }

    /// Every buyer's P(alive), expected purchases in the next `periods` periods (of the
    /// model's length) and CLV under the fitted model, from their summaries at the engine
    /// clock; customers without a purchase by then are left out. `NotFound` without a
    /// fitted model; `Validation` (`periods`) for a negative or non-finite count. Blocking:
    /// scores every buyer.
    pub fn churn_table(&self, periods: f64) -> Result<ChurnTable> {
        Ok(self.inner.churn_table(periods)?.into())
    }

    /// A ladder's funnel for `[since, until)`: customers at each stage at `until`, those at
    /// it or higher, the moves into each stage during the period and the conversion between
    /// consecutive stages. `NotFound` for an unknown ladder. Blocking: goes over every move
    /// of the ladder.
    pub fn funnel(&self, ladder: String, since: SystemTime, until: SystemTime) -> Result<Funnel> {
        let since = time::to_core(|| "since".into(), since)?;
        let until = time::to_core(|| "until".into(), until)?;
        Ok(self.inner.funnel(&ladder, since, until)?.into())
    }

    /// The share of a segment's members with an inbound event in the last `days` days (to
    /// the engine clock). `Validation` (`days`) for 0; a bad expression `SegmentSyntax` or
    /// `SegmentType`. Blocking, like `count`.
    pub fn activity_rate(&self, expression: String, days: u32) -> Result<ActivityRate> {
        Ok(self.inner.activity_rate(&expression, days)?.into())
    }

    /// Moves into `stage` of a ladder per calendar month (UTC), months with none left out.
    /// `NotFound` for an unknown ladder, `Validation` (`stage`) for a stage it does not
    /// have.
    pub fn entries_per_month(&self, ladder: String, stage: String) -> Result<MonthlyCounts> {
        Ok(self.inner.entries_per_month(&ladder, &stage)?.into())
    }

    /// Retention by monthly cohort over `months` months (at most 240; `Validation`
    /// `months` beyond) after each cohort's first month: customers grouped by the month of
    /// their first inbound event, with the share active in each later month up to the
    /// clock. Blocking: goes over every customer's events.
    pub fn cohort_retention(&self, months: u32) -> Result<CohortRetention> {
        Ok(self.inner.cohort_retention(months)?.into())
    }
}
