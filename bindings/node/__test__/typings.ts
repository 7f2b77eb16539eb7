// Type-checked (tsc --strict, never run) against the generated index.d.ts: the typings
// describe the API the tests exercise, and they compile.

import { Engine, expectedPurchasesNew, fitBgnbd, fitGammaGamma, formatSegment, predict, simulate } from '../index.js'
import type {
  ActivityRate,
  BgNbdFit,
  GammaGammaFit,
  Predictions,
  Summaries,
  AttributeValue,
  Balance,
  ChurnModel,
  ChurnOptionsInput,
  ChurnTable,
  CohortRetention,
  CommunityReport,
  Customer,
  CustomerInput,
  Edge,
  EdgeDirection,
  EdgeInput,
  EdgeReport,
  EventInput,
  Funnel,
  LadderInfo,
  LedgerEntry,
  MergeReason,
  MonthlyCounts,
  MovedTable,
  Programme,
  ProgrammeInput,
  Ranking,
  Referral,
  ReferralFunnel,
  ReferralPolicy,
  ReferralStatus,
  RfmSegment,
  RfmTable,
  ScoreTable,
  ScoringConfig,
  ScoringConfigInput,
  ScrmError,
  SegmentPage,
  StageInput,
  StageMove,
  StageTimes,
  SummaryTable,
  Trigger,
  Upline,
} from '../index.js'

export async function usage(): Promise<string[]> {
  const engine: Engine = new Engine({ config: { merge: { identified: 'flag', strategies: { points: 'sum' } } } })
  const input: CustomerInput = {
    id: 'c-1',
    at: new Date(),
    attributes: { city: 'Shanghai', age: 31, big: 1n, born: new Date(0), tags: ['a'] },
    identities: [{ channel: 'email', value: 'li@example.com' }],
  }
  engine.upsertCustomer(input)
  const event: EventInput = { customer: 'c-1', kind: 'view', channel: 'app', at: '2026-01-01T00:00:00Z', direction: 'outbound' }
  const report = await engine.recordEvents([event])
  const inserted: number = report.inserted
  const customer: Customer = engine.customer('c-1')
  const city: AttributeValue | undefined = customer.attributes.city
  const firstSeen: Date | null = customer.activity.firstSeen
  const page: SegmentPage = await engine.query('attr.age > 3', 0, 10)
  const owner: string | null = engine.lookupIdentity('email', 'li@example.com')
  for (const record of engine.merges()) {
    const reason: MergeReason = record.reason
    if (reason.type === 'manual') reason.note.toUpperCase()
    if (reason.type === 'conflict_resolved') reason.conflict.toFixed()
  }
  engine.conflicts('open').map((c) => c.status === 'kept_apart')
  engine.setClock()
  try {
    formatSegment('tag:')
  } catch (e) {
    const error = e as ScrmError
    if (error.code === 'SEGMENT_SYNTAX') return [String(error.line), String(error.column)]
  }
  const other: Engine = await Engine.open({ path: 'crm.scrm' })
  other.close()
  return [String(inserted), String(city), String(firstSeen), String(page.total), owner ?? '']
}

export async function graph(engine: Engine): Promise<number> {
  const edge: EdgeInput = { source: 'a', target: 'b', kind: 'referred', weight: 2, at: new Date() }
  const one: EdgeReport = engine.addEdge(edge)
  const many: EdgeReport = await engine.addEdges([edge, { source: 'b', target: 'c', kind: 'friend', at: '2026-01-01T00:00:00Z' }])
  const removed: boolean = engine.removeEdge('a', 'b', 'referred')
  const direction: EdgeDirection = 'in'
  const edges: Edge[] = engine.edgesOf('a', direction, ['follows'])
  const created: Date = edges[0].createdAt
  const neighbours: string[] = engine.neighbours('a')
  const degree: number = engine.degree('a', 'both')
  const reach: string[] = await engine.reach('a', 2, 'out', [])
  const path: string[] | null = await engine.path('a', 'c')
  const down: string[][] = await engine.downline('a', 3)
  const up: Upline = engine.upline('c')
  const ranks: Ranking = await engine.pagerank({ edges: { kinds: ['follows'], reversed: [] }, damping: 0.9, weighted: false, tol: 1e-8, maxIter: 200 })
  const near: Ranking = await engine.personalizedPagerank(['a'], { damping: 0.85 })
  const top: Ranking = await engine.influencers(10)
  const advocates: Ranking = await engine.advocates(10)
  const found: CommunityReport = await engine.communities({ resolution: 1.2, seed: 7 })
  const scc: CommunityReport = await engine.stronglyConnectedComponents({ kinds: ['referred'] })
  const rings: string[][] = await engine.referralRings()
  const stats = engine.stats()
  return one.inserted + many.updated + Number(removed) + created.getTime() + neighbours.length + degree + reach.length +
    (path?.length ?? 0) + down.length + up.chain.length + Number(up.cycle) + ranks.scores[0] + near.iterations + top.ids.length + advocates.ids.length +
    found.modularity + found.communities[0] + scc.count + rings.length + stats.edges + stats.graphSnapshotBytes
}

