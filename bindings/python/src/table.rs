//! `scrm.Table`: a table-shaped result as named columns in Arrow layout, built in Rust (with
//! the GIL released) and handed to pyarrow, polars, pandas or DuckDB through the Arrow
//! PyCapsule interface (<https://arrow.apache.org/docs/format/CDataInterface/PyCapsuleInterface.html>)
//! without a Python object per row. Python lists are made only when asked for (`table[name]`,
//! `to_dict()`).

use std::borrow::Cow;
use std::ffi::CStr;
use std::sync::Arc;

use chrono::DateTime;
use pyo3::exceptions::{PyImportError, PyKeyError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyCapsule, PyDict, PyList, PyString};
use pyo3::IntoPyObjectExt;
use scrm::Timestamp;

use crate::arrow;

/// Rows shown by `_repr_html_`.
const HTML_ROWS: usize = 10;

/// The offsets of a string column: 32-bit (Arrow `utf8`) unless its bytes need 64 bits
/// (`large_utf8`).
pub enum Offsets {
    Small(Vec<i32>),
    Large(Vec<i64>),
}

/// A column's values in Arrow layout.
pub enum Values {
    /// UTF-8 strings: item `i` is `bytes[offsets[i]..offsets[i + 1]]`.
    Utf8 {
        offsets: Offsets,
        bytes: Vec<u8>,
    },
    Float64(Vec<f64>),
    Int64(Vec<i64>),
    UInt64(Vec<u64>),
    UInt32(Vec<u32>),
    UInt8(Vec<u8>),
    /// Microseconds since the Unix epoch, in UTC.
    Timestamp(Vec<i64>),
}

macro_rules! values_from {
    ($($t:ty => $variant:ident),*) => {$(
        impl From<Vec<$t>> for Values {
            fn from(values: Vec<$t>) -> Self {
                Values::$variant(values)
            }
        }
    )*};
}

values_from!(f64 => Float64, i64 => Int64, u64 => UInt64, u32 => UInt32, u8 => UInt8);

impl Values {
    /// A string column, in one pass: each string is copied (and, when owned, freed) in turn.
    /// Offsets are 32-bit until the bytes pass `i32::MAX`, then 64-bit.
    pub fn strings<S: AsRef<str>>(items: impl IntoIterator<Item = S>) -> Self {
        let mut items = items.into_iter();
        let mut bytes = Vec::new();
        let mut small = Vec::with_capacity(items.size_hint().0 + 1);
        small.push(0i32);
        for item in items.by_ref() {
            bytes.extend_from_slice(item.as_ref().as_bytes());
            match i32::try_from(bytes.len()) {
                Ok(end) => small.push(end),
                Err(_) => {
                    let mut large: Vec<i64> = small.into_iter().map(i64::from).collect();
                    large.push(bytes.len() as i64);
                    for item in items {
                        bytes.extend_from_slice(item.as_ref().as_bytes());
                        large.push(bytes.len() as i64);
                    }
                    let offsets = Offsets::Large(large);
                    return Values::Utf8 { offsets, bytes };
                }
            }
        }
        let offsets = Offsets::Small(small);
        Values::Utf8 { offsets, bytes }
    }

    /// A timestamp column.
    pub fn timestamps(items: &[Timestamp]) -> Self {
        Values::Timestamp(items.iter().map(Timestamp::timestamp_micros).collect())
    }

    /// Number of items.
    fn len(&self) -> usize {
        match self {
            Values::Utf8 {
                offsets: Offsets::Small(o),
                ..
            } => o.len() - 1,
            Values::Utf8 {
                offsets: Offsets::Large(o),
                ..
            } => o.len() - 1,
            Values::Float64(v) => v.len(),
            Values::Int64(v) | Values::Timestamp(v) => v.len(),
            Values::UInt64(v) => v.len(),
            Values::UInt32(v) => v.len(),
            Values::UInt8(v) => v.len(),
        }
    }

