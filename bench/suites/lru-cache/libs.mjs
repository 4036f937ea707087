// The LRU caches compared by the lru-cache suite, behind one small adapter each: how to build
// one of a given capacity (and TTL, when supported), how to test presence without touching
// recency, and what kind of structure it is. Shared by the timed suite and memory.mjs.
import { createRequire } from 'node:module'
import { LRUCache } from '@hotpath/lru-cache'
import { createLRU } from 'lru.min'
import { LRUCache as IsaacsLRUCache } from 'lru-cache'
import { LRUCache as MnemonistLRUCache, LRUMap as MnemonistLRUMap } from 'mnemonist'
import QuickLRU from 'quick-lru'
import { LRU as TinyLRU } from 'tiny-lru'

const hashlru = createRequire(import.meta.url)('hashlru')

/**
 * kind: 'map' — a Map-backed true LRU (the peers the issue ranks against);
 *       'object' — keys live in a plain object (fast for small dense integers, strings otherwise);
 *       'approx' — two generations of Maps/objects: holds between max and 2 × max entries.
 */
export const LIBS = [
  {
    name: '@hotpath/lru-cache',
    role: 'hotpath',
    kind: 'map',
    make: (max, ttl) => new LRUCache(ttl ? { max, ttl } : { max }),
    has: (c, k) => c.has(k),
    size: (c) => c.size,
    ttl: true,
  },
  {
    name: 'lru-cache',
    role: 'peer',
    kind: 'map',
    make: (max, ttl) => new IsaacsLRUCache(ttl ? { max, ttl } : { max }),
    has: (c, k) => c.has(k),
    size: (c) => c.size,
    ttl: true,
  },
  {
    name: 'mnemonist LRUMap',
    package: 'mnemonist',
    role: 'peer',
    kind: 'map',
    make: (max) => new MnemonistLRUMap(max),
    has: (c, k) => c.has(k),
    size: (c) => c.size,
  },
  {
    name: 'lru.min',
    role: 'peer',
    kind: 'map',
    make: (max) => createLRU({ max }),
    has: (c, k) => c.has(k),
    size: (c) => c.size,
  },
  {
    name: 'quick-lru',
    role: 'peer',
    kind: 'approx',
    make: (max, ttl) => new QuickLRU(ttl ? { maxSize: max, maxAge: ttl } : { maxSize: max }),
    has: (c, k) => c.has(k),
    size: (c) => c.size,
    ttl: true,
  },
  {
    name: 'mnemonist LRUCache',
    package: 'mnemonist',
    role: 'peer',
    kind: 'object',
    make: (max) => new MnemonistLRUCache(max),
    has: (c, k) => c.has(k),
    size: (c) => c.size,
  },
  {
    name: 'tiny-lru',
    role: 'peer',
    kind: 'object',
    make: (max, ttl) => new TinyLRU(max, ttl || 0),
    has: (c, k) => c.has(k),
    size: (c) => c.size,
    ttl: true,
  },
  {
    name: 'hashlru',
    role: 'peer',
    kind: 'approx',
    make: (max) => hashlru(max),
    has: (c, k) => c.has(k),
    size: null, // no size: it keeps two plain objects
  },
]

/** A seeded PRNG (mulberry32): every run, every competitor, the same inputs. */
export function rng(seed) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** `count` distinct keys of one type: dense integers 0..count-1, sparse 31-bit integers, or short strings. */
export function makeKeys(type, count, seed = 1) {
  if (type === 'dense') return Array.from({ length: count }, (_, i) => i)
  const random = rng(seed)
  const seen = new Set()
  const keys = []
  while (keys.length < count) {
    const n = Math.floor(random() * 2 ** 31)
    const k = type === 'sparse' ? n : `u:${n.toString(36)}`
    if (!seen.has(k)) {
      seen.add(k)
      keys.push(k)
    }
  }
  return keys
}

export function shuffled(items, seed) {
  const out = [...items]
  const random = rng(seed)
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[out[i], out[j]] = [out[j], out[i]]
  }
  return out
}

/**
 * The Zipf workload's operation stream (fixed seeds): `ops` operations over `keys` keys of `keyType`,
 * key ranks drawn with the given skew (hot keys scattered over the key set), 10% of them sets.
 * Shared by the suite and bench/experiments.
 */
export function zipf(keyType, { keys: count, ops, skew }) {
  const keys = shuffled(makeKeys(keyType, count, 3), 4) // rank -> key, hot keys scattered
  const cdf = new Float64Array(count)
  let total = 0
  for (let r = 0; r < count; r++) cdf[r] = total += 1 / (r + 1) ** skew
  const random = rng(11)
  const stream = new Array(ops)
  const isSet = new Uint8Array(ops)
  for (let i = 0; i < ops; i++) {
    const x = random() * total
    let lo = 0
    let hi = count - 1
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (cdf[mid] < x) lo = mid + 1
      else hi = mid
    }
    stream[i] = keys[lo]
    isSet[i] = random() < 0.1 ? 1 : 0
  }
  return { stream, isSet }
}

/**
 * The source of the Zipf workload's timed function over `cache`, `stream`, `isSet` and a `pos` in scope:
 * the next `chunk` operations, returning the hits. `key` is an expression over stream[i]: the key itself,
 * or for the fresh-keys workload the key built from its suffix, as a server builds `'u:' + id` per request
 * (a new string object on every operation).
 */
export const zipfLoop = (key, chunk) => `function () {
  let hits = 0
  const end = pos + ${chunk}
  for (let i = pos; i < end; i++) {
    const k = ${key}
    if (isSet[i] === 0) { if (cache.get(k) !== undefined) hits++ }
    else cache.set(k, i)
  }
  pos = end === stream.length ? 0 : end
  return hits
}`
