export type { IoRedisLike, NodeRedisClusterLike, NodeRedisLike, RedisClientLike } from './client.js'
export { RedisStoreError, type RedisStoreErrorCode } from './errors.js'
export { limitMany } from './limit-many.js'
export {
  type FallbackLimiter,
  type OnRedisError,
  RedisStore,
  type RedisStoreOptions,
} from './redis-store.js'
export type { RedisRateLimitResult, ResultSource } from './result.js'
