// Referral programmes and the points ledger: the policy, programmes, codes, redemption and
// fraud holds, rewards granted by recordEvents, approval, refunds, points, figures, errors.

import assert from 'node:assert/strict'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'

import { Engine } from '../index.js'

const T0 = new Date('2026-06-01T12:00:00Z')
const DAY = 86_400_000
const later = (days) => new Date(T0.getTime() + days * DAY)

/** An engine at T0 with customers created now. */
async function engine(ids) {
  const e = new Engine()
  e.setClock(T0)
  await e.upsertCustomers(ids.map((id) => ({ id })))
  return e
}

const join_ = (e, id) => e.upsertCustomer({ id })
const purchase = (customer, amount, key, at = T0) => ({ customer, kind: 'purchase', channel: 'app', at, amount, idempotencyKey: key })
const refer = (e, referrer, referee, campaign) => e.redeemCode(e.issueCode(referrer, campaign).code, referee)

test('the policy: defaults, replacing it, and its errors', async () => {
  const e = await engine([])
  assert.deepEqual(e.referralPolicy(), {
    codeLength: 8,
    newCustomerHours: 24,
    rejectExistingReferees: false,
    maxRedemptionsPerHour: 20,
    approvalDelayHours: 0,
    allowance: null,
  })
  e.setReferralPolicy({ codeLength: 10, approvalDelayHours: 48, allowance: { limit: 5, unit: 'rewards', window: 'rolling_month' } })
  assert.deepEqual(e.referralPolicy(), {
    codeLength: 10,
    newCustomerHours: 24,
    rejectExistingReferees: false,
    maxRedemptionsPerHour: 20,
    approvalDelayHours: 48,
    allowance: { limit: 5, unit: 'rewards', window: 'rolling_month' },
  })
  // Fields left out take their defaults, not the values in force.
  e.setReferralPolicy({})
  assert.equal(e.referralPolicy().codeLength, 8)
  assert.equal(e.referralPolicy().allowance, null)
  assert.throws(() => e.setReferralPolicy({ codeLength: 3 }), { code: 'VALIDATION', field: 'policy.code_length' })
  assert.throws(() => e.setReferralPolicy({ codeLength: 8.5 }), { code: 'VALIDATION', field: 'policy.code_length' })
  assert.throws(() => e.setReferralPolicy({ newCustomerHours: -1 }), { code: 'VALIDATION', field: 'policy.new_customer_hours' })
  assert.throws(() => e.setReferralPolicy({ allowance: { limit: -1, unit: 'points', window: 'lifetime' } }), { code: 'VALIDATION', field: 'policy.allowance.limit' })
  assert.throws(() => e.setReferralPolicy({ allowance: { limit: 1, unit: 'coins', window: 'lifetime' } }), { code: 'InvalidArg' })
})

