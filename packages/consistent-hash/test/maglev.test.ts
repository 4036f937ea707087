import { describe, expect, test } from 'vitest'
import { ConsistentHashError, Maglev, murmur3_32 } from '../src/index.js'

describe('Maglev', () => {
  test('default table of 65537 slots, split to within one slot', () => {
    const lb = new Maglev(['b1', 'b2', 'b3'])
    expect(lb.tableSize).toBe(65537)
    const slots = [...lb.slots().values()]
    expect(slots.reduce((a, b) => a + b, 0)).toBe(65537)
    expect(Math.max(...slots) - Math.min(...slots)).toBeLessThanOrEqual(1)
  })

  test('a lookup is table[hash(key) mod tableSize]: shares follow the slot counts', () => {
    const lb = new Maglev(['a', 'b', { id: 'c', weight: 2 }], { tableSize: 5003 })
    const slots = lb.slots()
    expect(Math.abs(slots.get('c')! - 5003 / 2)).toBeLessThan(1)
    const counts = new Map<string, number>()
    for (let i = 0; i < 50_000; i++) counts.set(lb.get(`k${i}`), (counts.get(lb.get(`k${i}`)) ?? 0) + 1)
    for (const [id, n] of slots) expect(Math.abs(counts.get(id)! / 50_000 - n / 5003)).toBeLessThan(0.02)
  })

  test('the paper example shape: each node gets floor or ceil of M/N even for tiny tables', () => {
    const lb = new Maglev(['b0', 'b1', 'b2'], { tableSize: 7 })
    expect([...lb.slots().values()].sort()).toEqual([2, 2, 3])
    const one = new Maglev(['solo'], { tableSize: 2 })
    expect(one.get('anything')).toBe('solo')
  })

  test('custom hash; add, remove, has, size, nodes', () => {
    const lb = new Maglev(['a'], { hash: (k) => murmur3_32(k, 99) })
    lb.add('b').add({ id: 'c', weight: 3 })
    expect(lb.size).toBe(3)
    expect(lb.remove('a')).toBe(true)
    expect(lb.remove('a')).toBe(false)
    expect(lb.has('c')).toBe(true)
    expect(lb.nodes).toEqual([
      { id: 'b', weight: 1 },
      { id: 'c', weight: 3 },
    ])
  })

  test('errors', () => {
    expect(() => new Maglev().get('k')).toThrow(expect.objectContaining({ code: 'ERR_EMPTY_RING' }))
    for (const tableSize of [0, 1, 4, 65536, 1.5, 2 ** 25]) {
      expect(() => new Maglev([], { tableSize })).toThrow(RangeError)
    }
    expect(() => new Maglev([], { tableSize: 65536 })).toThrow(
      '`tableSize` must be a prime from 2 to 16777259, got 65536',
    )
    expect(() => new Maglev(['a', 'b', 'c'], { tableSize: 2 })).toThrow(
      expect.objectContaining({ code: 'ERR_TOO_MANY_NODES' }),
    )
    const lb = new Maglev(['a', 'b'], { tableSize: 2 })
    expect(() => lb.add('c')).toThrow(ConsistentHashError)
    expect(() => lb.add('a')).toThrow(expect.objectContaining({ code: 'ERR_DUPLICATE_NODE' }))
    expect(lb.size).toBe(2)
    expect(() => lb.get(undefined as unknown as string)).toThrow(TypeError)
  })
})
