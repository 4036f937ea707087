import { type Clock, tickClock } from './clock.js'
import { RateLimitError } from './errors.js'
import { fixedWindow, inspectFixedWindow } from './fixed-window.js'
import { gcra, inspectGcra } from './gcra.js'
import type { Inspector, StateTable } from './kernel.js'
import { inspectLeakyBucket, leakyBucket } from './leaky-bucket.js'
import type { AlgorithmName, RateLimitPolicy } from './policy.js'
import type { RateLimitResult } from './result.js'
import { inspectSlidingWindowCounter, slidingWindowCounter } from './sliding-window-counter.js'
import { clearLog, inspectSlidingWindowLog, slidingWindowLog } from './sliding-window-log.js'
import type { RateLimitSnapshot } from './snapshot.js'
import type { LimitOptions, Store, StoreBinding } from './store.js'
import { inspectTokenBucket, tokenBucket } from './token-bucket.js'
import { checkFunction, checkKey, costOf, positiveInteger } from './validate.js'

/**
 * Options of {@link MemoryStore}.
 *
 * @example
 * ```ts
 * import { MemoryStore, RateLimiter } from '@hotpath/rate-limiter'
 *
 * let now = 0 // a fake clock for tests
 * const store = new MemoryStore({ maxKeys: 10, clock: () => now })
 * const limiter = new RateLimiter({ algorithm: 'fixed-window', limit: 1, windowMs: 1000, store })
 * limiter.limit('k') // allowed
 * now = 1000 // next window
 * limiter.limit('k') // allowed again
 * ```
 */
export interface MemoryStoreOptions {
  /**
   * The most keys tracked at once. Past it, the least recently checked key is forgotten (it starts fresh if
   * it comes back), so size it above the number of keys active within one `windowMs`.
   * @default 100_000
   */
  maxKeys?: number
  /** Milliseconds now. @default {@link tickClock} (Date.now, cached within a synchronous turn) */
  clock?: Clock
}

// The algorithms as small integers, for the switch in MemoryBinding.#apply.
const FIXED_WINDOW = 0
const SLIDING_WINDOW_LOG = 1
const SLIDING_WINDOW_COUNTER = 2
const TOKEN_BUCKET = 3
const GCRA = 4
const LEAKY_BUCKET = 5

const ALGORITHM: Record<AlgorithmName, { id: number; stateSize: number; inspect: Inspector }> = {
  'fixed-window': { id: FIXED_WINDOW, stateSize: 2, inspect: inspectFixedWindow },
  'sliding-window-log': { id: SLIDING_WINDOW_LOG, stateSize: 0, inspect: inspectSlidingWindowLog },
  'sliding-window-counter': {
    id: SLIDING_WINDOW_COUNTER,
    stateSize: 3,
    inspect: inspectSlidingWindowCounter,
  },
  'token-bucket': { id: TOKEN_BUCKET, stateSize: 2, inspect: inspectTokenBucket },
  gcra: { id: GCRA, stateSize: 2, inspect: inspectGcra },
  'leaky-bucket': { id: LEAKY_BUCKET, stateSize: 2, inspect: inspectLeakyBucket },
}

// Slot 0 is the state of a key never seen (all zeros, never written) and never holds a key.
const NIL = 0
// The queue position of a free slot: below every entry's, and below `tail - 1` even when the queue is empty.
const FREE = -2
const INITIAL_SLOTS = 1024

/**
 * The in-process store: synchronous (no promise per check) and bounded to `maxKeys` keys.
 *
 * Idle keys expire without a timer: a key whose state is back to fresh (its `resetMs` has passed)
 * answers exactly like a new key, and its memory is taken back lazily: when the store is full, the least
 * recently checked key makes room (counted in `evictions` only if it was not idle yet, since that one's
 * limit is forgotten early), and `prune()` drops every idle key at once (O(size); call it from your own
 * interval if memory must shrink after a peak). Taking idle keys back eagerly on every insertion was
 * measured and rejected: keys that idle between visits (any fast-refilling bucket) were dropped and
 * re-inserted on every visit.
 *
 * State lives in typed arrays indexed by slot (a `Map` from key to slot, LRU links in two `Int32Array`s,
 * the algorithm's state in one `Float64Array`), not in an object per key; only the sliding log, whose
 * size depends on traffic, has a small typed array per key. A memory store serves one limiter; the
 * limiter creates one by default.
 *
 * @example
 * ```ts
 * import { MemoryStore, RateLimiter } from '@hotpath/rate-limiter'
 *
 * const store = new MemoryStore({ maxKeys: 50_000 })
 * const limiter = new RateLimiter({ algorithm: 'sliding-window-counter', limit: 100, windowMs: 60_000, store })
 * limiter.limit('user:1')
 * console.log(store.size, store.has('user:1')) // 1 true
 * ```
 */
