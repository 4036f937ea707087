import { describe, expect, it } from 'vitest'
import { RateLimiter } from '../src/index.js'
import { FakeClock } from './helpers.js'

describe('gcra: redis-cell vectors', () => {
  // redis-cell's own test table (src/cell/mod.rs, `it_rate_limits`): max_burst 4 (limit 5), 1 per second.
  // (time ms, quantity, limited, remaining, reset_after ms, retry_after ms; -1 → Infinity, or 0 when allowed)
  const cases: [number, number, boolean, number, number, number][] = [
    [0, 6, true, 5, 0, Number.POSITIVE_INFINITY],
    [0, 1, false, 4, 1000, 0],
    [0, 1, false, 3, 2000, 0],
    [0, 1, false, 2, 3000, 0],
    [0, 1, false, 1, 4000, 0],
    [0, 1, false, 0, 5000, 0],
    [0, 1, true, 0, 5000, 1000],
    [3000, 1, false, 2, 3000, 0],
    [3100, 1, false, 1, 3900, 0],
    [4000, 1, false, 1, 4000, 0],
    [8000, 1, false, 4, 1000, 0],
    [9500, 1, false, 4, 1000, 0],
    [9500, 0, false, 4, 1000, 0],
    [9500, 2, false, 2, 3000, 0],
    [9500, 5, true, 2, 3000, 3000],
  ]
  it('matches CL.THROTTLE key 4 1 1 step by step', () => {
    const clock = new FakeClock(1_700_000_000_000)
    const start = clock.t
    const limiter = new RateLimiter({
      algorithm: 'gcra',
      limit: 1,
      windowMs: 1000,
      burst: 5,
      clock: clock.now,
    })
    for (const [at, cost, limited, remaining, resetMs, retryAfterMs] of cases) {
      clock.t = start + at
      expect(limiter.limit('foo', { cost })).toEqual({
        allowed: !limited,
        limit: 5,
        remaining,
        resetMs,
        retryAfterMs,
        delayMs: 0,
      })
    }
  })

  it('exposes the TAT, emission interval and tolerance', () => {
    const clock = new FakeClock(10_000)
    const limiter = new RateLimiter({
      algorithm: 'gcra',
      limit: 3,
      windowMs: 1000,
      burst: 2,
      clock: clock.now,
    })
    limiter.limit('k')
    expect(limiter.inspect('k')).toEqual({
      algorithm: 'gcra',
      nowMs: 10_000,
      limit: 2,
      remaining: 1,
      resetMs: 334,
      tatMs: 10_000 + 1000 / 3,
      emissionIntervalMs: 1000 / 3,
      toleranceMs: 2000 / 3,
    })
  })
})

describe('fixed-window', () => {
  it('admits `limit` per aligned window and resets at the boundary', () => {
    const clock = new FakeClock(60_000)
    const limiter = new RateLimiter({ algorithm: 'fixed-window', limit: 2, windowMs: 1000, clock: clock.now })
    clock.t = 60_250
    expect(limiter.limit('k')).toMatchObject({ allowed: true, remaining: 1, resetMs: 750 })
    expect(limiter.limit('k')).toMatchObject({ allowed: true, remaining: 0, resetMs: 750 })
    expect(limiter.limit('k')).toMatchObject({ allowed: false, remaining: 0, retryAfterMs: 750 })
    clock.t = 61_000
    expect(limiter.limit('k')).toMatchObject({ allowed: true, remaining: 1, resetMs: 1000 })
  })

  it('lets 2 × limit through within 2 ms across a boundary (the documented burst)', () => {
    const clock = new FakeClock()
    const limiter = new RateLimiter({ algorithm: 'fixed-window', limit: 5, windowMs: 1000, clock: clock.now })
    let admitted = 0
    clock.t = 999
    for (let i = 0; i < 10; i++) if (limiter.limit('k').allowed) admitted++
    clock.t = 1000
    for (let i = 0; i < 10; i++) if (limiter.limit('k').allowed) admitted++
    expect(admitted).toBe(10)
  })

  it('aligns windows to the clock zero (UTC days for a day window on Date.now)', () => {
    const day = 86_400_000
    const clock = new FakeClock(Date.UTC(2026, 0, 15, 23, 59, 0))
    const limiter = new RateLimiter({ algorithm: 'fixed-window', limit: 10, windowMs: day, clock: clock.now })
    expect(limiter.limit('ip').resetMs).toBe(60_000)
    const s = limiter.inspect('ip')
    expect(s).toMatchObject({ windowStartMs: Date.UTC(2026, 0, 15), count: 1 })
  })
})

