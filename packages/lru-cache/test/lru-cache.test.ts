import { describe, expect, test } from 'vitest'
import { LRUCache } from '../src/index.js'

describe('core operations', () => {
  test('get returns what set stored and makes it the most recently used', () => {
    const cache = new LRUCache<string, number>({ max: 3 })
    cache.set('a', 1).set('b', 2).set('c', 3)
    expect([...cache.keys()]).toEqual(['c', 'b', 'a'])
    expect(cache.get('a')).toBe(1)
    expect([...cache.keys()]).toEqual(['a', 'c', 'b'])
    expect(cache.get('zzz')).toBeUndefined()
  })

  test('a full cache evicts the least recently used entry', () => {
    const cache = new LRUCache<string, number>({ max: 2 })
    cache.set('a', 1).set('b', 2)
    cache.get('a')
    cache.set('c', 3)
    expect(cache.has('b')).toBe(false)
    expect([...cache.entries()]).toEqual([
      ['c', 3],
      ['a', 1],
    ])
    expect(cache.size).toBe(2)
  })

  test('max: 1 keeps exactly the last entry', () => {
    const cache = new LRUCache<number, string>({ max: 1 })
    for (let i = 0; i < 5; i++) cache.set(i, `v${i}`)
    expect([...cache.entries()]).toEqual([[4, 'v4']])
    cache.get(4)
    cache.set(5, 'v5')
    expect([...cache.keys()]).toEqual([5])
  })

  test('updating a key keeps one entry, moves it to the front and replaces the value', () => {
    const cache = new LRUCache<string, number>({ max: 3 })
    cache.set('a', 1).set('b', 2).set('a', 10)
    expect(cache.size).toBe(2)
    expect([...cache.entries()]).toEqual([
      ['a', 10],
      ['b', 2],
    ])
  })

  test('set(k, undefined) deletes k, and set returns the cache for chaining', () => {
    const cache = new LRUCache<string, number>({ max: 3 })
    expect(cache.set('a', 1)).toBe(cache)
    cache.set('a', undefined)
    expect(cache.has('a')).toBe(false)
    expect(cache.size).toBe(0)
  })

  test('peek and has do not change recency', () => {
    const cache = new LRUCache<string, number>({ max: 2 })
    cache.set('a', 1).set('b', 2)
    expect(cache.peek('a')).toBe(1)
    expect(cache.has('a')).toBe(true)
    cache.set('c', 3)
    expect(cache.has('a')).toBe(false)
    expect(cache.peek('a')).toBeUndefined()
  })

  test('delete reports whether the key was there; freed slots are reused', () => {
    const cache = new LRUCache<number, number>({ max: 4 })
    for (let i = 0; i < 4; i++) cache.set(i, i)
    expect(cache.delete(1)).toBe(true)
    expect(cache.delete(1)).toBe(false)
    expect(cache.size).toBe(3)
    cache.set(9, 9)
    expect(cache.size).toBe(4)
    expect([...cache.rkeys()]).toEqual([0, 2, 3, 9])
    // deleting the head, the tail and the only entry
    cache.delete(0)
    cache.delete(9)
    expect([...cache.rkeys()]).toEqual([2, 3])
    cache.delete(2)
    cache.delete(3)
    expect(cache.size).toBe(0)
    cache.set(7, 7)
    expect([...cache.keys()]).toEqual([7])
  })

  test('clear empties the cache and it keeps working', () => {
    const cache = new LRUCache<number, number>({ max: 3 })
    for (let i = 0; i < 10; i++) cache.set(i, i)
    cache.clear()
    expect(cache.size).toBe(0)
    expect([...cache.keys()]).toEqual([])
    cache.set(1, 1).set(2, 2)
    expect([...cache.keys()]).toEqual([2, 1])
  })

  test('pop removes and returns the least recently used value', () => {
    const cache = new LRUCache<string, number>({ max: 3 })
    cache.set('a', 1).set('b', 2).set('c', 3)
    cache.get('a')
    expect(cache.pop()).toBe(2)
    expect(cache.pop()).toBe(3)
    expect(cache.pop()).toBe(1)
    expect(cache.pop()).toBeUndefined()
  })

  test('keys are compared as Map compares them', () => {
    const obj = {}
    const sym = Symbol('s')
    const cache = new LRUCache<unknown & {}, string>({ max: 10 })
    cache
      .set(1, 'number')
      .set('1', 'string')
      .set(Number.NaN, 'nan')
      .set(obj, 'object')
      .set(sym, 'symbol')
      .set(0, 'zero')
    expect(cache.get(1)).toBe('number')
    expect(cache.get('1')).toBe('string')
    expect(cache.get(Number.NaN)).toBe('nan')
    expect(cache.get(obj)).toBe('object')
    expect(cache.get({})).toBeUndefined()
    expect(cache.get(sym)).toBe('symbol')
    expect(cache.get(-0)).toBe('zero')
    expect(cache.size).toBe(6)
  })

  test('grows its storage past the initial capacity up to max', () => {
    const cache = new LRUCache<number, number>({ max: 1000 })
    for (let i = 0; i < 1500; i++) cache.set(i, i * 2)
    expect(cache.size).toBe(1000)
    expect(cache.get(499)).toBeUndefined()
    expect(cache.get(500)).toBe(1000)
    expect(cache.get(1499)).toBe(2998)
    expect([...cache.rkeys()].slice(0, 3)).toEqual([501, 502, 503])
  })

  test('grows past 65,536 slots (16-bit links switch to 32-bit) without losing order', () => {
    const cache = new LRUCache<number, number>({ max: 100_000, stats: true })
    for (let i = 0; i < 70_000; i++) cache.set(i, i)
    cache.get(0)
    cache.delete(5)
    for (let i = 70_000; i < 100_003; i++) cache.set(i, i) // 100,002 entries for 100,000 slots
    expect(cache.size).toBe(100_000)
    expect(cache.stats().evictions).toBe(2)
    expect(cache.get(0)).toBe(0)
    expect(cache.has(1) || cache.has(2)).toBe(false)
    expect(cache.get(6)).toBe(6)
    expect([...cache.keys()].slice(0, 3)).toEqual([6, 0, 100_002])
    expect(cache.rkeys().next().value).toBe(3)
  })

  test('can be subclassed', () => {
    class Counting<K extends {}, V extends {}> extends LRUCache<K, V> {
      reads = 0
      override get(k: K): V | undefined {
        this.reads++
        return super.get(k)
      }
    }
    const cache = new Counting<string, number>({ max: 2, ttl: 1_000 })
    cache.set('a', 1).set('b', 2).set('c', 3)
    expect(cache.get('a')).toBeUndefined()
    expect(cache.get('c')).toBe(3)
    expect(cache.reads).toBe(2)
    expect(cache).toBeInstanceOf(LRUCache)
  })

  test('read-only properties and toStringTag', () => {
    const cache = new LRUCache<string, number>({ max: 5 })
    expect(cache.max).toBe(5)
    expect(cache.maxSize).toBe(0)
    expect(cache.calculatedSize).toBe(0)
    expect(Object.prototype.toString.call(cache)).toBe('[object LRUCache]')
    expect(cache.fetchMethod).toBeUndefined()
    expect(cache.memoMethod).toBeUndefined()
    expect(cache.dispose).toBeUndefined()
    expect(cache.disposeAfter).toBeUndefined()
    expect(typeof cache.perf.now()).toBe('number')
  })
})

