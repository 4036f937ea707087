import fc from 'fast-check'
import { expect, test } from 'vitest'
import { Maglev } from '../src/index.js'

const CI = Boolean(process.env.CI)
const ids = (min: number, max: number) =>
  fc.uniqueArray(fc.string({ minLength: 1, maxLength: 10 }), { minLength: min, maxLength: max })
const prime = fc.constantFrom(2, 3, 7, 13, 101, 251, 1009, 5003, 65537)

test('equal weights: every node holds floor(M/N) or ceil(M/N) slots', () => {
  fc.assert(
    fc.property(ids(1, 60), prime, (list, m) => {
      fc.pre(list.length <= m)
      const slots = [...new Maglev(list, { tableSize: m }).slots().values()]
      expect(slots.reduce((a, b) => a + b, 0)).toBe(m)
      expect(Math.max(...slots) - Math.min(...slots)).toBeLessThanOrEqual(1)
    }),
    { numRuns: CI ? 300 : 60 },
  )
})

test('weights: every node is within one slot of its exact share M x w / W', () => {
  fc.assert(
    fc.property(
      ids(1, 30),
      fc.array(fc.oneof(fc.integer({ min: 1, max: 20 }), fc.double({ min: 0.001, max: 1000, noNaN: true })), {
        minLength: 30,
        maxLength: 30,
      }),
      prime,
      (list, ws, m) => {
        fc.pre(list.length <= m)
        const nodes = list.map((id, i) => ({ id, weight: ws[i]! }))
        const total = nodes.reduce((s, n) => s + n.weight, 0)
        const slots = new Maglev(nodes, { tableSize: m }).slots()
        for (const n of nodes) expect(Math.abs(slots.get(n.id)! - (m * n.weight) / total)).toBeLessThan(1)
      },
    ),
    { numRuns: CI ? 300 : 60 },
  )
})

test('the table depends on the set of nodes, not the order they were added in', () => {
  fc.assert(
    fc.property(
      ids(1, 20).chain((l) => fc.tuple(fc.constant(l), fc.shuffledSubarray(l, { minLength: l.length }))),
      ([list, shuffled]) => {
        const a = new Maglev(list, { tableSize: 1009 })
        const b = new Maglev([], { tableSize: 1009 })
        for (const id of shuffled) b.add(id)
        expect(b.slots()).toEqual(a.slots())
        for (let i = 0; i < 200; i++) expect(b.get(`k${i}`)).toBe(a.get(`k${i}`))
      },
    ),
    { numRuns: CI ? 150 : 30 },
  )
})

test('removing a node: its keys move, and under 3% of the other keys do (near-minimal disruption)', () => {
  fc.assert(
    fc.property(ids(3, 100), fc.nat(), fc.string(), (list, pick, prefix) => {
      const lb = new Maglev(list)
      const gone = list[pick % list.length]!
      const keys = Array.from({ length: 5000 }, (_, i) => `${prefix}${i}`)
      const before = keys.map((k) => lb.get(k))
      lb.remove(gone)
      let others = 0
      let moved = 0
      keys.forEach((k, i) => {
        const now = lb.get(k)
        expect(now).not.toBe(gone)
        if (before[i] !== gone) {
          others++
          if (now !== before[i]) moved++
        }
      })
      expect(moved / others).toBeLessThan(0.03)
    }),
    { numRuns: CI ? 60 : 12 },
  )
})
