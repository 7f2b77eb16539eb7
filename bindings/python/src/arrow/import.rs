//! Import of other libraries' tables through the C stream interface (the
//! `__arrow_c_stream__` of pandas, polars, pyarrow and DuckDB): the stream is read to its end,
//! its record batches are kept as they came, and their columns are read in place, one cell at
//! a time, as the scalars the engine takes. No buffer is copied.
//!
//! The readable types are null, bool, the integers, float32/64, utf8, large utf8, utf8 view,
//! timestamps with a timezone, lists of strings and dictionaries of any of these (pandas and
//! polars categoricals). Any other type is reported, with its Arrow format, when a cell of its
//! column is read, so a column that is never read does no harm. The interface does not carry
//! buffer sizes, so producers are trusted to follow the spec; every count, offset and index
//! that can be checked is, and strings are checked to be UTF-8.

use std::ffi::{c_char, c_int, CStr};

use chrono::DateTime;
use scrm::Timestamp;

use super::{ArrowArray, ArrowArrayStream, ArrowSchema};

/// One cell of an imported column.
#[derive(Debug, PartialEq)]
pub enum Cell<'a> {
    /// A null (or a NaN float).
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(&'a str),
    /// A timestamp with a timezone, as the UTC instant.
    Time(Timestamp),
    /// A list of strings.
    List(Vec<&'a str>),
}

impl Cell<'_> {
    /// The cell's type, for error messages ("expected str, got int").
    pub fn type_name(&self) -> &'static str {
        match self {
            Cell::Null => "null",
            Cell::Bool(_) => "bool",
            Cell::Int(_) => "int",
            Cell::Float(_) => "float",
            Cell::Str(_) => "str",
            Cell::Time(_) => "timestamp",
            Cell::List(_) => "list",
        }
    }
}

/// A column's type, parsed from its format string.
#[derive(Clone, Debug)]
enum Type {
    Null,
    Bool,
    Int {
        width: usize,
        signed: bool,
    },
    Float {
        width: usize,
    },
    Utf8 {
        large: bool,
    },
    Utf8View,
    /// `per_second`: ticks per second of the unit; `zoned`: whether a timezone is given.
    Timestamp {
        per_second: i64,
        zoned: bool,
    },
    List {
        large: bool,
        item: Box<Type>,
    },
    Dictionary {
        index: Box<Type>,
        values: Box<Type>,
    },
    /// Any other type, by its format string.
    Other(String),
}

impl Type {
    /// The type a schema node describes.
    ///
    /// # Safety
    /// `schema` is a live schema from a producer.
    unsafe fn of(schema: &ArrowSchema) -> Type {
        // SAFETY: a live schema's format is a valid C string.
        let format = unsafe { text(schema.format) }.unwrap_or_default();
        let own = match format.as_str() {
            "n" => Type::Null,
            "b" => Type::Bool,
            "c" | "s" | "i" | "l" | "C" | "S" | "I" | "L" => Type::Int {
                width: match &format[..] {
                    "c" | "C" => 1,
                    "s" | "S" => 2,
                    "i" | "I" => 4,
                    _ => 8,
                },
                signed: format.chars().all(|c| c.is_ascii_lowercase()),
            },
            "f" => Type::Float { width: 4 },
            "g" => Type::Float { width: 8 },
            "u" => Type::Utf8 { large: false },
            "U" => Type::Utf8 { large: true },
            "vu" => Type::Utf8View,
            "+l" | "+L" if schema.n_children == 1 => Type::List {
                large: format == "+L",
                // SAFETY: a live schema has `n_children` live children.
                item: Box::new(unsafe { Type::of(&**schema.children) }),
            },
            _ => match format.strip_prefix("ts").and_then(|f| f.split_once(':')) {
                Some((unit, zone)) if ["s", "m", "u", "n"].contains(&unit) => Type::Timestamp {
                    per_second: match unit {
                        "s" => 1,
                        "m" => 1_000,
                        "u" => 1_000_000,
                        _ => 1_000_000_000,
                    },
                    zoned: !zone.is_empty(),
                },
                _ => Type::Other(format),
            },
        };
        // SAFETY: a live schema's dictionary is null or a live schema.
        match unsafe { schema.dictionary.as_ref() } {
            Some(values) => Type::Dictionary {
                index: Box::new(own),
                // SAFETY: as above.
                values: Box::new(unsafe { Type::of(values) }),
            },
            None => own,
        }
    }

