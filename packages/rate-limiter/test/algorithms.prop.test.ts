import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ALGORITHMS, type AlgorithmName } from '../src/index.js'
import {
  arrivalsArb,
  type Config,
  capacityOf,
  configArb,
  FakeClock,
  limiterFor,
  run,
  runs,
  type Step,
  startArb,
} from './helpers.js'

const scenario = (algorithm: AlgorithmName) =>
  configArb(algorithm).chain((config) =>
    fc.record({ config: fc.constant(config), arrivals: arrivalsArb(config), start: startArb }),
  )

const admitted = (steps: Step[]) => steps.filter((s) => s.result.allowed && s.cost > 0)

describe.each(ALGORITHMS)('%s: properties every algorithm keeps', (algorithm) => {
  it('results are well formed: remaining in [0, limit], whole ms, Infinity exactly for costs above the limit', () => {
    fc.assert(
      fc.property(scenario(algorithm), ({ config, arrivals, start }) => {
        const clock = new FakeClock(start)
        for (const { cost, result: r } of run(limiterFor(config, clock), clock, arrivals)) {
          expect(r.limit).toBe(capacityOf(config))
          expect(Number.isInteger(r.remaining) && r.remaining >= 0 && r.remaining <= r.limit).toBe(true)
          expect(Number.isInteger(r.resetMs) && r.resetMs >= 0).toBe(true)
          expect(Number.isInteger(r.delayMs) && r.delayMs >= 0).toBe(true)
          if (algorithm !== 'leaky-bucket') expect(r.delayMs).toBe(0)
          if (r.allowed) expect(r.retryAfterMs).toBe(0)
          else if (cost > r.limit) expect(r.retryAfterMs).toBe(Number.POSITIVE_INFINITY)
          else expect(Number.isInteger(r.retryAfterMs) && r.retryAfterMs >= 1).toBe(true)
          if (cost > r.limit) expect(r.allowed).toBe(false)
          if (cost === 0) expect(r.allowed).toBe(true)
        }
      }),
      { numRuns: runs(150, 1000) },
    )
  })

  it('rejected requests change no state: a twin that only sees the admitted ones answers identically', () => {
    fc.assert(
      fc.property(scenario(algorithm), ({ config, arrivals, start }) => {
        const clock = new FakeClock(start)
        const steps = run(limiterFor(config, clock), clock, arrivals)
        const twinClock = new FakeClock(start)
        const twin = limiterFor(config, twinClock)
        for (const s of steps) {
          if (!s.result.allowed) continue
          twinClock.t = s.at
          expect(twin.limit('k', { cost: s.cost })).toEqual(s.result)
        }
      }),
      { numRuns: runs(150, 1000) },
    )
  })

  it('peek() and inspect() change no state and peek() answers what limit() then does', () => {
    fc.assert(
      fc.property(
        scenario(algorithm),
        fc.infiniteStream(fc.boolean()),
        ({ config, arrivals, start }, peeks) => {
          const clock = new FakeClock(start)
          const a = limiterFor(config, clock)
          const bClock = new FakeClock(start)
          const b = limiterFor(config, bClock)
          const peek = peeks[Symbol.iterator]()
          for (const { dt, cost } of arrivals) {
            clock.t += dt
            bClock.t = clock.t
            let predicted: unknown
            if (peek.next().value) {
              a.inspect('k')
              predicted = a.peek('k', { cost })
            }
            const r = a.limit('k', { cost })
            if (predicted !== undefined) expect(r).toEqual(predicted)
            expect(b.limit('k', { cost })).toEqual(r)
          }
        },
      ),
      { numRuns: runs(100, 500) },
    )
  })

  it('retryAfterMs is exact: the same request passes at now + retryAfterMs and not 1 ms earlier', () => {
    fc.assert(
      fc.property(scenario(algorithm), ({ config, arrivals, start }) => {
        const clock = new FakeClock(start)
        const limiter = limiterFor(config, clock)
        for (const { dt, cost } of arrivals) {
          clock.t += dt
          const r = limiter.limit('k', { cost })
          if (r.allowed || r.retryAfterMs === Number.POSITIVE_INFINITY) continue
          const now = clock.t
          clock.t = now + r.retryAfterMs
          expect(limiter.peek('k', { cost }).allowed).toBe(true)
          clock.t = now + r.retryAfterMs - 1
          expect(limiter.peek('k', { cost }).allowed).toBe(false)
          clock.t = now
        }
      }),
      { numRuns: runs(150, 1000) },
    )
  })

  it('resetMs is exact: the key is back to full at now + resetMs and not 1 ms earlier', () => {
    fc.assert(
      fc.property(scenario(algorithm), ({ config, arrivals, start }) => {
        const clock = new FakeClock(start)
        const limiter = limiterFor(config, clock)
        for (const { dt, cost } of arrivals) {
          clock.t += dt
          const r = limiter.limit('k', { cost })
          const now = clock.t
          clock.t = now + r.resetMs
          expect(limiter.peek('k', { cost: 0 }).remaining).toBe(r.limit)
          if (r.resetMs > 0) {
            clock.t = now + r.resetMs - 1
            expect(limiter.peek('k', { cost: 0 }).remaining).toBeLessThan(r.limit)
          }
          clock.t = now
        }
      }),
      { numRuns: runs(150, 1000) },
    )
  })

  it('keys are independent', () => {
    fc.assert(
      fc.property(
        scenario(algorithm),
        fc.infiniteStream(fc.constantFrom('a', 'b')),
        ({ config, arrivals, start }, keys) => {
          const clock = new FakeClock(start)
          const shared = limiterFor(config, clock)
          const alone = { a: limiterFor(config, clock), b: limiterFor(config, clock) }
          const key = keys[Symbol.iterator]()
          for (const { dt, cost } of arrivals) {
            clock.t += dt
            const k = key.next().value as 'a' | 'b'
            expect(shared.limit(k, { cost })).toEqual(alone[k].limit('k', { cost }))
          }
        },
      ),
      { numRuns: runs(60, 300) },
    )
  })
})

