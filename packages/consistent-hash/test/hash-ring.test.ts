import { describe, expect, test } from 'vitest'
import { ConsistentHashError, HashRing, murmur3_32 } from '../src/index.js'

const keys = (n: number, prefix = 'key') => Array.from({ length: n }, (_, i) => `${prefix}:${i}`)

describe('HashRing', () => {
  test('maps every key to one of its nodes, the same way every time', () => {
    const ring = new HashRing(['a', 'b', 'c'])
    const again = new HashRing(['a', 'b', 'c'])
    for (const k of keys(1000)) {
      expect(['a', 'b', 'c']).toContain(ring.get(k))
      expect(again.get(k)).toBe(ring.get(k))
    }
  })

  test('size, has, nodes (insertion order, with weights), pointCount', () => {
    const ring = new HashRing(['a', { id: 'b', weight: 2 }], { vnodes: 100 })
    expect(ring.size).toBe(2)
    expect(ring.has('b')).toBe(true)
    expect(ring.has('z')).toBe(false)
    expect(ring.nodes).toEqual([
      { id: 'a', weight: 1 },
      { id: 'b', weight: 2 },
    ])
    expect(ring.pointCount).toBe(300)
    ring.add({ id: 'c', weight: 0.004 }) // round(100 x 0.004) = 0, but every node keeps a point
    expect(ring.pointCount).toBe(301)
  })

  test('a weight-2 node receives about twice the keys of a weight-1 node', () => {
    const ring = new HashRing(['a', 'b', { id: 'c', weight: 2 }])
    const counts = new Map<string, number>()
    for (const k of keys(40_000)) counts.set(ring.get(k), (counts.get(ring.get(k)) ?? 0) + 1)
    expect(counts.get('c')! / 20_000).toBeGreaterThan(0.9)
    expect(counts.get('c')! / 20_000).toBeLessThan(1.1)
  })

  test('with probes: 1 it is the textbook ring: the first point at or after the hash, wrapping', () => {
    const ring = new HashRing(['a', 'b', 'c', 'd'], { probes: 1, vnodes: 20 })
    const points = ring.points()
    expect(points).toHaveLength(80)
    for (let i = 1; i < points.length; i++)
      expect(points[i]!.point).toBeGreaterThanOrEqual(points[i - 1]!.point)
    for (const k of keys(2000)) {
      const h = ring.position(k)
      expect(h).toBe(murmur3_32(k))
      const owner = points.find((p) => p.point >= h) ?? points[0]!
      expect(ring.get(k)).toBe(owner.id)
    }
  })

  test("vnode i of node 'alpha' sits at hash('alpha-' + i)", () => {
    const ring = new HashRing(['alpha'], { vnodes: 5 })
    const expected = [0, 1, 2, 3, 4].map((i) => murmur3_32(`alpha-${i}`)).sort((x, y) => x - y)
    expect(ring.points().map((p) => p.point)).toEqual(expected)
  })

  test('a custom hash places both keys and points', () => {
    const seen: string[] = []
    const fnv1a = (s: string) => {
      seen.push(s)
      let h = 0x811c9dc5
      for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193)
      return h >>> 0
    }
    const ring = new HashRing(['a', 'b'], { hash: fnv1a, vnodes: 3, probes: 1 })
    expect(seen).toEqual(['a-0', 'a-1', 'a-2', 'b-0', 'b-1', 'b-2'])
    expect(ring.position('k')).toBe(fnv1a('k'))
    ring.get('k')
    expect(seen.at(-1)).toBe('k')
  })

  test('getN: distinct nodes, the first is get(), all nodes when n is larger', () => {
    const ring = new HashRing(['a', 'b', 'c', 'd', 'e'])
    for (const k of keys(500)) {
      const three = ring.getN(k, 3)
      expect(new Set(three).size).toBe(3)
      expect(three[0]).toBe(ring.get(k))
      const all = ring.getN(k, 99)
      expect([...all].sort()).toEqual(['a', 'b', 'c', 'd', 'e'])
      expect(all.slice(0, 3)).toEqual(three)
    }
  })

  test('remove returns whether the node existed; keys of other nodes stay put', () => {
    const ring = new HashRing(['a', 'b', 'c'])
    const before = new Map(keys(5000).map((k) => [k, ring.get(k)]))
    expect(ring.remove('b')).toBe(true)
    expect(ring.remove('b')).toBe(false)
    for (const [k, owner] of before) if (owner !== 'b') expect(ring.get(k)).toBe(owner)
    expect(ring.nodes.map((n) => n.id)).toEqual(['a', 'c'])
  })

  test('a removed id can be added back and gets the same points', () => {
    const ring = new HashRing(['a', 'b', 'c'])
    const points = ring.points()
    ring.remove('a')
    ring.add('d').remove('d')
    ring.add('a')
    expect(ring.points()).toEqual(points)
  })
})

