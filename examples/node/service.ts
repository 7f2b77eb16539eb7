// A small HTTP service on the scrm engine: POST /events records one event and answers with
// the customer's stage on the built-in `commercial` ladder and their points balance.
//
//   curl -X POST localhost:3000/events \
//     -d '{"customer":"c-1","kind":"purchase","channel":"app","amount":30}'
//   {"customer":"c-1","stage":"customer","points":0}
//
// Build the binding first (bindings/node/test.sh does, and type-checks this file with
// tsc --strict); then compile it with tsc, or run it with `node --experimental-strip-types`
// (Node 22.6 or later). The store is SCRM_PATH (default crm.scrm), the port PORT (3000).

import { createServer } from 'node:http'
import type { IncomingMessage, ServerResponse } from 'node:http'

import { Engine } from '../../bindings/node/index.js'
import type { EventInput, ScrmError } from '../../bindings/node/index.js'

/** What a client posts: the event, `at` defaulting to now. */
interface EventBody {
  customer: string
  kind: string
  channel: string
  amount?: number
  at?: string
}

/** The answer to a recorded event. */
interface EventReply {
  customer: string
  stage: string
  points: number
}

class BadRequest extends Error {}

function parse(text: string): EventBody {
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    throw new BadRequest('body is not JSON')
  }
  const b = body as Partial<Record<keyof EventBody, unknown>> | null
  if (typeof b?.customer !== 'string' || typeof b.kind !== 'string' || typeof b.channel !== 'string') {
    throw new BadRequest('customer, kind and channel must be strings')
  }
  if (b.amount !== undefined && typeof b.amount !== 'number') throw new BadRequest('amount must be a number')
  if (b.at !== undefined && typeof b.at !== 'string') throw new BadRequest('at must be an RFC 3339 string')
  return { customer: b.customer, kind: b.kind, channel: b.channel, amount: b.amount, at: b.at }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

/** Records the event (creating the customer the first time) and reads where they stand. */
async function record(engine: Engine, body: EventBody): Promise<EventReply> {
  if (!engine.contains(body.customer)) await engine.upsertCustomers([{ id: body.customer }])
  const event: EventInput = { ...body, at: body.at ?? new Date() }
  // recordEvents runs off the main thread (and, in file mode, waits for the disk there).
  await engine.recordEvents([event])
  return {
    customer: body.customer,
    stage: engine.stage(body.customer, 'commercial'),
    points: engine.balance(body.customer).spendable,
  }
}

/** HTTP status of an engine error: the caller's fault (4xx) or the service's (500). */
function status(error: unknown): number {
  if (error instanceof BadRequest) return 400
  switch ((error as Partial<ScrmError>).code) {
    case 'VALIDATION':
    case 'SEGMENT_SYNTAX':
    case 'SEGMENT_TYPE':
      return 400
    case 'NOT_FOUND':
      return 404
    case 'CONFLICT':
      return 409
    default:
      return 500
  }
}

function reply(res: ServerResponse, code: number, body: object): void {
  res.writeHead(code, { 'content-type': 'application/json' }).end(JSON.stringify(body))
}

async function main(): Promise<void> {
  const engine = await Engine.open({ path: process.env.SCRM_PATH ?? 'crm.scrm' })
  await engine.enableLadder('commercial')
  const server = createServer((req, res) => {
    if (req.method !== 'POST' || req.url !== '/events') return reply(res, 404, { error: 'POST /events only' })
    readBody(req)
      .then((text) => record(engine, parse(text)))
      .then((answer) => reply(res, 200, answer))
      .catch((error: unknown) => {
        const e = error as Partial<ScrmError>
        reply(res, status(error), { error: e.message ?? String(error), code: e.code, field: e.field })
      })
  })
  server.listen(Number(process.env.PORT ?? 3000))
  process.once('SIGINT', () => server.close(() => engine.close()))
}

main().catch((error: unknown) => {
  console.error(error)
  process.exitCode = 1
})
