// Lifecycle scoring through the Kotlin API: engagement scores and RFM, stage ladders
// (built-in and custom, stages, history, time per stage, moves), the churn model (stored in
// the file), the lifecycle measures and every error case, mirroring
// bindings/node/__test__/lifecycle.test.mjs.
package dev.scrm

import java.io.File
import java.time.Duration
import java.time.Instant
import java.time.YearMonth
import java.time.ZoneOffset
import kotlin.math.abs
import kotlin.math.ln
import kotlin.random.Random
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNotEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import org.junit.jupiter.api.io.TempDir

private val DAY: Duration = Duration.ofDays(1)

private fun days(n: Long): Instant = T0.plus(Duration.ofDays(n))

/** The `YYYY-MM` of an instant, as the monthly measures name months. */
private fun month(at: Instant): String = YearMonth.from(at.atOffset(ZoneOffset.UTC)).toString()

private fun near(expected: Double, actual: Double, what: String = "") =
    assertTrue(abs(expected - actual) < 1e-9, "$what: expected $expected, got $actual")

/** Equal to 12 significant digits, element by element. */
private fun near(expected: List<Double>, actual: List<Double>, what: String) {
    assertEquals(expected.size, actual.size, what)
    expected.zip(actual).forEach { (e, a) -> assertTrue(abs(e - a) <= 1e-12 * abs(e), "$what: expected $e, got $a") }
}

private fun ChurnModel.parameters() = listOf(purchases.r, purchases.alpha, purchases.a, purchases.b, spend.p, spend.q, spend.v)

/** Customers created at `at`, with the clock there. */
private fun Engine.with(vararg ids: String, at: Instant = T0): Engine {
    setClock(at)
    upsertCustomers(ids.map { CustomerInput(id = it, at = at) })
    return this
}

private fun event(customer: String, kind: String, at: Instant, amount: Double? = null, direction: Direction? = null) =
    EventInput(customer, kind, "wechat", at, direction = direction, amount = amount)

/** The field of the Validation error `call` throws. */
private fun invalidField(call: () -> Unit): String = assertThrows<ScrmException.Validation> { call() }.field

/** Buyers who purchase as a Poisson process until they drop out, as BG/NBD assumes; every one buys at least once. */
private fun Engine.buyers(n: Int): List<String> {
    val ids = (0 until n).map { "p$it" }
    upsertCustomers(ids.map { CustomerInput(id = it, at = T0) })
    val random = Random(12345)
    val events = mutableListOf<EventInput>()
    for (id in ids) {
        val rate = 0.01 + 0.1 * random.nextDouble() * random.nextDouble()
        val dropout = 0.05 + 0.4 * random.nextDouble()
        val level = 10 + 190 * random.nextDouble()
        var day = 300 * random.nextDouble()
        while (day < 365) {
            events += event(id, "purchase", T0.plusSeconds((day * 86_400).toLong()), amount = level * (0.5 + random.nextDouble()))
            if (random.nextDouble() < dropout) break
            day += -ln(random.nextDouble()) / rate
        }
    }
    recordEvents(events)
    return ids
}

class LifecycleTest {
    @Test
    fun `scoring - the default configuration, replacing it, scores and their decay`() = Engine.inMemory().with("ann", "bo").use { engine ->
        val defaults = engine.scoring()
        assertEquals(30.0, defaults.halfLifeDays)
        assertEquals(EventWeight("purchase", Direction.INBOUND, 10.0), defaults.weights!!.single { it.kind == "purchase" })
        val share = 5.0
        val outboundMessage = 1.0
        engine.setScoring(
            ScoringConfig(listOf(EventWeight("Share", weight = share), EventWeight("message", Direction.OUTBOUND, outboundMessage)), 30.0),
        )
        val set = ScoringConfig(listOf(EventWeight("share", Direction.INBOUND, share), EventWeight("message", Direction.OUTBOUND, outboundMessage)), 30.0)
        assertEquals(set, engine.scoring())
        engine.recordEvents(
            listOf(event("ann", "share", T0), event("bo", "view", T0), event("bo", "message", T0, direction = Direction.OUTBOUND)),
        )
        near(share, engine.score("ann"), "ann")
        near(outboundMessage, engine.score("bo"), "bo: an unweighted view scores 0")
        engine.setClock(days(30)) // one half-life later
        near(share / 2, engine.score("ann"), "ann after a half-life")
        val table = engine.scores()
        assertEquals(listOf("ann", "bo"), table.ids)
        assertEquals(listOf("ann", "bo").map { engine.score(it) }, table.scores)
        assertEquals(1uL, engine.count("score > ${share / 4}"), "ann only: bo has half a point left")
        // A merged profile's points count for the survivor.
        engine.mergeCustomers(MergeRequest(survivor = "ann", merged = "bo", actor = "test"))
        near(table.scores.sum(), engine.score("ann"), "ann after the merge")
        near(engine.score("ann"), engine.score("bo"), "a merged id reads the survivor")
        assertEquals(listOf("ann"), engine.scores().ids)

        // Fields left null take their defaults, not the values in force.
        engine.setScoring(ScoringConfig())
        assertEquals(defaults, engine.scoring())
        engine.setScoring(ScoringConfig(halfLifeDays = 7.0))
        assertEquals(7.0, engine.scoring().halfLifeDays)
        assertEquals(defaults.weights, engine.scoring().weights)
        engine.setScoring(ScoringConfig(weights = set.weights))
        assertEquals(set, engine.scoring(), "the half-life in force (7 days) is not kept")
        engine.setScoring(engine.scoring())
        assertEquals(set, engine.scoring())
    }

