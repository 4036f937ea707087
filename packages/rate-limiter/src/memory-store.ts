import { type Clock, tickClock } from './clock.js'
import { RateLimitError } from './errors.js'
import { fixedWindow, inspectFixedWindow } from './fixed-window.js'
import { gcra, inspectGcra, tatApply } from './gcra.js'
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

// The algorithms as small integers, for the switch in MemoryBinding.apply.
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
 * State lives in typed arrays indexed by slot (a `Map` from key to slot; one `Float64Array` row per slot
 * holding its place in the LRU queue and the algorithm's state; the queue itself in an `Int32Array`),
 * not in an object per key; only the sliding log, whose size depends on traffic, has a small typed array
 * per key. A memory store serves one limiter; the
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
// entries slide to the front in place. A check costs one sequential write to the queue and one read of
// the slot's position, which sits in the same row as its state (one cache line for both: 1-10 ns a check at
// 100k keys against a separate array in bench/experiments/rate-limiter-keyed-ceiling.mjs), instead of relinking two list neighbours at random places
// in memory, and repeated checks of the most recent key cost nothing.
class MemoryBinding implements StoreBinding<'sync', RateLimitResult>, StateTable {
  // Plain (TypeScript-private) properties rather than #private ones: the class is internal, and a #private
  // access is one more bytecode than a named one, which counts against what V8 inlines into a caller.
  readonly index: Map<string, number> = new Map()
  evictions = 0
  private readonly policy: RateLimitPolicy
  private readonly algorithm: number
  // A slot's row in `s`: its queue position, then the algorithm's state (stateSize doubles).
  private readonly stride: number
  private readonly inspector: Inspector
  private readonly limitOf: number
  private readonly windowMs: number
  private readonly capacity: number
  private readonly maxKeys: number
  readonly clock: Clock
  /** The algorithm's state (the binding is its own {@link StateTable}); replaced when the table grows. */
  s: Float64Array
  readonly aux: (Float64Array | undefined)[] = []
  readonly check: (key: string, options?: LimitOptions) => RateLimitResult
  private keyOf: (string | undefined)[]
  private free: number[] = []
  private unused = 1 // next never-used slot
  private slots: number // allocated slots, including slot 0
  private queue: Int32Array
  private head = 0 // oldest entry
  private tail = 0 // next entry
  // The last key checked and its slot: a burst from one client (a hot key, a keep-alive connection whose
  // address is the same string every time) skips the Map lookup. The keys are compared only while the last
  // two checks found the same slot (`repeats`): with many keys, comparing two different strings (a builtin
  // call, their contents when the lengths match) cost 13-14 ns a check at 100k keys, more than it saved
  // (bench/experiments/rate-limiter-keyed-ceiling.mjs). `repeats` is cleared whenever a slot is released.
  private lastKey = ''
  private lastSlot = NIL
  private repeats = false

  constructor(policy: RateLimitPolicy, maxKeys: number, clock: Clock) {
    const algorithm = ALGORITHM[policy.algorithm]
    this.policy = policy
    this.algorithm = algorithm.id
    this.stride = algorithm.stateSize + 1
    this.inspector = algorithm.inspect
    this.limitOf = policy.limit
    this.windowMs = policy.windowMs
    this.capacity = policy.capacity
    this.maxKeys = maxKeys
    this.clock = clock
    const slots = Math.min(maxKeys + 1, INITIAL_SLOTS)
    this.slots = slots
    this.keyOf = new Array<string | undefined>(slots).fill(undefined)
    this.s = new Float64Array(slots * this.stride)
    for (let i = 0; i < slots; i++) this.s[i * this.stride] = FREE
    this.queue = new Int32Array(2 * slots)
    this.check = checkFor(this, policy.algorithm, policy.limit, policy.windowMs, policy.capacity)
  }

  // Where a check finds its key's state: the slot (also marking the key most recently used), or NIL for a
  // key never seen whose request cannot take a slot (a zero cost or one above the capacity: decided on the
  // zero state, writing nothing, evicting nobody). Shared by every algorithm's check, and independent of
  // the algorithm, so its inline caches stay monomorphic however many limiters a process runs.
  //
  // Everything a check needs is written out here rather than in helper methods: V8 inlines a check into its
  // caller (where the result object then costs nothing) only while the whole of it stays under a budget of
  // bytecode, and each call level spends some. What is rare (reusing a freed slot, growing the table,
  // evicting, compacting the queue) is out of line.
  slotOf(key: string, cost: number): number {
    let slot = this.repeats && key === this.lastKey ? this.lastSlot : this.index.get(key)
    if (slot === undefined) {
      if (cost === 0 || cost > this.capacity) return NIL
      slot = this.unused < this.slots ? this.unused++ : this.take()
      this.keyOf[slot] = key
      this.index.set(key, slot)
    }
    // Recency counts every check, rejected ones too: a key being hammered is the last one to forget. A new
    // slot's position is FREE, never the last entry's, so it is appended.
    let tail = this.tail
    const row = slot * this.stride
    if (this.s[row] !== tail - 1) {
      if (tail === this.queue.length) tail = this.compact()
      this.queue[tail] = slot
      this.s[row] = tail
      this.tail = tail + 1
    }
    this.repeats = slot === this.lastSlot
    this.lastSlot = slot
    this.lastKey = key
    return slot
  }

  limit(key: string, cost: number): RateLimitResult {
    const slot = this.slotOf(key, cost)
    return this.apply(slot, this.clock(), cost, slot !== NIL)
  }

  peek(key: string, cost: number): RateLimitResult {
    return this.apply(this.index.get(key) ?? NIL, this.clock(), cost, false)
  }

  reset(key: string): void {
    const slot = this.index.get(key)
    if (slot !== undefined) this.release(slot)
  }

  inspect(key: string): RateLimitSnapshot {
    const slot = this.index.get(key) ?? NIL
    return this.inspector(this, slot, slot * this.stride + 1, this.clock(), this.policy)
  }

  // A switch over direct calls rather than a kernel object's method: each call site below sees one
  // function, so V8 inlines it even when every algorithm runs in the same process.
  private apply(slot: number, now: number, cost: number, commit: boolean): RateLimitResult {
    const o = slot * this.stride + 1
    const s = this.s
    const L = this.limitOf
    const W = this.windowMs
    const C = this.capacity
    switch (this.algorithm) {
      case FIXED_WINDOW:
        return fixedWindow(s, o, now, cost, commit, L, W)
      case SLIDING_WINDOW_LOG:
        return slidingWindowLog(this, slot, now, cost, commit, L, W)
      case SLIDING_WINDOW_COUNTER:
        return slidingWindowCounter(s, o, now, cost, commit, L, W)
      case TOKEN_BUCKET:
        return tokenBucket(s, o, now, cost, commit, L, W, C)
      case GCRA:
        return gcra(s, o, now, cost, commit, L, W, C)
      default:
        return leakyBucket(s, o, now, cost, commit, L, W, C)
    }
  }

  private isIdle(slot: number, now: number): boolean {
    return this.apply(slot, now, 0, false).resetMs === 0
  }

  keysInOrder(): string[] {
    const out: string[] = []
    for (let p = this.tail - 1; p >= this.head; p--) {
      const slot = this.queue[p]!
      if (this.s[slot * this.stride] === p) out.push(this.keyOf[slot]!)
    }
    return out
  }

  prune(): number {
    const now = this.clock()
    let n = 0
    for (const slot of [...this.index.values()])
      if (this.isIdle(slot, now)) {
        this.release(slot)
        n++
      }
    return n
  }

  clear(): void {
    for (const slot of [...this.index.values()]) this.release(slot)
  }

  // A slot for a new key once every allocated slot has been used: a freed one (reset, prune, clear), a new
  // one (growing the table) below maxKeys, else the least recently used key's.
  private take(): number {
    if (this.free.length > 0) return this.free.pop()!
    if (this.index.size < this.maxKeys) {
      this.grow()
      return this.unused++
    }
    const slot = this.leastRecent()
    // The clock again rather than the check's `now` passed down: a double argument of a call V8 does not
    // inline is boxed, one allocation per check, for this rare path.
    if (!this.isIdle(slot, this.clock())) this.evictions++
    this.release(slot)
    this.free.pop()
    return slot
  }

  private leastRecent(): number {
    for (;;) {
      const slot = this.queue[this.head]!
      if (this.s[slot * this.stride] === this.head++) return slot
    }
  }

  // Slides the live entries, oldest first, to the front of the queue; returns the new tail.
  private compact(): number {
    const queue = this.queue
    const s = this.s
    const stride = this.stride
    let w = 0
    for (let r = this.head; r < this.tail; r++) {
      const slot = queue[r]!
      if (s[slot * stride] === r) {
        queue[w] = slot
        s[slot * stride] = w++
      }
    }
    this.head = 0
    this.tail = w
    return w
  }

  private release(slot: number): void {
    this.repeats = false
    this.index.delete(this.keyOf[slot]!)
    this.keyOf[slot] = undefined
    // No queue entry has position FREE: the slot's entries are all stale now.
    const row = slot * this.stride
    this.s[row] = FREE
    this.s.fill(0, row + 1, row + this.stride)
    if (this.algorithm === SLIDING_WINDOW_LOG) clearLog(this, slot)
    this.free.push(slot)
  }

  private grow(): void {
    const slots = Math.min(this.maxKeys + 1, this.slots * 2)
    const stride = this.stride
    const s = new Float64Array(slots * stride)
    s.set(this.s)
    for (let i = this.slots; i < slots; i++) s[i * stride] = FREE
    this.s = s
    const queue = new Int32Array(2 * slots)
    queue.set(this.queue.subarray(this.head, this.tail))
    for (let p = 0; p < this.tail - this.head; p++) {
      const slot = queue[p]!
      if (s[slot * stride] === this.head + p) s[slot * stride] = p
    }
    this.queue = queue
    this.tail -= this.head
    this.head = 0
    for (let i = this.slots; i < slots; i++) this.keyOf.push(undefined)
    this.slots = slots
  }
}

// The limiter's whole `limit()` for one algorithm: argument checks, the clock, the key's slot, the
// transition and its result. One function literal per algorithm, deliberately repeated: V8 keeps type
// feedback per literal, so a process running limiters of several algorithms still sees one transition at
// each call site, and the check (this function, slotOf, the transition, the Result) fits V8's inlining
// budget (see kernel.ts), so it is inlined whole into the caller, where the result object of
// `limit(key).allowed` is never allocated. The shared method with a switch over the algorithm it replaces
// measured 0.45x these on one hot key (token bucket: 54 vs 119 M checks/s in the suite) and 0.66-0.99x at
// 100k keys. Written for few bytes of bytecode: the policy numbers are parameters (a captured `const`
// costs a hole check), `costOf` runs only when options are passed, `!key` catches "" (and other falsy
// values) before the type test, slot 0 is NIL, and the state's offset is written with the algorithm's
// stride as a literal (`slot × (stateSize + 1) + 1`, past the slot's queue position; the property load of
// `b.stride` would cost bytecode too; a test compares every check with the binding's `limit`).
function checkFor(
  b: MemoryBinding,
  algorithm: AlgorithmName,
  L: number,
  W: number,
  C: number,
): (key: string, options?: LimitOptions) => RateLimitResult {
  switch (algorithm) {
    case 'fixed-window':
      return (key, options) => {
        const cost = options === undefined ? 1 : costOf(options)
        if (!key || typeof key !== 'string') checkKey(key)
        const slot = b.slotOf(key, cost)
        return fixedWindow(b.s, slot * 3 + 1, b.clock(), cost, slot !== 0, L, W)
      }
    case 'sliding-window-log':
      return (key, options) => {
        const cost = options === undefined ? 1 : costOf(options)
        if (!key || typeof key !== 'string') checkKey(key)
        const slot = b.slotOf(key, cost)
        return slidingWindowLog(b, slot, b.clock(), cost, slot !== 0, L, W)
      }
    case 'sliding-window-counter':
      return (key, options) => {
        const cost = options === undefined ? 1 : costOf(options)
        if (!key || typeof key !== 'string') checkKey(key)
        const slot = b.slotOf(key, cost)
        return slidingWindowCounter(b.s, slot * 4 + 1, b.clock(), cost, slot !== 0, L, W)
      }
    case 'token-bucket':
      return (key, options) => {
        const cost = options === undefined ? 1 : costOf(options)
        if (!key || typeof key !== 'string') checkKey(key)
        const slot = b.slotOf(key, cost)
        return tokenBucket(b.s, slot * 3 + 1, b.clock(), cost, slot !== 0, L, W, C)
      }
    // gcra and leaky-bucket call the TAT machine directly: one call level less.
    case 'gcra':
      return (key, options) => {
        const cost = options === undefined ? 1 : costOf(options)
        if (!key || typeof key !== 'string') checkKey(key)
        const slot = b.slotOf(key, cost)
        return tatApply(b.s, slot * 3 + 1, b.clock(), cost, slot !== 0, L, W, C, false)
      }
    case 'leaky-bucket':
      return (key, options) => {
        const cost = options === undefined ? 1 : costOf(options)
        if (!key || typeof key !== 'string') checkKey(key)
        const slot = b.slotOf(key, cost)
        return tatApply(b.s, slot * 3 + 1, b.clock(), cost, slot !== 0, L, W, C, true)
      }
  }
}
