import { describe, expect, test } from 'vitest'
import { type BoundedLoadMove, BoundedLoadRing, ConsistentHashError, HashRing } from '../src/index.js'

const keys = (n: number, prefix = 'k') => Array.from({ length: n }, (_, i) => `${prefix}${i}`)
const bound = (c: number, m: number, n: number) => Math.ceil((c * m) / n)

describe('BoundedLoadRing', () => {
  test('without pressure a key goes where the plain ring (one probe) sends it', () => {
    const ids = ['a', 'b', 'c', 'd']
    const plain = new HashRing(ids, { probes: 1 })
    for (const k of keys(200)) {
      const ring = new BoundedLoadRing(ids)
      expect(ring.assign(k)).toBe(plain.get(k))
    }
  })

  test('assign is idempotent, locate does not assign, get reports assignments', () => {
    const ring = new BoundedLoadRing(['a', 'b'])
    const where = ring.locate('x')
    expect(ring.size).toBe(0)
    expect(ring.get('x')).toBeUndefined()
    expect(ring.assign('x')).toBe(where)
    expect(ring.assign('x')).toBe(where)
    expect(ring.size).toBe(1)
    expect(ring.get('x')).toBe(where)
    expect(ring.locate('x')).toBe(where)
    expect(ring.keysOf(where)).toEqual(['x'])
    expect(ring.release('x')).toBe(true)
    expect(ring.release('x')).toBe(false)
    expect(ring.size).toBe(0)
  })

  test('no node ever holds more than ceil(1.25 x average) keys, even when all keys want one node', () => {
    const ring = new BoundedLoadRing(['a', 'b', 'c', 'd', 'e'])
    // Keys whose first choice is node 'a' on the plain ring.
    const plain = new HashRing(['a', 'b', 'c', 'd', 'e'], { probes: 1 })
    const hot = keys(20_000, 'hot')
      .filter((k) => plain.get(k) === 'a')
      .slice(0, 1000)
    expect(hot.length).toBe(1000)
    hot.forEach((k, i) => {
      ring.assign(k)
      for (const load of ring.loads().values()) expect(load).toBeLessThanOrEqual(bound(1.25, i + 1, 5))
    })
    expect(ring.load('a')).toBe(bound(1.25, 1000, 5))
    expect(ring.capacityOf('a')).toBe(250)
    expect([...ring.loads().values()].reduce((x, y) => x + y, 0)).toBe(1000)
  })

  test('weights scale capacities: ceil(c x m x w / W)', () => {
    const ring = new BoundedLoadRing(['a', { id: 'b', weight: 3 }], { loadFactor: 1.1 })
    for (const k of keys(400)) ring.assign(k)
    expect(ring.capacityOf('a')).toBe(Math.ceil(((1.1 * 400) / 4) * 1))
    expect(ring.capacityOf('b')).toBe(Math.ceil(((1.1 * 400) / 4) * 3))
    expect(ring.load('a')).toBeLessThanOrEqual(110)
    expect(ring.load('b')).toBeLessThanOrEqual(330)
    expect(ring.capacityOf('zz')).toBe(0)
    expect(ring.load('zz')).toBe(0)
  })

  test('releasing keys lowers the bound; keys over it move and onMove reports each move', () => {
    const moves: BoundedLoadMove[] = []
    const ring = new BoundedLoadRing(['a', 'b', 'c'], { loadFactor: 1, onMove: (m) => moves.push(m) })
    const ks = keys(300)
    for (const k of ks) ring.assign(k)
    const where = new Map(ks.map((k) => [k, ring.get(k)!]))
    for (const k of ks.slice(0, 200)) {
      ring.release(k)
      where.delete(k)
      for (const m of moves.splice(0)) {
        expect(where.get(m.key)).toBe(m.from)
        expect(m.to).not.toBe(m.from)
        where.set(m.key, m.to)
      }
      for (const load of ring.loads().values()) expect(load).toBeLessThanOrEqual(bound(1, ring.size, 3))
    }
    for (const [k, node] of where) expect(ring.get(k)).toBe(node)
  })

  test('removing a node re-homes its keys within the bound and reports them', () => {
    const moves: BoundedLoadMove[] = []
    const ring = new BoundedLoadRing(['a', 'b', 'c', 'd'], { onMove: (m) => moves.push(m) })
    for (const k of keys(400)) ring.assign(k)
    const onB = ring.keysOf('b')
    expect(ring.remove('b')).toBe(true)
    expect(ring.remove('b')).toBe(false)
    expect(
      moves
        .filter((m) => m.from === 'b')
        .map((m) => m.key)
        .sort(),
    ).toEqual([...onB].sort())
    for (const k of onB) expect(['a', 'c', 'd']).toContain(ring.get(k))
    for (const load of ring.loads().values()) expect(load).toBeLessThanOrEqual(bound(1.25, 400, 3))
  })

  test('adding a node lowers the bound: overloaded nodes shed keys', () => {
    const moves: BoundedLoadMove[] = []
    const ring = new BoundedLoadRing(['a', 'b'], { loadFactor: 1, onMove: (m) => moves.push(m) })
    for (const k of keys(200)) ring.assign(k)
    ring.add('c')
    for (const load of ring.loads().values()) expect(load).toBeLessThanOrEqual(bound(1, 200, 3))
    expect(moves.length).toBeGreaterThan(0)
    expect(ring.nodes.map((n) => n.id)).toEqual(['a', 'b', 'c'])
    expect(ring.has('c')).toBe(true)
  })
})