    @Test
    fun `scoring errors - Validation with field, NotFound for an unknown customer`() = Engine.inMemory().with("ann").use { engine ->
        val view = EventWeight("view", weight = 1.0)
        val cases = listOf(
            ScoringConfig(halfLifeDays = 0.0) to "scoring.half_life_days",
            ScoringConfig(halfLifeDays = Double.NaN) to "scoring.half_life_days",
            ScoringConfig(listOf(view, EventWeight("share", weight = -1.0))) to "scoring.weights[1].weight",
            ScoringConfig(listOf(view, EventWeight("share", weight = Double.POSITIVE_INFINITY))) to "scoring.weights[1].weight",
            ScoringConfig(listOf(view, EventWeight("View", Direction.INBOUND, 2.0))) to "scoring.weights[1]",
            ScoringConfig(listOf(EventWeight("no way", weight = 1.0))) to "scoring.weights[0].kind",
        )
        for ((bad, field) in cases) {
            assertEquals(field, invalidField { engine.setScoring(bad) }, bad.toString())
        }
        assertEquals(30.0, engine.scoring().halfLifeDays, "a refused configuration changes nothing")
        // The same kind in the other direction is another pair.
        engine.setScoring(ScoringConfig(listOf(view, EventWeight("view", Direction.OUTBOUND, 2.0))))
        assertEquals(listOf(Direction.INBOUND, Direction.OUTBOUND), engine.scoring().weights!!.map { it.direction })
        assertThrows<ScrmException.NotFound> { engine.score("nobody") }
        Unit
    }

    @Test
    fun `rfm - scores 1 to 5 and named segments for every buyer`() = Engine.inMemory().use { engine ->
        val ids = (0 until 10).map { "b$it" }
        engine.with(*ids.toTypedArray(), "window-shopper", at = days(-100))
        engine.setClock(T0)
        // Buyer i buys i + 1 times, the last time 90 - 10 i days ago, 10 (i + 1) each time.
        val events = ids.flatMapIndexed { i, id ->
            (0..i).map { k -> event(id, "purchase", days(-90L + 9 * i + k), amount = 10.0 * (i + 1)) }
        }
        engine.recordEvents(events + event("window-shopper", "view", days(-1)))
        val rfm = engine.rfm()
        assertEquals(ids, rfm.ids, "buyers only, in creation order")
        assertEquals(ids.indices.map { (it + 1).toULong() }, rfm.frequency)
        assertEquals(ids.indices.map { 10.0 * (it + 1) * (it + 1) }, rfm.monetary)
        ids.indices.forEach { near(90.0 - 10 * it, rfm.recencyDays[it], "recency of ${ids[it]}") }
        for (column in listOf(rfm.r, rfm.f, rfm.m)) {
            assertEquals(ids.size, column.size)
            assertTrue(column.all { it in 1u..5u }, column.toString())
        }
        assertEquals(5u, rfm.r.last(), "the most recent buyer")
        assertEquals(1u, rfm.f.first(), "the least frequent buyer")
        assertEquals(RfmSegment.CHAMPIONS, rfm.segment.last())
        assertEquals(RfmSegment.LOST, rfm.segment.first())
        // The segment predicate reads the same table.
        assertEquals(rfm.segment.count { it == RfmSegment.CHAMPIONS }.toULong(), engine.count("rfm = champions"))
        assertEquals(rfm.segment.count { it == RfmSegment.LOST }.toULong(), engine.count("rfm = lost"))
    }

