//! Tables in: a pandas or polars DataFrame, or a dict of equal-length column lists, read
//! column by column (`tolist()` / `to_list()`, no pyarrow needed) and turned into the same
//! records `upsert_customers`, `record_events` and `add_edges` take, so validation and error
//! paths are the core's (`customers[3].attributes.city`, `events[7].at`).
//!
//! A cell that is None, NaN or NaT is missing: the key is left out of that row's record.

use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyMapping, PyString};

use crate::errors::invalid;
use crate::inputs::{string_in, strings_in};
use crate::time::type_name;

/// A table as named columns of equal length.
pub struct Columns<'py> {
    py: Python<'py>,
    columns: Vec<(String, Bound<'py, PyList>)>,
    rows: usize,
}

impl<'py> Columns<'py> {
    /// Reads the columns of a DataFrame or of a dict of lists; `name` is the batch's path.
    pub fn read(frame: &Bound<'py, PyAny>, name: &str) -> PyResult<Self> {
        let py = frame.py();
        let names: Vec<Bound<'py, PyAny>> = if let Ok(dict) = frame.cast::<PyMapping>() {
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
        let mut columns = Vec::with_capacity(names.len());
        let mut rows = None;
        for key in names {
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
            columns.push((column, values));
        }
        Ok(Columns {
            py,
            columns,
            rows: rows.unwrap_or(0),
        })
    }

    /// Number of rows.
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// The names of the columns, in order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.columns.iter().map(|(n, _)| n.as_str())
    }

    /// Row `i` as a record of its present cells, every column under its own name.
    pub fn row(&self, i: usize) -> PyResult<Bound<'py, PyDict>> {
        let record = PyDict::new(self.py);
        for (column, values) in &self.columns {
            let value = values.get_item(i)?;
            if !is_missing(&value) {
                record.set_item(column, value)?;
            }
        }
        Ok(record)
    }

    /// Row `i` as a record: columns named in `keys` as they are, `identities` (column name,
    /// channel) as a list of pairs, every other column inside a nested dict under `rest`.
    pub fn record(
        &self,
        i: usize,
        keys: &[&str],
        identities: &[(String, String)],
        rest: &str,
    ) -> PyResult<Bound<'py, PyDict>> {
        let py = self.py;
        let record = PyDict::new(py);
        let others = PyDict::new(py);
        let pairs = PyList::empty(py);
        for (column, values) in &self.columns {
            let value = values.get_item(i)?;
            if is_missing(&value) {
                continue;
            }
            if let Some((_, channel)) = identities.iter().find(|(c, _)| c == column) {
                pairs.append((channel, value))?;
            } else if keys.contains(&column.as_str()) {
                record.set_item(column, value)?;
            } else {
                others.set_item(column, value)?;
            }
        }
        if !identities.is_empty() {
            record.set_item("identities", pairs)?;
        }
        record.set_item(rest, others)?;
        Ok(record)
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

/// The keys a customer row takes as they are (`attributes` gathers the other columns).
pub const CUSTOMER_COLUMNS: [&str; 3] = ["id", "anonymous", "at"];

/// The keys an event row takes as they are (`properties` gathers the other columns).
pub const EVENT_COLUMNS: [&str; 8] = [
    "customer",
    "kind",
    "channel",
    "direction",
    "at",
    "amount",
    "target",
    "idempotency_key",
];

/// Whether a value is a table (a DataFrame, or a mapping of column names to columns) rather
/// than a list of records.
pub fn is_table(value: &Bound<'_, PyAny>) -> PyResult<bool> {
    Ok(value.cast::<PyMapping>().is_ok() || value.hasattr(intern!(value.py(), "columns"))?)
}

/// Fails on the first column that is not one of `keys` (tables whose every column is a field).
pub fn reject_unknown(columns: &Columns<'_>, name: &str, keys: &[&str]) -> PyResult<()> {
    for column in columns.names() {
        if !keys.contains(&column) {
            return Err(invalid(
                format!("{name}.{column}"),
                format!("unknown column; expected some of {}", keys.join(", ")),
            ));
        }
    }
    Ok(())
}

/// Columns that cannot come from a table (nested values): named so the error says why.
pub fn reject_nested(columns: &Columns<'_>, name: &str, nested: &[&str]) -> PyResult<()> {
    for column in columns.names() {
        if nested.contains(&column) {
            return Err(invalid(
                format!("{name}.{column}"),
                "not a column: other columns are the attributes or properties",
            ));
        }
    }
    Ok(())
}

/// The identity columns of a customer table: a dict of column name to channel, or a list of
/// column names that are channel names (`["phone", "email"]`).
pub fn identity_columns(
    value: Option<&Bound<'_, PyAny>>,
    columns: &Columns<'_>,
) -> PyResult<Vec<(String, String)>> {
    let field = || "identities".to_string();
    let pairs = match value {
        None => return Ok(Vec::new()),
        Some(v) if v.is_none() => return Ok(Vec::new()),
        Some(v) => match v.cast::<PyMapping>() {
            Ok(mapping) => mapping
                .items()?
                .iter()
                .map(|item| {
                    let (column, channel): (Bound<'_, PyAny>, Bound<'_, PyAny>) = item.extract()?;
                    Ok((string_in(&column, &field)?, string_in(&channel, &field)?))
                })
                .collect::<PyResult<Vec<_>>>()?,
            Err(_) => strings_in(v, &field)?
                .into_iter()
                .map(|c| (c.clone(), c))
                .collect(),
        },
    };
    for (column, _) in &pairs {
        if !columns.names().any(|n| n == column) {
            return Err(invalid(
                field(),
                format!("the table has no column {column:?}"),
            ));
        }
    }
    Ok(pairs)
}
