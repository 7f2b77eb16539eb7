// Customers, identities, merges and identity conflicts through the Node API.

import assert from 'node:assert/strict'
import { test } from 'node:test'

import { Engine } from '../index.js'

const T0 = '2026-03-01T08:00:00Z'

test('upsertCustomer creates and updates a profile; customer reads it back', () => {
  const engine = new Engine()
  const created = engine.upsertCustomer({
    id: 'm-1001',
    at: T0,
    attributes: { city: 'Shanghai', age: 31 },
    identities: [{ channel: 'phone', value: '+86 138 0013 8000' }],
  })
  assert.deepEqual(created, { id: 'm-1001', created: true, merged: [], conflicts: [] })
  const updated = engine.upsertCustomer({ id: 'm-1001', at: new Date('2026-03-02T00:00:00Z'), attributes: { city: 'Beijing' }, removeAttributes: ['age'] })
  assert.equal(updated.created, false)
  const c = engine.customer('m-1001')
  assert.equal(c.id, 'm-1001')
  assert.equal(c.index, 0)
  assert.equal(c.anonymous, false)
  assert.deepEqual(c.attributes, { city: 'Beijing' })
  assert.deepEqual(c.identities, [{ channel: 'phone', value: '+8613800138000' }])
  assert.deepEqual(c.tags, [])
  assert.deepEqual(c.mergedIds, [])
  assert.ok(c.createdAt instanceof Date)
  assert.equal(c.createdAt.toISOString(), '2026-03-01T08:00:00.000Z')
  assert.equal(c.updatedAt.toISOString(), '2026-03-02T00:00:00.000Z')
  assert.deepEqual(c.activity, { firstSeen: null, lastSeen: null, inbound: 0, outbound: 0, counts: {}, totalAmount: 0 })
})

test('upsertCustomers is a Promise and atomic', async () => {
  const engine = new Engine()
  const pending = engine.upsertCustomers([{ id: 'a', at: T0 }, { id: 'b', at: T0, anonymous: true }])
  assert.ok(pending instanceof Promise)
  const outcomes = await pending
  assert.deepEqual(outcomes.map((o) => [o.id, o.created]), [['a', true], ['b', true]])
  await assert.rejects(
    engine.upsertCustomers([{ id: 'c' }, { id: 'd', identities: [{ channel: 'email', value: 'nope' }] }]),
    { code: 'VALIDATION', field: 'customers[1].identities[0].value' },
  )
  assert.deepEqual(engine.customerIds(), ['a', 'b'])
  assert.equal(engine.customer('b').anonymous, true)
})

test('contains, customerIds and lookupIdentity', () => {
  const engine = new Engine({ config: { identity: { defaultCountryCode: '86' } } })
  engine.upsertCustomer({ id: 'a', identities: [{ channel: 'phone', value: '138 0013 8000' }, { channel: 'email', value: 'Li@Example.com' }] })
  assert.equal(engine.contains('a'), true)
  assert.equal(engine.contains('zz'), false)
  assert.deepEqual(engine.customerIds(), ['a'])
  assert.equal(engine.lookupIdentity('phone', '+86 138-0013-8000'), 'a')
  assert.equal(engine.lookupIdentity('email', ' li@example.com'), 'a')
  assert.equal(engine.lookupIdentity('weibo', 'nobody'), null)
})

test('colliding identities merge; merge history and merges record it', () => {
  const engine = new Engine()
  engine.upsertCustomer({ id: 'm-1', at: T0, identities: [{ channel: 'phone', value: '+8613800000001' }] })
  engine.upsertCustomer({ id: 'wx-1', anonymous: true, at: T0, identities: [{ channel: 'wechat_openid', value: 'o6_1' }] })
  const outcome = engine.upsertCustomer({ id: 'wx-1', at: '2026-03-02T00:00:00Z', identities: [{ channel: 'phone', value: '0086 138 0000 0001' }] })
  assert.deepEqual(outcome, { id: 'm-1', created: false, merged: ['wx-1'], conflicts: [] })
  assert.equal(engine.lookupIdentity('wechat_openid', 'o6_1'), 'm-1')
  assert.equal(engine.customer('wx-1').id, 'm-1')
  const [record] = engine.mergeHistory('m-1')
  assert.equal(record.survivor, 'm-1')
  assert.equal(record.merged, 'wx-1')
  assert.equal(record.actor, 'engine')
  assert.ok(record.at instanceof Date)
  assert.deepEqual(record.reason, { type: 'shared_identity', channel: 'phone', value: '+8613800000001' })
  assert.equal(engine.merges().length, 1)
})