    @Test
    fun `ladders - built-ins are off until enabled, custom ladders, stages, history, times and moves`() =
        Engine.inMemory().with("ann", "bo", "cy").use { engine ->
            assertEquals(emptyList<LadderInfo>(), engine.ladders())
            assertThrows<ScrmException.NotFound> { engine.stage("ann", "commercial") }
            val commercial = engine.enableLadder("commercial")
            assertEquals(
                LadderInfo("commercial", listOf("prospect", "customer", "member", "fan"), commercial.rules, true, listOf(3uL, 0uL, 0uL, 0uL)),
                commercial,
            )
            assertEquals("", commercial.rules[0])
            assertEquals(4, engine.enableLadder("brand").stages.size)
            val loyalty = engine.defineLadder(
                "loyalty",
                listOf(StageInput("basic"), StageInput("silver", "tag:silver"), StageInput("gold", "tag:gold   or tag:vip")),
            )
            assertEquals(
                LadderInfo("loyalty", listOf("basic", "silver", "gold"), listOf("", "tag:silver", "tag:gold or tag:vip"), false, listOf(3uL, 0uL, 0uL)),
                loyalty,
            )
            assertEquals(listOf("commercial", "brand", "loyalty"), engine.ladders().map { it.name })

            engine.setClock(days(10))
            engine.recordEvents(listOf(event("bo", "purchase", days(10), amount = 30.0)))
            engine.tagCustomers(listOf("ann"), listOf("silver"))
            engine.setClock(days(20))
            engine.tagCustomers(listOf("ann"), listOf("gold"))
            assertEquals("customer", engine.stage("bo", "commercial"))
            assertEquals("gold", engine.stage("ann", "loyalty"))
            assertEquals("basic", engine.stage("cy", "loyalty"))
            assertEquals(1uL, engine.count("stage(loyalty) >= silver"))
            assertEquals(listOf(2uL, 0uL, 1uL), engine.ladders().single { it.name == "loyalty" }.counts)

            val history = engine.stageHistory("ann", "loyalty")
            assertEquals(listOf(StageMove("ann", "basic", "silver", days(10)), StageMove("ann", "silver", "gold", days(20))), history)
            assertEquals(emptyList<StageMove>(), engine.stageHistory("cy", "loyalty"))

            engine.setClock(days(30))
            val tenDays = DAY.multipliedBy(10).seconds.toDouble()
            assertEquals(StageTimes(listOf("basic", "silver", "gold"), listOf(tenDays, tenDays, tenDays)), engine.timeInStages("ann", "loyalty"))
            assertEquals(StageTimes(loyalty.stages, listOf(3 * tenDays, 0.0, 0.0)), engine.timeInStages("cy", "loyalty"))
            assertEquals(MovedTable(listOf("ann"), listOf(days(20))), engine.moved("loyalty", "silver", "gold", T0, days(30)))
            assertEquals(MovedTable(emptyList(), emptyList()), engine.moved("loyalty", "silver", "gold", T0, days(20)), "until is excluded")
            assertEquals(MovedTable(listOf("bo"), listOf(days(10))), engine.moved("commercial", "prospect", "customer", T0, days(30)))

            // Redefining keeps the history and, by stage name, the stages; a listed ladder defines again.
            val redefined = engine.defineLadder("loyalty", listOf(StageInput("basic", ""), StageInput("gold", "tag:gold")))
            assertEquals(listOf(2uL, 1uL), redefined.counts)
            assertEquals(history, engine.stageHistory("ann", "loyalty"))
            val again = engine.defineLadder(redefined.name, redefined.stages.zip(redefined.rules).map { (s, r) -> StageInput(s, r) })
            assertEquals(redefined, again)
            assertEquals(listOf("commercial", "brand", "loyalty"), engine.ladders().map { it.name })
        }

