import { LRUCache as NpmLRUCache } from 'lru-cache'
import { afterEach, describe, expect, test, vi } from 'vitest'
import { type DisposeReason, LRUCache } from '../src/index.js'

// Failures users hit in lru-cache and its peers. Each test is named after the story; where
// npm lru-cache 11 still has the bug, the test shows it next to ours.

const tick = () => new Promise((r) => setTimeout(r, 0))

describe('iterating while the cache changes', () => {
  const filled = (n = 5) => {
    const cache = new LRUCache<number, number>({ max: 10 })
    for (let i = 0; i < n; i++) cache.set(i, i)
    return cache
  }

  test('get() inside a keys() loop terminates and visits each key once (lru-cache loops forever)', () => {
    const npm = new NpmLRUCache<number, number>({ max: 10 })
    for (let i = 0; i < 5; i++) npm.set(i, i)
    let npmSteps = 0
    for (const k of npm.keys()) {
      npm.get(k)
      if (++npmSteps > 100) break
    }
    expect(npmSteps).toBeGreaterThan(100) // the bug we do not have

    const cache = filled()
    const visited: number[] = []
    for (const k of cache.keys()) {
      cache.get(k)
      visited.push(k)
    }
    expect(visited).toEqual([4, 3, 2, 1, 0])
    expect([...cache.keys()]).toEqual([0, 1, 2, 3, 4]) // each get moved its key to the front
  })

  test('delete during iteration: the current key, every key, or keys not reached yet', () => {
    const a = filled()
    for (const k of a.keys()) a.delete(k)
    expect(a.size).toBe(0)

    const b = filled()
    const seen: number[] = []
    for (const [k] of b.entries()) {
      seen.push(k)
      if (k === 4) {
        b.delete(3)
        b.delete(1)
      }
    }
    expect(seen).toEqual([4, 2, 0])

    const c = filled()
    const order: number[] = []
    c.forEach((_v, k) => {
      order.push(k)
      c.delete(k - 1) // the next one in line
    })
    expect(order).toEqual([4, 2, 0])
    expect([...c.keys()]).toEqual([4, 2, 0])
  })

  test('deleting and re-adding during iteration: every original key exactly once, and it terminates', () => {
    const cache = filled()
    const visited: number[] = []
    for (const k of cache.rkeys()) {
      visited.push(k)
      cache.delete(k)
      cache.set(k + 100, k) // takes the slot just freed
    }
    // Keys added while iterating may or may not be visited (never twice); the originals all are, once.
    expect(visited.filter((k) => k < 100)).toEqual([0, 1, 2, 3, 4])
    expect(new Set(visited).size).toBe(visited.length)
    expect(cache.size).toBe(5)
  })

  test('set() during iteration never makes the loop endless', () => {
    const cache = filled()
    let steps = 0
    for (const k of cache.keys()) {
      cache.set(k + 1_000, k)
      if (++steps > 50) break
    }
    expect(steps).toBeLessThanOrEqual(10)
  })
})

describe('callbacks that throw or re-enter', () => {
  test('a throwing dispose during eviction leaves the cache consistent (lru-cache keeps the entry it was evicting)', () => {
    const boom = (_v: number, k: number) => {
      if (k === 0) throw new Error('boom')
    }
    const npm = new NpmLRUCache<number, number>({ max: 2, dispose: boom })
    npm.set(0, 0).set(1, 1)
    expect(() => npm.set(2, 2)).toThrow('boom')
    expect(npm.has(0)).toBe(true) // evicted, yet still there
    expect(npm.has(2)).toBe(false) // and the new entry was lost

    const cache = new LRUCache<number, number>({ max: 2, dispose: boom })
    cache.set(0, 0).set(1, 1)
    expect(() => cache.set(2, 2)).toThrow('boom')
    expect([...cache.entries()]).toEqual([
      [2, 2],
      [1, 1],
    ])
    cache.set(3, 3)
    expect([...cache.keys()]).toEqual([3, 2])
  })

  test('dispose may call set and delete on the same cache', () => {
    const log: [number, DisposeReason][] = []
    const cache: LRUCache<number, number> = new LRUCache<number, number>({
      max: 3,
      dispose: (v, k, reason) => {
        log.push([k, reason])
        if (reason === 'evict' && k < 100) cache.set(k + 100, v) // re-home the evicted value
        if (reason === 'delete' && k === 103) cache.delete(104)
      },
    })
    cache.set(1, 1).set(2, 2).set(3, 3).set(4, 4)
    // 4 evicts 1, re-homed as 101 which evicts 2, re-homed as 102 which evicts 3 ... until 101 goes.
    expect(log).toEqual([
      [1, 'evict'],
      [2, 'evict'],
      [3, 'evict'],
      [4, 'evict'],
      [101, 'evict'],
    ])
    expect([...cache.entries()]).toEqual([
      [104, 4],
      [103, 3],
      [102, 2],
    ])
    cache.delete(103)
    expect([...cache.keys()]).toEqual([102])
    expect(log.slice(5)).toEqual([
      [103, 'delete'],
      [104, 'delete'],
    ])
  })

  test('sizeCalculation may read the cache it is sizing for', () => {
    const cache: LRUCache<string, string> = new LRUCache<string, string>({
      maxSize: 10,
      sizeCalculation: (v, k) => {
        cache.get(k)
        return v.length + cache.size
      },
    })
    cache.set('a', 'xx').set('b', 'xx')
    expect(cache.calculatedSize).toBe(2 + 0 + 2 + 1)
  })

  test('a throwing sizeCalculation on a fetched value does not strand the in-flight placeholder', async () => {
    const cache = new LRUCache<string, string>({
      maxSize: 100,
      sizeCalculation: (v) => {
        if (v === 'unsizeable') throw new Error('cannot size')
        return 1
      },
      fetchMethod: async (k) => (k === 'bad' ? 'unsizeable' : 'fine'),
    })
    await expect(cache.fetch('bad')).rejects.toThrow('cannot size')
    expect(cache.size).toBe(0)
    expect(await cache.fetch('good')).toBe('fine')
  })
})

