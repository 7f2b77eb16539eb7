// The figures of the Node binding (issue 8), run on demand after `npm run build`:
//   node bench.mjs [EVENTS]          (default 1,000,000)
// - batch ingest from a JS array: EVENTS event objects for 100,000 customers, recorded by
//   `recordEvents` in batches of 100,000 (awaited in turn); target >= 300,000 events/s;
// - per-call overhead of a trivial synchronous method (`contains`), median of 9 rounds of
//   200,000 calls; target <= 2 µs.
// Prints one JSON line (the figures) after a readable summary.
import { Engine } from './index.js'

const events = Number(process.argv[2] ?? 1_000_000)
const customers = 100_000
const batch = 100_000
const kinds = ['view', 'comment', 'share', 'purchase', 'follow']
const start = Date.UTC(2026, 0, 1)

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

const engine = new Engine()
const ids = Array.from({ length: customers }, (_, i) => `c${i}`)
for (let i = 0; i < customers; i += batch) {
  await engine.upsertCustomers(ids.slice(i, i + batch).map((id) => ({ id })))
}

// Seeded (xorshift32), so every run ingests the same events.
let seed = 0x9e3779b9
const next = () => {
  seed ^= seed << 13
  seed ^= seed >>> 17
  seed ^= seed << 5
  return (seed >>> 0) / 2 ** 32
}
const rows = Array.from({ length: events }, () => {
  const kind = kinds[Math.floor(next() * kinds.length)]
  const row = {
    customer: ids[Math.floor(next() * customers)],
    kind,
    channel: 'wechat',
    at: new Date(start + Math.floor(next() * 180 * 86_400_000)),
  }
  if (kind === 'purchase') row.amount = 10 + Math.floor(next() * 200)
  return row
})

const began = process.hrtime.bigint()
for (let i = 0; i < events; i += batch) {
  await engine.recordEvents(rows.slice(i, i + batch))
}
const ingestS = Number(process.hrtime.bigint() - began) / 1e9

const calls = 200_000
const rounds = []
for (let r = 0; r < 9; r++) {
  const t = process.hrtime.bigint()
  for (let i = 0; i < calls; i++) engine.contains('nobody')
  rounds.push(Number(process.hrtime.bigint() - t) / 1e3 / calls)
}
const perCallUs = median(rounds)

const figures = { events, ingest_s: ingestS, events_per_s: events / ingestS, per_call_us: perCallUs }
console.log(`ingest: ${events.toLocaleString()} events in ${ingestS.toFixed(2)} s = ` +
  `${Math.round(figures.events_per_s).toLocaleString()} events/s (target >= 300,000)`)
console.log(`per call (contains): ${perCallUs.toFixed(3)} µs (target <= 2)`)
console.log(JSON.stringify(figures))
