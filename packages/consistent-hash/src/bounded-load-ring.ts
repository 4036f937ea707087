import { ConsistentHashError, emptyRing } from './errors.js'
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

// Consistent hashing with bounded loads (Mirrokni, Thorup & Zadimoghaddam, SODA 2018): a ring
// where each node accepts keys only up to a capacity of ceil(c x average load), c > 1. A key
// walks clockwise from its hash to the first node with room, so a hot region of the ring, an
// unlucky node or a burst of keys overflows to the following nodes instead of piling up.
//
// Here the capacity of node i with weight w_i, when m keys are assigned and the weights sum
// to W, is ceil(c x m x w_i / W) (ceil(c x m / n) for equal weights). It holds after every
// operation, not just when a key is placed: a release, or an added node, lowers the average,
// and then the keys over the new capacity are moved on (to the next node with room on their
// own walk) and reported through `onMove`.

/** One key relocated to keep every node within its capacity. */
export interface BoundedLoadMove {
  /** The key that changed node. */
  readonly key: string
  /** The node that held the key before. */
  readonly from: string
  /** The node that holds the key now. */
  readonly to: string
}

/** Options of {@link BoundedLoadRing}. */
export interface BoundedLoadRingOptions {
  /**
   * c: no node holds more than ceil(c x the average load). Closer to 1 balances tighter but
   * sends more keys away from their first choice (the paper bounds the expected keys moved per
   * change by O(1/(c - 1)^2)).
   * @default 1.25
   */
  readonly loadFactor?: number | undefined
  /** Points per node of weight 1. @default 160 */
  readonly vnodes?: number | undefined
  /** The 32-bit hash placing keys and points. @default murmur3_32 */
  readonly hash?: HashFunction | undefined
  /**
   * Called for each key moved between nodes to keep the bound (after a `release`, `add` or
   * `remove`), once the structure is consistent again. If it throws, the remaining moves are
   * still reported and the first error is rethrown at the end.
   */
  readonly onMove?: ((move: BoundedLoadMove) => void) | undefined
}

interface Entry {
  /** The key's position on the circle, kept so moving a key never calls the hash again. */
  readonly at: number
  slot: number
  /** Index in the slot's member list, for O(1) removal. */
  pos: number
}

/**
 * Consistent hashing with bounded loads: tracks which node each key is assigned to and never
 * lets a node hold more than ceil(loadFactor x average) keys. Use it where a plain ring's
 * imbalance, or a hot spot, would overload one server: sticky sessions, connection or
 * stream assignment, work queues.
 *
 * @example
 * ```ts
 * import { BoundedLoadRing } from '@hotpath/consistent-hash'
 *
 * const ring = new BoundedLoadRing(['w1', 'w2', 'w3'], {
 *   loadFactor: 1.25,
 *   onMove: ({ key, from, to }) => console.log(`${key}: ${from} -> ${to}`),
 * })
 * const worker = ring.assign('stream:42')   // the same answer until released
 * ring.release('stream:42')
 * ```
 */
export class BoundedLoadRing {
  /** The c in ceil(c x average load). */
  readonly loadFactor: number
  private readonly core: RingCore
  private readonly onMove: ((move: BoundedLoadMove) => void) | undefined
  private readonly entries = new Map<string, Entry>()
  /** Keys on each slot. */
  private members: string[][] = []
  private totalWeight = 0

  constructor(nodes: Iterable<NodeInput> = [], options: BoundedLoadRingOptions = {}) {
    const o = checkOptions(options)
    const c = o.loadFactor === undefined ? 1.25 : o.loadFactor
    if (typeof c !== 'number' || !(c >= 1) || !Number.isFinite(c)) {
      throw new RangeError(`\`loadFactor\` must be a finite number >= 1, got ${show(c)}`)
    }
    this.loadFactor = c
    const vnodes = o.vnodes === undefined ? 160 : checkInteger('vnodes', o.vnodes, 1, 10_000)
    if (o.onMove !== undefined && typeof o.onMove !== 'function') {
      throw new TypeError(`\`onMove\` must be a function, got ${show(o.onMove)}`)
    }
    this.onMove = o.onMove as ((move: BoundedLoadMove) => void) | undefined
    this.core = new RingCore(vnodes, checkHash(o.hash), undefined)
    for (const slot of this.core.add(parseNodes(nodes))) this.attach(slot)
  }