test('programmes: defaults filled in, tagged triggers both ways, replacement', async () => {
  const e = await engine([])
  const welcome = e.defineProgramme({ name: 'Welcome', trigger: { type: 'first_purchase' }, referrerPoints: 1000 })
  assert.deepEqual(welcome, {
    name: 'welcome',
    campaign: null,
    trigger: { type: 'first_purchase' },
    referrerPoints: 1000,
    refereePoints: 0,
    levelPercents: [100],
    caps: { perReferrerDay: null, perReferrerMonth: null, budget: null },
    startsAt: null,
    endsAt: null,
    expiryDays: null,
    milestones: [],
  })
  const spring = e.defineProgramme({
    name: 'spring',
    campaign: 'Spring-2026',
    trigger: { type: 'purchase', minAmount: 100 },
    referrerPoints: 40,
    refereePoints: 10,
    levelPercents: [100, 20, 5],
    caps: { perReferrerDay: 250, budget: 1_000_000_000_000 },
    startsAt: '2026-03-01T00:00:00Z',
    endsAt: new Date('2026-07-01T00:00:00Z'),
    expiryDays: 30,
    milestones: [{ referrals: 5, points: 500 }, { referrals: 2, points: 100 }],
  })
  assert.equal(spring.campaign, 'spring-2026')
  assert.deepEqual(spring.trigger, { type: 'purchase', minAmount: 100 })
  assert.deepEqual(spring.caps, { perReferrerDay: 250, perReferrerMonth: null, budget: 1_000_000_000_000 })
  assert.deepEqual([spring.startsAt.toISOString(), spring.endsAt.toISOString()], ['2026-03-01T00:00:00.000Z', '2026-07-01T00:00:00.000Z'])
  assert.deepEqual(spring.milestones, [{ referrals: 2, points: 100 }, { referrals: 5, points: 500 }])
  const event = e.defineProgramme({ name: 'sharers', trigger: { type: 'event', kind: 'Share' }, referrerPoints: 5 })
  assert.deepEqual(event.trigger, { type: 'event', kind: 'share' })
  e.defineProgramme({ name: 'join', trigger: { type: 'signup' }, referrerPoints: 1 })
  // Replacing keeps the definition order.
  e.defineProgramme({ name: 'welcome', trigger: { type: 'signup' }, referrerPoints: 7 })
  const all = e.programmes()
  assert.deepEqual(all.map((p) => [p.name, p.trigger.type]), [['welcome', 'signup'], ['spring', 'purchase'], ['sharers', 'event'], ['join', 'signup']])
  assert.deepEqual(all[1], spring)
})

test('bad programmes are VALIDATION errors naming the field, and define nothing', async () => {
  const e = await engine([])
  const base = { name: 'x', trigger: { type: 'signup' }, referrerPoints: 1 }
  for (const [change, field] of [
    [{ referrerPoints: -1 }, 'programme.referrer_points'],
    [{ referrerPoints: 1.5 }, 'programme.referrer_points'],
    [{ referrerPoints: 1e12 + 1 }, 'programme.referrer_points'],
    [{ refereePoints: -5 }, 'programme.referee_points'],
    [{ name: 'has space' }, 'programme.name'],
    [{ campaign: 'no way' }, 'programme.campaign'],
    [{ levelPercents: [100, 120] }, 'programme.level_percents[1]'],
    [{ levelPercents: [100, 0.5] }, 'programme.level_percents[1]'],
    [{ levelPercents: [] }, 'programme.level_percents'],
    [{ caps: { perReferrerMonth: -1 } }, 'programme.caps.per_referrer_month'],
    [{ startsAt: T0, endsAt: T0 }, 'programme.ends_at'],
    [{ startsAt: 'soon' }, 'programme.starts_at'],
    [{ expiryDays: 0 }, 'programme.expiry_days'],
    [{ milestones: [{ referrals: 0, points: 1 }] }, 'programme.milestones[0].referrals'],
    [{ milestones: [{ referrals: 1, points: 1 }, { referrals: 2, points: -1 }] }, 'programme.milestones[1].points'],
    [{ milestones: [{ referrals: 1, points: 1 }, { referrals: 1, points: 2 }] }, 'programme.milestones'],
    [{ trigger: { type: 'purchase', minAmount: NaN } }, 'programme.trigger.min_amount'],
    [{ trigger: { type: 'purchase', minAmount: -1 } }, 'programme.trigger.min_amount'],
    [{ trigger: { type: 'event', kind: 'bad kind' } }, 'programme.trigger.kind'],
  ]) {
    assert.throws(() => e.defineProgramme({ ...base, ...change }), { code: 'VALIDATION', field }, JSON.stringify(change))
  }
  // An unknown trigger type is refused by napi before the engine.
  assert.throws(() => e.defineProgramme({ ...base, trigger: { type: 'birthday' } }))
  assert.deepEqual(e.programmes(), [])
})