    @Test
    fun `ladder errors - Validation with field, NotFound, SegmentSyntax with line and column`() = Engine.inMemory().with("ann").use { engine ->
        engine.upsertCustomer(CustomerInput(id = "ann", attributes = mapOf("city" to AttributeValue.Text("Shanghai"))))
        assertThrows<ScrmException.NotFound> { engine.enableLadder("nope") }
        val a = StageInput("a")
        val b = StageInput("b", "tag:b")
        val cases = listOf(
            Triple("Bad Name", listOf(a, b), "name"),
            Triple("l", listOf(a), "stages"),
            Triple("l", listOf(StageInput("a", "tag:a"), b), "stages[0].rule"),
            Triple("l", listOf(a, StageInput("b")), "stages[1].rule"),
            Triple("l", listOf(a, b, StageInput("b", "tag:c")), "stages[2].name"),
            Triple("l", listOf(a, StageInput("b", "stage(l) >= a")), "stages[1].rule"),
        )
        for ((name, stages, field) in cases) {
            assertEquals(field, invalidField { engine.defineLadder(name, stages) }, "$name $stages")
        }
        val bad = "tag:b and\n  attr.name matches 5"
        val expected = assertThrows<ScrmException.SegmentSyntax> { formatSegment(bad) }
        assertEquals(2u, expected.line)
        val syntax = assertThrows<ScrmException.SegmentSyntax> { engine.defineLadder("l", listOf(a, StageInput("b", bad))) }
        assertEquals(expected.line to expected.column, syntax.line to syntax.column)
        assertTrue(syntax.reason.contains("stage b"), syntax.reason)
        val type = assertThrows<ScrmException.SegmentType> { engine.defineLadder("l", listOf(a, StageInput("b", "attr.city > 3"))) }
        assertEquals(1u to 1u, type.line to type.column)
        // A stage rule reading a ladder that reads it back.
        engine.defineLadder("up", listOf(a, b))
        engine.defineLadder("down", listOf(a, StageInput("b", "stage(up) >= b")))
        assertThrows<ScrmException.Conflict> { engine.defineLadder("up", listOf(a, StageInput("b", "stage(down) >= b"))) }
        assertEquals(listOf("up", "down"), engine.ladders().map { it.name }, "refused definitions define nothing")

        for (call in listOf<() -> Unit>(
            { engine.stage("ann", "nope") },
            { engine.stage("nobody", "up") },
            { engine.stageHistory("ann", "nope") },
            { engine.stageHistory("nobody", "up") },
            { engine.timeInStages("ann", "nope") },
            { engine.timeInStages("nobody", "up") },
            { engine.moved("nope", "a", "b", T0, T0) },
        )) {
            assertThrows<ScrmException.NotFound> { call() }
        }
        assertEquals("to", invalidField { engine.moved("up", "a", "gold", T0, T0) })
        assertEquals("from", invalidField { engine.moved("up", "zinc", "b", T0, T0) })
        val far = Instant.parse("3001-01-01T00:00:00Z")
        assertEquals("since", invalidField { engine.moved("up", "a", "b", far, T0) })
        assertEquals("until", invalidField { engine.moved("up", "a", "b", T0, far) })
    }

    @Test
    fun `purchase summaries count periods from the first purchase`() = Engine.inMemory().with("ann", "bo", "cy").use { engine ->
        val purchases = listOf(0L to 10.0, 10L to 20.0, 20L to 30.0)
        engine.recordEvents(purchases.map { (day, amount) -> event("ann", "purchase", days(day), amount) } + event("bo", "purchase", days(5), 7.0))
        val end = days(30)
        val summaries = engine.purchaseSummaries(end, DAY)
        assertEquals(listOf("ann", "bo"), summaries.ids, "cy never bought")
        val first = purchases.first().first
        assertEquals(listOf((purchases.size - 1).toDouble(), 0.0), summaries.frequency)
        assertEquals(listOf((purchases.last().first - first).toDouble(), 0.0), summaries.recency)
        assertEquals(listOf(30.0 - first, 30.0 - 5), summaries.t)
        assertEquals(listOf(purchases.drop(1).map { it.second }.average(), 0.0), summaries.monetary)
        // In weeks: days 0..6 are one period (periods are aligned on the Unix epoch).
        val weekly = engine.purchaseSummaries(end, Duration.ofDays(7))
        assertTrue(weekly.t.zip(summaries.t).all { (w, d) -> w <= d / 7 + 1 }, weekly.toString())
        // Purchases after the calibration end are left out.
        assertEquals(listOf("ann"), engine.purchaseSummaries(days(4), DAY).ids)

        assertEquals("calibration_end", invalidField { engine.purchaseSummaries(days(-1), DAY) })
        assertEquals("calibration_end", invalidField { engine.purchaseSummaries(Instant.parse("3001-01-01T00:00:00Z"), DAY) })
        assertEquals("period", invalidField { engine.purchaseSummaries(end, Duration.ZERO) })
        assertEquals("period", invalidField { engine.purchaseSummaries(end, Duration.ofNanos(999)) }, "below a microsecond")
        assertEquals("period", invalidField { engine.purchaseSummaries(end, Duration.ofSeconds(Long.MAX_VALUE)) })
        assertThrows<IllegalArgumentException> { engine.purchaseSummaries(end, DAY.negated()) }
        Unit
    }

