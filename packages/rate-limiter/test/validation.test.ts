import { describe, expect, it } from 'vitest'
import { ALGORITHMS, MemoryStore, RateLimitError, RateLimiter, rateLimitHeaders } from '../src/index.js'

const base = { algorithm: 'token-bucket', limit: 10, windowMs: 1000 } as const

describe('bad options throw TypeError / RangeError naming the option, the accepted range and the value', () => {
  it.each([
    [{ limit: 0 }, RangeError, '`limit` must be a positive integer, got 0'],
    [{ limit: -5 }, RangeError, '`limit` must be a positive integer, got -5'],
    [{ limit: 1.5 }, RangeError, '`limit` must be a positive integer, got 1.5'],
    [{ limit: Number.NaN }, RangeError, '`limit` must be a positive integer, got NaN'],
    [{ limit: Number.POSITIVE_INFINITY }, RangeError, '`limit` must be a positive integer, got Infinity'],
    [{ limit: '10' }, TypeError, '`limit` must be a positive integer, got "10"'],
    [{ limit: undefined }, TypeError, '`limit` must be a positive integer, got undefined'],
    [{ windowMs: 0 }, RangeError, '`windowMs` must be a positive integer, got 0'],
    [
      { windowMs: Number.POSITIVE_INFINITY },
      RangeError,
      '`windowMs` must be a positive integer, got Infinity',
    ],
    [{ windowMs: null }, TypeError, '`windowMs` must be a positive integer, got null'],
    [{ burst: 0 }, RangeError, '`burst` must be a positive integer, got 0'],
    [{ burst: -1 }, RangeError, '`burst` must be a positive integer, got -1'],
    [{ burst: Number.NaN }, RangeError, '`burst` must be a positive integer, got NaN'],
    [{ algorithm: 'fixed-window', burst: 5 }, TypeError, "`burst` applies to 'token-bucket' and 'gcra' only"],
    [
      { algorithm: 'leaky-bucket', maxQueue: -1 },
      RangeError,
      '`maxQueue` must be a non-negative integer, got -1',
    ],
    [{ maxQueue: 3 }, TypeError, "`maxQueue` applies to 'leaky-bucket' only"],
    [
      { algorithm: 'sliding-window' },
      TypeError,
      "`algorithm` must be one of 'fixed-window', 'sliding-window-log'",
    ],
    [{ algorithm: undefined }, TypeError, ', got undefined'],
    [{ limit: 2 ** 40, windowMs: 2 ** 20 }, RangeError, '`burst` × `windowMs` must be at most 2^52'],
    [{ name: 'a"b' }, RangeError, '`name` must be printable ASCII'],
    [{ name: 42 }, TypeError, '`name` must be a non-empty string, got 42'],
    [{ maxKeys: 0 }, RangeError, '`maxKeys` must be a positive integer, got 0'],
    [{ clock: 'now' }, TypeError, '`clock` must be a function, got "now"'],
    [
      { store: new MemoryStore(), maxKeys: 5 },
      TypeError,
      '`maxKeys` and `clock` configure the default memory store',
    ],
  ])('%o', (patch, Err, message) => {
    expect(() => new RateLimiter({ ...base, ...patch } as never)).toThrow(Err)
    expect(() => new RateLimiter({ ...base, ...patch } as never)).toThrow(message)
  })

  it('rejects a non-object', () => {
    expect(() => new RateLimiter(undefined as never)).toThrow(TypeError)
  })
})

// Every algorithm has its own check function (see memory-store.ts), so each one is held to the messages.
describe.each(ALGORITHMS)('bad arguments per call: %s', (algorithm) => {
  const limiter = new RateLimiter({ ...base, algorithm })
  it.each([
    [() => limiter.limit(''), RangeError, '`key` must be a non-empty string, got ""'],
    [() => limiter.limit(42 as never), TypeError, '`key` must be a non-empty string, got 42'],
    [() => limiter.limit(undefined as never), TypeError, '`key` must be a non-empty string, got undefined'],
    [() => limiter.limit('k', { cost: -1 }), RangeError, '`cost` must be a non-negative integer, got -1'],
    [() => limiter.limit('k', { cost: 0.5 }), RangeError, '`cost` must be a non-negative integer, got 0.5'],
    [
      () => limiter.limit('k', { cost: Number.NaN }),
      RangeError,
      '`cost` must be a non-negative integer, got NaN',
    ],
    [
      () => limiter.limit('k', { cost: '1' as never }),
      TypeError,
      '`cost` must be a non-negative integer, got "1"',
    ],
    [() => limiter.peek(''), RangeError, '`key`'],
    [() => limiter.peek('k', { cost: -2 }), RangeError, '`cost`'],
    [() => limiter.reset(''), RangeError, '`key`'],
    [() => limiter.inspect(null as never), TypeError, '`key`'],
  ])('%#', (call, Err, message) => {
    expect(call).toThrow(Err)
    expect(call).toThrow(message)
  })
})

describe('after bad arguments', () => {
  it('a bad call leaves the limiter consistent', () => {
    const l = new RateLimiter({ algorithm: 'fixed-window', limit: 2, windowMs: 60_000 })
    l.limit('k')
    expect(() => l.limit('k', { cost: -1 })).toThrow(RangeError)
    expect(l.limit('k')).toMatchObject({ allowed: true, remaining: 0 })
  })

  it('a memory store serves one limiter', () => {
    const store = new MemoryStore()
    new RateLimiter({ ...base, store })
    let err: unknown
    try {
      new RateLimiter({ ...base, store })
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(RateLimitError)
    expect(err).toMatchObject({ code: 'ERR_STORE_IN_USE', name: 'RateLimitError' })
  })

  it('rateLimitHeaders checks its arguments', () => {
    expect(() => rateLimitHeaders(null as never, { limit: 1, windowMs: 1 })).toThrow(TypeError)
    expect(() => rateLimitHeaders(new RateLimiter(base).peek('k'), undefined as never)).toThrow(TypeError)
  })
})
