"""Patches the Kotlin that uniffi-bindgen generates, to work around JNA rather than uniffi.
Run by generate.sh on the one generated file; fails loudly (exit 1) when a uniffi bump
changes the parts it rewrites, so the patch is reviewed rather than silently lost.

Why: every native call of the generated code passes a `UniffiRustCallStatus`, a JNA
`Structure` holding a nested `RustBuffer` Structure, three calls per trivial method (handle
clone, string buffer, the call itself). A new Structure per call is native memory that JNA
tracks in a global map and frees only after the garbage collector found it and JNA's single
cleaner thread got to it (java-native-access/jna#1535, #1703); even a reused one is written
and read back field by field through reflection on every call. Here the status is instead
one 32-byte block of native memory per thread, passed as a plain `Pointer` (JNA's fast path,
no marshalling), its code reset before each call and read right after it on the same thread;
the error buffer is read out of it only when a call failed. The layout is the C one of
uniffi's `RustCallStatus`: the code byte at offset 0, then the `RustBuffer` (capacity, len,
data pointer: 8 bytes each) at offset 8.

The status is only written by the callee and read right after, on the calling thread;
nested calls (a string argument lowered inside the call's lambda) finish before the outer
native call starts, and a failed call's error buffer is lifted and freed before the next
call (ErrorsTest checks errors and successes interleaved on several threads).

Second, `RustBuffer.alloc` (every string and record argument is lowered through it) gets its
buffer from `scrm_ffi_rustbuffer_alloc_into` (src/jna.rs), which writes it into a per-thread
block of native memory instead of returning it by value: JNA makes a new Structure for every
by-value return and reads it back by reflection. The `RustBuffer.ByValue` it returns comes
from a per-thread ring of 16, reused in turn: a lowered buffer is passed to its native call
before the thread makes another call, and no call takes 16 buffer arguments.

Usage: python3 patch_kotlin.py path/to/scrm.kt
"""

import re
import sys

# The generated helpers, from the comment before uniffiRustCallWithError to the one before
# the null error handler: uniffiRustCallWithError and uniffiCheckCallStatus.
HELPERS = re.compile(
    r"// Call a rust function that returns a Result<>\..*?(?=/\*\*\n \* UniffiRustCallStatusErrorHandler implementation)",
    re.S,
)

PATCHED_HELPERS = """// Call a rust function that returns a Result<>.  Pass in the Error class companion that corresponds to the Err
// (patched by bindings/ffi/patch_kotlin.py: the status is this thread's block of native
// memory, passed as a Pointer).
private inline fun <U, E: kotlin.Exception> uniffiRustCallWithError(errorHandler: UniffiRustCallStatusErrorHandler<E>, callback: (Pointer) -> U): U {
    val status = uniffiThreadCallStatus.get()
    status.setByte(0, UNIFFI_CALL_SUCCESS)
    val return_value = callback(status)
    uniffiCheckCallStatus(errorHandler, status)
    return return_value
}

// Check the call status and throw an error if the call wasn't successful
private fun<E: kotlin.Exception> uniffiCheckCallStatus(errorHandler: UniffiRustCallStatusErrorHandler<E>, status: Pointer) {
    val code = status.getByte(0)
    if (code == UNIFFI_CALL_SUCCESS) {
        return
    }
    val errorBuf = RustBuffer.create(status.getLong(8).toULong(), status.getLong(16).toULong(), status.getPointer(24))
    if (code == UNIFFI_CALL_ERROR) {
        throw errorHandler.lift(errorBuf)
    } else if (code == UNIFFI_CALL_UNEXPECTED_ERROR) {
        // when the rust code sees a panic, it tries to construct a rustbuffer
        // with the message.  but if that code panics, then it just sends back
        // an empty buffer.
        if (errorBuf.len > 0) {
            throw InternalException(FfiConverterString.lift(errorBuf))
        } else {
            throw InternalException("Rust panic")
        }
    } else {
        throw InternalException("Unknown rust call status: $code")
    }
}

"""

CALL = "private inline fun <U> uniffiRustCall(callback: (UniffiRustCallStatus) -> U): U {"
PATCHED_CALL = "private inline fun <U> uniffiRustCall(callback: (Pointer) -> U): U {"

# The status parameter of every native declaration.
PARAMETER = "uniffi_out_err: UniffiRustCallStatus,"
PATCHED_PARAMETER = "uniffi_out_err: Pointer,"

