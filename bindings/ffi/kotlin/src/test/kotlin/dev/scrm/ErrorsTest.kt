// Every error code arrives as its own ScrmException case with its details.
package dev.scrm

import java.io.File
import java.time.Instant
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import org.junit.jupiter.api.io.TempDir

class ErrorsTest {
    @Test
    fun `VALIDATION names the field`() = Engine.inMemory().use { engine ->
        val e = assertThrows<ScrmException.Validation> { engine.upsertCustomer(CustomerInput(id = "")) }
        assertEquals("customer.id", e.field)
        assertTrue(e.reason.startsWith("invalid customer.id"), e.reason)
        val late = assertThrows<ScrmException.Validation> {
            engine.recordEvents(listOf(EventInput("x", "view", "app", Instant.parse("3001-01-01T00:00:00Z"))))
        }
        assertEquals("events[0].at", late.field)
        val far = assertThrows<ScrmException.Validation> {
            engine.upsertCustomer(CustomerInput(id = "a", attributes = mapOf("t" to AttributeValue.Time(Instant.MAX))))
        }
        assertEquals("customer.attributes.t", far.field)
        Unit
    }

    // generate.sh makes the generated code reuse one call status per thread: an error must
    // not leak into the next call on that thread, on this one or on others.
    @Test
    fun `calls after an error on the same thread succeed`() = Engine.inMemory().use { engine ->
        engine.upsertCustomer(CustomerInput(id = "a", at = T0))
        val pool = java.util.concurrent.Executors.newFixedThreadPool(3)
        try {
            val tasks = (0 until 3).map {
                java.util.concurrent.Callable {
                    repeat(200) { i ->
                        assertThrows<ScrmException.NotFound> { engine.customer("nobody-$i") }
                        assertEquals("a", engine.customer("a").id)
                        assertTrue(engine.contains("a"))
                        assertThrows<ScrmException.SegmentSyntax> { engine.count("attr.city >") }
                        assertEquals(1uL, engine.stats().customers)
                    }
                }
            }
            pool.invokeAll(tasks).forEach { it.get() }
        } finally {
            pool.shutdown()
        }
    }

    @Test
    fun `NOT_FOUND for customers, conflicts and saved segments`() = Engine.inMemory().use { engine ->
        assertThrows<ScrmException.NotFound> { engine.customer("nobody") }
        assertThrows<ScrmException.NotFound> { engine.resolveConflict(7uL, ConflictResolution.MERGE, "me") }
        assertThrows<ScrmException.NotFound> { engine.segmentChanges("nothing") }
        val e = assertThrows<ScrmException.NotFound> { engine.count("segment:nothing") }
        assertEquals(1u, e.line)
        assertEquals(1u, e.column)
        val plain = assertThrows<ScrmException.NotFound> { engine.eventsOf("nobody") }
        assertNull(plain.line)
    }

    @Test
    fun `CONFLICT for taken identities and segment cycles`() {
        val config = EngineConfig(merge = MergePolicy(onCollision = CollisionPolicy.REJECT))
        Engine.inMemoryWith(config).use { engine ->
            engine.upsertCustomer(CustomerInput(id = "a", identities = listOf(Identity("wechat_unionid", "u-1"))))
            val e = assertThrows<ScrmException.Conflict> {
                engine.upsertCustomer(CustomerInput(id = "b", identities = listOf(Identity("wechat_unionid", "u-1"))))
            }
            assertEquals("identity wechat_unionid:u-1 of customer b already belongs to customer a", e.reason)
            assertEquals(e.reason, e.message?.substringAfter("reason=")?.substringBefore(", line="))
            engine.saveSegment("one", "tag:vip")
            engine.saveSegment("two", "segment:one")
            assertThrows<ScrmException.Conflict> { engine.saveSegment("one", "segment:two") }
        }
    }

    @Test
    fun `SEGMENT_SYNTAX and SEGMENT_TYPE carry line and column`() = Engine.inMemory().use { engine ->
        val syntax = assertThrows<ScrmException.SegmentSyntax> { engine.count("tag:vip and\n  (attr.age >") }
        assertEquals(2u, syntax.line)
        val format = assertThrows<ScrmException.SegmentSyntax> { formatSegment("tag:vip and") }
        assertEquals(1u, format.line)
        engine.upsertCustomer(CustomerInput(id = "a", attributes = mapOf("city" to AttributeValue.Text("Shanghai"))))
        val type = assertThrows<ScrmException.SegmentType> { engine.count("attr.city > 3") }
        assertEquals(1u, type.line)
        assertTrue(type.column >= 1u)
    }

    @Test
    fun `STORE for a file that is not a store and for a locked one`(@TempDir dir: File) {
        val foreign = File(dir, "notes.scrm").apply { writeText("not sqlite at all, just text".repeat(100)) }
        assertThrows<ScrmException.Store> { Engine.open(foreign.path) }
        val path = File(dir, "crm.scrm").path
        Engine.open(path).use {
            val e = assertThrows<ScrmException.Store> { Engine.open(path) }
            assertTrue(e.reason.contains("locked"), e.reason)
        }
        Engine.open(path).close() // released on close
    }
}