    /// How many buffers an array of this type has (at least, for views).
    fn buffers(&self) -> usize {
        match self {
            Type::Null | Type::Other(_) => 0,
            Type::Utf8 { .. } | Type::Utf8View => 3,
            _ => 2,
        }
    }
}

/// A string from a producer, or None for a null pointer.
///
/// # Safety
/// `ptr` is null or a valid C string.
unsafe fn text(ptr: *const c_char) -> Option<String> {
    // SAFETY: per this function's contract.
    (!ptr.is_null()).then(|| {
        unsafe { CStr::from_ptr(ptr) }
            .to_string_lossy()
            .into_owned()
    })
}

/// A column of one batch, read in place.
struct Column {
    ty: Type,
    len: usize,
    offset: usize,
    validity: *const u8,
    buffers: Vec<*const u8>,
    children: Vec<Column>,
    dictionary: Option<Box<Column>>,
}

impl Column {
    /// The column `array` holds.
    ///
    /// # Safety
    /// `array` is a live array from a producer, of type `ty`; the column is used only while
    /// the array (or its parent) is.
    unsafe fn new(array: &ArrowArray, ty: &Type) -> Result<Column, String> {
        let (len, offset) = (size(array.length)?, size(array.offset)?);
        let n_buffers = size(array.n_buffers)?;
        if n_buffers < ty.buffers() || (ty.buffers() == 2 && n_buffers != 2) {
            return Err(format!("{n_buffers} buffers for a column of type {ty:?}"));
        }
        let buffers: Vec<*const u8> = (0..n_buffers)
            // SAFETY: a live array has `n_buffers` buffer pointers.
            .map(|i| unsafe { *array.buffers.add(i) }.cast())
            .collect();
        if len > 0 && buffers.iter().skip(1).any(|b| b.is_null()) {
            return Err("a null data buffer".into());
        }
        let children = match ty {
            Type::List { item, .. } if array.n_children == 1 => {
                // SAFETY: a live array has `n_children` live children.
                vec![unsafe { Column::new(&**array.children, item)? }]
            }
            Type::List { .. } => return Err("a list without its item column".into()),
            _ => Vec::new(),
        };
        let dictionary = match ty {
            // SAFETY: a dictionary-encoded array's dictionary is a live array.
            Type::Dictionary { values, .. } => match unsafe { array.dictionary.as_ref() } {
                // SAFETY: as above.
                Some(dict) => Some(Box::new(unsafe { Column::new(dict, values)? })),
                None => return Err("a dictionary column without its dictionary".into()),
            },
            _ => None,
        };
        Ok(Column {
            ty: ty.clone(),
            len,
            offset,
            validity: buffers.first().copied().unwrap_or(std::ptr::null()),
            buffers,
            children,
            dictionary,
        })
    }

    /// The `rows` rows from `skip` on (a struct parent's offset and length apply to its
    /// children).
    fn narrow(mut self, skip: usize, rows: usize) -> Result<Column, String> {
        if self.len < skip + rows {
            return Err(format!(
                "{} rows, short of its batch's {}",
                self.len,
                skip + rows
            ));
        }
        self.offset += skip;
        self.len = rows;
        Ok(self)
    }

    /// Item `j` (offset included) of buffer `b` as a `T`.
    fn value<T: Copy>(&self, b: usize, j: usize) -> T {
        // SAFETY: `b` is a data buffer of the column's layout (checked non-null in `new`)
        // holding at least `offset + len` (+1 for offsets) items of `T`, and `j` is below.
        unsafe { self.buffers[b].cast::<T>().add(j).read_unaligned() }
    }

    /// Bit `j` of a bitmap.
    fn bit(bitmap: *const u8, j: usize) -> bool {
        // SAFETY: bitmaps hold at least `offset + len` bits and `j` is below.
        unsafe { *bitmap.add(j / 8) & (1 << (j % 8)) != 0 }
    }

