//! Stage ladders: defining them (or turning on a built-in one), reading a customer's stage,
//! their moves and time per stage, and the moves between two stages.

use pyo3::prelude::*;

use super::{out, PyEngine};
use crate::errors::IntoPyResult;
use crate::inputs::stages_in;
use crate::outputs::ToPy;
use crate::table::Table;
use crate::time::time_in;

#[pymethods]
impl PyEngine {
    /// Defines (or replaces) a ladder and returns it as ladders() lists it: {"name",
    /// "stages", "rules", "built_in", "counts"}.
    ///
    /// `stages` are lowest first, each a (name, rule) pair or a {"name", "rule"} dict; the
    /// first stage is the default and takes an empty rule (or a bare str, its name), every
    /// other stage a segment expression. A customer is at the highest stage whose rule they
    /// match; the engine keeps stages current after every write and as the clock moves, and
    /// records every move. Replacing a ladder keeps its history and, by stage name, the
    /// customers' stages. A bad name, a duplicate stage, a rule on the first stage or a
    /// missing one raise ValidationError (`field` such as "stages[2].name"); a bad
    /// expression SegmentSyntaxError or SegmentTypeError (with `line` and `column`, the
    /// message naming the stage); a cycle ConflictError. `define_ladder(info["name"],
    /// zip(info["stages"], info["rules"]))` defines a listed ladder again.
    fn define_ladder<'py>(
        &self,
        py: Python<'py>,
        name: &str,
        stages: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let stages = stages_in(stages, &|| "stages".to_string())?;
        let refs: Vec<(&str, &str)> = stages
            .iter()
            .map(|(s, r)| (s.as_str(), r.as_str()))
            .collect();
        out(py, self.call(py, |e| e.define_ladder(name, &refs))?)
    }

    /// Turns on a ladder that comes with the engine, "brand" (unaware, follower, interactor,
    /// advocate) or "commercial" (prospect, customer, member, fan), as define_ladder() with
    /// its preset stages would; they are off until asked for. Returns it as ladders() lists
    /// it. Any other name raises NotFoundError.
    fn enable_ladder<'py>(&self, py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyAny>> {
        out(py, self.call(py, |e| e.enable_ladder(name))?)
    }

    /// Every ladder, in the order defined: {"name", "stages", "rules", "built_in",
    /// "counts"} (customers per stage).
    fn ladders<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.call(py, |e| e.ladders())?.to_py(py)
    }

    /// A customer's current stage on a ladder. An unknown ladder or customer raises
    /// NotFoundError.
    fn stage(&self, py: Python<'_>, id: &str, ladder: &str) -> PyResult<String> {
        self.call(py, |e| e.stage(id, ladder))?.py()
    }

    /// A customer's stage moves on a ladder, oldest first: {"customer", "from", "to",
    /// "at"}. After a merge the survivor's history goes on; the absorbed profile's stays
    /// with it.
    fn stage_history<'py>(
        &self,
        py: Python<'py>,
        id: &str,
        ladder: &str,
    ) -> PyResult<Bound<'py, PyAny>> {
        out(py, self.call(py, |e| e.stage_history(id, ladder))?)
    }

    /// How long a customer has been at each stage of a ladder, from their creation (or the
    /// ladder's definition, if later) to the engine clock: a Table with columns "stages"
    /// and "seconds".
    fn time_in_stages(&self, py: Python<'_>, id: &str, ladder: &str) -> PyResult<Table> {
        self.call(py, |e| e.time_in_stages(id, ladder).map(Table::from))?
            .py()
    }

    /// The moves from stage `from_` (the core's `from`, a Python keyword) to stage `to` of a
    /// ladder recorded in `[since, until)` (aware datetimes), oldest first, with the
    /// customers' current ids: a Table with columns "ids" and "at". A
    /// stage the ladder does not have raises ValidationError (`field` "from" or "to").
    fn moved<'py>(
        &self,
        py: Python<'py>,
        ladder: &str,
        from_: &str,
        to: &str,
        since: &Bound<'py, PyAny>,
        until: &Bound<'py, PyAny>,
    ) -> PyResult<Table> {
        let since = time_in(since, || "since".to_string())?;
        let until = time_in(until, || "until".to_string())?;
        self.call(py, |e| {
            e.moved(ladder, from_, to, since, until).map(Table::from)
        })?
        .py()
    }
}
