//! Events, sizes and the clock.

use pyo3::prelude::*;
use pyo3::types::PyDict;

use super::{out, PyEngine};
use crate::errors::IntoPyResult;
use crate::inputs::{batch_in, event_in};
use crate::outputs::ToPy;
use crate::time::opt_time_in;

#[pymethods]
impl PyEngine {
    /// Records one event. `at` is an aware datetime; `direction` is "inbound" (from the
    /// customer) or "outbound" (from the brand); `amount` is finite and non-negative;
    /// `target` is another customer's id; `properties` are typed like attributes; an
    /// `idempotency_key` already recorded makes this a duplicate. Returns {"inserted",
    /// "duplicates"}.
    #[pyo3(signature = (
        customer, kind, channel, at, *, direction="inbound", amount=None, target=None,
        properties=None, idempotency_key=None
    ))]
    #[allow(clippy::too_many_arguments)]
    fn record_event<'py>(
        &self,
        py: Python<'py>,
        customer: &Bound<'py, PyAny>,
        kind: &Bound<'py, PyAny>,
        channel: &Bound<'py, PyAny>,
        at: &Bound<'py, PyAny>,
        direction: &str,
        amount: Option<&Bound<'py, PyAny>>,
        target: Option<&Bound<'py, PyAny>>,
        properties: Option<&Bound<'py, PyAny>>,
        idempotency_key: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let record = PyDict::new(py);
        record.set_item("customer", customer)?;
        record.set_item("kind", kind)?;
        record.set_item("channel", channel)?;
        record.set_item("at", at)?;
        record.set_item("direction", direction)?;
        record.set_item("amount", amount)?;
        record.set_item("target", target)?;
        record.set_item("properties", properties)?;
        record.set_item("idempotency_key", idempotency_key)?;
        let input = event_in(&record, &|| "events[0]".to_string())?;
        out(py, self.call(py, |e| e.record_event(&input))?)
    }

    /// Records a batch of events atomically: all of them (less duplicates) or none.
    ///
    /// `events` is a list of dicts with the keys of record_event's arguments (`customer`,
    /// `kind`, `channel`, `at`, `direction`, `amount`, `target`, `properties`,
    /// `idempotency_key`). Returns {"inserted", "duplicates"}.
    fn record_events<'py>(
        &self,
        py: Python<'py>,
        events: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let inputs = batch_in(events, "events", event_in)?;
        out(py, self.call(py, |e| e.record_events(&inputs))?)
    }

    /// A customer's events (including those of profiles merged into it), oldest first. Each
    /// is {"seq", "customer", "kind", "channel", "direction", "at", "amount", "target",
    /// "properties", "idempotency_key"}.
    fn events_of<'py>(&self, py: Python<'py>, id: &str) -> PyResult<Bound<'py, PyAny>> {
        out(py, self.call(py, |e| e.events_of(id))?)
    }

    /// Sizes of the engine's contents: {"customers", "merged", "identities", "events",
    /// "open_conflicts"}.
    fn stats<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.call(py, |e| e.stats())?.to_py(py)
    }

    /// The engine's current time (a UTC datetime): the system clock, or the manual one.
    fn now<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(self.call(py, |e| e.now())?.into_pyobject(py)?.into_any())
    }

    /// Sets a manual clock (an aware datetime), or returns to the system clock (None). Time
    /// windows in segments end at this clock.
    #[pyo3(signature = (at=None))]
    fn set_clock(&self, py: Python<'_>, at: Option<&Bound<'_, PyAny>>) -> PyResult<()> {
        let at = opt_time_in(at, || "clock".to_string())?;
        self.call(py, |e| e.set_clock(at))?.py()
    }
}
