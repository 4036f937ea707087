import type { Continuum } from './continuum.js'
import { emptyRing } from './errors.js'
import type { KetamaCompat } from './ketama.js'
import { fmix32 } from './murmur3.js'
import {
  checkHash,
  checkInteger,
  checkKey,
  checkOptions,
  type HashFunction,
  type NodeInput,
  parseNode,
  parseNodes,
  type RingNode,
  show,
} from './nodes.js'
import { RingCore } from './ring-core.js'

/** One point of the ring's continuum, as returned by {@link HashRing.points}. */
export interface RingPoint {
  /** Position on the circle, an unsigned 32-bit integer. */
  readonly point: number
  /** The id of the node that owns this point. */
  readonly id: string
}

/** Options of {@link HashRing}. */
export interface HashRingOptions {
  /**
   * Points on the circle per node of weight 1 (a node of weight w gets round(vnodes x w), at
   * least 1). More points, better balance, more memory: see the docs for the table.
   * In a ketama mode: points per server at equal weights, a multiple of 4 (libketama: 160,
   * i.e. 40 MD5 digests of 4 points).
   * @default 160
   */
  readonly vnodes?: number | undefined
  /**
   * Positions each key is hashed to (multi-probe consistent hashing, Appleton & O'Reilly 2015):
   * the key goes to the point closest after any of its positions. 1 is the textbook ring; 3
   * cuts the load spread of 160 vnodes roughly in half (max/mean over 10 nodes typically
   * 1.06 instead of 1.13) and keeps every consistency guarantee, for about 1.5-2x the lookup
   * time. Must be 1 with `compat`.
   * @default 3 (1 with `compat`)
   */
  readonly probes?: number | undefined
  /**
   * The 32-bit hash placing keys and points (vnode i of node `id` sits at `hash(id + '-' + i)`).
   * Not allowed with `compat`, which fixes the hash to MD5.
   * @default murmur3_32
   */
  readonly hash?: HashFunction | undefined
  /**
   * Place points and keys exactly as another client does:
   * - `'ketama'`: libketama, the C library most memcached clients follow (MD5 points, weight
   *   share computed in C float arithmetic);
   * - `'hashring'`: the npm `hashring` package (the same, but the weight share in doubles,
   *   which differs from libketama for some server counts and weights, e.g. 7 equal servers).
   * Node ids are the server strings the other client hashes, e.g. `'10.0.0.1:11211'`.
   */
  readonly compat?: KetamaCompat | undefined
}

const GOLDEN = 0x9e3779b9

/** Position of probe j >= 1, derived from the key's hash by a bijective mix: no rehash of the key. */
function probe(h: number, j: number): number {
  return fmix32((h ^ Math.imul(j, GOLDEN)) >>> 0)
}

/**
 * A consistent hash ring: each node owns many pseudo-random points ("virtual nodes") on a
 * 32-bit circle, and a key belongs to the first point at or after its hash. Adding a node
 * moves only the keys that now land on its points (about 1/(n+1) of them); removing one moves
 * only its own keys.
 *
 * Points live in one sorted `Uint32Array` with the owners in a parallel typed array, so a
 * lookup is a hash plus a search over a few points (an index on the top bits narrows it).
 * `add` and `remove` patch the arrays in place (a merge, a filter) instead of rebuilding.
 *
 * @example
 * ```ts
 * import { HashRing } from '@hotpath/consistent-hash'
 *
 * const ring = new HashRing(['cache-a', 'cache-b', { id: 'cache-c', weight: 2 }])
 * ring.get('user:42')        // 'cache-c'
 * ring.getN('user:42', 2)    // ['cache-c', 'cache-b']: two distinct nodes, for replication
 * ring.add('cache-d')        // its share, 1/5 of the keys, moves to cache-d; nothing else moves
 * ring.remove('cache-a')     // only cache-a's keys move
 *
 * // Agree with memcached clients on where each key lives:
 * const ketama = new HashRing(['10.0.0.1:11211', '10.0.0.2:11211'], { compat: 'ketama' })
 * ```
 */
export class HashRing {
  private readonly core: RingCore
  private readonly continuum: Continuum
  private readonly ids: (string | undefined)[]
  private readonly hashKey: HashFunction
  private readonly probes: number
  // getN's per-probe positions and cursors, reused across calls.
  private readonly probePos: Uint32Array
  private readonly probeAt: Int32Array
  // getN marks the slots it has taken with a fresh stamp instead of clearing a set.
  private seen = new Uint32Array(0)
  private stamp = 0

  constructor(nodes: Iterable<NodeInput> = [], options: HashRingOptions = {}) {
    const o = checkOptions(options)
    const compat = o.compat
    if (compat !== undefined && compat !== 'ketama' && compat !== 'hashring') {
      throw new TypeError(`\`compat\` must be 'ketama' or 'hashring', got ${show(compat)}`)
    }
    const hash = checkHash(o.hash)
    if (compat && hash)
      throw new TypeError('`hash` cannot be combined with `compat`: ketama placement uses MD5')
    let vnodes: number
    if (compat) {
      vnodes = o.vnodes === undefined ? 160 : checkInteger('vnodes', o.vnodes, 4, 40_000)
      if (vnodes % 4 !== 0)
        throw new RangeError(`\`vnodes\` must be a multiple of 4 with \`compat\`, got ${vnodes}`)
    } else {
      vnodes = o.vnodes === undefined ? 160 : checkInteger('vnodes', o.vnodes, 1, 10_000)
    }
    this.probes = o.probes === undefined ? (compat ? 1 : 3) : checkInteger('probes', o.probes, 1, 16)
    if (compat && this.probes !== 1)
      throw new RangeError(`\`probes\` must be 1 with \`compat\`, got ${this.probes}`)
    this.probePos = new Uint32Array(this.probes)
    this.probeAt = new Int32Array(this.probes)
    this.core = new RingCore(vnodes, hash, compat)
    this.continuum = this.core.continuum
    this.ids = this.core.ids
    this.hashKey = this.core.hashKey
    this.core.add(parseNodes(nodes))
  }

