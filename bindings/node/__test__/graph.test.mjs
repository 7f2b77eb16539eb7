// The relationship graph: edges in and out, walks, analytics, their errors, file mode and
// several graph Promises in flight at once.

import assert from 'node:assert/strict'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'

import { Engine } from '../index.js'

const AT = new Date('2026-05-01T00:00:00Z')

async function engine(ids) {
  const e = new Engine()
  await e.upsertCustomers(ids.map((id) => ({ id })))
  return e
}

const refer = (e, pairs) => e.addEdges(pairs.map(([source, target]) => ({ source, target, kind: 'referred' })))

test('addEdge and addEdges put edges once per kind; mutual kinds go both ways', async () => {
  const e = await engine(['a', 'b', 'c'])
  const pending = e.addEdges([
    { source: 'a', target: 'b', kind: 'follows' },
    { source: 'a', target: 'b', kind: 'Follows', weight: 3 },
    { source: 'b', target: 'c', kind: 'friend', at: AT },
  ])
  assert.ok(pending instanceof Promise)
  assert.deepEqual(await pending, { inserted: 3, updated: 0 })
  assert.deepEqual(e.addEdge({ source: 'a', target: 'b', kind: 'follows', weight: 2 }), { inserted: 0, updated: 1 })
  const out = e.edgesOf('a', 'out')
  assert.equal(out.length, 1)
  assert.deepEqual({ ...out[0], createdAt: undefined }, { source: 'a', target: 'b', kind: 'follows', weight: 2, createdAt: undefined })
  assert.ok(out[0].createdAt instanceof Date)
  assert.deepEqual(e.edgesOf('c').map((x) => [x.source, x.target, x.kind, x.createdAt.getTime()]), [
    ['c', 'b', 'friend', AT.getTime()],
    ['b', 'c', 'friend', AT.getTime()],
  ])
  assert.deepEqual(e.edgesOf('b', 'in', ['follows']).map((x) => x.source), ['a'])
  assert.deepEqual(e.edgesOf('b', 'both', []).length, 3)
  assert.deepEqual(e.neighbours('c', 'out'), ['b'])
  assert.deepEqual(e.neighbours('b'), ['a', 'c'])
  assert.deepEqual(e.neighbours('b', 'in', ['friend']), ['c'])
  assert.equal(e.degree('b', 'in', ['follows']), 1)
  assert.equal(e.degree('b'), 2)
  assert.equal(e.stats().edges, 3)
  assert.equal(e.removeEdge('c', 'b', 'friend'), true)
  assert.equal(e.removeEdge('c', 'b', 'friend'), false)
  assert.equal(e.stats().edges, 1)
})

test('events with a target make interacted edges', async () => {
  const e = await engine(['a', 'b'])
  const share = { customer: 'a', kind: 'share', channel: 'wechat', at: AT, target: 'b' }
  await e.recordEvents([share, share])
  const edges = e.edgesOf('b', 'in', ['interacted'])
  assert.deepEqual(edges.map((x) => [x.source, x.weight, x.createdAt.getTime()]), [['a', 2, AT.getTime()]])
})

test('walks: reach, path, downline, upline', async () => {
  const e = await engine(['r', 'a', 'b', 'c', 'x'])
  await refer(e, [['r', 'a'], ['r', 'b'], ['a', 'c']])
  e.addEdge({ source: 'x', target: 'c', kind: 'follows' })
  const down = e.downline('r', 1)
  assert.ok(down instanceof Promise)
  assert.deepEqual(await down, [['a', 'b']])
  assert.deepEqual(await e.downline('r', 5), [['a', 'b'], ['c']])
  assert.deepEqual(e.upline('c'), { chain: ['a', 'r'], cycle: false })
  assert.deepEqual(e.upline('r'), { chain: [], cycle: false })
  const reach = e.reach('r', 2, 'out')
  assert.ok(reach instanceof Promise)
  assert.deepEqual(await reach, ['a', 'b', 'c'])
  assert.deepEqual(await e.reach('c', 1), ['a', 'x'])
  assert.deepEqual(await e.reach('r', 2, 'out', ['follows']), [])
  const path = e.path('b', 'x')
  assert.ok(path instanceof Promise)
  assert.deepEqual(await path, ['b', 'r', 'a', 'c', 'x'])
  assert.equal(await e.path('b', 'x', 'out'), null)
  assert.equal(await e.path('b', 'x', 'both', ['referred']), null)
})

