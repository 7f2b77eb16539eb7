//! Export of result tables: a [`Columns`] set as one struct array (a record batch) without
//! copying its buffers. Exported arrays keep the columns alive through an `Arc`; the columns
//! never change after they are built, so any thread may read or release them. The callbacks
//! cannot panic: they only move boxes and copy pointers.

use std::ffi::{c_char, c_int, c_void, CStr};
use std::ptr;
use std::sync::Arc;

use super::{ArrowArray, ArrowArrayStream, ArrowSchema};
use crate::table::{Columns, Offsets, Values};

/// `ARROW_FLAG_NULLABLE`: the field may hold nulls.
const NULLABLE: i64 = 2;
/// `EINVAL`, returned by the stream callbacks for a null argument.
const EINVAL: c_int = 22;

/// What an exported schema owns: its children.
struct SchemaPrivate {
    children: Box<[*mut ArrowSchema]>,
}

/// What an exported array owns: the buffer pointer list, its children and a share of the
/// columns the buffers belong to.
struct ArrayPrivate {
    _columns: Arc<Columns>,
    buffers: Box<[*const c_void]>,
    children: Box<[*mut ArrowArray]>,
}

/// What an exported stream owns: the columns and whether their batch was handed out.
struct StreamPrivate {
    columns: Arc<Columns>,
    sent: bool,
}

/// Boxes each child and leaks it: the parent's release frees them with [`free_children`].
fn boxed<T>(children: Vec<T>) -> Box<[*mut T]> {
    children
        .into_iter()
        .map(|c| Box::into_raw(Box::new(c)))
        .collect()
}

/// `children` field value: the pointer list, or null when there are none.
fn list_ptr<T>(list: &mut [T]) -> *mut T {
    if list.is_empty() {
        ptr::null_mut()
    } else {
        list.as_mut_ptr()
    }
}

/// Frees the children of a parent struct: each one still live is released by its drop.
///
/// # Safety
/// Every pointer came from [`boxed`] and is freed here only.
unsafe fn free_children<T>(children: &[*mut T]) {
    for &child in children {
        // SAFETY: per this function's contract, `child` is a leaked box owned by the parent.
        drop(unsafe { Box::from_raw(child) });
    }
}

fn schema_node(
    format: &'static CStr,
    name: &'static CStr,
    flags: i64,
    children: Vec<ArrowSchema>,
) -> ArrowSchema {
    let mut private = Box::new(SchemaPrivate {
        children: boxed(children),
    });
    ArrowSchema {
        format: format.as_ptr(),
        name: name.as_ptr(),
        metadata: ptr::null(),
        flags,
        n_children: private.children.len() as i64,
        children: list_ptr(&mut private.children),
        dictionary: ptr::null_mut(),
        release: Some(release_schema),
        private_data: Box::into_raw(private).cast(),
    }
}

unsafe extern "C" fn release_schema(schema: *mut ArrowSchema) {
    // SAFETY: the producer (this module) or a consumer calls this with a pointer to a live
    // struct made by `schema_node`, whose private data is a leaked `SchemaPrivate`.
    let Some(schema) = (unsafe { schema.as_mut() }) else {
        return;
    };
    // SAFETY: as above; the private data is taken back once, as `release` is nulled below.
    let private = unsafe { Box::from_raw(schema.private_data.cast::<SchemaPrivate>()) };
    // SAFETY: the children are the boxes `schema_node` leaked into the private data.
    unsafe { free_children(&private.children) };
    schema.release = None;
}

fn array_node(
    columns: &Arc<Columns>,
    length: usize,
    null_count: usize,
    buffers: Vec<*const c_void>,
    children: Vec<ArrowArray>,
) -> ArrowArray {
    let mut private = Box::new(ArrayPrivate {
        _columns: Arc::clone(columns),
        buffers: buffers.into_boxed_slice(),
        children: boxed(children),
    });
    ArrowArray {
        length: length as i64,
        null_count: null_count as i64,
        offset: 0,
        n_buffers: private.buffers.len() as i64,
        n_children: private.children.len() as i64,
        buffers: private.buffers.as_mut_ptr(),
        children: list_ptr(&mut private.children),
        dictionary: ptr::null_mut(),
        release: Some(release_array),
        private_data: Box::into_raw(private).cast(),
    }
}

unsafe extern "C" fn release_array(array: *mut ArrowArray) {
    // SAFETY: called with a pointer to a live struct made by `array_node`, whose private data
    // is a leaked `ArrayPrivate`.
    let Some(array) = (unsafe { array.as_mut() }) else {
        return;
    };
    // SAFETY: as above; taken back once, as `release` is nulled below.
    let private = unsafe { Box::from_raw(array.private_data.cast::<ArrayPrivate>()) };
    // SAFETY: the children are the boxes `array_node` leaked into the private data.
    unsafe { free_children(&private.children) };
    array.release = None;
}

