import { describe, expect, test, vi } from 'vitest'
import { type DisposeReason, LRUCache } from '../src/index.js'

type Log = [unknown, unknown, DisposeReason][]

describe('dispose', () => {
  test('is called once per value that leaves, with the reason', () => {
    let now = 1
    const log: Log = []
    const cache = new LRUCache<string, string>({
      max: 2,
      ttl: 10,
      perf: { now: () => now },
      dispose: (v, k, r) => log.push([v, k, r]),
    })
    cache.set('a', 'A').set('b', 'B').set('c', 'C') // evicts a
    cache.set('b', 'B2') // replaces B
    cache.set('b', 'B2') // same value: nothing leaves
    cache.delete('c')
    now += 11
    cache.get('b') // expired
    cache.set('x', 'X').set('y', 'Y')
    cache.pop()
    cache.clear()
    expect(log).toEqual([
      ['A', 'a', 'evict'],
      ['B', 'b', 'set'],
      ['C', 'c', 'delete'],
      ['B2', 'b', 'expire'],
      ['X', 'x', 'evict'],
      ['Y', 'y', 'delete'],
    ])
  })

  test('set(k, undefined) disposes with reason delete', () => {
    const dispose = vi.fn()
    const cache = new LRUCache<string, string>({ max: 2, dispose })
    cache.set('a', 'A')
    cache.set('a', undefined)
    expect(dispose).toHaveBeenCalledWith('A', 'a', 'delete')
  })

  test('noDisposeOnSet skips the replaced value only', () => {
    const log: Log = []
    const cache = new LRUCache<string, string>({
      max: 1,
      noDisposeOnSet: true,
      dispose: (v, k, r) => log.push([v, k, r]),
    })
    cache.set('a', 'A').set('a', 'A2')
    cache.set('a', 'A3', { noDisposeOnSet: false })
    cache.set('b', 'B')
    expect(log).toEqual([
      ['A2', 'a', 'set'],
      ['A3', 'a', 'evict'],
    ])
  })

  test('runs after the operation, when the cache already reflects it', () => {
    const seen: unknown[] = []
    const cache: LRUCache<string, string> = new LRUCache<string, string>({
      max: 2,
      dispose: (_v, k) => {
        seen.push({ key: k, has: cache.has(k), size: cache.size, keys: [...cache.keys()] })
      },
    })
    cache.set('a', 'A').set('b', 'B').set('c', 'C')
    expect(seen).toEqual([{ key: 'a', has: false, size: 2, keys: ['c', 'b'] }])
  })

  test('disposeAfter is called right after dispose with the same arguments', () => {
    const calls: string[] = []
    const cache = new LRUCache<string, string>({
      max: 1,
      dispose: (v, _k, r) => calls.push(`dispose ${v} ${r}`),
      disposeAfter: (v, _k, r) => calls.push(`after ${v} ${r}`),
    })
    cache.set('a', 'A').set('b', 'B')
    cache.delete('b')
    expect(calls).toEqual(['dispose A evict', 'after A evict', 'dispose B delete', 'after B delete'])
    const onlyAfter = vi.fn()
    const other = new LRUCache<string, string>({ max: 1, disposeAfter: onlyAfter })
    other.set('a', 'A').set('b', 'B')
    expect(onlyAfter).toHaveBeenCalledWith('A', 'a', 'evict')
  })

  test('a throwing dispose: the operation still completes, every callback runs, the first error surfaces', () => {
    const called: string[] = []
    const cache = new LRUCache<number, string>({
      max: 10,
      dispose: (v) => {
        called.push(v)
        if (v.startsWith('bad')) throw new Error(`dispose ${v}`)
      },
    })
    for (let i = 0; i < 4; i++) cache.set(i, i % 2 ? `bad${i}` : `ok${i}`)
    expect(() => cache.clear()).toThrow('dispose bad1')
    expect(called).toEqual(['ok0', 'bad1', 'ok2', 'bad3'])
    expect(cache.size).toBe(0)
    cache.set(1, 'fine')
    expect([...cache.entries()]).toEqual([[1, 'fine']])
  })
})
