import { inspectFixedWindow } from '../fixed-window.js'
import { inspectGcra } from '../gcra.js'
import type { Inspector, StateTable } from '../kernel.js'
import { inspectLeakyBucket } from '../leaky-bucket.js'
import type { AlgorithmName, RateLimitPolicy } from '../policy.js'
import type { RateLimitResult } from '../result.js'
import { inspectSlidingWindowCounter } from '../sliding-window-counter.js'
import { inspectSlidingWindowLog } from '../sliding-window-log.js'
import type { RateLimitSnapshot } from '../snapshot.js'
import type { Store, StoreBinding } from '../store.js'
import { inspectTokenBucket } from '../token-bucket.js'
import { checkKey, nonNegativeInteger, positiveInteger, show } from '../validate.js'
import { BlockCache } from './block-cache.js'
import {
  type Command,
  isNoScript,
  type Outcome,
  type RedisClientLike,
  type Sender,
  senderFor,
} from './client.js'
import { Deadlines, type Pending } from './deadlines.js'
import { RedisStoreError, toStoreError } from './errors.js'
import { type RedisRateLimitResult, sourced } from './result.js'
import { inspectScriptFor, scriptFor } from './scripts.js'

/**
 * The in-memory limiter that answers while Redis is failing (`onError`): usually a `RateLimiter` over
 * the default memory store, with this process's share of the shared limit. It must answer
 * synchronously; it is consulted only while Redis cannot answer, so it starts from nothing at each
 * outage (and `reset()` on the Redis limiter resets it too).
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis'
 * import { RateLimiter } from '@hotpath/rate-limiter'
 * import { RedisStore } from '@hotpath/rate-limiter/redis'
 *
 * // 600 per minute shared by 4 instances; during an outage each enforces a quarter on its own.
 * const insurance = new RateLimiter({ algorithm: 'gcra', limit: 150, windowMs: 60_000 })
 * const store = new RedisStore({ client: new Redis(), onError: insurance })
 * const limiter = new RateLimiter({ algorithm: 'gcra', limit: 600, windowMs: 60_000, store })
 * ```
 */
export interface FallbackLimiter {
  /** Checks and counts a request, synchronously (a memory `RateLimiter`'s `limit()`). */
  limit(key: string, options?: { cost?: number }): RateLimitResult
  /** What `limit()` would answer, without counting (a memory `RateLimiter`'s `peek()`). */
  peek(key: string, options?: { cost?: number }): RateLimitResult
  /** Forgets the key (called when the Redis limiter's `reset()` is). */
  reset(key: string): void
}

/**
 * What a check answers when Redis fails or times out; see {@link RedisStoreOptions.onError}.
 *
 * @example
 * ```ts
 * const policy: OnRedisError = process.env.RATE_LIMIT_FAIL_CLOSED ? 'deny' : 'allow'
 * ```
 */
export type OnRedisError = 'allow' | 'deny' | FallbackLimiter

/**
 * Options of {@link RedisStore}.
 *
 * @example
 * ```ts
 * import { createClient } from 'redis'
 * import { RedisStore, type RedisStoreOptions } from '@hotpath/rate-limiter/redis'
 *
 * const options: RedisStoreOptions = {
 *   client: await createClient({ url: process.env.REDIS_URL }).connect(),
 *   prefix: 'api:rl:',
 *   timeoutMs: 100, // a slow Redis must not slow every request down
 *   onError: 'deny', // a login limiter: fail closed
 *   onFailure: (err) => console.warn('rate limiter degraded', err.code),
 * }
 * const store = new RedisStore(options)
 * ```
 */
export interface RedisStoreOptions {
  /**
   * A connected ioredis `Redis` or `Cluster`, or a node-redis (v4+) client or cluster. The store only
   * sends commands; connecting, reconnecting and closing stay yours.
   */
  client: RedisClientLike
  /**
   * Prepended to every key. Keys are `<prefix><policy name>:<algorithm>:<limit>:<windowMs>[:<capacity>]:{<key>}`,
   * so limiters with different settings never share state, and every key is hash-tagged by the user's key.
   * @default 'rl:'
   */
  prefix?: string
  /** How long a check waits for Redis before answering by `onError`, in ms. @default 500 */
  timeoutMs?: number
  /**
   * How a check is answered when Redis fails or does not answer within `timeoutMs`:
   * `'allow'` admits it (fail open: availability first), `'deny'` rejects it (fail closed: protection
   * first; `retryAfterMs` is then 1000), or an in-memory limiter (insurance: this process enforces its
   * own share of the limit until Redis is back). The result says `source: 'fallback'`.
   * @default 'allow'
   */
  onError?: OnRedisError
  /**
   * How many blocked keys this process remembers, answering them without a round trip until their
   * block ends (`source: 'cache'`). `0` turns the cache off.
   * @default 10_000
   */
  blockCacheSize?: number
  /** Called with every failure a check answered by `onError` (for logs and metrics); what it throws is ignored. */
  onFailure?: (error: RedisStoreError) => void
}

