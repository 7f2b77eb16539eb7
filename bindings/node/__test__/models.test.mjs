// The lifecycle models as module functions: fitBgnbd, fitGammaGamma, predict,
// expectedPurchasesNew and simulate, on simulated customers and on an engine's summaries.

import assert from 'node:assert/strict'
import { test } from 'node:test'

import { Engine, expectedPurchasesNew, fitBgnbd, fitGammaGamma, predict, simulate } from '../index.js'

const PURCHASES = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 }
const SPEND = { p: 6.25, q: 3.74, v: 15.45 }
const near = (x, truth, rel) => Math.abs(x - truth) <= rel * truth

test('simulated customers give back their parameters', async () => {
  const summaries = await simulate(PURCHASES, 20_000, 40, { spend: SPEND, seed: 7 })
  assert.equal(summaries.frequency.length, 20_000)
  assert.deepEqual(await simulate(PURCHASES, 20_000, 40, { spend: SPEND, seed: 7 }), summaries)
  assert.notDeepEqual((await simulate(PURCHASES, 50, 40, { seed: 8 })).frequency, summaries.frequency.slice(0, 50))
  const fit = await fitBgnbd(summaries)
  assert.ok(fit.iterations > 0)
  assert.equal(fit.logLikelihood.customers, 20_000)
  for (const [name, truth] of Object.entries(PURCHASES)) assert.ok(near(fit.model[name], truth, 0.25), name)
  const spend = await fitGammaGamma(summaries, { maxIterations: 1000 })
  assert.ok(near(spend.model.p, SPEND.p, 0.35))
})

test('predict is one item per summary; longer horizons expect more purchases', async () => {
  const summaries = { frequency: [0, 2, 6], recency: [0, 10, 35], t: [40, 40, 40], monetary: [0, 25, 40] }
  const out = await predict(PURCHASES, SPEND, summaries, { periods: 10, clvPeriods: 12, discountRate: 0.01 })
  assert.deepEqual(Object.keys(out), ['pAlive', 'expectedPurchases', 'expectedAverageValue', 'clv'])
  assert.equal(out.pAlive.length, 3)
  assert.equal(out.pAlive[0], 1)
  assert.ok(out.clv[2] > out.clv[1] && out.clv[1] > 0)
  const longer = await predict(PURCHASES, SPEND, summaries, { periods: 20 })
  longer.expectedPurchases.forEach((x, i) => assert.ok(x > out.expectedPurchases[i]))
  const noMoney = await predict(PURCHASES, SPEND, { frequency: [1], recency: [3], t: [9] })
  assert.equal(noMoney.clv.length, 1)
  assert.ok(expectedPurchasesNew(PURCHASES, 10) > 0)
})

test("an engine's purchase summaries feed the fit as they are", async () => {
  const e = new Engine()
  const t0 = Date.UTC(2026, 0, 1)
  const drawn = await simulate(PURCHASES, 300, 60, { seed: 3 })
  const events = []
  drawn.frequency.forEach((f, i) => {
    e.upsertCustomer({ id: `c${i}`, at: new Date(t0) })
    const days = new Set([0])
    for (let k = 1; k <= f; k++) days.add(Math.round((drawn.recency[i] * k) / f))
    for (const d of days) {
      events.push({ customer: `c${i}`, kind: 'purchase', channel: 'app', at: new Date(t0 + d * 86_400_000), amount: 5 + ((i * 7 + d) % 23) })
    }
  })
  await e.recordEvents(events)
  const table = await e.purchaseSummaries(new Date(t0 + 60 * 86_400_000), 1)
  const fit = await fitBgnbd(table)
  assert.equal(fit.logLikelihood.customers, table.ids.length)
})

test('bad models and summaries name the field', async () => {
  const one = { frequency: [1], recency: [1], t: [2] }
  await assert.rejects(fitBgnbd({ frequency: [1], recency: [-1], t: [4] }), { code: 'VALIDATION', field: 'summaries[0].recency' })
  await assert.rejects(fitBgnbd({ frequency: [], recency: [], t: [] }), { code: 'VALIDATION', field: 'summaries' })
  await assert.rejects(fitBgnbd({ frequency: [1, 2], recency: [1], t: [2, 3] }), { code: 'VALIDATION', field: 'summaries.recency' })
  await assert.rejects(fitBgnbd(one, { maxIterations: 0 }), { code: 'VALIDATION', field: 'options.max_iterations' })
  await assert.rejects(predict({ ...PURCHASES, r: 0 }, SPEND, one), { code: 'VALIDATION', field: 'r' })
  await assert.rejects(predict(PURCHASES, SPEND, one, { periods: -1 }), { code: 'VALIDATION', field: 'periods' })
  await assert.rejects(predict(PURCHASES, SPEND, one, { discountRate: -1 }), { code: 'VALIDATION', field: 'discount_rate' })
  await assert.rejects(simulate(PURCHASES, 10, 0), { code: 'VALIDATION', field: 't_cal' })
  await assert.rejects(simulate(PURCHASES, 1.5, 10), { code: 'VALIDATION', field: 'customers' })
  await assert.rejects(simulate(PURCHASES, 10, 10, { seed: -1 }), { code: 'VALIDATION', field: 'options.seed' })
  assert.throws(() => expectedPurchasesNew({ ...PURCHASES, alpha: -1 }, 1), { code: 'VALIDATION', field: 'alpha' })
  assert.throws(() => predict(PURCHASES, SPEND, { frequency: 'x', recency: [], t: [] }), { message: /frequency/ })
})