    @Test
    fun `churn - the fitted model, stored in the file, the table and the predicates`(@TempDir dir: File) {
        val path = File(dir, "churn.scrm").path
        val end = days(365)
        val weights = ScoringConfig(listOf(EventWeight("purchase", weight = 1.0)), 365.0)
        val (model, table) = Engine.open(path).use { engine ->
            engine.setClock(end)
            val ids = engine.buyers(300)
            engine.setScoring(weights)
            assertNull(engine.churnModel())
            assertThrows<ScrmException.NotFound> { engine.churnTable(30.0) }
            assertThrows<ScrmException.SegmentType> { engine.count("p_alive < 0.3") }

            val options = listOf(
                ChurnOptions(discountRate = -1.0) to "options.discount_rate",
                ChurnOptions(discountRate = Double.NaN) to "options.discount_rate",
                ChurnOptions(FitOptions(maxIterations = 0u)) to "options.max_iterations",
                ChurnOptions(FitOptions(penalizer = -1.0)) to "options.penalizer",
                ChurnOptions(FitOptions(tolerance = 0.0)) to "options.tolerance",
            )
            for ((bad, field) in options) {
                assertEquals(field, invalidField { engine.fitChurnModel(end, DAY, bad) }, bad.toString())
            }
            assertEquals("period", invalidField { engine.fitChurnModel(end, Duration.ZERO) })
            assertEquals("calibration_end", invalidField { engine.fitChurnModel(T0.minus(DAY), DAY) })
            assertNull(engine.churnModel(), "refused fits keep nothing")

            val model = engine.fitChurnModel(end, DAY)
            assertEquals(engine.purchaseSummaries(end, DAY).ids.size.toULong(), model.customers)
            assertEquals(ids.size.toULong(), model.customers)
            assertEquals(DAY, model.period)
            assertEquals(end, model.calibrationEnd)
            val default = ChurnOptions(FitOptions(0.0, 500u, 1e-7), 12u, 0.01)
            assertEquals(default.clvPeriods, model.clvPeriods)
            assertEquals(default.discountRate, model.discountRate)
            assertEquals(model, engine.fitChurnModel(end, DAY, default), "ChurnOptions() is the core's default")
            assertTrue(model.parameters().all { it > 0 && it.isFinite() }, model.toString())
            assertEquals(model, engine.churnModel())

            assertEquals("periods", invalidField { engine.churnTable(-1.0) })
            assertEquals("periods", invalidField { engine.churnTable(Double.NaN) })
            val table = engine.churnTable(30.0)
            assertEquals(ids, table.ids)
            assertTrue(table.pAlive.all { it in 0.0..1.0 }, table.pAlive.toString())
            assertTrue(table.clv.all { it.isFinite() && it >= 0 }, table.clv.toString())
            val longer = engine.churnTable(60.0)
            assertEquals(table.pAlive, longer.pAlive)
            assertEquals(table.clv, longer.clv, "CLV has the model's horizon, not the table's")
            assertTrue(table.expectedPurchases.zip(longer.expectedPurchases).all { (a, b) -> a >= 0 && b >= a })
            assertTrue(engine.churnTable(0.0).expectedPurchases.all { abs(it) < 1e-9 }, "nothing is expected in no time")
            assertEquals(table.pAlive.count { it < 0.3 }.toULong(), engine.count("p_alive < 0.3"))
            assertEquals(table.clv.count { it > 100 }.toULong(), engine.count("clv > 100"))
            model to table
        }

        Engine.open(path).use { engine ->
            engine.setClock(end)
            // The core stores the model as JSON and reads its floats back to the last digit or
            // so (serde_json without float_roundtrip): equal to 12 digits, not bit for bit.
            val stored = engine.churnModel()!!
            assertEquals(model.copy(purchases = stored.purchases, spend = stored.spend), stored)
            near(model.parameters(), stored.parameters(), "the stored parameters")
            val reread = engine.churnTable(30.0)
            assertEquals(table.ids, reread.ids)
            near(table.pAlive, reread.pAlive, "p_alive")
            near(table.expectedPurchases, reread.expectedPurchases, "expected purchases")
            near(table.clv, reread.clv, "clv")
            assertEquals(ScoringConfig(listOf(EventWeight("purchase", Direction.INBOUND, 1.0)), 365.0), engine.scoring(), "the scoring is stored too")
            val weekly = Duration.ofDays(7)
            val refit = engine.fitChurnModel(end, weekly, ChurnOptions(FitOptions(0.001, 1000u, 1e-6), clvPeriods = 6u, discountRate = 0.0))
            assertEquals(weekly, refit.period)
            assertEquals(6u, refit.clvPeriods)
            assertEquals(0.0, refit.discountRate)
            assertNotEquals(model.purchases, refit.purchases, "weekly periods change the rates")
            assertEquals(refit, engine.churnModel())
        }
    }