export class MemoryStore implements Store<'sync', RateLimitResult> {
  readonly mode: 'sync' = 'sync'
  /** The most keys tracked at once. */
  readonly maxKeys: number
  readonly #clock: Clock
  #binding: MemoryBinding | undefined

  constructor(options: MemoryStoreOptions = {}) {
    this.maxKeys = options.maxKeys === undefined ? 100_000 : positiveInteger('maxKeys', options.maxKeys)
    this.#clock = options.clock === undefined ? tickClock : checkFunction<Clock>('clock', options.clock)
  }

  /** Attaches the store to a policy; called by the limiter. A memory store serves a single limiter. */
  bind(policy: RateLimitPolicy): StoreBinding<'sync', RateLimitResult> {
    if (this.#binding !== undefined)
      throw new RateLimitError(
        'ERR_STORE_IN_USE',
        'this MemoryStore already serves a RateLimiter; give each limiter its own MemoryStore',
      )
    this.#binding = new MemoryBinding(policy, this.maxKeys, this.#clock)
    return this.#binding
  }

  /** Keys currently tracked, including idle ones not yet taken back. */
  get size(): number {
    return this.#binding?.index.size ?? 0
  }

  /** How many keys were forgotten, to make room, before their state was back to fresh. */
  get evictions(): number {
    return this.#binding?.evictions ?? 0
  }

  /** Whether the key is tracked (without touching its recency). */
  has(key: string): boolean {
    return this.#binding?.index.has(key) ?? false
  }

  /** The tracked keys, most recently checked first. */
  keys(): string[] {
    return this.#binding?.keysInOrder() ?? []
  }

  /** Forgets every idle key (state back to fresh); returns how many. O(size). */
  prune(): number {
    return this.#binding?.prune() ?? 0
  }

  /** Forgets every key. */
  clear(): void {
    this.#binding?.clear()
  }
}

// Exact LRU without linked lists. Every check of a key appends its slot to an access queue and records
// the entry's index as the slot's position; an entry is live iff it is its slot's latest, so the oldest
// live entry is the least recently used key. Eviction skips stale entries from the front; when the
// queue reaches its end (it holds twice the slots, so at least half its entries are then stale) the live
// entries slide to the front in place. A check costs one sequential write and one read of a dense
// Int32Array instead of relinking two list neighbours at random places in memory, and repeated checks
// of the most recent key cost nothing.
class MemoryBinding implements StoreBinding<'sync', RateLimitResult> {
  readonly index: Map<string, number> = new Map()
  evictions = 0
  readonly #policy: RateLimitPolicy
  readonly #algorithm: number
  readonly #stateSize: number
  readonly #inspect: Inspector
  readonly #limit: number
  readonly #windowMs: number
  readonly #capacity: number
  readonly #maxKeys: number
  readonly clock: Clock
  /** The algorithm's state; `t.s` is replaced when the table grows. */
  readonly t: StateTable
  readonly check: (key: string, options?: LimitOptions) => RateLimitResult
  #keys: (string | undefined)[]
  #free: number[] = []
  #unused = 1 // next never-used slot
  #slots: number // allocated slots, including slot 0
  #position: Int32Array // slot → index of its latest queue entry, FREE when free
  #queue: Int32Array
  #head = 0 // oldest entry
  #tail = 0 // next entry
  // The last key checked and its slot: a burst from one client (a hot key, a keep-alive connection whose
  // address is the same string every time) skips the Map lookup. Cleared whenever a slot is released.
  #lastKey: string | undefined = undefined
  #lastSlot = NIL