    /// Cell `i` (0-based, before the offset).
    fn cell(&self, i: usize) -> Result<Cell<'_>, String> {
        if i >= self.len {
            return Err(format!("row {i} of a column of {} rows", self.len));
        }
        let j = self.offset + i;
        if matches!(self.ty, Type::Null)
            || (!self.validity.is_null() && !Self::bit(self.validity, j))
        {
            return Ok(Cell::Null);
        }
        Ok(match &self.ty {
            Type::Null => Cell::Null,
            Type::Bool => Cell::Bool(Self::bit(self.buffers[1], j)),
            Type::Int { .. } => Cell::Int(self.int(j)?),
            Type::Float { width } => {
                let x = if *width == 4 {
                    f64::from(self.value::<f32>(1, j))
                } else {
                    self.value::<f64>(1, j)
                };
                if x.is_nan() {
                    Cell::Null
                } else {
                    Cell::Float(x)
                }
            }
            Type::Utf8 { large } => Cell::Str(self.string(*large, j)?),
            Type::Utf8View => Cell::Str(self.view(j)?),
            Type::Timestamp { per_second, zoned } => {
                if !zoned {
                    return Err(
                        "timestamps without a timezone: give the column one (pandas: \
                                .dt.tz_localize(\"UTC\"); polars: .dt.replace_time_zone(\"UTC\"))"
                            .into(),
                    );
                }
                Cell::Time(time(self.value::<i64>(1, j), *per_second)?)
            }
            Type::List { large, .. } => {
                let (start, end) = self.range(*large, j)?;
                let item = &self.children[0];
                let items = (start..end)
                    .map(|k| match item.cell(k)? {
                        Cell::Str(s) => Ok(s),
                        other => Err(format!("list items must be str, got {}", other.type_name())),
                    })
                    .collect::<Result<_, String>>()?;
                Cell::List(items)
            }
            Type::Dictionary { .. } => {
                let dictionary = self.dictionary.as_deref().ok_or("no dictionary")?;
                let index = usize::try_from(self.int(j)?)
                    .map_err(|_| "a negative dictionary index".to_string())?;
                dictionary.cell(index)?
            }
            Type::Other(format) => {
                return Err(format!(
                    "Arrow type {format:?} is not supported; use str, int, float, bool, \
                     timestamp (with a timezone) or list-of-str columns"
                ))
            }
        })
    }

    /// An integer cell (or dictionary index) as `i64`.
    fn int(&self, j: usize) -> Result<i64, String> {
        let ty = match &self.ty {
            Type::Dictionary { index, .. } => index,
            ty => ty,
        };
        let &Type::Int { width, signed } = ty else {
            return Err(format!("a dictionary index of type {ty:?}"));
        };
        Ok(match (width, signed) {
            (1, true) => self.value::<i8>(1, j).into(),
            (2, true) => self.value::<i16>(1, j).into(),
            (4, true) => self.value::<i32>(1, j).into(),
            (8, true) => self.value::<i64>(1, j),
            (1, false) => self.value::<u8>(1, j).into(),
            (2, false) => self.value::<u16>(1, j).into(),
            (4, false) => self.value::<u32>(1, j).into(),
            _ => {
                let x = self.value::<u64>(1, j);
                i64::try_from(x).map_err(|_| format!("{x} is outside the 64-bit signed range"))?
            }
        })
    }

    /// The item range `[start, end)` of entry `j` of an offsets buffer (buffer 1).
    fn range(&self, large: bool, j: usize) -> Result<(usize, usize), String> {
        let (start, end) = if large {
            (self.value::<i64>(1, j), self.value::<i64>(1, j + 1))
        } else {
            (
                self.value::<i32>(1, j).into(),
                self.value::<i32>(1, j + 1).into(),
            )
        };
        match (usize::try_from(start), usize::try_from(end)) {
            (Ok(s), Ok(e)) if s <= e => Ok((s, e)),
            _ => Err(format!("bad offsets {start}..{end}")),
        }
    }

    /// A utf8 or large utf8 cell.
    fn string(&self, large: bool, j: usize) -> Result<&str, String> {
        let (start, end) = self.range(large, j)?;
        // SAFETY: the data buffer holds the bytes the offsets point to.
        let bytes = unsafe { std::slice::from_raw_parts(self.buffers[2].add(start), end - start) };
        utf8(bytes)
    }

    /// A utf8 view cell: up to 12 bytes inline, longer ones in a data buffer.
    fn view(&self, j: usize) -> Result<&str, String> {
        // SAFETY: the views buffer holds 16 bytes per item.
        let view = unsafe { self.buffers[1].add(16 * j) };
        let word = |at: usize| {
            // SAFETY: `at` is one of the view's four 4-byte words.
            unsafe { view.add(at).cast::<i32>().read_unaligned() }
        };
        let len = usize::try_from(word(0)).map_err(|_| "a negative string length".to_string())?;
        let bytes = if len <= 12 {
            // SAFETY: short strings sit inline, after the length.
            unsafe { std::slice::from_raw_parts(view.add(4), len) }
        } else {
            let data = &self.buffers[2..self.buffers.len() - 1];
            let buffer = usize::try_from(word(8))
                .ok()
                .and_then(|b| data.get(b))
                .ok_or_else(|| {
                    format!("a string view into buffer {} of {}", word(8), data.len())
                })?;
            let start = usize::try_from(word(12)).map_err(|_| "a negative view offset")?;
            // SAFETY: the data buffer holds the bytes the view points to.
            unsafe { std::slice::from_raw_parts(buffer.add(start), len) }
        };
        utf8(bytes)
    }
}

