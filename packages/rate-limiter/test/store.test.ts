import { describe, expect, expectTypeOf, it } from 'vitest'
import {
  MemoryStore,
  RateLimiter,
  type RateLimitPolicy,
  type RateLimitResult,
  type RateLimitSnapshot,
  type Store,
  type StoreBinding,
} from '../src/index.js'
import { FakeClock, forwardingStore } from './helpers.js'

// An asynchronous store shaped like the Redis one: promises, and a result extended with who answered.
interface SourcedResult extends RateLimitResult {
  readonly source: 'remote' | 'fallback'
}

class AsyncStore implements Store<'async', SourcedResult> {
  readonly mode = 'async' as const
  readonly calls: string[] = []
  constructor(readonly inner: MemoryStore) {}
  bind(policy: RateLimitPolicy): StoreBinding<'async', SourcedResult> {
    const inner = this.inner.bind(policy)
    const tick = () => new Promise((resolve) => setTimeout(resolve, 1))
    return {
      limit: async (key, cost) => {
        this.calls.push(`limit ${policy.algorithm} ${key} ${cost}`)
        await tick()
        return { ...inner.limit(key, cost), source: 'remote' }
      },
      peek: async (key, cost) => ({ ...inner.peek(key, cost), source: 'remote' }),
      reset: async (key) => {
        await tick()
        inner.reset(key)
      },
      inspect: async (key) => inner.inspect(key),
    }
  }
}

describe('the store interface', () => {
  it('a memory limiter answers synchronously, with the plain result type', () => {
    const limiter = new RateLimiter({ algorithm: 'gcra', limit: 1, windowMs: 1000 })
    expectTypeOf(limiter).toEqualTypeOf<RateLimiter<MemoryStore>>()
    expectTypeOf(limiter.limit).returns.toEqualTypeOf<RateLimitResult>()
    expectTypeOf(limiter.reset).returns.toEqualTypeOf<void>()
    expectTypeOf(limiter.inspect).returns.toEqualTypeOf<RateLimitSnapshot>()
    expect(limiter.limit('k')).not.toBeInstanceOf(Promise)
  })

  it('an async store makes every method return promises of its own result type', async () => {
    const clock = new FakeClock(0)
    const store = new AsyncStore(new MemoryStore({ clock: clock.now }))
    const limiter = new RateLimiter({ algorithm: 'fixed-window', limit: 2, windowMs: 1000, store })
    expectTypeOf(limiter).toEqualTypeOf<RateLimiter<AsyncStore>>()
    // .returns checks the type without calling (a call would count)
    expectTypeOf(limiter.limit).returns.toEqualTypeOf<Promise<SourcedResult>>()
    expectTypeOf(limiter.peek).returns.toEqualTypeOf<Promise<SourcedResult>>()
    expectTypeOf(limiter.reset).returns.toEqualTypeOf<Promise<void>>()
    expectTypeOf(limiter.inspect).returns.toEqualTypeOf<Promise<RateLimitSnapshot>>()
    const pending = limiter.limit('k')
    expect(pending).toBeInstanceOf(Promise)
    expect(await pending).toMatchObject({ allowed: true, remaining: 1, source: 'remote' })
    await limiter.limit('k', { cost: 1 })
    expect(await limiter.limit('k')).toMatchObject({ allowed: false, retryAfterMs: 1000 })
    await limiter.reset('k')
    expect(await limiter.peek('k')).toMatchObject({ allowed: true, remaining: 1 })
    expect(await limiter.inspect('k')).toMatchObject({ algorithm: 'fixed-window', count: 0 })
    expect(store.calls).toEqual([
      'limit fixed-window k 1',
      'limit fixed-window k 1',
      'limit fixed-window k 1',
    ])
  })

  it('schedule() works over an async store', async () => {
    const clock = new FakeClock(0)
    const store = new AsyncStore(new MemoryStore({ clock: clock.now }))
    const limiter = new RateLimiter({
      algorithm: 'leaky-bucket',
      limit: 100,
      windowMs: 1000,
      maxQueue: 1,
      store,
    })
    const [a, b] = await Promise.all([limiter.schedule('q'), limiter.schedule('q')])
    expectTypeOf(a).toEqualTypeOf<SourcedResult>()
    expect(a.source).toBe('remote')
    expect([a.delayMs, b.delayMs].sort()).toEqual([0, 10])
  })

  it('limit is a function of each limiter: it works unbound, over either kind of store', async () => {
    const { limit } = new RateLimiter({ algorithm: 'fixed-window', limit: 1, windowMs: 60_000 })
    expect(limit('k')).toMatchObject({ allowed: true })
    expect(limit('k')).toMatchObject({ allowed: false })
    const store = new AsyncStore(new MemoryStore())
    const remote = new RateLimiter({ algorithm: 'fixed-window', limit: 1, windowMs: 60_000, store })
    const unbound = remote.limit
    expect(await unbound('k')).toMatchObject({ allowed: true, source: 'remote' })
    expect(() => unbound('')).toThrow(RangeError)
  })

  it("a binding's check, when it has one, is the limiter's limit as is", () => {
    const inner = new MemoryStore()
    const calls: string[] = []
    const store = forwardingStore(inner, (b) => (key, options) => {
      calls.push(`${key} ${options?.cost}`)
      return b.check!(key, options)
    })
    const limiter = new RateLimiter({ algorithm: 'gcra', limit: 2, windowMs: 1000, store })
    expect(limiter.limit('k', { cost: 2 })).toMatchObject({ allowed: true, remaining: 0 })
    expect(calls).toEqual(['k 2'])
    // The memory store's checks validate like the limiter's generic one.
    expect(() => limiter.limit('')).toThrow('`key` must be a non-empty string, got ""')
    expect(() => limiter.limit('k', { cost: 1.5 })).toThrow('`cost` must be a non-negative integer, got 1.5')
  })

  it('validates arguments before the store sees them', () => {
    const store = new AsyncStore(new MemoryStore())
    const limiter = new RateLimiter({ algorithm: 'gcra', limit: 1, windowMs: 1000, store })
    expect(() => limiter.limit('')).toThrow(RangeError)
    expect(() => limiter.limit('k', { cost: -1 })).toThrow(RangeError)
    expect(store.calls).toEqual([])
  })

  it('gives the store the validated policy', () => {
    let seen: RateLimitPolicy | undefined
    const spy: Store<'sync'> = {
      mode: 'sync',
      bind(policy) {
        seen = policy
        return new MemoryStore().bind(policy)
      },
    }
    new RateLimiter({
      algorithm: 'leaky-bucket',
      limit: 5,
      windowMs: 1000,
      maxQueue: 7,
      name: 'jobs',
      store: spy,
    })
    expect(seen).toEqual({
      name: 'jobs',
      algorithm: 'leaky-bucket',
      limit: 5,
      windowMs: 1000,
      capacity: 8,
      maxQueue: 7,
    })
    expect(Object.isFrozen(seen)).toBe(true)
  })
})
