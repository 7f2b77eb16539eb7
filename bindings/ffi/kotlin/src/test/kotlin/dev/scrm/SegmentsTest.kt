// Tags, segment queries, explanations, saved segments, tag rules and the clock.
package dev.scrm

import java.time.temporal.ChronoUnit.DAYS
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

class SegmentsTest {
    private fun people(engine: Engine) {
        engine.upsertCustomers(
            listOf("Shanghai" to 31L, "Beijing" to 25L, "Chengdu" to 42L, "Shanghai" to 19L).mapIndexed { i, (city, age) ->
                CustomerInput(
                    id = "p-$i",
                    at = T0,
                    attributes = mapOf("city" to AttributeValue.Text(city), "age" to AttributeValue.Integer(age)),
                )
            },
        )
    }

    @Test
    fun `tags by id and by segment`() = Engine.inMemory().use { engine ->
        people(engine)
        engine.setClock(T0)
        assertEquals(TagReport(2uL, 2uL), engine.tagCustomers(listOf("p-0", "p-1"), listOf("vip")))
        assertEquals(TagReport(2uL, 2uL), engine.tagSegment("attr.city = \"Shanghai\"", listOf("sh"), TagSource.IMPORT))
        assertEquals(
            listOf(TagAssignment("sh", T0, TagSource.IMPORT), TagAssignment("vip", T0, TagSource.MANUAL)),
            engine.tagsOf("p-0"),
        )
        assertEquals(listOf(TagCount("sh", 2uL), TagCount("vip", 2uL)), engine.tagCounts())
        assertEquals(TagReport(1uL, 1uL), engine.untagCustomers(listOf("p-1"), listOf("vip")))
        assertEquals(TagReport(2uL, 2uL), engine.untagSegment("tag:sh", listOf("sh")))
        assertEquals(listOf("vip"), engine.customer("p-0").tags)
        assertTrue(engine.stats().tagIndexBytes > 0uL)
    }

    @Test
    fun `count, paged query and explain`() = Engine.inMemory().use { engine ->
        people(engine)
        assertEquals(2uL, engine.count("attr.age >= 25 and attr.age < 40"))
        assertEquals(SegmentPage(4uL, listOf("p-1", "p-2")), engine.query("attr.age > 0", 1uL, 2uL))
        assertEquals(SegmentPage(4uL, listOf("p-0", "p-1", "p-2", "p-3")), engine.query("attr.age > 0"))
        val why = engine.explain("p-3", "attr.city = \"Shanghai\" and attr.age >= 21")
        assertFalse(why.matched)
        assertEquals("p-3", why.customer)
        assertEquals(3, why.steps.size)
        assertEquals(0u, why.steps[0].depth)
        assertEquals("tag:vip and attr.age >= 18", formatSegment("tag:vip   and attr.age>=18"))
    }

    @Test
    fun `saved segments follow writes and the clock`() = Engine.inMemory().use { engine ->
        people(engine)
        engine.setClock(T0)
        val saved = engine.saveSegment("buyers", "events(purchase, 30d) >= 1")
        assertEquals(SavedSegmentInfo("buyers", "events(purchase, 30d) >= 1", 0uL, true), saved)
        engine.recordEvent(EventInput("p-2", "purchase", "store", T0, amount = 10.0))
        assertEquals(SegmentPage(1uL, listOf("p-2")), engine.segmentMembers("buyers"))
        assertEquals(SegmentChanges(listOf("p-2"), emptyList()), engine.segmentChanges("buyers"))
        assertEquals(SegmentChanges(listOf("p-2"), emptyList()), engine.checkpointSegment("buyers"))
        engine.setClock(T0.plus(31, DAYS))
        engine.refresh()
        assertEquals(SegmentChanges(emptyList(), listOf("p-2")), engine.segmentChanges("buyers"))
        assertEquals(listOf("buyers"), engine.savedSegments().map { it.name })
        engine.dropSegment("buyers")
        assertEquals(emptyList<SavedSegmentInfo>(), engine.savedSegments())
    }

    @Test
    fun `tag rules keep a tag on the matching customers`() = Engine.inMemory().use { engine ->
        people(engine)
        val rule = engine.addTagRule("shanghai", "attr.city = \"Shanghai\"")
        assertEquals(2uL, rule.members)
        assertEquals(listOf("shanghai"), engine.tagRules().map { it.tag })
        assertEquals(TagSource.RULE, engine.tagsOf("p-0")[0].source)
        engine.upsertCustomer(CustomerInput(id = "p-0", attributes = mapOf("city" to AttributeValue.Text("Xi'an"))))
        assertEquals(1uL, engine.count("tag:shanghai"))
        engine.dropTagRule("shanghai")
        assertEquals(0uL, engine.count("tag:shanghai"))
    }
}
