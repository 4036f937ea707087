import { describe, expect, test } from 'vitest'
import { ConsistentHashError, murmur3_32, RendezvousHash } from '../src/index.js'

const keys = (n: number) => Array.from({ length: n }, (_, i) => `key:${i}`)

describe('RendezvousHash', () => {
  test('every key goes to one node, deterministically; getN ranks best first', () => {
    const a = new RendezvousHash(['x', 'y', 'z'])
    const b = new RendezvousHash(['z', 'x', 'y'])
    for (const k of keys(1000)) {
      expect(['x', 'y', 'z']).toContain(a.get(k))
      expect(b.get(k)).toBe(a.get(k))
      const ranked = a.getN(k, 3)
      expect(ranked[0]).toBe(a.get(k))
      expect([...ranked].sort()).toEqual(['x', 'y', 'z'])
      expect(a.getN(k, 10)).toEqual(ranked)
      expect(a.getN(k, 2)).toEqual(ranked.slice(0, 2))
    }
  })

  test('weights (logarithmic method): shares follow the weights', () => {
    const hrw = new RendezvousHash([
      { id: 'w1', weight: 1 },
      { id: 'w2', weight: 2 },
      { id: 'w3', weight: 3 },
      { id: 'w4', weight: 4 },
    ])
    const counts = new Map<string, number>()
    const n = 100_000
    for (const k of keys(n)) counts.set(hrw.get(k), (counts.get(hrw.get(k)) ?? 0) + 1)
    for (const [id, w] of [
      ['w1', 1],
      ['w2', 2],
      ['w3', 3],
      ['w4', 4],
    ] as const) {
      const expected = (n * w) / 10
      // binomial sd <= 158 here; 5 sd of slack
      expect(Math.abs(counts.get(id)! - expected)).toBeLessThan(800)
    }
  })

  test('getN with weights is ranked by weighted score, first equals get', () => {
    const hrw = new RendezvousHash([{ id: 'a', weight: 5 }, 'b', { id: 'c', weight: 0.5 }])
    for (const k of keys(500)) expect(hrw.getN(k, 1)).toEqual([hrw.get(k)])
  })

  test('a custom key hash', () => {
    const calls: string[] = []
    const hrw = new RendezvousHash(['a', 'b'], {
      hash: (k) => {
        calls.push(k)
        return murmur3_32(k)
      },
    })
    hrw.get('hello')
    expect(calls).toEqual(['hello'])
  })

  test('add, remove, has, size, nodes', () => {
    const hrw = new RendezvousHash(['a'])
    expect(hrw.add('b').add({ id: 'c', weight: 3 }).size).toBe(3)
    expect(hrw.has('c')).toBe(true)
    expect(hrw.remove('a')).toBe(true)
    expect(hrw.remove('a')).toBe(false)
    expect(hrw.nodes).toEqual([
      { id: 'b', weight: 1 },
      { id: 'c', weight: 3 },
    ])
  })

  test('errors: empty, duplicate, bad weight, bad key, bad n, bad hash', () => {
    const empty = new RendezvousHash()
    expect(() => empty.get('k')).toThrow(expect.objectContaining({ code: 'ERR_EMPTY_RING' }))
    expect(() => empty.getN('k', 1)).toThrow(ConsistentHashError)
    expect(() => new RendezvousHash(['a', 'a'])).toThrow(
      expect.objectContaining({ code: 'ERR_DUPLICATE_NODE' }),
    )
    const hrw = new RendezvousHash(['a'])
    expect(() => hrw.add('a')).toThrow(ConsistentHashError)
    expect(hrw.size).toBe(1)
    expect(() => hrw.add({ id: 'b', weight: -2 })).toThrow(RangeError)
    expect(() => hrw.get(1 as unknown as string)).toThrow(TypeError)
    expect(() => hrw.getN('k', 0)).toThrow('`n` must be an integer from 1 to 9007199254740991, got 0')
    expect(() => new RendezvousHash([], { hash: 'md5' as unknown as () => number })).toThrow(TypeError)
  })
})
