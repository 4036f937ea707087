import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { HashRing, type HashRingOptions } from '../src/index.js'

const CI = Boolean(process.env.CI)
const nodeId = fc.string({ minLength: 1, maxLength: 12 })
const nodeIds = (min: number, max: number) => fc.uniqueArray(nodeId, { minLength: min, maxLength: max })
const keys = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => `${prefix}/${i}`)
const configs: fc.Arbitrary<HashRingOptions> = fc.oneof(
  fc.constant({}),
  fc.record({ vnodes: fc.integer({ min: 1, max: 300 }), probes: fc.integer({ min: 1, max: 4 }) }),
)

describe('HashRing properties', () => {
  test('adding a node moves only keys that move to it, about 1/(n + 1) of them', () => {
    fc.assert(
      fc.property(nodeIds(2, 30), nodeId, fc.string(), (ids, extra, prefix) => {
        fc.pre(!ids.includes(extra))
        const ring = new HashRing(ids)
        const ks = keys(20_000, prefix)
        const before = ks.map((k) => ring.get(k))
        ring.add(extra)
        let moved = 0
        ks.forEach((k, i) => {
          const now = ring.get(k)
          if (now !== before[i]) {
            expect(now).toBe(extra)
            moved++
          }
        })
        const ideal = ks.length / (ids.length + 1)
        // The new node's share varies about +-5% with 160 vnodes and 3 probes; 35% is far out.
        expect(Math.abs(moved - ideal)).toBeLessThan(0.35 * ideal + 4 * Math.sqrt(ideal))
      }),
      { numRuns: CI ? 60 : 12 },
    )
  })

  test('removing a node moves only its own keys', () => {
    fc.assert(
      fc.property(nodeIds(2, 30), configs, fc.nat(), fc.string(), (ids, options, pick, prefix) => {
        const ring = new HashRing(ids, options)
        const gone = ids[pick % ids.length]!
        const ks = keys(3000, prefix)
        const before = ks.map((k) => ring.get(k))
        ring.remove(gone)
        ks.forEach((k, i) => {
          if (before[i] !== gone) expect(ring.get(k)).toBe(before[i])
          else expect(ring.get(k)).not.toBe(gone)
        })
      }),
      { numRuns: CI ? 200 : 40 },
    )
  })

  test('160 vnodes, 10 nodes: max/mean load over 100k keys is at most 1.15', () => {
    fc.assert(
      fc.property(nodeIds(10, 10), fc.string(), (ids, prefix) => {
        const ring = new HashRing(ids)
        const counts = new Map<string, number>()
        for (const k of keys(100_000, prefix)) {
          const n = ring.get(k)
          counts.set(n, (counts.get(n) ?? 0) + 1)
        }
        const max = Math.max(...counts.values())
        expect(max / 10_000).toBeLessThanOrEqual(1.15)
      }),
      { numRuns: CI ? 40 : 8 },
    )
  })

  test('placement depends on the set of nodes, not the order they were added in', () => {
    fc.assert(
      fc.property(
        nodeIds(1, 20).chain((ids) =>
          fc.tuple(fc.constant(ids), fc.shuffledSubarray(ids, { minLength: ids.length })),
        ),
        configs,
        fc.string(),
        ([ids, shuffled], options, prefix) => {
          const a = new HashRing(ids, options)
          const b = new HashRing([], options)
          for (const id of shuffled) b.add(id)
          expect(b.points()).toEqual(a.points())
          for (const k of keys(300, prefix)) expect(b.getN(k, 3)).toEqual(a.getN(k, 3))
        },
      ),
      { numRuns: CI ? 200 : 40 },
    )
  })

  test('getN: removing any listed node just drops it from every list (replicas shift up)', () => {
    fc.assert(
      fc.property(nodeIds(2, 12), configs, fc.nat(), fc.string(), (ids, options, pick, prefix) => {
        const ring = new HashRing(ids, options)
        const ks = keys(200, prefix)
        const before = ks.map((k) => ring.getN(k, ids.length))
        const gone = ids[pick % ids.length]!
        ring.remove(gone)
        ks.forEach((k, i) => {
          expect(ring.getN(k, ids.length)).toEqual(before[i]!.filter((id) => id !== gone))
          expect(ring.get(k)).toBe(before[i]!.find((id) => id !== gone))
        })
      }),
      { numRuns: CI ? 150 : 30 },
    )
  })
})

describe('HashRing model-based: incremental add/remove equals building from scratch', () => {
  type Model = { ids: string[] }
  type Real = { ring: HashRing; options: HashRingOptions }
  const probeKeys = keys(150, 'probe')

  class Add implements fc.Command<Model, Real> {
    constructor(
      readonly id: string,
      readonly weight: number,
    ) {}
    check = () => true
    run(m: Model, r: Real): void {
      if (m.ids.includes(this.id)) {
        expect(() => r.ring.add(this.id)).toThrow(expect.objectContaining({ code: 'ERR_DUPLICATE_NODE' }))
        return
      }
      r.ring.add({ id: this.id, weight: this.weight })
      m.ids.push(this.id)
      weights.set(this.id, this.weight)
      compare(m, r)
    }
    toString = () => `add(${JSON.stringify(this.id)}, ${this.weight})`
  }
  class Remove implements fc.Command<Model, Real> {
    constructor(readonly pick: number) {}
    check = (m: Readonly<Model>) => m.ids.length > 0
    run(m: Model, r: Real): void {
      const id = m.ids[this.pick % m.ids.length]!
      expect(r.ring.remove(id)).toBe(true)
      m.ids.splice(m.ids.indexOf(id), 1)
      compare(m, r)
    }
    toString = () => `remove(#${this.pick})`
  }
  const weights = new Map<string, number>()
  const indexOf = (ring: HashRing) =>
    Array.from((ring as unknown as { continuum: { index: Uint32Array } }).continuum.index)
  function compare(m: Model, r: Real): void {
    expect(r.ring.nodes.map((n) => n.id)).toEqual(m.ids)
    if (m.ids.length === 0) {
      expect(() => r.ring.get('x')).toThrow(expect.objectContaining({ code: 'ERR_EMPTY_RING' }))
      return
    }
    const fresh = new HashRing(
      m.ids.map((id) => ({ id, weight: weights.get(id)! })),
      r.options,
    )
    expect(r.ring.pointCount).toBe(fresh.pointCount)
    expect(r.ring.points()).toEqual(fresh.points())
    // The bucket index, patched in place by add/remove, equals one built from scratch.
    expect(indexOf(r.ring)).toEqual(indexOf(fresh))
    for (const k of probeKeys) expect(r.ring.get(k)).toBe(fresh.get(k))
  }

  const commands = [
    fc
      .tuple(
        fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', '10.0.0.1:11211'),
        fc.integer({ min: 1, max: 5 }),
      )
      .map(([id, w]) => new Add(id, w)),
    fc.nat().map((p) => new Remove(p)),
  ]

  for (const options of [
    { vnodes: 40 },
    { vnodes: 40, probes: 1 },
    { compat: 'ketama' as const },
    { compat: 'hashring' as const },
  ]) {
    test(`${JSON.stringify(options)}`, () => {
      fc.assert(
        fc.property(fc.commands(commands, { maxCommands: 25 }), (cmds) => {
          weights.clear()
          fc.modelRun(
            () => ({ model: { ids: [] }, real: { ring: new HashRing([], options), options } }),
            cmds,
          )
        }),
        { numRuns: CI ? 150 : 30 },
      )
    })
  }
})
