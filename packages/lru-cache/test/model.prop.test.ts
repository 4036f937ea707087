import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { type DisposeReason, LRUCache, type LRUCacheStats } from '../src/index.js'

// The model: a Map whose insertion order IS the recency order (first = least recently used),
// kept honest by doing delete + set on every access. TTL, sizes and dispose reasons are
// spelled out naively so the real structure can be checked against them after every command.

type Key = number | string | symbol | object
interface ModelEntry {
  value: number
  size: number
  ttl: number
  start: number
}
interface Config {
  max: number
  ttl: number
  maxSize: number
  maxEntrySize: number
  updateAgeOnGet: boolean
  updateAgeOnHas: boolean
  allowStale: boolean
  noDeleteOnStaleGet: boolean
  noUpdateTTL: boolean
  noDisposeOnSet: boolean
}
interface Clock {
  t: number
}
type Log = [unknown, unknown, DisposeReason][]

class Model {
  entries = new Map<Key, ModelEntry>()
  disposed: Log = []
  stats = { hits: 0, misses: 0, sets: 0, evictions: 0, expirations: 0 }
  max: number
  ttlTracking: boolean
  constructor(
    readonly config: Config,
    readonly clock: Clock,
  ) {
    this.max = config.max
    this.ttlTracking = config.ttl !== 0
  }
  stale(e: ModelEntry): boolean {
    return e.ttl !== 0 && this.clock.t - e.start > e.ttl
  }
  remove(k: Key, reason: DisposeReason): void {
    const e = this.entries.get(k)
    if (e === undefined) return
    this.entries.delete(k)
    this.disposed.push([e.value, k, reason])
    if (reason === 'evict') this.stats.evictions++
    if (reason === 'expire') this.stats.expirations++
  }
  evictOldest(): void {
    const [k] = this.entries.keys()
    this.remove(k as Key, 'evict')
  }
  totalSize(): number {
    let s = 0
    for (const e of this.entries.values()) s += e.size
    return s
  }
  sizeOf(value: number): number {
    return this.config.maxSize || this.config.maxEntrySize ? value : 0
  }
  set(k: Key, value: number, ttlOption: number | undefined): void {
    const { config } = this
    const ttl = ttlOption ?? config.ttl
    if (ttl !== 0) this.ttlTracking = true
    const size = this.sizeOf(value)
    const entryLimit = Math.min(
      config.maxEntrySize || Number.POSITIVE_INFINITY,
      config.maxSize || Number.POSITIVE_INFINITY,
    )
    if (size > entryLimit) {
      this.remove(k, 'set')
      return
    }
    const old = this.entries.get(k)
    if (old !== undefined) {
      this.entries.delete(k)
      this.entries.set(k, old)
      if (old.value !== value) {
        if (!config.noDisposeOnSet) this.disposed.push([old.value, k, 'set'])
        old.size = 0
        this.evictForSize(size)
        old.size = size
        old.value = value
      }
      if (!config.noUpdateTTL) {
        old.ttl = ttl
        old.start = this.clock.t
      }
    } else {
      if (this.max !== 0 && this.entries.size === this.max) this.evictOldest()
      const e = { value, size, ttl, start: this.clock.t }
      this.entries.set(k, e)
      if (size) {
        e.size = 0
        this.evictForSize(size)
        e.size = size
      }
    }
    this.stats.sets++
  }
  evictForSize(size: number): void {
    const maxSize = this.config.maxSize || Number.POSITIVE_INFINITY
    while (this.totalSize() > maxSize - size && this.entries.size > 1) this.evictOldest()
  }
  get(k: Key): number | undefined {
    const e = this.entries.get(k)
    if (e === undefined) {
      this.stats.misses++
      return undefined
    }
    if (this.stale(e)) {
      if (!this.config.noDeleteOnStaleGet) this.remove(k, 'expire')
      if (this.config.allowStale) {
        this.stats.hits++
        return e.value
      }
      this.stats.misses++
      return undefined
    }
    this.entries.delete(k)
    this.entries.set(k, e)
    if (this.config.updateAgeOnGet && e.ttl !== 0) e.start = this.clock.t
    this.stats.hits++
    return e.value
  }
  peek(k: Key): number | undefined {
    const e = this.entries.get(k)
    if (e === undefined || (!this.config.allowStale && this.stale(e))) return undefined
    return e.value
  }
  has(k: Key): boolean {
    const e = this.entries.get(k)
    if (e === undefined || this.stale(e)) return false
    if (this.config.updateAgeOnHas && e.ttl !== 0) e.start = this.clock.t
    return true
  }
  remaining(k: Key): number {
    const e = this.entries.get(k)
    if (e === undefined) return 0
    if (e.ttl === 0) return Number.POSITIVE_INFINITY
    return e.start + e.ttl - this.clock.t
  }
}

