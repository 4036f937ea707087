import { ConsistentHashError, duplicateNode, emptyRing } from './errors.js'
import { murmur3_32 } from './murmur3.js'
import {
  checkHash,
  checkKey,
  checkOptions,
  type HashFunction,
  type NodeInput,
  parseNode,
  parseNodes,
  type RingNode,
  show,
} from './nodes.js'

// Maglev hashing (Eisenbud et al., "Maglev: A Fast and Reliable Software Network Load
// Balancer", NSDI 2016, section 3.4). Each node has a preference list over the M slots of a
// lookup table, the permutation  slot_j = (offset + j * skip) mod M  with M prime (so every
// skip in [1, M) visits every slot). Nodes take turns claiming their next free preferred slot
// until the table is full, so with equal weights every node ends with floor(M/N) or ceil(M/N)
// slots. A lookup is one hash and one array read.
//
// Weights: each node's slot count is fixed first, by largest-remainder apportionment of M to
// the weights (so every node is within one slot of its exact share M x w / W), then nodes
// take turns as in the paper, a node of weight w claiming w / max(w) slots per round (credit
// accumulates) until it reaches its count. With equal weights this is the paper's
// round-robin exactly. Nodes take turns in id order, so the table depends on the set of
// nodes, not the order they were added in.

const OFFSET_SEED = 0x4d41474c // "MAGL"
const SKIP_SEED = 0x45562121 // "EV!!"
const MAX_TABLE_SIZE = 16_777_259 // a prime just above 2^24: 64 MiB of Int32 while building

/** Options of {@link Maglev}. */
export interface MaglevOptions {
  /**
   * Lookup table entries: a prime, much larger than the node count (the paper uses >= 100x)
   * so the slot counts, which differ by at most one, are close in relative terms.
   * @default 65537
   */
  readonly tableSize?: number | undefined
  /**
   * The 32-bit hash of keys (node ids are always hashed with MurmurHash3).
   * @default murmur3_32
   */
  readonly hash?: HashFunction | undefined
}

/**
 * Largest-remainder (Hamilton) apportionment of `m` slots to `weights`: every count is the
 * floor or the ceiling of its exact share, and they sum to m. Ties go to the lower index.
 */
function apportion(m: number, weights: readonly number[]): number[] {
  let total = 0
  for (const w of weights) total += w
  const exact = weights.map((w) => (m * w) / total)
  const counts = exact.map(Math.floor)
  let left = m - counts.reduce((a, b) => a + b, 0)
  const byRemainder = exact
    .map((_, i) => i)
    .sort((a, b) => exact[b]! - counts[b]! - (exact[a]! - counts[a]!) || a - b)
  for (const i of byRemainder) {
    if (left <= 0) break
    counts[i]!++
    left--
  }
  return counts
}

function isPrime(n: number): boolean {
  if (n < 2) return false
  if (n % 2 === 0) return n === 2
  for (let d = 3; d * d <= n; d += 2) if (n % d === 0) return false
  return true
}

/**
 * Maglev hashing: a lookup table of `tableSize` slots filled by the nodes' preference lists.
 * Lookups are one hash and one array read; the table is balanced to within one slot per node;
 * a membership change rebuilds the table and moves a few keys beyond the minimum (see the
 * keys-moved table in the docs). Built for load balancers with many lookups and rare changes.
 *
 * @example
 * ```ts
 * import { Maglev } from '@hotpath/consistent-hash'
 *
 * const lb = new Maglev(['backend-1', 'backend-2', 'backend-3'], { tableSize: 65537 })
 * lb.get('10.1.2.3:51234')   // 'backend-1'
 * lb.slots()                 // Map { 'backend-1' => 21846, 'backend-2' => 21846, 'backend-3' => 21845 }
 * ```
 */
export class Maglev {
  /** Number of table slots (a prime). */
  readonly tableSize: number
  private ids: string[] = []
  private weightList: number[] = []
  private table: Uint16Array | Uint32Array = new Uint16Array(0)
  /** Node ids in id order: the table stores indexes into this list. */
  private sortedIds: string[] = []
  private readonly hash: HashFunction

