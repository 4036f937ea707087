import { duplicateNode, emptyRing } from './errors.js'
import { fmix32, murmur3_32 } from './murmur3.js'
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
} from './nodes.js'

// Rendezvous (highest random weight) hashing, Thaler & Ravishankar 1996: every node scores
// the key and the highest score wins. Weights use the logarithmic method (Schindelhauer &
// Schomaker, "Weighted distributed hash tables", 2005): score = -w / ln(u) with u the node's
// hash of the key mapped into (0, 1), which gives each node exactly its weight's share.
//
// The key is hashed once; each node's per-key hash is two rounds of MurmurHash3's bijective
// finalizer over (key hash ^ node seed). Seeds are 64 bits (two murmur3_32 of the id with
// different seeds), so two nodes never share a whole score sequence even when one 32-bit
// seed collides, which at 1,000 nodes happens once in ~8,600 rings.

const SEED_A = 0x52454e44 // "REND"
const SEED_B = 0x48525721 // "HRW!"
const INV_2_32 = 1 / 4294967296

/** Options of {@link RendezvousHash}. */
export interface RendezvousHashOptions {
  /**
   * The 32-bit hash of keys (node ids are always hashed with MurmurHash3).
   * @default murmur3_32
   */
  readonly hash?: HashFunction | undefined
}

/**
 * Rendezvous hashing (highest random weight): each node scores each key and the best score
 * wins. No ring and no vnodes: balance is as good as the hash, removing a node moves only its
 * keys, adding one moves to it only the keys it now wins, and `getN` gives replicas for free.
 * Lookups cost O(nodes), so it suits tens to a few hundred nodes (see the docs' table).
 *
 * @example
 * ```ts
 * import { RendezvousHash } from '@hotpath/consistent-hash'
 *
 * const hrw = new RendezvousHash(['db-1', 'db-2', { id: 'db-3', weight: 2 }])
 * hrw.get('order:1001')       // 'db-3'
 * hrw.getN('order:1001', 2)   // ['db-3', 'db-2']: the best two, best first
 * ```
 */
export class RendezvousHash {
  private ids: string[] = []
  private weightList: number[] = []
  private seedA = new Int32Array(0)
  private seedB = new Int32Array(0)
  private weights = new Float64Array(0)
  private uniform = true
  private readonly hash: HashFunction

  constructor(nodes: Iterable<NodeInput> = [], options: RendezvousHashOptions = {}) {
    const o = checkOptions(options)
    this.hash = checkHash(o.hash) ?? murmur3_32
    const list = parseNodes(nodes)
    const seen = new Set<string>()
    for (const n of list) {
      if (seen.has(n.id)) throw duplicateNode(n.id)
      seen.add(n.id)
    }
    this.ids = list.map((n) => n.id)
    this.weightList = list.map((n) => n.weight)
    this.reindex()
  }

  private reindex(): void {
    const n = this.ids.length
    this.seedA = new Int32Array(n)
    this.seedB = new Int32Array(n)
    this.weights = Float64Array.from(this.weightList)
    for (let i = 0; i < n; i++) {
      this.seedA[i] = murmur3_32(this.ids[i]!, SEED_A)
      this.seedB[i] = murmur3_32(this.ids[i]!, SEED_B)
    }
    this.uniform = this.weightList.every((w) => w === this.weightList[0])
  }

  /**
   * The node with the highest score for `key`.
   * @throws {@link ConsistentHashError} `ERR_EMPTY_RING` when there are no nodes.
   */
  get(key: string): string {
    if (typeof key !== 'string') checkKey(key)
    const n = this.ids.length
    if (n === 0) throw emptyRing('the rendezvous hash')
    const kh = this.hash(key) | 0
    const a = this.seedA
    const b = this.seedB
    const ids = this.ids
    let best = 0
    if (this.uniform) {
      // Equal weights: -w / ln(u) grows with u, so comparing the raw hashes is enough.
      let bestScore = -1
      for (let i = 0; i < n; i++) {
        const s = fmix32(fmix32(kh ^ a[i]!) ^ b[i]!)
        if (s > bestScore || (s === bestScore && ids[i]! < ids[best]!)) {
          bestScore = s
          best = i
        }
      }
    } else {
      const w = this.weights
      let bestScore = -1
      for (let i = 0; i < n; i++) {
        const u = (fmix32(fmix32(kh ^ a[i]!) ^ b[i]!) + 0.5) * INV_2_32
        const s = w[i]! / -Math.log(u)
        if (s > bestScore || (s === bestScore && ids[i]! < ids[best]!)) {
          bestScore = s
          best = i
        }
      }
    }
    return ids[best]!
  }

  /**
   * The `n` best nodes for `key`, best first (all nodes if `n` exceeds the count). When the
   * first fails, the second is exactly where `get` sends the key once the first is removed.
   */
  getN(key: string, n: number): string[] {
    if (typeof key !== 'string') checkKey(key)
    checkInteger('n', n, 1, Number.MAX_SAFE_INTEGER)
    const count = this.ids.length
    if (count === 0) throw emptyRing('the rendezvous hash')
    const kh = this.hash(key) | 0
    const scores = new Float64Array(count)
    for (let i = 0; i < count; i++) {
      const h = fmix32(fmix32(kh ^ this.seedA[i]!) ^ this.seedB[i]!)
      scores[i] = this.uniform ? h : this.weights[i]! / -Math.log((h + 0.5) * INV_2_32)
    }
    const order = Array.from({ length: count }, (_, i) => i)
    const ids = this.ids
    order.sort((x, y) => scores[y]! - scores[x]! || (ids[x]! < ids[y]! ? -1 : 1))
    return order.slice(0, Math.min(n, count)).map((i) => ids[i]!)
  }

  /**
   * Adds a node: it takes exactly the keys it now scores best on.
   * @throws {@link ConsistentHashError} `ERR_DUPLICATE_NODE` if the id is present.
   */
  add(node: NodeInput): this {
    const parsed = parseNode(node)
    if (this.ids.includes(parsed.id)) throw duplicateNode(parsed.id)
    this.ids.push(parsed.id)
    this.weightList.push(parsed.weight)
    this.reindex()
    return this
  }

  /** Removes a node; only its keys move. Returns false when there was no such node. */
  remove(id: string): boolean {
    const i = this.ids.indexOf(id)
    if (i < 0) return false
    this.ids.splice(i, 1)
    this.weightList.splice(i, 1)
    this.reindex()
    return true
  }

  /** Whether a node with this id is present. */
  has(id: string): boolean {
    return this.ids.includes(id)
  }

  /** Number of nodes. */
  get size(): number {
    return this.ids.length
  }

  /** The nodes, in the order they were added. */
  get nodes(): RingNode[] {
    return this.ids.map((id, i) => ({ id, weight: this.weightList[i]! }))
  }
}
