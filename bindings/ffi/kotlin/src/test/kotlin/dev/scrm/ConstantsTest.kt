// The core's constants through constants(): the limits the engine enforces, the kind names
// it counts and the invite code alphabet, mirroring bindings/node/__test__/constants.test.mjs.
package dev.scrm

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

class ConstantsTest {
    private val c = constants()

    @Test
    fun `size limits are the ones the engine checks`() {
        Engine.inMemory().use { engine ->
            engine.upsertCustomer(CustomerInput(id = "x".repeat(c.maxIdLen.toInt())))
            assertThrows<ScrmException.Validation> { engine.upsertCustomer(CustomerInput(id = "x".repeat(c.maxIdLen.toInt() + 1))) }
            engine.upsertCustomer(CustomerInput(id = "a"))
            engine.tagCustomers(listOf("a"), listOf("t".repeat(c.maxTagLen.toInt())))
            assertThrows<ScrmException.Validation> { engine.tagCustomers(listOf("a"), listOf("t".repeat(c.maxTagLen.toInt() + 1))) }
        }
    }

    @Test
    fun `kinds name what the engine counts and edge kinds behave as documented`() {
        assertEquals(9, c.eventKinds.size)
        assertEquals(5, c.edgeKinds.size)
        Engine.inMemory().use { engine ->
            engine.upsertCustomers(listOf(CustomerInput(id = "a"), CustomerInput(id = "b")))
            val purchase = c.eventKinds.single { it == "purchase" }
            engine.recordEvents(listOf(EventInput("a", purchase, "app", T0, amount = 5.0)))
            assertEquals(1uL, engine.count("amount(purchase) >= 5"))
            val friend = c.edgeKinds.single { it == "friend" }
            engine.addEdge(EdgeInput("a", "b", friend))
            assertEquals(listOf("a"), engine.neighbours("b", EdgeDirection.OUT, listOf(friend)))
            assertThrows<ScrmException.Validation> { engine.addEdge(EdgeInput("a", "b", c.edgeKinds.single { it == "interacted" })) }
        }
    }

    @Test
    fun `invite codes are drawn from the code alphabet`() {
        Engine.inMemory().use { engine ->
            engine.upsertCustomer(CustomerInput(id = "a"))
            val code = engine.issueCode("a").code
            assertEquals(c.defaultCodeLen.toInt(), code.length)
            assertTrue(code.all { it in c.codeAlphabet }, code)
        }
    }
}
