import type { Clock } from './clock.js'
import { RateLimitError } from './errors.js'
import { MemoryStore } from './memory-store.js'
import { type PolicyOptions, type RateLimitPolicy, resolvePolicy } from './policy.js'
import type { RateLimitResult } from './result.js'
import type { RateLimitSnapshot } from './snapshot.js'
import type { Awaitable, LimitOptions, Store, StoreBinding, StoreMode } from './store.js'
import { checkKey, costOf } from './validate.js'

/**
 * Options of {@link RateLimiter}: the policy (algorithm, limit, windowMs, burst, maxQueue, name) and
 * where state lives.
 *
 * @example
 * ```ts
 * import { RateLimiter, type RateLimiterOptions } from '@hotpath/rate-limiter'
 *
 * const options: RateLimiterOptions = { algorithm: 'sliding-window-log', limit: 5, windowMs: 900_000, maxKeys: 1e6 }
 * const logins = new RateLimiter(options)
 * ```
 */
export interface RateLimiterOptions<S extends Store = MemoryStore> extends PolicyOptions {
  /** Where state lives. Default: a new {@link MemoryStore} (configured by `maxKeys` and `clock`). */
  store?: S
  /** For the default memory store: the most keys tracked at once. @default 100_000 */
  maxKeys?: number
  /** For the default memory store: milliseconds now. @default {@link tickClock} */
  clock?: Clock
}

/**
 * Options of `schedule()`.
 *
 * @example
 * ```ts
 * import { RateLimiter } from '@hotpath/rate-limiter'
 *
 * const queue = new RateLimiter({ algorithm: 'leaky-bucket', limit: 5, windowMs: 1000 })
 * await queue.schedule('partner', { signal: AbortSignal.timeout(2_000) }) // give up after 2 s of waiting
 * ```
 */
export interface ScheduleOptions extends LimitOptions {
  /** Aborts the wait (the promise rejects with the signal's reason); the request's turn stays spent. */
  signal?: AbortSignal
}

/**
 * The mode of store `S`: `'sync'` or `'async'`, which decides whether a {@link RateLimiter} over it returns
 * values or promises.
 *
 * @example
 * ```ts
 * import type { MemoryStore, ModeOf } from '@hotpath/rate-limiter'
 *
 * const mode: ModeOf<MemoryStore> = 'sync'
 * ```
 */
export type ModeOf<S> = S extends Store<infer M, RateLimitResult> ? M : StoreMode

/**
 * The result type of store `S`: {@link RateLimitResult}, or a subtype an async store may return (with extra
 * fields, such as which backend answered).
 *
 * @example
 * ```ts
 * import type { MemoryStore, RateLimitResult, ResultTypeOf } from '@hotpath/rate-limiter'
 *
 * const r: ResultTypeOf<MemoryStore> = {} as RateLimitResult
 * ```
 */
export type ResultTypeOf<S> = S extends Store<StoreMode, infer R> ? R : RateLimitResult

/**
 * What `limit()` and `peek()` return on a limiter over store `S`: the result, or a promise of it.
 *
 * @example
 * ```ts
 * import type { LimitReturn, MemoryStore, RateLimitResult } from '@hotpath/rate-limiter'
 *
 * const sync: LimitReturn<MemoryStore> = {} as RateLimitResult // a memory store answers synchronously
 * ```
 */
export type LimitReturn<S extends Store> = Awaitable<ModeOf<S>, ResultTypeOf<S>>

/**
 * One rate limit, enforced per key by any of the six algorithms over any store.
 *
 * With the default memory store every method is synchronous; with an async store (e.g. Redis) they
 * return promises of the same values. Argument errors (`TypeError` / `RangeError`) throw synchronously
 * in both cases, except in `schedule()`, which always reports through its promise.
 *
 * @typeParam S - the store; inferred from `options.store`, {@link MemoryStore} when none is given.
 *
 * @example
 * ```ts
 * import { RateLimiter } from '@hotpath/rate-limiter'
 *
 * // 100 requests per minute per user, in bursts of up to 20.
 * const limiter = new RateLimiter({ algorithm: 'token-bucket', limit: 100, windowMs: 60_000, burst: 20 })
 *
 * const r = limiter.limit('user:42')
 * if (!r.allowed) console.log(`slow down, retry in ${r.retryAfterMs} ms`)
 * else console.log(`${r.remaining} left`) // 19 left
 * ```
 */
export class RateLimiter<S extends Store = MemoryStore> {
  /** The validated configuration (also what `rateLimitHeaders` needs). */
  readonly policy: RateLimitPolicy
  /** The store holding the state. */
  readonly store: S
  /**
   * Checks a request for `key` and counts it when admitted. A rejected request changes nothing.
   * A cost larger than `result.limit` is rejected with `retryAfterMs: Infinity`.
   *
   * A function of its own (not a method on the prototype), so it can be passed around unbound
   * (`const { limit } = limiter`), and so each limiter runs the check its store built for its algorithm:
   * the memory store's is one small function per algorithm, which V8 inlines whole into the caller.
   *
   * @example
   * ```ts
   * import { RateLimiter } from '@hotpath/rate-limiter'
   *
   * const uploads = new RateLimiter({ algorithm: 'sliding-window-log', limit: 100, windowMs: 3_600_000 })
   * const r = uploads.limit('user:7', { cost: 30 }) // 30 MB of a 100 MB per hour budget
   * console.log(r.allowed, r.remaining) // true 70
   * ```
   */
  readonly limit: (key: string, options?: LimitOptions) => LimitReturn<S>
  readonly #binding: StoreBinding

