// Does `limiter.limit(key).allowed` allocate? When V8 inlines the whole check into the caller's loop, the
// result object is never built and nothing should reach the heap; a number boxed somewhere in the check, or a
// result that escapes, shows up as young-generation GCs. This experiment counts them over 4 million checks
// of the built package (run `npm run build` first), after warm-up, on 100k keys or one hot key.
//
// Usage: node bench/experiments/rate-limiter-allocations.mjs [algorithm] [--hot] [--rejections-first]
//   --rejections-first: a few rejected checks (on another limiter) before the timed loop, as in a process
//   that has seen some: V8 then compiles the rejection path too, and a check whose two paths build two
//   different result objects would allocate one on every admitted check.
// Expect 0-1 GCs for every algorithm except the sliding log at 100k keys (its entries live in a typed array
// per key, so a new entry sometimes allocates).
import { PerformanceObserver } from 'node:perf_hooks'
import { ALGORITHMS, RateLimiter } from '@hotpath/rate-limiter'

const args = process.argv.slice(2)
const algorithm = args.find((a) => !a.startsWith('--')) ?? 'token-bucket'
if (!ALGORITHMS.includes(algorithm)) throw new Error(`unknown algorithm ${algorithm}`)
const HOT = args.includes('--hot')
const KEYS = HOT ? 1 : 100_000
const OPS = 2_000
const ROUNDS = 2_000
const BIG = 1_000_000_000

const make = (limit) =>
  new RateLimiter({
    algorithm,
    limit,
    // The suite's windows: the log keeps every admitted request for windowMs.
    windowMs: algorithm === 'sliding-window-log' && !HOT ? 100 : 60_000,
    ...(algorithm === 'leaky-bucket' ? { maxQueue: limit } : {}),
  })

if (args.includes('--rejections-first')) {
  const small = make(5)
  for (let i = 0; i < 24; i++) small.limit(`k${i % 2}`)
}

const keys = HOT ? ['hot'] : Array.from({ length: KEYS }, (_, i) => `user:${i}`)
const limiter = make(BIG)
// A loop of its own for filling and for timing, as in the suite.
const loop = (tag) =>
  new Function(
    'limiter',
    'keys',
    `let at = 0
    return function () {
      let n = 0
      for (let i = 0; i < ${OPS}; i++) {
        const key = keys[at]; at = at + 1 === keys.length ? 0 : at + 1
        if (limiter.limit(key).allowed) n++
      }
      return n
    } // ${tag}`,
  )(limiter, keys)
const fill = loop('fill')
for (let i = 0; i < Math.max(KEYS / OPS, 50); i++) fill()
const timed = loop('timed')
for (let i = 0; i < 300; i++) timed()

let gcs = 0
const observer = new PerformanceObserver((list) => {
  gcs += list.getEntries().length
})
observer.observe({ entryTypes: ['gc'] })
const t0 = process.hrtime.bigint()
let admitted = 0
for (let r = 0; r < ROUNDS; r++) admitted += timed()
const ns = Number(process.hrtime.bigint() - t0) / (ROUNDS * OPS)
// GC entries are delivered asynchronously.
setTimeout(() => {
  observer.disconnect()
  console.log(
    `${algorithm}, ${HOT ? 'one hot key' : `${KEYS.toLocaleString('en-US')} keys`}: ${gcs} GCs in ${(ROUNDS * OPS).toLocaleString('en-US')} checks (${admitted === ROUNDS * OPS ? 'all admitted' : `${admitted} admitted`}), ${ns.toFixed(1)} ns a check`,
  )
}, 20)