describe('iteration', () => {
  const filled = () => {
    const cache = new LRUCache<string, number>({ max: 5 })
    cache.set('a', 1).set('b', 2).set('c', 3)
    return cache
  }

  test('most recently used first, or least recently used first with the r- variants', () => {
    const cache = filled()
    expect([...cache.keys()]).toEqual(['c', 'b', 'a'])
    expect([...cache.values()]).toEqual([3, 2, 1])
    expect([...cache.entries()]).toEqual([
      ['c', 3],
      ['b', 2],
      ['a', 1],
    ])
    expect([...cache]).toEqual([...cache.entries()])
    expect([...cache.rkeys()]).toEqual(['a', 'b', 'c'])
    expect([...cache.rvalues()]).toEqual([1, 2, 3])
    expect([...cache.rentries()]).toEqual([
      ['a', 1],
      ['b', 2],
      ['c', 3],
    ])
  })

  test('forEach and rforEach pass (value, key, cache) and honour thisArg', () => {
    const cache = filled()
    const seen: unknown[] = []
    const self = { tag: 'this' }
    cache.forEach(function (this: unknown, v, k, c) {
      seen.push([k, v, c === cache, this])
    }, self)
    expect(seen).toEqual([
      ['c', 3, true, self],
      ['b', 2, true, self],
      ['a', 1, true, self],
    ])
    const reversed: string[] = []
    cache.rforEach((_v, k) => reversed.push(k))
    expect(reversed).toEqual(['a', 'b', 'c'])
  })

  test('iterating does not change recency', () => {
    const cache = filled()
    for (const _ of cache.entries()) {
      // nothing
    }
    cache.forEach(() => {})
    expect([...cache.rkeys()]).toEqual(['a', 'b', 'c'])
  })

  test('find returns the first match (most recent first) and marks it used', () => {
    const cache = filled()
    expect(cache.find((v) => v < 3)).toBe(2)
    expect([...cache.keys()]).toEqual(['b', 'c', 'a'])
    expect(cache.find((v) => v > 10)).toBeUndefined()
  })

  test('an early break leaves the cache untouched and a fresh iteration starts over', () => {
    const cache = filled()
    const first = cache.keys().next().value
    expect(first).toBe('c')
    expect(cache.rkeys().next().value).toBe('a')
    expect([...cache.keys()]).toEqual(['c', 'b', 'a'])
  })
})

