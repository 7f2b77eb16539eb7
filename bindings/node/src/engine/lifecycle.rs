//! Lifecycle scoring: engagement scores and RFM, stage ladders (defining them, a customer's
//! stage, moves and time per stage), the churn model and the lifecycle measures.
//!
//! Periods of the churn model are numbers of days (`1` for days, `7` for weeks). Calls that
//! recompute or read every customer (setting the scoring, defining or enabling a ladder,
//! every score, RFM, purchase summaries, the churn fit and table, funnels, activity rates,
//! cohorts) run off the main thread; one customer's score, stage, history and times are
//! read synchronously.

use napi::bindgen_prelude::AsyncTask;
use napi::Env;
use napi_derive::napi;

use super::Engine;
use crate::errors::check;
use crate::task::{spawn, Job};
use crate::types::lifecycle::{
    period, ActivityRate, ChurnModel, ChurnOptionsInput, ChurnTable, CohortRetention, Funnel,
    LadderInfo, MonthlyCounts, MovedTable, RfmTable, ScoreTable, ScoringConfig, ScoringConfigInput,
    StageInput, StageMove, StageTimes, SummaryTable,
};
use crate::types::small;
use crate::types::time::DateInput;

/// A Promise of a ladder as defined.
type LadderTask = AsyncTask<Job<scrm::LadderInfo, LadderInfo>>;

#[napi]
impl Engine {
    /// Replaces how engagement scores are computed and recomputes every score from the
    /// event log, off the main thread. Stored with the data. Fields left out take their
    /// defaults, not the values in force. `VALIDATION` with `field` such as
    /// `scoring.weights[2].weight` or `scoring.half_life_days`.
    #[napi(ts_return_type = "Promise<void>")]
    pub fn set_scoring(&self, config: ScoringConfigInput) -> AsyncTask<Job<(), ()>> {
        let config = config.into_core();
        spawn(self.shared(), move |e| e.set_scoring(&config), |()| ())
    }

    /// The scoring configuration in force, kind names normalised.
    #[napi]
    pub fn scoring(&self, env: Env) -> napi::Result<ScoringConfig> {
        Ok(self.core(&env)?.scoring().into())
    }

    /// A customer's engagement score at the engine clock: the decayed points of their
    /// events, those of profiles merged into them included. `NOT_FOUND` for an unknown
    /// customer.
    #[napi]
    pub fn score(&self, env: Env, id: String) -> napi::Result<f64> {
        let engine = self.core(&env)?;
        check(&env, engine.score(&id))
    }

    /// Every live customer's engagement score at the engine clock, in creation order. Off
    /// the main thread.
    #[napi(ts_return_type = "Promise<ScoreTable>")]
    pub fn scores(&self) -> AsyncTask<Job<scrm::ScoreTable, ScoreTable>> {
        spawn(self.shared(), |e| Ok(e.scores()), Into::into)
    }

    /// Every buyer's recency, frequency and monetary value at the engine clock, with their
    /// quantile scores 1..5 and named segment. Off the main thread; cached until the next
    /// change or clock move.
    #[napi(ts_return_type = "Promise<RfmTable>")]
    pub fn rfm(&self) -> AsyncTask<Job<scrm::RfmTable, RfmTable>> {
        spawn(self.shared(), |e| Ok(e.rfm()), Into::into)
    }

    /// Defines (or replaces) a ladder, stages lowest first: the first stage takes no rule,
    /// every other one a segment expression. A customer is at the highest stage whose rule
    /// they match; stages are kept current after every write and as the clock moves, and
    /// every move is recorded. Replacing a ladder keeps its history. Off the main thread.
    /// Refused: a bad ladder or stage name, a duplicate stage, a rule on the first stage or
    /// a missing one, a rule that reads its own ladder (`VALIDATION`, `field` such as
    /// `stages[2].name`); a bad rule (`SEGMENT_SYNTAX` or `SEGMENT_TYPE` with `line` and
    /// `column`, the message naming the stage); a cycle (`CONFLICT`).
    #[napi(ts_return_type = "Promise<LadderInfo>")]
    pub fn define_ladder(&self, name: String, stages: Vec<StageInput>) -> LadderTask {
        let stages: Vec<(String, String)> = stages
            .into_iter()
            .map(|s| (s.name, s.rule.unwrap_or_default()))
            .collect();
        spawn(
            self.shared(),
            move |e| {
                let stages: Vec<(&str, &str)> = stages
                    .iter()
                    .map(|(n, r)| (n.as_str(), r.as_str()))
                    .collect();
                e.define_ladder(&name, &stages)
            },
            Into::into,
        )
    }

