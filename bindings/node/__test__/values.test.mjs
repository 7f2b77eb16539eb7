// Attribute values and times across the boundary: numbers, bigints, Dates, ISO strings.

import assert from 'node:assert/strict'
import { test } from 'node:test'

import { Engine } from '../index.js'

test('attribute values round-trip with their types', async () => {
  const e = new Engine()
  const born = new Date('1995-05-04T00:00:00Z')
  const attributes = {
    city: 'Shanghai',
    age: 31,
    score: 4.5,
    vip: true,
    born,
    interests: ['travel', 'tea'],
    empty: [],
    negative: -7,
    big: 2n ** 60n,
    small: 12n,
    safe: Number.MAX_SAFE_INTEGER,
  }
  e.upsertCustomer({ id: 'c', attributes })
  const back = e.customer('c').attributes
  assert.deepEqual(back, { ...attributes, small: 12 })
  assert.ok(back.born instanceof Date)
  // Integral numbers are ints and fractional ones floats, as the segment language sees them.
  assert.equal(await e.count('attr.age = 31 and attr.score > 4 and attr.small = 12'), 1)
  assert.equal(await e.count('attr.born < "2000-01-01"'), 1)
  assert.equal(await e.count('attr.interests contains "tea"'), 1)
})

test('event properties take the same values', () => {
  const e = new Engine()
  e.upsertCustomer({ id: 'c' })
  const at = new Date('2026-01-01T00:00:00Z')
  e.recordEvent({ customer: 'c', kind: 'view', channel: 'app', at, properties: { page: 'home', seconds: 4.25, when: at, big: -(2n ** 62n) } })
  assert.deepEqual(e.eventsOf('c')[0].properties, { big: -(2n ** 62n), page: 'home', seconds: 4.25, when: at })
})

test('times are accepted as Date or RFC 3339 strings and read back as Dates', () => {
  const e = new Engine()
  e.upsertCustomer({ id: 'a', at: new Date('2026-01-01T00:00:00Z') })
  e.upsertCustomer({ id: 'b', at: '2026-01-01T08:00:00+08:00' })
  e.upsertCustomer({ id: 'c', at: '2026-01-01T00:00:00.123456Z' })
  assert.equal(e.customer('a').createdAt.getTime(), e.customer('b').createdAt.getTime())
  // A Date holds milliseconds: the core's microseconds are truncated on the way out.
  assert.equal(e.customer('c').createdAt.toISOString(), '2026-01-01T00:00:00.123Z')
})

test('bad values are VALIDATION errors naming the field', async () => {
  const e = new Engine()
  e.upsertCustomer({ id: 'c' })
  const cases = [
    [() => e.upsertCustomer({ id: 'x', attributes: { bad: { nested: 1 } } }), 'customer.attributes.bad'],
    [() => e.upsertCustomer({ id: 'x', attributes: { bad: [1, 2] } }), 'customer.attributes.bad'],
    [() => e.upsertCustomer({ id: 'x', attributes: { bad: null } }), 'customer.attributes.bad'],
    [() => e.upsertCustomer({ id: 'x', attributes: { bad: 2n ** 64n } }), 'customer.attributes.bad'],
    [() => e.upsertCustomer({ id: 'x', attributes: { bad: new Date('nope') } }), 'customer.attributes.bad'],
    [() => e.upsertCustomer({ id: 'x', attributes: { bad: NaN } }), 'customer.attributes.bad'],
    [() => e.upsertCustomer({ id: 'x', at: 'yesterday' }), 'customer.at'],
    [() => e.upsertCustomer({ id: 'x', at: new Date(NaN) }), 'customer.at'],
    [() => e.upsertCustomer({ id: 'x', at: 5 }), 'customer.at'],
    [() => e.upsertCustomer({ id: 'x', at: '1850-01-01T00:00:00Z' }), 'customer.at'],
    [() => e.recordEvent({ customer: 'c', kind: 'view', channel: 'app', at: 'soon' }), 'events[0].at'],
    [() => e.recordEvent({ customer: 'c', kind: 'view', channel: 'app', at: new Date(), properties: { p: {} } }), 'events[0].properties.p'],
    [() => e.mergeCustomers({ survivor: 'c', merged: 'c', actor: 'me', at: 'later' }), 'at'],
    [() => e.setClock('noon'), 'clock'],
    [() => e.resolveConflict(1.5, 'merge', 'me'), 'id'],
    [() => e.resolveConflict(-1, 'merge', 'me'), 'id'],
    [() => e.segmentMembers('s', -1), 'offset'],
  ]
  for (const [call, field] of cases) {
    assert.throws(call, { code: 'VALIDATION', field }, field)
  }
  await assert.rejects(e.query('tag:x', 0, 0.5), { code: 'VALIDATION', field: 'limit' })
  await assert.rejects(
    e.recordEvents([{ customer: 'c', kind: 'view', channel: 'app', at: new Date() }, { customer: 'c', kind: 'view', channel: 'app', at: 'x' }]),
    { code: 'VALIDATION', field: 'events[1].at' },
  )
  await assert.rejects(e.upsertCustomers([{ id: 'y' }, { id: 'z', attributes: { k: {} } }]), {
    code: 'VALIDATION',
    field: 'customers[1].attributes.k',
  })
})
