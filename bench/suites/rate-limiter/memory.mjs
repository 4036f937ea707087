// node --expose-gc memory.mjs <competitor> <keys>: prints {"bytesPerKey": n}, the retained heap and
// typed-array memory per tracked key after one check of each of <keys> distinct keys.
import { ALGORITHMS, flexible, hotpath, limiterRateLimiters, limiterTokenBuckets } from './libs.mjs'

const [name, count] = process.argv.slice(2)
const n = Number(count)
const keys = Array.from({ length: n }, (_, i) => `user:${i}`)
const BIG = 1_000_000

const used = () => {
  globalThis.gc()
  globalThis.gc()
  const m = process.memoryUsage()
  return m.heapUsed + m.arrayBuffers
}

function build() {
  const algorithm = ALGORITHMS.find((a) => name === `@hotpath/rate-limiter ${a}`)
  if (algorithm) {
    const l = hotpath(algorithm, BIG, { maxKeys: n })
    return { keep: l, check: (k) => l.limit(k).allowed }
  }
  if (name === 'limiter (TokenBucket)') {
    const m = limiterTokenBuckets(BIG)
    return { keep: m, check: (k) => m.bucket(k).tryRemoveTokens(1) }
  }
  if (name === 'limiter (RateLimiter)') {
    const m = limiterRateLimiters(BIG)
    return { keep: m, check: (k) => m.limiter(k).tryRemoveTokens(1) }
  }
  if (name === 'rate-limiter-flexible (RateLimiterMemory)') {
    const r = flexible(BIG)
    return { keep: r, check: (k) => r.consume(k) }
  }
  if (name === 'Map counter') {
    const m = new Map()
    return { keep: m, check: (k) => m.set(k, (m.get(k) ?? 0) + 1) }
  }
  throw new Error(`unknown competitor ${name}`)
}

// Warm the code paths on another instance first, so compiled code is not counted as per-key memory.
{
  const { check } = build()
  for (let i = 0; i < 2000; i++) await check(`warm:${i}`)
}
const { check, keep } = build()
const before = used()
for (const k of keys) await check(k)
const after = used()
if (keep === undefined) throw new Error('unreachable')
process.stdout.write(JSON.stringify({ bytesPerKey: (after - before) / n }))
process.exit(0)
