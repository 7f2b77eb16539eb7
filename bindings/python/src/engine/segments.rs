//! Segment queries, saved segments with their changes, and tag rules.

use pyo3::prelude::*;

use super::{out, PyEngine};
use crate::errors::IntoPyResult;
use crate::outputs::ToPy;
use crate::table::Table;

#[pymethods]
impl PyEngine {
    /// Number of customers matching a segment expression. Raises SegmentSyntaxError or
    /// SegmentTypeError (with `line` and `column`).
    fn count(&self, py: Python<'_>, expression: &str) -> PyResult<u64> {
        self.call(py, |e| e.count(expression))?.py()
    }

    /// Members of a segment in creation order: `limit` of them (all when None) from position
    /// `offset`. Returns a Table with column "ids" and the scalar `result["total"]` (every
    /// member, not only this page's).
    #[pyo3(signature = (expression, offset=0, limit=None))]
    fn query(
        &self,
        py: Python<'_>,
        expression: &str,
        offset: u64,
        limit: Option<u64>,
    ) -> PyResult<Table> {
        self.call(py, |e| {
            e.query_packed(expression, offset, limit).map(Table::from)
        })?
        .py()
    }

    /// Why a customer is or is not in a segment, predicate by predicate: {"customer",
    /// "expression", "matched", "steps": [{"depth", "node", "matched", "observed"}]}.
    fn explain<'py>(
        &self,
        py: Python<'py>,
        id: &str,
        expression: &str,
    ) -> PyResult<Bound<'py, PyAny>> {
        out(py, self.call(py, |e| e.explain(id, expression))?)
    }

    /// Saves (or replaces) a named segment, kept current after every write and as the clock
    /// moves. Returns {"name", "expression", "members", "timed"}. A cycle raises ConflictError.
    fn save_segment<'py>(
        &self,
        py: Python<'py>,
        name: &str,
        expression: &str,
    ) -> PyResult<Bound<'py, PyAny>> {
        out(py, self.call(py, |e| e.save_segment(name, expression))?)
    }

    /// Drops a saved segment. Raises ConflictError if other segments or rules read it.
    fn drop_segment(&self, py: Python<'_>, name: &str) -> PyResult<()> {
        self.call(py, |e| e.drop_segment(name))?.py()
    }

    /// Every saved segment, in dependency order.
    fn saved_segments<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.call(py, |e| e.saved_segments())?.to_py(py)
    }

    /// Members of a saved segment, paged like query(): a Table with column "ids" and the scalar
    /// `result["total"]`.
    #[pyo3(signature = (name, offset=0, limit=None))]
    fn segment_members(
        &self,
        py: Python<'_>,
        name: &str,
        offset: u64,
        limit: Option<u64>,
    ) -> PyResult<Table> {
        self.call(py, |e| {
            e.segment_members_packed(name, offset, limit)
                .map(Table::from)
        })?
        .py()
    }

    /// Who entered and who left a saved segment since its last checkpoint: {"entered",
    /// "left"}.
    fn segment_changes<'py>(&self, py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyAny>> {
        out(py, self.call(py, |e| e.segment_changes(name))?)
    }

    /// Returns the changes since the last checkpoint and moves the checkpoint to now.
    fn checkpoint_segment<'py>(&self, py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyAny>> {
        out(py, self.call(py, |e| e.checkpoint_segment(name))?)
    }

    /// Adds (or replaces) a tag rule: `tag` is on exactly the customers matching the
    /// expression. Returns {"tag", "expression", "members", "timed"}.
    fn add_tag_rule<'py>(
        &self,
        py: Python<'py>,
        tag: &str,
        expression: &str,
    ) -> PyResult<Bound<'py, PyAny>> {
        out(py, self.call(py, |e| e.add_tag_rule(tag, expression))?)
    }

    /// Drops a tag rule and clears the tags it set.
    fn drop_tag_rule(&self, py: Python<'_>, tag: &str) -> PyResult<()> {
        self.call(py, |e| e.drop_tag_rule(tag))?.py()
    }

    /// Every tag rule, in dependency order.
    fn tag_rules<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.call(py, |e| e.tag_rules())?.to_py(py)
    }

    /// Brings every saved segment and tag rule to the current clock now, instead of at the
    /// next read or write.
    fn refresh(&self, py: Python<'_>) -> PyResult<()> {
        self.call(py, |e| e.refresh())
    }
}
