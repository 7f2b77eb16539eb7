// Lifecycle scoring: engagement scores and RFM, stage ladders (built-in and custom, stages,
// history, time per stage, moves), the churn model, the lifecycle measures, their errors and
// Promises in flight together.

import assert from 'node:assert/strict'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'

import { Engine, formatSegment } from '../index.js'

const T0 = new Date('2026-01-01T00:00:00Z')
const DAY = 86_400_000
const later = (days) => new Date(T0.getTime() + days * DAY)
const event = (customer, kind, at, extra = {}) => ({ customer, kind, channel: 'wechat', at, ...extra })
const near = (a, b) => Math.abs(a - b) < 1e-9

/** An engine with its clock at `at` and the given customers created then. */
async function engine(ids, at = T0) {
  const e = new Engine()
  e.setClock(at)
  await e.upsertCustomers(ids.map((id) => ({ id })))
  return e
}

test('scoring: the default configuration, replacing it, scores and their decay', async () => {
  const e = await engine(['ann', 'bo'])
  const defaults = e.scoring()
  assert.equal(defaults.halfLifeDays, 30)
  assert.deepEqual(defaults.weights.find((w) => w.kind === 'purchase'), { kind: 'purchase', direction: 'inbound', weight: 10 })
  await e.setScoring({ weights: [{ kind: 'Share', weight: 5 }, { kind: 'message', direction: 'outbound', weight: 1 }], halfLifeDays: 30 })
  assert.deepEqual(e.scoring(), {
    weights: [
      { kind: 'share', direction: 'inbound', weight: 5 },
      { kind: 'message', direction: 'outbound', weight: 1 },
    ],
    halfLifeDays: 30,
  })
  await e.recordEvents([event('ann', 'share', T0), event('bo', 'view', T0), event('bo', 'message', T0, { direction: 'outbound' })])
  assert.ok(near(e.score('ann'), 5))
  assert.ok(near(e.score('bo'), 1))
  e.setClock(later(30)) // one half-life later
  assert.ok(near(e.score('ann'), 2.5))
  const table = await e.scores()
  assert.deepEqual(table.ids, ['ann', 'bo'])
  assert.ok(near(table.scores[0], 2.5) && near(table.scores[1], 0.5))
  assert.equal(await e.count('score > 2'), 1)
  // Fields left out take their defaults, not the values in force.
  await e.setScoring({})
  assert.deepEqual(e.scoring(), defaults)
  await e.setScoring({ halfLifeDays: 7 })
  assert.equal(e.scoring().halfLifeDays, 7)
  assert.deepEqual(e.scoring().weights, defaults.weights)
})

test('scoring errors: VALIDATION with field, NOT_FOUND for an unknown customer', async () => {
  const e = await engine(['ann'])
  await assert.rejects(e.setScoring({ halfLifeDays: 0 }), { code: 'VALIDATION', field: 'scoring.half_life_days' })
  await assert.rejects(e.setScoring({ weights: [{ kind: 'view', weight: 1 }, { kind: 'share', weight: -1 }] }), {
    code: 'VALIDATION',
    field: 'scoring.weights[1].weight',
  })
  assert.throws(() => e.score('nobody'), { code: 'NOT_FOUND' })
  assert.throws(() => e.setScoring({ weights: [{ kind: 'view', direction: 'sideways', weight: 1 }] }), { code: 'InvalidArg' })
  assert.equal(e.scoring().halfLifeDays, 30, 'a refused configuration changes nothing')
})

test('rfm: scores 1..5 and named segments for every buyer', async () => {
  const ids = Array.from({ length: 10 }, (_, i) => `b${i}`)
  const e = await engine([...ids, 'window-shopper'], later(-100))
  e.setClock(later(0))
  const events = []
  ids.forEach((id, i) => {
    for (let k = 0; k <= i; k++) events.push(event(id, 'purchase', later(-90 + 9 * i + k), { amount: 10 * (i + 1) }))
  })
  events.push(event('window-shopper', 'view', later(-1)))
  await e.recordEvents(events)
  const rfm = await e.rfm()
  assert.deepEqual(rfm.ids, ids)
  assert.deepEqual(rfm.frequency, ids.map((_, i) => i + 1))
  assert.deepEqual(rfm.monetary, ids.map((_, i) => 10 * (i + 1) * (i + 1)))
  assert.ok(near(rfm.recencyDays[9], 90 - 81 - 9))
  for (const column of [rfm.r, rfm.f, rfm.m]) assert.ok(column.every((s) => Number.isInteger(s) && s >= 1 && s <= 5))
  assert.equal(rfm.r[9], 5)
  assert.equal(rfm.f[0], 1)
  const names = ['champions', 'loyal', 'potential_loyalists', 'new', 'at_risk', 'cannot_lose', 'hibernating', 'lost']
  assert.ok(rfm.segment.every((s) => names.includes(s)))
  assert.equal(rfm.segment[9], 'champions')
  assert.equal(rfm.segment[0], 'lost')
})

