// The circle of a hash ring: every vnode point sorted ascending in a Uint32Array, with the
// slot of the node that owns it in a parallel Uint16Array (Uint32Array past 65,535 slots).
// A lookup is a lower-bound search for the key's hash, wrapping to index 0 past the end.
//
// The search is narrowed by a bucket index: `index[j]` is the first point whose top `bits`
// bits are >= j. With 2^bits close to the point count, a bucket holds 1-2 points on average,
// so a lookup reads two index entries and does a search over a handful of points instead of
// ~log2(160 x nodes) dependent, cache-missing probes.

const MAX_INDEX_BITS = 20

export type OwnerArray = Uint16Array | Uint32Array

/** Is owner `a` ordered before owner `b` when both sit on the same point? */
export type TieBreak = (a: number, b: number) => boolean

// The loops over every point live in plain functions of typed arrays. As methods, each call
// ran the loop in baseline code until on-stack replacement, then deoptimized on the
// never-before-run `this.x = ...` after it: ten times slower at 1,000 nodes.

/** Merges `sorted` (owned by `owner`) into the first `n` entries, from the back, in place. */
function mergeBack(
  points: Uint32Array,
  owners: OwnerArray,
  n: number,
  sorted: Uint32Array,
  owner: number,
  before: TieBreak,
): void {
  let i = n - 1
  let j = sorted.length - 1
  let k = n + sorted.length - 1
  while (j >= 0) {
    const p = sorted[j]!
    // Filling from the back: a tied old point moves behind the new one only when the new
    // owner is ordered first, so equal points always end up in owner order.
    while (i >= 0 && (points[i]! > p || (points[i] === p && before(owner, owners[i]!)))) {
      points[k] = points[i]!
      owners[k] = owners[i]!
      i--
      k--
    }
    points[k] = p
    owners[k] = owner
    j--
    k--
  }
}

/**
 * Removes `owner`'s points from the first `n` entries in place, copying them (ascending) to
 * `removed`; returns the new length. `removed` must have room for all of them.
 */
function filterOut(
  points: Uint32Array,
  owners: OwnerArray,
  n: number,
  owner: number,
  removed: Uint32Array,
): number {
  let k = 0
  let r = 0
  for (let i = 0; i < n; i++) {
    const o = owners[i]!
    if (o !== owner) {
      points[k] = points[i]!
      owners[k] = o
      k++
    } else {
      removed[r++] = points[i]!
    }
  }
  return k
}

/**
 * Shifts every bucket start by `sign` x the number of `moved` points (ascending) in earlier
 * buckets: the index after inserting (+1) or removing (-1) exactly those points.
 */
function shiftIndex(
  index: Uint32Array,
  buckets: number,
  moved: Uint32Array,
  count: number,
  shift: number,
  sign: number,
): void {
  let q = 0
  for (let j = 0; j <= buckets; j++) {
    while (q < count && moved[q]! >>> shift < j) q++
    if (q !== 0) index[j] = index[j]! + sign * q
  }
}

/** Index size for n points: about one to two points per bucket, 2^bits <= n < 2^(bits + 1). */
function indexBits(n: number): number {
  let bits = 1
  while (bits < MAX_INDEX_BITS && 2 ** (bits + 1) <= n) bits++
  return bits
}

/** index[j] = first position whose point's top bits are >= j. */
function fillIndex(points: Uint32Array, n: number, index: Uint32Array, shift: number, buckets: number): void {
  let j = 0
  for (let i = 0; i < n; i++) {
    const bucket = points[i]! >>> shift
    while (j <= bucket) index[j++] = i
  }
  while (j <= buckets) index[j++] = n
}

/** @internal */
export class Continuum {
  points: Uint32Array = new Uint32Array(0)
  owners: OwnerArray = new Uint16Array(0)
  length = 0
  private index: Uint32Array = new Uint32Array(3)
  private shift = 31
  /** Scratch for removeOwner: the points it took out, to patch the index with. */
  private removed: Uint32Array = new Uint32Array(0)