interface Real {
  cache: LRUCache<Key, number>
  disposed: Log
}

const sym = Symbol('k')
const objA = { id: 'a' }
const objB = { id: 'b' }
// Mixed key types, compared as Map compares them: 1 and '1' differ, NaN equals NaN.
const KEYS: Key[] = [0, 1, 2, 3, 4, 5, '1', 'a', 'b', 'c', 1.5, Number.NaN, sym, objA, objB]
const keyArb = fc.constantFrom(...KEYS)
const valueArb = fc.integer({ min: 1, max: 6 })

function check(model: Model, real: Real): void {
  const { cache } = real
  const dumped = cache.dump()
  expect(dumped.map(([k]) => k)).toEqual([...model.entries.keys()])
  expect(dumped.map(([, e]) => e.value)).toEqual([...model.entries.values()].map((e) => e.value))
  expect(cache.size).toBe(model.entries.size)
  expect(cache.calculatedSize).toBe(model.totalSize())
  expect(real.disposed).toEqual(model.disposed)
  const visible = [...model.entries].filter(([, e]) => model.config.allowStale || !model.stale(e))
  expect([...cache.keys()]).toEqual(visible.map(([k]) => k).reverse())
  expect([...cache.rvalues()]).toEqual(visible.map(([, e]) => e.value))
  const { hitRatio, ...counts } = cache.stats() as LRUCacheStats
  expect(counts).toEqual(model.stats)
  const lookups = model.stats.hits + model.stats.misses
  expect(hitRatio).toBe(lookups === 0 ? 0 : model.stats.hits / lookups)
}

type Cmd = fc.Command<Model, Real>
const cmd = (name: string, run: (m: Model, r: Real) => void): Cmd => ({
  check: () => true,
  run: (m, r) => {
    run(m, r)
    check(m, r)
  },
  toString: () => name,
})
const k2s = (k: Key) =>
  typeof k === 'symbol' ? 'sym' : typeof k === 'object' ? JSON.stringify(k) : JSON.stringify(k)

