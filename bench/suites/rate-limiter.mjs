// @hotpath/rate-limiter (memory store) against what people use instead (shared/PEERS.md):
// rate-limiter-flexible's RateLimiterMemory and limiter's TokenBucket / RateLimiter, baseline a bare
// Map counter increment. Checks per second for every algorithm on one hot key and on 100k distinct
// keys (all admitted: the limit is far above the load, so every competitor runs its admit path),
// plus one workload where every check is rejected. Memory per tracked key in a child process.
//
// How the peers are driven: limiter limits one bucket per object, so a keyed limiter is a Map of
// them (what its README suggests for per-user limits); tryRemoveTokens() is its synchronous check.
// rate-limiter-flexible's consume() returns a promise, and its users await it per request, so its
// loop awaits each consume() in turn (a rejection is a thrown RateLimiterRes, caught).
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { defineSuite } from '../lib/harness.mjs'
import {
  ALGORITHMS,
  conforms,
  flexible,
  hotpath,
  limiterRateLimiters,
  limiterTokenBuckets,
} from './rate-limiter/libs.mjs'

const OPS = 2_000 // checks per timed call
const KEYS = 100_000
const BIG = 1_000_000_000 // per minute: nothing is ever rejected in the admit workloads

function shuffledKeys() {
  const keys = Array.from({ length: KEYS }, (_, i) => `user:${i}`)
  let seed = 42
  for (let i = keys.length - 1; i > 0; i--) {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0
    const j = seed % (i + 1)
    ;[keys[i], keys[j]] = [keys[j], keys[i]]
  }
  return keys
}

// Each competitor gets its own compiled copy of its loop (the tag makes V8 compile the source
// separately), so no loop's inline caches see another competitor's objects.
const compile = (tag, params, body) => new Function(...params, `${body} // ${tag}`)

function loopOver(tag, keyed, checkExpr, asyncLoop = false) {
  const head = keyed
    ? `let at = 0; return ${asyncLoop ? 'async ' : ''}function () {
        let n = 0
        for (let i = 0; i < ${OPS}; i++) {
          const key = keys[at]; at = at + 1 === keys.length ? 0 : at + 1`
    : `return ${asyncLoop ? 'async ' : ''}function () {
        let n = 0
        for (let i = 0; i < ${OPS}; i++) {
          const key = 'hot'`
  return compile(
    tag,
    ['target', 'keys', 'record'],
    `${head}
          ${checkExpr}
        }
        record(n)
        return n
      }`,
  )
}

const HOTPATH = 'if (target.limit(key).allowed) n++'
const LIMITER_TB = 'if (target.bucket(key).tryRemoveTokens(1)) n++'
const LIMITER_RL = 'if (target.limiter(key).tryRemoveTokens(1)) n++'
const FLEXIBLE = 'try { await target.consume(key); n++ } catch {}'
const MAP = 'const c = (target.get(key) ?? 0) + 1; target.set(key, c); n += c > 0 ? 1 : 0'

function competitors(algorithm, keyed, expectAdmitted) {
  const tag = `${algorithm}:${keyed ? 'keyed' : 'hot'}`
  const made = []
  const entry = (name, role, pkg, kind, build, body, async = false) => {
    const state = { last: -1 }
    made.push({
      name,
      role,
      ...(pkg ? { package: pkg } : {}),
      setup: async ({ keys }) => {
        const target = build()
        // Every key is tracked before timing: the loop measures checks, not first sightings.
        const warm = loopOver(`${tag}:${name}:warm`, keyed, body, async)
        const fill = loopOver(`${tag}:${name}:fill`, true, body, async)
        if (keyed) for (let i = 0; i < KEYS; i += OPS) await fill(target, keys, () => {})()
        await warm(target, keys, () => {})()
        return loopOver(
          `${tag}:${name}`,
          keyed,
          body,
          async,
        )(target, keys, (n) => {
          state.last = n
        })
      },
      check: async () => {
        if (state.last !== expectAdmitted)
          return `the timed loop admitted ${state.last} of ${OPS}, expected ${expectAdmitted}`
        return kind === null ? true : conforms(kind, algorithm)
      },
    })
  }
  entry(
    '@hotpath/rate-limiter',
    'hotpath',
    null,
    'hotpath',
    () =>
      expectAdmitted
        ? // The log keeps every admitted request for windowMs: with 100k keys, 100 ms keeps it to a
          // few entries per key at this load (a minute would hold thousands per key, gigabytes in all).
          hotpath(algorithm, BIG, keyed && algorithm === 'sliding-window-log' ? { windowMs: 100 } : {})
        : exhausted(algorithm),
    HOTPATH,
  )
  entry(
    'limiter (TokenBucket)',
    'peer',
    'limiter',
    'limiter-token-bucket',
    () => (expectAdmitted ? limiterTokenBuckets(BIG) : exhaustedLimiterTB()),
    LIMITER_TB,
  )
  entry(
    'limiter (RateLimiter)',
    'peer',
    'limiter',
    'limiter-rate-limiter',
    () => (expectAdmitted ? limiterRateLimiters(BIG) : exhaustedLimiterRL()),
    LIMITER_RL,
  )
  entry(
    'rate-limiter-flexible (RateLimiterMemory)',
    'peer',
    'rate-limiter-flexible',
    'rate-limiter-flexible',
    () => (expectAdmitted ? flexible(BIG) : flexible(1, 3600)),
    FLEXIBLE,
    true,
  )
  entry('Map counter', 'baseline', null, null, () => new Map(), MAP)
  return made
}