  /** First position whose point is >= h; `length` when h is past the last point. */
  lowerBound(h: number): number {
    const points = this.points
    const j = h >>> this.shift
    let lo = this.index[j]!
    let hi = this.index[j + 1]!
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (points[mid]! < h) lo = mid + 1
      else hi = mid
    }
    return lo
  }

  /** Owners must fit: call before inserting a slot number >= 65,536. */
  widenOwners(maxSlot: number): void {
    if (maxSlot > 0xffff && this.owners instanceof Uint16Array) {
      const wide = new Uint32Array(this.owners.length)
      wide.set(this.owners)
      this.owners = wide
    }
  }

  /**
   * Merges one node's points (sorted ascending) into the circle: one backward pass over the
   * existing points, no re-sort and no re-hash of other nodes.
   */
  insert(sorted: Uint32Array, owner: number, before: TieBreak): void {
    const add = sorted.length
    if (add === 0) return
    this.widenOwners(owner)
    const n = this.length
    const total = n + add
    if (total > this.points.length) this.grow(total)
    mergeBack(this.points, this.owners, n, sorted, owner, before)
    this.length = total
    if (indexBits(total) === 32 - this.shift && n > 0) {
      shiftIndex(this.index, this.index.length - 1, sorted, add, this.shift, 1)
    } else {
      this.reindex()
    }
  }

  /** Drops the `count` points owned by `owner`, keeping the order of the rest. */
  removeOwner(owner: number, count: number): void {
    if (this.removed.length < count) this.removed = new Uint32Array(count)
    const n = filterOut(this.points, this.owners, this.length, owner, this.removed)
    const gone = this.length - n
    this.length = n
    if (gone === 0) return
    if (indexBits(n) === 32 - this.shift) {
      shiftIndex(this.index, this.index.length - 1, this.removed, gone, this.shift, -1)
    } else {
      this.reindex()
    }
  }

  /**
   * Rebuilds from scratch out of per-owner point lists. `rank[slot]` orders tied points
   * (smaller first) and must be unique per owner and < 2^21, so (point, rank) packs exactly
   * into one double and the whole circle sorts with the native numeric sort.
   */
  rebuild(lists: ReadonlyArray<{ owner: number; rank: number; points: Uint32Array; count: number }>): void {
    let total = 0
    let maxOwner = 0
    for (const l of lists) {
      total += l.count
      if (l.owner > maxOwner) maxOwner = l.owner
    }
    const keys = new Float64Array(total)
    const ownerOfRank = new Map<number, number>()
    let k = 0
    for (const l of lists) {
      ownerOfRank.set(l.rank, l.owner)
      for (let i = 0; i < l.count; i++) keys[k++] = l.points[i]! * 0x200000 + l.rank
    }
    keys.sort()
    this.points = new Uint32Array(Math.max(total, 16))
    this.owners =
      maxOwner > 0xffff ? new Uint32Array(this.points.length) : new Uint16Array(this.points.length)
    for (let i = 0; i < total; i++) {
      const key = keys[i]!
      const rank = key % 0x200000
      this.points[i] = (key - rank) / 0x200000
      this.owners[i] = ownerOfRank.get(rank)!
    }
    this.length = total
    this.reindex()
  }

  private grow(min: number): void {
    let cap = Math.max(16, this.points.length)
    while (cap < min) cap *= 2
    const points = new Uint32Array(cap)
    points.set(this.points.subarray(0, this.length))
    const owners = this.owners instanceof Uint32Array ? new Uint32Array(cap) : new Uint16Array(cap)
    owners.set(this.owners.subarray(0, this.length))
    this.points = points
    this.owners = owners
  }

  private reindex(): void {
    const n = this.length
    const bits = indexBits(n)
    const buckets = 2 ** bits
    const shift = 32 - bits
    const index = this.index.length === buckets + 1 ? this.index : new Uint32Array(buckets + 1)
    fillIndex(this.points, n, index, shift, buckets)
    this.index = index
    this.shift = shift
  }

  /** Bytes held by the typed arrays (capacity, not just length). */
  get byteLength(): number {
    return this.points.byteLength + this.owners.byteLength + this.index.byteLength + this.removed.byteLength
  }
}