describe('fetch', () => {
  test('a fetch aborted by eviction rejects with ERR_LRU_EVICTED and its late result is not stored', async () => {
    let signal: AbortSignal | undefined
    let resolve: (v: string) => void = () => {}
    const cache = new LRUCache<string, string>({
      max: 2,
      fetchMethod: (_k, _stale, options) => {
        signal = options.signal
        return new Promise<string>((r) => {
          resolve = r
        })
      },
    })
    const pending = cache.fetch('slow')
    cache.set('a', 'A').set('b', 'B') // pushes the in-flight entry out
    expect(signal?.aborted).toBe(true)
    expect(signal?.reason).toMatchObject({ name: 'LRUCacheError', code: 'ERR_LRU_EVICTED' })
    await expect(pending).rejects.toMatchObject({ code: 'ERR_LRU_EVICTED' })
    resolve('too late')
    await tick()
    expect(cache.has('slow')).toBe(false)
    expect([...cache.keys()]).toEqual(['b', 'a'])
  })

  test('a fetchMethod returning undefined synchronously resolves (lru-cache leaves it pending forever)', async () => {
    const cache = new LRUCache<string, string>({ max: 2, fetchMethod: () => undefined })
    expect(await cache.fetch('a')).toBeUndefined()
    expect(cache.size).toBe(0)
  })

  test('the stale value dropped by a failed refresh is disposed, not silently lost', async () => {
    const clock = { t: 10 }
    const dispose = vi.fn()
    const cache = new LRUCache<string, string>({
      max: 2,
      ttl: 5,
      perf: { now: () => clock.t },
      dispose,
      fetchMethod: () => Promise.reject(new Error('down')),
    })
    cache.set('k', 'stale')
    clock.t += 6
    await expect(cache.fetch('k')).rejects.toThrow('down')
    expect(dispose).toHaveBeenCalledWith('stale', 'k', 'fetch')
  })
})

describe('ttlAutopurge neither leaks nor immortalises entries', () => {
  afterEach(() => {
    vi.useRealTimers()
    vi.restoreAllMocks()
  })

  test('entries nobody reads again are still removed (no leak), refreshed ones eventually too', () => {
    vi.useFakeTimers()
    const expired: string[] = []
    const cache = new LRUCache<string, string>({
      ttl: 100,
      ttlAutopurge: true,
      perf: { now: () => Date.now() },
      dispose: (_v, k, r) => r === 'expire' && expired.push(k),
    })
    for (let i = 0; i < 100; i++) cache.set(`k${i}`, 'v')
    for (let round = 0; round < 5; round++) {
      vi.advanceTimersByTime(60)
      cache.set('refreshed', 'v')
    }
    expect(cache.size).toBe(1)
    vi.advanceTimersByTime(101)
    expect(cache.size).toBe(0)
    expect(expired).toHaveLength(101)
    expect(vi.getTimerCount()).toBe(0)
  })

  test('deleted or evicted entries never fire a late expiry', () => {
    vi.useFakeTimers()
    const reasons: DisposeReason[] = []
    const cache = new LRUCache<string, string>({
      max: 2,
      ttl: 100,
      ttlAutopurge: true,
      perf: { now: () => Date.now() },
      dispose: (_v, _k, r) => reasons.push(r),
    })
    cache.set('a', 'A').set('b', 'B').set('c', 'C')
    cache.delete('b')
    vi.advanceTimersByTime(1_000)
    expect(reasons).toEqual(['evict', 'delete', 'expire'])
  })

  test('a TTL beyond 24.8 days does not spin the timer (setTimeout would clamp it to 1 ms)', () => {
    vi.useFakeTimers()
    const setTimeoutSpy = vi.spyOn(globalThis, 'setTimeout')
    const thirtyDays = 30 * 24 * 3_600_000
    const cache = new LRUCache<string, string>({
      max: 10,
      ttl: thirtyDays,
      ttlAutopurge: true,
      perf: { now: () => Date.now() },
    })
    cache.set('a', 'A')
    for (const call of setTimeoutSpy.mock.calls) expect(call[1]).toBeLessThanOrEqual(2 ** 31 - 1)
    vi.advanceTimersByTime(1_000)
    expect(setTimeoutSpy.mock.calls.length).toBe(1)
    vi.advanceTimersByTime(thirtyDays - 1_000)
    expect(cache.has('a')).toBe(true)
    vi.advanceTimersByTime(2)
    expect(cache.has('a')).toBe(false)
    expect(setTimeoutSpy.mock.calls.length).toBeLessThanOrEqual(3)
  })
})

describe('dump and load', () => {
  test('loading the same dump twice gives the same TTLs (lru-cache rewrites the dump in place)', () => {
    const clock = { t: 1_000 }
    const source = new LRUCache<string, string>({ max: 5, ttl: 10_000, perf: { now: () => clock.t } })
    source.set('a', 'A')
    const dump = source.dump()
    const snapshot = JSON.stringify(dump)
    const one = new LRUCache<string, string>({ max: 5, ttl: 10_000, perf: { now: () => clock.t } })
    const two = new LRUCache<string, string>({ max: 5, ttl: 10_000, perf: { now: () => clock.t } })
    one.load(dump)
    two.load(dump)
    expect(JSON.stringify(dump)).toBe(snapshot)
    expect(Math.abs(one.getRemainingTTL('a') - two.getRemainingTTL('a'))).toBeLessThan(50)
  })
})