describe('sliding-window-log', () => {
  it('forgets each request exactly windowMs after it', () => {
    const clock = new FakeClock()
    const limiter = new RateLimiter({
      algorithm: 'sliding-window-log',
      limit: 3,
      windowMs: 1000,
      clock: clock.now,
    })
    for (const t of [0, 100, 200]) {
      clock.t = t
      expect(limiter.limit('k').allowed).toBe(true)
    }
    clock.t = 999
    expect(limiter.limit('k')).toMatchObject({ allowed: false, retryAfterMs: 1, resetMs: 201 })
    clock.t = 1000
    expect(limiter.limit('k')).toMatchObject({ allowed: true, remaining: 0, resetMs: 1000 })
    expect(limiter.limit('k')).toMatchObject({ allowed: false, retryAfterMs: 100 })
  })

  it('never lets the fixed window burst through: at most `limit` in any window', () => {
    const clock = new FakeClock()
    const limiter = new RateLimiter({
      algorithm: 'sliding-window-log',
      limit: 5,
      windowMs: 1000,
      clock: clock.now,
    })
    let admitted = 0
    clock.t = 999
    for (let i = 0; i < 10; i++) if (limiter.limit('k').allowed) admitted++
    clock.t = 1000
    for (let i = 0; i < 10; i++) if (limiter.limit('k').allowed) admitted++
    expect(admitted).toBe(5)
  })

  it('weights entries by cost and merges those of the same millisecond', () => {
    const clock = new FakeClock(5)
    const limiter = new RateLimiter({
      algorithm: 'sliding-window-log',
      limit: 10,
      windowMs: 100,
      clock: clock.now,
    })
    limiter.limit('k', { cost: 3 })
    limiter.limit('k', { cost: 2 })
    clock.t = 50
    limiter.limit('k', { cost: 4 })
    expect(limiter.inspect('k')).toMatchObject({
      count: 9,
      entries: [
        { atMs: 5, cost: 5 },
        { atMs: 50, cost: 4 },
      ],
    })
    expect(limiter.limit('k', { cost: 6 })).toMatchObject({ allowed: false, retryAfterMs: 55 })
  })

  it('keeps working when one key sees far more requests than its ring first holds', () => {
    const clock = new FakeClock()
    const limiter = new RateLimiter({
      algorithm: 'sliding-window-log',
      limit: 100,
      windowMs: 1000,
      clock: clock.now,
    })
    let admitted = 0
    for (let t = 0; t < 3000; t += 7) {
      clock.t = t
      if (limiter.limit('k').allowed) admitted++
    }
    // 100 in [0, 1000), the next 100 from 1000 once the first ones expire, and so on: 3 windows' worth.
    expect(admitted).toBe(300)
  })
})

describe('sliding-window-counter', () => {
  it('weights the previous window by its overlap', () => {
    const clock = new FakeClock()
    const limiter = new RateLimiter({
      algorithm: 'sliding-window-counter',
      limit: 10,
      windowMs: 1000,
      clock: clock.now,
    })
    clock.t = 500
    limiter.limit('k', { cost: 8 })
    clock.t = 1250 // previous 8 weighs 8 × 0.75 = 6: 4 left
    expect(limiter.peek('k', { cost: 0 }).remaining).toBe(4)
    expect(limiter.limit('k', { cost: 4 })).toMatchObject({ allowed: true, remaining: 0 })
    expect(limiter.inspect('k')).toMatchObject({ previous: 8, current: 4, estimate: 10 })
    // 6 + 4 + 1 > 10; the estimate is down to 9 when 8 × (1 − f) ≤ 5, f ≥ 0.375, t = 1375.
    expect(limiter.limit('k')).toMatchObject({ allowed: false, retryAfterMs: 125 })
  })

  it('shows its documented error: limit + P·f in a sliding window after a burst at a window end', () => {
    const clock = new FakeClock()
    const limiter = new RateLimiter({
      algorithm: 'sliding-window-counter',
      limit: 10,
      windowMs: 1000,
      clock: clock.now,
    })
    clock.t = 999
    let admitted = 0
    for (let i = 0; i < 10; i++) if (limiter.limit('k').allowed) admitted++
    clock.t = 1500 // f = 0.5: the 10 at t = 999 are still in (500, 1500], yet 5 more pass
    for (let i = 0; i < 10; i++) if (limiter.limit('k').allowed) admitted++
    expect(admitted).toBe(15)
  })
})

describe('token-bucket', () => {
  it('starts full, refills continuously, caps at burst', () => {
    const clock = new FakeClock()
    const limiter = new RateLimiter({
      algorithm: 'token-bucket',
      limit: 10,
      windowMs: 1000,
      burst: 3,
      clock: clock.now,
    })
    expect(limiter.limit('k', { cost: 3 })).toMatchObject({ allowed: true, remaining: 0, resetMs: 300 })
    expect(limiter.limit('k')).toMatchObject({ allowed: false, retryAfterMs: 100 })
    clock.t = 150
    expect(limiter.inspect('k')).toMatchObject({ tokens: 1.5, capacity: 3, refillPerMs: 0.01 })
    clock.t = 10_000
    expect(limiter.peek('k', { cost: 0 })).toMatchObject({ remaining: 3, resetMs: 0 })
  })

  it('rejects a cost above the burst with Infinity and changes nothing', () => {
    const limiter = new RateLimiter({ algorithm: 'token-bucket', limit: 10, windowMs: 1000, burst: 3 })
    expect(limiter.limit('k', { cost: 4 })).toMatchObject({
      allowed: false,
      remaining: 3,
      retryAfterMs: Infinity,
    })
    expect(limiter.store.has('k')).toBe(false)
    expect(limiter.limit('k', { cost: 3 }).allowed).toBe(true)
  })
})

