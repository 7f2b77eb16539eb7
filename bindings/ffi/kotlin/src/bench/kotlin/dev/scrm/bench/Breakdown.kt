// `--breakdown`: the pieces one generated call is made of, each timed apart, to see where a
// trivial call's time goes. A call on an `Engine` method in the generated Kotlin
// (uniffi 0.32, JNA direct mapping, call status patched by patch_kotlin.py) is:
//
//   callWithHandle { handle ->                  // AtomicLong CAS, then uniffiCloneHandle():
//       uniffiRustCall { status ->              //   this thread's status block (a Pointer)
//           UniffiLib.fn_clone_engine(...) } }  //   a native call (Arc clone)
//   FfiConverterString.lower(id)                // UTF-8 encode, RustBuffer.alloc: another
//                                               //   native call and status, by-value return
//   uniffiRustCall { status ->                  // the call itself, with its own status and
//       UniffiLib.fn_method_engine_contains(handle, buf, status) }   // a by-value RustBuffer
//
// and, for a record result such as `stats()`, a lift that reads the returned RustBuffer and
// frees it with one more native call. The internal pieces are reachable here because the
// benchmark is compiled as the module's test source set (Kotlin friend paths).
package dev.scrm.bench

import com.sun.jna.Native
import com.sun.jna.Pointer
import com.sun.jna.Structure
import dev.scrm.*

/** Two libc functions bound with JNA direct mapping, as uniffi binds its own. */
private object LibC {
    init {
        Native.register(LibC::class.java, "c")
    }

    /** A native call with only primitive arguments: JNA's fast path. */
    @JvmStatic external fun labs(value: Long): Long

    /** A native call taking a pointer to a JNA Structure (written and read back by JNA). */
    @JvmStatic external fun gettimeofday(tv: TimeVal, tz: Pointer?): Int
}

@Structure.FieldOrder("sec", "usec")
internal class TimeVal : Structure() {
    @JvmField var sec: Long = 0
    @JvmField var usec: Long = 0
}

internal fun breakdown(engine: Engine) {
    println("== breakdown of a generated call (--breakdown)")
    var x = 0L
    perCallNs("JNA direct call, primitives only (libc labs)") { LibC.labs(x--) }
    perCallNs("JNA direct call, new Structure by pointer (gettimeofday)") { LibC.gettimeofday(TimeVal(), null) }
    val tv = TimeVal()
    perCallNs("JNA direct call, reused Structure by pointer") { LibC.gettimeofday(tv, null) }
    perCallNs("new UniffiRustCallStatus() (JNA Structure, as unpatched code makes)") { UniffiRustCallStatus() }
    perCallNs("uniffiCloneHandle() + free: 2 native calls with status") {
        val handle = engine.uniffiCloneHandle()
        uniffiRustCallBench { status -> UniffiLib.uniffi_scrm_ffi_fn_free_engine(handle, status) }
    }
    perCallNs("FfiConverterString.toUtf8(\"x\") (Kotlin only)") { FfiConverterString.toUtf8("x") }
    perCallNs("FfiConverterString.lower(\"x\") + RustBuffer.free: 2 native calls") {
        RustBuffer.free(FfiConverterString.lower("x"))
    }
    perCallNs("contains: raw native call, handle and buffer made outside", selfTimed = true) {
        val handle = engine.uniffiCloneHandle()
        val buf = FfiConverterString.lower("x")
        val start = System.nanoTime()
        uniffiRustCallBench { status -> UniffiLib.uniffi_scrm_ffi_fn_method_engine_contains(handle, buf, status) }
        System.nanoTime() - start
    }
    perCallNs("stats: raw native call returning a RustBuffer (no lift)", selfTimed = true) {
        val handle = engine.uniffiCloneHandle()
        val start = System.nanoTime()
        val buf = uniffiRustCallBench { status -> UniffiLib.uniffi_scrm_ffi_fn_method_engine_stats(handle, status) }
        val took = System.nanoTime() - start
        RustBuffer.free(buf)
        took
    }
}

/** The status block of the breakdown's native calls, as the patched code keeps per thread. */
private val benchStatus = com.sun.jna.Memory(32)

/** `uniffiRustCall` is private to the generated file: the same thing, for the breakdown. */
private inline fun <U> uniffiRustCallBench(call: (Pointer) -> U): U {
    benchStatus.setByte(0, 0)
    val result = call(benchStatus)
    check(benchStatus.getByte(0) == 0.toByte()) { "call failed: ${benchStatus.getByte(0)}" }
    return result
}

/**
 * Like `perCall`; a [selfTimed] body returns the nanoseconds of its own timed part, so that
 * the setup around that part is left out.
 */
private fun perCallNs(label: String, selfTimed: Boolean = false, body: () -> Any?) {
    val calls = 5_000
    val rounds = 21
    val warmEnd = System.nanoTime() + 1_000_000_000L
    while (System.nanoTime() < warmEnd) repeat(1000) { body() }
    val perRound = DoubleArray(rounds) {
        var inner = 0L
        val start = System.nanoTime()
        repeat(calls) {
            val r = body()
            if (selfTimed) inner += r as Long
        }
        (if (selfTimed) inner else System.nanoTime() - start).toDouble() / calls
    }
    perRound.sort()
    println("  %-66s median %7.0f ns".format(label, perRound[rounds / 2]))
}
