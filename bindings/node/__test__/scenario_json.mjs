// Maps between the shared scenario files (snake_case keys, RFC 3339 'Z' times, time
// attributes as {"time": ...}) and the Node API (camelCase keys, Date objects), and the
// subset matcher of tests/scenarios.rs. Test support only: the binding itself maps nothing.

import { isDeepStrictEqual } from 'node:util'

/** Keys whose values are maps keyed by user data (attribute keys, kinds): never renamed. */
const MAPS = new Set(['attributes', 'properties', 'counts', 'strategies'])
/** Maps whose values are attribute values (a time is {"time": ...} in JSON, a Date in JS). */
const VALUE_MAPS = new Set(['attributes', 'properties'])

const camel = (key) => key.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase())
const snake = (key) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)
const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date)

/** A scenario input (customer, event, merge request, config) as the Node API takes it. */
export function toApi(value) {
  if (Array.isArray(value)) return value.map(toApi)
  if (!isObject(value)) return value
  const out = {}
  for (const [key, v] of Object.entries(value)) {
    if (VALUE_MAPS.has(key) && isObject(v)) {
      out[camel(key)] = Object.fromEntries(Object.entries(v).map(([k, x]) => [k, attributeToApi(x)]))
    } else if (MAPS.has(key)) {
      out[camel(key)] = v
    } else {
      out[camel(key)] = toApi(v)
    }
  }
  return out
}

function attributeToApi(value) {
  return isObject(value) && typeof value.time === 'string' ? new Date(value.time) : value
}

/** A result of the Node API in the JSON shape the core serialises (and scenarios expect). */
export function toJson(value) {
  if (value === undefined) return null
  if (value instanceof Date) return time(value)
  if (typeof value === 'bigint') return Number(value)
  if (Array.isArray(value)) return value.map(toJson)
  if (!isObject(value)) return value
  const out = {}
  for (const [key, v] of Object.entries(value)) {
    if (VALUE_MAPS.has(key) && isObject(v)) {
      out[snake(key)] = Object.fromEntries(Object.entries(v).map(([k, x]) => [k, attributeToJson(x)]))
    } else if (MAPS.has(key)) {
      out[snake(key)] = v
    } else {
      out[snake(key)] = toJson(v)
    }
  }
  return out
}

function attributeToJson(value) {
  return value instanceof Date ? { time: time(value) } : toJson(value)
}

/** chrono's RFC 3339 form: no fraction when it is zero. */
function time(date) {
  return date.toISOString().replace(/\.000Z$/, 'Z')
}

/** A thrown error in the shape tests/scenarios.rs matches `error` against. */
export function errorJson(error) {
  return {
    code: error.code ?? null,
    field: error.field ?? null,
    message: error.message,
    line: error.line ?? null,
    column: error.column ?? null,
  }
}

/**
 * Checks that `actual` contains `expected` (tests/scenarios.rs `mismatch`): every key given
 * must be present and equal (a null expectation also matches a missing key), arrays have the
 * same length and match element by element, numbers match within 1e-9. Returns the path of
 * the first mismatch, or null.
 */
export function mismatch(expected, actual, path) {
  if (isObject(expected) && isObject(actual)) {
    for (const [key, value] of Object.entries(expected)) {
      const sub = `${path}.${key}`
      if (!Object.hasOwn(actual, key)) {
        if (value === null) continue
        return `${sub}: missing`
      }
      const found = mismatch(value, actual[key], sub)
      if (found) return found
    }
    return null
  }
  if (Array.isArray(expected) && Array.isArray(actual) && expected.length === actual.length) {
    for (let i = 0; i < expected.length; i++) {
      const found = mismatch(expected[i], actual[i], `${path}[${i}]`)
      if (found) return found
    }
    return null
  }
  if (typeof expected === 'number' && typeof actual === 'number') {
    return Math.abs(expected - actual) > 1e-9 ? `${path}: expected ${expected}, got ${actual}` : null
  }
  if (isDeepStrictEqual(expected, actual)) return null
  return `${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`
}
