//! The exception hierarchy (`scrm.ScrmError` and one subclass per error code) and the mapping
//! from `scrm::Error` to it.
//!
//! Every exception instance carries `code` (the core's `Error::code()`), `field` (the input
//! path of a validation error), and `line`/`column` (where a segment expression is wrong);
//! attributes that do not apply are `None`. `str(exc)` is the core's message.

use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::types::PyType;

create_exception!(
    scrm,
    ScrmError,
    PyException,
    "Base of every scrm error. Attributes: `code` (VALIDATION, NOT_FOUND, CONFLICT, \
SEGMENT_SYNTAX, SEGMENT_TYPE or STORE), `field` (input path of a validation error), `line` and \
`column` (position in a segment expression); those that do not apply are None."
);
create_exception!(
    scrm,
    ValidationError,
    ScrmError,
    "An input value was rejected (code VALIDATION). `field` is its path, such as \
`events[3].amount` or `customer.at`; naive datetimes are rejected this way."
);
create_exception!(
    scrm,
    NotFoundError,
    ScrmError,
    "A customer, conflict, saved segment, tag rule, invite code or referral does not exist \
(code NOT_FOUND). A `segment:` reference to an unknown saved segment also has `line` and `column`."
);
create_exception!(
    scrm,
    ConflictError,
    ScrmError,
    "The request contradicts the current state (code CONFLICT): an identity owned by another \
customer under the reject policy, a conflict resolved twice, a cycle among saved segments and \
rules (with `line` and `column`), dropping a segment that others read, a second referrer \
for a customer, redeeming more points than are spendable, or deciding a voided referral."
);
create_exception!(
    scrm,
    SegmentSyntaxError,
    ScrmError,
    "A segment expression does not follow the grammar (code SEGMENT_SYNTAX); see `line` and \
`column`."
);
create_exception!(
    scrm,
    SegmentTypeError,
    ScrmError,
    "A segment comparison does not fit the attribute's values (code SEGMENT_TYPE), such as \
`attr.city > 3` on strings; see `line` and `column`."
);
create_exception!(
    scrm,
    StoreError,
    ScrmError,
    "The embedded store failed or is not usable (code STORE): not a scrm file, corrupt, \
locked by another engine, an unsupported version, an SQLite error, or an engine already closed."
);

/// Adds the exception types to the module and gives each class default attributes, so even
/// an instance raised from Python code has `code`, `field`, `line` and `column`.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    let classes: [(Bound<'_, PyType>, Option<&str>); 7] = [
        (py.get_type::<ScrmError>(), None),
        (py.get_type::<ValidationError>(), Some("VALIDATION")),
        (py.get_type::<NotFoundError>(), Some("NOT_FOUND")),
        (py.get_type::<ConflictError>(), Some("CONFLICT")),
        (py.get_type::<SegmentSyntaxError>(), Some("SEGMENT_SYNTAX")),
        (py.get_type::<SegmentTypeError>(), Some("SEGMENT_TYPE")),
        (py.get_type::<StoreError>(), Some("STORE")),
    ];
    for (class, code) in classes {
        class.setattr("code", code)?;
        if code.is_none() {
            for attribute in ["field", "line", "column"] {
                class.setattr(attribute, py.None())?;
            }
        }
        m.add(class.name()?, class)?;
    }
    Ok(())
}

/// Converts a core error into the matching Python exception, with its attributes set.
pub fn to_py(error: scrm::Error) -> PyErr {
    Python::attach(|py| {
        let message = error.to_string();
        let err = match error.code() {
            "VALIDATION" => ValidationError::new_err(message),
            "NOT_FOUND" => NotFoundError::new_err(message),
            "CONFLICT" => ConflictError::new_err(message),
            "SEGMENT_SYNTAX" => SegmentSyntaxError::new_err(message),
            "SEGMENT_TYPE" => SegmentTypeError::new_err(message),
            "STORE" => StoreError::new_err(message),
            _ => ScrmError::new_err(message),
        };
        let (line, column) = match &error {
            scrm::Error::Segment(e) => (Some(e.line), Some(e.column)),
            _ => (None, None),
        };
        let value = err.value(py);
        let set = || -> PyResult<()> {
            value.setattr("code", error.code())?;
            value.setattr("field", error.field())?;
            value.setattr("line", line)?;
            value.setattr("column", column)
        };
        match set() {
            Ok(()) => err,
            Err(e) => e,
        }
    })
}

/// A validation error raised by the binding itself, for a value that does not convert
/// (a naive datetime, a wrong type inside a record). Same shape as the core's.
pub fn invalid(field: impl Into<String>, reason: impl Into<String>) -> PyErr {
    to_py(scrm::Error::Validation {
        field: field.into(),
        reason: reason.into(),
    })
}

/// Raised by every call on an engine after `close()`.
/// Its `code` (STORE) comes from the class.
pub fn closed() -> PyErr {
    StoreError::new_err("the engine is closed")
}

/// Shorthand: map a core result into a Python one.
pub trait IntoPyResult<T> {
    /// Converts the error, keeping the value.
    fn py(self) -> PyResult<T>;
}

impl<T> IntoPyResult<T> for scrm::Result<T> {
    fn py(self) -> PyResult<T> {
        self.map_err(to_py)
    }
}