describe('resize', () => {
  test('shrinking evicts the least recently used entries and keeps the order', () => {
    const evicted: number[] = []
    const cache = new LRUCache<number, number>({
      max: 100,
      dispose: (v, _k, r) => r === 'evict' && evicted.push(v),
    })
    for (let i = 0; i < 100; i++) cache.set(i, i)
    cache.get(0)
    cache.resize(10)
    expect(cache.max).toBe(10)
    expect([...cache.rkeys()]).toEqual([91, 92, 93, 94, 95, 96, 97, 98, 99, 0])
    expect(evicted).toEqual(Array.from({ length: 90 }, (_, i) => i + 1))
    cache.set(100, 100)
    expect(cache.size).toBe(10)
    expect(cache.has(91)).toBe(false)
  })

  test('growing lets more entries in', () => {
    const cache = new LRUCache<number, number>({ max: 2 })
    cache.set(1, 1).set(2, 2)
    cache.resize(4)
    cache.set(3, 3).set(4, 4)
    expect([...cache.rkeys()]).toEqual([1, 2, 3, 4])
    cache.set(5, 5)
    expect([...cache.rkeys()]).toEqual([2, 3, 4, 5])
  })

  test('resize keeps TTLs, sizes and in-flight fetch bookkeeping attached to the right keys', async () => {
    let now = 1_000
    let release: (v: string) => void = () => {}
    const cache = new LRUCache<string, string>({
      max: 50,
      ttl: 100,
      maxSize: 1_000,
      sizeCalculation: (v) => v.length,
      perf: { now: () => now },
      fetchMethod: () =>
        new Promise<string>((resolve) => {
          release = resolve
        }),
    })
    for (let i = 0; i < 40; i++) cache.set(`k${i}`, 'x'.repeat(i + 1), { ttl: 100 + i })
    const pending = cache.fetch('loading')
    for (let i = 0; i < 30; i++) cache.delete(`k${i}`)
    cache.resize(12)
    expect(cache.size).toBe(11)
    expect(cache.getRemainingTTL('k35')).toBe(135)
    expect(cache.info('k39')?.size).toBe(40)
    expect(cache.calculatedSize).toBe([31, 32, 33, 34, 35, 36, 37, 38, 39, 40].reduce((a, b) => a + b) + 1)
    release('done')
    expect(await pending).toBe('done')
    expect(cache.get('loading')).toBe('done')
    now += 131
    expect(cache.get('k30')).toBeUndefined()
    expect(cache.get('k31')).toBe('x'.repeat(32))
  })
})

describe('stats', () => {
  test('counts hits, misses, sets, evictions and expirations', () => {
    let now = 100
    const cache = new LRUCache<string, number>({ max: 2, ttl: 10, perf: { now: () => now }, stats: true })
    expect(cache.stats()).toEqual({ hits: 0, misses: 0, sets: 0, evictions: 0, expirations: 0, hitRatio: 0 })
    cache.set('a', 1).set('b', 2).set('c', 3)
    cache.get('b')
    cache.get('a')
    now += 11
    cache.get('c')
    expect(cache.stats()).toEqual({
      hits: 1,
      misses: 2,
      sets: 3,
      evictions: 1,
      expirations: 1,
      hitRatio: 1 / 3,
    })
  })

  test('stats are opt-in: without `stats: true`, stats() throws and get() counts nothing', () => {
    const cache = new LRUCache<string, number>({ max: 2 })
    cache.set('a', 1)
    cache.get('a')
    cache.get('x')
    expect(() => cache.stats()).toThrow(
      new TypeError('stats() needs the cache to be created with `stats: true`, got stats: false'),
    )
  })

  test('with stats, a plain cache still behaves the same', () => {
    const plain = new LRUCache<number, number>({ max: 3 })
    const counted = new LRUCache<number, number>({ max: 3, stats: true })
    for (const c of [plain, counted]) {
      for (let i = 0; i < 6; i++) c.set(i % 4, i)
      c.get(1)
      c.get(9)
      c.delete(3)
    }
    expect([...counted.entries()]).toEqual([...plain.entries()])
    expect(counted.has(1)).toBe(plain.has(1))
    expect(counted.peek(2)).toBe(plain.peek(2))
    expect(counted.stats()).toMatchObject({ hits: 1, misses: 1, sets: 6, evictions: 3 })
  })

  test('resetStats starts the counters over', () => {
    const cache = new LRUCache<string, number>({ max: 2, stats: true })
    cache.set('a', 1)
    cache.get('a')
    cache.get('x')
    cache.resetStats()
    expect(cache.stats()).toEqual({ hits: 0, misses: 0, sets: 0, evictions: 0, expirations: 0, hitRatio: 0 })
    cache.get('a')
    expect(cache.stats().hits).toBe(1)
    expect(cache.stats().hitRatio).toBe(1)
  })
})