test('rings and strongly connected components', async () => {
  const e = await engine(['a', 'b', 'c', 'd'])
  await refer(e, [['a', 'b'], ['b', 'c'], ['c', 'a']])
  const rings = e.referralRings()
  assert.ok(rings instanceof Promise)
  assert.deepEqual(await rings, [['a', 'b', 'c']])
  assert.equal(e.upline('a').cycle, true)
  const scc = await e.stronglyConnectedComponents()
  assert.deepEqual(scc.ids, ['a', 'b', 'c', 'd'])
  assert.equal(scc.count, 2)
  assert.equal(scc.modularity, 0)
  assert.equal(scc.communities[0], scc.communities[2])
  assert.notEqual(scc.communities[0], scc.communities[3])
  // Reversing every referral keeps the ring; reading only follows leaves everyone alone.
  assert.equal((await e.stronglyConnectedComponents({ reversed: ['referred'] })).count, 2)
  assert.equal((await e.stronglyConnectedComponents({ kinds: ['follows'] })).count, 4)
})

test('pagerank ranks the followed and the referrer; personalized and influencers agree', async () => {
  const e = await engine(['star', 'f1', 'f2', 'f3', 'newbie'])
  await e.addEdges(['f1', 'f2', 'f3'].map((f) => ({ source: f, target: 'star', kind: 'follows' })))
  await refer(e, [['f1', 'newbie']])
  const pending = e.pagerank()
  assert.ok(pending instanceof Promise)
  const ranks = await pending
  assert.equal(ranks.ids[0], 'star')
  assert.equal(ranks.ids.length, 5)
  assert.ok(ranks.iterations > 0)
  assert.ok(Math.abs(ranks.scores.reduce((a, b) => a + b, 0) - 1) < 1e-9)
  const rankOf = (r, id) => r.scores[r.ids.indexOf(id)]
  assert.ok(rankOf(ranks, 'f1') > rankOf(ranks, 'f2'), 'the referral endorses its referrer')
  assert.deepEqual(await e.pagerank({}), ranks)
  assert.deepEqual(await e.pagerank({ damping: 0.85, weighted: true, tol: 1e-6, maxIter: 100, edges: { reversed: ['referred'] } }), ranks)
  // Referrals as stored: the referral endorses the newbie instead.
  const stored = await e.pagerank({ edges: { reversed: [] } })
  assert.ok(rankOf(stored, 'newbie') > rankOf(stored, 'f2'))
  const unweighted = await e.pagerank({ weighted: false, edges: { kinds: ['follows'] } })
  assert.equal(rankOf(unweighted, 'f1'), rankOf(unweighted, 'f2'))
  const top = await e.influencers(2)
  assert.deepEqual(top.ids, ranks.ids.slice(0, 2))
  assert.equal(top.iterations, 0)
  assert.deepEqual((await e.influencers(0)).ids, [])
  // Nobody has acted yet: every advocacy score is 0.
  const advocates = await e.advocates(2)
  assert.deepEqual(advocates.scores, [0, 0])
  await assert.rejects(e.advocates(-1), { code: 'VALIDATION', field: 'n' })
  const near = await e.personalizedPagerank(['newbie'])
  assert.deepEqual(near.ids.slice(0, 3), ['newbie', 'f1', 'star'])
  assert.equal(near.scores[3], 0)
  assert.deepEqual(await e.personalizedPagerank(['newbie'], { damping: 0.85 }), near)
})

test('communities split two cliques, and segments read them', async () => {
  const ids = Array.from({ length: 10 }, (_, i) => `c${i}`)
  const e = await engine(ids)
  const edges = []
  for (const group of [ids.slice(0, 5), ids.slice(5)]) {
    group.forEach((a, i) => group.slice(i + 1).forEach((b) => edges.push({ source: a, target: b, kind: 'friend' })))
  }
  edges.push({ source: 'c0', target: 'c5', kind: 'follows' })
  // 20 friendships, both directions each, and one follow.
  assert.deepEqual(await e.addEdges(edges), { inserted: 41, updated: 0 })
  const pending = e.communities()
  assert.ok(pending instanceof Promise)
  const found = await pending
  assert.deepEqual(found.ids, ids)
  assert.equal(found.count, 2)
  assert.ok(found.modularity > 0.4, String(found.modularity))
  assert.ok(found.communities.slice(0, 5).every((c) => c === found.communities[0]))
  assert.ok(found.communities.slice(5).every((c) => c === found.communities[5]))
  assert.deepEqual(await e.communities({ seed: 0, resolution: 1 }), found)
  assert.equal((await e.communities({ edges: { kinds: ['follows'] } })).count, 9)
  assert.equal(await e.count('community = 0'), 5)
  assert.ok(e.stats().graphSnapshotBytes > 0)
})

