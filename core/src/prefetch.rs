//! A hint that brings memory into cache ahead of a random read: graph kernels read other
//! nodes' values in an order only the edge lists know, rebuilds follow each customer's
//! pointer to their events, and the CPU cannot look that far ahead on its own.

/// Asks the CPU to start loading `values[i]` into cache. Does nothing when `i` is out of
/// bounds, or on targets without a stable prefetch instruction.
#[inline(always)]
pub(crate) fn prefetch<T>(values: &[T], i: usize) {
    #[cfg(target_arch = "x86_64")]
    if let Some(value) = values.get(i) {
        use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        // SAFETY: a prefetch reads nothing into the program and never faults; the address is
        // that of a live element.
        unsafe { _mm_prefetch::<_MM_HINT_T0>(std::ptr::from_ref(value).cast()) }
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = (values, i);
}