    @Test
    fun `measures - funnel, activity rate, entries per month and cohort retention`() = Engine.inMemory().with("ann", "bo", "cy").use { engine ->
        engine.enableLadder("commercial")
        engine.recordEvents(listOf(event("ann", "purchase", T0), event("bo", "purchase", T0)))
        val joined = days(40)
        engine.setClock(joined)
        engine.upsertCustomer(CustomerInput(id = "ann", attributes = mapOf("member" to AttributeValue.Bool(true))))
        val seen = days(35)
        engine.recordEvent(event("ann", "view", seen))

        assertEquals(
            Funnel(
                stages = listOf("prospect", "customer", "member", "fan"),
                customers = listOf(1uL, 1uL, 1uL, 0uL),
                reached = listOf(3uL, 2uL, 1uL, 0uL),
                entered = listOf(0uL, 2uL, 1uL, 0uL),
                conversion = listOf(2.0 / 3, 0.5, 0.0),
            ),
            engine.funnel("commercial", T0, days(41)),
        )
        val early = engine.funnel("commercial", T0, days(1))
        assertEquals(listOf(1uL, 2uL, 0uL, 0uL), early.customers, "ann became a member after the period")
        assertEquals(listOf(0uL, 2uL, 0uL, 0uL), early.entered)
        assertEquals(ActivityRate(2uL, 1uL, 0.5), engine.activityRate("stage(commercial) >= customer", 7u))
        assertEquals(ActivityRate(2uL, 2uL, 1.0), engine.activityRate("stage(commercial) >= customer", 41u))
        assertEquals(ActivityRate(0uL, 0uL, 0.0), engine.activityRate("tag:nobody", 7u))
        assertEquals(MonthlyCounts(listOf(month(joined)), listOf(1uL)), engine.entriesPerMonth("commercial", "member"))
        assertEquals(MonthlyCounts(listOf(month(T0)), listOf(2uL)), engine.entriesPerMonth("commercial", "customer"))
        assertEquals(MonthlyCounts(emptyList(), emptyList()), engine.entriesPerMonth("commercial", "fan"))

        val cohorts = engine.cohortRetention(2u)
        assertEquals(listOf(month(T0)), cohorts.cohorts)
        assertEquals(listOf(2uL), cohorts.sizes, "cy has no inbound event")
        assertEquals(3, cohorts.retention.size)
        assertEquals(listOf(1.0), cohorts.retention[0])
        assertEquals(month(T0.atOffset(ZoneOffset.UTC).plusMonths(1).toInstant()), month(seen), "ann's view is a month later")
        assertEquals(listOf(0.5), cohorts.retention[1])
        assertTrue(cohorts.retention[2].single().isNaN(), "the month after next is after the clock")
        assertEquals(1, engine.cohortRetention(0u).retention.size)

        assertThrows<ScrmException.NotFound> { engine.funnel("nope", T0, days(1)) }
        assertEquals("since", invalidField { engine.funnel("commercial", Instant.parse("1800-01-01T00:00:00Z"), days(1)) })
        assertEquals("days", invalidField { engine.activityRate("tag:x", 0u) })
        assertEquals(1u, assertThrows<ScrmException.SegmentSyntax> { engine.activityRate("tag:", 7u) }.line)
        assertThrows<ScrmException.SegmentType> { engine.activityRate("attr.member > 3", 7u) }
        assertEquals("stage", invalidField { engine.entriesPerMonth("commercial", "gold") })
        assertThrows<ScrmException.NotFound> { engine.entriesPerMonth("nope", "gold") }
        assertEquals("months", invalidField { engine.cohortRetention(241u) })
        assertEquals(241, engine.cohortRetention(240u).retention.size)
    }
}
