/**
 * Stable codes carried by {@link LRUCacheError}, so `switch (err.code)` narrows.
 *
 * - `ERR_LRU_EVICTED`: an in-flight `fetch()` was aborted because its entry was evicted.
 * - `ERR_LRU_DELETED`: an in-flight `fetch()` was aborted by `delete()`, `clear()` or a failed load.
 * - `ERR_LRU_REPLACED`: an in-flight `fetch()` was aborted because `set()` wrote over its key.
 * - `ERR_LRU_EXPIRED`: an in-flight `fetch()` was aborted because its entry expired and was purged.
 * - `ERR_LRU_FETCH_UNDEFINED`: `forceFetch()` resolved to `undefined`.
 */
export type LRUCacheErrorCode =
  | 'ERR_LRU_EVICTED'
  | 'ERR_LRU_DELETED'
  | 'ERR_LRU_REPLACED'
  | 'ERR_LRU_EXPIRED'
  | 'ERR_LRU_FETCH_UNDEFINED'

/**
 * The one error class of `@hotpath/lru-cache` for domain failures (bad arguments throw
 * `TypeError` / `RangeError` instead). It is the `reason` of the `AbortSignal` handed to
 * `fetchMethod` when the cache gives up on a load, and the rejection of that `fetch()`.
 *
 * @example
 * ```ts
 * import { LRUCache, LRUCacheError } from '@hotpath/lru-cache'
 *
 * const cache = new LRUCache<string, string>({ max: 1, fetchMethod: () => new Promise(() => {}) })
 * const pending = cache.fetch('a')
 * cache.set('b', 'B') // evicts the in-flight 'a'
 * try {
 *   await pending
 * } catch (err) {
 *   if (err instanceof LRUCacheError && err.code === 'ERR_LRU_EVICTED') console.log('load abandoned')
 * }
 * ```
 */
export class LRUCacheError extends Error {
  /** Machine-readable failure code. */
  readonly code: LRUCacheErrorCode

  constructor(code: LRUCacheErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'LRUCacheError'
    this.code = code
  }
}
