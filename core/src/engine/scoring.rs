//! Engagement scores (the scoring configuration, one customer's score and everyone's)
//! and RFM.

use super::Engine;
use crate::error::{unknown_customer, Result};
use crate::lifecycle::{RfmTable, ScoreTable, ScoringConfig};
use crate::state::Changes;

impl Engine {
    /// Sets how engagement scores are computed and recomputes every score from the event
    /// log. The configuration is stored in the file (file mode), so a reopened store keeps
    /// it; a new engine starts with [`ScoringConfig::default`]. Fails with a
    /// [`crate::Error::Validation`] naming the field (`scoring.weights[2].weight`).
    ///
    /// ```
    /// use scrm::{kinds, CustomerInput, Engine, EventInput, EventWeight, ScoringConfig};
    /// use chrono::{Duration, TimeZone, Utc};
    /// let engine = Engine::in_memory();
    /// let t = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
    /// engine.set_clock(Some(t + Duration::days(30)))?;
    /// engine.set_scoring(&ScoringConfig {
    ///     weights: vec![EventWeight::new(kinds::SHARE, 5.0)],
    ///     half_life_days: 30.0,
    /// })?;
    /// engine.upsert_customer(&CustomerInput::new("c-1"))?;
    /// engine.record_event(&EventInput::new("c-1", kinds::SHARE, "wechat", t))?;
    /// assert!((engine.score("c-1")? - 2.5).abs() < 1e-9); // one half-life ago
    /// assert_eq!(engine.count("score > 2")?, 1);
    /// # Ok::<(), scrm::Error>(())
    /// ```
    pub fn set_scoring(&self, config: &ScoringConfig) -> Result<()> {
        let config = config.normalized()?;
        self.write(|_| {
            Ok((
                Changes {
                    scoring: Some(config),
                    ..Changes::default()
                },
                (),
            ))
        })
    }

    /// The scoring configuration in force (kind names normalised).
    pub fn scoring(&self) -> ScoringConfig {
        self.read(|s| s.scores.config().clone())
    }

    /// A customer's engagement score at the engine clock: the decayed points of their
    /// events, those of profiles merged into them included (see [`ScoringConfig`]).
    pub fn score(&self, id: &str) -> Result<f64> {
        let now = self.clock_micros();
        self.read(|s| {
            let idx = s.resolve(id).ok_or_else(|| unknown_customer(id))?;
            Ok(s.scores.score(idx, now))
        })
    }

    /// Every live customer's engagement score at the engine clock, in creation order.
    pub fn scores(&self) -> ScoreTable {
        let now = self.clock_micros();
        self.read(|s| {
            let live = &s.index.live;
            let mut table = ScoreTable {
                ids: Vec::with_capacity(live.len() as usize),
                scores: Vec::with_capacity(live.len() as usize),
            };
            for idx in live {
                table.ids.push(s.external_id(idx));
                table.scores.push(s.scores.score(idx, now));
            }
            table
        })
    }

    /// Every buyer's recency, frequency and monetary value at the engine clock, with their
    /// quantile scores 1..5 and named segment (see [`crate::RfmSegment`] for the rules).
    /// Computed at the first call and cached until the next event, profile change or clock
    /// move.
    pub fn rfm(&self) -> RfmTable {
        let now = self.clock_micros();
        self.read(|s| s.rfm.get(s, now).table(s, now))
    }
}