// The bounds, exactly as the docs state them.

const sumCosts = (steps: Step[], from: number, to: number) =>
  steps.filter((s) => s.at >= from && s.at <= to).reduce((n, s) => n + s.cost, 0)

describe('fixed-window bound', () => {
  it('admits at most `limit` in every aligned window [k·W, (k+1)·W)', () => {
    fc.assert(
      fc.property(scenario('fixed-window'), ({ config, arrivals, start }) => {
        const clock = new FakeClock(start)
        const ok = admitted(run(limiterFor(config, clock), clock, arrivals))
        const perWindow = new Map<number, number>()
        for (const s of ok) {
          const w = Math.floor(s.at / config.windowMs)
          perWindow.set(w, (perWindow.get(w) ?? 0) + s.cost)
        }
        for (const n of perWindow.values()) expect(n).toBeLessThanOrEqual(config.limit)
      }),
      { numRuns: runs(200, 2000) },
    )
  })
})

describe('sliding-window-log bound', () => {
  it('admits at most `limit` in every window (t − W, t]', () => {
    fc.assert(
      fc.property(scenario('sliding-window-log'), ({ config, arrivals, start }) => {
        const clock = new FakeClock(start)
        const ok = admitted(run(limiterFor(config, clock), clock, arrivals))
        for (const s of ok)
          expect(sumCosts(ok, s.at - config.windowMs + 1, s.at)).toBeLessThanOrEqual(config.limit)
      }),
      { numRuns: runs(200, 2000) },
    )
  })

  it('is exact: a request is rejected only if admitting it would break that bound', () => {
    fc.assert(
      fc.property(scenario('sliding-window-log'), ({ config, arrivals, start }) => {
        const clock = new FakeClock(start)
        const steps = run(limiterFor(config, clock), clock, arrivals)
        const ok: Step[] = []
        for (const s of steps) {
          const inWindow = sumCosts(ok, s.at - config.windowMs + 1, s.at)
          expect(s.result.allowed).toBe(inWindow + s.cost <= config.limit)
          if (s.result.allowed && s.cost > 0) ok.push(s)
        }
      }),
      { numRuns: runs(200, 2000) },
    )
  })
})

describe('sliding-window-counter bound', () => {
  it('admits at most `limit` per aligned window, and at most limit + P·f (< 2·limit) in any sliding window', () => {
    fc.assert(
      fc.property(scenario('sliding-window-counter'), ({ config, arrivals, start }) => {
        const W = config.windowMs
        const L = config.limit
        const clock = new FakeClock(start)
        const ok = admitted(run(limiterFor(config, clock), clock, arrivals))
        for (const s of ok) {
          const ws = s.at - (s.at % W)
          expect(sumCosts(ok, ws, ws + W - 1)).toBeLessThanOrEqual(L)
          const previous = sumCosts(ok, ws - W, ws - 1)
          const sliding = sumCosts(ok, s.at - W + 1, s.at)
          // sliding ≤ L + previous × (t − ws) / W, in integers
          expect((sliding - L) * W).toBeLessThanOrEqual(previous * (s.at - ws))
          expect(sliding).toBeLessThan(2 * L)
        }
      }),
      { numRuns: runs(200, 2000) },
    )
  })

  it('decides on the documented estimate: previous × (1 − f) + current + cost ≤ limit', () => {
    fc.assert(
      fc.property(scenario('sliding-window-counter'), ({ config, arrivals, start }) => {
        const W = config.windowMs
        const clock = new FakeClock(start)
        const steps = run(limiterFor(config, clock), clock, arrivals)
        const ok: Step[] = []
        for (const s of steps) {
          const ws = s.at - (s.at % W)
          const current = sumCosts(ok, ws, s.at)
          const previous = sumCosts(ok, ws - W, ws - 1)
          const estimateW = previous * (W - (s.at - ws)) + current * W
          expect(s.result.allowed).toBe(estimateW + s.cost * W <= config.limit * W)
          if (s.result.allowed && s.cost > 0) ok.push(s)
        }
      }),
      { numRuns: runs(200, 2000) },
    )
  })
})

