// Runs the shared parity scenarios (tests/scenarios/*.json) through the Kotlin API, with the
// same subset matching as the Rust runner (tests/scenarios.rs).
package dev.scrm

import java.io.File
import java.time.Instant
import org.json.JSONArray
import org.json.JSONObject
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.DynamicTest
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestFactory

class ScenariosTest {
    private val dir = File(System.getProperty("scrm.scenarios.dir") ?: "../../../tests/scenarios")
    private val files = dir.listFiles { f -> f.name.endsWith(".json") }.orEmpty().sortedBy { it.name }

    private fun source(s: JSONObject) = s.str("source")?.let { TagSource.valueOf(it.uppercase()) }
    private fun limit(s: JSONObject) = (s.value("limit") as Number?)?.toLong()?.toULong()
    private fun offset(s: JSONObject) = ((s.value("offset") as Number?)?.toLong() ?: 0L).toULong()

    /** Each operation of the scenario format, called through the Kotlin API. */
    private val ops: Map<String, (Engine, JSONObject) -> Any?> = mapOf(
        "upsert_customer" to { e, s -> e.upsertCustomer(customerInput(s.getJSONObject("input"))) },
        "upsert_customers" to { e, s -> e.upsertCustomers(s.objects("input").map(::customerInput)) },
        "customer" to { e, s -> e.customer(s.getString("id")) },
        "customer_ids" to { e, _ -> e.customerIds() },
        "lookup_identity" to { e, s -> e.lookupIdentity(s.getString("channel"), s.getString("value")) },
        "merge_customers" to { e, s -> e.mergeCustomers(mergeRequest(s.getJSONObject("input"))) },
        "merge_history" to { e, s -> e.mergeHistory(s.getString("id")) },
        "merges" to { e, _ -> e.merges() },
        "conflicts" to { e, s -> e.conflicts(s.str("status")?.let { ConflictStatus.valueOf(it.uppercase()) }) },
        "resolve_conflict" to { e, s ->
            e.resolveConflict(
                s.getLong("id").toULong(),
                ConflictResolution.valueOf(s.getString("resolution").uppercase()),
                s.getString("actor"),
            )
        },
        "record_event" to { e, s -> e.recordEvent(eventInput(s.getJSONObject("input"))) },
        "record_events" to { e, s -> e.recordEvents(s.objects("input").map(::eventInput)) },
        "events_of" to { e, s -> e.eventsOf(s.getString("id")) },
        "stats" to { e, _ -> e.stats() },
        "set_clock" to { e, s -> e.setClock(s.instant("at")) },
        "tag_customers" to { e, s -> e.tagCustomers(s.strings("ids"), s.strings("tags"), source(s)) },
        "untag_customers" to { e, s -> e.untagCustomers(s.strings("ids"), s.strings("tags")) },
        "tag_segment" to { e, s -> e.tagSegment(s.getString("expression"), s.strings("tags"), source(s)) },
        "untag_segment" to { e, s -> e.untagSegment(s.getString("expression"), s.strings("tags")) },
        "tags_of" to { e, s -> e.tagsOf(s.getString("id")) },
        "tag_counts" to { e, _ -> e.tagCounts() },
        "count" to { e, s -> e.count(s.getString("expression")) },
        "query" to { e, s -> e.query(s.getString("expression"), offset(s), limit(s)) },
        "explain" to { e, s -> e.explain(s.getString("id"), s.getString("expression")) },
        "save_segment" to { e, s -> e.saveSegment(s.getString("name"), s.getString("expression")) },
        "drop_segment" to { e, s -> e.dropSegment(s.getString("name")) },
        "saved_segments" to { e, _ -> e.savedSegments() },
        "segment_members" to { e, s -> e.segmentMembers(s.getString("name"), offset(s), limit(s)) },
        "segment_changes" to { e, s -> e.segmentChanges(s.getString("name")) },
        "checkpoint_segment" to { e, s -> e.checkpointSegment(s.getString("name")) },
        "add_tag_rule" to { e, s -> e.addTagRule(s.getString("tag"), s.getString("expression")) },
        "drop_tag_rule" to { e, s -> e.dropTagRule(s.getString("tag")) },
        "tag_rules" to { e, _ -> e.tagRules() },
    )

    /** Runs one step; returns what went wrong, or null. */
    private fun runStep(engine: Engine, step: JSONObject): String? {
        val op = ops[step.getString("op")] ?: return "unknown op ${step.getString("op")}"
        val actual = try {
            toJson(op(engine, step))
        } catch (e: ScrmException) {
            val want = step.value("error") ?: return "unexpected error ${errorJson(e)}"
            return mismatch(want, errorJson(e), "error")
        }
        if (step.has("error")) return "expected an error, got $actual"
        if (!step.has("expect")) return null
        return mismatch(step.get("expect"), actual, "result")
    }

    @Test
    fun `the shared scenarios are there`() {
        assertTrue(files.size >= 5, "expected the shared scenarios in $dir, found ${files.map { it.name }}")
    }

    @TestFactory
    fun scenarios(): List<DynamicTest> = files.map { file ->
        val scenario = JSONObject(file.readText())
        DynamicTest.dynamicTest("scenario ${file.name}: ${scenario.getString("name")}") {
            Engine.inMemoryWith(engineConfig(scenario.value("config") as JSONObject?)).use { engine ->
                val failures = mutableListOf<String>()
                scenario.getJSONArray("steps").forEachIndexed { i, step ->
                    step as JSONObject
                    runStep(engine, step)?.let { failures += "step $i (${step.getString("op")}): $it" }
                }
                assertEquals(emptyList<String>(), failures)
            }
        }
    }

    @Test
    fun `the matcher can fail`() {
        val actual = mapOf("id" to "c-1", "n" to 2L, "list" to listOf(1L, 2L))
        assertNull(mismatch(JSONObject("""{"id": "c-1"}"""), actual, "r"))
        assertNotNull(mismatch(JSONObject("""{"id": "c-2"}"""), actual, "r"))
        assertNotNull(mismatch(JSONObject("""{"n": 2.5}"""), actual, "r"))
        assertNotNull(mismatch(JSONObject("""{"list": [1]}"""), actual, "r"))
        assertNotNull(mismatch(JSONObject("""{"absent": 1}"""), actual, "r"))
        assertNull(mismatch(JSONObject("""{"absent": null}"""), actual, "r"))
        assertNull(mismatch(JSONArray("[1, 2]"), listOf(1L, 2UL.toLong()), "r"))
    }

    @Test
    fun `the shape mapping renames fields and maps times`() {
        val json = toJson(
            TagAssignment("vip", Instant.parse("2026-01-01T00:00:00Z"), TagSource.MANUAL),
        )
        assertEquals(mapOf("tag" to "vip", "set_at" to "2026-01-01T00:00:00Z", "source" to "manual"), json)
        val reason = toJson(MergeReason.SharedIdentity("phone", "+86"))
        assertEquals(mapOf("type" to "shared_identity", "channel" to "phone", "value" to "+86"), reason)
    }
}
