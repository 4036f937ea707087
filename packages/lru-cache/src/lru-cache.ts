import { BackgroundFetch } from './background-fetch.js'
import { LRUCacheError } from './errors.js'
import { ExpiryHeap } from './expiry-heap.js'
import type {
  DisposeReason,
  Disposer,
  Entry,
  Fetcher,
  FetcherFetchOptions,
  FetcherOptions,
  FetchOptions,
  GetOptions,
  HasOptions,
  LRUCacheOptions,
  LRUCacheStats,
  Memoizer,
  MemoOptions,
  PeekOptions,
  Perf,
  SetOptions,
  SizeCalculator,
} from './options.js'
import {
  describe,
  finiteNumber,
  limitOption,
  nonNegativeInteger,
  optionalFunction,
  positiveSize,
  ttlOption,
} from './validate.js'

const defaultPerf: Perf =
  typeof performance === 'object' && performance !== null && typeof performance.now === 'function'
    ? performance
    : Date

// Node clamps setTimeout delays above 2^31-1 ms to 1 ms: an unclamped long TTL would spin the timer.
const MAX_TIMER_DELAY = 0x7fffffff
// Slots grow by doubling up to `max`, so a generous `max` costs nothing until it is used.
const INITIAL_CAPACITY = 16

type Slot<V> = V | BackgroundFetch<V> | undefined

let warnedUnbounded = false

function packedArray<T>(length: number): T[] {
  // Array.from gives PACKED_ELEMENTS of exactly `length`: every cache's key and value arrays then
  // share one elements kind, so the loads in get() stay monomorphic across instances.
  return Array.from({ length }) as T[]
}

/**
 * A least-recently-used cache with O(1) `get`, `set`, `delete` and eviction, and a drop-in for
 * the core of npm `lru-cache` 11 (same options, methods, ordering and staleness rules).
 *
 * Layout: a `Map<K, slot>` plus parallel per-slot storage — keys and values in plain arrays,
 * the recency list as two typed arrays (`prev`, `next`) — so there is no object per entry.
 * Deleted slots form a free list threaded through `next`; a full cache reuses the evicted slot
 * in place. TTL, size and autopurge arrays are allocated only when those features are used,
 * and `get()`/`set()` take a short path while they are off.
 *
 * Keys and values must not be `undefined` or `null` (`set(k, undefined)` is `delete(k)`).
 * Keys are compared as `Map` compares them (SameValueZero).
 *
 * @example
 * ```ts
 * import { LRUCache } from '@hotpath/lru-cache'
 *
 * const cache = new LRUCache<string, number>({ max: 2, stats: true })
 * cache.set('a', 1).set('b', 2)
 * cache.get('a')          // 1 — 'a' is now the most recently used
 * cache.set('c', 3)       // evicts 'b', the least recently used
 * [...cache.keys()]       // ['c', 'a']
 * cache.stats().hitRatio  // 1
 * ```
 */
export class LRUCache<K extends {}, V extends {}, FC = unknown> {
  /** See {@link LRUCacheOptions.ttlResolution}. Mutable, like every option field below. */
  ttlResolution: number
  /** See {@link LRUCacheOptions.ttlAutopurge}; read when TTL tracking starts. */
  ttlAutopurge: boolean
  /** See {@link LRUCacheOptions.updateAgeOnGet}. */
  updateAgeOnGet: boolean
  /** See {@link LRUCacheOptions.updateAgeOnHas}. */
  updateAgeOnHas: boolean
  /** See {@link LRUCacheOptions.allowStale}. */
  allowStale: boolean
  /** See {@link LRUCacheOptions.noDeleteOnStaleGet}. */
  noDeleteOnStaleGet: boolean
  /** See {@link LRUCacheOptions.noUpdateTTL}. */
  noUpdateTTL: boolean
  /** See {@link LRUCacheOptions.noDisposeOnSet}. */
  noDisposeOnSet: boolean
  /** See {@link LRUCacheOptions.maxEntrySize} (defaults to `maxSize`). */
  maxEntrySize: number
  /** See {@link LRUCacheOptions.sizeCalculation}. */
  sizeCalculation: SizeCalculator<K, V> | undefined
  /** See {@link LRUCacheOptions.noDeleteOnFetchRejection}. */
  noDeleteOnFetchRejection: boolean
  /** See {@link LRUCacheOptions.allowStaleOnFetchRejection}. */
  allowStaleOnFetchRejection: boolean
  /** See {@link LRUCacheOptions.allowStaleOnFetchAbort}. */
  allowStaleOnFetchAbort: boolean
  /** See {@link LRUCacheOptions.ignoreFetchAbort}. */
  ignoreFetchAbort: boolean
  /** See {@link LRUCacheOptions.backgroundFetchSize}. */
  backgroundFetchSize: number

  // The structure. `head` is the least recently used slot, `tail` the most recent;
  // `next` points toward the tail, `prev` toward the head.
  #map: Map<K, number> = new Map()
  #keys: (K | undefined)[]
  #vals: Slot<V>[]
  #next: Links
  #prev: Links
  #head = 0
  #tail = 0
  #size = 0
  #used = 0
  #cap: number
  #freeHead = 0
  #freeCount = 0
  #max: number
  #limit: number

  // get()/set() check one flag each and skip every feature test while the features are off.
  #getFast = true
  #setFast = true

  // Counters for stats(). Their sum also versions the structure for iterators: every change
  // to the list bumps one of them (hits move entries, sets link them, evictions/expirations
  // unlink them, #mod covers the rest).
  #hits = 0
  #misses = 0
  #sets = 0
  #evictions = 0
  #expirations = 0
  #mod = 0
  #statsBase: [number, number, number, number, number] = [0, 0, 0, 0, 0]
  // Misses are the one counter on a path that otherwise does nothing (a Map lookup that finds
  // nothing): counting them costs ~5% of a miss-heavy workload, so it is the `stats` option.
  #statsOn: boolean

  #maxSize: number
  #sizeLimit: number
  #sizes: Float64Array | undefined = undefined
  #calculatedSize = 0

