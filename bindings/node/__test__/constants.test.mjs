// The core's constants as the engine enforces and names them: size limits, event and edge
// kinds, the referral constants.

import assert from 'node:assert/strict'
import { test } from 'node:test'

import { CODE_ALPHABET, DEFAULT_CODE_LEN, Engine, MAX_ID_LEN, MAX_TAG_LEN, edgeKinds, kinds } from '../index.js'

test('size limits are the ones the engine checks', () => {
  const e = new Engine()
  e.upsertCustomer({ id: 'x'.repeat(MAX_ID_LEN) })
  assert.throws(() => e.upsertCustomer({ id: 'x'.repeat(MAX_ID_LEN + 1) }), { code: 'VALIDATION' })
  e.upsertCustomer({ id: 'a' })
  e.tagCustomers(['a'], ['t'.repeat(MAX_TAG_LEN)])
  assert.throws(() => e.tagCustomers(['a'], ['t'.repeat(MAX_TAG_LEN + 1)]), { code: 'VALIDATION' })
})

test('kinds name what the engine counts; edge kinds behave as documented', async () => {
  const e = new Engine()
  for (const id of ['a', 'b']) e.upsertCustomer({ id })
  await e.recordEvents([{ customer: 'a', kind: kinds.PURCHASE, channel: 'app', at: new Date(), amount: 5 }])
  assert.equal(await e.count('amount(purchase) >= 5'), 1)
  assert.deepEqual(Object.keys(kinds).sort(), ['CLICK', 'COMMENT', 'FOLLOW', 'MESSAGE', 'PURCHASE', 'SHARE', 'SIGNUP', 'SURVEY', 'VIEW'])
  e.addEdge({ source: 'a', target: 'b', kind: edgeKinds.FRIEND })
  assert.deepEqual(e.neighbours('b', 'out', [edgeKinds.FRIEND]), ['a'], 'friend edges are mutual')
  assert.throws(() => e.addEdge({ source: 'a', target: 'b', kind: edgeKinds.INTERACTED }), { code: 'VALIDATION' })
})

test('invite codes are drawn from CODE_ALPHABET', () => {
  const e = new Engine()
  e.upsertCustomer({ id: 'a' })
  const programme = e.defineProgramme({ name: 'p', trigger: { type: 'first_purchase' }, referrerPoints: 10 })
  const { code } = e.issueCode('a', programme.id)
  assert.equal(code.length, DEFAULT_CODE_LEN)
  assert.ok([...code].every((c) => CODE_ALPHABET.includes(c)), code)
})
