// The durable store through the binding: data survives closing and reopening.
package dev.scrm

import java.io.File
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir

class StoreTest {
    @Test
    fun `a store file keeps customers, events, tags and saved segments`(@TempDir dir: File) {
        val path = File(dir, "crm.scrm").path
        val config = EngineConfig(identity = IdentityConfig(defaultCountryCode = "86"))
        Engine.openWith(path, config).use { engine ->
            engine.upsertCustomer(CustomerInput(id = "m-1", identities = listOf(Identity("phone", "138 0013 8000")), at = T0))
            engine.recordEvent(EventInput("m-1", "purchase", "wechat", T0, amount = 99.5))
            engine.tagCustomers(listOf("m-1"), listOf("vip"))
            engine.saveSegment("vips", "tag:vip")
        }
        Engine.openWith(path, config).use { engine ->
            assertEquals("m-1", engine.lookupIdentity("phone", "+86 138 0013 8000"))
            assertEquals(99.5, engine.customer("m-1").activity.totalAmount)
            assertEquals(listOf("vip"), engine.customer("m-1").tags)
            assertEquals(SegmentPage(1uL, listOf("m-1")), engine.segmentMembers("vips"))
        }
    }
}
