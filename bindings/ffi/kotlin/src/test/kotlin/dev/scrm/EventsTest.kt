// Events: single and batch ingest, idempotency, reading back, activity aggregates.
package dev.scrm

import java.time.Instant
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Test

class EventsTest {
    @Test
    fun `events go in and come back with every field`() = Engine.inMemory().use { engine ->
        engine.upsertCustomers(listOf(CustomerInput(id = "a", at = T0), CustomerInput(id = "b", at = T0)))
        val report = engine.recordEvents(
            listOf(
                EventInput("a", "purchase", "wechat", T0, amount = 199.0, idempotencyKey = "order-1",
                    properties = mapOf("sku" to AttributeValue.Text("tea-1"), "qty" to AttributeValue.Integer(2))),
                EventInput("a", "message", "wechat", T0.plusSeconds(60), direction = Direction.OUTBOUND),
                EventInput("a", "share", "weibo", T0.plusSeconds(120), target = "b"),
            ),
        )
        assertEquals(IngestReport(3uL, 0uL), report)
        val again = engine.recordEvent(EventInput("a", "purchase", "wechat", T0, amount = 199.0, idempotencyKey = "order-1"))
        assertEquals(IngestReport(0uL, 1uL), again)

        val events = engine.eventsOf("a")
        assertEquals(listOf(0uL, 1uL, 2uL), events.map { it.seq })
        assertEquals(199.0, events[0].amount)
        assertEquals("order-1", events[0].idempotencyKey)
        assertEquals(AttributeValue.Integer(2), events[0].properties["qty"])
        assertEquals(Direction.OUTBOUND, events[1].direction)
        assertEquals("b", events[2].target)
        assertEquals(T0.plusSeconds(120), events[2].at)

        val activity = engine.customer("a").activity
        assertEquals(2uL, activity.inbound)
        assertEquals(1uL, activity.outbound)
        assertEquals(199.0, activity.totalAmount)
        assertEquals(T0, activity.firstSeen)
        assertEquals(T0.plusSeconds(120), activity.lastSeen)
        assertEquals(1uL, activity.counts["purchase"])
        assertEquals(3uL, engine.stats().events)
    }

    @Test
    fun `times keep their microseconds and pre-1970 instants`() = Engine.inMemory().use { engine ->
        val at = Instant.parse("1969-07-20T20:17:40.000001Z")
        engine.upsertCustomer(CustomerInput(id = "a", at = at))
        assertEquals(at, engine.customer("a").createdAt)
        engine.setClock(Instant.parse("2026-11-11T00:00:00Z"))
        assertEquals(Instant.parse("2026-11-11T00:00:00Z"), engine.now())
        engine.setClock()
        assert(engine.now().isAfter(Instant.parse("2026-01-01T00:00:00Z")))
    }

    @Test
    fun `a large batch goes in at once`() = Engine.inMemory().use { engine ->
        engine.upsertCustomers((0 until 100).map { CustomerInput(id = "c-$it", at = T0) })
        val batch = (0 until 20_000).map { EventInput("c-${it % 100}", "view", "app", T0.plusSeconds(it.toLong())) }
        assertEquals(20_000uL, engine.recordEvents(batch).inserted)
        assertEquals(200uL, engine.customer("c-7").activity.inbound)
    }
}