test('codes are issued once per campaign and found in any case', async () => {
  const e = await engine(['ann', 'bo'])
  const code = e.issueCode('ann')
  assert.equal(code.code.length, 8)
  assert.deepEqual({ ...code, code: '' }, { code: '', customer: 'ann', campaign: null, issuedAt: T0 })
  assert.deepEqual(e.issueCode('ann'), code)
  assert.deepEqual(e.issueCode('ann', null), code)
  const spring = e.issueCode('ann', 'Spring')
  assert.notEqual(spring.code, code.code)
  assert.equal(spring.campaign, 'spring')
  const typed = `${code.code.slice(0, 4)}-${code.code.slice(4)}`.toLowerCase()
  assert.deepEqual(e.lookupCode(typed), code)
  assert.throws(() => e.lookupCode('ZZZZZZZZ'), { code: 'NOT_FOUND' })
  assert.throws(() => e.lookupCode('0000'), { code: 'VALIDATION', field: 'code' })
  assert.throws(() => e.issueCode('ghost'), { code: 'NOT_FOUND' })
  assert.throws(() => e.issueCode('ann', 'bad campaign'), { code: 'VALIDATION', field: 'campaign' })
})

test('a referral flow: programme, codes, redemption, purchases, balance, ledger, leaderboard', async () => {
  const e = await engine(['a', 'b', 'c'])
  e.defineProgramme({ name: 'welcome', trigger: { type: 'first_purchase' }, referrerPoints: 1000, refereePoints: 300, levelPercents: [100, 20, 5] })
  refer(e, 'a', 'b')
  refer(e, 'b', 'c')
  join_(e, 'd')
  const referral = refer(e, 'c', 'd')
  assert.deepEqual({ ...referral, code: '' }, {
    id: 2,
    referrer: 'c',
    referee: 'd',
    code: '',
    campaign: null,
    redeemedAt: T0,
    status: 'approved',
    hold: null,
    // Without an approval delay, the rewards are released at the redemption.
    approveAt: T0,
  })
  assert.deepEqual(e.referral(2), referral)
  assert.deepEqual(e.referralOf('d'), referral)
  assert.equal(e.referralOf('a'), null)
  assert.deepEqual(e.referrals().map((r) => [r.referrer, r.referee]), [['a', 'b'], ['b', 'c'], ['c', 'd']])
  assert.deepEqual(e.referrals('approved').length, 3)
  assert.deepEqual(e.referrals('flagged'), [])
  // The redemption linked them with referred edges.
  assert.deepEqual(e.upline('d'), { chain: ['c', 'b', 'a'], cycle: false })
  assert.deepEqual(await e.recordEvents([purchase('d', 50, 'p1'), purchase('d', 80, 'p2')]), { inserted: 2, duplicates: 0 })
  const spendable = (id) => e.balance(id).spendable
  assert.deepEqual(['d', 'c', 'b', 'a'].map(spendable), [300, 1000, 200, 50])
  assert.deepEqual(e.balance('c'), { balance: 1000, spendable: 1000, pending: 0, expiring30d: 0 })
  // The same purchase again is a duplicate event and pays nothing more.
  assert.deepEqual(e.recordEvent(purchase('d', 50, 'p1')), { inserted: 0, duplicates: 1 })
  assert.equal(spendable('c'), 1000)
  const [entry] = e.ledger('b')
  assert.deepEqual(entry, {
    id: entry.id,
    customer: 'b',
    kind: 'earn',
    points: 200,
    at: T0,
    expiresAt: null,
    programme: 'welcome',
    referral: 2,
    offsets: null,
    reason: 'referrer level 2',
  })
  assert.equal(e.ledger('b').length, 1)
  const board = e.referralLeaderboard(2)
  assert.ok(board instanceof Promise)
  assert.deepEqual(await board, [
    { customer: 'c', referrals: 1, converted: 1, points: 1000 },
    { customer: 'b', referrals: 1, converted: 0, points: 200 },
  ])
  const funnel = e.referralFunnel(later(-1), later(1))
  assert.ok(funnel instanceof Promise)
  assert.deepEqual(await funnel, {
    codesIssued: 3,
    redeemed: 3,
    converted: 1,
    redemptionRate: 1,
    conversionRate: 1 / 3,
    kFactor: 0,
    cost: 1550,
  })
  assert.deepEqual(await e.referralFunnel('2026-06-01T00:00:00Z', '2026-06-01T12:00:00Z'), {
    codesIssued: 0, redeemed: 0, converted: 0, redemptionRate: 0, conversionRate: 0, kFactor: 0, cost: 0,
  })
})

