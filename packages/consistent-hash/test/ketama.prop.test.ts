import { createRequire } from 'node:module'
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { HashRing } from '../src/index.js'
import { ketamaDigestCounts } from '../src/ketama.js'

const require = createRequire(import.meta.url)
type Peer = {
  get(key: string): string
  find(hash: number): number
  hashValue(key: string): number
  add(servers: Record<string, number>): Peer
  remove(server: string): Peer
  ring: Array<{ value: number; server: string }>
}
const HashRingPeer = require('hashring') as new (servers: Record<string, number>) => Peer

/**
 * hashring's placement without its LRU cache: that cache is a plain object, so keys such as
 * "valueOf" or "constructor" hit Object.prototype, get a wrong answer, and even write the
 * server onto Object.prototype.valueOf where every other ring instance then reads it.
 */
const placed = (peer: Peer, key: string) => peer.ring[peer.find(peer.hashValue(key))]!.server

const CI = Boolean(process.env.CI)
// Server strings as memcached clients write them; never integer-like, so hashring's object
// keys keep insertion order.
const server = fc
  .tuple(fc.nat(255), fc.nat(255), fc.integer({ min: 1024, max: 65535 }))
  .map(([a, b, port]) => `10.${a}.${b}.1:${port}`)
const weighted = fc.oneof(
  fc.uniqueArray(server, { minLength: 1, maxLength: 25 }).map((s) => s.map((id) => ({ id, weight: 1 }))),
  fc
    .uniqueArray(fc.tuple(server, fc.integer({ min: 1, max: 1000 })), {
      minLength: 1,
      maxLength: 25,
      selector: ([s]) => s,
    })
    .map((s) => s.map(([id, weight]) => ({ id, weight }))),
)
const keyList = fc.array(fc.string({ unit: 'binary', maxLength: 40 }), { minLength: 50, maxLength: 300 })
const asPeerInput = (nodes: Array<{ id: string; weight: number }>) =>
  Object.fromEntries(nodes.map((n) => [n.id, n.weight]))

describe('ketama modes agree with the npm hashring package', () => {
  test("'hashring' mode: the same continuum and the same server for every key", () => {
    fc.assert(
      fc.property(weighted, keyList, (nodes, keys) => {
        const peer = new HashRingPeer(asPeerInput(nodes))
        const ring = new HashRing(nodes, { compat: 'hashring' })
        expect(ring.points()).toEqual(peer.ring.map((n) => ({ point: n.value, id: n.server })))
        for (const k of keys) expect(ring.get(k)).toBe(placed(peer, k))
      }),
      { numRuns: CI ? 150 : 30 },
    )
  })

  test("'ketama' mode: identical to hashring wherever their weight-share arithmetic agrees", () => {
    fc.assert(
      fc.property(weighted, keyList, (nodes, keys) => {
        const w = nodes.map((n) => n.weight)
        fc.pre(
          ketamaDigestCounts(w, 40, 'ketama').every((d, i) => d === ketamaDigestCounts(w, 40, 'hashring')[i]),
        )
        const peer = new HashRingPeer(asPeerInput(nodes))
        const ring = new HashRing(nodes, { compat: 'ketama' })
        expect(ring.points()).toEqual(peer.ring.map((n) => ({ point: n.value, id: n.server })))
        for (const k of keys) expect(ring.get(k)).toBe(placed(peer, k))
      }),
      { numRuns: CI ? 150 : 30 },
    )
  })

  test("'hashring' mode follows hashring through any sequence of add and remove", () => {
    const op = fc.oneof(
      fc.tuple(fc.constant('add' as const), server, fc.integer({ min: 1, max: 9 })),
      fc.tuple(fc.constant('remove' as const), fc.nat(), fc.constant(0)),
    )
    fc.assert(
      fc.property(weighted, fc.array(op, { maxLength: 12 }), keyList, (nodes, ops, keys) => {
        const peer = new HashRingPeer(asPeerInput(nodes))
        const ring = new HashRing(nodes, { compat: 'hashring' })
        for (const [kind, arg, weight] of ops) {
          if (kind === 'add') {
            if (ring.has(arg)) continue
            peer.add({ [arg]: weight })
            ring.add({ id: arg, weight })
          } else {
            if (ring.size <= 1) continue
            const id = ring.nodes[arg % ring.size]!.id
            peer.remove(id)
            ring.remove(id)
          }
          expect(ring.points()).toEqual(peer.ring.map((n) => ({ point: n.value, id: n.server })))
        }
        for (const k of keys) expect(ring.get(k)).toBe(placed(peer, k))
      }),
      { numRuns: CI ? 100 : 20 },
    )
  })
})
