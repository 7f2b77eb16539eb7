//! Engagement scores: points per event by kind and direction, decayed exponentially by age.
//!
//! A customer's score at time `t` is `Σ weight(e) · 2^(-(t' - e.at) / half_life)` over
//! their events (those of profiles merged into them included), where `t' = max(t, latest
//! scored event)`: events dated after the clock count at full weight rather than more.
//! The engine keeps per customer one value at a reference time (their latest scored event)
//! and folds each event in as it arrives; reading applies the decay lazily.

use serde::{Deserialize, Serialize};

use crate::error::{invalid, Result};
use crate::event::{kinds, Direction};
use crate::hash::HashMap;
use crate::names::normalize_name;

/// Microseconds per day.
const DAY: f64 = 86_400_000_000.0;

/// Points one event of a kind and direction is worth when it happens.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventWeight {
    /// Event kind (see [`crate::kinds`]) or a custom name.
    pub kind: String,
    /// Direction the weight applies to (inbound by default).
    #[serde(default)]
    pub direction: Direction,
    /// Points, finite and at least 0.
    pub weight: f64,
}

impl EventWeight {
    /// An inbound weight.
    pub fn new(kind: impl Into<String>, weight: f64) -> Self {
        EventWeight {
            kind: kind.into(),
            direction: Direction::Inbound,
            weight,
        }
    }
}

/// How engagement scores are computed: weights per event kind and direction, and the
/// half-life of an event's points.
///
/// Set with [`crate::Engine::set_scoring`]; it is stored in the file (unlike
/// [`crate::EngineConfig`]), so a reopened store scores the same way. The default weighs
/// inbound events: view 0.5, click 1, message 2, follow 2, survey 2, comment 3, signup 3,
/// share 5, purchase 10; outbound events and other kinds score 0; half-life 30 days.
///
/// ```
/// use scrm::{EventWeight, ScoringConfig};
/// let config = ScoringConfig {
///     weights: vec![EventWeight::new("share", 5.0), EventWeight::new("view", 0.5)],
///     half_life_days: 14.0,
/// };
/// assert!(config.validate().is_ok());
/// let bad = ScoringConfig { half_life_days: 0.0, ..config };
/// assert_eq!(bad.validate().unwrap_err().field(), Some("scoring.half_life_days"));
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ScoringConfig {
    /// Points per event; a (kind, direction) pair appears at most once, unlisted pairs
    /// score 0.
    pub weights: Vec<EventWeight>,
    /// Days after which an event's points count half; at least one second (1/86400).
    pub half_life_days: f64,
}

impl Default for ScoringConfig {
    fn default() -> Self {
        let weights = [
            (kinds::VIEW, 0.5),
            (kinds::CLICK, 1.0),
            (kinds::MESSAGE, 2.0),
            (kinds::FOLLOW, 2.0),
            (kinds::SURVEY, 2.0),
            (kinds::COMMENT, 3.0),
            (kinds::SIGNUP, 3.0),
            (kinds::SHARE, 5.0),
            (kinds::PURCHASE, 10.0),
        ];
        ScoringConfig {
            weights: weights
                .iter()
                .map(|&(k, w)| EventWeight::new(k, w))
                .collect(),
            half_life_days: 30.0,
        }
    }
}

impl ScoringConfig {
    /// Checks the configuration: kinds are valid names, weights finite and at least 0,
    /// each (kind, direction) once, the half-life at least one second. Errors name the
    /// field, as in `scoring.weights[2].weight`.
    pub fn validate(&self) -> Result<()> {
        self.normalized().map(drop)
    }

    /// The configuration with kind names normalised (lower case).
    pub(crate) fn normalized(&self) -> Result<ScoringConfig> {
        let h = self.half_life_days;
        if !(h.is_finite() && h * DAY >= 1e6) {
            return Err(invalid(
                "scoring.half_life_days",
                format!("must be finite and at least one second (1/86400 days), got {h}"),
            ));
        }
        let mut weights: Vec<EventWeight> = Vec::with_capacity(self.weights.len());
        for (i, w) in self.weights.iter().enumerate() {
            let kind = normalize_name(|| format!("scoring.weights[{i}].kind"), &w.kind)?;
            if !(w.weight.is_finite() && w.weight >= 0.0) {
                return Err(invalid(
                    format!("scoring.weights[{i}].weight"),
                    format!("must be finite and at least 0, got {}", w.weight),
                ));
            }
            if weights
                .iter()
                .any(|o| o.kind == kind && o.direction == w.direction)
            {
                return Err(invalid(
                    format!("scoring.weights[{i}]"),
                    format!("{kind} {:?} is weighted twice", w.direction),
                ));
            }
            weights.push(EventWeight {
                kind: kind.into_owned(),
                direction: w.direction,
                weight: w.weight,
            });
        }
        Ok(ScoringConfig {
            weights,
            half_life_days: h,
        })
    }
}