# RustBuffer.alloc, which every string and record argument is lowered through: the buffer
# comes back by value, which JNA reads into a new Structure by reflection.
ALLOC = re.compile(
    r"        internal fun alloc\(size: ULong = 0UL\) = uniffiRustCall\(\) \{ status ->\n.*?\n           \}\n        \}\n",
    re.S,
)

PATCHED_ALLOC = """        // Patched by bindings/ffi/patch_kotlin.py: allocated into this thread's block of
        // native memory (scrm_ffi_rustbuffer_alloc_into, src/jna.rs), not returned by value.
        internal fun alloc(size: ULong = 0UL): RustBuffer.ByValue {
            val out = uniffiThreadBufferOut.get()
            uniffiRustCall() { status ->
                UniffiLib.scrm_ffi_rustbuffer_alloc_into(size.toLong(), out, status)
            }
            val data = out.getPointer(16)
                ?: throw RuntimeException("RustBuffer.alloc() returned null data pointer (size=${size})")
            val buf = uniffiThreadBuffers.get().take()
            buf.capacity = out.getLong(0)
            buf.len = out.getLong(8)
            buf.data = data
            return buf
        }
"""

# Where the allocation function is declared for JNA's direct mapping.
DECLARATION = "    external fun ffi_scrm_ffi_rustbuffer_alloc("
PATCHED_DECLARATION = (
    "    external fun scrm_ffi_rustbuffer_alloc_into(`size`: Long, `out`: Pointer, uniffi_out_err: Pointer,\n"
    "    ): Unit\n" + DECLARATION
)

THREAD_STATUS = """
// Added by bindings/ffi/patch_kotlin.py: the call status of uniffiRustCallWithError, one
// block of native memory per thread, in the layout of uniffi's RustCallStatus (code byte,
// then a RustBuffer at offset 8).
private val uniffiThreadCallStatus: ThreadLocal<Pointer> =
    ThreadLocal.withInitial { com.sun.jna.Memory(32) }

// Added by bindings/ffi/patch_kotlin.py: where RustBuffer.alloc has its buffer written, one
// block per thread (capacity, len, data pointer), read right after the call.
private val uniffiThreadBufferOut: ThreadLocal<Pointer> =
    ThreadLocal.withInitial { com.sun.jna.Memory(24) }

// Added by bindings/ffi/patch_kotlin.py: the RustBuffer.ByValue structures RustBuffer.alloc
// hands out, reused in turn per thread. An allocated buffer is lowered into and passed to
// the native call it is an argument of before the thread makes another call, and no call
// takes 16 buffer arguments, so a structure is never reused while its buffer is in use.
private class UniffiBufferRing {
    private val buffers = Array(16) { RustBuffer.ByValue() }
    private var next = 0

    fun take(): RustBuffer.ByValue {
        val buf = buffers[next]
        next = (next + 1) % buffers.size
        return buf
    }
}

private val uniffiThreadBuffers: ThreadLocal<UniffiBufferRing> =
    ThreadLocal.withInitial { UniffiBufferRing() }
"""


def fail(what: str) -> None:
    print(f"patch_kotlin.py: {what}; review the patch against the new template", file=sys.stderr)
    sys.exit(1)


def main(path: str) -> None:
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if len(HELPERS.findall(text)) != 1:
        fail("uniffiRustCallWithError/uniffiCheckCallStatus changed shape")
    text = HELPERS.sub(lambda _: PATCHED_HELPERS, text)
    if text.count(CALL) != 1:
        fail("uniffiRustCall changed shape")
    text = text.replace(CALL, PATCHED_CALL)
    declarations = [line for line in text.splitlines() if PARAMETER in line]
    if not declarations or not all(line.lstrip().startswith("external fun ") for line in declarations):
        fail("the call status is passed somewhere other than native declarations")
    text = text.replace(PARAMETER, PATCHED_PARAMETER)
    if len(ALLOC.findall(text)) != 1:
        fail("RustBuffer.alloc changed shape")
    text = ALLOC.sub(lambda _: PATCHED_ALLOC, text)
    if text.count(DECLARATION) != 1:
        fail("the declaration of ffi_scrm_ffi_rustbuffer_alloc changed shape")
    text = text.replace(DECLARATION, PATCHED_DECLARATION)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text + THREAD_STATUS)


if __name__ == "__main__":
    main(sys.argv[1])