test('NOT_FOUND for unknown customers', async () => {
  const e = await engine(['a', 'b'])
  for (const call of [
    () => e.edgesOf('ghost'),
    () => e.neighbours('ghost'),
    () => e.degree('ghost'),
    () => e.upline('ghost'),
    () => e.removeEdge('a', 'ghost', 'follows'),
  ]) {
    assert.throws(call, { code: 'NOT_FOUND' })
  }
  for (const call of [
    () => e.reach('ghost', 1),
    () => e.path('a', 'ghost'),
    () => e.path('ghost', 'a'),
    () => e.downline('ghost', 1),
    () => e.personalizedPagerank(['a', 'ghost']),
  ]) {
    await assert.rejects(call(), { code: 'NOT_FOUND' })
  }
})

test('VALIDATION names the field; a second referrer is a CONFLICT; a bad batch changes nothing', async () => {
  const e = await engine(['a', 'b', 'c'])
  const cases = [
    [{ source: 'a', target: 'zz', kind: 'follows' }, 'edges[1].target'],
    [{ source: 'a', target: 'a', kind: 'follows' }, 'edges[1].target'],
    [{ source: 'a', target: 'b', kind: 'no way' }, 'edges[1].kind'],
    [{ source: 'a', target: 'b', kind: 'interacted' }, 'edges[1].kind'],
    [{ source: 'a', target: 'b', kind: 'follows', weight: NaN }, 'edges[1].weight'],
    [{ source: 'a', target: 'b', kind: 'follows', weight: -1 }, 'edges[1].weight'],
    [{ source: 'a', target: 'b', kind: 'follows', at: 'yesterday' }, 'edges[1].at'],
  ]
  for (const [bad, field] of cases) {
    await assert.rejects(e.addEdges([{ source: 'a', target: 'b', kind: 'referred' }, bad]), { code: 'VALIDATION', field })
  }
  await assert.rejects(e.addEdges([{ source: 'a', target: 'b', kind: 'referred' }, { source: 'c', target: 'b', kind: 'referred' }]), { code: 'CONFLICT' })
  assert.equal(e.stats().edges, 0)
  assert.throws(() => e.addEdge({ source: 'a', target: 'b', kind: 'follows', at: new Date(NaN) }), { code: 'VALIDATION', field: 'edges[0].at' })
  assert.throws(() => e.addEdge({ source: 'a', target: 'zz', kind: 'follows' }), { code: 'VALIDATION', field: 'edges[0].target' })
  e.addEdge({ source: 'a', target: 'b', kind: 'referred' })
  assert.throws(() => e.addEdge({ source: 'c', target: 'b', kind: 'referred' }), { code: 'CONFLICT' })
  // The same referral again is no conflict.
  assert.deepEqual(e.addEdge({ source: 'a', target: 'b', kind: 'referred' }), { inserted: 0, updated: 1 })
  assert.throws(() => e.removeEdge('a', 'b', 'interacted'), { code: 'VALIDATION', field: 'kind' })
  assert.throws(() => e.edgesOf('a', 'out', ['bad kind']), { code: 'VALIDATION', field: 'kinds[0]' })
  await assert.rejects(e.reach('a', 0), { code: 'VALIDATION', field: 'hops' })
  await assert.rejects(e.reach('a', 65), { code: 'VALIDATION', field: 'hops' })
  await assert.rejects(e.reach('a', 1.5), { code: 'VALIDATION', field: 'hops' })
  await assert.rejects(e.downline('a', 65), { code: 'VALIDATION', field: 'depth' })
  await assert.rejects(e.downline('a', -1), { code: 'VALIDATION', field: 'depth' })
  await assert.rejects(e.pagerank({ damping: 1.5 }), { code: 'VALIDATION', field: 'damping' })
  await assert.rejects(e.pagerank({ maxIter: 0 }), { code: 'VALIDATION', field: 'max_iter' })
  await assert.rejects(e.pagerank({ maxIter: 2.5 }), { code: 'VALIDATION', field: 'max_iter' })
  await assert.rejects(e.pagerank({ tol: 0 }), { code: 'VALIDATION', field: 'tol' })
  e.addEdge({ source: 'b', target: 'c', kind: 'follows' })
  await assert.rejects(e.pagerank({ maxIter: 1, tol: 1e-12 }), { code: 'VALIDATION', field: 'max_iter', message: /did not converge/ })
  await assert.rejects(e.pagerank({ edges: { kinds: ['bad kind'] } }), { code: 'VALIDATION', field: 'edges.kinds[0]' })
  await assert.rejects(e.personalizedPagerank([]), { code: 'VALIDATION', field: 'seeds' })
  await assert.rejects(e.communities({ resolution: 0 }), { code: 'VALIDATION', field: 'resolution' })
  await assert.rejects(e.communities({ seed: -1 }), { code: 'VALIDATION', field: 'seed' })
  await assert.rejects(e.stronglyConnectedComponents({ reversed: ['bad kind'] }), { code: 'VALIDATION', field: 'edges.reversed[0]' })
  await assert.rejects(e.influencers(-1), { code: 'VALIDATION', field: 'n' })
  // napi refuses an unknown direction before the engine runs.
  assert.throws(() => e.neighbours('a', 'sideways'), { code: 'InvalidArg' })
})

