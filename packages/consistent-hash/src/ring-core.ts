import { Continuum } from './continuum.js'
import { ConsistentHashError, duplicateNode } from './errors.js'
import { type KetamaCompat, ketamaDigestCounts, ketamaHash, ketamaPoints } from './ketama.js'
import { murmur3_32 } from './murmur3.js'
import type { HashFunction, RingNode } from './nodes.js'

// Node bookkeeping and point placement behind HashRing and BoundedLoadRing. Nodes live in
// numbered slots (a freed slot is reused), and the continuum stores slot numbers, so a
// lookup ends in one array read for the id.

/** Continuum.rebuild packs (point, rank) into a double: ranks need 21 bits. */
const MAX_NODES = 0x1fffff
/** Default mode: vnodes x weight is capped so one heavy node cannot take all memory. */
export const MAX_POINTS_PER_NODE = 1_000_000

/** @internal */
export class RingCore {
  readonly continuum: Continuum = new Continuum()
  /** Node id by slot (undefined: free slot). */
  readonly ids: (string | undefined)[] = []
  readonly weights: number[] = []
  /** The key's position on the circle. */
  readonly hashKey: HashFunction
  private readonly hash: HashFunction
  private readonly slots = new Map<string, number>()
  private readonly free: number[] = []
  /** Live slots in insertion order (ketama's tie order and the order `nodes` reports). */
  private order: number[] = []
  // ketama modes only: per slot, the points of the digests generated so far (generation
  // order), how many digests that is, and how many are on the circle now.
  private readonly cache: (Uint32Array | undefined)[] = []
  private readonly cached: number[] = []
  private readonly used: number[] = []

  constructor(
    readonly vnodes: number,
    hash: HashFunction | undefined,
    readonly compat: KetamaCompat | undefined,
  ) {
    this.hash = hash ?? murmur3_32
    this.hashKey = compat ? ketamaHash : this.hash
  }

  get size(): number {
    return this.order.length
  }

  slotOf(id: string): number | undefined {
    return this.slots.get(id)
  }

  /** Live nodes in insertion order. */
  nodes(): RingNode[] {
    return this.order.map((s) => ({ id: this.ids[s]!, weight: this.weights[s]! }))
  }

  /** Points a node of this weight gets in the default mode. */
  private pointCount(weight: number): number {
    return Math.max(1, Math.round(this.vnodes * weight))
  }

  /**
   * Adds nodes, all or none: everything that can throw (validation, a user hash function)
   * runs before any state changes.
   */
  add(nodes: readonly RingNode[]): number[] {
    if (nodes.length === 0) return []
    const seen = new Set<string>()
    for (const n of nodes) {
      if (this.slots.has(n.id) || seen.has(n.id)) throw duplicateNode(n.id)
      seen.add(n.id)
      if (!this.compat && this.vnodes * n.weight > MAX_POINTS_PER_NODE) {
        throw new RangeError(
          `\`vnodes\` x \`weight\` of node ${JSON.stringify(n.id)} must be at most ${MAX_POINTS_PER_NODE} points, got ${this.vnodes * n.weight}`,
        )
      }
    }
    if (this.order.length + nodes.length > MAX_NODES) {
      throw new ConsistentHashError('ERR_TOO_MANY_NODES', `a ring holds at most ${MAX_NODES} nodes`)
    }
    const fresh = this.compat ? [] : nodes.map((n) => this.defaultPoints(n.id, n.weight))
    const wasEmpty = this.continuum.length === 0
    const added = nodes.map((n) => this.claim(n))
    if (this.compat) {
      this.placeKetama(added.length === 1 && !wasEmpty ? added[0]! : -1)
    } else if (wasEmpty) {
      this.rebuildDefault(added, fresh)
    } else {
      const ids = this.ids
      for (let i = 0; i < added.length; i++)
        this.continuum.insert(fresh[i]!, added[i]!, (a, b) => ids[a]! < ids[b]!)
    }
    return added
  }

