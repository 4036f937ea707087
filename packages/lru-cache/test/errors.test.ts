import { describe, expect, test } from 'vitest'
import { LRUCache, type LRUCacheOptions } from '../src/index.js'

// Every argument error: the right class, a message naming the option, what is accepted and
// what was received.

const make = (options: unknown) => () => new LRUCache(options as LRUCacheOptions<string, string>)

describe('constructor', () => {
  test('options must be an object', () => {
    expect(make(undefined)).toThrow(new TypeError('`options` must be an object, got undefined'))
    expect(make(null)).toThrow(new TypeError('`options` must be an object, got null'))
    expect(make(5)).toThrow(new TypeError('`options` must be an object, got 5'))
  })

  test('at least one of max, maxSize or ttl must bound the cache', () => {
    const message = (max: string, maxSize: string, ttl: string) =>
      new TypeError(
        `one of \`max\`, \`maxSize\` or \`ttl\` must bound the cache, got max: ${max}, maxSize: ${maxSize}, ttl: ${ttl}`,
      )
    expect(make({})).toThrow(message('undefined', 'undefined', 'undefined'))
    expect(make({ max: 0 })).toThrow(message('0', 'undefined', 'undefined'))
    expect(make({ max: Number.POSITIVE_INFINITY })).toThrow(message('Infinity', 'undefined', 'undefined'))
    expect(make({ maxSize: Number.POSITIVE_INFINITY, sizeCalculation: () => 1 })).toThrow(
      message('undefined', 'Infinity', 'undefined'),
    )
    expect(make({ ttl: Number.POSITIVE_INFINITY })).toThrow(message('undefined', 'undefined', 'Infinity'))
  })

  test.each([
    ['max', -1, RangeError, '-1'],
    ['max', 1.5, RangeError, '1.5'],
    ['max', Number.NaN, RangeError, 'NaN'],
    ['max', '10', TypeError, '"10"'],
    ['max', 2 ** 60, RangeError, '1152921504606847000'],
    ['maxSize', -5, RangeError, '-5'],
    ['maxSize', '5', TypeError, '"5"'],
    ['maxEntrySize', 0.5, RangeError, '0.5'],
    ['maxEntrySize', true, TypeError, 'true'],
  ] as const)('%s = %s', (option, value, ErrorClass, got) => {
    expect(make({ max: 10, [option]: value })).toThrow(
      new ErrorClass(`\`${option}\` must be a positive integer or Infinity, got ${got}`),
    )
  })

  test.each([
    [-1, RangeError, '-1'],
    [1.5, RangeError, '1.5'],
    [Number.NEGATIVE_INFINITY, RangeError, '-Infinity'],
    ['60s', TypeError, '"60s"'],
  ] as const)('ttl = %s', (value, ErrorClass, got) => {
    expect(make({ max: 10, ttl: value })).toThrow(
      new ErrorClass(`\`ttl\` must be a positive integer (ms), 0 or Infinity, got ${got}`),
    )
  })

  test('ttlResolution and backgroundFetchSize', () => {
    expect(make({ max: 1, ttlResolution: -1 })).toThrow(
      new RangeError('`ttlResolution` must be a non-negative integer, got -1'),
    )
    expect(make({ max: 1, backgroundFetchSize: 0 })).toThrow(
      new RangeError('`backgroundFetchSize` must be a positive integer, got 0'),
    )
  })

  test.each(['sizeCalculation', 'dispose', 'disposeAfter', 'fetchMethod', 'memoMethod'])(
    '%s must be a function',
    (option) => {
      expect(make({ max: 1, maxSize: 10, [option]: 'nope' })).toThrow(
        new TypeError(`\`${option}\` must be a function, got "nope"`),
      )
    },
  )

  test('sizeCalculation needs maxSize or maxEntrySize', () => {
    expect(make({ max: 10, sizeCalculation: () => 1 })).toThrow(
      new TypeError(
        '`sizeCalculation` needs `maxSize` or `maxEntrySize`, got maxSize: undefined, maxEntrySize: undefined',
      ),
    )
  })

  test('perf must have now()', () => {
    expect(make({ max: 1, perf: {} })).toThrow(
      new TypeError('`perf` must be an object with a now() method, got an object'),
    )
    expect(make({ max: 1, perf: 3 })).toThrow(
      new TypeError('`perf` must be an object with a now() method, got 3'),
    )
  })
})