describe('BoundedLoadRing errors', () => {
  test('options', () => {
    for (const loadFactor of [0.99, 0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => new BoundedLoadRing([], { loadFactor })).toThrow(RangeError)
    }
    expect(() => new BoundedLoadRing([], { loadFactor: 0.5 })).toThrow(
      '`loadFactor` must be a finite number >= 1, got 0.5',
    )
    expect(() => new BoundedLoadRing([], { vnodes: 0 })).toThrow(RangeError)
    expect(() => new BoundedLoadRing([], { onMove: 1 as unknown as () => void })).toThrow(TypeError)
  })

  test('empty ring; duplicate node; removing the last node while keys are assigned', () => {
    const ring = new BoundedLoadRing()
    expect(() => ring.assign('k')).toThrow(expect.objectContaining({ code: 'ERR_EMPTY_RING' }))
    expect(() => ring.locate('k')).toThrow(ConsistentHashError)
    ring.add('a')
    expect(() => ring.add('a')).toThrow(expect.objectContaining({ code: 'ERR_DUPLICATE_NODE' }))
    ring.assign('k')
    expect(() => ring.remove('a')).toThrow(expect.objectContaining({ code: 'ERR_EMPTY_RING' }))
    expect(ring.get('k')).toBe('a')
    ring.release('k')
    expect(ring.remove('a')).toBe(true)
    expect(ring.size).toBe(0)
  })

  test('a throwing onMove: every move is still reported, the first error is rethrown, state is consistent', () => {
    const seen: string[] = []
    const ring = new BoundedLoadRing(['a', 'b', 'c'], {
      onMove: (m) => {
        seen.push(m.key)
        throw new Error(`no ${m.key}`)
      },
    })
    for (const k of keys(90)) ring.assign(k)
    const onA = ring.keysOf('a')
    expect(() => ring.remove('a')).toThrow(`no ${onA[0]}`)
    expect(seen).toEqual(expect.arrayContaining(onA))
    expect(ring.has('a')).toBe(false)
    expect(ring.size).toBe(90)
    expect(ring.load('b') + ring.load('c')).toBe(90)
    for (const k of onA) expect(['b', 'c']).toContain(ring.get(k))
  })

  test('keys must be strings', () => {
    const ring = new BoundedLoadRing(['a'])
    expect(() => ring.assign(1 as unknown as string)).toThrow(TypeError)
    expect(() => ring.release(null as unknown as string)).toThrow(TypeError)
  })
})