test('ladders: built-ins are off until enabled, custom ladders, stages, history, times and moves', async () => {
  const e = await engine(['ann', 'bo', 'cy'])
  assert.deepEqual(e.ladders(), [])
  assert.throws(() => e.stage('ann', 'commercial'), { code: 'NOT_FOUND' })
  const commercial = await e.enableLadder('commercial')
  assert.deepEqual(commercial, {
    name: 'commercial',
    stages: ['prospect', 'customer', 'member', 'fan'],
    rules: commercial.rules,
    builtIn: true,
    counts: [3, 0, 0, 0],
  })
  assert.equal(commercial.rules[0], '')
  assert.equal((await e.enableLadder('brand')).stages.length, 4)
  const loyalty = await e.defineLadder('loyalty', [{ name: 'basic' }, { name: 'silver', rule: 'tag:silver' }, { name: 'gold', rule: 'tag:gold   or tag:vip' }])
  assert.deepEqual(loyalty, {
    name: 'loyalty',
    stages: ['basic', 'silver', 'gold'],
    rules: ['', 'tag:silver', 'tag:gold or tag:vip'],
    builtIn: false,
    counts: [3, 0, 0],
  })
  assert.deepEqual(e.ladders().map((l) => l.name), ['commercial', 'brand', 'loyalty'])

  e.setClock(later(10))
  await e.recordEvents([event('bo', 'purchase', later(10), { amount: 30 })])
  e.tagCustomers(['ann'], ['silver'])
  e.setClock(later(20))
  e.tagCustomers(['ann'], ['gold'])
  assert.equal(e.stage('bo', 'commercial'), 'customer')
  assert.equal(e.stage('ann', 'loyalty'), 'gold')
  assert.equal(e.stage('cy', 'loyalty'), 'basic')
  assert.equal(await e.count('stage(loyalty) >= silver'), 1)
  assert.deepEqual(e.ladders().find((l) => l.name === 'loyalty').counts, [2, 0, 1])

  const history = e.stageHistory('ann', 'loyalty')
  assert.deepEqual(history, [
    { customer: 'ann', from: 'basic', to: 'silver', at: later(10) },
    { customer: 'ann', from: 'silver', to: 'gold', at: later(20) },
  ])
  assert.ok(history[0].at instanceof Date)
  assert.deepEqual(e.stageHistory('cy', 'loyalty'), [])

  e.setClock(later(30))
  assert.deepEqual(e.timeInStages('ann', 'loyalty'), { stages: ['basic', 'silver', 'gold'], seconds: [10 * 86400, 10 * 86400, 10 * 86400] })
  assert.deepEqual(e.moved('loyalty', 'silver', 'gold', T0, later(30)), { ids: ['ann'], at: [later(20)] })
  assert.deepEqual(e.moved('loyalty', 'silver', 'gold', '2026-01-01T00:00:00Z', later(20)), { ids: [], at: [] })
  assert.deepEqual(e.moved('commercial', 'prospect', 'customer', T0, later(30)), { ids: ['bo'], at: [later(10)] })

  // Redefining keeps the history and, by stage name, the stages.
  const redefined = await e.defineLadder('loyalty', [{ name: 'basic', rule: '' }, { name: 'gold', rule: 'tag:gold' }])
  assert.deepEqual(redefined.counts, [2, 1])
  assert.equal(e.stageHistory('ann', 'loyalty').length, 2)
})

