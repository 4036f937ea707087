import { describe, expect, test, vi } from 'vitest'
import { LRUCache, LRUCacheError, type LRUCacheOptions } from '../src/index.js'

/** A fetchMethod whose loads the test resolves or rejects by hand. */
function controlled() {
  const loads: {
    key: string
    stale: string | undefined
    signal: AbortSignal
    context: unknown
    resolve: (v: string | undefined) => void
    reject: (e: unknown) => void
  }[] = []
  const fetchMethod = vi.fn(
    (
      key: string,
      stale: string | undefined,
      { signal, context }: { signal: AbortSignal; context: unknown },
    ) =>
      new Promise<string | undefined>((resolve, reject) => {
        loads.push({ key, stale, signal, context, resolve, reject })
      }),
  )
  return { loads, fetchMethod }
}

const tick = () => new Promise((r) => setTimeout(r, 0))

function make(options: Partial<LRUCacheOptions<string, string, unknown>> = {}) {
  const { loads, fetchMethod } = controlled()
  const clock = { t: 1_000 }
  const cache = new LRUCache<string, string, unknown>({
    max: 10,
    fetchMethod,
    perf: { now: () => clock.t },
    ...options,
  })
  return { cache, loads, fetchMethod, clock }
}

describe('fetch', () => {
  test('a miss loads and stores; the next fetch is a hit', async () => {
    const { cache, loads, fetchMethod } = make()
    const p = cache.fetch('a')
    expect(loads).toHaveLength(1)
    loads[0]!.resolve('A')
    expect(await p).toBe('A')
    expect(cache.get('a')).toBe('A')
    expect(await cache.fetch('a')).toBe('A')
    expect(fetchMethod).toHaveBeenCalledTimes(1)
  })

  test('concurrent fetches of one key share one load (stampede protection)', async () => {
    const { cache, loads, fetchMethod } = make({ stats: true })
    const all = Promise.all(Array.from({ length: 50 }, () => cache.fetch('hot')))
    expect(fetchMethod).toHaveBeenCalledTimes(1)
    loads[0]!.resolve('H')
    expect(new Set(await all)).toEqual(new Set(['H']))
    expect(cache.stats()).toMatchObject({ misses: 50, hits: 0, sets: 1 })
  })

  test('fetchMethod gets the key, the stale value, a signal and the context', async () => {
    const { cache, loads } = make({ ttl: 10 })
    const ctx = { requestId: 7 }
    const first = cache.fetch('a', { context: ctx })
    loads[0]!.resolve('A1')
    await first
    const second = cache.fetch('a', { forceRefresh: true })
    expect(loads[1]).toMatchObject({ key: 'a', stale: 'A1', context: undefined })
    expect(loads[0]!.context).toBe(ctx)
    expect(loads[1]!.signal).toBeInstanceOf(AbortSignal)
    loads[1]!.resolve('A2')
    expect(await second).toBe('A2')
  })

  test('while loading, the entry counts in size but get/has/keys do not see it', async () => {
    const { cache, loads } = make()
    cache.set('x', 'X')
    const p = cache.fetch('a')
    expect(cache.size).toBe(2)
    expect(cache.get('a')).toBeUndefined()
    expect(cache.has('a')).toBe(false)
    expect(cache.peek('a')).toBeUndefined()
    expect([...cache.keys()]).toEqual(['x'])
    loads[0]!.resolve('A')
    await p
    expect([...cache.keys()]).toEqual(['a', 'x'])
  })

  test('rejections are not cached', async () => {
    const { cache, loads, fetchMethod } = make()
    const p = cache.fetch('a')
    loads[0]!.reject(new Error('backend down'))
    await expect(p).rejects.toThrow('backend down')
    expect(cache.size).toBe(0)
    const again = cache.fetch('a')
    expect(fetchMethod).toHaveBeenCalledTimes(2)
    loads[1]!.resolve('A')
    expect(await again).toBe('A')
  })

  test('a synchronous throw from fetchMethod rejects the fetch and caches nothing', async () => {
    const cache = new LRUCache<string, string>({
      max: 2,
      fetchMethod: () => {
        throw new Error('sync boom')
      },
    })
    await expect(cache.fetch('a')).rejects.toThrow('sync boom')
    expect(cache.size).toBe(0)
  })

  test('fetchMethod may return a plain value', async () => {
    const cache = new LRUCache<string, string>({ max: 2, fetchMethod: (k) => k.toUpperCase() })
    expect(await cache.fetch('a')).toBe('A')
    expect(cache.get('a')).toBe('A')
  })

  test('resolving to undefined drops the key (or puts the stale value back)', async () => {
    const { cache, loads, clock } = make({ ttl: 10 })
    const p = cache.fetch('a')
    loads[0]!.resolve(undefined)
    expect(await p).toBeUndefined()
    expect(cache.size).toBe(0)

    cache.set('b', 'B')
    clock.t += 11
    const q = cache.fetch('b')
    loads[1]!.resolve(undefined)
    expect(await q).toBeUndefined()
    expect(cache.peek('b', { allowStale: true })).toBe('B')
  })

  test('the caller’s AbortSignal aborts the load and the fetch', async () => {
    const { cache, loads } = make()
    const ac = new AbortController()
    const p = cache.fetch('a', { signal: ac.signal })
    ac.abort(new Error('client went away'))
    expect(loads[0]!.signal.aborted).toBe(true)
    await expect(p).rejects.toThrow('client went away')
    loads[0]!.resolve('late')
    await tick()
    expect(cache.has('a')).toBe(false)
  })

  test('ignoreFetchAbort stores the result even after an abort', async () => {
    const { cache, loads } = make({ ignoreFetchAbort: true })
    const ac = new AbortController()
    const p = cache.fetch('a', { signal: ac.signal })
    ac.abort()
    loads[0]!.resolve('A')
    expect(await p).toBe('A')
    expect(cache.get('a')).toBe('A')
  })

  test('allowStaleOnFetchAbort answers with the stale value and stores the late result', async () => {
    const { cache, loads, clock } = make({ ttl: 10, allowStaleOnFetchAbort: true })
    cache.set('a', 'old')
    clock.t += 11
    const ac = new AbortController()
    const p = cache.fetch('a', { signal: ac.signal })
    ac.abort()
    expect(await p).toBe('old')
    loads[0]!.resolve('new')
    await tick()
    expect(cache.get('a')).toBe('new')
  })

  test('stale-while-revalidate: allowStale returns the stale value at once and refreshes in the background', async () => {
    const { cache, loads, fetchMethod, clock } = make({ ttl: 100, allowStale: true })
    cache.set('a', 'v1')
    clock.t += 101
    expect(await cache.fetch('a')).toBe('v1')
    expect(await cache.fetch('a')).toBe('v1') // joins the same refresh
    expect(fetchMethod).toHaveBeenCalledTimes(1)
    expect(cache.get('a')).toBe('v1') // stale-while-fetching
    loads[0]!.resolve('v2')
    await tick()
    expect(cache.get('a')).toBe('v2')
    expect(cache.getRemainingTTL('a')).toBe(100)
  })

  test('without allowStale a stale entry is refreshed before answering', async () => {
    const { cache, loads, clock } = make({ ttl: 100 })
    cache.set('a', 'v1')
    clock.t += 101
    const p = cache.fetch('a')
    loads[0]!.resolve('v2')
    expect(await p).toBe('v2')
  })

  test('a failed background refresh is not an unhandled rejection and keeps serving nothing stale', async () => {
    const { cache, loads, clock } = make({ ttl: 100, allowStale: true })
    cache.set('a', 'v1')
    clock.t += 101
    expect(await cache.fetch('a')).toBe('v1')
    loads[0]!.reject(new Error('refresh failed'))
    await tick()
    expect(cache.has('a')).toBe(false)
  })

  test('allowStaleOnFetchRejection and noDeleteOnFetchRejection keep the stale value', async () => {
    const a = make({ ttl: 10, allowStaleOnFetchRejection: true })
    a.cache.set('k', 'stale')
    a.clock.t += 11
    const p = a.cache.fetch('k')
    a.loads[0]!.reject(new Error('nope'))
    expect(await p).toBe('stale')
    expect(a.cache.peek('k', { allowStale: true })).toBe('stale')

    const b = make({ ttl: 10, noDeleteOnFetchRejection: true })
    b.cache.set('k', 'stale')
    b.clock.t += 11
    const q = b.cache.fetch('k')
    b.loads[0]!.reject(new Error('nope'))
    await expect(q).rejects.toThrow('nope')
    expect(b.cache.peek('k', { allowStale: true })).toBe('stale')
  })

  test('forceRefresh reloads a fresh value', async () => {
    const { cache, loads } = make()
    cache.set('a', 'v1')
    const p = cache.fetch('a', { forceRefresh: true })
    loads[0]!.resolve('v2')
    expect(await p).toBe('v2')
  })

  test('fetchMethod may change how its result is stored through options', async () => {
    const clock = { t: 0 }
    const cache = new LRUCache<string, string>({
      max: 10,
      ttl: 1_000,
      perf: { now: () => clock.t },
      fetchMethod: (k, _stale, { options }) => {
        options.ttl = 5
        return k
      },
    })
    await cache.fetch('a')
    expect(cache.getRemainingTTL('a')).toBe(5)
  })

  test('set() over an in-flight load aborts it and wins; delete() aborts it', async () => {
    const { cache, loads } = make()
    const p = cache.fetch('a')
    cache.set('a', 'manual')
    expect(loads[0]!.signal.reason).toBeInstanceOf(LRUCacheError)
    expect(loads[0]!.signal.reason.code).toBe('ERR_LRU_REPLACED')
    await expect(p).rejects.toMatchObject({ code: 'ERR_LRU_REPLACED' })
    loads[0]!.resolve('late')
    await tick()
    expect(cache.get('a')).toBe('manual')

    const q = cache.fetch('b')
    cache.delete('b')
    await expect(q).rejects.toMatchObject({ code: 'ERR_LRU_DELETED' })
  })

  test('in a maxSize cache a load counts backgroundFetchSize until it lands', async () => {
    const { loads, fetchMethod } = controlled()
    const cache = new LRUCache<string, string>({
      maxSize: 100,
      sizeCalculation: (v) => v.length,
      backgroundFetchSize: 7,
      fetchMethod,
    })
    const p = cache.fetch('a')
    expect(cache.calculatedSize).toBe(7)
    loads[0]!.resolve('xyz')
    await p
    expect(cache.calculatedSize).toBe(3)
  })

  test('updateAgeOnGet / updateAgeOnHas on a fetch cache without TTLs are no-ops, not crashes', async () => {
    const cache = new LRUCache<string, string>({
      max: 3,
      updateAgeOnGet: true,
      updateAgeOnHas: true,
      fetchMethod: async (k) => k.toUpperCase(),
    })
    expect(await cache.fetch('a')).toBe('A')
    expect(await cache.fetch('a')).toBe('A')
    expect(cache.get('a')).toBe('A')
    expect(cache.has('a')).toBe(true)
    expect(cache.getRemainingTTL('a')).toBe(Number.POSITIVE_INFINITY)
  })

  test('without fetchMethod, fetch behaves like get', async () => {
    const cache = new LRUCache<string, string>({ max: 2 })
    cache.set('a', 'A')
    expect(await cache.fetch('a')).toBe('A')
    expect(await cache.fetch('b')).toBeUndefined()
  })

  test('forceFetch rejects instead of resolving to undefined', async () => {
    const cache = new LRUCache<string, string>({
      max: 2,
      fetchMethod: async (k) => (k === 'a' ? 'A' : undefined),
    })
    expect(await cache.forceFetch('a')).toBe('A')
    const err = await cache.forceFetch('b').catch((e: unknown) => e)
    expect(err).toBeInstanceOf(LRUCacheError)
    expect(err).toMatchObject({ code: 'ERR_LRU_FETCH_UNDEFINED', message: 'fetch() returned undefined' })
  })
})

describe('memo', () => {
  test('computes synchronously on a miss, then serves from the cache', () => {
    const memoMethod = vi.fn((n: number) => n * n)
    const cache = new LRUCache<number, number>({ max: 10, memoMethod })
    expect(cache.memo(12)).toBe(144)
    expect(cache.memo(12)).toBe(144)
    expect(memoMethod).toHaveBeenCalledTimes(1)
  })

  test('forceRefresh recomputes with the previous value; context is passed through', () => {
    const cache = new LRUCache<string, number, { step: number }>({
      max: 10,
      memoMethod: (_k, stale, { context }) => (stale ?? 0) + (context?.step ?? 1),
    })
    expect(cache.memo('counter')).toBe(1)
    expect(cache.memo('counter', { forceRefresh: true, context: { step: 10 } })).toBe(11)
    expect(cache.get('counter')).toBe(11)
  })

  test('memo options are set options: a TTL per memoised value', () => {
    const clock = { t: 0 }
    const cache = new LRUCache<string, string>({
      max: 10,
      memoMethod: (k) => k,
      perf: { now: () => clock.t },
    })
    cache.memo('a', { ttl: 50 })
    expect(cache.getRemainingTTL('a')).toBe(50)
  })
})