  /** Removes a node; returns its slot, or -1 if there is no such node. */
  remove(id: string): number {
    const slot = this.slots.get(id)
    if (slot === undefined) return -1
    this.order = this.order.filter((s) => s !== slot)
    this.slots.delete(id)
    if (this.compat) {
      const points = this.used[slot]! * 4
      this.used[slot] = 0
      this.placeKetama(-1, slot, points)
    } else {
      this.continuum.removeOwner(slot, this.pointCount(this.weights[slot]!))
    }
    this.ids[slot] = undefined
    this.cache[slot] = undefined
    this.cached[slot] = 0
    this.free.push(slot)
    return slot
  }

  private claim(node: RingNode): number {
    const slot = this.free.length > 0 ? this.free.pop()! : this.ids.length
    this.ids[slot] = node.id
    this.weights[slot] = node.weight
    this.cached[slot] = 0
    this.used[slot] = 0
    this.slots.set(node.id, slot)
    this.order.push(slot)
    return slot
  }

  private defaultPoints(id: string, weight: number): Uint32Array {
    const count = this.pointCount(weight)
    const points = new Uint32Array(count)
    for (let i = 0; i < count; i++) points[i] = this.hash(`${id}-${i}`) >>> 0
    return points.sort()
  }

  /** Default mode, many nodes onto an empty circle: one sort instead of one merge per node. */
  private rebuildDefault(added: number[], fresh: Uint32Array[]): void {
    const byId = [...added].sort((a, b) => (this.ids[a]! < this.ids[b]! ? -1 : 1))
    const rank = new Map(byId.map((s, i) => [s, i]))
    this.continuum.rebuild(
      added.map((owner, i) => ({
        owner,
        rank: rank.get(owner)!,
        points: fresh[i]!,
        count: fresh[i]!.length,
      })),
    )
  }

  /**
   * Ketama modes: every node's digest count depends on the total weight and the node count,
   * so a membership change can change everyone's count. When only the changed node's own
   * points differ (the usual case: equal weights) the circle is patched in place; otherwise
   * it is rebuilt from the cached digests, hashing only digests never computed before.
   */
  private placeKetama(addedSlot: number, removedSlot = -1, removedPoints = 0): void {
    const order = this.order
    const counts = ketamaDigestCounts(
      order.map((s) => this.weights[s]!),
      this.vnodes / 4,
      this.compat!,
    )
    let othersChanged = false
    for (let i = 0; i < order.length; i++) {
      const s = order[i]!
      if (s !== addedSlot && counts[i] !== this.used[s]) othersChanged = true
    }
    if (!othersChanged && addedSlot >= 0) {
      const i = order.indexOf(addedSlot)
      const count = counts[i]!
      this.ensureDigests(addedSlot, count)
      this.used[addedSlot] = count
      const sorted = this.cache[addedSlot]!.slice(0, count * 4).sort()
      // The newest node is last in insertion order: it loses every tie, as in hashring's
      // stable sort of its server list.
      this.continuum.insert(sorted, addedSlot, () => false)
      return
    }
    if (!othersChanged && removedSlot >= 0) {
      this.continuum.removeOwner(removedSlot, removedPoints)
      return
    }
    const lists: { owner: number; rank: number; points: Uint32Array; count: number }[] = []
    for (let i = 0; i < order.length; i++) {
      const s = order[i]!
      const count = counts[i]!
      this.ensureDigests(s, count)
      this.used[s] = count
      lists.push({ owner: s, rank: i, points: this.cache[s]!, count: count * 4 })
    }
    this.continuum.rebuild(lists)
  }

  private ensureDigests(slot: number, digests: number): void {
    const have = this.cached[slot]!
    if (have >= digests) return
    const next = new Uint32Array(digests * 4)
    const old = this.cache[slot]
    if (old) next.set(old.subarray(0, have * 4))
    ketamaPoints(this.ids[slot]!, have, digests, next)
    this.cache[slot] = next
    this.cached[slot] = digests
  }
}
