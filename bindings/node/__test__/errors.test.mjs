// Every error code, with its details, from sync calls (thrown) and Promise calls (rejected).

import assert from 'node:assert/strict'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'

import { Engine, formatSegment } from '../index.js'

async function engine(config) {
  const e = new Engine({ config })
  e.upsertCustomer({ id: 'a', at: '2026-01-01T00:00:00Z', attributes: { city: 'Shanghai' }, identities: [{ channel: 'email', value: 'a@x.cn' }] })
  e.upsertCustomer({ id: 'b', at: '2026-01-01T00:00:00Z' })
  return e
}

test('errors are Error objects with a message, a stack and a code', () => {
  const e = new Engine()
  try {
    e.customer('nobody')
    assert.fail('expected a throw')
  } catch (error) {
    assert.ok(error instanceof Error)
    assert.equal(error.code, 'NOT_FOUND')
    assert.match(error.message, /customer not found: nobody/)
    assert.equal(typeof error.stack, 'string')
    assert.equal(error.field, undefined)
    assert.equal(error.line, undefined)
  }
})

test('VALIDATION carries the field', async () => {
  const e = await engine()
  assert.throws(() => e.upsertCustomer({ id: '' }), { code: 'VALIDATION', field: 'customer.id' })
  assert.throws(() => e.upsertCustomer({ id: 'x', attributes: { '2nd': 1 } }), { code: 'VALIDATION', field: 'customer.attributes.2nd' })
  assert.throws(() => e.upsertCustomer({ id: 'x', removeAttributes: ['bad key'] }), { code: 'VALIDATION', field: 'customer.remove_attributes[0]' })
  assert.throws(() => e.tagCustomers(['a', 'nobody'], ['x']), { code: 'VALIDATION', field: 'ids[1]' })
  assert.throws(() => e.tagCustomers(['a'], ['has space']), { code: 'VALIDATION', field: 'tags[0]' })
  assert.throws(() => e.mergeCustomers({ survivor: 'a', merged: 'b', actor: '' }), { code: 'VALIDATION', field: 'actor' })
  assert.throws(() => e.lookupIdentity('email', 'not-an-email'), { code: 'VALIDATION', field: 'identity.value' })
  assert.throws(() => new Engine({ config: { identity: { defaultCountryCode: 'x1' } } }), { code: 'VALIDATION', field: 'identity.default_country_code' })
  await assert.rejects(e.recordEvents([{ customer: 'a', kind: 'view', channel: 'we chat', at: new Date() }]), { code: 'VALIDATION', field: 'events[0].channel' })
  await assert.rejects(e.recordEvents([{ customer: 'a', kind: 'buy', channel: 'app', at: new Date(), amount: -1 }]), { code: 'VALIDATION', field: 'events[0].amount' })
  await assert.rejects(e.saveSegment('bad name', 'tag:x'), { code: 'VALIDATION', field: 'name' })
  await assert.rejects(e.addTagRule('bad tag', 'tag:x'), { code: 'VALIDATION', field: 'tag' })
  await assert.rejects(e.upsertCustomers([{ id: 'x'.repeat(257) }]), { code: 'VALIDATION', field: 'customers[0].id' })
})

test('NOT_FOUND for unknown customers, conflicts, segments and rules', async () => {
  const e = await engine()
  for (const call of [
    () => e.customer('ghost'),
    () => e.eventsOf('ghost'),
    () => e.tagsOf('ghost'),
    () => e.mergeHistory('ghost'),
    () => e.explain('ghost', 'tag:vip'),
    () => e.mergeCustomers({ survivor: 'a', merged: 'ghost', actor: 'me' }),
    () => e.resolveConflict(9, 'merge', 'me'),
    () => e.segmentMembers('nope'),
    () => e.segmentChanges('nope'),
    () => e.checkpointSegment('nope'),
    () => e.dropSegment('nope'),
    () => e.dropTagRule('nope'),
  ]) {
    assert.throws(call, { code: 'NOT_FOUND' })
  }
  await assert.rejects(e.count('segment:nope'), { code: 'NOT_FOUND', line: 1, column: 1 })
  await assert.rejects(e.saveSegment('loop', 'segment:loop'), { code: 'NOT_FOUND', line: 1, column: 1 })
})

test('CONFLICT for taken identities, repeated resolutions, cycles and dependents', async () => {
  const rejecting = await engine({ merge: { onCollision: 'reject' } })
  assert.throws(() => rejecting.upsertCustomer({ id: 'b', identities: [{ channel: 'email', value: 'A@x.cn' }] }), (error) => {
    assert.equal(error.code, 'CONFLICT')
    assert.match(error.message, /already belongs to customer a/)
    return true
  })
  const flagging = await engine({ merge: { identified: 'flag' } })
  flagging.upsertCustomer({ id: 'b', identities: [{ channel: 'email', value: 'a@x.cn' }] })
  flagging.resolveConflict(0, 'keep_apart', 'me')
  assert.throws(() => flagging.resolveConflict(0, 'merge', 'me'), { code: 'CONFLICT' })
  const e = await engine()
  await e.saveSegment('base', 'tag:vip')
  await e.saveSegment('derived', 'segment:base')
  await assert.rejects(e.saveSegment('base', 'segment:derived'), { code: 'CONFLICT', line: 1, column: 1 })
  await assert.rejects(e.addTagRule('echo', 'tag:echo'), { code: 'CONFLICT', line: 1, column: 1 })
  assert.throws(() => e.dropSegment('base'), { code: 'CONFLICT' })
})