/// The format string of a column's type.
fn format(values: &Values) -> &'static CStr {
    match values {
        Values::Utf8 {
            offsets: Offsets::Small(_),
            ..
        } => c"u",
        Values::Utf8 {
            offsets: Offsets::Large(_),
            ..
        } => c"U",
        Values::Float64(_) => c"g",
        Values::Int64(_) => c"l",
        Values::UInt64(_) => c"L",
        Values::UInt32(_) => c"I",
        Values::UInt8(_) => c"C",
        Values::Timestamp(_) => c"tsu:UTC",
    }
}

/// The schema of the columns: a struct with one child field per column.
pub fn schema(columns: &Columns) -> ArrowSchema {
    let fields = columns
        .columns
        .iter()
        .map(|c| {
            let flags = if c.nullable { NULLABLE } else { 0 };
            schema_node(format(&c.values), c.name, flags, Vec::new())
        })
        .collect();
    schema_node(c"+s", c"", 0, fields)
}

/// The columns as one struct array, their buffers shared, not copied.
pub fn array(columns: &Arc<Columns>) -> ArrowArray {
    let children = columns
        .columns
        .iter()
        .map(|c| {
            let validity = c
                .validity
                .as_ref()
                .map_or(ptr::null(), |v| v.as_ptr().cast());
            let data: Vec<*const c_void> = match &c.values {
                Values::Utf8 { offsets, bytes } => {
                    let offsets = match offsets {
                        Offsets::Small(o) => o.as_ptr().cast(),
                        Offsets::Large(o) => o.as_ptr().cast(),
                    };
                    vec![validity, offsets, bytes.as_ptr().cast()]
                }
                Values::Float64(v) => vec![validity, v.as_ptr().cast()],
                Values::Int64(v) | Values::Timestamp(v) => vec![validity, v.as_ptr().cast()],
                Values::UInt64(v) => vec![validity, v.as_ptr().cast()],
                Values::UInt32(v) => vec![validity, v.as_ptr().cast()],
                Values::UInt8(v) => vec![validity, v.as_ptr().cast()],
            };
            array_node(columns, columns.rows, c.null_count, data, Vec::new())
        })
        .collect();
    array_node(columns, columns.rows, 0, vec![ptr::null()], children)
}

/// A stream of the columns: their schema, then one struct array, then the end.
pub fn stream(columns: Arc<Columns>) -> ArrowArrayStream {
    let private = Box::new(StreamPrivate {
        columns,
        sent: false,
    });
    ArrowArrayStream {
        get_schema: Some(stream_schema),
        get_next: Some(stream_next),
        get_last_error: Some(stream_error),
        release: Some(release_stream),
        private_data: Box::into_raw(private).cast(),
    }
}

/// The stream's private data, or None for a null or released stream.
///
/// # Safety
/// `stream` is null or points to a struct made by [`stream`].
unsafe fn stream_private<'a>(stream: *mut ArrowArrayStream) -> Option<&'a mut StreamPrivate> {
    // SAFETY: per this function's contract.
    let stream = unsafe { stream.as_mut() }?;
    stream.release?;
    // SAFETY: a live stream's private data is its leaked `StreamPrivate`, used by one thread
    // at a time (the stream's owner).
    unsafe { stream.private_data.cast::<StreamPrivate>().as_mut() }
}

unsafe extern "C" fn stream_schema(stream: *mut ArrowArrayStream, out: *mut ArrowSchema) -> c_int {
    // SAFETY: consumers call this on a stream made by `stream`.
    match unsafe { stream_private(stream) } {
        Some(private) if !out.is_null() => {
            // SAFETY: `out` points to space for a schema the consumer owns; it may hold
            // garbage, so it is written without dropping the old value.
            unsafe { out.write(schema(&private.columns)) };
            0
        }
        _ => EINVAL,
    }
}

unsafe extern "C" fn stream_next(stream: *mut ArrowArrayStream, out: *mut ArrowArray) -> c_int {
    // SAFETY: consumers call this on a stream made by `stream`.
    match unsafe { stream_private(stream) } {
        Some(private) if !out.is_null() => {
            let next = if private.sent {
                ArrowArray::released()
            } else {
                private.sent = true;
                array(&private.columns)
            };
            // SAFETY: `out` points to space for an array the consumer owns, written without
            // dropping what it held before.
            unsafe { out.write(next) };
            0
        }
        _ => EINVAL,
    }
}

unsafe extern "C" fn stream_error(_stream: *mut ArrowArrayStream) -> *const c_char {
    ptr::null()
}

unsafe extern "C" fn release_stream(stream: *mut ArrowArrayStream) {
    // SAFETY: called with a pointer to a live struct made by `stream`.
    let Some(stream) = (unsafe { stream.as_mut() }) else {
        return;
    };
    // SAFETY: its private data is the leaked `StreamPrivate`, taken back once.
    drop(unsafe { Box::from_raw(stream.private_data.cast::<StreamPrivate>()) });
    stream.release = None;
}
