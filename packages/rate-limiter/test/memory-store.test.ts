import { describe, expect, it } from 'vitest'
import { MemoryStore, RateLimiter } from '../src/index.js'
import { FakeClock } from './helpers.js'

describe('MemoryStore', () => {
  it('grows past its first table and keeps every key exact', () => {
    const clock = new FakeClock(1)
    const limiter = new RateLimiter({
      algorithm: 'sliding-window-counter',
      limit: 3,
      windowMs: 60_000,
      clock: clock.now,
      maxKeys: 10_000,
    })
    for (let round = 0; round < 4; round++)
      for (let i = 0; i < 5000; i++) expect(limiter.limit(`k${i}`).allowed).toBe(round < 3)
    expect(limiter.store.size).toBe(5000)
    expect(limiter.store.evictions).toBe(0)
  })

  // The store remembers the slot of a key checked again and again (skipping the Map); a key released
  // in the meantime must not be found there, nor a different key that took its slot.
  it('a repeated key, then reset or evicted, is looked up afresh', () => {
    const clock = new FakeClock(1)
    const make = (maxKeys: number) =>
      new RateLimiter({ algorithm: 'fixed-window', limit: 3, windowMs: 60_000, clock: clock.now, maxKeys })
    const limiter = make(10)
    for (let i = 0; i < 3; i++) limiter.limit('a')
    limiter.reset('a')
    expect(limiter.limit('a').remaining).toBe(2) // a fresh window, and tracked again
    expect(limiter.store.has('a')).toBe(true)
    expect(limiter.limit('b').remaining).toBe(2) // takes a free slot of its own, not a's
    expect(limiter.limit('a').remaining).toBe(1)
    expect(limiter.store.keys()).toEqual(['a', 'b'])

    const one = make(1) // every new key evicts the last one
    for (let i = 0; i < 3; i++) one.limit('a')
    expect(one.limit('b').remaining).toBe(2) // a's slot, reused
    expect(one.limit('b').remaining).toBe(1)
    expect(one.limit('a').remaining).toBe(2) // a was forgotten: fresh
    expect(one.store.keys()).toEqual(['a'])
    expect(one.limit('a').remaining).toBe(1)
  })

  it('keeps exact recency order through table growth and queue compaction', () => {
    const clock = new FakeClock(1)
    const limiter = new RateLimiter({
      algorithm: 'gcra',
      limit: 100,
      windowMs: 1000,
      clock: clock.now,
      maxKeys: 3000,
    })
    const keys = Array.from({ length: 2500 }, (_, i) => `k${i}`)
    for (const k of keys) limiter.limit(k)
    // Touch every third key many times, so the access queue fills with stale entries and compacts.
    for (let round = 0; round < 5; round++) for (let i = 0; i < keys.length; i += 3) limiter.limit(keys[i]!)
    const touched = keys.filter((_, i) => i % 3 === 0)
    const untouched = keys.filter((_, i) => i % 3 !== 0)
    expect(limiter.store.keys()).toEqual([...[...touched].reverse(), ...[...untouched].reverse()])
    for (let i = 0; i < 600; i++) limiter.limit(`new${i}`)
    // 500 fill the table, the last 100 evict the 100 least recent keys: untouched ones.
    expect(limiter.store.size).toBe(3000)
    expect(limiter.store.has('k1')).toBe(false)
    expect(limiter.store.has('k0')).toBe(true)
    expect(limiter.store.has(untouched[99]!)).toBe(false)
    expect(limiter.store.keys().at(-1)).toBe(untouched[100])
    expect(limiter.store.evictions).toBe(100)
  })

  it('evicts the least recently checked key when full, and counts it as an early eviction', () => {
    const clock = new FakeClock(1)
    const store = new MemoryStore({ maxKeys: 3, clock: clock.now })
    const limiter = new RateLimiter({ algorithm: 'fixed-window', limit: 1, windowMs: 60_000, store })
    for (const k of ['a', 'b', 'c']) limiter.limit(k)
    limiter.limit('a') // rejected, but a is now the most recent
    limiter.limit('d')
    expect(store.keys()).toEqual(['d', 'a', 'c'])
    expect(store.has('b')).toBe(false)
    expect(store.evictions).toBe(1)
    expect(limiter.limit('b').allowed).toBe(true) // forgotten: fresh again
  })

  it('does not count an idle key taken back as an eviction', () => {
    const clock = new FakeClock(1)
    const store = new MemoryStore({ maxKeys: 2, clock: clock.now })
    const limiter = new RateLimiter({ algorithm: 'token-bucket', limit: 10, windowMs: 1000, store })
    limiter.limit('a')
    limiter.limit('b')
    clock.t += 100 // both buckets full again
    limiter.limit('c')
    expect(store.keys()).toEqual(['c', 'b'])
    expect(store.evictions).toBe(0)
  })

  it('prune() drops idle keys only', () => {
    const clock = new FakeClock(0)
    const store = new MemoryStore({ clock: clock.now })
    const limiter = new RateLimiter({ algorithm: 'sliding-window-log', limit: 5, windowMs: 1000, store })
    limiter.limit('early')
    clock.t = 500
    limiter.limit('late')
    clock.t = 1000
    expect(store.prune()).toBe(1)
    expect(store.keys()).toEqual(['late'])
    clock.t = 1500
    expect(store.prune()).toBe(1)
    expect(store.size).toBe(0)
  })

  it('clear() forgets everything; a store without a limiter is empty', () => {
    const store = new MemoryStore()
    expect(store.size).toBe(0)
    expect(store.keys()).toEqual([])
    expect(store.prune()).toBe(0)
    store.clear()
    const limiter = new RateLimiter({ algorithm: 'gcra', limit: 1, windowMs: 1000, store })
    limiter.limit('a')
    limiter.limit('b')
    store.clear()
    expect(store.size).toBe(0)
    expect(limiter.limit('a').allowed).toBe(true)
  })

  it('an idle key answers like a new one even before it is taken back', () => {
    const clock = new FakeClock(0)
    const limiter = new RateLimiter({ algorithm: 'fixed-window', limit: 2, windowMs: 100, clock: clock.now })
    limiter.limit('k')
    limiter.limit('k')
    clock.t = 100
    expect(limiter.store.has('k')).toBe(true)
    expect(limiter.limit('k')).toEqual({
      allowed: true,
      limit: 2,
      remaining: 1,
      resetMs: 100,
      retryAfterMs: 0,
      delayMs: 0,
    })
  })

  it('runs on the default clock', async () => {
    const limiter = new RateLimiter({ algorithm: 'token-bucket', limit: 1000, windowMs: 1000, burst: 1 })
    expect(limiter.limit('k').allowed).toBe(true)
    expect(limiter.limit('k')).toMatchObject({ allowed: false, retryAfterMs: 1 })
    await new Promise((resolve) => setTimeout(resolve, 5))
    expect(limiter.limit('k').allowed).toBe(true)
  })
})
