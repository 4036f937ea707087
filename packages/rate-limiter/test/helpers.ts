import fc from 'fast-check'
import {
  type AlgorithmName,
  type LimitOptions,
  type MemoryStore,
  RateLimiter,
  type RateLimiterOptions,
  type RateLimitResult,
  type Store,
  type StoreBinding,
} from '../src/index.js'

/** A clock the test moves by hand. */
export class FakeClock {
  t: number
  constructor(start = 0) {
    this.t = start
  }
  readonly now = (): number => this.t
}

export interface Arrival {
  dt: number
  cost: number
}

export interface Step extends Arrival {
  at: number
  result: RateLimitResult
}

export interface Config {
  algorithm: AlgorithmName
  limit: number
  windowMs: number
  burst?: number
  maxQueue?: number
}

export const runs = (small: number, big: number): number => (process.env.CI ? big : small)

export function limiterFor(config: Config, clock: FakeClock, maxKeys = 1000): RateLimiter {
  const options: RateLimiterOptions = {
    algorithm: config.algorithm,
    limit: config.limit,
    windowMs: config.windowMs,
    clock: clock.now,
    maxKeys,
  }
  if (config.burst !== undefined) options.burst = config.burst
  if (config.maxQueue !== undefined) options.maxQueue = config.maxQueue
  return new RateLimiter(options)
}

export function capacityOf(config: Config): number {
  if (config.algorithm === 'leaky-bucket') return (config.maxQueue ?? config.limit) + 1
  return config.burst ?? config.limit
}

/** Small limits and windows (so arrivals cross many windows), odd ones (so T = W / L is fractional). */
export function configArb(algorithm: AlgorithmName): fc.Arbitrary<Config> {
  const base = fc.record({
    limit: fc.integer({ min: 1, max: 8 }),
    windowMs: fc.oneof(fc.integer({ min: 1, max: 40 }), fc.constantFrom(100, 333, 1000, 86_400_000)),
  })
  if (algorithm === 'token-bucket' || algorithm === 'gcra')
    return fc
      .tuple(base, fc.option(fc.integer({ min: 1, max: 10 }), { nil: undefined }))
      .map(([b, burst]) => (burst === undefined ? { algorithm, ...b } : { algorithm, ...b, burst }))
  if (algorithm === 'leaky-bucket')
    return fc
      .tuple(base, fc.option(fc.integer({ min: 0, max: 6 }), { nil: undefined }))
      .map(([b, maxQueue]) => (maxQueue === undefined ? { algorithm, ...b } : { algorithm, ...b, maxQueue }))
  return base.map((b) => ({ algorithm, ...b }))
}

/** Random arrivals: bursts (dt 0), gaps around the window, and costs from 0 to just above the capacity. */
export function arrivalsArb(config: Config): fc.Arbitrary<Arrival[]> {
  const W = config.windowMs
  const cap = capacityOf(config)
  const dt = fc.oneof(
    { weight: 3, arbitrary: fc.constant(0) },
    { weight: 4, arbitrary: fc.integer({ min: 1, max: Math.max(1, Math.ceil(W / 4)) }) },
    { weight: 2, arbitrary: fc.integer({ min: 0, max: 2 * W }) },
    { weight: 1, arbitrary: fc.constantFrom(W - 1, W, W + 1) },
  )
  const cost = fc.oneof(
    { weight: 6, arbitrary: fc.constant(1) },
    { weight: 3, arbitrary: fc.integer({ min: 0, max: cap }) },
    { weight: 1, arbitrary: fc.constant(cap + 1) },
  )
  return fc.array(fc.record({ dt, cost }), { minLength: 1, maxLength: 60 })
}

/** Where the clock starts: 0, somewhere, or a realistic epoch time (large numbers stay exact). */
export const startArb: fc.Arbitrary<number> = fc.oneof(
  fc.constant(0),
  fc.integer({ min: 0, max: 1_000_000 }),
  fc.constant(1_700_000_000_123),
)

export function run(limiter: RateLimiter, clock: FakeClock, arrivals: readonly Arrival[], key = 'k'): Step[] {
  const steps: Step[] = []
  for (const a of arrivals) {
    clock.t += a.dt
    steps.push({ ...a, at: clock.t, result: limiter.limit(key, { cost: a.cost }) })
  }
  return steps
}

/**
 * A store handing the limiter a memory store's four binding operations, and no `check` unless `check`
 * builds one from the memory binding (so the limiter runs its generic `limit` by default).
 */
export function forwardingStore(
  inner: MemoryStore,
  check?: (b: StoreBinding<'sync'>) => (key: string, options?: LimitOptions) => RateLimitResult,
): Store<'sync'> {
  return {
    mode: 'sync',
    bind(policy) {
      const b = inner.bind(policy)
      const ops: StoreBinding<'sync'> = {
        limit: (key, cost) => b.limit(key, cost),
        peek: (key, cost) => b.peek(key, cost),
        reset: (key) => b.reset(key),
        inspect: (key) => b.inspect(key),
      }
      return check === undefined ? ops : { ...ops, check: check(b) }
    },
  }
}