  constructor(policy: RateLimitPolicy, maxKeys: number, clock: Clock) {
    const algorithm = ALGORITHM[policy.algorithm]
    this.#policy = policy
    this.#algorithm = algorithm.id
    this.#stateSize = algorithm.stateSize
    this.#inspect = algorithm.inspect
    this.#limit = policy.limit
    this.#windowMs = policy.windowMs
    this.#capacity = policy.capacity
    this.#maxKeys = maxKeys
    this.clock = clock
    const slots = Math.min(maxKeys + 1, INITIAL_SLOTS)
    this.#slots = slots
    this.#keys = new Array<string | undefined>(slots).fill(undefined)
    this.t = { s: new Float64Array(slots * this.#stateSize), aux: [] }
    this.#position = new Int32Array(slots).fill(FREE)
    this.#queue = new Int32Array(2 * slots)
    this.check = checkFor(this, policy)
  }

  // Where a check finds its key's state: the slot (also marking the key most recently used), or NIL for a
  // key never seen whose request cannot take a slot (a zero cost or one above the capacity: decided on the
  // zero state, writing nothing, evicting nobody). Shared by every algorithm's check, and independent of
  // the algorithm, so its inline caches stay monomorphic however many limiters a process runs.
  slotOf(key: string, cost: number): number {
    let slot = key === this.#lastKey ? this.#lastSlot : this.index.get(key)
    if (slot === undefined) {
      slot = this.#first(key, cost)
      if (slot === NIL) return NIL
    }
    // Recency counts every check, rejected ones too: a key being hammered is the last one to forget.
    if (this.#position[slot] !== this.#tail - 1) this.#append(slot)
    this.#lastKey = key
    this.#lastSlot = slot
    return slot
  }

  // Out of line, and small: V8 inlines a bounded amount of bytecode into one caller, and while new keys
  // arrive this path is inlined too; what is rarer (growing the table, evicting) is out of line again.
  // A new slot's position is FREE, never the last entry's, so slotOf appends it to the queue.
  #first(key: string, cost: number): number {
    if (cost === 0 || cost > this.#capacity) return NIL
    const slot =
      this.#free.length > 0 ? this.#free.pop()! : this.#unused < this.#slots ? this.#unused++ : this.#take()
    this.#keys[slot] = key
    this.index.set(key, slot)
    return slot
  }

  limit(key: string, cost: number): RateLimitResult {
    const slot = this.slotOf(key, cost)
    return this.#apply(slot, this.clock(), cost, slot !== NIL)
  }

  peek(key: string, cost: number): RateLimitResult {
    return this.#apply(this.index.get(key) ?? NIL, this.clock(), cost, false)
  }

  reset(key: string): void {
    const slot = this.index.get(key)
    if (slot !== undefined) this.#release(slot)
  }

  inspect(key: string): RateLimitSnapshot {
    const slot = this.index.get(key) ?? NIL
    return this.#inspect(this.t, slot, slot * this.#stateSize, this.clock(), this.#policy)
  }

  // A switch over direct calls rather than a kernel object's method: each call site below sees one
  // function, so V8 inlines it even when every algorithm runs in the same process.
  #apply(slot: number, now: number, cost: number, commit: boolean): RateLimitResult {
    const t = this.t
    const o = slot * this.#stateSize
    const L = this.#limit
    const W = this.#windowMs
    const C = this.#capacity
    switch (this.#algorithm) {
      case FIXED_WINDOW:
        return fixedWindow(t.s, o, now, cost, commit, L, W)
      case SLIDING_WINDOW_LOG:
        return slidingWindowLog(t, slot, now, cost, commit, L, W)
      case SLIDING_WINDOW_COUNTER:
        return slidingWindowCounter(t.s, o, now, cost, commit, L, W)
      case TOKEN_BUCKET:
        return tokenBucket(t.s, o, now, cost, commit, L, W, C)
      case GCRA:
        return gcra(t.s, o, now, cost, commit, L, W, C)
      default:
        return leakyBucket(t.s, o, now, cost, commit, L, W, C)
    }
  }

  #isIdle(slot: number, now: number): boolean {
    return this.#apply(slot, now, 0, false).resetMs === 0
  }

  keysInOrder(): string[] {
    const out: string[] = []
    for (let p = this.#tail - 1; p >= this.#head; p--) {
      const slot = this.#queue[p]!
      if (this.#position[slot] === p) out.push(this.#keys[slot]!)
    }
    return out
  }

  prune(): number {
    const now = this.clock()
    let n = 0
    for (const slot of [...this.index.values()])
      if (this.#isIdle(slot, now)) {
        this.#release(slot)
        n++
      }
    return n
  }

  clear(): void {
    for (const slot of [...this.index.values()]) this.#release(slot)
  }

  // A slot when none is free or unused: a new one (growing the table) below maxKeys, else the least
  // recently used key's.
  #take(): number {
    if (this.index.size < this.#maxKeys) {
      this.#grow()
      return this.#unused++
    }
    const slot = this.#leastRecent()
    // The clock again rather than the check's `now` passed down: a double argument of a call V8 does not
    // inline is boxed, one allocation per check, for this rare path.
    if (!this.#isIdle(slot, this.clock())) this.evictions++
    this.#release(slot)
    this.#free.pop()
    return slot
  }

  #append(slot: number): void {
    if (this.#tail === this.#queue.length) this.#compact()
    this.#queue[this.#tail] = slot
    this.#position[slot] = this.#tail++
  }

  #leastRecent(): number {
    for (;;) {
      const slot = this.#queue[this.#head]!
      if (this.#position[slot] === this.#head++) return slot
    }
  }

  // Slides the live entries, oldest first, to the front of the queue.
  #compact(): void {
    const queue = this.#queue
    const position = this.#position
    let w = 0
    for (let r = this.#head; r < this.#tail; r++) {
      const slot = queue[r]!
      if (position[slot] === r) {
        queue[w] = slot
        position[slot] = w++
      }
    }
    this.#head = 0
    this.#tail = w
  }

  #release(slot: number): void {
    this.#lastKey = undefined
    this.index.delete(this.#keys[slot]!)
    this.#keys[slot] = undefined
    // No queue entry has position FREE: the slot's entries are all stale now.
    this.#position[slot] = FREE
    const o = slot * this.#stateSize
    this.t.s.fill(0, o, o + this.#stateSize)
    if (this.#algorithm === SLIDING_WINDOW_LOG) clearLog(this.t, slot)
    this.#free.push(slot)
  }

  #grow(): void {
    const slots = Math.min(this.#maxKeys + 1, this.#slots * 2)
    const s = new Float64Array(slots * this.#stateSize)
    s.set(this.t.s)
    this.t.s = s
    const position = new Int32Array(slots).fill(FREE)
    position.set(this.#position)
    this.#position = position
    const queue = new Int32Array(2 * slots)
    queue.set(this.#queue.subarray(this.#head, this.#tail))
    for (let p = 0; p < this.#tail - this.#head; p++) {
      const slot = queue[p]!
      if (position[slot] === this.#head + p) position[slot] = p
    }
    this.#queue = queue
    this.#tail -= this.#head
    this.#head = 0
    for (let i = this.#slots; i < slots; i++) this.#keys.push(undefined)
    this.#slots = slots
  }
}

// The limiter's whole `limit()` for one algorithm: argument checks, the clock, the key's slot, the
// transition and its result. One function literal per algorithm, deliberately repeated: V8 keeps type
// feedback per literal, so a process running limiters of several algorithms still sees one kernel at
// each call site, and the check (this function, slotOf, the kernel, the Result) fits V8's inlining budget,
// so it is inlined whole into the caller, where the result object of `limit(key).allowed` is never
// allocated. The shared method with a switch over the algorithm it replaces measured 0.45x these on one
// hot key (token bucket: 54 vs 119 M checks/s in the suite) and 0.66-0.99x at 100k keys.
function checkFor(
  b: MemoryBinding,
  policy: RateLimitPolicy,
): (key: string, options?: LimitOptions) => RateLimitResult {
  const { limit: L, windowMs: W, capacity: C } = policy
  switch (policy.algorithm) {
    case 'fixed-window':
      return (key, options) => {
        const cost = costOf(options)
        if (typeof key !== 'string' || key.length === 0) checkKey(key)
        const slot = b.slotOf(key, cost)
        const now = b.clock()
        return fixedWindow(b.t.s, slot * 2, now, cost, slot !== NIL, L, W)
      }
    case 'sliding-window-log':
      return (key, options) => {
        const cost = costOf(options)
        if (typeof key !== 'string' || key.length === 0) checkKey(key)
        const slot = b.slotOf(key, cost)
        const now = b.clock()
        return slidingWindowLog(b.t, slot, now, cost, slot !== NIL, L, W)
      }
    case 'sliding-window-counter':
      return (key, options) => {
        const cost = costOf(options)
        if (typeof key !== 'string' || key.length === 0) checkKey(key)
        const slot = b.slotOf(key, cost)
        const now = b.clock()
        return slidingWindowCounter(b.t.s, slot * 3, now, cost, slot !== NIL, L, W)
      }
    case 'token-bucket':
      return (key, options) => {
        const cost = costOf(options)
        if (typeof key !== 'string' || key.length === 0) checkKey(key)
        const slot = b.slotOf(key, cost)
        const now = b.clock()
        return tokenBucket(b.t.s, slot * 2, now, cost, slot !== NIL, L, W, C)
      }
    case 'gcra':
      return (key, options) => {
        const cost = costOf(options)
        if (typeof key !== 'string' || key.length === 0) checkKey(key)
        const slot = b.slotOf(key, cost)
        const now = b.clock()
        return gcra(b.t.s, slot * 2, now, cost, slot !== NIL, L, W, C)
      }
    case 'leaky-bucket':
      return (key, options) => {
        const cost = costOf(options)
        if (typeof key !== 'string' || key.length === 0) checkKey(key)
        const slot = b.slotOf(key, cost)
        const now = b.clock()
        return leakyBucket(b.t.s, slot * 2, now, cost, slot !== NIL, L, W, C)
      }
  }
}
