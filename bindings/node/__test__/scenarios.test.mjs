// Runs the shared parity scenarios (tests/scenarios/*.json) through the Node API, with the
// same subset matching as the Rust runner (tests/scenarios.rs).

import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { test } from 'node:test'

import { Engine } from '../index.js'
import { errorJson, mismatch, toApi, toJson } from './scenario_json.mjs'

const dir = new URL('../../../tests/scenarios/', import.meta.url)
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort()

/** Each operation of the scenario format, called through the Node API. */
const ops = {
  upsert_customer: (e, s) => e.upsertCustomer(toApi(s.input)),
  upsert_customers: (e, s) => e.upsertCustomers(toApi(s.input)),
  customer: (e, s) => e.customer(s.id),
  customer_ids: (e) => e.customerIds(),
  lookup_identity: (e, s) => e.lookupIdentity(s.channel, s.value),
  merge_customers: (e, s) => e.mergeCustomers(toApi(s.input)),
  merge_history: (e, s) => e.mergeHistory(s.id),
  merges: (e) => e.merges(),
  conflicts: (e, s) => e.conflicts(s.status),
  resolve_conflict: (e, s) => e.resolveConflict(s.id, s.resolution, s.actor),
  record_event: (e, s) => e.recordEvent(toApi(s.input)),
  record_events: (e, s) => e.recordEvents(toApi(s.input)),
  events_of: (e, s) => e.eventsOf(s.id),
  stats: (e) => e.stats(),
  set_clock: (e, s) => e.setClock(s.at),
  tag_customers: (e, s) => e.tagCustomers(s.ids, s.tags, s.source),
  untag_customers: (e, s) => e.untagCustomers(s.ids, s.tags),
  tag_segment: (e, s) => e.tagSegment(s.expression, s.tags, s.source),
  untag_segment: (e, s) => e.untagSegment(s.expression, s.tags),
  tags_of: (e, s) => e.tagsOf(s.id),
  tag_counts: (e) => e.tagCounts(),
  count: (e, s) => e.count(s.expression),
  query: (e, s) => e.query(s.expression, s.offset, s.limit),
  explain: (e, s) => e.explain(s.id, s.expression),
  save_segment: (e, s) => e.saveSegment(s.name, s.expression),
  drop_segment: (e, s) => e.dropSegment(s.name),
  saved_segments: (e) => e.savedSegments(),
  segment_members: (e, s) => e.segmentMembers(s.name, s.offset, s.limit),
  segment_changes: (e, s) => e.segmentChanges(s.name),
  checkpoint_segment: (e, s) => e.checkpointSegment(s.name),
  add_tag_rule: (e, s) => e.addTagRule(s.tag, s.expression),
  drop_tag_rule: (e, s) => e.dropTagRule(s.tag),
  tag_rules: (e) => e.tagRules(),
}

/** Runs one step; returns what went wrong, or null. */
async function runStep(engine, step) {
  const op = ops[step.op]
  if (!op) return `unknown op ${JSON.stringify(step.op)}`
  let actual
  try {
    actual = toJson(await op(engine, step))
  } catch (error) {
    if (!step.error) return `unexpected error ${JSON.stringify(errorJson(error))}`
    return mismatch(step.error, errorJson(error), 'error')
  }
  if (step.error) return `expected an error, got ${JSON.stringify(actual)}`
  return step.expect === undefined ? null : mismatch(step.expect, actual, 'result')
}

test('the shared scenarios are there', () => {
  assert.ok(files.length >= 5, `expected the shared scenarios, found ${files}`)
})

for (const file of files) {
  const scenario = JSON.parse(readFileSync(new URL(file, dir), 'utf8'))
  test(`scenario ${file}: ${scenario.name}`, async () => {
    const engine = new Engine({ config: toApi(scenario.config ?? {}) })
    const failures = []
    for (const [i, step] of scenario.steps.entries()) {
      const problem = await runStep(engine, step)
      if (problem) failures.push(`step ${i} (${step.op}): ${problem}`)
    }
    assert.deepEqual(failures, [])
  })
}

test('the matcher can fail', () => {
  const actual = { id: 'c-1', n: 2, list: [1, 2] }
  assert.equal(mismatch({ id: 'c-1' }, actual, 'r'), null)
  assert.notEqual(mismatch({ id: 'c-2' }, actual, 'r'), null)
  assert.notEqual(mismatch({ n: 2.5 }, actual, 'r'), null)
  assert.notEqual(mismatch({ list: [1] }, actual, 'r'), null)
  assert.notEqual(mismatch({ absent: 1 }, actual, 'r'), null)
  assert.equal(mismatch({ absent: null }, actual, 'r'), null)
})

test('the shape mapping keeps user keys and maps times', () => {
  const input = toApi({ id: 'a', remove_attributes: ['x'], attributes: { first_name: 'Li', born: { time: '2000-01-01T00:00:00Z' } } })
  assert.deepEqual(Object.keys(input).sort(), ['attributes', 'id', 'removeAttributes'])
  assert.deepEqual(Object.keys(input.attributes).sort(), ['born', 'first_name'])
  assert.ok(input.attributes.born instanceof Date)
  const json = toJson({ createdAt: new Date('2026-01-01T00:00:00Z'), attributes: { firstName: new Date(0) } })
  assert.deepEqual(json, { created_at: '2026-01-01T00:00:00Z', attributes: { firstName: { time: '1970-01-01T00:00:00Z' } } })
})