  /**
   * The node owning `key`.
   * @throws {@link ConsistentHashError} `ERR_EMPTY_RING` when the ring has no nodes.
   */
  get(key: string): string {
    if (typeof key !== 'string') checkKey(key)
    const c = this.continuum
    const n = c.length
    if (n === 0) throw emptyRing('the ring')
    const h = this.hashKey(key) >>> 0
    let best = c.lowerBound(h)
    if (best === n) best = 0
    if (this.probes > 1) {
      // The point closest after any probe wins; a tie goes to the earlier probe.
      const points = c.points
      let bestDistance = (points[best]! - h) >>> 0
      for (let j = 1; j < this.probes; j++) {
        const q = probe(h, j)
        let i = c.lowerBound(q)
        if (i === n) i = 0
        const d = (points[i]! - q) >>> 0
        if (d < bestDistance) {
          bestDistance = d
          best = i
        }
      }
    }
    return this.ids[c.owners[best]!]!
  }

  /**
   * Up to `n` distinct nodes for `key`, best first: the first is {@link HashRing.get}'s answer
   * and each next one is the node that would own the key if all before it were removed. So
   * when a node goes away, every replica list it was in just loses it and gains one node at
   * the end. With `probes: 1` this is the clockwise walk of the textbook ring. Returns every
   * node when `n` exceeds the node count.
   */
  getN(key: string, n: number): string[] {
    if (typeof key !== 'string') checkKey(key)
    checkInteger('n', n, 1, Number.MAX_SAFE_INTEGER)
    const c = this.continuum
    const len = c.length
    if (len === 0) throw emptyRing('the ring')
    const want = Math.min(n, this.core.size)
    if (this.seen.length < this.ids.length) this.seen = new Uint32Array(this.ids.length * 2)
    const seen = this.seen
    if (++this.stamp === 0xffffffff) {
      seen.fill(0)
      this.stamp = 1
    }
    const stamp = this.stamp
    const owners = c.owners
    const points = c.points
    const out: string[] = []
    const h = this.hashKey(key) >>> 0
    if (this.probes === 1) {
      let i = c.lowerBound(h)
      for (let steps = 0; steps < len && out.length < want; steps++) {
        if (i === len) i = 0
        const o = owners[i]!
        if (seen[o] !== stamp) {
          seen[o] = stamp
          out.push(this.ids[o]!)
        }
        i++
      }
      return out
    }
    const pos = this.probePos
    const at = this.probeAt
    for (let j = 0; j < this.probes; j++) {
      const q = j === 0 ? h : probe(h, j)
      pos[j] = q
      const i = c.lowerBound(q)
      at[j] = i === len ? 0 : i
    }
    // Every node owns at least one point here (default mode), so while fewer than `want`
    // nodes are taken each cursor finds an untaken point within one lap.
    while (out.length < want) {
      let best = 0
      let bestDistance = 2 ** 32
      for (let j = 0; j < this.probes; j++) {
        let i = at[j]!
        while (seen[owners[i]!] === stamp) i = i + 1 === len ? 0 : i + 1
        at[j] = i
        const d = (points[i]! - pos[j]!) >>> 0
        if (d < bestDistance) {
          bestDistance = d
          best = j
        }
      }
      const o = owners[at[best]!]!
      seen[o] = stamp
      out.push(this.ids[o]!)
    }
    return out
  }

  /**
   * Adds a node. Only keys that now fall on its points move, and they all move to it.
   * @throws {@link ConsistentHashError} `ERR_DUPLICATE_NODE` if the id is present.
   */
  add(node: NodeInput): this {
    this.core.add([parseNode(node)])
    return this
  }

  /** Removes a node; only its keys move. Returns false when there was no such node. */
  remove(id: string): boolean {
    return this.core.remove(id) >= 0
  }

  /** Whether a node with this id is on the ring. */
  has(id: string): boolean {
    return this.core.slotOf(id) !== undefined
  }

  /** Number of nodes. */
  get size(): number {
    return this.core.size
  }

  /** The nodes, in the order they were added. */
  get nodes(): RingNode[] {
    return this.core.nodes()
  }

  /** Number of points on the circle (the sum of every node's vnodes). */
  get pointCount(): number {
    return this.continuum.length
  }

  /** Where `key` lands on the circle: its unsigned 32-bit hash. */
  position(key: string): number {
    if (typeof key !== 'string') checkKey(key)
    return this.hashKey(key) >>> 0
  }

  /**
   * Every point on the circle, ascending, with its owner: for drawing the ring or checking
   * placement against another client. Allocates one object per point.
   */
  points(): Array<RingPoint> {
    const c = this.continuum
    const out = new Array<RingPoint>(c.length)
    for (let i = 0; i < c.length; i++) out[i] = { point: c.points[i]!, id: this.ids[c.owners[i]!]! }
    return out
  }
}