    /// The Arrow type name, as pyarrow prints it.
    fn type_name(&self) -> &'static str {
        match self {
            Values::Utf8 {
                offsets: Offsets::Small(_),
                ..
            } => "string",
            Values::Utf8 {
                offsets: Offsets::Large(_),
                ..
            } => "large_string",
            Values::Float64(_) => "double",
            Values::Int64(_) => "int64",
            Values::UInt64(_) => "uint64",
            Values::UInt32(_) => "uint32",
            Values::UInt8(_) => "uint8",
            Values::Timestamp(_) => "timestamp[us, tz=UTC]",
        }
    }

    /// String item `i` (`i` below the length).
    fn str<'a>(offsets: &Offsets, bytes: &'a [u8], i: usize) -> PyResult<&'a str> {
        let (start, end) = match offsets {
            Offsets::Small(o) => (o[i] as usize, o[i + 1] as usize),
            Offsets::Large(o) => (o[i] as usize, o[i + 1] as usize),
        };
        std::str::from_utf8(&bytes[start..end]).map_err(|e| PyValueError::new_err(e.to_string()))
    }

    /// A timestamp item as a UTC time.
    fn time(micros: i64) -> PyResult<Timestamp> {
        DateTime::from_timestamp_micros(micros)
            .ok_or_else(|| PyValueError::new_err("timestamp out of range"))
    }

    /// Item `i` as a Python object (`i` below the length).
    fn cell<'py>(&self, py: Python<'py>, i: usize) -> PyResult<Bound<'py, PyAny>> {
        match self {
            Values::Utf8 { offsets, bytes } => {
                Ok(PyString::new(py, Self::str(offsets, bytes, i)?).into_any())
            }
            Values::Float64(v) => v[i].into_bound_py_any(py),
            Values::Int64(v) => v[i].into_bound_py_any(py),
            Values::UInt64(v) => v[i].into_bound_py_any(py),
            Values::UInt32(v) => v[i].into_bound_py_any(py),
            Values::UInt8(v) => v[i].into_bound_py_any(py),
            Values::Timestamp(v) => Self::time(v[i])?.into_bound_py_any(py),
        }
    }

    /// Item `i` as text for the reprs (`i` below the length).
    fn text(&self, i: usize) -> PyResult<String> {
        Ok(match self {
            Values::Utf8 { offsets, bytes } => Self::str(offsets, bytes, i)?.to_string(),
            Values::Float64(v) => format!("{:?}", v[i]),
            Values::Int64(v) => v[i].to_string(),
            Values::UInt64(v) => v[i].to_string(),
            Values::UInt32(v) => v[i].to_string(),
            Values::UInt8(v) => v[i].to_string(),
            Values::Timestamp(v) => Self::time(v[i])?.to_string(),
        })
    }
}

/// A named column, nullable when the core's field is an `Option`.
pub struct Column {
    pub name: &'static CStr,
    pub values: Values,
    pub nullable: bool,
    /// Arrow validity bitmap (bit `i` set when item `i` is present), None without nulls.
    pub validity: Option<Vec<u8>>,
    pub null_count: usize,
}

impl Column {
    /// A column without nulls.
    pub fn new(name: &'static CStr, values: impl Into<Values>) -> Self {
        Column {
            name,
            values: values.into(),
            nullable: false,
            validity: None,
            null_count: 0,
        }
    }

    /// A nullable column: `values` builds it from the items, a null one as `T::default()`.
    pub fn nullable<T: Default>(
        name: &'static CStr,
        items: Vec<Option<T>>,
        values: impl FnOnce(Vec<T>) -> Values,
    ) -> Self {
        let mut bits = vec![0u8; items.len().div_ceil(8)];
        let mut null_count = 0;
        let present: Vec<T> = items
            .into_iter()
            .enumerate()
            .map(|(i, item)| match item {
                Some(value) => {
                    bits[i / 8] |= 1 << (i % 8);
                    value
                }
                None => {
                    null_count += 1;
                    T::default()
                }
            })
            .collect();
        Column {
            name,
            values: values(present),
            nullable: true,
            validity: (null_count > 0).then_some(bits),
            null_count,
        }
    }

    /// The column name.
    fn name(&self) -> Cow<'static, str> {
        self.name.to_string_lossy()
    }

    /// Whether item `i` is null.
    fn is_null(&self, i: usize) -> bool {
        self.validity
            .as_ref()
            .is_some_and(|bits| bits[i / 8] & (1 << (i % 8)) == 0)
    }

    /// Item `i` as a Python object, None when null.
    fn cell<'py>(&self, py: Python<'py>, i: usize) -> PyResult<Bound<'py, PyAny>> {
        if self.is_null(i) {
            Ok(py.None().into_bound(py))
        } else {
            self.values.cell(py, i)
        }
    }

    /// Item `i` as text, "None" when null.
    fn text(&self, i: usize) -> PyResult<String> {
        if self.is_null(i) {
            Ok("None".to_string())
        } else {
            self.values.text(i)
        }
    }

    /// The column as a Python list.
    fn to_list<'py>(&self, py: Python<'py>, rows: usize) -> PyResult<Bound<'py, PyList>> {
        let cells = (0..rows)
            .map(|i| self.cell(py, i))
            .collect::<PyResult<Vec<_>>>()?;
        PyList::new(py, cells)
    }
}