test('SEGMENT_SYNTAX and SEGMENT_TYPE carry line and column', async () => {
  const e = await engine()
  await assert.rejects(e.count('tag:vip and\n  attr.name matches 5'), { code: 'SEGMENT_SYNTAX', line: 2, column: 21 })
  await assert.rejects(e.query('tag:vip and ('), { code: 'SEGMENT_SYNTAX', line: 1, column: 14 })
  await assert.rejects(e.tagSegment('attr.city >', ['x']), { code: 'SEGMENT_SYNTAX', line: 1, column: 12 })
  await assert.rejects(e.untagSegment('(', ['x']), { code: 'SEGMENT_SYNTAX', line: 1 })
  await assert.rejects(e.saveSegment('s', 'and'), { code: 'SEGMENT_SYNTAX', line: 1, column: 1 })
  assert.throws(() => e.explain('a', 'tag:'), { code: 'SEGMENT_SYNTAX', line: 1 })
  assert.throws(() => formatSegment('attr.age between 1'), { code: 'SEGMENT_SYNTAX', line: 1 })
  await assert.rejects(e.count('attr.city > 3'), { code: 'SEGMENT_TYPE', line: 1, column: 1 })
  await assert.rejects(e.addTagRule('t', 'tag:x or attr.city > 3'), { code: 'SEGMENT_TYPE', line: 1, column: 10 })
  assert.throws(() => e.explain('a', 'attr.city >= 3'), { code: 'SEGMENT_TYPE', line: 1, column: 1 })
})

test('STORE for a locked store, a foreign file and a closed engine', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'scrm-node-errors-'))
  const path = join(dir, 'crm.scrm')
  const first = new Engine({ path })
  assert.throws(() => new Engine({ path }), { code: 'STORE', message: /locked/ })
  await assert.rejects(Engine.open({ path }), { code: 'STORE', message: /locked/ })
  first.close()
  const foreign = join(dir, 'notes.txt')
  writeFileSync(foreign, 'these are not the droids you are looking for\n'.repeat(200))
  assert.throws(() => new Engine({ path: foreign }), { code: 'STORE' })
  assert.throws(() => first.customerIds(), { code: 'STORE', message: /closed/ })
  // Promise calls reject rather than throw.
  const pending = first.count('tag:x')
  assert.ok(pending instanceof Promise)
  await assert.rejects(pending, { code: 'STORE', message: /closed/ })
  await assert.rejects(first.recordEvents([]), { code: 'STORE' })
})

test('arguments of the wrong JavaScript type are rejected before the engine', () => {
  const e = new Engine()
  assert.throws(() => e.customer(5), (error) => error instanceof Error && error.code !== undefined && !['NOT_FOUND', 'VALIDATION'].includes(error.code))
  assert.throws(() => e.conflicts('bogus'), { code: 'InvalidArg' })
  assert.throws(() => e.recordEvent({ customer: 'a', kind: 'view', channel: 'app' }), { code: 'InvalidArg', message: /Missing field `at`/ })
})

test('event objects of the wrong shape name the item and the key', async () => {
  const e = new Engine()
  e.upsertCustomer({ id: 'a' })
  const at = new Date()
  const good = { customer: 'a', kind: 'view', channel: 'app', at }
  const cases = [
    [[good, 5], /events\[1\]: expected an object, got number/],
    [[good, { ...good, customer: 5 }], /events\[1\]\.customer: expected a string, got number/],
    [[{ ...good, kind: undefined }], /events\[0\]: Missing field `kind`/],
    [[{ ...good, channel: null }], /events\[0\]: Missing field `channel`/],
    [[{ ...good, amount: '3' }], /events\[0\]\.amount: expected a number, got string/],
    [[{ ...good, direction: 'sideways' }], /events\[0\]\.direction/],
  ]
  for (const [batch, message] of cases) {
    assert.throws(() => e.recordEvents(batch), { code: 'InvalidArg', message }, String(message))
  }
  assert.throws(() => e.recordEvents('not an array'), { code: 'InvalidArg' })
  assert.throws(() => e.recordEvent({ ...good, target: 3 }), { code: 'InvalidArg', message: /event\.target: expected a string/ })
  await assert.rejects(e.recordEvents([good, { ...good, at: 7 }]), { code: 'VALIDATION', field: 'events[1].at' })
  assert.equal(e.stats().events, 0)
})