function commands(withTTL: boolean): fc.Arbitrary<Cmd>[] {
  const list: fc.Arbitrary<Cmd>[] = [
    fc
      .tuple(
        keyArb,
        valueArb,
        withTTL ? fc.option(fc.integer({ min: 0, max: 40 }), { nil: undefined }) : fc.constant(undefined),
      )
      .map(([k, v, ttl]) =>
        cmd(`set(${k2s(k)}, ${v}${ttl === undefined ? '' : `, { ttl: ${ttl} }`})`, (m, r) => {
          m.set(k, v, ttl)
          expect(r.cache.set(k, v, ttl === undefined ? undefined : { ttl })).toBe(r.cache)
        }),
      ),
    keyArb.map((k) => cmd(`get(${k2s(k)})`, (m, r) => expect(r.cache.get(k)).toBe(m.get(k)))),
    keyArb.map((k) => cmd(`get(${k2s(k)})`, (m, r) => expect(r.cache.get(k)).toBe(m.get(k)))),
    keyArb.map((k) => cmd(`peek(${k2s(k)})`, (m, r) => expect(r.cache.peek(k)).toBe(m.peek(k)))),
    keyArb.map((k) => cmd(`has(${k2s(k)})`, (m, r) => expect(r.cache.has(k)).toBe(m.has(k)))),
    keyArb.map((k) =>
      cmd(`delete(${k2s(k)})`, (m, r) => {
        const had = m.entries.has(k)
        m.remove(k, 'delete')
        expect(r.cache.delete(k)).toBe(had)
      }),
    ),
    fc.constant(
      cmd('pop()', (m, r) => {
        const first = [...m.entries.values()][0]
        if (first) m.evictOldest()
        expect(r.cache.pop()).toBe(first?.value)
      }),
    ),
    fc.constant(
      cmd('clear()', (m, r) => {
        for (const k of [...m.entries.keys()]) m.remove(k, 'delete')
        r.cache.clear()
      }),
    ),
    fc.integer({ min: 1, max: 8 }).map((n) =>
      cmd(`resize(${n})`, (m, r) => {
        while (m.entries.size > n) m.evictOldest()
        m.max = n
        r.cache.resize(n)
        expect(r.cache.max).toBe(n)
      }),
    ),
    fc.constant(
      cmd('forEach deleting every visited key', (m, r) => {
        const visited: Key[] = []
        r.cache.forEach((_v, k) => {
          visited.push(k)
          r.cache.delete(k)
        })
        const expected = [...m.entries].filter(([, e]) => m.config.allowStale || !m.stale(e)).map(([k]) => k)
        expect(visited).toEqual(expected.reverse())
        for (const k of visited) m.remove(k, 'delete')
      }),
    ),
  ]
  if (withTTL) {
    list.push(
      fc.integer({ min: 1, max: 25 }).map((ms) =>
        cmd(`tick(${ms})`, (m) => {
          m.clock.t += ms
        }),
      ),
      fc.constant(
        cmd('purgeStale()', (m, r) => {
          const stale = [...m.entries].filter(([, e]) => m.stale(e)).map(([k]) => k)
          for (const k of stale) m.remove(k, 'expire')
          expect(r.cache.purgeStale()).toBe(stale.length > 0)
        }),
      ),
      keyArb.map((k) =>
        cmd(`getRemainingTTL(${k2s(k)})`, (m, r) => expect(r.cache.getRemainingTTL(k)).toBe(m.remaining(k))),
      ),
    )
  }
  return list
}

const configArb = (withTTL: boolean, withSize: boolean): fc.Arbitrary<Config> =>
  fc
    .record({
      max: withSize ? fc.constantFrom(0, 3, 6) : fc.integer({ min: 1, max: 6 }),
      ttl: withTTL ? fc.constantFrom(0, 5, 20) : fc.constant(0),
      maxSize: withSize ? fc.integer({ min: 6, max: 16 }) : fc.constant(0),
      maxEntrySize: withSize ? fc.constantFrom(0, 3, 5) : fc.constant(0),
      updateAgeOnGet: fc.boolean(),
      updateAgeOnHas: fc.boolean(),
      allowStale: fc.boolean(),
      noDeleteOnStaleGet: fc.boolean(),
      noUpdateTTL: fc.boolean(),
      noDisposeOnSet: fc.boolean(),
    })
    .filter((c) => c.max !== 0 || c.maxSize !== 0 || c.ttl !== 0)

function run(withTTL: boolean, withSize: boolean) {
  const numRuns = process.env.CI ? 1000 : 150
  fc.assert(
    fc.property(
      configArb(withTTL, withSize),
      fc.commands(commands(withTTL), { maxCommands: 100, size: 'max' }),
      (config, cmds) => {
        const clock = { t: 1_000 }
        fc.modelRun(() => {
          const disposed: Log = []
          const cache = new LRUCache<Key, number>({
            ...config,
            ...(config.maxSize || config.maxEntrySize ? { sizeCalculation: (v: number) => v } : {}),
            perf: { now: () => clock.t },
            stats: true,
            dispose: (v, k, reason) => {
              // dispose runs once the cache is consistent: the value is already gone from it.
              expect(cache.peek(k, { allowStale: true })).not.toBe(v)
              disposed.push([v, k, reason])
            },
          })
          return { model: new Model(config, clock), real: { cache, disposed } }
        }, cmds)
      },
    ),
    { numRuns },
  )
}

describe('LRUCache against a Map model (delete + set on every access)', () => {
  test('count limit, dispose reasons, iteration with deletes, resize', () => run(false, false))
  test('TTL under a fake clock: staleness, ages, purge, remaining TTL', () => run(true, false))
  test('size limits: maxSize, maxEntrySize, sizeCalculation', () => run(false, true))
  test('everything at once', () => run(true, true))
})