  constructor(nodes: Iterable<NodeInput> = [], options: MaglevOptions = {}) {
    const o = checkOptions(options)
    const size = o.tableSize === undefined ? 65537 : o.tableSize
    if (
      typeof size !== 'number' ||
      !Number.isInteger(size) ||
      size < 2 ||
      size > MAX_TABLE_SIZE ||
      !isPrime(size)
    ) {
      throw new RangeError(`\`tableSize\` must be a prime from 2 to ${MAX_TABLE_SIZE}, got ${show(size)}`)
    }
    this.tableSize = size
    this.hash = checkHash(o.hash) ?? murmur3_32
    const list = parseNodes(nodes)
    const seen = new Set<string>()
    for (const n of list) {
      if (seen.has(n.id)) throw duplicateNode(n.id)
      seen.add(n.id)
    }
    this.checkCount(list.length)
    this.ids = list.map((n) => n.id)
    this.weightList = list.map((n) => n.weight)
    this.populate()
  }

  private checkCount(n: number): void {
    if (n > this.tableSize) {
      throw new ConsistentHashError(
        'ERR_TOO_MANY_NODES',
        `a Maglev table of ${this.tableSize} slots holds at most ${this.tableSize} nodes, got ${n}`,
      )
    }
  }

  private populate(): void {
    const m = this.tableSize
    const order = this.ids.map((_, i) => i).sort((a, b) => (this.ids[a]! < this.ids[b]! ? -1 : 1))
    const n = order.length
    this.sortedIds = order.map((i) => this.ids[i]!)
    if (n === 0) {
      this.table = new Uint16Array(0)
      return
    }
    const next = new Float64Array(n)
    const skip = new Float64Array(n)
    const share = new Float64Array(n)
    const weights = order.map((i) => this.weightList[i]!)
    const quota = apportion(m, weights)
    const maxWeight = Math.max(...weights)
    for (let r = 0; r < n; r++) {
      const id = this.sortedIds[r]!
      next[r] = murmur3_32(id, OFFSET_SEED) % m
      skip[r] = (murmur3_32(id, SKIP_SEED) % (m - 1)) + 1
      share[r] = weights[r]! / maxWeight
    }
    const entry = new Int32Array(m).fill(-1)
    const credit = new Float64Array(n)
    const taken = new Float64Array(n)
    let filled = 0
    outer: for (;;) {
      for (let r = 0; r < n; r++) {
        if (taken[r] === quota[r]) continue
        credit[r]! += share[r]!
        while (credit[r]! >= 1 && taken[r]! < quota[r]!) {
          credit[r]! -= 1
          taken[r]!++
          let c = next[r]!
          const s = skip[r]!
          while (entry[c] !== -1) {
            c += s
            if (c >= m) c -= m
          }
          entry[c] = r
          c += s
          next[r] = c >= m ? c - m : c
          if (++filled === m) break outer
        }
      }
    }
    this.table = n <= 0x10000 ? Uint16Array.from(entry) : Uint32Array.from(entry)
  }

  /**
   * The node for `key`: `table[hash(key) mod tableSize]`.
   * @throws {@link ConsistentHashError} `ERR_EMPTY_RING` when there are no nodes.
   */
  get(key: string): string {
    if (typeof key !== 'string') checkKey(key)
    if (this.sortedIds.length === 0) throw emptyRing('the Maglev table')
    return this.sortedIds[this.table[(this.hash(key) >>> 0) % this.tableSize]!]!
  }

  /**
   * Adds a node and rebuilds the table.
   * @throws {@link ConsistentHashError} `ERR_DUPLICATE_NODE`, or `ERR_TOO_MANY_NODES` when the
   * table has fewer slots than nodes.
   */
  add(node: NodeInput): this {
    const parsed = parseNode(node)
    if (this.ids.includes(parsed.id)) throw duplicateNode(parsed.id)
    this.checkCount(this.ids.length + 1)
    this.ids.push(parsed.id)
    this.weightList.push(parsed.weight)
    this.populate()
    return this
  }

  /** Removes a node and rebuilds the table. Returns false when there was no such node. */
  remove(id: string): boolean {
    const i = this.ids.indexOf(id)
    if (i < 0) return false
    this.ids.splice(i, 1)
    this.weightList.splice(i, 1)
    this.populate()
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

  /** Table slots held by each node: the share of keys it receives is slots / tableSize. */
  slots(): Map<string, number> {
    const counts = new Map<string, number>(this.sortedIds.map((id) => [id, 0]))
    for (let i = 0; i < this.table.length; i++) {
      const id = this.sortedIds[this.table[i]!]!
      counts.set(id, counts.get(id)! + 1)
    }
    return counts
  }
}
