import { afterEach, describe, expect, test, vi } from 'vitest'
import { type DisposeReason, LRUCache, type LRUCacheOptions } from '../src/index.js'

function clocked<V extends {} = string>(options: Partial<LRUCacheOptions<string, V>> = {}) {
  const clock = { t: 1_000 }
  const disposed: [V, string, DisposeReason][] = []
  const cache = new LRUCache<string, V>({
    max: 100,
    ttl: 100,
    perf: { now: () => clock.t },
    dispose: (v, k, r) => disposed.push([v, k, r]),
    ...options,
  })
  return { cache, clock, disposed }
}

describe('lazy expiry (the default)', () => {
  test('an entry is fresh up to its TTL and stale once now > start + ttl', () => {
    const { cache, clock, disposed } = clocked({ stats: true })
    cache.set('a', 'A')
    clock.t += 100
    expect(cache.get('a')).toBe('A')
    clock.t += 1
    expect(cache.has('a')).toBe(false)
    expect(cache.size).toBe(1) // has() never deletes
    expect(cache.get('a')).toBeUndefined()
    expect(cache.size).toBe(0) // get() removes what it finds stale
    expect(disposed).toEqual([['A', 'a', 'expire']])
    expect(cache.stats().expirations).toBe(1)
  })

  test('allowStale returns the stale value once, then it is gone', () => {
    const { cache, clock } = clocked({ allowStale: true })
    cache.set('a', 'A')
    clock.t += 500
    expect(cache.get('a')).toBe('A')
    expect(cache.get('a')).toBeUndefined()
    cache.set('b', 'B')
    clock.t += 500
    expect(cache.get('b', { allowStale: false })).toBeUndefined()
  })

  test('noDeleteOnStaleGet keeps stale entries (peek with allowStale still sees them)', () => {
    const { cache, clock, disposed } = clocked({ noDeleteOnStaleGet: true })
    cache.set('a', 'A')
    clock.t += 101
    expect(cache.get('a')).toBeUndefined()
    expect(cache.get('a')).toBeUndefined()
    expect(cache.peek('a')).toBeUndefined()
    expect(cache.peek('a', { allowStale: true })).toBe('A')
    expect(cache.get('a', { allowStale: true })).toBe('A')
    expect(cache.size).toBe(1)
    expect(disposed).toEqual([])
  })

  test('updateAgeOnGet and updateAgeOnHas restart the TTL on reads', () => {
    const { cache, clock } = clocked({ updateAgeOnGet: true })
    cache.set('a', 'A')
    clock.t += 80
    cache.get('a')
    clock.t += 80
    expect(cache.get('a')).toBe('A')
    expect(cache.getRemainingTTL('a')).toBe(100)

    const other = clocked({ updateAgeOnHas: true })
    other.cache.set('a', 'A')
    other.clock.t += 80
    expect(other.cache.has('a')).toBe(true)
    other.clock.t += 80
    expect(other.cache.has('a')).toBe(true)
    expect(other.cache.has('a', { updateAgeOnHas: false })).toBe(true)
    other.clock.t += 101
    expect(other.cache.has('a')).toBe(false)
  })

  test('per-entry ttl overrides the default; 0 and Infinity never expire', () => {
    const { cache, clock } = clocked()
    cache
      .set('short', 's', { ttl: 10 })
      .set('zero', 'z', { ttl: 0 })
      .set('inf', 'i', { ttl: Number.POSITIVE_INFINITY })
    cache.set('default', 'd')
    clock.t += 11
    expect(cache.get('short')).toBeUndefined()
    expect(cache.get('default')).toBe('d')
    clock.t += 1_000_000
    expect(cache.get('zero')).toBe('z')
    expect(cache.get('inf')).toBe('i')
    expect(cache.getRemainingTTL('zero')).toBe(Number.POSITIVE_INFINITY)
  })

  test('a cache without a default ttl starts tracking TTLs at the first set with one', () => {
    const clock = { t: 5 }
    const cache = new LRUCache<string, string>({ max: 10, perf: { now: () => clock.t } })
    cache.set('plain', 'p')
    expect(cache.getRemainingTTL('plain')).toBe(Number.POSITIVE_INFINITY)
    cache.set('timed', 't', { ttl: 50 })
    clock.t += 51
    expect(cache.get('timed')).toBeUndefined()
    expect(cache.get('plain')).toBe('p')
  })

  test('updating a key restarts its TTL unless noUpdateTTL', () => {
    const { cache, clock } = clocked()
    cache.set('a', 'A')
    clock.t += 60
    cache.set('a', 'A2')
    clock.t += 60
    expect(cache.get('a')).toBe('A2')
    cache.set('b', 'B')
    clock.t += 60
    cache.set('b', 'B2', { noUpdateTTL: true })
    clock.t += 41
    expect(cache.get('b')).toBeUndefined()
  })

  test('start sets when the TTL began', () => {
    const { cache, clock } = clocked()
    cache.set('a', 'A', { start: clock.t - 90 })
    expect(cache.getRemainingTTL('a')).toBe(10)
  })

  test('getRemainingTTL: 0 when absent, Infinity without TTL, negative when stale but kept', () => {
    const { cache, clock } = clocked({ noDeleteOnStaleGet: true })
    expect(cache.getRemainingTTL('nope')).toBe(0)
    cache.set('a', 'A')
    clock.t += 30
    expect(cache.getRemainingTTL('a')).toBe(70)
    clock.t += 100
    expect(cache.getRemainingTTL('a')).toBe(-30)
    const untimed = new LRUCache<string, string>({ max: 2 })
    untimed.set('x', 'X')
    expect(untimed.getRemainingTTL('x')).toBe(Number.POSITIVE_INFINITY)
  })

  test('iteration skips stale entries unless allowStale; dump always includes them', () => {
    const { cache, clock } = clocked()
    cache.set('old', 'o')
    clock.t += 50
    cache.set('new', 'n')
    clock.t += 51
    expect([...cache.keys()]).toEqual(['new'])
    expect(cache.dump().map(([k]) => k)).toEqual(['old', 'new'])
    cache.allowStale = true
    expect([...cache.keys()]).toEqual(['new', 'old'])
  })

  test('purgeStale removes every stale entry, least recently used first', () => {
    const { cache, clock, disposed } = clocked()
    cache.set('a', 'A', { ttl: 10 }).set('b', 'B', { ttl: 1_000 }).set('c', 'C', { ttl: 10 })
    expect(cache.purgeStale()).toBe(false)
    clock.t += 11
    expect(cache.purgeStale()).toBe(true)
    expect([...cache.keys()]).toEqual(['b'])
    expect(disposed).toEqual([
      ['A', 'a', 'expire'],
      ['C', 'c', 'expire'],
    ])
  })
})

