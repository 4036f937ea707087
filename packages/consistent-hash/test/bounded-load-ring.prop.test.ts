import fc from 'fast-check'
import { expect, test } from 'vitest'
import { type BoundedLoadMove, BoundedLoadRing } from '../src/index.js'

const CI = Boolean(process.env.CI)

type Model = {
  nodes: Map<string, number> // id -> weight, insertion order
  where: Map<string, string> // key -> node, replayed from return values and onMove reports
}
type Real = { ring: BoundedLoadRing; moves: BoundedLoadMove[]; c: number }

/** The bound from the paper, computed independently of the implementation. */
function check(m: Model, r: Real): void {
  for (const move of r.moves.splice(0)) {
    expect(m.where.get(move.key)).toBe(move.from)
    m.where.set(move.key, move.to)
  }
  const total = [...m.nodes.values()].reduce((a, b) => a + b, 0)
  const assigned = m.where.size
  expect(r.ring.size).toBe(assigned)
  expect(r.ring.nodes.map((n) => n.id)).toEqual([...m.nodes.keys()])
  let sum = 0
  for (const [id, w] of m.nodes) {
    const load = r.ring.load(id)
    sum += load
    expect(load).toBeLessThanOrEqual(Math.ceil(((r.c * assigned) / total) * w))
  }
  expect(sum).toBe(assigned)
  for (const [key, node] of m.where) expect(r.ring.get(key)).toBe(node)
}

class Assign implements fc.Command<Model, Real> {
  constructor(readonly key: string) {}
  check = (m: Readonly<Model>) => m.nodes.size > 0
  run(m: Model, r: Real): void {
    const node = r.ring.assign(this.key)
    const before = m.where.get(this.key)
    if (before !== undefined) expect(node).toBe(before)
    m.where.set(this.key, node)
    check(m, r)
  }
  toString = () => `assign(${JSON.stringify(this.key)})`
}
class Release implements fc.Command<Model, Real> {
  constructor(readonly pick: number) {}
  check = (m: Readonly<Model>) => m.where.size > 0
  run(m: Model, r: Real): void {
    const key = [...m.where.keys()][this.pick % m.where.size]!
    expect(r.ring.release(key)).toBe(true)
    m.where.delete(key)
    check(m, r)
  }
  toString = () => `release(#${this.pick})`
}
class AddNode implements fc.Command<Model, Real> {
  constructor(
    readonly id: string,
    readonly weight: number,
  ) {}
  check = (m: Readonly<Model>) => !m.nodes.has(this.id)
  run(m: Model, r: Real): void {
    r.ring.add({ id: this.id, weight: this.weight })
    m.nodes.set(this.id, this.weight)
    check(m, r)
  }
  toString = () => `add(${this.id}, ${this.weight})`
}
class RemoveNode implements fc.Command<Model, Real> {
  constructor(readonly pick: number) {}
  check = (m: Readonly<Model>) => m.nodes.size > 1
  run(m: Model, r: Real): void {
    const id = [...m.nodes.keys()][this.pick % m.nodes.size]!
    expect(r.ring.remove(id)).toBe(true)
    m.nodes.delete(id)
    check(m, r)
    for (const node of m.where.values()) expect(node).not.toBe(id)
  }
  toString = () => `remove(#${this.pick})`
}

const commands = (weighted: boolean) => [
  fc.string({ maxLength: 4 }).map((k) => new Assign(k)),
  fc.string({ maxLength: 4 }).map((k) => new Assign(k)),
  fc.nat().map((p) => new Release(p)),
  fc
    .tuple(
      fc.constantFrom('n1', 'n2', 'n3', 'n4', 'n5', 'n6', 'n7'),
      weighted ? fc.integer({ min: 1, max: 4 }) : fc.constant(1),
    )
    .map(([id, w]) => new AddNode(id, w)),
  fc.nat().map((p) => new RemoveNode(p)),
]

for (const weighted of [false, true]) {
  test(`loads never exceed ceil(c x average${weighted ? ' x weight share' : ''}), moves are all reported (model-based)`, () => {
    fc.assert(
      fc.property(
        fc.commands(commands(weighted), { maxCommands: 80 }),
        fc.constantFrom(1, 1.1, 1.25, 2),
        fc.integer({ min: 1, max: 40 }),
        (cmds, c, vnodes) => {
          const moves: BoundedLoadMove[] = []
          fc.modelRun(
            () => ({
              model: { nodes: new Map([['n0', 1]]), where: new Map() },
              real: {
                ring: new BoundedLoadRing(['n0'], { loadFactor: c, vnodes, onMove: (m) => moves.push(m) }),
                moves,
                c,
              },
            }),
            cmds,
          )
        },
      ),
      { numRuns: CI ? 600 : 150 },
    )
  })
}