// The answer of `onError: 'deny'`: an outage has no rate to compute a wait from; a second is a
// polite Retry-After that does not turn a blip into a long lockout.
const DENY_RETRY_MS = 1000

const CODES: Record<AlgorithmName, string> = {
  'fixed-window': 'fw',
  'sliding-window-log': 'swl',
  'sliding-window-counter': 'swc',
  'token-bucket': 'tb',
  gcra: 'gcra',
  'leaky-bucket': 'lb',
}

const INSPECTORS: Record<AlgorithmName, { inspect: Inspector; stateSize: number }> = {
  'fixed-window': { inspect: inspectFixedWindow, stateSize: 2 },
  'sliding-window-log': { inspect: inspectSlidingWindowLog, stateSize: 0 },
  'sliding-window-counter': { inspect: inspectSlidingWindowCounter, stateSize: 3 },
  'token-bucket': { inspect: inspectTokenBucket, stateSize: 2 },
  gcra: { inspect: inspectGcra, stateSize: 2 },
  'leaky-bucket': { inspect: inspectLeakyBucket, stateSize: 2 },
}

// What the store's bindings share.
interface Shared {
  readonly send: Sender
  readonly prefix: string
  readonly deadlines: Deadlines
  readonly onError: OnRedisError
  readonly blockCacheSize: number
  readonly onFailure: ((error: RedisStoreError) => void) | undefined
  // Tests only: a fake clock sent to the scripts instead of Redis's TIME, and a witness of every
  // script reply (the exactness tests need each decision's Redis time).
  now: (() => number) | undefined
  observe: ((reply: readonly number[]) => void) | undefined
}

/**
 * A store that keeps rate-limit state in Redis, so one limit holds across every process and machine
 * that shares the Redis: N instances with a memory store each let through N × the limit, N instances
 * on one `RedisStore` let through the limit.
 *
 * Each check is one round trip: the algorithm's Lua script, run atomically by Redis with EVALSHA
 * (EVAL when the server has lost its script cache). The time is Redis's own (`TIME`), so the clocks of
 * the application servers do not matter; every key has a TTL (the time until its state is back to
 * fresh); a rejected request writes nothing. The scripts are ports of the memory store's transitions:
 * the same requests at the same times get the same answers.
 *
 * Failures never reject a check: after `timeoutMs`, or on any error, the check is answered by `onError`
 * and says `source: 'fallback'`. Works with ioredis and node-redis (v4+) clients and on Redis Cluster
 * (each key is hash-tagged with the user's key). Needs Redis 6.0 or later (or Valkey).
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis'
 * import { RateLimiter } from '@hotpath/rate-limiter'
 * import { RedisStore } from '@hotpath/rate-limiter/redis'
 *
 * const store = new RedisStore({ client: new Redis(process.env.REDIS_URL!), timeoutMs: 200, onError: 'allow' })
 * const limiter = new RateLimiter({ algorithm: 'sliding-window-counter', limit: 100, windowMs: 60_000, store })
 *
 * const r = await limiter.limit('user:42') // one round trip
 * if (!r.allowed) console.log(`retry in ${r.retryAfterMs} ms (answered by ${r.source})`)
 * ```
 */
export class RedisStore implements Store<'async', RedisRateLimitResult> {
  /** `'async'`: checks return promises. */
  readonly mode: 'async' = 'async'
  /** The key prefix. */
  readonly prefix: string
  /** How long a check waits for Redis, in ms. */
  readonly timeoutMs: number
  readonly #shared: Shared
  readonly #bindings = new WeakMap<RateLimitPolicy, RedisBinding>()

