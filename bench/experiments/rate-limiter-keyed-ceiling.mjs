// How fast can a keyed rate limiter be at 100k distinct keys? Issue #7 asks for >= 2x limiter's TokenBucket
// there. This experiment times, on the suite's access pattern (100k shuffled `user:N` keys, every key tracked
// before timing, each visited in turn):
//
//   - limiter's TokenBucket in a Map (the suite's best peer),
//   - `minimal check`: the least a keyed limiter can do (a Map from key to slot, a count in a Float64Array,
//     a result object; no clock, no policy, no bound on the number of keys, no validation),
//   - `minimal check + LRU`: the same plus the exact least-recently-used queue the memory store keeps, each
//     slot's queue position in an array of its own,
//   - `minimal check + LRU, position in the row`: the same with the position in the slot's row of the state
//     array, as the memory store keeps it (one cache line for both),
//   - `... + last key compared on every check`: the same, also comparing the key with the previous check's
//     (the memory store's shortcut for a repeated key, which it now takes only while a key repeats),
//   - `own hash table + LRU`: the same as the previous one without the `Map`: an open-addressing table of
//     rows [hash, queue position, count], found by a string hash computed in JavaScript (a seeded
//     FNV-1a with a final mix; V8's own string hash, cached in the string, is not reachable from JS),
//   - @hotpath/rate-limiter with the given algorithm (built; run `npm run build` first).
//
// Each has its own compiled loop, as in the suite. Interleaved rounds, medians, ns per check and the ratio
// to limiter. Usage: node bench/experiments/rate-limiter-keyed-ceiling.mjs [algorithm] [--hot]
// (--hot: one key instead of 100k).
import { ALGORITHMS, RateLimiter } from '@hotpath/rate-limiter'
import { TokenBucket } from 'limiter'

const args = process.argv.slice(2)
const HOT = args.includes('--hot')
const algorithm = args.find((a) => !a.startsWith('--')) ?? 'token-bucket'
if (!ALGORITHMS.includes(algorithm)) throw new Error(`unknown algorithm ${algorithm}`)
const KEYS = HOT ? 1 : 100_000
const OPS = 2_000
const ROUNDS = 200
const BIG = 1_000_000_000

const keys = HOT ? ['hot'] : Array.from({ length: KEYS }, (_, i) => `user:${i}`)
let seed = 42
for (let i = keys.length - 1; i > 0; i--) {
  seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0
  const j = seed % (i + 1)
  ;[keys[i], keys[j]] = [keys[j], keys[i]]
}

class Result {
  constructor(allowed, limit, remaining, resetMs, retryAfterMs, delayMs) {
    this.allowed = allowed
    this.limit = limit
    this.remaining = remaining
    this.resetMs = resetMs
    this.retryAfterMs = retryAfterMs
    this.delayMs = delayMs
  }
}

// Separate class literals on purpose: V8 keeps type feedback per literal, so none sees another's calls.
class Minimal {
  index = new Map()
  s = new Float64Array(2 * (KEYS + 1))
  next = 1
  limit(key) {
    let slot = this.index.get(key)
    if (slot === undefined) {
      slot = this.next++
      this.index.set(key, slot)
    }
    const c = this.s[2 * slot + 1] + 1
    this.s[2 * slot + 1] = c
    return new Result(c <= BIG, BIG, BIG - c, 60_000, 0, 0)
  }
}

class MinimalLRU {
  index = new Map()
  s = new Float64Array(2 * (KEYS + 1))
  next = 1
  position = new Int32Array(KEYS + 1).fill(-2)
  queue = new Int32Array(2 * (KEYS + 1))
  tail = 0
  limit(key) {
    let slot = this.index.get(key)
    if (slot === undefined) {
      slot = this.next++
      this.index.set(key, slot)
    }
    if (this.position[slot] !== this.tail - 1) this.append(slot)
    const c = this.s[2 * slot + 1] + 1
    this.s[2 * slot + 1] = c
    return new Result(c <= BIG, BIG, BIG - c, 60_000, 0, 0)
  }
  append(slot) {
    if (this.tail === this.queue.length) {
      let w = 0
      for (let r = 0; r < this.tail; r++) {
        const s = this.queue[r]
        if (this.position[s] === r) {
          this.queue[w] = s
          this.position[s] = w++
        }
      }
      this.tail = w
    }
    this.queue[this.tail] = slot
    this.position[slot] = this.tail++
  }
}

// The memory store's layout: a row of 3 doubles per slot, [queue position, count, unused].
class MinimalLRURow {
  index = new Map()
  s = new Float64Array(3 * (KEYS + 1)).fill(-2)
  next = 1
  queue = new Int32Array(2 * (KEYS + 1))
  tail = 0
  limit(key) {
    let slot = this.index.get(key)
    if (slot === undefined) {
      slot = this.next++
      this.index.set(key, slot)
    }
    const row = 3 * slot
    if (this.s[row] !== this.tail - 1) this.append(slot)
    const c = this.s[row + 1] + 1
    this.s[row + 1] = c
    return new Result(c <= BIG, BIG, BIG - c, 60_000, 0, 0)
  }
  append(slot) {
    if (this.tail === this.queue.length) {
      let w = 0
      for (let r = 0; r < this.tail; r++) {
        const s = this.queue[r]
        if (this.s[3 * s] === r) {
          this.queue[w] = s
          this.s[3 * s] = w++
        }
      }
      this.tail = w
    }
    this.queue[this.tail] = slot
    this.s[3 * slot] = this.tail++
  }
}

