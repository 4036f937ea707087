// The competitors of the rate-limiter suite, each as a factory of per-key limiters with one
// synchronous or asynchronous `check(key)` → admitted?, so the timed loops, the conformance check
// and the memory child process all build them the same way.
import { ALGORITHMS, RateLimiter } from '@hotpath/rate-limiter'
import { RateLimiter as LimiterRateLimiter, TokenBucket } from 'limiter'
import { RateLimiterMemory } from 'rate-limiter-flexible'

// The package's own list, so a new algorithm is benchmarked without touching the suite.
export { ALGORITHMS }

/** A @hotpath/rate-limiter of `limit` per minute (for the leaky bucket: a queue as long as the limit). */
export function hotpath(algorithm, limit, extra = {}) {
  const options = { algorithm, limit, windowMs: 60_000, ...extra }
  if (algorithm === 'leaky-bucket') options.maxQueue = limit
  return new RateLimiter(options)
}

// limiter is one bucket per object: a keyed limiter is a Map of them, created on first sight,
// started full (TokenBucket starts empty by default).
export function limiterTokenBuckets(limit, interval = 'minute') {
  const buckets = new Map()
  return {
    buckets,
    bucket(key) {
      let b = buckets.get(key)
      if (b === undefined) {
        b = new TokenBucket({ bucketSize: limit, tokensPerInterval: limit, interval })
        b.content = limit
        buckets.set(key, b)
      }
      return b
    },
  }
}

export function limiterRateLimiters(limit, interval = 'minute') {
  const limiters = new Map()
  return {
    limiters,
    limiter(key) {
      let l = limiters.get(key)
      if (l === undefined) {
        l = new LimiterRateLimiter({ tokensPerInterval: limit, interval, fireImmediately: true })
        limiters.set(key, l)
      }
      return l
    },
  }
}

export function flexible(limit, durationSeconds = 60) {
  return new RateLimiterMemory({ points: limit, duration: durationSeconds })
}

/** Does the competitor enforce a limit of 5 per minute per key? (12 checks on each of two keys) */
export async function conforms(kind, algorithm) {
  const hp = kind === 'hotpath' ? hotpath(algorithm, 5) : null
  const tb = limiterTokenBuckets(5)
  const rl = limiterRateLimiters(5)
  const rlf = flexible(5)
  const counts = []
  for (const key of ['a', 'b']) {
    let admitted = 0
    for (let i = 0; i < 12; i++) {
      if (kind === 'hotpath') admitted += hp.limit(key).allowed ? 1 : 0
      else if (kind === 'limiter-token-bucket') admitted += tb.bucket(key).tryRemoveTokens(1) ? 1 : 0
      else if (kind === 'limiter-rate-limiter') admitted += rl.limiter(key).tryRemoveTokens(1) ? 1 : 0
      else
        try {
          await rlf.consume(key)
          admitted++
        } catch {}
    }
    counts.push(admitted)
  }
  // The leaky bucket admits maxQueue + 1 = 6 (one leaving, five waiting their turn).
  const want = kind === 'hotpath' && algorithm === 'leaky-bucket' ? 6 : 5
  return counts.every((n) => n === want) || `admitted ${counts.join(' and ')} of 12 with a limit of ${want}`
}
