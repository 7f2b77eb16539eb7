//! Engagement scores (the scoring configuration, one customer's score and everyone's) and
//! RFM. Arguments left None take the core's default (`ScoringConfig::default()`), so the
//! binding never restates them.

use pyo3::prelude::*;
use scrm::ScoringConfig;

use super::PyEngine;
use crate::errors::IntoPyResult;
use crate::inputs::weights_in;
use crate::outputs::ToPy;
use crate::table::Table;

#[pymethods]
impl PyEngine {
    /// Sets how engagement scores are computed and recomputes every score from the event log
    /// (stored with the data, so a reopened store scores the same way).
    ///
    /// `weights` are the points per event: a list of {"kind", "direction", "weight"} dicts
    /// (`direction` "inbound" by default) or (kind, weight[, direction]) tuples; a (kind,
    /// direction) pair not listed scores 0. An event's points count half after
    /// `half_life_days` days. None takes the core's default (view 0.5, click 1, message 2,
    /// follow 2, survey 2, comment 3, signup 3, share 5, purchase 10, inbound; 30 days).
    /// A bad value (a NaN or negative weight, a half-life under one second, a pair twice)
    /// raises ValidationError (`field` such as "scoring.weights[2].weight").
    /// `set_scoring(**engine.scoring())` sets the same configuration again.
    #[pyo3(signature = (*, weights=None, half_life_days=None))]
    fn set_scoring(
        &self,
        py: Python<'_>,
        weights: Option<&Bound<'_, PyAny>>,
        half_life_days: Option<f64>,
    ) -> PyResult<()> {
        let default = ScoringConfig::default();
        let config = ScoringConfig {
            weights: match weights.filter(|w| !w.is_none()) {
                Some(w) => weights_in(w, &|| "scoring.weights".to_string())?,
                None => default.weights,
            },
            half_life_days: half_life_days.unwrap_or(default.half_life_days),
        };
        self.call(py, |e| e.set_scoring(&config))?.py()
    }

    /// The scoring configuration in force: {"weights": [{"kind", "direction", "weight"}],
    /// "half_life_days"} (kind names normalised).
    fn scoring<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.call(py, |e| e.scoring())?.to_py(py)
    }

    /// A customer's engagement score at the engine clock: the decayed points of their
    /// events, those of profiles merged into them included. Raises NotFoundError.
    fn score(&self, py: Python<'_>, id: &str) -> PyResult<f64> {
        self.call(py, |e| e.score(id))?.py()
    }

    /// Every live customer's engagement score at the engine clock, in creation order:
    /// a Table with columns "ids" and "scores".
    fn scores(&self, py: Python<'_>) -> PyResult<Table> {
        self.call(py, |e| Table::from(e.scores()))
    }

    /// Every buyer's recency (days), frequency and monetary value at the engine clock, their
    /// quantile scores 1..5 and named segment ("champions", "loyal", "potential_loyalists",
    /// "new", "at_risk", "cannot_lose", "hibernating" or "lost", as the segment predicate
    /// `rfm = champions` names them): a Table with columns "ids", "recency_days", "frequency",
    /// "monetary", "r", "f", "m" (uint8) and "segment". Cached by the core until
    /// the next write or clock move.
    fn rfm(&self, py: Python<'_>) -> PyResult<Table> {
        self.call(py, |e| Table::from(e.rfm()))
    }
}
