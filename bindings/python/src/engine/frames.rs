//! Tables in: customers and events from a DataFrame, an Arrow table or a dict of columns.

use pyo3::prelude::*;

use super::{out, PyEngine};
use crate::frames::records::{customers, events, identity_columns};
use crate::frames::Frame;

#[pymethods]
impl PyEngine {
    /// Inserts or updates one customer per row of a table, atomically, like
    /// upsert_customers().
    ///
    /// `frame` is a pandas or polars DataFrame, a pyarrow Table (anything with
    /// `__arrow_c_stream__`, read without a Python object per cell) or a dict of
    /// equal-length lists. Columns `id`
    /// (required), `anonymous` and `at` are those fields; the columns named in `identities`
    /// (a dict of column name to channel, or a list of column names that are channel names)
    /// become identities; every other column is an attribute. A cell that is None, NaN or
    /// NaT is left out of its row (the attribute is not set). Returns one outcome per row.
    #[pyo3(signature = (frame, *, identities=None))]
    fn upsert_customers_frame<'py>(
        &self,
        py: Python<'py>,
        frame: &Bound<'py, PyAny>,
        identities: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let table = Frame::read(frame, "customers")?;
        let identities = identity_columns(identities, &table)?;
        let inputs = customers(&table, &identities)?;
        out(py, self.call(py, |e| e.upsert_customers(&inputs))?)
    }

    /// Records one event per row of a table, atomically, like record_events().
    ///
    /// `frame` is a pandas or polars DataFrame, a pyarrow Table (anything with
    /// `__arrow_c_stream__`, read without a Python object per cell) or a dict of
    /// equal-length lists. Columns
    /// `customer`, `kind`, `channel` and `at` (aware datetimes) are required; `direction`,
    /// `amount`, `target` and `idempotency_key` are optional; every other column is a
    /// property. A cell that is None, NaN or NaT is left out of its row. Returns {"inserted",
    /// "duplicates"}.
    fn record_events_frame<'py>(
        &self,
        py: Python<'py>,
        frame: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let inputs = events(&Frame::read(frame, "events")?)?;
        out(py, self.call(py, |e| e.record_events(&inputs))?)
    }
}