test('graph Promises in flight at once: pagerank, communities, walks and edge batches', async () => {
  const ids = Array.from({ length: 300 }, (_, i) => `n${i}`)
  const e = await engine(ids)
  const ring = (offset, kind) => ids.map((id, i) => ({ source: id, target: ids[(i + offset) % ids.length], kind }))
  await e.addEdges(ring(1, 'follows'))
  const settled = await Promise.allSettled([
    e.pagerank(),
    e.communities(),
    e.addEdges(ring(7, 'colleague')),
    e.reach('n0', 3, 'out'),
    e.stronglyConnectedComponents(),
    e.addEdges(ring(13, 'follows')),
    e.path('n0', 'n150', 'out', ['follows']),
    e.personalizedPagerank(['n1', 'n2']),
    e.addEdges([{ source: 'n0', target: 'ghost', kind: 'follows' }]),
    e.influencers(3),
    e.referralRings(),
  ])
  assert.deepEqual(settled.map((s) => s.status), [
    'fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'fulfilled',
    'fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled',
  ])
  const [ranks, communities, colleagues, reach, scc, follows, path, near, ghost, top, rings] = settled.map((s) => s.value ?? s.reason)
  assert.equal(ranks.ids.length, 300)
  assert.equal(communities.ids.length, 300)
  assert.deepEqual(colleagues, { inserted: 600, updated: 0 })
  assert.deepEqual(follows, { inserted: 300, updated: 0 })
  assert.ok(reach.length >= 3)
  assert.equal(scc.count, 1)
  assert.equal(path[0], 'n0')
  assert.equal(path.at(-1), 'n150')
  assert.equal(near.ids.length, 300)
  assert.equal(ghost.field, 'edges[0].target')
  assert.equal(top.ids.length, 3)
  assert.deepEqual(rings, [])
  assert.equal(e.stats().edges, 1_200)
  // Afterwards every read sees every batch.
  assert.equal(e.degree('n0', 'out', ['follows']), 2)
  assert.equal(e.degree('n0', 'both', ['colleague']), 2)
})

test('closed engines reject graph Promises with STORE', async () => {
  const e = await engine(['a', 'b'])
  e.close()
  assert.throws(() => e.addEdge({ source: 'a', target: 'b', kind: 'follows' }), { code: 'STORE' })
  await assert.rejects(e.addEdges([]), { code: 'STORE' })
  await assert.rejects(e.pagerank(), { code: 'STORE' })
  await assert.rejects(e.communities(), { code: 'STORE' })
})

test('edges survive a reopen', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'scrm-node-graph-')), 'graph.scrm')
  const first = new Engine({ path })
  await first.upsertCustomers([{ id: 'a' }, { id: 'b' }, { id: 'c' }])
  await first.addEdges([
    { source: 'a', target: 'b', kind: 'friend', at: AT },
    { source: 'a', target: 'c', kind: 'referred', weight: 2.5, at: '2026-05-01T00:00:00.000001Z' },
  ])
  const before = ['a', 'b', 'c'].map((id) => first.edgesOf(id))
  first.close()
  const second = new Engine({ path })
  assert.deepEqual(['a', 'b', 'c'].map((id) => second.edgesOf(id)), before)
  assert.equal(second.stats().edges, 3)
  assert.deepEqual(second.upline('c'), { chain: ['a'], cycle: false })
  second.close()
})