/// Bytes as UTF-8 text.
fn utf8(bytes: &[u8]) -> Result<&str, String> {
    std::str::from_utf8(bytes).map_err(|e| format!("a string that is not UTF-8 ({e})"))
}

/// A timestamp of `ticks` at `per_second` ticks per second since the epoch.
fn time(ticks: i64, per_second: i64) -> Result<Timestamp, String> {
    let nanos = i128::from(ticks) * i128::from(1_000_000_000 / per_second);
    let (secs, sub) = (
        nanos.div_euclid(1_000_000_000),
        nanos.rem_euclid(1_000_000_000),
    );
    i64::try_from(secs)
        .ok()
        .and_then(|s| DateTime::from_timestamp(s, sub as u32))
        .ok_or_else(|| format!("timestamp {ticks} is out of range"))
}

/// A count or offset from the interface, which must not be negative.
fn size(n: i64) -> Result<usize, String> {
    usize::try_from(n).map_err(|_| format!("a negative count {n}"))
}

/// One record batch: the struct array (kept alive: the columns point into it) and its
/// columns, in the order of [`ArrowTable::names`].
struct Batch {
    _array: ArrowArray,
    rows: usize,
    columns: Vec<Column>,
}

/// A table imported from an Arrow C stream.
pub struct ArrowTable {
    names: Vec<String>,
    batches: Vec<Batch>,
    /// The first row of each batch.
    starts: Vec<usize>,
    rows: usize,
}