  private attach(slot: number): void {
    this.members[slot] = []
    this.sumWeights()
  }

  /** Summed afresh in node order on every change, so the capacities never drift. */
  private sumWeights(): void {
    let total = 0
    for (const n of this.core.nodes()) total += n.weight
    this.totalWeight = total
  }

  /** Capacity of `slot` when `m` keys are assigned. */
  private capacity(slot: number, m: number): number {
    return Math.ceil(((this.loadFactor * m) / this.totalWeight) * this.core.weights[slot]!)
  }

  /** First slot with room at or after position `at`, skipping `exclude`. */
  private walk(at: number, m: number, exclude: number): number {
    const c = this.core.continuum
    const len = c.length
    const owners = c.owners
    const factor = (this.loadFactor * m) / this.totalWeight
    const weights = this.core.weights
    let i = c.lowerBound(at)
    for (let steps = 0; steps < len; steps++) {
      if (i === len) i = 0
      const o = owners[i]!
      if (o !== exclude && this.members[o]!.length < Math.ceil(factor * weights[o]!)) return o
      i++
    }
    // Unreachable: the capacities sum to at least c x m >= m, more than the keys placed.
    throw new Error('BoundedLoadRing invariant broken: no node with spare capacity')
  }

  private place(key: string, at: number, slot: number): void {
    const list = this.members[slot]!
    this.entries.set(key, { at, slot, pos: list.length })
    list.push(key)
  }

  private unplace(key: string, e: Entry): void {
    const list = this.members[e.slot]!
    const last = list.pop()!
    if (last !== key) {
      list[e.pos] = last
      this.entries.get(last)!.pos = e.pos
    }
    this.entries.delete(key)
  }

  /** Moves keys off every node above its capacity; returns the moves. */
  private rebalance(moves: BoundedLoadMove[]): void {
    const m = this.entries.size
    for (const { id } of this.core.nodes()) {
      const slot = this.core.slotOf(id)!
      const list = this.members[slot]!
      while (list.length > this.capacity(slot, m)) {
        // The most recently placed key leaves: the oldest assignments stay where they are.
        const key = list[list.length - 1]!
        const { at } = this.entries.get(key)!
        this.unplace(key, this.entries.get(key)!)
        const to = this.walk(at, m, slot)
        this.place(key, at, to)
        moves.push({ key, from: id, to: this.core.ids[to]! })
      }
    }
  }

  private report(moves: BoundedLoadMove[]): void {
    if (!this.onMove || moves.length === 0) return
    let failed = false
    let first: unknown
    for (const move of moves) {
      try {
        this.onMove(move)
      } catch (err) {
        if (!failed) first = err
        failed = true
      }
    }
    if (failed) throw first
  }

  /**
   * Assigns `key` to the first node with room clockwise from its hash and returns the node;
   * returns the current node if `key` is already assigned.
   * @throws {@link ConsistentHashError} `ERR_EMPTY_RING` when there are no nodes.
   */
  assign(key: string): string {
    if (typeof key !== 'string') checkKey(key)
    const e = this.entries.get(key)
    if (e) return this.core.ids[e.slot]!
    if (this.core.size === 0) throw emptyRing('the bounded-load ring')
    const at = this.core.hashKey(key) >>> 0
    const slot = this.walk(at, this.entries.size + 1, -1)
    this.place(key, at, slot)
    return this.core.ids[slot]!
  }