// For the all-rejected workload: limits of 1 per hour, spent during setup's warm-up pass.
const exhausted = (algorithm) => hotpath(algorithm, 1, { windowMs: 3_600_000 })
const exhaustedLimiterTB = () => limiterTokenBuckets(1, 'hour')
const exhaustedLimiterRL = () => limiterRateLimiters(1, 'hour')

let sharedKeys
const keyedInput = () => ({ keys: (sharedKeys ??= shuffledKeys()) })
const hotInput = () => ({ keys: [] })

const workloads = []
for (const algorithm of ALGORITHMS)
  for (const keyed of [false, true])
    workloads.push({
      name: `${algorithm}: ${keyed ? '100k distinct keys' : 'one hot key'}`,
      ops: OPS,
      input: keyed ? keyedInput : hotInput,
      competitors: competitors(algorithm, keyed, OPS),
      note:
        algorithm === 'sliding-window-log' && keyed
          ? 'The log here has a 100 ms window (the others a minute): it stores each admitted request until it leaves the window, so at this load a minute would hold thousands of entries per key. Its memory is proportional to the traffic admitted within one window, the price of an exact limit; use it for small limits.'
          : algorithm === 'fixed-window' && !keyed
            ? 'The peers have one algorithm each (limiter: token bucket; rate-limiter-flexible: fixed window), so every @hotpath algorithm is compared with the same peer rows. rate-limiter-flexible is promise-based: its loop awaits each consume(), as its users do per request.'
            : undefined,
    })
workloads.push({
  name: 'token-bucket: one hot key over its limit (every check rejected)',
  ops: OPS,
  input: hotInput,
  competitors: competitors('token-bucket', false, 0).filter((c) => c.role !== 'baseline'),
  note: 'A key under attack: every check is a rejection. rate-limiter-flexible rejects by rejecting the promise (a thrown RateLimiterRes per check).',
})
for (const w of workloads) if (w.note === undefined) delete w.note

export default defineSuite({
  name: 'rate-limiter',
  workloads,
  tables: async ({ quick }) => {
    const script = join(import.meta.dirname, 'rate-limiter', 'memory.mjs')
    const keys = quick ? 10_000 : 100_000
    const rows = []
    for (const name of [
      ...ALGORITHMS.map((a) => `@hotpath/rate-limiter ${a}`),
      'limiter (TokenBucket)',
      'limiter (RateLimiter)',
      'rate-limiter-flexible (RateLimiterMemory)',
      'Map counter',
    ]) {
      const out = execFileSync(process.execPath, ['--expose-gc', script, name, String(keys)], {
        encoding: 'utf8',
      })
      rows.push([name, Number(JSON.parse(out).bytesPerKey.toFixed(1))])
    }
    return [
      {
        title: `Retained bytes per tracked key (${keys.toLocaleString('en-US')} keys, one check each)`,
        columns: ['competitor', 'bytes/key'],
        rows,
        note: 'Heap plus typed-array backing stores after a full GC, minus the same before the keys were checked; the key strings themselves are allocated beforehand and not counted. rate-limiter-flexible also keeps one timer per key. The sliding log holds one small typed array per key (its entries), the price of exactness.',
      },
    ]
  },
})