test('rewards wait for the approval delay; a refund event claws them back', async () => {
  const e = await engine(['r'])
  e.setReferralPolicy({ approvalDelayHours: 24 * 7 })
  e.defineProgramme({ name: 'buy', trigger: { type: 'first_purchase' }, referrerPoints: 500, refereePoints: 100 })
  join_(e, 'n')
  const referral = refer(e, 'r', 'n')
  assert.equal(referral.status, 'pending')
  assert.deepEqual(referral.approveAt, later(7))
  await e.recordEvents([purchase('n', 30, 'order-1')])
  assert.deepEqual(e.balance('r'), { balance: 500, spendable: 0, pending: 500, expiring30d: 0 })
  assert.throws(() => e.redeemPoints('r', 1, 'gift'), { code: 'CONFLICT' })
  e.setClock(later(8))
  assert.equal(e.referral(referral.id).status, 'approved')
  assert.equal(e.balance('r').spendable, 500)
  assert.deepEqual(e.redeemPoints('r', 200, 'gift'), { balance: 300, spendable: 300, pending: 0, expiring30d: 0 })
  await e.recordEvents([{ customer: 'n', kind: 'refund', channel: 'app', at: later(8), properties: { purchase: 'order-1' } }])
  assert.equal(e.referral(referral.id).status, 'voided')
  assert.deepEqual([e.balance('r').balance, e.balance('n').balance], [0, 0])
  assert.deepEqual(e.upline('n').chain, [])
  const ledger = e.ledger('r')
  assert.deepEqual(ledger.map((x) => [x.kind, x.points]), [['earn', 500], ['redeem', -200], ['reverse', -300]])
  assert.equal(ledger[2].offsets, ledger[0].id)
  assert.equal(ledger[1].reason, 'gift')
})

test('fraud holds wait for a person; a second referrer is a CONFLICT', async () => {
  const e = await engine(['old', 'r'])
  e.defineProgramme({ name: 'join', trigger: { type: 'signup' }, referrerPoints: 100 })
  e.setClock(later(2))
  const held = refer(e, 'r', 'old')
  assert.deepEqual([held.status, held.hold], ['flagged', 'existing_referee'])
  assert.deepEqual(e.upline('old').chain, [])
  assert.equal(e.balance('r').balance, 0)
  assert.deepEqual(e.referrals('flagged').map((x) => x.id), [held.id])
  const approved = e.approveReferral(held.id)
  assert.deepEqual([approved.status, approved.hold], ['approved', 'existing_referee'])
  assert.deepEqual(e.approveReferral(held.id), approved, 'approving twice is a no-op')
  assert.deepEqual(e.upline('old').chain, ['r'])
  assert.equal(e.balance('r').spendable, 100)
  // old already has a referrer.
  join_(e, 'other')
  assert.throws(() => refer(e, 'other', 'old'), { code: 'CONFLICT' })
  // A ring: r redeeming old's code would close it.
  const ring = refer(e, 'old', 'r')
  assert.equal(ring.hold, 'ring')
  const rejected = e.rejectReferral(ring.id)
  assert.equal(rejected.status, 'voided')
  assert.throws(() => e.approveReferral(ring.id), { code: 'CONFLICT' })
  // Self-referral.
  join_(e, 's')
  assert.equal(e.redeemCode(e.issueCode('s').code, 's').hold, 'self_referral')
  // Velocity.
  e.setReferralPolicy({ maxRedemptionsPerHour: 1 })
  join_(e, 'v1')
  join_(e, 'v2')
  assert.deepEqual([refer(e, 'other', 'v1').hold, refer(e, 'other', 'v2').hold], [null, 'velocity'])
})

