// One engine shared by many JVM threads: writes serialise, reads run alongside, nothing lost.
package dev.scrm

import java.util.concurrent.Callable
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

class ConcurrencyTest {
    @Test
    fun `threads write and read one engine`() = Engine.inMemory().use { engine ->
        val pool = Executors.newFixedThreadPool(8)
        try {
            val writers = (0 until 4).map { w ->
                Callable {
                    for (i in 0 until 50) {
                        engine.upsertCustomer(CustomerInput(id = "w$w-$i", at = T0))
                        engine.recordEvents(List(10) { EventInput("w$w-$i", "view", "app", T0.plusSeconds(it.toLong())) })
                    }
                    0uL
                }
            }
            val readers = (0 until 4).map {
                Callable {
                    var seen = 0uL
                    repeat(200) { seen = maxOf(seen, engine.count("events(view) >= 1")) }
                    seen
                }
            }
            val results = pool.invokeAll(writers + readers, 2, TimeUnit.MINUTES).map { it.get() }
            assertTrue(results.all { it <= 200uL })
        } finally {
            pool.shutdown()
        }
        assertEquals(200uL, engine.stats().customers)
        assertEquals(2000uL, engine.stats().events)
        assertEquals(200uL, engine.count("events(view) >= 10"))
    }
}
