//! `scrm.Engine`: the core `Engine` behind a lock, one method per core method, each
//! converting its arguments, releasing the GIL around the core call and converting the result.
//! The lifecycle is here; the methods live in one file per area, like the core's engine/.

mod churn;
mod events;
mod frames;
mod graph;
mod ladders;
mod measure;
mod profiles;
mod referrals;
mod scoring;
mod segments;
mod tags;

use std::path::PathBuf;
use std::sync::{Arc, PoisonError, RwLock};

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};
use scrm::{Engine, EngineConfig, TagSource};

use crate::errors::{closed, invalid, IntoPyResult};
use crate::outputs::ToPy;
use crate::table::html_escape;
use crate::values::{json_in, json_out, parse_name};

/// The social CRM engine.
///
/// With `path` (a str or os.PathLike) the engine opens or creates that durable store file and
/// locks it; without, everything stays in memory. `config` is a dict shaped like the core's
/// EngineConfig, e.g. {"identity": {"default_country_code": "86"}, "merge": {"identified":
/// "flag", "on_collision": "merge", "default_strategy": "newest", "strategies": {"tags":
/// "union"}}}; it is not stored in the file, so pass the same one at each open.
///
/// Use it as a context manager (`with scrm.Engine(path) as engine:`) or call close(): closing
/// drops the engine and releases the store file; later calls raise StoreError.
///
/// Results are plain dicts and lists with the Rust field names, and table-shaped results
/// (scores, RFM, rankings, segment pages, ...) `scrm.Table` objects with those names as
/// columns; times are `datetime` objects in UTC. Times given to the engine must be timezone-aware `datetime` objects: naive ones
/// raise ValidationError. Every call releases the GIL, so several Python threads can use one
/// engine at once (reads run in parallel, writes are serialised).
#[pyclass(frozen, name = "Engine", module = "scrm")]
pub struct PyEngine {
    inner: RwLock<Option<Arc<Engine>>>,
    path: Option<PathBuf>,
}

impl PyEngine {
    /// The engine, unless closed.
    fn engine(&self) -> PyResult<Arc<Engine>> {
        self.inner
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
            .ok_or_else(closed)
    }

    /// Runs `f` on the engine with the GIL released.
    fn call<T: Send>(&self, py: Python<'_>, f: impl FnOnce(&Engine) -> T + Send) -> PyResult<T> {
        let engine = self.engine()?;
        Ok(py.detach(move || f(&engine)))
    }
}

/// Converts a core result to Python.
pub(crate) fn out<'py, T: ToPy>(
    py: Python<'py>,
    result: scrm::Result<T>,
) -> PyResult<Bound<'py, PyAny>> {
    result.py()?.to_py(py)
}

pub(crate) fn source_of(source: &str) -> PyResult<TagSource> {
    parse_name(source, &|| "source".to_string())
}

#[pymethods]
impl PyEngine {
    #[new]
    #[pyo3(signature = (path=None, config=None))]
    fn new(
        py: Python<'_>,
        path: Option<PathBuf>,
        config: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let config: EngineConfig = match config {
            Some(c) if !c.is_none() => serde_json::from_value(json_in(c, "config")?)
                .map_err(|e| invalid("config", e.to_string()))?,
            _ => EngineConfig::default(),
        };
        let opened = py.detach(|| match &path {
            Some(p) => Engine::open_with(p, config),
            None => Engine::in_memory_with(config),
        });
        Ok(PyEngine {
            inner: RwLock::new(Some(Arc::new(opened.py()?))),
            path,
        })
    }

    /// Closes the engine: drops it and releases the store file. Idempotent.
    fn close(&self, py: Python<'_>) {
        let engine = self
            .inner
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        py.detach(move || drop(engine));
    }

    /// True once close() was called.
    #[getter]
    fn closed(&self) -> bool {
        self.inner
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .is_none()
    }

    /// The store file, or None for an in-memory engine.
    #[getter]
    fn path(&self) -> Option<PathBuf> {
        self.path.clone()
    }

    /// The configuration the engine runs with, as a dict (EngineConfig's shape).
    #[getter]
    fn config<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let value = serde_json::to_value(self.engine()?.config())
            .map_err(|e| invalid("config", e.to_string()))?;
        json_out(py, &value)
    }

    /// Returns the engine itself, for `with scrm.Engine(...) as engine:`.
    fn __enter__(slf: Bound<'_, Self>) -> Bound<'_, Self> {
        slf
    }

    /// Closes the engine on leaving the `with` block; exceptions propagate.
    #[pyo3(signature = (*exc_info))]
    fn __exit__(&self, py: Python<'_>, exc_info: &Bound<'_, PyTuple>) -> bool {
        let _ = exc_info;
        self.close(py);
        false
    }

    /// The engine's summary as an HTML table, for notebooks: where it lives and, while it
    /// is open, its `stats()`.
    fn _repr_html_(&self, py: Python<'_>) -> PyResult<String> {
        let mut rows = format!(
            "<tr><th>engine</th><td>{}</td></tr>",
            html_escape(&self.__repr__())
        );
        if !self.closed() {
            let stats = self.call(py, |e| e.stats())?.to_py(py)?;
            for (name, value) in stats.cast::<PyDict>()?.iter() {
                rows.push_str(&format!("<tr><th>{name}</th><td>{value}</td></tr>"));
            }
        }
        Ok(format!("<table>{rows}</table>"))
    }

    fn __repr__(&self) -> String {
        let place = match &self.path {
            Some(p) => format!("path={:?}", p.display().to_string()),
            None => "in memory".to_string(),
        };
        let state = if self.closed() { ", closed" } else { "" };
        format!("<scrm.Engine {place}{state}>")
    }
}