  constructor(options: RedisStoreOptions) {
    if (options === null || typeof options !== 'object')
      throw new TypeError(`options must be an object with a \`client\`, got ${show(options)}`)
    const send = senderFor(options.client)
    const prefix = options.prefix ?? 'rl:'
    if (typeof prefix !== 'string') throw new TypeError(`\`prefix\` must be a string, got ${show(prefix)}`)
    const timeoutMs = options.timeoutMs === undefined ? 500 : positiveInteger('timeoutMs', options.timeoutMs)
    const onError = options.onError ?? 'allow'
    if (onError !== 'allow' && onError !== 'deny') {
      const l = onError as Partial<FallbackLimiter & { store: { mode?: unknown } }> | null
      if (
        typeof l !== 'object' ||
        l === null ||
        typeof l.limit !== 'function' ||
        typeof l.peek !== 'function' ||
        typeof l.reset !== 'function'
      )
        throw new TypeError(
          `\`onError\` must be 'allow', 'deny' or an in-memory RateLimiter, got ${show(onError)}`,
        )
      if (l.store?.mode === 'async')
        throw new TypeError(
          '`onError` must be a synchronous (in-memory) RateLimiter: it answers when the remote store cannot',
        )
    }
    const blockCacheSize =
      options.blockCacheSize === undefined
        ? 10_000
        : nonNegativeInteger('blockCacheSize', options.blockCacheSize)
    const onFailure = options.onFailure
    if (onFailure !== undefined && typeof onFailure !== 'function')
      throw new TypeError(`\`onFailure\` must be a function, got ${show(onFailure)}`)
    this.prefix = prefix
    this.timeoutMs = timeoutMs
    this.#shared = {
      send,
      prefix,
      deadlines: new Deadlines(timeoutMs),
      onError,
      blockCacheSize,
      onFailure,
      now: undefined,
      observe: undefined,
    }
    internals.set(this, { shared: this.#shared, bindings: this.#bindings })
  }

  /** Attaches a limiter's policy; called by the limiter. A store serves any number of limiters. */
  bind(policy: RateLimitPolicy): StoreBinding<'async', RedisRateLimitResult> {
    let binding = this.#bindings.get(policy)
    if (binding === undefined) {
      binding = new RedisBinding(this.#shared, policy)
      this.#bindings.set(policy, binding)
    }
    return binding
  }

  /**
   * The Redis key holding `key`'s state under `policy` (a limiter's `policy`), e.g. to look at it with
   * redis-cli or to size memory with `MEMORY USAGE`.
   *
   * @example
   * ```ts
   * store.keyOf(limiter.policy, 'user:42') // 'rl:default:gcra:100:60000:{user:42}'
   * ```
   */
  keyOf(policy: RateLimitPolicy, key: string): string {
    return `${keyPrefix(this.prefix, policy)}${checkKey(key)}}`
  }
}

// Reached by limitMany() and the tests, not part of the entry's exports.
const internals = new WeakMap<
  RedisStore,
  { shared: Shared; bindings: WeakMap<RateLimitPolicy, RedisBinding> }
>()

/** The binding a store made for `policy` (a limiter's), if it is a RedisStore that did. */
export function bindingOf(store: unknown, policy: unknown): RedisBinding | undefined {
  return internals.get(store as RedisStore)?.bindings.get(policy as RateLimitPolicy)
}

/** Tests only: the scripts get `clock()` as their now instead of Redis's TIME. */
export function useTestClock(store: RedisStore, clock: () => number): void {
  internals.get(store)!.shared.now = clock
}

/** Tests only: `fn` sees every script reply, `[allowed, remaining, resetMs, retryAfterMs, delayMs, now]`. */
export function observeReplies(store: RedisStore, fn: (reply: readonly number[]) => void): void {
  internals.get(store)!.shared.observe = fn
}

function keyPrefix(prefix: string, p: RateLimitPolicy): string {
  const capacity = p.capacity === p.limit ? '' : `:${p.capacity}`
  return `${prefix}${p.name}:${CODES[p.algorithm]}:${p.limit}:${p.windowMs}${capacity}:{`
}

/** The per-policy operations; internal, reached through `RateLimiter` and `limitMany`. */
export class RedisBinding implements StoreBinding<'async', RedisRateLimitResult> {
  readonly #shared: Shared
  readonly #policy: RateLimitPolicy
  readonly #prefix: string
  readonly #sha1: string
  readonly #pack: number
  readonly #source: string
  readonly #capacity: number
  readonly #cache: BlockCache | undefined

  constructor(shared: Shared, policy: RateLimitPolicy) {
    const script = scriptFor(policy)
    this.#shared = shared
    this.#policy = policy
    this.#prefix = keyPrefix(shared.prefix, policy)
    this.#sha1 = script.sha1
    this.#pack = script.pack
    this.#source = script.source
    this.#capacity = policy.capacity
    this.#cache = shared.blockCacheSize > 0 ? new BlockCache(shared.blockCacheSize) : undefined
  }

  limit(key: string, cost: number): Promise<RedisRateLimitResult> {
    if (this.#cache !== undefined) {
      const hit = this.#cache.get(key, cost)
      if (hit !== undefined) return Promise.resolve(hit)
    }
    return this.#check(key, cost, true)
  }

  peek(key: string, cost: number): Promise<RedisRateLimitResult> {
    return this.#check(key, cost, false)
  }

  async reset(key: string): Promise<void> {
    this.#cache?.delete(key)
    const onError = this.#shared.onError
    if (typeof onError === 'object') onError.reset(key)
    const redisKey = `${this.#prefix}${key}}`
    try {
      await this.#shared.deadlines.watch(this.#shared.send.one(['DEL', redisKey], redisKey))
    } catch (error) {
      throw toStoreError(error)
    }
  }

  async inspect(key: string): Promise<RateLimitSnapshot> {
    const redisKey = `${this.#prefix}${key}}`
    const script = inspectScriptFor(this.#policy)
    let reply: unknown
    try {
      reply = await this.#shared.deadlines.watch(
        this.#run(['EVALSHA', script.sha1, '1', redisKey, ...this.#testNow()], redisKey, script.source),
      )
    } catch (error) {
      throw toStoreError(error)
    }
    const r = reply as [unknown, unknown?]
    const now = Array.isArray(r) ? Number(r[0]) : Number.NaN
    if (!Number.isFinite(now)) throw badReply(reply)
    const { inspect, stateSize } = INSPECTORS[this.#policy.algorithm]
    const t: StateTable = { s: new Float64Array(Math.max(stateSize, 1)), aux: [] }
    const state = r[1]
    if (!Array.isArray(state)) {
      // no key: the zero state
    } else if (this.#policy.algorithm === 'sliding-window-log') {
      // The log: [sum, expiresAt, t1, c1, ...] → the memory store's ring [head, length, sum, t1, c1, ...].
      const length = (state.length - 2) / 2
      if (length > 0) {
        const ring = new Float64Array(1 + state.length)
        ring[1] = length
        ring[2] = Number(state[0])
        for (let i = 2; i < state.length; i++) ring[1 + i] = Number(state[i])
        t.aux[0] = ring
      }
    } else {
      // The packed doubles, unpacked by the script: the algorithm's state, then the expiry it set.
      for (let i = 0; i < stateSize; i++) t.s[i] = Number(state[i] ?? 0)
    }
    return inspect(t, 0, 0, now, this.#policy)
  }

  /** Several checks in one round trip; see `limitMany`. */
  async limitMany(keys: readonly string[], cost: number): Promise<RedisRateLimitResult[]> {
    const out = new Array<RedisRateLimitResult>(keys.length)
    const batch: Command[] = []
    const routes: string[] = []
    const at: number[] = []
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!
      const hit = this.#cache?.get(key, cost)
      if (hit !== undefined) {
        out[i] = hit
        continue
      }
      const redisKey = `${this.#prefix}${key}}`
      batch.push(this.#args(redisKey, cost, true))
      routes.push(redisKey)
      at.push(i)
    }
    if (batch.length === 0) return out
    let outcomes: Outcome[]
    try {
      outcomes = await this.#shared.deadlines.watch(this.#many(batch, routes))
    } catch (error) {
      this.#report(error)
      for (const i of at) out[i] = this.#fallback(keys[i]!, cost, true)
      return out
    }
    let reported = false
    for (let j = 0; j < at.length; j++) {
      const i = at[j]!
      const o = outcomes[j]!
      if (o.ok) {
        out[i] = this.#result(keys[i]!, cost, true, o.value)
      } else {
        if (!reported) this.#report(o.error)
        reported = true
        out[i] = this.#fallback(keys[i]!, cost, true)
      }
    }
    return out
  }

  #testNow(): string[] {
    const now = this.#shared.now
    return now === undefined ? [] : [String(now())]
  }

  // EVALSHA sha 1 key [cost]: a cost of 1 is the default; peek() sends −1 − cost. Tests append a
  // fixed now, or '' to have the reply say which now Redis decided at.
  #args(redisKey: string, cost: number, commit: boolean): Command {
    const now = this.#shared.now
    if (now !== undefined || this.#shared.observe !== undefined) {
      const at = now === undefined ? '' : String(now())
      return ['EVALSHA', this.#sha1, '1', redisKey, String(commit ? cost : -1 - cost), at]
    }
    if (!commit) return ['EVALSHA', this.#sha1, '1', redisKey, String(-1 - cost)]
    if (cost === 1) return ['EVALSHA', this.#sha1, '1', redisKey]
    return ['EVALSHA', this.#sha1, '1', redisKey, String(cost)]
  }

  // EVALSHA, then EVAL on NOSCRIPT (after a restart, a failover or SCRIPT FLUSH), which caches the
  // script again on that server.
  #run(args: Command, redisKey: string, source: string): Promise<unknown> {
    const send = this.#shared.send
    return send.one(args, redisKey).catch((error: unknown) => {
      if (!isNoScript(error)) throw error
      return send.one(withSource(args, source), redisKey)
    })
  }

  async #many(batch: Command[], routes: string[]): Promise<Outcome[]> {
    const send = this.#shared.send
    const outcomes = await send.many(batch, routes)
    const again: number[] = []
    for (let j = 0; j < outcomes.length; j++) {
      const o = outcomes[j]!
      if (!o.ok && isNoScript(o.error)) again.push(j)
    }
    if (again.length > 0) {
      const retried = await send.many(
        again.map((j) => withSource(batch[j]!, this.#source)),
        again.map((j) => routes[j]!),
      )
      for (let k = 0; k < again.length; k++) outcomes[again[k]!] = retried[k]!
    }
    return outcomes
  }

  // One promise per check, resolved directly by the client's reply, its error or the deadline (the
  // NOSCRIPT retry inside the same handlers), rather than a chain of derived promises: a check is a
  // round trip, and every allocation and microtask on the way adds to it.
  #check(key: string, cost: number, commit: boolean): Promise<RedisRateLimitResult> {
    const redisKey = `${this.#prefix}${key}}`
    const args = this.#args(redisKey, cost, commit)
    return new Promise<RedisRateLimitResult>((resolve) => {
      const check = new Check(this, key, cost, commit, args, redisKey, resolve)
      this.#shared.deadlines.add(check)
      send(this.#shared.send, args, redisKey, check)
    })
  }

  /** @internal A check's reply. */
  replied(check: Check, reply: unknown): void {
    check.resolve(this.#result(check.key, check.cost, check.commit, reply))
  }

  /** @internal A check's error, or its timeout. A NOSCRIPT error is retried instead (still pending). */
  failed(check: Check, error: unknown): void {
    if (!check.retried && isNoScript(error)) {
      // EVALSHA, then EVAL on NOSCRIPT (after a restart, a failover or SCRIPT FLUSH), which caches the
      // script again on that server. The check stays pending, under the same deadline.
      check.retried = true
      send(this.#shared.send, withSource(check.args, this.#source), check.redisKey, check)
      return
    }
    check.settled = true
    this.#report(error)
    check.resolve(this.#fallback(check.key, check.cost, check.commit))
  }

  // The script's reply (src/redis/scripts.ts): for the usual answers an integer in base pack (admitted:
  // remaining × pack + resetMs, or with a wait from (capacity + 1) × pack up; rejected with nothing
  // remaining: −1 − (resetMs × pack + retryAfterMs)); else "allowed remaining resetMs retryAfterMs delayMs now"
  // (retryAfterMs −1: Infinity). Math.floor(n / pack) is exact: every quotient q here has (q + 1) × pack
  // below 2^53 (the bounds scriptFor packs within), so n / pack cannot round up to q + 1.
  #result(key: string, cost: number, commit: boolean, reply: unknown): RedisRateLimitResult {
    if (typeof reply === 'number' && this.#pack > 0) {
      const pack = this.#pack
      if (reply < 0) {
        const n = -1 - reply
        const reset = Math.floor(n / pack)
        const retry = n - reset * pack
        const result = sourced(false, this.#capacity, 0, reset, retry, 0, 'redis')
        if (commit && retry > 0 && this.#cache !== undefined) this.#cache.set(key, cost, result)
        return result
      }
      let n = reply
      let delay = 0
      const delayed = (this.#capacity + 1) * pack
      if (n >= delayed) {
        const q = Math.floor((n - delayed) / pack)
        delay = n - delayed - q * pack
        n = q
      }
      const remaining = Math.floor(n / pack)
      return sourced(true, this.#capacity, remaining, n - remaining * pack, 0, delay, 'redis')
    }
    const r = FIELDS
    if (!parseReply(reply, r)) {
      this.#report(badReply(reply))
      return this.#fallback(key, cost, commit)
    }
    this.#shared.observe?.(r)
    const retry = r[3]!
    const result = sourced(
      r[0] === 1,
      this.#capacity,
      r[1]!,
      r[2]!,
      retry < 0 ? Number.POSITIVE_INFINITY : retry,
      r[4]!,
      'redis',
    )
    if (commit && retry > 0 && this.#cache !== undefined) this.#cache.set(key, cost, result)
    return result
  }

  #report(error: unknown): void {
    const onFailure = this.#shared.onFailure
    if (onFailure === undefined) return
    try {
      onFailure(toStoreError(error))
    } catch {
      // A logging hook must not turn a degraded answer into a failed request.
    }
  }

  #fallback(key: string, cost: number, commit: boolean): RedisRateLimitResult {
    const onError = this.#shared.onError
    const cap = this.#capacity
    if (typeof onError === 'object') {
      try {
        const r = commit ? onError.limit(key, { cost }) : onError.peek(key, { cost })
        return sourced(r.allowed, r.limit, r.remaining, r.resetMs, r.retryAfterMs, r.delayMs, 'fallback')
      } catch (error) {
        this.#report(error)
        // fall through to 'deny': the insurance itself failed
      }
    }
    if (cost > cap)
      return sourced(false, cap, onError === 'allow' ? cap : 0, 0, Number.POSITIVE_INFINITY, 0, 'fallback')
    if (onError === 'allow') return sourced(true, cap, cap - cost, 0, 0, 0, 'fallback')
    return sourced(false, cap, 0, DENY_RETRY_MS, DENY_RETRY_MS, 0, 'fallback')
  }
}

// A check in flight: its deadline entry and its reply handlers in one object.
class Check implements Pending {
  deadline = 0
  settled = false
  retried = false

  constructor(
    readonly binding: RedisBinding,
    readonly key: string,
    readonly cost: number,
    readonly commit: boolean,
    readonly args: Command,
    readonly redisKey: string,
    readonly resolve: (result: RedisRateLimitResult) => void,
  ) {}

  readonly onReply = (reply: unknown): void => {
    if (this.settled) return
    this.settled = true
    try {
      this.binding.replied(this, reply)
    } catch (error) {
      // Only a throwing test hook can get here; still, the check must answer.
      this.binding.failed(this, error)
    }
  }

  readonly onError = (error: unknown): void => {
    if (this.settled) return
    this.binding.failed(this, error)
  }

  expire(error: RedisStoreError): void {
    this.binding.failed(this, error)
  }
}

// Scratch for parseReply: a reply is read and turned into a result synchronously.
const FIELDS: number[] = [0, 0, 0, 0, 0, 0]

/** Reads the five (six, with the tests' now) integers of a script's reply into `out`; false otherwise. */
export function parseReply(reply: unknown, out: number[]): boolean {
  if (typeof reply !== 'string') return false
  let n = 0
  let value = 0
  let digits = 0
  let negative = false
  // Digit by digit: exact for integers below 2^53, and no substrings or arrays on the hot path.
  for (let i = 0; i <= reply.length; i++) {
    const c = i < reply.length ? reply.charCodeAt(i) : 32
    if (c === 32) {
      if (digits === 0 || n === 6) return false
      out[n++] = negative ? -value : value
      value = 0
      digits = 0
      negative = false
    } else if (c >= 48 && c <= 57) {
      value = value * 10 + (c - 48)
      digits++
    } else if (c === 45 && digits === 0 && !negative) {
      negative = true
    } else {
      return false
    }
  }
  return n >= 5
}

// A client may also throw instead of rejecting: either way the check answers by policy, and nothing
// escapes as an exception or an unhandled rejection.
function send(sender: Sender, args: Command, redisKey: string, check: Check): void {
  let reply: Promise<unknown>
  try {
    reply = sender.one(args, redisKey)
  } catch (error) {
    check.onError(error)
    return
  }
  reply.then(check.onReply, check.onError)
}

function withSource(args: Command, source: string): Command {
  const copy = args.slice()
  copy[0] = 'EVAL'
  copy[1] = source
  return copy
}

function badReply(reply: unknown): RedisStoreError {
  let shown: string
  try {
    shown = JSON.stringify(reply) ?? String(reply)
  } catch {
    shown = String(reply)
  }
  return new RedisStoreError('ERR_REDIS_REPLY', `unexpected reply from Redis: ${shown.slice(0, 200)}`, {
    cause: reply,
  })
}