test('ladder errors: VALIDATION with field, NOT_FOUND, SEGMENT_SYNTAX with line and column', async () => {
  const e = await engine(['ann'])
  e.upsertCustomer({ id: 'ann', attributes: { city: 'Shanghai' } })
  await assert.rejects(e.enableLadder('nope'), { code: 'NOT_FOUND' })
  await assert.rejects(e.defineLadder('Bad Name', [{ name: 'a' }, { name: 'b', rule: 'tag:b' }]), { code: 'VALIDATION', field: 'name' })
  await assert.rejects(e.defineLadder('l', [{ name: 'a' }]), { code: 'VALIDATION', field: 'stages' })
  await assert.rejects(e.defineLadder('l', [{ name: 'a', rule: 'tag:a' }, { name: 'b', rule: 'tag:b' }]), { code: 'VALIDATION', field: 'stages[0].rule' })
  await assert.rejects(e.defineLadder('l', [{ name: 'a' }, { name: 'b' }]), { code: 'VALIDATION', field: 'stages[1].rule' })
  await assert.rejects(e.defineLadder('l', [{ name: 'a' }, { name: 'b', rule: 'tag:b' }, { name: 'b', rule: 'tag:c' }]), {
    code: 'VALIDATION',
    field: 'stages[2].name',
  })
  await assert.rejects(e.defineLadder('l', [{ name: 'a' }, { name: 'b', rule: 'stage(l) >= a' }]), { code: 'VALIDATION', field: 'stages[1].rule' })
  const bad = 'tag:b and\n  attr.name matches 5'
  const expected = (() => {
    try {
      formatSegment(bad)
    } catch (error) {
      return error
    }
  })()
  assert.equal(expected.line, 2)
  await assert.rejects(e.defineLadder('l', [{ name: 'a' }, { name: 'b', rule: bad }]), (error) => {
    assert.equal(error.code, 'SEGMENT_SYNTAX')
    assert.equal(error.line, expected.line)
    assert.equal(error.column, expected.column)
    assert.match(error.message, /stage b/)
    return true
  })
  await assert.rejects(e.defineLadder('l', [{ name: 'a' }, { name: 'b', rule: 'attr.city > 3' }]), { code: 'SEGMENT_TYPE', line: 1, column: 1 })
  assert.deepEqual(e.ladders(), [], 'refused definitions define nothing')

  await e.defineLadder('l', [{ name: 'a' }, { name: 'b', rule: 'tag:b' }])
  assert.throws(() => e.stage('ann', 'nope'), { code: 'NOT_FOUND' })
  assert.throws(() => e.stage('nobody', 'l'), { code: 'NOT_FOUND' })
  assert.throws(() => e.stageHistory('ann', 'nope'), { code: 'NOT_FOUND' })
  assert.throws(() => e.timeInStages('ann', 'nope'), { code: 'NOT_FOUND' })
  assert.throws(() => e.moved('nope', 'a', 'b', T0, T0), { code: 'NOT_FOUND' })
  assert.throws(() => e.moved('l', 'a', 'gold', T0, T0), { code: 'VALIDATION', field: 'to' })
  assert.throws(() => e.moved('l', 'zinc', 'b', T0, T0), { code: 'VALIDATION', field: 'from' })
  assert.throws(() => e.moved('l', 'a', 'b', 'yesterday', T0), { code: 'VALIDATION', field: 'since' })
  assert.throws(() => e.moved('l', 'a', 'b', T0, new Date(NaN)), { code: 'VALIDATION', field: 'until' })
})

/** Buyers who purchase as a Poisson process until they drop out, as BG/NBD assumes. */
async function buyers(e, n) {
  const ids = Array.from({ length: n }, (_, i) => `p${i}`)
  await e.upsertCustomers(ids.map((id) => ({ id })))
  let seed = 12345n
  const uniform = () => {
    seed = (seed * 6364136223846793005n + 1442695040888963407n) & 0xffffffffffffffffn
    return (Number(seed >> 11n) + 0.5) / 2 ** 53
  }
  const events = []
  for (const id of ids) {
    const rate = 0.01 + 0.1 * uniform() * uniform()
    const dropout = 0.05 + 0.4 * uniform()
    const level = 10 + 190 * uniform()
    let day = 300 * uniform()
    while (day < 365) {
      const at = new Date(T0.getTime() + Math.floor(day * 1440) * 60_000)
      events.push(event(id, 'purchase', at, { amount: level * (0.5 + uniform()) }))
      if (uniform() < dropout) break
      day += -Math.log(uniform()) / rate
    }
  }
  await e.recordEvents(events)
}