    /// Turns on a ladder that comes with the engine: `brand` (unaware, follower,
    /// interactor, advocate) or `commercial` (prospect, customer, member, fan). They are
    /// off until enabled. Off the main thread. `NOT_FOUND` for another name.
    #[napi(ts_return_type = "Promise<LadderInfo>")]
    pub fn enable_ladder(&self, name: String) -> LadderTask {
        spawn(self.shared(), move |e| e.enable_ladder(&name), Into::into)
    }

    /// Every ladder, in the order defined, with its stages, rules and customers per stage.
    #[napi]
    pub fn ladders(&self, env: Env) -> napi::Result<Vec<LadderInfo>> {
        let ladders = self.core(&env)?.ladders();
        Ok(ladders.into_iter().map(Into::into).collect())
    }

    /// A customer's current stage on a ladder. `NOT_FOUND` for an unknown ladder or
    /// customer.
    #[napi]
    pub fn stage(&self, env: Env, id: String, ladder: String) -> napi::Result<String> {
        let engine = self.core(&env)?;
        check(&env, engine.stage(&id, &ladder))
    }

    /// A customer's stage moves on a ladder, oldest first. After a merge the survivor's
    /// history goes on; the absorbed profile's stays with it.
    #[napi]
    pub fn stage_history(
        &self,
        env: Env,
        id: String,
        ladder: String,
    ) -> napi::Result<Vec<StageMove>> {
        let engine = self.core(&env)?;
        let result = engine.stage_history(&id, &ladder);
        check(&env, result).map(|moves| moves.into_iter().map(Into::into).collect())
    }

    /// Seconds a customer has spent at each stage of a ladder, from their creation (or the
    /// ladder's definition, if later) to the engine clock.
    #[napi]
    pub fn time_in_stages(&self, env: Env, id: String, ladder: String) -> napi::Result<StageTimes> {
        let engine = self.core(&env)?;
        check(&env, engine.time_in_stages(&id, &ladder)).map(Into::into)
    }

    /// The moves from stage `from` to stage `to` of a ladder at `since` or later and before
    /// `until`, oldest first, with the customers' current ids. `VALIDATION` (`field` `from`
    /// or `to`) for a stage the ladder does not have.
    #[napi]
    pub fn moved(
        &self,
        env: Env,
        ladder: String,
        from: String,
        to: String,
        since: DateInput,
        until: DateInput,
    ) -> napi::Result<MovedTable> {
        let engine = self.core(&env)?;
        let result = since.to_core(|| "since".into()).and_then(|since| {
            let until = until.to_core(|| "until".into())?;
            engine.moved(&ladder, &from, &to, since, until)
        });
        check(&env, result).map(Into::into)
    }

    /// Every live buyer's purchase summary at `calibrationEnd`, counted in periods of
    /// `periodDays` days (purchases of merged profiles count for the survivor). Off the
    /// main thread. `VALIDATION` with `field` `period` (not above 0) or `calibration_end`
    /// (before every purchase).
    #[napi(ts_return_type = "Promise<SummaryTable>")]
    pub fn purchase_summaries(
        &self,
        calibration_end: DateInput,
        period_days: f64,
    ) -> AsyncTask<Job<scrm::SummaryTable, SummaryTable>> {
        spawn(
            self.shared(),
            move |e| {
                let end = calibration_end.to_core(|| "calibration_end".into())?;
                e.purchase_summaries(end, period(period_days)?)
            },
            Into::into,
        )
    }