test('NOT_FOUND for unknown customers, codes and referrals', async () => {
  const e = await engine(['a'])
  const code = e.issueCode('a').code
  for (const call of [
    () => e.issueCode('ghost'),
    () => e.lookupCode('ZZZZZZZZ'),
    () => e.redeemCode('ZZZZZZZZ', 'a'),
    () => e.redeemCode(code, 'ghost'),
    () => e.referral(0),
    () => e.referral(99),
    () => e.referralOf('ghost'),
    () => e.approveReferral(99),
    () => e.rejectReferral(99),
    () => e.balance('ghost'),
    () => e.ledger('ghost'),
    () => e.redeemPoints('ghost', 1, 'x'),
    () => e.adjustPoints('ghost', 1, 'x'),
  ]) {
    assert.throws(call, { code: 'NOT_FOUND' })
  }
  assert.throws(() => e.referral(-1), { code: 'VALIDATION', field: 'id' })
  assert.throws(() => e.approveReferral(0.5), { code: 'VALIDATION', field: 'id' })
})

test('points: adjustments, earliest-expiring lots first, expiry, and their errors', async () => {
  const e = await engine(['r'])
  e.defineProgramme({ name: 'join', trigger: { type: 'signup' }, referrerPoints: 100, expiryDays: 30 })
  join_(e, 'a')
  refer(e, 'r', 'a')
  const [earned] = e.ledger('r')
  assert.deepEqual(earned.expiresAt, later(30))
  e.setClock(later(10))
  assert.deepEqual(e.adjustPoints('r', 50, 'goodwill'), { balance: 150, spendable: 150, pending: 0, expiring30d: 100 })
  assert.deepEqual(e.redeemPoints('r', 120, 'voucher'), { balance: 30, spendable: 30, pending: 0, expiring30d: 0 })
  const entries = e.ledger('r')
  assert.deepEqual(entries.map((x) => [x.kind, x.points, x.offsets]), [['earn', 100, null], ['adjust', 50, null], ['redeem', -100, 0], ['redeem', -20, 1]])
  assert.throws(() => e.adjustPoints('r', -31, 'fix'), { code: 'CONFLICT' })
  assert.throws(() => e.redeemPoints('r', 31, 'too much'), { code: 'CONFLICT' })
  assert.throws(() => e.redeemPoints('r', 0, 'x'), { code: 'VALIDATION', field: 'points' })
  assert.throws(() => e.redeemPoints('r', 1.5, 'x'), { code: 'VALIDATION', field: 'points' })
  assert.throws(() => e.adjustPoints('r', 2 ** 60, 'x'), { code: 'VALIDATION', field: 'points' })
  assert.equal(e.balance('r').balance, 30, 'refused calls change nothing')
  // Expiry: the adjustment's lot never expires; a second programme's lot does.
  e.defineProgramme({ name: 'short', trigger: { type: 'signup' }, referrerPoints: 10, expiryDays: 1 })
  join_(e, 'b')
  refer(e, 'r', 'b')
  // b's signup pays both programmes: 100 from join (30 days), 10 from short (1 day).
  assert.equal(e.balance('r').balance, 140)
  e.setClock(later(12))
  assert.deepEqual(e.balance('r'), { balance: 140, spendable: 130, pending: 0, expiring30d: 100 })
  const pending = e.expirePoints()
  assert.ok(pending instanceof Promise)
  assert.equal(await pending, 1)
  assert.equal(await e.expirePoints(), 0)
  const last = e.ledger('r').at(-1)
  assert.deepEqual([last.kind, last.points, last.programme], ['expire', -10, 'short'])
  assert.equal(e.balance('r').balance, 130)
})

