import type { RateLimitPolicy } from './policy.js'
import type { RateLimitResult } from './result.js'
import type { RateLimitSnapshot } from './snapshot.js'

/**
 * Per-call options of `limit()`, `peek()` and `schedule()`.
 *
 * @example
 * ```ts
 * import { RateLimiter } from '@hotpath/rate-limiter'
 *
 * const tokens = new RateLimiter({ algorithm: 'token-bucket', limit: 10_000, windowMs: 60_000 })
 * tokens.limit('tenant:7', { cost: 1_250 }) // an LLM call of 1,250 tokens
 * ```
 */
export interface LimitOptions {
  /** What this request costs, a non-negative integer. @default 1 */
  cost?: number
}

/**
 * Whether a store answers synchronously (`'sync'`: the {@link MemoryStore}) or with promises
 * (`'async'`: a network store such as the Redis store of `@hotpath/rate-limiter/redis`).
 *
 * @example
 * ```ts
 * import { MemoryStore, type StoreMode } from '@hotpath/rate-limiter'
 *
 * const mode: StoreMode = new MemoryStore().mode // 'sync'
 * ```
 */
export type StoreMode = 'sync' | 'async'

/**
 * `T` for a synchronous store, `Promise<T>` for an asynchronous one.
 *
 * @example
 * ```ts
 * import type { Awaitable } from '@hotpath/rate-limiter'
 *
 * const now: Awaitable<'sync', number> = 1
 * const later: Awaitable<'async', number> = Promise.resolve(1)
 * ```
 */
export type Awaitable<M extends StoreMode, T> = M extends 'async' ? Promise<T> : T

/**
 * Where rate-limit state lives. A store is given the validated {@link RateLimitPolicy} once, by the
 * limiter's constructor, and returns a {@link StoreBinding} that answers checks for that policy.
 *
 * The contract every store keeps, so that every store gives the same answers:
 *
 * - Each algorithm is a pure state transition `(state, now, cost, policy) → (result, new state | unchanged)`.
 *   The reference is the package's own implementation (`src/fixed-window.ts`, `gcra.ts`, ...), which the
 *   memory store runs in-process; a remote store mirrors the same arithmetic where the state lives (for
 *   Redis: one Lua script per algorithm, run atomically, with `now` taken from the server's `TIME`).
 * - The state of a key never seen is all zeros, for every algorithm (a missing Redis key needs no setup).
 * - A request is written only when it is admitted and its cost is positive; a rejected request, a zero
 *   cost and `peek()` write nothing.
 * - `result.resetMs` is when the key is back to the all-zeros equivalent, so it is also the TTL a store
 *   may give the key (memory: idle-key reclaim; Redis: `PEXPIRE`).
 * - The binding receives keys and costs already validated by the limiter (non-empty string; non-negative
 *   integer) and costs above `policy.capacity` (the result is `retryAfterMs: Infinity`, nothing written).
 *
 * The type parameters carry the store's mode and its result type to the limiter: a
 * `RateLimiter<MemoryStore>` returns `RateLimitResult` from `limit()`, a limiter on an async store returns
 * `Promise<R>`, where `R` may extend the result (e.g. with which backend answered).
 *
 * @typeParam M - `'sync'` or `'async'`.
 * @typeParam R - the result type, {@link RateLimitResult} or an extension of it.
 *
 * @example
 * ```ts
 * import type { RateLimitPolicy, RateLimitResult, Store, StoreBinding } from '@hotpath/rate-limiter'
 * import { MemoryStore, RateLimiter } from '@hotpath/rate-limiter'
 *
 * // A store that logs every decision, delegating to a memory store.
 * class LoggingStore implements Store<'sync', RateLimitResult> {
 *   readonly mode = 'sync'
 *   readonly #inner = new MemoryStore()
 *   bind(policy: RateLimitPolicy): StoreBinding<'sync', RateLimitResult> {
 *     const inner = this.#inner.bind(policy)
 *     return {
 *       limit: (key, cost) => {
 *         const r = inner.limit(key, cost)
 *         console.log(policy.name, key, r.allowed)
 *         return r
 *       },
 *       peek: (key, cost) => inner.peek(key, cost),
 *       reset: (key) => inner.reset(key),
 *       inspect: (key) => inner.inspect(key),
 *     }
 *   }
 * }
 * const limiter = new RateLimiter({ algorithm: 'gcra', limit: 5, windowMs: 1000, store: new LoggingStore() })
 * limiter.limit('k') // logs: default k true
 * ```
 */
export interface Store<M extends StoreMode = StoreMode, R extends RateLimitResult = RateLimitResult> {
  /** `'sync'` or `'async'`, also at runtime. */
  readonly mode: M
  /**
   * Called once by the limiter's constructor with the validated policy. A store may serve one limiter
   * (the memory store throws `RateLimitError` `ERR_STORE_IN_USE` on a second bind) or several (a Redis
   * store, keeping their keys apart by policy).
   */
  bind(policy: RateLimitPolicy): StoreBinding<M, R>
}

/**
 * The per-policy operations of a store; the limiter validates arguments before calling them.
 *
 * @example
 * ```ts
 * import { MemoryStore, type StoreBinding } from '@hotpath/rate-limiter'
 *
 * const policy = { name: 'default', algorithm: 'gcra', limit: 1, windowMs: 1000, capacity: 1, maxQueue: 0 } as const
 * const binding: StoreBinding<'sync'> = new MemoryStore().bind(policy)
 * binding.limit('k', 1).allowed // true (the limiter normally makes these calls)
 * ```
 */
export interface StoreBinding<M extends StoreMode = StoreMode, R extends RateLimitResult = RateLimitResult> {
  /** Decides a request of `cost` for `key` now, counting it when admitted. */
  limit(key: string, cost: number): Awaitable<M, R>
  /** Exactly what `limit(key, cost)` would return now, without counting anything. */
  peek(key: string, cost: number): Awaitable<M, R>
  /** Forgets the key: it is fresh again. */
  reset(key: string): Awaitable<M, void>
  /** A decoded, read-only view of the key's state. */
  inspect(key: string): Awaitable<M, RateLimitSnapshot>
  /**
   * Optional: the limiter's whole `limit(key, options)`, argument checks included (the limiter's errors: a
   * `TypeError` or `RangeError` naming `key` or `cost`).
   * When present the limiter uses it as its `limit` as is, so that a check is one function that V8 can
   * inline into the caller; the memory store provides one function per algorithm. A store without it gets
   * the limiter's generic `limit`, which validates and calls `limit(key, cost)`.
   */
  readonly check?: (key: string, options?: LimitOptions) => Awaitable<M, R>
}
