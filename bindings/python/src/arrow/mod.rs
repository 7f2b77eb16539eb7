//! The Arrow C data interface (<https://arrow.apache.org/docs/format/CDataInterface.html>) and
//! C stream interface, written out by hand: the three `#[repr(C)]` structs, shared by the
//! export of result tables ([`export`]) and the import of other libraries' tables ([`import`]).
//!
//! Ownership follows the spec: whoever holds a struct calls its `release` callback once (a
//! consumer that moves the struct out leaves `release` null behind). Every struct here also
//! releases itself on drop when still live, so a capsule that nobody consumed frees its
//! contents when it is destroyed, an imported stream or batch is released when its reader is
//! dropped, and a parent's release frees the children the consumer did not move out.

use std::ffi::{c_char, c_int, c_void};
use std::ptr;

pub mod export;
pub mod import;

pub use export::{array, schema, stream};

/// `struct ArrowSchema`: a data type, with its name and children.
#[repr(C)]
pub struct ArrowSchema {
    pub format: *const c_char,
    pub name: *const c_char,
    pub metadata: *const c_char,
    pub flags: i64,
    pub n_children: i64,
    pub children: *mut *mut ArrowSchema,
    pub dictionary: *mut ArrowSchema,
    pub release: Option<unsafe extern "C" fn(*mut ArrowSchema)>,
    pub private_data: *mut c_void,
}

/// `struct ArrowArray`: the buffers of one array, with its children.
#[repr(C)]
pub struct ArrowArray {
    pub length: i64,
    pub null_count: i64,
    pub offset: i64,
    pub n_buffers: i64,
    pub n_children: i64,
    pub buffers: *mut *const c_void,
    pub children: *mut *mut ArrowArray,
    pub dictionary: *mut ArrowArray,
    pub release: Option<unsafe extern "C" fn(*mut ArrowArray)>,
    pub private_data: *mut c_void,
}

/// `struct ArrowArrayStream`: a schema, then arrays until a released one marks the end.
#[repr(C)]
pub struct ArrowArrayStream {
    pub get_schema: Option<unsafe extern "C" fn(*mut ArrowArrayStream, *mut ArrowSchema) -> c_int>,
    pub get_next: Option<unsafe extern "C" fn(*mut ArrowArrayStream, *mut ArrowArray) -> c_int>,
    pub get_last_error: Option<unsafe extern "C" fn(*mut ArrowArrayStream) -> *const c_char>,
    pub release: Option<unsafe extern "C" fn(*mut ArrowArrayStream)>,
    pub private_data: *mut c_void,
}

// SAFETY: the spec lets any thread call `release`, and what the exported structs point to is
// either static (formats, names), owned by their private data (boxes) or shared immutable
// columns behind an `Arc`, so moving a struct to another thread is sound. Capsules need
// `Send`; imported structs stay on the thread that read them.
unsafe impl Send for ArrowSchema {}
// SAFETY: as for ArrowSchema.
unsafe impl Send for ArrowArray {}
// SAFETY: as for ArrowSchema; a stream is used by one thread at a time (its owner's).
unsafe impl Send for ArrowArrayStream {}

impl Drop for ArrowSchema {
    fn drop(&mut self) {
        if let Some(release) = self.release {
            // SAFETY: a live struct, exported by `schema_node` or imported from a producer;
            // release runs once, as it nulls `release`.
            unsafe { release(self) }
        }
    }
}

impl Drop for ArrowArray {
    fn drop(&mut self) {
        if let Some(release) = self.release {
            // SAFETY: a live struct (exported or imported); release runs once.
            unsafe { release(self) }
        }
    }
}

impl Drop for ArrowArrayStream {
    fn drop(&mut self) {
        if let Some(release) = self.release {
            // SAFETY: a live struct (exported or imported); release runs once.
            unsafe { release(self) }
        }
    }
}

impl ArrowSchema {
    /// A released schema: space for a producer to write into.
    pub fn released() -> Self {
        ArrowSchema {
            format: ptr::null(),
            name: ptr::null(),
            metadata: ptr::null(),
            flags: 0,
            n_children: 0,
            children: ptr::null_mut(),
            dictionary: ptr::null_mut(),
            release: None,
            private_data: ptr::null_mut(),
        }
    }
}

impl ArrowArray {
    /// A released array: a stream's end-of-data marker, or space for a producer to write into.
    pub fn released() -> Self {
        ArrowArray {
            length: 0,
            null_count: 0,
            offset: 0,
            n_buffers: 0,
            n_children: 0,
            buffers: ptr::null_mut(),
            children: ptr::null_mut(),
            dictionary: ptr::null_mut(),
            release: None,
            private_data: ptr::null_mut(),
        }
    }
}