  /**
   * Releases `key`. The average drops, so a node may now be over its capacity: its newest
   * keys move on and are reported through `onMove`. Returns false if `key` was not assigned.
   */
  release(key: string): boolean {
    if (typeof key !== 'string') checkKey(key)
    const e = this.entries.get(key)
    if (!e) return false
    this.unplace(key, e)
    const moves: BoundedLoadMove[] = []
    this.rebalance(moves)
    this.report(moves)
    return true
  }

  /** The node `key` is assigned to, or undefined. */
  get(key: string): string | undefined {
    const e = this.entries.get(key)
    return e ? this.core.ids[e.slot] : undefined
  }

  /**
   * Where `key` is or would be assigned, without assigning it.
   * @throws {@link ConsistentHashError} `ERR_EMPTY_RING` when there are no nodes.
   */
  locate(key: string): string {
    if (typeof key !== 'string') checkKey(key)
    const e = this.entries.get(key)
    if (e) return this.core.ids[e.slot]!
    if (this.core.size === 0) throw emptyRing('the bounded-load ring')
    return this.core.ids[this.walk(this.core.hashKey(key) >>> 0, this.entries.size + 1, -1)]!
  }

  /** Keys assigned to node `id` (0 for an unknown node). */
  load(id: string): number {
    const slot = this.core.slotOf(id)
    return slot === undefined ? 0 : this.members[slot]!.length
  }

  /** Keys assigned to each node, in the order the nodes were added. */
  loads(): Map<string, number> {
    return new Map(this.core.nodes().map(({ id }) => [id, this.load(id)]))
  }

  /** The most keys node `id` may hold right now: ceil(loadFactor x assigned x weight / total weight). */
  capacityOf(id: string): number {
    const slot = this.core.slotOf(id)
    return slot === undefined ? 0 : this.capacity(slot, this.entries.size)
  }

  /** The keys assigned to node `id`, e.g. to migrate them. */
  keysOf(id: string): string[] {
    const slot = this.core.slotOf(id)
    return slot === undefined ? [] : [...this.members[slot]!]
  }

  /** Number of assigned keys. */
  get size(): number {
    return this.entries.size
  }

  /** Whether a node with this id is present. */
  has(id: string): boolean {
    return this.core.slotOf(id) !== undefined
  }

  /** The nodes, in the order they were added. */
  get nodes(): RingNode[] {
    return this.core.nodes()
  }

  /**
   * Adds a node. The average load drops, so keys over the new capacities move (to the new
   * node when it is next on their walk) and are reported through `onMove`.
   * @throws {@link ConsistentHashError} `ERR_DUPLICATE_NODE` if the id is present.
   */
  add(node: NodeInput): this {
    const [slot] = this.core.add([parseNode(node)])
    this.attach(slot!)
    const moves: BoundedLoadMove[] = []
    this.rebalance(moves)
    this.report(moves)
    return this
  }

  /**
   * Removes a node; its keys move to the next node with room on their walk and are reported
   * through `onMove`. Returns false when there was no such node.
   * @throws {@link ConsistentHashError} `ERR_EMPTY_RING` when removing the last node while keys
   * are assigned (release them first); nothing changes then.
   */
  remove(id: string): boolean {
    const slot = this.core.slotOf(id)
    if (slot === undefined) return false
    const orphans = this.members[slot]!
    if (this.core.size === 1 && orphans.length > 0) {
      throw new ConsistentHashError(
        'ERR_EMPTY_RING',
        `cannot remove the last node while ${orphans.length} keys are assigned to it: release them first`,
      )
    }
    this.core.remove(id)
    this.members[slot] = []
    this.sumWeights()
    const m = this.entries.size
    const moves: BoundedLoadMove[] = []
    for (const key of orphans) {
      // m is unchanged: the orphans still count while they look for a new node.
      const { at } = this.entries.get(key)!
      const to = this.walk(at, m, -1)
      this.place(key, at, to)
      moves.push({ key, from: id, to: this.core.ids[to]! })
    }
    this.rebalance(moves)
    this.report(moves)
    return true
  }
}