describe('the default clock', () => {
  afterEach(() => {
    vi.restoreAllMocks()
  })

  test('with ttlResolution > 0, one performance.now() serves a whole synchronous task', async () => {
    const cache = new LRUCache<number, number>({ max: 1_000, ttl: 60_000 })
    for (let i = 0; i < 1_000; i++) cache.set(i, i)
    await Promise.resolve()
    const now = vi.spyOn(performance, 'now')
    for (let round = 0; round < 3; round++) for (let i = 0; i < 1_000; i++) cache.get(i)
    expect(now).toHaveBeenCalledTimes(1)
    await Promise.resolve() // the reading is dropped when the task ends
    cache.get(1)
    expect(now).toHaveBeenCalledTimes(2)
  })

  test('ttlResolution 0 reads the clock on every check', () => {
    const cache = new LRUCache<number, number>({ max: 10, ttl: 60_000, ttlResolution: 0 })
    cache.set(1, 1)
    const now = vi.spyOn(performance, 'now')
    for (let i = 0; i < 5; i++) cache.get(1)
    expect(now).toHaveBeenCalledTimes(5)
  })

  test('an injected clock is read on every check, so fake clocks behave', () => {
    let t = 0
    const perf = { now: vi.fn(() => t) }
    const cache = new LRUCache<number, number>({ max: 10, ttl: 10, perf })
    cache.set(1, 1)
    t = 11
    expect(cache.get(1)).toBeUndefined()
    expect(perf.now.mock.calls.length).toBe(2)
  })
})

