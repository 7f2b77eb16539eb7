// Several Promises at once: heavy calls run off the main thread, in parallel with each
// other and with sync calls, and each settles with its own result.

import assert from 'node:assert/strict'
import { test } from 'node:test'

import { Engine } from '../index.js'

const DAY = 86_400_000
const START = Date.parse('2026-01-01T00:00:00Z')

function events(customer, n, kind = 'view') {
  return Array.from({ length: n }, (_, i) => ({ customer, kind, channel: 'app', at: new Date(START + (i % 300) * DAY), amount: kind === 'purchase' ? 1 : undefined }))
}

test('many batches, counts and queries in flight at once', async () => {
  const e = new Engine()
  e.setClock('2026-12-31T00:00:00Z')
  const ids = Array.from({ length: 8 }, (_, i) => `c-${i}`)
  await e.upsertCustomers(ids.map((id, i) => ({ id, attributes: { n: i } })))
  const writes = ids.map((id, i) => e.recordEvents(events(id, 2_000, i % 2 ? 'purchase' : 'view')))
  const reads = [e.count('attr.n >= 0'), e.query('attr.n < 4'), e.count('tag:none')]
  const [reports, results] = await Promise.all([Promise.all(writes), Promise.all(reads)])
  assert.deepEqual(reports, ids.map(() => ({ inserted: 2_000, duplicates: 0 })))
  assert.deepEqual(results, [8, { total: 4, ids: ['c-0', 'c-1', 'c-2', 'c-3'] }, 0])
  assert.equal(e.stats().events, 16_000)
  assert.equal(await e.count('events(purchase) >= 2000'), 4)
  assert.equal(e.customer('c-1').activity.totalAmount, 2_000)
})

test('concurrent writes are serialised: overlapping identities end in one profile', async () => {
  const e = new Engine()
  const batch = (prefix) => Array.from({ length: 50 }, (_, i) => ({ id: `${prefix}-${i}`, identities: [{ channel: 'email', value: `p${i}@x.cn` }] }))
  const outcomes = await Promise.all([e.upsertCustomers(batch('crm')), e.upsertCustomers(batch('shop')), e.upsertCustomers(batch('app'))])
  assert.equal(outcomes.flat().length, 150)
  assert.deepEqual(e.stats(), { customers: 50, merged: 100, identities: 50, events: 0, openConflicts: 0, tagIndexBytes: 0, edges: 0, graphSnapshotBytes: 0 })
})

test('a failing batch rejects alone; the others land', async () => {
  const e = new Engine()
  await e.upsertCustomers([{ id: 'a' }, { id: 'b' }])
  const settled = await Promise.allSettled([
    e.recordEvents(events('a', 100)),
    e.recordEvents([...events('b', 10), { customer: 'ghost', kind: 'view', channel: 'app', at: new Date() }]),
    e.tagSegment('attr.x >', ['t']),
    e.recordEvents(events('b', 100)),
    e.saveSegment('all', 'events(view) >= 1'),
  ])
  assert.deepEqual(settled.map((s) => s.status), ['fulfilled', 'rejected', 'rejected', 'fulfilled', 'fulfilled'])
  assert.equal(settled[1].reason.field, 'events[10].customer')
  assert.equal(settled[2].reason.code, 'SEGMENT_SYNTAX')
  assert.equal(e.stats().events, 200)
  assert.deepEqual(e.segmentMembers('all'), { total: 2, ids: ['a', 'b'] })
})

test('the main thread stays responsive while a large batch is ingested', async () => {
  const e = new Engine()
  const ids = Array.from({ length: 200 }, (_, i) => `big-${i}`)
  await e.upsertCustomers(ids.map((id) => ({ id })))
  const batch = ids.flatMap((id) => events(id, 1_000))
  let ticks = 0
  let running = true
  const tick = () => {
    ticks++
    if (running) setImmediate(tick)
  }
  const pending = e.recordEvents(batch)
  setImmediate(tick)
  // Sync reads go on while the write runs on the thread pool.
  assert.equal(e.contains('big-0'), true)
  const report = await pending
  running = false
  assert.equal(report.inserted, 200_000)
  assert.ok(ticks > 0, 'the event loop turned while the batch ran')
  assert.equal(e.customer('big-7').activity.inbound, 1_000)
  assert.equal(e.stats().events, 200_000)
})

test('closing while calls are in flight lets them finish', async () => {
  const e = new Engine()
  await e.upsertCustomers([{ id: 'a' }])
  const pending = e.recordEvents(events('a', 1_000))
  e.close()
  assert.deepEqual(await pending, { inserted: 1_000, duplicates: 0 })
  assert.throws(() => e.stats(), { code: 'STORE' })
})
