import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { describe, expect, test } from 'vitest'
import { HashRing, type KetamaCompat } from '../src/index.js'
import { ketamaDigestCounts } from '../src/ketama.js'
import counts from './fixtures/ketama-counts.json' with { type: 'json' }

// hashring@3.2.0 (devDependency) and the fixtures it ships, recorded from other clients:
// tests/fixtures/ketama.txt (Python `ketama` module, libketama's binding), pylibmc.txt
// (pylibmc, i.e. libmemcached) and libmemcached.json (libmemcached's own ketama test cases).
const require = createRequire(import.meta.url)
type Peer = {
  get(key: string): string
  find(hash: number): number
  hashValue(key: string): number
  ring: Array<{ value: number; server: string }>
}
const HashRingPeer = require('hashring') as new (servers: Record<string, number> | string[]) => Peer
const fixtures = require.resolve('hashring/tests/fixtures/ketama.txt').replace(/ketama\.txt$/, '')
const lines = (file: string) => readFileSync(fixtures + file, 'utf8').split('\n')
const modes: KetamaCompat[] = ['ketama', 'hashring']

describe('the hashring peer', () => {
  test('its LRU cache answers keys named like Object.prototype members wrongly, even across rings', () => {
    // The bug the property tests work around by reading hashring's placement uncached.
    const a = new HashRingPeer(['a:1', 'b:1'])
    const b = new HashRingPeer(['c:1', 'd:1'])
    a.get('hasOwnProperty')
    expect(['c:1', 'd:1']).not.toContain(b.get('hasOwnProperty'))
    expect(new HashRing(['c:1', 'd:1'], { compat: 'hashring' }).get('hasOwnProperty')).toBe(
      b.ring[b.find(b.hashValue('hasOwnProperty'))]!.server,
    )
  })
})

describe('ketama compatibility: recorded output of other clients', () => {
  test.each(modes)('%s mode: Python ketama (libketama) on 100,000 keys, weights 1..5', (compat) => {
    const expected = lines('ketama.txt')
    const ring = new HashRing(
      [1, 2, 3, 4, 5].map((w) => ({ id: `0.0.0.${w}`, weight: w })),
      { compat },
    )
    const wrong: string[] = []
    for (let i = 0; i < 100_000; i++)
      if (`${i} ${ring.get(String(i))}` !== expected[i]) wrong.push(expected[i]!)
    expect(wrong).toEqual([])
  })

  test.each(modes)('%s mode: pylibmc (libmemcached) on 100,000 keys', (compat) => {
    // libmemcached leaves the default port 11211 out of the string it hashes.
    const expected = lines('pylibmc.txt')
    const shown: Record<string, string> = { '0.0.0.1': '0.0.0.1:11211', '0.0.0.2': '0.0.0.2:11211' }
    const ring = new HashRing(['0.0.0.1', '0.0.0.2', '0.0.0.3', '0.0.0.4:11213', '0.0.0.5:11212'], { compat })
    const wrong: string[] = []
    for (let i = 0; i < 100_000; i++) {
      const id = ring.get(String(i))
      if (`${i} ${shown[id] ?? id}` !== expected[i]) wrong.push(expected[i]!)
    }
    expect(wrong).toEqual([])
  })

  test.each(modes)(
    "%s mode: libmemcached's weighted ketama test cases: key hash, point and server",
    (compat) => {
      const cases = require('hashring/tests/fixtures/libmemcached.json') as Array<
        [string, number, number, string]
      >
      const weights = [600, 300, 200, 350, 1000, 800, 950, 100]
      const ring = new HashRing(
        weights.map((weight, i) => ({ id: `10.0.1.${i + 1}`, weight })),
        { compat },
      )
      const points = ring.points()
      expect(cases).toHaveLength(99)
      for (const [key, hash, point, server] of cases) {
        expect(ring.position(key)).toBe(hash)
        const at = points.find((p) => p.point >= hash) ?? points[0]!
        expect(at.point).toBe(point)
        expect(ring.get(key)).toBe(server)
      }
      // 'VDEAAAAA' hashes past the last point: the lookup wraps to the first.
      expect(ring.position('VDEAAAAA')).toBeGreaterThan(points.at(-1)!.point)
      expect(ring.get('VDEAAAAA')).toBe(points[0]!.id)
    },
  )
})

describe('ketama weight share: C float arithmetic (libketama) vs doubles (hashring)', () => {
  test('digest counts equal those of the C expression compiled with gcc (test/fixtures/ketama-counts.c)', () => {
    counts.equal.forEach((digests, i) => {
      const n = i + 1
      expect(ketamaDigestCounts(new Array(n).fill(1), 40, 'ketama'), `${n} equal servers`).toEqual(
        new Array(n).fill(digests),
      )
    })
    for (const { weights, digests } of counts.weighted) {
      expect(ketamaDigestCounts(weights, 40, 'ketama'), JSON.stringify(weights)).toEqual(digests)
    }
  })

  test('the fixture is not trivial: libketama gives 39 digests to each of 61 equal servers', () => {
    expect(counts.equal[60]).toBe(39)
    expect(counts.equal.filter((d) => d !== 40).length).toBeGreaterThan(0)
    expect(
      counts.weighted.some(({ weights, digests }) => {
        const js = ketamaDigestCounts(weights, 40, 'hashring')
        return js.some((d, i) => d !== digests[i])
      }),
    ).toBe(true)
  })

  test('7 equal servers: libketama places 40 digests each, hashring 39; each mode matches its client', () => {
    const servers = Array.from({ length: 7 }, (_, i) => `10.0.0.${i + 1}:11211`)
    const peer = new HashRingPeer(servers)
    const ketama = new HashRing(servers, { compat: 'ketama' })
    const hashring = new HashRing(servers, { compat: 'hashring' })
    expect(ketama.pointCount).toBe(7 * 160)
    expect(peer.ring.length).toBe(7 * 156)
    expect(hashring.pointCount).toBe(7 * 156)
    expect(hashring.points()).toEqual(peer.ring.map((n) => ({ point: n.value, id: n.server })))
    let differ = 0
    for (let i = 0; i < 20_000; i++) {
      const key = `key:${i}`
      expect(hashring.get(key)).toBe(peer.get(key))
      if (ketama.get(key) !== peer.get(key)) differ++
    }
    expect(differ).toBeGreaterThan(0)
  })

  test('non-ASCII server names and keys hash as UTF-8 (what hashring feeds MD5)', () => {
    const servers = ['sérvér-1:11211', 'сервер-2:11211', '服务器-3:11211']
    const peer = new HashRingPeer(servers)
    const ring = new HashRing(servers, { compat: 'hashring' })
    for (const key of ['clé', 'ключ', '键', 'plain', '😀', 'k'.repeat(100)])
      expect(ring.get(key)).toBe(peer.get(key))
  })
})
