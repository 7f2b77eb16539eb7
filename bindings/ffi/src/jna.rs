//! One C function for the patched Kotlin (`patch_kotlin.py`): the buffers that string and
//! record arguments are lowered into are allocated into a caller's block of memory, instead
//! of being returned by value, which JNA turns into a new Structure read back field by
//! field through reflection on every call.

use uniffi::{RustBuffer, RustCallStatus};

/// Allocates a zeroed buffer of `size` bytes owned by Rust, as uniffi's
/// `ffi_scrm_ffi_rustbuffer_alloc` does, and writes it (capacity, length, data pointer) to
/// `out`. A failure is reported in `status` like any call's, and leaves `out` an empty
/// buffer.
///
/// # Safety
/// `out` is null (the buffer is freed at once) or points to 24 writable bytes; `status` to a call
/// status, as for every scaffolding function.
#[no_mangle]
pub unsafe extern "C" fn scrm_ffi_rustbuffer_alloc_into(
    size: u64,
    out: *mut RustBuffer,
    status: &mut RustCallStatus,
) {
    let buffer = uniffi::uniffi_rustbuffer_alloc(size, status);
    if out.is_null() {
        buffer.destroy();
    } else {
        // SAFETY: per the contract, `out` has room for a buffer; it may be unaligned.
        unsafe { out.write_unaligned(buffer) };
    }
}