/// Aligned columns: the data an exported Arrow array shares.
pub struct Columns {
    pub rows: usize,
    pub columns: Vec<Column>,
}

/// A scalar that comes with some tables (a ranking's `iterations`, a page's `total`).
#[derive(Clone, Copy)]
pub enum Scalar {
    Int(u64),
    Float(f64),
}

impl From<u64> for Scalar {
    fn from(value: u64) -> Self {
        Scalar::Int(value)
    }
}

impl From<u32> for Scalar {
    fn from(value: u32) -> Self {
        Scalar::Int(value.into())
    }
}

impl From<f64> for Scalar {
    fn from(value: f64) -> Self {
        Scalar::Float(value)
    }
}

impl Scalar {
    fn to_py<'py>(self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        match self {
            Scalar::Int(v) => v.into_bound_py_any(py),
            Scalar::Float(v) => v.into_bound_py_any(py),
        }
    }

    fn text(self) -> String {
        match self {
            Scalar::Int(v) => v.to_string(),
            Scalar::Float(v) => format!("{v:?}"),
        }
    }
}

/// A table-shaped result: named columns, one row per item, in the order the engine returns
/// them.
///
/// It converts without a Python object per row through the Arrow PyCapsule interface:
/// `pyarrow.table(t)`, `polars.DataFrame(t)`, `pandas.DataFrame.from_arrow(t)` (pandas 3)
/// and DuckDB (`duckdb.sql("select * from t")`) read it directly; `to_arrow()`,
/// `to_pandas()` and `to_polars()` do so for you. Strings are Arrow `string`, times
/// `timestamp[us, tz=UTC]`; a column is nullable where the engine's field is optional.
///
/// `len(t)` is the number of rows, `t.columns` the column names, `t["name"]` a column as a
/// list, and `t.to_dict()` every column as a list in a dict. Some results carry scalars as
/// well (`total` of a segment page, `iterations` of a ranking, `count` and `modularity` of
/// communities): `t["total"]` gives one, and `to_dict()` includes them. A table never
/// changes and may be shared between threads. `Table[ScoreTable]` (`generic`) names, in
/// annotations, the table whose to_dict() has that TypedDict's shape.
#[pyclass(frozen, generic, module = "scrm", name = "Table")]
pub struct Table {
    columns: Arc<Columns>,
    scalars: Vec<(&'static str, Scalar)>,
}

impl Table {
    /// A table of these columns (all of the same length).
    pub fn new(columns: Vec<Column>) -> Self {
        let rows = columns.first().map_or(0, |c| c.values.len());
        debug_assert!(columns.iter().all(|c| c.values.len() == rows));
        Table {
            columns: Arc::new(Columns { rows, columns }),
            scalars: Vec::new(),
        }
    }

    /// The table with a scalar added.
    pub fn with(mut self, name: &'static str, value: impl Into<Scalar>) -> Self {
        self.scalars.push((name, value.into()));
        self
    }

    /// The rows shown in the reprs, as text cells.
    fn head(&self, rows: usize) -> PyResult<Vec<Vec<String>>> {
        (0..rows.min(self.columns.rows))
            .map(|i| self.columns.columns.iter().map(|c| c.text(i)).collect())
            .collect()
    }

    /// The scalars as `name=value` text.
    fn scalar_text(&self) -> Vec<String> {
        self.scalars
            .iter()
            .map(|(name, value)| format!("{name}={}", value.text()))
            .collect()
    }
}

/// Imports `module` for `Table.method()`, with an ImportError saying how to install it.
fn import<'py>(py: Python<'py>, module: &str, method: &str) -> PyResult<Bound<'py, PyModule>> {
    py.import(module).map_err(|e| {
        if e.is_instance_of::<PyImportError>(py) {
            let error = PyImportError::new_err(format!(
                "Table.{method}() needs {module}: pip install {module}"
            ));
            error.set_cause(py, Some(e));
            error
        } else {
            e
        }
    })
}

/// Escapes text for HTML.
pub(crate) fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[pymethods]
impl Table {
    /// Number of rows.
    fn __len__(&self) -> usize {
        self.columns.rows
    }

