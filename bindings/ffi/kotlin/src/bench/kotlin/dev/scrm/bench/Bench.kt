// The binding's figures, measured from Kotlin on the JVM (run by ../../../../../../bench.sh):
//
// - per-call overhead of trivial methods (`contains`, `stats`): the JIT is warmed first, then
//   the figure is the median over 21 rounds of many calls each;
// - batch ingest of N events (default 1,000,000) into an in-memory engine holding 100,000
//   customers, in batches of 10,000 (the mix of benches/ingest.rs: views, messages, comments,
//   shares, purchases), through `recordEvents` (lists of `EventInput`); only the calls are
//   timed, the batches are built beforehand;
// - `breakdown`: the pieces a call is made of in the generated code, timed apart.
//
// Not a unit test: run it as `bindings/ffi/bench.sh [--events N] [--breakdown]`, which
// starts one JVM per part (`calls`, `breakdown`, `ingest`).
package dev.scrm.bench

import dev.scrm.*
import java.time.Instant

private const val CUSTOMERS = 100_000
private const val BATCH = 10_000
private val END: Instant = Instant.parse("2026-06-01T00:00:00Z")

/** xorshift64*, the generator of the core's benches (and of examples/ffi_baseline.rs). */
private class Rng(private var state: Long) {
    fun below(n: Long): Long {
        state = state xor (state ushr 12)
        state = state xor (state shl 25)
        state = state xor (state ushr 27)
        return java.lang.Long.remainderUnsigned(state * 0x2545F4914F6CDD1DL, n)
    }
}

private fun customerId(i: Long) = "c-%07d".format(i)

private fun events(n: Int): List<EventInput> {
    val channels = arrayOf("wechat", "weibo", "app")
    val rng = Rng(0x9E3779B97F4A7C15uL.toLong())
    return List(n) {
        val customer = customerId(rng.below(CUSTOMERS.toLong()))
        val channel = channels[rng.below(3).toInt()]
        val at = END.minusSeconds(rng.below(180L * 24 * 3600))
        val roll = rng.below(100)
        val kind = when (roll) {
            in 0 until 50 -> "view"
            in 50 until 70 -> "message"
            in 70 until 82 -> "comment"
            in 82 until 92 -> "share"
            else -> "purchase"
        }
        val amount = if (kind == "purchase") (1 + rng.below(100_000)) / 100.0 else null
        val direction = if (kind == "message" && roll % 2 == 0L) Direction.OUTBOUND else null
        EventInput(customer, kind, channel, at, direction = direction, amount = amount)
    }
}

private fun engineWithCustomers(): Engine {
    val engine = Engine.inMemory()
    for (start in 0 until CUSTOMERS step BATCH) {
        engine.upsertCustomers((start until start + BATCH).map { CustomerInput(id = customerId(it.toLong())) })
    }
    return engine
}

/** Keeps results alive so the JIT cannot drop the calls. */
@Volatile private var sink: Any? = null

/** CPU time of the whole process (every thread: JNA's cleaner and the GC count too). */
private val os = java.lang.management.ManagementFactory.getOperatingSystemMXBean() as com.sun.management.OperatingSystemMXBean

internal fun processCpuNanos(): Long = os.processCpuTime

/**
 * Nanoseconds per call of [body]: warmed for [warmupMs] first, then the median of [rounds]
 * rounds of [calls] calls, in wall time and in process CPU time. On a shared machine the
 * wall time includes waiting for a core; the CPU time does not, but counts every thread of
 * the JVM (the GC, JNA's cleaner), so it is what a call costs the device.
 */
private fun perCall(label: String, calls: Int, rounds: Int = 21, warmupMs: Long = 1500, body: () -> Any?) {
    val warmEnd = System.nanoTime() + warmupMs * 1_000_000
    while (System.nanoTime() < warmEnd) {
        repeat(1000) { sink = body() }
    }
    val wall = DoubleArray(rounds)
    val cpu = DoubleArray(rounds)
    for (r in 0 until rounds) {
        val cpu0 = processCpuNanos()
        val start = System.nanoTime()
        repeat(calls) { sink = body() }
        wall[r] = (System.nanoTime() - start).toDouble() / calls
        cpu[r] = (processCpuNanos() - cpu0).toDouble() / calls
    }
    wall.sort()
    cpu.sort()
    println(
        "%-40s median %7.0f ns/call wall, %7.0f ns/call CPU  (wall min %.0f, max %.0f; %d rounds of %,d)".format(
            label, wall[rounds / 2], cpu[rounds / 2], wall[0], wall[rounds - 1], rounds, calls,
        ),
    )
}

private fun trivial(engine: Engine) {
    println("== per-call overhead (target <= 5 us)")
    perCall("engine.contains(\"x\")", 5_000) { engine.contains("x") }
    perCall("engine.contains(\"c-0000042\") (found)", 5_000) { engine.contains("c-0000042") }
    perCall("engine.stats()", 5_000) { engine.stats() }
}

private fun ingest(n: Int) {
    println("== batch ingest of %,d events, batches of %,d, in memory (target >= 200,000 events/s)".format(n, BATCH))
    val all = events(n)
    val batches = all.chunked(BATCH)
    // Warm the JIT on the same path, on a throwaway engine.
    engineWithCustomers().use { warm -> batches.take(20).forEach { warm.recordEvents(it) } }
    engineWithCustomers().use { engine ->
        System.gc()
        val times = LongArray(batches.size)
        val cpu0 = processCpuNanos()
        val start = System.nanoTime()
        batches.forEachIndexed { i, batch ->
            val t = System.nanoTime()
            engine.recordEvents(batch)
            times[i] = System.nanoTime() - t
        }
        val took = (System.nanoTime() - start) / 1e9
        val cpu = (processCpuNanos() - cpu0) / 1e9
        check(engine.stats().events == n.toULong()) { "ingest lost events" }
        times.sort()
        println(
            "%-40s %7.3f s wall %,10.0f events/s; %7.3f s CPU %,10.0f events per CPU-s  (median batch %.1f ms)".format(
                "recordEvents(List<EventInput>)", took, n / took, cpu, n / cpu, times[times.size / 2] / 1e6,
            ),
        )
    }
}

/**
 * `calls`, `breakdown` or `ingest`, each meant for a JVM of its own (bench.sh starts one per
 * part): the garbage JNA leaves behind in one part (see Breakdown.kt) must not slow the next.
 */
fun main(args: Array<String>) {
    var n = 1_000_000
    val parts = mutableListOf<String>()
    var i = 0
    while (i < args.size) {
        when (val arg = args[i]) {
            "--events" -> n = args[++i].toInt()
            "calls", "breakdown", "ingest" -> parts += arg
            else -> error("unknown argument $arg (use calls, breakdown, ingest, --events N)")
        }
        i++
    }
    val load = runCatching { java.io.File("/proc/loadavg").readText().split(" ").take(3).joinToString(" ") }.getOrDefault("?")
    println("JVM: ${System.getProperty("java.vm.name")} ${System.getProperty("java.version")}, JNA ${com.sun.jna.Native.VERSION}, load average $load")
    for (part in parts.ifEmpty { listOf("calls", "ingest") }) {
        when (part) {
            "calls" -> engineWithCustomers().use { trivial(it) }
            "breakdown" -> engineWithCustomers().use { breakdown(it) }
            "ingest" -> ingest(n)
        }
    }
}