test('churn: summaries, the fitted model (stored in the file), the table and the predicates', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'scrm-churn-')), 'crm.scrm')
  const end = later(365)
  let e = new Engine({ path })
  e.setClock(end)
  await buyers(e, 300)
  assert.equal(e.churnModel(), null)
  await assert.rejects(e.churnTable(30), { code: 'NOT_FOUND' })
  await assert.rejects(e.count('p_alive < 0.3'), { code: 'SEGMENT_TYPE' })
  await assert.rejects(e.purchaseSummaries(later(-1), 1), { code: 'VALIDATION', field: 'calibration_end' })
  await assert.rejects(e.purchaseSummaries(end, 0), { code: 'VALIDATION', field: 'period' })
  await assert.rejects(e.purchaseSummaries(end, Number.POSITIVE_INFINITY), { code: 'VALIDATION', field: 'period' })
  await assert.rejects(e.purchaseSummaries('not a time', 1), { code: 'VALIDATION', field: 'calibration_end' })

  const summaries = await e.purchaseSummaries(end, 1)
  assert.equal(summaries.ids.length, 300)
  assert.ok(summaries.t.every((t) => t <= 365))
  const weekly = await e.purchaseSummaries(end, 7)
  assert.ok(weekly.t.every((t) => t <= 365 / 7 + 1e-9))

  await assert.rejects(e.fitChurnModel(end, 1, { discountRate: -1 }), { code: 'VALIDATION', field: 'options.discount_rate' })
  await assert.rejects(e.fitChurnModel(end, 1, { fit: { maxIterations: 0 } }), { code: 'VALIDATION', field: 'options.max_iterations' })
  await assert.rejects(e.fitChurnModel(end, 1, { fit: { penalizer: -1 } }), { code: 'VALIDATION', field: 'options.penalizer' })
  await assert.rejects(e.fitChurnModel(end, 1, { clvPeriods: 1.5 }), { code: 'VALIDATION', field: 'options.clv_periods' })
  assert.equal(e.churnModel(), null)

  const model = await e.fitChurnModel(end, 1)
  assert.equal(model.customers, 300)
  assert.equal(model.periodDays, 1)
  assert.equal(model.clvPeriods, 12)
  assert.equal(model.discountRate, 0.01)
  assert.deepEqual(model.calibrationEnd, end)
  for (const p of [model.purchases.r, model.purchases.alpha, model.purchases.a, model.purchases.b, model.spend.p, model.spend.q, model.spend.v]) {
    assert.ok(p > 0 && Number.isFinite(p))
  }
  assert.deepEqual(e.churnModel(), model)
  await assert.rejects(e.churnTable(-1), { code: 'VALIDATION', field: 'periods' })
  const table = await e.churnTable(30)
  assert.equal(table.ids.length, 300)
  assert.ok(table.pAlive.every((p) => p >= 0 && p <= 1))
  assert.ok(table.expectedPurchases.every((x) => x >= 0))
  assert.ok(table.clv.every((c) => Number.isFinite(c) && c >= 0))
  assert.equal(await e.count('p_alive < 0.3'), table.pAlive.filter((p) => p < 0.3).length)
  assert.equal(await e.count('clv > 100'), table.clv.filter((c) => c > 100).length)

  e.close()
  e = await Engine.open({ path })
  e.setClock(end)
  assert.deepEqual(e.churnModel(), model)
  assert.deepEqual(await e.churnTable(30), table)
  const refit = await e.fitChurnModel(end, 7, { fit: { penalizer: 0.001, tolerance: 1e-6, maxIterations: 1000 }, clvPeriods: 6, discountRate: 0 })
  assert.equal(refit.periodDays, 7)
  assert.equal(refit.clvPeriods, 6)
  e.close()
})

