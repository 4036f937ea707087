/**
 * The stable codes of {@link RedisStoreError}:
 *
 * - `ERR_REDIS_TIMEOUT`: Redis did not answer within `timeoutMs` (paused, overloaded, or a network
 *   partition the client has not noticed yet).
 * - `ERR_REDIS_COMMAND`: the command failed: connection lost or not ready, the key holds a value of
 *   another type, a script error; `cause` is the client's error.
 * - `ERR_REDIS_REPLY`: Redis answered something the store does not understand (a proxy in the way, or
 *   a client option that rewrites replies); `cause` says what came back.
 */
export type RedisStoreErrorCode = 'ERR_REDIS_TIMEOUT' | 'ERR_REDIS_COMMAND' | 'ERR_REDIS_REPLY'

/**
 * A Redis failure seen by the {@link RedisStore}. Checks (`limit()`, `peek()`, `limitMany()`) never
 * reject with it: they answer by the `onError` policy and pass the error to `onFailure`. `reset()` and
 * `inspect()` have no policy to fall back on and reject with it.
 *
 * @example
 * ```ts
 * import { RedisStore, RedisStoreError } from '@hotpath/rate-limiter/redis'
 *
 * const store = new RedisStore({
 *   client: redis,
 *   onFailure: (err: RedisStoreError) => {
 *     if (err.code === 'ERR_REDIS_TIMEOUT') metrics.increment('ratelimit.redis.timeout')
 *     else logger.warn({ err: err.cause }, 'rate limiter: Redis failed, answering by policy')
 *   },
 * })
 * ```
 */
export class RedisStoreError extends Error {
  /** Which failure this is; stable across versions. */
  readonly code: RedisStoreErrorCode

  constructor(code: RedisStoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'RedisStoreError'
    this.code = code
  }
}

/** Wraps what a client rejected with (a store error passes through unchanged). */
export function toStoreError(error: unknown): RedisStoreError {
  if (error instanceof RedisStoreError) return error
  const message = (error as { message?: unknown } | null)?.message
  return new RedisStoreError(
    'ERR_REDIS_COMMAND',
    `Redis command failed: ${typeof message === 'string' ? message : String(error)}`,
    { cause: error },
  )
}
