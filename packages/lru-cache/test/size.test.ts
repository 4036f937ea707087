import { describe, expect, test } from 'vitest'
import { type DisposeReason, LRUCache } from '../src/index.js'

describe('sizing by bytes: maxSize, sizeCalculation, maxEntrySize', () => {
  const bytes = (s: string) => Buffer.byteLength(s)

  test('evicts least recently used entries until the total size fits', () => {
    const evicted: string[] = []
    const cache = new LRUCache<string, string>({
      maxSize: 10,
      sizeCalculation: bytes,
      dispose: (_v, k, r) => r === 'evict' && evicted.push(k),
    })
    cache.set('a', 'xxxx').set('b', 'xxxx')
    expect(cache.calculatedSize).toBe(8)
    cache.get('a')
    cache.set('c', 'xxxxx')
    expect(evicted).toEqual(['b'])
    expect([...cache.keys()]).toEqual(['c', 'a'])
    expect(cache.calculatedSize).toBe(9)
    cache.set('d', 'x'.repeat(10))
    expect([...cache.keys()]).toEqual(['d'])
    expect(cache.calculatedSize).toBe(10)
  })

  test('max and maxSize together: whichever binds first', () => {
    const cache = new LRUCache<number, string>({ max: 3, maxSize: 100, sizeCalculation: (v) => v.length })
    for (let i = 0; i < 5; i++) cache.set(i, 'x')
    expect([...cache.rkeys()]).toEqual([2, 3, 4])
    cache.set(9, 'x'.repeat(99))
    expect([...cache.rkeys()]).toEqual([4, 9])
  })

  test('an explicit size beats sizeCalculation', () => {
    const cache = new LRUCache<string, string>({ maxSize: 100, sizeCalculation: () => 1 })
    cache.set('a', 'A', { size: 40 })
    expect(cache.calculatedSize).toBe(40)
    expect(cache.info('a')?.size).toBe(40)
  })

  test('an entry larger than maxEntrySize is not stored, and the old value of its key is removed', () => {
    const disposed: [string, string, DisposeReason][] = []
    const cache = new LRUCache<string, string>({
      stats: true,
      maxSize: 100,
      maxEntrySize: 5,
      sizeCalculation: (v) => v.length,
      dispose: (v, k, r) => disposed.push([v, k, r]),
    })
    cache.set('a', 'small').set('b', 'ok')
    cache.set('a', 'far too large')
    expect(cache.has('a')).toBe(false)
    expect(cache.calculatedSize).toBe(2)
    expect(disposed).toEqual([['small', 'a', 'set']])
    expect(cache.stats().sets).toBe(2)
  })

  test('maxEntrySize defaults to maxSize, and an entry can never be larger than maxSize', () => {
    const a = new LRUCache<string, string>({ maxSize: 4, sizeCalculation: (v) => v.length })
    a.set('k', 'xxxxx')
    expect(a.size).toBe(0)
    const b = new LRUCache<string, string>({
      maxSize: 4,
      maxEntrySize: 1_000,
      sizeCalculation: (v) => v.length,
    })
    b.set('x', 'xx')
    b.set('k', 'xxxxx')
    expect(b.size).toBe(1)
    expect(b.has('k')).toBe(false)
  })

  test('maxEntrySize alone tracks sizes without a total limit', () => {
    const cache = new LRUCache<number, string>({
      max: 100,
      maxEntrySize: 3,
      sizeCalculation: (v) => v.length,
    })
    for (let i = 0; i < 50; i++) cache.set(i, 'abc')
    cache.set(99, 'abcd')
    expect(cache.size).toBe(50)
    expect(cache.calculatedSize).toBe(150)
    expect(cache.maxSize).toBe(0)
  })

  test('updating an entry re-sizes it; delete, pop and clear give the size back', () => {
    const cache = new LRUCache<string, string>({ maxSize: 50, sizeCalculation: (v) => v.length })
    cache.set('a', 'aaaa').set('b', 'bb')
    cache.set('a', 'a')
    expect(cache.calculatedSize).toBe(3)
    cache.delete('b')
    expect(cache.calculatedSize).toBe(1)
    cache.set('c', 'ccc')
    cache.pop()
    expect(cache.calculatedSize).toBe(3)
    cache.clear()
    expect(cache.calculatedSize).toBe(0)
  })

  test('a throwing sizeCalculation leaves the cache unchanged', () => {
    const cache = new LRUCache<string, string>({
      maxSize: 10,
      sizeCalculation: (v) => {
        if (v === 'bad') throw new Error('cannot size')
        return 1
      },
    })
    cache.set('a', 'A')
    expect(() => cache.set('a', 'bad')).toThrow('cannot size')
    expect(() => cache.set('b', 'bad')).toThrow('cannot size')
    expect([...cache.entries()]).toEqual([['a', 'A']])
    expect(cache.calculatedSize).toBe(1)
  })
})