    /// Fits BG/NBD and Gamma-Gamma on the purchase summaries at `calibrationEnd` in periods
    /// of `periodDays` days and keeps the model (in the file too), where `churnTable` and
    /// the segment predicates `p_alive` and `clv` read it. Off the main thread. Fails as
    /// `purchaseSummaries` does, on bad options (`options.discount_rate`, ...), or when a
    /// fit fails (`summaries`: for instance nobody bought twice).
    #[napi(ts_return_type = "Promise<ChurnModel>")]
    pub fn fit_churn_model(
        &self,
        calibration_end: DateInput,
        period_days: f64,
        options: Option<ChurnOptionsInput>,
    ) -> AsyncTask<Job<scrm::ChurnModel, ChurnModel>> {
        spawn(
            self.shared(),
            move |e| {
                let end = calibration_end.to_core(|| "calibration_end".into())?;
                let options = ChurnOptionsInput::into_core(options)?;
                e.fit_churn_model(end, period(period_days)?, &options)
            },
            Into::into,
        )
    }

    /// The fitted churn model, or `null` before the first fit.
    #[napi]
    pub fn churn_model(&self, env: Env) -> napi::Result<Option<ChurnModel>> {
        Ok(self.core(&env)?.churn_model().map(Into::into))
    }

    /// Every buyer's P(alive), expected purchases in the next `periods` periods (of the
    /// model's length) and CLV under the fitted model, at the engine clock. Off the main
    /// thread. `NOT_FOUND` without a fitted model; `VALIDATION` (`periods`) for a negative
    /// count.
    #[napi(ts_return_type = "Promise<ChurnTable>")]
    pub fn churn_table(&self, periods: f64) -> AsyncTask<Job<scrm::ChurnTable, ChurnTable>> {
        spawn(self.shared(), move |e| e.churn_table(periods), Into::into)
    }

    /// A ladder's funnel for `[since, until)`: customers at each stage at `until`, those at
    /// it or higher, the moves into each stage during the period and the conversion between
    /// consecutive stages. Off the main thread. `NOT_FOUND` for an unknown ladder.
    #[napi(ts_return_type = "Promise<Funnel>")]
    pub fn funnel(
        &self,
        ladder: String,
        since: DateInput,
        until: DateInput,
    ) -> AsyncTask<Job<scrm::Funnel, Funnel>> {
        spawn(
            self.shared(),
            move |e| {
                let since = since.to_core(|| "since".into())?;
                let until = until.to_core(|| "until".into())?;
                e.funnel(&ladder, since, until)
            },
            Into::into,
        )
    }

    /// The share of a segment's members with an inbound event in the last `days` days (to
    /// the engine clock). Off the main thread, like `count`.
    #[napi(ts_return_type = "Promise<ActivityRate>")]
    pub fn activity_rate(
        &self,
        expression: String,
        days: f64,
    ) -> AsyncTask<Job<scrm::ActivityRate, ActivityRate>> {
        spawn(
            self.shared(),
            move |e| e.activity_rate(&expression, small("days", days)?),
            Into::into,
        )
    }

    /// Moves into `stage` of a ladder per calendar month (UTC). `NOT_FOUND` for an unknown
    /// ladder, `VALIDATION` (`stage`) for a stage it does not have.
    #[napi]
    pub fn entries_per_month(
        &self,
        env: Env,
        ladder: String,
        stage: String,
    ) -> napi::Result<MonthlyCounts> {
        let engine = self.core(&env)?;
        check(&env, engine.entries_per_month(&ladder, &stage)).map(Into::into)
    }

    /// Retention by monthly cohort over `months` months (at most 240) after each cohort's
    /// first month: customers grouped by the month of their first inbound event, with the
    /// share active in each later month up to the clock. Off the main thread.
    #[napi(ts_return_type = "Promise<CohortRetention>")]
    pub fn cohort_retention(
        &self,
        months: f64,
    ) -> AsyncTask<Job<scrm::CohortRetention, CohortRetention>> {
        spawn(
            self.shared(),
            move |e| e.cohort_retention(small("months", months)?),
            Into::into,
        )
    }
}