test('mergeCustomers merges by hand and is idempotent', () => {
  const engine = new Engine()
  engine.upsertCustomer({ id: 'a', at: T0 })
  engine.upsertCustomer({ id: 'b', at: T0 })
  const record = engine.mergeCustomers({ survivor: 'a', merged: 'b', actor: 'agent:zhao', note: 'same person', at: '2026-03-05T00:00:00Z' })
  assert.deepEqual({ ...record, at: record.at.toISOString() }, {
    survivor: 'a',
    merged: 'b',
    at: '2026-03-05T00:00:00.000Z',
    actor: 'agent:zhao',
    reason: { type: 'manual', note: 'same person' },
  })
  assert.equal(engine.mergeCustomers({ survivor: 'a', merged: 'b', actor: 'agent:zhao' }), null)
  assert.deepEqual(engine.customer('a').mergedIds, ['b'])
  assert.deepEqual(engine.stats(), { customers: 1, merged: 1, identities: 0, events: 0, openConflicts: 0, tagIndexBytes: 0, edges: 0, graphSnapshotBytes: 0 })
})

test('flagged conflicts are listed and resolved', () => {
  const engine = new Engine({ config: { merge: { identified: 'flag' } } })
  engine.upsertCustomer({ id: 'a', at: T0, identities: [{ channel: 'email', value: 'home@example.com' }] })
  const outcome = engine.upsertCustomer({ id: 'b', at: T0, identities: [{ channel: 'email', value: 'home@example.com' }] })
  assert.deepEqual(outcome.conflicts, [0])
  const [open] = engine.conflicts('open')
  assert.equal(open.id, 0)
  assert.equal(open.owner, 'a')
  assert.equal(open.claimant, 'b')
  assert.equal(open.status, 'open')
  assert.ok(open.at instanceof Date)
  assert.equal(engine.stats().openConflicts, 1)
  const resolved = engine.resolveConflict(0, 'merge', 'agent:zhao')
  assert.equal(resolved.status, 'merged')
  assert.deepEqual(engine.conflicts('open'), [])
  assert.equal(engine.conflicts().length, 1)
  assert.equal(engine.conflicts(null).length, 1)
  assert.deepEqual(engine.mergeHistory('a')[0].reason, { type: 'conflict_resolved', conflict: 0 })
  engine.upsertCustomer({ id: 'c', at: T0, identities: [{ channel: 'phone', value: '+8613100000009' }] })
  engine.upsertCustomer({ id: 'd', at: T0, identities: [{ channel: 'phone', value: '+8613100000009' }] })
  assert.equal(engine.resolveConflict(1, 'keep_apart', 'agent:zhao').status, 'kept_apart')
})

test('config() reports the configuration with every field filled in', () => {
  const engine = new Engine({
    config: {
      identity: { defaultCountryCode: '86' },
      merge: { onCollision: 'reject', identified: 'flag', defaultStrategy: 'oldest', strategies: { points: 'sum', tags: 'union', nick: 'first_non_empty' } },
    },
  })
  assert.deepEqual(engine.config(), {
    identity: { defaultCountryCode: '86' },
    merge: { onCollision: 'reject', identified: 'flag', defaultStrategy: 'oldest', strategies: { nick: 'first_non_empty', points: 'sum', tags: 'union' } },
  })
  assert.deepEqual(new Engine().config().merge, { onCollision: 'merge', identified: 'merge', defaultStrategy: 'newest', strategies: {} })
})

test('merge strategies from the config apply', () => {
  const engine = new Engine({ config: { merge: { strategies: { points: 'sum' } } } })
  engine.upsertCustomer({ id: 'a', at: T0, attributes: { points: 10 }, identities: [{ channel: 'email', value: 'a@x.cn' }] })
  engine.upsertCustomer({ id: 'b', anonymous: true, at: T0, attributes: { points: 5 } })
  engine.upsertCustomer({ id: 'b', at: T0, identities: [{ channel: 'email', value: 'a@x.cn' }] })
  assert.equal(engine.customer('a').attributes.points, 15)
})
