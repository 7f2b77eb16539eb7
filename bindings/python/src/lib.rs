//! `scrm._scrm`: the native module behind the Python package `scrm`. A thin layer over the
//! core crate: it converts types, maps errors to exceptions and releases the GIL around every
//! engine call; all behaviour lives in `scrm`.

mod arrow;
mod engine;
mod errors;
mod frames;
mod inputs;
mod models;
mod outputs;
mod table;
mod time;
mod values;

use pyo3::prelude::*;

/// Formats a segment expression in canonical form (keywords lower-case, normalised spacing
/// and parentheses). Raises SegmentSyntaxError (with `line` and `column`) if it does not parse.
#[pyfunction]
fn format_segment(py: Python<'_>, text: &str) -> PyResult<String> {
    py.detach(|| scrm::format_segment(text))
        .map_err(|e| errors::to_py(scrm::Error::Segment(e)))
}

/// Adds the core's size limits, the referral constants (`scrm.REFUND`, ...), the well-known
/// event kinds (`scrm.kinds.VIEW`, ...) and the built-in edge kinds (`scrm.edge_kinds.REFERRED`,
/// ...).
fn add_constants(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("MAX_ID_LEN", scrm::MAX_ID_LEN)?;
    m.add("MAX_STRING_LEN", scrm::MAX_STRING_LEN)?;
    m.add("MAX_IDENTITY_LEN", scrm::MAX_IDENTITY_LEN)?;
    m.add("MAX_KEY_LEN", scrm::MAX_KEY_LEN)?;
    m.add("MAX_NAME_LEN", scrm::MAX_NAME_LEN)?;
    m.add("MAX_TAG_LEN", scrm::MAX_TAG_LEN)?;
    m.add("MAX_NOTE_LEN", scrm::MAX_NOTE_LEN)?;
    m.add("MAX_EXPRESSION_LEN", scrm::MAX_EXPRESSION_LEN)?;
    m.add("MAX_POINTS", scrm::MAX_POINTS)?;
    m.add("MAX_LEVELS", scrm::MAX_LEVELS)?;
    m.add("REFUND", scrm::REFUND)?;
    m.add("REFUNDED", scrm::REFUNDED)?;
    let kinds = PyModule::new(m.py(), "kinds")?;
    kinds.add(
        "__doc__",
        "Well-known event kinds (any other kind name is allowed too).",
    )?;
    for (name, value) in [
        ("VIEW", scrm::kinds::VIEW),
        ("CLICK", scrm::kinds::CLICK),
        ("MESSAGE", scrm::kinds::MESSAGE),
        ("COMMENT", scrm::kinds::COMMENT),
        ("SHARE", scrm::kinds::SHARE),
        ("PURCHASE", scrm::kinds::PURCHASE),
        ("SIGNUP", scrm::kinds::SIGNUP),
        ("FOLLOW", scrm::kinds::FOLLOW),
        ("SURVEY", scrm::kinds::SURVEY),
    ] {
        kinds.add(name, value)?;
    }
    m.add_submodule(&kinds)?;
    let edge_kinds = PyModule::new(m.py(), "edge_kinds")?;
    edge_kinds.add(
        "__doc__",
        "Built-in edge kinds (any other kind name is a custom, directed kind).",
    )?;
    for (name, value) in [
        ("REFERRED", scrm::edge_kinds::REFERRED),
        ("FOLLOWS", scrm::edge_kinds::FOLLOWS),
        ("FRIEND", scrm::edge_kinds::FRIEND),
        ("INTERACTED", scrm::edge_kinds::INTERACTED),
        ("COLLEAGUE", scrm::edge_kinds::COLLEAGUE),
    ] {
        edge_kinds.add(name, value)?;
    }
    m.add_submodule(&edge_kinds)
}

/// Native core of the `scrm` package; import `scrm` instead.
#[pymodule]
fn _scrm(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_class::<engine::PyEngine>()?;
    m.add_class::<table::Table>()?;
    m.add_function(wrap_pyfunction!(format_segment, m)?)?;
    errors::register(m)?;
    models::register(m)?;
    add_constants(m)
}