describe('HashRing errors', () => {
  test('lookups on an empty ring throw ERR_EMPTY_RING', () => {
    const ring = new HashRing()
    for (const call of [() => ring.get('k'), () => ring.getN('k', 2)]) {
      try {
        call()
        expect.unreachable()
      } catch (err) {
        expect(err).toBeInstanceOf(ConsistentHashError)
        expect((err as ConsistentHashError).code).toBe('ERR_EMPTY_RING')
        expect((err as Error).name).toBe('ConsistentHashError')
      }
    }
    ring.add('a')
    ring.remove('a')
    expect(() => ring.get('k')).toThrow(ConsistentHashError)
  })

  test('a duplicate id throws ERR_DUPLICATE_NODE and leaves the ring unchanged', () => {
    expect(() => new HashRing(['a', 'b', 'a'])).toThrow(
      expect.objectContaining({ code: 'ERR_DUPLICATE_NODE', message: 'node "a" is already present' }),
    )
    const ring = new HashRing(['a', 'b'])
    const points = ring.points()
    expect(() => ring.add({ id: 'a', weight: 3 })).toThrow(ConsistentHashError)
    expect(ring.points()).toEqual(points)
    expect(ring.size).toBe(2)
  })

  test('weights must be positive finite numbers', () => {
    for (const weight of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => new HashRing([{ id: 'a', weight }])).toThrow(RangeError)
    }
    expect(() => new HashRing([{ id: 'a', weight: 0 }])).toThrow(
      '`weight` of node "a" must be a positive finite number, got 0',
    )
    expect(() => new HashRing([{ id: 'a', weight: '2' as unknown as number }])).toThrow(TypeError)
    expect(() => new HashRing([{ id: 'a', weight: 1e9 }])).toThrow(RangeError)
  })

  test('vnodes and probes out of range', () => {
    for (const vnodes of [0, -1, 10_001, 1.5, Number.NaN]) {
      expect(() => new HashRing([], { vnodes })).toThrow(RangeError)
    }
    expect(() => new HashRing([], { vnodes: 0 })).toThrow(
      '`vnodes` must be an integer from 1 to 10000, got 0',
    )
    expect(() => new HashRing([], { probes: 0 })).toThrow('`probes` must be an integer from 1 to 16, got 0')
    expect(() => new HashRing([], { probes: 17 })).toThrow(RangeError)
  })

  test('compat options: no custom hash, vnodes a multiple of 4, one probe', () => {
    expect(() => new HashRing([], { compat: 'ketama', hash: murmur3_32 })).toThrow(TypeError)
    expect(() => new HashRing([], { compat: 'ketama', vnodes: 42 })).toThrow(
      '`vnodes` must be a multiple of 4 with `compat`, got 42',
    )
    expect(() => new HashRing([], { compat: 'hashring', probes: 3 })).toThrow(RangeError)
    expect(() => new HashRing([], { compat: 'memcached' as 'ketama' })).toThrow(TypeError)
  })

  test('nodes and keys of the wrong type', () => {
    expect(() => new HashRing([42 as unknown as string])).toThrow(
      'a node must be a string id or { id, weight }, got 42',
    )
    expect(() => new HashRing([''])).toThrow(TypeError)
    expect(() => new HashRing([{ id: 7 } as unknown as string])).toThrow(
      '`id` must be a non-empty string, got 7',
    )
    expect(() => new HashRing('abc' as unknown as string[])).toThrow(TypeError)
    const ring = new HashRing(['a'])
    expect(() => ring.get(5 as unknown as string)).toThrow('`key` must be a string, got 5')
    expect(() => ring.getN('k', 0)).toThrow(RangeError)
  })

  test('a throwing hash function leaves the ring as it was', () => {
    let fail = false
    const ring = new HashRing(['a', 'b'], {
      hash: (s) => {
        if (fail) throw new Error('boom')
        return murmur3_32(s)
      },
    })
    const points = ring.points()
    fail = true
    expect(() => ring.add('c')).toThrow('boom')
    expect(() => ring.get('k')).toThrow('boom')
    fail = false
    expect(ring.points()).toEqual(points)
    expect(ring.has('c')).toBe(false)
  })
})
