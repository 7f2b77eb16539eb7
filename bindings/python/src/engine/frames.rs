//! Tables in: customers and events from a DataFrame or a dict of columns.

use pyo3::prelude::*;

use super::{out, PyEngine};
use crate::frames::{identity_columns, reject_nested, Columns, CUSTOMER_COLUMNS, EVENT_COLUMNS};
use crate::inputs::{customer_in, event_in};

#[pymethods]
impl PyEngine {
    /// Inserts or updates one customer per row of a table, atomically, like
    /// upsert_customers().
    ///
    /// `frame` is a pandas or polars DataFrame or a dict of equal-length lists. Columns `id`
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
        let table = Columns::read(frame, "customers")?;
        reject_nested(
            &table,
            "customers",
            &["attributes", "identities", "remove_attributes"],
        )?;
        let identities = identity_columns(identities, &table)?;
        let inputs = (0..table.rows())
            .map(|i| {
                let record = table.record(i, &CUSTOMER_COLUMNS, &identities, "attributes")?;
                customer_in(&record, &|| format!("customers[{i}]"))
            })
            .collect::<PyResult<Vec<_>>>()?;
        out(py, self.call(py, |e| e.upsert_customers(&inputs))?)
    }

    /// Records one event per row of a table, atomically, like record_events().
    ///
    /// `frame` is a pandas or polars DataFrame or a dict of equal-length lists. Columns
    /// `customer`, `kind`, `channel` and `at` (aware datetimes) are required; `direction`,
    /// `amount`, `target` and `idempotency_key` are optional; every other column is a
    /// property. A cell that is None, NaN or NaT is left out of its row. Returns {"inserted",
    /// "duplicates"}.
    fn record_events_frame<'py>(
        &self,
        py: Python<'py>,
        frame: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let table = Columns::read(frame, "events")?;
        reject_nested(&table, "events", &["properties"])?;
        let inputs = (0..table.rows())
            .map(|i| {
                let record = table.record(i, &EVENT_COLUMNS, &[], "properties")?;
                event_in(&record, &|| format!("events[{i}]"))
            })
            .collect::<PyResult<Vec<_>>>()?;
        out(py, self.call(py, |e| e.record_events(&inputs))?)
    }
}
