// Segment queries, explain, saved segments with their changes, tag rules and the clock.

import assert from 'node:assert/strict'
import { test } from 'node:test'

import { Engine, formatSegment } from '../index.js'

async function engine() {
  const e = new Engine()
  e.setClock('2026-06-30T00:00:00Z')
  await e.upsertCustomers([
    { id: 'ann', at: '2026-01-01T00:00:00Z', attributes: { city: 'Shanghai', age: 34 } },
    { id: 'bo', at: '2026-01-01T00:00:00Z', attributes: { city: 'Beijing', age: 41 } },
    { id: 'cai', at: '2026-01-01T00:00:00Z', attributes: { city: 'Chengdu', age: 29 } },
  ])
  await e.recordEvents([
    { customer: 'ann', kind: 'purchase', channel: 'wechat', at: '2026-06-20T00:00:00Z', amount: 300 },
    { customer: 'bo', kind: 'purchase', channel: 'store', at: '2026-03-01T00:00:00Z', amount: 900 },
  ])
  return e
}

test('now and setClock', () => {
  const e = new Engine()
  e.setClock(new Date('2026-11-11T00:00:00Z'))
  assert.ok(e.now() instanceof Date)
  assert.equal(e.now().toISOString(), '2026-11-11T00:00:00.000Z')
  e.setClock('2026-11-12T00:00:00.123456Z')
  assert.equal(e.now().toISOString(), '2026-11-12T00:00:00.123Z')
  e.setClock()
  assert.ok(Math.abs(e.now().getTime() - Date.now()) < 5000)
  e.setClock('2026-11-11T00:00:00Z')
  e.setClock(null)
  assert.ok(Math.abs(e.now().getTime() - Date.now()) < 5000)
})

test('count and query are Promises; query pages without caps', async () => {
  const e = await engine()
  const counted = e.count('attr.age >= 30')
  assert.ok(counted instanceof Promise)
  assert.equal(await counted, 2)
  assert.deepEqual(await e.query('attr.age > 0'), { total: 3, ids: ['ann', 'bo', 'cai'] })
  assert.deepEqual(await e.query('attr.age > 0', 1), { total: 3, ids: ['bo', 'cai'] })
  assert.deepEqual(await e.query('attr.age > 0', 1, 1), { total: 3, ids: ['bo'] })
  assert.deepEqual(await e.query('attr.age > 0', 0, null), { total: 3, ids: ['ann', 'bo', 'cai'] })
  assert.deepEqual(await e.query('attr.age > 0', 10), { total: 3, ids: [] })
  assert.deepEqual(await e.query('events(purchase, 30d) >= 1'), { total: 1, ids: ['ann'] })
})

test('explain shows each step', async () => {
  const e = await engine()
  const x = e.explain('bo', 'attr.city = "Beijing" and events(purchase, 30d) >= 1')
  assert.equal(x.customer, 'bo')
  assert.equal(x.matched, false)
  assert.equal(x.expression, 'attr.city = "Beijing" and events(purchase, 30d) >= 1')
  assert.deepEqual(x.steps.map((s) => [s.depth, s.node, s.matched]), [
    [0, 'and', false],
    [1, 'attr.city = "Beijing"', true],
    [1, 'events(purchase, 30d) >= 1', false],
  ])
  assert.equal(typeof x.steps[1].observed, 'string')
})

test('saved segments stay current and report changes since a checkpoint', async () => {
  const e = await engine()
  const saved = e.saveSegment('active', 'EVENTS(purchase, 30d) >= 1')
  assert.ok(saved instanceof Promise)
  assert.deepEqual(await saved, { name: 'active', expression: 'events(purchase, 30d) >= 1', members: 1, timed: true })
  assert.deepEqual(e.savedSegments(), [{ name: 'active', expression: 'events(purchase, 30d) >= 1', members: 1, timed: true }])
  assert.deepEqual(e.segmentMembers('active'), { total: 1, ids: ['ann'] })
  assert.deepEqual(e.segmentChanges('active'), { entered: ['ann'], left: [] })
  assert.deepEqual(e.checkpointSegment('active'), { entered: ['ann'], left: [] })
  assert.deepEqual(e.segmentChanges('active'), { entered: [], left: [] })
  e.recordEvent({ customer: 'cai', kind: 'purchase', channel: 'app', at: '2026-06-29T00:00:00Z' })
  assert.deepEqual(e.segmentMembers('active', 0, 1), { total: 2, ids: ['ann'] })
  assert.deepEqual(e.segmentMembers('active', 1), { total: 2, ids: ['cai'] })
  e.setClock('2026-07-25T00:00:00Z')
  await e.refresh()
  assert.deepEqual(e.segmentChanges('active'), { entered: ['cai'], left: ['ann'] })
  await e.saveSegment('north', 'attr.city = "Beijing"')
  e.dropSegment('north')
  e.dropSegment('active')
  assert.deepEqual(e.savedSegments(), [])
})

test('tag rules set and clear their tag', async () => {
  const e = await engine()
  const rule = e.addTagRule('senior', 'attr.age >= 40')
  assert.ok(rule instanceof Promise)
  assert.deepEqual(await rule, { tag: 'senior', expression: 'attr.age >= 40', members: 1, timed: false })
  assert.deepEqual(e.tagRules(), [{ tag: 'senior', expression: 'attr.age >= 40', members: 1, timed: false }])
  assert.equal(e.tagsOf('bo')[0].source, 'rule')
  e.upsertCustomer({ id: 'ann', at: '2026-06-30T00:00:00Z', attributes: { age: 44 } })
  assert.deepEqual(e.customer('ann').tags, ['senior'])
  e.dropTagRule('senior')
  assert.deepEqual(e.tagRules(), [])
  assert.deepEqual(e.tagsOf('bo'), [])
})

test('formatSegment gives the canonical form', () => {
  assert.equal(formatSegment('TAG:vip AND (attr.age >= 30)'), 'tag:vip and attr.age >= 30')
  assert.throws(() => formatSegment('tag:vip and'), { code: 'SEGMENT_SYNTAX', line: 1, column: 12 })
})