// The row layout plus the last-key shortcut, tried on every check (the store gates it on a repeat).
class MinimalLRURowLastKey extends MinimalLRURow {
  lastKey = ''
  lastSlot = 0
  limit(key) {
    let slot = key === this.lastKey ? this.lastSlot : this.index.get(key)
    if (slot === undefined) {
      slot = this.next++
      this.index.set(key, slot)
    }
    this.lastKey = key
    this.lastSlot = slot
    const row = 3 * slot
    if (this.s[row] !== this.tail - 1) this.append(slot)
    const c = this.s[row + 1] + 1
    this.s[row + 1] = c
    return new Result(c <= BIG, BIG, BIG - c, 60_000, 0, 0)
  }
}

// A `Map` replaced by a table of our own: rows [hash, queue position, count, unused] at the key's hash,
// linear probing, the key strings beside the rows. Compares the stored hash before the key.
const SEED = (Math.random() * 2 ** 32) | 0
function hashOf(key) {
  let h = SEED ^ key.length
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193)
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  return h ^ (h >>> 13)
}
class OwnTableLRU {
  mask = (1 << 18) - 1 // load factor 0.38 at 100k keys
  s = new Float64Array(4 << 18).fill(Number.NaN)
  keys = new Array(1 << 18).fill(undefined)
  queue = new Int32Array(2 << 18)
  tail = 0
  limit(key) {
    const h = hashOf(key)
    const s = this.s
    let i = h & this.mask
    for (;;) {
      const stored = s[4 * i]
      if (stored === h) {
        if (this.keys[i] === key) break
      } else if (Number.isNaN(stored)) {
        s[4 * i] = h
        s[4 * i + 1] = -2
        s[4 * i + 2] = 0
        this.keys[i] = key
        break
      }
      i = (i + 1) & this.mask
    }
    const row = 4 * i
    if (s[row + 1] !== this.tail - 1) this.append(i)
    const c = s[row + 2] + 1
    s[row + 2] = c
    return new Result(c <= BIG, BIG, BIG - c, 60_000, 0, 0)
  }
  append(slot) {
    if (this.tail === this.queue.length) {
      let w = 0
      for (let r = 0; r < this.tail; r++) {
        const at = this.queue[r]
        if (this.s[4 * at + 1] === r) {
          this.queue[w] = at
          this.s[4 * at + 1] = w++
        }
      }
      this.tail = w
    }
    this.queue[this.tail] = slot
    this.s[4 * slot + 1] = this.tail++
  }
}

const compile = (tag, body) =>
  new Function(
    'target',
    'keys',
    `let at = 0
    return function () {
      let n = 0
      for (let i = 0; i < ${OPS}; i++) {
        const key = keys[at]; at = at + 1 === keys.length ? 0 : at + 1
        ${body}
      }
      return n
    } // ${tag}`,
  )

const competitors = {
  'limiter (TokenBucket)': [
    () => {
      const m = new Map()
      return {
        bucket(k) {
          let b = m.get(k)
          if (b === undefined) {
            b = new TokenBucket({ bucketSize: BIG, tokensPerInterval: BIG, interval: 'minute' })
            b.content = BIG
            m.set(k, b)
          }
          return b
        },
      }
    },
    'if (target.bucket(key).tryRemoveTokens(1)) n++',
  ],
  'minimal check': [() => new Minimal(), 'if (target.limit(key).allowed) n++'],
  'minimal check + LRU': [() => new MinimalLRU(), 'if (target.limit(key).allowed) n++'],
  'minimal check + LRU, position in the row': [
    () => new MinimalLRURow(),
    'if (target.limit(key).allowed) n++',
  ],
  '... + last key compared on every check': [
    () => new MinimalLRURowLastKey(),
    'if (target.limit(key).allowed) n++',
  ],
  'own hash table + LRU': [() => new OwnTableLRU(), 'if (target.limit(key).allowed) n++'],
  [`@hotpath/rate-limiter ${algorithm}`]: [
    () =>
      new RateLimiter({
        algorithm,
        limit: BIG,
        // The suite's windows: the log keeps every admitted request for windowMs (see the suite's note).
        windowMs: algorithm === 'sliding-window-log' && !HOT ? 100 : 60_000,
        ...(algorithm === 'leaky-bucket' ? { maxQueue: BIG } : {}),
      }),
    'if (target.limit(key).allowed) n++',
  ],
}

const timed = []
for (const [name, [make, body]] of Object.entries(competitors)) {
  const fn = compile(name, body)(make(), keys)
  for (let i = 0; i < Math.max((3 * KEYS) / OPS, 100); i++) fn() // every key tracked, code optimized
  timed.push({ name, fn, ns: [] })
}
for (let r = 0; r < ROUNDS; r++)
  for (const t of timed) {
    const t0 = process.hrtime.bigint()
    for (let j = 0; j < 5; j++) t.fn()
    t.ns.push(Number(process.hrtime.bigint() - t0) / (5 * OPS))
  }
const median = (xs) => xs.sort((a, b) => a - b)[xs.length >> 1]
const base = median([...timed[0].ns])
console.log(
  `${HOT ? 'one hot key' : `${KEYS.toLocaleString('en-US')} keys`}, ${algorithm}; median of ${ROUNDS} rounds`,
)
for (const t of timed) {
  const m = median(t.ns)
  console.log(
    `${t.name.padEnd(44)} ${(1e3 / m).toFixed(2).padStart(7)} M/s ${m.toFixed(1).padStart(6)} ns  ${(base / m).toFixed(2)}x limiter`,
  )
}