/// Every live customer's engagement score at the engine clock, as columns.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ScoreTable {
    /// External ids, in creation order.
    pub ids: Vec<String>,
    /// `scores[i]` is the score of `ids[i]`.
    pub scores: Vec<f64>,
}

/// The engine's running scores: the configuration, its weights by kind symbol, and one
/// decayed value per customer.
#[derive(Clone, Debug)]
pub(crate) struct Scores {
    config: ScoringConfig,
    /// Half-life in microseconds.
    half_life: f64,
    /// Weights by kind name: `[inbound, outbound]`.
    by_name: HashMap<String, [f64; 2]>,
    /// Weights by kind symbol, for the symbols seen so far.
    by_symbol: Vec<[f64; 2]>,
    /// Per customer: the score at its reference time (one cache line per update).
    sums: Vec<Decayed>,
}

/// A decayed sum: its value at a reference time, the latest event folded in.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Decayed {
    value: f64,
    /// Reference time in microseconds; `i64::MIN` before any event.
    at: i64,
}

impl Decayed {
    /// No points yet.
    pub const NONE: Decayed = Decayed {
        value: 0.0,
        at: i64::MIN,
    };
}

impl Default for Scores {
    fn default() -> Self {
        Scores::new(ScoringConfig::default())
    }
}

impl Scores {
    /// Scores under a configuration already normalised; no customer scored yet.
    pub fn new(config: ScoringConfig) -> Self {
        let mut by_name: HashMap<String, [f64; 2]> = HashMap::default();
        for w in &config.weights {
            let entry = by_name.entry(w.kind.clone()).or_default();
            entry[direction_slot(w.direction)] = w.weight;
        }
        Scores {
            half_life: config.half_life_days * DAY,
            config,
            by_name,
            by_symbol: Vec::new(),
            sums: Vec::new(),
        }
    }

    /// The configuration in force.
    pub fn config(&self) -> &ScoringConfig {
        &self.config
    }

