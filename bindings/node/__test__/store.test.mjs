// File mode: durable writes, reopening, Engine.open, the store lock and close().

import assert from 'node:assert/strict'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'

import { Engine } from '../index.js'

const storePath = () => join(mkdtempSync(join(tmpdir(), 'scrm-node-store-')), 'crm.scrm')

test('writes survive close and reopen', async () => {
  const path = storePath()
  const config = { identity: { defaultCountryCode: '86' } }
  const first = new Engine({ path, config })
  first.setClock('2026-06-01T00:00:00Z')
  first.upsertCustomer({ id: 'm-1', at: '2026-05-01T00:00:00Z', attributes: { city: 'Shanghai' }, identities: [{ channel: 'phone', value: '138 0013 8000' }] })
  await first.recordEvents([{ customer: 'm-1', kind: 'purchase', channel: 'store', at: '2026-05-20T00:00:00Z', amount: 20 }])
  first.tagCustomers(['m-1'], ['vip'])
  await first.saveSegment('buyers', 'events(purchase) >= 1')
  first.checkpointSegment('buyers')
  first.close()
  first.close()

  const second = new Engine({ path, config })
  assert.equal(second.lookupIdentity('phone', '+8613800138000'), 'm-1')
  assert.deepEqual(second.customer('m-1').attributes, { city: 'Shanghai' })
  assert.deepEqual(second.customer('m-1').tags, ['vip'])
  assert.equal(second.eventsOf('m-1')[0].amount, 20)
  assert.deepEqual(second.segmentMembers('buyers'), { total: 1, ids: ['m-1'] })
  assert.deepEqual(second.segmentChanges('buyers'), { entered: [], left: [] })
  assert.deepEqual(second.config().identity, { defaultCountryCode: '86' })
  second.close()
})

test('Engine.open opens off the main thread and resolves with an Engine', async () => {
  const path = storePath()
  const engine = await Engine.open({ path })
  assert.ok(engine instanceof Engine)
  engine.upsertCustomer({ id: 'a' })
  engine.close()
  const again = await Engine.open({ path })
  assert.deepEqual(again.customerIds(), ['a'])
  again.close()
  const memory = await Engine.open()
  assert.deepEqual(memory.stats(), { customers: 0, merged: 0, identities: 0, events: 0, openConflicts: 0, tagIndexBytes: 0, edges: 0, graphSnapshotBytes: 0 })
})

test('a store is locked while an engine holds it, and free after close', () => {
  const path = storePath()
  const holder = new Engine({ path })
  assert.throws(() => new Engine({ path }), { code: 'STORE' })
  holder.close()
  const next = new Engine({ path })
  next.close()
})

test('an in-memory engine shares nothing with another', () => {
  const a = new Engine()
  const b = new Engine({})
  a.upsertCustomer({ id: 'x' })
  assert.equal(b.contains('x'), false)
})
