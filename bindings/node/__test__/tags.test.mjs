// Tags by id and by segment, read back with their time and source.

import assert from 'node:assert/strict'
import { test } from 'node:test'

import { Engine } from '../index.js'

const NOW = new Date('2026-06-01T00:00:00Z')

async function engine() {
  const e = new Engine()
  e.setClock(NOW)
  await e.upsertCustomers([
    { id: 'a', at: '2026-05-01T00:00:00Z', attributes: { city: 'Shanghai' } },
    { id: 'b', at: '2026-05-01T00:00:00Z', attributes: { city: 'Beijing' } },
    { id: 'c', at: '2026-05-01T00:00:00Z', attributes: { city: 'Shanghai' } },
  ])
  return e
}

test('tagCustomers and untagCustomers, manual by default', async () => {
  const e = await engine()
  assert.deepEqual(e.tagCustomers(['a', 'b'], ['vip', 'interest:travel']), { customers: 2, changed: 4 })
  assert.deepEqual(e.tagCustomers(['a'], ['vip'], 'import'), { customers: 0, changed: 0 })
  assert.deepEqual(e.tagCustomers(['c'], ['lead'], 'import'), { customers: 1, changed: 1 })
  const tags = e.tagsOf('a')
  assert.deepEqual(tags.map((t) => [t.tag, t.source, t.setAt.getTime()]), [
    ['interest:travel', 'manual', NOW.getTime()],
    ['vip', 'manual', NOW.getTime()],
  ])
  assert.equal(e.tagsOf('c')[0].source, 'import')
  assert.deepEqual(e.untagCustomers(['b'], ['vip']), { customers: 1, changed: 1 })
  assert.deepEqual(e.customer('b').tags, ['interest:travel'])
})

test('tagSegment and untagSegment are Promises', async () => {
  const e = await engine()
  const pending = e.tagSegment('attr.city = "Shanghai"', ['兴趣:茶'], 'import')
  assert.ok(pending instanceof Promise)
  assert.deepEqual(await pending, { customers: 2, changed: 2 })
  assert.deepEqual(await e.tagSegment('attr.city = "Beijing"', ['north']), { customers: 1, changed: 1 })
  assert.equal(e.tagsOf('b')[0].source, 'manual')
  assert.deepEqual(await e.untagSegment('tag:"兴趣:茶" and attr.city = "Shanghai"', ['兴趣:茶']), { customers: 2, changed: 2 })
  assert.deepEqual(e.tagsOf('a'), [])
})

test('tagCounts counts live customers per tag, sorted by name', async () => {
  const e = await engine()
  e.tagCustomers(['a', 'b', 'c'], ['vip'])
  e.tagCustomers(['c'], ['a-first'])
  assert.deepEqual(e.tagCounts(), [{ tag: 'a-first', customers: 1 }, { tag: 'vip', customers: 3 }])
  assert.deepEqual(new Engine().tagCounts(), [])
})