export async function referrals(engine: Engine): Promise<number> {
  engine.setReferralPolicy({ approvalDelayHours: 24, allowance: { limit: 1000, unit: 'points', window: 'calendar_month' } })
  const policy: ReferralPolicy = engine.referralPolicy()
  const allowance: number | undefined = policy.allowance?.limit
  const triggers: Trigger[] = [{ type: 'signup' }, { type: 'first_purchase' }, { type: 'purchase', minAmount: 10 }, { type: 'event', kind: 'share' }]
  const input: ProgrammeInput = {
    name: 'welcome',
    trigger: triggers[2],
    referrerPoints: 100,
    refereePoints: 20,
    levelPercents: [100, 10],
    caps: { budget: 10_000 },
    startsAt: new Date(),
    endsAt: '2027-01-01T00:00:00Z',
    expiryDays: 90,
    milestones: [{ referrals: 3, points: 50 }],
  }
  const programme: Programme = engine.defineProgramme(input)
  if (programme.trigger.type === 'purchase') programme.trigger.minAmount.toFixed()
  if (programme.trigger.type === 'event') programme.trigger.kind.toUpperCase()
  const budget: number | null = programme.caps.budget
  const ends: Date | null = programme.endsAt
  engine.programmes().map((p) => p.name)
  const code = engine.issueCode('a', 'spring')
  const campaign: string | null = engine.lookupCode(code.code).campaign
  const referral: Referral = engine.redeemCode(code.code, 'b')
  const status: ReferralStatus = referral.status
  const approveAt: Date | null = referral.approveAt
  const of: Referral | null = engine.referralOf('b')
  engine.referrals('flagged').map((r) => r.hold === 'velocity')
  engine.approveReferral(referral.id)
  engine.rejectReferral(engine.referral(referral.id).id)
  const balance: Balance = engine.balance('a')
  const ledger: LedgerEntry[] = engine.ledger('a')
  const offsets: number | null = ledger[0].offsets
  engine.redeemPoints('a', 10, 'gift')
  engine.adjustPoints('a', -5, 'fix')
  const expired: number = await engine.expirePoints()
  const board = await engine.referralLeaderboard(5)
  const funnel: ReferralFunnel = await engine.referralFunnel(new Date(0), '2027-01-01T00:00:00Z')
  const event: EventInput = { customer: 'b', kind: 'refund', channel: 'app', at: new Date(), properties: { purchase: 'order-1' } }
  await engine.recordEvents([event])
  return (allowance ?? 0) + (budget ?? 0) + (ends?.getTime() ?? 0) + (campaign?.length ?? 0) + status.length + (approveAt?.getTime() ?? 0) +
    (of?.id ?? 0) + balance.spendable + balance.expiring30d + (offsets ?? 0) + expired + board[0].points + funnel.kFactor
}

export async function lifecycle(engine: Engine): Promise<number> {
  const config: ScoringConfigInput = { weights: [{ kind: 'share', weight: 5 }, { kind: 'message', direction: 'outbound', weight: 1 }], halfLifeDays: 14 }
  await engine.setScoring(config)
  await engine.setScoring({})
  const scoring: ScoringConfig = engine.scoring()
  const direction: 'inbound' | 'outbound' = scoring.weights[0].direction
  const score: number = engine.score('a')
  const scores: ScoreTable = await engine.scores()
  const rfm: RfmTable = await engine.rfm()
  const segment: RfmSegment = rfm.segment[0]
  const commercial: LadderInfo = await engine.enableLadder('commercial')
  const stages: StageInput[] = [{ name: 'basic' }, { name: 'gold', rule: 'tag:gold' }]
  const loyalty: LadderInfo = await engine.defineLadder('loyalty', stages)
  const ladders: LadderInfo[] = engine.ladders()
  const stage: string = engine.stage('a', 'commercial')
  const history: StageMove[] = engine.stageHistory('a', 'commercial')
  const movedAt: Date = history[0].at
  const times: StageTimes = engine.timeInStages('a', 'commercial')
  const moved: MovedTable = engine.moved('commercial', 'prospect', 'customer', new Date(0), '2027-01-01T00:00:00Z')
  const summaries: SummaryTable = await engine.purchaseSummaries(new Date(), 7)
  const options: ChurnOptionsInput = { fit: { penalizer: 0.001, maxIterations: 200, tolerance: 1e-6 }, clvPeriods: 12, discountRate: 0.01 }
  const model: ChurnModel = await engine.fitChurnModel('2026-12-31T00:00:00Z', 1, options)
  await engine.fitChurnModel(new Date(), 30)
  const stored: ChurnModel | null = engine.churnModel()
  const churn: ChurnTable = await engine.churnTable(30)
  const funnel: Funnel = await engine.funnel('commercial', new Date(0), new Date())
  const rate: ActivityRate = await engine.activityRate('stage(commercial) >= customer', 30)
  const entries: MonthlyCounts = engine.entriesPerMonth('commercial', 'member')
  const cohorts: CohortRetention = await engine.cohortRetention(12)
  return direction.length + score + scores.scores[0] + rfm.r[0] + segment.length + commercial.counts[0] + Number(loyalty.builtIn) +
    ladders.length + stage.length + movedAt.getTime() + times.seconds[0] + moved.at[0].getTime() + summaries.t[0] +
    model.purchases.alpha + model.spend.v + model.periodDays + model.calibrationEnd.getTime() + (stored?.customers ?? 0) +
    churn.pAlive[0] + churn.expectedPurchases[0] + churn.clv[0] + funnel.conversion[0] + rate.rate + entries.counts[0] +
    cohorts.retention[1][0] + cohorts.sizes[0]
}

// The lifecycle models as functions: an engine's SummaryTable is a SummariesInput as it is.
export async function models(engine: Engine): Promise<number> {
  const table: SummaryTable = await engine.purchaseSummaries(new Date(), 1)
  const fit: BgNbdFit = await fitBgnbd(table, { maxIterations: 500 })
  const spend: GammaGammaFit = await fitGammaGamma(table)
  const drawn: Summaries = await simulate(fit.model, 1000, 40, { spend: spend.model, seed: 1 })
  const out: Predictions = await predict(fit.model, spend.model, drawn, { periods: 10, clvPeriods: 6, discountRate: 0 })
  return out.pAlive[0] + out.clv[0] + fit.logLikelihood.mean + expectedPurchasesNew(fit.model, 10)
}