    /// The column names, in order.
    #[getter]
    fn columns(&self) -> Vec<Cow<'static, str>> {
        self.columns.columns.iter().map(Column::name).collect()
    }

    /// A column as a list (None for nulls, times as UTC datetimes), or a scalar, by name.
    /// Raises KeyError for any other name.
    fn __getitem__<'py>(&self, py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyAny>> {
        if let Some(column) = self.columns.columns.iter().find(|c| c.name() == name) {
            return Ok(column.to_list(py, self.columns.rows)?.into_any());
        }
        match self.scalars.iter().find(|(n, _)| *n == name) {
            Some((_, value)) => value.to_py(py),
            None => Err(PyKeyError::new_err(name.to_string())),
        }
    }

    /// Every column as a list, and the scalars, in a dict: the shape these results had before
    /// they were tables.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let dict = PyDict::new(py);
        for column in &self.columns.columns {
            dict.set_item(column.name(), column.to_list(py, self.columns.rows)?)?;
        }
        for (name, value) in &self.scalars {
            dict.set_item(name, value.to_py(py)?)?;
        }
        Ok(dict)
    }

    /// The table as a `pyarrow.Table` (zero-copy). Needs pyarrow.
    fn to_arrow<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        import(slf.py(), "pyarrow", "to_arrow")?.call_method1("table", (slf,))
    }

    /// The table as a `pandas.DataFrame`, through pyarrow's conversion (times become
    /// `datetime64[us, UTC]`, nullable integers float64 with NaN). Needs pandas and pyarrow.
    fn to_pandas<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        import(slf.py(), "pandas", "to_pandas")?;
        import(slf.py(), "pyarrow", "to_pandas")?
            .call_method1("table", (slf,))?
            .call_method0("to_pandas")
    }

    /// The table as a `polars.DataFrame` (zero-copy). Needs polars.
    fn to_polars<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        import(slf.py(), "polars", "to_polars")?.call_method1("DataFrame", (slf,))
    }

    /// Arrow PyCapsule interface: the schema (a struct of the columns) in an "arrow_schema"
    /// capsule.
    fn __arrow_c_schema__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyCapsule>> {
        PyCapsule::new_with_value(py, arrow::schema(&self.columns), c"arrow_schema")
    }

    /// Arrow PyCapsule interface: the schema and the table as one struct array, in
    /// "arrow_schema" and "arrow_array" capsules. `requested_schema` is ignored, as the spec
    /// allows: the table has one layout.
    #[pyo3(signature = (requested_schema=None))]
    fn __arrow_c_array__<'py>(
        &self,
        py: Python<'py>,
        requested_schema: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<(Bound<'py, PyCapsule>, Bound<'py, PyCapsule>)> {
        let _ = requested_schema;
        Ok((
            self.__arrow_c_schema__(py)?,
            PyCapsule::new_with_value(py, arrow::array(&self.columns), c"arrow_array")?,
        ))
    }

    /// Arrow PyCapsule interface: a stream of one record batch in an "arrow_array_stream"
    /// capsule. `requested_schema` is ignored, as the spec allows.
    #[pyo3(signature = (requested_schema=None))]
    fn __arrow_c_stream__<'py>(
        &self,
        py: Python<'py>,
        requested_schema: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyCapsule>> {
        let _ = requested_schema;
        let stream = arrow::stream(Arc::clone(&self.columns));
        PyCapsule::new_with_value(py, stream, c"arrow_array_stream")
    }

    /// How many exported Arrow structs (streams, and arrays with each of their children,
    /// whether still in a capsule or held by a consumer) share this table's buffers: 0 once
    /// all are released. For leak checks.
    #[getter(_exports)]
    fn exports(&self) -> usize {
        Arc::strong_count(&self.columns) - 1
    }

    fn __repr__(&self) -> String {
        let columns: Vec<String> = self
            .columns
            .columns
            .iter()
            .map(|c| format!("{}: {}", c.name(), c.values.type_name()))
            .collect();
        let mut text = format!(
            "<scrm.Table {} rows; {}",
            self.columns.rows,
            columns.join(", ")
        );
        for scalar in self.scalar_text() {
            text.push_str("; ");
            text.push_str(&scalar);
        }
        text.push('>');
        text
    }

    /// The first rows as an HTML table, for notebooks.
    fn _repr_html_(&self) -> PyResult<String> {
        let cell = |tag: &str, text: &str| format!("<{tag}>{}</{tag}>", html_escape(text));
        let mut html = String::from("<table><thead><tr>");
        for column in &self.columns.columns {
            html.push_str(&cell("th", &column.name()));
        }
        html.push_str("</tr></thead><tbody>");
        for row in self.head(HTML_ROWS)? {
            html.push_str("<tr>");
            for text in row {
                html.push_str(&cell("td", &text));
            }
            html.push_str("</tr>");
        }
        html.push_str("</tbody></table>");
        let mut caption = vec![format!(
            "{} rows × {} columns",
            self.columns.rows,
            self.columns.columns.len()
        )];
        caption.extend(self.scalar_text());
        html.push_str(&cell("p", &caption.join("; ")));
        Ok(html)
    }
}
