//! Tables in: a pandas or polars DataFrame, a pyarrow Table (anything with
//! `__arrow_c_stream__`), or a dict of equal-length column lists, turned into the records
//! `upsert_customers`, `record_events` and `add_edges` take ([`records`]), with the core's
//! error paths (`customers[3].attributes.city`, `events[7].at`).
//!
//! A table that speaks the Arrow PyCapsule interface is read through it, in place, without a
//! Python object per cell ([`crate::arrow::import`]); when that fails (no pyarrow behind a
//! pandas frame, a column pyarrow cannot convert) or for a dict of lists, each column is read
//! as a Python list (`tolist()` / `to_list()`). Both give the same records; a pandas index is
//! never a column.
//!
//! A cell that is None, NaN or NaT (or an Arrow null) is missing: the key is left out of that
//! row's record.

pub mod records;

use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{PyCapsule, PyCapsuleMethods, PyList, PyMapping, PyString};
use scrm::{AttributeValue, Timestamp};
use serde::de::DeserializeOwned;

use crate::arrow::import::{ArrowTable, Cell};
use crate::arrow::ArrowArrayStream;
use crate::errors::invalid;
use crate::inputs::{float_in, string_in};
use crate::time::{time_in, type_name};
use crate::values::{attribute_in, parse_name, parse_name_py};

/// An input table as named columns of equal length.
pub struct Frame<'py> {
    names: Vec<String>,
    rows: usize,
    source: Source<'py>,
}

/// Where a table's cells come from.
enum Source<'py> {
    /// One Python list per column.
    Lists(Vec<Bound<'py, PyList>>),
    /// Arrow record batches, read in place.
    Arrow(ArrowTable),
}

/// One present cell: a Python object (from a list column) or an Arrow value.
pub enum Value<'t, 'py> {
    Py(Bound<'py, PyAny>),
    Arrow(Cell<'t>),
}

impl<'py> Frame<'py> {
    /// Reads a table; `name` is the batch's path in errors (`events`).
    pub fn read(frame: &Bound<'py, PyAny>, name: &str) -> PyResult<Self> {
        if let Some(arrow) = arrow_table(frame) {
            let arrow = arrow.map_err(|e| invalid(name, e))?;
            return Ok(Frame {
                names: arrow.names().to_vec(),
                rows: arrow.rows(),
                source: Source::Arrow(arrow),
            });
        }
        Self::read_lists(frame, name)
    }

    /// Reads each column of a DataFrame or of a dict of lists as a Python list.
    fn read_lists(frame: &Bound<'py, PyAny>, name: &str) -> PyResult<Self> {
        let py = frame.py();
        let keys: Vec<Bound<'py, PyAny>> = if let Ok(dict) = frame.cast::<PyMapping>() {
            dict.keys()?.iter().collect()
        } else {
            let columns = frame.getattr(intern!(py, "columns")).map_err(|_| {
                invalid(
                    name,
                    format!(
                        "expected a DataFrame or a dict of columns, got {}",
                        type_name(frame)
                    ),
                )
            })?;
            columns.try_iter()?.collect::<PyResult<_>>()?
        };
        let (mut names, mut lists) = (Vec::new(), Vec::new());
        let mut rows = None;
        for key in keys {
            let column: String = key.extract().map_err(|_| {
                invalid(
                    name,
                    format!("column names must be str, got {}", type_name(&key)),
                )
            })?;
            let values = to_list(&frame.get_item(&key)?)
                .map_err(|_| invalid(format!("{name}.{column}"), "column is not a list"))?;
            let len = values.len();
            if *rows.get_or_insert(len) != len {
                return Err(invalid(
                    format!("{name}.{column}"),
                    "columns must all have the same length",
                ));
            }
            names.push(column);
            lists.push(values);
        }
        Ok(Frame {
            names,
            rows: rows.unwrap_or(0),
            source: Source::Lists(lists),
        })
    }

    /// Number of rows.
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// The names of the columns, in order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.names.iter().map(String::as_str)
    }

    /// The position of the column called `name`.
    pub fn position(&self, name: &str) -> Option<usize> {
        self.names.iter().position(|n| n == name)
    }

    /// The cell of `column` in `row`, None when missing; `field` is its path in errors.
    pub fn cell(
        &self,
        column: usize,
        row: usize,
        field: &dyn Fn() -> String,
    ) -> PyResult<Option<Value<'_, 'py>>> {
        match &self.source {
            Source::Lists(lists) => {
                let value = lists[column].get_item(row)?;
                Ok((!is_missing(&value)).then_some(Value::Py(value)))
            }
            Source::Arrow(table) => match table.cell(column, row) {
                Ok(Cell::Null) => Ok(None),
                Ok(cell) => Ok(Some(Value::Arrow(cell))),
                Err(e) => Err(invalid(field(), e)),
            },
        }
    }
}