function bucketBound(algorithm: 'token-bucket' | 'gcra') {
  it('admits at most burst + rate × elapsed over every interval [t_i, t_j]', () => {
    fc.assert(
      fc.property(scenario(algorithm), ({ config, arrivals, start }) => {
        const burst = capacityOf(config)
        const clock = new FakeClock(start)
        const ok = admitted(run(limiterFor(config, clock), clock, arrivals))
        for (const a of ok)
          for (const b of ok) {
            if (b.at < a.at) continue
            // sum ≤ burst + limit × (b − a) / W, in integers
            expect(sumCosts(ok, a.at, b.at) * config.windowMs).toBeLessThanOrEqual(
              burst * config.windowMs + (b.at - a.at) * config.limit,
            )
          }
      }),
      { numRuns: runs(200, 2000) },
    )
  })
}

describe('token-bucket bound', () => {
  bucketBound('token-bucket')
})

describe('gcra bound', () => {
  bucketBound('gcra')

  it('makes the same decisions, with the same figures, as the token bucket', () => {
    fc.assert(
      fc.property(scenario('gcra'), ({ config, arrivals, start }) => {
        const c1 = new FakeClock(start)
        const c2 = new FakeClock(start)
        const g = run(limiterFor(config, c1), c1, arrivals)
        const t = run(limiterFor({ ...config, algorithm: 'token-bucket' }, c2), c2, arrivals)
        expect(g.map((s) => s.result)).toEqual(t.map((s) => s.result))
      }),
      { numRuns: runs(200, 2000) },
    )
  })
})

describe('leaky-bucket bound', () => {
  it('starts admitted requests in order, spaced by their cost × W / L (less < 1 ms rounding), waits ≤ maxQueue slots', () => {
    fc.assert(
      fc.property(scenario('leaky-bucket'), ({ config, arrivals, start }) => {
        const L = config.limit
        const W = config.windowMs
        const cap = capacityOf(config)
        const clock = new FakeClock(start)
        const ok = run(limiterFor(config, clock), clock, arrivals).filter((s) => s.result.allowed)
        for (const s of ok)
          if (s.result.delayMs > 0) expect((s.result.delayMs - 1) * L).toBeLessThan((cap - s.cost) * W)
        for (let i = 0; i < ok.length; i++) {
          let costs = 0
          for (let j = i + 1; j < ok.length; j++) {
            costs += ok[j - 1]!.cost
            const si = ok[i]!.at + ok[i]!.result.delayMs
            const sj = ok[j]!.at + ok[j]!.result.delayMs
            expect(sj).toBeGreaterThanOrEqual(si)
            expect(costs * W).toBeLessThan((sj - si + 1) * L)
          }
        }
      }),
      { numRuns: runs(200, 2000) },
    )
  })

  it('follows the constant-outflow schedule exactly: start = ceil(max(arrival, previous end)), full past maxQueue', () => {
    fc.assert(
      fc.property(scenario('leaky-bucket'), ({ config, arrivals, start }) => {
        const L = config.limit
        const W = config.windowMs
        const cap = capacityOf(config)
        const clock = new FakeClock(start)
        // Times × L are integers: the queue drains at `end`, one cost unit taking W / L ms.
        let end = 0
        for (const s of run(limiterFor(config, clock), clock, arrivals)) {
          const begin = Math.max(s.at * L, end)
          const waiting = begin - s.at * L // backlog ahead of this request, × L
          expect(s.result.allowed).toBe(waiting + s.cost * W <= cap * W)
          if (!s.result.allowed) continue
          expect(s.result.delayMs).toBe(Math.ceil(waiting / L))
          end = begin + s.cost * W
        }
      }),
      { numRuns: runs(200, 2000) },
    )
  })

  it('admits exactly what a GCRA meter of burst maxQueue + 1 admits (the queue is the meter, delayed)', () => {
    fc.assert(
      fc.property(scenario('leaky-bucket'), ({ config, arrivals, start }) => {
        const c1 = new FakeClock(start)
        const c2 = new FakeClock(start)
        const meter: Config = {
          algorithm: 'gcra',
          limit: config.limit,
          windowMs: config.windowMs,
          burst: capacityOf(config),
        }
        const q = run(limiterFor(config, c1), c1, arrivals)
        const g = run(limiterFor(meter, c2), c2, arrivals)
        expect(q.map((s) => ({ ...s.result, delayMs: 0 }))).toEqual(g.map((s) => s.result))
      }),
      { numRuns: runs(200, 2000) },
    )
  })
})