describe('leaky-bucket', () => {
  it('queues up to maxQueue behind the one leaving, at a constant outflow', () => {
    const clock = new FakeClock()
    const limiter = new RateLimiter({
      algorithm: 'leaky-bucket',
      limit: 4,
      windowMs: 1000,
      maxQueue: 2,
      clock: clock.now,
    })
    expect(limiter.limit('k')).toMatchObject({ allowed: true, delayMs: 0, remaining: 2, limit: 3 })
    expect(limiter.limit('k')).toMatchObject({ allowed: true, delayMs: 250, remaining: 1 })
    expect(limiter.limit('k')).toMatchObject({ allowed: true, delayMs: 500, remaining: 0, resetMs: 750 })
    expect(limiter.limit('k')).toMatchObject({ allowed: false, retryAfterMs: 250 })
    expect(limiter.inspect('k')).toMatchObject({ queued: 3, drainsAtMs: 750, outflowIntervalMs: 250 })
  })

  it('schedule() resolves in order at the outflow rate and rejects when the queue is full', async () => {
    const limiter = new RateLimiter({ algorithm: 'leaky-bucket', limit: 50, windowMs: 1000, maxQueue: 2 })
    const order: number[] = []
    const started = Date.now()
    const jobs = [0, 1, 2].map((i) =>
      limiter.schedule('k').then((r) => {
        order.push(i)
        return r
      }),
    )
    await expect(limiter.schedule('k')).rejects.toMatchObject({
      name: 'RateLimitError',
      code: 'ERR_QUEUE_FULL',
    })
    const results = await Promise.all(jobs)
    expect(order).toEqual([0, 1, 2])
    expect(results.map((r) => r.delayMs)).toEqual([0, 20, 40])
    // A lower bound only: the third waited its two turns.
    expect(Date.now() - started).toBeGreaterThanOrEqual(39)
  })

  it('schedule() rejects a cost that can never fit, and aborts on a signal', async () => {
    const limiter = new RateLimiter({ algorithm: 'leaky-bucket', limit: 1, windowMs: 60_000, maxQueue: 1 })
    const err = await limiter.schedule('k', { cost: 3 }).catch((e: unknown) => e)
    expect(err).toMatchObject({ code: 'ERR_COST_EXCEEDS_CAPACITY', result: { retryAfterMs: Infinity } })
    await limiter.schedule('k')
    const controller = new AbortController()
    const waiting = limiter.schedule('k', { signal: controller.signal })
    controller.abort(new Error('client went away'))
    await expect(waiting).rejects.toThrow('client went away')
    const aborted = new AbortController()
    aborted.abort(new Error('already'))
    await expect(limiter.schedule('k', { signal: aborted.signal })).rejects.toThrow('already')
  })

  it('schedule() is for the leaky bucket only', async () => {
    const limiter = new RateLimiter({ algorithm: 'gcra', limit: 1, windowMs: 1000 })
    await expect(limiter.schedule('k')).rejects.toThrow(TypeError)
  })
})

describe('every algorithm', () => {
  it('reset() forgets a key', () => {
    for (const algorithm of ['fixed-window', 'sliding-window-log', 'gcra'] as const) {
      const limiter = new RateLimiter({ algorithm, limit: 1, windowMs: 60_000 })
      expect(limiter.limit('k').allowed).toBe(true)
      expect(limiter.limit('k').allowed).toBe(false)
      limiter.reset('k')
      limiter.reset('never-seen')
      expect(limiter.limit('k').allowed).toBe(true)
    }
  })

  it('cost 0 is always admitted and counts nothing', () => {
    const limiter = new RateLimiter({ algorithm: 'fixed-window', limit: 1, windowMs: 60_000 })
    limiter.limit('k')
    expect(limiter.limit('k', { cost: 0 })).toMatchObject({ allowed: true, remaining: 0 })
    expect(limiter.limit('new', { cost: 0 })).toMatchObject({ allowed: true, remaining: 1 })
    expect(limiter.store.has('new')).toBe(false)
  })

  it('survives a clock stepping backwards without admitting more', () => {
    for (const algorithm of [
      'fixed-window',
      'sliding-window-counter',
      'sliding-window-log',
      'token-bucket',
      'gcra',
    ] as const) {
      const clock = new FakeClock(10_000)
      const limiter = new RateLimiter({ algorithm, limit: 2, windowMs: 1000, clock: clock.now })
      expect(limiter.limit('k').allowed).toBe(true)
      expect(limiter.limit('k').allowed).toBe(true)
      clock.t = 8_000
      const r = limiter.limit('k')
      expect(r.allowed).toBe(false)
      expect(r.remaining).toBe(0)
    }
  })
})
