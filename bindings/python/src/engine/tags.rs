//! Tags by id and by segment, and reading them back.

use pyo3::prelude::*;

use super::{out, source_of, PyEngine};
use crate::outputs::ToPy;

#[pymethods]
impl PyEngine {
    /// Sets `tags` on the customers with these external ids (all or nothing); `source` is
    /// "manual", "import" or "rule". Tags already present keep their time and source.
    /// Returns {"customers", "changed"}.
    #[pyo3(signature = (ids, tags, source="manual"))]
    fn tag_customers<'py>(
        &self,
        py: Python<'py>,
        ids: Vec<String>,
        tags: Vec<String>,
        source: &str,
    ) -> PyResult<Bound<'py, PyAny>> {
        let source = source_of(source)?;
        out(py, self.call(py, |e| e.tag_customers(&ids, &tags, source))?)
    }

    /// Removes `tags` from the customers with these external ids. Returns {"customers",
    /// "changed"}.
    fn untag_customers<'py>(
        &self,
        py: Python<'py>,
        ids: Vec<String>,
        tags: Vec<String>,
    ) -> PyResult<Bound<'py, PyAny>> {
        out(py, self.call(py, |e| e.untag_customers(&ids, &tags))?)
    }

    /// Sets `tags` on every customer matching a segment expression. Returns {"customers",
    /// "changed"}.
    #[pyo3(signature = (expression, tags, source="manual"))]
    fn tag_segment<'py>(
        &self,
        py: Python<'py>,
        expression: &str,
        tags: Vec<String>,
        source: &str,
    ) -> PyResult<Bound<'py, PyAny>> {
        let source = source_of(source)?;
        out(
            py,
            self.call(py, |e| e.tag_segment(expression, &tags, source))?,
        )
    }

    /// Removes `tags` from every customer matching a segment expression.
    fn untag_segment<'py>(
        &self,
        py: Python<'py>,
        expression: &str,
        tags: Vec<String>,
    ) -> PyResult<Bound<'py, PyAny>> {
        out(py, self.call(py, |e| e.untag_segment(expression, &tags))?)
    }

    /// A customer's tags, sorted by name: [{"tag", "set_at", "source"}].
    fn tags_of<'py>(&self, py: Python<'py>, id: &str) -> PyResult<Bound<'py, PyAny>> {
        out(py, self.call(py, |e| e.tags_of(id))?)
    }

    /// Every tag in use with its number of customers, sorted by name: [{"tag", "customers"}].
    fn tag_counts<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.call(py, |e| e.tag_counts())?.to_py(py)
    }
}