  #ttl = 0
  #ttls: Float64Array | undefined = undefined
  // Expiry time per slot (start + ttl; Infinity when the entry has no TTL): one load per check.
  #exp: Float64Array | undefined = undefined
  #heap: ExpiryHeap | undefined = undefined
  #timer: ReturnType<typeof setTimeout> | undefined = undefined
  #timerAt = 0
  #weak: WeakRef<object> | undefined = undefined
  #perf: Perf
  #cachedNow = 0
  #nowCached = false
  #resetNow = (): void => {
    this.#nowCached = false
  }

  #dispose: Disposer<K, V> | undefined
  #disposeAfter: Disposer<K, V> | undefined
  // Pending [value, key, reason] triples: callbacks run after the operation completes.
  #queue: unknown[] | undefined
  #flushing = false
  #fetchMethod: Fetcher<K, V, FC> | undefined
  #memoMethod: Memoizer<K, V, FC> | undefined
  #hasFetch: boolean

  /**
   * @param options - at least one of `max`, `maxSize` or `ttl` (see {@link LRUCacheOptions}).
   * @throws TypeError / RangeError naming the option, the accepted range and the value received.
   */
  constructor(options: LRUCacheOptions<K, V, FC>) {
    if (typeof options !== 'object' || options === null) {
      throw new TypeError(`\`options\` must be an object, got ${describe(options)}`)
    }
    const max = limitOption('max', options.max)
    const maxSize = limitOption('maxSize', options.maxSize)
    const maxEntrySize = limitOption('maxEntrySize', options.maxEntrySize)
    const ttl = ttlOption('ttl', options.ttl)
    const sizeCalculation = optionalFunction<SizeCalculator<K, V>>('sizeCalculation', options.sizeCalculation)
    const perf = options.perf
    if (
      perf !== undefined &&
      ((typeof perf !== 'object' && typeof perf !== 'function') ||
        perf === null ||
        typeof perf.now !== 'function')
    ) {
      throw new TypeError(`\`perf\` must be an object with a now() method, got ${describe(perf)}`)
    }
    if (sizeCalculation !== undefined && maxSize === 0 && maxEntrySize === 0) {
      throw new TypeError(
        `\`sizeCalculation\` needs \`maxSize\` or \`maxEntrySize\`, got maxSize: ${describe(options.maxSize)}, maxEntrySize: ${describe(options.maxEntrySize)}`,
      )
    }
    const countBounded = max !== 0 && max !== Number.POSITIVE_INFINITY
    const sizeBounded = maxSize !== 0 && maxSize !== Number.POSITIVE_INFINITY
    if (!countBounded && !sizeBounded && ttl === 0) {
      throw new TypeError(
        `one of \`max\`, \`maxSize\` or \`ttl\` must bound the cache, got max: ${describe(options.max)}, maxSize: ${describe(options.maxSize)}, ttl: ${describe(options.ttl)}`,
      )
    }

    this.ttlResolution = nonNegativeInteger('ttlResolution', options.ttlResolution, 1)
    this.ttlAutopurge = !!options.ttlAutopurge
    this.updateAgeOnGet = !!options.updateAgeOnGet
    this.updateAgeOnHas = !!options.updateAgeOnHas
    this.allowStale = !!options.allowStale
    this.noDeleteOnStaleGet = !!options.noDeleteOnStaleGet
    this.noUpdateTTL = !!options.noUpdateTTL
    this.noDisposeOnSet = !!options.noDisposeOnSet
    this.maxEntrySize = maxEntrySize || maxSize
    this.sizeCalculation = sizeCalculation
    this.noDeleteOnFetchRejection = !!options.noDeleteOnFetchRejection
    this.allowStaleOnFetchRejection = !!options.allowStaleOnFetchRejection
    this.allowStaleOnFetchAbort = !!options.allowStaleOnFetchAbort
    this.ignoreFetchAbort = !!options.ignoreFetchAbort
    this.backgroundFetchSize =
      options.backgroundFetchSize === undefined
        ? 1
        : positiveSize('backgroundFetchSize', options.backgroundFetchSize)

    this.#max = max
    this.#limit = max === 0 ? Number.POSITIVE_INFINITY : max
    this.#cap = Math.min(this.#limit, INITIAL_CAPACITY)
    this.#keys = packedArray(this.#cap)
    this.#vals = packedArray(this.#cap)
    this.#next = links(this.#cap)
    this.#prev = links(this.#cap)
    this.#maxSize = maxSize
    this.#sizeLimit = maxSize === 0 ? Number.POSITIVE_INFINITY : maxSize
    if (maxSize !== 0 || maxEntrySize !== 0) this.#sizes = new Float64Array(this.#cap)
    this.#perf = perf ?? defaultPerf
    this.#dispose = optionalFunction<Disposer<K, V>>('dispose', options.dispose)
    this.#disposeAfter = optionalFunction<Disposer<K, V>>('disposeAfter', options.disposeAfter)
    this.#queue = this.#dispose !== undefined || this.#disposeAfter !== undefined ? [] : undefined
    this.#fetchMethod = optionalFunction<Fetcher<K, V, FC>>('fetchMethod', options.fetchMethod)
    this.#memoMethod = optionalFunction<Memoizer<K, V, FC>>('memoMethod', options.memoMethod)
    this.#hasFetch = this.#fetchMethod !== undefined
    this.#statsOn = !!options.stats
    this.#ttl = ttl
    if (ttl !== 0) this.#initTTL()
    this.#updateFlags()

    if (!countBounded && !sizeBounded && !this.ttlAutopurge && !warnedUnbounded) {
      warnedUnbounded = true
      const proc = (globalThis as { process?: { emitWarning?: (m: string, t: string, c: string) => void } })
        .process
      proc?.emitWarning?.(
        'TTL caching without ttlAutopurge, max, or maxSize can result in unbounded memory consumption.',
        'UnboundedCacheWarning',
        'LRU_CACHE_UNBOUNDED',
      )
    }
  }

  // ---------------------------------------------------------------- read-only properties

  /** The most entries kept (`0` when only `maxSize` / `ttl` bound the cache). */
  get max(): number {
    return this.#max
  }
  /** The most total size kept (`0` when sizes are not limited). */
  get maxSize(): number {
    return this.#maxSize
  }
  /** The sum of the sizes of the entries held. */
  get calculatedSize(): number {
    return this.#calculatedSize
  }
  /** The number of entries held (in-flight fetches included, as in lru-cache). */
  get size(): number {
    return this.#size
  }
  /** The clock in use. */
  get perf(): Perf {
    return this.#perf
  }
  /** The `fetchMethod` option (read-only). */
  get fetchMethod(): Fetcher<K, V, FC> | undefined {
    return this.#fetchMethod
  }
  /** The `memoMethod` option (read-only). */
  get memoMethod(): Memoizer<K, V, FC> | undefined {
    return this.#memoMethod
  }
  /** The `dispose` option (read-only). */
  get dispose(): Disposer<K, V> | undefined {
    return this.#dispose
  }
  /** The `disposeAfter` option (read-only). */
  get disposeAfter(): Disposer<K, V> | undefined {
    return this.#disposeAfter
  }
  /** `'LRUCache'`, so `Object.prototype.toString` reports `[object LRUCache]`. */
  get [Symbol.toStringTag](): string {
    return 'LRUCache'
  }

  /** Default TTL in ms for new entries (`0`: none). Setting it turns TTL tracking on. */
  get ttl(): number {
    return this.#ttl
  }
  /** Change the default TTL for entries set from now on (validated like the `ttl` option). */
  set ttl(value: number) {
    this.#ttl = ttlOption('ttl', value)
    if (this.#ttl !== 0 && this.#exp === undefined) this.#initTTL()
    this.#updateFlags()
  }

  // ---------------------------------------------------------------- hot path

  /**
   * The value for `k`, marking it most recently used; `undefined` if absent or stale
   * (a stale entry is removed unless `noDeleteOnStaleGet`; `allowStale` returns it once).
   *
   * @example
   * ```ts
   * const cache = new LRUCache<string, number>({ max: 10 })
   * cache.set('a', 1)
   * cache.get('a') // 1
   * cache.get('b') // undefined
   * ```
   */
  get(k: K, options?: GetOptions): V | undefined {
    // `!== true`, not `!flag`: V8 does not track boolean field types, so `!` compiles to a full
    // truthiness test (string, number, bigint...) while this is one pointer comparison.
    if (this.#getFast !== true) return this.#getSlow(k, options)
    const i = this.#map.get(k)
    if (i === undefined) return undefined
    this.#hits++
    if (i !== this.#tail) this.#moveToTail(i)
    return this.#vals[i] as V
  }

  /**
   * Stores `v` under `k` as the most recently used entry, evicting the least recently used
   * entries as `max` / `maxSize` require. `set(k, undefined)` is `delete(k)`. Returns the cache.
   *
   * @example
   * ```ts
   * const cache = new LRUCache<string, string>({ max: 100, ttl: 60_000 })
   * cache.set('session', 'abc').set('short', 'x', { ttl: 1_000 })
   * ```
   */
  set(k: K, v: V | undefined, options?: SetOptions<K, V>): this {
    // Kept under V8's inlining limit (460 bytes of bytecode): callers' loops inline it whole.
    if (this.#setFast !== true || options !== undefined || v === undefined || k === undefined || k === null) {
      this.#setSlow(k, v, options)
      return this
    }
    const i = this.#map.get(k)
    if (i === undefined) {
      if (this.#size === this.#limit) this.#replaceHead(k, v)
      else this.#insert(k, v)
    } else {
      this.#sets++
      this.#vals[i] = v
      if (i !== this.#tail) this.#moveToTail(i)
    }
    return this
  }

  // ---------------------------------------------------------------- lookups without recency

  /**
   * Whether `k` holds a fresh value. Does not change recency (nor age, unless `updateAgeOnHas`).
   *
   * @example
   * ```ts
   * const cache = new LRUCache<string, number>({ max: 10, ttl: 1_000 })
   * cache.set('a', 1)
   * cache.has('a') // true (false once the TTL has passed)
   * ```
   */
  has(k: K, options?: HasOptions): boolean {
    const i = this.#map.get(k)
    if (i === undefined) return false
    if (this.#getFast === true) return true
    const v = this.#vals[i]
    if (v instanceof BackgroundFetch && v.stale === undefined) return false
    if (this.#isStale(i)) return false
    if (options?.updateAgeOnHas ?? this.updateAgeOnHas) this.#updateAge(i)
    return true
  }

  /**
   * The value for `k` without marking it used; stale values are `undefined` unless `allowStale`,
   * and are never removed by a peek.
   *
   * @example
   * ```ts
   * const cache = new LRUCache<string, number>({ max: 2 })
   * cache.set('a', 1).set('b', 2)
   * cache.peek('a')  // 1, and 'a' is still the least recently used
   * cache.set('c', 3) // evicts 'a'
   * ```
   */
  peek(k: K, options?: PeekOptions): V | undefined {
    const i = this.#map.get(k)
    if (i === undefined) return undefined
    if (this.#getFast === true) return this.#vals[i] as V
    if (!(options?.allowStale ?? this.allowStale) && this.#isStale(i)) return undefined
    const v = this.#vals[i]
    return v instanceof BackgroundFetch ? v.stale : v
  }

  /**
   * Milliseconds left before `k` goes stale: `0` if absent, `Infinity` if it has no TTL,
   * negative if already stale but still held.
   *
   * @example
   * ```ts
   * const cache = new LRUCache<string, number>({ max: 10, ttl: 5_000 })
   * cache.set('a', 1)
   * cache.getRemainingTTL('a') // ~5000
   * ```
   */
  getRemainingTTL(k: K): number {
    const i = this.#map.get(k)
    if (i === undefined) return 0
    const exp = this.#exp
    if (exp === undefined) return Number.POSITIVE_INFINITY
    const e = exp[i]!
    return e === Number.POSITIVE_INFINITY ? e : e - this.#clock()
  }

  /**
   * The value of `k` with its remaining TTL (`ttl`), a `Date.now()` `start` and `size`, without
   * changing recency. Stale entries are included (negative `ttl`).
   *
   * @example
   * ```ts
   * const cache = new LRUCache<string, string>({ max: 10, maxSize: 100, sizeCalculation: (v) => v.length })
   * cache.set('a', 'hello')
   * cache.info('a') // { value: 'hello', size: 5 }
   * ```
   */
  info(k: K): Entry<V> | undefined {
    const i = this.#map.get(k)
    if (i === undefined) return undefined
    const v = this.#vals[i]
    const value = v instanceof BackgroundFetch ? v.stale : v
    if (value === undefined) return undefined
    const entry: Entry<V> = { value }
    const exp = this.#exp
    if (exp !== undefined && exp[i] !== Number.POSITIVE_INFINITY) {
      entry.ttl = exp[i]! - this.#perf.now()
      entry.start = Date.now()
    }
    if (this.#sizes !== undefined) entry.size = this.#sizes[i]!
    return entry
  }

  // ---------------------------------------------------------------- removal

  /**
   * Removes `k`; returns whether it was present. `dispose` runs with reason `'delete'`.
   *
   * @example
   * ```ts
   * const cache = new LRUCache<string, number>({ max: 10 })
   * cache.set('a', 1)
   * cache.delete('a') // true
   * cache.delete('a') // false
   * ```
   */
  delete(k: K): boolean {
    const deleted = this.#delete(k, 'delete')
    this.#afterOp()
    return deleted
  }

  /**
   * Removes every entry (`dispose` runs for each, least recently used first, reason `'delete'`)
   * and aborts in-flight fetches.
   *
   * @example
   * ```ts
   * const cache = new LRUCache<string, number>({ max: 10 })
   * cache.set('a', 1).clear()
   * cache.size // 0
   * ```
   */
  clear(): void {
    this.#clear('delete')
    this.#afterOp()
  }

  /**
   * Removes and returns the least recently used value (`dispose` reason `'evict'`).
   *
   * @example
   * ```ts
   * const cache = new LRUCache<string, number>({ max: 10 })
   * cache.set('a', 1).set('b', 2)
   * cache.pop() // 1
   * ```
   */
  pop(): V | undefined {
    try {
      while (this.#size !== 0) {
        const v = this.#vals[this.#head]
        this.#evict(true)
        if (v instanceof BackgroundFetch) {
          if (v.stale !== undefined) return v.stale
        } else if (v !== undefined) {
          return v
        }
      }
      return undefined
    } finally {
      this.#afterOp()
    }
  }

  /**
   * Removes every stale entry (reason `'expire'`), least recently used first; returns whether
   * anything was removed.
   *
   * @example
   * ```ts
   * const cache = new LRUCache<string, number>({ max: 100, ttl: 10 })
   * cache.set('a', 1)
   * // ...later
   * cache.purgeStale() // true once 'a' is stale
   * ```
   */
  purgeStale(): boolean {
    let deleted = false
    const exp = this.#exp
    if (exp !== undefined && this.#size !== 0) {
      const next = this.#next
      let i = this.#head
      for (let left = this.#size; left > 0; left--) {
        const after = next[i]!
        if (this.#isStale(i)) {
          this.#delete(this.#keys[i] as K, 'expire')
          deleted = true
        }
        i = after
      }
    }
    this.#afterOp()
    return deleted
  }

  /**
   * Changes `max`, evicting least recently used entries (reason `'evict'`) until the cache fits,
   * and releasing slot storage beyond the new limit.
   *
   * @example
   * ```ts
   * const cache = new LRUCache<number, number>({ max: 1_000 })
   * for (let i = 0; i < 1_000; i++) cache.set(i, i)
   * cache.resize(10) // keeps the 10 most recently used
   * ```
   */
  resize(max: number): void {
    if (max === 0 || max === undefined) {
      throw new RangeError(`\`max\` must be a positive integer or Infinity, got ${describe(max)}`)
    }
    const value = limitOption('max', max)
    if (
      value === Number.POSITIVE_INFINITY &&
      (this.#maxSize === 0 || this.#maxSize === Number.POSITIVE_INFINITY) &&
      this.#ttl === 0
    ) {
      throw new TypeError(
        '`max` can be Infinity only when `maxSize` or `ttl` bounds the cache, got max: Infinity, maxSize: 0, ttl: 0',
      )
    }
    try {
      while (this.#size > value) this.#evict(true)
      this.#max = value
      this.#limit = value
      if (this.#cap > value) this.#compact(value)
    } finally {
      this.#afterOp()
    }
  }

  // ---------------------------------------------------------------- iteration

  /**
   * `[key, value]` pairs, most recently used first; skips stale entries (unless `allowStale`)
   * and in-flight fetches. Safe under mutation: each key is yielded at most once, keys deleted
   * before being reached are skipped, keys added meanwhile may or may not be visited, and
   * iteration always terminates.
   *
   * @example
   * ```ts
   * const cache = new LRUCache<string, number>({ max: 10 })
   * cache.set('a', 1).set('b', 2)
   * [...cache.entries()] // [['b', 2], ['a', 1]]
   * ```
   */
  *entries(): Generator<[K, V], void, unknown> {
    for (const i of this.#slots(true, this.allowStale)) {
      const v = this.#vals[i]
      if (v !== undefined && !(v instanceof BackgroundFetch)) yield [this.#keys[i] as K, v]
    }
  }

  /**
   * {@link LRUCache.entries}, least recently used first.
   *
   * @example
   * ```ts
   * const cache = new LRUCache<string, number>({ max: 10 })
   * cache.set('a', 1).set('b', 2)
   * [...cache.rentries()] // [['a', 1], ['b', 2]]
   * ```
   */
  *rentries(): Generator<[K, V], void, unknown> {
    for (const i of this.#slots(false, this.allowStale)) {
      const v = this.#vals[i]
      if (v !== undefined && !(v instanceof BackgroundFetch)) yield [this.#keys[i] as K, v]
    }
  }

  /**
   * Keys, most recently used first (same rules as {@link LRUCache.entries}).
   *
   * @example
   * ```ts
   * const cache = new LRUCache<string, number>({ max: 10 })
   * cache.set('a', 1).set('b', 2)
   * [...cache.keys()] // ['b', 'a']
   * ```
   */
  *keys(): Generator<K, void, unknown> {
    for (const i of this.#slots(true, this.allowStale)) {
      if (!(this.#vals[i] instanceof BackgroundFetch)) yield this.#keys[i] as K
    }
  }

  /**
   * Keys, least recently used first.
   *
   * @example
   * ```ts
   * const cache = new LRUCache<string, number>({ max: 10 })
   * cache.set('a', 1).set('b', 2)
   * [...cache.rkeys()] // ['a', 'b']
   * ```
   */
  *rkeys(): Generator<K, void, unknown> {
    for (const i of this.#slots(false, this.allowStale)) {
      if (!(this.#vals[i] instanceof BackgroundFetch)) yield this.#keys[i] as K
    }
  }

  /**
   * Values, most recently used first.
   *
   * @example
   * ```ts
   * const cache = new LRUCache<string, number>({ max: 10 })
   * cache.set('a', 1).set('b', 2)
   * [...cache.values()] // [2, 1]
   * ```
   */
  *values(): Generator<V, void, unknown> {
    for (const i of this.#slots(true, this.allowStale)) {
      const v = this.#vals[i]
      if (v !== undefined && !(v instanceof BackgroundFetch)) yield v
    }
  }

  /**
   * Values, least recently used first.
   *
   * @example
   * ```ts
   * const cache = new LRUCache<string, number>({ max: 10 })
   * cache.set('a', 1).set('b', 2)
   * [...cache.rvalues()] // [1, 2]
   * ```
   */
  *rvalues(): Generator<V, void, unknown> {
    for (const i of this.#slots(false, this.allowStale)) {
      const v = this.#vals[i]
      if (v !== undefined && !(v instanceof BackgroundFetch)) yield v
    }
  }

  /**
   * Same as {@link LRUCache.entries}.
   *
   * @example
   * ```ts
   * const cache = new LRUCache<string, number>({ max: 10 })
   * cache.set('a', 1)
   * for (const [k, v] of cache) console.log(k, v)
   * ```
   */
  [Symbol.iterator](): Generator<[K, V], void, unknown> {
    return this.entries()
  }

  /**
   * Calls `fn(value, key, cache)` for each entry, most recently used first, without changing
   * recency. In-flight fetches show their stale value, if any. `fn` may modify the cache.
   *
   * @example
   * ```ts
   * const cache = new LRUCache<string, number>({ max: 10 })
   * cache.set('a', 1).set('b', 2)
   * cache.forEach((v, k) => console.log(k, v)) // b 2, a 1
   * ```
   */
  forEach(fn: (value: V, key: K, cache: this) => unknown, thisp: unknown = this): void {
    for (const i of this.#slots(true, this.allowStale)) {
      const v = this.#vals[i]
      const value = v instanceof BackgroundFetch ? v.stale : v
      if (value !== undefined) fn.call(thisp, value, this.#keys[i] as K, this)
    }
  }

  /**
   * {@link LRUCache.forEach}, least recently used first.
   *
   * @example
   * ```ts
   * const cache = new LRUCache<string, number>({ max: 10 })
   * cache.set('a', 1).set('b', 2)
   * cache.rforEach((v, k) => console.log(k, v)) // a 1, b 2
   * ```
   */
  rforEach(fn: (value: V, key: K, cache: this) => unknown, thisp: unknown = this): void {
    for (const i of this.#slots(false, this.allowStale)) {
      const v = this.#vals[i]
      const value = v instanceof BackgroundFetch ? v.stale : v
      if (value !== undefined) fn.call(thisp, value, this.#keys[i] as K, this)
    }
  }

  /**
   * The first value (most recently used first) for which `fn(value, key, cache)` is truthy,
   * read with `get()` (so it becomes the most recently used).
   *
   * @example
   * ```ts
   * const cache = new LRUCache<string, number>({ max: 10 })
   * cache.set('a', 1).set('b', 2)
   * cache.find((v) => v > 1) // 2
   * ```
   */
  find(fn: (value: V, key: K, cache: this) => boolean | undefined, options?: GetOptions): V | undefined {
    for (const i of this.#slots(true, this.allowStale)) {
      const v = this.#vals[i]
      const value = v instanceof BackgroundFetch ? v.stale : v
      if (value === undefined) continue
      const key = this.#keys[i] as K
      if (fn(value, key, this)) return this.get(key, options)
    }
    return undefined
  }

  // ---------------------------------------------------------------- serialisation

  /**
   * Every entry (stale ones too) as `[key, { value, ttl?, start?, size? }]`, least recently
   * used first, with `start` as a portable `Date.now()` timestamp. Feed it to {@link LRUCache.load}.
   *
   * @example
   * ```ts
   * const a = new LRUCache<string, number>({ max: 10 })
   * a.set('x', 1).set('y', 2)
   * const b = new LRUCache<string, number>({ max: 10 })
   * b.load(a.dump())
   * [...b.keys()] // ['y', 'x']
   * ```
   */
  dump(): [K, Entry<V>][] {
    const out: [K, Entry<V>][] = []
    if (this.#size === 0) return out
    const exp = this.#exp
    const ttls = this.#ttls
    const sizes = this.#sizes
    const age = exp === undefined ? 0 : Date.now() - this.#perf.now()
    let i = this.#head
    for (let left = this.#size; left > 0; left--) {
      const v = this.#vals[i]
      const value = v instanceof BackgroundFetch ? v.stale : v
      if (value !== undefined) {
        const entry: Entry<V> = { value }
        if (exp !== undefined && ttls !== undefined) {
          const ttl = ttls[i]!
          entry.ttl = ttl
          if (ttl !== 0) entry.start = Math.floor(exp[i]! - ttl + age)
        }
        if (sizes !== undefined) entry.size = sizes[i]!
        out.push([this.#keys[i] as K, entry])
      }
      i = this.#next[i]!
    }
    return out
  }

  /**
   * Clears the cache, then stores `entries` in order (as produced by {@link LRUCache.dump}).
   *
   * @example
   * ```ts
   * const cache = new LRUCache<string, number>({ max: 10, ttl: 60_000 })
   * cache.load([['a', { value: 1, ttl: 60_000, start: Date.now() }]])
   * cache.get('a') // 1
   * ```
   */
  load(entries: Iterable<readonly [K, Entry<V>]>): void {
    if (entries == null || typeof (entries as Iterable<unknown>)[Symbol.iterator] !== 'function') {
      throw new TypeError(`\`entries\` must be an iterable of [key, entry] pairs, got ${describe(entries)}`)
    }
    this.#clear('delete')
    try {
      for (const [key, entry] of entries) {
        let start = entry.start
        // `start` is portable (Date.now()-based); translate it to this cache's clock.
        if (start) start = this.#perf.now() - (Date.now() - start)
        if (entry.value === undefined) continue
        this.#store(key, entry.value, { ttl: entry.ttl, start, size: entry.size }, undefined)
      }
    } finally {
      this.#afterOp()
    }
  }

  // ---------------------------------------------------------------- stats

  /**
   * Counters since construction (or {@link LRUCache.resetStats}): hits, misses, sets,
   * evictions, expirations and the hit ratio. Needs the `stats: true` option.
   *
   * @throws TypeError when the cache was created without `stats: true`.
   * @example
   * ```ts
   * const cache = new LRUCache<string, number>({ max: 10, stats: true })
   * cache.set('a', 1)
   * cache.get('a'); cache.get('b')
   * cache.stats() // { hits: 1, misses: 1, sets: 1, evictions: 0, expirations: 0, hitRatio: 0.5 }
   * ```
   */
  stats(): LRUCacheStats {
    if (!this.#statsOn) {
      throw new TypeError('stats() needs the cache to be created with `stats: true`, got stats: false')
    }
    const base = this.#statsBase
    const hits = this.#hits - base[0]
    const misses = this.#misses - base[1]
    const lookups = hits + misses
    return {
      hits,
      misses,
      sets: this.#sets - base[2],
      evictions: this.#evictions - base[3],
      expirations: this.#expirations - base[4],
      hitRatio: lookups === 0 ? 0 : hits / lookups,
    }
  }

  /**
   * Zeroes the counters reported by {@link LRUCache.stats}.
   *
   * @example
   * ```ts
   * const cache = new LRUCache<string, number>({ max: 10, stats: true })
   * cache.get('a')
   * cache.resetStats()
   * cache.stats().misses // 0
   * ```
   */
  resetStats(): void {
    // The live counters keep counting (iterators use them as a version); reports subtract a base.
    this.#statsBase = [this.#hits, this.#misses, this.#sets, this.#evictions, this.#expirations]
  }

  // ---------------------------------------------------------------- fetch & memo

  /**
   * The cached value for `k`, or the result of `fetchMethod` (stored on success). Concurrent
   * fetches of one key share one load; rejections are not cached; with `allowStale` a stale
   * value is returned at once while it refreshes in the background. Without `fetchMethod` it
   * behaves like `get()`.
   *
   * @example
   * ```ts
   * const users = new LRUCache<string, { name: string }>({
   *   max: 1_000,
   *   ttl: 60_000,
   *   allowStale: true,
   *   fetchMethod: async (id, _stale, { signal }) => (await fetch(`https://api.example/users/${id}`, { signal })).json(),
   * })
   * const [a, b] = await Promise.all([users.fetch('42'), users.fetch('42')]) // one request
   * ```
   */
  async fetch(k: K, options: FetchOptions<K, V, FC> = {}): Promise<V | undefined> {
    const allowStale = options.allowStale ?? this.allowStale
    const updateAgeOnGet = options.updateAgeOnGet ?? this.updateAgeOnGet
    const noDeleteOnStaleGet = options.noDeleteOnStaleGet ?? this.noDeleteOnStaleGet
    if (this.#fetchMethod === undefined) {
      return this.get(k, { allowStale, updateAgeOnGet, noDeleteOnStaleGet })
    }
    const opts: FetcherFetchOptions<K, V, FC> = {
      allowStale,
      updateAgeOnGet,
      noDeleteOnStaleGet,
      ttl: options.ttl ?? this.#ttl,
      noDisposeOnSet: options.noDisposeOnSet ?? this.noDisposeOnSet,
      size: options.size ?? 0,
      sizeCalculation: options.sizeCalculation ?? this.sizeCalculation,
      noUpdateTTL: options.noUpdateTTL ?? this.noUpdateTTL,
      noDeleteOnFetchRejection: options.noDeleteOnFetchRejection ?? this.noDeleteOnFetchRejection,
      allowStaleOnFetchRejection: options.allowStaleOnFetchRejection ?? this.allowStaleOnFetchRejection,
      allowStaleOnFetchAbort: options.allowStaleOnFetchAbort ?? this.allowStaleOnFetchAbort,
      ignoreFetchAbort: options.ignoreFetchAbort ?? this.ignoreFetchAbort,
      signal: options.signal,
    }
    let result: V | undefined | Promise<V | undefined>
    try {
      result = this.#startFetch(k, opts, !!options.forceRefresh, options.context)
    } finally {
      // Disposals queued while placing the load (evictions) run now, not when it lands.
      this.#afterOp()
    }
    return result
  }

  #startFetch(
    k: K,
    opts: FetcherFetchOptions<K, V, FC>,
    forceRefresh: boolean,
    context: FC | undefined,
  ): V | undefined | Promise<V | undefined> {
    const i = this.#map.get(k)
    if (i === undefined) {
      this.#misses++
      const bf = this.#backgroundFetch(k, undefined, opts, context)
      bf.returned = true
      return bf.promise
    }
    const v = this.#vals[i]
    if (v instanceof BackgroundFetch) {
      // Already loading: join it (stampede protection), or serve its stale value.
      if (opts.allowStale && v.stale !== undefined) {
        this.#hits++
        return v.stale
      }
      this.#misses++
      v.returned = true
      return v.promise
    }
    if (!forceRefresh && !this.#isStale(i)) {
      this.#hits++
      if (i !== this.#tail) this.#moveToTail(i)
      if (opts.updateAgeOnGet) this.#updateAge(i)
      return v
    }
    const bf = this.#backgroundFetch(k, i, opts, context)
    if (opts.allowStale && bf.stale !== undefined) {
      this.#hits++
      return bf.stale
    }
    this.#misses++
    bf.returned = true
    return bf.promise
  }

  /**
   * Like {@link LRUCache.fetch} but rejects with `LRUCacheError('ERR_LRU_FETCH_UNDEFINED')`
   * instead of resolving to `undefined`.
   *
   * @example
   * ```ts
   * const cache = new LRUCache<string, string>({ max: 10, fetchMethod: async (k) => k.toUpperCase() })
   * await cache.forceFetch('a') // 'A'
   * ```
   */
  async forceFetch(k: K, options: FetchOptions<K, V, FC> = {}): Promise<V> {
    const v = await this.fetch(k, options)
    if (v === undefined) throw new LRUCacheError('ERR_LRU_FETCH_UNDEFINED', 'fetch() returned undefined')
    return v
  }

  /**
   * The cached value for `k`, or `memoMethod(k, stale, { options, context })` computed
   * synchronously and stored.
   *
   * @example
   * ```ts
   * const squares = new LRUCache<number, number>({ max: 100, memoMethod: (n) => n * n })
   * squares.memo(12) // 144, computed
   * squares.memo(12) // 144, cached
   * ```
   */
  memo(k: K, options: MemoOptions<K, V, FC> = {}): V {
    const memoMethod = this.#memoMethod
    if (memoMethod === undefined) {
      throw new TypeError('`memoMethod` is required to call memo(), got undefined')
    }
    const { context, forceRefresh, ...rest } = options
    const v = this.get(k, rest)
    if (!forceRefresh && v !== undefined) return v
    const computed = memoMethod(k, v, { options: rest, context })
    this.set(k, computed, rest)
    return computed
  }

  // ---------------------------------------------------------------- internals

  #updateFlags(): void {
    const plain = this.#exp === undefined && !this.#hasFetch
    this.#getFast = plain && !this.#statsOn
    this.#setFast = plain && this.#sizes === undefined && this.#queue === undefined && this.#ttl === 0
  }

  #version(): number {
    return this.#hits + this.#sets + this.#evictions + this.#expirations + this.#mod
  }

  /** Featureless insert into a full cache: the least recently used slot takes the entry in place. */
  #replaceHead(k: K, v: V): void {
    const i = this.#head
    const map = this.#map
    map.delete(this.#keys[i] as K)
    map.set(k, i)
    this.#keys[i] = k
    this.#vals[i] = v
    this.#evictions++
    this.#sets++
    if (i !== this.#tail) {
      const next = this.#next
      const t = this.#tail
      this.#head = next[i]!
      next[t] = i
      this.#prev[i] = t
      this.#tail = i
    }
  }

  /** Featureless insert while there is room: a freed slot, or the next never-used one. */
  #insert(k: K, v: V): void {
    let i: number
    if (this.#freeCount !== 0) {
      i = this.#freeHead
      this.#freeHead = this.#next[i]!
      this.#freeCount--
    } else {
      if (this.#used === this.#cap) this.#grow()
      i = this.#used++
    }
    this.#keys[i] = k
    this.#vals[i] = v
    this.#map.set(k, i)
    this.#sets++
    this.#linkTail(i)
  }

  #moveToTail(i: number): void {
    const next = this.#next
    const prev = this.#prev
    const n = next[i]!
    if (i === this.#head) {
      this.#head = n
    } else {
      const p = prev[i]!
      next[p] = n
      prev[n] = p
    }
    const t = this.#tail
    next[t] = i
    prev[i] = t
    this.#tail = i
  }

  #linkTail(i: number): void {
    if (this.#size++ === 0) {
      this.#head = i
    } else {
      const t = this.#tail
      this.#next[t] = i
      this.#prev[i] = t
    }
    this.#tail = i
  }

  #unlink(i: number): void {
    if (this.#size !== 1) {
      if (i === this.#head) {
        this.#head = this.#next[i]!
      } else if (i === this.#tail) {
        this.#tail = this.#prev[i]!
      } else {
        const p = this.#prev[i]!
        const n = this.#next[i]!
        this.#next[p] = n
        this.#prev[n] = p
      }
    }
    this.#size--
  }

  #pushFree(i: number): void {
    this.#next[i] = this.#freeHead
    this.#freeHead = i
    this.#freeCount++
  }

  #allocate(): number {
    if (this.#freeCount !== 0) {
      const i = this.#freeHead
      this.#freeHead = this.#next[i]!
      this.#freeCount--
      return i
    }
    if (this.#size === this.#limit) return this.#evict(false)
    if (this.#used === this.#cap) this.#grow()
    return this.#used++
  }

  #grow(): void {
    const cap = this.#cap
    const size = Math.min(this.#limit, cap * 2)
    this.#resizeStorage(size, cap)
  }

  /** Reallocates per-slot storage to `capacity`, keeping slots `[0, keep)`. */
  #resizeStorage(capacity: number, keep: number): void {
    const keys = packedArray<K | undefined>(capacity)
    const vals = packedArray<Slot<V>>(capacity)
    const oldKeys = this.#keys
    const oldVals = this.#vals
    for (let j = 0; j < keep; j++) {
      keys[j] = oldKeys[j]
      vals[j] = oldVals[j]
    }
    this.#keys = keys
    this.#vals = vals
    this.#next = copyInto(links(capacity), this.#next, keep)
    this.#prev = copyInto(links(capacity), this.#prev, keep)
    if (this.#sizes !== undefined) this.#sizes = copyInto(new Float64Array(capacity), this.#sizes, keep)
    if (this.#ttls !== undefined) this.#ttls = copyInto(new Float64Array(capacity), this.#ttls, keep)
    if (this.#exp !== undefined) {
      this.#exp = copyInto(new Float64Array(capacity).fill(Number.POSITIVE_INFINITY), this.#exp, keep)
    }
    if (this.#heap !== undefined && capacity > this.#cap) this.#heap.grow(capacity)
    this.#cap = capacity
  }

  /** Renumbers live entries 0..size-1 (least recently used first) into storage of `capacity`. */
  #compact(capacity: number): void {
    const size = this.#size
    const order = new Uint32Array(size)
    let i = this.#head
    for (let j = 0; j < size; j++) {
      order[j] = i
      i = this.#next[i]!
    }
    const keys = packedArray<K | undefined>(capacity)
    const vals = packedArray<Slot<V>>(capacity)
    const next = links(capacity)
    const prev = links(capacity)
    const sizes = this.#sizes === undefined ? undefined : new Float64Array(capacity)
    const ttls = this.#ttls === undefined ? undefined : new Float64Array(capacity)
    const exp =
      this.#exp === undefined ? undefined : new Float64Array(capacity).fill(Number.POSITIVE_INFINITY)
    for (let j = 0; j < size; j++) {
      const from = order[j]!
      const key = this.#keys[from] as K
      keys[j] = key
      vals[j] = this.#vals[from]
      this.#map.set(key, j)
      next[j] = j + 1
      prev[j] = j - 1
      if (sizes !== undefined) sizes[j] = this.#sizes![from]!
      if (ttls !== undefined) ttls[j] = this.#ttls![from]!
      if (exp !== undefined) exp[j] = this.#exp![from]!
    }
    this.#keys = keys
    this.#vals = vals
    this.#next = next
    this.#prev = prev
    this.#sizes = sizes
    this.#ttls = ttls
    this.#exp = exp
    this.#cap = capacity
    this.#used = size
    this.#freeCount = 0
    this.#head = 0
    this.#tail = size === 0 ? 0 : size - 1
    this.#mod++
    if (this.#heap !== undefined) {
      const heap = new ExpiryHeap(capacity)
      for (let j = 0; j < size; j++) if (exp![j] !== Number.POSITIVE_INFINITY) heap.upsert(j, exp!)
      this.#heap = heap
      this.#cancelTimer()
      this.#schedule()
    }
  }

  /** get() with TTL, fetch or stats on. The common case (a fresh plain value) comes first. */
  #getSlow(k: K, options: GetOptions | undefined): V | undefined {
    const i = this.#map.get(k)
    if (i === undefined) {
      this.#misses++
      return undefined
    }
    const value = this.#vals[i]
    if (this.#hasFetch === true && value instanceof BackgroundFetch)
      return this.#getFetching(i, value, options)
    if (this.#isStale(i)) return this.#getStale(k, value as V, options)
    this.#hits++
    if (i !== this.#tail) this.#moveToTail(i)
    if ((options?.updateAgeOnGet ?? this.updateAgeOnGet) === true) this.#updateAge(i)
    return value as V
  }

  #getStale(k: K, value: V, options: GetOptions | undefined): V | undefined {
    if ((options?.noDeleteOnStaleGet ?? this.noDeleteOnStaleGet) !== true) {
      this.#delete(k, 'expire')
      this.#afterOp()
    }
    if ((options?.allowStale ?? this.allowStale) === true) {
      this.#hits++
      return value
    }
    this.#misses++
    return undefined
  }

  /** get() of a key whose value is being loaded: only its stale value, if any, can be served. */
  #getFetching(i: number, value: BackgroundFetch<V>, options: GetOptions | undefined): V | undefined {
    const allowStale = (options?.allowStale ?? this.allowStale) === true
    let out: V | undefined
    if (this.#isStale(i)) {
      out = allowStale ? value.stale : undefined
    } else {
      // Not stale yet (a forceRefresh): still a use of the entry.
      if (i !== this.#tail) {
        this.#moveToTail(i)
        this.#mod++
      }
      if ((options?.updateAgeOnGet ?? this.updateAgeOnGet) === true) this.#updateAge(i)
      out = value.stale
    }
    if (out === undefined) this.#misses++
    else this.#hits++
    return out
  }

  #setSlow(k: K, v: V | undefined, options: SetOptions<K, V> | undefined): void {
    if (k == null) throw new TypeError(`\`key\` must not be undefined or null, got ${describe(k)}`)
    if (v === undefined) {
      this.delete(k)
      return
    }
    if (options !== undefined && (typeof options !== 'object' || options === null)) {
      throw new TypeError(`\`options\` must be an object, got ${describe(options)}`)
    }
    try {
      this.#store(k, v, options, undefined)
    } finally {
      this.#afterOp()
    }
  }

  /** lru-cache's #set: the general write, used by set(), load(), memo() and fetch(). */
  #store(
    k: K,
    v: V | BackgroundFetch<V>,
    options: SetOptions<K, V> | undefined,
    resolving: BackgroundFetch<V> | undefined,
  ): void {
    const isFetch = v instanceof BackgroundFetch
    // Validate and size everything before touching the structure, so a throw changes nothing.
    const ttl = options?.ttl === undefined ? this.#ttl : ttlOption('ttl', options.ttl)
    const start = options?.start === undefined ? undefined : finiteNumber('start', options.start)
    const noDisposeOnSet = options?.noDisposeOnSet ?? this.noDisposeOnSet
    let noUpdateTTL = options?.noUpdateTTL ?? this.noUpdateTTL
    const size = this.#requireSize(k, v, isFetch, options)
    if (this.#sizes !== undefined && size > this.#entryLimit()) {
      // Too large to store: the key's previous value must not linger either.
      this.#delete(k, 'set')
      return
    }
    let i = this.#map.get(k)
    if (i === undefined) {
      i = this.#allocate()
      this.#keys[i] = k
      this.#vals[i] = v
      this.#map.set(k, i)
      this.#linkTail(i)
      if (this.#sizes !== undefined) this.#addSize(i, size)
      noUpdateTTL = false
    } else {
      if (i !== this.#tail) this.#moveToTail(i)
      const old = this.#vals[i]
      if (v !== old) {
        if (!noDisposeOnSet) {
          if (old instanceof BackgroundFetch) {
            if (old !== resolving) old.abort('set')
            const stale = old.stale
            if (stale !== undefined && stale !== v) this.#queueDispose(stale, k, 'set')
          } else {
            this.#queueDispose(old as V, k, 'set')
          }
        }
        if (this.#sizes !== undefined) {
          this.#removeSize(i)
          this.#addSize(i, size)
        }
        this.#vals[i] = v
      }
    }
    if (ttl !== 0 && this.#exp === undefined) this.#initTTL()
    if (this.#exp !== undefined && !noUpdateTTL) this.#setItemTTL(i, ttl, start)
    if (isFetch) this.#mod++
    else this.#sets++
  }

  #requireSize(
    k: K,
    v: V | BackgroundFetch<V>,
    isFetch: boolean,
    options: SetOptions<K, V> | undefined,
  ): number {
    const size = options?.size
    const calc =
      options?.sizeCalculation === undefined
        ? this.sizeCalculation
        : optionalFunction<SizeCalculator<K, V>>('sizeCalculation', options.sizeCalculation)
    if (this.#sizes === undefined) {
      if ((size !== undefined && size !== 0) || calc !== undefined) {
        throw new TypeError(
          `\`size\` and \`sizeCalculation\` need \`maxSize\` or \`maxEntrySize\` on the cache, got size: ${describe(size)}`,
        )
      }
      return 0
    }
    if (size !== undefined && size !== 0) return positiveSize('size', size)
    if (isFetch) return this.backgroundFetchSize
    if (calc !== undefined) {
      const computed = calc(v as V, k)
      if (!(Number.isSafeInteger(computed) && computed > 0)) {
        const message = `\`sizeCalculation\` must return a positive integer, got ${describe(computed)}`
        throw typeof computed === 'number' ? new RangeError(message) : new TypeError(message)
      }
      return computed
    }
    throw new TypeError(
      `\`size\` or \`sizeCalculation\` is required when \`maxSize\` or \`maxEntrySize\` is set, got size: ${describe(size)}`,
    )
  }

  #entryLimit(): number {
    // An entry larger than maxSize could never fit; lru-cache would evict the entry itself.
    const m = this.maxEntrySize
    return m > 0 && m < this.#sizeLimit ? m : this.#sizeLimit
  }

  #addSize(i: number, size: number): void {
    this.#sizes![i] = size
    const limit = this.#sizeLimit - size
    while (this.#calculatedSize > limit && this.#size > 1) this.#evict(true)
    this.#calculatedSize += size
  }

  #removeSize(i: number): void {
    const sizes = this.#sizes!
    this.#calculatedSize -= sizes[i]!
    sizes[i] = 0
  }

  #queueDispose(value: V, key: K, reason: DisposeReason): void {
    const q = this.#queue
    if (q !== undefined) q.push(value, key, reason)
  }

  /** Removes the least recently used entry; `free: false` leaves its slot for the caller to reuse. */
  #evict(free: boolean): number {
    const i = this.#head
    const k = this.#keys[i] as K
    const v = this.#vals[i]
    let value = v
    if (this.#hasFetch && v instanceof BackgroundFetch) {
      v.abort('evict')
      value = v.stale
    }
    if (value !== undefined) this.#queueDispose(value as V, k, 'evict')
    if (this.#sizes !== undefined) this.#removeSize(i)
    if (this.#heap !== undefined) this.#unschedule(i)
    this.#map.delete(k)
    this.#head = this.#next[i]!
    this.#size--
    this.#evictions++
    if (free) {
      this.#keys[i] = undefined
      this.#vals[i] = undefined
      this.#pushFree(i)
    }
    return i
  }

  #delete(k: K, reason: DisposeReason): boolean {
    const i = this.#map.get(k)
    if (i === undefined) return false
    const v = this.#vals[i]
    let value = v
    if (this.#hasFetch && v instanceof BackgroundFetch) {
      v.abort(reason)
      value = v.stale
    }
    // The key as stored (lru-cache passes the argument, except when deleting the last entry).
    if (value !== undefined) this.#queueDispose(value as V, this.#keys[i] as K, reason)
    if (this.#sizes !== undefined) this.#removeSize(i)
    if (this.#heap !== undefined) this.#unschedule(i)
    this.#map.delete(k)
    this.#keys[i] = undefined
    this.#vals[i] = undefined
    this.#unlink(i)
    this.#pushFree(i)
    if (reason === 'expire') this.#expirations++
    else this.#mod++
    return true
  }

  #clear(reason: DisposeReason): void {
    let i = this.#head
    for (let left = this.#size; left > 0; left--) {
      const v = this.#vals[i]
      let value = v
      if (v instanceof BackgroundFetch) {
        v.abort(reason)
        value = v.stale
      }
      if (value !== undefined) this.#queueDispose(value as V, this.#keys[i] as K, reason)
      i = this.#next[i]!
    }
    this.#map.clear()
    this.#keys.fill(undefined, 0, this.#used)
    this.#vals.fill(undefined, 0, this.#used)
    this.#used = 0
    this.#freeCount = 0
    this.#size = 0
    this.#head = 0
    this.#tail = 0
    this.#calculatedSize = 0
    this.#heap?.clear()
    this.#cancelTimer()
    this.#mod++
  }

  /** Runs queued dispose callbacks once the cache is consistent; the first error is rethrown after all ran. */
  #afterOp(): void {
    const q = this.#queue
    if (q === undefined || q.length === 0 || this.#flushing) return
    this.#flushing = true
    const dispose = this.#dispose
    const disposeAfter = this.#disposeAfter
    let failed = false
    let error: unknown
    try {
      // Callbacks may re-enter the cache and queue more; the loop picks those up too.
      for (let j = 0; j < q.length; j += 3) {
        const value = q[j] as V
        const key = q[j + 1] as K
        const reason = q[j + 2] as DisposeReason
        q[j] = q[j + 1] = undefined
        if (dispose !== undefined) {
          try {
            dispose(value, key, reason)
          } catch (err) {
            if (!failed) {
              failed = true
              error = err
            }
          }
        }
        if (disposeAfter !== undefined) {
          try {
            disposeAfter(value, key, reason)
          } catch (err) {
            if (!failed) {
              failed = true
              error = err
            }
          }
        }
      }
    } finally {
      q.length = 0
      this.#flushing = false
    }
    if (failed) throw error
  }

  // ---------------------------------------------------------------- TTL

  #initTTL(): void {
    this.#ttls = new Float64Array(this.#cap)
    this.#exp = new Float64Array(this.#cap).fill(Number.POSITIVE_INFINITY)
    if (this.ttlAutopurge) {
      this.#heap = new ExpiryHeap(this.#cap)
      this.#weak = new WeakRef(this)
    }
    this.#updateFlags()
  }

  /**
   * The clock. With the default clock and `ttlResolution > 0`, one reading serves until the
   * current task ends (a microtask clears it): hundreds of TTL checks in one request cost one
   * `performance.now()`. Injected clocks are read every time, so tests stay deterministic.
   */
  #clock(): number {
    if (this.#nowCached) return this.#cachedNow
    const now = this.#perf.now()
    if (this.ttlResolution > 0 && this.#perf === defaultPerf) {
      this.#cachedNow = now
      this.#nowCached = true
      queueMicrotask(this.#resetNow)
    }
    return now
  }

  #isStale(i: number): boolean {
    const exp = this.#exp
    if (exp === undefined) return false
    const e = exp[i]!
    return e !== Number.POSITIVE_INFINITY && this.#clock() > e
  }

  #setItemTTL(i: number, ttl: number, start: number | undefined): void {
    const exp = this.#exp!
    this.#ttls![i] = ttl
    if (ttl === 0) {
      exp[i] = Number.POSITIVE_INFINITY
      if (this.#heap !== undefined) this.#unschedule(i)
      return
    }
    exp[i] = (start ?? this.#clock()) + ttl
    if (this.#heap !== undefined) {
      this.#heap.upsert(i, exp)
      this.#schedule()
    }
  }

  #updateAge(i: number): void {
    const ttls = this.#ttls
    // No TTL tracking (a fetch-only cache takes the feature path too): nothing ages.
    if (ttls === undefined) return
    const ttl = ttls[i]!
    if (ttl === 0) return
    const exp = this.#exp!
    exp[i] = this.#clock() + ttl
    if (this.#heap !== undefined) {
      this.#heap.upsert(i, exp)
      this.#schedule()
    }
  }

  /** Aims the single autopurge timer at the earliest expiry, if it is not already aimed earlier. */
  #schedule(): void {
    const heap = this.#heap!
    if (heap.length === 0) {
      this.#cancelTimer()
      return
    }
    const at = this.#exp![heap.top()]!
    if (this.#timer !== undefined) {
      if (this.#timerAt <= at) return
      clearTimeout(this.#timer)
    }
    // +1: an entry is stale only once now > expiry.
    const delay = Math.min(Math.max(Math.ceil(at - this.#perf.now()) + 1, 1), MAX_TIMER_DELAY)
    // The timer holds only a WeakRef: a pending purge never keeps an abandoned cache alive.
    const timer = setTimeout(LRUCache.#tick, delay, this.#weak!)
    ;(timer as { unref?: () => unknown }).unref?.()
    this.#timer = timer
    this.#timerAt = at
  }

  /** Drops slot `i` from the expiry heap; with nothing left to expire, the timer goes too. */
  #unschedule(i: number): void {
    const heap = this.#heap!
    heap.remove(i, this.#exp!)
    if (heap.length === 0) this.#cancelTimer()
  }

  #cancelTimer(): void {
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer)
      this.#timer = undefined
    }
  }

  static #tick(ref: WeakRef<object>): void {
    const cache = ref.deref() as LRUCache<object, object, unknown> | undefined
    if (cache !== undefined) cache.#purgeExpired()
  }

  #purgeExpired(): void {
    this.#timer = undefined
    const heap = this.#heap
    const exp = this.#exp
    if (heap === undefined || exp === undefined) return
    const now = this.#perf.now()
    while (heap.length !== 0) {
      const i = heap.top()
      if (!(now > exp[i]!)) break
      this.#delete(this.#keys[i] as K, 'expire')
    }
    this.#schedule()
    // A throwing dispose surfaces as an uncaught error from the timer; the cache is already
    // consistent and the next purge is scheduled.
    this.#afterOp()
  }

  // ---------------------------------------------------------------- iteration internals

  /**
   * Slots in recency order. Walks the links directly while nothing changes; if the caller
   * changes the cache between two steps (detected through the counters' version), it finishes
   * over a snapshot of the keys not yet yielded, resolved one by one, so moves cannot loop it
   * (lru-cache loops forever on `for (const k of c.keys()) c.get(k)`) and deletions cannot end
   * it early.
   */
  *#slots(mruFirst: boolean, allowStale: boolean): Generator<number, void, unknown> {
    if (this.#size === 0) return
    const seen: K[] = []
    let i = mruFirst ? this.#tail : this.#head
    for (let left = this.#size; left > 0; left--) {
      const step = mruFirst ? this.#prev[i]! : this.#next[i]!
      if (allowStale || !this.#isStale(i)) {
        const version = this.#version()
        seen.push(this.#keys[i] as K)
        yield i
        if (this.#version() !== version) {
          yield* this.#slotsAfterChange(mruFirst, allowStale, seen)
          return
        }
      }
      i = step
    }
  }

  *#slotsAfterChange(mruFirst: boolean, allowStale: boolean, seen: K[]): Generator<number, void, unknown> {
    const done = new Set(seen)
    const rest: K[] = []
    let i = mruFirst ? this.#tail : this.#head
    for (let left = this.#size; left > 0; left--) {
      const k = this.#keys[i] as K
      if (!done.has(k)) rest.push(k)
      i = mruFirst ? this.#prev[i]! : this.#next[i]!
    }
    for (const k of rest) {
      const j = this.#map.get(k)
      if (j === undefined || (!allowStale && this.#isStale(j))) continue
      yield j
    }
  }

  // ---------------------------------------------------------------- background fetch

  #backgroundFetch(
    k: K,
    index: number | undefined,
    options: FetcherFetchOptions<K, V, FC>,
    context: FC | undefined,
  ): BackgroundFetch<V> {
    const v = index === undefined ? undefined : this.#vals[index]
    if (v instanceof BackgroundFetch) return v
    const ac = new AbortController()
    const bf = new BackgroundFetch<V>(ac, v)
    const { signal } = options
    const onCallerAbort = (): void => ac.abort(signal!.reason)
    signal?.addEventListener('abort', onCallerAbort, { signal: ac.signal })
    const fetchOpts: FetcherOptions<K, V, FC> = { signal: ac.signal, options, context }
    // Look the key up again on completion rather than trusting `index`: resize() renumbers slots.
    const current = (): Slot<V> => {
      const i = this.#map.get(k)
      return i === undefined ? undefined : this.#vals[i]
    }
    const settle = (): void => {
      bf.settled = true
      signal?.removeEventListener('abort', onCallerAbort)
    }
    const restoreStale = (): void => {
      const i = this.#map.get(k)!
      if (bf.stale === undefined) {
        this.#delete(k, 'fetch')
      } else {
        this.#vals[i] = bf.stale
        this.#mod++
      }
    }
    const fail = (er: unknown, proceed: boolean): V | undefined => {
      const aborted = ac.signal.aborted
      const allowStaleAborted = aborted && !!options.allowStaleOnFetchAbort
      const allowStale = allowStaleAborted || !!options.allowStaleOnFetchRejection
      const noDelete = allowStale || !!options.noDeleteOnFetchRejection
      if (current() === bf) {
        if (!noDelete || (!proceed && bf.stale === undefined)) this.#delete(k, 'fetch')
        else if (!allowStaleAborted) restoreStale()
      }
      this.#afterOp()
      if (allowStale) return bf.stale
      if (bf.returned) throw er
      return undefined
    }
    const resolved = (value: V | undefined, updateCache = false): V | undefined => {
      settle()
      const aborted = ac.signal.aborted
      const ignoreAbort = !!options.ignoreFetchAbort && value !== undefined
      const proceed = !!options.ignoreFetchAbort || (!!options.allowStaleOnFetchAbort && value !== undefined)
      if (aborted && !ignoreAbort && !updateCache) return fail(ac.signal.reason, proceed)
      const now = current()
      if (now === bf || (now === undefined && ignoreAbort && updateCache)) {
        if (value === undefined) {
          restoreStale()
        } else {
          try {
            this.#store(k, value, options, bf)
          } catch (err) {
            // e.g. sizeCalculation threw: never leave the placeholder behind.
            if (current() === bf) this.#delete(k, 'fetch')
            return fail(err, false)
          }
        }
      }
      this.#afterOp()
      return value
    }
    const rejected = (er: unknown): V | undefined => {
      settle()
      return fail(er, false)
    }
    const run = (res: (value: V | undefined) => void, rej: (reason: unknown) => void): void => {
      const result = this.#fetchMethod!(k, v, fetchOpts)
      ac.signal.addEventListener('abort', () => {
        if (!options.ignoreFetchAbort || options.allowStaleOnFetchAbort) {
          res(undefined)
          // The load goes on; when it lands, store it after all.
          if (options.allowStaleOnFetchAbort) res = (value) => void resolved(value, true)
        }
      })
      if (
        result !== null &&
        typeof result === 'object' &&
        typeof (result as PromiseLike<V>).then === 'function'
      ) {
        ;(result as PromiseLike<V | undefined>).then((value) => res(value as V | undefined), rej)
      } else {
        // lru-cache leaves a synchronous `undefined` pending forever; it means "no value".
        res(result as V | undefined)
      }
    }
    bf.promise = new Promise<V | undefined>(run).then(resolved, rejected)
    if (index === undefined) {
      this.#store(k, bf, options, undefined)
    } else {
      // Not a use of the entry: keep its place in the list and its (stale) TTL.
      this.#vals[index] = bf
      this.#mod++
    }
    return bf
  }
}

type Links = Uint16Array | Uint32Array

// 16-bit links while every slot number fits (up to 65,536 slots): half the bytes, and half the
// cache lines a get() touches, of 32-bit links. Caches that grow past that switch to 32 bits.
function links(capacity: number): Links {
  return capacity <= 0x10000 ? new Uint16Array(capacity) : new Uint32Array(capacity)
}

function copyInto<T extends Links | Float64Array>(target: T, source: Links | Float64Array, count: number): T {
  target.set(count === source.length ? source : source.subarray(0, count))
  return target
}

// Module-level aliases with names of their own: the d.ts bundler resolves the namespace's
// right-hand sides to the top-level types of the same name, which inside the namespace would
// name the alias itself (`type SetOptions = SetOptions`). These keep the reference outside.
type OptionsAlias<K, V, FC = unknown> = import('./options.js').LRUCacheOptions<K, V, FC>
type SetOptionsAlias<K, V> = import('./options.js').SetOptions<K, V>
type GetOptionsAlias = import('./options.js').GetOptions
type PeekOptionsAlias = import('./options.js').PeekOptions
type HasOptionsAlias = import('./options.js').HasOptions
type FetchOptionsAlias<K, V, FC = unknown> = import('./options.js').FetchOptions<K, V, FC>
type FetcherOptionsAlias<K, V, FC = unknown> = import('./options.js').FetcherOptions<K, V, FC>
type FetcherAlias<K, V, FC = unknown> = import('./options.js').Fetcher<K, V, FC>
type MemoOptionsAlias<K, V, FC = unknown> = import('./options.js').MemoOptions<K, V, FC>
type MemoizerAlias<K, V, FC = unknown> = import('./options.js').Memoizer<K, V, FC>
type DisposerAlias<K, V> = import('./options.js').Disposer<K, V>
type DisposeReasonAlias = import('./options.js').DisposeReason
type SizeCalculatorAlias<K, V> = import('./options.js').SizeCalculator<K, V>
type EntryAlias<V> = import('./options.js').Entry<V>
type PerfAlias = import('./options.js').Perf
type StatsAlias = import('./options.js').LRUCacheStats

/**
 * Type aliases under the class name, so code written against lru-cache's
 * `LRUCache.Options<K, V>` etc. compiles unchanged.
 */
export declare namespace LRUCache {
  /** Constructor options; see {@link LRUCacheOptions}. */
  type Options<K, V, FC = unknown> = OptionsAlias<K, V, FC>
  /** Options for `set()`; see {@link "@hotpath/lru-cache"!SetOptions | SetOptions}. */
  type SetOptions<K, V> = SetOptionsAlias<K, V>
  /** Options for `get()`; see {@link "@hotpath/lru-cache"!GetOptions | GetOptions}. */
  type GetOptions = GetOptionsAlias
  /** Options for `peek()`; see {@link "@hotpath/lru-cache"!PeekOptions | PeekOptions}. */
  type PeekOptions = PeekOptionsAlias
  /** Options for `has()`; see {@link "@hotpath/lru-cache"!HasOptions | HasOptions}. */
  type HasOptions = HasOptionsAlias
  /** Options for `fetch()`; see {@link "@hotpath/lru-cache"!FetchOptions | FetchOptions}. */
  type FetchOptions<K, V, FC = unknown> = FetchOptionsAlias<K, V, FC>
  /** What a `fetchMethod` receives; see {@link "@hotpath/lru-cache"!FetcherOptions | FetcherOptions}. */
  type FetcherOptions<K, V, FC = unknown> = FetcherOptionsAlias<K, V, FC>
  /** The `fetchMethod` signature; see {@link "@hotpath/lru-cache"!Fetcher | Fetcher}. */
  type Fetcher<K, V, FC = unknown> = FetcherAlias<K, V, FC>
  /** Options for `memo()`; see {@link "@hotpath/lru-cache"!MemoOptions | MemoOptions}. */
  type MemoOptions<K, V, FC = unknown> = MemoOptionsAlias<K, V, FC>
  /** The `memoMethod` signature; see {@link "@hotpath/lru-cache"!Memoizer | Memoizer}. */
  type Memoizer<K, V, FC = unknown> = MemoizerAlias<K, V, FC>
  /** The `dispose` / `disposeAfter` signature; see {@link "@hotpath/lru-cache"!Disposer | Disposer}. */
  type Disposer<K, V> = DisposerAlias<K, V>
  /** Why a value left the cache; see {@link "@hotpath/lru-cache"!DisposeReason | DisposeReason}. */
  type DisposeReason = DisposeReasonAlias
  /** The `sizeCalculation` signature; see {@link "@hotpath/lru-cache"!SizeCalculator | SizeCalculator}. */
  type SizeCalculator<K, V> = SizeCalculatorAlias<K, V>
  /** A `dump()` / `info()` / `load()` entry; see {@link "@hotpath/lru-cache"!Entry | Entry}. */
  type Entry<V> = EntryAlias<V>
  /** The clock interface; see {@link "@hotpath/lru-cache"!Perf | Perf}. */
  type Perf = PerfAlias
  /** Counters from `stats()`; see {@link LRUCacheStats}. */
  type Stats = StatsAlias
}