test('allowances, caps and milestones are the core\'s', async () => {
  const e = await engine(['r'])
  e.setReferralPolicy({ allowance: { limit: 2, unit: 'rewards', window: 'calendar_month' } })
  e.defineProgramme({ name: 'a', trigger: { type: 'signup' }, referrerPoints: 10 })
  e.defineProgramme({ name: 'b', trigger: { type: 'signup' }, referrerPoints: 20, caps: { perReferrerDay: 25 } })
  for (const id of ['x', 'y']) {
    join_(e, id)
    refer(e, 'r', id)
  }
  assert.equal(e.balance('r').balance, 30)
  const m = await engine(['r'])
  m.defineProgramme({ name: 'm', trigger: { type: 'purchase', minAmount: 10 }, referrerPoints: 10, milestones: [{ referrals: 2, points: 500 }] })
  for (const [i, id] of ['a', 'b', 'c'].entries()) {
    join_(m, id)
    refer(m, 'r', id)
    await m.recordEvents([purchase(id, 9, `small${i}`), purchase(id, 10, `k${i}`)])
  }
  assert.equal(m.balance('r').spendable, 530)
  assert.deepEqual(await m.referralLeaderboard(5), [{ customer: 'r', referrals: 3, converted: 3, points: 530 }])
  assert.ok(m.ledger('r').some((x) => x.reason === 'milestone 2'))
})

test('referralFunnel and referralLeaderboard reject their errors', async () => {
  const e = await engine(['r'])
  await assert.rejects(e.referralFunnel(T0, T0), { code: 'VALIDATION', field: 'until' })
  await assert.rejects(e.referralFunnel('not a time', T0), { code: 'VALIDATION', field: 'from' })
  await assert.rejects(e.referralLeaderboard(-1), { code: 'VALIDATION', field: 'n' })
  assert.deepEqual(await e.referralLeaderboard(10), [])
})

test('referral Promises in flight with writes', async () => {
  const e = await engine(['r'])
  // 40 redemptions in an hour: above the default velocity limit of 20.
  e.setReferralPolicy({ maxRedemptionsPerHour: 100 })
  e.defineProgramme({ name: 'buy', trigger: { type: 'purchase', minAmount: 0 }, referrerPoints: 7, refereePoints: 3 })
  const ids = Array.from({ length: 40 }, (_, i) => `c${i}`)
  await e.upsertCustomers(ids.map((id) => ({ id })))
  ids.forEach((id) => refer(e, 'r', id))
  const results = await Promise.all([
    ...ids.map((id, i) => e.recordEvents([purchase(id, 5, `o${i}`)])),
    e.referralLeaderboard(1),
    e.referralFunnel(later(-1), later(1)),
    e.expirePoints(),
    e.pagerank(),
  ])
  assert.equal(results.length, 44)
  assert.equal(e.balance('r').balance, 7 * 40)
  assert.ok(ids.every((id) => e.balance(id).balance === 3))
  assert.equal((await e.referralFunnel(later(-1), later(1))).converted, 40)
})

test('the ledger survives a reopen; closed engines throw STORE', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'scrm-node-referrals-')), 'ref.scrm')
  const first = new Engine({ path })
  first.setClock(T0)
  await first.upsertCustomers([{ id: 'r' }, { id: 'n' }])
  first.setReferralPolicy({ codeLength: 12 })
  first.defineProgramme({ name: 'join', trigger: { type: 'signup' }, referrerPoints: 100 })
  const code = first.issueCode('r').code
  assert.equal(code.length, 12)
  first.redeemCode(code, 'n')
  first.redeemPoints('r', 40, 'spent')
  const ledger = first.ledger('r')
  first.close()
  assert.throws(() => first.balance('r'), { code: 'STORE' })
  assert.throws(() => first.referralPolicy(), { code: 'STORE' })
  await assert.rejects(first.expirePoints(), { code: 'STORE' })
  await assert.rejects(first.referralFunnel(T0, later(1)), { code: 'STORE' })
  const second = new Engine({ path })
  assert.deepEqual(second.ledger('r'), ledger)
  assert.equal(second.referralPolicy().codeLength, 12)
  assert.equal(second.lookupCode(code).customer, 'r')
  assert.equal(second.programmes()[0].name, 'join')
  assert.equal(second.referrals().length, 1)
  second.close()
})