describe('ttlAutopurge: one unref’d timer for the whole cache', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  const autopurged = (options: Partial<LRUCacheOptions<string, string>> = {}) => {
    vi.useFakeTimers()
    return clocked({ ttlAutopurge: true, perf: { now: () => Date.now() }, ...options })
  }

  test('expired entries are removed without being touched, in expiry order', () => {
    const { cache, disposed } = autopurged()
    cache.set('b', 'B', { ttl: 200 })
    cache.set('a', 'A', { ttl: 100 })
    cache.set('c', 'C', { ttl: 300 })
    vi.advanceTimersByTime(101)
    expect([...cache.keys()]).toEqual(['c', 'b'])
    vi.advanceTimersByTime(100)
    expect([...cache.keys()]).toEqual(['c'])
    vi.advanceTimersByTime(100)
    expect(cache.size).toBe(0)
    expect(disposed).toEqual([
      ['A', 'a', 'expire'],
      ['B', 'b', 'expire'],
      ['C', 'c', 'expire'],
    ])
    expect(vi.getTimerCount()).toBe(0)
  })

  test('a thousand entries with distinct TTLs use a single timer', () => {
    const { cache } = autopurged({ max: 1_000 })
    for (let i = 0; i < 1_000; i++) cache.set(`k${i}`, 'v', { ttl: 1_000 + ((i * 7919) % 1_000) })
    expect(vi.getTimerCount()).toBe(1)
    vi.advanceTimersByTime(1_500)
    expect(vi.getTimerCount()).toBe(1)
    expect(cache.size).toBe(500) // TTLs 1000..1499 are past, 1500..1999 not yet
    vi.advanceTimersByTime(500)
    expect(cache.size).toBe(0)
    expect(vi.getTimerCount()).toBe(0)
  })

  test('the timer is unref’d: it never keeps the process alive', () => {
    vi.useRealTimers()
    const unref = vi.fn()
    const spy = vi.spyOn(globalThis, 'setTimeout').mockImplementation((() => ({ unref })) as never)
    try {
      const cache = new LRUCache<string, string>({ max: 10, ttl: 100, ttlAutopurge: true })
      cache.set('a', 'A')
      expect(spy).toHaveBeenCalledTimes(1)
      expect(unref).toHaveBeenCalledTimes(1)
    } finally {
      spy.mockRestore()
    }
  })

  test('an earlier expiry re-aims the timer; a refreshed TTL postpones removal', () => {
    const { cache } = autopurged()
    cache.set('slow', 'S', { ttl: 1_000 })
    cache.set('fast', 'F', { ttl: 10 })
    expect(vi.getTimerCount()).toBe(1)
    vi.advanceTimersByTime(11)
    expect(cache.has('fast')).toBe(false)
    expect(cache.has('slow')).toBe(true)
    vi.advanceTimersByTime(900)
    cache.set('slow', 'S2') // restarts its default 100 ms TTL
    vi.advanceTimersByTime(99)
    expect(cache.get('slow')).toBe('S2')
    vi.advanceTimersByTime(2)
    expect(cache.size).toBe(0)
  })

  test('updateAgeOnGet keeps a read entry alive under autopurge', () => {
    const { cache } = autopurged({ updateAgeOnGet: true })
    cache.set('a', 'A')
    for (let i = 0; i < 5; i++) {
      vi.advanceTimersByTime(90)
      expect(cache.get('a')).toBe('A')
    }
    vi.advanceTimersByTime(101)
    expect(cache.size).toBe(0)
  })

  test('delete, clear and entries without TTL leave no timer behind', () => {
    const { cache } = autopurged()
    cache.set('a', 'A')
    expect(vi.getTimerCount()).toBe(1)
    cache.delete('a')
    expect(vi.getTimerCount()).toBe(0)
    cache.set('b', 'B').set('c', 'C')
    cache.clear()
    expect(vi.getTimerCount()).toBe(0)
    cache.set('d', 'D', { ttl: 0 })
    expect(vi.getTimerCount()).toBe(0)
  })
})

describe('unbounded TTL-only caches', () => {
  test('warn once, like lru-cache, unless ttlAutopurge bounds them', () => {
    const emitWarning = vi.spyOn(process, 'emitWarning').mockImplementation(() => {})
    try {
      new LRUCache({ ttl: 100, ttlAutopurge: true })
      expect(emitWarning).not.toHaveBeenCalled()
      new LRUCache({ ttl: 100 })
      new LRUCache({ ttl: 100 })
      expect(emitWarning).toHaveBeenCalledTimes(1)
      expect(emitWarning.mock.calls[0]?.[1]).toBe('UnboundedCacheWarning')
    } finally {
      emitWarning.mockRestore()
    }
  })
})