  constructor(options: RateLimiterOptions<S>) {
    this.policy = resolvePolicy(options)
    if (options.store !== undefined) {
      if (options.maxKeys !== undefined || options.clock !== undefined)
        throw new TypeError(
          '`maxKeys` and `clock` configure the default memory store; with `store`, configure the store itself',
        )
      this.store = options.store
    } else {
      const memory: { maxKeys?: number; clock?: Clock } = {}
      if (options.maxKeys !== undefined) memory.maxKeys = options.maxKeys
      if (options.clock !== undefined) memory.clock = options.clock
      this.store = new MemoryStore(memory) as unknown as S
    }
    const binding = this.store.bind(this.policy) as StoreBinding
    this.#binding = binding
    this.limit = (binding.check ??
      ((key: string, options?: LimitOptions) => {
        const cost = costOf(options)
        return binding.limit(checkKey(key), cost)
      })) as (key: string, options?: LimitOptions) => LimitReturn<S>
  }

  /**
   * Exactly what `limit(key, options)` would return now, without counting anything. With `cost: 0`,
   * `remaining` and `resetMs` describe the key as it stands.
   *
   * @example
   * ```ts
   * import { RateLimiter } from '@hotpath/rate-limiter'
   *
   * const limiter = new RateLimiter({ algorithm: 'fixed-window', limit: 3, windowMs: 1000 })
   * limiter.limit('k')
   * console.log(limiter.peek('k').remaining) // 1: what would remain after one more
   * console.log(limiter.peek('k', { cost: 0 }).remaining) // 2: what remains now
   * ```
   */
  peek(key: string, options?: LimitOptions): LimitReturn<S> {
    const cost = costOf(options) // checked before the key, as in limit()
    return this.#binding.peek(checkKey(key), cost) as LimitReturn<S>
  }

  /**
   * Forgets `key`: its next request starts from a fresh state.
   *
   * @example
   * ```ts
   * import { RateLimiter } from '@hotpath/rate-limiter'
   *
   * const logins = new RateLimiter({ algorithm: 'fixed-window', limit: 5, windowMs: 900_000 })
   * logins.limit('alice') // a failed login
   * logins.reset('alice') // she logged in: clear her failures
   * ```
   */
  reset(key: string): Awaitable<ModeOf<S>, void> {
    return this.#binding.reset(checkKey(key)) as Awaitable<ModeOf<S>, void>
  }

  /**
   * A decoded, read-only view of `key`'s state (tokens, window counts, log entries, TAT, queue), for
   * dashboards and visualizations. Counts nothing.
   *
   * @example
   * ```ts
   * import { RateLimiter } from '@hotpath/rate-limiter'
   *
   * const limiter = new RateLimiter({ algorithm: 'sliding-window-log', limit: 10, windowMs: 1000 })
   * limiter.limit('k', { cost: 3 })
   * const s = limiter.inspect('k')
   * if (s.algorithm === 'sliding-window-log') console.log(s.count, s.entries.length) // 3 1
   * ```
   */
  inspect(key: string): Awaitable<ModeOf<S>, RateLimitSnapshot> {
    return this.#binding.inspect(checkKey(key)) as Awaitable<ModeOf<S>, RateLimitSnapshot>
  }

  /**
   * leaky-bucket only: joins the key's queue and resolves when it is this request's turn (requests leave
   * at a constant rate, one cost unit per `windowMs / limit` ms, in arrival order). Rejects with
   * {@link RateLimitError} `ERR_QUEUE_FULL` when more than `maxQueue` requests are waiting (nothing is
   * queued then), and `ERR_COST_EXCEEDS_CAPACITY` for a cost above `maxQueue + 1`.
   *
   * @example
   * ```ts
   * import { RateLimiter } from '@hotpath/rate-limiter'
   *
   * // Call a partner API at most 5 times per second, queueing up to 50 calls.
   * const outbound = new RateLimiter({ algorithm: 'leaky-bucket', limit: 5, windowMs: 1000, maxQueue: 50 })
   * for (const id of [1, 2, 3]) {
   *   await outbound.schedule('partner-api') // resolves at 0, 200 and 400 ms
   *   console.log('calling for', id)
   * }
   * ```
   */
  async schedule(key: string, options?: ScheduleOptions): Promise<ResultTypeOf<S>> {
    if (this.policy.algorithm !== 'leaky-bucket')
      throw new TypeError(
        `schedule() needs algorithm 'leaky-bucket'; this limiter runs '${this.policy.algorithm}'`,
      )
    const signal = options?.signal
    signal?.throwIfAborted()
    const r = (await this.limit(key, options)) as ResultTypeOf<S>
    if (!r.allowed) {
      if (r.retryAfterMs === Infinity)
        throw new RateLimitError(
          'ERR_COST_EXCEEDS_CAPACITY',
          `a cost of ${options?.cost} can never fit a queue of capacity ${r.limit} (maxQueue + 1)`,
          { result: r },
        )
      throw new RateLimitError(
        'ERR_QUEUE_FULL',
        `the queue for this key is full; retry in ${r.retryAfterMs} ms`,
        {
          result: r,
        },
      )
    }
    if (r.delayMs > 0) await sleep(r.delayMs, signal)
    return r
  }
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason)
    const done = (): void => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }
    const timer = setTimeout(done, ms)
    const onAbort = (): void => {
      clearTimeout(timer)
      reject(signal!.reason)
    }
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}
