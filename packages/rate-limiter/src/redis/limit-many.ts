import type { RateLimitPolicy } from '../policy.js'
import { checkKey, costOf, show } from '../validate.js'
import { bindingOf } from './redis-store.js'
import type { RedisRateLimitResult } from './result.js'

/**
 * Checks several keys of one limiter in a single round trip to Redis (a pipeline of the algorithm's
 * script, one per key, run in order), counting each admitted one, e.g. to charge one request against
 * per-IP, per-user and per-tenant keys at once, or a batch of messages against their senders' limits.
 * Results come back in the order of `keys`. Keys that the block cache knows are blocked are answered
 * without being sent; if Redis fails, each key is answered by the store's `onError` policy. On a Redis
 * Cluster the keys are sent to their nodes in parallel.
 *
 * Argument errors throw synchronously, like `limiter.limit()`.
 *
 * @param limiter - a `RateLimiter` whose store is a {@link RedisStore}.
 * @param keys - the keys to check; duplicates are checked one after the other, like separate requests.
 * @param options - `cost` of each check (default 1).
 *
 * @example
 * ```ts
 * import { RateLimiter } from '@hotpath/rate-limiter'
 * import { limitMany, RedisStore } from '@hotpath/rate-limiter/redis'
 *
 * const limiter = new RateLimiter({ algorithm: 'gcra', limit: 10, windowMs: 1000, store: new RedisStore({ client: redis }) })
 * const [byIp, byUser] = await limitMany(limiter, [`ip:${req.ip}`, `user:${userId}`])
 * if (!byIp.allowed || !byUser.allowed) reply.code(429)
 * ```
 */
export function limitMany(
  limiter: { readonly store: unknown; readonly policy: RateLimitPolicy },
  keys: readonly string[],
  options?: { cost?: number },
): Promise<RedisRateLimitResult[]> {
  const binding =
    limiter !== null && typeof limiter === 'object' ? bindingOf(limiter.store, limiter.policy) : undefined
  if (binding === undefined)
    throw new TypeError(`\`limiter\` must be a RateLimiter whose store is a RedisStore, got ${show(limiter)}`)
  if (!Array.isArray(keys)) throw new TypeError(`\`keys\` must be an array of keys, got ${show(keys)}`)
  for (const key of keys) checkKey(key)
  const cost = costOf(options)
  return binding.limitMany(keys, cost)
}
