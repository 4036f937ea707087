import { expect, test } from 'vitest'
import {
  BoundedLoadRing,
  ConsistentHashError,
  HashRing,
  jumpHash,
  Maglev,
  murmur3_32,
  murmur3_128,
  RendezvousHash,
} from '../src/index.js'

// The values the README, the docs page and the TSDoc @examples print.

test('README / HashRing example', () => {
  const ring = new HashRing(['cache-a', 'cache-b', { id: 'cache-c', weight: 2 }])
  expect(ring.get('user:42')).toBe('cache-c')
  expect(ring.getN('user:42', 2)).toEqual(['cache-c', 'cache-b'])
  const keys = Array.from({ length: 20_000 }, (_, i) => `k${i}`)
  const before = keys.map((k) => ring.get(k))
  ring.add('cache-d')
  const moved = keys.filter((k, i) => ring.get(k) !== before[i])
  expect(moved.every((k) => ring.get(k) === 'cache-d')).toBe(true)
  expect(moved.length / keys.length).toBeGreaterThan(0.17) // its share: 1 / (1 + 1 + 2 + 1)
  expect(moved.length / keys.length).toBeLessThan(0.23)
  expect(ring.remove('cache-a')).toBe(true)
})

test('README: jumpHash, BoundedLoadRing, ketama', () => {
  expect(jumpHash('order:1001', 16)).toBe(4)
  expect(jumpHash(1, 100)).toBe(55)
  expect(jumpHash(10863919174838991n, 11)).toBe(6)
  expect(new BoundedLoadRing(['w1', 'w2', 'w3']).assign('stream:7')).toBe('w1')
  const memcached = new HashRing(['10.0.0.1:11211', '10.0.0.2:11211'], { compat: 'ketama' })
  expect(memcached.pointCount).toBe(320)
})

test('RendezvousHash and Maglev examples', () => {
  const hrw = new RendezvousHash(['db-1', 'db-2', { id: 'db-3', weight: 2 }])
  expect(hrw.get('order:1001')).toBe('db-3')
  expect(hrw.getN('order:1001', 2)).toEqual(['db-3', 'db-2'])
  const lb = new Maglev(['backend-1', 'backend-2', 'backend-3'], { tableSize: 65537 })
  expect(lb.get('10.1.2.3:51234')).toBe('backend-1')
  expect(lb.slots()).toEqual(
    new Map([
      ['backend-1', 21846],
      ['backend-2', 21846],
      ['backend-3', 21845],
    ]),
  )
})

test('BoundedLoadRing example: assign, onMove, release', () => {
  const moves: string[] = []
  const ring = new BoundedLoadRing(['w1', 'w2', 'w3'], {
    loadFactor: 1.25,
    onMove: ({ key, from, to }) => moves.push(`${key}: ${from} -> ${to}`),
  })
  const worker = ring.assign('stream:42')
  expect(ring.assign('stream:42')).toBe(worker)
  expect(ring.release('stream:42')).toBe(true)
  expect(moves).toEqual([])
})

test('murmur3 examples and the error example', () => {
  expect(murmur3_32('The quick brown fox jumps over the lazy dog')).toBe(0x2e4ff723)
  expect(murmur3_128('hello')).toHaveLength(16)
  try {
    new HashRing().get('user:42')
  } catch (err) {
    expect(err instanceof ConsistentHashError && err.code === 'ERR_EMPTY_RING').toBe(true)
  }
  expect.assertions(3)
})