describe('methods', () => {
  test('set rejects undefined and null keys', () => {
    const cache = new LRUCache<string, string>({ max: 2 })
    expect(() => cache.set(undefined as unknown as string, 'v')).toThrow(
      new TypeError('`key` must not be undefined or null, got undefined'),
    )
    expect(() => cache.set(null as unknown as string, 'v')).toThrow(
      new TypeError('`key` must not be undefined or null, got null'),
    )
    expect(cache.size).toBe(0)
  })

  test('set options: ttl, start, size, sizeCalculation, and the options object itself', () => {
    const cache = new LRUCache<string, string>({ max: 2 })
    expect(() => cache.set('k', 'v', { ttl: -3 })).toThrow(
      new RangeError('`ttl` must be a positive integer (ms), 0 or Infinity, got -3'),
    )
    expect(() => cache.set('k', 'v', { start: Number.NaN })).toThrow(
      new RangeError('`start` must be a finite number, got NaN'),
    )
    expect(() => cache.set('k', 'v', 'x' as never)).toThrow(
      new TypeError('`options` must be an object, got "x"'),
    )
    expect(() => cache.set('k', 'v', { size: 3 })).toThrow(
      new TypeError(
        '`size` and `sizeCalculation` need `maxSize` or `maxEntrySize` on the cache, got size: 3',
      ),
    )
    expect(() => cache.set('k', 'v', { sizeCalculation: () => 1 })).toThrow(
      new TypeError(
        '`size` and `sizeCalculation` need `maxSize` or `maxEntrySize` on the cache, got size: undefined',
      ),
    )
    expect(cache.size).toBe(0)
  })

  test('sized caches: size is required, must be a positive integer, and so must sizeCalculation results', () => {
    const sized = new LRUCache<string, string>({ maxSize: 10 })
    expect(() => sized.set('k', 'v')).toThrow(
      new TypeError(
        '`size` or `sizeCalculation` is required when `maxSize` or `maxEntrySize` is set, got size: undefined',
      ),
    )
    expect(() => sized.set('k', 'v', { size: -2 })).toThrow(
      new RangeError('`size` must be a positive integer, got -2'),
    )
    expect(() => sized.set('k', 'v', { size: 1.5 })).toThrow(
      new RangeError('`size` must be a positive integer, got 1.5'),
    )
    expect(() => sized.set('k', 'v', { sizeCalculation: 7 as never })).toThrow(
      new TypeError('`sizeCalculation` must be a function, got 7'),
    )
    for (const [result, ErrorClass, got] of [
      [0, RangeError, '0'],
      [-1, RangeError, '-1'],
      [Number.NaN, RangeError, 'NaN'],
      ['3', TypeError, '"3"'],
      [undefined, TypeError, 'undefined'],
    ] as const) {
      expect(() => sized.set('k', 'v', { sizeCalculation: () => result as number })).toThrow(
        new ErrorClass(`\`sizeCalculation\` must return a positive integer, got ${got}`),
      )
    }
    expect(sized.size).toBe(0)
    expect(sized.calculatedSize).toBe(0)
  })

  test('resize', () => {
    const cache = new LRUCache<string, string>({ max: 2 })
    expect(() => cache.resize(0)).toThrow(
      new RangeError('`max` must be a positive integer or Infinity, got 0'),
    )
    expect(() => cache.resize(-4)).toThrow(
      new RangeError('`max` must be a positive integer or Infinity, got -4'),
    )
    expect(() => cache.resize('3' as never)).toThrow(
      new TypeError('`max` must be a positive integer or Infinity, got "3"'),
    )
    expect(() => cache.resize(Number.POSITIVE_INFINITY)).toThrow(
      new TypeError(
        '`max` can be Infinity only when `maxSize` or `ttl` bounds the cache, got max: Infinity, maxSize: 0, ttl: 0',
      ),
    )
    expect(cache.max).toBe(2)
    const sized = new LRUCache<string, string>({ max: 2, maxSize: 10, sizeCalculation: () => 1 })
    sized.resize(Number.POSITIVE_INFINITY)
    expect(sized.max).toBe(Number.POSITIVE_INFINITY)
  })

  test('memo needs memoMethod; load needs an iterable', () => {
    const cache = new LRUCache<string, string>({ max: 2 })
    expect(() => cache.memo('k')).toThrow(
      new TypeError('`memoMethod` is required to call memo(), got undefined'),
    )
    expect(() => cache.load(5 as never)).toThrow(
      new TypeError('`entries` must be an iterable of [key, entry] pairs, got 5'),
    )
  })
})