    /// Extends the weights by symbol to the symbols `name` knows (`count` of them).
    pub fn sync_symbols<'a>(&mut self, count: usize, name: impl Fn(u32) -> &'a str) {
        for id in self.by_symbol.len()..count {
            let w = self
                .by_name
                .get(name(id as u32))
                .copied()
                .unwrap_or_default();
            self.by_symbol.push(w);
        }
    }

    /// Points of one event of kind symbol `kind`.
    pub fn weight(&self, kind: u32, direction: Direction) -> f64 {
        self.by_symbol
            .get(kind as usize)
            .map_or(0.0, |w| w[direction_slot(direction)])
    }

    /// Folds one event of customer `idx` in.
    pub fn record(&mut self, idx: u32, kind: u32, direction: Direction, at: i64) {
        let i = idx as usize;
        if i >= self.sums.len() {
            self.sums.resize(i + 1, Decayed::NONE);
        }
        self.sums[i] = self.fold(self.sums[i], kind, direction, at);
    }

    /// `sum` with one event folded in.
    fn fold(&self, sum: Decayed, kind: u32, direction: Direction, at: i64) -> Decayed {
        let points = self.weight(kind, direction);
        if points <= 0.0 {
            sum
        } else if sum.at == i64::MIN {
            Decayed { value: points, at }
        } else if at >= sum.at {
            Decayed {
                value: sum.value * self.decay(at - sum.at) + points,
                at,
            }
        } else {
            Decayed {
                value: sum.value + points * self.decay(sum.at - at),
                at: sum.at,
            }
        }
    }

    /// The decayed sum of events `(kind, direction, at)`.
    pub fn sum_of(&self, events: impl Iterator<Item = (u32, Direction, i64)>) -> Decayed {
        events.fold(Decayed::NONE, |sum, (kind, direction, at)| {
            self.fold(sum, kind, direction, at)
        })
    }

    /// `2^(-age / half_life)`.
    fn decay(&self, age: i64) -> f64 {
        (-(age as f64) / self.half_life).exp2()
    }

    /// Forgets customer `idx`'s score.
    pub fn clear(&mut self, idx: u32) {
        self.set(idx, Decayed::NONE);
    }

    /// Sets customer `idx`'s score.
    pub fn set(&mut self, idx: u32, sum: Decayed) {
        let i = idx as usize;
        if i >= self.sums.len() {
            if sum == Decayed::NONE {
                return;
            }
            self.sums.resize(i + 1, Decayed::NONE);
        }
        self.sums[i] = sum;
    }

    /// Replaces every score: `sums[i]` is customer `i`'s.
    pub fn replace_all(&mut self, sums: Vec<Decayed>) {
        self.sums = sums;
    }

    /// Takes every score out (leaving none), for [`Scores::replace_all`] to put back: a
    /// rebuild writes into the same memory.
    pub fn take_all(&mut self) -> Vec<Decayed> {
        std::mem::take(&mut self.sums)
    }

    /// Changes the configuration, keeping the scores' memory: every score is stale until
    /// the caller rebuilds them.
    pub fn reconfigure(&mut self, config: ScoringConfig) {
        let sums = self.take_all();
        *self = Scores::new(config);
        self.sums = sums;
    }

    /// Customer `idx`'s score at `now` (microseconds).
    pub fn score(&self, idx: u32, now: i64) -> f64 {
        match self.sums.get(idx as usize) {
            Some(&Decayed { value, at }) if at != i64::MIN => value * self.decay(now.max(at) - at),
            _ => 0.0,
        }
    }
}

fn direction_slot(direction: Direction) -> usize {
    match direction {
        Direction::Inbound => 0,
        Direction::Outbound => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const D: i64 = 86_400_000_000;

    fn scores() -> Scores {
        let mut s = Scores::new(ScoringConfig::default().normalized().unwrap());
        let names = ["view", "share", "purchase"];
        s.sync_symbols(names.len(), |i| names[i as usize]);
        s
    }

    #[test]
    fn decays_by_half_life_in_any_order() {
        let mut s = scores();
        s.record(0, 1, Direction::Inbound, 30 * D); // share: 5
        s.record(0, 2, Direction::Inbound, 0); // purchase 30 days earlier: 10 -> 5
        s.record(0, 1, Direction::Outbound, 0); // outbound share: 0
        assert!((s.score(0, 30 * D) - 10.0).abs() < 1e-12);
        assert!((s.score(0, 60 * D) - 5.0).abs() < 1e-12);
        // Reading before the latest event reads at the latest event.
        assert!((s.score(0, 0) - 10.0).abs() < 1e-12);
        assert_eq!(s.score(7, 0), 0.0);
        let mut t = scores();
        let events = [(2, Direction::Inbound, 0), (1, Direction::Inbound, 30 * D)];
        t.set(0, t.sum_of(events.into_iter()));
        assert!((t.score(0, 45 * D) - s.score(0, 45 * D)).abs() < 1e-12);
    }

    #[test]
    fn validation_names_fields() {
        let field = |c: ScoringConfig| c.validate().unwrap_err().field().unwrap().to_string();
        let mut c = ScoringConfig::default();
        c.weights[1].weight = f64::NAN;
        assert_eq!(field(c), "scoring.weights[1].weight");
        let mut c = ScoringConfig::default();
        c.weights[0].weight = -1.0;
        assert_eq!(field(c), "scoring.weights[0].weight");
        let mut c = ScoringConfig::default();
        c.weights.push(EventWeight::new("VIEW", 1.0));
        assert_eq!(field(c), "scoring.weights[9]");
        let mut c = ScoringConfig::default();
        c.weights[2].kind = "9x".into();
        assert_eq!(field(c), "scoring.weights[2].kind");
        for h in [0.0, -1.0, f64::NAN, f64::INFINITY, 1e-9] {
            let c = ScoringConfig {
                half_life_days: h,
                ..ScoringConfig::default()
            };
            assert_eq!(field(c), "scoring.half_life_days");
        }
    }
}