impl ArrowTable {
    /// Reads a whole stream (taking it over: it is released when this returns). A pandas
    /// index stored as columns (named in the `pandas` schema metadata) is left out, as it is
    /// not one of the DataFrame's columns.
    pub fn read(mut stream: ArrowArrayStream) -> Result<ArrowTable, String> {
        let (Some(get_schema), Some(get_next), Some(_)) =
            (stream.get_schema, stream.get_next, stream.release)
        else {
            return Err("a released Arrow stream".into());
        };
        let mut schema = ArrowSchema::released();
        // SAFETY: a live stream; `schema` is space for the producer to write a schema into.
        let status = unsafe { get_schema(&mut stream, &mut schema) };
        check(&mut stream, status)?;
        // SAFETY: the producer wrote a live schema.
        let format = unsafe { text(schema.format) };
        if format.as_deref() != Some("+s") {
            return Err(format!(
                "a stream of {format:?}, not of record batches (\"+s\")"
            ));
        }
        // SAFETY: as above.
        let index = unsafe { pandas_index(schema.metadata) };
        let mut fields = Vec::new();
        for k in 0..size(schema.n_children)? {
            // SAFETY: a live schema has `n_children` live children.
            let child = unsafe { &**schema.children.add(k) };
            // SAFETY: as above.
            let name = unsafe { text(child.name) }.unwrap_or_default();
            if !index.contains(&name) {
                // SAFETY: as above.
                fields.push((k, name, unsafe { Type::of(child) }));
            }
        }
        let mut table = ArrowTable {
            names: fields.iter().map(|(_, name, _)| name.clone()).collect(),
            batches: Vec::new(),
            starts: Vec::new(),
            rows: 0,
        };
        loop {
            let mut array = ArrowArray::released();
            // SAFETY: a live stream; `array` is space for the next batch.
            let status = unsafe { get_next(&mut stream, &mut array) };
            check(&mut stream, status)?;
            if array.release.is_none() {
                return Ok(table);
            }
            let rows = size(array.length)?;
            let shift = size(array.offset)?;
            if size(array.n_children)? != size(schema.n_children)? {
                return Err("a batch whose columns do not match the schema".into());
            }
            let columns = fields
                .iter()
                .map(|(k, name, ty)| {
                    // SAFETY: a live struct array has `n_children` live children, of the
                    // schema's types; they live as long as `array`, which the batch keeps.
                    unsafe { Column::new(&**array.children.add(*k), ty) }
                        .and_then(|column| column.narrow(shift, rows))
                        .map_err(|e| format!("column {name:?}: {e}"))
                })
                .collect::<Result<_, String>>()?;
            table.starts.push(table.rows);
            table.rows += rows;
            table.batches.push(Batch {
                _array: array,
                rows,
                columns,
            });
        }
    }

    /// The column names, in order.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// Number of rows, over every batch.
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// The cell of `column` (a position in [`names`](Self::names)) in row `row`.
    pub fn cell(&self, column: usize, row: usize) -> Result<Cell<'_>, String> {
        let b = self.starts.partition_point(|&s| s <= row).saturating_sub(1);
        let batch = &self.batches[b];
        if row - self.starts[b] >= batch.rows {
            return Err(format!("row {row} of a table of {} rows", self.rows));
        }
        batch.columns[column].cell(row - self.starts[b])
    }
}

/// The producer's error message for a failed stream call.
fn check(stream: &mut ArrowArrayStream, status: c_int) -> Result<(), String> {
    if status == 0 {
        return Ok(());
    }
    let message = stream
        .get_last_error
        // SAFETY: a live stream; the message is a C string valid until the next call.
        .and_then(|last| unsafe { text(last(stream)) })
        .unwrap_or_else(|| "no message".into());
    Err(format!(
        "the Arrow stream failed (error {status}): {message}"
    ))
}

/// The names of the index columns in a `pandas` schema metadata entry (pyarrow's
/// `from_pandas` stores a non-default index as columns and names them there).
///
/// # Safety
/// `metadata` is null or the spec's metadata encoding: an `i32` count, then for each entry
/// an `i32` key length, the key, an `i32` value length and the value.
unsafe fn pandas_index(metadata: *const c_char) -> Vec<String> {
    if metadata.is_null() {
        return Vec::new();
    }
    let mut at = metadata.cast::<u8>();
    let mut next = |len: usize| {
        let here = at;
        // SAFETY: per the contract, the encoding holds the lengths it announces.
        at = unsafe { at.add(len) };
        here
    };
    // SAFETY: as above.
    let int = |p: *const u8| unsafe { p.cast::<i32>().read_unaligned() }.max(0) as usize;
    let count = int(next(4));
    for _ in 0..count {
        let key_len = int(next(4));
        // SAFETY: as above.
        let key = unsafe { std::slice::from_raw_parts(next(key_len), key_len) };
        let value_len = int(next(4));
        // SAFETY: as above.
        let value = unsafe { std::slice::from_raw_parts(next(value_len), value_len) };
        if key == b"pandas" {
            let meta: serde_json::Value = serde_json::from_slice(value).unwrap_or_default();
            return meta["index_columns"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|c| c.as_str().map(str::to_string))
                .collect();
        }
    }
    Vec::new()
}