describe('dump, load and info', () => {
  test('dump lists entries least recently used first and load restores order and values', () => {
    const a = new LRUCache<string, number>({ max: 5 })
    a.set('x', 1).set('y', 2).set('z', 3)
    a.get('x')
    const dumped = a.dump()
    expect(dumped).toEqual([
      ['y', { value: 2 }],
      ['z', { value: 3 }],
      ['x', { value: 1 }],
    ])
    const b = new LRUCache<string, number>({ max: 5 })
    b.set('old', 0)
    b.load(dumped)
    expect([...b.entries()]).toEqual([...a.entries()])
    expect(JSON.parse(JSON.stringify(dumped))).toEqual(dumped)
  })

  test('dump carries ttl, a portable Date.now() start and size; load honours them', () => {
    let now = 50_000
    const a = new LRUCache<string, string>({
      max: 5,
      ttl: 1_000,
      maxSize: 100,
      sizeCalculation: (v) => v.length,
      perf: { now: () => now },
    })
    a.set('k', 'hello')
    a.set('forever', 'x', { ttl: 0 })
    now += 400
    const before = Date.now()
    const [first, second] = a.dump()
    const [key, entry] = first!
    const [, immortal] = second!
    expect(key).toBe('k')
    expect(entry).toMatchObject({ value: 'hello', ttl: 1_000, size: 5 })
    expect(entry?.start).toBeGreaterThanOrEqual(before - 401)
    expect(entry?.start).toBeLessThanOrEqual(Date.now() - 399)
    expect(immortal).toEqual({ value: 'x', ttl: 0, size: 1 })

    let later = 7
    const b = new LRUCache<string, string>({ max: 5, maxSize: 100, ttl: 1_000, perf: { now: () => later } })
    b.load(a.dump())
    const remaining = b.getRemainingTTL('k')
    expect(remaining).toBeGreaterThan(550)
    expect(remaining).toBeLessThanOrEqual(600)
    expect(b.info('k')?.size).toBe(5)
    expect(b.getRemainingTTL('forever')).toBe(Number.POSITIVE_INFINITY)
    later += 700
    expect(b.get('k')).toBeUndefined()
  })

  test('info reports value, remaining ttl and size without touching recency', () => {
    let now = 10
    const cache = new LRUCache<string, string>({
      max: 3,
      maxSize: 50,
      sizeCalculation: (v) => v.length,
      perf: { now: () => now },
    })
    cache.set('a', 'abc', { ttl: 100 }).set('b', 'de')
    now += 30
    expect(cache.info('a')).toMatchObject({ value: 'abc', ttl: 70, size: 3 })
    expect(cache.info('b')).toEqual({ value: 'de', size: 2 })
    expect(cache.info('nope')).toBeUndefined()
    expect([...cache.keys()]).toEqual(['b', 'a'])
  })
})

describe('option fields are public and mutable, like lru-cache', () => {
  test('changing allowStale, updateAgeOnGet or ttl affects later calls', () => {
    let now = 1
    const cache = new LRUCache<string, number>({ max: 5, perf: { now: () => now } })
    cache.set('plain', 1)
    cache.ttl = 10
    cache.set('ttl', 2)
    expect(cache.getRemainingTTL('plain')).toBe(Number.POSITIVE_INFINITY)
    expect(cache.getRemainingTTL('ttl')).toBe(10)
    now += 11
    cache.allowStale = true
    cache.noDeleteOnStaleGet = true
    expect(cache.get('ttl')).toBe(2)
    expect(cache.has('ttl')).toBe(false)
    expect(cache.size).toBe(2)
    expect(() => {
      cache.ttl = -1
    }).toThrow(new RangeError('`ttl` must be a positive integer (ms), 0 or Infinity, got -1'))
  })
})
