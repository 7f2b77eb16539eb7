// Type-checked (tsc --strict, never run) against the generated index.d.ts: the typings
// describe the API the tests exercise, and they compile.

import { Engine, formatSegment } from '../index.js'
import type {
  AttributeValue,
  Customer,
  CustomerInput,
  EventInput,
  MergeReason,
  ScrmError,
  SegmentPage,
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
