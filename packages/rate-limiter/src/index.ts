export { type Clock, tickClock } from './clock.js'
export { RateLimitError, type RateLimitErrorCode } from './errors.js'
export {
  type FastifyRateLimitOptions,
  type FastifyReplyLike,
  type FastifyRequestLike,
  fastifyRateLimit,
} from './fastify.js'
export { type HeaderPolicy, type RateLimitHeadersOptions, rateLimitHeaders } from './headers.js'
export { MemoryStore, type MemoryStoreOptions } from './memory-store.js'
export {
  type HttpLimiter,
  type NextFunction,
  type NodeRequestLike,
  type NodeResponseLike,
  type RateLimitMiddlewareOptions,
  rateLimitMiddleware,
} from './middleware.js'
export { ALGORITHMS, type AlgorithmName, type PolicyOptions, type RateLimitPolicy } from './policy.js'
export {
  type LimitReturn,
  type ModeOf,
  RateLimiter,
  type RateLimiterOptions,
  type ResultTypeOf,
  type ScheduleOptions,
} from './rate-limiter.js'
export type { RateLimitResult } from './result.js'
export type {
  FixedWindowSnapshot,
  GcraSnapshot,
  LeakyBucketSnapshot,
  RateLimitSnapshot,
  SlidingWindowCounterSnapshot,
  SlidingWindowLogSnapshot,
  SnapshotBase,
  TokenBucketSnapshot,
} from './snapshot.js'
export type { Awaitable, LimitOptions, Store, StoreBinding, StoreMode } from './store.js'
