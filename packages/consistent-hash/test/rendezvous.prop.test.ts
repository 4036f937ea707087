import fc from 'fast-check'
import { expect, test } from 'vitest'
import { RendezvousHash } from '../src/index.js'

const CI = Boolean(process.env.CI)
const ids = (min: number, max: number) =>
  fc.uniqueArray(fc.string({ minLength: 1, maxLength: 10 }), { minLength: min, maxLength: max })
const weighted = (min: number, max: number) =>
  ids(min, max).chain((list) =>
    fc.tuple(
      ...list.map((id) =>
        fc
          .oneof(fc.constant(1), fc.double({ min: 0.1, max: 10, noNaN: true }))
          .map((weight) => ({ id, weight })),
      ),
    ),
  )
const keys = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => `${prefix}#${i}`)

test('adding a node moves only keys to it, about weight/total of them', () => {
  fc.assert(
    fc.property(
      weighted(1, 30),
      fc.string({ minLength: 1 }),
      fc.double({ min: 0.5, max: 4, noNaN: true }),
      fc.string(),
      (nodes, extra, weight, prefix) => {
        fc.pre(!nodes.some((n) => n.id === extra))
        const hrw = new RendezvousHash(nodes)
        const ks = keys(10_000, prefix)
        const before = ks.map((k) => hrw.get(k))
        hrw.add({ id: extra, weight })
        let moved = 0
        ks.forEach((k, i) => {
          const now = hrw.get(k)
          if (now !== before[i]) {
            expect(now).toBe(extra)
            moved++
          }
        })
        const total = nodes.reduce((s, n) => s + n.weight, 0) + weight
        const expected = (ks.length * weight) / total
        expect(Math.abs(moved - expected)).toBeLessThan(5 * Math.sqrt(expected) + 5)
      },
    ),
    { numRuns: CI ? 100 : 20 },
  )
})

test('removing a node moves only its keys; the rest of every ranking stays in order', () => {
  fc.assert(
    fc.property(weighted(2, 15), fc.nat(), fc.string(), (nodes, pick, prefix) => {
      const hrw = new RendezvousHash(nodes)
      const gone = nodes[pick % nodes.length]!.id
      const ks = keys(300, prefix)
      const ranked = ks.map((k) => hrw.getN(k, nodes.length))
      hrw.remove(gone)
      ks.forEach((k, i) => {
        const rest = ranked[i]!.filter((id) => id !== gone)
        expect(hrw.getN(k, nodes.length)).toEqual(rest)
        expect(hrw.get(k)).toBe(rest[0])
      })
    }),
    { numRuns: CI ? 150 : 30 },
  )
})

test('equal weights, 10 nodes: max/mean over 100k keys stays within sampling noise (<= 1.06)', () => {
  fc.assert(
    fc.property(ids(10, 10), fc.string(), (list, prefix) => {
      const hrw = new RendezvousHash(list)
      const counts = new Map<string, number>()
      for (const k of keys(100_000, prefix)) counts.set(hrw.get(k), (counts.get(hrw.get(k)) ?? 0) + 1)
      expect(Math.max(...counts.values()) / 10_000).toBeLessThanOrEqual(1.06)
    }),
    { numRuns: CI ? 20 : 4 },
  )
})

test('insertion order does not matter', () => {
  fc.assert(
    fc.property(
      weighted(1, 12).chain((n) => fc.tuple(fc.constant(n), fc.shuffledSubarray(n, { minLength: n.length }))),
      fc.string(),
      ([nodes, shuffled], prefix) => {
        const a = new RendezvousHash(nodes)
        const b = new RendezvousHash()
        for (const n of shuffled) b.add(n)
        for (const k of keys(200, prefix)) expect(b.getN(k, 3)).toEqual(a.getN(k, 3))
      },
    ),
    { numRuns: CI ? 150 : 30 },
  )
})
