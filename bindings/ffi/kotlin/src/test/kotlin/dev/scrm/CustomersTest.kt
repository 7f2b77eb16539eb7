// Customers, identities, merges, conflicts and the configuration through the Kotlin API.
package dev.scrm

import java.time.Instant
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

val T0: Instant = Instant.parse("2026-03-01T08:00:00Z")

class CustomersTest {
    @Test
    fun `every attribute type round-trips`() = Engine.inMemory().use { engine ->
        val attributes = mapOf(
            "city" to AttributeValue.Text("Shanghai"),
            "age" to AttributeValue.Integer(Long.MAX_VALUE),
            "score" to AttributeValue.Float(4.5),
            "vip" to AttributeValue.Bool(true),
            "birthday" to AttributeValue.Time(Instant.parse("1995-05-04T00:00:00.123456Z")),
            "interests" to AttributeValue.TextList(listOf("travel", "tea")),
        )
        val outcome = engine.upsertCustomer(CustomerInput(id = "c-1", attributes = attributes, at = T0))
        assertEquals(UpsertOutcome("c-1", true, emptyList(), emptyList()), outcome)
        val customer = engine.customer("c-1")
        assertEquals(attributes, customer.attributes)
        assertEquals(0u, customer.index)
        assertEquals(T0, customer.createdAt)
        assertFalse(customer.anonymous)
        assertTrue(engine.contains("c-1"))
        assertFalse(engine.contains("c-2"))
    }

    @Test
    fun `identities normalise and colliding ones merge with history`() = Engine.inMemory().use { engine ->
        engine.upsertCustomer(
            CustomerInput(id = "m-1001", identities = listOf(Identity("phone", "+86 138 0013 8000")), at = T0),
        )
        engine.upsertCustomer(
            CustomerInput(id = "wx-o6_abc", anonymous = true, identities = listOf(Identity("wechat_openid", "o6_abc")), at = T0),
        )
        engine.recordEvent(EventInput("wx-o6_abc", "view", "wechat", T0))
        val outcome = engine.upsertCustomer(
            CustomerInput(id = "wx-o6_abc", identities = listOf(Identity("phone", "0086 138-0013-8000"))),
        )
        assertEquals("m-1001", outcome.id)
        assertEquals(listOf("wx-o6_abc"), outcome.merged)
        assertEquals("m-1001", engine.lookupIdentity("wechat_openid", "o6_abc"))
        assertNull(engine.lookupIdentity("email", "nobody@example.com"))
        val customer = engine.customer("wx-o6_abc")
        assertEquals("m-1001", customer.id)
        assertEquals(1uL, customer.activity.inbound)
        assertEquals(listOf("wx-o6_abc"), customer.mergedIds)
        val history = engine.mergeHistory("m-1001")
        assertEquals(1, history.size)
        assertEquals("engine", history[0].actor)
        assertEquals(MergeReason.SharedIdentity("phone", "+8613800138000"), history[0].reason)
        assertEquals(history, engine.merges())
        assertEquals(listOf("m-1001"), engine.customerIds())
    }

    @Test
    fun `batch upserts and manual merges`() = Engine.inMemory().use { engine ->
        val outcomes = engine.upsertCustomers((1..3).map { CustomerInput(id = "c-$it", at = T0) })
        assertEquals(listOf("c-1", "c-2", "c-3"), outcomes.map { it.id })
        val record = engine.mergeCustomers(MergeRequest("c-1", "c-2", "agent-7", "same person", T0))!!
        assertEquals(MergeReason.Manual("same person"), record.reason)
        assertEquals(T0, record.at)
        assertNull(engine.mergeCustomers(MergeRequest(survivor = "c-1", merged = "c-2", actor = "agent-7")))
        assertEquals(2uL, engine.stats().customers)
        assertEquals(1uL, engine.stats().merged)
    }

    @Test
    fun `flagged conflicts are listed and resolved`() {
        val config = EngineConfig(merge = MergePolicy(identified = IdentifiedPolicy.FLAG))
        Engine.inMemoryWith(config).use { engine ->
            engine.upsertCustomer(CustomerInput(id = "a", identities = listOf(Identity("email", "li@example.com"))))
            val outcome = engine.upsertCustomer(CustomerInput(id = "b", identities = listOf(Identity("email", "LI@example.com"))))
            assertEquals(1, outcome.conflicts.size)
            val open = engine.conflicts(ConflictStatus.OPEN)
            assertEquals(listOf("a"), open.map { it.owner })
            assertEquals(1uL, engine.stats().openConflicts)
            val resolved = engine.resolveConflict(open[0].id, ConflictResolution.KEEP_APART, "agent-7")
            assertEquals(ConflictStatus.KEPT_APART, resolved.status)
            assertEquals(emptyList<IdentityConflict>(), engine.conflicts(ConflictStatus.OPEN))
            assertEquals(1, engine.conflicts().size)
        }
    }

    @Test
    fun `the configuration comes back filled in`() {
        val config = EngineConfig(
            identity = IdentityConfig(defaultCountryCode = "86"),
            merge = MergePolicy(strategies = mapOf("points" to MergeStrategy.SUM)),
        )
        Engine.inMemoryWith(config).use { engine ->
            val back = engine.config()
            assertEquals("86", back.identity.defaultCountryCode)
            assertEquals(CollisionPolicy.MERGE, back.merge.onCollision)
            assertEquals(IdentifiedPolicy.MERGE, back.merge.identified)
            assertEquals(MergeStrategy.NEWEST, back.merge.defaultStrategy)
            assertEquals(mapOf("points" to MergeStrategy.SUM), back.merge.strategies)
            engine.upsertCustomer(CustomerInput(id = "c", identities = listOf(Identity("phone", "138 0013 8000"))))
            assertEquals("c", engine.lookupIdentity("phone", "+8613800138000"))
        }
    }
}