/// The table behind `__arrow_c_stream__`, None when the object has none or it fails (then the
/// columns are read as lists, with the errors of that path).
fn arrow_table(frame: &Bound<'_, PyAny>) -> Option<Result<ArrowTable, String>> {
    let py = frame.py();
    if frame.cast::<PyMapping>().is_ok() {
        return None;
    }
    let capsule = frame
        .call_method0(intern!(py, "__arrow_c_stream__"))
        .ok()?
        .cast_into::<PyCapsule>()
        .ok()?;
    let pointer = capsule.pointer_checked(Some(c"arrow_array_stream")).ok()?;
    let stream = pointer.cast::<ArrowArrayStream>();
    // SAFETY: an "arrow_array_stream" capsule holds a live stream; it is moved out and the
    // capsule's copy marked released, as the PyCapsule interface asks of a consumer, so the
    // capsule's destructor leaves it alone.
    let stream = unsafe {
        let taken = stream.read();
        (*stream.as_ptr()).release = None;
        taken
    };
    Some(ArrowTable::read(stream))
}

impl Value<'_, '_> {
    /// The type of the value, for error messages.
    fn type_name(&self) -> String {
        match self {
            Value::Py(v) => type_name(v),
            Value::Arrow(cell) => cell.type_name().to_string(),
        }
    }

    /// The error for a value of the wrong type.
    fn expected(&self, what: &str, field: &dyn Fn() -> String) -> PyErr {
        invalid(
            field(),
            format!("expected {what}, got {}", self.type_name()),
        )
    }

    /// A `str`.
    pub fn text(&self, field: &dyn Fn() -> String) -> PyResult<String> {
        match self {
            Value::Py(v) => string_in(v, field),
            Value::Arrow(Cell::Str(s)) => Ok(s.to_string()),
            _ => Err(self.expected("str", field)),
        }
    }

    /// A number.
    pub fn number(&self, field: &dyn Fn() -> String) -> PyResult<f64> {
        match self {
            Value::Py(v) => float_in(v, field),
            Value::Arrow(Cell::Float(x)) => Ok(*x),
            Value::Arrow(Cell::Int(i)) => Ok(*i as f64),
            _ => Err(self.expected("a number", field)),
        }
    }

    /// A `bool`.
    pub fn flag(&self, field: &dyn Fn() -> String) -> PyResult<bool> {
        match self {
            Value::Py(v) => v.extract().map_err(|_| self.expected("bool", field)),
            Value::Arrow(Cell::Bool(b)) => Ok(*b),
            _ => Err(self.expected("bool", field)),
        }
    }

    /// An aware time.
    pub fn time(&self, field: &dyn Fn() -> String) -> PyResult<Timestamp> {
        match self {
            Value::Py(v) => time_in(v, field),
            Value::Arrow(Cell::Time(t)) => Ok(*t),
            _ => Err(self.expected("a datetime", field)),
        }
    }

    /// An enum value by its name (`"outbound"`).
    pub fn name<T: DeserializeOwned>(&self, field: &dyn Fn() -> String) -> PyResult<T> {
        match self {
            Value::Py(v) => parse_name_py(v, field),
            Value::Arrow(Cell::Str(s)) => parse_name(s, field),
            _ => Err(self.expected("str", field)),
        }
    }

    /// An attribute or property value.
    pub fn attribute(&self, field: &dyn Fn() -> String) -> PyResult<AttributeValue> {
        Ok(match self {
            Value::Py(v) => return attribute_in(v, field),
            Value::Arrow(cell) => match cell {
                Cell::Bool(b) => AttributeValue::Bool(*b),
                Cell::Int(i) => AttributeValue::Int(*i),
                Cell::Float(x) => AttributeValue::Float(*x),
                Cell::Str(s) => AttributeValue::String(s.to_string()),
                Cell::Time(t) => AttributeValue::Time(*t),
                Cell::List(items) => {
                    AttributeValue::List(items.iter().map(|s| s.to_string()).collect())
                }
                Cell::Null => return Err(self.expected("a value", field)),
            },
        })
    }
}

/// A column as a Python list: a list itself, or through `tolist()` (pandas, numpy) or
/// `to_list()` (polars), or any iterable.
fn to_list<'py>(column: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyList>> {
    let py = column.py();
    if let Ok(list) = column.cast::<PyList>() {
        return Ok(list.clone());
    }
    if column.is_instance_of::<PyString>() {
        return Err(invalid("column", "a str is not a column"));
    }
    for method in [intern!(py, "tolist"), intern!(py, "to_list")] {
        if column.hasattr(method)? {
            return Ok(column.call_method0(method)?.cast_into::<PyList>()?);
        }
    }
    PyList::new(py, column.try_iter()?.collect::<PyResult<Vec<_>>>()?)
}

/// None, NaN and NaT (anything not equal to itself).
fn is_missing(value: &Bound<'_, PyAny>) -> bool {
    value.is_none() || value.ne(value).unwrap_or(false)
}

/// Whether a value is a table (a DataFrame, an Arrow table, or a mapping of column names to
/// columns) rather than a list of records.
pub fn is_table(value: &Bound<'_, PyAny>) -> PyResult<bool> {
    let py = value.py();
    Ok(value.cast::<PyMapping>().is_ok()
        || value.hasattr(intern!(py, "columns"))?
        || value.hasattr(intern!(py, "__arrow_c_stream__"))?)
}
