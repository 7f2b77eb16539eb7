// The lifecycle models as functions through the Kotlin API: fitBgnbd, fitGammaGamma,
// predict, expectedPurchasesNew and simulate, and their errors, mirroring
// bindings/node/__test__/models.test.mjs.
package dev.scrm

import kotlin.math.abs
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNotEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

private val PURCHASES = BgNbd(r = 0.243, alpha = 4.414, a = 0.793, b = 2.426)
private val SPEND = GammaGamma(p = 6.25, q = 3.74, v = 15.45)

private fun near(truth: Double, x: Double, rel: Double, what: String) =
    assertTrue(abs(x - truth) <= rel * truth, "$what: expected about $truth, got $x")

private fun field(call: () -> Unit): String = assertThrows<ScrmException.Validation> { call() }.field

class ModelsTest {
    @Test
    fun `simulated customers give back their parameters`() {
        val summaries = simulate(PURCHASES, 20_000u, 40.0, spend = SPEND, seed = 7uL)
        assertEquals(20_000, summaries.frequency.size)
        assertEquals(summaries, simulate(PURCHASES, 20_000u, 40.0, spend = SPEND, seed = 7uL))
        assertNotEquals(summaries.frequency.take(50), simulate(PURCHASES, 50u, 40.0, seed = 8uL).frequency)
        val fit = fitBgnbd(summaries)
        assertTrue(fit.iterations > 0u)
        assertEquals(20_000uL, fit.logLikelihood.customers)
        near(PURCHASES.r, fit.model.r, 0.25, "r")
        near(PURCHASES.alpha, fit.model.alpha, 0.25, "alpha")
        near(PURCHASES.a, fit.model.a, 0.25, "a")
        near(PURCHASES.b, fit.model.b, 0.25, "b")
        near(SPEND.p, fitGammaGamma(summaries, FitOptions(maxIterations = 1000u)).model.p, 0.35, "p")
    }

    @Test
    fun `predict is one item per summary and longer horizons expect more`() {
        val summaries = Summaries(listOf(0.0, 2.0, 6.0), listOf(0.0, 10.0, 35.0), listOf(40.0, 40.0, 40.0), listOf(0.0, 25.0, 40.0))
        val out = predict(PURCHASES, SPEND, summaries, PredictOptions(periods = 10.0, clvPeriods = 12u, discountRate = 0.01))
        assertEquals(3, out.pAlive.size)
        assertEquals(1.0, out.pAlive[0])
        assertTrue(out.clv[2] > out.clv[1] && out.clv[1] > 0.0)
        val longer = predict(PURCHASES, SPEND, summaries, PredictOptions(periods = 20.0))
        longer.expectedPurchases.zip(out.expectedPurchases).forEach { (l, s) -> assertTrue(l > s) }
        assertTrue(expectedPurchasesNew(PURCHASES, 10.0) > 0.0)
    }

    @Test
    fun `bad models and summaries name the field`() {
        val one = Summaries(listOf(1.0), listOf(1.0), listOf(2.0), listOf(0.0))
        assertEquals("summaries[0].recency", field { fitBgnbd(one.copy(recency = listOf(-1.0))) })
        assertEquals("summaries", field { fitBgnbd(Summaries(listOf(), listOf(), listOf(), listOf())) })
        assertEquals("summaries.t", field { fitBgnbd(one.copy(t = listOf())) })
        assertEquals("options.max_iterations", field { fitBgnbd(one, FitOptions(maxIterations = 0u)) })
        assertEquals("r", field { predict(PURCHASES.copy(r = 0.0), SPEND, one) })
        assertEquals("periods", field { predict(PURCHASES, SPEND, one, PredictOptions(periods = -1.0)) })
        assertEquals("discount_rate", field { predict(PURCHASES, SPEND, one, PredictOptions(discountRate = -1.0)) })
        assertEquals("t_cal", field { simulate(PURCHASES, 10u, 0.0) })
        assertEquals("alpha", field { expectedPurchasesNew(PURCHASES.copy(alpha = -1.0), 1.0) })
    }
}