test('measures: funnel, activity rate, entries per month and cohort retention', async () => {
  const e = await engine(['ann', 'bo', 'cy'])
  await e.enableLadder('commercial')
  await e.recordEvents([event('ann', 'purchase', T0), event('bo', 'purchase', T0)])
  e.setClock(later(40))
  e.upsertCustomer({ id: 'ann', attributes: { member: true } })
  e.recordEvent(event('ann', 'view', later(35)))

  assert.deepEqual(await e.funnel('commercial', T0, later(41)), {
    stages: ['prospect', 'customer', 'member', 'fan'],
    customers: [1, 1, 1, 0],
    reached: [3, 2, 1, 0],
    entered: [0, 2, 1, 0],
    conversion: [2 / 3, 0.5, 0],
  })
  assert.deepEqual((await e.funnel('commercial', '2026-01-01T00:00:00Z', later(1))).customers, [1, 2, 0, 0])
  assert.deepEqual(await e.activityRate('stage >= customer', 7), { members: 2, active: 1, rate: 0.5 })
  assert.deepEqual(await e.activityRate('tag:nobody', 7), { members: 0, active: 0, rate: 0 })
  assert.deepEqual(e.entriesPerMonth('commercial', 'member'), { months: ['2026-02'], counts: [1] })
  assert.deepEqual(e.entriesPerMonth('commercial', 'customer'), { months: ['2026-01'], counts: [2] })
  const cohorts = await e.cohortRetention(2)
  assert.deepEqual(cohorts.cohorts, ['2026-01'])
  assert.deepEqual(cohorts.sizes, [2])
  assert.deepEqual(cohorts.retention.slice(0, 2), [[1], [0.5]])
  assert.ok(Number.isNaN(cohorts.retention[2][0]), 'March is after the clock')

  await assert.rejects(e.funnel('nope', T0, later(1)), { code: 'NOT_FOUND' })
  await assert.rejects(e.funnel('commercial', 'soon', later(1)), { code: 'VALIDATION', field: 'since' })
  await assert.rejects(e.activityRate('tag:x', 0), { code: 'VALIDATION', field: 'days' })
  await assert.rejects(e.activityRate('tag:x', 1.5), { code: 'VALIDATION', field: 'days' })
  await assert.rejects(e.activityRate('tag:', 7), { code: 'SEGMENT_SYNTAX', line: 1 })
  assert.throws(() => e.entriesPerMonth('commercial', 'gold'), { code: 'VALIDATION', field: 'stage' })
  assert.throws(() => e.entriesPerMonth('nope', 'gold'), { code: 'NOT_FOUND' })
  await assert.rejects(e.cohortRetention(241), { code: 'VALIDATION', field: 'months' })
  await assert.rejects(e.cohortRetention(-1), { code: 'VALIDATION', field: 'months' })
})

test('Promises in flight together agree with the same calls one by one', async () => {
  const e = new Engine()
  const end = later(365)
  e.setClock(end)
  await buyers(e, 200)
  await Promise.all([e.enableLadder('commercial'), e.enableLadder('brand')])
  await e.fitChurnModel(end, 1)
  const calls = () => [
    e.scores(),
    e.rfm(),
    e.churnTable(30),
    e.purchaseSummaries(end, 1),
    e.funnel('commercial', T0, later(366)),
    e.activityRate('stage(commercial) >= customer', 30),
    e.cohortRetention(12),
  ]
  const together = await Promise.all(calls())
  const alone = []
  for (const call of calls()) alone.push(await call)
  assert.deepEqual(together, alone)
  assert.equal(together[0].ids.length, 200)
  assert.equal(together[4].reached[0], 200)

  // Writes in flight with reads: the scoring change and a new ladder both land.
  const [, ladder, scores] = await Promise.all([
    e.setScoring({ weights: [{ kind: 'purchase', weight: 1 }], halfLifeDays: 365 }),
    e.defineLadder('repeat', [{ name: 'once' }, { name: 'twice', rule: 'events(purchase) >= 2' }]),
    e.scores(),
  ])
  assert.equal(ladder.counts.reduce((a, b) => a + b), 200)
  assert.equal(scores.ids.length, 200)
  assert.equal(e.scoring().halfLifeDays, 365)
  const settled = await Promise.allSettled([e.enableLadder('nope'), e.funnel('repeat', T0, end), e.setScoring({ halfLifeDays: -1 })])
  assert.deepEqual(settled.map((s) => s.status), ['rejected', 'fulfilled', 'rejected'])
  assert.equal(settled[0].reason.code, 'NOT_FOUND')
  assert.equal(settled[2].reason.field, 'scoring.half_life_days')
})

test('a closed engine: sync calls throw STORE, Promise calls reject with it', async () => {
  const e = await engine(['ann'])
  e.close()
  assert.throws(() => e.scoring(), { code: 'STORE' })
  assert.throws(() => e.ladders(), { code: 'STORE' })
  assert.throws(() => e.stage('ann', 'commercial'), { code: 'STORE' })
  assert.throws(() => e.churnModel(), { code: 'STORE' })
  await assert.rejects(e.scores(), { code: 'STORE' })
  await assert.rejects(e.enableLadder('brand'), { code: 'STORE' })
  await assert.rejects(e.fitChurnModel(T0, 1), { code: 'STORE' })
})
