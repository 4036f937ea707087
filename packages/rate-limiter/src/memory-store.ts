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
import type { Store, StoreBinding } from './store.js'
import { inspectTokenBucket, tokenBucket } from './token-bucket.js'
import { checkFunction, positiveInteger } from './validate.js'

/** Options of {@link MemoryStore}. */
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

// Slot 0 is both the "no slot" link value and the state of a key never seen (all zeros, never written).
const NIL = 0
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
  readonly #clock: Clock
  readonly #table: StateTable
  #keys: (string | undefined)[]
  #prev: Int32Array
  #next: Int32Array
  #idleAt: Float64Array
  #head = NIL
  #tail = NIL
  #free: number[] = []
  #unused = 1 // next never-used slot
  #slots: number // allocated slots, including slot 0

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
    this.#clock = clock
    const slots = Math.min(maxKeys + 1, INITIAL_SLOTS)
    this.#slots = slots
    this.#keys = new Array<string | undefined>(slots).fill(undefined)
    this.#prev = new Int32Array(slots)
    this.#next = new Int32Array(slots)
    this.#idleAt = new Float64Array(slots)
    this.#table = { s: new Float64Array(slots * this.#stateSize), aux: [] }
  }

  limit(key: string, cost: number): RateLimitResult {
    const now = this.#clock()
    let slot = this.index.get(key)
    if (slot === undefined) {
      // A fresh key admits any cost up to the capacity; anything else is decided on the zero state
      // without taking a slot, so it can evict nobody.
      if (cost === 0 || cost > this.#capacity) return this.#apply(NIL, now, cost, false)
      slot = this.#insert(key, now)
    } else if (slot !== this.#head) {
      // Recency counts every check, rejected ones too: a key being hammered is the last one to forget.
      this.#moveToHead(slot)
    }
    const r = this.#apply(slot, now, cost, true)
    // resetMs is, by definition, when the state is back to fresh.
    if (r.allowed && cost > 0) this.#idleAt[slot] = now + r.resetMs
    return r
  }

  peek(key: string, cost: number): RateLimitResult {
    return this.#apply(this.index.get(key) ?? NIL, this.#clock(), cost, false)
  }

  reset(key: string): void {
    const slot = this.index.get(key)
    if (slot !== undefined) this.#release(slot)
  }

  inspect(key: string): RateLimitSnapshot {
    return this.#inspect(this.#table, this.index.get(key) ?? NIL, this.#clock(), this.#policy)
  }

  // A switch over direct calls rather than a kernel object's method: each call site below sees one
  // function, so V8 inlines it even when every algorithm runs in the same process.
  #apply(slot: number, now: number, cost: number, commit: boolean): RateLimitResult {
    const t = this.#table
    switch (this.#algorithm) {
      case FIXED_WINDOW:
        return fixedWindow(t.s, slot * 2, now, cost, commit, this.#limit, this.#windowMs)
      case SLIDING_WINDOW_LOG:
        return slidingWindowLog(t, slot, now, cost, commit, this.#limit, this.#windowMs)
      case SLIDING_WINDOW_COUNTER:
        return slidingWindowCounter(t.s, slot * 3, now, cost, commit, this.#limit, this.#windowMs)
      case TOKEN_BUCKET:
        return tokenBucket(t.s, slot * 2, now, cost, commit, this.#limit, this.#windowMs, this.#capacity)
      case GCRA:
        return gcra(t.s, slot * 2, now, cost, commit, this.#limit, this.#windowMs, this.#capacity)
      default:
        return leakyBucket(t.s, slot * 2, now, cost, commit, this.#limit, this.#windowMs, this.#capacity)
    }
  }

  keysInOrder(): string[] {
    const out: string[] = []
    for (let s = this.#head; s !== NIL; s = this.#next[s]!) out.push(this.#keys[s]!)
    return out
  }

  prune(): number {
    const now = this.#clock()
    let n = 0
    for (let s = this.#head; s !== NIL; ) {
      const next = this.#next[s]!
      if (this.#idleAt[s]! <= now) {
        this.#release(s)
        n++
      }
      s = next
    }
    return n
  }

  clear(): void {
    while (this.#tail !== NIL) this.#release(this.#tail)
  }

  #insert(key: string, now: number): number {
    let slot: number
    if (this.#free.length > 0) slot = this.#free.pop()!
    else if (this.index.size < this.#maxKeys) {
      if (this.#unused === this.#slots) this.#grow()
      slot = this.#unused++
    } else {
      slot = this.#tail
      if (this.#idleAt[slot]! > now) this.evictions++
      this.#release(slot)
      this.#free.pop()
    }
    this.#keys[slot] = key
    this.index.set(key, slot)
    this.#prev[slot] = NIL
    this.#next[slot] = this.#head
    if (this.#head !== NIL) this.#prev[this.#head] = slot
    else this.#tail = slot
    this.#head = slot
    return slot
  }

  #moveToHead(slot: number): void {
    const prev = this.#prev[slot]!
    const next = this.#next[slot]!
    // slot is not the head, so prev is a real slot.
    this.#next[prev] = next
    if (next !== NIL) this.#prev[next] = prev
    else this.#tail = prev
    this.#prev[slot] = NIL
    this.#next[slot] = this.#head
    this.#prev[this.#head] = slot
    this.#head = slot
  }

  #release(slot: number): void {
    this.index.delete(this.#keys[slot]!)
    this.#keys[slot] = undefined
    const prev = this.#prev[slot]!
    const next = this.#next[slot]!
    if (prev !== NIL) this.#next[prev] = next
    else this.#head = next
    if (next !== NIL) this.#prev[next] = prev
    else this.#tail = prev
    this.#idleAt[slot] = 0
    const size = this.#stateSize
    this.#table.s.fill(0, slot * size, slot * size + size)
    if (this.#algorithm === SLIDING_WINDOW_LOG) clearLog(this.#table, slot)
    this.#free.push(slot)
  }

  #grow(): void {
    const slots = Math.min(this.#maxKeys + 1, this.#slots * 2)
    const prev = new Int32Array(slots)
    prev.set(this.#prev)
    this.#prev = prev
    const next = new Int32Array(slots)
    next.set(this.#next)
    this.#next = next
    const idle = new Float64Array(slots)
    idle.set(this.#idleAt)
    this.#idleAt = idle
    const s = new Float64Array(slots * this.#stateSize)
    s.set(this.#table.s)
    this.#table.s = s
    for (let i = this.#slots; i < slots; i++) this.#keys.push(undefined)
    this.#slots = slots
  }
}
