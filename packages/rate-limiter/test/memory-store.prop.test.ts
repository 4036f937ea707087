import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ALGORITHMS, type AlgorithmName, MemoryStore, RateLimiter } from '../src/index.js'
import { configArb, FakeClock, forwardingStore, runs } from './helpers.js'

// Model-based test of key tracking. The model is trivially correct: an array in recency order (most recent
// first) where every check moves its key to the front, capped at maxKeys by dropping the last; and, for
// each tracked key, its own limiter that never forgets (so the real store must answer exactly like a
// fresh limiter for a key it evicted, and like the model's limiter otherwise).

interface Model {
  order: string[]
  refs: Map<string, RateLimiter>
  evictions: number
}
interface Real {
  limiter: RateLimiter<MemoryStore>
  clock: FakeClock
  make: () => RateLimiter
}

const isIdle = (ref: RateLimiter) => ref.peek('k', { cost: 0 }).resetMs === 0

function checkKeys(m: Model, r: Real) {
  expect(r.limiter.store.keys()).toEqual(m.order)
  expect(r.limiter.store.size).toBe(m.order.length)
  expect(r.limiter.store.evictions).toBe(m.evictions)
}

class Limit implements fc.Command<Model, Real> {
  constructor(
    readonly key: string,
    readonly cost: number,
  ) {}
  check = () => true
  run(m: Model, r: Real) {
    const got = r.limiter.limit(this.key, { cost: this.cost })
    let ref = m.refs.get(this.key)
    const tracked = ref !== undefined
    ref ??= r.make()
    const want = ref.limit('k', { cost: this.cost })
    expect(got).toEqual(want)
    if (tracked) m.order = [this.key, ...m.order.filter((k) => k !== this.key)]
    else if (this.cost > 0 && want.allowed) {
      if (m.order.length === r.limiter.store.maxKeys) {
        const victim = m.order.pop()!
        if (!isIdle(m.refs.get(victim)!)) m.evictions++
        m.refs.delete(victim)
      }
      m.order.unshift(this.key)
      m.refs.set(this.key, ref)
    }
    checkKeys(m, r)
  }
  toString = () => `limit(${this.key}, ${this.cost})`
}

class Peek implements fc.Command<Model, Real> {
  constructor(readonly key: string) {}
  check = () => true
  run(m: Model, r: Real) {
    const ref = m.refs.get(this.key) ?? r.make()
    expect(r.limiter.peek(this.key)).toEqual(ref.peek('k'))
    expect(r.limiter.inspect(this.key)).toEqual(ref.inspect('k'))
    checkKeys(m, r)
  }
  toString = () => `peek(${this.key})`
}

class Reset implements fc.Command<Model, Real> {
  constructor(readonly key: string) {}
  check = () => true
  run(m: Model, r: Real) {
    r.limiter.reset(this.key)
    m.refs.delete(this.key)
    m.order = m.order.filter((k) => k !== this.key)
    checkKeys(m, r)
  }
  toString = () => `reset(${this.key})`
}

class Advance implements fc.Command<Model, Real> {
  constructor(readonly ms: number) {}
  check = () => true
  run(m: Model, r: Real) {
    r.clock.t += this.ms
    checkKeys(m, r)
  }
  toString = () => `advance(${this.ms})`
}

class Prune implements fc.Command<Model, Real> {
  check = () => true
  run(m: Model, r: Real) {
    const idle = m.order.filter((k) => isIdle(m.refs.get(k)!))
    expect(r.limiter.store.prune()).toBe(idle.length)
    for (const k of idle) m.refs.delete(k)
    m.order = m.order.filter((k) => !idle.includes(k))
    checkKeys(m, r)
  }
  toString = () => 'prune()'
}

class Clear implements fc.Command<Model, Real> {
  check = () => true
  run(m: Model, r: Real) {
    r.limiter.store.clear()
    m.refs.clear()
    m.order = []
    checkKeys(m, r)
  }
  toString = () => 'clear()'
}

describe.each(ALGORITHMS)('memory store key tracking, model-based (%s)', (algorithm: AlgorithmName) => {
  it('tracks keys in LRU order, evicts the least recent when full, forgets idle keys on prune', () => {
    const key = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f')
    fc.assert(
      fc.property(
        configArb(algorithm),
        fc.integer({ min: 1, max: 4 }),
        fc.commands(
          [
            key.chain((k) => fc.integer({ min: 0, max: 3 }).map((c) => new Limit(k, c))),
            key.map((k) => new Limit(k, 1)),
            key.map((k) => new Peek(k)),
            key.map((k) => new Reset(k)),
            fc.integer({ min: 0, max: 60 }).map((ms) => new Advance(ms)),
            fc.constant(new Prune()),
            fc.constant(new Clear()),
          ],
          { maxCommands: 80 },
        ),
        (config, maxKeys, cmds) => {
          const clock = new FakeClock(1000)
          const store = new MemoryStore({ maxKeys, clock: clock.now })
          const limiter = new RateLimiter({ ...config, store })
          const make = () => new RateLimiter({ ...config, clock: clock.now })
          fc.modelRun(
            () => ({ model: { order: [], refs: new Map(), evictions: 0 }, real: { limiter, clock, make } }),
            cmds,
          )
        },
      ),
      { numRuns: runs(60, 300) },
    )
  })
})

// The memory store runs limit() as one function per algorithm (its binding's `check`), and the rest (peek,
// a store wrapping the binding and calling its generic limit(key, cost)) through one shared transition.
// Both must give the same answers and leave the same state: random checks on a few keys, with eviction
// (maxKeys below the number of keys), zero costs and costs above the capacity.
describe("the memory store's per-algorithm check and its generic limit()", () => {
  it.each(ALGORITHMS)('%s: same results, same keys, same state', (algorithm) => {
    fc.assert(
      fc.property(
        configArb(algorithm),
        fc.integer({ min: 1, max: 3 }),
        fc.array(
          fc.record({
            key: fc.constantFrom('a', 'b', 'c', 'd'),
            cost: fc.oneof(fc.constant(1), fc.integer({ min: 0, max: 12 })),
            dt: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 50 })),
          }),
          { maxLength: 60 },
        ),
        (config, maxKeys, steps) => {
          const clock = new FakeClock(1_700_000_000_000)
          const direct = new RateLimiter({ ...config, store: new MemoryStore({ maxKeys, clock: clock.now }) })
          const inner = new MemoryStore({ maxKeys, clock: clock.now })
          // A store that hands the limiter the memory binding's four operations, not its `check`.
          const generic = new RateLimiter({ ...config, store: forwardingStore(inner) })
          for (const { key, cost, dt } of steps) {
            clock.t += dt
            expect(direct.limit(key, { cost })).toEqual(generic.limit(key, { cost }))
            expect(direct.store.keys()).toEqual(inner.keys())
            expect(direct.store.evictions).toBe(inner.evictions)
            for (const k of ['a', 'b', 'c', 'd']) expect(direct.inspect(k)).toEqual(generic.inspect(k))
          }
        },
      ),
      { numRuns: runs(40, 200) },
    )
  })
})
