// Recording events and reading them back through the Node API.

import assert from 'node:assert/strict'
import { test } from 'node:test'

import { Engine } from '../index.js'

function engineWith(...ids) {
  const engine = new Engine()
  for (const id of ids) engine.upsertCustomer({ id, at: '2026-05-01T00:00:00Z' })
  return engine
}

test('recordEvent records one event with every field', () => {
  const engine = engineWith('c-1', 'c-2')
  const report = engine.recordEvent({
    customer: 'c-1',
    kind: 'Purchase',
    channel: 'WeChat',
    direction: 'inbound',
    at: new Date('2026-05-03T12:00:00.250Z'),
    amount: 199,
    target: 'c-2',
    properties: { sku: 'tea-1', qty: 2, gift: false },
    idempotencyKey: 'order-1',
  })
  assert.deepEqual(report, { inserted: 1, duplicates: 0 })
  assert.deepEqual(engine.recordEvent({ customer: 'c-1', kind: 'purchase', channel: 'wechat', at: '2026-05-03T12:00:00Z', idempotencyKey: 'order-1' }), { inserted: 0, duplicates: 1 })
  const [event] = engine.eventsOf('c-1')
  assert.deepEqual({ ...event, at: event.at.toISOString() }, {
    seq: 0,
    customer: 'c-1',
    kind: 'purchase',
    channel: 'wechat',
    direction: 'inbound',
    at: '2026-05-03T12:00:00.250Z',
    amount: 199,
    target: 'c-2',
    properties: { gift: false, qty: 2, sku: 'tea-1' },
    idempotencyKey: 'order-1',
  })
})

test('eventsOf gives null for absent optional fields, oldest first', () => {
  const engine = engineWith('c-1')
  engine.recordEvent({ customer: 'c-1', kind: 'view', channel: 'app', at: '2026-05-02T00:00:00Z' })
  engine.recordEvent({ customer: 'c-1', kind: 'message', channel: 'wechat', direction: 'outbound', at: '2026-05-01T00:00:00Z' })
  const events = engine.eventsOf('c-1')
  assert.deepEqual(events.map((e) => [e.seq, e.kind, e.direction]), [[1, 'message', 'outbound'], [0, 'view', 'inbound']])
  assert.equal(events[1].amount, null)
  assert.equal(events[1].target, null)
  assert.equal(events[1].idempotencyKey, null)
  assert.deepEqual(events[1].properties, {})
})

test('recordEvents is a Promise; the batch is atomic and aggregates follow', async () => {
  const engine = engineWith('c-1', 'c-2')
  const pending = engine.recordEvents([
    { customer: 'c-1', kind: 'view', channel: 'wechat', at: '2026-05-02T10:00:00Z' },
    { customer: 'c-1', kind: 'purchase', channel: 'store', at: '2026-05-03T10:00:00Z', amount: 50.5 },
    { customer: 'c-2', kind: 'purchase', channel: 'store', at: '2026-05-03T10:00:00Z', amount: 10, idempotencyKey: 'k' },
    { customer: 'c-2', kind: 'purchase', channel: 'store', at: '2026-05-03T10:00:00Z', amount: 10, idempotencyKey: 'k' },
  ])
  assert.ok(pending instanceof Promise)
  assert.deepEqual(await pending, { inserted: 3, duplicates: 1 })
  await assert.rejects(
    engine.recordEvents([
      { customer: 'c-1', kind: 'view', channel: 'wechat', at: '2026-05-04T00:00:00Z' },
      { customer: 'ghost', kind: 'view', channel: 'wechat', at: '2026-05-04T00:00:00Z' },
    ]),
    { code: 'VALIDATION', field: 'events[1].customer' },
  )
  const activity = engine.customer('c-1').activity
  assert.equal(activity.inbound, 2)
  assert.equal(activity.totalAmount, 50.5)
  assert.deepEqual(activity.counts, { purchase: 1, view: 1 })
  assert.equal(activity.firstSeen.toISOString(), '2026-05-02T10:00:00.000Z')
  assert.equal(activity.lastSeen.toISOString(), '2026-05-03T10:00:00.000Z')
  assert.equal(engine.stats().events, 3)
  assert.deepEqual(await engine.recordEvents([]), { inserted: 0, duplicates: 0 })
})

test('strings of any length and script, null optional keys and string times survive the batch reader', async () => {
  const engine = engineWith('顾客-一')
  const long = '长'.repeat(60) + 'x'.repeat(300)
  const near = 'é'.repeat(62) // 124 bytes, around the short-string buffer's edge
  await engine.recordEvents([
    { customer: '顾客-一', kind: 'view', channel: 'app', at: '2026-05-02T08:00:00+08:00', target: null, amount: undefined, properties: { page: long } },
    { customer: '顾客-一', kind: 'comment', channel: 'wechat', at: new Date('2026-05-03T00:00:00Z'), idempotencyKey: near, direction: null },
  ])
  const [view, comment] = engine.eventsOf('顾客-一')
  assert.equal(view.properties.page, long)
  assert.equal(view.at.toISOString(), '2026-05-02T00:00:00.000Z')
  assert.equal(view.target ?? null, null)
  assert.equal(comment.idempotencyKey, near)
  assert.equal(comment.direction, 'inbound')
})
